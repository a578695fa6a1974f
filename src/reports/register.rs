//! Form 07 of Circular 03/2025, the dossier register (sổ theo dõi hồ sơ) of one reception unit
//! for a period: every dossier it received, in the order received, with the dates of each
//! hand-over read from the dossier's events. The layout is reconstructed (DOMAIN.md §15 1.3).

use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::domain::Period;
use super::pages::{ReportQuery, compute_period};
use super::repo::{self, RegisterLine};
use super::scope::{REGISTER_ROLES, scope_of};
use crate::AppState;
use crate::accounts::CurrentStaff;
use crate::deadlines::calendar::to_local;
use crate::dossiers::DossierStatus;
use crate::dossiers::pdf::{self, NoticeTable, Register};
use crate::kernel::Lang;
use crate::kernel::time::format_date;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, FormErrors, download};

fn day(at: Option<DateTime<Utc>>) -> String {
    at.map(|a| format_date(to_local(a).date()))
        .unwrap_or_default()
}

/// The unit whose register is asked: the official's own when they have one, else the one named
/// (within their scope).
fn unit_of(staff: &CurrentStaff, agency: &str) -> AppResult<Uuid> {
    Ok(match (agency.trim(), scope_of(staff, REGISTER_ROLES)) {
        ("", Some(ids)) if ids.len() == 1 => ids[0],
        ("", _) => return Err(AppError::BadRequest("errors.bad_request_text")),
        (a, scope) => {
            let a: Uuid = a.parse().map_err(|_| AppError::NotFound)?;
            if scope.is_some_and(|ids| !ids.contains(&a)) {
                return Err(AppError::Forbidden);
            }
            a
        }
    })
}

/// Form 07's rows for the lines read, in the order received.
fn register_of(unit_name: String, period: &Period, lines: &[RegisterLine], lang: Lang) -> Register {
    let rows = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let note = match l.status {
                DossierStatus::Returned | DossierStatus::ResultReady => String::new(),
                s => lang.t(s.label_key()).into_owned(),
            };
            vec![
                // the dossier's number in the unit's book of the year (Form 01's "số thứ tự")
                l.number
                    .map_or_else(|| (i + 1).to_string(), |n| n.to_string()),
                // the agency's part, then the date and number: fits the column
                l.code
                    .as_deref()
                    .unwrap_or_default()
                    .replacen('-', "-\n", 1),
                l.procedure_vi.clone(),
                "1".to_owned(),
                l.applicant_name.clone(),
                format!("{}\n{}", l.applicant_address, l.applicant_phone),
                l.competent_vi.clone().unwrap_or_default(),
                day(Some(l.received_at)),
                day(l.due_at),
                day(l.forwarded_at),
                day(l.result_at),
                day(l.returned_at),
                String::new(),
                note,
            ]
        })
        .collect();
    Register {
        unit: unit_name,
        period: format!(
            "Từ ngày {} đến ngày {}",
            format_date(period.from),
            format_date(period.until - chrono::Duration::days(1))
        ),
        table: NoticeTable {
            headers: [
                "TT",
                "Mã hồ sơ",
                "Tên thủ tục hành chính",
                "Số lượng hồ sơ (bộ)",
                "Tên cá nhân, tổ chức",
                "Địa chỉ, số điện thoại",
                "Cơ quan chủ trì giải quyết",
                "Ngày nhận hồ sơ",
                "Ngày hẹn trả kết quả",
                "Ngày chuyển hồ sơ đến cơ quan giải quyết",
                "Ngày nhận kết quả từ cơ quan giải quyết",
                "Ngày trả kết quả cho cá nhân, tổ chức",
                "Ký nhận",
                "Ghi chú",
            ]
            .iter()
            .map(|h| (*h).to_owned())
            .collect(),
            widths: vec![
                20.0, 76.0, 92.0, 28.0, 62.0, 68.0, 62.0, 54.0, 54.0, 54.0, 54.0, 54.0, 30.0,
                44.0,
            ],
            rows,
        },
        form_note: "Mẫu số 07 — Sổ theo dõi hồ sơ (Thông tư 03/2025/TT-VPCP; bố cục dựng lại theo mẫu của Thông tư 01/2018/TT-VPCP)".to_owned(),
    }
}

/// `GET /staff/reports/register.pdf?agency=&kind=&year=&number=&from=&to=`: the unit is the
/// official's own when they have one agency.
pub async fn pdf(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    Query(q): Query<ReportQuery>,
) -> AppResult<Response> {
    let mut errors = FormErrors::new();
    let today = to_local(app.clock.now()).date();
    let (_, period) = compute_period(&q, lang, &mut errors, today);
    let unit = unit_of(&staff, &q.agency)?;
    let mut conn = app.db.acquire().await?;
    let unit_name = repo::agency_name(&mut conn, unit)
        .await?
        .ok_or(AppError::NotFound)?;
    repo::refresh(&mut conn, repo::REQUEST_BATCH, false).await?;
    let lines = repo::register_lines(&mut conn, unit, &period).await?;
    drop(conn);
    let register = register_of(unit_name, &period, &lines, lang);
    let bytes = tokio::task::spawn_blocking(move || pdf::register(&register))
        .await
        .map_err(anyhow::Error::from)??;
    Ok(download::attachment(
        bytes,
        "application/pdf",
        &format!(
            "so-theo-doi-ho-so-{}-{}.pdf",
            period.from,
            period.until - chrono::Duration::days(1)
        ),
    ))
}
