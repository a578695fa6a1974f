//! The sandbox's national payment platform (reference §2.6): `INIT` checked against its
//! `MaXacThuc` and answered with the payment page; a page where the tester chooses the outcome
//! — paid, cancelled, failed, still pending (then paid or failed later), paid with the confirm
//! callback late, twice or never — after which the platform calls the province back (signed
//! `Confirm`) and sends the browser to the province's return page; `QUERY` with `TrangThaiGD`;
//! `GET_BILL` with a small PDF e-receipt once paid. Signed exactly as the protocol says, with
//! the partner's shared secret.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::sandbox::Sandbox;
use crate::payments::national::{Confirm, Init, Lookup, checksum};

/// The partner (the province) as the platform knows it: its code, the shared secret, where
/// confirmations are posted and where citizens are sent back (registered with the platform).
#[derive(Clone, Debug)]
pub struct PayPartner {
    pub code: String,
    pub secret: String,
    pub confirm_url: String,
    pub return_url: String,
    /// How long a "late" confirmation waits.
    pub late: std::time::Duration,
}

impl PayPartner {
    pub fn of(settings: &crate::Settings) -> Self {
        let origin = settings.public_origin.trim_end_matches('/');
        Self {
            code: settings.dvcqg_pay_partner.clone(),
            secret: settings.dvcqg_pay_secret.clone(),
            confirm_url: format!("{origin}{}", crate::payments::national::CONFIRM_PATH),
            return_url: format!("{origin}{}", crate::payments::national::RETURN_PATH),
            late: std::time::Duration::from_secs(60),
        }
    }
}

pub(super) const SCHEMA: &str = "
create table if not exists dvcqg_sandbox.pay_attempts (
    reference text primary key, init jsonb not null, amount bigint not null,
    -- TrangThaiGD: 1 paid, 3 pending, 4 failed
    state smallint not null default 3, transaction text not null default '',
    created_at timestamptz not null default now(), settled_at timestamptz);
-- MaLoi of the outcome (00 paid, 24 cancelled, 51 failed), the confirmations sent and the
-- province's last answer
alter table dvcqg_sandbox.pay_attempts add column if not exists error text not null default '';
alter table dvcqg_sandbox.pay_attempts add column if not exists callbacks integer not null default 0;
alter table dvcqg_sandbox.pay_attempts add column if not exists last_answer text not null default '';
";

pub(super) fn routes(router: Router<Sandbox>) -> Router<Sandbox> {
    use axum::routing::{get, post};
    router
        .route("/thanh-toan/init", post(init))
        .route(
            "/thanh-toan/trang/{reference}",
            get(pay_page).post(pay_form),
        )
        .route("/thanh-toan/query", post(query))
        .route("/thanh-toan/bill", post(bill))
        .route("/sim/pay/{reference}", post(pay_json))
        .route("/sim/pay/{reference}/callback", post(callback_json))
}

fn reply(code: &str, message: &str) -> Response {
    Json(json!({ "error_code": code, "message": message })).into_response()
}

async fn init(State(s): State<Sandbox>, Json(init): Json<Init>) -> Response {
    if init.partner != s.pay.code
        || !crate::payments::national::verify(&init.signed_fields(), &s.pay.secret, &init.signature)
    {
        return reply("97", "Sai mã xác thực");
    }
    // the receipt's lines add up to the amount paid
    let lines: i64 = init.receipt.fees.iter().map(|f| f.amount).sum();
    if init.amount <= 0 || lines != init.amount {
        return reply("04", "Số tiền không hợp lệ");
    }
    let stored = sqlx::query(
        "insert into dvcqg_sandbox.pay_attempts (reference, init, amount) values ($1, $2, $3) \
         on conflict (reference) do nothing",
    )
    .bind(&init.reference)
    .bind(serde_json::to_value(&init).unwrap_or_default())
    .bind(init.amount)
    .execute(&s.db)
    .await;
    match stored {
        Ok(done) if done.rows_affected() == 1 => {
            let inner = json!({
                "UrlThanhToan": format!("{}/thanh-toan/trang/{}", s.origin, init.reference),
            });
            reply("0", &inner.to_string())
        }
        Ok(_) => reply("02", "Mã tham chiếu đã được dùng"),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "dvcqg_sandbox/pay.html")]
pub struct PayPage {
    pub reference: String,
    pub amount: i64,
    pub dossier: String,
    pub state: i16,
    pub return_url: String,
    pub late_seconds: u64,
}

async fn attempt(s: &Sandbox, reference: &str) -> Option<(Value, i64, i16)> {
    sqlx::query_as(
        "select init, amount, state from dvcqg_sandbox.pay_attempts where reference = $1",
    )
    .bind(reference)
    .fetch_optional(&s.db)
    .await
    .ok()
    .flatten()
}

async fn pay_page(State(s): State<Sandbox>, Path(reference): Path<String>) -> Response {
    match attempt(&s, &reference).await {
        Some((init, amount, state)) => PayPage {
            dossier: init["ThongTinBienLai"]["MaHoSo"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            reference,
            amount,
            state,
            return_url: s.pay.return_url.clone(),
            late_seconds: s.pay.late.as_secs(),
        }
        .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[derive(Deserialize)]
pub struct Outcome {
    outcome: String,
}

/// What a tester can choose: the attempt's state (`TrangThaiGD`), its `MaLoi`, and how many
/// confirmations go at once (0: none now; "late" sends one after `PayPartner::late`).
fn outcome_of(outcome: &str) -> Option<(i16, &'static str, usize)> {
    Some(match outcome {
        "paid" => (1, "00", 1),
        "cancelled" => (4, "24", 1),
        "failed" => (4, "51", 1),
        "pending" => (3, "", 0),
        "late" | "never" => (1, "00", 0),
        "twice" => (1, "00", 2),
        _ => return None,
    })
}

/// Settles a pending attempt as the tester chose; false when it was not pending (or unknown).
async fn settle(s: &Sandbox, reference: &str, outcome: &str) -> Result<bool, sqlx::Error> {
    let Some((state, error, sends)) = outcome_of(outcome) else {
        return Ok(false);
    };
    let done = sqlx::query(
        "update dvcqg_sandbox.pay_attempts set state = $2, error = $3, \
           transaction = case when $2 = 1 then 'SBX' || upper(substr(md5(reference), 1, 10)) else '' end, \
           settled_at = case when $2 = 3 then null else now() end \
         where reference = $1 and state = 3",
    )
    .bind(reference)
    .bind(state)
    .bind(error)
    .execute(&s.db)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    for _ in 0..sends {
        send_confirm(s, reference).await?;
    }
    if outcome == "late" {
        let (s, reference) = (s.clone(), reference.to_owned());
        tokio::spawn(async move {
            tokio::time::sleep(s.pay.late).await;
            let _ = send_confirm(&s, &reference).await;
        });
    }
    Ok(true)
}

/// Posts the signed confirmation of a settled attempt to the province; records its answer.
async fn send_confirm(s: &Sandbox, reference: &str) -> Result<String, sqlx::Error> {
    let row: Option<(Value, i64, String, String)> = sqlx::query_as(
        "select init, amount, error, transaction from dvcqg_sandbox.pay_attempts \
         where reference = $1 and state <> 3",
    )
    .bind(reference)
    .fetch_optional(&s.db)
    .await?;
    let Some((init, amount, error, transaction)) = row else {
        return Ok(String::new());
    };
    let confirm = Confirm {
        message: "CONFIRM".to_owned(),
        error,
        partner: s.pay.code.clone(),
        reference: reference.to_owned(),
        amount,
        currency: "VND".to_owned(),
        transaction,
        bank: "SBXBANK".to_owned(),
        time: crate::payments::national::timestamp(chrono::Utc::now()),
        info: init["ThongTinGiaoDich"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        signature: String::new(),
    }
    .sign(&s.pay.secret);
    let answer = match s.http.post(&s.pay.confirm_url).json(&confirm).send().await {
        Ok(response) => match response.json::<Value>().await {
            Ok(v) => v["MaLoi"].as_str().unwrap_or("?").to_owned(),
            Err(_) => "?".to_owned(),
        },
        Err(_) => "unreachable".to_owned(),
    };
    sqlx::query(
        "update dvcqg_sandbox.pay_attempts set callbacks = callbacks + 1, last_answer = $2 \
         where reference = $1",
    )
    .bind(reference)
    .bind(&answer)
    .execute(&s.db)
    .await?;
    Ok(answer)
}

/// The tester's choice on the payment page; then back to the province, as the platform does.
async fn pay_form(
    State(s): State<Sandbox>,
    Path(reference): Path<String>,
    Form(o): Form<Outcome>,
) -> Response {
    match settle(&s, &reference, &o.outcome).await {
        Ok(_) => {
            Redirect::to(&format!("{}?MaThamChieu={reference}", s.pay.return_url)).into_response()
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn pay_json(
    State(s): State<Sandbox>,
    Path(reference): Path<String>,
    Json(o): Json<Outcome>,
) -> Response {
    match settle(&s, &reference, &o.outcome).await {
        Ok(true) => {
            let answer: Option<(i32, String)> = sqlx::query_as(
                "select callbacks, last_answer from dvcqg_sandbox.pay_attempts where reference = $1",
            )
            .bind(&reference)
            .fetch_optional(&s.db)
            .await
            .ok()
            .flatten();
            let (callbacks, last) = answer.unwrap_or_default();
            Json(json!({ "error_code": "0", "callbacks": callbacks, "answer": last }))
                .into_response()
        }
        Ok(false) => (StatusCode::CONFLICT, "already settled or unknown").into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Sends a settled attempt's confirmation now (the "late" one, or again); the province's
/// answer.
async fn callback_json(State(s): State<Sandbox>, Path(reference): Path<String>) -> Response {
    match send_confirm(&s, &reference).await {
        Ok(answer) if !answer.is_empty() => Json(json!({ "answer": answer })).into_response(),
        Ok(_) => StatusCode::CONFLICT.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn checked(s: &Sandbox, l: &Lookup, message: &str) -> bool {
    l.message == message && l.partner == s.pay.code && l.verify(&s.pay.secret)
}

async fn query(State(s): State<Sandbox>, Json(l): Json<Lookup>) -> Response {
    if !checked(&s, &l, "QUERY") {
        return Json(json!({ "MaLoi": "97", "MoTaLoi": "Sai mã xác thực" })).into_response();
    }
    let row: Option<(i64, i16, String)> = sqlx::query_as(
        "select amount, state, transaction from dvcqg_sandbox.pay_attempts where reference = $1",
    )
    .bind(&l.reference)
    .fetch_optional(&s.db)
    .await
    .ok()
    .flatten();
    match row {
        Some((amount, state, transaction)) => {
            let mut answer = json!({
                "MaLoi": "00", "MoTaLoi": "Thành công", "MaThamChieu": l.reference,
                "TrangThaiGD": state.to_string(), "SoTien": amount, "MaGiaoDich": transaction,
                "ThoiGianGD": l.time,
            });
            let fields: Vec<String> = ["MaLoi", "MaThamChieu", "TrangThaiGD", "MaGiaoDich"]
                .iter()
                .map(|k| match &answer[*k] {
                    Value::String(v) => v.clone(),
                    v => v.to_string(),
                })
                .collect();
            answer["MaXacThuc"] = json!(checksum(&fields, &s.pay.secret));
            Json(answer).into_response()
        }
        None => {
            Json(json!({ "MaLoi": "01", "MoTaLoi": "Không tìm thấy giao dịch" })).into_response()
        }
    }
}

async fn bill(State(s): State<Sandbox>, Json(l): Json<Lookup>) -> Response {
    if !checked(&s, &l, "GET_BILL") {
        return (StatusCode::UNAUTHORIZED, "Sai mã xác thực").into_response();
    }
    match attempt(&s, &l.reference).await {
        Some((_, amount, 1)) => (
            [(header::CONTENT_TYPE, "application/pdf")],
            receipt_pdf(&l.reference, amount),
        )
            .into_response(),
        Some(_) => (StatusCode::CONFLICT, "Giao dịch chưa thành công").into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A one-page PDF naming the attempt and its amount (ASCII: the sandbox's receipt).
fn receipt_pdf(reference: &str, amount: i64) -> Vec<u8> {
    let text = format!("BIEN LAI DIEN TU (SANDBOX) {reference} {amount} VND");
    let stream = format!("BT /F1 12 Tf 40 780 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}
