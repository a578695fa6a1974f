//! Dossier codes (mã số hồ sơ, DOMAIN.md §2.1): `<agency electronic ID>-<YYMMDD>-<sequence>`,
//! the sequence counting the dossiers an agency received that day, at least four digits,
//! issued atomically by PostgreSQL. And the short lookup PIN printed beside it.

use std::fmt;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use uuid::Uuid;

/// A dossier code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DossierCode(String);

/// True for an agency electronic ID as stored: dot-separated groups of digits and capitals,
/// at most 35 characters (QCVN 102:2016 or QĐ 20/2020; never parsed further).
pub fn is_agency_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 35
        && code.split('.').all(|g| {
            !g.is_empty()
                && g.bytes()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        })
}

impl DossierCode {
    /// The code of the `sequence`-th dossier an agency received on `day`.
    pub fn new(agency_code: &str, day: NaiveDate, sequence: u32) -> Option<Self> {
        (is_agency_code(agency_code) && sequence > 0)
            .then(|| Self(format!("{}{sequence:04}", prefix(agency_code, day))))
    }

    /// Reads a code as printed, e.g. `000.00.53.H48-220921-0099` or `H15.50.05.13-261008-0975`.
    pub fn parse(input: &str) -> Option<Self> {
        let input = input.trim();
        let (rest, sequence) = input.rsplit_once('-')?;
        let (agency, day) = rest.rsplit_once('-')?;
        let sequence_ok = sequence.len() >= 4
            && sequence.len() <= 10
            && sequence.bytes().all(|b| b.is_ascii_digit());
        let day_ok =
            day.len() == 6 && NaiveDate::parse_from_str(&format!("20{day}"), "%Y%m%d").is_ok();
        (sequence_ok && day_ok && is_agency_code(agency)).then(|| Self(input.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DossierCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `<agency e-ID>-<YYMMDD>-`, what every code of the agency and day starts with.
fn prefix(agency_code: &str, day: NaiveDate) -> String {
    format!("{agency_code}-{}-", day_digits(day))
}

/// The day as a code writes it: `YYMMDD`.
pub fn day_digits(day: NaiveDate) -> String {
    day.format("%y%m%d").to_string()
}

/// Takes the next sequence of an agency for a day from `$rows` (agency code, day, 1): the
/// counter's row, made or incremented and locked to the end of the transaction; returns the
/// agency code and the sequence. One text for [`issue`] and the online submission
/// (`repo::submit`).
macro_rules! next_sequence {
    ($rows:literal) => {
        concat!(
            "insert into dossier_code_counters (agency_code, day, last_value) ",
            $rows,
            " on conflict (agency_code, day) do update \
               set last_value = dossier_code_counters.last_value + 1 \
             returning agency_code, last_value"
        )
    };
}
pub(crate) use next_sequence;

/// Takes the next code of `agency_code` for `day`, atomically: concurrent submissions on one
/// agency and day get distinct, consecutive sequences. Runs inside the caller's transaction,
/// so a rolled-back submission gives its number back.
pub async fn issue(
    conn: &mut PgConnection,
    agency_code: &str,
    day: NaiveDate,
) -> Result<Option<DossierCode>, sqlx::Error> {
    let (_, sequence): (String, i32) = sqlx::query_as(next_sequence!("values ($1, $2, 1)"))
        .bind(agency_code)
        .bind(day)
        .fetch_one(conn)
        .await?;
    Ok(u32::try_from(sequence)
        .ok()
        .and_then(|s| DossierCode::new(agency_code, day, s)))
}

/// Characters of a lookup PIN: no 0/O, 1/I/L to misread on a receipt.
const PIN_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const PIN_LENGTH: usize = 6;

/// A fresh lookup PIN.
pub fn new_pin() -> String {
    (0..PIN_LENGTH)
        .map(|_| PIN_ALPHABET[rand::random_range(0..PIN_ALPHABET.len())] as char)
        .collect()
}

/// What is stored of a PIN: its hash, salted with the dossier's id.
pub fn pin_hash(dossier: Uuid, pin: &str) -> String {
    let pin = pin.trim().to_uppercase();
    hex::encode(Sha256::digest(format!("{dossier}:{pin}").as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn codes_read_agency_date_and_a_four_digit_sequence() {
        let code = DossierCode::new("000.00.53.H48", day(2022, 9, 21), 99).unwrap();
        assert_eq!(code.as_str(), "000.00.53.H48-220921-0099");
        assert_eq!(
            DossierCode::new("H15.50.05.13", day(2026, 10, 8), 12_345)
                .unwrap()
                .as_str(),
            "H15.50.05.13-261008-12345"
        );
        assert_eq!(
            DossierCode::new("h48", day(2026, 1, 1), 1),
            None,
            "agency codes are capitals"
        );
        assert_eq!(DossierCode::new("H48", day(2026, 1, 1), 0), None);
    }

    #[test]
    fn real_codes_parse_and_malformed_ones_do_not() {
        for real in [
            "000.00.53.H48-220921-0099",
            "H15.50.05.13-261008-0975",
            "G01.001.00-260105-090001",
        ] {
            assert_eq!(
                DossierCode::parse(real).map(|c| c.0),
                Some(real.to_owned()),
                "{real}"
            );
        }
        for bad in [
            "",
            "H48-220921",
            "H48-221321-0001",
            "H48-220921-01",
            "h48-220921-0001",
            "H48--220921-0001",
            "H48-220921-00x1",
        ] {
            assert_eq!(DossierCode::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn pins_are_short_unambiguous_and_checked_by_hash() {
        let pin = new_pin();
        assert_eq!(pin.len(), 6);
        assert!(pin.bytes().all(|b| PIN_ALPHABET.contains(&b)));
        let id = Uuid::new_v4();
        assert_eq!(
            pin_hash(id, &pin),
            pin_hash(id, &format!(" {} ", pin.to_lowercase()))
        );
        assert_ne!(
            pin_hash(id, &pin),
            pin_hash(Uuid::new_v4(), &pin),
            "salted by dossier"
        );
    }
}
