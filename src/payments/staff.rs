//! The officials' side: a fee assessed by an official (with reasons) asks the citizen to pay;
//! a cash or bank-transfer payment taken at the counter goes in the same ledger with its
//! receipt; a refund (full or partial) of a refused or stopped dossier goes through the
//! gateway's refund call and is recorded. A refund above `refund_second_approval_vnd` waits for
//! a second official's approval; the gateway is never called while a row lock is held.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;
use uuid::Uuid;

use super::repo::{self, PaymentStatus};
use super::service;
use super::service::may_approve_refunds;
use crate::AppState;
use crate::accounts::CurrentStaff;
use crate::accounts::domain::StaffRole;
use crate::dossiers::DossierStatus;
use crate::dossiers::service::{Act, ApplyError, apply};
use crate::dossiers::workflow::{Action, Actor};
use crate::kernel::money::parse_vnd;
use crate::processing::desk::{ActForm, page};
use crate::processing::service::scoped;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, FormErrors, flash};

#[derive(Deserialize, Default)]
pub struct MoneyForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    payment: String,
}

fn desk_agency(staff: &CurrentStaff, receiving: Option<Uuid>) -> AppResult<Uuid> {
    staff
        .roles
        .iter()
        .find(|r| r.role == StaffRole::Reception && Some(r.agency_id) == receiving)
        .map(|r| r.agency_id)
        .ok_or(AppError::Forbidden)
}

async fn again(
    app: &AppState,
    lang: crate::kernel::Lang,
    session: &Session,
    staff: &CurrentStaff,
    d: &crate::processing::repo::StaffDossier,
    field: &str,
    key: &str,
) -> AppResult<Response> {
    let mut errors = FormErrors::new();
    errors.add(field, lang.t(key));
    let p = page(app, lang, session, staff, d, &ActForm::default(), errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
}

/// `POST /staff/dossiers/{id}/payments`: cash or transfer taken at the counter.
pub async fn counter(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form): Form<MoneyForm>,
) -> AppResult<Response> {
    let d = scoped(&app, &staff, id).await?;
    desk_agency(&staff, d.receiving_agency_id)?;
    if d.status.is_terminal() {
        return Err(AppError::Conflict);
    }
    let Some(amount) = parse_vnd(&form.amount) else {
        return again(
            &app,
            lang,
            &session,
            &staff,
            &d,
            "pay-amount",
            "payment.error_amount",
        )
        .await;
    };
    if !matches!(form.method.as_str(), "cash" | "transfer") {
        return again(
            &app,
            lang,
            &session,
            &staff,
            &d,
            "pay-amount",
            "payment.error_method",
        )
        .await;
    }
    let mut tx = app.db.begin().await?;
    let label = if form.reason.trim().is_empty() {
        "Phí, lệ phí giải quyết thủ tục hành chính".to_owned()
    } else {
        form.reason.trim().to_owned()
    };
    let payment =
        service::record_counter_payment(&mut tx, id, amount, &form.method, &label, staff.id)
            .await
            .map_err(AppError::Internal)?;
    crate::audit::record(
        &mut tx,
        crate::audit::Actor::Staff(staff.id),
        "payment.counter",
        d.code.as_deref(),
        ip,
        json!({"payment": payment, "amount_vnd": amount, "method": form.method}),
    )
    .await?;
    tx.commit().await?;
    flash::set(&session, lang.t("payment.counter_done")).await;
    Ok(Redirect::to(&crate::web::paths::staff_dossier(id)).into_response())
}

/// `POST /staff/dossiers/{id}/assess`: an official sets the amount with reasons; the citizen
/// is asked to pay (submitted → awaiting payment).
pub async fn assess(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form): Form<MoneyForm>,
) -> AppResult<Response> {
    let d = scoped(&app, &staff, id).await?;
    let agency = desk_agency(&staff, d.receiving_agency_id)?;
    let Some(amount) = parse_vnd(&form.amount) else {
        return again(
            &app,
            lang,
            &session,
            &staff,
            &d,
            "assess-amount",
            "payment.error_amount",
        )
        .await;
    };
    let reason = form.reason.trim();
    if reason.chars().count() < 10 {
        return again(
            &app,
            lang,
            &session,
            &staff,
            &d,
            "assess-reason",
            "reception.error_reason",
        )
        .await;
    }
    let mut tx = app.db.begin().await?;
    let act = Act::new(
        id,
        DossierStatus::Submitted,
        Action::RequestPayment,
        Actor::Staff(StaffRole::Reception),
    )
    .at_step(None)
    .by(staff.id, Some(agency))
    .note(reason)
    .details(json!({"amount_vnd": amount}));
    match apply(&mut tx, act).await {
        Ok(_) => {}
        Err(ApplyError::Database(e)) => return Err(e.into()),
        Err(_) => return Err(AppError::Conflict),
    }
    // the assessed amount is the bill: a line of its own
    sqlx::query(
        "insert into fee_assessments (dossier_id, amount_vnd, reason, assessed_by) values ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(amount)
    .bind(reason)
    .bind(staff.id)
    .execute(&mut *tx)
    .await?;
    service::log_event(
        &mut tx,
        None,
        "assess",
        ip,
        "requested",
        json!({"dossier": id, "amount_vnd": amount}),
    )
    .await?;
    tx.commit().await?;
    flash::set(&session, lang.t("payment.assessed")).await;
    Ok(Redirect::to(&crate::web::paths::staff_dossier(id)).into_response())
}

/// `POST /staff/dossiers/{id}/refund`: part or all of a paid online payment back, when the
/// dossier was refused or stopped.
pub async fn refund(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form): Form<MoneyForm>,
) -> AppResult<Response> {
    let d = scoped(&app, &staff, id).await?;
    desk_agency(&staff, d.receiving_agency_id)?;
    if !matches!(
        d.status,
        DossierStatus::RefusedAtReception
            | DossierStatus::RefusedOnMerits
            | DossierStatus::Stopped
            | DossierStatus::Withdrawn
    ) {
        return Err(AppError::Conflict);
    }
    // the payment row stays locked from the check to the claim: two refunds at once cannot
    // both pass the amount left; the gateway is called after the lock is released
    let mut tx = app.db.begin().await?;
    let payment_id = form
        .payment
        .parse::<Uuid>()
        .map_err(|_| AppError::NotFound)?;
    sqlx::query("select 1 from payments where id = $1 for update")
        .bind(payment_id)
        .execute(&mut *tx)
        .await?;
    let payment = repo::by_id(&mut tx, payment_id)
        .await?
        .filter(|p| p.dossier_id == id && p.status == PaymentStatus::Paid)
        .ok_or(AppError::NotFound)?;
    let open: i64 = sqlx::query_scalar(
        "select coalesce(sum(amount_vnd), 0)::bigint from refunds \
         where payment_id = $1 and status in ('awaiting_approval', 'sending')",
    )
    .bind(payment.id)
    .fetch_one(&mut *tx)
    .await?;
    let left = payment.amount_vnd - payment.refunded_vnd - open;
    let amount = match parse_vnd(&form.amount) {
        Some(a) if a <= left => a,
        _ => {
            drop(tx);
            return again(
                &app,
                lang,
                &session,
                &staff,
                &d,
                "refund-amount",
                "payment.error_refund_amount",
            )
            .await;
        }
    };
    let reason = form.reason.trim();
    if reason.chars().count() < 10 {
        drop(tx);
        return again(
            &app,
            lang,
            &session,
            &staff,
            &d,
            "refund-reason",
            "reception.error_reason",
        )
        .await;
    }
    let needs_approval = amount > app.settings.refund_second_approval_vnd;
    let refund: Uuid = sqlx::query_scalar(
        "insert into refunds (payment_id, amount_vnd, reason, status, requested_by) \
         values ($1, $2, $3, $4, $5) returning id",
    )
    .bind(payment.id)
    .bind(amount)
    .bind(reason)
    .bind(if needs_approval {
        "awaiting_approval"
    } else {
        "sending"
    })
    .bind(staff.id)
    .fetch_one(&mut *tx)
    .await?;
    crate::audit::record(
        &mut tx,
        crate::audit::Actor::Staff(staff.id),
        "payment.refund_requested",
        d.code.as_deref(),
        ip,
        json!({"payment": payment.id, "refund": refund, "amount_vnd": amount}),
    )
    .await?;
    tx.commit().await?;
    let said = if needs_approval {
        lang.t("payment.refund_awaiting")
    } else {
        lang.t(send_refund(&app, refund, &staff, d.code.as_deref(), ip).await?)
    };
    flash::set(&session, said).await;
    Ok(Redirect::to(&crate::web::paths::staff_dossier(id)).into_response())
}

/// `POST /staff/dossiers/{id}/refunds/{refund}/approve`: a second official (reception, the
/// head or the signer of the receiving agency, never the one who asked) approves a refund
/// above `refund_second_approval_vnd`; it then goes to the gateway.
pub async fn approve_refund(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path((id, refund)): Path<(Uuid, Uuid)>,
) -> AppResult<Response> {
    let d = scoped(&app, &staff, id).await?;
    if !may_approve_refunds(&staff, d.receiving_agency_id) {
        return Err(AppError::Forbidden);
    }
    let mut tx = app.db.begin().await?;
    let requester: Option<Uuid> = sqlx::query_scalar(
        "select r.requested_by from refunds r join payments p on p.id = r.payment_id \
         where r.id = $1 and p.dossier_id = $2 and r.status = 'awaiting_approval' for update of p",
    )
    .bind(refund)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .flatten();
    let Some(requester) = requester else {
        return Err(AppError::Conflict);
    };
    if requester == staff.id {
        drop(tx);
        flash::set(&session, lang.t("payment.refund_needs_another")).await;
        return Ok(Redirect::to(&crate::web::paths::staff_dossier(id)).into_response());
    }
    // the refund moves forward only through refund_step (the portal's role may not update
    // refunds): approved by this second official
    let moved: bool =
        sqlx::query_scalar("select refund_step($1, 'awaiting_approval', 'sending', $2, null)")
            .bind(refund)
            .bind(staff.id)
            .fetch_one(&mut *tx)
            .await?;
    if !moved {
        return Err(AppError::Conflict);
    }
    crate::audit::record(
        &mut tx,
        crate::audit::Actor::Staff(staff.id),
        "payment.refund_approved",
        d.code.as_deref(),
        ip,
        json!({"refund": refund}),
    )
    .await?;
    tx.commit().await?;
    let said = lang.t(send_refund(&app, refund, &staff, d.code.as_deref(), ip).await?);
    flash::set(&session, said).await;
    Ok(Redirect::to(&crate::web::paths::staff_dossier(id)).into_response())
}

/// Sends a refund claimed for sending to the gateway (a counter payment is paid back in cash)
/// with no lock held during the call, then records the outcome. What to tell the official: the
/// message key of refunded, refunded by the agency's own transfer, or failed.
async fn send_refund(
    app: &AppState,
    refund: Uuid,
    staff: &CurrentStaff,
    dossier_code: Option<&str>,
    ip: Option<std::net::IpAddr>,
) -> AppResult<&'static str> {
    let mut conn = app.db.acquire().await?;
    let (payment_id, amount): (Uuid, i64) = sqlx::query_as(
        "select payment_id, amount_vnd from refunds where id = $1 and status = 'sending'",
    )
    .bind(refund)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::Conflict)?;
    let payment = repo::by_id(&mut conn, payment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    // the national platform has no refund message (§2.6): the collecting agency pays back by
    // transfer, as at the counter, and the ledger records it ("manual")
    let national = payment.gateway.as_deref() == Some(super::national::GATEWAY);
    let code = if national {
        "manual".to_owned()
    } else if payment.method == "gateway" {
        app.gateway
            .refund(
                payment.txn_ref.as_deref().unwrap_or_default(),
                payment.gateway_txn_no.as_deref().unwrap_or_default(),
                amount,
                amount == payment.amount_vnd,
                payment.created_at,
                &staff.username,
                Utc::now(),
            )
            .await
            .unwrap_or_else(|e| {
                tracing::warn!(error = format!("{e:#}"), "refund call failed");
                "99".to_owned()
            })
    } else {
        "00".to_owned()
    };
    let done = code == "00" || code == "manual";
    let mut tx = app.db.begin().await?;
    let recorded: bool = sqlx::query_scalar("select refund_step($1, 'sending', $2, null, $3)")
        .bind(refund)
        .bind(if done { "done" } else { "failed" })
        .bind(&code)
        .fetch_one(&mut *tx)
        .await?;
    if recorded && done {
        sqlx::query("update payments set refunded_vnd = refunded_vnd + $2 where id = $1")
            .bind(payment.id)
            .bind(amount)
            .execute(&mut *tx)
            .await?;
    }
    service::log_event(
        &mut tx,
        Some(payment.id),
        "refund",
        ip,
        &code,
        json!({"amount_vnd": amount, "refund": refund}),
    )
    .await?;
    crate::audit::record(
        &mut tx,
        crate::audit::Actor::Staff(staff.id),
        "payment.refund",
        dossier_code,
        ip,
        json!({"payment": payment.id, "amount_vnd": amount, "code": code}),
    )
    .await?;
    tx.commit().await?;
    Ok(match (done, national) {
        (true, true) => "payment.refund_by_transfer",
        (true, false) => "payment.refunded",
        (false, _) => "payment.refund_failed",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn officials_type_amounts_the_vietnamese_way() {
        assert_eq!(parse_vnd("20.000"), Some(20_000));
        assert_eq!(parse_vnd("1 500 000 ₫"), Some(1_500_000));
        assert_eq!(parse_vnd("15000đ"), Some(15_000));
        assert_eq!(parse_vnd("0"), None);
        assert_eq!(parse_vnd("-5"), None);
        // a decimal comma is not a whole number of đồng
        assert_eq!(parse_vnd("12,5"), None);
        assert_eq!(parse_vnd("abc"), None);
    }
}
