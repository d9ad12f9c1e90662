use crate::domain::lang::Locale;
use crate::domain::people::{Education, Occupation, Settlement};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "people")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub full_name: String,
    pub birth_date: Date,
    #[sea_orm(unique)]
    pub phone: Option<String>,
    #[sea_orm(unique)]
    pub email: Option<String>,
    /// `kk`, `ru` or `en`.
    pub preferred_lang: Locale,
    pub created_at: DateTimeUtc,
    /// Kazakhstan IIN (12 digits), optional; unique when given.
    #[sea_orm(unique)]
    pub iin: Option<String>,
    /// `city` or `rural`.
    pub settlement: Settlement,
    /// See `domain::people::Occupation`.
    pub occupation: Occupation,
    /// See `domain::people::Education`.
    pub education: Education,
    /// Guardian of a member aged 14–17.
    pub guardian_name: Option<String>,
    pub guardian_phone: Option<String>,
    /// Optional; the consent code is sent here too.
    pub guardian_email: Option<String>,
    /// Why an admin admitted someone outside 14–35 (e.g. a 36-year-old mentor).
    pub eligibility_override: Option<String>,
    /// How the member wants notifications; `None`: email when they have an
    /// address, else a text message.
    pub notify_channel: Option<crate::domain::codes::NotifyChannel>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
