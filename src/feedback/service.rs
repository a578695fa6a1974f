//! Receiving a feedback sent by the form: the address's share, what was typed, the dossier it
//! names (linked for its signed-in owner or whoever holds its PIN; its receiving unit then
//! answers), the unit and the procedure, then the feedback written with its clock, first step,
//! notice and audit in one transaction. Nothing is kept of a refused one, its file included.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use chrono::Utc;
use uuid::Uuid;

use super::{Created, Draft, New, Problems};
use crate::AppState;
use crate::dossiers::uploads::{Stored, UploadError};
use crate::kernel::Lang;

/// The form as sent: what was typed, and the unit and PIN fields as typed (shown again).
pub struct Sent {
    pub draft: Draft,
    pub agency: String,
    pub dossier_pin: String,
}

impl Sent {
    pub fn read(fields: &BTreeMap<String, String>) -> Self {
        let field = |k: &str| fields.get(k).cloned().unwrap_or_default();
        Self {
            draft: Draft {
                name: field("name"),
                phone: field("phone"),
                email: field("email"),
                agency: field("agency").trim().parse().ok(),
                procedure_code: field("procedure_code"),
                dossier_code: field("dossier_code"),
                category: field("category"),
                body: field("body"),
            },
            agency: field("agency"),
            dossier_pin: field("dossier_pin"),
        }
    }
}

/// A refused feedback: the answer's status and what is wrong (field, message key).
pub type Refused = (StatusCode, Problems);

/// Receives the feedback of `form` (with `file`, already stored and scanned) from `citizen`
/// (signed in) or anyone at `ip`.
pub async fn receive(
    app: &AppState,
    form: &Sent,
    citizen: Option<Uuid>,
    lang: Lang,
    ip: Option<std::net::IpAddr>,
    file: Result<Option<Stored>, UploadError>,
) -> Result<Result<Created, Refused>, crate::web::AppError> {
    let checked = check(app, form, citizen, ip, &file).await;
    let (agency, dossier) = match checked {
        Ok(Ok(routed)) => routed,
        Ok(Err(refused)) => {
            discard(app, &file).await;
            return Ok(Err(refused));
        }
        Err(e) => {
            discard(app, &file).await;
            return Err(e);
        }
    };
    let attachment = file
        .ok()
        .flatten()
        .map(|f| (f.key, f.name, f.content_type.to_owned()));
    let mut tx = app.db.begin().await?;
    let new = New {
        draft: &form.draft,
        citizen,
        lang,
        agency,
        dossier,
        attachment,
    };
    let created = super::create(&mut tx, &app.settings.public_origin, new, Utc::now()).await?;
    crate::audit::record(
        &mut tx,
        crate::audit::Actor::Anonymous,
        "feedback.sent",
        None,
        ip,
        serde_json::json!({"feedback": created.id, "agency": agency}),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(created))
}

async fn discard(app: &AppState, file: &Result<Option<Stored>, UploadError>) {
    if let Ok(Some(f)) = file {
        let _ = app.storage.delete(&f.key).await;
    }
}

/// A dossier a feedback names: id, receiving agency, owner, PIN hash.
type DossierRow = (Uuid, Option<Uuid>, Option<Uuid>, Option<String>);

/// The unit and the dossier the feedback goes to, or why it is refused.
async fn check(
    app: &AppState,
    form: &Sent,
    citizen: Option<Uuid>,
    ip: Option<std::net::IpAddr>,
    file: &Result<Option<Stored>, UploadError>,
) -> Result<Result<(Uuid, Option<Uuid>), Refused>, crate::web::AppError> {
    let d = &form.draft;
    let mut conn = app.db.acquire().await?;
    if !crate::accounts::throttle::may_send_feedback(&mut conn, &app.settings, ip).await? {
        return Ok(Err((
            StatusCode::TOO_MANY_REQUESTS,
            vec![("body", "feedback.too_many")],
        )));
    }
    let mut problems = super::check(d, citizen.is_some());
    if let Err(e) = file {
        problems.push(("file", e.key()));
    }
    // a dossier named: its owner (signed in) or whoever holds its PIN links it
    let mut dossier = None;
    let mut agency = d.agency;
    if !d.dossier_code.trim().is_empty() {
        let found: Option<DossierRow> = sqlx::query_as(
            "select id, receiving_agency_id, citizen_id, pin_hash from dossiers where code = $1",
        )
        .bind(d.dossier_code.trim().to_uppercase())
        .fetch_optional(&mut *conn)
        .await?;
        match found {
            Some((id, receiving, owner, pin))
                if (owner.is_some() && owner == citizen)
                    || pin.as_deref()
                        == Some(
                            crate::dossiers::code::pin_hash(id, &form.dossier_pin).as_str(),
                        ) =>
            {
                dossier = Some(id);
                agency = receiving.or(agency);
            }
            _ => problems.push(("dossier_code", "feedback.error_dossier")),
        }
    }
    if let Some(a) = agency {
        let exists: bool =
            sqlx::query_scalar("select exists (select 1 from agencies where id = $1)")
                .bind(a)
                .fetch_one(&mut *conn)
                .await?;
        if !exists {
            problems.push(("agency", "feedback.error_agency"));
        }
    }
    let procedure = d.procedure_code.trim().to_uppercase();
    if !procedure.is_empty() {
        let known: bool =
            sqlx::query_scalar("select exists (select 1 from procedures where code = $1)")
                .bind(&procedure)
                .fetch_one(&mut *conn)
                .await?;
        if !known {
            problems.push(("procedure_code", "feedback.error_procedure"));
        }
    }
    if agency.is_none() && problems.is_empty() {
        problems.push(("agency", "feedback.error_agency"));
    }
    Ok(match (agency, problems.is_empty()) {
        (Some(agency), true) => Ok((agency, dossier)),
        _ => Err((StatusCode::UNPROCESSABLE_ENTITY, problems)),
    })
}
