//! Rating at the counter (Decree 118/2025 Art. 31(b)): a tablet facing the citizen at an
//! official's counter opens the official's signed link (`/danh-gia/quay/{token}`, shown on the
//! official's home page). When the official serves an ended dossier they invite the citizen to
//! rate it; the tablet — which refreshes itself while it waits — shows the procedure (no
//! personal data) and two large buttons, and the rating is the dossier's evaluation through
//! the counter. An invitation older than 15 minutes lapses.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;
use uuid::Uuid;

use crate::AppState;
use crate::accounts::CurrentStaff;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, Layout, flash};

fn staff_of(secret: &str, token: &str) -> Option<Uuid> {
    crate::kernel::signature::id_of_token(secret, "counter", token)
}

#[derive(Template, WebTemplate)]
#[template(path = "evaluations/tablet.html")]
pub struct TabletPage {
    pub layout: Layout,
    pub action: String,
    /// The procedure of the dossier to rate; None: waiting.
    pub procedure: Option<String>,
}

/// The dossier the official invited a rating of, still waiting: (id, procedure vi, en).
async fn invited(app: &AppState, staff: Uuid) -> AppResult<Option<(Uuid, String, String)>> {
    Ok(sqlx::query_as(
        "select d.id, v.name_vi, v.name_en from counter_rating_requests r \
         join dossiers d on d.id = r.dossier_id \
         join procedure_versions v on v.id = d.procedure_version_id \
         where r.staff_id = $1 and r.requested_at > now() - interval '15 minutes'",
    )
    .bind(staff)
    .fetch_optional(&app.db)
    .await?)
}

/// `GET /danh-gia/quay/{token}`: the tablet.
pub async fn tablet(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    Path(token): Path<String>,
) -> AppResult<TabletPage> {
    let staff = staff_of(&app.settings.national_link_secret, &token).ok_or(AppError::NotFound)?;
    let action = format!("/danh-gia/quay/{token}");
    let procedure = invited(&app, staff)
        .await?
        .map(|(_, vi, en)| lang.pick(&vi, &en).to_owned());
    Ok(TabletPage {
        layout: Layout::for_session(lang, lang.t("evaluation.tablet_title"), &action, &session)
            .await?,
        action,
        procedure,
    })
}

#[derive(Deserialize)]
pub struct TabletForm {
    #[serde(default)]
    overall: String,
}

/// `POST /danh-gia/quay/{token}`: the citizen's answer on the tablet.
pub async fn rate(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
    Form(form): Form<TabletForm>,
) -> AppResult<Response> {
    let staff = staff_of(&app.settings.national_link_secret, &token).ok_or(AppError::NotFound)?;
    let action = format!("/danh-gia/quay/{token}");
    let satisfied = match form.overall.as_str() {
        "satisfied" => true,
        "not_satisfied" => false,
        _ => return Ok(Redirect::to(&action).into_response()),
    };
    let Some((dossier, ..)) = invited(&app, staff).await? else {
        return Ok(Redirect::to(&action).into_response());
    };
    let evaluation = super::Evaluation {
        satisfied,
        answers: Default::default(),
        comment: String::new(),
    };
    let mut tx = app.db.begin().await?;
    // the invitation is taken once: a second tap rates nothing more
    let taken =
        sqlx::query("delete from counter_rating_requests where staff_id = $1 and dossier_id = $2")
            .bind(staff)
            .bind(dossier)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if taken == 1
        && super::save(
            &mut tx,
            dossier,
            &evaluation,
            "counter",
            app.settings.evaluation_change_days,
        )
        .await?
    {
        crate::audit::record(
            &mut tx,
            crate::audit::Actor::Anonymous,
            "dossier.evaluated",
            None,
            ip,
            json!({"dossier": dossier, "satisfied": satisfied, "channel": "counter"}),
        )
        .await?;
    }
    tx.commit().await?;
    flash::set(&session, lang.t("evaluation.thanks")).await;
    Ok(Redirect::to(&action).into_response())
}

/// `POST /staff/dossiers/{id}/invite-rating`: the official invites the citizen at the counter
/// to rate this ended dossier on the tablet.
pub async fn invite(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let d = crate::processing::service::scoped(&app, &staff, id).await?;
    if !super::ended(d.status) {
        return Err(AppError::Conflict);
    }
    sqlx::query(
        "insert into counter_rating_requests (staff_id, dossier_id) values ($1, $2) \
         on conflict (staff_id) do update set dossier_id = excluded.dossier_id, requested_at = now()",
    )
    .bind(staff.id)
    .bind(id)
    .execute(&app.db)
    .await?;
    flash::set(&session, lang.t("evaluation.invited")).await;
    Ok(Redirect::to(&format!("/staff/dossiers/{id}")).into_response())
}
