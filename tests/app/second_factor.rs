//! Officials' second factor: a role that requires it enrols before any page (the QR code's key,
//! the first code, ten recovery codes shown once); from then on the password alone signs no
//! one in; a code is good once, a recovery code once; wrong codes are throttled; roles that do
//! not require it are not held up.

use axum::http::StatusCode;
use motcua::accounts::second_factor::{STEP, code_at};

use crate::helpers::html::Page;
use crate::helpers::session::{location, post_form};
use crate::helpers::{TestApp, TestDb};

/// The demo with the production rule: administrators and the chairman need a second factor.
async fn app() -> TestApp {
    let db = TestDb::new().await;
    crate::helpers::load_demo(&db.pool).await;
    TestApp::configured(db, |s| {
        s.second_factor_roles = ["system_admin", "agency_admin", "chairman"]
            .map(str::to_owned)
            .to_vec();
    })
}

fn now() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp()).unwrap()
}

async fn password(app: &TestApp, username: &str) -> String {
    let answer = post_form(
        app,
        "/staff/login",
        "/staff/login",
        &[
            ("login", username),
            ("password", motcua::demo::DEMO_PASSWORD),
        ],
    )
    .await;
    assert_eq!(
        answer.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        answer.text()
    );
    location(&answer)
}

/// Enrols the signed-in official; returns the secret, the recovery codes and the instant of
/// the code that confirmed it.
async fn enrol(app: &TestApp) -> (Vec<u8>, Vec<String>, u64) {
    let page = Page::parse(&app.server.get("/staff/second-factor").await.text());
    let key = page.text("#secret").replace(' ', "");
    assert!(page.has(".qr svg"), "the QR code is shown");
    let secret = totp_rs::Secret::Encoded(key).to_bytes().unwrap();
    let at = now();
    let confirmed = post_form(
        app,
        "/staff/second-factor",
        "/staff/second-factor",
        &[("code", &code_at(&secret, at))],
    )
    .await;
    assert_eq!(
        confirmed.status_code(),
        StatusCode::OK,
        "{}",
        confirmed.text()
    );
    let codes = Page::parse(&confirmed.text()).texts("#recovery-codes li");
    (secret, codes, at)
}

#[tokio::test]
async fn an_administrator_enrols_first_then_needs_the_code_every_time() {
    let app = app().await;
    assert_eq!(password(&app, "quantri").await, "/staff");
    // every page leads to the enrolment first
    let held = app.server.get("/admin").await;
    assert_eq!(location(&held), "/staff/second-factor");
    let page = Page::parse(&app.server.get("/staff/second-factor").await.text());
    assert!(
        page.text("#required")
            .contains("phải dùng xác thực hai lớp")
    );
    // a wrong first code: told so on the same page
    let wrong = post_form(
        &app,
        "/staff/second-factor",
        "/staff/second-factor",
        &[("code", "000000")],
    )
    .await;
    assert_eq!(wrong.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&wrong.text())
            .text(".error-summary")
            .contains("Mã không đúng")
    );
    let (secret, codes, at) = enrol(&app).await;
    assert_eq!(codes.len(), 10);
    assert_eq!(app.server.get("/admin").await.status_code(), StatusCode::OK);
    let stored: (Vec<u8>, String) = sqlx::query_as(
        "select f.secret_sealed, (select code_sha256 from staff_recovery_codes limit 1) \
         from staff_second_factors f",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(
        !stored
            .0
            .windows(secret.len())
            .any(|w| w == secret.as_slice()),
        "the secret is not kept in clear"
    );
    assert!(
        codes.iter().all(|c| !c.contains(&stored.1)),
        "nor the codes"
    );

    // signing in again: the password alone signs no one in
    let again = TestApp::over_same(&app);
    assert_eq!(password(&again, "quantri").await, "/staff/login/code");
    let not_yet = again.server.get("/admin").await;
    assert!(
        location(&not_yet).starts_with("/staff/login"),
        "{}",
        location(&not_yet)
    );
    // the code just used for enrolment is not good twice
    let used = post_form(
        &again,
        "/staff/login/code",
        "/staff/login/code",
        &[("code", &code_at(&secret, at))],
    )
    .await;
    assert_eq!(used.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    // the next step's code (the app a little ahead) is
    let next = post_form(
        &again,
        "/staff/login/code",
        "/staff/login/code",
        &[("code", &code_at(&secret, at + STEP))],
    )
    .await;
    assert_eq!(location(&next), "/staff", "{}", next.text());
    assert_eq!(
        again.server.get("/admin").await.status_code(),
        StatusCode::OK
    );

    // without the phone: a recovery code, once
    let third = TestApp::over_same(&app);
    password(&third, "quantri").await;
    let recovered = post_form(
        &third,
        "/staff/login/code",
        "/staff/login/code",
        &[("code", &codes[0].to_lowercase())],
    )
    .await;
    assert_eq!(location(&recovered), "/staff");
    let fourth = TestApp::over_same(&app);
    password(&fourth, "quantri").await;
    let reused = post_form(
        &fourth,
        "/staff/login/code",
        "/staff/login/code",
        &[("code", &codes[0])],
    )
    .await;
    assert_eq!(reused.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let left = Page::parse(&third.server.get("/staff/second-factor").await.text());
    assert_eq!(left.text("#recovery-left"), "9");
}

#[tokio::test]
async fn guessing_codes_is_throttled_and_other_roles_are_not_held_up() {
    let app = app().await;
    password(&app, "quantri").await;
    enrol(&app).await;
    let guesser = TestApp::over_same(&app);
    password(&guesser, "quantri").await;
    let mut last = StatusCode::OK;
    for n in 0..12 {
        let answer = post_form(
            &guesser,
            "/staff/login/code",
            "/staff/login/code",
            &[("code", &format!("{:06}", 100_000 + n))],
        )
        .await;
        last = answer.status_code();
        if last == StatusCode::TOO_MANY_REQUESTS {
            break;
        }
    }
    assert_eq!(
        last,
        StatusCode::TOO_MANY_REQUESTS,
        "wrong codes are throttled"
    );
    // a reception official is not required to enrol
    let desk = TestApp::over_same(&app);
    assert_eq!(password(&desk, "tiepnhan").await, "/staff");
    assert_eq!(
        desk.server.get("/staff/reception").await.status_code(),
        StatusCode::OK
    );
    // a code page without a password first leads back to the sign-in
    let stranger = TestApp::over_same(&app);
    assert_eq!(
        location(&stranger.server.get("/staff/login/code").await),
        "/staff/login"
    );
}
