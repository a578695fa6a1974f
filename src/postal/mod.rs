//! The public postal channel (QĐ 45/2016/QĐ-TTg; DOMAIN.md §4.3): papers picked up at the
//! citizen's door and handed to the reception unit, results delivered home, S10 item numbers,
//! hand-over manifests signed off by the receiving side, and a signed webhook for a postal
//! operator's own system — both paths through `service`.

pub mod pages;
pub mod repo;
pub mod routes;
pub mod s10;
pub mod service;
pub mod views;
pub mod webhook;

use sqlx::PgConnection;
use uuid::Uuid;

/// A dossier's postal items, as the citizen's page and public tracking show them.
pub async fn track(
    conn: &mut PgConnection,
    dossier: Uuid,
    lang: crate::kernel::Lang,
) -> Result<Vec<views::TrackView>, sqlx::Error> {
    let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "select direction, status, tracking_number from postal_items where dossier_id = $1 order by created_at",
    )
    .bind(dossier)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(direction, status, tracking)| views::TrackView {
            direction: lang
                .t(&format!("postal.direction_{direction}"))
                .into_owned(),
            status: lang.t(&format!("postal.status_{status}")).into_owned(),
            tracking: tracking.unwrap_or_default(),
        })
        .collect())
}
