//! Search: diacritics, ranking, filters, keyset pagination and bad input.

use axum::http::StatusCode;

use crate::helpers::html::Page;
use crate::helpers::{TestApp, TestDb};

async fn search(app: &TestApp, query: &[(&str, &str)]) -> (StatusCode, Page) {
    let mut request = app.server.get("/thu-tuc");
    for (k, v) in query {
        request = request.add_query_param(k, v);
    }
    let response = request.await;
    (response.status_code(), Page::parse(&response.text()))
}

#[tokio::test]
async fn search_ignores_diacritics_and_case() {
    let app = TestApp::with_demo().await;
    for typed in [
        "đăng ký kết hôn",
        "DANG KY KET HON",
        "dang ky ket hon",
        "Đăng Ký Kết Hôn",
    ] {
        let (status, page) = search(&app, &[("q", typed)]).await;
        assert_eq!(status, StatusCode::OK, "{typed}");
        let names = page.result_names();
        assert_eq!(
            names.first().map(String::as_str),
            Some("Đăng ký kết hôn"),
            "{typed}: {names:?}"
        );
        assert_eq!(
            page.attr("#q", "value"),
            typed,
            "the search box keeps what was typed"
        );
    }
}

#[tokio::test]
async fn the_exact_name_ranks_above_longer_names_that_contain_it() {
    let app = TestApp::with_demo().await;
    let (_, page) = search(&app, &[("q", "dang ky khai sinh")]).await;
    let names = page.result_names();
    assert_eq!(names[0], "Đăng ký khai sinh", "{names:?}");
    assert!(
        names.len() > 1,
        "longer names that contain the words follow: {names:?}"
    );
    assert!(
        names[1..]
            .iter()
            .all(|n| n.to_lowercase().contains("khai sinh")),
        "{names:?}"
    );
}

#[tokio::test]
async fn words_still_being_typed_match_as_prefixes() {
    let app = TestApp::with_demo().await;
    let (_, page) = search(&app, &[("q", "ket ho")]).await;
    assert!(page.result_names().iter().any(|n| n == "Đăng ký kết hôn"));
}

#[tokio::test]
async fn a_procedure_code_finds_that_procedure() {
    let app = TestApp::with_demo().await;
    let (_, page) = search(&app, &[("q", "1.001193")]).await;
    assert_eq!(
        page.texts(".cards .card-facts dd")
            .first()
            .map(String::as_str),
        Some("1.001193")
    );
    assert_eq!(page.result_names()[0], "Đăng ký khai sinh");
}

#[tokio::test]
async fn nothing_found_says_so() {
    let app = TestApp::with_demo().await;
    let (status, page) = search(&app, &[("q", "xyzzy khong co")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.result_names().is_empty());
    assert!(page.text(".empty").contains("Không tìm thấy thủ tục nào"));
}

#[tokio::test]
async fn the_level_filter_keeps_only_that_level() {
    let app = TestApp::with_demo().await;
    let (_, full) = search(&app, &[("level", "full")]).await;
    let badges = full.texts(".cards .badge");
    assert!(!badges.is_empty());
    assert!(badges.iter().all(|b| b == "Toàn trình"), "{badges:?}");
    // the old level numbers are understood too
    let (_, four) = search(&app, &[("level", "4")]).await;
    assert_eq!(four.result_names(), full.result_names());
    let (_, partial) = search(&app, &[("level", "partial")]).await;
    assert!(
        partial
            .texts(".cards .badge")
            .iter()
            .all(|b| b == "Một phần")
    );
    assert_eq!(partial.attr("#level option[selected]", "value"), "partial");
}

#[tokio::test]
async fn the_agency_filter_keeps_what_that_agency_decides() {
    let app = TestApp::with_demo().await;
    let (status, page) = search(&app, &[("agency", "so-tu-phap-quang-ngai")]).await;
    assert_eq!(status, StatusCode::OK);
    let deciding = page.texts(".cards .card-facts div:nth-child(2) dd");
    assert!(!deciding.is_empty());
    assert!(
        deciding.iter().all(|d| d == "Sở Tư pháp tỉnh Quảng Ngãi"),
        "{deciding:?}"
    );
    assert_eq!(page.text("h1"), "Sở Tư pháp tỉnh Quảng Ngãi");
}

#[tokio::test]
async fn a_commune_sees_the_procedures_every_commune_decides() {
    let app = TestApp::with_demo().await;
    let slug: String = sqlx::query_scalar("select slug from agencies where kind = 'commune_pc' and valid_to is null order by slug limit 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let (_, page) = search(&app, &[("agency", &slug), ("q", "khai sinh")]).await;
    assert!(
        page.result_names().iter().any(|n| n == "Đăng ký khai sinh"),
        "{slug}"
    );
}

#[tokio::test]
async fn the_field_filter_combines_with_the_search_words() {
    let app = TestApp::with_demo().await;
    let field: String = sqlx::query_scalar(
        "select f.code from fields f join procedures p on p.field_id = f.id where p.code = '1.000894'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let (_, page) = search(&app, &[("field", &field), ("q", "dang ky")]).await;
    let names = page.result_names();
    assert!(names.contains(&"Đăng ký kết hôn".to_owned()), "{names:?}");
    let fields = page.texts(".cards .card-facts div:nth-child(4) dd");
    assert!(
        fields.windows(2).all(|w| w[0] == w[1]),
        "one field only: {fields:?}"
    );
}

#[tokio::test]
async fn browsing_pages_through_every_procedure_once() {
    let app = TestApp::with_demo().await;
    let total: i64 = sqlx::query_scalar("select count(*) from procedures")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let mut seen = Vec::new();
    let mut url = "/thu-tuc".to_owned();
    for _ in 0..20 {
        let response = app.server.get(&url).await;
        response.assert_status_ok();
        let page = Page::parse(&response.text());
        let names = page.result_names();
        assert!(names.len() <= 20);
        seen.extend(page.texts(".cards .card-facts div:first-child dd"));
        match page.attrs("a[rel=next]", "href").into_iter().next() {
            Some(next) => {
                assert_eq!(names.len(), 20, "only the last page is short");
                assert!(page.has(".pager") && next.contains("cursor="));
                url = next;
            }
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no procedure twice");
    assert_eq!(seen.len() as i64, total, "every procedure once");
}

#[tokio::test]
async fn ranked_results_page_without_repeats() {
    let app = TestApp::with_demo().await;
    // "cap" matches many names: walk its pages
    let mut seen = Vec::new();
    let mut url = "/thu-tuc?q=c".to_owned();
    loop {
        let page = Page::parse(&app.server.get(&url).await.text());
        seen.extend(page.texts(".cards .card-facts div:first-child dd"));
        match page.attrs("a[rel=next]", "href").into_iter().next() {
            Some(next) => {
                let next_page = Page::parse(&app.server.get(&next).await.text());
                assert!(
                    next_page
                        .texts(".pager a")
                        .contains(&"Về trang đầu".to_owned()),
                    "a way back to the first page"
                );
                url = next;
            }
            None => break,
        }
    }
    assert!(seen.len() > 20, "the query spans pages: {}", seen.len());
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len());
}

#[tokio::test]
async fn a_search_over_200_characters_is_refused_on_the_same_page() {
    let app = TestApp::with_demo().await;
    let long = "kết hôn ".repeat(30);
    let (status, page) = search(&app, &[("q", &long)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.text(".error-summary").contains("dài quá 200 ký tự"));
    assert_eq!(page.attr("#q", "value"), long, "the input is kept");
    assert!(page.result_names().is_empty());
}

#[tokio::test]
async fn invalid_cursors_and_filters_are_explained() {
    let app = TestApp::with_demo().await;
    let cases = [
        (
            vec![("cursor", "garbage!")],
            "Liên kết trang kết quả không hợp lệ",
        ),
        (
            vec![("level", "7")],
            "Mức độ dịch vụ công trực tuyến đã chọn không hợp lệ",
        ),
        (
            vec![("agency", "khong-ton-tai")],
            "Cơ quan đã chọn không có trong danh sách",
        ),
        (
            vec![("field", "NOPE")],
            "Lĩnh vực đã chọn không có trong danh sách",
        ),
    ];
    for (query, message) in cases {
        let (status, page) = search(&app, &query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query:?}");
        assert!(page.text(".error-summary").contains(message), "{query:?}");
    }
}

#[tokio::test]
async fn what_the_user_typed_is_never_rendered_as_html() {
    let app = TestApp::with_demo().await;
    let response = app
        .server
        .get("/thu-tuc")
        .add_query_param("q", "<script>alert(1)</script>")
        .await;
    let body = response.text();
    assert!(!body.contains("<script>alert(1)</script>"));
    assert!(
        body.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || body.contains("&#60;script&#62;")
    );
}

#[tokio::test]
async fn repeated_searches_come_from_memory_whatever_the_tones() {
    let db = TestDb::new().await;
    crate::helpers::load_demo(&db.pool).await;
    let app = TestApp::configured(db, |s| s.reference_cache_seconds = 60);
    let (_, first) = search(&app, &[("q", "dang ky ket hon")]).await;
    assert_eq!(first.result_names()[0], "Đăng ký kết hôn");
    sqlx::query(
        "update procedure_versions set name_vi = 'Đăng ký kết hôn (tên mới)' \
         where procedure_id = (select id from procedures where code = '1.000894')",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    // the same words with tones and capitals: the same cached page
    let (_, cached) = search(&app, &[("q", "ĐĂNG KÝ KẾT HÔN")]).await;
    assert_eq!(cached.result_names()[0], "Đăng ký kết hôn");
    // other words: a fresh query sees the new name
    let (_, fresh) = search(&app, &[("q", "ket hon ten moi")]).await;
    assert_eq!(fresh.result_names(), ["Đăng ký kết hôn (tên mới)"]);
}

#[tokio::test]
async fn broad_searches_page_through_every_match_once() {
    let db = TestDb::new().await;
    crate::helpers::load_demo(&db.pool).await;
    // every generated name holds "mẫu số": over a thousand matches, past the sorting limit
    motcua::demo::generate(&db.pool, 1_500).await.unwrap();
    let app = TestApp::over(db);
    let expected: i64 = sqlx::query_scalar(
        "select count(*) from procedure_versions where search_doc @@ to_tsquery('simple', 'mau & so:*')",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(expected > 1_000, "{expected}");
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut request = app
            .server
            .get("/api/v1/procedures")
            .add_query_param("q", "mẫu số");
        if let Some(c) = &cursor {
            request = request.add_query_param("cursor", c);
        }
        let page: serde_json::Value = request.await.json();
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["code"].as_str().unwrap().to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no procedure twice");
    assert_eq!(seen.len() as i64, expected, "every match once");
}
