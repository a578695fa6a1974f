//! The postal channel's reads for its pages: a hand-over manifest and its items.

use sqlx::PgConnection;
use uuid::Uuid;

/// A manifest's head: office, unit, direction, their names, made and confirmed.
pub type ManifestHead = (
    Uuid,
    Uuid,
    String,
    String,
    String,
    chrono::DateTime<chrono::Utc>,
    Option<chrono::DateTime<chrono::Utc>>,
);

/// A postal item on a manifest: tracking number, dossier code, recipient, address.
pub type ManifestItem = (Option<String>, Option<String>, String, String);

pub async fn manifest_head(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<ManifestHead>, sqlx::Error> {
    sqlx::query_as(
        "select m.post_office_id, m.unit_id, m.direction, o.name_vi, u.name_vi, m.created_at, m.confirmed_at \
         from postal_manifests m join agencies o on o.id = m.post_office_id join agencies u on u.id = m.unit_id \
         where m.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The items a manifest hands over, in the order they were made.
pub async fn manifest_items(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Vec<ManifestItem>, sqlx::Error> {
    sqlx::query_as(
        "select p.tracking_number, d.code, d.applicant_name, p.address from postal_items p \
         join dossiers d on d.id = p.dossier_id where p.manifest_id = $1 order by p.created_at",
    )
    .bind(id)
    .fetch_all(conn)
    .await
}
