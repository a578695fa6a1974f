//! The language of a request: `?lang=` first, then the `lang` cookie, then Vietnamese.
//!
//! Accept-Language is deliberately not consulted: many phones in Vietnam run an English system
//! UI, and a Vietnamese public service should not switch language behind its citizens' backs.

use axum::extract::{FromRequestParts, Query};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::kernel::Lang;

/// Name of the cookie that remembers the language.
pub const COOKIE_NAME: &str = "lang";

/// Reads the language from the request's query string and cookies.
pub fn from_parts(query: Option<&str>, headers: &HeaderMap) -> Lang {
    if let Some(lang) = query.and_then(query_lang) {
        return lang;
    }
    super::cookie(headers, COOKIE_NAME)
        .and_then(Lang::parse)
        .unwrap_or_default()
}

fn query_lang(query: &str) -> Option<Lang> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| *name == "lang")
        .and_then(|(_, value)| Lang::parse(value))
}

/// Extractor for handlers.
pub struct RequestLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for RequestLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(from_parts(parts.uri.query(), &parts.headers)))
    }
}

#[derive(Deserialize)]
pub struct SwitchQuery {
    next: Option<String>,
}

/// `GET /ngon-ngu/{lang}?next=/path`: remembers the language for a year and goes back.
pub async fn switch_language(
    axum::extract::State(settings): axum::extract::State<std::sync::Arc<crate::Settings>>,
    axum::extract::Path(lang): axum::extract::Path<String>,
    Query(query): Query<SwitchQuery>,
) -> Response {
    let next = query
        .next
        .as_deref()
        .filter(|n| is_local_path(n))
        .map_or_else(|| "/".to_owned(), without_lang_param);
    let Some(lang) = Lang::parse(&lang) else {
        return Redirect::to(&next).into_response();
    };
    let secure = if settings.hsts { "; Secure" } else { "" };
    let cookie = format!(
        "{COOKIE_NAME}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}",
        lang.code()
    );
    let mut response = Redirect::to(&next).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(SET_COOKIE, value);
    }
    response
}

/// `/x?q=a&lang=en` → `/x?q=a`: a `lang` in the query would outvote the cookie just set.
fn without_lang_param(path: &str) -> String {
    let Some((path, query)) = path.split_once('?') else {
        return path.to_owned();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.starts_with("lang=") && *pair != "lang")
        .collect();
    if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

/// Only paths on this site: `/x`, never `//host`, `/\host` or `http://…`.
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.chars().any(|c| c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header::COOKIE;

    #[test]
    fn query_wins_over_cookie_and_vietnamese_is_the_default() {
        let mut headers = HeaderMap::new();
        assert_eq!(from_parts(None, &headers), Lang::Vi);
        headers.insert(COOKIE, HeaderValue::from_static("a=b; lang=en"));
        assert_eq!(from_parts(None, &headers), Lang::En);
        assert_eq!(from_parts(Some("q=x&lang=vi"), &headers), Lang::Vi);
        headers.insert(COOKIE, HeaderValue::from_static("lang=fr"));
        assert_eq!(from_parts(None, &headers), Lang::Vi);
    }

    #[test]
    fn switching_back_drops_a_lang_parameter() {
        assert_eq!(without_lang_param("/thu-tuc?q=x&lang=en"), "/thu-tuc?q=x");
        assert_eq!(without_lang_param("/?lang=en"), "/");
        assert_eq!(
            without_lang_param("/thu-tuc?language=1"),
            "/thu-tuc?language=1"
        );
    }

    #[test]
    fn redirects_stay_on_this_site() {
        assert!(is_local_path("/thu-tuc?q=a"));
        assert!(!is_local_path("//evil.example"));
        assert!(!is_local_path("/\\evil.example"));
        assert!(!is_local_path("https://evil.example"));
        assert!(!is_local_path("/a\r\nSet-Cookie: x"));
    }
}
