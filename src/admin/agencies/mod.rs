//! Agencies as administrators see them: every agency with its kind, e-ID code, validity and its
//! predecessors and successors (the 2025 reform's merges stay readable), and which reception
//! units each post office serves (system administrators change that).

use axum::extract::RawForm;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde_json::json;
use tower_sessions::Session;
use uuid::Uuid;

use super::views::{AdminUnitRow, AgenciesPage, AgencyRow, PostOfficeRow};
use crate::AppState;
use crate::accounts::CurrentStaff;
use crate::accounts::domain::StaffRole;
use crate::accounts::guard::staff_layout;
use crate::audit;
use crate::kernel::Lang;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, FormErrors, flash};

mod reorg;

pub use reorg::*;

/// An agency line: id, name, kind, e-ID, from, to, predecessors, successors.
type AgencyLine = (
    Uuid,
    String,
    String,
    Option<String>,
    NaiveDate,
    Option<NaiveDate>,
    Option<String>,
    Option<String>,
);

/// A commune-level unit: id, name, code, from, to, successor's name.
type UnitLine = (
    Uuid,
    String,
    String,
    NaiveDate,
    Option<NaiveDate>,
    Option<String>,
);

/// `GET /admin/agencies`
pub async fn list(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    admin: CurrentStaff,
    session: Session,
) -> AppResult<AgenciesPage> {
    let form = ReorgForm {
        transfer: true,
        ..ReorgForm::default()
    };
    render(&app, lang, &session, &admin, form, FormErrors::new()).await
}

async fn render(
    app: &AppState,
    lang: Lang,
    session: &Session,
    admin: &CurrentStaff,
    form: ReorgForm,
    errors: FormErrors,
) -> AppResult<AgenciesPage> {
    let mut conn = app.db.acquire().await?;
    let rows: Vec<AgencyLine> = sqlx::query_as(
        "select a.id, a.name_vi, k.name_vi, a.e_id_code, a.valid_from, a.valid_to, \
           (select string_agg(p.name_vi || ' (' || s.kind || ', ' || to_char(s.effective_on, 'DD/MM/YYYY') || ')', '; ') \
              from agency_successions s join agencies p on p.id = s.predecessor_id where s.successor_id = a.id), \
           (select string_agg(n.name_vi || ' (' || s.kind || ', ' || to_char(s.effective_on, 'DD/MM/YYYY') || ')', '; ') \
              from agency_successions s join agencies n on n.id = s.successor_id where s.predecessor_id = a.id) \
         from agencies a join agency_kinds k on k.code = a.kind \
         order by a.valid_to is not null, k.sort_order, a.name_vi limit 1000",
    )
    .fetch_all(&mut *conn)
    .await?;
    let offices: Vec<(Uuid, String)> = sqlx::query_as(
        "select id, name_vi from agencies where kind = 'post_office' and valid_to is null order by name_vi",
    )
    .fetch_all(&mut *conn)
    .await?;
    let units: Vec<(Uuid, String)> = sqlx::query_as(
        "select id, name_vi from agencies where valid_to is null and kind <> 'post_office' order by name_vi",
    )
    .fetch_all(&mut *conn)
    .await?;
    let served: Vec<(Uuid, Uuid)> =
        sqlx::query_as("select post_office_id, unit_id from postal_service_areas")
            .fetch_all(&mut *conn)
            .await?;
    let kinds: Vec<(String, String, String)> =
        sqlx::query_as("select code, name_vi, name_en from agency_kinds order by sort_order, code")
            .fetch_all(&mut *conn)
            .await?;
    let admin_units: Vec<UnitLine> = sqlx::query_as(
        "select u.id, u.name_vi, u.code, u.valid_from, u.valid_to, n.name_vi from admin_units u \
             left join admin_units n on n.id = u.successor_id where u.level = 'commune' \
             order by u.valid_to is not null, u.name_vi limit 2000",
    )
    .fetch_all(&mut *conn)
    .await?;
    drop(conn);
    let date = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    let today = crate::deadlines::calendar::today();
    // agencies in force, and those ending from today on (the further parts of a split)
    let current: Vec<(String, String)> = rows
        .iter()
        .filter(|r| r.5.is_none_or(|end| end >= today))
        .map(|r| (r.0.to_string(), r.1.clone()))
        .collect();
    Ok(AgenciesPage {
        layout: staff_layout(lang, "agencies.title", "/admin/agencies", session, admin)
            .await?
            .with_errors(&errors),
        can_edit: admin.has(StaffRole::SystemAdmin),
        changes: Change::ALL
            .iter()
            .map(|c| {
                (
                    c.code().to_owned(),
                    lang.t(&format!("agencies.change_{}", c.code()))
                        .into_owned(),
                )
            })
            .collect(),
        kinds: kinds
            .into_iter()
            .map(|(code, vi, en)| {
                let name = lang.pick(&vi, &en).to_owned();
                (code, name)
            })
            .collect(),
        current,
        rows: rows
            .into_iter()
            .map(|(_, name, kind, eid, from, to, before, after)| AgencyRow {
                name,
                kind,
                e_id: eid.unwrap_or_default(),
                valid: format!("{} → {}", date(from), to.map(date).unwrap_or_default()),
                in_force: to.is_none(),
                predecessors: before.unwrap_or_default(),
                successors: after.unwrap_or_default(),
            })
            .collect(),
        offices: offices
            .into_iter()
            .map(|(id, name)| PostOfficeRow {
                id: id.to_string(),
                name,
                units: units
                    .iter()
                    .map(|(u, n)| (u.to_string(), n.clone(), served.contains(&(id, *u))))
                    .collect(),
            })
            .collect(),
        units_in_force: admin_units
            .iter()
            .filter(|u| u.4.is_none())
            .map(|u| (u.0.to_string(), u.1.clone()))
            .collect(),
        unit_rows: admin_units
            .into_iter()
            .map(|(_, name, code, from, to, successor)| AdminUnitRow {
                name,
                code,
                valid: format!("{} → {}", date(from), to.map(date).unwrap_or_default()),
                successor: successor.unwrap_or_default(),
            })
            .collect(),
        form,
        errors,
    })
}

/// `POST /admin/agencies/{office}/served`: the reception units a post office serves (system
/// administrators); the form sends every unit ticked as `unit`.
pub async fn set_served(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    admin: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(office): Path<Uuid>,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    if !admin.has(StaffRole::SystemAdmin) {
        return Err(AppError::Forbidden);
    }
    let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&raw)
        .map_err(|_| AppError::BadRequest("errors.bad_request_text"))?;
    let units: Vec<Uuid> = form
        .iter()
        .filter(|(k, _)| k == "unit")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let mut tx = app.db.begin().await?;
    let is_office: bool = sqlx::query_scalar(
        "select exists (select 1 from agencies where id = $1 and kind = 'post_office')",
    )
    .bind(office)
    .fetch_one(&mut *tx)
    .await?;
    if !is_office {
        return Err(AppError::NotFound);
    }
    let before: Vec<Uuid> =
        sqlx::query_scalar("select unit_id from postal_service_areas where post_office_id = $1")
            .bind(office)
            .fetch_all(&mut *tx)
            .await?;
    sqlx::query("delete from postal_service_areas where post_office_id = $1")
        .bind(office)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "insert into postal_service_areas (post_office_id, unit_id) \
         select $1, id from agencies where id = any($2) and kind <> 'post_office'",
    )
    .bind(office)
    .bind(&units)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        audit::Actor::Staff(admin.id),
        "agency.postal_service_area",
        Some(&office.to_string()),
        ip,
        json!({"before": before, "after": units}),
    )
    .await?;
    tx.commit().await?;
    flash::set(&session, lang.t("calendar.saved")).await;
    Ok(Redirect::to("/admin/agencies").into_response())
}

/// `POST /admin/agencies/reorganise` (system administrators).
pub async fn reorganise(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    admin: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    if !admin.has(StaffRole::SystemAdmin) {
        return Err(AppError::Forbidden);
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&raw)
        .map_err(|_| AppError::BadRequest("errors.bad_request_text"))?;
    let form = ReorgForm::from_pairs(pairs);
    let mut errors = FormErrors::new();
    let checked = check(&form, |field, key| errors.add(field, lang.t(key)));
    let reorg = match checked {
        Some(r) if errors.is_empty() => r,
        _ => return again(&app, lang, &session, &admin, form, errors).await,
    };
    let done = reorganise_in(&app.db, &reorg, &form, (admin.id, ip)).await?;
    let moved = match done {
        Ok(moved) => moved,
        Err((field, key)) => {
            errors.add(field, lang.t(&key));
            return again(&app, lang, &session, &admin, form, errors).await;
        }
    };
    flash::set(
        &session,
        lang.t("agencies.reorganised")
            .replace("{moved}", &moved.to_string()),
    )
    .await;
    Ok(Redirect::to("/admin/agencies").into_response())
}

/// The administrative unit of a new agency when the form asks for one: a new unit ("new") or
/// one in force; the predecessors' units in force end that day and point to it. `Ok(None)`:
/// the predecessor's unit is kept. `Err(field)`: the form's mistake.
async fn place_unit(
    conn: &mut sqlx::PgConnection,
    form: &ReorgForm,
    olds: &[Predecessor],
    on: NaiveDate,
) -> Result<Result<Option<Uuid>, &'static str>, sqlx::Error> {
    let old_units: Vec<Uuid> = olds.iter().filter_map(|o| o.5).collect();
    let unit = match form.unit.as_str() {
        "" => return Ok(Ok(None)),
        "new" => {
            let inserted: Result<Uuid, sqlx::Error> = sqlx::query_scalar(
                "insert into admin_units (code, level, kind, name_vi, name_en, parent_id, valid_from) \
                 values ($1, 'commune', $2, $3, $3, \
                   (select parent_id from admin_units where id = any($4) and parent_id is not null limit 1), $5) \
                 returning id",
            )
            .bind(form.unit_code.trim())
            .bind(&form.unit_kind)
            .bind(form.unit_name.trim())
            .bind(&old_units)
            .bind(on)
            .fetch_one(&mut *conn)
            .await;
            match inserted {
                Ok(id) => id,
                Err(sqlx::Error::Database(e)) if e.constraint() == Some("admin_units_code_key") => {
                    return Ok(Err("unit_code_taken"));
                }
                Err(e) => return Err(e),
            }
        }
        id => {
            let id: Uuid = id.parse().map_err(|_| sqlx::Error::RowNotFound)?;
            let ok: bool = sqlx::query_scalar(
                "select exists (select 1 from admin_units where id = $1 and level = 'commune' \
                   and valid_from <= $2 and (valid_to is null or valid_to > $2))",
            )
            .bind(id)
            .bind(on)
            .fetch_one(&mut *conn)
            .await?;
            if !ok {
                return Ok(Err("unit"));
            }
            id
        }
    };
    sqlx::query(
        "update admin_units set valid_to = $3, successor_id = $2 \
         where id = any($1) and id <> $2 and valid_from < $3 and (valid_to is null or valid_to > $3)",
    )
    .bind(&old_units)
    .bind(unit)
    .bind(on)
    .execute(&mut *conn)
    .await?;
    Ok(Ok(Some(unit)))
}

async fn again(
    app: &AppState,
    lang: Lang,
    session: &Session,
    admin: &CurrentStaff,
    form: ReorgForm,
    errors: FormErrors,
) -> AppResult<Response> {
    let page = render(app, lang, session, admin, form, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
