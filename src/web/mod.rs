//! HTTP plumbing shared by every capability: language, layout, errors, assets, headers.
//! No business rules live here.

pub mod assets;
pub mod client;
pub mod csrf;
pub mod download;
pub mod error;
pub mod flash;
pub mod form;
pub mod lang;
pub mod middleware;
pub mod page;
pub mod paths;
pub mod session;

pub use error::{AppError, AppResult};

/// The value of the request's cookie `name`, if it sent one.
pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}
pub use form::FormErrors;
pub use page::Layout;
