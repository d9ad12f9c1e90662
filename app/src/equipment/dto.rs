use serde::{Deserialize, Serialize};

use crate::centers::dto::CenterDto;
use crate::domain::lending::{Condition, ItemKind, ItemState, LoanStatus};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemDto {
    pub id: i32,
    pub kind: ItemKind,
    pub name: String,
    pub serial: String,
    pub label_code: String,
    pub condition: Condition,
    pub state: ItemState,
    /// The space whose induction borrowers need.
    pub needs_induction: Option<String>,
    pub notes: Option<String>,
    /// Days a loan lasts.
    pub loan_days: i32,
    /// Who holds it (staff of the center only).
    pub holder: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CenterEquipmentDto {
    pub center: CenterDto,
    pub centers: Vec<CenterDto>,
    pub items: Vec<ItemDto>,
    /// The caller is staff of this center (sees holders and labels).
    pub staff: bool,
    /// The caller may add items here (directors, admins).
    pub can_add: bool,
    /// Spaces of the center with an induction (for a new item's rule).
    pub induction_spaces: Vec<(i32, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanDto {
    pub id: i32,
    pub item_id: i32,
    pub item: String,
    pub label_code: String,
    pub status: LoanStatus,
    /// Center-local pickup day of a reservation (`Wed 02.12`).
    pub pickup_on: Option<String>,
    /// Center-local due time (`Thu 03.12, 19:00`).
    pub due: Option<String>,
    pub overdue: bool,
    pub center_name: String,
}

/// The member at the desk: their reservations and loans, and what blocks them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskMemberDto {
    pub person_id: i32,
    pub name: String,
    pub member_number: String,
    /// Overdue items (borrowing is blocked while any).
    pub overdue: Vec<String>,
    pub loans: Vec<LoanDto>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueDto {
    pub loan_id: i32,
    pub item: String,
    pub label_code: String,
    pub member: String,
    pub member_number: String,
    pub due: String,
    /// Whole days past due (0 on the due day).
    pub days_late: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelDto {
    pub item: String,
    pub kind: ItemKind,
    pub serial: String,
    pub label_code: String,
    pub center_name: String,
    /// The label code as an SVG QR symbol.
    pub svg: String,
}
