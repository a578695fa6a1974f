//! Folding Vietnamese text for search, the same way PostgreSQL's `f_fold` does it.

use unicode_normalization::UnicodeNormalization;

/// A per-cent figure with one decimal as the pages print it, the decimal comma in Vietnamese;
/// "—" when there is nothing to count.
pub fn percent(figure: Option<f64>, lang: super::Lang) -> String {
    figure.map_or_else(
        || "—".to_owned(),
        |f| {
            let text = format!("{f:.1} %");
            if lang == super::Lang::Vi {
                text.replace('.', ",")
            } else {
                text
            }
        },
    )
}

/// Lower case, tone and vowel marks removed, `đ` → `d`: "ĐĂNG KÝ Kết hôn" → "dang ky ket hon".
pub fn fold(input: &str) -> String {
    input
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// A name written in capitals (as national registers write them) in the usual way: each word's
/// first letter a capital, the rest small, diacritics kept ("NGUYỄN VĂN AN" → "Nguyễn Văn An").
pub fn name_case(input: &str) -> String {
    input
        .split_whitespace()
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// The search words of a query: folded, split on anything that is not a letter or a digit.
pub fn search_terms(input: &str) -> Vec<String> {
    fold(input)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The characters of the GSM 7-bit default alphabet (3GPP TS 23.038), one septet each.
const GSM7_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
    ¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// The extension table's characters (an escape and a septet each).
const GSM7_EXTENDED: &str = "^{}\\[~]|€\u{c}";

/// True when an SMS of this text goes out in the GSM 7-bit alphabet (160 characters a part)
/// rather than UCS-2 (70 a part).
pub fn is_gsm7(text: &str) -> bool {
    text.chars()
        .all(|c| GSM7_BASIC.contains(c) || GSM7_EXTENDED.contains(c))
}

/// A text as an SMS carries it in the GSM 7-bit alphabet: tone and vowel marks dropped, `đ` →
/// `d` and `Đ` → `D`, `₫` → `d`, case kept ("Ủy ban nhân dân phường Cẩm Thành" → "Uy ban nhan dan phuong
/// Cam Thanh"); dashes, curly quotes and ellipses as their plain forms, anything else the
/// alphabet lacks as "?". The templates are written so; this folds the data filled into them.
pub fn gsm7(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        match c {
            'đ' => out.push('d'),
            'Đ' => out.push('D'),
            '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '`' => out.push('\''),
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '«' | '»' => out.push('"'),
            '\u{2026}' => out.push_str("..."),
            '₫' => out.push('d'),
            '\t' | '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' => out.push(' '),
            c if GSM7_BASIC.contains(c) || GSM7_EXTENDED.contains(c) => out.push(c),
            _ => out.push('?'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_capitals_are_written_as_names() {
        assert_eq!(name_case("NGUYỄN VĂN AN"), "Nguyễn Văn An");
        assert_eq!(name_case("  TRẦN   THỊ ĐÀO "), "Trần Thị Đào");
        assert_eq!(name_case("Lê Văn Thấp"), "Lê Văn Thấp");
        assert_eq!(name_case(""), "");
    }

    #[test]
    fn sms_text_keeps_case_and_drops_every_mark() {
        let sms = gsm7("Hồ sơ đã được gửi đến Ủy ban nhân dân phường Cẩm Thành — “ĐẮK LẮK”…");
        assert_eq!(
            sms,
            "Ho so da duoc gui den Uy ban nhan dan phuong Cam Thanh - \"DAK LAK\"..."
        );
        assert!(is_gsm7(&sms));
        assert!(!is_gsm7("Cẩm Thành"));
        assert!(is_gsm7(&gsm7("Phí: 50.000 đồng [x] {y} 100% @ €")));
        assert_eq!(gsm7("Nguyễn Thị Tiếp\tα"), "Nguyen Thi Tiep ?");
        assert_eq!(gsm7("1.500.000\u{a0}₫"), "1.500.000 d");
    }

    #[test]
    fn folds_every_spelling_of_the_same_words_alike() {
        assert_eq!(fold("Đăng ký kết hôn"), "dang ky ket hon");
        assert_eq!(fold("ĐĂNG KÝ KẾT HÔN"), "dang ky ket hon");
        assert_eq!(fold("dang ky ket hon"), "dang ky ket hon");
        assert_eq!(fold("Ắ Ẳ Ẫ Ậ ợ ự ỹ Ỵ"), "a a a a o u y y");
    }

    #[test]
    fn decomposed_input_folds_like_composed_input() {
        // "ế" typed as e + circumflex + acute, as some keyboards send it
        assert_eq!(fold("k\u{65}\u{302}\u{301}t"), "ket");
    }

    #[test]
    fn splits_terms_on_punctuation() {
        assert_eq!(
            search_terms("  Cấp   bản sao, trích-lục "),
            vec!["cap", "ban", "sao", "trich", "luc"]
        );
        assert!(search_terms(" .,;!? ").is_empty());
    }
}
