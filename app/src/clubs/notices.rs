//! Notices to members: a row they see in the app (in whatever language they
//! use then) and a text message queued in the outbox, both in the
//! transaction of the change that caused them.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::dto::NoticeDto;
use crate::error::AppError;
use crate::i18n::{pick, Locale};
use crate::model::{club, club_session, event, notice, person};

pub use crate::domain::codes::NoticeKind;

/// A notice to store (and text) in a transaction.
#[derive(Clone, Debug)]
pub struct Pending {
    pub person_id: i32,
    pub kind: NoticeKind,
    pub subject_id: i32,
    pub detail: Option<String>,
}

/// Store notices and queue their text messages to the members with a
/// phone (inside the caller's transaction).
pub async fn store<C: ConnectionTrait>(
    db: &C,
    pending: &[Pending],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if pending.is_empty() {
        return Ok(());
    }
    notice::Entity::insert_many(pending.iter().map(|p| notice::ActiveModel {
        person_id: Set(p.person_id),
        kind: Set(p.kind),
        subject_id: Set(p.subject_id),
        detail: Set(p.detail.clone()),
        created_at: Set(now),
        read_at: Set(None),
        ..Default::default()
    }))
    .exec(db)
    .await?;
    for p in pending {
        promotion_out(db, p, now).await?;
        text(db, p, now).await?;
    }
    Ok(())
}

/// Queue the notice's text message in the member's language, when they
/// have a phone.
async fn text<C: ConnectionTrait>(db: &C, p: &Pending, now: DateTime<Utc>) -> Result<(), AppError> {
    let Some(who) = person::Entity::find_by_id(p.person_id).one(db).await? else {
        return Ok(());
    };
    let Some(phone) = who.phone.clone() else {
        return Ok(());
    };
    let (text, _) = render(
        db,
        p.kind,
        p.subject_id,
        p.detail.as_deref(),
        who.preferred_lang,
    )
    .await?;
    let msg = crate::notify::outbox::Text {
        to: phone,
        text: format!("Ortalyq: {text}"),
        secret: None,
    };
    let template = format!("sms.{}", p.kind.as_str());
    crate::notify::outbox::sms(db, msg, (Some(p.person_id), None), &template, None, now).await?;
    Ok(())
}

/// A waitlist promotion is also emailed to the member (in their language)
/// and reported to the center's webhooks, in the same transaction.
async fn promotion_out<C: ConnectionTrait>(
    db: &C,
    p: &Pending,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (center_id, names, link, what) = match p.kind {
        NoticeKind::ClubPromoted => {
            let Some(c) = club::Entity::find_by_id(p.subject_id).one(db).await? else {
                return Ok(());
            };
            (
                c.center_id,
                [c.name_kk, c.name_ru, c.name_en],
                format!("/clubs/{}", c.id),
                "club",
            )
        }
        NoticeKind::EventPromoted => {
            let Some(e) = event::Entity::find_by_id(p.subject_id).one(db).await? else {
                return Ok(());
            };
            (
                e.center_id,
                [e.name_kk, e.name_ru, e.name_en],
                format!("/events/{}", e.id),
                "event",
            )
        }
        _ => return Ok(()),
    };
    crate::notify::outbox::to_person(
        db,
        p.person_id,
        Some(center_id),
        "email.promoted",
        None,
        now,
        |who, l| {
            let name = pick(l, &names[0], &names[1], &names[2]);
            let first = who.full_name.split_whitespace().next().unwrap_or_default();
            let body = format!("{}\n{link}", crate::i18n::notice_promoted(l, name));
            crate::notify::outbox::Rendered {
                subject: crate::notify::templates::mail_promoted_subject(l, name),
                text: crate::notify::templates::mail_text(l, first, &body),
                attachment: None,
                // Texted by `store`, to members with an email too.
                short: None,
            }
        },
    )
    .await?;
    crate::notify::outbox::webhook(
        db,
        crate::domain::webhook::WebhookEvent::WaitlistPromoted,
        center_id,
        serde_json::json!({
            "kind": what,
            "id": p.subject_id,
            "member": crate::domain::membership::member_number(p.person_id),
        }),
        now,
    )
    .await?;
    Ok(())
}

/// The text of a notice and the page it leads to.
async fn render<C: ConnectionTrait>(
    db: &C,
    kind: NoticeKind,
    subject_id: i32,
    detail: Option<&str>,
    l: Locale,
) -> Result<(String, String), AppError> {
    Ok(match kind {
        NoticeKind::BookingCancelled => {
            crate::centers::spaces::booking_cancelled_notice(
                db,
                subject_id,
                detail.unwrap_or(""),
                l,
            )
            .await?
        }
        NoticeKind::ClubPromoted => {
            let name = club::Entity::find_by_id(subject_id)
                .one(db)
                .await?
                .map(|c| pick(l, &c.name_kk, &c.name_ru, &c.name_en).to_string())
                .unwrap_or_default();
            (
                crate::i18n::notice_promoted(l, &name),
                format!("/clubs/{subject_id}"),
            )
        }
        NoticeKind::EventPromoted => {
            let name = event::Entity::find_by_id(subject_id)
                .one(db)
                .await?
                .map(|c| pick(l, &c.name_kk, &c.name_ru, &c.name_en).to_string())
                .unwrap_or_default();
            (
                crate::i18n::notice_promoted(l, &name),
                format!("/events/{subject_id}"),
            )
        }
        NoticeKind::SessionCancelled => {
            let s = club_session::Entity::find_by_id(subject_id)
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?;
            let c = club::Entity::find_by_id(s.club_id)
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?;
            let center = crate::model::center::Entity::find_by_id(c.center_id)
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?;
            let tz = crate::centers::service::center_tz(&center);
            let local = s.starts_at.with_timezone(&tz);
            let when = format!(
                "{}, {}",
                crate::i18n::day_label(l, local.date_naive()),
                crate::i18n::hhmm(s.starts_at, tz)
            );
            (
                crate::i18n::notice_session_cancelled(
                    l,
                    pick(l, &c.name_kk, &c.name_ru, &c.name_en),
                    &when,
                    detail.unwrap_or(""),
                ),
                format!("/clubs/{}", c.id),
            )
        }
        // Moved, changed and cancelled clubs, events and programs.
        other => match crate::notify::changes::render(db, other, subject_id, detail, l).await? {
            Some(r) => (r.text, r.href),
            None => return Err(AppError::NotFound),
        },
    })
}

/// The member's latest notices (newest first).
pub async fn mine(
    db: &DatabaseConnection,
    user: &crate::access::session::CurrentUser,
    l: Locale,
) -> Result<Vec<NoticeDto>, AppError> {
    let person_id = user.person_id;
    let tz = match user.home_center_id {
        Some(id) => crate::model::center::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|c| crate::centers::service::center_tz(&c)),
        None => None,
    }
    .unwrap_or(chrono_tz::Asia::Almaty);
    let rows = notice::Entity::find()
        .filter(notice::Column::PersonId.eq(person_id))
        .order_by_desc(notice::Column::CreatedAt)
        .order_by_desc(notice::Column::Id)
        .limit(30)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for n in rows {
        let kind = n.kind;
        let (text, href) = match render(db, kind, n.subject_id, n.detail.as_deref(), l).await {
            Ok(r) => r,
            Err(AppError::NotFound) => continue,
            Err(e) => return Err(e),
        };
        out.push(NoticeDto {
            id: n.id,
            text,
            at: n
                .created_at
                .with_timezone(&tz)
                .format("%d.%m %H:%M")
                .to_string(),
            unread: n.read_at.is_none(),
            href,
        });
    }
    Ok(out)
}

/// Mark all of the member's notices read.
pub async fn mark_read(
    db: &DatabaseConnection,
    person_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    notice::Entity::update_many()
        .col_expr(notice::Column::ReadAt, sea_orm::sea_query::Expr::value(now))
        .filter(notice::Column::PersonId.eq(person_id))
        .filter(notice::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// How many unread notices the member has.
pub async fn unread(db: &DatabaseConnection, person_id: i32) -> Result<u64, AppError> {
    use sea_orm::PaginatorTrait;
    Ok(notice::Entity::find()
        .filter(notice::Column::PersonId.eq(person_id))
        .filter(notice::Column::ReadAt.is_null())
        .count(db)
        .await?)
}
