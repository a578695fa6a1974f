//! Deadlines (thời hạn giải quyết): the working-day calendar as data, and the legal clock.
//! The back office (issue 5) starts and reads the clock with these.
//!
//! Owns `calendar_days` and `office_hours`.

pub mod calendar;
pub mod repo;

pub use calendar::{Calendar, DayKind, Timeliness};
