//! Programs server fns: thin wrappers that authorize the caller, call the
//! service and return DTOs. Listing programs and verifying a certificate are
//! public; everything else needs a signed-in caller with the right role.

use leptos::prelude::*;

use super::dto::*;
use crate::error::AppError;

/// Active programs of every center (public).
#[server(endpoint = "programs")]
pub async fn list_programs() -> Result<Vec<ProgramCardDto>, AppError> {
    crate::access::public(|cx| async move {
        super::service::list_programs(&cx.db, cx.now(), cx.l).await
    })
    .await
}

/// A program's page (public); a signed-in member also sees whether they
/// may apply, with every reason if not, and their application.
#[server(endpoint = "program")]
pub async fn program_detail(program_id: i32) -> Result<ProgramDetailDto, AppError> {
    crate::access::public(|cx| async move {
        let user = crate::access::current_user().await?;
        super::service::program_detail(&cx.db, user.as_ref(), program_id, cx.now(), cx.l).await
    })
    .await
}

/// Apply to a program as the signed-in member (any role: staff are members
/// too). Returns the application id.
#[server(endpoint = "apply_program")]
pub async fn apply_to_program(program_id: i32, form: ApplyForm) -> Result<i32, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            let a = super::service::apply(&cx.db, &user, program_id, &form, cx.now()).await?;
            Ok(a.id)
        },
    )
    .await
}

/// The signed-in member's applications.
#[server(endpoint = "my_applications")]
pub async fn my_applications() -> Result<Vec<MyApplicationDto>, AppError> {
    crate::access::signed_in(|_| true, |cx, user| async move {
        super::service::my_applications(&cx.db, &user, cx.now(), cx.l).await
    })
    .await
}

/// Withdraw one's own application.
#[server(endpoint = "withdraw_application")]
pub async fn withdraw_application(application_id: i32) -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::service::withdraw(&cx.db, &user, application_id, cx.now()).await
        },
    )
    .await
}

/// Applications waiting for review in the staff user's centers.
#[server(endpoint = "program_review")]
pub async fn review_queue() -> Result<Vec<ReviewRowDto>, AppError> {
    crate::access::signed_in(
        |r| r.can_scan(),
        |cx, user| async move { super::review::review_queue(&cx.db, &user, cx.now(), cx.l).await },
    )
    .await
}

/// Accept (`accept` = true) or reject (with a reason) an application.
/// Returns whether it was accepted.
#[server(endpoint = "decide_application")]
pub async fn decide_application(
    application_id: i32,
    accept: bool,
    reason: Option<String>,
) -> Result<bool, AppError> {
    crate::access::signed_in(
        |r| r.can_scan(),
        |cx, user| async move {
            super::review::decide(
                &cx.db,
                &user,
                application_id,
                accept,
                reason.as_deref().unwrap_or(""),
                cx.now(),
            )
            .await?;
            Ok(accept)
        },
    )
    .await
}

/// Programs of the staff user's centers.
#[server(endpoint = "managed_programs")]
pub async fn managed_programs() -> Result<ManagedProgramsDto, AppError> {
    crate::access::signed_in(
        |r| r.can_scan(),
        |cx, user| async move { super::staff::managed_programs(&cx.db, &user, cx.l).await },
    )
    .await
}

/// Create a program (director of the center, admin). Returns its id.
#[server(endpoint = "create_program")]
pub async fn create_program(form: ProgramForm) -> Result<i32, AppError> {
    crate::access::signed_in(
        |r| r.can_report(),
        |cx, user| async move {
            let p = super::staff::create_program(&cx.db, &user, &form, cx.now()).await?;
            Ok(p.id)
        },
    )
    .await
}

/// Add a session or a weekly series (director of the center, admin).
/// Returns how many sessions were added.
#[server(endpoint = "add_program_sessions")]
pub async fn add_program_sessions(program_id: i32, series: SessionsForm) -> Result<u32, AppError> {
    crate::access::signed_in(
        |r| r.can_report(),
        |cx, user| async move {
            super::staff::add_sessions(&cx.db, &user, program_id, &series, cx.now()).await
        },
    )
    .await
}

/// The staff page of a program (staff of its center).
#[server(endpoint = "program_staff")]
pub async fn program_staff(program_id: i32) -> Result<ProgramStaffDto, AppError> {
    crate::access::signed_in(
        |r| r.can_scan(),
        |cx, user| async move {
            super::staff::program_staff(&cx.db, &user, program_id, cx.now(), cx.l).await
        },
    )
    .await
}

/// A session's roster (staff of the program's center).
#[server(endpoint = "program_roster")]
pub async fn session_roster(session_id: i32) -> Result<RosterDto, AppError> {
    crate::access::signed_in(
        |r| r.can_scan(),
        |cx, user| async move {
            super::staff::roster(&cx.db, &user, session_id, cx.now(), cx.l).await
        },
    )
    .await
}

/// Tick or untick a participant on a session (staff of the center).
#[server(endpoint = "mark_program_attendance")]
pub async fn mark_attendance(
    session_id: i32,
    person_id: i32,
    present: bool,
) -> Result<(), AppError> {
    crate::access::signed_in(
        |r| r.can_scan(),
        |cx, user| async move {
            super::staff::mark_attendance(&cx.db, &user, session_id, person_id, present, cx.now())
                .await
        },
    )
    .await
}

/// Issue certificates to every participant who completed the program
/// (staff of the center, after the last session). Returns how many.
#[server(endpoint = "issue_certificates")]
pub async fn issue_certificates(program_id: i32) -> Result<u32, AppError> {
    crate::access::signed_in(
        |r| r.can_scan(),
        |cx, user| async move {
            super::certificates::issue_certificates(&cx.db, &user, program_id, cx.now()).await
        },
    )
    .await
}

/// A certificate by its code (public: anyone holding the code or scanning
/// the QR may verify it).
#[server(endpoint = "certificate")]
pub async fn certificate(code: String) -> Result<CertificateDto, AppError> {
    crate::access::public(|cx| async move {
        super::certificates::certificate(&cx.db, &code, &crate::access::request_base_url(), cx.l)
            .await
    })
    .await
}
