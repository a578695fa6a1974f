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

use super::views::{Detail, Published, cursor, cursor_of, detail, published};
use super::{Draft, Status, Step};
use crate::AppState;
use crate::accounts::CurrentCitizen;
use crate::kernel::Lang;
use crate::kernel::time::format_local;
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
    Result<Option<crate::dossiers::uploads::Stored>, crate::dossiers::uploads::UploadError>,
) {
    use crate::dossiers::uploads::UploadError;
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
                file = crate::dossiers::uploads::store_part(app, field, max_file, max_file).await;
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
