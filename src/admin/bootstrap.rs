//! The first system administrator of a new deployment (`motcua create-admin`): no account is
//! created with a default password outside the demo data, so a province starts here.

use anyhow::Context as _;
use sqlx::PgPool;
use uuid::Uuid;

use crate::accounts::domain::{PasswordError, check_new_password, valid_staff_username};
use crate::accounts::password;
use crate::audit::{self, Actor};

/// Why the administrator was not created, as the command says it.
#[derive(Debug, thiserror::Error)]
pub enum BootstrapError {
    #[error(
        "the user name must be 3 to 40 lower-case letters, digits, dots, dashes or underscores"
    )]
    Username,
    #[error("give the administrator's full name")]
    FullName,
    #[error("the password is refused: {0}")]
    Password(&'static str),
    #[error(
        "no agency has the slug {0}: name one of the agencies in force (for example the provincial People's Committee)"
    )]
    Agency(String),
    #[error("an official named {0} exists already: choose another user name")]
    Taken(String),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

fn password_reason(error: &PasswordError) -> &'static str {
    match error {
        PasswordError::TooShort => "too short",
        PasswordError::TooLong => "too long",
        PasswordError::TooCommon => "too common or too close to the user name",
    }
}

/// Creates an official holding the system-administrator role at the agency `agency_slug` from
/// today, with the given password (hashed; never printed or logged), in one transaction.
pub async fn create_system_admin(
    db: &PgPool,
    username: &str,
    full_name: &str,
    agency_slug: &str,
    secret: String,
) -> Result<Uuid, BootstrapError> {
    if !valid_staff_username(username) {
        return Err(BootstrapError::Username);
    }
    let full_name = full_name.trim();
    if full_name.is_empty() {
        return Err(BootstrapError::FullName);
    }
    check_new_password(&secret, &[username, full_name])
        .map_err(|e| BootstrapError::Password(password_reason(&e)))?;
    let hash = password::hash(secret).await?;
    let mut tx = db.begin().await.context("opening a transaction")?;
    let agency: Option<Uuid> = sqlx::query_scalar(
        "select id from agencies where slug = $1 \
         and (valid_to is null or valid_to > current_date)",
    )
    .bind(agency_slug)
    .fetch_optional(&mut *tx)
    .await
    .context("looking the agency up")?;
    let agency = agency.ok_or_else(|| BootstrapError::Agency(agency_slug.to_owned()))?;
    let id: Option<Uuid> = sqlx::query_scalar(
        "insert into staff_users (username, full_name, password_hash) values ($1, $2, $3) \
         on conflict do nothing returning id",
    )
    .bind(username)
    .bind(full_name)
    .bind(&hash)
    .fetch_optional(&mut *tx)
    .await
    .context("creating the account")?;
    let id = id.ok_or_else(|| BootstrapError::Taken(username.to_owned()))?;
    sqlx::query(
        "insert into staff_roles (staff_id, role, agency_id, valid_from) \
         values ($1, 'system_admin', $2, current_date)",
    )
    .bind(id)
    .bind(agency)
    .execute(&mut *tx)
    .await
    .context("granting the role")?;
    audit::record(
        &mut tx,
        Actor::System,
        "staff.bootstrap_admin",
        Some(&id.to_string()),
        None,
        serde_json::json!({"username": username, "agency": agency}),
    )
    .await
    .context("auditing")?;
    tx.commit().await.context("committing")?;
    Ok(id)
}

/// The password, typed twice without echo at a terminal, or the first line of standard input
/// otherwise (for scripts: `printf '%s\n' "$PASSWORD" | motcua create-admin …`).
pub fn read_password() -> anyhow::Result<String> {
    use std::io::IsTerminal as _;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let again = rpassword::prompt_password("Password again: ")?;
        anyhow::ensure!(
            first == again,
            "the two passwords differ: nothing was created"
        );
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}
