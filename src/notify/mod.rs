//! Notifications (issue 10): citizens are told of every step of their dossiers, by e-mail, by
//! SMS and in the portal's own list, and nothing is lost on the way.
//!
//! Owns `notify_queue` (filled by triggers on `dossier_events`, `payments` and `postal_items`
//! in the transaction that writes them), `message_templates`, `outbound_messages` (the outbox;
//! one-time codes write to it too), `message_attempts` and `notifications`.
//!
//! Two stages, both in [`worker`]: a queued notice becomes the citizen's messages from the
//! templates in force ([`compose`]); a message is sent by its channel's sender ([`senders`])
//! with retries and back-off, at least once, its id the idempotency key.

pub mod arrivals;
pub mod compose;
pub mod digest;
pub mod pages;
pub mod repo;
pub mod routes;
pub mod senders;
pub mod views;
pub mod worker;
