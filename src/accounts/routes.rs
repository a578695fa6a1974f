//! The routes of accounts/ and who may use each; `crate::routes` gathers every capability's.

use axum::routing::{get, post};

use crate::accounts::access::{ANY_STAFF, Access, Route, route};

pub(crate) fn routes() -> Vec<Route> {
    use Access::{Citizen, Development, Public};
    vec![
        // citizens' accounts
        route!(GET "/account/register" => Public, get(super::citizen::register_form)),
        route!(POST "/account/register" => Public, post(super::citizen::register)),
        route!(GET super::citizen::REGISTER_CODE_PATH => Public, get(super::citizen::register_code_form)),
        route!(POST super::citizen::REGISTER_CODE_PATH => Public, post(super::citizen::register_with_code)),
        route!(POST "/account/register/code/resend" => Public, post(super::citizen::resend_register_code)),
        route!(GET "/account/login/dvcqg" => Public, get(super::national_sso::start)),
        route!(GET super::national::CALLBACK_PATH => Public, get(super::national_sso::callback)),
        route!(GET "/account/login/dvcqg/link" => Public, get(super::national_sso::link_form)),
        route!(POST "/account/login/dvcqg/link" => Public, post(super::national_sso::link)),
        route!(GET "/account/login" => Public, get(super::citizen::login_form)),
        route!(POST "/account/login" => Public, post(super::citizen::login)),
        route!(GET "/account/reset" => Public, get(super::citizen::reset_form)),
        route!(POST "/account/reset" => Public, post(super::citizen::request_reset)),
        route!(GET "/account/reset/code" => Public, get(super::citizen::reset_code_form)),
        route!(POST "/account/reset/code" => Public, post(super::citizen::reset_with_code)),
        route!(GET "/account" => Citizen, get(super::citizen::profile)),
        route!(POST "/account/profile" => Citizen, post(super::citizen::update_profile)),
        route!(GET "/account/confirm" => Citizen, get(super::citizen::confirm_form)),
        route!(POST "/account/confirm" => Citizen, post(super::citizen::confirm)),
        route!(POST "/account/confirm/resend" => Citizen, post(super::citizen::resend_confirmation)),
        route!(GET "/account/email" => Citizen, get(super::email::email_form)),
        route!(POST "/account/email" => Citizen, post(super::email::confirm_email)),
        route!(GET "/account/password" => Citizen, get(super::citizen::password_form)),
        route!(POST "/account/password" => Citizen, post(super::citizen::change_password)),
        route!(POST "/account/logout" => Citizen, post(super::citizen::logout)),
        // the staff entrance
        route!(GET "/staff/login" => Public, get(super::staff::login_form)),
        route!(POST "/staff/login" => Public, post(super::staff::login)),
        route!(GET super::second_factor_pages::CODE_PATH => Public, get(super::second_factor_pages::code_form)),
        route!(POST super::second_factor_pages::CODE_PATH => Public, post(super::second_factor_pages::code)),
        route!(GET super::second_factor_pages::ENROL_PATH => ANY_STAFF, get(super::second_factor_pages::enrol_form)),
        route!(POST super::second_factor_pages::ENROL_PATH => ANY_STAFF, post(super::second_factor_pages::enrol)),
        route!(GET "/staff" => ANY_STAFF, get(super::staff::home)),
        route!(POST "/staff/logout" => ANY_STAFF, post(super::staff::logout)),
        route!(GET "/staff/password" => ANY_STAFF, get(super::staff::password_form)),
        route!(POST "/staff/password" => ANY_STAFF, post(super::staff::change_password)),
        // development only
        route!(GET "/dev/outbox" => Development, get(super::staff::dev_outbox)),
    ]
}
