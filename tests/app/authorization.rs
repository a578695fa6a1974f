//! The authorization matrix: every route of `routes::specs()` (so every route the router has),
//! requested by an anonymous visitor, the demo citizen and an official of each role; what each
//! gets must match the route's declared access. Officials are also tried outside their agency
//! in `accounts.rs`.

use axum::http::{Method, StatusCode};
use motcua::accounts::Access;
use motcua::accounts::domain::StaffRole;

use crate::helpers::TestApp;
use crate::helpers::session::{csrf, location, sign_in_citizen, sign_in_staff};

#[derive(Debug, Clone, Copy)]
enum Persona {
    Anonymous,
    Citizen,
    Staff(&'static str, StaffRole),
}

/// A page of this persona that carries a CSRF token.
fn token_page(persona: Persona) -> &'static str {
    match persona {
        Persona::Anonymous => "/account/login",
        Persona::Citizen => "/account",
        Persona::Staff(..) => "/staff",
    }
}

/// What the persona should get on a route with this access.
fn allowed(persona: Persona, access: Access) -> bool {
    match (access, persona) {
        (Access::Public | Access::Development | Access::Signed | Access::Api, _) => true,
        (Access::Citizen, Persona::Citizen) => true,
        (Access::Staff(roles), Persona::Staff(_, role)) => {
            roles.is_empty() || roles.contains(&role)
        }
        _ => false,
    }
}

async fn fill(app: &TestApp, path: &str) -> String {
    let target: uuid::Uuid =
        sqlx::query_scalar("select id from staff_users where username = 'matrix.target'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let grant: uuid::Uuid = sqlx::query_scalar("select id from staff_roles where staff_id = $1")
        .bind(target)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    path.replace("{code}", "1.001193")
        .replace("{slug}", "to-khai-dang-ky-khai-sinh")
        .replace("{lang}", "vi")
        .replace("{kind}", "accepted")
        .replace("{name}", "app.css")
        .replace("{id}", &target.to_string())
        .replace("{grant}", &grant.to_string())
        .replace("{file}", &uuid::Uuid::nil().to_string())
}

/// Public entrances inside the account and staff URL spaces.
const ENTRANCES: &[&str] = &[
    "/account/register",
    // the code sent at registration (the session says for which phone)
    "/account/register/code",
    "/account/register/code/resend",
    "/account/login",
    // sign-in with the national account: the way there, the way back, the one-time link
    "/account/login/dvcqg",
    "/account/login/dvcqg/callback",
    "/account/login/dvcqg/link",
    "/account/reset",
    "/account/reset/code",
    "/staff/login",
    // the second factor's code, after the password (the session waits for it)
    "/staff/login/code",
];

/// The URL spaces of the portal: what a route's declared access must be, whoever declared it.
fn access_fits_its_url_space(path: &str, access: Access) -> bool {
    if ENTRANCES.contains(&path) {
        return access == Access::Public;
    }
    if path == "/admin" || path.starts_with("/admin/") {
        return matches!(access, Access::Staff(roles)
            if !roles.is_empty() && roles.iter().all(|r| matches!(r, StaffRole::AgencyAdmin | StaffRole::SystemAdmin)));
    }
    if path == "/staff" || path.starts_with("/staff/") {
        return matches!(access, Access::Staff(_));
    }
    if path == "/account" || path.starts_with("/account/") {
        return access == Access::Citizen;
    }
    if path.starts_with("/dev/") {
        return access == Access::Development;
    }
    // the payment sandbox: development only; its API proves itself by signature
    if path.starts_with("/sandbox/") {
        return matches!(access, Access::Development | Access::Signed);
    }
    if path == "/postal" || path.starts_with("/postal/") {
        return matches!(access, Access::Staff(_));
    }
    // machines' endpoints prove themselves by signature
    if path.starts_with("/api/") && matches!(access, Access::Signed | Access::Api) {
        return true;
    }
    access == Access::Public
}

#[test]
fn every_route_is_declared_as_its_url_space_requires() {
    let wrong: Vec<String> = motcua::routes::specs()
        .iter()
        .filter(|s| !access_fits_its_url_space(s.path, s.access))
        .map(|s| format!("{} {} declared {:?}", s.method, s.path, s.access))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn every_route_answers_each_persona_as_its_access_says() {
    let app_for_setup = TestApp::with_demo().await;
    // an official for the administration routes to act on, at the agency administrator's agency
    sqlx::query(
        "with s as (insert into staff_users (username, full_name, password_hash) \
           values ('matrix.target', 'Đích Thử', 'x') returning id) \
         insert into staff_roles (staff_id, role, agency_id, valid_from) \
         select s.id, 'reception', a.id, date '2025-07-01' from s, agencies a where a.slug = 'ubnd-phuong-cam-thanh'",
    )
    .execute(&app_for_setup.db.pool)
    .await
    .unwrap();
    let db = app_for_setup.db;
    let mut app = TestApp::over(db);

    let mut personas = vec![Persona::Anonymous, Persona::Citizen];
    for (username, _, role, _) in motcua::demo::DEMO_STAFF {
        personas.push(Persona::Staff(username, *role));
    }
    let mut specs = motcua::routes::specs();
    // signing out last, so that the persona stays signed in for the rest
    specs.sort_by_key(|s| s.path.contains("logout"));
    assert!(
        specs.len() >= 30,
        "the matrix sees the whole router: {}",
        specs.len()
    );

    let mut failures = Vec::new();
    for persona in personas {
        match persona {
            Persona::Anonymous => {}
            Persona::Citizen => sign_in_citizen(&app).await,
            Persona::Staff(username, _) => sign_in_staff(&app, username).await,
        }
        for spec in &specs {
            let path = fill(&app, spec.path).await;
            let response = if spec.method == Method::GET {
                // the gateway's IPN answers only its allowed addresses (the sandbox's here)
                app.server
                    .get(&path)
                    .add_header("x-real-ip", "127.0.0.1")
                    .await
            } else {
                // after a sign-out the persona is anonymous: take the token where it can
                let page =
                    if app.server.get(token_page(persona)).await.status_code() == StatusCode::OK {
                        token_page(persona)
                    } else {
                        "/account/login"
                    };
                let token = csrf(&app, page).await;
                app.server
                    .post(&path)
                    .form(&[("csrf", token.as_str())])
                    .await
            };
            let status = response.status_code();
            let to = location(&response);
            let sent_to_login = status == StatusCode::SEE_OTHER
                && (to.starts_with("/account/login?") || to.starts_with("/staff/login?"));
            let denied = status == StatusCode::FORBIDDEN || sent_to_login;
            let expected_allowed = allowed(persona, spec.access);
            if expected_allowed == denied {
                failures.push(format!("{persona:?} {} {path}: {status} {to}", spec.method));
            }
            if !expected_allowed && matches!(persona, Persona::Anonymous) {
                let login = match spec.access {
                    Access::Citizen => "/account/login?",
                    _ => "/staff/login?",
                };
                if !(status == StatusCode::SEE_OTHER && to.starts_with(login)) {
                    failures.push(format!(
                        "anonymous {} {path} not sent to {login}: {status} {to}",
                        spec.method
                    ));
                }
            }
        }
        // whatever the last route did, start the next persona signed out
        app.server.clear_cookies();
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
