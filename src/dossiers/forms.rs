//! The regulated forms of a dossier, filled from its data. Form 01 now; 02–06 with the rest of
//! the back office.

use axum::response::Response;
use chrono::Datelike;
use chrono::Utc;
use sqlx::PgPool;
use uuid::Uuid;

use super::domain;
use super::pdf::{self, Form01};
use super::repo;
use crate::catalogue::domain::{format_time_limit, requirement_key};
use crate::deadlines::calendar::to_local;
use crate::kernel::Lang;
use crate::web::{AppError, AppResult, download, paths};

/// Form 01 of an accepted dossier, as a PDF download. None while it is not accepted.
pub async fn form01_response(db: &PgPool, public_origin: &str, id: Uuid) -> AppResult<Response> {
    form01_pdf(form01_data(db, public_origin, id).await?).await
}

/// `form` as a PDF download.
pub async fn form01_pdf(form: Form01) -> AppResult<Response> {
    let code = form.code.clone();
    let bytes = tokio::task::spawn_blocking(move || pdf::form01(&form))
        .await
        .map_err(anyhow::Error::from)??;
    Ok(download::attachment(
        bytes,
        "application/pdf",
        &format!("mau-01-{code}.pdf"),
    ))
}

/// Form 01 of an accepted dossier as a PDF and its file name, for the acceptance e-mail.
pub async fn form01_bytes(
    db: &PgPool,
    public_origin: &str,
    id: Uuid,
) -> anyhow::Result<(String, Vec<u8>)> {
    let form = form01_data(db, public_origin, id)
        .await
        .map_err(|e| anyhow::anyhow!("Form 01 of {id}: {e:?}"))?;
    let name = format!("mau-01-{}.pdf", form.code);
    let bytes = tokio::task::spawn_blocking(move || pdf::form01(&form)).await??;
    Ok((name, bytes))
}

/// The first instant of the local year `year`: the unit's book of dossiers (Form 07) starts
/// again each year, and Form 01 gives a dossier's number in it.
pub fn book_start(year: i32) -> chrono::DateTime<chrono::Utc> {
    crate::deadlines::calendar::to_utc(
        chrono::NaiveDate::from_ymd_opt(year, 1, 1)
            .unwrap_or_default()
            .and_time(chrono::NaiveTime::MIN),
    )
}

/// What Form 01 of an accepted dossier says; 404 while it is not accepted.
pub async fn form01_data(db: &PgPool, public_origin: &str, id: Uuid) -> AppResult<Form01> {
    let mut conn = db.acquire().await?;
    let row = repo::form01(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(received) = row.received_at else {
        return Err(AppError::NotFound);
    };
    let version = row.procedure_version_id;
    let rating = crate::evaluations::link_token(&mut conn, id).await?;
    // "Vào sổ theo dõi hồ sơ, quyển số …, số thứ tự …": the unit's book is its year's Form 07,
    // numbered by the time of receipt (then the code), as the register numbers its rows
    let year = to_local(received).year();
    let number: i64 = sqlx::query_scalar(
        "select count(*) from dossiers x, dossiers d where d.id = $1 \
           and x.receiving_agency_id = d.receiving_agency_id \
           and x.received_at >= $2 and (x.received_at, x.code) <= (d.received_at, d.code)",
    )
    .bind(id)
    .bind(book_start(year))
    .fetch_one(&mut *conn)
    .await?;
    let files = repo::files(&mut conn, id).await?;
    let slots = repo::slots(&mut conn, version).await?;
    let requirements: Vec<(i32, String)> = sqlx::query_as(
        "select position, requirement from procedure_documents where version_id = $1",
    )
    .bind(version)
    .fetch_all(&mut *conn)
    .await?;
    drop(conn);
    let vi = Lang::Vi;
    let mut documents: Vec<String> = slots
        .iter()
        .filter_map(|s| {
            let count = files
                .iter()
                .filter(|f| f.document_position == Some(s.position))
                .count();
            (count > 0).then(|| {
                let kind = requirements
                    .iter()
                    .find(|r| r.0 == s.position)
                    .map(|r| vi.t(requirement_key(&r.1)).into_owned())
                    .unwrap_or_default();
                format!("{} — {kind}, {count} tệp", s.name_vi)
            })
        })
        .collect();
    for f in files.iter().filter(|f| f.document_position.is_none()) {
        documents.push(format!(
            "{}: {}",
            vi.t("dossier.other_documents"),
            domain::display_name(&f.original_name)
        ));
    }
    let code = row.code.clone().unwrap_or_default();
    let format = |at: chrono::DateTime<chrono::Utc>| {
        to_local(at)
            .format("%H giờ %M phút, ngày %d/%m/%Y")
            .to_string()
    };
    let form = Form01 {
        phone: crate::accounts::domain::PhoneNumber::parse(&row.applicant_phone)
            .map_or_else(|| row.applicant_phone.clone(), |p| p.national()),
        agency: row.agency,
        applicant: row.applicant_name,
        address: row.applicant_address,
        email: row.applicant_email,
        procedure: row.procedure,
        documents,
        time_limit: format_time_limit(row.time_limit_value, row.time_limit_unit, vi),
        received_at: format(received),
        due_at: row.due_at.map(format).unwrap_or_default(),
        result_at: domain::ResultChannel::parse(&row.result_channel)
            .map(|c| vi.t(c.label_key()).into_owned())
            .unwrap_or_default(),
        official: row.official.unwrap_or_default(),
        tracking_url: format!("{public_origin}/tra-cuu?code={}", paths::encode(&code)),
        rating_url: format!("{public_origin}/danh-gia/{rating}"),
        place_date: crate::dossiers::forms::place_date(received),
        register: format!("Vào sổ theo dõi hồ sơ, quyển số {year}, số thứ tự {number}"),
        pin: None,
        code: code.clone(),
    };
    Ok(form)
}

/// The place and date line of a form: the day of the act it records (kept with the act's
/// event), not the day it is printed.
pub(crate) fn place_date(at: chrono::DateTime<Utc>) -> String {
    let day = to_local(at).date();
    format!(
        "Quảng Ngãi, ngày {:02} tháng {:02} năm {}",
        day.day(),
        day.month(),
        day.year()
    )
}
