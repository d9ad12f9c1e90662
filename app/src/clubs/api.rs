//! Clubs and events server fns. Lists and pages are public (counts only, no
//! names); joining needs a signed-in member; rosters belong to the club's
//! leader and the center's staff; creating belongs to the center's director.

use leptos::prelude::*;

use super::dto::*;
use crate::error::AppError;

/// Clubs whose term has not ended (public), optionally of one center.
#[server(endpoint = "clubs")]
pub async fn list_clubs(center_id: Option<i32>) -> Result<Vec<ClubDto>, AppError> {
    crate::access::public(|cx| async move {
        use crate::access::current_user;
        let user = current_user().await?;
        super::service::list(&cx.db, center_id, user.as_ref(), cx.now(), cx.l).await
    })
    .await
}

/// A club's page (public); a member also sees their pass and attendance.
#[server(endpoint = "club")]
pub async fn club_detail(club_id: i32) -> Result<ClubDetailDto, AppError> {
    crate::access::public(|cx| async move {
        use crate::access::current_user;
        let user = current_user().await?;
        super::service::detail(&cx.db, club_id, user.as_ref(), cx.now(), cx.l).await
    })
    .await
}

/// Join a club, or its waitlist when it is full (signed-in members).
#[server(endpoint = "club_join")]
pub async fn join_club(club_id: i32) -> Result<JoinDto, AppError> {
    crate::access::signed_in(|_| true, |cx, user| async move {
        super::service::join(&cx.db, &cx.keys, &user, club_id, cx.now()).await
    })
    .await
}

/// Leave a club or its waitlist; the first in line moves up.
#[server(endpoint = "club_leave")]
pub async fn leave_club(club_id: i32) -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::service::leave(&cx.db, &cx.keys, &user, club_id, cx.now())
                .await
                .map(|_| ())
        },
    )
    .await
}

/// One session's roster (the club's leader, the center's staff).
#[server(endpoint = "club_roster")]
pub async fn club_roster(club_id: i32, session_id: Option<i32>) -> Result<RosterDto, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::roster::roster(&cx.db, &user, club_id, session_id, cx.now(), cx.l).await
        },
    )
    .await
}

/// Tick or untick a member present (leader, center staff).
#[server(endpoint = "club_mark")]
pub async fn mark_attendance(
    session_id: i32,
    person_id: i32,
    present: bool,
) -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::roster::mark(&cx.db, &user, session_id, person_id, present, cx.now()).await
        },
    )
    .await
}

/// Record an anonymous club's head count (leader, center staff).
#[server(endpoint = "club_head_count")]
pub async fn record_head_count(session_id: i32, count: u32) -> Result<u32, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::roster::head_count(&cx.db, &user, session_id, count, cx.now()).await
        },
    )
    .await
}

/// Cancel one session with a reason the members are told.
#[server(endpoint = "club_cancel_session")]
pub async fn cancel_club_session(session_id: i32, reason: String) -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::roster::cancel_session(&cx.db, &user, session_id, &reason, cx.now()).await
        },
    )
    .await
}

/// Rooms and leaders for the club and event forms (directors, admins).
#[server(endpoint = "activity_form_options")]
pub async fn activity_form_options() -> Result<FormOptionsDto, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move { super::manage::form_options(&cx.db, &user, cx.l).await },
    )
    .await
}

/// Create a club with its term of sessions (director of the room's center).
#[server(endpoint = "club_create")]
pub async fn create_club(form: ClubForm) -> Result<i32, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move { super::manage::create(&cx.db, &user, &form, cx.now()).await },
    )
    .await
}

/// Upcoming events (public), optionally of one center.
#[server(endpoint = "events")]
pub async fn list_events(center_id: Option<i32>) -> Result<Vec<EventDto>, AppError> {
    crate::access::public(|cx| async move {
        use crate::access::current_user;
        let user = current_user().await?;
        super::events::list(&cx.db, center_id, user.as_ref(), cx.now(), cx.l).await
    })
    .await
}

/// An event's page (public); a registered member also sees their pass.
#[server(endpoint = "event")]
pub async fn event_detail(event_id: i32) -> Result<EventDto, AppError> {
    crate::access::public(|cx| async move {
        use crate::access::current_user;
        let user = current_user().await?;
        super::events::detail(&cx.db, event_id, user.as_ref(), cx.now(), cx.l).await
    })
    .await
}

/// Register for an event, or its waitlist when full (signed-in members).
#[server(endpoint = "event_register")]
pub async fn register_event(event_id: i32) -> Result<JoinDto, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::events::register(&cx.db, &cx.keys, &user, event_id, cx.now()).await
        },
    )
    .await
}

/// Cancel one's registration; the first in line moves up.
#[server(endpoint = "event_cancel")]
pub async fn cancel_event_registration(event_id: i32) -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::events::cancel(&cx.db, &cx.keys, &user, event_id, cx.now()).await
        },
    )
    .await
}

/// Create an event (director of the room's center).
#[server(endpoint = "event_create")]
pub async fn create_event(form: EventForm) -> Result<i32, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move { super::events::create(&cx.db, &user, &form, cx.now()).await },
    )
    .await
}

/// The signed-in member's notices, newest first.
#[server(endpoint = "notices")]
pub async fn my_notices() -> Result<Vec<NoticeDto>, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move { super::notices::mine(&cx.db, &user, cx.l).await },
    )
    .await
}

/// Mark all of the member's notices read.
#[server(endpoint = "notices_read")]
pub async fn mark_notices_read() -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move { super::notices::mark_read(&cx.db, user.person_id, cx.now()).await },
    )
    .await
}
