//! The citizen's evaluation of each dossier (issue 26; Decree 118/2025 Art. 33): once a
//! dossier has ended (result returned, refused, stopped), its applicant answers each item of
//! Art. 33 in force (dated data, `evaluation_items`) satisfied or not, says overall whether
//! they are satisfied, and may comment; once per dossier, changeable for
//! `evaluation_change_days`. A signed-in owner rates from the dossier's page; a walk-in
//! applicant from the link of the finishing notice, Form 01's QR code or public tracking
//! (`/danh-gia/{token}`), tied to the dossier by the token, not by an account. Each saved
//! evaluation goes to the national evaluation system through its outbox.

pub mod counter;
pub mod pages;
pub mod results;
pub mod routes;
pub mod tally;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::dossiers::DossierStatus;
use crate::kernel::Lang;

/// An item of Art. 33 in force.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Item {
    pub code: String,
    pub label_vi: String,
    pub label_en: String,
}

/// Whether a dossier in `status` has ended, so that it can be evaluated.
pub fn ended(status: DossierStatus) -> bool {
    matches!(
        status,
        DossierStatus::Returned
            | DossierStatus::RefusedOnMerits
            | DossierStatus::RefusedAtReception
            | DossierStatus::Stopped
    )
}

/// A filled-in evaluation, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub satisfied: bool,
    pub answers: BTreeMap<String, String>,
    pub comment: String,
}

/// What is wrong with a form (the field and the message key).
pub type Problems = Vec<(&'static str, &'static str)>;

/// Reads the form: `overall` is "satisfied" or "not_satisfied"; `item-<code>` likewise or
/// empty (not answered); `comment` at most 1,000 characters.
pub fn read(form: &BTreeMap<String, String>, items: &[Item]) -> Result<Evaluation, Problems> {
    let mut problems = Problems::new();
    let satisfied = match form.get("overall").map(String::as_str) {
        Some("satisfied") => Some(true),
        Some("not_satisfied") => Some(false),
        _ => {
            problems.push(("overall", "evaluation.error_overall"));
            None
        }
    };
    let mut answers = BTreeMap::new();
    for item in items {
        match form.get(&format!("item-{}", item.code)).map(String::as_str) {
            Some(a @ ("satisfied" | "not_satisfied")) => {
                answers.insert(item.code.clone(), a.to_owned());
            }
            None | Some("") => {}
            Some(_) => problems.push(("overall", "errors.bad_request_text")),
        }
    }
    let comment = form
        .get("comment")
        .map(|c| c.trim().to_owned())
        .unwrap_or_default();
    if comment.chars().count() > 1000 {
        problems.push(("comment", "evaluation.error_comment"));
    }
    match satisfied {
        Some(satisfied) if problems.is_empty() => Ok(Evaluation {
            satisfied,
            answers,
            comment,
        }),
        _ => Err(problems),
    }
}

/// The items in force on `day`.
pub async fn items(conn: &mut PgConnection, day: NaiveDate) -> Result<Vec<Item>, sqlx::Error> {
    sqlx::query_as(
        "select code, label_vi, label_en from evaluation_items \
         where valid_from <= $1 and (valid_to is null or valid_to > $1) order by position",
    )
    .bind(day)
    .fetch_all(conn)
    .await
}

/// The dossier's evaluation: (satisfied, answers, comment, created).
pub type Stored = (
    bool,
    sqlx::types::Json<BTreeMap<String, String>>,
    String,
    DateTime<Utc>,
);

pub async fn stored(conn: &mut PgConnection, dossier: Uuid) -> Result<Option<Stored>, sqlx::Error> {
    sqlx::query_as(
        "select satisfied, answers, comment, created_at from dossier_evaluations where dossier_id = $1",
    )
    .bind(dossier)
    .fetch_optional(conn)
    .await
}

/// Saves the evaluation of `dossier`: the first one, or a change within `change_days` of it;
/// false when the time to change it has passed.
pub async fn save(
    conn: &mut PgConnection,
    dossier: Uuid,
    e: &Evaluation,
    channel: &str,
    change_days: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "insert into dossier_evaluations (dossier_id, satisfied, answers, comment, channel) \
         values ($1, $2, $3, $4, $5) \
         on conflict (dossier_id) do update set satisfied = excluded.satisfied, \
           answers = excluded.answers, comment = excluded.comment, updated_at = now() \
         where dossier_evaluations.created_at > now() - $6",
    )
    .bind(dossier)
    .bind(e.satisfied)
    .bind(sqlx::types::Json(&e.answers))
    .bind(&e.comment)
    .bind(channel)
    .bind(Duration::days(change_days))
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    crate::national::evaluations::enqueue(conn, dossier).await?;
    Ok(true)
}

/// The token of a dossier's evaluation link (`/danh-gia/{token}`): random, one per dossier,
/// made on first need and kept, so that the finishing notice, Form 01's QR code and public
/// tracking all give the same link; it rates that dossier only.
pub async fn link_token(conn: &mut PgConnection, dossier: Uuid) -> Result<String, sqlx::Error> {
    let fresh = Uuid::new_v4().simple().to_string();
    sqlx::query_scalar(
        "with made as (insert into evaluation_links (dossier_id, token) values ($1, $2) \
           on conflict (dossier_id) do nothing returning token) \
         select token from made union all \
         select token from evaluation_links where dossier_id = $1 limit 1",
    )
    .bind(dossier)
    .bind(&fresh)
    .fetch_one(conn)
    .await
}

/// The dossier a link's token rates, if it is one.
pub async fn dossier_of(conn: &mut PgConnection, token: &str) -> Result<Option<Uuid>, sqlx::Error> {
    if token.len() != 32 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    sqlx::query_scalar("select dossier_id from evaluation_links where token = $1")
        .bind(token)
        .fetch_optional(conn)
        .await
}

/// The signed link of `staff`'s counter tablet.
pub fn tablet_url(secret: &str, staff: Uuid) -> String {
    format!(
        "/danh-gia/quay/{}",
        crate::kernel::signature::id_token(secret, "counter", staff)
    )
}

/// Whether the official's page offers the invitation (an ended dossier): its action.
pub fn invite_url(status: DossierStatus, id: Uuid, _lang: Lang) -> Option<String> {
    ended(status).then(|| format!("/staff/dossiers/{id}/invite-rating"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items() -> Vec<Item> {
        ["a", "dd"]
            .map(|c| Item {
                code: c.to_owned(),
                label_vi: String::new(),
                label_en: String::new(),
            })
            .to_vec()
    }

    fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn an_evaluation_needs_an_overall_answer_and_keeps_the_items_answered() {
        let e = read(
            &form(&[
                ("overall", "not_satisfied"),
                ("item-dd", "not_satisfied"),
                ("item-a", ""),
            ]),
            &items(),
        )
        .unwrap();
        assert!(!e.satisfied);
        assert_eq!(e.answers.len(), 1, "an item not answered is left out");
        let problems = read(&form(&[("item-a", "satisfied")]), &items()).unwrap_err();
        assert_eq!(problems, vec![("overall", "evaluation.error_overall")]);
        let long = "x".repeat(1001);
        let problems = read(
            &form(&[("overall", "satisfied"), ("comment", &long)]),
            &items(),
        )
        .unwrap_err();
        assert_eq!(problems, vec![("comment", "evaluation.error_comment")]);
        assert!(
            read(
                &form(&[("overall", "satisfied"), ("item-a", "maybe")]),
                &items()
            )
            .is_err()
        );
    }

    #[test]
    fn only_ended_dossiers_are_rated() {
        assert!(ended(DossierStatus::Returned) && ended(DossierStatus::Stopped));
        assert!(!ended(DossierStatus::Processing) && !ended(DossierStatus::Submitted));
    }
}
