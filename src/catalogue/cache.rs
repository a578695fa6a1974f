//! What the catalogue keeps in memory for a few seconds (`reference_cache_seconds`):
//! - reference data every page needs (fields, agencies and their kinds, the most used
//!   procedures), so that pages do not count the whole catalogue each time;
//! - search result pages, keyed by the folded words and filters (so "Đăng ký" and "dang ky"
//!   share an entry), and procedure pages. A catalogue changes when a new version is
//!   published, a few times a month; citizens repeat the same few searches all day.
//!
//! A TTL of 0 (the tests) turns every cache off.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use moka::future::Cache;
use sqlx::PgPool;
use tokio::sync::{Mutex, RwLock};
use uuid::Uuid;

use super::domain::{Search, SearchKey};
use super::repo::{
    self, AgencyEntry, AgencyKind, AgencyScope, FieldCount, ProcedureDetail, ProcedureRow,
    ProcedureSummary, SearchPage,
};

/// A snapshot of the reference data.
#[derive(Debug)]
pub struct Reference {
    pub fields: Vec<FieldCount>,
    pub agencies: Vec<AgencyEntry>,
    pub most_used: Vec<ProcedureSummary>,
    kinds: HashMap<String, AgencyKind>,
    field_index: HashMap<Uuid, usize>,
    agency_index: HashMap<Uuid, usize>,
}

impl Reference {
    fn new(fields: Vec<FieldCount>, agencies: Vec<AgencyEntry>, kinds: Vec<AgencyKind>) -> Self {
        Self {
            field_index: fields.iter().enumerate().map(|(i, f)| (f.id, i)).collect(),
            agency_index: agencies
                .iter()
                .enumerate()
                .map(|(i, a)| (a.id, i))
                .collect(),
            kinds: kinds.into_iter().map(|k| (k.code.clone(), k)).collect(),
            fields,
            agencies,
            most_used: Vec::new(),
        }
    }

    pub fn field(&self, code: &str) -> Option<&FieldCount> {
        self.fields.iter().find(|f| f.code == code)
    }

    pub fn agency(&self, slug: &str) -> Option<&AgencyEntry> {
        self.agencies.iter().find(|a| a.slug == slug)
    }

    /// Names a stored row: its field, and its named agency or else its kind's group label.
    pub fn summarize(&self, row: &ProcedureRow) -> ProcedureSummary {
        let field = self
            .field_index
            .get(&row.field_id)
            .map(|&i| &self.fields[i]);
        let agency = row
            .competent_agency_id
            .and_then(|id| self.agency_index.get(&id))
            .map(|&i| &self.agencies[i]);
        let kind = self.kinds.get(&row.competent_kind);
        let (competent_vi, competent_en) = match (agency, kind) {
            (Some(a), _) => (a.name_vi.clone(), a.name_en.clone()),
            (None, Some(k)) => (k.group_vi.clone(), k.group_en.clone()),
            (None, None) => (row.competent_kind.clone(), row.competent_kind.clone()),
        };
        ProcedureSummary {
            code: row.code.clone(),
            name_vi: row.name_vi.clone(),
            name_en: row.name_en.clone(),
            online_level: row.online_level,
            field_code: field.map(|f| f.code.clone()).unwrap_or_default(),
            field_vi: field.map(|f| f.name_vi.clone()).unwrap_or_default(),
            field_en: field.map(|f| f.name_en.clone()).unwrap_or_default(),
            competent_vi,
            competent_en,
            time_limit_value: row.time_limit_value,
            time_limit_unit: row.time_limit_unit,
        }
    }
}

/// Most searches and procedure pages kept in memory at once.
const MAX_SEARCHES: u64 = 10_000;
const MAX_PROCEDURES: u64 = 20_000;

/// The catalogue's caches; see the module documentation.
pub struct CatalogueCache {
    ttl: Duration,
    reference: RwLock<Option<(Instant, Arc<Reference>)>>,
    refreshing: Mutex<()>,
    searches: Option<Cache<SearchKey, Arc<SearchPage>>>,
    procedures: Option<Cache<String, Option<Arc<ProcedureDetail>>>>,
}

impl CatalogueCache {
    pub fn new(ttl: Duration) -> Self {
        let enabled = !ttl.is_zero();
        Self {
            ttl,
            reference: RwLock::new(None),
            refreshing: Mutex::new(()),
            searches: enabled.then(|| {
                Cache::builder()
                    .max_capacity(MAX_SEARCHES)
                    .time_to_live(ttl)
                    .build()
            }),
            procedures: enabled.then(|| {
                Cache::builder()
                    .max_capacity(MAX_PROCEDURES)
                    .time_to_live(ttl)
                    .build()
            }),
        }
    }

    /// Forgets every cached page (the catalogue changed: an approved level, say). Other
    /// instances catch up within their time to live.
    pub async fn clear(&self) {
        if let Some(c) = &self.searches {
            c.invalidate_all();
        }
        if let Some(c) = &self.procedures {
            c.invalidate_all();
        }
        *self.reference.write().await = None;
    }

    /// The reference data. One request refreshes it when stale; the others keep using the
    /// previous snapshot meanwhile.
    pub async fn reference(&self, db: &PgPool) -> Result<Arc<Reference>, sqlx::Error> {
        let stale = {
            let current = self.reference.read().await;
            match current.as_ref() {
                Some((at, data)) if at.elapsed() < self.ttl => return Ok(Arc::clone(data)),
                Some((_, data)) => Some(Arc::clone(data)),
                None => None,
            }
        };
        let _guard = match (self.refreshing.try_lock(), stale) {
            (Ok(guard), _) => guard,
            (Err(_), Some(data)) => return Ok(data),
            (Err(_), None) => self.refreshing.lock().await,
        };
        if let Some((at, data)) = self.reference.read().await.as_ref()
            && at.elapsed() < self.ttl
        {
            return Ok(Arc::clone(data));
        }
        let mut fresh = Reference::new(
            repo::field_counts(db).await?,
            repo::agencies_in_force(db).await?,
            repo::agency_kinds(db).await?,
        );
        fresh.most_used = repo::most_used(db, 8)
            .await?
            .iter()
            .map(|row| fresh.summarize(row))
            .collect();
        let fresh = Arc::new(fresh);
        *self.reference.write().await = Some((Instant::now(), Arc::clone(&fresh)));
        Ok(fresh)
    }

    /// One page of a search, from memory when the same search ran recently.
    pub async fn search(
        &self,
        db: &PgPool,
        search: &Search,
        reference: &Reference,
    ) -> Result<Arc<SearchPage>, sqlx::Error> {
        let agency = search
            .agency
            .as_deref()
            .and_then(|s| reference.agency(s))
            .map(|a| AgencyScope {
                id: a.id,
                kind: &a.kind,
            });
        let field_id = search
            .field
            .as_deref()
            .and_then(|c| reference.field(c))
            .map(|f| f.id);
        let run = async {
            repo::search(db, search, agency, field_id)
                .await
                .map(Arc::new)
        };
        match &self.searches {
            Some(cache) => cache
                .try_get_with(search.cache_key(), run)
                .await
                .map_err(|e| unshare(&e)),
            None => run.await,
        }
    }

    /// The procedure with this national code in its version in force, from memory when it was
    /// shown recently.
    pub async fn procedure(
        &self,
        db: &PgPool,
        code: &str,
    ) -> Result<Option<Arc<ProcedureDetail>>, sqlx::Error> {
        let load = async {
            let mut conn = db.acquire().await?;
            Ok(repo::find_procedure(&mut conn, code).await?.map(Arc::new))
        };
        match &self.procedures {
            Some(cache) => cache
                .try_get_with(code.to_owned(), load)
                .await
                .map_err(|e| unshare(&e)),
            None => load.await,
        }
    }
}

/// moka shares one error between every waiter; give each its own.
fn unshare(error: &sqlx::Error) -> sqlx::Error {
    sqlx::Error::Protocol(error.to_string())
}
