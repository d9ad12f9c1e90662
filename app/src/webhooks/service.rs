//! Registering webhook endpoints and reading their delivery log (server
//! only). Regional admins manage every endpoint and may register one for
//! every center; directors only those of their own centers.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::dto::{CreatedWebhookDto, DeliveryDto, EndpointDto, WebhookForm, WebhooksDto, LOG_ROWS};
use crate::access::session::CurrentUser;
use crate::access::staff_centers;
use crate::audit::service::record;
use crate::domain::codes::AuditKind;
use crate::domain::egress::{self, EgressPolicy, Refusal};
use crate::domain::webhook::WebhookEvent;
use crate::error::{AppError, Problem};
use crate::i18n::{pick, Locale};
use crate::model::{center, outbox, webhook_endpoint};

/// Longest URL accepted.
pub const MAX_URL: usize = 500;

fn invalid(field: &str, problem: Problem) -> AppError {
    AppError::Invalid {
        field: field.into(),
        problem,
    }
}

/// A webhook URL as registered: `https://` to a public host (plain
/// `http://` and private addresses only for hosts the operator allows),
/// without spaces or credentials. Returns the trimmed URL and its origin
/// (`scheme://host[:port]`, for the audit log: the path may hold a token).
pub fn check_url(url: &str, policy: &EgressPolicy) -> Result<(String, String), AppError> {
    let url = url.trim();
    if url.is_empty() {
        return Err(invalid("url", Problem::Required));
    }
    if url.chars().count() > MAX_URL {
        return Err(invalid("url", Problem::TooLong));
    }
    let target = egress::check_url(url, policy).map_err(|r| {
        invalid(
            "url",
            match r {
                Refusal::Malformed => Problem::Url,
                Refusal::PlainHttp => Problem::UrlHttp,
                Refusal::NotPublic => Problem::UrlPrivate,
            },
        )
    })?;
    let host = match target.ip {
        Some(std::net::IpAddr::V6(ip)) => format!("[{ip}]"),
        _ => target.host,
    };
    let scheme = if target.https { "https" } else { "http" };
    Ok((
        url.to_string(),
        format!("{scheme}://{host}:{}", target.port),
    ))
}

/// A random secret, 32 bytes as base32 (no padding).
fn new_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!(
        "whsec_{}",
        data_encoding::BASE32_NOPAD
            .encode(&bytes)
            .to_ascii_lowercase()
    )
}

fn stamp(t: DateTime<Utc>) -> String {
    t.with_timezone(&chrono_tz::Asia::Almaty)
        .format("%d.%m.%Y %H:%M")
        .to_string()
}

/// The endpoints the caller manages: all (admins) or their centers'.
async fn managed(
    db: &DatabaseConnection,
    user: &CurrentUser,
) -> Result<(Option<Vec<i32>>, Vec<webhook_endpoint::Model>), AppError> {
    user.require(|r| r.can_report())?;
    let scope = staff_centers(db, user).await?;
    let mut q = webhook_endpoint::Entity::find().order_by_asc(webhook_endpoint::Column::Id);
    if let Some(cs) = &scope {
        q = q.filter(webhook_endpoint::Column::CenterId.is_in(cs.clone()));
    }
    Ok((scope, q.all(db).await?))
}

/// Endpoints and their latest deliveries.
pub async fn list(
    db: &DatabaseConnection,
    user: &CurrentUser,
    l: Locale,
) -> Result<WebhooksDto, AppError> {
    let (scope, endpoints) = managed(db, user).await?;
    let centers: Vec<center::Model> = center::Entity::find()
        .order_by_asc(center::Column::Id)
        .all(db)
        .await?;
    let center_name = |id: i32| {
        centers
            .iter()
            .find(|c| c.id == id)
            .map(|c| pick(l, &c.name_kk, &c.name_ru, &c.name_en).to_string())
    };
    let ids: Vec<i32> = endpoints.iter().map(|e| e.id).collect();
    let deliveries = outbox::Entity::find()
        .filter(outbox::Column::EndpointId.is_in(ids))
        .order_by_desc(outbox::Column::Id)
        .limit(LOG_ROWS)
        .all(db)
        .await?;
    Ok(WebhooksDto {
        endpoints: endpoints
            .iter()
            .map(|e| EndpointDto {
                id: e.id,
                url: e.url.clone(),
                center: e.center_id.and_then(center_name),
                events: e
                    .events
                    .split(',')
                    .filter_map(WebhookEvent::parse)
                    .map(|ev| ev.as_str().to_string())
                    .collect(),
                active: e.active,
                consecutive_failures: e.consecutive_failures,
                disabled_at: e.disabled_at.map(stamp),
            })
            .collect(),
        deliveries: deliveries
            .into_iter()
            .map(|d| DeliveryDto {
                id: d.id,
                endpoint_id: d.endpoint_id.unwrap_or_default(),
                event: d.event,
                next_attempt: (d.status == crate::domain::codes::OutboxStatus::Pending)
                    .then(|| stamp(d.next_attempt_at)),
                status: d.status.as_str().to_string(),
                attempts: d.attempts,
                response_code: d.response_code,
                last_error: d.last_error,
                created: stamp(d.created_at),
            })
            .collect(),
        centers: centers
            .iter()
            .filter(|c| scope.as_ref().is_none_or(|s| s.contains(&c.id)))
            .map(|c| {
                (
                    c.id,
                    pick(l, &c.name_kk, &c.name_ru, &c.name_en).to_string(),
                )
            })
            .collect(),
        may_choose_all: scope.is_none(),
    })
}

/// Register an endpoint (audited); its secret is returned only now.
pub async fn create(
    db: &DatabaseConnection,
    user: &CurrentUser,
    form: WebhookForm,
    policy: &EgressPolicy,
    now: DateTime<Utc>,
) -> Result<CreatedWebhookDto, AppError> {
    user.require(|r| r.can_report())?;
    let scope = staff_centers(db, user).await?;
    let (url, origin) = check_url(&form.url, policy)?;
    match (&scope, form.center) {
        // Directors register for one of their centers only.
        (Some(_), None) => return Err(invalid("center", Problem::Required)),
        (Some(cs), Some(c)) if !cs.contains(&c) => return Err(AppError::Forbidden),
        (_, Some(c)) => {
            center::Entity::find_by_id(c)
                .one(db)
                .await?
                .ok_or_else(|| invalid("center", Problem::Range))?;
        }
        (None, None) => {}
    }
    let mut events = Vec::new();
    for e in &form.events {
        let ev = WebhookEvent::parse(e).ok_or_else(|| invalid("events", Problem::Range))?;
        if !events.contains(&ev.as_str()) {
            events.push(ev.as_str());
        }
    }
    if events.is_empty() {
        return Err(invalid("events", Problem::Required));
    }
    let secret = new_secret();
    let txn = crate::model::begin_write(db).await?;
    let e = webhook_endpoint::ActiveModel {
        url: Set(url),
        center_id: Set(form.center),
        events: Set(events.join(",")),
        secret: Set(secret.clone()),
        active: Set(true),
        consecutive_failures: Set(0),
        created_at: Set(now),
        created_by: Set(Some(user.account_id)),
        disabled_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        user,
        e.center_id,
        AuditKind::WebhookCreated,
        format!("webhook {}", e.id),
        format!("{origin} {}", e.events),
        now,
    )
    .await?;
    txn.commit().await?;
    crate::notify::outbox::forget_webhook_targets(db);
    Ok(CreatedWebhookDto { id: e.id, secret })
}

/// Switch an endpoint off, or on again (which clears its failure count);
/// audited.
pub async fn set_active(
    db: &DatabaseConnection,
    user: &CurrentUser,
    endpoint_id: i32,
    active: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (_, endpoints) = managed(db, user).await?;
    let e = endpoints
        .into_iter()
        .find(|e| e.id == endpoint_id)
        .ok_or(AppError::NotFound)?;
    let center_id = e.center_id;
    let mut am = e.into_active_model();
    am.active = Set(active);
    if active {
        am.consecutive_failures = Set(0);
        am.disabled_at = Set(None);
    } else {
        am.disabled_at = Set(Some(now));
    }
    let txn = crate::model::begin_write(db).await?;
    am.update(&txn).await?;
    record(
        &txn,
        user,
        center_id,
        AuditKind::WebhookSwitched,
        format!("webhook {endpoint_id}"),
        if active { "on" } else { "off" },
        now,
    )
    .await?;
    txn.commit().await?;
    crate::notify::outbox::forget_webhook_targets(db);
    Ok(())
}

/// An endpoint's URL and signing secret, for staff who manage it, on
/// request (never part of the page); each showing is audited.
pub async fn reveal_secret(
    db: &DatabaseConnection,
    user: &CurrentUser,
    endpoint_id: i32,
    now: DateTime<Utc>,
) -> Result<(String, String), AppError> {
    let (_, endpoints) = managed(db, user).await?;
    let e = endpoints
        .into_iter()
        .find(|e| e.id == endpoint_id)
        .ok_or(AppError::NotFound)?;
    let txn = crate::model::begin_write(db).await?;
    record(
        &txn,
        user,
        e.center_id,
        AuditKind::WebhookSecretShown,
        format!("webhook {endpoint_id}"),
        "",
        now,
    )
    .await?;
    txn.commit().await?;
    Ok((e.url, e.secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_https_to_public_hosts_unless_the_operator_allows() {
        let none = EgressPolicy::default();
        assert_eq!(
            check_url(" https://hooks.example.kz/ortalyq?t=1 ", &none).unwrap(),
            (
                "https://hooks.example.kz/ortalyq?t=1".to_string(),
                "https://hooks.example.kz:443".to_string()
            )
        );
        let problem = |url: &str, p: &EgressPolicy| match check_url(url, p) {
            Err(AppError::Invalid { problem, .. }) => Some(problem),
            _ => None,
        };
        assert_eq!(problem("", &none), Some(Problem::Required));
        assert_eq!(
            problem("http://hooks.example.kz/", &none),
            Some(Problem::UrlHttp)
        );
        assert_eq!(
            problem("https://127.0.0.1:8080/x", &none),
            Some(Problem::UrlPrivate)
        );
        for bad in [
            "ftp://x",
            "https://",
            "https://user:pw@host.kz/",
            "https://a b/",
        ] {
            assert_eq!(problem(bad, &none), Some(Problem::Url), "{bad}");
        }
        assert_eq!(
            problem(&format!("https://x.kz/{}", "a".repeat(600)), &none),
            Some(Problem::TooLong)
        );
        let local = EgressPolicy::from_lists("127.0.0.1", "127.0.0.1");
        assert_eq!(
            check_url("http://127.0.0.1:8080/x", &local).unwrap().1,
            "http://127.0.0.1:8080"
        );
    }
}
