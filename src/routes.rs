//! The URL map: every route of the portal, who may use it, and the layers around them.
//!
//! Each route is declared once in [`table`] with its [`Access`]; `router` puts the guard (and
//! the CSRF token check on unsafe methods) on each, and the authorization-matrix test walks the
//! same table, so a new route cannot escape either.

use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderName, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::IntoResponse;
use axum::routing::{MethodRouter, get, post};
use axum::{Json, Router};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::Session;

use crate::AppState;
use crate::accounts::guard::{ADMINS, guard};
use crate::accounts::{self, Access};
use crate::catalogue::{api, citizen};
use crate::dossiers::citizen as dossiers;
use crate::processing::staff as desk;
use crate::reception::staff as reception;
use crate::web::error::ErrorMarker;
use crate::web::{assets, csrf, error, lang, middleware as mw, session};

/// One route: method, path pattern and who may use it.
#[derive(Debug, Clone)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

/// Uploads stream past axum's 2 MB default; each file and the dossier are checked as they
/// arrive (`max_file_mb`, `max_dossier_mb`), this only bounds one request.
const UPLOAD_BODY_LIMIT: usize = 64 * 1024 * 1024;
/// A feedback form: its text and one attachment (`max_file_mb` is checked as it streams).
const FEEDBACK_BODY_LIMIT: usize = 32 * 1024 * 1024;

/// Officials of any role.
const ANY_STAFF: Access = Access::Staff(&[]);
/// Reception officials.
const RECEPTION: Access = Access::Staff(&[crate::accounts::domain::StaffRole::Reception]);
/// Who sees the proposals to open procedures online, and who decides them.
const APPROVERS: Access = Access::Staff(&[
    crate::accounts::domain::StaffRole::Chairman,
    crate::accounts::domain::StaffRole::SystemAdmin,
    crate::accounts::domain::StaffRole::AgencyAdmin,
]);
const CHAIRMAN: Access = Access::Staff(&[crate::accounts::domain::StaffRole::Chairman]);
/// Postal staff.
const POSTAL: Access = Access::Staff(&[crate::accounts::domain::StaffRole::Postal]);
/// System administrators only (the national calendar).
const SYSTEM_ADMIN: Access = Access::Staff(&[crate::accounts::domain::StaffRole::SystemAdmin]);
/// Who reads the payment ledger and the gateway's log.
const PAYMENT_ADMIN: Access = Access::Staff(&[crate::accounts::domain::StaffRole::SystemAdmin]);
/// The officials who act on dossiers.
const BACK_OFFICE: Access = Access::Staff(&[
    crate::accounts::domain::StaffRole::Reception,
    crate::accounts::domain::StaffRole::CaseOfficer,
    crate::accounts::domain::StaffRole::DivisionHead,
    crate::accounts::domain::StaffRole::SigningAuthority,
]);
/// Who reads the reports: managers, administrators and the chairman (each within their scope).
const REPORTS: Access = Access::Staff(&[
    crate::accounts::domain::StaffRole::DivisionHead,
    crate::accounts::domain::StaffRole::SigningAuthority,
    crate::accounts::domain::StaffRole::AgencyAdmin,
    crate::accounts::domain::StaffRole::SystemAdmin,
    crate::accounts::domain::StaffRole::Chairman,
]);
/// Who prints the dossier register (Form 07): the reception desk, and who reads the reports.
const REGISTER: Access = Access::Staff(&[
    crate::accounts::domain::StaffRole::Reception,
    crate::accounts::domain::StaffRole::DivisionHead,
    crate::accounts::domain::StaffRole::SigningAuthority,
    crate::accounts::domain::StaffRole::AgencyAdmin,
    crate::accounts::domain::StaffRole::SystemAdmin,
    crate::accounts::domain::StaffRole::Chairman,
]);
/// Who reads the citizens' evaluations: managers in their scope, officials their own dossiers.
const EVALUATIONS: Access = Access::Staff(&[
    crate::accounts::domain::StaffRole::Reception,
    crate::accounts::domain::StaffRole::CaseOfficer,
    crate::accounts::domain::StaffRole::DivisionHead,
    crate::accounts::domain::StaffRole::SigningAuthority,
    crate::accounts::domain::StaffRole::AgencyAdmin,
    crate::accounts::domain::StaffRole::SystemAdmin,
    crate::accounts::domain::StaffRole::Chairman,
]);
/// Account administrators.
const ADMIN: Access = Access::Staff(ADMINS);

fn route(
    method: Method,
    path: &'static str,
    access: Access,
    handler: MethodRouter<AppState>,
) -> (RouteSpec, MethodRouter<AppState>) {
    (
        RouteSpec {
            method,
            path,
            access,
        },
        handler,
    )
}

/// `route!(GET "/path" => Access, handler)`: one route, on one line.
macro_rules! route {
    (GET $path:expr => $access:expr, $handler:expr) => {
        route(Method::GET, $path, $access, $handler)
    };
    (POST $path:expr => $access:expr, $handler:expr) => {
        route(Method::POST, $path, $access, $handler)
    };
}

/// Every route of the portal.
fn table() -> Vec<(RouteSpec, MethodRouter<AppState>)> {
    use Access::{Api, Citizen, Development, Public, Signed};
    use accounts::{citizen as account, staff};
    vec![
        // the public catalogue
        route!(GET "/" => Public, get(citizen::home)),
        route!(GET "/thu-tuc" => Public, get(citizen::search_procedures)),
        route!(GET "/thu-tuc/{code}" => Public, get(citizen::show_procedure)),
        route!(GET "/bieu-mau/{slug}" => Public, get(citizen::download_form_template)),
        route!(GET "/ngon-ngu/{lang}" => Public, get(lang::switch_language)),
        route!(GET "/thong-ke" => Public, get(crate::reports::public::page)),
        // the OpenAPI document of the JSON endpoints
        route!(GET "/api/openapi.json" => Public, get(crate::openapi::openapi_json)),
        route!(GET "/api/v1/statistics" => Public, get(crate::reports::public::api)),
        route!(GET "/api/v1/procedures" => Public, get(api::list_procedures)),
        route!(GET "/api/v1/procedures/{code}" => Public, get(api::show_procedure)),
        route!(GET "/static/{name}" => Public, get(assets::serve)),
        route!(GET "/healthz" => Public, get(healthz)),
        route!(GET "/readyz" => Public, get(readyz)),
        // citizens' accounts
        route!(GET "/account/register" => Public, get(account::register_form)),
        route!(POST "/account/register" => Public, post(account::register)),
        route!(GET account::REGISTER_CODE_PATH => Public, get(account::register_code_form)),
        route!(POST account::REGISTER_CODE_PATH => Public, post(account::register_with_code)),
        route!(POST "/account/register/code/resend" => Public, post(account::resend_register_code)),
        route!(GET "/account/login/dvcqg" => Public, get(crate::accounts::national_sso::start)),
        route!(GET crate::accounts::national::CALLBACK_PATH => Public, get(crate::accounts::national_sso::callback)),
        route!(GET "/account/login/dvcqg/link" => Public, get(crate::accounts::national_sso::link_form)),
        route!(POST "/account/login/dvcqg/link" => Public, post(crate::accounts::national_sso::link)),
        route!(GET "/account/login" => Public, get(account::login_form)),
        route!(POST "/account/login" => Public, post(account::login)),
        route!(GET "/account/reset" => Public, get(account::reset_form)),
        route!(POST "/account/reset" => Public, post(account::request_reset)),
        route!(GET "/account/reset/code" => Public, get(account::reset_code_form)),
        route!(POST "/account/reset/code" => Public, post(account::reset_with_code)),
        route!(GET "/account" => Citizen, get(account::profile)),
        route!(POST "/account/profile" => Citizen, post(account::update_profile)),
        route!(GET "/account/confirm" => Citizen, get(account::confirm_form)),
        route!(POST "/account/confirm" => Citizen, post(account::confirm)),
        route!(POST "/account/confirm/resend" => Citizen, post(account::resend_confirmation)),
        route!(GET "/account/email" => Citizen, get(crate::accounts::email::email_form)),
        route!(POST "/account/email" => Citizen, post(crate::accounts::email::confirm_email)),
        route!(GET "/account/password" => Citizen, get(account::password_form)),
        route!(POST "/account/password" => Citizen, post(account::change_password)),
        route!(POST "/account/logout" => Citizen, post(account::logout)),
        route!(GET "/account/notifications" => Citizen, get(crate::notify::pages::list)),
        // dossiers: start, the journey, my dossiers, tracking
        route!(GET "/thu-tuc/{code}/nop-truc-tuyen" => Public, get(dossiers::start_page)),
        route!(POST "/account/dossiers" => Citizen, post(dossiers::create_draft)),
        route!(GET "/account/dossiers" => Citizen, get(dossiers::list)),
        route!(GET "/account/dossiers/{id}" => Citizen, get(dossiers::show)),
        route!(GET "/account/dossiers/{id}/applicant" => Citizen, get(dossiers::applicant_form)),
        route!(POST "/account/dossiers/{id}/applicant" => Citizen, post(dossiers::save_applicant)),
        route!(GET "/account/dossiers/{id}/details" => Citizen, get(dossiers::details_form)),
        route!(POST "/account/dossiers/{id}/details" => Citizen, post(dossiers::save_details)),
        route!(GET "/account/dossiers/{id}/documents" => Citizen, get(dossiers::documents_form)),
        route!(POST "/account/dossiers/{id}/documents" => Citizen, post(dossiers::upload).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT))),
        route!(POST "/account/dossiers/{id}/documents/reuse" => Citizen, post(dossiers::reuse)),
        route!(POST "/account/dossiers/{id}/documents/done" => Citizen, post(dossiers::documents_done)),
        route!(POST "/account/dossiers/{id}/documents/{file}/delete" => Citizen, post(dossiers::remove_file)),
        route!(GET "/account/dossiers/{id}/files/{file}" => Citizen, get(dossiers::download)),
        route!(GET "/account/dossiers/{id}/form-01.pdf" => Citizen, get(dossiers::form01)),
        route!(GET "/account/dossiers/{id}/acknowledgement.pdf" => Citizen, get(dossiers::acknowledgement_pdf)),
        route!(GET "/account/dossiers/{id}/delivery" => Citizen, get(dossiers::delivery_form)),
        route!(POST "/account/dossiers/{id}/delivery" => Citizen, post(dossiers::save_delivery)),
        route!(GET "/account/dossiers/{id}/check" => Citizen, get(dossiers::check_answers)),
        route!(POST "/account/dossiers/{id}/submit" => Citizen, post(dossiers::submit)),
        route!(POST "/account/dossiers/{id}/resubmit" => Citizen, post(dossiers::resubmit)),
        route!(POST "/account/dossiers/{id}/withdraw" => Citizen, post(dossiers::withdraw)),
        route!(POST "/account/dossiers/{id}/delete" => Citizen, post(dossiers::delete_draft)),
        route!(GET "/account/dossiers/{id}/evaluation" => Citizen, get(crate::evaluations::pages::account_form)),
        route!(POST "/account/dossiers/{id}/evaluation" => Citizen, post(crate::evaluations::pages::account_submit)),
        route!(GET "/danh-gia/{token}" => Public, get(crate::evaluations::pages::link_form)),
        route!(GET "/danh-gia/quay/{token}" => Public, get(crate::evaluations::counter::tablet)),
        route!(POST "/danh-gia/quay/{token}" => Public, post(crate::evaluations::counter::rate)),
        route!(POST "/danh-gia/{token}" => Public, post(crate::evaluations::pages::link_submit)),
        // feedback and complaints (phản ánh, kiến nghị)
        route!(GET "/phan-anh" => Public, get(crate::feedback::pages::form)),
        route!(POST "/phan-anh" => Public, post(crate::feedback::pages::send).layer(DefaultBodyLimit::max(FEEDBACK_BODY_LIMIT))),
        route!(GET "/phan-anh/theo-doi" => Public, get(crate::feedback::pages::follow)),
        route!(POST "/phan-anh/theo-doi" => Public, post(crate::feedback::pages::follow_lookup)),
        route!(GET "/phan-anh/cong-khai" => Public, get(crate::feedback::pages::public)),
        route!(GET "/account/feedback" => Citizen, get(crate::feedback::pages::account_list)),
        route!(GET "/account/feedback/{id}" => Citizen, get(crate::feedback::pages::account_show)),
        route!(POST "/account/feedback/{id}" => Citizen, post(crate::feedback::pages::account_step)),
        route!(POST "/account/dossiers/{id}/result-delivery" => Citizen, post(dossiers::change_result_delivery)),
        route!(POST "/account/dossiers/{id}/stop" => Citizen, post(dossiers::stop)),
        route!(GET "/account/dossiers/{id}/result" => Citizen, get(dossiers::result)),
        route!(GET "/account/dossiers/{id}/forms/{form}" => Citizen, get(dossiers::form_pdf)),
        // payments
        route!(GET "/account/dossiers/{id}/payment" => Citizen, get(crate::payments::citizen::show)),
        route!(POST "/account/dossiers/{id}/payment" => Citizen, post(crate::payments::citizen::start)),
        route!(GET "/account/dossiers/{id}/receipts/{receipt}" => Citizen, get(crate::payments::receipt::citizen_page)),
        route!(GET "/account/dossiers/{id}/receipts/{receipt}/pdf" => Citizen, get(crate::payments::receipt::citizen_pdf)),
        route!(GET "/thanh-toan/ket-qua" => Public, get(crate::payments::citizen::return_page)),
        route!(GET crate::payments::national::RETURN_PATH => Citizen, get(crate::payments::platform::return_page)),
        route!(POST crate::payments::national::CONFIRM_PATH => Signed, post(crate::payments::platform::confirm)),
        route!(GET "/account/dossiers/{id}/payments/{payment}/bien-lai-quoc-gia" => Citizen, get(crate::payments::platform::citizen_bill)),
        route!(GET "/api/v1/payments/vnpay/ipn" => Public, get(crate::payments::ipn::ipn)),
        route!(GET "/sandbox/vnpay/paymentv2/vpcpay.html" => Development, get(crate::payments::sandbox::pay_page)),
        route!(POST "/sandbox/vnpay/pay" => Development, post(crate::payments::sandbox::pay)),
        route!(POST "/sandbox/vnpay/merchant_webapi/api/transaction" => Signed, post(crate::payments::sandbox::api)),
        route!(GET "/tra-cuu" => Public, get(crate::dossiers::tracking::track)),
        route!(POST "/tra-cuu" => Public, post(crate::dossiers::tracking::track_lookup)),
        route!(POST "/api/v1/tracking" => Api, post(crate::dossiers::tracking::track_api)),
        // the national portal fetches a dossier's files through links it was given, signed
        route!(GET crate::national::links::FILES_PATH => Signed, get(crate::national::links::fetch)),
        // dossiers filed on the national portal, pushed by it (signed)
        route!(POST "/api/v1/dvcqg/dossiers" => Signed, post(crate::national::inbound::push)),
        // the staff entrance
        route!(GET "/staff/login" => Public, get(staff::login_form)),
        route!(POST "/staff/login" => Public, post(staff::login)),
        route!(GET crate::accounts::second_factor_pages::CODE_PATH => Public, get(crate::accounts::second_factor_pages::code_form)),
        route!(POST crate::accounts::second_factor_pages::CODE_PATH => Public, post(crate::accounts::second_factor_pages::code)),
        route!(GET crate::accounts::second_factor_pages::ENROL_PATH => ANY_STAFF, get(crate::accounts::second_factor_pages::enrol_form)),
        route!(POST crate::accounts::second_factor_pages::ENROL_PATH => ANY_STAFF, post(crate::accounts::second_factor_pages::enrol)),
        route!(GET "/staff" => ANY_STAFF, get(staff::home)),
        route!(POST "/staff/logout" => ANY_STAFF, post(staff::logout)),
        route!(GET "/staff/password" => ANY_STAFF, get(staff::password_form)),
        route!(POST "/staff/password" => ANY_STAFF, post(staff::change_password)),
        // the reception desk
        route!(GET "/staff/reception" => RECEPTION, get(reception::queue)),
        route!(GET "/staff/reception/new" => RECEPTION, get(crate::processing::counter::form)),
        route!(POST "/staff/reception/new" => RECEPTION, post(crate::processing::counter::file)),
        route!(GET "/staff/dossiers/{id}" => ANY_STAFF, get(desk::show)),
        route!(GET "/staff/dossiers/{id}/files/{file}" => ANY_STAFF, get(desk::download)),
        route!(POST "/staff/dossiers/{id}/invite-rating" => BACK_OFFICE, post(crate::evaluations::counter::invite)),
        route!(GET "/staff/dossiers/{id}/form-01.pdf" => ANY_STAFF, get(reception::form01)),
        route!(GET "/staff/dossiers/{id}/forms/{form}" => ANY_STAFF, get(desk::form_pdf)),
        route!(POST "/staff/dossiers/{id}/act" => BACK_OFFICE, post(desk::act)),
        route!(POST "/staff/dossiers/{id}/result" => BACK_OFFICE, post(desk::upload_result)),
        route!(GET "/staff/inbox" => BACK_OFFICE, get(crate::processing::inbox::inbox)),
        route!(POST "/staff/dossiers/{id}/accept" => RECEPTION, post(reception::accept)),
        route!(POST "/staff/dossiers/{id}/return" => RECEPTION, post(reception::return_for_completion)),
        route!(POST "/staff/dossiers/{id}/refuse" => RECEPTION, post(reception::refuse)),
        route!(POST "/staff/dossiers/{id}/payments" => RECEPTION, post(crate::payments::staff::counter)),
        route!(POST "/staff/dossiers/{id}/assess" => RECEPTION, post(crate::payments::staff::assess)),
        route!(POST "/staff/dossiers/{id}/refund" => RECEPTION, post(crate::payments::staff::refund)),
        route!(POST "/staff/dossiers/{id}/refunds/{refund}/approve" => BACK_OFFICE, post(crate::payments::staff::approve_refund)),
        route!(GET "/staff/dossiers/{id}/receipts/{receipt}" => ANY_STAFF, get(crate::payments::receipt::staff_page)),
        route!(GET "/staff/dossiers/{id}/receipts/{receipt}/pdf" => ANY_STAFF, get(crate::payments::receipt::staff_pdf)),
        route!(GET "/staff/dossiers/{id}/payments/{payment}/bien-lai-quoc-gia" => ANY_STAFF, get(crate::payments::platform::staff_bill)),
        // the postal channel
        route!(GET "/postal" => POSTAL, get(crate::postal::pages::home)),
        route!(POST "/postal/items/{id}" => POSTAL, post(crate::postal::pages::step)),
        route!(POST "/postal/manifests/to-unit/{unit}" => POSTAL, post(crate::postal::pages::hand_to_unit)),
        route!(POST "/postal/manifests/{id}/confirm" => POSTAL, post(crate::postal::pages::confirm)),
        route!(GET "/postal/manifests/{id}/pdf" => POSTAL, get(crate::postal::pages::manifest_pdf)),
        route!(GET "/staff/postal" => RECEPTION, get(crate::postal::pages::desk)),
        route!(POST "/staff/postal/hand-over" => RECEPTION, post(crate::postal::pages::hand_to_post)),
        route!(POST "/staff/postal/manifests/{id}/confirm" => RECEPTION, post(crate::postal::pages::confirm)),
        route!(GET "/staff/postal/manifests/{id}/pdf" => RECEPTION, get(crate::postal::pages::manifest_pdf)),
        route!(POST "/api/v1/postal/events" => Signed, post(crate::postal::webhook::events)),
        // administration
        route!(GET "/admin" => ADMIN, get(crate::admin::home)),
        route!(POST "/admin/staff/{id}/password" => ADMIN, post(crate::admin::reset_password)),
        route!(POST "/admin/staff/{id}/active" => ADMIN, post(crate::admin::toggle_active)),
        route!(GET "/admin/agencies" => ADMIN, get(crate::admin::agencies::list)),
        route!(POST "/admin/agencies/{office}/served" => SYSTEM_ADMIN, post(crate::admin::agencies::set_served)),
        route!(GET "/staff/reports" => REPORTS, get(crate::reports::pages::dashboard)),
        route!(GET "/staff/evaluations" => EVALUATIONS, get(crate::evaluations::results::results)),
        route!(GET "/staff/feedback" => REGISTER, get(crate::feedback::staff::list)),
        route!(GET "/staff/feedback/{id}" => REGISTER, get(crate::feedback::staff::show)),
        route!(POST "/staff/feedback/{id}" => REGISTER, post(crate::feedback::staff::act)),
        route!(GET "/staff/feedback/{id}/attachment" => REGISTER, get(crate::feedback::staff::attachment)),
        route!(GET "/staff/reports.csv" => REPORTS, get(crate::reports::pages::csv_export)),
        route!(GET "/staff/reports.xlsx" => REPORTS, get(crate::reports::pages::xlsx_export)),
        route!(GET "/staff/reports/register.pdf" => REGISTER, get(crate::reports::register::pdf)),
        route!(GET "/admin/catalogue" => SYSTEM_ADMIN, get(crate::admin::catalogue::index)),
        route!(POST "/admin/catalogue/drafts" => SYSTEM_ADMIN, post(crate::admin::catalogue::start)),
        route!(GET "/admin/catalogue/drafts/{id}" => SYSTEM_ADMIN, get(crate::admin::catalogue::show)),
        route!(POST "/admin/catalogue/drafts/{id}" => SYSTEM_ADMIN, post(crate::admin::catalogue::save)),
        route!(GET "/admin/catalogue/drafts/{id}/preview" => SYSTEM_ADMIN, get(crate::admin::catalogue::preview)),
        route!(POST "/admin/catalogue/drafts/{id}/publish" => SYSTEM_ADMIN, post(crate::admin::catalogue::publish)),
        route!(POST "/admin/catalogue/drafts/{id}/discard" => SYSTEM_ADMIN, post(crate::admin::catalogue::discard)),
        route!(POST "/admin/agencies/reorganise" => SYSTEM_ADMIN, post(crate::admin::agencies::reorganise)),
        route!(GET "/admin/audit" => SYSTEM_ADMIN, get(crate::admin::audit_log)),
        route!(GET "/admin/messages" => SYSTEM_ADMIN, get(crate::notify::pages::failed)),
        route!(GET "/admin/dvcqg" => SYSTEM_ADMIN, get(crate::national::pages::page)),
        route!(POST "/admin/dvcqg/{id}/resend" => SYSTEM_ADMIN, post(crate::national::pages::resend)),
        route!(POST "/admin/dvcqg/intake/{id}/retry" => SYSTEM_ADMIN, post(crate::national::pages::retry_intake)),
        route!(POST "/admin/messages/{id}/resend" => SYSTEM_ADMIN, post(crate::notify::pages::resend)),
        route!(GET "/admin/messages/templates" => SYSTEM_ADMIN, get(crate::notify::pages::templates)),
        route!(GET "/admin/messages/templates/{kind}/{lang}" => SYSTEM_ADMIN, get(crate::notify::pages::template_form)),
        route!(POST "/admin/messages/templates/{kind}/{lang}" => SYSTEM_ADMIN, post(crate::notify::pages::save_template)),
        route!(GET "/admin/calendar" => ADMIN, get(crate::admin::calendar::show)),
        route!(POST "/admin/calendar/days" => SYSTEM_ADMIN, post(crate::admin::calendar::save_day)),
        route!(POST "/admin/calendar/days/{day}/delete" => SYSTEM_ADMIN, post(crate::admin::calendar::delete_day)),
        route!(POST "/admin/calendar/hours" => ADMIN, post(crate::admin::calendar::add_hours)),
        route!(GET "/admin/procedures" => ADMIN, get(crate::admin::online::levels)),
        route!(GET "/admin/procedures/{code}/propose" => ADMIN, get(crate::admin::online::propose_form)),
        route!(POST "/admin/procedures/{code}/propose" => ADMIN, post(crate::admin::online::propose)),
        route!(GET "/staff/approvals" => APPROVERS, get(crate::admin::online::approvals)),
        route!(POST "/staff/approvals/{id}" => CHAIRMAN, post(crate::admin::online::decide)),
        route!(GET "/admin/payments" => PAYMENT_ADMIN, get(crate::payments::reconcile::report)),
        route!(GET "/admin/payments/gateways" => PAYMENT_ADMIN, get(crate::payments::gateways::show)),
        route!(POST "/admin/payments/gateways" => PAYMENT_ADMIN, post(crate::payments::gateways::add)),
        route!(GET "/admin/staff/new" => ADMIN, get(crate::admin::new_staff_form)),
        route!(POST "/admin/staff/new" => ADMIN, post(crate::admin::create_staff)),
        route!(GET "/admin/staff/{id}" => ADMIN, get(crate::admin::show_staff)),
        route!(POST "/admin/staff/{id}/roles" => ADMIN, post(crate::admin::add_role)),
        route!(POST "/admin/staff/{id}/roles/{grant}/end" => ADMIN, post(crate::admin::end_role)),
        // development only
        route!(GET "/dev/outbox" => Development, get(staff::dev_outbox)),
    ]
}

/// The routes and who may use them (for the authorization matrix).
pub fn specs() -> Vec<RouteSpec> {
    table().into_iter().map(|(spec, _)| spec).collect()
}

/// The whole application router, with its middleware, ready to serve.
pub fn router(state: AppState) -> Router {
    let in_process = state.router_transport.clone();
    let router = build(state);
    if let Some(transport) = in_process {
        let _ = transport.router.set(router.clone());
    }
    router
}

fn build(state: AppState) -> Router {
    let hsts = state.settings.hsts;
    // forms may lead to the payment gateways' pages (the pay button's answer is a redirect)
    let mut gateways = vec![state.gateway.pay_url.clone()];
    gateways.extend(state.platform.as_ref().map(|p| p.base().to_owned()));
    let request_id = HeaderName::from_static("x-request-id");
    let mut app: Router<AppState> = Router::new();
    for (spec, handler) in table() {
        let access = spec.access;
        let mut handler = handler;
        if spec.method != Method::GET && !matches!(access, Access::Signed | Access::Api) {
            handler = handler.route_layer(middleware::from_fn(csrf::verify_token));
        }
        let guarded = handler.route_layer(middleware::from_fn_with_state(
            state.clone(),
            move |st: State<AppState>, session: Session, request: Request, next: Next| {
                guard(st, access, session, request, next)
            },
        ));
        app = app.route(spec.path, guarded);
    }
    let csrf_layer = CsrfLayer::new().with_rejection_response(|_| {
        let mut response = StatusCode::FORBIDDEN.into_response();
        response.extensions_mut().insert(ErrorMarker {
            status: StatusCode::FORBIDDEN,
            message: "errors.csrf_text",
        });
        response
    });
    let mut app = app
        .fallback(error::not_found)
        .layer(session::layer(state.db.clone(), &state.settings))
        .layer(middleware::from_fn(move |request: Request, next: Next| {
            csrf::with_anonymous_token(hsts, request, next)
        }))
        .with_state(state)
        .layer(csrf_layer)
        // a panic becomes a 500 that `error_pages` dresses
        .layer(CatchPanicLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(middleware::from_fn(mw::error_pages));
    for header in mw::security_headers(hsts, &gateways) {
        app = app.layer(header);
    }
    app.layer(CompressionLayer::new())
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(
            |request: &axum::http::Request<axum::body::Body>| {
                let id = request
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                tracing::info_span!(
                    "request",
                    method = %request.method(),
                    path = %request.uri().path(),
                    request.id = %id,
                )
            },
        ))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        // a request id the client sent is not trusted (the logs would carry whatever it says):
        // every request gets one of ours
        .layer(middleware::map_request(|mut request: Request| async move {
            request.headers_mut().remove("x-request-id");
            request
        }))
}

/// `GET /healthz`: the process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: the database answers and every migration is applied.
async fn readyz(State(app): State<AppState>) -> impl IntoResponse {
    match crate::db::migrations_current(&app.db).await {
        Ok(true) => (
            StatusCode::OK,
            Json(serde_json::json!({ "status": "ready" })),
        ),
        Ok(false) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "status": "migrations pending" })),
        ),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "database unreachable" })),
            )
        }
    }
}
