//! An official's page of a dossier and every back-office action on it: one form per action
//! the official may take now (by role, agency, status and step), one handler that checks the
//! inputs, applies the transition through `dossiers::service` and records what the action
//! changes (due times, assignee, co-operating agency…) in the same transaction.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;
use uuid::Uuid;

use super::repo::{self, ClockRules, StaffDossier};
use super::views::{ActionView, AwaitingRefundView, DossierPage, HistoryView, OptionView};
use crate::AppState;
use crate::accounts::CurrentStaff;
use crate::accounts::domain::StaffRole;
use crate::accounts::guard::staff_layout;
use crate::audit;
use crate::deadlines::calendar::{Calendar, Timeliness, timeliness, to_local, to_utc};
use crate::deadlines::repo as calendar;
use crate::dossiers::service::{self, Act, ApplyError};
use crate::dossiers::views::FileView;
use crate::dossiers::views::FormLink;
use crate::dossiers::workflow::{self, Action, Actor, Step};
use crate::dossiers::{DossierStatus, domain, repo as dossiers};
use crate::kernel::Lang;
use crate::kernel::time::format_local;
use crate::processing::service::scoped;
use crate::web::{AppError, AppResult, FormErrors, flash};

mod act;
mod page;

pub use act::*;
pub use page::*;

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
fn may(
    staff: &CurrentStaff,
    d: &StaffDossier,
    action: Action,
    now: DateTime<Utc>,
) -> Option<(StaffRole, Uuid)> {
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
            // in time, the assigned officer asks for a supplement; past the limit only the
            // head of the unit may, giving the reason (Decree 118 Art. 19(5))
            Action::RequestSupplement if role == StaffRole::CaseOfficer => {
                d.assignee_id == Some(staff.id) && !supplement_late(d, now)
            }
            Action::RequestSupplement => supplement_late(d, now),
            // the case officer's own steps are the assignee's
            Action::SendToCooperation
            | Action::WaitFinancial
            | Action::FinancialDone
            | Action::SubmitForSignature => d.assignee_id == Some(staff.id),
            Action::Reschedule => d.rescheduled_at.is_none() && d.due_at.is_some(),
            Action::ReturnElectronically => d.result_channel == "electronic",
            // a result the citizen chose to receive by post goes to the post (the postal
            // hand-over), unless the post brought it back
            Action::ReturnAtCounter => d.result_channel != "post" || d.returned_by_post,
            _ => true,
        };
        fits.then_some((role, agency))
    })
}

/// Whether a supplement request now would be late: past the limit set at acceptance, or with
/// the dossier already past its appointment.
pub(crate) fn supplement_late(d: &StaffDossier, now: DateTime<Utc>) -> bool {
    d.supplement_request_by.is_some_and(|by| now > by) || d.due_at.is_some_and(|due| now > due)
}

/// What the form of an action asks for.
/// The official works the reception desk of the dossier's receiving unit.
fn at_desk(staff: &CurrentStaff, d: &StaffDossier) -> bool {
    staff
        .roles
        .iter()
        .any(|r| r.role == StaffRole::Reception && Some(r.agency_id) == d.receiving_agency_id)
}

/// Where the reception desk hands a result to the post, when this one waits for it.
pub(super) fn postal_hand_over(staff: &CurrentStaff, d: &StaffDossier) -> Option<&'static str> {
    (at_desk(staff, d)
        && d.status == DossierStatus::ResultReady
        && d.result_channel == "post"
        && !d.returned_by_post)
        .then_some(crate::web::paths::POSTAL_DESK)
}

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

pub(crate) fn parse_action(s: &str) -> Option<Action> {
    Action::parse(s)
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
