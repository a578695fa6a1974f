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
    let q = platform.query(&init.reference, time).await.unwrap();
    assert_eq!((q.state, q.amount), (State::Pending, 30_000));
    assert!(platform.bill(&init.reference, time).await.is_err());
    // paid
    assert_eq!(x.pay(&init.reference, "paid").await, 200);
    let q = platform.query(&init.reference, time).await.unwrap();
    assert_eq!(q.state, State::Paid);
    assert!(q.transaction.starts_with("SBX"), "{q:?}");
    let pdf = platform.bill(&init.reference, time).await.unwrap();
    assert!(pdf.starts_with(b"%PDF-1.4"));
    // settled once: a second outcome changes nothing
    assert_eq!(x.pay(&init.reference, "failed").await, 409);
    assert_eq!(
        platform.query(&init.reference, time).await.unwrap().state,
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
        platform.query(&init.reference, time).await.unwrap().state,
        State::Failed
    );
    assert!(platform.bill(&init.reference, time).await.is_err());
    // an unknown reference
    assert!(platform.query("dvcUNKNOWN", time).await.is_err());
}
