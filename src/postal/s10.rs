//! UPU S10 item numbers as VNPost uses them: two letters, an eight-digit serial, a check digit
//! by the S10 weighted sum, "VN" (e.g. `EB123456785VN`).

/// The check digit of an eight-digit serial (weights 8 6 4 2 3 5 9 7; 11 − sum mod 11, where
/// 10 → 0 and 11 → 5).
pub fn check_digit(serial: u32) -> Option<u32> {
    if serial > 99_999_999 {
        return None;
    }
    let digits = format!("{serial:08}");
    let sum: u32 = digits
        .bytes()
        .zip([8, 6, 4, 2, 3, 5, 9, 7])
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    Some(match 11 - sum % 11 {
        10 => 0,
        11 => 5,
        c => c,
    })
}

/// An item number from a prefix and a serial.
pub fn item_number(prefix: &str, serial: u32, country: &str) -> Option<String> {
    let ok = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase());
    if !ok(prefix) || !ok(country) {
        return None;
    }
    Some(format!(
        "{prefix}{serial:08}{}{country}",
        check_digit(serial)?
    ))
}

/// Why an item number is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum S10Error {
    Shape,
    CheckDigit,
}

/// Checks a typed item number (spaces and case forgiven); the canonical form.
pub fn parse(input: &str) -> Result<String, S10Error> {
    let s: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let b = s.as_bytes();
    let shape = b.len() == 13
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..11].iter().all(u8::is_ascii_digit)
        && b[11..].iter().all(u8::is_ascii_uppercase);
    if !shape {
        return Err(S10Error::Shape);
    }
    let serial: u32 = s[2..10].parse().map_err(|_| S10Error::Shape)?;
    let given = u32::from(b[10] - b'0');
    if check_digit(serial) == Some(given) {
        Ok(s)
    } else {
        Err(S10Error::CheckDigit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits_follow_the_s10_rule() {
        // the UPU standard's own example
        assert_eq!(check_digit(47_312_482), Some(9));
        assert_eq!(parse("RR473124829GB"), Ok("RR473124829GB".into()));
        // the remainders that map to 0 (11 − 1 = 10) and to 5 (11 − 0 = 11) both occur
        let digits: Vec<u32> = (0..2000).map(|s| check_digit(s).unwrap()).collect();
        assert!(digits.iter().all(|c| *c <= 9));
        let sum = |s: u32| -> u32 {
            format!("{s:08}")
                .bytes()
                .zip([8, 6, 4, 2, 3, 5, 9, 7])
                .map(|(d, w)| u32::from(d - b'0') * w)
                .sum()
        };
        let ten = (0..2000).find(|s| sum(*s) % 11 == 1).unwrap();
        let eleven = (0..2000).find(|s| sum(*s) % 11 == 0).unwrap();
        assert_eq!(check_digit(ten), Some(0));
        assert_eq!(check_digit(eleven), Some(5));
        assert_eq!(
            item_number("EB", 12_345_678, "VN").as_deref(),
            Some("EB123456785VN")
        );
        assert_eq!(parse("eb 1234 5678 5 vn"), Ok("EB123456785VN".into()));
    }

    #[test]
    fn wrong_numbers_are_refused() {
        assert_eq!(parse("EB123456784VN"), Err(S10Error::CheckDigit));
        assert_eq!(parse("EB12345678VN"), Err(S10Error::Shape));
        assert_eq!(parse("E1123456785VN"), Err(S10Error::Shape));
        assert_eq!(parse(""), Err(S10Error::Shape));
        assert_eq!(item_number("eb", 1, "VN"), None);
        assert_eq!(check_digit(100_000_000), None);
    }
}
