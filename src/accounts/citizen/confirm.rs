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
    let layout = layout(lang, "account.confirm_title", "/account/confirm", session).await?;
    Ok(phone_code_page(
        app,
        lang,
        layout,
        phone,
        ("/account/confirm", "/account/confirm/resend"),
        errors,
    ))
}

/// The page asking for the code sent to `phone`: the form posts to `urls.0`, another code is
/// asked at `urls.1`.
fn phone_code_page(
    app: &AppState,
    lang: Lang,
    layout: Layout,
    phone: &str,
    urls: (&'static str, &'static str),
    errors: FormErrors,
) -> CodePage {
    let shown = PhoneNumber::parse(phone).map_or_else(|| phone.to_owned(), |p| p.national());
    CodePage {
        layout: layout.with_errors(&errors),
        heading: lang.t("account.confirm_title").into_owned(),
        lead: lang.t("account.confirm_lead").replace("{phone}", &shown),
        action: urls.0,
        with_password: false,
        resend_url: Some(urls.1),
        dev_outbox: app.settings.is_development(),
        errors,
    }
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

/// The registration waiting for its code (the new account, nil when none was made; the phone).
async fn registering(session: &Session) -> AppResult<Option<(Uuid, String)>> {
    Ok(session
        .get(REGISTER_KEY)
        .await
        .map_err(anyhow::Error::from)?)
}

fn register_code_page(
    app: &AppState,
    lang: Lang,
    layout: Layout,
    phone: &str,
    errors: FormErrors,
) -> CodePage {
    phone_code_page(
        app,
        lang,
        layout,
        phone,
        (REGISTER_CODE_PATH, "/account/register/code/resend"),
        errors,
    )
}

/// `GET /account/register/code`: the code sent to the phone typed at registration.
pub async fn register_code_form(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
) -> AppResult<Response> {
    let Some((_, phone)) = registering(&session).await? else {
        return Ok(Redirect::to("/account/register").into_response());
    };
    let layout = layout(lang, "account.confirm_title", REGISTER_CODE_PATH, &session).await?;
    Ok(register_code_page(&app, lang, layout, &phone, FormErrors::new()).into_response())
}

/// `POST /account/register/code`: the right code confirms the new account's phone and signs
/// it in; any other code (and every code when no account was made) is wrong.
pub async fn register_with_code(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<CodeForm>,
) -> AppResult<Response> {
    let Some((id, phone)) = registering(&session).await? else {
        return Ok(Redirect::to("/account/register").into_response());
    };
    let mut tx = app.db.begin().await?;
    let right = !id.is_nil()
        && codes::verify(
            &mut tx,
            &app.settings,
            id,
            Purpose::ConfirmContact,
            &form.code,
        )
        .await?;
    if !right {
        tx.commit().await?;
        let mut errors = FormErrors::new();
        errors.add("code", lang.t("account.error_code"));
        let layout = layout(lang, "account.confirm_title", REGISTER_CODE_PATH, &session).await?;
        return Ok(unprocessable(register_code_page(
            &app, lang, layout, &phone, errors,
        )));
    }
    repo::mark_confirmed(&mut tx, id).await?;
    audit::record(
        &mut tx,
        Actor::Citizen(id),
        "citizen.confirmed",
        Some(&id.to_string()),
        ip,
        json!({"channel": "sms"}),
    )
    .await?;
    tx.commit().await?;
    session
        .remove_value(REGISTER_KEY)
        .await
        .map_err(anyhow::Error::from)?;
    crate::accounts::signin::start(&app, &session, AccountKind::Citizen, id).await?;
    flash::set(&session, lang.t("account.confirmed")).await;
    Ok(Redirect::to(paths::ACCOUNT).into_response())
}

/// `POST /account/register/code/resend`: another code for the new account (the same answer
/// when none was made).
pub async fn resend_register_code(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    ClientIp(ip): ClientIp,
) -> AppResult<Response> {
    let Some((id, phone)) = registering(&session).await? else {
        return Ok(Redirect::to("/account/register").into_response());
    };
    let mut said = lang.t("account.code_sent").into_owned();
    if !id.is_nil() {
        let mut tx = app.db.begin().await?;
        let issued = codes::issue(
            &mut tx,
            &app.settings,
            id,
            Purpose::ConfirmContact,
            &phone,
            &lang.t("account.sms_confirm"),
            ip,
        )
        .await?;
        tx.commit().await?;
        if issued == codes::Issued::Limited {
            said = code_limited(&app, lang);
        }
    }
    flash::set(&session, said).await;
    Ok(Redirect::to(REGISTER_CODE_PATH).into_response())
}
