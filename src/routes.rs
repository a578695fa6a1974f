//! The URL map: every route of the portal and the layers around them.

use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderName, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router, middleware};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::AppState;
use crate::catalogue::{api, citizen};
use crate::web::{assets, error, lang, middleware as mw};

/// The whole application router, with its middleware, ready to serve.
pub fn router(state: AppState) -> Router {
    let hsts = state.settings.hsts;
    let request_id = HeaderName::from_static("x-request-id");

    let mut app = Router::new()
        .route("/", get(citizen::home))
        .route("/thu-tuc", get(citizen::search_procedures))
        .route("/thu-tuc/{code}", get(citizen::show_procedure))
        .route("/bieu-mau/{slug}", get(citizen::download_form_template))
        .route("/ngon-ngu/{lang}", get(lang::switch_language))
        .route("/api/v1/procedures", get(api::list_procedures))
        .route("/api/v1/procedures/{code}", get(api::show_procedure))
        .route("/static/{name}", get(assets::serve))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .fallback(error::not_found)
        .with_state(state)
        // innermost first: a panic becomes a 500 that `error_pages` dresses
        .layer(CatchPanicLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(middleware::from_fn(mw::error_pages));
    for header in mw::security_headers(hsts) {
        app = app.layer(header);
    }
    app.layer(CompressionLayer::new())
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(
            |request: &axum::http::Request<axum::body::Body>| {
                let id = request
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                tracing::info_span!(
                    "request",
                    method = %request.method(),
                    path = %request.uri().path(),
                    request.id = %id,
                )
            },
        ))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

/// `GET /healthz`: the process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: the database answers and every migration is applied.
async fn readyz(State(app): State<AppState>) -> impl IntoResponse {
    match crate::db::migrations_current(&app.db).await {
        Ok(true) => (
            StatusCode::OK,
            Json(serde_json::json!({ "status": "ready" })),
        ),
        Ok(false) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "status": "migrations pending" })),
        ),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "database unreachable" })),
            )
        }
    }
}
