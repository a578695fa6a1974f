//! Middleware of our own: error pages in the portal's look, and security headers.

use askama::Template;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::kernel::Lang;
use crate::web::error::ErrorMarker;
use crate::web::{Layout, lang};

/// The 404 / 403 / 400 / 500 page.
#[derive(Template)]
#[template(path = "errors/error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub status: u16,
    pub heading: String,
    pub text: String,
    pub request_id: String,
}

/// Turns every error response into a page in the portal's look (or JSON under `/api/`),
/// in the request's language. Nothing internal is ever shown.
pub async fn error_pages(request: Request, next: Next) -> Response {
    let lang = lang::from_parts(request.uri().query(), request.headers());
    let is_api = request.uri().path().starts_with("/api/");
    let here = request
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |pq| pq.as_str().to_owned());
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();

    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let marker = response.extensions().get::<ErrorMarker>().copied();
    let already_rendered = marker.is_none()
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("text/html") || ct.starts_with("application/json"));
    if already_rendered {
        return response;
    }
    let message = marker.map_or_else(|| default_message(status), |m| m.message);
    let mut rendered = if is_api {
        json_error(status, lang, message)
    } else {
        html_error(status, lang, message, here, request_id)
    };
    // keep headers such as Allow on a 405
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rendered.headers_mut().insert(name.clone(), value.clone());
        }
    }
    rendered
}

fn default_message(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "errors.not_found_text",
        StatusCode::FORBIDDEN => "errors.forbidden_text",
        StatusCode::METHOD_NOT_ALLOWED => "errors.method_text",
        StatusCode::PAYLOAD_TOO_LARGE => "errors.too_large_text",
        s if s.is_server_error() => "errors.server_text",
        _ => "errors.bad_request_text",
    }
}

fn heading_key(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "errors.not_found",
        StatusCode::FORBIDDEN => "errors.forbidden",
        StatusCode::CONFLICT => "errors.conflict",
        s if s.is_server_error() => "errors.server",
        _ => "errors.bad_request",
    }
}

fn json_error(status: StatusCode, lang: Lang, message: &str) -> Response {
    let body = serde_json::json!({
        "error": { "status": status.as_u16(), "message": lang.t(message) }
    });
    (status, axum::Json(body)).into_response()
}

fn html_error(
    status: StatusCode,
    lang: Lang,
    message: &str,
    here: String,
    request_id: String,
) -> Response {
    let heading = lang.t(heading_key(status)).into_owned();
    let page = ErrorPage {
        layout: Layout::new(lang, heading.clone(), here),
        status: status.as_u16(),
        heading,
        text: lang.t(message).into_owned(),
        request_id,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "error page failed to render");
            (status, Body::from(status.to_string())).into_response()
        }
    }
}

/// The origin (`scheme://host[:port]`) of a URL, for the content security policy.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    let safe = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
    };
    (matches!(scheme, "https" | "http") && safe(host)).then(|| format!("{scheme}://{host}"))
}

/// Security headers on every response (set only where a handler did not set its own), with
/// `Cache-Control: no-store` unless the handler chose otherwise. Forms
/// may lead to this origin and to the payment gateways' (`gateway_urls`), nowhere else.
pub fn security_headers(
    hsts: bool,
    gateway_urls: &[String],
) -> Vec<SetResponseHeaderLayer<HeaderValue>> {
    let mut form_action = vec!["'self'".to_owned()];
    for origin in gateway_urls.iter().filter_map(|u| origin_of(u)) {
        if !form_action.contains(&origin) {
            form_action.push(origin);
        }
    }
    let form_action = form_action.join(" ");
    let csp = format!(
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
         form-action {form_action}; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    );
    let mut layers = Vec::new();
    if let Ok(value) = HeaderValue::from_str(&csp) {
        layers.push(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            value,
        ));
    }
    let mut headers = vec![
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        // pages and exports carry personal data: no shared or browser cache keeps them (a
        // handler that serves something public sets its own, as assets and templates do)
        (header::CACHE_CONTROL, "no-store"),
    ];
    if hsts {
        headers.push((
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        ));
    }
    layers.extend(headers.into_iter().map(|(name, value)| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    }));
    layers
}

#[cfg(test)]
mod csp_tests {
    use super::*;

    #[test]
    fn forms_may_lead_to_the_gateway_origin_only() {
        assert_eq!(
            origin_of("https://pay.example.vn/paymentv2/vpcpay.html?x=1").as_deref(),
            Some("https://pay.example.vn")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080/sandbox/vnpay/paymentv2/vpcpay.html").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(origin_of("javascript:alert(1)"), None);
        assert_eq!(origin_of("https://evil.example; script-src *"), None);
        assert_eq!(origin_of(""), None);
    }
}
