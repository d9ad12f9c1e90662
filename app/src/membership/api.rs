//! Server fns for signing in and out, registration, consent and the
//! member's own account.

use leptos::prelude::*;

use super::dto::{CardDto, MemberRowDto, StaffEditForm, StaffForm, StaffPageDto};
use super::registration::RegisterForm;
use crate::access::dto::UserDto;
#[cfg(feature = "ssr")]
use crate::access::{
    clear_session_cookie, client_ip, current_user, request_base_url, session_token, start_session,
};
use crate::domain::membership::ConsentState;
use crate::error::AppError;

/// Sign in with a phone number or email and a password. On success the
/// session cookie is set and the browser goes to the page for the role.
#[server(endpoint = "login")]
pub async fn login(login: String, password: String) -> Result<(), AppError> {
    crate::access::public(|cx| async move {
        if login.trim().is_empty() || password.is_empty() {
            return Err(AppError::InvalidInput("login".into()));
        }
        let ip = client_ip();
        let user =
            crate::membership::accounts::sign_in(&cx.db, &login, &password, &ip, cx.now()).await?;
        start_session(&cx.db, &user, cx.now()).await?;
        if !user.role.can_scan() {
            crate::access::clear_site_storage();
        }
        leptos_axum::redirect(user.role.home_page());
        Ok(())
    })
    .await
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    crate::access::public(|cx| async move {
        if let Some(token) = session_token() {
            crate::access::session::end_session(&cx.db, &token).await?;
        }
        clear_session_cookie();
        crate::access::clear_site_storage();
        leptos_axum::redirect("/");
        Ok(())
    })
    .await
}

/// Who is signed in (for the navigation bar); `None` when anonymous.
#[server(endpoint = "whoami")]
pub async fn whoami() -> Result<Option<UserDto>, AppError> {
    crate::access::public(|cx| async move {
        let Some(user) = current_user().await? else {
            return Ok(None);
        };
        // A guardian's consent is a member's matter (a minor booking);
        // staff are not asked, so their pages skip the two reads.
        if user.role.can_scan() {
            return Ok(Some(user.to_dto(false)));
        }
        let today = crate::centers::service::today_local(&cx.db, &user, cx.now()).await?;
        let gate = crate::access::ensure_may_book(&cx.db, user.person_id, today).await;
        Ok(Some(user.to_dto(gate == Err(AppError::ConsentRequired))))
    })
    .await
}

/// Register as a visitor (public). The same answer for a new and a known
/// phone or email: the browser goes to the page where the code sent to the
/// contact is entered (`signup::start` says why).
#[server(endpoint = "register")]
pub async fn register(form: RegisterForm) -> Result<(), AppError> {
    crate::access::public(|cx| async move {
        let today = crate::centers::service::region_today(&cx.db, cx.now()).await?;
        let m = crate::membership::registration::validate(&form, today)?;
        let base = request_base_url();
        let d = delivery(&cx, &base);
        crate::membership::signup::start(&cx.db, &d, &m, &client_ip(), cx.now()).await?;
        let login = m.phone.or(m.email).unwrap_or_default();
        let q: String = form_urlencoded::byte_serialize(login.as_bytes()).collect();
        leptos_axum::redirect(&format!("/verify?login={q}"));
        Ok(())
    })
    .await
}

#[cfg(feature = "ssr")]
fn delivery<'a>(
    cx: &'a crate::access::Ctx,
    base: &'a str,
) -> crate::membership::signup::Delivery<'a> {
    crate::membership::signup::Delivery {
        base_url: base,
        lang: cx.l,
    }
}

/// Finish a registration with the code sent to the phone or email (public,
/// rate-limited): the member is signed in and goes to the start page.
#[server(endpoint = "confirm_signup")]
pub async fn confirm_signup(login: String, code: String) -> Result<(), AppError> {
    crate::access::public(|cx| async move {
        if login.trim().is_empty() || code.trim().is_empty() || code.len() > 32 {
            return Err(AppError::InvalidInput("code".into()));
        }
        let user =
            crate::membership::signup::confirm(&cx.db, &login, &code, &client_ip(), cx.now())
                .await?;
        start_session(&cx.db, &user, cx.now()).await?;
        leptos_axum::redirect("/");
        Ok(())
    })
    .await
}

/// Send the registration code again (public, rate-limited; the same answer
/// whether or not a registration waits).
#[server(endpoint = "resend_signup_code")]
pub async fn resend_signup_code(login: String) -> Result<(), AppError> {
    crate::access::public(|cx| async move {
        let base = request_base_url();
        let d = delivery(&cx, &base);
        crate::membership::signup::resend(&cx.db, &d, &login, &client_ip(), cx.now()).await
    })
    .await
}

/// Members of the desk's centers (front desk, directors: own center; admin:
/// all), searched by name or phone.
#[server(endpoint = "desk_members")]
pub async fn desk_members(query: String) -> Result<Vec<MemberRowDto>, AppError> {
    crate::access::signed_in(
        |r| r.can_scan(),
        |cx, user| async move {
            use crate::membership::members;
            let today = crate::centers::service::today_local(&cx.db, &user, cx.now()).await?;
            members::desk_members(&cx.db, &user, &query, today, cx.now()).await
        },
    )
    .await
}

/// Record that the desk saw the guardian's signed consent form.
#[server(endpoint = "record_consent")]
pub async fn record_consent(person_id: i32) -> Result<ConsentState, AppError> {
    crate::access::signed_in(
        |r| r.can_scan(),
        |cx, user| async move {
            use crate::membership::members;
            let now = cx.now();
            let today = crate::centers::service::today_local(&cx.db, &user, now).await?;
            members::record_paper_consent(&cx.db, &user, person_id, today, now).await
        },
    )
    .await
}

/// Change the signed-in user's password (any role). Other sessions end.
#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            let keep = session_token().map(|t| crate::access::session::token_hash(&t));
            crate::membership::accounts::change_password(
                &cx.db,
                &user,
                &current_password,
                &new_password,
                keep,
            )
            .await
        },
    )
    .await
}

/// Staff (desk, director: own centers; admin: all) issue a one-time reset
/// code for a member whose identity they checked in person.
#[server(endpoint = "issue_reset_code")]
pub async fn issue_reset_code(person_id: i32) -> Result<String, AppError> {
    crate::access::signed_in(
        |r| r.can_scan(),
        |cx, user| async move {
            crate::membership::accounts::issue_reset_code(&cx.db, &user, person_id, cx.now()).await
        },
    )
    .await
}

/// Set a new password with a staff-issued code (public, rate-limited).
#[server(endpoint = "reset_password")]
pub async fn reset_password(
    login: String,
    code: String,
    new_password: String,
) -> Result<(), AppError> {
    crate::access::public(|cx| async move {
        crate::membership::accounts::reset_password(
            &cx.db,
            &login,
            &code,
            &new_password,
            &client_ip(),
            cx.now(),
        )
        .await
    })
    .await
}

/// The signed-in member's card with its signed QR membership pass.
#[server(endpoint = "my_card")]
pub async fn my_card() -> Result<CardDto, AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            crate::membership::members::membership_card(&cx.db, &cx.keys, &user, cx.now(), cx.l)
                .await
        },
    )
    .await
}

/// The staff page: every account for admins, their centers' for directors.
#[server(endpoint = "list_staff")]
pub async fn list_staff() -> Result<StaffPageDto, AppError> {
    crate::access::signed_in(
        |r| r.can_report(),
        |cx, user| async move { crate::membership::offboarding::staff_page(&cx.db, &user, cx.l).await },
    )
    .await
}

/// Disable an account (its sessions end at once) or enable it again:
/// admins any but their own, directors their centers' desk and mentors.
#[server(endpoint = "set_account_disabled")]
pub async fn set_account_disabled(account_id: i32, disabled: bool) -> Result<(), AppError> {
    crate::access::signed_in(
        |r| r.can_report(),
        |cx, user| async move {
            use crate::membership::offboarding::set_disabled;
            set_disabled(&cx.db, &user, account_id, disabled, cx.now()).await
        },
    )
    .await
}

/// Change a staff account's role and centers (within what the caller may
/// grant).
#[server(endpoint = "update_staff")]
pub async fn update_staff(account_id: i32, form: StaffEditForm) -> Result<(), AppError> {
    crate::access::signed_in(
        |r| r.can_report(),
        |cx, user| async move {
            use crate::membership::offboarding::update_staff;
            update_staff(&cx.db, &user, account_id, &form, cx.now()).await
        },
    )
    .await
}

/// End every session of a staff account.
#[server(endpoint = "end_account_sessions")]
pub async fn end_account_sessions(account_id: i32) -> Result<(), AppError> {
    crate::access::signed_in(
        |r| r.can_report(),
        |cx, user| async move {
            use crate::membership::offboarding::end_sessions;
            end_sessions(&cx.db, &user, account_id, cx.now()).await
        },
    )
    .await
}

/// Create an account with a role and centers (admins only). Returns the
/// generated initial password to hand over.
#[server(endpoint = "create_account")]
pub async fn create_account(form: StaffForm) -> Result<String, AppError> {
    crate::access::signed_in(
        |r| r.is_admin(),
        |cx, user| async move {
            let now = cx.now();
            let today = crate::centers::service::region_today(&cx.db, now).await?;
            crate::membership::staff::create_account(&cx.db, &user, &form, today, now).await
        },
    )
    .await
}

/// A minor awaiting consent sends a one-time code to the guardian's phone
/// (and email, if on record). Returns where it went, masked.
#[server(endpoint = "send_guardian_code")]
pub async fn send_guardian_code() -> Result<String, AppError> {
    crate::access::signed_in(
        |r| r == crate::domain::people::Role::Visitor,
        |cx, user| async move {
            use crate::membership::members;
            let now = cx.now();
            let today = crate::centers::service::today_local(&cx.db, &user, now).await?;
            members::send_guardian_code(&cx.db, &user, today, now, &request_base_url()).await
        },
    )
    .await
}

/// The guardian confirms consent with the code (public, rate-limited).
#[server(endpoint = "confirm_guardian_consent")]
pub async fn confirm_guardian_consent(child_login: String, code: String) -> Result<(), AppError> {
    crate::access::public(|cx| async move {
        crate::membership::members::confirm_guardian_code(
            &cx.db,
            &child_login,
            &code,
            &client_ip(),
            cx.now(),
        )
        .await
    })
    .await
}

/// A member of the desk's centers, for booking on their behalf.
#[server(endpoint = "member_brief")]
pub async fn member_brief(person_id: i32) -> Result<MemberRowDto, AppError> {
    crate::access::signed_in(
        |r| r.can_scan(),
        |cx, user| async move {
            use crate::membership::members;
            let today = crate::centers::service::today_local(&cx.db, &user, cx.now()).await?;
            members::member_brief(&cx.db, &user, person_id, today).await
        },
    )
    .await
}
