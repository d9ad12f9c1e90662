//! Deactivating a space: its future bookings are cancelled (passes revoked,
//! slots freed) and every member concerned is told why — an in-app notice,
//! an email and a text message, each in the member's own language — in the
//! same way a closure day cancels bookings. Never silent: the caller must
//! confirm, after the page listed exactly these bookings.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, IntoActiveModel, Set};

use super::changes::cancel_bookings;
use crate::access::session::CurrentUser;
use crate::centers::spaces::{booking_cancelled_notice, editable_space, future_bookings};
use crate::centers::spaces_dto::MAX_REASON;
use crate::domain::codes::NoticeKind;
use crate::error::{AppError, Problem};
use crate::model::{self, notice, person};

fn invalid(field: &str, problem: Problem) -> AppError {
    AppError::Invalid {
        field: field.into(),
        problem,
    }
}

/// Deactivate a space (director of its center, admin): without `confirm`
/// nothing changes. Its future bookings are cancelled with `reason` (needed
/// when there are any) and the members told. Returns how many were
/// cancelled; a space already deactivated is left as it is.
pub async fn deactivate_space(
    db: &DatabaseConnection,
    user: &CurrentUser,
    space_id: i32,
    reason: &str,
    confirm: bool,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    editable_space(db, user, space_id).await?;
    let reason = reason.trim();
    if reason.chars().count() > MAX_REASON {
        return Err(invalid("reason", Problem::TooLong));
    }
    let txn = model::begin_write(db).await?;
    let backend = sea_orm::ConnectionTrait::get_database_backend(&txn);
    let s = editable_space(&txn, user, space_id).await?;
    // Lock the space row: no booking slips in while it closes.
    let s = model::for_update(crate::model::space::Entity::find_by_id(s.id), backend)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if !confirm {
        return Err(invalid("confirm", Problem::Required));
    }
    if !s.active {
        return Ok(0);
    }
    let affected = future_bookings(&txn, s.id, now).await?;
    if !affected.is_empty() && reason.is_empty() {
        return Err(invalid("reason", Problem::Required));
    }
    let center_id = s.center_id;
    let subject = format!("space {} ({})", s.id, s.name_en);
    let mut am = s.into_active_model();
    am.active = Set(false);
    am.update(&txn).await?;
    let ids: Vec<i32> = affected.iter().map(|b| b.id).collect();
    cancel_bookings(&txn, ids, user.account_id, now).await?;
    if !affected.is_empty() {
        notice::Entity::insert_many(affected.iter().map(|b| notice::ActiveModel {
            person_id: Set(b.person_id),
            kind: Set(NoticeKind::BookingCancelled),
            subject_id: Set(b.id),
            detail: Set(Some(reason.to_string())),
            created_at: Set(now),
            read_at: Set(None),
            ..Default::default()
        }))
        .exec(&txn)
        .await?;
    }
    for b in &affected {
        tell_member(&txn, b.id, b.person_id, center_id, reason, now).await?;
    }
    let count = affected.len() as u64;
    crate::audit::service::record(
        &txn,
        user,
        Some(center_id),
        crate::audit::dto::AuditKind::SpaceDeactivated,
        subject,
        format!("{count} booking(s) cancelled; {reason}"),
        now,
    )
    .await?;
    txn.commit().await?;
    crate::centers::schedule::forget(db, center_id);
    Ok(count)
}

/// Queue the cancellation email and text message (as the member has an
/// address and a phone) in the member's language.
async fn tell_member(
    txn: &sea_orm::DatabaseTransaction,
    booking_id: i32,
    person_id: i32,
    center_id: i32,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(p) = person::Entity::find_by_id(person_id).one(txn).await? else {
        return Ok(());
    };
    let l = p.preferred_lang;
    let (text, link) = booking_cancelled_notice(txn, booking_id, reason, l).await?;
    let first = p
        .full_name
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    crate::notify::outbox::to_person(
        txn,
        person_id,
        Some(center_id),
        "email.booking_cancelled",
        None,
        now,
        |_, l| crate::notify::outbox::Rendered {
            subject: crate::i18n::Msg::MailBookingCancelledSubject
                .text(l)
                .to_string(),
            text: crate::notify::templates::mail_text(l, &first, &format!("{text}\n{link}")),
            attachment: None,
            // Texted below, to members with an email too.
            short: None,
        },
    )
    .await?;
    crate::notify::outbox::text_person(
        txn,
        person_id,
        Some(center_id),
        "sms.booking_cancelled",
        now,
        |_, _| Some(format!("Ortalyq: {text}")),
    )
    .await?;
    Ok(())
}
