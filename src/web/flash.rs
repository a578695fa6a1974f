//! One-shot messages across a redirect (post/redirect/get), kept in the session.

use tower_sessions::Session;

const KEY: &str = "flash";

/// Shows `message` (a text already in the user's language) on the next page.
pub async fn set(session: &Session, message: impl Into<String>) {
    let _ = session.insert(KEY, message.into()).await;
}

/// The pending message, removed. A session without one is left untouched (removing marks a
/// session modified even when there was nothing to remove, and it would be rewritten).
pub async fn take(session: &Session) -> Option<String> {
    let message = session.get::<String>(KEY).await.ok().flatten()?;
    let _ = session.remove_value(KEY).await;
    Some(message)
}
