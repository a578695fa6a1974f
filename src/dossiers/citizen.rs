//! The citizen's dossier journey: start, applicant, details, documents, delivery, check,
//! submit; "My dossiers", a dossier's page, withdrawal; public tracking.
//!
//! A draft is saved on the server at every step (`draft_step` remembers where to resume), so
//! leaving, a dropped connection or an expired session loses nothing.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;
use uuid::Uuid;

use super::code;
use super::domain::{self, FieldDef, PaperChannel, ResultChannel};
use super::repo::{self, Applicant, DossierRow, FileRow, NewFile, Submission};
use super::status::DossierStatus;
use super::views::*;
use crate::AppState;
use crate::accounts::CurrentCitizen;
use crate::accounts::citizen::{full_name_field, optional_email};
use crate::accounts::domain::{PersonalId, PhoneNumber, this_year};
use crate::accounts::repo as accounts;
use crate::audit::{self, Actor};
use crate::catalogue::domain::{ProcedureCode, format_time_limit};
use crate::catalogue::views::FilterOption;
use crate::kernel::Lang;
use crate::kernel::money::format_vnd;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::session;
use crate::web::{AppError, AppResult, FormErrors, Layout, download, flash, paths};

fn step_url(id: Uuid, step: &str) -> String {
    format!("/account/dossiers/{id}/{step}")
}

/// The citizen's page of their dossier.
pub(crate) fn dossier_url(id: Uuid) -> String {
    format!("/account/dossiers/{id}")
}

fn unprocessable(page: impl IntoResponse) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

pub(super) async fn layout(
    lang: Lang,
    key: &str,
    here: &str,
    session: &Session,
) -> AppResult<Layout> {
    Ok(Layout::for_session(lang, lang.t(key), here, session).await?)
}

/// The citizen's own dossier, or 404 (never "forbidden": another's dossier does not exist).
async fn owned(app: &AppState, citizen: CurrentCitizen, id: Uuid) -> AppResult<DossierRow> {
    let mut conn = app.db.acquire().await?;
    repo::find_owned(&mut conn, citizen.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A draft of the citizen's; a submitted dossier's step pages go to its page instead.
async fn owned_draft(app: &AppState, citizen: CurrentCitizen, id: Uuid) -> AppResult<DossierRow> {
    let row = owned(app, citizen, id).await?;
    if row.status == DossierStatus::Draft {
        Ok(row)
    } else {
        Err(AppError::SeeOther(dossier_url(id)))
    }
}

/// A dossier whose documents the citizen may change: a draft, or one returned for completion
/// (the citizen replaces what the reception official listed, then sends it back).
async fn owned_documents(
    app: &AppState,
    citizen: CurrentCitizen,
    id: Uuid,
) -> AppResult<DossierRow> {
    let row = owned(app, citizen, id).await?;
    if documents_open(row.status) {
        Ok(row)
    } else {
        Err(AppError::SeeOther(dossier_url(id)))
    }
}

/// Locks `citizen`'s dossier `id` against a submission for the rest of the transaction (a
/// file added or removed meanwhile would escape its checks) and returns its status and
/// version, if its documents may still change: 404 when it is not theirs, its page when they
/// may not.
async fn lock_open_documents(
    tx: &mut sqlx::PgConnection,
    citizen: CurrentCitizen,
    id: Uuid,
) -> AppResult<(DossierStatus, Uuid)> {
    match repo::lock_documents(tx, citizen.id, id).await? {
        None => Err(AppError::NotFound),
        Some((status, version)) if documents_open(status) => Ok((status, version)),
        Some(_) => Err(AppError::SeeOther(dossier_url(id))),
    }
}

/// Whether the citizen may change the documents of a dossier in `status`.
fn documents_open(status: DossierStatus) -> bool {
    matches!(
        status,
        DossierStatus::Draft
            | DossierStatus::ReturnedForCompletion
            | DossierStatus::SupplementRequested
    )
}

/// The terms of `citizen`'s dossier `id` (404 when it is not theirs); its status is for the
/// caller's statement to check.
async fn owned_terms(
    app: &AppState,
    conn: &mut sqlx::PgConnection,
    citizen: CurrentCitizen,
    id: Uuid,
) -> AppResult<std::sync::Arc<super::terms::Terms>> {
    app.terms
        .of_dossier(conn, citizen.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// After a completion request that named documents, only those may change.
async fn only_requested(
    conn: &mut sqlx::PgConnection,
    id: Uuid,
    status: DossierStatus,
    position: Option<i32>,
) -> AppResult<()> {
    if status == DossierStatus::Draft {
        return Ok(());
    }
    let requested = repo::requested_items(conn, id, status).await?;
    if requested.is_empty() || requested.iter().any(|r| r.0 == position) {
        Ok(())
    } else {
        Err(AppError::Conflict)
    }
}

/// The position of a document slot of the version (`None` for "other"); anything else is a
/// bad request.
async fn slot_position(
    app: &AppState,
    conn: &mut sqlx::PgConnection,
    version: Uuid,
    slot: &str,
) -> AppResult<Option<i32>> {
    if slot == "other" {
        return Ok(None);
    }
    let slots = &app.terms.get(conn, version).await?.slots;
    slot.parse::<i32>()
        .ok()
        .filter(|p| slots.iter().any(|s| s.position == *p))
        .map(Some)
        .ok_or(AppError::BadRequest("errors.bad_request_text"))
}

fn procedure_name(row: &DossierRow, lang: Lang) -> String {
    lang.pick(&row.procedure_vi, &row.procedure_en).to_owned()
}

/// `GET /thu-tuc/{code}/nop-truc-tuyen`: what the citizen needs, then "Start".
pub async fn start_page(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    Path(code): Path<String>,
) -> AppResult<StartPage> {
    let code = ProcedureCode::parse(&code).ok_or(AppError::NotFound)?;
    let detail = app
        .catalogue
        .procedure(&app.db, code.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    if !(detail.online_level.is_online() && detail.submit_online) {
        return Err(AppError::NotFound);
    }
    let here = paths::apply_online(code.as_str());
    let signed_in = session::signed_in(&session, &app.settings)
        .await
        .is_some_and(|s| s.kind == session::AccountKind::Citizen);
    Ok(StartPage {
        layout: layout(lang, "dossier.start_title", &here, &session).await?,
        procedure: lang.pick(&detail.name_vi, &detail.name_en).to_owned(),
        code: code.as_str().to_owned(),
        time_limit: format_time_limit(detail.time_limit_value, detail.time_limit_unit, lang),
        documents: detail
            .documents
            .iter()
            .map(|d| lang.pick(&d.name_vi, &d.name_en).to_owned())
            .collect(),
        signed_in,
        login_url: paths::citizen_login(&here),
    })
}

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    procedure: String,
}

/// `POST /account/dossiers`: a new draft for a procedure open online.
pub async fn create_draft(
    State(app): State<AppState>,
    citizen: CurrentCitizen,
    Form(form): Form<StartForm>,
) -> AppResult<Response> {
    let code = ProcedureCode::parse(&form.procedure).ok_or(AppError::NotFound)?;
    let mut conn = app.db.acquire().await?;
    let (id, version) = repo::create_draft(&mut conn, citizen.id, code.as_str())
        .await?
        .ok_or(AppError::BadRequest("dossier.error_not_online"))?;
    app.terms.remember(citizen.id, id, version).await;
    Ok(Redirect::to(&step_url(id, "applicant")).into_response())
}

async fn unit_options(app: &AppState, lang: Lang, chosen: &str) -> AppResult<Vec<FilterOption>> {
    let mut conn = app.db.acquire().await?;
    Ok(accounts::admin_units_in_force(&mut conn)
        .await?
        .into_iter()
        .map(|u| FilterOption {
            selected: u.id.to_string() == chosen,
            value: u.id.to_string(),
            label: lang.pick(&u.name_vi, &u.name_en).to_owned(),
        })
        .collect())
}

async fn applicant_page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    row: &DossierRow,
    form: ApplicantForm,
    errors: FormErrors,
) -> AppResult<ApplicantPage> {
    let here = step_url(row.id, "applicant");
    Ok(ApplicantPage {
        layout: layout(lang, "dossier.applicant_title", &here, session)
            .await?
            .with_errors(&errors),
        procedure: procedure_name(row, lang),
        back_url: paths::procedure(&row.procedure_code),
        units: unit_options(app, lang, &form.applicant_unit).await?,
        action: here,
        form,
        errors,
    })
}

/// `GET /account/dossiers/{id}/applicant`
pub async fn applicant_form(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let row = owned_draft(&app, citizen, id).await?;
    let form = ApplicantForm {
        applicant_name: row.applicant_name.clone(),
        applicant_personal_id: row.applicant_personal_id.clone(),
        applicant_phone: PhoneNumber::parse(&row.applicant_phone)
            .map_or_else(|| row.applicant_phone.clone(), |p| p.national()),
        applicant_email: row.applicant_email.clone(),
        applicant_address: row.applicant_address.clone(),
        applicant_unit: row
            .applicant_unit_id
            .map(|u| u.to_string())
            .unwrap_or_default(),
        on_behalf: row.on_behalf.then(|| "yes".to_owned()),
        principal_name: row.principal_name.clone(),
        principal_personal_id: row.principal_personal_id.clone(),
        relationship: row.relationship.clone(),
    };
    Ok(
        applicant_page(&app, lang, &session, &row, form, FormErrors::new())
            .await?
            .into_response(),
    )
}

/// `POST /account/dossiers/{id}/applicant`
pub async fn save_applicant(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    Path(id): Path<Uuid>,
    Form(form): Form<ApplicantForm>,
) -> AppResult<Response> {
    let mut errors = FormErrors::new();
    let name = full_name_field("applicant_name", &form.applicant_name, lang, &mut errors);
    let personal_id = PersonalId::parse(&form.applicant_personal_id, this_year())
        .map_err(|e| errors.add("applicant_personal_id", lang.t(e.message_key())))
        .ok();
    let phone = PhoneNumber::parse(&form.applicant_phone);
    if phone.is_none() {
        errors.add("applicant_phone", lang.t("account.error_phone"));
    }
    let email = optional_email("applicant_email", &form.applicant_email, lang, &mut errors);
    let address = form.applicant_address.trim();
    if address.chars().count() > 200 {
        errors.add("applicant_address", lang.t("account.error_address"));
    }
    // a commune in force: checked by the statement that saves (`repo::save_applicant`)
    let unit = if form.applicant_unit.is_empty() {
        None
    } else {
        let parsed = form.applicant_unit.parse::<Uuid>().ok();
        if parsed.is_none() {
            errors.add("applicant_unit", lang.t("account.error_admin_unit"));
        }
        parsed
    };
    let on_behalf = form.on_behalf.is_some();
    if on_behalf {
        if form.principal_name.trim().chars().count() < 2 {
            errors.add("principal_name", lang.t("account.error_full_name"));
        }
        if let Err(e) = PersonalId::parse(&form.principal_personal_id, this_year()) {
            errors.add("principal_personal_id", lang.t(e.message_key()));
        }
        if form.relationship.trim().is_empty() {
            errors.add("relationship", lang.t("dossier.error_relationship"));
        }
    }
    let (Some(personal_id), Some(phone), true) = (personal_id, phone, errors.is_empty()) else {
        let row = owned_draft(&app, citizen, id).await?;
        return Ok(unprocessable(
            applicant_page(&app, lang, &session, &row, form, errors).await?,
        ));
    };
    let principal_id = PersonalId::parse(&form.principal_personal_id, this_year())
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let applicant = Applicant {
        name: &name,
        personal_id: personal_id.as_str(),
        phone: phone.as_str(),
        email: email.as_ref().map_or("", |e| e.as_str()),
        address,
        unit,
        on_behalf,
        principal_name: if on_behalf {
            form.principal_name.trim()
        } else {
            ""
        },
        principal_personal_id: if on_behalf { &principal_id } else { "" },
        relationship: if on_behalf {
            form.relationship.trim()
        } else {
            ""
        },
    };
    let mut conn = app.db.acquire().await?;
    // a procedure without questions of its own goes on to the documents: no empty page
    let next = if owned_terms(&app, &mut conn, citizen, id)
        .await?
        .fields
        .is_empty()
    {
        "documents"
    } else {
        "details"
    };
    if !repo::save_applicant(&mut conn, citizen.id, id, &applicant, next).await? {
        drop(conn);
        // not theirs (404) or no longer a draft (its page); else the commune is not in force
        let row = owned_draft(&app, citizen, id).await?;
        errors.add("applicant_unit", lang.t("account.error_admin_unit"));
        return Ok(unprocessable(
            applicant_page(&app, lang, &session, &row, form, errors).await?,
        ));
    }
    Ok(Redirect::to(&step_url(id, next)).into_response())
}

fn field_views(
    fields: &[FieldDef],
    values: &BTreeMap<String, String>,
    lang: Lang,
) -> Vec<FieldView> {
    fields
        .iter()
        .map(|f| {
            let value = values.get(&f.key).cloned().unwrap_or_default();
            FieldView {
                key: f.key.clone(),
                label: lang.pick(&f.label_vi, &f.label_en).to_owned(),
                hint: lang.pick(&f.hint_vi, &f.hint_en).to_owned(),
                kind: f.kind.clone(),
                required: f.required,
                choices: f
                    .choices
                    .iter()
                    .map(|c| FilterOption {
                        selected: c.value == value,
                        value: c.value.clone(),
                        label: lang.pick(&c.vi, &c.en).to_owned(),
                    })
                    .collect(),
                value,
            }
        })
        .collect()
}

async fn details_page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    row: &DossierRow,
    values: &BTreeMap<String, String>,
    errors: FormErrors,
) -> AppResult<DetailsPage> {
    let mut conn = app.db.acquire().await?;
    let terms = app.terms.get(&mut conn, row.procedure_version_id).await?;
    let fields = &terms.fields;
    let here = step_url(row.id, "details");
    Ok(DetailsPage {
        layout: layout(lang, "dossier.details_title", &here, session)
            .await?
            .with_errors(&errors),
        procedure: procedure_name(row, lang),
        back_url: step_url(row.id, "applicant"),
        fields: field_views(fields, values, lang),
        action: here,
        errors,
    })
}

/// `GET /account/dossiers/{id}/details`
pub async fn details_form(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let row = owned_draft(&app, citizen, id).await?;
    let values = row.answers.0.clone();
    Ok(
        details_page(&app, lang, &session, &row, &values, FormErrors::new())
            .await?
            .into_response(),
    )
}

/// `POST /account/dossiers/{id}/details`
pub async fn save_details(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    Path(id): Path<Uuid>,
    Form(typed): Form<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let mut conn = app.db.acquire().await?;
    let terms = owned_terms(&app, &mut conn, citizen, id).await?;
    let fields = &terms.fields;
    match domain::check_answers(fields, &typed) {
        Ok(clean) => {
            if !repo::save_answers(&mut conn, citizen.id, id, &clean).await? {
                drop(conn);
                // no longer a draft: its page
                owned_draft(&app, citizen, id).await?;
            }
            Ok(Redirect::to(&step_url(id, "documents")).into_response())
        }
        Err(problems) => {
            drop(conn);
            let row = owned_draft(&app, citizen, id).await?;
            let mut errors = FormErrors::new();
            for (key, message) in problems {
                let field = fields
                    .iter()
                    .find(|f| f.key == key)
                    .map_or(key.clone(), |f| {
                        lang.pick(&f.label_vi, &f.label_en).to_owned()
                    });
                errors.add(key, format!("{field}: {}", lang.t(message)));
            }
            Ok(unprocessable(
                details_page(&app, lang, &session, &row, &typed, errors).await?,
            ))
        }
    }
}

fn file_view(id: Uuid, f: &FileRow, draft: bool) -> FileView {
    FileView {
        name: domain::display_name(&f.original_name),
        size: domain::size_text(f.size_bytes),
        reused: f.reused_from.is_some(),
        delete_url: if draft {
            format!("{}/{}/delete", step_url(id, "documents"), f.id)
        } else {
            String::new()
        },
        download_url: format!("{}/{}", step_url(id, "files"), f.id),
    }
}

async fn documents_page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    citizen: CurrentCitizen,
    row: &DossierRow,
    errors: FormErrors,
) -> AppResult<DocumentsPage> {
    let here = step_url(row.id, "documents");
    let layout = layout(lang, "dossier.documents_title", &here, session)
        .await?
        .with_errors(&errors);
    let mut conn = app.db.acquire().await?;
    let terms = app.terms.get(&mut conn, row.procedure_version_id).await?;
    let slots = &terms.slots;
    let files = repo::files(&mut conn, row.id).await?;
    let earlier = repo::earlier_files(&mut conn, citizen.id, row.id).await?;
    let requested = if row.status == DossierStatus::Draft {
        Vec::new()
    } else {
        repo::requested_items(&mut conn, row.id, row.status).await?
    };
    drop(conn);
    let slot_view = |position: Option<i32>, name: String, mandatory: bool| {
        let key = position.map_or_else(|| "other".to_owned(), |p| p.to_string());
        let asked = requested
            .iter()
            .find(|r| r.0 == position)
            .map(|r| r.1.clone());
        SlotView {
            locked: !requested.is_empty() && asked.is_none(),
            requested: asked,
            id: format!("slot-{key}"),
            upload_url: format!("{here}?slot={key}"),
            files: files
                .iter()
                .filter(|f| f.document_position == position)
                .map(|f| file_view(row.id, f, true))
                .collect(),
            position: key,
            name,
            mandatory,
        }
    };
    let mut views: Vec<SlotView> = slots
        .iter()
        .map(|s| {
            slot_view(
                Some(s.position),
                lang.pick(&s.name_vi, &s.name_en).to_owned(),
                s.mandatory,
            )
        })
        .collect();
    views.push(slot_view(
        None,
        lang.t("dossier.other_documents").into_owned(),
        false,
    ));
    let returned = matches!(
        row.status,
        DossierStatus::ReturnedForCompletion | DossierStatus::SupplementRequested
    );
    let (reason, items) = if returned {
        let mut conn = app.db.acquire().await?;
        repo::last_request(&mut conn, row.id, row.status)
            .await?
            .unwrap_or_default()
    } else {
        (None, Vec::new())
    };
    Ok(DocumentsPage {
        procedure: procedure_name(row, lang),
        back_url: if returned {
            dossier_url(row.id)
        } else if terms.fields.is_empty() {
            step_url(row.id, "applicant")
        } else {
            step_url(row.id, "details")
        },
        done_url: if returned {
            step_url(row.id, "resubmit")
        } else {
            format!("{here}/done")
        },
        returned_reason: reason,
        returned_items: items,
        reuse_url: format!("{here}/reuse"),
        slots: views,
        earlier: earlier
            .iter()
            .map(|f| FilterOption {
                value: f.id.to_string(),
                label: format!(
                    "{} ({})",
                    domain::display_name(&f.original_name),
                    domain::size_text(f.size_bytes)
                ),
                selected: false,
            })
            .collect(),
        limits: lang
            .t("dossier.limits")
            .replace("{file}", &app.settings.max_file_mb.to_string())
            .replace("{total}", &app.settings.max_dossier_mb.to_string()),
        layout,
        errors,
    })
}

#[derive(Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

/// Where an upload (or a reused file) leads: the documents page, saying the file was saved.
/// Said by the address, not by a message in the session: a session write for the POST and
/// another for the page that shows it, on every file of every dossier.
fn saved_url(id: Uuid) -> String {
    format!("{}?saved=1", step_url(id, "documents"))
}

/// `GET /account/dossiers/{id}/documents`
pub async fn documents_form(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    Path(id): Path<Uuid>,
    Query(query): Query<SavedQuery>,
) -> AppResult<Response> {
    let row = owned_documents(&app, citizen, id).await?;
    let mut page = documents_page(&app, lang, &session, citizen, &row, FormErrors::new()).await?;
    if query.saved.is_some() && page.layout.flash.is_none() {
        page.layout.flash = Some(lang.t("dossier.uploaded").into_owned());
    }
    Ok(page.into_response())
}

#[derive(Deserialize)]
pub struct SlotQuery {
    #[serde(default)]
    slot: String,
}

/// What went wrong with an upload (message keys).
pub enum UploadError {
    NoFile,
    WrongType,
    FileTooBig,
    DossierTooBig,
    TooMany,
    Interrupted,
}

impl UploadError {
    pub fn key(&self) -> &'static str {
        match self {
            Self::NoFile => "dossier.error_no_file",
            Self::WrongType => "dossier.error_file_type",
            Self::FileTooBig => "dossier.error_file_size",
            Self::DossierTooBig => "dossier.error_dossier_size",
            Self::TooMany => "dossier.error_too_many",
            Self::Interrupted => "dossier.error_interrupted",
        }
    }
}

/// A stored file, before its row is written.
pub struct Stored {
    pub key: String,
    pub sha256: String,
    pub size: i64,
    pub content_type: &'static str,
    pub name: String,
}

/// Streams every `file` part to storage, checking type and size as it goes. On any problem
/// what this request stored is removed again.
pub async fn receive_files(
    app: &AppState,
    multipart: &mut Multipart,
    mut count: i64,
    mut total: i64,
) -> Result<Vec<Stored>, (UploadError, Vec<Stored>)> {
    let max_file = i64::try_from(app.settings.max_file_mb * 1024 * 1024).unwrap_or(i64::MAX);
    let max_total = i64::try_from(app.settings.max_dossier_mb * 1024 * 1024).unwrap_or(i64::MAX);
    let mut stored = Vec::new();
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return Err((UploadError::Interrupted, stored)),
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_owned();
        let Ok(mut upload) = app.storage.begin().await else {
            return Err((UploadError::Interrupted, stored));
        };
        let mut problem = None;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    let size = i64::try_from(upload.size).unwrap_or(i64::MAX) + chunk.len() as i64;
                    if size > max_file {
                        problem = Some(UploadError::FileTooBig);
                    } else if total + size > max_total {
                        problem = Some(UploadError::DossierTooBig);
                    } else if upload.write(&chunk).await.is_err() {
                        problem = Some(UploadError::Interrupted);
                    }
                    if problem.is_some() {
                        break;
                    }
                }
                Ok(None) => break,
                Err(_) => {
                    problem = Some(UploadError::Interrupted);
                    break;
                }
            }
        }
        if upload.size == 0 && problem.is_none() {
            // an empty part: the browser sends one when no file was chosen
            app.storage.abandon(upload).await;
            continue;
        }
        let content_type = domain::sniff_content_type(&upload.head);
        if problem.is_none() && content_type.is_none() {
            problem = Some(UploadError::WrongType);
        }
        count += 1;
        if problem.is_none() && count > app.settings.max_dossier_files {
            problem = Some(UploadError::TooMany);
        }
        if let Some(problem) = problem {
            app.storage.abandon(upload).await;
            return Err((problem, stored));
        }
        let size = i64::try_from(upload.size).unwrap_or(i64::MAX);
        match app.storage.commit(upload).await {
            Ok((key, sha256)) => {
                total += size;
                stored.push(Stored {
                    key,
                    sha256,
                    size,
                    content_type: content_type.unwrap_or("application/pdf"),
                    name: domain::display_name(&name),
                });
            }
            Err(_) => return Err((UploadError::Interrupted, stored)),
        }
    }
    if stored.is_empty() {
        return Err((UploadError::NoFile, stored));
    }
    Ok(stored)
}

/// Removes from storage the files of an upload that is not kept.
async fn discard(app: &AppState, stored: &[Stored]) {
    for s in stored {
        let _ = app.storage.delete(&s.key).await;
    }
}

/// `POST /account/dossiers/{id}/documents?slot=…` (multipart): adds files to a slot.
#[tracing::instrument(skip_all, fields(dossier.id = %id))]
pub async fn upload(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    Path(id): Path<Uuid>,
    Query(query): Query<SlotQuery>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let mut conn = app.db.acquire().await?;
    let (status, version, count, total) = repo::upload_state(&mut conn, citizen.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !documents_open(status) {
        return Err(AppError::SeeOther(dossier_url(id)));
    }
    let position = slot_position(&app, &mut conn, version, &query.slot).await?;
    only_requested(&mut conn, id, status, position).await?;
    drop(conn);
    let stored = match receive_files(&app, &mut multipart, count, total).await {
        Ok(stored) => stored,
        Err((problem, stored)) => {
            discard(&app, &stored).await;
            let row = owned_documents(&app, citizen, id).await?;
            let mut errors = FormErrors::new();
            let slot_id = format!(
                "slot-{}",
                position.map_or_else(|| "other".to_owned(), |p| p.to_string())
            );
            errors.add(slot_id, lang.t(problem.key()));
            return Ok(unprocessable(
                documents_page(&app, lang, &session, citizen, &row, errors).await?,
            ));
        }
    };
    let files: Vec<repo::StoredUpload<'_>> = stored
        .iter()
        .map(|s| repo::StoredUpload {
            storage_key: &s.key,
            original_name: &s.name,
            content_type: s.content_type,
            size: s.size,
            sha256: &s.sha256,
        })
        .collect();
    let purpose = if status == DossierStatus::SupplementRequested {
        "supplement"
    } else {
        "document"
    };
    let mut conn = app.db.acquire().await?;
    let added =
        repo::insert_upload(&mut conn, citizen.id, id, status, position, purpose, &files).await?;
    drop(conn);
    if added == 0 {
        // submitted or sent back meanwhile (another tab): the files are not kept
        discard(&app, &stored).await;
        return Ok(Redirect::to(&dossier_url(id)).into_response());
    }
    Ok(Redirect::to(&saved_url(id)).into_response())
}

#[derive(Deserialize)]
pub struct ReuseForm {
    #[serde(default)]
    slot: String,
    #[serde(default)]
    file: String,
}

/// `POST /account/dossiers/{id}/documents/reuse`: a file from an earlier dossier.
pub async fn reuse(
    State(app): State<AppState>,
    citizen: CurrentCitizen,
    Path(id): Path<Uuid>,
    Form(form): Form<ReuseForm>,
) -> AppResult<Response> {
    let mut tx = app.db.begin().await?;
    let (status, version) = lock_open_documents(&mut tx, citizen, id).await?;
    let position = slot_position(&app, &mut tx, version, &form.slot).await?;
    only_requested(&mut tx, id, status, position).await?;
    let earlier = repo::earlier_files(&mut tx, citizen.id, id).await?;
    let source = earlier
        .iter()
        .find(|f| f.id.to_string() == form.file)
        .ok_or(AppError::NotFound)?;
    repo::insert_file(
        &mut tx,
        &NewFile {
            dossier: id,
            position,
            storage_key: &source.storage_key,
            original_name: &source.original_name,
            content_type: &source.content_type,
            size: source.size_bytes,
            sha256: "",
            reused_from: Some(source.id),
            purpose: if status == DossierStatus::SupplementRequested {
                "supplement"
            } else {
                "document"
            },
            added_by: None,
        },
    )
    .await?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    Ok(Redirect::to(&saved_url(id)).into_response())
}

/// `POST /account/dossiers/{id}/documents/{file}/delete`
pub async fn remove_file(
    State(app): State<AppState>,
    citizen: CurrentCitizen,
    Path((id, file)): Path<(Uuid, Uuid)>,
) -> AppResult<Response> {
    let mut tx = app.db.begin().await?;
    let (status, _) = lock_open_documents(&mut tx, citizen, id).await?;
    let position: Option<Option<i32>> = sqlx::query_scalar(
        "select document_position from dossier_files where id = $1 and dossier_id = $2",
    )
    .bind(file)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    only_requested(&mut tx, id, status, position.ok_or(AppError::NotFound)?).await?;
    if status == DossierStatus::SupplementRequested {
        // an accepted dossier's papers stay; only what the citizen adds now can go
        let purpose: Option<String> = sqlx::query_scalar(
            "select purpose from dossier_files where id = $1 and dossier_id = $2",
        )
        .bind(file)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if purpose.as_deref() != Some("supplement") {
            return Err(AppError::Conflict);
        }
    }
    let removed = repo::delete_file(&mut tx, id, file)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    if let Some(key) = removed {
        app.storage
            .delete(&key)
            .await
            .map_err(anyhow::Error::from)?;
    }
    Ok(Redirect::to(&step_url(id, "documents")).into_response())
}

/// Mandatory document slots without a file among `filled` (message per slot).
fn missing_slots(slots: &[repo::DocumentSlot], filled: &[i32], lang: Lang) -> FormErrors {
    let mut errors = FormErrors::new();
    for slot in slots.iter().filter(|s| s.mandatory) {
        if !filled.contains(&slot.position) {
            let name = lang.pick(&slot.name_vi, &slot.name_en);
            errors.add(
                format!("slot-{}", slot.position),
                format!("{}: {name}", lang.t("dossier.error_missing_document")),
            );
        }
    }
    errors
}

/// Mandatory document slots of a dossier without a file (message per slot).
async fn missing_documents(app: &AppState, row: &DossierRow, lang: Lang) -> AppResult<FormErrors> {
    let mut conn = app.db.acquire().await?;
    let terms = app.terms.get(&mut conn, row.procedure_version_id).await?;
    let filled: Vec<i32> = repo::files(&mut conn, row.id)
        .await?
        .iter()
        .filter_map(|f| f.document_position)
        .collect();
    Ok(missing_slots(&terms.slots, &filled, lang))
}

/// `POST /account/dossiers/{id}/documents/done`
pub async fn documents_done(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let mut conn = app.db.acquire().await?;
    let terms = owned_terms(&app, &mut conn, citizen, id).await?;
    if !repo::finish_documents(&mut conn, citizen.id, id, &terms.mandatory()).await? {
        drop(conn);
        // not theirs (404), no longer a draft (its page), or a document missing
        let row = owned_draft(&app, citizen, id).await?;
        let errors = missing_documents(&app, &row, lang).await?;
        if !errors.is_empty() {
            return Ok(unprocessable(
                documents_page(&app, lang, &session, citizen, &row, errors).await?,
            ));
        }
    }
    Ok(Redirect::to(&step_url(id, "delivery")).into_response())
}

async fn delivery_page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    row: &DossierRow,
    chosen: (&str, &str, &str, &str),
    errors: FormErrors,
) -> AppResult<DeliveryPage> {
    let (paper, pickup, result, result_address) = chosen;
    let here = step_url(row.id, "delivery");
    let mut conn = app.db.acquire().await?;
    let (counter, post, electronic) = app
        .terms
        .get(&mut conn, row.procedure_version_id)
        .await?
        .result_channels;
    let postage = repo::postage(&mut conn).await?;
    let offered = [
        (ResultChannel::Counter, counter),
        (ResultChannel::Post, post),
        (ResultChannel::Electronic, electronic),
    ];
    Ok(DeliveryPage {
        layout: layout(lang, "dossier.delivery_title", &here, session)
            .await?
            .with_errors(&errors),
        procedure: procedure_name(row, lang),
        back_url: step_url(row.id, "documents"),
        action: here,
        paper_channel: paper.to_owned(),
        pickup_address: pickup.to_owned(),
        result_channels: offered
            .iter()
            .filter(|(_, on)| *on)
            .map(|(c, _)| FilterOption {
                value: c.as_str().to_owned(),
                label: lang.t(c.label_key()).into_owned(),
                selected: c.as_str() == result,
            })
            .collect(),
        result_address: result_address.to_owned(),
        postage: postage.map_or_else(String::new, |p| {
            lang.t("dossier.postage")
                .replace("{amount}", &format_vnd(p))
        }),
        errors,
    })
}

/// `GET /account/dossiers/{id}/delivery`
pub async fn delivery_form(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let row = owned_draft(&app, citizen, id).await?;
    let chosen = (
        row.paper_channel.as_str(),
        row.pickup_address.as_str(),
        row.result_channel.as_str(),
        row.result_address.as_str(),
    );
    Ok(
        delivery_page(&app, lang, &session, &row, chosen, FormErrors::new())
            .await?
            .into_response(),
    )
}

#[derive(Deserialize)]
pub struct DeliveryForm {
    #[serde(default)]
    paper_channel: String,
    #[serde(default)]
    pickup_address: String,
    #[serde(default)]
    result_channel: String,
    #[serde(default)]
    result_address: String,
}

/// `POST /account/dossiers/{id}/delivery`
pub async fn save_delivery(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    Path(id): Path<Uuid>,
    Form(form): Form<DeliveryForm>,
) -> AppResult<Response> {
    let mut errors = FormErrors::new();
    let paper = PaperChannel::parse(&form.paper_channel).unwrap_or(PaperChannel::OnlineOnly);
    let pickup = form.pickup_address.trim();
    if paper == PaperChannel::PostalPickup && pickup.is_empty() {
        errors.add("pickup_address", lang.t("dossier.error_pickup_address"));
    }
    let mut conn = app.db.acquire().await?;
    let terms = owned_terms(&app, &mut conn, citizen, id).await?;
    let (counter, post, electronic) = terms.result_channels;
    let result = ResultChannel::parse(&form.result_channel).filter(|c| match c {
        ResultChannel::Counter => counter,
        ResultChannel::Post => post,
        ResultChannel::Electronic => electronic,
    });
    let result_address = form.result_address.trim();
    match result {
        None => errors.add("result_channel", lang.t("dossier.error_result_channel")),
        Some(ResultChannel::Post) if result_address.is_empty() => {
            errors.add("result_address", lang.t("dossier.error_result_address"));
        }
        Some(_) => {}
    }
    if pickup.chars().count() > 200 || result_address.chars().count() > 200 {
        errors.add("result_address", lang.t("account.error_address"));
    }
    let Some(result) = result.filter(|_| errors.is_empty()) else {
        drop(conn);
        let row = owned_draft(&app, citizen, id).await?;
        let chosen = (
            paper.as_str(),
            pickup,
            form.result_channel.as_str(),
            result_address,
        );
        return Ok(unprocessable(
            delivery_page(&app, lang, &session, &row, chosen, errors).await?,
        ));
    };
    let delivery = repo::Delivery {
        paper: paper.as_str(),
        pickup: if paper == PaperChannel::PostalPickup {
            pickup
        } else {
            ""
        },
        result: result.as_str(),
        result_address,
    };
    if !repo::save_delivery(&mut conn, citizen.id, id, &delivery).await? {
        drop(conn);
        // no longer a draft: its page
        owned_draft(&app, citizen, id).await?;
    }
    Ok(Redirect::to(&step_url(id, "check")).into_response())
}

/// Every answer of a dossier as label/value rows, each with the step that changes it.
async fn answer_rows(app: &AppState, row: &DossierRow, lang: Lang) -> AppResult<Vec<AnswerRow>> {
    let mut conn = app.db.acquire().await?;
    let terms = app.terms.get(&mut conn, row.procedure_version_id).await?;
    let fields = &terms.fields;
    let files = repo::files(&mut conn, row.id).await?;
    let step = |s: &str| step_url(row.id, s);
    let mut rows = vec![
        AnswerRow {
            label: lang.t("account.full_name").into_owned(),
            value: row.applicant_name.clone(),
            change_url: step("applicant"),
        },
        AnswerRow {
            label: lang.t("account.personal_id").into_owned(),
            value: row.applicant_personal_id.clone(),
            change_url: step("applicant"),
        },
        AnswerRow {
            label: lang.t("account.phone").into_owned(),
            value: PhoneNumber::parse(&row.applicant_phone)
                .map_or_else(|| row.applicant_phone.clone(), |p| p.national()),
            change_url: step("applicant"),
        },
        AnswerRow {
            label: lang.t("account.address_line").into_owned(),
            value: row.applicant_address.clone(),
            change_url: step("applicant"),
        },
    ];
    if row.on_behalf {
        rows.push(AnswerRow {
            label: lang.t("dossier.principal").into_owned(),
            value: format!(
                "{} ({}), {}",
                row.principal_name, row.principal_personal_id, row.relationship
            ),
            change_url: step("applicant"),
        });
    }
    for f in fields {
        let value = row
            .answers
            .get(&f.key)
            .map(|v| domain::show_answer(f, v, lang))
            .unwrap_or_default();
        rows.push(AnswerRow {
            label: lang.pick(&f.label_vi, &f.label_en).to_owned(),
            value,
            change_url: step("details"),
        });
    }
    rows.push(AnswerRow {
        label: lang.t("dossier.documents_title").into_owned(),
        value: files
            .iter()
            .map(|f| domain::display_name(&f.original_name))
            .collect::<Vec<_>>()
            .join(", "),
        change_url: step("documents"),
    });
    let result = ResultChannel::parse(&row.result_channel)
        .map(|c| lang.t(c.label_key()).into_owned())
        .unwrap_or_default();
    let result = if row.result_channel == "post" {
        let postage = row.postage_estimate_vnd.map(format_vnd).unwrap_or_default();
        format!("{result}: {} ({postage})", row.result_address)
    } else {
        result
    };
    rows.push(AnswerRow {
        label: lang.t("dossier.result_title").into_owned(),
        value: result,
        change_url: step("delivery"),
    });
    let paper = if row.paper_channel == "postal_pickup" {
        format!("{}: {}", lang.t("dossier.paper_post"), row.pickup_address)
    } else {
        lang.t("dossier.paper_online").into_owned()
    };
    rows.push(AnswerRow {
        label: lang.t("dossier.paper_title").into_owned(),
        value: paper,
        change_url: step("delivery"),
    });
    Ok(rows)
}

async fn check_page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    row: &DossierRow,
    errors: FormErrors,
) -> AppResult<CheckPage> {
    let here = step_url(row.id, "check");
    Ok(CheckPage {
        layout: layout(lang, "dossier.check_title", &here, session)
            .await?
            .with_errors(&errors),
        procedure: procedure_name(row, lang),
        back_url: step_url(row.id, "delivery"),
        action: step_url(row.id, "submit"),
        submit_key: Uuid::new_v4().to_string(),
        rows: answer_rows(app, row, lang).await?,
        errors,
    })
}

/// `GET /account/dossiers/{id}/check`
pub async fn check_answers(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let row = owned_draft(&app, citizen, id).await?;
    Ok(check_page(&app, lang, &session, &row, FormErrors::new())
        .await?
        .into_response())
}

#[derive(Deserialize)]
pub struct SubmitForm {
    #[serde(default)]
    declaration: Option<String>,
    #[serde(default)]
    submit_key: String,
}

const PIN_KEY: &str = "new_pin";

/// `POST /account/dossiers/{id}/submit`: draft → submitted, with its code. Idempotent: a second
/// click (or a retry) finds the dossier submitted and shows it.
#[tracing::instrument(skip_all, fields(dossier.id = %id))]
pub async fn submit(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form): Form<SubmitForm>,
) -> AppResult<Response> {
    let submit_key = form
        .submit_key
        .parse::<Uuid>()
        .unwrap_or_else(|_| Uuid::new_v4());
    let mut tx = app.db.begin().await?;
    let terms = owned_terms(&app, &mut tx, citizen, id).await?;
    let locked = repo::lock_for_submission(&mut tx, citizen.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if locked.status != DossierStatus::Draft {
        // submitted meanwhile (a double click): show it
        return Ok(Redirect::to(&dossier_url(id)).into_response());
    }
    let answers = &locked.answers.0;
    let mut errors = missing_slots(&terms.slots, &locked.filled, lang);
    if let Err(problems) = domain::check_answers(&terms.fields, answers) {
        for (key, message) in problems {
            errors.add(key, lang.t(message));
        }
    }
    if !locked.online {
        errors.add("declaration", lang.t("dossier.error_not_online"));
    }
    if !locked.confirmed {
        errors.add("declaration", lang.t("dossier.error_unconfirmed"));
    }
    if form.declaration.is_none() {
        errors.add("declaration", lang.t("dossier.error_declaration"));
    }
    if !errors.is_empty() {
        drop(tx);
        let row = owned_draft(&app, citizen, id).await?;
        return Ok(unprocessable(
            check_page(&app, lang, &session, &row, errors).await?,
        ));
    }
    // fees due with the submission: the dossier waits for them before reception
    let owed = crate::payments::citizen::due_at_submission(&terms, locked.intake_channel, answers);
    let then = if owed > 0 {
        let action = super::workflow::Action::RequestPayment;
        let status = super::workflow::next(
            DossierStatus::Submitted,
            action,
            super::workflow::Actor::System,
            0,
        )
        .map_err(|e| AppError::Internal(anyhow::anyhow!("payment request: {e:?}")))?;
        Some((action, status, json!({"amount_vnd": owed})))
    } else {
        None
    };
    let pin = code::new_pin();
    let mandatory = terms.mandatory();
    let entry = audit::Entry {
        actor: Actor::Citizen(citizen.id),
        action: "dossier.submitted",
        ip,
        details: json!({}),
    };
    let submission = Submission {
        id,
        citizen: citizen.id,
        pin_hash: &code::pin_hash(id, &pin),
        submit_key,
        then,
        mandatory: &mandatory,
        day: crate::deadlines::calendar::today(),
        audit: &entry,
    };
    // routed, numbered and moved on in one statement; from here to the commit the receiving
    // agency's counter for the day is locked, and concurrent submissions to it wait (a postal
    // pick-up's scheduling, which needs the receiving agency, adds to that wait)
    let Some(number) = repo::submit(&mut tx, &submission).await? else {
        // a mandatory file was removed (in another tab) while this waited for the lock
        drop(tx);
        let row = owned_draft(&app, citizen, id).await?;
        let errors = missing_documents(&app, &row, lang).await?;
        return Ok(unprocessable(
            check_page(&app, lang, &session, &row, errors).await?,
        ));
    };
    code::DossierCode::parse(&number)
        .ok_or_else(|| anyhow::anyhow!("the submission made an unreadable code {number}"))?;
    // papers picked up by post: the post office's list has it
    if PaperChannel::parse(&locked.paper_channel) == Some(PaperChannel::PostalPickup) {
        crate::postal::service::schedule_pickup(&mut tx, id).await?;
    }
    tx.commit().await.map_err(anyhow::Error::from)?;
    session
        .insert(PIN_KEY, (id, pin))
        .await
        .map_err(anyhow::Error::from)?;
    Ok(Redirect::to(&dossier_url(id)).into_response())
}

/// `GET /account/dossiers/{id}`: a draft resumes at its step; otherwise the dossier's page
/// (with its PIN, once, right after submission).
pub async fn show(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let row = owned(&app, citizen, id).await?;
    if row.status == DossierStatus::Draft {
        return Ok(Redirect::to(&step_url(id, &row.draft_step)).into_response());
    }
    let pin = match session
        .get::<(Uuid, String)>(PIN_KEY)
        .await
        .map_err(anyhow::Error::from)?
    {
        Some((for_id, pin)) if for_id == id => {
            session
                .remove_value(PIN_KEY)
                .await
                .map_err(anyhow::Error::from)?;
            Some(pin)
        }
        _ => None,
    };
    let mut conn = app.db.acquire().await?;
    let files = repo::files(&mut conn, id).await?;
    let events = repo::events(&mut conn, id).await?;
    let payments = crate::payments::repo::for_dossier(&mut conn, id).await?;
    let postal = crate::postal::track(&mut conn, id, lang).await?;
    drop(conn);
    let code = row.code.clone().unwrap_or_default();
    let here = dossier_url(id);
    let title_key = if pin.is_some() {
        "dossier.submitted_title"
    } else {
        "dossier.page_title"
    };
    Ok(DossierPage {
        layout: layout(lang, title_key, &here, &session).await?,
        procedure: procedure_name(&row, lang),
        status: lang.t(row.status.label_key()).into_owned(),
        submitted_at: row.submitted_at.map(format_time).unwrap_or_default(),
        time_limit: format_time_limit(row.time_limit_value, row.time_limit_unit, lang),
        receiving: row.receiving_vi.as_deref().map_or_else(String::new, |vi| {
            let name = lang.pick(vi, row.receiving_en.as_deref().unwrap_or_default());
            match &row.receiving_now_vi {
                Some(now) => format!("{name} ({} {now})", lang.t("agencies.now")),
                None => name.to_owned(),
            }
        }),
        result_channel: ResultChannel::parse(&row.result_channel)
            .map(|c| lang.t(c.label_key()).into_owned())
            .unwrap_or_default(),
        rows: answer_rows(&app, &row, lang).await?,
        files: files.iter().map(|f| file_view(id, f, false)).collect(),
        events: events
            .iter()
            .map(|e| EventView {
                at: format_time(e.at),
                status: super::workflow::Action::ALL
                    .into_iter()
                    .find(|a| format!("{a:?}") == e.action)
                    .map_or_else(
                        || lang.t(e.to_status.label_key()).into_owned(),
                        |a| lang.t(&a.label_key()).into_owned(),
                    ),
                actor: lang
                    .t(match e.actor_kind.as_str() {
                        "citizen" => "dossier.actor_citizen",
                        "staff" => "dossier.actor_staff",
                        _ => "dossier.actor_system",
                    })
                    .into_owned(),
            })
            .collect(),
        withdraw_url: row.status.can_withdraw().then(|| step_url(id, "withdraw")),
        pay_url: (row.status == DossierStatus::AwaitingPayment).then(|| step_url(id, "payment")),
        postal,
        delivery_change_url: (!row.status.is_terminal()
            && !matches!(
                row.status,
                DossierStatus::OutForDelivery | DossierStatus::Draft
            ))
        .then(|| step_url(id, "result-delivery")),
        result_channel_value: row.result_channel.clone(),
        result_address: row.result_address.clone(),
        payments: crate::payments::citizen::payment_views(
            &payments,
            lang,
            &step_url(id, "receipts"),
        ),
        complete_url: matches!(
            row.status,
            DossierStatus::ReturnedForCompletion | DossierStatus::SupplementRequested
        )
        .then(|| step_url(id, "documents")),
        stop_url: matches!(
            row.status,
            DossierStatus::Received
                | DossierStatus::Processing
                | DossierStatus::WaitingCooperation
                | DossierStatus::SupplementRequested
                | DossierStatus::WaitingFinancial
        )
        .then(|| step_url(id, "stop")),
        result_url: (row.result_file_id.is_some()
            && matches!(
                row.status,
                DossierStatus::ResultReady
                    | DossierStatus::OutForDelivery
                    | DossierStatus::Returned
            ))
        .then(|| step_url(id, "result")),
        due_at: row.due_at.map(format_time),
        forms: ["02", "03", "04", "05"]
            .into_iter()
            .filter(|n| {
                events.iter().any(|e| {
                    super::workflow::Action::ALL
                        .into_iter()
                        .any(|a| format!("{a:?}") == e.action && a.form() == Some(*n))
                })
            })
            .map(|n| crate::processing::views::FormLink {
                print_url: step_url(id, &format!("forms/{n}.html")),
                label: lang.t(&format!("forms.{n}")).into_owned(),
                url: step_url(id, &format!("forms/{n}.pdf")),
            })
            .collect(),
        track_url: format!("/tra-cuu?code={}", paths::encode(&code)),
        pdf_url: step_url(id, "acknowledgement.pdf"),
        form01_url: row
            .received_at
            .is_some()
            .then(|| step_url(id, "form-01.pdf")),
        code,
        pin,
    }
    .into_response())
}

/// `dd/mm/yyyy hh:mm`, Vietnam time.
pub(super) fn format_time(at: chrono::DateTime<chrono::Utc>) -> String {
    crate::deadlines::calendar::to_local(at)
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// `POST /account/dossiers/{id}/withdraw`
pub async fn withdraw(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let row = owned(&app, citizen, id).await?;
    let mut tx = app.db.begin().await?;
    let act = super::service::Act::new(
        id,
        row.status,
        super::workflow::Action::Withdraw,
        super::workflow::Actor::Citizen,
    )
    .by(citizen.id, None);
    let applied = super::service::apply(&mut tx, act).await;
    match applied {
        Ok(_) => {}
        Err(super::service::ApplyError::Illegal(_)) => {
            return Err(AppError::BadRequest("dossier.error_withdraw"));
        }
        Err(super::service::ApplyError::Database(e)) => return Err(e.into()),
        Err(_) => return Err(AppError::Conflict),
    }
    audit::record(
        &mut tx,
        Actor::Citizen(citizen.id),
        "dossier.withdrawn",
        Some(&id.to_string()),
        ip,
        json!({}),
    )
    .await?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    flash::set(&session, lang.t("dossier.withdrawn")).await;
    Ok(Redirect::to("/account/dossiers").into_response())
}

/// `GET /account/dossiers/{id}/files/{file}`: one of the citizen's own files.
pub async fn download(
    State(app): State<AppState>,
    citizen: CurrentCitizen,
    Path((id, file)): Path<(Uuid, Uuid)>,
) -> AppResult<Response> {
    owned(&app, citizen, id).await?;
    let mut conn = app.db.acquire().await?;
    let files = repo::files(&mut conn, id).await?;
    super::files::serve(&app, &files, file).await
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    after: Option<String>,
}

const LIST_PAGE: i64 = 20;

/// `GET /account/dossiers`: "My dossiers", newest first, keyset-paginated.
pub async fn list(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    Query(query): Query<ListQuery>,
) -> AppResult<ListPage> {
    let after = query.after.as_deref().and_then(paths::parse_time_cursor);
    let mut conn = app.db.acquire().await?;
    let mut items = repo::list(&mut conn, citizen.id, after, LIST_PAGE + 1).await?;
    let next_url = (items.len() as i64 > LIST_PAGE).then(|| {
        items.truncate(LIST_PAGE as usize);
        items
            .last()
            .map(|i| {
                format!(
                    "/account/dossiers?after={}",
                    paths::time_cursor(i.created_at, i.id)
                )
            })
            .unwrap_or_default()
    });
    Ok(ListPage {
        layout: layout(lang, "dossier.my_dossiers", "/account/dossiers", &session).await?,
        rows: items
            .iter()
            .map(|i| ListRow {
                url: dossier_url(i.id),
                code: i
                    .code
                    .clone()
                    .unwrap_or_else(|| lang.t("dossier.no_code_yet").into_owned()),
                procedure: lang.pick(&i.procedure_vi, &i.procedure_en).to_owned(),
                status: lang.t(i.status.label_key()).into_owned(),
                date: format_time(i.submitted_at.unwrap_or(i.created_at)),
                due: i.due_at.map(format_time).unwrap_or_default(),
                expected: lang
                    .t(match i.status {
                        DossierStatus::Draft => "dossier.expect_finish",
                        DossierStatus::AwaitingPayment => "dossier.expect_pay",
                        DossierStatus::ReturnedForCompletion
                        | DossierStatus::SupplementRequested => "dossier.expect_supplement",
                        DossierStatus::ResultReady => "dossier.expect_collect",
                        _ => "dossier.expect_nothing",
                    })
                    .into_owned(),
            })
            .collect(),
        next_url,
    })
}

/// `GET /account/dossiers/{id}/acknowledgement.pdf`
pub async fn acknowledgement_pdf(
    State(app): State<AppState>,
    citizen: CurrentCitizen,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let row = owned(&app, citizen, id).await?;
    if row.status == DossierStatus::Draft {
        return Err(AppError::NotFound);
    }
    let mut conn = app.db.acquire().await?;
    let files = repo::files(&mut conn, id).await?;
    let terms = app.terms.get(&mut conn, row.procedure_version_id).await?;
    let slots = &terms.slots;
    drop(conn);
    let code = row.code.clone().unwrap_or_default();
    let vi = Lang::Vi;
    let documents = files
        .iter()
        .map(|f| {
            let slot = f
                .document_position
                .and_then(|p| slots.iter().find(|s| s.position == p))
                .map_or_else(
                    || vi.t("dossier.other_documents").into_owned(),
                    |s| s.name_vi.clone(),
                );
            format!("{slot}: {}", domain::display_name(&f.original_name))
        })
        .collect();
    let result = ResultChannel::parse(&row.result_channel)
        .map(|c| vi.t(c.label_key()).into_owned())
        .unwrap_or_default();
    let ack = super::pdf::Acknowledgement {
        agency: row.receiving_vi.clone().unwrap_or_default(),
        procedure: row.procedure_vi.clone(),
        applicant: row.applicant_name.clone(),
        phone: PhoneNumber::parse(&row.applicant_phone)
            .map_or_else(|| row.applicant_phone.clone(), |p| p.national()),
        address: row.applicant_address.clone(),
        submitted_at: row.submitted_at.map(format_time).unwrap_or_default(),
        time_limit: format_time_limit(row.time_limit_value, row.time_limit_unit, vi),
        result: if row.result_channel == "post" {
            format!("{result}: {}", row.result_address)
        } else {
            result
        },
        documents,
        tracking_url: format!(
            "{}/tra-cuu?code={}",
            app.settings.public_origin,
            paths::encode(&code)
        ),
        code: code.clone(),
    };
    let bytes = tokio::task::spawn_blocking(move || super::pdf::acknowledgement(&ack))
        .await
        .map_err(anyhow::Error::from)??;
    Ok(download::attachment(
        bytes,
        "application/pdf",
        &format!("bien-nhan-{code}.pdf"),
    ))
}

/// `GET /account/dossiers/{id}/form-01.pdf`: the citizen's copy of the receipt and appointment
/// slip, once the dossier is accepted.
pub async fn form01(
    State(app): State<AppState>,
    citizen: CurrentCitizen,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    owned(&app, citizen, id).await?;
    super::forms::form01_response(&app.db, &app.settings.public_origin, id).await
}

/// `POST /account/dossiers/{id}/resubmit`: a dossier returned for completion goes back to the
/// reception desk with what the citizen changed.
pub async fn resubmit(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let row = owned(&app, citizen, id).await?;
    let action = match row.status {
        DossierStatus::SupplementRequested => super::workflow::Action::SupplementReceived,
        _ => super::workflow::Action::Resubmit,
    };
    let mut tx = app.db.begin().await?;
    let act = super::service::Act::new(id, row.status, action, super::workflow::Actor::Citizen)
        .by(citizen.id, None)
        .to(row.receiving_agency_id, None);
    let applied = super::service::apply(&mut tx, act).await;
    let event = match applied {
        Ok(applied) => applied.event_id,
        Err(super::service::ApplyError::Database(e)) => return Err(e.into()),
        Err(_) => return Err(AppError::Conflict),
    };
    if action == super::workflow::Action::SupplementReceived {
        // Decree 118 Art. 19(5): the time limit counts again from zero; the event keeps the
        // new appointment, by which the reports judge the periods after it
        let due = crate::processing::desk::restart_clock(&mut tx, id).await?;
        sqlx::query(
            "update dossier_events set details = details || jsonb_build_object('due_at', $2::timestamptz) \
             where id = $1",
        )
        .bind(event)
        .bind(due)
        .execute(&mut *tx)
        .await?;
    } else {
        // back at the desk: its 8 working hours count from now
        sqlx::query("update dossiers set submitted_at = now() where id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    audit::record(
        &mut tx,
        Actor::Citizen(citizen.id),
        "dossier.resubmitted",
        row.code.as_deref(),
        ip,
        json!({}),
    )
    .await?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    flash::set(&session, lang.t("dossier.resubmitted")).await;
    Ok(Redirect::to(&dossier_url(id)).into_response())
}

#[derive(Deserialize)]
pub struct StopForm {
    #[serde(default)]
    reason: String,
}

/// `POST /account/dossiers/{id}/stop`: the applicant asks to stop processing while no result
/// has been issued (Decree 118 Art. 21; Form 05).
pub async fn stop(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form): Form<StopForm>,
) -> AppResult<Response> {
    let row = owned(&app, citizen, id).await?;
    let reason = form.reason.trim();
    let mut tx = app.db.begin().await?;
    let act = super::service::Act::new(
        id,
        row.status,
        super::workflow::Action::Stop,
        super::workflow::Actor::Citizen,
    )
    .by(citizen.id, None)
    .note(reason)
    .to(row.receiving_agency_id, None);
    match super::service::apply(&mut tx, act).await {
        Ok(_) => {}
        Err(super::service::ApplyError::Illegal(_)) => {
            return Err(AppError::BadRequest("dossier.error_stop"));
        }
        Err(super::service::ApplyError::Database(e)) => return Err(e.into()),
        Err(_) => return Err(AppError::Conflict),
    }
    audit::record(
        &mut tx,
        Actor::Citizen(citizen.id),
        "dossier.stop",
        row.code.as_deref(),
        ip,
        json!({"reason": reason}),
    )
    .await?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    flash::set(&session, lang.t("dossier.stopped")).await;
    Ok(Redirect::to(&dossier_url(id)).into_response())
}

/// `GET /account/dossiers/{id}/result`: the issued result document.
pub async fn result(
    State(app): State<AppState>,
    citizen: CurrentCitizen,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let row = owned(&app, citizen, id).await?;
    let issued = matches!(
        row.status,
        DossierStatus::ResultReady | DossierStatus::OutForDelivery | DossierStatus::Returned
    );
    let file = row
        .result_file_id
        .filter(|_| issued)
        .ok_or(AppError::NotFound)?;
    let mut conn = app.db.acquire().await?;
    let files = repo::result_files(&mut conn, id).await?;
    drop(conn);
    super::files::serve(&app, &files, file).await
}

/// `GET /account/dossiers/{id}/forms/{form}`: Forms 02–05 the citizen received.
pub async fn form_pdf(
    State(app): State<AppState>,
    citizen: CurrentCitizen,
    Path((id, form)): Path<(Uuid, String)>,
) -> AppResult<Response> {
    owned(&app, citizen, id).await?;
    let number = form.split('.').next().unwrap_or_default();
    if !["01", "02", "03", "04", "05"].contains(&number) {
        return Err(AppError::NotFound);
    }
    crate::processing::forms::respond(&app.db, &app.settings.public_origin, id, &form).await
}

#[derive(Deserialize)]
pub struct ResultDeliveryForm {
    #[serde(default)]
    result_channel: String,
    #[serde(default)]
    result_address: String,
}

/// `POST /account/dossiers/{id}/result-delivery`: counter ↔ post (and the address), until the
/// result is handed to the post.
pub async fn change_result_delivery(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form): Form<ResultDeliveryForm>,
) -> AppResult<Response> {
    let row = owned(&app, citizen, id).await?;
    if row.status.is_terminal()
        || matches!(
            row.status,
            DossierStatus::OutForDelivery | DossierStatus::Draft
        )
    {
        return Err(AppError::Conflict);
    }
    let channel = match form.result_channel.as_str() {
        "counter" => "counter",
        "post" if form.result_address.trim().chars().count() >= 5 => "post",
        "post" => return Err(AppError::BadRequest("dossier.error_result_address")),
        _ => return Err(AppError::BadRequest("errors.bad_request_text")),
    };
    let address = if channel == "post" {
        form.result_address.trim()
    } else {
        ""
    };
    let mut tx = app.db.begin().await?;
    let changed = sqlx::query(
        "update dossiers set result_channel = $2, result_address = $3 where id = $1 \
           and status not in ('out_for_delivery', 'returned', 'draft') \
           and not exists (select 1 from postal_items p where p.dossier_id = $1 and p.direction = 'delivery' \
             and p.status in ('handed_over', 'out'))",
    )
    .bind(id)
    .bind(channel)
    .bind(address)
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() != 1 {
        return Err(AppError::Conflict);
    }
    audit::record(
        &mut tx,
        Actor::Citizen(citizen.id),
        "dossier.result_delivery",
        row.code.as_deref(),
        ip,
        json!({"result_channel": channel}),
    )
    .await?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    flash::set(&session, lang.t("postal.delivery_changed")).await;
    Ok(Redirect::to(&dossier_url(id)).into_response())
}
