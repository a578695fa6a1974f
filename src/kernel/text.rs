//! Folding Vietnamese text for search, the same way PostgreSQL's `f_fold` does it.

use unicode_normalization::UnicodeNormalization;

/// Lower case, tone and vowel marks removed, `đ` → `d`: "ĐĂNG KÝ Kết hôn" → "dang ky ket hon".
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

pub fn fold(input: &str) -> String {
    input
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// The search words of a query: folded, split on anything that is not a letter or a digit.
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

pub fn search_terms(input: &str) -> Vec<String> {
    fold(input)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
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
