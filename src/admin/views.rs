//! Page structs of the administration.

use askama::Template;
use askama_web::WebTemplate;

use crate::catalogue::views::FilterOption;
use crate::web::{FormErrors, Layout};

/// An official in the list.
pub struct StaffRow {
    pub url: String,
    pub username: String,
    pub full_name: String,
    pub active: bool,
    pub roles: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/index.html")]
pub struct AdminHomePage {
    pub layout: Layout,
    /// a system administrator: may edit the catalogue and see the audit log
    pub is_system: bool,
    /// messages that could not be sent (shown to system administrators)
    pub failed_messages: i64,
    /// minutes the oldest change has waited for the national portal, when over the limit
    pub national_late_minutes: Option<i64>,
    /// from October: next year, while its holidays are not entered
    pub calendar_missing_year: Option<i32>,
    /// payments the gateway holds in status 07 or 04 (shown to system administrators)
    pub payments_held: i64,
    pub staff: Vec<StaffRow>,
    pub next_url: Option<String>,
}

/// The new-official form.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct NewStaffForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub agency: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/new.html")]
pub struct NewStaffPage {
    pub layout: Layout,
    pub form: NewStaffForm,
    pub roles: Vec<FilterOption>,
    pub agencies: Vec<FilterOption>,
    pub errors: FormErrors,
}

/// A role grant of an official.
pub struct RoleRow {
    pub role: String,
    pub agency: String,
    pub from: String,
    pub to: String,
    pub in_force: bool,
    pub end_url: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/staff.html")]
pub struct StaffDetailPage {
    pub layout: Layout,
    pub username: String,
    pub full_name: String,
    pub email: String,
    pub active: bool,
    pub grants: Vec<RoleRow>,
    pub add_role_url: String,
    pub roles: Vec<FilterOption>,
    pub agencies: Vec<FilterOption>,
    pub logins: Vec<LoginRow>,
    pub password_url: String,
    pub active_url: String,
    pub errors: FormErrors,
}

/// A line of the readiness checklist.
pub struct CheckItem {
    pub label: String,
    pub ok: bool,
}

pub struct LevelRow {
    pub code: String,
    pub name: String,
    pub level: String,
    pub pending: Option<String>,
    /// Only where the reader may propose (their agency decides the procedure).
    pub propose_url: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/levels.html")]
pub struct LevelsPage {
    pub layout: Layout,
    pub share: String,
    pub rows: Vec<LevelRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/propose.html")]
pub struct ProposePage {
    pub layout: Layout,
    pub action: String,
    pub code: String,
    pub name: String,
    pub current: String,
    /// (value, label, chosen)
    pub levels: Vec<(String, String, bool)>,
    pub checklist: Vec<CheckItem>,
    pub any_red: bool,
    pub justification: String,
    pub red_explanation: String,
    pub errors: FormErrors,
}

pub struct ProposalRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub change: String,
    pub agency: String,
    pub proposer: String,
    pub justification: String,
    pub red_explanation: String,
    pub status: String,
    pub checklist: Vec<CheckItem>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/approvals.html")]
pub struct DecisionPage {
    pub layout: Layout,
    pub can_decide: bool,
    pub pending: Vec<ProposalRow>,
    pub decided: Vec<ProposalRow>,
    /// The proposal whose form failed: its section shows the input kept.
    pub kept_for: String,
    pub decision_no: String,
    pub effective_date: String,
    pub comment: String,
    pub errors: FormErrors,
}

pub struct CalendarDayRow {
    pub day: String,
    pub shown: String,
    pub kind: String,
    pub name: String,
    pub source: String,
}

pub struct HoursRow {
    pub id: String,
    pub agency: String,
    pub span: String,
    pub valid: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/calendar.html")]
pub struct CalendarPage {
    pub layout: Layout,
    pub year: i32,
    pub previous: i32,
    pub next: i32,
    pub can_edit_days: bool,
    pub days: Vec<CalendarDayRow>,
    pub hours: Vec<HoursRow>,
    /// (id, name) of the agencies whose hours this administrator keeps
    pub agencies: Vec<(String, String)>,
    pub day: String,
    pub kind: String,
    pub name_vi: String,
    pub name_en: String,
    pub source: String,
    pub errors: FormErrors,
}

pub struct AuditRow {
    pub at: String,
    pub who: String,
    pub action: String,
    pub subject: String,
    pub ip: String,
    pub details: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/audit.html")]
pub struct AuditPage {
    pub layout: Layout,
    pub action: String,
    pub subject: String,
    pub actor: String,
    pub rows: Vec<AuditRow>,
    pub next_url: Option<String>,
}

/// A sign-in of an official.
pub struct LoginRow {
    pub at: String,
    pub ip: String,
}

pub struct AgencyRow {
    pub name: String,
    pub kind: String,
    pub e_id: String,
    pub valid: String,
    pub in_force: bool,
    pub predecessors: String,
    pub successors: String,
}

pub struct PostOfficeRow {
    pub id: String,
    pub name: String,
    /// (id, name, served)
    pub units: Vec<(String, String, bool)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/agencies.html")]
pub struct AgenciesPage {
    pub layout: Layout,
    pub can_edit: bool,
    pub rows: Vec<AgencyRow>,
    pub offices: Vec<PostOfficeRow>,
    /// (code, label) of each kind of reorganisation
    pub changes: Vec<(String, String)>,
    /// (code, name) of the agency kinds
    pub kinds: Vec<(String, String)>,
    /// (id, name) of the agencies in force
    pub current: Vec<(String, String)>,
    pub form: super::agencies::ReorgForm,
    /// (id, name) of the communes in force
    pub units_in_force: Vec<(String, String)>,
    pub unit_rows: Vec<AdminUnitRow>,
    pub errors: FormErrors,
}

/// A commune-level administrative unit.
pub struct AdminUnitRow {
    pub name: String,
    pub code: String,
    pub valid: String,
    pub successor: String,
}

/// A draft of the catalogue, as listed.
pub struct DraftLine {
    pub url: String,
    pub code: String,
    pub name: String,
    pub status: String,
    pub editing: bool,
    pub updated: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/catalogue.html")]
pub struct CatalogueAdminPage {
    pub layout: Layout,
    pub drafts: Vec<DraftLine>,
    /// the code typed to start a draft
    pub code: String,
    pub errors: FormErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/draft.html")]
pub struct DraftPage {
    pub layout: Layout,
    pub url: String,
    pub editing: bool,
    /// the procedure exists (code and field are not edited)
    pub exists: bool,
    pub level: String,
    /// (code, name) pairs for the selects
    pub fields: Vec<(String, String)>,
    pub kinds: Vec<(String, String)>,
    pub agencies: Vec<(String, String)>,
    pub templates: Vec<(String, String)>,
    pub requirements: Vec<(String, String)>,
    pub units: Vec<(String, String)>,
    pub field_kinds: Vec<(String, String)>,
    pub draft: super::catalogue::Draft,
    pub effective_on: String,
    pub errors: FormErrors,
}
