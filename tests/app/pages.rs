//! The home page, procedure pages, error pages, language, headers and assets.

use axum::http::{StatusCode, header};

use crate::helpers::TestApp;
use crate::helpers::html::Page;

#[tokio::test]
async fn the_home_page_offers_search_fields_agencies_and_the_ways_to_submit() {
    let app = TestApp::with_demo().await;
    let response = app.server.get("/").await;
    response.assert_status_ok();
    let page = Page::parse(&response.text());
    assert_eq!(page.attr("html", "lang"), "vi");
    assert_eq!(page.attr("form[role=search]", "action"), "/thu-tuc");
    assert_eq!(page.text("label[for=q]"), "Tìm thủ tục hành chính");
    let headings = page.texts("h2");
    for expected in [
        "Ba cách nộp hồ sơ",
        "Thủ tục được sử dụng nhiều nhất",
        "Theo lĩnh vực",
        "Theo cơ quan giải quyết",
    ] {
        assert!(
            headings.contains(&expected.to_owned()),
            "{expected} in {headings:?}"
        );
    }
    assert_eq!(
        page.texts(".how h3"),
        ["Trực tuyến", "Tại quầy tiếp nhận", "Qua bưu điện"]
    );
    assert_eq!(page.result_names().len(), 8, "eight most used procedures");
    assert!(page.texts(".count-list a").iter().any(|t| t == "Hộ tịch"));
    assert!(
        page.texts(".count-list a")
            .iter()
            .any(|t| t == "Sở Tư pháp tỉnh Quảng Ngãi")
    );
    assert!(
        page.has(".kind-group select[name=agency] option"),
        "communes to choose from"
    );
}

#[tokio::test]
async fn a_procedure_page_shows_what_a_citizen_needs_to_apply() {
    let app = TestApp::with_demo().await;
    let response = app.server.get("/thu-tuc/1.000894").await;
    response.assert_status_ok();
    let page = Page::parse(&response.text());
    assert_eq!(page.text("h1"), "Đăng ký kết hôn");
    let facts = page.texts(".facts div");
    assert!(
        facts.iter().any(|f| f == "Mã thủ tục 1.000894"),
        "{facts:?}"
    );
    assert!(
        facts.iter().any(|f| f.starts_with("Thời hạn giải quyết")),
        "{facts:?}"
    );
    assert!(
        facts.iter().any(|f| f.starts_with("Cơ quan giải quyết")),
        "{facts:?}"
    );
    assert!(
        !page.texts(".documents li").is_empty(),
        "required documents listed"
    );
    assert!(page.texts("h2").contains(&"Căn cứ pháp lý".to_owned()));
    let badge = page.text("h1 ~ .card-meta");
    assert!(
        badge.contains("Một phần") && badge.contains("mức độ 3"),
        "{badge}"
    );
}

#[tokio::test]
async fn fees_are_shown_in_dong_the_vietnamese_way() {
    let app = TestApp::with_demo().await;
    let page = Page::parse(&app.server.get("/thu-tuc/1.004222").await.text());
    let amounts = page.texts("td.amount");
    assert!(
        amounts.iter().any(|a| a.starts_with("20.000 ₫")),
        "{amounts:?}"
    );
    assert!(
        amounts.iter().any(|a| a.starts_with("10.000 ₫")),
        "{amounts:?}"
    );
    let rows = page.texts("tbody tr");
    assert!(
        rows.iter().any(|r| r.contains("khi nộp trực tuyến")),
        "{rows:?}"
    );
}

#[tokio::test]
async fn apply_online_appears_only_where_the_procedure_is_online() {
    let app = TestApp::with_demo().await;
    let online = Page::parse(&app.server.get("/thu-tuc/1.001193").await.text());
    assert_eq!(
        online.attr("a.button-start", "href"),
        "/thu-tuc/1.001193/nop-truc-tuyen"
    );
    assert_eq!(online.text("a.button-start"), "Nộp hồ sơ trực tuyến");
    let offline_code: String = sqlx::query_scalar(
        "select p.code from procedures p join procedure_versions v on v.procedure_id = p.id \
         where v.online_level = 'none' order by p.code limit 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let offline = Page::parse(
        &app.server
            .get(&format!("/thu-tuc/{offline_code}"))
            .await
            .text(),
    );
    assert!(!offline.has("a.button-start"));
    assert!(
        offline
            .texts(".notice")
            .iter()
            .any(|n| n.contains("chưa nhận hồ sơ trực tuyến"))
    );
}

#[tokio::test]
async fn a_local_instance_code_opens_its_national_procedure() {
    let app = TestApp::with_demo().await;
    let page = Page::parse(
        &app.server
            .get("/thu-tuc/1.001193.000.00.00.H48")
            .await
            .text(),
    );
    assert_eq!(page.text("h1"), "Đăng ký khai sinh");
}

#[tokio::test]
async fn unknown_and_malformed_codes_get_the_portal_404_page() {
    let app = TestApp::with_demo().await;
    for path in [
        "/thu-tuc/9.999999",
        "/thu-tuc/abc",
        "/thu-tuc/1.001193%2F..",
        "/khong-co-trang-nay",
    ] {
        let response = app.server.get(path).await;
        assert_eq!(response.status_code(), StatusCode::NOT_FOUND, "{path}");
        let page = Page::parse(&response.text());
        assert_eq!(page.text("h1"), "Không tìm thấy trang", "{path}");
        assert!(page.has(".site-header .brand"), "in the portal's look");
        assert!(page.has("form[role=search]"), "with a way on");
    }
}

#[tokio::test]
async fn a_wrong_method_gets_a_page_not_a_bare_status() {
    let app = TestApp::with_demo().await;
    let response = app.server.post("/thu-tuc").await;
    assert_eq!(response.status_code(), StatusCode::METHOD_NOT_ALLOWED);
    let page = Page::parse(&response.text());
    assert!(page.text(".lead").contains("không nhận thao tác"));
}

#[tokio::test]
async fn the_language_switch_is_remembered() {
    let app = TestApp::with_demo().await;
    let switched = app
        .server
        .get("/ngon-ngu/en")
        .add_query_param("next", "/thu-tuc/1.000894")
        .await;
    assert_eq!(switched.status_code(), StatusCode::SEE_OTHER);
    assert_eq!(switched.header(header::LOCATION), "/thu-tuc/1.000894");
    // the cookie is kept by the client from now on
    let page = Page::parse(&app.server.get("/thu-tuc/1.000894").await.text());
    assert_eq!(page.attr("html", "lang"), "en");
    assert_eq!(page.text("h1"), "Marriage registration");
    assert!(
        page.texts(".facts dt")
            .contains(&"Processing time".to_owned())
    );
    let home = Page::parse(&app.server.get("/").await.text());
    assert_eq!(home.texts(".how h3"), ["Online", "At a counter", "By post"]);
    assert_eq!(home.text(".header-nav a[hreflang=vi]"), "Tiếng Việt");
    // and back
    app.server
        .get("/ngon-ngu/vi")
        .add_query_param("next", "/")
        .await;
    let home = Page::parse(&app.server.get("/").await.text());
    assert_eq!(home.attr("html", "lang"), "vi");
}

#[tokio::test]
async fn english_errors_are_in_english() {
    let app = TestApp::with_demo().await;
    let page = Page::parse(&app.server.get("/thu-tuc/9.999999?lang=en").await.text());
    assert_eq!(page.text("h1"), "Page not found");
    let long = "a".repeat(201);
    let response = app
        .server
        .get("/thu-tuc")
        .add_query_param("lang", "en")
        .add_query_param("q", &long)
        .await;
    assert!(
        Page::parse(&response.text())
            .text(".error-summary")
            .contains("longer than 200 characters")
    );
}

#[tokio::test]
async fn the_language_switch_never_leaves_the_site() {
    let app = TestApp::with_demo().await;
    for next in ["https://evil.example/", "//evil.example", "/\\evil.example"] {
        let response = app
            .server
            .get("/ngon-ngu/en")
            .add_query_param("next", next)
            .await;
        assert_eq!(response.header(header::LOCATION), "/", "{next}");
    }
}

#[tokio::test]
async fn every_page_carries_security_headers() {
    let app = TestApp::with_demo().await;
    let response = app.server.get("/").await;
    let csp = response.header(header::CONTENT_SECURITY_POLICY);
    assert!(csp.to_str().unwrap().contains("default-src 'self'"));
    assert_eq!(response.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(response.header(header::X_FRAME_OPTIONS), "DENY");
    assert!(!response.header("x-request-id").is_empty());
}

#[tokio::test]
async fn assets_are_versioned_and_cached_for_a_year() {
    let app = TestApp::with_demo().await;
    let page = Page::parse(&app.server.get("/").await.text());
    let css = page.attr("link[rel=stylesheet]", "href");
    assert!(css.starts_with("/static/app.css?v="), "{css}");
    let response = app.server.get(&css).await;
    response.assert_status_ok();
    assert_eq!(
        response.header(header::CONTENT_TYPE),
        "text/css; charset=utf-8"
    );
    assert!(
        response
            .header(header::CACHE_CONTROL)
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let compressed = app
        .server
        .get(&css)
        .add_header(header::ACCEPT_ENCODING, "gzip")
        .await;
    assert_eq!(compressed.header(header::CONTENT_ENCODING), "gzip");
}

#[tokio::test]
async fn form_templates_download() {
    let app = TestApp::with_demo().await;
    let page = Page::parse(&app.server.get("/thu-tuc/1.001193").await.text());
    let href = page.attr(".documents a[download]", "href");
    let response = app.server.get(&href).await;
    response.assert_status_ok();
    assert!(
        response
            .header(header::CONTENT_DISPOSITION)
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=")
    );
    assert!(
        response.text().contains("<!doctype html>") || response.text().contains("<!DOCTYPE html>")
    );
    assert_eq!(
        app.server.get("/bieu-mau/khong-co").await.status_code(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn health_and_readiness() {
    let app = TestApp::with_demo().await;
    assert_eq!(app.server.get("/healthz").await.text(), "ok");
    let ready = app.server.get("/readyz").await;
    ready.assert_status_ok();
    assert_eq!(ready.json::<serde_json::Value>()["status"], "ready");
}

#[tokio::test]
async fn loading_the_demo_twice_changes_nothing() {
    let app = TestApp::with_demo().await;
    let count = || async {
        sqlx::query_scalar::<_, i64>(
            "select (select count(*) from procedures) + (select count(*) from agencies) \
             + (select count(*) from procedure_documents) + (select count(*) from procedure_fees) \
             + (select count(*) from dossiers)",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
    };
    let before = count().await;
    motcua::demo::load(&app.db.pool).await.unwrap();
    assert_eq!(count().await, before);
    let procedures: i64 = sqlx::query_scalar("select count(*) from procedures")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(procedures >= 25, "{procedures}");
}

#[tokio::test]
async fn procedure_pages_come_from_memory_within_the_cache_lifetime() {
    let db = crate::helpers::TestDb::new().await;
    crate::helpers::load_demo(&db.pool).await;
    let app = TestApp::configured(db, |s| s.reference_cache_seconds = 60);
    let page = Page::parse(&app.server.get("/thu-tuc/1.000894").await.text());
    assert_eq!(page.text("h1"), "Đăng ký kết hôn");
    sqlx::query(
        "update procedure_versions set name_vi = 'Đăng ký kết hôn (tên mới)' \
         where procedure_id = (select id from procedures where code = '1.000894')",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let page = Page::parse(&app.server.get("/thu-tuc/1.000894").await.text());
    assert_eq!(page.text("h1"), "Đăng ký kết hôn");
}

#[tokio::test]
async fn switching_back_from_a_link_in_english_works() {
    let app = TestApp::with_demo().await;
    let page = Page::parse(&app.server.get("/thu-tuc?q=ket+hon&lang=en").await.text());
    let back = page.attr(".header-nav a[hreflang=vi]", "href");
    let response = app.server.get(&back).await;
    assert_eq!(response.header(header::LOCATION), "/thu-tuc?q=ket+hon");
    let page = Page::parse(&app.server.get("/thu-tuc?q=ket+hon").await.text());
    assert_eq!(page.attr("html", "lang"), "vi");
}

#[tokio::test]
async fn a_repeated_search_parameter_is_refused_on_the_page() {
    let app = TestApp::with_demo().await;
    let response = app.server.get("/thu-tuc?q=a&q=b").await;
    assert_eq!(response.status_code(), StatusCode::BAD_REQUEST);
    let page = Page::parse(&response.text());
    assert!(page.text(".error-summary").contains("không hợp lệ"));
    assert!(page.text("title").starts_with("Lỗi: "));
}

/// Public tracking and the feedback form are reachable from every page's header and from the
/// home page, not only by knowing their address.
#[tokio::test]
async fn tracking_and_feedback_are_linked_from_the_header_and_the_home_page() {
    let app = crate::helpers::TestApp::with_demo().await;
    for path in ["/", "/thu-tuc/1.001193", "/thong-ke"] {
        let page = crate::helpers::html::Page::parse(&app.server.get(path).await.text());
        assert_eq!(page.attr("#nav-track", "href"), "/tra-cuu", "{path}");
        assert!(page.has("footer a[href='/phan-anh']"), "{path}");
    }
    let home = crate::helpers::html::Page::parse(&app.server.get("/").await.text());
    assert!(home.text("#home-track").contains("mã hồ sơ và mã PIN"));
    assert!(home.has("#home-track a[href='/tra-cuu']"));
}

/// A signed-in citizen sees on every page, public ones included, that they are signed in,
/// with "Hồ sơ của tôi" and "Đăng xuất" in reach; the header's sign-out works from there.
#[tokio::test]
async fn a_signed_in_citizen_sees_who_and_the_way_out_on_every_page() {
    let app = crate::helpers::TestApp::with_demo().await;
    let anonymous = crate::helpers::html::Page::parse(&app.server.get("/").await.text());
    assert!(!anonymous.has(".who-bar"));
    crate::helpers::session::sign_in_citizen(&app).await;
    for path in [
        "/",
        "/thu-tuc?q=ket+hon",
        "/thu-tuc/1.001193",
        "/thong-ke",
        "/tra-cuu",
        "/phan-anh",
        "/account/dossiers",
        "/account",
    ] {
        let page = crate::helpers::html::Page::parse(&app.server.get(path).await.text());
        assert!(
            page.text(".who-bar")
                .contains("Đang đăng nhập: Nguyễn Văn An"),
            "{path}"
        );
        assert_eq!(
            page.attr("#nav-my-dossiers", "href"),
            "/account/dossiers",
            "{path}"
        );
        assert_eq!(
            page.attr(".who-bar form", "action"),
            "/account/logout",
            "{path}"
        );
        assert_eq!(page.text(".who-bar button"), "Đăng xuất", "{path}");
        assert_eq!(page.attr("#nav-account", "href"), "/account", "{path}");
    }
    // signing out from the catalogue's header
    let page = crate::helpers::html::Page::parse(&app.server.get("/thu-tuc/1.001193").await.text());
    let token = page.attr(".who-bar input[name=csrf]", "value");
    let response = app
        .server
        .post("/account/logout")
        .form(&[("csrf", token.as_str())])
        .await;
    assert_eq!(response.status_code(), StatusCode::SEE_OTHER);
    let page = crate::helpers::html::Page::parse(&app.server.get("/").await.text());
    assert!(!page.has(".who-bar"));
}

/// An official who opens the public site sees their name and the way back to their workspace,
/// not the citizen's "Tài khoản" (which would answer 403).
#[tokio::test]
async fn an_official_on_the_public_site_is_offered_the_workspace() {
    let app = crate::helpers::TestApp::with_demo().await;
    crate::helpers::session::sign_in_staff(&app, "tiepnhan").await;
    for path in ["/", "/thu-tuc/1.001193", "/tra-cuu"] {
        let page = crate::helpers::html::Page::parse(&app.server.get(path).await.text());
        assert!(page.text(".who-bar").contains("Nguyễn Thị Tiếp"), "{path}");
        assert_eq!(page.attr("#nav-account", "href"), "/staff", "{path}");
        assert!(!page.has("a[href='/account']"), "{path}");
        assert!(!page.has("#nav-my-dossiers"), "{path}");
        assert_eq!(
            page.attr(".who-bar form", "action"),
            "/staff/logout",
            "{path}"
        );
    }
}

/// The procedure page says in one sentence at the top whether it can be done fully online,
/// partly or only at the counter, and how many papers to bring.
#[tokio::test]
async fn a_procedure_page_says_at_the_top_how_it_is_done_and_what_to_bring() {
    let app = crate::helpers::TestApp::with_demo().await;
    for (filter, starts) in [
        (
            "online_level = 'full' and submit_online and (result_electronic or result_post)",
            "Làm được toàn bộ trực tuyến, không phải đến cơ quan: chuẩn bị ",
        ),
        (
            "online_level = 'partial' and submit_online",
            "Nộp hồ sơ trực tuyến, rồi đến ",
        ),
        (
            "online_level = 'none'",
            "Chưa nộp được trực tuyến: nộp tại ",
        ),
    ] {
        let (code, papers): (String, i64) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "select v.code, (select count(*) from procedure_documents d \
               where d.version_id = v.id and d.mandatory) from procedure_versions v \
             where v.effective_to is null and {filter} order by v.code limit 1"
        )))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let page = crate::helpers::html::Page::parse(
            &app.server.get(&format!("/thu-tuc/{code}")).await.text(),
        );
        let sentence = page.text("#in-short");
        assert!(sentence.starts_with(starts), "{code}: {sentence}");
        assert!(
            sentence.contains(&format!("{papers} giấy tờ bắt buộc")),
            "{code}: {sentence}"
        );
    }
}

/// Pages print cleanly: the stylesheet's print rules leave out the header, menu, sign-out bar,
/// footer and buttons, and keep sections and table rows whole.
#[tokio::test]
async fn pages_print_without_header_menu_or_buttons() {
    let app = crate::helpers::TestApp::with_demo().await;
    let page = crate::helpers::html::Page::parse(&app.server.get("/").await.text());
    let css = app
        .server
        .get(&page.attr("link[rel=stylesheet]", "href"))
        .await
        .text();
    let print = css.split("@media print {").last().expect("print rules");
    for hidden in [
        ".site-header",
        ".who-bar",
        ".site-footer",
        ".button",
        ".action-form",
    ] {
        assert!(print.contains(hidden), "{hidden} not left out in print");
    }
    assert!(print.contains("display: none"));
    assert!(print.contains("break-inside: avoid"));
}

/// The demo looks like a real office's days: each sample dossier's code carries the day it was
/// submitted (in Vietnam), and that day's counter goes on after it, so a dossier filed that
/// day takes the next number.
#[tokio::test]
async fn the_demo_samples_codes_carry_the_day_they_were_submitted() {
    let db = crate::helpers::TestDb::new().await;
    motcua::demo::load(&db.pool).await.unwrap();
    let samples: Vec<(String, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
        "select d.code, d.submitted_at from dossiers d join citizens c on c.id = d.citizen_id \
         where c.phone = $1 and d.code is not null order by d.submitted_at",
    )
    .bind(motcua::demo::DEMO_CITIZEN.0)
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(samples.len(), 15);
    for (code, at) in &samples {
        let day = motcua::kernel::time::to_local(*at)
            .format("%y%m%d")
            .to_string();
        assert_eq!(code, &format!("000.00.00.H48-{day}-0001"), "{at}");
        let next: i32 = sqlx::query_scalar(
            "select last_value from dossier_code_counters where agency_code = '000.00.00.H48' \
               and day = $1",
        )
        .bind(motcua::kernel::time::to_local(*at).date())
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert!(next >= 1);
    }
    let tracked = motcua::demo::sample_code(&db.pool).await.unwrap().unwrap();
    assert!(samples.iter().any(|(c, _)| *c == tracked));
}
