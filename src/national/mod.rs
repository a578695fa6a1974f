//! The National Public Service Portal (Cổng Dịch vụ công quốc gia, DVCQG): every dossier of
//! every channel and every step reported to it within minutes (`sync`, in the wire profile
//! `tt04_2025`, with files behind signed `links`), the administrators' page of the exchange
//! (`pages`), and a sandbox that stands in for the national side on one machine (`sandbox`).

pub mod evaluations;
pub mod inbound;
pub mod intake;
pub mod intake_check;
pub mod links;
pub mod pages;
pub mod record;
pub mod routes;
pub mod sandbox;
pub mod sandbox_citizen;
pub mod sandbox_pay;
pub mod sandbox_sso;
pub mod sync;
pub mod tt04_2025;
pub mod views;
