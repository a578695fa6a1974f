//! The public catalogue of administrative procedures (thủ tục hành chính).
//!
//! Owns the tables `agency_kinds`, `agencies`, `agency_successions`, `fields`, `procedures`,
//! `procedure_versions`, `procedure_documents`, `procedure_fees` and `form_templates`.
//! Serves the home page, search (diacritic-insensitive, ranked, keyset-paginated), procedure
//! pages, form templates and the open-data API. Calls nothing else.

pub mod api;
mod cache;
pub mod citizen;
pub mod domain;
pub mod repo;
pub mod routes;
pub mod views;

pub use cache::{CatalogueCache, Reference};
