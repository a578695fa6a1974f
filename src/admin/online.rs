//! Opening procedures online with the chairman's approval: the levels of every procedure in
//! force and the share open online (QĐ 766 indicator 3.1), a proposal with the readiness
//! checklist the system computes, and the chairman's decision — approved with a decision
//! number and an effective date (a new procedure version from that day), returned, or rejected.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;
use sqlx::{FromRow, PgConnection};
use tower_sessions::Session;
use uuid::Uuid;

use super::views::{CheckItem, DecisionPage, LevelRow, LevelsPage, ProposalRow, ProposePage};
use crate::AppState;
use crate::accounts::CurrentStaff;
use crate::accounts::domain::StaffRole;
use crate::accounts::guard::staff_layout;
use crate::audit;
use crate::catalogue::domain::OnlineLevel;
use crate::kernel::Lang;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, FormErrors, flash};

/// The version of a procedure in force today, with what the checklist and scope need.
#[derive(Debug, Clone, FromRow)]
struct Current {
    procedure_id: Uuid,
    version_id: Uuid,
    code: String,
    name_vi: String,
    name_en: String,
    online_level: OnlineLevel,
    competent_kind: String,
    competent_agency_id: Option<Uuid>,
    result_post: bool,
    result_electronic: bool,
    time_limit_value: Option<i32>,
}

async fn current(conn: &mut PgConnection, code: &str) -> Result<Option<Current>, sqlx::Error> {
    sqlx::query_as(
        "select v.procedure_id, v.id as version_id, v.code, v.name_vi, v.name_en, v.online_level, \
           v.competent_kind, v.competent_agency_id, v.result_post, v.result_electronic, \
           v.time_limit_value \
         from procedure_versions v where v.code = $1 and v.effective_from <= current_date \
           and (v.effective_to is null or v.effective_to > current_date)",
    )
    .bind(code)
    .fetch_optional(conn)
    .await
}

/// The agency in whose name the administrator proposes for a procedure decided by
/// `competent` (or, when none is named, by every agency of `competent_kind`), if any: theirs
/// when it decides it; a system administrator may propose for any.
fn proposer(
    staff: &CurrentStaff,
    kinds: &std::collections::HashMap<Uuid, String>,
    competent: Option<Uuid>,
    competent_kind: &str,
) -> Option<Uuid> {
    staff.roles.iter().find_map(|r| match r.role {
        StaffRole::SystemAdmin => Some(r.agency_id),
        StaffRole::AgencyAdmin
            if competent == Some(r.agency_id)
                || (competent.is_none()
                    && kinds.get(&r.agency_id).map(String::as_str) == Some(competent_kind)) =>
        {
            Some(r.agency_id)
        }
        _ => None,
    })
}

/// The agency in whose name the administrator proposes for this procedure, if any.
async fn proposing_agency(
    conn: &mut PgConnection,
    staff: &CurrentStaff,
    c: &Current,
) -> Result<Option<Uuid>, sqlx::Error> {
    let kinds = super::repo::administered_kinds(conn, staff).await?;
    Ok(proposer(
        staff,
        &kinds,
        c.competent_agency_id,
        &c.competent_kind,
    ))
}

/// The readiness checklist for `to` (message key, met).
async fn checklist(
    conn: &mut PgConnection,
    app: &AppState,
    c: &Current,
    to: OnlineLevel,
) -> Result<Vec<(&'static str, bool)>, sqlx::Error> {
    let (fields, documents, mandatory_without_slot, fee_lines, paid_lines, templates): (i64, i64, i64, i64, i64, i64) =
        sqlx::query_as(
            "select (select count(*) from procedure_fields where version_id = $1), \
               (select count(*) from procedure_documents where version_id = $1), \
               (select count(*) from procedure_documents where version_id = $1 and mandatory and position is null), \
               (select count(*) from procedure_fees where version_id = $1), \
               (select count(*) from procedure_fees where version_id = $1 and coalesce(amount_vnd, 1) > 0), \
               (select count(*) from procedure_documents where version_id = $1 and form_template_id is not null)",
        )
        .bind(c.version_id)
        .fetch_one(&mut *conn)
        .await?;
    let mut items = vec![
        ("online.check_fields", fields > 0),
        (
            "online.check_documents",
            documents > 0 && mandatory_without_slot == 0,
        ),
        ("online.check_fees", fee_lines > 0),
        (
            "online.check_time_limit",
            c.time_limit_value.is_some_and(|v| v > 0) || c.time_limit_value.is_none(),
        ),
        ("online.check_templates", templates > 0),
    ];
    if to == OnlineLevel::Full {
        let gateway = !app.settings.payment_gateway.is_empty();
        items.push(("online.check_payment", paid_lines == 0 || gateway));
        items.push(("online.check_result", c.result_electronic || c.result_post));
    }
    Ok(items)
}

fn level_of(s: &str) -> Option<OnlineLevel> {
    OnlineLevel::parse(s)
}

/// `GET /admin/procedures`: every procedure in force with its level and open proposal; the
/// share open online.
pub async fn levels(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
) -> AppResult<LevelsPage> {
    let mut conn = app.db.acquire().await?;
    let kinds = super::repo::administered_kinds(&mut conn, &staff).await?;
    let rows = super::repo::levels_in_force(&mut conn).await?;
    drop(conn);
    let levels: Vec<OnlineLevel> = rows.iter().map(|r| r.online_level).collect();
    Ok(LevelsPage {
        layout: staff_layout(
            lang,
            "online.levels_title",
            "/admin/procedures",
            &session,
            &staff,
        )
        .await?,
        share: share_text(&levels, lang),
        rows: rows
            .into_iter()
            .map(|r| LevelRow {
                propose_url: proposer(&staff, &kinds, r.competent_agency_id, &r.competent_kind)
                    .map(|_| format!("/admin/procedures/{}/propose", r.code)),
                name: lang.pick(&r.name_vi, &r.name_en).to_owned(),
                level: r.online_level.label(lang).into_owned(),
                pending: r
                    .pending
                    .as_deref()
                    .and_then(level_of)
                    .map(|l| l.label(lang).into_owned()),
                code: r.code,
            })
            .collect(),
    })
}

/// "12/40 (30.0%) — Toàn trình: 5": the share open online (partly or fully), and fully.
fn share_text(levels: &[OnlineLevel], lang: Lang) -> String {
    let online = levels.iter().filter(|l| **l != OnlineLevel::None).count();
    let full = levels.iter().filter(|l| **l == OnlineLevel::Full).count();
    let share = if levels.is_empty() {
        0.0
    } else {
        online as f64 * 100.0 / levels.len() as f64
    };
    format!(
        "{online}/{} ({share:.1}%) — {}: {full}",
        levels.len(),
        lang.t("level.full")
    )
}

#[derive(Deserialize, Default, Clone)]
pub struct ProposeForm {
    #[serde(default)]
    to_level: String,
    #[serde(default)]
    justification: String,
    #[serde(default)]
    red_explanation: String,
    /// "Kiểm tra điều kiện": show the checklist of the level chosen, submit nothing
    #[serde(default)]
    check: String,
}

async fn propose_page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    staff: &CurrentStaff,
    c: &Current,
    form: &ProposeForm,
    errors: FormErrors,
) -> AppResult<ProposePage> {
    let to = level_of(&form.to_level).unwrap_or(match c.online_level {
        OnlineLevel::None => OnlineLevel::Partial,
        _ => OnlineLevel::Full,
    });
    let mut conn = app.db.acquire().await?;
    let items = checklist(&mut conn, app, c, to).await?;
    drop(conn);
    let here = format!("/admin/procedures/{}/propose", c.code);
    Ok(ProposePage {
        layout: staff_layout(lang, "online.propose_title", &here, session, staff)
            .await?
            .with_errors(&errors),
        action: here,
        code: c.code.clone(),
        name: lang.pick(&c.name_vi, &c.name_en).to_owned(),
        current: c.online_level.label(lang).into_owned(),
        levels: [OnlineLevel::Full, OnlineLevel::Partial, OnlineLevel::None]
            .into_iter()
            .filter(|l| *l != c.online_level)
            .map(|l| (l.as_str().to_owned(), l.label(lang).into_owned(), l == to))
            .collect(),
        checklist: items
            .iter()
            .map(|(key, ok)| CheckItem {
                label: lang.t(key).into_owned(),
                ok: *ok,
            })
            .collect(),
        any_red: items.iter().any(|i| !i.1),
        justification: form.justification.clone(),
        red_explanation: form.red_explanation.clone(),
        errors,
    })
}

/// `GET /admin/procedures/{code}/propose`
pub async fn propose_form(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Path(code): Path<String>,
    axum::extract::Query(form): axum::extract::Query<ProposeForm>,
) -> AppResult<ProposePage> {
    let mut conn = app.db.acquire().await?;
    let c = current(&mut conn, &code).await?.ok_or(AppError::NotFound)?;
    proposing_agency(&mut conn, &staff, &c)
        .await?
        .ok_or(AppError::Forbidden)?;
    drop(conn);
    propose_page(&app, lang, &session, &staff, &c, &form, FormErrors::new()).await
}

/// `POST /admin/procedures/{code}/propose`
pub async fn propose(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
    Form(form): Form<ProposeForm>,
) -> AppResult<Response> {
    let mut tx = app.db.begin().await?;
    let c = current(&mut tx, &code).await?.ok_or(AppError::NotFound)?;
    let agency = proposing_agency(&mut tx, &staff, &c)
        .await?
        .ok_or(AppError::Forbidden)?;
    if !form.check.is_empty() {
        drop(tx);
        let page = propose_page(&app, lang, &session, &staff, &c, &form, FormErrors::new()).await?;
        return Ok(page.into_response());
    }
    let mut errors = FormErrors::new();
    let to = level_of(&form.to_level).filter(|l| *l != c.online_level);
    if to.is_none() {
        errors.add("to_level", lang.t("online.error_level"));
    }
    if form.justification.trim().chars().count() < 10 {
        errors.add("justification", lang.t("online.error_justification"));
    }
    let items = match to {
        Some(to) => checklist(&mut tx, &app, &c, to).await?,
        None => Vec::new(),
    };
    let red = items.iter().any(|i| !i.1);
    if red && form.red_explanation.trim().chars().count() < 10 {
        errors.add("red_explanation", lang.t("online.error_red"));
    }
    if super::repo::has_open_proposal(&mut tx, c.procedure_id).await? {
        errors.add("to_level", lang.t("online.error_open"));
    }
    let (Some(to), true) = (to, errors.is_empty()) else {
        drop(tx);
        let page = propose_page(&app, lang, &session, &staff, &c, &form, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let checklist_json = json!(
        items
            .iter()
            .map(|(key, ok)| json!({"item": key, "ok": ok}))
            .collect::<Vec<_>>()
    );
    let id: Uuid = sqlx::query_scalar(
        "insert into online_level_proposals (procedure_id, version_id, from_level, to_level, justification, \
           checklist, red_explanation, agency_id, proposed_by) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
    )
    .bind(c.procedure_id)
    .bind(c.version_id)
    .bind(c.online_level)
    .bind(to)
    .bind(form.justification.trim())
    .bind(&checklist_json)
    .bind(form.red_explanation.trim())
    .bind(agency)
    .bind(staff.id)
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        audit::Actor::Staff(staff.id),
        "online_level.proposed",
        Some(&c.code),
        ip,
        json!({"proposal": id, "from": c.online_level, "to": to, "checklist": checklist_json}),
    )
    .await?;
    tx.commit().await?;
    flash::set(&session, lang.t("online.proposed")).await;
    Ok(Redirect::to("/admin/procedures").into_response())
}

#[derive(Debug, Clone, FromRow)]
struct ProposalData {
    id: Uuid,
    code: String,
    name_vi: String,
    name_en: String,
    from_level: OnlineLevel,
    to_level: OnlineLevel,
    justification: String,
    checklist: sqlx::types::Json<serde_json::Value>,
    red_explanation: String,
    agency_vi: String,
    proposer: String,
    status: String,
    version_id: Uuid,
    effective_from: NaiveDate,
}

async fn proposals(
    conn: &mut PgConnection,
    status: Option<&str>,
) -> Result<Vec<ProposalData>, sqlx::Error> {
    sqlx::query_as(
        "select p.id, v.code, v.name_vi, v.name_en, p.from_level, p.to_level, p.justification, p.checklist, \
           p.red_explanation, a.name_vi as agency_vi, u.full_name as proposer, p.status, p.version_id, v.effective_from \
         from online_level_proposals p join procedure_versions v on v.id = p.version_id \
         join agencies a on a.id = p.agency_id join staff_users u on u.id = p.proposed_by \
         where ($1::text is null or p.status = $1) order by p.proposed_at desc limit 200",
    )
    .bind(status)
    .fetch_all(conn)
    .await
}

fn proposal_row(p: &ProposalData, lang: Lang) -> ProposalRow {
    ProposalRow {
        id: p.id.to_string(),
        code: p.code.clone(),
        name: lang.pick(&p.name_vi, &p.name_en).to_owned(),
        change: format!("{} → {}", p.from_level.label(lang), p.to_level.label(lang)),
        agency: p.agency_vi.clone(),
        proposer: p.proposer.clone(),
        justification: p.justification.clone(),
        red_explanation: p.red_explanation.clone(),
        status: lang.t(&format!("online.status_{}", p.status)).into_owned(),
        checklist: p
            .checklist
            .0
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|i| CheckItem {
                        label: lang
                            .t(i.get("item").and_then(|v| v.as_str()).unwrap_or_default())
                            .into_owned(),
                        ok: i
                            .get("ok")
                            .and_then(serde_json::Value::as_bool)
                            .unwrap_or(false),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// `GET /staff/approvals`: proposals waiting for the chairman's decision, and the recent ones.
pub async fn approvals(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
) -> AppResult<DecisionPage> {
    decision_page(&app, lang, &session, &staff, FormErrors::new(), None).await
}

/// The form that failed: which proposal, what was typed.
struct Kept<'a> {
    id: Uuid,
    form: &'a DecideForm,
}

async fn decision_page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    staff: &CurrentStaff,
    errors: FormErrors,
    kept: Option<Kept<'_>>,
) -> AppResult<DecisionPage> {
    let mut conn = app.db.acquire().await?;
    let all = proposals(&mut conn, None).await?;
    drop(conn);
    Ok(DecisionPage {
        layout: staff_layout(
            lang,
            "online.approvals_title",
            "/staff/approvals",
            session,
            staff,
        )
        .await?
        .with_errors(&errors),
        can_decide: staff.has(StaffRole::Chairman),
        pending: all
            .iter()
            .filter(|p| p.status == "submitted")
            .map(|p| proposal_row(p, lang))
            .collect(),
        decided: all
            .iter()
            .filter(|p| p.status != "submitted")
            .take(30)
            .map(|p| proposal_row(p, lang))
            .collect(),
        kept_for: kept.as_ref().map(|k| k.id.to_string()).unwrap_or_default(),
        decision_no: kept
            .as_ref()
            .map(|k| k.form.decision_no.clone())
            .unwrap_or_default(),
        effective_date: kept
            .as_ref()
            .map(|k| k.form.effective_date.clone())
            .unwrap_or_default(),
        comment: kept
            .as_ref()
            .map(|k| k.form.comment.clone())
            .unwrap_or_default(),
        errors,
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct DecideForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    decision_no: String,
    #[serde(default)]
    effective_date: String,
    #[serde(default)]
    comment: String,
}

/// The chairman's decision read from the form: the proposal's new status, the effective day
/// when approved, and what is missing (a decision number and a day after the version in force
/// starts for an approval; a comment for a return or a rejection). Field ids carry the
/// proposal's id: the page holds a form for each one.
fn judge_decision(
    form: &DecideForm,
    id: Uuid,
    in_force_from: NaiveDate,
    lang: Lang,
) -> AppResult<(&'static str, Option<NaiveDate>, FormErrors)> {
    let mut errors = FormErrors::new();
    let status = match form.decision.as_str() {
        "approve" => "approved",
        "return" => "returned",
        "reject" => "rejected",
        _ => return Err(AppError::BadRequest("errors.bad_request_text")),
    };
    let effective = NaiveDate::parse_from_str(form.effective_date.trim(), "%Y-%m-%d").ok();
    if status == "approved" {
        if form.decision_no.trim().chars().count() < 3 {
            errors.add(
                format!("decision_no-{id}"),
                lang.t("online.error_decision_no"),
            );
        }
        if effective.is_none_or(|d| d <= in_force_from) {
            errors.add(
                format!("effective_date-{id}"),
                lang.t("online.error_effective"),
            );
        }
    } else if form.comment.trim().chars().count() < 10 {
        errors.add(format!("comment-{id}"), lang.t("online.error_comment"));
    }
    Ok((status, effective, errors))
}

/// `POST /staff/approvals/{id}`: the chairman approves (decision number, effective date),
/// returns or rejects, with a comment.
pub async fn decide(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form): Form<DecideForm>,
) -> AppResult<Response> {
    if !staff.has(StaffRole::Chairman) {
        return Err(AppError::Forbidden);
    }
    let mut tx = app.db.begin().await?;
    let p: Option<ProposalData> = sqlx::query_as(
        "select p.id, v.code, v.name_vi, v.name_en, p.from_level, p.to_level, p.justification, p.checklist, \
           p.red_explanation, a.name_vi as agency_vi, u.full_name as proposer, p.status, p.version_id, v.effective_from \
         from online_level_proposals p join procedure_versions v on v.id = p.version_id \
         join agencies a on a.id = p.agency_id join staff_users u on u.id = p.proposed_by \
         where p.id = $1 for update of p",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let p = p.ok_or(AppError::NotFound)?;
    if p.status != "submitted" {
        return Err(AppError::Conflict);
    }
    let (status, effective, errors) = judge_decision(&form, id, p.effective_from, lang)?;
    if !errors.is_empty() {
        drop(tx);
        let kept = Kept { id, form: &form };
        let page = decision_page(&app, lang, &session, &staff, errors, Some(kept)).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let mut new_version = None;
    if let (true, Some(day)) = (status == "approved", effective) {
        // the version in force may have changed since the proposal: the new one follows it
        let in_force: Uuid = sqlx::query_scalar(
            "select id from procedure_versions where procedure_id = (select procedure_id from procedure_versions where id = $1) \
             and effective_from <= $2 and (effective_to is null or effective_to > $2)",
        )
        .bind(p.version_id)
        .bind(day)
        .fetch_one(&mut *tx)
        .await?;
        let created: Uuid = sqlx::query_scalar("select copy_procedure_version($1, $2)")
            .bind(in_force)
            .bind(day)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(
            "update procedure_versions set online_level = $2, \
               submit_online = submit_online or $2 <> 'none', decision_no = $3, decision_date = current_date \
             where id = $1",
        )
        .bind(created)
        .bind(p.to_level)
        .bind(form.decision_no.trim())
        .execute(&mut *tx)
        .await?;
        new_version = Some(created);
    }
    sqlx::query(
        "update online_level_proposals set status = $2, decided_by = $3, decided_at = now(), \
           decision_no = nullif($4, ''), effective_date = $5, comment = $6, new_version_id = $7 where id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(staff.id)
    .bind(form.decision_no.trim())
    .bind(effective.filter(|_| status == "approved"))
    .bind(form.comment.trim())
    .bind(new_version)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        audit::Actor::Staff(staff.id),
        &format!("online_level.{status}"),
        Some(&p.code),
        ip,
        json!({"proposal": id, "to": p.to_level, "effective_date": effective, "decision_no": form.decision_no.trim(), "comment": form.comment.trim()}),
    )
    .await?;
    tx.commit().await?;
    app.catalogue.clear().await;
    flash::set(&session, lang.t(&format!("online.status_{status}"))).await;
    Ok(Redirect::to("/staff/approvals").into_response())
}
