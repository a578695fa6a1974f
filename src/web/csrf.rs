//! CSRF protection of every state-changing request, in two layers:
//! - tower-http's `CsrfLayer` (in `routes.rs`) refuses cross-site requests by their
//!   Sec-Fetch-Site / Origin headers, before anything else runs;
//! - `verify_token` here checks the session's synchronizer token, for browsers that send
//!   neither header. Forms carry it as the `csrf` field; scripts as the `x-csrf-token` header;
//!   multipart forms (uploads) as their first field, `csrf`, read from the first few
//!   kilobytes of the body while the rest streams on untouched. Never in the query string,
//!   where it would stay in logs and histories.
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
    let existing = anonymous_cookie(request.headers());
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

/// The visitor's anonymous token, when its cookie holds one.
fn anonymous_cookie(headers: &HeaderMap) -> Option<String> {
    crate::web::cookie(headers, ANON_COOKIE)
        .filter(|v| is_token(v))
        .map(str::to_owned)
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
    } else if let Some(boundary) = multipart_boundary(&parts.headers) {
        match first_field_token(body, &boundary).await {
            Ok(found) => found,
            Err(response) => return response,
        }
    } else {
        (None, body)
    };
    let anonymous = anonymous_cookie(&parts.headers);
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

/// How much of a multipart body is read to find its first field.
const MAX_FIRST_PART: usize = 8 * 1024;

fn multipart_boundary(headers: &HeaderMap) -> Option<String> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    multer::parse_boundary(content_type).ok()
}

/// The value of a multipart body's first field when it is `csrf`, and the body to pass on (the
/// bytes read, then the rest of the stream).
async fn first_field_token(body: Body, boundary: &str) -> Result<(Option<String>, Body), Response> {
    use futures_util::StreamExt as _;
    let mut stream = body.into_data_stream();
    let mut read = Vec::new();
    let token = loop {
        if let Some(found) = parse_first_field(&read, boundary) {
            break found;
        }
        if read.len() >= MAX_FIRST_PART {
            break None;
        }
        match stream.next().await {
            Some(Ok(chunk)) => read.extend_from_slice(&chunk),
            Some(Err(_)) => return Err(StatusCode::BAD_REQUEST.into_response()),
            None => break parse_first_field(&read, boundary).flatten(),
        }
    };
    let head =
        futures_util::stream::once(
            async move { Ok::<_, axum::Error>(axum::body::Bytes::from(read)) },
        );
    Ok((token, Body::from_stream(head.chain(stream))))
}

/// None while more bytes are needed; Some(None) when the first field is not a token;
/// Some(Some(token)) when it is.
fn parse_first_field(read: &[u8], boundary: &str) -> Option<Option<String>> {
    let opening = format!("--{boundary}\r\n");
    if read.len() < opening.len() {
        return None;
    }
    let Some(rest) = read.strip_prefix(opening.as_bytes()) else {
        return Some(None);
    };
    let headers_end = find(rest, b"\r\n\r\n")?;
    let headers = String::from_utf8_lossy(&rest[..headers_end]).to_ascii_lowercase();
    let named_csrf = headers.lines().any(|line| {
        line.starts_with("content-disposition:")
            && line.split(';').any(|p| p.trim() == "name=\"csrf\"")
    });
    if !named_csrf {
        return Some(None);
    }
    let value = &rest[headers_end + 4..];
    let closing = format!("\r\n--{boundary}");
    let end = find(value, closing.as_bytes())?;
    Some(std::str::from_utf8(&value[..end]).ok().map(str::to_owned))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_found_in_forms_and_queries() {
        assert_eq!(form_token(b"a=1&csrf=abc&b=2"), Some("abc".into()));
        assert_eq!(form_token(b"a=1"), None);
    }

    #[test]
    fn the_token_is_the_first_field_of_a_multipart_form() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc123\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF";
        assert_eq!(parse_first_field(body, "XyZ"), Some(Some("abc123".into())));
        // more bytes needed
        assert_eq!(parse_first_field(&body[..30], "XyZ"), None);
        assert_eq!(parse_first_field(&body[..62], "XyZ"), None);
        // a file first: no token
        let file_first = b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"csrf\"\r\n\r\n%PDF";
        assert_eq!(parse_first_field(file_first, "XyZ"), Some(None));
        assert_eq!(parse_first_field(b"garbage-garbage", "XyZ"), Some(None));
    }

    #[tokio::test]
    async fn the_body_after_the_token_streams_on_whole() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\ndata\r\n--XyZ--\r\n";
        let (token, rest) = first_field_token(Body::from(body.to_vec()), "XyZ")
            .await
            .unwrap();
        assert_eq!(token.as_deref(), Some("abc"));
        let bytes = to_bytes(rest, 1 << 20).await.unwrap();
        assert_eq!(&bytes[..], &body[..]);
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
        assert_eq!(anonymous_cookie(&headers), Some(token.clone()));
        assert_eq!(crate::web::cookie(&headers, "motcua_sid"), None);
        assert!(same_token(&token, &token.clone()));
        assert!(!same_token(&token, &new_token()));
        assert!(!same_token(&token, &token[..63]));
        // outside a request there is no anonymous token
        assert_eq!(anonymous_token(), None);
    }
}
