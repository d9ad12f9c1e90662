//! Reporting server fns.

use leptos::prelude::*;

use super::dto::OccupancyDto;
use crate::error::AppError;

/// Today's occupancy of a center. Directors see their own center only;
/// regional admins any center (default: the first, the regional one).
#[server(endpoint = "occupancy_today")]
pub async fn occupancy_today(center_id: Option<i32>) -> Result<OccupancyDto, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            use crate::domain::people::Role;

            let user = require_user().await?;
            user.require(|r| r.can_report())?;
            let state = crate::state::app_state()?;
            let l = request_locale();
            let target = match (user.role, center_id, user.home_center_id) {
                (Role::Admin, Some(c), _) => c,
                (Role::Admin, None, Some(home)) => home,
                (Role::Admin, None, None) => crate::centers::service::list_centers(&state.db, l)
                    .await?
                    .first()
                    .map(|c| c.id)
                    .ok_or(AppError::NotFound)?,
                (_, requested, Some(home)) => {
                    if requested.is_some_and(|c| c != home) {
                        return Err(AppError::Forbidden);
                    }
                    home
                }
                (_, _, None) => return Err(AppError::Forbidden),
            };
            let mut dto =
                super::service::day_occupancy(&state.db, target, None, state.now(), l).await?;
            if user.role != Role::Admin {
                dto.centers.retain(|c| c.id == target);
            }
            Ok(dto)
        }
        .await,
    )
}

/// A center's dashboard for a date range, with the previous period.
/// Directors: their own centers; regional admins: every center.
#[server(endpoint = "center_report")]
pub async fn center_report(
    #[server(default)] query: super::dto::ReportQuery,
) -> Result<super::dto::CenterReportDto, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            let state = crate::state::app_state()?;
            let l = request_locale();
            let (id, centers) =
                super::service::authorize_center(&state.db, &user, query.center, l).await?;
            super::service::center_report(&state.db, id, query, centers, state.now(), l).await
        }
        .await,
    )
}

/// Centers side by side (admins: all; directors: their own), small
/// breakdown counts suppressed.
#[server(endpoint = "regional_report")]
pub async fn regional_report(
    #[server(default)] query: super::dto::ReportQuery,
) -> Result<super::dto::RegionalDto, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            let state = crate::state::app_state()?;
            let l = request_locale();
            let ids = super::service::authorize_region(&state.db, &user).await?;
            super::service::regional_report(&state.db, ids, query, state.now(), l).await
        }
        .await,
    )
}
