//! `motcua bench-submission`: how many dossiers per second the portal takes, each with one
//! 1 MB attachment, driving the real router (sessions in PostgreSQL, CSRF, multipart, storage,
//! the submission transaction) in-process, without the network, each concurrent session a
//! citizen of its own; then the p99 of "My dossiers" for one citizen given them all.

use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{Method, Request, Response, header};
use tower::ServiceExt;

use crate::{AppState, Settings, demo, routes};

/// The procedure filed: temporary residence (online, one mandatory document, no own fields).
const PROCEDURE: &str = "1.004194";

struct Client {
    router: Router,
    cookie: String,
    csrf: String,
}

fn session_cookie(response: &Response<Body>) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("motcua_sid="))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned)
}

async fn body_text(response: Response<Body>) -> anyhow::Result<String> {
    let bytes = axum::body::to_bytes(response.into_body(), 4 * 1024 * 1024).await?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn find_csrf(html: &str) -> Option<String> {
    let start = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    Some(html[start..].split('"').next()?.to_owned())
}

impl Client {
    async fn send(
        &mut self,
        method: Method,
        uri: &str,
        content_type: Option<&str>,
        body: Body,
    ) -> anyhow::Result<Response<Body>> {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, "127.0.0.1")
            .header(header::COOKIE, &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .header("sec-fetch-site", "same-origin");
        if let Some(ct) = content_type {
            request = request.header(header::CONTENT_TYPE, ct);
        }
        let response = self.router.clone().oneshot(request.body(body)?).await?;
        if let Some(cookie) = session_cookie(&response) {
            self.cookie = cookie;
        }
        Ok(response)
    }

    async fn get(&mut self, uri: &str) -> anyhow::Result<String> {
        let response = self.send(Method::GET, uri, None, Body::empty()).await?;
        body_text(response).await
    }

    async fn form(&mut self, uri: &str, fields: &[(&str, &str)]) -> anyhow::Result<String> {
        let body = serde_urlencoded::to_string(fields)?;
        let response = self
            .send(
                Method::POST,
                uri,
                Some("application/x-www-form-urlencoded"),
                Body::from(body),
            )
            .await?;
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        if !status.is_redirection() {
            return Err(anyhow!("{uri}: {status}: {}", body_text(response).await?));
        }
        Ok(location)
    }

    async fn refresh_csrf(&mut self, page: &str) -> anyhow::Result<()> {
        let html = self.get(page).await?;
        self.csrf = find_csrf(&html).ok_or_else(|| anyhow!("no form token on {page}"))?;
        Ok(())
    }
}

async fn sign_in(router: &Router, phone: &str) -> anyhow::Result<Client> {
    let mut client = Client {
        router: router.clone(),
        cookie: String::new(),
        csrf: String::new(),
    };
    client.refresh_csrf("/account/login").await?;
    client
        .form(
            "/account/login",
            &[("login", phone), ("password", demo::DEMO_PASSWORD)],
        )
        .await?;
    client.refresh_csrf("/account").await?;
    Ok(client)
}

/// The journey's requests, in order, for the time each takes.
const STEPS: [&str; 7] = [
    "start",
    "applicant",
    "details",
    "upload",
    "documents",
    "delivery",
    "submit",
];

/// How long each of the journey's requests took ([`STEPS`]).
type StepTimes = [Duration; STEPS.len()];

/// Files one dossier, going where the portal sends it (a procedure without questions of its
/// own has no details page); returns how long each of its requests took ([`STEPS`]), zero for
/// a step it was not asked.
async fn file_one(client: &mut Client, slot: i32, attachment: &Bytes) -> anyhow::Result<StepTimes> {
    let mut steps = StepTimes::default();
    let mut clock = Instant::now();
    let mut lap = |i: usize| {
        let now = Instant::now();
        steps[i] = now - clock;
        clock = now;
    };
    let draft = client
        .form("/account/dossiers", &[("procedure", PROCEDURE)])
        .await?;
    lap(0);
    let dossier = draft.trim_end_matches("/applicant").to_owned();
    let next = client
        .form(
            &format!("{dossier}/applicant"),
            &[
                ("applicant_name", "Nguyễn Văn An"),
                ("applicant_personal_id", "051090001234"),
                ("applicant_phone", "0912345678"),
                ("applicant_email", ""),
                ("applicant_address", "54 Hùng Vương"),
                ("applicant_unit", ""),
            ],
        )
        .await?;
    lap(1);
    if next.ends_with("/details") {
        client.form(&format!("{dossier}/details"), &[]).await?;
        lap(2);
    }
    // the file's bytes are shared, not copied per request: a browser's copy is not the
    // portal's work
    let boundary = "motcua-bench-boundary";
    let parts: [anyhow::Result<Bytes>; 3] = [
        Ok(Bytes::from(format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"giay-to.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
        ))),
        Ok(attachment.clone()),
        Ok(Bytes::from(format!("\r\n--{boundary}--\r\n"))),
    ];
    let uploaded = client
        .send(
            Method::POST,
            &format!("{dossier}/documents?slot={slot}"),
            Some(&format!("multipart/form-data; boundary={boundary}")),
            Body::from_stream(futures_util::stream::iter(parts)),
        )
        .await?;
    if !uploaded.status().is_redirection() {
        return Err(anyhow!("upload: {}", uploaded.status()));
    }
    lap(3);
    client
        .form(&format!("{dossier}/documents/done"), &[])
        .await?;
    lap(4);
    client
        .form(
            &format!("{dossier}/delivery"),
            &[
                ("paper_channel", "online_only"),
                ("result_channel", "counter"),
            ],
        )
        .await?;
    lap(5);
    let key = uuid::Uuid::new_v4().to_string();
    client
        .form(
            &format!("{dossier}/submit"),
            &[("declaration", "yes"), ("submit_key", &key)],
        )
        .await?;
    lap(6);
    Ok(steps)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied().unwrap_or_default()
}

/// Runs the benchmark against the configured database (demo data loaded first).
pub async fn run(settings: Settings, count: usize, concurrency: usize) -> anyhow::Result<()> {
    let db = crate::db::connect_developer(&settings).await?;
    demo::load(&db).await?;
    sqlx::query("update citizens set confirmed_at = now() where phone = '+84912345678'")
        .execute(&db)
        .await?;
    // one citizen per session, as on a real day: the demo citizen's copies, with the same
    // password, address and commune
    sqlx::query(
        "with demo as (select * from citizens where phone = '+84912345678'), \
         made as (insert into citizens (full_name, personal_id, phone, confirmed_at, address_line, admin_unit_id) \
           select demo.full_name, lpad((900000000000 + n)::text, 12, '0'), '+8490000' || lpad(n::text, 4, '0'), \
                  now(), demo.address_line, demo.admin_unit_id \
           from demo, generate_series(1, $1) n returning id) \
         insert into citizen_credentials (citizen_id, password_hash) \
         select made.id, k.password_hash from made, citizen_credentials k \
         where k.citizen_id = (select id from demo)",
    )
    .bind(i32::try_from(concurrency)?)
    .execute(&db)
    .await?;
    let slot: i32 = sqlx::query_scalar(
        "select d.position from procedure_documents d join procedure_versions v on v.id = d.version_id \
         where v.code = $1 and d.mandatory order by d.position limit 1",
    )
    .bind(PROCEDURE)
    .fetch_one(&db)
    .await
    .context("the benchmark's procedure")?;
    let router = routes::router(AppState::new(db.clone(), settings));
    let mut attachment = b"%PDF-1.4\n".to_vec();
    attachment.resize(1024 * 1024, b' ');
    let attachment = Bytes::from(attachment);

    println!(
        "Filing {count} dossiers ({PROCEDURE}, one 1 MB PDF each) with {concurrency} concurrent citizens' sessions…"
    );
    let started = Instant::now();
    let per_worker = count.div_ceil(concurrency);
    let mut workers = Vec::new();
    for n in 1..=concurrency {
        let router = router.clone();
        let attachment = attachment.clone();
        workers.push(tokio::spawn(async move {
            let mut client = sign_in(&router, &format!("090000{n:04}")).await?;
            let mut latencies: Vec<Duration> = Vec::with_capacity(per_worker);
            let mut steps = StepTimes::default();
            for _ in 0..per_worker {
                let each = file_one(&mut client, slot, &attachment).await?;
                latencies.push(each.iter().sum());
                for (total, took) in steps.iter_mut().zip(each) {
                    *total += took;
                }
            }
            anyhow::Ok((latencies, steps))
        }));
    }
    let mut latencies = Vec::new();
    let mut steps = StepTimes::default();
    for worker in workers {
        let (each, spent) = worker.await??;
        latencies.extend(each);
        for (total, took) in steps.iter_mut().zip(spent) {
            *total += took;
        }
    }
    let elapsed = started.elapsed();
    latencies.sort();
    println!(
        "submitted {} dossiers in {:.2} s: {:.0} dossiers/s; per dossier ({} requests) p50 {:.1} ms, p99 {:.1} ms",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        steps.iter().filter(|t| !t.is_zero()).count(),
        percentile(&latencies, 0.5).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
    );
    let means: Vec<String> = STEPS
        .iter()
        .zip(steps)
        .filter(|(_, total)| !total.is_zero())
        .map(|(name, total)| {
            format!(
                "{name} {:.1} ms",
                total.as_secs_f64() * 1000.0 / latencies.len().max(1) as f64
            )
        })
        .collect();
    println!("mean time of each request: {}", means.join(", "));

    // "My dossiers" for a citizen with many: the demo citizen takes over every dossier filed
    let dossiers: i64 = sqlx::query_scalar(
        "with demo as (select id from citizens where phone = '+84912345678'), \
         moved as (update dossiers set citizen_id = (select id from demo) \
           where citizen_id in (select id from citizens where phone like '+8490000%') returning 1) \
         select (select count(*) from moved) + (select count(*) from dossiers where citizen_id = (select id from demo))",
    )
    .fetch_one(&db)
    .await?;
    let mut client = sign_in(&router, "0912345678").await?;
    let mut list = Vec::new();
    for _ in 0..1000 {
        let t = Instant::now();
        let html = client.get("/account/dossiers").await?;
        list.push(t.elapsed());
        if !html.contains("card-title") {
            return Err(anyhow!("My dossiers shows no dossier"));
        }
    }
    list.sort();
    println!(
        "My dossiers for a citizen with {dossiers} dossiers, 1000 requests: p50 {:.2} ms, p99 {:.2} ms",
        percentile(&list, 0.5).as_secs_f64() * 1000.0,
        percentile(&list, 0.99).as_secs_f64() * 1000.0,
    );
    Ok(())
}
