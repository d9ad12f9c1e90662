//! Text messages from the outbox (`kind = sms`): how the dispatcher hands
//! one to a phone. Without a gateway configured, each message is written as
//! a file into the outbox folder (`<ts>-<seq>-sms-<digits>.txt`, `To: …`
//! then the text, owner-only), so staff and developers can read what would
//! have been sent.

use std::path::PathBuf;

use app::model::outbox;
use app::notify::outbox::Text;

use crate::dispatch::Failure;

/// Where text messages go.
pub enum SmsGateway {
    /// Files in a folder (the default without a gateway).
    Folder(PathBuf),
}

impl std::fmt::Debug for SmsGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SmsGateway::Folder(p) => write!(f, "SmsGateway::Folder({})", p.display()),
        }
    }
}

impl SmsGateway {
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
