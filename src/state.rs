//! What every handler can reach.

use std::sync::Arc;

use axum::extract::FromRef;
use sqlx::PgPool;

use crate::catalogue::CatalogueCache;
use crate::config::Settings;

/// Shared application state; cheap to clone.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: PgPool,
    pub settings: Arc<Settings>,
    pub catalogue: Arc<CatalogueCache>,
}

impl AppState {
    pub fn new(db: PgPool, settings: Settings) -> Self {
        let catalogue = Arc::new(CatalogueCache::new(std::time::Duration::from_secs(
            settings.reference_cache_seconds,
        )));
        Self {
            db,
            settings: Arc::new(settings),
            catalogue,
        }
    }
}
