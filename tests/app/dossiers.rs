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
