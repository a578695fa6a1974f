//! The staff entrance: sign in, the official's home page, sign out; and the development outbox.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use super::guard::{CurrentStaff, staff_layout};
use super::repo;
use super::signin::{self, Outcome};
use super::views::{LoginPage, OutboxLine, OutboxPage, RoleLine, StaffHomePage};
use crate::AppState;
use crate::kernel::Lang;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::paths::NextQuery;
use crate::web::session::AccountKind;
use crate::web::{AppResult, FormErrors, Layout, paths};

async fn staff_login_page(
    lang: Lang,
    session: &Session,
    login: String,
    next: String,
    errors: FormErrors,
) -> AppResult<LoginPage> {
    let layout = Layout::for_session(lang, lang.t("staff.login_title"), "/staff/login", session)
        .await?
        .with_errors(&errors);
    Ok(LoginPage {
        layout,
        heading: lang.t("staff.login_title").into_owned(),
        action: "/staff/login",
        login_label: lang.t("staff.username").into_owned(),
        login_hint: String::new(),
        login,
        next,
        staff: true,
        national: false,
        errors,
    })
}

fn safe_next(next: Option<&str>) -> String {
    paths::safe_next(next, paths::STAFF_HOME)
}

/// `GET /staff/login`
pub async fn login_form(
    RequestLang(lang): RequestLang,
    session: Session,
    Query(query): Query<NextQuery>,
) -> AppResult<LoginPage> {
    let next = safe_next(query.next().as_deref());
    staff_login_page(lang, &session, String::new(), next, FormErrors::new()).await
}

#[derive(Deserialize)]
pub struct StaffLoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// `POST /staff/login`
#[tracing::instrument(skip_all)]
pub async fn login(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<StaffLoginForm>,
) -> AppResult<Response> {
    let next = safe_next(form.next.as_deref());
    let username = form.login.trim().to_lowercase();
    let account = match repo::staff_by_username(&mut *app.db.acquire().await?, &username).await? {
        Some((id, hash, true)) => Some((id, hash)),
        _ => None,
    };
    let outcome = signin::attempt(
        &app,
        &session,
        AccountKind::Staff,
        &username,
        ip,
        account,
        form.password,
    )
    .await?;
    let (status, message) = match outcome {
        Outcome::SignedIn => return Ok(Redirect::to(&next).into_response()),
        Outcome::SecondFactor(id) => {
            super::second_factor_pages::await_code(&session, id, &username, &next).await?;
            return Ok(Redirect::to(super::second_factor_pages::CODE_PATH).into_response());
        }
        Outcome::Locked => (StatusCode::TOO_MANY_REQUESTS, "account.error_locked"),
        Outcome::Refused => (StatusCode::UNPROCESSABLE_ENTITY, "staff.error_credentials"),
    };
    let mut errors = FormErrors::new();
    errors.add("login", lang.t(message));
    let page = staff_login_page(lang, &session, form.login, next, errors).await?;
    Ok((status, page).into_response())
}

/// `POST /staff/logout`
pub async fn logout(
    State(app): State<AppState>,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
) -> AppResult<Response> {
    signin::sign_out(&app, &session, AccountKind::Staff, staff.id, ip).await?;
    Ok(Redirect::to("/staff/login").into_response())
}

/// `GET /staff`
pub async fn home(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
) -> AppResult<StaffHomePage> {
    let layout = staff_layout(
        lang,
        "staff.home_title",
        paths::STAFF_HOME,
        &session,
        &staff,
    )
    .await?;
    Ok(StaffHomePage {
        layout,
        full_name: staff.full_name.clone(),
        username: staff.username.clone(),
        roles: staff
            .roles
            .iter()
            .map(|r| RoleLine {
                role: lang.t(r.role.label_key()).into_owned(),
                agency: lang.pick(&r.agency_vi, &r.agency_en).to_owned(),
                until: r
                    .valid_to
                    .map(|d| d.format("%d/%m/%Y").to_string())
                    .unwrap_or_else(|| lang.t("staff.no_end").into_owned()),
            })
            .collect(),
        is_admin: staff.roles.iter().any(|r| r.role.is_admin()),
        is_reception: staff.has(super::domain::StaffRole::Reception),
        tablet_url: crate::evaluations::tablet_url(&app.settings.national_link_secret, staff.id),
        is_postal: staff.has(super::domain::StaffRole::Postal),
        is_chairman: staff.has(super::domain::StaffRole::Chairman),
        reads_reports: [
            super::domain::StaffRole::DivisionHead,
            super::domain::StaffRole::SigningAuthority,
            super::domain::StaffRole::AgencyAdmin,
            super::domain::StaffRole::SystemAdmin,
            super::domain::StaffRole::Chairman,
        ]
        .into_iter()
        .any(|r| staff.has(r)),
        is_back_office: [
            super::domain::StaffRole::Reception,
            super::domain::StaffRole::CaseOfficer,
            super::domain::StaffRole::DivisionHead,
            super::domain::StaffRole::SigningAuthority,
        ]
        .into_iter()
        .any(|r| staff.has(r)),
    })
}

/// `GET /dev/outbox` (development only): the messages that would be sent.
pub async fn dev_outbox(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
) -> AppResult<OutboxPage> {
    let rows: Vec<(chrono::DateTime<chrono::Utc>, String, String, String)> = sqlx::query_as(
        "select created_at, channel, recipient, body from outbound_messages \
         order by created_at desc limit 50",
    )
    .fetch_all(&app.db)
    .await?;
    Ok(OutboxPage {
        layout: Layout::new(lang, lang.t("dev.outbox_title"), "/dev/outbox"),
        messages: rows
            .into_iter()
            .map(|(at, channel, recipient, body)| OutboxLine {
                // Vietnam time, as every other page (to the second: codes arrive quickly)
                at: crate::kernel::time::to_local(at)
                    .format("%H:%M:%S %d/%m/%Y")
                    .to_string(),
                channel,
                recipient,
                body,
            })
            .collect(),
    })
}

async fn password_page(
    lang: Lang,
    session: &Session,
    staff: &CurrentStaff,
    errors: FormErrors,
) -> AppResult<super::views::PasswordPage> {
    let layout = staff_layout(
        lang,
        "account.password_title",
        crate::web::paths::STAFF_PASSWORD,
        session,
        staff,
    )
    .await?
    .with_errors(&errors);
    Ok(super::views::PasswordPage {
        layout,
        errors,
        action: crate::web::paths::STAFF_PASSWORD,
        back: "/staff",
        lead: staff
            .must_change_password
            .then(|| lang.t("account.must_change_password").into_owned()),
    })
}

/// `GET /staff/password`: an official's own password (required first when an administrator
/// set it).
pub async fn password_form(
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
) -> AppResult<super::views::PasswordPage> {
    password_page(lang, &session, &staff, FormErrors::new()).await
}

/// `POST /staff/password`: checks the current password, sets the new one, ends the official's
/// other sessions and starts a fresh one here.
pub async fn change_password(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    crate::web::client::ClientIp(ip): crate::web::client::ClientIp,
    axum::Form(form): axum::Form<super::citizen::PasswordForm>,
) -> AppResult<Response> {
    let stored = {
        let mut conn = app.db.acquire().await?;
        super::repo::staff_password_hash(&mut conn, staff.id).await?
    };
    let mut errors = FormErrors::new();
    if !super::password::verify(stored, form.current_password.clone()).await {
        errors.add("current_password", lang.t("account.error_current_password"));
    }
    if form.password == form.current_password {
        errors.add("password", lang.t("account.error_password_same"));
    } else {
        super::citizen::new_password_field(
            &form.password,
            &form.password_confirm,
            &[&staff.username, &staff.full_name],
            lang,
            &mut errors,
        );
    }
    if !errors.is_empty() {
        let page = password_page(lang, &session, &staff, errors).await?;
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let hash = super::password::hash(form.password).await?;
    let mut tx = app.db.begin().await?;
    sqlx::query(
        "update staff_users set password_hash = $2, must_change_password = false where id = $1",
    )
    .bind(staff.id)
    .bind(hash)
    .execute(&mut *tx)
    .await?;
    // every session of the official ends (this one is replaced below)
    let ended =
        crate::web::session::end_account_sessions(&mut tx, AccountKind::Staff, staff.id, None)
            .await?;
    crate::audit::record(
        &mut tx,
        crate::audit::Actor::Staff(staff.id),
        "staff.password_changed",
        Some(&staff.id.to_string()),
        ip,
        serde_json::json!({"sessions_ended": ended}),
    )
    .await?;
    tx.commit().await?;
    super::signin::start(&app, &session, AccountKind::Staff, staff.id).await?;
    crate::web::flash::set(&session, lang.t("account.password_changed")).await;
    Ok(Redirect::to("/staff").into_response())
}
