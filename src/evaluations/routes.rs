//! The routes of evaluations/ and who may use each; `crate::routes` gathers every capability's.

use axum::routing::{get, post};

use crate::accounts::access::{Access, BACK_OFFICE, EVALUATIONS, Route, route};

pub(crate) fn routes() -> Vec<Route> {
    use Access::{Citizen, Public};
    vec![
        route!(GET "/account/dossiers/{id}/evaluation" => Citizen, get(super::pages::account_form)),
        route!(POST "/account/dossiers/{id}/evaluation" => Citizen, post(super::pages::account_submit)),
        route!(GET "/danh-gia/{token}" => Public, get(super::pages::link_form)),
        route!(GET "/danh-gia/quay/{token}" => Public, get(super::counter::tablet)),
        route!(POST "/danh-gia/quay/{token}" => Public, post(super::counter::rate)),
        route!(POST "/danh-gia/{token}" => Public, post(super::pages::link_submit)),
        route!(POST "/staff/dossiers/{id}/invite-rating" => BACK_OFFICE, post(super::counter::invite)),
        route!(GET "/staff/evaluations" => EVALUATIONS, get(super::results::results)),
    ]
}
