//! Configuration from environment variables (12-factor).

use std::path::PathBuf;

use app::state::Clock;

#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://…` (default: a file under the data directory) or `postgres://…`.
    pub database_url: String,
    /// Where the SQLite file and the pass-signing key live.
    pub data_dir: PathBuf,
    /// Base64 (standard) of a 32-byte Ed25519 seed; overrides the key file.
    pub pass_key: Option<String>,
    /// Key id new passes are signed with (rotation; default 1).
    pub pass_key_id: Option<String>,
    /// Earlier public keys still accepted: `id:base64,id:base64`.
    pub retired_pass_keys: Option<String>,
    pub secure_cookies: bool,
    pub clock: Clock,
    /// Behind a reverse proxy: take the client address from X-Forwarded-For.
    pub trust_proxy: bool,
    /// With the demo seed: days of synthetic past activity for the demo
    /// centers (`ORTALYQ_DEMO_HISTORY_DAYS`, default 0 = none).
    pub demo_history_days: u32,
    /// Bearer token `/metrics` requires; without one it answers only direct
    /// loopback connections.
    pub metrics_token: Option<String>,
    /// Log one JSON object per line (`ORTALYQ_LOG_FORMAT=json`).
    pub log_json: bool,
    /// SMTP relay for email (`ORTALYQ_SMTP_URL`, e.g.
    /// `smtp://user:pass@mail.example.kz:587?tls=required`); without it
    /// emails are written as files into `<data dir>/outbox`.
    pub smtp_url: Option<String>,
    /// The sender of emails (`ORTALYQ_MAIL_FROM`).
    pub mail_from: String,
    /// The site's own address for links in messages and on certificates
    /// (`ORTALYQ_PUBLIC_URL`, e.g. `https://ortalyq.example.kz`); without it
    /// links use the request's Host header, which a client chooses.
    pub public_url: Option<String>,
    /// Webhook hosts that may be reached over plain HTTP
    /// (`ORTALYQ_WEBHOOK_ALLOW_HTTP`) or at non-public addresses
    /// (`ORTALYQ_WEBHOOK_ALLOW_PRIVATE`), comma-separated; both empty by
    /// default: HTTPS to public addresses only.
    pub webhook_egress: app::domain::egress::EgressPolicy,
    /// Minutes without a request after which a staff session ends
    /// (`ORTALYQ_STAFF_IDLE_MINUTES`, default 30; shared desk computers).
    pub staff_idle_minutes: i64,
    /// Seconds an anonymous availability page is kept once rendered
    /// (`ORTALYQ_PAGE_CACHE_SECS`, default 2; 0 turns the cache off; see
    /// `page_cache`).
    pub page_cache_secs: u64,
    /// The SMS gateway (`ORTALYQ_SMS_URL`, `ORTALYQ_SMS_KEY`,
    /// `ORTALYQ_SMS_SENDER`); without it text messages are written as
    /// files into `<data dir>/outbox`.
    pub sms: Option<SmsSettings>,
    /// The Telegram bot (`ORTALYQ_TELEGRAM_TOKEN`,
    /// `ORTALYQ_TELEGRAM_API_URL`, `ORTALYQ_TELEGRAM_WEBHOOK_URL`); without
    /// a token there is no bot.
    pub telegram: Option<TelegramSettings>,
}

/// The Telegram bot's settings.
#[derive(Clone, Debug)]
pub struct TelegramSettings {
    /// The token BotFather gave (it is part of every Bot API URL).
    pub token: Secret,
    /// The Bot API's address; `None`: `https://api.telegram.org`.
    pub api_url: Option<String>,
    /// The public HTTPS address of `/telegram/webhook` on this site: with
    /// it Telegram posts updates there, without it the server polls.
    pub webhook_url: Option<String>,
}

/// How to reach the SMS gateway (SMSC.kz's HTTP API).
#[derive(Clone, Debug)]
pub struct SmsSettings {
    /// `https://smsc.kz/sys/send.php`.
    pub url: String,
    /// The account's API key.
    pub key: Secret,
    /// A sender name registered with the gateway; `None`: its default.
    pub sender: Option<String>,
}

/// A credential: printed as `***` by `Debug`, so a logged configuration
/// never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// The sender of emails unless `ORTALYQ_MAIL_FROM` says otherwise.
pub const DEFAULT_MAIL_FROM: &str = "Ortalyq <no-reply@ortalyq.local>";

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "ORTALYQ_FROZEN_CLOCK must be an RFC 3339 instant such as 2026-12-01T10:50:00+05:00: {0}"
    )]
    BadClock(chrono::ParseError),
    #[error("ORTALYQ_DEMO_HISTORY_DAYS must be a whole number of days from 0 to 730, not {0:?}")]
    BadHistoryDays(String),
    #[error(
        "ORTALYQ_STAFF_IDLE_MINUTES must be a whole number of minutes from 1 to 720, not {0:?}"
    )]
    BadIdleMinutes(String),
    #[error("ORTALYQ_PUBLIC_URL must be the site's address such as https://ortalyq.example.kz (no path), not {0:?}")]
    BadPublicUrl(String),
    #[error("ORTALYQ_PAGE_CACHE_SECS must be a whole number of seconds from 0 to 60, not {0:?}")]
    BadPageCache(String),
    #[error("ORTALYQ_SMS_URL and ORTALYQ_SMS_KEY go together: set both (an SMS gateway) or neither (text messages as files)")]
    SmsHalfConfigured,
    #[error(
        "ORTALYQ_SMS_URL must be an http(s) URL such as https://smsc.kz/sys/send.php, not {0:?}"
    )]
    BadSmsUrl(String),
    #[error("{0} must be an http(s) URL, not {1:?}")]
    BadTelegramUrl(&'static str, String),
}

/// `ORTALYQ_TELEGRAM_*` checked: the URLs must be http(s) URLs.
pub fn telegram_settings(
    token: Option<String>,
    api_url: Option<String>,
    webhook_url: Option<String>,
) -> Result<Option<TelegramSettings>, ConfigError> {
    let Some(token) = token else {
        return Ok(None);
    };
    let check = |name: &'static str, url: Option<String>| -> Result<Option<String>, ConfigError> {
        match url.map(|u| u.trim().to_string()) {
            Some(u)
                if !(u.starts_with("https://") || u.starts_with("http://"))
                    || reqwest::Url::parse(&u).is_err() =>
            {
                Err(ConfigError::BadTelegramUrl(name, u))
            }
            other => Ok(other),
        }
    };
    Ok(Some(TelegramSettings {
        token: Secret(token.trim().to_string()),
        api_url: check("ORTALYQ_TELEGRAM_API_URL", api_url)?,
        webhook_url: check("ORTALYQ_TELEGRAM_WEBHOOK_URL", webhook_url)?,
    }))
}

/// `ORTALYQ_SMS_URL`, `ORTALYQ_SMS_KEY` and `ORTALYQ_SMS_SENDER` checked:
/// the URL and the key both or neither.
pub fn sms_settings(
    url: Option<String>,
    key: Option<String>,
    sender: Option<String>,
) -> Result<Option<SmsSettings>, ConfigError> {
    match (url, key) {
        (None, None) => Ok(None),
        (Some(url), Some(key)) => {
            let url = url.trim().to_string();
            if !(url.starts_with("https://") || url.starts_with("http://"))
                || reqwest::Url::parse(&url).is_err()
            {
                return Err(ConfigError::BadSmsUrl(url));
            }
            Ok(Some(SmsSettings {
                url,
                key: Secret(key.trim().to_string()),
                sender: sender.map(|s| s.trim().to_string()),
            }))
        }
        _ => Err(ConfigError::SmsHalfConfigured),
    }
}

/// `ORTALYQ_PUBLIC_URL` checked: `http(s)://host[:port]`, an optional
/// trailing `/`, nothing else; returned without the slash.
pub fn parse_public_url(raw: &str) -> Result<String, ConfigError> {
    let bad = || ConfigError::BadPublicUrl(raw.to_string());
    let url = raw.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(bad)?;
    let host_ok = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if host_ok {
        Ok(url.to_string())
    } else {
        Err(bad())
    }
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let data_dir = PathBuf::from(env("ORTALYQ_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = env("DATABASE_URL").unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                data_dir.join("ortalyq.db").display()
            )
        });
        let clock = match env("ORTALYQ_FROZEN_CLOCK") {
            Some(t) => Clock::Frozen(
                chrono::DateTime::parse_from_rfc3339(&t)
                    .map_err(ConfigError::BadClock)?
                    .with_timezone(&chrono::Utc),
            ),
            None => Clock::System,
        };
        let demo_history_days = match env("ORTALYQ_DEMO_HISTORY_DAYS") {
            None => 0,
            Some(v) => v
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|d| *d <= 730)
                .ok_or(ConfigError::BadHistoryDays(v))?,
        };
        let staff_idle_minutes = match env("ORTALYQ_STAFF_IDLE_MINUTES") {
            None => app::domain::sessions::DEFAULT_STAFF_IDLE_MINUTES,
            Some(v) => v
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|m| (1..=app::domain::sessions::MAX_STAFF_IDLE_MINUTES).contains(m))
                .ok_or(ConfigError::BadIdleMinutes(v))?,
        };
        let page_cache_secs = match env("ORTALYQ_PAGE_CACHE_SECS") {
            None => 2,
            Some(v) => v
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|s| *s <= 60)
                .ok_or(ConfigError::BadPageCache(v))?,
        };
        Ok(Config {
            database_url,
            data_dir,
            pass_key: env("ORTALYQ_PASS_KEY"),
            pass_key_id: env("ORTALYQ_PASS_KEY_ID"),
            retired_pass_keys: env("ORTALYQ_PASS_RETIRED_KEYS"),
            secure_cookies: env("ORTALYQ_SECURE_COOKIES").is_some_and(|v| v == "1" || v == "true"),
            clock,
            trust_proxy: env("ORTALYQ_TRUST_PROXY").is_some_and(|v| v == "1" || v == "true"),
            demo_history_days,
            metrics_token: env("ORTALYQ_METRICS_TOKEN"),
            log_json: env("ORTALYQ_LOG_FORMAT").is_some_and(|v| v.eq_ignore_ascii_case("json")),
            smtp_url: env("ORTALYQ_SMTP_URL"),
            mail_from: env("ORTALYQ_MAIL_FROM").unwrap_or_else(|| DEFAULT_MAIL_FROM.into()),
            public_url: env("ORTALYQ_PUBLIC_URL")
                .map(|u| parse_public_url(&u))
                .transpose()?,
            webhook_egress: app::domain::egress::EgressPolicy::from_lists(
                &env("ORTALYQ_WEBHOOK_ALLOW_HTTP").unwrap_or_default(),
                &env("ORTALYQ_WEBHOOK_ALLOW_PRIVATE").unwrap_or_default(),
            ),
            staff_idle_minutes,
            page_cache_secs,
            sms: sms_settings(
                env("ORTALYQ_SMS_URL"),
                env("ORTALYQ_SMS_KEY"),
                env("ORTALYQ_SMS_SENDER"),
            )?,
            telegram: telegram_settings(
                env("ORTALYQ_TELEGRAM_TOKEN"),
                env("ORTALYQ_TELEGRAM_API_URL"),
                env("ORTALYQ_TELEGRAM_WEBHOOK_URL"),
            )?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_public_url, sms_settings, ConfigError};

    #[test]
    fn the_sms_gateway_needs_url_and_key_and_never_prints_the_key() {
        assert!(sms_settings(None, None, None).unwrap().is_none());
        let s = sms_settings(
            Some("https://smsc.kz/sys/send.php".into()),
            Some("k3y-s3cret".into()),
            Some("Ortalyq".into()),
        )
        .unwrap()
        .unwrap();
        assert_eq!(s.key.0, "k3y-s3cret");
        let shown = format!("{s:?}");
        assert!(!shown.contains("k3y-s3cret"), "{shown}");
        assert!(shown.contains("smsc.kz"), "{shown}");
        assert!(matches!(
            sms_settings(Some("https://smsc.kz/sys/send.php".into()), None, None),
            Err(ConfigError::SmsHalfConfigured)
        ));
        assert!(matches!(
            sms_settings(None, Some("k".into()), None),
            Err(ConfigError::SmsHalfConfigured)
        ));
        assert!(matches!(
            sms_settings(Some("smsc.kz".into()), Some("k".into()), None),
            Err(ConfigError::BadSmsUrl(_))
        ));
    }

    #[test]
    fn the_public_url_is_an_origin_and_nothing_more() {
        assert_eq!(
            parse_public_url("https://ortalyq.example.kz/").unwrap(),
            "https://ortalyq.example.kz"
        );
        assert_eq!(
            parse_public_url(" http://127.0.0.1:3000 ").unwrap(),
            "http://127.0.0.1:3000"
        );
        for bad in [
            "ortalyq.example.kz",
            "ftp://ortalyq.example.kz",
            "https://",
            "https://ortalyq.example.kz/path",
            "https://user@evil.example",
            "https://ortalyq.example.kz?x=1",
            "javascript:alert(1)",
        ] {
            assert!(parse_public_url(bad).is_err(), "{bad}");
        }
    }
}
