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
use crate::processing::desk;
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

/// Every route of the portal.
fn table() -> Vec<(RouteSpec, MethodRouter<AppState>)> {
    use Access::{Api, Citizen, Development, Public, Signed};
    use accounts::{citizen as account, staff};
    let g = Method::GET;
    let p = Method::POST;
    vec![
        // the public catalogue
        route(g.clone(), "/", Public, get(citizen::home)),
        route(
            g.clone(),
            "/thu-tuc",
            Public,
            get(citizen::search_procedures),
        ),
        route(
            g.clone(),
            "/thu-tuc/{code}",
            Public,
            get(citizen::show_procedure),
        ),
        route(
            g.clone(),
            "/bieu-mau/{slug}",
            Public,
            get(citizen::download_form_template),
        ),
        route(
            g.clone(),
            "/ngon-ngu/{lang}",
            Public,
            get(lang::switch_language),
        ),
        route(
            g.clone(),
            "/thong-ke",
            Public,
            get(crate::reports::public::page),
        ),
        // the OpenAPI document of the JSON endpoints
        route(
            g.clone(),
            "/api/openapi.json",
            Public,
            get(crate::web::openapi::openapi_json),
        ),
        route(
            g.clone(),
            "/api/v1/statistics",
            Public,
            get(crate::reports::public::api),
        ),
        route(
            g.clone(),
            "/api/v1/procedures",
            Public,
            get(api::list_procedures),
        ),
        route(
            g.clone(),
            "/api/v1/procedures/{code}",
            Public,
            get(api::show_procedure),
        ),
        route(g.clone(), "/static/{name}", Public, get(assets::serve)),
        route(g.clone(), "/healthz", Public, get(healthz)),
        route(g.clone(), "/readyz", Public, get(readyz)),
        // citizens' accounts
        route(
            g.clone(),
            "/account/register",
            Public,
            get(account::register_form),
        ),
        route(
            p.clone(),
            "/account/register",
            Public,
            post(account::register),
        ),
        route(
            g.clone(),
            "/account/login/dvcqg",
            Public,
            get(crate::accounts::national_sso::start),
        ),
        route(
            g.clone(),
            crate::accounts::national_sso::CALLBACK_PATH,
            Public,
            get(crate::accounts::national_sso::callback),
        ),
        route(
            g.clone(),
            "/account/login/dvcqg/link",
            Public,
            get(crate::accounts::national_sso::link_form),
        ),
        route(
            p.clone(),
            "/account/login/dvcqg/link",
            Public,
            post(crate::accounts::national_sso::link),
        ),
        route(
            g.clone(),
            "/account/login",
            Public,
            get(account::login_form),
        ),
        route(p.clone(), "/account/login", Public, post(account::login)),
        route(
            g.clone(),
            "/account/reset",
            Public,
            get(account::reset_form),
        ),
        route(
            p.clone(),
            "/account/reset",
            Public,
            post(account::request_reset),
        ),
        route(
            g.clone(),
            "/account/reset/code",
            Public,
            get(account::reset_code_form),
        ),
        route(
            p.clone(),
            "/account/reset/code",
            Public,
            post(account::reset_with_code),
        ),
        route(g.clone(), "/account", Citizen, get(account::profile)),
        route(
            p.clone(),
            "/account/profile",
            Citizen,
            post(account::update_profile),
        ),
        route(
            g.clone(),
            "/account/confirm",
            Citizen,
            get(account::confirm_form),
        ),
        route(
            p.clone(),
            "/account/confirm",
            Citizen,
            post(account::confirm),
        ),
        route(
            p.clone(),
            "/account/confirm/resend",
            Citizen,
            post(account::resend_confirmation),
        ),
        route(
            g.clone(),
            "/account/email",
            Citizen,
            get(crate::accounts::email::email_form),
        ),
        route(
            p.clone(),
            "/account/email",
            Citizen,
            post(crate::accounts::email::confirm_email),
        ),
        route(
            g.clone(),
            "/account/password",
            Citizen,
            get(account::password_form),
        ),
        route(
            p.clone(),
            "/account/password",
            Citizen,
            post(account::change_password),
        ),
        route(p.clone(), "/account/logout", Citizen, post(account::logout)),
        route(
            g.clone(),
            "/account/notifications",
            Citizen,
            get(crate::notify::pages::list),
        ),
        // dossiers: start, the journey, my dossiers, tracking
        route(
            g.clone(),
            "/thu-tuc/{code}/nop-truc-tuyen",
            Public,
            get(dossiers::start_page),
        ),
        route(
            p.clone(),
            "/account/dossiers",
            Citizen,
            post(dossiers::create_draft),
        ),
        route(g.clone(), "/account/dossiers", Citizen, get(dossiers::list)),
        route(
            g.clone(),
            "/account/dossiers/{id}",
            Citizen,
            get(dossiers::show),
        ),
        route(
            g.clone(),
            "/account/dossiers/{id}/applicant",
            Citizen,
            get(dossiers::applicant_form),
        ),
        route(
            p.clone(),
            "/account/dossiers/{id}/applicant",
            Citizen,
            post(dossiers::save_applicant),
        ),
        route(
            g.clone(),
            "/account/dossiers/{id}/details",
            Citizen,
            get(dossiers::details_form),
        ),
        route(
            p.clone(),
            "/account/dossiers/{id}/details",
            Citizen,
            post(dossiers::save_details),
        ),
        route(
            g.clone(),
            "/account/dossiers/{id}/documents",
            Citizen,
            get(dossiers::documents_form),
        ),
        route(
            p.clone(),
            "/account/dossiers/{id}/documents",
            Citizen,
            post(dossiers::upload).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        ),
        route(
            p.clone(),
            "/account/dossiers/{id}/documents/reuse",
            Citizen,
            post(dossiers::reuse),
        ),
        route(
            p.clone(),
            "/account/dossiers/{id}/documents/done",
            Citizen,
            post(dossiers::documents_done),
        ),
        route(
            p.clone(),
            "/account/dossiers/{id}/documents/{file}/delete",
            Citizen,
            post(dossiers::remove_file),
        ),
        route(
            g.clone(),
            "/account/dossiers/{id}/files/{file}",
            Citizen,
            get(dossiers::download),
        ),
        route(
            g.clone(),
            "/account/dossiers/{id}/form-01.pdf",
            Citizen,
            get(dossiers::form01),
        ),
        route(
            g.clone(),
            "/account/dossiers/{id}/acknowledgement.pdf",
            Citizen,
            get(dossiers::acknowledgement_pdf),
        ),
        route(
            g.clone(),
            "/account/dossiers/{id}/delivery",
            Citizen,
            get(dossiers::delivery_form),
        ),
        route(
            p.clone(),
            "/account/dossiers/{id}/delivery",
            Citizen,
            post(dossiers::save_delivery),
        ),
        route(
            g.clone(),
            "/account/dossiers/{id}/check",
            Citizen,
            get(dossiers::check_answers),
        ),
        route(
            p.clone(),
            "/account/dossiers/{id}/submit",
            Citizen,
            post(dossiers::submit),
        ),
        route(
            p.clone(),
            "/account/dossiers/{id}/resubmit",
            Citizen,
            post(dossiers::resubmit),
        ),
        route(
            p.clone(),
            "/account/dossiers/{id}/withdraw",
            Citizen,
            post(dossiers::withdraw),
        ),
        route(
            p.clone(),
            "/account/dossiers/{id}/result-delivery",
            Citizen,
            post(dossiers::change_result_delivery),
        ),
        route(
            p.clone(),
            "/account/dossiers/{id}/stop",
            Citizen,
            post(dossiers::stop),
        ),
        route(
            g.clone(),
            "/account/dossiers/{id}/result",
            Citizen,
            get(dossiers::result),
        ),
        route(
            g.clone(),
            "/account/dossiers/{id}/forms/{form}",
            Citizen,
            get(dossiers::form_pdf),
        ),
        // payments
        route(
            g.clone(),
            "/account/dossiers/{id}/payment",
            Citizen,
            get(crate::payments::citizen::show),
        ),
        route(
            p.clone(),
            "/account/dossiers/{id}/payment",
            Citizen,
            post(crate::payments::citizen::start),
        ),
        route(
            g.clone(),
            "/account/dossiers/{id}/receipts/{receipt}",
            Citizen,
            get(crate::payments::receipt::citizen_page),
        ),
        route(
            g.clone(),
            "/account/dossiers/{id}/receipts/{receipt}/pdf",
            Citizen,
            get(crate::payments::receipt::citizen_pdf),
        ),
        route(
            g.clone(),
            "/thanh-toan/ket-qua",
            Public,
            get(crate::payments::citizen::return_page),
        ),
        route(
            g.clone(),
            "/api/v1/payments/vnpay/ipn",
            Public,
            get(crate::payments::ipn::ipn),
        ),
        route(
            g.clone(),
            "/sandbox/vnpay/paymentv2/vpcpay.html",
            Development,
            get(crate::payments::sandbox::pay_page),
        ),
        route(
            p.clone(),
            "/sandbox/vnpay/pay",
            Development,
            post(crate::payments::sandbox::pay),
        ),
        route(
            p.clone(),
            "/sandbox/vnpay/merchant_webapi/api/transaction",
            Signed,
            post(crate::payments::sandbox::api),
        ),
        route(
            g.clone(),
            "/tra-cuu",
            Public,
            get(crate::dossiers::tracking::track),
        ),
        route(
            p.clone(),
            "/tra-cuu",
            Public,
            post(crate::dossiers::tracking::track_lookup),
        ),
        route(
            p.clone(),
            "/api/v1/tracking",
            Api,
            post(crate::dossiers::tracking::track_api),
        ),
        // the national portal fetches a dossier's files through links it was given, signed
        route(
            g.clone(),
            crate::national::links::FILES_PATH,
            Signed,
            get(crate::national::links::fetch),
        ),
        // dossiers filed on the national portal, pushed by it (signed)
        route(
            p.clone(),
            "/api/v1/dvcqg/dossiers",
            Signed,
            post(crate::national::inbound::push),
        ),
        // the staff entrance
        route(g.clone(), "/staff/login", Public, get(staff::login_form)),
        route(p.clone(), "/staff/login", Public, post(staff::login)),
        route(g.clone(), "/staff", ANY_STAFF, get(staff::home)),
        route(p.clone(), "/staff/logout", ANY_STAFF, post(staff::logout)),
        route(
            g.clone(),
            "/staff/password",
            ANY_STAFF,
            get(staff::password_form),
        ),
        route(
            p.clone(),
            "/staff/password",
            ANY_STAFF,
            post(staff::change_password),
        ),
        // the reception desk
        route(
            g.clone(),
            "/staff/reception",
            RECEPTION,
            get(reception::queue),
        ),
        route(
            g.clone(),
            "/staff/reception/new",
            RECEPTION,
            get(crate::processing::counter::form),
        ),
        route(
            p.clone(),
            "/staff/reception/new",
            RECEPTION,
            post(crate::processing::counter::file),
        ),
        route(
            g.clone(),
            "/staff/dossiers/{id}",
            ANY_STAFF,
            get(desk::show),
        ),
        route(
            g.clone(),
            "/staff/dossiers/{id}/files/{file}",
            ANY_STAFF,
            get(desk::download),
        ),
        route(
            g.clone(),
            "/staff/dossiers/{id}/form-01.pdf",
            ANY_STAFF,
            get(reception::form01),
        ),
        route(
            g.clone(),
            "/staff/dossiers/{id}/forms/{form}",
            ANY_STAFF,
            get(desk::form_pdf),
        ),
        route(
            p.clone(),
            "/staff/dossiers/{id}/act",
            BACK_OFFICE,
            post(desk::act),
        ),
        route(
            p.clone(),
            "/staff/dossiers/{id}/result",
            BACK_OFFICE,
            post(desk::upload_result),
        ),
        route(
            g.clone(),
            "/staff/inbox",
            BACK_OFFICE,
            get(crate::processing::inbox::inbox),
        ),
        route(
            p.clone(),
            "/staff/dossiers/{id}/accept",
            RECEPTION,
            post(reception::accept),
        ),
        route(
            p.clone(),
            "/staff/dossiers/{id}/return",
            RECEPTION,
            post(reception::return_for_completion),
        ),
        route(
            p.clone(),
            "/staff/dossiers/{id}/refuse",
            RECEPTION,
            post(reception::refuse),
        ),
        route(
            p.clone(),
            "/staff/dossiers/{id}/payments",
            RECEPTION,
            post(crate::payments::staff::counter),
        ),
        route(
            p.clone(),
            "/staff/dossiers/{id}/assess",
            RECEPTION,
            post(crate::payments::staff::assess),
        ),
        route(
            p.clone(),
            "/staff/dossiers/{id}/refund",
            RECEPTION,
            post(crate::payments::staff::refund),
        ),
        route(
            p.clone(),
            "/staff/dossiers/{id}/refunds/{refund}/approve",
            BACK_OFFICE,
            post(crate::payments::staff::approve_refund),
        ),
        route(
            g.clone(),
            "/staff/dossiers/{id}/receipts/{receipt}",
            ANY_STAFF,
            get(crate::payments::receipt::staff_page),
        ),
        route(
            g.clone(),
            "/staff/dossiers/{id}/receipts/{receipt}/pdf",
            ANY_STAFF,
            get(crate::payments::receipt::staff_pdf),
        ),
        // the postal channel
        route(
            g.clone(),
            "/postal",
            POSTAL,
            get(crate::postal::pages::home),
        ),
        route(
            p.clone(),
            "/postal/items/{id}",
            POSTAL,
            post(crate::postal::pages::step),
        ),
        route(
            p.clone(),
            "/postal/manifests/to-unit/{unit}",
            POSTAL,
            post(crate::postal::pages::hand_to_unit),
        ),
        route(
            p.clone(),
            "/postal/manifests/{id}/confirm",
            POSTAL,
            post(crate::postal::pages::confirm),
        ),
        route(
            g.clone(),
            "/postal/manifests/{id}/pdf",
            POSTAL,
            get(crate::postal::pages::manifest_pdf),
        ),
        route(
            g.clone(),
            "/staff/postal",
            RECEPTION,
            get(crate::postal::pages::desk),
        ),
        route(
            p.clone(),
            "/staff/postal/hand-over",
            RECEPTION,
            post(crate::postal::pages::hand_to_post),
        ),
        route(
            p.clone(),
            "/staff/postal/manifests/{id}/confirm",
            RECEPTION,
            post(crate::postal::pages::confirm),
        ),
        route(
            g.clone(),
            "/staff/postal/manifests/{id}/pdf",
            RECEPTION,
            get(crate::postal::pages::manifest_pdf),
        ),
        route(
            p.clone(),
            "/api/v1/postal/events",
            Signed,
            post(crate::postal::webhook::events),
        ),
        // administration
        route(g.clone(), "/admin", ADMIN, get(crate::admin::home)),
        route(
            p.clone(),
            "/admin/staff/{id}/password",
            ADMIN,
            post(crate::admin::reset_password),
        ),
        route(
            p.clone(),
            "/admin/staff/{id}/active",
            ADMIN,
            post(crate::admin::toggle_active),
        ),
        route(
            g.clone(),
            "/admin/agencies",
            ADMIN,
            get(crate::admin::agencies::list),
        ),
        route(
            p.clone(),
            "/admin/agencies/{office}/served",
            SYSTEM_ADMIN,
            post(crate::admin::agencies::set_served),
        ),
        route(
            g.clone(),
            "/staff/reports",
            REPORTS,
            get(crate::reports::pages::dashboard),
        ),
        route(
            g.clone(),
            "/staff/reports.csv",
            REPORTS,
            get(crate::reports::pages::csv_export),
        ),
        route(
            g.clone(),
            "/staff/reports.xlsx",
            REPORTS,
            get(crate::reports::pages::xlsx_export),
        ),
        route(
            g.clone(),
            "/staff/reports/register.pdf",
            REGISTER,
            get(crate::reports::register::pdf),
        ),
        route(
            g.clone(),
            "/admin/catalogue",
            SYSTEM_ADMIN,
            get(crate::admin::catalogue::index),
        ),
        route(
            p.clone(),
            "/admin/catalogue/drafts",
            SYSTEM_ADMIN,
            post(crate::admin::catalogue::start),
        ),
        route(
            g.clone(),
            "/admin/catalogue/drafts/{id}",
            SYSTEM_ADMIN,
            get(crate::admin::catalogue::show),
        ),
        route(
            p.clone(),
            "/admin/catalogue/drafts/{id}",
            SYSTEM_ADMIN,
            post(crate::admin::catalogue::save),
        ),
        route(
            g.clone(),
            "/admin/catalogue/drafts/{id}/preview",
            SYSTEM_ADMIN,
            get(crate::admin::catalogue::preview),
        ),
        route(
            p.clone(),
            "/admin/catalogue/drafts/{id}/publish",
            SYSTEM_ADMIN,
            post(crate::admin::catalogue::publish),
        ),
        route(
            p.clone(),
            "/admin/catalogue/drafts/{id}/discard",
            SYSTEM_ADMIN,
            post(crate::admin::catalogue::discard),
        ),
        route(
            p.clone(),
            "/admin/agencies/reorganise",
            SYSTEM_ADMIN,
            post(crate::admin::agencies::reorganise),
        ),
        route(
            g.clone(),
            "/admin/audit",
            SYSTEM_ADMIN,
            get(crate::admin::audit_log),
        ),
        route(
            g.clone(),
            "/admin/messages",
            SYSTEM_ADMIN,
            get(crate::notify::pages::failed),
        ),
        route(
            g.clone(),
            "/admin/dvcqg",
            SYSTEM_ADMIN,
            get(crate::national::pages::page),
        ),
        route(
            p.clone(),
            "/admin/dvcqg/{id}/resend",
            SYSTEM_ADMIN,
            post(crate::national::pages::resend),
        ),
        route(
            p.clone(),
            "/admin/dvcqg/intake/{id}/retry",
            SYSTEM_ADMIN,
            post(crate::national::pages::retry_intake),
        ),
        route(
            p.clone(),
            "/admin/messages/{id}/resend",
            SYSTEM_ADMIN,
            post(crate::notify::pages::resend),
        ),
        route(
            g.clone(),
            "/admin/messages/templates",
            SYSTEM_ADMIN,
            get(crate::notify::pages::templates),
        ),
        route(
            g.clone(),
            "/admin/messages/templates/{kind}/{lang}",
            SYSTEM_ADMIN,
            get(crate::notify::pages::template_form),
        ),
        route(
            p.clone(),
            "/admin/messages/templates/{kind}/{lang}",
            SYSTEM_ADMIN,
            post(crate::notify::pages::save_template),
        ),
        route(
            g.clone(),
            "/admin/calendar",
            ADMIN,
            get(crate::admin::calendar::show),
        ),
        route(
            p.clone(),
            "/admin/calendar/days",
            SYSTEM_ADMIN,
            post(crate::admin::calendar::save_day),
        ),
        route(
            p.clone(),
            "/admin/calendar/days/{day}/delete",
            SYSTEM_ADMIN,
            post(crate::admin::calendar::delete_day),
        ),
        route(
            p.clone(),
            "/admin/calendar/hours",
            ADMIN,
            post(crate::admin::calendar::add_hours),
        ),
        route(
            g.clone(),
            "/admin/procedures",
            ADMIN,
            get(crate::admin::online::levels),
        ),
        route(
            g.clone(),
            "/admin/procedures/{code}/propose",
            ADMIN,
            get(crate::admin::online::propose_form),
        ),
        route(
            p.clone(),
            "/admin/procedures/{code}/propose",
            ADMIN,
            post(crate::admin::online::propose),
        ),
        route(
            g.clone(),
            "/staff/approvals",
            APPROVERS,
            get(crate::admin::online::approvals),
        ),
        route(
            p.clone(),
            "/staff/approvals/{id}",
            CHAIRMAN,
            post(crate::admin::online::decide),
        ),
        route(
            g.clone(),
            "/admin/payments",
            PAYMENT_ADMIN,
            get(crate::payments::reconcile::report),
        ),
        route(
            g.clone(),
            "/admin/staff/new",
            ADMIN,
            get(crate::admin::new_staff_form),
        ),
        route(
            p.clone(),
            "/admin/staff/new",
            ADMIN,
            post(crate::admin::create_staff),
        ),
        route(
            g.clone(),
            "/admin/staff/{id}",
            ADMIN,
            get(crate::admin::show_staff),
        ),
        route(
            p.clone(),
            "/admin/staff/{id}/roles",
            ADMIN,
            post(crate::admin::add_role),
        ),
        route(
            p.clone(),
            "/admin/staff/{id}/roles/{grant}/end",
            ADMIN,
            post(crate::admin::end_role),
        ),
        // development only
        route(g, "/dev/outbox", Development, get(staff::dev_outbox)),
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
    let gateway = state.gateway.pay_url.clone();
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
    for header in mw::security_headers(hsts, &gateway) {
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
