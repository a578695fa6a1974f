//! Dossiers (hồ sơ): codes, PINs and statuses. The submission journey, "My dossiers" and
//! public tracking build on these (issue 4, in progress).
//!
//! Owns `dossiers`, `dossier_events` and `dossier_code_counters`.

pub mod citizen;
pub mod code;
pub mod domain;
pub mod drafts;
pub mod files;
pub mod filing;
pub mod forms;
pub mod pdf;
pub mod repo;
pub mod routes;
pub mod service;
pub mod status;
pub mod terms;
pub mod tracking;
pub mod uploads;
pub mod views;
pub mod workflow;

pub use code::DossierCode;
pub use status::DossierStatus;
