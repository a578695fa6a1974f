//! The URL map: every route of the portal, who may use it, and the layers around them.
//!
//! Each route is declared once, in its capability's `routes.rs` (the site's own few in
//! [`table`]), with its [`Access`]; `router` puts the guard (and
//! the CSRF token check on unsafe methods) on each, and the authorization-matrix test walks the
//! same table, so a new route cannot escape either.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderName, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::Session;

use crate::AppState;
use crate::accounts::Access;
pub use crate::accounts::access::RouteSpec;
use crate::accounts::access::{Route, route};
use crate::accounts::guard::guard;
use crate::web::error::ErrorMarker;
use crate::web::{csrf, error, middleware as mw, session};

/// Every route of the portal: the site's own, then each capability's.
fn table() -> Vec<Route> {
    use Access::Public;
    let mut all = vec![
        route!(GET "/ngon-ngu/{lang}" => Public, get(crate::web::lang::switch_language)),
        // the OpenAPI document of the JSON endpoints
        route!(GET "/api/openapi.json" => Public, get(crate::openapi::openapi_json)),
        route!(GET "/static/{name}" => Public, get(crate::web::assets::serve)),
        route!(GET "/healthz" => Public, get(healthz)),
        route!(GET "/readyz" => Public, get(readyz)),
    ];
    for routes in [
        crate::catalogue::routes::routes,
        crate::reports::routes::routes,
        crate::accounts::routes::routes,
        crate::notify::routes::routes,
        crate::dossiers::routes::routes,
        crate::evaluations::routes::routes,
        crate::feedback::routes::routes,
        crate::payments::routes::routes,
        crate::national::routes::routes,
        crate::reception::routes::routes,
        crate::processing::routes::routes,
        crate::postal::routes::routes,
        crate::admin::routes::routes,
    ] {
        all.extend(routes());
    }
    all
}

/// The routes and who may use them (for the authorization matrix).
pub fn specs() -> Vec<RouteSpec> {
    table().into_iter().map(|(spec, _)| spec).collect()
}

/// The whole application router, with its middleware, ready to serve.
pub fn router(state: AppState) -> Router {
    let in_process = state.router_transport.clone();
    let router = build(state);
    if let Some(transport) = in_process {
        let _ = transport.router.set(router.clone());
    }
    router
}

fn build(state: AppState) -> Router {
    let hsts = state.settings.hsts;
    // forms may lead to the payment gateways' pages (the pay button's answer is a redirect)
    let mut gateways = vec![state.gateway.pay_url.clone()];
    gateways.extend(state.platform.as_ref().map(|p| p.base().to_owned()));
    let request_id = HeaderName::from_static("x-request-id");
    let mut app: Router<AppState> = Router::new();
    for (spec, handler) in table() {
        let access = spec.access;
        let mut handler = handler;
        if spec.method != Method::GET && !matches!(access, Access::Signed | Access::Api) {
            handler = handler.route_layer(middleware::from_fn(csrf::verify_token));
        }
        let guarded = handler.route_layer(middleware::from_fn_with_state(
            state.clone(),
            move |st: State<AppState>, session: Session, request: Request, next: Next| {
                guard(st, access, session, request, next)
            },
        ));
        app = app.route(spec.path, guarded);
    }
    let csrf_layer = CsrfLayer::new().with_rejection_response(|_| {
        let mut response = StatusCode::FORBIDDEN.into_response();
        response.extensions_mut().insert(ErrorMarker {
            status: StatusCode::FORBIDDEN,
            message: "errors.csrf_text",
        });
        response
    });
    let mut app = app
        .fallback(error::not_found)
        .layer(session::layer(state.db.clone(), &state.settings))
        .layer(middleware::from_fn(move |request: Request, next: Next| {
            csrf::with_anonymous_token(hsts, request, next)
        }))
        .with_state(state)
        .layer(csrf_layer)
        // a panic becomes a 500 that `error_pages` dresses
        .layer(CatchPanicLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(middleware::from_fn(mw::error_pages));
    for header in mw::security_headers(hsts, &gateways) {
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
        // a request id the client sent is not trusted (the logs would carry whatever it says):
        // every request gets one of ours
        .layer(middleware::map_request(|mut request: Request| async move {
            request.headers_mut().remove("x-request-id");
            request
        }))
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
