//! Payment queries.

use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection};
use uuid::Uuid;

use super::domain::{FeeLine, Reduction};

#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type, serde::Serialize)]
#[sqlx(type_name = "payment_status", rename_all = "snake_case")]
pub enum PaymentStatus {
    Pending,
    Paid,
    Failed,
}

impl PaymentStatus {
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Pending => "payment.status_pending",
            Self::Paid => "payment.status_paid",
            Self::Failed => "payment.status_failed",
        }
    }
}

pub async fn fee_lines(
    conn: &mut PgConnection,
    version: Uuid,
) -> Result<Vec<FeeLine>, sqlx::Error> {
    sqlx::query_as(
        "select position, label_vi, label_en, amount_vnd, channel, due, choice_group, quantity_field, cap_vnd \
         from procedure_fees where version_id = $1 order by position",
    )
    .bind(version)
    .fetch_all(conn)
    .await
}

pub async fn reductions(
    conn: &mut PgConnection,
    version: Uuid,
) -> Result<Vec<Reduction>, sqlx::Error> {
    sqlx::query_as(
        "select code, label_vi, label_en, percent, evidence_vi, evidence_en from fee_reductions \
         where version_id = $1 order by percent desc, code",
    )
    .bind(version)
    .fetch_all(conn)
    .await
}

/// A payment as pages show it.
#[derive(Debug, Clone, FromRow)]
pub struct PaymentRow {
    pub id: Uuid,
    pub dossier_id: Uuid,
    pub amount_vnd: i64,
    pub items: sqlx::types::Json<Vec<super::domain::BillItem>>,
    pub reduction_code: Option<String>,
    pub method: String,
    pub online_mode: Option<i16>,
    pub txn_ref: Option<String>,
    pub gateway_txn_no: Option<String>,
    pub response_code: Option<String>,
    pub transaction_status: Option<String>,
    pub status: PaymentStatus,
    pub created_at: DateTime<Utc>,
    pub settled_at: Option<DateTime<Utc>>,
    pub settled_by: Option<String>,
    pub refunded_vnd: i64,
    pub receipt_id: Option<Uuid>,
    /// "vnpay" or "dvcqg" for an online payment
    pub gateway: Option<String>,
    /// the national platform's e-receipt is kept
    pub has_bill: bool,
}

const PAYMENT: &str = "select p.id, p.dossier_id, p.amount_vnd, p.items, p.reduction_code, p.method, \
    p.online_mode, p.txn_ref, p.gateway_txn_no, p.response_code, p.transaction_status, p.status, \
    p.created_at, p.settled_at, p.settled_by, p.refunded_vnd, r.id as receipt_id, p.gateway, \
    exists (select 1 from payment_bills b where b.payment_id = p.id) as has_bill \
    from payments p left join receipts r on r.payment_id = p.id";

pub async fn for_dossier(
    conn: &mut PgConnection,
    dossier: Uuid,
) -> Result<Vec<PaymentRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{PAYMENT} where p.dossier_id = $1 order by p.created_at, p.id"
    )))
    .bind(dossier)
    .fetch_all(conn)
    .await
}

pub async fn by_txn_ref(
    conn: &mut PgConnection,
    txn_ref: &str,
) -> Result<Option<PaymentRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{PAYMENT} where p.txn_ref = $1"
    )))
    .bind(txn_ref)
    .fetch_optional(conn)
    .await
}

pub async fn by_id(conn: &mut PgConnection, id: Uuid) -> Result<Option<PaymentRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{PAYMENT} where p.id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// A new gateway payment, pending; its order reference is unique.
#[allow(clippy::too_many_arguments)]
pub async fn create_gateway_payment(
    conn: &mut PgConnection,
    gateway: super::routing::Gateway,
    dossier: Uuid,
    amount_vnd: i64,
    items: &[super::domain::BillItem],
    reduction: Option<&str>,
    txn_ref: &str,
    recheck_after: chrono::Duration,
) -> Result<(Uuid, DateTime<Utc>), sqlx::Error> {
    sqlx::query_as(
        "insert into payments (dossier_id, amount_vnd, items, reduction_code, method, gateway, txn_ref, next_check_at) \
         values ($1, $2, $3, $4, 'gateway', $7, $5, now() + $6) returning id, created_at",
    )
    .bind(dossier)
    .bind(amount_vnd)
    .bind(sqlx::types::Json(items))
    .bind(reduction)
    .bind(txn_ref)
    .bind(recheck_after)
    .bind(gateway.as_str())
    .fetch_one(conn)
    .await
}

/// Pending payments due for a question to their gateway (oldest first), locked for this
/// worker: reference, created, gateway.
pub async fn due_for_check(
    conn: &mut PgConnection,
    limit: i64,
) -> Result<Vec<(String, DateTime<Utc>, String)>, sqlx::Error> {
    sqlx::query_as(
        "select txn_ref, created_at, gateway from payments where status = 'pending' and method = 'gateway' \
           and next_check_at <= now() order by next_check_at limit $1 for update skip locked",
    )
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// What a receipt prints.
#[derive(Debug, Clone, FromRow)]
pub struct ReceiptRow {
    pub id: Uuid,
    pub number: i32,
    pub year: i32,
    pub issued_at: DateTime<Utc>,
    pub template_symbol: String,
    pub series_prefix: String,
    pub tax_code: String,
    pub agency_vi: String,
    pub agency_address: Option<String>,
    pub payment_id: Uuid,
    pub amount_vnd: i64,
    pub items: sqlx::types::Json<Vec<super::domain::BillItem>>,
    pub method: String,
    pub dossier_id: Uuid,
    pub code: Option<String>,
    pub applicant_name: String,
    pub applicant_address: String,
    pub procedure_vi: String,
}

pub async fn receipt(conn: &mut PgConnection, id: Uuid) -> Result<Option<ReceiptRow>, sqlx::Error> {
    sqlx::query_as(
        "select r.id, r.number, r.year, r.issued_at, b.template_symbol, b.series_prefix, b.tax_code, \
           a.name_vi as agency_vi, a.address as agency_address, p.id as payment_id, p.amount_vnd, p.items, \
           p.method, d.id as dossier_id, d.code, d.applicant_name, d.applicant_address, v.name_vi as procedure_vi \
         from receipts r join receipt_books b on b.id = r.book_id join agencies a on a.id = b.agency_id \
         join payments p on p.id = r.payment_id join dossiers d on d.id = p.dossier_id \
         join procedure_versions v on v.id = d.procedure_version_id where r.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// A dossier's refunds waiting for a second official: id, amount, reason, who asked (name and
/// id), oldest first.
pub async fn awaiting_refunds(
    conn: &mut PgConnection,
    dossier: Uuid,
) -> Result<Vec<(Uuid, i64, String, String, Uuid)>, sqlx::Error> {
    sqlx::query_as(
        "select r.id, r.amount_vnd, r.reason, s.full_name, r.requested_by \
         from refunds r join payments p on p.id = r.payment_id \
         join staff_users s on s.id = r.requested_by \
         where p.dossier_id = $1 and r.status = 'awaiting_approval' order by r.created_at",
    )
    .bind(dossier)
    .fetch_all(conn)
    .await
}

/// A payment of the day: id, reference, amount, status, method, dossier code, created,
/// settled by, paid payments of its dossier.
pub type DayPayment = (
    Uuid,
    Option<String>,
    i64,
    PaymentStatus,
    String,
    Option<String>,
    chrono::DateTime<chrono::Utc>,
    Option<String>,
    i64,
    Option<String>,
);

/// A gateway message: when, kind, source, outcome, parameters.
pub type LoggedEvent = (
    chrono::DateTime<chrono::Utc>,
    String,
    Option<String>,
    String,
    serde_json::Value,
);

/// The payments begun in `[from, until)`, 500 at most, with how many payments of their dossier
/// are paid.
pub async fn day_payments(
    conn: &mut PgConnection,
    from: chrono::DateTime<chrono::Utc>,
    until: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<DayPayment>, sqlx::Error> {
    sqlx::query_as(
            "select p.id, p.txn_ref, p.amount_vnd, p.status, p.method, d.code, p.created_at, p.settled_by, \
               (select count(*) from payments q where q.dossier_id = p.dossier_id and q.status = 'paid'), \
               p.gateway \
             from payments p join dossiers d on d.id = p.dossier_id \
             where p.created_at >= $1 and p.created_at < $2 order by p.created_at, p.id limit 500",
        )
        .bind(from)
        .bind(until)
        .fetch_all(conn)
        .await
}

/// The gateways' latest messages.
pub async fn recent_events(
    conn: &mut PgConnection,
    limit: i64,
) -> Result<Vec<LoggedEvent>, sqlx::Error> {
    sqlx::query_as(
            "select at, kind, host(source_ip), outcome, params from payment_events order by at desc, id desc limit $1",
        )
        .bind(limit)
        .fetch_all(conn)
        .await
}
