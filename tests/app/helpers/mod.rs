//! Shared test helpers: a fresh database per test, the app around it, HTML assertions.

pub mod html;
pub mod session;
pub mod smtp;
pub mod test_db;

use axum_test::TestServer;
use motcua::{AppState, Settings};

pub use test_db::TestDb;

/// The id at the end of a dossier's address (`/account/dossiers/{id}`).
pub fn dossier_id(url: &str) -> uuid::Uuid {
    url.rsplit('/')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no dossier id in {url}"))
}

/// The demo's sample dossiers by procedure, with the codes the tests name them by. The demo
/// dates each code by the day it was submitted (days before the load); the tests pin them to
/// fixed codes so that assertions can name a sample whatever day they run.
const SAMPLE_CODES: &[(&str, &str)] = &[
    ("1.004222", "000.00.00.H48-251103-0001"),
    ("2.000815", "000.00.00.H48-251110-0002"),
    ("1.004194", "000.00.00.H48-251117-0003"),
    ("1.004873", "000.00.00.H48-251120-0004"),
    ("1.000656", "000.00.00.H48-251124-0005"),
    ("1.001193", "000.00.00.H48-251126-0006"),
    ("2.000635", "000.00.00.H48-251127-0007"),
    ("1.001612", "000.00.00.H48-251101-0008"),
    ("1.004884", "000.00.00.H48-251102-0009"),
    ("2.000908", "000.00.00.H48-251104-0010"),
    ("2.000986", "000.00.00.H48-251105-0011"),
    ("1.012768", "000.00.00.H48-251106-0012"),
    ("1.013227", "000.00.00.H48-251107-0013"),
    ("1.014027", "000.00.00.H48-251108-0014"),
    ("1.014137", "000.00.00.H48-251109-0015"),
];

/// Loads the demo data, its sample dossiers under the tests' fixed codes.
pub async fn load_demo(pool: &sqlx::PgPool) {
    motcua::demo::load(pool).await.expect("demo data loads");
    let (procedures, codes): (Vec<&str>, Vec<&str>) = SAMPLE_CODES.iter().copied().unzip();
    sqlx::query(
        "update dossiers d set code = s.code from unnest($1::text[], $2::text[]) s(procedure, code), \
           procedure_versions v, citizens c \
         where v.id = d.procedure_version_id and v.code = s.procedure and c.id = d.citizen_id \
           and c.phone = $3 and d.code like '000.00.00.H48-%-0001'",
    )
    .bind(&procedures)
    .bind(&codes)
    .bind(motcua::demo::DEMO_CITIZEN.0)
    .execute(pool)
    .await
    .expect("the samples' codes");
}

/// The real router over a fresh database loaded with the demo catalogue.
pub struct TestApp {
    pub server: TestServer,
    pub db: TestDb,
    pub settings: Settings,
    /// The state the router serves (for jobs the tests run by hand).
    pub state: AppState,
}

impl TestApp {
    /// A fresh database with migrations and the demo catalogue, and the router over it.
    pub async fn with_demo() -> Self {
        let db = TestDb::new().await;
        load_demo(&db.pool).await;
        Self::over(db)
    }

    /// As `with_demo`, but the app gets a pool of a single connection (3 s to acquire it): a
    /// request that holds a connection while it waits for a second one fails instead of
    /// passing because the pool had room to spare.
    pub async fn with_demo_on_one_connection() -> Self {
        let mut db = TestDb::new().await;
        load_demo(&db.pool).await;
        db.pool = motcua::db::pool_options()
            .max_connections(1)
            .acquire_timeout(std::time::Duration::from_secs(3))
            .connect_with(motcua::db::pool_connect_options(&db.url).expect("test URL parses"))
            .await
            .expect("connect to the test database");
        Self::over(db)
    }

    /// As `with_demo`, with the back office's clock fixed at `at` (move it with
    /// `app.state.clock.set`): a test of a time of day passes that time itself.
    pub async fn with_demo_at(at: chrono::DateTime<chrono::Utc>) -> Self {
        let db = TestDb::new().await;
        load_demo(&db.pool).await;
        Self::build(db, |_| {}, motcua::kernel::Clock::fixed(at))
    }

    /// The router over a database prepared by the caller.
    pub fn over(db: TestDb) -> Self {
        Self::configured(db, |_| {})
    }

    /// A second client (its own cookies) on the same database, as another person would be.
    pub fn over_same(other: &TestApp) -> TestApp {
        let settings = other.settings.clone();
        let mut state = AppState::new(other.db.pool.clone(), settings);
        // the same clock: a fixed one moves for both
        state.clock = other.state.clock.clone();
        let router = motcua::routes::router(state.clone());
        let server = TestServer::builder().save_cookies().build(router);
        TestApp {
            server,
            db: other.db.share(),
            settings: other.settings.clone(),
            state,
        }
    }

    /// The router with test settings changed by `configure`.
    pub fn configured(db: TestDb, configure: impl FnOnce(&mut Settings)) -> Self {
        Self::build(db, configure, motcua::kernel::Clock::system())
    }

    fn build(
        db: TestDb,
        configure: impl FnOnce(&mut Settings),
        clock: motcua::kernel::Clock,
    ) -> Self {
        if std::env::var_os("TEST_LOG").is_some() {
            motcua::telemetry::init(motcua::config::LogFormat::Pretty);
        }
        let mut settings = Settings::for_tests(&db.url);
        settings.upload_dir = std::env::temp_dir()
            .join(format!("motcua-uploads-{}", uuid::Uuid::new_v4().simple()))
            .display()
            .to_string();
        configure(&mut settings);
        let mut state = AppState::new(db.pool.clone(), settings.clone());
        state.clock = clock;
        let router = motcua::routes::router(state.clone());
        let server = TestServer::builder().save_cookies().build(router);
        Self {
            server,
            db,
            settings,
            state,
        }
    }
}

/// A second client on the same database, signed in as the demo official `username`.
pub async fn official(app: &TestApp, username: &str) -> TestApp {
    let client = TestApp::over_same(app);
    session::sign_in_staff(&client, username).await;
    client
}

/// The text of a PDF, by Debian's pdftotext (poppler-utils); None where it is not installed
/// (outside CI only: CI installs it with .ci/browser).
pub fn pdf_text(pdf: &[u8]) -> Option<String> {
    let installed = std::path::Path::new("/usr/bin/pdftotext").exists();
    if !installed {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI needs pdftotext (poppler-utils, .ci/browser)"
        );
        eprintln!("SKIPPED PDF text check: install poppler-utils");
        return None;
    }
    let path = std::env::temp_dir().join(format!("motcua-{}.pdf", uuid::Uuid::new_v4().simple()));
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("/usr/bin/pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    Some(String::from_utf8(out.stdout).unwrap())
}
