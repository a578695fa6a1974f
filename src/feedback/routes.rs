//! The routes of feedback/ and who may use each; `crate::routes` gathers every capability's.

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::accounts::access::{Access, REGISTER, Route, route};
use crate::web::form::FEEDBACK_BODY_LIMIT;

pub(crate) fn routes() -> Vec<Route> {
    use Access::{Citizen, Public};
    vec![
        // feedback and complaints (phản ánh, kiến nghị)
        route!(GET "/phan-anh" => Public, get(super::pages::form)),
        route!(POST "/phan-anh" => Public, post(super::pages::send).layer(DefaultBodyLimit::max(FEEDBACK_BODY_LIMIT))),
        route!(GET "/phan-anh/theo-doi" => Public, get(super::pages::follow)),
        route!(POST "/phan-anh/theo-doi" => Public, post(super::pages::follow_lookup)),
        route!(GET "/phan-anh/cong-khai" => Public, get(super::pages::public)),
        route!(GET "/account/feedback" => Citizen, get(super::pages::account_list)),
        route!(GET "/account/feedback/{id}" => Citizen, get(super::pages::account_show)),
        route!(POST "/account/feedback/{id}" => Citizen, post(super::pages::account_step)),
        route!(GET "/staff/feedback" => REGISTER, get(super::staff::list)),
        route!(GET "/staff/feedback/{id}" => REGISTER, get(super::staff::show)),
        route!(POST "/staff/feedback/{id}" => REGISTER, post(super::staff::act)),
        route!(GET "/staff/feedback/{id}/attachment" => REGISTER, get(super::staff::attachment)),
    ]
}
