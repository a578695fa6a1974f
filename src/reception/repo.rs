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
    pub applicant_name: String,
    pub procedure_vi: String,
    pub procedure_en: String,
}

/// Submitted dossiers received by one of `agencies`, oldest first, after the keyset.
pub async fn queue(
    conn: &mut PgConnection,
    agencies: &[Uuid],
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<QueueItem>, sqlx::Error> {
    sqlx::query_as(
        "select d.id, d.code, d.submitted_at, d.intake_channel, d.applicant_name, \
           v.name_vi as procedure_vi, v.name_en as procedure_en \
         from dossiers d join procedure_versions v on v.id = d.procedure_version_id \
         where d.status = 'submitted' and d.receiving_agency_id = any($1) \
           and ($2::timestamptz is null or (d.submitted_at, d.id) > ($2, $3)) \
         order by d.submitted_at, d.id limit $4",
    )
    .bind(agencies)
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit)
    .fetch_all(conn)
    .await
}
