//! Shared value types: no axum, no queries.

pub mod clock;
pub mod lang;
pub mod money;
pub mod signature;
pub mod text;
pub mod time;

pub use clock::Clock;
pub use lang::Lang;
