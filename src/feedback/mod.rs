//! Feedback and complaints (phản ánh, kiến nghị; issue 26, QĐ 766 group 5). Anyone may send
//! one about a unit, a procedure or a dossier, signed in or not; it goes to the responsible
//! unit, which classifies it (5.1), refuses it, asks for more information, or answers it on
//! the 766 clock (5.2: dated rules in `feedback_rules`), and may publish its answer without
//! personal data. The sender follows it by code and PIN, is told at each step, and says
//! whether the answer satisfied them (5.3). A dossier with feedback counts against 5.4.
//!
//! This file holds the rules (pure, tested) and the writes; [`pages`] the public side,
//! [`staff`] the unit's.

pub mod pages;
pub mod service;
pub mod staff;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::deadlines::calendar::{Calendar, to_local, to_utc};
use crate::kernel::Lang;

/// What the feedback is about, for QĐ 766 5.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// policy, rules, the procedure itself
    Procedure,
    /// an official's behaviour
    Conduct,
}

impl Category {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "procedure" => Some(Self::Procedure),
            "conduct" => Some(Self::Conduct),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Procedure => "procedure",
            Self::Conduct => "conduct",
        }
    }
}

/// Where a feedback stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Received,
    InfoRequested,
    Refused,
    Answered,
    Published,
}

impl Status {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "received" => Self::Received,
            "info_requested" => Self::InfoRequested,
            "refused" => Self::Refused,
            "answered" => Self::Answered,
            "published" => Self::Published,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::InfoRequested => "info_requested",
            Self::Refused => "refused",
            Self::Answered => "answered",
            Self::Published => "published",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Self::Received => "feedback.status_received",
            Self::InfoRequested => "feedback.status_info_requested",
            Self::Refused => "feedback.status_refused",
            Self::Answered => "feedback.status_answered",
            Self::Published => "feedback.status_published",
        }
    }
}

/// A step of the handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// the unit sets the category (any time before it is closed)
    Classify,
    /// the unit will not handle it (766: within 2 working days)
    Refuse,
    /// the unit asks the sender for more (766: within 5 working days), once
    Ask,
    /// the sender gives what was asked; the answer's clock starts again
    Reply,
    /// the unit answers (766: within 15 working days)
    Answer,
    /// the unit publishes a public answer (766: within 2 working days of it)
    Publish,
    /// the sender says whether the answer satisfied them, once
    Judge,
}

/// Whether `step` may be taken on a feedback in `status` (`asked`: information was asked for
/// already; `public`: the answer was marked public; `judged`: the sender has judged it).
pub fn allowed(status: Status, step: Step, asked: bool, public: bool, judged: bool) -> bool {
    use Status::*;
    match step {
        Step::Classify => matches!(status, Received | InfoRequested | Answered),
        Step::Refuse => matches!(status, Received | InfoRequested),
        Step::Ask => status == Received && !asked,
        Step::Reply => status == InfoRequested,
        Step::Answer => status == Received,
        Step::Publish => status == Answered && public,
        Step::Judge => matches!(status, Answered | Published) && !judged,
    }
}

/// The 766 clock in force on a day, in working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    pub refuse: u32,
    pub ask: u32,
    pub answer: u32,
    pub publish: u32,
}

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

/// `days` working days after `from`, at the same clock time.
pub fn due(calendar: &Calendar, from: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    to_utc(calendar.add_working_days(to_local(from), days))
}

/// The times of a feedback that decide whether it was handled on time.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct Clock {
    pub refuse_due: DateTime<Utc>,
    pub ask_due: DateTime<Utc>,
    pub answer_due: DateTime<Utc>,
    pub publish_due: Option<DateTime<Utc>>,
    pub refused_at: Option<DateTime<Utc>>,
    pub info_requested_at: Option<DateTime<Utc>>,
    pub answered_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    /// waiting for the sender's information: the unit's clock does not run (from the status)
    #[sqlx(skip)]
    pub waiting: bool,
}

impl Clock {
    /// Whether a step was (or, still open at `now`, is already) later than its rule.
    pub fn late(&self, now: DateTime<Utc>) -> bool {
        if let Some(at) = self.refused_at {
            return at > self.refuse_due;
        }
        if self.info_requested_at.is_some_and(|at| at > self.ask_due) {
            return true;
        }
        let answered = self
            .answered_at
            .unwrap_or(if self.waiting { self.answer_due } else { now });
        if answered > self.answer_due {
            return true;
        }
        match self.publish_due {
            Some(due) => self.published_at.unwrap_or(now) > due,
            None => false,
        }
    }

    /// Whether the handling is over, or due already: what 5.2 counts.
    pub fn counts(&self, now: DateTime<Utc>) -> bool {
        self.refused_at.is_some() || self.answered_at.is_some() || self.late(now)
    }

    /// The next time the unit must act by, while it must act.
    pub fn next_due(&self, status: Status) -> Option<DateTime<Utc>> {
        match status {
            Status::Received => Some(self.answer_due),
            Status::Answered => self.publish_due,
            _ => None,
        }
    }
}

/// QĐ 766 group 5 over a period's feedback, in per cent with one decimal (None: nothing to
/// count).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    pub all: i64,
    pub classified: i64,
    /// handled or due
    pub counted: i64,
    pub late: i64,
    pub disliked: i64,
    pub repeated: i64,
}

fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| ((part.max(0) as f64 * 1000.0 / whole as f64).round() / 10.0).max(0.0))
}

impl Figures {
    /// 5.1: classified ÷ all.
    pub fn f5_1(&self) -> Option<f64> {
        rate(self.classified, self.all)
    }
    /// 5.2: on time ÷ handled or due.
    pub fn f5_2(&self) -> Option<f64> {
        rate(self.counted - self.late, self.counted)
    }
    /// 5.3: (all − disliked − late − repeated) ÷ all.
    pub fn f5_3(&self) -> Option<f64> {
        rate(
            (self.all - self.disliked - self.late - self.repeated).max(0),
            self.all,
        )
    }
}

pub use crate::kernel::text::percent;

/// A new feedback's code: `PAKN-YYMMDD-` and six characters that are hard to misread.
pub fn new_code(day: NaiveDate) -> String {
    let pin = crate::dossiers::code::new_pin();
    format!("PAKN-{}-{pin}", day.format("%y%m%d"))
}

/// What is kept of a feedback's PIN.
pub fn pin_hash(id: Uuid, pin: &str) -> String {
    crate::dossiers::code::pin_hash(id, pin)
}

/// A feedback as the forms read it, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub agency: Option<Uuid>,
    pub procedure_code: String,
    pub dossier_code: String,
    pub category: String,
    pub body: String,
}

/// Problems with a form: (field, message key).
pub type Problems = Vec<(&'static str, &'static str)>;

/// Checks what a sender typed; `signed_in` senders need no contact (their account has one).
pub fn check(d: &Draft, signed_in: bool) -> Problems {
    let mut p = Problems::new();
    if d.name.trim().is_empty() || d.name.chars().count() > 200 {
        p.push(("name", "feedback.error_name"));
    }
    if !d.phone.trim().is_empty() && crate::accounts::domain::PhoneNumber::parse(&d.phone).is_none()
    {
        p.push(("phone", "feedback.error_phone"));
    }
    if !d.email.trim().is_empty()
        && crate::accounts::domain::EmailAddress::parse(d.email.trim()).is_none()
    {
        p.push(("email", "feedback.error_email"));
    }
    if !signed_in && d.phone.trim().is_empty() && d.email.trim().is_empty() {
        p.push(("phone", "feedback.error_contact"));
    }
    if d.agency.is_none() && d.dossier_code.trim().is_empty() {
        p.push(("agency", "feedback.error_agency"));
    }
    if Category::parse(&d.category).is_none() {
        p.push(("category", "feedback.error_category"));
    }
    let body = d.body.trim().chars().count();
    if !(10..=4000).contains(&body) {
        p.push(("body", "feedback.error_body"));
    }
    p
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
        ("due", crate::processing::desk::format_local(answer_due)),
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
        fill(&template.sms, &vars),
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
    let rules = rules(conn, day).await?;
    let calendar = crate::deadlines::repo::load(conn).await?;
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
                let rules = rules(conn, to_local(now).date()).await?;
                let calendar = crate::deadlines::repo::load(conn).await?;
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
        let rules = rules(conn, to_local(now).date()).await?;
        let calendar = crate::deadlines::repo::load(conn).await?;
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
    let mut f = Figures {
        all: 0,
        classified: 0,
        counted: 0,
        late: 0,
        disliked: 0,
        repeated: 0,
    };
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, d, h, 0, 0).unwrap()
    }

    fn clock() -> Clock {
        Clock {
            refuse_due: at(9, 2),
            ask_due: at(14, 2),
            answer_due: at(28, 2),
            ..Clock::default()
        }
    }

    #[test]
    fn each_step_is_late_against_its_own_rule() {
        let mut c = clock();
        assert!(!c.late(at(10, 2)), "open and not yet due");
        assert!(!c.counts(at(10, 2)), "not counted in 5.2 before it is due");
        assert!(c.late(at(29, 2)), "open past the answer's due time");
        c.refused_at = Some(at(10, 2));
        assert!(c.late(at(10, 3)), "refused after 2 working days");
        c.refused_at = Some(at(8, 2));
        assert!(
            !c.late(at(31, 2)),
            "refused in time: the answer's clock does not apply"
        );
        let mut c = clock();
        c.info_requested_at = Some(at(15, 2));
        assert!(
            c.late(at(15, 3)),
            "asked for information after 5 working days"
        );
        let mut c = clock();
        c.answered_at = Some(at(20, 2));
        c.publish_due = Some(at(22, 2));
        assert!(!c.late(at(21, 2)));
        assert!(
            c.late(at(23, 2)),
            "the public answer not published within 2 days"
        );
        c.published_at = Some(at(22, 1));
        assert!(!c.late(at(30, 2)));
        let mut c = clock();
        c.waiting = true;
        assert!(
            !c.late(at(31, 2)),
            "while the sender is asked, the unit is not late"
        );
    }

    #[test]
    fn steps_follow_the_handling() {
        use Status::*;
        assert!(allowed(Received, Step::Answer, false, false, false));
        assert!(allowed(Received, Step::Ask, false, false, false));
        assert!(
            !allowed(Received, Step::Ask, true, false, false),
            "asked once"
        );
        assert!(!allowed(InfoRequested, Step::Answer, true, false, false));
        assert!(allowed(InfoRequested, Step::Reply, true, false, false));
        assert!(!allowed(Refused, Step::Answer, false, false, false));
        assert!(
            !allowed(Answered, Step::Publish, false, false, false),
            "not public"
        );
        assert!(allowed(Answered, Step::Publish, false, true, false));
        assert!(allowed(Published, Step::Judge, false, true, false));
        assert!(
            !allowed(Published, Step::Judge, false, true, true),
            "judged once"
        );
        assert!(!allowed(Received, Step::Judge, false, false, false));
    }

    #[test]
    fn the_766_figures_follow_their_formulas() {
        let f = Figures {
            all: 10,
            classified: 8,
            counted: 6,
            late: 2,
            disliked: 1,
            repeated: 1,
        };
        assert_eq!(f.f5_1(), Some(80.0));
        assert_eq!(f.f5_2(), Some(66.7));
        assert_eq!(f.f5_3(), Some(60.0));
        let none = Figures {
            all: 0,
            classified: 0,
            counted: 0,
            late: 0,
            disliked: 0,
            repeated: 0,
        };
        assert_eq!(none.f5_1(), None);
        assert_eq!(percent(f.f5_2(), Lang::Vi), "66,7 %");
        assert_eq!(percent(None, Lang::En), "—");
    }

    #[test]
    fn a_sender_must_say_who_and_about_what() {
        let good = Draft {
            name: "Nguyễn Văn A".into(),
            phone: "0912345678".into(),
            agency: Some(Uuid::from_u128(1)),
            category: "conduct".into(),
            body: "Cán bộ yêu cầu nộp thêm giấy tờ ngoài quy định.".into(),
            ..Draft::default()
        };
        assert!(check(&good, false).is_empty());
        let anonymous = Draft {
            phone: String::new(),
            ..good.clone()
        };
        assert_eq!(
            check(&anonymous, false),
            vec![("phone", "feedback.error_contact")]
        );
        assert!(
            check(&anonymous, true).is_empty(),
            "an account has a contact"
        );
        let bad = Draft {
            agency: None,
            category: "x".into(),
            body: "ngắn".into(),
            ..good
        };
        let fields: Vec<_> = check(&bad, false).into_iter().map(|p| p.0).collect();
        assert_eq!(fields, ["agency", "category", "body"]);
        assert!(
            new_code(NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()).starts_with("PAKN-261207-")
        );
    }
}
