//! File downloads: one place for the headers every download needs.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::web::paths;

/// `bytes` as an attachment named `file_name`, never cached by shared caches.
pub fn attachment(bytes: Vec<u8>, content_type: &str, file_name: &str) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    let ascii: String = file_name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    let ascii = if ascii.is_empty() {
        "tep".to_owned()
    } else {
        ascii
    };
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        paths::encode(file_name)
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}
