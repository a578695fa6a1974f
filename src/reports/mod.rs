//! Reports and dashboards (issue 9, in progress): is the province getting people off the
//! counters? Figures are computed from dossier events (DOMAIN.md §6.2, §7).
//!
//! Owns no table: reads `dossiers`, `dossier_events`, `agencies` and `procedure_versions`.

pub mod chart;
pub mod domain;
pub mod pages;
pub mod public;
pub mod register;
pub mod repo;
pub mod views;
