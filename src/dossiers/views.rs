//! Page structs of dossiers.

use askama::Template;
use askama_web::WebTemplate;

use crate::catalogue::views::FilterOption;
use crate::web::{FormErrors, Layout};

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/start.html")]
pub struct StartPage {
    pub layout: Layout,
    pub procedure: String,
    pub code: String,
    pub time_limit: String,
    pub documents: Vec<String>,
    pub signed_in: bool,
    pub login_url: String,
}

/// The applicant step.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct ApplicantForm {
    #[serde(default)]
    pub applicant_name: String,
    #[serde(default)]
    pub applicant_personal_id: String,
    #[serde(default)]
    pub applicant_phone: String,
    #[serde(default)]
    pub applicant_email: String,
    #[serde(default)]
    pub applicant_address: String,
    #[serde(default)]
    pub applicant_unit: String,
    #[serde(default)]
    pub on_behalf: Option<String>,
    #[serde(default)]
    pub principal_name: String,
    #[serde(default)]
    pub principal_personal_id: String,
    #[serde(default)]
    pub relationship: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/applicant.html")]
pub struct ApplicantPage {
    pub layout: Layout,
    pub procedure: String,
    pub action: String,
    pub back_url: String,
    pub form: ApplicantForm,
    pub units: Vec<FilterOption>,
    pub errors: FormErrors,
}

/// A procedure field, ready to show.
pub struct FieldView {
    pub key: String,
    pub label: String,
    pub hint: String,
    pub kind: String,
    pub required: bool,
    pub value: String,
    pub choices: Vec<FilterOption>,
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/details.html")]
pub struct DetailsPage {
    pub layout: Layout,
    pub procedure: String,
    pub action: String,
    pub back_url: String,
    pub fields: Vec<FieldView>,
    pub errors: FormErrors,
}

/// An uploaded file, ready to show.
pub struct FileView {
    pub name: String,
    pub size: String,
    pub reused: bool,
    pub delete_url: String,
    pub download_url: String,
}

/// A document slot with its files.
pub struct SlotView {
    pub id: String,
    pub position: String,
    pub name: String,
    pub mandatory: bool,
    pub files: Vec<FileView>,
    pub upload_url: String,
    /// The official's reason for asking this document again.
    pub requested: Option<String>,
    /// Not asked again: it stays as it is.
    pub locked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/documents.html")]
pub struct DocumentsPage {
    pub layout: Layout,
    pub procedure: String,
    pub back_url: String,
    pub done_url: String,
    /// The reception official's reasons, when the dossier was returned for completion.
    /// "Cán bộ tiếp nhận đề nghị…" or the deciding agency's officer's request
    pub asked_by: String,
    pub returned_reason: Option<String>,
    /// the items asked, one per line (empty when the request listed none)
    pub returned_items: Vec<String>,
    pub reuse_url: String,
    pub slots: Vec<SlotView>,
    pub earlier: Vec<FilterOption>,
    pub limits: String,
    pub errors: FormErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/delivery.html")]
pub struct DeliveryPage {
    pub layout: Layout,
    pub procedure: String,
    pub action: String,
    pub back_url: String,
    pub paper_channel: String,
    pub pickup_address: String,
    pub result_channels: Vec<FilterOption>,
    pub result_address: String,
    pub postage: String,
    pub errors: FormErrors,
}

/// One answer on the check page.
pub struct AnswerRow {
    pub label: String,
    pub value: String,
    pub change_url: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/check.html")]
pub struct CheckPage {
    pub layout: Layout,
    pub procedure: String,
    pub back_url: String,
    pub action: String,
    pub submit_key: String,
    pub rows: Vec<AnswerRow>,
    /// What the citizen will pay before committing: the fees due with the submission (label,
    /// amount), their total, the fees the agency sets later, and the postage with who pays it.
    pub bill: Vec<(String, String)>,
    /// None when nothing is to be paid with the submission
    pub bill_total: Option<String>,
    pub later_fees: Vec<String>,
    pub postage_note: Option<String>,
    pub errors: FormErrors,
}

/// An event of the history.
pub struct EventView {
    pub at: String,
    pub status: String,
    pub actor: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/show.html")]
pub struct DossierPage {
    pub layout: Layout,
    /// Who looked at it: officials' reads of its page and files, newest first.
    pub reads: Vec<ReadView>,
    /// Ended: where the citizen evaluates it.
    pub evaluate_url: Option<String>,
    pub procedure: String,
    pub code: String,
    pub pin: Option<String>,
    pub status: String,
    pub submitted_at: String,
    pub time_limit: String,
    pub receiving: String,
    pub result_channel: String,
    pub rows: Vec<AnswerRow>,
    pub files: Vec<FileView>,
    pub events: Vec<EventView>,
    pub withdraw_url: Option<String>,
    /// Returned for completion (or a supplement asked): where to change the documents and
    /// send it back.
    pub complete_url: Option<String>,
    /// Paying the fees, while the dossier waits for them.
    pub pay_url: Option<String>,
    pub payments: Vec<crate::payments::views::PaymentView>,
    /// Asking to stop processing (Form 05), while no result is issued.
    pub stop_url: Option<String>,
    /// The issued result document.
    pub result_url: Option<String>,
    pub due_at: Option<String>,
    /// Forms 02–05 received.
    pub forms: Vec<crate::dossiers::views::FormLink>,
    pub postal: Vec<crate::postal::views::TrackView>,
    /// Changing how the result comes back, until it is handed to the post.
    pub delivery_change_url: Option<String>,
    pub result_channel_value: String,
    pub result_address: String,
    pub track_url: String,
    pub pdf_url: String,
    pub form01_url: Option<String>,
}

/// An official's read of a citizen's dossier, as the citizen sees it.
pub struct ReadView {
    pub at: String,
    /// The unit and the role (and the official's name where the province shows names).
    pub who: String,
    /// The page, or the file's name.
    pub what: String,
}

/// A line of "My dossiers".
pub struct ListRow {
    pub url: String,
    pub code: String,
    pub procedure: String,
    pub status: String,
    pub date: String,
    pub due: String,
    pub expected: String,
    /// A draft: where "delete" posts.
    pub delete_url: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/list.html")]
pub struct ListPage {
    pub layout: Layout,
    pub rows: Vec<ListRow>,
    pub next_url: Option<String>,
    /// Days after which an untouched draft is deleted.
    pub draft_days: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/track.html")]
pub struct TrackPage {
    pub layout: Layout,
    pub code: String,
    pub result: Option<TrackResult>,
    pub errors: FormErrors,
}

/// What public tracking shows: no personal data.
pub struct TrackResult {
    pub procedure: String,
    pub status: String,
    pub submitted_at: String,
    pub due_at: String,
    /// The postal steps (pick-up, delivery) with their item numbers.
    pub postal: Vec<crate::postal::views::TrackView>,
    /// Ended: the signed link where the applicant evaluates it.
    pub evaluate_url: Option<String>,
}

pub struct FormLink {
    pub label: String,
    pub url: String,
    /// The printable page of the same form.
    pub print_url: String,
}
