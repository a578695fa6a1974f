//! A browser journey across the national exchange: a tester files a dossier on the national
//! sandbox's citizen page, the sandbox pushes it to the portal, a reception official accepts it
//! here, and the sandbox's page shows national status 2 with the acceptance time, delivered by
//! the portal's own sync worker.

use fantoccini::Locator;
use motcua::national::sandbox::{self, Sandbox};

use crate::browser::{
    Driver, click, fill, h1_becomes, serve_demo_with, staff_sign_in, take, text_becomes,
};

/// The portal with the demo data and the national sandbox it exchanges with, each on a
/// loopback port: the portal's base, the sandbox's, and the database.
async fn exchange() -> (String, String, crate::helpers::TestDb) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let national = format!("http://{}", listener.local_addr().unwrap());
    let mut configured = None;
    let (base, db) = serve_demo_with(|s| {
        s.dvcqg_url = national.clone();
        s.dvcqg_intake = "push".to_owned();
        s.dvcqg_poll_ms = 200;
        s.dvcqg_sso_issuer = national.clone();
        s.dvcqg_pay_url = national.clone();
        configured = Some(s.clone());
    })
    .await;
    let settings = configured.unwrap();
    let sandbox = Sandbox {
        db: db.pool.clone(),
        username: settings.dvcqg_username.clone(),
        password: settings.dvcqg_password.clone(),
        portal: settings.public_origin.clone(),
        push_secret: settings.dvcqg_push_secret.clone(),
        http: reqwest::Client::new(),
        origin: national.clone(),
        sso: motcua::national::sandbox_sso::SsoClient::of(&settings),
        pay: motcua::national::sandbox_pay::PayPartner::of(&settings),
    };
    sandbox::prepare(&sandbox.db).await.unwrap();
    tokio::spawn(async move {
        axum::serve(listener, sandbox::router(sandbox))
            .await
            .unwrap();
    });
    (base, national, db)
}

#[tokio::test]
async fn a_dossier_filed_on_the_national_portal_is_accepted_here_and_the_nation_sees_status_2() {
    a_dossier_filed_on_the_national_portal_is_accepted_here_and_the_nation_sees_status_2_in(true)
        .await;
}

/// The same with JavaScript turned off.
#[tokio::test]
async fn a_dossier_filed_on_the_national_portal_is_accepted_here_and_the_nation_sees_status_2_without_javascript()
 {
    a_dossier_filed_on_the_national_portal_is_accepted_here_and_the_nation_sees_status_2_in(false)
        .await;
}

async fn a_dossier_filed_on_the_national_portal_is_accepted_here_and_the_nation_sees_status_2_in(
    javascript: bool,
) {
    let Some(driver) = Driver::start() else {
        return;
    };
    let (base, national, db) = exchange().await;
    let client = if javascript {
        driver.client().await
    } else {
        driver.client_without_javascript().await
    };
    let pdf = std::env::temp_dir().join(format!("to-khai-{}.pdf", uuid::Uuid::new_v4().simple()));
    std::fs::write(
        &pdf,
        b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
    )
    .unwrap();

    // the citizen files on the national portal (the sandbox's page)
    client.goto(&format!("{national}/nop-ho-so")).await.unwrap();
    click(&client, "#MaTTHC option[value='1.001193']").await;
    click(&client, "#MaDonVi option[value='000.00.71.H48']").await;
    fill(&client, "ChuHoSo", "Phạm Thị Dung").await;
    fill(&client, "SoGiayToChuHoSo", "051190004455").await;
    fill(&client, "SoDienThoai", "0905123456").await;
    fill(&client, "TrichYeuHoSo", "Đăng ký khai sinh cho con thứ hai").await;
    crate::browser::choose_file(&client, "tep", &pdf).await;
    click(&client, "form[action='/nop-ho-so'] button[type=submit]").await;
    let filed = text_becomes(&client, "main", "Đã nộp hồ sơ").await;
    assert!(filed.contains("Đã nộp hồ sơ"), "{filed}");
    let code = client
        .find(Locator::Id("filed-code"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(code.starts_with("000.00.71.H48-"), "{code}");
    let listed = text_becomes(
        &client,
        "table",
        "Đã đẩy sang tỉnh 1 lần; lần cuối HTTP 200",
    )
    .await;
    assert!(listed.contains("HTTP 200"), "{listed}");

    // the reception official finds it in the queue, with its channel, and accepts it
    staff_sign_in(&client, &base, "tiepnhan").await;
    client
        .goto(&format!("{base}/staff/reception"))
        .await
        .unwrap();
    let queue = text_becomes(&client, "main", &code).await;
    assert!(queue.contains("Trực tuyến qua Cổng DVCQG"), "{queue}");
    let id: uuid::Uuid = sqlx::query_scalar("select id from dossiers where code = $1")
        .bind(&code)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    click(&client, &format!("a[href='/staff/dossiers/{id}']")).await;
    assert_eq!(h1_becomes(&client, &code).await, code);
    let page = text_becomes(&client, "main", "to-khai").await;
    assert!(page.contains("to-khai"), "the paper came with it: {page}");
    take(&client, "accept", "Hẹn trả kết quả").await;

    // the national portal shows status 2 with the acceptance time, within seconds
    let mut status = String::new();
    for _ in 0..50 {
        client
            .goto(&format!("{national}/ho-so/{code}"))
            .await
            .unwrap();
        status = client
            .find(Locator::Id("national-status"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if status.starts_with("2 ") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(status.starts_with("2 — "), "{status}");
    let received = client
        .find(Locator::Id("received-at"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let today = motcua::deadlines::calendar::to_local(chrono::Utc::now())
        .format("%d/%m/%Y")
        .to_string();
    assert!(received.starts_with(&today), "{received}");
    let _ = std::fs::remove_file(&pdf);
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_citizen_signs_in_with_the_national_account_links_it_once_and_signs_out_of_both() {
    a_citizen_signs_in_with_the_national_account_links_it_once_and_signs_out_of_both_in(true).await;
}

/// The same with JavaScript turned off.
#[tokio::test]
async fn a_citizen_signs_in_with_the_national_account_links_it_once_and_signs_out_of_both_without_javascript()
 {
    a_citizen_signs_in_with_the_national_account_links_it_once_and_signs_out_of_both_in(false)
        .await;
}

async fn a_citizen_signs_in_with_the_national_account_links_it_once_and_signs_out_of_both_in(
    javascript: bool,
) {
    let Some(driver) = Driver::start() else {
        return;
    };
    let (base, national, _db) = exchange().await;
    let client = if javascript {
        driver.client().await
    } else {
        driver.client_without_javascript().await
    };
    client.goto(&format!("{base}/account/login")).await.unwrap();
    click(&client, "#national-sign-in").await;
    // the national provider's page: the tester is the demo citizen
    let provider = text_becomes(
        &client,
        "h1",
        "Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia",
    )
    .await;
    assert!(
        provider.contains("Cổng Dịch vụ công quốc gia"),
        "{provider}"
    );
    assert!(
        client
            .current_url()
            .await
            .unwrap()
            .as_str()
            .starts_with(&national)
    );
    click(&client, "#identity-an").await;
    click(&client, "#sso-sign-in").await;
    // back here: the account with this number is linked once, with its password
    let link = text_becomes(&client, "main", "051090001234").await;
    assert!(link.contains("Liên kết tài khoản quốc gia"), "{link}");
    fill(&client, "password", motcua::demo::DEMO_PASSWORD).await;
    click(
        &client,
        "form[action='/account/login/dvcqg/link'] button[type=submit]",
    )
    .await;
    let account = text_becomes(&client, "body", "Đăng xuất").await;
    assert!(account.contains("Nguyễn Văn An"), "{account}");
    // signing out here ends the national session too, and leads back
    click(
        &client,
        "form[action='/account/logout'] button[type=submit]",
    )
    .await;
    let here = text_becomes(&client, "h1", "Đã đăng xuất khỏi Một Cửa").await;
    assert_eq!(here, "Đã đăng xuất khỏi Một Cửa");
    click(&client, "#national-sign-out").await;
    let out = text_becomes(&client, "h1", "Cổng Dịch vụ công quốc gia").await;
    assert!(
        out.contains("Đã đăng xuất khỏi tài khoản Cổng Dịch vụ công quốc gia"),
        "{out}"
    );
    click(&client, "#back").await;
    let home = text_becomes(&client, "body", "Dịch vụ công tỉnh").await;
    assert!(!home.contains("Đăng xuất"), "signed out: {home}");
    assert!(
        client
            .current_url()
            .await
            .unwrap()
            .as_str()
            .starts_with(&base)
    );
    client.close().await.unwrap();
}

/// Downloads `url` with the page's own session; the status and the first bytes.
async fn download(client: &fantoccini::Client, url: &str) -> (i64, String) {
    let answer = client
        .execute_async(
            "const [url, done] = arguments; fetch(url).then(r => r.arrayBuffer().then(b => \
             done([r.status, String.fromCharCode(...new Uint8Array(b.slice(0, 5)))])))",
            vec![serde_json::json!(url)],
        )
        .await
        .unwrap();
    (
        answer[0].as_i64().unwrap_or_default(),
        answer[1].as_str().unwrap_or_default().to_owned(),
    )
}

#[tokio::test]
async fn a_citizen_signed_in_nationally_files_pays_on_the_national_platform_and_gets_both_receipts()
{
    a_citizen_signed_in_nationally_files_pays_on_the_national_platform_and_gets_both_receipts_in(
        true,
    )
    .await;
}

/// The same with JavaScript turned off.
#[tokio::test]
async fn a_citizen_signed_in_nationally_files_pays_on_the_national_platform_and_gets_both_receipts_without_javascript()
 {
    a_citizen_signed_in_nationally_files_pays_on_the_national_platform_and_gets_both_receipts_in(
        false,
    )
    .await;
}

async fn a_citizen_signed_in_nationally_files_pays_on_the_national_platform_and_gets_both_receipts_in(
    javascript: bool,
) {
    let Some(driver) = Driver::start() else {
        return;
    };
    let (base, national, _db) = exchange().await;
    let client = if javascript {
        driver.client().await
    } else {
        driver.client_without_javascript().await
    };
    let pdf = std::env::temp_dir().join(format!("to-khai-{}.pdf", uuid::Uuid::new_v4().simple()));
    std::fs::write(
        &pdf,
        b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
    )
    .unwrap();

    // signed in with the national account as the demo citizen, linked once
    client.goto(&format!("{base}/account/login")).await.unwrap();
    click(&client, "#national-sign-in").await;
    text_becomes(&client, "h1", "Cổng Dịch vụ công quốc gia").await;
    click(&client, "#identity-an").await;
    click(&client, "#sso-sign-in").await;
    text_becomes(&client, "main", "051090001234").await;
    fill(&client, "password", motcua::demo::DEMO_PASSWORD).await;
    click(
        &client,
        "form[action='/account/login/dvcqg/link'] button[type=submit]",
    )
    .await;
    text_becomes(&client, "body", "Đăng xuất").await;

    // a fee-bearing dossier: temporary residence registration, filed online
    client
        .goto(&format!("{base}/thu-tuc/1.004194"))
        .await
        .unwrap();
    click(&client, "a.button-start").await;
    h1_becomes(&client, "Nộp hồ sơ trực tuyến").await;
    click(
        &client,
        "form[action='/account/dossiers'] button[type=submit]",
    )
    .await;
    h1_becomes(&client, "Thông tin người nộp hồ sơ").await;
    click(&client, "main form button[type=submit]").await;
    h1_becomes(&client, "Thông tin của thủ tục").await;
    click(&client, "main form button[type=submit]").await;
    h1_becomes(&client, "Giấy tờ kèm theo").await;
    crate::browser::choose_file(&client, "file-1", &pdf).await;
    click(&client, "#slot-1 .upload-form button").await;
    text_becomes(&client, "#slot-1 .file-list", "to-khai").await;
    let done = client
        .current_url()
        .await
        .unwrap()
        .path()
        .replace("/documents", "/documents/done");
    click(
        &client,
        &format!("form[action='{done}'] button[type=submit]"),
    )
    .await;
    h1_becomes(&client, "Cách gửi giấy tờ và nhận kết quả").await;
    click(&client, "#paper-online").await;
    click(&client, "#result-counter").await;
    click(&client, "main form button[type=submit]").await;
    h1_becomes(&client, "Kiểm tra lại thông tin trước khi nộp").await;
    click(&client, "#declaration-box").await;
    click(&client, "main form button[type=submit]").await;
    let waiting = text_becomes(&client, "main", "chờ thanh toán").await;
    assert!(waiting.contains("Đã nộp hồ sơ"), "{waiting}");

    // the bill names the national platform; paying leads there
    click(&client, ".panel a.button[href$='/payment']").await;
    h1_becomes(&client, "Nộp phí, lệ phí").await;
    let via = text_becomes(&client, "#gateway", "Nền tảng thanh toán").await;
    assert!(via.contains("Cổng Dịch vụ công quốc gia"), "{via}");
    click(&client, "#pay button[type=submit]").await;
    let platform = text_becomes(&client, "h1", "Thanh toán phí, lệ phí hồ sơ").await;
    assert!(platform.contains("H48-"), "{platform}");
    assert!(
        client
            .current_url()
            .await
            .unwrap()
            .as_str()
            .starts_with(&national)
    );
    click(&client, "#outcome-paid").await;
    click(&client, "#pay-submit").await;

    // back here: paid (the platform's confirmation came first), with both receipts
    let state = text_becomes(&client, "#payment-state", "Thanh toán thành công").await;
    assert!(state.contains("Thanh toán thành công"), "{state}");
    // the platform's e-receipt is fetched in the background: the page shows it once kept
    let mut bill = None;
    for _ in 0..50 {
        if let Ok(link) = client.find(Locator::Id("national-bill")).await {
            bill = link.attr("href").await.unwrap();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        client.refresh().await.unwrap();
    }
    let bill = bill.expect("the national platform's receipt is offered");
    assert_eq!(download(&client, &bill).await, (200, "%PDF-".to_owned()));
    click(&client, "main a.button").await;
    h1_becomes(&client, "Biên lai thu phí, lệ phí điện tử").await;
    let receipt = text_becomes(&client, "main", "Bảy nghìn đồng").await;
    assert!(receipt.contains("Bảy nghìn đồng"), "{receipt}");
    let own = client
        .find(Locator::Css("a[href$='/pdf']"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(download(&client, &own).await, (200, "%PDF-".to_owned()));
    let _ = std::fs::remove_file(&pdf);
    client.close().await.unwrap();
}
