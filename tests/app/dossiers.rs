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

/// Submits `dossier` as the portal does, its code taken last, and commits.
async fn submit_with_code(
    pool: &sqlx::PgPool,
    dossier: uuid::Uuid,
    day: NaiveDate,
) -> code::DossierCode {
    let mut tx = pool.begin().await.unwrap();
    sqlx::query(SUBMIT)
        .bind(dossier)
        .execute(&mut *tx)
        .await
        .unwrap();
    let entry = motcua::audit::Entry {
        actor: motcua::audit::Actor::System,
        action: "dossier.submitted",
        ip: None,
        details: serde_json::json!({}),
    };
    let assigned = code::assign(&mut tx, dossier, "H48", day, &entry)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    assigned
}

/// Draft → submitted, without the code.
const SUBMIT: &str = "update dossiers set status = 'submitted', submitted_at = now() where id = $1";

/// An online submission takes its code last (`code::assign`), so the rule that a dossier past
/// its draft has a code is checked when the transaction commits.
#[tokio::test]
async fn a_submission_takes_its_code_last_and_cannot_commit_without_one() {
    let db = TestDb::new().await;
    motcua::demo::load(&db.pool).await.unwrap();
    let draft: uuid::Uuid =
        sqlx::query_scalar("select id from dossiers where status = 'draft' order by id limit 1")
            .fetch_one(&db.pool)
            .await
            .unwrap();
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
    // with the code taken last, it commits; the sequence is written as DossierCode writes it
    let day = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    sqlx::query(
        "insert into dossier_code_counters (agency_code, day, last_value) values ('H48', $1, 9998)",
    )
    .bind(day)
    .execute(&db.pool)
    .await
    .unwrap();
    let assigned = submit_with_code(&db.pool, draft, day).await;
    assert_eq!(assigned.as_str(), "H48-261128-9999");
    assert_eq!(
        Some(assigned),
        code::DossierCode::new("H48", day, 9999),
        "the same text as the counter's code"
    );
    let stored: String = sqlx::query_scalar("select code from dossiers where id = $1")
        .bind(draft)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(stored, "H48-261128-9999");
    // the same statement recorded the submission in the audit log, under its code
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action = 'dossier.submitted' and subject = $1",
    )
    .bind("H48-261128-9999")
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);
    // past four digits the number grows, as DossierCode::new writes it
    let other: uuid::Uuid = sqlx::query_scalar(
        "insert into dossiers (citizen_id, procedure_version_id, intake_channel, applicant_name, \
           applicant_personal_id, applicant_phone, applicant_address, draft_step) \
         select citizen_id, procedure_version_id, intake_channel, applicant_name, \
           applicant_personal_id, applicant_phone, applicant_address, draft_step \
         from dossiers where id = $1 returning id",
    )
    .bind(draft)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let next = submit_with_code(&db.pool, other, day).await;
    assert_eq!(Some(next), code::DossierCode::new("H48", day, 10_000));
}

/// The writes of the journey check the dossier themselves: an upload lands only on the
/// owner's dossier still in the status it was checked in, and a submission goes through only
/// while every mandatory slot holds a file (a file removed in another tab while the submission
/// waited for the lock counts).
#[tokio::test]
async fn an_upload_or_a_submission_that_finds_the_dossier_changed_writes_nothing() {
    use motcua::dossiers::DossierStatus;
    use motcua::dossiers::repo::{self, StoredUpload, Submission};
    let db = TestDb::new().await;
    motcua::demo::load(&db.pool).await.unwrap();
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
    let mut conn = db.pool.acquire().await.unwrap();
    let stranger = uuid::Uuid::new_v4();
    for (citizen, status) in [
        (owner, DossierStatus::Submitted),
        (stranger, DossierStatus::Draft),
    ] {
        let added = repo::insert_upload(
            &mut conn,
            citizen,
            draft,
            status,
            Some(1),
            "document",
            &files,
        )
        .await
        .unwrap();
        assert_eq!(added, 0, "{status:?}");
    }
    let added = repo::insert_upload(
        &mut conn,
        owner,
        draft,
        DossierStatus::Draft,
        None,
        "document",
        &files,
    )
    .await
    .unwrap();
    assert_eq!(added, 1, "the owner's draft, as checked");
    // slot 1 is empty: the submission does not go through and leaves no line in the history
    let mut tx = sqlx::Acquire::begin(&mut *conn).await.unwrap();
    let submitted = repo::submit(
        &mut tx,
        &Submission {
            id: draft,
            citizen: owner,
            pin_hash: "",
            competent: None,
            receiving: None,
            submit_key: uuid::Uuid::new_v4(),
            then: None,
            mandatory: &[1],
        },
    )
    .await
    .unwrap();
    assert!(!submitted);
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
