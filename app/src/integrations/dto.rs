//! API token DTOs (wasm-safe).

use serde::{Deserialize, Serialize};

pub use crate::domain::apitoken::ApiScope;

/// One token in the admin list. The token itself is never shown again
/// after creation, only its first characters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiTokenRowDto {
    pub id: i32,
    pub name: String,
    pub center: String,
    pub scopes: Vec<ApiScope>,
    /// `oqk_ab12cd…`
    pub shown: String,
    pub rate_per_minute: u32,
    /// Center-local `dd.mm.yyyy HH:MM`.
    pub created_at: String,
    pub last_used: Option<String>,
    pub revoked_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiTokensDto {
    pub tokens: Vec<ApiTokenRowDto>,
    /// Centers a token can be made for: `(id, name)`.
    pub centers: Vec<(i32, String)>,
}

/// The "new token" form. Checkboxes arrive as a list of the checked values.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ApiTokenForm {
    pub name: String,
    pub center_id: String,
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Empty: the default limit.
    #[serde(default)]
    pub rate_per_minute: String,
}
