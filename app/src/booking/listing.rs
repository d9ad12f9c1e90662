//! Lists of bookings: the member's own, and the requests waiting for staff.

use super::dto::*;
use super::service::local_stamp;
use crate::access::session::CurrentUser;
use crate::centers::service::center_tz;
use crate::centers::service::SpaceCtx;
use crate::domain::codes::BookingStatus;
use crate::error::AppError;
use crate::i18n::{day_label, hhmm, pick, Locale};
use crate::model::{booking, center, check_in, pass, person, space};
use crate::passes::service as passes;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, LoaderTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// The member's bookings that have not ended more than a day ago, with passes.
pub async fn my_bookings(
    db: &DatabaseConnection,
    person_id: i32,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<Vec<BookingDto>, AppError> {
    let rows = booking::Entity::find()
        .filter(booking::Column::PersonId.eq(person_id))
        .filter(booking::Column::Status.is_in([
            BookingStatus::Confirmed,
            BookingStatus::Pending,
            BookingStatus::Denied,
            BookingStatus::NoShow,
        ]))
        .filter(booking::Column::EndsAt.gt(now - Duration::days(1)))
        .order_by_asc(booking::Column::StartsAt)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    let mut spaces: HashMap<i32, SpaceCtx> = HashMap::new();
    for b in rows {
        let ctx = match spaces.entry(b.space_id) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let s = space::Entity::find_by_id(b.space_id)
                    .one(db)
                    .await?
                    .ok_or(AppError::Internal)?;
                e.insert(crate::centers::schedule::space_ctx(db, s).await?)
            }
        };
        let p = pass::Entity::find()
            .filter(pass::Column::BookingId.eq(b.id))
            .filter(pass::Column::RevokedAt.is_null())
            .one(db)
            .await?;
        let checked_in_at = match &p {
            Some(p) => check_in::Entity::find()
                .filter(check_in::Column::PassId.eq(p.id))
                .one(db)
                .await?
                .map(|c| hhmm(c.scanned_at, ctx.tz)),
            None => None,
        };
        let date = b.starts_at.with_timezone(&ctx.tz).date_naive();
        let deadline = b.starts_at - Duration::minutes(i64::from(ctx.space.cancel_notice_minutes));
        let status = b.status;
        let open = matches!(status, BookingStatus::Confirmed | BookingStatus::Pending)
            && checked_in_at.is_none();
        let cancel_until = (open && now < deadline).then(|| {
            let d = deadline.with_timezone(&ctx.tz).date_naive();
            format!("{}, {}", day_label(l, d), hhmm(deadline, ctx.tz))
        });
        out.push(BookingDto {
            id: b.id,
            center_name: pick(
                l,
                &ctx.center.name_kk,
                &ctx.center.name_ru,
                &ctx.center.name_en,
            )
            .to_string(),
            space_name: pick(
                l,
                &ctx.space.name_kk,
                &ctx.space.name_ru,
                &ctx.space.name_en,
            )
            .to_string(),
            when: format!(
                "{}, {}–{}",
                day_label(l, date),
                hhmm(b.starts_at, ctx.tz),
                hhmm(b.ends_at, ctx.tz)
            ),
            party_size: b.party_size,
            space_id: b.space_id,
            minutes: (b.ends_at - b.starts_at).num_minutes() as i32,
            status,
            purpose: b.purpose.clone(),
            decision_reason: b.decision_reason.clone(),
            qr_svg: p.as_ref().map(|p| passes::qr_svg(&p.code)),
            pass_id: p.as_ref().map(|p| p.id),
            pass_code: p.map(|p| p.code),
            checked_in_at,
            cancel_until,
        });
    }
    Ok(out)
}

/// Requests waiting for approval in the centers a staff user works for,
/// oldest request first.
pub async fn pending_requests(
    db: &DatabaseConnection,
    user: &CurrentUser,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<Vec<PendingDto>, AppError> {
    user.require(|r| r.can_scan())?;
    let scope = crate::access::staff_centers(db, user).await?;
    // Each request with its space and the space's center, in one query.
    let mut q = booking::Entity::find()
        .filter(booking::Column::Status.eq(BookingStatus::Pending))
        .filter(booking::Column::EndsAt.gt(now));
    if let Some(cs) = scope {
        q = q.filter(space::Column::CenterId.is_in(cs));
    }
    let rows = q
        .order_by_asc(booking::Column::CreatedAt)
        .order_by_asc(booking::Column::Id)
        .find_also_related(space::Entity)
        .and_also_related(center::Entity)
        .all(db)
        .await?;
    let bookings: Vec<booking::Model> = rows.iter().map(|(b, _, _)| b.clone()).collect();
    let people = bookings.load_one(person::Entity, db).await?;
    let mut out = Vec::with_capacity(rows.len());
    for ((b, s, c), p) in rows.into_iter().zip(people) {
        let (Some(s), Some(c), Some(p)) = (s, c, p) else {
            continue;
        };
        let tz = center_tz(&c);
        let date = b.starts_at.with_timezone(&tz).date_naive();
        out.push(PendingDto {
            id: b.id,
            member: crate::domain::membership::short_name(&p.full_name),
            space_name: pick(l, &s.name_kk, &s.name_ru, &s.name_en).to_string(),
            center_name: pick(l, &c.name_kk, &c.name_ru, &c.name_en).to_string(),
            when: format!(
                "{}, {}–{}",
                day_label(l, date),
                hhmm(b.starts_at, tz),
                hhmm(b.ends_at, tz)
            ),
            party_size: b.party_size,
            purpose: b.purpose.clone().unwrap_or_default(),
            requested: local_stamp(b.created_at, tz),
        });
    }
    Ok(out)
}
