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

    /// Procedure names in a result list, in order.
    pub fn result_names(&self) -> Vec<String> {
        self.texts(".cards .card-title")
    }
}
