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
