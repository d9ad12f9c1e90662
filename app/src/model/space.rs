use crate::domain::direction::Direction;
use crate::domain::space::SpaceKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "spaces")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub center_id: i32,
    /// See `dto::SpaceKind::as_str`.
    pub kind: SpaceKind,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub capacity: i32,
    pub slot_minutes: i32,
    pub active: bool,
    /// Members may cancel until this many minutes before the start.
    pub cancel_notice_minutes: i32,
    /// Shortest and longest booking, whole multiples of `slot_minutes`.
    pub min_minutes: i32,
    pub max_minutes: i32,
    /// Kept free after each booking (studio reset).
    pub buffer_minutes: i32,
    /// Bookings must start at least this long after the request.
    pub min_notice_minutes: i32,
    /// Bookings may start at most this many local days ahead (today = day 0).
    pub max_advance_days: i32,
    /// Members' requests wait for staff approval (`pending`).
    pub requires_approval: bool,
    /// Only members with a recorded induction for this space may book it.
    pub requires_induction: bool,
    /// Youngest age allowed (0: the membership rule alone).
    pub min_age: i32,
    /// People one booking may bring. For the coworking seat pool every
    /// person takes a seat; a studio or hall is taken whole by one booking.
    pub max_party: i32,
    /// The door opens this many minutes before a booking starts.
    pub checkin_open_minutes: i32,
    /// A booking nobody checked in for by start + this is a no-show.
    pub no_show_minutes: i32,
    /// `Direction::as_str`; none for spaces serving every direction.
    pub direction: Option<Direction>,
    pub description_kk: String,
    pub description_ru: String,
    pub description_en: String,
}

/// The rows this one belongs to (for loaders and joins).
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::center::Entity",
        from = "Column::CenterId",
        to = "super::center::Column::Id"
    )]
    Center,
}

impl Related<super::center::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Center.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
