//! Feedback and complaints (phản ánh, kiến nghị; QĐ 766 group 5): sent by anyone, with or
//! without an account; routed to the unit; handled on the 766 clock; followed by code and PIN;
//! answers published without personal data; figures 5.1–5.3 and the complaint in 5.4.

use axum::http::StatusCode;
use axum_test::TestResponse;
use axum_test::multipart::{MultipartForm, Part};
use uuid::Uuid;

use crate::helpers::html::Page;
use crate::helpers::session::{csrf, post_form, sign_in_citizen};
use crate::helpers::{TestApp, official};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n";

async fn agency(app: &TestApp, slug: &str) -> Uuid {
    sqlx::query_scalar("select id from agencies where slug = $1")
        .bind(slug)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// Sends the feedback form with `fields` and, when given, one file.
async fn send(app: &TestApp, fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> TestResponse {
    let token = csrf(app, "/phan-anh").await;
    let mut form = MultipartForm::new().add_text("csrf", token);
    for (k, v) in fields {
        form = form.add_text(*k, (*v).to_owned());
    }
    if let Some((name, bytes)) = file {
        form = form.add_part("file", Part::bytes(bytes.to_vec()).file_name(name));
    }
    app.server.post("/phan-anh").multipart(form).await
}

fn sent_code_and_pin(response: &TestResponse) -> (String, String) {
    assert_eq!(
        response.status_code(),
        StatusCode::OK,
        "{}",
        response.text()
    );
    let page = Page::parse(&response.text());
    (page.text("#feedback-code"), page.text("#feedback-pin"))
}

async fn follow(app: &TestApp, fields: &[(&str, &str)]) -> TestResponse {
    post_form(app, "/phan-anh/theo-doi", "/phan-anh/theo-doi", fields).await
}

async fn id_of(app: &TestApp, code: &str) -> Uuid {
    sqlx::query_scalar("select id from feedback where code = $1")
        .bind(code)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// The unit's list with the figures of the month feedback `id` was received in (the test
/// names its month rather than relying on the day it runs).
async fn month_of(app: &TestApp, id: Uuid) -> String {
    let month: String = sqlx::query_scalar(
        "select to_char(created_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM') from feedback where id = $1",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    format!("/staff/feedback?month={month}")
}

async fn step(app: &TestApp, id: Uuid, fields: &[(&str, &str)]) -> TestResponse {
    post_form(app, "/staff", &format!("/staff/feedback/{id}"), fields).await
}

#[tokio::test]
async fn anonymous_feedback_is_answered_on_time_published_and_judged() {
    let app = TestApp::with_demo().await;
    let cam_thanh = agency(&app, "ubnd-phuong-cam-thanh").await.to_string();
    let form = Page::parse(&app.server.get("/phan-anh?procedure=1.001193").await.text());
    assert_eq!(form.attr("#procedure_code", "value"), "1.001193");

    // no contact, a body too short: told on the same form, what was typed kept
    let bad = send(
        &app,
        &[
            ("category", "conduct"),
            ("agency", &cam_thanh),
            ("name", "Trần Thị Bình"),
            ("body", "Chậm"),
        ],
        None,
    )
    .await;
    assert_eq!(bad.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Page::parse(&bad.text());
    let summary = page.text(".error-summary");
    assert!(
        summary.contains("Nhập số điện thoại hoặc thư điện tử"),
        "{summary}"
    );
    assert!(summary.contains("từ 10 đến 4.000 ký tự"), "{summary}");
    assert_eq!(page.attr("#name", "value"), "Trần Thị Bình");
    assert_eq!(page.attr("#category-conduct", "checked"), "");
    let none: i64 = sqlx::query_scalar("select count(*) from feedback")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(none, 0);

    let body = "Cán bộ tiếp nhận yêu cầu nộp thêm bản sao <script>alert(1)</script> không có trong thủ tục.";
    let sent = send(
        &app,
        &[
            ("category", "procedure"),
            ("agency", &cam_thanh),
            ("procedure_code", "1.001193"),
            ("name", "Trần Thị Bình"),
            ("phone", "0987 654 321"),
            ("body", body),
        ],
        Some(("bien-ban.pdf", PDF)),
    )
    .await;
    let (code, pin) = sent_code_and_pin(&sent);
    assert!(code.starts_with("PAKN-"), "{code}");
    let sms: String = sqlx::query_scalar(
        "select body from outbound_messages where recipient = '+84987654321' and kind = 'feedback_received'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(sms.contains(&code), "{sms}");

    // following it: a wrong PIN finds nothing, the right one shows where it stands
    let wrong = follow(&app, &[("code", &code), ("pin", "ZZZZZZ")]).await;
    assert_eq!(wrong.status_code(), StatusCode::NOT_FOUND);
    let seen = follow(&app, &[("code", &code), ("pin", &pin)]).await;
    let seen = Page::parse(&seen.text());
    assert_eq!(seen.text("#feedback-status"), "Đang xử lý");
    assert!(seen.text("#feedback-history").contains("Tiếp nhận"));

    // the unit: listed, the sender's words shown as text, the file downloadable
    let desk = official(&app, "tiepnhan").await;
    let list = Page::parse(&desk.server.get("/staff/feedback").await.text());
    assert!(
        list.texts("#feedback-list tbody td:first-child a")
            .contains(&code)
    );
    let id = id_of(&app, &code).await;
    let shown = desk.server.get(&format!("/staff/feedback/{id}")).await;
    assert!(
        !shown.text().contains("<script>alert(1)"),
        "markup is never passed through"
    );
    assert!(
        Page::parse(&shown.text())
            .text("#feedback-detail")
            .contains("<script>alert(1)</script>")
    );
    let file = desk
        .server
        .get(&format!("/staff/feedback/{id}/attachment"))
        .await;
    assert_eq!(file.as_bytes().as_ref(), PDF);

    let classified = step(&desk, id, &[("do", "classify"), ("category", "conduct")]).await;
    assert_eq!(
        classified.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        classified.text()
    );
    // public without a reworded question: refused on the same form, the answer kept
    let answer = "Thủ tục 1.001193 không yêu cầu bản sao này; đơn vị đã nhắc nhở cán bộ.";
    let missing = step(
        &desk,
        id,
        &[("do", "answer"), ("text", answer), ("public", "on")],
    )
    .await;
    assert_eq!(missing.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = Page::parse(&missing.text());
    assert!(
        again
            .text(".error-summary")
            .contains("không có thông tin cá nhân")
    );
    assert_eq!(again.text("#text"), answer);
    let question = "Có phải nộp thêm bản sao giấy tờ không có trong thủ tục không?";
    let answered = step(
        &desk,
        id,
        &[
            ("do", "answer"),
            ("text", answer),
            ("public", "on"),
            ("public_question", question),
        ],
    )
    .await;
    assert_eq!(
        answered.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        answered.text()
    );
    let told: i64 = sqlx::query_scalar(
        "select count(*) from outbound_messages where recipient = '+84987654321' and kind = 'feedback_answered'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(told, 1, "the sender is told of the answer");
    let published = step(&desk, id, &[("do", "publish")]).await;
    assert_eq!(published.status_code(), StatusCode::SEE_OTHER);
    // a step that no longer applies is refused, nothing changes
    let twice = step(&desk, id, &[("do", "answer"), ("text", "khác")]).await;
    assert_eq!(twice.status_code(), StatusCode::UNPROCESSABLE_ENTITY);

    // published: the reworded question and the answer, no name, phone or code of the sender
    for page in ["/phan-anh/cong-khai", "/thu-tuc/1.001193"] {
        let text = app.server.get(page).await.text();
        assert!(text.contains(question) && text.contains(answer), "{page}");
        assert!(
            !text.contains("Trần Thị Bình") && !text.contains("0987") && !text.contains(&code),
            "{page} shows no personal data"
        );
    }

    // the sender reads the answer and says it did not satisfy them, once
    let judged = follow(
        &app,
        &[
            ("code", &code),
            ("pin", &pin),
            ("do", "judge"),
            ("satisfied", "no"),
        ],
    )
    .await;
    let judged = Page::parse(&judged.text());
    assert!(
        judged
            .text("#feedback-answer")
            .contains("đã nhắc nhở cán bộ")
    );
    assert!(judged.text(".flash").contains("Cảm ơn"));
    let again = follow(
        &app,
        &[
            ("code", &code),
            ("pin", &pin),
            ("do", "judge"),
            ("satisfied", "yes"),
        ],
    )
    .await;
    assert_eq!(again.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let satisfied: Option<bool> =
        sqlx::query_scalar("select satisfied from feedback where id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(satisfied, Some(false));

    // the month's figures: classified 1/1, on time 1/1, satisfied (1 − 1 disliked) / 1
    let figures = Page::parse(&desk.server.get(&month_of(&app, id).await).await.text());
    let values = figures.texts("#figures tbody td:last-child");
    assert_eq!(values, ["100,0 %", "100,0 %", "0,0 %"], "{values:?}");
}

#[tokio::test]
async fn the_766_clock_puts_overdue_feedback_first_and_counts_it_late() {
    let app = TestApp::with_demo().await;
    let cam_thanh = agency(&app, "ubnd-phuong-cam-thanh").await.to_string();
    let mut codes = Vec::new();
    for who in ["Lê Văn Một", "Lê Văn Hai", "Lê Văn Ba"] {
        let sent = send(
            &app,
            &[
                ("category", "procedure"),
                ("agency", &cam_thanh),
                ("name", who),
                ("email", "nguoigui@example.vn"),
                (
                    "body",
                    "Trang thủ tục ghi sai lệ phí so với quyết định công bố.",
                ),
            ],
            None,
        )
        .await;
        codes.push(sent_code_and_pin(&sent));
    }
    let (late, on_time, asked) = (
        id_of(&app, &codes[0].0).await,
        id_of(&app, &codes[1].0).await,
        id_of(&app, &codes[2].0).await,
    );
    // the first was received 20 days ago and never answered: its 15 working days have passed
    // the first's time limits have all passed, and it was never answered
    sqlx::query(
        "update feedback set refuse_due = created_at - interval '3 days', \
           ask_due = created_at - interval '2 days', answer_due = created_at - interval '1 day', \
           next_due = created_at - interval '1 day' where id = $1",
    )
    .bind(late)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let desk = official(&app, "tiepnhan").await;
    let list = Page::parse(&desk.server.get("/staff/feedback").await.text());
    let first = list.texts("#feedback-list tbody td:first-child a");
    assert_eq!(first[0], codes[0].0, "overdue first: {first:?}");
    assert!(
        list.text("#feedback-list tbody tr:first-child")
            .contains("Quá hạn")
    );

    // the third is asked for more: the unit's clock waits, then starts again from the reply
    let ask = step(
        &desk,
        asked,
        &[
            ("do", "ask"),
            ("text", "Xin cho biết số quyết định công bố."),
        ],
    )
    .await;
    assert_eq!(ask.status_code(), StatusCode::SEE_OTHER, "{}", ask.text());
    let question: String = sqlx::query_scalar(
        "select body from outbound_messages where recipient = 'nguoigui@example.vn' \
         and kind = 'feedback_info_requested'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(question.contains("số quyết định công bố"));
    let empty = follow(
        &app,
        &[
            ("code", &codes[2].0),
            ("pin", &codes[2].1),
            ("do", "reply"),
            ("info", " "),
        ],
    )
    .await;
    assert_eq!(empty.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let replied = follow(
        &app,
        &[
            ("code", &codes[2].0),
            ("pin", &codes[2].1),
            ("do", "reply"),
            ("info", "Quyết định 1234/QĐ-UBND"),
        ],
    )
    .await;
    assert!(
        Page::parse(&replied.text())
            .text(".flash")
            .contains("tính lại")
    );
    let (status, due_days): (String, f64) = sqlx::query_as(
        "select status, (extract(epoch from answer_due - now()) / 86400)::float8 from feedback where id = $1",
    )
    .bind(asked)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(status, "received");
    assert!(
        due_days >= 20.0,
        "15 working days from the reply: {due_days}"
    );
    // asked once only
    let twice = step(&desk, asked, &[("do", "ask"), ("text", "Thêm nữa?")]).await;
    assert_eq!(twice.status_code(), StatusCode::UNPROCESSABLE_ENTITY);

    // the second is refused in time
    let refused = step(
        &desk,
        on_time,
        &[
            ("do", "refuse"),
            ("text", "Nội dung đã được trả lời tại PAKN khác."),
        ],
    )
    .await;
    assert_eq!(refused.status_code(), StatusCode::SEE_OTHER);
    // 5.2 counts the refused one (on time) and the overdue one (late); 5.3 takes the late off
    let figures = Page::parse(&desk.server.get(&month_of(&app, late).await).await.text());
    let values = figures.texts("#figures tbody td:last-child");
    assert_eq!(values[1], "50,0 %", "{values:?}");
    assert_eq!(values[2], "66,7 %", "{values:?}");
    assert_eq!(values[0], "0,0 %", "none classified by the unit yet");
}

#[tokio::test]
async fn feedback_is_seen_only_by_its_unit_and_its_sender() {
    let app = TestApp::with_demo().await;
    let tu_phap = agency(&app, "so-tu-phap-quang-ngai").await.to_string();
    sign_in_citizen(&app).await;
    // signed in: name and contact come from the account
    let form = Page::parse(&app.server.get("/phan-anh").await.text());
    assert_eq!(form.attr("#name", "value"), "Nguyễn Văn An");
    let sent = send(
        &app,
        &[
            ("category", "conduct"),
            ("agency", &tu_phap),
            ("name", "Nguyễn Văn An"),
            (
                "body",
                "Cán bộ hẹn trả kết quả nhưng không có mặt tại quầy.",
            ),
        ],
        None,
    )
    .await;
    let (code, _) = sent_code_and_pin(&sent);
    let id = id_of(&app, &code).await;
    let mine = Page::parse(&app.server.get("/account/feedback").await.text());
    assert_eq!(
        mine.texts("#feedback-list tbody td:first-child a"),
        vec![code.clone()]
    );
    assert_eq!(
        app.server
            .get(&format!("/account/feedback/{id}"))
            .await
            .status_code(),
        StatusCode::OK
    );

    // another unit's reception desk: not found; a case officer: not a feedback handler
    let desk = official(&app, "tiepnhan").await;
    assert_eq!(
        desk.server
            .get(&format!("/staff/feedback/{id}"))
            .await
            .status_code(),
        StatusCode::NOT_FOUND
    );
    let refused = step(
        &desk,
        id,
        &[("do", "answer"), ("text", "Không phải của chúng tôi")],
    )
    .await;
    assert_eq!(refused.status_code(), StatusCode::NOT_FOUND);
    let list = desk.server.get("/staff/feedback").await.text();
    assert!(!list.contains(&code), "not listed to another unit");
    let officer = official(&app, "phoihop").await;
    assert_eq!(
        officer.server.get("/staff/feedback").await.status_code(),
        StatusCode::FORBIDDEN
    );
    // the province sees it
    let chairman = official(&app, "chutich").await;
    assert_eq!(
        chairman
            .server
            .get(&format!("/staff/feedback/{id}"))
            .await
            .status_code(),
        StatusCode::OK
    );

    // nobody: sign in first; another citizen: not found, not listed
    let nobody = TestApp::over_same(&app);
    let anonymous = nobody.server.get(&format!("/account/feedback/{id}")).await;
    assert_eq!(anonymous.status_code(), StatusCode::SEE_OTHER);
    let stranger = crate::submission::another_citizen(&app).await;
    assert_eq!(
        stranger
            .server
            .get(&format!("/account/feedback/{id}"))
            .await
            .status_code(),
        StatusCode::NOT_FOUND
    );
    let theirs = stranger.server.get("/account/feedback").await.text();
    assert!(!theirs.contains(&code));
}

#[tokio::test]
async fn floods_hostile_files_and_borrowed_dossier_codes_are_refused() {
    let db = crate::helpers::TestDb::new().await;
    crate::helpers::load_demo(&db.pool).await;
    let app = TestApp::configured(db, |s| {
        s.feedback_per_address = 3;
        s.max_file_mb = 1;
    });
    let cam_thanh = agency(&app, "ubnd-phuong-cam-thanh").await.to_string();
    let fields = |body: &'static str| {
        vec![
            ("category", "procedure"),
            ("agency", cam_thanh.as_str()),
            ("name", "Phan Văn Gửi"),
            ("phone", "0977000111"),
            ("body", body),
        ]
    };
    // a program renamed .pdf: refused, nothing kept
    let hostile = send(
        &app,
        &fields("Tệp đính kèm là chương trình."),
        Some(("hoa-don.pdf", b"MZ\x90\x00 not a pdf")),
    )
    .await;
    assert_eq!(hostile.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&hostile.text())
            .text(".error-summary")
            .contains("PDF")
    );
    // a file over `max_file_mb`: refused while it streams, the form kept
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(1024 * 1024 + 10, b'0');
    let oversized = send(
        &app,
        &fields("Kèm biên bản dài."),
        Some(("bien-ban.pdf", &big)),
    )
    .await;
    assert_eq!(oversized.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Page::parse(&oversized.text());
    assert!(page.text(".error-summary").contains("lớn hơn giới hạn"));
    assert_eq!(page.text("#body"), "Kèm biên bản dài.");
    // a dossier code without its PIN: not linked, told on the form
    let mut borrowed = fields("Phản ánh về hồ sơ của người khác.");
    borrowed.push(("dossier_code", "000.00.00.H48-251103-0001"));
    borrowed.push(("dossier_pin", "AAAAAA"));
    let refused = send(&app, &borrowed, None).await;
    assert_eq!(refused.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&refused.text())
            .text(".error-summary")
            .contains("Mã hồ sơ hoặc mã PIN không đúng")
    );
    // the address has used its share: the next is refused with 429 and writes nothing
    let flood = send(&app, &fields("Gửi lần thứ ba trong cửa sổ."), None).await;
    assert_eq!(flood.status_code(), StatusCode::TOO_MANY_REQUESTS);
    let rows: i64 = sqlx::query_scalar("select count(*) from feedback")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);
    let stored = walk_files(std::path::Path::new(&app.settings.upload_dir));
    assert!(stored.is_empty(), "no file left behind: {stored:?}");
}

fn walk_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk_files(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// A dossier with a complaint counts against QĐ 766 figure 5.4, once even when it is also
/// rated "not satisfied".
#[tokio::test]
async fn a_complaint_about_a_dossier_counts_in_figure_5_4() {
    let app = TestApp::with_demo().await;
    sign_in_citizen(&app).await;
    let returned = "000.00.00.H48-251103-0001";
    let id: Uuid = sqlx::query_scalar("select id from dossiers where code = $1")
        .bind(returned)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let when: (String,) = sqlx::query_as(
        "select to_char(coalesce(result_at, updated_at) at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') from dossiers where id = $1",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let head = official(&app, "lanhdaophong").await;
    let url = format!("/staff/evaluations?from={0}&to={0}", when.0);
    let before = Page::parse(&head.server.get(&url).await.text());
    let ended: i64 = before.text("#total td:nth-child(2)").parse().unwrap();
    assert_eq!(before.text("#total td:nth-child(6)"), "0");
    // the owner, signed in, links the complaint to their dossier without its PIN
    let page = Page::parse(
        &app.server
            .get(&format!("/account/dossiers/{id}"))
            .await
            .text(),
    );
    let link = page.attr("#feedback-about", "href");
    let form = Page::parse(&app.server.get(&link).await.text());
    assert_eq!(form.attr("#dossier_code", "value"), returned);
    let sent = send(
        &app,
        &[
            ("category", "conduct"),
            ("dossier_code", returned),
            ("name", "Nguyễn Văn An"),
            ("body", "Kết quả trả chậm và cán bộ không giải thích lý do."),
        ],
        None,
    )
    .await;
    sent_code_and_pin(&sent);
    let linked: Option<Uuid> = sqlx::query_scalar("select dossier_id from feedback")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(linked, Some(id));
    let after = Page::parse(&head.server.get(&url).await.text());
    assert_eq!(after.text("#total td:nth-child(6)"), "1");
    let late: i64 = after.text("#total td:nth-child(7)").parse().unwrap();
    let expected = 100.0 - (late + 1) as f64 * 100.0 / ended as f64;
    let shown = after
        .text("#total td:nth-child(8)")
        .replace(" %", "")
        .replace(',', ".");
    assert!(
        (shown.parse::<f64>().unwrap() - expected.max(0.0)).abs() < 0.06,
        "{shown} vs {expected}"
    );
    // rated "not satisfied" too: still one dossier against 5.4
    sqlx::query(
        "insert into dossier_evaluations (dossier_id, satisfied, answers, channel) values ($1, false, '{\"dd\": \"not_satisfied\"}', 'account')",
    )
    .bind(id)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let both = Page::parse(&head.server.get(&url).await.text());
    assert_eq!(
        both.text("#total td:nth-child(8)"),
        after.text("#total td:nth-child(8)")
    );
    assert!(
        both.text("#items").contains("Thái độ, hành vi của cán bộ"),
        "per-item results"
    );
    // an official without a reporting role sees their own dossiers, per official
    let officer = official(&app, "chuyenvien").await;
    let own = Page::parse(&officer.server.get(&url).await.text());
    assert!(own.text(".lead").contains("bạn đã xử lý"));
}
