//! The notification outbox: emails, text messages and webhook deliveries
//! are rows written inside the transaction of the event they report, so a
//! rolled-back booking sends nothing and a crash loses nothing. The
//! server's dispatcher (`server::dispatch`) sends due rows, retries with
//! backoff and gives up after [`MAX_ATTEMPTS`].
//!
//! Messages are rendered here, at the time of the event, in the
//! recipient's language (the account's `preferred_lang`). A message to a
//! member ([`to_person`]) goes by the channel they chose on `/account`
//! (`people.notify_channel`: Telegram when their chat is linked, a text
//! when the event has a short text), else by email when they have an
//! address, else as a text to their phone when the event has a short text;
//! some events (changes to what a member signed up for) are also texted to
//! every member with a phone ([`text_person`]) unless they went to the
//! member's Telegram chat.
//!
//! Sent and failed rows are deleted after [`SENT_RETENTION_DAYS`] and
//! [`FAILED_RETENTION_DAYS`] ([`purge`], run hourly by the dispatcher).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};

use crate::domain::codes::NotifyChannel;
use crate::domain::codes::OutboxKind;
use crate::domain::codes::OutboxStatus;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::{outbox, person, telegram_chat};

mod webhooks;
pub use webhooks::{forget_webhook_targets, kept_webhook_targets, webhook, webhook_to};

/// Attempts before a row is marked failed.
pub const MAX_ATTEMPTS: i32 = 8;

/// Days a sent row is kept (the webhook delivery log and support questions
/// look back this far), counted from when its last attempt was due.
pub const SENT_RETENTION_DAYS: i64 = 30;

/// Days a failed row is kept, counted from when its last attempt was due:
/// longer than sent rows, so a failure can still be looked into.
pub const FAILED_RETENTION_DAYS: i64 = 90;

/// Seconds to wait before attempt `attempts + 1` after `attempts` failures:
/// 30 s, 1, 2, 4 … minutes, at most 6 hours.
pub fn backoff_seconds(attempts: i32) -> i64 {
    let exp = attempts.clamp(1, 16) as u32 - 1;
    (30_i64 << exp).min(6 * 3600)
}

/// A file attached to an email.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub content: String,
}

/// An email as stored in `outbox.payload`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    #[serde(default)]
    pub attachment: Option<Attachment>,
    /// A one-time code the message carries: blanked in the stored row
    /// ([`redacted`]) once the message is sent or given up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// A text message as stored in `outbox.payload`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// The phone number, normalised (`+77011234567`).
    pub to: String,
    pub text: String,
    /// A one-time code the message carries, blanked like an email's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// A message to a member's Telegram chat as stored in `outbox.payload`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TgText {
    pub chat_id: i64,
    pub text: String,
}

/// What replaces a one-time code in a sent message.
pub const REDACTED: &str = "••••••";

/// A message payload (an [`Email`] or a [`Text`]) with its one-time code
/// blanked in every text field but the recipient, and the code itself
/// dropped; `None` when there is nothing to blank.
pub fn redacted(payload: &str) -> Option<String> {
    let mut value: serde_json::Value = serde_json::from_str(payload).ok()?;
    let fields = value.as_object_mut()?;
    let secret = match fields.remove("secret")? {
        serde_json::Value::String(s) if !s.is_empty() => s,
        _ => return None,
    };
    for (name, field) in fields.iter_mut() {
        if let (false, serde_json::Value::String(s)) = (name == "to", &mut *field) {
            *s = s.replace(&secret, REDACTED);
        }
    }
    serde_json::to_string(&value).ok()
}

/// What a message says, rendered in one language: the email, and the text
/// message sent instead to a member without an email address (`short`;
/// `None`: the event is not texted).
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub attachment: Option<Attachment>,
    pub short: Option<String>,
}

/// Insert one outbox row. With a `dedupe_key`, a second row with the same
/// key is silently not inserted (returns false): enqueue-once jobs such as
/// reminders may run on several instances.
#[allow(clippy::too_many_arguments)]
async fn insert<C: ConnectionTrait>(
    db: &C,
    kind: OutboxKind,
    event: &str,
    center_id: Option<i32>,
    person_id: Option<i32>,
    endpoint_id: Option<i32>,
    recipient: &str,
    payload: String,
    dedupe_key: Option<String>,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let row = outbox::ActiveModel {
        kind: Set(kind),
        event: Set(event.into()),
        center_id: Set(center_id),
        person_id: Set(person_id),
        endpoint_id: Set(endpoint_id),
        recipient: Set(recipient.into()),
        payload: Set(payload),
        dedupe_key: Set(dedupe_key.clone()),
        status: Set(OutboxStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(now),
        lease_until: Set(None),
        last_error: Set(None),
        response_code: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    };
    let mut q = outbox::Entity::insert(row);
    if dedupe_key.is_some() {
        q = q.on_conflict(
            OnConflict::column(outbox::Column::DedupeKey)
                .do_nothing()
                .to_owned(),
        );
    }
    match q.exec_without_returning(db).await {
        Ok(n) => Ok(n > 0),
        Err(sea_orm::DbErr::RecordNotInserted) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Queue a message to a person, rendered in their language: an email when
/// they have an address, else a text to their phone when the event has a
/// short text (`Rendered::short`). Exactly one row per event, so a
/// `dedupe_key` holds whichever channel it went by. Someone with neither
/// (or no longer on record) is skipped: returns false.
pub async fn to_person<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
    center_id: Option<i32>,
    template: &str,
    dedupe_key: Option<String>,
    now: DateTime<Utc>,
    render: impl FnOnce(&person::Model, Locale) -> Rendered,
) -> Result<bool, AppError> {
    let Some(p) = person::Entity::find_by_id(person_id).one(db).await? else {
        return Ok(false);
    };
    let email = p.email.clone().filter(|e| e.contains('@'));
    let chat = match p.notify_channel {
        Some(NotifyChannel::Telegram) => linked_chat(db, person_id).await?,
        _ => None,
    };
    if email.is_none() && p.phone.is_none() && chat.is_none() {
        return Ok(false);
    }
    let r = render(&p, p.preferred_lang);
    let filed = (Some(person_id), center_id);
    if let Some(chat_id) = chat {
        let text = format!("{}\n\n{}", r.subject, r.text);
        let template = channel_template("telegram", template);
        return telegram(db, chat_id, filed, &template, text, dedupe_key, now).await;
    }
    if let (Some(NotifyChannel::Sms), Some(to), Some(text)) =
        (p.notify_channel, p.phone.clone(), r.short.clone())
    {
        let msg = Text {
            to,
            text,
            secret: None,
        };
        return sms(db, msg, filed, &sms_template(template), dedupe_key, now).await;
    }
    match (email, p.phone.clone(), r.short.clone()) {
        (Some(to), _, _) => enqueue_email(db, &to, filed, template, r, None, dedupe_key, now).await,
        (None, Some(to), Some(text)) => {
            let msg = Text {
                to,
                text,
                secret: None,
            };
            sms(db, msg, filed, &sms_template(template), dedupe_key, now).await
        }
        _ => Ok(false),
    }
}

/// `sms.booking` for `email.booking`: the event a text row is filed as.
fn sms_template(template: &str) -> String {
    channel_template("sms", template)
}

/// `<channel>.booking` for `email.booking`.
fn channel_template(channel: &str, template: &str) -> String {
    format!(
        "{channel}.{}",
        template.strip_prefix("email.").unwrap_or(template)
    )
}

/// The Telegram chat linked to a person, if any.
pub async fn linked_chat<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
) -> Result<Option<i64>, AppError> {
    Ok(telegram_chat::Entity::find()
        .filter(telegram_chat::Column::PersonId.eq(person_id))
        .one(db)
        .await?
        .map(|c| c.chat_id))
}

/// Queue one message to a Telegram chat; `filed`: the person and center it
/// is filed under.
pub async fn telegram<C: ConnectionTrait>(
    db: &C,
    chat_id: i64,
    filed: (Option<i32>, Option<i32>),
    template: &str,
    text: String,
    dedupe_key: Option<String>,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let (person_id, center_id) = filed;
    let payload = serde_json::to_string(&TgText { chat_id, text }).map_err(|e| {
        tracing::error!(error = %e, "Telegram message not serialisable");
        AppError::Internal
    })?;
    insert(
        db,
        OutboxKind::Telegram,
        template,
        center_id,
        person_id,
        None,
        &format!("telegram:{chat_id}"),
        payload,
        dedupe_key,
        now,
    )
    .await
}

/// Queue a text to a person's phone whether or not they have an email
/// (changes to what they signed up for), rendered in their language;
/// `render` may decline with `None`. Someone without a phone is skipped:
/// returns false. So is a member who chose Telegram and has a linked
/// chat: every caller tells the same event through [`to_person`] first,
/// which already sent it there.
pub async fn text_person<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
    center_id: Option<i32>,
    template: &str,
    now: DateTime<Utc>,
    render: impl FnOnce(&person::Model, Locale) -> Option<String>,
) -> Result<bool, AppError> {
    let Some(p) = person::Entity::find_by_id(person_id).one(db).await? else {
        return Ok(false);
    };
    let Some(to) = p.phone.clone() else {
        return Ok(false);
    };
    if p.notify_channel == Some(NotifyChannel::Telegram)
        && linked_chat(db, person_id).await?.is_some()
    {
        return Ok(false);
    }
    let Some(text) = render(&p, p.preferred_lang) else {
        return Ok(false);
    };
    let msg = Text {
        to,
        text,
        secret: None,
    };
    sms(db, msg, (Some(person_id), center_id), template, None, now).await
}

/// Queue one text message; `filed`: the person and center it is filed
/// under. A `secret` in it (a one-time code) is blanked once it is sent.
pub async fn sms<C: ConnectionTrait>(
    db: &C,
    msg: Text,
    filed: (Option<i32>, Option<i32>),
    template: &str,
    dedupe_key: Option<String>,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let (person_id, center_id) = filed;
    let payload = serde_json::to_string(&msg).map_err(|e| {
        tracing::error!(error = %e, "text message not serialisable");
        AppError::Internal
    })?;
    insert(
        db,
        OutboxKind::Sms,
        template,
        center_id,
        person_id,
        None,
        &msg.to,
        payload,
        dedupe_key,
        now,
    )
    .await
}

/// Queue an email to an address that is not the person's own (a minor's
/// guardian), already rendered by the caller in the language it chose. The
/// row is filed under `person_id`; `secret`, a one-time code in the text,
/// is blanked once the email is sent. An address without `@` is skipped:
/// returns false.
#[allow(clippy::too_many_arguments)]
pub async fn email_address<C: ConnectionTrait>(
    db: &C,
    to: &str,
    person_id: Option<i32>,
    center_id: Option<i32>,
    template: &str,
    r: Rendered,
    secret: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    if !to.contains('@') {
        return Ok(false);
    }
    let secret = secret.map(str::to_string);
    enqueue_email(
        db,
        to,
        (person_id, center_id),
        template,
        r,
        secret,
        None,
        now,
    )
    .await
}

/// One email row: the rendered message as the JSON payload; `filed`: the
/// person and center it is filed under.
#[allow(clippy::too_many_arguments)]
async fn enqueue_email<C: ConnectionTrait>(
    db: &C,
    to: &str,
    filed: (Option<i32>, Option<i32>),
    template: &str,
    r: Rendered,
    secret: Option<String>,
    dedupe_key: Option<String>,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let (person_id, center_id) = filed;
    let email = Email {
        to: to.into(),
        subject: r.subject,
        text: r.text,
        attachment: r.attachment,
        secret,
    };
    let payload = serde_json::to_string(&email).map_err(|e| {
        tracing::error!(error = %e, "email not serialisable");
        AppError::Internal
    })?;
    insert(
        db,
        OutboxKind::Email,
        template,
        center_id,
        person_id,
        None,
        to,
        payload,
        dedupe_key,
        now,
    )
    .await
}

/// Delete sent rows older than [`SENT_RETENTION_DAYS`] and failed rows
/// older than [`FAILED_RETENTION_DAYS`]; pending rows are never touched.
/// Age is counted from `next_attempt_at`, when the row's last attempt was
/// due: for a sent row that is (within the dispatcher's interval) when it
/// was sent, for a failed one when it was given up; it is also the column
/// the `(status, next_attempt_at)` index covers, so the purge does not scan
/// the table. Safe on several instances at once. Returns how many rows went.
pub async fn purge<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<u64, AppError> {
    let mut purged = 0;
    for (status, days) in [
        (OutboxStatus::Sent, SENT_RETENTION_DAYS),
        (OutboxStatus::Failed, FAILED_RETENTION_DAYS),
    ] {
        purged += outbox::Entity::delete_many()
            .filter(outbox::Column::Status.eq(status))
            .filter(outbox::Column::NextAttemptAt.lt(now - chrono::Duration::days(days)))
            .exec(db)
            .await?
            .rows_affected;
    }
    Ok(purged)
}

/// The messages filed under a person (to them, or to their guardian), for
/// their data export: what, to whom, when and whether it went out.
pub async fn export_for<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
) -> Result<serde_json::Value, AppError> {
    let rows: Vec<serde_json::Value> = outbox::Entity::find()
        .filter(outbox::Column::PersonId.eq(person_id))
        .order_by_asc(outbox::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|o| {
            serde_json::json!({
                "kind": o.kind.as_str(),
                "event": o.event,
                "recipient": o.recipient,
                "status": o.status.as_str(),
                "created_at": o.created_at,
                "sent_at": o.sent_at,
            })
        })
        .collect();
    Ok(serde_json::Value::Array(rows))
}

/// On account deletion: every message filed under the person goes, queued
/// ones unsent (their addresses and texts name the person or a guardian).
pub async fn erase_for<C: ConnectionTrait>(db: &C, person_id: i32) -> Result<(), AppError> {
    outbox::Entity::delete_many()
        .filter(outbox::Column::PersonId.eq(person_id))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sent_code_is_blanked_and_forgotten() {
        let email = Email {
            to: "g@mail.kz".into(),
            subject: "Code 123456".into(),
            text: "Your code: 123456. Enter 123456 on the consent page.".into(),
            attachment: None,
            secret: Some("123456".into()),
        };
        let out = redacted(&serde_json::to_string(&email).unwrap()).unwrap();
        assert!(!out.contains("123456"), "{out}");
        let back: Email = serde_json::from_str(&out).unwrap();
        assert_eq!(
            back.text,
            "Your code: ••••••. Enter •••••• on the consent page."
        );
        assert_eq!(back.secret, None);
        // Nothing to blank: the row is left as it is.
        let plain = Email {
            secret: None,
            ..email
        };
        assert_eq!(redacted(&serde_json::to_string(&plain).unwrap()), None);
        assert_eq!(redacted("not json"), None);
    }

    #[test]
    fn a_texted_code_is_blanked_but_not_the_number() {
        let text = Text {
            to: "+77011234567".into(),
            text: "Ortalyq: code 234567".into(),
            secret: Some("234567".into()),
        };
        // Even a code that happens to be part of the phone number.
        let out = redacted(&serde_json::to_string(&text).unwrap()).unwrap();
        let back: Text = serde_json::from_str(&out).unwrap();
        assert_eq!(back.text, "Ortalyq: code ••••••");
        assert_eq!(back.to, "+77011234567");
        assert_eq!(back.secret, None);
    }

    #[test]
    fn text_rows_are_filed_as_sms_events() {
        assert_eq!(sms_template("email.booking"), "sms.booking");
        assert_eq!(sms_template("reminder"), "sms.reminder");
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff_seconds(1), 30);
        assert_eq!(backoff_seconds(2), 60);
        assert_eq!(backoff_seconds(3), 120);
        assert!(backoff_seconds(5) > backoff_seconds(4));
        assert_eq!(backoff_seconds(40), 6 * 3600);
    }
}
