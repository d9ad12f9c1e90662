use sea_orm::entity::prelude::*;

/// A scan made while the desk was offline, as uploaded (see
/// `passes::door::sync_offline`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "offline_scans")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Chosen by the scanning device; unique, so uploads can be repeated.
    pub nonce: String,
    pub device: String,
    pub code: String,
    pub exit: bool,
    pub scanned_at: DateTimeUtc,
    pub uploaded_at: DateTimeUtc,
    pub uploaded_by: i32,
    /// `pending` while being applied, then the scan verdict's code
    /// (`admitted`, `checked_out`, `already_checked_in` = a conflict, …).
    pub result: String,
    pub detail: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
