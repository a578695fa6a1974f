//! The sandbox's citizen side: a tester files a dossier as a citizen would on the national
//! portal (a page, `GET/POST /nop-ho-so`, and `POST /sim/citizen/submit` for tests and load),
//! and the sandbox delivers it to the province by both transports seen in production: it
//! pushes it, signed, to the portal's `POST /api/v1/dvcqg/dossiers` when it knows the portal,
//! and it lists it for pull (`LayDanhSachHoSo`, `LayChiTietHoSo`, `CapNhatDaNhanHoSo` in the
//! service envelope) until the province acknowledges it. Attachments travel in base64 or as
//! links to the sandbox's own `GET /tep/{id}`. In the fault mode "twice" every dossier is
//! pushed twice and stays listed after its first acknowledgement.
//!
//! The procedures and agencies offered are those the province publishes (in life both come
//! from the same national catalogue; here they are read from the portal's tables).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Json, Router};
use base64::Engine as _;
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::sandbox::{Sandbox, answer, faults};

pub(super) const SCHEMA: &str = "
create table if not exists dvcqg_sandbox.filed (
    code text primary key, payload jsonb not null, filed_at timestamptz not null default now(),
    pushes integer not null default 0, push_status smallint, push_answer jsonb,
    acks integer not null default 0, ack jsonb, acked_at timestamptz);
create index if not exists filed_unacked_idx on dvcqg_sandbox.filed (filed_at) where acks = 0;
create table if not exists dvcqg_sandbox.files (
    id uuid primary key, name text not null, content bytea not null);
create table if not exists dvcqg_sandbox.counters (
    unit text not null, day date not null, last_value integer not null, primary key (unit, day));
";

pub(super) fn routes(router: Router<Sandbox>) -> Router<Sandbox> {
    use axum::routing::{get, post};
    router
        .route("/nop-ho-so", get(form_page).post(file_form))
        .route("/nop-ho-so/{code}/gui-lai", post(push_again))
        .route("/sim/citizen/submit", post(file_json))
        .route("/tep/{id}", get(serve_file))
}

/// One attachment as a tester gives it.
#[derive(Debug, Deserialize)]
pub struct Attachment {
    #[serde(rename = "TenTepDinhKem")]
    pub name: String,
    /// the bytes, in base64
    #[serde(rename = "Base64")]
    pub base64: String,
    /// deliver it as a link to the sandbox instead of inline
    #[serde(default)]
    pub as_link: bool,
    #[serde(rename = "ThuTuThanhPhan", default)]
    pub position: Option<i32>,
}

/// `POST /sim/citizen/submit`: what a citizen fills in on the national portal. Anything the
/// province would refuse can be sent (an unknown procedure, a malformed field): the sandbox
/// only numbers the dossier (unless `MaHoSo` is given) and delivers it.
#[derive(Debug, Deserialize)]
pub struct Filing {
    #[serde(rename = "MaHoSo", default)]
    pub code: Option<String>,
    #[serde(rename = "MaTTHC")]
    pub procedure_code: String,
    #[serde(rename = "MaDonVi")]
    pub agency_code: String,
    #[serde(rename = "ChuHoSo")]
    pub owner: String,
    #[serde(rename = "SoGiayToChuHoSo")]
    pub owner_id: String,
    #[serde(rename = "SoDienThoai", default)]
    pub phone: String,
    #[serde(rename = "Email", default)]
    pub email: String,
    #[serde(rename = "DiaChi", default)]
    pub address: String,
    #[serde(rename = "TrichYeuHoSo", default)]
    pub summary: String,
    #[serde(rename = "DuLieuBieuMau", default)]
    pub answers: serde_json::Map<String, Value>,
    #[serde(rename = "TaiLieuNop", default)]
    pub documents: Vec<Attachment>,
}

/// What filing did: the code, and the push's answer when the sandbox pushed.
#[derive(Debug)]
pub struct Filed {
    pub code: String,
    pub pushes: Vec<(u16, Value)>,
}

/// Numbers, stores and delivers a filing. `origin` is the sandbox's own (for file links).
pub async fn file(s: &Sandbox, origin: &str, f: Filing) -> Result<Filed, sqlx::Error> {
    let now = Utc::now();
    let day = crate::deadlines::calendar::to_local(now).date();
    let code = match f.code {
        Some(code) => code,
        None => {
            // numbered from 9001 each day, clear of what the province numbers itself in a demo
            let sequence: i32 = sqlx::query_scalar(
                "insert into dvcqg_sandbox.counters (unit, day, last_value) values ($1, $2, 9001) \
                 on conflict (unit, day) do update \
                   set last_value = dvcqg_sandbox.counters.last_value + 1 returning last_value",
            )
            .bind(&f.agency_code)
            .bind(day)
            .fetch_one(&s.db)
            .await?;
            format!(
                "{}-{}-{sequence:04}",
                f.agency_code,
                crate::dossiers::code::day_digits(day)
            )
        }
    };
    let mut documents = Vec::with_capacity(f.documents.len());
    for d in f.documents {
        let mut doc = json!({ "TenTepDinhKem": d.name });
        if let Some(p) = d.position {
            doc["ThuTuThanhPhan"] = json!(p);
        }
        if d.as_link {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(d.base64.as_bytes())
                .unwrap_or_default();
            let id = Uuid::new_v4();
            sqlx::query("insert into dvcqg_sandbox.files (id, name, content) values ($1, $2, $3)")
                .bind(id)
                .bind(&d.name)
                .bind(bytes)
                .execute(&s.db)
                .await?;
            doc["DuongDanTaiTepTin"] = json!(format!("{origin}/tep/{id}"));
        } else {
            doc["Base64"] = json!(d.base64);
        }
        documents.push(doc);
    }
    let payload = json!({
        "MaHoSo": code, "MaTTHC": f.procedure_code, "MaDonVi": f.agency_code,
        "NgayNopHoSo": super::tt04_2025::timestamp(now), "ChuHoSo": f.owner,
        "SoGiayToChuHoSo": f.owner_id, "SoDienThoai": f.phone, "Email": f.email,
        "DiaChi": f.address, "TrichYeuHoSo": f.summary, "DuLieuBieuMau": f.answers,
        "TaiLieuNop": documents,
    });
    sqlx::query("insert into dvcqg_sandbox.filed (code, payload) values ($1, $2)")
        .bind(&code)
        .bind(&payload)
        .execute(&s.db)
        .await?;
    // the nation holds what it received, at status 1 (received, waiting for the province)
    let record = json!({
        "MaHoSo": code, "MaTTHC": payload["MaTTHC"], "TenTTHC": "", "ChuHoSo": payload["ChuHoSo"],
        "NgayNopHoSo": payload["NgayNopHoSo"], "TrangThaiHoSo": "1", "KenhThucHien": "2",
    });
    sqlx::query(
        "insert into dvcqg_sandbox.dossiers (code, record, status) values ($1, $2, 1) \
         on conflict (code) do nothing",
    )
    .bind(&code)
    .bind(&record)
    .execute(&s.db)
    .await?;
    sqlx::query("insert into dvcqg_sandbox.statuses (code, status) values ($1, 1)")
        .bind(&code)
        .execute(&s.db)
        .await?;
    let pushes = push(s, &code).await?;
    Ok(Filed { code, pushes })
}

/// Pushes a filed dossier to the portal (twice in the mode "twice"); nothing when the
/// sandbox does not know the portal. Returns each push's HTTP status and answer.
pub async fn push(s: &Sandbox, code: &str) -> Result<Vec<(u16, Value)>, sqlx::Error> {
    if s.portal.is_empty() {
        return Ok(Vec::new());
    }
    let payload: Value =
        sqlx::query_scalar("select payload from dvcqg_sandbox.filed where code = $1")
            .bind(code)
            .fetch_one(&s.db)
            .await?;
    let body = serde_json::to_vec(&payload).unwrap_or_default();
    let (mode, _) = faults(&s.db).await;
    let times = if mode == "twice" { 2 } else { 1 };
    let mut answers = Vec::new();
    for _ in 0..times {
        let timestamp = Utc::now().timestamp();
        let sent = s
            .http
            .post(format!(
                "{}/api/v1/dvcqg/dossiers",
                s.portal.trim_end_matches('/')
            ))
            .header(header::CONTENT_TYPE, "application/json")
            .header("X-DVCQG-Timestamp", timestamp.to_string())
            .header(
                "X-DVCQG-Signature",
                super::inbound::sign(&s.push_secret, timestamp, &body),
            )
            .body(body.clone())
            .send()
            .await;
        let (status, answer) = match sent {
            Ok(r) => {
                let status = r.status().as_u16();
                (status, r.json::<Value>().await.unwrap_or(Value::Null))
            }
            Err(e) => (0, json!({ "error": e.to_string() })),
        };
        sqlx::query(
            "update dvcqg_sandbox.filed set pushes = pushes + 1, push_status = $2, push_answer = $3 \
             where code = $1",
        )
        .bind(code)
        .bind(i16::try_from(status).unwrap_or(0))
        .bind(&answer)
        .execute(&s.db)
        .await?;
        answers.push((status, answer));
    }
    Ok(answers)
}

async fn file_json(State(s): State<Sandbox>, Json(f): Json<Filing>) -> Response {
    match file(&s, &s.origin, f).await {
        Ok(filed) => Json(json!({
            "MaHoSo": filed.code,
            "pushes": filed.pushes.iter().map(|(status, answer)| json!({"status": status, "answer": answer})).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

async fn push_again(State(s): State<Sandbox>, Path(code): Path<String>) -> Response {
    match push(&s, &code).await {
        Ok(_) => Redirect::to(&format!("/nop-ho-so?ma={code}")).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn serve_file(State(s): State<Sandbox>, Path(id): Path<Uuid>) -> Response {
    if let Some(r) = super::sandbox::fault(&s.db).await {
        return r;
    }
    match sqlx::query_as::<_, (String, Vec<u8>)>(
        "select name, content from dvcqg_sandbox.files where id = $1",
    )
    .bind(id)
    .fetch_optional(&s.db)
    .await
    {
        Ok(Some((_, content))) => (
            [(header::CONTENT_TYPE, "application/octet-stream")],
            content,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The pull transport's services, answered inside `/integration`.
pub(super) async fn pull_service(
    s: &Sandbox,
    service: &str,
    data: &Value,
) -> Result<Option<Response>, sqlx::Error> {
    let (mode, _) = faults(&s.db).await;
    let code = data
        .get("MaHoSo")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    Ok(Some(match service {
        super::tt04_2025::SERVICE_PULL_LIST => {
            let codes: Vec<String> = sqlx::query_scalar(
                "select code from dvcqg_sandbox.filed where acks = 0 or ($1 and acks < 2) \
                 order by filed_at limit 100",
            )
            .bind(mode == "twice")
            .fetch_all(&s.db)
            .await?;
            let list: Vec<Value> = codes.iter().map(|c| json!({ "MaHoSo": c })).collect();
            Json(json!({ "error_code": 0, "message": "Thành công", "data": list })).into_response()
        }
        super::tt04_2025::SERVICE_PULL_DETAIL => {
            let payload: Option<Value> =
                sqlx::query_scalar("select payload from dvcqg_sandbox.filed where code = $1")
                    .bind(&code)
                    .fetch_optional(&s.db)
                    .await?;
            match payload {
                Some(p) => Json(json!({ "error_code": 0, "message": "Thành công", "data": p }))
                    .into_response(),
                None => answer(-4, "Hồ sơ không tồn tại"),
            }
        }
        super::tt04_2025::SERVICE_PULL_ACK => {
            let done = sqlx::query(
                "update dvcqg_sandbox.filed set acks = acks + 1, ack = $2, acked_at = now() \
                 where code = $1",
            )
            .bind(&code)
            .bind(data)
            .execute(&s.db)
            .await?
            .rows_affected();
            if done == 0 {
                answer(-4, "Hồ sơ không tồn tại")
            } else {
                answer(0, "Đã cập nhật")
            }
        }
        _ => return Ok(None),
    }))
}

/// code, payload, pushes, the last push's status and answer, acknowledgements
type FiledRow = (String, Value, i32, Option<i16>, Option<Value>, i32);

/// A filed dossier as the filing page lists it.
pub struct FiledLine {
    pub code: String,
    pub owner: String,
    pub delivery: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dvcqg_sandbox/file.html")]
pub struct FilePage {
    pub procedures: Vec<(String, String)>,
    pub agencies: Vec<(String, String)>,
    pub filed: Vec<FiledLine>,
    pub just_filed: String,
    pub error: String,
}

#[derive(Deserialize)]
pub struct FormQuery {
    #[serde(default)]
    ma: String,
}

async fn form_page(
    State(s): State<Sandbox>,
    axum::extract::Query(q): axum::extract::Query<FormQuery>,
) -> Result<FilePage, StatusCode> {
    page(&s, q.ma, String::new())
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)
}

async fn page(s: &Sandbox, just_filed: String, error: String) -> Result<FilePage, sqlx::Error> {
    let procedures = sqlx::query_as(
        "select distinct on (code) code, name_vi from procedure_versions \
         where effective_from <= current_date and (effective_to is null or effective_to > current_date) \
           and online_level <> 'none' and submit_online order by code, effective_from desc",
    )
    .fetch_all(&s.db)
    .await?;
    let agencies = sqlx::query_as(
        "select e_id_code, name_vi from agencies where e_id_code is not null \
           and valid_from <= current_date and (valid_to is null or valid_to > current_date) \
         order by name_vi",
    )
    .fetch_all(&s.db)
    .await?;
    let rows: Vec<FiledRow> = sqlx::query_as(
        "select code, payload, pushes, push_status, push_answer, acks from dvcqg_sandbox.filed \
         order by filed_at desc limit 50",
    )
    .fetch_all(&s.db)
    .await?;
    let filed = rows
        .into_iter()
        .map(|(code, payload, pushes, status, answer, acks)| {
            let delivery = if acks > 0 {
                format!("Tỉnh đã kéo về và xác nhận ({acks} lần)")
            } else if pushes > 0 {
                let said = answer
                    .as_ref()
                    .and_then(|a| a.get("status").or_else(|| a.get("message")))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                format!(
                    "Đã đẩy sang tỉnh {pushes} lần; lần cuối HTTP {}{}",
                    status.unwrap_or(0),
                    if said.is_empty() {
                        String::new()
                    } else {
                        format!(" ({said})")
                    }
                )
            } else {
                "Chờ tỉnh kéo về".to_owned()
            };
            FiledLine {
                owner: payload
                    .get("ChuHoSo")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                code,
                delivery,
            }
        })
        .collect();
    Ok(FilePage {
        procedures,
        agencies,
        filed,
        just_filed,
        error,
    })
}

/// `POST /nop-ho-so`: the filing form, with one optional attachment.
async fn file_form(State(s): State<Sandbox>, mut multipart: Multipart) -> Response {
    let mut fields = std::collections::HashMap::<String, String>::new();
    let mut attachment: Option<(String, Vec<u8>)> = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "tep" {
            let file_name = field.file_name().unwrap_or("tep").to_owned();
            if let Ok(bytes) = field.bytes().await
                && !bytes.is_empty()
            {
                attachment = Some((file_name, bytes.to_vec()));
            }
        } else if let Ok(text) = field.text().await {
            fields.insert(name, text.trim().to_owned());
        }
    }
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    if get("ChuHoSo").is_empty() || get("SoGiayToChuHoSo").is_empty() || get("MaTTHC").is_empty() {
        return match page(
            &s,
            String::new(),
            "Điền họ tên, số định danh và thủ tục.".to_owned(),
        )
        .await
        {
            Ok(p) => (StatusCode::UNPROCESSABLE_ENTITY, p).into_response(),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        };
    }
    let as_link = get("cach_gui") == "link";
    let filing = Filing {
        code: None,
        procedure_code: get("MaTTHC"),
        agency_code: get("MaDonVi"),
        owner: get("ChuHoSo"),
        owner_id: get("SoGiayToChuHoSo"),
        phone: get("SoDienThoai"),
        email: get("Email"),
        address: get("DiaChi"),
        summary: get("TrichYeuHoSo"),
        answers: serde_json::Map::new(),
        documents: attachment
            .map(|(name, bytes)| Attachment {
                name,
                base64: base64::engine::general_purpose::STANDARD.encode(bytes),
                as_link,
                position: Some(1),
            })
            .into_iter()
            .collect(),
    };
    match file(&s, &s.origin, filing).await {
        Ok(filed) => Redirect::to(&format!("/nop-ho-so?ma={}", filed.code)).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}
