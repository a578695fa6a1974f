//! Who looked at a dossier (issue 26): each time an official opens a dossier's page or one of
//! its files, the read is recorded with the unit and the role the official read it in, and the
//! citizen sees the list on their dossier's page (Estonia's data tracker is the model). A page
//! opened again by the same official within five minutes is one read. The citizen's own reads
//! and background work are not recorded.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::accounts::CurrentStaff;
use crate::accounts::domain::StaffRole;
use crate::processing::repo::StaffDossier;

/// What was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// The dossier's page (what the applicant wrote, its history).
    Page,
    /// One of its files.
    File(Uuid),
}

/// The role the official holds the dossier in: the one at the agency that has it (receiving,
/// deciding, co-operating), else their first.
fn reading_role(staff: &CurrentStaff, d: &StaffDossier) -> Option<(Uuid, StaffRole)> {
    let agencies = [
        d.cooperating_agency_id,
        d.competent_agency_id,
        d.receiving_agency_id,
    ];
    staff
        .roles
        .iter()
        .find(|r| agencies.contains(&Some(r.agency_id)))
        .or_else(|| staff.roles.first())
        .map(|r| (r.agency_id, r.role))
}

/// Records a read of dossier `d` by `staff`.
pub async fn record(
    conn: &mut PgConnection,
    staff: &CurrentStaff,
    d: &StaffDossier,
    read: Read,
) -> Result<(), sqlx::Error> {
    let (agency, role) =
        reading_role(staff, d).map_or((None, "official"), |(a, r)| (Some(a), r.as_str()));
    let (what, file) = match read {
        Read::Page => ("dossier", None),
        Read::File(id) => ("file", Some(id)),
    };
    sqlx::query(
        "insert into dossier_reads (dossier_id, staff_id, agency_id, role, what, file_id) \
         select $1, $2, $3, $4, $5, $6 \
         where $5 = 'file' or not exists (select 1 from dossier_reads r \
           where r.dossier_id = $1 and r.staff_id = $2 and r.what = 'dossier' \
             and r.at > now() - interval '5 minutes')",
    )
    .bind(d.id)
    .bind(staff.id)
    .bind(agency)
    .bind(role)
    .bind(what)
    .bind(file)
    .execute(conn)
    .await?;
    Ok(())
}

/// A read as the citizen sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReadRow {
    pub at: DateTime<Utc>,
    pub agency_vi: Option<String>,
    pub agency_en: Option<String>,
    pub role: String,
    pub what: String,
    pub file_name: Option<String>,
    pub official: String,
}

/// The latest `limit` reads of dossier `dossier`, newest first.
pub async fn of_dossier(
    conn: &mut PgConnection,
    dossier: Uuid,
    limit: i64,
) -> Result<Vec<ReadRow>, sqlx::Error> {
    sqlx::query_as(
        "select r.at, a.name_vi as agency_vi, a.name_en as agency_en, r.role, r.what, \
           f.original_name as file_name, s.full_name as official \
         from dossier_reads r \
         left join agencies a on a.id = r.agency_id \
         left join dossier_files f on f.id = r.file_id \
         join staff_users s on s.id = r.staff_id \
         where r.dossier_id = $1 order by r.at desc, r.id desc limit $2",
    )
    .bind(dossier)
    .bind(limit)
    .fetch_all(conn)
    .await
}
