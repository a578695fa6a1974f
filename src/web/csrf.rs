//! CSRF protection of every state-changing request, in two layers:
//! - tower-http's `CsrfLayer` (in `routes.rs`) refuses cross-site requests by their
//!   Sec-Fetch-Site / Origin headers, before anything else runs;
//! - `verify_token` here checks the session's synchronizer token, for browsers that send
//!   neither header. Forms carry it as the `csrf` field; scripts as the `x-csrf-token` header;
//!   multipart forms (uploads) as a `csrf` query parameter of their action, so that the body
//!   can stream.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use crate::web::error::ErrorMarker;
use crate::web::session;

/// Forms bigger than this are not forms (uploads are multipart and are not buffered).
const MAX_FORM_BYTES: usize = 256 * 1024;

/// Refuses an unsafe request whose token does not match the session's.
pub async fn verify_token(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let Some(session) = request.extensions().get::<Session>().cloned() else {
        return refused();
    };
    let (parts, body) = request.into_parts();
    let (supplied, body) = if let Some(token) = header_token(&parts.headers) {
        (Some(token), body)
    } else if is_form(&parts.headers) {
        let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
            return (StatusCode::PAYLOAD_TOO_LARGE).into_response();
        };
        let token = form_token(&bytes);
        (token, Body::from(bytes))
    } else {
        (query_token(parts.uri.query()), body)
    };
    match supplied {
        Some(token) if session::csrf_matches(&session, &token).await => {
            next.run(Request::from_parts(parts, body)).await
        }
        _ => refused(),
    }
}

fn refused() -> Response {
    let mut response = StatusCode::FORBIDDEN.into_response();
    response.extensions_mut().insert(ErrorMarker {
        status: StatusCode::FORBIDDEN,
        message: "errors.csrf_text",
    });
    response
}

fn header_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"))
}

fn form_token(body: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v)
}

fn query_token(query: Option<&str>) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query?)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_found_in_forms_and_queries() {
        assert_eq!(form_token(b"a=1&csrf=abc&b=2"), Some("abc".into()));
        assert_eq!(form_token(b"a=1"), None);
        assert_eq!(query_token(Some("csrf=x%2By")), Some("x+y".into()));
        assert_eq!(query_token(None), None);
    }
}
