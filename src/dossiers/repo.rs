//! Dossier queries. Functions take a connection and never commit.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::{FromRow, PgConnection};
use uuid::Uuid;

use super::domain::FieldDef;
use super::status::DossierStatus;
use super::workflow::Action;
use crate::catalogue::domain::{OnlineLevel, TimeUnit};

/// A dossier with what its pages show of its procedure.
#[derive(Debug, Clone, FromRow)]
pub struct DossierRow {
    pub id: Uuid,
    pub code: Option<String>,
    pub citizen_id: Option<Uuid>,
    pub procedure_version_id: Uuid,
    pub status: DossierStatus,
    pub intake_channel: i16,
    pub submitted_at: Option<DateTime<Utc>>,
    pub received_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub applicant_name: String,
    pub applicant_personal_id: String,
    pub applicant_phone: String,
    pub applicant_email: String,
    pub applicant_address: String,
    pub applicant_unit_id: Option<Uuid>,
    pub on_behalf: bool,
    pub principal_name: String,
    pub principal_personal_id: String,
    pub relationship: String,
    pub answers: Json<BTreeMap<String, String>>,
    pub paper_channel: String,
    pub pickup_address: String,
    pub result_channel: String,
    pub result_address: String,
    pub postage_estimate_vnd: Option<i64>,
    pub draft_step: String,
    pub created_at: DateTime<Utc>,
    pub procedure_code: String,
    pub procedure_vi: String,
    pub procedure_en: String,
    pub online_level: OnlineLevel,
    pub time_limit_value: Option<i32>,
    pub time_limit_unit: TimeUnit,
    pub receiving_vi: Option<String>,
    pub receiving_en: Option<String>,
    /// the agency that took over, when the receiving one was renamed or merged since
    pub receiving_now_vi: Option<String>,
    pub receiving_agency_id: Option<Uuid>,
    /// the deciding agency and its case officer, who asks for a supplement and reads it
    pub competent_agency_id: Option<Uuid>,
    pub assignee_id: Option<Uuid>,
    pub result_file_id: Option<Uuid>,
    pub supplement_due_at: Option<DateTime<Utc>>,
}

const DOSSIER_SELECT: &str = "select d.id, d.code, d.citizen_id, d.procedure_version_id, d.status, \
    d.intake_channel, d.submitted_at, d.received_at, d.due_at, d.applicant_name, d.applicant_personal_id, \
    d.applicant_phone, d.applicant_email, d.applicant_address, d.applicant_unit_id, d.on_behalf, \
    d.principal_name, d.principal_personal_id, d.relationship, d.answers, d.paper_channel, \
    d.pickup_address, d.result_channel, d.result_address, d.postage_estimate_vnd, d.draft_step, \
    d.created_at, d.receiving_agency_id, d.competent_agency_id, d.assignee_id, d.result_file_id, d.supplement_due_at, v.code as procedure_code, v.name_vi as procedure_vi, v.name_en as procedure_en, \
    v.online_level, v.time_limit_value, v.time_limit_unit, \
    a.name_vi as receiving_vi, a.name_en as receiving_en, \
    (select n.name_vi from agencies n where a.valid_to <= current_date \
       and n.id = agency_in_force(a.id, current_date) and n.id <> a.id) as receiving_now_vi \
    from dossiers d join procedure_versions v on v.id = d.procedure_version_id \
    left join agencies a on a.id = d.receiving_agency_id";

/// A citizen's own dossier; None for anybody else's (the caller answers 404).
pub async fn find_owned(
    conn: &mut PgConnection,
    citizen: Uuid,
    id: Uuid,
) -> Result<Option<DossierRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{DOSSIER_SELECT} where d.id = $1 and d.citizen_id = $2"
    )))
    .bind(id)
    .bind(citizen)
    .fetch_optional(conn)
    .await
}

/// The procedure version of a citizen's own dossier (it never changes); None for anybody
/// else's.
pub async fn version_of(
    conn: &mut PgConnection,
    citizen: Uuid,
    id: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "select procedure_version_id from dossiers where id = $1 and citizen_id = $2",
    )
    .bind(id)
    .bind(citizen)
    .fetch_optional(conn)
    .await
}

/// The condition that every document slot at the positions `$positions` (an `int[]`
/// parameter) of dossier `$dossier` holds a file (a result file fills none). One text for the
/// documents step and the submission.
macro_rules! all_filled {
    ($dossier:literal, $positions:literal) => {
        concat!(
            "not exists (select 1 from unnest(",
            $positions,
            "::int[]) p (position) where not exists \
               (select 1 from dossier_files f where f.dossier_id = ",
            $dossier,
            " \
                  and f.document_position = p.position and f.purpose <> 'result'))"
        )
    };
}

/// The documents step of `citizen`'s draft `id` done, when every slot at `mandatory` holds a
/// file (the resume point moves forward only); false when nothing changed: not theirs, no
/// longer a draft, or a mandatory document missing.
pub async fn finish_documents(
    conn: &mut PgConnection,
    citizen: Uuid,
    id: Uuid,
    mandatory: &[i32],
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(concat!(
        "update dossiers set \
           draft_step = case when draft_step = 'documents' then 'delivery' else draft_step end \
         where id = $1 and citizen_id = $2 and status = 'draft' and ",
        all_filled!("$1", "$3"),
    ))
    .bind(id)
    .bind(citizen)
    .bind(mandatory)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Postage within the province in force today, as a query (also a scalar subquery).
macro_rules! postage {
    () => {
        "select amount_vnd from postal_tariffs where zone = 'province' \
         and valid_from <= current_date and (valid_to is null or valid_to > current_date) \
         order by valid_from desc limit 1"
    };
}

/// How a draft's papers arrive and its result returns.
pub struct Delivery<'a> {
    pub paper: &'a str,
    pub pickup: &'a str,
    pub result: &'a str,
    pub result_address: &'a str,
}

/// Saves the delivery step of `citizen`'s draft `id`, with the postage in force today when
/// the result goes by post; false when it is not theirs or no longer a draft.
pub async fn save_delivery(
    conn: &mut PgConnection,
    citizen: Uuid,
    id: Uuid,
    d: &Delivery<'_>,
) -> Result<bool, sqlx::Error> {
    /// The update with the postage it records. Two texts rather than one `case when $4 =
    /// 'post'`: PostgreSQL would plan such a statement again at every execution.
    macro_rules! update {
        ($postage:expr) => {
            concat!(
                "update dossiers set paper_channel = $2, pickup_address = $3, result_channel = $4, \
                   result_address = $5, postage_estimate_vnd = ",
                $postage,
                ", draft_step = case when draft_step in ('applicant', 'details', 'documents', 'delivery') \
                   then 'check' else draft_step end \
                 where id = $1 and citizen_id = $6 and status = 'draft'"
            )
        };
    }
    let sql = if d.result == "post" {
        update!(concat!("(", postage!(), ")"))
    } else {
        update!("null")
    };
    let done = sqlx::query(sql)
        .bind(id)
        .bind(d.paper)
        .bind(d.pickup)
        .bind(d.result)
        .bind(d.result_address)
        .bind(citizen)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn fields(conn: &mut PgConnection, version: Uuid) -> Result<Vec<FieldDef>, sqlx::Error> {
    sqlx::query_as(
        "select key, label_vi, label_en, hint_vi, hint_en, kind, required, choices \
         from procedure_fields where version_id = $1 order by position",
    )
    .bind(version)
    .fetch_all(conn)
    .await
}

/// A required document of the version.
#[derive(Debug, Clone, FromRow)]
pub struct DocumentSlot {
    pub position: i32,
    pub name_vi: String,
    pub name_en: String,
    pub mandatory: bool,
}

pub async fn slots(
    conn: &mut PgConnection,
    version: Uuid,
) -> Result<Vec<DocumentSlot>, sqlx::Error> {
    sqlx::query_as(
        "select position, name_vi, name_en, mandatory from procedure_documents \
         where version_id = $1 order by position",
    )
    .bind(version)
    .fetch_all(conn)
    .await
}

/// A file of a dossier.
#[derive(Debug, Clone, FromRow)]
pub struct FileRow {
    pub id: Uuid,
    pub document_position: Option<i32>,
    pub storage_key: String,
    pub original_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub reused_from: Option<Uuid>,
    pub purpose: String,
    pub created_at: DateTime<Utc>,
}

/// What a [`FileRow`] reads, from `dossier_files f`: one list for every query of them.
macro_rules! file_rows {
    () => {
        "select f.id, f.document_position, f.storage_key, f.original_name, f.content_type, \
           f.size_bytes, f.reused_from, f.purpose, f.created_at from dossier_files f "
    };
}

/// The applicant's papers (documents and supplements), in slot order.
pub async fn files(conn: &mut PgConnection, dossier: Uuid) -> Result<Vec<FileRow>, sqlx::Error> {
    sqlx::query_as(concat!(
        file_rows!(),
        "where f.dossier_id = $1 and f.purpose <> 'result' \
         order by f.document_position nulls last, f.created_at"
    ))
    .bind(dossier)
    .fetch_all(conn)
    .await
}

/// Result documents uploaded by officials (drafts and corrections included), newest first.
pub async fn result_files(
    conn: &mut PgConnection,
    dossier: Uuid,
) -> Result<Vec<FileRow>, sqlx::Error> {
    sqlx::query_as(concat!(
        file_rows!(),
        "where f.dossier_id = $1 and f.purpose = 'result' order by f.created_at desc, f.id"
    ))
    .bind(dossier)
    .fetch_all(conn)
    .await
}

/// A file the citizen uploaded before, in another dossier (to reuse): only the citizen's own
/// uploads, never a file the office made or added (a result, a draft result, a counter scan).
pub async fn earlier_files(
    conn: &mut PgConnection,
    citizen: Uuid,
    except: Uuid,
) -> Result<Vec<FileRow>, sqlx::Error> {
    sqlx::query_as(concat!(
        file_rows!(),
        "join dossiers d on d.id = f.dossier_id \
         where d.citizen_id = $1 and d.id <> $2 and f.reused_from is null \
           and f.added_by_staff is null and f.purpose in ('document', 'supplement') \
         order by f.created_at desc limit 20"
    ))
    .bind(citizen)
    .bind(except)
    .fetch_all(conn)
    .await
}

/// A draft as its submission locked it, with what the submission checks beyond its terms.
#[derive(Debug, FromRow)]
pub struct Locked {
    pub status: DossierStatus,
    pub paper_channel: String,
    pub intake_channel: i16,
    pub answers: Json<BTreeMap<String, String>>,
    /// the document slots that hold a file
    pub filled: Vec<i32>,
    /// the procedure still takes online dossiers today (any version in force)
    pub online: bool,
    /// the citizen confirmed a phone or e-mail
    pub confirmed: bool,
}

/// Locks `citizen`'s dossier `id` for submission, reading in the same statement what the
/// submission checks; None when it is not theirs.
pub async fn lock_for_submission(
    conn: &mut PgConnection,
    citizen: Uuid,
    id: Uuid,
) -> Result<Option<Locked>, sqlx::Error> {
    sqlx::query_as(
        "select d.status, d.paper_channel, d.intake_channel, d.answers, \
           array(select distinct f.document_position from dossier_files f \
                 where f.dossier_id = d.id and f.document_position is not null \
                   and f.purpose <> 'result') as filled, \
           exists (select 1 from procedure_versions o join procedure_versions v on o.code = v.code \
             where v.id = d.procedure_version_id \
               and o.effective_from <= current_date and (o.effective_to is null or o.effective_to > current_date) \
               and o.online_level <> 'none' and o.submit_online) as online, \
           coalesce((select c.confirmed_at is not null from citizens c where c.id = d.citizen_id), false) as confirmed \
         from dossiers d where d.id = $1 and d.citizen_id = $2 for update of d",
    )
    .bind(id)
    .bind(citizen)
    .fetch_optional(conn)
    .await
}

/// What the submission of a draft writes beside its routing and its code ([`submit`]).
pub struct Submission<'a> {
    pub id: Uuid,
    pub citizen: Uuid,
    pub pin_hash: &'a str,
    pub submit_key: Uuid,
    /// what the system asks at once after the submission (the fees due with it), as the
    /// workflow decided: the action, the status it leads to, and its details
    pub then: Option<(Action, DossierStatus, serde_json::Value)>,
    /// the document slots that must hold a file, checked again as the status changes (a file
    /// removed while the submission waited for the dossier's lock counts)
    pub mandatory: &'a [i32],
    /// the day of the code (in Vietnam)
    pub day: chrono::NaiveDate,
    /// the audit line; `"routed"` (whether a competent agency was found) is added to its
    /// details
    pub audit: &'a crate::audit::Entry<'a>,
}

/// Submits a draft in one statement, and returns its code; None when it was no longer a draft
/// or a mandatory document is missing (nothing is then written, but the caller's transaction
/// must roll back: the agency's counter moved).
///
/// - Routing: the agency that decides is the version's named competent agency, or the one of
///   the competent kind serving the applicant's commune (as reorganisations left it,
///   `agency_in_force`); the one that receives is the same, or for a dossier left unresolved
///   the provincial centre, whose dispatch queue has it (competent agency left empty).
/// - The code: the receiving agency's next sequence of the day (`code::next_sequence!`, at
///   least four digits, as `DossierCode::new` writes it). Its counter stays locked to the
///   commit, so concurrent submissions to the agency wait for the rest of this statement and
///   the commit; a rolled-back submission gives its number back.
/// - The status: draft → submitted, and on to `then`'s status, with their lines in the
///   history and the audit line, all in the same statement (one write of the dossier's row).
pub async fn submit(
    conn: &mut PgConnection,
    s: &Submission<'_>,
) -> Result<Option<String>, sqlx::Error> {
    let (then_action, then_status, then_details) = match &s.then {
        Some((action, status, details)) => (
            Some(action.as_str().to_owned()),
            Some(*status),
            Some(details),
        ),
        None => (None, None, None),
    };
    let (kind, actor) = s.audit.actor.parts();
    sqlx::query_scalar(concat!(
        "with d as (select d.applicant_unit_id, v.competent_agency_id, v.competent_kind \
                    from dossiers d join procedure_versions v on v.id = d.procedure_version_id where d.id = $1), \
         competent as materialized ( \
           select (select n.id from agencies n \
             where n.id = agency_in_force(coalesce(d.competent_agency_id, \
               (select a.id from agencies a where a.kind = d.competent_kind and a.admin_unit_id = d.applicant_unit_id \
                  and a.valid_from <= current_date order by a.valid_to desc nulls first limit 1)), current_date) \
               and n.valid_from <= current_date and (n.valid_to is null or n.valid_to > current_date)) as id from d), \
         centre as (select id from agencies where kind = 'province_centre' and valid_from <= current_date \
                    and (valid_to is null or valid_to > current_date) order by slug limit 1), \
         r as materialized (select c.id as competent, coalesce(c.id, (select id from centre)) as receiving \
                    from competent c), \
         n as (",
        super::code::next_sequence!(
            "select coalesce((select e_id_code from agencies where id = r.receiving), '000.00.00.H48'), \
               $9::date, 1 from r"
        ),
        "), \
         s as ( \
           update dossiers set status = coalesce($5, 'submitted'::dossier_status), pin_hash = $2, \
             competent_agency_id = r.competent, receiving_agency_id = r.receiving, submit_key = $3, \
             submitted_at = now(), draft_step = 'submitted', \
             code = n.agency_code || '-' || $10 || '-' \
               || lpad(n.last_value::text, greatest(4, length(n.last_value::text)), '0') \
           from r, n \
           where dossiers.id = $1 and dossiers.status = 'draft' and ",
        all_filled!("$1", "$8"),
        " returning dossiers.id, dossiers.code, r.competent, r.receiving), \
         e as ( \
           insert into dossier_events (dossier_id, from_status, to_status, actor_kind, actor_id, action, \
             actor_role, to_agency_id, details) \
           select s.id, 'draft'::dossier_status, 'submitted'::dossier_status, 'citizen', $4::uuid, \
             'submit', 'citizen', s.receiving, '{}'::jsonb from s \
           union all \
           select s.id, 'submitted', $5, 'system', null, $6::text, null, null, $7::jsonb \
           from s where $6 is not null \
           returning 1), \
         a as (insert into audit_log (actor_kind, actor_id, action, subject, ip, details) \
           select $11, $12, $13, s.code, $14::text::inet, \
             $15::jsonb || jsonb_build_object('routed', s.competent is not null) from s) \
         select code from s",
    ))
    .bind(s.id)
    .bind(s.pin_hash)
    .bind(s.submit_key)
    .bind(s.citizen)
    .bind(then_status)
    .bind(then_action)
    .bind(then_details)
    .bind(s.mandatory)
    .bind(s.day)
    .bind(super::code::day_digits(s.day))
    .bind(kind)
    .bind(actor)
    .bind(s.audit.action)
    .bind(s.audit.ip.map(|ip| ip.to_string()))
    .bind(&s.audit.details)
    .fetch_optional(&mut *conn)
    .await
}

/// A line of "My dossiers".
#[derive(Debug, Clone, FromRow)]
pub struct ListItem {
    pub id: Uuid,
    pub code: Option<String>,
    pub status: DossierStatus,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub procedure_vi: String,
    pub procedure_en: String,
}

/// A citizen's dossiers, newest first, after the keyset (created_at, id).
pub async fn list(
    conn: &mut PgConnection,
    citizen: Uuid,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<ListItem>, sqlx::Error> {
    sqlx::query_as(
        "select d.id, d.code, d.status, d.created_at, d.submitted_at, d.due_at, \
           v.name_vi as procedure_vi, v.name_en as procedure_en \
         from dossiers d join procedure_versions v on v.id = d.procedure_version_id \
         where d.citizen_id = $1 and ($2::timestamptz is null or (d.created_at, d.id) < ($2, $3)) \
         order by d.created_at desc, d.id desc limit $4",
    )
    .bind(citizen)
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// An event of a dossier's history.
#[derive(Debug, Clone, FromRow)]
pub struct EventRow {
    pub at: DateTime<Utc>,
    pub to_status: DossierStatus,
    pub actor_kind: String,
    pub action: String,
}

pub async fn events(conn: &mut PgConnection, dossier: Uuid) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as("select at, to_status, actor_kind, action from dossier_events where dossier_id = $1 order by at, id")
        .bind(dossier)
        .fetch_all(conn)
        .await
}

/// What public tracking may show.
#[derive(Debug, Clone, FromRow)]
pub struct Tracked {
    pub id: Uuid,
    pub pin_hash: Option<String>,
    pub status: DossierStatus,
    pub submitted_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub procedure_vi: String,
    pub procedure_en: String,
}

pub async fn tracked(conn: &mut PgConnection, code: &str) -> Result<Option<Tracked>, sqlx::Error> {
    sqlx::query_as(
        "select d.id, d.pin_hash, d.status, d.submitted_at, d.due_at, v.name_vi as procedure_vi, v.name_en as procedure_en \
         from dossiers d join procedure_versions v on v.id = d.procedure_version_id where d.code = $1",
    )
    .bind(code)
    .fetch_optional(conn)
    .await
}

/// Postage within the province in force today.
pub async fn postage(conn: &mut PgConnection) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(postage!()).fetch_optional(conn).await
}

/// Which ways of returning the result the version offers: (counter, post, electronic).
pub async fn result_channels(
    conn: &mut PgConnection,
    version: Uuid,
) -> Result<(bool, bool, bool), sqlx::Error> {
    sqlx::query_as("select result_counter, result_post, result_electronic from procedure_versions where id = $1")
        .bind(version)
        .fetch_one(conn)
        .await
}

/// What Form 01 prints of a dossier.
#[derive(Debug, Clone, FromRow)]
pub struct Form01Row {
    pub code: Option<String>,
    pub applicant_name: String,
    pub applicant_address: String,
    pub applicant_phone: String,
    pub applicant_email: String,
    pub agency: String,
    pub received_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub result_channel: String,
    pub procedure: String,
    pub time_limit_value: Option<i32>,
    pub time_limit_unit: TimeUnit,
    pub procedure_version_id: Uuid,
    /// The official who accepted it.
    pub official: Option<String>,
}

pub async fn form01(conn: &mut PgConnection, id: Uuid) -> Result<Option<Form01Row>, sqlx::Error> {
    sqlx::query_as(
        "select d.code, d.applicant_name, d.applicant_address, d.applicant_phone, d.applicant_email, \
           coalesce(a.name_vi, '') as agency, d.received_at, d.due_at, d.result_channel, \
           v.name_vi as procedure, v.time_limit_value, v.time_limit_unit, d.procedure_version_id, \
           (select u.full_name from dossier_events e join staff_users u on u.id = e.actor_id \
             where e.dossier_id = d.id and e.to_status = 'received' order by e.at desc limit 1) as official \
         from dossiers d join procedure_versions v on v.id = d.procedure_version_id \
         left join agencies a on a.id = d.receiving_agency_id where d.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The requirement (original, copy …) of each document slot of a version.
pub async fn requirements(
    conn: &mut PgConnection,
    version: Uuid,
) -> Result<Vec<(i32, String)>, sqlx::Error> {
    sqlx::query_as("select position, requirement from procedure_documents where version_id = $1")
        .bind(version)
        .fetch_all(conn)
        .await
}

/// The latest request that led to `status` (a return for completion, a supplement asked):
/// the official's reasons and the items asked, one per line. An event that kept the status (a
/// new appointment set meanwhile) did not lead to it.
pub async fn last_request(
    conn: &mut PgConnection,
    dossier: Uuid,
    status: DossierStatus,
) -> Result<Option<(Option<String>, Vec<String>)>, sqlx::Error> {
    let row: Option<(Option<String>, serde_json::Value)> = sqlx::query_as(
        "select note, details from dossier_events where dossier_id = $1 and to_status = $2 \
           and from_status is distinct from to_status order by at desc, id desc limit 1",
    )
    .bind(dossier)
    .bind(status)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(note, details)| {
        (
            note,
            super::domain::items_asked(&details).unwrap_or_default(),
        )
    }))
}

/// The items of the latest completion request of a dossier in `status` (returned for
/// completion, or a supplement asked): slot position (None: "other") and the reason. Empty
/// when the request named no slot (any document may change then).
pub async fn requested_items(
    conn: &mut PgConnection,
    dossier: Uuid,
    status: DossierStatus,
) -> Result<Vec<(Option<i32>, String)>, sqlx::Error> {
    let details: Option<serde_json::Value> = sqlx::query_scalar(
        "select details from dossier_events where dossier_id = $1 and to_status = $2 \
           and from_status is distinct from to_status order by at desc, id desc limit 1",
    )
    .bind(dossier)
    .bind(status)
    .fetch_optional(conn)
    .await?;
    Ok(details
        .as_ref()
        .and_then(|d| d.get("slots"))
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .map(|i| {
                    (
                        i.get("position")
                            .and_then(serde_json::Value::as_i64)
                            .and_then(|p| i32::try_from(p).ok()),
                        i.get("reason")
                            .and_then(|r| r.as_str())
                            .unwrap_or_default()
                            .to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default())
}
