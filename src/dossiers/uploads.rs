//! Files arriving in a multipart request, for every channel that takes them (the citizen's
//! documents, the counter, the result's upload, feedback): streamed to storage with the type
//! read from their content, the size checked as they come, and the virus scan; whatever a
//! refused request stored is removed again.

use axum::extract::Multipart;

use super::domain;
use crate::AppState;

/// What went wrong with an upload (message keys).
pub enum UploadError {
    NoFile,
    WrongType,
    FileTooBig,
    DossierTooBig,
    TooMany,
    Interrupted,
    /// The virus scanner found malware.
    Infected,
    /// The virus scanner did not answer.
    ScanUnavailable,
    /// The citizen's unsubmitted dossiers hold `max_citizen_draft_mb` already.
    CitizenQuota,
}

impl UploadError {
    pub fn key(&self) -> &'static str {
        match self {
            Self::NoFile => "dossier.error_no_file",
            Self::WrongType => "dossier.error_file_type",
            Self::FileTooBig => "dossier.error_file_size",
            Self::DossierTooBig => "dossier.error_dossier_size",
            Self::TooMany => "dossier.error_too_many",
            Self::Interrupted => "dossier.error_interrupted",
            Self::Infected => "dossier.error_infected",
            Self::ScanUnavailable => "dossier.error_scan_unavailable",
            Self::CitizenQuota => "dossier.error_citizen_quota",
        }
    }
}

/// A stored file, before its row is written.
pub struct Stored {
    pub key: String,
    pub sha256: String,
    pub size: i64,
    pub content_type: &'static str,
    pub name: String,
}

/// Streams every `file` part to storage, checking type and size as it goes. On any problem
/// what this request stored is removed again.
pub async fn receive_files(
    app: &AppState,
    multipart: &mut Multipart,
    mut count: i64,
    mut total: i64,
) -> Result<Vec<Stored>, (UploadError, Vec<Stored>)> {
    let max_file = i64::try_from(app.settings.max_file_mb * 1024 * 1024).unwrap_or(i64::MAX);
    let max_total = i64::try_from(app.settings.max_dossier_mb * 1024 * 1024).unwrap_or(i64::MAX);
    let mut stored = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return Err((UploadError::Interrupted, stored)),
        };
        if field.name() != Some("file") {
            continue;
        }
        match store_part(app, field, max_file, max_total - total).await {
            Ok(None) => continue,
            Ok(Some(file)) => {
                count += 1;
                total += file.size;
                let too_many = count > app.settings.max_dossier_files;
                stored.push(file);
                if too_many {
                    return Err((UploadError::TooMany, stored));
                }
            }
            Err(problem) => return Err((problem, stored)),
        }
    }
    if stored.is_empty() {
        return Err((UploadError::NoFile, stored));
    }
    Ok(stored)
}

/// Streams one file part to storage: at most `max_file` bytes and `room` in all, of a type
/// read from its content, then through the virus scan. None for the empty part a browser
/// sends when no file was chosen; nothing is left stored on a problem.
pub async fn store_part(
    app: &AppState,
    mut field: axum::extract::multipart::Field<'_>,
    max_file: i64,
    room: i64,
) -> Result<Option<Stored>, UploadError> {
    let name = field.file_name().unwrap_or_default().to_owned();
    let Ok(mut upload) = app.storage.begin().await else {
        return Err(UploadError::Interrupted);
    };
    let mut problem = None;
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                let size = i64::try_from(upload.size).unwrap_or(i64::MAX) + chunk.len() as i64;
                if size > max_file {
                    problem = Some(UploadError::FileTooBig);
                } else if size > room {
                    problem = Some(UploadError::DossierTooBig);
                } else if upload.write(&chunk).await.is_err() {
                    problem = Some(UploadError::Interrupted);
                }
                if problem.is_some() {
                    break;
                }
            }
            Ok(None) => break,
            Err(_) => {
                problem = Some(UploadError::Interrupted);
                break;
            }
        }
    }
    if upload.size == 0 && problem.is_none() {
        app.storage.abandon(upload).await;
        return Ok(None);
    }
    let content_type = domain::sniff_content_type(&upload.head);
    if problem.is_none() && content_type.is_none() {
        problem = Some(UploadError::WrongType);
    }
    if let Some(problem) = problem {
        app.storage.abandon(upload).await;
        return Err(problem);
    }
    let size = i64::try_from(upload.size).unwrap_or(i64::MAX);
    let Ok((key, sha256)) = app.storage.commit(upload).await else {
        return Err(UploadError::Interrupted);
    };
    match crate::virus_scan::check_stored(&app.storage, &app.scanner, &key).await {
        crate::virus_scan::Verdict::Clean => Ok(Some(Stored {
            key,
            sha256,
            size,
            content_type: content_type.unwrap_or("application/pdf"),
            name: domain::display_name(&name),
        })),
        crate::virus_scan::Verdict::Infected(_) => Err(UploadError::Infected),
        crate::virus_scan::Verdict::Unavailable(_) => Err(UploadError::ScanUnavailable),
    }
}

/// Removes from storage the files of an upload that is not kept.
pub async fn discard(app: &AppState, stored: &[Stored]) {
    for s in stored {
        let _ = app.storage.delete(&s.key).await;
    }
}
