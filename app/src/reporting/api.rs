//! Reporting server fns.

use leptos::prelude::*;

use super::dto::OccupancyDto;
use crate::error::AppError;

/// Today's occupancy of a center. Directors see their own center only;
/// regional admins any center (default: the first, the regional one).
#[server(endpoint = "occupancy_today")]
pub async fn occupancy_today(center_id: Option<i32>) -> Result<OccupancyDto, AppError> {
    crate::access::signed_in(
        |r| r.can_report(),
        |cx, user| async move {
            super::service::occupancy_for(&cx.db, &user, center_id, cx.now(), cx.l).await
        },
    )
    .await
}

/// A center's dashboard for a date range, with the previous period.
/// Directors: their own centers; regional admins: every center.
#[server(endpoint = "center_report")]
pub async fn center_report(
    #[server(default)] query: super::dto::ReportQuery,
) -> Result<super::dto::CenterReportDto, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            let l = cx.l;
            let (id, centers) =
                super::service::authorize_center(&cx.db, &user, query.center, l).await?;
            super::service::center_report(&cx.db, id, query, centers, cx.now(), l).await
        },
    )
    .await
}

/// Centers side by side (admins: all; directors: their own), small
/// breakdown counts suppressed.
#[server(endpoint = "regional_report")]
pub async fn regional_report(
    #[server(default)] query: super::dto::ReportQuery,
) -> Result<super::dto::RegionalDto, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            let l = cx.l;
            let ids = super::service::authorize_region(&cx.db, &user).await?;
            super::service::regional_report(&cx.db, ids, query, cx.now(), l).await
        },
    )
    .await
}
