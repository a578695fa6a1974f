//! The reports dashboard for officials: a period, the scope the official may see (their
//! agencies; the whole province for system administrators and the chairman), one row per
//! agency — or, drilled down, per procedure of one agency — and the 766 indicators the
//! portal's own data computes, each with its formula. The same table as CSV.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use tower_sessions::Session;
use uuid::Uuid;

use super::domain::{Period, PeriodKind, Tally, percent, score};
use super::repo;
use super::scope::{REPORT_ROLES, scope_of};
use super::views::{IndicatorView, ReportRow, ReportsPage};
use crate::AppState;
use crate::accounts::CurrentStaff;
use crate::accounts::guard::staff_layout;
use crate::deadlines::calendar::to_local;
use crate::kernel::Lang;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, FormErrors};

#[derive(Debug, Deserialize, Default, Clone)]
pub struct ReportQuery {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// drill down into one agency's procedures
    #[serde(default)]
    pub agency: String,
}

/// The period asked for, or this month; `errors` says what was wrong.
pub fn compute_period(
    q: &ReportQuery,
    lang: Lang,
    errors: &mut FormErrors,
    today: NaiveDate,
) -> (PeriodKind, Period) {
    let kind = PeriodKind::parse(&q.kind).unwrap_or(PeriodKind::Month);
    let year = q.year.trim().parse().unwrap_or(today.year());
    let default_number = match kind {
        PeriodKind::Quarter => (today.month() - 1) / 3 + 1,
        _ => today.month(),
    };
    let number = q.number.trim().parse().unwrap_or(default_number);
    let date = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    let custom = date(&q.from).zip(date(&q.to));
    match Period::of(kind, year, number, custom) {
        Some(p) => (kind, p),
        None => {
            errors.add("from", lang.t("reports.error_period"));
            let first = today.with_day(1).unwrap_or(today);
            let p = Period::of(PeriodKind::Month, today.year(), today.month(), None).unwrap_or(
                Period {
                    from: first,
                    until: first + chrono::Months::new(1),
                },
            );
            (PeriodKind::Month, p)
        }
    }
}

/// What a row of a report counts: an agency, or a procedure (by its code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key<'a> {
    Agency(Uuid),
    Procedure(&'a str),
}

/// The tallies of a report: the whole scope, and one per row (agency or procedure).
pub struct Report {
    pub period: Period,
    pub total: Tally,
    /// (key, name, tally), in the order shown
    pub rows: Vec<(String, String, Tally)>,
    /// drilled down into this agency
    pub agency: Option<(Uuid, String)>,
    /// the catalogue in force: procedures, those offered online, and those of them that
    /// received an online dossier in the period (within the scope)
    pub procedures: i64,
    pub procedures_online: i64,
    pub online_used: i64,
    /// dossiers received by channel per day (a period of up to two months) or per month
    pub trend: Vec<super::public::Headline>,
    /// changes are still queued for the facts: the figures may miss the latest of them
    pub behind: bool,
}

/// Computes the report the query asks for, within the official's scope.
pub async fn compute(
    app: &AppState,
    staff: &CurrentStaff,
    q: &ReportQuery,
    lang: Lang,
    errors: &mut FormErrors,
) -> AppResult<(PeriodKind, Report)> {
    let now = app.clock.now();
    let (kind, period) = compute_period(q, lang, errors, to_local(now).date());
    let scope = scope_of(staff, REPORT_ROLES);
    let drill: Option<Uuid> = match q.agency.trim() {
        "" => None,
        a => Some(a.parse().map_err(|_| AppError::NotFound)?),
    };
    if let (Some(a), Some(ids)) = (drill, &scope)
        && !ids.contains(&a)
    {
        return Err(AppError::Forbidden);
    }
    let only: Option<Vec<Uuid>> = match drill {
        Some(a) => Some(vec![a]),
        None => scope,
    };
    let by = if drill.is_some() {
        repo::By::Version
    } else {
        repo::By::Agency
    };
    let tallies = repo::tallies(&app.db, only.as_deref(), &period, by, now).await?;
    let mut conn = app.db.acquire().await?;
    let names = repo::names(&mut conn, lang).await?;
    let agency_name: Option<String> = drill.and_then(|a| names.agencies.get(&a).cloned());
    let levels: Vec<(String, bool)> = sqlx::query_as(
        "select v.code, v.online_level <> 'none' from procedure_versions v \
         where v.effective_from <= current_date and (v.effective_to is null or v.effective_to > current_date)",
    )
    .fetch_all(&mut *conn)
    .await?;
    drop(conn);
    let code_of = |v: &Uuid| names.versions.get(v).map_or("", |n| n.0.as_str());
    let used: std::collections::HashSet<&str> =
        tallies.online_versions.iter().map(code_of).collect();
    let procedures = levels.len() as i64;
    let procedures_online = levels.iter().filter(|l| l.1).count() as i64;
    let online_used = levels
        .iter()
        .filter(|l| l.1 && used.contains(l.0.as_str()))
        .count() as i64;
    let total = tallies.total();
    // by agency, or (drilled down) by procedure code, whatever the version
    let mut by_key: std::collections::HashMap<Key<'_>, Tally> = std::collections::HashMap::new();
    for (id, t) in &tallies.rows {
        let key = match by {
            repo::By::Version => Key::Procedure(code_of(id)),
            repo::By::Agency => Key::Agency(*id),
        };
        by_key.entry(key).or_default().merge(t);
    }
    let trend = trend(&period, &tallies.received);
    let mut rows: Vec<(String, String, Tally)> = by_key
        .into_iter()
        .map(|(key, t)| match key {
            Key::Procedure(code) => {
                let name = names
                    .versions
                    .values()
                    .find(|n| n.0 == code)
                    .map_or("", |n| n.1.as_str());
                (code.to_owned(), format!("{code} {name}"), t)
            }
            Key::Agency(a) => (
                a.to_string(),
                names.agencies.get(&a).cloned().unwrap_or_default(),
                t,
            ),
        })
        .collect();
    if drill.is_some() {
        rows.sort_by(|a, b| a.0.cmp(&b.0));
    } else {
        rows.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    }
    Ok((
        kind,
        Report {
            period,
            total,
            rows,
            agency: drill.zip(agency_name),
            procedures,
            procedures_online,
            online_used,
            trend,
            behind: tallies.behind,
        },
    ))
}

/// Dossiers received in the period by channel, per day when the period is short, else per
/// month: the chart's figures.
fn trend(period: &Period, received: &[(NaiveDate, i16, i64)]) -> Vec<super::public::Headline> {
    let daily = (period.until - period.from).num_days() <= 62;
    let label = |d: NaiveDate| {
        if daily {
            d.format("%d/%m").to_string()
        } else {
            d.format("%m/%Y").to_string()
        }
    };
    // each day of the period and the bucket it falls in, so that a dossier finds its bucket
    // by arithmetic rather than by formatting its date
    let mut buckets: Vec<(String, [i64; 3])> = Vec::new();
    let mut bucket_of_day: Vec<usize> = Vec::new();
    let mut day = period.from;
    while day < period.until {
        let l = label(day);
        if buckets.last().is_none_or(|b| b.0 != l) {
            buckets.push((l, [0; 3]));
        }
        bucket_of_day.push(buckets.len() - 1);
        day += chrono::Duration::days(1);
    }
    for &(day, channel, n) in received {
        let offset = (day - period.from).num_days();
        if let Some(&b) = usize::try_from(offset)
            .ok()
            .and_then(|o| bucket_of_day.get(o))
        {
            buckets[b].1[usize::from(channel.clamp(1, 3) as u8) - 1] += n;
        }
    }
    buckets
        .into_iter()
        .map(|(name, c)| super::public::Headline {
            name,
            received: c.iter().sum(),
            counter: c[0],
            online: c[1],
            post: c[2],
            online_share: None,
            postal_share: None,
            on_time_rate: None,
            processed: 0,
        })
        .collect()
}

fn row_view(key: &str, name: &str, t: &Tally, link: Option<String>) -> ReportRow {
    ReportRow {
        key: key.to_owned(),
        name: name.to_owned(),
        url: link,
        received: t.received_total(),
        counter: t.received[0],
        online: t.received[1],
        post: t.received[2],
        online_share: percent(t.channel_share(2)),
        post_share: percent(t.channel_share(3)),
        carried_over: t.carried_over,
        early: t.early,
        on_time: t.on_time,
        late: t.late,
        in_progress_within: t.in_progress_within,
        in_progress_late: t.in_progress_late,
        supplement: t.supplement_requested,
        waiting_supplement: t.waiting_supplement,
        refused: t.refused,
        withdrawn: t.withdrawn,
        stopped: t.stopped,
        on_time_rate: percent(t.on_time_rate()),
        average_days: t
            .average_days()
            .map_or_else(|| "—".to_owned(), |d| format!("{d:.1}").replace('.', ",")),
    }
}

/// "đạt ngưỡng 80 %" or "chưa đạt ngưỡng 80 %".
fn threshold(rate: Option<f64>, at: f64, lang: Lang) -> String {
    let label = format!("{} %", (at * 100.0).round());
    match rate {
        None => String::new(),
        Some(r) if r >= at => lang
            .t("reports.threshold_met")
            .replace("{threshold}", &label),
        Some(_) => lang
            .t("reports.threshold_missed")
            .replace("{threshold}", &label),
    }
}

fn simple(
    code: &str,
    lang: Lang,
    rate: Option<f64>,
    parts: &[(&str, i64)],
    at: Option<f64>,
) -> IndicatorView {
    let key = code.replace('.', "");
    let mut formula = lang.t(&format!("reports.i{key}_formula")).into_owned();
    for (name, n) in parts {
        formula = formula.replace(&format!("{{{name}}}"), &n.to_string());
    }
    IndicatorView {
        code: code.to_owned(),
        name: lang.t(&format!("reports.i{key}")).into_owned(),
        formula,
        value: percent(rate),
        score: at.map_or_else(String::new, |a| threshold(rate, a, lang)),
    }
}

fn indicators(r: &Report, lang: Lang) -> Vec<IndicatorView> {
    let t = &r.total;
    let on_time = t.on_time_rate();
    let online = t.online_share();
    let mut list = vec![
        IndicatorView {
            code: "2.1".into(),
            name: lang.t("reports.i21").into_owned(),
            formula: lang
                .t("reports.i21_formula")
                .replace("{timely}", &t.timely.to_string())
                .replace("{processed}", &t.processed().to_string()),
            value: percent(on_time),
            score: on_time.map_or_else(String::new, |r| {
                lang.t("reports.score")
                    .replace(
                        "{score}",
                        &format!("{:.2}", score(r, 1.0, 20.0)).replace('.', ","),
                    )
                    .replace("{max}", "20")
            }),
        },
        IndicatorView {
            code: "2.2".into(),
            name: lang.t("reports.i22").into_owned(),
            formula: lang
                .t("reports.i22_formula")
                .replace("{finished}", &t.finished_with_result.to_string()),
            value: t.average_days().map_or_else(
                || "—".to_owned(),
                |d| format!("{d:.1} {}", lang.t("reports.days")).replace('.', ","),
            ),
            score: String::new(),
        },
        IndicatorView {
            code: "3.3".into(),
            name: lang.t("reports.i33").into_owned(),
            formula: lang
                .t("reports.i33_formula")
                .replace("{online}", &t.online_counted.to_string())
                .replace("{received}", &t.received_total().to_string()),
            value: percent(online),
            score: threshold(online, 0.5, lang),
        },
    ];
    list.insert(
        2,
        simple(
            "3.1",
            lang,
            super::domain::ratio(r.procedures_online, r.procedures),
            &[("online", r.procedures_online), ("all", r.procedures)],
            Some(0.8),
        ),
    );
    list.insert(
        3,
        simple(
            "3.2",
            lang,
            super::domain::ratio(r.online_used, r.procedures_online),
            &[("used", r.online_used), ("online", r.procedures_online)],
            None,
        ),
    );
    list.extend([
        simple(
            "3.6",
            lang,
            t.paid_online_rate(),
            &[("paid", t.paid_online), ("charged", t.charged)],
            None,
        ),
        simple(
            "4.1",
            lang,
            t.e_result_rate(),
            &[
                ("electronic", t.results_electronic),
                ("results", t.finished_with_result),
            ],
            None,
        ),
        simple(
            "4.2",
            lang,
            t.digitised_rate(),
            &[("digitised", t.digitised), ("received", t.received_total())],
            Some(0.8),
        ),
        simple(
            "4.3",
            lang,
            t.reuse_rate(),
            &[("reused", t.reused), ("received", t.received_total())],
            Some(0.8),
        ),
    ]);
    list
}

/// `GET /staff/reports`
pub async fn dashboard(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Query(q): Query<ReportQuery>,
) -> AppResult<ReportsPage> {
    let mut errors = FormErrors::new();
    let (kind, report) = compute(&app, &staff, &q, lang, &mut errors).await?;
    // a reporting month starts in the month before: its year is the one it ends in
    let asked_year = match kind {
        PeriodKind::ReportMonth => report.period.until.year(),
        _ => report.period.year(),
    };
    let query = |agency: Option<&str>| {
        let mut s = form_urlencoded::Serializer::new(String::new());
        s.append_pair("kind", kind.code())
            .append_pair("year", &asked_year.to_string())
            .append_pair("number", q.number.trim())
            .append_pair("from", &report.period.from.to_string())
            .append_pair(
                "to",
                &(report.period.until - chrono::Duration::days(1)).to_string(),
            );
        if let Some(a) = agency {
            s.append_pair("agency", a);
        }
        s.finish()
    };
    let drilled = report.agency.as_ref().map(|(id, _)| id.to_string());
    let mut layout = staff_layout(lang, "reports.title", "/staff/reports", &session, &staff)
        .await?
        .with_errors(&errors);
    if let Some((_, name)) = &report.agency {
        layout.title = format!("{} — {name}", lang.t("reports.title"));
    }
    Ok(ReportsPage {
        layout,
        kinds: PeriodKind::ALL
            .iter()
            .map(|k| {
                (
                    k.code().to_owned(),
                    lang.t(&format!("reports.kind_{}", k.code())).into_owned(),
                )
            })
            .collect(),
        kind: kind.code().to_owned(),
        year: q
            .year
            .trim()
            .parse()
            .unwrap_or(report.period.year())
            .to_string(),
        number: q.number.clone(),
        from: report.period.from.to_string(),
        to: (report.period.until - chrono::Duration::days(1)).to_string(),
        period: report.period.label(),
        behind: report.behind,
        agency: report.agency.as_ref().map(|(_, n)| n.clone()),
        back_url: drilled
            .as_ref()
            .map(|_| format!("/staff/reports?{}", query(None))),
        csv_url: format!("/staff/reports.csv?{}", query(drilled.as_deref())),
        xlsx_url: format!("/staff/reports.xlsx?{}", query(drilled.as_deref())),
        register_url: drilled
            .as_deref()
            .map(|a| format!("/staff/reports/register.pdf?{}", query(Some(a)))),
        by_procedure: drilled.is_some(),
        rows: report
            .rows
            .iter()
            .map(|(key, name, t)| {
                let link = drilled
                    .is_none()
                    .then(|| format!("/staff/reports?{}", query(Some(key))));
                row_view(key, name, t, link)
            })
            .collect(),
        total: row_view("", &lang.t("reports.total"), &report.total, None),
        indicators: indicators(&report, lang),
        chart: super::chart::channels_by_month(&report.trend, lang),
        trend: report
            .trend
            .iter()
            .map(|h| (h.name.clone(), h.counter, h.online, h.post))
            .collect(),
        errors,
    })
}

/// A cell of an exported table: text, a count, or a rate (0–1) shown as a percentage.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Count(i64),
    Rate(Option<f64>),
    Days(Option<f64>),
}

/// The dashboard's table as exported: the header and one line per row, then the total.
pub fn table(report: &Report, lang: Lang) -> (Vec<String>, Vec<Vec<Cell>>) {
    let header = [
        "key",
        "name",
        "received",
        "counter",
        "online",
        "post",
        "online_share",
        "post_share",
        "carried_over",
        "early",
        "on_time",
        "late",
        "in_progress_within",
        "in_progress_late",
        "supplement",
        "waiting_supplement",
        "refused",
        "withdrawn",
        "stopped",
        "on_time_rate",
        "average_days",
    ]
    .iter()
    .map(|c| lang.t(&format!("reports.col_{c}")).into_owned())
    .collect();
    let line = |key: &str, name: &str, t: &Tally| {
        vec![
            Cell::Text(key.to_owned()),
            Cell::Text(name.to_owned()),
            Cell::Count(t.received_total()),
            Cell::Count(t.received[0]),
            Cell::Count(t.received[1]),
            Cell::Count(t.received[2]),
            Cell::Rate(t.channel_share(2)),
            Cell::Rate(t.channel_share(3)),
            Cell::Count(t.carried_over),
            Cell::Count(t.early),
            Cell::Count(t.on_time),
            Cell::Count(t.late),
            Cell::Count(t.in_progress_within),
            Cell::Count(t.in_progress_late),
            Cell::Count(t.supplement_requested),
            Cell::Count(t.waiting_supplement),
            Cell::Count(t.refused),
            Cell::Count(t.withdrawn),
            Cell::Count(t.stopped),
            Cell::Rate(t.on_time_rate()),
            Cell::Days(t.average_days()),
        ]
    };
    let mut lines: Vec<Vec<Cell>> = report
        .rows
        .iter()
        .map(|(key, name, t)| line(key, name, t))
        .collect();
    lines.push(line("", &lang.t("reports.total"), &report.total));
    (header, lines)
}

impl Cell {
    /// As the page shows it ("64,3 %", "8,1").
    pub fn shown(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Rate(r) => percent(*r),
            Cell::Days(d) => {
                d.map_or_else(|| "—".to_owned(), |d| format!("{d:.1}").replace('.', ","))
            }
        }
    }
}

fn file_name(report: &Report, ext: &str) -> String {
    format!(
        "bao-cao-{}-{}.{ext}",
        report.period.from,
        report.period.until - chrono::Duration::days(1)
    )
}

/// A cell a spreadsheet will not run: text starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return (a formula to Excel or LibreOffice) gets a leading apostrophe; numbers stay numbers.
fn spreadsheet_safe(cell: &str) -> String {
    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let number = cell.replace(',', ".").trim().parse::<f64>().is_ok();
    if formula && !number {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// `GET /staff/reports.csv`: the dashboard's table, with a byte-order mark for spreadsheets.
pub async fn csv_export(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    Query(q): Query<ReportQuery>,
) -> AppResult<Response> {
    let mut errors = FormErrors::new();
    let (_, report) = compute(&app, &staff, &q, lang, &mut errors).await?;
    let (header, lines) = table(&report, lang);
    let to_anyhow = |e: csv::Error| AppError::from(anyhow::Error::from(e));
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(header.iter().map(|h| spreadsheet_safe(h)))
        .map_err(to_anyhow)?;
    for line in &lines {
        out.write_record(line.iter().map(|c| spreadsheet_safe(&c.shown())))
            .map_err(to_anyhow)?;
    }
    let mut body = b"\xEF\xBB\xBF".to_vec();
    body.extend(
        out.into_inner()
            .map_err(|e| AppError::from(anyhow::anyhow!("{e}")))?,
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", file_name(&report, "csv")),
            ),
        ],
        body,
    )
        .into_response())
}

/// `GET /staff/reports.xlsx`: the same table as a workbook; counts as numbers, rates as
/// percentages, Vietnamese text as it is.
pub async fn xlsx_export(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    Query(q): Query<ReportQuery>,
) -> AppResult<Response> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut errors = FormErrors::new();
    let (_, report) = compute(&app, &staff, &q, lang, &mut errors).await?;
    let (header, lines) = table(&report, lang);
    let fail = |e: rust_xlsxwriter::XlsxError| AppError::from(anyhow::Error::from(e));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .set_name(lang.t("reports.sheet").as_ref())
        .map_err(fail)?;
    let bold = Format::new().set_bold();
    let rate = Format::new().set_num_format("0.0%");
    let days = Format::new().set_num_format("0.0");
    sheet
        .write_string_with_format(
            0,
            0,
            format!("{} {}", lang.t("reports.period"), report.period.label()),
            &bold,
        )
        .map_err(fail)?;
    for (c, h) in header.iter().enumerate() {
        sheet
            .write_string_with_format(2, c as u16, h, &bold)
            .map_err(fail)?;
    }
    for (r, line) in lines.iter().enumerate() {
        let row = 3 + r as u32;
        for (c, cell) in line.iter().enumerate() {
            let col = c as u16;
            match cell {
                Cell::Text(t) => sheet.write_string(row, col, t).map(|_| ()),
                Cell::Count(n) => sheet.write_number(row, col, *n as f64).map(|_| ()),
                Cell::Rate(Some(v)) => sheet
                    .write_number_with_format(row, col, *v, &rate)
                    .map(|_| ()),
                Cell::Days(Some(v)) => sheet
                    .write_number_with_format(row, col, *v, &days)
                    .map(|_| ()),
                Cell::Rate(None) | Cell::Days(None) => {
                    sheet.write_string(row, col, "—").map(|_| ())
                }
            }
            .map_err(fail)?;
        }
    }
    sheet.set_column_width(1, 40).map_err(fail)?;
    let body = book.save_to_buffer().map_err(fail)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", file_name(&report, "xlsx")),
            ),
        ],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    #[test]
    fn exported_cells_never_run_as_formulas() {
        assert_eq!(
            spreadsheet_safe("=HYPERLINK(\"http://x\",\"UBND\")"),
            "'=HYPERLINK(\"http://x\",\"UBND\")"
        );
        assert_eq!(spreadsheet_safe("+84912"), "+84912", "a number stays one");
        assert_eq!(spreadsheet_safe("-3,5"), "-3,5");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(
            spreadsheet_safe("-cmd|' /C calc'!A0"),
            "'-cmd|' /C calc'!A0"
        );
        assert_eq!(spreadsheet_safe("\tx"), "'\tx");
        assert_eq!(
            spreadsheet_safe("UBND phường Cẩm Thành"),
            "UBND phường Cẩm Thành"
        );
        assert_eq!(spreadsheet_safe("85,3 %"), "85,3 %");
    }
}
