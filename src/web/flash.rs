//! One-shot messages across a redirect (post/redirect/get), kept in the session.

use tower_sessions::Session;

const KEY: &str = "flash";

/// Shows `message` (a text already in the user's language) on the next page.
pub async fn set(session: &Session, message: impl Into<String>) {
    let _ = session.insert(KEY, message.into()).await;
}

/// The pending message, removed.
pub async fn take(session: &Session) -> Option<String> {
    session.remove::<String>(KEY).await.ok().flatten()
}
