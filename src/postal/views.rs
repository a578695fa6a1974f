//! Page structs of the postal channel.

use askama::Template;
use askama_web::WebTemplate;

use crate::web::{FormErrors, Layout};

pub struct ItemView {
    pub id: String,
    pub code: String,
    pub applicant: String,
    pub address: String,
    pub phone: String,
    pub procedure: String,
    pub status: String,
    pub tracking: String,
    pub unit: String,
    pub note: String,
    pub attempts: i32,
    pub since: String,
    pub overdue: bool,
    /// Pick-ups: the documents to check at the door.
    pub checklist: Vec<String>,
}

pub struct ManifestView {
    pub id: String,
    pub unit: String,
    pub count: i64,
    pub at: String,
    pub items: Vec<ItemView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "postal/home.html")]
pub struct PostalPage {
    pub layout: Layout,
    pub pickups: Vec<ItemView>,
    /// Collected pick-ups by reception unit, for a manifest each.
    pub to_hand_over: Vec<ManifestView>,
    /// Results handed over by units, to sign off.
    pub incoming: Vec<ManifestView>,
    pub deliveries: Vec<ItemView>,
    pub overdue: usize,
    pub errors: FormErrors,
}

pub struct ResultView {
    pub id: String,
    pub code: String,
    pub applicant: String,
    pub address: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "postal/desk.html")]
pub struct DeskPage {
    pub layout: Layout,
    pub incoming: Vec<ManifestView>,
    pub results: Vec<ResultView>,
    pub errors: FormErrors,
}

/// A postal item as the citizen and public tracking see it.
pub struct TrackView {
    pub direction: String,
    pub status: String,
    pub tracking: String,
}
