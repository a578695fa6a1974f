//! The dossier lifecycle's states (DOMAIN.md §1.4), as stored (`dossier_status`).

use serde::Serialize;

/// Where a dossier stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type, Serialize, utoipa::ToSchema)]
#[sqlx(type_name = "dossier_status", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum DossierStatus {
    Draft,
    Submitted,
    AwaitingPayment,
    ReturnedForCompletion,
    RefusedAtReception,
    Received,
    Processing,
    WaitingCooperation,
    SupplementRequested,
    WaitingFinancial,
    Stopped,
    Withdrawn,
    RefusedOnMerits,
    ResultReady,
    OutForDelivery,
    Returned,
}

impl DossierStatus {
    pub const ALL: [Self; 16] = [
        Self::Draft,
        Self::Submitted,
        Self::AwaitingPayment,
        Self::ReturnedForCompletion,
        Self::RefusedAtReception,
        Self::Received,
        Self::Processing,
        Self::WaitingCooperation,
        Self::SupplementRequested,
        Self::WaitingFinancial,
        Self::Stopped,
        Self::Withdrawn,
        Self::RefusedOnMerits,
        Self::ResultReady,
        Self::OutForDelivery,
        Self::Returned,
    ];

    /// Message key of the status in plain words for citizens.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Draft => "status.draft",
            Self::Submitted => "status.submitted",
            Self::AwaitingPayment => "status.awaiting_payment",
            Self::ReturnedForCompletion => "status.returned_for_completion",
            Self::RefusedAtReception => "status.refused_at_reception",
            Self::Received => "status.received",
            Self::Processing => "status.processing",
            Self::WaitingCooperation => "status.waiting_cooperation",
            Self::SupplementRequested => "status.supplement_requested",
            Self::WaitingFinancial => "status.waiting_financial",
            Self::Stopped => "status.stopped",
            Self::Withdrawn => "status.withdrawn",
            Self::RefusedOnMerits => "status.refused_on_merits",
            Self::ResultReady => "status.result_ready",
            Self::OutForDelivery => "status.out_for_delivery",
            Self::Returned => "status.returned",
        }
    }

    /// No further step: the dossier is closed.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Self::RefusedAtReception
                | Self::Stopped
                | Self::Withdrawn
                | Self::RefusedOnMerits
                | Self::Returned
        )
    }

    /// The legal clock runs (from acceptance until the result is ready), DOMAIN §1.4.
    pub fn clock_runs(self) -> bool {
        matches!(
            self,
            Self::Received | Self::Processing | Self::WaitingCooperation
        )
    }

    /// The citizen may still withdraw it: not yet accepted by an official.
    pub fn can_withdraw(self) -> bool {
        matches!(
            self,
            Self::Draft | Self::Submitted | Self::AwaitingPayment | Self::ReturnedForCompletion
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_is_named_in_both_languages() {
        for status in DossierStatus::ALL {
            for lang in [crate::kernel::Lang::Vi, crate::kernel::Lang::En] {
                let label = lang.t(status.label_key());
                assert_ne!(
                    label,
                    status.label_key(),
                    "{status:?} has no {lang:?} label"
                );
            }
        }
    }

    #[test]
    fn withdrawal_ends_with_acceptance_and_terminal_states_are_final() {
        assert!(DossierStatus::Submitted.can_withdraw());
        assert!(!DossierStatus::Received.can_withdraw());
        for status in DossierStatus::ALL {
            assert!(
                !(status.is_terminal() && status.can_withdraw()),
                "{status:?}"
            );
            assert!(!(status.is_terminal() && status.clock_runs()), "{status:?}");
        }
    }
}
