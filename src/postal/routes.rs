//! The routes of postal/ and who may use each; `crate::routes` gathers every capability's.

use axum::routing::{get, post};

use crate::accounts::access::{Access, POSTAL, RECEPTION, Route, route};

pub(crate) fn routes() -> Vec<Route> {
    use Access::Signed;
    vec![
        // the postal channel
        route!(GET "/postal" => POSTAL, get(super::pages::home)),
        route!(POST "/postal/items/{id}" => POSTAL, post(super::pages::step)),
        route!(POST "/postal/manifests/to-unit/{unit}" => POSTAL, post(super::pages::hand_to_unit)),
        route!(POST "/postal/manifests/{id}/confirm" => POSTAL, post(super::pages::confirm)),
        route!(GET "/postal/manifests/{id}/pdf" => POSTAL, get(super::pages::manifest_pdf)),
        route!(GET "/staff/postal" => RECEPTION, get(super::pages::desk)),
        route!(POST "/staff/postal/hand-over" => RECEPTION, post(super::pages::hand_to_post)),
        route!(POST "/staff/postal/manifests/{id}/confirm" => RECEPTION, post(super::pages::confirm)),
        route!(GET "/staff/postal/manifests/{id}/pdf" => RECEPTION, get(super::pages::manifest_pdf)),
        route!(POST "/api/v1/postal/events" => Signed, post(super::webhook::events)),
    ]
}
