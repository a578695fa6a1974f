//! The sender's side of feedback: the form at `/phan-anh` (signed in or not, with one
//! attachment that passes the upload checks), the code and PIN it gives, following it at
//! `/phan-anh/theo-doi` (code and PIN in a POST, throttled like public tracking) or from the
//! account, answering a request for information, judging the answer, and the published
//! answers at `/phan-anh/cong-khai`.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use tower_sessions::Session;
use uuid::Uuid;

use super::{Category, Draft, Status, Step};
use crate::AppState;
use crate::accounts::CurrentCitizen;
use crate::kernel::Lang;
use crate::processing::desk::format_local;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, FormErrors, Layout};

/// An agency the form offers.
pub struct AgencyOption {
    pub id: String,
    pub name: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "feedback/form.html")]
pub struct FormPage {
    pub layout: Layout,
    pub agencies: Vec<AgencyOption>,
    pub draft: Draft,
    pub agency: String,
    pub dossier_pin: String,
    pub signed_in: bool,
    pub max_file_mb: u64,
    pub errors: FormErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "feedback/sent.html")]
pub struct SentPage {
    pub layout: Layout,
    pub code: String,
    pub pin: String,
    pub due: String,
}

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

async fn agencies(app: &AppState, lang: Lang) -> AppResult<Vec<AgencyOption>> {
    let rows: Vec<(Uuid, String, String)> = sqlx::query_as(
        "select id, name_vi, name_en from agencies \
         where valid_from <= current_date and (valid_to is null or valid_to > current_date) \
         order by name_vi limit 2000",
    )
    .fetch_all(&app.db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, vi, en)| AgencyOption {
            id: id.to_string(),
            name: lang.pick(&vi, &en).to_owned(),
        })
        .collect())
}

async fn signed_citizen(app: &AppState, session: &Session) -> Option<Uuid> {
    crate::web::session::signed_in(session, &app.settings)
        .await
        .filter(|s| s.kind == crate::web::session::AccountKind::Citizen)
        .map(|s| s.id)
}

#[derive(Deserialize, Default)]
pub struct FormQuery {
    #[serde(default)]
    procedure: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    dossier: String,
}

async fn form_page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    draft: Draft,
    agency: String,
    dossier_pin: String,
    errors: FormErrors,
) -> AppResult<FormPage> {
    let citizen = signed_citizen(app, session).await;
    Ok(FormPage {
        layout: Layout::for_session(lang, lang.t("feedback.title"), "/phan-anh", session)
            .await?
            .with_errors(&errors),
        agencies: agencies(app, lang).await?,
        draft,
        agency,
        dossier_pin,
        signed_in: citizen.is_some(),
        max_file_mb: app.settings.max_file_mb,
        errors,
    })
}

/// `GET /phan-anh?procedure=&agency=&dossier=`: the form, prefilled from where it was opened
/// (a procedure's page, a dossier's page) and from the account of a signed-in citizen.
pub async fn form(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    Query(q): Query<FormQuery>,
) -> AppResult<FormPage> {
    let mut draft = Draft {
        procedure_code: q.procedure.trim().chars().take(40).collect(),
        dossier_code: q.dossier.trim().chars().take(40).collect(),
        ..Draft::default()
    };
    let mut agency = q.agency.trim().to_owned();
    if agency.is_empty() && !draft.procedure_code.is_empty() {
        let competent: Option<Uuid> = sqlx::query_scalar(
            "select v.competent_agency_id from procedure_versions v \
             join procedures p on p.id = v.procedure_id \
             where p.code = $1 and v.effective_from <= current_date \
               and (v.effective_to is null or v.effective_to > current_date) \
             order by v.effective_from desc limit 1",
        )
        .bind(&draft.procedure_code)
        .fetch_optional(&app.db)
        .await?
        .flatten();
        agency = competent.map(|a| a.to_string()).unwrap_or_default();
    }
    if let Some(citizen) = signed_citizen(&app, &session).await {
        let who: Option<(String, String, Option<String>)> =
            sqlx::query_as("select full_name, phone, email from citizens where id = $1")
                .bind(citizen)
                .fetch_optional(&app.db)
                .await?;
        if let Some((name, phone, email)) = who {
            draft.name = name;
            draft.phone =
                crate::accounts::domain::PhoneNumber::parse(&phone).map_or(phone, |p| p.national());
            draft.email = email.unwrap_or_default();
        }
    }
    form_page(
        &app,
        lang,
        &session,
        draft,
        agency,
        String::new(),
        FormErrors::new(),
    )
    .await
}

/// Reads the form's text fields and its one file (stored and scanned as uploads are).
async fn read_form(
    app: &AppState,
    multipart: &mut Multipart,
) -> (
    BTreeMap<String, String>,
    Result<Option<crate::dossiers::citizen::Stored>, crate::dossiers::citizen::UploadError>,
) {
    use crate::dossiers::citizen::UploadError;
    let mut fields = BTreeMap::new();
    let mut file = Ok(None);
    let max_file = i64::try_from(app.settings.max_file_mb * 1024 * 1024).unwrap_or(i64::MAX);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                file = Err(UploadError::Interrupted);
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            if matches!(file, Ok(None)) {
                file = crate::dossiers::citizen::store_part(app, field, max_file, max_file).await;
            }
            continue;
        }
        // text fields: at most 8,000 bytes each (the body's 4,000 characters)
        match field.text().await {
            Ok(text) if text.len() <= 16_000 && fields.len() < 20 => {
                fields.insert(name, text);
            }
            _ => {
                file = Err(UploadError::Interrupted);
                break;
            }
        }
    }
    (fields, file)
}

/// `POST /phan-anh` (multipart): the feedback received by [`super::service::receive`], its
/// code and PIN shown once; or the form again with what is wrong.
pub async fn send(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    ClientIp(ip): ClientIp,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let (fields, file) = read_form(&app, &mut multipart).await;
    let form = super::service::Sent::read(&fields);
    let citizen = signed_citizen(&app, &session).await;
    match super::service::receive(&app, &form, citizen, lang, ip, file).await? {
        Ok(created) => Ok(SentPage {
            layout: Layout::for_session(lang, lang.t("feedback.sent_title"), "/phan-anh", &session)
                .await?,
            code: created.code,
            pin: created.pin,
            due: format_local(created.answer_due),
        }
        .into_response()),
        Err((status, problems)) => {
            let mut errors = FormErrors::new();
            for (field, key) in problems {
                errors.add(field, lang.t(key));
            }
            let page = form_page(
                &app,
                lang,
                &session,
                form.draft,
                form.agency,
                form.dossier_pin,
                errors,
            )
            .await?;
            Ok((status, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "feedback/follow.html")]
pub struct FollowPage {
    pub layout: Layout,
    pub code: String,
    pub pin: String,
    /// where the detail's forms post
    pub action: String,
    pub detail: Option<Detail>,
    pub errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct CodeQuery {
    #[serde(default)]
    code: String,
}

/// `GET /phan-anh/theo-doi?code=`
pub async fn follow(
    RequestLang(lang): RequestLang,
    session: Session,
    Query(q): Query<CodeQuery>,
) -> AppResult<FollowPage> {
    Ok(FollowPage {
        layout: Layout::for_session(
            lang,
            lang.t("feedback.follow_title"),
            "/phan-anh/theo-doi",
            &session,
        )
        .await?,
        code: q.code.trim().chars().take(40).collect(),
        pin: String::new(),
        action: "/phan-anh/theo-doi".to_owned(),
        detail: None,
        errors: FormErrors::new(),
    })
}

#[derive(Deserialize, Default)]
pub struct FollowForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    pin: String,
    /// "" (look), "reply" or "judge"
    #[serde(default, rename = "do")]
    step: String,
    #[serde(default)]
    info: String,
    #[serde(default)]
    satisfied: String,
}

/// Takes the sender's step named in the form, if any; the message to show or the refusal.
async fn sender_step(
    app: &AppState,
    lang: Lang,
    id: Uuid,
    form: &FollowForm,
    errors: &mut FormErrors,
) -> AppResult<Option<String>> {
    let step = match form.step.as_str() {
        "reply" => Step::Reply,
        "judge" => Step::Judge,
        _ => return Ok(None),
    };
    let satisfied = match form.satisfied.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let mut tx = app.db.begin().await?;
    match super::sender_act(&mut tx, id, step, &form.info, satisfied, Utc::now()).await? {
        Ok(()) => {
            tx.commit().await?;
            Ok(Some(
                lang.t(if step == Step::Reply {
                    "feedback.info_sent"
                } else {
                    "feedback.judged"
                })
                .into_owned(),
            ))
        }
        Err((field, key)) => {
            errors.add(field, lang.t(key));
            Ok(None)
        }
    }
}

/// `POST /phan-anh/theo-doi`: the feedback by code and PIN, throttled per address and code;
/// with `do`, the sender's step first.
pub async fn follow_lookup(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<FollowForm>,
) -> AppResult<Response> {
    let code = form.code.trim().to_uppercase();
    let mut page = FollowPage {
        layout: Layout::for_session(
            lang,
            lang.t("feedback.follow_title"),
            "/phan-anh/theo-doi",
            &session,
        )
        .await?,
        code: code.clone(),
        pin: form.pin.trim().to_owned(),
        action: "/phan-anh/theo-doi".to_owned(),
        detail: None,
        errors: FormErrors::new(),
    };
    let mut conn = app.db.acquire().await?;
    if !crate::accounts::throttle::may_track(&mut conn, &app.settings, ip, &code).await? {
        page.errors.add("code", lang.t("track.too_many"));
        page.layout = page.layout.with_errors(&page.errors);
        return Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response());
    }
    let found: Option<(Uuid, String)> =
        sqlx::query_as("select id, pin_hash from feedback where code = $1")
            .bind(&code)
            .fetch_optional(&mut *conn)
            .await?;
    drop(conn);
    let Some(id) = found
        .filter(|(id, hash)| *hash == super::pin_hash(*id, &form.pin))
        .map(|(id, _)| id)
    else {
        page.errors.add("code", lang.t("feedback.not_found"));
        page.layout = page.layout.with_errors(&page.errors);
        return Ok((StatusCode::NOT_FOUND, page).into_response());
    };
    let mut errors = FormErrors::new();
    page.layout.flash = sender_step(&app, lang, id, &form, &mut errors).await?;
    page.detail = detail(&app, id, lang).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page.layout = page.layout.with_errors(&errors);
    page.errors = errors;
    Ok((status, page).into_response())
}

/// A line of a list of feedback.
pub struct ListItem {
    pub url: String,
    pub code: String,
    pub agency: String,
    pub status: String,
    pub created: String,
    pub due: String,
    pub overdue: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "feedback/account_list.html")]
pub struct AccountList {
    pub layout: Layout,
    pub items: Vec<ListItem>,
    pub next: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct AfterQuery {
    #[serde(default)]
    after: String,
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

const PAGE: usize = 50;

/// A line of the citizen's list: id, code, agency (vi, en), status, sent, answer due.
type AccountRow = (
    Uuid,
    String,
    String,
    String,
    String,
    DateTime<Utc>,
    DateTime<Utc>,
);

/// `GET /account/feedback`: the citizen's own feedback, newest first.
pub async fn account_list(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    Query(q): Query<AfterQuery>,
) -> AppResult<AccountList> {
    let (before_at, before_id) = cursor(&q.after).unzip();
    let rows: Vec<AccountRow> = sqlx::query_as(
        "select f.id, f.code, a.name_vi, a.name_en, f.status, f.created_at, f.answer_due \
             from feedback f join agencies a on a.id = f.agency_id \
             where f.citizen_id = $1 \
               and ($2::timestamptz is null or (f.created_at, f.id) < ($2, $3)) \
             order by f.created_at desc, f.id desc limit $4",
    )
    .bind(citizen.id)
    .bind(before_at)
    .bind(before_id)
    .bind(PAGE as i64 + 1)
    .fetch_all(&app.db)
    .await?;
    let next = rows
        .get(PAGE)
        .and(rows.get(PAGE - 1))
        .map(|r| cursor_of(r.5, r.0));
    Ok(AccountList {
        layout: Layout::for_session(lang, lang.t("feedback.mine"), "/account/feedback", &session)
            .await?,
        items: rows
            .into_iter()
            .take(PAGE)
            .map(|(id, code, vi, en, status, created, due)| {
                let status = Status::parse(&status).unwrap_or(Status::Received);
                ListItem {
                    url: format!("/account/feedback/{id}"),
                    code,
                    agency: lang.pick(&vi, &en).to_owned(),
                    status: lang.t(status.label_key()).into_owned(),
                    created: format_local(created),
                    due: format_local(due),
                    overdue: false,
                }
            })
            .collect(),
        next,
    })
}

async fn owned(app: &AppState, citizen: CurrentCitizen, id: Uuid) -> AppResult<()> {
    let mine: bool = sqlx::query_scalar(
        "select exists (select 1 from feedback where id = $1 and citizen_id = $2)",
    )
    .bind(id)
    .bind(citizen.id)
    .fetch_one(&app.db)
    .await?;
    if mine {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// `GET /account/feedback/{id}`
pub async fn account_show(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    Path(id): Path<Uuid>,
) -> AppResult<FollowPage> {
    owned(&app, citizen, id).await?;
    let action = format!("/account/feedback/{id}");
    Ok(FollowPage {
        layout: Layout::for_session(lang, lang.t("feedback.follow_title"), &action, &session)
            .await?,
        code: String::new(),
        pin: String::new(),
        action,
        detail: detail(&app, id, lang).await?,
        errors: FormErrors::new(),
    })
}

/// `POST /account/feedback/{id}`: the sender's step, from the account.
pub async fn account_step(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    Path(id): Path<Uuid>,
    Form(form): Form<FollowForm>,
) -> AppResult<Response> {
    owned(&app, citizen, id).await?;
    let action = format!("/account/feedback/{id}");
    let mut errors = FormErrors::new();
    let flash = sender_step(&app, lang, id, &form, &mut errors).await?;
    let mut layout = Layout::for_session(lang, lang.t("feedback.follow_title"), &action, &session)
        .await?
        .with_errors(&errors);
    layout.flash = flash;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FollowPage {
        layout,
        code: String::new(),
        pin: String::new(),
        action,
        detail: detail(&app, id, lang).await?,
        errors,
    };
    Ok((status, page).into_response())
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

#[derive(Template, WebTemplate)]
#[template(path = "feedback/public.html")]
pub struct PublicPage {
    pub layout: Layout,
    pub items: Vec<Published>,
    pub next: Option<String>,
}

/// `GET /phan-anh/cong-khai?after=`: the answers units published.
pub async fn public(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    Query(q): Query<AfterQuery>,
) -> AppResult<PublicPage> {
    let mut rows = published(&app.db, None, cursor(&q.after), PAGE as i64 + 1, lang).await?;
    let next = (rows.len() > PAGE).then(|| rows[PAGE - 1].1.clone());
    rows.truncate(PAGE);
    Ok(PublicPage {
        layout: Layout::for_session(
            lang,
            lang.t("feedback.public_title"),
            "/phan-anh/cong-khai",
            &session,
        )
        .await?,
        items: rows.into_iter().map(|r| r.0).collect(),
        next,
    })
}
