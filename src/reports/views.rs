//! What the reports pages show.

use askama::Template;
use askama_web::WebTemplate;

use crate::web::{FormErrors, Layout};

/// One row of the report table (an agency, a procedure, or the total).
pub struct ReportRow {
    pub key: String,
    pub name: String,
    /// the drill-down, for an agency
    pub url: Option<String>,
    pub received: i64,
    pub counter: i64,
    pub online: i64,
    pub post: i64,
    pub online_share: String,
    pub post_share: String,
    pub carried_over: i64,
    pub early: i64,
    pub on_time: i64,
    pub late: i64,
    pub in_progress_within: i64,
    pub in_progress_late: i64,
    pub supplement: i64,
    pub waiting_supplement: i64,
    pub refused: i64,
    pub withdrawn: i64,
    pub stopped: i64,
    pub on_time_rate: String,
    pub average_days: String,
}

/// A 766 indicator with its formula and the figures in it.
pub struct IndicatorView {
    pub code: String,
    pub name: String,
    pub formula: String,
    pub value: String,
    pub score: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/dashboard.html")]
pub struct ReportsPage {
    pub layout: Layout,
    /// (code, label) of the kinds of period
    pub kinds: Vec<(String, String)>,
    pub kind: String,
    pub year: String,
    pub number: String,
    pub from: String,
    pub to: String,
    /// "01/10/2026 – 31/10/2026"
    pub period: String,
    /// changes are still queued for the figures
    pub behind: bool,
    /// drilled down into this agency
    pub agency: Option<String>,
    pub back_url: Option<String>,
    pub csv_url: String,
    pub xlsx_url: String,
    /// Form 07 of the agency drilled into
    pub register_url: Option<String>,
    pub by_procedure: bool,
    pub rows: Vec<ReportRow>,
    pub total: ReportRow,
    pub indicators: Vec<IndicatorView>,
    /// the SVG of dossiers received by channel over the period, and its figures
    pub chart: String,
    /// (label, counter, online, post)
    pub trend: Vec<(String, i64, i64, i64)>,
    pub errors: FormErrors,
}

/// A row of the public statistics.
pub struct PublicRow {
    pub name: String,
    pub received: i64,
    pub counter: i64,
    pub online: i64,
    pub post: i64,
    pub online_share: String,
    pub postal_share: String,
    pub on_time_rate: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/public.html")]
pub struct StatisticsPage {
    pub layout: Layout,
    pub year: i32,
    pub month: u32,
    pub years: Vec<i32>,
    pub months: Vec<PublicRow>,
    pub agencies: Vec<PublicRow>,
    pub province: PublicRow,
    /// the SVG, drawn by `chart` from the months' figures
    pub chart: String,
    /// citizens' evaluations of the dossiers that ended in the month, by agency (QĐ 766 5.4)
    pub satisfaction: Vec<crate::evaluations::tally::Line>,
}
