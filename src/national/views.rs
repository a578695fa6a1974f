//! Page structs of the national exchange.

use askama::Template;
use askama_web::WebTemplate;

use crate::web::Layout;

pub struct RefusedRow {
    pub id: String,
    pub code: String,
    pub at: String,
    pub error: String,
    pub answer: String,
}

pub struct RetryingRow {
    pub code: String,
    pub attempts: i32,
    pub next: String,
    pub error: String,
}

/// A national dossier not taken yet: incomplete (an attachment to fetch) or a problem.
pub struct IntakeRow {
    pub id: String,
    pub code: String,
    pub procedure: String,
    pub agency: String,
    pub problem: bool,
    pub reason: String,
    pub received: String,
    pub attempts: i32,
    pub next: String,
    pub payload: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/national_sync.html")]
pub struct NationalSyncPage {
    pub layout: Layout,
    pub endpoint: String,
    pub late: bool,
    pub oldest_minutes: i64,
    pub dossiers: i64,
    pub changes: i64,
    /// (p50, p99, deliveries) over the last hour and day
    pub hour: (String, String, i64),
    pub day: (String, String, i64),
    pub refused: Vec<RefusedRow>,
    pub retrying: Vec<RetryingRow>,
    pub intake: Vec<IntakeRow>,
    /// how national dossiers arrive: "push" or "pull"
    pub intake_transport: String,
    /// evaluations waiting for the national evaluation system, and refused by it
    pub evaluations_waiting: i64,
    pub evaluations_refused: i64,
}
