//! The catalogue's value types and rules: procedure codes, online levels, time limits,
//! document requirements, search input and keyset cursors. No IO here.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;

use crate::kernel::Lang;
use crate::kernel::text::search_terms;

/// Longest search text accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Search words beyond this many are ignored (they only slow the query down).
pub const MAX_TERMS: usize = 12;
/// Results per page.
pub const PAGE_SIZE: i64 = 20;

/// A national procedure code such as `1.001193`: one digit, a dot, six digits (DOMAIN §2.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ProcedureCode(String);

impl ProcedureCode {
    /// Accepts the national code, or a local instance code (`1.001612.000.00.00.H48`) whose
    /// first eight characters are the national code.
    pub fn parse(input: &str) -> Option<Self> {
        let national = input.get(..8)?;
        let rest = &input[8..];
        let bytes = national.as_bytes();
        let well_formed = bytes[0].is_ascii_digit()
            && bytes[1] == b'.'
            && bytes[2..].iter().all(u8::is_ascii_digit);
        let suffix_ok = rest.is_empty()
            || (rest.starts_with('.')
                && rest.len() <= 36
                && rest[1..]
                    .split('.')
                    .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_alphanumeric())));
        (well_formed && suffix_ok).then(|| Self(national.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProcedureCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Online service level under Decree 42/2022 as amended by Decree 118/2025.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type, Serialize, utoipa::ToSchema)]
#[sqlx(type_name = "online_level", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum OnlineLevel {
    /// toàn trình — fully online (the old "mức độ 4")
    Full,
    /// một phần — partly online (the old "mức độ 3")
    Partial,
    /// information and forms only (the old "mức độ 2")
    None,
}

impl OnlineLevel {
    /// Accepts the current names and the old level numbers (`4` → full, `3` → partial).
    pub fn parse(input: &str) -> Option<Self> {
        match input {
            "full" | "toan-trinh" | "4" => Some(Self::Full),
            "partial" | "mot-phan" | "3" => Some(Self::Partial),
            "none" | "2" | "1" => Some(Self::None),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Partial => "partial",
            Self::None => "none",
        }
    }

    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(match self {
            Self::Full => "level.full",
            Self::Partial => "level.partial",
            Self::None => "level.none",
        })
    }

    /// The old Decree 43/2011 label, shown second ("mức độ 4").
    pub fn legacy_label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(match self {
            Self::Full => "level.legacy_4",
            Self::Partial => "level.legacy_3",
            Self::None => "level.legacy_2",
        })
    }

    pub fn is_online(self) -> bool {
        self != Self::None
    }

    pub const ALL: [Self; 3] = [Self::Full, Self::Partial, Self::None];
}

/// Unit of a legal processing time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type, Serialize, utoipa::ToSchema)]
#[sqlx(type_name = "time_unit", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    WorkingDays,
    WorkingHours,
    Days,
    SameDay,
}

/// "5 ngày làm việc", "168 giờ làm việc", "Trong ngày".
pub fn format_time_limit(value: Option<i32>, unit: TimeUnit, lang: Lang) -> String {
    let key = match unit {
        TimeUnit::SameDay => return lang.t("time.same_day").into_owned(),
        TimeUnit::WorkingDays => "time.working_days",
        TimeUnit::WorkingHours => "time.working_hours",
        TimeUnit::Days => "time.days",
    };
    let n = value.unwrap_or_default();
    let text = lang.t(key);
    // English plural: "1 working day"
    if lang.is_en() && n == 1 {
        return format!("1 {}", text.trim_end_matches('s'));
    }
    format!("{n} {text}")
}

/// The message key that names how a document must be supplied.
pub fn requirement_key(requirement: &str) -> &'static str {
    match requirement {
        "original" => "doc.original",
        "copy" => "doc.copy",
        "certified_copy" => "doc.certified_copy",
        "original_or_copy" => "doc.original_or_copy",
        "original_to_show" => "doc.original_to_show",
        _ => "doc.electronic",
    }
}

/// How a result list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Words: the exact name first, then every name holding all the words, most used first.
    Ranked,
    /// A procedure code (or its start): by code.
    Code,
    /// No words: by name.
    Name,
}

/// Where to resume a result list (keyset pagination: no OFFSET scans).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cursor {
    /// Ranked search: after (score, code), score descending (see [`rank_score`]), code ascending.
    Score { score: i64, code: String },
    /// Browsing: after (folded name, code), both ascending.
    Name { name: String, code: String },
    /// Code search: after this code.
    Code { code: String },
}

/// The ranking score of a row: exact-name matches above all others, then popularity.
pub fn rank_score(exact: bool, popularity: i32) -> i64 {
    (i64::from(exact) << 32) | i64::from(popularity.max(0))
}

impl Cursor {
    pub fn encode(&self) -> String {
        let raw = match self {
            Self::Score { score, code } => format!("s\u{1f}{score}\u{1f}{code}"),
            Self::Name { name, code } => format!("n\u{1f}{name}\u{1f}{code}"),
            Self::Code { code } => format!("c\u{1f}\u{1f}{code}"),
        };
        URL_SAFE_NO_PAD.encode(raw)
    }

    pub fn decode(input: &str) -> Option<Self> {
        if input.len() > 1024 {
            return None;
        }
        let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(input).ok()?).ok()?;
        let mut parts = raw.split('\u{1f}');
        let (kind, middle, code) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || ProcedureCode::parse(code)?.as_str() != code {
            return None;
        }
        let code = code.to_owned();
        match kind {
            "s" => Some(Self::Score {
                score: middle.parse().ok().filter(|s: &i64| *s >= 0)?,
                code,
            }),
            "n" => Some(Self::Name {
                name: middle.to_owned(),
                code,
            }),
            "c" if middle.is_empty() => Some(Self::Code { code }),
            _ => None,
        }
    }

    fn fits(&self, order: Order) -> bool {
        matches!(
            (self, order),
            (Self::Score { .. }, Order::Ranked)
                | (Self::Name { .. }, Order::Name)
                | (Self::Code { .. }, Order::Code)
        )
    }
}

/// What a citizen typed into the search form, before checking.
#[derive(Debug, Default, Clone, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchForm {
    /// words of the name, or (the start of) a national procedure code; tones optional
    pub q: Option<String>,
    /// the competent agency's slug
    pub agency: Option<String>,
    /// the field's code
    pub field: Option<String>,
    /// `full`, `partial` or `none`
    pub level: Option<String>,
    /// `next_cursor` of the previous page
    pub cursor: Option<String>,
}

/// A checked search. Agency and field are still slugs/codes: the caller resolves them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Search {
    /// The text as typed (trimmed), for showing back.
    pub text: String,
    /// Folded search words.
    pub terms: Vec<String>,
    /// Set when the text looks like (the start of) a procedure code.
    pub code_prefix: Option<String>,
    pub agency: Option<String>,
    pub field: Option<String>,
    pub level: Option<OnlineLevel>,
    pub cursor: Option<Cursor>,
}

/// See [`Search::cache_key`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SearchKey {
    terms: Vec<String>,
    code_prefix: Option<String>,
    agency: Option<String>,
    field: Option<String>,
    level: Option<OnlineLevel>,
    cursor: Option<Cursor>,
}

/// What was wrong with a search; each names a message key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchError {
    TooLong,
    BadCursor,
    BadLevel,
    BadAgency,
    BadField,
}

impl SearchError {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::TooLong => "search.error_too_long",
            Self::BadCursor => "search.error_cursor",
            Self::BadLevel => "search.error_level",
            Self::BadAgency => "search.error_agency",
            Self::BadField => "search.error_field",
        }
    }
}

impl Search {
    /// How the results are ordered.
    pub fn order(&self) -> Order {
        if self.code_prefix.is_some() {
            Order::Code
        } else if self.terms.is_empty() {
            Order::Name
        } else {
            Order::Ranked
        }
    }

    /// The folded words joined by spaces, for exact and prefix matches on the name.
    pub fn folded_phrase(&self) -> String {
        self.terms.join(" ")
    }

    /// `'dang' & 'ky' & 'ket' & 'hon':*` — every word must match, the last one as a prefix
    /// (so results appear while the word is still being typed).
    pub fn tsquery(&self) -> Option<String> {
        let last = self.terms.len().checked_sub(1)?;
        let parts: Vec<String> = self
            .terms
            .iter()
            .enumerate()
            .map(|(i, t)| {
                if i == last {
                    format!("'{t}':*")
                } else {
                    format!("'{t}'")
                }
            })
            .collect();
        Some(parts.join(" & "))
    }

    /// What the results depend on: the folded words, not how they were typed. Searches that
    /// differ only in tones or case share one cache entry.
    pub fn cache_key(&self) -> SearchKey {
        SearchKey {
            terms: self.terms.clone(),
            code_prefix: self.code_prefix.clone(),
            agency: self.agency.clone(),
            field: self.field.clone(),
            level: self.level,
            cursor: self.cursor.clone(),
        }
    }

    /// Checks the form: length, level, cursor and the shape of the slugs.
    pub fn parse(form: &SearchForm) -> Result<Self, SearchError> {
        let text = form.q.as_deref().unwrap_or_default().trim().to_owned();
        if text.chars().count() > MAX_QUERY_CHARS {
            return Err(SearchError::TooLong);
        }
        let mut terms = search_terms(&text);
        terms.truncate(MAX_TERMS);
        let code_prefix = looks_like_code(&text).then(|| text.clone());
        if code_prefix.is_some() {
            terms.clear();
        }
        let level = match non_empty(form.level.as_deref()) {
            Some(l) => Some(OnlineLevel::parse(l).ok_or(SearchError::BadLevel)?),
            None => None,
        };
        let agency = non_empty(form.agency.as_deref())
            .map(|s| {
                valid_slug(s)
                    .then(|| s.to_owned())
                    .ok_or(SearchError::BadAgency)
            })
            .transpose()?;
        let field = non_empty(form.field.as_deref())
            .map(|s| {
                valid_field(s)
                    .then(|| s.to_owned())
                    .ok_or(SearchError::BadField)
            })
            .transpose()?;
        let mut search = Self {
            text,
            terms,
            code_prefix,
            agency,
            field,
            level,
            cursor: None,
        };
        if let Some(raw) = non_empty(form.cursor.as_deref()) {
            let cursor = Cursor::decode(raw).ok_or(SearchError::BadCursor)?;
            if !cursor.fits(search.order()) {
                return Err(SearchError::BadCursor);
            }
            search.cursor = Some(cursor);
        }
        Ok(search)
    }

    /// The query string of this search without the cursor (for links to other pages).
    pub fn query_string(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if !self.text.is_empty() {
            out.push(("q", self.text.clone()));
        }
        if let Some(a) = &self.agency {
            out.push(("agency", a.clone()));
        }
        if let Some(f) = &self.field {
            out.push(("field", f.clone()));
        }
        if let Some(l) = self.level {
            out.push(("level", l.as_str().to_owned()));
        }
        out
    }
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

fn looks_like_code(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 3
        && b.len() <= 8
        && b[0].is_ascii_digit()
        && b[1] == b'.'
        && b[2..].iter().all(u8::is_ascii_digit)
}

fn valid_slug(s: &str) -> bool {
    s.len() <= 100
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn valid_field(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(q: &str) -> SearchForm {
        SearchForm {
            q: Some(q.to_owned()),
            ..SearchForm::default()
        }
    }

    #[test]
    fn procedure_codes_parse_national_and_local_forms() {
        assert_eq!(
            ProcedureCode::parse("1.001193").map(|c| c.0),
            Some("1.001193".into())
        );
        assert_eq!(
            ProcedureCode::parse("1.001612.000.00.00.H48").map(|c| c.0),
            Some("1.001612".into())
        );
        for bad in [
            "",
            "1",
            "1.00119",
            "1.0011933",
            "a.001193",
            "1-001193",
            "1.001193.",
            "1.001193..H48",
            "1.001193/../x",
            "１.001193",
        ] {
            assert_eq!(ProcedureCode::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn online_levels_accept_old_numbers() {
        assert_eq!(OnlineLevel::parse("4"), Some(OnlineLevel::Full));
        assert_eq!(OnlineLevel::parse("3"), Some(OnlineLevel::Partial));
        assert_eq!(OnlineLevel::parse("toan-trinh"), Some(OnlineLevel::Full));
        assert_eq!(OnlineLevel::parse("5"), None);
    }

    #[test]
    fn time_limits_read_naturally() {
        assert_eq!(
            format_time_limit(Some(5), TimeUnit::WorkingDays, Lang::Vi),
            "5 ngày làm việc"
        );
        assert_eq!(
            format_time_limit(Some(1), TimeUnit::WorkingDays, Lang::En),
            "1 working day"
        );
        assert_eq!(
            format_time_limit(Some(168), TimeUnit::WorkingHours, Lang::En),
            "168 working hours"
        );
        assert_eq!(
            format_time_limit(None, TimeUnit::SameDay, Lang::Vi),
            "Trong ngày"
        );
    }

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let c = Cursor::Score {
            score: rank_score(true, 1234),
            code: "1.001193".into(),
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        let k = Cursor::Code {
            code: "1.001193".into(),
        };
        assert_eq!(Cursor::decode(&k.encode()), Some(k));
        let n = Cursor::Name {
            name: "dang ky: ket hon".into(),
            code: "1.000894".into(),
        };
        assert_eq!(Cursor::decode(&n.encode()), Some(n));
        assert_eq!(Cursor::decode("not a cursor!"), None);
        assert_eq!(
            Cursor::decode(&URL_SAFE_NO_PAD.encode("s\u{1f}x\u{1f}1.001193")),
            None
        );
        assert_eq!(
            Cursor::decode(&URL_SAFE_NO_PAD.encode("s\u{1f}1\u{1f}'; drop")),
            None
        );
    }

    #[test]
    fn exact_names_rank_above_any_popularity() {
        assert!(rank_score(true, 0) > rank_score(false, i32::MAX));
        assert!(rank_score(false, 10) > rank_score(false, 9));
        assert_eq!(rank_score(false, -5), 0);
    }

    #[test]
    fn search_folds_the_query_and_builds_a_prefix_tsquery() {
        let s = Search::parse(&form("  ĐĂNG KÝ kết hôn ")).unwrap();
        assert_eq!(s.text, "ĐĂNG KÝ kết hôn");
        assert_eq!(s.folded_phrase(), "dang ky ket hon");
        assert_eq!(s.tsquery().unwrap(), "'dang' & 'ky' & 'ket' & 'hon':*");
        assert_eq!(s.order(), Order::Ranked);
    }

    #[test]
    fn a_code_is_searched_as_a_code() {
        let s = Search::parse(&form("1.0011")).unwrap();
        assert_eq!(s.code_prefix.as_deref(), Some("1.0011"));
        assert!(s.terms.is_empty());
        assert_eq!(s.order(), Order::Code);
    }

    #[test]
    fn bad_searches_are_refused_with_a_reason() {
        assert_eq!(
            Search::parse(&form(&"a".repeat(201))),
            Err(SearchError::TooLong)
        );
        assert!(Search::parse(&form(&"ă".repeat(200))).is_ok());
        let bad_level = SearchForm {
            level: Some("9".into()),
            ..SearchForm::default()
        };
        assert_eq!(Search::parse(&bad_level), Err(SearchError::BadLevel));
        let bad_agency = SearchForm {
            agency: Some("<script>".into()),
            ..SearchForm::default()
        };
        assert_eq!(Search::parse(&bad_agency), Err(SearchError::BadAgency));
        let bad_cursor = SearchForm {
            cursor: Some("%%%".into()),
            ..SearchForm::default()
        };
        assert_eq!(Search::parse(&bad_cursor), Err(SearchError::BadCursor));
        // a ranked cursor on an unranked list
        let mismatched = SearchForm {
            cursor: Some(
                Cursor::Score {
                    score: 1,
                    code: "1.001193".into(),
                }
                .encode(),
            ),
            ..SearchForm::default()
        };
        assert_eq!(Search::parse(&mismatched), Err(SearchError::BadCursor));
    }

    #[test]
    fn empty_filters_are_ignored() {
        let f = SearchForm {
            q: Some(String::new()),
            agency: Some(" ".into()),
            field: Some(String::new()),
            level: Some(String::new()),
            cursor: Some(String::new()),
        };
        assert_eq!(Search::parse(&f), Ok(Search::default()));
    }
}
