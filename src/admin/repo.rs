//! Queries of the administration.

use chrono::NaiveDate;
use sqlx::{FromRow, PgConnection};
use uuid::Uuid;

use crate::accounts::CurrentStaff;
use crate::accounts::domain::StaffRole;
use crate::catalogue::domain::OnlineLevel;

/// An official in the list.
#[derive(Debug, Clone, FromRow)]
pub(super) struct StaffListItem {
    pub(super) id: Uuid,
    pub(super) username: String,
    pub(super) full_name: String,
    pub(super) active: bool,
    /// "Công chức tiếp nhận @ UBND phường …" lines of roles in force, joined by the query.
    pub(super) roles: Vec<String>,
}

/// Officials holding (or having held) a role at one of `agencies`; every official when None.
/// Keyset-paginated by username.
pub(super) async fn list_staff(
    conn: &mut PgConnection,
    agencies: Option<&[Uuid]>,
    after: Option<&str>,
    limit: i64,
    english: bool,
) -> Result<Vec<StaffListItem>, sqlx::Error> {
    sqlx::query_as(
        "select u.id, u.username, u.full_name, u.active, \
           coalesce(array_agg(r.role::text || '@' || \
               case when $4 and a.name_en <> '' then a.name_en else a.name_vi end \
             order by a.name_vi) \
             filter (where r.id is not null and r.valid_from <= current_date \
                     and (r.valid_to is null or r.valid_to > current_date)), '{}') as roles \
         from staff_users u \
         left join staff_roles r on r.staff_id = u.id \
         left join agencies a on a.id = r.agency_id \
         where ($1::uuid[] is null or exists (select 1 from staff_roles s \
                 where s.staff_id = u.id and s.agency_id = any($1))) \
           and ($2::text is null or u.username > $2) \
         group by u.id order by u.username limit $3",
    )
    .bind(agencies)
    .bind(after)
    .bind(limit)
    .bind(english)
    .fetch_all(conn)
    .await
}

/// The official's open roles (in force or yet to start) with their agencies, and whether the
/// official has ever held a role at one of `agencies` (always true when None).
pub(super) async fn management_facts(
    conn: &mut PgConnection,
    staff_id: Uuid,
    agencies: Option<&[Uuid]>,
) -> Result<(Vec<(StaffRole, Uuid)>, bool), sqlx::Error> {
    let open: Vec<(StaffRole, Uuid)> = sqlx::query_as(
        "select role, agency_id from staff_roles \
         where staff_id = $1 and (valid_to is null or valid_to > current_date)",
    )
    .bind(staff_id)
    .fetch_all(&mut *conn)
    .await?;
    let ever: bool = sqlx::query_scalar(
        "select $2::uuid[] is null or exists (select 1 from staff_roles \
           where staff_id = $1 and agency_id = any($2))",
    )
    .bind(staff_id)
    .bind(agencies)
    .fetch_one(conn)
    .await?;
    Ok((open, ever))
}

pub(super) async fn insert_staff(
    conn: &mut PgConnection,
    username: &str,
    full_name: &str,
    email: Option<&str>,
    password_hash: &str,
    created_by: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    let inserted = sqlx::query_scalar(
        "insert into staff_users (username, full_name, email, password_hash, created_by, must_change_password) \
         values ($1, $2, $3, $4, $5, true) returning id",
    )
    .bind(username)
    .bind(full_name)
    .bind(email)
    .bind(password_hash)
    .bind(created_by)
    .fetch_one(conn)
    .await;
    match inserted {
        Ok(id) => Ok(Some(id)),
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => Ok(None),
        Err(other) => Err(other),
    }
}

pub(super) async fn grant_role(
    conn: &mut PgConnection,
    staff_id: Uuid,
    role: StaffRole,
    agency_id: Uuid,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    granted_by: Uuid,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "insert into staff_roles (staff_id, role, agency_id, valid_from, valid_to, granted_by) \
         values ($1, $2, $3, $4, $5, $6) returning id",
    )
    .bind(staff_id)
    .bind(role)
    .bind(agency_id)
    .bind(valid_from)
    .bind(valid_to)
    .bind(granted_by)
    .fetch_one(conn)
    .await
}

/// Ends a grant today: from tomorrow it no longer counts. A grant that starts today or later
/// never took effect and is removed. Returns (role, agency) of the grant.
pub(super) async fn end_role(
    conn: &mut PgConnection,
    staff_id: Uuid,
    grant_id: Uuid,
) -> Result<Option<(StaffRole, Uuid)>, sqlx::Error> {
    let grant: Option<(StaffRole, Uuid, NaiveDate)> = sqlx::query_as(
        "select role, agency_id, valid_from from staff_roles where id = $1 and staff_id = $2 for update",
    )
    .bind(grant_id)
    .bind(staff_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((role, agency, from)) = grant else {
        return Ok(None);
    };
    let today = crate::deadlines::calendar::today();
    if from >= today {
        sqlx::query("delete from staff_roles where id = $1")
            .bind(grant_id)
            .execute(conn)
            .await?;
    } else {
        sqlx::query(
            "update staff_roles set valid_to = current_date \
             where id = $1 and (valid_to is null or valid_to > current_date)",
        )
        .bind(grant_id)
        .execute(conn)
        .await?;
    }
    Ok(Some((role, agency)))
}

/// Agencies in force, for the role form.
pub(super) async fn agencies(
    conn: &mut PgConnection,
) -> Result<Vec<(Uuid, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "select id, name_vi, name_en from agencies \
         where valid_from <= current_date and (valid_to is null or valid_to > current_date) \
         order by name_vi",
    )
    .fetch_all(conn)
    .await
}

/// The kinds of the agencies the reader administers ("ubnd_xa"…).
pub(super) async fn administered_kinds(
    conn: &mut PgConnection,
    staff: &CurrentStaff,
) -> Result<std::collections::HashMap<Uuid, String>, sqlx::Error> {
    let ids: Vec<Uuid> = staff
        .roles
        .iter()
        .filter(|r| r.role == StaffRole::AgencyAdmin)
        .map(|r| r.agency_id)
        .collect();
    let rows: Vec<(Uuid, String)> =
        sqlx::query_as("select id, kind from agencies where id = any($1)")
            .bind(&ids)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().collect())
}

/// Whether a proposal for the procedure waits for the chairman (one at a time).
pub(super) async fn has_open_proposal(
    conn: &mut PgConnection,
    procedure: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "select exists (select 1 from online_level_proposals where procedure_id = $1 and status = 'submitted')",
    )
    .bind(procedure)
    .fetch_one(conn)
    .await
}

/// A procedure in force on the levels page.
#[derive(FromRow)]
pub(super) struct LevelData {
    pub(super) code: String,
    pub(super) name_vi: String,
    pub(super) name_en: String,
    pub(super) online_level: OnlineLevel,
    /// the level of the proposal waiting for the chairman, if any
    pub(super) pending: Option<String>,
    pub(super) competent_agency_id: Option<Uuid>,
    pub(super) competent_kind: String,
}

pub(super) async fn levels_in_force(
    conn: &mut PgConnection,
) -> Result<Vec<LevelData>, sqlx::Error> {
    sqlx::query_as(
        "select v.code, v.name_vi, v.name_en, v.online_level, \
           (select p.to_level::text from online_level_proposals p where p.procedure_id = v.procedure_id \
              and p.status = 'submitted') as pending, v.competent_agency_id, v.competent_kind \
         from procedure_versions v where v.effective_from <= current_date \
           and (v.effective_to is null or v.effective_to > current_date) order by v.code limit 2000",
    )
    .fetch_all(conn)
    .await
}
