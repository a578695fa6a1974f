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
    pub storage: Arc<crate::storage::Storage>,
}

impl AppState {
    pub fn new(db: PgPool, settings: Settings) -> Self {
        let catalogue = Arc::new(CatalogueCache::new(std::time::Duration::from_secs(
            settings.reference_cache_seconds,
        )));
        let storage = Arc::new(crate::storage::Storage::new(&settings.upload_dir));
        Self {
            db,
            settings: Arc::new(settings),
            catalogue,
            storage,
        }
    }
}
