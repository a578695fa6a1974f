//! The authorization matrix: every route of `routes::specs()` (so every route the router has),
//! requested by an anonymous visitor, the demo citizen and an official of each role; what each
//! gets must match the written policy below (not the route table it checks), and no answer may
//! be a 500. Object-level access with real objects of each owner is in `objects.rs`. Officials are also tried outside their agency
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
    Staff(&'static str),
}

/// A page of this persona that carries a CSRF token.
fn token_page(persona: Persona) -> &'static str {
    match persona {
        Persona::Anonymous => "/account/login",
        Persona::Citizen => "/account",
        Persona::Staff(..) => "/staff",
    }
}

/// Who may use each route, written from the duties of each kind of user, not read from the
/// route table under test: the two must agree, and a route missing here fails the test.
/// Letters: C the demo citizen; R reception (tiepnhan), O a case officer (chuyenvien), H a
/// division head (lanhdaophong), S the signing authority (lanhdao), P a case officer of another
/// agency (phoihop), M the postal worker (buudien), G the agency administrator
/// (quantricoquan), Y the system administrator (quantri), X the chairman (chutich); `*`
/// everyone, anonymous visitors included (public pages, machines' endpoints that prove
/// themselves by signature, development pages in the test environment).
const POLICY: &[(&str, &str)] = &[
    ("GET /", "*"),
    ("GET /thu-tuc", "*"),
    ("GET /thu-tuc/{code}", "*"),
    ("GET /bieu-mau/{slug}", "*"),
    ("GET /ngon-ngu/{lang}", "*"),
    ("GET /thong-ke", "*"),
    ("GET /api/openapi.json", "*"),
    ("GET /api/v1/statistics", "*"),
    ("GET /api/v1/procedures", "*"),
    ("GET /api/v1/procedures/{code}", "*"),
    ("GET /static/{name}", "*"),
    ("GET /healthz", "*"),
    ("GET /readyz", "*"),
    ("GET /account/register", "*"),
    ("POST /account/register", "*"),
    ("GET /account/register/code", "*"),
    ("POST /account/register/code", "*"),
    ("POST /account/register/code/resend", "*"),
    ("GET /account/login/dvcqg", "*"),
    ("GET /account/login/dvcqg/callback", "*"),
    ("GET /account/login/dvcqg/link", "*"),
    ("POST /account/login/dvcqg/link", "*"),
    ("GET /account/login", "*"),
    ("POST /account/login", "*"),
    ("GET /account/reset", "*"),
    ("POST /account/reset", "*"),
    ("GET /account/reset/code", "*"),
    ("POST /account/reset/code", "*"),
    ("GET /account", "C"),
    ("POST /account/profile", "C"),
    ("GET /account/confirm", "C"),
    ("POST /account/confirm", "C"),
    ("POST /account/confirm/resend", "C"),
    ("GET /account/email", "C"),
    ("POST /account/email", "C"),
    ("GET /account/password", "C"),
    ("POST /account/password", "C"),
    ("POST /account/logout", "C"),
    ("GET /account/notifications", "C"),
    ("GET /thu-tuc/{code}/nop-truc-tuyen", "*"),
    ("POST /account/dossiers", "C"),
    ("GET /account/dossiers", "C"),
    ("GET /account/dossiers/{id}", "C"),
    ("GET /account/dossiers/{id}/applicant", "C"),
    ("POST /account/dossiers/{id}/applicant", "C"),
    ("GET /account/dossiers/{id}/details", "C"),
    ("POST /account/dossiers/{id}/details", "C"),
    ("GET /account/dossiers/{id}/documents", "C"),
    ("POST /account/dossiers/{id}/documents", "C"),
    ("POST /account/dossiers/{id}/documents/reuse", "C"),
    ("POST /account/dossiers/{id}/documents/done", "C"),
    ("POST /account/dossiers/{id}/documents/{file}/delete", "C"),
    ("GET /account/dossiers/{id}/files/{file}", "C"),
    ("GET /account/dossiers/{id}/form-01.pdf", "C"),
    ("GET /account/dossiers/{id}/acknowledgement.pdf", "C"),
    ("GET /account/dossiers/{id}/delivery", "C"),
    ("POST /account/dossiers/{id}/delivery", "C"),
    ("GET /account/dossiers/{id}/check", "C"),
    ("POST /account/dossiers/{id}/submit", "C"),
    ("POST /account/dossiers/{id}/resubmit", "C"),
    ("POST /account/dossiers/{id}/withdraw", "C"),
    ("POST /account/dossiers/{id}/delete", "C"),
    ("GET /account/dossiers/{id}/evaluation", "C"),
    ("POST /account/dossiers/{id}/evaluation", "C"),
    ("GET /danh-gia/{token}", "*"),
    ("GET /danh-gia/quay/{token}", "*"),
    ("POST /danh-gia/quay/{token}", "*"),
    ("POST /danh-gia/{token}", "*"),
    ("GET /phan-anh", "*"),
    ("POST /phan-anh", "*"),
    ("GET /phan-anh/theo-doi", "*"),
    ("POST /phan-anh/theo-doi", "*"),
    ("GET /phan-anh/cong-khai", "*"),
    ("GET /account/feedback", "C"),
    ("GET /account/feedback/{id}", "C"),
    ("POST /account/feedback/{id}", "C"),
    ("POST /account/dossiers/{id}/result-delivery", "C"),
    ("POST /account/dossiers/{id}/stop", "C"),
    ("GET /account/dossiers/{id}/result", "C"),
    ("GET /account/dossiers/{id}/forms/{form}", "C"),
    ("GET /account/dossiers/{id}/payment", "C"),
    ("POST /account/dossiers/{id}/payment", "C"),
    ("GET /account/dossiers/{id}/receipts/{receipt}", "C"),
    ("GET /account/dossiers/{id}/receipts/{receipt}/pdf", "C"),
    ("GET /thanh-toan/ket-qua", "*"),
    ("GET /account/payments/dvcqg/ket-qua", "C"),
    ("POST /api/v1/payments/dvcqg/confirm", "*"),
    (
        "GET /account/dossiers/{id}/payments/{payment}/bien-lai-quoc-gia",
        "C",
    ),
    ("GET /api/v1/payments/vnpay/ipn", "*"),
    ("GET /sandbox/vnpay/paymentv2/vpcpay.html", "*"),
    ("POST /sandbox/vnpay/pay", "*"),
    ("POST /sandbox/vnpay/merchant_webapi/api/transaction", "*"),
    ("GET /tra-cuu", "*"),
    ("GET /huong-dan/{step}", "*"),
    ("POST /tra-cuu", "*"),
    ("POST /api/v1/tracking", "*"),
    ("GET /api/v1/dvcqg/files/{id}", "*"),
    ("POST /api/v1/dvcqg/dossiers", "*"),
    ("GET /staff/login", "*"),
    ("POST /staff/login", "*"),
    ("GET /staff/login/code", "*"),
    ("POST /staff/login/code", "*"),
    ("GET /staff/second-factor", "ROHSPMGYX"),
    ("POST /staff/second-factor", "ROHSPMGYX"),
    ("GET /staff", "ROHSPMGYX"),
    ("POST /staff/logout", "ROHSPMGYX"),
    ("GET /staff/password", "ROHSPMGYX"),
    ("POST /staff/password", "ROHSPMGYX"),
    ("GET /staff/reception", "R"),
    ("GET /staff/reception/new", "R"),
    ("POST /staff/reception/new", "R"),
    ("GET /staff/dossiers/{id}", "ROHSPMGYX"),
    ("GET /staff/dossiers/{id}/files/{file}", "ROHSPMGYX"),
    ("POST /staff/dossiers/{id}/invite-rating", "ROHSP"),
    ("GET /staff/dossiers/{id}/form-01.pdf", "ROHSPMGYX"),
    ("GET /staff/dossiers/{id}/forms/{form}", "ROHSPMGYX"),
    ("POST /staff/dossiers/{id}/act", "ROHSP"),
    ("POST /staff/dossiers/{id}/result", "ROHSP"),
    ("GET /staff/inbox", "ROHSP"),
    ("POST /staff/dossiers/{id}/accept", "R"),
    ("POST /staff/dossiers/{id}/return", "R"),
    ("POST /staff/dossiers/{id}/refuse", "R"),
    ("POST /staff/dossiers/{id}/payments", "R"),
    ("POST /staff/dossiers/{id}/assess", "R"),
    ("POST /staff/dossiers/{id}/refund", "R"),
    (
        "POST /staff/dossiers/{id}/refunds/{refund}/approve",
        "ROHSP",
    ),
    ("GET /staff/dossiers/{id}/receipts/{receipt}", "ROHSPMGYX"),
    (
        "GET /staff/dossiers/{id}/receipts/{receipt}/pdf",
        "ROHSPMGYX",
    ),
    (
        "GET /staff/dossiers/{id}/payments/{payment}/bien-lai-quoc-gia",
        "ROHSPMGYX",
    ),
    ("GET /postal", "M"),
    ("POST /postal/items/{id}", "M"),
    ("POST /postal/manifests/to-unit/{unit}", "M"),
    ("POST /postal/manifests/{id}/confirm", "M"),
    ("GET /postal/manifests/{id}/pdf", "M"),
    ("GET /staff/postal", "R"),
    ("POST /staff/postal/hand-over", "R"),
    ("POST /staff/postal/manifests/{id}/confirm", "R"),
    ("GET /staff/postal/manifests/{id}/pdf", "R"),
    ("POST /api/v1/postal/events", "*"),
    ("GET /admin", "GY"),
    ("POST /admin/staff/{id}/password", "GY"),
    ("POST /admin/staff/{id}/active", "GY"),
    ("GET /admin/agencies", "GY"),
    ("POST /admin/agencies/{office}/served", "Y"),
    ("GET /staff/reports", "HSGYX"),
    ("GET /staff/evaluations", "ROHSPGYX"),
    ("GET /staff/feedback", "RHSGYX"),
    ("GET /staff/feedback/{id}", "RHSGYX"),
    ("POST /staff/feedback/{id}", "RHSGYX"),
    ("GET /staff/feedback/{id}/attachment", "RHSGYX"),
    ("GET /staff/reports.csv", "HSGYX"),
    ("GET /staff/reports.xlsx", "HSGYX"),
    ("GET /staff/reports/register.pdf", "RHSGYX"),
    ("GET /admin/catalogue", "Y"),
    ("POST /admin/catalogue/drafts", "Y"),
    ("GET /admin/catalogue/drafts/{id}", "Y"),
    ("POST /admin/catalogue/drafts/{id}", "Y"),
    ("GET /admin/catalogue/drafts/{id}/preview", "Y"),
    ("POST /admin/catalogue/drafts/{id}/publish", "Y"),
    ("POST /admin/catalogue/drafts/{id}/discard", "Y"),
    ("POST /admin/agencies/reorganise", "Y"),
    ("GET /admin/audit", "Y"),
    ("GET /admin/messages", "Y"),
    ("GET /admin/dvcqg", "Y"),
    ("POST /admin/dvcqg/{id}/resend", "Y"),
    ("POST /admin/dvcqg/intake/{id}/retry", "Y"),
    ("POST /admin/messages/{id}/resend", "Y"),
    ("GET /admin/messages/templates", "Y"),
    ("GET /admin/messages/templates/{kind}/{lang}", "Y"),
    ("POST /admin/messages/templates/{kind}/{lang}", "Y"),
    ("GET /admin/calendar", "GY"),
    ("POST /admin/calendar/days", "Y"),
    ("POST /admin/calendar/days/{day}/delete", "Y"),
    ("POST /admin/calendar/hours", "GY"),
    ("GET /admin/procedures", "GY"),
    ("GET /admin/procedures/{code}/propose", "GY"),
    ("POST /admin/procedures/{code}/propose", "GY"),
    ("GET /staff/approvals", "XYG"),
    ("POST /staff/approvals/{id}", "X"),
    ("GET /admin/payments", "Y"),
    ("GET /admin/payments/gateways", "Y"),
    ("POST /admin/payments/gateways", "Y"),
    ("GET /admin/staff/new", "GY"),
    ("POST /admin/staff/new", "GY"),
    ("GET /admin/staff/{id}", "GY"),
    ("POST /admin/staff/{id}/roles", "GY"),
    ("POST /admin/staff/{id}/roles/{grant}/end", "GY"),
    ("GET /dev/outbox", "*"),
];

/// The persona's letter in [`POLICY`].
fn letter(persona: Persona) -> char {
    match persona {
        Persona::Anonymous => 'A',
        Persona::Citizen => 'C',
        Persona::Staff(username) => match username {
            "tiepnhan" => 'R',
            "chuyenvien" => 'O',
            "lanhdaophong" => 'H',
            "lanhdao" => 'S',
            "phoihop" => 'P',
            "buudien" => 'M',
            "quantricoquan" => 'G',
            "quantri" => 'Y',
            "chutich" => 'X',
            other => panic!("{other}: give the persona a letter"),
        },
    }
}

/// The written policy's word on `method path`: who may use it.
fn policy(method: &Method, path: &str) -> Option<&'static str> {
    let key = format!("{method} {path}");
    POLICY.iter().find(|(k, _)| *k == key).map(|(_, who)| *who)
}

/// What the persona should get, by the written policy.
fn allowed(persona: Persona, who: &str) -> bool {
    who == "*" || who.contains(letter(persona))
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
        .replace("{step}", "documents")
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
    for (username, _, _, _) in motcua::demo::DEMO_STAFF {
        personas.push(Persona::Staff(username));
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
            Persona::Staff(username) => sign_in_staff(&app, username).await,
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
            // every page a persona sees: no id twice, no label for a missing field
            let html = response
                .maybe_header(axum::http::header::CONTENT_TYPE)
                .is_some_and(|t| t.to_str().unwrap_or_default().starts_with("text/html"));
            if spec.method == Method::GET && status == StatusCode::OK && html {
                let faults = crate::helpers::html::Page::parse(&response.text()).id_faults();
                if !faults.is_empty() {
                    failures.push(format!("{persona:?} GET {path}: {}", faults.join(", ")));
                }
            }
            let to = location(&response);
            let sent_to_login = status == StatusCode::SEE_OTHER
                && (to.starts_with("/account/login?") || to.starts_with("/staff/login?"));
            let denied = status == StatusCode::FORBIDDEN || sent_to_login;
            let Some(who) = policy(&spec.method, spec.path) else {
                failures.push(format!(
                    "{} {}: not in the written policy",
                    spec.method, spec.path
                ));
                continue;
            };
            let expected_allowed = allowed(persona, who);
            if status.is_server_error() {
                failures.push(format!("{persona:?} {} {path}: {status}", spec.method));
            }
            if expected_allowed == denied {
                failures.push(format!("{persona:?} {} {path}: {status} {to}", spec.method));
            }
            if !expected_allowed && matches!(persona, Persona::Anonymous) {
                let login = if who == "C" {
                    "/account/login?"
                } else {
                    "/staff/login?"
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
