//! Form fields every audience reads the same way: a person's full name, an optional e-mail
//! address. The citizen's account, the administrators' staff form and the dossier's applicant
//! use these.

use super::domain::EmailAddress;
use crate::kernel::Lang;
use crate::web::FormErrors;

/// An optional e-mail field: empty is fine, anything else must be an address.
/// The error, if any, goes to `field` (the input's id).
pub(crate) fn optional_email(
    field: &str,
    input: &str,
    lang: Lang,
    errors: &mut FormErrors,
) -> Option<EmailAddress> {
    if input.trim().is_empty() {
        return None;
    }
    let parsed = EmailAddress::parse(input);
    if parsed.is_none() {
        errors.add(field, lang.t("account.error_email"));
    }
    parsed
}

/// A person's full name, spaces tidied: 2 to 100 characters. The error, if any, goes to
/// `field` (the input's id).
pub(crate) fn full_name_field(
    field: &str,
    input: &str,
    lang: Lang,
    errors: &mut FormErrors,
) -> String {
    let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if !(2..=100).contains(&name.chars().count()) {
        errors.add(field, lang.t("account.error_full_name"));
    }
    name
}
