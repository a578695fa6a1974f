//! Starting a dossier and its first steps: the procedure chosen, the applicant, the
//! procedure's own questions.

use super::*;

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
    // a quota of drafts per citizen (they expire after `draft_expire_days` untouched)
    let open: i64 = sqlx::query_scalar(
        "select count(*) from dossiers where citizen_id = $1 and status = 'draft'",
    )
    .bind(citizen.id)
    .fetch_one(&mut *conn)
    .await?;
    if open >= app.settings.max_citizen_drafts {
        return Err(AppError::BadRequest("dossier.error_too_many_drafts"));
    }
    let (id, version) = drafts::create_draft(&mut conn, citizen.id, code.as_str())
        .await?
        .ok_or(AppError::BadRequest("dossier.error_not_online"))?;
    app.terms.remember(citizen.id, id, version).await;
    Ok(Redirect::to(&step_url(id, "applicant")).into_response())
}

/// `POST /account/dossiers/{id}/delete`: the citizen deletes a draft of theirs (and its files).
pub async fn delete_draft(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let mut tx = app.db.begin().await?;
    if !drafts::delete_draft(&mut tx, Some(citizen.id), id).await? {
        return Err(AppError::NotFound);
    }
    crate::audit::record(
        &mut tx,
        crate::audit::Actor::Citizen(citizen.id),
        "dossier.draft_deleted",
        None,
        ip,
        serde_json::json!({"dossier": id}),
    )
    .await?;
    tx.commit().await?;
    flash::set(&session, lang.t("dossier.draft_deleted")).await;
    Ok(Redirect::to("/account/dossiers").into_response())
}

pub(super) async fn unit_options(
    app: &AppState,
    lang: Lang,
    chosen: &str,
) -> AppResult<Vec<FilterOption>> {
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

pub(super) async fn applicant_page(
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
    // a commune in force: checked by the statement that saves (`drafts::save_applicant`)
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
    if !drafts::save_applicant(&mut conn, citizen.id, id, &applicant, next).await? {
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

pub(super) fn field_views(
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

pub(super) async fn details_page(
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
            if !drafts::save_answers(&mut conn, citizen.id, id, &clean).await? {
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
