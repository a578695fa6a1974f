//! One fresh PostgreSQL database per test, with every migration applied, dropped afterwards
//! (also when the test fails).

use sqlx::{ConnectOptions, Connection, PgPool};

pub struct TestDb {
    pub pool: PgPool,
    /// URL of the test database, for settings.
    pub url: String,
    name: String,
    base_url: String,
    /// Only the owner drops the database.
    owner: bool,
}

fn base_url() -> String {
    std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres:///motcua?host=/var/run/postgresql".to_owned())
}

/// `postgres://…/motcua?x` → `postgres://…/<name>?x`
fn with_database(url: &str, name: &str) -> String {
    let (before_query, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let (scheme, rest) = before_query
        .split_once("://")
        .expect("DATABASE_URL has a scheme");
    let authority = rest.split('/').next().unwrap_or("");
    let mut out = format!("{scheme}://{authority}/{name}");
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

impl TestDb {
    pub async fn new() -> Self {
        let base_url = base_url();
        let name = format!("motcua_test_{}", uuid::Uuid::new_v4().simple());
        let admin_options = motcua::db::connect_options(&base_url)
            .expect("DATABASE_URL parses")
            .database("postgres");
        let mut admin = admin_options.connect().await.unwrap_or_else(|e| {
            panic!(
                "tests need PostgreSQL at DATABASE_URL ({base_url}): {e}; run `sudo .ci/postgres`"
            )
        });
        sqlx::query(sqlx::AssertSqlSafe(format!("create database \"{name}\"")))
            .execute(&mut admin)
            .await
            .expect("create test database");
        admin.close().await.ok();
        let url = with_database(&base_url, &name);
        let options = motcua::db::pool_connect_options(&url).expect("test URL parses");
        // as the portal: migrations as the owner, then a pool that runs as the writer role
        motcua::db::migrate_at(&options)
            .await
            .expect("migrations apply");
        let pool = motcua::db::pool_options()
            .max_connections(5)
            .connect_with(options)
            .await
            .expect("connect to the test database");
        Self {
            pool,
            url,
            name,
            base_url,
            owner: true,
        }
    }

    /// A pool as the database's owner (the migrations' role), for what a test does behind the
    /// portal's back: switching a guard off, undoing migrations.
    pub async fn owner_pool(&self) -> PgPool {
        motcua::db::owner_pool_options()
            .max_connections(2)
            .connect_with(motcua::db::pool_connect_options(&self.url).expect("test URL parses"))
            .await
            .expect("connect as the owner")
    }

    /// The same database for a second client; the first one drops it.
    pub fn share(&self) -> Self {
        Self {
            pool: self.pool.clone(),
            url: self.url.clone(),
            name: self.name.clone(),
            base_url: self.base_url.clone(),
            owner: false,
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if !self.owner {
            return;
        }
        let name = self.name.clone();
        let base_url = self.base_url.clone();
        // Drop runs inside the test's runtime: do the async clean-up on a thread of its own.
        let cleanup = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                let Ok(options) = motcua::db::connect_options(&base_url) else {
                    return;
                };
                if let Ok(mut admin) = options.database("postgres").connect().await {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "drop database if exists \"{name}\" with (force)"
                    )))
                    .execute(&mut admin)
                    .await;
                    let _ = admin.close().await;
                }
            });
        });
        let _ = cleanup.join();
    }
}

#[test]
fn database_names_are_swapped_in_urls() {
    assert_eq!(
        with_database("postgres:///motcua?host=/var/run/postgresql", "t1"),
        "postgres:///t1?host=/var/run/postgresql"
    );
    assert_eq!(
        with_database("postgres://u:p@127.0.0.1:5432/motcua", "t1"),
        "postgres://u:p@127.0.0.1:5432/t1"
    );
}
