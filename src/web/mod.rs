//! HTTP plumbing shared by every capability: language, layout, errors, assets, headers.
//! No business rules live here.

pub mod assets;
pub mod error;
pub mod lang;
pub mod middleware;
pub mod page;
pub mod paths;

pub use error::{AppError, AppResult};
pub use page::Layout;
