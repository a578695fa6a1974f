//! Administration: officials' accounts and their dated, agency-scoped roles. A system
//! administrator manages every official; an agency administrator only those of their own
//! agencies, and cannot grant the system-administrator or chairman roles.
//!
//! Owns no table of its own: writes `staff_users`, `staff_roles` and `audit_log`.

pub mod agencies;
pub mod bootstrap;
pub mod calendar;
pub mod catalogue;
pub mod online;
mod repo;
pub mod routes;
pub mod views;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;
use uuid::Uuid;
use views::{AdminHomePage, NewStaffForm, NewStaffPage, RoleRow, StaffDetailPage, StaffRow};

use crate::AppState;
use crate::accounts::domain::{EmailAddress, StaffRole, check_new_password};
use crate::accounts::fields::{full_name_field, optional_email};
use crate::accounts::guard::staff_layout;
use crate::accounts::{CurrentStaff, password, repo as accounts};
use crate::audit::{self, Actor};
use crate::catalogue::views::FilterOption;
use crate::kernel::Lang;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, FormErrors, flash, paths};

/// Which officials an administrator may manage.
enum Scope {
    All,
    Agencies(Vec<Uuid>),
}

impl Scope {
    fn of(admin: &CurrentStaff) -> Self {
        if admin.has(StaffRole::SystemAdmin) {
            Self::All
        } else {
            Self::Agencies(admin.agencies_with(StaffRole::AgencyAdmin).collect())
        }
    }

    /// The administrator's rank over accounts (`StaffRole::rank`).
    fn rank(&self) -> u8 {
        match self {
            Self::All => StaffRole::SystemAdmin.rank(),
            Self::Agencies(_) => StaffRole::AgencyAdmin.rank(),
        }
    }

    fn agencies(&self) -> Option<&[Uuid]> {
        match self {
            Self::All => None,
            Self::Agencies(ids) => Some(ids),
        }
    }

    fn may_grant(&self, role: StaffRole, agency: Uuid) -> bool {
        match self {
            Self::All => true,
            Self::Agencies(ids) => {
                ids.contains(&agency)
                    && !matches!(role, StaffRole::SystemAdmin | StaffRole::Chairman)
            }
        }
    }

    async fn may_manage(&self, app: &AppState, staff_id: Uuid) -> AppResult<bool> {
        let mut conn = app.db.acquire().await?;
        let (open, ever) = repo::management_facts(&mut conn, staff_id, self.agencies()).await?;
        Ok(crate::accounts::domain::may_manage_official(
            self.rank(),
            self.agencies(),
            &open,
            ever,
        ))
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    after: Option<String>,
}

const PAGE: i64 = 50;

/// Payments the gateway holds (07 suspected fraud, 04 debited but not confirmed): someone must
/// settle them with the bank.
async fn payments_held(db: &sqlx::PgPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "select count(*) from payments where status = 'pending' \
           and (transaction_status in ('04', '07') or response_code in ('04', '07'))",
    )
    .fetch_one(db)
    .await
}

/// `GET /admin`: the officials this administrator manages.
pub async fn home(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    admin: CurrentStaff,
    session: Session,
    Query(query): Query<ListQuery>,
) -> AppResult<AdminHomePage> {
    let scope = Scope::of(&admin);
    let mut conn = app.db.acquire().await?;
    let mut rows = repo::list_staff(
        &mut conn,
        scope.agencies(),
        query.after.as_deref(),
        PAGE + 1,
        lang.is_en(),
    )
    .await?;
    let next_url = (rows.len() as i64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        rows.last()
            .map(|r| format!("/admin?after={}", paths::encode(&r.username)))
            .unwrap_or_default()
    });
    let layout = staff_layout(lang, "admin.title", paths::ADMIN_HOME, &session, &admin).await?;
    let failed_messages: i64 = if admin.has(StaffRole::SystemAdmin) {
        sqlx::query_scalar("select count(*) from outbound_messages where status = 'failed'")
            .fetch_one(&app.db)
            .await?
    } else {
        0
    };
    // the oldest change the national portal has not heard of, when older than the rule allows
    let national_late_minutes = if admin.has(StaffRole::SystemAdmin) {
        let backlog = crate::national::record::backlog(&app.db).await?;
        let now = chrono::Utc::now();
        backlog
            .late(now)
            .then(|| backlog.oldest.map(|o| (now - o).num_minutes()))
            .flatten()
    } else {
        None
    };
    let payments_held = if admin.has(StaffRole::SystemAdmin) {
        payments_held(&app.db).await?
    } else {
        0
    };
    let today = crate::deadlines::calendar::to_local(app.clock.now()).date();
    let calendar_missing_year = calendar::missing_next_year(&app.db, today).await?;
    Ok(AdminHomePage {
        layout,
        calendar_missing_year,
        payments_held,
        is_system: admin.has(StaffRole::SystemAdmin),
        failed_messages,
        national_late_minutes,
        staff: rows
            .into_iter()
            .map(|r| StaffRow {
                url: paths::admin_staff(&r.id),
                username: r.username,
                full_name: r.full_name,
                active: r.active,
                roles: r
                    .roles
                    .iter()
                    .map(|line| role_line(line, lang))
                    .collect::<Vec<_>>()
                    .join("; "),
            })
            .collect(),
        next_url,
    })
}

/// "reception@UBND phường …" → "Công chức tiếp nhận, UBND phường …"
fn role_line(line: &str, lang: Lang) -> String {
    let (role, agency) = line.split_once('@').unwrap_or((line, ""));
    let label = StaffRole::parse(role)
        .map_or_else(|| role.to_owned(), |r| lang.t(r.label_key()).into_owned());
    format!("{label}, {agency}")
}

async fn role_options(
    app: &AppState,
    scope: &Scope,
    lang: Lang,
    chosen_role: &str,
    chosen_agency: &str,
) -> AppResult<(Vec<FilterOption>, Vec<FilterOption>)> {
    let mut conn = app.db.acquire().await?;
    let agencies = repo::agencies(&mut conn).await?;
    let roles = StaffRole::ALL
        .iter()
        .filter(|r| match scope {
            Scope::All => true,
            Scope::Agencies(_) => !matches!(r, StaffRole::SystemAdmin | StaffRole::Chairman),
        })
        .map(|r| FilterOption {
            value: r.as_str().to_owned(),
            label: lang.t(r.label_key()).into_owned(),
            selected: r.as_str() == chosen_role,
        })
        .collect();
    let agencies = agencies
        .into_iter()
        .filter(|(id, _, _)| scope.agencies().is_none_or(|ids| ids.contains(id)))
        .map(|(id, vi, en)| FilterOption {
            selected: id.to_string() == chosen_agency,
            value: id.to_string(),
            label: lang.pick(&vi, &en).to_owned(),
        })
        .collect();
    Ok((roles, agencies))
}

/// `GET /admin/staff/new`
pub async fn new_staff_form(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    admin: CurrentStaff,
    session: Session,
) -> AppResult<NewStaffPage> {
    let scope = Scope::of(&admin);
    let (roles, agencies) = role_options(&app, &scope, lang, "", "").await?;
    Ok(NewStaffPage {
        layout: staff_layout(
            lang,
            "admin.new_staff",
            "/admin/staff/new",
            &session,
            &admin,
        )
        .await?,
        form: NewStaffForm::default(),
        roles,
        agencies,
        errors: FormErrors::new(),
    })
}

/// Checks a role choice against the administrator's scope.
fn parse_grant(
    scope: &Scope,
    lang: Lang,
    role: &str,
    agency: &str,
    errors: &mut FormErrors,
) -> Option<(StaffRole, Uuid)> {
    let role = StaffRole::parse(role);
    let agency = agency.parse::<Uuid>().ok();
    match (role, agency) {
        (Some(role), Some(agency)) if scope.may_grant(role, agency) => Some((role, agency)),
        (None, _) => {
            errors.add("role", lang.t("admin.error_role"));
            None
        }
        _ => {
            errors.add("agency", lang.t("admin.error_agency"));
            None
        }
    }
}

/// `POST /admin/staff/new`
pub async fn create_staff(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    admin: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<NewStaffForm>,
) -> AppResult<Response> {
    let scope = Scope::of(&admin);
    let mut errors = FormErrors::new();
    let username = form.username.trim().to_lowercase();
    if !crate::accounts::domain::valid_staff_username(&username) {
        errors.add("username", lang.t("admin.error_username"));
    }
    let full_name = full_name_field("full_name", &form.full_name, lang, &mut errors);
    let email = optional_email("email", &form.email, lang, &mut errors);
    if let Err(e) = check_new_password(&form.password, &[&username, &full_name]) {
        errors.add("password", lang.t(e.message_key()));
    }
    let grant = parse_grant(&scope, lang, &form.role, &form.agency, &mut errors);
    if let (true, Some((role, agency))) = (errors.is_empty(), grant) {
        let hash = password::hash(form.password.clone()).await?;
        let mut tx = app.db.begin().await?;
        let email = email.as_ref().map(EmailAddress::as_str);
        if let Some(id) =
            repo::insert_staff(&mut tx, &username, &full_name, email, &hash, admin.id).await?
        {
            let today = crate::deadlines::calendar::today();
            repo::grant_role(&mut tx, id, role, agency, today, None, admin.id).await?;
            audit::record(
                &mut tx,
                Actor::Staff(admin.id),
                "staff.created",
                Some(&id.to_string()),
                ip,
                json!({"username": username, "role": role.as_str(), "agency": agency}),
            )
            .await?;
            tx.commit().await?;
            flash::set(&session, lang.t("admin.created")).await;
            return Ok(Redirect::to(&paths::admin_staff(&id)).into_response());
        }
        errors.add("username", lang.t("admin.error_username_taken"));
    }
    let (roles, agencies) = role_options(&app, &scope, lang, &form.role, &form.agency).await?;
    let layout = staff_layout(
        lang,
        "admin.new_staff",
        "/admin/staff/new",
        &session,
        &admin,
    )
    .await?
    .with_errors(&errors);
    let mut form = form;
    form.password.clear();
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        NewStaffPage {
            layout,
            form,
            roles,
            agencies,
            errors,
        },
    )
        .into_response())
}

/// `GET /admin/staff/{id}`
pub async fn show_staff(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    admin: CurrentStaff,
    session: Session,
    Path(id): Path<Uuid>,
) -> AppResult<StaffDetailPage> {
    detail_page(&app, lang, &admin, &session, id, FormErrors::new(), "", "").await
}

#[expect(
    clippy::too_many_arguments,
    reason = "a page with a form to show again"
)]
async fn detail_page(
    app: &AppState,
    lang: Lang,
    admin: &CurrentStaff,
    session: &Session,
    id: Uuid,
    errors: FormErrors,
    chosen_role: &str,
    chosen_agency: &str,
) -> AppResult<StaffDetailPage> {
    let scope = Scope::of(admin);
    if !scope.may_manage(app, id).await? {
        return Err(AppError::Forbidden);
    }
    let mut conn = app.db.acquire().await?;
    let user = accounts::staff_user(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let grants = accounts::all_roles(&mut conn, id).await?;
    let logins: Vec<(chrono::DateTime<chrono::Utc>, Option<String>)> = sqlx::query_as(
        "select at, host(ip) from audit_log where subject = $1 and action = 'staff.login' \
         order by at desc limit 10",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    drop(conn);
    let today = crate::deadlines::calendar::today();
    let (roles, agencies) = role_options(app, &scope, lang, chosen_role, chosen_agency).await?;
    let here = paths::admin_staff(&id);
    Ok(StaffDetailPage {
        layout: staff_layout(lang, "admin.staff_title", &here, session, admin)
            .await?
            .with_errors(&errors),
        add_role_url: format!("{here}/roles"),
        username: user.username,
        full_name: user.full_name,
        email: user.email.unwrap_or_default(),
        active: user.active,
        logins: logins
            .into_iter()
            .map(|(at, ip)| views::LoginRow {
                at: crate::deadlines::calendar::to_local(at)
                    .format("%H:%M %d/%m/%Y")
                    .to_string(),
                ip: ip.unwrap_or_default(),
            })
            .collect(),
        password_url: format!("{here}/password"),
        active_url: format!("{here}/active"),
        grants: grants
            .iter()
            .map(|g| RoleRow {
                role: lang.t(g.role.label_key()).into_owned(),
                agency: lang.pick(&g.agency_vi, &g.agency_en).to_owned(),
                from: g.valid_from.format("%d/%m/%Y").to_string(),
                to: g
                    .valid_to
                    .map(|d| d.format("%d/%m/%Y").to_string())
                    .unwrap_or_default(),
                in_force: g.valid_from <= today && g.valid_to.is_none_or(|t| today < t),
                end_url: (g.valid_to.is_none_or(|t| today < t)
                    && scope.may_grant(g.role, g.agency_id))
                .then(|| format!("{here}/roles/{}/end", g.id)),
            })
            .collect(),
        roles,
        agencies,
        errors,
    })
}

#[derive(Deserialize)]
pub struct GrantForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    valid_to: String,
}

/// `POST /admin/staff/{id}/roles`
pub async fn add_role(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    admin: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form): Form<GrantForm>,
) -> AppResult<Response> {
    let scope = Scope::of(&admin);
    if !scope.may_manage(&app, id).await? {
        return Err(AppError::Forbidden);
    }
    let mut errors = FormErrors::new();
    let grant = parse_grant(&scope, lang, &form.role, &form.agency, &mut errors);
    let today = crate::deadlines::calendar::today();
    let from = if form.valid_from.trim().is_empty() {
        Some(today)
    } else {
        NaiveDate::parse_from_str(form.valid_from.trim(), "%Y-%m-%d").ok()
    };
    let to = if form.valid_to.trim().is_empty() {
        Some(None)
    } else {
        NaiveDate::parse_from_str(form.valid_to.trim(), "%Y-%m-%d")
            .ok()
            .map(Some)
    };
    let dates = match (from, to) {
        (Some(from), Some(to)) if to.is_none_or(|t| t > from) => Some((from, to)),
        _ => {
            errors.add("valid_to", lang.t("admin.error_dates"));
            None
        }
    };
    if let (true, Some((role, agency)), Some((from, to))) = (errors.is_empty(), grant, dates) {
        let mut tx = app.db.begin().await?;
        let grant_id = repo::grant_role(&mut tx, id, role, agency, from, to, admin.id).await?;
        audit::record(&mut tx, Actor::Staff(admin.id), "staff.role_granted", Some(&id.to_string()), ip,
            json!({"grant": grant_id, "role": role.as_str(), "agency": agency, "from": from, "to": to})).await?;
        tx.commit().await?;
        flash::set(&session, lang.t("admin.role_granted")).await;
        return Ok(Redirect::to(&paths::admin_staff(&id)).into_response());
    }
    let page = detail_page(
        &app,
        lang,
        &admin,
        &session,
        id,
        errors,
        &form.role,
        &form.agency,
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// `POST /admin/staff/{id}/roles/{grant}/end`
pub async fn end_role(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    admin: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path((id, grant)): Path<(Uuid, Uuid)>,
) -> AppResult<Response> {
    let scope = Scope::of(&admin);
    if !scope.may_manage(&app, id).await? {
        return Err(AppError::Forbidden);
    }
    let mut tx = app.db.begin().await?;
    let Some((role, agency)) = repo::end_role(&mut tx, id, grant).await? else {
        return Err(AppError::NotFound);
    };
    if !scope.may_grant(role, agency) {
        return Err(AppError::Forbidden);
    }
    audit::record(
        &mut tx,
        Actor::Staff(admin.id),
        "staff.role_ended",
        Some(&id.to_string()),
        ip,
        json!({"grant": grant, "role": role.as_str(), "agency": agency}),
    )
    .await?;
    tx.commit().await?;
    // whoever holds the role loses it now: sign them out so that their next page re-reads roles
    end_sessions(&mut *app.db.acquire().await?, id).await?;
    flash::set(&session, lang.t("admin.role_ended")).await;
    Ok(Redirect::to(&paths::admin_staff(&id)).into_response())
}

/// A temporary password: 16 characters from an alphabet without look-alikes.
fn temporary_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..16)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// Ends every session of an official (their rights changed, or their password).
async fn end_sessions(conn: &mut sqlx::PgConnection, staff: Uuid) -> Result<u64, sqlx::Error> {
    crate::web::session::end_account_sessions(
        conn,
        crate::web::session::AccountKind::Staff,
        staff,
        None,
    )
    .await
}

/// `POST /admin/staff/{id}/password`: a temporary password, shown once to the administrator;
/// the official's sessions end.
pub async fn reset_password(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    admin: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    if !Scope::of(&admin).may_manage(&app, id).await? {
        return Err(AppError::Forbidden);
    }
    let temporary = temporary_password();
    let hash = password::hash(temporary.clone())
        .await
        .map_err(AppError::Internal)?;
    let mut tx = app.db.begin().await?;
    let changed = sqlx::query(
        "update staff_users set password_hash = $2, must_change_password = true where id = $1",
    )
    .bind(id)
    .bind(hash)
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() != 1 {
        return Err(AppError::NotFound);
    }
    let ended = end_sessions(&mut tx, id).await?;
    audit::record(
        &mut tx,
        Actor::Staff(admin.id),
        "staff.password_reset",
        Some(&id.to_string()),
        ip,
        json!({"sessions_ended": ended}),
    )
    .await?;
    tx.commit().await?;
    flash::set(
        &session,
        format!("{} {temporary}", lang.t("admin.password_reset")),
    )
    .await;
    Ok(Redirect::to(&paths::admin_staff(&id)).into_response())
}

/// `POST /admin/staff/{id}/active`: deactivates (or reactivates) an account; a deactivated
/// official cannot sign in and their sessions end.
pub async fn toggle_active(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    admin: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    if !Scope::of(&admin).may_manage(&app, id).await? {
        return Err(AppError::Forbidden);
    }
    if id == admin.id {
        return Err(AppError::Conflict);
    }
    let mut tx = app.db.begin().await?;
    let active: Option<bool> = sqlx::query_scalar(
        "update staff_users set active = not active where id = $1 returning active",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let active = active.ok_or(AppError::NotFound)?;
    if !active {
        end_sessions(&mut tx, id).await?;
    }
    audit::record(
        &mut tx,
        Actor::Staff(admin.id),
        if active {
            "staff.reactivated"
        } else {
            "staff.deactivated"
        },
        Some(&id.to_string()),
        ip,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    flash::set(
        &session,
        lang.t(if active {
            "admin.reactivated"
        } else {
            "admin.deactivated"
        }),
    )
    .await;
    Ok(Redirect::to(&paths::admin_staff(&id)).into_response())
}

/// An audit log line: id, time, actor kind, actor, action, subject, address, details.
type AuditEntry = (
    i64,
    chrono::DateTime<chrono::Utc>,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    serde_json::Value,
);

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    action: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    before: Option<i64>,
}

/// `GET /admin/audit`: the audit log for system administrators, newest first, filtered by
/// action (its start), subject and actor's username; keyset pages by id.
pub async fn audit_log(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    admin: CurrentStaff,
    session: Session,
    Query(q): Query<AuditQuery>,
) -> AppResult<views::AuditPage> {
    if !admin.has(StaffRole::SystemAdmin) {
        return Err(AppError::Forbidden);
    }
    let mut conn = app.db.acquire().await?;
    let rows: Vec<AuditEntry> =
        sqlx::query_as(
            "select l.id, l.at, l.actor_kind, coalesce(s.username, l.actor_id::text), l.action, l.subject, \
               host(l.ip), l.details \
             from audit_log l left join staff_users s on s.id = l.actor_id and l.actor_kind = 'staff' \
             where ($1 = '' or l.action like $1 || '%') and ($2 = '' or l.subject = $2) \
               and ($3 = '' or s.username = $3) and ($4::bigint is null or l.id < $4) \
             order by l.id desc limit 51",
        )
        .bind(q.action.trim())
        .bind(q.subject.trim())
        .bind(q.actor.trim())
        .bind(q.before)
        .fetch_all(&mut *conn)
        .await?;
    drop(conn);
    let more = rows.len() > 50;
    let rows: Vec<_> = rows.into_iter().take(50).collect();
    let next_url = more.then(|| {
        let last = rows.last().map_or(0, |r| r.0);
        format!(
            "/admin/audit?action={}&subject={}&actor={}&before={last}",
            paths::encode(q.action.trim()),
            paths::encode(q.subject.trim()),
            paths::encode(q.actor.trim())
        )
    });
    Ok(views::AuditPage {
        layout: staff_layout(lang, "audit.title", "/admin/audit", &session, &admin).await?,
        action: q.action.trim().to_owned(),
        subject: q.subject.trim().to_owned(),
        actor: q.actor.trim().to_owned(),
        rows: rows
            .into_iter()
            .map(
                |(_, at, kind, who, action, subject, ip, details)| views::AuditRow {
                    at: crate::deadlines::calendar::to_local(at)
                        .format("%H:%M:%S %d/%m/%Y")
                        .to_string(),
                    who: format!("{kind}: {}", who.unwrap_or_default()),
                    action,
                    subject: subject.unwrap_or_default(),
                    ip: ip.unwrap_or_default(),
                    details: details.to_string(),
                },
            )
            .collect(),
        next_url,
    })
}
