//! Page structs of accounts (citizens and the staff entrance).

use askama::Template;
use askama_web::WebTemplate;

use crate::catalogue::views::FilterOption;
use crate::web::{FormErrors, Layout};

/// What the registration form sends (and shows again).
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub personal_id: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirm: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/register.html")]
pub struct RegisterPage {
    pub layout: Layout,
    pub form: RegisterForm,
    pub errors: FormErrors,
}

/// The citizen sign-in and the staff entrance.
#[derive(Template, WebTemplate)]
#[template(path = "accounts/login.html")]
pub struct LoginPage {
    pub layout: Layout,
    pub heading: String,
    pub action: &'static str,
    pub login_label: String,
    pub login_hint: String,
    pub login: String,
    pub next: String,
    pub staff: bool,
    /// sign-in with the national account is offered
    pub national: bool,
    pub errors: FormErrors,
}

/// Entering a one-time code (confirmation, or password reset with the new password).
#[derive(Template, WebTemplate)]
#[template(path = "accounts/code.html")]
pub struct CodePage {
    pub layout: Layout,
    pub heading: String,
    pub lead: String,
    pub action: &'static str,
    pub with_password: bool,
    pub resend_url: Option<&'static str>,
    pub dev_outbox: bool,
    pub errors: FormErrors,
}

/// The owner of the account with this personal number confirms the link to the national
/// account once, with the portal password.
#[derive(Template, WebTemplate)]
#[template(path = "accounts/national_link.html")]
pub struct NationalLinkPage {
    pub layout: Layout,
    pub personal_id: String,
    pub errors: FormErrors,
}

/// Signed out here; the national account's own sign-out offered.
#[derive(Template, WebTemplate)]
#[template(path = "accounts/national_signed_out.html")]
pub struct NationalSignedOutPage {
    pub layout: Layout,
    pub end_session: String,
}

/// Why the national sign-in did not go through, with the way back to the portal's own.
#[derive(Template, WebTemplate)]
#[template(path = "accounts/national_refused.html")]
pub struct NationalRefusedPage {
    pub layout: Layout,
    pub reason: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/reset.html")]
pub struct ResetPage {
    pub layout: Layout,
    pub login: String,
    pub errors: FormErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/password.html")]
pub struct PasswordPage {
    pub layout: Layout,
    pub errors: FormErrors,
    /// Where the form posts, and where "back" leads (citizen or official).
    pub action: &'static str,
    pub back: &'static str,
    /// Why the official is here (an administrator set the password).
    pub lead: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/profile.html")]
pub struct ProfilePage {
    pub layout: Layout,
    pub full_name: String,
    pub personal_id: String,
    pub phone: String,
    pub email: String,
    pub address_line: String,
    pub units: Vec<FilterOption>,
    pub confirmed: bool,
    /// the channels the citizen wants notices on
    pub notify_email: bool,
    pub notify_sms: bool,
    /// unread notifications
    pub unread: i64,
    pub errors: FormErrors,
}

/// A role line on the staff home page.
pub struct RoleLine {
    pub role: String,
    pub agency: String,
    pub until: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/home.html")]
pub struct StaffHomePage {
    pub layout: Layout,
    pub full_name: String,
    pub username: String,
    pub roles: Vec<RoleLine>,
    pub is_admin: bool,
    pub is_reception: bool,
    pub is_back_office: bool,
    pub is_postal: bool,
    pub is_chairman: bool,
    /// managers, administrators and the chairman read the reports
    pub reads_reports: bool,
    /// the signed link of the official's counter tablet (citizens rate there)
    pub tablet_url: String,
}

/// A message in the development outbox.
pub struct OutboxLine {
    pub at: String,
    pub channel: String,
    pub recipient: String,
    pub body: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dev/outbox.html")]
pub struct OutboxPage {
    pub layout: Layout,
    pub messages: Vec<OutboxLine>,
}
