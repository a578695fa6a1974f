//! The online submission journey, uploads, idempotency, ownership and public tracking.

use axum::http::StatusCode;
use axum_test::multipart::{MultipartForm, Part};

use crate::helpers::html::Page;
use crate::helpers::session::{csrf, location, post_form, sign_in_citizen};
use crate::helpers::{TestApp, TestDb, dossier_id, pdf_text};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

/// Signs the demo citizen in and starts a draft; returns its URL (`/account/dossiers/{id}`).
pub(crate) async fn start(app: &TestApp, procedure: &str) -> String {
    sign_in_citizen(app).await;
    let started = post_form(
        app,
        &format!("/thu-tuc/{procedure}/nop-truc-tuyen"),
        "/account/dossiers",
        &[("procedure", procedure)],
    )
    .await;
    let to = location(&started);
    assert!(
        to.ends_with("/applicant"),
        "{} {}",
        started.status_code(),
        started.text()
    );
    to.trim_end_matches("/applicant").to_owned()
}

/// Saves the applicant step as the demo citizen fills it (their own name, the commune their
/// profile names); returns the portal's answer.
pub(crate) async fn fill_applicant(app: &TestApp, dossier: &str) -> axum_test::TestResponse {
    let page = Page::parse(&app.server.get(&format!("{dossier}/applicant")).await.text());
    let unit = page.attr("#applicant_unit option[selected]", "value");
    post_form(
        app,
        &format!("{dossier}/applicant"),
        &format!("{dossier}/applicant"),
        &[
            ("applicant_name", "Nguyễn Văn An"),
            ("applicant_personal_id", "051090001234"),
            ("applicant_phone", "0912 345 678"),
            ("applicant_email", ""),
            ("applicant_address", "54 Hùng Vương"),
            ("applicant_unit", &unit),
        ],
    )
    .await
}

pub(crate) async fn upload(
    app: &TestApp,
    dossier: &str,
    slot: &str,
    name: &str,
    bytes: &[u8],
) -> axum_test::TestResponse {
    let token = csrf(app, &format!("{dossier}/documents")).await;
    let form = MultipartForm::new().add_text("csrf", &token).add_part(
        "file",
        Part::bytes(bytes.to_vec())
            .file_name(name)
            .mime_type("application/pdf"),
    );
    app.server
        .post(&format!("{dossier}/documents?slot={slot}"))
        .multipart(form)
        .await
}

/// Walks a birth registration to the check page.
pub(crate) async fn fill_birth_registration(app: &TestApp) -> String {
    let dossier = start(app, "1.001193").await;
    let page = Page::parse(&app.server.get(&format!("{dossier}/applicant")).await.text());
    assert_eq!(
        page.attr("#applicant_name", "value"),
        "Nguyễn Văn An",
        "prefilled from the profile"
    );
    let saved = fill_applicant(app, &dossier).await;
    assert_eq!(
        location(&saved),
        format!("{dossier}/details"),
        "{}",
        saved.text()
    );
    let details = post_form(
        app,
        &format!("{dossier}/details"),
        &format!("{dossier}/details"),
        &[
            ("child_name", "Nguyễn Văn Bình"),
            ("child_birth_date", "2026-11-20"),
            ("child_sex", "nam"),
            ("birth_place", "Bệnh viện Đa khoa tỉnh Quảng Ngãi"),
            ("mother_name", "Trần Thị Hoa"),
            ("father_name", "Nguyễn Văn An"),
        ],
    )
    .await;
    assert_eq!(
        location(&details),
        format!("{dossier}/documents"),
        "{}",
        details.text()
    );
    for slot in ["1", "2", "3"] {
        let up = upload(app, &dossier, slot, &format!("giay-to-{slot}.pdf"), PDF).await;
        assert_eq!(
            location(&up),
            format!("{dossier}/documents?saved=1"),
            "{}",
            up.text()
        );
    }
    let done = post_form(
        app,
        &format!("{dossier}/documents"),
        &format!("{dossier}/documents/done"),
        &[],
    )
    .await;
    assert_eq!(location(&done), format!("{dossier}/delivery"));
    let delivery = post_form(
        app,
        &format!("{dossier}/delivery"),
        &format!("{dossier}/delivery"),
        &[
            ("paper_channel", "online_only"),
            ("pickup_address", ""),
            ("result_channel", "post"),
            ("result_address", "54 Hùng Vương, phường Cẩm Thành"),
        ],
    )
    .await;
    assert_eq!(
        location(&delivery),
        format!("{dossier}/check"),
        "{}",
        delivery.text()
    );
    dossier
}

pub(crate) async fn submit(app: &TestApp, dossier: &str) -> axum_test::TestResponse {
    let check = Page::parse(&app.server.get(&format!("{dossier}/check")).await.text());
    let key = check.attr("input[name=submit_key]", "value");
    let token = check.attr("input[name=csrf]", "value");
    app.server
        .post(&format!("{dossier}/submit"))
        .form(&[
            ("declaration", "yes"),
            ("submit_key", key.as_str()),
            ("csrf", token.as_str()),
        ])
        .await
}

#[tokio::test]
async fn a_citizen_files_a_birth_registration_and_tracks_it_publicly() {
    let app = TestApp::with_demo().await;
    let dossier = fill_birth_registration(&app).await;
    // going back through the documents step does not move the resume point back
    let again = post_form(
        &app,
        &format!("{dossier}/documents"),
        &format!("{dossier}/documents/done"),
        &[],
    )
    .await;
    assert_eq!(location(&again), format!("{dossier}/delivery"));
    assert_eq!(
        location(&app.server.get(&dossier).await),
        format!("{dossier}/check")
    );
    let check = Page::parse(&app.server.get(&format!("{dossier}/check")).await.text());
    let rows = check.texts(".check-list div");
    assert!(
        rows.iter()
            .any(|r| r.contains("Họ, chữ đệm và tên của trẻ Nguyễn Văn Bình")),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("Ngày sinh của trẻ 20/11/2026")),
        "{rows:?}"
    );
    // the whole bill before committing: the on-time fee is exempt, the late one has no
    // amount on the portal, nothing is due now; and the postage with who pays it
    assert_eq!(
        check.texts("#bill tbody tr"),
        ["Lệ phí đăng ký khai sinh đúng hạn Miễn"]
    );
    assert_eq!(
        check.text("#bill-free"),
        "Bạn không phải nộp khoản nào khi gửi hồ sơ."
    );
    assert_eq!(
        check.texts("#later-fees li"),
        ["Lệ phí đăng ký khai sinh quá hạn"]
    );
    assert_eq!(
        check.text("#postage-note"),
        "Cước trả kết quả qua bưu điện: khoảng 25.000 ₫ (trong tỉnh). Bạn trả cho nhân viên \
         bưu điện khi nhận kết quả; cổng không thu khoản này."
    );

    let submitted = submit(&app, &dossier).await;
    assert_eq!(location(&submitted), dossier);
    let page = Page::parse(&app.server.get(&dossier).await.text());
    assert_eq!(page.text("h1"), "Đã nộp hồ sơ");
    let code = page.texts(".panel .code")[0].clone();
    let pin = page.texts(".panel .code")[1].clone();
    assert!(
        code.starts_with("000.00.00.H48-") || code.contains(".H48-"),
        "{code}"
    );
    assert_eq!(pin.len(), 6);
    assert!(page.text(".summary-list").contains("Đã nộp, chờ tiếp nhận"));
    // the PIN is shown once
    let again = Page::parse(&app.server.get(&dossier).await.text());
    assert!(!again.has(".panel"));

    // public tracking, signed out
    let anonymous = TestApp::over_same(&app);
    let lowercase_pin = pin.to_lowercase();
    let found = post_form(
        &anonymous,
        "/tra-cuu",
        "/tra-cuu",
        &[("code", &code), ("pin", &lowercase_pin)],
    )
    .await;
    found.assert_status_ok();
    let tracked = Page::parse(&found.text());
    assert!(tracked.text(".summary-list").contains("Đăng ký khai sinh"));
    assert!(!found.text().contains("Nguyễn Văn An"), "no personal data");
    let wrong_pin = post_form(
        &anonymous,
        "/tra-cuu",
        "/tra-cuu",
        &[("code", &code), ("pin", "AAAAAA")],
    )
    .await;
    let unknown = post_form(
        &anonymous,
        "/tra-cuu",
        "/tra-cuu",
        &[("code", "H48-260101-9999"), ("pin", &pin)],
    )
    .await;
    assert_eq!(wrong_pin.status_code(), StatusCode::NOT_FOUND);
    assert_eq!(unknown.status_code(), StatusCode::NOT_FOUND);
    assert_eq!(
        Page::parse(&wrong_pin.text()).text(".error-summary"),
        Page::parse(&unknown.text()).text(".error-summary")
    );
    let api: serde_json::Value = anonymous
        .server
        .post("/api/v1/tracking")
        .json(&serde_json::json!({"code": code, "pin": pin}))
        .await
        .json();
    assert_eq!(api["status"], "submitted");
    let api_wrong = anonymous
        .server
        .post("/api/v1/tracking")
        .json(&serde_json::json!({"code": code, "pin": "AAAAAA"}))
        .await;
    assert_eq!(api_wrong.status_code(), StatusCode::NOT_FOUND);

    // my dossiers lists it
    let list = Page::parse(&app.server.get("/account/dossiers").await.text());
    assert!(list.text(".cards").contains(&code));
}

#[tokio::test]
async fn a_double_submit_makes_one_dossier() {
    let app = TestApp::with_demo().await;
    let dossier = fill_birth_registration(&app).await;
    let check = Page::parse(&app.server.get(&format!("{dossier}/check")).await.text());
    let key = check.attr("input[name=submit_key]", "value");
    let token = check.attr("input[name=csrf]", "value");
    let form = [
        ("declaration", "yes"),
        ("submit_key", key.as_str()),
        ("csrf", token.as_str()),
    ];
    let (a, b) = tokio::join!(
        app.server.post(&format!("{dossier}/submit")).form(&form),
        app.server.post(&format!("{dossier}/submit")).form(&form),
    );
    assert_eq!(location(&a), dossier);
    assert_eq!(location(&b), dossier);
    let id = dossier_id(&dossier);
    let codes: i64 = sqlx::query_scalar(
        "select count(*) from dossiers where code is not null and citizen_id = (select citizen_id from dossiers where id = $1) \
         and submit_key is not null",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(codes, 1, "one submitted dossier from the journey");
    let events: i64 =
        sqlx::query_scalar("select count(*) from dossier_events where dossier_id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(events, 1);
}

#[tokio::test]
async fn wrong_files_are_refused_and_leave_nothing_behind() {
    let db = TestDb::new().await;
    crate::helpers::load_demo(&db.pool).await;
    let app = TestApp::configured(db, |s| s.max_file_mb = 1);
    let dossier = start(&app, "1.001193").await;
    let renamed = upload(
        &app,
        &dossier,
        "1",
        "to-khai.pdf",
        b"MZ\x90\x00\x03 this is an executable",
    )
    .await;
    assert_eq!(renamed.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&renamed.text())
            .text(".error-summary")
            .contains("không phải PDF, JPEG hoặc PNG")
    );
    let mut big = PDF.to_vec();
    big.resize(1_500_000, b' ');
    let too_big = upload(&app, &dossier, "1", "lon.pdf", &big).await;
    assert_eq!(too_big.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&too_big.text())
            .text(".error-summary")
            .contains("lớn hơn giới hạn")
    );
    let rows: i64 = sqlx::query_scalar("select count(*) from dossier_files")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);
    let done = post_form(
        &app,
        &format!("{dossier}/documents"),
        &format!("{dossier}/documents/done"),
        &[],
    )
    .await;
    assert_eq!(done.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&done.text())
            .text(".error-summary")
            .contains("Thiếu giấy tờ bắt buộc")
    );
}

#[tokio::test]
async fn missing_answers_are_explained_and_the_draft_resumes_where_it_was() {
    let app = TestApp::with_demo().await;
    let dossier = start(&app, "1.001193").await;
    let bad = post_form(
        &app,
        &format!("{dossier}/applicant"),
        &format!("{dossier}/applicant"),
        &[
            ("applicant_name", ""),
            ("applicant_personal_id", "123"),
            ("applicant_phone", "0912345678"),
            ("applicant_email", ""),
            ("applicant_address", ""),
            ("applicant_unit", ""),
            ("on_behalf", "yes"),
            ("principal_name", ""),
            ("principal_personal_id", ""),
            ("relationship", ""),
        ],
    )
    .await;
    assert_eq!(bad.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Page::parse(&bad.text());
    assert_eq!(
        page.attrs(".error-summary a", "href"),
        [
            "#applicant_name",
            "#applicant_personal_id",
            "#principal_name",
            "#principal_personal_id",
            "#relationship"
        ]
    );
    assert_eq!(page.attr("#applicant_personal_id", "value"), "123");
    // a commune that is not one in force (a forged option) is refused by the statement that
    // saves, on the same form with the answers kept, and nothing is saved
    let forged = post_form(
        &app,
        &format!("{dossier}/applicant"),
        &format!("{dossier}/applicant"),
        &[
            ("applicant_name", "Nguyễn Văn Bình"),
            ("applicant_personal_id", "051090001234"),
            ("applicant_phone", "0912345678"),
            ("applicant_email", ""),
            ("applicant_address", "54 Hùng Vương"),
            ("applicant_unit", &uuid::Uuid::new_v4().to_string()),
        ],
    )
    .await;
    assert_eq!(forged.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Page::parse(&forged.text());
    assert_eq!(page.attrs(".error-summary a", "href"), ["#applicant_unit"]);
    assert!(
        page.text(".error-summary").contains("xã, phường"),
        "{}",
        page.text(".error-summary")
    );
    assert_eq!(page.attr("#applicant_name", "value"), "Nguyễn Văn Bình");
    let name: String = sqlx::query_scalar("select applicant_name from dossiers where id = $1")
        .bind(dossier_id(&dossier))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(name, "Nguyễn Văn An");
    // the draft stays at its first step; a later visit resumes there
    assert_eq!(
        location(&app.server.get(&dossier).await),
        format!("{dossier}/applicant")
    );
    // after the session expires, signing in comes back to the step
    sqlx::query("delete from sessions")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let gone = app.server.get(&format!("{dossier}/details")).await;
    let login = location(&gone);
    assert!(login.starts_with("/account/login?next="), "{login}");
    let token = csrf(&app, &login).await;
    let back = app
        .server
        .post("/account/login")
        .form(&[
            ("login", "0912345678"),
            ("password", motcua::demo::DEMO_PASSWORD),
            ("csrf", token.as_str()),
            ("next", &format!("{dossier}/details")),
        ])
        .await;
    assert_eq!(location(&back), format!("{dossier}/details"));
}

/// A second citizen (Lê Thị Khác), signed in on a client of their own.
pub(crate) async fn another_citizen(app: &TestApp) -> TestApp {
    let hash = motcua::accounts::password::hash("mây trắng bay qua đèo".to_owned())
        .await
        .unwrap();
    sqlx::query("with c as (insert into citizens (full_name, personal_id, phone, confirmed_at) values ('Lê Thị Khác', '051195007777', '+84905777777', now()) returning id) insert into citizen_credentials select id, $1 from c")
        .bind(&hash).execute(&app.db.pool).await.unwrap();
    let other = TestApp::over_same(app);
    let signed = post_form(
        &other,
        "/account/login",
        "/account/login",
        &[
            ("login", "0905777777"),
            ("password", "mây trắng bay qua đèo"),
        ],
    )
    .await;
    assert_eq!(location(&signed), "/account");
    other
}

#[tokio::test]
async fn nobody_sees_another_citizens_draft_or_files() {
    let app = TestApp::with_demo().await;
    let dossier = start(&app, "1.001193").await;
    upload(&app, &dossier, "1", "to-khai.pdf", PDF).await;
    let file: uuid::Uuid = sqlx::query_scalar("select id from dossier_files")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let other = another_citizen(&app).await;
    for path in [
        dossier.clone(),
        format!("{dossier}/applicant"),
        format!("{dossier}/documents"),
        format!("{dossier}/files/{file}"),
    ] {
        assert_eq!(
            other.server.get(&path).await.status_code(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let stolen = post_form(&other, "/account", &format!("{dossier}/withdraw"), &[]).await;
    assert_eq!(stolen.status_code(), StatusCode::NOT_FOUND);
    // every step's form, posted to the other's draft, finds nothing and changes nothing
    let before = draft_state(&app, &dossier).await;
    let steps: [(&str, Vec<(&str, &str)>); 5] = [
        (
            "applicant",
            vec![
                ("applicant_name", "Kẻ Mạo Danh"),
                ("applicant_personal_id", "051195007777"),
                ("applicant_phone", "0905777777"),
                ("applicant_address", "Nơi khác"),
            ],
        ),
        ("details", vec![]),
        ("documents/done", vec![]),
        (
            "delivery",
            vec![
                ("paper_channel", "online_only"),
                ("result_channel", "counter"),
            ],
        ),
        ("submit", vec![("declaration", "yes")]),
    ];
    for (step, fields) in steps {
        let refused = post_form(&other, "/account", &format!("{dossier}/{step}"), &fields).await;
        assert_eq!(refused.status_code(), StatusCode::NOT_FOUND, "{step}");
    }
    let token = csrf(&other, "/account").await;
    let smuggled = other
        .server
        .post(&format!("{dossier}/documents?slot=1"))
        .multipart(
            MultipartForm::new().add_text("csrf", &token).add_part(
                "file",
                Part::bytes(PDF.to_vec())
                    .file_name("la.pdf")
                    .mime_type("application/pdf"),
            ),
        )
        .await;
    assert_eq!(smuggled.status_code(), StatusCode::NOT_FOUND);
    let after = draft_state(&app, &dossier).await;
    assert_eq!(after, before);
}

/// What a forged step could change of a draft: the applicant's name, the resume point, the
/// status, and how many files there are.
async fn draft_state(app: &TestApp, dossier: &str) -> (String, String, String, i64) {
    sqlx::query_as(
        "select applicant_name, draft_step, status::text, \
           (select count(*) from dossier_files) from dossiers where id = $1",
    )
    .bind(dossier_id(dossier))
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_submitted_dossier_can_be_withdrawn_until_it_is_accepted() {
    let app = TestApp::with_demo().await;
    let dossier = fill_birth_registration(&app).await;
    submit(&app, &dossier).await;
    let withdrawn = post_form(&app, &dossier, &format!("{dossier}/withdraw"), &[]).await;
    assert_eq!(location(&withdrawn), "/account/dossiers");
    let page = Page::parse(&app.server.get(&dossier).await.text());
    assert!(page.text(".summary-list").contains("Đã rút hồ sơ"));
    assert!(!page.has("form[action$='/withdraw']"));
    let again = post_form(&app, "/account", &format!("{dossier}/withdraw"), &[]).await;
    assert_eq!(again.status_code(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_procedure_not_open_online_cannot_be_started() {
    let app = TestApp::with_demo().await;
    sign_in_citizen(&app).await;
    let refused = post_form(
        &app,
        "/account",
        "/account/dossiers",
        &[("procedure", "2.000884")],
    )
    .await;
    assert_eq!(refused.status_code(), StatusCode::BAD_REQUEST);
    assert!(
        Page::parse(&refused.text())
            .text(".lead")
            .contains("không nhận hồ sơ trực tuyến")
    );
    assert_eq!(
        app.server
            .get("/thu-tuc/2.000884/nop-truc-tuyen")
            .await
            .status_code(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_demo_citizen_has_dossiers_in_every_stage_and_one_tracks_publicly() {
    let app = TestApp::with_demo().await;
    sign_in_citizen(&app).await;
    let list = Page::parse(&app.server.get("/account/dossiers").await.text());
    let statuses = list.texts(".card-facts div:nth-child(2) dd");
    for status in motcua::dossiers::DossierStatus::ALL {
        let expected = motcua::kernel::Lang::Vi.t(status.label_key()).into_owned();
        let expected = expected.as_str();
        assert!(
            statuses.iter().any(|s| s == expected),
            "{expected} in {statuses:?}"
        );
    }
    let (code, pin) = ("000.00.00.H48-251117-0003", motcua::demo::SAMPLE_PIN);
    let tracked = post_form(
        &app,
        "/tra-cuu",
        "/tra-cuu",
        &[("code", code), ("pin", pin)],
    )
    .await;
    tracked.assert_status_ok();
    assert!(
        Page::parse(&tracked.text())
            .text(".summary-list")
            .contains("Đang giải quyết")
    );
}

#[tokio::test]
async fn the_acknowledgement_pdf_carries_the_code_in_vietnamese() {
    let app = TestApp::with_demo().await;
    let dossier = fill_birth_registration(&app).await;
    submit(&app, &dossier).await;
    let page = Page::parse(&app.server.get(&dossier).await.text());
    let code = page.texts(".panel .code")[0].clone();
    let response = app
        .server
        .get(&format!("{dossier}/acknowledgement.pdf"))
        .await;
    response.assert_status_ok();
    assert_eq!(
        response.header(axum::http::header::CONTENT_TYPE),
        "application/pdf"
    );
    let pdf = response.as_bytes().to_vec();
    assert!(pdf.starts_with(b"%PDF-"));
    if let Some(text) = pdf_text(&pdf) {
        assert!(
            text.contains("GIẤY BIÊN NHẬN HỒ SƠ NỘP TRỰC TUYẾN"),
            "{text}"
        );
        assert!(text.contains(&code), "{text}");
        assert!(text.contains("Đăng ký khai sinh"), "{text}");
        assert!(text.contains("Nguyễn Văn An"), "{text}");
    }
    // a draft has no acknowledgement, and nobody else's either
    let draft = start(&app, "1.000894").await;
    assert_eq!(
        app.server
            .get(&format!("{draft}/acknowledgement.pdf"))
            .await
            .status_code(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_procedure_closed_to_online_filing_meanwhile_keeps_the_draft_but_refuses_submission() {
    let app = TestApp::with_demo().await;
    let dossier = fill_birth_registration(&app).await;
    sqlx::query("update procedure_versions set online_level = 'none', submit_online = false where code = '1.001193'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let refused = submit(&app, &dossier).await;
    assert_eq!(refused.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&refused.text())
            .text(".error-summary")
            .contains("không nhận hồ sơ trực tuyến")
    );
    let status: motcua::dossiers::DossierStatus =
        sqlx::query_scalar("select status from dossiers where id = $1")
            .bind(dossier_id(&dossier))
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(status, motcua::dossiers::DossierStatus::Draft);
}

#[tokio::test]
async fn several_files_in_one_upload_land_together_in_their_slot() {
    let app = TestApp::with_demo().await;
    let dossier = start(&app, "1.001193").await;
    let token = csrf(&app, &format!("{dossier}/documents")).await;
    let second = [PDF, b"% trang 2\n".as_slice()].concat();
    let form = MultipartForm::new()
        .add_text("csrf", &token)
        .add_part(
            "file",
            Part::bytes(PDF.to_vec())
                .file_name("trang-1.pdf")
                .mime_type("application/pdf"),
        )
        .add_part(
            "file",
            Part::bytes(second.clone())
                .file_name("trang-2.pdf")
                .mime_type("application/pdf"),
        );
    let uploaded = app
        .server
        .post(&format!("{dossier}/documents?slot=1"))
        .multipart(form)
        .await;
    assert_eq!(location(&uploaded), format!("{dossier}/documents?saved=1"));
    // the page the upload leads to says the files were saved; the plain page does not
    let saved = Page::parse(&app.server.get(&location(&uploaded)).await.text());
    assert_eq!(saved.text(".flash"), "Đã lưu giấy tờ.");
    let page = app.server.get(&format!("{dossier}/documents")).await.text();
    assert!(!Page::parse(&page).has(".flash"));
    assert!(page.contains("trang-1.pdf") && page.contains("trang-2.pdf"));
    let rows: Vec<(String, Option<i32>, String, i64)> = sqlx::query_as(
        "select original_name, document_position, sha256, size_bytes from dossier_files \
         order by original_name",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let sha = |b: &[u8]| hex::encode(<sha2::Sha256 as sha2::Digest>::digest(b));
    assert_eq!(
        rows,
        vec![
            (
                "trang-1.pdf".to_owned(),
                Some(1),
                sha(PDF),
                PDF.len() as i64
            ),
            (
                "trang-2.pdf".to_owned(),
                Some(1),
                sha(&second),
                second.len() as i64
            ),
        ]
    );
}

/// No request holds a pooled connection while it waits for a second one (the session store
/// takes its own): with more requests than connections, every request could hold one and wait
/// for ever. On a pool of a single connection, the whole journey works — sign-in, every step,
/// the submission, the dossier's page and its receipt, sign-out.
#[tokio::test]
async fn the_whole_journey_needs_no_more_than_one_connection_at_a_time() {
    let app = TestApp::with_demo_on_one_connection().await;
    let dossier = fill_birth_registration(&app).await;
    let submitted = submit(&app, &dossier).await;
    assert_eq!(location(&submitted), dossier, "{}", submitted.text());
    let page = Page::parse(&app.server.get(&dossier).await.text());
    assert!(
        page.text("h1").contains("Đã nộp hồ sơ"),
        "{}",
        page.text("h1")
    );
    app.server
        .get(&format!("{dossier}/acknowledgement.pdf"))
        .await
        .assert_status_ok();
    let out = post_form(&app, "/account", "/account/logout", &[]).await;
    assert_eq!(location(&out), "/");
}

/// A file of an earlier dossier is reused in a new draft's slot (and shown as reused), then
/// removed again; nobody else can do either, and a submitted dossier's files stay.
#[tokio::test]
async fn a_file_is_reused_from_an_earlier_dossier_and_removed_again() {
    let app = TestApp::with_demo().await;
    let first = start(&app, "1.001193").await;
    let up = upload(&app, &first, "1", "to-khai-cu.pdf", PDF).await;
    assert_eq!(
        location(&up),
        format!("{first}/documents?saved=1"),
        "{}",
        up.text()
    );
    let second = start(&app, "1.001193").await;
    let documents = format!("{second}/documents");
    // the earlier file is offered (the page failed with a 500 while a citizen had one)
    let page = Page::parse(&app.server.get(&documents).await.text());
    let earlier = page.attr("#reuse-1 option", "value");
    let reused = post_form(
        &app,
        &documents,
        &format!("{documents}/reuse"),
        &[("slot", "1"), ("file", &earlier)],
    )
    .await;
    assert_eq!(location(&reused), format!("{documents}?saved=1"));
    let page = Page::parse(&app.server.get(&location(&reused)).await.text());
    assert_eq!(page.text(".flash"), "Đã lưu giấy tờ.");
    let listed = page.text("#slot-1 .file-list");
    assert!(
        listed.contains("to-khai-cu.pdf") && listed.contains("dùng lại"),
        "{listed}"
    );
    let remove = page.attr("#slot-1 form.inline-form", "action");
    // another citizen can neither reuse into this draft nor remove its file
    let other = another_citizen(&app).await;
    for (action, fields) in [
        (
            format!("{documents}/reuse"),
            vec![("slot", "1"), ("file", earlier.as_str())],
        ),
        (remove.clone(), vec![]),
    ] {
        let refused = post_form(&other, "/account", &action, &fields).await;
        assert_eq!(refused.status_code(), StatusCode::NOT_FOUND, "{action}");
    }
    let removed = post_form(&app, &documents, &remove, &[]).await;
    assert_eq!(location(&removed), documents);
    let page = Page::parse(&app.server.get(&documents).await.text());
    assert!(!page.has("#slot-1 .file-list"), "{}", page.text("#slot-1"));
    // the earlier dossier still has its file
    let kept: i64 = sqlx::query_scalar("select count(*) from dossier_files where dossier_id = $1")
        .bind(dossier_id(&first))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(kept, 1);
}

/// Reuse offers only the citizen's own uploads: a result the office made (signed, draft or
/// superseded) or a paper the office scanned at the counter is neither offered nor accepted.
#[tokio::test]
async fn a_citizen_cannot_reuse_a_file_the_office_made() {
    let app = TestApp::with_demo().await;
    let (earlier, official): (uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        "select d.id, (select id from staff_users where username = 'chuyenvien') \
         from dossiers d join citizens c on c.id = d.citizen_id \
         where c.phone = '+84912345678' and d.code is not null order by d.created_at limit 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let mut office_files = Vec::new();
    for (name, purpose) in [
        ("ket-qua-du-thao.pdf", "result"),
        ("ban-scan-tai-quay.pdf", "document"),
    ] {
        let id: uuid::Uuid = sqlx::query_scalar(
            "insert into dossier_files (dossier_id, storage_key, original_name, content_type, \
               size_bytes, sha256, purpose, added_by_staff) \
             values ($1, $2, $3, 'application/pdf', 100, '', $4, $5) returning id",
        )
        .bind(earlier)
        .bind(format!("office-{name}"))
        .bind(name)
        .bind(purpose)
        .bind(official)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        office_files.push(id.to_string());
    }
    let draft = start(&app, "1.001193").await;
    let documents = format!("{draft}/documents");
    let page = app.server.get(&documents).await.text();
    assert!(
        !page.contains("ket-qua-du-thao.pdf") && !page.contains("ban-scan-tai-quay.pdf"),
        "the office's files are not offered"
    );
    for file in &office_files {
        let refused = post_form(
            &app,
            &documents,
            &format!("{documents}/reuse"),
            &[("slot", "1"), ("file", file)],
        )
        .await;
        assert_eq!(refused.status_code(), StatusCode::NOT_FOUND, "{file}");
    }
    let taken: i64 = sqlx::query_scalar("select count(*) from dossier_files where dossier_id = $1")
        .bind(dossier_id(&draft))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(taken, 0, "nothing was attached to the draft");
}

/// A procedure without questions of its own (temporary residence) asks none: the applicant
/// step goes on to the documents, whose back link returns to the applicant, and a later visit
/// resumes at the documents. The details page stays reachable and says there is nothing to
/// answer.
#[tokio::test]
async fn a_procedure_without_questions_of_its_own_skips_the_details_page() {
    let app = TestApp::with_demo().await;
    let dossier = start(&app, "1.004194").await;
    let saved = fill_applicant(&app, &dossier).await;
    assert_eq!(
        location(&saved),
        format!("{dossier}/documents"),
        "{}",
        saved.text()
    );
    let documents = Page::parse(&app.server.get(&format!("{dossier}/documents")).await.text());
    assert_eq!(
        documents.attr("a.back-link", "href"),
        format!("{dossier}/applicant")
    );
    assert_eq!(
        location(&app.server.get(&dossier).await),
        format!("{dossier}/documents"),
        "a later visit resumes at the documents"
    );
    let details = Page::parse(&app.server.get(&format!("{dossier}/details")).await.text());
    assert!(
        details
            .text("main")
            .contains("Thủ tục này không có câu hỏi riêng"),
        "{}",
        details.text("main")
    );
    // a procedure with questions still asks them
    let birth = start(&app, "1.001193").await;
    let saved = fill_applicant(&app, &birth).await;
    assert_eq!(location(&saved), format!("{birth}/details"));
    let documents = Page::parse(&app.server.get(&format!("{birth}/documents")).await.text());
    assert_eq!(
        documents.attr("a.back-link", "href"),
        format!("{birth}/details")
    );
}

/// A citizen deletes a draft of theirs (never another's, never a submitted dossier); drafts
/// left untouched are announced, then deleted only once their owner had the notice's days.
#[tokio::test]
async fn drafts_are_deleted_by_their_owner_or_after_a_notice_when_left_untouched() {
    use motcua::dossiers::drafts::{Expiry, expire};
    let app = TestApp::with_demo().await;
    let dossier = start(&app, "1.001193").await;
    let id = crate::helpers::dossier_id(&dossier);
    let list = Page::parse(&app.server.get("/account/dossiers").await.text());
    assert!(list.text(".cards").contains("Xoá hồ sơ đang soạn này"));
    // another citizen cannot delete it
    let stranger = TestApp::over_same(&app);
    crate::helpers::session::sign_in_staff(&stranger, "tiepnhan").await;
    assert_ne!(
        post_form(&stranger, "/staff", &format!("{dossier}/delete"), &[])
            .await
            .status_code(),
        StatusCode::SEE_OTHER
    );
    // a submitted one is not a draft
    let submitted: uuid::Uuid = sqlx::query_scalar(
        "select id from dossiers where status = 'submitted' and citizen_id is not null limit 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let kept = post_form(
        &app,
        "/account/dossiers",
        &format!("/account/dossiers/{submitted}/delete"),
        &[],
    )
    .await;
    assert_eq!(kept.status_code(), StatusCode::NOT_FOUND);
    let deleted = post_form(&app, "/account/dossiers", &format!("{dossier}/delete"), &[]).await;
    assert_eq!(location(&deleted), "/account/dossiers");
    let gone: i64 = sqlx::query_scalar("select count(*) from dossiers where id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(gone, 0);

    // the demo's own draft, left untouched: told 7 days before the 60, then deleted
    let (draft, updated): (uuid::Uuid, chrono::DateTime<chrono::Utc>) =
        sqlx::query_as("select id, updated_at from dossiers where status = 'draft' limit 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let policy = Expiry {
        days: 60,
        notice_days: 7,
    };
    let day = |n: i64| updated + chrono::Duration::days(n);
    assert_eq!(
        expire(&app.db.pool, policy, day(52)).await.unwrap(),
        (0, 0),
        "not yet"
    );
    assert_eq!(
        expire(&app.db.pool, policy, day(54)).await.unwrap(),
        (1, 0),
        "told"
    );
    assert_eq!(
        expire(&app.db.pool, policy, day(55)).await.unwrap(),
        (0, 0),
        "told once"
    );
    motcua::notify::compose::compose_queued(&app.db.pool, "http://localhost", 100)
        .await
        .unwrap();
    let body: String = sqlx::query_scalar(
        "select body from outbound_messages where kind = 'draft_expiring' and dossier_id = $1 limit 1",
    )
    .bind(draft)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(body.contains("xoa") || body.contains("xoá"), "{body}");
    // day 60 has come, but the owner was told only 6 days ago: still kept
    assert_eq!(expire(&app.db.pool, policy, day(60)).await.unwrap(), (0, 0));
    assert_eq!(
        expire(&app.db.pool, policy, day(61)).await.unwrap(),
        (0, 1),
        "deleted"
    );
    let left: i64 = sqlx::query_scalar("select count(*) from dossiers where id = $1")
        .bind(draft)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

/// A procedure with a fee due at submission shows the fee and its total on the check page,
/// and when it is paid, before the citizen commits.
#[tokio::test]
async fn the_check_page_shows_the_fees_due_before_submitting() {
    let app = TestApp::with_demo().await;
    sign_in_citizen(&app).await;
    let id: uuid::Uuid = sqlx::query_scalar(
        "insert into dossiers (procedure_version_id, status, intake_channel, citizen_id) \
         select v.id, 'draft', 2, c.id from procedure_versions v, citizens c \
         where v.code = '1.004222' and v.effective_to is null and c.phone = $1 returning id",
    )
    .bind(motcua::demo::DEMO_CITIZEN.0)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let check = Page::parse(
        &app.server
            .get(&format!("/account/dossiers/{id}/check"))
            .await
            .text(),
    );
    // the online rate, not the counter's
    assert_eq!(
        check.texts("#bill tbody tr"),
        ["Lệ phí đăng ký thường trú (nộp trực tuyến) 10.000 ₫"]
    );
    assert_eq!(check.text("#bill-total"), "10.000 ₫");
    assert!(
        check
            .text("#bill-when")
            .starts_with("Bạn nộp số tiền này trực tuyến ngay sau khi gửi hồ sơ")
    );
    assert!(!check.has("#postage-note"), "the result is not posted");
}

/// Each step of the online journey links to a short plain-language help for that step, which
/// leads back to the step; an unknown step has no help page.
#[tokio::test]
async fn each_step_links_to_its_help_and_back() {
    let app = TestApp::with_demo().await;
    let dossier = fill_birth_registration(&app).await;
    for step in ["applicant", "details", "documents", "delivery", "check"] {
        let url = format!("{dossier}/{step}");
        let page = Page::parse(&app.server.get(&url).await.text());
        let help = page.attr("#step-help", "href");
        assert!(
            help.starts_with(&format!("/huong-dan/{step}?next=")),
            "{help}"
        );
        let shown = app.server.get(&help).await;
        assert_eq!(shown.status_code(), StatusCode::OK, "{help}");
        let shown = Page::parse(&shown.text());
        assert!(shown.text("h1").starts_with("Hướng dẫn"), "{step}");
        assert!(shown.texts("#help p").len() >= 2, "{step}");
        assert_eq!(shown.attr(".back-link", "href"), url);
    }
    // never a way off the site
    let elsewhere = Page::parse(
        &app.server
            .get("/huong-dan/documents?next=https://example.com/")
            .await
            .text(),
    );
    assert_eq!(elsewhere.attr(".back-link", "href"), "/account/dossiers");
    assert_eq!(
        app.server.get("/huong-dan/nothing").await.status_code(),
        StatusCode::NOT_FOUND
    );
}
