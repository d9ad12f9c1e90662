use sea_orm::entity::prelude::*;

/// A field of youth policy the region reports by (media, ecology, IT and AI…).
/// Kept as data so the region can add its own; a retired one stays on the
/// activities that used it but is no longer offered.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "directions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    /// Sort order in lists and reports.
    pub position: i32,
    pub retired: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
