//! Templates of the notification pages.

use askama::Template;
use askama_web::WebTemplate;

use crate::web::{FormErrors, Layout};

/// A notification in the citizen's list.
pub struct NotificationRow {
    pub id: String,
    pub at: String,
    pub url: Option<String>,
    pub subject: String,
    pub body: String,
    pub unread: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "notify/list.html")]
pub struct NotificationsPage {
    pub layout: Layout,
    pub rows: Vec<NotificationRow>,
    pub next_url: Option<String>,
}

/// A message that failed.
pub struct FailedRow {
    pub id: String,
    pub at: String,
    pub channel: String,
    pub recipient: String,
    pub kind: String,
    pub attempts: i32,
    pub error: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "notify/failed.html")]
pub struct FailedPage {
    pub layout: Layout,
    pub pending: i64,
    pub retrying: i64,
    pub rows: Vec<FailedRow>,
    pub next_url: Option<String>,
}

/// A (kind, language) of template.
pub struct TemplateRow {
    pub kind: String,
    pub lang: String,
    pub subject: String,
    pub versions: i64,
    pub url: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "notify/templates.html")]
pub struct TemplatesPage {
    pub layout: Layout,
    pub rows: Vec<TemplateRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "notify/template.html")]
pub struct TemplatePage {
    pub layout: Layout,
    pub heading: String,
    pub action: String,
    pub subject: String,
    pub body: String,
    pub sms: String,
    pub preview_subject: String,
    pub preview_body: String,
    pub preview_sms: String,
    pub sms_length: usize,
    /// (when, who, subject), newest first
    pub versions: Vec<(String, String, String)>,
    pub errors: FormErrors,
}
