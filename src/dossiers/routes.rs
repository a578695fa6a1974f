//! The routes of dossiers/ and who may use each; `crate::routes` gathers every capability's.

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::accounts::access::{Access, Route, route};
use crate::web::form::UPLOAD_BODY_LIMIT;

pub(crate) fn routes() -> Vec<Route> {
    use Access::{Api, Citizen, Public};
    vec![
        // dossiers: start, the journey, my dossiers, tracking
        route!(GET "/thu-tuc/{code}/nop-truc-tuyen" => Public, get(super::citizen::start_page)),
        route!(POST "/account/dossiers" => Citizen, post(super::citizen::create_draft)),
        route!(GET "/account/dossiers" => Citizen, get(super::citizen::list)),
        route!(GET "/account/dossiers/{id}" => Citizen, get(super::citizen::show)),
        route!(GET "/account/dossiers/{id}/applicant" => Citizen, get(super::citizen::applicant_form)),
        route!(POST "/account/dossiers/{id}/applicant" => Citizen, post(super::citizen::save_applicant)),
        route!(GET "/account/dossiers/{id}/details" => Citizen, get(super::citizen::details_form)),
        route!(POST "/account/dossiers/{id}/details" => Citizen, post(super::citizen::save_details)),
        route!(GET "/account/dossiers/{id}/documents" => Citizen, get(super::citizen::documents_form)),
        route!(POST "/account/dossiers/{id}/documents" => Citizen, post(super::citizen::upload).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT))),
        route!(POST "/account/dossiers/{id}/documents/reuse" => Citizen, post(super::citizen::reuse)),
        route!(POST "/account/dossiers/{id}/documents/done" => Citizen, post(super::citizen::documents_done)),
        route!(POST "/account/dossiers/{id}/documents/{file}/delete" => Citizen, post(super::citizen::remove_file)),
        route!(GET "/account/dossiers/{id}/files/{file}" => Citizen, get(super::citizen::download)),
        route!(GET "/account/dossiers/{id}/form-01.pdf" => Citizen, get(super::citizen::form01)),
        route!(GET "/account/dossiers/{id}/acknowledgement.pdf" => Citizen, get(super::citizen::acknowledgement_pdf)),
        route!(GET "/account/dossiers/{id}/delivery" => Citizen, get(super::citizen::delivery_form)),
        route!(POST "/account/dossiers/{id}/delivery" => Citizen, post(super::citizen::save_delivery)),
        route!(GET "/account/dossiers/{id}/check" => Citizen, get(super::citizen::check_answers)),
        route!(POST "/account/dossiers/{id}/submit" => Citizen, post(super::citizen::submit)),
        route!(POST "/account/dossiers/{id}/resubmit" => Citizen, post(super::citizen::resubmit)),
        route!(POST "/account/dossiers/{id}/withdraw" => Citizen, post(super::citizen::withdraw)),
        route!(POST "/account/dossiers/{id}/delete" => Citizen, post(super::citizen::delete_draft)),
        route!(POST "/account/dossiers/{id}/result-delivery" => Citizen, post(super::citizen::change_result_delivery)),
        route!(POST "/account/dossiers/{id}/stop" => Citizen, post(super::citizen::stop)),
        route!(GET "/account/dossiers/{id}/result" => Citizen, get(super::citizen::result)),
        route!(GET "/account/dossiers/{id}/forms/{form}" => Citizen, get(super::citizen::form_pdf)),
        route!(GET "/huong-dan/{step}" => Public, get(super::citizen::help)),
        route!(GET "/tra-cuu" => Public, get(super::tracking::track)),
        route!(POST "/tra-cuu" => Public, post(super::tracking::track_lookup)),
        route!(POST "/api/v1/tracking" => Api, post(super::tracking::track_api)),
    ]
}
