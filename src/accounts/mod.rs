//! Accounts: citizens (register, confirm, sign in, profile, password), officials (the staff
//! entrance, roles scoped to agencies and dated), and the authorization guard every route
//! goes through.
//!
//! Owns `citizens`, `citizen_credentials`, `staff_users`, `staff_roles`, `staff_second_factors`,
//! `staff_recovery_codes`, `one_time_codes`,
//! `login_counters`, `admin_units`; writes `outbound_messages` and `audit_log`.

pub mod access;
pub mod citizen;
mod codes;
pub mod domain;
pub mod email;
pub mod fields;
pub mod guard;
pub mod national;
pub mod national_sso;
pub mod password;
pub mod repo;
pub mod routes;
pub mod second_factor;
pub mod second_factor_pages;
mod signin;
pub mod staff;
pub(crate) mod throttle;
pub mod views;

pub use guard::{Access, CurrentCitizen, CurrentStaff};
