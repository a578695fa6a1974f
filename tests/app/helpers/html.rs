//! HTML assertions on what a user would see.

use scraper::{Html, Selector};

/// The parsed page.
pub struct Page(pub Html);

impl Page {
    pub fn parse(body: &str) -> Self {
        Self(Html::parse_document(body))
    }

    fn select(selector: &str) -> Selector {
        Selector::parse(selector).unwrap_or_else(|e| panic!("bad selector {selector}: {e:?}"))
    }

    /// The visible text of every element matching the selector, whitespace collapsed.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        self.0
            .select(&Self::select(selector))
            .map(|e| {
                e.text()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// The text of the first match.
    pub fn text(&self, selector: &str) -> String {
        self.texts(selector)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("nothing matches {selector}"))
    }

    /// An attribute of every match.
    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        self.0
            .select(&Self::select(selector))
            .filter_map(|e| e.value().attr(attr).map(str::to_owned))
            .collect()
    }

    pub fn attr(&self, selector: &str, attr: &str) -> String {
        self.attrs(selector, attr)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no {attr} on {selector}"))
    }

    pub fn has(&self, selector: &str) -> bool {
        self.0.select(&Self::select(selector)).next().is_some()
    }

    /// Ids that appear more than once (each label after the first would point at the first),
    /// and labels whose `for` names no element: both leave a field without its name.
    pub fn id_faults(&self) -> Vec<String> {
        let ids = self.attrs("[id]", "id");
        let mut seen = std::collections::HashSet::new();
        let mut faults: Vec<String> = ids
            .iter()
            .filter(|id| !seen.insert(id.as_str()))
            .map(|id| format!("duplicate id {id}"))
            .collect();
        faults.extend(
            self.attrs("label[for]", "for")
                .into_iter()
                .filter(|target| !seen.contains(target.as_str()))
                .map(|target| format!("label for missing {target}")),
        );
        faults
    }

    /// Vietnamese words outside an element marked `lang="vi"` (data with no English — names of
    /// people and places, procedure content — is marked so, as a screen reader needs), other
    /// than `names`, the proper names the English copy itself uses ("Quảng Ngãi"): what an
    /// English page may not show. Each as the text it stands in. Scripts and styles aside.
    pub fn vietnamese_outside_lang_vi(
        &self,
        names: &std::collections::HashSet<String>,
    ) -> Vec<String> {
        let mut found = Vec::new();
        for node in self.0.tree.nodes() {
            let Some(text) = node.value().as_text() else {
                continue;
            };
            let foreign = vietnamese_words(text)
                .into_iter()
                .any(|w| !names.contains(&w));
            if !foreign {
                continue;
            }
            let nearest = node
                .ancestors()
                .filter_map(scraper::ElementRef::wrap)
                .find_map(|e| {
                    if matches!(e.value().name(), "script" | "style") {
                        return Some("skip".to_owned());
                    }
                    e.value().attr("lang").map(str::to_owned)
                });
            if !matches!(nearest.as_deref(), Some("skip" | "vi")) {
                found.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
            }
        }
        found
    }

    /// Procedure names in a result list, in order.
    pub fn result_names(&self) -> Vec<String> {
        self.texts(".cards .card-title")
    }
}

/// The words of `text` written with Vietnamese letters or tone marks ("Cẩm", "Thành").
pub fn vietnamese_words(text: &str) -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| {
            w.nfd().any(|c| {
                matches!(
                    c,
                    'đ' | 'Đ'
                        | '\u{306}'
                        | '\u{302}'
                        | '\u{31b}'
                        | '\u{309}'
                        | '\u{323}'
                        | '\u{300}'
                        | '\u{301}'
                        | '\u{303}'
                )
            })
        })
        .map(str::to_owned)
        .collect()
}
