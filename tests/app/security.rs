//! Findings of the security review (OWASP ASVS level 2) that concern no single capability.

use axum::http::StatusCode;

use crate::helpers::TestApp;
use crate::helpers::html::Page;
use crate::helpers::session::{location, post_form, sign_in_citizen};

async fn sessions(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from sessions")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// Looking at pages, forms included, stores nothing: an anonymous visitor's CSRF token lives in
/// a cookie of its own. Their forms still work with it (signing in stores the session), and a
/// form without the cookie's token is refused.
#[tokio::test]
async fn anonymous_visitors_write_no_session_rows() {
    let app = TestApp::with_demo().await;
    for path in [
        "/",
        "/thu-tuc",
        "/thu-tuc/1.001193",
        "/tra-cuu",
        "/tra-cuu?code=000.00.00.H48-251117-0003&pin=DEMO26",
        "/account/login",
        "/account/register",
        "/account/reset",
        "/staff/login",
        "/thong-ke",
        "/ngon-ngu/en?next=/thu-tuc",
    ] {
        let response = app.server.get(path).await;
        assert!(
            response.status_code().is_success() || response.status_code().is_redirection(),
            "{path}: {}",
            response.status_code()
        );
        assert_eq!(sessions(&app).await, 0, "{path} stored a session");
    }
    // the sign-in page's form works with the anonymous token, and the sign-in stores a session
    sign_in_citizen(&app).await;
    assert_eq!(sessions(&app).await, 1);

    // a stranger without the cookie cannot post with a made-up token
    let stranger = TestApp::over_same(&app);
    let refused = stranger
        .server
        .post("/account/login")
        .form(&[
            ("login", "0912345678"),
            ("password", motcua::demo::DEMO_PASSWORD),
            ("csrf", &"a".repeat(64)),
        ])
        .await;
    assert_eq!(refused.status_code(), StatusCode::FORBIDDEN);
    assert_eq!(sessions(&app).await, 1);
}

/// A signed-in citizen's forms carry the session's token, as before; signing out ends the
/// session row.
#[tokio::test]
async fn signed_in_forms_use_the_sessions_token() {
    let app = TestApp::with_demo().await;
    sign_in_citizen(&app).await;
    let out = post_form(&app, "/account", "/account/logout", &[]).await;
    assert_eq!(location(&out), "/");
    assert_eq!(sessions(&app).await, 0);
}

/// In production the development outbox and the payment sandbox's pages do not exist, and a
/// one-time code is not written to the log (the outbox page, the sandbox: 404).
#[tokio::test]
async fn production_has_no_outbox_page_and_no_payment_sandbox() {
    let db = crate::helpers::TestDb::new().await;
    crate::helpers::load_demo(&db.pool).await;
    let app = TestApp::configured(db, |s| {
        s.env = "production".into();
        s.payment_gateway = "vnpay".into();
        s.vnpay_pay_url = "https://pay.example/vpcpay.html".into();
    });
    assert!(!app.settings.is_development());
    for path in ["/dev/outbox", "/sandbox/vnpay/paymentv2/vpcpay.html"] {
        assert_eq!(
            app.server.get(path).await.status_code(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // the same pages exist in development and test
    let dev = TestApp::with_demo().await;
    crate::helpers::session::sign_in_staff(&dev, "quantri").await;
    dev.server.get("/dev/outbox").await.assert_status_ok();
}

/// The `motcua` binary itself, as an operator runs it, against the test's database.
fn motcua(db: &crate::helpers::TestDb) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_motcua"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("MOTCUA_ENV")
        .env_remove("MOTCUA_CONFIG")
        .env("DATABASE_URL", &db.url)
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    command
}

/// `motcua ARGS` with the environment variables `env` set.
fn command(
    db: &crate::helpers::TestDb,
    args: &[&str],
    env: &[(&str, &str)],
) -> std::process::Command {
    let mut c = motcua(db);
    c.args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

/// What the command printed (both streams) and whether it succeeded, with `input` on stdin.
fn run(mut command: std::process::Command, input: &str) -> (bool, String) {
    use std::io::Write as _;
    let mut child = command.spawn().expect("motcua starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// The environment must be named, production reads an explicit file and refuses weak
/// settings, each with one sentence saying what to set.
#[tokio::test]
async fn the_portal_starts_only_in_a_named_and_complete_environment() {
    let db = crate::helpers::TestDb::new().await;
    let (ok, said) = run(command(&db, &["serve", "--addr", "127.0.0.1:0"], &[]), "");
    assert!(
        !ok && said.contains("set MOTCUA_ENV to production, development or test"),
        "{said}"
    );
    let (ok, said) = run(command(&db, &["migrate"], &[("MOTCUA_ENV", "staging")]), "");
    assert!(!ok && said.contains("MOTCUA_ENV is \"staging\""), "{said}");
    let production = |extra: &[(&str, &str)]| {
        let mut env = vec![("MOTCUA_ENV", "production")];
        env.extend_from_slice(extra);
        run(command(&db, &["migrate"], &env), "").1
    };
    assert!(production(&[]).contains("set MOTCUA_CONFIG to its path"));
    assert!(
        production(&[("MOTCUA_CONFIG", "/nonexistent/motcua.toml")])
            .contains("/nonexistent/motcua.toml, which is not a readable file")
    );
    let said = production(&[("MOTCUA_CONFIG", "config/production.toml")]);
    assert!(
        said.contains("the payment sandbox cannot run in production"),
        "{said}"
    );
    let said = production(&[
        ("MOTCUA_CONFIG", "config/production.toml"),
        ("MOTCUA_PAYMENT_GATEWAY", "vnpay"),
        ("MOTCUA_VNPAY_SECRET", "short-secret"),
        ("MOTCUA_VNPAY_PAY_URL", "https://pay.example/vpcpay.html"),
        ("MOTCUA_POSTAL_WEBHOOK_SECRET", &"p".repeat(40)),
        ("MOTCUA_SMTP_HOST", "smtp.province.example"),
        ("MOTCUA_SMS_GATEWAY", "http"),
        ("MOTCUA_SMS_URL", "https://sms.province.example/send"),
        ("MOTCUA_SMS_SECRET", &"s".repeat(32)),
        ("MOTCUA_DVCQG_URL", "https://dvcqg.example/lgsp"),
        ("MOTCUA_DVCQG_PASSWORD", &"n".repeat(24)),
        ("MOTCUA_NATIONAL_LINK_SECRET", &"l".repeat(32)),
        ("MOTCUA_DVCQG_PUSH_SECRET", &"q".repeat(32)),
        ("MOTCUA_SECOND_FACTOR_KEY", &"k".repeat(32)),
    ]);
    assert!(
        said.contains("MOTCUA_VNPAY_SECRET is too short: give it at least 32 characters"),
        "{said}"
    );
}

/// `motcua create-admin` makes the first system administrator from a password read on stdin,
/// never printed; that administrator signs in. Once a production deployment has used the
/// database, demo data and generators refuse it.
#[tokio::test]
async fn the_first_administrator_is_created_and_demo_data_never_reach_production() {
    let db = crate::helpers::TestDb::new().await;
    crate::helpers::load_demo(&db.pool).await;
    let secret = "Tinh-QuangNgai-2026-an-toan";
    let create_admin = |full_name: &str| {
        command(
            &db,
            &[
                "create-admin",
                "--username",
                "quantri.tinh",
                "--full-name",
                full_name,
                "--agency",
                "ubnd-tinh-quang-ngai",
            ],
            &[("MOTCUA_ENV", "development")],
        )
    };
    let (ok, said) = run(create_admin("Trần Thị Bình"), &format!("{secret}\n"));
    assert!(ok, "{said}");
    assert!(said.contains("quantri.tinh can sign in"), "{said}");
    assert!(!said.contains(secret), "the password is never printed");
    let app = TestApp::over(db.share());
    let signed = staff_sign_in(&app, "quantri.tinh", secret).await;
    assert_eq!(
        signed.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        signed.text()
    );
    app.server.get("/admin").await.assert_status_ok();
    // a taken name is refused, nothing is created twice
    let (ok, said) = run(create_admin("Người khác"), &format!("{secret}\n"));
    assert!(!ok && said.contains("exists already"), "{said}");

    motcua::db::record_production(&db.pool).await.unwrap();
    for args in [
        vec!["demo", "--addr", "127.0.0.1:0"],
        vec!["generate", "--procedures", "10"],
        vec!["generate-dossiers", "--count", "10"],
    ] {
        let (ok, said) = run(command(&db, &args, &[]), "");
        assert!(
            !ok && said.contains("this database serves a production deployment"),
            "{args:?}: {said}"
        );
    }
    let (ok, said) = run(command(&db, &["demo"], &[("MOTCUA_ENV", "production")]), "");
    assert!(!ok && said.contains("never run in production"), "{said}");
}

/// Parallel guesses at one account cannot slip past the limit: every attempt is counted before
/// its password is checked, in one statement, so with a limit of 10 exactly 10 passwords are
/// checked out of 30 sent at once and the rest are refused unchecked.
#[tokio::test]
async fn parallel_guesses_are_counted_before_any_password_is_checked() {
    let db = crate::helpers::TestDb::new().await;
    crate::helpers::load_demo(&db.pool).await;
    let app = TestApp::configured(db, |s| {
        s.login_lock_failures = 10;
        s.login_ip_lock_failures = 1000;
    });
    let token = crate::helpers::session::csrf(&app, "/account/login").await;
    let guesses = (0..30).map(|n| {
        let password = format!("doan-mo-{n}");
        let token = token.clone();
        let server = &app.server;
        async move {
            server
                .post("/account/login")
                .form(&[
                    ("login", "0912345678"),
                    ("password", password.as_str()),
                    ("csrf", token.as_str()),
                ])
                .await
                .status_code()
        }
    });
    let answers = futures_util::future::join_all(guesses).await;
    let refused = answers
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    let checked: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'citizen.login_failed'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(checked, 10, "passwords checked: {answers:?}");
    assert_eq!(refused, 20);
}

/// Registration hashes a password: an address gets its share of those per window, then a
/// clear message on the same form (input kept) and nothing is created.
#[tokio::test]
async fn anonymous_password_hashing_is_limited_per_address() {
    let db = crate::helpers::TestDb::new().await;
    crate::helpers::load_demo(&db.pool).await;
    let app = TestApp::configured(db, |s| s.anonymous_hashes_per_window = 2);
    let app = &app;
    let register = |n: u32| {
        let phone = format!("09880000{n:02}");
        let id = format!("0510900099{n:02}");
        async move {
            post_form(
                app,
                "/account/register",
                "/account/register",
                &[
                    ("full_name", "Lê Văn Cường"),
                    ("personal_id", &id),
                    ("phone", &phone),
                    ("email", ""),
                    ("password", "Mat-khau-rat-dai-2026"),
                    ("password_confirm", "Mat-khau-rat-dai-2026"),
                ],
            )
            .await
        }
    };
    for n in 0..2 {
        let ok = register(n).await;
        assert_eq!(ok.status_code(), StatusCode::SEE_OTHER, "{}", ok.text());
    }
    let refused = register(2).await;
    assert_eq!(refused.status_code(), StatusCode::TOO_MANY_REQUESTS);
    let page = crate::helpers::html::Page::parse(&refused.text());
    assert!(
        page.text(".error-summary")
            .contains("Có quá nhiều yêu cầu từ địa chỉ mạng này"),
        "{}",
        page.text(".error-summary")
    );
    assert_eq!(page.attr("input[name=phone]", "value"), "0988000002");
    let made: i64 =
        sqlx::query_scalar("select count(*) from citizens where phone like '+8498800000%'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(made, 2);
}

/// An upload carries its token as the form's first field (or a header), never in the query
/// string, where it would stay in logs and histories: a token there is refused.
#[tokio::test]
async fn an_upload_token_in_the_query_string_is_refused() {
    use axum_test::multipart::{MultipartForm, Part};
    let app = TestApp::with_demo().await;
    sign_in_citizen(&app).await;
    let draft: uuid::Uuid =
        sqlx::query_scalar("select id from dossiers where status = 'draft' limit 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let documents = format!("/account/dossiers/{draft}/documents");
    let token = crate::helpers::session::csrf(&app, &documents).await;
    let file = || {
        Part::bytes(b"%PDF-1.4 thu".to_vec())
            .file_name("thu.pdf")
            .mime_type("application/pdf")
    };
    let in_query = app
        .server
        .post(&format!("{documents}?slot=other&csrf={token}"))
        .multipart(MultipartForm::new().add_part("file", file()))
        .await;
    assert_eq!(in_query.status_code(), StatusCode::FORBIDDEN);
    let after_the_file = app
        .server
        .post(&format!("{documents}?slot=other"))
        .multipart(
            MultipartForm::new()
                .add_part("file", file())
                .add_text("csrf", &token),
        )
        .await;
    assert_eq!(
        after_the_file.status_code(),
        StatusCode::FORBIDDEN,
        "the token comes first"
    );
    let first_field = app
        .server
        .post(&format!("{documents}?slot=other"))
        .multipart(
            MultipartForm::new()
                .add_text("csrf", &token)
                .add_part("file", file()),
        )
        .await;
    assert_eq!(
        location(&first_field),
        format!("{documents}?saved=1"),
        "{}",
        first_field.text()
    );
}

/// Pages with personal data are never cached, and a request id sent by the client is replaced
/// by the portal's own.
#[tokio::test]
async fn personal_pages_are_not_cached_and_request_ids_are_the_portals() {
    let app = TestApp::with_demo().await;
    sign_in_citizen(&app).await;
    for path in ["/account", "/account/dossiers", "/tra-cuu"] {
        let page = app.server.get(path).await;
        assert_eq!(
            page.header(axum::http::header::CACHE_CONTROL),
            "no-store",
            "{path}"
        );
    }
    let forged = app
        .server
        .get("/account")
        .add_header("x-request-id", "gia-mao-do-khach-gui")
        .await;
    let id = forged.header("x-request-id");
    let id = id.to_str().unwrap();
    assert_ne!(id, "gia-mao-do-khach-gui");
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
}

/// Public tracking takes the PIN in a POST only (an address with a PIN shows the empty form),
/// and is throttled per dossier code and per address: after the code's share of lookups even
/// the right PIN waits, with the reason on the same form. Nothing is stored per lookup but the
/// two counters.
#[tokio::test]
async fn public_tracking_takes_the_pin_by_post_and_is_throttled() {
    let db = crate::helpers::TestDb::new().await;
    crate::helpers::load_demo(&db.pool).await;
    let app = TestApp::configured(db, |s| {
        s.tracking_per_code = 3;
        s.tracking_per_address = 1000;
    });
    let code = "000.00.00.H48-251117-0003";
    let in_address = app
        .server
        .get(&format!("/tra-cuu?code={code}&pin=DEMO26"))
        .await;
    in_address.assert_status_ok();
    let page = crate::helpers::html::Page::parse(&in_address.text());
    assert!(
        !page.has(".summary-list"),
        "a PIN in the address is not used"
    );
    assert_eq!(page.attr("input[name=code]", "value"), code);
    let app = &app;
    let lookup = |pin: &'static str| async move {
        post_form(app, "/tra-cuu", "/tra-cuu", &[("code", code), ("pin", pin)]).await
    };
    let found = lookup("DEMO26").await;
    found.assert_status_ok();
    assert!(
        crate::helpers::html::Page::parse(&found.text())
            .text(".summary-list")
            .contains("Đang giải quyết")
    );
    for _ in 0..2 {
        assert_eq!(lookup("AAAAAA").await.status_code(), StatusCode::NOT_FOUND);
    }
    let throttled = lookup("DEMO26").await;
    assert_eq!(throttled.status_code(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        crate::helpers::html::Page::parse(&throttled.text())
            .text(".error-summary")
            .contains("Đã tra cứu quá nhiều lần")
    );
    let api = app
        .server
        .post("/api/v1/tracking")
        .json(&serde_json::json!({"code": code, "pin": "DEMO26"}))
        .await;
    assert_eq!(api.status_code(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(sessions(app).await, 0, "no session row for any of it");
    let rows: i64 = sqlx::query_scalar("select count(*) from login_counters")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(rows, 2);
}

/// A flood of forged IPNs and postal webhook calls writes no row per request: each reason is one
/// counter a day, which the payments page shows.
#[tokio::test]
async fn a_flood_of_forged_callbacks_writes_one_counter_per_reason() {
    let app = TestApp::with_demo().await;
    let rows = |table: &'static str| {
        let pool = app.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!(
                "select count(*) from {table}"
            )))
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let before = (rows("payment_events").await, rows("postal_refusals").await);
    for n in 0..200 {
        let forged = app
            .server
            .get(&format!(
                "/api/v1/payments/vnpay/ipn?vnp_TxnRef=X{n}&vnp_Amount=100&vnp_SecureHash=00"
            ))
            .add_header("x-real-ip", "203.0.113.9")
            .await;
        assert_eq!(forged.status_code(), StatusCode::FORBIDDEN);
        let webhook = app
            .server
            .post("/api/v1/postal/events")
            .add_header("x-postal-signature", "sai")
            .bytes(format!("{{\"event_id\": \"x{n}\"}}").into())
            .await;
        assert_eq!(webhook.status_code(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        (rows("payment_events").await, rows("postal_refusals").await),
        before
    );
    let counted: Vec<(String, String, i64)> =
        sqlx::query_as("select source, reason, refused from refused_requests order by source")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        counted,
        [
            ("postal_webhook".to_owned(), "bad_signature".to_owned(), 200),
            ("vnpay_ipn".to_owned(), "ip_refused".to_owned(), 200)
        ]
    );
    let admin = TestApp::over_same(&app);
    crate::helpers::session::sign_in_staff(&admin, "quantri").await;
    let page = crate::helpers::html::Page::parse(&admin.server.get("/admin/payments").await.text());
    assert!(
        page.text("#refused").contains("200"),
        "{}",
        page.text("#refused")
    );
}

/// A citizen's papers are read only by the officials whose part in the dossier needs them, and
/// every read is audited: reception and the signer of the agency read them; its administrator
/// and a case officer not assigned to the dossier see neither the files nor their names.
#[tokio::test]
async fn only_the_officials_who_decide_read_a_citizens_papers_and_each_read_is_audited() {
    let app = TestApp::with_demo().await;
    let dossier = crate::submission::fill_birth_registration(&app).await;
    crate::submission::submit(&app, &dossier).await;
    let id = crate::helpers::dossier_id(&dossier);
    let (file, name): (uuid::Uuid, String) =
        sqlx::query_as("select id, original_name from dossier_files where dossier_id = $1 limit 1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let url = format!("/staff/dossiers/{id}/files/{file}");
    for (username, allowed) in [
        ("tiepnhan", true),
        ("lanhdao", true),
        ("quantricoquan", false),
        ("chuyenvien", false),
    ] {
        let official = TestApp::over_same(&app);
        crate::helpers::session::sign_in_staff(&official, username).await;
        let read = official.server.get(&url).await;
        let page = official
            .server
            .get(&format!("/staff/dossiers/{id}"))
            .await
            .text();
        if allowed {
            read.assert_status_ok();
            assert!(page.contains(&name), "{username} sees the file's name");
        } else {
            assert_eq!(read.status_code(), StatusCode::FORBIDDEN, "{username}");
            assert!(!read.text().contains("%PDF"), "no byte of the file");
            assert!(!page.contains(&name), "{username} does not see its name");
        }
    }
    let reads: Vec<String> = sqlx::query_scalar(
        "select s.username from audit_log a join staff_users s on s.id = a.actor_id \
         where a.action = 'dossier.file_read' and a.subject = $1 order by s.username",
    )
    .bind(id.to_string())
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(reads, ["lanhdao", "tiepnhan"]);
}

/// Nobody can send codes in bulk to someone else: a stranger asking five times for the demo
/// citizen's reset gets five identical answers, and the phone gets three messages (the hour's
/// share). Wrong codes count across codes: asking for a new code gives no new tries.
#[tokio::test]
async fn one_time_codes_are_limited_per_account_and_tries_count_across_codes() {
    let db = crate::helpers::TestDb::new().await;
    crate::helpers::load_demo(&db.pool).await;
    let app = TestApp::configured(db, |s| s.otp_failures_per_day = 4);
    let app = &app;
    let messages = || async {
        sqlx::query_scalar::<_, i64>(
            "select count(*) from outbound_messages where recipient = '+84912345678'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
    };
    let before = messages().await;
    let ask = || async {
        let sent = post_form(
            app,
            "/account/reset",
            "/account/reset",
            &[("login", "0912345678")],
        )
        .await;
        assert_eq!(location(&sent), "/account/reset/code");
    };
    for _ in 0..5 {
        ask().await;
    }
    assert_eq!(messages().await - before, 3, "the hour's share of codes");
    let lead =
        crate::helpers::html::Page::parse(&app.server.get("/account/reset/code").await.text());
    assert!(lead.text("main").contains("tối đa 3 mã mỗi giờ"));

    // four wrong codes in all, over two codes of the same account: the right one is refused too
    sqlx::query("delete from one_time_codes")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let try_code = |code: String| async move {
        post_form(
            app,
            "/account/reset/code",
            "/account/reset/code",
            &[
                ("code", code.as_str()),
                ("password", "gió lào thổi qua sông"),
                ("password_confirm", "gió lào thổi qua sông"),
            ],
        )
        .await
    };
    ask().await;
    for _ in 0..3 {
        assert_eq!(
            try_code("000000".into()).await.status_code(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    ask().await;
    assert_eq!(
        try_code("000001".into()).await.status_code(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let right = crate::helpers::session::latest_code(app, "+84912345678").await;
    let refused = try_code(right).await;
    assert_eq!(
        refused.status_code(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a new code brought no new tries"
    );
}

async fn staff_sign_in(app: &TestApp, login: &str, password: &str) -> axum_test::TestResponse {
    post_form(
        app,
        "/staff/login",
        "/staff/login",
        &[("login", login), ("password", password)],
    )
    .await
}

/// An official whose password an administrator reset must choose their own before anything
/// else: every page leads to the form, a wrong current password or the same one again is
/// explained on it, and afterwards the temporary password no longer works.
#[tokio::test]
async fn an_official_chooses_their_own_password_after_a_reset() {
    let app = TestApp::with_demo().await;
    let admin = TestApp::over_same(&app);
    crate::helpers::session::sign_in_staff(&admin, "quantri").await;
    let target: uuid::Uuid =
        sqlx::query_scalar("select id from staff_users where username = 'tiepnhan'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let reset = post_form(
        &admin,
        &format!("/admin/staff/{target}"),
        &format!("/admin/staff/{target}/password"),
        &[],
    )
    .await;
    let shown =
        crate::helpers::html::Page::parse(&admin.server.get(&location(&reset)).await.text());
    let temporary = shown.text(".flash").rsplit(' ').next().unwrap().to_owned();
    let official = TestApp::over_same(&app);
    let signed = staff_sign_in(&official, "tiepnhan", &temporary).await;
    assert_eq!(
        signed.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        signed.text()
    );
    let inbox = official.server.get("/staff/inbox").await;
    assert_eq!(location(&inbox), "/staff/password");
    let form =
        crate::helpers::html::Page::parse(&official.server.get("/staff/password").await.text());
    assert!(form.text(".lead").contains("Quản trị viên đã đặt mật khẩu"));
    let wrong = post_form(
        &official,
        "/staff/password",
        "/staff/password",
        &[
            ("current_password", "khong-dung"),
            ("password", "Sông Trà Khúc 2026"),
            ("password_confirm", "Sông Trà Khúc 2026"),
        ],
    )
    .await;
    assert_eq!(wrong.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let same = post_form(
        &official,
        "/staff/password",
        "/staff/password",
        &[
            ("current_password", &temporary),
            ("password", &temporary),
            ("password_confirm", &temporary),
        ],
    )
    .await;
    assert!(
        crate::helpers::html::Page::parse(&same.text())
            .text(".error-summary")
            .contains("phải khác mật khẩu hiện tại")
    );
    let changed = post_form(
        &official,
        "/staff/password",
        "/staff/password",
        &[
            ("current_password", &temporary),
            ("password", "Sông Trà Khúc 2026"),
            ("password_confirm", "Sông Trà Khúc 2026"),
        ],
    )
    .await;
    assert_eq!(location(&changed), "/staff", "{}", changed.text());
    official.server.get("/staff/inbox").await.assert_status_ok();
    let old = staff_sign_in(&TestApp::over_same(&app), "tiepnhan", &temporary).await;
    assert_eq!(old.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
}

/// Over real TCP: the client's address comes from `X-Real-IP` only on connections from a
/// trusted proxy; from anywhere else the header is ignored and the peer's address counts (for
/// throttling and the audit log alike).
#[tokio::test]
async fn x_real_ip_counts_only_from_a_trusted_proxy() {
    async fn failed_sign_in_ip(trusted: &str) -> String {
        let trusted: std::net::IpAddr = trusted.parse().unwrap();
        let (base, db) = crate::browser::serve_demo_with(|s| {
            s.trust_proxy = true;
            s.trusted_proxies = vec![trusted];
        })
        .await;
        let http = reqwest::Client::new();
        let form = http
            .get(format!("{base}/staff/login"))
            .send()
            .await
            .unwrap();
        let cookie = form
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("motcua_csrf="))
            .map(|c| c.split(';').next().unwrap().to_owned())
            .expect("the form's token cookie");
        let token = crate::helpers::html::Page::parse(&form.text().await.unwrap())
            .attr("input[name=csrf]", "value");
        let refused = http
            .post(format!("{base}/staff/login"))
            .header(reqwest::header::COOKIE, cookie)
            .header("x-real-ip", "198.51.100.23")
            .form(&[("login", "tiepnhan"), ("password", "sai"), ("csrf", &token)])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
        sqlx::query_scalar("select host(ip) from audit_log where action = 'staff.login_failed'")
            .fetch_one(&db.pool)
            .await
            .unwrap()
    }
    assert_eq!(
        failed_sign_in_ip("10.9.9.9").await,
        "127.0.0.1",
        "not from the proxy"
    );
    assert_eq!(
        failed_sign_in_ip("127.0.0.1").await,
        "198.51.100.23",
        "from the proxy"
    );
}

/// Every upload passes the virus scanner (ClamAV's INSTREAM protocol, here the sandbox daemon
/// on loopback): a file carrying the EICAR test string is refused with a message and leaves
/// nothing behind; a scanner that does not answer refuses too; a clean file passes.
#[tokio::test]
async fn uploads_pass_the_virus_scanner_and_nothing_infected_is_kept() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let clamd = listener.local_addr().unwrap().to_string();
    tokio::spawn(motcua::virus_scan::sandbox(listener));
    let db = crate::helpers::TestDb::new().await;
    crate::helpers::load_demo(&db.pool).await;
    let app = TestApp::configured(db, |s| s.clamd_addr = clamd);
    let dossier = crate::submission::start(&app, "1.001193").await;
    let mut infected = b"%PDF-1.4\n%".to_vec();
    infected.extend_from_slice(motcua::virus_scan::EICAR.as_bytes());
    infected.extend_from_slice(b"\n%%EOF\n");
    let refused = crate::submission::upload(&app, &dossier, "1", "giay-to.pdf", &infected).await;
    assert_eq!(refused.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Page::parse(&refused.text());
    assert!(
        page.text(".error-summary").contains("phát hiện có mã độc"),
        "{}",
        page.text(".error-summary")
    );
    let kept: i64 = sqlx::query_scalar("select count(*) from dossier_files")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(kept, 0, "no row for the infected file");
    let on_disk = walk(std::path::Path::new(&app.settings.upload_dir));
    assert!(
        on_disk.iter().all(|bytes| !bytes
            .windows(motcua::virus_scan::EICAR.len())
            .any(|w| w == motcua::virus_scan::EICAR.as_bytes())),
        "nor its bytes on disk"
    );
    let clean =
        crate::submission::upload(&app, &dossier, "1", "giay-to.pdf", b"%PDF-1.4\n%%EOF\n").await;
    assert_eq!(
        clean.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        clean.text()
    );

    // the scanner down: refused (never passed unscanned), with a message to try again
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let gone = closed.local_addr().unwrap().to_string();
    drop(closed);
    let down = TestApp::configured(app.db.share(), |s| s.clamd_addr = gone);
    let dossier = crate::submission::start(&down, "1.001193").await;
    let refused =
        crate::submission::upload(&down, &dossier, "1", "to-khai.pdf", b"%PDF-1.4\n%%EOF\n").await;
    assert_eq!(refused.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&refused.text())
            .text(".error-summary")
            .contains("Chưa kiểm tra được an toàn")
    );
}

/// Every file under `dir`, read.
fn walk(dir: &std::path::Path) -> Vec<Vec<u8>> {
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(walk(&path));
            } else if let Ok(bytes) = std::fs::read(&path) {
                files.push(bytes);
            }
        }
    }
    files
}

/// Quotas: two uploads at once cannot pass a dossier's caps together (counted one after the
/// other under the dossier's lock), a citizen's unsubmitted dossiers hold a set number of
/// megabytes, and a citizen keeps a set number of drafts open.
#[tokio::test]
async fn parallel_uploads_and_a_citizens_drafts_stay_within_their_quotas() {
    let db = crate::helpers::TestDb::new().await;
    crate::helpers::load_demo(&db.pool).await;
    let app = TestApp::configured(db, |s| {
        s.max_dossier_files = 1;
        s.max_citizen_drafts = 3;
    });
    let dossier = crate::submission::start(&app, "1.001193").await;
    let pdf = b"%PDF-1.4\n%%EOF\n";
    let (a, b) = tokio::join!(
        crate::submission::upload(&app, &dossier, "1", "mot.pdf", pdf),
        crate::submission::upload(&app, &dossier, "2", "hai.pdf", pdf),
    );
    let mut codes = [a.status_code(), b.status_code()];
    codes.sort();
    assert_eq!(
        codes,
        [StatusCode::SEE_OTHER, StatusCode::UNPROCESSABLE_ENTITY]
    );
    let id = crate::helpers::dossier_id(&dossier);
    let files: i64 = sqlx::query_scalar("select count(*) from dossier_files where dossier_id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(files, 1, "one of the two, never both");

    // the citizen's megabytes across drafts
    let small = TestApp::configured(app.db.share(), |s| s.max_citizen_draft_mb = 0);
    crate::helpers::session::sign_in_citizen(&small).await;
    let over = crate::submission::upload(&small, &dossier, "2", "hai.pdf", pdf).await;
    assert_eq!(over.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&over.text())
            .text(".error-summary")
            .contains("0 MB dung lượng cho phép"),
        "{}",
        Page::parse(&over.text()).text(".error-summary")
    );

    // drafts open at once: the demo's own and the one above make two; one more, then no more
    crate::submission::start(&app, "1.001193").await;
    let refused = post_form(
        &app,
        "/thu-tuc/1.001193/nop-truc-tuyen",
        "/account/dossiers",
        &[("procedure", "1.001193")],
    )
    .await;
    assert_eq!(refused.status_code(), StatusCode::BAD_REQUEST);
    assert!(
        refused.text().contains("quá nhiều hồ sơ soạn dở"),
        "{}",
        refused.text()
    );
}

/// A dossier's history, the gateways' messages and issued receipts are never rewritten: the
/// database refuses UPDATE and TRUNCATE on them, whatever code asks.
#[tokio::test]
async fn history_receipts_and_gateway_messages_cannot_be_rewritten() {
    let app = TestApp::with_demo().await;
    sqlx::query("insert into payment_events (kind, outcome) values ('test', 'ok')")
        .execute(&app.db.pool)
        .await
        .unwrap();
    // the portal's role may not (its pool runs as motcua_writer) …
    for statement in [
        "update dossier_events set note = 'rewritten'",
        "delete from dossier_events",
        "update payment_events set outcome = 'rewritten'",
        "delete from payment_events",
        "update receipts set number = 0",
        "delete from receipts",
        "update refunds set amount_vnd = 1",
        "delete from refunds",
        "update audit_log set action = 'x'",
        "delete from audit_log",
        "truncate receipts",
        "truncate dossier_events cascade",
        "truncate payment_events",
    ] {
        let refused = sqlx::query(statement).execute(&app.db.pool).await;
        let error = refused.expect_err(statement).to_string();
        assert!(error.contains("permission denied"), "{statement}: {error}");
    }
    // … and the owner is refused by the triggers
    let owner = app.db.owner_pool().await;
    for statement in [
        "update dossier_events set note = 'rewritten'",
        "update payment_events set outcome = 'rewritten'",
        "truncate receipts",
        "truncate dossier_events cascade",
        "truncate payment_events",
    ] {
        let refused = sqlx::query(statement).execute(&owner).await;
        let error = refused.expect_err(statement).to_string();
        assert!(error.contains("append-only"), "{statement}: {error}");
    }
    owner.close().await;
    // what the portal's role may do: add, and move a refund forward through its one function
    let role: String = sqlx::query_scalar("select current_user::text")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(role, motcua::db::WRITER_ROLE);
    let events: i64 = sqlx::query_scalar("select count(*) from dossier_events")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(events > 0, "nothing was lost");
}
