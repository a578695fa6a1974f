//! The working-day calendar and the legal clock (DOMAIN.md §6, Decree 118 Arts. 17–19):
//! due time = the start advanced by N working days keeping the clock time, or by N working
//! hours counted inside office hours; the 15:00 cut-off. Pure: the calendar comes from data.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

/// How a listed day differs from "Monday to Friday works".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// A public holiday.
    Holiday,
    /// A day off for a holiday that fell on a weekend.
    Compensation,
    /// A swapped day off (worked back on a Saturday).
    Bridge,
    /// A Saturday worked to make up for a bridge.
    MakeupWorkday,
}

impl DayKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "holiday" => Some(Self::Holiday),
            "compensation" => Some(Self::Compensation),
            "bridge" => Some(Self::Bridge),
            "makeup_workday" => Some(Self::MakeupWorkday),
            _ => None,
        }
    }
}

/// Working days and office hours.
#[derive(Debug, Clone)]
pub struct Calendar {
    special: HashMap<NaiveDate, DayKind>,
    /// Office hours of a working day, in order (e.g. 07:30–11:30, 13:30–17:30).
    hours: Vec<(NaiveTime, NaiveTime)>,
    /// The last day whose year has its holidays entered (None: no limit, for calendars made in
    /// code); past it every weekday would look like a working day.
    known_until: Option<NaiveDate>,
}

/// The clock time after which a counter dossier is forwarded the next working day.
pub fn cutoff() -> NaiveTime {
    NaiveTime::from_hms_opt(15, 0, 0).unwrap_or(NaiveTime::MIN)
}

impl Calendar {
    pub fn new(
        special: impl IntoIterator<Item = (NaiveDate, DayKind)>,
        mut hours: Vec<(NaiveTime, NaiveTime)>,
    ) -> Self {
        hours.sort();
        Self {
            special: special.into_iter().collect(),
            hours,
            known_until: None,
        }
    }

    /// The calendar knows its days up to `until` (the end of the last year with holidays).
    pub fn known_until(mut self, until: Option<NaiveDate>) -> Self {
        self.known_until = until;
        self
    }

    /// Whether `day` lies within the years whose holidays are entered: a due time past them is
    /// not computed (the clock would count every weekday as working).
    pub fn knows(&self, day: NaiveDate) -> bool {
        self.known_until.is_none_or(|until| day <= until)
    }

    /// The last day the calendar knows, if it is limited.
    pub fn horizon(&self) -> Option<NaiveDate> {
        self.known_until
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        match self.special.get(&day) {
            Some(DayKind::MakeupWorkday) => true,
            Some(_) => false,
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The first working day after `day`.
    pub fn next_working_day(&self, day: NaiveDate) -> NaiveDate {
        let mut d = day + Duration::days(1);
        while !self.is_working_day(d) {
            d += Duration::days(1);
        }
        d
    }

    /// When the office opens on a day.
    pub fn opening(&self, day: NaiveDate) -> NaiveDateTime {
        day.and_time(self.hours.first().map_or(NaiveTime::MIN, |h| h.0))
    }

    /// `start` advanced by `n` working days, keeping the clock time (DOMAIN §6.1: received
    /// 08:37 Wed 20/11/2019, 25 working days → due 08:37 Wed 25/12/2019).
    pub fn add_working_days(&self, start: NaiveDateTime, n: u32) -> NaiveDateTime {
        let mut day = start.date();
        for _ in 0..n {
            day = self.next_working_day(day);
        }
        day.and_time(start.time())
    }

    /// `start` advanced by `hours` working hours, counted only inside office hours of working
    /// days (8 working hours = 1 working day).
    pub fn add_working_hours(&self, start: NaiveDateTime, hours: u32) -> NaiveDateTime {
        self.add_working_time(start, Duration::hours(i64::from(hours)))
    }

    /// `start` advanced by `span` of working time (office hours of working days).
    pub fn add_working_time(&self, start: NaiveDateTime, span: Duration) -> NaiveDateTime {
        let mut left = span;
        let mut at = start;
        if left <= Duration::zero() {
            return at;
        }
        if self.hours.is_empty() {
            return at;
        }
        loop {
            if self.is_working_day(at.date()) {
                for (opens, closes) in &self.hours {
                    let from = at.max(at.date().and_time(*opens));
                    let until = at.date().and_time(*closes);
                    if from >= until {
                        continue;
                    }
                    let available = until - from;
                    if left <= available {
                        return from + left;
                    }
                    left -= available;
                    at = until;
                }
            }
            at = self.opening(self.next_working_day(at.date()));
        }
    }

    /// The instant `span` of working time before `end` (the inverse of `add_working_time`):
    /// for "received more than 8 working hours ago" as one indexed comparison.
    pub fn sub_working_time(&self, end: NaiveDateTime, span: Duration) -> NaiveDateTime {
        let mut left = span;
        let mut at = end;
        if left <= Duration::zero() || self.hours.is_empty() {
            return at;
        }
        loop {
            if self.is_working_day(at.date()) {
                for (opens, closes) in self.hours.iter().rev() {
                    let from = at.date().and_time(*opens);
                    let until = at.min(at.date().and_time(*closes));
                    if until <= from {
                        continue;
                    }
                    let available = until - from;
                    if left <= available {
                        return until - left;
                    }
                    left -= available;
                    at = from;
                }
            }
            let mut day = at.date() - Duration::days(1);
            while !self.is_working_day(day) {
                day -= Duration::days(1);
            }
            at = day.and_time(self.hours.last().map_or(NaiveTime::MIN, |h| h.1));
        }
    }

    /// The working time (office hours of working days) between two instants; zero if `to`
    /// is not after `from`.
    pub fn working_time_between(&self, from: NaiveDateTime, to: NaiveDateTime) -> Duration {
        let mut total = Duration::zero();
        let mut day = from.date();
        while day <= to.date() {
            if self.is_working_day(day) {
                for (opens, closes) in &self.hours {
                    let a = from.max(day.and_time(*opens));
                    let b = to.min(day.and_time(*closes));
                    if b > a {
                        total += b - a;
                    }
                }
            }
            let Some(next) = day.succ_opt() else { break };
            day = next;
        }
        total
    }

    /// The appointment as the national statistics judge it (QĐ 766 indicator 2.1): the first
    /// appointment moved by the working time spent waiting for supplements. Decree 118 instead
    /// restarts the clock when the supplement arrives; both are kept.
    pub fn statistics_due(
        &self,
        first_due: NaiveDateTime,
        pauses: &[(NaiveDateTime, NaiveDateTime)],
    ) -> NaiveDateTime {
        let paused = pauses.iter().fold(Duration::zero(), |sum, (a, b)| {
            sum + self.working_time_between(*a, *b)
        });
        self.add_working_time(first_due, paused)
    }

    /// The deadline by which a counter dossier accepted at `accepted` must be forwarded to the
    /// deciding agency (Decree 118 Art. 18(2)): the end of the same working day, or the next
    /// working day's opening when accepted after 15:00 (or on a day off).
    pub fn forward_by(&self, accepted: NaiveDateTime) -> NaiveDateTime {
        let closing = self.hours.last().map_or(NaiveTime::MIN, |h| h.1);
        if self.is_working_day(accepted.date()) && accepted.time() < cutoff() {
            accepted.date().and_time(closing)
        } else {
            self.opening(self.next_working_day(accepted.date()))
        }
    }

    /// When the legal clock starts for a dossier accepted at `accepted`: at once, or — for
    /// procedures with that rule — at the next working day's opening when accepted after 15:00.
    pub fn clock_start(
        &self,
        accepted: NaiveDateTime,
        next_day_after_cutoff: bool,
    ) -> NaiveDateTime {
        let closing = self.hours.last().map_or(NaiveTime::MIN, |h| h.1);
        let day = accepted.date();
        if !self.is_working_day(day) || accepted.time() >= closing {
            // received on a day off or after hours (online, by post): from the next opening
            self.opening(self.next_working_day(day))
        } else if next_day_after_cutoff && accepted.time() >= cutoff() {
            self.opening(self.next_working_day(day))
        } else {
            accepted.max(self.opening(day))
        }
    }
}

impl Calendar {
    /// The legal due time of a procedure's limit counted from `start`.
    pub fn due(
        &self,
        start: NaiveDateTime,
        value: Option<i32>,
        unit: crate::catalogue::domain::TimeUnit,
    ) -> NaiveDateTime {
        use crate::catalogue::domain::TimeUnit;
        let n = u32::try_from(value.unwrap_or(0)).unwrap_or(0);
        match unit {
            TimeUnit::WorkingDays => self.add_working_days(start, n),
            TimeUnit::WorkingHours => self.add_working_hours(start, n),
            TimeUnit::Days => start + Duration::days(i64::from(n)),
            // the same day, by closing time
            TimeUnit::SameDay => start
                .date()
                .and_time(self.hours.last().map_or(NaiveTime::MIN, |h| h.1))
                .max(start),
        }
    }
}

pub use crate::kernel::time::{to_local, to_utc, today};

/// How a dossier or a hand-over finished against its due time (DOMAIN §6.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    Early,
    OnTime,
    Late,
}

/// Early before the due day, on time on the due day up to the due time, late after it.
pub fn timeliness(done: NaiveDateTime, due: NaiveDateTime) -> Timeliness {
    if done > due {
        Timeliness::Late
    } else if done.date() < due.date() {
        Timeliness::Early
    } else {
        Timeliness::OnTime
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_is_the_day_in_vietnam() {
        use chrono::TimeZone;
        // 17:30 UTC on 1 March is 00:30 on 2 March in Quảng Ngãi
        let at = chrono::Utc.with_ymd_and_hms(2026, 3, 1, 17, 30, 0).unwrap();
        assert_eq!(
            to_local(at).date(),
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
        );
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn office() -> Vec<(NaiveTime, NaiveTime)> {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        vec![(t(13, 30), t(17, 30)), (t(7, 30), t(11, 30))]
    }

    /// The 2026 days of the seeded calendar that matter below.
    fn calendar_2026() -> Calendar {
        Calendar::new(
            [
                (day(2026, 1, 1), DayKind::Holiday),
                (day(2026, 1, 2), DayKind::Bridge),
                (day(2026, 1, 10), DayKind::MakeupWorkday),
                (day(2026, 2, 16), DayKind::Holiday),
                (day(2026, 2, 17), DayKind::Holiday),
                (day(2026, 2, 18), DayKind::Holiday),
                (day(2026, 2, 19), DayKind::Holiday),
                (day(2026, 2, 20), DayKind::Holiday),
                (day(2026, 4, 27), DayKind::Compensation),
            ],
            office(),
        )
    }

    #[test]
    fn working_time_counts_office_hours_of_working_days_only() {
        let c = calendar_2026();
        // Fri 08:00 → Mon 08:00: Friday's 7.5 h left plus Monday's 30 minutes
        assert_eq!(
            c.working_time_between(at(2026, 3, 6, 8, 0), at(2026, 3, 9, 8, 0)),
            Duration::minutes(7 * 60 + 30 + 30)
        );
        assert_eq!(
            c.working_time_between(at(2026, 3, 9, 8, 0), at(2026, 3, 6, 8, 0)),
            Duration::zero()
        );
        // Tết 2026 counts nothing
        assert_eq!(
            c.working_time_between(at(2026, 2, 16, 0, 0), at(2026, 2, 20, 23, 0)),
            Duration::zero()
        );
    }

    #[test]
    fn a_dossier_received_on_a_day_off_or_after_hours_starts_at_the_next_opening() {
        let c = calendar_2026();
        // Saturday 10:00 → Monday 07:30, then 5 working days → the next Monday 07:30
        let start = c.clock_start(at(2026, 3, 7, 10, 0), false);
        assert_eq!(start, at(2026, 3, 9, 7, 30));
        assert_eq!(
            c.due(
                start,
                Some(5),
                crate::catalogue::domain::TimeUnit::WorkingDays
            ),
            at(2026, 3, 16, 7, 30)
        );
        // after closing, and before opening
        assert_eq!(
            c.clock_start(at(2026, 3, 9, 20, 0), false),
            at(2026, 3, 10, 7, 30)
        );
        assert_eq!(
            c.clock_start(at(2026, 3, 9, 6, 0), false),
            at(2026, 3, 9, 7, 30)
        );
        // in office hours: at once
        assert_eq!(
            c.clock_start(at(2026, 3, 9, 9, 15), false),
            at(2026, 3, 9, 9, 15)
        );
    }

    #[test]
    fn subtracting_working_time_inverts_adding_it() {
        let c = calendar_2026();
        // Monday 09:00 minus 8 working hours = Friday 09:00
        assert_eq!(
            c.sub_working_time(at(2026, 3, 9, 9, 0), Duration::hours(8)),
            at(2026, 3, 6, 9, 0)
        );
        for start in [
            at(2026, 2, 13, 16, 0),
            at(2026, 3, 4, 11, 0),
            at(2026, 4, 24, 8, 0),
        ] {
            let end = c.add_working_hours(start, 8);
            assert_eq!(
                c.sub_working_time(end, Duration::hours(8)),
                start,
                "{start}"
            );
        }
    }

    #[test]
    fn forwarding_is_same_day_before_15_and_next_morning_after() {
        let c = calendar_2026();
        assert_eq!(c.forward_by(at(2026, 3, 4, 14, 59)), at(2026, 3, 4, 17, 30));
        assert_eq!(c.forward_by(at(2026, 3, 4, 15, 0)), at(2026, 3, 5, 7, 30));
        // Friday after 15:00 → Monday's opening; the eve of Tết → after Tết
        assert_eq!(c.forward_by(at(2026, 3, 6, 16, 0)), at(2026, 3, 9, 7, 30));
        assert_eq!(
            c.forward_by(at(2026, 2, 13, 15, 30)),
            at(2026, 2, 23, 7, 30)
        );
    }

    #[test]
    fn a_calendar_knows_only_the_years_whose_holidays_are_entered() {
        let unlimited = calendar_2026();
        assert!(unlimited.knows(NaiveDate::from_ymd_opt(2030, 1, 2).unwrap()));
        let known = calendar_2026().known_until(NaiveDate::from_ymd_opt(2026, 12, 31));
        assert!(known.knows(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()));
        assert!(!known.knows(NaiveDate::from_ymd_opt(2027, 1, 4).unwrap()));
        assert_eq!(known.horizon(), NaiveDate::from_ymd_opt(2026, 12, 31));
    }

    #[test]
    fn the_statistics_exclude_the_supplement_interval() {
        let c = calendar_2026();
        let first_due = at(2026, 3, 16, 9, 0);
        // two working days waiting (Tue 09:00 → Thu 09:00)
        let pauses = [(at(2026, 3, 10, 9, 0), at(2026, 3, 12, 9, 0))];
        assert_eq!(c.statistics_due(first_due, &pauses), at(2026, 3, 18, 9, 0));
        assert_eq!(c.statistics_due(first_due, &[]), first_due);
    }

    #[test]
    fn the_clock_restarts_from_zero_after_a_supplement() {
        // Decree 118 Art. 19(5): 5 working days counted again from the supplement's arrival
        let c = calendar_2026();
        let arrived = at(2026, 3, 12, 10, 0);
        let restarted = c.due(
            c.clock_start(arrived, false),
            Some(5),
            crate::catalogue::domain::TimeUnit::WorkingDays,
        );
        assert_eq!(restarted, at(2026, 3, 19, 10, 0));
    }

    #[test]
    fn the_worked_example_of_the_regulation() {
        let calendar = Calendar::new([], office());
        assert_eq!(
            calendar.add_working_days(at(2019, 11, 20, 8, 37), 25),
            at(2019, 12, 25, 8, 37)
        );
    }

    #[test]
    fn holidays_bridges_and_compensation_days_do_not_count_but_makeup_saturdays_do() {
        let c = calendar_2026();
        // Wed 31/12/2025 + 1: Thu 1/1 holiday, Fri 2/1 bridge → Mon 5/1
        assert_eq!(
            c.add_working_days(at(2025, 12, 31, 9, 0), 1),
            at(2026, 1, 5, 9, 0)
        );
        // Fri 9/1 + 1 → Sat 10/1, a make-up working Saturday
        assert_eq!(
            c.add_working_days(at(2026, 1, 9, 10, 0), 1),
            at(2026, 1, 10, 10, 0)
        );
        // Fri 13/2 + 1: Tết 16–20/2 → Mon 23/2
        assert_eq!(
            c.add_working_days(at(2026, 2, 13, 14, 0), 1),
            at(2026, 2, 23, 14, 0)
        );
        // Fri 24/4 + 1: Mon 27/4 compensation day for Hùng Kings' Sunday → Tue 28/4
        assert_eq!(
            c.add_working_days(at(2026, 4, 24, 8, 0), 1),
            at(2026, 4, 28, 8, 0)
        );
        assert!(!c.is_working_day(day(2026, 1, 3)), "an ordinary Saturday");
    }

    #[test]
    fn working_hours_count_only_office_hours() {
        let c = calendar_2026();
        // Mon 9/3 10:00 + 2 h: 1.5 h before lunch, 0.5 h after → 14:00
        assert_eq!(
            c.add_working_hours(at(2026, 3, 9, 10, 0), 2),
            at(2026, 3, 9, 14, 0)
        );
        // 8 working hours from Mon 16:00: 1.5 h Monday, then 4 h Tuesday morning and 2.5 h
        // after lunch → Tue 16:00
        assert_eq!(
            c.add_working_hours(at(2026, 3, 9, 16, 0), 8),
            at(2026, 3, 10, 16, 0)
        );
        // arriving in the evening counts from the next opening
        assert_eq!(
            c.add_working_hours(at(2026, 3, 9, 19, 0), 1),
            at(2026, 3, 10, 8, 30)
        );
        // over a weekend: Fri 17:00 + 1 h → Mon 08:00
        assert_eq!(
            c.add_working_hours(at(2026, 3, 13, 17, 0), 1),
            at(2026, 3, 16, 8, 0)
        );
        // 168 working hours = 21 working days
        assert_eq!(
            c.add_working_hours(at(2026, 3, 9, 7, 30), 168),
            at(2026, 4, 6, 17, 30)
        );
    }

    #[test]
    fn after_three_pm_the_clock_starts_next_morning_where_the_procedure_says_so() {
        let c = calendar_2026();
        assert_eq!(
            c.clock_start(at(2026, 3, 9, 15, 5), true),
            at(2026, 3, 10, 7, 30)
        );
        assert_eq!(
            c.clock_start(at(2026, 3, 9, 15, 5), false),
            at(2026, 3, 9, 15, 5)
        );
        assert_eq!(
            c.clock_start(at(2026, 3, 9, 14, 59), true),
            at(2026, 3, 9, 14, 59)
        );
        // Friday afternoon before Tết
        assert_eq!(
            c.clock_start(at(2026, 2, 13, 16, 0), true),
            at(2026, 2, 23, 7, 30)
        );
    }

    #[test]
    fn due_times_by_unit() {
        use crate::catalogue::domain::TimeUnit;
        let c = calendar_2026();
        let start = at(2026, 3, 9, 9, 0);
        assert_eq!(
            c.due(start, Some(7), TimeUnit::WorkingDays),
            at(2026, 3, 18, 9, 0)
        );
        assert_eq!(
            c.due(start, Some(4), TimeUnit::WorkingHours),
            at(2026, 3, 9, 15, 0)
        );
        assert_eq!(
            c.due(start, Some(10), TimeUnit::Days),
            at(2026, 3, 19, 9, 0)
        );
        assert_eq!(
            c.due(start, None, TimeUnit::SameDay),
            at(2026, 3, 9, 17, 30)
        );
        let utc = to_utc(start);
        assert_eq!(to_local(utc), start);
        assert_eq!(utc.format("%H:%M").to_string(), "02:00");
    }

    #[test]
    fn early_on_time_and_late() {
        let due = at(2026, 3, 10, 8, 37);
        assert_eq!(timeliness(at(2026, 3, 9, 16, 0), due), Timeliness::Early);
        assert_eq!(timeliness(at(2026, 3, 10, 8, 0), due), Timeliness::OnTime);
        assert_eq!(timeliness(at(2026, 3, 10, 8, 38), due), Timeliness::Late);
    }
}
