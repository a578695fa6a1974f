//! Catalogue editing for system administrators (the provincial office that publishes
//! procedures): a published version is never changed. A draft — started from the version in
//! force, or blank for a new procedure — holds the form as typed; it is previewed as the public
//! page and published from an effective date, which makes a new version (the one in force that
//! day ends there; dossiers keep the version they were filed on). The online level is not edited
//! here: it changes only through the chairman's approval.

use std::collections::{BTreeMap, HashSet};

use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgConnection;
use sqlx::types::Json;
use tower_sessions::Session;
use uuid::Uuid;

use super::views::{CatalogueAdminPage, DraftLine, DraftPage};
use crate::AppState;
use crate::accounts::CurrentStaff;
use crate::accounts::domain::StaffRole;
use crate::accounts::staff::staff_layout;
use crate::audit;
use crate::catalogue::domain::{OnlineLevel, TimeUnit};
use crate::catalogue::repo::{Fee, ProcedureDetail, RequiredDocument};
use crate::catalogue::views::ProcedurePage;
use crate::kernel::Lang;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, FormErrors, flash};

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

fn unit_of(s: &str) -> Option<TimeUnit> {
    Some(match s {
        "working_days" => TimeUnit::WorkingDays,
        "working_hours" => TimeUnit::WorkingHours,
        "days" => TimeUnit::Days,
        "same_day" => TimeUnit::SameDay,
        _ => return None,
    })
}

fn level_of(s: &str) -> OnlineLevel {
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

fn choices_text(v: &serde_json::Value) -> String {
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

async fn known(conn: &mut PgConnection) -> Result<Known, sqlx::Error> {
    let fields: Vec<String> = sqlx::query_scalar("select code from fields")
        .fetch_all(&mut *conn)
        .await?;
    let kinds: Vec<String> = sqlx::query_scalar("select code from agency_kinds")
        .fetch_all(&mut *conn)
        .await?;
    let agencies: Vec<Uuid> = sqlx::query_scalar(
        "select id from agencies where valid_to is null or valid_to > current_date",
    )
    .fetch_all(&mut *conn)
    .await?;
    let templates: Vec<String> = sqlx::query_scalar("select slug from form_templates")
        .fetch_all(&mut *conn)
        .await?;
    Ok(Known {
        fields: fields.into_iter().collect(),
        kinds: kinds.into_iter().collect(),
        agencies: agencies.into_iter().collect(),
        templates: templates.into_iter().collect(),
    })
}

/// A required document as read: names, requirement, copies, mandatory, conditions, template.
type DocLine = (
    String,
    String,
    String,
    i32,
    bool,
    String,
    String,
    Option<String>,
);
/// An e-form field as read: key, labels, hints, kind, required, choices.
type FieldLine = (
    String,
    String,
    String,
    String,
    String,
    String,
    bool,
    Json<serde_json::Value>,
);
/// A listed draft: id, status, body, updated at, by whom.
type DraftListLine = (
    Uuid,
    String,
    Json<Draft>,
    chrono::DateTime<chrono::Utc>,
    String,
);

#[derive(sqlx::FromRow)]
struct VersionRow {
    code: String,
    field: String,
    name_vi: String,
    name_en: String,
    competent_kind: String,
    competent_agency_id: Option<Uuid>,
    applicant_vi: String,
    applicant_en: String,
    result_vi: String,
    result_en: String,
    time_limit_value: Option<i32>,
    time_limit_unit: String,
    time_note_vi: String,
    time_note_en: String,
    submit_online: bool,
    submit_counter: bool,
    submit_post: bool,
    result_counter: bool,
    result_post: bool,
    result_electronic: bool,
    fee_note_vi: String,
    fee_note_en: String,
    legal_basis: Vec<String>,
    decision_no: Option<String>,
    decision_date: Option<NaiveDate>,
    online_level: String,
}

/// The draft of a version: every column the editor shows, from the version `id`.
async fn draft_of_version(conn: &mut PgConnection, id: Uuid) -> Result<Draft, sqlx::Error> {
    let v: VersionRow = sqlx::query_as(
        "select v.code, f.code as field, v.name_vi, v.name_en, v.competent_kind, \
           agency_in_force(v.competent_agency_id, current_date) as competent_agency_id, \
           v.applicant_vi, v.applicant_en, v.result_vi, v.result_en, v.time_limit_value, \
           v.time_limit_unit::text as time_limit_unit, v.time_note_vi, v.time_note_en, \
           v.submit_online, v.submit_counter, v.submit_post, v.result_counter, v.result_post, v.result_electronic, \
           v.fee_note_vi, v.fee_note_en, v.legal_basis, v.decision_no, v.decision_date, v.online_level::text as online_level \
         from procedure_versions v join fields f on f.id = v.field_id where v.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let documents: Vec<DocLine> = sqlx::query_as(
        "select d.name_vi, d.name_en, d.requirement, d.copies, d.mandatory, d.condition_vi, \
               d.condition_en, t.slug from procedure_documents d \
             left join form_templates t on t.id = d.form_template_id \
             where d.version_id = $1 order by d.position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let fees: Vec<Json<FeeRowDb>> = sqlx::query_scalar(
        "select json_build_object('kind', kind, 'label_vi', label_vi, 'label_en', label_en, \
           'amount_vnd', amount_vnd, 'channel', channel, 'unit_vi', unit_vi, 'unit_en', unit_en, \
           'exemption_vi', exemption_vi, 'exemption_en', exemption_en, 'due', due, \
           'choice_group', choice_group, 'quantity_field', quantity_field, 'cap_vnd', cap_vnd) \
         from procedure_fees where version_id = $1 order by position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let fields: Vec<FieldLine> = sqlx::query_as(
        "select key, label_vi, label_en, hint_vi, hint_en, kind, required, choices \
             from procedure_fields where version_id = $1 order by position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Draft {
        code: v.code,
        field: v.field,
        name_vi: v.name_vi,
        name_en: v.name_en,
        competent_kind: v.competent_kind,
        competent_agency: v
            .competent_agency_id
            .map(|a| a.to_string())
            .unwrap_or_default(),
        applicant_vi: v.applicant_vi,
        applicant_en: v.applicant_en,
        result_vi: v.result_vi,
        result_en: v.result_en,
        time_limit_value: v
            .time_limit_value
            .map(|n| n.to_string())
            .unwrap_or_default(),
        time_limit_unit: v.time_limit_unit,
        time_note_vi: v.time_note_vi,
        time_note_en: v.time_note_en,
        submit_online: v.submit_online,
        submit_counter: v.submit_counter,
        submit_post: v.submit_post,
        result_counter: v.result_counter,
        result_post: v.result_post,
        result_electronic: v.result_electronic,
        fee_note_vi: v.fee_note_vi,
        fee_note_en: v.fee_note_en,
        legal_basis: v.legal_basis.join("\n"),
        decision_no: v.decision_no.unwrap_or_default(),
        decision_date: v.decision_date.map(|d| d.to_string()).unwrap_or_default(),
        online_level: v.online_level,
        documents: documents
            .into_iter()
            .map(
                |(name_vi, name_en, requirement, copies, mandatory, cvi, cen, t)| DocRow {
                    name_vi,
                    name_en,
                    requirement,
                    copies: copies.to_string(),
                    mandatory,
                    condition_vi: cvi,
                    condition_en: cen,
                    template: t.unwrap_or_default(),
                },
            )
            .collect(),
        fees: fees
            .into_iter()
            .map(|Json(f)| FeeRow {
                kind: f.kind,
                label_vi: f.label_vi,
                label_en: f.label_en,
                amount: f.amount_vnd.map(|a| a.to_string()).unwrap_or_default(),
                channel: f.channel,
                unit_vi: f.unit_vi,
                unit_en: f.unit_en,
                exemption_vi: f.exemption_vi,
                exemption_en: f.exemption_en,
                due: f.due,
                choice_group: f.choice_group.unwrap_or_default(),
                quantity_field: f.quantity_field.unwrap_or_default(),
                cap: f.cap_vnd.map(|c| c.to_string()).unwrap_or_default(),
            })
            .collect(),
        fields: fields
            .into_iter()
            .map(
                |(key, label_vi, label_en, hint_vi, hint_en, kind, required, Json(c))| FieldRow {
                    key,
                    label_vi,
                    label_en,
                    hint_vi,
                    hint_en,
                    kind,
                    required,
                    choices: choices_text(&c),
                },
            )
            .collect(),
    })
}

#[derive(Deserialize)]
struct FeeRowDb {
    due: String,
    choice_group: Option<String>,
    quantity_field: Option<String>,
    cap_vnd: Option<i64>,
    kind: String,
    label_vi: String,
    label_en: String,
    amount_vnd: Option<i64>,
    channel: String,
    unit_vi: String,
    unit_en: String,
    exemption_vi: String,
    exemption_en: String,
}

/// A stored draft: (procedure, status, body).
async fn load(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<(Option<Uuid>, String, Draft)>, sqlx::Error> {
    let row: Option<(Option<Uuid>, String, Json<Draft>)> =
        sqlx::query_as("select procedure_id, status, body from procedure_drafts where id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(p, s, Json(d))| (p, s, d)))
}

/// `GET /admin/catalogue`: drafts in progress and recently published, and where to start one.
pub async fn index(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
) -> AppResult<CatalogueAdminPage> {
    staff.require(StaffRole::SystemAdmin)?;
    index_page(
        &app,
        lang,
        &session,
        &staff,
        String::new(),
        FormErrors::new(),
    )
    .await
}

async fn index_page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    staff: &CurrentStaff,
    code: String,
    errors: FormErrors,
) -> AppResult<CatalogueAdminPage> {
    let rows: Vec<DraftListLine> = sqlx::query_as(
        "select d.id, d.status, d.body, d.updated_at, u.full_name from procedure_drafts d \
             join staff_users u on u.id = d.updated_by \
             where d.status = 'editing' or d.updated_at > now() - interval '30 days' \
             order by d.status = 'editing' desc, d.updated_at desc, d.id limit 200",
    )
    .fetch_all(&app.db)
    .await?;
    Ok(CatalogueAdminPage {
        layout: staff_layout(
            lang,
            "catalogue_admin.title",
            "/admin/catalogue",
            session,
            staff,
        )
        .await?
        .with_errors(&errors),
        drafts: rows
            .into_iter()
            .map(|(id, status, Json(d), at, who)| DraftLine {
                url: format!("/admin/catalogue/drafts/{id}"),
                code: d.code.clone(),
                name: d.name_vi.clone(),
                status: lang
                    .t(&format!("catalogue_admin.status_{status}"))
                    .into_owned(),
                editing: status == "editing",
                updated: format!("{} — {who}", crate::processing::desk::format_local(at)),
            })
            .collect(),
        code,
        errors,
    })
}

/// `POST /admin/catalogue/drafts`: starts a draft of the procedure `code` from the version in
/// force (or the newest), or a blank one when `code` is empty; an open draft is reused.
pub async fn start(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    staff.require(StaffRole::SystemAdmin)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&raw)
        .map_err(|_| AppError::BadRequest("errors.bad_request_text"))?;
    let code = pairs
        .iter()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    let mut tx = app.db.begin().await?;
    let (procedure, based_on, body) = if code.is_empty() {
        let body = Draft {
            online_level: "none".into(),
            time_limit_unit: "working_days".into(),
            submit_counter: true,
            result_counter: true,
            ..Draft::default()
        };
        (None, None, body)
    } else {
        let found: Option<(Uuid, Uuid)> = sqlx::query_as(
            "select v.procedure_id, v.id from procedure_versions v where v.code = $1 \
             order by (v.effective_from <= current_date and (v.effective_to is null or v.effective_to > current_date)) desc, \
               v.version_no desc limit 1",
        )
        .bind(&code)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((procedure, version)) = found else {
            let mut errors = FormErrors::new();
            errors.add("start-code", lang.t("catalogue_admin.error_unknown_code"));
            drop(tx);
            let page = index_page(&app, lang, &session, &staff, code, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        };
        let open: Option<Uuid> = sqlx::query_scalar(
            "select id from procedure_drafts where procedure_id = $1 and status = 'editing'",
        )
        .bind(procedure)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(open) = open {
            return Ok(Redirect::to(&format!("/admin/catalogue/drafts/{open}")).into_response());
        }
        let body = draft_of_version(&mut tx, version).await?;
        (Some(procedure), Some(version), body)
    };
    let inserted: Result<Uuid, sqlx::Error> = sqlx::query_scalar(
        "insert into procedure_drafts (procedure_id, based_on, body, created_by, updated_by) \
         values ($1, $2, $3, $4, $4) returning id",
    )
    .bind(procedure)
    .bind(based_on)
    .bind(Json(&body))
    .bind(staff.id)
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok(id) => id,
        // started twice at once: the other request's draft is the one
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("procedure_drafts_one_open") => {
            return Ok(Redirect::to("/admin/catalogue").into_response());
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &mut tx,
        audit::Actor::Staff(staff.id),
        "catalogue.draft_started",
        Some(&id.to_string()),
        ip,
        json!({"code": code, "based_on": based_on}),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/catalogue/drafts/{id}")).into_response())
}

/// Which draft a page shows, and in what state.
struct Shown<'a> {
    id: Uuid,
    exists: bool,
    status: &'a str,
    effective_on: String,
}

async fn draft_page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    staff: &CurrentStaff,
    shown_as: Shown<'_>,
    draft: Draft,
    errors: FormErrors,
) -> AppResult<DraftPage> {
    let Shown {
        id,
        exists,
        status,
        effective_on,
    } = shown_as;
    let mut conn = app.db.acquire().await?;
    let fields: Vec<(String, String)> =
        sqlx::query_as("select code, name_vi from fields order by sort_order, code")
            .fetch_all(&mut *conn)
            .await?;
    let kinds: Vec<(String, String)> =
        sqlx::query_as("select code, name_vi from agency_kinds order by sort_order, code")
            .fetch_all(&mut *conn)
            .await?;
    let agencies: Vec<(Uuid, String)> = sqlx::query_as(
        "select id, name_vi from agencies where valid_to is null or valid_to > current_date \
         order by name_vi",
    )
    .fetch_all(&mut *conn)
    .await?;
    let templates: Vec<(String, String)> =
        sqlx::query_as("select slug, name_vi from form_templates order by name_vi, slug")
            .fetch_all(&mut *conn)
            .await?;
    drop(conn);
    let mut shown = draft.clone();
    // room to add: two documents, a fee and a field
    shown.documents.extend([
        DocRow {
            requirement: "copy".into(),
            copies: "1".into(),
            mandatory: true,
            ..DocRow::default()
        },
        DocRow {
            requirement: "copy".into(),
            copies: "1".into(),
            mandatory: true,
            ..DocRow::default()
        },
    ]);
    shown.fees.push(FeeRow {
        kind: "fee".into(),
        channel: "any".into(),
        ..FeeRow::default()
    });
    shown.fields.push(FieldRow {
        kind: "text".into(),
        required: true,
        ..FieldRow::default()
    });
    let requirement_labels = REQUIREMENTS
        .iter()
        .map(|r| {
            (
                (*r).to_owned(),
                lang.t(crate::catalogue::domain::requirement_key(r))
                    .into_owned(),
            )
        })
        .collect();
    let title = if draft.name_vi.is_empty() {
        lang.t("catalogue_admin.new_procedure").into_owned()
    } else {
        draft.name_vi.clone()
    };
    let mut layout = staff_layout(
        lang,
        "catalogue_admin.draft_title",
        "/admin/catalogue",
        session,
        staff,
    )
    .await?
    .with_errors(&errors);
    layout.title = format!("{} — {title}", lang.t("catalogue_admin.draft_title"));
    Ok(DraftPage {
        layout,
        url: format!("/admin/catalogue/drafts/{id}"),
        editing: status == "editing",
        exists,
        level: level_of(&draft.online_level).label(lang).into_owned(),
        fields,
        kinds,
        agencies: agencies
            .into_iter()
            .map(|(id, n)| (id.to_string(), n))
            .collect(),
        templates,
        requirements: requirement_labels,
        units: UNITS
            .iter()
            .map(|u| {
                (
                    (*u).to_owned(),
                    lang.t(&format!("catalogue_admin.unit_{u}")).into_owned(),
                )
            })
            .collect(),
        field_kinds: FIELD_KINDS
            .iter()
            .map(|k| {
                (
                    (*k).to_owned(),
                    lang.t(&format!("catalogue_admin.kind_{k}")).into_owned(),
                )
            })
            .collect(),
        draft: shown,
        effective_on,
        errors,
    })
}

/// `GET /admin/catalogue/drafts/{id}`
pub async fn show(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Path(id): Path<Uuid>,
) -> AppResult<DraftPage> {
    staff.require(StaffRole::SystemAdmin)?;
    let mut conn = app.db.acquire().await?;
    let (procedure, status, draft) = load(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    drop(conn);
    draft_page(
        &app,
        lang,
        &session,
        &staff,
        Shown {
            id,
            exists: procedure.is_some(),
            status: &status,
            effective_on: String::new(),
        },
        draft,
        FormErrors::new(),
    )
    .await
}

fn translate(errors: &mut FormErrors, lang: Lang) -> impl FnMut(String, &'static str, usize) + '_ {
    move |field, key, n| {
        let message = lang.t(key).replace("{n}", &n.to_string());
        errors.add(field, message);
    }
}

/// `POST /admin/catalogue/drafts/{id}`: saves the form; with mistakes, nothing is saved and the
/// form comes back as typed.
pub async fn save(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    staff.require(StaffRole::SystemAdmin)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&raw)
        .map_err(|_| AppError::BadRequest("errors.bad_request_text"))?;
    let mut tx = app.db.begin().await?;
    let row: Option<(Option<Uuid>, String, Json<Draft>)> = sqlx::query_as(
        "select procedure_id, status, body from procedure_drafts where id = $1 for update",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let (procedure, status, Json(kept)) = row.ok_or(AppError::NotFound)?;
    if status != "editing" {
        return Err(AppError::Conflict);
    }
    let draft = Draft::from_pairs(&pairs, &kept, procedure.is_some());
    let mut errors = FormErrors::new();
    let known = known(&mut tx).await?;
    check(&draft, &known, translate(&mut errors, lang));
    if procedure.is_none() && errors.get("code").is_none() {
        let taken: bool =
            sqlx::query_scalar("select exists (select 1 from procedures where code = $1)")
                .bind(&draft.code)
                .fetch_one(&mut *tx)
                .await?;
        if taken {
            errors.add("code", lang.t("catalogue_admin.error_code_taken"));
        }
    }
    if !errors.is_empty() {
        drop(tx);
        let page = draft_page(
            &app,
            lang,
            &session,
            &staff,
            Shown {
                id,
                exists: procedure.is_some(),
                status: &status,
                effective_on: String::new(),
            },
            draft,
            errors,
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    sqlx::query(
        "update procedure_drafts set body = $2, updated_by = $3, updated_at = now() where id = $1",
    )
    .bind(id)
    .bind(Json(&draft))
    .bind(staff.id)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        audit::Actor::Staff(staff.id),
        "catalogue.draft_saved",
        Some(&id.to_string()),
        ip,
        json!({"before": kept, "after": draft}),
    )
    .await?;
    tx.commit().await?;
    flash::set(&session, lang.t("catalogue_admin.saved")).await;
    Ok(Redirect::to(&format!("/admin/catalogue/drafts/{id}")).into_response())
}

/// The draft as the public page would show it.
async fn detail_of(conn: &mut PgConnection, d: &Draft) -> Result<ProcedureDetail, sqlx::Error> {
    let (field_vi, field_en): (String, String) =
        sqlx::query_as("select name_vi, name_en from fields where code = $1")
            .bind(&d.field)
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or_default();
    let (kind_vi, kind_en): (String, String) =
        sqlx::query_as("select name_vi, name_en from agency_kinds where code = $1")
            .bind(&d.competent_kind)
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or_default();
    let agency: Option<(String, String, String)> = match d.competent_agency.parse::<Uuid>() {
        Ok(a) => {
            sqlx::query_as("select slug, name_vi, name_en from agencies where id = $1")
                .bind(a)
                .fetch_optional(&mut *conn)
                .await?
        }
        Err(_) => None,
    };
    let templates: Vec<(String, String)> =
        sqlx::query_as("select slug, file_name from form_templates")
            .fetch_all(&mut *conn)
            .await?;
    Ok(ProcedureDetail {
        code: d.code.clone(),
        version_no: 0,
        name_vi: d.name_vi.clone(),
        name_en: d.name_en.clone(),
        decision_no: Some(d.decision_no.clone()).filter(|s| !s.is_empty()),
        decision_date: NaiveDate::parse_from_str(&d.decision_date, "%Y-%m-%d").ok(),
        effective_from: crate::deadlines::calendar::today(),
        field_code: d.field.clone(),
        field_vi,
        field_en,
        kind_vi,
        kind_en,
        agency_slug: agency.as_ref().map(|a| a.0.clone()),
        agency_vi: agency.as_ref().map(|a| a.1.clone()),
        agency_en: agency.as_ref().map(|a| a.2.clone()),
        applicant_vi: d.applicant_vi.clone(),
        applicant_en: d.applicant_en.clone(),
        result_vi: d.result_vi.clone(),
        result_en: d.result_en.clone(),
        time_limit_value: d.time_limit_value.trim().parse().ok(),
        time_limit_unit: unit_of(&d.time_limit_unit).unwrap_or(TimeUnit::WorkingDays),
        time_note_vi: d.time_note_vi.clone(),
        time_note_en: d.time_note_en.clone(),
        online_level: level_of(&d.online_level),
        submit_online: d.submit_online,
        submit_counter: d.submit_counter,
        submit_post: d.submit_post,
        result_counter: d.result_counter,
        result_post: d.result_post,
        result_electronic: d.result_electronic,
        fee_note_vi: d.fee_note_vi.clone(),
        fee_note_en: d.fee_note_en.clone(),
        legal_basis: legal_lines(&d.legal_basis),
        is_estimate: false,
        documents: Json(
            d.documents
                .iter()
                .map(|r| RequiredDocument {
                    name_vi: r.name_vi.clone(),
                    name_en: r.name_en.clone(),
                    requirement: r.requirement.clone(),
                    copies: r.copies.trim().parse().unwrap_or(1),
                    mandatory: r.mandatory,
                    condition_vi: r.condition_vi.clone(),
                    condition_en: r.condition_en.clone(),
                    template_slug: Some(r.template.clone()).filter(|t| !t.is_empty()),
                    template_file: templates
                        .iter()
                        .find(|(s, _)| *s == r.template)
                        .map(|(_, f)| f.clone()),
                })
                .collect(),
        ),
        fees: Json(
            d.fees
                .iter()
                .map(|f| Fee {
                    kind: f.kind.clone(),
                    label_vi: f.label_vi.clone(),
                    label_en: f.label_en.clone(),
                    amount_vnd: parse_amount(&f.amount),
                    channel: f.channel.clone(),
                    unit_vi: f.unit_vi.clone(),
                    unit_en: f.unit_en.clone(),
                    exemption_vi: f.exemption_vi.clone(),
                    exemption_en: f.exemption_en.clone(),
                })
                .collect(),
        ),
    })
}

fn legal_lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `GET /admin/catalogue/drafts/{id}/preview`: the public page, as it will read.
pub async fn preview(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Path(id): Path<Uuid>,
) -> AppResult<ProcedurePage> {
    staff.require(StaffRole::SystemAdmin)?;
    let mut conn = app.db.acquire().await?;
    let (_, _, draft) = load(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let detail = detail_of(&mut conn, &draft).await?;
    drop(conn);
    let here = format!("/admin/catalogue/drafts/{id}/preview");
    let mut page = ProcedurePage::new(&detail, lang, here.clone());
    let mut layout = staff_layout(lang, "catalogue_admin.preview", &here, &session, &staff).await?;
    layout.title = format!("{} — {}", lang.t("catalogue_admin.preview"), page.name);
    layout.flash = Some(lang.t("catalogue_admin.preview_banner").into_owned());
    page.layout = layout;
    // nothing to file yet
    page.apply_url = None;
    Ok(page)
}

/// `POST /admin/catalogue/drafts/{id}/publish`: a new version from `effective_on`.
pub async fn publish(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    staff.require(StaffRole::SystemAdmin)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&raw)
        .map_err(|_| AppError::BadRequest("errors.bad_request_text"))?;
    let effective_text = pairs
        .iter()
        .find(|(k, _)| k == "effective_on")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    let mut tx = app.db.begin().await?;
    let row: Option<(Option<Uuid>, String, Json<Draft>)> = sqlx::query_as(
        "select procedure_id, status, body from procedure_drafts where id = $1 for update",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let (procedure, status, Json(draft)) = row.ok_or(AppError::NotFound)?;
    if status != "editing" {
        return Err(AppError::Conflict);
    }
    let mut errors = FormErrors::new();
    let known = known(&mut tx).await?;
    check(&draft, &known, translate(&mut errors, lang));
    if draft.decision_no.trim().chars().count() < 3 {
        errors.add("decision_no", lang.t("catalogue_admin.error_decision"));
    }
    let today = crate::deadlines::calendar::today();
    let effective = NaiveDate::parse_from_str(&effective_text, "%Y-%m-%d").ok();
    match effective {
        None => errors.add("effective_on", lang.t("catalogue_admin.error_effective")),
        Some(e) if e < today => errors.add(
            "effective_on",
            lang.t("catalogue_admin.error_effective_past"),
        ),
        _ => {}
    }
    let newer: bool = sqlx::query_scalar(
        "select exists (select 1 from procedure_drafts d join procedure_versions b on b.id = d.based_on \
           join procedure_versions n on n.procedure_id = b.procedure_id and n.version_no > b.version_no \
           where d.id = $1)",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    if newer {
        errors.add(
            "effective_on",
            lang.t("catalogue_admin.error_newer_version"),
        );
    }
    let mut old = None;
    if let (Some(p), Some(e)) = (procedure, effective) {
        let in_force: Option<(Uuid, NaiveDate)> = sqlx::query_as(
            "select id, effective_from from procedure_versions where procedure_id = $1 \
               and effective_from <= $2 and (effective_to is null or effective_to > $2) for update",
        )
        .bind(p)
        .bind(e)
        .fetch_optional(&mut *tx)
        .await?;
        match in_force {
            Some((v, from)) if from < e => old = Some(v),
            _ => errors.add(
                "effective_on",
                lang.t("catalogue_admin.error_effective_taken"),
            ),
        }
    }
    let Some(effective) = effective.filter(|_| errors.is_empty()) else {
        drop(tx);
        let page = draft_page(
            &app,
            lang,
            &session,
            &staff,
            Shown {
                id,
                exists: procedure.is_some(),
                status: &status,
                effective_on: effective_text,
            },
            draft,
            errors,
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let version: Uuid = match old {
        Some(old) => {
            sqlx::query_scalar("select copy_procedure_version($1, $2)")
                .bind(old)
                .bind(effective)
                .fetch_one(&mut *tx)
                .await?
        }
        None => {
            let inserted: Result<Uuid, sqlx::Error> = sqlx::query_scalar(
                "insert into procedures (code, field_id) select $1, id from fields where code = $2 \
                 returning id",
            )
            .bind(&draft.code)
            .bind(&draft.field)
            .fetch_one(&mut *tx)
            .await;
            let procedure = match inserted {
                Ok(p) => p,
                Err(sqlx::Error::Database(e)) if e.constraint() == Some("procedures_code_key") => {
                    return Err(AppError::Conflict);
                }
                Err(e) => return Err(e.into()),
            };
            sqlx::query("update procedure_drafts set procedure_id = $2 where id = $1")
                .bind(id)
                .bind(procedure)
                .execute(&mut *tx)
                .await?;
            sqlx::query_scalar(
                "insert into procedure_versions (procedure_id, version_no, name_vi, name_en, effective_from, \
                   competent_kind, time_limit_unit, online_level, submit_online, submit_counter, submit_post, \
                   result_counter, result_post, result_electronic) \
                 values ($1, 1, $2, '', $3, $4, 'same_day', 'none', false, true, false, true, false, false) \
                 returning id",
            )
            .bind(procedure)
            .bind(&draft.name_vi)
            .bind(effective)
            .bind(&draft.competent_kind)
            .fetch_one(&mut *tx)
            .await?
        }
    };
    write_version(&mut tx, version, &draft).await?;
    sqlx::query(
        "update procedure_drafts set status = 'published', published_version = $2, \
           updated_by = $3, updated_at = now() where id = $1",
    )
    .bind(id)
    .bind(version)
    .bind(staff.id)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        audit::Actor::Staff(staff.id),
        "catalogue.version_published",
        Some(&draft.code),
        ip,
        json!({"draft": id, "version": version, "replaces": old, "effective_on": effective}),
    )
    .await?;
    tx.commit().await?;
    app.catalogue.clear().await;
    flash::set(
        &session,
        lang.t("catalogue_admin.published")
            .replace("{code}", &draft.code)
            .replace("{date}", &effective.format("%d/%m/%Y").to_string()),
    )
    .await;
    Ok(Redirect::to("/admin/catalogue").into_response())
}

/// Writes the draft into the version `id` (just made, not yet visible to anybody).
async fn write_version(conn: &mut PgConnection, id: Uuid, d: &Draft) -> Result<(), sqlx::Error> {
    let unit = d.time_limit_unit.as_str();
    let value: Option<i32> = if unit == "same_day" {
        None
    } else {
        d.time_limit_value.trim().parse().ok()
    };
    let agency: Option<Uuid> = d.competent_agency.parse().ok();
    sqlx::query(
        "update procedure_versions set name_vi = $2, name_en = $3, competent_kind = $4, \
           competent_agency_id = $5, applicant_vi = $6, applicant_en = $7, result_vi = $8, \
           result_en = $9, time_limit_value = $10, time_limit_unit = $11::time_unit, \
           time_note_vi = $12, time_note_en = $13, submit_online = $14, submit_counter = $15, \
           submit_post = $16, result_counter = $17, result_post = $18, result_electronic = $19, \
           fee_note_vi = $20, fee_note_en = $21, legal_basis = $22, decision_no = $23, \
           decision_date = $24, is_estimate = false \
         where id = $1",
    )
    .bind(id)
    .bind(d.name_vi.trim())
    .bind(d.name_en.trim())
    .bind(&d.competent_kind)
    .bind(agency)
    .bind(d.applicant_vi.trim())
    .bind(d.applicant_en.trim())
    .bind(d.result_vi.trim())
    .bind(d.result_en.trim())
    .bind(value)
    .bind(unit)
    .bind(d.time_note_vi.trim())
    .bind(d.time_note_en.trim())
    .bind(d.submit_online)
    .bind(d.submit_counter)
    .bind(d.submit_post)
    .bind(d.result_counter)
    .bind(d.result_post)
    .bind(d.result_electronic)
    .bind(d.fee_note_vi.trim())
    .bind(d.fee_note_en.trim())
    .bind(legal_lines(&d.legal_basis))
    .bind(d.decision_no.trim())
    .bind(NaiveDate::parse_from_str(d.decision_date.trim(), "%Y-%m-%d").ok())
    .execute(&mut *conn)
    .await?;
    for table in ["procedure_documents", "procedure_fees", "procedure_fields"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "delete from {table} where version_id = $1"
        )))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    for (i, r) in d.documents.iter().enumerate() {
        sqlx::query(
            "insert into procedure_documents (version_id, position, name_vi, name_en, requirement, \
               copies, mandatory, condition_vi, condition_en, form_template_id) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, (select id from form_templates where slug = $10))",
        )
        .bind(id)
        .bind(i as i32 + 1)
        .bind(r.name_vi.trim())
        .bind(r.name_en.trim())
        .bind(&r.requirement)
        .bind(r.copies.trim().parse::<i32>().unwrap_or(1))
        .bind(r.mandatory)
        .bind(r.condition_vi.trim())
        .bind(r.condition_en.trim())
        .bind(&r.template)
        .execute(&mut *conn)
        .await?;
    }
    for (i, f) in d.fees.iter().enumerate() {
        sqlx::query(
            "insert into procedure_fees (version_id, position, kind, label_vi, label_en, amount_vnd, \
               channel, unit_vi, unit_en, exemption_vi, exemption_en, due, choice_group, \
               quantity_field, cap_vnd) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(id)
        .bind(i as i32 + 1)
        .bind(&f.kind)
        .bind(f.label_vi.trim())
        .bind(f.label_en.trim())
        .bind(parse_amount(&f.amount))
        .bind(&f.channel)
        .bind(f.unit_vi.trim())
        .bind(f.unit_en.trim())
        .bind(f.exemption_vi.trim())
        .bind(f.exemption_en.trim())
        .bind(if f.due.is_empty() { "submission" } else { f.due.as_str() })
        .bind(Some(f.choice_group.trim()).filter(|g| !g.is_empty()))
        .bind(Some(f.quantity_field.trim()).filter(|g| !g.is_empty()))
        .bind(parse_amount(&f.cap))
        .execute(&mut *conn)
        .await?;
    }
    for (i, f) in d.fields.iter().enumerate() {
        sqlx::query(
            "insert into procedure_fields (version_id, position, key, label_vi, label_en, hint_vi, \
               hint_en, kind, required, choices) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(id)
        .bind(i as i32 + 1)
        .bind(f.key.trim())
        .bind(f.label_vi.trim())
        .bind(f.label_en.trim())
        .bind(f.hint_vi.trim())
        .bind(f.hint_en.trim())
        .bind(&f.kind)
        .bind(f.required)
        .bind(Json(parse_choices(&f.choices).unwrap_or_default()))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// `POST /admin/catalogue/drafts/{id}/discard`
pub async fn discard(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    staff.require(StaffRole::SystemAdmin)?;
    let mut tx = app.db.begin().await?;
    let done = sqlx::query(
        "update procedure_drafts set status = 'discarded', updated_by = $2, updated_at = now() \
         where id = $1 and status = 'editing'",
    )
    .bind(id)
    .bind(staff.id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        audit::Actor::Staff(staff.id),
        "catalogue.draft_discarded",
        Some(&id.to_string()),
        ip,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    flash::set(&session, lang.t("catalogue_admin.discarded")).await;
    Ok(Redirect::to("/admin/catalogue").into_response())
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
