//! Citizen accounts: register, confirm, sign in and out, profile, password, reset.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use super::codes::{self, Purpose};
use super::domain::{
    EmailAddress, LoginName, PersonalId, PhoneNumber, check_new_password, this_year,
};
use super::guard::CurrentCitizen;
use super::password;
use super::repo::{self, NewCitizen, Taken};
use super::signin::{self, Outcome};
use super::throttle;
use super::views::{
    CodePage, LoginPage, PasswordPage, ProfilePage, RegisterForm, RegisterPage, ResetPage,
};
use crate::AppState;
use crate::audit::{self, Actor};
use crate::catalogue::views::FilterOption;
use crate::kernel::Lang;
use crate::web::client::ClientIp;
use crate::web::lang::{RequestLang, is_local_path};
use crate::web::session::{self, AccountKind};
use crate::web::{AppError, AppResult, FormErrors, Layout, flash, paths};

/// Where a reset in progress is for (kept in the session between the two steps).
const RESET_KEY: &str = "reset_for";

/// An optional e-mail field: empty is fine, anything else must be an address.
/// The error, if any, goes to `field` (the input's id).
pub(crate) fn optional_email(
    field: &str,
    input: &str,
    lang: Lang,
    errors: &mut FormErrors,
) -> Option<EmailAddress> {
    if input.trim().is_empty() {
        return None;
    }
    let parsed = EmailAddress::parse(input);
    if parsed.is_none() {
        errors.add(field, lang.t("account.error_email"));
    }
    parsed
}

/// A person's full name, spaces tidied: 2 to 100 characters. The error, if any, goes to
/// `field` (the input's id).
pub(crate) fn full_name_field(
    field: &str,
    input: &str,
    lang: Lang,
    errors: &mut FormErrors,
) -> String {
    let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if !(2..=100).contains(&name.chars().count()) {
        errors.add(field, lang.t("account.error_full_name"));
    }
    name
}

pub(super) fn unprocessable(page: impl IntoResponse) -> Response {
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

/// `GET /account/register`
pub async fn register_form(
    RequestLang(lang): RequestLang,
    session: Session,
) -> AppResult<RegisterPage> {
    Ok(RegisterPage {
        layout: layout(
            lang,
            "account.register_title",
            "/account/register",
            &session,
        )
        .await?,
        form: RegisterForm::default(),
        errors: FormErrors::new(),
    })
}

/// `POST /account/register`
#[tracing::instrument(skip_all)]
pub async fn register(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<RegisterForm>,
) -> AppResult<Response> {
    let mut errors = FormErrors::new();
    let full_name = full_name_field("full_name", &form.full_name, lang, &mut errors);
    let personal_id = PersonalId::parse(&form.personal_id, this_year())
        .map_err(|e| errors.add("personal_id", lang.t(e.message_key())))
        .ok();
    let phone = PhoneNumber::parse(&form.phone);
    if phone.is_none() {
        errors.add("phone", lang.t("account.error_phone"));
    }
    let email = optional_email("email", &form.email, lang, &mut errors);
    let personal: Vec<&str> = vec![&full_name, form.phone.as_str(), form.personal_id.as_str()];
    new_password_field(
        &form.password,
        &form.password_confirm,
        &personal,
        lang,
        &mut errors,
    );
    let (Some(personal_id), Some(phone), true) = (personal_id, phone, errors.is_empty()) else {
        return register_again(lang, &session, form, errors).await;
    };
    if !throttle::may_hash(&mut *app.db.acquire().await?, &app.settings, ip).await? {
        errors.add("password", lang.t("account.error_too_many"));
        let page = register_again(lang, &session, form, errors).await?;
        return Ok(too_many(page));
    }
    let hash = password::hash(form.password.clone()).await?;
    let mut tx = app.db.begin().await?;
    let new = NewCitizen {
        full_name: &full_name,
        personal_id: personal_id.as_str(),
        phone: phone.as_str(),
        email: email.as_ref().map(EmailAddress::as_str),
        password_hash: &hash,
    };
    let id = match repo::insert_citizen(&mut tx, &new).await? {
        Ok(id) => id,
        Err(taken) => {
            let (field, key) = match taken {
                Taken::PersonalId => ("personal_id", "account.error_personal_id_taken"),
                Taken::Phone => ("phone", "account.error_phone_taken"),
                Taken::Email => ("email", "account.error_email_taken"),
            };
            errors.add(field, lang.t(key));
            return register_again(lang, &session, form, errors).await;
        }
    };
    let issued = codes::issue(
        &mut tx,
        &app.settings,
        id,
        Purpose::ConfirmContact,
        phone.as_str(),
        &lang.t("account.sms_confirm"),
        ip,
    )
    .await?;
    audit::record(
        &mut tx,
        Actor::Citizen(id),
        "citizen.registered",
        Some(&id.to_string()),
        ip,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    session::sign_in(&session, AccountKind::Citizen, id).await?;
    if issued == codes::Issued::Limited {
        flash::set(&session, code_limited(&app, lang)).await;
    }
    Ok(Redirect::to("/account/confirm").into_response())
}

/// Why no new code was sent, with the limits in force.
pub(super) fn code_limited(app: &AppState, lang: Lang) -> String {
    lang.t("account.code_limited")
        .replace("{per_hour}", &app.settings.otp_per_hour.to_string())
        .replace("{per_day}", &app.settings.otp_per_day.to_string())
}

/// Checks a new password (rules of `check_new_password`) and its confirmation, adding what is
/// wrong to the form's errors.
pub(crate) fn new_password_field(
    password: &str,
    confirm: &str,
    personal: &[&str],
    lang: Lang,
    errors: &mut FormErrors,
) {
    if let Err(e) = check_new_password(password, personal) {
        errors.add("password", lang.t(e.message_key()));
    } else if password != confirm {
        errors.add(
            "password_confirm",
            lang.t("account.error_password_mismatch"),
        );
    }
}

/// A page refused for too many requests: 429 instead of its own status.
fn too_many(mut page: Response) -> Response {
    *page.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    page
}

async fn register_again(
    lang: Lang,
    session: &Session,
    mut form: RegisterForm,
    errors: FormErrors,
) -> AppResult<Response> {
    form.password.clear();
    form.password_confirm.clear();
    let layout = layout(lang, "account.register_title", "/account/register", session)
        .await?
        .with_errors(&errors);
    Ok(unprocessable(RegisterPage {
        layout,
        form,
        errors,
    }))
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

impl NextQuery {
    pub fn next(&self) -> Option<String> {
        self.next.clone()
    }
}

/// `next` when it is a path on this site, else `default`.
pub(super) fn safe_next(next: Option<&str>, default: &str) -> String {
    next.filter(|n| is_local_path(n))
        .unwrap_or(default)
        .to_owned()
}

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

async fn citizen_login_page(
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
        Outcome::Refused => (
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
        .get(super::national_sso::ID_TOKEN_KEY)
        .await
        .map_err(anyhow::Error::from)?;
    signin::sign_out(&app, &session, AccountKind::Citizen, citizen.id, ip).await?;
    // offered as a link: a form's answer may not lead to another site (CSP form-action)
    if let Some(token) = id_token
        && let Some(url) = super::national_sso::end_session_url(&app, &token).await
    {
        let page = super::views::NationalSignedOutPage {
            layout: layout(lang, "sso.signed_out_title", paths::HOME, &session).await?,
            end_session: url,
        };
        return Ok(page.into_response());
    }
    Ok(Redirect::to(paths::HOME).into_response())
}

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

async fn confirm_page(
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
    pub(super) code: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
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

/// `GET /account`
pub async fn profile(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
) -> AppResult<ProfilePage> {
    profile_page(&app, lang, &session, citizen, None, FormErrors::new()).await
}

#[derive(Deserialize, Default)]
pub struct ProfileForm {
    #[serde(default)]
    email: String,
    /// Asked only when the e-mail address changes.
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    address_line: String,
    #[serde(default)]
    admin_unit: String,
    /// checkboxes: present when ticked
    notify_email: Option<String>,
    notify_sms: Option<String>,
}

async fn profile_page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    citizen: CurrentCitizen,
    typed: Option<&ProfileForm>,
    errors: FormErrors,
) -> AppResult<ProfilePage> {
    let mut conn = app.db.acquire().await?;
    let me = repo::citizen(&mut conn, citizen.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let units = repo::admin_units_in_force(&mut conn).await?;
    let chosen = typed.map_or_else(
        || me.admin_unit_id.map(|u| u.to_string()).unwrap_or_default(),
        |t| t.admin_unit.clone(),
    );
    let mut layout = layout(lang, "account.profile_title", paths::ACCOUNT, session)
        .await?
        .with_errors(&errors);
    layout.who = Some(me.full_name.clone());
    layout.logout_url = "/account/logout";
    let personal_id = PersonalId::parse(&me.personal_id, this_year())
        .map_or_else(|_| me.personal_id.clone(), |p| p.masked());
    drop(conn);
    let unread = crate::notify::pages::unread(&app.db, citizen.id).await?;
    Ok(ProfilePage {
        layout,
        full_name: me.full_name,
        personal_id,
        phone: PhoneNumber::parse(&me.phone).map_or(me.phone.clone(), |p| p.national()),
        email: typed.map_or_else(|| me.email.clone().unwrap_or_default(), |t| t.email.clone()),
        address_line: typed.map_or(me.address_line, |t| t.address_line.clone()),
        units: units
            .into_iter()
            .map(|u| FilterOption {
                selected: u.id.to_string() == chosen,
                value: u.id.to_string(),
                label: lang.pick(&u.name_vi, &u.name_en).to_owned(),
            })
            .collect(),
        confirmed: me.confirmed_at.is_some(),
        notify_email: typed.map_or(me.notify_email, |t| t.notify_email.is_some()),
        notify_sms: typed.map_or(me.notify_sms, |t| t.notify_sms.is_some()),
        unread,
        errors,
    })
}

/// `POST /account/profile`
pub async fn update_profile(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<ProfileForm>,
) -> AppResult<Response> {
    let mut errors = FormErrors::new();
    let email = optional_email("email", &form.email, lang, &mut errors);
    let address_line = form.address_line.trim().to_owned();
    if address_line.chars().count() > 200 {
        errors.add("address_line", lang.t("account.error_address"));
    }
    let mut conn = app.db.acquire().await?;
    let units = repo::admin_units_in_force(&mut conn).await?;
    let unit = if form.admin_unit.is_empty() {
        None
    } else {
        let found = units
            .iter()
            .find(|u| u.id.to_string() == form.admin_unit)
            .map(|u| u.id);
        if found.is_none() {
            errors.add("admin_unit", lang.t("account.error_admin_unit"));
        }
        found
    };
    // A new e-mail address is a new way to sign in and to receive reset codes: it needs the
    // current password, and takes effect only once a code sent to it is entered.
    let me = repo::citizen(&mut conn, citizen.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let new_email = email.as_ref().map(EmailAddress::as_str);
    let changes_email = new_email != me.email.as_deref();
    if changes_email && errors.is_empty() {
        let stored = repo::citizen_password_hash(&mut conn, citizen.id).await?;
        drop(conn);
        if !password::verify(stored, form.current_password.clone()).await {
            errors.add(
                "current_password",
                lang.t("account.error_current_password_for_email"),
            );
        }
        conn = app.db.acquire().await?;
    }
    let pending = new_email.filter(|_| changes_email).map(str::to_owned);
    if errors.is_empty() {
        // the address in force stays until the new one is confirmed (removing one needs only
        // the password)
        let email_str = if pending.is_some() {
            me.email.as_deref()
        } else {
            new_email
        };
        match repo::update_profile(&mut conn, citizen.id, email_str, &address_line, unit).await? {
            Ok(()) => {
                // the language of the page saved is the one to write to them in
                sqlx::query(
                    "update citizens set notify_email = $2, notify_sms = $3, lang = $4 where id = $1",
                )
                .bind(citizen.id)
                .bind(form.notify_email.is_some())
                .bind(form.notify_sms.is_some())
                .bind(lang.code())
                .execute(&mut *conn)
                .await?;
                audit::record(
                    &mut conn,
                    Actor::Citizen(citizen.id),
                    "citizen.profile_updated",
                    Some(&citizen.id.to_string()),
                    ip,
                    json!({"email_changed": changes_email}),
                )
                .await?;
                if let Some(new) = pending {
                    drop(conn);
                    return super::email::ask_to_confirm(&app, lang, &session, citizen, &new, ip)
                        .await;
                }
                flash::set(&session, lang.t("account.saved")).await;
                return Ok(Redirect::to(paths::ACCOUNT).into_response());
            }
            Err(_) => errors.add("email", lang.t("account.error_email_taken")),
        }
    }
    drop(conn);
    Ok(unprocessable(
        profile_page(&app, lang, &session, citizen, Some(&form), errors).await?,
    ))
}

/// `GET /account/password`
pub async fn password_form(
    RequestLang(lang): RequestLang,
    session: Session,
) -> AppResult<PasswordPage> {
    Ok(PasswordPage {
        layout: layout(
            lang,
            "account.password_title",
            "/account/password",
            &session,
        )
        .await?,
        errors: FormErrors::new(),
        action: "/account/password",
        back: paths::ACCOUNT,
        lead: None,
    })
}

/// A change of one's own password (citizens and officials alike).
#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    pub(super) current_password: String,
    #[serde(default)]
    pub(super) password: String,
    #[serde(default)]
    pub(super) password_confirm: String,
}

/// `POST /account/password`
pub async fn change_password(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    let (me, stored) = {
        let mut conn = app.db.acquire().await?;
        let me = repo::citizen(&mut conn, citizen.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let stored = repo::citizen_password_hash(&mut conn, citizen.id).await?;
        (me, stored)
    };
    // no pooled connection is held while hashing
    let mut errors = FormErrors::new();
    if !password::verify(stored, form.current_password).await {
        errors.add("current_password", lang.t("account.error_current_password"));
    }
    new_password_field(
        &form.password,
        &form.password_confirm,
        &[&me.full_name, &me.phone, &me.personal_id],
        lang,
        &mut errors,
    );
    if !errors.is_empty() {
        let layout = layout(
            lang,
            "account.password_title",
            "/account/password",
            &session,
        )
        .await?
        .with_errors(&errors);
        return Ok(unprocessable(PasswordPage {
            layout,
            errors,
            action: "/account/password",
            back: paths::ACCOUNT,
            lead: None,
        }));
    }
    let hash = password::hash(form.password).await?;
    let mut conn = app.db.acquire().await?;
    repo::set_citizen_password(&mut conn, citizen.id, &hash).await?;
    audit::record(
        &mut conn,
        Actor::Citizen(citizen.id),
        "citizen.password_changed",
        Some(&citizen.id.to_string()),
        ip,
        json!({}),
    )
    .await?;
    // a changed password ends every other session of the account
    let this = session.id().map(|id| id.to_string());
    session::end_account_sessions(&mut conn, AccountKind::Citizen, citizen.id, this.as_deref())
        .await?;
    drop(conn);
    session.cycle_id().await.map_err(anyhow::Error::from)?;
    flash::set(&session, lang.t("account.password_changed")).await;
    Ok(Redirect::to(paths::ACCOUNT).into_response())
}

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

fn reset_code_page(app: &AppState, lang: Lang, layout: Layout, errors: FormErrors) -> CodePage {
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
