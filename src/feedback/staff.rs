//! The unit's side of feedback: `/staff/feedback` lists what the official's units must act on,
//! overdue first (by the next due time), then what is closed, with QĐ 766 figures 5.1–5.3 of
//! the month and their formulas; `/staff/feedback/{id}` shows one and takes the unit's steps.
//! Only feedback routed to the official's units is shown (the province's to system
//! administrators and the chairman).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Datelike, Months, Utc};
use serde::Deserialize;
use tower_sessions::Session;
use uuid::Uuid;

use super::pages::ListItem;
use super::views::{Detail, cursor, cursor_of, detail};
use super::{Input, Status, Step, percent};
use crate::AppState;
use crate::accounts::CurrentStaff;
use crate::accounts::guard::staff_layout;
use crate::deadlines::calendar::{to_utc, today};
use crate::kernel::time::format_local;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, FormErrors};

/// The roles that handle their units' feedback.
pub const ROLES: &[crate::accounts::domain::StaffRole] = crate::reports::scope::REGISTER_ROLES;

fn scope(staff: &CurrentStaff) -> Option<Vec<Uuid>> {
    crate::reports::scope::scope_of(staff, ROLES)
}

/// A 766 figure with its formula and counts.
pub struct FigureView {
    pub name: String,
    pub formula: String,
    pub counts: String,
    pub value: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "feedback/staff_list.html")]
pub struct ListPage {
    pub layout: crate::web::Layout,
    pub closed: bool,
    pub items: Vec<ListItem>,
    pub next: Option<String>,
    pub month: String,
    pub month_value: String,
    pub figures: Vec<FigureView>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    closed: String,
    #[serde(default)]
    after: String,
    /// the figures' month, "YYYY-MM" (this month by default)
    #[serde(default)]
    month: String,
}

const PAGE: usize = 50;

type Row = (
    Uuid,
    String,
    String,
    String,
    String,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
);

/// `GET /staff/feedback?closed=&after=`
pub async fn list(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Query(q): Query<ListQuery>,
) -> AppResult<ListPage> {
    let scope = scope(&staff);
    let closed = !q.closed.is_empty();
    let after = cursor(&q.after);
    let (at, id) = after.unzip();
    // open: by the next due time (overdue first); closed: newest first; both keysets
    let sql = if closed {
        "select f.id, f.code, a.name_vi, a.name_en, f.status, f.created_at, f.next_due \
         from feedback f join agencies a on a.id = f.agency_id \
         where f.next_due is null and ($1::uuid[] is null or f.agency_id = any($1)) \
           and ($2::timestamptz is null or (f.created_at, f.id) < ($2, $3)) \
         order by f.created_at desc, f.id desc limit $4"
    } else {
        "select f.id, f.code, a.name_vi, a.name_en, f.status, f.created_at, f.next_due \
         from feedback f join agencies a on a.id = f.agency_id \
         where f.next_due is not null and ($1::uuid[] is null or f.agency_id = any($1)) \
           and ($2::timestamptz is null or (f.next_due, f.id) > ($2, $3)) \
         order by f.next_due, f.id limit $4"
    };
    let rows: Vec<Row> = sqlx::query_as(sql)
        .bind(scope.as_deref())
        .bind(at)
        .bind(id)
        .bind(PAGE as i64 + 1)
        .fetch_all(&app.db)
        .await?;
    let next = (rows.len() > PAGE).then(|| {
        let r = &rows[PAGE - 1];
        cursor_of(if closed { r.5 } else { r.6.unwrap_or(r.5) }, r.0)
    });
    let now = Utc::now();
    let items = rows
        .into_iter()
        .take(PAGE)
        .map(|(id, code, vi, en, status, created, next_due)| ListItem {
            url: format!("/staff/feedback/{id}"),
            code,
            agency: lang.pick(&vi, &en).to_owned(),
            status: lang
                .t(Status::parse(&status)
                    .unwrap_or(Status::Received)
                    .label_key())
                .into_owned(),
            created: format_local(created),
            due: next_due.map(format_local).unwrap_or_default(),
            overdue: next_due.is_some_and(|d| d < now),
        })
        .collect();
    // the month's figures, over the feedback received that month
    let first = chrono::NaiveDate::parse_from_str(&format!("{}-01", q.month.trim()), "%Y-%m-%d")
        .unwrap_or_else(|_| today().with_day0(0).unwrap_or_else(today));
    let from = to_utc(first.and_hms_opt(0, 0, 0).unwrap_or_default());
    let until = to_utc(
        (first + Months::new(1))
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default(),
    );
    let mut conn = app.db.acquire().await?;
    let f = super::figures(&mut conn, scope.as_deref(), from, until, now).await?;
    drop(conn);
    let figures = [
        (
            "5_1",
            vec![("all", f.all), ("classified", f.classified)],
            f.f5_1(),
        ),
        (
            "5_2",
            vec![("counted", f.counted), ("late", f.late)],
            f.f5_2(),
        ),
        (
            "5_3",
            vec![
                ("all", f.all),
                ("disliked", f.disliked),
                ("late", f.late),
                ("repeated", f.repeated),
            ],
            f.f5_3(),
        ),
    ]
    .into_iter()
    .map(|(figure, parts, value)| FigureView {
        name: lang.t(&format!("feedback.f{figure}")).into_owned(),
        formula: lang.t(&format!("feedback.f{figure}_formula")).into_owned(),
        counts: parts
            .into_iter()
            .map(|(k, n)| format!("{} {n}", lang.t(&format!("feedback.n_{k}"))))
            .collect::<Vec<_>>()
            .join(" · "),
        value: percent(value, lang),
    })
    .collect();
    Ok(ListPage {
        layout: staff_layout(
            lang,
            "feedback.staff_title",
            "/staff/feedback",
            &session,
            &staff,
        )
        .await?,
        closed,
        items,
        next,
        month: first.format("%m/%Y").to_string(),
        month_value: first.format("%Y-%m").to_string(),
        figures,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "feedback/staff_show.html")]
pub struct ShowPage {
    pub layout: crate::web::Layout,
    pub d: Detail,
    pub can_classify: bool,
    pub can_refuse: bool,
    pub can_ask: bool,
    pub can_answer: bool,
    pub can_publish: bool,
    pub input: Input,
    pub errors: FormErrors,
}

/// Feedback `id` if it is routed to one of the official's units.
async fn scoped(
    app: &AppState,
    staff: &CurrentStaff,
    id: Uuid,
    lang: crate::kernel::Lang,
) -> AppResult<Detail> {
    let d = detail(app, id, lang).await?.ok_or(AppError::NotFound)?;
    match scope(staff) {
        Some(ids) if !ids.contains(&d.agency_id) => Err(AppError::NotFound),
        _ => Ok(d),
    }
}

async fn show_page(
    app: &AppState,
    lang: crate::kernel::Lang,
    session: &Session,
    staff: &CurrentStaff,
    id: Uuid,
    input: Input,
    errors: FormErrors,
) -> AppResult<ShowPage> {
    let d = scoped(app, staff, id, lang).await?;
    let (asked, public) = (d.asked, d.answer_public);
    let can = |step| super::allowed(d.status, step, asked, public, true);
    Ok(ShowPage {
        layout: staff_layout(
            lang,
            "feedback.staff_title",
            "/staff/feedback",
            session,
            staff,
        )
        .await?
        .with_errors(&errors),
        can_classify: can(Step::Classify),
        can_refuse: can(Step::Refuse),
        can_ask: can(Step::Ask),
        can_answer: can(Step::Answer),
        can_publish: can(Step::Publish),
        d,
        input,
        errors,
    })
}

/// `GET /staff/feedback/{id}`
pub async fn show(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Path(id): Path<Uuid>,
) -> AppResult<ShowPage> {
    show_page(
        &app,
        lang,
        &session,
        &staff,
        id,
        Input::default(),
        FormErrors::new(),
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct StepForm {
    #[serde(default, rename = "do")]
    step: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    public: String,
    #[serde(default)]
    public_question: String,
}

/// `POST /staff/feedback/{id}`: a step of the unit (classify, refuse, ask, answer, publish).
pub async fn act(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form): Form<StepForm>,
) -> AppResult<Response> {
    scoped(&app, &staff, id, lang).await?;
    let step = match form.step.as_str() {
        "classify" => Some(Step::Classify),
        "refuse" => Some(Step::Refuse),
        "ask" => Some(Step::Ask),
        "answer" => Some(Step::Answer),
        "publish" => Some(Step::Publish),
        _ => None,
    };
    let input = Input {
        category: form.category,
        text: form.text,
        public: form.public == "on",
        public_question: form.public_question,
    };
    let outcome = match step {
        Some(step) => {
            let mut tx = app.db.begin().await?;
            let outcome = super::act(
                &mut tx,
                &app.settings.public_origin,
                id,
                staff.id,
                step,
                &input,
                Utc::now(),
            )
            .await?;
            if outcome.is_ok() {
                crate::audit::record(
                    &mut tx,
                    crate::audit::Actor::Staff(staff.id),
                    "feedback.step",
                    None,
                    ip,
                    serde_json::json!({"feedback": id, "step": form.step}),
                )
                .await?;
                tx.commit().await?;
            }
            outcome
        }
        None => Err(("do", "feedback.error_step")),
    };
    match outcome {
        Ok(()) => {
            crate::web::flash::set(&session, lang.t("feedback.step_done")).await;
            Ok(axum::response::Redirect::to(&format!("/staff/feedback/{id}")).into_response())
        }
        Err((field, key)) => {
            let mut errors = FormErrors::new();
            errors.add(field, lang.t(key));
            let page = show_page(&app, lang, &session, &staff, id, input, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// `GET /staff/feedback/{id}/attachment`: the sender's file, to the unit only.
pub async fn attachment(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    scoped(&app, &staff, id, lang).await?;
    let row: Option<(Option<String>, Option<String>, Option<String>)> = sqlx::query_as(
        "select attachment_key, attachment_name, attachment_type from feedback where id = $1",
    )
    .bind(id)
    .fetch_optional(&app.db)
    .await?;
    let Some((Some(key), Some(name), Some(kind))) = row else {
        return Err(AppError::NotFound);
    };
    let bytes = app.storage.read(&key).await.map_err(anyhow::Error::from)?;
    Ok(crate::web::download::attachment(bytes, &kind, &name))
}
