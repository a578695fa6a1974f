//! The schema itself: reversible migrations, and search folding that agrees with Rust's.

use crate::helpers::TestDb;

/// Every Vietnamese letter, both cases.
const VIETNAMESE: &str =
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ";

#[tokio::test]
async fn postgres_and_rust_fold_every_vietnamese_letter_alike() {
    let db = TestDb::new().await;
    for text in [
        VIETNAMESE.to_owned(),
        VIETNAMESE.to_uppercase(),
        "Đăng ký kết hôn, mã 1.000894".to_owned(),
    ] {
        let folded: String = sqlx::query_scalar("select f_fold($1)")
            .bind(&text)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(folded, motcua::kernel::text::fold(&text), "{text}");
        assert!(folded.is_ascii() || !text.is_ascii(), "{folded}");
    }
}

#[tokio::test]
async fn migrations_revert_to_nothing_and_apply_again() {
    let db = TestDb::new().await;
    crate::helpers::load_demo(&db.pool).await;
    // migrations run as the owner
    let owner = db.owner_pool().await;
    motcua::db::MIGRATOR
        .undo(&owner, 0)
        .await
        .expect("every down migration runs");
    let left: i64 = sqlx::query_scalar(
        "select count(*) from pg_tables where schemaname = 'public' and tablename <> '_sqlx_migrations'",
    )
    .fetch_one(&owner)
    .await
    .unwrap();
    assert_eq!(left, 0, "the down migrations leave no table behind");
    owner.close().await;
    // fresh pools: the old connections cached the dropped enum types
    let owner = db.owner_pool().await;
    motcua::db::MIGRATOR
        .run(&owner)
        .await
        .expect("and up again");
    owner.close().await;
    let pool = motcua::db::pool_options()
        .max_connections(2)
        .connect_with(motcua::db::pool_connect_options(&db.url).unwrap())
        .await
        .unwrap();
    motcua::demo::load(&pool).await.unwrap();
    pool.close().await;
}

#[tokio::test]
async fn two_versions_of_a_procedure_cannot_be_in_force_on_the_same_day() {
    let db = TestDb::new().await;
    crate::helpers::load_demo(&db.pool).await;
    let overlap = sqlx::query(
        "insert into procedure_versions (procedure_id, version_no, name_vi, name_en, effective_from, \
           competent_kind, time_limit_unit, online_level, submit_online, submit_counter, submit_post, \
           result_counter, result_post, result_electronic) \
         select procedure_id, 99, name_vi, name_en, effective_from + 1, competent_kind, 'same_day', \
           online_level, submit_online, submit_counter, submit_post, result_counter, result_post, \
           result_electronic \
         from procedure_versions where version_no = 1 limit 1",
    )
    .execute(&db.pool)
    .await;
    let error = overlap.expect_err("an overlapping version is refused");
    assert!(
        error.to_string().contains("procedure_versions_no_overlap"),
        "{error}"
    );
}

#[tokio::test]
async fn the_clean_up_removes_what_has_expired_and_nothing_else() {
    let db = TestDb::new().await;
    sqlx::query(
        "insert into sessions (id, data, expiry_date) values \
           ('old', '{}', now() - interval '1 minute'), ('live', '{}', now() + interval '1 hour')",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into login_counters (key, attempts, window_start) values \
           ('account:citizen:a', 3, now() - interval '2 days'), ('account:citizen:b', 1, now())",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let storage = motcua::storage::Storage::new(
        std::env::temp_dir().join(format!("motcua-clean-{}", uuid::Uuid::new_v4())),
    );
    let cleaned = motcua::jobs::cleanup(&db.pool, &storage).await.unwrap();
    assert_eq!(
        cleaned,
        motcua::jobs::Cleaned {
            sessions: 1,
            login_failures: 1,
            one_time_codes: 0,
            orphan_files: 0,
            closed_dossiers: 0,
            transferred_dossiers: 0,
            report_changes: 0,
        }
    );
    let left: Vec<String> = sqlx::query_scalar("select id from sessions")
        .fetch_all(&db.pool)
        .await
        .unwrap();
    assert_eq!(left, ["live"]);
}

#[tokio::test]
async fn stored_files_without_a_dossier_are_removed_and_referenced_ones_kept() {
    let db = TestDb::new().await;
    crate::helpers::load_demo(&db.pool).await;
    let root = std::env::temp_dir().join(format!("motcua-orphans-{}", uuid::Uuid::new_v4()));
    let storage = motcua::storage::Storage::new(&root);
    let mut kept = storage.begin().await.unwrap();
    kept.write(b"%PDF-1.4 kept").await.unwrap();
    let (kept_key, _) = storage.commit(kept).await.unwrap();
    let mut orphan = storage.begin().await.unwrap();
    orphan.write(b"%PDF-1.4 orphan").await.unwrap();
    let (orphan_key, _) = storage.commit(orphan).await.unwrap();
    sqlx::query(
        "insert into dossier_files (dossier_id, storage_key, original_name, content_type, size_bytes, sha256) \
         select id, $1, 'a.pdf', 'application/pdf', 13, '' from dossiers limit 1",
    )
    .bind(&kept_key)
    .execute(&db.pool)
    .await
    .unwrap();
    let removed = motcua::jobs::clean_orphan_files(&db.pool, &storage, std::time::Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(removed, 1);
    assert!(storage.read(&kept_key).await.is_ok());
    assert!(storage.read(&orphan_key).await.is_err());
    std::fs::remove_dir_all(root).unwrap();
}

#[tokio::test]
async fn the_seeded_calendar_drives_due_dates() {
    let db = TestDb::new().await;
    let mut conn = db.pool.acquire().await.unwrap();
    let calendar = motcua::deadlines::repo::load(&mut conn).await.unwrap();
    let at = |y, m, d, h, min| {
        chrono::NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    };
    // Thu 30/4 and Fri 1/5/2025 are holidays, Fri 2/5 the bridge, Sat 26/4 its make-up day
    assert_eq!(
        calendar.add_working_days(at(2025, 4, 29, 9, 0), 1),
        at(2025, 5, 5, 9, 0)
    );
    assert_eq!(
        calendar.add_working_days(at(2025, 4, 25, 9, 0), 1),
        at(2025, 4, 26, 9, 0)
    );
    // the seeded office hours (07:30–11:30, 13:30–17:30)
    assert_eq!(
        calendar.add_working_hours(at(2026, 3, 9, 16, 0), 8),
        at(2026, 3, 10, 16, 0)
    );
    let seeded: i64 = sqlx::query_scalar(
        "select count(*) from calendar_days where day between '2025-01-01' and '2027-12-31'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(seeded, 45, "every row of the 2025–2027 calendar");
}

/// The database's day is Vietnam's, as the portal's is: at 18:00 UTC it is already the next
/// day in the province. On a server in UTC a procedure version published "from today" after
/// 0:00 Vietnamese time was not in force until 7:00.
#[tokio::test]
async fn the_database_counts_days_in_vietnam() {
    let db = TestDb::new().await;
    let (zone, evening, today): (String, chrono::NaiveDate, chrono::NaiveDate) = sqlx::query_as(
        "select current_setting('TimeZone'), (timestamptz '2026-11-29 18:00:00+00')::date, current_date",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(zone, motcua::db::TIME_ZONE);
    assert_eq!(
        evening,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    );
    assert_eq!(today, motcua::deadlines::calendar::today());
}
