//! Paying fees: the bill, the gateway round trip through the local sandbox (every outcome), the
//! IPN as the only confirmation (forged, wrong amount, unknown order, replayed, concurrent
//! duplicates, wrong address), a dropped IPN settled by reconciliation, refunds, counter
//! payments, receipts numbered per year, and who may see what.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum_test::TestResponse;
use uuid::Uuid;

use crate::helpers::html::Page;
use crate::helpers::session::{location, post_form, sign_in_citizen, sign_in_staff};
use crate::helpers::{TestApp, dossier_id, pdf_text};

/// The demo's sample waiting for payment: a household business, 100.000 ₫ assessed.
const AWAITING: &str = "000.00.00.H48-251101-0008";

async fn id_of(app: &TestApp, code: &str) -> Uuid {
    sqlx::query_scalar("select id from dossiers where code = $1")
        .bind(code)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn status(app: &TestApp, id: Uuid) -> String {
    sqlx::query_scalar("select status::text from dossiers where id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// The citizen asks to pay; returns the gateway link (the sandbox's page).
pub(crate) async fn start_payment(app: &TestApp, id: Uuid) -> String {
    let page = format!("/account/dossiers/{id}/payment");
    let started = post_form(app, &page, &page, &[]).await;
    assert_eq!(
        started.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        started.text()
    );
    let link = location(&started);
    assert!(
        link.contains("/sandbox/vnpay/paymentv2/vpcpay.html?"),
        "{link}"
    );
    link
}

fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.find('/')
        .map_or_else(String::new, |i| rest[i..].to_owned())
}

/// In the sandbox's bank page, picks `outcome` with the IPN option `ipn`; returns where the
/// browser is sent back (the return URL with the signed result).
pub(crate) async fn bank(app: &TestApp, link: &str, outcome: &str, ipn: &str) -> String {
    let page = app.server.get(&path_of(link)).await;
    assert_eq!(page.status_code(), StatusCode::OK, "{}", page.text());
    let html = Page::parse(&page.text());
    let query = html.attr("input[name=query]", "value");
    let token = html.attr("input[name=csrf]", "value");
    let chosen = app
        .server
        .post("/sandbox/vnpay/pay")
        .form(&[
            ("query", query.as_str()),
            ("outcome", outcome),
            ("ipn", ipn),
            ("csrf", token.as_str()),
        ])
        .await;
    assert_eq!(
        chosen.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        chosen.text()
    );
    location(&chosen)
}

pub(crate) async fn deliver(app: &TestApp) -> usize {
    motcua::payments::sandbox::deliver_ipns(&app.state)
        .await
        .unwrap()
}

fn params_of(url: &str) -> BTreeMap<String, String> {
    serde_urlencoded::from_str(url.split_once('?').map_or("", |(_, q)| q)).unwrap()
}

/// Sends an IPN as the gateway would, from `ip`.
async fn ipn(app: &TestApp, params: &BTreeMap<String, String>, ip: &str) -> TestResponse {
    let query = serde_urlencoded::to_string(params).unwrap();
    app.server
        .get(&format!("/api/v1/payments/vnpay/ipn?{query}"))
        .add_header("x-real-ip", ip)
        .await
}

fn signed(params: &BTreeMap<String, String>, secret: &str) -> BTreeMap<String, String> {
    let mut p = params.clone();
    p.remove("vnp_SecureHash");
    let hash = motcua::payments::vnpay::sign(&p, secret);
    p.insert("vnp_SecureHash".into(), hash);
    p
}

#[tokio::test]
async fn a_citizen_pays_in_the_sandbox_and_sees_it_settled_on_return() {
    let app = TestApp::with_demo().await;
    sign_in_citizen(&app).await;
    let id = id_of(&app, AWAITING).await;
    let dossier = Page::parse(
        &app.server
            .get(&format!("/account/dossiers/{id}"))
            .await
            .text(),
    );
    assert!(
        dossier
            .text(".summary-list")
            .contains("Chờ nộp phí, lệ phí")
    );
    assert!(dossier.text(".panel").contains("chờ thanh toán"));
    let bill = Page::parse(
        &app.server
            .get(&format!("/account/dossiers/{id}/payment"))
            .await
            .text(),
    );
    assert_eq!(bill.text("#total"), "100.000 ₫");
    let arrived: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("select submitted_at from dossiers where id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let link = start_payment(&app, id).await;
    let sent = params_of(&link);
    assert_eq!(
        sent["vnp_Amount"], "10000000",
        "×100 at the protocol boundary only"
    );
    assert_eq!(sent["vnp_Version"], "2.1.0");
    let back = bank(&app, &link, "success", "normal").await;
    // back before the IPN: the return page asks the gateway at once (its signed word, not
    // the return's) and shows the payment settled, with what happens next, without waiting
    assert_eq!(status(&app, id).await, "awaiting_payment");
    let returned = app.server.get(&path_of(&back)).await;
    let page = Page::parse(&returned.text());
    assert_eq!(page.attr("#payment-state", "data-state"), "paid");
    assert!(!returned.text().contains("name=\"motcua-refresh\""));
    assert!(
        page.text("#payment-state")
            .contains("bạn sẽ nhận tin nhắn khi hồ sơ được tiếp nhận")
    );
    assert_eq!(
        status(&app, id).await,
        "submitted",
        "on to the reception desk"
    );
    // the IPN that follows finds it settled and changes nothing
    assert_eq!(deliver(&app).await, 1);
    assert_eq!(status(&app, id).await, "submitted");
    // its 8 working hours at the desk still run from its arrival, not from the payment
    let since: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("select submitted_at from dossiers where id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(since, arrived);
    let settled = Page::parse(&app.server.get(&path_of(&back)).await.text());
    assert_eq!(settled.attr("#payment-state", "data-state"), "paid");
    let receipt = settled.attr("a.button", "href");
    // the receipt: page and PDF, in Vietnamese with the amount in words
    let page = Page::parse(&app.server.get(&receipt).await.text());
    assert_eq!(page.text("#receipt-number"), "0000001");
    assert!(page.text("main").contains("Một trăm nghìn đồng"));
    assert!(
        page.text("main").contains("4300000071"),
        "the collector's tax code"
    );
    let pdf = app.server.get(&format!("{receipt}/pdf")).await;
    assert_eq!(pdf.status_code(), StatusCode::OK);
    if let Some(text) = pdf_text(pdf.as_bytes()) {
        assert!(text.contains("BIÊN LAI THU PHÍ, LỆ PHÍ"), "{text}");
        assert!(text.contains("Một trăm nghìn đồng"));
        assert!(text.contains("CT26") || text.contains("CT27"), "{text}");
    }
    let (mode, by): (Option<i16>, Option<String>) =
        sqlx::query_as("select online_mode, settled_by from payments where dossier_id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((mode, by.as_deref()), (Some(2), Some("reconciliation")));
}

#[tokio::test]
async fn every_failure_outcome_leaves_the_dossier_waiting_and_says_why() {
    let app = TestApp::with_demo().await;
    sign_in_citizen(&app).await;
    let id = id_of(&app, AWAITING).await;
    for (outcome, words, state) in [
        ("cancel", "Bạn đã hủy giao dịch", "failed"),
        ("insufficient", "không đủ số dư", "failed"),
        ("timeout", "hết thời gian", "failed"),
        ("fraud", "", "pending"),
        ("debited", "", "pending"),
    ] {
        // an unsettled order blocks a second one (it could still be paid) until reconciliation
        // settles it: here, as if it had
        let pending: i64 =
            sqlx::query_scalar("select count(*) from payments where status = 'pending'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        if pending > 0 {
            let page = format!("/account/dossiers/{id}/payment");
            let blocked = post_form(&app, &page, &page, &[]).await;
            assert_eq!(blocked.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
            assert!(
                Page::parse(&blocked.text())
                    .text("main")
                    .contains("đang chờ cổng thanh toán xác nhận")
            );
            sqlx::query(
                "update payments set status = 'failed', settled_at = now(), settled_by = 'reconciliation', \
                   next_check_at = null where status = 'pending'",
            )
            .execute(&app.db.pool)
            .await
            .unwrap();
        }
        let link = start_payment(&app, id).await;
        let back = bank(&app, &link, outcome, "normal").await;
        assert_eq!(deliver(&app).await, 1, "{outcome}");
        let page = Page::parse(&app.server.get(&path_of(&back)).await.text());
        assert_eq!(
            page.attr("#payment-state", "data-state"),
            state,
            "{outcome}"
        );
        if !words.is_empty() {
            assert!(
                page.text("#payment-state").contains(words),
                "{outcome}: {}",
                page.text("#payment-state")
            );
        }
        assert_eq!(status(&app, id).await, "awaiting_payment", "{outcome}");
    }
    let receipts: i64 = sqlx::query_scalar("select count(*) from receipts")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(receipts, 0);
    // the last one, debited at the bank but not confirmed (04), is held: the system
    // administrators are told, not left to find it
    let admin = crate::helpers::official(&app, "quantri").await;
    let home = Page::parse(&admin.server.get("/admin").await.text());
    assert!(
        home.text("#payments-held").contains("1 khoản thanh toán"),
        "{}",
        home.text("main")
    );
}

#[tokio::test]
async fn forged_wrong_unknown_replayed_and_foreign_ipns_change_nothing() {
    let app = TestApp::with_demo().await;
    sign_in_citizen(&app).await;
    let id = id_of(&app, AWAITING).await;
    let link = start_payment(&app, id).await;
    let back = bank(&app, &link, "success", "drop").await;
    let good = params_of(&back);
    let secret = app.settings.vnpay_secret.clone();
    let reply = |r: TestResponse| {
        r.json::<serde_json::Value>()["RspCode"]
            .as_str()
            .unwrap()
            .to_owned()
    };

    // from an address the gateway never uses
    let foreign = ipn(&app, &good, "203.0.113.9").await;
    assert_eq!(foreign.status_code(), StatusCode::FORBIDDEN);
    assert_eq!(
        reply(foreign),
        "03",
        "the gateway's code for an address not allowed"
    );
    // forged: the amount changed after signing
    let mut forged = good.clone();
    forged.insert("vnp_Amount".into(), "100".into());
    assert_eq!(reply(ipn(&app, &forged, "127.0.0.1").await), "97");
    // signed, but for another amount
    let mut amount = good.clone();
    amount.insert("vnp_Amount".into(), "500000".into());
    assert_eq!(
        reply(ipn(&app, &signed(&amount, &secret), "127.0.0.1").await),
        "04"
    );
    // signed, for an order nobody made
    let mut unknown = good.clone();
    unknown.insert("vnp_TxnRef".into(), "MC000000NOSUCHORDER".into());
    assert_eq!(
        reply(ipn(&app, &signed(&unknown, &secret), "127.0.0.1").await),
        "01"
    );
    assert_eq!(status(&app, id).await, "awaiting_payment");
    // the real one, twice at once: exactly one effect
    let (a, b) = tokio::join!(ipn(&app, &good, "127.0.0.1"), ipn(&app, &good, "127.0.0.1"));
    let mut codes = [reply(a), reply(b)];
    codes.sort();
    assert_eq!(codes, ["00".to_owned(), "02".to_owned()]);
    // and replayed later
    assert_eq!(reply(ipn(&app, &good, "127.0.0.1").await), "02");
    assert_eq!(status(&app, id).await, "submitted");
    let (receipts, paid_events): (i64, i64) = sqlx::query_as(
        "select (select count(*) from receipts), \
           (select count(*) from dossier_events where dossier_id = $1 and action = 'payment_confirmed')",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!((receipts, paid_events), (1, 1));
    // every message of the gateway is in the administrators' log; the ones refused before
    // they proved themselves (address, checksum) are counted, not logged one by one
    let outcomes: Vec<String> =
        sqlx::query_scalar("select outcome from payment_events where kind = 'ipn' order by id")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    for expected in ["04", "01", "00", "02"] {
        assert!(
            outcomes.iter().any(|o| o == expected),
            "{expected} in {outcomes:?}"
        );
    }
    assert!(
        !outcomes.iter().any(|o| o == "ip_refused" || o == "97"),
        "{outcomes:?}"
    );
    let refused: Vec<String> =
        sqlx::query_scalar("select reason from refused_requests order by reason")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(refused, ["97", "ip_refused"]);
    let admin = TestApp::over_same(&app);
    sign_in_staff(&admin, "quantri").await;
    let report = Page::parse(&admin.server.get("/admin/payments").await.text());
    assert!(report.text("#refused").contains("ip_refused"));
    assert!(
        report.text("#mismatches").contains(": 0"),
        "{}",
        report.text("#mismatches")
    );
    // the gateway's log is the system administrators'
    let desk = TestApp::over_same(&app);
    sign_in_staff(&desk, "tiepnhan").await;
    assert_eq!(
        desk.server.get("/admin/payments").await.status_code(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_dropped_ipn_is_settled_by_reconciliation() {
    let app = TestApp::with_demo().await;
    sign_in_citizen(&app).await;
    let id = id_of(&app, AWAITING).await;
    let link = start_payment(&app, id).await;
    let back = bank(&app, &link, "success", "drop").await;
    assert_eq!(deliver(&app).await, 0);
    // not due yet: nothing asked
    assert_eq!(
        motcua::payments::reconcile::run_once(&app.state)
            .await
            .unwrap(),
        0
    );
    sqlx::query("update payments set next_check_at = now() - interval '1 minute'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        motcua::payments::reconcile::run_once(&app.state)
            .await
            .unwrap(),
        1
    );
    assert_eq!(status(&app, id).await, "submitted");
    let by: String = sqlx::query_scalar("select settled_by from payments where dossier_id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(by, "reconciliation");
    let page = Page::parse(&app.server.get(&path_of(&back)).await.text());
    assert_eq!(page.attr("#payment-state", "data-state"), "paid");
    // an order never paid at the gateway fails once its link expired
    let other = id_of(&app, "000.00.00.H48-251126-0006").await;
    sqlx::query("update dossiers set status = 'awaiting_payment' where id = $1")
        .bind(other)
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query(
        "insert into fee_assessments (dossier_id, amount_vnd, reason, assessed_by) \
         select $1, 7000, 'Lệ phí theo thông báo của cán bộ', id from staff_users where username = 'tiepnhan'",
    )
    .bind(other)
    .execute(&app.db.pool)
    .await
    .unwrap();
    start_payment(&app, other).await;
    sqlx::query(
        "update payments set created_at = now() - interval '1 hour', next_check_at = now() where dossier_id = $1",
    )
    .bind(other)
    .execute(&app.db.pool)
    .await
    .unwrap();
    motcua::payments::reconcile::run_once(&app.state)
        .await
        .unwrap();
    let state: String =
        sqlx::query_scalar("select status::text from payments where dossier_id = $1")
            .bind(other)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(state, "failed");
}

/// The demo dossier awaiting payment, paid online by the citizen (100.000 ₫), then stopped at
/// their request: the reception official's client, the dossier's desk page and the payment.
async fn paid_then_stopped(app: &TestApp) -> (Uuid, TestApp, String, Uuid) {
    sign_in_citizen(app).await;
    let id = id_of(app, AWAITING).await;
    let link = start_payment(app, id).await;
    bank(app, &link, "success", "normal").await;
    deliver(app).await;
    sqlx::query("update dossiers set status = 'stopped' where id = $1")
        .bind(id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let desk = TestApp::over_same(app);
    sign_in_staff(&desk, "tiepnhan").await;
    let payment: Uuid = sqlx::query_scalar("select id from payments where dossier_id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    (id, desk, format!("/staff/dossiers/{id}"), payment)
}

#[tokio::test]
async fn a_stopped_dossier_is_refunded_through_the_gateway() {
    let app = TestApp::with_demo().await;
    let (id, desk, page, payment) = paid_then_stopped(&app).await;
    let too_much = post_form(
        &desk,
        &page,
        &format!("{page}/refund"),
        &[
            ("payment", &payment.to_string()),
            ("amount", "200.000"),
            ("reason", "Dừng giải quyết theo đề nghị"),
        ],
    )
    .await;
    assert_eq!(too_much.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let partial = post_form(
        &desk,
        &page,
        &format!("{page}/refund"),
        &[
            ("payment", &payment.to_string()),
            ("amount", "40.000"),
            ("reason", "Hoàn một phần theo quy định chuyên ngành"),
        ],
    )
    .await;
    assert_eq!(
        partial.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        partial.text()
    );
    let rest = post_form(
        &desk,
        &page,
        &format!("{page}/refund"),
        &[
            ("payment", &payment.to_string()),
            ("amount", "60.000"),
            ("reason", "Hoàn phần còn lại theo quy định"),
        ],
    )
    .await;
    assert_eq!(rest.status_code(), StatusCode::SEE_OTHER);
    let (refunded, at_gateway): (i64, i64) = sqlx::query_as(
        "select p.refunded_vnd, (select refunded from sandbox_transactions s where s.txn_ref = p.txn_ref) \
         from payments p where p.id = $1",
    )
    .bind(payment)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(refunded, 100_000);
    assert_eq!(
        at_gateway, 10_000_000,
        "the gateway refunded the same, ×100"
    );
    // the citizen sees it
    let mine = Page::parse(
        &app.server
            .get(&format!("/account/dossiers/{id}"))
            .await
            .text(),
    );
    assert!(
        mine.text("#payments").contains("đã hoàn 100.000"),
        "{}",
        mine.text("#payments")
    );
    // nothing left to refund
    let again = post_form(
        &desk,
        &page,
        &format!("{page}/refund"),
        &[
            ("payment", &payment.to_string()),
            ("amount", "1.000"),
            ("reason", "Thử hoàn thêm lần nữa"),
        ],
    )
    .await;
    assert_eq!(again.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
}

/// A refund above the set amount waits for a second official: the one who asked cannot approve
/// it, the amount it holds cannot be refunded twice meanwhile, and the signer's approval sends
/// it to the gateway.
#[tokio::test]
async fn a_large_refund_waits_for_a_second_officials_approval() {
    let db = crate::helpers::TestDb::new().await;
    crate::helpers::load_demo(&db.pool).await;
    let app = TestApp::configured(db, |s| s.refund_second_approval_vnd = 50_000);
    let (_, desk, page, payment) = paid_then_stopped(&app).await;
    let refund = |amount: &'static str| {
        let desk = &desk;
        let page = page.clone();
        async move {
            post_form(
                desk,
                &page,
                &format!("{page}/refund"),
                &[
                    ("payment", &payment.to_string()),
                    ("amount", amount),
                    ("reason", "Dừng giải quyết theo đề nghị của công dân"),
                ],
            )
            .await
        }
    };
    let asked = refund("60.000").await;
    assert_eq!(location(&asked), page);
    let shown = Page::parse(&desk.server.get(&page).await.text());
    assert!(shown.text(".flash").contains("cán bộ khác duyệt"));
    assert!(shown.text("#awaiting-refunds").contains("60.000"));
    assert!(
        !shown.has("#awaiting-refunds form"),
        "the one who asked gets no approve button"
    );
    let refunded = || async {
        sqlx::query_scalar::<_, i64>("select refunded_vnd from payments where id = $1")
            .bind(payment)
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
    };
    assert_eq!(refunded().await, 0, "nothing went to the gateway");
    // the 60.000 held leaves 40.000
    assert_eq!(
        refund("50.000").await.status_code(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let waiting: Uuid =
        sqlx::query_scalar("select id from refunds where status = 'awaiting_approval'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let approve = format!("{page}/refunds/{waiting}/approve");
    let own = post_form(&desk, &page, &approve, &[]).await;
    assert_eq!(location(&own), page);
    assert_eq!(refunded().await, 0, "not by the one who asked");
    let signer = TestApp::over_same(&app);
    sign_in_staff(&signer, "lanhdao").await;
    let approved = post_form(&signer, &page, &approve, &[]).await;
    assert_eq!(location(&approved), page, "{}", approved.text());
    assert_eq!(refunded().await, 60_000);
    let (status, by): (String, Option<Uuid>) =
        sqlx::query_as("select status, approved_by from refunds where id = $1")
            .bind(waiting)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(status, "done");
    assert!(by.is_some());
    // approved once only
    let twice = post_form(&signer, &page, &approve, &[]).await;
    assert_eq!(twice.status_code(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn counter_payments_go_in_the_same_ledger_and_receipts_restart_each_year() {
    let app = TestApp::with_demo().await;
    sign_in_staff(&app, "tiepnhan").await;
    let id = id_of(&app, AWAITING).await;
    let page = format!("/staff/dossiers/{id}");
    let bad = post_form(
        &app,
        &page,
        &format!("{page}/payments"),
        &[("amount", "mười nghìn"), ("method", "cash")],
    )
    .await;
    assert_eq!(bad.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&bad.text())
            .text(".error-summary")
            .contains("số nguyên đồng")
    );
    let paid = post_form(
        &app,
        &page,
        &format!("{page}/payments"),
        &[
            ("amount", "100.000"),
            ("method", "cash"),
            ("reason", "Lệ phí đăng ký hộ kinh doanh"),
        ],
    )
    .await;
    assert_eq!(paid.status_code(), StatusCode::SEE_OTHER, "{}", paid.text());
    assert_eq!(status(&app, id).await, "submitted");
    let shown = Page::parse(&app.server.get(&page).await.text());
    assert!(shown.text("#payments").contains("Tiền mặt tại quầy"));
    // the numbering: the last receipt of a year, then the first of the next
    let book: Uuid = sqlx::query_scalar("select book_id from receipts limit 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let mut conn = app.db.pool.acquire().await.unwrap();
    let this_year: i32 = sqlx::query_scalar("select year from receipts limit 1")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    // pretend the year moved on: this year's counter closed at 41
    sqlx::query("update receipt_counters set last_value = 41 where book_id = $1")
        .bind(book)
        .execute(&mut *conn)
        .await
        .unwrap();
    let other = id_of(&app, "000.00.00.H48-251126-0006").await;
    let second = post_form(
        &app,
        &page,
        &format!("/staff/dossiers/{other}/payments"),
        &[("amount", "7.000"), ("method", "transfer")],
    )
    .await;
    assert_eq!(second.status_code(), StatusCode::SEE_OTHER);
    let numbers: Vec<(i32, i32)> =
        sqlx::query_as("select year, number from receipts order by issued_at")
            .fetch_all(&mut *conn)
            .await
            .unwrap();
    assert_eq!(numbers, [(this_year, 1), (this_year, 42)]);
    // the year turns: what was issued belongs to last year; this year starts at 1 again
    // (issued receipts are never changed: the test moves them back with the guard off)
    let owner = app.db.owner_pool().await;
    sqlx::raw_sql(
        "alter table receipts disable trigger receipts_no_update; \
         update receipts set year = year - 1; \
         alter table receipts enable trigger receipts_no_update",
    )
    .execute(&owner)
    .await
    .unwrap();
    owner.close().await;
    sqlx::query("update receipt_counters set year = year - 1")
        .execute(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    let third = id_of(&app, "000.00.00.H48-251124-0005").await;
    let new_year = post_form(
        &app,
        &page,
        &format!("/staff/dossiers/{third}/payments"),
        &[("amount", "5.000"), ("method", "cash")],
    )
    .await;
    assert_eq!(new_year.status_code(), StatusCode::SEE_OTHER);
    let numbers: Vec<(i32, i32)> =
        sqlx::query_as("select year, number from receipts order by issued_at")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        numbers,
        [(this_year - 1, 1), (this_year - 1, 42), (this_year, 1)]
    );
    // a case officer cannot take money
    let officer = TestApp::over_same(&app);
    sign_in_staff(&officer, "chuyenvien").await;
    let refused = post_form(
        &officer,
        "/staff",
        &format!("{page}/payments"),
        &[("amount", "1.000"), ("method", "cash")],
    )
    .await;
    assert_eq!(refused.status_code(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn nobody_pays_for_or_reads_another_citizens_dossier() {
    let app = TestApp::with_demo().await;
    let id = id_of(&app, AWAITING).await;
    // another citizen
    sqlx::query(
        "insert into citizens (full_name, personal_id, phone, confirmed_at) \
         values ('Trần Thị Khác', '051190002222', '+84987654321', now())",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let hash = motcua::accounts::password::hash(motcua::demo::DEMO_PASSWORD.to_owned())
        .await
        .unwrap();
    sqlx::query(
        "insert into citizen_credentials (citizen_id, password_hash) select id, $1 from citizens where phone = '+84987654321'",
    )
    .bind(hash)
    .execute(&app.db.pool)
    .await
    .unwrap();
    sign_in_citizen(&app).await;
    let link = start_payment(&app, id).await;
    bank(&app, &link, "success", "normal").await;
    deliver(&app).await;
    let receipt: Uuid = sqlx::query_scalar("select id from receipts limit 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let stranger = TestApp::over_same(&app);
    let signed_in = post_form(
        &stranger,
        "/account/login",
        "/account/login",
        &[
            ("login", "0987 654 321"),
            ("password", motcua::demo::DEMO_PASSWORD),
        ],
    )
    .await;
    assert_eq!(
        signed_in.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.text()
    );
    {
        assert_eq!(
            stranger
                .server
                .get(&format!("/account/dossiers/{id}/payment"))
                .await
                .status_code(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            stranger
                .server
                .get(&format!("/account/dossiers/{id}/receipts/{receipt}"))
                .await
                .status_code(),
            StatusCode::NOT_FOUND
        );
    }
    // anonymous: sent to sign in
    let anonymous = TestApp::over_same(&app);
    assert_eq!(
        anonymous
            .server
            .get(&format!("/account/dossiers/{id}/payment"))
            .await
            .status_code(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_fee_bearing_online_submission_waits_for_payment_and_an_exemption_waives_it() {
    let app = TestApp::with_demo().await;
    let dossier = crate::submission::start(&app, "1.004194").await;
    crate::submission::fill_applicant(&app, &dossier).await;
    post_form(
        &app,
        &format!("{dossier}/details"),
        &format!("{dossier}/details"),
        &[],
    )
    .await;
    crate::submission::upload(&app, &dossier, "1", "to-khai.pdf", b"%PDF-1.4\n%%EOF\n").await;
    post_form(
        &app,
        &format!("{dossier}/documents"),
        &format!("{dossier}/documents/done"),
        &[],
    )
    .await;
    post_form(
        &app,
        &format!("{dossier}/delivery"),
        &format!("{dossier}/delivery"),
        &[
            ("paper_channel", "online_only"),
            ("result_channel", "counter"),
        ],
    )
    .await;
    let submitted = crate::submission::submit(&app, &dossier).await;
    assert_eq!(
        submitted.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        submitted.text()
    );
    let id = dossier_id(&dossier);
    assert_eq!(status(&app, id).await, "awaiting_payment");
    // the online rate (7.000 ₫), not the counter's (15.000 ₫)
    let bill = Page::parse(&app.server.get(&format!("{dossier}/payment")).await.text());
    assert_eq!(bill.text("#total"), "7.000 ₫");
    // claiming the exemption: nothing to pay, the claim on the record for the official
    let exempt = Page::parse(
        &app.server
            .get(&format!("{dossier}/payment?reduction=mien_tt75"))
            .await
            .text(),
    );
    assert_eq!(exempt.text("#total"), "0 ₫");
    let waived = post_form(
        &app,
        &format!("{dossier}/payment"),
        &format!("{dossier}/payment"),
        &[("reduction", "mien_tt75")],
    )
    .await;
    assert_eq!(
        waived.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        waived.text()
    );
    assert_eq!(status(&app, id).await, "submitted");
    let note: String = sqlx::query_scalar(
        "select note from dossier_events where dossier_id = $1 and action = 'payment_confirmed'",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(note.contains("mien_tt75"), "{note}");
}

#[tokio::test]
async fn a_payment_the_gateway_never_settles_is_closed_after_repeated_questions() {
    let app = TestApp::with_demo().await;
    sign_in_citizen(&app).await;
    let id = id_of(&app, AWAITING).await;
    let link = start_payment(&app, id).await;
    bank(&app, &link, "debited", "normal").await;
    deliver(&app).await;
    let state = || async {
        sqlx::query_scalar::<_, String>("select status::text from payments where dossier_id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
    };
    assert_eq!(state().await, "pending");
    sqlx::query("update payments set next_check_at = now() - interval '1 minute'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    motcua::payments::reconcile::run_once(&app.state)
        .await
        .unwrap();
    assert_eq!(state().await, "pending", "asked once: still waiting");
    sqlx::query("update payments set checks = 6, next_check_at = now() - interval '1 minute'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    motcua::payments::reconcile::run_once(&app.state)
        .await
        .unwrap();
    assert_eq!(state().await, "failed");
    assert_eq!(
        status(&app, id).await,
        "awaiting_payment",
        "the citizen may pay again"
    );
}
