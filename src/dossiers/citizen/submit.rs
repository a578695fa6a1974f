//! The last steps: how the papers travel and the result returns, the check page, and the
//! submission.

use super::*;

pub(super) async fn delivery_page(
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
pub(super) async fn answer_rows(
    app: &AppState,
    row: &DossierRow,
    lang: Lang,
) -> AppResult<Vec<AnswerRow>> {
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
        format!("{result}: {}", row.result_address)
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

pub(super) async fn check_page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    row: &DossierRow,
    errors: FormErrors,
) -> AppResult<CheckPage> {
    let here = step_url(row.id, "check");
    let bill = whole_bill(app, row, lang).await?;
    Ok(CheckPage {
        layout: layout(lang, "dossier.check_title", &here, session)
            .await?
            .with_errors(&errors),
        procedure: procedure_name(row, lang),
        back_url: step_url(row.id, "delivery"),
        action: step_url(row.id, "submit"),
        submit_key: Uuid::new_v4().to_string(),
        rows: answer_rows(app, row, lang).await?,
        bill: bill.items,
        bill_total: bill.total,
        later_fees: bill.later,
        postage_note: bill.postage,
        errors,
    })
}

/// The whole bill the check page shows before the citizen commits.
struct WholeBill {
    items: Vec<(String, String)>,
    total: Option<String>,
    later: Vec<String>,
    postage: Option<String>,
}

/// The fees due with an online submission for the answers given (the first option of each
/// choice, no reduction: both are chosen at payment), the fees the agency sets later, and the
/// postage of a result by post, which the post collects on delivery.
async fn whole_bill(app: &AppState, row: &DossierRow, lang: Lang) -> AppResult<WholeBill> {
    let mut conn = app.db.acquire().await?;
    let terms = app.terms.get(&mut conn, row.procedure_version_id).await?;
    drop(conn);
    let online = row.intake_channel != 1;
    let now = crate::dossiers::terms::submission_bill(
        &terms,
        row.intake_channel,
        &row.answers.0,
        lang == Lang::Vi,
    );
    let fits = |l: &&crate::payments::domain::FeeLine| {
        l.channel == "any" || (online && l.channel == "online")
    };
    // exempt by law (an amount of nothing): said so, not left out
    let exempt = terms
        .fee_lines
        .iter()
        .filter(fits)
        .filter(|l| l.due == "submission" && l.amount_vnd == Some(0))
        .map(|l| {
            let label = lang.pick(&l.label_vi, &l.label_en).to_owned();
            (label, lang.t("dossier.bill_exempt").into_owned())
        });
    let items = now
        .items
        .iter()
        .map(|i| (i.label.clone(), format_vnd(i.amount_vnd)))
        .chain(exempt)
        .collect();
    // no amount on the portal (set by the agency when it applies) or due after assessment
    let later = terms
        .fee_lines
        .iter()
        .filter(fits)
        .filter(|l| l.due != "submission" || l.amount_vnd.is_none())
        .map(|l| lang.pick(&l.label_vi, &l.label_en).to_owned())
        .collect();
    let postage = (row.result_channel == "post").then(|| {
        let amount = row.postage_estimate_vnd.map_or_else(
            || lang.t("dossier.postage_unknown").into_owned(),
            format_vnd,
        );
        lang.t("dossier.postage_who_pays")
            .replace("{amount}", &amount)
    });
    Ok(WholeBill {
        items,
        total: (now.total_vnd > 0).then(|| format_vnd(now.total_vnd)),
        later,
        postage,
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

pub(super) const PIN_KEY: &str = "new_pin";

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
        return Ok(Redirect::to(&crate::web::paths::citizen_dossier(id)).into_response());
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
    let owed = crate::dossiers::terms::due_at_submission(&terms, locked.intake_channel, answers);
    let then = if owed > 0 {
        let action = crate::dossiers::workflow::Action::RequestPayment;
        let status = crate::dossiers::workflow::next(
            DossierStatus::Submitted,
            action,
            crate::dossiers::workflow::Actor::System,
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
    // filed under a national sign-in: its level of assurance and account go with the dossier
    if let Some(national) = crate::accounts::national::signed_in(&session).await {
        sqlx::query("update dossiers set national_loa = $2, national_tech_id = $3 where id = $1")
            .bind(id)
            .bind(&national.loa)
            .bind(&national.tech_id)
            .execute(&mut *tx)
            .await?;
    }
    // papers picked up by post: the post office's list has it
    if PaperChannel::parse(&locked.paper_channel) == Some(PaperChannel::PostalPickup) {
        crate::postal::service::schedule_pickup(&mut tx, id).await?;
    }
    tx.commit().await?;
    session
        .insert(PIN_KEY, (id, pin))
        .await
        .map_err(anyhow::Error::from)?;
    Ok(Redirect::to(&crate::web::paths::citizen_dossier(id)).into_response())
}
