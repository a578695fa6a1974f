//! Account value types and rules: personal ID numbers, phone numbers, e-mail addresses,
//! passwords, staff roles. No IO here.

use chrono::Datelike;
use serde::{Deserialize, Serialize};

/// Số định danh cá nhân: 12 digits (Law on Identity 2023 Art. 12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalId(String);

/// Why a personal ID number was refused (message keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonalIdError {
    Format,
    BirthYear,
}

impl PersonalId {
    /// Twelve digits (spaces allowed while typing). Digit 4 gives the century (0/1 → 1900s,
    /// 2/3 → 2000s, 4/5 → 2100s …) and digits 5–6 the year of birth: the year must not be in
    /// the future nor more than 130 years ago. The province digits are never checked: the
    /// code lists changed in 2025 and people born abroad have their own.
    pub fn parse(input: &str, today_year: i32) -> Result<Self, PersonalIdError> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PersonalIdError::Format);
        }
        let b = digits.as_bytes();
        let century = 1900 + i32::from((b[3] - b'0') / 2) * 100;
        let year = century + i32::from(b[4] - b'0') * 10 + i32::from(b[5] - b'0');
        if year > today_year || year < today_year - 130 {
            return Err(PersonalIdError::BirthYear);
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `0512******23`: enough for its owner to recognise, never the whole number.
    pub fn masked(&self) -> String {
        format!("{}******{}", &self.0[..4], &self.0[10..])
    }
}

impl PersonalIdError {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::Format => "account.error_personal_id_format",
            Self::BirthYear => "account.error_personal_id_year",
        }
    }
}

/// A Vietnamese mobile number, kept as +84 and nine digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Accepts `0912 345 678`, `0912.345.678`, `+84 912 345 678`, `84912345678`, `(+84) 912…`.
    /// Mobile numbers only (the one-time codes go by SMS): ten digits starting 03, 05, 07, 08
    /// or 09 in national form.
    pub fn parse(input: &str) -> Option<Self> {
        let cleaned: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
            .collect();
        let national = if let Some(rest) = cleaned.strip_prefix("+84") {
            rest.to_owned()
        } else if cleaned.len() == 11 && cleaned.starts_with("84") {
            cleaned[2..].to_owned()
        } else if let Some(rest) = cleaned.strip_prefix('0') {
            rest.to_owned()
        } else {
            return None;
        };
        let ok = national.len() == 9
            && national.bytes().all(|b| b.is_ascii_digit())
            && matches!(national.as_bytes()[0], b'3' | b'5' | b'7' | b'8' | b'9');
        ok.then(|| Self(format!("+84{national}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `0912 345 678`, as people write it.
    pub fn national(&self) -> String {
        let n = &self.0[3..];
        format!("0{} {} {}", &n[..3], &n[3..6], &n[6..])
    }
}

/// An e-mail address, lower-cased. Deliberately permissive: the one-time code proves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(input: &str) -> Option<Self> {
        let email = input.trim().to_lowercase();
        let (local, domain) = email.split_once('@')?;
        let ok = !local.is_empty()
            && email.len() <= 254
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !email.contains(char::is_whitespace)
            && !domain.contains('@');
        ok.then_some(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a citizen types to sign in: a phone number, an e-mail address or an ID number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginName {
    Phone(PhoneNumber),
    Email(EmailAddress),
    PersonalId(String),
}

impl LoginName {
    pub fn parse(input: &str) -> Option<Self> {
        let input = input.trim();
        if input.contains('@') {
            return EmailAddress::parse(input).map(Self::Email);
        }
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit()) {
            return Some(Self::PersonalId(digits));
        }
        PhoneNumber::parse(input).map(Self::Phone)
    }

    /// The key failed sign-ins are counted under: the same for every spelling of one name.
    pub fn throttle_key(&self) -> String {
        match self {
            Self::Phone(p) => p.as_str().to_owned(),
            Self::Email(e) => e.as_str().to_owned(),
            Self::PersonalId(id) => id.clone(),
        }
    }
}

/// Shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest, so that hashing stays bounded.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Why a password was refused (message keys). No composition rules: length and guessability
/// only (NIST SP 800-63B).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordError {
    TooShort,
    TooLong,
    TooCommon,
}

impl PasswordError {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::TooShort => "account.error_password_short",
            Self::TooLong => "account.error_password_long",
            Self::TooCommon => "account.error_password_common",
        }
    }
}

/// Checks a new password. `personal` holds what the account already says about its owner
/// (name, phone, ID number): a password made of them is as guessable as a common one.
pub fn check_new_password(password: &str, personal: &[&str]) -> Result<(), PasswordError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(PasswordError::TooLong);
    }
    // zxcvbn knows the most common passwords, names, keyboard walks and dates; score 0–1
    // means guessable within about a million tries.
    let estimate = zxcvbn::zxcvbn(password, personal);
    if (estimate.score() as u8) < 2 {
        return Err(PasswordError::TooCommon);
    }
    Ok(())
}

/// What an official may do, at one agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type, Serialize, Deserialize)]
#[sqlx(type_name = "staff_role", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// công chức tiếp nhận
    Reception,
    /// chuyên viên
    CaseOfficer,
    /// lãnh đạo phòng
    DivisionHead,
    /// lãnh đạo cơ quan
    SigningAuthority,
    /// nhân viên bưu chính
    Postal,
    /// quản trị cơ quan
    AgencyAdmin,
    /// quản trị hệ thống
    SystemAdmin,
    /// chủ tịch UBND tỉnh: approves procedures for online service
    Chairman,
}

impl StaffRole {
    pub const ALL: [Self; 8] = [
        Self::Reception,
        Self::CaseOfficer,
        Self::DivisionHead,
        Self::SigningAuthority,
        Self::Postal,
        Self::AgencyAdmin,
        Self::SystemAdmin,
        Self::Chairman,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reception => "reception",
            Self::CaseOfficer => "case_officer",
            Self::DivisionHead => "division_head",
            Self::SigningAuthority => "signing_authority",
            Self::Postal => "postal",
            Self::AgencyAdmin => "agency_admin",
            Self::SystemAdmin => "system_admin",
            Self::Chairman => "chairman",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == input)
    }

    /// Message key of the role's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Reception => "role.reception",
            Self::CaseOfficer => "role.case_officer",
            Self::DivisionHead => "role.division_head",
            Self::SigningAuthority => "role.signing_authority",
            Self::Postal => "role.postal",
            Self::AgencyAdmin => "role.agency_admin",
            Self::SystemAdmin => "role.system_admin",
            Self::Chairman => "role.chairman",
        }
    }

    /// Roles that administer accounts.
    pub fn is_admin(self) -> bool {
        matches!(self, Self::AgencyAdmin | Self::SystemAdmin)
    }

    /// How high the role stands over accounts: an official's roles 0, the agency
    /// administrator 1, the system administrator and the chairman 2. An administrator manages
    /// only officials whose every open role stands below their own.
    pub fn rank(self) -> u8 {
        match self {
            Self::Reception
            | Self::CaseOfficer
            | Self::DivisionHead
            | Self::SigningAuthority
            | Self::Postal => 0,
            Self::AgencyAdmin => 1,
            Self::SystemAdmin | Self::Chairman => 2,
        }
    }
}

/// Whether an administrator of rank `rank` over `agencies` (every agency when None) may manage
/// an official: reset their password, (de)activate them, change their roles, see their page.
///
/// `open_roles` are the official's roles not ended (in force or yet to start); ended roles give
/// the administrator no power and take none away. Every open role must lie within the
/// administrator's agencies and stand below the administrator's rank. An official with no open
/// role is managed by the administrators of an agency where they `ever_held` a role.
pub fn may_manage_official(
    rank: u8,
    agencies: Option<&[uuid::Uuid]>,
    open_roles: &[(StaffRole, uuid::Uuid)],
    ever_held: bool,
) -> bool {
    let within = |agency: &uuid::Uuid| agencies.is_none_or(|ids| ids.contains(agency));
    let below = open_roles
        .iter()
        .all(|(role, agency)| role.rank() < rank && within(agency));
    below && (agencies.is_none() || ever_held)
}

/// An official's user name: 3 to 40 lower-case letters, digits, dots, dashes or underscores,
/// starting with a letter or a digit (as `staff_users_username_format` checks).
pub fn valid_staff_username(name: &str) -> bool {
    (3..=40).contains(&name.len())
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

/// A role held at an agency for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleGrant {
    pub role: StaffRole,
    pub agency_id: uuid::Uuid,
    pub valid_from: chrono::NaiveDate,
    pub valid_to: Option<chrono::NaiveDate>,
}

impl RoleGrant {
    /// In force on `day`: from `valid_from` up to, not including, `valid_to`.
    pub fn in_force(&self, day: chrono::NaiveDate) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|end| day < end)
    }
}

/// The current year in Vietnam, for ID plausibility (UTC's year lagged from 00:00 to 07:00 on
/// 1 January, and refused online the ID of a child born that night, which the counter took).
pub fn this_year() -> i32 {
    crate::deadlines::calendar::today().year()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn user_names_are_plain() {
        assert!(valid_staff_username("quantri.tinh"));
        assert!(valid_staff_username("2tiepnhan"));
        assert!(!valid_staff_username("QuanTri"));
        assert!(!valid_staff_username("ab"));
        assert!(!valid_staff_username("quản-trị"));
        assert!(!valid_staff_username(".quantri"));
        assert!(!valid_staff_username(&"a".repeat(41)));
    }

    #[test]
    fn administrators_manage_only_officials_below_them_within_their_agencies() {
        let (mine, other) = (uuid::Uuid::from_u128(1), uuid::Uuid::from_u128(2));
        let agency_admin = |roles: &[(StaffRole, uuid::Uuid)], ever| {
            may_manage_official(1, Some(&[mine]), roles, ever)
        };
        let system_admin =
            |roles: &[(StaffRole, uuid::Uuid)]| may_manage_official(2, None, roles, true);
        // An official of the administrator's agency.
        assert!(agency_admin(&[(StaffRole::CaseOfficer, mine)], true));
        // A system administrator or the chairman who once held a role here: never.
        assert!(!agency_admin(
            &[
                (StaffRole::CaseOfficer, mine),
                (StaffRole::SystemAdmin, other)
            ],
            true
        ));
        assert!(!agency_admin(&[(StaffRole::Chairman, mine)], true));
        // Another agency administrator of the same agency stands at the same rank.
        assert!(!agency_admin(&[(StaffRole::AgencyAdmin, mine)], true));
        // A role open at another agency takes the official out of reach.
        assert!(!agency_admin(
            &[(StaffRole::Reception, mine), (StaffRole::Reception, other)],
            true
        ));
        // Ended roles: none open, one held here once; none ever held here.
        assert!(agency_admin(&[], true));
        assert!(!agency_admin(&[], false));
        // The system administrator manages every official below them, not a peer or the chairman.
        assert!(system_admin(&[(StaffRole::AgencyAdmin, other)]));
        assert!(!system_admin(&[(StaffRole::SystemAdmin, other)]));
        assert!(!system_admin(&[(StaffRole::Chairman, other)]));
    }

    #[test]
    fn personal_ids_are_twelve_plausible_digits() {
        assert_eq!(
            PersonalId::parse("051 090 001 234", 2026).map(|p| p.0),
            Ok("051090001234".into())
        );
        // born 2003 (digit 4 = 2: 2000s, male)
        assert!(PersonalId::parse("051203000123", 2026).is_ok());
        // 2027 is in the future
        assert_eq!(
            PersonalId::parse("051227000123", 2026),
            Err(PersonalIdError::BirthYear)
        );
        // 2100s
        assert_eq!(
            PersonalId::parse("051400000123", 2026),
            Err(PersonalIdError::BirthYear)
        );
        for bad in [
            "",
            "05109000123",
            "0510900012345",
            "05109000123a",
            "０51090001234",
        ] {
            assert_eq!(
                PersonalId::parse(bad, 2026),
                Err(PersonalIdError::Format),
                "{bad}"
            );
        }
        // unknown province digits are fine
        assert!(PersonalId::parse("999090001234", 2026).is_ok());
        assert_eq!(
            PersonalId::parse("051090001234", 2026).unwrap().masked(),
            "0510******34"
        );
    }

    #[test]
    fn phone_numbers_normalise_to_plus_84() {
        for typed in [
            "0912345678",
            "0912 345 678",
            "0912.345.678",
            "+84912345678",
            "+84 912 345 678",
            "84912345678",
            "(+84) 912-345-678",
        ] {
            assert_eq!(
                PhoneNumber::parse(typed).map(|p| p.0),
                Some("+84912345678".into()),
                "{typed}"
            );
        }
        assert_eq!(
            PhoneNumber::parse("0912345678").unwrap().national(),
            "0912 345 678"
        );
        for bad in [
            "",
            "912345678",
            "091234567",
            "09123456789",
            "0212345678",
            "+1 912 345 678",
            "0912abc678",
        ] {
            assert_eq!(PhoneNumber::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn login_names_are_recognised_by_shape() {
        assert!(
            matches!(LoginName::parse(" An@Example.VN "), Some(LoginName::Email(e)) if e.as_str() == "an@example.vn")
        );
        assert!(matches!(
            LoginName::parse("051090001234"),
            Some(LoginName::PersonalId(_))
        ));
        assert!(matches!(
            LoginName::parse("0912 345 678"),
            Some(LoginName::Phone(_))
        ));
        assert_eq!(LoginName::parse("nobody"), None);
        assert_eq!(
            LoginName::parse("0912345678").unwrap().throttle_key(),
            LoginName::parse("+84 912 345 678").unwrap().throttle_key()
        );
    }

    #[test]
    fn passwords_need_length_and_must_not_be_common() {
        assert_eq!(
            check_new_password("abc123", &[]),
            Err(PasswordError::TooShort)
        );
        assert_eq!(
            check_new_password("password1", &[]),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(
            check_new_password("12345678", &[]),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(
            check_new_password("0912345678", &["0912345678"]),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(
            check_new_password(&"x".repeat(129), &[]),
            Err(PasswordError::TooLong)
        );
        // no composition rules: a long lower-case phrase is fine
        assert_eq!(check_new_password("hoa sen nở giữa đầm lầy", &[]), Ok(()));
    }

    #[test]
    fn roles_end_on_their_end_date() {
        let grant = RoleGrant {
            role: StaffRole::Reception,
            agency_id: uuid::Uuid::nil(),
            valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            valid_to: NaiveDate::from_ymd_opt(2026, 12, 1),
        };
        assert!(!grant.in_force(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()));
        assert!(grant.in_force(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()));
        assert!(!grant.in_force(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()));
    }

    #[test]
    fn every_role_round_trips() {
        for role in StaffRole::ALL {
            assert_eq!(StaffRole::parse(role.as_str()), Some(role));
        }
    }
}
