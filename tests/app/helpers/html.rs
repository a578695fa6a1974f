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

    /// Procedure names in a result list, in order.
    pub fn result_names(&self) -> Vec<String> {
        self.texts(".cards .card-title")
    }
}
