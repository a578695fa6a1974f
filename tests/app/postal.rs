//! The postal channel: a dossier picked up at the citizen's door, handed to the unit on a
//! manifest, received (channel 3, the arrival time), processed, its result handed to the post
//! and delivered — by postal staff's pages and by the operator's signed webhook alike; wrong
//! numbers, twice-recorded deliveries, foreign offices and bad webhooks refused.

use axum::http::StatusCode;
use axum_test::TestResponse;
use uuid::Uuid;

use crate::helpers::html::Page;
use crate::helpers::session::{location, post_form};
use crate::helpers::{TestApp, dossier_id, pdf_text};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

/// The citizen files a birth registration whose papers are picked up and whose result is
/// posted home; returns the dossier id.
async fn file_by_post(app: &TestApp) -> Uuid {
    let dossier = crate::submission::start(app, "1.001193").await;
    crate::submission::fill_applicant(app, &dossier).await;
    post_form(
        app,
        &format!("{dossier}/details"),
        &format!("{dossier}/details"),
        &[
            ("child_name", "Nguyễn Văn Bình"),
            ("child_birth_date", "2026-11-20"),
            ("child_sex", "nam"),
            ("birth_place", "Bệnh viện Đa khoa tỉnh Quảng Ngãi"),
            ("mother_name", "Trần Thị Hoa"),
            ("father_name", ""),
        ],
    )
    .await;
    for slot in ["1", "2", "3"] {
        crate::submission::upload(app, &dossier, slot, "giay-to.pdf", PDF).await;
    }
    post_form(
        app,
        &format!("{dossier}/documents"),
        &format!("{dossier}/documents/done"),
        &[],
    )
    .await;
    let delivery = post_form(
        app,
        &format!("{dossier}/delivery"),
        &format!("{dossier}/delivery"),
        &[
            ("paper_channel", "postal_pickup"),
            ("pickup_address", "54 Hùng Vương, phường Cẩm Thành"),
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
    let submitted = crate::submission::submit(app, &dossier).await;
    assert_eq!(
        submitted.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        submitted.text()
    );
    dossier_id(&dossier)
}

async fn item(app: &TestApp, dossier: Uuid, direction: &str) -> (Uuid, String, Option<String>) {
    sqlx::query_as(
        "select id, status, tracking_number from postal_items where dossier_id = $1 and direction = $2",
    )
    .bind(dossier)
    .bind(direction)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

async fn step(app: &TestApp, item: Uuid, fields: &[(&str, &str)]) -> TestResponse {
    post_form(app, "/postal", &format!("/postal/items/{item}"), fields).await
}

use crate::helpers::official;

async fn status(app: &TestApp, id: Uuid) -> String {
    sqlx::query_scalar("select status::text from dossiers where id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn act(c: &TestApp, id: Uuid, expected: &str, action: &str, extra: &[(&str, &str)]) {
    let page = format!("/staff/dossiers/{id}");
    let mut fields: Vec<(&str, &str)> = vec![("expected", expected), ("action", action)];
    fields.extend_from_slice(extra);
    let r = post_form(c, "/staff", &format!("{page}/act"), &fields).await;
    assert_eq!(
        r.status_code(),
        StatusCode::SEE_OTHER,
        "{action}: {}",
        r.text()
    );
}

/// Takes a dossier from reception to a result ready, through the desk's own actions.
async fn process_to_result(app: &TestApp, id: Uuid) {
    let desk = official(app, "tiepnhan").await;
    act(&desk, id, "Submitted", "accept", &[]).await;
    act(&desk, id, "Received", "forward", &[]).await;
    let head = official(app, "lanhdaophong").await;
    let officer_id: Uuid =
        sqlx::query_scalar("select id from staff_users where username = 'chuyenvien'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let officer_text = officer_id.to_string();
    act(
        &head,
        id,
        "Processing/Assignment",
        "assign",
        &[("assignee", &officer_text)],
    )
    .await;
    let officer = official(app, "chuyenvien").await;
    act(
        &officer,
        id,
        "Processing/Appraisal",
        "submit_for_signature",
        &[],
    )
    .await;
    sqlx::query(
        "insert into dossier_files (dossier_id, storage_key, original_name, content_type, size_bytes, sha256, purpose) \
         values ($1, '00000000000000000000000000000000', 'trich-luc.pdf', 'application/pdf', 10, '', 'result')",
    )
    .bind(id)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let signer = official(app, "lanhdao").await;
    act(&signer, id, "Processing/Signature", "issue_result", &[]).await;
    assert_eq!(status(app, id).await, "result_ready");
}

#[tokio::test]
async fn a_dossier_goes_by_post_both_ways_and_the_citizen_sees_every_step() {
    // on one connection: a refused step used to keep its transaction open while the page
    // that explains the refusal waited for a second connection
    let app = TestApp::with_demo_on_one_connection().await;
    let id = file_by_post(&app).await;
    let (pickup, state, _) = item(&app, id, "pickup").await;
    assert_eq!(state, "scheduled");
    // not at the desk until the papers arrive
    let desk = official(&app, "tiepnhan").await;
    let code: String = sqlx::query_scalar("select code from dossiers where id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let queue = Page::parse(&desk.server.get("/staff/reception").await.text());
    assert!(!queue.texts("tbody td:first-child a").contains(&code));

    // the postal worker's day: the pick-up with its checklist
    let post = official(&app, "buudien").await;
    let home = Page::parse(&post.server.get("/postal").await.text());
    let card = home.text(&format!("#item-{pickup}"));
    assert!(card.contains("Giấy chứng sinh"), "{card}");
    assert!(card.contains("0912 345 678"), "{card}");
    // a mistyped number is refused, nothing recorded
    let wrong = step(
        &post,
        pickup,
        &[
            ("step", "collect"),
            ("tracking", "EB123456784VN"),
            ("fee", ""),
        ],
    )
    .await;
    assert_eq!(wrong.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&wrong.text())
            .text(".error-summary")
            .contains("chữ số kiểm tra")
    );
    assert_eq!(item(&app, id, "pickup").await.1, "scheduled");
    let collected = step(
        &post,
        pickup,
        &[
            ("step", "collect"),
            ("tracking", ""),
            ("fee", ""),
            ("doc-1", "Tờ khai đăng ký khai sinh"),
            ("doc-2", "Giấy chứng sinh"),
        ],
    )
    .await;
    assert_eq!(
        collected.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        collected.text()
    );
    let (_, state, number) = item(&app, id, "pickup").await;
    assert_eq!(state, "collected");
    let documents: serde_json::Value = sqlx::query_scalar(
        "select details -> 'documents' from postal_events where item_id = $1 and kind = 'collected'",
    )
    .bind(pickup)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        documents,
        serde_json::json!(["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"])
    );
    let number = number.unwrap();
    assert!(motcua::postal::s10::parse(&number).is_ok(), "{number}");
    // the manifest to the unit
    let unit: Uuid = sqlx::query_scalar("select receiving_agency_id from dossiers where id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let made = post_form(
        &post,
        "/postal",
        &format!("/postal/manifests/to-unit/{unit}"),
        &[],
    )
    .await;
    assert_eq!(made.status_code(), StatusCode::SEE_OTHER, "{}", made.text());
    let manifest: Uuid =
        sqlx::query_scalar("select id from postal_manifests where direction = 'to_unit'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let pdf = post
        .server
        .get(&format!("/postal/manifests/{manifest}/pdf"))
        .await;
    assert_eq!(pdf.status_code(), StatusCode::OK);
    if let Some(text) = pdf_text(pdf.as_bytes()) {
        assert!(text.contains("BIÊN BẢN BÀN GIAO HỒ SƠ"), "{text}");
        assert!(text.contains(&number), "{text}");
    }
    // the unit signs it off: the dossier arrives by post, its clock from the arrival
    let before = chrono::Utc::now();
    let confirmed = post_form(
        &desk,
        "/staff/postal",
        &format!("/staff/postal/manifests/{manifest}/confirm"),
        &[],
    )
    .await;
    assert_eq!(
        confirmed.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        confirmed.text()
    );
    let (channel, arrived): (i16, chrono::DateTime<chrono::Utc>) =
        sqlx::query_as("select intake_channel, submitted_at from dossiers where id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(channel, 3);
    assert!(arrived >= before - chrono::Duration::seconds(1));
    let queue = Page::parse(&desk.server.get("/staff/reception?channel=3").await.text());
    assert!(queue.texts("tbody td:first-child a").contains(&code));
    process_to_result(&app, id).await;
    let received: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("select received_at from dossiers where id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(received, arrived, "received when it arrived by post");

    // the result to the post, on a manifest the post office signs off
    let handed = post_form(
        &desk,
        "/staff/postal",
        "/staff/postal/hand-over",
        &[("dossier", &id.to_string())],
    )
    .await;
    assert_eq!(
        handed.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        handed.text()
    );
    assert_eq!(status(&app, id).await, "out_for_delivery");
    let to_post: Uuid =
        sqlx::query_scalar("select id from postal_manifests where direction = 'to_post'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let signed = post_form(
        &post,
        "/postal",
        &format!("/postal/manifests/{to_post}/confirm"),
        &[],
    )
    .await;
    assert_eq!(
        signed.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        signed.text()
    );
    let (delivery, state, result_number) = item(&app, id, "delivery").await;
    assert_eq!(state, "out");
    // an attempt fails, the next one delivers; a second record of it is refused
    let failed = step(
        &post,
        delivery,
        &[("step", "failed"), ("note", "Không có người ở nhà")],
    )
    .await;
    assert_eq!(failed.status_code(), StatusCode::SEE_OTHER);
    let no_id = step(
        &post,
        delivery,
        &[
            ("step", "delivered"),
            ("recipient", "relative"),
            ("relative_id", ""),
        ],
    )
    .await;
    assert_eq!(no_id.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let done = step(
        &post,
        delivery,
        &[("step", "delivered"), ("recipient", "person")],
    )
    .await;
    assert_eq!(done.status_code(), StatusCode::SEE_OTHER, "{}", done.text());
    let again = step(
        &post,
        delivery,
        &[("step", "delivered"), ("recipient", "person")],
    )
    .await;
    assert_eq!(again.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(status(&app, id).await, "returned");
    let attempts: i32 = sqlx::query_scalar("select attempts from postal_items where id = $1")
        .bind(delivery)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(attempts, 2);
    // the citizen sees both items with their numbers
    let mine = Page::parse(
        &app.server
            .get(&format!("/account/dossiers/{id}"))
            .await
            .text(),
    );
    let postal = mine.text("#postal");
    assert!(postal.contains(&number), "{postal}");
    assert!(
        postal.contains(result_number.as_deref().unwrap()),
        "{postal}"
    );
    assert!(postal.contains("Đã phát"), "{postal}");
}

#[tokio::test]
async fn an_undeliverable_result_goes_back_to_the_unit() {
    let app = TestApp::with_demo().await;
    let id: Uuid =
        sqlx::query_scalar("select id from dossiers where code = '000.00.00.H48-251110-0002'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    sqlx::query("update dossiers set result_channel = 'post', result_address = '54 Hùng Vương, phường Cẩm Thành' where id = $1")
        .bind(id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    // the citizen may still switch to the counter and back before the hand-over
    crate::helpers::session::sign_in_citizen(&app).await;
    let page = format!("/account/dossiers/{id}");
    let switched = post_form(
        &app,
        &page,
        &format!("{page}/result-delivery"),
        &[("result_channel", "counter"), ("result_address", "")],
    )
    .await;
    assert_eq!(switched.status_code(), StatusCode::SEE_OTHER);
    let back = post_form(
        &app,
        &page,
        &format!("{page}/result-delivery"),
        &[
            ("result_channel", "post"),
            ("result_address", "12 Lê Lợi, phường Cẩm Thành"),
        ],
    )
    .await;
    assert_eq!(back.status_code(), StatusCode::SEE_OTHER);
    let desk = official(&app, "tiepnhan").await;
    post_form(
        &desk,
        "/staff/postal",
        "/staff/postal/hand-over",
        &[("dossier", &id.to_string())],
    )
    .await;
    // too late to change now
    let late = post_form(
        &app,
        "/account",
        &format!("{page}/result-delivery"),
        &[("result_channel", "counter")],
    )
    .await;
    assert_eq!(late.status_code(), StatusCode::CONFLICT);
    let post = official(&app, "buudien").await;
    let to_post: Uuid =
        sqlx::query_scalar("select id from postal_manifests where direction = 'to_post'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    post_form(
        &post,
        "/postal",
        &format!("/postal/manifests/{to_post}/confirm"),
        &[],
    )
    .await;
    let (delivery, _, _) = item(&app, id, "delivery").await;
    let address: String = sqlx::query_scalar("select address from postal_items where id = $1")
        .bind(delivery)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(address, "12 Lê Lợi, phường Cẩm Thành");
    let returned = step(
        &post,
        delivery,
        &[
            ("step", "returned"),
            ("note", "Sai địa chỉ, không liên lạc được"),
        ],
    )
    .await;
    assert_eq!(returned.status_code(), StatusCode::SEE_OTHER);
    assert_eq!(status(&app, id).await, "result_ready");
    assert_eq!(item(&app, id, "delivery").await.1, "returned");
}

fn signed_body(secret: &str, body: &serde_json::Value) -> (Vec<u8>, String) {
    let raw = serde_json::to_vec(body).unwrap();
    let signature = motcua::kernel::signature::sign(secret, &raw);
    (raw, signature)
}

async fn webhook(app: &TestApp, raw: Vec<u8>, signature: &str) -> TestResponse {
    app.server
        .post("/api/v1/postal/events")
        .add_header("content-type", "application/json")
        .add_header("x-postal-signature", signature)
        .bytes(raw.into())
        .await
}

#[tokio::test]
async fn the_operators_webhook_does_what_postal_staff_do_and_refuses_the_rest() {
    let app = TestApp::with_demo().await;
    let id = file_by_post(&app).await;
    let code: String = sqlx::query_scalar("select code from dossiers where id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let secret = app.settings.postal_webhook_secret.clone();
    let now = chrono::Utc::now().timestamp();
    let collected = serde_json::json!({
        "event_id": "op-1", "timestamp": now, "type": "collected",
        "dossier_code": code, "tracking_number": "EB123456785VN"
    });
    // a bad signature, an old timestamp: refused, nothing changed
    let (raw, _) = signed_body(&secret, &collected);
    let forged = webhook(&app, raw.clone(), "sha256=00").await;
    assert_eq!(forged.status_code(), StatusCode::UNAUTHORIZED);
    let mut old = collected.clone();
    old["timestamp"] = serde_json::json!(now - 3600);
    let (old_raw, old_sig) = signed_body(&secret, &old);
    assert_eq!(
        webhook(&app, old_raw, &old_sig).await.status_code(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(item(&app, id, "pickup").await.1, "scheduled");
    // a wrong check digit is refused too
    let mut wrong = collected.clone();
    wrong["tracking_number"] = serde_json::json!("EB123456784VN");
    wrong["event_id"] = serde_json::json!("op-0");
    let (w_raw, w_sig) = signed_body(&secret, &wrong);
    assert_eq!(
        webhook(&app, w_raw, &w_sig).await.status_code(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // the real one, then its replay
    let (raw, signature) = signed_body(&secret, &collected);
    let ok = webhook(&app, raw.clone(), &signature).await;
    assert_eq!(ok.status_code(), StatusCode::OK, "{}", ok.text());
    let (pickup, state, number) = item(&app, id, "pickup").await;
    assert_eq!(
        (state.as_str(), number.as_deref()),
        ("collected", Some("EB123456785VN"))
    );
    assert_eq!(
        webhook(&app, raw, &signature).await.status_code(),
        StatusCode::CONFLICT
    );
    // handed over: a manifest for the unit to sign off, as by hand
    let handed = serde_json::json!({
        "event_id": "op-2", "timestamp": now, "type": "handed_over", "tracking_number": "EB123456785VN"
    });
    let (raw, signature) = signed_body(&secret, &handed);
    assert_eq!(
        webhook(&app, raw, &signature).await.status_code(),
        StatusCode::OK
    );
    let kinds: Vec<(String, String)> =
        sqlx::query_as("select kind, source from postal_events where item_id = $1 order by id")
            .bind(pickup)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        kinds,
        [
            ("collected".into(), "webhook".into()),
            ("handed_over".into(), "webhook".into())
        ]
    );
    let refusals: Vec<String> =
        sqlx::query_scalar("select reason from postal_refusals order by id")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    for reason in [
        "old_timestamp",
        "postal.error_check_digit",
        "replayed_event",
    ] {
        assert!(
            refusals.iter().any(|r| r == reason),
            "{reason} in {refusals:?}"
        );
    }
    // a bad signature proves nothing of its sender: counted, not logged one by one
    let bad_signatures: i64 = sqlx::query_scalar(
        "select refused from refused_requests where source = 'postal_webhook' and reason = 'bad_signature'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(bad_signatures >= 1);
    assert!(!refusals.iter().any(|r| r == "bad_signature"));
}

#[tokio::test]
async fn postal_staff_see_their_offices_items_and_nothing_of_the_dossiers() {
    let app = TestApp::with_demo().await;
    let id = file_by_post(&app).await;
    let (pickup, _, _) = item(&app, id, "pickup").await;
    let post = official(&app, "buudien").await;
    // no dossier page, no documents
    assert_eq!(
        post.server
            .get(&format!("/staff/dossiers/{id}"))
            .await
            .status_code(),
        StatusCode::FORBIDDEN
    );
    // another office's worker cannot touch the item
    sqlx::query(
        "with o as (insert into agencies (slug, kind, name_vi, name_en, valid_from) \
           values ('buu-dien-khac', 'post_office', 'Bưu điện khác', 'Another post office', '2025-07-01') returning id), \
         s as (insert into staff_users (username, full_name, password_hash) \
           select 'buudien2', 'Bưu tá Khác', password_hash from staff_users where username = 'buudien' returning id) \
         insert into staff_roles (staff_id, role, agency_id, valid_from) select s.id, 'postal', o.id, '2025-07-01' from s, o",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let other = official(&app, "buudien2").await;
    let home = Page::parse(&other.server.get("/postal").await.text());
    assert!(!home.has(&format!("#item-{pickup}")));
    assert_eq!(
        step(
            &other,
            pickup,
            &[("step", "collect"), ("tracking", ""), ("fee", "")]
        )
        .await
        .status_code(),
        StatusCode::NOT_FOUND
    );
    // officials of the unit do not use the post office's pages
    let desk = official(&app, "tiepnhan").await;
    assert_eq!(
        desk.server.get("/postal").await.status_code(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_operator_reports_delivery_attempts_as_postal_staff_would() {
    let app = TestApp::with_demo().await;
    let id: Uuid = sqlx::query_scalar(
        "update dossiers set result_channel = 'post', result_address = '54 Hùng Vương, phường Cẩm Thành' \
         where code = '000.00.00.H48-251110-0002' returning id",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let desk = official(&app, "tiepnhan").await;
    post_form(
        &desk,
        "/staff/postal",
        "/staff/postal/hand-over",
        &[("dossier", &id.to_string())],
    )
    .await;
    let post = official(&app, "buudien").await;
    let manifest: Uuid =
        sqlx::query_scalar("select id from postal_manifests where direction = 'to_post'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    post_form(
        &post,
        "/postal",
        &format!("/postal/manifests/{manifest}/confirm"),
        &[],
    )
    .await;
    let (delivery, _, number) = item(&app, id, "delivery").await;
    let number = number.unwrap();
    let secret = app.settings.postal_webhook_secret.clone();
    let now = chrono::Utc::now().timestamp();
    let failed = serde_json::json!({"event_id": "op-10", "timestamp": now, "type": "failed",
        "tracking_number": number, "reason": "Không có người nhận"});
    let (raw, sig) = signed_body(&secret, &failed);
    assert_eq!(webhook(&app, raw, &sig).await.status_code(), StatusCode::OK);
    assert_eq!(status(&app, id).await, "out_for_delivery");
    let delivered = serde_json::json!({"event_id": "op-11", "timestamp": now, "type": "delivered",
        "tracking_number": number, "recipient": "relative", "relative_id": "051190002222"});
    let (raw, sig) = signed_body(&secret, &delivered);
    assert_eq!(webhook(&app, raw, &sig).await.status_code(), StatusCode::OK);
    assert_eq!(status(&app, id).await, "returned");
    // the same events as by hand, marked as the operator's
    let events: Vec<(String, String)> =
        sqlx::query_as("select kind, source from postal_events where item_id = $1 order by id")
            .bind(delivery)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        events,
        [
            ("handed_over".into(), "staff".into()),
            ("out".into(), "staff".into()),
            ("failed".into(), "webhook".into()),
            ("delivered".into(), "webhook".into())
        ]
    );
    // a delivery reported twice (a new event id) is refused, nothing changes
    let again = serde_json::json!({"event_id": "op-12", "timestamp": now, "type": "delivered",
        "tracking_number": number, "recipient": "person"});
    let (raw, sig) = signed_body(&secret, &again);
    assert_eq!(
        webhook(&app, raw, &sig).await.status_code(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
}
