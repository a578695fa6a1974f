//! A citizen's new e-mail address: a sign-in name that also receives reset codes, so it takes
//! effect only once the code sent to it is entered (`/account/email`); until then it waits in
//! `citizens.pending_email` and the previous address stays in use.

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use tower_sessions::Session;

use super::citizen::{CodeForm, code_limited, layout, unprocessable};
use super::codes::{self, Purpose};
use super::guard::CurrentCitizen;
use super::views::CodePage;
use crate::AppState;
use crate::audit::{self, Actor};
use crate::kernel::Lang;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::{AppResult, FormErrors, flash, paths};

/// Keeps `new` as the citizen's pending address and sends it a code.
pub(super) async fn ask_to_confirm(
    app: &AppState,
    lang: Lang,
    session: &Session,
    citizen: CurrentCitizen,
    new: &str,
    ip: Option<std::net::IpAddr>,
) -> AppResult<Response> {
    let mut tx = app.db.begin().await?;
    sqlx::query("update citizens set pending_email = $2 where id = $1")
        .bind(citizen.id)
        .bind(new)
        .execute(&mut *tx)
        .await?;
    let issued = codes::issue(
        &mut tx,
        &app.settings,
        citizen.id,
        Purpose::ChangeEmail,
        new,
        &lang.t("account.email_code"),
        ip,
    )
    .await?;
    tx.commit().await?;
    let said = match issued {
        codes::Issued::Sent => lang.t("account.email_code_sent").into_owned(),
        codes::Issued::Limited => code_limited(app, lang),
    };
    flash::set(session, said).await;
    Ok(Redirect::to(paths::ACCOUNT_EMAIL).into_response())
}

async fn email_code_page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    pending: &str,
    errors: FormErrors,
) -> AppResult<CodePage> {
    Ok(CodePage {
        layout: layout(lang, "account.email_title", paths::ACCOUNT_EMAIL, session)
            .await?
            .with_errors(&errors),
        heading: lang.t("account.email_title").into_owned(),
        lead: lang.t("account.email_lead").replace("{email}", pending),
        action: paths::ACCOUNT_EMAIL,
        with_password: false,
        resend_url: None,
        dev_outbox: app.settings.is_development(),
        errors,
    })
}

/// `GET /account/email`: the code sent to the new address.
pub async fn email_form(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
) -> AppResult<Response> {
    let pending: Option<String> =
        sqlx::query_scalar("select pending_email from citizens where id = $1")
            .bind(citizen.id)
            .fetch_one(&app.db)
            .await?;
    let Some(pending) = pending else {
        return Ok(Redirect::to(paths::ACCOUNT).into_response());
    };
    Ok(
        email_code_page(&app, lang, &session, &pending, FormErrors::new())
            .await?
            .into_response(),
    )
}

/// `POST /account/email`: the right code makes the pending address the account's.
pub async fn confirm_email(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<CodeForm>,
) -> AppResult<Response> {
    let mut tx = app.db.begin().await?;
    let pending: Option<String> =
        sqlx::query_scalar("select pending_email from citizens where id = $1 for update")
            .bind(citizen.id)
            .fetch_one(&mut *tx)
            .await?;
    let Some(pending) = pending else {
        return Ok(Redirect::to(paths::ACCOUNT).into_response());
    };
    let mut errors = FormErrors::new();
    if codes::verify(
        &mut tx,
        &app.settings,
        citizen.id,
        Purpose::ChangeEmail,
        &form.code,
    )
    .await?
    {
        let applied = sqlx::query(
            "update citizens set email = pending_email, pending_email = null where id = $1",
        )
        .bind(citizen.id)
        .execute(&mut *tx)
        .await;
        match applied {
            Ok(_) => {
                audit::record(
                    &mut tx,
                    Actor::Citizen(citizen.id),
                    "citizen.email_changed",
                    Some(&citizen.id.to_string()),
                    ip,
                    json!({}),
                )
                .await?;
                tx.commit().await?;
                flash::set(&session, lang.t("account.email_changed")).await;
                return Ok(Redirect::to(paths::ACCOUNT).into_response());
            }
            Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
                errors.add("code", lang.t("account.error_email_taken"));
            }
            Err(other) => return Err(other.into()),
        }
    } else {
        tx.commit().await?;
        errors.add("code", lang.t("account.error_code"));
    }
    Ok(unprocessable(
        email_code_page(&app, lang, &session, &pending, errors).await?,
    ))
}
