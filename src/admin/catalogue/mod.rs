//! Catalogue editing for system administrators (the provincial office that publishes
//! procedures): a published version is never changed. A draft — started from the version in
//! force, or blank for a new procedure — holds the form as typed; it is previewed as the public
//! page and published from an effective date, which makes a new version (the one in force that
//! day ends there; dossiers keep the version they were filed on). The online level is not edited
//! here: it changes only through the chairman's approval.

use std::collections::{BTreeMap, HashSet};

use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgConnection;
use sqlx::types::Json;
use tower_sessions::Session;
use uuid::Uuid;

use super::views::{CatalogueAdminPage, DraftLine, DraftPage};
use crate::AppState;
use crate::accounts::CurrentStaff;
use crate::accounts::domain::StaffRole;
use crate::accounts::guard::staff_layout;
use crate::audit;
use crate::catalogue::domain::{OnlineLevel, TimeUnit};
use crate::catalogue::repo::{Fee, ProcedureDetail, RequiredDocument};
use crate::catalogue::views::ProcedurePage;
use crate::kernel::Lang;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, FormErrors, flash};

mod draft;
mod publish;
mod repo;

pub use draft::*;
use repo::*;

/// `GET /admin/catalogue`: drafts in progress and recently published, and where to start one.
pub async fn index(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
) -> AppResult<CatalogueAdminPage> {
    staff.require(StaffRole::SystemAdmin)?;
    index_page(
        &app,
        lang,
        &session,
        &staff,
        String::new(),
        FormErrors::new(),
    )
    .await
}

async fn index_page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    staff: &CurrentStaff,
    code: String,
    errors: FormErrors,
) -> AppResult<CatalogueAdminPage> {
    let rows: Vec<DraftListLine> = sqlx::query_as(
        "select d.id, d.status, d.body, d.updated_at, u.full_name from procedure_drafts d \
             join staff_users u on u.id = d.updated_by \
             where d.status = 'editing' or d.updated_at > now() - interval '30 days' \
             order by d.status = 'editing' desc, d.updated_at desc, d.id limit 200",
    )
    .fetch_all(&app.db)
    .await?;
    Ok(CatalogueAdminPage {
        layout: staff_layout(
            lang,
            "catalogue_admin.title",
            "/admin/catalogue",
            session,
            staff,
        )
        .await?
        .with_errors(&errors),
        drafts: rows
            .into_iter()
            .map(|(id, status, Json(d), at, who)| DraftLine {
                url: format!("/admin/catalogue/drafts/{id}"),
                code: d.code.clone(),
                name: d.name_vi.clone(),
                status: lang
                    .t(&format!("catalogue_admin.status_{status}"))
                    .into_owned(),
                editing: status == "editing",
                updated: format!("{} — {who}", crate::kernel::time::format_local(at)),
            })
            .collect(),
        code,
        errors,
    })
}

/// `POST /admin/catalogue/drafts`: starts a draft of the procedure `code` from the version in
/// force (or the newest), or a blank one when `code` is empty; an open draft is reused.
pub async fn start(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    staff.require(StaffRole::SystemAdmin)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&raw)
        .map_err(|_| AppError::BadRequest("errors.bad_request_text"))?;
    let code = pairs
        .iter()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    let mut tx = app.db.begin().await?;
    let (procedure, based_on, body) = if code.is_empty() {
        let body = Draft {
            online_level: "none".into(),
            time_limit_unit: "working_days".into(),
            submit_counter: true,
            result_counter: true,
            ..Draft::default()
        };
        (None, None, body)
    } else {
        let found: Option<(Uuid, Uuid)> = sqlx::query_as(
            "select v.procedure_id, v.id from procedure_versions v where v.code = $1 \
             order by (v.effective_from <= current_date and (v.effective_to is null or v.effective_to > current_date)) desc, \
               v.version_no desc limit 1",
        )
        .bind(&code)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((procedure, version)) = found else {
            let mut errors = FormErrors::new();
            errors.add("start-code", lang.t("catalogue_admin.error_unknown_code"));
            drop(tx);
            let page = index_page(&app, lang, &session, &staff, code, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        };
        let open: Option<Uuid> = sqlx::query_scalar(
            "select id from procedure_drafts where procedure_id = $1 and status = 'editing'",
        )
        .bind(procedure)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(open) = open {
            return Ok(Redirect::to(&format!("/admin/catalogue/drafts/{open}")).into_response());
        }
        let body = draft_of_version(&mut tx, version).await?;
        (Some(procedure), Some(version), body)
    };
    let inserted: Result<Uuid, sqlx::Error> = sqlx::query_scalar(
        "insert into procedure_drafts (procedure_id, based_on, body, created_by, updated_by) \
         values ($1, $2, $3, $4, $4) returning id",
    )
    .bind(procedure)
    .bind(based_on)
    .bind(Json(&body))
    .bind(staff.id)
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok(id) => id,
        // started twice at once: the other request's draft is the one
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("procedure_drafts_one_open") => {
            return Ok(Redirect::to("/admin/catalogue").into_response());
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &mut tx,
        audit::Actor::Staff(staff.id),
        "catalogue.draft_started",
        Some(&id.to_string()),
        ip,
        json!({"code": code, "based_on": based_on}),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/catalogue/drafts/{id}")).into_response())
}

/// Which draft a page shows, and in what state.
struct Shown<'a> {
    id: Uuid,
    exists: bool,
    status: &'a str,
    effective_on: String,
}

async fn draft_page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    staff: &CurrentStaff,
    shown_as: Shown<'_>,
    draft: Draft,
    errors: FormErrors,
) -> AppResult<DraftPage> {
    let Shown {
        id,
        exists,
        status,
        effective_on,
    } = shown_as;
    let mut conn = app.db.acquire().await?;
    let fields: Vec<(String, String)> =
        sqlx::query_as("select code, name_vi from fields order by sort_order, code")
            .fetch_all(&mut *conn)
            .await?;
    let kinds: Vec<(String, String)> =
        sqlx::query_as("select code, name_vi from agency_kinds order by sort_order, code")
            .fetch_all(&mut *conn)
            .await?;
    let agencies: Vec<(Uuid, String)> = sqlx::query_as(
        "select id, name_vi from agencies where valid_to is null or valid_to > current_date \
         order by name_vi",
    )
    .fetch_all(&mut *conn)
    .await?;
    let templates: Vec<(String, String)> =
        sqlx::query_as("select slug, name_vi from form_templates order by name_vi, slug")
            .fetch_all(&mut *conn)
            .await?;
    drop(conn);
    let mut shown = draft.clone();
    // room to add: two documents, a fee and a field
    shown.documents.extend([
        DocRow {
            requirement: "copy".into(),
            copies: "1".into(),
            mandatory: true,
            ..DocRow::default()
        },
        DocRow {
            requirement: "copy".into(),
            copies: "1".into(),
            mandatory: true,
            ..DocRow::default()
        },
    ]);
    shown.fees.push(FeeRow {
        kind: "fee".into(),
        channel: "any".into(),
        ..FeeRow::default()
    });
    shown.fields.push(FieldRow {
        kind: "text".into(),
        required: true,
        ..FieldRow::default()
    });
    let requirement_labels = REQUIREMENTS
        .iter()
        .map(|r| {
            (
                (*r).to_owned(),
                lang.t(crate::catalogue::domain::requirement_key(r))
                    .into_owned(),
            )
        })
        .collect();
    let title = if draft.name_vi.is_empty() {
        lang.t("catalogue_admin.new_procedure").into_owned()
    } else {
        draft.name_vi.clone()
    };
    let mut layout = staff_layout(
        lang,
        "catalogue_admin.draft_title",
        "/admin/catalogue",
        session,
        staff,
    )
    .await?
    .with_errors(&errors);
    layout.title = format!("{} — {title}", lang.t("catalogue_admin.draft_title"));
    Ok(DraftPage {
        layout,
        url: format!("/admin/catalogue/drafts/{id}"),
        editing: status == "editing",
        exists,
        level: level_of(&draft.online_level).label(lang).into_owned(),
        fields,
        kinds,
        agencies: agencies
            .into_iter()
            .map(|(id, n)| (id.to_string(), n))
            .collect(),
        templates,
        requirements: requirement_labels,
        units: UNITS
            .iter()
            .map(|u| {
                (
                    (*u).to_owned(),
                    lang.t(&format!("catalogue_admin.unit_{u}")).into_owned(),
                )
            })
            .collect(),
        field_kinds: FIELD_KINDS
            .iter()
            .map(|k| {
                (
                    (*k).to_owned(),
                    lang.t(&format!("catalogue_admin.kind_{k}")).into_owned(),
                )
            })
            .collect(),
        draft: shown,
        effective_on,
        errors,
    })
}

/// `GET /admin/catalogue/drafts/{id}`
pub async fn show(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Path(id): Path<Uuid>,
) -> AppResult<DraftPage> {
    staff.require(StaffRole::SystemAdmin)?;
    let mut conn = app.db.acquire().await?;
    let (procedure, status, draft) = load(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    drop(conn);
    draft_page(
        &app,
        lang,
        &session,
        &staff,
        Shown {
            id,
            exists: procedure.is_some(),
            status: &status,
            effective_on: String::new(),
        },
        draft,
        FormErrors::new(),
    )
    .await
}

fn translate(errors: &mut FormErrors, lang: Lang) -> impl FnMut(String, &'static str, usize) + '_ {
    move |field, key, n| {
        let message = lang.t(key).replace("{n}", &n.to_string());
        errors.add(field, message);
    }
}

/// `POST /admin/catalogue/drafts/{id}`: saves the form; with mistakes, nothing is saved and the
/// form comes back as typed.
pub async fn save(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    staff.require(StaffRole::SystemAdmin)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&raw)
        .map_err(|_| AppError::BadRequest("errors.bad_request_text"))?;
    let mut tx = app.db.begin().await?;
    let row: Option<(Option<Uuid>, String, Json<Draft>)> = sqlx::query_as(
        "select procedure_id, status, body from procedure_drafts where id = $1 for update",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let (procedure, status, Json(kept)) = row.ok_or(AppError::NotFound)?;
    if status != "editing" {
        return Err(AppError::Conflict);
    }
    let draft = Draft::from_pairs(&pairs, &kept, procedure.is_some());
    let mut errors = FormErrors::new();
    let known = known(&mut tx).await?;
    check(&draft, &known, translate(&mut errors, lang));
    if procedure.is_none() && errors.get("code").is_none() {
        let taken: bool =
            sqlx::query_scalar("select exists (select 1 from procedures where code = $1)")
                .bind(&draft.code)
                .fetch_one(&mut *tx)
                .await?;
        if taken {
            errors.add("code", lang.t("catalogue_admin.error_code_taken"));
        }
    }
    if !errors.is_empty() {
        drop(tx);
        let page = draft_page(
            &app,
            lang,
            &session,
            &staff,
            Shown {
                id,
                exists: procedure.is_some(),
                status: &status,
                effective_on: String::new(),
            },
            draft,
            errors,
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    sqlx::query(
        "update procedure_drafts set body = $2, updated_by = $3, updated_at = now() where id = $1",
    )
    .bind(id)
    .bind(Json(&draft))
    .bind(staff.id)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        audit::Actor::Staff(staff.id),
        "catalogue.draft_saved",
        Some(&id.to_string()),
        ip,
        json!({"before": kept, "after": draft}),
    )
    .await?;
    tx.commit().await?;
    flash::set(&session, lang.t("catalogue_admin.saved")).await;
    Ok(Redirect::to(&format!("/admin/catalogue/drafts/{id}")).into_response())
}

/// `GET /admin/catalogue/drafts/{id}/preview`: the public page, as it will read.
pub async fn preview(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Path(id): Path<Uuid>,
) -> AppResult<ProcedurePage> {
    staff.require(StaffRole::SystemAdmin)?;
    let mut conn = app.db.acquire().await?;
    let (_, _, draft) = load(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let detail = detail_of(&mut conn, &draft).await?;
    drop(conn);
    let here = format!("/admin/catalogue/drafts/{id}/preview");
    let mut page = ProcedurePage::new(&detail, lang, here.clone());
    let mut layout = staff_layout(lang, "catalogue_admin.preview", &here, &session, &staff).await?;
    layout.title = format!("{} — {}", lang.t("catalogue_admin.preview"), page.name);
    layout.flash = Some(lang.t("catalogue_admin.preview_banner").into_owned());
    page.layout = layout;
    // nothing to file yet
    page.apply_url = None;
    Ok(page)
}

/// `POST /admin/catalogue/drafts/{id}/publish`: a new version from `effective_on`.
pub async fn publish(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    staff.require(StaffRole::SystemAdmin)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&raw)
        .map_err(|_| AppError::BadRequest("errors.bad_request_text"))?;
    let effective_text = pairs
        .iter()
        .find(|(k, _)| k == "effective_on")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    let published = publish::publish(&app.db, id, &effective_text, (staff.id, ip), lang).await?;
    let (code, effective) = match published {
        publish::Published::Done { code, effective } => (code, effective),
        publish::Published::Refused {
            draft,
            procedure,
            status,
            errors,
        } => {
            let shown = Shown {
                id,
                exists: procedure.is_some(),
                status: &status,
                effective_on: effective_text,
            };
            let page = draft_page(&app, lang, &session, &staff, shown, *draft, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    app.catalogue.clear().await;
    flash::set(
        &session,
        lang.t("catalogue_admin.published")
            .replace("{code}", &code)
            .replace("{date}", &crate::kernel::time::format_date(effective)),
    )
    .await;
    Ok(Redirect::to("/admin/catalogue").into_response())
}

/// `POST /admin/catalogue/drafts/{id}/discard`
pub async fn discard(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    staff.require(StaffRole::SystemAdmin)?;
    let mut tx = app.db.begin().await?;
    let done = sqlx::query(
        "update procedure_drafts set status = 'discarded', updated_by = $2, updated_at = now() \
         where id = $1 and status = 'editing'",
    )
    .bind(id)
    .bind(staff.id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        audit::Actor::Staff(staff.id),
        "catalogue.draft_discarded",
        Some(&id.to_string()),
        ip,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    flash::set(&session, lang.t("catalogue_admin.discarded")).await;
    Ok(Redirect::to("/admin/catalogue").into_response())
}
