//! Who may use a route, declared with it: `route!(GET "/path" => Access, handler)` in each
//! capability's `routes.rs`, the role groups those lines name, and the `RouteSpec` the router
//! guards by and the authorization tests walk (`crate::routes::specs`).

use axum::http::Method;
use axum::routing::MethodRouter;

pub use super::Access;
use super::domain::StaffRole;
use super::guard::ADMINS;
use crate::AppState;

/// A route and its handler.
pub type Route = (RouteSpec, MethodRouter<AppState>);

/// One route: method, path pattern and who may use it.
#[derive(Debug, Clone)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

/// Officials of any role.
pub const ANY_STAFF: Access = Access::Staff(&[]);
/// Reception officials.
pub const RECEPTION: Access = Access::Staff(&[StaffRole::Reception]);
/// Who sees the proposals to open procedures online, and who decides them.
pub const APPROVERS: Access = Access::Staff(&[
    StaffRole::Chairman,
    StaffRole::SystemAdmin,
    StaffRole::AgencyAdmin,
]);
pub const CHAIRMAN: Access = Access::Staff(&[StaffRole::Chairman]);
/// Postal staff.
pub const POSTAL: Access = Access::Staff(&[StaffRole::Postal]);
/// System administrators only (the national calendar).
pub const SYSTEM_ADMIN: Access = Access::Staff(&[StaffRole::SystemAdmin]);
/// Who reads the payment ledger and the gateway's log.
pub const PAYMENT_ADMIN: Access = Access::Staff(&[StaffRole::SystemAdmin]);
/// The officials who act on dossiers.
pub const BACK_OFFICE: Access = Access::Staff(&[
    StaffRole::Reception,
    StaffRole::CaseOfficer,
    StaffRole::DivisionHead,
    StaffRole::SigningAuthority,
]);
/// Who reads the reports: managers, administrators and the chairman (each within their scope).
pub const REPORTS: Access = Access::Staff(&[
    StaffRole::DivisionHead,
    StaffRole::SigningAuthority,
    StaffRole::AgencyAdmin,
    StaffRole::SystemAdmin,
    StaffRole::Chairman,
]);
/// Who prints the dossier register (Form 07): the reception desk, and who reads the reports.
pub const REGISTER: Access = Access::Staff(&[
    StaffRole::Reception,
    StaffRole::DivisionHead,
    StaffRole::SigningAuthority,
    StaffRole::AgencyAdmin,
    StaffRole::SystemAdmin,
    StaffRole::Chairman,
]);
/// Who reads the citizens' evaluations: managers in their scope, officials their own dossiers.
pub const EVALUATIONS: Access = Access::Staff(&[
    StaffRole::Reception,
    StaffRole::CaseOfficer,
    StaffRole::DivisionHead,
    StaffRole::SigningAuthority,
    StaffRole::AgencyAdmin,
    StaffRole::SystemAdmin,
    StaffRole::Chairman,
]);
/// Account administrators.
pub const ADMIN: Access = Access::Staff(ADMINS);

pub fn declare(
    method: Method,
    path: &'static str,
    access: Access,
    handler: MethodRouter<AppState>,
) -> Route {
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
        $crate::accounts::access::declare(::axum::http::Method::GET, $path, $access, $handler)
    };
    (POST $path:expr => $access:expr, $handler:expr) => {
        $crate::accounts::access::declare(::axum::http::Method::POST, $path, $access, $handler)
    };
}
pub(crate) use route;
