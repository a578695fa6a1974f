//! Signing in with the portal's own account, and out.

use super::*;

/// `GET /account/login`
pub async fn login_form(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    Query(query): Query<NextQuery>,
) -> AppResult<LoginPage> {
    citizen_login_page(
        &app,
        lang,
        &session,
        String::new(),
        safe_next(query.next.as_deref(), paths::ACCOUNT),
        FormErrors::new(),
    )
    .await
}

pub(super) async fn citizen_login_page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    login: String,
    next: String,
    errors: FormErrors,
) -> AppResult<LoginPage> {
    let layout = layout(lang, "account.login_title", "/account/login", session)
        .await?
        .with_errors(&errors);
    Ok(LoginPage {
        layout,
        heading: lang.t("account.login_title").into_owned(),
        action: "/account/login",
        login_label: lang.t("account.login_name").into_owned(),
        login_hint: lang.t("account.login_hint").into_owned(),
        login,
        next,
        staff: false,
        national: !app.settings.dvcqg_sso_issuer.is_empty(),
        errors,
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// `POST /account/login`. The same answer, after the same work, whether or not the account
/// exists.
#[tracing::instrument(skip_all)]
pub async fn login(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let next = safe_next(form.next.as_deref(), paths::ACCOUNT);
    let name = LoginName::parse(&form.login);
    let key = name
        .as_ref()
        .map_or_else(|| form.login.trim().to_lowercase(), LoginName::throttle_key);
    let account = match &name {
        Some(name) => repo::citizen_by_login(&mut *app.db.acquire().await?, name).await?,
        None => None,
    };
    let account_id = account.as_ref().map(|a| a.0);
    let outcome = signin::attempt(
        &app,
        &session,
        AccountKind::Citizen,
        &key,
        ip,
        account,
        form.password,
    )
    .await?;
    let (status, message) = match outcome {
        Outcome::SignedIn => {
            // notices are written in the language the citizen uses the portal in
            if let Some(id) = account_id {
                sqlx::query("update citizens set lang = $2 where id = $1 and lang <> $2")
                    .bind(id)
                    .bind(lang.code())
                    .execute(&app.db)
                    .await?;
            }
            return Ok(Redirect::to(&next).into_response());
        }
        Outcome::Locked => (StatusCode::TOO_MANY_REQUESTS, "account.error_locked"),
        // (a citizen has no second factor)
        Outcome::Refused | Outcome::SecondFactor(_) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "account.error_credentials",
        ),
    };
    let mut errors = FormErrors::new();
    errors.add("login", lang.t(message));
    let page = citizen_login_page(&app, lang, &session, form.login, next, errors).await?;
    Ok((status, page).into_response())
}

/// `POST /account/logout`
pub async fn logout(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    ClientIp(ip): ClientIp,
) -> AppResult<Response> {
    // signed in with the national account: its provider's session ends too
    let id_token: Option<String> = session
        .get(crate::accounts::national_sso::ID_TOKEN_KEY)
        .await
        .map_err(anyhow::Error::from)?;
    signin::sign_out(&app, &session, AccountKind::Citizen, citizen.id, ip).await?;
    // offered as a link: a form's answer may not lead to another site (CSP form-action)
    if let Some(token) = id_token
        && let Some(url) = crate::accounts::national_sso::end_session_url(&app, &token).await
    {
        let page = crate::accounts::views::NationalSignedOutPage {
            layout: layout(lang, "sso.signed_out_title", paths::HOME, &session).await?,
            end_session: url,
        };
        return Ok(page.into_response());
    }
    Ok(Redirect::to(paths::HOME).into_response())
}
