//! Confirming the phone or e-mail of a new account with a one-time code.

use super::*;

/// `GET /account/confirm`
pub async fn confirm_form(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
) -> AppResult<Response> {
    let mut conn = app.db.acquire().await?;
    let me = repo::citizen(&mut conn, citizen.id)
        .await?
        .ok_or(AppError::NotFound)?;
    if me.confirmed_at.is_some() {
        return Ok(Redirect::to(paths::ACCOUNT).into_response());
    }
    Ok(
        confirm_page(&app, lang, &session, &me.phone, FormErrors::new())
            .await?
            .into_response(),
    )
}

pub(super) async fn confirm_page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    phone: &str,
    errors: FormErrors,
) -> AppResult<CodePage> {
    let shown = PhoneNumber::parse(phone).map_or_else(|| phone.to_owned(), |p| p.national());
    Ok(CodePage {
        layout: layout(lang, "account.confirm_title", "/account/confirm", session)
            .await?
            .with_errors(&errors),
        heading: lang.t("account.confirm_title").into_owned(),
        lead: lang.t("account.confirm_lead").replace("{phone}", &shown),
        action: "/account/confirm",
        with_password: false,
        resend_url: Some("/account/confirm/resend"),
        dev_outbox: app.settings.is_development(),
        errors,
    })
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    pub(in crate::accounts) code: String,
    #[serde(default)]
    pub(super) password: String,
    #[serde(default)]
    pub(super) password_confirm: String,
}

/// `POST /account/confirm`
pub async fn confirm(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<CodeForm>,
) -> AppResult<Response> {
    let mut tx = app.db.begin().await?;
    let me = repo::citizen(&mut tx, citizen.id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !codes::verify(
        &mut tx,
        &app.settings,
        citizen.id,
        Purpose::ConfirmContact,
        &form.code,
    )
    .await?
    {
        tx.commit().await?;
        let mut errors = FormErrors::new();
        errors.add("code", lang.t("account.error_code"));
        return Ok(unprocessable(
            confirm_page(&app, lang, &session, &me.phone, errors).await?,
        ));
    }
    repo::mark_confirmed(&mut tx, citizen.id).await?;
    audit::record(
        &mut tx,
        Actor::Citizen(citizen.id),
        "citizen.confirmed",
        Some(&citizen.id.to_string()),
        ip,
        json!({"channel": "sms"}),
    )
    .await?;
    tx.commit().await?;
    flash::set(&session, lang.t("account.confirmed")).await;
    Ok(Redirect::to(paths::ACCOUNT).into_response())
}

/// `POST /account/confirm/resend`
pub async fn resend_confirmation(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    ClientIp(ip): ClientIp,
) -> AppResult<Response> {
    let mut tx = app.db.begin().await?;
    let me = repo::citizen(&mut tx, citizen.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let issued = codes::issue(
        &mut tx,
        &app.settings,
        me.id,
        Purpose::ConfirmContact,
        &me.phone,
        &lang.t("account.sms_confirm"),
        ip,
    )
    .await?;
    tx.commit().await?;
    let said = match issued {
        codes::Issued::Sent => lang.t("account.code_sent").into_owned(),
        codes::Issued::Limited => code_limited(&app, lang),
    };
    flash::set(&session, said).await;
    Ok(Redirect::to("/account/confirm").into_response())
}
