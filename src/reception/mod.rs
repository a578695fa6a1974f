//! The reception desk (Bộ phận Một cửa): the queue of dossiers waiting for the reception
//! check, and its three outcomes. Uses `dossiers` (workflow, service) and `deadlines`.

pub mod repo;
pub mod staff;
pub mod views;
