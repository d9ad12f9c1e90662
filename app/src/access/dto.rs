//! What the browser knows of the signed-in user (wasm-safe).

use serde::{Deserialize, Serialize};

use crate::domain::people::Role;
use crate::i18n::Locale;

/// The signed-in user as the browser sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDto {
    pub first_name: String,
    pub role: Role,
    pub home_center_id: Option<i32>,
    pub lang: Locale,
    /// A member aged 14–17 whose guardian's consent is not on record yet.
    pub needs_consent: bool,
}
