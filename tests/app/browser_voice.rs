//! The citizen's voice in a browser: a dossier ends, its applicant rates it from the link in
//! the finishing notice without signing in, the unit's head sees the rating with figure 5.4
//! and the public statistics show it; a feedback sent anonymously is answered on time,
//! published, read by the public and judged by its sender.

use fantoccini::{Client, Locator};

use crate::browser::{
    Driver, click, fill, flash_says, serve_demo_with, staff_sign_in, submit, text_becomes,
};

/// The demo citizen's dossier in processing at UBND phường Cẩm Thành.
const PROCESSING: &str = "000.00.00.H48-251117-0003";

async fn sign_out_staff(client: &Client) {
    submit(client, "/staff/logout").await;
    text_becomes(client, "body", "Đăng nhập").await;
}

#[tokio::test]
async fn a_dossier_is_rated_from_its_notice_and_the_rating_counts_in_5_4() {
    a_dossier_is_rated_from_its_notice_and_the_rating_counts_in_5_4_in(true).await;
}

/// The same with JavaScript turned off.
#[tokio::test]
async fn a_dossier_is_rated_from_its_notice_and_the_rating_counts_in_5_4_without_javascript() {
    a_dossier_is_rated_from_its_notice_and_the_rating_counts_in_5_4_in(false).await;
}

async fn a_dossier_is_rated_from_its_notice_and_the_rating_counts_in_5_4_in(javascript: bool) {
    let Some(driver) = Driver::start() else {
        return;
    };
    let (base, db) = serve_demo_with(|_| {}).await;
    // the dossier ends (its result handed over) and the finishing notice is composed as the
    // notification worker does
    let id: uuid::Uuid = sqlx::query_scalar(
        "update dossiers set status = 'returned', step = null, result_at = now() \
         where code = $1 returning id",
    )
    .bind(PROCESSING)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    sqlx::query("insert into notify_queue (dossier_id, kind) values ($1, 'finished')")
        .bind(id)
        .execute(&db.pool)
        .await
        .unwrap();
    // the portal's own notification worker may take it first: either composes it
    motcua::notify::compose::compose_queued(&db.pool, &base, 100)
        .await
        .unwrap();
    let mut sms = None;
    for _ in 0..100 {
        sms = sqlx::query_scalar(
            "select body from outbound_messages where dossier_id = $1 and channel = 'sms' and kind = 'finished'",
        )
        .bind(id)
        .fetch_optional(&db.pool)
        .await
        .unwrap();
        if sms.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let sms: String = sms.expect("the finishing notice by SMS");
    let link = sms
        .split_whitespace()
        .find(|w| w.contains("/danh-gia/"))
        .unwrap_or_else(|| panic!("a rating link in {sms}"))
        .to_owned();

    let client = if javascript {
        driver.client().await
    } else {
        driver.client_without_javascript().await
    };
    client.goto(&link).await.expect("the rating link");
    let heading = text_becomes(&client, "h1", "Đánh giá").await;
    assert!(
        heading.contains("Đánh giá việc giải quyết hồ sơ"),
        "{heading}"
    );
    click(&client, "label[for=overall-not]").await;
    click(&client, "label[for=item-dd-no]").await;
    fill(&client, "comment", "Cán bộ hẹn lại nhiều lần.").await;
    click(&client, "form[method=post] button[type=submit]").await;
    flash_says(&client, "Cảm ơn bạn đã đánh giá").await;

    // the head of the unit sees it, with figure 5.4, for the day it ended
    let day: String = sqlx::query_scalar(
        "select to_char(result_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') from dossiers where id = $1",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    staff_sign_in(&client, &base, "lanhdaophong").await;
    client
        .goto(&format!("{base}/staff/evaluations?from={day}&to={day}"))
        .await
        .expect("the results");
    let items = text_becomes(&client, "#items", "Thái độ").await;
    assert!(items.contains("Thái độ, hành vi của cán bộ"), "{items}");
    let line = text_becomes(&client, "#results tbody", "1.004194").await;
    assert!(
        line.contains("0,0 %"),
        "one ended, rated not satisfied: {line}"
    );
    sign_out_staff(&client).await;

    // the public statistics of that month show the agency's 5.4, without personal data
    let (year, month) = (&day[..4], day[5..7].trim_start_matches('0'));
    client
        .goto(&format!("{base}/thong-ke?year={year}&month={month}"))
        .await
        .expect("the public statistics");
    let published = text_becomes(&client, "#satisfaction", "Cẩm Thành").await;
    assert!(published.contains('%'), "{published}");
    let body = client.source().await.unwrap();
    assert!(!body.contains("Nguyễn Văn An") && !body.contains("hẹn lại nhiều lần"));
    client.close().await.expect("close the browser");
}

#[tokio::test]
async fn anonymous_feedback_is_answered_published_and_judged() {
    anonymous_feedback_is_answered_published_and_judged_in(true).await;
}

/// The same with JavaScript turned off.
#[tokio::test]
async fn anonymous_feedback_is_answered_published_and_judged_without_javascript() {
    anonymous_feedback_is_answered_published_and_judged_in(false).await;
}

async fn anonymous_feedback_is_answered_published_and_judged_in(javascript: bool) {
    let Some(driver) = Driver::start() else {
        return;
    };
    let (base, db) = serve_demo_with(|_| {}).await;
    let cam_thanh: uuid::Uuid =
        sqlx::query_scalar("select id from agencies where slug = 'ubnd-phuong-cam-thanh'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let client = if javascript {
        driver.client().await
    } else {
        driver.client_without_javascript().await
    };
    client.goto(&format!("{base}/")).await.expect("home");
    click(&client, "footer a[href='/phan-anh']").await;
    text_becomes(&client, "h1", "Gửi phản ánh").await;
    click(&client, "label[for=category-procedure]").await;
    client
        .find(Locator::Css(&format!(
            "#agency option[value='{cam_thanh}']"
        )))
        .await
        .expect("the office among the options")
        .click()
        .await
        .expect("choose the office");
    fill(&client, "procedure_code", "1.001193").await;
    let question = "Trang thủ tục không ghi rõ có cần bản sao chứng thực không.";
    fill(&client, "body", question).await;
    fill(&client, "name", "Đinh Thị Hỏi").await;
    fill(&client, "phone", "0966 111 222").await;
    submit(&client, "/phan-anh").await;
    let code = text_becomes(&client, "#feedback-code", "PAKN-").await;
    let pin = client
        .find(Locator::Id("feedback-pin"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();

    // the reception desk answers it, publicly, and publishes it
    staff_sign_in(&client, &base, "tiepnhan").await;
    client.goto(&format!("{base}/staff")).await.unwrap();
    click(&client, "#feedback-link").await;
    text_becomes(&client, "#feedback-list", &code).await;
    click(&client, "#feedback-list a").await;
    text_becomes(&client, "h1", &code).await;
    let answer = "Không cần bản sao chứng thực; bản chụp kèm bản chính để đối chiếu là đủ.";
    fill(&client, "text", answer).await;
    click(&client, "label[for=public]").await;
    fill(
        &client,
        "public_question",
        "Có cần bản sao chứng thực không?",
    )
    .await;
    click(
        &client,
        "form:has(input[name=do][value=answer]) button[type=submit]",
    )
    .await;
    flash_says(&client, "Đã lưu").await;
    click(
        &client,
        "form:has(input[name=do][value=publish]) button[type=submit]",
    )
    .await;
    flash_says(&client, "Đã lưu").await;
    let status = text_becomes(&client, "#feedback-status", "công khai").await;
    assert!(status.contains("Đã trả lời và công khai"), "{status}");
    sign_out_staff(&client).await;

    // the public reads it under the procedure, without the sender's name
    client
        .goto(&format!("{base}/thu-tuc/1.001193"))
        .await
        .unwrap();
    let published = text_becomes(&client, ".published-answer", "bản chính").await;
    assert!(
        published.contains("Có cần bản sao chứng thực không?"),
        "{published}"
    );
    assert!(!client.source().await.unwrap().contains("Đinh Thị Hỏi"));

    // the sender follows it with code and PIN and says the answer satisfied them
    client
        .goto(&format!("{base}/phan-anh/theo-doi?code={code}"))
        .await
        .unwrap();
    fill(&client, "pin", &pin).await;
    submit(&client, "/phan-anh/theo-doi").await;
    let seen = text_becomes(&client, "#feedback-answer", "bản chính").await;
    assert!(seen.contains(answer), "{seen}");
    click(&client, "label[for=satisfied-yes]").await;
    click(
        &client,
        "form:has(input[name=do][value=judge]) button[type=submit]",
    )
    .await;
    flash_says(&client, "Cảm ơn bạn đã đánh giá trả lời").await;
    client.close().await.expect("close the browser");
}
