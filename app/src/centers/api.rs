//! Server fns of the centers core: the public list of centers and spaces,
//! and the staff settings of centers and spaces.

use leptos::prelude::*;

use super::dto::*;
use crate::error::AppError;

/// The active centers (public); deactivated ones take nothing new.
#[server(endpoint = "centers")]
pub async fn list_centers() -> Result<Vec<CenterDto>, AppError> {
    crate::access::public(|cx| async move {
        let mut centers = super::service::list_centers(&cx.db, cx.l).await?;
        centers.retain(|c| c.active);
        Ok(centers)
    })
    .await
}

/// A center and its spaces (public).
#[server(endpoint = "center")]
pub async fn center_detail(center_id: i32) -> Result<CenterDetailDto, AppError> {
    crate::access::public(|cx| async move {
        super::service::center_detail(&cx.db, center_id, cx.l).await
    })
    .await
}

/// The director's centers and their spaces.
#[server(endpoint = "managed_spaces")]
pub async fn managed_spaces() -> Result<Vec<ManagedCenterDto>, AppError> {
    crate::access::signed_in(
        |r| r.can_report(),
        |cx, user| async move { super::manage::managed_spaces(&cx.db, &user, cx.l).await },
    )
    .await
}

/// A space's rules for the director's form.
#[server(endpoint = "space_rules")]
pub async fn space_rules(space_id: i32) -> Result<SpaceRulesDto, AppError> {
    crate::access::signed_in(
        |r| r.can_report(),
        |cx, user| async move { super::manage::space_rules(&cx.db, &user, space_id, cx.l).await },
    )
    .await
}

/// Save a space's rules (director of its center, or admin).
#[server(endpoint = "save_space_rules")]
pub async fn save_space_rules(space_id: i32, rules: SpaceRulesForm) -> Result<(), AppError> {
    crate::access::signed_in(
        |r| r.can_report(),
        |cx, user| async move {
            super::manage::update_space_rules(&cx.db, &user, space_id, rules, cx.now()).await
        },
    )
    .await
}

/// Spaces that need an induction, in the staff user's centers.
#[server(endpoint = "induction_spaces")]
pub async fn induction_spaces() -> Result<Vec<SpaceDto>, AppError> {
    crate::access::signed_in(
        |r| r.can_scan(),
        |cx, user| async move { super::manage::induction_spaces(&cx.db, &user, cx.l).await },
    )
    .await
}

/// Record (`passed` = true) or withdraw a member's induction for a space.
#[server(endpoint = "set_induction")]
pub async fn set_induction(person_id: i32, space_id: i32, passed: bool) -> Result<(), AppError> {
    crate::access::signed_in(
        |r| r.can_scan(),
        |cx, user| async move {
            super::manage::set_induction(&cx.db, &user, person_id, space_id, passed, cx.now()).await
        },
    )
    .await
}

/// Upcoming closures of the centers the staff user manages.
#[server(endpoint = "closures")]
pub async fn closures() -> Result<ClosuresDto, AppError> {
    crate::access::signed_in(
        |r| r.can_scan(),
        |cx, user| async move {
            use crate::access::staff_centers;
            use crate::centers::service::region_today;
            let l = cx.l;
            let scope = staff_centers(&cx.db, &user).await?;
            let today = region_today(&cx.db, cx.now()).await?;
            let mut centers = super::service::list_centers(&cx.db, l).await?;
            if let Some(cs) = &scope {
                centers.retain(|c| cs.contains(&c.id));
            }
            let closures = super::manage::list_closures(&cx.db, scope, today, l).await?;
            Ok(ClosuresDto { centers, closures })
        },
    )
    .await
}

/// Reopen a closed day.
#[server(endpoint = "remove_closure")]
pub async fn remove_closure(closure_id: i32) -> Result<(), AppError> {
    crate::access::signed_in(
        |r| r.can_scan(),
        |cx, user| async move {
            super::manage::remove_closure(&cx.db, &user, closure_id, cx.now()).await
        },
    )
    .await
}

/// A center's opening hours and fair-share limits (its director, admins).
#[server(endpoint = "center_settings")]
pub async fn center_settings(center_id: i32) -> Result<CenterSettingsDto, AppError> {
    crate::access::signed_in(|r| r.can_report(), |cx, user| async move {
        super::manage::center_settings(&cx.db, &user, center_id, cx.l).await
    })
    .await
}

/// Save a center's opening hours and fair-share limits.
#[server(endpoint = "save_center_settings")]
pub async fn save_center_settings(
    center_id: i32,
    settings: CenterSettingsForm,
) -> Result<(), AppError> {
    crate::access::signed_in(
        |r| r.can_report(),
        |cx, user| async move {
            super::manage::save_center_settings(&cx.db, &user, center_id, settings, cx.now()).await
        },
    )
    .await
}

/// The region's directions with how often each is used (regional admin).
#[server(endpoint = "directions_admin")]
pub async fn directions_admin() -> Result<Vec<DirectionRowDto>, AppError> {
    crate::access::signed_in(
        |r| r.is_admin(),
        |cx, user| async move { super::directions::admin_list(&cx.db, &user, cx.l).await },
    )
    .await
}

/// Add a direction (`new`) or rename one (regional admin).
#[server(endpoint = "save_direction")]
pub async fn save_direction(direction: DirectionForm, new: bool) -> Result<(), AppError> {
    crate::access::signed_in(|r| r.is_admin(), |cx, user| async move {
        super::directions::save(&cx.db, &user, direction, new, cx.now()).await
    })
    .await
}

/// Retire a direction (an unused one is deleted) or restore it.
#[server(endpoint = "set_direction_retired")]
pub async fn set_direction_retired(code: String, retired: bool) -> Result<(), AppError> {
    crate::access::signed_in(
        |r| r.is_admin(),
        |cx, user| async move {
            super::directions::set_retired(&cx.db, &user, &code, retired, cx.now()).await
        },
    )
    .await
}
