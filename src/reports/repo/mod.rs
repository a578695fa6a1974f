//! The facts of the dossiers a period processed. `report_facts` holds, per received dossier,
//! what its events say (reception, the first finish, each supplement request and when
//! processing resumed); `report_pools` the summed counts of the pooled ones (received and
//! finished within any period that counts them: see [`FactRow::pooled_share`]) per day of
//! their finish, and `report_received` every dossier per day of its reception. `refresh` brings
//! the three up to date with one batch of the dossiers queued since before a report reads
//! them, and the background job (`jobs::cleanup`) or `motcua refresh-reports` drains whatever a
//! large change queued.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use sqlx::postgres::PgRow;
use sqlx::{Connection, FromRow, PgConnection, PgPool, Row};
use uuid::Uuid;

use super::domain::{Bounds, Facts, Period, Tally};
use crate::deadlines::calendar::to_local;
use crate::dossiers::DossierStatus;
use crate::kernel::Lang;

mod pools;
mod register;

pub use pools::*;
pub use register::*;

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
    /// finished, with every supplement request between its reception and its finish
    pub pooled: bool,
}

/// Read by position, in the order of [`FACT_ROW`]'s select list, without checking each value's
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
            pooled: flags & 32 != 0,
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

    /// A pooled dossier's counts in any period that holds both its reception and its finish,
    /// with the local day of its finish. Such a period's bounds change nothing: the finish
    /// falls before its end and is judged at itself, by the appointment then in force; every
    /// supplement request falls inside it; and it was received within it. So the share is
    /// worked out once, with the period from its reception to the end of time.
    pub fn pooled_share(&self) -> Option<(NaiveDate, Tally)> {
        let finish = self.finish_at.filter(|_| self.pooled)?;
        debug_assert!(
            list(&self.supplement_at)
                .iter()
                .all(|at| self.received_at <= *at && *at < finish),
            "`pooled` (SQL) and the share's premise (every request within the dossier's time) differ"
        );
        let bounds = Bounds {
            start: self.received_at,
            end: DateTime::<Utc>::MAX_UTC,
        };
        let mut share = Tally::default();
        share.add(&self.facts(bounds), bounds, bounds.end);
        Some((to_local(finish).date(), share))
    }
}

/// What a report's rows are: the receiving agencies, or the procedure versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Agency,
    Version,
}

impl By {
    /// The pools of days `$2 ..< $3` of the agencies `$1` (null: all) summed per row: the id,
    /// then the counts in the order of [`Tally::COUNTS`].
    fn pool_sums(self) -> &'static str {
        fn sql(column: &str) -> String {
            let sums: Vec<String> = Tally::COUNTS
                .iter()
                .map(|c| format!("sum({c})::int8"))
                .collect();
            format!(
                "select {column}, {} from report_pools \
                 where day >= $2 and day < $3 and ($1::uuid[] is null or agency_id = any($1)) \
                 group by {column}",
                sums.join(", ")
            )
        }
        static BY_AGENCY: LazyLock<String> = LazyLock::new(|| sql("agency_id"));
        static BY_VERSION: LazyLock<String> = LazyLock::new(|| sql("version_id"));
        match self {
            By::Agency => BY_AGENCY.as_str(),
            By::Version => BY_VERSION.as_str(),
        }
    }

    fn of(self, row: &FactRow) -> Uuid {
        match self {
            By::Agency => row.agency_id,
            By::Version => row.version_id,
        }
    }
}

/// What a period's figures are made of.
#[derive(Debug, Default)]
pub struct Tallies {
    /// per agency or procedure version
    pub rows: HashMap<Uuid, Tally>,
    /// dossiers received per local day and channel
    pub received: Vec<(NaiveDate, i16, i64)>,
    /// the procedure versions that received an online dossier
    pub online_versions: HashSet<Uuid>,
    /// in the same snapshot: changes were still queued, or the pools waited to be summed again
    pub behind: bool,
}

impl Tallies {
    pub fn total(&self) -> Tally {
        let mut total = Tally::default();
        for t in self.rows.values() {
            total.merge(t);
        }
        total
    }
}

/// The figures of `period` for the receiving agencies in `scope` (None: all), per agency or
/// procedure version, in one snapshot: the pools of the period's days, corrected by the
/// dossiers read one by one — those open at its start (carried over: counted as such, and
/// their pooled share taken back out when they finished within it), those open at its end, and
/// those finished within it that are not pooled. In progress is judged at `now`.
pub async fn tallies(
    db: &PgPool,
    scope: Option<&[Uuid]>,
    period: &Period,
    by: By,
    now: DateTime<Utc>,
) -> Result<Tallies, sqlx::Error> {
    let mut conn = db.acquire().await?;
    refresh(&mut conn, REQUEST_BATCH, false).await?;
    let mut tx = conn
        .begin_with("begin isolation level repeatable read read only")
        .await?;
    let bounds = period.bounds();
    let mut out = Tallies::default();
    let rows = sqlx::query(by.pool_sums())
        .bind(scope)
        .bind(period.from)
        .bind(period.until)
        .fetch_all(&mut *tx)
        .await?;
    for row in rows {
        let counts = (1..=Tally::COUNTS.len())
            .map(|i| row.try_get::<i64, _>(i))
            .collect::<Result<Vec<_>, _>>()?;
        out.rows
            .insert(row.try_get(0)?, Tally::from_counts(&counts));
    }
    // open at an instant: received at or before it, finished after it (the range holds it)
    static ONE_BY_ONE: LazyLock<String> = LazyLock::new(|| {
        format!(
            "{FACT_ROW} where ($1::uuid[] is null or f.agency_id = any($1)) \
               and (tstzrange(f.received_at, f.finish_at, '[)') @> $4::timestamptz \
                 or tstzrange(f.received_at, f.finish_at, '[)') @> $5::timestamptz \
                 or (f.finish_at is not null and not f.pooled \
                     and f.finish_at >= $2 and f.finish_at < $3 and f.received_at >= $2))"
        )
    });
    let just_before = |t: DateTime<Utc>| t - TimeDelta::microseconds(1);
    let rows: Vec<FactRow> = sqlx::query_as(ONE_BY_ONE.as_str())
        .bind(scope)
        .bind(bounds.start)
        .bind(bounds.end)
        .bind(just_before(bounds.start))
        .bind(just_before(bounds.end))
        .fetch_all(&mut *tx)
        .await?;
    for row in &rows {
        let tally = out.rows.entry(by.of(row)).or_default();
        tally.add(&row.facts(bounds), bounds, now);
        let in_pools = row
            .finish_at
            .is_some_and(|at| at >= bounds.start && at < bounds.end);
        if in_pools && let Some((_, share)) = row.pooled_share() {
            tally.add_times(&share, -1);
        }
    }
    out.received = sqlx::query_as(
        "select day, channel, sum(dossiers)::int8 from report_received \
         where day >= $2 and day < $3 and ($1::uuid[] is null or agency_id = any($1)) \
         group by day, channel order by day, channel",
    )
    .bind(scope)
    .bind(period.from)
    .bind(period.until)
    .fetch_all(&mut *tx)
    .await?;
    out.online_versions = sqlx::query_scalar(
        "select distinct version_id from report_received \
         where channel = 2 and day >= $2 and day < $3 \
           and ($1::uuid[] is null or agency_id = any($1))",
    )
    .bind(scope)
    .bind(period.from)
    .bind(period.until)
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .collect();
    out.behind = behind(&mut tx).await?;
    tx.commit().await?;
    Ok(out)
}

/// The names a report shows: agencies by id, and procedure versions by id (code, name). Both
/// tables are small; the facts carry only ids.
pub struct Names {
    pub agencies: std::collections::HashMap<Uuid, String>,
    pub versions: std::collections::HashMap<Uuid, (String, String)>,
}

pub async fn names(conn: &mut PgConnection, lang: Lang) -> Result<Names, sqlx::Error> {
    let agencies: Vec<(Uuid, String, String)> =
        sqlx::query_as("select id, name_vi, name_en from agencies")
            .fetch_all(&mut *conn)
            .await?;
    let versions: Vec<(Uuid, String, String, String)> =
        sqlx::query_as("select id, code, name_vi, name_en from procedure_versions")
            .fetch_all(&mut *conn)
            .await?;
    Ok(Names {
        agencies: agencies
            .into_iter()
            .map(|(id, vi, en)| (id, lang.pick(&vi, &en).to_owned()))
            .collect(),
        versions: versions
            .into_iter()
            .map(|(id, code, vi, en)| (id, (code, lang.pick(&vi, &en).to_owned())))
            .collect(),
    })
}

/// Agencies' English names by their Vietnamese ones, for figures computed (and kept) once in
/// Vietnamese and shown in English.
pub async fn english_agency_names(
    db: &sqlx::PgPool,
) -> Result<std::collections::HashMap<String, String>, sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("select name_vi, name_en from agencies where name_en <> ''")
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().collect())
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

    fn finished(
        received: &str,
        finish: &str,
        status: DossierStatus,
        due: &str,
        supplements: &[(&str, &str)],
    ) -> FactRow {
        let asked: Vec<DateTime<Utc>> = supplements.iter().map(|s| at(s.0)).collect();
        let resumed: Vec<DateTime<Utc>> = supplements.iter().map(|s| at(s.1)).collect();
        let some = |v: Vec<DateTime<Utc>>| (!v.is_empty()).then_some(v);
        FactRow {
            agency_id: Uuid::nil(),
            version_id: Uuid::nil(),
            channel: 2,
            received_at: at(received),
            finish_at: Some(at(finish)),
            finish_status: Some(status),
            due_at: Some(at(due)),
            supplement_at: some(asked),
            resumed_at: some(resumed),
            due_set_at: None,
            due_values: None,
            e_result: true,
            has_files: true,
            reused: false,
            charged: true,
            paid_online: true,
            pooled: true,
        }
    }

    #[test]
    fn a_pooled_share_is_what_every_period_holding_the_dossier_counts() {
        let now = at("2026-11-28 09:00");
        let mut rescheduled = finished(
            "2026-03-30 10:00",
            "2026-04-20 09:00",
            DossierStatus::ResultReady,
            "2026-04-10 09:00",
            &[("2026-04-02 09:00", "2026-04-06 09:00")],
        );
        rescheduled.due_set_at = Some(vec![at("2026-03-30 10:00"), at("2026-04-06 09:00")]);
        rescheduled.due_values = Some(vec![at("2026-04-10 09:00"), at("2026-04-22 09:00")]);
        let rows = [
            finished(
                "2026-01-30 16:00",
                "2026-02-02 08:00",
                DossierStatus::ResultReady,
                "2026-02-03 17:00",
                &[],
            ),
            finished(
                "2026-03-31 16:59",
                "2026-03-31 16:59",
                DossierStatus::Returned,
                "2026-03-31 17:00",
                &[],
            ),
            finished(
                "2026-06-14 09:00",
                "2026-07-20 09:00",
                DossierStatus::Returned,
                "2026-07-01 09:00",
                &[
                    ("2026-06-15 09:00", "2026-06-16 09:00"),
                    ("2026-06-20 09:00", "2026-06-21 09:00"),
                ],
            ),
            finished(
                "2026-08-01 09:00",
                "2026-09-15 09:00",
                DossierStatus::Stopped,
                "2026-08-20 09:00",
                &[("2026-08-10 09:00", "9999-12-31 00:00")],
            ),
            finished(
                "2026-10-14 23:30",
                "2026-10-15 00:30",
                DossierStatus::Withdrawn,
                "2026-10-30 09:00",
                &[],
            ),
            finished(
                "2026-12-31 16:00",
                "2027-01-04 09:00",
                DossierStatus::RefusedOnMerits,
                "2027-01-10 09:00",
                &[],
            ),
            rescheduled,
        ];
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let mut periods = vec![
            Period::of(PeriodKind::Year, 2026, 0, None).unwrap(),
            Period::of(PeriodKind::Year, 2027, 0, None).unwrap(),
            Period::of(
                PeriodKind::Custom,
                0,
                0,
                Some((d("2026-01-01"), d("2027-06-30"))),
            )
            .unwrap(),
        ];
        for n in 1..=12 {
            periods.push(Period::of(PeriodKind::Month, 2026, n, None).unwrap());
            periods.push(Period::of(PeriodKind::ReportMonth, 2026, n, None).unwrap());
        }
        for n in 1..=4 {
            periods.push(Period::of(PeriodKind::Quarter, 2026, n, None).unwrap());
        }
        let mut checked = 0;
        for row in &rows {
            let (day, share) = row.pooled_share().unwrap();
            assert_eq!(day, to_local(row.finish_at.unwrap()).date());
            assert_eq!(share.received_total(), 1);
            for period in &periods {
                let b = period.bounds();
                if row.received_at < b.start || row.finish_at.unwrap() >= b.end {
                    continue;
                }
                assert!(period.from <= day && day < period.until);
                let mut direct = Tally::default();
                direct.add(&row.facts(b), b, now);
                assert_eq!(direct, share, "{row:?} in {}", period.label());
                checked += 1;
            }
        }
        assert!(checked >= 20, "{checked}");
        let mut open = rows[0].clone();
        open.pooled = false;
        assert!(open.pooled_share().is_none());
    }

    /// The pools hold shares worked out by these rules: if this test's figures change, so do
    /// the shares of dossiers already pooled, and [`POOL_RULES`] must be raised with them so
    /// that the pools are summed again.
    #[test]
    fn a_pooled_share_is_tied_to_the_rules_version() {
        assert_eq!(POOL_RULES, 1, "raise it with the expected shares below");
        let late = finished(
            "2026-06-14 09:00",
            "2026-07-20 09:00",
            DossierStatus::Returned,
            "2026-07-01 09:00",
            &[("2026-06-15 09:00", "2026-06-16 09:00")],
        );
        let (day, share) = late.pooled_share().unwrap();
        assert_eq!(day, NaiveDate::from_ymd_opt(2026, 7, 20).unwrap());
        assert_eq!(
            share,
            Tally {
                received: [0, 1, 0],
                late: 1,
                supplement_requested: 1,
                online_counted: 1,
                finished_with_result: 1,
                processing_seconds: 36 * 86_400,
                results_electronic: 1,
                digitised: 1,
                charged: 1,
                paid_online: 1,
                ..Tally::default()
            }
        );
        let early = finished(
            "2026-02-02 08:00",
            "2026-02-02 15:00",
            DossierStatus::ResultReady,
            "2026-02-04 17:00",
            &[],
        );
        let (_, share) = early.pooled_share().unwrap();
        assert_eq!((share.early, share.timely, share.late), (1, 1, 0));
    }

    #[test]
    fn counts_go_to_their_columns_and_back() {
        let t = Tally {
            received: [1, 2, 3],
            paid_online: 7,
            processing_seconds: 86_400,
            ..Tally::default()
        };
        let counts = t.counts();
        assert_eq!(counts.len(), Tally::COUNTS.len());
        let at = |name: &str| Tally::COUNTS.iter().position(|c| *c == name).unwrap();
        assert_eq!(counts[at("received_online")], 2);
        assert_eq!(counts[at("paid_online")], 7);
        assert_eq!(Tally::from_counts(&counts), t);
        let mut twice = t.clone();
        twice.add_times(&t, 1);
        twice.add_times(&t, -2);
        assert_eq!(twice, Tally::default());
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
            pooled: false,
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
