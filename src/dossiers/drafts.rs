//! Writes of a draft as its citizen fills it in, and of a dossier's files: the applicant and
//! answers, the uploads and their removal. Functions take a connection and never commit.

use std::collections::BTreeMap;

use sqlx::PgConnection;
use sqlx::types::Json;
use uuid::Uuid;

use super::status::DossierStatus;

/// A new draft of the version in force of procedure `code`, the applicant prefilled from the
/// citizen's account: its id and version, or None when the procedure takes no online dossiers
/// today.
pub async fn create_draft(
    conn: &mut PgConnection,
    citizen: Uuid,
    code: &str,
) -> Result<Option<(Uuid, Uuid)>, sqlx::Error> {
    sqlx::query_as(
        "insert into dossiers (citizen_id, procedure_version_id, intake_channel, applicant_name, \
           applicant_personal_id, applicant_phone, applicant_email, applicant_address, applicant_unit_id, \
           result_address) \
         select c.id, v.id, 2, c.full_name, c.personal_id, c.phone, coalesce(c.email, ''), c.address_line, \
           c.admin_unit_id, c.address_line \
         from citizens c, procedure_versions v where c.id = $1 and v.code = $2 \
           and v.effective_from <= current_date and (v.effective_to is null or v.effective_to > current_date) \
           and v.online_level <> 'none' and v.submit_online \
         returning id, procedure_version_id",
    )
    .bind(citizen)
    .bind(code)
    .fetch_optional(conn)
    .await
}

/// The applicant step's answers.
pub struct Applicant<'a> {
    pub name: &'a str,
    pub personal_id: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub address: &'a str,
    pub unit: Option<Uuid>,
    pub on_behalf: bool,
    pub principal_name: &'a str,
    pub principal_personal_id: &'a str,
    pub relationship: &'a str,
}

/// Saves the applicant step of `citizen`'s draft `id`, the draft going on to step `next`
/// (`details`, or `documents` for a procedure without questions of its own); false when
/// nothing was saved: the draft is not theirs, no longer a draft, or the commune chosen is not
/// one in force.
pub async fn save_applicant(
    conn: &mut PgConnection,
    citizen: Uuid,
    id: Uuid,
    a: &Applicant<'_>,
    next: &str,
) -> Result<bool, sqlx::Error> {
    /// The update, then what the commune chosen must be. Two texts rather than one condition
    /// on `$7 is null`: PostgreSQL would plan such a statement again at every execution.
    macro_rules! update {
        ($commune:literal) => {
            concat!(
                "update dossiers set applicant_name = $2, applicant_personal_id = $3, applicant_phone = $4, \
                   applicant_email = $5, applicant_address = $6, applicant_unit_id = $7, on_behalf = $8, \
                   principal_name = $9, principal_personal_id = $10, relationship = $11, \
                   draft_step = case when draft_step = 'applicant' or (draft_step = 'details' and $13 = 'documents') \
                     then $13 else draft_step end \
                 where id = $1 and citizen_id = $12 and status = 'draft'",
                $commune
            )
        };
    }
    let sql = if a.unit.is_some() {
        update!(
            " and exists (select 1 from admin_units u where u.id = $7 \
               and u.level = 'commune' and u.valid_from <= current_date \
               and (u.valid_to is null or u.valid_to > current_date))"
        )
    } else {
        update!("")
    };
    let done = sqlx::query(sql)
        .bind(id)
        .bind(a.name)
        .bind(a.personal_id)
        .bind(a.phone)
        .bind(a.email)
        .bind(a.address)
        .bind(a.unit)
        .bind(a.on_behalf)
        .bind(a.principal_name)
        .bind(a.principal_personal_id)
        .bind(a.relationship)
        .bind(citizen)
        .bind(next)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Saves the answers of `citizen`'s draft `id`; false when it is not theirs or no longer a
/// draft.
pub async fn save_answers(
    conn: &mut PgConnection,
    citizen: Uuid,
    id: Uuid,
    answers: &BTreeMap<String, String>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update dossiers set answers = $2, \
           draft_step = case when draft_step in ('applicant', 'details') then 'documents' else draft_step end \
         where id = $1 and citizen_id = $3 and status = 'draft'",
    )
    .bind(id)
    .bind(Json(answers))
    .bind(citizen)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub struct NewFile<'a> {
    pub dossier: Uuid,
    pub position: Option<i32>,
    pub storage_key: &'a str,
    pub original_name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub sha256: &'a str,
    pub reused_from: Option<Uuid>,
    /// 'document', 'supplement' or 'result'
    pub purpose: &'a str,
    /// The official who scanned or issued it (counter filing, results).
    pub added_by: Option<Uuid>,
}

pub async fn insert_file(conn: &mut PgConnection, f: &NewFile<'_>) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "insert into dossier_files (dossier_id, document_position, storage_key, original_name, \
           content_type, size_bytes, sha256, reused_from, purpose, added_by_staff) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id",
    )
    .bind(f.dossier)
    .bind(f.position)
    .bind(f.storage_key)
    .bind(f.original_name)
    .bind(f.content_type)
    .bind(f.size)
    .bind(f.sha256)
    .bind(f.reused_from)
    .bind(f.purpose)
    .bind(f.added_by)
    .fetch_one(conn)
    .await
}

/// The caps an upload must stay within once added: files and bytes per dossier, bytes across
/// the citizen's unsubmitted dossiers.
#[derive(Debug, Clone, Copy)]
pub struct Caps {
    pub dossier_files: i64,
    pub dossier_bytes: i64,
    pub citizen_bytes: i64,
}

/// Why an upload was not added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAdded {
    /// Not theirs, or no longer in the status the upload was checked against.
    Moved,
    TooManyFiles,
    DossierTooBig,
    CitizenQuota,
}

/// Adds an upload's files to a slot of `citizen`'s dossier `dossier`, all or none, if it is
/// still in `status` (the status the upload was checked against) and the caps still hold with
/// them: the dossier's row is locked first, so two uploads at once are counted one after the
/// other and cannot pass a cap together.
#[allow(clippy::too_many_arguments)]
pub async fn insert_upload(
    conn: &mut PgConnection,
    citizen: Uuid,
    dossier: Uuid,
    status: DossierStatus,
    position: Option<i32>,
    purpose: &str,
    files: &[StoredUpload<'_>],
    caps: Caps,
) -> Result<Result<u64, NotAdded>, sqlx::Error> {
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    let locked: Option<DossierStatus> = sqlx::query_scalar(
        "select status from dossiers where id = $1 and citizen_id = $2 for update",
    )
    .bind(dossier)
    .bind(citizen)
    .fetch_optional(&mut *tx)
    .await?;
    if locked != Some(status) {
        return Ok(Err(NotAdded::Moved));
    }
    // counted after the lock: a statement's snapshot now includes what an upload before this
    // one committed
    let (count, bytes, citizen_bytes): (i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from dossier_files where dossier_id = $1), \
           (select coalesce(sum(size_bytes), 0)::bigint from dossier_files where dossier_id = $1), \
           (select coalesce(sum(f.size_bytes), 0)::bigint from dossier_files f \
              join dossiers d on d.id = f.dossier_id \
             where d.citizen_id = $2 and d.status in ('draft', 'returned_for_completion'))",
    )
    .bind(dossier)
    .bind(citizen)
    .fetch_one(&mut *tx)
    .await?;
    let new_bytes: i64 = files.iter().map(|f| f.size).sum();
    let new_files = i64::try_from(files.len()).unwrap_or(i64::MAX);
    if count + new_files > caps.dossier_files {
        return Ok(Err(NotAdded::TooManyFiles));
    }
    if bytes + new_bytes > caps.dossier_bytes {
        return Ok(Err(NotAdded::DossierTooBig));
    }
    if matches!(
        status,
        DossierStatus::Draft | DossierStatus::ReturnedForCompletion
    ) && citizen_bytes + new_bytes > caps.citizen_bytes
    {
        return Ok(Err(NotAdded::CitizenQuota));
    }
    let keys: Vec<&str> = files.iter().map(|f| f.storage_key).collect();
    let names: Vec<&str> = files.iter().map(|f| f.original_name).collect();
    let types: Vec<&str> = files.iter().map(|f| f.content_type).collect();
    let sizes: Vec<i64> = files.iter().map(|f| f.size).collect();
    let hashes: Vec<&str> = files.iter().map(|f| f.sha256).collect();
    let done = sqlx::query(
        "insert into dossier_files (dossier_id, document_position, storage_key, original_name, \
           content_type, size_bytes, sha256, purpose) \
         select $1, $2, f.key, f.name, f.ctype, f.size, f.sha256, $3 \
         from unnest($4::text[], $5::text[], $6::text[], $7::int8[], $8::text[]) \
           with ordinality as f (key, name, ctype, size, sha256, n) \
         order by f.n",
    )
    .bind(dossier)
    .bind(position)
    .bind(purpose)
    .bind(&keys)
    .bind(&names)
    .bind(&types)
    .bind(&sizes)
    .bind(&hashes)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Ok(done.rows_affected()))
}

/// Locks `citizen`'s dossier `id` against a submission while its documents change, and
/// returns its status as locked and its version; None when it is not theirs.
pub async fn lock_documents(
    conn: &mut PgConnection,
    citizen: Uuid,
    id: Uuid,
) -> Result<Option<(DossierStatus, Uuid)>, sqlx::Error> {
    sqlx::query_as(
        "select status, procedure_version_id from dossiers \
         where id = $1 and citizen_id = $2 for share",
    )
    .bind(id)
    .bind(citizen)
    .fetch_optional(conn)
    .await
}

/// One stored file of an upload.
pub struct StoredUpload<'a> {
    pub storage_key: &'a str,
    pub original_name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub sha256: &'a str,
}

/// Removes a file of a draft; returns its storage key when no other row uses it.
pub async fn delete_file(
    conn: &mut PgConnection,
    dossier: Uuid,
    file: Uuid,
) -> Result<Option<Option<String>>, sqlx::Error> {
    let key: Option<String> = sqlx::query_scalar(
        "delete from dossier_files f using dossiers d \
         where f.id = $2 and f.dossier_id = $1 and d.id = f.dossier_id \
           and d.status in ('draft', 'returned_for_completion') \
         returning f.storage_key",
    )
    .bind(dossier)
    .bind(file)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(key) = key else { return Ok(None) };
    let still_used: bool =
        sqlx::query_scalar("select exists (select 1 from dossier_files where storage_key = $1)")
            .bind(&key)
            .fetch_one(conn)
            .await?;
    Ok(Some((!still_used).then_some(key)))
}

/// What an upload to `citizen`'s dossier `id` must know first: its status and version, and
/// the files and bytes it holds. None when it is not theirs.
pub async fn upload_state(
    conn: &mut PgConnection,
    citizen: Uuid,
    id: Uuid,
) -> Result<Option<(DossierStatus, Uuid, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select d.status, d.procedure_version_id, \
           (select count(*) from dossier_files f where f.dossier_id = d.id), \
           (select coalesce(sum(f.size_bytes), 0)::bigint from dossier_files f where f.dossier_id = d.id) \
         from dossiers d where d.id = $1 and d.citizen_id = $2",
    )
    .bind(id)
    .bind(citizen)
    .fetch_optional(conn)
    .await
}

/// Deletes draft `id` (of `citizen`, when given) with its file rows, in the caller's
/// transaction; false when there is no such draft (not theirs, or no longer a draft). The
/// stored files go with the next clean-up of files no row refers to (a file reused from an
/// earlier dossier stays with it). The messages and portal notices that named the draft keep
/// their text but no longer point at it.
pub async fn delete_draft(
    conn: &mut PgConnection,
    citizen: Option<Uuid>,
    id: Uuid,
) -> Result<bool, sqlx::Error> {
    let found: Option<Uuid> = sqlx::query_scalar(
        "select id from dossiers where id = $1 and status = 'draft' \
           and ($2::uuid is null or citizen_id = $2) for update",
    )
    .bind(id)
    .bind(citizen)
    .fetch_optional(&mut *conn)
    .await?;
    if found.is_none() {
        return Ok(false);
    }
    sqlx::query("delete from dossier_files where dossier_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("update outbound_messages set dossier_id = null where dossier_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("update notifications set dossier_id = null where dossier_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("delete from notify_queue where dossier_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("delete from dossiers where id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

/// The draft policy: untouched this many days, a draft is deleted; its owner is told this many
/// days before.
#[derive(Debug, Clone, Copy)]
pub struct Expiry {
    pub days: i64,
    pub notice_days: i64,
}

/// Tells the owners of drafts about to expire (through the notification queue; once per
/// stretch of neglect: a draft touched after its notice is told again when it is due again),
/// and deletes the drafts whose time has come and whose owner was told at least `notice_days`
/// before, after the draft's last change; `now` is the instant it runs at. Returns (told,
/// deleted).
pub async fn expire(
    db: &sqlx::PgPool,
    policy: Expiry,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(u64, u64), sqlx::Error> {
    let warn_before = now - chrono::Duration::days(policy.days - policy.notice_days);
    let told = sqlx::query(
        "with told as ( \
           insert into draft_notices (dossier_id, sent_at) \
           select d.id, $2 from dossiers d \
            where d.status = 'draft' and d.updated_at < $1 and d.citizen_id is not null \
              and not exists (select 1 from draft_notices n where n.dossier_id = d.id \
                              and n.sent_at > d.updated_at) \
            order by d.updated_at limit 500 \
           on conflict (dossier_id) do update set sent_at = excluded.sent_at \
           returning dossier_id) \
         insert into notify_queue (dossier_id, kind) select dossier_id, 'draft_expiring' from told",
    )
    .bind(warn_before)
    .bind(now)
    .execute(db)
    .await?
    .rows_affected();
    let due: Vec<Uuid> = sqlx::query_scalar(
        "select d.id from dossiers d join draft_notices n on n.dossier_id = d.id \
          where d.status = 'draft' and d.updated_at < $1 and n.sent_at <= $2 \
            and n.sent_at > d.updated_at \
          order by d.updated_at limit 500",
    )
    .bind(now - chrono::Duration::days(policy.days))
    .bind(now - chrono::Duration::days(policy.notice_days))
    .fetch_all(db)
    .await?;
    let mut deleted = 0;
    for id in due {
        let mut tx = db.begin().await?;
        if delete_draft(&mut tx, None, id).await? {
            crate::audit::record(
                &mut tx,
                crate::audit::Actor::System,
                "dossier.draft_expired",
                None,
                None,
                serde_json::json!({"dossier": id}),
            )
            .await?;
            deleted += 1;
        }
        tx.commit().await?;
    }
    Ok((told, deleted))
}
