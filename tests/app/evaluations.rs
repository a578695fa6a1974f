//! The citizen's evaluation of each ended dossier (Decree 118/2025 Art. 33): from the dossier's
//! page when signed in, from the signed link public tracking gives a walk-in applicant; once per
//! dossier, changeable for a set time; bad input told on the same form.

use axum::http::StatusCode;

use crate::helpers::TestApp;
use crate::helpers::html::Page;
use crate::helpers::session::{location, post_form, sign_in_citizen};

/// The demo's returned dossier and its tracking dossier (in processing).
const RETURNED: &str = "000.00.00.H48-251103-0001";
const PROCESSING: &str = "000.00.00.H48-251117-0003";

/// Public tracking of the demo's dossier in processing, by its code and PIN.
async fn track(app: &TestApp) -> axum_test::TestResponse {
    post_form(
        app,
        "/tra-cuu",
        "/tra-cuu",
        &[("code", PROCESSING), ("pin", "DEMO26")],
    )
    .await
}

async fn id_of(app: &TestApp, code: &str) -> uuid::Uuid {
    sqlx::query_scalar("select id from dossiers where code = $1")
        .bind(code)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_citizen_rates_an_ended_dossier_once_and_may_change_it_for_a_while() {
    let app = TestApp::with_demo().await;
    sign_in_citizen(&app).await;
    let id = id_of(&app, RETURNED).await;
    let dossier = Page::parse(
        &app.server
            .get(&format!("/account/dossiers/{id}"))
            .await
            .text(),
    );
    let link = dossier.attr("#evaluate a", "href");
    assert_eq!(link, format!("/account/dossiers/{id}/evaluation"));
    let form = Page::parse(&app.server.get(&link).await.text());
    assert!(
        form.text("#item-dd legend")
            .contains("Thái độ, hành vi của cán bộ")
    );
    // no overall answer: told on the same form, the answers kept
    let missing = post_form(
        &app,
        &link,
        &link,
        &[
            ("item-a", "not_satisfied"),
            ("comment", "Chậm hai ngày <b>so với hẹn</b>"),
        ],
    )
    .await;
    assert_eq!(missing.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = Page::parse(&missing.text());
    assert!(
        again
            .text(".error-summary")
            .contains("nhìn chung bạn có hài lòng")
    );
    assert_eq!(again.attr("#item-a-no", "checked"), "");
    assert!(
        !missing.text().contains("<b>so với hẹn")
            && again.text("#comment").contains("<b>so với hẹn"),
        "HTML in a comment is shown as text, never as markup"
    );
    let sent = post_form(
        &app,
        &link,
        &link,
        &[
            ("overall", "not_satisfied"),
            ("item-a", "not_satisfied"),
            ("item-dd", "satisfied"),
            ("comment", "Chậm hai ngày so với hẹn"),
        ],
    )
    .await;
    assert_eq!(location(&sent), link);
    let shown = Page::parse(&app.server.get(&link).await.text());
    assert!(shown.text(".flash").contains("Cảm ơn"));
    assert!(
        shown
            .text("#rated")
            .contains("có thể sửa đánh giá trong 30 ngày")
    );
    assert_eq!(shown.attr("#overall-not", "checked"), "");
    // changed the same day: one evaluation, the new answer
    post_form(&app, &link, &link, &[("overall", "satisfied")]).await;
    let (count, satisfied): (i64, bool) = sqlx::query_as(
        "select count(*), bool_and(satisfied) from dossier_evaluations where dossier_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!((count, satisfied), (1, true));
    // after the time to change it: kept as it was
    sqlx::query("update dossier_evaluations set created_at = now() - interval '31 days'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let late = post_form(&app, &link, &link, &[("overall", "not_satisfied")]).await;
    assert_eq!(late.status_code(), StatusCode::CONFLICT);
    assert!(
        Page::parse(&late.text())
            .text(".error-summary")
            .contains("hết thời gian sửa")
    );
    // a dossier still in progress cannot be rated
    let open = id_of(&app, PROCESSING).await;
    let refused = app
        .server
        .get(&format!("/account/dossiers/{open}/evaluation"))
        .await;
    assert_eq!(refused.status_code(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_walk_in_applicant_rates_through_the_link_tracking_gives() {
    let app = TestApp::with_demo().await;
    let id = id_of(&app, PROCESSING).await;
    // in progress: tracking offers no rating
    let tracked = track(&app).await;
    assert!(!Page::parse(&tracked.text()).has("#evaluate"));
    sqlx::query(
        "update dossiers set status = 'returned', step = null, result_at = now() where id = $1",
    )
    .bind(id)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let tracked = track(&app).await;
    let link = Page::parse(&tracked.text()).attr("#evaluate", "href");
    assert!(link.starts_with("/danh-gia/"), "{link}");
    let sent = post_form(
        &app,
        &link,
        &link,
        &[("overall", "satisfied"), ("item-c", "satisfied")],
    )
    .await;
    assert_eq!(location(&sent), link, "{}", sent.text());
    let channel: String =
        sqlx::query_scalar("select channel from dossier_evaluations where dossier_id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(channel, "link");
    // a token rates its own dossier only: one made up is nobody's
    let made_up = format!("/danh-gia/{}", uuid::Uuid::new_v4().simple());
    assert_eq!(
        app.server.get(&made_up).await.status_code(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.server.get("/danh-gia/not-a-token").await.status_code(),
        StatusCode::NOT_FOUND
    );
}

/// The rating link of a dossier is one: the second QR code of Form 01 (which says "not yet"
/// before the end), the finishing notice, public tracking; item (a) comes prefilled from the
/// clock.
#[tokio::test]
async fn the_finishing_notice_and_form_01_carry_the_dossiers_rating_link() {
    let app = TestApp::with_demo().await;
    let id = id_of(&app, PROCESSING).await;
    let origin = "http://localhost";
    let form = motcua::dossiers::forms::form01_data(&app.db.pool, origin, id)
        .await
        .unwrap();
    let path = form.rating_url.strip_prefix(origin).unwrap().to_owned();
    assert!(path.starts_with("/danh-gia/"), "{path}");
    let early = Page::parse(&app.server.get(&path).await.text());
    assert!(early.text("#not-yet").contains("chưa kết thúc"));
    assert!(!early.has("#overall"), "no form before the end");
    let refused = post_form(&app, "/tra-cuu", &path, &[("overall", "satisfied")]).await;
    assert_eq!(refused.status_code(), StatusCode::NOT_FOUND);

    // it ends, late: the finishing notice carries the same link
    sqlx::query(
        "update dossiers set status = 'returned', step = null, result_at = now(), \
           due_at = now() - interval '1 day' where id = $1",
    )
    .bind(id)
    .execute(&app.db.pool)
    .await
    .unwrap();
    sqlx::query("insert into notify_queue (dossier_id, kind) values ($1, 'finished')")
        .bind(id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    motcua::notify::compose::compose_queued(&app.db.pool, origin, 100)
        .await
        .unwrap();
    let bodies: Vec<String> = sqlx::query_scalar(
        "select body from outbound_messages where dossier_id = $1 and kind = 'finished'",
    )
    .bind(id)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert!(!bodies.is_empty(), "the applicant is told");
    assert!(
        bodies.iter().all(|b| b.contains(&form.rating_url)),
        "{bodies:?}"
    );
    // item (a) is prefilled from the clock, and shown
    let page = Page::parse(&app.server.get(&path).await.text());
    assert!(
        page.text("#timeliness").contains("trễ hạn"),
        "{}",
        page.text("#timeliness")
    );
    assert_eq!(page.attr("#item-a-no", "checked"), "");
    // the result's cover, handed over with the result, carries it as its QR code
    let desk = crate::helpers::official(&app, "tiepnhan").await;
    let cover = desk
        .server
        .get(&format!("/staff/dossiers/{id}/forms/bia.html"))
        .await;
    assert_eq!(cover.status_code(), StatusCode::OK);
    let cover = Page::parse(&cover.text());
    assert!(
        cover.text("h1").contains("BÌA HỒ SƠ KẾT QUẢ"),
        "{}",
        cover.text("h1")
    );
    assert_eq!(
        cover.text("#qr-link"),
        format!("Đánh giá: {}", form.rating_url)
            .replace("http://localhost", &app.settings.public_origin)
    );
    let pdf = desk
        .server
        .get(&format!("/staff/dossiers/{id}/forms/bia.pdf"))
        .await;
    assert!(pdf.as_bytes().starts_with(b"%PDF"));
    // tracking gives the same link
    let tracked = track(&app).await;
    assert_eq!(Page::parse(&tracked.text()).attr("#evaluate", "href"), path);
}

#[tokio::test]
async fn managers_see_the_evaluations_of_their_units_with_figure_5_4() {
    let app = TestApp::with_demo().await;
    sign_in_citizen(&app).await;
    let id = id_of(&app, RETURNED).await;
    let link = format!("/account/dossiers/{id}/evaluation");
    let sent = post_form(&app, &link, &link, &[("overall", "not_satisfied")]).await;
    assert_eq!(location(&sent), link);
    let manager = crate::helpers::official(&app, "quantricoquan").await;
    let page = Page::parse(
        &manager
            .server
            .get("/staff/evaluations?from=2025-01-01&to=2027-12-31")
            .await
            .text(),
    );
    let total = page.texts("#total td");
    // ended, evaluated, satisfied, not satisfied, with a complaint, late, 5.4
    assert!(total[0].parse::<i64>().unwrap() >= 4, "{total:?}");
    assert_eq!(&total[1..5], ["1", "0", "1", "0"], "{total:?}");
    let ended: f64 = total[0].parse().unwrap();
    let late: f64 = total[5].parse().unwrap();
    let expected = format!("{:.1} %", 100.0 - (late + 1.0) * 100.0 / ended).replace('.', ",");
    assert_eq!(total[6], expected);
    // the public statistics of the month show the agency's figure, without personal data
    let ended_at: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("select coalesce(result_at, updated_at) from dossiers where id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let local = motcua::deadlines::calendar::to_local(ended_at);
    let public = app
        .server
        .get(&format!(
            "/thong-ke?year={}&month={}",
            chrono::Datelike::year(&local),
            chrono::Datelike::month(&local)
        ))
        .await
        .text();
    let published = Page::parse(&public).text("#satisfaction");
    assert!(published.contains("Cẩm Thành"), "{published}");
    // no one's name in the published figures (the header names who is signed in)
    assert!(!Page::parse(&public).text("main").contains("Nguyễn Văn An"));
    // a period the wrong way round: told on the same page
    let wrong = Page::parse(
        &manager
            .server
            .get("/staff/evaluations?from=2026-12-31&to=2026-01-01")
            .await
            .text(),
    );
    assert!(wrong.has(".error-summary"));
    // an official who reports on nothing sees only the dossiers they handled; the postal
    // desk may not look
    let officer = crate::helpers::official(&app, "chuyenvien").await;
    let own = Page::parse(&officer.server.get("/staff/evaluations").await.text());
    assert!(own.text(".lead").contains("bạn đã xử lý"));
    assert!(
        !own.has("#by"),
        "no choice of grouping: their own line only"
    );
    let postal = crate::helpers::official(&app, "buudien").await;
    assert_eq!(
        postal.server.get("/staff/evaluations").await.status_code(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_citizen_rates_at_the_counter_on_the_tablet_the_official_invites_from() {
    let app = TestApp::with_demo().await;
    let desk = crate::helpers::official(&app, "tiepnhan").await;
    let home = Page::parse(&desk.server.get("/staff").await.text());
    let tablet_url = home.attr("#tablet a", "href");
    assert!(tablet_url.starts_with("/danh-gia/quay/"), "{tablet_url}");
    // the tablet: nobody signed in on it; it waits
    let tablet = TestApp::over_same(&app);
    let waiting = Page::parse(&tablet.server.get(&tablet_url).await.text());
    assert!(waiting.has("#tablet-waiting"));
    // the official serves the returned dossier and invites a rating
    let id = id_of(&app, RETURNED).await;
    let page = format!("/staff/dossiers/{id}");
    let invited = post_form(&desk, &page, &format!("{page}/invite-rating"), &[]).await;
    assert_eq!(location(&invited), page);
    let asking = tablet.server.get(&tablet_url).await.text();
    let asked = Page::parse(&asking);
    assert!(!asked.text("#tablet-procedure").is_empty());
    assert!(
        !asking.contains("Nguyễn Văn An"),
        "no personal data on the tablet"
    );
    let rated = post_form(
        &tablet,
        &tablet_url,
        &tablet_url,
        &[("overall", "not_satisfied")],
    )
    .await;
    assert_eq!(location(&rated), tablet_url);
    let (satisfied, channel): (bool, String) =
        sqlx::query_as("select satisfied, channel from dossier_evaluations where dossier_id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((satisfied, channel.as_str()), (false, "counter"));
    // the invitation is used: the tablet waits again, a second tap rates nothing
    assert!(Page::parse(&tablet.server.get(&tablet_url).await.text()).has("#tablet-waiting"));
    let token = asked.attr("input[name=csrf]", "value");
    tablet
        .server
        .post(&tablet_url)
        .form(&[("overall", "satisfied"), ("csrf", token.as_str())])
        .await;
    let still: bool =
        sqlx::query_scalar("select satisfied from dossier_evaluations where dossier_id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(!still);
    // a dossier in progress cannot be offered; a forged tablet link is not found
    let open = id_of(&app, PROCESSING).await;
    let refused = post_form(
        &desk,
        &format!("/staff/dossiers/{open}"),
        &format!("/staff/dossiers/{open}/invite-rating"),
        &[],
    )
    .await;
    assert_ne!(refused.status_code(), StatusCode::SEE_OTHER);
    // the signature's last digit changed
    let last = if tablet_url.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{last}", &tablet_url[..tablet_url.len() - 1]);
    assert_eq!(
        tablet.server.get(&forged).await.status_code(),
        StatusCode::NOT_FOUND
    );
}
