//! One error type for every handler.
//!
//! Policy: internal errors are logged once (here, inside the request span) and the user sees a
//! generic page with the request id, never the message. Error pages are rendered by the
//! `error_pages` middleware, which knows the request's language and whether it asked the API.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// What went wrong, as the user should learn it.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// The record changed since the page was shown (or another official acted first).
    #[error("conflict")]
    Conflict,
    /// A message key in `src/locales/` explaining what was wrong with the request.
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// Not an error for the user: the page they asked for lives elsewhere now (a submitted
    /// dossier's draft steps lead to the dossier). A 303 to the given local path.
    #[error("see {0}")]
    SeeOther(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => Self::NotFound,
            other => Self::Internal(anyhow::Error::new(other)),
        }
    }
}

/// Placed in the response extensions; `error_pages` turns it into a page or a JSON body.
#[derive(Debug, Clone, Copy)]
pub struct ErrorMarker {
    pub status: StatusCode,
    /// Message key of the explanation shown to the user.
    pub message: &'static str,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Self::SeeOther(path) = &self {
            return axum::response::Redirect::to(path).into_response();
        }
        let (status, message) = match &self {
            Self::NotFound => (StatusCode::NOT_FOUND, "errors.not_found_text"),
            Self::Forbidden => (StatusCode::FORBIDDEN, "errors.forbidden_text"),
            Self::Conflict => (StatusCode::CONFLICT, "errors.conflict_text"),
            Self::BadRequest(key) => (StatusCode::BAD_REQUEST, *key),
            Self::SeeOther(_) => (StatusCode::SEE_OTHER, "errors.not_found_text"),
            Self::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "errors.server_text")
            }
        };
        let mut response = status.into_response();
        response
            .extensions_mut()
            .insert(ErrorMarker { status, message });
        response
    }
}

/// The fallback for unknown paths.
pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// How every JSON endpoint answers an error it did not shape itself (`web::middleware`): the
/// status and a message in the request's language.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ApiError {
    pub error: ApiErrorBody,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ApiErrorBody {
    pub status: u16,
    /// in Vietnamese, or English with `?lang=en` or `Accept-Language: en`
    pub message: String,
}
