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
    /// An official files a walk-in citizen's dossier at the counter.
    FileAtCounter,
    /// The head of division assigns (or reassigns) a case officer.
    Assign,
    /// The case officer submits the appraised dossier and draft result for signature.
    SubmitForSignature,
    /// The signing authority sends it back to the case officer.
    SendBack,
    /// The competent body apologises and sets a new date, once (Form 04).
    Reschedule,
    /// A wrong result is corrected (Decree 118 Art. 23), as its own event.
    CorrectResult,
    /// The post could not deliver the result and brought it back to the unit.
    ReturnedByPost,
}

/// Events of a dossier's history that no one takes as an action: the system hands a dossier to
/// an agency's successor (`admin::agencies::reorg`). The `dossier_actions` table knows them.
pub const SYSTEM_EVENTS: [&str; 1] = ["agency_succeeded"];

impl Action {
    pub const ALL: [Self; 30] = [
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
        Self::FileAtCounter,
        Self::Assign,
        Self::SubmitForSignature,
        Self::SendBack,
        Self::Reschedule,
        Self::CorrectResult,
        Self::ReturnedByPost,
    ];

    /// The form this action issues (Circular 03/2025 numbering), if any.
    pub fn form(self) -> Option<&'static str> {
        match self {
            Self::Accept => Some("01"),
            Self::ReturnForCompletion | Self::RequestSupplement => Some("02"),
            Self::RefuseAtReception | Self::RefuseOnMerits => Some("03"),
            Self::Reschedule => Some("04"),
            Self::Stop => Some("05"),
            _ => None,
        }
    }

    /// Whether the action needs written reasons (the database checks it again).
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            Self::ReturnForCompletion
                | Self::RefuseAtReception
                | Self::RequestSupplement
                | Self::RefuseOnMerits
                | Self::Reschedule
                | Self::CorrectResult
        )
    }

    /// The action's stable name: what the history (`dossier_events.action`, which the
    /// `dossier_actions` table checks), the forms and the message keys use. Never the variant's
    /// Rust name, so renaming a variant cannot change what the history says.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Withdraw => "withdraw",
            Self::RequestPayment => "request_payment",
            Self::PaymentConfirmed => "payment_confirmed",
            Self::Accept => "accept",
            Self::ReturnForCompletion => "return_for_completion",
            Self::Resubmit => "resubmit",
            Self::RefuseAtReception => "refuse_at_reception",
            Self::Forward => "forward",
            Self::SendToCooperation => "send_to_cooperation",
            Self::CooperationReturned => "cooperation_returned",
            Self::RequestSupplement => "request_supplement",
            Self::SupplementReceived => "supplement_received",
            Self::CloseUnanswered => "close_unanswered",
            Self::WaitFinancial => "wait_financial",
            Self::FinancialDone => "financial_done",
            Self::Stop => "stop",
            Self::RefuseOnMerits => "refuse_on_merits",
            Self::IssueResult => "issue_result",
            Self::HandToPost => "hand_to_post",
            Self::ReturnAtCounter => "return_at_counter",
            Self::ReturnElectronically => "return_electronically",
            Self::Delivered => "delivered",
            Self::FileAtCounter => "file_at_counter",
            Self::Assign => "assign",
            Self::SubmitForSignature => "submit_for_signature",
            Self::SendBack => "send_back",
            Self::Reschedule => "reschedule",
            Self::CorrectResult => "correct_result",
            Self::ReturnedByPost => "returned_by_post",
        }
    }

    /// The action of a stable name, as the history and the forms write it.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == name)
    }

    /// Message key of the action's name, as the history shows it.
    pub fn label_key(self) -> String {
        format!("action.{}", self.as_str())
    }

    /// Message key of the action as a button says it: a verb ("Accept the dossier"), where the
    /// history's label names an event ("Accepted").
    pub fn button_key(self) -> String {
        format!("do.{}", self.as_str())
    }

    /// Message key of the label of the action's reason field: each field says what it is.
    pub fn reason_key(self) -> &'static str {
        match self {
            Self::ReturnForCompletion => "reason.return_for_completion",
            Self::RefuseAtReception => "reason.refuse_at_reception",
            Self::RefuseOnMerits => "reason.refuse_on_merits",
            Self::RequestSupplement => "reason.request_supplement",
            Self::Reschedule => "reason.reschedule",
            Self::CorrectResult => "reason.correct_result",
            Self::SendToCooperation => "processing.cooperation_request",
            _ => "reason.other",
        }
    }

    /// Whether `actor` may take this action.
    pub fn allowed_for(self, actor: Actor) -> bool {
        use Action::*;
        use StaffRole::{CaseOfficer, DivisionHead, Postal, Reception, SigningAuthority};
        matches!(
            (self, actor),
            (
                Submit | Withdraw | Resubmit | Stop | SupplementReceived,
                Actor::Citizen
            ) | (
                RequestPayment | PaymentConfirmed | CloseUnanswered | ReturnElectronically,
                Actor::System,
            ) | (
                Accept
                    | RequestPayment
                    | PaymentConfirmed
                    | ReturnForCompletion
                    | RefuseAtReception
                    | Forward
                    | SupplementReceived
                    | Stop
                    | HandToPost
                    | ReturnAtCounter
                    | ReturnElectronically
                    | FileAtCounter,
                Actor::Staff(Reception),
            ) | (
                SendToCooperation
                    | CooperationReturned
                    | RequestSupplement
                    | WaitFinancial
                    | FinancialDone
                    | SubmitForSignature,
                Actor::Staff(CaseOfficer),
            ) | (Assign, Actor::Staff(DivisionHead))
                // past its time limit a supplement request is the head's (Decree 118 Art. 19(5))
                | (RequestSupplement, Actor::Staff(DivisionHead))
                | (Reschedule, Actor::Staff(DivisionHead | SigningAuthority))
                | (
                    RefuseOnMerits | IssueResult | SendBack | CorrectResult,
                    Actor::Staff(SigningAuthority),
                )
                | (Delivered | ReturnedByPost, Actor::Staff(Postal))
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
    /// Not at this step of processing (e.g. signing before appraisal).
    Step,
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
        (Draft, Submit | FileAtCounter) => Ok(Submitted),
        (Draft | Submitted | AwaitingPayment | ReturnedForCompletion, Withdraw) => Ok(Withdrawn),
        (Submitted, RequestPayment) => Ok(AwaitingPayment),
        (AwaitingPayment, PaymentConfirmed) => Ok(Submitted),
        (Submitted, Accept) => Ok(Received),
        (Submitted, ReturnForCompletion) => Ok(ReturnedForCompletion),
        (ReturnedForCompletion, Resubmit) => Ok(Submitted),
        (Submitted, RefuseAtReception) => Ok(RefusedAtReception),
        (Received, Forward) => Ok(Processing),
        (Processing, Assign | SubmitForSignature | SendBack) => Ok(Processing),
        (
            Received | Processing | WaitingCooperation | SupplementRequested | WaitingFinancial,
            Reschedule,
        ) => Ok(from),
        (ResultReady | Returned, CorrectResult) => Ok(ResultReady),
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
        (OutForDelivery, ReturnedByPost) => Ok(ResultReady),
        _ => refuse(Refusal::Status),
    }
}

/// Where a dossier stands inside "processing" (DOMAIN §1.4 row 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize)]
#[sqlx(type_name = "processing_step", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Waiting for the head of division to assign a case officer.
    Assignment,
    /// The case officer appraises and drafts the result.
    Appraisal,
    /// Waiting for the signing authority.
    Signature,
}

impl Step {
    pub const ALL: [Self; 3] = [Self::Assignment, Self::Appraisal, Self::Signature];

    pub fn label_key(self) -> &'static str {
        match self {
            Self::Assignment => "step.assignment",
            Self::Appraisal => "step.appraisal",
            Self::Signature => "step.signature",
        }
    }
}

/// The processing step after `action` took the dossier from `from` (at `step`) to `to`; a
/// refusal when the action does not fit the step (signing before appraisal, say).
pub fn step_after(
    from: DossierStatus,
    step: Option<Step>,
    action: Action,
    to: DossierStatus,
) -> Result<Option<Step>, IllegalTransition> {
    use Action::*;
    let refuse = Err(IllegalTransition {
        from,
        action,
        reason: Refusal::Step,
    });
    if to != DossierStatus::Processing {
        let fits = match action {
            IssueResult | RefuseOnMerits => step == Some(Step::Signature),
            SendToCooperation | RequestSupplement | WaitFinancial => step == Some(Step::Appraisal),
            _ => true,
        };
        return if fits { Ok(None) } else { refuse };
    }
    match (step, action) {
        (_, Forward) => Ok(Some(Step::Assignment)),
        (Some(Step::Assignment | Step::Appraisal), Assign) => Ok(Some(Step::Appraisal)),
        (Some(Step::Appraisal), SubmitForSignature) => Ok(Some(Step::Signature)),
        (Some(Step::Signature), SendBack) => Ok(Some(Step::Appraisal)),
        (_, CooperationReturned | SupplementReceived | FinancialDone) => Ok(Some(Step::Appraisal)),
        (Some(s), Reschedule) => Ok(Some(s)),
        _ => refuse,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_one_stable_name_the_database_knows() {
        // ALL holds every variant: the exhaustive match below fails to compile on a new one,
        // and each arm must find its variant in ALL
        fn listed(a: Action) -> bool {
            match a {
                Action::Submit
                | Action::Withdraw
                | Action::RequestPayment
                | Action::PaymentConfirmed
                | Action::Accept
                | Action::ReturnForCompletion
                | Action::Resubmit
                | Action::RefuseAtReception
                | Action::Forward
                | Action::SendToCooperation
                | Action::CooperationReturned
                | Action::RequestSupplement
                | Action::SupplementReceived
                | Action::CloseUnanswered
                | Action::WaitFinancial
                | Action::FinancialDone
                | Action::Stop
                | Action::RefuseOnMerits
                | Action::IssueResult
                | Action::HandToPost
                | Action::ReturnAtCounter
                | Action::ReturnElectronically
                | Action::Delivered
                | Action::FileAtCounter
                | Action::Assign
                | Action::SubmitForSignature
                | Action::SendBack
                | Action::Reschedule
                | Action::CorrectResult
                | Action::ReturnedByPost => Action::ALL.contains(&a),
            }
        }
        let migration = include_str!("../../migrations/20261207000052_dossier_action_names.up.sql");
        let mut names = std::collections::BTreeSet::new();
        for a in Action::ALL {
            assert!(listed(a));
            assert_eq!(Action::parse(a.as_str()), Some(a));
            assert!(names.insert(a.as_str()), "{} twice", a.as_str());
            assert!(
                migration.contains(&format!("('{}', '{a:?}')", a.as_str())),
                "{} is not in the dossier_actions table",
                a.as_str()
            );
            assert!(
                a.as_str()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_'),
                "{}",
                a.as_str()
            );
        }
        let mapped = migration
            .lines()
            .filter(|l| l.trim_start().starts_with("('") && l.contains("', '"))
            .count();
        assert_eq!(
            mapped,
            Action::ALL.len() + SYSTEM_EVENTS.len(),
            "the table names no other action"
        );
        for event in SYSTEM_EVENTS {
            assert!(migration.contains(&format!("('{event}', '")), "{event}");
            assert_eq!(Action::parse(event), None);
        }
        assert_eq!(Action::parse("Accept"), None, "no Debug names");
    }

    /// The actor that may take an action (the first allowed one).
    fn actor_for(action: Action) -> Actor {
        let candidates = [
            Actor::Citizen,
            Actor::System,
            Actor::Staff(StaffRole::Reception),
            Actor::Staff(StaffRole::CaseOfficer),
            Actor::Staff(StaffRole::DivisionHead),
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
Draft --FileAtCounter--> Submitted
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
Received --Reschedule--> Received
Processing --SendToCooperation--> WaitingCooperation
Processing --RequestSupplement--> SupplementRequested
Processing --WaitFinancial--> WaitingFinancial
Processing --Stop--> Stopped
Processing --RefuseOnMerits--> RefusedOnMerits
Processing --IssueResult--> ResultReady
Processing --Assign--> Processing
Processing --SubmitForSignature--> Processing
Processing --SendBack--> Processing
Processing --Reschedule--> Processing
WaitingCooperation --CooperationReturned--> Processing
WaitingCooperation --Stop--> Stopped
WaitingCooperation --Reschedule--> WaitingCooperation
SupplementRequested --SupplementReceived--> Processing
SupplementRequested --CloseUnanswered--> Stopped
SupplementRequested --Stop--> Stopped
SupplementRequested --Reschedule--> SupplementRequested
WaitingFinancial --FinancialDone--> Processing
WaitingFinancial --Stop--> Stopped
WaitingFinancial --Reschedule--> WaitingFinancial
ResultReady --HandToPost--> OutForDelivery
ResultReady --ReturnAtCounter--> Returned
ResultReady --ReturnElectronically--> Returned
ResultReady --CorrectResult--> ResultReady
OutForDelivery --Delivered--> Returned
OutForDelivery --ReturnedByPost--> ResultReady
Returned --CorrectResult--> ResultReady";
        assert_eq!(table.join("\n"), expected);
    }

    /// Closed dossiers stay closed, except that a wrong result is corrected (Decree 118
    /// Art. 23; the handler checks the 3 working days).
    #[test]
    fn terminal_statuses_have_no_way_out() {
        for from in DossierStatus::ALL.into_iter().filter(|s| s.is_terminal()) {
            for action in Action::ALL
                .into_iter()
                .filter(|a| !(*a == Action::CorrectResult && from == DossierStatus::Returned))
            {
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

    /// The steps of processing, in full: which action from which step leads where.
    #[test]
    fn the_whole_step_table() {
        let mut table = Vec::new();
        let steps = std::iter::once(None).chain(Step::ALL.into_iter().map(Some));
        for step in steps {
            for action in Action::ALL {
                let from = match action {
                    Action::Forward => DossierStatus::Received,
                    Action::CooperationReturned => DossierStatus::WaitingCooperation,
                    Action::SupplementReceived => DossierStatus::SupplementRequested,
                    Action::FinancialDone => DossierStatus::WaitingFinancial,
                    _ => DossierStatus::Processing,
                };
                let step = if from == DossierStatus::Processing {
                    step
                } else {
                    None
                };
                let Ok(to) = next(from, action, actor_for(action), 0) else {
                    continue;
                };
                if let Ok(after) = step_after(from, step, action, to) {
                    table.push(format!("{step:?} --{action:?}--> {to:?} {after:?}"));
                }
            }
        }
        table.sort();
        table.dedup();
        let expected = "\
None --CooperationReturned--> Processing Some(Appraisal)
None --FinancialDone--> Processing Some(Appraisal)
None --Forward--> Processing Some(Assignment)
None --Stop--> Stopped None
None --SupplementReceived--> Processing Some(Appraisal)
Some(Appraisal) --Assign--> Processing Some(Appraisal)
Some(Appraisal) --RequestSupplement--> SupplementRequested None
Some(Appraisal) --Reschedule--> Processing Some(Appraisal)
Some(Appraisal) --SendToCooperation--> WaitingCooperation None
Some(Appraisal) --Stop--> Stopped None
Some(Appraisal) --SubmitForSignature--> Processing Some(Signature)
Some(Appraisal) --WaitFinancial--> WaitingFinancial None
Some(Assignment) --Assign--> Processing Some(Appraisal)
Some(Assignment) --Reschedule--> Processing Some(Assignment)
Some(Assignment) --Stop--> Stopped None
Some(Signature) --IssueResult--> ResultReady None
Some(Signature) --RefuseOnMerits--> RefusedOnMerits None
Some(Signature) --Reschedule--> Processing Some(Signature)
Some(Signature) --SendBack--> Processing Some(Appraisal)
Some(Signature) --Stop--> Stopped None";
        assert_eq!(table.join("\n"), expected);
    }

    #[test]
    fn action_labels_are_message_keys() {
        assert_eq!(
            Action::SubmitForSignature.label_key(),
            "action.submit_for_signature"
        );
        for action in Action::ALL {
            for lang in [crate::kernel::Lang::Vi, crate::kernel::Lang::En] {
                for key in [
                    action.label_key(),
                    action.button_key(),
                    action.reason_key().to_owned(),
                ] {
                    assert_ne!(lang.t(&key), key, "{action:?} has no {lang:?} {key}");
                }
            }
        }
        // a button is a verb, the history an event
        let en = crate::kernel::Lang::En;
        assert_eq!(
            en.t(&Action::Accept.button_key()),
            "Accept the dossier (Form 01)"
        );
        assert_eq!(en.t(&Action::Accept.label_key()), "Accepted (Form 01)");
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
