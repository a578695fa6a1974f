//! The reports dashboard against a data set whose figures are worked out by hand here (not
//! by re-running the report's SQL): every path of October 2026 at one commune.

use axum::http::StatusCode;

use crate::helpers::TestApp;
use crate::helpers::html::Page;

use crate::helpers::official;

/// A dossier received by UBND xã Ba Xa: its channel, appointment (first printed, and the one
/// in force), whether an electronic result was issued, and its events as (status, local time).
pub(crate) struct Seed {
    code: &'static str,
    channel: i16,
    due: &'static str,
    due_now: Option<&'static str>,
    e_result: bool,
    events: &'static [(&'static str, &'static str)],
    /// documents attached as files; one of them reused from an earlier dossier
    files: bool,
    reused: bool,
    /// billed: paid online (Some(true)), at the counter or not yet (Some(false))
    paid_online: Option<bool>,
}

/// Seeds `s` at the commune `slug`, its code prefixed with `prefix`.
pub(crate) async fn seed(pool: &sqlx::PgPool, s: &Seed, slug: &str, prefix: &str) {
    let status = s.events.last().unwrap().0;
    let received = s
        .events
        .iter()
        .find(|e| e.0 == "received")
        .map(|e| e.1)
        .unwrap();
    let result_at = s
        .events
        .iter()
        .find(|e| e.0 == "result_ready")
        .map(|e| format!("{}+07", e.1));
    let id: uuid::Uuid = sqlx::query_scalar(
        "insert into dossiers (code, procedure_version_id, status, intake_channel, submitted_at, received_at, \
           due_at, original_due_at, receiving_agency_id, competent_agency_id, step, result_at, applicant_name) \
         select $1, v.id, $2::dossier_status, $3, $4::timestamptz - interval '1 hour', $4::timestamptz, \
           $5::timestamptz, $6::timestamptz, a.id, a.id, \
           case when $2 = 'processing' then 'appraisal'::processing_step end, $7::timestamptz, 'Người thử' \
         from procedure_versions v, agencies a \
         where v.code = '1.001193' and v.effective_to is null and a.slug = $8 returning id",
    )
    // "BX-T-A": the register prints a code on two lines at its first hyphen
    .bind(format!("{prefix}-{}", s.code))
    .bind(status)
    .bind(s.channel)
    .bind(format!("{received}+07"))
    .bind(format!("{}+07", s.due_now.unwrap_or(s.due)))
    .bind(format!("{}+07", s.due))
    .bind(result_at)
    .bind(slug)
    .fetch_one(pool)
    .await
    .unwrap();
    let mut from: Option<&str> = Some("submitted");
    for (to, at) in s.events {
        sqlx::query(
            "insert into dossier_events (dossier_id, at, from_status, to_status, actor_kind) \
             values ($1, $2::timestamptz, $3::dossier_status, $4::dossier_status, 'system')",
        )
        .bind(id)
        .bind(format!("{at}+07"))
        .bind(from)
        .bind(to)
        .execute(pool)
        .await
        .unwrap();
        from = Some(to);
    }
    if s.files {
        // a document, and when reused a second one taken from it (as from an earlier dossier)
        sqlx::query(
            "with first as (insert into dossier_files (dossier_id, document_position, storage_key, \
               original_name, content_type, size_bytes, sha256) \
               values ($1, 1, 'd', 'to-khai.pdf', 'application/pdf', 1, 'x') returning id) \
             insert into dossier_files (dossier_id, document_position, storage_key, original_name, \
               content_type, size_bytes, sha256, reused_from) \
             select $1, 2, 'e', 'giay-to.pdf', 'application/pdf', 1, 'y', first.id from first where $2",
        )
        .bind(id)
        .bind(s.reused)
        .execute(pool)
        .await
        .unwrap();
    }
    if let Some(online) = s.paid_online {
        sqlx::query(
            "insert into payments (dossier_id, amount_vnd, items, method, online_mode, gateway, txn_ref, \
               status, settled_at, settled_by) \
             values ($1, 20000, '[]', case when $2 then 'gateway' else 'cash' end, \
               case when $2 then 2::smallint end, case when $2 then 'vnpay' end, \
               case when $2 then $3 end, 'paid', now(), case when $2 then 'ipn' else 'counter' end)",
        )
        .bind(id)
        .bind(online)
        .bind(format!("ref-{prefix}-{}", s.code))
        .execute(pool)
        .await
        .unwrap();
    }
    if s.e_result {
        sqlx::query(
            "with f as (insert into dossier_files (dossier_id, storage_key, original_name, content_type, \
               size_bytes, sha256, purpose) values ($1, 'k', 'ket-qua.pdf', 'application/pdf', 1, 'x', 'result') \
               returning id) \
             update dossiers set result_file_id = (select id from f) where id = $1",
        )
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
    }
}

const R: &str = "received";
const RR: &str = "result_ready";

pub(crate) fn october() -> Vec<Seed> {
    let s = |code, channel, due, e_result, events| Seed {
        code,
        channel,
        due,
        due_now: None,
        e_result,
        events,
        files: false,
        reused: false,
        paid_online: None,
    };
    let mut all = vec![
        // A: early (result three days before the appointment)
        s(
            "T-A",
            2,
            "2026-10-08 09:00",
            true,
            &[(R, "2026-10-02 09:00"), (RR, "2026-10-05 09:00")],
        ),
        // B: on time (the appointment's day, before its hour), then returned
        s(
            "T-B",
            1,
            "2026-10-09 17:00",
            false,
            &[
                (R, "2026-10-03 09:00"),
                (RR, "2026-10-09 09:00"),
                ("returned", "2026-10-10 09:00"),
            ],
        ),
        // C: late, by post
        s(
            "T-C",
            3,
            "2026-10-12 09:00",
            true,
            &[(R, "2026-10-05 09:00"), (RR, "2026-10-15 09:00")],
        ),
        // D: paused once for a supplement, early against the restarted appointment
        s(
            "T-D",
            2,
            "2026-10-25 09:00",
            true,
            &[
                (R, "2026-10-06 09:00"),
                ("supplement_requested", "2026-10-07 09:00"),
                ("processing", "2026-10-09 09:00"),
                (RR, "2026-10-20 09:00"),
            ],
        ),
        // E: a second supplement request makes it late whatever the dates
        s(
            "T-E",
            2,
            "2026-10-25 09:00",
            true,
            &[
                (R, "2026-10-06 09:00"),
                ("supplement_requested", "2026-10-07 09:00"),
                ("processing", "2026-10-08 09:00"),
                ("supplement_requested", "2026-10-12 09:00"),
                ("processing", "2026-10-13 09:00"),
                (RR, "2026-10-20 09:00"),
            ],
        ),
        // F: refused on its merits, in time
        s(
            "T-F",
            1,
            "2026-10-20 09:00",
            false,
            &[
                (R, "2026-10-08 09:00"),
                ("refused_on_merits", "2026-10-09 09:00"),
            ],
        ),
        // G: withdrawn after reception
        s(
            "T-G",
            2,
            "2026-10-20 09:00",
            false,
            &[(R, "2026-10-08 09:00"), ("withdrawn", "2026-10-10 09:00")],
        ),
        // H: stopped
        s(
            "T-H",
            1,
            "2026-10-20 09:00",
            false,
            &[(R, "2026-10-09 09:00"), ("stopped", "2026-10-11 09:00")],
        ),
        // I: in progress at the end of October, due in November
        s(
            "T-I",
            2,
            "2026-11-05 09:00",
            false,
            &[(R, "2026-10-20 09:00"), ("processing", "2026-10-21 09:00")],
        ),
        // J: in progress, past due at the end of October
        s(
            "T-J",
            1,
            "2026-10-25 09:00",
            false,
            &[(R, "2026-10-10 09:00"), ("processing", "2026-10-11 09:00")],
        ),
        // K: carried over from September, finished late in October
        s(
            "T-K",
            2,
            "2026-10-02 09:00",
            true,
            &[(R, "2026-09-25 09:00"), (RR, "2026-10-03 09:00")],
        ),
        // L: finished in September: not in October's figures
        s(
            "T-L",
            1,
            "2026-10-01 09:00",
            false,
            &[(R, "2026-09-20 09:00"), (RR, "2026-09-28 09:00")],
        ),
        // M: received in November: not in October's figures
        s(
            "T-M",
            2,
            "2026-11-10 09:00",
            false,
            &[(R, "2026-11-02 09:00")],
        ),
        // N: waiting for the citizen's supplement, asked before the appointment
        s(
            "T-N",
            2,
            "2026-10-20 09:00",
            false,
            &[
                (R, "2026-10-12 09:00"),
                ("supplement_requested", "2026-10-14 09:00"),
            ],
        ),
        // O: online, but its paper result had no electronic copy: not counted online for 3.3
        s(
            "T-O",
            2,
            "2026-10-25 09:00",
            false,
            &[(R, "2026-10-15 09:00"), (RR, "2026-10-18 09:00")],
        ),
        // P: rescheduled from 10/10 to 20/10, finished 15/10: late against the first appointment
        Seed {
            code: "T-P",
            channel: 2,
            due: "2026-10-10 09:00",
            due_now: Some("2026-10-20 09:00"),
            e_result: true,
            events: &[(R, "2026-10-08 09:00"), (RR, "2026-10-15 09:00")],
            files: true,
            reused: false,
            paid_online: None,
        },
    ];
    // documents as files (one reused), and payments: online, at the counter, or billed only
    for seed in &mut all {
        let (files, reused, paid_online) = match seed.code {
            "T-A" => (true, true, Some(true)),
            "T-B" => (true, false, Some(false)),
            "T-C" => (true, false, Some(true)),
            "T-D" => (true, true, None),
            "T-E" | "T-O" | "T-P" => (true, false, None),
            "T-F" => (false, false, Some(false)),
            _ => (false, false, None),
        };
        seed.files = files;
        seed.reused = reused;
        seed.paid_online = paid_online;
    }
    all
}

const OCTOBER: &str = "/staff/reports?kind=month&year=2026&number=10";

#[tokio::test]
async fn the_dashboard_shows_the_hand_worked_figures_and_each_unit_sees_its_own() {
    let app = TestApp::with_demo().await;
    // the same sixteen dossiers at four communes: 64, each commune's figures alike
    for (slug, prefix) in [
        ("ubnd-xa-ba-xa", "BX"),
        ("ubnd-xa-ro-koi", "RK"),
        ("ubnd-xa-mo-rai", "MR"),
        ("ubnd-xa-ia-dal", "ID"),
    ] {
        for s in october() {
            seed(&app.db.pool, &s, slug, prefix).await;
        }
    }
    let ba_xa: String =
        sqlx::query_scalar("select id::text from agencies where slug = 'ubnd-xa-ba-xa'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let province = official(&app, "quantri").await;
    let page = Page::parse(&province.server.get(OCTOBER).await.text());
    assert_eq!(page.text("#period strong"), "01/10/2026 – 31/10/2026");
    let row = ba_xa_row(&page);
    // received, counter, online, post, online share, carried over, early, on time, late, in
    // progress within / past due, supplement asked, waiting, refused, withdrawn, stopped, 2.1,
    // average days
    assert!(
        row.ends_with("Ba Xa 13 4 8 1 61,5 % 1 3 1 4 1 1 3 1 1 1 1 64,3 % 8,1"),
        "{row}"
    );

    // the province: four times one commune (2.1 = 36 ÷ 56, the same rate)
    let province_total = cells(&page.text("#total"));
    assert!(
        province_total.ends_with("52 16 32 4 61,5 % 4 12 4 16 4 4 12 4 4 4 4 64,3 % 8,1"),
        "{province_total}"
    );
    assert!(page.has("svg.chart"), "the trend chart");
    assert!(page.text("#indicator-2-1").contains("(36)"));

    // drilled down into Ba Xa: the same figures, and the indicators with their formulas
    let drill = Page::parse(
        &province
            .server
            .get(&format!("{OCTOBER}&agency={ba_xa}"))
            .await
            .text(),
    );
    let total = drill.text("#total");
    assert!(total.contains("64,3 %") && total.contains("8,1"), "{total}");
    let i21 = drill.text("#indicator-2-1");
    assert!(
        i21.contains("64,3 %") && i21.contains("(9)") && i21.contains("(14)"),
        "{i21}"
    );
    assert!(i21.contains("12,86/20"), "{i21}");
    let i33 = drill.text("#indicator-3-3");
    assert!(
        i33.contains("53,8 %") && i33.contains("(7;") && i33.contains("(13)"),
        "{i33}"
    );
    assert!(i33.contains("đạt ngưỡng 50 %"), "{i33}");
    // 3.2: the one online procedure filed online here; 3.6: A and C paid online of A, B, C, F
    // billed; 4.1: electronic results of A, C, D, E, K, P among the eight results (with B, O);
    // 4.2: documents and electronic result: A, C, D, E, P of 13; 4.3: A and D reused
    assert!(drill.text("#indicator-3-2").contains("(1)"));
    let expect = [
        ("#indicator-3-6", "50,0 %", "(2)", "(4)"),
        ("#indicator-4-1", "75,0 %", "(6)", "(8)"),
        ("#indicator-4-2", "38,5 %", "(5)", "(13)"),
        ("#indicator-4-3", "15,4 %", "(2)", "(13)"),
    ];
    for (id, value, part, whole) in expect {
        let text = drill.text(id);
        assert!(
            text.contains(value) && text.contains(part) && text.contains(whole),
            "{id}: {text}"
        );
    }

    // the CSV has the same figures
    let csv = province
        .server
        .get(&format!(
            "/staff/reports.csv?kind=month&year=2026&number=10&agency={ba_xa}"
        ))
        .await;
    assert_eq!(csv.status_code(), StatusCode::OK);
    let text = csv.text();
    assert!(
        text.starts_with('\u{feff}'),
        "a byte-order mark for spreadsheets"
    );
    let last = text.lines().last().unwrap();
    assert_eq!(
        last,
        ",Tổng cộng,13,4,8,1,\"61,5 %\",\"7,7 %\",1,3,1,4,1,1,3,1,1,1,1,\"64,3 %\",\"8,1\""
    );

    // the workbook: the same figures, counts as numbers and rates as percentages
    let xlsx = province
        .server
        .get(&format!(
            "/staff/reports.xlsx?kind=month&year=2026&number=10&agency={ba_xa}"
        ))
        .await;
    assert_eq!(xlsx.status_code(), StatusCode::OK);
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.as_bytes().to_vec())).unwrap();
    let sheet = book.worksheet_range("Báo cáo").unwrap();
    let total: Vec<String> = sheet
        .rows()
        .next_back()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(total[1], "Tổng cộng");
    assert_eq!(&total[2..6], ["13", "4", "8", "1"]);
    let on_time: f64 = total[19].parse().unwrap();
    assert!((on_time - 9.0 / 14.0).abs() < 1e-9, "{on_time}");
    let days: f64 = total[20].parse().unwrap();
    assert!((days - 8.125).abs() < 1e-9, "{days}");

    // Form 07, the register: the thirteen dossiers received in October, in order
    let register = province
        .server
        .get(&format!(
            "/staff/reports/register.pdf?kind=month&year=2026&number=10&agency={ba_xa}"
        ))
        .await;
    assert_eq!(register.status_code(), StatusCode::OK);
    if let Some(text) = crate::helpers::pdf_text(register.as_bytes()) {
        assert!(text.contains("SỔ THEO DÕI HỒ SƠ"), "{text}");
        assert!(text.contains("Từ ngày 01/10/2026 đến ngày 31/10/2026"));
        for code in [
            "T-A", "T-B", "T-C", "T-D", "T-E", "T-F", "T-G", "T-H", "T-I", "T-J", "T-N", "T-O",
            "T-P",
        ] {
            assert!(text.contains(code), "{code} in the register");
        }
        for code in ["T-K", "T-L", "T-M"] {
            assert!(!text.contains(code), "{code} was not received in October");
        }
        assert!(text.contains("Mẫu số 07"));
    }

    // the public page and the open data: the same figures, without signing in
    let public = Page::parse(&app.server.get("/thong-ke?year=2026&month=10").await.text());
    let ba_xa_public = ba_xa_in(&public, "#agencies tbody tr");
    assert!(
        ba_xa_public.ends_with("Ba Xa 13 4 8 1 53,8 % 7,7 % 64,3 %"),
        "{ba_xa_public}"
    );
    assert!(public.has("svg.chart title"), "a chart with a title");
    let json: serde_json::Value = app
        .server
        .get("/api/v1/statistics?year=2026&month=10")
        .await
        .json();
    let agency = json["agencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"].as_str().unwrap().contains("Ba Xa"))
        .unwrap();
    assert_eq!(agency["received"], 13);
    assert_eq!(agency["online"], 8);
    assert_eq!(agency["online_share"], 0.5385);
    assert_eq!(agency["on_time_rate"], 0.6429);
    assert_eq!(json["months"][9]["name"], "10/2026");
    assert_eq!(
        app.server
            .get("/api/v1/statistics?year=2026&month=13")
            .await
            .status_code(),
        StatusCode::BAD_REQUEST
    );

    // a commune's official sees their own commune only
    let local = official(&app, "lanhdao").await;
    let own = Page::parse(&local.server.get(OCTOBER).await.text());
    assert!(!own.text("#report").contains("Ba Xa"));
    let denied = local.server.get(&format!("{OCTOBER}&agency={ba_xa}")).await;
    assert_eq!(denied.status_code(), StatusCode::FORBIDDEN);
    let denied_csv = local
        .server
        .get(&format!(
            "/staff/reports.csv?kind=month&year=2026&number=10&agency={ba_xa}"
        ))
        .await;
    assert_eq!(denied_csv.status_code(), StatusCode::FORBIDDEN);
    let denied_register = local
        .server
        .get(&format!(
            "/staff/reports/register.pdf?kind=month&year=2026&number=10&agency={ba_xa}"
        ))
        .await;
    assert_eq!(denied_register.status_code(), StatusCode::FORBIDDEN);
    // their own register needs no agency: they have one
    let own_register = local
        .server
        .get("/staff/reports/register.pdf?kind=month&year=2026&number=10")
        .await;
    assert_eq!(own_register.status_code(), StatusCode::OK);

    // a later event reaches the next report: J's result, late, on 30/10
    sqlx::query(
        "insert into dossier_events (dossier_id, at, from_status, to_status, actor_kind) \
         select id, '2026-10-30 09:00+07', 'processing', 'result_ready', 'system' \
         from dossiers where code = 'BX-T-J'",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let after = Page::parse(
        &province
            .server
            .get(&format!("{OCTOBER}&agency={ba_xa}"))
            .await
            .text(),
    );
    let total = cells(&after.text("#total"));
    // late 4 → 5, in progress past due 1 → 0
    assert!(total.contains("1 3 1 5 1 0 3 1 1 1 1 64,3 %"), "{total}");
}

/// A row's or cell's text with its words joined by single spaces.
fn cells(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The row of Ba Xa among the rows `rows` of a page, its cells joined by single spaces.
fn ba_xa_in(page: &Page, rows: &str) -> String {
    let row = page
        .texts(rows)
        .into_iter()
        .find(|r| r.contains("Ba Xa"))
        .expect("a row for Ba Xa");
    cells(&row)
}

/// The row of Ba Xa in a report page.
fn ba_xa_row(page: &Page) -> String {
    ba_xa_in(page, "#report tbody tr")
}

/// Most dossiers of a long period are counted from pools summed per day of their finish; those
/// that cross the period's bounds are read one by one. Other periods than October, worked out
/// by hand from the same sixteen dossiers, and a later correction that moves a finish.
#[tokio::test]
async fn periods_count_the_dossiers_that_cross_their_bounds_and_follow_corrections() {
    let app = TestApp::with_demo().await;
    let plain = |code, channel, due, events| Seed {
        code,
        channel,
        due,
        due_now: None,
        e_result: false,
        events,
        files: false,
        reused: false,
        paid_online: None,
    };
    let mut all = october();
    all.extend([
        // Q: stopped in the minute its supplement was asked (an imported history): not pooled,
        // read one by one; judged at its finish, in time
        plain(
            "T-Q",
            1,
            "2026-10-30 09:00",
            &[
                (R, "2026-10-16 09:00"),
                ("supplement_requested", "2026-10-19 09:00"),
                ("stopped", "2026-10-19 09:00"),
            ],
        ),
        // R: its result at the stroke of midnight that ends October: in progress in October,
        // carried over into November and finished early there (3 days 15 hours)
        plain(
            "T-R",
            2,
            "2026-11-05 09:00",
            &[(R, "2026-10-28 09:00"), (RR, "2026-11-01 00:00")],
        ),
        // S: received and its result ready at the midnight that begins October: not in
        // September, early in October, in no time
        plain(
            "T-S",
            2,
            "2026-10-05 09:00",
            &[(R, "2026-10-01 00:00"), (RR, "2026-10-01 00:00")],
        ),
    ]);
    for s in &all {
        seed(&app.db.pool, s, "ubnd-xa-ba-xa", "BX").await;
    }
    let province = official(&app, "quantri").await;
    let get = |path: String| {
        let client = &province;
        async move { Page::parse(&client.server.get(&path).await.text()) }
    };
    let ba_xa: String =
        sqlx::query_scalar("select id::text from agencies where slug = 'ubnd-xa-ba-xa'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();

    // September: L received and finished early (8 days); K received, still open at the end
    // of the month and not yet due
    let september = get("/staff/reports?kind=month&year=2026&number=9".into()).await;
    assert!(
        ba_xa_row(&september).ends_with("Ba Xa 2 1 1 0 50,0 % 0 1 0 0 1 0 0 0 0 0 0 100,0 % 8,0"),
        "{}",
        ba_xa_row(&september)
    );

    // October: Q stopped in time, R in progress and not yet due, S early; 2.1: 12 of 17; ten
    // results less S's: 65 days over 9
    let october_page = get(OCTOBER.into()).await;
    assert!(
        ba_xa_row(&october_page)
            .ends_with("Ba Xa 16 5 10 1 62,5 % 1 4 1 4 2 1 4 1 1 1 2 70,6 % 7,2"),
        "{}",
        ba_xa_row(&october_page)
    );

    // November, judged today: I, J and N carried over and still open, R carried over and
    // finished early (its share taken back out of the pools), M received and past due
    let november = get("/staff/reports?kind=month&year=2026&number=11".into()).await;
    assert!(
        ba_xa_row(&november).ends_with("Ba Xa 1 0 1 0 100,0 % 4 1 0 0 0 3 0 1 0 0 0 40,0 % 3,6"),
        "{}",
        ba_xa_row(&november)
    );

    // the fourth quarter, judged today for what is still open: K carried over and finished
    // late within it; M received in November, online (11 of 17); I, J and M past due now;
    // 2.1: A, B, D, F, G, H, N, O, Q, R, S of 18; ten results in 68.625 days
    let quarter = get("/staff/reports?kind=quarter&year=2026&number=4".into()).await;
    assert!(
        ba_xa_row(&quarter).ends_with("Ba Xa 17 5 11 1 64,7 % 1 5 1 4 0 3 4 1 1 1 2 61,1 % 6,9"),
        "{}",
        ba_xa_row(&quarter)
    );
    // Ba Xa's own trend, month by month
    let drill = get(format!(
        "/staff/reports?kind=quarter&year=2026&number=4&agency={ba_xa}"
    ))
    .await;
    let trend: Vec<String> = drill
        .texts("#trend tbody tr")
        .into_iter()
        .map(|r| cells(&r))
        .collect();
    assert_eq!(trend, ["10/2026 5 10 1", "11/2026 0 1 0", "12/2026 0 0 0"]);

    // the year: nothing carried over, all nineteen received
    let year = get("/staff/reports?kind=year&year=2026".into()).await;
    assert!(
        ba_xa_row(&year).contains("Ba Xa 19 6 12 1 "),
        "{}",
        ba_xa_row(&year)
    );

    // a correction: A's result was in fact ready a day earlier (2 days instead of 3), which
    // moves it from one day's pool to another's: 64 days over 9
    sqlx::query(
        "insert into dossier_events (dossier_id, at, from_status, to_status, actor_kind) \
         select id, '2026-10-04 09:00+07', 'processing', 'result_ready', 'system' \
         from dossiers where code = 'BX-T-A'",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let corrected = get(OCTOBER.into()).await;
    assert!(
        ba_xa_row(&corrected).ends_with("1 4 1 4 2 1 4 1 1 1 2 70,6 % 7,1"),
        "{}",
        ba_xa_row(&corrected)
    );
    let pool = |day: &'static str| {
        let db = app.db.pool.clone();
        async move {
            sqlx::query_as::<_, (i64, i64, i64)>(
                "select received_online, early, processing_seconds from report_pools \
                 where day = $1::date \
                   and agency_id = (select id from agencies where slug = 'ubnd-xa-ba-xa')",
            )
            .bind(day)
            .fetch_optional(&db)
            .await
            .unwrap()
        }
    };
    assert_eq!(pool("2026-10-05").await, None, "A left its old day's pool");
    assert_eq!(pool("2026-10-04").await, Some((1, 1, 2 * 86_400)));

    // the pools hold what the facts say: every dossier received per day, and every pooled
    // one finished per day
    let received_differs: i64 = sqlx::query_scalar(
        "with facts as (select (received_at at time zone 'Asia/Ho_Chi_Minh')::date as day, \
             agency_id, version_id, channel, count(*) as n from report_facts group by 1, 2, 3, 4) \
         select count(*) from facts full join report_received r using (day, agency_id, version_id, channel) \
         where facts.n is distinct from r.dossiers",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(received_differs, 0);
    let pooled_differs: i64 = sqlx::query_scalar(
        "with facts as (select (finish_at at time zone 'Asia/Ho_Chi_Minh')::date as day, \
             agency_id, version_id, count(*) as n from report_facts where pooled group by 1, 2, 3) \
         select count(*) from facts full join report_pools p using (day, agency_id, version_id) \
         where facts.n is distinct from p.received_counter + p.received_online + p.received_post",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(pooled_differs, 0);
}

/// The pools kept up to date change by change are those summed again from every dossier's
/// facts; pools summed with older rules are summed again at start-up, and meanwhile the
/// reports say they are catching up and no refresh touches them; nothing changes the facts
/// without the pools.
#[tokio::test]
async fn pools_summed_again_from_the_facts_are_those_kept_change_by_change() {
    let app = TestApp::with_demo().await;
    for s in october() {
        seed(&app.db.pool, &s, "ubnd-xa-ba-xa", "BX").await;
    }
    let province = official(&app, "quantri").await;
    let before = Page::parse(&province.server.get(OCTOBER).await.text());
    assert!(!before.has("#behind"));
    // a correction, kept change by change: J's result, late, on 30/10
    let event = "insert into dossier_events (dossier_id, at, from_status, to_status, actor_kind) \
         select id, '2026-10-30 09:00+07', 'processing', 'result_ready', 'system' \
         from dossiers where code = 'BX-T-J'";
    sqlx::query(event).execute(&app.db.pool).await.unwrap();
    let kept = Page::parse(&province.server.get(OCTOBER).await.text());
    let pools = |db: sqlx::PgPool| async move {
        let rows: Vec<String> = sqlx::query_scalar(
            "select p::text from report_pools p order by day, agency_id, version_id",
        )
        .fetch_all(&db)
        .await
        .unwrap();
        let received: Vec<String> = sqlx::query_scalar(
            "select r::text from report_received r order by day, agency_id, version_id, channel",
        )
        .fetch_all(&db)
        .await
        .unwrap();
        (rows, received)
    };
    let change_by_change = pools(app.db.pool.clone()).await;
    assert!(!change_by_change.0.is_empty());

    // the pools summed with `rules`, and a change of A queued; then the queue's length
    let summed_with_and_queue_a = |rules: i32| {
        let db = app.db.pool.clone();
        async move {
            sqlx::query("update report_pools_state set rules = $1")
                .bind(rules)
                .execute(&db)
                .await
                .unwrap();
            sqlx::query(
                "insert into report_dirty (dossier_id) select id from dossiers where code = 'BX-T-A'",
            )
            .execute(&db)
            .await
            .unwrap();
        }
    };
    let queued = || {
        let db = app.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("select count(*) from report_dirty")
                .fetch_one(&db)
                .await
                .unwrap()
        }
    };

    // pools summed with older rules: the reports say so, and the queue waits
    summed_with_and_queue_a(0).await;
    let stale = Page::parse(&province.server.get(OCTOBER).await.text());
    assert!(
        stale.has("#behind"),
        "the page says the figures are catching up"
    );
    assert_eq!(queued().await, 1, "no refresh while the pools wait");
    // nothing changes the facts without their pools
    let direct = sqlx::query(
        "select refresh_report_facts(array(select id from dossiers where code = 'BX-T-A'))",
    )
    .execute(&app.db.pool)
    .await;
    assert!(
        direct.is_err(),
        "refresh_report_facts refuses a caller that skips the pools"
    );

    // start-up sums them again: the same pools, and the same figures
    motcua::db::migrate(&app.db.pool).await.unwrap();
    assert_eq!(pools(app.db.pool.clone()).await, change_by_change);
    let again = Page::parse(&province.server.get(OCTOBER).await.text());
    assert!(!again.has("#behind"));
    assert_eq!(ba_xa_row(&again), ba_xa_row(&kept));

    // pools summed by a newer version: this one leaves them and the queue alone
    summed_with_and_queue_a(1000).await;
    motcua::db::migrate(&app.db.pool).await.unwrap();
    let newer = Page::parse(&province.server.get(OCTOBER).await.text());
    assert!(newer.has("#behind"));
    assert_eq!(queued().await, 1);
    assert_eq!(pools(app.db.pool.clone()).await, change_by_change);
}

/// A new appointment set while the dossier waits for the citizen (Form 04) stays in the same
/// status: it is not a second supplement request, and the dossier is not late for it.
#[tokio::test]
async fn a_new_appointment_while_waiting_for_a_supplement_is_not_a_second_request() {
    let app = TestApp::with_demo().await;
    let waited = Seed {
        code: "T-T",
        channel: 2,
        due: "2026-10-20 09:00",
        due_now: None,
        e_result: false,
        events: &[
            (R, "2026-10-02 09:00"),
            ("supplement_requested", "2026-10-05 09:00"),
            ("supplement_requested", "2026-10-06 09:00"),
            ("processing", "2026-10-08 09:00"),
            (RR, "2026-10-12 09:00"),
        ],
        files: false,
        reused: false,
        paid_online: None,
    };
    seed(&app.db.pool, &waited, "ubnd-xa-ba-xa", "BX").await;
    let province = official(&app, "quantri").await;
    let page = Page::parse(&province.server.get(OCTOBER).await.text());
    // early, one supplement asked, in time: 2.1 = 1 of 1; ten days
    assert!(
        ba_xa_row(&page).ends_with("Ba Xa 1 0 1 0 100,0 % 0 1 0 0 0 0 1 0 0 0 0 100,0 % 10,0"),
        "{}",
        ba_xa_row(&page)
    );
}

/// A large batch of changes (an import, a generator) queues more than one refresh takes: the
/// report answers with one batch, says the figures are catching up, and the background job
/// drains the rest, after which the latest change is counted.
#[tokio::test]
async fn a_large_backlog_is_taken_in_batches_and_the_dashboard_says_so() {
    let app = TestApp::with_demo().await;
    for s in october() {
        seed(&app.db.pool, &s, "ubnd-xa-ba-xa", "BX").await;
    }
    let province = official(&app, "quantri").await;
    let before = Page::parse(&province.server.get(OCTOBER).await.text());
    assert!(!before.has("#behind"), "nothing queued, nothing to say");
    // a batch's worth of changes to dossiers that are gone, then J's late result
    sqlx::query(
        "insert into report_dirty (dossier_id) \
         select gen_random_uuid() from generate_series(1, $1::int)",
    )
    .bind(i32::try_from(motcua::reports::repo::REQUEST_BATCH).unwrap())
    .execute(&app.db.pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into dossier_events (dossier_id, at, from_status, to_status, actor_kind) \
         select id, '2026-10-30 09:00+07', 'processing', 'result_ready', 'system' \
         from dossiers where code = 'BX-T-J'",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let behind = Page::parse(&province.server.get(OCTOBER).await.text());
    assert!(
        behind.text("#behind").contains("đang cập nhật số liệu"),
        "the dashboard says it is catching up"
    );
    let late = |page: &Page| cells(&page.text("#total"));
    assert!(
        late(&behind).contains("1 3 1 4 1 1 3 1 1 1 1 64,3 %"),
        "J not counted yet: {}",
        late(&behind)
    );

    let storage = motcua::storage::Storage::new(
        std::env::temp_dir().join(format!("motcua-backlog-{}", uuid::Uuid::new_v4())),
    );
    let cleaned = motcua::jobs::cleanup(&app.db.pool, &storage).await.unwrap();
    assert_eq!(
        cleaned.report_changes, 1,
        "the rest of the queue: J's event"
    );
    let after = Page::parse(&province.server.get(OCTOBER).await.text());
    assert!(!after.has("#behind"));
    assert!(
        late(&after).contains("1 3 1 5 1 0 3 1 1 1 1 64,3 %"),
        "J's late result counted: {}",
        late(&after)
    );
}
