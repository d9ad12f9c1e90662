//! Scan-station server fn.

use leptos::prelude::*;

use super::dto::{
    DoorMatchDto, OfflineBundleDto, OfflineScanDto, ScanVerdictDto, SyncReportDto, TodayBoardDto,
};
use crate::error::AppError;

/// Check a pass code at the door and record the check-in when it admits
/// (`exit`: record the check-out instead). Front desk, directors and
/// admins only.
#[server(endpoint = "scan")]
pub async fn scan_pass(code: String, exit: Option<bool>) -> Result<ScanVerdictDto, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            user.require(|r| r.can_scan())?;
            if code.trim().is_empty() {
                return Err(AppError::InvalidInput("code".into()));
            }
            let state = crate::state::app_state()?;
            if exit == Some(true) {
                return super::door::check_out(
                    &state.db,
                    &state.keys,
                    &user,
                    &code,
                    state.now(),
                    request_locale(),
                )
                .await;
            }
            super::service::scan(
                &state.db,
                &state.keys,
                &user,
                &code,
                state.now(),
                request_locale(),
            )
            .await
        }
        .await,
    )
}

/// Undo an admission made by mistake (kept in the audit trail).
#[server(endpoint = "undo_check_in")]
pub async fn undo_check_in(check_in_id: i32) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let user = crate::access::require_user().await?;
            user.require(|r| r.can_scan())?;
            let state = crate::state::app_state()?;
            super::door::undo_check_in(&state.db, &user, check_in_id, state.now()).await
        }
        .await,
    )
}

/// Today's bookings of a center with their state and who is inside.
#[server(endpoint = "today_board")]
pub async fn today_board(center_id: Option<i32>) -> Result<TodayBoardDto, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            user.require(|r| r.can_scan())?;
            let state = crate::state::app_state()?;
            super::door::today_board(&state.db, &user, center_id, state.now(), request_locale())
                .await
        }
        .await,
    )
}

/// Find today's passes by member name, phone or booking number (the scan
/// station's fallback when a code will not scan).
#[server(endpoint = "door_search")]
pub async fn door_search(query: String) -> Result<Vec<DoorMatchDto>, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            user.require(|r| r.can_scan())?;
            let state = crate::state::app_state()?;
            super::door::door_search(&state.db, &user, &query, state.now(), request_locale()).await
        }
        .await,
    )
}

/// What the scan station needs to keep deciding offline today.
#[server(endpoint = "offline_bundle")]
pub async fn offline_bundle() -> Result<OfflineBundleDto, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            user.require(|r| r.can_scan())?;
            let state = crate::state::app_state()?;
            super::door::offline_bundle(
                &state.db,
                &state.keys,
                &user,
                state.now(),
                request_locale(),
            )
            .await
        }
        .await,
    )
}

/// Upload scans made offline (JSON body); safe to repeat.
#[server(endpoint = "sync_offline", input = leptos::server_fn::codec::Json)]
pub async fn sync_offline(
    device: String,
    scans: Vec<OfflineScanDto>,
) -> Result<SyncReportDto, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            user.require(|r| r.can_scan())?;
            let state = crate::state::app_state()?;
            super::door::sync_offline(
                &state.db,
                &state.keys,
                &user,
                &device,
                scans,
                state.now(),
                request_locale(),
            )
            .await
        }
        .await,
    )
}
