//! "Đồng bộ Cổng DVCQG", for system administrators: the backlog of changes the nation has not
//! heard yet, how long changes took to arrive (p50 and p99 over the last hour and day), the
//! dossiers the national side refused with its answer, and a resend button.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;
use tower_sessions::Session;
use uuid::Uuid;

use super::record::backlog;
use super::views::{IntakeRow, NationalSyncPage, RefusedRow, RetryingRow};
use crate::AppState;
use crate::accounts::CurrentStaff;
use crate::accounts::domain::StaffRole;
use crate::accounts::guard::staff_layout;
use crate::audit::{self, Actor};
use crate::kernel::time::format_local as local;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, flash};

/// Seconds from a change being written to its delivery, over the last hour and the last day.
#[derive(Debug, Default, sqlx::FromRow)]
pub struct Lag {
    pub hour_p50: Option<f64>,
    pub hour_p99: Option<f64>,
    pub hour_n: i64,
    pub day_p50: Option<f64>,
    pub day_p99: Option<f64>,
    pub day_n: i64,
}

/// Both periods in one pass over the last day's deliveries.
pub async fn lag(db: &PgPool) -> Result<Lag, sqlx::Error> {
    sqlx::query_as(
        "with d as (select extract(epoch from delivered_at - created_at)::float8 as s, \
                      delivered_at > now() - interval '1 hour' as in_hour \
                    from national_sync_outbox where delivered_at > now() - interval '1 day') \
         select percentile_cont(0.5) within group (order by s) filter (where in_hour) as hour_p50, \
           percentile_cont(0.99) within group (order by s) filter (where in_hour) as hour_p99, \
           count(*) filter (where in_hour) as hour_n, \
           percentile_cont(0.5) within group (order by s) as day_p50, \
           percentile_cont(0.99) within group (order by s) as day_p99, \
           count(*) as day_n \
         from d",
    )
    .fetch_one(db)
    .await
}

#[derive(sqlx::FromRow)]
struct Refused {
    dossier_id: Uuid,
    code: Option<String>,
    failed_at: DateTime<Utc>,
    last_error: Option<String>,
    last_answer: Option<serde_json::Value>,
}

#[derive(sqlx::FromRow)]
struct Inbox {
    id: Uuid,
    national_code: String,
    procedure_code: String,
    agency_code: String,
    status: String,
    reason: Option<String>,
    received_at: DateTime<Utc>,
    attempts: i32,
    next_attempt_at: DateTime<Utc>,
    payload: serde_json::Value,
}

/// The payload as kept (files' contents replaced by their size), for an administrator to read.
fn shown_payload(payload: &serde_json::Value) -> String {
    serde_json::to_string_pretty(payload).unwrap_or_default()
}

#[derive(sqlx::FromRow)]
struct Retrying {
    code: Option<String>,
    attempts: i32,
    next_attempt_at: DateTime<Utc>,
    last_error: Option<String>,
}

fn seconds(s: Option<f64>) -> String {
    s.map_or_else(|| "—".to_owned(), |s| format!("{s:.1}"))
}

/// `GET /admin/dvcqg`.
pub async fn page(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
) -> AppResult<NationalSyncPage> {
    staff.require(StaffRole::SystemAdmin)?;
    let backlog = backlog(&app.db).await?;
    let lag = lag(&app.db).await?;
    let refused: Vec<Refused> = sqlx::query_as(
        "select s.dossier_id, d.code, s.failed_at, s.last_error, s.last_answer \
         from national_sync_state s join dossiers d on d.id = s.dossier_id \
         where s.failed_at is not null order by s.failed_at desc, s.dossier_id limit 50",
    )
    .fetch_all(&app.db)
    .await?;
    let retrying: Vec<Retrying> = sqlx::query_as(
        "select d.code, s.attempts, s.next_attempt_at, s.last_error \
         from national_sync_state s join dossiers d on d.id = s.dossier_id \
         where s.pending_since is not null and s.failed_at is null and s.attempts > 0 \
         order by s.pending_since limit 50",
    )
    .fetch_all(&app.db)
    .await?;
    // the files' contents stay in the database: the page shows their size
    let intake: Vec<Inbox> = sqlx::query_as(concat!(
        "select id, national_code, procedure_code, agency_code, status, reason, received_at, \
           attempts, next_attempt_at, ",
        super::intake::stripped_payload!(),
        " as payload from national_inbox \
         where status in ('incomplete', 'problem') order by received_at desc, id limit 50"
    ))
    .fetch_all(&app.db)
    .await?;
    let (evaluations_waiting, evaluations_refused): (i64, i64) = sqlx::query_as(
        "select count(*) filter (where failed_at is null), count(*) filter (where failed_at is not null) \
         from national_evaluation_outbox where delivered_at is null",
    )
    .fetch_one(&app.db)
    .await?;
    let now = Utc::now();
    Ok(NationalSyncPage {
        evaluations_waiting,
        evaluations_refused,
        intake_transport: app.settings.dvcqg_intake.clone(),
        intake: intake
            .into_iter()
            .map(|r| IntakeRow {
                id: r.id.to_string(),
                problem: r.status == "problem",
                next: if r.status == "problem" {
                    String::new()
                } else {
                    local(r.next_attempt_at)
                },
                code: r.national_code,
                procedure: r.procedure_code,
                agency: r.agency_code,
                reason: r.reason.unwrap_or_default(),
                received: local(r.received_at),
                attempts: r.attempts,
                payload: shown_payload(&r.payload),
            })
            .collect(),
        layout: staff_layout(lang, "dvcqg.title", "/admin/dvcqg", &session, &staff).await?,
        endpoint: app.settings.dvcqg_url.clone(),
        late: backlog.late(now),
        oldest_minutes: backlog
            .oldest
            .map(|o| (now - o).num_minutes().max(0))
            .unwrap_or(0),
        dossiers: backlog.dossiers,
        changes: backlog.changes,
        hour: (seconds(lag.hour_p50), seconds(lag.hour_p99), lag.hour_n),
        day: (seconds(lag.day_p50), seconds(lag.day_p99), lag.day_n),
        refused: refused
            .into_iter()
            .map(|r| RefusedRow {
                id: r.dossier_id.to_string(),
                code: r.code.unwrap_or_default(),
                at: local(r.failed_at),
                error: r.last_error.unwrap_or_default(),
                answer: r.last_answer.map(|a| a.to_string()).unwrap_or_default(),
            })
            .collect(),
        retrying: retrying
            .into_iter()
            .map(|r| RetryingRow {
                code: r.code.unwrap_or_default(),
                attempts: r.attempts,
                next: local(r.next_attempt_at),
                error: r.last_error.unwrap_or_default(),
            })
            .collect(),
    })
}

/// `POST /admin/dvcqg/{dossier}/resend`: a refused dossier is sent again from its current
/// record.
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
        "update national_sync_state set failed_at = null, attempts = 0, next_attempt_at = now(), \
           pending_since = coalesce(pending_since, now()) \
         where dossier_id = $1 and failed_at is not null",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    let code: Option<String> = sqlx::query_scalar("select code from dossiers where id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        Actor::Staff(staff.id),
        "dvcqg.resend",
        code.as_deref(),
        ip,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    flash::set(&session, lang.t("dvcqg.resent")).await;
    Ok(Redirect::to("/admin/dvcqg").into_response())
}

/// `POST /admin/dvcqg/intake/{id}/retry`: a national dossier not taken is tried again at once
/// (after the procedure or the agency was added, or the national host is back).
pub async fn retry_intake(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    staff.require(StaffRole::SystemAdmin)?;
    let outcome = super::intake::retry(&app, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let code: String = sqlx::query_scalar("select national_code from national_inbox where id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await?;
    let mut conn = app.db.acquire().await?;
    audit::record(
        &mut conn,
        Actor::Staff(staff.id),
        "dvcqg.intake_retry",
        Some(&code),
        ip,
        json!({ "outcome": outcome.name() }),
    )
    .await?;
    let key = match outcome {
        super::intake::Outcome::Received(_) => "dvcqg.intake_taken",
        _ => "dvcqg.intake_still",
    };
    flash::set(&session, lang.t(key)).await;
    Ok(Redirect::to("/admin/dvcqg").into_response())
}
