//! Dossier codes issued by PostgreSQL.

use chrono::NaiveDate;
use motcua::dossiers::code;

use crate::helpers::TestDb;

#[tokio::test]
async fn fifty_parallel_submissions_get_fifty_consecutive_codes() {
    let db = TestDb::new().await;
    let day = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let pool = db.pool.clone();
        tasks.push(tokio::spawn(async move {
            let mut tx = pool.begin().await.unwrap();
            let issued = code::issue(&mut tx, "000.00.00.H48", day)
                .await
                .unwrap()
                .unwrap();
            tx.commit().await.unwrap();
            issued
        }));
    }
    let mut codes = Vec::new();
    for task in tasks {
        codes.push(task.await.unwrap().as_str().to_owned());
    }
    codes.sort();
    let expected: Vec<String> = (1..=50)
        .map(|n| format!("000.00.00.H48-261128-{n:04}"))
        .collect();
    assert_eq!(codes, expected);
}

#[tokio::test]
async fn each_agency_and_day_counts_on_its_own_and_rollbacks_give_numbers_back() {
    let db = TestDb::new().await;
    let d1 = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let d2 = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let mut conn = db.pool.acquire().await.unwrap();
    let take = |agency: &'static str, day| {
        let pool = db.pool.clone();
        async move {
            let mut c = pool.acquire().await.unwrap();
            code::issue(&mut c, agency, day)
                .await
                .unwrap()
                .unwrap()
                .as_str()
                .to_owned()
        }
    };
    assert_eq!(take("H48", d1).await, "H48-261128-0001");
    assert_eq!(take("H48", d1).await, "H48-261128-0002");
    assert_eq!(take("H48", d2).await, "H48-261129-0001");
    assert_eq!(take("000.00.53.H48", d1).await, "000.00.53.H48-261128-0001");
    // a submission that fails after taking its number gives it back
    let mut tx = sqlx::Acquire::begin(&mut *conn).await.unwrap();
    assert_eq!(
        code::issue(&mut tx, "H48", d1)
            .await
            .unwrap()
            .unwrap()
            .as_str(),
        "H48-261128-0003"
    );
    tx.rollback().await.unwrap();
    assert_eq!(take("H48", d1).await, "H48-261128-0003");
}

/// The portal's submission statement for `citizen`'s draft `dossier` on `day`, inside the
/// caller's transaction: its code, or None when it went through no more.
async fn submit_draft(
    conn: &mut sqlx::PgConnection,
    dossier: uuid::Uuid,
    citizen: uuid::Uuid,
    mandatory: &[i32],
    day: NaiveDate,
) -> Option<String> {
    use motcua::dossiers::repo::{self, Submission};
    let entry = motcua::audit::Entry {
        actor: motcua::audit::Actor::Citizen(citizen),
        action: "dossier.submitted",
        ip: None,
        details: serde_json::json!({}),
    };
    repo::submit(
        conn,
        &Submission {
            id: dossier,
            citizen,
            pin_hash: "",
            submit_key: uuid::Uuid::new_v4(),
            then: None,
            mandatory,
            day,
            audit: &entry,
        },
    )
    .await
    .unwrap()
}

/// Submits `dossier` as the portal does (routed, numbered and moved on in one statement) on
/// `day`, and commits; returns its code.
async fn submit_with_code(
    pool: &sqlx::PgPool,
    dossier: uuid::Uuid,
    day: NaiveDate,
) -> code::DossierCode {
    let mut tx = pool.begin().await.unwrap();
    let citizen: uuid::Uuid = sqlx::query_scalar("select citizen_id from dossiers where id = $1")
        .bind(dossier)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let submitted = submit_draft(&mut tx, dossier, citizen, &[], day)
        .await
        .expect("a draft without mandatory documents is submitted");
    tx.commit().await.unwrap();
    code::DossierCode::parse(&submitted).expect("a readable code")
}

/// A copy of demo draft `draft`, still a draft.
async fn copy_draft(pool: &sqlx::PgPool, draft: uuid::Uuid) -> uuid::Uuid {
    sqlx::query_scalar(
        "insert into dossiers (citizen_id, procedure_version_id, intake_channel, applicant_name, \
           applicant_personal_id, applicant_phone, applicant_address, applicant_unit_id, draft_step) \
         select citizen_id, procedure_version_id, intake_channel, applicant_name, \
           applicant_personal_id, applicant_phone, applicant_address, applicant_unit_id, draft_step \
         from dossiers where id = $1 returning id",
    )
    .bind(draft)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// A database with the demo data, and the first of its drafts.
async fn demo_with_draft() -> (TestDb, uuid::Uuid) {
    let db = TestDb::new().await;
    crate::helpers::load_demo(&db.pool).await;
    let draft =
        sqlx::query_scalar("select id from dossiers where status = 'draft' order by id limit 1")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    (db, draft)
}

/// The agency part of a code.
fn agency_of(code: &code::DossierCode) -> &str {
    code.as_str().rsplitn(3, '-').nth(2).unwrap()
}

/// The online submission's statement under concurrency: fifty citizens submitting to one
/// agency on one day get fifty consecutive codes, each dossier one, each with its history.
#[tokio::test]
async fn fifty_parallel_online_submissions_get_fifty_consecutive_codes() {
    let (db, draft) = demo_with_draft().await;
    let day = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let mut drafts = Vec::new();
    for _ in 0..50 {
        drafts.push(copy_draft(&db.pool, draft).await);
    }
    let mut tasks = Vec::new();
    for dossier in drafts {
        let pool = db.pool.clone();
        tasks.push(tokio::spawn(async move {
            submit_with_code(&pool, dossier, day).await
        }));
    }
    let mut codes = Vec::new();
    for task in tasks {
        codes.push(task.await.unwrap());
    }
    let agency = agency_of(&codes[0]).to_owned();
    let mut numbers: Vec<String> = codes.iter().map(|c| c.as_str().to_owned()).collect();
    numbers.sort();
    let expected: Vec<String> = (1..=50)
        .map(|n| {
            code::DossierCode::new(&agency, day, n)
                .unwrap()
                .as_str()
                .to_owned()
        })
        .collect();
    assert_eq!(numbers, expected);
    let (stored, events): (i64, i64) = sqlx::query_as(
        "select count(distinct d.code), count(e.id) from dossiers d \
           join dossier_events e on e.dossier_id = d.id and e.action = 'submit' \
         where d.code = any($1)",
    )
    .bind(&numbers)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!((stored, events), (50, 50));
}

/// Routing: a procedure decided by the commune's people's committee goes to the applicant's
/// commune, and its code is that committee's; without a commune the dossier waits in the
/// provincial centre's dispatch queue (no competent agency), numbered by the centre.
#[tokio::test]
async fn an_online_submission_is_routed_by_the_applicants_commune_or_to_dispatch() {
    let db = TestDb::new().await;
    crate::helpers::load_demo(&db.pool).await;
    let day = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let (draft, unit): (uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        "select d.id, a.admin_unit_id from dossiers d \
           join procedure_versions v on v.id = d.procedure_version_id \
           join agencies a on a.slug = 'ubnd-phuong-cam-thanh' \
         where d.status = 'draft' and v.competent_kind = 'commune_pc' \
           and v.competent_agency_id is null order by d.id limit 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let routed = copy_draft(&db.pool, draft).await;
    let unresolved = copy_draft(&db.pool, draft).await;
    sqlx::query("update dossiers set applicant_unit_id = $2 where id = $1")
        .bind(routed)
        .bind(unit)
        .execute(&db.pool)
        .await
        .unwrap();
    sqlx::query("update dossiers set applicant_unit_id = null where id = $1")
        .bind(unresolved)
        .execute(&db.pool)
        .await
        .unwrap();
    let to_commune = submit_with_code(&db.pool, routed, day).await;
    let to_dispatch = submit_with_code(&db.pool, unresolved, day).await;
    assert_eq!(agency_of(&to_commune), "000.00.71.H48", "{to_commune}");
    assert_eq!(agency_of(&to_dispatch), "000.00.20.H48", "{to_dispatch}");
    let placed: Vec<(Option<String>, String, serde_json::Value)> = sqlx::query_as(
        "select c.slug, r.slug, l.details from dossiers d \
           left join agencies c on c.id = d.competent_agency_id \
           join agencies r on r.id = d.receiving_agency_id \
           join audit_log l on l.subject = d.code and l.action = 'dossier.submitted' \
         where d.id = any($1) order by d.code",
    )
    .bind(vec![routed, unresolved])
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        placed,
        vec![
            (
                None,
                "ttpvhcc-tinh-quang-ngai".to_owned(),
                serde_json::json!({"routed": false})
            ),
            (
                Some("ubnd-phuong-cam-thanh".to_owned()),
                "ubnd-phuong-cam-thanh".to_owned(),
                serde_json::json!({"routed": true})
            ),
        ]
    );
}

/// Draft → submitted, without the code.
const SUBMIT: &str = "update dossiers set status = 'submitted', submitted_at = now() where id = $1";

/// A dossier past its draft cannot commit without a code (checked when the transaction
/// commits); the online submission writes both in one statement, the sequence as
/// `DossierCode::new` writes it.
#[tokio::test]
async fn a_submission_cannot_commit_without_a_code_and_the_portal_writes_both_at_once() {
    let (db, draft) = demo_with_draft().await;
    // without a code the commit is refused, and nothing of it stays
    let mut tx = db.pool.begin().await.unwrap();
    sqlx::query(SUBMIT)
        .bind(draft)
        .execute(&mut *tx)
        .await
        .unwrap();
    let refused = tx.commit().await.unwrap_err();
    assert_eq!(
        refused.as_database_error().and_then(|e| e.constraint()),
        Some("dossiers_submitted_has_code"),
        "{refused}"
    );
    let status: String = sqlx::query_scalar("select status::text from dossiers where id = $1")
        .bind(draft)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(status, "draft");
    // as the portal submits, it commits; the sequence is written as DossierCode writes it
    let day = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    sqlx::query(
        "insert into dossier_code_counters (agency_code, day, last_value) \
         select e_id_code, $1, 9998 from agencies where e_id_code is not null",
    )
    .bind(day)
    .execute(&db.pool)
    .await
    .unwrap();
    let assigned = submit_with_code(&db.pool, draft, day).await;
    let agency = agency_of(&assigned).to_owned();
    assert_eq!(assigned.as_str(), format!("{agency}-261128-9999"));
    assert_eq!(
        Some(assigned.clone()),
        code::DossierCode::new(&agency, day, 9999),
        "the same text as the counter's code"
    );
    let stored: String = sqlx::query_scalar("select code from dossiers where id = $1")
        .bind(draft)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(stored, assigned.as_str());
    // the same statement recorded the submission in the audit log, under its code
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action = 'dossier.submitted' and subject = $1",
    )
    .bind(assigned.as_str())
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);
    // past four digits the number grows, as DossierCode::new writes it
    let other = copy_draft(&db.pool, draft).await;
    let next = submit_with_code(&db.pool, other, day).await;
    assert_eq!(Some(next), code::DossierCode::new(&agency, day, 10_000));
}

/// The writes of the journey check the dossier themselves: an upload lands only on the
/// owner's dossier still in the status it was checked in, and a submission goes through only
/// while every mandatory slot holds a file (a file removed in another tab while the submission
/// waited for the lock counts).
#[tokio::test]
async fn an_upload_or_a_submission_that_finds_the_dossier_changed_writes_nothing() {
    use motcua::dossiers::DossierStatus;
    use motcua::dossiers::drafts::{self, StoredUpload};
    let db = TestDb::new().await;
    crate::helpers::load_demo(&db.pool).await;
    let (draft, owner): (uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        "select id, citizen_id from dossiers where status = 'draft' order by id limit 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let files = [StoredUpload {
        storage_key: "0123456789abcdef0123456789abcdef",
        original_name: "to-khai.pdf",
        content_type: "application/pdf",
        size: 9,
        sha256: "",
    }];
    let caps = drafts::Caps {
        dossier_files: 30,
        dossier_bytes: 1 << 20,
        citizen_bytes: 1 << 20,
    };
    let mut conn = db.pool.acquire().await.unwrap();
    let stranger = uuid::Uuid::new_v4();
    for (citizen, status) in [
        (owner, DossierStatus::Submitted),
        (stranger, DossierStatus::Draft),
    ] {
        let added = drafts::insert_upload(
            &mut conn,
            citizen,
            draft,
            status,
            Some(1),
            "document",
            &files,
            caps,
        )
        .await
        .unwrap();
        assert_eq!(added, Err(drafts::NotAdded::Moved), "{status:?}");
    }
    // caps counted with the upload: a dossier's files, its bytes, the citizen's quota
    for (tight, refused) in [
        (
            drafts::Caps {
                dossier_files: 0,
                ..caps
            },
            drafts::NotAdded::TooManyFiles,
        ),
        (
            drafts::Caps {
                dossier_bytes: 8,
                ..caps
            },
            drafts::NotAdded::DossierTooBig,
        ),
        (
            drafts::Caps {
                citizen_bytes: 8,
                ..caps
            },
            drafts::NotAdded::CitizenQuota,
        ),
    ] {
        let added = drafts::insert_upload(
            &mut conn,
            owner,
            draft,
            DossierStatus::Draft,
            None,
            "document",
            &files,
            tight,
        )
        .await
        .unwrap();
        assert_eq!(added, Err(refused));
    }
    let added = drafts::insert_upload(
        &mut conn,
        owner,
        draft,
        DossierStatus::Draft,
        None,
        "document",
        &files,
        caps,
    )
    .await
    .unwrap();
    assert_eq!(added, Ok(1), "the owner's draft, as checked");
    // slot 1 is empty: the submission does not go through and leaves no line in the history
    let mut tx = sqlx::Acquire::begin(&mut *conn).await.unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let submitted = submit_draft(&mut tx, draft, owner, &[1], day).await;
    assert_eq!(submitted, None);
    tx.rollback().await.unwrap();
    let (status, events): (String, i64) = sqlx::query_as(
        "select status::text, (select count(*) from dossier_events where dossier_id = $1) \
         from dossiers where id = $1",
    )
    .bind(draft)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!((status.as_str(), events), ("draft", 0));
}

/// The draft steps a citizen repeats most keep one plan on a connection: a statement whose
/// text depended on a parameter's value (`$7 is null`, `case when $4 = 'post'`) was planned
/// again at each of its executions, as much work as running it.
/// The applicant step's answers of the demo citizen, filing for herself, with commune `unit`.
fn applicant_answers(unit: Option<uuid::Uuid>) -> motcua::dossiers::drafts::Applicant<'static> {
    motcua::dossiers::drafts::Applicant {
        name: "Nguyễn Văn An",
        personal_id: "051090001234",
        phone: "+84912345678",
        email: "",
        address: "54 Hùng Vương",
        unit,
        on_behalf: false,
        principal_name: "",
        principal_personal_id: "",
        relationship: "",
    }
}

#[tokio::test]
async fn the_applicant_and_delivery_steps_are_planned_once_per_connection() {
    use motcua::dossiers::drafts;
    use motcua::dossiers::repo::{self, Delivery};
    let (db, draft) = demo_with_draft().await;
    let (citizen, commune): (uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        "select d.citizen_id, (select id from admin_units where level = 'commune' \
           and valid_to is null order by code limit 1) from dossiers d where d.id = $1",
    )
    .bind(draft)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let mut conn = db.pool.acquire().await.unwrap();
    // PostgreSQL plans a prepared statement's first five executions with their values
    for round in 0..14 {
        let unit = (round % 2 == 0).then_some(commune);
        let applicant = applicant_answers(unit);
        assert!(
            drafts::save_applicant(&mut conn, citizen, draft, &applicant, "details")
                .await
                .unwrap()
        );
        let by_post = round % 2 == 1;
        let delivery = Delivery {
            paper: "online_only",
            pickup: "",
            result: if by_post { "post" } else { "counter" },
            result_address: if by_post { "54 Hùng Vương" } else { "" },
        };
        assert!(
            repo::save_delivery(&mut conn, citizen, draft, &delivery)
                .await
                .unwrap()
        );
        let (unit_saved, postage): (Option<uuid::Uuid>, Option<i64>) = sqlx::query_as(
            "select applicant_unit_id, postage_estimate_vnd from dossiers where id = $1",
        )
        .bind(draft)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        assert_eq!(unit_saved, unit);
        assert_eq!(
            postage.is_some(),
            by_post,
            "postage recorded only for a result by post"
        );
    }
    // a forged commune is still refused by the statement
    let forged = applicant_answers(Some(uuid::Uuid::new_v4()));
    assert!(
        !drafts::save_applicant(&mut conn, citizen, draft, &forged, "details")
            .await
            .unwrap()
    );
    let plans: Vec<(String, i64, i64)> = sqlx::query_as(
        "select left(statement, 40), generic_plans, custom_plans from pg_prepared_statements \
         where statement like 'update dossiers set applicant_name%' \
            or statement like 'update dossiers set paper_channel%'",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    assert!(plans.len() >= 2, "{plans:?}");
    for (statement, generic, custom) in plans {
        assert!(
            generic > 0 && custom <= 5,
            "{statement}…: {generic} generic and {custom} custom plans"
        );
    }
}

/// A draft's steps find it by its id. On a young database without statistics (the demo data,
/// one draft), PostgreSQL used to judge `status = 'draft'` on the status index as selective as
/// the primary key, and kept that plan for the connection: each step then walked every draft's
/// entry, the dead ones of dossiers submitted since the last vacuum too.
/// Scans of the dossiers' status index so far, this connection's own counts included (they
/// are flushed to the shared statistics when it goes idle).
async fn status_index_scans(conn: &mut sqlx::PgConnection) -> i64 {
    sqlx::query("select pg_stat_force_next_flush()")
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query_scalar(
        "select coalesce(sum(idx_scan), 0)::bigint from pg_stat_user_indexes \
         where indexrelname = 'dossiers_status_idx'",
    )
    .fetch_one(&mut *conn)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_drafts_steps_never_walk_the_dossiers_by_status() {
    use motcua::dossiers::drafts;
    use motcua::dossiers::repo::{self, Delivery};
    let (db, _) = demo_with_draft().await;
    let citizen: uuid::Uuid = sqlx::query_scalar("select id from citizens order by id limit 1")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let mut conn = db.pool.acquire().await.unwrap();
    let before = status_index_scans(&mut conn).await;
    // past the five executions PostgreSQL plans with their values, to the connection's plan
    for _ in 0..7 {
        let (draft, _) = drafts::create_draft(&mut conn, citizen, "1.004194")
            .await
            .unwrap()
            .expect("temporary residence is open online");
        let applicant = applicant_answers(None);
        assert!(
            drafts::save_applicant(&mut conn, citizen, draft, &applicant, "documents")
                .await
                .unwrap()
        );
        assert!(
            repo::finish_documents(&mut conn, citizen, draft, &[])
                .await
                .unwrap()
        );
        let delivery = Delivery {
            paper: "online_only",
            pickup: "",
            result: "post",
            result_address: "54 Hùng Vương",
        };
        assert!(
            repo::save_delivery(&mut conn, citizen, draft, &delivery)
                .await
                .unwrap()
        );
    }
    let step: String = sqlx::query_scalar(
        "select draft_step from dossiers where citizen_id = $1 order by created_at desc limit 1",
    )
    .bind(citizen)
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    assert_eq!(step, "check", "the last draft reached its check step");
    assert_eq!(
        status_index_scans(&mut conn).await,
        before,
        "no walk over the status index"
    );
}
