//! The clock an inspector can defend (issue 22): the limits on the officials' own steps, each
//! with the instants passed explicitly (the back office's clock fixed by the test).

use axum::http::StatusCode;
use axum_test::multipart::{MultipartForm, Part};
use chrono::{DateTime, NaiveDateTime, Utc};

use crate::helpers::html::Page;
use crate::helpers::session::{csrf, post_form, sign_in_citizen};
use crate::helpers::{TestApp, official};
use crate::processing::{act, id_of, see_other, staff_id};
use motcua::deadlines::calendar::{to_local, to_utc};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
/// The demo's submitted birth registration (1.001193, decided the same day).
const SUBMITTED: &str = "000.00.00.H48-251126-0006";

/// An instant given in Vietnam's local time ("2027-03-01 16:00").
pub(crate) fn local(at: &str) -> DateTime<Utc> {
    to_utc(NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").expect("a local time"))
}

/// The demo's submitted birth registration accepted, forwarded and assigned at the clock's
/// instant; with the head of the unit and the case officer who hold it.
async fn in_appraisal(app: &TestApp) -> (uuid::Uuid, TestApp, TestApp) {
    let desk = official(app, "tiepnhan").await;
    let head = official(app, "lanhdaophong").await;
    let officer = official(app, "chuyenvien").await;
    let id = id_of(app, SUBMITTED).await;
    see_other(&act(&desk, id, "Submitted", "accept", &[]).await);
    see_other(&act(&desk, id, "Received", "forward", &[]).await);
    let officer_id = staff_id(app, "chuyenvien").await.to_string();
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
    (id, head, officer)
}

/// The demo citizen sends the paper asked for (as "other documents") and sends the dossier
/// back, online, at the clock's instant.
async fn answer_online(app: &TestApp, id: uuid::Uuid) {
    sign_in_citizen(app).await;
    let dossier = format!("/account/dossiers/{id}");
    let token = csrf(app, &format!("{dossier}/documents")).await;
    see_other(
        &app.server
            .post(&format!("{dossier}/documents?slot=other"))
            .multipart(
                MultipartForm::new().add_text("csrf", &token).add_part(
                    "file",
                    Part::bytes(PDF.to_vec())
                        .file_name("giay-chung-sinh.pdf")
                        .mime_type("application/pdf"),
                ),
            )
            .await,
    );
    see_other(
        &post_form(
            app,
            &format!("{dossier}/documents"),
            &format!("{dossier}/resubmit"),
            &[],
        )
        .await,
    );
}

async fn due_at(app: &TestApp, id: uuid::Uuid) -> DateTime<Utc> {
    sqlx::query_scalar("select due_at from dossiers where id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_late_supplement_request_is_the_heads_and_never_rescues_a_late_dossier() {
    // accepted on Monday 1 March 2027 at 09:00: due that day by closing time
    let app = TestApp::with_demo_at(local("2027-03-01 09:00")).await;
    let (id, head, officer) = in_appraisal(&app).await;
    let first_due = due_at(&app, id).await;
    assert_eq!(to_local(first_due).date().to_string(), "2027-03-01");
    // the limit for a supplement request: 3 working days from receipt, shown on the page
    let by: Option<DateTime<Utc>> =
        sqlx::query_scalar("select supplement_request_by from dossiers where id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(by, Some(local("2027-03-04 09:00")));
    let page = Page::parse(
        &officer
            .server
            .get(&format!("/staff/dossiers/{id}"))
            .await
            .text(),
    );
    assert!(
        page.text("#supplement-request-by")
            .contains("09:00 04/03/2027")
    );

    // Thursday 10:00: past the limit, and the dossier past its appointment
    app.state.clock.set(local("2027-03-04 10:00"));
    let items = "Bản sao giấy chứng sinh rõ nét";
    let refused = act(
        &officer,
        id,
        "Processing/Appraisal",
        "request_supplement",
        &[("items", items), ("reason", "Bản sao mờ, không đọc được")],
    )
    .await;
    assert_eq!(refused.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = Page::parse(&refused.text());
    assert!(
        refused
            .text(".error-summary")
            .contains("do lãnh đạo đơn vị quyết định và ghi rõ lý do"),
        "{}",
        refused.text(".error-summary")
    );
    assert!(
        refused
            .text("#supplement-request-by")
            .contains("đã quá hạn")
    );
    // the head decides, the reason kept as the justification
    let head_page = Page::parse(
        &head
            .server
            .get(&format!("/staff/dossiers/{id}"))
            .await
            .text(),
    );
    assert!(
        head_page
            .text("#request_supplement-items-hint")
            .contains("giải trình")
    );
    let justification = "Bản sao mờ, không đọc được số giấy chứng sinh";
    see_other(
        &act(
            &head,
            id,
            "Processing/Appraisal",
            "request_supplement",
            &[("items", items), ("reason", justification)],
        )
        .await,
    );
    let (role, note, late, at): (String, String, Option<bool>, DateTime<Utc>) = sqlx::query_as(
        "select actor_role, note, (details->>'late')::boolean, at from dossier_events \
         where dossier_id = $1 and action = 'request_supplement'",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        (role.as_str(), note.as_str(), late),
        ("division_head", justification, Some(true))
    );
    assert_eq!(at, local("2027-03-04 10:00"));
    // the control slip marks that hand-over late
    let form06 = Page::parse(
        &head
            .server
            .get(&format!("/staff/dossiers/{id}/forms/06.html"))
            .await
            .text(),
    );
    let row = form06
        .texts("tbody tr")
        .into_iter()
        .find(|r| r.contains("Yêu cầu bổ sung"))
        .expect("a row for the request");
    assert!(row.contains("Quá hạn"), "{row}");
    // Form 02 is dated the day of the request, whenever it is printed
    let form02 = Page::parse(
        &head
            .server
            .get(&format!("/staff/dossiers/{id}/forms/02.html"))
            .await
            .text(),
    );
    assert!(
        form02.text("body").contains("ngày 04 tháng 03 năm 2027"),
        "{}",
        form02.text("body")
    );

    // the citizen answers on Friday 09:00: the clock only paused, so the dossier stays late
    app.state.clock.set(local("2027-03-05 09:00"));
    answer_online(&app, id).await;
    let due = due_at(&app, id).await;
    let mut conn = app.db.pool.acquire().await.unwrap();
    let calendar = motcua::deadlines::repo::load(&mut conn).await.unwrap();
    let waited = calendar.working_time_between(
        to_local(local("2027-03-04 10:00")),
        to_local(local("2027-03-05 09:00")),
    );
    assert_eq!(
        to_local(due),
        calendar.add_working_time(to_local(first_due), waited),
        "the appointment moved by the wait only"
    );
    assert!(
        due < local("2027-03-05 09:00"),
        "still late: {due} (restarting would have given Friday's closing time)"
    );
    let page = Page::parse(
        &officer
            .server
            .get(&format!("/staff/dossiers/{id}"))
            .await
            .text(),
    );
    assert!(
        page.text(".summary-list").contains("quá hạn"),
        "{}",
        page.text(".summary-list")
    );
}

/// Posts "return for completion" from the reception desk, asking again for the "other" item.
async fn return_for_completion(desk: &TestApp, id: uuid::Uuid) -> axum_test::TestResponse {
    let page = format!("/staff/dossiers/{id}");
    post_form(
        desk,
        &page,
        &format!("{page}/return"),
        &[
            ("expected", "Submitted"),
            ("reason", "Thiếu bản chụp giấy chứng sinh; đề nghị bổ sung"),
            ("item-other", "on"),
            ("item-reason-other", "Bản chụp giấy chứng sinh"),
        ],
    )
    .await
}

#[tokio::test]
async fn a_dossier_is_returned_for_completion_once_and_closed_when_never_completed() {
    let app = TestApp::with_demo_at(local("2027-03-01 09:00")).await;
    let desk = official(&app, "tiepnhan").await;
    let id = id_of(&app, SUBMITTED).await;
    see_other(&return_for_completion(&desk, id).await);
    let until: Option<DateTime<Utc>> =
        sqlx::query_scalar("select supplement_due_at from dossiers where id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    // the rule's 15 days (clock_rules.completion_reply_days)
    assert_eq!(until, Some(local("2027-03-16 09:00")));
    // the citizen completes it on Tuesday
    app.state.clock.set(local("2027-03-02 08:00"));
    answer_online(&app, id).await;
    // a second return is refused with the rule; the dossier waits at the desk, unchanged
    let again = return_for_completion(&desk, id).await;
    assert_eq!(again.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&again.text())
            .text(".error-summary")
            .contains("chỉ được yêu cầu sửa đổi, bổ sung một lần"),
        "{}",
        again.text()
    );
    let returns: i64 = sqlx::query_scalar(
        "select count(*) from dossier_events where dossier_id = $1 and action = 'return_for_completion'",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(returns, 1);
    see_other(&act(&desk, id, "Submitted", "accept", &[]).await);
}

#[tokio::test]
async fn a_dossier_returned_for_completion_and_never_completed_is_closed_with_a_notice() {
    let app = TestApp::with_demo_at(local("2027-03-01 09:00")).await;
    let desk = official(&app, "tiepnhan").await;
    let id = id_of(&app, SUBMITTED).await;
    see_other(&return_for_completion(&desk, id).await);
    let status = || async {
        sqlx::query_scalar::<_, String>("select status::text from dossiers where id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
    };
    // still within the 15 days: not closed (the demo's older waits are)
    motcua::jobs::close_unanswered(&app.db.pool, local("2027-03-16 08:59"))
        .await
        .unwrap();
    assert_eq!(status().await, "returned_for_completion");
    assert!(
        motcua::jobs::close_unanswered(&app.db.pool, local("2027-03-16 09:01"))
            .await
            .unwrap()
            >= 1
    );
    let (status, note, at, queued): (String, String, DateTime<Utc>, bool) = sqlx::query_as(
        "select d.status::text, e.note, e.at, \
           exists (select 1 from notify_queue q where q.event_id = e.id) \
         from dossiers d join dossier_events e on e.dossier_id = d.id \
         where d.id = $1 and e.action = 'close_unanswered'",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(status, "stopped");
    assert!(note.contains("hoàn thiện hồ sơ"), "{note}");
    assert_eq!(at, local("2027-03-16 09:01"));
    assert!(queued, "the citizen is told (the 'closed' notice)");
}

#[tokio::test]
async fn the_clock_gives_no_appointment_in_a_year_without_holidays_and_admins_are_warned() {
    // the demo calendar holds 2025–2027; on 31 December 2027 at 16:00 a same-day procedure
    // with the 15:00 rule would be due on the first working day of 2028
    let app = TestApp::with_demo_at(local("2027-12-31 16:00")).await;
    let desk = official(&app, "tiepnhan").await;
    let id = id_of(&app, SUBMITTED).await;
    let refused = act(&desk, id, "Submitted", "accept", &[]).await;
    assert_eq!(refused.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Page::parse(&refused.text());
    assert!(
        page.text(".error-summary")
            .contains("lịch nghỉ lễ, Tết của năm này chưa được nhập"),
        "{}",
        page.text(".error-summary")
    );
    assert!(page.text(".error-summary").contains("2028"));
    let status: String = sqlx::query_scalar("select status::text from dossiers where id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(status, "submitted", "nothing written");
    // the administrators were told since October
    let admin = official(&app, "quantri").await;
    let home = Page::parse(&admin.server.get("/admin").await.text());
    assert!(home.text("#calendar-missing").contains("2028"));
    app.state.clock.set(local("2027-09-30 09:00"));
    let september = Page::parse(&admin.server.get("/admin").await.text());
    assert!(!september.has("#calendar-missing"), "not before October");
    // once 2028's holidays are entered the dossier is accepted
    app.state.clock.set(local("2027-12-31 16:00"));
    sqlx::query(
        "insert into calendar_days (day, kind, name_vi, name_en) \
         values ('2028-01-01', 'holiday', 'Tết Dương lịch', 'New Year''s Day')",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    assert!(!Page::parse(&admin.server.get("/admin").await.text()).has("#calendar-missing"));
    see_other(&act(&desk, id, "Submitted", "accept", &[]).await);
    let due = due_at(&app, id).await;
    assert_eq!(to_local(due).date().to_string(), "2028-01-03");
}

/// The last row of a CSV export, and the drill-down row of birth registration on a page.
fn birth_row(page: &Page) -> String {
    page.texts("#report tbody tr")
        .into_iter()
        .find(|r| r.contains("Đăng ký khai sinh"))
        .map(|r| r.split_whitespace().collect::<Vec<_>>().join(" "))
        .expect("a row for birth registration")
}

#[tokio::test]
async fn indicator_2_1_judges_by_the_first_appointment_plus_the_wait_not_the_restarted_one() {
    // worked by hand, office hours 07:30–11:30 and 13:30–17:30:
    // accepted Mon 01/03/2027 09:00, same-day procedure → first appointment Mon 17:30;
    // supplement asked Mon 10:00 (in time), received Wed 03/03 09:00: 15 working hours waited
    // (Mon 5.5 h, Tue 8 h, Wed 1.5 h) → QĐ 766's appointment Wed 16:30; Decree 118 restarts
    // the same-day limit → legal appointment Wed 17:30; result issued Wed 17:00:
    // on time by the decree's clock, late by the national statistics
    let app = TestApp::with_demo_at(local("2027-03-01 09:00")).await;
    let (id, _, officer) = in_appraisal(&app).await;
    let signer = official(&app, "lanhdao").await;
    app.state.clock.set(local("2027-03-01 10:00"));
    see_other(
        &act(
            &officer,
            id,
            "Processing/Appraisal",
            "request_supplement",
            &[
                ("items", "Bản sao giấy chứng sinh rõ nét"),
                ("reason", "Bản sao mờ, không đọc được số giấy chứng sinh"),
            ],
        )
        .await,
    );
    app.state.clock.set(local("2027-03-03 09:00"));
    answer_online(&app, id).await;
    assert_eq!(
        due_at(&app, id).await,
        local("2027-03-03 17:30"),
        "restarted"
    );
    let (legal, statistics): (Option<DateTime<Utc>>, Option<DateTime<Utc>>) = sqlx::query_as(
        "select (details->>'due_at')::timestamptz, (details->>'statistics_due_at')::timestamptz \
         from dossier_events where dossier_id = $1 and action = 'supplement_received'",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(legal, Some(local("2027-03-03 17:30")));
    assert_eq!(statistics, Some(local("2027-03-03 16:30")));
    let page = Page::parse(
        &officer
            .server
            .get(&format!("/staff/dossiers/{id}"))
            .await
            .text(),
    );
    assert!(page.text(".summary-list").contains("16:30 03/03/2027"));
    // signed and issued at 17:00
    app.state.clock.set(local("2027-03-03 10:00"));
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
    see_other(&crate::processing::upload_result(&signer, id, "giay-khai-sinh.pdf").await);
    app.state.clock.set(local("2027-03-03 17:00"));
    see_other(&act(&signer, id, "Processing/Signature", "issue_result", &[]).await);

    // the dashboard, drilled into the commune, by procedure
    let cam_thanh: String =
        sqlx::query_scalar("select id::text from agencies where slug = 'ubnd-phuong-cam-thanh'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let province = official(&app, "quantri").await;
    let march = format!("/staff/reports?kind=month&year=2027&number=3&agency={cam_thanh}");
    let row = birth_row(&Page::parse(&province.server.get(&march).await.text()));
    // received 1 online; early 0, on time 0, late 1; 2.1 = 0 %
    assert!(row.contains(" 0 0 1 "), "{row}");
    assert!(row.contains("0,0 %"), "{row}");
    // the CSV and the public figures agree
    let csv = province
        .server
        .get(&format!(
            "/staff/reports.csv?kind=month&year=2027&number=3&agency={cam_thanh}"
        ))
        .await
        .text();
    let line = csv
        .lines()
        .find(|l| l.contains("Đăng ký khai sinh"))
        .expect("a CSV line");
    assert!(line.contains(",0,0,1,"), "{line}");
    let json: serde_json::Value = app
        .server
        .get("/api/v1/statistics?year=2027&month=3")
        .await
        .json();
    let agency = json["agencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"].as_str().unwrap().contains("Cẩm Thành"))
        .unwrap()
        .clone();
    // the commune's rate (with the demo's other dossiers of the month) is the dashboard's
    let province_page = Page::parse(
        &province
            .server
            .get("/staff/reports?kind=month&year=2027&number=3")
            .await
            .text(),
    );
    let cells: Vec<String> = province_page
        .texts("#report tbody tr")
        .into_iter()
        .find(|r| r.contains("Cẩm Thành"))
        .expect("a row for the commune")
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let rate = agency["on_time_rate"].as_f64().unwrap();
    let shown = format!("{:.1}", rate * 100.0).replace('.', ",");
    assert_eq!(cells[cells.len() - 3], shown, "{cells:?} against {agency}");
}

#[tokio::test]
async fn waiting_for_the_citizens_financial_obligation_pauses_the_clock() {
    // accepted Mon 01/03/2027 09:00 (due Mon 17:30); the tax notice goes out Mon 10:00 and the
    // citizen's payment is confirmed Wed 03/03 09:00: 15 working hours waited, so the
    // appointment moves to Wed 16:30 (not late at Wed 10:00), for the decree and the statistics
    let app = TestApp::with_demo_at(local("2027-03-01 09:00")).await;
    let (id, _, officer) = in_appraisal(&app).await;
    app.state.clock.set(local("2027-03-01 10:00"));
    see_other(&act(&officer, id, "Processing/Appraisal", "wait_financial", &[]).await);
    app.state.clock.set(local("2027-03-03 09:00"));
    see_other(&act(&officer, id, "WaitingFinancial", "financial_done", &[]).await);
    assert_eq!(due_at(&app, id).await, local("2027-03-03 16:30"));
    let (legal, statistics): (Option<DateTime<Utc>>, Option<DateTime<Utc>>) = sqlx::query_as(
        "select (details->>'due_at')::timestamptz, (details->>'statistics_due_at')::timestamptz \
         from dossier_events where dossier_id = $1 and action = 'financial_done'",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(legal, Some(local("2027-03-03 16:30")));
    assert_eq!(statistics, Some(local("2027-03-03 16:30")));
    app.state.clock.set(local("2027-03-03 10:00"));
    let page = Page::parse(
        &officer
            .server
            .get(&format!("/staff/dossiers/{id}"))
            .await
            .text(),
    );
    let summary = page.text(".summary-list");
    assert!(summary.contains("16:30 03/03/2027"), "{summary}");
    assert!(!summary.contains("quá hạn"), "{summary}");
}

#[tokio::test]
async fn indicator_3_6_does_not_count_a_refunded_payment_as_paid() {
    // the reports' hand-worked October at Ba Xa: A and C paid online of A, B, C, F billed (2 of
    // 4); then A is refunded in full: 1 of 4 (an exemption or a bill of nothing makes no
    // payment at all: `payments_amount_positive`)
    let app = TestApp::with_demo().await;
    for s in crate::reports::october() {
        crate::reports::seed(&app.db.pool, &s, "ubnd-xa-ba-xa", "BX").await;
    }
    let ba_xa: String =
        sqlx::query_scalar("select id::text from agencies where slug = 'ubnd-xa-ba-xa'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let province = official(&app, "quantri").await;
    let url = format!("/staff/reports?kind=month&year=2026&number=10&agency={ba_xa}");
    let before = Page::parse(&province.server.get(&url).await.text()).text("#indicator-3-6");
    assert!(
        before.contains("50,0 %") && before.contains("(2)") && before.contains("(4)"),
        "{before}"
    );
    sqlx::query("update payments set refunded_vnd = amount_vnd where txn_ref = 'ref-BX-T-A'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let after = Page::parse(&province.server.get(&url).await.text()).text("#indicator-3-6");
    assert!(
        after.contains("25,0 %") && after.contains("(1)") && after.contains("(4)"),
        "{after}"
    );
}

#[tokio::test]
async fn a_new_online_dossier_is_announced_once_to_its_units_reception() {
    let app = TestApp::with_demo().await;
    for (username, email) in [
        ("tiepnhan", "tiepnhan@cam-thanh.invalid"),
        ("chuyenvien", "chuyenvien@cam-thanh.invalid"),
    ] {
        sqlx::query("update staff_users set email = $2 where username = $1")
            .bind(username)
            .bind(email)
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
    let now = local("2027-03-01 09:00");
    let announced = motcua::notify::arrivals::announce(&app.db.pool, "https://motcua.invalid", now)
        .await
        .unwrap();
    assert!(announced >= 1, "the demo's submitted online dossier");
    let sent: Vec<(String, String, String)> = sqlx::query_as(
        "select recipient, subject, body from outbound_messages where kind = 'arrival'",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    // to the unit's reception official only (not to its case officer)
    assert_eq!(sent.len(), 1, "{sent:?}");
    let (to, subject, body) = &sent[0];
    assert_eq!(to, "tiepnhan@cam-thanh.invalid");
    assert!(subject.contains("hồ sơ trực tuyến mới"), "{subject}");
    assert!(body.contains(SUBMITTED) && body.contains("https://motcua.invalid/staff/reception"));
    // once: the next pass announces nothing more
    assert_eq!(
        motcua::notify::arrivals::announce(&app.db.pool, "https://motcua.invalid", now)
            .await
            .unwrap(),
        0
    );
    let messages: i64 =
        sqlx::query_scalar("select count(*) from outbound_messages where kind = 'arrival'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(messages, 1);
    // and on the unit's reception queue
    let desk = official(&app, "tiepnhan").await;
    let queue = Page::parse(&desk.server.get("/staff/reception").await.text());
    let row = queue
        .texts("tbody tr")
        .into_iter()
        .find(|r| r.contains(SUBMITTED))
        .expect("the dossier in the queue");
    assert!(
        row.contains("Đã báo đơn vị qua thư điện tử lúc 09:00 01/03/2027"),
        "{row}"
    );
}

#[tokio::test]
async fn form_06_judges_the_decision_against_the_appointment_before_the_reschedule() {
    // the demo's dossier in appraisal, due Fri 05/03/2027 09:00; the head sends Form 04 on
    // Mon 01/03 (new date Wed 10/03); the result is issued Mon 08/03: on time by the new date,
    // late by the first one, which the reports and now Form 06 judge by
    let app = TestApp::with_demo_at(local("2027-03-01 09:00")).await;
    let head = official(&app, "lanhdaophong").await;
    let officer = official(&app, "chuyenvien").await;
    let signer = official(&app, "lanhdao").await;
    let id = id_of(&app, "000.00.00.H48-251117-0003").await;
    sqlx::query("update dossiers set due_at = $2, original_due_at = $2 where id = $1")
        .bind(id)
        .bind(local("2027-03-05 09:00"))
        .execute(&app.db.pool)
        .await
        .unwrap();
    see_other(
        &act(
            &head,
            id,
            "Processing/Appraisal",
            "reschedule",
            &[
                ("new_date", "2027-03-10"),
                ("new_time", "09:00"),
                ("reason", "Chờ kết quả xác minh của cơ quan khác"),
            ],
        )
        .await,
    );
    app.state.clock.set(local("2027-03-08 09:00"));
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
    see_other(&crate::processing::upload_result(&signer, id, "ket-qua.pdf").await);
    see_other(&act(&signer, id, "Processing/Signature", "issue_result", &[]).await);
    let form06 = Page::parse(
        &signer
            .server
            .get(&format!("/staff/dossiers/{id}/forms/06.html"))
            .await
            .text(),
    );
    let row = form06
        .texts("tbody tr")
        .into_iter()
        .find(|r| r.contains("ban hành kết quả"))
        .unwrap_or_else(|| panic!("{}", form06.text("tbody")));
    assert!(row.contains("Quá hạn"), "{row}");
}
