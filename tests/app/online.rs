//! Opening a procedure online with the chairman's approval: the readiness checklist, the
//! proposal, approval with a decision and an effective date (a new version from that day; the
//! dossiers filed before keep theirs), return and reject, and who may do what.

use axum::http::StatusCode;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::helpers::html::Page;
use crate::helpers::session::post_form;

/// Marriage registration: partly online, decided by every commune (the agency administrator's
/// UBND phường Cẩm Thành among them).
const CODE: &str = "1.000894";

use crate::helpers::official;

async fn propose(admin: &TestApp, fields: &[(&str, &str)]) -> axum_test::TestResponse {
    let page = format!("/admin/procedures/{CODE}/propose");
    post_form(admin, &page, &page, fields).await
}

#[tokio::test]
async fn a_procedure_opened_fully_online_with_the_chairmans_approval() {
    let app = TestApp::with_demo().await;
    let admin = official(&app, "quantricoquan").await;
    let levels = Page::parse(&admin.server.get("/admin/procedures").await.text());
    let row = levels.text(&format!("#level-{}", CODE.replace('.', "\\.")));
    assert!(row.contains("Một phần"), "{row}");
    assert!(levels.text("#share").contains('%'));
    let form = Page::parse(
        &admin
            .server
            .get(&format!("/admin/procedures/{CODE}/propose?to_level=full"))
            .await
            .text(),
    );
    let checklist = form.text("#checklist");
    assert!(
        checklist.contains("Trả kết quả điện tử hoặc qua bưu điện"),
        "{checklist}"
    );
    let red = checklist.contains("Chưa đạt");
    // no justification: refused on the same form, input kept
    let empty = propose(
        &admin,
        &[
            ("to_level", "full"),
            ("justification", ""),
            ("red_explanation", "x"),
        ],
    )
    .await;
    assert_eq!(empty.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        Page::parse(&empty.text())
            .text(".error-summary")
            .contains("lý do")
    );
    if red {
        let unexplained = propose(
            &admin,
            &[
                ("to_level", "full"),
                (
                    "justification",
                    "Người dân đăng ký kết hôn hoàn toàn trực tuyến",
                ),
            ],
        )
        .await;
        assert_eq!(unexplained.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            Page::parse(&unexplained.text())
                .text(".error-summary")
                .contains("giải trình")
        );
    }
    let sent = propose(
        &admin,
        &[
            ("to_level", "full"),
            (
                "justification",
                "Người dân đăng ký kết hôn hoàn toàn trực tuyến, nhận kết quả qua bưu điện",
            ),
            (
                "red_explanation",
                "Mẫu tờ khai sẽ được bổ sung trước ngày hiệu lực",
            ),
        ],
    )
    .await;
    assert_eq!(sent.status_code(), StatusCode::SEE_OTHER, "{}", sent.text());
    // one open proposal at a time
    let twice = propose(
        &admin,
        &[
            ("to_level", "none"),
            ("justification", "Một đề xuất khác cho cùng thủ tục"),
            ("red_explanation", "Giải trình thêm cho đủ"),
        ],
    )
    .await;
    assert_eq!(twice.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    // a dossier filed on the current version
    let old_version: Uuid = sqlx::query_scalar(
        "select id from procedure_versions where code = $1 and effective_to is null",
    )
    .bind(CODE)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let filed: Uuid = sqlx::query_scalar(
        "insert into dossiers (procedure_version_id, status, intake_channel, code, submitted_at) \
         values ($1, 'submitted', 1, '000.00.71.H48-261129-9999', now()) returning id",
    )
    .bind(old_version)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    // the agency administrator cannot decide; the chairman can
    let proposal: Uuid = sqlx::query_scalar("select id from online_level_proposals")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let not_theirs = post_form(
        &admin,
        "/staff/approvals",
        &format!("/staff/approvals/{proposal}"),
        &[("decision", "approve")],
    )
    .await;
    assert_eq!(not_theirs.status_code(), StatusCode::FORBIDDEN);
    let chairman = official(&app, "chutich").await;
    let page = Page::parse(&chairman.server.get("/staff/approvals").await.text());
    assert!(
        page.text(&format!("#proposal-{proposal}"))
            .contains("Một phần → Toàn trình")
    );
    let today = motcua::deadlines::calendar::today();
    let no_number = post_form(
        &chairman,
        "/staff/approvals",
        &format!("/staff/approvals/{proposal}"),
        &[
            ("decision", "approve"),
            ("decision_no", ""),
            ("effective_date", &today.to_string()),
        ],
    )
    .await;
    assert_eq!(no_number.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let approved = post_form(
        &chairman,
        "/staff/approvals",
        &format!("/staff/approvals/{proposal}"),
        &[
            ("decision", "approve"),
            ("decision_no", "2145/QĐ-UBND"),
            ("effective_date", &today.to_string()),
            ("comment", ""),
        ],
    )
    .await;
    assert_eq!(
        approved.status_code(),
        StatusCode::SEE_OTHER,
        "{}",
        approved.text()
    );
    // a new version in force from today, fully online; the old one ended; the dossier keeps it
    let (level, version_no, decision): (String, i32, Option<String>) = sqlx::query_as(
        "select online_level::text, version_no, decision_no from procedure_versions where code = $1 \
           and effective_from <= current_date and (effective_to is null or effective_to > current_date)",
    )
    .bind(CODE)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        (level.as_str(), version_no, decision.as_deref()),
        ("full", 2, Some("2145/QĐ-UBND"))
    );
    let kept: Uuid = sqlx::query_scalar("select procedure_version_id from dossiers where id = $1")
        .bind(filed)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(kept, old_version);
    let copied: (i64, i64) = sqlx::query_as(
        "select (select count(*) from procedure_documents d join procedure_versions v on v.id = d.version_id \
                 where v.code = $1 and v.version_no = 2), \
                (select count(*) from procedure_documents where version_id = $2)",
    )
    .bind(CODE)
    .bind(old_version)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(copied.0, copied.1, "the documents came along");
    // the public catalogue shows it fully online
    let public = Page::parse(&app.server.get(&format!("/thu-tuc/{CODE}")).await.text());
    assert!(
        public.text("main").contains("Toàn trình"),
        "{}",
        public.text("main")
    );
}

#[tokio::test]
async fn a_future_date_waits_and_returns_and_rejections_need_a_comment() {
    let app = TestApp::with_demo().await;
    let admin = official(&app, "quantricoquan").await;
    let sent = propose(
        &admin,
        &[
            ("to_level", "full"),
            ("justification", "Mở toàn trình để giảm người đến quầy"),
            (
                "red_explanation",
                "Các điều kiện còn thiếu sẽ được hoàn thiện",
            ),
        ],
    )
    .await;
    assert_eq!(sent.status_code(), StatusCode::SEE_OTHER, "{}", sent.text());
    let proposal: Uuid = sqlx::query_scalar("select id from online_level_proposals")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let chairman = official(&app, "chutich").await;
    let bare = post_form(
        &chairman,
        "/staff/approvals",
        &format!("/staff/approvals/{proposal}"),
        &[("decision", "return"), ("comment", "")],
    )
    .await;
    assert_eq!(bare.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let returned = post_form(
        &chairman,
        "/staff/approvals",
        &format!("/staff/approvals/{proposal}"),
        &[
            ("decision", "return"),
            ("comment", "Bổ sung mẫu tờ khai điện tử trước khi trình lại"),
        ],
    )
    .await;
    assert_eq!(returned.status_code(), StatusCode::SEE_OTHER);
    // returned: the administrator may propose again; this time approved from next month
    let again = propose(
        &admin,
        &[
            ("to_level", "full"),
            (
                "justification",
                "Đã bổ sung mẫu tờ khai điện tử theo ý kiến",
            ),
            (
                "red_explanation",
                "Các điều kiện còn thiếu sẽ được hoàn thiện",
            ),
        ],
    )
    .await;
    assert_eq!(again.status_code(), StatusCode::SEE_OTHER);
    let second: Uuid =
        sqlx::query_scalar("select id from online_level_proposals where status = 'submitted'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let later = motcua::deadlines::calendar::today() + chrono::Duration::days(30);
    let approved = post_form(
        &chairman,
        "/staff/approvals",
        &format!("/staff/approvals/{second}"),
        &[
            ("decision", "approve"),
            ("decision_no", "99/QĐ-UBND"),
            ("effective_date", &later.to_string()),
        ],
    )
    .await;
    assert_eq!(approved.status_code(), StatusCode::SEE_OTHER);
    // until then the public page keeps the current level
    let public = Page::parse(&app.server.get(&format!("/thu-tuc/{CODE}")).await.text());
    assert!(
        !public.text("main").contains("Toàn trình"),
        "{}",
        public.text("main")
    );
    let levels: Vec<(String, chrono::NaiveDate)> = sqlx::query_as(
        "select online_level::text, effective_from from procedure_versions where code = $1 order by version_no",
    )
    .bind(CODE)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(levels.len(), 2);
    assert_eq!(levels[1], ("full".to_owned(), later));
    // an agency administrator cannot propose for another agency's procedure
    let province = propose_for(&admin, "1.001122").await;
    assert_eq!(province.status_code(), StatusCode::FORBIDDEN);
}

async fn propose_for(admin: &TestApp, code: &str) -> axum_test::TestResponse {
    admin
        .server
        .get(&format!("/admin/procedures/{code}/propose"))
        .await
}

/// The levels page offers a proposal only where the reader may make one; the level proposed is
/// the one selected, with or without "Kiểm tra điều kiện" pressed first; the chairman's page
/// holds one form per proposal with ids of their own, a failed form keeping its input in its
/// own section.
#[tokio::test]
async fn proposals_are_offered_where_allowed_and_send_the_level_selected() {
    let app = TestApp::with_demo().await;
    let admin = official(&app, "quantricoquan").await;
    let levels = Page::parse(&admin.server.get("/admin/procedures").await.text());
    let theirs = format!("#level-{} a", CODE.replace('.', "\\."));
    assert_eq!(
        levels.attr(&theirs, "href"),
        format!("/admin/procedures/{CODE}/propose")
    );
    let province = levels.text("#level-1\\.001122");
    assert!(!levels.has("#level-1\\.001122 a"), "{province}");
    assert!(province.contains("Do cơ quan khác đề xuất"), "{province}");
    assert!(levels.id_faults().is_empty(), "{:?}", levels.id_faults());

    // the form opens on "Toàn trình"; the administrator picks "none" and checks it
    let page = format!("/admin/procedures/{CODE}/propose");
    let form = Page::parse(&admin.server.get(&page).await.text());
    assert_eq!(form.attr("input[name=to_level][checked]", "value"), "full");
    assert!(form.id_faults().is_empty(), "{:?}", form.id_faults());
    let checked = post_form(
        &admin,
        &page,
        &page,
        &[
            ("to_level", "none"),
            ("check", "1"),
            ("justification", "Chưa đủ điều kiện"),
        ],
    )
    .await;
    assert_eq!(checked.status_code(), StatusCode::OK);
    let checked = Page::parse(&checked.text());
    assert_eq!(
        checked.attr("input[name=to_level][checked]", "value"),
        "none"
    );
    assert_eq!(checked.text("#justification"), "Chưa đủ điều kiện");
    let none: i64 = sqlx::query_scalar("select count(*) from online_level_proposals")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(none, 0, "checking submits nothing");
    // the level selected is sent, whatever was checked before
    let sent = post_form(
        &admin,
        &page,
        &page,
        &[
            ("to_level", "none"),
            ("justification", "Thủ tục cần đối chiếu bản chính tại quầy"),
            ("red_explanation", "Không có điều kiện nào chưa đạt"),
        ],
    )
    .await;
    assert_eq!(sent.status_code(), StatusCode::SEE_OTHER, "{}", sent.text());
    let level: String = sqlx::query_scalar("select to_level::text from online_level_proposals")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(level, "none");

    // a second proposal, by the system administrator
    let system = official(&app, "quantri").await;
    let other = "/admin/procedures/1.001122/propose";
    let sent = post_form(
        &system,
        other,
        other,
        &[
            ("to_level", "full"),
            ("justification", "Mở toàn trình cho thủ tục cấp tỉnh"),
            ("red_explanation", "Các điều kiện sẽ được hoàn thiện trước"),
        ],
    )
    .await;
    assert_eq!(sent.status_code(), StatusCode::SEE_OTHER, "{}", sent.text());
    let chairman = official(&app, "chutich").await;
    let approvals = Page::parse(&chairman.server.get("/staff/approvals").await.text());
    assert_eq!(approvals.texts("section.panel form").len(), 2);
    assert!(
        approvals.id_faults().is_empty(),
        "{:?}",
        approvals.id_faults()
    );
    let second: Uuid =
        sqlx::query_scalar("select p.id from online_level_proposals p where to_level = 'full'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let refused = post_form(
        &chairman,
        "/staff/approvals",
        &format!("/staff/approvals/{second}"),
        &[
            ("decision", "approve"),
            ("decision_no", "1"),
            ("effective_date", ""),
            ("comment", "Ghi chú của chủ tịch"),
        ],
    )
    .await;
    assert_eq!(refused.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = Page::parse(&refused.text());
    assert!(refused.id_faults().is_empty(), "{:?}", refused.id_faults());
    assert_eq!(
        refused.attr(".error-summary a", "href"),
        format!("#decision_no-{second}")
    );
    assert_eq!(
        refused.text(&format!("#comment-{second}")),
        "Ghi chú của chủ tịch"
    );
    let first: Uuid =
        sqlx::query_scalar("select p.id from online_level_proposals p where to_level = 'none'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(refused.texts(&format!("#comment-{first}")), [""]);
}
