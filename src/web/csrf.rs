//! CSRF protection of every state-changing request, in two layers:
//! - tower-http's `CsrfLayer` (in `routes.rs`) refuses cross-site requests by their
//!   Sec-Fetch-Site / Origin headers, before anything else runs;
//! - `verify_token` here checks the session's synchronizer token, for browsers that send
//!   neither header. Forms carry it as the `csrf` field; scripts as the `x-csrf-token` header;
//!   multipart forms (uploads) as a `csrf` query parameter of their action, so that the body
//!   can stream.
//!
//! A visitor who is not signed in and has nothing in a session gets no session row for a page
//! with a form (a procedure page, public tracking, the sign-in page): their token is a random
//! value in a cookie of its own (`motcua_csrf`), sent back in the form (double submit). Only
//! what a visitor does, never what they look at, writes to the database.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

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

/// Name of the cookie that carries an anonymous visitor's token.
pub const ANON_COOKIE: &str = "motcua_csrf";

/// The anonymous token of the request being served, and whether a page used it.
struct AnonToken {
    value: String,
    used: AtomicBool,
}

tokio::task_local! {
    static ANON: Arc<AnonToken>;
}

/// The anonymous visitor's token for the page being rendered (the cookie is set with the
/// response); None outside a request.
pub fn anonymous_token() -> Option<String> {
    ANON.try_with(|token| {
        token.used.store(true, Ordering::Relaxed);
        token.value.clone()
    })
    .ok()
}

/// Makes the visitor's anonymous token available to the request, and sets its cookie when a
/// page used a new one. `secure` adds the Secure attribute (with HSTS).
pub async fn with_anonymous_token(secure: bool, request: Request, next: Next) -> Response {
    let existing = cookie(request.headers(), ANON_COOKIE).filter(|v| is_token(v));
    let token = Arc::new(AnonToken {
        value: existing.clone().unwrap_or_else(new_token),
        used: AtomicBool::new(false),
    });
    let mut response = ANON.scope(token.clone(), next.run(request)).await;
    if existing.is_none() && token.used.load(Ordering::Relaxed) {
        let secure = if secure { "; Secure" } else { "" };
        let value = format!(
            "{ANON_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax{secure}",
            token.value
        );
        if let Ok(value) = header::HeaderValue::from_str(&value) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// 32 random bytes in hex, as the session's tokens.
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    hex::encode(bytes)
}

fn is_token(value: &str) -> bool {
    value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_owned())
}

/// `a` and `b` are equal, compared in constant time for equal lengths.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Refuses an unsafe request whose token matches neither the session's nor the anonymous
/// cookie's.
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
    let anonymous = cookie(&parts.headers, ANON_COOKIE).filter(|v| is_token(v));
    match supplied {
        Some(token)
            if anonymous.is_some_and(|a| same_token(&a, &token))
                || session::csrf_matches(&session, &token).await =>
        {
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

    #[test]
    fn anonymous_tokens_come_from_their_own_cookie_only() {
        let token = new_token();
        assert!(is_token(&token));
        assert!(!is_token("abc"));
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            format!("lang=vi; {ANON_COOKIE}={token}").parse().unwrap(),
        );
        assert_eq!(cookie(&headers, ANON_COOKIE), Some(token.clone()));
        assert_eq!(cookie(&headers, "motcua_sid"), None);
        assert!(same_token(&token, &token.clone()));
        assert!(!same_token(&token, &new_token()));
        assert!(!same_token(&token, &token[..63]));
        // outside a request there is no anonymous token
        assert_eq!(anonymous_token(), None);
    }
}
