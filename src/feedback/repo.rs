//! The feedback's reads and writes: the clock in force, a new feedback with its first step and
//! notice, the unit's and the sender's steps (each under the feedback's row lock, checked
//! against [`super::allowed`]), the notices, the history, and the period's figures.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{
    Category, Clock, Draft, Figures, Rules, Status, Step, allowed, due, new_code, pin_hash,
};
use crate::deadlines::calendar::{Calendar, to_local};
use crate::kernel::Lang;

/// The 766 clock in force on `day`, in working days.
pub async fn rules(conn: &mut PgConnection, day: NaiveDate) -> Result<Rules, sqlx::Error> {
    let rows: Vec<(String, i32)> = sqlx::query_as(
        "select step, working_days from feedback_rules \
         where valid_from <= $1 and (valid_to is null or valid_to > $1)",
    )
    .bind(day)
    .fetch_all(conn)
    .await?;
    let get = |step: &str, default: u32| {
        rows.iter()
            .find(|r| r.0 == step)
            .and_then(|r| u32::try_from(r.1).ok())
            .unwrap_or(default)
    };
    Ok(Rules {
        refuse: get("refuse", 2),
        ask: get("ask", 5),
        answer: get("answer", 15),
        publish: get("publish", 2),
    })
}

/// The rules in force at `now` and the working-day calendar, to set a step's due time.
async fn clock_at(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
) -> Result<(Rules, Calendar), sqlx::Error> {
    let rules = rules(conn, to_local(now).date()).await?;
    let calendar = crate::deadlines::repo::load(conn).await?;
    Ok((rules, calendar))
}

/// Tells the sender of feedback `id` of a step, by the channels they gave and in their portal
/// list when they have an account (`reason`: the refusal, question or answer).
pub async fn tell(
    conn: &mut PgConnection,
    origin: &str,
    id: Uuid,
    kind: &str,
    reason: &str,
) -> Result<(), sqlx::Error> {
    #[allow(clippy::type_complexity)]
    let row: Option<(
        String,
        String,
        String,
        String,
        Option<Uuid>,
        String,
        String,
        String,
        DateTime<Utc>,
    )> = sqlx::query_as(
        "select f.code, f.sender_name, f.sender_phone, f.sender_email, f.citizen_id, f.lang, \
               a.name_vi, a.name_en, f.answer_due \
             from feedback f join agencies a on a.id = f.agency_id where f.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((code, name, phone, email, citizen, lang, agency_vi, agency_en, answer_due)) = row
    else {
        return Ok(());
    };
    let lang = Lang::parse(&lang).unwrap_or_default();
    let Some(template) = crate::notify::compose::template(conn, kind, lang).await? else {
        tracing::warn!(kind, "no message template");
        return Ok(());
    };
    let vars = HashMap::from([
        ("name", name),
        ("code", code.clone()),
        ("agency", lang.pick(&agency_vi, &agency_en).to_owned()),
        ("due", crate::kernel::time::format_local(answer_due)),
        ("reason", reason.to_owned()),
        (
            "link",
            format!(
                "{origin}/phan-anh/theo-doi?code={}",
                crate::web::paths::encode(&code)
            ),
        ),
    ]);
    let fill = crate::notify::compose::fill;
    let (subject, body, sms) = (
        fill(&template.subject, &vars),
        fill(&template.body, &vars),
        crate::notify::compose::sms(&template.sms, &vars),
    );
    let mut outbox = Vec::new();
    if email.contains('@') {
        outbox.push(("email", email.as_str(), subject.as_str(), body.as_str()));
    }
    if !phone.is_empty() {
        outbox.push(("sms", phone.as_str(), "", sms.as_str()));
    }
    for (channel, recipient, subject, body) in outbox {
        sqlx::query(
            "insert into outbound_messages (channel, recipient, subject, body, kind, citizen_id) \
             values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(channel)
        .bind(recipient)
        .bind(subject)
        .bind(body)
        .bind(kind)
        .bind(citizen)
        .execute(&mut *conn)
        .await?;
    }
    if let Some(citizen) = citizen {
        sqlx::query(
            "insert into notifications (citizen_id, kind, subject, body) values ($1, $2, $3, $4)",
        )
        .bind(citizen)
        .bind(kind)
        .bind(&subject)
        .bind(&body)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A feedback to write: what was typed, checked, and where it goes.
pub struct New<'a> {
    pub draft: &'a Draft,
    pub citizen: Option<Uuid>,
    pub lang: Lang,
    pub agency: Uuid,
    pub dossier: Option<Uuid>,
    /// the attachment, already stored and scanned: (key, name, content type)
    pub attachment: Option<(String, String, String)>,
}

/// A written feedback: what the sender must keep.
pub struct Created {
    pub id: Uuid,
    pub code: String,
    pub pin: String,
    pub answer_due: DateTime<Utc>,
}

/// Writes a new feedback received at `now`, with its clock from the rules in force that day,
/// its history's first step and the sender's notice; in the caller's transaction.
pub async fn create(
    conn: &mut PgConnection,
    origin: &str,
    f: New<'_>,
    now: DateTime<Utc>,
) -> Result<Created, sqlx::Error> {
    let day = to_local(now).date();
    let (rules, calendar) = clock_at(conn, now).await?;
    let id = Uuid::now_v7();
    let code = new_code(day);
    let pin = crate::dossiers::code::new_pin();
    let d = f.draft;
    let phone = crate::accounts::domain::PhoneNumber::parse(&d.phone)
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let email = d.email.trim().to_lowercase();
    let answer_due = due(&calendar, now, rules.answer);
    let (key, name, kind) = f.attachment.unwrap_or_default();
    sqlx::query(
        "insert into feedback (id, code, pin_hash, citizen_id, sender_name, sender_phone, \
           sender_email, lang, agency_id, procedure_code, dossier_id, category, body, \
           attachment_key, attachment_name, attachment_type, created_at, refuse_due, ask_due, \
           answer_due, next_due, repeat_of) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, nullif($14, ''), \
           nullif($15, ''), nullif($16, ''), $17, $18, $19, $20, $20, \
           (select p.id from feedback p \
             where p.agency_id = $9 and p.procedure_code = $10 \
               and p.dossier_id is not distinct from $11 \
               and p.status in ('answered', 'published', 'refused') \
               and (p.citizen_id = $4 or (p.sender_phone <> '' and p.sender_phone = $6) \
                    or (p.sender_email <> '' and p.sender_email = $7)) \
             order by p.created_at desc limit 1))",
    )
    .bind(id)
    .bind(&code)
    .bind(pin_hash(id, &pin))
    .bind(f.citizen)
    .bind(d.name.trim())
    .bind(&phone)
    .bind(&email)
    .bind(f.lang.code())
    .bind(f.agency)
    .bind(d.procedure_code.trim().to_uppercase())
    .bind(f.dossier)
    .bind(&d.category)
    .bind(d.body.trim())
    .bind(key)
    .bind(name)
    .bind(kind)
    .bind(now)
    .bind(due(&calendar, now, rules.refuse))
    .bind(due(&calendar, now, rules.ask))
    .bind(answer_due)
    .execute(&mut *conn)
    .await?;
    record(conn, id, "received", None, "").await?;
    tell(conn, origin, id, "feedback_received", "").await?;
    Ok(Created {
        id,
        code,
        pin,
        answer_due,
    })
}

/// What an official typed for a step.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub category: String,
    pub text: String,
    pub public: bool,
    pub public_question: String,
}

/// A step refused: the field and the message key.
pub type Refusal = (&'static str, &'static str);

/// The feedback as a step needs it, locked.
#[derive(sqlx::FromRow)]
struct Locked {
    status: String,
    info_requested_at: Option<DateTime<Utc>>,
    answer_public: bool,
    satisfied: Option<bool>,
}

async fn lock(conn: &mut PgConnection, id: Uuid, step: Step) -> Result<bool, sqlx::Error> {
    let row: Option<Locked> = sqlx::query_as(
        "select status, info_requested_at, answer_public, satisfied from feedback \
         where id = $1 for update",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some_and(|r| {
        Status::parse(&r.status).is_some_and(|status| {
            allowed(
                status,
                step,
                r.info_requested_at.is_some(),
                r.answer_public,
                r.satisfied.is_some(),
            )
        })
    }))
}

fn text_of(text: &str, field: &'static str, max: usize) -> Result<String, Refusal> {
    let text = text.trim();
    if text.is_empty() {
        return Err((field, "feedback.error_text"));
    }
    if text.chars().count() > max {
        return Err((field, "feedback.error_text_long"));
    }
    Ok(text.to_owned())
}

/// Takes a unit's step on feedback `id` at `now` (in the caller's transaction), telling the
/// sender; Ok(Err) when the step does not apply or what was typed is wrong.
pub async fn act(
    conn: &mut PgConnection,
    origin: &str,
    id: Uuid,
    staff: Uuid,
    step: Step,
    input: &Input,
    now: DateTime<Utc>,
) -> Result<Result<(), Refusal>, sqlx::Error> {
    if !lock(conn, id, step).await? {
        return Ok(Err(("do", "feedback.error_step")));
    }
    let text = |max| text_of(&input.text, "text", max);
    let (step_name, note, notice) = match step {
        Step::Classify => {
            let Some(category) = Category::parse(&input.category) else {
                return Ok(Err(("category", "feedback.error_category")));
            };
            sqlx::query("update feedback set category = $2, classified_at = $3 where id = $1")
                .bind(id)
                .bind(category.as_str())
                .bind(now)
                .execute(&mut *conn)
                .await?;
            ("classified", category.as_str().to_owned(), None)
        }
        Step::Refuse | Step::Ask => {
            let note = match text(2000) {
                Ok(t) => t,
                Err(r) => return Ok(Err(r)),
            };
            let (sql, name, kind) = if step == Step::Refuse {
                (
                    "update feedback set status = 'refused', refused_at = $2, refusal = $3, \
                     next_due = null where id = $1",
                    "refused",
                    "feedback_refused",
                )
            } else {
                (
                    "update feedback set status = 'info_requested', info_requested_at = $2, \
                     question = $3, next_due = null where id = $1",
                    "info_requested",
                    "feedback_info_requested",
                )
            };
            sqlx::query(sql)
                .bind(id)
                .bind(now)
                .bind(&note)
                .execute(&mut *conn)
                .await?;
            (name, note, Some(kind))
        }
        Step::Answer => {
            let note = match text(4000) {
                Ok(t) => t,
                Err(r) => return Ok(Err(r)),
            };
            let question = input.public_question.trim();
            if input.public && (question.is_empty() || question.chars().count() > 2000) {
                return Ok(Err(("public_question", "feedback.error_public_question")));
            }
            let publish_due = if input.public {
                let (rules, calendar) = clock_at(conn, now).await?;
                Some(due(&calendar, now, rules.publish))
            } else {
                None
            };
            sqlx::query(
                "update feedback set status = 'answered', answered_at = $2, answer = $3, \
                 answer_public = $4, public_question = $5, publish_due = $6, next_due = $6 \
                 where id = $1",
            )
            .bind(id)
            .bind(now)
            .bind(&note)
            .bind(input.public)
            .bind(if input.public { question } else { "" })
            .bind(publish_due)
            .execute(&mut *conn)
            .await?;
            ("answered", note, Some("feedback_answered"))
        }
        Step::Publish => {
            sqlx::query(
                "update feedback set status = 'published', published_at = $2, next_due = null \
                 where id = $1",
            )
            .bind(id)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            ("published", String::new(), None)
        }
        Step::Reply | Step::Judge => return Ok(Err(("do", "feedback.error_step"))),
    };
    record(conn, id, step_name, Some(staff), &note).await?;
    if let Some(kind) = notice {
        tell(conn, origin, id, kind, &note).await?;
    }
    Ok(Ok(()))
}

/// The sender's step on feedback `id` at `now`: the information asked for (the answer's clock
/// starts again from it), or whether the answer satisfied them.
pub async fn sender_act(
    conn: &mut PgConnection,
    id: Uuid,
    step: Step,
    text: &str,
    satisfied: Option<bool>,
    now: DateTime<Utc>,
) -> Result<Result<(), Refusal>, sqlx::Error> {
    if !matches!(step, Step::Reply | Step::Judge) || !lock(conn, id, step).await? {
        return Ok(Err(("do", "feedback.error_step")));
    }
    if step == Step::Reply {
        let info = match text_of(text, "info", 4000) {
            Ok(t) => t,
            Err(r) => return Ok(Err(r)),
        };
        let (rules, calendar) = clock_at(conn, now).await?;
        let answer_due = due(&calendar, now, rules.answer);
        sqlx::query(
            "update feedback set status = 'received', info_received_at = $2, info = $3, \
             answer_due = $4, next_due = $4 where id = $1",
        )
        .bind(id)
        .bind(now)
        .bind(&info)
        .bind(answer_due)
        .execute(&mut *conn)
        .await?;
        record(conn, id, "info_received", None, &info).await?;
    } else {
        let Some(satisfied) = satisfied else {
            return Ok(Err(("satisfied", "feedback.error_judge")));
        };
        sqlx::query("update feedback set satisfied = $2, judged_at = $3 where id = $1")
            .bind(id)
            .bind(satisfied)
            .bind(now)
            .execute(&mut *conn)
            .await?;
        let note = if satisfied {
            "satisfied"
        } else {
            "not_satisfied"
        };
        record(conn, id, "judged", None, note).await?;
    }
    Ok(Ok(()))
}

/// Records a step in the feedback's history.
pub async fn record(
    conn: &mut PgConnection,
    id: Uuid,
    step: &str,
    staff: Option<Uuid>,
    note: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into feedback_events (feedback_id, step, staff_id, note) values ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(step)
    .bind(staff)
    .bind(note)
    .execute(conn)
    .await?;
    Ok(())
}

/// The period's figures for the agencies `scope` (None: all), over the feedback received
/// from `from` until `until` (excluded), as of `now`.
pub async fn figures(
    conn: &mut PgConnection,
    scope: Option<&[Uuid]>,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Figures, sqlx::Error> {
    let rows: Vec<ClockRow> = sqlx::query_as(
        "select status, classified_at is not null as classified, satisfied, repeat_of is not null as repeated, \
           refuse_due, ask_due, answer_due, publish_due, refused_at, info_requested_at, answered_at, published_at \
         from feedback where created_at >= $1 and created_at < $2 \
           and ($3::uuid[] is null or agency_id = any($3))",
    )
    .bind(from)
    .bind(until)
    .bind(scope)
    .fetch_all(conn)
    .await?;
    let mut f = Figures::default();
    for r in &rows {
        let clock = r.clock();
        f.all += 1;
        f.classified += i64::from(r.classified);
        f.counted += i64::from(clock.counts(now));
        f.late += i64::from(clock.late(now));
        f.disliked += i64::from(r.satisfied == Some(false));
        f.repeated += i64::from(r.repeated);
    }
    Ok(f)
}

/// A feedback's clock as stored, with what 5.1 and 5.3 count.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClockRow {
    pub status: String,
    pub classified: bool,
    pub satisfied: Option<bool>,
    pub repeated: bool,
    #[sqlx(flatten)]
    pub times: Clock,
}

impl ClockRow {
    pub fn clock(&self) -> Clock {
        Clock {
            waiting: self.status == "info_requested",
            ..self.times.clone()
        }
    }
}
