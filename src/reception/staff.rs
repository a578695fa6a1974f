//! The reception desk (Bộ phận Một cửa): the queue of dossiers to check, a dossier's page for
//! officials, and the three reception outcomes — accept (the clock starts), return for
//! completion, refuse.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;
use uuid::Uuid;

use super::repo::{self, StaffDossier};
use super::views::{QueuePage, QueueRow, StaffDossierPage};
use crate::AppState;
use crate::accounts::CurrentStaff;
use crate::accounts::domain::StaffRole;
use crate::accounts::staff::staff_layout;
use crate::audit::{self, Actor};
use crate::deadlines::calendar::{to_local, to_utc};
use crate::deadlines::repo as calendar;
use crate::dossiers::service::{self, ApplyError};
use crate::dossiers::views::{EventView, FileView};
use crate::dossiers::workflow::{self, Action};
use crate::dossiers::{DossierStatus, domain, repo as dossiers};
use crate::kernel::Lang;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, FormErrors, flash, paths};

/// Working hours within which an online dossier must be accepted or returned (Decree 118
/// Art. 17(2)).
const ACKNOWLEDGE_HOURS: u32 = 8;

fn format_local(at: chrono::DateTime<chrono::Utc>) -> String {
    to_local(at).format("%H:%M %d/%m/%Y").to_string()
}

fn dossier_url(id: Uuid) -> String {
    format!("/staff/dossiers/{id}")
}

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    after: Option<String>,
}

const PAGE: i64 = 25;

/// `GET /staff/reception`: dossiers waiting for the reception check at the official's units.
pub async fn queue(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Query(query): Query<QueueQuery>,
) -> AppResult<QueuePage> {
    let agencies: Vec<Uuid> = staff.agencies_with(StaffRole::Reception).collect();
    let after = query.after.as_deref().and_then(paths::parse_time_cursor);
    let mut conn = app.db.acquire().await?;
    let calendar = calendar::load(&mut conn).await?;
    let mut items = repo::queue(&mut conn, &agencies, after, PAGE + 1).await?;
    drop(conn);
    let next_url = (items.len() as i64 > PAGE).then(|| {
        items.truncate(PAGE as usize);
        items
            .last()
            .and_then(|i| {
                i.submitted_at
                    .map(|at| format!("/staff/reception?after={}", paths::time_cursor(at, i.id)))
            })
            .unwrap_or_default()
    });
    let now = chrono::Utc::now();
    let rows = items
        .iter()
        .map(|i| {
            let by = i
                .submitted_at
                .map(|at| to_utc(calendar.add_working_hours(to_local(at), ACKNOWLEDGE_HOURS)));
            QueueRow {
                url: dossier_url(i.id),
                code: i.code.clone().unwrap_or_default(),
                procedure: lang.pick(&i.procedure_vi, &i.procedure_en).to_owned(),
                applicant: i.applicant_name.clone(),
                channel: lang
                    .t(match i.intake_channel {
                        1 => "reception.channel_counter",
                        3 => "reception.channel_post",
                        _ => "reception.channel_online",
                    })
                    .into_owned(),
                submitted: i.submitted_at.map(format_local).unwrap_or_default(),
                acknowledge_by: by.map(format_local).unwrap_or_default(),
                overdue: by.is_some_and(|b| b < now),
            }
        })
        .collect();
    Ok(QueuePage {
        layout: staff_layout(
            lang,
            "reception.queue_title",
            "/staff/reception",
            &session,
            &staff,
        )
        .await?,
        rows,
        next_url,
    })
}

/// The dossier, if the official works at its receiving or deciding agency.
async fn scoped(app: &AppState, staff: &CurrentStaff, id: Uuid) -> AppResult<StaffDossier> {
    let mut conn = app.db.acquire().await?;
    let dossier = repo::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let ours = staff.roles.iter().any(|r| {
        Some(r.agency_id) == dossier.receiving_agency_id
            || Some(r.agency_id) == dossier.competent_agency_id
    });
    if !ours || dossier.status == DossierStatus::Draft {
        return Err(AppError::Forbidden);
    }
    Ok(dossier)
}

async fn dossier_page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    staff: &CurrentStaff,
    d: &StaffDossier,
    reason: String,
    errors: FormErrors,
) -> AppResult<StaffDossierPage> {
    let mut conn = app.db.acquire().await?;
    let files = dossiers::files(&mut conn, d.id).await?;
    let events = dossiers::events(&mut conn, d.id).await?;
    drop(conn);
    let here = dossier_url(d.id);
    let can_receive = d.status == DossierStatus::Submitted
        && staff
            .roles
            .iter()
            .any(|r| r.role == StaffRole::Reception && Some(r.agency_id) == d.receiving_agency_id);
    Ok(StaffDossierPage {
        layout: staff_layout(lang, "reception.dossier_title", &here, session, staff)
            .await?
            .with_errors(&errors),
        id: d.id.to_string(),
        code: d.code.clone().unwrap_or_default(),
        procedure: lang.pick(&d.procedure_vi, &d.procedure_en).to_owned(),
        status: lang.t(d.status.label_key()).into_owned(),
        status_key: format!("{:?}", d.status),
        applicant: d.applicant_name.clone(),
        phone: d.applicant_phone.clone(),
        address: d.applicant_address.clone(),
        submitted: d.submitted_at.map(format_local).unwrap_or_default(),
        received: d.received_at.map(format_local).unwrap_or_default(),
        due: d.due_at.map(format_local).unwrap_or_default(),
        files: files
            .iter()
            .map(|f| FileView {
                name: domain::display_name(&f.original_name),
                size: domain::size_text(f.size_bytes),
                reused: f.reused_from.is_some(),
                delete_url: String::new(),
                download_url: format!("{here}/files/{}", f.id),
            })
            .collect(),
        events: events
            .iter()
            .map(|e| EventView {
                at: format_local(e.at),
                status: lang.t(e.to_status.label_key()).into_owned(),
                actor: e.actor_kind.clone(),
            })
            .collect(),
        form01_url: d
            .received_at
            .is_some()
            .then(|| format!("{here}/form-01.pdf")),
        can_receive,
        reason,
        errors,
    })
}

/// `GET /staff/dossiers/{id}`
pub async fn show(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Path(id): Path<Uuid>,
) -> AppResult<StaffDossierPage> {
    let d = scoped(&app, &staff, id).await?;
    dossier_page(
        &app,
        lang,
        &session,
        &staff,
        &d,
        String::new(),
        FormErrors::new(),
    )
    .await
}

/// `GET /staff/dossiers/{id}/files/{file}`
pub async fn download(
    State(app): State<AppState>,
    staff: CurrentStaff,
    Path((id, file)): Path<(Uuid, Uuid)>,
) -> AppResult<Response> {
    scoped(&app, &staff, id).await?;
    let mut conn = app.db.acquire().await?;
    let files = dossiers::files(&mut conn, id).await?;
    let f = files
        .iter()
        .find(|f| f.id == file)
        .ok_or(AppError::NotFound)?;
    let body = app
        .storage
        .read(&f.storage_key)
        .await
        .map_err(|_| AppError::NotFound)?;
    Ok(crate::web::download::attachment(
        body,
        &f.content_type,
        &domain::display_name(&f.original_name),
    ))
}

#[derive(Deserialize)]
pub struct ReceptionForm {
    #[serde(default)]
    expected: String,
    #[serde(default)]
    reason: String,
}

/// Who decides, from where.
struct Desk<'a> {
    app: &'a AppState,
    lang: Lang,
    staff: &'a CurrentStaff,
    session: &'a Session,
    ip: Option<std::net::IpAddr>,
}

/// Accept, return for completion or refuse, with the same checks.
async fn decide(
    desk: Desk<'_>,
    id: Uuid,
    form: &ReceptionForm,
    action: Action,
) -> AppResult<Response> {
    let Desk {
        app,
        lang,
        staff,
        session,
        ip,
    } = desk;
    let d = scoped(app, staff, id).await?;
    let at_receiving = staff
        .roles
        .iter()
        .any(|r| r.role == StaffRole::Reception && Some(r.agency_id) == d.receiving_agency_id);
    if !at_receiving {
        return Err(AppError::Forbidden);
    }
    let reason = form.reason.trim();
    if action != Action::Accept && reason.chars().count() < 10 {
        let mut errors = FormErrors::new();
        errors.add("reason", lang.t("reception.error_reason"));
        let page = dossier_page(app, lang, session, staff, &d, form.reason.clone(), errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let expected = DossierStatus::ALL
        .into_iter()
        .find(|s| format!("{s:?}") == form.expected)
        .ok_or(AppError::BadRequest("errors.bad_request_text"))?;
    let mut tx = app.db.begin().await?;
    let actor = workflow::Actor::Staff(StaffRole::Reception);
    let applied =
        service::apply(&mut tx, id, expected, action, actor, Some(staff.id), reason).await;
    let next = match applied {
        Ok(next) => next,
        Err(ApplyError::Stale { .. } | ApplyError::Illegal(_)) => return Err(AppError::Conflict),
        Err(ApplyError::NotFound) => return Err(AppError::NotFound),
        Err(ApplyError::Database(e)) => return Err(e.into()),
    };
    let mut message = lang.t(next.label_key()).into_owned();
    if action == Action::Accept {
        let calendar = calendar::load(&mut tx).await?;
        let now = chrono::Utc::now();
        let start = calendar.clock_start(to_local(now), d.clock_starts_next_day_after_cutoff);
        let due = to_utc(calendar.due(start, d.time_limit_value, d.time_limit_unit));
        repo::set_received(&mut tx, id, now, due).await?;
        message = format!(
            "{message}. {} {}",
            lang.t("reception.due"),
            format_local(due)
        );
    }
    audit::record(
        &mut tx,
        Actor::Staff(staff.id),
        &format!("dossier.{next:?}").to_lowercase(),
        d.code.as_deref(),
        ip,
        json!({"action": format!("{action:?}"), "reason": reason}),
    )
    .await?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    flash::set(session, message).await;
    Ok(Redirect::to(&dossier_url(id)).into_response())
}

/// `POST /staff/dossiers/{id}/accept`
pub async fn accept(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form): Form<ReceptionForm>,
) -> AppResult<Response> {
    let desk = Desk {
        app: &app,
        lang,
        staff: &staff,
        session: &session,
        ip,
    };
    decide(desk, id, &form, Action::Accept).await
}

/// `POST /staff/dossiers/{id}/return`
pub async fn return_for_completion(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form): Form<ReceptionForm>,
) -> AppResult<Response> {
    let desk = Desk {
        app: &app,
        lang,
        staff: &staff,
        session: &session,
        ip,
    };
    decide(desk, id, &form, Action::ReturnForCompletion).await
}

/// `POST /staff/dossiers/{id}/refuse`
pub async fn refuse(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form): Form<ReceptionForm>,
) -> AppResult<Response> {
    let desk = Desk {
        app: &app,
        lang,
        staff: &staff,
        session: &session,
        ip,
    };
    decide(desk, id, &form, Action::RefuseAtReception).await
}

/// `GET /staff/dossiers/{id}/form-01.pdf`: the receipt and appointment slip, to print.
pub async fn form01(
    State(app): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    scoped(&app, &staff, id).await?;
    crate::dossiers::forms::form01_response(&app.db, &app.settings.public_origin, id).await
}
