//! Server fns of the centers core: the public list of centers and spaces,
//! and the staff settings of centers and spaces.

use leptos::prelude::*;

use super::dto::*;
use crate::error::AppError;

/// All centers (public).
#[server(endpoint = "centers")]
pub async fn list_centers() -> Result<Vec<CenterDto>, AppError> {
    crate::error::respond(
        async move {
            use crate::access::request_locale;
            let state = crate::state::app_state()?;
            super::service::list_centers(&state.db, request_locale()).await
        }
        .await,
    )
}

/// A center and its spaces (public).
#[server(endpoint = "center")]
pub async fn center_detail(center_id: i32) -> Result<CenterDetailDto, AppError> {
    crate::error::respond(
        async move {
            use crate::access::request_locale;
            let state = crate::state::app_state()?;
            super::service::center_detail(&state.db, center_id, request_locale()).await
        }
        .await,
    )
}

/// The director's centers and their spaces.
#[server(endpoint = "managed_spaces")]
pub async fn managed_spaces() -> Result<Vec<ManagedCenterDto>, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            user.require(|r| r.can_report())?;
            let state = crate::state::app_state()?;
            super::manage::managed_spaces(&state.db, &user, request_locale()).await
        }
        .await,
    )
}

/// A space's rules for the director's form.
#[server(endpoint = "space_rules")]
pub async fn space_rules(space_id: i32) -> Result<SpaceRulesDto, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            user.require(|r| r.can_report())?;
            let state = crate::state::app_state()?;
            super::manage::space_rules(&state.db, &user, space_id, request_locale()).await
        }
        .await,
    )
}

/// Save a space's rules (director of its center, or admin).
#[server(endpoint = "save_space_rules")]
pub async fn save_space_rules(space_id: i32, rules: SpaceRulesForm) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let user = crate::access::require_user().await?;
            user.require(|r| r.can_report())?;
            let state = crate::state::app_state()?;
            super::manage::update_space_rules(&state.db, &user, space_id, rules, state.now()).await
        }
        .await,
    )
}

/// Spaces that need an induction, in the staff user's centers.
#[server(endpoint = "induction_spaces")]
pub async fn induction_spaces() -> Result<Vec<SpaceDto>, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            user.require(|r| r.can_scan())?;
            let state = crate::state::app_state()?;
            super::manage::induction_spaces(&state.db, &user, request_locale()).await
        }
        .await,
    )
}

/// Record (`passed` = true) or withdraw a member's induction for a space.
#[server(endpoint = "set_induction")]
pub async fn set_induction(person_id: i32, space_id: i32, passed: bool) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let user = crate::access::require_user().await?;
            user.require(|r| r.can_scan())?;
            let state = crate::state::app_state()?;
            super::manage::set_induction(&state.db, &user, person_id, space_id, passed, state.now())
                .await
        }
        .await,
    )
}

/// Upcoming closures of the centers the staff user manages.
#[server(endpoint = "closures")]
pub async fn closures() -> Result<ClosuresDto, AppError> {
    crate::error::respond(
        async move {
            use crate::access::staff_centers;
            use crate::access::{request_locale, require_user};
            use crate::centers::service::region_today;
            let user = require_user().await?;
            user.require(|r| r.can_scan())?;
            let state = crate::state::app_state()?;
            let l = request_locale();
            let scope = staff_centers(&state.db, &user).await?;
            let today = region_today(&state.db, state.now()).await?;
            let mut centers = super::service::list_centers(&state.db, l).await?;
            if let Some(cs) = &scope {
                centers.retain(|c| cs.contains(&c.id));
            }
            let closures = super::manage::list_closures(&state.db, scope, today, l).await?;
            Ok(ClosuresDto { centers, closures })
        }
        .await,
    )
}

/// Reopen a closed day.
#[server(endpoint = "remove_closure")]
pub async fn remove_closure(closure_id: i32) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let user = crate::access::require_user().await?;
            user.require(|r| r.can_scan())?;
            let state = crate::state::app_state()?;
            super::manage::remove_closure(&state.db, &user, closure_id, state.now()).await
        }
        .await,
    )
}

/// A center's opening hours and fair-share limits (its director, admins).
#[server(endpoint = "center_settings")]
pub async fn center_settings(center_id: i32) -> Result<CenterSettingsDto, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            user.require(|r| r.can_report())?;
            let state = crate::state::app_state()?;
            super::manage::center_settings(&state.db, &user, center_id, request_locale()).await
        }
        .await,
    )
}

/// Save a center's opening hours and fair-share limits.
#[server(endpoint = "save_center_settings")]
pub async fn save_center_settings(
    center_id: i32,
    settings: CenterSettingsForm,
) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let user = crate::access::require_user().await?;
            user.require(|r| r.can_report())?;
            let state = crate::state::app_state()?;
            super::manage::save_center_settings(&state.db, &user, center_id, settings, state.now())
                .await
        }
        .await,
    )
}
