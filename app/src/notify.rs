//! Outgoing messages (server only): emails, text messages and webhook
//! deliveries are queued in the outbox table ([`outbox`]) inside the
//! transaction of the event they report; the server's dispatcher sends
//! them (to SMTP and an SMS gateway when configured, else as files in the
//! outbox folder, `<data dir>/outbox`, so staff and developers can read
//! what would have been sent).

pub mod changes;
pub mod outbox;
pub mod templates;
