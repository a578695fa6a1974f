//! One-time codes (confirming a phone or e-mail, resetting a password): six digits, valid for
//! ten minutes, five tries, only their hash stored. The message goes to the outbox; in
//! development the code is also logged.

use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::Settings;

const VALID_MINUTES: i32 = 10;
const MAX_ATTEMPTS: i32 = 5;

/// What a code is for (the `otp_purpose` enum).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "otp_purpose", rename_all = "snake_case")]
pub(super) enum Purpose {
    ConfirmContact,
    ResetPassword,
}

fn digest(id: Uuid, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{id}:{code}").as_bytes()))
}

/// Issues a code to `destination` (+84… by SMS, or an e-mail address) and queues the message.
pub(super) async fn issue(
    conn: &mut PgConnection,
    settings: &Settings,
    citizen_id: Uuid,
    purpose: Purpose,
    destination: &str,
    body_template: &str,
) -> Result<(), sqlx::Error> {
    let code = format!("{:06}", rand::random_range(0..1_000_000u32));
    let id = Uuid::now_v7();
    let channel = if destination.contains('@') {
        "email"
    } else {
        "sms"
    };
    sqlx::query(
        "insert into one_time_codes (id, citizen_id, purpose, channel, destination, code_hash, expires_at) \
         values ($1, $2, $3, $4, $5, $6, now() + make_interval(mins => $7))",
    )
    .bind(id)
    .bind(citizen_id)
    .bind(purpose)
    .bind(channel)
    .bind(destination)
    .bind(digest(id, &code))
    .bind(VALID_MINUTES)
    .execute(&mut *conn)
    .await?;
    let body = body_template.replace("{code}", &code);
    sqlx::query(
        "insert into outbound_messages (channel, recipient, subject, body) values ($1, $2, $3, $4)",
    )
    .bind(channel)
    .bind(destination)
    .bind("Một Cửa")
    .bind(&body)
    .execute(conn)
    .await?;
    if settings.is_development() {
        tracing::info!(citizen.id = %citizen_id, purpose = ?purpose, %code, "one-time code (development only)");
    }
    Ok(())
}

/// Checks the latest live code of this purpose. A wrong code uses up a try; the right one is
/// used up itself.
pub(super) async fn verify(
    conn: &mut PgConnection,
    citizen_id: Uuid,
    purpose: Purpose,
    code: &str,
) -> Result<bool, sqlx::Error> {
    let latest: Option<(Uuid, String, i32)> = sqlx::query_as(
        "select id, code_hash, attempts from one_time_codes \
         where citizen_id = $1 and purpose = $2 and used_at is null and expires_at > now() \
         order by created_at desc limit 1 for update",
    )
    .bind(citizen_id)
    .bind(purpose)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id, hash, attempts)) = latest else {
        return Ok(false);
    };
    if attempts >= MAX_ATTEMPTS {
        return Ok(false);
    }
    let code: String = code.chars().filter(char::is_ascii_digit).collect();
    if digest(id, &code) == hash {
        sqlx::query("update one_time_codes set used_at = now() where id = $1")
            .bind(id)
            .execute(conn)
            .await?;
        Ok(true)
    } else {
        sqlx::query("update one_time_codes set attempts = attempts + 1 where id = $1")
            .bind(id)
            .execute(conn)
            .await?;
        Ok(false)
    }
}
