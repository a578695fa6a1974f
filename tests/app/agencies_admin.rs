//! System administrators record how agencies are reorganised (the 2025 reform is the example):
//! a merge ends the old agencies, the new one inherits the open work, and finished dossiers
//! keep the old name.

use axum::http::StatusCode;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::helpers::html::Page;
use crate::helpers::session::{post_form, sign_in_citizen};

use crate::helpers::official;

async fn agency(app: &TestApp, slug: &str) -> Uuid {
    sqlx::query_scalar("select id from agencies where slug = $1")
        .bind(slug)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn dossier_agency(app: &TestApp, code: &str) -> (Uuid, String) {
    sqlx::query_as(
        "select d.id, a.name_vi from dossiers d join agencies a on a.id = d.receiving_agency_id \
         where d.code = $1",
    )
    .bind(code)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

/// A year from today (Vietnam's day), as the forms write dates: a date that stays in the future
/// whatever day the suite runs.
fn next_year() -> String {
    (motcua::deadlines::calendar::today() + chrono::Duration::days(365))
        .format("%Y-%m-%d")
        .to_string()
}

fn today() -> String {
    motcua::deadlines::calendar::to_local(chrono::Utc::now())
        .date()
        .format("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
async fn a_merge_hands_open_work_to_the_new_agency_and_old_dossiers_keep_the_old_name() {
    let app = TestApp::with_demo().await;
    let admin = official(&app, "quantri").await;
    let cam_thanh = agency(&app, "ubnd-phuong-cam-thanh").await.to_string();
    let kon_tum = agency(&app, "ubnd-phuong-kon-tum").await.to_string();
    let page = Page::parse(&admin.server.get("/admin/agencies").await.text());
    assert!(page.has("#reorganise-heading"));

    // bad input: explained on the same form, what was typed kept, nothing written
    let bad = post_form(
        &admin,
        "/admin/agencies",
        "/admin/agencies/reorganise",
        &[
            ("change", "merge"),
            ("predecessor", &cam_thanh),
            ("successor", ""),
            ("name_vi", "UBND phường Cẩm Thành Mới"),
            ("kind", "commune_pc"),
            ("effective_on", &today()),
            ("decision", ""),
            ("transfer", "on"),
        ],
    )
    .await;
    assert_eq!(bad.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let kept = Page::parse(&bad.text());
    assert_eq!(kept.attr("#name_vi", "value"), "UBND phường Cẩm Thành Mới");
    let summary = kept.text(".error-summary");
    assert!(summary.contains("ít nhất hai đơn vị"), "{summary}");
    assert!(summary.contains("số, ký hiệu văn bản"), "{summary}");
    assert!(
        kept.has(&format!("#pred-{cam_thanh}[checked]")),
        "the choice kept"
    );
    let count: i64 = sqlx::query_scalar("select count(*) from agency_successions")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();

    let (open_id, _) = dossier_agency(&app, "000.00.00.H48-251117-0003").await;
    // a dated role keeps its end date at the successor
    let role_ends = next_year();
    sqlx::query(
        "update staff_roles set valid_to = $1::date \
         where staff_id = (select id from staff_users where username = 'chuyenvien')",
    )
    .bind(&role_ends)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let merged = post_form(
        &admin,
        "/admin/agencies",
        "/admin/agencies/reorganise",
        &[
            ("change", "merge"),
            ("predecessor", &cam_thanh),
            ("predecessor", &kon_tum),
            ("successor", ""),
            ("name_vi", "UBND phường Cẩm Thành Mới"),
            ("name_en", ""),
            ("kind", "commune_pc"),
            ("slug", ""),
            ("e_id_code", "000.28.99.H48"),
            ("unit", "new"),
            ("unit_kind", "phuong"),
            ("unit_code", "demo-cam-thanh-moi"),
            ("unit_name", "Phường Cẩm Thành Mới"),
            ("effective_on", &today()),
            ("decision", "Nghị quyết 9/NQ-UBTVQH16"),
            ("transfer", "on"),
        ],
    )
    .await;
    assert_eq!(
        merged.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        merged.text()
    );
    let page = Page::parse(&admin.server.get("/admin/agencies").await.text());
    assert!(
        page.text(".flash").contains("Đã ghi nhận"),
        "{}",
        page.text("main")
    );
    let lineage = page.text("#agencies");
    assert!(
        lineage.contains("UBND phường Cẩm Thành Mới"),
        "the new agency is listed"
    );
    assert!(lineage.contains("kế thừa từ"), "{lineage}");
    // the communes were merged too: the old units end and point to the new one
    assert!(page.text("#units").contains("Phường Cẩm Thành Mới"));
    let (old_unit_ends, successor, agency_unit): (Option<chrono::NaiveDate>, Option<String>, Option<String>) =
        sqlx::query_as(
            "select u.valid_to, n.code, (select au.code from agencies a join admin_units au on au.id = a.admin_unit_id \
               where a.slug = 'ubnd-phuong-cam-thanh-moi') \
             from admin_units u left join admin_units n on n.id = u.successor_id where u.code = 'demo-phuong-cam-thanh'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(old_unit_ends.map(|d| d.to_string()), Some(today()));
    assert_eq!(successor.as_deref(), Some("demo-cam-thanh-moi"));
    assert_eq!(agency_unit.as_deref(), Some("demo-cam-thanh-moi"));
    let new_count: i64 = sqlx::query_scalar("select count(*) from agency_successions")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(new_count, count + 2);

    // a finished dossier keeps the old agency and name; an open one moved, with its history
    let (finished_id, finished) = dossier_agency(&app, "000.00.00.H48-251103-0001").await;
    assert_eq!(finished, "Ủy ban nhân dân phường Cẩm Thành");
    // the citizen sees the old name, and who stands for it now
    let citizen = TestApp::over_same(&app);
    sign_in_citizen(&citizen).await;
    let mine = Page::parse(
        &citizen
            .server
            .get(&format!("/account/dossiers/{finished_id}"))
            .await
            .text(),
    );
    assert!(
        mine.text("main")
            .contains("Ủy ban nhân dân phường Cẩm Thành (nay là UBND phường Cẩm Thành Mới)"),
        "{}",
        mine.text("main")
    );
    let (_, open) = dossier_agency(&app, "000.00.00.H48-251117-0003").await;
    assert_eq!(open, "UBND phường Cẩm Thành Mới");
    // the case officer's role continues at the new agency: the dossier is still theirs to open
    let officer = official(&app, "chuyenvien").await;
    let desk = officer
        .server
        .get(&format!("/staff/dossiers/{open_id}"))
        .await;
    assert_eq!(desk.status_code(), StatusCode::OK);
    let desk = Page::parse(&desk.text());
    assert!(
        desk.text("main")
            .contains("Chuyển sang UBND phường Cẩm Thành Mới"),
        "the hand-over is in the history"
    );
    let moved_role: (Option<chrono::NaiveDate>,) = sqlx::query_as(
        "select r.valid_to from staff_roles r join agencies a on a.id = r.agency_id \
         where a.slug = 'ubnd-phuong-cam-thanh-moi' \
           and r.staff_id = (select id from staff_users where username = 'chuyenvien')",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        moved_role.0.map(|d| d.to_string()).as_deref(),
        Some(role_ends.as_str())
    );
    // routing follows the succession: a commune's new dossiers go to the new agency
    let routed: Uuid = sqlx::query_scalar("select agency_in_force($1::uuid, current_date)")
        .bind(Uuid::parse_str(&cam_thanh).unwrap())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(routed, agency(&app, "ubnd-phuong-cam-thanh-moi").await);
    let audited: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'agency.merge'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn a_future_rename_waits_for_its_date_and_agency_administrators_cannot_reorganise() {
    let app = TestApp::with_demo().await;
    let local = official(&app, "quantricoquan").await;
    let cam_thanh = agency(&app, "ubnd-phuong-cam-thanh").await.to_string();
    let denied = post_form(
        &local,
        "/admin/agencies",
        "/admin/agencies/reorganise",
        &[
            ("change", "rename"),
            ("predecessor", &cam_thanh),
            ("name_vi", "UBND phường Cẩm Thành Hai"),
            ("kind", "commune_pc"),
            ("effective_on", &next_year()),
            ("decision", "Quyết định 1/QĐ"),
        ],
    )
    .await;
    assert_eq!(denied.status_code(), StatusCode::FORBIDDEN);
    let page = Page::parse(&local.server.get("/admin/agencies").await.text());
    assert!(
        !page.has("#reorganise-heading"),
        "agency administrators only read"
    );

    let admin = official(&app, "quantri").await;
    let renamed = post_form(
        &admin,
        "/admin/agencies",
        "/admin/agencies/reorganise",
        &[
            ("change", "rename"),
            ("predecessor", &cam_thanh),
            ("name_vi", "UBND phường Cẩm Thành Hai"),
            ("kind", "commune_pc"),
            ("effective_on", &next_year()),
            ("decision", "Quyết định 1/QĐ"),
            ("transfer", "on"),
        ],
    )
    .await;
    assert_eq!(renamed.status_code(), StatusCode::SEE_OTHER);
    // nothing moves before the date: the job leaves it, and routing keeps the old agency
    let cleaned = motcua::admin::agencies::transfer_due(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(cleaned, 0);
    let (_, open) = dossier_agency(&app, "000.00.00.H48-251117-0003").await;
    assert_eq!(open, "Ủy ban nhân dân phường Cẩm Thành");
    let e_id: Option<String> = sqlx::query_scalar(
        "select e_id_code from agencies where slug = 'ubnd-phuong-cam-thanh-hai'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let old_e_id: Option<String> =
        sqlx::query_scalar("select e_id_code from agencies where slug = 'ubnd-phuong-cam-thanh'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(e_id, old_e_id, "a rename keeps the e-ID code");
    // when the date comes (moved here to today), the job hands the work over
    sqlx::query("update agency_successions set effective_on = current_date where kind = 'rename'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let moved = motcua::admin::agencies::transfer_due(&app.db.pool)
        .await
        .unwrap();
    assert!(moved > 0);
    let (_, open) = dossier_agency(&app, "000.00.00.H48-251117-0003").await;
    assert_eq!(open, "UBND phường Cẩm Thành Hai");
}
