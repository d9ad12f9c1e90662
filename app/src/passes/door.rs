//! The door beyond a single scan: exit scans, undoing a check-in, the
//! day's board of who is inside, and search by name or booking number.
//! (The offline scanner's bundle and sync: `bundle.rs`; no-shows:
//! `booking::noshow`; strikes: `centers::strikes`.)

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, LoaderTrait, QueryFilter,
};

use crate::access::session::CurrentUser;
use crate::access::staff_covers;
use crate::domain::codes::BookingStatus;
use crate::error::AppError;
use crate::model::{self, booking, center, check_in, pass, space};

/// Exit scan: close today's live check-in of the pass. Staff of the center
/// where it was checked in only (a membership card: wherever it was
/// admitted); another center's desk learns nothing about the holder.
/// Answers like a scan (green when closed).
pub async fn check_out(
    db: &DatabaseConnection,
    keys: &crate::state::PassKeyRing,
    staff: &CurrentUser,
    code: &str,
    now: DateTime<Utc>,
    l: crate::i18n::Locale,
) -> Result<super::dto::ScanVerdictDto, AppError> {
    use crate::i18n::Msg;
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
    staff.require(|r| r.can_scan())?;
    let claims = match crate::domain::pass::verify(code, &keys.trusted) {
        Ok(c) => c,
        Err(e) => return Ok(super::scan::pass_error_verdict(e, l)),
    };
    let verdict =
        |admitted: bool, code: &str, msg: Msg, holder: Option<String>| super::dto::ScanVerdictDto {
            admitted,
            code: code.into(),
            reason: msg.text(l).into(),
            holder,
            what: None,
            age_band: None,
            consent_missing: false,
        };
    let txn = model::begin_write(db).await?;
    let live = model::for_update(
        check_in::Entity::find()
            .filter(check_in::Column::PassId.eq(claims.pass_id as i32))
            .filter(check_in::Column::UndoneAt.is_null())
            .filter(check_in::Column::CheckedOutAt.is_null()),
        txn.get_database_backend(),
    )
    .one(&txn)
    .await?;
    // The center the holder is inside, else the pass's own (a membership
    // card not inside anywhere may be scanned out at any desk).
    let covered = match (&live, claims.kind) {
        (Some(ci), _) => staff_covers(&txn, staff, ci.center_id).await?,
        (None, crate::domain::pass::PassKind::Membership) => true,
        (None, _) => staff_covers(&txn, staff, claims.center_id as i32).await?,
    };
    if !covered {
        txn.rollback().await?;
        return Ok(verdict(false, "other_center", Msg::DenyOtherCenter, None));
    }
    let holder = crate::model::person::Entity::find_by_id(claims.holder_id as i32)
        .one(&txn)
        .await?
        .map(|p| crate::domain::membership::short_name(&p.full_name));
    let Some(ci) = live else {
        txn.rollback().await?;
        return Ok(verdict(false, "not_inside", Msg::DenyNotInside, holder));
    };
    let mut am = ci.into_active_model();
    am.checked_out_at = Set(Some(now));
    am.checked_out_by = Set(Some(staff.account_id));
    am.update(&txn).await?;
    txn.commit().await?;
    Ok(verdict(true, "checked_out", Msg::CheckedOut, holder))
}

/// Undo an admission made by mistake: the row stays (audit trail) with who
/// undid it and when; the pass can be admitted again.
pub async fn undo_check_in(
    db: &DatabaseConnection,
    staff: &CurrentUser,
    check_in_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
    staff.require(|r| r.can_scan())?;
    let ci = check_in::Entity::find_by_id(check_in_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !staff_covers(db, staff, ci.center_id).await? {
        return Err(AppError::NotFound);
    }
    if ci.undone_at.is_some() {
        return Ok(());
    }
    let (center_id, person_id, pass_id) = (ci.center_id, ci.person_id, ci.pass_id);
    let txn = model::begin_write(db).await?;
    let mut am = ci.into_active_model();
    am.undone_at = Set(Some(now));
    am.undone_by = Set(Some(staff.account_id));
    am.update(&txn).await?;
    crate::audit::service::record(
        &txn,
        staff,
        Some(center_id),
        crate::audit::dto::AuditKind::CheckInUndone,
        crate::audit::service::member_subject(person_id),
        format!("check-in {check_in_id}, pass {pass_id}"),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Today's board of one center (the staff user's first center by default).
pub async fn today_board(
    db: &DatabaseConnection,
    staff: &CurrentUser,
    center_id: Option<i32>,
    now: DateTime<Utc>,
    l: crate::i18n::Locale,
) -> Result<super::dto::TodayBoardDto, AppError> {
    use super::dto::*;
    use crate::domain::slots;
    use crate::i18n::{day_label, pick};
    use sea_orm::QueryOrder;
    staff.require(|r| r.can_scan())?;
    let (centers, center_id) = board_center(db, staff, center_id, l).await?;
    let c = center::Entity::find_by_id(center_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let tz = crate::centers::service::center_tz(&c);
    let today = now.with_timezone(&tz).date_naive();
    let day = (
        slots::local_to_utc(tz, today, 0),
        slots::local_to_utc(tz, today + Duration::days(1), 0),
    );
    let live: Vec<check_in::Model> = check_in::Entity::find()
        .filter(check_in::Column::CenterId.eq(center_id))
        .filter(check_in::Column::LocalDay.eq(today))
        .filter(check_in::Column::UndoneAt.is_null())
        .all(db)
        .await?;
    let spaces = space::Entity::find()
        .filter(space::Column::CenterId.eq(center_id))
        .filter(space::Column::Active.eq(true))
        .order_by_asc(space::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::new();
    let mut inside_total = 0u32;
    let mut center_ctx: Option<crate::centers::service::SpaceCtx> = None;
    for s in spaces {
        let (bookings, inside) = board_bookings(db, &s, day, &live, now, tz).await?;
        inside_total += inside;
        // The center's hours and closures are loaded once, for the first space.
        let ctx = match &center_ctx {
            Some(first) => crate::centers::service::SpaceCtx::for_space(first, s.clone()),
            None => crate::centers::schedule::space_ctx(db, s.clone()).await?,
        };
        let next_free = next_free_slot(db, &ctx, today, day, now).await?;
        center_ctx.get_or_insert(ctx);
        out.push(BoardSpaceDto {
            space_id: s.id,
            name: pick(l, &s.name_kk, &s.name_ru, &s.name_en).to_string(),
            capacity: s.capacity,
            inside,
            next_free,
            bookings,
        });
    }
    // Membership cards: general entry, inside until checked out.
    inside_total += live
        .iter()
        .filter(|ci| ci.space_id.is_none() && ci.checked_out_at.is_none())
        .count() as u32;
    Ok(TodayBoardDto {
        centers,
        center_id,
        date: day_label(l, today),
        inside_total,
        spaces: out,
    })
}

/// The centers the staff member may see, and the one the board shows: the
/// asked one if in scope, else the home center, else the first.
async fn board_center(
    db: &DatabaseConnection,
    staff: &CurrentUser,
    center_id: Option<i32>,
    l: crate::i18n::Locale,
) -> Result<(Vec<crate::centers::dto::CenterDto>, i32), AppError> {
    let scope = crate::access::staff_centers(db, staff).await?;
    let mut centers = crate::centers::service::list_centers(db, l).await?;
    if let Some(cs) = &scope {
        centers.retain(|c| cs.contains(&c.id));
    }
    let center_id = match center_id {
        Some(id) if centers.iter().any(|c| c.id == id) => id,
        Some(_) => return Err(AppError::NotFound),
        None => staff
            .home_center_id
            .filter(|h| centers.iter().any(|c| c.id == *h))
            .or_else(|| centers.first().map(|c| c.id))
            .ok_or(AppError::NotFound)?,
    };
    Ok((centers, center_id))
}

/// Today's bookings of a space with where each stands at the door, and how
/// many people are inside it now.
async fn board_bookings(
    db: &DatabaseConnection,
    s: &space::Model,
    (day_start, day_end): (DateTime<Utc>, DateTime<Utc>),
    live: &[check_in::Model],
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> Result<(Vec<super::dto::BoardBookingDto>, u32), AppError> {
    use super::dto::{BoardBookingDto, BoardStatus};
    use crate::i18n::hhmm;
    use sea_orm::QueryOrder;
    let rows = booking::Entity::find()
        .filter(booking::Column::SpaceId.eq(s.id))
        .filter(booking::Column::StartsAt.gte(day_start))
        .filter(booking::Column::StartsAt.lt(day_end))
        .order_by_asc(booking::Column::StartsAt)
        .all(db)
        .await?;
    let people = rows.load_one(crate::model::person::Entity, db).await?;
    let pass_of: std::collections::HashMap<i32, i32> = pass::Entity::find()
        .filter(pass::Column::BookingId.is_in(rows.iter().map(|b| b.id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|p| p.booking_id.map(|b| (b, p.id)))
        .collect();
    let mut inside = 0u32;
    let mut bookings = Vec::new();
    for (b, who) in rows.into_iter().zip(people) {
        let ci = pass_of
            .get(&b.id)
            .and_then(|pid| live.iter().find(|ci| ci.pass_id == *pid));
        let status = match b.status {
            BookingStatus::Cancelled => BoardStatus::Cancelled,
            BookingStatus::NoShow => BoardStatus::NoShow,
            BookingStatus::Pending => BoardStatus::Pending,
            BookingStatus::Denied => BoardStatus::Denied,
            BookingStatus::Confirmed => match ci {
                Some(ci) if ci.checked_out_at.is_none() && now < b.ends_at => BoardStatus::Inside,
                Some(_) => BoardStatus::Done,
                None if now >= b.ends_at => BoardStatus::NoShow,
                None => BoardStatus::Upcoming,
            },
        };
        if status == BoardStatus::Inside {
            inside += b.party_size.max(1) as u32;
        }
        bookings.push(BoardBookingDto {
            booking_id: b.id,
            member: who
                .map(|p| crate::domain::membership::short_name(&p.full_name))
                .unwrap_or_default(),
            when: format!("{}–{}", hhmm(b.starts_at, tz), hhmm(b.ends_at, tz)),
            party_size: b.party_size,
            status,
            check_in_id: ci.filter(|ci| ci.checked_out_at.is_none()).map(|ci| ci.id),
        });
    }
    Ok((bookings, inside))
}

/// The next start a walk-in could take: the first free grid slot that fits
/// the space's shortest booking (timestamp and `HH:MM–HH:MM`).
async fn next_free_slot(
    db: &DatabaseConnection,
    ctx: &crate::centers::service::SpaceCtx,
    today: chrono::NaiveDate,
    (day_start, day_end): (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
) -> Result<Option<(i64, String)>, AppError> {
    use crate::domain::slots::{self, Interval};
    use crate::i18n::hhmm;
    let rules = ctx.rules();
    let offered = ctx.offered_on(today);
    let occ = crate::centers::occupancy::occupants(
        db,
        &ctx.space,
        day_start - Duration::hours(6),
        day_end + Duration::hours(6),
    )
    .await?;
    Ok(offered
        .iter()
        .enumerate()
        .filter(|(_, iv)| iv.start > now)
        .find(|(i, _)| slots::longest_from(&rules, &offered, *i, &occ) >= rules.min_minutes)
        .map(|(_, iv): (usize, &Interval)| {
            (
                iv.start.timestamp(),
                format!("{}–{}", hhmm(iv.start, ctx.tz), hhmm(iv.end, ctx.tz)),
            )
        }))
}

/// The scan station's fallback when a code cannot be scanned: today's
/// bookings (and membership cards) at the staff user's centers whose member
/// name or phone matches, or whose booking number is the query. At most 10.
pub async fn door_search(
    db: &DatabaseConnection,
    staff: &CurrentUser,
    query: &str,
    now: DateTime<Utc>,
    l: crate::i18n::Locale,
) -> Result<Vec<super::dto::DoorMatchDto>, AppError> {
    use crate::centers::service::center_tz;
    use crate::domain::membership::short_name;
    use crate::i18n::{hhmm, pick, Msg};
    use crate::model::person;
    use sea_orm::{Condition, QueryOrder};
    staff.require(|r| r.can_scan())?;
    let q = crate::access::check_search(query)?;
    if q.chars().count() < 2 {
        return Ok(Vec::new());
    }
    let scope = crate::access::staff_centers(db, staff).await?;
    let digits: String = q.chars().filter(char::is_ascii_digit).collect();
    let mut who = Condition::any().add(person::Column::FullName.contains(q));
    if digits.len() >= 4 {
        who = who.add(person::Column::Phone.contains(&digits));
    }
    let people: std::collections::HashMap<i32, person::Model> = person::Entity::find()
        .filter(who)
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut by = Condition::any()
        .add(booking::Column::PersonId.is_in(people.keys().copied().collect::<Vec<_>>()));
    if let Ok(id) = q.trim_start_matches('#').parse::<i32>() {
        by = by.add(booking::Column::Id.eq(id));
    }
    // Each booking with its space and the space's center, in one query.
    let mut rows = booking::Entity::find()
        .filter(by)
        .filter(booking::Column::Status.eq(BookingStatus::Confirmed))
        .filter(booking::Column::EndsAt.gt(now))
        .filter(booking::Column::StartsAt.lt(now + Duration::hours(18)));
    if let Some(cs) = &scope {
        rows = rows.filter(space::Column::CenterId.is_in(cs.clone()));
    }
    let rows = rows
        .order_by_asc(booking::Column::StartsAt)
        .find_also_related(space::Entity)
        .and_also_related(center::Entity)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for (b, s, c) in rows {
        let (Some(s), Some(c)) = (s, c) else {
            continue;
        };
        let tz = center_tz(&c);
        let Some(p) = pass::Entity::find()
            .filter(pass::Column::BookingId.eq(b.id))
            .filter(pass::Column::RevokedAt.is_null())
            .one(db)
            .await?
        else {
            continue;
        };
        let name = match people.get(&b.person_id) {
            Some(p) => short_name(&p.full_name),
            None => person::Entity::find_by_id(b.person_id)
                .one(db)
                .await?
                .map(|p| short_name(&p.full_name))
                .unwrap_or_default(),
        };
        out.push(super::dto::DoorMatchDto {
            member: name,
            what: format!(
                "#{} {}, {}–{}",
                b.id,
                pick(l, &s.name_kk, &s.name_ru, &s.name_en),
                hhmm(b.starts_at, tz),
                hhmm(b.ends_at, tz)
            ),
            code: p.code,
        });
    }
    // Membership cards of the matching members (general entry).
    for (id, person) in &people {
        let card = pass::Entity::find()
            .filter(pass::Column::PersonId.eq(*id))
            .filter(pass::Column::Kind.eq("membership"))
            .filter(pass::Column::RevokedAt.is_null())
            .filter(pass::Column::ValidUntil.gt(now))
            .one(db)
            .await?;
        if let Some(card) = card {
            if scope.as_ref().is_none_or(|cs| cs.contains(&card.center_id)) {
                out.push(super::dto::DoorMatchDto {
                    member: short_name(&person.full_name),
                    what: Msg::MembershipCard.text(l).to_string(),
                    code: card.code,
                });
            }
        }
    }
    out.truncate(10);
    Ok(out)
}

pub use super::bundle::{offline_bundle, sync_offline, MAX_SYNC_BATCH};
