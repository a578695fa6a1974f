//! Static assets, embedded in the binary and served with a content hash in their URL
//! (`/static/app.css?v=1a2b3c4d`), so browsers may cache them for a year.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

struct Asset {
    body: &'static [u8],
    content_type: &'static str,
    url: String,
    etag: String,
}

const FILES: &[(&str, &[u8], &str)] = &[
    (
        "app.css",
        include_bytes!("../../static/app.css"),
        "text/css; charset=utf-8",
    ),
    (
        "upload.js",
        include_bytes!("../../static/upload.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "refresh.js",
        include_bytes!("../../static/refresh.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "favicon.svg",
        include_bytes!("../../static/favicon.svg"),
        "image/svg+xml",
    ),
];

static ASSETS: LazyLock<HashMap<&'static str, Asset>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|(name, body, content_type)| {
            let hash = hex::encode(&Sha256::digest(body)[..6]);
            let asset = Asset {
                body,
                content_type,
                url: format!("/static/{name}?v={hash}"),
                etag: format!("\"{hash}\""),
            };
            (*name, asset)
        })
        .collect()
});

/// The versioned URL of an embedded asset.
pub fn url(name: &str) -> &'static str {
    ASSETS
        .get(name)
        .map_or("/static/missing", |a| a.url.as_str())
}

/// `GET /static/{name}`
pub async fn serve(Path(name): Path<String>, headers: axum::http::HeaderMap) -> Response {
    let Some(asset) = ASSETS.get(name.as_str()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let cache = HeaderValue::from_static("public, max-age=31536000, immutable");
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == asset.etag.as_bytes())
    {
        return (StatusCode::NOT_MODIFIED, [(header::CACHE_CONTROL, cache)]).into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            ),
            (header::CACHE_CONTROL, cache),
            (
                header::ETAG,
                HeaderValue::from_str(&asset.etag).unwrap_or(HeaderValue::from_static("\"0\"")),
            ),
        ],
        asset.body,
    )
        .into_response()
}
