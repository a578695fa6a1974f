//! One-time codes (confirming a phone or e-mail, resetting a password): six digits, valid for
//! ten minutes, five tries, only their hash stored (purged a day after they expire). The message
//! goes to the outbox; in development the code is also logged.
//!
//! Limits, so that nobody can send messages in bulk to someone else or guess at length: at most
//! `otp_per_hour` and `otp_per_day` codes per account, per destination and per client address;
//! wrong codes are counted across all of an account's codes of a purpose, `otp_failures_per_day`
//! at most, whatever new codes were asked for.

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
    /// A new e-mail address, confirmed before it replaces the old one.
    ChangeEmail,
}

/// Whether a code was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Issued {
    Sent,
    /// The account, the destination or the address has had its share of codes.
    Limited,
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
    ip: Option<std::net::IpAddr>,
) -> Result<Issued, sqlx::Error> {
    // one request at a time per account, so that parallel ones cannot pass the count together
    sqlx::query("select 1 from citizens where id = $1 for update")
        .bind(citizen_id)
        .execute(&mut *conn)
        .await?;
    let (hour, day): (i64, i64) = sqlx::query_as(
        "select \
           greatest(count(*) filter (where citizen_id = $1 and created_at > now() - interval '1 hour'), \
                    count(*) filter (where destination = $2 and created_at > now() - interval '1 hour'), \
                    count(*) filter (where requested_ip = $3::text::inet and created_at > now() - interval '1 hour')), \
           greatest(count(*) filter (where citizen_id = $1), \
                    count(*) filter (where destination = $2), \
                    count(*) filter (where requested_ip = $3::text::inet)) \
         from one_time_codes \
         where created_at > now() - interval '1 day' \
           and (citizen_id = $1 or destination = $2 or requested_ip = $3::text::inet)",
    )
    .bind(citizen_id)
    .bind(destination)
    .bind(ip.map(|ip| ip.to_string()))
    .fetch_one(&mut *conn)
    .await?;
    if hour >= settings.otp_per_hour || day >= settings.otp_per_day {
        tracing::warn!(citizen.id = %citizen_id, purpose = ?purpose, "one-time code refused: limit reached");
        return Ok(Issued::Limited);
    }
    let code = format!("{:06}", rand::random_range(0..1_000_000u32));
    let id = Uuid::now_v7();
    let channel = if destination.contains('@') {
        "email"
    } else {
        "sms"
    };
    sqlx::query(
        "insert into one_time_codes (id, citizen_id, purpose, channel, destination, code_hash, expires_at, requested_ip) \
         values ($1, $2, $3, $4, $5, $6, now() + make_interval(mins => $7), $8::text::inet)",
    )
    .bind(id)
    .bind(citizen_id)
    .bind(purpose)
    .bind(channel)
    .bind(destination)
    .bind(digest(id, &code))
    .bind(VALID_MINUTES)
    .bind(ip.map(|ip| ip.to_string()))
    .execute(&mut *conn)
    .await?;
    let body = body_template.replace("{code}", &code);
    let body = if channel == "sms" {
        crate::kernel::text::gsm7(&body)
    } else {
        body
    };
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
    Ok(Issued::Sent)
}

/// Checks the latest live code of this purpose. A wrong code uses up a try; the right one is
/// used up itself. After `otp_failures_per_day` wrong codes over all of the account's codes of
/// this purpose, none is accepted for the rest of the day.
pub(super) async fn verify(
    conn: &mut PgConnection,
    settings: &Settings,
    citizen_id: Uuid,
    purpose: Purpose,
    code: &str,
) -> Result<bool, sqlx::Error> {
    let failures: i64 = sqlx::query_scalar(
        "select coalesce(sum(attempts), 0)::bigint from one_time_codes \
         where citizen_id = $1 and purpose = $2 and created_at > now() - interval '1 day'",
    )
    .bind(citizen_id)
    .bind(purpose)
    .fetch_one(&mut *conn)
    .await?;
    if failures >= settings.otp_failures_per_day {
        return Ok(false);
    }
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
