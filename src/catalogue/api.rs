//! The open-data JSON API: `GET /api/v1/procedures` and `GET /api/v1/procedures/{code}`.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use serde::Serialize;

use super::citizen::resolve;
use super::domain::{ProcedureCode, SearchForm};
use super::repo::{ProcedureDetail, ProcedureSummary};
use crate::AppState;
use crate::web::{AppError, AppResult, paths};

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProcedureItem {
    #[serde(flatten)]
    pub summary: ProcedureSummary,
    pub url: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProcedureList {
    pub items: Vec<ProcedureItem>,
    /// Pass as `cursor=` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// `GET /api/v1/procedures?q=&agency=&field=&level=&cursor=`
#[utoipa::path(get, path = "/api/v1/procedures", tag = "catalogue",
    summary = "Search the procedures in force",
    params(SearchForm),
    responses(
        (status = 200, description = "One page of procedures, 20 a page, with the next page's cursor", body = ProcedureList),
        (status = 400, description = "A filter that does not exist", body = crate::web::error::ApiError),
    ))]
#[tracing::instrument(skip_all)]
pub async fn list_procedures(
    State(app): State<AppState>,
    query: Result<Query<SearchForm>, QueryRejection>,
) -> AppResult<Json<ProcedureList>> {
    let Ok(Query(form)) = query else {
        return Err(AppError::BadRequest("errors.bad_request_text"));
    };
    let reference = app.catalogue.reference(&app.db).await?;
    let search = resolve(&form, &reference).map_err(|e| AppError::BadRequest(e.message_key()))?;
    let page = app.catalogue.search(&app.db, &search, &reference).await?;
    Ok(Json(ProcedureList {
        items: page
            .items
            .iter()
            .map(|row| ProcedureItem {
                url: format!(
                    "{}{}",
                    app.settings.public_origin,
                    paths::procedure(&row.code)
                ),
                summary: reference.summarize(row),
            })
            .collect(),
        next_cursor: page.next.as_ref().map(|c| c.encode()),
    }))
}

/// `GET /api/v1/procedures/{code}`
#[utoipa::path(get, path = "/api/v1/procedures/{code}", tag = "catalogue",
    summary = "A procedure in the version in force",
    params(("code" = String, Path, description = "The national procedure code, e.g. 1.001193")),
    responses(
        (status = 200, description = "The procedure, its documents and fees", body = ProcedureDetail),
        (status = 404, description = "No such procedure in force", body = crate::web::error::ApiError),
    ))]
#[tracing::instrument(skip_all, fields(procedure.code = %code))]
pub async fn show_procedure(
    State(app): State<AppState>,
    Path(code): Path<String>,
) -> AppResult<Json<ProcedureDetail>> {
    let code = ProcedureCode::parse(&code).ok_or(AppError::NotFound)?;
    let detail = app
        .catalogue
        .procedure(&app.db, code.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(ProcedureDetail::clone(&detail)))
}
