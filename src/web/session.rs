//! Server-side sessions in PostgreSQL (tower-sessions with our own store, shared by every
//! instance), who is signed in, and the per-session CSRF token.
//!
//! Idle timeout: the session expires after `session_idle_minutes` without a request (the
//! cookie and the row): every save sets the expiry that far ahead (`Expiry::OnInactivity`), and
//! a session is saved when its data change and at most once a minute otherwise
//! (`refresh_expiry`) — not on every request: a write per page view was most of the database's
//! work. Absolute timeout: a sign-in older than `session_absolute_hours` is
//! forgotten even if the session stayed busy. The session id is cycled at sign-in and
//! sign-out, and whenever privileges change.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};
use tower_sessions::{Expiry, Session, SessionManagerLayer};
use uuid::Uuid;

use crate::Settings;

/// Cookie name of the session.
pub const COOKIE: &str = "motcua_sid";
const AUTH_KEY: &str = "auth";
const CSRF_KEY: &str = "csrf";
/// The signed-in account's name, as every page's header shows it.
const NAME_KEY: &str = "name";

/// The session layer for the router.
pub fn layer(db: PgPool, settings: &Settings) -> SessionManagerLayer<PgSessionStore> {
    SessionManagerLayer::new(PgSessionStore::new(db))
        .with_name(COOKIE)
        .with_secure(settings.hsts)
        .with_http_only(true)
        .with_same_site(tower_sessions::cookie::SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(
            settings.session_idle_minutes,
        )))
}

/// When the expiry was last pushed (unix seconds), kept in the session: the store's expiry is
/// not read back into `Session::expiry`, so without it every request would rewrite the row.
const PUSHED_AT: &str = "_expiry_pushed_at";

/// Pushes the session's expiry to `session_idle_minutes` from now when it was last pushed more
/// than a minute ago (and on a new session): the row is written at most once a minute per
/// session, not on every request.
pub async fn refresh_expiry(session: &Session) {
    if session.id().is_none() && session.is_empty().await {
        return; // nothing stored: no session to keep alive
    }
    let now = time::OffsetDateTime::now_utc();
    let pushed: Option<i64> = session.get(PUSHED_AT).await.ok().flatten();
    if pushed.is_some_and(|at| (0..60).contains(&(now.unix_timestamp() - at))) {
        return;
    }
    // a change of data: the session is saved, its expiry `session_idle_minutes` from now
    let _ = session.insert(PUSHED_AT, now.unix_timestamp()).await;
}

/// Sessions stored in the `sessions` table: id, data as JSON, expiry.
#[derive(Debug, Clone)]
pub struct PgSessionStore {
    db: PgPool,
}

impl PgSessionStore {
    pub fn new(db: PgPool) -> Self {
        Self { db }
    }
}

fn backend(error: &sqlx::Error) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

fn to_chrono(at: time::OffsetDateTime) -> DateTime<Utc> {
    DateTime::from_timestamp(at.unix_timestamp(), at.nanosecond()).unwrap_or_default()
}

fn to_time(at: DateTime<Utc>) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(at.timestamp())
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

#[async_trait]
impl SessionStore for PgSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let data = serde_json::to_value(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        // a fresh random id until one is free (a collision is astronomically unlikely)
        loop {
            let inserted = sqlx::query(
                "insert into sessions (id, data, expiry_date) values ($1, $2, $3) \
                 on conflict (id) do nothing",
            )
            .bind(record.id.to_string())
            .bind(&data)
            .bind(to_chrono(record.expiry_date))
            .execute(&self.db)
            .await
            .map_err(|e| backend(&e))?;
            if inserted.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_value(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        // Only a live session is saved: one that ended meanwhile (signed out in another tab,
        // ended by an administrator, expired) is not written back, so it never returns.
        // An expiry less than half a minute later than the stored one is not written: the row
        // keeps its indexed columns, so PostgreSQL rewrites it in place (a heap-only tuple)
        // rather than adding an entry to both indexes. The idle timeout is kept to the minute,
        // as `refresh_expiry` does.
        sqlx::query(
            "update sessions set data = $2, \
               expiry_date = case when $3 >= expiry_date + interval '30 seconds' \
                 or $3 < expiry_date then $3 else expiry_date end \
             where id = $1 and expiry_date > now()",
        )
        .bind(record.id.to_string())
        .bind(&data)
        .bind(to_chrono(record.expiry_date))
        .execute(&self.db)
        .await
        .map_err(|e| backend(&e))?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row: Option<(serde_json::Value, DateTime<Utc>)> = sqlx::query_as(
            "select data, expiry_date from sessions where id = $1 and expiry_date > now()",
        )
        .bind(id.to_string())
        .fetch_optional(&self.db)
        .await
        .map_err(|e| backend(&e))?;
        row.map(|(data, expiry)| {
            Ok(Record {
                id: *id,
                data: serde_json::from_value(data)
                    .map_err(|e| session_store::Error::Decode(e.to_string()))?,
                expiry_date: to_time(expiry),
            })
        })
        .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("delete from sessions where id = $1")
            .bind(id.to_string())
            .execute(&self.db)
            .await
            .map_err(|e| backend(&e))?;
        Ok(())
    }
}

/// Deletes expired sessions (run now and then).
pub async fn delete_expired(db: &PgPool) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("delete from sessions where expiry_date < now()")
            .execute(db)
            .await?
            .rows_affected(),
    )
}

/// Which kind of account a session is signed in with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    Citizen,
    Staff,
}

impl AccountKind {
    /// As stored in the session's data (`auth.kind`).
    fn as_str(self) -> &'static str {
        match self {
            Self::Citizen => "citizen",
            Self::Staff => "staff",
        }
    }
}

/// Ends every session of an account (its rights or its password changed) but `keep` (the
/// session of the request that changed it, when it stays signed in); returns how many ended.
pub async fn end_account_sessions(
    conn: &mut sqlx::PgConnection,
    kind: AccountKind,
    id: Uuid,
    keep: Option<&str>,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "delete from sessions where data -> 'auth' ->> 'kind' = $1 \
           and data -> 'auth' ->> 'id' = $2 and id is distinct from $3",
    )
    .bind(kind.as_str())
    .bind(id.to_string())
    .bind(keep)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Who is signed in, and since when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    pub kind: AccountKind,
    pub id: Uuid,
    /// Unix seconds of the sign-in, for the absolute timeout.
    pub at: i64,
}

/// Signs an account in: a new session id (no fixation), then the account and its name (which
/// every page's header shows).
pub async fn sign_in(
    session: &Session,
    kind: AccountKind,
    id: Uuid,
    name: &str,
) -> anyhow::Result<()> {
    session.cycle_id().await?;
    let signed = SignedIn {
        kind,
        id,
        at: Utc::now().timestamp(),
    };
    session.insert(AUTH_KEY, signed).await?;
    session.insert(NAME_KEY, name).await?;
    // a new CSRF token with the new privileges
    session.remove_value(CSRF_KEY).await?;
    Ok(())
}

/// Ends the session for good: the row is deleted and the cookie expires.
pub async fn sign_out(session: &Session) -> anyhow::Result<()> {
    session.flush().await?;
    Ok(())
}

/// The account signed in on this session, if its sign-in is younger than the absolute
/// timeout. An older one is signed out on the spot.
pub async fn signed_in(session: &Session, settings: &Settings) -> Option<SignedIn> {
    let signed: SignedIn = session.get(AUTH_KEY).await.ok()??;
    let age = Utc::now().timestamp() - signed.at;
    if age > settings.session_absolute_hours * 3600 {
        let _ = session.flush().await;
        return None;
    }
    Some(signed)
}

/// Who the header shows as signed in: the kind of account and its name (empty for a session
/// signed in before names were kept). Reads the session only when the request carried one.
pub async fn shown_as(session: &Session) -> Option<(AccountKind, String)> {
    let signed: SignedIn = session.get(AUTH_KEY).await.ok()??;
    let name: String = session
        .get(NAME_KEY)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    Some((signed.kind, name))
}

/// This session's CSRF token, created on first use. A visitor with nothing in a session gets
/// the anonymous token of its own cookie instead, so that looking at a form stores nothing.
pub async fn csrf_token(session: &Session) -> anyhow::Result<String> {
    if let Some(token) = session.get::<String>(CSRF_KEY).await? {
        return Ok(token);
    }
    if session.id().is_none()
        && session.is_empty().await
        && let Some(token) = crate::web::csrf::anonymous_token()
    {
        return Ok(token);
    }
    let token = crate::web::csrf::new_token();
    session.insert(CSRF_KEY, &token).await?;
    Ok(token)
}

/// True when `supplied` is this session's token (compared in constant time).
pub async fn csrf_matches(session: &Session, supplied: &str) -> bool {
    let Ok(Some(expected)) = session.get::<String>(CSRF_KEY).await else {
        return false;
    };
    crate::web::csrf::same_token(&expected, supplied)
}
