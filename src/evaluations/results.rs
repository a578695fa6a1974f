//! `/staff/evaluations`: what citizens said of the dossiers that ended in a period, per
//! procedure, for the units an official reports on (the province for system administrators and
//! the chairman), with QĐ 766 figure 5.4: 100 % − (late rate + rate of "not satisfied"),
//! over the dossiers that ended in the period, where a dossier with feedback about it counts
//! as one with a complaint. Per procedure or per official who handled them, with the answers
//! to each Art. 33 item; an official without a reporting role sees their own dossiers.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use chrono::{Datelike, Months, NaiveDate};
use serde::Deserialize;
use tower_sessions::Session;

use super::tally::{Counts, Filter, Group, ItemLine, Line, ended_counts, item_counts, line};
use crate::AppState;
use crate::accounts::CurrentStaff;
use crate::accounts::guard::staff_layout;
use crate::deadlines::calendar::today;
use crate::web::lang::RequestLang;
use crate::web::{AppResult, FormErrors, Layout};

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    /// "procedure" (default) or "official"
    #[serde(default)]
    by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "evaluations/results.html")]
pub struct ResultsPage {
    pub layout: Layout,
    pub from: String,
    pub to: String,
    pub by_official: bool,
    /// the official sees their own dossiers only (no reporting role)
    pub own: bool,
    pub lines: Vec<Line>,
    pub total: Line,
    pub items: Vec<ItemLine>,
    pub errors: FormErrors,
}

/// `GET /staff/evaluations?from=YYYY-MM-DD&to=YYYY-MM-DD&by=procedure|official` (to
/// included; this month by default). Managers see their units' dossiers, per procedure or per
/// official; an official without a reporting role sees the dossiers they handled.
pub async fn results(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Query(q): Query<PeriodQuery>,
) -> AppResult<ResultsPage> {
    let mut errors = FormErrors::new();
    let first = today().with_day0(0).unwrap_or_else(today);
    let date = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    let (from, to) = match (date(&q.from), date(&q.to)) {
        (Some(f), Some(t)) if f <= t => (f, t),
        (None, None) if q.from.is_empty() && q.to.is_empty() => {
            (first, first + Months::new(1) - chrono::Days::new(1))
        }
        _ => {
            errors.add("from", lang.t("reports.error_period"));
            (first, first + Months::new(1) - chrono::Days::new(1))
        }
    };
    let reports = crate::reports::scope::REPORT_ROLES;
    let manager = staff.has(crate::accounts::domain::StaffRole::SystemAdmin)
        || staff.has(crate::accounts::domain::StaffRole::Chairman)
        || staff.roles.iter().any(|r| reports.contains(&r.role));
    let filter = Filter {
        scope: crate::reports::scope::scope_of(&staff, reports),
        official: (!manager).then_some(staff.id),
    };
    let group = if q.by == "official" || !manager {
        Group::Official
    } else {
        Group::Procedure
    };
    let until = to + chrono::Days::new(1);
    let rows = ended_counts(&app.db, group, from, until, &filter).await?;
    let mut sum: Counts = [0; 7];
    let lines = rows
        .into_iter()
        .map(|(vi, en, counts)| {
            for (s, n) in sum.iter_mut().zip(counts) {
                *s += n;
            }
            line(lang.pick(&vi, &en).to_owned(), counts, lang)
        })
        .collect();
    let items = item_counts(&app.db, from, until, &filter)
        .await?
        .into_iter()
        .map(|(vi, en, satisfied, not_satisfied)| ItemLine {
            label: lang.pick(&vi, &en).to_owned(),
            satisfied,
            not_satisfied,
        })
        .collect();
    Ok(ResultsPage {
        layout: staff_layout(
            lang,
            "evaluation.results_title",
            "/staff/evaluations",
            &session,
            &staff,
        )
        .await?
        .with_errors(&errors),
        from: from.format("%Y-%m-%d").to_string(),
        to: to.format("%Y-%m-%d").to_string(),
        by_official: group == Group::Official,
        own: !manager,
        lines,
        total: line(lang.t("evaluation.total").into_owned(), sum, lang),
        items,
        errors,
    })
}
