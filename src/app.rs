//! Building and running the server, so that tests can build exactly what `main` runs.

use std::net::SocketAddr;

use anyhow::Context;
use axum::Router;
use sqlx::PgPool;
use tokio::net::TcpListener;

use crate::{AppState, Settings, routes};

/// A bound, ready-to-run portal.
pub struct App {
    listener: TcpListener,
    router: Router,
    db: PgPool,
    storage: crate::storage::Storage,
    state: crate::AppState,
}

impl App {
    /// Binds the configured address (port 0 picks a free one) and builds the router.
    pub async fn build(settings: Settings, db: PgPool) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(settings.addr)
            .await
            .with_context(|| format!("cannot listen on {}", settings.addr))?;
        let state = AppState::new(db.clone(), settings);
        let storage = state.storage.as_ref().clone();
        let router = routes::router(state.clone());
        Ok(Self {
            listener,
            router,
            db,
            storage,
            state,
        })
    }

    pub fn local_addr(&self) -> anyhow::Result<SocketAddr> {
        Ok(self.listener.local_addr()?)
    }

    /// Serves until Ctrl-C or SIGTERM, then lets requests in flight finish.
    pub async fn run(self) -> anyhow::Result<()> {
        let drafts = crate::dossiers::drafts::Expiry {
            days: self.state.settings.draft_expire_days,
            notice_days: self.state.settings.draft_notice_days,
        };
        let janitor = crate::jobs::spawn(self.db.clone(), self.storage.clone(), drafts);
        let reconciler = crate::payments::reconcile::spawn(self.state.clone());
        let sandbox = crate::payments::sandbox::spawn(self.state.clone());
        let outbox = crate::notify::worker::spawn(self.state.clone())?;
        let national = crate::national::sync::spawn(self.state.clone())?;
        // the peer address feeds sign-in throttling per client address
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("server error")?;
        janitor.abort();
        reconciler.abort();
        outbox.abort();
        if let Some(national) = national {
            national.abort();
        }
        if let Some(sandbox) = sandbox {
            sandbox.abort();
        }
        Ok(())
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
