//! Counter-assisted filing: a reception official files a walk-in citizen's dossier through the
//! same records as online filing — the applicant identified by their own ID number, phone and
//! e-mail (never the official's account), the papers scanned once, the delivery choice
//! (including "result posted home") — then accepts it and prints Form 01 on the spot.

use std::collections::HashMap;

use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;
use uuid::Uuid;

use super::views::{CounterField, CounterPage, CounterSlot};
use crate::AppState;
use crate::accounts::CurrentStaff;
use crate::accounts::domain::{EmailAddress, PersonalId, PhoneNumber, StaffRole};
use crate::accounts::guard::staff_layout;
use crate::dossiers::domain::{self, ResultChannel};
use crate::dossiers::filing::{self, CounterFiling};
use crate::dossiers::repo as dossiers;
use crate::dossiers::uploads::Stored;
use crate::kernel::Lang;
use crate::reception::pin_key;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, FormErrors, flash};

#[derive(Deserialize, Default)]
pub struct CounterQuery {
    #[serde(default)]
    procedure: String,
}

/// What the official typed (kept when the form comes back with errors).
#[derive(Default, Clone)]
pub struct CounterInput {
    pub procedure: String,
    pub name: String,
    pub personal_id: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub result_channel: String,
    pub result_address: String,
}

/// The current version of a procedure by its code: id, Vietnamese and English names.
async fn version(
    conn: &mut sqlx::PgConnection,
    code: &str,
) -> Result<Option<(Uuid, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "select v.id, v.name_vi, v.name_en from procedure_versions v where v.code = $1 \
         and v.effective_from <= current_date and (v.effective_to is null or v.effective_to > current_date) \
         order by v.version_no desc limit 1",
    )
    .bind(code.trim())
    .fetch_optional(conn)
    .await
}

/// The procedure the official chose, with the papers it asks for and the ways its result may
/// be returned (its published terms).
struct Chosen {
    id: Uuid,
    name_vi: String,
    name_en: String,
    slots: Vec<dossiers::DocumentSlot>,
    channels: Vec<ResultChannel>,
}

async fn chosen(app: &AppState, code: &str) -> AppResult<Option<Chosen>> {
    if code.trim().is_empty() {
        return Ok(None);
    }
    let mut conn = app.db.acquire().await?;
    let Some((id, name_vi, name_en)) = version(&mut conn, code).await? else {
        return Ok(None);
    };
    let slots = dossiers::slots(&mut conn, id).await?;
    let (counter, post, electronic) = app.terms.get(&mut conn, id).await?.result_channels;
    let channels = [
        (ResultChannel::Counter, counter),
        (ResultChannel::Post, post),
        (ResultChannel::Electronic, electronic),
    ]
    .into_iter()
    .filter_map(|(c, offered)| offered.then_some(c))
    .collect();
    Ok(Some(Chosen {
        id,
        name_vi,
        name_en,
        slots,
        channels,
    }))
}

/// Procedures in force whose name holds the words typed (tones optional), as the public
/// catalogue finds them: (link to choose it, name, code), at most a page.
async fn by_name(
    app: &AppState,
    text: &str,
    lang: Lang,
) -> AppResult<Vec<(String, String, String)>> {
    let form = crate::catalogue::domain::SearchForm {
        q: Some(text.to_owned()),
        ..Default::default()
    };
    let Ok(search) = crate::catalogue::domain::Search::parse(&form) else {
        return Ok(Vec::new());
    };
    let reference = app.catalogue.reference(&app.db).await?;
    let found = app.catalogue.search(&app.db, &search, &reference).await?;
    Ok(found
        .items
        .iter()
        .map(|p| {
            (
                format!(
                    "/staff/reception/new?procedure={}",
                    crate::web::paths::encode(&p.code)
                ),
                lang.pick(&p.name_vi, &p.name_en).to_owned(),
                p.code.clone(),
            )
        })
        .collect())
}

fn desk_agency(staff: &CurrentStaff) -> AppResult<Uuid> {
    staff
        .agencies_with(StaffRole::Reception)
        .next()
        .ok_or(AppError::Forbidden)
}

async fn page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    staff: &CurrentStaff,
    input: &CounterInput,
    errors: FormErrors,
) -> AppResult<CounterPage> {
    let found = chosen(app, &input.procedure).await?;
    let slots = found
        .as_ref()
        .map(|c| c.slots.as_slice())
        .unwrap_or_default();
    let layout = staff_layout(
        lang,
        "counter.title",
        "/staff/reception/new",
        session,
        staff,
    )
    .await?
    .with_errors(&errors);
    Ok(CounterPage {
        layout,
        procedure_name: found
            .as_ref()
            .map(|c| lang.pick(&c.name_vi, &c.name_en).to_owned()),
        matches: Vec::new(),
        action: "/staff/reception/new".to_owned(),
        slots: slots
            .iter()
            .map(|s| CounterSlot {
                field: format!("doc-{}", s.position),
                name: lang.pick(&s.name_vi, &s.name_en).to_owned(),
                mandatory: s.mandatory,
            })
            .chain(std::iter::once(CounterSlot {
                field: "doc-other".to_owned(),
                name: lang.t("dossier.other_documents").into_owned(),
                mandatory: false,
            }))
            .collect(),
        applicant_fields: [
            ("name", "account.full_name", &input.name, "text"),
            (
                "personal_id",
                "account.personal_id",
                &input.personal_id,
                "numeric",
            ),
            ("phone", "account.phone", &input.phone, "tel"),
            ("email", "counter.email", &input.email, "email"),
            ("address", "account.address_line", &input.address, "text"),
        ]
        .into_iter()
        .map(|(id, key, value, kind)| CounterField {
            id,
            label: lang.t(key).into_owned(),
            value: value.clone(),
            kind,
            numeric: kind == "numeric",
        })
        .collect(),
        input: input.clone(),
        // only the ways its published terms offer
        channels: found
            .as_ref()
            .map(|c| c.channels.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|c| (c.as_str().to_owned(), lang.t(c.label_key()).into_owned()))
            .collect(),
        errors,
    })
}

/// `GET /staff/reception/new?procedure=…`
pub async fn form(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Query(query): Query<CounterQuery>,
) -> AppResult<Response> {
    desk_agency(&staff)?;
    let input = CounterInput {
        procedure: query.procedure,
        result_channel: "counter".to_owned(),
        ..CounterInput::default()
    };
    let mut errors = FormErrors::new();
    // a code, or words of the name: the matches to choose from
    let mut matches = Vec::new();
    if !input.procedure.is_empty() && chosen(&app, &input.procedure).await?.is_none() {
        matches = by_name(&app, &input.procedure, lang).await?;
        if matches.is_empty() {
            errors.add("procedure", lang.t("counter.error_procedure"));
        }
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut page = page(&app, lang, &session, &staff, &input, errors).await?;
    page.matches = matches;
    Ok((status, page).into_response())
}

/// Reads the multipart form: text fields, and every file part streamed to storage under its
/// slot. On a problem, what was stored is removed again.
async fn read_form(
    app: &AppState,
    multipart: &mut Multipart,
) -> Result<(HashMap<String, String>, Vec<(Option<i32>, Stored)>), &'static str> {
    let max_file = i64::try_from(app.settings.max_file_mb * 1024 * 1024).unwrap_or(i64::MAX);
    let max_total = i64::try_from(app.settings.max_dossier_mb * 1024 * 1024).unwrap_or(i64::MAX);
    let mut text = HashMap::new();
    let mut files: Vec<(Option<i32>, Stored)> = Vec::new();
    let mut total = 0i64;
    let fail = |files: Vec<(Option<i32>, Stored)>, key| async move {
        for (_, s) in files {
            let _ = app.storage.delete(&s.key).await;
        }
        Err(key)
    };
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return fail(files, "dossier.error_interrupted").await,
        };
        let name = field.name().unwrap_or_default().to_owned();
        let Some(slot) = name.strip_prefix("doc-") else {
            let value = field.text().await.unwrap_or_default();
            text.insert(name, value);
            continue;
        };
        let position = if slot == "other" {
            None
        } else {
            match slot.parse::<i32>() {
                Ok(p) => Some(p),
                Err(_) => continue,
            }
        };
        let file_name = field.file_name().unwrap_or_default().to_owned();
        let Ok(mut upload) = app.storage.begin().await else {
            return fail(files, "dossier.error_interrupted").await;
        };
        let mut problem = None;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    let size = i64::try_from(upload.size).unwrap_or(i64::MAX) + chunk.len() as i64;
                    if size > max_file {
                        problem = Some("dossier.error_file_size");
                    } else if total + size > max_total {
                        problem = Some("dossier.error_dossier_size");
                    } else if upload.write(&chunk).await.is_err() {
                        problem = Some("dossier.error_interrupted");
                    }
                    if problem.is_some() {
                        break;
                    }
                }
                Ok(None) => break,
                Err(_) => {
                    problem = Some("dossier.error_interrupted");
                    break;
                }
            }
        }
        if upload.size == 0 && problem.is_none() {
            app.storage.abandon(upload).await;
            continue;
        }
        let content_type = domain::sniff_content_type(&upload.head);
        if problem.is_none() && content_type.is_none() {
            problem = Some("dossier.error_file_type");
        }
        if problem.is_none() && files.len() as i64 >= app.settings.max_dossier_files {
            problem = Some("dossier.error_too_many");
        }
        if let Some(problem) = problem {
            app.storage.abandon(upload).await;
            return fail(files, problem).await;
        }
        let size = i64::try_from(upload.size).unwrap_or(i64::MAX);
        match app.storage.commit(upload).await {
            Ok((key, sha256)) => {
                match crate::virus_scan::check_stored(&app.storage, &app.scanner, &key).await {
                    crate::virus_scan::Verdict::Clean => {}
                    crate::virus_scan::Verdict::Infected(_) => {
                        return fail(files, "dossier.error_infected").await;
                    }
                    crate::virus_scan::Verdict::Unavailable(_) => {
                        return fail(files, "dossier.error_scan_unavailable").await;
                    }
                }
                total += size;
                files.push((
                    position,
                    Stored {
                        key,
                        sha256,
                        size,
                        content_type: content_type.unwrap_or("application/pdf"),
                        name: domain::display_name(&file_name),
                    },
                ));
            }
            Err(_) => return fail(files, "dossier.error_interrupted").await,
        }
    }
    Ok((text, files))
}

impl CounterInput {
    /// The text fields of the counter form, trimmed.
    fn from_form(text: &HashMap<String, String>) -> Self {
        let get = |k: &str| text.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
        Self {
            procedure: get("procedure"),
            name: get("name"),
            personal_id: get("personal_id"),
            phone: get("phone"),
            email: get("email"),
            address: get("address"),
            result_channel: get("result_channel"),
            result_address: get("result_address"),
        }
    }
}

/// A walk-in's filing that may go ahead.
struct Valid {
    version: Uuid,
    personal_id: PersonalId,
    phone: PhoneNumber,
    email: Option<EmailAddress>,
    channel: ResultChannel,
}

/// Checks what the official typed and scanned against the procedure chosen: each problem on
/// its field, in the official's language.
fn check(
    input: &CounterInput,
    found: Option<&Chosen>,
    files: &[(Option<i32>, Stored)],
    lang: Lang,
) -> Result<Valid, FormErrors> {
    let mut errors = FormErrors::new();
    if found.is_none() {
        errors.add("procedure", lang.t("counter.error_procedure"));
    }
    if input.name.chars().count() < 2 {
        errors.add("name", lang.t("counter.error_name"));
    }
    let personal_id = PersonalId::parse(&input.personal_id, crate::accounts::domain::this_year());
    if personal_id.is_err() {
        errors.add("personal_id", lang.t("counter.error_personal_id"));
    }
    let phone = PhoneNumber::parse(&input.phone);
    if phone.is_none() {
        errors.add("phone", lang.t("counter.error_phone"));
    }
    let email = if input.email.is_empty() {
        None
    } else {
        let parsed = EmailAddress::parse(&input.email);
        if parsed.is_none() {
            errors.add("email", lang.t("counter.error_email"));
        }
        parsed
    };
    if input.address.chars().count() < 5 {
        errors.add("address", lang.t("counter.error_address"));
    }
    let channel = ResultChannel::parse(&input.result_channel);
    let offered = |c: &ResultChannel| found.is_none_or(|f| f.channels.contains(c));
    match channel {
        None => errors.add("result_channel", lang.t("counter.error_result")),
        Some(c) if !offered(&c) => {
            errors.add("result_channel", lang.t("counter.error_result_not_offered"));
        }
        Some(ResultChannel::Post) if input.result_address.chars().count() < 5 => {
            errors.add("result_address", lang.t("counter.error_result_address"));
        }
        _ => {}
    }
    let slots = found.map(|c| c.slots.as_slice()).unwrap_or_default();
    for slot in slots.iter().filter(|s| s.mandatory) {
        if !files.iter().any(|(p, _)| *p == Some(slot.position)) {
            errors.add(
                format!("doc-{}", slot.position),
                format!(
                    "{}: {}",
                    lang.t("dossier.error_missing_document"),
                    lang.pick(&slot.name_vi, &slot.name_en)
                ),
            );
        }
    }
    match (found, personal_id, phone, channel, errors.is_empty()) {
        (Some(found), Ok(personal_id), Some(phone), Some(channel), true) => Ok(Valid {
            version: found.id,
            personal_id,
            phone,
            email,
            channel,
        }),
        _ => Err(errors),
    }
}

/// `POST /staff/reception/new` (multipart): files the dossier, status "submitted" with its
/// code, and opens its page, where the official accepts it and prints Form 01.
pub async fn file(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    crate::web::client::ClientIp(ip): crate::web::client::ClientIp,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let receiving = desk_agency(&staff)?;
    let (text, files) = match read_form(&app, &mut multipart).await {
        Ok(read) => read,
        Err(problem) => {
            let mut errors = FormErrors::new();
            errors.add("doc-other", lang.t(problem));
            let input = CounterInput::default();
            let page = page(&app, lang, &session, &staff, &input, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let input = CounterInput::from_form(&text);
    let found = chosen(&app, &input.procedure).await?;
    let valid = match check(&input, found.as_ref(), &files, lang) {
        Ok(valid) => valid,
        Err(mut errors) => {
            for (_, s) in &files {
                let _ = app.storage.delete(&s.key).await;
            }
            errors.add("doc-other", lang.t("counter.error_files_again"));
            let page = page(&app, lang, &session, &staff, &input, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let Valid {
        version: version_id,
        personal_id,
        phone,
        email,
        channel,
    } = valid;
    let result_address = if channel == ResultChannel::Post {
        input.result_address.clone()
    } else {
        String::new()
    };
    let filed = filing::file_at_counter(
        &app.db,
        CounterFiling {
            version: version_id,
            receiving,
            staff: staff.id,
            applicant_name: &input.name,
            personal_id: personal_id.as_str(),
            phone: phone.as_str(),
            email: email.as_ref().map_or("", |e| e.as_str()),
            address: &input.address,
            result_channel: channel.as_str(),
            result_address: &result_address,
            files: &files,
            at: app.clock.now(),
            ip,
        },
    )
    .await?;
    // kept in the official's session (PostgreSQL, expiring with it) until Form 01 is printed
    // for the applicant: the database keeps only its hash
    let _ = session.insert(&pin_key(filed.id), &filed.pin).await;
    flash::set(
        &session,
        format!(
            "{} {} — {} {}",
            lang.t("counter.filed"),
            filed.code,
            lang.t("counter.pin"),
            filed.pin
        ),
    )
    .await;
    Ok(Redirect::to(&crate::web::paths::staff_dossier(filed.id)).into_response())
}
