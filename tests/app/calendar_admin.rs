//! Administrators keep the working calendar: a day added or removed changes the due times
//! computed afterwards only; each change is audited; agency administrators keep only their
//! agency's office hours.

use axum::http::StatusCode;

use crate::helpers::TestApp;
use crate::helpers::html::Page;
use crate::helpers::session::post_form;

use crate::helpers::official;

#[tokio::test]
async fn a_new_day_off_moves_due_times_computed_afterwards_only() {
    let app = TestApp::with_demo().await;
    let admin = official(&app, "quantri").await;
    let page = Page::parse(&admin.server.get("/admin/calendar?year=2026").await.text());
    assert!(
        page.text("#days").contains("Tết Nguyên đán"),
        "the seeded calendar"
    );
    let mut conn = app.db.pool.acquire().await.unwrap();
    let before = motcua::deadlines::repo::load(&mut conn).await.unwrap();
    let start = chrono::NaiveDate::from_ymd_opt(2027, 6, 1)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    let due = |c: &motcua::deadlines::calendar::Calendar| {
        c.due(
            start,
            Some(5),
            motcua::catalogue::domain::TimeUnit::WorkingDays,
        )
    };
    assert_eq!(due(&before).format("%d/%m").to_string(), "08/06");
    // bad input: explained on the same form, kept
    let bad = post_form(
        &admin,
        "/admin/calendar",
        "/admin/calendar/days",
        &[
            ("day", ""),
            ("kind", "holiday"),
            ("name_vi", "Ngày thử"),
            ("source", ""),
        ],
    )
    .await;
    assert_eq!(bad.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let kept = Page::parse(&bad.text());
    assert_eq!(kept.attr("#name_vi", "value"), "Ngày thử");
    assert!(kept.text(".error-summary").contains("văn bản căn cứ"));
    let saved = post_form(
        &admin,
        "/admin/calendar",
        "/admin/calendar/days",
        &[
            ("day", "2027-06-03"),
            ("kind", "bridge"),
            ("name_vi", "Nghỉ hoán đổi thử"),
            ("name_en", ""),
            ("source", "Thông báo 1/TB-UBND"),
        ],
    )
    .await;
    assert_eq!(
        saved.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        saved.text()
    );
    let after = motcua::deadlines::repo::load(&mut conn).await.unwrap();
    assert_eq!(
        due(&after).format("%d/%m").to_string(),
        "09/06",
        "one working day later"
    );
    // an appointment already given stays
    let audited: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'calendar.day_saved'")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    assert_eq!(audited, 1);
    let removed = post_form(
        &admin,
        "/admin/calendar?year=2027",
        "/admin/calendar/days/2027-06-03/delete",
        &[],
    )
    .await;
    assert_eq!(removed.status_code(), StatusCode::SEE_OTHER);
    let again = motcua::deadlines::repo::load(&mut conn).await.unwrap();
    assert_eq!(due(&again).format("%d/%m").to_string(), "08/06");
}

#[tokio::test]
async fn an_agency_administrator_keeps_only_their_agencys_office_hours() {
    let app = TestApp::with_demo().await;
    let admin = official(&app, "quantricoquan").await;
    // the national calendar is not theirs
    let day = post_form(
        &admin,
        "/admin/calendar",
        "/admin/calendar/days",
        &[
            ("day", "2027-06-03"),
            ("kind", "bridge"),
            ("name_vi", "Thử"),
            ("source", "Thử nghiệm"),
        ],
    )
    .await;
    assert_eq!(day.status_code(), StatusCode::FORBIDDEN);
    let own: String =
        sqlx::query_scalar("select id::text from agencies where slug = 'ubnd-phuong-cam-thanh'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let other: String =
        sqlx::query_scalar("select id::text from agencies where slug = 'so-tu-phap-quang-ngai'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let theirs = post_form(
        &admin,
        "/admin/calendar",
        "/admin/calendar/hours",
        &[
            ("agency", &own),
            ("opens", "08:00"),
            ("closes", "12:00"),
            ("valid_from", "2027-01-01"),
        ],
    )
    .await;
    assert_eq!(theirs.status_code(), StatusCode::SEE_OTHER);
    let not_theirs = post_form(
        &admin,
        "/admin/calendar",
        "/admin/calendar/hours",
        &[
            ("agency", &other),
            ("opens", "08:00"),
            ("closes", "12:00"),
            ("valid_from", "2027-01-01"),
        ],
    )
    .await;
    assert_eq!(not_theirs.status_code(), StatusCode::FORBIDDEN);
    let general = post_form(
        &admin,
        "/admin/calendar",
        "/admin/calendar/hours",
        &[
            ("agency", ""),
            ("opens", "08:00"),
            ("closes", "12:00"),
            ("valid_from", "2027-01-01"),
        ],
    )
    .await;
    assert_eq!(general.status_code(), StatusCode::FORBIDDEN);
    let backwards = post_form(
        &admin,
        "/admin/calendar",
        "/admin/calendar/hours",
        &[
            ("agency", &own),
            ("opens", "12:00"),
            ("closes", "08:00"),
            ("valid_from", "2027-01-01"),
        ],
    )
    .await;
    assert_eq!(backwards.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Page::parse(&admin.server.get("/admin/calendar").await.text());
    assert!(page.text("#hours").contains("08:00 – 12:00"));
}
