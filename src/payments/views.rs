//! Page structs of payments.

use super::repo::{self, PaymentStatus};
use crate::kernel::Lang;
use crate::kernel::money::format_vnd;

use askama::Template;
use askama_web::WebTemplate;

use crate::web::{FormErrors, Layout};

pub struct BillLine {
    pub label: String,
    pub quantity: i64,
    pub amount: String,
}

pub struct ChoiceOption {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// Alternative fee lines: the applicant picks the one that applies.
pub struct ChoiceGroup {
    pub name: String,
    pub options: Vec<ChoiceOption>,
}

pub struct ReductionOption {
    pub value: String,
    pub label: String,
    pub evidence: String,
    pub checked: bool,
}

/// A payment of a dossier, as its pages list it.
pub struct PaymentView {
    pub amount: String,
    pub status: String,
    pub paid: bool,
    pub method: String,
    pub at: String,
    pub refunded: Option<String>,
    pub receipt_url: Option<String>,
    /// The national platform's own e-receipt, once kept.
    pub bill_url: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "payments/pay.html")]
pub struct PayPage {
    pub layout: Layout,
    pub action: String,
    pub back_url: String,
    pub code: String,
    pub procedure: String,
    pub lines: Vec<BillLine>,
    pub total: String,
    pub groups: Vec<ChoiceGroup>,
    pub reductions: Vec<ReductionOption>,
    pub reduction_chosen: bool,
    pub can_pay: bool,
    /// The gateway the pay button leads to.
    pub gateway: String,
    pub payments: Vec<PaymentView>,
    pub errors: FormErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "payments/return.html")]
pub struct ReturnPage {
    pub layout: Layout,
    /// "paid" | "failed" | "pending" | "invalid"
    pub state: &'static str,
    pub message: String,
    pub amount: String,
    pub dossier_url: Option<String>,
    pub receipt_url: Option<String>,
    /// The national platform's own e-receipt, once kept.
    pub bill_url: Option<String>,
    /// Pending: the page reloads itself until the ledger settles.
    pub refresh: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "payments/receipt.html")]
pub struct ReceiptPage {
    pub layout: Layout,
    pub pdf_url: String,
    pub template_symbol: String,
    pub series: String,
    pub number: String,
    pub agency: String,
    pub tax_code: String,
    pub payer: String,
    pub dossier_code: String,
    pub procedure: String,
    pub lines: Vec<BillLine>,
    pub total: String,
    pub in_words: String,
    pub issued: String,
    pub method: String,
    pub back_url: String,
}

pub struct SandboxOutcome {
    pub value: String,
    pub label: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "payments/sandbox.html")]
pub struct SandboxPage {
    pub layout: Layout,
    pub valid: bool,
    pub message: String,
    pub order: String,
    pub txn_ref: String,
    pub amount: String,
    pub query: String,
    pub outcomes: Vec<SandboxOutcome>,
    pub ipn_options: Vec<SandboxOutcome>,
}

pub struct ReconcileRow {
    /// the gateway (or "cash", "transfer")
    pub via: String,
    pub reference: String,
    pub dossier: String,
    pub amount: String,
    pub local: String,
    pub gateway: String,
    pub settled_by: String,
    pub problem: String,
}

pub struct EventRow {
    pub at: String,
    pub kind: String,
    pub ip: String,
    pub outcome: String,
    pub reference: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "payments/report.html")]
pub struct ReconcilePage {
    pub layout: Layout,
    pub date: String,
    pub rows: Vec<ReconcileRow>,
    pub mismatches: usize,
    /// what was paid that day through each channel: (channel, amount)
    pub totals: Vec<(String, String)>,
    pub events: Vec<EventRow>,
    /// Requests refused before the gateway proved itself, per reason and day.
    pub refused: Vec<RefusedRow>,
}

/// A counter of refused requests, as the payments page shows it.
pub struct RefusedRow {
    pub day: String,
    pub via: String,
    pub reason: String,
    pub refused: i64,
    pub last: String,
}

pub fn payment_views(
    payments: &[repo::PaymentRow],
    lang: Lang,
    receipt_base: &str,
) -> Vec<PaymentView> {
    payments
        .iter()
        .map(|p| PaymentView {
            amount: format_vnd(p.amount_vnd),
            status: lang.t(p.status.label_key()).into_owned(),
            paid: p.status == PaymentStatus::Paid,
            method: match p
                .gateway
                .as_deref()
                .and_then(super::routing::Gateway::parse)
            {
                Some(g) => lang.t(g.label_key()).into_owned(),
                None => lang.t(&format!("payment.method_{}", p.method)).into_owned(),
            },
            at: crate::deadlines::calendar::to_local(p.settled_at.unwrap_or(p.created_at))
                .format("%H:%M %d/%m/%Y")
                .to_string(),
            refunded: (p.refunded_vnd > 0).then(|| format_vnd(p.refunded_vnd)),
            receipt_url: p.receipt_id.map(|r| format!("{receipt_base}/{r}")),
            bill_url: p.has_bill.then(|| {
                format!(
                    "{}/payments/{}/bien-lai-quoc-gia",
                    receipt_base.trim_end_matches("/receipts"),
                    p.id
                )
            }),
        })
        .collect()
}
