//! Public tracking, without signing in: the form at `/tra-cuu` and the JSON lookup for
//! programs. Status and dates only; the PIN travels only in a POST body, and lookups are
//! throttled per client address and per dossier code.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tower_sessions::Session;

use super::citizen::layout;
use super::code::{self, DossierCode};
use super::repo;
use super::views::{TrackPage, TrackResult};
use crate::AppState;
use crate::kernel::time::format_local;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, FormErrors};

#[derive(Deserialize, Default)]
pub struct TrackQuery {
    code: Option<String>,
}

/// Looks a dossier up by code and PIN; None for an unknown code and a wrong PIN alike.
async fn lookup(app: &AppState, code: &str, pin: &str) -> AppResult<Option<repo::Tracked>> {
    let Some(code) = DossierCode::parse(code) else {
        return Ok(None);
    };
    let mut conn = app.db.acquire().await?;
    let found = repo::tracked(&mut conn, code.as_str()).await?;
    Ok(found.filter(|t| t.pin_hash.as_deref() == Some(code::pin_hash(t.id, pin).as_str())))
}

/// `GET /tra-cuu?code=`: the public tracking form (the code may come from a QR code or a
/// message; the PIN never travels in an address, where logs and histories would keep it).
pub async fn track(
    RequestLang(lang): RequestLang,
    session: Session,
    Query(query): Query<TrackQuery>,
) -> AppResult<Response> {
    let page = TrackPage {
        layout: layout(lang, "track.title", "/tra-cuu", &session).await?,
        code: query.code.unwrap_or_default().trim().to_owned(),
        result: None,
        errors: FormErrors::new(),
    };
    Ok(page.into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TrackForm {
    /// the dossier code on the acknowledgement
    #[serde(default)]
    code: String,
    /// the lookup PIN printed beside it
    #[serde(default)]
    pin: String,
}

/// Where a dossier stands, as tracking shows it to whoever holds its code and PIN.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct TrackAnswer {
    pub status: super::DossierStatus,
    /// the procedure's name in Vietnamese
    pub procedure: String,
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    pub due_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Counts a tracking lookup; false when the address or the code has had its share.
async fn tracking_allowed(
    app: &AppState,
    ip: Option<std::net::IpAddr>,
    code: &str,
) -> AppResult<bool> {
    let mut conn = app.db.acquire().await?;
    Ok(crate::accounts::throttle::may_track(&mut conn, &app.settings, ip, code).await?)
}

/// `POST /tra-cuu`: public tracking, without signing in. Status and dates only. Throttled per
/// client address and per dossier code, so that nobody can try PINs at length.
pub async fn track_lookup(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<TrackForm>,
) -> AppResult<Response> {
    let mut page = TrackPage {
        layout: layout(lang, "track.title", "/tra-cuu", &session).await?,
        code: form.code.trim().to_owned(),
        result: None,
        errors: FormErrors::new(),
    };
    if form.pin.trim().is_empty() {
        page.errors.add("pin", lang.t("track.pin_missing"));
        page.layout.has_error = true;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    if !tracking_allowed(&app, ip, &page.code).await? {
        page.errors.add("code", lang.t("track.too_many"));
        page.layout.has_error = true;
        return Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response());
    }
    match lookup(&app, &form.code, &form.pin).await? {
        Some(t) => {
            let mut conn = app.db.acquire().await?;
            let postal = crate::postal::track(&mut conn, t.id, lang).await?;
            let evaluate_url = if crate::evaluations::ended(t.status) {
                let token = crate::evaluations::link_token(&mut conn, t.id).await?;
                Some(format!("/danh-gia/{token}"))
            } else {
                None
            };
            drop(conn);
            page.result = Some(TrackResult {
                evaluate_url,
                postal,
                procedure: lang.pick(&t.procedure_vi, &t.procedure_en).to_owned(),
                status: lang.t(t.status.label_key()).into_owned(),
                submitted_at: t.submitted_at.map(format_local).unwrap_or_default(),
                due_at: t
                    .due_at
                    .map_or_else(|| lang.t("track.no_due").into_owned(), format_local),
            });
            Ok(page.into_response())
        }
        None => {
            page.errors.add("code", lang.t("track.not_found"));
            page.layout.has_error = true;
            Ok((StatusCode::NOT_FOUND, page).into_response())
        }
    }
}

/// `POST /api/v1/tracking` with `{"code": …, "pin": …}`: the same lookup for programs,
/// throttled alike (429).
#[utoipa::path(post, path = "/api/v1/tracking", tag = "dossiers",
    summary = "Where a dossier stands, by its code and PIN",
    request_body = TrackForm,
    responses(
        (status = 200, description = "The dossier's status and dates", body = TrackAnswer),
        (status = 404, description = "No dossier with this code and PIN", body = crate::web::error::ApiError),
        (status = 429, description = "Too many lookups from this address or for this code"),
    ))]
pub async fn track_api(
    State(app): State<AppState>,
    ClientIp(ip): ClientIp,
    axum::Json(query): axum::Json<TrackForm>,
) -> AppResult<Response> {
    if !tracking_allowed(&app, ip, query.code.trim()).await? {
        return Ok(StatusCode::TOO_MANY_REQUESTS.into_response());
    }
    let found = lookup(&app, &query.code, &query.pin)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(axum::Json(TrackAnswer {
        status: found.status,
        procedure: found.procedure_vi,
        submitted_at: found.submitted_at,
        due_at: found.due_at,
    })
    .into_response())
}
