//! The reception desk (Bộ phận Một cửa): the queue of dossiers waiting for the reception
//! check, and its three outcomes. Uses `dossiers` (workflow, service) and `deadlines`.

pub mod repo;
pub mod routes;
pub mod staff;
pub mod views;

/// The locale key of a dossier's channel as officials read it: at the counter, by post, online
/// here, or online through the national portal.
pub fn channel_key(intake_channel: i16, source_system: &str) -> &'static str {
    match (intake_channel, source_system) {
        (1, _) => "reception.channel_counter",
        (3, _) => "reception.channel_post",
        (_, "dvcqg") => "reception.channel_national",
        _ => "reception.channel_online",
    }
}

/// Where the official's session keeps the PIN of a dossier just filed at the counter.
pub fn pin_key(id: uuid::Uuid) -> String {
    format!("counter_pin:{id}")
}
