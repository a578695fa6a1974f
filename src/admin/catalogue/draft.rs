//! A draft of a procedure version as typed on the form: its rows, how the form is read back,
//! and the checks that name each mistake's input and row. Pure: no database.

use super::*;

/// A required document as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct DocRow {
    pub name_vi: String,
    pub name_en: String,
    pub requirement: String,
    pub copies: String,
    pub mandatory: bool,
    pub condition_vi: String,
    pub condition_en: String,
    /// a form template's slug, or empty
    pub template: String,
}

/// A fee line as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct FeeRow {
    pub kind: String,
    pub label_vi: String,
    pub label_en: String,
    /// whole đồng, "20.000" accepted; empty: set case by case
    pub amount: String,
    pub channel: String,
    pub unit_vi: String,
    pub unit_en: String,
    pub exemption_vi: String,
    pub exemption_en: String,
    /// 'submission' or 'assessment' (carried over; not edited on the form)
    pub due: String,
    pub choice_group: String,
    pub quantity_field: String,
    pub cap: String,
}

/// An e-form field as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct FieldRow {
    pub key: String,
    pub label_vi: String,
    pub label_en: String,
    pub hint_vi: String,
    pub hint_en: String,
    pub kind: String,
    pub required: bool,
    /// "value=Nhãn|Label; value2=Nhãn 2|Label 2" for a choice
    pub choices: String,
}

/// A draft: the editing form as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Draft {
    pub code: String,
    /// the field's code
    pub field: String,
    pub name_vi: String,
    pub name_en: String,
    pub competent_kind: String,
    /// an agency's id, or empty (any agency of the kind)
    pub competent_agency: String,
    pub applicant_vi: String,
    pub applicant_en: String,
    pub result_vi: String,
    pub result_en: String,
    pub time_limit_value: String,
    pub time_limit_unit: String,
    pub time_note_vi: String,
    pub time_note_en: String,
    /// received after 15:00, the clock starts at the next working day's opening
    pub clock_next_day_after_cutoff: bool,
    pub submit_online: bool,
    pub submit_counter: bool,
    pub submit_post: bool,
    pub result_counter: bool,
    pub result_post: bool,
    pub result_electronic: bool,
    pub fee_note_vi: String,
    pub fee_note_en: String,
    /// one document per line
    pub legal_basis: String,
    pub decision_no: String,
    pub decision_date: String,
    /// the level of the version it started from (not edited here)
    pub online_level: String,
    pub documents: Vec<DocRow>,
    pub fees: Vec<FeeRow>,
    pub fields: Vec<FieldRow>,
}

pub const REQUIREMENTS: [&str; 6] = [
    "original",
    "copy",
    "certified_copy",
    "original_or_copy",
    "original_to_show",
    "electronic",
];
pub const UNITS: [&str; 4] = ["working_days", "working_hours", "days", "same_day"];
pub const FIELD_KINDS: [&str; 5] = ["text", "number", "date", "choice", "address"];

pub(super) fn unit_of(s: &str) -> Option<TimeUnit> {
    Some(match s {
        "working_days" => TimeUnit::WorkingDays,
        "working_hours" => TimeUnit::WorkingHours,
        "days" => TimeUnit::Days,
        "same_day" => TimeUnit::SameDay,
        _ => return None,
    })
}

pub(super) fn level_of(s: &str) -> OnlineLevel {
    match s {
        "full" => OnlineLevel::Full,
        "partial" => OnlineLevel::Partial,
        _ => OnlineLevel::None,
    }
}

/// "20.000" or "20 000" or "20000" → 20000.
pub fn parse_amount(s: &str) -> Option<i64> {
    let digits: String = s
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | ',' | '₫') && !c.is_whitespace())
        .collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() > 15 {
        return None;
    }
    digits.parse().ok()
}

/// The choices of a field as stored: `[{"value", "vi", "en"}]`.
pub fn parse_choices(s: &str) -> Option<Vec<serde_json::Value>> {
    let mut out = Vec::new();
    for part in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (value, labels) = part.split_once('=')?;
        let (vi, en) = labels.split_once('|').unwrap_or((labels, ""));
        let value = value.trim();
        if value.is_empty() || vi.trim().is_empty() {
            return None;
        }
        out.push(json!({"value": value, "vi": vi.trim(), "en": en.trim()}));
    }
    Some(out)
}

pub(super) fn choices_text(v: &serde_json::Value) -> String {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    let s = |k: &str| c.get(k).and_then(|x| x.as_str()).unwrap_or_default();
                    if s("en").is_empty() {
                        format!("{}={}", s("value"), s("vi"))
                    } else {
                        format!("{}={}|{}", s("value"), s("vi"), s("en"))
                    }
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default()
}

impl Draft {
    /// The posted form over `kept` (what the form does not edit: the level, and the code and
    /// field of a procedure that exists).
    pub fn from_pairs(pairs: &[(String, String)], kept: &Draft, exists: bool) -> Draft {
        let mut d = Draft {
            online_level: kept.online_level.clone(),
            ..Draft::default()
        };
        let mut docs: BTreeMap<usize, DocRow> = BTreeMap::new();
        let mut fees: BTreeMap<usize, FeeRow> = BTreeMap::new();
        let mut fields: BTreeMap<usize, FieldRow> = BTreeMap::new();
        for (k, v) in pairs {
            let v = v.clone();
            if let Some((prefix, rest)) = k.split_once('-')
                && let Some((i, col)) = rest.split_once('-')
                && let Ok(i) = i.parse::<usize>()
                && i < 100
            {
                match prefix {
                    "doc" => {
                        let r = docs.entry(i).or_default();
                        match col {
                            "name_vi" => r.name_vi = v,
                            "name_en" => r.name_en = v,
                            "requirement" => r.requirement = v,
                            "copies" => r.copies = v,
                            "mandatory" => r.mandatory = true,
                            "condition_vi" => r.condition_vi = v,
                            "condition_en" => r.condition_en = v,
                            "template" => r.template = v,
                            _ => {}
                        }
                    }
                    "fee" => {
                        let r = fees.entry(i).or_default();
                        match col {
                            "kind" => r.kind = v,
                            "label_vi" => r.label_vi = v,
                            "label_en" => r.label_en = v,
                            "amount" => r.amount = v,
                            "channel" => r.channel = v,
                            "unit_vi" => r.unit_vi = v,
                            "unit_en" => r.unit_en = v,
                            "exemption_vi" => r.exemption_vi = v,
                            "exemption_en" => r.exemption_en = v,
                            "due" => r.due = v,
                            "choice_group" => r.choice_group = v,
                            "quantity_field" => r.quantity_field = v,
                            "cap" => r.cap = v,
                            _ => {}
                        }
                    }
                    "field" => {
                        let r = fields.entry(i).or_default();
                        match col {
                            "key" => r.key = v,
                            "label_vi" => r.label_vi = v,
                            "label_en" => r.label_en = v,
                            "hint_vi" => r.hint_vi = v,
                            "hint_en" => r.hint_en = v,
                            "kind" => r.kind = v,
                            "required" => r.required = true,
                            "choices" => r.choices = v,
                            _ => {}
                        }
                    }
                    _ => {}
                }
                continue;
            }
            match k.as_str() {
                "code" => d.code = v,
                "field" => d.field = v,
                "name_vi" => d.name_vi = v,
                "name_en" => d.name_en = v,
                "competent_kind" => d.competent_kind = v,
                "competent_agency" => d.competent_agency = v,
                "applicant_vi" => d.applicant_vi = v,
                "applicant_en" => d.applicant_en = v,
                "result_vi" => d.result_vi = v,
                "result_en" => d.result_en = v,
                "time_limit_value" => d.time_limit_value = v,
                "time_limit_unit" => d.time_limit_unit = v,
                "time_note_vi" => d.time_note_vi = v,
                "time_note_en" => d.time_note_en = v,
                "clock_next_day_after_cutoff" => d.clock_next_day_after_cutoff = true,
                "submit_online" => d.submit_online = true,
                "submit_counter" => d.submit_counter = true,
                "submit_post" => d.submit_post = true,
                "result_counter" => d.result_counter = true,
                "result_post" => d.result_post = true,
                "result_electronic" => d.result_electronic = true,
                "fee_note_vi" => d.fee_note_vi = v,
                "fee_note_en" => d.fee_note_en = v,
                "legal_basis" => d.legal_basis = v,
                "decision_no" => d.decision_no = v,
                "decision_date" => d.decision_date = v,
                _ => {}
            }
        }
        if exists {
            d.code = kept.code.clone();
            d.field = kept.field.clone();
        }
        // a row whose name is cleared is removed; blank rows offered for adding stay out
        d.documents = docs
            .into_values()
            .filter(|r| !r.name_vi.trim().is_empty())
            .collect();
        d.fees = fees
            .into_values()
            .filter(|r| !r.label_vi.trim().is_empty())
            .collect();
        d.fields = fields
            .into_values()
            .filter(|r| !(r.key.trim().is_empty() && r.label_vi.trim().is_empty()))
            .collect();
        d
    }
}

/// What the database knows, for checking a draft without it.
#[derive(Debug, Default)]
pub struct Known {
    pub fields: HashSet<String>,
    pub kinds: HashSet<String>,
    pub agencies: HashSet<Uuid>,
    pub templates: HashSet<String>,
}

/// Checks a draft; `add` receives (input id, message key, row number or 0).
pub fn check(d: &Draft, known: &Known, mut add: impl FnMut(String, &'static str, usize)) {
    let code_ok = {
        let b = d.code.as_bytes();
        b.len() == 8
            && b[0].is_ascii_digit()
            && b[1] == b'.'
            && b[2..].iter().all(u8::is_ascii_digit)
    };
    if !code_ok {
        add("code".into(), "catalogue_admin.error_code", 0);
    }
    if !known.fields.contains(&d.field) {
        add("field".into(), "catalogue_admin.error_field", 0);
    }
    if d.name_vi.trim().chars().count() < 5 {
        add("name_vi".into(), "catalogue_admin.error_name", 0);
    }
    if !known.kinds.contains(&d.competent_kind) {
        add("competent_kind".into(), "catalogue_admin.error_kind", 0);
    }
    if !d.competent_agency.is_empty()
        && !d
            .competent_agency
            .parse::<Uuid>()
            .is_ok_and(|a| known.agencies.contains(&a))
    {
        add("competent_agency".into(), "catalogue_admin.error_agency", 0);
    }
    match unit_of(&d.time_limit_unit) {
        None => add("time_limit_unit".into(), "catalogue_admin.error_unit", 0),
        Some(TimeUnit::SameDay) => {}
        Some(_) => {
            if !d
                .time_limit_value
                .trim()
                .parse::<i32>()
                .is_ok_and(|n| (1..=3650).contains(&n))
            {
                add("time_limit_value".into(), "catalogue_admin.error_time", 0);
            }
        }
    }
    if !(d.submit_online || d.submit_counter || d.submit_post) {
        add("submit_online".into(), "catalogue_admin.error_submit", 0);
    }
    if level_of(&d.online_level).is_online() && !d.submit_online {
        add(
            "submit_online".into(),
            "catalogue_admin.error_online_level",
            0,
        );
    }
    if !(d.result_counter || d.result_post || d.result_electronic) {
        add("result_counter".into(), "catalogue_admin.error_result", 0);
    }
    if !d.decision_date.trim().is_empty()
        && NaiveDate::parse_from_str(d.decision_date.trim(), "%Y-%m-%d").is_err()
    {
        add("decision_date".into(), "catalogue_admin.error_date", 0);
    }
    for (i, r) in d.documents.iter().enumerate() {
        if !REQUIREMENTS.contains(&r.requirement.as_str()) {
            add(
                format!("doc-{i}-requirement"),
                "catalogue_admin.error_requirement",
                i + 1,
            );
        }
        if !r
            .copies
            .trim()
            .parse::<i32>()
            .is_ok_and(|n| (0..=20).contains(&n))
        {
            add(
                format!("doc-{i}-copies"),
                "catalogue_admin.error_copies",
                i + 1,
            );
        }
        if !r.template.is_empty() && !known.templates.contains(&r.template) {
            add(
                format!("doc-{i}-template"),
                "catalogue_admin.error_template",
                i + 1,
            );
        }
    }
    for (i, r) in d.fees.iter().enumerate() {
        if !matches!(r.kind.as_str(), "fee" | "charge") {
            add(
                format!("fee-{i}-kind"),
                "catalogue_admin.error_fee_kind",
                i + 1,
            );
        }
        if !r.amount.trim().is_empty() && parse_amount(&r.amount).is_none() {
            add(
                format!("fee-{i}-amount"),
                "catalogue_admin.error_amount",
                i + 1,
            );
        }
        if !matches!(r.due.as_str(), "" | "submission" | "assessment")
            || (!r.cap.trim().is_empty() && parse_amount(&r.cap).is_none())
        {
            add(
                format!("fee-{i}-amount"),
                "catalogue_admin.error_fee_rule",
                i + 1,
            );
        }
        if !matches!(r.channel.as_str(), "any" | "online" | "counter") {
            add(
                format!("fee-{i}-channel"),
                "catalogue_admin.error_channel",
                i + 1,
            );
        }
    }
    let mut keys = HashSet::new();
    for (i, r) in d.fields.iter().enumerate() {
        let key = r.key.trim();
        let key_ok = key.len() <= 40
            && key.starts_with(|c: char| c.is_ascii_lowercase())
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !key_ok {
            add(format!("field-{i}-key"), "catalogue_admin.error_key", i + 1);
        } else if !keys.insert(key.to_owned()) {
            add(
                format!("field-{i}-key"),
                "catalogue_admin.error_key_twice",
                i + 1,
            );
        }
        if r.label_vi.trim().is_empty() {
            add(
                format!("field-{i}-label_vi"),
                "catalogue_admin.error_label",
                i + 1,
            );
        }
        if !FIELD_KINDS.contains(&r.kind.as_str()) {
            add(
                format!("field-{i}-kind"),
                "catalogue_admin.error_field_kind",
                i + 1,
            );
        } else if r.kind == "choice" && parse_choices(&r.choices).is_none_or(|c| c.len() < 2) {
            add(
                format!("field-{i}-choices"),
                "catalogue_admin.error_choices",
                i + 1,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Known {
        Known {
            fields: ["ho-tich".to_owned()].into(),
            kinds: ["commune_pc".to_owned()].into(),
            agencies: HashSet::new(),
            templates: HashSet::new(),
        }
    }

    fn good() -> Draft {
        Draft {
            code: "1.999001".into(),
            field: "ho-tich".into(),
            name_vi: "Đăng ký khai sinh thử".into(),
            competent_kind: "commune_pc".into(),
            time_limit_value: "3".into(),
            time_limit_unit: "working_days".into(),
            submit_counter: true,
            result_counter: true,
            online_level: "none".into(),
            documents: vec![DocRow {
                name_vi: "Tờ khai".into(),
                requirement: "original".into(),
                copies: "1".into(),
                mandatory: true,
                ..DocRow::default()
            }],
            fees: vec![FeeRow {
                kind: "fee".into(),
                label_vi: "Lệ phí".into(),
                amount: "8.000".into(),
                channel: "any".into(),
                ..FeeRow::default()
            }],
            fields: vec![FieldRow {
                key: "gioi_tinh".into(),
                label_vi: "Giới tính".into(),
                kind: "choice".into(),
                required: true,
                choices: "nam=Nam|Male; nu=Nữ|Female".into(),
                ..FieldRow::default()
            }],
            ..Draft::default()
        }
    }

    fn errors(d: &Draft) -> Vec<(String, &'static str, usize)> {
        let mut out = Vec::new();
        check(d, &known(), |f, k, n| out.push((f, k, n)));
        out
    }

    #[test]
    fn a_complete_draft_passes() {
        assert_eq!(errors(&good()), []);
    }

    #[test]
    fn each_mistake_points_at_its_input_and_row() {
        let mut d = good();
        d.code = "1.99".into();
        d.time_limit_value = "0".into();
        d.submit_counter = false;
        d.fees[0].amount = "tám nghìn".into();
        d.fields[0].choices = "nam=Nam".into();
        d.fields.push(FieldRow {
            key: "gioi_tinh".into(),
            label_vi: "Lặp".into(),
            kind: "text".into(),
            ..FieldRow::default()
        });
        let found: Vec<String> = errors(&d).into_iter().map(|(f, _, _)| f).collect();
        assert_eq!(
            found,
            [
                "code",
                "time_limit_value",
                "submit_online",
                "fee-0-amount",
                "field-0-choices",
                "field-1-key"
            ]
        );
    }

    #[test]
    fn an_online_procedure_cannot_lose_its_online_channel_here() {
        let mut d = good();
        d.online_level = "full".into();
        d.submit_online = false;
        assert!(
            errors(&d)
                .iter()
                .any(|(_, k, _)| *k == "catalogue_admin.error_online_level")
        );
    }

    #[test]
    fn amounts_and_choices_read_as_officials_write_them() {
        assert_eq!(parse_amount("20.000"), Some(20_000));
        assert_eq!(parse_amount("1 500 000 ₫"), Some(1_500_000));
        assert_eq!(parse_amount("abc"), None);
        let c = parse_choices("nam=Nam|Male; nu=Nữ").unwrap();
        assert_eq!(c[1]["vi"], "Nữ");
        assert_eq!(
            choices_text(&serde_json::Value::Array(c)),
            "nam=Nam|Male; nu=Nữ"
        );
    }

    #[test]
    fn the_form_keeps_what_it_does_not_edit_and_drops_cleared_rows() {
        let kept = good();
        let pairs: Vec<(String, String)> = [
            ("code", "9.000000"),
            ("name_vi", "Tên mới của thủ tục"),
            ("doc-0-name_vi", "Tờ khai"),
            ("doc-0-requirement", "original"),
            ("doc-0-copies", "1"),
            ("doc-1-name_vi", ""),
            ("doc-1-requirement", "copy"),
            ("submit_online", "on"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let d = Draft::from_pairs(&pairs, &kept, true);
        assert_eq!(d.code, "1.999001", "an existing procedure keeps its code");
        assert_eq!(d.online_level, "none");
        assert_eq!(d.documents.len(), 1);
        assert!(d.submit_online && !d.submit_counter);
    }
}
