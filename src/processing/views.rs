//! Page structs of the back office.

use askama::Template;
use askama_web::WebTemplate;

use crate::dossiers::views::FileView;
use crate::dossiers::views::FormLink;
use crate::web::{FormErrors, Layout};

/// A line of the history, as officials read it.
pub struct HistoryView {
    pub at: String,
    pub what: String,
    /// the person who acted (a name, in Vietnamese), or what acted ("the system")
    pub who: String,
    pub who_is_person: bool,
    /// their agency
    pub who_unit: String,
    /// to whom: a person's name, or an agency
    pub to: String,
    pub to_is_person: bool,
    pub note: String,
}

/// An action the official may take now.
pub struct ActionView {
    /// The action's name in the form (`Accept`, `Assign`…), also the prefix of field ids.
    pub slug: String,
    pub label: String,
    /// "plain", "reason", "assign", "cooperate", "reschedule", "supplement"
    pub kind: &'static str,
    /// What the reason field asks for ("Lý do từ chối tiếp nhận")
    pub reason_label: String,
    pub reason: String,
    pub items: String,
    pub days: String,
    pub new_date: String,
    pub new_time: String,
    pub selected: String,
}

pub struct OptionView {
    pub value: String,
    pub label: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "processing/dossier.html")]
pub struct DossierPage {
    pub layout: Layout,
    pub id: String,
    pub code: String,
    pub procedure: String,
    pub status: String,
    pub step: Option<String>,
    /// The state the page shows ("Processing/Appraisal"): a stale page's action is refused.
    pub state_key: String,
    pub applicant: String,
    pub personal_id: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub channel: String,
    pub receiving: String,
    pub competent: String,
    pub cooperating: Option<String>,
    pub cooperation_due: Option<String>,
    pub assignee: Option<String>,
    pub submitted: String,
    pub received: String,
    pub due: String,
    /// The first appointment, once rescheduled (the dossier counts late against it).
    pub original_due: Option<String>,
    /// The appointment the national statistics use (supplement time excluded).
    pub statistics_due: Option<String>,
    pub timeliness: Option<String>,
    pub supplement_due: Option<String>,
    /// while processing: until when a supplement request is timely, and whether it has passed
    pub supplement_request_by: Option<String>,
    pub supplement_late: bool,
    pub result_channel: String,
    pub result_address: String,
    pub files: Vec<FileView>,
    /// The official's part in the dossier does not need the citizen's papers: none is listed.
    pub files_hidden: bool,
    pub results: Vec<FileView>,
    pub result_upload_url: Option<String>,
    pub history: Vec<HistoryView>,
    pub forms: Vec<FormLink>,
    pub actions: Vec<ActionView>,
    pub officers: Vec<OptionView>,
    pub agencies: Vec<OptionView>,
    pub payments: Vec<crate::payments::views::PaymentView>,
    /// A reception official of the receiving agency may take a counter payment…
    pub can_collect: bool,
    /// …assess a fee on a submitted dossier…
    pub can_assess: bool,
    /// An ended dossier: where the official invites the citizen to rate it on the tablet.
    pub invite_rating_url: Option<String>,
    /// A walk-in's lookup PIN, kept in the filing official's session until Form 01 is printed.
    pub walk_in_pin: Option<String>,
    /// The result goes by post: the way to the postal hand-over.
    pub postal_hand_over_url: Option<&'static str>,
    /// …and refund paid payments of a refused or stopped dossier: (payment id, label).
    pub refundable: Vec<OptionView>,
    /// Refunds above the set amount waiting for a second official.
    pub awaiting_refunds: Vec<AwaitingRefundView>,
    /// The document slots a completion request may name.
    pub slots: Vec<OptionView>,
    pub errors: FormErrors,
}

/// A refund waiting for a second official's approval; the button only for those who may give it.
pub struct AwaitingRefundView {
    pub amount: String,
    pub reason: String,
    pub requested_by: String,
    pub approve_url: Option<String>,
}

/// A line of an inbox.
pub struct InboxRow {
    pub url: String,
    pub code: String,
    pub procedure: String,
    pub applicant: String,
    pub state: String,
    pub assignee: String,
    pub due: String,
    pub overdue: bool,
    pub due_soon: bool,
}

pub struct InboxTab {
    pub label: String,
    pub url: String,
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "processing/inbox.html")]
pub struct InboxPage {
    pub layout: Layout,
    pub tabs: Vec<InboxTab>,
    pub title: String,
    pub rows: Vec<InboxRow>,
    pub next_url: Option<String>,
}

/// A document slot of the counter form.
pub struct CounterSlot {
    pub field: String,
    pub name: String,
    pub mandatory: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "processing/counter.html")]
pub struct CounterPage {
    pub layout: Layout,
    pub procedure_name: Option<String>,
    /// (link, name, code) of the procedures whose name holds the words typed
    pub matches: Vec<(String, String, String)>,
    pub action: String,
    pub slots: Vec<CounterSlot>,
    pub input: super::counter::CounterInput,
    pub applicant_fields: Vec<CounterField>,
    /// (value, label) of the ways to return the result
    pub channels: Vec<(String, String)>,
    pub errors: FormErrors,
}

/// An applicant field of the counter form.
pub struct CounterField {
    pub id: &'static str,
    pub label: String,
    pub value: String,
    pub kind: &'static str,
    pub numeric: bool,
}
