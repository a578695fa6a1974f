//! The working-day calendar as administrators keep it: the year's holidays, compensation
//! days, swapped days off and make-up working Saturdays (system administrators; the calendar is
//! national), and office hours (general, or an agency's own — an agency administrator keeps
//! their agency's). Changes apply to due times computed afterwards; each is audited with what
//! it was before.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate, NaiveTime};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;
use uuid::Uuid;

use super::views::{CalendarDayRow, CalendarPage, HoursRow};
use crate::AppState;
use crate::accounts::CurrentStaff;
use crate::accounts::domain::StaffRole;
use crate::accounts::guard::staff_layout;
use crate::audit;
use crate::deadlines::calendar::{DayKind, to_local};
use crate::kernel::Lang;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, FormErrors, flash};

/// A span of office hours: id, agency name (None: general), opens, closes, valid from, to.
type HoursSpan = (
    Uuid,
    Option<String>,
    NaiveTime,
    NaiveTime,
    NaiveDate,
    Option<NaiveDate>,
);

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
}

#[derive(Deserialize, Default, Clone)]
pub struct DayForm {
    #[serde(default)]
    day: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name_vi: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    source: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct HoursForm {
    #[serde(default)]
    agency: String,
    #[serde(default)]
    opens: String,
    #[serde(default)]
    closes: String,
    #[serde(default)]
    valid_from: String,
}

fn is_system(staff: &CurrentStaff) -> bool {
    staff.has(StaffRole::SystemAdmin)
}

/// Agencies whose office hours this administrator keeps (None: every one, and the general).
fn hour_scope(staff: &CurrentStaff) -> Option<Vec<Uuid>> {
    if is_system(staff) {
        None
    } else {
        Some(staff.agencies_with(StaffRole::AgencyAdmin).collect())
    }
}

async fn page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    staff: &CurrentStaff,
    year: i32,
    day_form: &DayForm,
    errors: FormErrors,
) -> AppResult<CalendarPage> {
    let mut conn = app.db.acquire().await?;
    let days: Vec<(NaiveDate, String, String, String)> = sqlx::query_as(
        "select day, kind, name_vi, source from calendar_days \
         where day >= make_date($1, 1, 1) and day < make_date($1 + 1, 1, 1) order by day",
    )
    .bind(year)
    .fetch_all(&mut *conn)
    .await?;
    let scope = hour_scope(staff);
    let hours: Vec<HoursSpan> = sqlx::query_as(
        "select h.id, a.name_vi, h.opens, h.closes, h.valid_from, h.valid_to from office_hours h \
         left join agencies a on a.id = h.agency_id \
         where ($1::uuid[] is null or h.agency_id = any($1)) \
         order by a.name_vi nulls first, h.valid_from, h.opens",
    )
    .bind(scope.as_deref())
    .fetch_all(&mut *conn)
    .await?;
    let agencies: Vec<(Uuid, String)> = match &scope {
        None => {
            sqlx::query_as(
                "select id, name_vi from agencies where valid_to is null order by name_vi",
            )
            .fetch_all(&mut *conn)
            .await?
        }
        Some(ids) => {
            sqlx::query_as("select id, name_vi from agencies where id = any($1) order by name_vi")
                .bind(ids)
                .fetch_all(&mut *conn)
                .await?
        }
    };
    drop(conn);
    Ok(CalendarPage {
        layout: staff_layout(lang, "calendar.title", "/admin/calendar", session, staff)
            .await?
            .with_errors(&errors),
        year,
        previous: year - 1,
        next: year + 1,
        can_edit_days: is_system(staff),
        days: days
            .into_iter()
            .map(|(day, kind, name, source)| CalendarDayRow {
                day: day.format("%Y-%m-%d").to_string(),
                shown: day.format("%d/%m/%Y").to_string(),
                kind: lang.t(&format!("calendar.kind_{kind}")).into_owned(),
                name,
                source,
            })
            .collect(),
        hours: hours
            .into_iter()
            .map(|(id, agency, opens, closes, from, to)| HoursRow {
                id: id.to_string(),
                agency: agency.unwrap_or_else(|| lang.t("calendar.general").into_owned()),
                span: format!("{} – {}", opens.format("%H:%M"), closes.format("%H:%M")),
                valid: format!(
                    "{} → {}",
                    from.format("%d/%m/%Y"),
                    to.map_or_else(String::new, |t| t.format("%d/%m/%Y").to_string())
                ),
            })
            .collect(),
        agencies: agencies
            .into_iter()
            .map(|(id, name)| (id.to_string(), name))
            .collect(),
        day: day_form.day.clone(),
        kind: day_form.kind.clone(),
        name_vi: day_form.name_vi.clone(),
        name_en: day_form.name_en.clone(),
        source: day_form.source.clone(),
        errors,
    })
}

/// `GET /admin/calendar?year=`
pub async fn show(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Query(q): Query<YearQuery>,
) -> AppResult<CalendarPage> {
    let year = q
        .year
        .unwrap_or_else(|| to_local(chrono::Utc::now()).year());
    page(
        &app,
        lang,
        &session,
        &staff,
        year,
        &DayForm::default(),
        FormErrors::new(),
    )
    .await
}

/// `POST /admin/calendar/days`: adds or changes a day (system administrators).
pub async fn save_day(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<DayForm>,
) -> AppResult<Response> {
    if !is_system(&staff) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FormErrors::new();
    let day = NaiveDate::parse_from_str(form.day.trim(), "%Y-%m-%d").ok();
    if day.is_none() {
        errors.add("day", lang.t("calendar.error_day"));
    }
    if DayKind::parse(&form.kind).is_none() {
        errors.add("kind", lang.t("calendar.error_kind"));
    }
    if form.name_vi.trim().chars().count() < 3 {
        errors.add("name_vi", lang.t("calendar.error_name"));
    }
    if form.source.trim().chars().count() < 3 {
        errors.add("source", lang.t("calendar.error_source"));
    }
    let year = day.map_or_else(|| to_local(chrono::Utc::now()).year(), |d| d.year());
    let Some(day) = day.filter(|_| errors.is_empty()) else {
        let p = page(&app, lang, &session, &staff, year, &form, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
    };
    let mut tx = app.db.begin().await?;
    let before: Option<(String, String, String)> =
        sqlx::query_as("select kind, name_vi, source from calendar_days where day = $1 for update")
            .bind(day)
            .fetch_optional(&mut *tx)
            .await?;
    sqlx::query(
        "insert into calendar_days (day, kind, name_vi, name_en, source) values ($1, $2, $3, $4, $5) \
         on conflict (day) do update set kind = excluded.kind, name_vi = excluded.name_vi, \
           name_en = excluded.name_en, source = excluded.source",
    )
    .bind(day)
    .bind(&form.kind)
    .bind(form.name_vi.trim())
    .bind(form.name_en.trim())
    .bind(form.source.trim())
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        audit::Actor::Staff(staff.id),
        "calendar.day_saved",
        Some(&day.to_string()),
        ip,
        json!({"before": before, "after": {"kind": form.kind, "name_vi": form.name_vi.trim(), "source": form.source.trim()}}),
    )
    .await?;
    tx.commit().await?;
    flash::set(&session, lang.t("calendar.saved")).await;
    Ok(Redirect::to(&format!("/admin/calendar?year={year}")).into_response())
}

/// `POST /admin/calendar/days/{day}/delete`: the day becomes an ordinary one again.
pub async fn delete_day(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(day): Path<String>,
) -> AppResult<Response> {
    if !is_system(&staff) {
        return Err(AppError::Forbidden);
    }
    let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d").map_err(|_| AppError::NotFound)?;
    let mut tx = app.db.begin().await?;
    let before: Option<(String, String, String)> =
        sqlx::query_as("delete from calendar_days where day = $1 returning kind, name_vi, source")
            .bind(day)
            .fetch_optional(&mut *tx)
            .await?;
    let before = before.ok_or(AppError::NotFound)?;
    audit::record(
        &mut tx,
        audit::Actor::Staff(staff.id),
        "calendar.day_removed",
        Some(&day.to_string()),
        ip,
        json!({"before": before}),
    )
    .await?;
    tx.commit().await?;
    flash::set(&session, lang.t("calendar.saved")).await;
    Ok(Redirect::to(&format!("/admin/calendar?year={}", day.year())).into_response())
}

/// `POST /admin/calendar/hours`: a new span of office hours from a date (general, or an
/// agency's own).
pub async fn add_hours(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<HoursForm>,
) -> AppResult<Response> {
    let agency = if form.agency.is_empty() {
        None
    } else {
        Some(
            form.agency
                .parse::<Uuid>()
                .map_err(|_| AppError::BadRequest("errors.bad_request_text"))?,
        )
    };
    let opens = NaiveTime::parse_from_str(form.opens.trim(), "%H:%M").ok();
    let closes = NaiveTime::parse_from_str(form.closes.trim(), "%H:%M").ok();
    let from = NaiveDate::parse_from_str(form.valid_from.trim(), "%Y-%m-%d").ok();
    let (Some(opens), Some(closes), Some(from)) = (opens, closes, from) else {
        let mut errors = FormErrors::new();
        errors.add("opens", lang.t("calendar.error_hours"));
        let year = to_local(chrono::Utc::now()).year();
        let p = page(
            &app,
            lang,
            &session,
            &staff,
            year,
            &DayForm::default(),
            errors,
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
    };
    if closes <= opens {
        let mut errors = FormErrors::new();
        errors.add("opens", lang.t("calendar.error_hours"));
        let year = to_local(chrono::Utc::now()).year();
        let p = page(
            &app,
            lang,
            &session,
            &staff,
            year,
            &DayForm::default(),
            errors,
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
    }
    // inputs first, then whose hours these are
    match (hour_scope(&staff), agency) {
        (None, _) => {}
        (Some(ids), Some(a)) if ids.contains(&a) => {}
        _ => return Err(AppError::Forbidden),
    }
    let mut tx = app.db.begin().await?;
    let id: Uuid = sqlx::query_scalar(
        "insert into office_hours (agency_id, opens, closes, valid_from) values ($1, $2, $3, $4) returning id",
    )
    .bind(agency)
    .bind(opens)
    .bind(closes)
    .bind(from)
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        audit::Actor::Staff(staff.id),
        "calendar.hours_added",
        None,
        ip,
        json!({"id": id, "agency": agency, "opens": opens, "closes": closes, "valid_from": from}),
    )
    .await?;
    tx.commit().await?;
    flash::set(&session, lang.t("calendar.saved")).await;
    Ok(Redirect::to("/admin/calendar").into_response())
}

/// The month from which administrators are warned that next year's holidays are missing.
const NEXT_YEAR_ALERT_FROM_MONTH: u32 = 10;

/// From October, next year when none of its holidays is entered yet: the clock cannot give an
/// appointment that falls in it (`Calendar::knows`).
pub async fn missing_next_year(
    db: &sqlx::PgPool,
    today: NaiveDate,
) -> Result<Option<i32>, sqlx::Error> {
    if today.month() < NEXT_YEAR_ALERT_FROM_MONTH {
        return Ok(None);
    }
    let next = today.year() + 1;
    let entered: bool = sqlx::query_scalar(
        "select exists (select 1 from calendar_days where kind = 'holiday' \
           and day >= make_date($1, 1, 1) and day < make_date($1 + 1, 1, 1))",
    )
    .bind(next)
    .fetch_one(db)
    .await?;
    Ok((!entered).then_some(next))
}
