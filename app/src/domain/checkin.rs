//! The check-in decision at the door: given a verified pass, what the database
//! knows about it and the desk's context, admit or deny with a coded reason.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::pass::{PassClaims, PassKind};

/// Default minutes before the start at which the door opens for a booking.
pub const DEFAULT_EARLY_MINUTES: i64 = 15;

/// What the server knows about a pass beyond its signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PassRecord {
    /// The pass (or its booking) was cancelled or replaced.
    pub revoked: bool,
    /// The first admission (today's, for a membership card), if any: when
    /// and by whom (staff display name).
    pub first_check_in: Option<(DateTime<Utc>, String)>,
}

/// The desk doing the scan. `Z` is the center's time zone: an IANA zone
/// on the server, a fixed UTC offset in the browser's offline station (which
/// carries no time-zone database).
#[derive(Clone, Debug)]
pub struct Desk<Z: TimeZone> {
    pub now: DateTime<Utc>,
    /// The centers the desk staff serves; `None` for a regional admin.
    pub centers: Option<Vec<u32>>,
    /// Time zone of the pass's center, for "today".
    pub tz: Z,
    pub early_minutes: i64,
}

/// Why the door stays shut.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Denial {
    /// No pass record exists for this (validly signed) id.
    Unknown,
    Revoked,
    OtherCenter,
    /// The pass is for another day.
    NotToday,
    /// Today, but the window has not opened yet.
    TooEarly {
        opens_at: DateTime<Utc>,
    },
    /// The window has closed.
    Expired,
    AlreadyCheckedIn {
        at: DateTime<Utc>,
        by: String,
    },
}

/// Decide a scan. The order matters: a forged or foreign pass is refused for
/// that reason before anything about time is said.
pub fn decide<Z: TimeZone>(
    claims: &PassClaims,
    record: Option<&PassRecord>,
    desk: &Desk<Z>,
) -> Result<(), Denial> {
    let record = record.ok_or(Denial::Unknown)?;
    if record.revoked {
        return Err(Denial::Revoked);
    }
    if claims.kind == PassKind::Membership {
        // A membership card admits to any center of the region, once a day,
        // for as long as it is valid.
        if let Some((at, by)) = &record.first_check_in {
            return Err(Denial::AlreadyCheckedIn {
                at: *at,
                by: by.clone(),
            });
        }
        if desk.now >= claims.valid_until || desk.now < claims.valid_from {
            return Err(Denial::Expired);
        }
        return Ok(());
    }
    if let Some(centers) = &desk.centers {
        if !centers.contains(&claims.center_id) {
            return Err(Denial::OtherCenter);
        }
    }
    if let Some((at, by)) = &record.first_check_in {
        return Err(Denial::AlreadyCheckedIn {
            at: *at,
            by: by.clone(),
        });
    }
    let opens_at = claims.valid_from - Duration::minutes(desk.early_minutes);
    if desk.now >= claims.valid_until {
        let today = desk.now.with_timezone(&desk.tz).date_naive();
        let pass_day = claims.valid_from.with_timezone(&desk.tz).date_naive();
        return Err(if today == pass_day {
            Denial::Expired
        } else {
            Denial::NotToday
        });
    }
    if desk.now < opens_at {
        let today = desk.now.with_timezone(&desk.tz).date_naive();
        let pass_day = claims.valid_from.with_timezone(&desk.tz).date_naive();
        return Err(if today == pass_day {
            Denial::TooEarly { opens_at }
        } else {
            Denial::NotToday
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pass::PassKind;
    use chrono::TimeZone;

    fn claims() -> PassClaims {
        PassClaims {
            key_id: 1,
            pass_id: 1,
            holder_id: 1,
            kind: PassKind::Booking,
            center_id: 5,
            // 15:00–16:00 in Almaty (UTC+5)
            valid_from: Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap(),
            valid_until: Utc.with_ymd_and_hms(2026, 12, 1, 11, 0, 0).unwrap(),
        }
    }

    fn desk(h: u32, m: u32) -> Desk<chrono_tz::Tz> {
        Desk {
            now: Utc.with_ymd_and_hms(2026, 12, 1, h, m, 0).unwrap(),
            centers: Some(vec![5]),
            tz: "Asia/Almaty".parse().unwrap(),
            early_minutes: DEFAULT_EARLY_MINUTES,
        }
    }

    fn fresh() -> PassRecord {
        PassRecord {
            revoked: false,
            first_check_in: None,
        }
    }

    #[test]
    fn admits_inside_window_including_early_door() {
        assert_eq!(decide(&claims(), Some(&fresh()), &desk(9, 45)), Ok(()));
        assert_eq!(decide(&claims(), Some(&fresh()), &desk(10, 59)), Ok(()));
    }

    #[test]
    fn too_early_expired_and_other_days() {
        assert_eq!(
            decide(&claims(), Some(&fresh()), &desk(9, 44)),
            Err(Denial::TooEarly {
                opens_at: Utc.with_ymd_and_hms(2026, 12, 1, 9, 45, 0).unwrap()
            })
        );
        assert_eq!(
            decide(&claims(), Some(&fresh()), &desk(11, 0)),
            Err(Denial::Expired)
        );
        let mut d = desk(10, 0);
        d.now = Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 0).unwrap();
        assert_eq!(decide(&claims(), Some(&fresh()), &d), Err(Denial::NotToday));
        d.now = Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap();
        assert_eq!(decide(&claims(), Some(&fresh()), &d), Err(Denial::NotToday));
    }

    #[test]
    fn membership_card_admits_anywhere_once_a_day_while_valid() {
        let mut c = claims();
        c.kind = PassKind::Membership;
        c.valid_from = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        c.valid_until = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
        let mut d = desk(16, 0);
        d.centers = Some(vec![6]); // another center of the region
        assert_eq!(decide(&c, Some(&fresh()), &d), Ok(()));
        let at = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        let used = PassRecord {
            revoked: false,
            first_check_in: Some((at, "Dana Y.".into())),
        };
        assert!(matches!(
            decide(&c, Some(&used), &d),
            Err(Denial::AlreadyCheckedIn { .. })
        ));
        d.now = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(decide(&c, Some(&fresh()), &d), Err(Denial::Expired));
        let revoked = PassRecord {
            revoked: true,
            first_check_in: None,
        };
        assert_eq!(
            decide(&c, Some(&revoked), &desk(10, 0)),
            Err(Denial::Revoked)
        );
    }

    #[test]
    fn other_center_revoked_unknown_and_repeat() {
        let mut d = desk(10, 0);
        d.centers = Some(vec![6]);
        assert_eq!(
            decide(&claims(), Some(&fresh()), &d),
            Err(Denial::OtherCenter)
        );
        d.centers = None; // regional admin may scan anywhere
        assert_eq!(decide(&claims(), Some(&fresh()), &d), Ok(()));
        let revoked = PassRecord {
            revoked: true,
            first_check_in: None,
        };
        assert_eq!(
            decide(&claims(), Some(&revoked), &desk(10, 0)),
            Err(Denial::Revoked)
        );
        assert_eq!(decide(&claims(), None, &desk(10, 0)), Err(Denial::Unknown));
        let at = Utc.with_ymd_and_hms(2026, 12, 1, 9, 50, 0).unwrap();
        let used = PassRecord {
            revoked: false,
            first_check_in: Some((at, "Aigerim".into())),
        };
        assert_eq!(
            decide(&claims(), Some(&used), &desk(10, 5)),
            Err(Denial::AlreadyCheckedIn {
                at,
                by: "Aigerim".into()
            })
        );
    }
}
