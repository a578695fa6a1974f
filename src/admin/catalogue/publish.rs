//! Publishing a procedure's draft as a new version from a date: the checks (the draft's own,
//! the decision, the date, no newer version, the version it replaces) and the writes, in one
//! transaction.

use std::net::IpAddr;

use chrono::NaiveDate;
use serde_json::json;
use sqlx::PgPool;
use sqlx::types::Json;
use uuid::Uuid;

use super::*;
use crate::web::{AppError, AppResult, FormErrors};

/// What publishing did.
pub(super) enum Published {
    /// The new version, in force from `effective`.
    Done { code: String, effective: NaiveDate },
    /// The form again, with what is wrong.
    Refused {
        draft: Box<Draft>,
        procedure: Option<Uuid>,
        status: String,
        errors: FormErrors,
    },
}

/// Publishes draft `id` from the date typed (`effective_text`), by the administrator `staff`.
pub(super) async fn publish(
    db: &PgPool,
    id: Uuid,
    effective_text: &str,
    (staff, ip): (Uuid, Option<IpAddr>),
    lang: Lang,
) -> AppResult<Published> {
    let mut tx = db.begin().await?;
    let row: Option<(Option<Uuid>, String, Json<Draft>)> = sqlx::query_as(
        "select procedure_id, status, body from procedure_drafts where id = $1 for update",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let (procedure, status, Json(draft)) = row.ok_or(AppError::NotFound)?;
    if status != "editing" {
        return Err(AppError::Conflict);
    }
    let mut errors = FormErrors::new();
    let known = known(&mut tx).await?;
    check(&draft, &known, translate(&mut errors, lang));
    if draft.decision_no.trim().chars().count() < 3 {
        errors.add("decision_no", lang.t("catalogue_admin.error_decision"));
    }
    let today = crate::deadlines::calendar::today();
    let effective = NaiveDate::parse_from_str(effective_text, "%Y-%m-%d").ok();
    match effective {
        None => errors.add("effective_on", lang.t("catalogue_admin.error_effective")),
        Some(e) if e < today => errors.add(
            "effective_on",
            lang.t("catalogue_admin.error_effective_past"),
        ),
        _ => {}
    }
    let newer: bool = sqlx::query_scalar(
        "select exists (select 1 from procedure_drafts d join procedure_versions b on b.id = d.based_on \
           join procedure_versions n on n.procedure_id = b.procedure_id and n.version_no > b.version_no \
           where d.id = $1)",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    if newer {
        errors.add(
            "effective_on",
            lang.t("catalogue_admin.error_newer_version"),
        );
    }
    let mut old = None;
    if let (Some(p), Some(e)) = (procedure, effective) {
        let in_force: Option<(Uuid, NaiveDate)> = sqlx::query_as(
            "select id, effective_from from procedure_versions where procedure_id = $1 \
               and effective_from <= $2 and (effective_to is null or effective_to > $2) for update",
        )
        .bind(p)
        .bind(e)
        .fetch_optional(&mut *tx)
        .await?;
        match in_force {
            Some((v, from)) if from < e => old = Some(v),
            _ => errors.add(
                "effective_on",
                lang.t("catalogue_admin.error_effective_taken"),
            ),
        }
    }
    let Some(effective) = effective.filter(|_| errors.is_empty()) else {
        return Ok(Published::Refused {
            draft: Box::new(draft),
            procedure,
            status,
            errors,
        });
    };
    let version: Uuid = match old {
        Some(old) => {
            sqlx::query_scalar("select copy_procedure_version($1, $2)")
                .bind(old)
                .bind(effective)
                .fetch_one(&mut *tx)
                .await?
        }
        None => {
            let inserted: Result<Uuid, sqlx::Error> = sqlx::query_scalar(
                "insert into procedures (code, field_id) select $1, id from fields where code = $2 \
                 returning id",
            )
            .bind(&draft.code)
            .bind(&draft.field)
            .fetch_one(&mut *tx)
            .await;
            let procedure = match inserted {
                Ok(p) => p,
                Err(sqlx::Error::Database(e)) if e.constraint() == Some("procedures_code_key") => {
                    return Err(AppError::Conflict);
                }
                Err(e) => return Err(e.into()),
            };
            sqlx::query("update procedure_drafts set procedure_id = $2 where id = $1")
                .bind(id)
                .bind(procedure)
                .execute(&mut *tx)
                .await?;
            sqlx::query_scalar(
                "insert into procedure_versions (procedure_id, version_no, name_vi, name_en, effective_from, \
                   competent_kind, time_limit_unit, online_level, submit_online, submit_counter, submit_post, \
                   result_counter, result_post, result_electronic) \
                 values ($1, 1, $2, '', $3, $4, 'same_day', 'none', false, true, false, true, false, false) \
                 returning id",
            )
            .bind(procedure)
            .bind(&draft.name_vi)
            .bind(effective)
            .bind(&draft.competent_kind)
            .fetch_one(&mut *tx)
            .await?
        }
    };
    write_version(&mut tx, version, &draft).await?;
    sqlx::query(
        "update procedure_drafts set status = 'published', published_version = $2, \
           updated_by = $3, updated_at = now() where id = $1",
    )
    .bind(id)
    .bind(version)
    .bind(staff)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        audit::Actor::Staff(staff),
        "catalogue.version_published",
        Some(&draft.code),
        ip,
        json!({"draft": id, "version": version, "replaces": old, "effective_on": effective}),
    )
    .await?;
    tx.commit().await?;
    Ok(Published::Done {
        code: draft.code,
        effective,
    })
}
