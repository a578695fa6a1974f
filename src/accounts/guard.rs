//! Authorization in one place: every route of `routes.rs` names who may use it (`Access`),
//! and `guard` enforces it before the handler runs. Anonymous requests to citizen pages go to
//! the citizen sign-in, to staff and admin pages to the staff entrance; a signed-in user
//! without the right gets 403. Staff roles are read from the database on every request, so a
//! role that ends (a transfer) stops working at once.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;
use uuid::Uuid;

use super::domain::StaffRole;
use super::repo::{self, HeldRole};
use crate::AppState;
use crate::kernel::Lang;
use crate::web::session::{self, AccountKind};
use crate::web::{AppError, AppResult, Layout, paths};

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anybody.
    Public,
    /// A signed-in citizen.
    Citizen,
    /// A signed-in official holding one of these roles today (any role when empty).
    Staff(&'static [StaffRole]),
    /// Anybody, outside production only.
    Development,
    /// Anybody, by a JSON request: no CSRF token is asked (a page of another site cannot send
    /// JSON here without the browser asking this origin first, which it never allows), and the
    /// handler reads nothing from the session.
    Api,
    /// A machine that proves itself by a signature (HMAC) the handler checks, not by a
    /// session: no CSRF token is asked (the postal operator's webhook, the payment sandbox's
    /// API — which answers only where the sandbox runs).
    Signed,
}

/// Roles that administer accounts.
pub const ADMINS: &[StaffRole] = &[StaffRole::AgencyAdmin, StaffRole::SystemAdmin];

/// The official signed in on this request, with the roles in force today.
#[derive(Debug, Clone)]
pub struct CurrentStaff {
    pub id: Uuid,
    pub username: String,
    pub full_name: String,
    pub roles: Vec<HeldRole>,
    /// An administrator set the password: every page but the password form leads there.
    pub must_change_password: bool,
    /// The official has a confirmed second factor.
    pub second_factor: bool,
}

/// Whether the official's roles require a second factor (`second_factor_roles`).
pub fn second_factor_required(settings: &crate::Settings, staff: &CurrentStaff) -> bool {
    staff.roles.iter().any(|r| {
        settings
            .second_factor_roles
            .iter()
            .any(|s| s == r.role.as_str())
    })
}

impl CurrentStaff {
    pub fn has(&self, role: StaffRole) -> bool {
        self.roles.iter().any(|r| r.role == role)
    }

    /// Forbidden unless the official holds `role` (a page's second check behind its route's).
    pub fn require(&self, role: StaffRole) -> Result<(), AppError> {
        if self.has(role) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Agencies where the official holds `role`.
    pub fn agencies_with(&self, role: StaffRole) -> impl Iterator<Item = Uuid> + '_ {
        self.roles
            .iter()
            .filter(move |r| r.role == role)
            .map(|r| r.agency_id)
    }
}

/// The citizen signed in on this request.
#[derive(Debug, Clone, Copy)]
pub struct CurrentCitizen {
    pub id: Uuid,
}

/// Enforces `access` for one route.
pub async fn guard(
    State(app): State<AppState>,
    access: Access,
    session: Session,
    mut request: Request,
    next: Next,
) -> Response {
    let signed = session::signed_in(&session, &app.settings).await;
    session::refresh_expiry(&session).await;
    let here = return_path(&request);
    match access {
        Access::Public | Access::Api => next.run(request).await,
        Access::Development if app.settings.is_development() => next.run(request).await,
        Access::Development => AppError::NotFound.into_response(),
        // the handler checks the signature (and the sandbox's own switch)
        Access::Signed => next.run(request).await,
        Access::Citizen => match signed {
            Some(s) if s.kind == AccountKind::Citizen => {
                request.extensions_mut().insert(CurrentCitizen { id: s.id });
                next.run(request).await
            }
            Some(_) => AppError::Forbidden.into_response(),
            None => Redirect::to(&paths::citizen_login(&here)).into_response(),
        },
        Access::Staff(required) => match signed {
            Some(s) if s.kind == AccountKind::Staff => {
                let staff = match load_staff(&app, s.id).await {
                    Ok(Some(staff)) => staff,
                    Ok(None) => return AppError::Forbidden.into_response(),
                    Err(error) => return error.into_response(),
                };
                let allowed = !staff.roles.is_empty()
                    && (required.is_empty() || required.iter().any(|r| staff.has(*r)));
                if !allowed {
                    return AppError::Forbidden.into_response();
                }
                let path = request.uri().path();
                if staff.must_change_password
                    && path != paths::STAFF_PASSWORD
                    && path != "/staff/logout"
                {
                    return Redirect::to(paths::STAFF_PASSWORD).into_response();
                }
                // a role that requires a second factor: none of its pages before enrolment
                if !staff.second_factor
                    && second_factor_required(&app.settings, &staff)
                    && path != super::second_factor_pages::ENROL_PATH
                    && path != paths::STAFF_PASSWORD
                    && path != "/staff/logout"
                {
                    return Redirect::to(super::second_factor_pages::ENROL_PATH).into_response();
                }
                request.extensions_mut().insert(staff);
                next.run(request).await
            }
            Some(_) => AppError::Forbidden.into_response(),
            None => Redirect::to(&paths::staff_login(&here)).into_response(),
        },
    }
}

/// Where to come back after signing in: this page, or for a form that was posted (its page
/// has gone with the session) the page the form was on.
fn return_path(request: &Request) -> String {
    let this = request.uri().path_and_query().map_or("/", |pq| pq.as_str());
    if request.method() == axum::http::Method::GET {
        return this.to_owned();
    }
    request
        .headers()
        .get(axum::http::header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| r.parse::<axum::http::Uri>().ok())
        .and_then(|u| u.path_and_query().map(|pq| pq.as_str().to_owned()))
        .filter(|p| crate::web::lang::is_local_path(p))
        .unwrap_or_else(|| "/".to_owned())
}

async fn load_staff(app: &AppState, id: Uuid) -> Result<Option<CurrentStaff>, AppError> {
    let mut conn = app.db.acquire().await?;
    let Some(user) = repo::staff_user(&mut conn, id).await? else {
        return Ok(None);
    };
    if !user.active {
        return Ok(None);
    }
    let roles = repo::roles_in_force(&mut conn, id).await?;
    Ok(Some(CurrentStaff {
        id,
        username: user.username,
        full_name: user.full_name,
        roles,
        must_change_password: user.must_change_password,
        second_factor: user.second_factor,
    }))
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentStaff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // set by `guard`: a handler asking for it behind another access is a wiring bug
        parts
            .extensions
            .get::<Self>()
            .cloned()
            .ok_or(AppError::Forbidden)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentCitizen {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Self>()
            .copied()
            .ok_or(AppError::Forbidden)
    }
}

/// The layout of every staff page: who is signed in, for which agency.
pub async fn staff_layout(
    lang: Lang,
    key: &str,
    here: &str,
    session: &Session,
    staff: &CurrentStaff,
) -> AppResult<Layout> {
    let mut layout = Layout::for_session(lang, lang.t(key), here, session).await?;
    let agencies: Vec<&str> = {
        let mut names: Vec<&str> = staff
            .roles
            .iter()
            .map(|r| lang.pick(&r.agency_vi, &r.agency_en))
            .collect();
        names.dedup();
        names
    };
    layout.who = Some(staff.full_name.clone());
    layout.who_unit = agencies.join(", ");
    layout.logout_url = "/staff/logout";
    Ok(layout)
}
