//! The routes of national/ and who may use each; `crate::routes` gathers every capability's.

use axum::routing::{get, post};

use crate::accounts::access::{Access, Route, SYSTEM_ADMIN, route};

pub(crate) fn routes() -> Vec<Route> {
    use Access::Signed;
    vec![
        // the national portal fetches a dossier's files through links it was given, signed
        route!(GET super::links::FILES_PATH => Signed, get(super::links::fetch)),
        // dossiers filed on the national portal, pushed by it (signed)
        route!(POST "/api/v1/dvcqg/dossiers" => Signed, post(super::inbound::push)),
        route!(GET "/admin/dvcqg" => SYSTEM_ADMIN, get(super::pages::page)),
        route!(POST "/admin/dvcqg/{id}/resend" => SYSTEM_ADMIN, post(super::pages::resend)),
        route!(POST "/admin/dvcqg/intake/{id}/retry" => SYSTEM_ADMIN, post(super::pages::retry_intake)),
    ]
}
