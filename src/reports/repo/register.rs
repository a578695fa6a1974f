//! Form 07's lines: the dossiers a unit received in a period, with the dates of each hand-over.

use chrono::{DateTime, Datelike, Utc};
use sqlx::{FromRow, PgConnection};
use uuid::Uuid;

use crate::dossiers::DossierStatus;
use crate::reports::domain::Period;

#[derive(Debug, FromRow)]
pub struct RegisterLine {
    pub code: Option<String>,
    pub procedure_vi: String,
    pub applicant_name: String,
    pub applicant_address: String,
    pub applicant_phone: String,
    pub competent_vi: Option<String>,
    pub received_at: DateTime<Utc>,
    pub due_at: Option<DateTime<Utc>>,
    pub forwarded_at: Option<DateTime<Utc>>,
    pub result_at: Option<DateTime<Utc>>,
    pub returned_at: Option<DateTime<Utc>>,
    pub status: DossierStatus,
    /// its number in the unit's book of its year, as Form 01 prints it
    pub number: Option<i64>,
}

/// An agency's name, if it exists.
pub async fn agency_name(conn: &mut PgConnection, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("select name_vi from agencies where id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The dossiers `unit` received in `period`, in the order received (10,000 at most).
pub async fn register_lines(
    conn: &mut PgConnection,
    unit: Uuid,
    period: &Period,
) -> Result<Vec<RegisterLine>, sqlx::Error> {
    sqlx::query_as(
        "select d.code, v.name_vi as procedure_vi, d.applicant_name, d.applicant_address, \
           d.applicant_phone, c.name_vi as competent_vi, f.received_at, \
           coalesce(d.original_due_at, d.due_at) as due_at, \
           (select min(e.at) from dossier_events e where e.dossier_id = d.id and e.to_status = 'processing') as forwarded_at, \
           (select min(e.at) from dossier_events e where e.dossier_id = d.id and e.to_status = 'result_ready') as result_at, \
           (select min(e.at) from dossier_events e where e.dossier_id = d.id and e.to_status = 'returned') as returned_at, \
           d.status, b.number \
         from report_facts f \
         join dossiers d on d.id = f.dossier_id \
         left join (select x.id, row_number() over ( \
                      partition by date_part('year', x.received_at + interval '7 hours') \
                      order by x.received_at, x.code) as number \
                    from dossiers x where x.receiving_agency_id = $1 \
                      and x.received_at >= $4 and x.received_at < $3) b on b.id = d.id \
         join procedure_versions v on v.id = d.procedure_version_id \
         left join agencies c on c.id = d.competent_agency_id \
         where f.agency_id = $1 and f.received_at >= $2 and f.received_at < $3 \
         order by f.received_at, d.code limit 10000",
    )
    .bind(unit)
    .bind(period.start())
    .bind(period.end())
    .bind(crate::dossiers::forms::book_start(period.from.year()))
    .fetch_all(conn)
    .await
}
