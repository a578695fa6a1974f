//! A submitted dossier as its citizen sees it: its page, "My dossiers", its files and the
//! printable acknowledgement and forms.

use super::*;
use crate::kernel::time::format_local;

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
    Ok(dossier_page(&app, lang, &session, &row, pin)
        .await?
        .into_response())
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
    crate::dossiers::files::serve(&app, &files, file).await
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    after: Option<String>,
}

pub(super) const LIST_PAGE: i64 = 20;

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
                url: crate::web::paths::citizen_dossier(i.id),
                code: i
                    .code
                    .clone()
                    .unwrap_or_else(|| lang.t("dossier.no_code_yet").into_owned()),
                procedure: lang.pick(&i.procedure_vi, &i.procedure_en).to_owned(),
                status: lang.t(i.status.label_key()).into_owned(),
                date: format_local(i.submitted_at.unwrap_or(i.created_at)),
                due: i.due_at.map(format_local).unwrap_or_default(),
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
                delete_url: (i.status == DossierStatus::Draft)
                    .then(|| format!("{}/delete", crate::web::paths::citizen_dossier(i.id))),
            })
            .collect(),
        draft_days: app.settings.draft_expire_days,
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
    let ack = crate::dossiers::pdf::Acknowledgement {
        agency: row.receiving_vi.clone().unwrap_or_default(),
        procedure: row.procedure_vi.clone(),
        applicant: row.applicant_name.clone(),
        phone: PhoneNumber::parse(&row.applicant_phone)
            .map_or_else(|| row.applicant_phone.clone(), |p| p.national()),
        address: row.applicant_address.clone(),
        submitted_at: row.submitted_at.map(format_local).unwrap_or_default(),
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
    let bytes = tokio::task::spawn_blocking(move || crate::dossiers::pdf::acknowledgement(&ack))
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
    crate::dossiers::forms::form01_response(&app.db, &app.settings.public_origin, id).await
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
    crate::dossiers::files::serve(&app, &files, file).await
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
