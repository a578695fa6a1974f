//! The two transports by which the national side hands over its dossiers, one chosen per
//! deployment (`dvcqg_intake`): it pushes each, signed, to `POST /api/v1/dvcqg/dossiers`
//! ([`push`]), or the portal pulls the list and acknowledges each dossier once stored
//! ([`pull_once`]). Both hand the dossier to [`super::intake::receive`].

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::intake::{Outcome, ReceiveError, receive};
use super::sync::{DeliveryError, NationalClient};
use super::tt04_2025 as wire;
use crate::AppState;

/// The largest pushed body read (a dossier with its attachments in base64); a longer one is
/// refused before it is read whole.
pub const PUSH_BODY_LIMIT: usize = 64 * 1024 * 1024;
/// How far a push's timestamp may be from this machine's clock.
pub const REPLAY_WINDOW_SECONDS: i64 = 300;
/// Pushed bodies read at once (each up to [`PUSH_BODY_LIMIT`]); the others wait their turn.
static PUSHES: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(8);
/// How long a push waits for its dossier to be taken before answering 202 (the request's own
/// time-out is 30 s).
const PUSH_WAIT: std::time::Duration = std::time::Duration::from_secs(20);

/// The signature of a push: `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    crate::kernel::signature::sign(secret, &signed_text(timestamp, body))
}

fn signed_text(timestamp: i64, body: &[u8]) -> Vec<u8> {
    let mut text = format!("{timestamp}.").into_bytes();
    text.extend_from_slice(body);
    text
}

/// The answer to a pushed dossier (documentation of the JSON the push returns).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct IntakeAnswer {
    pub accepted: bool,
    /// the national code, when the dossier was read
    #[serde(rename = "MaHoSo", skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// `received`, `incomplete`, `problem` or `processing`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// on a refusal: `unauthorized`, `malformed`, `conflict`, `too_large`, `not_taken`, `not_configured`, `retry`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// the field at fault (malformed)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

fn refusal(status: StatusCode, code: &str, message: &str, field: Option<&str>) -> Response {
    let mut body = json!({ "accepted": false, "error": code, "message": message });
    if let Some(field) = field {
        body["field"] = json!(field);
    }
    (status, Json(body)).into_response()
}

/// `POST /api/v1/dvcqg/dossiers`: a dossier pushed by the national side. Never anonymous: the
/// headers `X-DVCQG-Timestamp` (Unix seconds, within 5 minutes) and `X-DVCQG-Signature` must
/// sign the body with `dvcqg_push_secret`; a replay inside the window is the same dossier
/// again, which changes nothing. 401 unsigned or stale, 413 too large (refused from its
/// declared length, or cut off at the limit while reading), 422 malformed (naming the field)
/// or for a procedure or agency this portal does not know (kept for an administrator), 409 the
/// same code with other content; 200 `{accepted, MaHoSo, status}` otherwise. Every refusal is
/// logged with the body's SHA-256.
#[utoipa::path(post, path = "/api/v1/dvcqg/dossiers", tag = "national",
    summary = "A dossier filed on the national portal, pushed here",
    request_body = super::tt04_2025::InboundDossier,
    security(("dvcqg_signature" = [])),
    responses(
        (status = 200, description = "Taken: it waits at reception", body = IntakeAnswer),
        (status = 202, description = "Stored; an attachment could not be fetched yet and is retried (or another delivery is being processed)", body = IntakeAnswer),
        (status = 401, description = "Unsigned, a bad signature, or a timestamp outside 5 minutes", body = IntakeAnswer),
        (status = 404, description = "This portal takes national dossiers by pull", body = IntakeAnswer),
        (status = 409, description = "This dossier code came before with other content", body = IntakeAnswer),
        (status = 413, description = "Larger than 64 MiB", body = IntakeAnswer),
        (status = 422, description = "Malformed (the field is named), or not taken: an unknown procedure or agency, a file that is not a paper", body = IntakeAnswer),
    ))]
pub async fn push(
    State(app): State<AppState>,
    crate::web::client::ClientIp(ip): crate::web::client::ClientIp,
    headers: HeaderMap,
    request_body: axum::body::Body,
) -> Response {
    // a refusal before the body is read logs the hash of nothing: it was never read
    let log = |reason: &'static str, body: axum::body::Bytes| {
        let db = app.db.clone();
        async move {
            if let Ok(mut conn) = db.acquire().await {
                let _ = crate::audit::refused(&mut conn, "dvcqg_intake", reason, ip, &body).await;
            }
        }
    };
    let unauthorized =
        |message: &str| refusal(StatusCode::UNAUTHORIZED, "unauthorized", message, None);
    if app.settings.dvcqg_intake != "push" {
        log("push_not_configured", Default::default()).await;
        return refusal(
            StatusCode::NOT_FOUND,
            "not_configured",
            "this portal takes national dossiers by pull",
            None,
        );
    }
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    // what can be checked without the body is checked first: nobody without the headers
    // makes this server read anything
    let signature = header("x-dvcqg-signature");
    let Ok(timestamp) = header("x-dvcqg-timestamp").parse::<i64>() else {
        log("unsigned", Default::default()).await;
        return unauthorized("signature required");
    };
    if !signature.starts_with("sha256=") {
        log("unsigned", Default::default()).await;
        return unauthorized("signature required");
    }
    if (chrono::Utc::now().timestamp() - timestamp).abs() > REPLAY_WINDOW_SECONDS {
        log("stale_timestamp", Default::default()).await;
        return unauthorized("timestamp outside 5 minutes");
    }
    // a few bodies in memory at once, whatever the callers send
    let Ok(_permit) = PUSHES.acquire().await else {
        return refusal(
            StatusCode::SERVICE_UNAVAILABLE,
            "retry",
            "try again later",
            None,
        );
    };
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    // refused from its declared length, or cut off at the limit while reading
    let read = match declared {
        Some(n) if n > PUSH_BODY_LIMIT as u64 => None,
        _ => axum::body::to_bytes(request_body, PUSH_BODY_LIMIT)
            .await
            .ok(),
    };
    let Some(body) = read else {
        log("too_large", Default::default()).await;
        return refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            &format!("at most {} MiB", PUSH_BODY_LIMIT / 1024 / 1024),
            None,
        );
    };
    if !crate::kernel::signature::verify(
        &app.settings.dvcqg_push_secret,
        &signed_text(timestamp, &body),
        &signature,
    ) {
        log("bad_signature", body).await;
        return unauthorized("bad signature");
    }
    // taken in its own task: a caller that hangs up, or the request's time-out, does not stop
    // it half-way (files stored, dossier not written); a slow one is answered 202 meanwhile
    let task = {
        let (app, body) = (app.clone(), body.clone());
        tokio::spawn(async move { receive(&app, "push", &body).await })
    };
    let received = match tokio::time::timeout(PUSH_WAIT, task).await {
        Ok(Ok(received)) => received,
        Ok(Err(e)) => Err(ReceiveError::Internal(e.into())),
        Err(_) => {
            return (
                StatusCode::ACCEPTED,
                Json(json!({ "accepted": true, "status": Outcome::InProgress.name() })),
            )
                .into_response();
        }
    };
    match received {
        Ok((d, outcome)) => {
            if matches!(outcome, Outcome::Problem(_)) {
                log("intake_problem", body).await;
            }
            answer(&d.code, &outcome)
        }
        Err(ReceiveError::Malformed(e)) => {
            log("malformed", body).await;
            refusal(
                StatusCode::UNPROCESSABLE_ENTITY,
                "malformed",
                &format!("{}: {}", e.field, e.message),
                Some(&e.field),
            )
        }
        Err(ReceiveError::Conflict) => {
            log("conflict", body).await;
            refusal(
                StatusCode::CONFLICT,
                "conflict",
                "this dossier code came before with other content",
                Some("MaHoSo"),
            )
        }
        Err(ReceiveError::Internal(e)) => {
            tracing::error!(error = format!("{e:#}"), "national intake failed");
            refusal(
                StatusCode::SERVICE_UNAVAILABLE,
                "retry",
                "try again later",
                None,
            )
        }
    }
}

fn answer(code: &str, outcome: &Outcome) -> Response {
    let mut body = json!({ "accepted": true, "MaHoSo": code, "status": outcome.name() });
    match outcome {
        Outcome::Problem(reason) => {
            body["accepted"] = json!(false);
            body["error"] = json!("not_taken");
            body["message"] = json!(reason);
            (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
        }
        Outcome::Incomplete(reason) => {
            body["message"] = json!(reason);
            (StatusCode::ACCEPTED, Json(body)).into_response()
        }
        Outcome::InProgress => (StatusCode::ACCEPTED, Json(body)).into_response(),
        Outcome::Received(_) => (StatusCode::OK, Json(body)).into_response(),
    }
}

// ---- pull ----

/// What one pull pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pulled {
    pub taken: u64,
    pub refused: u64,
    /// listed, but the national side refused its detail or its acknowledgement
    pub skipped: u64,
}

/// Asks the national side for the dossiers waiting for this province, takes each into the
/// inbox, and acknowledges it only after the inbox row committed (a crash in between
/// delivers it again, which changes nothing). A dossier that cannot be taken is acknowledged
/// as not taken, with the reason.
pub async fn pull_once(app: &AppState, client: &NationalClient) -> anyhow::Result<Pulled> {
    let mut pulled = Pulled::default();
    let list = client
        .fetch(wire::SERVICE_PULL_LIST, &json!({}))
        .await
        .map_err(delivery_error)?;
    let codes: Vec<String> = list
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i.get("MaHoSo").and_then(Value::as_str).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    for code in codes {
        // one dossier the national side will not give (or take an answer for) does not hold
        // up the others; a transport failure ends the pass
        let detail = match client
            .fetch(wire::SERVICE_PULL_DETAIL, &json!({ "MaHoSo": code }))
            .await
        {
            Ok(detail) => detail,
            Err(DeliveryError::Refused(message, _)) => {
                tracing::warn!(code = %code, message = %message, "national pull: detail refused");
                pulled.skipped += 1;
                continue;
            }
            Err(e) => return Err(delivery_error(e)),
        };
        let body = serde_json::to_vec(&detail)?;
        let (taken, reason) = match receive(app, "pull", &body).await {
            Ok((_, Outcome::Problem(reason))) => (false, reason),
            Ok(_) => (true, String::new()),
            Err(ReceiveError::Malformed(e)) => {
                let mut conn = app.db.acquire().await?;
                crate::audit::refused(&mut conn, "dvcqg_intake", "malformed", None, &body).await?;
                (false, format!("{}: {}", e.field, e.message))
            }
            Err(ReceiveError::Conflict) => {
                let mut conn = app.db.acquire().await?;
                crate::audit::refused(&mut conn, "dvcqg_intake", "conflict", None, &body).await?;
                (false, "MaHoSo: đã nhận với nội dung khác".to_owned())
            }
            Err(ReceiveError::Internal(e)) => return Err(e),
        };
        match client
            .fetch(
                wire::SERVICE_PULL_ACK,
                &json!({ "MaHoSo": code, "DaNhan": wire::flag(taken), "LyDo": reason }),
            )
            .await
        {
            Ok(_) => {}
            Err(DeliveryError::Refused(message, _)) => {
                // stored here all the same; listed again, it is the same dossier again
                tracing::warn!(code = %code, message = %message, "national pull: acknowledgement refused");
                pulled.skipped += 1;
                continue;
            }
            Err(e) => return Err(delivery_error(e)),
        }
        sqlx::query("update national_inbox set acked_at = now() where national_code = $1")
            .bind(&code)
            .execute(&app.db)
            .await?;
        if taken {
            pulled.taken += 1;
        } else {
            pulled.refused += 1;
        }
    }
    Ok(pulled)
}

fn delivery_error(e: DeliveryError) -> anyhow::Error {
    match e {
        DeliveryError::Temporary(m) => anyhow::anyhow!("national pull: {m}"),
        DeliveryError::Refused(m, _) => anyhow::anyhow!("national pull refused: {m}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_push_is_signed_over_its_timestamp_and_body() {
        let s = sign("secret", 1_800_000_000, b"{}");
        assert!(crate::kernel::signature::verify(
            "secret",
            b"1800000000.{}",
            &s
        ));
        assert_ne!(s, sign("secret", 1_800_000_001, b"{}"));
        assert_ne!(s, sign("other", 1_800_000_000, b"{}"));
    }
}
