//! The portal's side of the national payment platform (reference §2.6): an attempt opened for a
//! dossier's bill (`INIT`, the citizen sent to the platform's page), the platform's confirm
//! callback — the only message, with reconciliation's `QUERY`, that marks a payment paid — the
//! page the citizen comes back to, and the platform's e-receipt (`GET_BILL`), kept with the
//! payment and offered beside the collecting agency's own receipt.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};
use tower_sessions::Session;
use uuid::Uuid;

use super::domain::Bill;
use super::national::{Confirm, FeeLine, GATEWAY, Init, Receipt};
use super::national::{RETURN_PATH, timestamp};
use super::repo;
use super::routing::Gateway;
use super::service;
use super::views::ReturnPage;
use super::vnpay::IpnReply;
use crate::AppState;
use crate::accounts::{CurrentCitizen, CurrentStaff};
use crate::dossiers::repo::DossierRow;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, Layout, download};

/// The refused-requests counter of callbacks that did not prove themselves.
pub const REFUSED_SOURCE: &str = "dvcqg_confirm";

/// The configured platform, or the error that none is (`dvcqg_pay_url` empty).
pub fn configured(app: &AppState) -> anyhow::Result<&super::national::Platform> {
    app.platform
        .as_deref()
        .ok_or_else(|| anyhow::anyhow!("no national payment platform is configured"))
}

/// The fee line as the platform's receipt prints it: `LoaiPhiLePhi` 1 a fee (phí), 2 a charge
/// (lệ phí), told apart by the line's own name.
fn fee_line(position: usize, label: &str, amount: i64) -> FeeLine {
    let fee = label.trim_start().to_lowercase().starts_with("phí");
    FeeLine {
        kind: if fee { "1" } else { "2" }.to_owned(),
        code: format!("PL{:02}", position + 1),
        name: label.to_owned(),
        amount,
    }
}

/// The signed `INIT` for the bill of dossier `row`, at `time` (`ThoiGianGD`).
pub async fn init_for(
    app: &AppState,
    row: &DossierRow,
    bill: &Bill,
    ip: &str,
    time: &str,
) -> anyhow::Result<Init> {
    let platform = super::platform::configured(app)?;
    let agency: Option<(Option<String>, String)> =
        sqlx::query_as("select e_id_code, name_vi from agencies where id = $1")
            .bind(row.receiving_agency_id)
            .fetch_optional(&app.db)
            .await?;
    let (agency_code, agency_name) = agency.unwrap_or_default();
    let code = row.code.clone().unwrap_or_default();
    let receipt = Receipt {
        service: "2".to_owned(),
        procedure_code: row.procedure_code.clone(),
        procedure_name: row.procedure_vi.clone(),
        agency_code: agency_code.unwrap_or_default(),
        agency_name,
        dossier_code: code.clone(),
        content: format!("Nộp phí, lệ phí hồ sơ {code}"),
        payer_name: row.applicant_name.clone(),
        payer_id: row.applicant_personal_id.clone(),
        fees: bill
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| fee_line(i, &item.label, item.amount_vnd))
            .collect(),
    };
    Ok(Init::new(
        &platform.partner,
        platform.secret(),
        bill.total_vnd,
        time,
        ip,
        &super::vnpay::ascii_info(&format!("Thanh toan ho so {code}")),
        receipt,
    ))
}

/// Opens the attempt at the platform; its payment page, or why not (the attempt is then
/// closed: nothing can be paid on it).
pub async fn open(app: &AppState, payment: Uuid, init: &Init) -> Result<String, ()> {
    let Some(platform) = app.platform.as_ref() else {
        return Err(());
    };
    match platform.init(init).await {
        Ok(url) => Ok(url),
        Err(error) => {
            tracing::warn!(
                error = format!("{error:#}"),
                "the national payment platform did not open the attempt"
            );
            let closed = async {
                let mut conn = app.db.acquire().await?;
                sqlx::query(
                    "update payments set status = 'failed', settled_at = now(), settled_by = 'init', \
                       response_code = 'INIT', next_check_at = null \
                     where id = $1 and status = 'pending'",
                )
                .bind(payment)
                .execute(&mut *conn)
                .await?;
                service::log_event(
                    &mut conn,
                    Some(payment),
                    "init",
                    None,
                    "refused",
                    json!({"txn_ref": init.reference}),
                )
                .await
            };
            if let Err(error) = closed.await {
                tracing::error!(%error, "an unopened attempt stays pending");
            }
            Err(())
        }
    }
}

/// The platform's answer to a callback (`MaLoi`, `MoTaLoi`).
fn answer(reply: IpnReply) -> Json<Value> {
    let message = match reply.code {
        "00" => "Thành công",
        "01" => "Không tìm thấy giao dịch",
        "02" => "Giao dịch đã được xác nhận",
        "04" => "Số tiền không khớp",
        "97" => "Sai mã xác thực",
        _ => "Lỗi không xác định",
    };
    Json(json!({ "MaLoi": reply.code, "MoTaLoi": message }))
}

/// `POST /api/v1/payments/dvcqg/confirm`: the platform says how an attempt ended. Checked in
/// order: a message at all, the partner and the signature (97, counted, never a row), the
/// currency, then — in one transaction with the payment locked — the attempt (01), the amount
/// (04), already settled (02). A paid one issues the receipt, moves the dossier on and fetches
/// the platform's e-receipt.
#[utoipa::path(post, path = "/api/v1/payments/dvcqg/confirm", tag = "payments",
    summary = "The national payment platform's confirmation of a payment",
    request_body(content = Value, description = "LoaiBanTin, MaLoi (00 paid), MaDoiTac, MaThamChieu, SoTien, MaTienTe, MaGiaoDich, MaNganHang, ThoiGianGD, ThongTinGiaoDich, MaXacThuc (hex SHA-256 of those fields joined by | with the partner's secret)"),
    responses(
        (status = 200, description = "MaLoi 00 confirmed, 01 unknown attempt, 02 already confirmed, 04 wrong amount, 97 bad signature, 99 other"),
    ))]
pub async fn confirm(State(app): State<AppState>, ClientIp(ip): ClientIp, body: Bytes) -> Response {
    match handle(&app, ip, &body).await {
        Ok(reply) => answer(reply).into_response(),
        Err(error) => {
            tracing::error!(
                error = format!("{error:#}"),
                "the platform's confirmation failed"
            );
            (StatusCode::OK, answer(IpnReply::UNKNOWN)).into_response()
        }
    }
}

async fn handle(
    app: &AppState,
    ip: Option<std::net::IpAddr>,
    body: &[u8],
) -> anyhow::Result<IpnReply> {
    let partner = &app.settings.dvcqg_pay_partner;
    let secret = &app.settings.dvcqg_pay_secret;
    let message: Option<Confirm> = serde_json::from_slice(body).ok();
    let Some(message) = message.filter(|m| &m.partner == partner && m.verify(secret)) else {
        let mut conn = app.db.acquire().await?;
        crate::audit::refused(&mut conn, REFUSED_SOURCE, "97", ip, body).await?;
        return Ok(IpnReply::CHECKSUM);
    };
    let logged = json!({
        "txn_ref": message.reference, "MaLoi": message.error, "SoTien": message.amount,
        "MaGiaoDich": message.transaction,
    });
    let (reply, payment) = if message.currency != "VND" {
        (IpnReply::AMOUNT, None)
    } else {
        service::settle(
            &app.db,
            &message.result(),
            "confirm",
            Gateway::Dvcqg.online_mode(app.settings.payment_online_mode),
            app.settings.payment_reconcile_minutes,
        )
        .await?
    };
    let mut conn = app.db.acquire().await?;
    service::log_event(&mut conn, payment, "confirm", ip, reply.code, logged).await?;
    drop(conn);
    if let (IpnReply::CONFIRMED, Some(id), "00") = (reply, payment, message.error.as_str()) {
        fetch_bill_later(app, id);
    }
    Ok(reply)
}

/// Fetches the platform's e-receipt of paid payment `id` in the background (the platform is
/// not asked while its own callback waits for the answer); reconciliation fetches what this
/// missed.
pub fn fetch_bill_later(app: &AppState, id: Uuid) {
    let app = app.clone();
    tokio::spawn(async move {
        if let Err(error) = fetch_bill(&app, id).await {
            tracing::warn!(
                error = format!("{error:#}"),
                "the platform's e-receipt waits"
            );
        }
    });
}

/// Asks the platform for the e-receipt of paid payment `id` and keeps it (once).
pub async fn fetch_bill(app: &AppState, id: Uuid) -> anyhow::Result<()> {
    let platform = super::platform::configured(app)?;
    let reference: Option<String> = sqlx::query_scalar(
        "select txn_ref from payments where id = $1 and gateway = $2 and status = 'paid'",
    )
    .bind(id)
    .bind(GATEWAY)
    .fetch_optional(&app.db)
    .await?
    .flatten();
    let reference =
        reference.ok_or_else(|| anyhow::anyhow!("payment {id} is not paid on the platform"))?;
    let pdf = platform.bill(&reference, &timestamp(Utc::now())).await?;
    sqlx::query(
        "insert into payment_bills (payment_id, pdf) values ($1, $2) on conflict (payment_id) do nothing",
    )
    .bind(id)
    .bind(pdf)
    .execute(&app.db)
    .await?;
    Ok(())
}

/// Fetches the e-receipts still missing of the last week's paid platform payments.
pub async fn fetch_missing_bills(app: &AppState) -> anyhow::Result<usize> {
    if app.platform.is_none() {
        return Ok(0);
    }
    let missing: Vec<Uuid> = sqlx::query_scalar(
        "select p.id from payments p where p.gateway = 'dvcqg' and p.status = 'paid' \
           and p.settled_at > now() - interval '7 days' \
           and not exists (select 1 from payment_bills b where b.payment_id = p.id) \
         order by p.settled_at limit 20",
    )
    .fetch_all(&app.db)
    .await?;
    let mut fetched = 0;
    for id in missing {
        match fetch_bill(app, id).await {
            Ok(()) => fetched += 1,
            Err(error) => {
                tracing::warn!(error = format!("{error:#}"), %id, "e-receipt not fetched")
            }
        }
    }
    Ok(fetched)
}

#[derive(Deserialize)]
pub struct Back {
    #[serde(rename = "MaThamChieu", default)]
    reference: String,
}

/// `GET /account/payments/dvcqg/ket-qua?MaThamChieu=…`: where the platform sends the citizen back.
/// Shows the signed-in citizen what the ledger knows of the attempt on their dossier, and
/// refreshes while it is pending; it changes nothing.
pub async fn return_page(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    Query(back): Query<Back>,
) -> AppResult<Response> {
    let mut conn = app.db.acquire().await?;
    let mut payment = None;
    let found = repo::by_txn_ref(&mut conn, &back.reference)
        .await?
        .filter(|p| p.gateway.as_deref() == Some(GATEWAY));
    if let Some(p) = found {
        let owned = crate::dossiers::repo::find_owned(&mut conn, citizen.id, p.dossier_id)
            .await?
            .is_some();
        payment = owned.then_some(p);
    }
    drop(conn);
    let layout =
        Layout::for_session(lang, lang.t("payment.return_title"), RETURN_PATH, &session).await?;
    let Some(payment) = payment else {
        let page = ReturnPage {
            layout,
            state: "invalid",
            message: lang.t("payment.return_unknown").into_owned(),
            amount: String::new(),
            dossier_url: None,
            receipt_url: None,
            bill_url: None,
            refresh: false,
        };
        return Ok((StatusCode::NOT_FOUND, page).into_response());
    };
    Ok(super::citizen::return_view(layout, lang, &payment, "99").into_response())
}

/// The kept e-receipt of payment `payment` of dossier `dossier`, as a download.
async fn bill_download(app: &AppState, dossier: Uuid, payment: Uuid) -> AppResult<Response> {
    let row: Option<(Vec<u8>, Option<String>)> = sqlx::query_as(
        "select b.pdf, p.txn_ref from payment_bills b join payments p on p.id = b.payment_id \
         where b.payment_id = $1 and p.dossier_id = $2",
    )
    .bind(payment)
    .bind(dossier)
    .fetch_optional(&app.db)
    .await?;
    let (pdf, reference) = row.ok_or(AppError::NotFound)?;
    let name = format!("bien-lai-dvcqg-{}.pdf", reference.unwrap_or_default());
    Ok(download::attachment(pdf, "application/pdf", &name))
}

/// `GET /account/dossiers/{id}/payments/{payment}/bien-lai-quoc-gia`: the platform's
/// e-receipt, to the dossier's owner.
pub async fn citizen_bill(
    State(app): State<AppState>,
    citizen: CurrentCitizen,
    Path((id, payment)): Path<(Uuid, Uuid)>,
) -> AppResult<Response> {
    let mut conn = app.db.acquire().await?;
    crate::dossiers::repo::find_owned(&mut conn, citizen.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    bill_download(&app, id, payment).await
}

/// `GET /staff/dossiers/{id}/payments/{payment}/bien-lai-quoc-gia`: the same, to the officials
/// of the dossier's agencies.
pub async fn staff_bill(
    State(app): State<AppState>,
    staff: CurrentStaff,
    Path((id, payment)): Path<(Uuid, Uuid)>,
) -> AppResult<Response> {
    crate::processing::service::scoped(&app, &staff, id).await?;
    bill_download(&app, id, payment).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_platforms_time_is_vietnams_on_a_24_hour_clock() {
        let afternoon = Utc.with_ymd_and_hms(2026, 12, 7, 8, 5, 9).unwrap();
        assert_eq!(timestamp(afternoon), "20261207150509");
        let night = Utc.with_ymd_and_hms(2026, 12, 7, 20, 0, 0).unwrap();
        assert_eq!(
            timestamp(night),
            "20261208030000",
            "the next day in Vietnam"
        );
    }

    #[test]
    fn fees_and_charges_are_told_apart_on_the_receipt() {
        let charge = fee_line(0, "Lệ phí đăng ký hộ kinh doanh", 100_000);
        assert_eq!((charge.kind.as_str(), charge.code.as_str()), ("2", "PL01"));
        let fee = fee_line(1, "Phí chứng thực bản sao", 2_000);
        assert_eq!((fee.kind.as_str(), fee.code.as_str()), ("1", "PL02"));
    }
}
