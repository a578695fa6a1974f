//! System administrators edit the catalogue without a developer: a draft of a new version,
//! previewed as the public page, published from an effective date; published versions are
//! never changed and dossiers keep the version they were filed on.

use axum::http::StatusCode;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::helpers::html::Page;
use crate::helpers::session::{location, post_form};

use crate::helpers::official;

fn day(offset: i64) -> String {
    (motcua::deadlines::calendar::today() + chrono::Duration::days(offset))
        .format("%Y-%m-%d")
        .to_string()
}

/// The draft page's form as it stands, with `changes` applied.
fn form_of(page: &Page, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for name in page.attrs("#draft-form input[name]:not([type=checkbox])", "name") {
        let value = page.attr(&format!("#draft-form input[name=\"{name}\"]"), "value");
        out.push((name, value));
    }
    for name in page.attrs("#draft-form input[type=checkbox][checked]", "name") {
        out.push((name, "on".into()));
    }
    for name in page.attrs("#draft-form select[name]", "name") {
        // as a browser sends it: the selected option, or the first
        let value = page
            .attrs(
                &format!("#draft-form select[name=\"{name}\"] option[selected]"),
                "value",
            )
            .into_iter()
            .next()
            .unwrap_or_else(|| {
                page.attr(
                    &format!("#draft-form select[name=\"{name}\"] option"),
                    "value",
                )
            });
        out.push((name, value));
    }
    for name in page.attrs("#draft-form textarea[name]", "name") {
        out.push((
            name.clone(),
            page.text(&format!("#draft-form textarea[name=\"{name}\"]")),
        ));
    }
    out.retain(|(k, _)| k != "csrf_token" && !changes.iter().any(|(c, _)| c == k));
    out.extend(
        changes
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    out
}

async fn post_pairs(
    app: &TestApp,
    from: &str,
    to: &str,
    pairs: &[(String, String)],
) -> axum_test::TestResponse {
    let borrowed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    post_form(app, from, to, &borrowed).await
}

#[tokio::test]
async fn a_change_is_drafted_previewed_and_published_as_a_new_version() {
    let app = TestApp::with_demo().await;
    let admin = official(&app, "quantri").await;
    let old_version: Uuid = sqlx::query_scalar(
        "select procedure_version_id from dossiers where code = '000.00.00.H48-251126-0006'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();

    let unknown = post_form(
        &admin,
        "/admin/catalogue",
        "/admin/catalogue/drafts",
        &[("code", "9.999999")],
    )
    .await;
    assert_eq!(unknown.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&unknown.text())
            .text(".error-summary")
            .contains("Không có thủ tục")
    );

    let started = post_form(
        &admin,
        "/admin/catalogue",
        "/admin/catalogue/drafts",
        &[("code", "1.001193")],
    )
    .await;
    assert_eq!(started.status_code(), StatusCode::SEE_OTHER);
    let url = location(&started);
    let page = Page::parse(&admin.server.get(&url).await.text());
    assert_eq!(
        page.attr("#name_vi", "value"),
        "Đăng ký khai sinh",
        "prefilled from the version in force"
    );
    // the 15:00 rule its time note states is set, with where such a rule comes from
    assert_eq!(
        page.attrs("#c-clock_next_day_after_cutoff[checked]", "name")
            .len(),
        1
    );
    assert!(
        page.text("#cutoff-hint")
            .contains("Nghị định 23/2015/NĐ-CP")
    );
    // starting again reuses the open draft
    let again = post_form(
        &admin,
        "/admin/catalogue",
        "/admin/catalogue/drafts",
        &[("code", "1.001193")],
    )
    .await;
    assert_eq!(location(&again), url);

    // a mistake: explained on the same form, everything typed kept, nothing saved
    let bad = post_pairs(
        &admin,
        &url,
        &url,
        &form_of(
            &page,
            &[
                ("name_vi", "Đăng ký khai sinh (sửa đổi)"),
                ("fee-0-kind", "fee"),
                ("fee-0-label_vi", "Lệ phí đăng ký"),
                ("fee-0-amount", "hai mươi nghìn"),
                ("fee-0-channel", "any"),
            ],
        ),
    )
    .await;
    assert_eq!(bad.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let kept = Page::parse(&bad.text());
    assert!(
        kept.text(".error-summary")
            .contains("Khoản thu 1: mức thu là số đồng"),
        "{}",
        kept.text(".error-summary")
    );
    assert_eq!(
        kept.attr("#name_vi", "value"),
        "Đăng ký khai sinh (sửa đổi)"
    );
    assert_eq!(kept.attr("#fee-0-amount", "value"), "hai mươi nghìn");

    let saved = post_pairs(
        &admin,
        &url,
        &url,
        &form_of(
            &kept,
            &[
                ("fee-0-amount", "25.000"),
                ("decision_no", "Quyết định 12/QĐ-UBND"),
            ],
        ),
    )
    .await;
    assert_eq!(
        saved.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        saved.text()
    );

    // the preview reads as the public page will; the public page has not changed
    let preview = Page::parse(&admin.server.get(&format!("{url}/preview")).await.text());
    assert!(preview.text("h1").contains("Đăng ký khai sinh (sửa đổi)"));
    assert!(
        preview.text("main").contains("25.000"),
        "{}",
        preview.text("main")
    );
    assert!(preview.text("body").contains("chưa công bố"));
    let public = Page::parse(&app.server.get("/thu-tuc/1.001193").await.text());
    assert_eq!(public.text("h1"), "Đăng ký khai sinh");

    // publishing: not in the past; from today, a new version
    let past = post_form(
        &admin,
        &url,
        &format!("{url}/publish"),
        &[("effective_on", &day(-1))],
    )
    .await;
    assert_eq!(past.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&past.text())
            .text(".error-summary")
            .contains("không được trước hôm nay")
    );
    let published = post_form(
        &admin,
        &url,
        &format!("{url}/publish"),
        &[("effective_on", &day(0))],
    )
    .await;
    assert_eq!(
        published.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        published.text()
    );
    let public = Page::parse(&app.server.get("/thu-tuc/1.001193").await.text());
    assert_eq!(public.text("h1"), "Đăng ký khai sinh (sửa đổi)");
    assert!(public.text("main").contains("25.000"));
    // the old version is unchanged and ends today; the dossier filed on it keeps it
    let (old_name, ends): (String, Option<chrono::NaiveDate>) =
        sqlx::query_as("select name_vi, effective_to from procedure_versions where id = $1")
            .bind(old_version)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(old_name, "Đăng ký khai sinh");
    assert_eq!(ends.map(|d| d.to_string()), Some(day(0)));
    let still: Uuid = sqlx::query_scalar(
        "select procedure_version_id from dossiers where code = '000.00.00.H48-251126-0006'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(still, old_version);
    // a published draft can no longer be changed
    let late = post_pairs(&admin, &url, &url, &form_of(&kept, &[])).await;
    assert_eq!(late.status_code(), StatusCode::CONFLICT);
    let audited: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action like 'catalogue.%'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(audited >= 3, "started, saved, published: {audited}");
}

#[tokio::test]
async fn a_new_procedure_is_published_from_a_blank_draft() {
    let app = TestApp::with_demo().await;
    let admin = official(&app, "quantri").await;
    let started = post_form(
        &admin,
        "/admin/catalogue",
        "/admin/catalogue/drafts",
        &[("code", "")],
    )
    .await;
    let url = location(&started);
    let page = Page::parse(&admin.server.get(&url).await.text());
    let taken = post_pairs(
        &admin,
        &url,
        &url,
        &form_of(
            &page,
            &[
                ("code", "1.001193"),
                ("field", "HOTICH"),
                ("name_vi", "Thủ tục thử nghiệm mới"),
                ("competent_kind", "commune_pc"),
                ("time_limit_value", "5"),
            ],
        ),
    )
    .await;
    assert_eq!(taken.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&taken.text())
            .text(".error-summary")
            .contains("Đã có thủ tục mang mã này")
    );
    let saved = post_pairs(
        &admin,
        &url,
        &url,
        &form_of(
            &page,
            &[
                ("code", "1.999001"),
                ("field", "HOTICH"),
                ("name_vi", "Thủ tục thử nghiệm mới"),
                ("competent_kind", "commune_pc"),
                ("time_limit_value", "5"),
                ("clock_next_day_after_cutoff", "on"),
                ("decision_no", "Quyết định 99/QĐ-UBND"),
                ("doc-0-name_vi", "Tờ khai theo mẫu"),
                ("field-0-key", "ly_do"),
                ("field-0-label_vi", "Lý do"),
                ("field-0-kind", "text"),
            ],
        ),
    )
    .await;
    assert_eq!(
        saved.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        saved.text()
    );
    let published = post_form(
        &admin,
        &url,
        &format!("{url}/publish"),
        &[("effective_on", &day(0))],
    )
    .await;
    assert_eq!(
        published.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        published.text()
    );
    let public = app.server.get("/thu-tuc/1.999001").await;
    assert_eq!(public.status_code(), StatusCode::OK);
    let public = Page::parse(&public.text());
    assert_eq!(public.text("h1"), "Thủ tục thử nghiệm mới");
    assert!(public.text("main").contains("Tờ khai theo mẫu"));
    let fields: i64 = sqlx::query_scalar(
        "select count(*) from procedure_fields f join procedure_versions v on v.id = f.version_id where v.code = '1.999001'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(fields, 1);
    let cutoff: bool = sqlx::query_scalar(
        "select clock_starts_next_day_after_cutoff from procedure_versions where code = '1.999001'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(cutoff, "the 15:00 rule ticked in the editor is published");
    // agency administrators do not edit the catalogue
    let local = official(&app, "quantricoquan").await;
    assert_eq!(
        local.server.get("/admin/catalogue").await.status_code(),
        StatusCode::FORBIDDEN
    );
}

/// A fee's billing rule: when due, alternative group, quantity field, cap.
type FeeRule = (String, Option<String>, Option<String>, Option<i64>);

#[tokio::test]
async fn publishing_keeps_the_fee_rules_the_form_does_not_edit() {
    let app = TestApp::with_demo().await;
    let admin = official(&app, "quantri").await;
    let rules = |version: &'static str| {
        let pool = app.db.pool.clone();
        async move {
            let rows: Vec<FeeRule> = sqlx::query_as(
                "select f.due, f.choice_group, f.quantity_field, f.cap_vnd from procedure_fees f \
                 join procedure_versions v on v.id = f.version_id \
                 where v.code = '3.000333' and v.version_no = (select max(version_no) from procedure_versions where code = '3.000333') - $1 \
                 order by f.position",
            )
            .bind(if version == "old" { 1 } else { 0 })
            .fetch_all(&pool)
            .await
            .unwrap();
            rows
        }
    };
    let before = rules("new").await;
    assert!(
        before.iter().any(|r| r.1.is_some()),
        "the demo procedure has alternative rates: {before:?}"
    );
    let started = post_form(
        &admin,
        "/admin/catalogue",
        "/admin/catalogue/drafts",
        &[("code", "3.000333")],
    )
    .await;
    let url = location(&started);
    let page = Page::parse(&admin.server.get(&url).await.text());
    let saved = post_pairs(
        &admin,
        &url,
        &url,
        &form_of(&page, &[("decision_no", "Quyết định 5/QĐ-UBND")]),
    )
    .await;
    assert_eq!(
        saved.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        saved.text()
    );
    let published = post_form(
        &admin,
        &url,
        &format!("{url}/publish"),
        &[("effective_on", &day(0))],
    )
    .await;
    assert_eq!(
        published.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        published.text()
    );
    assert_eq!(rules("new").await, before);
    assert_eq!(rules("old").await, before, "the old version is untouched");
}

#[tokio::test]
async fn a_draft_older_than_the_newest_version_is_not_published_over_it() {
    let app = TestApp::with_demo().await;
    let admin = official(&app, "quantri").await;
    let started = post_form(
        &admin,
        "/admin/catalogue",
        "/admin/catalogue/drafts",
        &[("code", "1.001193")],
    )
    .await;
    let url = location(&started);
    // meanwhile the chairman's approval made a version from a later date
    sqlx::query(
        "select copy_procedure_version(v.id, current_date + 10) from procedure_versions v \
         where v.code = '1.001193' and v.effective_to is null",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let page = Page::parse(&admin.server.get(&url).await.text());
    let saved = post_pairs(
        &admin,
        &url,
        &url,
        &form_of(&page, &[("decision_no", "Quyết định 7/QĐ-UBND")]),
    )
    .await;
    assert_eq!(saved.status_code(), StatusCode::SEE_OTHER);
    let refused = post_form(
        &admin,
        &url,
        &format!("{url}/publish"),
        &[("effective_on", &day(20))],
    )
    .await;
    assert_eq!(refused.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&refused.text())
            .text(".error-summary")
            .contains("phiên bản mới hơn")
    );
}
