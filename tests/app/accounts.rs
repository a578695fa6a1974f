//! Citizens' and officials' accounts, sessions, throttling and the audit log.

use axum::http::{StatusCode, header};

use crate::helpers::TestApp;
use crate::helpers::html::Page;
use crate::helpers::session::{
    csrf, latest_code, location, post_form, sign_in_citizen, sign_in_staff,
};

const GOOD_PASSWORD: &str = "mây trắng bay qua đèo";

async fn register(app: &TestApp, personal_id: &str, phone: &str) -> axum_test::TestResponse {
    post_form(
        app,
        "/account/register",
        "/account/register",
        &[
            ("full_name", "Trần Thị Bình"),
            ("personal_id", personal_id),
            ("phone", phone),
            ("email", ""),
            ("password", GOOD_PASSWORD),
            ("password_confirm", GOOD_PASSWORD),
        ],
    )
    .await
}

#[tokio::test]
async fn a_citizen_registers_and_confirms_the_phone_with_a_code() {
    let app = TestApp::with_demo().await;
    let response = register(&app, "051195001111", "0905 111 222").await;
    assert_eq!(
        response.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        response.text()
    );
    assert_eq!(location(&response), "/account/register/code");
    let page = Page::parse(&app.server.get("/account/register/code").await.text());
    assert!(
        page.text(".lead").contains("0905 111 222"),
        "the code went to the phone typed"
    );
    // nobody is signed in before the code
    assert!(location(&app.server.get("/account").await).starts_with("/account/login"));

    let wrong = post_form(
        &app,
        "/account/register/code",
        "/account/register/code",
        &[("code", "000000")],
    )
    .await;
    assert_eq!(wrong.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&wrong.text())
            .text(".error-summary")
            .contains("không đúng hoặc đã hết hạn")
    );

    let code = latest_code(&app, "+84905111222").await;
    let right = post_form(
        &app,
        "/account/register/code",
        "/account/register/code",
        &[("code", &code)],
    )
    .await;
    assert_eq!(location(&right), "/account");
    let account = Page::parse(&app.server.get("/account").await.text());
    assert!(!account.has(".notice"), "confirmed");
    assert!(account.text(".flash").contains("Đã xác nhận"));
    assert_eq!(
        account.text(".summary-list div:nth-child(2) dd"),
        "0511******11",
        "the ID number is masked"
    );
}

#[tokio::test]
async fn registration_errors_are_explained_on_the_same_form_with_the_input_kept() {
    let app = TestApp::with_demo().await;
    let response = post_form(
        &app,
        "/account/register",
        "/account/register",
        &[
            ("full_name", "Lê Văn Cường"),
            ("personal_id", "05109000123"),
            ("phone", "0212 345 678"),
            ("email", "not-an-email"),
            ("password", "password1"),
            ("password_confirm", "password1"),
        ],
    )
    .await;
    assert_eq!(response.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Page::parse(&response.text());
    assert!(page.text("title").starts_with("Lỗi: "));
    let links = page.attrs(".error-summary a", "href");
    assert_eq!(links, ["#personal_id", "#phone", "#email", "#password"]);
    assert!(page.text("#personal_id-error").contains("đúng 12 chữ số"));
    assert!(page.text("#password-error").contains("quá dễ đoán"));
    assert_eq!(page.attr("#full_name", "value"), "Lê Văn Cường");
    assert_eq!(page.attr("#phone", "value"), "0212 345 678");
    assert_eq!(page.attr("#personal_id", "aria-invalid"), "true");
    assert!(
        page.attrs("#password", "value").is_empty(),
        "passwords are never sent back"
    );
    let citizens: i64 = sqlx::query_scalar("select count(*) from citizens")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(citizens, 1, "only the demo citizen: nothing half-written");
}

/// Registration does not tell whether an ID number, a phone or an e-mail address already has
/// an account: the answer is the code page for the phone typed, whatever is registered; no
/// account is made for a taken phone or number, and the holder is told on their own phone (with
/// a reset code, in case it was them); a taken address is left off the new account and its
/// holder told.
#[tokio::test]
async fn registration_does_not_reveal_what_is_already_registered() {
    let app = TestApp::with_demo().await;
    let fresh = register(&app, "051195009999", "0905 999 000").await;
    let fresh_page = app.server.get("/account/register/code").await.text();
    let stranger = TestApp::over_same(&app);
    // the demo citizen's ID number with a new phone, then the demo citizen's phone
    for (personal_id, phone, shown) in [
        ("051090001234", "0905 333 444", "0905 333 444"),
        ("051195002222", "0912345678", "0912 345 678"),
    ] {
        let answer = register(&stranger, personal_id, phone).await;
        assert_eq!(answer.status_code(), fresh.status_code());
        assert_eq!(location(&answer), location(&fresh));
        let page = stranger.server.get("/account/register/code").await.text();
        assert_eq!(
            Page::parse(&page).text("main"),
            Page::parse(&fresh_page)
                .text("main")
                .replace("0905 999 000", shown),
            "the same page as for a new account"
        );
        assert!(!page.contains("Nguyễn Văn An"));
        // and no code opens anything
        let tried = post_form(
            &stranger,
            "/account/register/code",
            "/account/register/code",
            &[("code", "123456")],
        )
        .await;
        assert_eq!(tried.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let made: i64 = sqlx::query_scalar(
        "select count(*) from citizens where phone = '+84905333444' or personal_id = '051195002222'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(made, 0, "nothing made for a taken number or phone");
    let told: Vec<String> = sqlx::query_scalar(
        "select body from outbound_messages where recipient = '+84912345678' order by created_at",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(told.len(), 2, "the holder was told each time: {told:?}");
    assert!(told[0].contains("vua duoc dung de dang ky"), "{}", told[0]);

    // a taken e-mail address: the account is made without it, and the address's holder told
    sqlx::query("update citizens set email = 'an@example.vn' where phone = '+84912345678'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let third = TestApp::over_same(&app);
    let answer = post_form(
        &third,
        "/account/register",
        "/account/register",
        &[
            ("full_name", "Đỗ Thị Em"),
            ("personal_id", "051195007777"),
            ("phone", "0905 777 000"),
            ("email", "an@example.vn"),
            ("password", GOOD_PASSWORD),
            ("password_confirm", GOOD_PASSWORD),
        ],
    )
    .await;
    assert_eq!(location(&answer), "/account/register/code");
    let email: Option<String> =
        sqlx::query_scalar("select email from citizens where phone = '+84905777000'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(email, None);
    let to_address: i64 = sqlx::query_scalar(
        "select count(*) from outbound_messages where recipient = 'an@example.vn'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(to_address, 1);
}

#[tokio::test]
async fn citizens_sign_in_with_phone_email_or_id_number() {
    for login in ["0912 345 678", "+84912345678", "051090001234"] {
        let app = TestApp::with_demo().await;
        let response = post_form(
            &app,
            "/account/login",
            "/account/login",
            &[("login", login), ("password", motcua::demo::DEMO_PASSWORD)],
        )
        .await;
        assert_eq!(location(&response), "/account", "{login}");
        let page = Page::parse(&app.server.get("/account").await.text());
        assert_eq!(page.text("h1"), "Tài khoản của tôi");
        assert!(page.text(".who-bar").contains("Nguyễn Văn An"));
    }
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_account_get_the_same_answer() {
    let app = TestApp::with_demo().await;
    let wrong = post_form(
        &app,
        "/account/login",
        "/account/login",
        &[("login", "0912345678"), ("password", "not the password")],
    )
    .await;
    let unknown = post_form(
        &app,
        "/account/login",
        "/account/login",
        &[("login", "0999999999"), ("password", "not the password")],
    )
    .await;
    assert_eq!(wrong.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.status_code(), wrong.status_code());
    let (a, b) = (Page::parse(&wrong.text()), Page::parse(&unknown.text()));
    assert_eq!(a.text(".error-summary"), b.text(".error-summary"));
    assert!(a.text(".error-summary").contains("không đúng"));
}

#[tokio::test]
async fn repeated_failures_lock_the_account_name_for_a_while() {
    let app = TestApp::with_demo().await;
    for _ in 0..10 {
        let r = post_form(
            &app,
            "/account/login",
            "/account/login",
            &[("login", "0912345678"), ("password", "wrong")],
        )
        .await;
        assert_eq!(r.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    // even the right password is refused now, and so is any spelling of the same number
    let locked = post_form(
        &app,
        "/account/login",
        "/account/login",
        &[
            ("login", "+84 912 345 678"),
            ("password", motcua::demo::DEMO_PASSWORD),
        ],
    )
    .await;
    assert_eq!(locked.status_code(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        Page::parse(&locked.text())
            .text(".error-summary")
            .contains("thử lại sau 15 phút")
    );
    // an unknown name is locked the same way
    for _ in 0..10 {
        post_form(
            &app,
            "/account/login",
            "/account/login",
            &[("login", "0999999999"), ("password", "wrong")],
        )
        .await;
    }
    let unknown = post_form(
        &app,
        "/account/login",
        "/account/login",
        &[("login", "0999999999"), ("password", "wrong")],
    )
    .await;
    assert_eq!(unknown.status_code(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn many_failures_from_one_address_lock_that_address() {
    let db = crate::helpers::TestDb::new().await;
    crate::helpers::load_demo(&db.pool).await;
    let mut app = TestApp::configured(db, |s| s.login_ip_lock_failures = 3);
    app.server.add_header("x-real-ip", "203.0.113.7");
    for n in 0..3 {
        let login = format!("09000000{n:02}");
        post_form(
            &app,
            "/account/login",
            "/account/login",
            &[("login", &login), ("password", "wrong")],
        )
        .await;
    }
    let locked = post_form(
        &app,
        "/account/login",
        "/account/login",
        &[
            ("login", "0912345678"),
            ("password", motcua::demo::DEMO_PASSWORD),
        ],
    )
    .await;
    assert_eq!(locked.status_code(), StatusCode::TOO_MANY_REQUESTS);
}

fn session_cookie(response: &axum_test::TestResponse) -> Option<String> {
    response
        .iter_headers_by_name(header::SET_COOKIE)
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("motcua_sid="))
        .map(|c| c.split(';').next().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn signing_in_rotates_the_session_and_signing_out_ends_it() {
    use tower_sessions::session_store::SessionStore;
    let app = TestApp::with_demo().await;
    let login_page = app.server.get("/account/login").await;
    assert_eq!(
        session_cookie(&login_page),
        None,
        "looking at the form stores no session"
    );
    let token = Page::parse(&login_page.text()).attr("input[name=csrf]", "value");
    // a session planted beforehand (fixation) is not the one signed in
    let store = motcua::web::session::PgSessionStore::new(app.db.pool.clone());
    let mut planted = tower_sessions::session::Record {
        id: Default::default(),
        data: Default::default(),
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::minutes(30),
    };
    store.create(&mut planted).await.unwrap();
    let before = format!("motcua_sid={}", planted.id);
    let signed = app
        .server
        .post("/account/login")
        .add_header(header::COOKIE, before.as_str())
        .form(&[
            ("login", "0912345678"),
            ("password", motcua::demo::DEMO_PASSWORD),
            ("csrf", &token),
        ])
        .await;
    let after = session_cookie(&signed).expect("a new session id");
    assert_ne!(before, after, "no session fixation");
    assert_eq!(
        store.load(&planted.id).await.unwrap(),
        None,
        "the planted one is gone"
    );
    app.server.get("/account").await.assert_status_ok();

    let out = post_form(&app, "/account", "/account/logout", &[]).await;
    assert_eq!(location(&out), "/");
    let again = app.server.get("/account").await;
    assert!(location(&again).starts_with("/account/login"));
    // the old cookie is worthless: its row is gone
    let replay = app
        .server
        .get("/account")
        .add_header(header::COOKIE, after.as_str())
        .await;
    assert!(location(&replay).starts_with("/account/login"));
}

#[tokio::test]
async fn sessions_end_when_idle_or_too_old() {
    let app = TestApp::with_demo().await;
    sign_in_citizen(&app).await;
    app.server.get("/account").await.assert_status_ok();
    // signed in thirteen hours ago (absolute limit: 12 h)
    sqlx::query("update sessions set data = jsonb_set(data, '{auth,at}', to_jsonb(extract(epoch from now())::bigint - 13 * 3600))")
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert!(location(&app.server.get("/account").await).starts_with("/account/login"));

    sign_in_citizen(&app).await;
    // idle past the expiry
    sqlx::query("update sessions set expiry_date = now() - interval '1 minute'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert!(location(&app.server.get("/account").await).starts_with("/account/login"));
}

#[tokio::test]
async fn forms_without_the_session_token_or_from_another_site_are_refused() {
    let app = TestApp::with_demo().await;
    let bare = app
        .server
        .post("/account/login")
        .form(&[("login", "0912345678"), ("password", "x")])
        .await;
    assert_eq!(bare.status_code(), StatusCode::FORBIDDEN);
    assert!(
        Page::parse(&bare.text())
            .text(".lead")
            .contains("Biểu mẫu đã hết hạn")
    );
    let token = csrf(&app, "/account/login").await;
    let cross = app
        .server
        .post("/account/login")
        .add_header("sec-fetch-site", "cross-site")
        .add_header(header::ORIGIN, "https://evil.example")
        .form(&[
            ("login", "0912345678"),
            ("password", "x"),
            ("csrf", token.as_str()),
        ])
        .await;
    assert_eq!(cross.status_code(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_forgotten_password_is_reset_with_a_code() {
    let app = TestApp::with_demo().await;
    let sent = post_form(
        &app,
        "/account/reset",
        "/account/reset",
        &[("login", "051090001234")],
    )
    .await;
    assert_eq!(location(&sent), "/account/reset/code");
    let code = latest_code(&app, "+84912345678").await;
    let new_password = "gió lào thổi qua sông";
    let done = post_form(
        &app,
        "/account/reset/code",
        "/account/reset/code",
        &[
            ("code", &code),
            ("password", new_password),
            ("password_confirm", new_password),
        ],
    )
    .await;
    assert_eq!(location(&done), "/account/login", "{}", done.text());
    let old = post_form(
        &app,
        "/account/login",
        "/account/login",
        &[
            ("login", "0912345678"),
            ("password", motcua::demo::DEMO_PASSWORD),
        ],
    )
    .await;
    assert_eq!(old.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let new = post_form(
        &app,
        "/account/login",
        "/account/login",
        &[("login", "0912345678"), ("password", new_password)],
    )
    .await;
    assert_eq!(location(&new), "/account");
}

#[tokio::test]
async fn a_reset_for_an_unknown_account_looks_the_same_and_never_succeeds() {
    let app = TestApp::with_demo().await;
    let sent = post_form(
        &app,
        "/account/reset",
        "/account/reset",
        &[("login", "0999999999")],
    )
    .await;
    assert_eq!(location(&sent), "/account/reset/code");
    let tried = post_form(
        &app,
        "/account/reset/code",
        "/account/reset/code",
        &[
            ("code", "123456"),
            ("password", GOOD_PASSWORD),
            ("password_confirm", GOOD_PASSWORD),
        ],
    )
    .await;
    assert_eq!(tried.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one() {
    let app = TestApp::with_demo().await;
    sign_in_citizen(&app).await;
    let refused = post_form(
        &app,
        "/account/password",
        "/account/password",
        &[
            ("current_password", "nope"),
            ("password", GOOD_PASSWORD),
            ("password_confirm", GOOD_PASSWORD),
        ],
    )
    .await;
    assert_eq!(refused.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&refused.text())
            .text("#current_password-error")
            .contains("không đúng")
    );
    let done = post_form(
        &app,
        "/account/password",
        "/account/password",
        &[
            ("current_password", motcua::demo::DEMO_PASSWORD),
            ("password", GOOD_PASSWORD),
            ("password_confirm", GOOD_PASSWORD),
        ],
    )
    .await;
    assert_eq!(location(&done), "/account");
}

#[tokio::test]
async fn the_profile_keeps_contact_details_and_a_current_commune() {
    let app = TestApp::with_demo().await;
    sign_in_citizen(&app).await;
    let page = Page::parse(&app.server.get("/account").await.text());
    let unit = page.attrs("#admin_unit option", "value")[2].clone();
    // a new e-mail address (a sign-in name) needs the current password…
    let without = post_form(
        &app,
        "/account",
        "/account/profile",
        &[
            ("email", "An@Example.vn"),
            ("address_line", "12 Lê Lợi"),
            ("admin_unit", &unit),
        ],
    )
    .await;
    assert_eq!(without.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Page::parse(&without.text());
    assert_eq!(
        page.attrs(".error-summary a", "href"),
        ["#current_password"]
    );
    assert_eq!(page.attr("#email", "value"), "An@Example.vn");
    let saved = post_form(
        &app,
        "/account",
        "/account/profile",
        &[
            ("email", "An@Example.vn"),
            ("current_password", motcua::demo::DEMO_PASSWORD),
            ("address_line", "12 Lê Lợi"),
            ("admin_unit", &unit),
        ],
    )
    .await;
    assert_eq!(location(&saved), "/account/email");
    // …and takes effect only with the code sent to it
    let page = Page::parse(&app.server.get("/account").await.text());
    assert_eq!(page.attr("#email", "value"), "", "not yet");
    let wrong = post_form(
        &app,
        "/account/email",
        "/account/email",
        &[("code", "000000")],
    )
    .await;
    assert_eq!(wrong.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let code = latest_code(&app, "an@example.vn").await;
    let confirmed = post_form(&app, "/account/email", "/account/email", &[("code", &code)]).await;
    assert_eq!(location(&confirmed), "/account");
    let page = Page::parse(&app.server.get("/account").await.text());
    assert_eq!(page.attr("#email", "value"), "an@example.vn");
    assert_eq!(page.attr("#address_line", "value"), "12 Lê Lợi");
    assert_eq!(page.attr("#admin_unit option[selected]", "value"), unit);
    let bad = post_form(
        &app,
        "/account",
        "/account/profile",
        &[
            ("email", "x@"),
            ("address_line", "12 Lê Lợi"),
            ("admin_unit", "not-a-unit"),
        ],
    )
    .await;
    assert_eq!(bad.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Page::parse(&bad.text());
    assert_eq!(
        page.attrs(".error-summary a", "href"),
        ["#email", "#admin_unit"]
    );
    assert_eq!(page.attr("#email", "value"), "x@");
}

#[tokio::test]
async fn the_audit_log_records_sign_ins_and_refuses_changes() {
    let app = TestApp::with_demo().await;
    sign_in_citizen(&app).await;
    post_form(
        &app,
        "/staff/login",
        "/staff/login",
        &[("login", "tiepnhan"), ("password", "wrong")],
    )
    .await;
    let actions: Vec<String> = sqlx::query_scalar("select action from audit_log order by id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(actions, ["citizen.login", "staff.login_failed"]);
    let update = sqlx::query("update audit_log set action = 'x'")
        .execute(&app.db.pool)
        .await;
    assert!(
        update
            .unwrap_err()
            .to_string()
            .contains("permission denied")
    );
    let delete = sqlx::query("delete from audit_log")
        .execute(&app.db.pool)
        .await;
    assert!(
        delete
            .unwrap_err()
            .to_string()
            .contains("permission denied")
    );
    // the owner too is refused, by the trigger
    let owner = app.db.owner_pool().await;
    let update = sqlx::query("update audit_log set action = 'x'")
        .execute(&owner)
        .await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    owner.close().await;
    let details: Vec<serde_json::Value> = sqlx::query_scalar("select details from audit_log")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert!(
        details
            .iter()
            .all(|d| !d.to_string().contains("051090001234")),
        "no ID numbers in the audit log"
    );
}

#[tokio::test]
async fn an_official_sees_who_they_are_and_for_which_agency() {
    let app = TestApp::with_demo().await;
    sign_in_staff(&app, "tiepnhan").await;
    let page = Page::parse(&app.server.get("/staff").await.text());
    assert!(
        page.text(".who-bar")
            .contains("Nguyễn Thị Tiếp — Ủy ban nhân dân phường Cẩm Thành")
    );
    assert!(page.text("tbody").contains("Công chức tiếp nhận"));
}

#[tokio::test]
async fn an_ended_role_stops_working_at_once() {
    let app = TestApp::with_demo().await;
    sign_in_staff(&app, "tiepnhan").await;
    app.server.get("/staff").await.assert_status_ok();
    // transferred: the role ended yesterday
    sqlx::query("update staff_roles set valid_to = current_date where staff_id = (select id from staff_users where username = 'tiepnhan')")
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        app.server.get("/staff").await.status_code(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn an_administrator_creates_an_official_with_a_role() {
    let app = TestApp::with_demo().await;
    sign_in_staff(&app, "quantricoquan").await;
    let form = Page::parse(&app.server.get("/admin/staff/new").await.text());
    let agencies = form.attrs("#agency option", "value");
    assert_eq!(
        agencies.len(),
        1,
        "an agency administrator grants at their own agency only"
    );
    let roles = form.texts("#role option");
    assert!(!roles.contains(&"Quản trị hệ thống".to_owned()));
    let created = post_form(
        &app,
        "/admin/staff/new",
        "/admin/staff/new",
        &[
            ("username", "cv.moi"),
            ("full_name", "Cán Bộ Mới"),
            ("email", ""),
            ("password", GOOD_PASSWORD),
            ("role", "case_officer"),
            ("agency", &agencies[0]),
        ],
    )
    .await;
    assert!(
        location(&created).starts_with("/admin/staff/"),
        "{}",
        created.text()
    );
    let page = Page::parse(&app.server.get(&location(&created)).await.text());
    assert_eq!(page.text("h1"), "Cán Bộ Mới");
    assert!(page.text("tbody").contains("Chuyên viên xử lý"));
    assert!(app.server.get("/admin").await.text().contains("cv.moi"));
    let audit: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'staff.created'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(audit, 1);
}

#[tokio::test]
async fn an_agency_administrator_cannot_reach_officials_of_other_agencies() {
    let app = TestApp::with_demo().await;
    sign_in_staff(&app, "quantricoquan").await;
    let list = Page::parse(&app.server.get("/admin").await.text());
    let names: Vec<String> = list.texts("tbody td:first-child a");
    assert!(names.contains(&"tiepnhan".to_owned()));
    assert!(!names.contains(&"quantri".to_owned()), "{names:?}");
    let outsider: uuid::Uuid =
        sqlx::query_scalar("select id from staff_users where username = 'quantri'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let denied = app.server.get(&format!("/admin/staff/{outsider}")).await;
    assert_eq!(denied.status_code(), StatusCode::FORBIDDEN);
    let insider: uuid::Uuid =
        sqlx::query_scalar("select id from staff_users where username = 'tiepnhan'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let agency = Page::parse(
        &app.server
            .get(&format!("/admin/staff/{insider}"))
            .await
            .text(),
    )
    .attrs("#agency option", "value")[0]
        .clone();
    let grant = post_form(
        &app,
        &format!("/admin/staff/{insider}"),
        &format!("/admin/staff/{insider}/roles"),
        &[
            ("role", "system_admin"),
            ("agency", &agency),
            ("valid_from", ""),
            ("valid_to", ""),
        ],
    )
    .await;
    assert_eq!(
        grant.status_code(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "no system administrators from an agency administrator"
    );
}

#[tokio::test]
async fn reading_pages_does_not_rewrite_the_session_but_keeps_it_alive_each_minute() {
    let app = crate::helpers::TestApp::with_demo().await;
    crate::helpers::session::sign_in_citizen(&app).await;
    let row = || async {
        sqlx::query_as::<_, (serde_json::Value, chrono::DateTime<chrono::Utc>)>(
            "select data, expiry_date from sessions order by expiry_date desc limit 1",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
    };
    // the first page after sign-in creates the form token: one write
    app.server.get("/account").await;
    let before = row().await;
    let idle = before.1 - chrono::Utc::now();
    assert!(
        idle <= chrono::Duration::minutes(30) && idle > chrono::Duration::minutes(29),
        "the idle timeout: {idle}"
    );
    for _ in 0..3 {
        assert_eq!(
            app.server.get("/account").await.status_code(),
            axum::http::StatusCode::OK
        );
    }
    assert_eq!(row().await, before, "GETs within a minute write nothing");
    // a minute and more later, the next request pushes the expiry forward
    sqlx::query(
        "update sessions set data = jsonb_set(data, '{_expiry_pushed_at}', \
           to_jsonb(extract(epoch from now())::bigint - 120)), expiry_date = expiry_date - interval '2 minutes'",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let aged = row().await;
    app.server.get("/account").await;
    let pushed = row().await;
    assert!(pushed.1 > aged.1, "{:?} > {:?}", pushed.1, aged.1);
}

/// A session saved again within half a minute keeps its expiry, so PostgreSQL can rewrite its
/// row in place; a later expiry (the minute's push) or an earlier one is written.
#[tokio::test]
async fn a_session_saved_within_half_a_minute_keeps_its_expiry() {
    use tower_sessions::session::{Id, Record};
    use tower_sessions::session_store::SessionStore;
    let db = crate::helpers::TestDb::new().await;
    let store = motcua::web::session::PgSessionStore::new(db.pool.clone());
    let start = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap()
        + time::Duration::minutes(30);
    let mut record = Record {
        id: Id::default(),
        data: Default::default(),
        expiry_date: start,
    };
    store.create(&mut record).await.unwrap();
    let stored = || async {
        let (data, expiry): (serde_json::Value, chrono::DateTime<chrono::Utc>) =
            sqlx::query_as("select data, expiry_date from sessions where id = $1")
                .bind(record.id.to_string())
                .fetch_one(&db.pool)
                .await
                .unwrap();
        (
            data,
            (expiry - chrono::DateTime::from_timestamp(start.unix_timestamp(), 0).unwrap())
                .num_seconds(),
        )
    };
    record
        .data
        .insert("flash".into(), serde_json::json!("Đã lưu"));
    record.expiry_date = start + time::Duration::seconds(20);
    store.save(&record).await.unwrap();
    let (data, moved) = stored().await;
    assert_eq!(data["flash"], "Đã lưu", "the data are written");
    assert_eq!(moved, 0, "an expiry 20 s later is not");
    record.expiry_date = start + time::Duration::seconds(75);
    store.save(&record).await.unwrap();
    assert_eq!(
        stored().await.1,
        75,
        "an expiry more than half a minute later is"
    );
    record.expiry_date = start - time::Duration::minutes(10);
    store.save(&record).await.unwrap();
    assert_eq!(stored().await.1, -600, "an earlier one too");
}

/// An agency administrator cannot take over an official who stands at or above them, or who
/// also works for another agency, however they once came to hold a role at the
/// administrator's agency: the system administrator, the chairman, another agency
/// administrator, an official seconded elsewhere. Ended roles give no power.
#[tokio::test]
async fn an_agency_administrator_cannot_take_over_a_higher_or_foreign_official() {
    let app = crate::helpers::TestApp::with_demo().await;
    let id = |username: &'static str| {
        let pool = app.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, uuid::Uuid>("select id from staff_users where username = $1")
                .bind(username)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let grant =
        |username: &'static str, role: &'static str, agency_of: &'static str, ended: bool| {
            let pool = app.db.pool.clone();
            async move {
                sqlx::query(
                    "insert into staff_roles (staff_id, role, agency_id, valid_from, valid_to) \
                 select u.id, $2::staff_role, \
                   (select agency_id from staff_roles r join staff_users o on o.id = r.staff_id \
                    where o.username = $3 limit 1), \
                   current_date - 30, case when $4 then current_date - 1 end \
                 from staff_users u where u.username = $1",
                )
                .bind(username)
                .bind(role)
                .bind(agency_of)
                .bind(ended)
                .execute(&pool)
                .await
                .unwrap();
            }
        };
    // The system administrator and the chairman once received at the commune; a case officer
    // of the Department of Justice worked there before; the commune has a second administrator.
    grant("quantri", "reception", "quantricoquan", false).await;
    grant("chutich", "reception", "quantricoquan", true).await;
    grant("phoihop", "case_officer", "quantricoquan", true).await;
    grant("chuyenvien", "agency_admin", "quantricoquan", false).await;
    let admin = crate::helpers::TestApp::over_same(&app);
    crate::helpers::session::sign_in_staff(&admin, "quantricoquan").await;
    let hash = |who: uuid::Uuid| {
        let pool = app.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, String>("select password_hash from staff_users where id = $1")
                .bind(who)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    for username in ["quantri", "chutich", "phoihop", "chuyenvien"] {
        let target = id(username).await;
        let before = hash(target).await;
        let page = admin.server.get(&format!("/admin/staff/{target}")).await;
        assert_eq!(
            page.status_code(),
            StatusCode::FORBIDDEN,
            "{username}'s page"
        );
        for action in ["password", "active"] {
            let refused = post_form(
                &admin,
                "/admin",
                &format!("/admin/staff/{target}/{action}"),
                &[],
            )
            .await;
            assert_eq!(
                refused.status_code(),
                StatusCode::FORBIDDEN,
                "{username}: {action}"
            );
            assert!(!refused.text().contains("MotCua"), "no password shown");
        }
        assert_eq!(
            hash(target).await,
            before,
            "{username}'s password is unchanged"
        );
    }
    let active: Vec<bool> = sqlx::query_scalar(
        "select active from staff_users where username in ('quantri', 'chutich', 'phoihop', 'chuyenvien')",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert!(active.iter().all(|a| *a), "nobody was deactivated");
    // An official of the commune alone is still managed.
    let tiepnhan = id("tiepnhan").await;
    admin
        .server
        .get(&format!("/admin/staff/{tiepnhan}"))
        .await
        .assert_status_ok();
}

/// A session that ended while a request still held it (signed out in another tab, ended by an
/// administrator) is not written back when that request saves it: it never returns.
#[tokio::test]
async fn an_ended_session_never_comes_back() {
    use tower_sessions::session::{Id, Record};
    use tower_sessions::session_store::SessionStore;
    let db = crate::helpers::TestDb::new().await;
    let store = motcua::web::session::PgSessionStore::new(db.pool.clone());
    let mut record = Record {
        id: Id::default(),
        data: Default::default(),
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::minutes(30),
    };
    store.create(&mut record).await.unwrap();
    store.delete(&record.id).await.unwrap();
    record
        .data
        .insert("auth".into(), serde_json::json!({"kind": "staff"}));
    store.save(&record).await.unwrap();
    assert_eq!(store.load(&record.id).await.unwrap(), None);
    let rows: i64 = sqlx::query_scalar("select count(*) from sessions")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(rows, 0, "the ended session was not stored again");
}

#[tokio::test]
async fn an_administrator_resets_deactivates_and_reads_the_audit_log() {
    let app = crate::helpers::TestApp::with_demo().await;
    let target: uuid::Uuid =
        sqlx::query_scalar("select id from staff_users where username = 'tiepnhan'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    // the official is signed in somewhere
    let official = crate::helpers::TestApp::over_same(&app);
    crate::helpers::session::sign_in_staff(&official, "tiepnhan").await;
    let admin = crate::helpers::TestApp::over_same(&app);
    crate::helpers::session::sign_in_staff(&admin, "quantri").await;
    let page = format!("/admin/staff/{target}");
    let shown = Page::parse(&admin.server.get(&page).await.text());
    assert!(shown.has("#logins li"), "the recent sign-in is listed");
    let reset =
        crate::helpers::session::post_form(&admin, &page, &format!("{page}/password"), &[]).await;
    assert_eq!(reset.status_code(), StatusCode::SEE_OTHER);
    let flash = Page::parse(&admin.server.get(&page).await.text()).text(".flash");
    let temporary = flash.rsplit(' ').next().unwrap().to_owned();
    assert_eq!(temporary.len(), 16, "{flash}");
    // the official's session ended; the old password no longer works, the new one does
    assert_eq!(
        official.server.get("/staff/reception").await.status_code(),
        StatusCode::SEE_OTHER
    );
    let old = crate::helpers::session::post_form(
        &official,
        "/staff/login",
        "/staff/login",
        &[
            ("login", "tiepnhan"),
            ("password", motcua::demo::DEMO_PASSWORD),
        ],
    )
    .await;
    assert_ne!(old.status_code(), StatusCode::SEE_OTHER);
    let new = crate::helpers::session::post_form(
        &official,
        "/staff/login",
        "/staff/login",
        &[("login", "tiepnhan"), ("password", &temporary)],
    )
    .await;
    assert_eq!(new.status_code(), StatusCode::SEE_OTHER, "{}", new.text());
    // deactivated: signed out and refused
    let off =
        crate::helpers::session::post_form(&admin, &page, &format!("{page}/active"), &[]).await;
    assert_eq!(off.status_code(), StatusCode::SEE_OTHER);
    assert_eq!(
        official.server.get("/staff/reception").await.status_code(),
        StatusCode::SEE_OTHER
    );
    let refused = crate::helpers::session::post_form(
        &official,
        "/staff/login",
        "/staff/login",
        &[("login", "tiepnhan"), ("password", &temporary)],
    )
    .await;
    assert_ne!(refused.status_code(), StatusCode::SEE_OTHER);
    // the audit log, filtered
    let log = Page::parse(&admin.server.get("/admin/audit?action=staff.").await.text());
    let text = log.text("#audit");
    assert!(text.contains("staff.password_reset"), "{text}");
    assert!(text.contains("staff.deactivated"), "{text}");
    // for system administrators only
    let agency_admin = crate::helpers::TestApp::over_same(&app);
    crate::helpers::session::sign_in_staff(&agency_admin, "quantricoquan").await;
    assert_eq!(
        agency_admin.server.get("/admin/audit").await.status_code(),
        StatusCode::FORBIDDEN
    );
}
