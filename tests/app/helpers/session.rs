//! Signing in and posting forms as a browser would: with the session cookie and its CSRF token.

use axum::http::{StatusCode, header};
use axum_test::TestResponse;

use super::TestApp;
use super::html::Page;

/// The CSRF token of the page at `path` (in this client's session).
pub async fn csrf(app: &TestApp, path: &str) -> String {
    let page = Page::parse(&app.server.get(path).await.text());
    page.attr("input[name=csrf]", "value")
}

/// Posts `fields` as a form, with the CSRF token of the session taken from `form_page`.
pub async fn post_form(
    app: &TestApp,
    form_page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> TestResponse {
    let token = csrf(app, form_page).await;
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    all.push(("csrf", &token));
    app.server.post(action).form(&all).await
}

/// Signs the demo citizen in (0912 345 678).
pub async fn sign_in_citizen(app: &TestApp) {
    let response = post_form(
        app,
        "/account/login",
        "/account/login",
        &[
            ("login", "0912345678"),
            ("password", motcua::demo::DEMO_PASSWORD),
        ],
    )
    .await;
    assert_eq!(
        response.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        response.text()
    );
}

/// Signs a demo official in.
pub async fn sign_in_staff(app: &TestApp, username: &str) {
    let response = post_form(
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
        response.status_code(),
        StatusCode::SEE_OTHER,
        "{username}: {}",
        response.text()
    );
}

/// Where a 303 goes.
pub fn location(response: &TestResponse) -> String {
    response
        .maybe_header(header::LOCATION)
        .and_then(|v| v.to_str().ok().map(str::to_owned))
        .unwrap_or_default()
}

/// The latest one-time code sent to `recipient`.
pub async fn latest_code(app: &TestApp, recipient: &str) -> String {
    let body: String = sqlx::query_scalar(
        "select body from outbound_messages where recipient = $1 order by created_at desc limit 1",
    )
    .bind(recipient)
    .fetch_one(&app.db.pool)
    .await
    .expect("a message was queued");
    body.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .expect("a six-digit code")
        .to_owned()
}
