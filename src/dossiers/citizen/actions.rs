//! What a citizen does to a dossier once submitted: withdraw it, resubmit it after a return,
//! ask to stop it, change how the result comes back.

use super::*;

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
    let act = crate::dossiers::service::Act::new(
        id,
        row.status,
        crate::dossiers::workflow::Action::Withdraw,
        crate::dossiers::workflow::Actor::Citizen,
    )
    .by(citizen.id, None);
    let applied = crate::dossiers::service::apply(&mut tx, act).await;
    match applied {
        Ok(_) => {}
        Err(crate::dossiers::service::ApplyError::Illegal(_)) => {
            return Err(AppError::BadRequest("dossier.error_withdraw"));
        }
        Err(crate::dossiers::service::ApplyError::Database(e)) => return Err(e.into()),
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
    tx.commit().await?;
    flash::set(&session, lang.t("dossier.withdrawn")).await;
    Ok(Redirect::to("/account/dossiers").into_response())
}

/// `POST /account/dossiers/{id}/resubmit`: a dossier returned for completion goes back to the
/// reception desk with what the citizen changed; a supplement asked during processing goes to
/// the case officer who asked for it.
pub async fn resubmit(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let row = owned(&app, citizen, id).await?;
    let mut tx = app.db.begin().await?;
    let sent_key = send_back(&mut tx, &row, citizen.id, app.clock.now()).await?;
    audit::record(
        &mut tx,
        Actor::Citizen(citizen.id),
        "dossier.resubmitted",
        row.code.as_deref(),
        ip,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    flash::set(&session, lang.t(sent_key)).await;
    Ok(Redirect::to(&crate::web::paths::citizen_dossier(id)).into_response())
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
    let act = crate::dossiers::service::Act::new(
        id,
        row.status,
        crate::dossiers::workflow::Action::Stop,
        crate::dossiers::workflow::Actor::Citizen,
    )
    .by(citizen.id, None)
    .note(reason)
    .to(row.receiving_agency_id, None);
    match crate::dossiers::service::apply(&mut tx, act).await {
        Ok(_) => {}
        Err(crate::dossiers::service::ApplyError::Illegal(_)) => {
            return Err(AppError::BadRequest("dossier.error_stop"));
        }
        Err(crate::dossiers::service::ApplyError::Database(e)) => return Err(e.into()),
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
    tx.commit().await?;
    flash::set(&session, lang.t("dossier.stopped")).await;
    Ok(Redirect::to(&crate::web::paths::citizen_dossier(id)).into_response())
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
    tx.commit().await?;
    flash::set(&session, lang.t("postal.delivery_changed")).await;
    Ok(Redirect::to(&crate::web::paths::citizen_dossier(id)).into_response())
}

/// Sends the citizen's completed dossier back: to the reception desk (its 8 working hours
/// from now), or, for a supplement asked during processing, to the case officer who asked,
/// the time limit counting again from zero. Returns the message key that tells the citizen.
async fn send_back(
    tx: &mut sqlx::PgConnection,
    row: &crate::dossiers::repo::DossierRow,
    citizen: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<&'static str> {
    let id = row.id;
    use crate::dossiers::workflow::Action;
    let supplement = row.status == DossierStatus::SupplementRequested;
    let action = if supplement {
        Action::SupplementReceived
    } else {
        Action::Resubmit
    };
    let (to_agency, to_officer, sent_key) = if supplement {
        (
            row.competent_agency_id,
            row.assignee_id,
            "dossier.supplement_sent",
        )
    } else {
        (row.receiving_agency_id, None, "dossier.resubmitted")
    };
    // Decree 118 Art. 19(5): after a supplement the time limit counts again from zero (the
    // row first, as an official's action does); the event keeps the new appointment, by which
    // the reports judge the periods after it
    let mut details = serde_json::json!({});
    if supplement {
        let (due, statistics_due) = crate::processing::desk::restart_clock(tx, id, now).await?;
        details["due_at"] = serde_json::json!(due);
        details["statistics_due_at"] = serde_json::json!(statistics_due);
    }
    let act = crate::dossiers::service::Act::new(
        id,
        row.status,
        action,
        crate::dossiers::workflow::Actor::Citizen,
    )
    .by(citizen, None)
    .at(now)
    .to(to_agency, to_officer)
    .details(details);
    match crate::dossiers::service::apply(tx, act).await {
        Ok(_) => {}
        Err(crate::dossiers::service::ApplyError::Database(e)) => return Err(e.into()),
        Err(_) => return Err(AppError::Conflict),
    }
    if !supplement {
        // back at the desk: its 8 working hours count from now
        sqlx::query("update dossiers set submitted_at = $2 where id = $1")
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    Ok(sent_key)
}
