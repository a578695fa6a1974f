//! The routes of admin/ and who may use each; `crate::routes` gathers every capability's.

use axum::routing::{get, post};

use crate::accounts::access::{ADMIN, APPROVERS, CHAIRMAN, Route, SYSTEM_ADMIN, route};

pub(crate) fn routes() -> Vec<Route> {
    vec![
        // administration
        route!(GET "/admin" => ADMIN, get(super::home)),
        route!(POST "/admin/staff/{id}/password" => ADMIN, post(super::reset_password)),
        route!(POST "/admin/staff/{id}/active" => ADMIN, post(super::toggle_active)),
        route!(GET "/admin/agencies" => ADMIN, get(super::agencies::list)),
        route!(POST "/admin/agencies/{office}/served" => SYSTEM_ADMIN, post(super::agencies::set_served)),
        route!(GET "/admin/catalogue" => SYSTEM_ADMIN, get(super::catalogue::index)),
        route!(POST "/admin/catalogue/drafts" => SYSTEM_ADMIN, post(super::catalogue::start)),
        route!(GET "/admin/catalogue/drafts/{id}" => SYSTEM_ADMIN, get(super::catalogue::show)),
        route!(POST "/admin/catalogue/drafts/{id}" => SYSTEM_ADMIN, post(super::catalogue::save)),
        route!(GET "/admin/catalogue/drafts/{id}/preview" => SYSTEM_ADMIN, get(super::catalogue::preview)),
        route!(POST "/admin/catalogue/drafts/{id}/publish" => SYSTEM_ADMIN, post(super::catalogue::publish)),
        route!(POST "/admin/catalogue/drafts/{id}/discard" => SYSTEM_ADMIN, post(super::catalogue::discard)),
        route!(POST "/admin/agencies/reorganise" => SYSTEM_ADMIN, post(super::agencies::reorganise)),
        route!(GET "/admin/audit" => SYSTEM_ADMIN, get(super::audit_log)),
        route!(GET "/admin/calendar" => ADMIN, get(super::calendar::show)),
        route!(POST "/admin/calendar/days" => SYSTEM_ADMIN, post(super::calendar::save_day)),
        route!(POST "/admin/calendar/days/{day}/delete" => SYSTEM_ADMIN, post(super::calendar::delete_day)),
        route!(POST "/admin/calendar/hours" => ADMIN, post(super::calendar::add_hours)),
        route!(GET "/admin/procedures" => ADMIN, get(super::online::levels)),
        route!(GET "/admin/procedures/{code}/propose" => ADMIN, get(super::online::propose_form)),
        route!(POST "/admin/procedures/{code}/propose" => ADMIN, post(super::online::propose)),
        route!(GET "/staff/approvals" => APPROVERS, get(super::online::approvals)),
        route!(POST "/staff/approvals/{id}" => CHAIRMAN, post(super::online::decide)),
        route!(GET "/admin/staff/new" => ADMIN, get(super::new_staff_form)),
        route!(POST "/admin/staff/new" => ADMIN, post(super::create_staff)),
        route!(GET "/admin/staff/{id}" => ADMIN, get(super::show_staff)),
        route!(POST "/admin/staff/{id}/roles" => ADMIN, post(super::add_role)),
        route!(POST "/admin/staff/{id}/roles/{grant}/end" => ADMIN, post(super::end_role)),
    ]
}
