//! Page structs of the reception desk.

use askama::Template;
use askama_web::WebTemplate;

use crate::web::Layout;

/// A line of the queue.
pub struct QueueRow {
    pub url: String,
    pub code: String,
    pub procedure: String,
    pub applicant: String,
    pub channel: String,
    pub submitted: String,
    pub acknowledge_by: String,
    pub overdue: bool,
    /// when the unit's reception was told of its arrival
    pub announced: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "reception/queue.html")]
pub struct QueuePage {
    pub layout: Layout,
    pub rows: Vec<QueueRow>,
    pub next_url: Option<String>,
    pub channel: String,
    pub procedure: String,
    pub status: String,
    pub overdue: bool,
    /// Online dossiers waiting past 8 working hours now.
    pub waiting_late: i64,
    /// Reception decisions of the last 30 days taken late, of all.
    pub decided_late: i64,
    pub decided: i64,
    /// Online dossiers waiting longer than the alert time (2 hours).
    pub alerts: i64,
    pub alert_hours: i32,
}
