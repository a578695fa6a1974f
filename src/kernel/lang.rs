//! The two languages of the portal. Vietnamese is the default.

use std::borrow::Cow;

/// A language the portal speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// Parses `vi` / `en` (as in a cookie or a query parameter).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "vi" => Some(Self::Vi),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Vi => "vi",
            Self::En => "en",
        }
    }

    pub fn is_en(self) -> bool {
        self == Self::En
    }

    /// The other language, for the switch link.
    pub fn other(self) -> Self {
        match self {
            Self::Vi => Self::En,
            Self::En => Self::Vi,
        }
    }

    /// The translated text of a key in `src/locales/app.yml`.
    pub fn t<'a>(self, key: &'a str) -> Cow<'a, str> {
        rust_i18n::t!(key, locale = self.code())
    }

    /// Picks the Vietnamese or the English one of two texts stored side by side.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Self::En if !en.is_empty() => en,
            _ => vi,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_translated_in_both_languages() {
        let vi = Lang::Vi.t("nav.home");
        let en = Lang::En.t("nav.home");
        assert_eq!(vi, "Trang chủ");
        assert_eq!(en, "Home");
    }

    #[test]
    fn english_falls_back_to_vietnamese_when_missing() {
        assert_eq!(Lang::En.pick("Hộ tịch", ""), "Hộ tịch");
        assert_eq!(Lang::En.pick("Hộ tịch", "Civil status"), "Civil status");
        assert_eq!(Lang::Vi.pick("Hộ tịch", "Civil status"), "Hộ tịch");
    }
}
