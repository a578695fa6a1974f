//! The one integration-test binary: the HTTP router against a real PostgreSQL (a fresh database
//! per test) and a browser journey in headless Chromium.

// Test code: helpers are crate-wide by nature, and a failed unwrap is a failed test.
#![allow(unreachable_pub, clippy::unwrap_used, clippy::expect_used)]
mod accounts;
mod agencies_admin;
mod api;
mod authorization;
mod browser;
mod browser_national;
mod browser_voice;
mod calendar_admin;
mod catalogue;
mod catalogue_admin;
mod clock;
mod dossiers;
mod english;
mod evaluations;
mod feedback;
mod helpers;
mod national;
mod national_intake;
mod national_pay;
mod national_sso;
mod notify;
mod objects;
mod online;
mod pages;
mod payments;
mod postal;
mod processing;
mod reception;
mod reports;
mod schema;
mod second_factor;
mod security;
mod submission;
