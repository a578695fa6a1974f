//! The instant the back office acts at: the system's clock, or in tests one the test sets, so
//! that a test of "accepted at 16:00" or "asked four working days later" passes its instants
//! explicitly instead of depending on when it runs.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};

/// The system clock, or a fixed instant shared by every clone (tests move it with `set`).
#[derive(Clone, Debug, Default)]
pub struct Clock(Option<Arc<RwLock<DateTime<Utc>>>>);

impl Clock {
    /// The system's clock.
    pub fn system() -> Self {
        Self(None)
    }

    /// A clock that stays at `at` until it is set again.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self(Some(Arc::new(RwLock::new(at))))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.0 {
            None => Utc::now(),
            Some(at) => *at.read().unwrap_or_else(std::sync::PoisonError::into_inner),
        }
    }

    /// Moves a fixed clock (and every clone of it) to `at`; the system clock is not moved.
    pub fn set(&self, at: DateTime<Utc>) {
        if let Some(fixed) = &self.0 {
            *fixed
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = at;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_stays_where_it_is_set_and_its_clones_follow() {
        let at = DateTime::parse_from_rfc3339("2027-03-01T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let clock = Clock::fixed(at);
        let other = clock.clone();
        assert_eq!(other.now(), at);
        let later = at + chrono::Duration::hours(7);
        clock.set(later);
        assert_eq!(other.now(), later);
        // the system clock moves by itself and ignores `set`
        let past = DateTime::parse_from_rfc3339("2020-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let system = Clock::system();
        system.set(past);
        assert!(system.now() > past);
    }
}
