//! Every page in English: no Vietnamese text but the data that has no English (names of people
//! and places, procedure content), which the pages mark `lang="vi"` — as a screen reader needs
//! to read it right.

use axum::http::{Method, StatusCode};

use crate::helpers::TestApp;
use crate::helpers::html::Page;
use crate::helpers::session::{sign_in_citizen, sign_in_staff};

/// Fills a route's parameters with the demo's own things.
async fn fill(app: &TestApp, path: &str) -> Option<String> {
    let dossier: uuid::Uuid =
        sqlx::query_scalar("select id from dossiers where code = '000.00.00.H48-251117-0003'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let filled = path
        .replace("{code}", "1.001193")
        .replace("{slug}", "ubnd-phuong-cam-thanh")
        .replace("{lang}", "en")
        .replace("{kind}", "accepted")
        .replace("{step}", "documents")
        .replace("{id}", &dossier.to_string());
    (!filled.contains('{')).then_some(filled)
}

/// The words with Vietnamese marks that the English texts of `src/locales/` write themselves:
/// proper names ("Quảng Ngãi", "Một Cửa"), reviewed with the copy.
fn english_copy_names() -> std::collections::HashSet<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/locales");
    let mut names = std::collections::HashSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines().filter_map(|l| l.strip_prefix("  en:")) {
            names.extend(crate::helpers::html::vietnamese_words(line));
        }
    }
    names
}

#[tokio::test]
async fn every_page_in_english_shows_vietnamese_only_as_marked_data() {
    let app = TestApp::with_demo().await;
    // the proper names the English copy itself writes with their marks ("Quảng Ngãi")
    let names = english_copy_names();
    let mut failures = Vec::new();
    for persona in [
        None,
        Some("citizen"),
        Some("tiepnhan"),
        Some("chuyenvien"),
        Some("lanhdao"),
        Some("quantricoquan"),
        Some("quantri"),
        Some("chutich"),
    ] {
        let client = TestApp::over_same(&app);
        match persona {
            None => {}
            Some("citizen") => sign_in_citizen(&client).await,
            Some(user) => sign_in_staff(&client, user).await,
        }
        let set = client.server.get("/ngon-ngu/en?next=/").await;
        assert_eq!(set.status_code(), StatusCode::SEE_OTHER);
        for spec in motcua::routes::specs() {
            if spec.method != Method::GET
                || spec.path.starts_with("/api/")
                || spec.path.contains("logout")
                || spec.path.contains("/ngon-ngu")
            {
                continue;
            }
            let Some(path) = fill(&client, spec.path).await else {
                continue;
            };
            let response = client.server.get(&path).await;
            let html = response
                .maybe_header(axum::http::header::CONTENT_TYPE)
                .is_some_and(|t| t.to_str().unwrap_or_default().starts_with("text/html"));
            if response.status_code() != StatusCode::OK || !html {
                continue;
            }
            let page = Page::parse(&response.text());
            for text in page.vietnamese_outside_lang_vi(&names) {
                failures.push(format!("{persona:?} {path}: {text}"));
            }
        }
    }
    failures.sort();
    failures.dedup();
    assert!(
        failures.is_empty(),
        "{} texts:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
