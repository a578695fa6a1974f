//! Account queries. Functions take a connection and never commit.

use chrono::NaiveDate;
use sqlx::{FromRow, PgConnection};
use uuid::Uuid;

use super::domain::{LoginName, StaffRole};

/// A citizen's account as its pages show it.
#[derive(Debug, Clone, FromRow)]
pub struct Citizen {
    pub id: Uuid,
    pub full_name: String,
    pub personal_id: String,
    pub phone: String,
    pub email: Option<String>,
    pub address_line: String,
    pub admin_unit_id: Option<Uuid>,
    pub confirmed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// the channels the citizen wants notices on
    pub notify_email: bool,
    pub notify_sms: bool,
}

const CITIZEN_COLUMNS: &str = "c.id, c.full_name, c.personal_id, c.phone, c.email, c.address_line, c.admin_unit_id, c.confirmed_at, \
    c.notify_email, c.notify_sms";

pub async fn citizen(conn: &mut PgConnection, id: Uuid) -> Result<Option<Citizen>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {CITIZEN_COLUMNS} from citizens c where c.id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The citizen a sign-in name designates, with the password hash.
pub async fn citizen_by_login(
    conn: &mut PgConnection,
    name: &LoginName,
) -> Result<Option<(Uuid, String)>, sqlx::Error> {
    let (column, value) = match name {
        LoginName::Phone(p) => ("phone", p.as_str().to_owned()),
        LoginName::Email(e) => ("email", e.as_str().to_owned()),
        LoginName::PersonalId(id) => ("personal_id", id.clone()),
    };
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select c.id, k.password_hash from citizens c \
         join citizen_credentials k on k.citizen_id = c.id where c.{column} = $1"
    )))
    .bind(value)
    .fetch_optional(conn)
    .await
}

/// What a registration stores.
pub struct NewCitizen<'a> {
    pub full_name: &'a str,
    pub personal_id: &'a str,
    pub phone: &'a str,
    pub email: Option<&'a str>,
    pub password_hash: &'a str,
}

/// Which unique value a registration collided with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    PersonalId,
    Phone,
    Email,
}

pub async fn insert_citizen(
    conn: &mut PgConnection,
    new: &NewCitizen<'_>,
) -> Result<Result<Uuid, Taken>, sqlx::Error> {
    let inserted: Result<Uuid, sqlx::Error> = sqlx::query_scalar(
        "insert into citizens (full_name, personal_id, phone, email) values ($1, $2, $3, $4) returning id",
    )
    .bind(new.full_name)
    .bind(new.personal_id)
    .bind(new.phone)
    .bind(new.email)
    .fetch_one(&mut *conn)
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
            return Ok(Err(match db.constraint() {
                Some("citizens_personal_id_key") => Taken::PersonalId,
                Some("citizens_phone_key") => Taken::Phone,
                _ => Taken::Email,
            }));
        }
        Err(other) => return Err(other),
    };
    sqlx::query("insert into citizen_credentials (citizen_id, password_hash) values ($1, $2)")
        .bind(id)
        .bind(new.password_hash)
        .execute(conn)
        .await?;
    Ok(Ok(id))
}

pub async fn set_citizen_password(
    conn: &mut PgConnection,
    id: Uuid,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update citizen_credentials set password_hash = $2, changed_at = now() where citizen_id = $1",
    )
    .bind(id)
    .bind(password_hash)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn citizen_password_hash(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("select password_hash from citizen_credentials where citizen_id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn staff_password_hash(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("select password_hash from staff_users where id = $1 and active")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The name an account's pages show as signed in.
pub async fn account_name(
    conn: &mut PgConnection,
    kind: crate::web::session::AccountKind,
    id: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    let query = match kind {
        crate::web::session::AccountKind::Citizen => "select full_name from citizens where id = $1",
        crate::web::session::AccountKind::Staff => {
            "select full_name from staff_users where id = $1"
        }
    };
    sqlx::query_scalar(query)
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn mark_confirmed(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("update citizens set confirmed_at = coalesce(confirmed_at, now()) where id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Contact and address changes from the profile page.
pub async fn update_profile(
    conn: &mut PgConnection,
    id: Uuid,
    email: Option<&str>,
    address_line: &str,
    admin_unit_id: Option<Uuid>,
) -> Result<Result<(), Taken>, sqlx::Error> {
    let updated = sqlx::query(
        "update citizens set email = $2, address_line = $3, admin_unit_id = $4 where id = $1",
    )
    .bind(id)
    .bind(email)
    .bind(address_line)
    .bind(admin_unit_id)
    .execute(conn)
    .await;
    match updated {
        Ok(_) => Ok(Ok(())),
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => Ok(Err(Taken::Email)),
        Err(other) => Err(other),
    }
}

/// A commune-level unit in force, for the address select.
#[derive(Debug, Clone, FromRow)]
pub struct AdminUnit {
    pub id: Uuid,
    pub name_vi: String,
    pub name_en: String,
}

pub async fn admin_units_in_force(conn: &mut PgConnection) -> Result<Vec<AdminUnit>, sqlx::Error> {
    sqlx::query_as(
        "select id, name_vi, name_en from admin_units where level = 'commune' \
         and valid_from <= current_date and (valid_to is null or valid_to > current_date) \
         order by name_vi",
    )
    .fetch_all(conn)
    .await
}

/// An official's account.
#[derive(Debug, Clone, FromRow)]
pub struct StaffUser {
    pub id: Uuid,
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub active: bool,
    /// An administrator set the password: the official chooses their own first.
    pub must_change_password: bool,
    /// A confirmed second factor.
    pub second_factor: bool,
}

pub async fn staff_by_username(
    conn: &mut PgConnection,
    username: &str,
) -> Result<Option<(Uuid, String, bool)>, sqlx::Error> {
    sqlx::query_as("select id, password_hash, active from staff_users where username = $1")
        .bind(username)
        .fetch_optional(conn)
        .await
}

pub async fn staff_user(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<StaffUser>, sqlx::Error> {
    sqlx::query_as(
        "select id, username, full_name, email, active, must_change_password, \
           exists (select 1 from staff_second_factors f where f.staff_id = staff_users.id \
             and f.confirmed_at is not null) as second_factor \
         from staff_users where id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// A role held, with its agency's name.
#[derive(Debug, Clone, FromRow)]
pub struct HeldRole {
    pub id: Uuid,
    pub role: StaffRole,
    pub agency_id: Uuid,
    pub agency_slug: String,
    pub agency_vi: String,
    pub agency_en: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

const ROLE_COLUMNS: &str = "r.id, r.role, r.agency_id, a.slug as agency_slug, \
     a.name_vi as agency_vi, a.name_en as agency_en, r.valid_from, r.valid_to";

/// Roles of an official in force today (none for an inactive account).
pub async fn roles_in_force(
    conn: &mut PgConnection,
    staff_id: Uuid,
) -> Result<Vec<HeldRole>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {ROLE_COLUMNS} from staff_roles r join agencies a on a.id = r.agency_id \
         join staff_users u on u.id = r.staff_id \
         where r.staff_id = $1 and u.active and r.valid_from <= current_date \
           and (r.valid_to is null or r.valid_to > current_date) \
         order by a.name_vi, r.role"
    )))
    .bind(staff_id)
    .fetch_all(conn)
    .await
}

/// Every role an official ever held, newest first.
pub async fn all_roles(
    conn: &mut PgConnection,
    staff_id: Uuid,
) -> Result<Vec<HeldRole>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {ROLE_COLUMNS} from staff_roles r join agencies a on a.id = r.agency_id \
         where r.staff_id = $1 order by r.valid_from desc, r.created_at desc"
    )))
    .bind(staff_id)
    .fetch_all(conn)
    .await
}
