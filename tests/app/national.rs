//! The national portal (DVCQG): every change of a dossier reaches the national sandbox, served
//! over real HTTP on loopback, in order and once, through an outage, with the national side's
//! "already exists" and refusals handled, and its files fetched through signed links.

use motcua::national::links::Links;
use motcua::national::sandbox::{self, Sandbox};
use motcua::national::sync::{self, NationalClient, Pass};
use serde_json::{Value, json};
use tokio::net::TcpListener;

use crate::helpers::html::Page;
use crate::helpers::session::{location, post_form, sign_in_staff};
use crate::helpers::{TestApp, TestDb};

/// The demo's submitted sample dossier (received by UBND phường Cẩm Thành).
const SUBMITTED: &str = "000.00.00.H48-251126-0006";

/// The portal, and the national sandbox it exchanges with on a loopback port; the portal is
/// served on its own loopback port too, for the sandbox's pushes and file fetches.
pub(crate) struct Exchange {
    pub(crate) app: TestApp,
    pub(crate) national: String,
    pub(crate) http: reqwest::Client,
    pub(crate) client: NationalClient,
    links: Links,
}

impl Exchange {
    pub(crate) async fn start() -> Self {
        Self::start_with("push").await
    }

    /// With dossiers filed on the sandbox arriving by `intake` ("push" or "pull").
    pub(crate) async fn start_with(intake: &str) -> Self {
        let db = TestDb::new().await;
        crate::helpers::load_demo(&db.pool).await;
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let national = format!("http://{}", listener.local_addr().unwrap());
        let portal_listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let portal = format!("http://{}", portal_listener.local_addr().unwrap());
        let app = TestApp::configured(db, |s| {
            s.dvcqg_url = national.clone();
            s.dvcqg_intake = intake.to_owned();
            s.dvcqg_sso_issuer = national.clone();
            s.dvcqg_pay_url = national.clone();
            s.public_origin = portal.clone();
        });
        let router = motcua::routes::router(app.state.clone());
        tokio::spawn(async move {
            axum::serve(
                portal_listener,
                router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
            .unwrap();
        });
        let sandbox = Sandbox {
            db: app.db.pool.clone(),
            username: app.settings.dvcqg_username.clone(),
            password: app.settings.dvcqg_password.clone(),
            portal: if intake == "push" {
                portal
            } else {
                String::new()
            },
            push_secret: app.settings.dvcqg_push_secret.clone(),
            http: reqwest::Client::new(),
            origin: national.clone(),
            sso: motcua::national::sandbox_sso::SsoClient::of(&app.settings),
            pay: motcua::national::sandbox_pay::PayPartner::of(&app.settings),
        };
        sandbox::prepare(&sandbox.db).await.unwrap();
        tokio::spawn(async move {
            axum::serve(listener, sandbox::router(sandbox))
                .await
                .unwrap();
        });
        let client = NationalClient::from_settings(&app.settings)
            .unwrap()
            .expect("configured");
        let links = Links::new(
            &app.settings.public_origin,
            &app.settings.national_link_secret,
        );
        Self {
            app,
            national,
            http: reqwest::Client::new(),
            client,
            links,
        }
    }

    pub(crate) async fn sync(&self) -> Pass {
        sync::run_once(&self.app.db.pool, &self.client, &self.links)
            .await
            .expect("a sync pass")
    }

    /// The sandbox's page of a dossier, as a tester reads it.
    pub(crate) async fn national_page(&self, code: &str) -> Page {
        let page = self
            .http
            .get(format!("{}/ho-so/{code}", self.national))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        Page::parse(&page)
    }

    /// What the sandbox holds of a dossier (`None`: nothing).
    pub(crate) async fn national(&self, code: &str) -> Option<Value> {
        let response = self
            .http
            .get(format!("{}/sim/state/dossiers/{code}", self.national))
            .send()
            .await
            .unwrap();
        (response.status() == 200).then_some(response.json().await.unwrap())
    }

    pub(crate) async fn fault(&self, mode: &str) {
        let response = self
            .http
            .post(format!("{}/sim/faults", self.national))
            .json(&json!({ "mode": mode, "slow_ms": 0 }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }

    pub(crate) async fn id(&self, code: &str) -> uuid::Uuid {
        sqlx::query_scalar("select id from dossiers where code = $1")
            .bind(code)
            .fetch_one(&self.app.db.pool)
            .await
            .unwrap()
    }

    /// How many of the dossier's changes were delivered.
    pub(crate) async fn delivered(&self, id: uuid::Uuid) -> i64 {
        sqlx::query_scalar(
            "select count(*) from national_sync_outbox where dossier_id = $1 and delivered_at is not null",
        )
        .bind(id)
        .fetch_one(&self.app.db.pool)
        .await
        .unwrap()
    }

    /// How many audit lines say `action` of the dossier `code`.
    pub(crate) async fn audited(&self, action: &str, code: &str) -> i64 {
        sqlx::query_scalar("select count(*) from audit_log where action = $1 and subject = $2")
            .bind(action)
            .bind(code)
            .fetch_one(&self.app.db.pool)
            .await
            .unwrap()
    }

    /// The back-off a postponed delivery waits is over (as it would be minutes later).
    pub(crate) async fn back_off_over(&self) {
        sqlx::query("update national_sync_state set next_attempt_at = now() where pending_since is not null")
            .execute(&self.app.db.pool)
            .await
            .unwrap();
    }

    pub(crate) async fn accept(&self, code: &str) {
        let id = self.id(code).await;
        let page = format!("/staff/dossiers/{id}");
        let accepted = post_form(
            &self.app,
            &page,
            &format!("{page}/accept"),
            &[("expected", "Submitted")],
        )
        .await;
        assert_eq!(location(&accepted), page);
    }
}

/// The officials who carry a dossier from the desk to its result, each signed in.
pub(crate) struct Crew {
    pub(crate) desk: TestApp,
    pub(crate) head: TestApp,
    pub(crate) officer: TestApp,
    pub(crate) signer: TestApp,
    pub(crate) officer_id: String,
}

impl Crew {
    pub(crate) async fn of(app: &TestApp) -> Self {
        use crate::processing::{official, staff_id};
        Self {
            desk: official(app, "tiepnhan").await,
            head: official(app, "lanhdaophong").await,
            officer: official(app, "chuyenvien").await,
            signer: official(app, "lanhdao").await,
            officer_id: staff_id(app, "chuyenvien").await.to_string(),
        }
    }
}

impl Exchange {
    /// `who` takes `action` on dossier `id` (standing at `expected`), without a sync.
    pub(crate) async fn act(
        &self,
        who: &TestApp,
        id: uuid::Uuid,
        expected: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) {
        crate::processing::see_other(
            &crate::processing::act(who, id, expected, action, fields).await,
        );
    }

    /// The same, then a sync pass, as the worker polling every second would.
    pub(crate) async fn step(
        &self,
        who: &TestApp,
        id: uuid::Uuid,
        expected: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) {
        self.act(who, id, expected, action, fields).await;
        self.sync().await;
    }

    /// The signer uploads the result `name` and issues it; synced.
    pub(crate) async fn issue(&self, crew: &Crew, id: uuid::Uuid, name: &str) {
        crate::processing::see_other(
            &crate::processing::upload_result(&crew.signer, id, name).await,
        );
        self.step(
            &crew.signer,
            id,
            "Processing/Signature",
            "issue_result",
            &[],
        )
        .await;
    }
}

pub(crate) fn statuses(national: &Value) -> Vec<i64> {
    national["statuses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_i64().unwrap())
        .collect()
}

pub(crate) fn progress(national: &Value) -> Vec<(String, String)> {
    national["progress"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["item"]["TrangThai"].as_str().unwrap().to_owned(),
                p["item"]["NoiDungXuLy"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_acceptance_here_reaches_the_national_portal_with_its_step() {
    let x = Exchange::start().await;
    sign_in_staff(&x.app, "tiepnhan").await;
    // nothing is sent before something happens
    assert_eq!(x.sync().await, Pass::default());
    x.accept(SUBMITTED).await;
    assert_eq!(
        x.sync().await,
        Pass {
            delivered: 1,
            ..Pass::default()
        }
    );
    let national = x.national(SUBMITTED).await.expect("the nation holds it");
    let record = &national["record"];
    assert_eq!(record["MaHoSo"], SUBMITTED);
    assert_eq!(record["TrangThaiHoSo"], "2");
    assert_eq!(record["KenhThucHien"], "2");
    assert_eq!(record["MaTTHC"], "1.001193");
    let received = record["NgayTiepNhan"].as_str().unwrap();
    assert_eq!(received.len(), 14, "yyyyMMddHHmmss: {received}");
    assert_eq!(record["NgayHenTra"].as_str().unwrap().len(), 14);
    assert_eq!(statuses(&national), [2]);
    let items = progress(&national);
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0].0, "2");
    assert!(items[0].1.contains("Tiếp nhận"), "{items:?}");
    let item = &national["progress"][0]["item"];
    assert_eq!(item["ChucDanh"], "Công chức tiếp nhận");
    assert!(!item["NguoiXuLy"].as_str().unwrap().is_empty());
    // the event time and the arrival are seconds apart
    let lag = national["progress"][0]["arrived_at"]
        .as_str()
        .and_then(|a| chrono::DateTime::parse_from_rfc3339(a).ok())
        .zip(
            national["progress"][0]["event_at"]
                .as_str()
                .and_then(|a| chrono::DateTime::parse_from_rfc3339(a).ok()),
        )
        .map(|(a, e)| (a - e).num_seconds())
        .unwrap();
    assert!((0..10).contains(&lag), "lag {lag} s");

    // the sandbox's page shows the national status with the acceptance time
    let page = x.national_page(SUBMITTED).await;
    assert_eq!(page.text("#national-status"), "2 — Được tiếp nhận");
    assert!(!page.text("#received-at").is_empty());

    // up to date: the next pass sends nothing, and the administrators' page says so
    assert_eq!(x.sync().await, Pass::default());
    sign_in_staff(&x.app, "quantri").await;
    let admin = Page::parse(&x.app.server.get("/admin/dvcqg").await.text());
    assert!(admin.text("#dvcqg-backlog").contains("Thay đổi chưa gửi 0"));
    assert!(!admin.has("#dvcqg-late"));
    assert!(admin.text("#dvcqg-lag").contains("1 giờ qua"));
}

#[tokio::test]
async fn changes_made_while_the_national_portal_is_down_arrive_once_and_in_order() {
    let x = Exchange::start().await;
    sign_in_staff(&x.app, "tiepnhan").await;
    x.fault("down").await;
    x.accept(SUBMITTED).await;
    let pass = x.sync().await;
    assert_eq!(pass.retried, 1, "{pass:?}");
    assert!(x.national(SUBMITTED).await.is_none());

    let id = x.id(SUBMITTED).await;
    let (attempts, waits): (i32, bool) = sqlx::query_as(
        "select attempts, next_attempt_at > now() from national_sync_state where dossier_id = $1",
    )
    .bind(id)
    .fetch_one(&x.app.db.pool)
    .await
    .unwrap();
    assert_eq!(attempts, 1);
    assert!(waits, "postponed by its back-off");

    // the administrators see the backlog and the retry
    sign_in_staff(&x.app, "quantri").await;
    let admin = Page::parse(&x.app.server.get("/admin/dvcqg").await.text());
    assert!(
        admin.text("#dvcqg-backlog").contains("Thay đổi chưa gửi 1"),
        "{}",
        admin.text("#dvcqg-backlog")
    );
    assert!(admin.text("#dvcqg-retrying").contains(SUBMITTED));
    assert!(admin.text("#dvcqg-retrying").contains("503"));

    // the admin home page says nothing before the change is ten minutes old, then alerts
    let home = Page::parse(&x.app.server.get("/admin").await.text());
    assert!(!home.has("#dvcqg-late"));
    sqlx::query(
        "update national_sync_state set pending_since = now() - interval '11 minutes' where dossier_id = $1",
    )
    .bind(id)
    .execute(&x.app.db.pool)
    .await
    .unwrap();
    let home = Page::parse(&x.app.server.get("/admin").await.text());
    assert!(
        home.text("#dvcqg-late").contains("sau 11 phút"),
        "{}",
        home.text("#dvcqg-late")
    );

    // still down after the back-off: postponed again
    x.back_off_over().await;
    assert_eq!(x.sync().await.retried, 1);
    // back up: everything arrives, once
    x.fault("normal").await;
    x.back_off_over().await;
    assert_eq!(x.sync().await.delivered, 1);
    assert_eq!(x.sync().await, Pass::default());
    let national = x.national(SUBMITTED).await.unwrap();
    assert_eq!(statuses(&national), [2]);
    assert_eq!(progress(&national).len(), 1);

    // the outbox row of the acceptance is delivered, once
    assert_eq!(x.delivered(id).await, 1);
}

#[tokio::test]
async fn already_exists_becomes_an_update_and_a_refusal_waits_for_a_resend() {
    let x = Exchange::start().await;
    sign_in_staff(&x.app, "tiepnhan").await;
    x.accept(SUBMITTED).await;
    let id = x.id(SUBMITTED).await;
    // the nation answers "already exists" to every creation: the record goes as an update,
    // which it refuses (it has no such dossier): nothing a retry fixes
    x.fault("exists").await;
    let pass = x.sync().await;
    assert_eq!(pass.failed, 1, "{pass:?}");
    assert_eq!(x.sync().await, Pass::default(), "a refusal is not retried");
    sign_in_staff(&x.app, "quantri").await;
    let admin = Page::parse(&x.app.server.get("/admin/dvcqg").await.text());
    let refused = admin.text("#dvcqg-refused");
    assert!(refused.contains(SUBMITTED), "{refused}");
    assert!(refused.contains("Hồ sơ không tồn tại"), "{refused}");
    assert!(refused.contains("-4"), "the answer as it came: {refused}");

    // the administrator resends once the national side is right again
    x.fault("normal").await;
    let resent = post_form(
        &x.app,
        "/admin/dvcqg",
        &format!("/admin/dvcqg/{id}/resend"),
        &[],
    )
    .await;
    assert_eq!(location(&resent), "/admin/dvcqg");
    assert_eq!(x.sync().await.delivered, 1);
    let admin = Page::parse(&x.app.server.get("/admin/dvcqg").await.text());
    assert!(!admin.has("#dvcqg-refused"));
    assert_eq!(x.audited("dvcqg.resend", SUBMITTED).await, 1);

    // this portal forgot the nation holds it (a restored backup): the creation comes back
    // "already exists" and goes again as an update, without an administrator
    sqlx::query("update national_sync_state set national_exists = false where dossier_id = $1")
        .bind(id)
        .execute(&x.app.db.pool)
        .await
        .unwrap();
    sqlx::query(
        "insert into dossier_events (dossier_id, from_status, to_status, actor_kind, note) \
         values ($1, 'received', 'received', 'system', 'Ghi chú')",
    )
    .bind(id)
    .execute(&x.app.db.pool)
    .await
    .unwrap();
    assert_eq!(x.sync().await.delivered, 1);
    let versions = x.national(SUBMITTED).await.unwrap();
    assert_eq!(versions["record"]["TrangThaiHoSo"], "2");
}

#[tokio::test]
async fn the_nation_fetches_files_through_signed_links_that_expire() {
    let x = Exchange::start().await;
    sign_in_staff(&x.app, "tiepnhan").await;
    let id = x.id(SUBMITTED).await;
    // a scanned paper of the dossier
    let storage = &x.app.state.storage;
    let mut upload = storage.begin().await.unwrap();
    let pdf = b"%PDF-1.4\n% a scanned application form\n%%EOF\n";
    upload.write(pdf).await.unwrap();
    let (key, sha) = storage.commit(upload).await.unwrap();
    let file: uuid::Uuid = sqlx::query_scalar(
        "insert into dossier_files (dossier_id, document_position, storage_key, original_name, \
           content_type, size_bytes, sha256) \
         values ($1, 1, $2, 'Tờ khai.pdf', 'application/pdf', $3, $4) returning id",
    )
    .bind(id)
    .bind(&key)
    .bind(i64::try_from(pdf.len()).unwrap())
    .bind(&sha)
    .fetch_one(&x.app.db.pool)
    .await
    .unwrap();
    x.accept(SUBMITTED).await;
    assert_eq!(x.sync().await.delivered, 1);
    // the record names the paper with its link
    let national = x.national(SUBMITTED).await.unwrap();
    let document = &national["record"]["TaiLieuNop"][0];
    assert_eq!(document["TenTepDinhKem"], "Tờ khai.pdf");
    assert_eq!(document["TepDinhKemId"], file.to_string());
    let url = document["DuongDanTaiTepTin"].as_str().unwrap();
    let path = url
        .strip_prefix(x.app.settings.public_origin.trim_end_matches('/'))
        .expect("a link to this portal");
    // anyone holding the link gets the file, without a session; the fetch is audited
    let anonymous = TestApp::over_same(&x.app);
    let fetched = anonymous.server.get(path).await;
    assert_eq!(fetched.status_code(), 200);
    assert_eq!(fetched.as_bytes().as_ref(), pdf);
    assert_eq!(x.audited("dossier.file_national_fetch", SUBMITTED).await, 1);
    // a forged signature, another file, a stretched expiry: not found
    let forged = path.replace("sig=", "sig=00");
    assert_eq!(anonymous.server.get(&forged).await.status_code(), 404);
    let other = path.replace(&file.to_string(), &uuid::Uuid::new_v4().to_string());
    assert_eq!(anonymous.server.get(&other).await.status_code(), 404);
    let exp: i64 = path
        .split("exp=")
        .nth(1)
        .and_then(|e| e.split('&').next())
        .and_then(|e| e.parse().ok())
        .unwrap();
    let stretched = path.replace(&format!("exp={exp}"), &format!("exp={}", exp + 86_400));
    assert_eq!(anonymous.server.get(&stretched).await.status_code(), 404);
}

#[tokio::test]
async fn the_whole_life_of_a_dossier_reaches_the_nation_step_by_step() {
    let x = Exchange::start().await;
    let crew = Crew::of(&x.app).await;
    let id = x.id(SUBMITTED).await;
    let assignee = [("assignee", crew.officer_id.as_str())];

    // each step is synced before the next, as the worker polling every second would
    x.step(&crew.desk, id, "Submitted", "accept", &[]).await;
    x.step(&crew.desk, id, "Received", "forward", &[]).await;
    // two steps between passes travel together, in order
    x.act(&crew.head, id, "Processing/Assignment", "assign", &assignee)
        .await;
    x.act(
        &crew.officer,
        id,
        "Processing/Appraisal",
        "submit_for_signature",
        &[],
    )
    .await;
    assert_eq!(x.sync().await.delivered, 1);
    x.issue(&crew, id, "giay-khai-sinh.pdf").await;
    let national = x.national(SUBMITTED).await.unwrap();
    assert_eq!(national["record"]["TrangThaiHoSo"], "9");
    assert_eq!(
        national["record"]["NgayKetThucXuLy"]
            .as_str()
            .unwrap()
            .len(),
        14
    );
    let result = &national["record"]["DanhSachGiayToKetQua"][0];
    assert_eq!(result["TenGiayTo"], "giay-khai-sinh.pdf");
    assert!(
        result["DuongDanTepTinKetQua"]
            .as_str()
            .unwrap()
            .contains("/api/v1/dvcqg/files/")
    );
    x.step(&crew.desk, id, "ResultReady", "return_at_counter", &[])
        .await;

    let national = x.national(SUBMITTED).await.unwrap();
    assert_eq!(national["record"]["TrangThaiHoSo"], "10");
    assert_eq!(national["record"]["NgayTra"].as_str().unwrap().len(), 14);
    // the national status timeline: accepted, processing, processed, returned
    assert_eq!(statuses(&national), [2, 4, 9, 10]);
    let steps: Vec<String> = progress(&national).into_iter().map(|(s, _)| s).collect();
    assert_eq!(
        steps,
        ["2", "4", "4", "4", "9", "10"],
        "{:?}",
        progress(&national)
    );
    let contents: Vec<String> = progress(&national).into_iter().map(|(_, c)| c).collect();
    assert!(contents[2].contains("Phân công"), "{contents:?}");
    assert!(contents[3].contains("Trình ký"), "{contents:?}");
    // every progress item arrived once: the outbox holds as many delivered changes
    assert_eq!(x.delivered(id).await, 6);
}

/// Each evaluation reaches the national evaluation system (Decree 118 Art. 32(2)) through its
/// outbox: the full current evaluation, without the comment; a refusal waits with its reason.
#[tokio::test]
async fn an_evaluation_reaches_the_national_evaluation_system() {
    let x = Exchange::start().await;
    let crew = Crew::of(&x.app).await;
    let id = x.id(SUBMITTED).await;
    let assignee = [("assignee", crew.officer_id.as_str())];
    x.step(&crew.desk, id, "Submitted", "accept", &[]).await;
    x.step(&crew.desk, id, "Received", "forward", &[]).await;
    x.act(&crew.head, id, "Processing/Assignment", "assign", &assignee)
        .await;
    x.step(
        &crew.officer,
        id,
        "Processing/Appraisal",
        "submit_for_signature",
        &[],
    )
    .await;
    x.issue(&crew, id, "giay-khai-sinh.pdf").await;
    x.step(&crew.desk, id, "ResultReady", "return_at_counter", &[])
        .await;

    crate::helpers::session::sign_in_citizen(&x.app).await;
    let link = format!("/account/dossiers/{id}/evaluation");
    let sent = post_form(
        &x.app,
        &link,
        &link,
        &[
            ("overall", "not_satisfied"),
            ("item-dd", "not_satisfied"),
            ("item-h", "satisfied"),
            ("comment", "Số điện thoại riêng 0912 345 678 của tôi"),
        ],
    )
    .await;
    assert_eq!(location(&sent), link, "{}", sent.text());
    let pass = motcua::national::evaluations::run_once(&x.app.db.pool, &x.client)
        .await
        .unwrap();
    assert_eq!(pass.delivered, 1, "{pass:?}");
    let national: Value = x
        .http
        .get(format!("{}/sim/state/evaluations/{SUBMITTED}", x.national))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let got = &national["evaluations"][0];
    assert_eq!(got["HaiLong"], 0);
    assert_eq!(got["KenhDanhGia"], 1);
    assert_eq!(got["MaTTHC"], "1.001193");
    let items = got["NoiDung"].to_string();
    assert!(
        items.contains("\"dd\"") && items.contains("\"h\""),
        "{items}"
    );
    assert!(
        !national.to_string().contains("0912 345 678"),
        "the comment stays here"
    );

    // the national side down: kept, retried after the back-off
    let returned = x.id("000.00.00.H48-251103-0001").await;
    sqlx::query(
        "insert into dossier_evaluations (dossier_id, satisfied, answers, channel) \
         values ($1, true, '{}', 'link')",
    )
    .bind(returned)
    .execute(&x.app.db.pool)
    .await
    .unwrap();
    let mut conn = x.app.db.pool.acquire().await.unwrap();
    motcua::national::evaluations::enqueue(&mut conn, returned)
        .await
        .unwrap();
    drop(conn);
    x.fault("down").await;
    let pass = motcua::national::evaluations::run_once(&x.app.db.pool, &x.client)
        .await
        .unwrap();
    assert_eq!(pass.retried, 1, "{pass:?}");
    x.fault("normal").await;
    sqlx::query("update national_evaluation_outbox set next_attempt_at = now()")
        .execute(&x.app.db.pool)
        .await
        .unwrap();
    // a dossier the nation does not hold: refused, kept with the national side's reason
    let pass = motcua::national::evaluations::run_once(&x.app.db.pool, &x.client)
        .await
        .unwrap();
    assert_eq!(pass.failed, 1, "{pass:?}");
    let error: Option<String> = sqlx::query_scalar(
        "select last_error from national_evaluation_outbox where dossier_id = $1",
    )
    .bind(returned)
    .fetch_one(&x.app.db.pool)
    .await
    .unwrap();
    assert!(error.unwrap_or_default().contains("không tồn tại"));
    let admin = crate::helpers::official(&x.app, "quantri").await;
    let page = Page::parse(&admin.server.get("/admin/dvcqg").await.text());
    assert_eq!(page.text("#dvcqg-evaluations"), "0 chờ gửi, 1 bị từ chối");
}
