//! The open-data JSON API.

use axum::http::StatusCode;
use serde_json::Value;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_list_pages_with_cursors() {
    let app = TestApp::with_demo().await;
    let first: Value = app.server.get("/api/v1/procedures").await.json();
    let items = first["items"].as_array().unwrap();
    assert_eq!(items.len(), 20);
    assert!(items[0]["url"].as_str().unwrap().contains("/thu-tuc/"));
    let cursor = first["next_cursor"].as_str().unwrap();
    let second: Value = app
        .server
        .get("/api/v1/procedures")
        .add_query_param("cursor", cursor)
        .await
        .json();
    let codes = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["code"].as_str().unwrap().to_owned())
            .collect()
    };
    let (a, b) = (codes(&first), codes(&second));
    assert!(!b.is_empty());
    assert!(a.iter().all(|c| !b.contains(c)), "pages do not overlap");
}

#[tokio::test]
async fn the_list_searches_and_filters() {
    let app = TestApp::with_demo().await;
    let found: Value = app
        .server
        .get("/api/v1/procedures")
        .add_query_param("q", "DANG KY KET HON")
        .await
        .json();
    assert_eq!(found["items"][0]["code"], "1.000894");
    assert_eq!(found["items"][0]["name_vi"], "Đăng ký kết hôn");
    let full: Value = app
        .server
        .get("/api/v1/procedures")
        .add_query_param("level", "full")
        .await
        .json();
    assert!(
        full["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["online_level"] == "full")
    );
}

#[tokio::test]
async fn a_procedure_in_full() {
    let app = TestApp::with_demo().await;
    let response = app.server.get("/api/v1/procedures/1.004222").await;
    response.assert_status_ok();
    let p: Value = response.json();
    assert_eq!(p["code"], "1.004222");
    assert!(!p["documents"].as_array().unwrap().is_empty());
    let amounts: Vec<i64> = p["fees"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["amount_vnd"].as_i64())
        .collect();
    assert!(
        amounts.contains(&20_000) && amounts.contains(&10_000),
        "{amounts:?}"
    );
}

#[tokio::test]
async fn errors_are_json_too() {
    let app = TestApp::with_demo().await;
    let missing = app.server.get("/api/v1/procedures/9.999999").await;
    assert_eq!(missing.status_code(), StatusCode::NOT_FOUND);
    assert_eq!(missing.json::<Value>()["error"]["status"], 404);
    let malformed = app.server.get("/api/v1/procedures/nope").await;
    assert_eq!(malformed.status_code(), StatusCode::NOT_FOUND);
    let bad = app.server.get("/api/v1/procedures?level=9").await;
    assert_eq!(bad.status_code(), StatusCode::BAD_REQUEST);
    let body: Value = bad.json();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("không hợp lệ")
    );
    let long = app
        .server
        .get("/api/v1/procedures")
        .add_query_param("q", "x".repeat(201))
        .await;
    assert_eq!(long.status_code(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_openapi_document_describes_the_json_endpoints() {
    let app = TestApp::with_demo().await;
    let response = app.server.get("/api/openapi.json").await;
    assert_eq!(response.status_code(), 200);
    let doc: serde_json::Value = response.json();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "Một Cửa");
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/v1/procedures",
        "/api/v1/procedures/{code}",
        "/api/v1/statistics",
        "/api/v1/tracking",
        "/api/v1/payments/vnpay/ipn",
        "/api/v1/postal/events",
        "/api/v1/dvcqg/dossiers",
        "/api/v1/dvcqg/files/{id}",
    ] {
        assert!(paths.contains_key(path), "{path}");
    }
    // the list's items carry the summary's fields and the page's URL
    let schemas = &doc["components"]["schemas"];
    let item = schemas["ProcedureItem"].to_string();
    assert!(
        item.contains("#/components/schemas/ProcedureSummary") && item.contains("\"url\""),
        "{item}"
    );
    let summary = schemas["ProcedureSummary"].to_string();
    assert!(summary.contains("online_level"), "{summary}");
    // the national push: its body, its answers and its signature
    let push = &doc["paths"]["/api/v1/dvcqg/dossiers"]["post"];
    assert_eq!(
        push["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/InboundDossier"
    );
    assert!(push["responses"]["409"].is_object());
    assert_eq!(
        doc["components"]["securitySchemes"]["dvcqg_signature"]["in"],
        "header"
    );
}
