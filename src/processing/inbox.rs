//! The personal inbox of an official: assigned to me, my unit's unassigned, waiting for my
//! signature, sent to my agency for its opinion, to forward, to return, due soon, overdue —
//! the tabs a role needs, each a keyset page in due order.

use axum::extract::{Query, State};
use chrono::Utc;
use serde::Deserialize;
use tower_sessions::Session;
use uuid::Uuid;

use super::repo::{self, Inbox, Viewer};
use super::views::{InboxPage, InboxRow, InboxTab};
use crate::AppState;
use crate::accounts::CurrentStaff;
use crate::accounts::domain::StaffRole;
use crate::accounts::guard::staff_layout;
use crate::deadlines::calendar::{to_local, to_utc};
use crate::deadlines::repo as calendar;
use crate::kernel::time::format_local;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, paths};

#[derive(Deserialize, Default)]
pub struct InboxQuery {
    view: Option<String>,
    after: Option<String>,
}

const PAGE: i64 = 25;

/// The tabs an official's roles call for.
fn tabs_for(staff: &CurrentStaff) -> Vec<Inbox> {
    let has = |r| staff.has(r);
    let mut tabs = Vec::new();
    if has(StaffRole::CaseOfficer) {
        tabs.extend([Inbox::Mine, Inbox::Cooperation]);
    }
    if has(StaffRole::DivisionHead) {
        tabs.push(Inbox::Unassigned);
    }
    if has(StaffRole::SigningAuthority) {
        tabs.push(Inbox::Signature);
    }
    if has(StaffRole::Reception) {
        tabs.extend([Inbox::Forward, Inbox::Return]);
    }
    if has(StaffRole::CaseOfficer)
        || has(StaffRole::DivisionHead)
        || has(StaffRole::SigningAuthority)
    {
        tabs.extend([Inbox::DueSoon, Inbox::Overdue]);
    }
    tabs
}

/// `GET /staff/inbox?view=…`
pub async fn inbox(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Query(query): Query<InboxQuery>,
) -> AppResult<InboxPage> {
    let tabs = tabs_for(&staff);
    let which = match query.view.as_deref() {
        Some(v) => Inbox::parse(v)
            .filter(|i| tabs.contains(i))
            .ok_or(AppError::NotFound)?,
        None => *tabs.first().ok_or(AppError::Forbidden)?,
    };
    let heads: Vec<Uuid> = staff.agencies_with(StaffRole::DivisionHead).collect();
    let signers: Vec<Uuid> = staff.agencies_with(StaffRole::SigningAuthority).collect();
    let officers: Vec<Uuid> = staff.agencies_with(StaffRole::CaseOfficer).collect();
    let desks: Vec<Uuid> = staff.agencies_with(StaffRole::Reception).collect();
    let viewer = Viewer {
        staff: staff.id,
        heads: &heads,
        signers: &signers,
        officers: &officers,
        desks: &desks,
    };
    let after = query.after.as_deref().and_then(paths::parse_time_cursor);
    let mut conn = app.db.acquire().await?;
    let cal = calendar::load(&mut conn).await?;
    let now = Utc::now();
    let soon = to_utc(cal.add_working_days(to_local(now), 1));
    let mut items = repo::inbox(&mut conn, which, &viewer, soon, after, PAGE + 1).await?;
    drop(conn);
    let base = format!("/staff/inbox?view={}", which.slug());
    let next_url = (items.len() as i64 > PAGE).then(|| {
        items.truncate(PAGE as usize);
        items
            .last()
            .and_then(|i| {
                i.due_at
                    .map(|at| format!("{base}&after={}", paths::time_cursor(at, i.id)))
            })
            .unwrap_or_default()
    });
    let rows = items
        .iter()
        .map(|i| {
            let state = match i.step {
                Some(step) => format!(
                    "{} — {}",
                    lang.t(i.status.label_key()),
                    lang.t(step.label_key())
                ),
                None => lang.t(i.status.label_key()).into_owned(),
            };
            InboxRow {
                url: crate::web::paths::staff_dossier(i.id),
                code: i.code.clone().unwrap_or_default(),
                procedure: lang.pick(&i.procedure_vi, &i.procedure_en).to_owned(),
                applicant: i.applicant_name.clone(),
                state,
                assignee: i.assignee_name.clone().unwrap_or_default(),
                due: i.due_at.map(format_local).unwrap_or_default(),
                overdue: i.due_at.is_some_and(|d| d < now) && i.status.clock_runs(),
                due_soon: i.due_at.is_some_and(|d| d >= now && d < soon),
            }
        })
        .collect();
    Ok(InboxPage {
        layout: staff_layout(lang, "inbox.title", "/staff/inbox", &session, &staff).await?,
        tabs: tabs
            .iter()
            .map(|t| InboxTab {
                label: lang.t(t.label_key()).into_owned(),
                url: format!("/staff/inbox?view={}", t.slug()),
                current: *t == which,
            })
            .collect(),
        title: lang.t(which.label_key()).into_owned(),
        rows,
        next_url,
    })
}
