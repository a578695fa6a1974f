//! The reception desk (Bộ phận Một cửa): the queue of dossiers to check, a dossier's page for
//! officials, and the three reception outcomes — accept (the clock starts), return for
//! completion, refuse.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use tower_sessions::Session;
use uuid::Uuid;

use super::repo;
use super::views::{QueuePage, QueueRow};
use crate::AppState;
use crate::accounts::CurrentStaff;
use crate::accounts::domain::StaffRole;
use crate::accounts::guard::staff_layout;
use crate::deadlines::calendar::{Calendar, to_local, to_utc};
use crate::deadlines::repo as calendar;
use crate::dossiers::workflow::Action;
use crate::kernel::Lang;
use crate::kernel::time::format_local;
use crate::processing::desk::{ActForm, Desk, perform};
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::{AppResult, paths};

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    after: Option<String>,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    procedure: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    overdue: Option<String>,
}

impl QueueQuery {
    /// The query string of the filters (for the next page's link).
    fn filters(&self) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("channel", self.channel.as_str()),
            ("procedure", self.procedure.trim()),
            ("status", self.status.as_str()),
            ("overdue", self.overdue.as_deref().unwrap_or_default()),
        ] {
            if !v.is_empty() {
                parts.push(format!("{k}={}", paths::encode(v)));
            }
        }
        parts.join("&")
    }
}

const PAGE: i64 = 25;

/// The next page's address when there is one (the page's items cut to `PAGE`).
fn next_page(items: &mut Vec<repo::QueueItem>, filters: &str) -> Option<String> {
    (items.len() as i64 > PAGE).then(|| {
        items.truncate(PAGE as usize);
        items
            .last()
            .and_then(|i| {
                i.submitted_at.map(|at| {
                    format!(
                        "/staff/reception?{filters}{}after={}",
                        if filters.is_empty() { "" } else { "&" },
                        paths::time_cursor(at, i.id)
                    )
                })
            })
            .unwrap_or_default()
    })
}

/// One dossier of the queue, with the time it must be accepted or returned by.
fn queue_row(
    i: &repo::QueueItem,
    calendar: &Calendar,
    acknowledge_hours: u32,
    now: chrono::DateTime<chrono::Utc>,
    lang: Lang,
) -> QueueRow {
    let by = i
        .submitted_at
        .map(|at| to_utc(calendar.add_working_hours(to_local(at), acknowledge_hours)));
    QueueRow {
        url: crate::web::paths::staff_dossier(i.id),
        code: i.code.clone().unwrap_or_default(),
        procedure: lang.pick(&i.procedure_vi, &i.procedure_en).to_owned(),
        applicant: i.applicant_name.clone(),
        channel: lang
            .t(super::channel_key(i.intake_channel, &i.source_system))
            .into_owned(),
        submitted: i.submitted_at.map(format_local).unwrap_or_default(),
        acknowledge_by: by.map(format_local).unwrap_or_default(),
        overdue: i.intake_channel == 2 && by.is_some_and(|b| b < now),
        announced: i.announced_at.map(format_local),
    }
}

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
    let now = app.clock.now();
    // the working hours within which an online dossier is accepted or returned (Decree 118
    // Art. 17(2): 8), dated data
    let rules = crate::processing::repo::clock_rules(&mut conn, None, to_local(now).date()).await?;
    let acknowledge_hours = u32::try_from(rules.online_acknowledge_hours).unwrap_or(8);
    // Decree 118 Art. 17(2): the official is alerted when an online dossier has waited this long
    let alert_before = now - chrono::Duration::hours(i64::from(rules.online_alert_hours));
    let overdue_before = to_utc(calendar.sub_working_time(
        to_local(now),
        chrono::Duration::hours(i64::from(acknowledge_hours)),
    ));
    let filter = repo::QueueFilter {
        channel: query.channel.parse().ok().filter(|c| matches!(c, 1..=3)),
        procedure_code: Some(query.procedure.trim().to_owned()).filter(|p| !p.is_empty()),
        supplements: query.status == "supplement_requested",
        received_before: query.overdue.is_some().then_some(overdue_before),
    };
    let mut items = repo::queue(&mut conn, &agencies, &filter, after, PAGE + 1).await?;
    let (alerts, waiting_late, decided_late, decided) =
        repo::breaches(&mut conn, &agencies, overdue_before, alert_before).await?;
    drop(conn);
    let next_url = next_page(&mut items, &query.filters());
    let rows = items
        .iter()
        .map(|i| queue_row(i, &calendar, acknowledge_hours, now, lang))
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
        channel: query.channel.clone(),
        procedure: query.procedure.trim().to_owned(),
        status: query.status.clone(),
        overdue: query.overdue.is_some(),
        waiting_late,
        decided_late,
        decided,
        alerts,
        alert_hours: rules.online_alert_hours,
    })
}

#[derive(Deserialize)]
pub struct ReceptionForm {
    #[serde(default)]
    expected: String,
    #[serde(default)]
    reason: String,
    #[serde(flatten)]
    extra: std::collections::HashMap<String, String>,
}

/// Accept, return for completion or refuse: the back office's shared path.
async fn decide(
    desk: Desk<'_>,
    id: Uuid,
    form: ReceptionForm,
    action: Action,
) -> AppResult<Response> {
    let form = ActForm {
        expected: form.expected,
        action: action.as_str().to_owned(),
        reason: form.reason,
        extra: form.extra,
        ..ActForm::default()
    };
    perform(desk, id, &form, action).await
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
    decide(desk, id, form, Action::Accept).await
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
    decide(desk, id, form, Action::ReturnForCompletion).await
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
    decide(desk, id, form, Action::RefuseAtReception).await
}

/// `GET /staff/dossiers/{id}/form-01.pdf`: the receipt and appointment slip, to print.
pub async fn form01(
    State(app): State<AppState>,
    staff: CurrentStaff,
    session: Session,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    crate::processing::service::scoped(&app, &staff, id).await?;
    let mut form =
        crate::dossiers::forms::form01_data(&app.db, &app.settings.public_origin, id).await?;
    // filed at this counter in this session: the applicant's copy carries the lookup PIN,
    // which the session forgets once it is printed
    let key = crate::reception::pin_key(id);
    form.pin = session.get::<String>(&key).await.ok().flatten();
    let printed = crate::dossiers::forms::form01_pdf(form).await?;
    let _ = session.remove::<String>(&key).await;
    Ok(printed)
}
