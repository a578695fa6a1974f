//! Vietnam's time (UTC+7 all year, no summer time) and the one way the portal writes an
//! instant for people: `hh:mm dd/mm/yyyy`, the order of the administrative forms ("08 giờ 30
//! phút, ngày …").

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};

/// Vietnam's local time of an instant.
pub fn to_local(at: DateTime<Utc>) -> NaiveDateTime {
    (at + Duration::hours(7)).naive_utc()
}

/// The instant of a local time in Vietnam.
pub fn to_utc(local: NaiveDateTime) -> DateTime<Utc> {
    DateTime::from_naive_utc_and_offset(local - Duration::hours(7), Utc)
}

/// Today in Vietnam: the day of a receipt, of a code, of what is in force (the same day as
/// `current_date` in the portal's database sessions, `db::prepare_session`).
pub fn today() -> NaiveDate {
    to_local(Utc::now()).date()
}

/// An instant as people read it: `hh:mm dd/mm/yyyy`, Vietnam time.
pub fn format_local(at: DateTime<Utc>) -> String {
    to_local(at).format("%H:%M %d/%m/%Y").to_string()
}

/// A day as people read it: `dd/mm/yyyy`.
pub fn format_date(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnam_is_seven_hours_ahead_all_year_and_written_hours_first() {
        let at = "2027-01-31T17:05:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(format_local(at), "00:05 01/02/2027");
        assert_eq!(to_utc(to_local(at)), at);
        assert_eq!(format_date(to_local(at).date()), "01/02/2027");
    }
}
