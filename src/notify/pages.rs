//! The pages of notifications: the citizen's list; for system administrators the messages that
//! failed (with a resend button) and the templates (edit with a preview; every save a version).

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;
use uuid::Uuid;

use super::compose::{self, KINDS};
use super::views::*;
use crate::AppState;
use crate::accounts::domain::StaffRole;
use crate::accounts::guard::staff_layout;
use crate::accounts::{CurrentCitizen, CurrentStaff};
use crate::audit::{self, Actor};
use crate::kernel::Lang;
use crate::kernel::time::format_local as local;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, FormErrors, Layout, flash, paths};

const PAGE: i64 = 20;

#[derive(sqlx::FromRow)]
struct Notice {
    id: Uuid,
    created_at: DateTime<Utc>,
    dossier_id: Option<Uuid>,
    subject: String,
    body: String,
    unread: bool,
}

#[derive(sqlx::FromRow)]
struct Failed {
    id: Uuid,
    created_at: DateTime<Utc>,
    channel: String,
    recipient: String,
    kind: String,
    attempts: i32,
    last_error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    pub after: Option<String>,
}

/// `GET /account/notifications`: what the portal told the citizen, newest first; the ones
/// shown are marked read.
pub async fn list(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    Query(q): Query<PageQuery>,
) -> AppResult<NotificationsPage> {
    let after = q.after.as_deref().and_then(paths::parse_time_cursor);
    let mut conn = app.db.acquire().await?;
    let mut rows: Vec<Notice> = sqlx::query_as(
        "select id, created_at, dossier_id, subject, body, read_at is null as unread from notifications \
             where citizen_id = $1 and ($2::timestamptz is null or (created_at, id) < ($2, $3)) \
             order by created_at desc, id desc limit $4",
    )
    .bind(citizen.id)
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(PAGE + 1)
    .fetch_all(&mut *conn)
    .await?;
    let next_url = (rows.len() as i64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        rows.last()
            .map(|r| {
                format!(
                    "/account/notifications?after={}",
                    paths::time_cursor(r.created_at, r.id)
                )
            })
            .unwrap_or_default()
    });
    let unread: Vec<Uuid> = rows.iter().filter(|r| r.unread).map(|r| r.id).collect();
    if !unread.is_empty() {
        sqlx::query(
            "update notifications set read_at = now() where id = any($1) and citizen_id = $2",
        )
        .bind(&unread)
        .bind(citizen.id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(NotificationsPage {
        layout: Layout::for_session(
            lang,
            lang.t("notify.title"),
            "/account/notifications",
            &session,
        )
        .await?,
        rows: rows
            .into_iter()
            .map(|n| NotificationRow {
                id: n.id.to_string(),
                at: local(n.created_at),
                url: n.dossier_id.map(crate::web::paths::citizen_dossier),
                subject: n.subject,
                body: n.body,
                unread: n.unread,
            })
            .collect(),
        next_url,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct FailedQuery {
    pub before: Option<String>,
}

/// `GET /admin/messages`: the outbox's state and the messages that failed, newest first.
pub async fn failed(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Query(q): Query<FailedQuery>,
) -> AppResult<FailedPage> {
    staff.require(StaffRole::SystemAdmin)?;
    let before = q.before.as_deref().and_then(paths::parse_time_cursor);
    let mut conn = app.db.acquire().await?;
    let (pending, retrying): (i64, i64) = sqlx::query_as(
        "select count(*), count(*) filter (where attempts > 0) from outbound_messages \
         where status = 'pending'",
    )
    .fetch_one(&mut *conn)
    .await?;
    let mut rows: Vec<Failed> = sqlx::query_as(
        "select id, created_at, channel, recipient, kind, attempts, last_error \
             from outbound_messages where status = 'failed' \
               and ($1::timestamptz is null or (created_at, id) < ($1, $2)) \
             order by created_at desc, id desc limit $3",
    )
    .bind(before.map(|b| b.0))
    .bind(before.map(|b| b.1))
    .bind(PAGE * 2 + 1)
    .fetch_all(&mut *conn)
    .await?;
    let next_url = (rows.len() as i64 > PAGE * 2).then(|| {
        rows.truncate((PAGE * 2) as usize);
        rows.last()
            .map(|r| {
                format!(
                    "/admin/messages?before={}",
                    paths::time_cursor(r.created_at, r.id)
                )
            })
            .unwrap_or_default()
    });
    Ok(FailedPage {
        layout: staff_layout(
            lang,
            "notify.failed_title",
            "/admin/messages",
            &session,
            &staff,
        )
        .await?,
        pending,
        retrying,
        rows: rows
            .into_iter()
            .map(|r| FailedRow {
                id: r.id.to_string(),
                at: local(r.created_at),
                channel: lang
                    .t(&format!("notify.channel_{}", r.channel))
                    .into_owned(),
                recipient: r.recipient,
                kind: lang.t(&format!("notify.kind_{}", r.kind)).into_owned(),
                attempts: r.attempts,
                error: r.last_error.unwrap_or_default(),
            })
            .collect(),
        next_url,
    })
}

/// `POST /admin/messages/{id}/resend`: a failed message is tried again from the start.
pub async fn resend(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    staff.require(StaffRole::SystemAdmin)?;
    let mut tx = app.db.begin().await?;
    let done = sqlx::query(
        "update outbound_messages set status = 'pending', attempts = 0, next_attempt_at = now(), \
           locked_until = null where id = $1 and status = 'failed'",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        Actor::Staff(staff.id),
        "message.resend",
        Some(&id.to_string()),
        ip,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    flash::set(&session, lang.t("notify.resent")).await;
    Ok(Redirect::to("/admin/messages").into_response())
}

/// `GET /admin/messages/templates`: every kind of notice with its templates in force.
pub async fn templates(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
) -> AppResult<TemplatesPage> {
    staff.require(StaffRole::SystemAdmin)?;
    let mut conn = app.db.acquire().await?;
    let current: Vec<(String, String, String, i64)> = sqlx::query_as(
        "select distinct on (kind, lang) kind, lang, subject, \
           count(*) over (partition by kind, lang) \
         from message_templates order by kind, lang, id desc",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut rows = Vec::new();
    for kind in KINDS {
        for l in ["vi", "en"] {
            let found = current.iter().find(|c| c.0 == *kind && c.1 == l);
            rows.push(TemplateRow {
                kind: lang.t(&format!("notify.kind_{kind}")).into_owned(),
                lang: l.to_owned(),
                subject: found.map(|f| f.2.clone()).unwrap_or_default(),
                versions: found.map_or(0, |f| f.3),
                url: format!("/admin/messages/templates/{kind}/{l}"),
            });
        }
    }
    Ok(TemplatesPage {
        layout: staff_layout(
            lang,
            "notify.templates_title",
            "/admin/messages/templates",
            &session,
            &staff,
        )
        .await?,
        rows,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct TemplateForm {
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub sms: String,
    /// "preview" or "save"
    #[serde(default)]
    pub intent: String,
}

fn known(kind: &str, lang: &str) -> AppResult<(&'static str, Lang)> {
    let kind = KINDS
        .iter()
        .find(|k| **k == kind)
        .ok_or(AppError::NotFound)?;
    Ok((*kind, Lang::parse(lang).ok_or(AppError::NotFound)?))
}

async fn editor(
    app: &AppState,
    lang: Lang,
    staff: &CurrentStaff,
    session: &Session,
    (kind, of): (&'static str, Lang),
    form: TemplateForm,
    errors: FormErrors,
) -> AppResult<TemplatePage> {
    let mut conn = app.db.acquire().await?;
    let versions: Vec<(DateTime<Utc>, Option<String>, String)> = sqlx::query_as(
        "select t.created_at, s.username, t.subject from message_templates t \
         left join staff_users s on s.id = t.created_by \
         where t.kind = $1 and t.lang = $2 order by t.id desc limit 20",
    )
    .bind(kind)
    .bind(of.code())
    .fetch_all(&mut *conn)
    .await?;
    let vars = compose::sample_vars(of);
    let title = format!(
        "{} — {} ({})",
        lang.t("notify.template_title"),
        lang.t(&format!("notify.kind_{kind}")),
        of.code()
    );
    let mut layout = staff_layout(
        lang,
        "notify.template_title",
        "/admin/messages/templates",
        session,
        staff,
    )
    .await?
    .with_errors(&errors);
    layout.title = title.clone();
    Ok(TemplatePage {
        layout,
        heading: title,
        action: format!("/admin/messages/templates/{kind}/{}", of.code()),
        preview_subject: compose::fill(&form.subject, &vars),
        preview_body: compose::fill(&form.body, &vars),
        preview_sms: compose::fill(&form.sms, &vars),
        sms_length: form.sms.chars().count(),
        subject: form.subject,
        body: form.body,
        sms: form.sms,
        versions: versions
            .into_iter()
            .map(|(at, who, subject)| (local(at), who.unwrap_or_default(), subject))
            .collect(),
        errors,
    })
}

/// `GET /admin/messages/templates/{kind}/{lang}`: the template in force, its preview and its
/// versions.
pub async fn template_form(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Path((kind, of)): Path<(String, String)>,
) -> AppResult<TemplatePage> {
    staff.require(StaffRole::SystemAdmin)?;
    let which = known(&kind, &of)?;
    let mut conn = app.db.acquire().await?;
    let current: Option<(String, String, String)> = sqlx::query_as(
        "select subject, body, sms from message_templates where kind = $1 and lang = $2 \
         order by id desc limit 1",
    )
    .bind(which.0)
    .bind(which.1.code())
    .fetch_optional(&mut *conn)
    .await?;
    drop(conn);
    let form = current.map_or_else(TemplateForm::default, |(subject, body, sms)| TemplateForm {
        subject,
        body,
        sms,
        intent: String::new(),
    });
    editor(&app, lang, &staff, &session, which, form, FormErrors::new()).await
}

/// `POST /admin/messages/templates/{kind}/{lang}`: preview the text as written, or save it as
/// the new version in force.
pub async fn save_template(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path((kind, of)): Path<(String, String)>,
    Form(form): Form<TemplateForm>,
) -> AppResult<Response> {
    staff.require(StaffRole::SystemAdmin)?;
    let which = known(&kind, &of)?;
    let mut errors = FormErrors::new();
    for (field, text, limit) in [
        ("subject", &form.subject, 200),
        ("body", &form.body, 5000),
        ("sms", &form.sms, 320),
    ] {
        if text.trim().is_empty() {
            errors.add(field, lang.t("notify.template_required"));
        } else if text.chars().count() > limit {
            errors.add(
                field,
                lang.t("notify.template_too_long")
                    .replace("{n}", &limit.to_string()),
            );
        } else {
            let unknown = compose::unknown_placeholders(text);
            if !unknown.is_empty() {
                errors.add(
                    field,
                    lang.t("notify.template_unknown")
                        .replace("{names}", &unknown.join(", ")),
                );
            }
        }
    }
    if !errors.is_empty() {
        let page = editor(&app, lang, &staff, &session, which, form, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    if form.intent != "save" {
        return Ok(editor(&app, lang, &staff, &session, which, form, errors)
            .await?
            .into_response());
    }
    let mut tx = app.db.begin().await?;
    sqlx::query(
        "insert into message_templates (kind, lang, subject, body, sms, created_by) \
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(which.0)
    .bind(which.1.code())
    .bind(form.subject.trim())
    .bind(form.body.trim())
    .bind(form.sms.trim())
    .bind(staff.id)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Actor::Staff(staff.id),
        "message.template_saved",
        Some(&format!("{}/{}", which.0, which.1.code())),
        ip,
        json!({"subject": form.subject.trim()}),
    )
    .await?;
    tx.commit().await?;
    flash::set(&session, lang.t("notify.template_saved")).await;
    Ok(Redirect::to(&format!(
        "/admin/messages/templates/{}/{}",
        which.0,
        which.1.code()
    ))
    .into_response())
}
