//! The OpenAPI 3.1 document of every JSON endpoint (`GET /api/openapi.json`), generated from the
//! handlers' annotations and the types they read and write (utoipa), so that it cannot drift
//! from the code unnoticed: a test checks that it names exactly the `/api/` routes the router
//! serves, with their methods.

use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::web::error::{ApiError, ApiErrorBody};

/// The signatures the callers (the national portal, the payment gateway, the postal operator)
/// put on their calls.
struct Signatures;

impl Modify for Signatures {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "dvcqg_signature",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-DVCQG-Signature",
                "sha256=<hex HMAC-SHA-256 of \"<X-DVCQG-Timestamp>.<body>\" under the shared push secret>; X-DVCQG-Timestamp is Unix seconds within 5 minutes",
            ))),
        );
        components.add_security_scheme(
            "postal_signature",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Postal-Signature",
                "sha256=<hex HMAC-SHA-256 of the body under the shared webhook secret>",
            ))),
        );
        components.add_security_scheme(
            "vnpay_hash",
            SecurityScheme::ApiKey(ApiKey::Query(ApiKeyValue::with_description(
                "vnp_SecureHash",
                "HMAC-SHA512 of the sorted vnp_ parameters under the merchant's secret",
            ))),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Một Cửa",
        description = "The JSON endpoints of the one-stop portal: the open catalogue and statistics, dossier tracking, and the calls of the national portal (DVCQG), the payment gateway and the postal operator."
    ),
    paths(
        openapi_json,
        crate::catalogue::api::list_procedures,
        crate::catalogue::api::show_procedure,
        crate::reports::public::api,
        crate::dossiers::tracking::track_api,
        crate::payments::ipn::ipn,
        crate::payments::platform::confirm,
        crate::postal::webhook::events,
        crate::national::inbound::push,
        crate::national::links::fetch,
    ),
    components(schemas(ApiError, ApiErrorBody)),
    modifiers(&Signatures),
    tags(
        (name = "catalogue", description = "Procedures in force (open data)"),
        (name = "statistics", description = "Published figures (Decision 766)"),
        (name = "dossiers", description = "Tracking a dossier"),
        (name = "payments", description = "The payment gateway's notifications"),
        (name = "post", description = "The postal operator's events"),
        (name = "national", description = "The National Public Service Portal (DVCQG)"),
    )
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`
#[utoipa::path(get, path = "/api/openapi.json", tag = "catalogue",
    summary = "This document",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Method;

    fn method_of(item: &utoipa::openapi::PathItem, method: &Method) -> bool {
        match *method {
            Method::GET => item.get.is_some(),
            Method::POST => item.post.is_some(),
            Method::PUT => item.put.is_some(),
            Method::DELETE => item.delete.is_some(),
            _ => false,
        }
    }

    #[test]
    fn the_document_names_exactly_the_api_routes_the_router_serves() {
        let doc = ApiDoc::openapi();
        let served: Vec<(Method, &str)> = crate::routes::specs()
            .into_iter()
            .filter(|s| s.path.starts_with("/api/"))
            .map(|s| (s.method, s.path))
            .collect();
        assert!(served.len() >= 9, "{served:?}");
        for (method, path) in &served {
            let item = doc
                .paths
                .paths
                .get(*path)
                .unwrap_or_else(|| panic!("{method} {path} is served but not documented"));
            assert!(method_of(item, method), "{method} {path} not documented");
        }
        for (path, item) in &doc.paths.paths {
            for method in [Method::GET, Method::POST, Method::PUT, Method::DELETE] {
                if method_of(item, &method) {
                    assert!(
                        served.iter().any(|(m, p)| *m == method && p == path),
                        "{method} {path} is documented but not served"
                    );
                }
            }
        }
    }

    #[test]
    fn the_document_is_openapi_3_1_with_schemas_and_the_callers_signatures() {
        let json = serde_json::to_value(ApiDoc::openapi()).unwrap();
        assert_eq!(json["openapi"], "3.1.0");
        let schemas = &json["components"]["schemas"];
        for name in [
            "ProcedureDetail",
            "ProcedureList",
            "Statistics",
            "TrackForm",
            "TrackAnswer",
            "InboundDossier",
            "IntakeAnswer",
            "Event",
            "IpnReply",
            "ApiError",
        ] {
            assert!(schemas.get(name).is_some(), "schema {name}");
        }
        let schemes = &json["components"]["securitySchemes"];
        assert_eq!(schemes["dvcqg_signature"]["name"], "X-DVCQG-Signature");
        let push = &json["paths"]["/api/v1/dvcqg/dossiers"]["post"];
        assert!(push["responses"].get("401").is_some());
        assert!(push["responses"].get("422").is_some());
        assert_eq!(
            push["security"][0]["dvcqg_signature"],
            serde_json::json!([])
        );
    }
}
