//! Back-office queries: a dossier as officials see it, its history with names, the inboxes
//! (each a keyset page in due order over a partial index), and the dated clock rules.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{FromRow, PgConnection};
use uuid::Uuid;

use crate::catalogue::domain::TimeUnit;
use crate::dossiers::DossierStatus;
use crate::dossiers::workflow::Step;

/// What the staff dossier page and the actions need.
#[derive(Debug, Clone, FromRow)]
pub struct StaffDossier {
    pub id: Uuid,
    pub code: Option<String>,
    pub status: DossierStatus,
    pub step: Option<Step>,
    pub citizen_id: Option<Uuid>,
    pub intake_channel: i16,
    pub source_system: String,
    pub receiving_agency_id: Option<Uuid>,
    pub competent_agency_id: Option<Uuid>,
    pub cooperating_agency_id: Option<Uuid>,
    pub assignee_id: Option<Uuid>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub received_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub original_due_at: Option<DateTime<Utc>>,
    pub rescheduled_at: Option<DateTime<Utc>>,
    pub result_at: Option<DateTime<Utc>>,
    pub returned_at: Option<DateTime<Utc>>,
    pub supplement_due_at: Option<DateTime<Utc>>,
    /// the last moment a supplement request is timely (Decree 118 Art. 19(5)), set at acceptance
    pub supplement_request_by: Option<DateTime<Utc>>,
    pub cooperation_due_at: Option<DateTime<Utc>>,
    pub result_channel: String,
    pub result_address: String,
    pub result_file_id: Option<Uuid>,
    pub applicant_name: String,
    pub applicant_personal_id: String,
    pub applicant_phone: String,
    pub applicant_email: String,
    pub applicant_address: String,
    pub procedure_vi: String,
    pub procedure_en: String,
    pub version_id: Uuid,
    pub field_id: Uuid,
    pub time_limit_value: Option<i32>,
    pub time_limit_unit: TimeUnit,
    pub clock_starts_next_day_after_cutoff: bool,
    pub receiving_vi: Option<String>,
    pub receiving_en: Option<String>,
    /// the agency that took over, when the receiving one was renamed or merged since
    pub receiving_now_vi: Option<String>,
    pub competent_vi: Option<String>,
    pub competent_en: Option<String>,
    pub cooperating_vi: Option<String>,
    pub cooperating_en: Option<String>,
    pub assignee_name: Option<String>,
    /// the post brought the result back undelivered: the citizen collects it at the counter
    pub returned_by_post: bool,
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<StaffDossier>, sqlx::Error> {
    sqlx::query_as(
        "select d.id, d.code, d.status, d.step, d.citizen_id, d.intake_channel, d.source_system, d.receiving_agency_id, \
           d.competent_agency_id, d.cooperating_agency_id, d.assignee_id, d.submitted_at, d.received_at, \
           d.due_at, d.original_due_at, d.rescheduled_at, d.result_at, d.returned_at, d.supplement_due_at, \
           d.supplement_request_by, d.cooperation_due_at, d.result_channel, d.result_address, d.result_file_id, d.applicant_name, \
           d.applicant_personal_id, d.applicant_phone, d.applicant_email, d.applicant_address, \
           v.name_vi as procedure_vi, v.name_en as procedure_en, v.id as version_id, v.field_id, v.time_limit_value, \
           v.time_limit_unit, v.clock_starts_next_day_after_cutoff, \
           r.name_vi as receiving_vi, c.name_vi as competent_vi, o.name_vi as cooperating_vi, \
           r.name_en as receiving_en, c.name_en as competent_en, o.name_en as cooperating_en, \
           u.full_name as assignee_name, \
           (select n.name_vi from agencies n where r.valid_to <= current_date \
              and n.id = agency_in_force(r.id, current_date) and n.id <> r.id) as receiving_now_vi, \
           exists (select 1 from dossier_events e where e.dossier_id = d.id \
              and e.action = 'returned_by_post') as returned_by_post \
         from dossiers d join procedure_versions v on v.id = d.procedure_version_id \
         left join agencies r on r.id = d.receiving_agency_id \
         left join agencies c on c.id = d.competent_agency_id \
         left join agencies o on o.id = d.cooperating_agency_id \
         left join staff_users u on u.id = d.assignee_id \
         where d.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// A line of the history, with names: who gave the dossier to whom, when, and by which
/// deadline (Form 06).
#[derive(Debug, Clone, FromRow)]
pub struct HistoryRow {
    pub at: DateTime<Utc>,
    pub from_status: Option<DossierStatus>,
    pub to_status: DossierStatus,
    pub action: String,
    pub actor_kind: String,
    pub actor_name: Option<String>,
    pub actor_role: Option<String>,
    pub agency_vi: Option<String>,
    pub agency_en: Option<String>,
    pub to_agency_vi: Option<String>,
    pub to_agency_en: Option<String>,
    pub to_staff_name: Option<String>,
    pub form: Option<String>,
    pub step_due_at: Option<DateTime<Utc>>,
    pub note: String,
    pub details: sqlx::types::Json<serde_json::Value>,
}

pub async fn history(conn: &mut PgConnection, id: Uuid) -> Result<Vec<HistoryRow>, sqlx::Error> {
    sqlx::query_as(
        "select e.at, e.from_status, e.to_status, e.action, e.actor_kind, \
           coalesce(s.full_name, c.full_name) as actor_name, e.actor_role, a.name_vi as agency_vi, \
           a.name_en as agency_en, t.name_vi as to_agency_vi, t.name_en as to_agency_en, ts.full_name as to_staff_name, e.form, e.step_due_at, e.note, e.details \
         from dossier_events e \
         left join staff_users s on s.id = e.actor_id and e.actor_kind = 'staff' \
         left join citizens c on c.id = e.actor_id and e.actor_kind = 'citizen' \
         left join agencies a on a.id = e.agency_id \
         left join agencies t on t.id = e.to_agency_id \
         left join staff_users ts on ts.id = e.to_staff_id \
         where e.dossier_id = $1 order by e.at, e.id",
    )
    .bind(id)
    .fetch_all(conn)
    .await
}

/// Case officers of an agency (for assignment).
pub async fn case_officers(
    conn: &mut PgConnection,
    agency: Uuid,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "select distinct u.id, u.full_name from staff_users u join staff_roles r on r.staff_id = u.id \
         where r.agency_id = $1 and r.role = 'case_officer' and u.active \
           and r.valid_from <= current_date and (r.valid_to is null or r.valid_to > current_date) \
         order by u.full_name, u.id",
    )
    .bind(agency)
    .fetch_all(conn)
    .await
}

/// Agencies in force other than `except` (co-operating bodies).
pub async fn other_agencies(
    conn: &mut PgConnection,
    except: Option<Uuid>,
    lang: crate::kernel::Lang,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    let rows: Vec<(Uuid, String, String)> = sqlx::query_as(
        "select id, name_vi, name_en from agencies where valid_from <= current_date \
           and (valid_to is null or valid_to > current_date) and id is distinct from $1 \
         order by name_vi, id",
    )
    .bind(except)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, vi, en)| (id, lang.pick(&vi, &en).to_owned()))
        .collect())
}

/// The clock rules in force for a field (its own, or the general one).
#[derive(Debug, Clone, Copy, FromRow)]
pub struct ClockRules {
    pub supplement_reply_days: i32,
    pub supplement_request_days: i32,
    pub correction_working_days: i32,
    pub online_acknowledge_hours: i32,
    pub online_alert_hours: i32,
    pub reschedule_notice_days: i32,
    /// days a citizen has to complete a dossier returned at reception before it is closed
    pub completion_reply_days: i32,
}

impl Default for ClockRules {
    /// Decree 118/2025 Arts. 17, 19, 23.
    fn default() -> Self {
        Self {
            supplement_reply_days: 15,
            supplement_request_days: 3,
            correction_working_days: 3,
            online_acknowledge_hours: 8,
            online_alert_hours: 2,
            reschedule_notice_days: 1,
            completion_reply_days: 15,
        }
    }
}

pub async fn clock_rules(
    conn: &mut PgConnection,
    field: Option<Uuid>,
    on: NaiveDate,
) -> Result<ClockRules, sqlx::Error> {
    let rules: Option<ClockRules> = sqlx::query_as(
        "select supplement_reply_days, supplement_request_days, correction_working_days, \
           online_acknowledge_hours, online_alert_hours, reschedule_notice_days, completion_reply_days \
         from clock_rules where (field_id = $1 or field_id is null) \
           and valid_from <= $2 and (valid_to is null or valid_to > $2) \
         order by field_id nulls last, valid_from desc limit 1",
    )
    .bind(field)
    .bind(on)
    .fetch_optional(conn)
    .await?;
    Ok(rules.unwrap_or_default())
}

/// A line of an inbox.
#[derive(Debug, Clone, FromRow)]
pub struct InboxItem {
    pub id: Uuid,
    pub code: Option<String>,
    pub status: DossierStatus,
    pub step: Option<Step>,
    pub applicant_name: String,
    pub procedure_vi: String,
    pub procedure_en: String,
    pub due_at: Option<DateTime<Utc>>,
    pub assignee_name: Option<String>,
    /// What the inbox is ordered by (its keyset): the due time, the co-operation's
    /// sub-deadline, or when the result was issued.
    pub sort_at: Option<DateTime<Utc>>,
}

/// Which inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inbox {
    /// Assigned to me and not finished.
    Mine,
    /// My units' dossiers waiting for a case officer (heads of division).
    Unassigned,
    /// Waiting for my signature.
    Signature,
    /// Sent to my agency by another for its opinion (liên thông).
    Cooperation,
    /// Accepted at my desk, to forward to the deciding agency.
    Forward,
    /// Results to return to the applicant.
    Return,
    /// Everything running at my units, due within a working day.
    DueSoon,
    /// Everything running at my units, past its due time.
    Overdue,
}

impl Inbox {
    pub const ALL: [Self; 8] = [
        Self::Mine,
        Self::Unassigned,
        Self::Signature,
        Self::Cooperation,
        Self::Forward,
        Self::Return,
        Self::DueSoon,
        Self::Overdue,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Self::Mine => "mine",
            Self::Unassigned => "unassigned",
            Self::Signature => "signature",
            Self::Cooperation => "cooperation",
            Self::Forward => "forward",
            Self::Return => "return",
            Self::DueSoon => "due-soon",
            Self::Overdue => "overdue",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.slug() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Self::Mine => "inbox.mine",
            Self::Unassigned => "inbox.unassigned",
            Self::Signature => "inbox.signature",
            Self::Cooperation => "inbox.cooperation",
            Self::Forward => "inbox.forward",
            Self::Return => "inbox.return",
            Self::DueSoon => "inbox.due_soon",
            Self::Overdue => "inbox.overdue",
        }
    }
}

/// Who looks at an inbox, and where.
pub struct Viewer<'a> {
    pub staff: Uuid,
    /// Agencies where the official is a head of division, signing authority, case officer,
    /// reception official.
    pub heads: &'a [Uuid],
    pub signers: &'a [Uuid],
    pub officers: &'a [Uuid],
    pub desks: &'a [Uuid],
}

const ITEM: &str = "select d.id, d.code, d.status, d.step, d.applicant_name, v.name_vi as procedure_vi, \
    v.name_en as procedure_en, d.due_at, u.full_name as assignee_name";
const FROM: &str = " from dossiers d join procedure_versions v on v.id = d.procedure_version_id \
    left join staff_users u on u.id = d.assignee_id ";

const RUNNING: &str = "d.status in ('received', 'processing', 'waiting_cooperation', 'supplement_requested', 'waiting_financial')";

/// One page of an inbox, in due order after the keyset `(due, id)`. `soon` is the limit of
/// "due soon" (a working day from now).
pub async fn inbox(
    conn: &mut PgConnection,
    which: Inbox,
    viewer: &Viewer<'_>,
    soon: DateTime<Utc>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<InboxItem>, sqlx::Error> {
    let (filter, order) = match which {
        Inbox::Mine => (
            "d.assignee_id = $1 and d.status in ('processing', 'waiting_cooperation', \
             'supplement_requested', 'waiting_financial')"
                .to_owned(),
            "d.due_at",
        ),
        Inbox::Unassigned => (
            "d.competent_agency_id = any($2) and d.status = 'processing' and d.step = 'assignment'"
                .to_owned(),
            "d.due_at",
        ),
        Inbox::Signature => (
            "d.competent_agency_id = any($3) and d.status = 'processing' and d.step = 'signature'"
                .to_owned(),
            "d.due_at",
        ),
        Inbox::Cooperation => (
            "d.cooperating_agency_id = any($4) and d.status = 'waiting_cooperation'".to_owned(),
            "d.cooperation_due_at",
        ),
        Inbox::Forward => (
            "d.receiving_agency_id = any($5) and d.status = 'received'".to_owned(),
            "d.due_at",
        ),
        Inbox::Return => (
            "d.receiving_agency_id = any($5) and d.status = 'result_ready'".to_owned(),
            "d.result_at",
        ),
        Inbox::DueSoon => (
            format!(
                "(d.assignee_id = $1 or d.competent_agency_id = any($2) or d.competent_agency_id = any($3)) \
                 and {RUNNING} and d.due_at >= now() and d.due_at < $6"
            ),
            "d.due_at",
        ),
        Inbox::Overdue => (
            format!(
                "(d.assignee_id = $1 or d.competent_agency_id = any($2) or d.competent_agency_id = any($3)) \
                 and {RUNNING} and d.due_at < now()"
            ),
            "d.due_at",
        ),
    };
    let sql = format!(
        "{ITEM}, {order} as sort_at{FROM} where {filter} and ($7::timestamptz is null or ({order}, d.id) > ($7, $8)) \
         order by {order}, d.id limit $9"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(viewer.staff)
        .bind(viewer.heads)
        .bind(viewer.signers)
        .bind(viewer.officers)
        .bind(viewer.desks)
        .bind(soon)
        .bind(after.map(|a| a.0))
        .bind(after.map(|a| a.1))
        .bind(limit)
        .fetch_all(conn)
        .await
}

/// Dossiers whose citizen left a supplement request, or a return for completion at reception,
/// unanswered past its limit at `now` (to close), with their status.
pub async fn unanswered_supplements(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<(Uuid, DossierStatus)>, sqlx::Error> {
    sqlx::query_as(
        "select id, status from dossiers \
         where status in ('supplement_requested', 'returned_for_completion') and supplement_due_at < $1 \
         order by supplement_due_at limit $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await
}
