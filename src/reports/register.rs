//! Form 07 of Circular 03/2025, the dossier register (sổ theo dõi hồ sơ) of one reception unit
//! for a period: every dossier it received, in the order received, with the dates of each
//! hand-over read from the dossier's events. The layout is reconstructed (DOMAIN.md §15 1.3).

use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{DateTime, Datelike, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use super::pages::{ReportQuery, compute_period};
use super::scope::{REGISTER_ROLES, scope_of};
use crate::AppState;
use crate::accounts::CurrentStaff;
use crate::deadlines::calendar::to_local;
use crate::dossiers::DossierStatus;
use crate::dossiers::pdf::{self, NoticeTable, Register};
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, FormErrors, download};

#[derive(Debug, FromRow)]
struct Line {
    code: Option<String>,
    procedure_vi: String,
    applicant_name: String,
    applicant_address: String,
    applicant_phone: String,
    competent_vi: Option<String>,
    received_at: DateTime<Utc>,
    due_at: Option<DateTime<Utc>>,
    forwarded_at: Option<DateTime<Utc>>,
    result_at: Option<DateTime<Utc>>,
    returned_at: Option<DateTime<Utc>>,
    status: DossierStatus,
    /// its number in the unit's book of its year, as Form 01 prints it
    number: Option<i64>,
}

fn day(at: Option<DateTime<Utc>>) -> String {
    at.map(|a| to_local(a).format("%d/%m/%Y").to_string())
        .unwrap_or_default()
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
    let today = crate::deadlines::calendar::to_local(app.clock.now()).date();
    let (_, period) = compute_period(&q, lang, &mut errors, today);
    let unit: Uuid = match (q.agency.trim(), scope_of(&staff, REGISTER_ROLES)) {
        ("", Some(ids)) if ids.len() == 1 => ids[0],
        ("", _) => return Err(AppError::BadRequest("errors.bad_request_text")),
        (a, scope) => {
            let a: Uuid = a.parse().map_err(|_| AppError::NotFound)?;
            if scope.is_some_and(|ids| !ids.contains(&a)) {
                return Err(AppError::Forbidden);
            }
            a
        }
    };
    let mut conn = app.db.acquire().await?;
    let unit_name: String = sqlx::query_scalar("select name_vi from agencies where id = $1")
        .bind(unit)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?;
    super::repo::refresh(&mut conn, super::repo::REQUEST_BATCH, false).await?;
    let lines: Vec<Line> = sqlx::query_as(
        "select d.code, v.name_vi as procedure_vi, d.applicant_name, d.applicant_address, \
           d.applicant_phone, c.name_vi as competent_vi, f.received_at, \
           coalesce(d.original_due_at, d.due_at) as due_at, \
           (select min(e.at) from dossier_events e where e.dossier_id = d.id and e.to_status = 'processing') as forwarded_at, \
           (select min(e.at) from dossier_events e where e.dossier_id = d.id and e.to_status = 'result_ready') as result_at, \
           (select min(e.at) from dossier_events e where e.dossier_id = d.id and e.to_status = 'returned') as returned_at, \
           d.status, b.number \
         from report_facts f \
         join dossiers d on d.id = f.dossier_id \
         left join (select x.id, row_number() over ( \
                      partition by date_part('year', x.received_at + interval '7 hours') \
                      order by x.received_at, x.code) as number \
                    from dossiers x where x.receiving_agency_id = $1 \
                      and x.received_at >= $4 and x.received_at < $3) b on b.id = d.id \
         join procedure_versions v on v.id = d.procedure_version_id \
         left join agencies c on c.id = d.competent_agency_id \
         where f.agency_id = $1 and f.received_at >= $2 and f.received_at < $3 \
         order by f.received_at, d.code limit 10000",
    )
    .bind(unit)
    .bind(period.start())
    .bind(period.end())
    .bind(crate::dossiers::forms::book_start(period.from.year()))
    .fetch_all(&mut *conn)
    .await?;
    drop(conn);
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
    let register = Register {
        unit: unit_name,
        period: format!(
            "Từ ngày {} đến ngày {}",
            period.from.format("%d/%m/%Y"),
            (period.until - chrono::Duration::days(1)).format("%d/%m/%Y")
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
    };
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
