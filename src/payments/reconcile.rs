//! Reconciliation: payments still pending after `payment_reconcile_minutes` are asked about
//! (querydr) and settled by what the gateway says — a dropped IPN costs nothing but time. The
//! state is the ledger itself (`payments.next_check_at`), so a restart loses nothing. The
//! administrators' daily report puts the gateway's word beside the ledger's and flags every
//! mismatch; their log shows every gateway message, the refused ones too.

use axum::extract::{Query, State};
use chrono::{Duration, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use super::gateway::GatewayResult;
use super::repo::{self, DayPayment, LoggedEvent, PaymentStatus};
use super::service;
use super::views::{EventRow, ReconcilePage, ReconcileRow};
use super::vnpay::Outcome;
use crate::AppState;
use crate::accounts::CurrentStaff;
use crate::accounts::guard::staff_layout;
use crate::deadlines::calendar::{to_local, to_utc, today};
use crate::kernel::Lang;
use crate::kernel::money::format_vnd;
use crate::web::AppResult;
use crate::web::lang::RequestLang;

/// Questions after which a payment the gateway still calls unsettled is closed as not paid
/// (with the default 10 minutes between them, a little over an hour).
const UNSETTLED_CHECKS: i32 = 6;

/// Asks a payment's own gateway what it knows of `txn_ref`: `Ok(None)` when the answer was not
/// signed with the shared secret; a result with no `transaction_status` when the gateway knows
/// no such order.
pub async fn ask(
    app: &AppState,
    gateway: &str,
    txn_ref: &str,
    created: chrono::DateTime<Utc>,
) -> anyhow::Result<Option<GatewayResult>> {
    if gateway != super::national::GATEWAY {
        return app.gateway.query(txn_ref, created, Utc::now()).await;
    }
    let platform = super::platform::configured(app)?;
    let time = super::national::timestamp(Utc::now());
    Ok(Some(match platform.query(txn_ref, &time).await? {
        Some(queried) => queried.result(txn_ref),
        None => GatewayResult {
            gateway: super::national::GATEWAY,
            txn_ref: txn_ref.to_owned(),
            amount_vnd: None,
            response_code: "01".to_owned(),
            transaction_status: String::new(),
            transaction_no: String::new(),
            bank_code: String::new(),
            pay_date: String::new(),
            outcome: Outcome::Pending,
        },
    }))
}

/// Settles a payment by the gateway's answer to a question (as the IPN would), records the
/// exchange, and fetches the national e-receipt of a paid one.
async fn settle_answer(
    app: &AppState,
    gateway: &str,
    result: &GatewayResult,
) -> anyhow::Result<(super::vnpay::IpnReply, Option<uuid::Uuid>)> {
    let mode = super::routing::Gateway::parse(gateway)
        .unwrap_or(super::routing::Gateway::Vnpay)
        .online_mode(app.settings.payment_online_mode);
    let (reply, payment) = service::settle(
        &app.db,
        result,
        "reconciliation",
        mode,
        app.settings.payment_reconcile_minutes,
    )
    .await?;
    let mut conn = app.db.acquire().await?;
    service::log_event(
        &mut conn,
        payment,
        "querydr",
        None,
        reply.code,
        json!({"txn_ref": result.txn_ref, "status": result.transaction_status}),
    )
    .await?;
    if reply.code == "00"
        && result.outcome() == Outcome::Paid
        && let Some(id) = payment
    {
        super::platform::fetch_bill_later(app, id);
    }
    Ok((reply, payment))
}

/// Asks the gateway at once about a pending payment whose citizen is back on the return page,
/// and settles it when the gateway knows the outcome: the page shows the truth first and waits
/// only when the bank has not decided. An unanswered question leaves it to the IPN and the
/// reconciliation.
pub async fn check_now(
    app: &AppState,
    gateway: &str,
    txn_ref: &str,
    created: chrono::DateTime<Utc>,
) -> anyhow::Result<()> {
    match ask(app, gateway, txn_ref, created).await? {
        Some(result)
            if !result.transaction_status.is_empty() && result.outcome() != Outcome::Pending =>
        {
            settle_answer(app, gateway, &result).await?;
        }
        _ => {}
    }
    Ok(())
}

/// Asks the gateway about due pending payments and settles them; returns how many settled.
pub async fn run_once(app: &AppState) -> anyhow::Result<usize> {
    let mut settled = 0;
    loop {
        let mut tx = app.db.begin().await?;
        let due = super::repo::due_for_check(&mut tx, 20).await?;
        if due.is_empty() {
            return Ok(settled);
        }
        // push them forward first: another worker skips them, a failure retries later
        for (txn_ref, _, _) in &due {
            sqlx::query(
                "update payments set next_check_at = now() + $2, checks = checks + 1 where txn_ref = $1",
            )
            .bind(txn_ref)
            .bind(Duration::minutes(app.settings.payment_reconcile_minutes))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        for (txn_ref, created, gateway) in due {
            let answer = ask(app, &gateway, &txn_ref, created).await;
            let mut conn = app.db.acquire().await?;
            match answer {
                Ok(Some(result)) if !result.transaction_status.is_empty() => {
                    drop(conn);
                    let (reply, _) = settle_answer(app, &gateway, &result).await?;
                    if reply.code == "00" && result.outcome() != Outcome::Pending {
                        settled += 1;
                    } else if result.outcome() == Outcome::Pending {
                        // still unsettled at the gateway (debited but not confirmed, under
                        // review) after a day of questions: not paid; the bank reverses it
                        let closed = sqlx::query(
                            "update payments set status = 'failed', settled_at = now(), \
                               settled_by = 'reconciliation', next_check_at = null \
                             where txn_ref = $1 and status = 'pending' and checks >= $2",
                        )
                        .bind(&txn_ref)
                        .bind(UNSETTLED_CHECKS)
                        .execute(&mut *app.db.acquire().await?)
                        .await?;
                        settled += usize::try_from(closed.rows_affected()).unwrap_or(0);
                    }
                }
                Ok(Some(result)) => {
                    // unknown at the gateway: the citizen never paid; after the link expired
                    // the order is failed
                    let expired = created
                        + Duration::minutes(app.settings.payment_expire_minutes + 5)
                        < Utc::now();
                    if expired {
                        sqlx::query(
                            "update payments set status = 'failed', settled_at = now(), \
                               settled_by = 'reconciliation', response_code = $2, next_check_at = null \
                             where txn_ref = $1 and status = 'pending'",
                        )
                        .bind(&txn_ref)
                        .bind(&result.response_code)
                        .execute(&mut *conn)
                        .await?;
                        settled += 1;
                    }
                    service::log_event(
                        &mut conn,
                        None,
                        "querydr",
                        None,
                        &result.response_code,
                        json!({"txn_ref": txn_ref}),
                    )
                    .await?;
                }
                Ok(None) => {
                    service::log_event(
                        &mut conn,
                        None,
                        "querydr",
                        None,
                        "97",
                        json!({"txn_ref": txn_ref}),
                    )
                    .await?;
                }
                Err(error) => {
                    tracing::warn!(error = format!("{error:#}"), "querydr failed");
                    service::log_event(
                        &mut conn,
                        None,
                        "querydr",
                        None,
                        "unreachable",
                        json!({"txn_ref": txn_ref}),
                    )
                    .await?;
                }
            }
        }
    }
}

/// Runs [`run_once`] every minute while the portal serves.
pub fn spawn(app: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            match run_once(&app).await {
                Ok(n) if n > 0 => tracing::info!(settled = n, "payments reconciled"),
                Ok(_) => {}
                Err(error) => tracing::warn!(error = format!("{error:#}"), "reconciliation failed"),
            }
            if let Err(error) = super::platform::fetch_missing_bills(&app).await {
                tracing::warn!(
                    error = format!("{error:#}"),
                    "the platform's e-receipts wait"
                );
            }
        }
    })
}

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    date: Option<String>,
}

/// One payment of the day beside what its gateway says, with what does not agree; and its
/// amount when the ledger has it paid (for the day's totals).
async fn reconcile_line(
    app: &AppState,
    lang: Lang,
    row: DayPayment,
) -> (ReconcileRow, Option<i64>) {
    let (_, txn_ref, amount, status, method, code, created, settled_by, paid_for_dossier, via) =
        row;
    let gateway = match (&txn_ref, &via) {
        (Some(r), Some(via)) => match ask(app, via, r, created).await {
            Ok(Some(g)) if !g.transaction_status.is_empty() => Some(g),
            _ => None,
        },
        _ => None,
    };
    let gateway_paid = gateway
        .as_ref()
        .is_some_and(|g| g.outcome() == Outcome::Paid);
    let mut problems = Vec::new();
    if method == "gateway" && gateway_paid != (status == PaymentStatus::Paid) {
        problems.push(lang.t("payment.mismatch_status").into_owned());
    }
    if gateway
        .as_ref()
        .and_then(|g| g.amount_vnd)
        .is_some_and(|a| a != amount)
    {
        problems.push(lang.t("payment.mismatch_amount").into_owned());
    }
    if paid_for_dossier > 1 && status == PaymentStatus::Paid {
        problems.push(lang.t("payment.mismatch_twice").into_owned());
    }
    let via = via
        .as_deref()
        .and_then(super::routing::Gateway::parse)
        .map(|g| lang.t(g.label_key()).into_owned())
        .unwrap_or_else(|| lang.t(&format!("payment.method_{method}")).into_owned());
    let line = ReconcileRow {
        via,
        reference: txn_ref
            .unwrap_or_else(|| lang.t(&format!("payment.method_{method}")).into_owned()),
        dossier: code.unwrap_or_default(),
        amount: format_vnd(amount),
        local: lang.t(status.label_key()).into_owned(),
        gateway: gateway.map_or_else(
            || "—".to_owned(),
            |g| format!("{} / {}", g.response_code, g.transaction_status),
        ),
        settled_by: settled_by.unwrap_or_default(),
        problem: problems.join("; "),
    };
    (line, (status == PaymentStatus::Paid).then_some(amount))
}

/// A gateway's message as the page lists it.
fn event_row((at, kind, ip, outcome, params): LoggedEvent) -> EventRow {
    EventRow {
        at: to_local(at).format("%H:%M:%S %d/%m/%Y").to_string(),
        kind,
        ip: ip.unwrap_or_default(),
        outcome,
        reference: params
            .get("txn_ref")
            .or_else(|| params.get("vnp_TxnRef"))
            .or_else(|| params.get("MaThamChieu"))
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned(),
    }
}

/// A day's refused gateway calls, by reason.
fn refused_row(via: String, r: crate::audit::RefusedCount) -> super::views::RefusedRow {
    super::views::RefusedRow {
        via,
        day: r.day.format("%d/%m/%Y").to_string(),
        reason: r.reason,
        refused: r.refused,
        last: format!(
            "{} {} (SHA-256 {}…)",
            to_local(r.last_at).format("%H:%M:%S"),
            r.last_ip.unwrap_or_default(),
            r.last_sha256.get(..12).unwrap_or_default()
        ),
    }
}

/// `GET /admin/payments?date=YYYY-MM-DD`: the day's payments, the ledger beside the gateway,
/// mismatches flagged; and the latest gateway messages.
pub async fn report(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    admin: CurrentStaff,
    session: Session,
    Query(query): Query<ReportQuery>,
) -> AppResult<ReconcilePage> {
    let today = today();
    let day = query
        .date
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .unwrap_or(today);
    let from = to_utc(day.and_hms_opt(0, 0, 0).unwrap_or_default());
    let until = from + Duration::days(1);
    let mut conn = app.db.acquire().await?;
    let rows = repo::day_payments(&mut conn, from, until).await?;
    let events = repo::recent_events(&mut conn, 100).await?;
    let mut refused = Vec::new();
    for (source, via) in [
        ("vnpay_ipn", super::routing::Gateway::Vnpay),
        (
            super::platform::REFUSED_SOURCE,
            super::routing::Gateway::Dvcqg,
        ),
    ] {
        for r in crate::audit::refused_counts(&mut conn, source, 30).await? {
            refused.push((lang.t(via.label_key()).into_owned(), r));
        }
    }
    drop(conn);
    let mut totals: Vec<(String, i64)> = Vec::new();
    let mut lines = Vec::new();
    for row in rows {
        let (line, paid) = reconcile_line(&app, lang, row).await;
        if let Some(amount) = paid {
            match totals.iter_mut().find(|(v, _)| v == &line.via) {
                Some((_, sum)) => *sum += amount,
                None => totals.push((line.via.clone(), amount)),
            }
        }
        lines.push(line);
    }
    let mismatches = lines.iter().filter(|l| !l.problem.is_empty()).count();
    Ok(ReconcilePage {
        layout: staff_layout(
            lang,
            "payment.report_title",
            "/admin/payments",
            &session,
            &admin,
        )
        .await?,
        date: day.format("%Y-%m-%d").to_string(),
        rows: lines,
        mismatches,
        totals: totals
            .into_iter()
            .map(|(via, sum)| (via, format_vnd(sum)))
            .collect(),
        events: events.into_iter().map(event_row).collect(),
        refused: refused
            .into_iter()
            .map(|(via, r)| refused_row(via, r))
            .collect(),
    })
}
