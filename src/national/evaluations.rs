//! The citizens' evaluations, sent to the national evaluation system in real time (Decree
//! 118/2025 Art. 32(2)). The national API is not public (reference §3 row 9): the message is
//! this portal's own, in the service envelope the exchange already speaks, and which service
//! and profile carry it from when is dated data (`national_feeds`), so that the real one
//! replaces it by a row. Each saved evaluation (a change too) is written to
//! `national_evaluation_outbox` by the transaction that saves it and delivered by the national
//! worker with the exchange's back-off; the full current evaluation goes each time, so that a
//! retry or a reordering is harmless. The comment stays here: it may hold personal data.

use serde::Serialize;
use serde_json::json;
use sqlx::{FromRow, PgConnection, PgPool};
use uuid::Uuid;

use super::sync::{DeliveryError, NationalClient, backoff};
use super::tt04_2025::timestamp;

/// Queues the evaluation of `dossier` for the feed in force today (none: nothing to send).
pub async fn enqueue(conn: &mut PgConnection, dossier: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into national_evaluation_outbox (dossier_id, profile, service) \
         select $1, profile, service from national_feeds \
         where kind = 'evaluation' and valid_from <= $2 and (valid_to is null or valid_to > $2) \
         order by valid_from desc limit 1",
    )
    .bind(dossier)
    .bind(crate::deadlines::calendar::today())
    .execute(conn)
    .await?;
    Ok(())
}

/// One item of Art. 33 as sent: its code and 1 (satisfied) or 0.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct ItemAnswer {
    #[serde(rename = "MaTieuChi")]
    pub item: String,
    #[serde(rename = "HaiLong")]
    pub satisfied: u8,
}

/// The evaluation as the profile `nd118-art32-2025` sends it.
#[derive(Debug, Serialize)]
pub struct Message {
    #[serde(rename = "MaHoSo")]
    pub code: String,
    #[serde(rename = "MaTTHC")]
    pub procedure: String,
    #[serde(rename = "MaCoQuan")]
    pub agency: String,
    #[serde(rename = "HaiLong")]
    pub satisfied: u8,
    /// 1 signed in on the portal, 2 by a link or QR code, 3 on the counter's tablet (Art. 31)
    #[serde(rename = "KenhDanhGia")]
    pub channel: u8,
    #[serde(rename = "ThoiGianDanhGia")]
    pub at: String,
    #[serde(rename = "NoiDung")]
    pub items: Vec<ItemAnswer>,
}

/// The channel's number on the wire.
pub fn channel_code(channel: &str) -> u8 {
    match channel {
        "account" => 1,
        "link" => 2,
        _ => 3,
    }
}

#[derive(FromRow)]
struct Stored {
    code: Option<String>,
    procedure: String,
    agency: Option<String>,
    satisfied: bool,
    answers: sqlx::types::Json<std::collections::BTreeMap<String, String>>,
    channel: String,
    updated_at: chrono::DateTime<chrono::Utc>,
}

/// The current evaluation of `dossier` as a message; None when there is none or the dossier
/// has no code.
pub async fn message(
    conn: &mut PgConnection,
    dossier: Uuid,
) -> Result<Option<Message>, sqlx::Error> {
    let row: Option<Stored> = sqlx::query_as(
        "select d.code, p.code as procedure, a.e_id_code as agency, e.satisfied, e.answers, \
           e.channel, e.updated_at \
         from dossier_evaluations e join dossiers d on d.id = e.dossier_id \
         join procedure_versions v on v.id = d.procedure_version_id \
         join procedures p on p.id = v.procedure_id \
         left join agencies a on a.id = d.receiving_agency_id where e.dossier_id = $1",
    )
    .bind(dossier)
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(|r| {
        Some(Message {
            code: r.code?,
            procedure: r.procedure,
            agency: r.agency.unwrap_or_default(),
            satisfied: u8::from(r.satisfied),
            channel: channel_code(&r.channel),
            at: timestamp(r.updated_at),
            items: r
                .answers
                .0
                .iter()
                .map(|(item, answer)| ItemAnswer {
                    item: item.clone(),
                    satisfied: u8::from(answer == "satisfied"),
                })
                .collect(),
        })
    }))
}

#[derive(FromRow)]
struct Claimed {
    id: i64,
    dossier_id: Uuid,
    service: String,
    attempts: i32,
}

/// What one pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub delivered: u64,
    pub retried: u64,
    pub failed: u64,
}

/// Delivers the evaluations that are due, once.
pub async fn run_once(db: &PgPool, client: &NationalClient) -> anyhow::Result<Pass> {
    let mut pass = Pass::default();
    let claimed: Vec<Claimed> = sqlx::query_as(
        "update national_evaluation_outbox o \
            set locked_until = now() + interval '5 minutes', attempts = o.attempts + 1 \
         from (select id from national_evaluation_outbox \
               where delivered_at is null and failed_at is null and next_attempt_at <= now() \
                 and (locked_until is null or locked_until < now()) \
               order by id limit 64 for update skip locked) due \
         where o.id = due.id returning o.id, o.dossier_id, o.service, o.attempts",
    )
    .fetch_all(db)
    .await?;
    for c in claimed {
        let mut conn = db.acquire().await?;
        let built = message(&mut conn, c.dossier_id).await?;
        // no connection is held while the national side answers
        drop(conn);
        let outcome = match built {
            Some(m) => client.fetch(&c.service, &json!([m])).await.map(|_| ()),
            None => Ok(()),
        };
        match outcome {
            Ok(()) => {
                sqlx::query(
                    "update national_evaluation_outbox set delivered_at = now(), locked_until = null, \
                     last_error = null where id = $1",
                )
                .bind(c.id)
                .execute(db)
                .await?;
                pass.delivered += 1;
            }
            Err(DeliveryError::Temporary(error)) => {
                let wait = backoff(c.attempts);
                sqlx::query(
                    "update national_evaluation_outbox set locked_until = null, last_error = $2, \
                     next_attempt_at = now() + make_interval(secs => $3) where id = $1",
                )
                .bind(c.id)
                .bind(&error)
                .bind(wait.as_secs_f64())
                .execute(db)
                .await?;
                pass.retried += 1;
            }
            Err(DeliveryError::Refused(error, _)) => {
                tracing::warn!(dossier = %c.dossier_id, %error, "national evaluation feed refused");
                sqlx::query(
                    "update national_evaluation_outbox set locked_until = null, last_error = $2, \
                     failed_at = now() where id = $1",
                )
                .bind(c.id)
                .bind(&error)
                .execute(db)
                .await?;
                pass.failed += 1;
            }
        }
    }
    Ok(pass)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_names_each_item_answered_and_the_channel() {
        let m = Message {
            code: "H48.01-261207-0001".into(),
            procedure: "1.001193".into(),
            agency: "H48.01".into(),
            satisfied: 0,
            channel: channel_code("counter"),
            at: "20261207100000".into(),
            items: vec![ItemAnswer {
                item: "dd".into(),
                satisfied: 0,
            }],
        };
        let wire = serde_json::to_value(&m).unwrap();
        assert_eq!(wire["MaHoSo"], "H48.01-261207-0001");
        assert_eq!(wire["KenhDanhGia"], 3);
        assert_eq!(wire["NoiDung"][0]["MaTieuChi"], "dd");
        assert_eq!(channel_code("account"), 1);
        assert_eq!(channel_code("link"), 2);
        assert!(wire.get("comment").is_none() && wire.get("GopY").is_none());
    }
}
