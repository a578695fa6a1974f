//! An official's page of a dossier and every back-office action on it: one form per action
//! the official may take now (by role, agency, status and step), one handler that checks the
//! inputs, applies the transition through `dossiers::service` and records what the action
//! changes (due times, assignee, co-operating agency…) in the same transaction.

use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;
use uuid::Uuid;

use super::repo::{self, ClockRules, StaffDossier};
use super::views::{
    ActionView, AwaitingRefundView, DossierPage, FormLink, HistoryView, OptionView,
};
use crate::AppState;
use crate::accounts::CurrentStaff;
use crate::accounts::domain::StaffRole;
use crate::accounts::staff::staff_layout;
use crate::audit;
use crate::deadlines::calendar::{Calendar, Timeliness, timeliness, to_local, to_utc, today};
use crate::deadlines::repo as calendar;
use crate::dossiers::service::{self, Act, ApplyError};
use crate::dossiers::views::FileView;
use crate::dossiers::workflow::{self, Action, Actor, Step};
use crate::dossiers::{DossierStatus, domain, repo as dossiers};
use crate::kernel::Lang;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, FormErrors, flash};

pub fn format_local(at: DateTime<Utc>) -> String {
    to_local(at).format("%H:%M %d/%m/%Y").to_string()
}

pub fn dossier_url(id: Uuid) -> String {
    format!("/staff/dossiers/{id}")
}

/// The dossier, if the official works at its receiving, deciding or co-operating agency.
pub async fn scoped(app: &AppState, staff: &CurrentStaff, id: Uuid) -> AppResult<StaffDossier> {
    let mut conn = app.db.acquire().await?;
    let dossier = repo::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let ours = staff.roles.iter().any(|r| {
        Some(r.agency_id) == dossier.receiving_agency_id
            || Some(r.agency_id) == dossier.competent_agency_id
            || Some(r.agency_id) == dossier.cooperating_agency_id
    });
    if !ours || dossier.status == DossierStatus::Draft {
        return Err(AppError::Forbidden);
    }
    Ok(dossier)
}

/// The agency whose role `role` lets the official act on this dossier, if any.
fn acting_agency(
    staff: &CurrentStaff,
    d: &StaffDossier,
    role: StaffRole,
    action: Action,
) -> Option<Uuid> {
    let place = match (role, action) {
        (StaffRole::CaseOfficer, Action::CooperationReturned) => d.cooperating_agency_id,
        (StaffRole::Reception, _) => d.receiving_agency_id,
        _ => d.competent_agency_id,
    };
    staff
        .roles
        .iter()
        .find(|r| r.role == role && Some(r.agency_id) == place)
        .map(|r| r.agency_id)
}

/// The roles that may take staff actions.
const DESK_ROLES: [StaffRole; 4] = [
    StaffRole::Reception,
    StaffRole::CaseOfficer,
    StaffRole::DivisionHead,
    StaffRole::SigningAuthority,
];

/// Whether the official may take `action` now, and in which role and agency. The pure
/// workflow decides status and step; the rest here is who holds the dossier.
fn may(staff: &CurrentStaff, d: &StaffDossier, action: Action) -> Option<(StaffRole, Uuid)> {
    // actions the desk never offers by hand (payments have their own forms)
    if matches!(
        action,
        Action::FileAtCounter
            | Action::Delivered
            | Action::ReturnedByPost
            | Action::HandToPost
            | Action::RequestPayment
            | Action::PaymentConfirmed
    ) {
        return None;
    }
    DESK_ROLES.into_iter().find_map(|role| {
        let to = workflow::next(d.status, action, Actor::Staff(role), 0).ok()?;
        workflow::step_after(d.status, d.step, action, to).ok()?;
        let agency = acting_agency(staff, d, role, action)?;
        let fits = match action {
            // the case officer's own steps are the assignee's
            Action::SendToCooperation
            | Action::RequestSupplement
            | Action::WaitFinancial
            | Action::FinancialDone
            | Action::SubmitForSignature => d.assignee_id == Some(staff.id),
            Action::Reschedule => d.rescheduled_at.is_none() && d.due_at.is_some(),
            Action::ReturnElectronically => d.result_channel == "electronic",
            _ => true,
        };
        fits.then_some((role, agency))
    })
}

/// What the form of an action asks for.
fn kind(action: Action) -> &'static str {
    match action {
        Action::ReturnForCompletion => "completion",
        Action::Assign => "assign",
        Action::SendToCooperation => "cooperate",
        Action::Reschedule => "reschedule",
        Action::RequestSupplement => "supplement",
        _ if action.needs_reason() => "reason",
        _ => "plain",
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct ActForm {
    #[serde(default)]
    pub expected: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub items: String,
    #[serde(default)]
    pub assignee: String,
    #[serde(default)]
    pub agency: String,
    #[serde(default)]
    pub days: String,
    #[serde(default)]
    pub new_date: String,
    #[serde(default)]
    pub new_time: String,
    /// The documents named in a completion request: `item-<slot>` = "on" and
    /// `item-reason-<slot>` (slot: a position, or "other").
    #[serde(flatten)]
    pub extra: std::collections::HashMap<String, String>,
}

fn parse_action(s: &str) -> Option<Action> {
    Action::ALL.into_iter().find(|a| format!("{a:?}") == s)
}

/// The state a page showed: status and step, as "Processing/appraisal".
fn state_key(status: DossierStatus, step: Option<Step>) -> String {
    match step {
        Some(step) => format!("{status:?}/{step:?}"),
        None => format!("{status:?}"),
    }
}

fn timeliness_key(t: Timeliness) -> &'static str {
    match t {
        Timeliness::Early => "processing.early",
        Timeliness::OnTime => "processing.on_time",
        Timeliness::Late => "processing.late",
    }
}

/// The dossier page, with `form` re-shown for the action that failed.
pub async fn page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    staff: &CurrentStaff,
    d: &StaffDossier,
    form: &ActForm,
    errors: FormErrors,
) -> AppResult<DossierPage> {
    let mut conn = app.db.acquire().await?;
    let files = dossiers::files(&mut conn, d.id).await?;
    let results = dossiers::result_files(&mut conn, d.id).await?;
    let history = repo::history(&mut conn, d.id).await?;
    let cal = calendar::load(&mut conn).await?;
    let payments = crate::payments::repo::for_dossier(&mut conn, d.id).await?;
    let awaiting = crate::payments::repo::awaiting_refunds(&mut conn, d.id).await?;
    let approver = crate::payments::staff::may_approve_refunds(staff, d.receiving_agency_id);
    let reads_papers = may_read_documents(staff, d);
    let actions: Vec<(Action, StaffRole, Uuid)> = Action::ALL
        .into_iter()
        .filter_map(|a| may(staff, d, a).map(|(r, ag)| (a, r, ag)))
        .collect();
    let officers = match (
        actions.iter().any(|a| a.0 == Action::Assign),
        d.competent_agency_id,
    ) {
        (true, Some(agency)) => repo::case_officers(&mut conn, agency).await?,
        _ => Vec::new(),
    };
    let slot_options: Vec<OptionView> =
        if actions.iter().any(|a| a.0 == Action::ReturnForCompletion) {
            dossiers::slots(&mut conn, d.version_id)
                .await?
                .into_iter()
                .map(|s| OptionView {
                    value: s.position.to_string(),
                    label: lang.pick(&s.name_vi, &s.name_en).to_owned(),
                })
                .chain(std::iter::once(OptionView {
                    value: "other".to_owned(),
                    label: lang.t("dossier.other_documents").into_owned(),
                }))
                .collect()
        } else {
            Vec::new()
        };
    let agencies = if actions.iter().any(|a| a.0 == Action::SendToCooperation) {
        repo::other_agencies(&mut conn, d.competent_agency_id).await?
    } else {
        Vec::new()
    };
    drop(conn);
    let here = dossier_url(d.id);
    let now = Utc::now();
    let judged = d.original_due_at.or(d.due_at);
    let finish = d.result_at.or(d.returned_at);
    let status_of_time = match (judged, finish) {
        (Some(due), Some(done)) => {
            Some(lang.t(timeliness_key(timeliness(to_local(done), to_local(due)))))
        }
        (Some(due), None) if d.status.clock_runs() && due < now => Some(lang.t("processing.late")),
        _ => None,
    };
    let statistics_due = statistics_due(&cal, &history, d);
    let uploader = can_upload_result(staff, d);
    let view_file = |f: &dossiers::FileRow| FileView {
        name: domain::display_name(&f.original_name),
        size: domain::size_text(f.size_bytes),
        reused: f.reused_from.is_some(),
        delete_url: String::new(),
        download_url: format!("{here}/files/{}", f.id),
    };
    let mut form_links = Vec::new();
    for (n, key) in [
        ("01", "forms.01"),
        ("02", "forms.02"),
        ("03", "forms.03"),
        ("04", "forms.04"),
        ("05", "forms.05"),
        ("06", "forms.06"),
    ] {
        let issued = match n {
            "01" => d.received_at.is_some(),
            "06" => d.received_at.is_some(),
            _ => history.iter().any(|h| h.form.as_deref() == Some(n)),
        };
        if issued {
            form_links.push(FormLink {
                print_url: format!("{here}/forms/{n}.html"),
                label: lang.t(key).into_owned(),
                url: if n == "01" {
                    format!("{here}/form-01.pdf")
                } else {
                    format!("{here}/forms/{n}.pdf")
                },
            });
        }
    }
    let failed = parse_action(&form.action);
    let at_desk = staff
        .roles
        .iter()
        .any(|r| r.role == StaffRole::Reception && Some(r.agency_id) == d.receiving_agency_id);
    Ok(DossierPage {
        layout: staff_layout(lang, "reception.dossier_title", &here, session, staff)
            .await?
            .with_errors(&errors),
        id: d.id.to_string(),
        code: d.code.clone().unwrap_or_default(),
        procedure: lang.pick(&d.procedure_vi, &d.procedure_en).to_owned(),
        status: lang.t(d.status.label_key()).into_owned(),
        step: d.step.map(|s| lang.t(s.label_key()).into_owned()),
        state_key: state_key(d.status, d.step),
        applicant: d.applicant_name.clone(),
        personal_id: d.applicant_personal_id.clone(),
        phone: crate::accounts::domain::PhoneNumber::parse(&d.applicant_phone)
            .map_or_else(|| d.applicant_phone.clone(), |p| p.national()),
        email: d.applicant_email.clone(),
        address: d.applicant_address.clone(),
        channel: lang
            .t(crate::reception::channel_key(
                d.intake_channel,
                &d.source_system,
            ))
            .into_owned(),
        receiving: match (&d.receiving_vi, &d.receiving_now_vi) {
            (Some(was), Some(now)) => format!("{was} ({} {now})", lang.t("agencies.now")),
            (was, _) => was.clone().unwrap_or_default(),
        },
        competent: d.competent_vi.clone().unwrap_or_default(),
        cooperating: d.cooperating_vi.clone(),
        cooperation_due: d.cooperation_due_at.map(format_local),
        assignee: d.assignee_name.clone(),
        submitted: d.submitted_at.map(format_local).unwrap_or_default(),
        received: d.received_at.map(format_local).unwrap_or_default(),
        due: d.due_at.map(format_local).unwrap_or_default(),
        original_due: d.rescheduled_at.and(d.original_due_at).map(format_local),
        statistics_due: statistics_due.map(|at| format_local(to_utc(at))),
        timeliness: status_of_time.map(|t| t.into_owned()),
        supplement_due: (d.status == DossierStatus::SupplementRequested)
            .then(|| d.supplement_due_at.map(format_local))
            .flatten(),
        result_channel: domain::ResultChannel::parse(&d.result_channel)
            .map(|c| lang.t(c.label_key()).into_owned())
            .unwrap_or_default(),
        result_address: d.result_address.clone(),
        files: if reads_papers {
            files.iter().map(view_file).collect()
        } else {
            Vec::new()
        },
        files_hidden: !reads_papers,
        results: if reads_papers {
            results.iter().map(view_file).collect()
        } else {
            Vec::new()
        },
        result_upload_url: uploader.then(|| format!("{here}/result")),
        history: history
            .iter()
            .map(|h| HistoryView {
                at: format_local(h.at),
                what: parse_action(&h.action).map_or_else(
                    || lang.t(h.to_status.label_key()).into_owned(),
                    |a| lang.t(&a.label_key()).into_owned(),
                ),
                who: match (&h.actor_name, &h.agency_vi) {
                    (Some(n), Some(a)) => format!("{n} — {a}"),
                    (Some(n), None) => n.clone(),
                    _ => lang
                        .t(&format!("dossier.actor_{}", h.actor_kind))
                        .into_owned(),
                },
                to: h
                    .to_staff_name
                    .clone()
                    .or_else(|| h.to_agency_vi.clone())
                    .unwrap_or_default(),
                note: h.note.clone(),
            })
            .collect(),
        forms: form_links,
        actions: actions
            .iter()
            .map(|(a, _, _)| {
                let slug = format!("{a:?}");
                let mine = failed == Some(*a);
                ActionView {
                    label: lang.t(&a.label_key()).into_owned(),
                    kind: kind(*a),
                    reason: if mine {
                        form.reason.clone()
                    } else {
                        String::new()
                    },
                    items: if mine {
                        form.items.clone()
                    } else {
                        String::new()
                    },
                    days: if mine {
                        form.days.clone()
                    } else {
                        "5".to_owned()
                    },
                    new_date: if mine {
                        form.new_date.clone()
                    } else {
                        String::new()
                    },
                    new_time: if mine {
                        form.new_time.clone()
                    } else {
                        d.due_at
                            .map(|t| to_local(t).format("%H:%M").to_string())
                            .unwrap_or_default()
                    },
                    selected: if mine {
                        form.assignee.clone() + &form.agency
                    } else {
                        String::new()
                    },
                    slug,
                }
            })
            .collect(),
        officers: officers
            .into_iter()
            .map(|(id, name)| OptionView {
                value: id.to_string(),
                label: name,
            })
            .collect(),
        agencies: agencies
            .into_iter()
            .map(|(id, name)| OptionView {
                value: id.to_string(),
                label: name,
            })
            .collect(),
        can_collect: at_desk && !d.status.is_terminal(),
        can_assess: at_desk && d.status == DossierStatus::Submitted,
        awaiting_refunds: awaiting
            .into_iter()
            .map(|(refund, amount, reason, by, by_id)| AwaitingRefundView {
                amount: crate::kernel::money::format_vnd(amount),
                reason,
                requested_by: by,
                approve_url: (approver && by_id != staff.id)
                    .then(|| format!("{here}/refunds/{refund}/approve")),
            })
            .collect(),
        refundable: if at_desk
            && matches!(
                d.status,
                DossierStatus::RefusedAtReception
                    | DossierStatus::RefusedOnMerits
                    | DossierStatus::Stopped
                    | DossierStatus::Withdrawn
            ) {
            payments
                .iter()
                .filter(|p| {
                    p.status == crate::payments::repo::PaymentStatus::Paid
                        && p.refunded_vnd < p.amount_vnd
                })
                .map(|p| OptionView {
                    value: p.id.to_string(),
                    label: format!(
                        "{} ({})",
                        crate::kernel::money::format_vnd(p.amount_vnd - p.refunded_vnd),
                        lang.t(&format!("payment.method_{}", p.method))
                    ),
                })
                .collect()
        } else {
            Vec::new()
        },
        payments: crate::payments::citizen::payment_views(
            &payments,
            lang,
            &format!("{here}/receipts"),
        ),
        slots: slot_options,
        errors,
    })
}

/// The appointment the national statistics judge against, from the history: the first
/// appointment moved by the time spent waiting for supplements.
fn statistics_due(
    cal: &Calendar,
    history: &[repo::HistoryRow],
    d: &StaffDossier,
) -> Option<chrono::NaiveDateTime> {
    let first = history
        .iter()
        .find(|h| h.action == "Accept")
        .and_then(|h| {
            h.details
                .0
                .get("due_at")
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        })
        .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
        .map(|t| to_local(t.with_timezone(&Utc)))
        .or_else(|| d.original_due_at.map(to_local))?;
    let mut pauses = Vec::new();
    let mut open = None;
    for h in history {
        if h.action == "RequestSupplement" {
            open = Some(to_local(h.at));
        } else if h.action == "SupplementReceived"
            && let Some(a) = open.take()
        {
            pauses.push((a, to_local(h.at)));
        }
    }
    if let Some(a) = open {
        pauses.push((a, to_local(Utc::now())));
    }
    Some(cal.statistics_due(first, &pauses))
}

/// Who may upload a result document now: the assigned case officer while appraising or at
/// signature; the signing authority at signature and after issue (to correct it).
fn can_upload_result(staff: &CurrentStaff, d: &StaffDossier) -> bool {
    let at_competent = |role| {
        staff
            .roles
            .iter()
            .any(|r| r.role == role && Some(r.agency_id) == d.competent_agency_id)
    };
    match d.status {
        DossierStatus::Processing => {
            (d.assignee_id == Some(staff.id)
                && matches!(d.step, Some(Step::Appraisal | Step::Signature))
                && at_competent(StaffRole::CaseOfficer))
                || (d.step == Some(Step::Signature) && at_competent(StaffRole::SigningAuthority))
        }
        DossierStatus::ResultReady | DossierStatus::OutForDelivery | DossierStatus::Returned => {
            at_competent(StaffRole::SigningAuthority)
        }
        _ => false,
    }
}

/// `GET /staff/dossiers/{id}`
pub async fn show(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Path(id): Path<Uuid>,
) -> AppResult<DossierPage> {
    let d = scoped(&app, &staff, id).await?;
    page(
        &app,
        lang,
        &session,
        &staff,
        &d,
        &ActForm::default(),
        FormErrors::new(),
    )
    .await
}

/// `GET /staff/dossiers/{id}/files/{file}`: the applicant's papers and the results.
pub async fn download(
    State(app): State<AppState>,
    staff: CurrentStaff,
    crate::web::client::ClientIp(ip): crate::web::client::ClientIp,
    Path((id, file)): Path<(Uuid, Uuid)>,
) -> AppResult<Response> {
    let d = scoped(&app, &staff, id).await?;
    if !may_read_documents(&staff, &d) {
        return Err(AppError::Forbidden);
    }
    let mut conn = app.db.acquire().await?;
    let mut files = dossiers::files(&mut conn, id).await?;
    files.extend(dossiers::result_files(&mut conn, id).await?);
    if files.iter().any(|f| f.id == file) {
        audit::record(
            &mut conn,
            audit::Actor::Staff(staff.id),
            "dossier.file_read",
            Some(&id.to_string()),
            ip,
            json!({"file": file}),
        )
        .await?;
    }
    drop(conn);
    crate::dossiers::files::serve(&app, &files, file).await
}

/// Whether the official's part in the dossier needs the citizen's papers: reception at the
/// receiving agency, the assigned officer, the head and the signer of the deciding agency, and
/// a co-operating agency's case officer while its step is open. Nobody else — an
/// administrator, postal staff, an officer of the agency not assigned to it — reads them.
pub fn may_read_documents(staff: &CurrentStaff, d: &StaffDossier) -> bool {
    if d.assignee_id == Some(staff.id) {
        return true;
    }
    staff.roles.iter().any(|r| {
        let at = Some(r.agency_id);
        match r.role {
            StaffRole::Reception => at == d.receiving_agency_id,
            StaffRole::DivisionHead | StaffRole::SigningAuthority => at == d.competent_agency_id,
            StaffRole::CaseOfficer => {
                d.status == DossierStatus::WaitingCooperation && at == d.cooperating_agency_id
            }
            _ => false,
        }
    })
}

/// `POST /staff/dossiers/{id}/result` (multipart): a result document (draft, final or
/// corrected), stored like any upload and checked by content.
pub async fn upload_result(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Path(id): Path<Uuid>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let d = scoped(&app, &staff, id).await?;
    if !can_upload_result(&staff, &d) {
        return Err(AppError::Forbidden);
    }
    let stored = match crate::dossiers::citizen::receive_files(&app, &mut multipart, 0, 0).await {
        Ok(stored) => stored,
        Err((problem, stored)) => {
            for s in &stored {
                let _ = app.storage.delete(&s.key).await;
            }
            let mut errors = FormErrors::new();
            errors.add("result-file", lang.t(problem.key()));
            let page = page(
                &app,
                lang,
                &session,
                &staff,
                &d,
                &ActForm::default(),
                errors,
            )
            .await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let mut tx = app.db.begin().await?;
    for s in &stored {
        crate::dossiers::drafts::insert_file(
            &mut tx,
            &crate::dossiers::drafts::NewFile {
                dossier: id,
                position: None,
                storage_key: &s.key,
                original_name: &s.name,
                content_type: s.content_type,
                size: s.size,
                sha256: &s.sha256,
                reused_from: None,
                purpose: "result",
                added_by: Some(staff.id),
            },
        )
        .await?;
    }
    tx.commit().await?;
    flash::set(&session, lang.t("processing.result_uploaded")).await;
    Ok(Redirect::to(&dossier_url(id)).into_response())
}

/// The inputs of an action, checked: what the event and the dossier row will record.
#[derive(Default)]
struct Checked {
    assignee: Option<Uuid>,
    agency: Option<Uuid>,
    sub_due: Option<DateTime<Utc>>,
    new_due: Option<DateTime<Utc>>,
    items: Vec<String>,
    /// Completion before acceptance: the slots asked again, with their reasons.
    slots: Vec<(Option<i32>, String)>,
    result_file: Option<Uuid>,
}

/// Where the action sends the dossier to (Form 06), and the deadline it is judged against.
fn hand_over(
    d: &StaffDossier,
    action: Action,
    checked: &Checked,
    cal: &Calendar,
    rules: &ClockRules,
) -> (Option<Uuid>, Option<Uuid>, Option<DateTime<Utc>>) {
    let acknowledge = |at: DateTime<Utc>| {
        to_utc(cal.add_working_hours(
            to_local(at),
            u32::try_from(rules.online_acknowledge_hours).unwrap_or(8),
        ))
    };
    match action {
        Action::Accept => (
            d.receiving_agency_id,
            None,
            (d.intake_channel == 2)
                .then(|| d.submitted_at.map(acknowledge))
                .flatten(),
        ),
        Action::ReturnForCompletion | Action::RefuseAtReception => (
            None,
            None,
            (d.intake_channel == 2)
                .then(|| d.submitted_at.map(acknowledge))
                .flatten(),
        ),
        Action::Forward => (
            d.competent_agency_id.or(d.receiving_agency_id),
            None,
            d.received_at.map(|r| to_utc(cal.forward_by(to_local(r)))),
        ),
        Action::Assign => (d.competent_agency_id, checked.assignee, d.due_at),
        Action::SendToCooperation => (checked.agency, None, d.due_at),
        Action::CooperationReturned => (d.competent_agency_id, d.assignee_id, d.cooperation_due_at),
        Action::RequestSupplement => (
            d.receiving_agency_id,
            None,
            d.received_at.map(|r| {
                to_utc(cal.add_working_days(
                    to_local(r),
                    u32::try_from(rules.supplement_request_days).unwrap_or(3),
                ))
            }),
        ),
        Action::IssueResult | Action::RefuseOnMerits => (d.receiving_agency_id, None, d.due_at),
        Action::SendBack => (d.competent_agency_id, d.assignee_id, d.due_at),
        Action::SubmitForSignature => (d.competent_agency_id, None, d.due_at),
        _ => (None, None, None),
    }
}

fn require_reason(form: &ActForm, slug: &str, lang: Lang, errors: &mut FormErrors) {
    if form.reason.trim().chars().count() < 10 {
        errors.add(format!("{slug}-reason"), lang.t("reception.error_reason"));
    }
}

/// Checks the inputs of `action`; errors carry the form field ids.
async fn check(
    conn: &mut sqlx::PgConnection,
    d: &StaffDossier,
    action: Action,
    form: &ActForm,
    lang: Lang,
    cal: &Calendar,
    rules: &ClockRules,
) -> Result<(Checked, FormErrors), sqlx::Error> {
    let slug = format!("{action:?}");
    let mut errors = FormErrors::new();
    let mut checked = Checked::default();
    let now = Utc::now();
    if action.needs_reason() {
        require_reason(form, &slug, lang, &mut errors);
    }
    match action {
        Action::Assign => {
            let officers = match d.competent_agency_id {
                Some(a) => repo::case_officers(conn, a).await?,
                None => Vec::new(),
            };
            checked.assignee = officers
                .iter()
                .find(|o| o.0.to_string() == form.assignee)
                .map(|o| o.0);
            if checked.assignee.is_none() {
                errors.add(
                    format!("{slug}-assignee"),
                    lang.t("processing.error_assignee"),
                );
            }
        }
        Action::SendToCooperation => {
            let agencies = repo::other_agencies(conn, d.competent_agency_id).await?;
            checked.agency = agencies
                .iter()
                .find(|o| o.0.to_string() == form.agency)
                .map(|o| o.0);
            if checked.agency.is_none() {
                errors.add(format!("{slug}-agency"), lang.t("processing.error_agency"));
            }
            match form.days.trim().parse::<u32>() {
                Ok(n @ 1..=60) => {
                    checked.sub_due = Some(to_utc(cal.add_working_days(to_local(now), n)));
                }
                _ => errors.add(format!("{slug}-days"), lang.t("processing.error_days")),
            }
        }
        Action::ReturnForCompletion => {
            let slots = dossiers::slots(conn, d.version_id).await?;
            let mut names: Vec<(Option<i32>, String, String)> = slots
                .iter()
                .map(|s| (Some(s.position), s.position.to_string(), s.name_vi.clone()))
                .collect();
            names.push((
                None,
                "other".to_owned(),
                lang.t("dossier.other_documents").into_owned(),
            ));
            let mut complete = true;
            for (position, key, name) in names {
                if form
                    .extra
                    .get(&format!("item-{key}"))
                    .is_none_or(String::is_empty)
                {
                    continue;
                }
                let why = form
                    .extra
                    .get(&format!("item-reason-{key}"))
                    .map(|r| r.trim().to_owned())
                    .unwrap_or_default();
                if why.chars().count() < 3 {
                    complete = false;
                }
                checked.items.push(format!("{name}: {why}"));
                checked.slots.push((position, why));
            }
            if checked.slots.is_empty() || !complete {
                errors.add(
                    format!("{slug}-items"),
                    lang.t("processing.error_completion_items"),
                );
            }
        }
        Action::RequestSupplement => {
            checked.items = form
                .items
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect();
            if checked.items.is_empty() {
                errors.add(format!("{slug}-items"), lang.t("processing.error_items"));
            }
        }
        Action::Reschedule => {
            let date = NaiveDate::parse_from_str(form.new_date.trim(), "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(form.new_date.trim(), "%d/%m/%Y"));
            let time = NaiveTime::parse_from_str(form.new_time.trim(), "%H:%M");
            let due = d.due_at.unwrap_or(now);
            let notice = u32::try_from(rules.reschedule_notice_days).unwrap_or(1);
            if to_local(due) < cal.add_working_days(to_local(now), notice) {
                errors.add(
                    format!("{slug}-new_date"),
                    lang.t("processing.error_reschedule_late"),
                );
            } else {
                match (date, time) {
                    (Ok(date), Ok(time)) if to_utc(date.and_time(time)) > due => {
                        checked.new_due = Some(to_utc(date.and_time(time)));
                    }
                    (Ok(_), Ok(_)) => {
                        errors.add(
                            format!("{slug}-new_date"),
                            lang.t("processing.error_new_date_order"),
                        );
                    }
                    _ => errors.add(
                        format!("{slug}-new_date"),
                        lang.t("processing.error_new_date"),
                    ),
                }
            }
        }
        Action::IssueResult => {
            let results = dossiers::result_files(conn, d.id).await?;
            checked.result_file = results.first().map(|f| f.id);
            if checked.result_file.is_none() {
                errors.add("result-file", lang.t("processing.error_no_result"));
            }
        }
        Action::CorrectResult => {
            let results = dossiers::result_files(conn, d.id).await?;
            let last_issue: Option<DateTime<Utc>> = sqlx::query_scalar(
                "select max(at) from dossier_events where dossier_id = $1 \
                 and action in ('IssueResult', 'CorrectResult')",
            )
            .bind(d.id)
            .fetch_one(&mut *conn)
            .await?;
            let newest = results.first();
            checked.result_file = newest
                .filter(|f| last_issue.is_none_or(|at| f.created_at > at))
                .map(|f| f.id);
            if checked.result_file.is_none() {
                errors.add("result-file", lang.t("processing.error_no_correction"));
            }
            let limit = u32::try_from(rules.correction_working_days).unwrap_or(3);
            let since = d.returned_at.or(d.result_at).unwrap_or(now);
            if to_local(now) > cal.add_working_days(to_local(since), limit) {
                errors.add(
                    format!("{slug}-reason"),
                    lang.t("processing.error_correction_late"),
                );
            }
        }
        _ => {}
    }
    Ok((checked, errors))
}

/// What the action changes on the dossier row besides status and step.
async fn record_effects(
    conn: &mut sqlx::PgConnection,
    d: &StaffDossier,
    action: Action,
    checked: &Checked,
    cal: &Calendar,
    rules: &ClockRules,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    let now = Utc::now();
    let mut due_note = None;
    match action {
        Action::Accept | Action::SupplementReceived => {
            // a dossier that came by post was received when it arrived (the postmark rule)
            let now = if action == Action::Accept && d.intake_channel == 3 {
                d.submitted_at.unwrap_or(now)
            } else {
                now
            };
            let start = cal.clock_start(to_local(now), d.clock_starts_next_day_after_cutoff);
            let due = to_utc(cal.due(start, d.time_limit_value, d.time_limit_unit));
            let set_received = action == Action::Accept;
            sqlx::query(
                "update dossiers set received_at = case when $4 then $2 else received_at end, \
                   due_at = $3, original_due_at = $3, supplement_due_at = null where id = $1",
            )
            .bind(d.id)
            .bind(now)
            .bind(due)
            .bind(set_received)
            .execute(&mut *conn)
            .await?;
            due_note = Some(due);
        }
        Action::Forward => {
            sqlx::query(
                "update dossiers set competent_agency_id = coalesce(competent_agency_id, receiving_agency_id) \
                 where id = $1",
            )
            .bind(d.id)
            .execute(&mut *conn)
            .await?;
        }
        Action::Assign => {
            sqlx::query("update dossiers set assignee_id = $2 where id = $1")
                .bind(d.id)
                .bind(checked.assignee)
                .execute(&mut *conn)
                .await?;
        }
        Action::SendToCooperation => {
            sqlx::query(
                "update dossiers set cooperating_agency_id = $2, cooperation_due_at = $3 where id = $1",
            )
            .bind(d.id)
            .bind(checked.agency)
            .bind(checked.sub_due)
            .execute(&mut *conn)
            .await?;
        }
        Action::RequestSupplement => {
            let until = now + Duration::days(i64::from(rules.supplement_reply_days));
            sqlx::query("update dossiers set supplement_due_at = $2 where id = $1")
                .bind(d.id)
                .bind(until)
                .execute(&mut *conn)
                .await?;
        }
        Action::Reschedule => {
            // once: a concurrent second reschedule finds it done and changes nothing
            let rescheduled = sqlx::query(
                "update dossiers set due_at = $2, original_due_at = coalesce(original_due_at, due_at), \
                   rescheduled_at = now() where id = $1 and rescheduled_at is null",
            )
            .bind(d.id)
            .bind(checked.new_due)
            .execute(&mut *conn)
            .await?;
            if rescheduled.rows_affected() != 1 {
                return Err(sqlx::Error::RowNotFound);
            }
            due_note = checked.new_due;
        }
        Action::IssueResult | Action::RefuseOnMerits => {
            sqlx::query(
                "update dossiers set result_at = $2, result_file_id = coalesce($3, result_file_id) where id = $1",
            )
            .bind(d.id)
            .bind(now)
            .bind(checked.result_file)
            .execute(&mut *conn)
            .await?;
        }
        Action::CorrectResult => {
            sqlx::query(
                "update dossiers set result_file_id = $2, returned_at = null where id = $1",
            )
            .bind(d.id)
            .bind(checked.result_file)
            .execute(&mut *conn)
            .await?;
        }
        Action::ReturnAtCounter | Action::ReturnElectronically => {
            sqlx::query("update dossiers set returned_at = $2 where id = $1")
                .bind(d.id)
                .bind(now)
                .execute(&mut *conn)
                .await?;
        }
        _ => {}
    }
    Ok(due_note)
}

/// Who acts, from where.
pub struct Desk<'a> {
    pub app: &'a AppState,
    pub lang: Lang,
    pub staff: &'a CurrentStaff,
    pub session: &'a Session,
    pub ip: Option<std::net::IpAddr>,
}

/// Performs `action` for the official: the shared path of every back-office action.
pub async fn perform(
    desk: Desk<'_>,
    id: Uuid,
    form: &ActForm,
    action: Action,
) -> AppResult<Response> {
    let Desk {
        app,
        lang,
        staff,
        session,
        ip,
    } = desk;
    let d = scoped(app, staff, id).await?;
    if state_key(d.status, d.step) != form.expected {
        return Err(AppError::Conflict);
    }
    let Some((role, agency)) = may(staff, &d, action) else {
        // an action of another role or agency is forbidden; one that no longer applies
        // (the dossier moved on) is a conflict
        let anyone = DESK_ROLES.into_iter().any(|r| {
            action.allowed_for(Actor::Staff(r)) && acting_agency(staff, &d, r, action).is_some()
        });
        return Err(if anyone {
            AppError::Conflict
        } else {
            AppError::Forbidden
        });
    };
    let mut tx = app.db.begin().await?;
    // the deciding agency's office hours (the receiving unit's before forwarding)
    let cal = calendar::load_for(&mut tx, d.competent_agency_id.or(d.receiving_agency_id)).await?;
    let rules = repo::clock_rules(&mut tx, Some(d.field_id), today()).await?;
    let (checked, errors) = check(&mut tx, &d, action, form, lang, &cal, &rules).await?;
    if !errors.is_empty() {
        drop(tx);
        let page = page(app, lang, session, staff, &d, form, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let (to_agency, to_staff, judged_by) = hand_over(&d, action, &checked, &cal, &rules);
    let mut details = json!({});
    if !checked.items.is_empty() {
        details["items"] = json!(checked.items);
    }
    if !checked.slots.is_empty() {
        details["slots"] = json!(
            checked
                .slots
                .iter()
                .map(|(position, reason)| json!({"position": position, "reason": reason}))
                .collect::<Vec<_>>()
        );
    }
    if let Some(due) = checked.new_due {
        details["new_due_at"] = json!(due);
        details["original_due_at"] = json!(d.original_due_at.or(d.due_at));
    }
    if let Some(due) = checked.sub_due {
        details["cooperation_due_at"] = json!(due);
    }
    let reason = form.reason.trim();
    // the case officer the page showed is still the one (a reassignment meanwhile is stale)
    if matches!(
        action,
        Action::Assign
            | Action::SendToCooperation
            | Action::RequestSupplement
            | Action::WaitFinancial
            | Action::FinancialDone
            | Action::SubmitForSignature
    ) {
        let assignee: Option<Option<Uuid>> =
            sqlx::query_scalar("select assignee_id from dossiers where id = $1 for update")
                .bind(d.id)
                .fetch_optional(&mut *tx)
                .await?;
        if assignee != Some(d.assignee_id) {
            return Err(AppError::Conflict);
        }
    }
    // what the action records on the row goes first: the constraints of the next status
    // (a co-operating agency, a result time) hold when the status changes; a refused
    // transition rolls it all back
    let due = record_effects(&mut tx, &d, action, &checked, &cal, &rules)
        .await
        .map_err(|e| match e {
            sqlx::Error::RowNotFound => AppError::Conflict,
            e => e.into(),
        })?;
    let act = Act::new(d.id, d.status, action, Actor::Staff(role)).at_step(d.step);
    let act = act
        .by(staff.id, Some(agency))
        .note(reason)
        .to(to_agency, to_staff)
        .judged_by(judged_by)
        .details(details);
    let applied = match service::apply(&mut tx, act).await {
        Ok(applied) => applied,
        Err(ApplyError::Illegal(illegal))
            if illegal.reason == workflow::Refusal::SecondSupplement =>
        {
            drop(tx);
            let mut errors = FormErrors::new();
            errors.add(
                format!("{action:?}-items"),
                lang.t("processing.error_second_supplement"),
            );
            let page = page(app, lang, session, staff, &d, form, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
        Err(ApplyError::Stale { .. } | ApplyError::Illegal(_)) => return Err(AppError::Conflict),
        Err(ApplyError::NotFound) => return Err(AppError::NotFound),
        Err(ApplyError::Database(e)) => return Err(e.into()),
    };
    // the appointment set by this event: the reports judge each period by the one in force
    if let Some(due) = due.filter(|_| matches!(action, Action::Accept | Action::SupplementReceived))
    {
        sqlx::query(
            "update dossier_events set details = details || jsonb_build_object('due_at', $2::timestamptz) \
             where id = $1",
        )
        .bind(applied.event_id)
        .bind(due)
        .execute(&mut *tx)
        .await?;
    }
    if action == Action::CooperationReturned {
        // the partner's part is done: it no longer sees the dossier (Form 06 keeps the steps)
        sqlx::query(
            "update dossiers set cooperating_agency_id = null, cooperation_due_at = null where id = $1",
        )
        .bind(d.id)
        .execute(&mut *tx)
        .await?;
    }
    let mut status = applied.status;
    // an electronic result is returned as it is issued: the citizen downloads it
    if matches!(action, Action::IssueResult | Action::CorrectResult)
        && d.result_channel == "electronic"
    {
        let returned = Act::new(d.id, status, Action::ReturnElectronically, Actor::System)
            .to(None, None)
            .judged_by(d.due_at);
        status = service::apply(&mut tx, returned)
            .await
            .map_err(|_| AppError::Conflict)?
            .status;
        record_effects(
            &mut tx,
            &d,
            Action::ReturnElectronically,
            &checked,
            &cal,
            &rules,
        )
        .await?;
    }
    audit::record(
        &mut tx,
        audit::Actor::Staff(staff.id),
        &format!(
            "dossier.{}",
            action.label_key().trim_start_matches("action.")
        ),
        d.code.as_deref(),
        ip,
        json!({"to": format!("{status:?}"), "reason": reason}),
    )
    .await?;
    tx.commit().await?;
    let mut message = format!(
        "{}: {}",
        lang.t(&action.label_key()),
        lang.t(status.label_key())
    );
    if let Some(due) = due {
        message = format!(
            "{message}. {} {}",
            lang.t("reception.due"),
            format_local(due)
        );
    }
    flash::set(session, message).await;
    // the partner that returned it sees the dossier no more: back to its inbox
    let next = if action == Action::CooperationReturned {
        "/staff/inbox?view=cooperation".to_owned()
    } else {
        dossier_url(id)
    };
    Ok(Redirect::to(&next).into_response())
}

/// `POST /staff/dossiers/{id}/act`: any back-office action, named in the form.
pub async fn act(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form): Form<ActForm>,
) -> AppResult<Response> {
    let action =
        parse_action(&form.action).ok_or(AppError::BadRequest("errors.bad_request_text"))?;
    let desk = Desk {
        app: &app,
        lang,
        staff: &staff,
        session: &session,
        ip,
    };
    perform(desk, id, &form, action).await
}

/// `GET /staff/dossiers/{id}/forms/{form}`: Form 02–06 as PDF ("02.pdf"…).
pub async fn form_pdf(
    State(app): State<AppState>,
    staff: CurrentStaff,
    Path((id, form)): Path<(Uuid, String)>,
) -> AppResult<Response> {
    scoped(&app, &staff, id).await?;
    super::forms::respond(&app.db, &app.settings.public_origin, id, &form).await
}

/// Restarts the legal clock of a dossier whose supplement just arrived (Decree 118
/// Art. 19(5)): the time limit counts again from zero.
pub async fn restart_clock(conn: &mut sqlx::PgConnection, id: Uuid) -> AppResult<DateTime<Utc>> {
    let d = repo::find(conn, id).await?.ok_or(AppError::NotFound)?;
    let cal = calendar::load_for(conn, d.competent_agency_id.or(d.receiving_agency_id)).await?;
    let rules = repo::clock_rules(conn, Some(d.field_id), today()).await?;
    let due = record_effects(
        conn,
        &d,
        Action::SupplementReceived,
        &Checked::default(),
        &cal,
        &rules,
    )
    .await?;
    due.ok_or(AppError::Internal(anyhow::anyhow!(
        "no due time after a supplement"
    )))
}
