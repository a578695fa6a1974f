//! The documents step: uploads (streamed, checked as they arrive), reuse of earlier
//! files, removal, and moving on.

use super::*;

pub(super) fn file_view(id: Uuid, f: &FileRow, draft: bool) -> FileView {
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

pub(super) async fn documents_page(
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
            crate::web::paths::citizen_dossier(row.id)
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
        // who asked: the reception desk before acceptance, the deciding agency's case officer
        // during processing
        asked_by: if row.status == DossierStatus::SupplementRequested {
            lang.t("dossier.supplement_reason").into_owned()
        } else {
            lang.t("dossier.returned_reason").into_owned()
        },
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
pub(super) fn saved_url(id: Uuid) -> String {
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
    let (status, version, count, total) = drafts::upload_state(&mut conn, citizen.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !documents_open(status) {
        return Err(AppError::SeeOther(crate::web::paths::citizen_dossier(id)));
    }
    let position = slot_position(&app, &mut conn, version, &query.slot).await?;
    only_requested(&mut conn, id, status, position).await?;
    drop(conn);
    let stored = match receive_files(&app, &mut multipart, count, total).await {
        Ok(stored) => stored,
        Err((problem, stored)) => {
            discard(&app, &stored).await;
            return upload_refused(&app, lang, &session, citizen, id, position, problem).await;
        }
    };
    let files: Vec<drafts::StoredUpload<'_>> = stored
        .iter()
        .map(|s| drafts::StoredUpload {
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
    let mb = |n: u64| i64::try_from(n * 1024 * 1024).unwrap_or(i64::MAX);
    let caps = drafts::Caps {
        dossier_files: app.settings.max_dossier_files,
        dossier_bytes: mb(app.settings.max_dossier_mb),
        citizen_bytes: mb(app.settings.max_citizen_draft_mb),
    };
    let mut conn = app.db.acquire().await?;
    let added = drafts::insert_upload(
        &mut conn, citizen.id, id, status, position, purpose, &files, caps,
    )
    .await?;
    drop(conn);
    let problem = match added {
        Ok(_) => return Ok(Redirect::to(&saved_url(id)).into_response()),
        Err(drafts::NotAdded::Moved) => {
            // submitted or sent back meanwhile (another tab): the files are not kept
            discard(&app, &stored).await;
            return Ok(Redirect::to(&crate::web::paths::citizen_dossier(id)).into_response());
        }
        Err(drafts::NotAdded::TooManyFiles) => UploadError::TooMany,
        Err(drafts::NotAdded::DossierTooBig) => UploadError::DossierTooBig,
        Err(drafts::NotAdded::CitizenQuota) => UploadError::CitizenQuota,
    };
    // another upload filled the room first: this one is not kept
    discard(&app, &stored).await;
    upload_refused(&app, lang, &session, citizen, id, position, problem).await
}

/// The documents page again, with why the upload to the slot at `position` was refused.
async fn upload_refused(
    app: &AppState,
    lang: Lang,
    session: &Session,
    citizen: CurrentCitizen,
    id: Uuid,
    position: Option<i32>,
    problem: UploadError,
) -> AppResult<Response> {
    let row = owned_documents(app, citizen, id).await?;
    let mut errors = FormErrors::new();
    let slot_id = format!(
        "slot-{}",
        position.map_or_else(|| "other".to_owned(), |p| p.to_string())
    );
    let message = lang
        .t(problem.key())
        .replace("{mb}", &app.settings.max_citizen_draft_mb.to_string());
    errors.add(slot_id, message);
    Ok(unprocessable(
        documents_page(app, lang, session, citizen, &row, errors).await?,
    ))
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
    drafts::insert_file(
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
    tx.commit().await?;
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
    let removed = drafts::delete_file(&mut tx, id, file)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    if let Some(key) = removed {
        app.storage
            .delete(&key)
            .await
            .map_err(anyhow::Error::from)?;
    }
    Ok(Redirect::to(&step_url(id, "documents")).into_response())
}

/// Mandatory document slots without a file among `filled` (message per slot).
pub(super) fn missing_slots(
    slots: &[repo::DocumentSlot],
    filled: &[i32],
    lang: Lang,
) -> FormErrors {
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
pub(super) async fn missing_documents(
    app: &AppState,
    row: &DossierRow,
    lang: Lang,
) -> AppResult<FormErrors> {
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
