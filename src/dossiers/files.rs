//! Serving a dossier's stored file (documents, supplements, results) to whoever may see it.

use axum::response::Response;
use uuid::Uuid;

use super::domain;
use super::repo::FileRow;
use crate::AppState;
use crate::web::{AppError, AppResult, download};

/// The file `file` among `files` (those the caller may see), as a download; 404 otherwise.
pub async fn serve(app: &AppState, files: &[FileRow], file: Uuid) -> AppResult<Response> {
    let f = files
        .iter()
        .find(|f| f.id == file)
        .ok_or(AppError::NotFound)?;
    let body = app
        .storage
        .read(&f.storage_key)
        .await
        .map_err(|_| AppError::NotFound)?;
    Ok(download::attachment(
        body,
        &f.content_type,
        &domain::display_name(&f.original_name),
    ))
}
