//! Reception queries.

use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection};
use uuid::Uuid;

use crate::catalogue::domain::TimeUnit;
use crate::dossiers::DossierStatus;

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

/// What the staff dossier page needs, and who may see it.
#[derive(Debug, Clone, FromRow)]
pub struct StaffDossier {
    pub id: Uuid,
    pub code: Option<String>,
    pub status: DossierStatus,
    pub receiving_agency_id: Option<Uuid>,
    pub competent_agency_id: Option<Uuid>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub received_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub applicant_name: String,
    pub applicant_phone: String,
    pub applicant_address: String,
    pub procedure_vi: String,
    pub procedure_en: String,
    pub time_limit_value: Option<i32>,
    pub time_limit_unit: TimeUnit,
    pub clock_starts_next_day_after_cutoff: bool,
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<StaffDossier>, sqlx::Error> {
    sqlx::query_as(
        "select d.id, d.code, d.status, d.receiving_agency_id, d.competent_agency_id, d.submitted_at, \
           d.received_at, d.due_at, d.applicant_name, d.applicant_phone, d.applicant_address, \
           v.name_vi as procedure_vi, v.name_en as procedure_en, v.time_limit_value, v.time_limit_unit, \
           v.clock_starts_next_day_after_cutoff \
         from dossiers d join procedure_versions v on v.id = d.procedure_version_id where d.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Records the acceptance: the time printed on Form 01 and the legal due time.
pub async fn set_received(
    conn: &mut PgConnection,
    id: Uuid,
    received_at: DateTime<Utc>,
    due_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("update dossiers set received_at = $2, due_at = $3 where id = $1")
        .bind(id)
        .bind(received_at)
        .bind(due_at)
        .execute(conn)
        .await?;
    Ok(())
}
