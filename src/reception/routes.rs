//! The routes of reception/ and who may use each; `crate::routes` gathers every capability's.

use axum::routing::{get, post};

use crate::accounts::access::{ANY_STAFF, RECEPTION, Route, route};

pub(crate) fn routes() -> Vec<Route> {
    vec![
        // the reception desk
        route!(GET "/staff/reception" => RECEPTION, get(super::staff::queue)),
        route!(GET "/staff/dossiers/{id}/form-01.pdf" => ANY_STAFF, get(super::staff::form01)),
        route!(POST "/staff/dossiers/{id}/accept" => RECEPTION, post(super::staff::accept)),
        route!(POST "/staff/dossiers/{id}/return" => RECEPTION, post(super::staff::return_for_completion)),
        route!(POST "/staff/dossiers/{id}/refuse" => RECEPTION, post(super::staff::refuse)),
    ]
}
