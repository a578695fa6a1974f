//! The routes of notify/ and who may use each; `crate::routes` gathers every capability's.

use axum::routing::{get, post};

use crate::accounts::access::{Access, Route, SYSTEM_ADMIN, route};

pub(crate) fn routes() -> Vec<Route> {
    use Access::Citizen;
    vec![
        route!(GET "/account/notifications" => Citizen, get(super::pages::list)),
        route!(GET "/admin/messages" => SYSTEM_ADMIN, get(super::pages::failed)),
        route!(POST "/admin/messages/{id}/resend" => SYSTEM_ADMIN, post(super::pages::resend)),
        route!(GET "/admin/messages/templates" => SYSTEM_ADMIN, get(super::pages::templates)),
        route!(GET "/admin/messages/templates/{kind}/{lang}" => SYSTEM_ADMIN, get(super::pages::template_form)),
        route!(POST "/admin/messages/templates/{kind}/{lang}" => SYSTEM_ADMIN, post(super::pages::save_template)),
    ]
}
