//! Applying a workflow action to a dossier: the row locked, the pure transitions computed
//! (status and processing step), a conditional UPDATE on the expected status, an event in the
//! history — all in the caller's transaction. Concurrent or stale actions change nothing.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::status::DossierStatus;
use super::workflow::{self, Action, Actor, IllegalTransition, Step};

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

fn actor_kind(actor: Actor) -> &'static str {
    match actor {
        Actor::Citizen => "citizen",
        Actor::Staff(_) => "staff",
        Actor::System => "system",
    }
}

/// One action on one dossier, with everything its history row records.
#[derive(Debug, Clone)]
pub struct Act<'a> {
    pub dossier: Uuid,
    /// The status the acting page showed.
    pub expected: DossierStatus,
    /// The processing step it showed, when the actor saw one (None: not checked).
    pub expected_step: Option<Option<Step>>,

    pub action: Action,
    pub actor: Actor,
    pub actor_id: Option<Uuid>,
    /// The agency the actor acts for.
    pub agency_id: Option<Uuid>,
    pub note: &'a str,
    /// Who receives the dossier by this hand-over (Form 06).
    pub to_agency_id: Option<Uuid>,
    pub to_staff_id: Option<Uuid>,
    /// The deadline this hand-over is judged against (early / on time / late).
    pub step_due_at: Option<DateTime<Utc>>,
    pub details: serde_json::Value,
    /// When (None: the transaction's time in the database).
    pub at: Option<DateTime<Utc>>,
}

impl<'a> Act<'a> {
    pub fn new(dossier: Uuid, expected: DossierStatus, action: Action, actor: Actor) -> Self {
        Self {
            dossier,
            expected,
            expected_step: None,
            action,
            actor,
            actor_id: None,
            agency_id: None,
            note: "",
            to_agency_id: None,
            to_staff_id: None,
            step_due_at: None,
            details: serde_json::Value::Object(Default::default()),
            at: None,
        }
    }

    pub fn by(mut self, actor_id: Uuid, agency_id: Option<Uuid>) -> Self {
        self.actor_id = Some(actor_id);
        self.agency_id = agency_id;
        self
    }

    /// Refuses the action as stale unless the dossier is still at `step`.
    pub fn at_step(mut self, step: Option<Step>) -> Self {
        self.expected_step = Some(step);
        self
    }

    pub fn note(mut self, note: &'a str) -> Self {
        self.note = note;
        self
    }

    pub fn to(mut self, agency: Option<Uuid>, staff: Option<Uuid>) -> Self {
        self.to_agency_id = agency;
        self.to_staff_id = staff;
        self
    }

    /// When it happened (default: the transaction's time in the database).
    pub fn at(mut self, at: DateTime<Utc>) -> Self {
        self.at = Some(at);
        self
    }

    pub fn judged_by(mut self, due: Option<DateTime<Utc>>) -> Self {
        self.step_due_at = due;
        self
    }

    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }
}

/// What an applied action led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    pub status: DossierStatus,
    pub step: Option<Step>,
    pub event_id: i64,
}

fn role_name(actor: Actor) -> Option<String> {
    match actor {
        Actor::Staff(role) => Some(role.as_str().to_owned()),
        Actor::Citizen => Some("citizen".to_owned()),
        Actor::System => None,
    }
}

/// Applies an action to a dossier that the page showed in status `act.expected`.
pub async fn apply(conn: &mut PgConnection, act: Act<'_>) -> Result<Applied, ApplyError> {
    let row: Option<(DossierStatus, Option<Step>, i64)> = sqlx::query_as(
        "select d.status, d.step, (select count(*) from dossier_events e \
           where e.dossier_id = d.id and e.to_status = 'supplement_requested' \
             and e.from_status is distinct from 'supplement_requested') \
         from dossiers d where d.id = $1 for update",
    )
    .bind(act.dossier)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((current, step, supplements)) = row else {
        return Err(ApplyError::NotFound);
    };
    if current != act.expected || act.expected_step.is_some_and(|s| s != step) {
        return Err(ApplyError::Stale { current });
    }
    let next = workflow::next(
        current,
        act.action,
        act.actor,
        u32::try_from(supplements).unwrap_or(u32::MAX),
    )
    .map_err(ApplyError::Illegal)?;
    let next_step =
        workflow::step_after(current, step, act.action, next).map_err(ApplyError::Illegal)?;
    let updated = sqlx::query(
        "update dossiers set status = $2, step = $4 where id = $1 and status = $3 \
           and step is not distinct from $5",
    )
    .bind(act.dossier)
    .bind(next)
    .bind(current)
    .bind(next_step)
    .bind(step)
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(ApplyError::Stale { current });
    }
    let (event_id,): (i64,) = sqlx::query_as(
        "insert into dossier_events (dossier_id, from_status, to_status, actor_kind, actor_id, note, \
           action, actor_role, agency_id, to_agency_id, to_staff_id, form, step_due_at, details, at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, coalesce($15, now())) \
         returning id",
    )
    .bind(act.dossier)
    .bind(current)
    .bind(next)
    .bind(actor_kind(act.actor))
    .bind(act.actor_id)
    .bind(act.note)
    .bind(act.action.as_str())
    .bind(role_name(act.actor))
    .bind(act.agency_id)
    .bind(act.to_agency_id)
    .bind(act.to_staff_id)
    .bind(act.action.form())
    .bind(act.step_due_at)
    .bind(&act.details)
    .bind(act.at)
    .fetch_one(conn)
    .await?;
    Ok(Applied {
        status: next,
        step: next_step,
        event_id,
    })
}
