use sea_orm::entity::prelude::*;

/// A public holiday: centers are closed. Fixed ones recur every year
/// (`year` empty); movable ones (Oraza ait, Kurban ait) are entered per year.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "holidays")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub year: Option<i32>,
    pub month: i16,
    pub day: i16,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
