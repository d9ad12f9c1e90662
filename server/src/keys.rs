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
