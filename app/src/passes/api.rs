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
    crate::access::signed_in(
        |r| r.can_scan(),
        |cx, user| async move {
            if code.trim().is_empty() {
                return Err(AppError::InvalidInput("code".into()));
            }
            if exit == Some(true) {
                super::door::check_out(&cx.db, &cx.keys, &user, &code, cx.now(), cx.l).await
            } else {
                super::scan::scan(&cx.db, &cx.keys, &user, &code, cx.now(), cx.l).await
            }
        },
    )
    .await
}

/// Undo an admission made by mistake (kept in the audit trail).
#[server(endpoint = "undo_check_in")]
pub async fn undo_check_in(check_in_id: i32) -> Result<(), AppError> {
    crate::access::signed_in(|r| r.can_scan(), |cx, user| async move {
        super::door::undo_check_in(&cx.db, &user, check_in_id, cx.now()).await
    })
    .await
}

/// Today's bookings of a center with their state and who is inside.
#[server(endpoint = "today_board")]
pub async fn today_board(center_id: Option<i32>) -> Result<TodayBoardDto, AppError> {
    crate::access::signed_in(
        |r| r.can_scan(),
        |cx, user| async move {
            super::door::today_board(&cx.db, &user, center_id, cx.now(), cx.l).await
        },
    )
    .await
}

/// Find today's passes by member name, phone or booking number (the scan
/// station's fallback when a code will not scan).
#[server(endpoint = "door_search")]
pub async fn door_search(query: String) -> Result<Vec<DoorMatchDto>, AppError> {
    crate::access::signed_in(|r| r.can_scan(), |cx, user| async move {
        super::door::door_search(&cx.db, &user, &query, cx.now(), cx.l).await
    })
    .await
}

/// What the scan station needs to keep deciding offline today.
#[server(endpoint = "offline_bundle")]
pub async fn offline_bundle() -> Result<OfflineBundleDto, AppError> {
    crate::access::signed_in(
        |r| r.can_scan(),
        |cx, user| async move {
            super::door::offline_bundle(&cx.db, &cx.keys, &user, cx.now(), cx.l).await
        },
    )
    .await
}

/// Upload scans made offline (JSON body); safe to repeat.
#[server(endpoint = "sync_offline", input = leptos::server_fn::codec::Json)]
pub async fn sync_offline(
    device: String,
    scans: Vec<OfflineScanDto>,
) -> Result<SyncReportDto, AppError> {
    crate::access::signed_in(
        |r| r.can_scan(),
        |cx, user| async move {
            super::door::sync_offline(&cx.db, &cx.keys, &user, &device, scans, cx.now(), cx.l).await
        },
    )
    .await
}
