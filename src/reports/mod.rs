//! Reports and dashboards (issue 9): is the province getting people off the counters? Figures
//! are computed from dossier events (DOMAIN.md §6.2, §7).
//!
//! Owns `report_facts` (one narrow row per received dossier), the pools summed from it
//! (`report_pools`, `report_received`) and its queue `report_dirty`, filled by triggers on
//! `dossier_events`, `payments` and `dossier_files`.

pub mod chart;
pub mod domain;
pub mod pages;
pub mod public;
pub mod register;
pub mod repo;
pub mod routes;
pub mod scope;
pub mod views;

use indicatif::{ProgressBar, ProgressStyle};
use sqlx::PgPool;

/// Brings the reports' facts up to date with everything queued, showing progress: the end of
/// a data generator or import, and `motcua refresh-reports`.
pub async fn refresh_all(db: &PgPool) -> anyhow::Result<u64> {
    let mut conn = crate::db::batch_connection(db).await?;
    repo::rebuild_pools(&mut conn, |_| ()).await?;
    if let repo::PoolState::Newer(rules) = repo::pool_state(&mut conn).await? {
        anyhow::bail!(
            "the reports' figures were summed by a newer version of the portal (rules {rules}, \
             this one has {}): run that version's `motcua refresh-reports`",
            repo::POOL_RULES
        );
    }
    let queued = repo::queued(&mut conn).await?;
    if queued == 0 {
        return Ok(0);
    }
    let bar = ProgressBar::new(queued);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message("Updating the reports' figures");
    let taken = repo::drain(&mut conn, |n| bar.inc(n)).await?;
    // a drained queue leaves dead rows behind, and the facts new statistics: what autovacuum
    // would do later, done now so that the next report plans and reads as it should
    bar.set_message("Vacuuming and analysing");
    sqlx::raw_sql("vacuum (analyze) report_dirty, report_facts, report_pools, report_received")
        .execute(&mut conn)
        .await?;
    bar.finish_with_message("Reports' figures up to date");
    Ok(taken)
}
