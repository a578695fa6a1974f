//! Feedback and complaints (phản ánh, kiến nghị; issue 26, QĐ 766 group 5). Anyone may send
//! one about a unit, a procedure or a dossier, signed in or not; it goes to the responsible
//! unit, which classifies it (5.1), refuses it, asks for more information, or answers it on
//! the 766 clock (5.2: dated rules in `feedback_rules`), and may publish its answer without
//! personal data. The sender follows it by code and PIN, is told at each step, and says
//! whether the answer satisfied them (5.3). A dossier with feedback counts against 5.4.
//!
//! This file holds the rules (pure, tested); [`repo`] the reads and writes, [`service`] the
//! form's intake, [`pages`] the public side, [`staff`] the unit's.

pub mod pages;
pub mod repo;
pub mod routes;
pub mod service;
pub mod staff;
pub mod views;

pub use repo::{
    ClockRow, Created, Input, New, Refusal, act, create, figures, record, rules, sender_act, tell,
};

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::deadlines::calendar::{Calendar, to_local, to_utc};

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
#[derive(Debug, Clone, Copy, PartialEq, Default)]
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::Lang;
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
        let none = Figures::default();
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
