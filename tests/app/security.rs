//! Findings of the security review (OWASP ASVS level 2) that concern no single capability.

use axum::http::StatusCode;

use crate::helpers::TestApp;
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
