//! What the nation is told of one dossier: its full record as it stands now, and one progress
//! item per event not yet delivered. Read from the database, written in the `tt04-2025` wire
//! profile; files travel as signed links that expire (`links`).

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use sqlx::{FromRow, PgConnection};
use uuid::Uuid;

use super::links;
use super::tt04_2025::{
    self as wire, DossierRecord, FeePaid, OwnerId, ProgressItem, ResultDocument, SubmittedDocument,
    SupplementRound, clip, timestamp, timestamp_or_empty,
};
use crate::dossiers::DossierStatus;
use crate::dossiers::workflow::{Action, Step};
use crate::kernel::lang::Lang;

#[derive(FromRow)]
struct Row {
    code: Option<String>,
    status: DossierStatus,
    step: Option<Step>,
    intake_channel: i16,
    applicant_name: String,
    applicant_personal_id: String,
    applicant_phone: String,
    applicant_email: String,
    submitted_at: Option<DateTime<Utc>>,
    received_at: Option<DateTime<Utc>>,
    due_at: Option<DateTime<Utc>>,
    original_due_at: Option<DateTime<Utc>>,
    result_at: Option<DateTime<Utc>>,
    returned_at: Option<DateTime<Utc>>,
    result_channel: String,
    procedure_code: String,
    procedure_name: String,
    field_code: String,
    field_name: String,
    agency: String,
    refused_at: Option<DateTime<Utc>>,
    online_mode: Option<i16>,
    national_loa: Option<String>,
    national_tech_id: Option<String>,
}

#[derive(FromRow)]
struct FileRow {
    id: Uuid,
    original_name: String,
    document_position: Option<i32>,
    purpose: String,
    reused: bool,
}

#[derive(FromRow)]
struct FeeRow {
    label: String,
    amount_vnd: i64,
}

#[derive(FromRow)]
struct EventRow {
    at: DateTime<Utc>,
    action: String,
    to_status: DossierStatus,
    note: String,
    actor_name: Option<String>,
    actor_role: Option<String>,
    unit: Option<String>,
    step_due_at: Option<DateTime<Utc>>,
    due_after: Option<DateTime<Utc>>,
    previous_at: Option<DateTime<Utc>>,
}

/// The dossier's record now; `None` for a dossier the nation never sees (a draft).
pub async fn record(
    conn: &mut PgConnection,
    links: &links::Links,
    dossier: Uuid,
) -> Result<Option<DossierRecord>, sqlx::Error> {
    let Some(d): Option<Row> = sqlx::query_as(
        "select d.code, d.status, d.step, d.intake_channel, d.applicant_name, \
           d.applicant_personal_id, d.applicant_phone, d.applicant_email, d.submitted_at, \
           d.received_at, d.due_at, d.original_due_at, d.result_at, d.returned_at, d.result_channel, \
           d.national_loa, d.national_tech_id, \
           p.code as procedure_code, v.name_vi as procedure_name, f.code as field_code, \
           f.name_vi as field_name, coalesce(ca.name_vi, ra.name_vi, '') as agency, \
           (select max(e.at) from dossier_events e where e.dossier_id = d.id \
              and e.to_status in ('refused_at_reception', 'refused_on_merits')) as refused_at, \
           (select max(pm.online_mode) from payments pm where pm.dossier_id = d.id \
              and pm.status = 'paid' and pm.method = 'gateway') as online_mode \
         from dossiers d \
         join procedure_versions v on v.id = d.procedure_version_id \
         join procedures p on p.id = v.procedure_id \
         join fields f on f.id = p.field_id \
         left join agencies ca on ca.id = d.competent_agency_id \
         left join agencies ra on ra.id = d.receiving_agency_id \
         where d.id = $1",
    )
    .bind(dossier)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let (Some(code), Some(status)) = (d.code.clone(), wire::national_status(d.status, d.step))
    else {
        return Ok(None);
    };
    let files: Vec<FileRow> = sqlx::query_as(
        "select id, original_name, document_position, purpose, reused_from is not null as reused \
         from dossier_files where dossier_id = $1 order by created_at, id",
    )
    .bind(dossier)
    .fetch_all(&mut *conn)
    .await?;
    let fees: Vec<FeeRow> = sqlx::query_as(
        "select coalesce(i->>'label', 'Phí, lệ phí') as label, \
           coalesce((i->>'amount_vnd')::bigint * coalesce((i->>'quantity')::bigint, 1), 0) as amount_vnd \
         from payments p, jsonb_array_elements(p.items) i \
         where p.dossier_id = $1 and p.status = 'paid' order by p.created_at",
    )
    .bind(dossier)
    .fetch_all(&mut *conn)
    .await?;
    let rounds: Vec<EventRow> = rounds(conn, dossier).await?;

    let mut documents = Vec::new();
    let mut results = Vec::new();
    for f in &files {
        let url = links.file_url(f.id);
        if f.purpose == "result" {
            results.push(ResultDocument {
                name: clip(&f.original_name, wire::FILE_NAME_MAX),
                id: f.id.to_string(),
                url,
                code: String::new(),
            });
        } else {
            documents.push(SubmittedDocument {
                id: f.id.to_string(),
                name: clip(&f.original_name, wire::FILE_NAME_MAX),
                is_deleted: "False".to_owned(),
                component: f
                    .document_position
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
                url,
                digitised: "1".to_owned(),
                reused: if f.reused { "1" } else { "0" }.to_owned(),
                from_national_store: "0".to_owned(),
            });
        }
    }
    let mut supplements: Vec<SupplementRound> = Vec::new();
    for e in &rounds {
        match e.action.as_str() {
            "request_supplement" | "return_for_completion" => supplements.push(SupplementRound {
                id: format!("{}-{}", code, supplements.len() + 1),
                requested_by: clip(e.actor_name.as_deref().unwrap_or(""), wire::OFFICIAL_MAX),
                content: clip(&e.note, wire::SUMMARY_MAX),
                requested_at: timestamp(e.at),
                received_at: String::new(),
                answered: "0".to_owned(),
                due_before: timestamp_or_empty(d.original_due_at.or(d.due_at)),
                due_after: String::new(),
            }),
            _ => {
                if let Some(last) = supplements.last_mut() {
                    last.received_at = timestamp(e.at);
                    last.answered = "1".to_owned();
                    last.due_after = timestamp_or_empty(e.due_after);
                }
            }
        }
    }
    let finished = matches!(
        d.status,
        DossierStatus::ResultReady
            | DossierStatus::OutForDelivery
            | DossierStatus::Returned
            | DossierStatus::RefusedOnMerits
    );
    let summary = format!("{} — {}", d.procedure_name, d.applicant_name);
    Ok(Some(DossierRecord {
        code,
        procedure_code: d.procedure_code,
        procedure_name: d.procedure_name,
        field_code: d.field_code,
        field_name: d.field_name,
        channel: d.intake_channel.to_string(),
        owner: clip(&d.applicant_name, 255),
        owner_id: d.applicant_personal_id.clone(),
        owner_kind: "1".to_owned(),
        owner_tech_id: d.national_tech_id.clone().unwrap_or_default(),
        email: d.applicant_email,
        phone: d.applicant_phone,
        summary: clip(&summary, wire::SUMMARY_MAX),
        submitted_at: timestamp_or_empty(d.submitted_at),
        received_at: timestamp_or_empty(d.received_at),
        due_at: timestamp_or_empty(d.due_at),
        status: status.code().to_string(),
        finished_at: if finished {
            timestamp_or_empty(d.result_at.or(d.refused_at))
        } else {
            String::new()
        },
        returned_at: timestamp_or_empty(d.returned_at),
        refused_at: timestamp_or_empty(d.refused_at),
        by_post: if d.result_channel == "post" { "1" } else { "0" }.to_owned(),
        agency: d.agency,
        has_digitised: wire::flag(!files.is_empty()),
        // F766 4.5: filed under a national sign-in of a sufficient level of assurance
        vneid_verified: wire::flag(wire::verified_with_vneid(d.national_loa.as_deref())),
        paid_online: d.online_mode.unwrap_or(0).to_string(),
        // a 12-digit personal identification number, and nothing when there is none
        owner_ids: (d.applicant_personal_id.len() == 12
            && d.applicant_personal_id.bytes().all(|b| b.is_ascii_digit()))
        .then(|| OwnerId {
            kind: "1".to_owned(),
            number: d.applicant_personal_id.clone(),
        })
        .into_iter()
        .collect(),
        documents,
        fees: fees
            .into_iter()
            .filter(|f| f.amount_vnd > 0)
            .map(|f| FeePaid {
                name: f.label,
                code: String::new(),
                when: "1".to_owned(),
                amount: f.amount_vnd.to_string(),
                kind: "1".to_owned(),
            })
            .collect(),
        supplements,
        results,
    }))
}

/// The supplement and completion rounds of a dossier, in order.
async fn rounds(conn: &mut PgConnection, dossier: Uuid) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as(
        "select e.at, e.action, e.to_status, e.note, s.full_name as actor_name, e.actor_role, \
           a.name_vi as unit, e.step_due_at, (e.details->>'due_at')::timestamptz as due_after, \
           null::timestamptz as previous_at \
         from dossier_events e \
         left join staff_users s on s.id = e.actor_id and e.actor_kind = 'staff' \
         left join agencies a on a.id = coalesce(e.agency_id, e.to_agency_id) \
         where e.dossier_id = $1 \
           and e.action in ('request_supplement', 'supplement_received', 'return_for_completion', 'resubmit') \
         order by e.at, e.id",
    )
    .bind(dossier)
    .fetch_all(conn)
    .await
}

/// The progress items of the events `ids` of one dossier, in the order they happened.
pub async fn progress(
    conn: &mut PgConnection,
    dossier: Uuid,
    code: &str,
    ids: &[i64],
) -> Result<Vec<ProgressItem>, sqlx::Error> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "select * from (select e.id, e.at, e.action, e.to_status, e.note, s.full_name as actor_name, \
           e.actor_role, a.name_vi as unit, e.step_due_at, \
           (e.details->>'due_at')::timestamptz as due_after, \
           lag(e.at) over (order by e.at, e.id) as previous_at \
         from dossier_events e \
         left join staff_users s on s.id = e.actor_id and e.actor_kind = 'staff' \
         left join agencies a on a.id = coalesce(e.agency_id, e.to_agency_id) \
         where e.dossier_id = $1) x where x.id = any($2) order by x.at, x.id",
    )
    .bind(dossier)
    .bind(ids)
    .fetch_all(conn)
    .await?;
    let lang = Lang::Vi;
    Ok(rows
        .into_iter()
        .filter_map(|e| {
            let status = wire::national_status(e.to_status, None)?;
            let action = Action::parse(&e.action);
            let content = match (action, e.note.trim()) {
                (Some(a), "") => lang.t(&a.label_key()).into_owned(),
                (Some(a), note) => format!("{}: {note}", lang.t(&a.label_key())),
                (None, note) => note.to_owned(),
            };
            let official = match (e.actor_name, e.actor_role.as_deref()) {
                (Some(name), _) => name,
                (None, Some("citizen")) => "Công dân".to_owned(),
                _ => "Hệ thống".to_owned(),
            };
            let title = e
                .actor_role
                .as_deref()
                .filter(|r| *r != "citizen")
                .map(|r| lang.t(&format!("role.{r}")).into_owned())
                .unwrap_or_default();
            Some(ProgressItem {
                code: code.to_owned(),
                official: clip(&official, wire::OFFICIAL_MAX),
                title,
                at: timestamp(e.at),
                unit: e.unit.unwrap_or_default(),
                content: clip(&content, wire::SUMMARY_MAX),
                status: status.code().to_string(),
                started_at: timestamp(e.previous_at.unwrap_or(e.at)),
                due_at: timestamp_or_empty(e.step_due_at),
            })
        })
        .collect())
}

/// The state of the exchange, as the page and the admin home page show it.
#[derive(Debug, Default, sqlx::FromRow)]
pub struct Backlog {
    /// dossiers with changes waiting
    pub dossiers: i64,
    /// changes waiting
    pub changes: i64,
    pub oldest: Option<DateTime<Utc>>,
    pub refused: i64,
}

impl Backlog {
    /// Whether the oldest change waiting is older than the regulation allows.
    pub fn late(&self, now: DateTime<Utc>) -> bool {
        self.oldest
            .is_some_and(|o| now - o > chrono::Duration::minutes(LIMIT_MINUTES))
    }
}

pub async fn backlog(db: &PgPool) -> Result<Backlog, sqlx::Error> {
    sqlx::query_as(
        "select count(*) filter (where pending_since is not null) as dossiers, \
           (select count(*) from national_sync_outbox where delivered_at is null) as changes, \
           min(pending_since) as oldest, \
           count(*) filter (where failed_at is not null) as refused \
         from national_sync_state where pending_since is not null or failed_at is not null",
    )
    .fetch_one(db)
    .await
}

/// Minutes within which a change must reach the national portal (Decree 63/2024 Art. 7(4)).
pub const LIMIT_MINUTES: i64 = 10;
