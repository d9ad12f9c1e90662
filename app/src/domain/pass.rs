//! Signed QR passes.
//!
//! A pass code is `OQ` followed by RFC 4648 base32 (no padding) of a fixed
//! 23-byte payload and its 64-byte Ed25519 signature. Base32's alphabet fits the
//! QR alphanumeric mode, so the code makes a small, robust QR symbol and a USB
//! scanner can type it. Layout (big-endian):
//!
//! | bytes | field                              |
//! |-------|------------------------------------|
//! | 1     | format version (1)                 |
//! | 1     | key id (rotation)                  |
//! | 4     | pass id                            |
//! | 4     | holder (person id)                 |
//! | 1     | kind                               |
//! | 4     | center id                          |
//! | 4     | valid from, Unix minutes (UTC)     |
//! | 4     | valid until, Unix minutes (UTC)    |
//!
//! The signature covers a domain tag plus the payload, so a signature made for
//! anything else with the same key can never pass as a pass.

use crate::domain::codes::stored;
use chrono::{DateTime, TimeZone, Utc};
use data_encoding::BASE32_NOPAD;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

pub const PREFIX: &str = "OQ";
pub const FORMAT_VERSION: u8 = 1;
const DOMAIN_TAG: &[u8] = b"ortalyq-pass-v1";
const PAYLOAD_LEN: usize = 23;
const SIG_LEN: usize = 64;

stored! {
    /// What a pass admits to.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum PassKind {
        Booking = 1,
        Membership = 2,
        /// A club's weekly session (clubs, #6).
        ClubSession = 3,
        /// A registered event (a show, a screening).
        Event = 4,
        /// Borrowed equipment, shown at return.
        EquipmentLoan = 5,
    }
}

impl PassKind {
    fn from_u8(v: u8) -> Option<Self> {
        match v {
            1 => Some(Self::Booking),
            2 => Some(Self::Membership),
            3 => Some(Self::ClubSession),
            4 => Some(Self::Event),
            5 => Some(Self::EquipmentLoan),
            _ => None,
        }
    }

    /// The `passes.kind` column value.
    pub fn as_str(self) -> &'static str {
        match self {
            PassKind::Booking => "booking",
            PassKind::Membership => "membership",
            PassKind::ClubSession => "club_session",
            PassKind::Event => "event",
            PassKind::EquipmentLoan => "equipment_loan",
        }
    }
}

/// The signed content of a pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PassClaims {
    pub key_id: u8,
    pub pass_id: u32,
    pub holder_id: u32,
    pub kind: PassKind,
    pub center_id: u32,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
}

/// Why a code is not a genuine pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassError {
    /// Not an Ortalyq pass code at all (wrong prefix, length or alphabet).
    Malformed,
    /// A pass format this build does not know.
    UnsupportedVersion,
    /// Signed with a key id that is not (or no longer) trusted.
    UnknownKey,
    /// The signature does not match: forged or altered.
    BadSignature,
}

fn minutes(t: DateTime<Utc>) -> u32 {
    u32::try_from(t.timestamp().div_euclid(60)).unwrap_or(0)
}

fn from_minutes(m: u32) -> DateTime<Utc> {
    Utc.timestamp_opt(i64::from(m) * 60, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

fn encode_payload(c: &PassClaims) -> [u8; PAYLOAD_LEN] {
    let mut p = [0u8; PAYLOAD_LEN];
    p[0] = FORMAT_VERSION;
    p[1] = c.key_id;
    p[2..6].copy_from_slice(&c.pass_id.to_be_bytes());
    p[6..10].copy_from_slice(&c.holder_id.to_be_bytes());
    p[10] = c.kind as u8;
    p[11..15].copy_from_slice(&c.center_id.to_be_bytes());
    p[15..19].copy_from_slice(&minutes(c.valid_from).to_be_bytes());
    p[19..23].copy_from_slice(&minutes(c.valid_until).to_be_bytes());
    p
}

fn signed_message(payload: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(DOMAIN_TAG.len() + payload.len());
    m.extend_from_slice(DOMAIN_TAG);
    m.extend_from_slice(payload);
    m
}

/// Sign `claims` (validity is truncated to whole minutes) and return the code.
pub fn sign(claims: &PassClaims, key: &SigningKey) -> String {
    let payload = encode_payload(claims);
    let sig = key.sign(&signed_message(&payload));
    let mut bytes = Vec::with_capacity(PAYLOAD_LEN + SIG_LEN);
    bytes.extend_from_slice(&payload);
    bytes.extend_from_slice(&sig.to_bytes());
    format!("{PREFIX}{}", BASE32_NOPAD.encode(&bytes))
}

/// A code's bytes (payload and signature), if it is one spelling of a
/// pass: surrounding whitespace and lower case (some scanners) are
/// tolerated.
fn decode(code: &str) -> Option<Vec<u8>> {
    let code = code.trim().to_ascii_uppercase();
    // (The decoder refuses non-zero unused bits in the last character, so
    // each pass has exactly one spelling; a test holds it.)
    let bytes = BASE32_NOPAD
        .decode(code.strip_prefix(PREFIX)?.as_bytes())
        .ok()?;
    (bytes.len() == PAYLOAD_LEN + SIG_LEN).then_some(bytes)
}

/// The pass id a code claims, without checking the signature (only to
/// match a code against ids already known to be genuine).
pub fn peek_pass_id(code: &str) -> Option<u32> {
    decode(code).map(|b| u32::from_be_bytes([b[2], b[3], b[4], b[5]]))
}

/// The key id a code claims to be signed with, without checking anything
/// else (to prepare only that key).
pub fn peek_key_id(code: &str) -> Option<u8> {
    decode(code).map(|b| b[1])
}

const FINGERPRINT_TAG: &[u8] = b"ortalyq-pass-fingerprint-v1";

fn fingerprint_of(key: &VerifyingKey, bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(FINGERPRINT_TAG)
        .chain_update(key.as_bytes())
        .chain_update(bytes)
        .finalize();
    BASE32_NOPAD.encode(&digest[..16])
}

/// A code's fingerprint: 128 bits of a SHA-256 of the pass it spells and
/// the public key it is signed with (of `keys`; `None` for a code that is
/// not a pass or names no key of them). An offline bundle lists the
/// fingerprint of each of the day's passes, and a station recognises a
/// listed code by it, with a hash instead of the curve arithmetic of a
/// signature check (see [`verify_known`]). Nothing about a code can be
/// learnt from its fingerprint.
pub fn fingerprint(code: &str, keys: &[(u8, VerifyingKey)]) -> Option<String> {
    let bytes = decode(code)?;
    let key = keys.iter().find(|(id, _)| *id == bytes[1])?;
    Some(fingerprint_of(&key.1, &bytes))
}

/// Decode and verify a scanned code against the trusted keys `(key id, key)`.
/// Surrounding whitespace and lower case (some scanners) are tolerated.
pub fn verify(code: &str, keys: &[(u8, VerifyingKey)]) -> Result<PassClaims, PassError> {
    verify_known(code, keys, None)
}

/// [`verify`], except that a code whose [`fingerprint`] with its trusted
/// key is `known` (the one the server listed for the pass it claims, after
/// checking its signature) is genuine without its signature being checked
/// again. Its key must still be trusted, so a withdrawn key's passes stay
/// refused, and a key that differs from the server's (garbled, replaced)
/// changes the fingerprint. Any other code, however close, has its
/// signature checked.
pub fn verify_known(
    code: &str,
    keys: &[(u8, VerifyingKey)],
    known: Option<&str>,
) -> Result<PassClaims, PassError> {
    let bytes = decode(code).ok_or(PassError::Malformed)?;
    let (payload, sig) = bytes.split_at(PAYLOAD_LEN);
    if payload[0] != FORMAT_VERSION {
        return Err(PassError::UnsupportedVersion);
    }
    let key_id = payload[1];
    let key = keys
        .iter()
        .find(|(id, _)| *id == key_id)
        .map(|(_, k)| k)
        .ok_or(PassError::UnknownKey)?;
    if known.is_none_or(|k| k != fingerprint_of(key, &bytes)) {
        let sig = Signature::from_slice(sig).map_err(|_| PassError::BadSignature)?;
        key.verify(&signed_message(payload), &sig)
            .map_err(|_| PassError::BadSignature)?;
    }
    let u32_at =
        |i: usize| u32::from_be_bytes([payload[i], payload[i + 1], payload[i + 2], payload[i + 3]]);
    let kind = PassKind::from_u8(payload[10]).ok_or(PassError::Malformed)?;
    Ok(PassClaims {
        key_id,
        pass_id: u32_at(2),
        holder_id: u32_at(6),
        kind,
        center_id: u32_at(11),
        valid_from: from_minutes(u32_at(15)),
        valid_until: from_minutes(u32_at(19)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn claims() -> PassClaims {
        PassClaims {
            key_id: 1,
            pass_id: 4242,
            holder_id: 7,
            kind: PassKind::Booking,
            center_id: 3,
            valid_from: Utc.with_ymd_and_hms(2026, 12, 1, 5, 0, 0).unwrap(),
            valid_until: Utc.with_ymd_and_hms(2026, 12, 1, 6, 0, 0).unwrap(),
        }
    }

    #[test]
    fn sign_then_verify_round_trips() {
        let k = key(9);
        let code = sign(&claims(), &k);
        assert!(code.starts_with("OQ"));
        // Fits the QR alphanumeric alphabet.
        assert!(code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
        let got = verify(&code, &[(1, k.verifying_key())]).unwrap();
        assert_eq!(got, claims());
        // Scanners may append whitespace or send lower case.
        let sloppy = format!("  {}\n", code.to_lowercase());
        assert_eq!(verify(&sloppy, &[(1, k.verifying_key())]), Ok(claims()));
    }

    #[test]
    fn every_single_character_change_is_rejected() {
        let k = key(9);
        let keys = [(1, k.verifying_key())];
        let code = sign(&claims(), &k);
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        for i in 2..code.len() {
            let orig = code.as_bytes()[i] as char;
            let replacement = alphabet.chars().find(|c| *c != orig).unwrap();
            let mut tampered = code.clone();
            tampered.replace_range(i..=i, &replacement.to_string());
            assert!(
                verify(&tampered, &keys).is_err(),
                "tampered at {i} was accepted"
            );
        }
    }

    #[test]
    fn the_unused_bits_of_the_last_character_must_be_zero() {
        let k = key(9);
        let keys = [(1, k.verifying_key())];
        let code = sign(&claims(), &k);
        let last = code.chars().last().unwrap();
        // Characters that differ from the real one only in the low bits.
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let v = alphabet.find(last).unwrap();
        for other in (v & !0b1111)..(v | 0b1111) + 1 {
            if other == v {
                continue;
            }
            let mut alt = code.clone();
            alt.pop();
            alt.push(alphabet.as_bytes()[other] as char);
            assert_eq!(verify(&alt, &keys), Err(PassError::Malformed), "{alt}");
        }
    }

    #[test]
    fn altered_claims_with_old_signature_fail() {
        let k = key(9);
        let code = sign(&claims(), &k);
        let mut bytes = BASE32_NOPAD.decode(&code.as_bytes()[2..]).unwrap();
        bytes[5] ^= 0x01; // change the pass id
        let forged = format!("OQ{}", BASE32_NOPAD.encode(&bytes));
        assert_eq!(
            verify(&forged, &[(1, k.verifying_key())]),
            Err(PassError::BadSignature)
        );
    }

    #[test]
    fn the_key_id_is_read_without_the_key() {
        let mut c = claims();
        c.key_id = 7;
        let code = sign(&c, &key(9));
        assert_eq!(peek_key_id(&code), Some(7));
        assert_eq!(peek_key_id(&code.to_lowercase()), Some(7));
        assert_eq!(peek_key_id("OQ"), None);
        assert_eq!(peek_key_id(&code[..code.len() - 2]), None);
    }

    #[test]
    fn other_key_unknown_key_and_garbage() {
        let code = sign(&claims(), &key(9));
        assert_eq!(
            verify(&code, &[(1, key(10).verifying_key())]),
            Err(PassError::BadSignature)
        );
        assert_eq!(
            verify(&code, &[(2, key(9).verifying_key())]),
            Err(PassError::UnknownKey)
        );
        let keys = [(1, key(9).verifying_key())];
        assert_eq!(verify("", &keys), Err(PassError::Malformed));
        assert_eq!(verify("HELLO", &keys), Err(PassError::Malformed));
        assert_eq!(verify("OQ!!!!", &keys), Err(PassError::Malformed));
        assert_eq!(
            verify(&code[..code.len() - 8], &keys),
            Err(PassError::Malformed)
        );
    }

    /// The mutation test: a million altered or random codes, every one of
    /// them refused. Half are real codes with 1–4 characters changed, a
    /// quarter random codes that claim format 1 and a trusted key id (so
    /// they reach the signature check), a quarter truncated, extended or
    /// re-prefixed codes. Runs on every core.
    #[test]
    fn a_million_altered_or_random_codes_are_all_rejected() {
        const TOTAL: u64 = 1_000_000;
        let k = key(9);
        let keys = [(1u8, k.verifying_key()), (2u8, key(11).verifying_key())];
        let code = sign(&claims(), &k);
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get()) as u64;
        let per = TOTAL.div_ceil(threads);
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let code = code.clone();
                std::thread::spawn(move || {
                    // xorshift64*: reproducible, no dependency.
                    let mut state =
                        0x9E37_79B9_7F4A_7C15u64 ^ (t + 1).wrapping_mul(0xD134_2543_DE82_EF95);
                    let mut next = move || {
                        state ^= state >> 12;
                        state ^= state << 25;
                        state ^= state >> 27;
                        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
                    };
                    let mut reasons = [0u64; 4];
                    while reasons.iter().sum::<u64>() < per {
                        let candidate = match next() % 4 {
                            0 | 1 => {
                                let mut bytes = code.clone().into_bytes();
                                let changes = 1 + next() % 4;
                                for _ in 0..changes {
                                    let i = 2 + (next() as usize) % (bytes.len() - 2);
                                    let mut c = alphabet[(next() as usize) % 32];
                                    if c == bytes[i] {
                                        c = alphabet[(alphabet
                                            .iter()
                                            .position(|x| *x == c)
                                            .unwrap()
                                            + 1)
                                            % 32];
                                    }
                                    bytes[i] = c;
                                }
                                String::from_utf8(bytes).unwrap()
                            }
                            2 => {
                                let mut raw = [0u8; PAYLOAD_LEN + SIG_LEN];
                                for b in raw.iter_mut() {
                                    *b = next() as u8;
                                }
                                raw[0] = FORMAT_VERSION;
                                raw[1] = 1 + (next() % 2) as u8;
                                format!("{PREFIX}{}", BASE32_NOPAD.encode(&raw))
                            }
                            _ => match next() % 3 {
                                0 => code[..2 + (next() as usize) % (code.len() - 2)].to_string(),
                                1 => format!("{code}{}", alphabet[(next() as usize) % 32] as char),
                                _ => format!("QO{}", &code[2..]),
                            },
                        };
                        // Changes that happen to restore the real code are
                        // not alterations.
                        if candidate == code {
                            continue;
                        }
                        match verify(&candidate, &keys) {
                            Ok(c) => panic!("accepted a forged code {candidate}: {c:?}"),
                            Err(PassError::Malformed) => reasons[0] += 1,
                            Err(PassError::UnsupportedVersion) => reasons[1] += 1,
                            Err(PassError::UnknownKey) => reasons[2] += 1,
                            Err(PassError::BadSignature) => reasons[3] += 1,
                        }
                    }
                    reasons
                })
            })
            .collect();
        let mut total = [0u64; 4];
        for h in handles {
            for (sum, n) in total.iter_mut().zip(h.join().unwrap()) {
                *sum += n;
            }
        }
        assert!(total.iter().sum::<u64>() >= TOTAL);
        // Most of them were refused by the signature itself, not by a
        // cheap format check.
        assert!(total[3] > TOTAL / 2, "{total:?}");
    }

    #[test]
    fn every_kind_round_trips() {
        let k = key(9);
        for kind in [
            PassKind::Booking,
            PassKind::Membership,
            PassKind::ClubSession,
            PassKind::Event,
            PassKind::EquipmentLoan,
        ] {
            let c = PassClaims { kind, ..claims() };
            let got = verify(&sign(&c, &k), &[(1, k.verifying_key())]).unwrap();
            assert_eq!(got.kind, kind);
        }
    }

    /// Forgery, as properties (proptest, bounded so it runs in the unit
    /// suite): whatever an attacker sends — random text, random bytes
    /// shaped like a pass, a genuine pass with bits flipped, cut short,
    /// lengthened, with fields swapped or spliced from another pass, or
    /// claims signed with a key that is not trusted — nothing verifies
    /// unless it is, character for character, a code the issuer signed.
    mod forgery {
        use super::super::*;
        use super::key;
        use proptest::collection::vec;
        use proptest::prelude::*;

        /// The issuer's current key (id 1) and a retired one still trusted (id 2).
        fn trusted() -> [(u8, VerifyingKey); 2] {
            [(1, key(9).verifying_key()), (2, key(11).verifying_key())]
        }

        fn issuer(key_id: u8) -> SigningKey {
            if key_id == 1 {
                key(9)
            } else {
                key(11)
            }
        }

        fn kind() -> impl Strategy<Value = PassKind> {
            prop_oneof![
                Just(PassKind::Booking),
                Just(PassKind::Membership),
                Just(PassKind::ClubSession),
                Just(PassKind::Event),
                Just(PassKind::EquipmentLoan),
            ]
        }

        prop_compose! {
            /// Claims as the issuer makes them: any ids, whole minutes.
            fn claims()(
                key_id in 1u8..=2,
                pass_id in any::<u32>(),
                holder_id in any::<u32>(),
                kind in kind(),
                center_id in any::<u32>(),
                from in 0u32..u32::MAX / 2,
                len in 0u32..600_000,
            ) -> PassClaims {
                PassClaims {
                    key_id,
                    pass_id,
                    holder_id,
                    kind,
                    center_id,
                    valid_from: from_minutes(from),
                    valid_until: from_minutes(from + len),
                }
            }
        }

        fn issue(c: &PassClaims) -> String {
            sign(c, &issuer(c.key_id))
        }

        fn raw(code: &str) -> Vec<u8> {
            BASE32_NOPAD.decode(&code.as_bytes()[2..]).unwrap()
        }

        fn spell(bytes: &[u8]) -> String {
            format!("{PREFIX}{}", BASE32_NOPAD.encode(bytes))
        }

        /// Accepted means issued: the claims it verifies to, signed again by
        /// the issuer, give back exactly the code (modulo the case and
        /// whitespace scanners add), so no second spelling of a pass and no
        /// pass nobody signed can get through.
        fn accepted_only_if_issued(code: &str) -> Result<(), TestCaseError> {
            if let Ok(c) = verify(code, &trusted()) {
                prop_assert_eq!(issue(&c), code.trim().to_ascii_uppercase());
            }
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig {
                cases: 400,
                failure_persistence: None,
                ..ProptestConfig::default()
            })]

            #[test]
            fn random_text_is_refused(s in "\\PC{0,200}", t in "(OQ|oq)?[A-Z2-7]{0,180}") {
                prop_assert!(verify(&s, &trusted()).is_err());
                prop_assert!(verify(&t, &trusted()).is_err());
            }

            /// Random bytes in the exact layout, claiming the current format
            /// and a trusted key: they reach the signature check and fail it.
            #[test]
            fn random_bytes_shaped_like_a_pass_are_refused(
                mut bytes in vec(any::<u8>(), 0..140),
                key_id in 1u8..=2,
            ) {
                if bytes.len() >= 2 {
                    bytes[0] = FORMAT_VERSION;
                    bytes[1] = key_id;
                }
                let code = spell(&bytes);
                prop_assert!(verify(&code, &trusted()).is_err());
                if bytes.len() == PAYLOAD_LEN + SIG_LEN {
                    prop_assert_eq!(verify(&code, &trusted()), Err(PassError::BadSignature));
                }
            }

            #[test]
            fn genuine_passes_verify_to_their_claims(c in claims()) {
                let code = issue(&c);
                prop_assert_eq!(verify(&code, &trusted()), Ok(c));
                accepted_only_if_issued(&format!(" {}\n", code.to_lowercase()))?;
            }

            #[test]
            fn flipped_bits_are_refused(
                c in claims(),
                flips in vec((0usize..PAYLOAD_LEN + SIG_LEN, 0u8..8), 1..6),
            ) {
                let code = issue(&c);
                let mut bytes = raw(&code);
                for (i, bit) in &flips {
                    bytes[*i] ^= 1 << bit;
                }
                let forged = spell(&bytes);
                // Flips that cancel out leave the genuine pass.
                prop_assume!(forged != code);
                prop_assert!(verify(&forged, &trusted()).is_err());
                // The genuine pass's fingerprint, listed in a bundle, lets
                // nothing but that pass skip the signature check.
                let known = fingerprint(&code, &trusted());
                prop_assert!(verify_known(&forged, &trusted(), known.as_deref()).is_err());
            }

            /// A listed pass is recognised by its fingerprint, also with a
            /// signature nobody can check (its key not given) ruled out:
            /// its key must still be trusted.
            #[test]
            fn a_listed_pass_is_known_by_its_fingerprint(c in claims(), other in claims()) {
                let code = issue(&c);
                let known = fingerprint(&code, &trusted()).unwrap();
                prop_assert_eq!(verify_known(&code, &trusted(), Some(&known)), Ok(c));
                prop_assert_eq!(
                    fingerprint(&format!(" {}\n", code.to_lowercase()), &trusted()),
                    Some(known.clone()),
                    "one fingerprint for every spelling a scanner types"
                );
                let withdrawn = [(3, key(9).verifying_key())];
                prop_assert_eq!(
                    verify_known(&code, &withdrawn, Some(&known)),
                    Err(PassError::UnknownKey)
                );
                // Another pass's fingerprint is no help to a forgery.
                let mut bytes = raw(&issue(&other));
                bytes[PAYLOAD_LEN + 5] ^= 1;
                let forged = spell(&bytes);
                prop_assert_eq!(
                    verify_known(&forged, &trusted(), Some(&known)),
                    Err(PassError::BadSignature)
                );
                prop_assert_ne!(fingerprint(&forged, &trusted()), Some(known.clone()));
                // Under another key of the same id, the listing does not hold.
                let replaced = [(c.key_id, key(13).verifying_key())];
                prop_assert_eq!(
                    verify_known(&code, &replaced, Some(&known)),
                    Err(PassError::BadSignature)
                );
            }

            #[test]
            fn changed_characters_are_refused(
                c in claims(),
                edits in vec((2usize..141, "[A-Z2-7a-z0-9=+/ -]"), 1..5),
            ) {
                let code = issue(&c);
                let mut chars: Vec<char> = code.chars().collect();
                for (i, ch) in &edits {
                    let i = 2 + (i - 2) % (chars.len() - 2);
                    chars[i] = ch.chars().next().unwrap();
                }
                let forged: String = chars.into_iter().collect();
                if forged.to_ascii_uppercase() == code {
                    prop_assert_eq!(verify(&forged, &trusted()), Ok(c));
                } else {
                    prop_assert!(verify(&forged, &trusted()).is_err());
                }
                accepted_only_if_issued(&forged)?;
            }

            #[test]
            fn cut_or_lengthened_passes_are_refused(
                c in claims(),
                cut in 0usize..141,
                tail in "[A-Z2-7]{1,16}",
            ) {
                let code = issue(&c);
                let short = &code[..cut.min(code.len() - 1)];
                prop_assert!(verify(short, &trusted()).is_err());
                let (after, before) = (format!("{code}{tail}"), format!("{tail}{code}"));
                prop_assert!(verify(&after, &trusted()).is_err());
                prop_assert!(verify(&before, &trusted()).is_err());
                // The raw bytes with extra bytes appended, re-encoded.
                let mut longer = raw(&code);
                longer.extend_from_slice(tail.as_bytes());
                prop_assert!(verify(&spell(&longer), &trusted()).is_err());
            }

            /// Holder, pass id, center and validity swapped among themselves
            /// (another person's pass, another center, a longer window),
            /// with the original signature.
            #[test]
            fn swapped_fields_are_refused(c in claims(), a in 0usize..5, b in 0usize..5) {
                // The 4-byte fields: pass id, holder, center, from, until.
                const AT: [usize; 5] = [2, 6, 11, 15, 19];
                let code = issue(&c);
                let mut bytes = raw(&code);
                for k in 0..4 {
                    bytes.swap(AT[a] + k, AT[b] + k);
                }
                let forged = spell(&bytes);
                prop_assume!(forged != code);
                prop_assert!(verify(&forged, &trusted()).is_err());
            }

            /// One pass's claims under another pass's signature.
            #[test]
            fn spliced_passes_are_refused(c in claims(), d in claims()) {
                let (one, other) = (raw(&issue(&c)), raw(&issue(&d)));
                let mut bytes = one[..PAYLOAD_LEN].to_vec();
                bytes.extend_from_slice(&other[PAYLOAD_LEN..]);
                let forged = spell(&bytes);
                prop_assume!(forged != issue(&c));
                prop_assert!(verify(&forged, &trusted()).is_err());
            }

            /// Signed by a key the door does not trust: under a trusted key
            /// id the signature fails; under an unknown id it is refused
            /// before that. The kind byte outside the known kinds is
            /// refused even with a valid signature.
            #[test]
            fn other_keys_and_unknown_kinds_are_refused(
                c in claims(),
                seed in any::<[u8; 32]>(),
                other_id in 3u8..=255,
                bad_kind in 6u8..=255,
            ) {
                let attacker = SigningKey::from_bytes(&seed);
                prop_assume!(attacker.verifying_key() != key(9).verifying_key());
                prop_assume!(attacker.verifying_key() != key(11).verifying_key());
                prop_assert_eq!(
                    verify(&sign(&c, &attacker), &trusted()),
                    Err(PassError::BadSignature)
                );
                let foreign = PassClaims { key_id: other_id, ..c };
                prop_assert_eq!(
                    verify(&sign(&foreign, &attacker), &trusted()),
                    Err(PassError::UnknownKey)
                );
                // The other trusted key's id on this key's signature.
                let swapped = PassClaims { key_id: 3 - c.key_id, ..c };
                prop_assert_eq!(
                    verify(&sign(&swapped, &issuer(c.key_id)), &trusted()),
                    Err(PassError::BadSignature)
                );
                let mut payload = encode_payload(&c);
                payload[10] = bad_kind;
                let sig = issuer(c.key_id).sign(&signed_message(&payload));
                let mut bytes = payload.to_vec();
                bytes.extend_from_slice(&sig.to_bytes());
                prop_assert_eq!(verify(&spell(&bytes), &trusted()), Err(PassError::Malformed));
            }
        }
    }

    #[test]
    fn rotated_keys_both_verify() {
        let old = key(1);
        let new = key(2);
        let mut c = claims();
        c.key_id = 2;
        let code = sign(&c, &new);
        let keys = [(1, old.verifying_key()), (2, new.verifying_key())];
        assert_eq!(verify(&code, &keys).unwrap().key_id, 2);
    }
}
