//! Rules of a dossier's content: the procedure's own fields, the delivery choice, uploaded
//! file types. No IO here.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::kernel::Lang;

/// A question of a procedure version (`procedure_fields`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FieldDef {
    pub key: String,
    pub label_vi: String,
    pub label_en: String,
    pub hint_vi: String,
    pub hint_en: String,
    pub kind: String,
    pub required: bool,
    pub choices: sqlx::types::Json<Vec<Choice>>,
}

/// One option of a choice field.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub vi: String,
    pub en: String,
}

/// The items an official asked for in a request (return for completion, supplement), one per
/// line, as kept in its event's details; None when the request listed none.
pub fn items_asked(details: &serde_json::Value) -> Option<Vec<String>> {
    details.get("items").and_then(|v| v.as_array()).map(|a| {
        a.iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    })
}

/// Checks answers against the fields: required ones present, numbers, dates and choices
/// well-formed. Returns the cleaned answers, or (field key, message key) for each problem.
pub fn check_answers(
    fields: &[FieldDef],
    typed: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, Vec<(String, &'static str)>> {
    let mut clean = BTreeMap::new();
    let mut problems = Vec::new();
    for field in fields {
        let value = typed.get(&field.key).map(|v| v.trim()).unwrap_or_default();
        if value.is_empty() {
            if field.required {
                problems.push((field.key.clone(), "dossier.error_required"));
            }
            continue;
        }
        let ok = match field.kind.as_str() {
            "number" => value.parse::<u32>().is_ok_and(|n| n > 0 && n <= 10_000),
            "date" => NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok(),
            "choice" => field.choices.iter().any(|c| c.value == value),
            _ => value.chars().count() <= 300,
        };
        if ok {
            clean.insert(field.key.clone(), value.to_owned());
        } else {
            let message = match field.kind.as_str() {
                "number" => "dossier.error_number",
                "date" => "dossier.error_date",
                "choice" => "dossier.error_choice",
                _ => "dossier.error_too_long",
            };
            problems.push((field.key.clone(), message));
        }
    }
    if problems.is_empty() {
        Ok(clean)
    } else {
        Err(problems)
    }
}

/// How an answer reads on the check-your-answers page.
pub fn show_answer(field: &FieldDef, value: &str, lang: Lang) -> String {
    match field.kind.as_str() {
        "choice" => field
            .choices
            .iter()
            .find(|c| c.value == value)
            .map_or_else(|| value.to_owned(), |c| lang.pick(&c.vi, &c.en).to_owned()),
        "date" => NaiveDate::parse_from_str(value, "%Y-%m-%d")
            .map_or_else(|_| value.to_owned(), |d| d.format("%d/%m/%Y").to_string()),
        _ => value.to_owned(),
    }
}

/// The file types a dossier accepts, recognised by their first bytes, never by their name.
pub fn sniff_content_type(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else {
        None
    }
}

/// A file name safe to show and to offer as a download name: no path, no control characters,
/// at most 120 characters.
pub fn display_name(original: &str) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(120).collect();
    if cleaned.trim().is_empty() {
        "tep-dinh-kem".to_owned()
    } else {
        cleaned
    }
}

/// A file's size as people read it: "350 KB", "1.4 MB".
pub fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

/// How the paper dossier reaches the agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperChannel {
    /// Everything was sent online.
    OnlineOnly,
    /// A postal worker collects the papers at an address.
    PostalPickup,
}

/// How the result comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultChannel {
    Counter,
    Post,
    Electronic,
}

impl PaperChannel {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "online_only" => Some(Self::OnlineOnly),
            "postal_pickup" => Some(Self::PostalPickup),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OnlineOnly => "online_only",
            Self::PostalPickup => "postal_pickup",
        }
    }
}

impl ResultChannel {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "counter" => Some(Self::Counter),
            "post" => Some(Self::Post),
            "electronic" => Some(Self::Electronic),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Counter => "counter",
            Self::Post => "post",
            Self::Electronic => "electronic",
        }
    }
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Counter => "channel.result_counter",
            Self::Post => "channel.result_post",
            Self::Electronic => "channel.result_electronic",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(key: &str, kind: &str, required: bool) -> FieldDef {
        FieldDef {
            key: key.into(),
            label_vi: key.into(),
            label_en: key.into(),
            hint_vi: String::new(),
            hint_en: String::new(),
            kind: kind.into(),
            required,
            choices: sqlx::types::Json(vec![Choice {
                value: "nam".into(),
                vi: "Nam".into(),
                en: "Male".into(),
            }]),
        }
    }

    #[test]
    fn answers_are_checked_by_kind() {
        let fields = [
            field("name", "text", true),
            field("born", "date", true),
            field("sex", "choice", true),
            field("copies", "number", false),
        ];
        let mut typed = BTreeMap::new();
        typed.insert("name".to_owned(), " Lan ".to_owned());
        typed.insert("born".to_owned(), "2026-02-30".to_owned());
        typed.insert("sex".to_owned(), "x".to_owned());
        let problems = check_answers(&fields, &typed).unwrap_err();
        assert_eq!(
            problems,
            vec![
                ("born".to_owned(), "dossier.error_date"),
                ("sex".to_owned(), "dossier.error_choice")
            ]
        );
        typed.insert("born".to_owned(), "2026-02-28".to_owned());
        typed.insert("sex".to_owned(), "nam".to_owned());
        let clean = check_answers(&fields, &typed).unwrap();
        assert_eq!(clean.get("name").map(String::as_str), Some("Lan"));
        assert!(!clean.contains_key("copies"), "optional and empty");
        assert_eq!(
            show_answer(&fields[1], "2026-02-28", Lang::Vi),
            "28/02/2026"
        );
        assert_eq!(show_answer(&fields[2], "nam", Lang::En), "Male");
    }

    #[test]
    fn files_are_recognised_by_content_not_by_name() {
        assert_eq!(
            sniff_content_type(b"%PDF-1.7\n..."),
            Some("application/pdf")
        );
        assert_eq!(
            sniff_content_type(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some("image/jpeg")
        );
        assert_eq!(
            sniff_content_type(b"\x89PNG\r\n\x1a\n...."),
            Some("image/png")
        );
        assert_eq!(
            sniff_content_type(b"MZ\x90\x00 renamed.pdf"),
            None,
            "an executable renamed .pdf"
        );
        assert_eq!(sniff_content_type(b""), None);
    }

    #[test]
    fn sizes_read_in_kilobytes_or_megabytes() {
        assert_eq!(size_text(1), "1 KB");
        assert_eq!(size_text(350 * 1024), "350 KB");
        assert_eq!(size_text(1_468_006), "1.4 MB");
    }

    #[test]
    fn uploaded_names_lose_their_paths() {
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(
            display_name("C:\\Users\\An\\giấy khai sinh.pdf"),
            "giấy khai sinh.pdf"
        );
        assert_eq!(display_name("/"), "tep-dinh-kem");
    }
}
