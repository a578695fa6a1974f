//! Citizen accounts: register, confirm, sign in and out, profile, password, reset.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;
use uuid::Uuid;

use super::codes::{self, Purpose};
use super::domain::{
    EmailAddress, LoginName, PersonalId, PhoneNumber, check_new_password, this_year,
};
use super::fields::{full_name_field, optional_email};
use super::guard::CurrentCitizen;
use super::password;
use super::repo::{self, NewCitizen};
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
use crate::web::lang::RequestLang;
use crate::web::paths::{NextQuery, safe_next};
use crate::web::session::{self, AccountKind};
use crate::web::{AppError, AppResult, FormErrors, Layout, flash, paths};

mod confirm;
mod profile;
mod reset;
mod sign_in;

pub use confirm::*;
pub use profile::*;
pub use reset::*;
pub use sign_in::*;

/// Where a reset in progress is for (kept in the session between the two steps).
const RESET_KEY: &str = "reset_for";
/// The registration waiting for its code: the new account (nil: none was made) and the phone.
const REGISTER_KEY: &str = "register_for";
pub const REGISTER_CODE_PATH: &str = "/account/register/code";

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
    // Whatever is already registered, the answer is the same (the code page, for the phone
    // typed): a phone or an ID number that has an account creates nothing, and that account's
    // holder is told on their own phone, with a reset code in case it was them; an e-mail
    // address that has an account is left off the new one, and its holder is told.
    let mut tx = app.db.begin().await?;
    let holders: Vec<(Uuid, String, Option<String>, bool, bool, bool)> = sqlx::query_as(
        "select c.id, c.phone, c.email, c.phone = $1, c.personal_id = $2, \
           coalesce(c.email = $3, false) \
         from citizens c where c.phone = $1 or c.personal_id = $2 or c.email = $3",
    )
    .bind(phone.as_str())
    .bind(personal_id.as_str())
    .bind(email.as_ref().map(EmailAddress::as_str))
    .fetch_all(&mut *tx)
    .await?;
    let taken = holders.iter().find(|h| h.3 || h.4);
    let created = match taken {
        Some((holder, holder_phone, _, by_phone, _, _)) => {
            codes::issue(
                &mut tx,
                &app.settings,
                *holder,
                Purpose::ResetPassword,
                holder_phone,
                &lang.t("account.sms_register_taken"),
                ip,
            )
            .await?;
            audit::record(
                &mut tx,
                Actor::Anonymous,
                "citizen.register_taken",
                None,
                ip,
                json!({"taken": if *by_phone { "phone" } else { "personal_id" }}),
            )
            .await?;
            None
        }
        None => {
            let email_holder = holders.iter().find(|h| h.5);
            if let Some((holder, _, Some(address), ..)) = email_holder {
                codes::issue(
                    &mut tx,
                    &app.settings,
                    *holder,
                    Purpose::ResetPassword,
                    address,
                    &lang.t("account.sms_register_taken"),
                    ip,
                )
                .await?;
            }
            let new = NewCitizen {
                full_name: &full_name,
                personal_id: personal_id.as_str(),
                phone: phone.as_str(),
                email: email
                    .as_ref()
                    .map(EmailAddress::as_str)
                    .filter(|_| email_holder.is_none()),
                password_hash: &hash,
            };
            match repo::insert_citizen(&mut tx, &new).await? {
                Ok(id) => Some(id),
                // registered at this very moment by another request: answered the same
                Err(_) => {
                    drop(tx);
                    return code_sent(&session, Uuid::nil(), phone.as_str()).await;
                }
            }
        }
    };
    let Some(id) = created else {
        tx.commit().await?;
        return code_sent(&session, Uuid::nil(), phone.as_str()).await;
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
    if issued == codes::Issued::Limited {
        flash::set(&session, code_limited(&app, lang)).await;
    }
    code_sent(&session, id, phone.as_str()).await
}

/// The registration waits for the code sent to `phone`: the new account's id, or nil when
/// nothing was created (the same page either way).
async fn code_sent(session: &Session, id: Uuid, phone: &str) -> AppResult<Response> {
    session
        .insert(REGISTER_KEY, (id, phone.to_owned()))
        .await
        .map_err(anyhow::Error::from)?;
    Ok(Redirect::to(REGISTER_CODE_PATH).into_response())
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
