//! The offline scanner's side on the server: the bundle a scan station
//! takes along (only the desk's centers, and of each holder no more than a
//! verdict shows), its signed stamp, and the upload of scans decided with it.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::access::session::CurrentUser;
use crate::error::AppError;
use crate::model::{booking, center, check_in, pass, space};

pub use super::dto::MAX_SYNC_BATCH;

/// Minutes before the start the door opens for club and event passes.
const DEFAULT_EARLY: i32 = crate::domain::checkin::DEFAULT_EARLY_MINUTES as i32;

/// Everything a scan station needs to keep deciding offline for today:
/// public keys, revoked passes, and today's passes of the desk's centers
/// (membership cards too: those of members of the desk's centers).
pub async fn offline_bundle(
    db: &DatabaseConnection,
    keys: &crate::state::PassKeyRing,
    staff: &CurrentUser,
    now: DateTime<Utc>,
    l: crate::i18n::Locale,
) -> Result<super::dto::OfflineBundleDto, AppError> {
    use crate::centers::service::center_tz;
    staff.require(|r| r.can_scan())?;
    let scope = crate::access::staff_centers(db, staff).await?;
    let home = match staff.home_center_id {
        Some(id) => center::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let tz = home
        .as_ref()
        .map(center_tz)
        .unwrap_or(chrono_tz::Asia::Almaty);
    let today = now.with_timezone(&tz).date_naive();
    let day_start = crate::domain::slots::local_to_utc(tz, today, 0);
    let day_end = crate::domain::slots::local_to_utc(tz, today + Duration::days(1), 0);
    let mut q = pass::Entity::find()
        .filter(pass::Column::ValidUntil.gt(day_start))
        .filter(pass::Column::ValidFrom.lt(day_end));
    if let Some(cs) = &scope {
        // Only the desk's centers: a card of another center's member is
        // decided online (or refused as unknown offline).
        q = q.filter(pass::Column::CenterId.is_in(cs.clone()));
    }
    let rows = q.all(db).await?;
    let live: Vec<&pass::Model> = rows.iter().filter(|p| p.revoked_at.is_none()).collect();
    let refs = BundleRefs::load(db, &live, today, (day_start, day_end)).await?;
    let revoked = rows
        .iter()
        .filter(|p| p.revoked_at.is_some())
        .map(|p| p.id)
        .collect();
    let passes = live
        .iter()
        .map(|p| refs.describe(p, &keys.trusted, tz, l))
        .collect();
    Ok(super::dto::OfflineBundleDto {
        keys: keys
            .trusted
            .iter()
            .map(|(id, k)| (*id, data_encoding::BASE32_NOPAD.encode(k.as_bytes())))
            .collect(),
        revoked,
        passes,
        centers: scope,
        timezone: tz.name().to_string(),
        utc_offset_secs: chrono::Offset::fix(now.with_timezone(&tz).offset()).local_minus_utc(),
        generated_at: now.timestamp(),
        account_id: staff.account_id,
        stamp: stamp(keys, staff.account_id, now.timestamp()),
    })
}

/// Rows keyed by an id of theirs.
fn by_id<T>(rows: Vec<T>, id: fn(&T) -> i32) -> HashMap<i32, T> {
    rows.into_iter().map(|r| (id(&r), r)).collect()
}

/// Everything the passes of an offline bundle refer to, one query per table
/// (a region's membership cards are many).
struct BundleRefs {
    people: HashMap<i32, Holder>,
    bookings: HashMap<i32, booking::Model>,
    spaces: HashMap<i32, space::Model>,
    clubs: HashMap<i32, crate::model::club::Model>,
    /// Today's meeting of each club, by club.
    sessions: HashMap<i32, crate::model::club_session::Model>,
    events: HashMap<i32, crate::model::event::Model>,
    /// Pass id → when it was admitted today.
    admitted: HashMap<i32, i64>,
}

impl BundleRefs {
    async fn load(
        db: &DatabaseConnection,
        live: &[&pass::Model],
        today: chrono::NaiveDate,
        (day_start, day_end): (DateTime<Utc>, DateTime<Utc>),
    ) -> Result<Self, AppError> {
        use crate::model::{club, club_session, event};
        let people = Holder::load_all(db, live, today).await?;
        let bookings: HashMap<i32, booking::Model> = by_id(
            booking::Entity::find()
                .filter(
                    booking::Column::Id
                        .is_in(live.iter().filter_map(|p| p.booking_id).collect::<Vec<_>>()),
                )
                .all(db)
                .await?,
            |b: &booking::Model| b.id,
        );
        let space_ids: HashSet<i32> = bookings.values().map(|b| b.space_id).collect();
        let spaces = by_id(
            space::Entity::find()
                .filter(space::Column::Id.is_in(space_ids))
                .all(db)
                .await?,
            |s: &space::Model| s.id,
        );
        // Clubs meeting today and events, for club and event passes.
        let club_ids: HashSet<i32> = live.iter().filter_map(|p| p.club_id).collect();
        let clubs = by_id(
            club::Entity::find()
                .filter(club::Column::Id.is_in(club_ids.clone()))
                .all(db)
                .await?,
            |c: &club::Model| c.id,
        );
        let sessions = by_id(
            club_session::Entity::find()
                .filter(club_session::Column::ClubId.is_in(club_ids))
                .filter(club_session::Column::CancelledAt.is_null())
                .filter(club_session::Column::StartsAt.gte(day_start))
                .filter(club_session::Column::StartsAt.lt(day_end))
                .all(db)
                .await?,
            |s: &club_session::Model| s.club_id,
        );
        let events = by_id(
            event::Entity::find()
                .filter(
                    event::Column::Id
                        .is_in(live.iter().filter_map(|p| p.event_id).collect::<Vec<_>>()),
                )
                .all(db)
                .await?,
            |e: &event::Model| e.id,
        );
        let admitted = check_in::Entity::find()
            .filter(check_in::Column::PassId.is_in(live.iter().map(|p| p.id).collect::<Vec<_>>()))
            .filter(check_in::Column::LocalDay.eq(today))
            .filter(check_in::Column::UndoneAt.is_null())
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.pass_id, c.scanned_at.timestamp()))
            .collect();
        Ok(BundleRefs {
            people,
            bookings,
            spaces,
            clubs,
            sessions,
            events,
            admitted,
        })
    }

    /// A pass as the offline scanner shows it: whose, what for, and when it
    /// opens.
    fn describe(
        &self,
        p: &pass::Model,
        keys: &[(u8, ed25519_dalek::VerifyingKey)],
        tz: chrono_tz::Tz,
        l: crate::i18n::Locale,
    ) -> super::dto::OfflinePassDto {
        use crate::i18n::{hhmm, pick, Msg};
        let span =
            |from: DateTime<Utc>, to: DateTime<Utc>| format!("{}–{}", hhmm(from, tz), hhmm(to, tz));
        let mut window = None;
        let (what, early) = if let Some(c) = p.club_id.and_then(|id| self.clubs.get(&id)) {
            let name = crate::model::club::name_of(c, l);
            match self.sessions.get(&c.id) {
                Some(s) => {
                    window = Some((s.starts_at.timestamp(), s.ends_at.timestamp()));
                    (
                        format!("{name}, {}", span(s.starts_at, s.ends_at)),
                        DEFAULT_EARLY,
                    )
                }
                None => (name, DEFAULT_EARLY),
            }
        } else if let Some(e) = p.event_id.and_then(|id| self.events.get(&id)) {
            let name = pick(l, &e.name_kk, &e.name_ru, &e.name_en);
            (
                format!("{name}, {}", span(e.starts_at, e.ends_at)),
                DEFAULT_EARLY,
            )
        } else {
            let booked = p
                .booking_id
                .and_then(|id| self.bookings.get(&id))
                .and_then(|b| self.spaces.get(&b.space_id).map(|s| (b, s)));
            match (p.booking_id, booked) {
                (Some(_), Some((b, s))) => {
                    let name = pick(l, &s.name_kk, &s.name_ru, &s.name_en);
                    (
                        format!("{name}, {}", span(b.starts_at, b.ends_at)),
                        s.checkin_open_minutes,
                    )
                }
                (Some(_), None) => (String::new(), DEFAULT_EARLY),
                (None, _) => (Msg::MembershipCard.text(l).to_string(), 0),
            }
        };
        let who = self.people.get(&p.person_id);
        super::dto::OfflinePassDto {
            pass_id: p.id,
            fingerprint: listed_fingerprint(&p.code, keys).unwrap_or_default(),
            holder: who.map(|h| h.name.clone()).unwrap_or_default(),
            age_band: who.map(|h| h.age_band.to_string()),
            consent_missing: who.is_some_and(|h| h.consent_missing),
            what,
            early_minutes: early,
            checked_in_at: self.admitted.get(&p.id).copied(),
            window,
        }
    }
}

/// The fingerprint a bundle lists for a pass code, only if the code
/// verifies with the trusted keys now: a pass signed with a key the server
/// no longer has (a key replaced under the same id) is refused online, and
/// must get the signature check (and fail it) offline too. Each code is
/// verified once per process: the fingerprints found genuine are kept (it
/// covers the key and the code, so a kept one stays genuine while that key
/// is trusted), up to [`MAX_KEPT`] of them.
fn listed_fingerprint(code: &str, keys: &[(u8, ed25519_dalek::VerifyingKey)]) -> Option<String> {
    use std::collections::HashSet;
    use std::sync::{LazyLock, Mutex};
    static GENUINE: LazyLock<Mutex<HashSet<String>>> = LazyLock::new(Default::default);
    let fp = crate::domain::pass::fingerprint(code, keys)?;
    let kept = |f: &str| {
        GENUINE
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(f)
    };
    if !kept(&fp) {
        crate::domain::pass::verify(code, keys).ok()?;
        let mut genuine = GENUINE.lock().unwrap_or_else(|e| e.into_inner());
        if genuine.len() >= MAX_KEPT {
            genuine.clear();
        }
        genuine.insert(fp.clone());
    }
    Some(fp)
}

/// Verified fingerprints kept at most (about 60 bytes each).
const MAX_KEPT: usize = 200_000;

/// A holder as the offline verdict shows them: first name and last
/// initial, age band, and whether a minor's consent is missing.
struct Holder {
    name: String,
    age_band: &'static str,
    consent_missing: bool,
}

impl Holder {
    async fn load_all(
        db: &DatabaseConnection,
        live: &[&pass::Model],
        today: chrono::NaiveDate,
    ) -> Result<HashMap<i32, Holder>, AppError> {
        use crate::domain::membership::{age_on, short_name, AgeBand};
        use crate::model::person;
        let ids: HashSet<i32> = live.iter().map(|p| p.person_id).collect();
        let people = person::Entity::find()
            .filter(person::Column::Id.is_in(ids))
            .all(db)
            .await?;
        let awaiting = crate::access::consent_missing_among(db, &people, today).await?;
        Ok(people
            .into_iter()
            .map(|p| {
                let holder = Holder {
                    name: short_name(&p.full_name),
                    age_band: AgeBand::of(age_on(p.birth_date, today)).label(),
                    consent_missing: awaiting.contains(&p.id),
                };
                (p.id, holder)
            })
            .collect())
    }
}

/// What a bundle's stamp signs: the desk account and the bundle's time.
fn stamp_message(account_id: i32, generated_at: i64) -> Vec<u8> {
    let mut m = b"ortalyq offline bundle v1:".to_vec();
    m.extend_from_slice(&account_id.to_be_bytes());
    m.extend_from_slice(&generated_at.to_be_bytes());
    m
}

/// `<unix seconds>.<key id>.<signature>`: the server's word that it gave
/// `account_id` a bundle at `generated_at`.
fn stamp(keys: &crate::state::PassKeyRing, account_id: i32, generated_at: i64) -> String {
    use ed25519_dalek::Signer;
    let sig = keys.signing.sign(&stamp_message(account_id, generated_at));
    format!(
        "{generated_at}.{}.{}",
        keys.key_id,
        data_encoding::BASE32_NOPAD.encode(&sig.to_bytes())
    )
}

/// When the bundle of a stamp was made, if the server stamped it for this
/// account with a key it still trusts.
fn stamped_at(keys: &crate::state::PassKeyRing, account_id: i32, stamp: &str) -> Option<i64> {
    use ed25519_dalek::{Signature, Verifier};
    let mut parts = stamp.splitn(3, '.');
    let at: i64 = parts.next()?.parse().ok()?;
    let key_id: u8 = parts.next()?.parse().ok()?;
    let sig = data_encoding::BASE32_NOPAD
        .decode(parts.next()?.as_bytes())
        .ok()?;
    let sig = Signature::from_slice(&sig).ok()?;
    let key = keys.trusted.iter().find(|(id, _)| *id == key_id)?;
    key.1
        .verify(&stamp_message(account_id, at), &sig)
        .ok()
        .map(|_| at)
}

/// Apply scans a station made offline, in the order they were made. Each
/// nonce is claimed first (a repeated upload finds it and skips), then the
/// scan is decided as of its own time. A pass another desk had already
/// admitted is reported as a conflict (both let the person in), and scans
/// the server would have refused are reported too.
pub async fn sync_offline(
    db: &DatabaseConnection,
    keys: &crate::state::PassKeyRing,
    staff: &CurrentUser,
    device: &str,
    mut scans: Vec<super::dto::OfflineScanDto>,
    now: DateTime<Utc>,
    l: crate::i18n::Locale,
) -> Result<super::dto::SyncReportDto, AppError> {
    use crate::model::offline_scan;
    use chrono::TimeZone;
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set, SqlErr};
    staff.require(|r| r.can_scan())?;
    if scans.len() > MAX_SYNC_BATCH {
        return Err(AppError::Invalid {
            field: "scans".into(),
            problem: crate::error::Problem::Range,
        });
    }
    let clean_nonce = |n: &str| -> String {
        n.chars()
            .filter(char::is_ascii_alphanumeric)
            .take(64)
            .collect()
    };
    // Every scan is checked before any is stored: a refused upload leaves
    // nothing behind (the station keeps its queue and retries).
    if scans.iter().any(|s| clean_nonce(&s.nonce).len() < 8) {
        return Err(AppError::Invalid {
            field: "nonce".into(),
            problem: crate::error::Problem::Required,
        });
    }
    scans.sort_by_key(|s| s.scanned_at);
    let tz = match staff.home_center_id {
        Some(id) => center::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|c| crate::centers::service::center_tz(&c)),
        None => None,
    }
    .unwrap_or(chrono_tz::Asia::Almaty);
    let mut report = super::dto::SyncReportDto::default();
    for s in scans {
        let nonce = clean_nonce(&s.nonce);
        // A scan time in the future (a wrong device clock) counts as now.
        let at = Utc
            .timestamp_opt(s.scanned_at, 0)
            .single()
            .filter(|t| *t <= now)
            .unwrap_or(now);
        let claim = offline_scan::ActiveModel {
            nonce: Set(nonce),
            device: Set(device.chars().take(64).collect()),
            code: Set(s.code.chars().take(300).collect()),
            exit: Set(s.exit),
            scanned_at: Set(at),
            uploaded_at: Set(now),
            uploaded_by: Set(staff.account_id),
            result: Set("pending".into()),
            detail: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await;
        let row = match claim {
            Ok(row) => row,
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                report.duplicates += 1;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        // Decided with a bundle this desk got before the scan, and not
        // longer ago than a bundle lasts; else the scan is not applied.
        let window = stamped_at(keys, staff.account_id, &s.bundle)
            .map(|from| from..=from + super::dto::OFFLINE_WINDOW_SECS);
        let verdict = if !window.is_some_and(|w| w.contains(&at.timestamp())) {
            stale_verdict(l)
        } else if s.exit {
            super::door::check_out(db, keys, staff, &s.code, at, l).await?
        } else {
            super::scan::scan(db, keys, staff, &s.code, at, l).await?
        };
        let problem = || super::dto::SyncProblemDto {
            holder: verdict.holder.clone(),
            reason: verdict.reason.clone(),
            scanned_at: crate::i18n::hhmm(at, tz),
        };
        match verdict.code.as_str() {
            "admitted" | "checked_out" => report.applied += 1,
            "already_checked_in" => report.conflicts.push(problem()),
            _ => report.denied.push(problem()),
        }
        let mut am = row.into_active_model();
        am.result = Set(verdict.code.clone());
        am.detail = Set(Some(verdict.reason.clone()));
        am.update(db).await?;
    }
    Ok(report)
}

/// An offline scan dated outside the bundle it was decided with.
fn stale_verdict(l: crate::i18n::Locale) -> super::dto::ScanVerdictDto {
    super::dto::ScanVerdictDto {
        admitted: false,
        code: "stale_bundle".into(),
        reason: crate::i18n::Msg::DenyStaleBundle.text(l).into(),
        holder: None,
        what: None,
        age_band: None,
        consent_missing: false,
    }
}

#[cfg(test)]
mod tests {
    use super::listed_fingerprint;
    use crate::domain::pass::{fingerprint, sign, PassClaims, PassKind};
    use chrono::TimeZone;
    use ed25519_dalek::SigningKey;

    /// A pass signed with a key the server no longer has (replaced under
    /// the same id) is refused online; the bundle must not vouch for it.
    #[test]
    fn only_codes_that_verify_now_are_listed() {
        let at = |h| chrono::Utc.with_ymd_and_hms(2026, 12, 1, h, 0, 0).unwrap();
        let claims = |pass_id| PassClaims {
            key_id: 1,
            pass_id,
            holder_id: 3,
            kind: PassKind::Membership,
            center_id: 1,
            valid_from: at(6),
            valid_until: at(18),
        };
        let (lost, now) = (
            SigningKey::from_bytes(&[1; 32]),
            SigningKey::from_bytes(&[2; 32]),
        );
        let keys = [(1, now.verifying_key())];
        let old = sign(&claims(40), &lost);
        let current = sign(&claims(41), &now);
        for _ in 0..2 {
            // The second time from what was kept.
            assert_eq!(listed_fingerprint(&old, &keys), None);
            assert_eq!(
                listed_fingerprint(&current, &keys),
                fingerprint(&current, &keys)
            );
        }
        assert!(listed_fingerprint(&current, &keys).is_some());
    }
}
