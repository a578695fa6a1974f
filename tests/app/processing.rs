//! The back office after reception: forwarding, assignment, appraisal, signature and return;
//! inter-agency round trip; supplement during processing (once, clock restart, closed when
//! unanswered); stop at the citizen's request; apology and a single reschedule; correction of
//! a wrong result; counter-assisted filing; concurrency, scope and the forms as PDFs.

use axum::http::StatusCode;
use axum_test::TestResponse;
use axum_test::multipart::{MultipartForm, Part};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::helpers::html::Page;
use crate::helpers::session::{csrf, location, post_form, sign_in_citizen, sign_in_staff};
use crate::helpers::{TestApp, pdf_text};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
/// Demo samples of the citizen at UBND phường Cẩm Thành.
const SUBMITTED: &str = "000.00.00.H48-251126-0006";
const PROCESSING: &str = "000.00.00.H48-251117-0003";
const RESULT_READY: &str = "000.00.00.H48-251110-0002";

pub(crate) async fn id_of(app: &TestApp, code: &str) -> Uuid {
    sqlx::query_scalar("select id from dossiers where code = $1")
        .bind(code)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

pub(crate) async fn staff_id(app: &TestApp, username: &str) -> Uuid {
    sqlx::query_scalar("select id from staff_users where username = $1")
        .bind(username)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn agency_id(app: &TestApp, slug: &str) -> Uuid {
    sqlx::query_scalar("select id from agencies where slug = $1")
        .bind(slug)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn state(app: &TestApp, id: Uuid) -> (String, Option<String>) {
    sqlx::query_as("select status::text, step::text from dossiers where id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// A client of its own, signed in as `username`, over the same database.
pub(crate) use crate::helpers::official;

/// Posts a back-office action from the dossier's page.
pub(crate) async fn act(
    app: &TestApp,
    id: Uuid,
    expected: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> TestResponse {
    let page = format!("/staff/dossiers/{id}");
    let mut all = vec![("expected", expected), ("action", action)];
    all.extend_from_slice(fields);
    // the token of the official's session (any page of theirs carries it)
    post_form(app, "/staff", &format!("{page}/act"), &all).await
}

pub(crate) async fn upload_result(app: &TestApp, id: Uuid, name: &str) -> TestResponse {
    upload_result_of(app, id, name, PDF.to_vec()).await
}

async fn upload_result_of(app: &TestApp, id: Uuid, name: &str, pdf: Vec<u8>) -> TestResponse {
    let page = format!("/staff/dossiers/{id}");
    let token = csrf(app, &page).await;
    let form = MultipartForm::new().add_text("csrf", &token).add_part(
        "file",
        Part::bytes(pdf)
            .file_name(name)
            .mime_type("application/pdf"),
    );
    app.server
        .post(&format!("{page}/result"))
        .multipart(form)
        .await
}

pub(crate) fn see_other(r: &TestResponse) {
    assert_eq!(r.status_code(), StatusCode::SEE_OTHER, "{}", r.text());
}

async fn inbox_codes(app: &TestApp, view: &str) -> Vec<String> {
    let page = app.server.get(&format!("/staff/inbox?view={view}")).await;
    assert_eq!(page.status_code(), StatusCode::OK, "{view}");
    Page::parse(&page.text()).texts("tbody td:first-child a")
}

/// A scanned decision of a few megabytes goes up like a small one: the result's upload (and the
/// counter's filing) take files up to `max_file_mb`, not axum's 2 MB default body.
#[tokio::test]
async fn a_result_scanned_at_several_megabytes_is_uploaded() {
    let app = TestApp::with_demo().await;
    let desk = official(&app, "tiepnhan").await;
    let head = official(&app, "lanhdaophong").await;
    let officer = official(&app, "chuyenvien").await;
    let id = id_of(&app, SUBMITTED).await;
    see_other(&act(&desk, id, "Submitted", "accept", &[]).await);
    see_other(&act(&desk, id, "Received", "forward", &[]).await);
    let officer_id = staff_id(&app, "chuyenvien").await.to_string();
    let assignee = [("assignee", officer_id.as_str())];
    see_other(&act(&head, id, "Processing/Assignment", "assign", &assignee).await);
    let mut scan = PDF.to_vec();
    scan.resize(3_000_000, b' ');
    see_other(&upload_result_of(&officer, id, "quyet-dinh-ky.pdf", scan).await);
    let page = officer
        .server
        .get(&format!("/staff/dossiers/{id}"))
        .await
        .text();
    assert!(
        Page::parse(&page)
            .text("main")
            .contains("quyet-dinh-ky.pdf")
    );
}

#[tokio::test]
async fn an_online_dossier_goes_from_reception_to_return_with_every_hand_over_recorded() {
    let app = TestApp::with_demo().await;
    let desk = official(&app, "tiepnhan").await;
    let head = official(&app, "lanhdaophong").await;
    let officer = official(&app, "chuyenvien").await;
    let signer = official(&app, "lanhdao").await;
    let id = id_of(&app, SUBMITTED).await;

    see_other(&act(&desk, id, "Submitted", "accept", &[]).await);
    assert!(
        inbox_codes(&desk, "forward")
            .await
            .contains(&SUBMITTED.to_owned())
    );
    see_other(&act(&desk, id, "Received", "forward", &[]).await);
    assert_eq!(
        state(&app, id).await,
        ("processing".into(), Some("assignment".into()))
    );

    assert!(
        inbox_codes(&head, "unassigned")
            .await
            .contains(&SUBMITTED.to_owned())
    );
    let officer_id = staff_id(&app, "chuyenvien").await.to_string();
    see_other(
        &act(
            &head,
            id,
            "Processing/Assignment",
            "assign",
            &[("assignee", &officer_id)],
        )
        .await,
    );
    assert!(
        inbox_codes(&officer, "mine")
            .await
            .contains(&SUBMITTED.to_owned())
    );

    // signing without a result document is refused on the form
    see_other(
        &act(
            &officer,
            id,
            "Processing/Appraisal",
            "submit_for_signature",
            &[],
        )
        .await,
    );
    let early = act(&signer, id, "Processing/Signature", "issue_result", &[]).await;
    assert_eq!(early.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&early.text())
            .text(".error-summary")
            .contains("Tải lên văn bản kết quả")
    );
    see_other(&upload_result(&signer, id, "giay-khai-sinh.pdf").await);
    assert!(
        inbox_codes(&signer, "signature")
            .await
            .contains(&SUBMITTED.to_owned())
    );
    see_other(&act(&signer, id, "Processing/Signature", "issue_result", &[]).await);
    assert_eq!(state(&app, id).await, ("result_ready".into(), None));

    assert!(
        inbox_codes(&desk, "return")
            .await
            .contains(&SUBMITTED.to_owned())
    );
    see_other(&act(&desk, id, "ResultReady", "return_at_counter", &[]).await);
    assert_eq!(state(&app, id).await, ("returned".into(), None));

    // the official's history names every step and person
    let page = Page::parse(
        &desk
            .server
            .get(&format!("/staff/dossiers/{id}"))
            .await
            .text(),
    );
    let history = page.text("table");
    for words in [
        "Tiếp nhận hồ sơ (Mẫu 01)",
        "Chuyển hồ sơ đến cơ quan giải quyết",
        "Phân công chuyên viên xử lý",
        "Trình ký",
        "Ký duyệt, ban hành kết quả",
        "Trả kết quả tại quầy",
        "Trần Văn Xử",
        "Phạm Văn Ký",
    ] {
        assert!(history.contains(words), "{words} in {history}");
    }
    assert!(page.text(".summary-list").contains("Đã trả kết quả"));
    // Form 06: one row per hand-over, each judged
    let slip = desk
        .server
        .get(&format!("/staff/dossiers/{id}/forms/06.pdf"))
        .await;
    assert_eq!(slip.status_code(), StatusCode::OK);
    if let Some(text) = pdf_text(slip.as_bytes()) {
        assert!(
            text.contains("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
            "{text}"
        );
        assert!(text.contains(SUBMITTED));
        assert!(text.contains("Giao: Nguyễn Thị Tiếp"), "{text}");
        assert!(
            text.contains("Trước hạn") || text.contains("Đúng hạn"),
            "{text}"
        );
    }
    // the citizen sees the result and can download it
    sign_in_citizen(&app).await;
    let mine = Page::parse(
        &app.server
            .get(&format!("/account/dossiers/{id}"))
            .await
            .text(),
    );
    assert!(mine.text(".summary-list").contains("Đã trả kết quả"));
    let result = app
        .server
        .get(&format!("/account/dossiers/{id}/result"))
        .await;
    assert_eq!(result.status_code(), StatusCode::OK);
    assert_eq!(result.as_bytes().as_ref(), PDF);
}

#[tokio::test]
async fn an_inter_agency_step_goes_out_with_a_sub_deadline_and_comes_back() {
    let app = TestApp::with_demo().await;
    let officer = official(&app, "chuyenvien").await;
    let partner = official(&app, "phoihop").await;
    let id = id_of(&app, PROCESSING).await;
    // the partner agency sees nothing of it before
    assert_eq!(
        partner
            .server
            .get(&format!("/staff/dossiers/{id}"))
            .await
            .status_code(),
        StatusCode::FORBIDDEN
    );
    let justice = agency_id(&app, "so-tu-phap-quang-ngai").await.to_string();
    let missing = act(
        &officer,
        id,
        "Processing/Appraisal",
        "send_to_cooperation",
        &[
            ("agency", ""),
            ("days", "0"),
            ("reason", "Xác minh hộ tịch"),
        ],
    )
    .await;
    assert_eq!(missing.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let summary = Page::parse(&missing.text()).text(".error-summary");
    assert!(summary.contains("Chọn cơ quan phối hợp"), "{summary}");
    assert!(summary.contains("từ 1 đến 60"), "{summary}");
    see_other(
        &act(
            &officer,
            id,
            "Processing/Appraisal",
            "send_to_cooperation",
            &[
                ("agency", &justice),
                ("days", "3"),
                ("reason", "Đề nghị xác minh thông tin hộ tịch của người nộp"),
            ],
        )
        .await,
    );
    assert_eq!(state(&app, id).await.0, "waiting_cooperation");
    let sub_due: Option<DateTime<Utc>> =
        sqlx::query_scalar("select cooperation_due_at from dossiers where id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(sub_due.is_some());
    assert!(
        inbox_codes(&partner, "cooperation")
            .await
            .contains(&PROCESSING.to_owned())
    );
    // the partner may return it, not act for the deciding agency
    let not_theirs = act(&partner, id, "WaitingCooperation", "stop", &[]).await;
    assert_eq!(not_theirs.status_code(), StatusCode::FORBIDDEN);
    see_other(
        &act(
            &partner,
            id,
            "WaitingCooperation",
            "cooperation_returned",
            &[],
        )
        .await,
    );
    assert_eq!(
        state(&app, id).await,
        ("processing".into(), Some("appraisal".into()))
    );
    let handovers: Vec<(String, Option<DateTime<Utc>>)> = sqlx::query_as(
        "select action, step_due_at from dossier_events where dossier_id = $1 \
         and action in ('send_to_cooperation', 'cooperation_returned') order by at",
    )
    .bind(id)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(handovers.len(), 2);
    // the return is judged against the partner's own sub-deadline
    assert_eq!(handovers[1].1, sub_due);
    let slip = officer
        .server
        .get(&format!("/staff/dossiers/{id}/forms/06.pdf"))
        .await;
    if let Some(text) = pdf_text(slip.as_bytes()) {
        assert!(text.contains("Sở Tư pháp tỉnh Quảng Ngãi"), "{text}");
        assert!(text.contains("Đỗ Văn Hợp"), "{text}");
    }
}

#[tokio::test]
async fn a_supplement_is_asked_once_and_its_arrival_restarts_the_clock() {
    let app = TestApp::with_demo().await;
    let officer = official(&app, "chuyenvien").await;
    let id = id_of(&app, PROCESSING).await;
    let no_items = act(
        &officer,
        id,
        "Processing/Appraisal",
        "request_supplement",
        &[("items", ""), ("reason", "ngắn")],
    )
    .await;
    assert_eq!(no_items.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let kept = Page::parse(&no_items.text());
    assert!(kept.text(".error-summary").contains("mỗi dòng một mục"));
    assert_eq!(kept.text("#request_supplement-reason"), "ngắn");
    see_other(
        &act(
            &officer,
            id,
            "Processing/Appraisal",
            "request_supplement",
            &[
                (
                    "items",
                    "Bản sao hợp đồng thuê nhà có chứng thực\nXác nhận của chủ hộ",
                ),
                (
                    "reason",
                    "Hợp đồng thuê nhà đã hết hạn, cần bản còn hiệu lực",
                ),
            ],
        )
        .await,
    );
    let (status, supplement_due): (String, Option<DateTime<Utc>>) =
        sqlx::query_as("select status::text, supplement_due_at from dossiers where id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(status, "supplement_requested");
    let days = (supplement_due.unwrap() - Utc::now()).num_hours();
    assert!((14 * 24..=15 * 24).contains(&days), "{days}");
    // the citizen reads Form 02 and sends the supplement online
    sign_in_citizen(&app).await;
    let form02 = app
        .server
        .get(&format!("/account/dossiers/{id}/forms/02.pdf"))
        .await;
    assert_eq!(form02.status_code(), StatusCode::OK);
    if let Some(text) = pdf_text(form02.as_bytes()) {
        assert!(text.contains("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"));
        assert!(
            text.contains("1. Bản sao hợp đồng thuê nhà có chứng thực"),
            "{text}"
        );
        assert!(text.contains("2. Xác nhận của chủ hộ"));
        assert!(text.contains("tính lại từ đầu"));
    }
    let dossier = format!("/account/dossiers/{id}");
    // the citizen is told who asked: the deciding agency's case officer, not the reception desk
    let documents = Page::parse(&app.server.get(&format!("{dossier}/documents")).await.text());
    assert!(
        documents
            .text("#asked")
            .starts_with("Cán bộ xử lý hồ sơ của cơ quan giải quyết đề nghị bổ sung:"),
        "{}",
        documents.text("#asked")
    );
    let token = csrf(&app, &format!("{dossier}/documents")).await;
    let upload = app
        .server
        .post(&format!("{dossier}/documents?slot=other"))
        .multipart(
            MultipartForm::new().add_text("csrf", &token).add_part(
                "file",
                Part::bytes(PDF.to_vec())
                    .file_name("hop-dong.pdf")
                    .mime_type("application/pdf"),
            ),
        )
        .await;
    see_other(&upload);
    let before = Utc::now();
    see_other(
        &post_form(
            &app,
            &format!("{dossier}/documents"),
            &format!("{dossier}/resubmit"),
            &[],
        )
        .await,
    );
    // and who checks it now: the case officer, to whom the history hands it
    let page = Page::parse(&app.server.get(&dossier).await.text());
    assert!(
        page.text(".flash")
            .contains("Cán bộ xử lý hồ sơ của cơ quan giải quyết sẽ xem xét tiếp"),
        "{}",
        page.text(".flash")
    );
    let (to_agency, to_staff): (Option<Uuid>, Option<Uuid>) = sqlx::query_as(
        "select to_agency_id, to_staff_id from dossier_events \
         where dossier_id = $1 and action = 'supplement_received'",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let (competent, assignee): (Option<Uuid>, Option<Uuid>) =
        sqlx::query_as("select competent_agency_id, assignee_id from dossiers where id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((to_agency, to_staff), (competent, assignee));
    assert!(to_staff.is_some());
    let (status, received, due): (String, DateTime<Utc>, DateTime<Utc>) =
        sqlx::query_as("select status::text, received_at, due_at from dossiers where id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(status, "processing");
    // the clock restarted from the supplement's arrival (Decree 118 Art. 19(5)), not from Form 01
    let mut conn = app.db.pool.acquire().await.unwrap();
    let calendar = motcua::deadlines::repo::load(&mut conn).await.unwrap();
    let (value, unit): (Option<i32>, motcua::catalogue::domain::TimeUnit) = sqlx::query_as(
        "select v.time_limit_value, v.time_limit_unit from dossiers d \
         join procedure_versions v on v.id = d.procedure_version_id where d.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    use motcua::deadlines::calendar::{to_local, to_utc};
    let from_received = to_utc(calendar.due(to_local(received), value, unit));
    assert!(due > from_received);
    assert!(
        due >= to_utc(calendar.due(to_local(before), value, unit)) - chrono::Duration::seconds(5)
    );
    // the event keeps the new appointment: the reports judge later periods by it
    let recorded: Option<DateTime<Utc>> = sqlx::query_scalar(
        "select (details ->> 'due_at')::timestamptz from dossier_events \
         where dossier_id = $1 and to_status = 'processing' and action = 'supplement_received'",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(recorded, Some(due));
    let purpose: String = sqlx::query_scalar(
        "select purpose from dossier_files where dossier_id = $1 and original_name = 'hop-dong.pdf'",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(purpose, "supplement");
    // the official sees both appointments; a second request is refused with the rule
    let page = Page::parse(
        &officer
            .server
            .get(&format!("/staff/dossiers/{id}"))
            .await
            .text(),
    );
    assert!(
        page.text(".summary-list")
            .contains("trừ thời gian chờ bổ sung")
    );
    let second = act(
        &officer,
        id,
        "Processing/Appraisal",
        "request_supplement",
        &[
            ("items", "Giấy tờ khác"),
            ("reason", "Cần thêm một giấy tờ nữa"),
        ],
    )
    .await;
    assert_eq!(second.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&second.text())
            .text(".error-summary")
            .contains("chỉ được yêu cầu bổ sung, hoàn thiện hồ sơ một lần")
    );
    assert_eq!(state(&app, id).await.0, "processing");
}

#[tokio::test]
async fn an_unanswered_supplement_closes_the_dossier() {
    let app = TestApp::with_demo().await;
    let officer = official(&app, "chuyenvien").await;
    let id = id_of(&app, PROCESSING).await;
    see_other(
        &act(
            &officer,
            id,
            "Processing/Appraisal",
            "request_supplement",
            &[
                ("items", "Sổ hộ khẩu"),
                ("reason", "Thiếu giấy tờ chứng minh nơi ở"),
            ],
        )
        .await,
    );
    assert_eq!(
        motcua::jobs::close_unanswered(&app.db.pool, Utc::now())
            .await
            .unwrap(),
        0
    );
    sqlx::query(
        "update dossiers set supplement_due_at = now() - interval '1 minute' where id = $1",
    )
    .bind(id)
    .execute(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        motcua::jobs::close_unanswered(&app.db.pool, Utc::now())
            .await
            .unwrap(),
        1
    );
    assert_eq!(state(&app, id).await.0, "stopped");
    let (actor, action): (String, String) = sqlx::query_as(
        "select actor_kind, action from dossier_events where dossier_id = $1 order by id desc limit 1",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        (actor.as_str(), action.as_str()),
        ("system", "close_unanswered")
    );
}

#[tokio::test]
async fn the_citizen_stops_processing_and_gets_form_05() {
    let app = TestApp::with_demo().await;
    sign_in_citizen(&app).await;
    let id = id_of(&app, PROCESSING).await;
    let page = format!("/account/dossiers/{id}");
    let stopped = post_form(
        &app,
        &page,
        &format!("{page}/stop"),
        &[("reason", "Tôi đã chuyển nơi ở")],
    )
    .await;
    see_other(&stopped);
    assert_eq!(state(&app, id).await.0, "stopped");
    let shown = Page::parse(&app.server.get(&page).await.text());
    assert!(shown.text(".flash").contains("Mẫu 05"));
    let form = app.server.get(&format!("{page}/forms/05.pdf")).await;
    assert_eq!(form.status_code(), StatusCode::OK);
    if let Some(text) = pdf_text(form.as_bytes()) {
        assert!(text.contains("THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"));
        assert!(text.contains("Tôi đã chuyển nơi ở"));
    }
    // a dossier with its result issued cannot be stopped
    let done = id_of(&app, RESULT_READY).await;
    let done_page = format!("/account/dossiers/{done}");
    let refused = post_form(&app, "/account", &format!("{done_page}/stop"), &[]).await;
    assert_eq!(refused.status_code(), StatusCode::BAD_REQUEST);
    assert!(
        Page::parse(&refused.text())
            .text("main")
            .contains("không thể dừng")
    );
    // nobody else's dossier
    let other = TestApp::over_same(&app);
    sign_in_staff(&other, "tiepnhan").await;
    assert_ne!(
        other
            .server
            .get(&format!("{page}/forms/05.pdf"))
            .await
            .status_code(),
        StatusCode::OK
    );
}

/// A new appointment set while the citizen's supplement is awaited keeps the status: the
/// citizen still reads the items asked and why, not the reschedule's reason.
#[tokio::test]
async fn a_new_appointment_while_waiting_keeps_the_supplement_request_in_view() {
    let app = TestApp::with_demo().await;
    let officer = official(&app, "chuyenvien").await;
    let head = official(&app, "lanhdaophong").await;
    let id = id_of(&app, PROCESSING).await;
    sqlx::query(
        "update dossiers set due_at = now() + interval '10 days', \
           original_due_at = now() + interval '10 days' where id = $1",
    )
    .bind(id)
    .execute(&app.db.pool)
    .await
    .unwrap();
    see_other(
        &act(
            &officer,
            id,
            "Processing/Appraisal",
            "request_supplement",
            &[
                ("items", "Xác nhận của chủ hộ"),
                ("reason", "Thiếu xác nhận của chủ hộ về việc cho thuê nhà"),
            ],
        )
        .await,
    );
    let state: String = sqlx::query_scalar(
        "select status::text || '/' || coalesce(step::text, '') from dossiers where id = $1",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(state.starts_with("supplement_requested"), "{state}");
    let expected = Page::parse(
        &head
            .server
            .get(&format!("/staff/dossiers/{id}"))
            .await
            .text(),
    );
    let expected = expected.attr("input[name=expected]", "value");
    see_other(
        &act(
            &head,
            id,
            &expected,
            "reschedule",
            &[
                ("new_date", "2099-01-05"),
                ("new_time", "09:00"),
                ("reason", "Chờ kết quả xác minh của cơ quan khác"),
            ],
        )
        .await,
    );
    sign_in_citizen(&app).await;
    let page = Page::parse(
        &app.server
            .get(&format!("/account/dossiers/{id}/documents"))
            .await
            .text(),
    );
    let notice = page.text(".notice");
    assert!(
        notice.contains("Thiếu xác nhận của chủ hộ về việc cho thuê nhà"),
        "{notice}"
    );
    assert!(!notice.contains("Chờ kết quả xác minh"), "{notice}");
    // the items asked, as on Form 02
    assert_eq!(page.texts("#items-asked li"), ["Xác nhận của chủ hộ"]);
}

#[tokio::test]
async fn a_late_dossier_is_rescheduled_once_and_still_counts_late_against_the_first_date() {
    let app = TestApp::with_demo().await;
    let head = official(&app, "lanhdaophong").await;
    let id = id_of(&app, PROCESSING).await;
    // due in an hour: too late to apologise (at least one working day before)
    sqlx::query("update dossiers set due_at = now() + interval '1 hour' where id = $1")
        .bind(id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let late = act(
        &head,
        id,
        "Processing/Appraisal",
        "reschedule",
        &[
            ("new_date", "2099-01-05"),
            ("new_time", "09:00"),
            ("reason", "Chờ kết quả xác minh của cơ quan khác"),
        ],
    )
    .await;
    assert_eq!(late.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&late.text())
            .text(".error-summary")
            .contains("01 ngày làm việc")
    );
    sqlx::query(
        "update dossiers set due_at = now() + interval '10 days', original_due_at = now() + interval '10 days' \
         where id = $1",
    )
        .bind(id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let first_due: DateTime<Utc> = sqlx::query_scalar("select due_at from dossiers where id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let no_reason = act(
        &head,
        id,
        "Processing/Appraisal",
        "reschedule",
        &[
            ("new_date", "2099-01-05"),
            ("new_time", "09:00"),
            ("reason", ""),
        ],
    )
    .await;
    assert_eq!(no_reason.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    see_other(
        &act(
            &head,
            id,
            "Processing/Appraisal",
            "reschedule",
            &[
                ("new_date", "2099-01-05"),
                ("new_time", "09:00"),
                ("reason", "Chờ kết quả xác minh của cơ quan khác"),
            ],
        )
        .await,
    );
    let (due, original): (DateTime<Utc>, DateTime<Utc>) =
        sqlx::query_as("select due_at, original_due_at from dossiers where id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(original, first_due);
    assert_eq!(
        motcua::deadlines::calendar::to_local(due)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        "2099-01-05 09:00"
    );
    // only once
    let again = act(
        &head,
        id,
        "Processing/Appraisal",
        "reschedule",
        &[
            ("new_date", "2099-02-05"),
            ("new_time", "09:00"),
            ("reason", "Lại chậm thêm vì lý do khác"),
        ],
    )
    .await;
    assert_eq!(again.status_code(), StatusCode::CONFLICT);
    let page = Page::parse(
        &head
            .server
            .get(&format!("/staff/dossiers/{id}"))
            .await
            .text(),
    );
    assert!(page.text(".summary-list").contains("Hẹn ban đầu"));
    let form = head
        .server
        .get(&format!("/staff/dossiers/{id}/forms/04.pdf"))
        .await;
    if let Some(text) = pdf_text(form.as_bytes()) {
        assert!(
            text.contains("VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"),
            "{text}"
        );
        assert!(text.contains("05/01/2099"), "{text}");
        assert!(text.contains("Chờ kết quả xác minh"));
    }
    // the citizen sees the new appointment
    sign_in_citizen(&app).await;
    let mine = Page::parse(
        &app.server
            .get(&format!("/account/dossiers/{id}"))
            .await
            .text(),
    );
    assert!(mine.text(".summary-list").contains("09:00 05/01/2099"));
}

#[tokio::test]
async fn a_wrong_result_is_corrected_within_three_working_days_only() {
    let app = TestApp::with_demo().await;
    let signer = official(&app, "lanhdao").await;
    let id = id_of(&app, RESULT_READY).await;
    sqlx::query("update dossiers set result_at = now() where id = $1")
        .bind(id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let without_file = act(
        &signer,
        id,
        "ResultReady",
        "correct_result",
        &[("reason", "Sai năm sinh trên giấy xác nhận")],
    )
    .await;
    assert_eq!(without_file.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    see_other(&upload_result(&signer, id, "ket-qua-dinh-chinh.pdf").await);
    see_other(
        &act(
            &signer,
            id,
            "ResultReady",
            "correct_result",
            &[("reason", "Sai năm sinh trên giấy xác nhận")],
        )
        .await,
    );
    let (status, file): (String, Option<Uuid>) =
        sqlx::query_as("select status::text, result_file_id from dossiers where id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(status, "result_ready");
    assert!(file.is_some());
    // a month later it is too late (ten days could hold fewer than three working days: Tết)
    sqlx::query("update dossiers set result_at = now() - interval '30 days' where id = $1")
        .bind(id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    see_other(&upload_result(&signer, id, "lan-hai.pdf").await);
    let late = act(
        &signer,
        id,
        "ResultReady",
        "correct_result",
        &[("reason", "Sai địa chỉ thường trú")],
    )
    .await;
    assert_eq!(late.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&late.text())
            .text(".error-summary")
            .contains("03 ngày làm việc")
    );
}

/// Counter filing's text fields for a walk-in, Lê Thị Mai, with her ID number as typed and the
/// way she wants the result.
fn walk_in_form(token: &str, personal_id: &str, result_channel: &str) -> MultipartForm {
    MultipartForm::new()
        .add_text("csrf", token)
        .add_text("procedure", "1.001193")
        .add_text("name", "Lê Thị Mai")
        .add_text("personal_id", personal_id)
        .add_text("phone", "0905 111 222")
        .add_text("address", "12 Lê Lợi, phường Cẩm Thành")
        .add_text("result_channel", result_channel)
}

#[tokio::test]
async fn a_walk_in_dossier_is_filed_at_the_counter_under_the_applicants_identity() {
    let app = TestApp::with_demo().await;
    sign_in_staff(&app, "tiepnhan").await;
    let form_page = "/staff/reception/new?procedure=1.001193";
    let page = Page::parse(&app.server.get(form_page).await.text());
    let slots = page.attrs("input[type=file]", "name");
    assert!(slots.len() >= 2, "{slots:?}");
    let token = csrf(&app, form_page).await;
    // bad input: kept, explained, nothing written
    let count = |app: &TestApp| {
        let pool = app.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("select count(*) from dossiers where intake_channel = 1")
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let before = count(&app).await;
    let bad = app
        .server
        .post("/staff/reception/new")
        .multipart(walk_in_form(&token, "12345", "post").add_text("result_address", ""))
        .await;
    assert_eq!(bad.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let shown = Page::parse(&bad.text());
    let summary = shown.text(".error-summary");
    assert!(summary.contains("12 chữ số"), "{summary}");
    assert!(
        summary.contains("địa chỉ nhận kết quả qua bưu điện"),
        "{summary}"
    );
    assert_eq!(shown.attr("#name", "value"), "Lê Thị Mai");
    assert_eq!(count(&app).await, before);
    // a complete walk-in dossier, the result posted home
    let mut form = MultipartForm::new()
        .add_text("csrf", &token)
        .add_text("procedure", "1.001193")
        .add_text("name", "Nguyễn Văn An")
        .add_text("personal_id", "051090001234")
        .add_text("phone", "0912 345 678")
        .add_text("email", "")
        .add_text("address", "54 Hùng Vương, phường Cẩm Thành")
        .add_text("result_channel", "post")
        .add_text(
            "result_address",
            "54 Hùng Vương, phường Cẩm Thành, Quảng Ngãi",
        );
    for slot in &slots {
        form = form.add_part(
            slot.clone(),
            Part::bytes(PDF.to_vec())
                .file_name(format!("{slot}.pdf"))
                .mime_type("application/pdf"),
        );
    }
    let filed = app
        .server
        .post("/staff/reception/new")
        .multipart(form)
        .await;
    see_other(&filed);
    let page_url = location(&filed);
    let shown = Page::parse(&app.server.get(&page_url).await.text());
    assert!(
        shown.text(".flash").contains("mã tra cứu"),
        "{}",
        shown.text(".flash")
    );
    let id: Uuid = page_url.rsplit('/').next().unwrap().parse().unwrap();
    let (channel, name, citizen, filed_by, result): (i16, String, Option<Uuid>, Option<Uuid>, String) =
        sqlx::query_as(
            "select intake_channel, applicant_name, citizen_id, filed_by, result_channel from dossiers where id = $1",
        )
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(channel, 1);
    assert_eq!(name, "Nguyễn Văn An");
    assert_eq!(result, "post");
    assert_eq!(filed_by, Some(staff_id(&app, "tiepnhan").await));
    // never the official's identity, and not linked to an account by a declared ID number
    // alone: the applicant follows it by code and PIN
    assert_eq!(citizen, None);
    // the PIN stays in reach on the dossier's page until Form 01 is printed
    let pin = shown
        .text(".flash")
        .rsplit(' ')
        .next()
        .unwrap()
        .trim()
        .to_owned();
    assert_eq!(shown.text("#walk-in-pin strong"), pin);
    // the walk-in's first message gives the PIN and a tracking link with the code filled in
    let code: String = sqlx::query_scalar("select code from dossiers where id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    motcua::notify::compose::compose_queued(&app.db.pool, "http://127.0.0.1:8080", 50)
        .await
        .unwrap();
    let sms: String = sqlx::query_scalar(
        "select body from outbound_messages where dossier_id = $1 and channel = 'sms' \
           and kind = 'submitted'",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(
        sms.contains(&format!("(giu cung ma ho so): {pin}.")),
        "{sms}"
    );
    assert!(
        sms.contains(&format!("http://127.0.0.1:8080/tra-cuu?code={code}")),
        "{sms}"
    );
    let queued_pins: i64 =
        sqlx::query_scalar("select count(*) from notify_queue where pin is not null")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        queued_pins, 0,
        "the queue forgets it once the message is written"
    );
    // accepted on the spot: Form 01 names the applicant and the postal return
    see_other(&act(&app, id, "Submitted", "accept", &[]).await);
    let form01 = app
        .server
        .get(&format!("/staff/dossiers/{id}/form-01.pdf"))
        .await;
    assert_eq!(form01.status_code(), StatusCode::OK);
    if let Some(text) = pdf_text(form01.as_bytes()) {
        assert!(text.contains("Nguyễn Văn An"));
        assert!(text.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"));
        // the applicant's copy carries the PIN the flash showed; the copy kept with the
        // dossier does not
        assert_eq!(
            text.matches(&format!("Mã PIN tra cứu hồ sơ: {pin}"))
                .count(),
            1,
            "{text}"
        );
    }
    // printed: the page no longer shows it
    let after = Page::parse(&app.server.get(&page_url).await.text());
    assert!(!after.has("#walk-in-pin"));
    // a case officer may not file at the counter
    let officer = official(&app, "chuyenvien").await;
    assert_eq!(
        officer
            .server
            .get("/staff/reception/new")
            .await
            .status_code(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn two_heads_assigning_at_once_one_wins() {
    let app = TestApp::with_demo().await;
    let desk = official(&app, "tiepnhan").await;
    let id = id_of(&app, SUBMITTED).await;
    see_other(&act(&desk, id, "Submitted", "accept", &[]).await);
    see_other(&act(&desk, id, "Received", "forward", &[]).await);
    let a = official(&app, "lanhdaophong").await;
    let b = official(&app, "lanhdaophong").await;
    let officer = staff_id(&app, "chuyenvien").await.to_string();
    let fields = [("assignee", officer.as_str())];
    let (x, y) = tokio::join!(
        act(&a, id, "Processing/Assignment", "assign", &fields),
        act(&b, id, "Processing/Assignment", "assign", &fields),
    );
    let mut codes = [x.status_code(), y.status_code()];
    codes.sort();
    assert_eq!(codes, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    let assigned: i64 = sqlx::query_scalar(
        "select count(*) from dossier_events where dossier_id = $1 and action = 'assign'",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(assigned, 1);
}

#[tokio::test]
async fn officials_act_only_in_their_role_and_agency() {
    let app = TestApp::with_demo().await;
    let id = id_of(&app, PROCESSING).await;
    // a reception official cannot assign or sign
    let desk = official(&app, "tiepnhan").await;
    let officer = staff_id(&app, "chuyenvien").await.to_string();
    assert_eq!(
        act(
            &desk,
            id,
            "Processing/Appraisal",
            "assign",
            &[("assignee", &officer)]
        )
        .await
        .status_code(),
        StatusCode::FORBIDDEN
    );
    // a case officer cannot sign
    let case_officer = official(&app, "chuyenvien").await;
    assert_eq!(
        act(
            &case_officer,
            id,
            "Processing/Appraisal",
            "issue_result",
            &[]
        )
        .await
        .status_code(),
        StatusCode::FORBIDDEN
    );
    // another agency's official sees nothing
    let partner = official(&app, "phoihop").await;
    assert_eq!(
        partner
            .server
            .get(&format!("/staff/dossiers/{id}"))
            .await
            .status_code(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        act(
            &partner,
            id,
            "Processing/Appraisal",
            "submit_for_signature",
            &[]
        )
        .await
        .status_code(),
        StatusCode::FORBIDDEN
    );
    // nothing changed
    assert_eq!(
        state(&app, id).await,
        ("processing".into(), Some("appraisal".into()))
    );
    // inboxes follow the role: the reception official has no "assigned to me"
    assert_eq!(
        desk.server
            .get("/staff/inbox?view=mine")
            .await
            .status_code(),
        StatusCode::NOT_FOUND
    );
    assert!(
        inbox_codes(&case_officer, "mine")
            .await
            .contains(&PROCESSING.to_owned())
    );
}

#[tokio::test]
async fn an_agency_with_its_own_office_hours_counts_them() {
    let app = TestApp::with_demo().await;
    let agency = agency_id(&app, "ubnd-phuong-cam-thanh").await;
    sqlx::query(
        "insert into office_hours (agency_id, opens, closes, valid_from) values \
           ($1, '08:00', '12:00', '2025-01-01'), ($1, '13:00', '17:00', '2025-01-01')",
    )
    .bind(agency)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let mut conn = app.db.pool.acquire().await.unwrap();
    let own = motcua::deadlines::repo::load_for(&mut conn, Some(agency))
        .await
        .unwrap();
    let general = motcua::deadlines::repo::load_for(&mut conn, None)
        .await
        .unwrap();
    let monday = chrono::NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
    assert_eq!(own.opening(monday).format("%H:%M").to_string(), "08:00");
    assert_eq!(general.opening(monday).format("%H:%M").to_string(), "07:30");
    // 8 working hours from Monday 17:15: Tuesday 17:00 here (closed already), Tuesday 17:15
    // by the general hours (a quarter of an hour left on Monday)
    let start = monday.and_hms_opt(17, 15, 0).unwrap();
    assert_eq!(
        own.add_working_hours(start, 8)
            .format("%a %H:%M")
            .to_string(),
        "Tue 17:00"
    );
    assert_eq!(
        general
            .add_working_hours(start, 8)
            .format("%a %H:%M")
            .to_string(),
        "Tue 17:15"
    );
}

#[tokio::test]
async fn every_form_is_also_a_printable_page() {
    let app = TestApp::with_demo().await;
    let desk = official(&app, "tiepnhan").await;
    let id = id_of(&app, SUBMITTED).await;
    see_other(&act(&desk, id, "Submitted", "accept", &[]).await);
    for (form, words) in [
        ("01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
        ("06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
    ] {
        let page = desk
            .server
            .get(&format!("/staff/dossiers/{id}/forms/{form}.html"))
            .await;
        assert_eq!(page.status_code(), StatusCode::OK, "{form}");
        let html = Page::parse(&page.text());
        assert_eq!(html.text("h1"), words);
        assert!(html.text(".form-code").contains(SUBMITTED));
    }
    // a form the dossier has not had is not there
    assert_eq!(
        desk.server
            .get(&format!("/staff/dossiers/{id}/forms/04.html"))
            .await
            .status_code(),
        StatusCode::NOT_FOUND
    );
    let shown = Page::parse(
        &desk
            .server
            .get(&format!("/staff/dossiers/{id}"))
            .await
            .text(),
    );
    assert!(shown.has(&format!("a[href='/staff/dossiers/{id}/forms/06.html']")));
}

/// A result the citizen chose to receive by post is offered to the postal hand-over, not
/// "Trả kết quả tại quầy"; once the post brings it back undelivered, the counter may return it.
#[tokio::test]
async fn a_result_for_the_post_leads_to_the_postal_hand_over_not_the_counter() {
    let app = TestApp::with_demo().await;
    let id = id_of(&app, RESULT_READY).await;
    sqlx::query(
        "update dossiers set result_channel = 'post', result_address = '12 Lê Lợi, Thanh Hóa' \
         where id = $1",
    )
    .bind(id)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let desk = official(&app, "tiepnhan").await;
    let page = Page::parse(
        &desk
            .server
            .get(&format!("/staff/dossiers/{id}"))
            .await
            .text(),
    );
    assert!(!page.has("#return_at_counter"), "no counter return");
    assert_eq!(page.attr("#postal-hand-over a", "href"), "/staff/postal");
    assert_eq!(
        page.text("#postal-hand-over a"),
        "Giao kết quả cho bưu điện"
    );
    assert_eq!(
        act(&desk, id, "ResultReady", "return_at_counter", &[])
            .await
            .status_code(),
        StatusCode::CONFLICT,
        "not for this dossier now"
    );
    assert_eq!(state(&app, id).await.0, "result_ready");
    // the postal desk lists it for the hand-over
    let postal = Page::parse(&desk.server.get("/staff/postal").await.text());
    assert!(postal.text("main").contains("12 Lê Lợi, Thanh Hóa"));

    // brought back by the post: the citizen collects it at the counter
    sqlx::query(
        "insert into dossier_events (dossier_id, from_status, to_status, actor_kind, action) \
         values ($1, 'out_for_delivery', 'result_ready', 'system', 'returned_by_post')",
    )
    .bind(id)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let page = Page::parse(
        &desk
            .server
            .get(&format!("/staff/dossiers/{id}"))
            .await
            .text(),
    );
    assert!(page.has("#return_at_counter"));
    assert!(!page.has("#postal-hand-over"));
}

/// Buttons say what they do (a verb), the history what happened; each reason field says what
/// it asks for, the fee assessment and the refund included, in Vietnamese and in English.
#[tokio::test]
async fn action_buttons_are_verbs_and_each_reason_field_says_what_it_is() {
    let app = TestApp::with_demo().await;
    let id = id_of(&app, SUBMITTED).await;
    let desk = official(&app, "tiepnhan").await;
    let url = format!("/staff/dossiers/{id}");
    let vi = Page::parse(&desk.server.get(&url).await.text());
    assert_eq!(vi.text("#accept legend"), "Tiếp nhận hồ sơ (Mẫu 01)");
    assert_eq!(
        vi.text("label[for=refuse_at_reception-reason]"),
        "Lý do từ chối tiếp nhận"
    );
    assert_eq!(
        vi.text("label[for=return_for_completion-reason]"),
        "Lý do, các nội dung cần bổ sung"
    );
    assert!(
        vi.text("label[for=assess-reason]")
            .starts_with("Căn cứ xác định số tiền")
    );
    let en = Page::parse(&desk.server.get(&format!("{url}?lang=en")).await.text());
    assert_eq!(en.text("#accept legend"), "Accept the dossier (Form 01)");
    assert_eq!(
        en.text("#refuse_at_reception button"),
        "Refuse at reception (Form 03)"
    );
    assert_eq!(
        en.text("label[for=refuse_at_reception-reason]"),
        "Why the dossier is refused"
    );
    assert!(
        en.text("label[for=assess-reason]")
            .starts_with("What the amount is for")
    );
    // the history keeps naming events
    assert!(
        en.text("table").contains("Submitted"),
        "{}",
        en.text("table")
    );
    // agencies by their English names
    let (vi_name, en_name): (String, String) = sqlx::query_as(
        "select name_vi, name_en from agencies where slug = 'ubnd-phuong-cam-thanh'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let summary = en.text(".summary-list");
    assert!(summary.contains(&en_name), "{summary}");
    assert!(!summary.contains(&vi_name), "{summary}");
    assert!(vi.text(".summary-list").contains(&vi_name));
}

/// Counter filing finds a procedure by words of its name, with or without tones, as the
/// public catalogue does, and offers only the ways of returning the result that its
/// published terms have.
#[tokio::test]
async fn counter_filing_finds_a_procedure_by_name_and_offers_only_its_result_channels() {
    let app = TestApp::with_demo().await;
    // birth registration here returns no electronic result (before any page reads its terms)
    sqlx::query(
        "update procedure_versions set result_electronic = false, result_post = true \
         where code = '1.001193'",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    sign_in_staff(&app, "tiepnhan").await;
    for typed in ["khai sinh", "Đăng ký khai sinh", "dang ky khai sinh"] {
        let found = app
            .server
            .get(&format!(
                "/staff/reception/new?procedure={}",
                typed.replace(' ', "+")
            ))
            .await;
        assert_eq!(found.status_code(), StatusCode::OK, "{typed}");
        let page = Page::parse(&found.text());
        let links = page.attrs("#matches a", "href");
        assert!(
            links.contains(&"/staff/reception/new?procedure=1.001193".to_owned()),
            "{typed}: {links:?}"
        );
        assert!(page.text("#matches").contains("Đăng ký khai sinh"));
    }
    let nothing = app
        .server
        .get("/staff/reception/new?procedure=xyzxyz")
        .await;
    assert_eq!(nothing.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&nothing.text())
            .text(".error-summary")
            .contains("mã hoặc tên này")
    );
    // chosen: the result at the counter or by post, not electronically
    let form_page = "/staff/reception/new?procedure=1.001193";
    let page = Page::parse(&app.server.get(form_page).await.text());
    assert_eq!(
        page.attrs("input[name=result_channel]", "value"),
        ["counter", "post"]
    );
    let token = csrf(&app, form_page).await;
    let refused = app
        .server
        .post("/staff/reception/new")
        .multipart(walk_in_form(&token, "051185004321", "electronic"))
        .await;
    assert_eq!(refused.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&refused.text())
            .text(".error-summary")
            .contains("không trả kết quả theo cách đã chọn")
    );
}

/// The work comes first on the official's dossier page too: under the code, links straight to
/// each action the official may take now, each leading to its form.
#[tokio::test]
async fn the_dossier_page_leads_straight_to_the_actions() {
    let app = TestApp::with_demo().await;
    let id = id_of(&app, SUBMITTED).await;
    let desk = official(&app, "tiepnhan").await;
    let page = Page::parse(
        &desk
            .server
            .get(&format!("/staff/dossiers/{id}"))
            .await
            .text(),
    );
    let links = page.attrs("#jump-actions a", "href");
    assert!(links.contains(&"#accept".to_owned()), "{links:?}");
    for link in &links {
        assert!(
            page.has(&format!("fieldset{link}")),
            "{link} leads to its form"
        );
    }
}
