//! The `motcua` command line: `serve`, `demo`, `migrate`, `create-admin`, `generate`,
//! `generate-dossiers`, `refresh-reports`, `bench-submission`.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::{App, Settings, db, demo, generate_dossiers, telemetry};

#[derive(Parser)]
#[command(
    name = "motcua",
    version,
    about = "Một Cửa — the province's one-stop public-service portal"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations and serve the portal.
    Serve(ServeArgs),
    /// Apply migrations, load the demo data (idempotent), print the URL and demo accounts, serve.
    Demo(ServeArgs),
    /// Apply pending migrations and exit.
    Migrate,
    /// Create a system administrator (the first one of a new deployment). The password is typed
    /// twice without echo, or read from the first line of standard input; never printed.
    CreateAdmin {
        /// User name to sign in with (lower-case letters, digits, `.`, `-`, `_`).
        #[arg(long)]
        username: String,
        /// Full name, as the header and the audit log show it.
        #[arg(long)]
        full_name: String,
        /// Slug of the agency the role is held at (the provincial People's Committee).
        #[arg(long)]
        agency: String,
    },
    /// Benchmark online submission (one 1 MB attachment each) and "My dossiers" in-process.
    BenchSubmission {
        /// How many dossiers to file.
        #[arg(long, default_value_t = 1000)]
        dossiers: usize,
        /// Concurrent sessions.
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
    },
    /// Benchmark the national exchange over loopback HTTP: intake, sync throughput, an outage,
    /// the lag in normal running (use a scratch DATABASE_URL).
    BenchNational {
        /// Dossiers filed on the sandbox and pushed to the portal.
        #[arg(long, default_value_t = 10_000)]
        dossiers: usize,
        /// Concurrent filings.
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
        /// How long the national portal is down.
        #[arg(long, default_value_t = 300)]
        outage_seconds: u64,
        /// Dossiers changed five times each during the outage (500 changes by default).
        #[arg(long, default_value_t = 100)]
        outage_dossiers: usize,
        /// Seconds of steady changes (20 a second) for the lag.
        #[arg(long, default_value_t = 30)]
        steady_seconds: u64,
    },
    /// Load the demo data, then add generated procedures for load tests (idempotent).
    Generate {
        /// How many generated procedures the catalogue should hold.
        #[arg(long, default_value_t = 100_000)]
        procedures: u32,
    },
    /// Load the demo data, then add generated dossiers for back-office load tests (tops up).
    GenerateDossiers {
        /// How many generated dossiers the database should hold.
        #[arg(long, default_value_t = 1_000_000)]
        count: u64,
    },
    /// Serve the stand-in for the National Public Service Portal (DVCQG) that development,
    /// the demo and the tests exchange with; never in production.
    DvcqgSandbox {
        /// Address to listen on (default from config: 127.0.0.1:8090).
        #[arg(long)]
        addr: Option<SocketAddr>,
    },
    /// Bring the reports' figures up to date with every queued change (the server does it in
    /// the background too), showing progress.
    RefreshReports,
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on (default from config: 127.0.0.1:8080).
    #[arg(long)]
    addr: Option<SocketAddr>,
}

impl ServeArgs {
    /// `--addr` moves the server, and the links it gives out, unless an origin was configured.
    fn apply(&self, settings: &mut Settings) {
        if let Some(addr) = self.addr {
            settings.addr = addr;
            if std::env::var_os("MOTCUA_PUBLIC_ORIGIN").is_none() {
                settings.public_origin = format!("http://{addr}");
            }
        }
    }
}

/// Runs the command line and turns failures into one readable sentence.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(error) => {
            eprintln!("motcua: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("motcua: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    // demo data, generators and benchmarks belong to a developer's machine
    let developer_only = matches!(
        cli.command,
        Command::Demo(_)
            | Command::DvcqgSandbox { .. }
            | Command::Generate { .. }
            | Command::GenerateDossiers { .. }
            | Command::BenchSubmission { .. }
            | Command::BenchNational { .. }
    );
    if developer_only && std::env::var("MOTCUA_ENV").is_ok_and(|env| env == "production") {
        anyhow::bail!(
            "demo data, generators and benchmarks never run in production: unset MOTCUA_ENV or set it to development"
        );
    }
    let mut settings = if developer_only {
        Settings::load_or_development()?
    } else {
        Settings::load()?
    };
    telemetry::init(settings.log_format);
    match cli.command {
        Command::Migrate => {
            production_database(&settings).await?;
            println!("Migrations are up to date.");
            Ok(())
        }
        Command::Serve(args) => {
            args.apply(&mut settings);
            let pool = production_database(&settings).await?;
            serve(settings, pool, false).await
        }
        Command::CreateAdmin {
            username,
            full_name,
            agency,
        } => {
            let pool = production_database(&settings).await?;
            let secret = crate::admin::bootstrap::read_password()?;
            crate::admin::bootstrap::create_system_admin(
                &pool, &username, &full_name, &agency, secret,
            )
            .await?;
            println!("The system administrator {username} can sign in at /staff/login.");
            Ok(())
        }
        Command::Demo(args) => {
            args.apply(&mut settings);
            let pool = db::connect_developer(&settings).await?;
            demo::load(&pool).await?;
            start_national_sandbox(&mut settings, &pool).await;
            serve(settings, pool, true).await
        }
        Command::DvcqgSandbox { addr } => {
            let pool = db::connect_developer(&settings).await?;
            let addr = addr.unwrap_or(settings.dvcqg_sandbox_addr);
            let mut sandbox = sandbox_of(&settings, pool);
            sandbox.origin = format!("http://{addr}");
            crate::national::sandbox::serve(addr, sandbox).await
        }
        Command::BenchSubmission {
            dossiers,
            concurrency,
        } => crate::bench::run(settings, dossiers, concurrency.max(1)).await,
        Command::BenchNational {
            dossiers,
            concurrency,
            outage_seconds,
            outage_dossiers,
            steady_seconds,
        } => {
            crate::bench_national::run(
                settings,
                crate::bench_national::Plan {
                    dossiers: dossiers.max(1),
                    concurrency: concurrency.max(1),
                    outage_seconds,
                    outage_dossiers: outage_dossiers.max(1),
                    steady_seconds,
                },
            )
            .await
        }
        Command::Generate { procedures } => {
            let pool = db::connect_developer(&settings).await?;
            demo::load(&pool).await?;
            demo::generate(&pool, procedures).await
        }
        Command::GenerateDossiers { count } => {
            let pool = db::connect_developer(&settings).await?;
            demo::load(&pool).await?;
            generate_dossiers::generate(&pool, count).await?;
            crate::reports::refresh_all(&pool).await?;
            Ok(())
        }
        Command::RefreshReports => {
            let pool = db::connect_and_migrate(&settings).await?;
            let taken = crate::reports::refresh_all(&pool).await?;
            println!("The reports' figures are up to date ({taken} queued changes taken).");
            Ok(())
        }
    }
}

/// Connects and migrates; in production, marks the database as production's for good.
async fn production_database(settings: &Settings) -> anyhow::Result<sqlx::PgPool> {
    let pool = db::connect_and_migrate(settings).await?;
    if settings.is_production() {
        db::record_production(&pool).await?;
    }
    Ok(pool)
}

fn sandbox_of(settings: &Settings, pool: sqlx::PgPool) -> crate::national::sandbox::Sandbox {
    crate::national::sandbox::Sandbox {
        db: pool,
        username: settings.dvcqg_username.clone(),
        password: settings.dvcqg_password.clone(),
        // a portal that takes pushes gets them; one that pulls finds them listed
        portal: if settings.dvcqg_intake == "push" {
            settings.public_origin.clone()
        } else {
            String::new()
        },
        push_secret: settings.dvcqg_push_secret.clone(),
        http: reqwest::Client::new(),
        origin: format!("http://{}", settings.dvcqg_sandbox_addr),
        sso: crate::national::sandbox_sso::SsoClient::of(settings),
        pay: crate::national::sandbox_pay::PayPartner::of(settings),
    }
}

/// The demo shows the whole exchange: the national sandbox beside the portal (in its own
/// schema of the demo database), and the portal pointed at it unless another national
/// endpoint is configured.
async fn start_national_sandbox(settings: &mut Settings, pool: &sqlx::PgPool) {
    if !settings.dvcqg_url.is_empty() {
        return;
    }
    let addr = settings.dvcqg_sandbox_addr;
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(error) => {
            println!(
                "The national portal sandbox could not listen on {addr} ({error}); dossier changes wait in the outbox."
            );
            return;
        }
    };
    let sandbox = sandbox_of(settings, pool.clone());
    if let Err(error) = crate::national::sandbox::prepare(&sandbox.db).await {
        println!("The national portal sandbox could not prepare its tables: {error}");
        return;
    }
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, crate::national::sandbox::router(sandbox)).await {
            tracing::warn!(%error, "the national portal sandbox stopped");
        }
    });
    settings.dvcqg_url = format!("http://{addr}");
    if settings.dvcqg_sso_issuer.is_empty() {
        settings.dvcqg_sso_issuer = format!("http://{addr}");
    }
    if settings.dvcqg_pay_url.is_empty() {
        settings.dvcqg_pay_url = format!("http://{addr}");
    }
    println!("National portal sandbox (DVCQG): http://{addr}/");
}

async fn serve(settings: Settings, pool: sqlx::PgPool, demo: bool) -> anyhow::Result<()> {
    let app = App::build(settings, pool.clone()).await?;
    let addr = app.local_addr()?;
    println!("Một Cửa is running at http://{addr}/");
    if demo {
        println!("{}", demo::accounts_note());
        if let Some(code) = demo::sample_code(&pool).await? {
            println!(
                "Track a sample dossier at http://{addr}/tra-cuu: code {code}, PIN {}",
                demo::SAMPLE_PIN
            );
        }
    }
    println!("Press Ctrl-C to stop.");
    app.run().await
}
