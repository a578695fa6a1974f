//! A local gateway that speaks the VNPay 2.1.0 protocol, served by this binary in development
//! and demo mode only (`Settings::sandbox_payments`): a bank page where the tester picks the
//! outcome, a signed redirect to the return URL, the IPN sent separately (on time, late, twice
//! or never), and the querydr / refund API. It is how the demo and the tests pay.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use chrono::{Duration, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use tower_sessions::Session;

use super::gateway::IPN_PATH;
use super::views::{SandboxOutcome, SandboxPage};
use super::vnpay;
use crate::AppState;
use crate::kernel::money::format_vnd;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, Layout};

/// The outcomes the tester can pick: (key, response code, transaction status, label key).
pub const OUTCOMES: [(&str, &str, &str, &str); 6] = [
    ("success", "00", "00", "sandbox.success"),
    ("cancel", "24", "02", "sandbox.cancel"),
    ("insufficient", "51", "02", "sandbox.insufficient"),
    ("timeout", "11", "02", "sandbox.timeout"),
    ("fraud", "07", "07", "sandbox.fraud"),
    ("debited", "00", "04", "sandbox.debited"),
];

fn enabled(app: &AppState) -> AppResult<()> {
    if app.settings.sandbox_payments() {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// `GET /sandbox/vnpay/paymentv2/vpcpay.html?…`: the bank's page.
pub async fn pay_page(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    Query(params): Query<BTreeMap<String, String>>,
) -> AppResult<Response> {
    enabled(&app)?;
    let layout =
        Layout::for_session(lang, lang.t("sandbox.title"), "/sandbox/vnpay", &session).await?;
    let valid = app.gateway.verify(&params)
        && params.get("vnp_TmnCode") == Some(&app.gateway.tmn_code)
        && params.get("vnp_Version").map(String::as_str) == Some(vnpay::VERSION);
    let expired = params
        .get("vnp_ExpireDate")
        .is_some_and(|e| e.as_str() < vnpay::timestamp(Utc::now()).as_str());
    let amount = params
        .get("vnp_Amount")
        .and_then(|a| vnpay::from_protocol_amount(a))
        .unwrap_or_default();
    let page = SandboxPage {
        layout,
        valid: valid && !expired,
        message: if !valid {
            lang.t("sandbox.invalid").into_owned()
        } else if expired {
            lang.t("sandbox.expired").into_owned()
        } else {
            String::new()
        },
        order: params.get("vnp_OrderInfo").cloned().unwrap_or_default(),
        txn_ref: params.get("vnp_TxnRef").cloned().unwrap_or_default(),
        amount: format_vnd(amount),
        query: serde_urlencoded::to_string(&params).unwrap_or_default(),
        outcomes: OUTCOMES
            .iter()
            .map(|(key, _, _, label)| SandboxOutcome {
                value: (*key).to_owned(),
                label: lang.t(label).into_owned(),
            })
            .collect(),
        ipn_options: ["normal", "delay", "duplicate", "drop"]
            .into_iter()
            .map(|v| SandboxOutcome {
                value: v.to_owned(),
                label: lang.t(&format!("sandbox.ipn_{v}")).into_owned(),
            })
            .collect(),
    };
    let status = if page.valid {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok((status, page).into_response())
}

#[derive(Deserialize)]
pub struct PayForm {
    query: String,
    outcome: String,
    /// "normal" | "delay" | "duplicate" | "drop"
    #[serde(default)]
    ipn: String,
}

/// `POST /sandbox/vnpay/pay`: the tester's choice: the transaction recorded, the browser sent
/// back with a signed result, the IPN queued as asked.
pub async fn pay(State(app): State<AppState>, Form(form): Form<PayForm>) -> AppResult<Response> {
    enabled(&app)?;
    let params: BTreeMap<String, String> = serde_urlencoded::from_str(&form.query)
        .map_err(|_| AppError::BadRequest("errors.bad_request_text"))?;
    if !app.gateway.verify(&params) {
        return Err(AppError::BadRequest("errors.bad_request_text"));
    }
    let (_, code, status, _) = OUTCOMES
        .iter()
        .find(|o| o.0 == form.outcome)
        .ok_or(AppError::BadRequest("errors.bad_request_text"))?;
    let get = |k: &str| params.get(k).cloned().unwrap_or_default();
    let now = Utc::now();
    let transaction_no = (10_000_000 + rand::random::<u32>() % 89_999_999).to_string();
    let result: BTreeMap<String, String> = [
        ("vnp_Amount", get("vnp_Amount")),
        ("vnp_BankCode", "NCB".to_owned()),
        ("vnp_BankTranNo", format!("VNP{transaction_no}")),
        ("vnp_CardType", "ATM".to_owned()),
        ("vnp_OrderInfo", get("vnp_OrderInfo")),
        ("vnp_PayDate", vnpay::timestamp(now)),
        ("vnp_ResponseCode", (*code).to_owned()),
        ("vnp_TmnCode", get("vnp_TmnCode")),
        ("vnp_TransactionNo", transaction_no.clone()),
        ("vnp_TransactionStatus", (*status).to_owned()),
        ("vnp_TxnRef", get("vnp_TxnRef")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let query = vnpay::signed_query(&result, app.gateway.secret());
    let mut tx = app.db.begin().await?;
    sqlx::query(
        "insert into sandbox_transactions (txn_ref, transaction_no, amount, order_info, create_date, \
           response_code, transaction_status, bank_code, pay_date) values ($1, $2, $3, $4, $5, $6, $7, 'NCB', $8) \
         on conflict (txn_ref) do nothing",
    )
    .bind(get("vnp_TxnRef"))
    .bind(&transaction_no)
    .bind(get("vnp_Amount").parse::<i64>().unwrap_or_default())
    .bind(get("vnp_OrderInfo"))
    .bind(get("vnp_CreateDate"))
    .bind(code)
    .bind(status)
    .bind(vnpay::timestamp(now))
    .execute(&mut *tx)
    .await?;
    let sends: Vec<Duration> = match form.ipn.as_str() {
        "drop" => vec![],
        "delay" => vec![Duration::seconds(5)],
        "duplicate" => vec![Duration::zero(), Duration::zero()],
        _ => vec![Duration::zero()],
    };
    for delay in sends {
        sqlx::query("insert into sandbox_ipn_queue (query, send_at) values ($1, $2)")
            .bind(&query)
            .bind(now + delay)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    let return_url = get("vnp_ReturnUrl");
    Ok(Redirect::to(&format!("{return_url}?{query}")).into_response())
}

/// Sends the IPNs that are due (the sandbox's side of the protocol); returns how many went.
pub async fn deliver_ipns(app: &AppState) -> anyhow::Result<usize> {
    if !app.settings.sandbox_payments() {
        return Ok(0);
    }
    let mut sent = 0;
    loop {
        let mut tx = app.db.begin().await?;
        let due: Option<(i64, String)> = sqlx::query_as(
            "select id, query from sandbox_ipn_queue where sent_at is null and send_at <= now() \
               and attempts < 5 order by send_at, id limit 1 for update skip locked",
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some((id, query)) = due else {
            return Ok(sent);
        };
        let url = format!(
            "{}{IPN_PATH}?{query}",
            app.settings.public_origin.trim_end_matches('/')
        );
        let answered = app.gateway.transport.get(&url).await;
        let done = matches!(&answered, Ok((200, body)) if body.contains("RspCode"));
        sqlx::query(
            "update sandbox_ipn_queue set attempts = attempts + 1, \
               sent_at = case when $2 then now() end, send_at = now() + interval '2 seconds' where id = $1",
        )
        .bind(id)
        .bind(done)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if done {
            sent += 1;
        } else {
            tracing::warn!(?answered, "sandbox IPN not acknowledged; will retry");
        }
    }
}

/// Runs [`deliver_ipns`] every half second while the portal serves (sandbox only).
pub fn spawn(app: AppState) -> Option<tokio::task::JoinHandle<()>> {
    app.settings.sandbox_payments().then(|| {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_millis(500));
            loop {
                tick.tick().await;
                if let Err(error) = deliver_ipns(&app).await {
                    tracing::warn!(error = format!("{error:#}"), "sandbox IPN delivery");
                }
            }
        })
    })
}

fn s(v: &Value, k: &str) -> String {
    v.get(k)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// `POST /sandbox/vnpay/merchant_webapi/api/transaction`: querydr and refund, JSON, signed by
/// pipe-joined HMACs.
pub async fn api(State(app): State<AppState>, Json(body): Json<Value>) -> AppResult<Json<Value>> {
    enabled(&app)?;
    let secret = app.gateway.secret().to_owned();
    let command = s(&body, "vnp_Command");
    let response_id = uuid::Uuid::new_v4().simple().to_string();
    match command.as_str() {
        "querydr" => {
            let fields = [
                "vnp_RequestId",
                "vnp_Version",
                "vnp_Command",
                "vnp_TmnCode",
                "vnp_TxnRef",
                "vnp_TransactionDate",
                "vnp_CreateDate",
                "vnp_IpAddr",
                "vnp_OrderInfo",
            ]
            .map(|k| s(&body, k));
            let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
            let valid = vnpay::verify_pipe(&refs, &s(&body, "vnp_SecureHash"), &secret);
            let row: Option<(String, i64, String, String, String, String, String)> = if valid {
                sqlx::query_as(
                    "select transaction_no, amount, order_info, response_code, transaction_status, bank_code, pay_date \
                     from sandbox_transactions where txn_ref = $1",
                )
                .bind(s(&body, "vnp_TxnRef"))
                .fetch_optional(&app.db)
                .await?
            } else {
                None
            };
            let (code, message, no, amount, info, status, bank, date) = match (&row, valid) {
                (_, false) => (
                    "97",
                    "Invalid checksum",
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ),
                (None, true) => (
                    "91",
                    "Transaction not found",
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ),
                (Some(r), true) => (
                    "00",
                    "QueryDR Success",
                    r.0.clone(),
                    r.1.to_string(),
                    r.2.clone(),
                    r.4.clone(),
                    r.5.clone(),
                    r.6.clone(),
                ),
            };
            let _ = row.as_ref().map(|r| &r.3);
            let answer: Vec<(&str, String)> = vec![
                ("vnp_ResponseId", response_id),
                ("vnp_Command", "querydr".to_owned()),
                ("vnp_ResponseCode", code.to_owned()),
                ("vnp_Message", message.to_owned()),
                ("vnp_TmnCode", s(&body, "vnp_TmnCode")),
                ("vnp_TxnRef", s(&body, "vnp_TxnRef")),
                ("vnp_Amount", amount),
                ("vnp_BankCode", bank),
                ("vnp_PayDate", date),
                ("vnp_TransactionNo", no),
                ("vnp_TransactionType", "01".to_owned()),
                ("vnp_TransactionStatus", status),
                ("vnp_OrderInfo", info),
                ("vnp_PromotionCode", String::new()),
                ("vnp_PromotionAmount", String::new()),
            ];
            let values: Vec<&str> = answer.iter().map(|(_, v)| v.as_str()).collect();
            let hash = vnpay::pipe_hash(&values, &secret);
            let mut out = serde_json::Map::new();
            for (k, v) in answer {
                out.insert(k.to_owned(), Value::String(v));
            }
            out.insert("vnp_SecureHash".to_owned(), Value::String(hash));
            Ok(Json(Value::Object(out)))
        }
        "refund" => {
            let fields = [
                "vnp_RequestId",
                "vnp_Version",
                "vnp_Command",
                "vnp_TmnCode",
                "vnp_TransactionType",
                "vnp_TxnRef",
                "vnp_Amount",
                "vnp_TransactionNo",
                "vnp_TransactionDate",
                "vnp_CreateBy",
                "vnp_CreateDate",
                "vnp_IpAddr",
                "vnp_OrderInfo",
            ]
            .map(|k| s(&body, k));
            let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
            let code = if !vnpay::verify_pipe(&refs, &s(&body, "vnp_SecureHash"), &secret) {
                "97"
            } else {
                let amount: i64 = s(&body, "vnp_Amount").parse().unwrap_or(-1);
                let updated = sqlx::query(
                    "update sandbox_transactions set refunded = refunded + $2 where txn_ref = $1 \
                       and transaction_no = $3 and transaction_status = '00' and $2 > 0 and refunded + $2 <= amount",
                )
                .bind(s(&body, "vnp_TxnRef"))
                .bind(amount)
                .bind(s(&body, "vnp_TransactionNo"))
                .execute(&app.db)
                .await?;
                if updated.rows_affected() == 1 {
                    "00"
                } else {
                    "94"
                }
            };
            // the answer signed as the gateway signs it
            let mut answer: serde_json::Map<String, Value> = vnpay::REFUND_REPLY_FIELDS
                .iter()
                .map(|k| ((*k).to_owned(), Value::String(String::new())))
                .collect();
            for (k, v) in [
                ("vnp_ResponseId", response_id),
                ("vnp_Command", "refund".to_owned()),
                ("vnp_ResponseCode", code.to_owned()),
                ("vnp_TmnCode", s(&body, "vnp_TmnCode")),
                ("vnp_TxnRef", s(&body, "vnp_TxnRef")),
                ("vnp_Amount", s(&body, "vnp_Amount")),
                ("vnp_TransactionNo", s(&body, "vnp_TransactionNo")),
                ("vnp_TransactionType", s(&body, "vnp_TransactionType")),
                ("vnp_OrderInfo", s(&body, "vnp_OrderInfo")),
            ] {
                answer.insert(k.to_owned(), Value::String(v));
            }
            let values: Vec<String> = vnpay::REFUND_REPLY_FIELDS
                .iter()
                .map(|k| answer[*k].as_str().unwrap_or_default().to_owned())
                .collect();
            let refs: Vec<&str> = values.iter().map(String::as_str).collect();
            answer.insert(
                "vnp_SecureHash".to_owned(),
                Value::String(vnpay::pipe_hash(&refs, &secret)),
            );
            Ok(Json(Value::Object(answer)))
        }
        _ => Ok(Json(
            json!({"vnp_ResponseCode": "99", "vnp_Message": "Unknown command"}),
        )),
    }
}
