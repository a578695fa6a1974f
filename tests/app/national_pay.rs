//! The national payment platform's protocol against the sandbox's platform, over real HTTP on
//! loopback: INIT signed and answered with the payment page, QUERY through pending, paid and
//! failed, GET_BILL's PDF once paid, and forged messages refused.

use motcua::payments::national::{FeeLine, Init, Platform, Receipt, State};
use serde_json::json;

use crate::national::Exchange;

fn receipt(code: &str) -> Receipt {
    Receipt {
        service: "2".to_owned(),
        procedure_code: "1.001193".to_owned(),
        procedure_name: "Đăng ký khai sinh".to_owned(),
        agency_code: "000.00.71.H48".to_owned(),
        agency_name: "UBND phường Cẩm Thành".to_owned(),
        dossier_code: code.to_owned(),
        content: "Lệ phí đăng ký khai sinh".to_owned(),
        payer_name: "Nguyễn Văn An".to_owned(),
        payer_id: "051090001234".to_owned(),
        fees: vec![FeeLine {
            kind: "2".to_owned(),
            code: "LP01".to_owned(),
            name: "Lệ phí".to_owned(),
            amount: 30_000,
        }],
    }
}

impl Exchange {
    fn platform(&self, secret: &str) -> Platform {
        Platform::new(&self.national, &self.app.settings.dvcqg_pay_partner, secret).unwrap()
    }

    async fn pay(&self, reference: &str, outcome: &str) -> u16 {
        self.http
            .post(format!("{}/sim/pay/{reference}", self.national))
            .json(&json!({ "outcome": outcome }))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }
}

#[tokio::test]
async fn a_payment_is_opened_signed_followed_to_paid_and_its_receipt_fetched() {
    let x = Exchange::start().await;
    let platform = x.platform(&x.app.settings.dvcqg_pay_secret);
    let time = "20261207093600";
    let init = Init::new(
        &platform.partner,
        platform.secret(),
        30_000,
        time,
        "127.0.0.1",
        "THANH TOAN HO SO 000.00.71.H48-261207-0001",
        receipt("000.00.71.H48-261207-0001"),
    );
    let page = platform.init(&init).await.expect("opened");
    assert_eq!(
        page,
        format!("{}/thanh-toan/trang/{}", x.national, init.reference)
    );
    // the citizen's page on the platform names the dossier and the amount
    let html = x
        .http
        .get(&page)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("000.00.71.H48-261207-0001"), "{html}");
    assert!(html.contains("30000 đồng"));
    // not paid yet: pending, and no receipt
    let q = platform
        .query(&init.reference, time)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((q.state, q.amount), (State::Pending, 30_000));
    assert!(platform.bill(&init.reference, time).await.is_err());
    // paid
    assert_eq!(x.pay(&init.reference, "paid").await, 200);
    let q = platform
        .query(&init.reference, time)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(q.state, State::Paid);
    assert!(q.transaction.starts_with("SBX"), "{q:?}");
    let pdf = platform.bill(&init.reference, time).await.unwrap();
    assert!(pdf.starts_with(b"%PDF-1.4"));
    // settled once: a second outcome changes nothing
    assert_eq!(x.pay(&init.reference, "failed").await, 409);
    assert_eq!(
        platform
            .query(&init.reference, time)
            .await
            .unwrap()
            .unwrap()
            .state,
        State::Paid
    );
    // the same reference cannot open a second attempt
    assert!(platform.init(&init).await.is_err());
}

#[tokio::test]
async fn forged_or_failed_payments_are_told_apart() {
    let x = Exchange::start().await;
    let forged = x.platform("not-the-secret");
    let time = "20261207100000";
    let init = Init::new(
        &forged.partner,
        forged.secret(),
        30_000,
        time,
        "127.0.0.1",
        "THANH TOAN",
        receipt("000.00.71.H48-261207-0002"),
    );
    let refused = forged.init(&init).await.unwrap_err().to_string();
    assert!(refused.contains("97"), "{refused}");
    // a real attempt, then a QUERY and a GET_BILL signed with the wrong secret
    let platform = x.platform(&x.app.settings.dvcqg_pay_secret);
    let init = Init::new(
        &platform.partner,
        platform.secret(),
        30_000,
        time,
        "127.0.0.1",
        "THANH TOAN",
        receipt("000.00.71.H48-261207-0002"),
    );
    platform.init(&init).await.unwrap();
    assert!(forged.query(&init.reference, time).await.is_err());
    assert!(forged.bill(&init.reference, time).await.is_err());
    // failed: the state says so, and there is no receipt
    assert_eq!(x.pay(&init.reference, "failed").await, 200);
    assert_eq!(
        platform
            .query(&init.reference, time)
            .await
            .unwrap()
            .unwrap()
            .state,
        State::Failed
    );
    assert!(platform.bill(&init.reference, time).await.is_err());
    // an unknown reference
    assert!(platform.query("dvcUNKNOWN", time).await.unwrap().is_none());
}

// ---------------------------------------------------------------------------------------------
// The citizen's payment through the platform: the portal opens the attempt, the sandbox's
// platform confirms (or not) over loopback HTTP, and the ledger settles exactly once.

use axum::http::StatusCode;
use motcua::payments::national::Confirm;

use crate::helpers::html::Page;
use crate::helpers::session::{location, post_form, sign_in_citizen};

/// The demo's sample waiting for payment (household business, 100.000 ₫ assessed).
const AWAITING: &str = "000.00.00.H48-251101-0008";

impl Exchange {
    /// The household business procedure pays on the platform; the demo citizen signs in.
    async fn citizen_paying_nationally(&self) -> uuid::Uuid {
        sqlx::query(
            "insert into payment_routes (procedure_code, gateway, valid_from) values ('1.001612', 'dvcqg', date '2025-07-01')",
        )
        .execute(&self.app.db.pool)
        .await
        .unwrap();
        sign_in_citizen(&self.app).await;
        self.id(AWAITING).await
    }

    /// The citizen presses "pay": the platform's page, and the attempt's reference.
    async fn start_national_payment(&self, id: uuid::Uuid) -> (String, String) {
        let page = format!("/account/dossiers/{id}/payment");
        let bill = Page::parse(&self.app.server.get(&page).await.text());
        assert!(
            bill.text("#gateway")
                .contains("Nền tảng thanh toán của Cổng Dịch vụ công quốc gia"),
            "{}",
            bill.text("#gateway")
        );
        let started = post_form(&self.app, &page, &page, &[]).await;
        assert_eq!(
            started.status_code(),
            StatusCode::SEE_OTHER,
            "{}",
            started.text()
        );
        let link = location(&started);
        let prefix = format!("{}/thanh-toan/trang/", self.national);
        let reference = link
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("not the platform's page: {link}"))
            .to_owned();
        (link, reference)
    }

    /// The tester's choice on the platform: how many confirmations reached the portal and its
    /// last answer (MaLoi).
    async fn choose(&self, reference: &str, outcome: &str) -> (i64, String) {
        let answer: serde_json::Value = self
            .http
            .post(format!("{}/sim/pay/{reference}", self.national))
            .json(&json!({ "outcome": outcome }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        (
            answer["callbacks"].as_i64().unwrap_or_default(),
            answer["answer"].as_str().unwrap_or_default().to_owned(),
        )
    }

    /// (status, settled_by, online_mode, receipts) of the dossier's payment `reference`.
    async fn ledger(&self, reference: &str) -> (String, Option<String>, Option<i16>, i64) {
        sqlx::query_as(
            "select p.status::text, p.settled_by, p.online_mode, \
               (select count(*) from receipts r where r.payment_id = p.id) \
             from payments p where p.txn_ref = $1",
        )
        .bind(reference)
        .fetch_one(&self.app.db.pool)
        .await
        .unwrap()
    }

    async fn dossier_status(&self, id: uuid::Uuid) -> String {
        sqlx::query_scalar("select status::text from dossiers where id = $1")
            .bind(id)
            .fetch_one(&self.app.db.pool)
            .await
            .unwrap()
    }

    /// The citizen's page back from the platform.
    async fn back_from_platform(&self, reference: &str) -> Page {
        let back = self
            .app
            .server
            .get(&format!(
                "/account/payments/dvcqg/ket-qua?MaThamChieu={reference}"
            ))
            .await;
        Page::parse(&back.text())
    }

    /// Waits (up to 5 s) for the platform's e-receipt to be kept with the payment.
    async fn bill_kept(&self, reference: &str) -> bool {
        for _ in 0..50 {
            let kept: bool = sqlx::query_scalar(
                "select exists (select 1 from payment_bills b join payments p on p.id = b.payment_id where p.txn_ref = $1)",
            )
            .bind(reference)
            .fetch_one(&self.app.db.pool)
            .await
            .unwrap();
            if kept {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        false
    }

    /// Posts a confirmation to the portal as the platform would (signed with `secret`).
    async fn confirm(&self, confirm: &Confirm) -> String {
        let answer: serde_json::Value = self
            .http
            .post(format!(
                "{}/api/v1/payments/dvcqg/confirm",
                self.app.settings.public_origin
            ))
            .json(confirm)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        answer["MaLoi"].as_str().unwrap_or_default().to_owned()
    }
}

#[tokio::test]
async fn a_fee_paid_on_the_national_platform_is_confirmed_once_with_both_receipts() {
    let x = Exchange::start().await;
    let id = x.citizen_paying_nationally().await;
    let (link, reference) = x.start_national_payment(id).await;
    assert!(
        reference.starts_with("dvc0000000H48251101000"),
        "{reference}"
    );
    // the platform's page names the dossier and the amount
    let page = x
        .http
        .get(&link)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(AWAITING) && page.contains("100000 đồng"),
        "{page}"
    );
    // pending until the platform says otherwise
    assert_eq!(x.ledger(&reference).await.0, "pending");
    assert_eq!(
        x.back_from_platform(&reference)
            .await
            .attr("#payment-state", "data-state"),
        "pending"
    );
    // paid: the platform's confirmation settles it
    assert_eq!(x.choose(&reference, "paid").await, (1, "00".to_owned()));
    assert_eq!(
        x.ledger(&reference).await,
        ("paid".to_owned(), Some("confirm".to_owned()), Some(1), 1),
        "paid once, by the confirmation, counted as paid through the national platform"
    );
    assert_eq!(x.dossier_status(id).await, "submitted");
    assert!(
        x.bill_kept(&reference).await,
        "the platform's e-receipt is kept"
    );
    // the citizen's page: paid, the agency's receipt and the platform's
    let back = x.back_from_platform(&reference).await;
    assert_eq!(back.attr("#payment-state", "data-state"), "paid");
    let bill = back.attr("#national-bill", "href");
    let pdf = x.app.server.get(&bill).await;
    assert_eq!(pdf.status_code(), StatusCode::OK);
    assert!(pdf.as_bytes().starts_with(b"%PDF-"));
    assert!(
        String::from_utf8_lossy(pdf.as_bytes()).contains(&reference),
        "the platform's receipt names the attempt"
    );
    let receipt = back.attr("main a.button", "href");
    assert!(receipt.contains("/receipts/"), "{receipt}");
    assert_eq!(
        x.app.server.get(&receipt).await.status_code(),
        StatusCode::OK
    );
    // the dossier's page lists the payment with both receipts
    let dossier = Page::parse(
        &x.app
            .server
            .get(&format!("/account/dossiers/{id}"))
            .await
            .text(),
    );
    let listed = dossier.text("#payments");
    assert!(
        listed.contains("Nền tảng thanh toán của Cổng Dịch vụ công quốc gia")
            && listed.contains("Biên lai của Nền tảng thanh toán quốc gia"),
        "{listed}"
    );
    // the same confirmation again (a replay): already confirmed, nothing changes
    let replay = x
        .http
        .post(format!("{}/sim/pay/{reference}/callback", x.national))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(replay["answer"], "02");
    assert_eq!(x.ledger(&reference).await.3, 1, "one receipt");
    // another citizen's session cannot read the platform's receipt
    let stranger = crate::helpers::TestApp::over_same(&x.app);
    assert_ne!(
        stranger.server.get(&bill).await.status_code(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_confirmation_sent_twice_settles_once_and_a_cancelled_one_lets_the_citizen_pay_again() {
    let x = Exchange::start().await;
    let id = x.citizen_paying_nationally().await;
    let (_, first) = x.start_national_payment(id).await;
    // cancelled by the citizen on the platform: failed here, the dossier still waits
    assert_eq!(x.choose(&first, "cancelled").await, (1, "00".to_owned()));
    assert_eq!(x.ledger(&first).await.0, "failed");
    assert_eq!(x.dossier_status(id).await, "awaiting_payment");
    let back = x.back_from_platform(&first).await;
    assert_eq!(back.attr("#payment-state", "data-state"), "failed");
    assert!(
        back.text("#payment-state").contains("hủy"),
        "{}",
        back.text("#payment-state")
    );
    // a second attempt, confirmed twice: settled once
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (_, second) = x.start_national_payment(id).await;
    assert_ne!(first, second);
    assert_eq!(x.choose(&second, "twice").await, (2, "02".to_owned()));
    assert_eq!(x.ledger(&second).await.0, "paid");
    assert_eq!(x.ledger(&second).await.3, 1, "one receipt");
    let events: i64 = sqlx::query_scalar(
        "select count(*) from payment_events e join payments p on p.id = e.payment_id \
         where p.txn_ref = $1 and e.kind = 'confirm'",
    )
    .bind(&second)
    .fetch_one(&x.app.db.pool)
    .await
    .unwrap();
    assert_eq!(events, 2, "both confirmations are logged");
}

#[tokio::test]
async fn pending_then_paid_and_confirmations_late_or_never_are_settled_by_reconciliation() {
    let x = Exchange::start().await;
    let id = x.citizen_paying_nationally().await;
    // pending at the platform: no confirmation; then paid
    let (_, reference) = x.start_national_payment(id).await;
    assert_eq!(x.choose(&reference, "pending").await, (0, String::new()));
    assert_eq!(x.ledger(&reference).await.0, "pending");
    assert_eq!(x.choose(&reference, "paid").await, (1, "00".to_owned()));
    assert_eq!(x.ledger(&reference).await.0, "paid");

    // a second dossier whose confirmation never comes: reconciliation asks (QUERY)
    let x = Exchange::start().await;
    let id = x.citizen_paying_nationally().await;
    let (_, reference) = x.start_national_payment(id).await;
    assert_eq!(x.choose(&reference, "never").await, (0, String::new()));
    assert_eq!(x.ledger(&reference).await.0, "pending");
    sqlx::query("update payments set next_check_at = now() - interval '1 minute'")
        .execute(&x.app.db.pool)
        .await
        .unwrap();
    motcua::payments::reconcile::run_once(&x.app.state)
        .await
        .unwrap();
    assert_eq!(
        x.ledger(&reference).await,
        (
            "paid".to_owned(),
            Some("reconciliation".to_owned()),
            Some(1),
            1
        )
    );
    assert_eq!(x.dossier_status(id).await, "submitted");
    assert!(x.bill_kept(&reference).await);
    // the late confirmation arrives after all: already confirmed, nothing changes
    let late = x
        .http
        .post(format!("{}/sim/pay/{reference}/callback", x.national))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(late["answer"], "02");
    assert_eq!(x.ledger(&reference).await.3, 1);
}

#[tokio::test]
async fn forged_wrong_or_unknown_confirmations_are_refused_and_change_nothing() {
    let x = Exchange::start().await;
    let id = x.citizen_paying_nationally().await;
    let (_, reference) = x.start_national_payment(id).await;
    let genuine = |amount: i64, secret: &str| {
        Confirm {
            message: "CONFIRM".to_owned(),
            error: "00".to_owned(),
            partner: x.app.settings.dvcqg_pay_partner.clone(),
            reference: reference.clone(),
            amount,
            currency: "VND".to_owned(),
            transaction: "GD-FORGED".to_owned(),
            bank: "X".to_owned(),
            time: "20261207100000".to_owned(),
            info: "Thanh toan".to_owned(),
            signature: String::new(),
        }
        .sign(secret)
    };
    // signed with another secret
    assert_eq!(x.confirm(&genuine(100_000, "not-the-secret")).await, "97");
    // signed, then the amount changed in transit
    let mut tampered = genuine(100_000, &x.app.settings.dvcqg_pay_secret);
    tampered.amount = 1_000;
    assert_eq!(x.confirm(&tampered).await, "97");
    // another partner's message
    let mut other = genuine(100_000, &x.app.settings.dvcqg_pay_secret);
    other.partner = "OTHER".to_owned();
    assert_eq!(
        x.confirm(&other.sign(&x.app.settings.dvcqg_pay_secret))
            .await,
        "97"
    );
    // genuinely signed but for the wrong amount
    assert_eq!(
        x.confirm(&genuine(1_000, &x.app.settings.dvcqg_pay_secret))
            .await,
        "04"
    );
    // an unknown attempt
    let mut unknown = genuine(100_000, "");
    unknown.reference = "dvcUNKNOWN".to_owned();
    assert_eq!(
        x.confirm(&unknown.sign(&x.app.settings.dvcqg_pay_secret))
            .await,
        "01"
    );
    assert_eq!(x.ledger(&reference).await.0, "pending", "nothing changed");
    assert_eq!(x.dossier_status(id).await, "awaiting_payment");
    let refused: i64 = sqlx::query_scalar(
        "select coalesce(sum(refused), 0)::bigint from refused_requests where source = 'dvcqg_confirm'",
    )
    .fetch_one(&x.app.db.pool)
    .await
    .unwrap();
    assert_eq!(refused, 3, "the three unproven messages are counted");
    // the administrators' ledger shows the platform's attempt and the refusals
    let admin = crate::helpers::official(&x.app, "quantri").await;
    let ledger = Page::parse(&admin.server.get("/admin/payments").await.text());
    assert!(
        ledger.text("table").contains(&reference),
        "{}",
        ledger.text("table")
    );
    assert!(
        ledger
            .text("#refused")
            .contains("Nền tảng thanh toán của Cổng Dịch vụ công quốc gia"),
        "{}",
        ledger.text("#refused")
    );
}

#[tokio::test]
async fn a_platform_that_does_not_answer_leaves_the_citizen_a_clear_message_and_nothing_owed() {
    let db = crate::helpers::TestDb::new().await;
    crate::helpers::load_demo(&db.pool).await;
    // nothing listens on this port
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let app = crate::helpers::TestApp::configured(db, |s| s.dvcqg_pay_url = url);
    sqlx::query(
        "insert into payment_routes (procedure_code, gateway, valid_from) values ('1.001612', 'dvcqg', date '2025-07-01')",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    sign_in_citizen(&app).await;
    let id: uuid::Uuid = sqlx::query_scalar("select id from dossiers where code = $1")
        .bind(AWAITING)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let page = format!("/account/dossiers/{id}/payment");
    let refused = post_form(&app, &page, &page, &[]).await;
    assert_eq!(refused.status_code(), StatusCode::SERVICE_UNAVAILABLE);
    let html = Page::parse(&refused.text());
    assert!(
        html.text("#pay").contains("Chưa có khoản tiền nào bị trừ"),
        "{}",
        html.text("#pay")
    );
    let (status, by): (String, Option<String>) =
        sqlx::query_as("select status::text, settled_by from payments where dossier_id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((status.as_str(), by.as_deref()), ("failed", Some("init")));
}

#[tokio::test]
async fn an_administrator_routes_a_procedure_to_the_platform_from_a_date() {
    let x = Exchange::start().await;
    let admin = crate::helpers::official(&x.app, "quantri").await;
    let page = "/admin/payments/gateways";
    let today = motcua::deadlines::calendar::today()
        .format("%Y-%m-%d")
        .to_string();
    // an unknown procedure and a day gone by: told so on the same form, the input kept
    let refused = post_form(
        &admin,
        page,
        page,
        &[
            ("procedure", "9.999999"),
            ("agency", ""),
            ("gateway", "dvcqg"),
            ("valid_from", "2020-01-01"),
        ],
    )
    .await;
    assert_eq!(refused.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let form = Page::parse(&refused.text());
    assert!(
        form.text(".error-summary")
            .contains("Không có thủ tục với mã này"),
        "{}",
        form.text(".error-summary")
    );
    assert!(form.text(".error-summary").contains("từ hôm nay trở đi"));
    assert_eq!(form.attr("#procedure", "value"), "9.999999");
    assert_eq!(form.attr("#gateway-dvcqg", "checked"), "");
    let none: i64 =
        sqlx::query_scalar("select count(*) from payment_routes where procedure_code = '9.999999'")
            .fetch_one(&x.app.db.pool)
            .await
            .unwrap();
    assert_eq!(none, 0);
    // the household business procedure goes to the platform from today
    sign_in_citizen(&x.app).await;
    let id = x.id(AWAITING).await;
    let bill = format!("/account/dossiers/{id}/payment");
    let before = Page::parse(&x.app.server.get(&bill).await.text());
    assert!(
        before.text("#gateway").contains("VNPay"),
        "{}",
        before.text("#gateway")
    );
    let added = post_form(
        &admin,
        page,
        page,
        &[
            ("procedure", "1.001612"),
            ("agency", ""),
            ("gateway", "dvcqg"),
            ("valid_from", &today),
        ],
    )
    .await;
    assert_eq!(
        added.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        added.text()
    );
    let listed = Page::parse(&admin.server.get(page).await.text());
    assert!(
        listed.text("#rules").contains("1.001612"),
        "{}",
        listed.text("#rules")
    );
    assert!(listed.text("#rules").contains("Huỳnh Văn Trị"));
    let after = Page::parse(&x.app.server.get(&bill).await.text());
    assert!(
        after
            .text("#gateway")
            .contains("Nền tảng thanh toán của Cổng Dịch vụ công quốc gia"),
        "{}",
        after.text("#gateway")
    );
    // citizens and officials other than the system administrators may not set rules
    let reception = crate::helpers::official(&x.app, "tiepnhan").await;
    assert_eq!(
        reception.server.get(page).await.status_code(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_platform_payment_of_a_stopped_dossier_is_refunded_by_the_agencys_transfer() {
    let x = Exchange::start().await;
    let id = x.citizen_paying_nationally().await;
    let (_, reference) = x.start_national_payment(id).await;
    x.choose(&reference, "paid").await;
    sqlx::query("update dossiers set status = 'stopped' where id = $1")
        .bind(id)
        .execute(&x.app.db.pool)
        .await
        .unwrap();
    let desk = crate::helpers::official(&x.app, "tiepnhan").await;
    let page = format!("/staff/dossiers/{id}");
    let payment: uuid::Uuid = sqlx::query_scalar("select id from payments where txn_ref = $1")
        .bind(&reference)
        .fetch_one(&x.app.db.pool)
        .await
        .unwrap();
    let refunded = post_form(
        &desk,
        &page,
        &format!("{page}/refund"),
        &[
            ("payment", &payment.to_string()),
            ("amount", "100.000"),
            ("reason", "Dừng giải quyết theo đề nghị của người nộp"),
        ],
    )
    .await;
    assert_eq!(
        refunded.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        refunded.text()
    );
    let shown = Page::parse(&desk.server.get(&page).await.text());
    assert!(
        shown
            .text("body")
            .contains("cơ quan thu chuyển khoản trả lại người nộp"),
        "the official is told the money goes back by the agency's transfer"
    );
    let (left, code): (i64, String) = sqlx::query_as(
        "select p.amount_vnd - p.refunded_vnd, r.gateway_code from payments p \
         join refunds r on r.payment_id = p.id where p.id = $1",
    )
    .bind(payment)
    .fetch_one(&x.app.db.pool)
    .await
    .unwrap();
    assert_eq!((left, code.as_str()), (0, "manual"));
    // the platform's receipt is offered to the dossier's officials too
    assert!(x.bill_kept(&reference).await);
    let bill =
        Page::parse(&desk.server.get(&page).await.text()).attr("#payments a.national-bill", "href");
    assert_eq!(desk.server.get(&bill).await.status_code(), StatusCode::OK);
}
