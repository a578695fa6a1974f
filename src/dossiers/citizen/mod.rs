//! The citizen's dossier journey: start, applicant, details, documents, delivery, check,
//! submit; "My dossiers", a dossier's page, withdrawal; public tracking.
//!
//! A draft is saved on the server at every step (`draft_step` remembers where to resume), so
//! leaving, a dropped connection or an expired session loses nothing.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;
use uuid::Uuid;

use super::code;
use super::domain::{self, FieldDef, PaperChannel, ResultChannel};
use super::drafts::{self, Applicant, NewFile};
use super::repo::{self, DossierRow, FileRow, Submission};
use super::status::DossierStatus;
use super::views::*;
use crate::AppState;
use crate::accounts::CurrentCitizen;
use crate::accounts::domain::{PersonalId, PhoneNumber, this_year};
use crate::accounts::fields::{full_name_field, optional_email};
use crate::accounts::repo as accounts;
use crate::audit::{self, Actor};
use crate::catalogue::domain::{ProcedureCode, format_time_limit};
use crate::catalogue::views::FilterOption;
use crate::dossiers::uploads::{UploadError, discard, receive_files};
use crate::kernel::Lang;
use crate::kernel::money::format_vnd;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::session;
use crate::web::{AppError, AppResult, FormErrors, Layout, download, flash, paths};

mod actions;
mod documents;
mod dossier_view;
mod help;
mod journey;
mod page;
mod submit;

pub use actions::*;
pub use documents::*;
use dossier_view::dossier_page;
pub use help::help;
pub use journey::*;
pub use page::*;
pub use submit::*;

fn step_url(id: Uuid, step: &str) -> String {
    format!("/account/dossiers/{id}/{step}")
}

/// The citizen's page of their dossier.
fn unprocessable(page: impl IntoResponse) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

pub(super) async fn layout(
    lang: Lang,
    key: &str,
    here: &str,
    session: &Session,
) -> AppResult<Layout> {
    Ok(Layout::for_session(lang, lang.t(key), here, session).await?)
}

/// The citizen's own dossier, or 404 (never "forbidden": another's dossier does not exist).
async fn owned(app: &AppState, citizen: CurrentCitizen, id: Uuid) -> AppResult<DossierRow> {
    let mut conn = app.db.acquire().await?;
    repo::find_owned(&mut conn, citizen.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A draft of the citizen's; a submitted dossier's step pages go to its page instead.
async fn owned_draft(app: &AppState, citizen: CurrentCitizen, id: Uuid) -> AppResult<DossierRow> {
    let row = owned(app, citizen, id).await?;
    if row.status == DossierStatus::Draft {
        Ok(row)
    } else {
        Err(AppError::SeeOther(crate::web::paths::citizen_dossier(id)))
    }
}

/// A dossier whose documents the citizen may change: a draft, or one returned for completion
/// (the citizen replaces what the reception official listed, then sends it back).
async fn owned_documents(
    app: &AppState,
    citizen: CurrentCitizen,
    id: Uuid,
) -> AppResult<DossierRow> {
    let row = owned(app, citizen, id).await?;
    if documents_open(row.status) {
        Ok(row)
    } else {
        Err(AppError::SeeOther(crate::web::paths::citizen_dossier(id)))
    }
}

/// Locks `citizen`'s dossier `id` against a submission for the rest of the transaction (a
/// file added or removed meanwhile would escape its checks) and returns its status and
/// version, if its documents may still change: 404 when it is not theirs, its page when they
/// may not.
async fn lock_open_documents(
    tx: &mut sqlx::PgConnection,
    citizen: CurrentCitizen,
    id: Uuid,
) -> AppResult<(DossierStatus, Uuid)> {
    match drafts::lock_documents(tx, citizen.id, id).await? {
        None => Err(AppError::NotFound),
        Some((status, version)) if documents_open(status) => Ok((status, version)),
        Some(_) => Err(AppError::SeeOther(crate::web::paths::citizen_dossier(id))),
    }
}

/// Whether the citizen may change the documents of a dossier in `status`.
fn documents_open(status: DossierStatus) -> bool {
    matches!(
        status,
        DossierStatus::Draft
            | DossierStatus::ReturnedForCompletion
            | DossierStatus::SupplementRequested
    )
}

/// The terms of `citizen`'s dossier `id` (404 when it is not theirs); its status is for the
/// caller's statement to check.
async fn owned_terms(
    app: &AppState,
    conn: &mut sqlx::PgConnection,
    citizen: CurrentCitizen,
    id: Uuid,
) -> AppResult<std::sync::Arc<super::terms::Terms>> {
    app.terms
        .of_dossier(conn, citizen.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// After a completion request that named documents, only those may change.
async fn only_requested(
    conn: &mut sqlx::PgConnection,
    id: Uuid,
    status: DossierStatus,
    position: Option<i32>,
) -> AppResult<()> {
    if status == DossierStatus::Draft {
        return Ok(());
    }
    let requested = repo::requested_items(conn, id, status).await?;
    if requested.is_empty() || requested.iter().any(|r| r.0 == position) {
        Ok(())
    } else {
        Err(AppError::Conflict)
    }
}

/// The position of a document slot of the version (`None` for "other"); anything else is a
/// bad request.
async fn slot_position(
    app: &AppState,
    conn: &mut sqlx::PgConnection,
    version: Uuid,
    slot: &str,
) -> AppResult<Option<i32>> {
    if slot == "other" {
        return Ok(None);
    }
    let slots = &app.terms.get(conn, version).await?.slots;
    slot.parse::<i32>()
        .ok()
        .filter(|p| slots.iter().any(|s| s.position == *p))
        .map(Some)
        .ok_or(AppError::BadRequest("errors.bad_request_text"))
}

fn procedure_name(row: &DossierRow, lang: Lang) -> String {
    lang.pick(&row.procedure_vi, &row.procedure_en).to_owned()
}
