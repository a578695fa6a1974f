//! The audit log: who did what, when, from where. Append-only (the database refuses UPDATE,
//! DELETE and TRUNCATE on `audit_log`). Never records passwords, codes or ID numbers.

use std::net::IpAddr;

use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

/// Who acted.
#[derive(Debug, Clone, Copy)]
pub enum Actor {
    Citizen(Uuid),
    Staff(Uuid),
    Anonymous,
    System,
}

impl Actor {
    pub(crate) fn parts(self) -> (&'static str, Option<Uuid>) {
        match self {
            Self::Citizen(id) => ("citizen", Some(id)),
            Self::Staff(id) => ("staff", Some(id)),
            Self::Anonymous => ("anonymous", None),
            Self::System => ("system", None),
        }
    }
}

/// One event to append, for a statement that records it beside its own work (its subject
/// comes from that statement).
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub actor: Actor,
    pub action: &'a str,
    pub ip: Option<IpAddr>,
    pub details: Value,
}

/// Appends one event.
pub async fn record(
    conn: &mut PgConnection,
    actor: Actor,
    action: &str,
    subject: Option<&str>,
    ip: Option<IpAddr>,
    details: Value,
) -> Result<(), sqlx::Error> {
    let (kind, id) = actor.parts();
    sqlx::query(
        "insert into audit_log (actor_kind, actor_id, action, subject, ip, details) \
         values ($1, $2, $3, $4, $5::text::inet, $6)",
    )
    .bind(kind)
    .bind(id)
    .bind(action)
    .bind(subject)
    .bind(ip.map(|ip| ip.to_string()))
    .bind(details)
    .execute(conn)
    .await?;
    Ok(())
}

/// Counts a request refused before it proved who sent it (`refused_requests`: one row per
/// source, reason and day, whatever the flood), and logs it with the payload's SHA-256, never
/// the payload.
pub async fn refused(
    conn: &mut PgConnection,
    source: &str,
    reason: &str,
    ip: Option<IpAddr>,
    payload: &[u8],
) -> Result<(), sqlx::Error> {
    use sha2::Digest as _;
    let sha256 = hex::encode(sha2::Sha256::digest(payload));
    tracing::warn!(source, reason, ip = ?ip, sha256, "request refused");
    sqlx::query(
        "insert into refused_requests (source, reason, day, last_ip, last_sha256) \
         values ($1, $2, current_date, $3::text::inet, $4) \
         on conflict (source, reason, day) do update set refused = refused_requests.refused + 1, \
           last_at = now(), last_ip = excluded.last_ip, last_sha256 = excluded.last_sha256",
    )
    .bind(source)
    .bind(reason)
    .bind(ip.map(|ip| ip.to_string()))
    .bind(sha256)
    .execute(conn)
    .await?;
    Ok(())
}

/// A line of the refused requests' counters.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RefusedCount {
    pub source: String,
    pub reason: String,
    pub day: chrono::NaiveDate,
    pub refused: i64,
    pub last_at: chrono::DateTime<chrono::Utc>,
    pub last_ip: Option<String>,
    pub last_sha256: String,
}

/// The counters of the last `days` days for `source`, newest first.
pub async fn refused_counts(
    conn: &mut PgConnection,
    source: &str,
    days: i32,
) -> Result<Vec<RefusedCount>, sqlx::Error> {
    sqlx::query_as(
        "select source, reason, day, refused, last_at, host(last_ip) as last_ip, last_sha256 \
         from refused_requests where source = $1 and day > current_date - $2 \
         order by day desc, reason",
    )
    .bind(source)
    .bind(days)
    .fetch_all(conn)
    .await
}
