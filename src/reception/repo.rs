//! Reception queries.

use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection};
use uuid::Uuid;

/// A dossier waiting at the reception desk.
#[derive(Debug, Clone, FromRow)]
pub struct QueueItem {
    pub id: Uuid,
    pub code: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub intake_channel: i16,
    pub source_system: String,
    pub applicant_name: String,
    pub procedure_vi: String,
    pub procedure_en: String,
    /// when its arrival was announced to the unit's reception (`notify::arrivals`)
    pub announced_at: Option<DateTime<Utc>>,
}

/// What the reception queue shows.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    /// 1 counter, 2 online, 3 post
    pub channel: Option<i16>,
    pub procedure_code: Option<String>,
    /// Dossiers waiting for a supplement (paper supplements arrive at the desk) instead of
    /// new ones.
    pub supplements: bool,
    /// Online dossiers received before this instant: past their 8 working hours.
    pub received_before: Option<DateTime<Utc>>,
}

/// Dossiers at one of `agencies` waiting for the desk, oldest first, after the keyset.
pub async fn queue(
    conn: &mut PgConnection,
    agencies: &[Uuid],
    filter: &QueueFilter,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<QueueItem>, sqlx::Error> {
    /// The queue of one status. A literal, chosen in Rust, rather than a `case` on a
    /// parameter: only a literal lets PostgreSQL use `dossiers_status_idx`, which leaves out
    /// drafts (with the parameter it read every dossier, 1.9 s at 1,000,000).
    macro_rules! queue {
        ($status:literal) => {
            concat!(
                "select d.id, d.code, d.submitted_at, d.intake_channel, d.source_system, d.applicant_name, \
                   v.name_vi as procedure_vi, v.name_en as procedure_en, \
                   (select a.at from staff_alerts a where a.dossier_id = d.id \
                      and a.kind = 'online_arrival') as announced_at \
                 from dossiers d join procedure_versions v on v.id = d.procedure_version_id \
                 where d.status = '",
                $status,
                "' and d.receiving_agency_id = any($1) \
                   and ($2::timestamptz is null or (d.submitted_at, d.id) > ($2, $3)) \
                   and ($5::smallint is null or d.intake_channel = $5) \
                   and ($6::text is null or v.code = $6) \
                   and ($7::timestamptz is null or (d.intake_channel = 2 and d.submitted_at < $7)) \
                   and not exists (select 1 from postal_items p where p.dossier_id = d.id \
                     and p.direction = 'pickup' and p.status <> 'received') \
                 order by d.submitted_at, d.id limit $4"
            )
        };
    }
    let sql = if filter.supplements {
        queue!("supplement_requested")
    } else {
        queue!("submitted")
    };
    sqlx::query_as(sql)
        .bind(agencies)
        .bind(after.map(|a| a.0))
        .bind(after.map(|a| a.1))
        .bind(limit)
        .bind(filter.channel)
        .bind(filter.procedure_code.as_deref())
        .bind(filter.received_before)
        .fetch_all(conn)
        .await
}

/// The desk's record against the 8-working-hour rule (Decree 118 Art. 17(2)): online
/// dossiers waiting past it now, and decisions taken late in the last 30 days.
pub async fn breaches(
    conn: &mut PgConnection,
    agencies: &[Uuid],
    received_before: DateTime<Utc>,
    alert_before: DateTime<Utc>,
) -> Result<(i64, i64, i64, i64), sqlx::Error> {
    sqlx::query_as(
        "select \
           (select count(*) from dossiers d where d.status = 'submitted' and d.receiving_agency_id = any($1) \
              and d.intake_channel = 2 and d.submitted_at < $3 \
              and not exists (select 1 from postal_items p where p.dossier_id = d.id \
                and p.direction = 'pickup' and p.status <> 'received')), \
           (select count(*) from dossiers d where d.status = 'submitted' and d.receiving_agency_id = any($1) \
              and d.intake_channel = 2 and d.submitted_at < $2 \
              and not exists (select 1 from postal_items p where p.dossier_id = d.id \
                and p.direction = 'pickup' and p.status <> 'received')), \
           e.late, e.total \
         from (select count(*) filter (where e.at > e.step_due_at) as late, count(*) as total \
               from dossier_events e where e.agency_id = any($1) \
                 and e.action in ('accept', 'return_for_completion', 'refuse_at_reception') \
                 and e.at > now() - interval '30 days' and e.step_due_at is not null) e",
    )
    .bind(agencies)
    .bind(received_before)
    .bind(alert_before)
    .fetch_one(conn)
    .await
}
