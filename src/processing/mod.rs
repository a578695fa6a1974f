//! The back office after reception (Bộ phận Một cửa → cơ quan giải quyết → trả kết quả):
//! forwarding, assignment, appraisal, signature, inter-agency steps, supplements, stops,
//! reschedules, corrections and the return of results; the officials' inboxes; filing a
//! walk-in citizen's dossier at the counter. Uses `dossiers` (workflow, service) and
//! `deadlines`.

pub mod counter;
pub mod desk;
pub mod forms;
pub mod inbox;
pub mod reads;
pub mod repo;
pub mod routes;
pub mod service;
pub mod staff;
pub mod views;
