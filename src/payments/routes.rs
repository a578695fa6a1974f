//! The routes of payments/ and who may use each; `crate::routes` gathers every capability's.

use axum::routing::{get, post};

use crate::accounts::access::{
    ANY_STAFF, Access, BACK_OFFICE, PAYMENT_ADMIN, RECEPTION, Route, route,
};

pub(crate) fn routes() -> Vec<Route> {
    use Access::{Citizen, Development, Public, Signed};
    vec![
        // payments
        route!(GET "/account/dossiers/{id}/payment" => Citizen, get(super::citizen::show)),
        route!(POST "/account/dossiers/{id}/payment" => Citizen, post(super::citizen::start)),
        route!(GET "/account/dossiers/{id}/receipts/{receipt}" => Citizen, get(super::receipt::citizen_page)),
        route!(GET "/account/dossiers/{id}/receipts/{receipt}/pdf" => Citizen, get(super::receipt::citizen_pdf)),
        route!(GET "/thanh-toan/ket-qua" => Public, get(super::citizen::return_page)),
        route!(GET super::national::RETURN_PATH => Citizen, get(super::platform::return_page)),
        route!(POST super::national::CONFIRM_PATH => Signed, post(super::platform::confirm)),
        route!(GET "/account/dossiers/{id}/payments/{payment}/bien-lai-quoc-gia" => Citizen, get(super::platform::citizen_bill)),
        route!(GET "/api/v1/payments/vnpay/ipn" => Public, get(super::ipn::ipn)),
        route!(GET "/sandbox/vnpay/paymentv2/vpcpay.html" => Development, get(super::sandbox::pay_page)),
        route!(POST "/sandbox/vnpay/pay" => Development, post(super::sandbox::pay)),
        route!(POST "/sandbox/vnpay/merchant_webapi/api/transaction" => Signed, post(super::sandbox::api)),
        route!(POST "/staff/dossiers/{id}/payments" => RECEPTION, post(super::staff::counter)),
        route!(POST "/staff/dossiers/{id}/assess" => RECEPTION, post(super::staff::assess)),
        route!(POST "/staff/dossiers/{id}/refund" => RECEPTION, post(super::staff::refund)),
        route!(POST "/staff/dossiers/{id}/refunds/{refund}/approve" => BACK_OFFICE, post(super::staff::approve_refund)),
        route!(GET "/staff/dossiers/{id}/receipts/{receipt}" => ANY_STAFF, get(super::receipt::staff_page)),
        route!(GET "/staff/dossiers/{id}/receipts/{receipt}/pdf" => ANY_STAFF, get(super::receipt::staff_pdf)),
        route!(GET "/staff/dossiers/{id}/payments/{payment}/bien-lai-quoc-gia" => ANY_STAFF, get(super::platform::staff_bill)),
        route!(GET "/admin/payments" => PAYMENT_ADMIN, get(super::reconcile::report)),
        route!(GET "/admin/payments/gateways" => PAYMENT_ADMIN, get(super::gateways::show)),
        route!(POST "/admin/payments/gateways" => PAYMENT_ADMIN, post(super::gateways::add)),
    ]
}
