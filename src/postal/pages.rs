//! The pages of the postal channel: the postal worker's day (pick-ups, hand-overs, deliveries,
//! overdue items) and the reception unit's side (manifests to sign off, results to hand to the
//! post). Postal staff see only their office's items and only what delivery needs — never the
//! dossier's documents.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sqlx::FromRow;
use tower_sessions::Session;
use uuid::Uuid;

use super::repo::{self, ManifestHead, ManifestItem};
use super::service::{self, Attempt, By, StepError};
use super::views::{DeskPage, ItemView, ManifestView, PostalPage, ResultView};
use crate::AppState;
use crate::accounts::CurrentStaff;
use crate::accounts::domain::StaffRole;
use crate::accounts::guard::staff_layout;
use crate::kernel::Lang;
use crate::kernel::time::format_local;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, FormErrors, flash};

#[derive(Debug, Clone, FromRow)]
struct ItemRow {
    id: Uuid,
    direction: String,
    status: String,
    tracking_number: Option<String>,
    address: String,
    phone: String,
    attempts: i32,
    note: String,
    created_at: chrono::DateTime<chrono::Utc>,
    code: Option<String>,
    applicant_name: String,
    procedure_vi: String,
    procedure_version_id: Uuid,
    unit_id: Option<Uuid>,
    unit_vi: Option<String>,
}

fn offices(staff: &CurrentStaff) -> Vec<Uuid> {
    staff.agencies_with(StaffRole::Postal).collect()
}

/// `GET /postal`: the postal worker's day.
pub async fn home(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
) -> AppResult<PostalPage> {
    page(&app, lang, &session, &staff, FormErrors::new()).await
}

async fn page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    staff: &CurrentStaff,
    errors: FormErrors,
) -> AppResult<PostalPage> {
    let offices = offices(staff);
    let mut conn = app.db.acquire().await?;
    let items: Vec<ItemRow> = sqlx::query_as(
        "select p.id, p.direction, p.status, p.tracking_number, p.address, p.phone, p.attempts, \
           p.note, p.created_at, d.code, d.applicant_name, v.name_vi as procedure_vi, d.procedure_version_id, \
           d.receiving_agency_id as unit_id, a.name_vi as unit_vi \
         from postal_items p join dossiers d on d.id = p.dossier_id \
         join procedure_versions v on v.id = d.procedure_version_id \
         left join agencies a on a.id = d.receiving_agency_id \
         where p.post_office_id = any($1) and p.status in ('scheduled', 'incomplete', 'collected', 'out') \
         order by p.created_at, p.id limit 500",
    )
    .bind(&offices)
    .fetch_all(&mut *conn)
    .await?;
    let manifests: Vec<(Uuid, String, chrono::DateTime<chrono::Utc>, i64)> = sqlx::query_as(
        "select m.id, a.name_vi, m.created_at, (select count(*) from postal_items p where p.manifest_id = m.id) \
         from postal_manifests m join agencies a on a.id = m.unit_id \
         where m.post_office_id = any($1) and m.direction = 'to_post' and m.confirmed_at is null \
         order by m.created_at",
    )
    .bind(&offices)
    .fetch_all(&mut *conn)
    .await?;
    let mut checklists = std::collections::HashMap::new();
    for i in items.iter().filter(|i| i.direction == "pickup") {
        if let std::collections::hash_map::Entry::Vacant(entry) =
            checklists.entry(i.procedure_version_id)
        {
            let slots = crate::dossiers::repo::slots(&mut conn, i.procedure_version_id).await?;
            entry.insert(
                slots
                    .iter()
                    .map(|s| {
                        format!(
                            "{}{}",
                            lang.pick(&s.name_vi, &s.name_en),
                            if s.mandatory { "" } else { " (nếu có)" }
                        )
                    })
                    .collect::<Vec<_>>(),
            );
        }
    }
    drop(conn);
    let now = chrono::Utc::now();
    let view = |i: &ItemRow| ItemView {
        id: i.id.to_string(),
        code: i.code.clone().unwrap_or_default(),
        applicant: i.applicant_name.clone(),
        address: i.address.clone(),
        phone: crate::accounts::domain::PhoneNumber::parse(&i.phone)
            .map_or_else(|| i.phone.clone(), |p| p.national()),
        procedure: i.procedure_vi.clone(),
        status: lang.t(&format!("postal.status_{}", i.status)).into_owned(),
        tracking: i.tracking_number.clone().unwrap_or_default(),
        unit: i.unit_vi.clone().unwrap_or_default(),
        note: i.note.clone(),
        attempts: i.attempts,
        since: format_local(i.created_at),
        overdue: now - i.created_at > chrono::Duration::days(2),
        checklist: checklists
            .get(&i.procedure_version_id)
            .cloned()
            .unwrap_or_default(),
    };
    let pickups: Vec<ItemView> = items
        .iter()
        .filter(|i| i.direction == "pickup" && i.status != "collected")
        .map(view)
        .collect();
    let collected: Vec<&ItemRow> = items
        .iter()
        .filter(|i| i.direction == "pickup" && i.status == "collected")
        .collect();
    let mut units: Vec<(Uuid, String, Vec<ItemView>)> = Vec::new();
    for i in collected {
        let Some(unit) = i.unit_id else { continue };
        match units.iter_mut().find(|u| u.0 == unit) {
            Some(u) => u.2.push(view(i)),
            None => units.push((unit, i.unit_vi.clone().unwrap_or_default(), vec![view(i)])),
        }
    }
    let deliveries: Vec<ItemView> = items
        .iter()
        .filter(|i| i.direction == "delivery")
        .map(view)
        .collect();
    let overdue = pickups
        .iter()
        .chain(deliveries.iter())
        .filter(|i| i.overdue)
        .count();
    Ok(PostalPage {
        layout: staff_layout(lang, "postal.title", "/postal", session, staff)
            .await?
            .with_errors(&errors),
        pickups,
        to_hand_over: units
            .into_iter()
            .map(|(id, name, items)| ManifestView {
                id: id.to_string(),
                unit: name,
                count: items.len() as i64,
                at: String::new(),
                items,
            })
            .collect(),
        incoming: manifests
            .into_iter()
            .map(|(id, unit, at, count)| ManifestView {
                id: id.to_string(),
                unit,
                count,
                at: format_local(at),
                items: Vec::new(),
            })
            .collect(),
        deliveries,
        overdue,
        errors,
    })
}

#[derive(Deserialize, Default)]
pub struct StepForm {
    #[serde(default)]
    step: String,
    #[serde(default)]
    tracking: String,
    #[serde(default)]
    fee: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    recipient: String,
    #[serde(default)]
    relative_id: String,
    /// The checklist's documents handed over (`doc-<n>` = the document's name).
    #[serde(flatten)]
    extra: std::collections::HashMap<String, String>,
}

#[allow(clippy::too_many_arguments)]
async fn done(
    app: &AppState,
    lang: Lang,
    session: &Session,
    staff: &CurrentStaff,
    result: Result<(), StepError>,
    field: &str,
    ok_key: &str,
    back: &str,
) -> AppResult<Response> {
    match result {
        Ok(()) => {
            flash::set(session, lang.t(ok_key)).await;
            Ok(Redirect::to(back).into_response())
        }
        Err(StepError::Refused(r)) => {
            if let Ok(mut conn) = app.db.acquire().await {
                let _ = service::refusal(
                    &mut conn,
                    "staff",
                    r.key(),
                    serde_json::json!({"staff": staff.id}),
                )
                .await;
            }
            let mut errors = FormErrors::new();
            errors.add(field, lang.t(r.key()));
            if back == "/postal" {
                let p = page(app, lang, session, staff, errors).await?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
            } else {
                let p = desk_page(app, lang, session, staff, errors).await?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
            }
        }
        Err(StepError::Database(e)) => Err(e.into()),
    }
}

/// `POST /postal/items/{id}`: a step on an item (collect, incomplete, delivered, failed,
/// returned).
pub async fn step(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Path(id): Path<Uuid>,
    Form(form): Form<StepForm>,
) -> AppResult<Response> {
    let offices = offices(&staff);
    let office: Option<Uuid> =
        sqlx::query_scalar("select post_office_id from postal_items where id = $1")
            .bind(id)
            .fetch_optional(&app.db)
            .await?;
    let office = office
        .filter(|o| offices.contains(o))
        .ok_or(AppError::NotFound)?;
    let by = By::Staff(staff.id);
    let mut tx = app.db.begin().await?;
    let field = format!("item-{id}");
    let result = match form.step.as_str() {
        "collect" => {
            let fee = if form.fee.trim().is_empty() {
                0
            } else if let Some(fee) = crate::kernel::money::parse_vnd(&form.fee) {
                fee
            } else {
                let mut errors = FormErrors::new();
                errors.add(field, lang.t("payment.error_amount"));
                drop(tx);
                let p = page(&app, lang, &session, &staff, errors).await?;
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
            };
            let mut documents: Vec<(&String, &String)> = form
                .extra
                .iter()
                .filter(|(k, _)| k.starts_with("doc-"))
                .collect();
            documents.sort();
            let documents: Vec<String> = documents.into_iter().map(|(_, v)| v.clone()).collect();
            service::collect(
                &mut tx,
                id,
                Some(office),
                Some(&form.tracking),
                fee,
                &documents,
                by,
                None,
            )
            .await
            .map(|_| ())
        }
        "incomplete" if form.note.trim().chars().count() >= 5 => {
            service::incomplete(&mut tx, id, Some(office), form.note.trim(), by).await
        }
        "delivered" => {
            let relative = form.recipient == "relative";
            if relative && form.relative_id.trim().chars().count() < 9 {
                let mut errors = FormErrors::new();
                errors.add(field, lang.t("postal.error_relative_id"));
                drop(tx);
                let p = page(&app, lang, &session, &staff, errors).await?;
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
            }
            let outcome = Attempt::Delivered {
                recipient: if relative {
                    "relative".into()
                } else {
                    "person".into()
                },
                relative_id: relative.then(|| form.relative_id.trim().to_owned()),
            };
            service::attempt(&mut tx, id, Some(office), &outcome, by, None).await
        }
        "failed" | "returned" if form.note.trim().chars().count() >= 5 => {
            let reason = form.note.trim().to_owned();
            let outcome = if form.step == "failed" {
                Attempt::Failed { reason }
            } else {
                Attempt::Returned { reason }
            };
            service::attempt(&mut tx, id, Some(office), &outcome, by, None).await
        }
        "incomplete" | "failed" | "returned" => {
            let mut errors = FormErrors::new();
            errors.add(field, lang.t("postal.error_reason"));
            drop(tx);
            let p = page(&app, lang, &session, &staff, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
        }
        _ => return Err(AppError::BadRequest("errors.bad_request_text")),
    };
    // committed or rolled back here: `done` takes connections of its own for the page
    if result.is_ok() {
        tx.commit().await?;
    } else {
        drop(tx);
    }
    done(
        &app,
        lang,
        &session,
        &staff,
        result,
        &field,
        "postal.step_done",
        "/postal",
    )
    .await
}

/// `POST /postal/manifests/to-unit/{unit}`: a manifest of every collected pick-up for a unit.
pub async fn hand_to_unit(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Path(unit): Path<Uuid>,
) -> AppResult<Response> {
    let offices = offices(&staff);
    let mut tx = app.db.begin().await?;
    let items: Vec<(Uuid, Uuid)> = sqlx::query_as(
        "select p.id, p.post_office_id from postal_items p join dossiers d on d.id = p.dossier_id \
         where p.post_office_id = any($1) and p.direction = 'pickup' and p.status = 'collected' \
           and d.receiving_agency_id = $2 order by p.created_at",
    )
    .bind(&offices)
    .bind(unit)
    .fetch_all(&mut *tx)
    .await?;
    let Some(office) = items.first().map(|i| i.1) else {
        return Err(AppError::NotFound);
    };
    let ids: Vec<Uuid> = items
        .iter()
        .filter(|i| i.1 == office)
        .map(|i| i.0)
        .collect();
    let result = service::manifest_to_unit(&mut tx, office, unit, &ids, By::Staff(staff.id)).await;
    let manifest = match result {
        Ok(m) => m,
        Err(e) => {
            return done(
                &app,
                lang,
                &session,
                &staff,
                Err(e),
                "hand-over",
                "",
                "/postal",
            )
            .await;
        }
    };
    tx.commit().await?;
    flash::set(&session, lang.t("postal.manifest_made")).await;
    Ok(Redirect::to(&format!("/postal?manifest={manifest}")).into_response())
}

/// `POST /postal/manifests/{id}/confirm` (postal staff, results from a unit) and
/// `POST /staff/postal/manifests/{id}/confirm` (reception, pick-ups from the post).
pub async fn confirm(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let postal = offices(&staff);
    let desks: Vec<Uuid> = staff.agencies_with(StaffRole::Reception).collect();
    let side: Vec<Uuid> = postal.iter().chain(desks.iter()).copied().collect();
    let mut tx = app.db.begin().await?;
    let result = service::confirm_manifest(&mut tx, id, staff.id, &side)
        .await
        .map(|_| ());
    // committed or rolled back here: `done` takes connections of its own for the page
    if result.is_ok() {
        tx.commit().await?;
    } else {
        drop(tx);
    }
    let back = if postal.is_empty() {
        "/staff/postal"
    } else {
        "/postal"
    };
    done(
        &app,
        lang,
        &session,
        &staff,
        result,
        "manifests",
        "postal.manifest_confirmed",
        back,
    )
    .await
}

/// `GET /staff/postal`: the unit's side — manifests from the post to sign off, results to hand
/// to the post.
pub async fn desk(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
) -> AppResult<DeskPage> {
    desk_page(&app, lang, &session, &staff, FormErrors::new()).await
}

async fn desk_page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    staff: &CurrentStaff,
    errors: FormErrors,
) -> AppResult<DeskPage> {
    let desks: Vec<Uuid> = staff.agencies_with(StaffRole::Reception).collect();
    let mut conn = app.db.acquire().await?;
    let manifests: Vec<(Uuid, String, chrono::DateTime<chrono::Utc>, i64)> = sqlx::query_as(
        "select m.id, a.name_vi, m.created_at, (select count(*) from postal_items p where p.manifest_id = m.id) \
         from postal_manifests m join agencies a on a.id = m.post_office_id \
         where m.unit_id = any($1) and m.direction = 'to_unit' and m.confirmed_at is null order by m.created_at",
    )
    .bind(&desks)
    .fetch_all(&mut *conn)
    .await?;
    let results: Vec<(Uuid, Option<String>, String, String)> = sqlx::query_as(
        "select id, code, applicant_name, result_address from dossiers \
         where receiving_agency_id = any($1) and status = 'result_ready' and result_channel = 'post' \
         order by result_at, id limit 200",
    )
    .bind(&desks)
    .fetch_all(&mut *conn)
    .await?;
    drop(conn);
    Ok(DeskPage {
        layout: staff_layout(lang, "postal.desk_title", "/staff/postal", session, staff)
            .await?
            .with_errors(&errors),
        incoming: manifests
            .into_iter()
            .map(|(id, office, at, count)| ManifestView {
                id: id.to_string(),
                unit: office,
                count,
                at: format_local(at),
                items: Vec::new(),
            })
            .collect(),
        results: results
            .into_iter()
            .map(|(id, code, name, address)| ResultView {
                id: id.to_string(),
                code: code.unwrap_or_default(),
                applicant: name,
                address,
            })
            .collect(),
        errors,
    })
}

/// `POST /staff/postal/hand-over`: the chosen results go to the post on one manifest.
pub async fn hand_to_post(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    axum::extract::RawForm(raw): axum::extract::RawForm,
) -> AppResult<Response> {
    let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&raw)
        .map_err(|_| AppError::BadRequest("errors.bad_request_text"))?;
    let dossiers: Vec<Uuid> = form
        .iter()
        .filter(|(k, _)| k == "dossier")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let desks: Vec<Uuid> = staff.agencies_with(StaffRole::Reception).collect();
    let Some(unit) = desks.first().copied() else {
        return Err(AppError::Forbidden);
    };
    if dossiers.is_empty() {
        return done(
            &app,
            lang,
            &session,
            &staff,
            Err(StepError::Refused(service::Refused::NotFound)),
            "results",
            "",
            "/staff/postal",
        )
        .await;
    }
    let mut tx = app.db.begin().await?;
    let result = service::manifest_to_post(&mut tx, unit, &dossiers, staff.id).await;
    let manifest = match result {
        Ok(m) => m,
        Err(e) => {
            return done(
                &app,
                lang,
                &session,
                &staff,
                Err(e),
                "results",
                "",
                "/staff/postal",
            )
            .await;
        }
    };
    tx.commit().await?;
    flash::set(&session, lang.t("postal.manifest_made")).await;
    Ok(Redirect::to(&format!("/staff/postal?manifest={manifest}")).into_response())
}

/// The hand-over record's content: who gives, who receives, what, and one row a postal item.
fn manifest_notice(
    id: Uuid,
    head: ManifestHead,
    rows: &[ManifestItem],
    origin: &str,
) -> crate::dossiers::pdf::Notice {
    let (_, _, direction, office_vi, unit_vi, created, confirmed) = head;
    let (giver, receiver) = if direction == "to_unit" {
        (office_vi.clone(), unit_vi.clone())
    } else {
        (unit_vi.clone(), office_vi.clone())
    };
    crate::dossiers::pdf::Notice {
        unit: giver.clone(),
        sub_unit: String::new(),
        place_date: format!("Lập lúc {}", format_local(created)),
        title: "BIÊN BẢN BÀN GIAO HỒ SƠ".to_owned(),
        code: id.simple().to_string()[..12].to_uppercase(),
        paragraphs: vec![
            format!("Bên giao: {giver}"),
            format!("Bên nhận: {receiver}"),
            format!(
                "Nội dung: {}",
                if direction == "to_unit" {
                    "hồ sơ do bưu điện thu gom tại địa chỉ của tổ chức, cá nhân"
                } else {
                    "kết quả giải quyết thủ tục hành chính chuyển phát đến tổ chức, cá nhân"
                }
            ),
            format!("Số lượng: {} bưu gửi", rows.len()),
            format!(
                "Xác nhận của bên nhận trên hệ thống: {}",
                confirmed.map_or_else(|| "chưa xác nhận".to_owned(), format_local)
            ),
        ],
        table: Some(crate::dossiers::pdf::NoticeTable {
            headers: vec![
                "STT".into(),
                "Số hiệu bưu gửi".into(),
                "Mã hồ sơ — người nhận".into(),
                "Địa chỉ".into(),
            ],
            widths: vec![35.0, 110.0, 170.0, 160.0],
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, (t, c, n, a))| {
                    vec![
                        (i + 1).to_string(),
                        t.clone().unwrap_or_default(),
                        format!("{}\n{n}", c.clone().unwrap_or_default()),
                        a.clone(),
                    ]
                })
                .collect(),
        }),
        signer_title: "ĐẠI DIỆN BÊN NHẬN".to_owned(),
        signer: String::new(),
        form_note:
            "Biên bản bàn giao giữa bưu điện và Bộ phận Một cửa (Quyết định 45/2016/QĐ-TTg)."
                .to_owned(),
        tracking_url: format!("{origin}/tra-cuu"),
    }
}

/// `GET /postal/manifests/{id}/pdf` and `GET /staff/postal/manifests/{id}/pdf`: the hand-over
/// record (biên bản bàn giao), for the post office and the unit on it only.
pub async fn manifest_pdf(
    State(app): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let mut conn = app.db.acquire().await?;
    let head = repo::manifest_head(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mine = staff.roles.iter().any(|r| {
        (r.role == StaffRole::Postal && r.agency_id == head.0)
            || (r.role == StaffRole::Reception && r.agency_id == head.1)
    });
    if !mine {
        return Err(AppError::Forbidden);
    }
    let rows = repo::manifest_items(&mut conn, id).await?;
    drop(conn);
    let notice = manifest_notice(id, head, &rows, &app.settings.public_origin);
    let bytes = tokio::task::spawn_blocking(move || crate::dossiers::pdf::notice(&notice))
        .await
        .map_err(anyhow::Error::from)??;
    Ok(crate::web::download::attachment(
        bytes,
        "application/pdf",
        &format!("bien-ban-ban-giao-{id}.pdf"),
    ))
}
