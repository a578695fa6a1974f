//! Resetting a forgotten password with a one-time code.

use super::*;

/// `GET /account/reset`
pub async fn reset_form(RequestLang(lang): RequestLang, session: Session) -> AppResult<ResetPage> {
    Ok(ResetPage {
        layout: layout(lang, "account.reset_title", "/account/reset", &session).await?,
        login: String::new(),
        errors: FormErrors::new(),
    })
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    login: String,
}

/// `POST /account/reset`: sends a code when the account exists; says the same either way.
pub async fn request_reset(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<ResetForm>,
) -> AppResult<Response> {
    let Some(name) = LoginName::parse(&form.login) else {
        let mut errors = FormErrors::new();
        errors.add("login", lang.t("account.error_login_name"));
        let layout = layout(lang, "account.reset_title", "/account/reset", &session)
            .await?
            .with_errors(&errors);
        return Ok(unprocessable(ResetPage {
            layout,
            login: form.login,
            errors,
        }));
    };
    let mut tx = app.db.begin().await?;
    let account = repo::citizen_by_login(&mut tx, &name).await?;
    if let Some((id, _)) = account {
        let me = repo::citizen(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let destination = match (&name, &me.email) {
            (LoginName::Email(_), Some(email)) => email.clone(),
            _ => me.phone.clone(),
        };
        // a limited request looks the same as any other (it must not tell whether the account
        // exists); the code page says how many codes an account gets
        codes::issue(
            &mut tx,
            &app.settings,
            id,
            Purpose::ResetPassword,
            &destination,
            &lang.t("account.sms_reset"),
            ip,
        )
        .await?;
        session
            .insert(RESET_KEY, id)
            .await
            .map_err(anyhow::Error::from)?;
    } else {
        session
            .insert(RESET_KEY, uuid::Uuid::nil())
            .await
            .map_err(anyhow::Error::from)?;
    }
    tx.commit().await?;
    Ok(Redirect::to("/account/reset/code").into_response())
}

pub(super) fn reset_code_page(
    app: &AppState,
    lang: Lang,
    layout: Layout,
    errors: FormErrors,
) -> CodePage {
    CodePage {
        layout: layout.with_errors(&errors),
        heading: lang.t("account.reset_title").into_owned(),
        lead: lang
            .t("account.reset_code_lead")
            .replace("{per_hour}", &app.settings.otp_per_hour.to_string()),
        action: "/account/reset/code",
        with_password: true,
        resend_url: None,
        dev_outbox: app.settings.is_development(),
        errors,
    }
}

/// `GET /account/reset/code`
pub async fn reset_code_form(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
) -> AppResult<CodePage> {
    let layout = layout(lang, "account.reset_title", "/account/reset/code", &session).await?;
    Ok(reset_code_page(&app, lang, layout, FormErrors::new()))
}

/// `POST /account/reset/code`
pub async fn reset_with_code(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<CodeForm>,
) -> AppResult<Response> {
    let target: Option<uuid::Uuid> = session.get(RESET_KEY).await.map_err(anyhow::Error::from)?;
    let mut errors = FormErrors::new();
    if !throttle::may_hash(&mut *app.db.acquire().await?, &app.settings, ip).await? {
        errors.add("code", lang.t("account.error_too_many"));
        let layout = layout(lang, "account.reset_title", "/account/reset/code", &session).await?;
        let page = reset_code_page(&app, lang, layout, errors);
        return Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response());
    }
    // hashed before the transaction, so that no connection waits on it (and the work is the
    // same whatever the outcome)
    let hash = password::hash(form.password.clone()).await?;
    let mut tx = app.db.begin().await?;
    let me = match target.filter(|id| !id.is_nil()) {
        Some(id) => repo::citizen(&mut tx, id).await?,
        None => None,
    };
    let code_ok = match &me {
        Some(me) => {
            codes::verify(
                &mut tx,
                &app.settings,
                me.id,
                Purpose::ResetPassword,
                &form.code,
            )
            .await?
        }
        None => false,
    };
    if !code_ok {
        errors.add("code", lang.t("account.error_code"));
    }
    let personal: Vec<&str> = me.as_ref().map_or_else(Vec::new, |m| {
        vec![
            m.full_name.as_str(),
            m.phone.as_str(),
            m.personal_id.as_str(),
        ]
    });
    new_password_field(
        &form.password,
        &form.password_confirm,
        &personal,
        lang,
        &mut errors,
    );
    let (Some(me), true) = (me, errors.is_empty()) else {
        tx.commit().await?;
        let layout = layout(lang, "account.reset_title", "/account/reset/code", &session).await?;
        return Ok(unprocessable(reset_code_page(&app, lang, layout, errors)));
    };
    repo::set_citizen_password(&mut tx, me.id, &hash).await?;
    audit::record(
        &mut tx,
        Actor::Citizen(me.id),
        "citizen.password_reset",
        Some(&me.id.to_string()),
        ip,
        json!({}),
    )
    .await?;
    session::end_account_sessions(&mut tx, AccountKind::Citizen, me.id, None).await?;
    tx.commit().await?;
    session
        .remove_value(RESET_KEY)
        .await
        .map_err(anyhow::Error::from)?;
    flash::set(&session, lang.t("account.password_reset")).await;
    Ok(Redirect::to("/account/login").into_response())
}
