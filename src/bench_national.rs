//! `motcua bench-national`: the figures of the national exchange, over real HTTP on loopback
//! between the portal and the national sandbox, both served by this process on free ports:
//!
//! 1. intake: a burst of dossiers filed on the sandbox, each with one small attachment, pushed
//!    to the portal (signed) and taken in; dossiers per second, none lost or doubled;
//! 2. sync throughput: every change those dossiers made, delivered to the sandbox by the sync
//!    worker's pass (`national::sync::run_once`); changes per second;
//! 3. an outage: the sandbox down for `--outage-seconds`, while state changes are made on
//!    `--outage-dossiers` dossiers, five each, spread over the outage; the worker running as in
//!    the server; after the sandbox comes back, how long until every change arrived, and whether
//!    each arrived exactly once and in order;
//! 4. lag in normal running: changes made at a steady rate for `--steady-seconds`, the worker
//!    polling every `dvcqg_poll_ms` (1 s by default); p50 and p99 of the time from a change to
//!    its delivery.
//!
//! It loads the demo data into the configured database: use a scratch `DATABASE_URL`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use base64::Engine as _;
use indicatif::{ProgressBar, ProgressStyle};
use sqlx::PgPool;

use crate::national::links::Links;
use crate::national::sandbox::{self, Sandbox};
use crate::national::sandbox_citizen::{Attachment, Filing, file};
use crate::national::sync::{self, NationalClient};
use crate::{AppState, Settings, demo, routes};

/// What to measure (the command line's options).
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub dossiers: usize,
    pub concurrency: usize,
    pub outage_seconds: u64,
    pub outage_dossiers: usize,
    pub steady_seconds: u64,
}

/// Birth registration at UBND phường Cẩm Thành (demo data).
const PROCEDURE: &str = "1.001193";
const AGENCY: &str = "000.00.71.H48";

fn bar(len: u64, message: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(message.to_owned());
    bar
}

async fn serve(listener: tokio::net::TcpListener, router: axum::Router) {
    if let Err(error) = axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
    {
        tracing::warn!(%error, "bench server stopped");
    }
}

async fn fault(db: &PgPool, mode: &str) -> anyhow::Result<()> {
    sqlx::query("update dvcqg_sandbox.faults set mode = $1")
        .bind(mode)
        .execute(db)
        .await?;
    Ok(())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied().unwrap_or(f64::NAN)
}

/// Runs the benchmark against the configured database (demo data loaded first).
pub async fn run(mut settings: Settings, plan: Plan) -> anyhow::Result<()> {
    let db = crate::db::connect_developer(&settings).await?;
    demo::load(&db).await?;
    sandbox::prepare(&db).await?;
    // the exchange starts empty: what an earlier run left is not measured again
    sqlx::raw_sql(
        "truncate dvcqg_sandbox.dossiers, dvcqg_sandbox.statuses, dvcqg_sandbox.progress, \
           dvcqg_sandbox.filed, dvcqg_sandbox.files, dvcqg_sandbox.counters; \
         update dvcqg_sandbox.faults set mode = 'normal'; \
         delete from national_sync_outbox; delete from national_sync_state; \
         delete from national_inbox; delete from dossiers where source_system = 'dvcqg'",
    )
    .execute(&db)
    .await?;
    let national_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let national = format!("http://{}", national_listener.local_addr()?);
    let portal_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let portal = format!("http://{}", portal_listener.local_addr()?);
    settings.dvcqg_url = national.clone();
    settings.dvcqg_intake = "push".to_owned();
    settings.public_origin = portal.clone();
    let state = AppState::new(db.clone(), settings.clone());
    tokio::spawn(serve(portal_listener, routes::router(state)));
    // the national side is another system: its own connections
    let national_db = crate::db::pool_options()
        .max_connections(16)
        .connect_with(crate::db::pool_connect_options(&settings.database_url)?)
        .await?;
    let sandbox = Sandbox {
        db: national_db.clone(),
        username: settings.dvcqg_username.clone(),
        password: settings.dvcqg_password.clone(),
        portal: portal.clone(),
        push_secret: settings.dvcqg_push_secret.clone(),
        http: reqwest::Client::new(),
        origin: national.clone(),
        sso: crate::national::sandbox_sso::SsoClient::of(&settings),
        pay: crate::national::sandbox_pay::PayPartner::of(&settings),
    };
    tokio::spawn(serve(national_listener, sandbox::router(sandbox.clone())));
    let client = Arc::new(NationalClient::from_settings(&settings)?.context("configured")?);
    let links = Links::new(&portal, &settings.national_link_secret);
    println!("Portal {portal}, national sandbox {national} (loopback HTTP).");

    // 1. intake
    let pdf = base64::engine::general_purpose::STANDARD.encode(
        b"%PDF-1.4\n% a small scanned form, about two kilobytes once padded\n%%EOF\n".repeat(30),
    );
    let progress = bar(plan.dossiers as u64, "intake");
    let started = Instant::now();
    let per_worker = plan.dossiers.div_ceil(plan.concurrency);
    let mut workers = Vec::new();
    for w in 0..plan.concurrency {
        let sandbox = sandbox.clone();
        let national = national.clone();
        let pdf = pdf.clone();
        let progress = progress.clone();
        let n = per_worker.min(plan.dossiers.saturating_sub(w * per_worker));
        workers.push(tokio::spawn(async move {
            let mut refused = 0usize;
            for i in 0..n {
                let filing = Filing {
                    code: None,
                    procedure_code: PROCEDURE.to_owned(),
                    agency_code: AGENCY.to_owned(),
                    owner: "Nguyễn Thị Thử".to_owned(),
                    owner_id: format!("{:012}", 800_000_000_000u64 + (w * per_worker + i) as u64),
                    phone: "0905000000".to_owned(),
                    email: String::new(),
                    address: "Phường Cẩm Thành".to_owned(),
                    summary: "Đăng ký khai sinh".to_owned(),
                    answers: serde_json::Map::new(),
                    documents: vec![Attachment {
                        name: "to-khai.pdf".to_owned(),
                        base64: pdf.clone(),
                        as_link: false,
                        position: Some(1),
                    }],
                };
                let filed = file(&sandbox, &national, filing).await?;
                if filed.pushes.first().map(|p| p.0) != Some(200) {
                    refused += 1;
                }
                progress.inc(1);
            }
            anyhow::Ok(refused)
        }));
    }
    let mut refused = 0;
    for w in workers {
        refused += w.await??;
    }
    let took = started.elapsed();
    progress.finish_and_clear();
    let (taken, distinct): (i64, i64) = sqlx::query_as(
        "select count(*), count(distinct external_code) from dossiers where source_system = 'dvcqg'",
    )
    .fetch_one(&db)
    .await?;
    let filed: i64 = sqlx::query_scalar("select count(*) from dvcqg_sandbox.filed")
        .fetch_one(&db)
        .await?;
    println!(
        "1. intake: {} dossiers pushed in {:.1} s = {:.0} dossiers/s (1 attachment each); taken {taken} (distinct codes {distinct}) of {filed} filed; refused {refused}",
        plan.dossiers,
        took.as_secs_f64(),
        plan.dossiers as f64 / took.as_secs_f64(),
    );
    if taken != filed || distinct != taken || refused > 0 {
        return Err(anyhow!("intake lost or doubled dossiers"));
    }

    // 2. sync throughput: every change of the intake, in the worker's passes
    let waiting: i64 =
        sqlx::query_scalar("select count(*) from national_sync_outbox where delivered_at is null")
            .fetch_one(&db)
            .await?;
    let started = Instant::now();
    let mut delivered = 0u64;
    loop {
        let pass = sync::run_once(&db, &client, &links).await?;
        delivered += pass.delivered;
        if pass.delivered == 0 {
            break;
        }
    }
    let took = started.elapsed();
    let left: i64 =
        sqlx::query_scalar("select count(*) from national_sync_outbox where delivered_at is null")
            .fetch_one(&db)
            .await?;
    println!(
        "2. sync: {waiting} changes of {delivered} dossiers delivered in {:.1} s = {:.0} changes/s; {left} left",
        took.as_secs_f64(),
        waiting as f64 / took.as_secs_f64(),
    );

    // the worker as the server runs it, from here on
    let poll = Duration::from_millis(settings.dvcqg_poll_ms.max(100));
    let worker = {
        let (db, client, links) = (db.clone(), client.clone(), links.clone());
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(poll);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let _ = sync::run_once(&db, &client, &links).await;
            }
        })
    };

    // 3. an outage
    let ids: Vec<uuid::Uuid> = sqlx::query_scalar(
        "select id from dossiers where source_system = 'dvcqg' order by code limit $1",
    )
    .bind(i64::try_from(plan.outage_dossiers)?)
    .fetch_all(&db)
    .await?;
    let changes = ids.len() * 5;
    fault(&db, "down").await?;
    let outage_started = Instant::now();
    let made = bar(changes as u64, "changes while the national portal is down");
    let gap = Duration::from_secs(plan.outage_seconds).div_f64(changes.max(1) as f64);
    for round in 1..=5 {
        for id in &ids {
            sqlx::query(
                "insert into dossier_events (dossier_id, from_status, to_status, actor_kind, note) \
                 values ($1, 'submitted', 'submitted', 'system', $2)",
            )
            .bind(id)
            .bind(format!("Thay đổi {round}/5"))
            .execute(&db)
            .await?;
            made.inc(1);
            tokio::time::sleep(gap).await;
        }
    }
    made.finish_and_clear();
    let rest = Duration::from_secs(plan.outage_seconds).saturating_sub(outage_started.elapsed());
    tokio::time::sleep(rest).await;
    fault(&db, "normal").await?;
    let back = Instant::now();
    let drain = bar(
        changes as u64,
        "delivered after the national portal came back",
    );
    loop {
        let arrived: i64 = sqlx::query_scalar(
            "select count(*) from national_sync_outbox where dossier_id = any($1) \
               and delivered_at is not null and event_id in (select id from dossier_events \
               where dossier_id = any($1) and note like 'Thay đổi %')",
        )
        .bind(&ids)
        .fetch_one(&db)
        .await?;
        drain.set_position(u64::try_from(arrived).unwrap_or(0));
        if arrived as usize >= changes || back.elapsed() > Duration::from_secs(3600) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    drain.finish_and_clear();
    let drained = back.elapsed();
    // what the nation holds: each change once, in order, per dossier
    let received: Vec<(String, i64, Vec<String>)> = sqlx::query_as(
        "select p.code, count(*), array_agg(p.item->>'NoiDungXuLy' order by p.id) \
         from dvcqg_sandbox.progress p join dossiers d on d.code = p.code \
         where d.id = any($1) and p.item->>'NoiDungXuLy' like 'Thay đổi %' group by p.code",
    )
    .bind(&ids)
    .fetch_all(&db)
    .await?;
    let expected: Vec<String> = (1..=5).map(|r| format!("Thay đổi {r}/5")).collect();
    let in_order = received
        .iter()
        .filter(|(_, n, items)| *n == 5 && *items == expected)
        .count();
    println!(
        "3. outage: {changes} changes on {} dossiers during {} s down; all arrived {:.1} s after it came back (the back-off after the last failed attempt); {in_order} of {} dossiers hold their 5 changes exactly once and in order",
        ids.len(),
        plan.outage_seconds,
        drained.as_secs_f64(),
        ids.len(),
    );

    // 4. lag in normal running
    let steady_from = chrono::Utc::now();
    let per_second = 20u64;
    let total = plan.steady_seconds * per_second;
    let steady = bar(total, "changes at a steady rate");
    for n in 0..total {
        let id = ids
            .get(n as usize % ids.len().max(1))
            .copied()
            .context("dossiers for the steady run")?;
        sqlx::query(
            "insert into dossier_events (dossier_id, from_status, to_status, actor_kind, note) \
             values ($1, 'submitted', 'submitted', 'system', 'Ghi chú định kỳ')",
        )
        .bind(id)
        .execute(&db)
        .await?;
        steady.inc(1);
        tokio::time::sleep(Duration::from_millis(1000 / per_second)).await;
    }
    steady.finish_and_clear();
    tokio::time::sleep(poll * 5).await;
    worker.abort();
    let mut lags: Vec<f64> = sqlx::query_scalar(
        "select extract(epoch from delivered_at - created_at)::float8 from national_sync_outbox \
         where created_at >= $1 and delivered_at is not null",
    )
    .bind(steady_from)
    .fetch_all(&db)
    .await?;
    lags.sort_by(f64::total_cmp);
    println!(
        "4. lag: {} changes at {per_second}/s, polling every {} ms: p50 {:.2} s, p99 {:.2} s, max {:.2} s",
        lags.len(),
        poll.as_millis(),
        percentile(&lags, 0.5),
        percentile(&lags, 0.99),
        lags.last().copied().unwrap_or(f64::NAN),
    );
    Ok(())
}
