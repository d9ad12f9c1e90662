//! Text messages from the outbox (`kind = sms`): how the dispatcher hands
//! one to a phone.
//!
//! With `ORTALYQ_SMS_URL` and `ORTALYQ_SMS_KEY` set, through SMSC.kz's HTTP
//! API: a form POST (so the key stays out of URLs and logs) with `apikey`,
//! `phones`, `mes`, `charset=utf-8`, `fmt=3` (a JSON answer) and the
//! optional `sender`. SMSC answers HTTP 200 with `{"id", "cnt"}` or
//! `{"error", "error_code"}`; [`classify`] sorts the codes into permanent
//! (the row fails at once) and temporary (retried with the outbox's
//! backoff). After a timeout the gateway may still have sent the message,
//! so delivery is at least once.
//!
//! Without a gateway, each message is written as a file into the outbox
//! folder (`<ts>-<seq>-sms-<digits>.txt`, `To: …` then the text,
//! owner-only), so staff and developers can read what would have been
//! sent.

use std::path::PathBuf;
use std::time::Duration;

use app::model::outbox;
use app::notify::outbox::Text;

use crate::config::SmsSettings;
use crate::dispatch::{clip, without_url, Failure};

/// Timeout of one request to the gateway.
pub const SMS_TIMEOUT: Duration = Duration::from_secs(15);

/// Where text messages go.
pub enum SmsGateway {
    /// Files in a folder (the default without a gateway).
    Folder(PathBuf),
    /// SMSC.kz's HTTP API.
    Smsc(Smsc),
}

/// An SMSC account: its send URL, API key and sender name.
pub struct Smsc {
    url: reqwest::Url,
    key: String,
    sender: Option<String>,
    http: reqwest::Client,
}

impl std::fmt::Debug for SmsGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SmsGateway::Folder(p) => write!(f, "SmsGateway::Folder({})", p.display()),
            // Never the key.
            SmsGateway::Smsc(s) => write!(f, "SmsGateway::Smsc({})", s.url),
        }
    }
}

impl Smsc {
    /// An account at `url` (`https://smsc.kz/sys/send.php`) with `key`;
    /// each request times out after `timeout`.
    pub fn new(
        url: &str,
        key: &str,
        sender: Option<&str>,
        timeout: Duration,
    ) -> Result<Smsc, String> {
        let url = reqwest::Url::parse(url).map_err(|e| format!("ORTALYQ_SMS_URL: {e}"))?;
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("Ortalyq-SMS/1")
            .build()
            .map_err(|e| format!("HTTP client: {e}"))?;
        Ok(Smsc {
            url,
            key: key.to_string(),
            sender: sender.filter(|s| !s.is_empty()).map(str::to_string),
            http,
        })
    }

    async fn send(&self, msg: &Text) -> Result<Option<i32>, Failure> {
        let mut form = vec![
            ("apikey", self.key.as_str()),
            ("phones", msg.to.as_str()),
            ("mes", msg.text.as_str()),
            ("charset", "utf-8"),
            ("fmt", "3"),
        ];
        if let Some(sender) = &self.sender {
            form.push(("sender", sender));
        }
        let resp = self
            .http
            .post(self.url.clone())
            .form(&form)
            .send()
            .await
            .map_err(|e| Failure::retry(without_url(e)))?;
        let status = resp.status().as_u16();
        let body = resp
            .text()
            .await
            .map_err(|e| Failure::retry(without_url(e)))?;
        classify(status, &body)
    }
}

/// SMSC's answer to one send: `Ok` with the HTTP status when it took the
/// message. Error codes 1 (bad parameters), 5 (bad date), 6 (text or sender
/// forbidden), 7 (bad number) and 8 (undeliverable to the number) are
/// permanent; 2 (wrong key), 3 (no money), 4 (address blocked for a while)
/// and 9 (the same request twice a minute, too many at once) may clear, as
/// may any HTTP error or an answer that cannot be read.
pub(crate) fn classify(status: u16, body: &str) -> Result<Option<i32>, Failure> {
    let code = Some(i32::from(status));
    let fail = |error: String, permanent: bool| Failure {
        error: clip(&error),
        response_code: code,
        permanent,
    };
    if !(200..300).contains(&status) {
        return Err(fail(format!("HTTP {status}"), false));
    }
    let answer: serde_json::Value = serde_json::from_str(body)
        .map_err(|_| fail("smsc: an answer that is not JSON".into(), false))?;
    if let Some(n) = answer.get("error_code").and_then(serde_json::Value::as_i64) {
        let text = answer
            .get("error")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("");
        return Err(fail(format!("smsc {n}: {text}"), matches!(n, 1 | 5..=8)));
    }
    if answer.get("id").is_some() {
        Ok(code)
    } else {
        Err(fail("smsc: an answer without an id".into(), false))
    }
}

impl SmsGateway {
    /// The configured gateway, or files in `folder` without one.
    pub fn from_config(
        settings: Option<&SmsSettings>,
        folder: PathBuf,
    ) -> Result<SmsGateway, String> {
        match settings {
            Some(s) => {
                Smsc::new(&s.url, &s.key.0, s.sender.as_deref(), SMS_TIMEOUT).map(SmsGateway::Smsc)
            }
            None => Ok(SmsGateway::Folder(folder)),
        }
    }

    /// Send one outbox row; `Ok(Some(code))` carries the gateway's HTTP
    /// status.
    pub(crate) async fn send(&self, row: &outbox::Model) -> Result<Option<i32>, Failure> {
        let msg: Text = serde_json::from_str(&row.payload).map_err(Failure::permanent)?;
        match self {
            SmsGateway::Folder(dir) => {
                let dir = dir.clone();
                let at = row.created_at;
                tokio::task::spawn_blocking(move || write_file(&dir, &msg, at))
                    .await
                    .map_err(Failure::retry)?
                    .map_err(Failure::retry)?;
                Ok(None)
            }
            SmsGateway::Smsc(smsc) => smsc.send(&msg).await,
        }
    }
}

/// Write one message as a file: `<ts>-<seq>-sms-<digits>.txt` holding
/// `To: <number>`, a blank line and the text. Owner-only: until the row is
/// done, the text may carry a one-time code.
fn write_file(
    dir: &std::path::Path,
    msg: &Text,
    at: chrono::DateTime<chrono::Utc>,
) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let digits: String = msg.to.chars().filter(char::is_ascii_digit).collect();
    // A sequence number keeps two messages of the same microsecond (or of
    // a frozen test clock) apart.
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!(
        "{}-{seq:06}-sms-{digits}.txt",
        at.format("%Y%m%dT%H%M%S%.6f")
    );
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(dir.join(name))?
        .write_all(format!("To: {}\n\n{}\n", msg.to, msg.text).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(status: u16, body: &str) -> (bool, Option<bool>, String) {
        match classify(status, body) {
            Ok(_) => (true, None, String::new()),
            Err(f) => (false, Some(f.permanent), f.error),
        }
    }

    #[test]
    fn smsc_answers_are_sorted_into_sent_temporary_and_permanent() {
        assert!(verdict(200, r#"{"id":101,"cnt":1}"#).0);
        for n in [1, 5, 6, 7, 8] {
            let body = format!(r#"{{"error":"no","error_code":{n},"id":5}}"#);
            assert_eq!(verdict(200, &body).1, Some(true), "code {n}");
        }
        for n in [2, 3, 4, 9] {
            let body = format!(r#"{{"error":"later","error_code":{n}}}"#);
            assert_eq!(verdict(200, &body).1, Some(false), "code {n}");
        }
        let (_, permanent, error) = verdict(
            200,
            r#"{"error":"invalid phone number format","error_code":7,"id":103}"#,
        );
        assert_eq!(permanent, Some(true));
        assert_eq!(error, "smsc 7: invalid phone number format");
        for (status, body) in [
            (503, ""),
            (429, ""),
            (404, "Not found"),
            (200, "<html>"),
            (200, r#"{"cnt":1}"#),
        ] {
            assert_eq!(verdict(status, body).1, Some(false), "{status} {body}");
        }
        assert_eq!(
            classify(503, "").unwrap_err().response_code,
            Some(503),
            "the HTTP status is kept"
        );
    }

    #[test]
    fn the_key_is_never_printed() {
        let g = SmsGateway::Smsc(
            Smsc::new(
                "https://smsc.kz/sys/send.php",
                "k3y-s3cret",
                Some("Ortalyq"),
                SMS_TIMEOUT,
            )
            .unwrap(),
        );
        let shown = format!("{g:?}");
        assert!(!shown.contains("k3y-s3cret"), "{shown}");
        assert!(shown.contains("smsc.kz"), "{shown}");
    }
}
