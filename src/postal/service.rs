//! The postal channel's steps, shared by postal staff's pages and the operator's webhook: both
//! produce the same item and dossier events. Each step checks the item's office and status
//! under a row lock; a step that no longer applies is refused and changes nothing.

use serde_json::{Value, json};
use sqlx::PgConnection;
use uuid::Uuid;

use super::s10;
use crate::accounts::domain::StaffRole;
use crate::dossiers::DossierStatus;
use crate::dossiers::service::{self as workflow, Act, ApplyError};
use crate::dossiers::workflow::{Action, Actor};

/// Who takes a step.
#[derive(Debug, Clone, Copy)]
pub enum By {
    Staff(Uuid),
    Webhook,
}

impl By {
    fn source(self) -> &'static str {
        match self {
            Self::Staff(_) => "staff",
            Self::Webhook => "webhook",
        }
    }

    fn staff(self) -> Option<Uuid> {
        match self {
            Self::Staff(id) => Some(id),
            Self::Webhook => None,
        }
    }
}

/// Why a step was refused (message keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    NotFound,
    /// Not this office's item.
    OtherOffice,
    /// The item is not at a step where this applies (a delivery recorded twice…).
    Status,
    TrackingShape,
    TrackingCheckDigit,
    TrackingTaken,
    NoNumbers,
}

impl Refused {
    pub fn key(self) -> &'static str {
        match self {
            Self::NotFound => "postal.error_not_found",
            Self::OtherOffice => "postal.error_other_office",
            Self::Status => "postal.error_status",
            Self::TrackingShape => "postal.error_tracking_shape",
            Self::TrackingCheckDigit => "postal.error_check_digit",
            Self::TrackingTaken => "postal.error_tracking_taken",
            Self::NoNumbers => "postal.error_no_numbers",
        }
    }
}

#[derive(Debug)]
pub enum StepError {
    Refused(Refused),
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StepError {
    fn from(e: sqlx::Error) -> Self {
        Self::Database(e)
    }
}

pub type StepResult<T> = Result<T, StepError>;

fn refuse<T>(r: Refused) -> StepResult<T> {
    Err(StepError::Refused(r))
}

async fn event(
    conn: &mut PgConnection,
    item: Uuid,
    kind: &str,
    by: By,
    external: Option<&str>,
    details: Value,
) -> StepResult<()> {
    sqlx::query(
        "insert into postal_events (item_id, kind, source, staff_id, external_id, details) \
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(item)
    .bind(kind)
    .bind(by.source())
    .bind(by.staff())
    .bind(external)
    .bind(&details)
    .execute(&mut *conn)
    .await?;
    // the audit log too: who, when, what (steps by the operator's system as the system)
    let actor = match by {
        By::Staff(id) => crate::audit::Actor::Staff(id),
        By::Webhook => crate::audit::Actor::System,
    };
    crate::audit::record(
        conn,
        actor,
        &format!("postal.{kind}"),
        None,
        None,
        json!({"item": item, "details": details}),
    )
    .await?;
    Ok(())
}

/// The post office serving a reception unit.
pub async fn office_of(conn: &mut PgConnection, unit: Uuid) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "select post_office_id from postal_service_areas where unit_id = $1 order by post_office_id limit 1",
    )
    .bind(unit)
    .fetch_optional(conn)
    .await
}

/// A pick-up for a submitted dossier whose papers come by post.
pub async fn schedule_pickup(
    conn: &mut PgConnection,
    dossier: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    let row: Option<(Option<Uuid>, String, String)> = sqlx::query_as(
        "select receiving_agency_id, pickup_address, applicant_phone from dossiers \
         where id = $1 and paper_channel = 'postal_pickup'",
    )
    .bind(dossier)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((Some(unit), address, phone)) = row else {
        return Ok(None);
    };
    let Some(office) = office_of(conn, unit).await? else {
        tracing::warn!(%dossier, "no post office serves the receiving unit; no pick-up scheduled");
        return Ok(None);
    };
    let id: Uuid = sqlx::query_scalar(
        "insert into postal_items (dossier_id, direction, post_office_id, status, address, phone) \
         values ($1, 'pickup', $2, 'scheduled', $3, $4) returning id",
    )
    .bind(dossier)
    .bind(office)
    .bind(address)
    .bind(phone)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Some(id))
}

/// The next S10 number of an office's ranges.
pub async fn issue_number(conn: &mut PgConnection, office: Uuid) -> StepResult<String> {
    let next: Option<(String, i32)> = sqlx::query_as(
        "update postal_number_ranges set next_serial = next_serial + 1 where id = ( \
           select id from postal_number_ranges where post_office_id = $1 and next_serial <= last_serial \
           order by first_serial limit 1 for update) \
         returning prefix, next_serial - 1",
    )
    .bind(office)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((prefix, serial)) = next else {
        return refuse(Refused::NoNumbers);
    };
    u32::try_from(serial)
        .ok()
        .and_then(|s| s10::item_number(&prefix, s, "VN"))
        .map_or_else(|| refuse(Refused::NoNumbers), Ok)
}

fn checked_number(input: &str) -> StepResult<String> {
    s10::parse(input).map_err(|e| {
        StepError::Refused(match e {
            s10::S10Error::Shape => Refused::TrackingShape,
            s10::S10Error::CheckDigit => Refused::TrackingCheckDigit,
        })
    })
}

/// An item locked, if it belongs to `office` (None: any office — the operator's webhook).
async fn lock(
    conn: &mut PgConnection,
    item: Uuid,
    office: Option<Uuid>,
) -> StepResult<(Uuid, Uuid, String, String)> {
    let row: Option<(Uuid, Uuid, String, String)> = sqlx::query_as(
        "select dossier_id, post_office_id, direction, status from postal_items where id = $1 for update",
    )
    .bind(item)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return refuse(Refused::NotFound);
    };
    if office.is_some_and(|o| o != row.1) {
        return refuse(Refused::OtherOffice);
    }
    Ok(row)
}

/// The papers collected at the citizen's door: numbered (typed, or issued from the office's
/// range), the fee taken if any.
#[allow(clippy::too_many_arguments)]
pub async fn collect(
    conn: &mut PgConnection,
    item: Uuid,
    office: Option<Uuid>,
    tracking: Option<&str>,
    fee_vnd: i64,
    documents: &[String],
    by: By,
    external: Option<&str>,
) -> StepResult<String> {
    let (dossier, post_office, direction, status) = lock(conn, item, office).await?;
    if direction != "pickup" || !matches!(status.as_str(), "scheduled" | "incomplete") {
        return refuse(Refused::Status);
    }
    let number = match tracking.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => checked_number(t)?,
        None => issue_number(conn, post_office).await?,
    };
    let updated = sqlx::query(
        "update postal_items set status = 'collected', tracking_number = $2 where id = $1",
    )
    .bind(item)
    .bind(&number)
    .execute(&mut *conn)
    .await;
    match updated {
        Ok(_) => {}
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return refuse(Refused::TrackingTaken);
        }
        Err(e) => return Err(e.into()),
    }
    if fee_vnd > 0 {
        // the post office takes the fee as a counter payment of the dossier (QĐ 45/2016 Art. 11)
        let payment: Uuid = sqlx::query_scalar(
            "insert into payments (dossier_id, amount_vnd, items, method, status, settled_at, settled_by, recorded_by) \
             values ($1, $2, $3, 'cash', 'paid', now(), 'counter', $4) returning id",
        )
        .bind(dossier)
        .bind(fee_vnd)
        .bind(json!([{"label": "Phí, lệ phí thu hộ qua bưu điện", "amount_vnd": fee_vnd, "quantity": 1}]))
        .bind(by.staff())
        .fetch_one(&mut *conn)
        .await?;
        crate::payments::service::issue_receipt(conn, payment)
            .await
            .map_err(|e| StepError::Database(sqlx::Error::Protocol(format!("{e:#}"))))?;
        // a dossier waiting for its fee goes on
        crate::payments::service::dossier_paid(
            conn,
            dossier,
            Actor::System,
            None,
            &format!("Bưu điện thu hộ {fee_vnd} đồng"),
        )
        .await
        .map_err(|e| StepError::Database(sqlx::Error::Protocol(format!("{e:#}"))))?;
    }
    event(
        conn,
        item,
        "collected",
        by,
        external,
        json!({"tracking_number": number, "fee_vnd": fee_vnd, "documents": documents}),
    )
    .await?;
    Ok(number)
}

/// The citizen must complete something before the papers can go.
pub async fn incomplete(
    conn: &mut PgConnection,
    item: Uuid,
    office: Option<Uuid>,
    note: &str,
    by: By,
) -> StepResult<()> {
    let (_, _, direction, status) = lock(conn, item, office).await?;
    if direction != "pickup" || status != "scheduled" {
        return refuse(Refused::Status);
    }
    sqlx::query("update postal_items set status = 'incomplete', note = $2 where id = $1")
        .bind(item)
        .bind(note)
        .execute(&mut *conn)
        .await?;
    event(conn, item, "incomplete", by, None, json!({"note": note})).await
}

/// A manifest of collected pick-ups for one unit: the items go to the unit, which signs off.
pub async fn manifest_to_unit(
    conn: &mut PgConnection,
    office: Uuid,
    unit: Uuid,
    items: &[Uuid],
    by: By,
) -> StepResult<Uuid> {
    if items.is_empty() {
        return refuse(Refused::NotFound);
    }
    let manifest: Uuid = sqlx::query_scalar(
        "insert into postal_manifests (post_office_id, unit_id, direction, created_by) \
         values ($1, $2, 'to_unit', $3) returning id",
    )
    .bind(office)
    .bind(unit)
    .bind(by.staff())
    .fetch_one(&mut *conn)
    .await?;
    for item in items {
        let (dossier, _, direction, status) = lock(conn, *item, Some(office)).await?;
        let of_unit: bool =
            sqlx::query_scalar("select receiving_agency_id = $2 from dossiers where id = $1")
                .bind(dossier)
                .bind(unit)
                .fetch_one(&mut *conn)
                .await?;
        if direction != "pickup" || status != "collected" || !of_unit {
            return refuse(Refused::Status);
        }
        sqlx::query(
            "update postal_items set status = 'handed_over', manifest_id = $2 where id = $1",
        )
        .bind(item)
        .bind(manifest)
        .execute(&mut *conn)
        .await?;
        event(
            conn,
            *item,
            "handed_over",
            by,
            None,
            json!({"manifest": manifest}),
        )
        .await?;
    }
    Ok(manifest)
}

/// The receiving side signs a manifest off. To the unit: the dossiers arrive (channel 3, post;
/// the arrival time is their receipt time). To the post: the results go out for delivery.
pub async fn confirm_manifest(
    conn: &mut PgConnection,
    manifest: Uuid,
    staff: Uuid,
    side: &[Uuid],
) -> StepResult<usize> {
    let row: Option<(Uuid, Uuid, String, Option<Uuid>)> = sqlx::query_as(
        "select post_office_id, unit_id, direction, confirmed_by from postal_manifests where id = $1 for update",
    )
    .bind(manifest)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((office, unit, direction, confirmed)) = row else {
        return refuse(Refused::NotFound);
    };
    let mine = if direction == "to_unit" { unit } else { office };
    if !side.contains(&mine) {
        return refuse(Refused::OtherOffice);
    }
    if confirmed.is_some() {
        return refuse(Refused::Status);
    }
    sqlx::query(
        "update postal_manifests set confirmed_by = $2, confirmed_at = now() where id = $1",
    )
    .bind(manifest)
    .bind(staff)
    .execute(&mut *conn)
    .await?;
    let items: Vec<(Uuid, Uuid)> = sqlx::query_as(
        "select id, dossier_id from postal_items where manifest_id = $1 and status = 'handed_over' for update",
    )
    .bind(manifest)
    .fetch_all(&mut *conn)
    .await?;
    for (item, dossier) in &items {
        if direction == "to_unit" {
            sqlx::query("update postal_items set status = 'received' where id = $1")
                .bind(item)
                .execute(&mut *conn)
                .await?;
            sqlx::query(
                "update dossiers set intake_channel = 3, submitted_at = now() where id = $1",
            )
            .bind(dossier)
            .execute(&mut *conn)
            .await?;
            event(
                conn,
                *item,
                "received",
                By::Staff(staff),
                None,
                json!({"manifest": manifest}),
            )
            .await?;
        } else {
            sqlx::query("update postal_items set status = 'out' where id = $1")
                .bind(item)
                .execute(&mut *conn)
                .await?;
            event(
                conn,
                *item,
                "out",
                By::Staff(staff),
                None,
                json!({"manifest": manifest}),
            )
            .await?;
        }
    }
    Ok(items.len())
}

/// Results with "return by post" handed to the post office: a delivery item each (numbered
/// from the office's range) on one manifest; the dossiers go out for delivery.
pub async fn manifest_to_post(
    conn: &mut PgConnection,
    unit: Uuid,
    dossiers: &[Uuid],
    staff: Uuid,
) -> StepResult<Uuid> {
    let Some(office) = office_of(conn, unit).await? else {
        return refuse(Refused::NotFound);
    };
    if dossiers.is_empty() {
        return refuse(Refused::NotFound);
    }
    let manifest: Uuid = sqlx::query_scalar(
        "insert into postal_manifests (post_office_id, unit_id, direction, created_by) \
         values ($1, $2, 'to_post', $3) returning id",
    )
    .bind(office)
    .bind(unit)
    .bind(staff)
    .fetch_one(&mut *conn)
    .await?;
    for dossier in dossiers {
        let row: Option<(String, String, String, Option<Uuid>)> = sqlx::query_as(
            "select result_channel, result_address, applicant_phone, receiving_agency_id from dossiers where id = $1",
        )
        .bind(dossier)
        .fetch_optional(&mut *conn)
        .await?;
        let Some((channel, address, phone, receiving)) = row else {
            return refuse(Refused::NotFound);
        };
        if channel != "post" || receiving != Some(unit) {
            return refuse(Refused::Status);
        }
        let act = Act::new(
            *dossier,
            DossierStatus::ResultReady,
            Action::HandToPost,
            Actor::Staff(StaffRole::Reception),
        )
        .by(staff, Some(unit))
        .to(Some(office), None);
        match workflow::apply(conn, act).await {
            Ok(_) => {}
            Err(ApplyError::Database(e)) => return Err(e.into()),
            Err(_) => return refuse(Refused::Status),
        }
        let number = issue_number(conn, office).await?;
        let item: Uuid = sqlx::query_scalar(
            "insert into postal_items (dossier_id, direction, post_office_id, status, tracking_number, address, phone, manifest_id) \
             values ($1, 'delivery', $2, 'handed_over', $3, $4, $5, $6) returning id",
        )
        .bind(dossier)
        .bind(office)
        .bind(&number)
        .bind(address)
        .bind(phone)
        .bind(manifest)
        .fetch_one(&mut *conn)
        .await?;
        event(
            conn,
            item,
            "handed_over",
            By::Staff(staff),
            None,
            json!({"manifest": manifest, "tracking_number": number}),
        )
        .await?;
    }
    Ok(manifest)
}

/// A delivery attempt's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// To the person, or to a relative who showed their ID.
    Delivered {
        recipient: String,
        relative_id: Option<String>,
    },
    Failed {
        reason: String,
    },
    /// Given up: brought back to the unit.
    Returned {
        reason: String,
    },
}

/// Records a delivery attempt. Delivered ends the dossier ("Đã trả kết quả"); returned brings
/// it back to "result ready" at the unit.
pub async fn attempt(
    conn: &mut PgConnection,
    item: Uuid,
    office: Option<Uuid>,
    outcome: &Attempt,
    by: By,
    external: Option<&str>,
) -> StepResult<()> {
    let (dossier, post_office, direction, status) = lock(conn, item, office).await?;
    if direction != "delivery" || status != "out" {
        return refuse(Refused::Status);
    }
    let (new_status, action, kind, details) = match outcome {
        Attempt::Delivered {
            recipient,
            relative_id,
        } => (
            "delivered",
            Some(Action::Delivered),
            "delivered",
            json!({"recipient": recipient, "relative_id": relative_id}),
        ),
        Attempt::Failed { reason } => ("out", None, "failed", json!({"reason": reason})),
        Attempt::Returned { reason } => (
            "returned",
            Some(Action::ReturnedByPost),
            "returned",
            json!({"reason": reason}),
        ),
    };
    sqlx::query("update postal_items set status = $2, attempts = attempts + 1 where id = $1")
        .bind(item)
        .bind(new_status)
        .execute(&mut *conn)
        .await?;
    if let Some(action) = action {
        let mut act = Act::new(
            dossier,
            DossierStatus::OutForDelivery,
            action,
            Actor::Staff(StaffRole::Postal),
        )
        .to(None, None);
        if let Some(staff) = by.staff() {
            act = act.by(staff, Some(post_office));
        }
        match workflow::apply(conn, act).await {
            Ok(_) => {}
            Err(ApplyError::Database(e)) => return Err(e.into()),
            Err(_) => return refuse(Refused::Status),
        }
        if action == Action::Delivered {
            sqlx::query("update dossiers set returned_at = now() where id = $1")
                .bind(dossier)
                .execute(&mut *conn)
                .await?;
        }
    }
    event(conn, item, kind, by, external, details).await
}

/// Records a refused attempt (webhook or staff) for the administrators.
pub async fn refusal(
    conn: &mut PgConnection,
    source: &str,
    reason: &str,
    details: Value,
) -> Result<(), sqlx::Error> {
    sqlx::query("insert into postal_refusals (source, reason, details) values ($1, $2, $3)")
        .bind(source)
        .bind(reason)
        .bind(details)
        .execute(conn)
        .await?;
    Ok(())
}
