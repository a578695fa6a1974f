//! Notifications' reads other pages need.

use uuid::Uuid;

/// The number of the citizen's unread notifications.
pub async fn unread(db: &sqlx::PgPool, citizen: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "select count(*) from notifications where citizen_id = $1 and read_at is null",
    )
    .bind(citizen)
    .fetch_one(db)
    .await
}

/// Gives a walk-in's queued filing notice the lookup PIN the counter just issued, in the
/// filing's transaction: the message carries it, the queue forgets it once the message is
/// written.
pub async fn attach_pin(
    conn: &mut sqlx::PgConnection,
    dossier: Uuid,
    pin: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("update notify_queue set pin = $2 where dossier_id = $1 and kind = 'event'")
        .bind(dossier)
        .bind(pin)
        .execute(conn)
        .await?;
    Ok(())
}
