//! The reception desk: queue, accept with the legal due time, return, refuse, stale and
//! concurrent decisions, agency scope.

use axum::http::StatusCode;

use crate::clock::local;
use crate::helpers::TestApp;
use crate::helpers::html::Page;
use crate::helpers::session::{location, post_form, sign_in_citizen, sign_in_staff};

/// The demo's submitted sample dossier (received by UBND phường Cẩm Thành).
const SUBMITTED: &str = "000.00.00.H48-251126-0006";

async fn submitted_id(app: &TestApp) -> uuid::Uuid {
    sqlx::query_scalar("select id from dossiers where code = $1")
        .bind(SUBMITTED)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_reception_official_accepts_and_the_clock_starts() {
    let app = TestApp::with_demo().await;
    sign_in_staff(&app, "tiepnhan").await;
    let queue = Page::parse(&app.server.get("/staff/reception").await.text());
    assert!(
        queue
            .texts("tbody td:first-child a")
            .contains(&SUBMITTED.to_owned())
    );
    let id = submitted_id(&app).await;
    let page = format!("/staff/dossiers/{id}");
    let accepted = post_form(
        &app,
        &page,
        &format!("{page}/accept"),
        &[("expected", "Submitted")],
    )
    .await;
    assert_eq!(location(&accepted), page);
    let shown = Page::parse(&app.server.get(&page).await.text());
    assert!(shown.text(".summary-list").contains("Đã tiếp nhận"));
    assert!(shown.text(".flash").contains("Hẹn trả kết quả:"));
    // the stored due time is the engine's, from the stored acceptance time
    let (received, due, value, unit, flag): (
        chrono::DateTime<chrono::Utc>,
        chrono::DateTime<chrono::Utc>,
        Option<i32>,
        motcua::catalogue::domain::TimeUnit,
        bool,
    ) = sqlx::query_as(
        "select d.received_at, d.due_at, v.time_limit_value, v.time_limit_unit, v.clock_starts_next_day_after_cutoff \
         from dossiers d join procedure_versions v on v.id = d.procedure_version_id where d.id = $1",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let mut conn = app.db.pool.acquire().await.unwrap();
    let calendar = motcua::deadlines::repo::load(&mut conn).await.unwrap();
    use motcua::deadlines::calendar::{to_local, to_utc};
    let expected =
        to_utc(calendar.due(calendar.clock_start(to_local(received), flag), value, unit));
    assert_eq!(due, expected);
    // gone from the queue
    let queue = Page::parse(&app.server.get("/staff/reception").await.text());
    assert!(
        !queue
            .texts("tbody td:first-child a")
            .contains(&SUBMITTED.to_owned())
    );
}

#[tokio::test]
async fn acting_on_a_stale_page_says_the_dossier_changed() {
    let app = TestApp::with_demo().await;
    sign_in_staff(&app, "tiepnhan").await;
    let id = submitted_id(&app).await;
    let page = format!("/staff/dossiers/{id}");
    post_form(
        &app,
        &page,
        &format!("{page}/accept"),
        &[("expected", "Submitted")],
    )
    .await;
    let again = post_form(
        &app,
        "/staff",
        &format!("{page}/refuse"),
        &[
            ("expected", "Submitted"),
            ("reason", "Hồ sơ thiếu giấy chứng sinh bản chính"),
        ],
    )
    .await;
    assert_eq!(again.status_code(), StatusCode::CONFLICT);
    assert!(
        Page::parse(&again.text())
            .text("h1")
            .contains("Hồ sơ đã thay đổi")
    );
}

#[tokio::test]
async fn two_officials_deciding_at_once_one_wins() {
    let app = TestApp::with_demo().await;
    let other = TestApp::over_same(&app);
    sign_in_staff(&app, "tiepnhan").await;
    sign_in_staff(&other, "tiepnhan").await;
    let id = submitted_id(&app).await;
    let page = format!("/staff/dossiers/{id}");
    let (accept, give_back) = (format!("{page}/accept"), format!("{page}/return"));
    let (a, b) = tokio::join!(
        post_form(&app, &page, &accept, &[("expected", "Submitted")]),
        post_form(
            &other,
            &page,
            &give_back,
            &[
                ("expected", "Submitted"),
                ("reason", "Thiếu tờ khai có chữ ký của người yêu cầu"),
                ("item-1", "on"),
                ("item-reason-1", "Tờ khai chưa có chữ ký")
            ]
        ),
    );
    let mut statuses = [a.status_code(), b.status_code()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    let events: i64 = sqlx::query_scalar(
        "select count(*) from dossier_events where dossier_id = $1 and from_status = 'submitted'",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(events, 1, "exactly one decision was recorded");
}

#[tokio::test]
async fn refusing_needs_reasons_and_the_citizen_sees_the_outcome() {
    let app = TestApp::with_demo().await;
    sign_in_staff(&app, "tiepnhan").await;
    let id = submitted_id(&app).await;
    let page = format!("/staff/dossiers/{id}");
    let bare = post_form(
        &app,
        &page,
        &format!("{page}/refuse"),
        &[("expected", "Submitted"), ("reason", "")],
    )
    .await;
    assert_eq!(bare.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&bare.text())
            .text(".error-summary")
            .contains("Ghi rõ lý do")
    );
    let refused = post_form(
        &app,
        &page,
        &format!("{page}/refuse"),
        &[
            ("expected", "Submitted"),
            (
                "reason",
                "Không thuộc thẩm quyền giải quyết của UBND phường",
            ),
        ],
    )
    .await;
    assert_eq!(location(&refused), page);
    let status: motcua::dossiers::DossierStatus =
        sqlx::query_scalar("select status from dossiers where id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(status, motcua::dossiers::DossierStatus::RefusedAtReception);
    let citizen = TestApp::over_same(&app);
    crate::helpers::session::sign_in_citizen(&citizen).await;
    let mine = Page::parse(
        &citizen
            .server
            .get(&format!("/account/dossiers/{id}"))
            .await
            .text(),
    );
    assert!(mine.text(".summary-list").contains("Từ chối tiếp nhận"));
}

#[tokio::test]
async fn officials_of_another_agency_cannot_see_or_decide() {
    let app = TestApp::with_demo().await;
    sqlx::query(
        "with s as (insert into staff_users (username, full_name, password_hash) \
           select 'tiepnhan.baxa', 'Cán bộ Ba Xa', password_hash from staff_users where username = 'tiepnhan' returning id) \
         insert into staff_roles (staff_id, role, agency_id, valid_from) \
         select s.id, 'reception', a.id, date '2025-07-01' from s, agencies a where a.slug = 'ubnd-xa-ba-xa'",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    sign_in_staff(&app, "tiepnhan.baxa").await;
    let queue = Page::parse(&app.server.get("/staff/reception").await.text());
    assert!(
        !queue
            .texts("tbody td:first-child a")
            .contains(&SUBMITTED.to_owned())
    );
    let id = submitted_id(&app).await;
    let page = format!("/staff/dossiers/{id}");
    assert_eq!(
        app.server.get(&page).await.status_code(),
        StatusCode::FORBIDDEN
    );
    let decided = post_form(
        &app,
        "/staff",
        &format!("{page}/accept"),
        &[("expected", "Submitted")],
    )
    .await;
    assert_eq!(decided.status_code(), StatusCode::FORBIDDEN);
    // and a case officer of the right agency may look but not decide at reception
    let officer = TestApp::over_same(&app);
    sign_in_staff(&officer, "chuyenvien").await;
    officer.server.get(&page).await.assert_status_ok();
    let by_officer = post_form(
        &officer,
        "/staff",
        &format!("{page}/accept"),
        &[("expected", "Submitted")],
    )
    .await;
    assert_eq!(by_officer.status_code(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn form_01_is_issued_on_acceptance_for_both_sides() {
    let app = TestApp::with_demo().await;
    sign_in_staff(&app, "tiepnhan").await;
    let id = submitted_id(&app).await;
    let page = format!("/staff/dossiers/{id}");
    assert_eq!(
        app.server
            .get(&format!("{page}/form-01.pdf"))
            .await
            .status_code(),
        StatusCode::NOT_FOUND,
        "not before acceptance"
    );
    post_form(
        &app,
        &page,
        &format!("{page}/accept"),
        &[("expected", "Submitted")],
    )
    .await;
    let pdf = app.server.get(&format!("{page}/form-01.pdf")).await;
    pdf.assert_status_ok();
    if let Some(text) = crate::helpers::pdf_text(pdf.as_bytes()) {
        assert!(
            text.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
            "{text}"
        );
        assert!(text.contains(SUBMITTED), "{text}");
        assert!(
            text.contains("Liên 1") && text.contains("Liên 2"),
            "two copies: {text}"
        );
        assert!(
            text.contains("Nguyễn Thị Tiếp"),
            "the receiving official: {text}"
        );
        assert!(
            text.contains("Thời gian trả kết quả giải quyết hồ sơ"),
            "{text}"
        );
    }
    let citizen = TestApp::over_same(&app);
    crate::helpers::session::sign_in_citizen(&citizen).await;
    let copy = citizen
        .server
        .get(&format!("/account/dossiers/{id}/form-01.pdf"))
        .await;
    copy.assert_status_ok();
}

#[tokio::test]
async fn a_reception_official_finds_the_queue_from_the_workspace() {
    let app = TestApp::with_demo().await;
    sign_in_staff(&app, "tiepnhan").await;
    let home = Page::parse(&app.server.get("/staff").await.text());
    assert_eq!(
        home.attr("a[href='/staff/reception']", "href"),
        "/staff/reception"
    );
    assert!(
        !home.has(".header-nav a[href='/account']"),
        "officials are not sent to the citizens' account page"
    );
    let officer = TestApp::over_same(&app);
    sign_in_staff(&officer, "chuyenvien").await;
    let home = Page::parse(&officer.server.get("/staff").await.text());
    assert!(!home.has("a[href='/staff/reception']"));
    assert_eq!(
        officer.server.get("/staff/reception").await.status_code(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_dossier_returned_for_completion_is_completed_and_sent_back() {
    let app = TestApp::with_demo().await;
    sign_in_staff(&app, "tiepnhan").await;
    let id = submitted_id(&app).await;
    let page = format!("/staff/dossiers/{id}");
    let reason = "Thiếu bản chụp giấy chứng sinh; đề nghị bổ sung";
    // every item at once, each with its reason; none named → refused on the form
    let unnamed = post_form(
        &app,
        &page,
        &format!("{page}/return"),
        &[("expected", "Submitted"), ("reason", reason)],
    )
    .await;
    assert_eq!(unnamed.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&unnamed.text())
            .text(".error-summary")
            .contains("từng giấy tờ")
    );
    let returned = post_form(
        &app,
        &page,
        &format!("{page}/return"),
        &[
            ("expected", "Submitted"),
            ("reason", reason),
            ("item-other", "on"),
            ("item-reason-other", "Bản chụp giấy chứng sinh"),
        ],
    )
    .await;
    assert_eq!(
        returned.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        returned.text()
    );
    let form02 = app.server.get(&format!("{page}/forms/02.pdf")).await;
    if let Some(text) = crate::helpers::pdf_text(form02.as_bytes()) {
        assert!(text.contains("Bản chụp giấy chứng sinh"), "{text}");
    }

    let citizen = TestApp::over_same(&app);
    crate::helpers::session::sign_in_citizen(&citizen).await;
    let mine = Page::parse(
        &citizen
            .server
            .get(&format!("/account/dossiers/{id}"))
            .await
            .text(),
    );
    assert!(
        mine.text(".summary-list")
            .contains("Cần bổ sung, hoàn thiện hồ sơ")
    );
    let documents_url = mine.attr("a.button[href$='/documents']", "href");
    let documents = Page::parse(&citizen.server.get(&documents_url).await.text());
    assert!(
        documents.text(".notice").contains(reason),
        "the official's reasons are shown"
    );
    // only what was asked may change
    assert!(
        documents
            .text("#slot-other .notice")
            .contains("Bản chụp giấy chứng sinh")
    );
    assert!(!documents.has("#slot-1 form.upload-form"));
    assert!(documents.text("#slot-1").contains("không cần thay đổi"));
    let token = documents.attr("input[name=csrf]", "value");
    let locked = citizen
        .server
        .post(&format!("/account/dossiers/{id}/documents?slot=1"))
        .multipart(
            axum_test::multipart::MultipartForm::new()
                .add_text("csrf", &token)
                .add_part(
                    "file",
                    axum_test::multipart::Part::bytes(b"%PDF-1.4 khac".to_vec())
                        .file_name("khac.pdf")
                        .mime_type("application/pdf"),
                ),
        )
        .await;
    assert_eq!(locked.status_code(), StatusCode::CONFLICT);
    let upload_url = documents.attr("#slot-other form.upload-form", "action");
    let form = axum_test::multipart::MultipartForm::new()
        .add_text("csrf", &token)
        .add_part(
            "file",
            axum_test::multipart::Part::bytes(b"%PDF-1.4 giay chung sinh".to_vec())
                .file_name("giay-chung-sinh.pdf")
                .mime_type("application/pdf"),
        );
    let uploaded = citizen.server.post(&upload_url).multipart(form).await;
    assert_eq!(location(&uploaded), format!("{documents_url}?saved=1"));
    let sent = post_form(
        &citizen,
        &documents_url,
        &format!("/account/dossiers/{id}/resubmit"),
        &[],
    )
    .await;
    assert_eq!(location(&sent), format!("/account/dossiers/{id}"));
    let mine = Page::parse(
        &citizen
            .server
            .get(&format!("/account/dossiers/{id}"))
            .await
            .text(),
    );
    assert!(mine.text(".summary-list").contains("Đã nộp, chờ tiếp nhận"));
    // back in the reception queue
    let queue = Page::parse(&app.server.get("/staff/reception").await.text());
    assert!(
        queue
            .texts("tbody td:first-child a")
            .contains(&SUBMITTED.to_owned())
    );
}

#[tokio::test]
async fn the_queue_filters_and_counts_breaches_of_the_8_hour_rule() {
    let app = TestApp::with_demo().await;
    sign_in_staff(&app, "tiepnhan").await;
    // the demo's submitted online dossier arrived a month ago: past 8 working hours whatever
    // day the suite runs (three days before the third day of Tết fall in the holiday)
    sqlx::query("update dossiers set submitted_at = now() - interval '30 days' where code = $1")
        .bind(SUBMITTED)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let codes = |body: String| Page::parse(&body).texts("tbody td:first-child a");
    let page = app.server.get("/staff/reception").await.text();
    assert!(
        Page::parse(&page)
            .text("#breaches")
            .contains("Quá 8 giờ làm việc chưa xử lý: 1")
    );
    assert!(
        codes(app.server.get("/staff/reception?overdue=1").await.text())
            .contains(&SUBMITTED.to_owned())
    );
    assert!(
        codes(
            app.server
                .get("/staff/reception?channel=2&procedure=1.001193")
                .await
                .text()
        )
        .contains(&SUBMITTED.to_owned())
    );
    assert!(
        !codes(app.server.get("/staff/reception?channel=1").await.text())
            .contains(&SUBMITTED.to_owned())
    );
    assert!(
        !codes(
            app.server
                .get("/staff/reception?procedure=1.004222")
                .await
                .text()
        )
        .contains(&SUBMITTED.to_owned())
    );
    // the supplements waiting at the desk
    assert!(
        codes(
            app.server
                .get("/staff/reception?status=supplement_requested")
                .await
                .text()
        )
        .contains(&"000.00.00.H48-251120-0004".to_owned())
    );
    // accepting it late is recorded as a breach
    let id = submitted_id(&app).await;
    let page = format!("/staff/dossiers/{id}");
    post_form(
        &app,
        &page,
        &format!("{page}/accept"),
        &[("expected", "Submitted")],
    )
    .await;
    let after = Page::parse(&app.server.get("/staff/reception").await.text()).text("#breaches");
    assert!(after.contains("1/1"), "{after}");
}

/// Who looked at my dossier: the reception official opens the citizen's dossier and one of its
/// files; the citizen sees both reads with the unit and the role (the name only where the
/// province shows names); the page opened again at once is one read; the citizen's own reads
/// are not listed; the record cannot be changed.
#[tokio::test]
async fn the_citizen_sees_which_officials_opened_the_dossier_and_its_files() {
    let app = TestApp::with_demo().await;
    let id: uuid::Uuid = sqlx::query_scalar("select id from dossiers where code = $1")
        .bind(SUBMITTED)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    sign_in_citizen(&app).await;
    let before = Page::parse(
        &app.server
            .get(&format!("/account/dossiers/{id}"))
            .await
            .text(),
    );
    assert!(
        before
            .text("#reads-none")
            .contains("Chưa có cán bộ nào xem")
    );
    let desk = crate::helpers::official(&app, "tiepnhan").await;
    let page = format!("/staff/dossiers/{id}");
    assert_eq!(desk.server.get(&page).await.status_code(), StatusCode::OK);
    assert_eq!(desk.server.get(&page).await.status_code(), StatusCode::OK);
    // a paper of the citizen's, stored as an upload is
    let storage = &app.state.storage;
    let mut upload = storage.begin().await.unwrap();
    upload.write(b"%PDF-1.4\n%%EOF\n").await.unwrap();
    let (key, sha256) = storage.commit(upload).await.unwrap();
    let name = "giay-xac-nhan.pdf".to_owned();
    let file: uuid::Uuid = sqlx::query_scalar(
        "insert into dossier_files (dossier_id, document_position, storage_key, original_name, \
           content_type, size_bytes, sha256, purpose) \
         values ($1, 1, $2, $3, 'application/pdf', 15, $4, 'document') returning id",
    )
    .bind(id)
    .bind(&key)
    .bind(&name)
    .bind(&sha256)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let read = desk.server.get(&format!("{page}/files/{file}")).await;
    assert_eq!(read.status_code(), StatusCode::OK);
    // the citizen's own reads are not listed
    app.server
        .get(&format!("/account/dossiers/{id}/files/{file}"))
        .await;
    let after = Page::parse(
        &app.server
            .get(&format!("/account/dossiers/{id}"))
            .await
            .text(),
    );
    let reads = after.texts("#reads li");
    assert_eq!(reads.len(), 2, "{reads:?}");
    assert!(
        reads[0].contains("Công chức tiếp nhận — Ủy ban nhân dân phường Cẩm Thành"),
        "{reads:?}"
    );
    assert!(reads[0].contains(&format!("mở tệp {name}")), "{reads:?}");
    assert!(reads[1].ends_with("xem hồ sơ"), "{reads:?}");
    assert!(
        !after.text("#reads").contains("Nguyễn Thị Tiếp"),
        "no names by default"
    );
    // a province that shows names
    let named = TestApp::configured(app.db.share(), |s| s.show_reader_names = true);
    sign_in_citizen(&named).await;
    let shown = Page::parse(
        &named
            .server
            .get(&format!("/account/dossiers/{id}"))
            .await
            .text(),
    );
    assert!(shown.text("#reads").contains("Nguyễn Thị Tiếp"));
    // the record is append-only
    let changed = sqlx::query("update dossier_reads set role = 'x'")
        .execute(&app.db.pool)
        .await;
    assert!(changed.is_err());
}

#[tokio::test]
async fn a_same_day_procedure_accepted_after_15_00_is_due_the_next_working_day() {
    // birth registration (1.001193) is decided the same day, or the next working day when
    // received after 15:00 (its time note; Decree 123/2015); accepted on Monday at 16:00
    let app = TestApp::with_demo_at(local("2027-03-01 16:00")).await;
    sign_in_staff(&app, "tiepnhan").await;
    let id = submitted_id(&app).await;
    let page = format!("/staff/dossiers/{id}");
    let accepted = post_form(
        &app,
        &page,
        &format!("{page}/accept"),
        &[("expected", "Submitted")],
    )
    .await;
    assert_eq!(location(&accepted), page);
    let shown = Page::parse(&app.server.get(&page).await.text());
    let flash = shown.text(".flash");
    assert!(
        flash.contains("Hẹn trả kết quả:") && flash.contains("02/03/2027"),
        "due on Tuesday, not by Monday's closing: {flash}"
    );
    let (received, due): (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) =
        sqlx::query_as("select received_at, due_at from dossiers where id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        received,
        local("2027-03-01 16:00"),
        "received when accepted"
    );
    let due = motcua::deadlines::calendar::to_local(due);
    assert_eq!(due.date().to_string(), "2027-03-02");
    // the event of the acceptance is dated by the same clock
    let at: chrono::DateTime<chrono::Utc> = sqlx::query_scalar(
        "select at from dossier_events where dossier_id = $1 and action = 'accept'",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(at, local("2027-03-01 16:00"));
    // Form 01: its number, the place and date of the receipt, and its entry in the unit's
    // book of the year (the first dossier Cẩm Thành received in 2027)
    let form01 = Page::parse(
        &app.server
            .get(&format!("/staff/dossiers/{id}/forms/01.html"))
            .await
            .text(),
    );
    let text = form01.text("body");
    assert!(
        text.contains("Quảng Ngãi, ngày 01 tháng 03 năm 2027"),
        "{text}"
    );
    assert!(
        text.contains("Vào sổ theo dõi hồ sơ, quyển số 2027, số thứ tự 1"),
        "{text}"
    );
}

/// The queue's work comes first: the list of dossiers before the filter form; a filtered list
/// says so above it, with a link down to the filter.
#[tokio::test]
async fn the_reception_queue_shows_the_list_before_the_filters() {
    let app = TestApp::with_demo().await;
    sign_in_staff(&app, "tiepnhan").await;
    let html = app.server.get("/staff/reception").await.text();
    let list = html.find("<table").expect("a list");
    let filters = html.find("id=\"filters\"").expect("the filters");
    assert!(list < filters, "the list comes first");
    assert!(!Page::parse(&html).has("#filtered"));
    let filtered = Page::parse(&app.server.get("/staff/reception?channel=2").await.text());
    assert_eq!(filtered.attr("#filtered a", "href"), "#filters");
    assert_eq!(filtered.attr("#f-channel option[selected]", "value"), "2");
}
