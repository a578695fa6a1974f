//! `GET /api/v1/payments/vnpay/ipn`: the gateway's server-to-server notification — the only
//! message that changes a payment (with reconciliation). Checked in the protocol's order:
//! source address, checksum (97), order (01), amount (04), already confirmed (02). Every
//! message from the gateway is logged (`payment_events`); one refused before it proved itself
//! (address, checksum) is counted in `refused_requests`, so that a flood writes no rows.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::gateway::GatewayResult;
use super::service;
use super::vnpay::IpnReply;
use crate::AppState;
use crate::audit;
use crate::web::client::ClientIp;

fn allowed(app: &AppState, ip: Option<std::net::IpAddr>) -> bool {
    ip.is_some_and(|ip| {
        app.settings
            .vnpay_ipn_allowed
            .iter()
            .any(|a| a.parse::<std::net::IpAddr>().is_ok_and(|a| a == ip))
    })
}

/// The parameters as one text, for the hash of a refused message.
fn canonical(params: &BTreeMap<String, String>) -> Vec<u8> {
    serde_urlencoded::to_string(params)
        .unwrap_or_default()
        .into_bytes()
}

/// What the log keeps of the parameters (no hash, nothing secret).
fn logged(params: &BTreeMap<String, String>) -> serde_json::Value {
    json!(
        params
            .iter()
            .filter(|(k, _)| k.as_str() != "vnp_SecureHash")
            .collect::<BTreeMap<_, _>>()
    )
}

/// `GET /api/v1/payments/vnpay/ipn`: the gateway confirms a payment (its Instant Payment
/// Notification), signed with the merchant's secret.
#[utoipa::path(get, path = "/api/v1/payments/vnpay/ipn", tag = "payments",
    summary = "VNPay's payment notification (IPN)",
    params(
        ("vnp_TxnRef" = String, Query, description = "The payment attempt's reference"),
        ("vnp_Amount" = String, Query, description = "The amount in VND × 100"),
        ("vnp_ResponseCode" = String, Query, description = "00: paid"),
        ("vnp_TransactionStatus" = String, Query, description = "00: paid"),
        ("vnp_TransactionNo" = Option<String>, Query, description = "The gateway's transaction number"),
        ("vnp_SecureHash" = String, Query, description = "HMAC-SHA512 of the other vnp_ parameters, sorted, with the merchant's secret"),
    ),
    security(("vnpay_hash" = [])),
    responses(
        (status = 200, description = "RspCode 00 confirmed, 01 unknown order, 02 already confirmed, 03 address not allowed (with 403), 04 wrong amount, 97 bad signature, 99 other", body = crate::payments::vnpay::IpnReply),
    ))]
pub async fn ipn(
    State(app): State<AppState>,
    ClientIp(ip): ClientIp,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    match handle(&app, ip, &params).await {
        Ok((status, reply)) => (status, Json(reply)).into_response(),
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "IPN failed");
            (StatusCode::OK, Json(IpnReply::UNKNOWN)).into_response()
        }
    }
}

async fn handle(
    app: &AppState,
    ip: Option<std::net::IpAddr>,
    params: &BTreeMap<String, String>,
) -> anyhow::Result<(StatusCode, IpnReply)> {
    let mut conn = app.db.acquire().await?;
    // refused before the gateway proved itself: counted, never a row per request
    if !allowed(app, ip) {
        audit::refused(&mut conn, "vnpay_ipn", "ip_refused", ip, &canonical(params)).await?;
        return Ok((StatusCode::FORBIDDEN, IpnReply::IP_REFUSED));
    }
    if !app.gateway.verify(params) {
        audit::refused(&mut conn, "vnpay_ipn", "97", ip, &canonical(params)).await?;
        return Ok((StatusCode::OK, IpnReply::CHECKSUM));
    }
    drop(conn);
    let result = GatewayResult::from_params(params);
    let (reply, payment) = service::settle(
        &app.db,
        &result,
        "ipn",
        app.settings.payment_online_mode,
        app.settings.payment_reconcile_minutes,
    )
    .await?;
    let mut conn = app.db.acquire().await?;
    service::log_event(&mut conn, payment, "ipn", ip, reply.code, logged(params)).await?;
    Ok((StatusCode::OK, reply))
}
