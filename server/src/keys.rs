//! The Ed25519 key that signs passes: from config, or generated on first start
//! into the data directory, readable by the owner only.

use std::io::Write;
use std::path::Path;

use app::state::PassKeyRing;
use data_encoding::BASE64;
use ed25519_dalek::SigningKey;
use rand::RngCore;

pub const KEY_FILE: &str = "pass-signing.key";
pub const KEY_ID: u8 = 1;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("ORTALYQ_PASS_KEY must be base64 of exactly 32 bytes")]
    BadConfigKey,
    #[error("key file {0} is damaged: expected base64 of 32 bytes")]
    BadKeyFile(String),
    #[error("ORTALYQ_PASS_RETIRED_KEYS must be 'id:base64-public-key' pairs separated by commas")]
    BadRetiredKeys,
    #[error("ORTALYQ_PASS_KEY_ID must be a number from 1 to 255")]
    BadKeyId,
    #[error("cannot read or write the key file: {0}")]
    Io(#[from] std::io::Error),
}

fn parse_seed(text: &str) -> Option<[u8; 32]> {
    BASE64.decode(text.trim().as_bytes()).ok()?.try_into().ok()
}

pub fn load_or_create(configured: Option<&str>, data_dir: &Path) -> Result<PassKeyRing, KeyError> {
    if let Some(text) = configured {
        let seed = parse_seed(text).ok_or(KeyError::BadConfigKey)?;
        return Ok(PassKeyRing::single(KEY_ID, SigningKey::from_bytes(&seed)));
    }
    let path = data_dir.join(KEY_FILE);
    if path.exists() {
        warn_if_shared(&path);
        let text = std::fs::read_to_string(&path)?;
        let seed =
            parse_seed(&text).ok_or_else(|| KeyError::BadKeyFile(path.display().to_string()))?;
        return Ok(PassKeyRing::single(KEY_ID, SigningKey::from_bytes(&seed)));
    }
    std::fs::create_dir_all(data_dir)?;
    let mut seed = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut seed);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&path)?;
    f.write_all(BASE64.encode(&seed).as_bytes())?;
    f.sync_all()?;
    tracing::info!(path = %path.display(), "generated a new pass-signing key");
    Ok(PassKeyRing::single(KEY_ID, SigningKey::from_bytes(&seed)))
}

/// Warn at start when others than the owner may read the signing key: with it
/// anyone can make passes the door admits.
fn warn_if_shared(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            let mode = meta.permissions().mode();
            if mode & 0o077 != 0 {
                tracing::warn!(
                    path = %path.display(),
                    mode = format!("{:o}", mode & 0o777),
                    "the pass-signing key is readable by others; chmod 600 it"
                );
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Key rotation: sign new passes with `key_id`, and keep accepting passes
/// signed with earlier keys, given as `id:base64-public-key` pairs, until
/// they have all expired. A retired id equal to the signing id is refused.
pub fn apply_rotation(
    ring: PassKeyRing,
    key_id: Option<&str>,
    retired: Option<&str>,
) -> Result<PassKeyRing, KeyError> {
    let key_id = match key_id {
        Some(t) => t
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|id| *id >= 1)
            .ok_or(KeyError::BadKeyId)?,
        None => ring.key_id,
    };
    let mut trusted = vec![(key_id, ring.signing.verifying_key())];
    for pair in retired
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (id, key) = pair.split_once(':').ok_or(KeyError::BadRetiredKeys)?;
        let id: u8 = id.trim().parse().map_err(|_| KeyError::BadRetiredKeys)?;
        let bytes: [u8; 32] = BASE64
            .decode(key.trim().as_bytes())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or(KeyError::BadRetiredKeys)?;
        let key = ed25519_dalek::VerifyingKey::from_bytes(&bytes)
            .map_err(|_| KeyError::BadRetiredKeys)?;
        if id == key_id || trusted.iter().any(|(t, _)| *t == id) {
            return Err(KeyError::BadRetiredKeys);
        }
        trusted.push((id, key));
    }
    Ok(PassKeyRing {
        key_id,
        signing: ring.signing,
        trusted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_key_is_private_and_stable() {
        let dir = std::env::temp_dir().join(format!("oq-key-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let a = load_or_create(None, &dir).unwrap();
        let b = load_or_create(None, &dir).unwrap();
        assert_eq!(a.signing.to_bytes(), b.signing.to_bytes());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn rotation_signs_with_the_new_id_and_accepts_retired_keys() {
        use app::domain::pass::{sign, verify, PassClaims, PassKind};
        use chrono::TimeZone;
        let old = SigningKey::from_bytes(&[1; 32]);
        let new = SigningKey::from_bytes(&[2; 32]);
        let claims = |key_id| PassClaims {
            key_id,
            pass_id: 1,
            holder_id: 1,
            kind: PassKind::Membership,
            center_id: 1,
            valid_from: chrono::Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap(),
            valid_until: chrono::Utc.with_ymd_and_hms(2027, 12, 1, 0, 0, 0).unwrap(),
        };
        let old_pass = sign(&claims(1), &old);
        let retired = format!("1:{}", BASE64.encode(old.verifying_key().as_bytes()));
        let ring = apply_rotation(
            PassKeyRing::single(1, new.clone()),
            Some("2"),
            Some(&retired),
        )
        .unwrap();
        assert_eq!(ring.key_id, 2);
        assert!(verify(&old_pass, &ring.trusted).is_ok());
        assert!(verify(&sign(&claims(2), &new), &ring.trusted).is_ok());
        // Without the retired key, old passes are refused as unknown.
        let bare = apply_rotation(PassKeyRing::single(1, new.clone()), Some("2"), None).unwrap();
        assert!(verify(&old_pass, &bare.trusted).is_err());
        assert!(matches!(
            apply_rotation(
                PassKeyRing::single(1, new.clone()),
                Some("2"),
                Some("2:abc")
            ),
            Err(KeyError::BadRetiredKeys)
        ));
        assert!(matches!(
            apply_rotation(PassKeyRing::single(1, new), Some("0"), None),
            Err(KeyError::BadKeyId)
        ));
    }

    #[test]
    fn configured_key_must_be_32_bytes() {
        assert!(matches!(
            load_or_create(Some("c2hvcnQ="), Path::new("/nonexistent")),
            Err(KeyError::BadConfigKey)
        ));
        let good = BASE64.encode(&[7u8; 32]);
        let ring = load_or_create(Some(&good), Path::new("/nonexistent")).unwrap();
        assert_eq!(ring.signing.to_bytes(), [7u8; 32]);
    }
}
