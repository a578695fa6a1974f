//! The connection pool, database creation and migrations.

use std::time::Duration;

use anyhow::Context;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgPool};

use crate::config::{Settings, redact_url};

/// The migrations in `migrations/`, embedded in the binary.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// Why the portal could not get a usable database, phrased for the person at the terminal.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(
        "PostgreSQL is not reachable at {0}: run `sudo .ci/postgres` to install and start it, or set DATABASE_URL to a running server."
    )]
    Unreachable(String),
    #[error(
        "PostgreSQL refused the role in {0}: run `sudo .ci/postgres` to create a role for this user, or set DATABASE_URL with a role that may create databases."
    )]
    RoleRefused(String),
    #[error("the database could not be prepared: {0:#}")]
    Other(#[from] anyhow::Error),
}

/// Creates the database when missing, connects a pool and applies pending migrations.
pub async fn connect_and_migrate(settings: &Settings) -> Result<PgPool, DbError> {
    let shown = redact_url(&settings.database_url);
    create_if_missing(settings)
        .await
        .map_err(|e| classify(&e, &shown))?;
    // the migrations first, as the owner: they create the role the pool then takes
    let owner_url = if settings.migration_database_url.is_empty() {
        &settings.database_url
    } else {
        &settings.migration_database_url
    };
    let options = pool_connect_options(owner_url).map_err(|e| classify(&e, &shown))?;
    migrate_at(&options).await.map_err(DbError::Other)?;
    let pool = connect(settings).await.map_err(|e| classify(&e, &shown))?;
    Ok(pool)
}

/// Records that this database serves a production deployment (kept for good: a database once
/// production stays production).
pub async fn record_production(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into deployment (environment) values ('production') \
         on conflict (singleton) do update set environment = 'production', recorded_at = now() \
         where deployment.environment <> 'production'",
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Whether a production deployment has used this database.
pub async fn is_production_database(pool: &PgPool) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("select exists (select 1 from deployment where environment = 'production')")
        .fetch_one(pool)
        .await
}

/// Connects and migrates a developer's database: one a production deployment has used is
/// refused (no demo accounts with a known password, no generated dossiers there).
pub async fn connect_developer(settings: &Settings) -> anyhow::Result<PgPool> {
    let pool = connect_and_migrate(settings).await?;
    if is_production_database(&pool).await? {
        anyhow::bail!(
            "this database serves a production deployment: demo data, generators and benchmarks never run on it (point DATABASE_URL at a database of your own)"
        );
    }
    Ok(pool)
}

/// Applies the migrations, then sums the reports' pools again when they were summed with older
/// rules than this build's (after an upgrade that changed them, or the migration that created
/// them: 5.5 s for a million dossiers, nothing on a new database).
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    migrate_at(&pool.connect_options()).await
}

/// [`migrate`] on a connection of its own to the database of `options`, as the owner (the
/// role of the URL, never the pool's [`WRITER_ROLE`]).
pub async fn migrate_at(options: &PgConnectOptions) -> anyhow::Result<()> {
    let mut conn = options
        .clone()
        .disable_statement_logging()
        .connect()
        .await?;
    prepare_session(&mut conn).await?;
    MIGRATOR
        .run(&mut conn)
        .await
        .context("applying migrations")?;
    let started = std::time::Instant::now();
    let mut summed = 0;
    let progress = |n: u64| {
        summed += n;
        tracing::info!(
            dossiers = summed,
            "summing the reports' pools with this version's rules"
        );
    };
    if let Some(dossiers) = crate::reports::repo::rebuild_pools(&mut conn, progress)
        .await
        .context("rebuilding the reports' pools")?
    {
        // new statistics for the planner: the migration that changed the rules may have
        // rewritten the facts, and the pools are new
        sqlx::raw_sql("analyze report_facts, report_pools, report_received")
            .execute(&mut conn)
            .await?;
        tracing::info!(
            dossiers,
            ms = started.elapsed().as_millis() as u64,
            "the reports' pools were summed again with this version's rules"
        );
    }
    conn.close().await.ok();
    Ok(())
}

/// Connects to the server's `postgres` database and creates ours when it is not there.
async fn create_if_missing(settings: &Settings) -> Result<(), sqlx::Error> {
    let url = if settings.migration_database_url.is_empty() {
        &settings.database_url
    } else {
        &settings.migration_database_url
    };
    let options = connect_options(url)?;
    let name = options.get_database().unwrap_or("motcua").to_owned();
    let mut admin = options.database("postgres").connect().await?;
    let exists: bool =
        sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
            .bind(&name)
            .fetch_one(&mut admin)
            .await?;
    if !exists {
        tracing::info!(database = %name, "creating the database");
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        sqlx::query(sqlx::AssertSqlSafe(format!("create database {quoted}")))
            .execute(&mut admin)
            .await?;
    }
    admin.close().await
}

/// Parses the URL. A URL without a user name connects as `PGUSER`, else as the login user
/// (`USER`), like psql does.
pub fn connect_options(url: &str) -> Result<PgConnectOptions, sqlx::Error> {
    let options: PgConnectOptions = url.parse()?;
    let authority = url
        .split_once("://")
        .map_or("", |(_, rest)| rest.split(['/', '?']).next().unwrap_or(""));
    if authority.contains('@') || std::env::var_os("PGUSER").is_some() {
        return Ok(options);
    }
    match login_user() {
        Some(user) => Ok(options.username(&user)),
        None => Ok(options),
    }
}

/// The login user: `USER`, `LOGNAME`, or the passwd entry of this process's uid.
fn login_user() -> Option<String> {
    let from_env = ["USER", "LOGNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|u| !u.is_empty());
    from_env.or_else(|| {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let uid = std::fs::metadata("/proc/self").ok()?.uid().to_string();
            let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
            passwd.lines().find_map(|line| {
                let mut parts = line.split(':');
                let name = parts.next()?;
                (parts.nth(1)? == uid).then(|| name.to_owned())
            })
        }
        #[cfg(not(unix))]
        None
    })
}

/// Options of the pool's connections ([`connect_options`]). Statements keep PostgreSQL's
/// plan caching; the catalogue search alone plans with its actual words
/// (`catalogue::repo::search`).
pub fn pool_connect_options(url: &str) -> Result<PgConnectOptions, sqlx::Error> {
    connect_options(url)
}

/// The province's time zone, for every session on the portal's database: `current_date`
/// and a timestamp's `::date` are Vietnam's day, as the portal's own dates are
/// (`deadlines::calendar::to_local`). sqlx starts every session in UTC, where from 0:00 to
/// 7:00 Vietnamese time the database's day was still yesterday: a procedure version
/// published "from today" was not in force yet.
pub const TIME_ZONE: &str = "Asia/Ho_Chi_Minh";

/// Sets a new connection to the province's [`TIME_ZONE`] (sqlx sends `TimeZone=UTC` in the
/// start-up packet, after any `-c` option, so it cannot be given with the URL).
pub async fn prepare_session(conn: &mut sqlx::PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("select set_config('TimeZone', $1, false)")
        .bind(TIME_ZONE)
        .execute(conn)
        .await?;
    Ok(())
}

/// The role the portal's queries run as (created by the migrations, which run as the owner):
/// every table to read and write, but no UPDATE, DELETE or TRUNCATE on the append-only ones
/// (the audit log, dossiers' and gateways' histories, receipts, refunds, feedback steps,
/// officials' reads), so that no code of the portal, nor an injected statement, can rewrite
/// them. In production the portal's login is this role or a member of it, never the owner.
pub const WRITER_ROLE: &str = "motcua_writer";

/// Prepares a pooled session and takes the [`WRITER_ROLE`].
pub async fn prepare_writer_session(conn: &mut sqlx::PgConnection) -> Result<(), sqlx::Error> {
    prepare_session(conn).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("set role {WRITER_ROLE}")))
        .execute(conn)
        .await?;
    Ok(())
}

/// What every pool of the portal on its database starts from: its sessions prepared
/// ([`prepare_session`]) and running as the [`WRITER_ROLE`].
pub fn pool_options() -> PgPoolOptions {
    PgPoolOptions::new().after_connect(|conn, _| Box::pin(prepare_writer_session(conn)))
}

/// A pool as the owner (the role of the URL): migrations and maintenance only.
pub fn owner_pool_options() -> PgPoolOptions {
    PgPoolOptions::new().after_connect(|conn, _| Box::pin(prepare_session(conn)))
}

/// A pool on the configured database, without touching its schema.
pub async fn connect(settings: &Settings) -> Result<PgPool, sqlx::Error> {
    let options = pool_connect_options(&settings.database_url)?;
    pool_options()
        .max_connections(settings.db_max_connections)
        .acquire_timeout(Duration::from_secs(5))
        // sqlx pings every connection it hands out by default: a round trip to the server
        // for each acquire, and a busy request acquires several. A connection that was in
        // use within the last half minute is handed out as it is (a broken one fails its
        // statement, as it could right after a ping); one idle for longer, which a server
        // restart or a firewall may have cut, is pinged first.
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for > IDLE_BEFORE_PING {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
        .connect_with(options.application_name("motcua"))
        .await
}

/// How long a pooled connection may sit idle before it is pinged when next acquired.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(30);

/// A connection of its own, beside `pool`, for batch work whose statements are slow by design
/// (generators, drains, the summing of the reports' pools, vacuum and analyze): not worth a
/// slow-statement warning each; it runs as the role of the URL (the owner in development).
pub async fn batch_connection(pool: &PgPool) -> Result<sqlx::PgConnection, sqlx::Error> {
    let mut conn = (*pool.connect_options())
        .clone()
        .disable_statement_logging()
        .connect()
        .await?;
    prepare_session(&mut conn).await?;
    Ok(conn)
}

/// True when every embedded migration has been applied (for `/readyz`).
pub async fn migrations_current(pool: &PgPool) -> Result<bool, sqlx::Error> {
    let applied: Vec<i64> =
        sqlx::query_scalar("select version from _sqlx_migrations where success order by version")
            .fetch_all(pool)
            .await?;
    let expected: Vec<i64> = MIGRATOR
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
        .map(|m| m.version)
        .collect();
    Ok(expected.iter().all(|v| applied.contains(v)))
}

fn classify(error: &sqlx::Error, shown: &str) -> DbError {
    match error {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut => DbError::Unreachable(shown.to_owned()),
        sqlx::Error::Database(db)
            if matches!(db.code().as_deref(), Some("28000" | "28P01" | "42501")) =>
        {
            DbError::RoleRefused(shown.to_owned())
        }
        other => DbError::Other(anyhow::anyhow!("{other}")),
    }
}
