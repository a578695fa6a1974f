//! The ledger's rules: a gateway result settles a payment exactly once (the row locked, the
//! gateway's transaction number unique), a paid payment issues its receipt (numbered per book
//! and year) and moves the dossier on; every message is logged.

use chrono::{Datelike, Duration, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::gateway::GatewayResult;
use super::vnpay::{IpnReply, Outcome};
use crate::accounts::CurrentStaff;
use crate::accounts::domain::StaffRole;
use crate::dossiers::DossierStatus;
use crate::dossiers::service::{self as workflow_service, Act, ApplyError};
use crate::dossiers::workflow::{Action, Actor};

/// Records a gateway message (or a refused one) for the administrators' log.
pub async fn log_event(
    conn: &mut PgConnection,
    payment: Option<Uuid>,
    kind: &str,
    ip: Option<std::net::IpAddr>,
    outcome: &str,
    params: serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into payment_events (payment_id, kind, source_ip, outcome, params) \
         values ($1, $2, $3::text::inet, $4, $5)",
    )
    .bind(payment)
    .bind(kind)
    .bind(ip.map(|ip| ip.to_string()))
    .bind(outcome)
    .bind(params)
    .execute(conn)
    .await?;
    Ok(())
}

/// Issues the receipt of a paid payment: the book of the dossier's receiving agency (else the
/// province's service centre) in force today, the next number of this year.
pub async fn issue_receipt(conn: &mut PgConnection, payment: Uuid) -> anyhow::Result<Uuid> {
    let book: Option<Uuid> = sqlx::query_scalar(
        "select b.id from payments p join dossiers d on d.id = p.dossier_id \
         join receipt_books b on b.valid_from <= current_date \
           and (b.valid_to is null or b.valid_to > current_date) \
         left join agencies a on a.id = b.agency_id \
         where p.id = $1 and (b.agency_id = d.receiving_agency_id or a.kind = 'province_centre') \
         order by (b.agency_id = d.receiving_agency_id) desc, b.valid_from desc limit 1",
    )
    .bind(payment)
    .fetch_optional(&mut *conn)
    .await?;
    let book = book.ok_or_else(|| anyhow::anyhow!("no receipt book for the collecting agency"))?;
    let year = crate::deadlines::calendar::to_local(Utc::now()).year();
    let number: i32 = sqlx::query_scalar(
        "insert into receipt_counters (book_id, year, last_value) values ($1, $2, 1) \
         on conflict (book_id, year) do update set last_value = receipt_counters.last_value + 1 \
         returning last_value",
    )
    .bind(book)
    .bind(year)
    .fetch_one(&mut *conn)
    .await?;
    Ok(sqlx::query_scalar(
        "insert into receipts (payment_id, book_id, year, number) values ($1, $2, $3, $4) returning id",
    )
    .bind(payment)
    .bind(book)
    .bind(year)
    .bind(number)
    .fetch_one(conn)
    .await?)
}

/// A paid dossier waiting for payment goes on to reception, as if submitted now (the desk's 8
/// working hours count from here).
pub async fn dossier_paid(
    conn: &mut PgConnection,
    dossier: Uuid,
    actor: Actor,
    actor_id: Option<Uuid>,
    note: &str,
) -> anyhow::Result<()> {
    let status: DossierStatus = sqlx::query_scalar("select status from dossiers where id = $1")
        .bind(dossier)
        .fetch_one(&mut *conn)
        .await?;
    if status != DossierStatus::AwaitingPayment {
        // paid while it was elsewhere (an assessed fee at the counter): nothing moves
        return Ok(());
    }
    let mut act = Act::new(dossier, status, Action::PaymentConfirmed, actor).note(note);
    if let Some(id) = actor_id {
        act = act.by(id, None);
    }
    match workflow_service::apply(&mut *conn, act).await {
        // the 8 working hours at the desk keep running from the dossier's arrival (Decree 118
        // Art. 17): a fee paid with the submission does not restart them
        Ok(_) => Ok(()),
        Err(ApplyError::Stale { .. } | ApplyError::Illegal(_)) => Ok(()),
        Err(ApplyError::NotFound) => anyhow::bail!("dossier {dossier} vanished"),
        Err(ApplyError::Database(e)) => Err(e.into()),
    }
}

/// Settles a payment from a gateway result (an IPN, the national platform's confirmation or a
/// reconciliation query) whose signature was verified; only a payment made through that
/// gateway. The reply says what happened, in the IPN's codes.
pub async fn settle(
    db: &PgPool,
    result: &GatewayResult,
    by: &str,
    online_mode: i16,
    recheck_minutes: i64,
) -> anyhow::Result<(IpnReply, Option<Uuid>)> {
    let mut tx = db.begin().await?;
    let row: Option<(Uuid, Uuid, i64, super::repo::PaymentStatus)> = sqlx::query_as(
        "select id, dossier_id, amount_vnd, status from payments \
         where txn_ref = $1 and gateway = $2 for update",
    )
    .bind(&result.txn_ref)
    .bind(result.gateway)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id, dossier, amount, status)) = row else {
        return Ok((IpnReply::NOT_FOUND, None));
    };
    if result.amount_vnd != Some(amount) {
        return Ok((IpnReply::AMOUNT, Some(id)));
    }
    if status != super::repo::PaymentStatus::Pending {
        return Ok((IpnReply::ALREADY, Some(id)));
    }
    let outcome = result.outcome();
    let new_status = match outcome {
        Outcome::Paid => "paid",
        Outcome::Failed => "failed",
        Outcome::Pending => "pending",
    };
    let updated = sqlx::query(
        "update payments set status = $2::payment_status, response_code = $3, transaction_status = $4, \
           gateway_txn_no = nullif($5, ''), bank_code = $6, pay_date = $7, \
           settled_at = case when $2 = 'pending' then null else now() end, \
           settled_by = case when $2 = 'pending' then null else $8 end, \
           online_mode = case when $2 = 'paid' then $9 else online_mode end, \
           next_check_at = case when $2 = 'pending' then now() + $10 else null end \
         where id = $1",
    )
    .bind(id)
    .bind(new_status)
    .bind(&result.response_code)
    .bind(&result.transaction_status)
    .bind(&result.transaction_no)
    .bind(&result.bank_code)
    .bind(&result.pay_date)
    .bind(by)
    .bind(online_mode)
    .bind(Duration::minutes(recheck_minutes))
    .execute(&mut *tx)
    .await;
    match updated {
        Ok(_) => {}
        // the gateway's transaction number already settled another order: a replay
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Ok((IpnReply::ALREADY, Some(id)));
        }
        Err(e) => return Err(e.into()),
    }
    if outcome == Outcome::Paid {
        issue_receipt(&mut tx, id).await?;
        dossier_paid(
            &mut tx,
            dossier,
            Actor::System,
            None,
            &format!(
                "Thanh toán trực tuyến {amount} đồng{}",
                if result.gateway == super::national::GATEWAY {
                    " qua Nền tảng thanh toán quốc gia"
                } else {
                    ""
                }
            ),
        )
        .await?;
        crate::audit::record(
            &mut tx,
            crate::audit::Actor::System,
            "payment.paid",
            None,
            None,
            json!({"payment": id, "by": by}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok((IpnReply::CONFIRMED, Some(id)))
}

/// Records a payment taken at the counter (cash or bank transfer): paid at once, with its
/// receipt; a dossier waiting for it goes on.
pub async fn record_counter_payment(
    conn: &mut PgConnection,
    dossier: Uuid,
    amount_vnd: i64,
    method: &str,
    label: &str,
    staff: Uuid,
) -> anyhow::Result<Uuid> {
    let items = json!([{"label": label, "amount_vnd": amount_vnd, "quantity": 1}]);
    let id: Uuid = sqlx::query_scalar(
        "insert into payments (dossier_id, amount_vnd, items, method, status, settled_at, settled_by, recorded_by) \
         values ($1, $2, $3, $4, 'paid', now(), 'counter', $5) returning id",
    )
    .bind(dossier)
    .bind(amount_vnd)
    .bind(items)
    .bind(method)
    .bind(staff)
    .fetch_one(&mut *conn)
    .await?;
    issue_receipt(conn, id).await?;
    dossier_paid(
        conn,
        dossier,
        Actor::Staff(crate::accounts::domain::StaffRole::Reception),
        Some(staff),
        &format!("Thu tại quầy {amount_vnd} đồng"),
    )
    .await?;
    log_event(
        conn,
        Some(id),
        "counter",
        None,
        "paid",
        json!({"method": method}),
    )
    .await?;
    Ok(id)
}

/// Who may approve a refund at the receiving agency: reception, its head, its signer.
pub fn may_approve_refunds(staff: &CurrentStaff, receiving: Option<Uuid>) -> bool {
    staff.roles.iter().any(|r| {
        Some(r.agency_id) == receiving
            && matches!(
                r.role,
                StaffRole::Reception | StaffRole::DivisionHead | StaffRole::SigningAuthority
            )
    })
}
