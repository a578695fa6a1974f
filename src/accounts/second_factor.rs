//! The officials' second factor (ASVS 2.8): a time-based one-time code (RFC 6238 through
//! `totp-rs`: SHA-1, 6 digits, 30 s, one step of drift either way) from an authenticator app,
//! and ten single-use recovery codes. The shared secret is kept sealed (AES-256-GCM under a key
//! derived from `second_factor_key`, bound to the official's id); a code is good once (the step
//! it matched is remembered); recovery codes are kept as SHA-256 hashes. Required, once signed
//! in, of the roles `second_factor_roles` names; any official may enrol.
//!
//! Every function takes its instant: the tests pass theirs.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use totp_rs::{Algorithm, Secret, TOTP};
use uuid::Uuid;

/// Seconds per code.
pub const STEP: u64 = 30;
/// The issuer the authenticator app shows.
pub const ISSUER: &str = "Một Cửa";
/// Recovery codes issued at enrolment.
pub const RECOVERY_CODES: usize = 10;

fn cipher(key: &str) -> Aes256Gcm {
    let digest: [u8; 32] = Sha256::digest(key.as_bytes()).into();
    Aes256Gcm::new(&digest.into())
}

/// Seals `secret` for official `staff`: nonce ‖ ciphertext.
pub fn seal(key: &str, staff: Uuid, secret: &[u8]) -> anyhow::Result<Vec<u8>> {
    let nonce: [u8; 12] = rand::random();
    let sealed = cipher(key)
        .encrypt(
            &Nonce::from(nonce),
            Payload {
                msg: secret,
                aad: staff.as_bytes(),
            },
        )
        .map_err(|_| anyhow::anyhow!("sealing the second factor failed"))?;
    Ok([nonce.as_slice(), &sealed].concat())
}

/// The secret sealed for `staff`; None when it was sealed under another key or for another
/// official.
pub fn open(key: &str, staff: Uuid, sealed: &[u8]) -> Option<Vec<u8>> {
    let (nonce, sealed) = sealed.split_at_checked(12)?;
    let nonce: [u8; 12] = nonce.try_into().ok()?;
    cipher(key)
        .decrypt(
            &Nonce::from(nonce),
            Payload {
                msg: sealed,
                aad: staff.as_bytes(),
            },
        )
        .ok()
}

/// A new 160-bit secret.
pub fn new_secret() -> Vec<u8> {
    rand::random::<[u8; 20]>().to_vec()
}

fn totp(secret: &[u8]) -> Option<TOTP> {
    TOTP::new(Algorithm::SHA1, 6, 1, STEP, secret.to_vec()).ok()
}

/// The secret as the app's manual entry shows it (base32, in groups of four).
pub fn base32(secret: &[u8]) -> String {
    let Secret::Encoded(text) = Secret::Raw(secret.to_vec()).to_encoded() else {
        return String::new();
    };
    text.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `otpauth://` URI an authenticator app reads from the QR code.
pub fn uri(secret: &[u8], account: &str) -> String {
    let secret = base32(secret).replace(' ', "");
    let label = crate::web::paths::encode(&format!("{ISSUER}:{account}"));
    format!(
        "otpauth://totp/{label}?secret={secret}&issuer={}&algorithm=SHA1&digits=6&period={STEP}",
        crate::web::paths::encode(ISSUER)
    )
}

/// The code of `secret` at `unix` seconds (what the app shows then).
pub fn code_at(secret: &[u8], unix: u64) -> String {
    totp(secret).map(|t| t.generate(unix)).unwrap_or_default()
}

/// The step `typed` matches at `unix` (one step of drift either way), if it is later than
/// `last_step`, the step of the last code accepted: each code is good once.
pub fn matching_step(secret: &[u8], typed: &str, unix: u64, last_step: i64) -> Option<i64> {
    let typed: String = typed.chars().filter(char::is_ascii_digit).collect();
    if typed.len() != 6 {
        return None;
    }
    let now = unix / STEP;
    [now.saturating_sub(1), now, now + 1]
        .into_iter()
        .filter(|step| i64::try_from(*step).is_ok_and(|s| s > last_step))
        .find(|step| crate::web::csrf::same_token(&code_at(secret, step * STEP), &typed))
        .and_then(|step| i64::try_from(step).ok())
}

/// Ten recovery codes, `XXXXX-XXXXX` in an alphabet without look-alikes (50 bits each).
pub fn recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    (0..RECOVERY_CODES)
        .map(|_| {
            let bytes: [u8; 10] = rand::random();
            let chars: String = bytes
                .iter()
                .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
                .collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect()
}

/// How a recovery code is kept: the SHA-256 of its normal form (capitals, no dash or space).
pub fn recovery_hash(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    hex::encode(Sha256::digest(normal.as_bytes()))
}

/// The official's second factor: the sealed secret, confirmed or not, the last step used.
pub async fn stored(
    conn: &mut PgConnection,
    staff: Uuid,
) -> Result<Option<(Vec<u8>, bool, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select secret_sealed, confirmed_at is not null, last_step from staff_second_factors \
         where staff_id = $1",
    )
    .bind(staff)
    .fetch_optional(conn)
    .await
}

/// Whether the official has a confirmed second factor.
pub async fn enrolled(conn: &mut PgConnection, staff: Uuid) -> Result<bool, sqlx::Error> {
    Ok(stored(conn, staff)
        .await?
        .is_some_and(|(_, confirmed, _)| confirmed))
}

/// Takes step `step` as used, unless a code of it (or later) was already used: true when this
/// one is the first.
pub async fn use_step(
    conn: &mut PgConnection,
    staff: Uuid,
    step: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update staff_second_factors set last_step = $2 where staff_id = $1 and last_step < $2",
    )
    .bind(staff)
    .bind(step)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Uses recovery code `code` once: true when it was one of the official's unused codes.
pub async fn use_recovery(
    conn: &mut PgConnection,
    staff: Uuid,
    code: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update staff_recovery_codes set used_at = now() \
         where staff_id = $1 and code_sha256 = $2 and used_at is null",
    )
    .bind(staff)
    .bind(recovery_hash(code))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238's SHA-1 secret ("12345678901234567890") and its published vectors (the last
    /// six digits of the eight-digit values).
    #[test]
    fn codes_match_the_rfc_vectors() {
        let secret = b"12345678901234567890";
        assert_eq!(code_at(secret, 59), "287082");
        assert_eq!(code_at(secret, 1_111_111_109), "081804");
        assert_eq!(code_at(secret, 1_234_567_890), "005924");
        assert_eq!(code_at(secret, 2_000_000_000), "279037");
    }

    #[test]
    fn a_code_is_good_for_its_step_and_a_neighbour_and_once() {
        let secret = b"12345678901234567890";
        let at = 1_234_567_890;
        let step = i64::try_from(at / STEP).unwrap();
        assert_eq!(matching_step(secret, "005924", at, 0), Some(step));
        assert_eq!(
            matching_step(secret, "005 924", at, 0),
            Some(step),
            "spaces typed"
        );
        // the previous step's code, half a minute late: still good
        assert_eq!(matching_step(secret, "005924", at + STEP, 0), Some(step));
        // two steps late: no longer
        assert_eq!(matching_step(secret, "005924", at + 2 * STEP, 0), None);
        // used once: not again
        assert_eq!(matching_step(secret, "005924", at, step), None);
        assert_eq!(matching_step(secret, "000000", at, 0), None);
        assert_eq!(matching_step(secret, "05924", at, 0), None);
    }

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_for_its_official() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let sealed = seal("key-one", a, b"secret-bytes-20-long").unwrap();
        assert_eq!(
            open("key-one", a, &sealed).as_deref(),
            Some(&b"secret-bytes-20-long"[..])
        );
        assert_eq!(open("key-two", a, &sealed), None);
        assert_eq!(
            open("key-one", b, &sealed),
            None,
            "moved to another official"
        );
        assert_ne!(
            seal("key-one", a, b"x").unwrap(),
            seal("key-one", a, b"x").unwrap()
        );
    }

    #[test]
    fn recovery_codes_are_distinct_readable_and_typed_loosely() {
        let codes = recovery_codes();
        assert_eq!(codes.len(), 10);
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 11 && c.as_bytes()[5] == b'-')
        );
        assert!(codes.iter().all(|c| !c.contains(['0', 'O', '1', 'I'])));
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10);
        assert_eq!(recovery_hash("abcde-fghjk"), recovery_hash("ABCDEFGHJK"));
        assert!(base32(b"12345678901234567890").starts_with("GEZD GNBV"));
        assert!(uri(b"12345678901234567890", "quantri").starts_with(
            "otpauth://totp/M%E1%BB%99t%20C%E1%BB%ADa%3Aquantri?secret=GEZDGNBVGY3TQOJQ"
        ));
    }
}
