use serde::{Deserialize, Serialize};

use crate::booking::dto::{CenterDto, SpaceKind};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OccupancyRowDto {
    pub space_id: i32,
    pub space_name: String,
    pub kind: SpaceKind,
    pub capacity: i32,
    pub bookings: u64,
    pub check_ins: u64,
    /// Share of capacity-hours booked inside today's opening hours (0–1);
    /// `None` when the space is closed today.
    pub booked_share: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OccupancyDto {
    pub center: CenterDto,
    /// Center-local date label.
    pub date: String,
    pub rows: Vec<OccupancyRowDto>,
    pub total_bookings: u64,
    pub total_check_ins: u64,
    pub total_share: Option<f64>,
    /// Centers the caller may switch to (admins: all; directors: own).
    pub centers: Vec<CenterDto>,
}

/// `42.5 %`-style formatting shared by page and exports.
pub fn percent(share: Option<f64>) -> String {
    match share {
        Some(s) => format!("{:.1} %", s * 100.0),
        None => "—".into(),
    }
}
