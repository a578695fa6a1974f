//! The regulated forms of a dossier, filled from its data. Form 01 now; 02–06 with the rest of
//! the back office.

use axum::response::Response;
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
    let form = form01_data(db, public_origin, id).await?;
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
        code: code.clone(),
    };
    Ok(form)
}
