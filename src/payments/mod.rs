//! Fees and their payment (DOMAIN.md §5): bills from the procedure's fee lines, online payment
//! through a gateway speaking VNPay 2.1.0 (and a local sandbox of the same protocol), the IPN
//! as the only confirmation, reconciliation by querydr, refunds, counter payments, and
//! electronic receipts. Amounts are whole đồng; the protocol's ×100 lives in `vnpay` only.

pub mod citizen;
pub mod domain;
pub mod gateway;
pub mod gateways;
pub mod ipn;
pub mod national;
pub mod platform;
pub mod receipt;
pub mod receipt_doc;
pub mod reconcile;
pub mod repo;
pub mod routes;
pub mod routing;
pub mod sandbox;
pub mod service;
pub mod staff;
pub mod views;
pub mod vnpay;
pub mod words;
