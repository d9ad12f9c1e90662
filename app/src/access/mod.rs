//! Access: accounts and sessions, the caller of a request, roles and the
//! centers a staff member covers. The lowest layer: everything else may use
//! it, it uses only `domain`, `model`, `error`, `i18n` and `state`.

pub mod dto;
pub mod flash;
#[cfg(feature = "ssr")]
mod request;
#[cfg(feature = "ssr")]
mod scope;
#[cfg(feature = "ssr")]
pub mod session;

#[cfg(feature = "ssr")]
pub use request::*;
#[cfg(feature = "ssr")]
pub use scope::*;
#[cfg(feature = "ssr")]
pub use session::CurrentUser;
