//! The province's headline figures, open to everybody (the 766 index is public by design):
//! per month of a year — received, online and postal shares, on-time rate — and per agency for
//! one month; the same data as JSON at `/api/v1/statistics`. Computed like the staff dashboard,
//! from the same facts, and kept for a few minutes.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Query, State};
use chrono::Datelike;
use serde::{Deserialize, Serialize};

use super::domain::{Period, PeriodKind, Tally, percent};
use super::repo;
use super::views::{PublicRow, StatisticsPage};
use crate::AppState;
use crate::deadlines::calendar::to_local;
use crate::web::lang::RequestLang;
use crate::web::page::Layout;
use crate::web::{AppError, AppResult};

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatisticsQuery {
    /// from 2025 to this year; this year when absent
    #[serde(default)]
    pub year: Option<i32>,
    /// 1–12, up to this month in this year; the last month when absent
    #[serde(default)]
    pub month: Option<u32>,
}

/// The figures of one row, as published.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Headline {
    pub name: String,
    pub received: i64,
    pub counter: i64,
    pub online: i64,
    pub post: i64,
    /// indicator 3.3 (online dossiers counted as the national index counts them), 0–1
    pub online_share: Option<f64>,
    pub postal_share: Option<f64>,
    /// indicator 2.1, 0–1
    pub on_time_rate: Option<f64>,
    pub processed: i64,
}

impl Headline {
    fn of(name: String, t: &Tally) -> Self {
        let round = |r: Option<f64>| r.map(|r| (r * 10_000.0).round() / 10_000.0);
        Headline {
            name,
            received: t.received_total(),
            counter: t.received[0],
            online: t.received[1],
            post: t.received[2],
            online_share: round(t.online_share()),
            postal_share: round(t.channel_share(3)),
            on_time_rate: round(t.on_time_rate()),
            processed: t.processed(),
        }
    }
}

/// The published statistics of a year, and of one month by agency.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Statistics {
    pub year: i32,
    pub month: u32,
    /// one per month of the year up to this one
    pub months: Vec<Headline>,
    /// the chosen month, per agency
    pub agencies: Vec<Headline>,
    /// the chosen month, the whole province
    pub province: Headline,
}

/// One month's figures: the province's, and each agency's by name.
pub type MonthTallies = (Tally, BTreeMap<String, Tally>);

async fn month_tallies(app: &AppState, period: &Period) -> AppResult<MonthTallies> {
    let tallies = repo::tallies(&app.db, None, period, repo::By::Agency, app.clock.now()).await?;
    let mut conn = app.db.acquire().await?;
    // kept per month in Vietnamese; the English page translates the agencies' names
    let names = repo::names(&mut conn, crate::kernel::Lang::Vi).await?;
    drop(conn);
    let total = tallies.total();
    let mut by_agency: BTreeMap<String, Tally> = BTreeMap::new();
    for (id, t) in tallies.rows {
        let name = names.agencies.get(&id).cloned().unwrap_or_default();
        by_agency.entry(name).or_default().merge(&t);
    }
    Ok((total, by_agency))
}

/// Computes (or takes from the cache) the statistics of `year`, with `month` by agency.
pub async fn statistics(app: &AppState, q: &StatisticsQuery) -> AppResult<Statistics> {
    let today = to_local(app.clock.now()).date();
    let year = q.year.unwrap_or(today.year());
    if !(2025..=today.year()).contains(&year) {
        return Err(AppError::BadRequest("errors.bad_request_text"));
    }
    let last_month = if year == today.year() {
        today.month()
    } else {
        12
    };
    let month = q.month.unwrap_or(last_month);
    if !(1..=last_month).contains(&month) {
        return Err(AppError::BadRequest("errors.bad_request_text"));
    }
    compute_statistics(app, year, month, last_month).await
}

/// The figures of each month of `year` up to `last_month`, with `month` by agency. Each
/// month's figures are computed once for every page that shows them (one computation per
/// month at a time, however many ask at once).
async fn compute_statistics(
    app: &AppState,
    year: i32,
    month: u32,
    last_month: u32,
) -> AppResult<Statistics> {
    let mut months = Vec::new();
    let mut agencies = Vec::new();
    let mut province = Headline::of(String::new(), &Tally::default());
    for m in 1..=last_month {
        let figures = app
            .statistics
            .try_get_with((year, m), async {
                let period = Period::of(PeriodKind::Month, year, m, None)
                    .ok_or(AppError::BadRequest("errors.bad_request_text"))?;
                month_tallies(app, &period).await.map(std::sync::Arc::new)
            })
            .await
            .map_err(|e| AppError::from(anyhow::anyhow!("{e}")))?;
        let (total, by_agency) = figures.as_ref();
        let label = format!("{m:02}/{year}");
        if m == month {
            province = Headline::of(label.clone(), total);
            agencies = by_agency
                .iter()
                .map(|(name, t)| Headline::of(name.clone(), t))
                .collect();
        }
        months.push(Headline::of(label, total));
    }
    Ok(Statistics {
        year,
        month,
        months,
        agencies,
        province,
    })
}

fn row(h: &Headline) -> PublicRow {
    PublicRow {
        name: h.name.clone(),
        received: h.received,
        counter: h.counter,
        online: h.online,
        post: h.post,
        online_share: percent(h.online_share),
        postal_share: percent(h.postal_share),
        on_time_rate: percent(h.on_time_rate),
    }
}

/// `GET /thong-ke?year=&month=`
pub async fn page(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: tower_sessions::Session,
    Query(q): Query<StatisticsQuery>,
) -> AppResult<StatisticsPage> {
    let today = to_local(app.clock.now()).date();
    // the form offers every month: a month not over yet shows the latest one
    let year = q.year.map(|y| y.clamp(2025, today.year()));
    let last = if year.is_none_or(|y| y == today.year()) {
        today.month()
    } else {
        12
    };
    let q = StatisticsQuery {
        year,
        month: q.month.map(|m| m.clamp(1, last)),
    };
    let stats = statistics(&app, &q).await?;
    let english = if lang.is_en() {
        repo::english_agency_names(&app.db).await?
    } else {
        Default::default()
    };
    let first = chrono::NaiveDate::from_ymd_opt(stats.year, stats.month, 1).unwrap_or(today);
    let satisfaction =
        crate::evaluations::tally::by_agency(&app.db, first, first + chrono::Months::new(1), lang)
            .await?;
    Ok(StatisticsPage {
        satisfaction,
        layout: Layout::new(lang, lang.t("statistics.title"), "/thong-ke")
            .signed_in(&session)
            .await,
        year: stats.year,
        month: stats.month,
        years: (2025..=today.year()).rev().collect(),
        months: stats.months.iter().map(row).collect(),
        agencies: stats
            .agencies
            .iter()
            .map(|h| {
                let mut r = row(h);
                if let Some(en) = english.get(&r.name) {
                    r.name = en.clone();
                }
                r
            })
            .collect(),
        province: row(&stats.province),
        chart: super::chart::channels_by_month(&stats.months, lang),
    })
}

/// `GET /api/v1/statistics?year=&month=`
/// `GET /api/v1/statistics?year=&month=`
#[utoipa::path(get, path = "/api/v1/statistics", tag = "statistics",
    summary = "The published statistics (Decision 766 indicators) of a year and a month",
    params(StatisticsQuery),
    responses(
        (status = 200, description = "Each month of the year, and the chosen month by agency and for the province", body = Statistics),
        (status = 400, description = "A year or month outside what is published", body = crate::web::error::ApiError),
    ))]
pub async fn api(
    State(app): State<AppState>,
    Query(q): Query<StatisticsQuery>,
) -> AppResult<Json<Statistics>> {
    Ok(Json(statistics(&app, &q).await?))
}
