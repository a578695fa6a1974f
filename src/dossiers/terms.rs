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

/// The terms of the versions this instance has seen, by version id.
#[derive(Clone)]
pub struct TermsCache(Cache<Uuid, Arc<Terms>>);

impl Default for TermsCache {
    fn default() -> Self {
        Self(Cache::builder().max_capacity(10_000).build())
    }
}

impl TermsCache {
    /// The terms of `version`, read on first use.
    pub async fn get(
        &self,
        conn: &mut PgConnection,
        version: Uuid,
    ) -> Result<Arc<Terms>, sqlx::Error> {
        if let Some(terms) = self.0.get(&version).await {
            return Ok(terms);
        }
        let terms = Arc::new(Terms {
            fields: repo::fields(conn, version).await?,
            slots: repo::slots(conn, version).await?,
            result_channels: repo::result_channels(conn, version).await?,
            fee_lines: crate::payments::repo::fee_lines(conn, version).await?,
            reductions: crate::payments::repo::reductions(conn, version).await?,
        });
        self.0.insert(version, Arc::clone(&terms)).await;
        Ok(terms)
    }
}
