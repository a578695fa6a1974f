//! The facts of the dossiers a period processed, read from their events (the single source of
//! truth): reception, the first finish, supplement requests, the status at the period's end.

use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection};
use uuid::Uuid;

use super::domain::{Facts, Period};
use crate::dossiers::DossierStatus;

/// One dossier of a report, with where it belongs.
#[derive(Debug, Clone, FromRow)]
pub struct FactRow {
    pub agency_id: Uuid,
    pub agency_vi: String,
    pub procedure_code: String,
    pub procedure_vi: String,
    pub channel: i16,
    pub received_at: DateTime<Utc>,
    pub finish_at: Option<DateTime<Utc>>,
    pub finish_status: Option<DossierStatus>,
    pub due_at: Option<DateTime<Utc>>,
    pub supplements: i64,
    pub last_supplement_at: Option<DateTime<Utc>>,
    pub supplements_in_period: i64,
    pub state_at_end: DossierStatus,
    pub e_result: bool,
    pub has_files: bool,
    pub reused: bool,
    pub charged: bool,
    pub paid_online: bool,
}

impl FactRow {
    pub fn facts(&self) -> Facts {
        Facts {
            channel: self.channel,
            received_at: self.received_at,
            finish: self.finish_at.zip(self.finish_status),
            due_at: self.due_at,
            supplements: self.supplements,
            last_supplement_at: self.last_supplement_at,
            supplements_in_period: self.supplements_in_period,
            state_at_end: self.state_at_end,
            e_result: self.e_result,
            has_files: self.has_files,
            reused: self.reused,
            charged: self.charged,
            paid_online: self.paid_online,
        }
    }
}

/// The dossiers processed in `period` by the receiving agencies in `scope` (None: all):
/// received before its end and not finished before its start.
///
/// Candidates are found by the dossier's own columns (received before the end, changed since
/// the start — a dossier finished earlier has not changed since, unless touched later, which
/// the events then rule out); the figures come from the events.
pub async fn facts(
    conn: &mut PgConnection,
    scope: Option<&[Uuid]>,
    period: &Period,
) -> Result<Vec<FactRow>, sqlx::Error> {
    sqlx::query_as(
        "select d.receiving_agency_id as agency_id, a.name_vi as agency_vi, \
           v.code as procedure_code, v.name_vi as procedure_vi, d.intake_channel as channel, \
           r.at as received_at, f.at as finish_at, f.to_status as finish_status, \
           coalesce(d.original_due_at, d.due_at) as due_at, \
           s.n as supplements, s.last_at as last_supplement_at, s.in_period as supplements_in_period, \
           coalesce(st.to_status, d.status) as state_at_end, \
           d.result_file_id is not null as e_result, \
           exists (select 1 from dossier_files x where x.dossier_id = d.id and x.purpose <> 'result') as has_files, \
           exists (select 1 from dossier_files x where x.dossier_id = d.id and x.reused_from is not null) as reused, \
           exists (select 1 from payments p where p.dossier_id = d.id) as charged, \
           exists (select 1 from payments p where p.dossier_id = d.id and p.status = 'paid' \
                     and p.online_mode is not null) as paid_online \
         from dossiers d \
         join agencies a on a.id = d.receiving_agency_id \
         join procedure_versions v on v.id = d.procedure_version_id \
         cross join lateral (select min(e.at) as at from dossier_events e \
             where e.dossier_id = d.id and e.to_status = 'received') r \
         left join lateral (select e.at, e.to_status from dossier_events e \
             where e.dossier_id = d.id and e.at >= r.at and e.at < $3 \
               and e.to_status in ('result_ready', 'returned', 'refused_on_merits', 'stopped', 'withdrawn') \
             order by e.at, e.id limit 1) f on true \
         cross join lateral (select count(*) as n, max(e.at) as last_at, \
               count(*) filter (where e.at >= $2) as in_period \
             from dossier_events e where e.dossier_id = d.id and e.to_status = 'supplement_requested' \
               and e.at < $3) s \
         left join lateral (select e.to_status from dossier_events e \
             where e.dossier_id = d.id and e.at < $3 and e.from_status is distinct from e.to_status \
             order by e.at desc, e.id desc limit 1) st on true \
         where ($1::uuid[] is null or d.receiving_agency_id = any($1)) \
           and d.received_at < $3 and d.updated_at >= $2 \
           and r.at < $3 and (f.at is null or f.at >= $2) \
         order by a.name_vi, d.receiving_agency_id, v.code",
    )
    .bind(scope)
    .bind(period.start())
    .bind(period.end())
    .fetch_all(conn)
    .await
}
