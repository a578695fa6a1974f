//! A body signed with a shared secret: `sha256=<hex HMAC-SHA-256 of the body>`, the header
//! value the postal operator's events and the national portal's pushes carry.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Whether `signature` ("sha256=<hex>") is the HMAC-SHA256 of `body` with `secret`.
pub fn verify(secret: &str, body: &[u8], signature: &str) -> bool {
    let Some(hex_part) = signature.trim().strip_prefix("sha256=") else {
        return false;
    };
    let Ok(given) = hex::decode(hex_part) else {
        return false;
    };
    <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).is_ok_and(|mut mac| {
        mac.update(body);
        mac.verify_slice(&given).is_ok()
    })
}

/// The signature header value of `body` (for operators' documentation and tests).
pub fn sign(secret: &str, body: &[u8]) -> String {
    <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).map_or_else(
        |_| String::new(),
        |mut mac| {
            mac.update(body);
            format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
        },
    )
}

/// A token naming `id` for one `purpose` ("evaluate", "counter"…): the id and the first 32 hex
/// digits of its signature with `secret` (`<id>.<hex>`), so that it names that id only.
pub fn id_token(secret: &str, purpose: &str, id: uuid::Uuid) -> String {
    let signature = sign(secret, format!("{purpose}:{id}").as_bytes());
    let hex = signature.trim_start_matches("sha256=");
    format!("{}.{}", id.simple(), &hex[..32.min(hex.len())])
}

/// The id a token of [`id_token`] names for `purpose`, if its signature holds (compared in
/// constant time).
pub fn id_of_token(secret: &str, purpose: &str, token: &str) -> Option<uuid::Uuid> {
    let (id, _) = token.split_once('.')?;
    let id = uuid::Uuid::parse_str(id).ok()?;
    crate::web::csrf::same_token(&id_token(secret, purpose, id), token).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_covers_the_raw_body() {
        let body = br#"{"event_id":"op-1","timestamp":1795900000,"type":"failed"}"#;
        let signature = sign("shared-secret", body);
        assert!(signature.starts_with("sha256="));
        assert!(verify("shared-secret", body, &signature));
        assert!(!verify("another-secret", body, &signature));
        assert!(!verify("shared-secret", b"{}", &signature));
        assert!(!verify(
            "shared-secret",
            body,
            &signature.replace("sha256=", "")
        ));
        assert!(!verify("shared-secret", body, "sha256=zz"));
    }
}
