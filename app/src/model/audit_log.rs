use crate::domain::codes::AuditKind;
use sea_orm::entity::prelude::*;

/// One audited action: an admin action or a door check-in. Written in the
/// same transaction as the action; never updated.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub at: DateTimeUtc,
    /// The staff account that acted; `None` for the system (jobs).
    pub actor_account_id: Option<i32>,
    /// The actor's name at the time (accounts may be deleted later).
    pub actor_name: String,
    /// The center the action concerns; `None` for region-wide actions,
    /// which only regional admins see.
    pub center_id: Option<i32>,
    /// Machine kind, e.g. `check_in`, `consent_recorded` (see audit::Kind).
    pub kind: AuditKind,
    /// What was acted on, e.g. `member 000012`, `space 3`.
    pub subject: String,
    /// Short, language-neutral detail (values, reasons).
    pub detail: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
