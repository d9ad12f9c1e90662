//! Linking Telegram chats to accounts, and the notification channel
//! (server only). The bot (`server::telegram`) finds a chat's member with
//! [`chat_user`] and then calls the same services the web pages call.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, Set, SqlErr,
};

use super::dto::{LinkCodeDto, TelegramCardDto};
use crate::access::session::{load_user, token_hash, CurrentUser};
use crate::audit::dto::AuditKind;
use crate::audit::service::{member_subject, record, Actor};
use crate::domain::codes::NotifyChannel;
use crate::domain::people::Role;
use crate::error::{AppError, Problem};
use crate::i18n::Locale;
use crate::model::{account, person, telegram_chat, telegram_link_code};

/// How long a link code works.
pub const CODE_MINUTES: i64 = 10;
/// Wrong codes a chat may send in [`MISS_WINDOW_MINUTES`].
pub const MAX_MISSES: i32 = 5;
pub const MISS_WINDOW_MINUTES: i64 = 60;

/// The `/account` card: whether the member's chat is linked and how they
/// are told things. `bot`: the bot's username when the server runs one.
pub async fn card<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    enabled: bool,
    bot: Option<&str>,
) -> Result<TelegramCardDto, AppError> {
    let p = person::Entity::find_by_id(user.person_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let linked = crate::notify::outbox::linked_chat(db, user.person_id)
        .await?
        .is_some();
    Ok(TelegramCardDto {
        enabled,
        bot_username: bot.map(str::to_string),
        may_link: user.role == Role::Visitor,
        linked,
        channel: p.notify_channel,
        has_phone: p.phone.is_some(),
        has_email: p.email.as_deref().is_some_and(|e| e.contains('@')),
    })
}

/// A new one-time link code for a member's account (visitors only: staff
/// powers stay off Telegram). Earlier unused codes of the account stop
/// working. The code and token are shown once; only their hashes are kept.
pub async fn issue_link_code<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    bot: Option<&str>,
    now: DateTime<Utc>,
) -> Result<LinkCodeDto, AppError> {
    user.require(|r| r == Role::Visitor)?;
    telegram_link_code::Entity::delete_many()
        .filter(
            Condition::any()
                .add(telegram_link_code::Column::AccountId.eq(user.account_id))
                .add(telegram_link_code::Column::ExpiresAt.lt(now - Duration::days(1))),
        )
        .exec(db)
        .await?;
    // A clash with another live code's hash is possible (8 digits): try
    // again with new ones.
    for _ in 0..5 {
        let (code, token) = fresh_code();
        let row = telegram_link_code::ActiveModel {
            account_id: Set(user.account_id),
            code_hash: Set(token_hash(&code)),
            token_hash: Set(token_hash(&token)),
            expires_at: Set(now + Duration::minutes(CODE_MINUTES)),
            used_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        };
        match row.insert(db).await {
            Ok(_) => {
                return Ok(LinkCodeDto {
                    deep_link: bot.map(|b| format!("https://t.me/{b}?start={token}")),
                    code,
                    minutes: CODE_MINUTES as u32,
                })
            }
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::Internal)
}

/// 8 digits to type and a 43-character token for the deep link
/// (`[A-Za-z0-9_-]`, as Telegram's `start` parameter allows).
fn fresh_code() -> (String, String) {
    use rand::{Rng, RngCore};
    let mut rng = rand::rngs::OsRng;
    let code = format!("{:08}", rng.gen_range(0..100_000_000u32));
    let mut bytes = [0u8; 32];
    rng.fill_bytes(&mut bytes);
    (code, data_encoding::BASE64URL_NOPAD.encode(&bytes))
}

/// Why a link code was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Wrong, expired or already used (the bot does not say which).
    Invalid,
    /// Too many wrong codes from this chat; try again in so many minutes.
    Locked { minutes: u32 },
    /// The chat is linked to another member: unlink it first.
    ChatTaken,
    /// The account cannot be used (disabled, unconfirmed, not a member's).
    AccountUnusable,
}

/// The chat's row, made on first contact; `lang` is what it last used.
pub async fn touch_chat<C: ConnectionTrait>(
    db: &C,
    chat_id: i64,
    lang: Locale,
    now: DateTime<Utc>,
) -> Result<telegram_chat::Model, AppError> {
    let row = telegram_chat::ActiveModel {
        chat_id: Set(chat_id),
        person_id: Set(None),
        lang: Set(lang.code().to_string()),
        link_misses: Set(0),
        misses_since: Set(None),
        linked_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    match telegram_chat::Entity::insert(row)
        .on_conflict(
            OnConflict::column(telegram_chat::Column::ChatId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await
    {
        Ok(_) | Err(sea_orm::DbErr::RecordNotInserted) => {}
        Err(e) => return Err(e.into()),
    }
    let chat = telegram_chat::Entity::find()
        .filter(telegram_chat::Column::ChatId.eq(chat_id))
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    if chat.lang != lang.code() {
        let mut am = chat.clone().into_active_model();
        am.lang = Set(lang.code().to_string());
        return Ok(am.update(db).await?);
    }
    Ok(chat)
}

/// The member a chat is linked to, as a signed-in user of their account;
/// `None` for an unlinked chat or an account that cannot be used (disabled,
/// unconfirmed, or no longer a member's).
pub async fn chat_user<C: ConnectionTrait>(
    db: &C,
    chat_id: i64,
) -> Result<Option<CurrentUser>, AppError> {
    let Some(pid) = telegram_chat::Entity::find()
        .filter(telegram_chat::Column::ChatId.eq(chat_id))
        .one(db)
        .await?
        .and_then(|c| c.person_id)
    else {
        return Ok(None);
    };
    let Some(acc) = account::Entity::find()
        .filter(account::Column::PersonId.eq(pid))
        .one(db)
        .await?
        .filter(usable)
    else {
        return Ok(None);
    };
    load_user(db, acc).await.map(Some)
}

fn usable(acc: &account::Model) -> bool {
    acc.role == Role::Visitor && acc.disabled_at.is_none() && acc.pending_since.is_none()
}

/// Link a chat with a code typed into the bot or a deep-link token. Wrong,
/// expired and used codes are refused alike and counted; after
/// [`MAX_MISSES`] in an hour the chat is refused even the right code. The
/// code is spent, the chat linked (a chat the member linked before is
/// unlinked: one chat per member) and the link audited, in one transaction.
pub async fn redeem(
    db: &sea_orm::DatabaseConnection,
    chat: &telegram_chat::Model,
    input: &str,
    now: DateTime<Utc>,
) -> Result<Result<CurrentUser, Refusal>, AppError> {
    let txn = crate::model::begin_write(db).await?;
    let chat = telegram_chat::Entity::find_by_id(chat.id)
        .one(&txn)
        .await?
        .ok_or(AppError::Internal)?;
    let window = Duration::minutes(MISS_WINDOW_MINUTES);
    let recent = chat.misses_since.is_some_and(|t| t + window > now);
    if recent && chat.link_misses >= MAX_MISSES {
        let until = chat.misses_since.unwrap_or(now) + window;
        let minutes = ((until - now).num_seconds() + 59) / 60;
        return Ok(Err(Refusal::Locked {
            minutes: minutes.max(1) as u32,
        }));
    }
    let input = input.trim();
    let found = match input.len() {
        1..=64 => {
            let h = token_hash(input);
            telegram_link_code::Entity::find()
                .filter(
                    Condition::any()
                        .add(telegram_link_code::Column::CodeHash.eq(h.clone()))
                        .add(telegram_link_code::Column::TokenHash.eq(h)),
                )
                .one(&txn)
                .await?
        }
        _ => None,
    }
    .filter(|c| c.used_at.is_none() && c.expires_at > now);
    let Some(code) = found else {
        let mut am = chat.clone().into_active_model();
        am.link_misses = Set(if recent { chat.link_misses + 1 } else { 1 });
        if !recent {
            am.misses_since = Set(Some(now));
        }
        am.update(&txn).await?;
        txn.commit().await?;
        return Ok(Err(Refusal::Invalid));
    };
    let Some(acc) = account::Entity::find_by_id(code.account_id)
        .one(&txn)
        .await?
        .filter(usable)
    else {
        return Ok(Err(Refusal::AccountUnusable));
    };
    if chat.person_id.is_some_and(|p| p != acc.person_id) {
        return Ok(Err(Refusal::ChatTaken));
    }
    let spent = telegram_link_code::Entity::update_many()
        .col_expr(
            telegram_link_code::Column::UsedAt,
            sea_orm::sea_query::Expr::value(Some(now)),
        )
        .filter(telegram_link_code::Column::Id.eq(code.id))
        .filter(telegram_link_code::Column::UsedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    if spent != 1 {
        return Ok(Err(Refusal::Invalid));
    }
    // One chat per member: an earlier chat of theirs lets go first.
    telegram_chat::Entity::update_many()
        .col_expr(
            telegram_chat::Column::PersonId,
            sea_orm::sea_query::Expr::value(Option::<i32>::None),
        )
        .filter(telegram_chat::Column::PersonId.eq(acc.person_id))
        .filter(telegram_chat::Column::Id.ne(chat.id))
        .exec(&txn)
        .await?;
    let mut am = chat.into_active_model();
    am.person_id = Set(Some(acc.person_id));
    am.linked_at = Set(Some(now));
    am.link_misses = Set(0);
    am.misses_since = Set(None);
    am.update(&txn).await?;
    let user = load_user(&txn, acc).await?;
    record(
        &txn,
        via_telegram(&user),
        user.home_center_id,
        AuditKind::TelegramLinked,
        member_subject(user.person_id),
        "",
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(user))
}

/// Hours a registration draft lives without a step.
pub const DRAFT_HOURS: i64 = 24;

/// The chat's registration in progress, unless it was abandoned a day ago.
pub fn live_draft(chat: &telegram_chat::Model, now: DateTime<Utc>) -> Option<&str> {
    match (&chat.draft, chat.draft_at) {
        (Some(d), Some(at)) if at + Duration::hours(DRAFT_HOURS) > now => Some(d),
        _ => None,
    }
}

/// Drop registration drafts abandoned for a day (they hold a name and a
/// birth date of someone who is not a member); run hourly.
pub async fn purge_drafts<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<u64, AppError> {
    Ok(telegram_chat::Entity::update_many()
        .col_expr(
            telegram_chat::Column::Draft,
            sea_orm::sea_query::Expr::value(Option::<String>::None),
        )
        .col_expr(
            telegram_chat::Column::DraftAt,
            sea_orm::sea_query::Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(telegram_chat::Column::DraftAt.lt(now - Duration::hours(DRAFT_HOURS)))
        .exec(db)
        .await?
        .rows_affected)
}

/// Keep (or with `None`, drop) the chat's registration draft.
pub async fn save_draft<C: ConnectionTrait>(
    db: &C,
    chat_id: i64,
    draft: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let at = draft.as_ref().map(|_| now);
    telegram_chat::Entity::update_many()
        .col_expr(
            telegram_chat::Column::Draft,
            sea_orm::sea_query::Expr::value(draft),
        )
        .col_expr(
            telegram_chat::Column::DraftAt,
            sea_orm::sea_query::Expr::value(at),
        )
        .filter(telegram_chat::Column::ChatId.eq(chat_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Link the chat to a member who just registered from it (their phone came
/// from Telegram's contact button); the draft goes, the link is audited.
pub async fn link_registered(
    db: &sea_orm::DatabaseConnection,
    chat_id: i64,
    user: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = crate::model::begin_write(db).await?;
    telegram_chat::Entity::update_many()
        .col_expr(
            telegram_chat::Column::PersonId,
            sea_orm::sea_query::Expr::value(Some(user.person_id)),
        )
        .col_expr(
            telegram_chat::Column::LinkedAt,
            sea_orm::sea_query::Expr::value(Some(now)),
        )
        .col_expr(
            telegram_chat::Column::Draft,
            sea_orm::sea_query::Expr::value(Option::<String>::None),
        )
        .filter(telegram_chat::Column::ChatId.eq(chat_id))
        .filter(telegram_chat::Column::PersonId.is_null())
        .exec(&txn)
        .await?;
    record(
        &txn,
        via_telegram(user),
        user.home_center_id,
        AuditKind::TelegramLinked,
        member_subject(user.person_id),
        "registered",
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The member, named as acting through the bot in the audit log.
pub fn via_telegram(user: &CurrentUser) -> Actor {
    Actor {
        account_id: Some(user.account_id),
        name: format!("{} (Telegram)", user.full_name),
    }
}

/// Record something a member did through the bot (a booking, a
/// cancellation), after the service that did it committed. The same
/// action recorded before (a button press delivered twice, answered with
/// the booking it already made) is not recorded again.
pub async fn record_action<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    center_id: Option<i32>,
    detail: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use sea_orm::PaginatorTrait;
    let seen = crate::model::audit_log::Entity::find()
        .filter(crate::model::audit_log::Column::Kind.eq(AuditKind::TelegramAction))
        .filter(crate::model::audit_log::Column::ActorAccountId.eq(user.account_id))
        .filter(crate::model::audit_log::Column::Detail.eq(detail))
        .count(db)
        .await?;
    if seen > 0 {
        return Ok(());
    }
    record(
        db,
        via_telegram(user),
        center_id,
        AuditKind::TelegramAction,
        member_subject(user.person_id),
        detail,
        now,
    )
    .await
}

/// Unlink the member's chat (from `/account`, or `/unlink` in the chat);
/// a Telegram choice of channel goes back to the default.
pub async fn unlink_person<C: ConnectionTrait>(db: &C, person_id: i32) -> Result<(), AppError> {
    telegram_chat::Entity::update_many()
        .col_expr(
            telegram_chat::Column::PersonId,
            sea_orm::sea_query::Expr::value(Option::<i32>::None),
        )
        .filter(telegram_chat::Column::PersonId.eq(person_id))
        .exec(db)
        .await?;
    person::Entity::update_many()
        .col_expr(
            person::Column::NotifyChannel,
            sea_orm::sea_query::Expr::value(Option::<String>::None),
        )
        .filter(person::Column::Id.eq(person_id))
        .filter(person::Column::NotifyChannel.eq(NotifyChannel::Telegram))
        .exec(db)
        .await?;
    Ok(())
}

/// Choose how notifications reach the member: `telegram` needs a linked
/// chat, `sms` a phone, `email` an address; `default` (or empty) is email
/// when there is an address, else a text message.
pub async fn set_channel<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    channel: &str,
) -> Result<(), AppError> {
    let channel = match channel.trim() {
        "" | "default" => None,
        c => Some(NotifyChannel::parse(c).ok_or_else(|| AppError::InvalidInput("channel".into()))?),
    };
    let p = person::Entity::find_by_id(user.person_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let refuse = |problem| AppError::Invalid {
        field: "channel".into(),
        problem,
    };
    let linked = crate::notify::outbox::linked_chat(db, p.id)
        .await?
        .is_some();
    let has_email = p.email.as_deref().is_some_and(|e| e.contains('@'));
    match channel {
        Some(NotifyChannel::Telegram) if !linked => return Err(refuse(Problem::NotLinked)),
        Some(NotifyChannel::Sms) if p.phone.is_none() => return Err(refuse(Problem::Phone)),
        Some(NotifyChannel::Email) if !has_email => return Err(refuse(Problem::Email)),
        _ => {}
    }
    let mut am = p.into_active_model();
    am.notify_channel = Set(channel);
    am.update(db).await?;
    Ok(())
}

/// For the member's data export: the linked chat and the channel.
pub async fn export_for<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
) -> Result<serde_json::Value, AppError> {
    let chats: Vec<serde_json::Value> = telegram_chat::Entity::find()
        .filter(telegram_chat::Column::PersonId.eq(person_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| {
            serde_json::json!({
                "chat_id": c.chat_id,
                "linked_at": c.linked_at,
                "lang": c.lang,
            })
        })
        .collect();
    Ok(serde_json::Value::Array(chats))
}

/// On account deletion: the chat lets go of the member, and their unused
/// link codes go.
pub async fn erase_for<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
    account_id: i32,
) -> Result<(), AppError> {
    telegram_chat::Entity::delete_many()
        .filter(telegram_chat::Column::PersonId.eq(person_id))
        .exec(db)
        .await?;
    telegram_link_code::Entity::delete_many()
        .filter(telegram_link_code::Column::AccountId.eq(account_id))
        .exec(db)
        .await?;
    Ok(())
}
