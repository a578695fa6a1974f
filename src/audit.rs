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
