//! The citizen's side of paying: the bill (alternatives, a claimed reduction) before paying,
//! the signed link to the gateway, the return page — which shows what the ledger knows and
//! refreshes until the IPN or reconciliation settles it, never trusting the return alone — and
//! the receipt.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use serde_json::json;
use tower_sessions::Session;
use uuid::Uuid;

use super::domain::{self, Bill};
use super::repo::{self, PaymentStatus};
use super::service;
use super::views::payment_views;
use super::views::{BillLine, ChoiceGroup, ChoiceOption, PayPage, ReductionOption, ReturnPage};
use crate::AppState;
use crate::accounts::CurrentCitizen;
use crate::dossiers::DossierStatus;
use crate::dossiers::repo::{self as dossiers, DossierRow};
use crate::dossiers::service::{Act, ApplyError, apply};
use crate::dossiers::workflow::{Action, Actor};
use crate::kernel::Lang;
use crate::kernel::money::format_vnd;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, FormErrors, Layout, flash};

async fn owned(app: &AppState, citizen: CurrentCitizen, id: Uuid) -> AppResult<DossierRow> {
    let mut conn = app.db.acquire().await?;
    dossiers::find_owned(&mut conn, citizen.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The bill of a dossier for the applicant's choices.
async fn bill_for(
    app: &AppState,
    row: &DossierRow,
    choices: &BTreeMap<String, i32>,
    reduction: Option<&str>,
    lang: Lang,
) -> AppResult<(Bill, Vec<domain::FeeLine>, Vec<domain::Reduction>)> {
    let mut conn = app.db.acquire().await?;
    let terms = app.terms.get(&mut conn, row.procedure_version_id).await?;
    let (lines, reductions) = (terms.fee_lines.clone(), terms.reductions.clone());
    // an amount an official assessed is the bill
    let assessed: Option<(i64, String)> = sqlx::query_as(
        "select amount_vnd, reason from fee_assessments where dossier_id = $1 order by at desc limit 1",
    )
    .bind(row.id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((amount, reason)) = assessed {
        let bill = Bill {
            items: vec![domain::BillItem {
                label: format!("{}: {reason}", lang.t("payment.assessed_line")),
                amount_vnd: amount,
                quantity: 1,
            }],
            total_vnd: amount,
        };
        return Ok((bill, Vec::new(), Vec::new()));
    }
    let due = domain::submission_lines(&lines, row.intake_channel != 1, choices);
    let claimed = reduction.and_then(|c| reductions.iter().find(|r| r.code == c));
    let bill = domain::bill(&due, &row.answers.0, claimed, lang == Lang::Vi);
    Ok((bill, lines, reductions))
}

fn parse_choices(form: &BTreeMap<String, String>) -> BTreeMap<String, i32> {
    form.iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("choice-")
                .and_then(|g| v.parse().ok().map(|p| (g.to_owned(), p)))
        })
        .collect()
}

async fn pay_page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    row: &DossierRow,
    form: &BTreeMap<String, String>,
    errors: FormErrors,
) -> AppResult<PayPage> {
    let choices = parse_choices(form);
    let reduction = form.get("reduction").filter(|r| !r.is_empty());
    let (bill, lines, reductions) =
        bill_for(app, row, &choices, reduction.map(String::as_str), lang).await?;
    let mut conn = app.db.acquire().await?;
    let payments = repo::for_dossier(&mut conn, row.id).await?;
    let gateway = gateway_of(app, &mut conn, row).await?;
    drop(conn);
    let online = row.intake_channel != 1;
    let mut groups: Vec<ChoiceGroup> = Vec::new();
    for l in lines.iter().filter(|l| {
        l.due == "submission"
            && l.amount_vnd.is_some()
            && (l.channel == "any" || (online && l.channel == "online"))
    }) {
        let Some(group) = &l.choice_group else {
            continue;
        };
        let option = ChoiceOption {
            value: l.position.to_string(),
            label: format!(
                "{} — {}",
                lang.pick(&l.label_vi, &l.label_en),
                format_vnd(l.amount_vnd.unwrap_or_default())
            ),
            checked: false,
        };
        match groups.iter_mut().find(|g| &g.name == group) {
            Some(g) => g.options.push(option),
            None => groups.push(ChoiceGroup {
                name: group.clone(),
                options: vec![option],
            }),
        }
    }
    for g in &mut groups {
        let chosen = choices.get(&g.name).map(i32::to_string);
        let first = g.options.first().map(|o| o.value.clone());
        for o in &mut g.options {
            o.checked = Some(&o.value) == chosen.as_ref().or(first.as_ref());
        }
    }
    let here = format!("{}/payment", crate::web::paths::citizen_dossier(row.id));
    Ok(PayPage {
        layout: Layout::for_session(lang, lang.t("payment.title"), &here, session)
            .await?
            .with_errors(&errors),
        action: here,
        back_url: crate::web::paths::citizen_dossier(row.id),
        code: row.code.clone().unwrap_or_default(),
        procedure: lang.pick(&row.procedure_vi, &row.procedure_en).to_owned(),
        lines: bill
            .items
            .iter()
            .map(|i| BillLine {
                label: i.label.clone(),
                quantity: i.quantity,
                amount: format_vnd(i.amount_vnd),
            })
            .collect(),
        total: format_vnd(bill.total_vnd),
        groups,
        reductions: reductions
            .iter()
            .map(|r| ReductionOption {
                value: r.code.clone(),
                label: format!("{} (−{}%)", lang.pick(&r.label_vi, &r.label_en), r.percent),
                evidence: lang.pick(&r.evidence_vi, &r.evidence_en).to_owned(),
                checked: reduction == Some(&r.code),
            })
            .collect(),
        reduction_chosen: reduction.is_some(),
        can_pay: row.status == DossierStatus::AwaitingPayment,
        gateway: lang.t(gateway.label_key()).into_owned(),
        payments: payment_views(
            &payments,
            lang,
            &format!("{}/receipts", crate::web::paths::citizen_dossier(row.id)),
        ),
        errors,
    })
}

/// `GET /account/dossiers/{id}/payment`
pub async fn show(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    Path(id): Path<Uuid>,
    Query(form): Query<BTreeMap<String, String>>,
) -> AppResult<PayPage> {
    let row = owned(&app, citizen, id).await?;
    pay_page(&app, lang, &session, &row, &form, FormErrors::new()).await
}

/// The gateway that takes this dossier's fee today.
async fn gateway_of(
    app: &AppState,
    conn: &mut sqlx::PgConnection,
    row: &DossierRow,
) -> Result<super::routing::Gateway, sqlx::Error> {
    super::routing::gateway_for(
        conn,
        &row.procedure_code,
        row.receiving_agency_id,
        crate::deadlines::calendar::today(),
        super::routing::Gateway::parse(&app.settings.payment_default_gateway)
            .unwrap_or(super::routing::Gateway::Vnpay),
        app.platform.is_some(),
    )
    .await
}

/// A fresh order reference: unique, and unique per day as the gateway wants.
fn txn_ref() -> String {
    let day = crate::deadlines::calendar::to_local(Utc::now()).format("%y%m%d");
    format!(
        "MC{day}{}",
        &Uuid::new_v4().simple().to_string()[..14].to_uppercase()
    )
}

/// `POST /account/dossiers/{id}/payment`: a pending payment of the bill, then the gateway.
pub async fn start(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form): Form<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let row = owned(&app, citizen, id).await?;
    if row.status != DossierStatus::AwaitingPayment {
        return Err(AppError::Conflict);
    }
    let choices = parse_choices(&form);
    let reduction = form.get("reduction").filter(|r| !r.is_empty()).cloned();
    let (bill, _, reductions) = bill_for(&app, &row, &choices, reduction.as_deref(), lang).await?;
    if reduction
        .as_ref()
        .is_some_and(|c| !reductions.iter().any(|r| &r.code == c))
    {
        return Err(AppError::BadRequest("errors.bad_request_text"));
    }
    let mut tx = app.db.begin().await?;
    // one payer at a time per dossier, and no second order while one is unsettled (it could
    // still be paid: reconciliation settles it within minutes)
    sqlx::query("select 1 from dossiers where id = $1 for update")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let recent: Option<String> = sqlx::query_scalar(
        "select txn_ref from payments where dossier_id = $1 and status = 'pending' and method = 'gateway' limit 1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    if recent.is_some() {
        drop(tx);
        let mut errors = FormErrors::new();
        errors.add("pay", lang.t("payment.error_pending"));
        let page = pay_page(&app, lang, &session, &row, &form, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    if bill.total_vnd == 0 {
        // exempt: nothing to pay; the claim goes on the record for the official to check
        let note = format!(
            "Miễn phí, lệ phí: {}",
            reduction.as_deref().unwrap_or_default()
        );
        let act = Act::new(
            id,
            DossierStatus::AwaitingPayment,
            Action::PaymentConfirmed,
            Actor::System,
        )
        .note(&note)
        .details(json!({"reduction": reduction}));
        match apply(&mut tx, act).await {
            Ok(_) => {}
            Err(ApplyError::Database(e)) => return Err(e.into()),
            Err(_) => return Err(AppError::Conflict),
        }
        crate::audit::record(
            &mut tx,
            crate::audit::Actor::Citizen(citizen.id),
            "payment.exemption_claimed",
            row.code.as_deref(),
            ip,
            json!({"reduction": reduction}),
        )
        .await?;
        tx.commit().await?;
        flash::set(&session, lang.t("payment.exempt_done")).await;
        return Ok(Redirect::to(&crate::web::paths::citizen_dossier(id)).into_response());
    }
    let gateway = gateway_of(&app, &mut tx, &row).await?;
    let now = Utc::now();
    let time = super::national::timestamp(now);
    let reference = match gateway {
        super::routing::Gateway::Vnpay => txn_ref(),
        super::routing::Gateway::Dvcqg => {
            super::national::reference(row.code.as_deref().unwrap_or_default(), &time)
        }
    };
    let (payment, created) = repo::create_gateway_payment(
        &mut tx,
        gateway,
        id,
        bill.total_vnd,
        &bill.items,
        reduction.as_deref(),
        &reference,
        Duration::minutes(app.settings.payment_reconcile_minutes),
    )
    .await?;
    service::log_event(
        &mut tx,
        Some(payment),
        "create",
        ip,
        "pending",
        json!({"txn_ref": reference, "gateway": gateway.as_str()}),
    )
    .await?;
    tx.commit().await?;
    let client_ip = ip.map_or_else(|| "127.0.0.1".to_owned(), |i| i.to_string());
    if gateway == super::routing::Gateway::Dvcqg {
        let init = super::platform::init_for(&app, &row, &bill, &client_ip, &time).await?;
        debug_assert_eq!(init.reference, reference);
        return match super::platform::open(&app, payment, &init).await {
            Ok(url) => Ok(Redirect::to(&url).into_response()),
            Err(()) => {
                let mut errors = FormErrors::new();
                errors.add("pay", lang.t("payment.error_platform_down"));
                let page = pay_page(&app, lang, &session, &row, &form, errors).await?;
                Ok((StatusCode::SERVICE_UNAVAILABLE, page).into_response())
            }
        };
    }
    let info = format!(
        "Thanh toan phi le phi ho so {}",
        row.code.as_deref().unwrap_or_default()
    );
    let link = app
        .gateway
        .pay_link(
            &reference,
            bill.total_vnd,
            &info,
            &client_ip,
            lang == Lang::En,
            // the order's creation time, as querydr will name it
            created,
        )
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("amount out of range")))?;
    Ok(Redirect::to(&link).into_response())
}

/// The payment the gateway's signed return names, as the ledger has it once the gateway was
/// asked: a return still pending is checked with the gateway at once (server to server, as
/// the reconciliation does), so that the citizen sees the outcome without waiting for the IPN.
/// The return's own words change nothing. None when the return is forged or unknown.
async fn returned_payment(
    app: &AppState,
    params: &BTreeMap<String, String>,
    ip: Option<std::net::IpAddr>,
) -> AppResult<Option<repo::PaymentRow>> {
    let valid = app.gateway.verify(params);
    let txn_ref = params.get("vnp_TxnRef").cloned().unwrap_or_default();
    let mut conn = app.db.acquire().await?;
    let payment = if valid {
        repo::by_txn_ref(&mut conn, &txn_ref).await?
    } else {
        None
    };
    service::log_event(
        &mut conn,
        payment.as_ref().map(|p| p.id),
        "return",
        ip,
        if valid { "verified" } else { "97" },
        json!({"txn_ref": txn_ref, "response_code": params.get("vnp_ResponseCode")}),
    )
    .await?;
    let pending = match payment {
        Some(p) if p.status == PaymentStatus::Pending => p,
        other => return Ok(other),
    };
    drop(conn);
    let gateway = pending.gateway.as_deref().unwrap_or("vnpay");
    if let Err(error) =
        super::reconcile::check_now(app, gateway, &txn_ref, pending.created_at).await
    {
        tracing::warn!(%error, "the gateway could not be asked on the return page");
        return Ok(Some(pending));
    }
    let mut conn = app.db.acquire().await?;
    Ok(repo::by_txn_ref(&mut conn, &txn_ref).await?)
}

/// `GET /thanh-toan/ket-qua`: where the gateway sends the browser back. Verifies the signature
/// and shows what the ledger says once the gateway was asked; only the gateway's word (IPN,
/// question) changes it.
pub async fn return_page(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    ClientIp(ip): ClientIp,
    Query(params): Query<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let payment = returned_payment(&app, &params, ip).await?;
    let layout = Layout::for_session(
        lang,
        lang.t("payment.return_title"),
        "/thanh-toan/ket-qua",
        &session,
    )
    .await?;
    let Some(payment) = payment else {
        let page = ReturnPage {
            layout,
            state: "invalid",
            message: lang.t("payment.return_invalid").into_owned(),
            amount: String::new(),
            dossier_url: None,
            receipt_url: None,
            bill_url: None,
            refresh: false,
        };
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    };
    let gateway_says = params
        .get("vnp_ResponseCode")
        .map(String::as_str)
        .unwrap_or("99");
    Ok(return_view(layout, lang, &payment, gateway_says).into_response())
}

/// The return page of a payment the ledger knows (either gateway); `gateway_says` names the
/// failure when the ledger has no code yet.
pub fn return_view(
    layout: Layout,
    lang: Lang,
    payment: &repo::PaymentRow,
    gateway_says: &str,
) -> ReturnPage {
    let (state, message, refresh) = match payment.status {
        PaymentStatus::Paid => ("paid", lang.t("payment.return_paid").into_owned(), false),
        PaymentStatus::Failed => (
            "failed",
            format!(
                "{} {}",
                lang.t(super::vnpay::response_key(
                    payment.response_code.as_deref().unwrap_or(gateway_says)
                )),
                lang.t("payment.return_retry")
            ),
            false,
        ),
        PaymentStatus::Pending => (
            "pending",
            lang.t("payment.return_pending").into_owned(),
            true,
        ),
    };
    let base = crate::web::paths::citizen_dossier(payment.dossier_id);
    ReturnPage {
        layout,
        state,
        message,
        amount: format_vnd(payment.amount_vnd),
        receipt_url: payment.receipt_id.map(|r| format!("{base}/receipts/{r}")),
        bill_url: payment
            .has_bill
            .then(|| format!("{base}/payments/{}/bien-lai-quoc-gia", payment.id)),
        dossier_url: Some(base),
        refresh,
    }
}
