//! Amounts in Vietnamese words, as receipts print them ("Ba mươi nghìn đồng").

const DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];
const GROUPS: [&str; 4] = ["", "nghìn", "triệu", "tỷ"];

/// Words of a group of three digits; `full` spells the hundreds even when zero (an inner group:
/// "không trăm linh năm").
fn group(n: u64, full: bool) -> Vec<&'static str> {
    let (h, t, u) = (
        (n / 100) as usize,
        ((n / 10) % 10) as usize,
        (n % 10) as usize,
    );
    let mut w = Vec::new();
    if h > 0 || full {
        w.extend([DIGITS[h], "trăm"]);
    }
    match (t, u) {
        (0, 0) => {}
        (0, u) => {
            if h > 0 || full {
                w.push("linh");
            }
            w.push(DIGITS[u]);
        }
        (1, u) => {
            w.push("mười");
            match u {
                0 => {}
                5 => w.push("lăm"),
                u => w.push(DIGITS[u]),
            }
        }
        (t, u) => {
            w.extend([DIGITS[t], "mươi"]);
            match u {
                0 => {}
                1 => w.push("mốt"),
                5 => w.push("lăm"),
                u => w.push(DIGITS[u]),
            }
        }
    }
    w
}

/// Whole đồng in words, capitalised, ending in "đồng".
pub fn vnd_in_words(amount: u64) -> String {
    if amount == 0 {
        return "Không đồng".to_owned();
    }
    // groups of three digits, most significant first; past "tỷ" the scale repeats
    // ("nghìn tỷ", "triệu tỷ")
    let mut groups = Vec::new();
    let mut n = amount;
    while n > 0 {
        groups.push(n % 1000);
        n /= 1000;
    }
    let mut words: Vec<&str> = Vec::new();
    let top = groups.len() - 1;
    for (i, g) in groups.iter().enumerate().rev() {
        if *g == 0 {
            if i % 3 == 0 && i > 0 && words.last() != Some(&"tỷ") && i < top {
                words.push("tỷ");
            }
            continue;
        }
        words.extend(group(*g, i < top));
        let scale = i % 3;
        if scale > 0 {
            words.push(GROUPS[scale]);
        }
        if i >= 3 && i % 3 == 0 {
            words.push("tỷ");
        }
    }
    let text = format!("{} đồng", words.join(" "));
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_read_amounts_as_vietnamese_words() {
        for (n, words) in [
            (0, "Không đồng"),
            (5_000, "Năm nghìn đồng"),
            (15_000, "Mười lăm nghìn đồng"),
            (21_000, "Hai mươi mốt nghìn đồng"),
            (25_000, "Hai mươi lăm nghìn đồng"),
            (30_000, "Ba mươi nghìn đồng"),
            (105_000, "Một trăm linh năm nghìn đồng"),
            (110_000, "Một trăm mười nghìn đồng"),
            (1_000_000, "Một triệu đồng"),
            (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
            (2_350_500, "Hai triệu ba trăm năm mươi nghìn năm trăm đồng"),
            (1_000_000_000, "Một tỷ đồng"),
            (
                12_040_000_001,
                "Mười hai tỷ không trăm bốn mươi triệu không trăm linh một đồng",
            ),
        ] {
            assert_eq!(vnd_in_words(n), words, "{n}");
        }
    }
}
