//! Password hashing with argon2id, off the async threads. At most one hash or verification
//! runs per core at a time (`SLOTS`): a burst of sign-ins or registrations waits its turn rather
//! than taking every core from the rest of the portal.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use tokio::sync::Semaphore;

/// One slot per core for Argon2's work.
static SLOTS: LazyLock<Semaphore> = LazyLock::new(|| {
    Semaphore::new(std::thread::available_parallelism().map_or(2, std::num::NonZero::get))
});

/// Hashes a new password (argon2id, the crate's OWASP-recommended defaults, random salt).
pub async fn hash(password: String) -> anyhow::Result<String> {
    let _slot = SLOTS.acquire().await?;
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await?
}

/// A hash of nothing anybody knows: verified against when the account does not exist, so that
/// the answer takes as long as for a real account.
static DUMMY: LazyLock<String> = LazyLock::new(|| {
    Argon2::default()
        .hash_password(uuid::Uuid::new_v4().to_string().as_bytes())
        .map(|h| h.to_string())
        .unwrap_or_default()
});

/// True when `password` matches `stored`. With `None` (no such account) it does the same work
/// and says false.
pub async fn verify(stored: Option<String>, password: String) -> bool {
    let Ok(_slot) = SLOTS.acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        let exists = stored.is_some();
        let stored = stored.unwrap_or_else(|| DUMMY.clone());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return false;
        };
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        ok && exists
    })
    .await
    .unwrap_or(false)
}
