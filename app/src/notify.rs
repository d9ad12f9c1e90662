//! Outgoing messages (server only). Until an SMS or email gateway is
//! configured, messages are written as files into the outbox folder
//! (`<data dir>/outbox`), one file per message, so staff and developers can
//! read what would have been sent.

use std::path::Path;

use chrono::{DateTime, Utc};

use crate::error::AppError;

/// Deliver a text message to a phone number. The file is the delivered
/// message (there is no gateway to hand it to), so it keeps a guardian's
/// code: it is owner-only, and the code itself dies after use or a day.
pub fn send_sms(outbox: &Path, to: &str, text: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(outbox)?;
        let digits: String = to.chars().filter(char::is_ascii_digit).collect();
        // A sequence number keeps two messages of the same microsecond (or
        // of a frozen test clock) apart.
        static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!(
            "{}-{seq:06}-sms-{digits}.txt",
            now.format("%Y%m%dT%H%M%S%.6f")
        );
        // Owner-only: a message may carry a guardian's one-time code.
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        use std::io::Write;
        opts.open(outbox.join(name))?
            .write_all(format!("To: {to}\n\n{text}\n").as_bytes())
    };
    write().map_err(|e| {
        tracing::error!(error = %e, "could not write to the outbox");
        AppError::Internal
    })
}

pub mod changes;
pub mod outbox;
pub mod templates;
