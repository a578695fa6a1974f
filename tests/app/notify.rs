//! Notifications: each step writes the citizen's messages with the event (or not at all), the
//! worker delivers e-mail to a real SMTP server on loopback, retries with back-off, fails after
//! the last attempt and resends; two workers never send a message twice at once; templates
//! are versioned and previewed; the citizen's list and channel choice.

use axum::http::StatusCode;
use motcua::notify::senders::Senders;
use motcua::notify::worker::{Pass, run_once};

use crate::helpers::TestApp;
use crate::helpers::html::Page;
use crate::helpers::session::{location, post_form, sign_in_citizen, sign_in_staff};
use crate::helpers::smtp::SmtpSink;

/// The demo's submitted sample dossier of the demo citizen.
const SUBMITTED: &str = "000.00.00.H48-251126-0006";
const ORIGIN: &str = "http://127.0.0.1:8080";

fn senders(app: &TestApp, port: u16) -> Senders {
    let mut settings = app.settings.clone();
    settings.smtp_host = "127.0.0.1".to_owned();
    settings.smtp_port = port;
    settings.smtp_tls = "none".to_owned();
    Senders::from_settings(&settings).unwrap()
}

/// One pass of the worker (three attempts at most) delivering to a fresh loopback SMTP server.
async fn deliver(app: &TestApp) -> (Pass, SmtpSink) {
    let sink = SmtpSink::start().await;
    let pass = run_once(&app.db.pool, &senders(app, sink.port), ORIGIN, 3)
        .await
        .unwrap();
    (pass, sink)
}

async fn dossier(app: &TestApp) -> uuid::Uuid {
    sqlx::query_scalar("select id from dossiers where code = $1")
        .bind(SUBMITTED)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// The demo citizen gives an e-mail address (and writes in `lang`).
async fn with_email(app: &TestApp, lang: &str) {
    sqlx::query("update citizens set email = 'an.nguyen@example.vn', lang = $2 where phone = $1")
        .bind(motcua::demo::DEMO_CITIZEN.0)
        .bind(lang)
        .execute(&app.db.pool)
        .await
        .unwrap();
}

async fn accept(app: &TestApp, id: uuid::Uuid) {
    let official = TestApp::over_same(app);
    sign_in_staff(&official, "tiepnhan").await;
    let page = format!("/staff/dossiers/{id}");
    let accepted = post_form(
        &official,
        &page,
        &format!("{page}/accept"),
        &[("expected", "Submitted")],
    )
    .await;
    assert_eq!(location(&accepted), page);
}

#[tokio::test]
async fn acceptance_reaches_the_citizen_by_email_sms_and_the_portal_in_vietnamese() {
    let app = TestApp::with_demo().await;
    with_email(&app, "vi").await;
    // what the demo data queued is not the test's business
    sqlx::query("delete from notify_queue")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let id = dossier(&app).await;
    accept(&app, id).await;

    let (pass, sink) = deliver(&app).await;
    assert_eq!(pass.composed, 1, "{pass:?}");
    let mail = sink.received();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].rcpt, ["an.nguyen@example.vn"]);
    let (subject, body, message_id) = mail[0].parsed();
    assert!(
        subject.starts_with(&format!(
            "Hồ sơ {SUBMITTED} đã được tiếp nhận — hẹn trả kết quả "
        )),
        "{subject}"
    );
    assert!(body.starts_with("Kính gửi Nguyễn Văn An,"), "{body}");
    // the receipt is attached, as the words say (the link leads to the dossier)
    assert!(body.contains("(Mẫu 01) được đính kèm thư này"), "{body}");
    assert!(
        body.contains(&format!("{ORIGIN}/account/dossiers/{id}")),
        "{body}"
    );
    assert!(
        !body.contains(motcua::demo::DEMO_CITIZEN.1),
        "never the full personal ID"
    );
    let (sent_id, sms): (uuid::Uuid, String) = sqlx::query_as(
        "select (select id from outbound_messages where channel = 'email' and dossier_id = $1), \
           (select body from outbound_messages where channel = 'sms' and dossier_id = $1 and status = 'sent')",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        message_id,
        format!("{sent_id}@motcua"),
        "the id is the idempotency key"
    );
    assert!(
        sms.starts_with(&format!("Ho so {SUBMITTED} da duoc tiep nhan.")),
        "{sms}"
    );

    // the citizen's own list, marked read once seen
    sign_in_citizen(&app).await;
    let list = Page::parse(&app.server.get("/account/notifications").await.text());
    let first = list.text("#notifications li");
    assert!(first.contains("đã được tiếp nhận"), "{first}");
    assert!(list.text("#notifications li").contains("Mới"));
    let again = Page::parse(&app.server.get("/account/notifications").await.text());
    assert!(!again.text("#notifications li").contains("Mới"), "read now");
}

#[tokio::test]
async fn a_citizen_who_writes_in_english_and_wants_no_sms_gets_one_english_email() {
    let app = TestApp::with_demo().await;
    with_email(&app, "en").await;
    sqlx::query("update citizens set notify_sms = false where phone = $1")
        .bind(motcua::demo::DEMO_CITIZEN.0)
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query("delete from notify_queue")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let id = dossier(&app).await;
    accept(&app, id).await;
    let (_, sink) = deliver(&app).await;
    let (subject, body, _) = sink.received()[0].parsed();
    assert!(
        subject.starts_with(&format!("Dossier {SUBMITTED} accepted — result due ")),
        "{subject}"
    );
    assert!(body.starts_with("Dear Nguyễn Văn An,"), "{body}");
    let sms: i64 = sqlx::query_scalar(
        "select count(*) from outbound_messages where channel = 'sms' and dossier_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(sms, 0);
}

#[tokio::test]
async fn the_message_is_written_with_the_event_or_not_at_all() {
    let app = TestApp::with_demo().await;
    sqlx::query("delete from notify_queue")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let id = dossier(&app).await;
    let event = "insert into dossier_events (dossier_id, from_status, to_status, actor_kind, action) \
                 values ($1, 'submitted', 'received', 'system', 'accept')";
    let mut tx = app.db.pool.begin().await.unwrap();
    sqlx::query(event).bind(id).execute(&mut *tx).await.unwrap();
    tx.rollback().await.unwrap();
    let queued: i64 = sqlx::query_scalar("select count(*) from notify_queue")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(queued, 0, "rolled back: nothing to send");
    let mut tx = app.db.pool.begin().await.unwrap();
    sqlx::query(event).bind(id).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    let queued: i64 = sqlx::query_scalar("select count(*) from notify_queue")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(queued, 1);
    // an internal step is not news; an import says so for its session
    let mut tx = app.db.pool.begin().await.unwrap();
    sqlx::query("set local motcua.notify = 'off'")
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query(event).bind(id).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    let queued: i64 = sqlx::query_scalar("select count(*) from notify_queue")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(queued, 1, "history imported is not news");
}

async fn message(app: &TestApp, recipient: &str) -> uuid::Uuid {
    sqlx::query_scalar(
        "insert into outbound_messages (channel, recipient, subject, body, kind) \
         values ('email', $1, 'Hồ sơ của bạn', 'Nội dung có dấu: Đắk Lắk', 'submitted') returning id",
    )
    .bind(recipient)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_stopped_smtp_server_delays_but_loses_nothing() {
    let app = TestApp::with_demo().await;
    sqlx::query("delete from outbound_messages")
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query("delete from notify_queue")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let id = message(&app, "an.nguyen@example.vn").await;
    // a port nobody listens on
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let down = senders(&app, port);
    let pass = run_once(&app.db.pool, &down, ORIGIN, 3).await.unwrap();
    assert_eq!(
        pass,
        Pass {
            retried: 1,
            ..Pass::default()
        }
    );
    let (status, attempts, wait): (String, i32, f64) = sqlx::query_as(
        "select status, attempts, extract(epoch from next_attempt_at - now())::float8 \
         from outbound_messages where id = $1",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!((status.as_str(), attempts), ("pending", 1));
    assert!((20.0..=30.0).contains(&wait), "retried after 30 s: {wait}");
    // not due yet: nothing happens
    assert_eq!(
        run_once(&app.db.pool, &down, ORIGIN, 3).await.unwrap(),
        Pass::default()
    );
    // two more attempts, due at once: failed after the third
    for _ in 0..2 {
        sqlx::query("update outbound_messages set next_attempt_at = now() where id = $1")
            .bind(id)
            .execute(&app.db.pool)
            .await
            .unwrap();
        run_once(&app.db.pool, &down, ORIGIN, 3).await.unwrap();
    }
    let (status, attempts): (String, i32) =
        sqlx::query_as("select status, attempts from outbound_messages where id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((status.as_str(), attempts), ("failed", 3));
    let tries: i64 = sqlx::query_scalar(
        "select count(*) from message_attempts where message_id = $1 and not ok",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(tries, 3, "every attempt recorded");

    // the administrators see it and resend it; the server is back
    sign_in_staff(&app, "quantri").await;
    let page = Page::parse(&app.server.get("/admin/messages").await.text());
    let row = page.text("#failed tbody tr");
    assert!(
        row.contains("an.nguyen@example.vn") && row.contains('3'),
        "{row}"
    );
    assert!(page.text("#failed-alert").contains("không gửi được"));
    let resent = post_form(
        &app,
        "/admin/messages",
        &format!("/admin/messages/{id}/resend"),
        &[],
    )
    .await;
    assert_eq!(location(&resent), "/admin/messages");
    let (pass, sink) = deliver(&app).await;
    assert_eq!(pass.sent, 1);
    let (subject, body, _) = sink.received()[0].parsed();
    assert_eq!(subject, "Hồ sơ của bạn");
    assert_eq!(body.trim_end(), "Nội dung có dấu: Đắk Lắk");
    let page = Page::parse(&app.server.get("/admin/messages").await.text());
    assert!(page.has("p.empty"), "nothing failed any more");
}

#[tokio::test]
async fn a_malformed_address_fails_at_once_and_is_reported() {
    let app = TestApp::with_demo().await;
    sqlx::query("delete from outbound_messages")
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query("delete from notify_queue")
        .execute(&app.db.pool)
        .await
        .unwrap();
    message(&app, "an.nguyen@@example").await;
    let sink = SmtpSink::start().await;
    let pass = run_once(&app.db.pool, &senders(&app, sink.port), ORIGIN, 8)
        .await
        .unwrap();
    assert_eq!(
        pass,
        Pass {
            failed: 1,
            ..Pass::default()
        }
    );
    sign_in_staff(&app, "quantri").await;
    let row = Page::parse(&app.server.get("/admin/messages").await.text()).text("#failed tbody tr");
    assert!(row.contains("không hợp lệ"), "{row}");
    // and only system administrators see the page
    let other = TestApp::over_same(&app);
    sign_in_staff(&other, "tiepnhan").await;
    assert_eq!(
        other.server.get("/admin/messages").await.status_code(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn two_workers_never_send_the_same_message_twice() {
    let app = TestApp::with_demo().await;
    sqlx::query("delete from outbound_messages")
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query("delete from notify_queue")
        .execute(&app.db.pool)
        .await
        .unwrap();
    for i in 0..60 {
        message(&app, &format!("citizen{i}@example.vn")).await;
    }
    let sink = SmtpSink::start().await;
    let (a, b) = (senders(&app, sink.port), senders(&app, sink.port));
    let (one, two) = tokio::join!(
        run_once(&app.db.pool, &a, ORIGIN, 3),
        run_once(&app.db.pool, &b, ORIGIN, 3)
    );
    let (one, two) = (one.unwrap(), two.unwrap());
    assert_eq!(one.sent + two.sent, 60);
    let mut ids: Vec<String> = sink.received().iter().map(|m| m.parsed().2).collect();
    assert_eq!(ids.len(), 60);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 60, "each message once");
}

#[tokio::test]
async fn an_administrator_edits_a_template_with_a_preview_and_the_next_message_uses_it() {
    let app = TestApp::with_demo().await;
    with_email(&app, "vi").await;
    sqlx::query("delete from notify_queue")
        .execute(&app.db.pool)
        .await
        .unwrap();
    sign_in_staff(&app, "quantri").await;
    let form = "/admin/messages/templates/accepted/vi";
    let page = Page::parse(&app.server.get(form).await.text());
    assert!(page.text("#preview").contains("Kính gửi Nguyễn Văn An"));
    // a placeholder that does not exist is named, the text kept
    let wrong = post_form(
        &app,
        form,
        form,
        &[
            ("subject", "Đã nhận hồ sơ {ma_ho_so}"),
            ("body", "Kính gửi {name}, hẹn {due}."),
            ("sms", "Hen {due}"),
            ("intent", "save"),
        ],
    )
    .await;
    let wrong = Page::parse(&wrong.text());
    assert!(wrong.text(".error-summary").contains("ma_ho_so"));
    assert_eq!(wrong.attr("#subject", "value"), "Đã nhận hồ sơ {ma_ho_so}");
    // preview, then save
    let fields = [
        ("subject", "Hồ sơ {code}: hẹn trả {due}"),
        (
            "body",
            "Kính gửi {name}, hồ sơ {code} hẹn trả ngày {due}. {link}",
        ),
        ("sms", "Ho so {code} hen tra {due}"),
    ];
    let mut preview = fields.to_vec();
    preview.push(("intent", "preview"));
    let shown = Page::parse(&post_form(&app, form, form, &preview).await.text());
    assert!(
        shown
            .text("#preview")
            .contains("Kính gửi Nguyễn Văn An, hồ sơ 000.00.00.H48-261128-0001")
    );
    let mut save = fields.to_vec();
    save.push(("intent", "save"));
    let saved = post_form(&app, form, form, &save).await;
    assert_eq!(location(&saved), form);
    let versions = Page::parse(&app.server.get(form).await.text()).texts("#versions li");
    // the administrator's, above the two the migrations wrote
    assert_eq!(versions.len(), 3, "{versions:?}");
    assert!(versions[0].contains("quantri"));

    let id = dossier(&app).await;
    accept(&app, id).await;
    let (_, sink) = deliver(&app).await;
    let (subject, _, _) = sink.received()[0].parsed();
    assert!(
        subject.starts_with(&format!("Hồ sơ {SUBMITTED}: hẹn trả ")),
        "{subject}"
    );
}

#[tokio::test]
async fn a_supplement_request_lists_every_item_and_the_deadline() {
    let app = TestApp::with_demo().await;
    with_email(&app, "vi").await;
    let id = dossier(&app).await;
    sqlx::query("update dossiers set supplement_due_at = '2026-12-18 10:00:00+00' where id = $1")
        .bind(id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query(
        "insert into dossier_events (dossier_id, from_status, to_status, actor_kind, action, note, details) \
         values ($1, 'processing', 'supplement_requested', 'system', 'request_supplement', \
                 'Đề nghị bổ sung trong thời hạn.', $2)",
    )
    .bind(id)
    .bind(serde_json::json!({"items": ["Giấy chứng sinh: bản chụp mờ", "Tờ khai: thiếu chữ ký"]}))
    .execute(&app.db.pool)
    .await
    .unwrap();
    let (_, sink) = deliver(&app).await;
    let (subject, body, _) = sink.received()[0].parsed();
    assert_eq!(subject, format!("Hồ sơ {SUBMITTED} cần bổ sung"));
    assert!(
        body.contains("- Giấy chứng sinh: bản chụp mờ\n- Tờ khai: thiếu chữ ký\nĐề nghị bổ sung trong thời hạn."),
        "{body}"
    );
    assert!(body.contains("Hạn bổ sung: 17:00 18/12/2026"), "{body}");
    assert!(sink.received()[0].attachments().is_empty());
}

#[tokio::test]
async fn the_acceptance_email_carries_form_01() {
    let app = TestApp::with_demo().await;
    with_email(&app, "vi").await;
    let id = dossier(&app).await;
    accept(&app, id).await;
    let (_, sink) = deliver(&app).await;
    let files = sink.received()[0].attachments();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].0, format!("mau-01-{SUBMITTED}.pdf"));
    assert!(files[0].1.starts_with(b"%PDF"));
    let text = crate::helpers::pdf_text(&files[0].1);
    if let Some(text) = text {
        assert!(text.contains(SUBMITTED), "{text}");
    }
}

/// A loopback SMS gateway that keeps the requests it gets and answers with `status`.
async fn sms_gateway(
    status: axum::http::StatusCode,
) -> (
    String,
    std::sync::Arc<std::sync::Mutex<Vec<(axum::http::HeaderMap, String)>>>,
) {
    use std::sync::{Arc, Mutex};
    let seen: Arc<Mutex<Vec<(axum::http::HeaderMap, String)>>> = Arc::default();
    let kept = seen.clone();
    let router = axum::Router::new().route(
        "/send",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
            let kept = kept.clone();
            async move {
                kept.lock().unwrap().push((headers, body));
                status
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/send", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    (url, seen)
}

fn sms_senders(app: &TestApp, url: &str) -> Senders {
    let mut settings = app.settings.clone();
    settings.sms_gateway = "http".to_owned();
    settings.sms_url = url.to_owned();
    settings.sms_key = "key-1".to_owned();
    settings.sms_secret = "gateway-secret".to_owned();
    Senders::from_settings(&settings).unwrap()
}

#[tokio::test]
async fn sms_go_to_the_gateway_signed_and_its_refusals_are_told_apart() {
    let app = TestApp::with_demo().await;
    sqlx::query("delete from outbound_messages")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let id: uuid::Uuid = sqlx::query_scalar(
        "insert into outbound_messages (channel, recipient, body, kind) \
         values ('sms', '+84912345678', 'Ho so 000.00.00.H48-251126-0006 da duoc tiep nhan.', 'accepted') \
         returning id",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    // the gateway is busy: retried later
    let (busy, _) = sms_gateway(StatusCode::SERVICE_UNAVAILABLE).await;
    let pass = run_once(&app.db.pool, &sms_senders(&app, &busy), ORIGIN, 3)
        .await
        .unwrap();
    assert_eq!(
        pass,
        Pass {
            retried: 1,
            ..Pass::default()
        }
    );
    // up again: sent, signed, with the message's id as the idempotency key
    sqlx::query("update outbound_messages set next_attempt_at = now()")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (url, seen) = sms_gateway(StatusCode::OK).await;
    let pass = run_once(&app.db.pool, &sms_senders(&app, &url), ORIGIN, 3)
        .await
        .unwrap();
    assert_eq!(
        pass,
        Pass {
            sent: 1,
            ..Pass::default()
        }
    );
    let (headers, body) = seen.lock().unwrap()[0].clone();
    assert_eq!(headers["idempotency-key"], id.to_string().as_str());
    assert_eq!(headers["x-api-key"], "key-1");
    assert_eq!(
        headers["x-signature"],
        motcua::notify::senders::sign("gateway-secret", &body).as_str()
    );
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["to"], "+84912345678");
    assert_eq!(json["id"], id.to_string());
    // a refused number fails at once
    let bad: uuid::Uuid = sqlx::query_scalar(
        "insert into outbound_messages (channel, recipient, body, kind) \
         values ('sms', '+8400', 'x', 'accepted') returning id",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let (refusing, _) = sms_gateway(StatusCode::BAD_REQUEST).await;
    let pass = run_once(&app.db.pool, &sms_senders(&app, &refusing), ORIGIN, 3)
        .await
        .unwrap();
    assert_eq!(
        pass,
        Pass {
            failed: 1,
            ..Pass::default()
        }
    );
    let error: String =
        sqlx::query_scalar("select last_error from outbound_messages where id = $1")
            .bind(bad)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(error.contains("400"), "{error}");
}

#[tokio::test]
async fn a_worker_that_dies_mid_send_leaves_the_message_to_the_next_after_its_lease() {
    let app = TestApp::with_demo().await;
    sqlx::query("delete from outbound_messages")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let id = message(&app, "an.nguyen@example.vn").await;
    // claimed by a worker that then died
    sqlx::query(
        "update outbound_messages set attempts = 1, locked_until = now() + interval '2 minutes' where id = $1",
    )
    .bind(id)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let sink = SmtpSink::start().await;
    let mail = senders(&app, sink.port);
    assert_eq!(
        run_once(&app.db.pool, &mail, ORIGIN, 3).await.unwrap(),
        Pass::default(),
        "still leased"
    );
    sqlx::query(
        "update outbound_messages set locked_until = now() - interval '1 second' where id = $1",
    )
    .bind(id)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let pass = run_once(&app.db.pool, &mail, ORIGIN, 3).await.unwrap();
    assert_eq!(pass.sent, 1);
    assert_eq!(sink.received()[0].parsed().2, format!("{id}@motcua"));
}

#[tokio::test]
async fn officials_get_one_digest_a_day_of_their_dossiers_due_and_overdue() {
    let app = TestApp::with_demo().await;
    sqlx::query("delete from outbound_messages")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (dossier, code): (uuid::Uuid, String) = sqlx::query_as(
        "select d.id, d.code from dossiers d join staff_users s on s.id = d.assignee_id \
         where s.username = 'chuyenvien' and d.status = 'processing' limit 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    // The digest is asked for at fixed instants, and the dossier is overdue by then: its due
    // time is stated against the same instants, never against the database's clock.
    use chrono::TimeZone;
    let before_seven = chrono::Utc
        .with_ymd_and_hms(2026, 12, 1, 23, 30, 0)
        .unwrap(); // 06:30
    let eight = chrono::Utc.with_ymd_and_hms(2026, 12, 2, 1, 0, 0).unwrap(); // 08:00
    sqlx::query("update dossiers set due_at = $2 where id = $1")
        .bind(dossier)
        .bind(eight - chrono::Duration::days(1))
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query(
        "update staff_users set email = 'chuyenvien@ubnd.example.vn' where username = 'chuyenvien'",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let digest = motcua::notify::digest::send_due;
    assert_eq!(digest(&app.db.pool, ORIGIN, before_seven).await.unwrap(), 0);
    assert!(digest(&app.db.pool, ORIGIN, eight).await.unwrap() >= 1);
    assert_eq!(
        digest(&app.db.pool, ORIGIN, eight).await.unwrap(),
        0,
        "once a day"
    );
    let (subject, body): (String, String) = sqlx::query_as(
        "select subject, body from outbound_messages where recipient = 'chuyenvien@ubnd.example.vn' and kind = 'digest'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(subject, "Một Cửa: hồ sơ đến hạn và quá hạn của bạn");
    assert!(body.starts_with("Kính gửi "), "{body}");
    assert!(
        body.contains(&format!("- {code} — QUÁ HẠN"))
            && body.contains(&format!("/staff/dossiers/{dossier}")),
        "{body}"
    );
}

#[tokio::test]
async fn each_step_that_concerns_the_citizen_sends_its_own_message() {
    let app = TestApp::with_demo().await;
    with_email(&app, "vi").await;
    let id = dossier(&app).await;
    sqlx::query("update dossiers set due_at = '2026-12-20 02:00:00+00' where id = $1")
        .bind(id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    for (action, note) in [
        ("reschedule", "Chờ kết quả xác minh của cơ quan công an."),
        ("issue_result", ""),
        ("hand_to_post", ""),
        ("delivered", ""),
        (
            "refuse_on_merits",
            "Người được khai sinh đã có giấy khai sinh.",
        ),
        ("assign", ""),
    ] {
        sqlx::query(
            "insert into dossier_events (dossier_id, from_status, to_status, actor_kind, action, note) \
             values ($1, 'processing', 'processing', 'system', $2, $3)",
        )
        .bind(id)
        .bind(action)
        .bind(note)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    sqlx::query(
        "insert into postal_items (dossier_id, direction, post_office_id, status, address, phone) \
         select $1, 'pickup', id, 'scheduled', '54 Hùng Vương, phường Cẩm Thành', '+84912345678' \
         from agencies where slug = 'buu-dien-tinh-quang-ngai'",
    )
    .bind(id)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let (pass, sink) = deliver(&app).await;
    assert_eq!(pass.composed, 6, "{pass:?}");
    let mut mail: Vec<(String, String)> = sink
        .received()
        .iter()
        .map(|m| {
            let (subject, body, _) = m.parsed();
            (subject, body)
        })
        .collect();
    mail.sort();
    let subjects: Vec<&str> = mail.iter().map(|m| m.0.as_str()).collect();
    assert_eq!(
        subjects,
        [
            format!("Bưu điện sẽ đến nhận hồ sơ {SUBMITTED}"),
            format!("Hồ sơ {SUBMITTED} không được giải quyết"),
            format!("Hồ sơ {SUBMITTED} đã hoàn thành — mời bạn đánh giá"),
            format!("Kết quả hồ sơ {SUBMITTED} đã chuyển bưu điện"),
            format!("Xin lỗi: hồ sơ {SUBMITTED} trễ hẹn, hẹn lại 09:00 20/12/2026"),
            format!("Đã có kết quả hồ sơ {SUBMITTED}"),
        ],
        "one message a step, none for the assignment"
    );
    assert!(
        mail[1]
            .1
            .contains("Lý do:\nNgười được khai sinh đã có giấy khai sinh."),
        "{}",
        mail[1].1
    );
    assert!(
        mail[4]
            .1
            .contains("Chờ kết quả xác minh của cơ quan công an."),
        "{}",
        mail[4].1
    );
    assert!(mail[4].1.contains("Mẫu 04"), "{}", mail[4].1);
}

/// Every SMS template in force, filled with the real names of the demo's agencies, procedures
/// and citizen, is plain GSM 7-bit text (one part of 160 characters, not UCS-2 parts of 70),
/// and the accepted dossier's SMS names its agency without marks.
#[tokio::test]
async fn every_sms_filled_with_real_names_is_gsm7_text() {
    let app = TestApp::with_demo().await;
    let pool = &app.db.pool;
    let templates: Vec<(String, String, String)> =
        sqlx::query_as("select kind, lang, sms from message_templates")
            .fetch_all(pool)
            .await
            .unwrap();
    assert!(templates.len() > 20, "{}", templates.len());
    let agencies: Vec<(String, String)> =
        sqlx::query_as("select name_vi, name_en from agencies order by length(name_vi) desc")
            .fetch_all(pool)
            .await
            .unwrap();
    let procedures: Vec<(String, String)> = sqlx::query_as(
        "select name_vi, name_en from procedure_versions order by length(name_vi) desc limit 30",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let citizen = motcua::demo::DEMO_CITIZEN.2;
    for (kind, lang, template) in &templates {
        for (agency, procedure) in agencies.iter().zip(procedures.iter().cycle()) {
            let pick = |pair: &(String, String)| {
                if lang == "en" {
                    pair.1.clone()
                } else {
                    pair.0.clone()
                }
            };
            let vars = std::collections::HashMap::from([
                ("name", citizen.to_owned()),
                ("code", "000.00.00.H48-261207-0001".to_owned()),
                ("procedure", pick(procedure)),
                ("agency", pick(agency)),
                ("due", "17:30 08/12/2026".to_owned()),
                ("deadline", "17:30 10/12/2026".to_owned()),
                (
                    "reason",
                    "Bản sao Giấy khai sinh chưa được chứng thực — “bổ sung”".to_owned(),
                ),
                ("amount", "1.500.000\u{a0}₫".to_owned()),
                ("link", format!("{ORIGIN}/account/dossiers/x")),
                ("rating_link", format!("{ORIGIN}/danh-gia/x")),
            ]);
            let sms = motcua::notify::compose::sms(template, &vars);
            assert!(
                motcua::kernel::text::is_gsm7(&sms),
                "{kind} ({lang}) with {}: {sms}",
                vars["agency"]
            );
        }
    }

    // through the worker: the demo's submitted dossier was sent to phường Cẩm Thành
    let id = dossier(&app).await;
    sqlx::query("delete from notify_queue")
        .execute(pool)
        .await
        .unwrap();
    sqlx::query(
        "insert into dossier_events (dossier_id, from_status, to_status, actor_kind, action) \
         values ($1, 'draft', 'submitted', 'citizen', 'submit')",
    )
    .bind(id)
    .execute(pool)
    .await
    .unwrap();
    deliver(&app).await;
    let sms: String = sqlx::query_scalar(
        "select body from outbound_messages where channel = 'sms' and dossier_id = $1 \
           and kind = 'submitted'",
    )
    .bind(id)
    .fetch_one(pool)
    .await
    .unwrap();
    assert!(
        sms.contains(" da duoc gui den Uy ban nhan dan phuong Cam Thanh. "),
        "{sms}"
    );
}

/// The development outbox shows Vietnam time, as every other page does.
#[tokio::test]
async fn the_development_outbox_shows_vietnam_time() {
    let app = TestApp::with_demo().await;
    sqlx::query(
        "insert into outbound_messages (channel, recipient, subject, body, created_at) \
         values ('sms', '+84912345678', '', 'Ma xac nhan 123456', '2026-12-07 23:30:05+00')",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let page = Page::parse(&app.server.get("/dev/outbox").await.text());
    let line = page
        .texts(".documents li")
        .into_iter()
        .find(|l| l.contains("Ma xac nhan 123456"))
        .unwrap();
    assert!(line.starts_with("06:30:05 08/12/2026"), "{line}");
}
