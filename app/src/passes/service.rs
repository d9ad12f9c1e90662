//! Issuing passes and deciding scans.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set, SqlErr,
};

use super::dto::ScanVerdictDto;
use crate::access::session::CurrentUser;
use crate::domain::checkin::{self, Denial, Desk, PassRecord, DEFAULT_EARLY_MINUTES};
use crate::domain::membership::short_name;
use crate::domain::pass::{self, PassClaims, PassError, PassKind};
use crate::error::AppError;
use crate::i18n::{hhmm, pick, Locale, Msg};
use crate::model::{self, account, booking, center, check_in, person, space};
use crate::state::PassKeyRing;

/// Create the signed pass of a new booking (inside the booking transaction).
pub async fn issue_booking_pass<C: ConnectionTrait>(
    db: &C,
    keys: &PassKeyRing,
    b: &booking::Model,
    center_id: i32,
    now: DateTime<Utc>,
) -> Result<model::pass::Model, AppError> {
    issue_pass(
        db,
        keys,
        b.person_id,
        PassLink::Booking(b.id),
        PassKind::Booking,
        center_id,
        (b.starts_at, b.ends_at),
        now,
    )
    .await
}

/// What a pass is tied to besides its holder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassLink {
    None,
    Booking(i32),
    Club(i32),
    Event(i32),
}

/// Store a pass row, then sign its id and claims into the code.
#[allow(clippy::too_many_arguments)]
pub async fn issue_pass<C: ConnectionTrait>(
    db: &C,
    keys: &PassKeyRing,
    person_id: i32,
    link: PassLink,
    kind: PassKind,
    center_id: i32,
    (valid_from, valid_until): (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
) -> Result<model::pass::Model, AppError> {
    let row = model::pass::ActiveModel {
        person_id: Set(person_id),
        booking_id: Set(match link {
            PassLink::Booking(id) => Some(id),
            _ => None,
        }),
        club_id: Set(match link {
            PassLink::Club(id) => Some(id),
            _ => None,
        }),
        event_id: Set(match link {
            PassLink::Event(id) => Some(id),
            _ => None,
        }),
        kind: Set(kind),
        center_id: Set(center_id),
        valid_from: Set(valid_from),
        valid_until: Set(valid_until),
        key_id: Set(i16::from(keys.key_id)),
        code: Set(String::new()),
        revoked_at: Set(None),
        issued_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let claims = PassClaims {
        key_id: keys.key_id,
        pass_id: u32::try_from(row.id).map_err(|_| AppError::Internal)?,
        holder_id: u32::try_from(person_id).map_err(|_| AppError::Internal)?,
        kind,
        center_id: u32::try_from(center_id).map_err(|_| AppError::Internal)?,
        valid_from,
        valid_until,
    };
    let code = pass::sign(&claims, &keys.signing);
    let mut active = row.into_active_model();
    active.code = Set(code);
    Ok(active.update(db).await?)
}

/// The pass code as an SVG QR symbol (alphanumeric mode, medium error
/// correction), sized by the page's CSS.
/// The pass as a PNG image: black modules on white, 10 px each, with the
/// standard quiet zone; big enough to scan from a phone held at arm's length
/// or a printout.
pub fn qr_png(code: &str) -> Result<Vec<u8>, AppError> {
    const SCALE: usize = 10;
    let qr = QrCode::with_error_correction_level(code.as_bytes(), EcLevel::M)
        .map_err(|_| AppError::Internal)?;
    let n = qr.width();
    let colors = qr.to_colors();
    let side = (n + 8) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (mx, my) = (i % n + 4, i / n + 4);
            for y in my * SCALE..(my + 1) * SCALE {
                pixels[y * side + mx * SCALE..y * side + (mx + 1) * SCALE].fill(0);
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, side as u32, side as u32);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().map_err(|_| AppError::Internal)?;
        w.write_image_data(&pixels)
            .map_err(|_| AppError::Internal)?;
    }
    Ok(out)
}

/// A pass's PNG for its holder, or for staff of its center; revoked or
/// other people's passes are not found.
pub async fn pass_png(
    db: &DatabaseConnection,
    user: &CurrentUser,
    pass_id: i32,
) -> Result<Vec<u8>, AppError> {
    let p = model::pass::Entity::find_by_id(pass_id)
        .one(db)
        .await?
        .filter(|p| p.revoked_at.is_none())
        .ok_or(AppError::NotFound)?;
    if p.person_id != user.person_id && !crate::access::staff_covers(db, user, p.center_id).await? {
        return Err(AppError::NotFound);
    }
    qr_png(&p.code)
}

pub fn qr_svg(code: &str) -> String {
    match QrCode::with_error_correction_level(code.as_bytes(), EcLevel::M) {
        Ok(qr) => qr
            .render::<svg::Color>()
            .min_dimensions(240, 240)
            .quiet_zone(true)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build(),
        Err(e) => {
            tracing::error!(error = %e, "QR rendering failed");
            String::new()
        }
    }
}

pub(crate) fn pass_error_verdict(e: PassError, l: Locale) -> ScanVerdictDto {
    let (code, msg) = match e {
        PassError::Malformed | PassError::UnsupportedVersion => ("malformed", Msg::DenyMalformed),
        PassError::UnknownKey => ("unknown_key", Msg::DenyUnknownKey),
        PassError::BadSignature => ("bad_signature", Msg::DenyBadSignature),
    };
    ScanVerdictDto {
        admitted: false,
        code: code.into(),
        reason: msg.text(l).into(),
        holder: None,
        what: None,
        age_band: None,
        consent_missing: false,
    }
}

fn denial_text(d: &Denial, tz: chrono_tz::Tz, l: Locale) -> (&'static str, String) {
    match d {
        Denial::Unknown => ("unknown", Msg::DenyUnknown.text(l).into()),
        Denial::Revoked => ("revoked", Msg::DenyRevoked.text(l).into()),
        Denial::OtherCenter => ("other_center", Msg::DenyOtherCenter.text(l).into()),
        Denial::NotToday => ("not_today", Msg::DenyNotToday.text(l).into()),
        Denial::TooEarly { opens_at } => (
            "too_early",
            format!("{} {}", Msg::DenyTooEarly.text(l), hhmm(*opens_at, tz)),
        ),
        Denial::Expired => ("expired", Msg::DenyExpired.text(l).into()),
        Denial::AlreadyCheckedIn { at, by } => (
            "already_checked_in",
            format!(
                "{} {} ({} {by})",
                Msg::DenyAlreadyCheckedIn.text(l),
                hhmm(*at, tz),
                Msg::By.text(l)
            ),
        ),
    }
}

/// The pass's admission on the center-local `day`, with the staff member's
/// short name.
async fn first_check_in<C: ConnectionTrait>(
    db: &C,
    pass_id: i32,
    day: chrono::NaiveDate,
) -> Result<Option<(DateTime<Utc>, String)>, AppError> {
    let Some(ci) = check_in::Entity::find()
        .filter(check_in::Column::PassId.eq(pass_id))
        .filter(check_in::Column::LocalDay.eq(day))
        .filter(check_in::Column::UndoneAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let by = match account::Entity::find_by_id(ci.scanned_by).one(db).await? {
        Some(a) => person::Entity::find_by_id(a.person_id)
            .one(db)
            .await?
            .map(|p| short_name(&p.full_name))
            .unwrap_or_default(),
        None => String::new(),
    };
    Ok(Some((ci.scanned_at, by)))
}

/// Verify a scanned code and, when it admits, record the check-in — all in
/// one transaction with the pass row locked, so two desks scanning the same
/// pass at once admit it only once (the unique index is the last guard).
pub async fn scan(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    desk_user: &CurrentUser,
    code: &str,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<ScanVerdictDto, AppError> {
    let verdict = decide_scan(db, keys, desk_user, code, now, l).await?;
    // Door outcomes for /metrics: admitted, already_checked_in, the denials.
    metrics::counter!("ortalyq_check_ins_total", "outcome" => verdict.code.clone()).increment(1);
    Ok(verdict)
}

/// Who holds a genuine pass, as the desk may see them.
struct Holder {
    /// First name and last initial.
    name: Option<String>,
    age_band: Option<String>,
    /// A minor whose guardian's consent is not on record.
    consent_missing: bool,
}

impl Holder {
    async fn load<C: ConnectionTrait>(
        db: &C,
        person_id: i32,
        today: NaiveDate,
    ) -> Result<Holder, AppError> {
        use crate::domain::membership::{age_on, AgeBand, ConsentState};
        let Some(p) = person::Entity::find_by_id(person_id).one(db).await? else {
            return Ok(Holder {
                name: None,
                age_band: None,
                consent_missing: false,
            });
        };
        Ok(Holder {
            name: Some(short_name(&p.full_name)),
            age_band: Some(AgeBand::of(age_on(p.birth_date, today)).label().to_string()),
            consent_missing: crate::access::consent_state(db, &p, today).await?
                == ConsentState::Awaiting,
        })
    }

    /// A pass for a center the desk does not serve: nothing about whose.
    fn hidden() -> Holder {
        Holder {
            name: None,
            age_band: None,
            consent_missing: false,
        }
    }

    fn verdict(
        self,
        admitted: bool,
        code: &str,
        reason: String,
        what: Option<String>,
    ) -> ScanVerdictDto {
        ScanVerdictDto {
            admitted,
            code: code.into(),
            reason,
            holder: self.name,
            what,
            age_band: self.age_band,
            consent_missing: self.consent_missing,
        }
    }
}

/// What a pass is for today, and when it admits.
#[derive(Default)]
struct Purpose {
    /// Shown to the desk: the space or club and its time.
    what: Option<String>,
    space_id: Option<i32>,
    /// A club pass admits only during today's session, an event pass during
    /// its event: that window replaces the signed one.
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    club_session: Option<crate::model::club_session::Model>,
    event_id: Option<i32>,
    /// A club pass whose club does not meet today.
    no_session_today: bool,
    early_minutes: i64,
    booking: Option<booking::Model>,
}

impl Purpose {
    /// Nothing known yet: the default check-in window.
    fn none() -> Purpose {
        Purpose {
            early_minutes: DEFAULT_EARLY_MINUTES,
            ..Default::default()
        }
    }

    /// `at_center`: where the pass is scanned (a membership card's seats
    /// are counted there).
    async fn load<C: ConnectionTrait>(
        db: &C,
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
        if let Some(id) = p.booking_id {
            out.booking = booking::Entity::find_by_id(id).one(db).await?;
        }
        if let Some(b) = &out.booking {
            out.space_id = Some(b.space_id);
            if let Some(s) = space::Entity::find_by_id(b.space_id).one(db).await? {
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

/// Where a scan happens and whether the desk may see whose pass it is. A
/// pass for one of the desk's centers is checked in there; a membership
/// card (it admits at every center) of another center's member is checked
/// in at the desk's own center. A pass for another center shows the desk
/// nothing of its holder.
fn desk_center(desk_user: &CurrentUser, scope: Option<&[i32]>, claims: &PassClaims) -> (i32, bool) {
    let covers = |c: i32| scope.is_none_or(|cs| cs.contains(&c));
    let pass_center = claims.center_id as i32;
    if covers(pass_center) {
        return (pass_center, true);
    }
    if claims.kind != PassKind::Membership {
        return (pass_center, false);
    }
    let here = desk_user
        .home_center_id
        .filter(|h| covers(*h))
        .or_else(|| scope.and_then(|cs| cs.first().copied()))
        .unwrap_or(pass_center);
    (here, true)
}

async fn decide_scan(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    desk_user: &CurrentUser,
    code: &str,
    now: DateTime<Utc>,
    l: Locale,
) -> Result<ScanVerdictDto, AppError> {
    let claims = match pass::verify(code, &keys.trusted) {
        Ok(c) => c,
        Err(e) => return Ok(pass_error_verdict(e, l)),
    };
    let txn = model::begin_write(db).await?;
    let backend = txn.get_database_backend();
    let row = model::for_update(
        model::pass::Entity::find_by_id(claims.pass_id as i32),
        backend,
    )
    .one(&txn)
    .await?
    // The row must be the one that was signed.
    .filter(|p| p.person_id as u32 == claims.holder_id && p.center_id as u32 == claims.center_id);
    let scope = crate::access::staff_centers(&txn, desk_user).await?;
    let (at_center, shown) = desk_center(desk_user, scope.as_deref(), &claims);
    let center = center::Entity::find_by_id(at_center).one(&txn).await?;
    let tz = center
        .as_ref()
        .map(crate::centers::service::center_tz)
        .unwrap_or(chrono_tz::Asia::Almaty);
    let today = now.with_timezone(&tz).date_naive();
    let holder = if shown {
        Holder::load(&txn, claims.holder_id as i32, today).await?
    } else {
        Holder::hidden()
    };
    let (purpose, record) = match &row {
        Some(p) => {
            let purpose = Purpose::load(&txn, p, at_center, now, tz, l).await?;
            let cancelled = purpose
                .booking
                .as_ref()
                .is_some_and(|b| b.status != crate::domain::codes::BookingStatus::Confirmed);
            let record = PassRecord {
                revoked: p.revoked_at.is_some() || cancelled,
                first_check_in: first_check_in(&txn, p.id, today).await?,
            };
            (purpose, Some(record))
        }
        None => (Purpose::none(), None),
    };
    let desk = Desk {
        now,
        centers: scope.map(|cs| cs.into_iter().map(|c| c as u32).collect()),
        tz,
        early_minutes: purpose.early_minutes,
    };
    let mut effective = claims;
    if let Some((from, until)) = purpose.window {
        effective.valid_from = from;
        effective.valid_until = until;
    }
    let decision = if purpose.no_session_today && record.as_ref().is_some_and(|r| !r.revoked) {
        // The club does not meet today (or this session was cancelled).
        checkin::decide(&claims, record.as_ref(), &desk).and(Err(Denial::NotToday))
    } else {
        checkin::decide(&effective, record.as_ref(), &desk)
    };
    if let Err(d) = decision {
        txn.rollback().await?;
        let (code, reason) = denial_text(&d, tz, l);
        let what = purpose.what.filter(|_| shown);
        return Ok(holder.verdict(false, code, reason, what));
    }
    let inserted = check_in::ActiveModel {
        pass_id: Set(claims.pass_id as i32),
        person_id: Set(claims.holder_id as i32),
        center_id: Set(at_center),
        space_id: Set(purpose.space_id),
        scanned_at: Set(now),
        scanned_by: Set(desk_user.account_id),
        local_day: Set(today),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    match inserted {
        Ok(ci) => {
            record_admission(&txn, desk_user, &ci, &purpose, now).await?;
            txn.commit().await?;
            Ok(holder.verdict(true, "admitted", Msg::Admitted.text(l).into(), purpose.what))
        }
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            // Another desk won the race; report its admission.
            txn.rollback().await?;
            let first = first_check_in(db, claims.pass_id as i32, today).await?;
            let (at, by) = first.ok_or(AppError::Internal)?;
            let (code, reason) = denial_text(&Denial::AlreadyCheckedIn { at, by }, tz, l);
            Ok(holder.verdict(false, code, reason, purpose.what))
        }
        Err(e) => Err(e.into()),
    }
}

/// What an admission records besides the check-in row: the audit entry,
/// the check-in webhook, and the club or event attendance tick.
async fn record_admission<C: ConnectionTrait>(
    txn: &C,
    desk_user: &CurrentUser,
    ci: &check_in::Model,
    purpose: &Purpose,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    crate::audit::service::record(
        txn,
        desk_user,
        Some(ci.center_id),
        crate::audit::dto::AuditKind::CheckIn,
        crate::audit::service::member_subject(ci.person_id),
        format!(
            "check-in {}, pass {}{}",
            ci.id,
            ci.pass_id,
            purpose
                .what
                .as_deref()
                .map(|w| format!(": {w}"))
                .unwrap_or_default()
        ),
        now,
    )
    .await?;
    crate::notify::outbox::webhook(
        txn,
        crate::domain::webhook::WebhookEvent::CheckIn,
        ci.center_id,
        serde_json::json!({
            "check_in_id": ci.id,
            "pass_id": ci.pass_id,
            "member": crate::domain::membership::member_number(ci.person_id),
            "space_id": ci.space_id,
            "scanned_at": ci.scanned_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }),
        now,
    )
    .await?;
    if let Some(s) = &purpose.club_session {
        crate::passes::attendance::record_attendance(
            txn,
            s.id,
            ci.person_id,
            desk_user.account_id,
            crate::domain::codes::AttendanceVia::Door,
            now,
        )
        .await?;
    }
    if let Some(id) = purpose.event_id {
        crate::passes::attendance::record_check_in(txn, id, ci.person_id, now).await?;
    }
    Ok(())
}

/// Free coworking seats of a center right now (the grid slot running now),
/// or `None` when the center has no open coworking slot at this moment.
async fn coworking_seats_now<C: ConnectionTrait>(
    db: &C,
    center_id: i32,
    now: DateTime<Utc>,
) -> Result<Option<i32>, AppError> {
    let Some(s) = space::Entity::find()
        .filter(space::Column::CenterId.eq(center_id))
        .filter(space::Column::Kind.eq(crate::domain::space::SpaceKind::Coworking.as_str()))
        .filter(space::Column::Active.eq(true))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let ctx = crate::centers::service::load_space(db, s.clone()).await?;
    let today = now.with_timezone(&ctx.tz).date_naive();
    let Some(slot) = ctx
        .offered_on(today)
        .into_iter()
        .find(|iv| iv.start <= now && now < iv.end)
    else {
        return Ok(None);
    };
    let occ = crate::centers::occupancy::occupants(db, &s, slot.start, slot.end).await?;
    Ok(Some(crate::domain::slots::remaining_capacity(
        s.capacity, &slot, &occ,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_reads_back_as_the_same_code() {
        let code = "OQAEAQAAAQSIAAAAAHAEAAAAADAHEMLLABZD";
        let bytes = qr_png(code).unwrap();
        assert_eq!(&bytes[1..4], b"PNG");
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        let (w, h) = (info.width as usize, info.height as usize);
        let rgba: Vec<u8> = buf[..w * h]
            .iter()
            .flat_map(|v| [*v, *v, *v, 255])
            .collect();
        assert_eq!(
            crate::domain::qrscan::decode_rgba(w, h, &rgba).as_deref(),
            Some(code)
        );
    }

    #[test]
    fn qr_is_svg() {
        let svg = qr_svg("OQABCDEF234567");
        assert!(svg.contains("<svg"));
    }
}
