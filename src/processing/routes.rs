//! The routes of processing/ and who may use each; `crate::routes` gathers every capability's.

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::accounts::access::{ANY_STAFF, BACK_OFFICE, RECEPTION, Route, route};
use crate::web::form::UPLOAD_BODY_LIMIT;

pub(crate) fn routes() -> Vec<Route> {
    vec![
        route!(GET "/staff/reception/new" => RECEPTION, get(super::counter::form)),
        route!(POST "/staff/reception/new" => RECEPTION, post(super::counter::file).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT))),
        route!(GET "/staff/dossiers/{id}" => ANY_STAFF, get(super::staff::show)),
        route!(GET "/staff/dossiers/{id}/files/{file}" => ANY_STAFF, get(super::staff::download)),
        route!(GET "/staff/dossiers/{id}/forms/{form}" => ANY_STAFF, get(super::staff::form_pdf)),
        route!(POST "/staff/dossiers/{id}/act" => BACK_OFFICE, post(super::staff::act)),
        route!(POST "/staff/dossiers/{id}/result" => BACK_OFFICE, post(super::staff::upload_result).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT))),
        route!(GET "/staff/inbox" => BACK_OFFICE, get(super::inbox::inbox)),
    ]
}
