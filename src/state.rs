//! What every handler can reach.

use std::sync::Arc;

use axum::extract::FromRef;
use sqlx::PgPool;

use crate::catalogue::CatalogueCache;
use crate::config::Settings;

/// Shared application state; cheap to clone (handlers and layers clone it several times a
/// request, so the caches, whose clones count a dozen references each, are behind an `Arc`).
#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: PgPool,
    pub settings: Arc<Settings>,
    pub catalogue: Arc<CatalogueCache>,
    pub storage: Arc<crate::storage::Storage>,
    pub gateway: Arc<crate::payments::gateway::Gateway>,
    /// In tests the gateway reaches the portal in-process: the router is set once built.
    pub router_transport: Option<Arc<crate::payments::gateway::RouterTransport>>,
    /// The virus scanner every upload passes (`clamd_addr`; none: off).
    pub scanner: Arc<crate::virus_scan::Scanner>,
    /// The national payment platform, when `dvcqg_pay_url` names one.
    pub platform: Option<Arc<crate::payments::national::Platform>>,
    /// The public statistics' figures of each (year, month), kept `reference_cache_seconds` × 5.
    pub statistics: Arc<moka::future::Cache<(i32, u32), Arc<crate::reports::public::MonthTallies>>>,
    /// The terms of published procedure versions (they never change).
    pub terms: Arc<crate::dossiers::terms::TermsCache>,
    /// The newest published answers to feedback per (procedure code, language), kept
    /// `reference_cache_seconds`: the procedure page shows them without a query per view.
    pub published_answers: Arc<crate::feedback::views::AnswersCache>,
    /// The instant the back office acts at: the system's, or one a test sets.
    pub clock: crate::kernel::Clock,
}

impl AppState {
    pub fn new(db: PgPool, settings: Settings) -> Self {
        let catalogue = Arc::new(CatalogueCache::new(std::time::Duration::from_secs(
            settings.reference_cache_seconds,
        )));
        let storage = Arc::new(crate::storage::Storage::new(&settings.upload_dir));
        use crate::payments::gateway::{Gateway, HttpTransport, RouterTransport, Transport};
        let (transport, router_transport): (Arc<dyn Transport>, _) = if settings.env == "test" {
            let t = Arc::new(RouterTransport::default());
            (t.clone(), Some(t))
        } else {
            match HttpTransport::new() {
                Ok(t) => (Arc::new(t), None),
                Err(error) => {
                    tracing::error!(
                        error = format!("{error:#}"),
                        "no HTTP client; payments run in-process"
                    );
                    let t = Arc::new(RouterTransport::default());
                    (t.clone(), Some(t))
                }
            }
        };
        let gateway = Arc::new(Gateway::from_settings(&settings, transport));
        let scanner = Arc::new(crate::virus_scan::Scanner::new(&settings.clamd_addr));
        let platform = crate::payments::national::Platform::from_settings(&settings)
            .unwrap_or_else(|error| {
                tracing::error!(
                    error = format!("{error:#}"),
                    "no HTTP client for the national payment platform"
                );
                None
            })
            .map(Arc::new);
        let statistics = Arc::new(
            moka::future::Cache::builder()
                .max_capacity(256)
                .time_to_live(std::time::Duration::from_secs(
                    settings.reference_cache_seconds * 5,
                ))
                .build(),
        );
        let published_answers = Arc::new(
            moka::future::Cache::builder()
                .max_capacity(4096)
                .time_to_live(std::time::Duration::from_secs(
                    settings.reference_cache_seconds,
                ))
                .build(),
        );
        Self {
            db,
            settings: Arc::new(settings),
            catalogue,
            storage,
            gateway,
            router_transport,
            platform,
            scanner,
            statistics,
            terms: Arc::default(),
            published_answers,
            clock: crate::kernel::Clock::system(),
        }
    }
}
