//! Một Cửa — the province's one-stop public-service portal.
//!
//! One axum server, one PostgreSQL schema. Capabilities live in their own modules
//! (`catalogue`, …); `web` holds the HTTP plumbing, `kernel` the shared value types and
//! `routes` the URL map.

rust_i18n::i18n!("src/locales", fallback = "vi");

pub mod accounts;
pub mod admin;
pub mod app;
pub mod audit;
pub mod bench;
pub mod bench_national;
pub mod catalogue;
pub mod cli;
pub mod config;
pub mod db;
pub mod deadlines;
pub mod demo;
pub mod dossiers;
pub mod evaluations;
pub mod feedback;
pub mod generate_dossiers;
pub mod jobs;
pub mod kernel;
pub mod national;
pub mod notify;
pub mod openapi;
pub mod payments;
pub mod postal;
pub mod processing;
pub mod reception;
pub mod reports;
pub mod routes;
pub mod state;
pub mod storage;
pub mod telemetry;
pub mod virus_scan;
pub mod web;

pub use app::App;
pub use config::Settings;
pub use state::AppState;
