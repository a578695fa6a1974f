//! The facts of the dossiers a period processed. `report_facts` holds, per received dossier,
//! what its events say (reception, the first finish, each supplement request and when
//! processing resumed); `refresh` brings it up to date with one batch of the dossiers queued
//! since before a report reads it, and the background job (`jobs::cleanup`) or `motcua
//! refresh-reports` drains whatever a large change queued.

use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::{Connection, FromRow, PgConnection, PgPool, Row};
use uuid::Uuid;

use super::domain::{Bounds, Facts, Period};
use crate::dossiers::DossierStatus;

/// One dossier of a report, with where it belongs.
#[derive(Debug, Clone)]
pub struct FactRow {
    pub agency_id: Uuid,
    pub version_id: Uuid,
    pub channel: i16,
    pub received_at: DateTime<Utc>,
    pub finish_at: Option<DateTime<Utc>>,
    pub finish_status: Option<DossierStatus>,
    pub due_at: Option<DateTime<Utc>>,
    /// (None: empty — most dossiers, and a null costs nothing to decode)
    pub supplement_at: Option<Vec<DateTime<Utc>>>,
    pub resumed_at: Option<Vec<DateTime<Utc>>>,
    /// appointments set by events (acceptance, supplement received), and when
    pub due_set_at: Option<Vec<DateTime<Utc>>>,
    pub due_values: Option<Vec<DateTime<Utc>>>,
    pub e_result: bool,
    pub has_files: bool,
    pub reused: bool,
    pub charged: bool,
    pub paid_online: bool,
}

/// Read by position, in the order of [`facts`]' select list, without checking each value's
/// type again (the select list fixes them): a report reads hundreds of thousands of rows.
impl<'r> FromRow<'r, PgRow> for FactRow {
    fn from_row(row: &'r PgRow) -> Result<Self, sqlx::Error> {
        let flags: i16 = row.try_get_unchecked(11)?;
        Ok(Self {
            agency_id: row.try_get_unchecked(0)?,
            version_id: row.try_get_unchecked(1)?,
            channel: row.try_get_unchecked(2)?,
            received_at: row.try_get_unchecked(3)?,
            finish_at: row.try_get_unchecked(4)?,
            finish_status: row.try_get_unchecked(5)?,
            due_at: row.try_get_unchecked(6)?,
            supplement_at: row.try_get_unchecked(7)?,
            resumed_at: row.try_get_unchecked(8)?,
            due_set_at: row.try_get_unchecked(9)?,
            due_values: row.try_get_unchecked(10)?,
            e_result: flags & 1 != 0,
            has_files: flags & 2 != 0,
            reused: flags & 4 != 0,
            charged: flags & 8 != 0,
            paid_online: flags & 16 != 0,
        })
    }
}

fn list<T>(v: &Option<Vec<T>>) -> &[T] {
    v.as_deref().unwrap_or(&[])
}

impl FactRow {
    /// What the events say up to the end of the period of `period`'s bounds.
    pub fn facts(&self, period: Bounds) -> Facts {
        let (start, end) = (period.start, period.end);
        let before: Vec<(DateTime<Utc>, DateTime<Utc>)> = list(&self.supplement_at)
            .iter()
            .copied()
            .zip(list(&self.resumed_at).iter().copied())
            .filter(|(at, _)| *at < end)
            .collect();
        let finish = self
            .finish_at
            .zip(self.finish_status)
            .filter(|(at, _)| *at < end);
        // waiting for the citizen at the end: a request not yet followed by a change of status
        let waiting = finish.is_none() && before.iter().any(|(_, resumed)| *resumed >= end);
        // finished while waiting: the finish itself ended the wait
        let waiting_since = finish.and_then(|(done, _)| {
            before
                .iter()
                .filter(|(at, resumed)| *at < done && *resumed >= done)
                .map(|(at, _)| *at)
                .max()
        });
        // the appointment in force when the dossier is judged: at its finish, or at the end
        let judged_at = finish.map_or(end, |(at, _)| at);
        let due_at = list(&self.due_set_at)
            .iter()
            .zip(list(&self.due_values))
            .filter(|(set, _)| **set <= judged_at)
            .map(|(_, due)| *due)
            .next_back()
            .or(self.due_at);
        Facts {
            channel: self.channel,
            received_at: self.received_at,
            finish,
            due_at,
            supplements: before.len() as i64,
            last_supplement_at: before.iter().map(|b| b.0).max(),
            supplements_in_period: before.iter().filter(|b| b.0 >= start).count() as i64,
            state_at_end: if waiting {
                DossierStatus::SupplementRequested
            } else {
                DossierStatus::Processing
            },
            waiting_since,
            e_result: self.e_result,
            has_files: self.has_files,
            reused: self.reused,
            charged: self.charged,
            paid_online: self.paid_online,
        }
    }
}

/// How many queue rows a report request takes before reading (a fifth of a second at worst),
/// and only when no other refresh is running: a large backlog — an import, a generator, a
/// migration — never holds a request up; the background job drains it.
pub const REQUEST_BATCH: i64 = 2_000;
/// How many queue rows each step of a drain takes.
pub const DRAIN_BATCH: i64 = 50_000;

/// Brings `report_facts` up to date with the oldest `limit` rows of `report_dirty` (queued by
/// triggers on their events, payments and files) and returns how many rows it took. Only
/// committed queue rows are taken, and the facts are read after taking them, so a change
/// committed late is taken by a later refresh, never lost. One refresh at a time: with `wait`
/// false (a request) it does nothing while another one runs.
pub async fn refresh(conn: &mut PgConnection, limit: i64, wait: bool) -> Result<u64, sqlx::Error> {
    let mut tx = conn.begin().await?;
    if wait {
        sqlx::query("select pg_advisory_xact_lock(7312001)")
            .execute(&mut *tx)
            .await?;
    } else {
        let got: bool = sqlx::query_scalar("select pg_try_advisory_xact_lock(7312001)")
            .fetch_one(&mut *tx)
            .await?;
        if !got {
            return Ok(0);
        }
    }
    let mut ids: Vec<Uuid> = sqlx::query_scalar(
        "delete from report_dirty where id in (select id from report_dirty order by id limit $1) \
         returning dossier_id",
    )
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    let taken = ids.len() as u64;
    ids.sort_unstable();
    ids.dedup();
    if !ids.is_empty() {
        sqlx::query("select refresh_report_facts($1)")
            .bind(&ids)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(taken)
}

/// Whether changes are still queued for `report_facts` (a report shows it is catching up).
pub async fn behind(conn: &mut PgConnection) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("select exists (select 1 from report_dirty)")
        .fetch_one(conn)
        .await
}

/// The number of queued changes (one row per event, payment or file written).
pub async fn queued(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("select count(*) from report_dirty")
        .fetch_one(conn)
        .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Refreshes batch after batch until the queue is empty, telling `progress` how many queue rows
/// each batch took; returns the total.
pub async fn drain(
    conn: &mut PgConnection,
    mut progress: impl FnMut(u64),
) -> Result<u64, sqlx::Error> {
    let mut total = 0;
    loop {
        let n = refresh(conn, DRAIN_BATCH, true).await?;
        if n == 0 {
            return Ok(total);
        }
        total += n;
        progress(n);
    }
}

/// The dossiers processed in `period` by the receiving agencies in `scope` (None: all):
/// received before its end and not finished before its start. Empty histories come back as
/// nulls, and an appointment history that only repeats `due_at` too (`simple`, stored, says
/// so for most rows without looking into their arrays), and the five flags as one number: a
/// province's year is hundreds of thousands of rows, whose sending and decoding is most of
/// its time.
pub async fn facts(
    db: &PgPool,
    scope: Option<&[Uuid]>,
    period: &Period,
) -> Result<Vec<FactRow>, sqlx::Error> {
    let mut conn = db.acquire().await?;
    refresh(&mut conn, REQUEST_BATCH, false).await?;
    sqlx::query_as(
        "select f.agency_id, f.version_id, f.channel, f.received_at, f.finish_at, f.finish_status, f.due_at, \
           case when f.simple then null when cardinality(f.supplement_at) > 0 then f.supplement_at end, \
           case when f.simple then null when cardinality(f.supplement_at) > 0 then f.resumed_at end, \
           case when f.simple then null \
             when cardinality(f.due_values) > 1 or f.due_values[1] <> f.due_at then f.due_set_at end, \
           case when f.simple then null \
             when cardinality(f.due_values) > 1 or f.due_values[1] <> f.due_at then f.due_values end, \
           (f.e_result::int + 2 * f.has_files::int + 4 * f.reused::int + 8 * f.charged::int \
             + 16 * f.paid_online::int)::int2 \
         from report_facts f \
         where ($1::uuid[] is null or f.agency_id = any($1)) \
           and f.received_at < $3 and (f.finish_at is null or f.finish_at >= $2)",
    )
    .bind(scope)
    .bind(period.start())
    .bind(period.end())
    .fetch_all(&mut *conn)
    .await
}

/// The names a report shows: agencies by id, and procedure versions by id (code, name). Both
/// tables are small; the facts carry only ids.
pub struct Names {
    pub agencies: std::collections::HashMap<Uuid, String>,
    pub versions: std::collections::HashMap<Uuid, (String, String)>,
}

pub async fn names(conn: &mut PgConnection) -> Result<Names, sqlx::Error> {
    let agencies: Vec<(Uuid, String)> = sqlx::query_as("select id, name_vi from agencies")
        .fetch_all(&mut *conn)
        .await?;
    let versions: Vec<(Uuid, String, String)> =
        sqlx::query_as("select id, code, name_vi from procedure_versions")
            .fetch_all(&mut *conn)
            .await?;
    Ok(Names {
        agencies: agencies.into_iter().collect(),
        versions: versions
            .into_iter()
            .map(|(id, code, name)| (id, (code, name)))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::domain::{Outcome, PeriodKind, classify};

    fn at(s: &str) -> DateTime<Utc> {
        crate::deadlines::calendar::to_utc(
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap(),
        )
    }

    #[test]
    fn each_period_is_judged_by_the_appointment_then_in_force() {
        // received 01/09, due 20/09; a supplement asked 03/10 and answered 05/10 restarts the
        // clock: due 26/10; still open at the end of both months
        let row = FactRow {
            agency_id: Uuid::nil(),
            version_id: Uuid::nil(),
            channel: 2,
            received_at: at("2026-09-01 09:00"),
            finish_at: None,
            finish_status: None,
            due_at: Some(at("2026-10-26 09:00")),
            supplement_at: Some(vec![at("2026-10-03 09:00")]),
            resumed_at: Some(vec![at("2026-10-05 09:00")]),
            due_set_at: Some(vec![at("2026-09-01 09:00"), at("2026-10-05 09:00")]),
            due_values: Some(vec![at("2026-09-20 09:00"), at("2026-10-26 09:00")]),
            e_result: false,
            has_files: false,
            reused: false,
            charged: false,
            paid_online: false,
        };
        let now = at("2026-11-28 09:00");
        let september = Period::of(PeriodKind::Month, 2026, 9, None).unwrap();
        let facts = row.facts(september.bounds());
        assert_eq!(facts.due_at, Some(at("2026-09-20 09:00")));
        assert_eq!(
            classify(&facts, september.end(), now).0,
            Outcome::InProgressLate,
            "September stays late, whatever happened after it"
        );
        let october = Period::of(PeriodKind::Month, 2026, 10, None).unwrap();
        assert_eq!(
            row.facts(october.bounds()).due_at,
            Some(at("2026-10-26 09:00"))
        );
    }
}
