//! The routes of catalogue/ and who may use each; `crate::routes` gathers every capability's.

use axum::routing::get;

use crate::accounts::access::{Access, Route, route};

pub(crate) fn routes() -> Vec<Route> {
    use Access::Public;
    vec![
        // the public catalogue
        route!(GET "/" => Public, get(super::citizen::home)),
        route!(GET "/thu-tuc" => Public, get(super::citizen::search_procedures)),
        route!(GET "/thu-tuc/{code}" => Public, get(super::citizen::show_procedure)),
        route!(GET "/bieu-mau/{slug}" => Public, get(super::citizen::download_form_template)),
        route!(GET "/api/v1/procedures" => Public, get(super::api::list_procedures)),
        route!(GET "/api/v1/procedures/{code}" => Public, get(super::api::show_procedure)),
    ]
}
