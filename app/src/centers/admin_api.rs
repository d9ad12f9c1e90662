//! Server fns of the regional admin's centers and holiday calendar, and of
//! the holiday openings directors decide.

use leptos::prelude::*;

use super::admin_dto::*;
use crate::error::AppError;

/// Every center, deactivated ones too (regional admin).
#[server(endpoint = "admin_centers")]
pub async fn admin_centers() -> Result<Vec<CenterRowDto>, AppError> {
    crate::access::signed_in(
        |r| r.is_admin(),
        |cx, user| async move { super::admin::list(&cx.db, &user, cx.l).await },
    )
    .await
}

/// One center's card and hours for the edit form (regional admin).
#[server(endpoint = "admin_center")]
pub async fn admin_center(center_id: i32) -> Result<CenterAdminDto, AppError> {
    crate::access::signed_in(
        |r| r.is_admin(),
        |cx, user| async move { super::admin::get(&cx.db, &user, center_id, cx.l).await },
    )
    .await
}

/// Open a new center; returns its id (regional admin).
#[server(endpoint = "create_center")]
pub async fn create_center(form: CenterForm) -> Result<i32, AppError> {
    crate::access::signed_in(
        |r| r.is_admin(),
        |cx, user| async move { super::admin::create(&cx.db, &user, form, cx.now()).await },
    )
    .await
}

/// Save a center's card and weekly hours (regional admin).
#[server(endpoint = "save_center")]
pub async fn save_center(center_id: i32, form: CenterForm) -> Result<(), AppError> {
    crate::access::signed_in(
        |r| r.is_admin(),
        |cx, user| async move {
            super::admin::update(&cx.db, &user, center_id, form, cx.now()).await
        },
    )
    .await
}

/// Deactivate (`active` = false) or reactivate a center (regional admin).
#[server(endpoint = "set_center_active")]
pub async fn set_center_active(center_id: i32, active: bool) -> Result<(), AppError> {
    crate::access::signed_in(
        |r| r.is_admin(),
        |cx, user| async move {
            super::admin::set_active(&cx.db, &user, center_id, active, cx.now()).await
        },
    )
    .await
}

/// The holidays of a year (this year when none), fixed and movable
/// (regional admin).
#[server(endpoint = "holidays_admin")]
pub async fn holidays_admin(year: Option<i32>) -> Result<HolidaysDto, AppError> {
    crate::access::signed_in(
        |r| r.is_admin(),
        |cx, user| async move {
            super::calendar::year_view(&cx.db, &user, year, cx.now(), cx.l).await
        },
    )
    .await
}

/// Add a movable holiday for one year; returns the year (regional admin).
#[server(endpoint = "add_holiday")]
pub async fn add_holiday(holiday: HolidayForm) -> Result<i32, AppError> {
    crate::access::signed_in(
        |r| r.is_admin(),
        |cx, user| async move {
            super::calendar::add_holiday(&cx.db, &user, holiday, cx.now()).await
        },
    )
    .await
}

/// Remove a holiday from the calendar (regional admin).
#[server(endpoint = "remove_holiday")]
pub async fn remove_holiday(holiday_id: i32) -> Result<(), AppError> {
    crate::access::signed_in(
        |r| r.is_admin(),
        |cx, user| async move {
            super::calendar::remove_holiday(&cx.db, &user, holiday_id, cx.now()).await
        },
    )
    .await
}

/// Upcoming holiday openings of the staff user's centers.
#[server(endpoint = "holiday_openings")]
pub async fn holiday_openings() -> Result<HolidayOpeningsDto, AppError> {
    crate::access::signed_in(
        |r| r.can_scan(),
        |cx, user| async move {
            let scope = crate::access::staff_centers(&cx.db, &user).await?;
            let today = super::service::region_today(&cx.db, cx.now()).await?;
            let openings = super::calendar::list_openings(&cx.db, scope, today, cx.l).await?;
            Ok(HolidayOpeningsDto {
                may_edit: user.role.can_report(),
                openings,
            })
        },
    )
    .await
}

/// Open a center on a holiday for an event (its director, admins).
#[server(endpoint = "add_holiday_opening")]
pub async fn add_holiday_opening(
    center_id: i32,
    day: String,
    reason: String,
) -> Result<(), AppError> {
    crate::access::signed_in(
        |r| r.can_report(),
        |cx, user| async move {
            super::calendar::add_opening(&cx.db, &user, center_id, &day, &reason, cx.now()).await
        },
    )
    .await
}

/// Keep the holiday closed after all (its director, admins).
#[server(endpoint = "remove_holiday_opening")]
pub async fn remove_holiday_opening(opening_id: i32) -> Result<(), AppError> {
    crate::access::signed_in(
        |r| r.can_report(),
        |cx, user| async move {
            super::calendar::remove_opening(&cx.db, &user, opening_id, cx.now()).await
        },
    )
    .await
}
