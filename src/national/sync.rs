//! Delivers every change of every dossier to the national portal: the worker claims dossiers
//! whose changes wait (a lease, `FOR UPDATE SKIP LOCKED`, so that one dossier's changes leave
//! in order and never from two instances at once), sends the full record (`DongBoHoSoMC`) and
//! then the progress items of the events not yet delivered (`CapNhatTienDoHoSoMC`, ten a call),
//! and records the outcome. A temporary failure waits its back-off (30 s, 1, 2, 5, 10, 30 min,
//! then hourly); a refusal no retry can fix waits for an administrator's resend or the next
//! change, with the national side's answer kept.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{Value, json};
use sqlx::{FromRow, PgPool};
use tokio::sync::Mutex;
use uuid::Uuid;

use super::links::Links;
use super::record;
use super::tt04_2025::{self as wire, Answer, Verdict};
use crate::AppState;

/// How long a claimed dossier is left to its worker: longer than all its calls' time-outs.
const LEASE_SECONDS: f64 = 300.0;
/// Dossiers claimed at a time, and delivered at once.
const BATCH: i64 = 64;
const PARALLEL: usize = 8;

/// The wait before attempt `attempts + 1` (reference §5.5).
pub fn backoff(attempts: i32) -> Duration {
    let minutes: u64 = match attempts {
        i32::MIN..=1 => return Duration::from_secs(30),
        2 => 1,
        3 => 2,
        4 => 5,
        5 => 10,
        6 => 30,
        _ => 60,
    };
    Duration::from_secs(minutes * 60)
}

/// Why a delivery did not go through.
#[derive(Debug, Clone)]
pub enum DeliveryError {
    /// the national side is down, slow or busy: retry after the back-off
    Temporary(String),
    /// the record was refused: a retry cannot fix it
    Refused(String, Value),
}

/// The national endpoint, spoken to in the service envelope (reference §2.2, style A): a
/// session from `/auth`, then `/integration` with the service's name.
pub struct NationalClient {
    http: reqwest::Client,
    base: String,
    username: String,
    password: String,
    unit: String,
    session: Mutex<Option<String>>,
}

impl NationalClient {
    pub fn new(base: &str, username: &str, password: &str, unit: &str) -> anyhow::Result<Self> {
        Ok(Self {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .connect_timeout(Duration::from_secs(5))
                .build()?,
            base: base.trim_end_matches('/').to_owned(),
            username: username.to_owned(),
            password: password.to_owned(),
            unit: unit.to_owned(),
            session: Mutex::new(None),
        })
    }

    pub fn from_settings(settings: &crate::Settings) -> anyhow::Result<Option<Self>> {
        if settings.dvcqg_url.is_empty() {
            return Ok(None);
        }
        Self::new(
            &settings.dvcqg_url,
            &settings.dvcqg_username,
            &settings.dvcqg_password,
            &settings.dvcqg_unit,
        )
        .map(Some)
    }

    async fn post(&self, path: &str, body: &Value) -> Result<Answer, DeliveryError> {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .json(body)
            .send()
            .await
            .map_err(|e| DeliveryError::Temporary(format!("{path}: {}", without_url(&e))))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| DeliveryError::Temporary(format!("{path}: {}", without_url(&e))))?;
        if status.is_server_error() || status.as_u16() == 429 {
            return Err(DeliveryError::Temporary(format!("{path}: HTTP {status}")));
        }
        match serde_json::from_str::<Answer>(&text) {
            Ok(answer) => Ok(answer),
            // an HTML error page from a proxy in front of the national side
            Err(_) if !status.is_success() => {
                Err(DeliveryError::Temporary(format!("{path}: HTTP {status}")))
            }
            Err(_) => Err(DeliveryError::Temporary(format!(
                "{path}: an answer that is not JSON (HTTP {status})"
            ))),
        }
    }

    async fn session(&self, renew: bool) -> Result<String, DeliveryError> {
        let mut session = self.session.lock().await;
        if !renew && let Some(s) = session.as_ref() {
            return Ok(s.clone());
        }
        let answer = self
            .post(
                "/auth",
                &json!({ "username": self.username, "password": self.password }),
            )
            .await?;
        match (wire::verdict(&answer), answer.session) {
            (Verdict::Accepted, Some(s)) if !s.is_empty() => {
                *session = Some(s.clone());
                Ok(s)
            }
            _ => Err(DeliveryError::Temporary(format!(
                "sign-in to the national portal refused: {}",
                answer.message
            ))),
        }
    }

    /// Calls `service` with `data`; signs in again once when the session has expired.
    async fn call(
        &self,
        service: &str,
        updating: Option<bool>,
        data: &Value,
    ) -> Result<(Verdict, Answer), DeliveryError> {
        let mut renew = false;
        loop {
            let session = self.session(renew).await?;
            let mut body = json!({
                "session": session, "madonvi": self.unit, "service": service, "data": data,
            });
            if let Some(updating) = updating {
                body["isUpdating"] = json!(if updating { "True" } else { "False" });
            }
            let answer = self.post("/integration", &body).await?;
            match wire::verdict(&answer) {
                Verdict::SessionExpired if !renew => renew = true,
                verdict => return Ok((verdict, answer)),
            }
        }
    }

    /// Calls a service that returns data (the pull transport's list, detail and
    /// acknowledgement): the answer's `data` when accepted.
    pub async fn fetch(&self, service: &str, data: &Value) -> Result<Value, DeliveryError> {
        let (verdict, answer) = self.call(service, None, data).await?;
        match verdict {
            Verdict::Accepted => Ok(answer.data),
            Verdict::Retry | Verdict::SessionExpired => {
                Err(DeliveryError::Temporary(answer.message))
            }
            _ => Err(refused(&answer)),
        }
    }

    /// Sends one dossier's record (creation or update, switching once when the nation says
    /// otherwise) and its progress items.
    pub async fn deliver(
        &self,
        exists: bool,
        record: &wire::DossierRecord,
        progress: &[wire::ProgressItem],
    ) -> Result<Value, DeliveryError> {
        let data = json!([record]);
        let mut updating = exists;
        let mut switched = false;
        let last = loop {
            let (verdict, answer) = self
                .call(wire::SERVICE_RECORD, Some(updating), &data)
                .await?;
            match verdict {
                Verdict::Accepted => break answer,
                Verdict::AlreadyExists | Verdict::NotFound if !switched => {
                    updating = verdict == Verdict::AlreadyExists;
                    switched = true;
                }
                Verdict::Retry | Verdict::SessionExpired => {
                    return Err(DeliveryError::Temporary(answer.message));
                }
                _ => return Err(refused(&answer)),
            }
        };
        for chunk in progress.chunks(wire::PROGRESS_PER_CALL) {
            let (verdict, answer) = self
                .call(wire::SERVICE_PROGRESS, None, &json!(chunk))
                .await?;
            match verdict {
                Verdict::Accepted => {}
                Verdict::Retry | Verdict::SessionExpired => {
                    return Err(DeliveryError::Temporary(answer.message));
                }
                _ => return Err(refused(&answer)),
            }
        }
        Ok(json!({ "error_code": last.error_code, "message": last.message }))
    }
}

fn refused(answer: &Answer) -> DeliveryError {
    DeliveryError::Refused(
        answer.message.clone(),
        json!({ "error_code": answer.error_code, "message": answer.message }),
    )
}

/// A transport error without the URL (which names the national host, not a secret, but the
/// logs need only the kind).
fn without_url(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "time-out"
    } else if e.is_connect() {
        "cannot connect"
    } else {
        "transport error"
    };
    let mut text = e.to_string();
    if let Some(url) = e.url() {
        text = text.replace(url.as_str(), "…");
    }
    format!("{kind}: {text}")
}

#[derive(FromRow)]
struct Claimed {
    dossier_id: Uuid,
    national_exists: bool,
    attempts: i32,
}

/// What one pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub delivered: u64,
    pub retried: u64,
    pub failed: u64,
}

async fn claim(db: &PgPool, limit: i64) -> Result<Vec<Claimed>, sqlx::Error> {
    sqlx::query_as(
        "update national_sync_state s \
            set locked_until = now() + make_interval(secs => $2), attempts = s.attempts + 1 \
         from (select dossier_id from national_sync_state \
               where pending_since is not null and failed_at is null and next_attempt_at <= now() \
                 and (locked_until is null or locked_until < now()) \
               order by next_attempt_at limit $1 for update skip locked) due \
         where s.dossier_id = due.dossier_id \
         returning s.dossier_id, s.national_exists, s.attempts",
    )
    .bind(limit)
    .bind(LEASE_SECONDS)
    .fetch_all(db)
    .await
}

/// Builds and sends one claimed dossier's changes; records the outcome.
async fn deliver_one(
    db: &PgPool,
    client: &NationalClient,
    links: &Links,
    c: &Claimed,
) -> anyhow::Result<&'static str> {
    let mut conn = db.acquire().await?;
    let pending: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "select id, event_id from national_sync_outbox \
         where dossier_id = $1 and delivered_at is null order by id",
    )
    .bind(c.dossier_id)
    .fetch_all(&mut *conn)
    .await?;
    let up_to = pending.iter().map(|(id, _)| *id).max().unwrap_or(0);
    let events: Vec<i64> = pending.iter().filter_map(|(_, e)| *e).collect();
    let built = match record::record(&mut conn, links, c.dossier_id).await? {
        Some(rec) => {
            let progress = record::progress(&mut conn, c.dossier_id, &rec.code, &events).await?;
            Some((rec, progress))
        }
        None => None,
    };
    // no connection is held while the national side answers (up to its time-out): the
    // portal's pages need them
    drop(conn);
    let outcome = match built {
        Some((rec, progress)) => client.deliver(c.national_exists, &rec, &progress).await,
        // nothing the nation sees (a draft): nothing to deliver
        None => Ok(json!({})),
    };
    let mut tx = db.begin().await?;
    let status = match &outcome {
        Ok(answer) => {
            sqlx::query(
                "update national_sync_outbox set delivered_at = now() \
                 where dossier_id = $1 and id <= $2 and delivered_at is null",
            )
            .bind(c.dossier_id)
            .bind(up_to)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "update national_sync_state set national_exists = true, attempts = 0, \
                   locked_until = null, last_error = null, last_answer = $2, delivered_at = now(), \
                   pending_since = (select min(created_at) from national_sync_outbox \
                                    where dossier_id = $1 and delivered_at is null), \
                   next_attempt_at = now() \
                 where dossier_id = $1",
            )
            .bind(c.dossier_id)
            .bind(answer)
            .execute(&mut *tx)
            .await?;
            "delivered"
        }
        Err(DeliveryError::Temporary(error)) => {
            let wait = chrono::Duration::from_std(backoff(c.attempts))
                .unwrap_or_else(|_| chrono::Duration::hours(1));
            sqlx::query(
                "update national_sync_state set locked_until = null, last_error = $2, \
                   next_attempt_at = now() + $3 where dossier_id = $1",
            )
            .bind(c.dossier_id)
            .bind(error)
            .bind(wait)
            .execute(&mut *tx)
            .await?;
            tracing::warn!(dossier = %c.dossier_id, attempts = c.attempts, error = %error, "national sync postponed");
            "retried"
        }
        Err(DeliveryError::Refused(error, answer)) => {
            sqlx::query(
                "update national_sync_state set locked_until = null, failed_at = now(), \
                   last_error = $2, last_answer = $3 where dossier_id = $1",
            )
            .bind(c.dossier_id)
            .bind(error)
            .bind(answer)
            .execute(&mut *tx)
            .await?;
            tracing::warn!(dossier = %c.dossier_id, error = %error, "national sync refused");
            "failed"
        }
    };
    tx.commit().await?;
    Ok(status)
}

/// Delivers every change that is due, once.
pub async fn run_once(db: &PgPool, client: &NationalClient, links: &Links) -> anyhow::Result<Pass> {
    let mut pass = Pass::default();
    loop {
        let claimed = claim(db, BATCH).await?;
        if claimed.is_empty() {
            break;
        }
        let deliveries: Vec<_> = claimed
            .iter()
            .map(|c| deliver_one(db, client, links, c))
            .collect();
        let outcomes: Vec<anyhow::Result<&'static str>> = futures_util::stream::iter(deliveries)
            .buffer_unordered(PARALLEL)
            .collect()
            .await;
        for outcome in outcomes {
            match outcome? {
                "delivered" => pass.delivered += 1,
                "failed" => pass.failed += 1,
                _ => pass.retried += 1,
            }
        }
        // what was postponed is not due again in this pass
        if pass.delivered == 0 {
            break;
        }
    }
    Ok(pass)
}

/// Runs [`run_once`] every `dvcqg_poll_seconds` while the server runs, when a national
/// endpoint is configured.
pub fn spawn(state: AppState) -> anyhow::Result<Option<tokio::task::JoinHandle<()>>> {
    let Some(client) = NationalClient::from_settings(&state.settings)? else {
        tracing::info!("no national portal configured (dvcqg_url): changes wait in the outbox");
        return Ok(None);
    };
    let client = Arc::new(client);
    let links = Links::new(
        &state.settings.public_origin,
        &state.settings.national_link_secret,
    );
    Ok(Some(tokio::spawn(async move {
        let every = Duration::from_millis(state.settings.dvcqg_poll_ms.max(100));
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match run_once(&state.db, &client, &links).await {
                Ok(pass) if pass != Pass::default() => tracing::debug!(?pass, "national sync"),
                Ok(_) => {}
                Err(error) => tracing::warn!(error = format!("{error:#}"), "national sync failed"),
            }
            match super::evaluations::run_once(&state.db, &client).await {
                Ok(pass) if pass != super::evaluations::Pass::default() => {
                    tracing::debug!(?pass, "national evaluation feed");
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(
                        error = format!("{error:#}"),
                        "national evaluation feed failed"
                    );
                }
            }
            if state.settings.dvcqg_intake == "pull"
                && let Err(error) = super::inbound::pull_once(&state, &client).await
            {
                tracing::warn!(error = format!("{error:#}"), "national pull failed");
            }
            if let Err(error) = super::intake::retry_due(&state).await {
                tracing::warn!(error = format!("{error:#}"), "national intake retry failed");
            }
        }
    })))
}

#[cfg(test)]
mod tests {
    use super::backoff;
    use std::time::Duration;

    #[test]
    fn retries_wait_longer_each_time_then_hourly() {
        assert_eq!(backoff(1), Duration::from_secs(30));
        assert_eq!(backoff(2), Duration::from_secs(60));
        assert_eq!(backoff(4), Duration::from_secs(300));
        assert_eq!(backoff(6), Duration::from_secs(1800));
        assert_eq!(backoff(50), Duration::from_secs(3600));
    }
}
