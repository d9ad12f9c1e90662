//! Deciding at the door without a network: the same signature check and
//! check-in rules as the server ([`crate::domain`]), fed by the bundle the
//! station downloaded and the admissions it queued since. A pass the bundle
//! lists is recognised by its fingerprint (a hash of the exact code the
//! server issued), which spares a cheap phone the curve arithmetic of a
//! signature check; any other code has its signature checked. Pure, so it
//! runs in the browser's wasm and in native tests.

use chrono::{DateTime, TimeZone, Utc};
use ed25519_dalek::VerifyingKey;

use super::dto::{OfflineBundleDto, OfflinePassDto, ScanVerdictDto};
use crate::domain::checkin::{self, Denial, Desk, PassRecord};
use crate::domain::pass::{self, PassError};
use crate::i18n::{Locale, Msg};

/// A bundle's key (base32) as a curve point. Decompressing the point is
/// the costliest step after the signature itself, and a station checks
/// every pass of the day against the same key or two, so the last few
/// are kept.
fn verifying_key(b32: &str) -> Option<VerifyingKey> {
    use std::cell::RefCell;
    thread_local! {
        static KEPT: RefCell<Vec<(String, VerifyingKey)>> = const { RefCell::new(Vec::new()) };
    }
    if let Some(k) = KEPT.with_borrow(|kept| kept.iter().find(|(s, _)| s == b32).map(|(_, k)| *k)) {
        return Some(k);
    }
    let bytes = data_encoding::BASE32_NOPAD.decode(b32.as_bytes()).ok()?;
    let key = VerifyingKey::from_bytes(&bytes.try_into().ok()?).ok()?;
    KEPT.with_borrow_mut(|kept| {
        if kept.len() >= 4 {
            kept.remove(0);
        }
        kept.push((b32.to_owned(), key));
    });
    Some(key)
}

/// Decide a scanned code offline. `admitted_here` are pass ids this station
/// admitted (offline) since the bundle was made.
pub fn decide(
    bundle: &OfflineBundleDto,
    admitted_here: &[i32],
    code: &str,
    now: DateTime<Utc>,
    l: Locale,
) -> (ScanVerdictDto, Option<i32>) {
    // The holder as the bundle describes them (`None`: show nothing).
    let verdict = |admitted: bool, code: &str, reason: String, found: Option<&OfflinePassDto>| {
        ScanVerdictDto {
            admitted,
            code: code.into(),
            reason,
            holder: found.map(|p| p.holder.clone()),
            what: found.map(|p| p.what.clone()),
            age_band: found.and_then(|p| p.age_band.clone()),
            consent_missing: found.is_some_and(|p| p.consent_missing),
        }
    };
    // Only the key the code names is looked at; a pass the bundle lists is
    // recognised by its fingerprint, any other code by its signature.
    let wanted = pass::peek_key_id(code);
    let keys: Vec<(u8, VerifyingKey)> = bundle
        .keys
        .iter()
        .filter(|(id, _)| Some(*id) == wanted)
        .filter_map(|(id, k)| Some((*id, verifying_key(k)?)))
        .collect();
    let listed = pass::peek_pass_id(code)
        .and_then(|id| bundle.passes.iter().find(|p| p.pass_id as u32 == id))
        .map(|p| p.fingerprint.as_str())
        .filter(|f| !f.is_empty());
    let claims = match pass::verify_known(code, &keys, listed) {
        Ok(c) => c,
        Err(e) => {
            let (c, m) = match e {
                PassError::Malformed | PassError::UnsupportedVersion => {
                    ("malformed", Msg::DenyMalformed)
                }
                PassError::UnknownKey => ("unknown_key", Msg::DenyUnknownKey),
                PassError::BadSignature => ("bad_signature", Msg::DenyBadSignature),
            };
            return (verdict(false, c, m.text(l).into(), None), None);
        }
    };
    let pass_id = claims.pass_id as i32;
    let found = bundle.passes.iter().find(|p| p.pass_id == pass_id);
    let tz = chrono::FixedOffset::east_opt(bundle.utc_offset_secs)
        .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).expect("zero is a valid offset"));
    let record = if bundle.revoked.contains(&pass_id) {
        Some(PassRecord {
            revoked: true,
            first_check_in: None,
        })
    } else {
        found.map(|p| PassRecord {
            revoked: false,
            first_check_in: p
                .checked_in_at
                .and_then(|t| Utc.timestamp_opt(t, 0).single())
                .or_else(|| admitted_here.contains(&pass_id).then_some(now))
                .map(|t| (t, String::new())),
        })
    };
    let desk = Desk {
        now,
        centers: bundle
            .centers
            .as_ref()
            .map(|cs| cs.iter().map(|c| *c as u32).collect()),
        tz,
        early_minutes: i64::from(found.map_or(15, |p| p.early_minutes)),
    };
    let mut effective = claims;
    let mut no_session = false;
    if claims.kind == pass::PassKind::ClubSession {
        match found.and_then(|p| p.window) {
            Some((a, b)) => {
                if let (Some(a), Some(b)) = (
                    Utc.timestamp_opt(a, 0).single(),
                    Utc.timestamp_opt(b, 0).single(),
                ) {
                    effective.valid_from = a;
                    effective.valid_until = b;
                }
            }
            None => no_session = true,
        }
    }
    let decision = checkin::decide(&effective, record.as_ref(), &desk);
    let decision = if no_session {
        decision.and(Err(Denial::NotToday))
    } else {
        decision
    };
    match decision {
        Ok(()) => (
            verdict(true, "admitted", Msg::Admitted.text(l).into(), found),
            Some(pass_id),
        ),
        Err(d) => {
            let (c, m) = match d {
                Denial::Unknown => ("unknown", Msg::DenyUnknown),
                Denial::Revoked => ("revoked", Msg::DenyRevoked),
                Denial::OtherCenter => ("other_center", Msg::DenyOtherCenter),
                Denial::NotToday => ("not_today", Msg::DenyNotToday),
                Denial::TooEarly { .. } => ("too_early", Msg::DenyTooEarly),
                Denial::Expired => ("expired", Msg::DenyExpired),
                Denial::AlreadyCheckedIn { .. } => {
                    ("already_checked_in", Msg::DenyAlreadyCheckedIn)
                }
            };
            // Another center's pass: nothing about whose it is.
            let shown = found.filter(|_| d != Denial::OtherCenter);
            (verdict(false, c, m.text(l).into(), shown), None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pass::{PassClaims, PassKind};
    use crate::passes::dto::OfflinePassDto;
    use ed25519_dalek::SigningKey;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        // Karaganda (UTC+5) wall clock on 1 December 2026.
        Utc.with_ymd_and_hms(2026, 12, 1, h - 5, m, 0).unwrap()
    }

    fn setup() -> (OfflineBundleDto, String, String) {
        let key = SigningKey::from_bytes(&[7; 32]);
        let claims = |pass_id| PassClaims {
            key_id: 1,
            pass_id,
            holder_id: 3,
            kind: PassKind::Booking,
            center_id: 1,
            valid_from: at(11, 0),
            valid_until: at(12, 0),
        };
        let good = pass::sign(&claims(10), &key);
        let revoked = pass::sign(&claims(11), &key);
        let bundle = OfflineBundleDto {
            keys: vec![(
                1,
                data_encoding::BASE32_NOPAD.encode(key.verifying_key().as_bytes()),
            )],
            revoked: vec![11],
            passes: vec![OfflinePassDto {
                pass_id: 10,
                fingerprint: pass::fingerprint(&good, &[(1, key.verifying_key())]).unwrap(),
                holder: "Aruzhan S.".into(),
                age_band: Some("14–17".into()),
                consent_missing: true,
                what: "Coworking zone, 11:00–12:00".into(),
                early_minutes: 15,
                checked_in_at: None,
                window: None,
            }],
            centers: Some(vec![1]),
            timezone: "Asia/Almaty".into(),
            utc_offset_secs: 5 * 3600,
            generated_at: at(8, 0).timestamp(),
            account_id: 1,
            stamp: String::new(),
        };
        (bundle, good, revoked)
    }

    #[test]
    fn offline_decisions_follow_the_server_rules() {
        let (bundle, good, revoked) = setup();
        let (v, id) = decide(&bundle, &[], &good, at(10, 50), Locale::En);
        assert!(v.admitted, "{v:?}");
        assert_eq!((id, v.holder.as_deref()), (Some(10), Some("Aruzhan S.")));
        // A minor without consent is flagged offline as online.
        assert_eq!(
            (v.age_band.as_deref(), v.consent_missing),
            (Some("14–17"), true)
        );
        // Admitted here already: a second scan is refused.
        let (v, _) = decide(&bundle, &[10], &good, at(10, 52), Locale::En);
        assert_eq!(v.code, "already_checked_in");
        assert_eq!(
            decide(&bundle, &[], &revoked, at(10, 50), Locale::En)
                .0
                .code,
            "revoked"
        );
        assert_eq!(
            decide(&bundle, &[], &good, at(10, 30), Locale::En).0.code,
            "too_early"
        );
        // A forged code: one character changed.
        let mut forged = good.clone();
        let c = if forged.ends_with('A') { 'Q' } else { 'A' };
        forged.pop();
        forged.push(c);
        assert!(
            !decide(&bundle, &[], &forged, at(10, 50), Locale::En)
                .0
                .admitted
        );
        // Another center's desk.
        let other = OfflineBundleDto {
            centers: Some(vec![2]),
            ..bundle.clone()
        };
        let (v, _) = decide(&other, &[], &good, at(10, 50), Locale::En);
        assert_eq!(v.code, "other_center");
        // ...and shows nothing about whose pass it is.
        assert_eq!((v.holder, v.what, v.age_band), (None, None, None));
        assert!(!v.consent_missing);
    }

    /// A pass the bundle lists is known by its fingerprint: the server
    /// vouched for that very code under that key, so its signature is not
    /// checked again. A key the bundle does not trust, or another key under
    /// the same id, and any code not listed, get the signature check.
    #[test]
    fn a_listed_pass_is_known_by_its_fingerprint() {
        let (bundle, good, _) = setup();
        let key = SigningKey::from_bytes(&[7; 32]);
        let trusted = [(1, key.verifying_key())];
        // The good pass with its signature's R changed: no signature check
        // passes it, so only its listing can admit it.
        let mut bytes = data_encoding::BASE32_NOPAD
            .decode(&good.as_bytes()[2..])
            .unwrap();
        bytes[23 + 3] ^= 0x10;
        let unchecked = format!("OQ{}", data_encoding::BASE32_NOPAD.encode(&bytes));
        let (v, _) = decide(&bundle, &[], &unchecked, at(10, 50), Locale::En);
        assert_eq!(
            v.code, "bad_signature",
            "not listed: its signature is checked"
        );
        let mut listed = bundle.clone();
        listed.passes[0].fingerprint = pass::fingerprint(&unchecked, &trusted).unwrap();
        let (v, id) = decide(&listed, &[], &unchecked, at(10, 50), Locale::En);
        assert!(v.admitted, "listed: its signature is not checked: {v:?}");
        assert_eq!(id, Some(10));
        // Another key under id 1: the listing no longer holds.
        let other = SigningKey::from_bytes(&[8; 32]);
        let other_key = data_encoding::BASE32_NOPAD.encode(other.verifying_key().as_bytes());
        let replaced = OfflineBundleDto {
            keys: vec![(1, other_key.clone())],
            ..bundle.clone()
        };
        let (v, _) = decide(&replaced, &[], &good, at(10, 50), Locale::En);
        assert_eq!(v.code, "bad_signature");
        let withdrawn = OfflineBundleDto {
            keys: vec![(2, other_key)],
            ..bundle.clone()
        };
        let (v, _) = decide(&withdrawn, &[], &good, at(10, 50), Locale::En);
        assert_eq!(v.code, "unknown_key");
        // A code signed by someone else for the listed pass id.
        let forged = pass::sign(
            &PassClaims {
                key_id: 1,
                pass_id: 10,
                holder_id: 3,
                kind: PassKind::Booking,
                center_id: 1,
                valid_from: at(11, 0),
                valid_until: at(12, 0),
            },
            &other,
        );
        let (v, _) = decide(&bundle, &[], &forged, at(10, 50), Locale::En);
        assert_eq!(v.code, "bad_signature");
    }

    #[test]
    fn a_new_bundle_with_another_key_under_the_same_id_is_honoured() {
        let (bundle, good, _) = setup();
        assert!(
            decide(&bundle, &[], &good, at(10, 50), Locale::En)
                .0
                .admitted
        );
        // The key of id 1 was replaced (a new bundle after a key rotation
        // gone wrong, or a forged bundle): the kept point must not answer
        // for it.
        let other = SigningKey::from_bytes(&[8; 32]);
        let rotated = OfflineBundleDto {
            keys: vec![(
                1,
                data_encoding::BASE32_NOPAD.encode(other.verifying_key().as_bytes()),
            )],
            ..bundle.clone()
        };
        let (v, _) = decide(&rotated, &[], &good, at(10, 50), Locale::En);
        assert_eq!(v.code, "bad_signature");
        // ...and the first bundle still admits.
        assert!(
            decide(&bundle, &[], &good, at(10, 51), Locale::En)
                .0
                .admitted
        );
    }

    #[test]
    fn a_club_pass_admits_only_during_todays_session() {
        let key = SigningKey::from_bytes(&[7; 32]);
        // Valid for the whole term; the door decides by today's session.
        let code = pass::sign(
            &PassClaims {
                key_id: 1,
                pass_id: 20,
                holder_id: 3,
                kind: PassKind::ClubSession,
                center_id: 1,
                valid_from: at(6, 0),
                valid_until: Utc.with_ymd_and_hms(2027, 3, 1, 0, 0, 0).unwrap(),
            },
            &key,
        );
        let pass = |window| OfflinePassDto {
            pass_id: 20,
            fingerprint: String::new(),
            holder: "Dana E.".into(),
            age_band: None,
            consent_missing: false,
            what: "Dombra club, 18:00–19:30".into(),
            early_minutes: 15,
            checked_in_at: None,
            window,
        };
        let bundle = |window| OfflineBundleDto {
            keys: vec![(
                1,
                data_encoding::BASE32_NOPAD.encode(key.verifying_key().as_bytes()),
            )],
            revoked: vec![],
            passes: vec![pass(window)],
            centers: Some(vec![1]),
            timezone: "Asia/Almaty".into(),
            utc_offset_secs: 5 * 3600,
            generated_at: at(8, 0).timestamp(),
            account_id: 1,
            stamp: String::new(),
        };
        let today = bundle(Some((at(18, 0).timestamp(), at(19, 30).timestamp())));
        assert!(
            decide(&today, &[], &code, at(17, 50), Locale::En)
                .0
                .admitted
        );
        assert_eq!(
            decide(&today, &[], &code, at(11, 0), Locale::En).0.code,
            "too_early"
        );
        assert_eq!(
            decide(&today, &[], &code, at(19, 45), Locale::En).0.code,
            "expired"
        );
        // No session today (or it was cancelled): not today, even though
        // the pass itself is valid for the term.
        assert_eq!(
            decide(&bundle(None), &[], &code, at(17, 50), Locale::En)
                .0
                .code,
            "not_today"
        );
    }

    /// The offline door as properties: a station with no network admits
    /// the issued pass only inside its window, at its center, once, and
    /// not after revocation; a code the issuer signed for a pass that was
    /// never issued, or any altered code, is never admitted.
    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig {
                cases: 300,
                failure_persistence: None,
                ..ProptestConfig::default()
            })]

            #[test]
            fn admitted_only_when_every_rule_holds(
                offset in -3000i64..3000,
                desk_center in 1i32..4,
                revoked in any::<bool>(),
                admitted_before in any::<bool>(),
            ) {
                let (mut bundle, good, _) = setup();
                bundle.centers = Some(vec![desk_center]);
                if revoked {
                    bundle.revoked.push(10);
                }
                let now = at(11, 0) + chrono::Duration::minutes(offset);
                let here: &[i32] = if admitted_before { &[10] } else { &[] };
                let (v, id) = decide(&bundle, here, &good, now, Locale::En);
                let in_window = now >= at(10, 45) && now < at(12, 0);
                let expected = in_window && desk_center == 1 && !revoked && !admitted_before;
                prop_assert_eq!(v.admitted, expected, "{:?}", v);
                prop_assert_eq!(id, expected.then_some(10));
                if !expected {
                    prop_assert!(!v.reason.is_empty());
                }
            }

            /// Genuinely signed, but no such pass was issued to this
            /// station's center (not in the bundle): refused as unknown.
            #[test]
            fn signed_but_unissued_passes_are_refused(
                pass_id in any::<u32>(),
                holder_id in any::<u32>(),
                minutes in -600i64..600,
            ) {
                prop_assume!(pass_id != 10);
                let (bundle, _, _) = setup();
                let key = SigningKey::from_bytes(&[7; 32]);
                let code = pass::sign(
                    &PassClaims {
                        key_id: 1,
                        pass_id,
                        holder_id,
                        kind: PassKind::Booking,
                        center_id: 1,
                        valid_from: at(11, 0),
                        valid_until: at(12, 0),
                    },
                    &key,
                );
                let now = at(11, 0) + chrono::Duration::minutes(minutes);
                let (v, id) = decide(&bundle, &[], &code, now, Locale::En);
                prop_assert!(!v.admitted && id.is_none());
                if pass_id != 11 {
                    prop_assert_eq!(v.code, "unknown");
                }
            }

            #[test]
            fn altered_codes_are_never_admitted(
                edits in proptest::collection::vec((2usize..142, "[A-Z2-7]"), 1..4),
            ) {
                let (bundle, good, _) = setup();
                let mut chars: Vec<char> = good.chars().collect();
                let n = chars.len();
                for (i, ch) in &edits {
                    chars[*i % n] = ch.chars().next().unwrap();
                }
                let forged: String = chars.into_iter().collect();
                prop_assume!(forged != good);
                let (v, id) = decide(&bundle, &[], &forged, at(11, 10), Locale::En);
                prop_assert!(!v.admitted && id.is_none(), "{:?}", v);
            }

            /// A bundle with garbled keys trusts nothing.
            #[test]
            fn garbled_keys_admit_nothing(key in "[A-Z2-7]{0,60}") {
                let (mut bundle, good, _) = setup();
                bundle.keys = vec![(1, key)];
                let (v, _) = decide(&bundle, &[], &good, at(11, 10), Locale::En);
                prop_assert!(!v.admitted);
            }
        }
    }
}
