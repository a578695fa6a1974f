//! Typed URL builders, so that no handler or template writes a URL by hand.

use serde::Deserialize;

use crate::kernel::Lang;
use crate::web::lang::is_local_path;

pub const HOME: &str = "/";
pub const CATALOGUE: &str = "/thu-tuc";

/// `/thu-tuc/1.001193`
pub fn procedure(code: &str) -> String {
    format!("/thu-tuc/{code}")
}

/// Where "apply online" leads (the submission flow).
pub fn apply_online(code: &str) -> String {
    format!("/thu-tuc/{code}/nop-truc-tuyen")
}

/// `/bieu-mau/{slug}`: a downloadable form template.
pub fn form_template(slug: &str) -> String {
    format!("/bieu-mau/{slug}")
}

/// The catalogue filtered by an agency.
pub fn catalogue_by_agency(slug: &str) -> String {
    format!("/thu-tuc?agency={}", encode(slug))
}

/// The catalogue filtered by a field.
pub fn catalogue_by_field(code: &str) -> String {
    format!("/thu-tuc?field={}", encode(code))
}

/// The language switch, coming back to `here`.
/// Where a citizen enters the code sent to a new e-mail address.
pub const ACCOUNT_EMAIL: &str = "/account/email";

/// An official's own password form.
pub const STAFF_PASSWORD: &str = "/staff/password";

pub fn switch_language(lang: Lang, here: &str) -> String {
    format!("/ngon-ngu/{}?next={}", lang.code(), encode(here))
}

/// The citizen sign-in, coming back to `next` afterwards.
pub fn citizen_login(next: &str) -> String {
    format!("/account/login?next={}", encode(next))
}

/// The staff entrance, coming back to `next` afterwards.
pub fn staff_login(next: &str) -> String {
    format!("/staff/login?next={}", encode(next))
}

pub const ACCOUNT: &str = "/account";
/// The help of a step of the online journey, coming back to `back` (the step's page).
pub fn help(step: &str, back: &str) -> String {
    if back.is_empty() {
        format!("/huong-dan/{step}")
    } else {
        format!("/huong-dan/{step}?next={}", encode(back))
    }
}

/// The signed-in citizen's dossiers.
pub const MY_DOSSIERS: &str = "/account/dossiers";
pub const STAFF_HOME: &str = "/staff";
/// The reception desk's postal hand-over: results to the post, deliveries back.
pub const POSTAL_DESK: &str = "/staff/postal";
pub const ADMIN_HOME: &str = "/admin";

/// An official's page in the administration.
pub fn admin_staff(id: &uuid::Uuid) -> String {
    format!("/admin/staff/{id}")
}

/// A keyset cursor of (time, id), as `after=` carries it.
pub fn time_cursor(at: chrono::DateTime<chrono::Utc>, id: uuid::Uuid) -> String {
    encode(&format!("{}_{id}", at.to_rfc3339()))
}

/// Reads [`time_cursor`] back; None for anything malformed.
pub fn parse_time_cursor(raw: &str) -> Option<(chrono::DateTime<chrono::Utc>, uuid::Uuid)> {
    let (at, id) = raw.split_once('_')?;
    Some((
        chrono::DateTime::parse_from_rfc3339(at)
            .ok()?
            .with_timezone(&chrono::Utc),
        id.parse().ok()?,
    ))
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char);
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    pub next: Option<String>,
}

impl NextQuery {
    pub fn next(&self) -> Option<String> {
        self.next.clone()
    }
}

/// `next` when it is a path on this site, else `default`.
pub fn safe_next(next: Option<&str>, default: &str) -> String {
    next.filter(|n| is_local_path(n))
        .unwrap_or(default)
        .to_owned()
}

/// A citizen's page of one of their dossiers.
pub fn citizen_dossier(id: uuid::Uuid) -> String {
    format!("/account/dossiers/{id}")
}

/// An official's page of a dossier.
pub fn staff_dossier(id: uuid::Uuid) -> String {
    format!("/staff/dossiers/{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_cursors_round_trip() {
        let at = chrono::DateTime::from_timestamp(1_764_000_000, 123_000).unwrap();
        let id = uuid::Uuid::new_v4();
        let raw = time_cursor(at, id);
        let decoded: String = raw.replace("%3A", ":").replace("%2B", "+");
        assert_eq!(parse_time_cursor(&decoded), Some((at, id)));
        assert_eq!(parse_time_cursor("nonsense"), None);
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(encode("kết hôn&x=1"), "k%E1%BA%BFt%20h%C3%B4n%26x%3D1");
        assert_eq!(
            switch_language(Lang::En, "/thu-tuc?q=a b"),
            "/ngon-ngu/en?next=%2Fthu-tuc%3Fq%3Da%20b"
        );
    }
}
