//! Reference data every catalogue page needs (fields, agencies, the most used procedures),
//! kept in memory for a few seconds so that pages do not count the whole catalogue each time.

use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::PgPool;
use tokio::sync::{Mutex, RwLock};

use super::repo::{self, AgencyEntry, FieldCount, ProcedureSummary};

/// A snapshot of the reference data.
#[derive(Debug)]
pub struct Reference {
    pub fields: Vec<FieldCount>,
    pub agencies: Vec<AgencyEntry>,
    pub most_used: Vec<ProcedureSummary>,
}

impl Reference {
    pub fn field(&self, code: &str) -> Option<&FieldCount> {
        self.fields.iter().find(|f| f.code == code)
    }

    pub fn agency(&self, slug: &str) -> Option<&AgencyEntry> {
        self.agencies.iter().find(|a| a.slug == slug)
    }
}

/// Time-limited cache of [`Reference`]. One request refreshes it; the others keep using the
/// previous snapshot meanwhile.
pub struct RefCache {
    ttl: Duration,
    current: RwLock<Option<(Instant, Arc<Reference>)>>,
    refreshing: Mutex<()>,
}

impl RefCache {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            current: RwLock::new(None),
            refreshing: Mutex::new(()),
        }
    }

    pub async fn get(&self, db: &PgPool) -> Result<Arc<Reference>, sqlx::Error> {
        let stale = {
            let current = self.current.read().await;
            match current.as_ref() {
                Some((at, data)) if at.elapsed() < self.ttl => return Ok(Arc::clone(data)),
                Some((_, data)) => Some(Arc::clone(data)),
                None => None,
            }
        };
        let _guard = match (self.refreshing.try_lock(), stale) {
            (Ok(guard), _) => guard,
            // somebody else is refreshing: serve the previous snapshot
            (Err(_), Some(data)) => return Ok(data),
            (Err(_), None) => self.refreshing.lock().await,
        };
        if let Some((at, data)) = self.current.read().await.as_ref()
            && at.elapsed() < self.ttl
        {
            return Ok(Arc::clone(data));
        }
        let fresh = Arc::new(Reference {
            fields: repo::field_counts(db).await?,
            agencies: repo::agencies_in_force(db).await?,
            most_used: repo::most_used(db, 8).await?,
        });
        *self.current.write().await = Some((Instant::now(), Arc::clone(&fresh)));
        Ok(fresh)
    }
}
