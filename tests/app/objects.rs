//! Object-level authorization, with real objects of each owner (issue 23): every route that
//! names a citizen's object is tried by another citizen on the demo citizen's real dossier,
//! file, feedback, payment and receipt, and every route that names a dossier in the back office by officials of
//! another agency, by an official whose role has ended, and by a co-operating agency before and
//! after its step. What each persona must get is written here, per route family, not read from
//! the route table; a route the policy does not name fails the test, so a new one must be
//! placed. A 500 is a failure, and a refused request must leak nothing of the object.

use axum::http::{Method, StatusCode};
use uuid::Uuid;

use crate::helpers::session::{csrf, location, post_form, sign_in_staff};
use crate::helpers::{TestApp, official};

/// What a persona who is not entitled to the object must get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    /// 404: the object is not theirs to know of
    NotFound,
    /// 403: the role may not use the route at all
    Forbidden,
}

/// The written policy for routes that name a citizen's object: another citizen gets 404 on
/// every one of them (never 403, which would confirm the object exists).
const CITIZEN_OBJECT_ROUTES: &[&str] = &[
    "/account/dossiers/{id}",
    "/account/dossiers/{id}/applicant",
    "/account/dossiers/{id}/details",
    "/account/dossiers/{id}/documents",
    "/account/dossiers/{id}/documents/reuse",
    "/account/dossiers/{id}/documents/done",
    "/account/dossiers/{id}/documents/{file}/delete",
    "/account/dossiers/{id}/files/{file}",
    "/account/dossiers/{id}/form-01.pdf",
    "/account/dossiers/{id}/acknowledgement.pdf",
    "/account/dossiers/{id}/delivery",
    "/account/dossiers/{id}/check",
    "/account/dossiers/{id}/submit",
    "/account/dossiers/{id}/resubmit",
    "/account/dossiers/{id}/withdraw",
    "/account/dossiers/{id}/delete",
    "/account/dossiers/{id}/evaluation",
    "/account/dossiers/{id}/result-delivery",
    "/account/dossiers/{id}/stop",
    "/account/dossiers/{id}/result",
    "/account/dossiers/{id}/forms/{form}",
    "/account/dossiers/{id}/payment",
    "/account/dossiers/{id}/receipts/{receipt}",
    "/account/dossiers/{id}/receipts/{receipt}/pdf",
    "/account/dossiers/{id}/payments/{payment}/bien-lai-quoc-gia",
    "/account/feedback/{id}",
];

/// The written policy for routes that name a dossier in the back office: an official of an
/// agency with no part in the dossier gets 404; an official whose every role has ended gets
/// 403 (no staff route at all).
const STAFF_DOSSIER_ROUTES: &[&str] = &[
    "/staff/dossiers/{id}",
    "/staff/dossiers/{id}/files/{file}",
    "/staff/dossiers/{id}/invite-rating",
    "/staff/dossiers/{id}/form-01.pdf",
    "/staff/dossiers/{id}/forms/{form}",
    "/staff/dossiers/{id}/act",
    "/staff/dossiers/{id}/result",
    "/staff/dossiers/{id}/accept",
    "/staff/dossiers/{id}/return",
    "/staff/dossiers/{id}/refuse",
    "/staff/dossiers/{id}/payments",
    "/staff/dossiers/{id}/assess",
    "/staff/dossiers/{id}/refund",
    "/staff/dossiers/{id}/refunds/{refund}/approve",
    "/staff/dossiers/{id}/receipts/{receipt}",
    "/staff/dossiers/{id}/receipts/{receipt}/pdf",
    "/staff/dossiers/{id}/payments/{payment}/bien-lai-quoc-gia",
];

/// The demo citizen's objects the others try.
struct Objects {
    draft: Uuid,
    file: Uuid,
    submitted: Uuid,
    feedback: Uuid,
    /// a dossier the owner paid for online, its payment and receipt
    paid: Uuid,
    payment: Uuid,
    receipt: Uuid,
}

const SUBMITTED: &str = "000.00.00.H48-251126-0006";
const COOPERATING: &str = "000.00.00.H48-251105-0011";

/// The demo citizen's dossier waiting for its fee (paid in `objects`).
const AWAITING: &str = "000.00.00.H48-251101-0008";

/// `path` naming the dossier `id` and the owner's real file, payment and receipt (a refund,
/// which no dossier here has, by an id that names nothing).
fn fill(path: &str, id: Uuid, o: &Objects) -> String {
    path.replace("{id}", &id.to_string())
        .replace("{file}", &o.file.to_string())
        .replace("{form}", "01.pdf")
        .replace("{receipt}", &o.receipt.to_string())
        .replace("{payment}", &o.payment.to_string())
        .replace("{refund}", &Uuid::new_v4().to_string())
}

/// Requests `path` with `method` as `who` (a POST with the session's token).
async fn request(
    who: &TestApp,
    method: &Method,
    path: &str,
    token_page: &str,
) -> (StatusCode, String, String) {
    let response = if *method == Method::GET {
        who.server.get(path).await
    } else if path.ends_with("/documents") || path.ends_with("/result") {
        // uploads: multipart, the token its first field, a file as the owner would send
        let token = csrf(who, token_page).await;
        let form = axum_test::multipart::MultipartForm::new()
            .add_text("csrf", token)
            .add_part(
                "file",
                axum_test::multipart::Part::bytes(b"%PDF-1.4\n%%EOF\n".to_vec())
                    .file_name("x.pdf")
                    .mime_type("application/pdf"),
            );
        who.server.post(path).multipart(form).await
    } else {
        let token = csrf(who, token_page).await;
        let mut fields = vec![("csrf", token.as_str())];
        if path.ends_with("/act") {
            // what the dossier page's own form sends: the step it shows, the action taken
            fields.extend([("expected", "Submitted"), ("action", "accept")]);
        }
        who.server.post(path).form(&fields).await
    };
    let location = location(&response);
    (response.status_code(), location, response.text())
}

/// The body of a refusal must not name the object: the owner, the code, a file's bytes.
fn leaks(body: &str, code: &str) -> Option<&'static str> {
    if body.contains("Nguyễn Văn An") {
        Some("the owner's name")
    } else if !code.is_empty() && body.contains(code) {
        Some("the dossier's code")
    } else if body.contains("%PDF") {
        Some("a file's bytes")
    } else {
        None
    }
}

async fn objects(app: &TestApp) -> Objects {
    let draft = crate::submission::start(app, "1.001193").await;
    let uploaded = crate::submission::upload(
        app,
        &draft,
        "1",
        "giay-chung-sinh.pdf",
        b"%PDF-1.4\n%%EOF\n",
    )
    .await;
    assert_eq!(
        uploaded.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        uploaded.text()
    );
    let draft = crate::helpers::dossier_id(&draft);
    let id = |code: &'static str| async move {
        sqlx::query_scalar::<_, Uuid>("select id from dossiers where code = $1")
            .bind(code)
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
    };
    let submitted = id(SUBMITTED).await;
    let file: Uuid = sqlx::query_scalar("select id from dossier_files where dossier_id = $1")
        .bind(draft)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    // a feedback of the demo citizen's, signed in
    let token = csrf(app, "/phan-anh").await;
    let agency: Uuid =
        sqlx::query_scalar("select id from agencies where slug = 'ubnd-phuong-cam-thanh'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let form = axum_test::multipart::MultipartForm::new()
        .add_text("csrf", token)
        .add_text("category", "procedure")
        .add_text("agency", agency.to_string())
        .add_text("name", "Nguyễn Văn An")
        .add_text("body", "Thủ tục ghi thiếu thành phần hồ sơ.");
    let sent = app.server.post("/phan-anh").multipart(form).await;
    assert_eq!(sent.status_code(), StatusCode::OK, "{}", sent.text());
    let feedback: Uuid = sqlx::query_scalar("select id from feedback")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    // a fee paid online: a payment and the agency's receipt
    let paid = id(AWAITING).await;
    let link = crate::payments::start_payment(app, paid).await;
    crate::payments::bank(app, &link, "success", "normal").await;
    assert_eq!(crate::payments::deliver(app).await, 1);
    let (payment, receipt): (Uuid, Uuid) = sqlx::query_as(
        "select p.id, r.id from payments p join receipts r on r.payment_id = p.id \
         where p.dossier_id = $1",
    )
    .bind(paid)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let own = app
        .server
        .get(&format!("/account/dossiers/{paid}/receipts/{receipt}"))
        .await;
    assert_eq!(own.status_code(), StatusCode::OK, "the owner reads it");
    Objects {
        draft,
        file,
        submitted,
        feedback,
        paid,
        payment,
        receipt,
    }
}

#[tokio::test]
async fn another_citizen_finds_none_of_a_citizens_objects() {
    let app = TestApp::with_demo().await;
    let o = objects(&app).await;
    let other = crate::submission::another_citizen(&app).await;
    // every route of the router that names a citizen's object is in the written policy
    let named: Vec<String> = motcua::routes::specs()
        .iter()
        .filter(|s| s.path.starts_with("/account/") && s.path.contains('{'))
        .map(|s| s.path.to_owned())
        .collect();
    for path in &named {
        assert!(
            CITIZEN_OBJECT_ROUTES.contains(&path.as_str()),
            "{path}: place it in the written policy"
        );
    }
    let mut failures = Vec::new();
    for spec in motcua::routes::specs()
        .iter()
        .filter(|s| CITIZEN_OBJECT_ROUTES.contains(&s.path))
    {
        // each object of the owner the route can name: the draft (with its file), the
        // submitted dossier, the feedback
        let targets: Vec<(Uuid, &str)> = if spec.path.starts_with("/account/feedback/") {
            vec![(o.feedback, "")]
        } else if spec.path.contains("{receipt}") || spec.path.contains("{payment}") {
            vec![(o.paid, AWAITING)]
        } else {
            vec![(o.draft, ""), (o.submitted, SUBMITTED), (o.paid, AWAITING)]
        };
        for (id, code) in targets {
            let path = fill(spec.path, id, &o);
            let (status, to, body) = request(&other, &spec.method, &path, "/account").await;
            if status != StatusCode::NOT_FOUND {
                failures.push(format!(
                    "{} {path}: {status} {to} (policy: {:?})",
                    spec.method,
                    Refusal::NotFound
                ));
            } else if let Some(what) = leaks(&body, code) {
                failures.push(format!("{} {path}: the refusal shows {what}", spec.method));
            }
        }
    }
    // the owner's objects are untouched by all that
    let (kept, files): (i64, i64) = sqlx::query_as(
        "select (select count(*) from dossiers where id = $1), \
           (select count(*) from dossier_files where dossier_id = $1)",
    )
    .bind(o.draft)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!((kept, files), (1, 1));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn officials_without_a_part_in_a_dossier_find_nothing_of_it() {
    let app = TestApp::with_demo().await;
    let o = objects(&app).await;
    // an official of every back-office role at another commune, and one whose roles ended
    sqlx::query(
        "with s as (insert into staff_users (username, full_name, password_hash) \
           select u.name, 'Cán bộ ' || u.name, c.password_hash \
           from (values ('khac.tiepnhan'), ('khac.lanhdao'), ('het.han')) u(name), \
                (select password_hash from staff_users where username = 'tiepnhan') c \
           returning id, username) \
         insert into staff_roles (staff_id, role, agency_id, valid_from, valid_to) \
         select s.id, r.role::staff_role, a.id, date '2025-07-01', r.until \
         from s join (values ('khac.tiepnhan', 'reception', null::date), \
                             ('khac.lanhdao', 'division_head', null), \
                             ('khac.lanhdao', 'signing_authority', null), \
                             ('het.han', 'reception', date '2025-08-01')) r(username, role, until) \
           on r.username = s.username \
         join agencies a on a.slug = case when s.username = 'het.han' \
           then 'ubnd-phuong-cam-thanh' else 'ubnd-xa-ba-xa' end",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let named: Vec<String> = motcua::routes::specs()
        .iter()
        .filter(|s| s.path.starts_with("/staff/dossiers/{id}"))
        .map(|s| s.path.to_owned())
        .collect();
    for path in &named {
        assert!(
            STAFF_DOSSIER_ROUTES.contains(&path.as_str()),
            "{path}: place it in the written policy"
        );
    }
    let mut failures = Vec::new();
    let personas: [(&str, Refusal); 3] = [
        ("khac.tiepnhan", Refusal::NotFound),
        ("khac.lanhdao", Refusal::NotFound),
        ("het.han", Refusal::Forbidden),
    ];
    for (username, expected) in personas {
        let who = TestApp::over_same(&app);
        if expected == Refusal::Forbidden {
            // the sign-in itself works; no page does
            let signed = post_form(
                &who,
                "/staff/login",
                "/staff/login",
                &[
                    ("login", username),
                    ("password", motcua::demo::DEMO_PASSWORD),
                ],
            )
            .await;
            assert_eq!(signed.status_code(), StatusCode::SEE_OTHER, "{username}");
        } else {
            sign_in_staff(&who, username).await;
        }
        for spec in motcua::routes::specs()
            .iter()
            .filter(|s| STAFF_DOSSIER_ROUTES.contains(&s.path))
        {
            // the payment's routes name the paid dossier, with its real payment and receipt
            let (target, code) =
                if spec.path.contains("{receipt}") || spec.path.contains("{payment}") {
                    (o.paid, AWAITING)
                } else {
                    (o.submitted, SUBMITTED)
                };
            let path = fill(spec.path, target, &o);
            let token_page = if expected == Refusal::Forbidden {
                "/staff/login"
            } else {
                "/staff"
            };
            let (status, to, body) = request(&who, &spec.method, &path, token_page).await;
            // a role outside the route's roles is refused by the guard (403) before the
            // object is looked at; that leaks nothing either
            let ok = match expected {
                Refusal::NotFound => {
                    status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN
                }
                Refusal::Forbidden => status == StatusCode::FORBIDDEN,
            };
            if !ok || status.is_server_error() {
                failures.push(format!(
                    "{username} {} {path}: {status} {to} (policy: {expected:?})",
                    spec.method
                ));
            } else if let Some(what) = leaks(&body, code) {
                failures.push(format!(
                    "{username} {} {path}: the refusal shows {what}",
                    spec.method
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A co-operating agency reads the dossier while its step is open, and no longer once it has
/// answered.
#[tokio::test]
async fn a_cooperating_agency_reads_a_dossier_only_while_its_step_is_open() {
    let app = TestApp::with_demo().await;
    let id: Uuid = sqlx::query_scalar("select id from dossiers where code = $1")
        .bind(COOPERATING)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let partner = official(&app, "phoihop").await;
    let page = format!("/staff/dossiers/{id}");
    let open = partner.server.get(&page).await;
    assert_eq!(open.status_code(), StatusCode::OK, "during its step");
    // its step closed (the dossier back with the deciding agency)
    sqlx::query(
        "update dossiers set status = 'processing', step = 'appraisal', cooperating_agency_id = null, \
           cooperation_due_at = null where id = $1",
    )
    .bind(id)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let after = partner.server.get(&page).await;
    assert!(
        matches!(
            after.status_code(),
            StatusCode::NOT_FOUND | StatusCode::FORBIDDEN
        ),
        "after its step: {}",
        after.status_code()
    );
    assert!(leaks(&after.text(), COOPERATING).is_none());
}
