//! Form errors, GOV.UK style: a summary at the top linking to each field, and a message by the
//! field itself. The form is shown again with what the user typed.

/// Field → message, in the order of the form.
#[derive(Debug, Default, Clone)]
pub struct FormErrors(Vec<(String, String)>);

impl FormErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a message for a field (the field's `id` in the page).
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push((field.into(), message.into()));
    }

    /// The message of a field, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// (field, message) pairs for the summary.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(f, m)| (f.as_str(), m.as_str()))
    }
}

/// Uploads stream past axum's 2 MB default; each file and the dossier are checked as they
/// arrive (`max_file_mb`, `max_dossier_mb`), this only bounds one request.
pub const UPLOAD_BODY_LIMIT: usize = 64 * 1024 * 1024;
/// A feedback form: its text and one attachment (`max_file_mb` is checked as it streams).
pub const FEEDBACK_BODY_LIMIT: usize = 32 * 1024 * 1024;
