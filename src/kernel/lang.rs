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

    /// The translated text of a key in `src/locales/` (one file per capability).
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

    /// The texts are one file per capability: each key is in one file only, with both
    /// languages, and the portal reads every file (a key of each file is translated).
    #[test]
    fn each_capabilitys_texts_are_read_and_in_both_languages() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/locales");
        let mut seen = std::collections::BTreeMap::new();
        let mut files = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            assert!(text.starts_with("_version: 2\n"), "{file}");
            files += 1;
            let mut first = None;
            let lines: Vec<&str> = text.lines().skip(1).collect();
            for (i, line) in lines.iter().enumerate() {
                let Some(key) = line.strip_suffix(':').filter(|_| !line.starts_with(' ')) else {
                    continue;
                };
                assert!(
                    seen.insert(key.to_owned(), file.clone()).is_none(),
                    "{key} twice"
                );
                let body: Vec<&str> = lines[i + 1..]
                    .iter()
                    .take_while(|l| l.starts_with(' '))
                    .copied()
                    .collect();
                for lang in ["  vi:", "  en:"] {
                    assert!(body.iter().any(|l| l.starts_with(lang)), "{key} {lang}");
                }
                first.get_or_insert(key.to_owned());
            }
            let key = first.expect("a file with texts");
            assert_ne!(Lang::Vi.t(&key), key, "{file} is read");
            assert_ne!(Lang::En.t(&key), key, "{file} is read");
        }
        assert!(files > 10, "one file per capability");
    }

    #[test]
    fn english_falls_back_to_vietnamese_when_missing() {
        assert_eq!(Lang::En.pick("Hộ tịch", ""), "Hộ tịch");
        assert_eq!(Lang::En.pick("Hộ tịch", "Civil status"), "Civil status");
        assert_eq!(Lang::Vi.pick("Hộ tịch", "Civil status"), "Hộ tịch");
    }
}
