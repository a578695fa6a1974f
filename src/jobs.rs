//! Background work of every instance: periodic clean-up of what expires. (The outbox worker
//! arrives with the notifications capability.)

use std::time::Duration;

use sqlx::PgPool;

/// How often the clean-up runs.
const EVERY: Duration = Duration::from_secs(600);

/// Rows removed by one clean-up.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Cleaned {
    pub sessions: u64,
    pub login_failures: u64,
    pub one_time_codes: u64,
}

/// Deletes expired sessions, sign-in failures older than a day and one-time codes that
/// expired more than a day ago.
pub async fn cleanup(db: &PgPool) -> Result<Cleaned, sqlx::Error> {
    let sessions = crate::web::session::delete_expired(db).await?;
    let login_failures =
        sqlx::query("delete from login_failures where at < now() - interval '1 day'")
            .execute(db)
            .await?
            .rows_affected();
    let one_time_codes =
        sqlx::query("delete from one_time_codes where expires_at < now() - interval '1 day'")
            .execute(db)
            .await?
            .rows_affected();
    Ok(Cleaned {
        sessions,
        login_failures,
        one_time_codes,
    })
}

/// Runs [`cleanup`] now and every ten minutes, for as long as the server runs.
pub fn spawn(db: PgPool) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tick.tick().await;
            match cleanup(&db).await {
                Ok(cleaned) => tracing::debug!(?cleaned, "clean-up"),
                Err(error) => tracing::warn!(%error, "clean-up failed"),
            }
        }
    })
}
