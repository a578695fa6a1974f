//! Where a dossier that is not a citizen's draft is born, whole: filed at the counter (its row,
//! its code and PIN, the `file_at_counter` event through [`service::apply`], the papers scanned
//! and the audit line, in one transaction), or taken from the national portal (in the intake's
//! transaction). Online, a dossier is born a draft by `drafts::create` and submitted by
//! `repo::submit`. No other module writes `insert into dossiers` (`tests/architecture.rs`).

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use super::drafts::{self, NewFile};
use super::service::{self, Act};
use super::uploads::Stored;
use super::workflow::{Action, Actor};
use super::{DossierStatus, code};
use crate::accounts::domain::StaffRole;
use crate::audit;
use crate::deadlines::calendar::to_local;
use crate::web::{AppError, AppResult};

/// What the official typed and scanned, checked by the counter's form.
pub struct CounterFiling<'a> {
    pub version: Uuid,
    /// The unit whose desk receives it.
    pub receiving: Uuid,
    /// The official at the desk.
    pub staff: Uuid,
    pub applicant_name: &'a str,
    pub personal_id: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub address: &'a str,
    pub result_channel: &'a str,
    pub result_address: &'a str,
    /// The papers, each in its slot (`None`: other papers).
    pub files: &'a [(Option<i32>, Stored)],
    pub at: DateTime<Utc>,
    pub ip: Option<IpAddr>,
}

/// The dossier born: its id, its code and the PIN the applicant follows it with (shown once).
pub struct Filed {
    pub id: Uuid,
    pub code: String,
    pub pin: String,
}

/// Files a walk-in applicant's dossier: submitted at `at`, by the official, at the desk's unit.
pub async fn file_at_counter(db: &PgPool, f: CounterFiling<'_>) -> AppResult<Filed> {
    let mut tx = db.begin().await?;
    // never linked to an account by the ID number alone: an account's ID number is declared,
    // not verified (no national e-ID yet), and whoever registered a stranger's number would
    // see the stranger's papers. The applicant follows the dossier by its code and PIN.
    let citizen: Option<Uuid> = None;
    let (competent, agency_code): (Option<Uuid>, Option<String>) = sqlx::query_as(
        "select coalesce(v.competent_agency_id, case when a.kind = v.competent_kind then a.id end), \
           coalesce((select e_id_code from agencies c where c.id = \
             coalesce(v.competent_agency_id, case when a.kind = v.competent_kind then a.id end)), a.e_id_code) \
         from procedure_versions v, agencies a where v.id = $1 and a.id = $2",
    )
    .bind(f.version)
    .bind(f.receiving)
    .fetch_one(&mut *tx)
    .await?;
    let id: Uuid = sqlx::query_scalar(
        "insert into dossiers (citizen_id, procedure_version_id, intake_channel, applicant_name, \
           applicant_personal_id, applicant_phone, applicant_email, applicant_address, result_channel, \
           result_address, receiving_agency_id, competent_agency_id, filed_by, draft_step) \
         values ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'submitted') returning id",
    )
    .bind(citizen)
    .bind(f.version)
    .bind(f.applicant_name)
    .bind(f.personal_id)
    .bind(f.phone)
    .bind(f.email)
    .bind(f.address)
    .bind(f.result_channel)
    .bind(f.result_address)
    .bind(f.receiving)
    .bind(competent)
    .bind(f.staff)
    .fetch_one(&mut *tx)
    .await?;
    let day = to_local(f.at).date();
    let dossier_code = code::issue(
        &mut tx,
        agency_code.as_deref().unwrap_or("000.00.00.H48"),
        day,
    )
    .await?
    .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no dossier code")))?;
    let pin = code::new_pin();
    sqlx::query("update dossiers set code = $2, pin_hash = $3, submitted_at = $4 where id = $1")
        .bind(id)
        .bind(dossier_code.as_str())
        .bind(code::pin_hash(id, &pin))
        .bind(f.at)
        .execute(&mut *tx)
        .await?;
    let act = Act::new(
        id,
        DossierStatus::Draft,
        Action::FileAtCounter,
        Actor::Staff(StaffRole::Reception),
    )
    .by(f.staff, Some(f.receiving))
    .at(f.at)
    .to(Some(f.receiving), None);
    service::apply(&mut tx, act)
        .await
        .map_err(|_| AppError::Conflict)?;
    let papers: Vec<Paper<'_>> = f
        .files
        .iter()
        .map(|(position, s)| Paper {
            position: *position,
            storage_key: &s.key,
            original_name: &s.name,
            content_type: s.content_type,
            size: s.size,
            sha256: &s.sha256,
        })
        .collect();
    insert_papers(&mut tx, id, &papers, Some(f.staff)).await?;
    // the walk-in's first message gives them the PIN
    crate::notify::repo::attach_pin(&mut tx, id, pin.as_str()).await?;
    audit::record(
        &mut tx,
        audit::Actor::Staff(f.staff),
        "dossier.file_at_counter",
        Some(dossier_code.as_str()),
        f.ip,
        json!({"files": f.files.len(), "applicant_account": citizen.is_some()}),
    )
    .await?;
    tx.commit().await?;
    Ok(Filed {
        id,
        code: dossier_code.as_str().to_owned(),
        pin: pin.as_str().to_owned(),
    })
}

/// A paper received with a dossier from elsewhere, already in storage.
pub struct Paper<'a> {
    pub position: Option<i32>,
    pub storage_key: &'a str,
    pub original_name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub sha256: &'a str,
}

/// A dossier filed on the national portal, as the intake checked it.
pub struct NationalFiling<'a> {
    /// The national portal's code, which this dossier keeps.
    pub code: &'a str,
    /// The code's agency, day and number, to keep this agency's own numbers clear of it.
    pub code_parts: Option<(&'a str, chrono::NaiveDate, i32)>,
    pub version: Uuid,
    pub agency: Uuid,
    pub submitted_at: DateTime<Utc>,
    pub owner: &'a str,
    pub owner_personal_id: &'a str,
    pub owner_tech_id: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub address: &'a str,
    pub answers: serde_json::Value,
    pub papers: &'a [Paper<'a>],
}

/// Takes a dossier the national portal received, in the caller's transaction: submitted, its
/// papers, and the `submit` event the system records for it. Returns its id.
pub async fn take_from_nation(
    conn: &mut sqlx::PgConnection,
    f: &NationalFiling<'_>,
) -> Result<Uuid, sqlx::Error> {
    if let Some((agency_code, day, sequence)) = f.code_parts {
        sqlx::query(
            "insert into dossier_code_counters (agency_code, day, last_value) values ($1, $2, $3) \
             on conflict (agency_code, day) do update \
               set last_value = greatest(dossier_code_counters.last_value, excluded.last_value)",
        )
        .bind(agency_code)
        .bind(day)
        .bind(sequence)
        .execute(&mut *conn)
        .await?;
    }
    let dossier: Uuid = sqlx::query_scalar(
        "insert into dossiers (code, external_code, source_system, citizen_id, procedure_version_id, \
           status, intake_channel, receiving_agency_id, competent_agency_id, submitted_at, \
           applicant_name, applicant_personal_id, applicant_phone, applicant_email, \
           applicant_address, answers, draft_step, national_tech_id) \
         values ($1, $1, 'dvcqg', \
           (select id from citizens where personal_id = $2 and identity_verified_at is not null), \
           $3, 'submitted', 2, $4, $4, $5, $6, $2, $7, $8, $9, $10, 'submitted', nullif($11, '')) \
         returning id",
    )
    .bind(f.code)
    .bind(f.owner_personal_id)
    .bind(f.version)
    .bind(f.agency)
    .bind(f.submitted_at)
    .bind(f.owner)
    .bind(f.phone)
    .bind(f.email)
    .bind(f.address)
    .bind(&f.answers)
    .bind(f.owner_tech_id)
    .fetch_one(&mut *conn)
    .await?;
    insert_papers(&mut *conn, dossier, f.papers, None).await?;
    sqlx::query(
        "insert into dossier_events (dossier_id, at, from_status, to_status, actor_kind, action, \
           to_agency_id, details) \
         values ($1, now(), 'draft', 'submitted', 'system', $2, $3, $4)",
    )
    .bind(dossier)
    .bind(Action::Submit.as_str())
    .bind(f.agency)
    .bind(json!({ "source": "dvcqg", "national_code": f.code }))
    .execute(&mut *conn)
    .await?;
    Ok(dossier)
}

/// A dossier's papers as received (`added_by`: the official who scanned them).
async fn insert_papers(
    conn: &mut sqlx::PgConnection,
    dossier: Uuid,
    papers: &[Paper<'_>],
    added_by: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    for p in papers {
        drafts::insert_file(
            &mut *conn,
            &NewFile {
                dossier,
                position: p.position,
                storage_key: p.storage_key,
                original_name: p.original_name,
                content_type: p.content_type,
                size: p.size,
                sha256: p.sha256,
                reused_from: None,
                purpose: "document",
                added_by,
            },
        )
        .await?;
    }
    Ok(())
}
