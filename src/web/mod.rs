//! HTTP plumbing shared by every capability: language, layout, errors, assets, headers.
//! No business rules live here.

pub mod assets;
pub mod client;
pub mod csrf;
pub mod download;
pub mod error;
pub mod flash;
pub mod form;
pub mod lang;
pub mod middleware;
pub mod page;
pub mod paths;
pub mod session;

pub use error::{AppError, AppResult};
pub use form::FormErrors;
pub use page::Layout;
