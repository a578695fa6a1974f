//! The back office's handlers on one dossier: its page, its files, an action, the result's
//! upload and the printable forms. What they call (the page's view model, `perform`, the
//! checks) lives in `desk/`, which other capabilities may use; nothing imports this file but
//! the route table.

use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use tower_sessions::Session;
use uuid::Uuid;

use super::desk::*;
use crate::AppState;
use crate::accounts::CurrentStaff;
use crate::audit;
use crate::dossiers::repo as dossiers;
use crate::processing::service::scoped;
use crate::processing::views::DossierPage;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, FormErrors, flash};

/// `GET /staff/dossiers/{id}`
pub async fn show(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Path(id): Path<Uuid>,
) -> AppResult<DossierPage> {
    let d = scoped(&app, &staff, id).await?;
    crate::processing::reads::record(
        &mut *app.db.acquire().await?,
        &staff,
        &d,
        crate::processing::reads::Read::Page,
    )
    .await?;
    page(
        &app,
        lang,
        &session,
        &staff,
        &d,
        &ActForm::default(),
        FormErrors::new(),
    )
    .await
}

/// `GET /staff/dossiers/{id}/files/{file}`: the applicant's papers and the results.
pub async fn download(
    State(app): State<AppState>,
    staff: CurrentStaff,
    crate::web::client::ClientIp(ip): crate::web::client::ClientIp,
    Path((id, file)): Path<(Uuid, Uuid)>,
) -> AppResult<Response> {
    let d = scoped(&app, &staff, id).await?;
    if !may_read_documents(&staff, &d) {
        return Err(AppError::Forbidden);
    }
    let mut conn = app.db.acquire().await?;
    let mut files = dossiers::files(&mut conn, id).await?;
    files.extend(dossiers::result_files(&mut conn, id).await?);
    if files.iter().any(|f| f.id == file) {
        audit::record(
            &mut conn,
            audit::Actor::Staff(staff.id),
            "dossier.file_read",
            Some(&id.to_string()),
            ip,
            json!({"file": file}),
        )
        .await?;
        crate::processing::reads::record(
            &mut conn,
            &staff,
            &d,
            crate::processing::reads::Read::File(file),
        )
        .await?;
    }
    drop(conn);
    crate::dossiers::files::serve(&app, &files, file).await
}

/// `POST /staff/dossiers/{id}/result` (multipart): a result document (draft, final or
/// corrected), stored like any upload and checked by content.
pub async fn upload_result(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Path(id): Path<Uuid>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let d = scoped(&app, &staff, id).await?;
    if !can_upload_result(&staff, &d) {
        return Err(AppError::Forbidden);
    }
    let stored = match crate::dossiers::uploads::receive_files(&app, &mut multipart, 0, 0).await {
        Ok(stored) => stored,
        Err((problem, stored)) => {
            for s in &stored {
                let _ = app.storage.delete(&s.key).await;
            }
            let mut errors = FormErrors::new();
            errors.add("result-file", lang.t(problem.key()));
            let page = page(
                &app,
                lang,
                &session,
                &staff,
                &d,
                &ActForm::default(),
                errors,
            )
            .await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let mut tx = app.db.begin().await?;
    for s in &stored {
        crate::dossiers::drafts::insert_file(
            &mut tx,
            &crate::dossiers::drafts::NewFile {
                dossier: id,
                position: None,
                storage_key: &s.key,
                original_name: &s.name,
                content_type: s.content_type,
                size: s.size,
                sha256: &s.sha256,
                reused_from: None,
                purpose: "result",
                added_by: Some(staff.id),
            },
        )
        .await?;
    }
    tx.commit().await?;
    flash::set(&session, lang.t("processing.result_uploaded")).await;
    Ok(Redirect::to(&crate::web::paths::staff_dossier(id)).into_response())
}

/// `POST /staff/dossiers/{id}/act`: any back-office action, named in the form.
pub async fn act(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form): Form<ActForm>,
) -> AppResult<Response> {
    let action =
        parse_action(&form.action).ok_or(AppError::BadRequest("errors.bad_request_text"))?;
    let desk = Desk {
        app: &app,
        lang,
        staff: &staff,
        session: &session,
        ip,
    };
    perform(desk, id, &form, action).await
}

/// `GET /staff/dossiers/{id}/forms/{form}`: Form 02–06 as PDF ("02.pdf"…).
pub async fn form_pdf(
    State(app): State<AppState>,
    staff: CurrentStaff,
    Path((id, form)): Path<(Uuid, String)>,
) -> AppResult<Response> {
    scoped(&app, &staff, id).await?;
    crate::processing::forms::respond(&app.db, &app.settings.public_origin, id, &form).await
}
