//! The dossier lifecycle as one pure, exhaustive transition function (DOMAIN.md §1.4): which
//! action, by whom, leads from which status to which. The database enforces it again with a
//! conditional UPDATE on the expected status (`service::apply`).

use std::fmt;

use super::status::DossierStatus;
use crate::accounts::domain::StaffRole;

/// Who acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Citizen,
    Staff(StaffRole),
    /// The system itself (payment confirmations, time-outs).
    System,
}

/// What can happen to a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// The citizen submits the draft.
    Submit,
    /// The citizen withdraws a dossier not yet accepted.
    Withdraw,
    /// Fees are due before reception.
    RequestPayment,
    PaymentConfirmed,
    /// Reception accepts (Form 01): the clock starts.
    Accept,
    /// Reception asks for completion before acceptance (Form 02).
    ReturnForCompletion,
    /// The citizen sends the completed dossier back.
    Resubmit,
    /// Reception refuses (Form 03).
    RefuseAtReception,
    /// Reception forwards to the deciding agency.
    Forward,
    SendToCooperation,
    CooperationReturned,
    /// A supplement during appraisal (Form 02), once.
    RequestSupplement,
    /// The supplement arrived: the clock restarts.
    SupplementReceived,
    /// Unanswered for the configured days: closed.
    CloseUnanswered,
    WaitFinancial,
    FinancialDone,
    /// Processing stops at the applicant's request (Form 05).
    Stop,
    RefuseOnMerits,
    IssueResult,
    HandToPost,
    ReturnAtCounter,
    ReturnElectronically,
    Delivered,
}

impl Action {
    pub const ALL: [Self; 23] = [
        Self::Submit,
        Self::Withdraw,
        Self::RequestPayment,
        Self::PaymentConfirmed,
        Self::Accept,
        Self::ReturnForCompletion,
        Self::Resubmit,
        Self::RefuseAtReception,
        Self::Forward,
        Self::SendToCooperation,
        Self::CooperationReturned,
        Self::RequestSupplement,
        Self::SupplementReceived,
        Self::CloseUnanswered,
        Self::WaitFinancial,
        Self::FinancialDone,
        Self::Stop,
        Self::RefuseOnMerits,
        Self::IssueResult,
        Self::HandToPost,
        Self::ReturnAtCounter,
        Self::ReturnElectronically,
        Self::Delivered,
    ];

    /// Whether `actor` may take this action.
    pub fn allowed_for(self, actor: Actor) -> bool {
        use Action::*;
        use StaffRole::{CaseOfficer, DivisionHead, Postal, Reception, SigningAuthority};
        matches!(
            (self, actor),
            (Submit | Withdraw | Resubmit, Actor::Citizen)
                | (
                    RequestPayment | PaymentConfirmed | CloseUnanswered | ReturnElectronically,
                    Actor::System,
                )
                | (
                    Accept
                        | ReturnForCompletion
                        | RefuseAtReception
                        | Forward
                        | SupplementReceived
                        | Stop
                        | HandToPost
                        | ReturnAtCounter
                        | ReturnElectronically,
                    Actor::Staff(Reception),
                )
                | (
                    SendToCooperation
                        | CooperationReturned
                        | RequestSupplement
                        | WaitFinancial
                        | FinancialDone,
                    Actor::Staff(CaseOfficer | DivisionHead),
                )
                | (RefuseOnMerits | IssueResult, Actor::Staff(SigningAuthority))
                | (Delivered, Actor::Staff(Postal))
        )
    }
}

/// An action that does not apply in a status (or to this actor, or a second supplement).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IllegalTransition {
    pub from: DossierStatus,
    pub action: Action,
    pub reason: Refusal,
}

/// Why an action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not from this status.
    Status,
    /// Not by this actor.
    Actor,
    /// A supplement during appraisal is allowed once (Decree 118 Art. 19).
    SecondSupplement,
}

impl fmt::Display for IllegalTransition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} from {:?}: {:?}",
            self.action, self.from, self.reason
        )
    }
}

/// The status after `action` from `from`, or why not. `supplements` counts the supplement
/// requests already made during appraisal.
pub fn next(
    from: DossierStatus,
    action: Action,
    actor: Actor,
    supplements: u32,
) -> Result<DossierStatus, IllegalTransition> {
    use Action::*;
    use DossierStatus::*;
    let refuse = |reason| {
        Err(IllegalTransition {
            from,
            action,
            reason,
        })
    };
    if !action.allowed_for(actor) {
        return refuse(Refusal::Actor);
    }
    match (from, action) {
        (Draft, Submit) => Ok(Submitted),
        (Draft | Submitted | AwaitingPayment | ReturnedForCompletion, Withdraw) => Ok(Withdrawn),
        (Submitted, RequestPayment) => Ok(AwaitingPayment),
        (AwaitingPayment, PaymentConfirmed) => Ok(Submitted),
        (Submitted, Accept) => Ok(Received),
        (Submitted, ReturnForCompletion) => Ok(ReturnedForCompletion),
        (ReturnedForCompletion, Resubmit) => Ok(Submitted),
        (Submitted, RefuseAtReception) => Ok(RefusedAtReception),
        (Received, Forward) => Ok(Processing),
        (Processing, SendToCooperation) => Ok(WaitingCooperation),
        (WaitingCooperation, CooperationReturned) => Ok(Processing),
        (Processing, RequestSupplement) if supplements == 0 => Ok(SupplementRequested),
        (Processing, RequestSupplement) => refuse(Refusal::SecondSupplement),
        (SupplementRequested, SupplementReceived) => Ok(Processing),
        (SupplementRequested | ReturnedForCompletion, CloseUnanswered) => Ok(Stopped),
        (Processing, WaitFinancial) => Ok(WaitingFinancial),
        (WaitingFinancial, FinancialDone) => Ok(Processing),
        (
            Received | Processing | WaitingCooperation | SupplementRequested | WaitingFinancial,
            Stop,
        ) => Ok(Stopped),
        (Processing, RefuseOnMerits) => Ok(DossierStatus::RefusedOnMerits),
        (Processing, IssueResult) => Ok(ResultReady),
        (ResultReady, HandToPost) => Ok(OutForDelivery),
        (ResultReady, ReturnAtCounter | ReturnElectronically) => Ok(Returned),
        (OutForDelivery, Delivered) => Ok(Returned),
        _ => refuse(Refusal::Status),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The actor that may take an action (the first allowed one).
    fn actor_for(action: Action) -> Actor {
        let candidates = [
            Actor::Citizen,
            Actor::System,
            Actor::Staff(StaffRole::Reception),
            Actor::Staff(StaffRole::CaseOfficer),
            Actor::Staff(StaffRole::SigningAuthority),
            Actor::Staff(StaffRole::Postal),
        ];
        candidates
            .into_iter()
            .find(|a| action.allowed_for(*a))
            .unwrap()
    }

    /// Every legal (status, action) pair and its result: the whole table, as the regulations
    /// read. A change to the lifecycle shows here as a readable diff.
    #[test]
    fn the_whole_transition_table() {
        let mut table = Vec::new();
        for from in DossierStatus::ALL {
            for action in Action::ALL {
                if let Ok(to) = next(from, action, actor_for(action), 0) {
                    table.push(format!("{from:?} --{action:?}--> {to:?}"));
                }
            }
        }
        let expected = "\
Draft --Submit--> Submitted
Draft --Withdraw--> Withdrawn
Submitted --Withdraw--> Withdrawn
Submitted --RequestPayment--> AwaitingPayment
Submitted --Accept--> Received
Submitted --ReturnForCompletion--> ReturnedForCompletion
Submitted --RefuseAtReception--> RefusedAtReception
AwaitingPayment --Withdraw--> Withdrawn
AwaitingPayment --PaymentConfirmed--> Submitted
ReturnedForCompletion --Withdraw--> Withdrawn
ReturnedForCompletion --Resubmit--> Submitted
ReturnedForCompletion --CloseUnanswered--> Stopped
Received --Forward--> Processing
Received --Stop--> Stopped
Processing --SendToCooperation--> WaitingCooperation
Processing --RequestSupplement--> SupplementRequested
Processing --WaitFinancial--> WaitingFinancial
Processing --Stop--> Stopped
Processing --RefuseOnMerits--> RefusedOnMerits
Processing --IssueResult--> ResultReady
WaitingCooperation --CooperationReturned--> Processing
WaitingCooperation --Stop--> Stopped
SupplementRequested --SupplementReceived--> Processing
SupplementRequested --CloseUnanswered--> Stopped
SupplementRequested --Stop--> Stopped
WaitingFinancial --FinancialDone--> Processing
WaitingFinancial --Stop--> Stopped
ResultReady --HandToPost--> OutForDelivery
ResultReady --ReturnAtCounter--> Returned
ResultReady --ReturnElectronically--> Returned
OutForDelivery --Delivered--> Returned";
        assert_eq!(table.join("\n"), expected);
    }

    #[test]
    fn terminal_statuses_have_no_way_out() {
        for from in DossierStatus::ALL.into_iter().filter(|s| s.is_terminal()) {
            for action in Action::ALL {
                assert!(
                    next(from, action, actor_for(action), 0).is_err(),
                    "{from:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn a_second_supplement_is_refused_with_the_rule() {
        let second = next(
            DossierStatus::Processing,
            Action::RequestSupplement,
            Actor::Staff(StaffRole::CaseOfficer),
            1,
        );
        assert_eq!(second.unwrap_err().reason, Refusal::SecondSupplement);
    }

    #[test]
    fn only_the_right_people_act() {
        let by_citizen = next(DossierStatus::Submitted, Action::Accept, Actor::Citizen, 0);
        assert_eq!(by_citizen.unwrap_err().reason, Refusal::Actor);
        let by_officer = next(
            DossierStatus::Processing,
            Action::IssueResult,
            Actor::Staff(StaffRole::CaseOfficer),
            0,
        );
        assert_eq!(by_officer.unwrap_err().reason, Refusal::Actor);
        assert!(
            next(
                DossierStatus::Processing,
                Action::IssueResult,
                Actor::Staff(StaffRole::SigningAuthority),
                0
            )
            .is_ok()
        );
    }

    #[test]
    fn withdrawal_matches_the_status_rule() {
        for from in DossierStatus::ALL {
            assert_eq!(
                next(from, Action::Withdraw, Actor::Citizen, 0).is_ok(),
                from.can_withdraw(),
                "{from:?}"
            );
        }
    }
}
