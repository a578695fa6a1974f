//! What the feedback pages show, shared by the sender's and the unit's pages: one feedback
//! with its history, the keyset cursors of the lists, and the published answers (cached per
//! procedure for the procedure pages).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Category, Status, Step};
use crate::AppState;
use crate::kernel::Lang;
use crate::kernel::time::format_local;
use crate::web::{AppError, AppResult};

/// A step of a feedback's history, as the sender and the unit see it.
pub struct EventView {
    pub at: String,
    pub step: String,
    pub note: String,
}

/// A feedback as its sender and its unit see it.
pub struct Detail {
    pub id: Uuid,
    pub code: String,
    pub status: Status,
    pub status_label: String,
    pub agency_id: Uuid,
    pub agency: String,
    pub about: String,
    pub category: String,
    pub classified: bool,
    pub sender: String,
    pub contact: String,
    pub body: String,
    pub attachment: Option<String>,
    pub created: String,
    pub answer_due: String,
    pub overdue: bool,
    pub question: String,
    pub info: String,
    pub refusal: String,
    pub answer: String,
    pub answer_public: bool,
    pub public_question: String,
    pub satisfied: Option<bool>,
    /// information was asked for already (once only)
    pub asked: bool,
    pub can_reply: bool,
    pub can_judge: bool,
    pub events: Vec<EventView>,
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    id: Uuid,
    code: String,
    status: String,
    agency_id: Uuid,
    agency_vi: String,
    agency_en: String,
    procedure_code: String,
    dossier_code: Option<String>,
    category: String,
    classified_at: Option<DateTime<Utc>>,
    sender_name: String,
    sender_phone: String,
    sender_email: String,
    body: String,
    attachment_name: Option<String>,
    created_at: DateTime<Utc>,
    question: String,
    info: String,
    refusal: String,
    answer: String,
    answer_public: bool,
    public_question: String,
    satisfied: Option<bool>,
    info_requested_at: Option<DateTime<Utc>>,
    #[sqlx(flatten)]
    clock: super::ClockRow,
}

/// Feedback `id` as its pages show it.
pub async fn detail(app: &AppState, id: Uuid, lang: Lang) -> AppResult<Option<Detail>> {
    let mut conn = app.db.acquire().await?;
    let row: Option<DetailRow> = sqlx::query_as(
        "select f.id, f.code, f.status, f.agency_id, a.name_vi as agency_vi, a.name_en as agency_en, \
           f.procedure_code, d.code as dossier_code, f.category, f.classified_at, f.sender_name, \
           f.sender_phone, f.sender_email, f.body, f.attachment_name, f.created_at, f.question, \
           f.info, f.refusal, f.answer, f.answer_public, f.public_question, f.satisfied, \
           f.info_requested_at, f.classified_at is not null as classified, \
           f.repeat_of is not null as repeated, f.refuse_due, f.ask_due, f.answer_due, \
           f.publish_due, f.refused_at, f.answered_at, f.published_at \
         from feedback f join agencies a on a.id = f.agency_id \
         left join dossiers d on d.id = f.dossier_id where f.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let events: Vec<(DateTime<Utc>, String, String)> = sqlx::query_as(
        "select at, step, note from feedback_events where feedback_id = $1 order by id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let status = Status::parse(&r.status).unwrap_or(Status::Received);
    let mut about = Vec::new();
    if !r.procedure_code.is_empty() {
        about.push(format!(
            "{} {}",
            lang.t("feedback.about_procedure"),
            r.procedure_code
        ));
    }
    if let Some(code) = &r.dossier_code {
        about.push(format!("{} {code}", lang.t("feedback.about_dossier")));
    }
    let clock = r.clock.clock();
    let step_note = |step: &str, note: &str| match step {
        "classified" => lang.t(&format!("feedback.category_{note}")).into_owned(),
        "judged" => lang.t(&format!("feedback.judged_{note}")).into_owned(),
        _ => note.to_owned(),
    };
    Ok(Some(Detail {
        id: r.id,
        code: r.code,
        status,
        status_label: lang.t(status.label_key()).into_owned(),
        agency_id: r.agency_id,
        agency: lang.pick(&r.agency_vi, &r.agency_en).to_owned(),
        about: about.join("; "),
        category: Category::parse(&r.category)
            .map(|c| {
                lang.t(&format!("feedback.category_{}", c.as_str()))
                    .into_owned()
            })
            .unwrap_or_default(),
        classified: r.classified_at.is_some(),
        sender: r.sender_name,
        contact: [r.sender_phone, r.sender_email]
            .into_iter()
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        body: r.body,
        attachment: r.attachment_name,
        created: format_local(r.created_at),
        answer_due: format_local(r.clock.times.answer_due),
        overdue: clock.next_due(status).is_some_and(|due| due < Utc::now()),
        question: r.question,
        info: r.info,
        refusal: r.refusal,
        answer: r.answer,
        answer_public: r.answer_public,
        public_question: r.public_question,
        satisfied: r.satisfied,
        asked: r.info_requested_at.is_some(),
        can_reply: super::allowed(
            status,
            Step::Reply,
            r.info_requested_at.is_some(),
            false,
            false,
        ),
        can_judge: super::allowed(
            status,
            Step::Judge,
            true,
            r.answer_public,
            r.satisfied.is_some(),
        ),
        events: events
            .into_iter()
            .map(|(at, step, note)| EventView {
                at: format_local(at),
                note: step_note(&step, &note),
                step: lang.t(&format!("feedback.step_{step}")).into_owned(),
            })
            .collect(),
    }))
}

/// A keyset cursor: "RFC 3339 instant,uuid".
pub fn cursor(after: &str) -> Option<(DateTime<Utc>, Uuid)> {
    let (at, id) = after.split_once(',')?;
    Some((
        DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc),
        id.parse().ok()?,
    ))
}

pub fn cursor_of(at: DateTime<Utc>, id: Uuid) -> String {
    format!("{},{id}", at.to_rfc3339())
}

/// The published answers shown on procedure pages, per (procedure code, language).
pub type AnswersCache = moka::future::Cache<(String, Lang), std::sync::Arc<Vec<Published>>>;

/// The five newest published answers about procedure `code`, from the cache.
pub async fn published_for(
    app: &AppState,
    code: &str,
    lang: Lang,
) -> AppResult<std::sync::Arc<Vec<Published>>> {
    let db = app.db.clone();
    let code = code.to_owned();
    app.published_answers
        .try_get_with((code.clone(), lang), async move {
            published(&db, Some(&code), None, 5, lang)
                .await
                .map(|rows| std::sync::Arc::new(rows.into_iter().map(|r| r.0).collect()))
        })
        .await
        .map_err(|e| AppError::from(anyhow::anyhow!("published answers: {e}")))
}

/// A published answer (no personal data: the unit's rewording of the question, its answer).
pub struct Published {
    pub agency: String,
    pub procedure: String,
    pub question: String,
    pub answer: String,
    pub published: String,
}

/// A published answer as stored: id, agency (vi, en), procedure, question, answer, when.
type PublishedRow = (Uuid, String, String, String, String, String, DateTime<Utc>);

/// The newest published answers, about `procedure` when named, after the keyset `after`.
pub async fn published(
    db: &sqlx::PgPool,
    procedure: Option<&str>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
    lang: Lang,
) -> Result<Vec<(Published, String)>, sqlx::Error> {
    let (at, id) = after.unzip();
    let rows: Vec<PublishedRow> = sqlx::query_as(
        "select f.id, a.name_vi, a.name_en, f.procedure_code, f.public_question, f.answer, \
               f.published_at from feedback f join agencies a on a.id = f.agency_id \
             where f.status = 'published' and ($1::text is null or f.procedure_code = $1) \
               and ($2::timestamptz is null or (f.published_at, f.id) < ($2, $3)) \
             order by f.published_at desc, f.id desc limit $4",
    )
    .bind(procedure)
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, vi, en, procedure, question, answer, at)| {
            (
                Published {
                    agency: lang.pick(&vi, &en).to_owned(),
                    procedure,
                    question,
                    answer,
                    published: format_local(at),
                },
                cursor_of(at, id),
            )
        })
        .collect())
}
