//! Loading the calendar.

use chrono::{Datelike, NaiveDate, NaiveTime};
use sqlx::PgConnection;

use super::calendar::{Calendar, DayKind};

/// The calendar in force: every listed day and the default office hours.
pub async fn load(conn: &mut PgConnection) -> Result<Calendar, sqlx::Error> {
    load_for(conn, None).await
}

/// The calendar with an agency's own office hours, where it has some (else the default ones).
pub async fn load_for(
    conn: &mut PgConnection,
    agency: Option<uuid::Uuid>,
) -> Result<Calendar, sqlx::Error> {
    let days: Vec<(NaiveDate, String)> = sqlx::query_as("select day, kind from calendar_days")
        .fetch_all(&mut *conn)
        .await?;
    let hours: Vec<(NaiveTime, NaiveTime)> = sqlx::query_as(
        "with own as (select opens, closes from office_hours where agency_id = $1 \
                and valid_from <= current_date and (valid_to is null or valid_to > current_date)) \
         select opens, closes from own \
         union all \
         select opens, closes from office_hours where agency_id is null and not exists (select 1 from own) \
           and valid_from <= current_date and (valid_to is null or valid_to > current_date) \
         order by opens",
    )
    .bind(agency)
    .fetch_all(conn)
    .await?;
    // the years with holidays entered: the calendar knows up to the end of the last one
    let last_holiday = days
        .iter()
        .filter(|(_, kind)| kind == "holiday")
        .map(|(day, _)| day.year())
        .max();
    let known_until = last_holiday.and_then(|year| NaiveDate::from_ymd_opt(year, 12, 31));
    Ok(Calendar::new(
        days.into_iter()
            .filter_map(|(day, kind)| DayKind::parse(&kind).map(|k| (day, k))),
        hours,
    )
    .known_until(known_until))
}
