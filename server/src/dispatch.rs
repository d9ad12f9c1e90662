//! The outbox dispatcher: sends due rows of the `outbox` table (emails, text
//! messages and webhook deliveries queued by the services inside their
//! transactions),
//! retries failures with exponential backoff and gives up after
//! `MAX_ATTEMPTS`.
//!
//! Safe with several instances on one database: a row is claimed with a
//! conditional `UPDATE … SET lease_until = now + lease WHERE id = ? AND
//! status = 'pending' AND (lease_until IS NULL OR lease_until <= now)`, which
//! exactly one instance wins. A dispatcher that dies mid-send leaves the
//! row leased; the lease runs out and any instance sends it again, so rows
//! pending at a shutdown or a crash are delivered after the restart
//! (at-least-once: receivers deduplicate by the `X-Ortalyq-Delivery` id).
//!
//! Email goes through SMTP (lettre, `ORTALYQ_SMTP_URL`) or, by default in
//! development, is written as `.eml` files into the outbox folder; text
//! messages likewise go to an SMS gateway or become `.txt` files there
//! (`crate::sms`). Webhook
//! bodies are signed: `X-Ortalyq-Signature: t=<unix seconds>,v1=<hex
//! HMAC-SHA256 of "<t>.<body>" keyed with the endpoint's secret>`. An
//! endpoint is switched off after [`DISABLE_AFTER`] failed attempts in a row.
//! Before each webhook attempt the host is resolved and checked
//! (`crate::webhooks::vet`: public addresses over HTTPS unless the operator
//! allows a host); a refused target fails for good without a connection.
//!
//! An email or text carrying a one-time code (a guardian's consent code, a
//! registration code) keeps the code only until the row is sent or given
//! up; then the stored message has it blanked
//! (`app::notify::outbox::redacted`).
//!
//! Every [`PURGE_EVERY`] the rows past their retention are deleted
//! ([`run_purge`]: sent after 30 days, failed after 90, pending never).

use std::path::PathBuf;
use std::time::Duration;

use app::domain::codes::{OutboxKind, OutboxStatus};
use app::domain::egress::EgressPolicy;
use app::error::AppError;
use app::model::{outbox, webhook_endpoint};
use app::notify::outbox::{backoff_seconds, redacted, Email, MAX_ATTEMPTS};
use app::state::Clock;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::sms::SmsGateway;
use crate::webhooks::{Refused, Resolver};

/// Failed attempts in a row after which a webhook endpoint is switched off.
pub const DISABLE_AFTER: i32 = 10;

/// How long a claimed row is held by the instance sending it.
pub const LEASE_SECONDS: i64 = 60;

/// Timeout of one webhook request.
pub const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);

/// Rows sent per run.
const BATCH: u64 = 50;

/// Where email goes.
pub enum Mailer {
    /// An SMTP relay (production).
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// `.eml` files in a folder (development default).
    Folder(PathBuf),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // The URL may carry a password: never print it.
            Mailer::Smtp(_) => f.write_str("Mailer::Smtp"),
            Mailer::Folder(p) => write!(f, "Mailer::Folder({})", p.display()),
        }
    }
}

impl Mailer {
    /// SMTP when a URL is given (`smtp://user:pass@host:587?tls=required`,
    /// `smtps://…`; see lettre's `from_url`), else the folder.
    pub fn new(smtp_url: Option<&str>, folder: PathBuf) -> Result<Mailer, String> {
        match smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map(|b| Mailer::Smtp(b.timeout(Some(Duration::from_secs(30))).build()))
                .map_err(|e| format!("ORTALYQ_SMTP_URL is not a usable SMTP URL: {e}")),
            None => Ok(Mailer::Folder(folder)),
        }
    }
}

/// Why an attempt failed.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) error: String,
    pub(crate) response_code: Option<i32>,
    /// Retrying cannot help (a malformed address, a removed endpoint).
    pub(crate) permanent: bool,
}

impl Failure {
    pub(crate) fn retry(error: impl std::fmt::Display) -> Failure {
        Failure {
            error: clip(&error.to_string()),
            response_code: None,
            permanent: false,
        }
    }

    pub(crate) fn permanent(error: impl std::fmt::Display) -> Failure {
        Failure {
            permanent: true,
            ..Failure::retry(error)
        }
    }
}

pub(crate) fn clip(s: &str) -> String {
    s.chars().take(300).collect()
}

/// What one run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub sent: u32,
    /// Attempts that failed (and will be retried, unless given up).
    pub failed: u32,
    /// Rows marked failed for good.
    pub gave_up: u32,
}

/// The `X-Ortalyq-Signature` value for a body sent at unix time `t`.
pub fn signature(secret: &str, t: i64, body: &str) -> String {
    let mut mac =
        Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key size");
    mac.update(format!("{t}.{body}").as_bytes());
    format!(
        "t={t},v1={}",
        data_encoding::HEXLOWER.encode(&mac.finalize().into_bytes())
    )
}

/// Check a signature header against a body (what a receiver does); used by
/// the tests and documented for integrators. `tolerance`: the oldest `t`
/// accepted, in seconds before `now`.
pub fn verify_signature(secret: &str, header: &str, body: &str, now: i64, tolerance: i64) -> bool {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => v1 = Some(v),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else {
        return false;
    };
    if now - t > tolerance || t - now > tolerance {
        return false;
    }
    let Ok(given) = data_encoding::HEXLOWER_PERMISSIVE.decode(v1.as_bytes()) else {
        return false;
    };
    let mut mac =
        Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key size");
    mac.update(format!("{t}.{body}").as_bytes());
    mac.verify_slice(&given).is_ok()
}

/// Sends the outbox.
#[derive(Debug)]
pub struct Dispatcher {
    pub db: DatabaseConnection,
    pub mailer: Mailer,
    pub from: Mailbox,
    /// Where text messages go (by default the email folder, or
    /// `data/outbox` with SMTP).
    pub sms: SmsGateway,
    /// Which webhook hosts may take plain HTTP or non-public addresses.
    pub egress: EgressPolicy,
    /// How webhook hosts are resolved (fixed answers in tests).
    pub resolver: Resolver,
    /// The Telegram bot, when the server runs one; without it rows of kind
    /// `telegram` wait (and are retried, then given up).
    pub telegram: Option<crate::telegram::BotApi>,
}

impl Dispatcher {
    pub fn new(db: DatabaseConnection, mailer: Mailer, from: &str) -> Result<Dispatcher, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("ORTALYQ_MAIL_FROM is not an address: {e}"))?;
        let sms = SmsGateway::Folder(match &mailer {
            Mailer::Folder(dir) => dir.clone(),
            Mailer::Smtp(_) => PathBuf::from("data/outbox"),
        });
        Ok(Dispatcher {
            db,
            mailer,
            from,
            sms,
            egress: EgressPolicy::default(),
            resolver: Resolver::System,
            telegram: None,
        })
    }

    /// The operator's webhook exceptions (none by default: HTTPS to public
    /// addresses only).
    pub fn with_egress(mut self, egress: EgressPolicy) -> Dispatcher {
        self.egress = egress;
        self
    }

    pub fn with_resolver(mut self, resolver: Resolver) -> Dispatcher {
        self.resolver = resolver;
        self
    }

    /// The Telegram bot that sends rows of kind `telegram`.
    pub fn with_telegram(mut self, api: crate::telegram::BotApi) -> Dispatcher {
        self.telegram = Some(api);
        self
    }

    /// Where text messages go (`ORTALYQ_SMS_URL`, or the outbox folder).
    pub fn with_sms(mut self, sms: SmsGateway) -> Dispatcher {
        self.sms = sms;
        self
    }

    /// Send every row due at `now` (up to a batch), each claimed first.
    pub async fn run_once(&self, now: DateTime<Utc>) -> Result<Stats, AppError> {
        let free = Condition::any()
            .add(outbox::Column::LeaseUntil.is_null())
            .add(outbox::Column::LeaseUntil.lte(now));
        let due: Vec<i32> = outbox::Entity::find()
            .select_only()
            .column(outbox::Column::Id)
            .filter(outbox::Column::Status.eq(OutboxStatus::Pending))
            .filter(outbox::Column::NextAttemptAt.lte(now))
            .filter(free.clone())
            .order_by_asc(outbox::Column::Id)
            .limit(BATCH)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut stats = Stats::default();
        for id in due {
            let claimed = outbox::Entity::update_many()
                .col_expr(
                    outbox::Column::LeaseUntil,
                    Expr::value(Some(now + chrono::Duration::seconds(LEASE_SECONDS))),
                )
                .filter(outbox::Column::Id.eq(id))
                .filter(outbox::Column::Status.eq(OutboxStatus::Pending))
                .filter(free.clone())
                .exec(&self.db)
                .await?
                .rows_affected;
            if claimed != 1 {
                // Another instance took it.
                continue;
            }
            let Some(row) = outbox::Entity::find_by_id(id).one(&self.db).await? else {
                continue;
            };
            let result = match row.kind {
                OutboxKind::Email => self.send_email(&row).await,
                OutboxKind::Webhook => self.send_webhook(&row, now).await,
                OutboxKind::Sms => self.sms.send(&row).await,
                OutboxKind::Telegram => match &self.telegram {
                    Some(api) => api.deliver(&row).await,
                    None => Err(Failure::retry("no Telegram bot is configured")),
                },
            };
            self.record(row, result, now, &mut stats).await?;
        }
        Ok(stats)
    }

    async fn record(
        &self,
        row: outbox::Model,
        result: Result<Option<i32>, Failure>,
        now: DateTime<Utc>,
        stats: &mut Stats,
    ) -> Result<(), AppError> {
        let row_kind = row.kind;
        let kind = row_kind.as_str();
        let endpoint = row.endpoint_id;
        let attempts = row.attempts + 1;
        // A one-time code an email or a text carried is blanked once the row
        // is done with (sent, or given up): the log keeps the message, not
        // the code.
        let done = match &result {
            Ok(_) => true,
            Err(f) => f.permanent || attempts >= MAX_ATTEMPTS,
        };
        let blanked = (done && matches!(row_kind, OutboxKind::Email | OutboxKind::Sms))
            .then(|| redacted(&row.payload))
            .flatten();
        let mut am = row.into_active_model();
        if let Some(payload) = blanked {
            am.payload = Set(payload);
        }
        am.attempts = Set(attempts);
        am.lease_until = Set(None);
        let ok = result.is_ok();
        match result {
            Ok(code) => {
                am.status = Set(OutboxStatus::Sent);
                am.sent_at = Set(Some(now));
                am.response_code = Set(code);
                am.last_error = Set(None);
                stats.sent += 1;
                metrics::counter!("ortalyq_outbox_sent_total", "kind" => kind).increment(1);
            }
            Err(f) => {
                stats.failed += 1;
                metrics::counter!("ortalyq_outbox_attempts_failed_total", "kind" => kind)
                    .increment(1);
                tracing::warn!(kind = %kind, error = %f.error, attempts, "outbox delivery failed");
                am.response_code = Set(f.response_code);
                am.last_error = Set(Some(f.error));
                if f.permanent || attempts >= MAX_ATTEMPTS {
                    am.status = Set(OutboxStatus::Failed);
                    stats.gave_up += 1;
                    metrics::counter!("ortalyq_outbox_gave_up_total", "kind" => kind).increment(1);
                } else {
                    am.next_attempt_at =
                        Set(now + chrono::Duration::seconds(backoff_seconds(attempts)));
                }
            }
        }
        am.update(&self.db).await?;
        if let (OutboxKind::Webhook, Some(id)) = (row_kind, endpoint) {
            self.endpoint_outcome(id, ok, now).await?;
        }
        Ok(())
    }

    /// Count an endpoint's failures in a row; switch it off at the limit.
    async fn endpoint_outcome(
        &self,
        id: i32,
        ok: bool,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        if ok {
            webhook_endpoint::Entity::update_many()
                .col_expr(
                    webhook_endpoint::Column::ConsecutiveFailures,
                    Expr::value(0),
                )
                .filter(webhook_endpoint::Column::Id.eq(id))
                .exec(&self.db)
                .await?;
            return Ok(());
        }
        webhook_endpoint::Entity::update_many()
            .col_expr(
                webhook_endpoint::Column::ConsecutiveFailures,
                Expr::col(webhook_endpoint::Column::ConsecutiveFailures).add(1),
            )
            .filter(webhook_endpoint::Column::Id.eq(id))
            .exec(&self.db)
            .await?;
        let disabled = webhook_endpoint::Entity::update_many()
            .col_expr(webhook_endpoint::Column::Active, Expr::value(false))
            .col_expr(webhook_endpoint::Column::DisabledAt, Expr::value(Some(now)))
            .filter(webhook_endpoint::Column::Id.eq(id))
            .filter(webhook_endpoint::Column::Active.eq(true))
            .filter(webhook_endpoint::Column::ConsecutiveFailures.gte(DISABLE_AFTER))
            .exec(&self.db)
            .await?
            .rows_affected;
        if disabled > 0 {
            app::notify::outbox::forget_webhook_targets(&self.db);
            metrics::counter!("ortalyq_webhook_endpoints_disabled_total").increment(1);
            tracing::warn!(
                endpoint = id,
                "webhook endpoint switched off after repeated failures"
            );
        }
        Ok(())
    }

    fn message(&self, row: &outbox::Model, email: &Email) -> Result<Message, Failure> {
        let to: Mailbox = email.to.parse().map_err(Failure::permanent)?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone())
            .message_id(Some(format!("<outbox-{}@ortalyq>", row.id)));
        let text = SinglePart::plain(email.text.clone());
        match &email.attachment {
            Some(a) => {
                let content_type =
                    ContentType::parse(&a.content_type).map_err(Failure::permanent)?;
                builder.multipart(MultiPart::mixed().singlepart(text).singlepart(
                    Attachment::new(a.filename.clone()).body(a.content.clone(), content_type),
                ))
            }
            None => builder.singlepart(text),
        }
        .map_err(Failure::permanent)
    }

    async fn send_email(&self, row: &outbox::Model) -> Result<Option<i32>, Failure> {
        let email: Email = serde_json::from_str(&row.payload).map_err(Failure::permanent)?;
        let message = self.message(row, &email)?;
        match &self.mailer {
            // A 5xx reply (no such mailbox, refused) is permanent: the row
            // fails at once. A 4xx reply (try later) and network errors are
            // retried with backoff.
            Mailer::Smtp(smtp) => match smtp.send(message).await {
                Ok(_) => Ok(None),
                Err(e) if e.is_permanent() => Err(Failure::permanent(e)),
                Err(e) => Err(Failure::retry(e)),
            },
            Mailer::Folder(dir) => {
                let name = format!(
                    "{}-email-{}.eml",
                    row.created_at.format("%Y%m%dT%H%M%S"),
                    row.id
                );
                let bytes = message.formatted();
                let dir = dir.clone();
                tokio::task::spawn_blocking(move || {
                    std::fs::create_dir_all(&dir)?;
                    std::fs::write(dir.join(name), bytes)
                })
                .await
                .map_err(Failure::retry)?
                .map_err(Failure::retry)?;
                Ok(None)
            }
        }
    }

    async fn send_webhook(
        &self,
        row: &outbox::Model,
        now: DateTime<Utc>,
    ) -> Result<Option<i32>, Failure> {
        let endpoint = match row.endpoint_id {
            Some(id) => webhook_endpoint::Entity::find_by_id(id)
                .one(&self.db)
                .await
                .map_err(Failure::retry)?,
            None => None,
        };
        let Some(endpoint) = endpoint.filter(|e| e.active) else {
            return Err(Failure::permanent("endpoint disabled or removed"));
        };
        // Checked again at every attempt: the name may resolve elsewhere now.
        let target = crate::webhooks::vet(&row.recipient, &self.egress, &self.resolver)
            .await
            .map_err(|r| match r {
                Refused::Policy(_) => Failure::permanent(r),
                Refused::Lookup(_) => Failure::retry(r),
            })?;
        let http = crate::webhooks::client(&target, WEBHOOK_TIMEOUT).map_err(Failure::retry)?;
        let t = now.timestamp();
        let resp = http
            .post(target.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("X-Ortalyq-Event", &row.event)
            .header("X-Ortalyq-Delivery", row.id.to_string())
            .header(
                "X-Ortalyq-Signature",
                signature(&endpoint.secret, t, &row.payload),
            )
            .body(row.payload.clone())
            .send()
            .await
            .map_err(|e| Failure::retry(without_url(e)))?;
        let code = i32::from(resp.status().as_u16());
        if resp.status().is_success() {
            Ok(Some(code))
        } else {
            Err(Failure {
                error: format!("HTTP {code}"),
                response_code: Some(code),
                permanent: false,
            })
        }
    }
}

/// A request error without the URL (it may carry a token in its query).
pub(crate) fn without_url(e: reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connection failed"
    } else {
        "request failed"
    };
    let detail = e.without_url().to_string();
    format!("{kind}: {detail}")
}

/// One run with its metrics and log line.
pub async fn run_dispatch(d: &Dispatcher, clock: Clock) -> Result<Stats, AppError> {
    let start = std::time::Instant::now();
    let result = d.run_once(clock.now()).await;
    metrics::histogram!("ortalyq_job_duration_seconds", "job" => "outbox")
        .record(start.elapsed().as_secs_f64());
    let label = if result.is_ok() { "ok" } else { "error" };
    metrics::counter!("ortalyq_job_runs_total", "job" => "outbox", "result" => label).increment(1);
    if let Err(e) = &result {
        tracing::warn!(error = ?e, "outbox run failed");
    }
    result
}

/// One run of the check-in reminder job (queues emails; the dispatcher
/// sends them).
pub async fn run_reminders(db: &DatabaseConnection, clock: Clock) -> Result<u64, AppError> {
    let start = std::time::Instant::now();
    let result = app::booking::messages::queue_checkin_reminders(db, clock.now()).await;
    metrics::histogram!("ortalyq_job_duration_seconds", "job" => "reminders")
        .record(start.elapsed().as_secs_f64());
    let label = if result.is_ok() { "ok" } else { "error" };
    metrics::counter!("ortalyq_job_runs_total", "job" => "reminders", "result" => label)
        .increment(1);
    match &result {
        Ok(n) if *n > 0 => tracing::info!(n, "check-in reminders queued"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = ?e, "reminder job failed"),
    }
    result
}

/// How often the outbox retention purge runs.
pub const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// One run of the outbox retention purge: deletes sent rows older than
/// `SENT_RETENTION_DAYS` and failed rows older than `FAILED_RETENTION_DAYS`
/// by the app clock, keeping pending rows.
pub async fn run_purge(db: &DatabaseConnection, clock: Clock) -> Result<u64, AppError> {
    let start = std::time::Instant::now();
    let result = app::notify::outbox::purge(db, clock.now()).await;
    metrics::histogram!("ortalyq_job_duration_seconds", "job" => "outbox_purge")
        .record(start.elapsed().as_secs_f64());
    let label = if result.is_ok() { "ok" } else { "error" };
    metrics::counter!("ortalyq_job_runs_total", "job" => "outbox_purge", "result" => label)
        .increment(1);
    match &result {
        Ok(n) if *n > 0 => {
            metrics::counter!("ortalyq_outbox_purged_total").increment(*n);
            tracing::info!(n, "old outbox rows deleted");
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = ?e, "outbox purge failed"),
    }
    result
}

/// Send the outbox every `every`, queue reminders every minute and purge
/// old rows every hour (first right after the start), until the process
/// ends.
pub fn spawn_dispatcher(d: Dispatcher, clock: Clock, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_reminders: Option<std::time::Instant> = None;
        let mut last_purge: Option<std::time::Instant> = None;
        loop {
            tick.tick().await;
            if last_reminders.is_none_or(|t| t.elapsed() >= Duration::from_secs(60)) {
                last_reminders = Some(std::time::Instant::now());
                let _ = run_reminders(&d.db, clock).await;
            }
            if last_purge.is_none_or(|t| t.elapsed() >= PURGE_EVERY) {
                last_purge = Some(std::time::Instant::now());
                let _ = run_purge(&d.db, clock).await;
                // Registrations never confirmed hold a stranger's contact.
                match app::membership::signup::purge_unconfirmed(&d.db, clock.now()).await {
                    Ok(n) if n > 0 => tracing::info!(n, "unconfirmed registrations removed"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = ?e, "unconfirmed registrations purge failed"),
                }
                // Registrations begun in the Telegram bot and abandoned.
                if let Err(e) = app::telegram::service::purge_drafts(&d.db, clock.now()).await {
                    tracing::warn!(error = ?e, "telegram drafts purge failed");
                }
            }
            let _ = run_dispatch(&d, clock).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_only_with_the_right_secret_body_and_time() {
        let body = r#"{"event":"booking.created"}"#;
        let header = signature("whsec_a", 1_800_000_000, body);
        assert!(header.starts_with("t=1800000000,v1="));
        assert!(verify_signature(
            "whsec_a",
            &header,
            body,
            1_800_000_010,
            300
        ));
        assert!(!verify_signature(
            "whsec_b",
            &header,
            body,
            1_800_000_010,
            300
        ));
        assert!(!verify_signature(
            "whsec_a",
            &header,
            "{}",
            1_800_000_010,
            300
        ));
        // Replayed long after it was signed.
        assert!(!verify_signature(
            "whsec_a",
            &header,
            body,
            1_800_001_000,
            300
        ));
        // The timestamp is part of what is signed.
        let moved = header.replace("t=1800000000", "t=1800000005");
        assert!(!verify_signature(
            "whsec_a",
            &moved,
            body,
            1_800_000_010,
            300
        ));
        assert!(!verify_signature(
            "whsec_a",
            "garbage",
            body,
            1_800_000_010,
            300
        ));
    }
}
