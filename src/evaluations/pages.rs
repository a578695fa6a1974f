//! The evaluation form: for the signed-in owner on `/account/dossiers/{id}/evaluation`, for a
//! walk-in applicant on `/danh-gia/{token}` (the link public tracking gives once the dossier has
//! ended).

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use tower_sessions::Session;
use uuid::Uuid;

use super::{Item, ended, items, read, save, stored};
use crate::AppState;
use crate::accounts::CurrentCitizen;
use crate::kernel::Lang;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, FormErrors, Layout, flash};

/// An item as the form shows it.
pub struct ItemView {
    pub code: String,
    pub label: String,
    pub answer: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "evaluations/form.html")]
pub struct EvaluationPage {
    pub layout: Layout,
    pub action: String,
    pub code: String,
    pub procedure: String,
    /// The dossier has not ended: its status, and no form.
    pub not_yet: Option<String>,
    /// The result's time against the appointment, shown with item (a).
    pub timeliness: String,
    pub items: Vec<ItemView>,
    pub overall: String,
    pub comment: String,
    /// Already rated: the form changes it (while it may).
    pub rated: bool,
    /// The time to change it has passed: shown, not editable.
    pub locked: bool,
    pub change_days: i64,
    pub errors: FormErrors,
}

/// What the page needs of the dossier.
struct Rated {
    status: crate::dossiers::DossierStatus,
    code: String,
    procedure_vi: String,
    procedure_en: String,
    /// the result's time against the appointment (Art. 33 (a)), when it had one
    on_time: Option<(
        bool,
        chrono::DateTime<chrono::Utc>,
        chrono::DateTime<chrono::Utc>,
    )>,
}

async fn dossier(app: &AppState, id: Uuid) -> AppResult<Rated> {
    #[allow(clippy::type_complexity)]
    let row: Option<(
        crate::dossiers::DossierStatus,
        Option<String>,
        String,
        String,
        Option<chrono::DateTime<chrono::Utc>>,
        chrono::DateTime<chrono::Utc>,
    )> = sqlx::query_as(
        "select d.status, d.code, v.name_vi, v.name_en, d.due_at, coalesce(d.result_at, d.updated_at) \
         from dossiers d join procedure_versions v on v.id = d.procedure_version_id where d.id = $1",
    )
    .bind(id)
    .fetch_optional(&app.db)
    .await?;
    let (status, code, procedure_vi, procedure_en, due, done) = row.ok_or(AppError::NotFound)?;
    Ok(Rated {
        status,
        code: code.unwrap_or_default(),
        procedure_vi,
        procedure_en,
        on_time: due.map(|due| (done <= due, due, done)),
    })
}

#[allow(clippy::too_many_arguments)]
async fn page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    id: Uuid,
    action: String,
    form: Option<&BTreeMap<String, String>>,
    errors: FormErrors,
) -> AppResult<EvaluationPage> {
    let rated = dossier(app, id).await?;
    let (code, vi, en) = (rated.code.clone(), &rated.procedure_vi, &rated.procedure_en);
    let not_yet = (!ended(rated.status)).then(|| lang.t(rated.status.label_key()).into_owned());
    let timeliness = rated.on_time.map(|(on_time, due, done)| {
        lang.t(if on_time {
            "evaluation.on_time"
        } else {
            "evaluation.late_result"
        })
        .replace("{due}", &crate::kernel::time::format_local(due))
        .replace("{done}", &crate::kernel::time::format_local(done))
    });
    let mut conn = app.db.acquire().await?;
    let items: Vec<Item> = items(&mut conn, crate::deadlines::calendar::today()).await?;
    let saved = stored(&mut conn, id).await?;
    drop(conn);
    let change_days = app.settings.evaluation_change_days;
    let locked = saved
        .as_ref()
        .is_some_and(|s| s.3 < chrono::Utc::now() - chrono::Duration::days(change_days));
    let (overall, answers, comment) = match (form, &saved) {
        (Some(f), _) => (
            f.get("overall").cloned().unwrap_or_default(),
            f.iter()
                .filter_map(|(k, v)| k.strip_prefix("item-").map(|c| (c.to_owned(), v.clone())))
                .collect(),
            f.get("comment").cloned().unwrap_or_default(),
        ),
        (None, Some((satisfied, answers, comment, _))) => (
            if *satisfied {
                "satisfied"
            } else {
                "not_satisfied"
            }
            .to_owned(),
            answers.0.clone(),
            comment.clone(),
        ),
        // item (a) prefilled from the clock: the citizen sees it and may change it
        (None, None) => (
            String::new(),
            rated
                .on_time
                .map(|(on_time, _, _)| {
                    let answer = if on_time {
                        "satisfied"
                    } else {
                        "not_satisfied"
                    };
                    BTreeMap::from([("a".to_owned(), answer.to_owned())])
                })
                .unwrap_or_default(),
            String::new(),
        ),
    };
    Ok(EvaluationPage {
        layout: Layout::for_session(lang, lang.t("evaluation.title"), &action, session)
            .await?
            .with_errors(&errors),
        items: items
            .iter()
            .map(|i| ItemView {
                code: i.code.clone(),
                label: lang.pick(&i.label_vi, &i.label_en).to_owned(),
                answer: answers.get(&i.code).cloned().unwrap_or_default(),
            })
            .collect(),
        action,
        code,
        procedure: lang.pick(vi, en).to_owned(),
        not_yet,
        timeliness: timeliness.unwrap_or_default(),
        overall,
        comment,
        rated: saved.is_some(),
        locked,
        change_days,
        errors,
    })
}

/// Saves the evaluation from `form`, or the form again with what is wrong.
#[allow(clippy::too_many_arguments)]
async fn submit(
    app: &AppState,
    lang: Lang,
    session: &Session,
    ip: Option<std::net::IpAddr>,
    id: Uuid,
    action: String,
    channel: &str,
    form: BTreeMap<String, String>,
) -> AppResult<Response> {
    if !ended(dossier(app, id).await?.status) {
        return Err(AppError::NotFound);
    }
    let mut conn = app.db.acquire().await?;
    let items = items(&mut conn, crate::deadlines::calendar::today()).await?;
    drop(conn);
    let evaluation = match read(&form, &items) {
        Ok(e) => e,
        Err(problems) => {
            let mut errors = FormErrors::new();
            for (field, key) in problems {
                errors.add(field, lang.t(key));
            }
            let p = page(app, lang, session, id, action, Some(&form), errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
        }
    };
    let mut tx = app.db.begin().await?;
    if !save(
        &mut tx,
        id,
        &evaluation,
        channel,
        app.settings.evaluation_change_days,
    )
    .await?
    {
        drop(tx);
        let mut errors = FormErrors::new();
        errors.add("overall", lang.t("evaluation.error_locked"));
        let p = page(app, lang, session, id, action, None, errors).await?;
        return Ok((StatusCode::CONFLICT, p).into_response());
    }
    crate::audit::record(
        &mut tx,
        crate::audit::Actor::Anonymous,
        "dossier.evaluated",
        None,
        ip,
        json!({"dossier": id, "satisfied": evaluation.satisfied, "channel": channel}),
    )
    .await?;
    tx.commit().await?;
    flash::set(session, lang.t("evaluation.thanks")).await;
    Ok(Redirect::to(&action).into_response())
}

async fn owned(app: &AppState, citizen: CurrentCitizen, id: Uuid) -> AppResult<()> {
    let mut conn = app.db.acquire().await?;
    crate::dossiers::repo::find_owned(&mut conn, citizen.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(())
}

/// `GET /account/dossiers/{id}/evaluation`
pub async fn account_form(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    Path(id): Path<Uuid>,
) -> AppResult<EvaluationPage> {
    owned(&app, citizen, id).await?;
    // the dossier's own page offers the evaluation once it has ended
    if !ended(dossier(&app, id).await?.status) {
        return Err(AppError::NotFound);
    }
    let action = format!("{}/evaluation", crate::web::paths::citizen_dossier(id));
    page(&app, lang, &session, id, action, None, FormErrors::new()).await
}

/// `POST /account/dossiers/{id}/evaluation`
pub async fn account_submit(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form): Form<BTreeMap<String, String>>,
) -> AppResult<Response> {
    owned(&app, citizen, id).await?;
    let action = format!("{}/evaluation", crate::web::paths::citizen_dossier(id));
    submit(&app, lang, &session, ip, id, action, "account", form).await
}

async fn by_token(app: &AppState, token: &str) -> AppResult<Uuid> {
    let mut conn = app.db.acquire().await?;
    super::dossier_of(&mut conn, token)
        .await?
        .ok_or(AppError::NotFound)
}

/// `GET /danh-gia/{token}`
pub async fn link_form(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    Path(token): Path<String>,
) -> AppResult<EvaluationPage> {
    let id = by_token(&app, &token).await?;
    page(
        &app,
        lang,
        &session,
        id,
        format!("/danh-gia/{token}"),
        None,
        FormErrors::new(),
    )
    .await
}

/// `POST /danh-gia/{token}`
pub async fn link_submit(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
    Form(form): Form<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let id = by_token(&app, &token).await?;
    submit(
        &app,
        lang,
        &session,
        ip,
        id,
        format!("/danh-gia/{token}"),
        "link",
        form,
    )
    .await
}
