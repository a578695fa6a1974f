//! Dossiers filed on the national portal become dossiers here. They arrive by one of two
//! transports (`inbound`: pushed, or pulled and acknowledged), checked first
//! (`intake_check`), and both feed one inbox (`national_inbox`), keyed by
//! the national code: a dossier delivered twice, or pushed and pulled, is one row and one
//! dossier, which keeps the national code as its own (reference §2.3).
//!
//! Processing a row ([`process`]) maps the procedure's national code to the version in force
//! and the receiving agency's electronic ID to the agency in force, takes the attachments
//! (decoded from base64, or fetched from the national host and nowhere else) through the checks
//! of an upload (size, type by content), and writes the dossier, its files and its first event
//! in one transaction: from there it waits in the reception queue like any online dossier, with
//! the 2-hour alert and the 8-working-hour limit. An attachment that cannot be had yet leaves the
//! row `incomplete` (retried with back-off); an unknown procedure or agency, or a file no retry
//! can fix, makes it a `problem` for an administrator, with the payload kept, and the national
//! side is told (the push's answer, the pull's acknowledgement).

use std::time::Duration;

use base64::Engine as _;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

pub use super::intake_check::FieldError;
use super::intake_check::{file_origin, read, same_origin};
use super::tt04_2025::{self as wire, InboundDossier};
use crate::AppState;
use crate::dossiers::filing::{self, NationalFiling, Paper};

/// The inbox row's payload with each attachment's base64 replaced by its size (SQL), for the
/// administrators' page and once the files are in storage.
macro_rules! stripped_payload {
    () => {
        "jsonb_set(payload, '{TaiLieuNop}', coalesce((select jsonb_agg(case when d.doc ? 'Base64' \
           then jsonb_set(d.doc, '{Base64}', to_jsonb('… ' || (length(d.doc->>'Base64') / 4 * 3)::text || ' bytes …')) \
           else d.doc end order by d.n) \
           from jsonb_array_elements(payload->'TaiLieuNop') with ordinality as d (doc, n)), '[]'::jsonb))"
    };
}
pub(crate) use stripped_payload;

/// How long a row is left to the one processing it.
const LEASE: Duration = Duration::from_secs(120);

/// What became of an inbound dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// a dossier here, waiting at reception
    Received(Uuid),
    /// waiting for an attachment; retried
    Incomplete(String),
    /// an administrator's: an unknown procedure or agency, a file no retry can fix
    Problem(String),
    /// another delivery of it is being processed now
    InProgress,
}

impl Outcome {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Received(_) => "received",
            Self::Incomplete(_) => "incomplete",
            Self::Problem(_) => "problem",
            Self::InProgress => "processing",
        }
    }
}

/// Why an inbound dossier was not taken at all.
#[derive(Debug)]
pub enum ReceiveError {
    Malformed(FieldError),
    /// the same national code came before with other content
    Conflict,
    Internal(anyhow::Error),
}

impl From<sqlx::Error> for ReceiveError {
    fn from(e: sqlx::Error) -> Self {
        Self::Internal(e.into())
    }
}

/// Takes an inbound dossier into the inbox (once per national code) and processes it.
pub async fn receive(
    app: &AppState,
    transport: &str,
    body: &[u8],
) -> Result<(InboundDossier, Outcome), ReceiveError> {
    let dossier = read(body, &file_origin(&app.settings)).map_err(ReceiveError::Malformed)?;
    // the hash of the dossier as read, so that the same dossier pushed and pulled (two
    // spellings of one JSON) compares equal
    let canonical = serde_json::to_vec(&dossier).map_err(|e| ReceiveError::Internal(e.into()))?;
    let sha256 = hex::encode(Sha256::digest(&canonical));
    let (id, known_sha, fresh): (Uuid, String, bool) = sqlx::query_as(
        "insert into national_inbox (national_code, transport, procedure_code, agency_code, \
           payload, payload_sha256) values ($1, $2, $3, $4, $5, $6) \
         on conflict (national_code) do update set deliveries = national_inbox.deliveries + 1 \
         returning id, payload_sha256, (xmax = 0)",
    )
    .bind(&dossier.code)
    .bind(transport)
    .bind(&dossier.procedure_code)
    .bind(&dossier.agency_code)
    .bind(sqlx::types::Json(&dossier))
    .bind(&sha256)
    .fetch_one(&app.db)
    .await?;
    if !fresh && known_sha != sha256 {
        // other content under the same code: the national side's correction of a dossier not
        // taken (a problem, or waiting for a file) replaces it; anything else is a conflict
        let replaced = sqlx::query(
            "update national_inbox set payload = $2, payload_sha256 = $3, procedure_code = $4, \
               agency_code = $5, status = 'pending', reason = null, attempts = 0, \
               next_attempt_at = now() \
             where id = $1 and status in ('problem', 'incomplete') \
               and (locked_until is null or locked_until < now())",
        )
        .bind(id)
        .bind(sqlx::types::Json(&dossier))
        .bind(&sha256)
        .bind(&dossier.procedure_code)
        .bind(&dossier.agency_code)
        .execute(&app.db)
        .await?
        .rows_affected();
        if replaced == 0 {
            return Err(ReceiveError::Conflict);
        }
    }
    let outcome = process(app, id).await.map_err(ReceiveError::Internal)?;
    Ok((dossier, outcome))
}

/// A row claimed for processing.
#[derive(sqlx::FromRow)]
struct Claimed {
    claim: Uuid,
    payload: sqlx::types::Json<InboundDossier>,
    attempts: i32,
}

/// Where a row stands.
#[derive(sqlx::FromRow)]
struct Standing {
    status: String,
    reason: Option<String>,
    dossier_id: Option<Uuid>,
}

/// The outcome a row stands at.
fn standing(row: &Standing) -> Outcome {
    match (row.status.as_str(), row.dossier_id) {
        ("done", Some(id)) => Outcome::Received(id),
        ("problem", _) => Outcome::Problem(row.reason.clone().unwrap_or_default()),
        ("incomplete", _) => Outcome::Incomplete(row.reason.clone().unwrap_or_default()),
        _ => Outcome::InProgress,
    }
}

/// A file that passed the checks and is stored under its key.
struct Stored {
    key: String,
    sha256: String,
    name: String,
    content_type: &'static str,
    size: i64,
    position: Option<i32>,
}

enum FileError {
    /// a retry may fetch it (the national host down, a time-out)
    Later(String),
    /// no retry can fix it (not a file type taken, too large, not base64)
    Never(String),
}

/// Processes inbox row `id` if it is due and nobody else is on it: the dossier, or why not.
pub async fn process(app: &AppState, id: Uuid) -> anyhow::Result<Outcome> {
    let claimed: Option<Claimed> = sqlx::query_as(
        "update national_inbox set attempts = attempts + 1, claim = gen_random_uuid(), \
           locked_until = now() + $2 \
         where id = $1 and status in ('pending', 'incomplete') and next_attempt_at <= now() \
           and (locked_until is null or locked_until < now()) \
         returning claim, payload, attempts",
    )
    .bind(id)
    .bind(chrono::Duration::from_std(LEASE)?)
    .fetch_optional(&app.db)
    .await?;
    let Some(row) = claimed else {
        let row: Standing =
            sqlx::query_as("select status, reason, dossier_id from national_inbox where id = $1")
                .bind(id)
                .fetch_one(&app.db)
                .await?;
        return Ok(standing(&row));
    };
    let claim = row.claim;
    let d = &row.payload.0;
    let mut conn = app.db.acquire().await?;
    let version: Option<Uuid> = sqlx::query_scalar(
        "select id from procedure_versions where code = $1 and effective_from <= current_date \
           and (effective_to is null or effective_to > current_date) \
         order by effective_from desc limit 1",
    )
    .bind(&d.procedure_code)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(version) = version else {
        drop(conn);
        return settle_problem(
            &app.db,
            id,
            claim,
            &format!(
                "Thủ tục {} không có phiên bản đang hiệu lực trên Một Cửa",
                d.procedure_code
            ),
        )
        .await;
    };
    let agency: Option<Uuid> = sqlx::query_scalar(
        "select agency_in_force((select id from agencies where e_id_code = $1 \
           order by valid_to desc nulls first limit 1), current_date)",
    )
    .bind(&d.agency_code)
    .fetch_one(&mut *conn)
    .await?;
    let Some(agency) = agency else {
        drop(conn);
        return settle_problem(
            &app.db,
            id,
            claim,
            &format!("Không có cơ quan nào mang mã định danh {}", d.agency_code),
        )
        .await;
    };
    let taken: bool = sqlx::query_scalar(
        "select exists (select 1 from dossiers where code = $1 and external_code is distinct from $1)",
    )
    .bind(&d.code)
    .fetch_one(&mut *conn)
    .await?;
    drop(conn);
    if taken {
        return settle_problem(
            &app.db,
            id,
            claim,
            &format!("Mã hồ sơ {} đã được dùng cho một hồ sơ khác", d.code),
        )
        .await;
    }
    // the files, each checked as an upload is, stored before the transaction
    let mut stored: Vec<Stored> = Vec::with_capacity(d.documents.len());
    let mut failure = None;
    for (i, doc) in d.documents.iter().enumerate() {
        match take_file(app, doc).await {
            Ok((key, sha256, content_type, size)) => stored.push(Stored {
                key,
                sha256,
                name: crate::dossiers::domain::display_name(&doc.name),
                content_type,
                size,
                position: doc.position,
            }),
            Err(e) => {
                failure = Some((i, e));
                break;
            }
        }
    }
    if let Some((i, error)) = failure {
        for s in &stored {
            let _ = app.storage.delete(&s.key).await;
        }
        let name = &d.documents[i].name;
        return match error {
            FileError::Never(why) => {
                settle_problem(&app.db, id, claim, &format!("Tệp \"{name}\": {why}")).await
            }
            FileError::Later(why) => {
                let reason = format!("Chưa lấy được tệp \"{name}\": {why}");
                let wait = chrono::Duration::from_std(super::sync::backoff(row.attempts))?;
                sqlx::query(
                    "update national_inbox set status = 'incomplete', reason = $2, \
                       next_attempt_at = now() + $3, locked_until = null \
                     where id = $1 and claim = $4",
                )
                .bind(id)
                .bind(&reason)
                .bind(wait)
                .bind(claim)
                .execute(&app.db)
                .await?;
                tracing::warn!(code = %d.code, attempts = row.attempts, reason = %reason, "national intake incomplete");
                Ok(Outcome::Incomplete(reason))
            }
        };
    }
    match write_dossier(&app.db, (id, claim), d, version, agency, &stored).await {
        Ok(dossier) => Ok(Outcome::Received(dossier)),
        Err(e) => {
            for s in &stored {
                let _ = app.storage.delete(&s.key).await;
            }
            // let the next pass try again soon
            let _ = sqlx::query(
                "update national_inbox set next_attempt_at = now() + interval '30 seconds', \
                   locked_until = null where id = $1 and claim = $2",
            )
            .bind(id)
            .bind(claim)
            .execute(&app.db)
            .await;
            Err(e)
        }
    }
}

async fn settle_problem(
    db: &PgPool,
    id: Uuid,
    claim: Uuid,
    reason: &str,
) -> anyhow::Result<Outcome> {
    sqlx::query(
        "update national_inbox set status = 'problem', reason = $2, processed_at = now(), \
           locked_until = null where id = $1 and claim = $3",
    )
    .bind(id)
    .bind(reason)
    .bind(claim)
    .execute(db)
    .await?;
    tracing::warn!(inbox = %id, reason, "national intake problem");
    Ok(Outcome::Problem(reason.to_owned()))
}

/// The dossier, its files, its first event and the inbox's state, in one transaction.
async fn write_dossier(
    db: &PgPool,
    (inbox, claim): (Uuid, Uuid),
    d: &InboundDossier,
    version: Uuid,
    agency: Uuid,
    files: &[Stored],
) -> anyhow::Result<Uuid> {
    let submitted_at = wire::parse_timestamp(&d.submitted_at)
        .ok_or_else(|| anyhow::anyhow!("NgayNopHoSo was checked"))?;
    let mut tx = db.begin().await?;
    let answers: serde_json::Map<String, Value> = d
        .answers
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let papers: Vec<Paper<'_>> = files
        .iter()
        .map(|f| Paper {
            position: f.position,
            storage_key: &f.key,
            original_name: &f.name,
            content_type: f.content_type,
            size: f.size,
            sha256: &f.sha256,
        })
        .collect();
    let email = d.email.trim().to_lowercase();
    let filing = NationalFiling {
        code: &d.code,
        // the national code keeps this agency's own numbers clear of it (the same counter)
        code_parts: split_code(&d.code),
        version,
        agency,
        submitted_at,
        owner: d.owner.trim(),
        owner_personal_id: &d.owner_id,
        owner_tech_id: &d.owner_tech_id,
        phone: d.phone.trim(),
        email: &email,
        address: d.address.trim(),
        answers: Value::Object(answers),
        papers: &papers,
    };
    let dossier = filing::take_from_nation(&mut tx, &filing).await?;
    // the nation holds it already: what goes back is an update
    sqlx::query("update national_sync_state set national_exists = true where dossier_id = $1")
        .bind(dossier)
        .execute(&mut *tx)
        .await?;
    // the files' contents now live in storage: the inbox keeps the rest
    let settled = sqlx::query(concat!(
        "update national_inbox set status = 'done', reason = null, dossier_id = $2, \
           processed_at = now(), locked_until = null, payload = ",
        stripped_payload!(),
        " where id = $1 and claim = $3"
    ))
    .bind(inbox)
    .bind(dossier)
    .bind(claim)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if settled == 0 {
        // another run took the row over: this one's writes roll back
        anyhow::bail!("the intake of {} was taken over by another run", d.code);
    }
    crate::audit::record(
        &mut tx,
        crate::audit::Actor::System,
        "dossier.national_intake",
        Some(&d.code),
        None,
        json!({ "files": files.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(dossier)
}

/// The agency code, the day and the sequence of a dossier code.
fn split_code(code: &str) -> Option<(&str, chrono::NaiveDate, i32)> {
    let (rest, sequence) = code.rsplit_once('-')?;
    let (agency, day) = rest.rsplit_once('-')?;
    let day = chrono::NaiveDate::parse_from_str(&format!("20{day}"), "%Y%m%d").ok()?;
    // a sequence beyond what an agency issues in a day does not move its counter
    Some((
        agency,
        day,
        sequence.parse().ok().filter(|s: &i32| *s < 1_000_000)?,
    ))
}

/// An attachment's bytes, checked as an upload is and stored: its key, hash, type and size.
async fn take_file(
    app: &AppState,
    doc: &wire::InboundDocument,
) -> Result<(String, String, &'static str, i64), FileError> {
    let max = usize::try_from(app.settings.max_file_mb * 1024 * 1024).unwrap_or(usize::MAX);
    let bytes = match (&doc.base64, &doc.url) {
        (Some(text), _) => {
            let clean: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
            if clean.len() / 4 * 3 > max + 3 {
                return Err(FileError::Never(format!(
                    "lớn hơn {} MB",
                    app.settings.max_file_mb
                )));
            }
            base64::engine::general_purpose::STANDARD
                .decode(clean.as_bytes())
                .map_err(|_| FileError::Never("không phải base64".to_owned()))?
        }
        (None, Some(url)) => fetch(url, &file_origin(&app.settings), max).await?,
        (None, None) => return Err(FileError::Never("không có nội dung".to_owned())),
    };
    if bytes.len() > max {
        return Err(FileError::Never(format!(
            "lớn hơn {} MB",
            app.settings.max_file_mb
        )));
    }
    if bytes.is_empty() {
        return Err(FileError::Never("tệp rỗng".to_owned()));
    }
    let Some(content_type) = crate::dossiers::domain::sniff_content_type(&bytes) else {
        return Err(FileError::Never(
            "không phải PDF, JPEG hay PNG (xét theo nội dung)".to_owned(),
        ));
    };
    let store = async {
        let mut upload = app.storage.begin().await?;
        upload.write(&bytes).await?;
        app.storage.commit(upload).await
    };
    let (key, sha256) = store
        .await
        .map_err(|e| FileError::Later(format!("lưu tệp: {e}")))?;
    match crate::virus_scan::check_stored(&app.storage, &app.scanner, &key).await {
        crate::virus_scan::Verdict::Clean => {}
        crate::virus_scan::Verdict::Infected(signature) => {
            return Err(FileError::Never(format!("phát hiện mã độc ({signature})")));
        }
        crate::virus_scan::Verdict::Unavailable(why) => {
            return Err(FileError::Later(format!("chưa quét được virus: {why}")));
        }
    }
    Ok((key, sha256, content_type, bytes.len() as i64))
}

/// Fetches an attachment from the national host (checked again here), following no
/// redirection, reading no more than `max` bytes.
async fn fetch(url: &str, origin: &str, max: usize) -> Result<Vec<u8>, FileError> {
    if !same_origin(url, origin) {
        return Err(FileError::Never(
            "đường dẫn không thuộc Cổng Dịch vụ công quốc gia".to_owned(),
        ));
    }
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(5))
        .build()
        .map_err(|e| FileError::Later(e.to_string()))?;
    let mut response = client.get(url).send().await.map_err(|e| {
        FileError::Later(if e.is_timeout() {
            "hết thời gian chờ".to_owned()
        } else {
            "không kết nối được".to_owned()
        })
    })?;
    let status = response.status();
    if status.is_server_error() || status.as_u16() == 429 || status.as_u16() == 404 {
        return Err(FileError::Later(format!("HTTP {}", status.as_u16())));
    }
    if !status.is_success() {
        return Err(FileError::Never(format!("HTTP {}", status.as_u16())));
    }
    if response.content_length().is_some_and(|n| n > max as u64) {
        return Err(FileError::Never("quá lớn".to_owned()));
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|_| FileError::Later("kết nối bị ngắt".to_owned()))?
    {
        if bytes.len() + chunk.len() > max {
            return Err(FileError::Never("quá lớn".to_owned()));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Links to citizen `citizen` the national dossiers filed under their personal number, when
/// the account's identity was verified (a number typed at registration proves nothing);
/// returns how many. Run at each sign-in, so that dossiers filed before the identity was
/// verified, or before the account existed, appear in "My dossiers".
pub async fn claim(conn: &mut sqlx::PgConnection, citizen: Uuid) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "update dossiers set citizen_id = c.id from citizens c \
         where c.id = $1 and c.identity_verified_at is not null \
           and dossiers.source_system = 'dvcqg' and dossiers.citizen_id is null \
           and dossiers.applicant_personal_id = c.personal_id",
    )
    .bind(citizen)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Processes the rows whose retry is due (incomplete attachments, and any row a crash left
/// pending); returns how many were tried.
pub async fn retry_due(app: &AppState) -> anyhow::Result<usize> {
    let due: Vec<Uuid> = sqlx::query_scalar(
        "select id from national_inbox where status in ('pending', 'incomplete') \
           and next_attempt_at <= now() and (locked_until is null or locked_until < now()) \
         order by next_attempt_at limit 64",
    )
    .fetch_all(&app.db)
    .await?;
    for id in &due {
        process(app, *id).await?;
    }
    Ok(due.len())
}

/// An administrator sends a problem back for processing (after adding the procedure or the
/// agency): it is tried again at once.
pub async fn retry(app: &AppState, id: Uuid) -> anyhow::Result<Option<Outcome>> {
    let reopened = sqlx::query(
        "update national_inbox set status = 'pending', next_attempt_at = now(), attempts = 0 \
         where id = $1 and status in ('problem', 'incomplete') \
           and (locked_until is null or locked_until < now())",
    )
    .bind(id)
    .execute(&app.db)
    .await?
    .rows_affected();
    if reopened == 0 {
        return Ok(None);
    }
    process(app, id).await.map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_national_code_splits_into_agency_day_and_sequence() {
        let (agency, day, seq) = split_code("000.00.12.H48-261207-9001").unwrap();
        assert_eq!(agency, "000.00.12.H48");
        assert_eq!(day, chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap());
        assert_eq!(seq, 9001);
    }
}
