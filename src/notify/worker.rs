//! The outbox worker of every instance: composes queued notices, then sends the messages that
//! are due. Claims are `FOR UPDATE SKIP LOCKED` with a lease, so several instances never send
//! the same message at once, and a worker that dies mid-send leaves the message to be sent
//! again when its lease ends (at least once; the message id is the idempotency key).

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgPool};
use uuid::Uuid;

use super::senders::{Outgoing, SendError, Senders};
use crate::AppState;

/// How long a claimed message is left to its worker before another may take it: longer than
/// the senders' 30-second time-out.
const LEASE_SECONDS: f64 = 120.0;
/// Messages and notices taken at a time.
const BATCH: i64 = 50;

/// The wait before attempt `attempts + 1`: 30 s doubled each time, at most six hours.
pub fn backoff(attempts: i32) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(10);
    Duration::from_secs((30u64 << doublings).min(6 * 3600))
}

#[derive(FromRow)]
struct Claimed {
    id: Uuid,
    channel: String,
    recipient: String,
    subject: String,
    body: String,
    attempts: i32,
    dossier_id: Option<Uuid>,
    attachment: Option<String>,
}

/// What one pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub composed: u64,
    pub sent: u64,
    pub retried: u64,
    pub failed: u64,
}

/// Claims up to `limit` messages that are due.
async fn claim(db: &PgPool, limit: i64) -> Result<Vec<Claimed>, sqlx::Error> {
    sqlx::query_as(
        "update outbound_messages m \
            set locked_until = now() + make_interval(secs => $2), attempts = m.attempts + 1 \
         from (select id from outbound_messages \
               where status = 'pending' and next_attempt_at <= now() \
                 and (locked_until is null or locked_until < now()) \
               order by next_attempt_at, id limit $1 for update skip locked) due \
         where m.id = due.id \
         returning m.id, m.channel, m.recipient, m.subject, m.body, m.attempts, m.dossier_id, \
           m.attachment",
    )
    .bind(limit)
    .bind(LEASE_SECONDS)
    .fetch_all(db)
    .await
}

/// Records the outcome of an attempt: sent, to be retried after its back-off, or failed.
async fn record(
    db: &PgPool,
    m: &Claimed,
    outcome: &Result<(), SendError>,
    max_attempts: i32,
) -> Result<&'static str, sqlx::Error> {
    let (status, error, next): (&'static str, Option<&str>, Option<DateTime<Utc>>) = match outcome {
        Ok(()) => ("sent", None, None),
        Err(SendError::Permanent(e)) => ("failed", Some(e.as_str()), None),
        Err(SendError::Temporary(e)) if m.attempts >= max_attempts => {
            ("failed", Some(e.as_str()), None)
        }
        Err(SendError::Temporary(e)) => (
            "pending",
            Some(e.as_str()),
            chrono::Duration::from_std(backoff(m.attempts))
                .ok()
                .map(|d| Utc::now() + d),
        ),
    };
    let mut tx = db.begin().await?;
    sqlx::query(
        "update outbound_messages set status = $2, last_error = $3, locked_until = null, \
           sent_at = case when $2 = 'sent' then now() end, \
           next_attempt_at = coalesce($4, next_attempt_at) \
         where id = $1",
    )
    .bind(m.id)
    .bind(status)
    .bind(error)
    .bind(next)
    .execute(&mut *tx)
    .await?;
    sqlx::query("insert into message_attempts (message_id, ok, error) values ($1, $2, $3)")
        .bind(m.id)
        .bind(outcome.is_ok())
        .bind(error)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(status)
}

/// The PDF an e-mail carries, rendered now from the dossier's data.
async fn attachment(
    db: &PgPool,
    origin: &str,
    m: &Claimed,
) -> anyhow::Result<Option<(String, Vec<u8>)>> {
    if m.channel != "email" {
        return Ok(None);
    }
    match (m.attachment.as_deref(), m.dossier_id) {
        (Some("form-01"), Some(dossier)) => Ok(Some(
            crate::dossiers::forms::form01_bytes(db, origin, dossier).await?,
        )),
        (Some(other), _) => match other.strip_prefix("receipt:").map(str::parse::<Uuid>) {
            Some(Ok(receipt)) => crate::payments::receipt_doc::pdf_bytes(db, origin, receipt).await,
            _ => Ok(None),
        },
        _ => Ok(None),
    }
}

/// Composes what is queued, then sends what is due, once.
pub async fn run_once(
    db: &PgPool,
    senders: &Senders,
    origin: &str,
    max_attempts: i32,
) -> anyhow::Result<Pass> {
    let mut pass = Pass::default();
    loop {
        let n = super::compose::compose_queued(db, origin, BATCH).await?;
        pass.composed += n;
        if n < u64::try_from(BATCH).unwrap_or(0) {
            break;
        }
    }
    loop {
        let claimed = claim(db, BATCH).await?;
        if claimed.is_empty() {
            break;
        }
        for m in &claimed {
            let outcome = match attachment(db, origin, m).await {
                Ok(file) => {
                    senders
                        .send(&Outgoing {
                            id: m.id,
                            channel: &m.channel,
                            recipient: &m.recipient,
                            subject: &m.subject,
                            body: &m.body,
                            attachment: file.as_ref(),
                        })
                        .await
                }
                Err(e) => Err(SendError::Temporary(format!("attachment: {e:#}"))),
            };
            if let Err(e) = &outcome {
                // the recipient's address is personal data: the message id identifies it
                tracing::warn!(message.id = %m.id, channel = %m.channel, error = ?e, "message not sent");
            }
            match record(db, m, &outcome, max_attempts).await? {
                "sent" => pass.sent += 1,
                "failed" => pass.failed += 1,
                _ => pass.retried += 1,
            }
        }
    }
    Ok(pass)
}

/// Runs [`run_once`] every `outbox_poll_seconds` for as long as the server runs.
pub fn spawn(state: AppState) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let senders = Senders::from_settings(&state.settings)?;
    Ok(tokio::spawn(async move {
        let every = Duration::from_secs(state.settings.outbox_poll_seconds.max(1));
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // the local day whose digest this instance has seen through (sent, or taken by another
        // instance): the database is asked once a day, not at every tick
        let mut digest_done = None;
        loop {
            tick.tick().await;
            let now = chrono::Utc::now();
            let today = crate::deadlines::calendar::to_local(now).date();
            if digest_done != Some(today) && super::digest::is_due(now) {
                match super::digest::send_due(&state.db, &state.settings.public_origin, now).await {
                    Ok(_) => digest_done = Some(today),
                    Err(error) => tracing::warn!(error = format!("{error:#}"), "digest failed"),
                }
            }
            // new online dossiers announced to their unit's reception (Decree 118 Art. 17(2))
            if let Err(error) =
                super::arrivals::announce(&state.db, &state.settings.public_origin, now).await
            {
                tracing::warn!(error = format!("{error:#}"), "arrival alerts failed");
            }
            match run_once(
                &state.db,
                &senders,
                &state.settings.public_origin,
                state.settings.outbox_max_attempts,
            )
            .await
            {
                Ok(pass) if pass != Pass::default() => tracing::debug!(?pass, "outbox"),
                Ok(_) => {}
                Err(error) => tracing::warn!(error = format!("{error:#}"), "outbox failed"),
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::backoff;
    use std::time::Duration;

    #[test]
    fn retries_back_off_from_thirty_seconds_to_six_hours() {
        assert_eq!(backoff(1), Duration::from_secs(30));
        assert_eq!(backoff(2), Duration::from_secs(60));
        assert_eq!(backoff(5), Duration::from_secs(480));
        assert_eq!(backoff(40), Duration::from_secs(6 * 3600));
    }
}
