//! The routes of reports/ and who may use each; `crate::routes` gathers every capability's.

use axum::routing::get;

use crate::accounts::access::{Access, REGISTER, REPORTS, Route, route};

pub(crate) fn routes() -> Vec<Route> {
    use Access::Public;
    vec![
        route!(GET "/thong-ke" => Public, get(super::public::page)),
        route!(GET "/api/v1/statistics" => Public, get(super::public::api)),
        route!(GET "/staff/reports" => REPORTS, get(super::pages::dashboard)),
        route!(GET "/staff/reports.csv" => REPORTS, get(super::pages::csv_export)),
        route!(GET "/staff/reports.xlsx" => REPORTS, get(super::pages::xlsx_export)),
        route!(GET "/staff/reports/register.pdf" => REGISTER, get(super::register::pdf)),
    ]
}
