//! What a published procedure version asks of a dossier: its questions, its document slots,
//! how its result can come back, its fees and the reductions one may claim. Publishing makes
//! a new version (issue 8) and a published version never changes, so each instance reads a
//! version's terms once and keeps them: every step of an online submission needs some of
//! them, and each was a query per request.

use std::sync::Arc;

use moka::future::Cache;
use sqlx::PgConnection;
use uuid::Uuid;

use super::domain::FieldDef;
use super::repo::{self, DocumentSlot};
use crate::payments::domain::{FeeLine, Reduction};

/// The terms of one procedure version.
#[derive(Debug)]
pub struct Terms {
    pub fields: Vec<FieldDef>,
    pub slots: Vec<DocumentSlot>,
    /// the result at the counter, by post, electronically
    pub result_channels: (bool, bool, bool),
    pub fee_lines: Vec<FeeLine>,
    pub reductions: Vec<Reduction>,
}

impl Terms {
    /// The positions of the document slots that must hold a file.
    pub fn mandatory(&self) -> Vec<i32> {
        self.slots
            .iter()
            .filter(|s| s.mandatory)
            .map(|s| s.position)
            .collect()
    }
}

/// The terms of the versions this instance has seen, by version id; and the version of the
/// citizens' dossiers it has seen, by (citizen, dossier): neither ever changes, so a step of
/// the journey finds its terms without a query and checks the dossier's owner and status in
/// its own statement.
#[derive(Clone)]
pub struct TermsCache {
    versions: Cache<Uuid, Arc<Terms>>,
    dossiers: Cache<(Uuid, Uuid), Uuid>,
}

impl Default for TermsCache {
    fn default() -> Self {
        Self {
            versions: Cache::builder().max_capacity(10_000).build(),
            dossiers: Cache::builder()
                .max_capacity(100_000)
                .time_to_idle(std::time::Duration::from_secs(24 * 3600))
                .build(),
        }
    }
}

impl TermsCache {
    /// The terms of `version`, read on first use.
    pub async fn get(
        &self,
        conn: &mut PgConnection,
        version: Uuid,
    ) -> Result<Arc<Terms>, sqlx::Error> {
        if let Some(terms) = self.versions.get(&version).await {
            return Ok(terms);
        }
        let terms = Arc::new(Terms {
            fields: repo::fields(conn, version).await?,
            slots: repo::slots(conn, version).await?,
            result_channels: repo::result_channels(conn, version).await?,
            fee_lines: crate::payments::repo::fee_lines(conn, version).await?,
            reductions: crate::payments::repo::reductions(conn, version).await?,
        });
        self.versions.insert(version, Arc::clone(&terms)).await;
        Ok(terms)
    }

    /// Remembers the version of a citizen's new dossier.
    pub async fn remember(&self, citizen: Uuid, dossier: Uuid, version: Uuid) {
        self.dossiers.insert((citizen, dossier), version).await;
    }

    /// The terms of `citizen`'s dossier `dossier`; None when it is not theirs (or does not
    /// exist). Its status is not checked: the caller's statement does.
    pub async fn of_dossier(
        &self,
        conn: &mut PgConnection,
        citizen: Uuid,
        dossier: Uuid,
    ) -> Result<Option<Arc<Terms>>, sqlx::Error> {
        let version = match self.dossiers.get(&(citizen, dossier)).await {
            Some(version) => version,
            None => match repo::version_of(conn, citizen, dossier).await? {
                Some(version) => {
                    self.remember(citizen, dossier, version).await;
                    version
                }
                None => return Ok(None),
            },
        };
        Ok(Some(self.get(conn, version).await?))
    }
}

/// The bill of a draft's submission: the version's fees due at submission for its channel and
/// answers (the first option of each choice, no reduction: both are chosen at payment). No
/// amount is assessed on a draft (officials assess the dossiers they received), so no query is
/// needed.
pub fn submission_bill(
    terms: &Terms,
    intake_channel: i16,
    answers: &std::collections::BTreeMap<String, String>,
    vi: bool,
) -> crate::payments::domain::Bill {
    let due = crate::payments::domain::submission_lines(
        &terms.fee_lines,
        intake_channel != 1,
        &std::collections::BTreeMap::new(),
    );
    crate::payments::domain::bill(&due, answers, None, vi)
}

/// What a draft owes with its submission (0: nothing to pay).
pub fn due_at_submission(
    terms: &Terms,
    intake_channel: i16,
    answers: &std::collections::BTreeMap<String, String>,
) -> i64 {
    submission_bill(terms, intake_channel, answers, true).total_vnd
}
