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
}

impl Layout {
    pub fn new(lang: Lang, title: impl Into<String>, here: impl Into<String>) -> Self {
        Self {
            lang,
            title: title.into(),
            here: here.into(),
            search_q: String::new(),
            has_error: false,
        }
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

    pub fn icon_url(&self) -> &'static str {
        assets::url("favicon.svg")
    }
}
