//! The electronic receipt (biên lai thu phí, lệ phí điện tử; Decree 123/2020 Art. 32 as amended,
//! Circular 32/2025): template and series symbols, a number restarting each year per book, the
//! collecting agency's name and tax code, the items and the total in figures and in words, the
//! date — as a page and as a PDF.
//!
//! The collector's digital signature is a later capability. Its hook is [`sign`]: it receives
//! the rendered PDF and returns the signed one; today it returns it unchanged and the receipt
//! says "not yet digitally signed". A signer plugs in there and records what it signed in
//! `receipts.signature`.

use axum::extract::{Path, State};
use axum::response::Response;
use tower_sessions::Session;
use uuid::Uuid;

use super::receipt_doc::{number, pdf_of, series};
use super::repo::{self, ReceiptRow};
use super::views::{BillLine, ReceiptPage};
use super::words::vnd_in_words;
use crate::AppState;
use crate::accounts::{CurrentCitizen, CurrentStaff};
use crate::deadlines::calendar::to_local;
use crate::kernel::Lang;
use crate::kernel::money::format_vnd;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, Layout, download};

async fn page(lang: Lang, session: &Session, r: &ReceiptRow, here: &str) -> AppResult<ReceiptPage> {
    Ok(ReceiptPage {
        layout: Layout::for_session(lang, lang.t("payment.receipt_title"), here, session).await?,
        pdf_url: format!("{here}/pdf"),
        template_symbol: r.template_symbol.clone(),
        series: series(&r.series_prefix, r.year),
        number: number(r.number),
        agency: r.agency_vi.clone(),
        tax_code: r.tax_code.clone(),
        payer: r.applicant_name.clone(),
        dossier_code: r.code.clone().unwrap_or_default(),
        procedure: r.procedure_vi.clone(),
        lines: r
            .items
            .0
            .iter()
            .map(|i| BillLine {
                label: i.label.clone(),
                quantity: i.quantity,
                amount: format_vnd(i.amount_vnd),
            })
            .collect(),
        total: format_vnd(r.amount_vnd),
        in_words: vnd_in_words(u64::try_from(r.amount_vnd).unwrap_or_default()),
        issued: to_local(r.issued_at).format("%d/%m/%Y").to_string(),
        method: lang.t(&format!("payment.method_{}", r.method)).into_owned(),
        back_url: if here.starts_with("/staff") {
            format!("/staff/dossiers/{}", r.dossier_id)
        } else {
            format!("/account/dossiers/{}", r.dossier_id)
        },
    })
}

async fn load(app: &AppState, dossier: Uuid, receipt: Uuid) -> AppResult<ReceiptRow> {
    let mut conn = app.db.acquire().await?;
    repo::receipt(&mut conn, receipt)
        .await?
        .filter(|r| r.dossier_id == dossier)
        .ok_or(AppError::NotFound)
}

async fn pdf_response(app: &AppState, r: ReceiptRow) -> AppResult<Response> {
    let (name, bytes) = pdf_of(&app.settings.public_origin, r).await?;
    Ok(download::attachment(bytes, "application/pdf", &name))
}

async fn citizen_receipt(
    app: &AppState,
    citizen: CurrentCitizen,
    dossier: Uuid,
    receipt: Uuid,
) -> AppResult<ReceiptRow> {
    let mut conn = app.db.acquire().await?;
    crate::dossiers::repo::find_owned(&mut conn, citizen.id, dossier)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    load(app, dossier, receipt).await
}

/// `GET /account/dossiers/{id}/receipts/{receipt}`
pub async fn citizen_page(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    Path((id, receipt)): Path<(Uuid, Uuid)>,
) -> AppResult<ReceiptPage> {
    let r = citizen_receipt(&app, citizen, id, receipt).await?;
    page(
        lang,
        &session,
        &r,
        &format!("/account/dossiers/{id}/receipts/{receipt}"),
    )
    .await
}

/// `GET /account/dossiers/{id}/receipts/{receipt}/pdf`
pub async fn citizen_pdf(
    State(app): State<AppState>,
    citizen: CurrentCitizen,
    Path((id, receipt)): Path<(Uuid, Uuid)>,
) -> AppResult<Response> {
    let r = citizen_receipt(&app, citizen, id, receipt).await?;
    pdf_response(&app, r).await
}

/// `GET /staff/dossiers/{id}/receipts/{receipt}`
pub async fn staff_page(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Path((id, receipt)): Path<(Uuid, Uuid)>,
) -> AppResult<ReceiptPage> {
    crate::processing::service::scoped(&app, &staff, id).await?;
    let r = load(&app, id, receipt).await?;
    let mut p = page(
        lang,
        &session,
        &r,
        &format!("/staff/dossiers/{id}/receipts/{receipt}"),
    )
    .await?;
    p.layout = crate::accounts::guard::staff_layout(
        lang,
        "payment.receipt_title",
        &format!("/staff/dossiers/{id}/receipts/{receipt}"),
        &session,
        &staff,
    )
    .await?;
    Ok(p)
}

/// `GET /staff/dossiers/{id}/receipts/{receipt}/pdf`
pub async fn staff_pdf(
    State(app): State<AppState>,
    staff: CurrentStaff,
    Path((id, receipt)): Path<(Uuid, Uuid)>,
) -> AppResult<Response> {
    crate::processing::service::scoped(&app, &staff, id).await?;
    let r = load(&app, id, receipt).await?;
    pdf_response(&app, r).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_and_numbers_read_as_registered() {
        assert_eq!(series("BLCT", 2026), "BLCT26");
        assert_eq!(series("BLCT", 2027), "BLCT27");
        assert_eq!(number(1), "0000001");
        assert_eq!(number(9_999_999), "9999999");
    }
}
