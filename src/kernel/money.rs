//! Amounts of money: whole Vietnamese đồng, never floats.

/// Formats whole đồng the Vietnamese way: `1.000.000 ₫` (dot for thousands, a no-break space
/// before the sign).
pub fn format_vnd(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 4);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    let sign = if amount < 0 { "-" } else { "" };
    format!("{sign}{grouped}\u{a0}₫")
}

/// Whole đồng typed by an official: digits, with dots or spaces between thousands.
pub fn parse_vnd(input: &str) -> Option<i64> {
    let digits: String = input
        .trim()
        .trim_end_matches('₫')
        .trim_end_matches("đ")
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '\u{a0}'))
        .collect();
    digits
        .parse::<i64>()
        .ok()
        .filter(|v| *v > 0 && *v <= 10_000_000_000)
}

#[cfg(test)]
mod tests {
    use super::format_vnd;

    #[test]
    fn groups_thousands_with_dots() {
        assert_eq!(format_vnd(0), "0\u{a0}₫");
        assert_eq!(format_vnd(999), "999\u{a0}₫");
        assert_eq!(format_vnd(1_000), "1.000\u{a0}₫");
        assert_eq!(format_vnd(15_000), "15.000\u{a0}₫");
        assert_eq!(format_vnd(200_000), "200.000\u{a0}₫");
        assert_eq!(format_vnd(1_000_000), "1.000.000\u{a0}₫");
        assert_eq!(format_vnd(1_234_567_890), "1.234.567.890\u{a0}₫");
        assert_eq!(format_vnd(-50_000), "-50.000\u{a0}₫");
    }
}
