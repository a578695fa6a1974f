//! Applying a workflow action to a dossier: the row locked, the pure transition computed, a
//! conditional UPDATE on the expected status, an event in the history — all in the caller's
//! transaction. Concurrent or stale actions change nothing.

use sqlx::PgConnection;
use uuid::Uuid;

use super::status::DossierStatus;
use super::workflow::{self, Action, Actor, IllegalTransition};

/// Why an action did not apply.
#[derive(Debug)]
pub enum ApplyError {
    NotFound,
    /// The dossier changed since the page was shown (or by a concurrent action).
    Stale {
        current: DossierStatus,
    },
    Illegal(IllegalTransition),
    Database(sqlx::Error),
}

impl From<sqlx::Error> for ApplyError {
    fn from(e: sqlx::Error) -> Self {
        Self::Database(e)
    }
}

fn actor_parts(actor: Actor) -> &'static str {
    match actor {
        Actor::Citizen => "citizen",
        Actor::Staff(_) => "staff",
        Actor::System => "system",
    }
}

/// Applies `action` to a dossier that the page showed in status `expected`.
pub async fn apply(
    conn: &mut PgConnection,
    dossier: Uuid,
    expected: DossierStatus,
    action: Action,
    actor: Actor,
    actor_id: Option<Uuid>,
    note: &str,
) -> Result<DossierStatus, ApplyError> {
    let row: Option<(DossierStatus, i64)> = sqlx::query_as(
        "select d.status, (select count(*) from dossier_events e \
           where e.dossier_id = d.id and e.to_status = 'supplement_requested') \
         from dossiers d where d.id = $1 for update",
    )
    .bind(dossier)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((current, supplements)) = row else {
        return Err(ApplyError::NotFound);
    };
    if current != expected {
        return Err(ApplyError::Stale { current });
    }
    let next = workflow::next(
        current,
        action,
        actor,
        u32::try_from(supplements).unwrap_or(u32::MAX),
    )
    .map_err(ApplyError::Illegal)?;
    let updated = sqlx::query("update dossiers set status = $2 where id = $1 and status = $3")
        .bind(dossier)
        .bind(next)
        .bind(current)
        .execute(&mut *conn)
        .await?;
    if updated.rows_affected() != 1 {
        return Err(ApplyError::Stale { current });
    }
    sqlx::query(
        "insert into dossier_events (dossier_id, from_status, to_status, actor_kind, actor_id, note) \
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(dossier)
    .bind(current)
    .bind(next)
    .bind(actor_parts(actor))
    .bind(actor_id)
    .bind(note)
    .execute(conn)
    .await?;
    Ok(next)
}
