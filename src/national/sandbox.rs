//! A stand-in for the National Public Service Portal, served by `motcua dvcqg-sandbox` (never in
//! production) so that the whole exchange runs on one machine: the receiving end of the sync
//! in the service envelope (`/auth`, `/integration` with `DongBoHoSoMC` and
//! `CapNhatTienDoHoSoMC`), answering as the public code shows the real one answers; pages that
//! show each dossier's national status timeline with the lag between the province's event and
//! its arrival; and fault modes a tester switches (down, slow, errors, "already exists").
//!
//! It keeps what it receives in the schema `dvcqg_sandbox` of its own database.

use std::net::SocketAddr;
use std::time::Duration;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

use super::tt04_2025::{DossierRecord, NationalStatus, ProgressItem};

/// The fault modes a tester can switch.
pub const MODES: [(&str, &str); 6] = [
    ("normal", "Bình thường"),
    ("down", "Ngừng hoạt động (HTTP 503)"),
    ("slow", "Chậm (mỗi lời gọi chờ thêm)"),
    ("error", "Trả lỗi (HTTP 500)"),
    ("exists", "Luôn trả \"hồ sơ đã tồn tại\" khi tạo mới"),
    (
        "twice",
        "Giao mỗi hồ sơ công dân nộp hai lần (đẩy hai lần; vẫn liệt kê cho tỉnh kéo sau lần xác nhận đầu)",
    ),
];

#[derive(Clone)]
pub struct Sandbox {
    pub db: PgPool,
    /// the client the province signs in with
    pub username: String,
    pub password: String,
    /// the portal dossiers are pushed to (its origin); empty: they wait for the pull
    pub portal: String,
    /// signs the pushes (the portal's `dvcqg_push_secret`)
    pub push_secret: String,
    pub http: reqwest::Client,
    /// the sandbox's own base URL (`http://host:port`), where its file links point; also the
    /// identity provider's issuer
    pub origin: String,
    /// the portal as the identity provider knows it
    pub sso: super::sandbox_sso::SsoClient,
    /// the province as the payment platform knows it
    pub pay: super::sandbox_pay::PayPartner,
}

const SCHEMA: &str = "
create schema if not exists dvcqg_sandbox;
create table if not exists dvcqg_sandbox.sessions (
    token text primary key, created_at timestamptz not null default now());
create table if not exists dvcqg_sandbox.faults (
    singleton boolean primary key default true check (singleton),
    mode text not null default 'normal', slow_ms integer not null default 3000);
insert into dvcqg_sandbox.faults (singleton) values (true) on conflict do nothing;
create table if not exists dvcqg_sandbox.dossiers (
    code text primary key, record jsonb not null, status smallint not null,
    created_at timestamptz not null default now(), updated_at timestamptz not null default now(),
    versions integer not null default 1);
create table if not exists dvcqg_sandbox.statuses (
    id bigint generated always as identity primary key, code text not null, status smallint not null,
    arrived_at timestamptz not null default now());
create index if not exists statuses_code_idx on dvcqg_sandbox.statuses (code, id);
create table if not exists dvcqg_sandbox.progress (
    id bigint generated always as identity primary key, code text not null, item jsonb not null,
    item_sha256 text not null unique, status smallint not null, event_at timestamptz,
    arrived_at timestamptz not null default now());
create index if not exists progress_code_idx on dvcqg_sandbox.progress (code, id);
create table if not exists dvcqg_sandbox.evaluations (
    id bigint generated always as identity primary key, code text not null, message jsonb not null,
    arrived_at timestamptz not null default now());
create index if not exists evaluations_code_idx on dvcqg_sandbox.evaluations (code, id);
";

/// Creates the sandbox's tables when missing (idempotent).
pub async fn prepare(db: &PgPool) -> Result<(), sqlx::Error> {
    // several sandboxes (tests) may prepare one database at once: one at a time
    let mut tx = db.begin().await?;
    // the sandbox plays another system: its schema is made as the owner (the session's own
    // role, not the portal's writer), then opened to the writer its pool runs as
    sqlx::query("set local role none").execute(&mut *tx).await?;
    sqlx::query("select pg_advisory_xact_lock(8090)")
        .execute(&mut *tx)
        .await?;
    sqlx::raw_sql(SCHEMA).execute(&mut *tx).await?;
    sqlx::raw_sql(super::sandbox_citizen::SCHEMA)
        .execute(&mut *tx)
        .await?;
    sqlx::raw_sql(super::sandbox_sso::SCHEMA)
        .execute(&mut *tx)
        .await?;
    sqlx::raw_sql(super::sandbox_pay::SCHEMA)
        .execute(&mut *tx)
        .await?;
    sqlx::raw_sql(
        "grant usage on schema dvcqg_sandbox to motcua_writer; \
         grant all on all tables in schema dvcqg_sandbox to motcua_writer; \
         grant all on all sequences in schema dvcqg_sandbox to motcua_writer;",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

pub fn router(sandbox: Sandbox) -> Router {
    super::sandbox_pay::routes(super::sandbox_sso::routes(super::sandbox_citizen::routes(
        Router::new(),
    )))
    .route("/", get(index))
    .route("/ho-so/{code}", get(dossier_page))
    .route("/faults", post(set_faults_form))
    .route("/sim/faults", post(set_faults_json))
    .route("/sim/state/dossiers/{code}", get(state_json))
    .route("/sim/state/evaluations/{code}", get(evaluations_json))
    .route("/auth", post(auth))
    .route("/integration", post(integration))
    .with_state(sandbox)
}

/// Serves the sandbox on `addr` until the process ends.
pub async fn serve(addr: SocketAddr, sandbox: Sandbox) -> anyhow::Result<()> {
    prepare(&sandbox.db).await?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("National portal sandbox (DVCQG): http://{addr}/");
    axum::serve(listener, router(sandbox)).await?;
    Ok(())
}

pub(super) async fn faults(db: &PgPool) -> (String, u64) {
    sqlx::query_as::<_, (String, i32)>("select mode, slow_ms from dvcqg_sandbox.faults")
        .fetch_one(db)
        .await
        .map(|(m, ms)| (m, u64::try_from(ms).unwrap_or(0)))
        .unwrap_or_else(|_| ("normal".to_owned(), 0))
}

/// Applies the fault mode to a call of the national API; `Some` answers instead.
pub(super) async fn fault(db: &PgPool) -> Option<Response> {
    let (mode, slow_ms) = faults(db).await;
    match mode.as_str() {
        "down" => Some((StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable").into_response()),
        "error" => Some(
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "<html><body>Internal error</body></html>",
            )
                .into_response(),
        ),
        "slow" => {
            tokio::time::sleep(Duration::from_millis(slow_ms)).await;
            None
        }
        _ => None,
    }
}

pub(super) fn answer(code: i32, message: &str) -> Response {
    Json(json!({ "error_code": code, "message": message })).into_response()
}

#[derive(Deserialize)]
struct AuthBody {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

async fn auth(State(s): State<Sandbox>, Json(body): Json<AuthBody>) -> Response {
    if let Some(r) = fault(&s.db).await {
        return r;
    }
    if body.username != s.username || body.password != s.password {
        return answer(401, "Sai tên đăng nhập hoặc mật khẩu");
    }
    let token = uuid::Uuid::new_v4().simple().to_string();
    if sqlx::query("insert into dvcqg_sandbox.sessions (token) values ($1)")
        .bind(&token)
        .execute(&s.db)
        .await
        .is_err()
    {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    }
    Json(json!({ "error_code": 0, "message": "Thành công", "session": token })).into_response()
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    session: String,
    #[serde(default)]
    service: String,
    #[serde(default, rename = "isUpdating")]
    is_updating: Option<String>,
    #[serde(default)]
    data: Value,
}

use super::tt04_2025::parse_timestamp as parse_time;

fn valid_time(text: &str) -> bool {
    text.is_empty() || parse_time(text).is_some()
}

/// What the national side would refuse in a record, named by its field.
fn check_record(r: &DossierRecord) -> Result<(), String> {
    if r.code.is_empty() {
        return Err("Thiếu MaHoSo".to_owned());
    }
    let national_code = r.procedure_code.split('.').collect::<Vec<_>>();
    if national_code.len() != 2 || national_code[1].len() != 6 {
        return Err(format!("MaTTHC không hợp lệ: {}", r.procedure_code));
    }
    if r.status
        .parse()
        .ok()
        .and_then(NationalStatus::from_code)
        .is_none()
    {
        return Err(format!("TrangThaiHoSo không hợp lệ: {}", r.status));
    }
    if !["1", "2", "3"].contains(&r.channel.as_str()) {
        return Err(format!("KenhThucHien không hợp lệ: {}", r.channel));
    }
    for (name, value) in [
        ("NgayNopHoSo", &r.submitted_at),
        ("NgayTiepNhan", &r.received_at),
        ("NgayHenTra", &r.due_at),
        ("NgayKetThucXuLy", &r.finished_at),
        ("NgayTra", &r.returned_at),
    ] {
        if !valid_time(value) {
            return Err(format!(
                "{name} không đúng định dạng yyyyMMddHHmmss: {value}"
            ));
        }
    }
    if r.summary.chars().count() > 1000 {
        return Err("TrichYeuHoSo dài quá 1000 ký tự".to_owned());
    }
    Ok(())
}

async fn integration(State(s): State<Sandbox>, Json(env): Json<Envelope>) -> Response {
    if let Some(r) = fault(&s.db).await {
        return r;
    }
    let known: bool =
        sqlx::query_scalar("select exists (select 1 from dvcqg_sandbox.sessions where token = $1)")
            .bind(&env.session)
            .fetch_one(&s.db)
            .await
            .unwrap_or(false);
    if !known {
        return answer(-1, "Phiên làm việc không hợp lệ hoặc đã hết hạn");
    }
    let outcome = match env.service.as_str() {
        super::tt04_2025::SERVICE_RECORD => {
            sync_records(&s, env.is_updating.as_deref() == Some("True"), env.data).await
        }
        super::tt04_2025::SERVICE_PROGRESS => sync_progress(&s, env.data).await,
        "DongBoDanhGiaHoSo" => sync_evaluations(&s, env.data).await,
        other @ (super::tt04_2025::SERVICE_PULL_LIST
        | super::tt04_2025::SERVICE_PULL_DETAIL
        | super::tt04_2025::SERVICE_PULL_ACK) => {
            super::sandbox_citizen::pull_service(&s, other, &env.data)
                .await
                .map(|r| r.unwrap_or_else(|| answer(-9, "?")))
        }
        other => Ok(answer(-9, &format!("Dịch vụ không hỗ trợ: {other}"))),
    };
    outcome.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "sandbox database error");
        answer(-5, "Hệ thống đang bận")
    })
}

async fn sync_records(s: &Sandbox, updating: bool, data: Value) -> Result<Response, sqlx::Error> {
    let records: Vec<DossierRecord> = match serde_json::from_value(data) {
        Ok(r) => r,
        Err(e) => return Ok(answer(-6, &format!("Dữ liệu không hợp lệ: {e}"))),
    };
    let (mode, _) = faults(&s.db).await;
    let mut tx = s.db.begin().await?;
    for r in &records {
        if let Err(message) = check_record(r) {
            return Ok(answer(-6, &message));
        }
        let status: i16 = r.status.parse().unwrap_or(0);
        let exists: bool = sqlx::query_scalar(
            "select exists (select 1 from dvcqg_sandbox.dossiers where code = $1)",
        )
        .bind(&r.code)
        .fetch_one(&mut *tx)
        .await?;
        if !updating && (exists || mode == "exists") {
            return Ok(answer(-2, "Hồ sơ đã tồn tại"));
        }
        if updating && !exists {
            return Ok(answer(-4, "Hồ sơ không tồn tại"));
        }
        let record = serde_json::to_value(r).unwrap_or_default();
        let before: Option<i16> = sqlx::query_scalar(
            "select status from dvcqg_sandbox.dossiers where code = $1 for update",
        )
        .bind(&r.code)
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query(
            "insert into dvcqg_sandbox.dossiers (code, record, status) values ($1, $2, $3) \
             on conflict (code) do update set record = $2, status = $3, updated_at = now(), \
               versions = dvcqg_sandbox.dossiers.versions + 1",
        )
        .bind(&r.code)
        .bind(&record)
        .bind(status)
        .execute(&mut *tx)
        .await?;
        if before != Some(status) {
            sqlx::query("insert into dvcqg_sandbox.statuses (code, status) values ($1, $2)")
                .bind(&r.code)
                .bind(status)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(answer(0, "Đồng bộ thành công"))
}

/// The evaluation feed (this portal's message; the national API is not public): each message
/// names a dossier the nation holds, an overall 0 or 1 and the items answered.
async fn sync_evaluations(s: &Sandbox, data: Value) -> Result<Response, sqlx::Error> {
    let Some(messages) = data.as_array() else {
        return Ok(answer(-6, "Dữ liệu không hợp lệ: cần một danh sách"));
    };
    let mut tx = s.db.begin().await?;
    for m in messages {
        let code = m["MaHoSo"].as_str().unwrap_or_default();
        let valid = !code.is_empty()
            && matches!(m["HaiLong"].as_u64(), Some(0 | 1))
            && m["NoiDung"].is_array();
        if !valid {
            return Ok(answer(-6, "Dữ liệu đánh giá không hợp lệ"));
        }
        let known: bool = sqlx::query_scalar(
            "select exists (select 1 from dvcqg_sandbox.dossiers where code = $1)",
        )
        .bind(code)
        .fetch_one(&mut *tx)
        .await?;
        if !known {
            return Ok(answer(-4, "Hồ sơ không tồn tại"));
        }
        sqlx::query("insert into dvcqg_sandbox.evaluations (code, message) values ($1, $2)")
            .bind(code)
            .bind(m)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(answer(0, "Đồng bộ đánh giá thành công"))
}

async fn sync_progress(s: &Sandbox, data: Value) -> Result<Response, sqlx::Error> {
    let items: Vec<ProgressItem> = match serde_json::from_value(data.clone()) {
        Ok(i) => i,
        Err(e) => return Ok(answer(-6, &format!("Dữ liệu không hợp lệ: {e}"))),
    };
    if items.len() > super::tt04_2025::PROGRESS_PER_CALL {
        return Ok(answer(-6, "Tối đa 10 tiến trình mỗi lần gọi"));
    }
    let mut tx = s.db.begin().await?;
    for item in &items {
        let status: Option<i16> = item
            .status
            .parse()
            .ok()
            .and_then(NationalStatus::from_code)
            .map(|s| i16::from(s.code()));
        let Some(status) = status else {
            return Ok(answer(
                -6,
                &format!("TrangThai không hợp lệ: {}", item.status),
            ));
        };
        if item.official.chars().count() > 50 || !valid_time(&item.at) || item.at.is_empty() {
            return Ok(answer(-6, "NguoiXuLy hoặc ThoiDiemXuLy không hợp lệ"));
        }
        let exists: bool = sqlx::query_scalar(
            "select exists (select 1 from dvcqg_sandbox.dossiers where code = $1)",
        )
        .bind(&item.code)
        .fetch_one(&mut *tx)
        .await?;
        if !exists {
            return Ok(answer(-4, "Hồ sơ không tồn tại"));
        }
        let json = serde_json::to_string(item).unwrap_or_default();
        let hash = hex::encode(Sha256::digest(json.as_bytes()));
        // the same item delivered again is the same fact: kept once
        sqlx::query(
            "insert into dvcqg_sandbox.progress (code, item, item_sha256, status, event_at) \
             values ($1, $2::jsonb, $3, $4, $5) on conflict (item_sha256) do nothing",
        )
        .bind(&item.code)
        .bind(&json)
        .bind(hash)
        .bind(status)
        .bind(parse_time(&item.at))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(answer(0, "Cập nhật tiến độ thành công"))
}

#[derive(Deserialize)]
pub struct FaultForm {
    mode: String,
    #[serde(default)]
    slow_ms: Option<i32>,
}

async fn set_faults(db: &PgPool, f: &FaultForm) -> Result<bool, sqlx::Error> {
    if !MODES.iter().any(|(m, _)| *m == f.mode) {
        return Ok(false);
    }
    sqlx::query("update dvcqg_sandbox.faults set mode = $1, slow_ms = coalesce($2, slow_ms)")
        .bind(&f.mode)
        .bind(f.slow_ms.map(|ms| ms.clamp(0, 120_000)))
        .execute(db)
        .await?;
    Ok(true)
}

async fn set_faults_form(State(s): State<Sandbox>, Form(f): Form<FaultForm>) -> Response {
    match set_faults(&s.db, &f).await {
        Ok(true) => Redirect::to("/").into_response(),
        Ok(false) => (StatusCode::UNPROCESSABLE_ENTITY, "mode").into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn set_faults_json(State(s): State<Sandbox>, Json(f): Json<FaultForm>) -> Response {
    match set_faults(&s.db, &f).await {
        Ok(true) => answer(0, "ok"),
        Ok(false) => (StatusCode::UNPROCESSABLE_ENTITY, "mode").into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// One national status as it arrived.
#[derive(Serialize, sqlx::FromRow)]
pub struct StatusArrival {
    pub status: i16,
    pub arrived_at: DateTime<Utc>,
}

/// One progress item as it arrived, with its lag.
#[derive(Serialize, sqlx::FromRow)]
pub struct ProgressArrival {
    pub item: Value,
    pub status: i16,
    pub event_at: Option<DateTime<Utc>>,
    pub arrived_at: DateTime<Utc>,
}

impl ProgressArrival {
    /// Seconds from the province's event to its arrival here.
    pub fn lag_seconds(&self) -> Option<i64> {
        self.event_at.map(|e| (self.arrived_at - e).num_seconds())
    }
    pub fn field(&self, name: &str) -> String {
        self.item
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    }
    pub fn label(&self) -> String {
        status_label(self.status)
    }
    pub fn arrived(&self) -> String {
        crate::deadlines::calendar::to_local(self.arrived_at)
            .format("%d/%m/%Y %H:%M:%S")
            .to_string()
    }
}

fn status_label(code: i16) -> String {
    u8::try_from(code)
        .ok()
        .and_then(NationalStatus::from_code)
        .map(|s| format!("{code} — {}", s.label()))
        .unwrap_or_else(|| code.to_string())
}

async fn timeline(
    db: &PgPool,
    code: &str,
) -> Result<Option<(Value, Vec<StatusArrival>, Vec<ProgressArrival>)>, sqlx::Error> {
    let Some(record): Option<Value> =
        sqlx::query_scalar("select record from dvcqg_sandbox.dossiers where code = $1")
            .bind(code)
            .fetch_optional(db)
            .await?
    else {
        return Ok(None);
    };
    let statuses = sqlx::query_as(
        "select status, arrived_at from dvcqg_sandbox.statuses where code = $1 order by id",
    )
    .bind(code)
    .fetch_all(db)
    .await?;
    let progress = sqlx::query_as(
        "select item, status, event_at, arrived_at from dvcqg_sandbox.progress \
         where code = $1 order by id",
    )
    .bind(code)
    .fetch_all(db)
    .await?;
    Ok(Some((record, statuses, progress)))
}

/// `GET /sim/state/dossiers/{code}`: what "the nation" holds of a dossier, for tests and
/// scripts.
async fn state_json(State(s): State<Sandbox>, Path(code): Path<String>) -> Response {
    match timeline(&s.db, &code).await {
        Ok(Some((record, statuses, progress))) => Json(json!({
            "record": record, "statuses": statuses, "progress": progress,
        }))
        .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, Json(json!({ "error": "not found" }))).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `GET /sim/state/evaluations/{code}`: the evaluations the nation received of a dossier, in
/// order of arrival.
async fn evaluations_json(State(s): State<Sandbox>, Path(code): Path<String>) -> Response {
    let rows: Result<Vec<Value>, _> = sqlx::query_scalar(
        "select message from dvcqg_sandbox.evaluations where code = $1 order by id",
    )
    .bind(&code)
    .fetch_all(&s.db)
    .await;
    match rows {
        Ok(rows) => Json(json!({ "evaluations": rows })).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

pub struct DossierLine {
    pub code: String,
    pub procedure: String,
    pub status: String,
    pub versions: i32,
    pub updated: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dvcqg_sandbox/index.html")]
pub struct IndexPage {
    pub mode: String,
    pub slow_ms: u64,
    pub modes: Vec<(&'static str, &'static str)>,
    pub dossiers: Vec<DossierLine>,
    /// the identity provider's mode and signing key
    pub sso_mode: String,
    pub sso_kid: String,
    pub sso_modes: Vec<(&'static str, &'static str)>,
}

async fn index(State(s): State<Sandbox>) -> Result<IndexPage, StatusCode> {
    let (mode, slow_ms) = faults(&s.db).await;
    let (sso_mode, sso_kid) = super::sandbox_sso::mode_of(&s).await;
    let rows: Vec<(String, Value, i16, i32, DateTime<Utc>)> = sqlx::query_as(
        "select code, record, status, versions, updated_at from dvcqg_sandbox.dossiers \
         order by updated_at desc limit 100",
    )
    .fetch_all(&s.db)
    .await
    .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(IndexPage {
        sso_mode,
        sso_kid,
        sso_modes: super::sandbox_sso::SSO_MODES.to_vec(),
        mode,
        slow_ms,
        modes: MODES.to_vec(),
        dossiers: rows
            .into_iter()
            .map(|(code, record, status, versions, updated)| DossierLine {
                code,
                procedure: record
                    .get("TenTTHC")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                status: status_label(status),
                versions,
                updated: crate::deadlines::calendar::to_local(updated)
                    .format("%d/%m/%Y %H:%M:%S")
                    .to_string(),
            })
            .collect(),
    })
}

pub struct StatusLine {
    pub label: String,
    pub arrived: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dvcqg_sandbox/dossier.html")]
pub struct DossierPage {
    pub code: String,
    pub procedure: String,
    pub owner: String,
    pub status: String,
    pub received_at: String,
    pub statuses: Vec<StatusLine>,
    pub progress: Vec<ProgressArrival>,
}

async fn dossier_page(
    State(s): State<Sandbox>,
    Path(code): Path<String>,
) -> Result<DossierPage, StatusCode> {
    let (record, statuses, progress) = timeline(&s.db, &code)
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?
        .ok_or(StatusCode::NOT_FOUND)?;
    let field = |name: &str| {
        record
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let received_at = parse_time(&field("NgayTiepNhan"))
        .map(|t| {
            crate::deadlines::calendar::to_local(t)
                .format("%d/%m/%Y %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default();
    Ok(DossierPage {
        status: status_label(field("TrangThaiHoSo").parse().unwrap_or(0)),
        procedure: field("TenTTHC"),
        owner: field("ChuHoSo"),
        code,
        received_at,
        statuses: statuses
            .into_iter()
            .map(|s| StatusLine {
                label: status_label(s.status),
                arrived: crate::deadlines::calendar::to_local(s.arrived_at)
                    .format("%d/%m/%Y %H:%M:%S")
                    .to_string(),
            })
            .collect(),
        progress,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    #[test]
    fn national_times_are_read_as_vietnam_time() {
        let t = parse_time("20270101003005").unwrap();
        assert_eq!(t, Utc.with_ymd_and_hms(2026, 12, 31, 17, 30, 5).unwrap());
        assert!(valid_time(""));
        assert!(!valid_time("2027-01-01"));
        assert!(!valid_time("20271301000000"));
    }
}
