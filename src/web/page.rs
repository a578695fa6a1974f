//! What every page template receives: the language, the page title, links for the layout.

use std::borrow::Cow;

use crate::kernel::Lang;
use crate::web::{assets, paths};

/// Shared layout data, embedded in every page struct as `layout`.
pub struct Layout {
    pub lang: Lang,
    pub title: String,
    /// Path and query of this page, so the language switch comes back here.
    pub here: String,
    /// The search box's current text (kept on the results page).
    pub search_q: String,
    /// The page shows an error summary: the title says so first.
    pub has_error: bool,
    /// This session's CSRF token, for the forms of the page.
    pub csrf: String,
    /// Who is signed in, as the header shows it ("Nguyễn Văn A — UBND phường Cẩm Thành").
    pub who: Option<String>,
    /// The units of a signed-in official, after their name.
    pub who_unit: String,
    /// A one-shot message from the previous action.
    pub flash: Option<String>,
    /// The header's sign-out form posts here (citizen or staff).
    pub logout_url: &'static str,
}

impl Layout {
    pub fn new(lang: Lang, title: impl Into<String>, here: impl Into<String>) -> Self {
        Self {
            lang,
            title: title.into(),
            here: here.into(),
            search_q: String::new(),
            has_error: false,
            csrf: String::new(),
            who: None,
            who_unit: String::new(),
            flash: None,
            logout_url: "",
        }
    }

    /// A form page: carries the session's CSRF token and pending message.
    pub async fn for_session(
        lang: Lang,
        title: impl Into<String>,
        here: impl Into<String>,
        session: &tower_sessions::Session,
    ) -> anyhow::Result<Self> {
        let mut layout = Self::new(lang, title, here).signed_in(session).await;
        layout.csrf = crate::web::session::csrf_token(session).await?;
        layout.flash = crate::web::flash::take(session).await;
        Ok(layout)
    }

    /// Shows who is signed in on this session, if anyone, with the way to sign out and the
    /// way back to their own pages. A page of the public site calls it too: a citizen sees
    /// their name and "Hồ sơ của tôi" there, an official the way back to the workspace.
    pub async fn signed_in(mut self, session: &tower_sessions::Session) -> Self {
        use crate::web::session::AccountKind;
        if let Some((kind, name)) = crate::web::session::shown_as(session).await {
            self.logout_url = match kind {
                AccountKind::Citizen => "/account/logout",
                AccountKind::Staff => "/staff/logout",
            };
            self.who = Some(name);
            if self.csrf.is_empty() {
                // the sign-out form of the header needs this session's token
                self.csrf = crate::web::session::csrf_token(session)
                    .await
                    .unwrap_or_default();
            }
        }
        self
    }

    /// The header offers the staff workspace rather than the citizen's account.
    pub fn is_staff(&self) -> bool {
        self.logout_url == "/staff/logout"
    }

    /// The help of the step this page is (its last path segment: "documents"), coming back
    /// here.
    pub fn help_url(&self) -> String {
        let path = self.here.split('?').next().unwrap_or_default();
        let step = path.rsplit('/').next().unwrap_or_default();
        paths::help(step, &self.here)
    }

    /// The header's link to the signed-in citizen's dossiers.
    pub fn my_dossiers_url(&self) -> &'static str {
        paths::MY_DOSSIERS
    }

    /// A citizen is signed in: the header offers their dossiers.
    pub fn is_citizen(&self) -> bool {
        self.logout_url == "/account/logout"
    }

    /// Marks the page as showing errors (the title starts with "Lỗi:").
    pub fn with_errors(mut self, errors: &crate::web::FormErrors) -> Self {
        self.has_error = !errors.is_empty();
        self
    }

    /// Translated text of a key.
    pub fn t<'a>(&self, key: &'a str) -> Cow<'a, str> {
        self.lang.t(key)
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    /// The language switch link: to the other language, back to this page.
    pub fn switch_url(&self) -> String {
        paths::switch_language(self.lang.other(), &self.here)
    }

    pub fn switch_label(&self) -> &'static str {
        match self.lang {
            Lang::Vi => "English",
            Lang::En => "Tiếng Việt",
        }
    }

    pub fn switch_lang_code(&self) -> &'static str {
        self.lang.other().code()
    }

    pub fn css_url(&self) -> &'static str {
        assets::url("app.css")
    }

    pub fn upload_js_url(&self) -> &'static str {
        assets::url("upload.js")
    }

    /// The script that loads a waiting page again (`<meta name="motcua-refresh">`).
    pub fn refresh_js_url(&self) -> &'static str {
        assets::url("refresh.js")
    }

    pub fn icon_url(&self) -> &'static str {
        assets::url("favicon.svg")
    }
}
