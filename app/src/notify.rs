//! Outgoing messages (server only). Until an SMS or email gateway is
//! configured, messages are written as files into the outbox folder
//! (`<data dir>/outbox`), one file per message, so staff and developers can
//! read what would have been sent.

use std::path::Path;

use chrono::{DateTime, Utc};

use crate::error::AppError;

/// Deliver a text message to a phone number.
pub fn send_sms(outbox: &Path, to: &str, text: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(outbox)?;
        let digits: String = to.chars().filter(char::is_ascii_digit).collect();
        let name = format!("{}-sms-{digits}.txt", now.format("%Y%m%dT%H%M%S%.6f"));
        std::fs::write(outbox.join(name), format!("To: {to}\n\n{text}\n"))
    };
    write().map_err(|e| {
        tracing::error!(error = %e, "could not write to the outbox");
        AppError::Internal
    })
}

pub mod outbox;
pub mod templates;
