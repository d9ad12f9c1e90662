//! What a scanned pass is for today: its booking, club session, event or
//! membership card, what the desk is shown, and when it admits.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::{DatabaseConnection, EntityTrait};

use crate::domain::checkin::DEFAULT_EARLY_MINUTES;
use crate::domain::pass::PassKind;
use crate::error::AppError;
use crate::i18n::{hhmm, pick, Locale, Msg};
use crate::model::{self, booking, space};

/// What a pass is for today, and when it admits.
#[derive(Default)]
pub(super) struct Purpose {
    /// Shown to the desk: the space or club and its time.
    pub(super) what: Option<String>,
    pub(super) space_id: Option<i32>,
    /// A club pass admits only during today's session, an event pass during
    /// its event: that window replaces the signed one.
    pub(super) window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    pub(super) club_session: Option<crate::model::club_session::Model>,
    pub(super) event_id: Option<i32>,
    /// A club pass whose club does not meet today.
    pub(super) no_session_today: bool,
    pub(super) early_minutes: i64,
    pub(super) booking: Option<booking::Model>,
}

/// The pass's booking (if it is a booking pass) was cancelled, moved or
/// marked a no-show: the pass no longer admits.
pub(super) fn no_longer_confirmed(booking: Option<&booking::Model>) -> bool {
    booking.is_some_and(|b| b.status != crate::domain::codes::BookingStatus::Confirmed)
}

impl Purpose {
    /// A booking pass whose booking is no longer confirmed.
    pub(super) fn cancelled(&self) -> bool {
        no_longer_confirmed(self.booking.as_ref())
    }

    /// Nothing known yet: the default check-in window.
    pub(super) fn none() -> Purpose {
        Purpose {
            early_minutes: DEFAULT_EARLY_MINUTES,
            ..Default::default()
        }
    }

    /// `at_center`: where the pass is scanned (a membership card's seats
    /// are counted there).
    pub(super) async fn load(
        db: &DatabaseConnection,
        p: &model::pass::Model,
        at_center: i32,
        now: DateTime<Utc>,
        tz: Tz,
        l: Locale,
    ) -> Result<Purpose, AppError> {
        let mut out = Purpose::none();
        let span = |name: &str, from: DateTime<Utc>, to: DateTime<Utc>| {
            format!("{name}, {}–{}", hhmm(from, tz), hhmm(to, tz))
        };
        if let Some(club_id) = p.club_id {
            let club = crate::model::club::Entity::find_by_id(club_id)
                .one(db)
                .await?;
            let name = club.as_ref().map(|c| crate::model::club::name_of(c, l));
            match crate::passes::attendance::session_today(db, club_id, now, tz).await? {
                Some(s) => {
                    out.window = Some((s.starts_at, s.ends_at));
                    out.space_id = Some(s.space_id);
                    out.what = name.map(|n| span(&n, s.starts_at, s.ends_at));
                    out.club_session = Some(s);
                }
                None => {
                    out.no_session_today = true;
                    out.what = name;
                }
            }
        }
        if let Some(id) = p.event_id {
            if let Some(e) = crate::model::event::Entity::find_by_id(id).one(db).await? {
                out.space_id = e.space_id;
                out.what = Some(span(
                    pick(l, &e.name_kk, &e.name_ru, &e.name_en),
                    e.starts_at,
                    e.ends_at,
                ));
                out.event_id = Some(e.id);
            }
        }
        // The booking with its space, in one query.
        let booked = match p.booking_id {
            Some(id) => booking::Entity::find_by_id(id)
                .find_also_related(space::Entity)
                .one(db)
                .await?
                .map(|(b, s)| (Some(b), s))
                .unwrap_or_default(),
            None => (None, None),
        };
        out.booking = booked.0;
        if let Some(b) = &out.booking {
            out.space_id = Some(b.space_id);
            if let Some(s) = booked.1 {
                out.early_minutes = i64::from(s.checkin_open_minutes.max(0));
                out.what = Some(span(
                    pick(l, &s.name_kk, &s.name_ru, &s.name_en),
                    b.starts_at,
                    b.ends_at,
                ));
            }
        }
        if p.kind == PassKind::Membership {
            // General entry; a coworking seat too, if one is free now.
            let seats = coworking_seats_now(db, at_center, now).await?;
            out.what = Some(match seats {
                Some(n) => format!(
                    "{} · {}: {}",
                    Msg::MembershipCard.text(l),
                    crate::domain::space::SpaceKind::Coworking.label(l),
                    crate::i18n::seats_left(l, n)
                ),
                None => Msg::MembershipCard.text(l).to_string(),
            });
        }
        Ok(out)
    }
}

/// Free coworking seats of a center right now (the grid slot running now),
/// or `None` when the center has no open coworking slot at this moment.
async fn coworking_seats_now(
    db: &DatabaseConnection,
    center_id: i32,
    now: DateTime<Utc>,
) -> Result<Option<i32>, AppError> {
    let Some(ctx) = crate::centers::schedule::coworking_ctx(db, center_id).await? else {
        return Ok(None);
    };
    let today = now.with_timezone(&ctx.tz).date_naive();
    let Some(slot) = ctx
        .offered_on(today)
        .into_iter()
        .find(|iv| iv.start <= now && now < iv.end)
    else {
        return Ok(None);
    };
    let occ = crate::centers::occupancy::occupants(db, &ctx.space, slot.start, slot.end).await?;
    Ok(Some(crate::domain::slots::remaining_capacity(
        ctx.space.capacity,
        &slot,
        &occ,
    )))
}
