//! `POST /api/v1/postal/events`: a postal operator's system reports pick-ups, hand-overs,
//! deliveries and failures instead of postal staff clicking. The body is JSON; the header
//! `X-Postal-Signature: sha256=<hex>` is the HMAC-SHA256 of the raw body with the shared secret
//! (`postal_webhook_secret`); the body's `timestamp` (Unix seconds) must be within 5 minutes;
//! each `event_id` takes effect once (a replay is refused with 409 and changes nothing). Every
//! refusal is logged in `postal_refusals`, except a bad signature (anybody can send one): that
//! is counted in `refused_requests`, never a row per request.
//!
//! ```json
//! {"event_id": "op-1", "timestamp": 1795900000, "type": "collected",
//!  "dossier_code": "000.00.71.H48-261129-0001", "tracking_number": "EB123456785VN", "fee_vnd": 0}
//! {"event_id": "op-2", "timestamp": 1795900100, "type": "delivered",
//!  "tracking_number": "EB100000019VN", "recipient": "person"}
//! ```
//! Types: `collected`, `handed_over` (pick-ups handed to the unit: a manifest for it to sign
//! off), `delivered` (`recipient`: "person" or "relative" with `relative_id`), `failed` and
//! `returned` (with `reason`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::service::{self, Attempt, By, Refused, StepError};
use crate::AppState;
use crate::kernel::signature::verify;

/// One event of the postal operator's system.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct Event {
    /// unique per event: a second delivery of the same id is refused (409)
    event_id: String,
    /// Unix seconds, within 5 minutes of this server's clock
    timestamp: i64,
    /// `collected`, `handed_over`, `delivered`, `failed` or `returned`
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    dossier_code: String,
    #[serde(default)]
    tracking_number: String,
    #[serde(default)]
    fee_vnd: i64,
    #[serde(default)]
    recipient: String,
    #[serde(default)]
    relative_id: String,
    #[serde(default)]
    reason: String,
    /// Collected: the documents the citizen handed over.
    #[serde(default)]
    documents: Vec<String>,
}

/// The answer to an event: `result` is `ok` or `refused`.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct EventAnswer {
    pub result: String,
    pub message: String,
}

fn answer(status: StatusCode, result: &str, message: &str) -> Response {
    (status, Json(json!({"result": result, "message": message}))).into_response()
}

#[utoipa::path(post, path = "/api/v1/postal/events", tag = "post",
    summary = "The postal operator reports a pick-up, hand-over, delivery or failure",
    request_body = Event,
    security(("postal_signature" = [])),
    responses(
        (status = 200, description = "Taken", body = EventAnswer),
        (status = 400, description = "Not JSON, or the timestamp is outside 5 minutes", body = EventAnswer),
        (status = 401, description = "The signature does not match", body = EventAnswer),
        (status = 409, description = "This event_id was taken before, or the step does not fit the item's state", body = EventAnswer),
        (status = 422, description = "An unknown type, dossier or tracking number", body = EventAnswer),
    ))]
pub async fn events(
    State(app): State<AppState>,
    crate::web::client::ClientIp(ip): crate::web::client::ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let signature = headers
        .get("x-postal-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let refused = |reason: &'static str| {
        let db = app.db.clone();
        let snippet = String::from_utf8_lossy(&body[..body.len().min(500)]).into_owned();
        async move {
            if let Ok(mut conn) = db.acquire().await {
                let _ =
                    service::refusal(&mut conn, "webhook", reason, json!({"body": snippet})).await;
            }
            tracing::warn!(reason, "postal webhook refused");
        }
    };
    if !verify(&app.settings.postal_webhook_secret, &body, signature) {
        // not the operator: counted, never a row per request
        if let Ok(mut conn) = app.db.acquire().await {
            let _ = crate::audit::refused(&mut conn, "postal_webhook", "bad_signature", ip, &body)
                .await;
        }
        return answer(StatusCode::UNAUTHORIZED, "refused", "bad signature");
    }
    let Ok(event) = serde_json::from_slice::<Event>(&body) else {
        refused("bad_body").await;
        return answer(StatusCode::BAD_REQUEST, "refused", "bad body");
    };
    let now = chrono::Utc::now().timestamp();
    if (now - event.timestamp).abs() > 300 {
        refused("old_timestamp").await;
        return answer(
            StatusCode::BAD_REQUEST,
            "refused",
            "timestamp outside 5 minutes",
        );
    }
    match apply(&app, &event).await {
        Ok(()) => answer(StatusCode::OK, "accepted", ""),
        Err(StepError::Refused(Refused::Status)) if already(&app, &event.event_id).await => {
            refused("replayed_event").await;
            answer(StatusCode::CONFLICT, "refused", "event already applied")
        }
        Err(StepError::Refused(r)) => {
            refused(r.key()).await;
            answer(StatusCode::UNPROCESSABLE_ENTITY, "refused", r.key())
        }
        Err(StepError::Database(sqlx::Error::Database(e))) if e.is_unique_violation() => {
            refused("replayed_event").await;
            answer(StatusCode::CONFLICT, "refused", "event already applied")
        }
        Err(StepError::Database(e)) => {
            tracing::error!(error = %e, "postal webhook failed");
            answer(StatusCode::INTERNAL_SERVER_ERROR, "error", "")
        }
    }
}

async fn already(app: &AppState, event_id: &str) -> bool {
    sqlx::query_scalar::<_, bool>(
        "select exists (select 1 from postal_events where external_id = $1)",
    )
    .bind(event_id)
    .fetch_one(&app.db)
    .await
    .unwrap_or(false)
}

async fn item_by_number(conn: &mut sqlx::PgConnection, number: &str) -> Result<Uuid, StepError> {
    let number =
        super::s10::parse(number).map_err(|_| StepError::Refused(Refused::TrackingShape))?;
    sqlx::query_scalar("select id from postal_items where tracking_number = $1")
        .bind(number)
        .fetch_optional(conn)
        .await?
        .ok_or(StepError::Refused(Refused::NotFound))
}

async fn apply(app: &AppState, e: &Event) -> Result<(), StepError> {
    if already(app, &e.event_id).await {
        return Err(StepError::Refused(Refused::Status));
    }
    let mut tx = app.db.begin().await?;
    let id = Some(e.event_id.as_str());
    match e.kind.as_str() {
        "collected" => {
            let item: Uuid = sqlx::query_scalar(
                "select p.id from postal_items p join dossiers d on d.id = p.dossier_id \
                 where d.code = $1 and p.direction = 'pickup' order by p.created_at desc limit 1",
            )
            .bind(&e.dossier_code)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StepError::Refused(Refused::NotFound))?;
            service::collect(
                &mut tx,
                item,
                None,
                Some(&e.tracking_number),
                e.fee_vnd,
                &e.documents,
                By::Webhook,
                id,
            )
            .await?;
        }
        "handed_over" => {
            let item = item_by_number(&mut tx, &e.tracking_number).await?;
            let (office, unit): (Uuid, Option<Uuid>) = sqlx::query_as(
                "select p.post_office_id, d.receiving_agency_id from postal_items p \
                 join dossiers d on d.id = p.dossier_id where p.id = $1",
            )
            .bind(item)
            .fetch_one(&mut *tx)
            .await?;
            let unit = unit.ok_or(StepError::Refused(Refused::NotFound))?;
            service::manifest_to_unit(&mut tx, office, unit, &[item], By::Webhook).await?;
            sqlx::query("update postal_events set external_id = $2 where id = (select max(id) from postal_events where item_id = $1)")
                .bind(item)
                .bind(&e.event_id)
                .execute(&mut *tx)
                .await?;
        }
        "delivered" | "failed" | "returned" => {
            let item = item_by_number(&mut tx, &e.tracking_number).await?;
            let outcome = match e.kind.as_str() {
                "delivered" => Attempt::Delivered {
                    recipient: if e.recipient == "relative" {
                        "relative".into()
                    } else {
                        "person".into()
                    },
                    relative_id: Some(e.relative_id.clone()).filter(|r| !r.is_empty()),
                },
                "failed" => Attempt::Failed {
                    reason: e.reason.clone(),
                },
                _ => Attempt::Returned {
                    reason: e.reason.clone(),
                },
            };
            service::attempt(&mut tx, item, None, &outcome, By::Webhook, id).await?;
        }
        _ => return Err(StepError::Refused(Refused::Status)),
    }
    tx.commit().await?;
    Ok(())
}
