//! Page structs of the reception desk.

use askama::Template;
use askama_web::WebTemplate;

use crate::dossiers::views::{EventView, FileView};
use crate::web::{FormErrors, Layout};

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
}

#[derive(Template, WebTemplate)]
#[template(path = "reception/queue.html")]
pub struct QueuePage {
    pub layout: Layout,
    pub rows: Vec<QueueRow>,
    pub next_url: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "reception/dossier.html")]
pub struct StaffDossierPage {
    pub layout: Layout,
    pub id: String,
    pub code: String,
    pub procedure: String,
    pub status: String,
    pub status_key: String,
    pub applicant: String,
    pub phone: String,
    pub address: String,
    pub submitted: String,
    pub received: String,
    pub due: String,
    pub files: Vec<FileView>,
    pub events: Vec<EventView>,
    /// Form 01, once accepted.
    pub form01_url: Option<String>,
    /// The reception actions are offered (a submitted dossier, a reception official).
    pub can_receive: bool,
    pub reason: String,
    pub errors: FormErrors,
}
