//! What a report counts, as pure rules: reporting periods, how one dossier stands in a period
//! (DOMAIN.md §6.2, the national 766 rules), and the tallies and indicators built from that.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use crate::deadlines::calendar::{Timeliness, timeliness, to_local, to_utc};
use crate::dossiers::DossierStatus;

/// A reporting period, in local dates: from `from` up to, not including, `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub until: NaiveDate,
}

/// A period's bounds in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// How the period was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    Month,
    Quarter,
    Year,
    /// the reporting month of Decree 09/2019: the 15th of the previous month to the 14th
    ReportMonth,
    Custom,
}

impl PeriodKind {
    pub const ALL: [PeriodKind; 5] = [
        PeriodKind::Month,
        PeriodKind::Quarter,
        PeriodKind::Year,
        PeriodKind::ReportMonth,
        PeriodKind::Custom,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Year => "year",
            PeriodKind::ReportMonth => "report",
            PeriodKind::Custom => "custom",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

impl Period {
    /// The period of `kind` that holds `year` and `number` (month 1–12 or quarter 1–4); a
    /// custom one from `from` to `to` inclusive.
    pub fn of(
        kind: PeriodKind,
        year: i32,
        number: u32,
        custom: Option<(NaiveDate, NaiveDate)>,
    ) -> Option<Period> {
        let first = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1);
        let next_month = |y: i32, m: u32| {
            if m == 12 {
                first(y + 1, 1)
            } else {
                first(y, m + 1)
            }
        };
        let period = match kind {
            PeriodKind::Month => Period {
                from: first(year, number)?,
                until: next_month(year, number)?,
            },
            PeriodKind::Quarter => {
                if !(1..=4).contains(&number) {
                    return None;
                }
                let m = (number - 1) * 3 + 1;
                Period {
                    from: first(year, m)?,
                    until: if number == 4 {
                        first(year + 1, 1)?
                    } else {
                        first(year, m + 3)?
                    },
                }
            }
            PeriodKind::Year => Period {
                from: first(year, 1)?,
                until: first(year + 1, 1)?,
            },
            PeriodKind::ReportMonth => {
                let (py, pm) = if number == 1 {
                    (year - 1, 12)
                } else {
                    (year, number.checked_sub(1)?)
                };
                Period {
                    from: NaiveDate::from_ymd_opt(py, pm, 15)?,
                    until: NaiveDate::from_ymd_opt(year, number, 15)?,
                }
            }
            PeriodKind::Custom => {
                let (from, to) = custom?;
                if to < from || (to - from).num_days() > 3660 {
                    return None;
                }
                Period {
                    from,
                    until: to + Duration::days(1),
                }
            }
        };
        Some(period)
    }

    pub fn start(&self) -> DateTime<Utc> {
        to_utc(self.from.and_hms_opt(0, 0, 0).unwrap_or_default())
    }

    pub fn end(&self) -> DateTime<Utc> {
        to_utc(self.until.and_hms_opt(0, 0, 0).unwrap_or_default())
    }

    /// Both bounds in UTC, computed once for a report's many dossiers.
    pub fn bounds(&self) -> Bounds {
        Bounds {
            start: self.start(),
            end: self.end(),
        }
    }

    /// "01/10/2026 – 31/10/2026"
    pub fn label(&self) -> String {
        format!(
            "{} – {}",
            self.from.format("%d/%m/%Y"),
            (self.until - Duration::days(1)).format("%d/%m/%Y")
        )
    }

    pub fn year(&self) -> i32 {
        self.from.year()
    }
}

/// What the events say of one dossier, up to the end of the period.
#[derive(Debug, Clone)]
pub struct Facts {
    /// 1 counter, 2 online, 3 post
    pub channel: i16,
    /// the first reception
    pub received_at: DateTime<Utc>,
    /// the first finishing event before the period's end: result ready, returned, refused,
    /// stopped, or withdrawn after reception
    pub finish: Option<(DateTime<Utc>, DossierStatus)>,
    /// the appointment as first printed (a reschedule does not move it)
    pub due_at: Option<DateTime<Utc>>,
    /// supplement requests before the period's end, and the last one's time
    pub supplements: i64,
    pub last_supplement_at: Option<DateTime<Utc>>,
    /// supplement requests within the period
    pub supplements_in_period: i64,
    /// the status at the period's end
    pub state_at_end: DossierStatus,
    /// a dossier stopped, refused or closed while waiting for the citizen's supplement is
    /// judged at the request, not at the close (the supplement time does not count)
    pub waiting_since: Option<DateTime<Utc>>,
    /// an electronic result was issued
    pub e_result: bool,
    /// the citizen's documents are attached as files
    pub has_files: bool,
    /// at least one document was reused from an earlier dossier
    pub reused: bool,
    /// something non-zero was billed (fees of an exempted dossier are all zero)
    pub charged: bool,
    /// paid online (national portal or the province's gateway)
    pub paid_online: bool,
}

/// Where a processed dossier stands at the end of the period (the partition of the
/// operational report: every processed dossier is in exactly one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Early,
    OnTime,
    Late,
    Refused,
    Withdrawn,
    Stopped,
    /// waiting for the citizen's supplement
    WaitingSupplement,
    InProgressWithin,
    InProgressLate,
}

/// How one dossier counts in a period ending at `end`, judged at `now` when the period has
/// not ended yet: its outcome, and whether it counts as early or on time for indicator 2.1.
pub fn classify(f: &Facts, end: DateTime<Utc>, now: DateTime<Utc>) -> (Outcome, bool) {
    // a second supplement request makes the dossier late, whatever its times (766, 2.1)
    let once = f.supplements <= 1;
    let by_due = |t: DateTime<Utc>| f.due_at.is_none_or(|due| t <= due);
    if let Some((at, status)) = f.finish {
        let judged = match status {
            DossierStatus::ResultReady | DossierStatus::Returned => at,
            _ => f.waiting_since.unwrap_or(at),
        };
        let timely = once && by_due(judged);
        let outcome = match status {
            DossierStatus::RefusedOnMerits | DossierStatus::RefusedAtReception => Outcome::Refused,
            DossierStatus::Withdrawn => Outcome::Withdrawn,
            DossierStatus::Stopped => Outcome::Stopped,
            _ if !timely => Outcome::Late,
            _ => match f.due_at {
                None => Outcome::OnTime,
                Some(due) => match timeliness(to_local(at), to_local(due)) {
                    Timeliness::Early => Outcome::Early,
                    Timeliness::OnTime => Outcome::OnTime,
                    Timeliness::Late => Outcome::Late,
                },
            },
        };
        return (outcome, timely);
    }
    if f.state_at_end == DossierStatus::SupplementRequested {
        // stuck waiting for the citizen: the request's time is the finish time
        let at = f.last_supplement_at.unwrap_or(f.received_at);
        return (Outcome::WaitingSupplement, once && by_due(at));
    }
    let judged = end.min(now);
    let within = once && f.due_at.is_none_or(|due| due >= judged);
    (
        if within {
            Outcome::InProgressWithin
        } else {
            Outcome::InProgressLate
        },
        within,
    )
}

/// Declares [`Tally`] from its list of counts, once: the struct, the counts' names (the columns
/// of `report_pools`) and the arithmetic on all of them.
macro_rules! tally {
    ($( $(#[$doc:meta])* $field:ident ),* $(,)?) => {
        /// The counts of one row of a report (an agency, a procedure, or the whole scope).
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub struct Tally {
            /// received in the period, by channel: counter, online, post
            pub received: [i64; 3],
            $( $(#[$doc])* pub $field: i64, )*
        }

        impl Tally {
            /// The counts' names, in the order of [`Tally::counts`]: the columns of
            /// `report_pools`.
            pub const COUNTS: &[&str] = &[
                "received_counter", "received_online", "received_post",
                $( stringify!($field), )*
            ];

            /// Every count, in the order of [`Tally::COUNTS`].
            pub fn counts(&self) -> Vec<i64> {
                let mut all = self.received.to_vec();
                $( all.push(self.$field); )*
                all
            }

            /// The tally of `counts`, in the order of [`Tally::COUNTS`] (missing ones are 0).
            pub fn from_counts(counts: &[i64]) -> Self {
                let mut next = counts.iter().copied();
                let mut t = Tally::default();
                for r in &mut t.received {
                    *r = next.next().unwrap_or(0);
                }
                $( t.$field = next.next().unwrap_or(0); )*
                t
            }

            /// Adds `times` times `other`'s counts (-1 takes a share back out).
            pub fn add_times(&mut self, other: &Tally, times: i64) {
                for (mine, theirs) in self.received.iter_mut().zip(other.received) {
                    *mine += times * theirs;
                }
                $( self.$field += times * other.$field; )*
            }
        }
    };
}

tally! {
    carried_over,
    early,
    on_time,
    late,
    refused,
    withdrawn,
    stopped,
    waiting_supplement,
    in_progress_within,
    in_progress_late,
    /// dossiers with a supplement request in the period
    supplement_requested,
    /// counted early or on time for 2.1
    timely,
    /// online dossiers received in the period that count for 3.3: no paper result was issued
    /// without its electronic copy
    online_counted,
    /// finished with a result: their number and total time, for 2.2
    finished_with_result,
    processing_seconds,
    /// of those finished with a result in the period: with an electronic result (4.1)
    results_electronic,
    /// received in the period: documents attached and an electronic result (4.2)
    digitised,
    /// received in the period: a document reused (4.3)
    reused,
    /// received in the period: billed, and paid online (3.6)
    charged,
    paid_online,
}

impl Tally {
    pub fn received_total(&self) -> i64 {
        self.received.iter().sum()
    }

    /// Received in the period and carried over from before it.
    pub fn processed(&self) -> i64 {
        self.received_total() + self.carried_over
    }

    /// Adds one dossier processed in the period of `period`'s bounds (the caller has left out
    /// those received after it or finished before it, and computes the bounds once).
    pub fn add(&mut self, f: &Facts, period: Bounds, now: DateTime<Utc>) {
        let (outcome, timely) = classify(f, period.end, now);
        if f.received_at < period.start {
            self.carried_over += 1;
        } else {
            let i = usize::from(f.channel.clamp(1, 3) as u8) - 1;
            self.received[i] += 1;
            let paper_result_without_copy = matches!(
                f.finish,
                Some((_, DossierStatus::ResultReady | DossierStatus::Returned))
            ) && !f.e_result;
            if f.channel == 2 && !paper_result_without_copy {
                self.online_counted += 1;
            }
            if f.has_files && f.e_result {
                self.digitised += 1;
            }
            if f.reused {
                self.reused += 1;
            }
            if f.charged {
                self.charged += 1;
                if f.paid_online {
                    self.paid_online += 1;
                }
            }
        }
        match outcome {
            Outcome::Early => self.early += 1,
            Outcome::OnTime => self.on_time += 1,
            Outcome::Late => self.late += 1,
            Outcome::Refused => self.refused += 1,
            Outcome::Withdrawn => self.withdrawn += 1,
            Outcome::Stopped => self.stopped += 1,
            Outcome::WaitingSupplement => self.waiting_supplement += 1,
            Outcome::InProgressWithin => self.in_progress_within += 1,
            Outcome::InProgressLate => self.in_progress_late += 1,
        }
        if f.supplements_in_period > 0 {
            self.supplement_requested += 1;
        }
        if timely {
            self.timely += 1;
        }
        if let Some((at, DossierStatus::ResultReady | DossierStatus::Returned)) = f.finish
            && at >= period.start
        {
            self.finished_with_result += 1;
            self.processing_seconds += (at - f.received_at).num_seconds().max(0);
            if f.e_result {
                self.results_electronic += 1;
            }
        }
    }

    pub fn merge(&mut self, o: &Tally) {
        self.add_times(o, 1);
    }

    /// 3.6: paid online ÷ billed.
    pub fn paid_online_rate(&self) -> Option<f64> {
        ratio(self.paid_online, self.charged)
    }

    /// 4.1: electronic results ÷ results issued.
    pub fn e_result_rate(&self) -> Option<f64> {
        ratio(self.results_electronic, self.finished_with_result)
    }

    /// 4.2: documents and result digitised ÷ received.
    pub fn digitised_rate(&self) -> Option<f64> {
        ratio(self.digitised, self.received_total())
    }

    /// 4.3: reused documents ÷ received.
    pub fn reuse_rate(&self) -> Option<f64> {
        ratio(self.reused, self.received_total())
    }

    /// 2.1: early or on time (in progress and not yet due included) ÷ processed.
    pub fn on_time_rate(&self) -> Option<f64> {
        ratio(self.timely, self.processed())
    }

    /// 3.3: online dossiers (an electronic copy of any paper result) ÷ received.
    pub fn online_share(&self) -> Option<f64> {
        ratio(self.online_counted, self.received_total())
    }

    /// Share of one channel (1 counter, 2 online, 3 post) among those received.
    pub fn channel_share(&self, channel: usize) -> Option<f64> {
        ratio(self.received[channel - 1], self.received_total())
    }

    /// 2.2: average days from reception to result, of those finished in the period.
    pub fn average_days(&self) -> Option<f64> {
        (self.finished_with_result > 0)
            .then(|| self.processing_seconds as f64 / self.finished_with_result as f64 / 86_400.0)
    }
}

pub fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The score an indicator earns: full marks at or above the threshold, proportional below
/// (766: score = rate × max ÷ threshold).
pub fn score(rate: f64, threshold: f64, max: f64) -> f64 {
    if rate >= threshold {
        max
    } else {
        (rate * max / threshold * 100.0).round() / 100.0
    }
}

/// "64,3 %" (Vietnamese decimal comma), or "—" with nothing to divide.
pub fn percent(rate: Option<f64>) -> String {
    match rate {
        Some(r) => format!("{:.1} %", r * 100.0).replace('.', ","),
        None => "—".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        to_utc(chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap())
    }

    fn october() -> Period {
        Period::of(PeriodKind::Month, 2026, 10, None).unwrap()
    }

    fn facts(received: &str, due: &str) -> Facts {
        Facts {
            channel: 2,
            received_at: at(received),
            finish: None,
            due_at: Some(at(due)),
            supplements: 0,
            last_supplement_at: None,
            supplements_in_period: 0,
            state_at_end: DossierStatus::Processing,
            waiting_since: None,
            e_result: true,
            has_files: true,
            reused: false,
            charged: false,
            paid_online: false,
        }
    }

    #[test]
    fn periods_follow_the_calendar_and_the_reporting_month() {
        let q4 = Period::of(PeriodKind::Quarter, 2026, 4, None).unwrap();
        assert_eq!(q4.label(), "01/10/2026 – 31/12/2026");
        let report = Period::of(PeriodKind::ReportMonth, 2026, 1, None).unwrap();
        assert_eq!(report.label(), "15/12/2025 – 14/01/2026");
        assert!(Period::of(PeriodKind::Month, 2026, 13, None).is_none());
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let custom = Period::of(
            PeriodKind::Custom,
            0,
            0,
            Some((d("2026-10-05"), d("2026-10-05"))),
        )
        .unwrap();
        assert_eq!(custom.until, d("2026-10-06"));
        assert!(
            Period::of(
                PeriodKind::Custom,
                0,
                0,
                Some((d("2026-10-05"), d("2026-10-01")))
            )
            .is_none()
        );
        // local midnight: 17:00 UTC the day before
        assert_eq!(
            october().start(),
            "2026-09-30T17:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
    }

    #[test]
    fn finishing_is_judged_against_the_first_appointment() {
        let now = at("2026-11-28 09:00");
        let end = october().end();
        let mut f = facts("2026-10-02 09:00", "2026-10-08 09:00");
        f.finish = Some((at("2026-10-05 09:00"), DossierStatus::ResultReady));
        assert_eq!(classify(&f, end, now), (Outcome::Early, true));
        f.finish = Some((at("2026-10-08 08:00"), DossierStatus::ResultReady));
        assert_eq!(classify(&f, end, now), (Outcome::OnTime, true));
        f.finish = Some((at("2026-10-08 10:00"), DossierStatus::Returned));
        assert_eq!(classify(&f, end, now), (Outcome::Late, false));
        // refusals, withdrawals and stops are finishes too, timely or not
        f.finish = Some((at("2026-10-09 09:00"), DossierStatus::Stopped));
        assert_eq!(classify(&f, end, now), (Outcome::Stopped, false));
    }

    #[test]
    fn a_second_supplement_request_is_late_and_waiting_counts_from_the_request() {
        let now = at("2026-11-28 09:00");
        let end = october().end();
        let mut f = facts("2026-10-06 09:00", "2026-10-25 09:00");
        f.supplements = 2;
        f.finish = Some((at("2026-10-20 09:00"), DossierStatus::ResultReady));
        assert_eq!(classify(&f, end, now), (Outcome::Late, false));
        let mut w = facts("2026-10-12 09:00", "2026-10-20 09:00");
        w.supplements = 1;
        w.last_supplement_at = Some(at("2026-10-14 09:00"));
        w.state_at_end = DossierStatus::SupplementRequested;
        assert_eq!(classify(&w, end, now), (Outcome::WaitingSupplement, true));
    }

    #[test]
    fn a_dossier_closed_while_waiting_for_the_citizen_is_judged_at_the_request() {
        let mut f = facts("2026-10-01 09:00", "2026-10-20 09:00");
        f.supplements = 1;
        f.last_supplement_at = Some(at("2026-10-05 09:00"));
        f.waiting_since = Some(at("2026-10-05 09:00"));
        f.finish = Some((at("2026-11-05 09:00"), DossierStatus::Stopped));
        let november = Period::of(PeriodKind::Month, 2026, 11, None).unwrap();
        assert_eq!(
            classify(&f, november.end(), at("2026-11-28 09:00")),
            (Outcome::Stopped, true)
        );
    }

    #[test]
    fn in_progress_is_judged_at_the_end_of_the_period_or_now() {
        let end = october().end();
        let f = facts("2026-10-10 09:00", "2026-10-25 09:00");
        assert_eq!(
            classify(&f, end, at("2026-11-28 09:00")),
            (Outcome::InProgressLate, false)
        );
        // the month is not over: judged today
        assert_eq!(
            classify(&f, end, at("2026-10-20 09:00")),
            (Outcome::InProgressWithin, true)
        );
    }

    #[test]
    fn online_share_leaves_out_paper_results_without_an_electronic_copy() {
        let now = at("2026-11-28 09:00");
        let p = october();
        let mut t = Tally::default();
        let mut with = facts("2026-10-02 09:00", "2026-10-08 09:00");
        with.finish = Some((at("2026-10-05 09:00"), DossierStatus::ResultReady));
        t.add(&with, p.bounds(), now);
        let mut without = with.clone();
        without.e_result = false;
        t.add(&without, p.bounds(), now);
        let mut counter = with.clone();
        counter.channel = 1;
        t.add(&counter, p.bounds(), now);
        assert_eq!(t.received, [1, 2, 0]);
        assert_eq!(t.online_counted, 1);
        assert_eq!(percent(t.online_share()), "33,3 %");
        assert_eq!(t.average_days(), Some(3.0));
        assert_eq!(score(0.4, 0.8, 20.0), 10.0);
        assert_eq!(score(0.9, 0.8, 20.0), 20.0);
    }
}
