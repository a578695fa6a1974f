//! Page structs of the catalogue and the small view models they show.

use askama::Template;
use askama_web::WebTemplate;

use super::domain::{OnlineLevel, format_time_limit, requirement_key};
use super::repo::{ProcedureDetail, ProcedureSummary};
use crate::kernel::Lang;
use crate::kernel::money::format_vnd;
use crate::web::{Layout, paths};

/// A procedure in a list.
pub struct ProcedureCard {
    pub code: String,
    pub name: String,
    pub url: String,
    pub level: LevelBadge,
    pub field: String,
    pub competent: String,
    pub time_limit: String,
}

impl ProcedureCard {
    pub fn new(p: &ProcedureSummary, lang: Lang) -> Self {
        Self {
            code: p.code.clone(),
            name: lang.pick(&p.name_vi, &p.name_en).to_owned(),
            url: paths::procedure(&p.code),
            level: LevelBadge::new(p.online_level, lang),
            field: lang.pick(&p.field_vi, &p.field_en).to_owned(),
            competent: lang.pick(&p.competent_vi, &p.competent_en).to_owned(),
            time_limit: format_time_limit(p.time_limit_value, p.time_limit_unit, lang),
        }
    }
}

/// "Toàn trình (mức độ 4)".
pub struct LevelBadge {
    pub label: String,
    pub legacy: String,
    /// CSS modifier: full, partial or none.
    pub class: &'static str,
}

impl LevelBadge {
    pub fn new(level: OnlineLevel, lang: Lang) -> Self {
        Self {
            label: level.label(lang).into_owned(),
            legacy: level.legacy_label(lang).into_owned(),
            class: level.as_str(),
        }
    }
}

/// A link with a count ("Hộ tịch (12)").
pub struct CountLink {
    pub name: String,
    pub url: String,
    pub count: i64,
}

/// An option of a filter select.
pub struct FilterOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Agencies of one kind that all decide the same procedures (the communes).
pub struct KindGroup {
    pub label: String,
    pub count: i64,
    pub agencies: Vec<FilterOption>,
}

#[derive(Template, WebTemplate)]
#[template(path = "catalogue/home.html")]
pub struct HomePage {
    pub layout: Layout,
    pub most_used: Vec<ProcedureCard>,
    pub fields: Vec<CountLink>,
    pub agencies: Vec<CountLink>,
    pub kind_groups: Vec<KindGroup>,
    pub total: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "catalogue/search.html")]
pub struct SearchPage {
    pub layout: Layout,
    pub q: String,
    pub levels: Vec<FilterOption>,
    pub fields: Vec<FilterOption>,
    pub agencies: Vec<FilterOption>,
    pub results: Vec<ProcedureCard>,
    pub next_url: Option<String>,
    pub first_url: Option<String>,
    /// A message explaining why the search was refused.
    pub error: Option<String>,
    pub heading: String,
}

/// A required document, ready to show.
pub struct DocumentLine {
    pub name: String,
    pub requirement: String,
    pub copies: i32,
    pub mandatory: bool,
    pub condition: String,
    pub template_url: Option<String>,
    pub template_file: String,
}

/// A fee line, ready to show.
pub struct FeeLine {
    pub label: String,
    pub amount: String,
    pub unit: String,
    pub channel: String,
    pub exemption: String,
}

/// A channel (to submit or to receive the result) and whether the procedure offers it.
pub struct Channel {
    pub label: String,
    pub offered: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "catalogue/procedure.html")]
pub struct ProcedurePage {
    pub layout: Layout,
    pub code: String,
    pub name: String,
    pub field: String,
    pub field_url: String,
    pub competent: String,
    pub competent_url: Option<String>,
    pub kind: String,
    pub applicant: String,
    pub result: String,
    pub time_limit: String,
    pub time_note: String,
    pub level: LevelBadge,
    pub apply_url: Option<String>,
    pub submit_channels: Vec<Channel>,
    pub result_channels: Vec<Channel>,
    pub documents: Vec<DocumentLine>,
    pub fees: Vec<FeeLine>,
    pub fee_note: String,
    pub legal_basis: Vec<String>,
    pub decision: String,
    pub is_estimate: bool,
    /// One sentence at the top: fully online, partly, or only at the counter, and what to bring.
    pub in_short: String,
    /// The newest answers to feedback about it that their units published.
    pub answers: std::sync::Arc<Vec<crate::feedback::views::Published>>,
}

/// The procedure in one sentence: can it be done fully online, partly (filed online, one visit
/// to show the originals or collect the result), or only at the counter (or by post), and how
/// many papers to prepare.
fn in_short(d: &ProcedureDetail, competent: &str, lang: Lang) -> String {
    let papers = d.documents.iter().filter(|doc| doc.mandatory).count();
    let online = d.online_level.is_online() && d.submit_online;
    let no_visit = d.result_electronic || d.result_post;
    let key = match (online, d.online_level == OnlineLevel::Full && no_visit) {
        (true, true) => "procedure.in_short_full",
        (true, false) => "procedure.in_short_partial",
        (false, _) if d.submit_post => "procedure.in_short_counter_or_post",
        (false, _) => "procedure.in_short_counter",
    };
    lang.t(key)
        .replace("{n}", &papers.to_string())
        .replace("{agency}", competent)
}

impl ProcedurePage {
    pub fn new(d: &ProcedureDetail, lang: Lang, here: String) -> Self {
        let name = lang.pick(&d.name_vi, &d.name_en).to_owned();
        let channel = |key: &str, offered: bool| Channel {
            label: lang.t(key).into_owned(),
            offered,
        };
        let decision = match (&d.decision_no, d.decision_date) {
            (Some(no), Some(date)) => format!("{no} ({})", date.format("%d/%m/%Y")),
            (Some(no), None) => no.clone(),
            _ => String::new(),
        };
        let competent = match (&d.agency_vi, &d.agency_en) {
            (Some(vi), Some(en)) => lang.pick(vi, en).to_owned(),
            _ => lang.pick(&d.kind_vi, &d.kind_en).to_owned(),
        };
        Self {
            in_short: in_short(d, &competent, lang),
            layout: Layout::new(lang, name.clone(), here),
            code: d.code.clone(),
            field: lang.pick(&d.field_vi, &d.field_en).to_owned(),
            field_url: paths::catalogue_by_field(&d.field_code),
            competent,
            competent_url: d.agency_slug.as_deref().map(paths::catalogue_by_agency),
            kind: lang.pick(&d.kind_vi, &d.kind_en).to_owned(),
            applicant: lang.pick(&d.applicant_vi, &d.applicant_en).to_owned(),
            result: lang.pick(&d.result_vi, &d.result_en).to_owned(),
            time_limit: format_time_limit(d.time_limit_value, d.time_limit_unit, lang),
            time_note: lang.pick(&d.time_note_vi, &d.time_note_en).to_owned(),
            level: LevelBadge::new(d.online_level, lang),
            apply_url: (d.online_level.is_online() && d.submit_online)
                .then(|| paths::apply_online(&d.code)),
            submit_channels: vec![
                channel("channel.online", d.submit_online),
                channel("channel.counter", d.submit_counter),
                channel("channel.post", d.submit_post),
            ],
            result_channels: vec![
                channel("channel.result_counter", d.result_counter),
                channel("channel.result_post", d.result_post),
                channel("channel.result_electronic", d.result_electronic),
            ],
            documents: d
                .documents
                .iter()
                .map(|doc| DocumentLine {
                    name: lang.pick(&doc.name_vi, &doc.name_en).to_owned(),
                    requirement: lang.t(requirement_key(&doc.requirement)).into_owned(),
                    copies: doc.copies,
                    mandatory: doc.mandatory,
                    condition: lang.pick(&doc.condition_vi, &doc.condition_en).to_owned(),
                    template_url: doc.template_slug.as_deref().map(paths::form_template),
                    template_file: doc.template_file.clone().unwrap_or_default(),
                })
                .collect(),
            fees: d
                .fees
                .iter()
                .map(|fee| FeeLine {
                    label: lang.pick(&fee.label_vi, &fee.label_en).to_owned(),
                    amount: match fee.amount_vnd {
                        Some(0) => lang.t("fee.free").into_owned(),
                        Some(amount) => format_vnd(amount),
                        None => lang.t("fee.set_by_council").into_owned(),
                    },
                    unit: lang.pick(&fee.unit_vi, &fee.unit_en).to_owned(),
                    channel: match fee.channel.as_str() {
                        "online" => lang.t("fee.when_online").into_owned(),
                        "counter" => lang.t("fee.when_counter").into_owned(),
                        _ => String::new(),
                    },
                    exemption: lang.pick(&fee.exemption_vi, &fee.exemption_en).to_owned(),
                })
                .collect(),
            fee_note: lang.pick(&d.fee_note_vi, &d.fee_note_en).to_owned(),
            legal_basis: d.legal_basis.clone(),
            decision,
            is_estimate: d.is_estimate,
            answers: std::sync::Arc::default(),
            name,
        }
    }
}
