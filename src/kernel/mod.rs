//! Shared value types: no axum, no queries.

pub mod lang;
pub mod money;
pub mod signature;
pub mod text;

pub use lang::Lang;
