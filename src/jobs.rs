//! Background work of every instance: periodic clean-up of what expires, closing unanswered
//! supplement requests, agencies' hand-overs and the reports' facts. (The outbox worker is
//! `notify::worker`.)

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::storage::Storage;

/// How often the clean-up runs.
const EVERY: Duration = Duration::from_secs(600);

/// Rows and files removed by one clean-up.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Cleaned {
    pub sessions: u64,
    pub login_failures: u64,
    pub one_time_codes: u64,
    /// Stored files no dossier refers to (an upload interrupted between storing the file and
    /// writing its row), and unfinished uploads.
    pub orphan_files: u64,
    /// Dossiers closed because the citizen did not supplement in time (Decree 118 Art. 19(5)).
    pub closed_dossiers: u64,
    /// Open dossiers handed to a renamed or merged agency's successor on its effective date.
    pub transferred_dossiers: u64,
    /// Queued changes taken into the reports' facts (`report_dirty`).
    pub report_changes: u64,
}

/// Files younger than this are left alone: their row may still be on its way.
const ORPHAN_AGE: Duration = Duration::from_secs(3600);

/// Deletes stored files that no `dossier_files` or `feedback` row refers to.
pub async fn clean_orphan_files(
    db: &PgPool,
    storage: &Storage,
    age: Duration,
) -> anyhow::Result<u64> {
    let mut removed = storage.clean_temporary(age).await?;
    let keys = storage.keys_older_than(age).await?;
    if keys.is_empty() {
        return Ok(removed);
    }
    let referenced: Vec<String> = sqlx::query_scalar(
        "select storage_key from dossier_files where storage_key = any($1) \
         union select attachment_key from feedback where attachment_key = any($1)",
    )
    .bind(&keys)
    .fetch_all(db)
    .await?;
    for key in keys.iter().filter(|k| !referenced.contains(k)) {
        storage.delete(key).await?;
        removed += 1;
    }
    Ok(removed)
}

/// Closes the dossiers whose supplement request went unanswered past its limit: the
/// transition is the workflow's `CloseUnanswered`, by the system, one dossier per transaction.
pub async fn close_unanswered(db: &PgPool, now: DateTime<Utc>) -> anyhow::Result<u64> {
    use crate::dossiers::DossierStatus;
    use crate::dossiers::service::{self, Act, ApplyError};
    use crate::dossiers::workflow::{Action, Actor};
    let mut conn = db.acquire().await?;
    let due = crate::processing::repo::unanswered_supplements(&mut conn, now, 500).await?;
    drop(conn);
    let mut closed = 0;
    for (id, status) in due {
        let mut tx = db.begin().await?;
        let note = if status == DossierStatus::ReturnedForCompletion {
            "Quá thời hạn hoàn thiện hồ sơ đã được hướng dẫn khi tiếp nhận (Nghị định 118/2025/NĐ-CP, Điều 17)"
        } else {
            "Quá thời hạn bổ sung hồ sơ (Nghị định 118/2025/NĐ-CP, Điều 19 khoản 5)"
        };
        let act = Act::new(id, status, Action::CloseUnanswered, Actor::System)
            .at(now)
            .note(note);
        match service::apply(&mut tx, act).await {
            Ok(_) => {
                crate::audit::record(
                    &mut tx,
                    crate::audit::Actor::System,
                    "dossier.close_unanswered",
                    None,
                    None,
                    serde_json::json!({"dossier": id}),
                )
                .await?;
                tx.commit().await?;
                closed += 1;
            }
            // answered or stopped meanwhile
            Err(ApplyError::Stale { .. } | ApplyError::Illegal(_) | ApplyError::NotFound) => {}
            Err(ApplyError::Database(e)) => return Err(e.into()),
        }
    }
    Ok(closed)
}

/// Deletes expired sessions, sign-in failures older than a day, one-time codes that expired
/// more than a day ago, and orphaned files; closes unanswered supplement requests; hands open
/// dossiers to successor agencies; brings the reports' facts up to date.
pub async fn cleanup(db: &PgPool, storage: &Storage) -> anyhow::Result<Cleaned> {
    let sessions = crate::web::session::delete_expired(db).await?;
    let login_failures = crate::accounts::throttle::delete_stale(db).await?;
    let one_time_codes =
        sqlx::query("delete from one_time_codes where expires_at < now() - interval '1 day'")
            .execute(db)
            .await?
            .rows_affected();
    Ok(Cleaned {
        sessions,
        login_failures,
        one_time_codes,
        orphan_files: clean_orphan_files(db, storage, ORPHAN_AGE).await?,
        closed_dossiers: close_unanswered(db, Utc::now()).await?,
        transferred_dossiers: crate::admin::agencies::transfer_due(db).await?,
        report_changes: {
            let mut conn = db.acquire().await?;
            crate::reports::repo::rebuild_pools(&mut conn, |_| ()).await?;
            crate::reports::repo::drain(&mut conn, |_| ()).await?
        },
    })
}

/// Runs [`cleanup`] and the drafts' expiry now and every ten minutes, for as long as the
/// server runs.
pub fn spawn(
    db: PgPool,
    storage: Storage,
    drafts: crate::dossiers::drafts::Expiry,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tick.tick().await;
            match cleanup(&db, &storage).await {
                Ok(cleaned) => tracing::debug!(?cleaned, "clean-up"),
                Err(error) => tracing::warn!(error = format!("{error:#}"), "clean-up failed"),
            }
            match crate::dossiers::drafts::expire(&db, drafts, chrono::Utc::now()).await {
                Ok((told, deleted)) if told + deleted > 0 => {
                    tracing::info!(told, deleted, "drafts expiring");
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(error = format!("{error:#}"), "draft expiry failed"),
            }
        }
    })
}
