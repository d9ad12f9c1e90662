//! The Telegram bot against a local stand-in of the Bot API (no internet),
//! on SQLite and PostgreSQL: linking a chat with the code or the deep link
//! from `/account` (wrong, expired, spent codes and too many misses
//! refused), booking from the bot through the web's booking service, the
//! pass as a QR photo that the door admits, "My bookings" and cancelling,
//! clubs, events and consultations joined and left from the bot,
//! reminders by Telegram for a member who chose it (a blocked bot fails the
//! row at once), the language fallback to Kazakh, and the webhook's secret.

#[macro_use]
mod common;
#[path = "common/telegram.rs"]
mod standin;

use app::access::session::CurrentUser;
use app::domain::codes::{AuditKind, BookingStatus, OutboxKind, OutboxStatus};
use app::domain::people::Role;
use app::error::{AppError, Problem};
use app::i18n::{Locale, Msg};
use app::model::{audit_log, booking, outbox, pass};
use app::telegram::service as tg;
use common::{center_id, keys, local, make_user, now, space_of, Backend, TestDb};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use server::dispatch::{Dispatcher, Mailer};
use server::telegram::{poll_once, webhook_router, webhook_secret, BotApi, BotCtx};
use standin::{Sent, StandIn, BOT_NAME, TOKEN};

/// The bot wired to a stand-in, driven one `getUpdates` at a time.
struct Harness {
    ctx: BotCtx,
    tg: StandIn,
    offset: i32,
}

impl Harness {
    async fn new(db: &DatabaseConnection) -> Harness {
        let tg = StandIn::start().await;
        let api = BotApi::new(TOKEN, Some(&tg.url)).unwrap();
        let mut state = common::state(db);
        state.telegram_bot = Some(BOT_NAME.into());
        Harness {
            ctx: BotCtx { state, api },
            tg,
            offset: 0,
        }
    }

    async fn run(&mut self) {
        self.offset = poll_once(&self.ctx, self.offset, 0).await.unwrap();
    }

    /// A chat sends a text; what the bot answered last.
    async fn say(&mut self, chat: i64, text: &str, lang: &str) -> Sent {
        self.tg.push_text(chat, text, lang);
        self.run().await;
        self.tg.last_to(chat)
    }

    /// A chat presses the button `data` under message `on`.
    async fn press(&mut self, chat: i64, on: &Sent, data: &str) -> Sent {
        self.tg.push_callback(chat, on.message_id, data);
        self.run().await;
        self.tg.last_to(chat)
    }
}

fn button(sent: &Sent, prefix: &str) -> String {
    sent.buttons()
        .into_iter()
        .find(|b| b.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix} button in {sent:?}"))
}

async fn audits(db: &DatabaseConnection, kind: AuditKind) -> u64 {
    audit_log::Entity::find()
        .filter(audit_log::Column::Kind.eq(kind))
        .count(db)
        .await
        .unwrap()
}

/// A member of the regional center with their chat linked by a code.
async fn linked_member(db: &DatabaseConnection, h: &mut Harness, chat: i64) -> CurrentUser {
    let regional = center_id(db, "karaganda-regional").await;
    let u = make_user(db, Role::Visitor, Some(regional), "Аружан Сейітова").await;
    let code = tg::issue_link_code(db, &u, Some(BOT_NAME), now())
        .await
        .unwrap();
    let answer = h.say(chat, &code.code, "kk").await;
    assert_eq!(
        answer.text,
        app::telegram::texts::linked(u.lang, &u.first_name())
    );
    u
}

async fn link_with_the_code_and_the_deep_link(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let mut h = Harness::new(db).await;
    let a = linked_member(db, &mut h, 5001).await;
    assert_eq!(
        tg::chat_user(db, 5001).await.unwrap().map(|u| u.person_id),
        Some(a.person_id)
    );
    assert_eq!(audits(db, AuditKind::TelegramLinked).await, 1);
    // The linked member gets the menu.
    assert_eq!(
        h.tg.last_to(5001).buttons(),
        vec!["k", "m", "cd", "cl", "ev", "f"]
    );

    // Another member follows the deep link: `/start <token>`.
    let regional = center_id(db, "karaganda-regional").await;
    let b = make_user(db, Role::Visitor, Some(regional), "Bolat Nurlanov").await;
    let code = tg::issue_link_code(db, &b, Some(BOT_NAME), now())
        .await
        .unwrap();
    let link = code.deep_link.clone().unwrap();
    let prefix = format!("https://t.me/{BOT_NAME}?start=");
    let token = link.strip_prefix(&prefix).unwrap();
    assert_eq!(token.len(), 43);
    assert!(token
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
    h.say(5002, &format!("/start {token}"), "ru").await;
    assert_eq!(
        tg::chat_user(db, 5002).await.unwrap().map(|u| u.person_id),
        Some(b.person_id)
    );
    // Spent: the same code from another chat links nothing.
    let again = h.say(5003, &code.code, "kk").await;
    assert_eq!(again.text, Msg::TgCodeInvalid.text(Locale::Kk));
    assert!(tg::chat_user(db, 5003).await.unwrap().is_none());
    // A chat linked to A cannot be taken over with B's fresh code.
    let fresh = tg::issue_link_code(db, &b, Some(BOT_NAME), now())
        .await
        .unwrap();
    let taken = h.say(5001, &fresh.code, "kk").await;
    assert_eq!(taken.text, Msg::TgChatTaken.text(a.lang));
    // Unlinking from the chat lets go.
    let gone = h.say(5001, "/unlink", "kk").await;
    assert_eq!(gone.text, Msg::TgUnlinked.text(a.lang));
    assert!(tg::chat_user(db, 5001).await.unwrap().is_none());
    t.close().await;
}

async fn wrong_expired_and_spent_link_codes_are_refused(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let mut h = Harness::new(db).await;
    let regional = center_id(db, "karaganda-regional").await;
    let u = make_user(db, Role::Visitor, Some(regional), "Dana Omarova").await;
    let kk = Locale::Kk;
    // Wrong.
    let wrong = h.say(5101, "12345678", "kk").await;
    assert_eq!(wrong.text, Msg::TgCodeInvalid.text(kk));
    // Expired: issued 11 minutes ago.
    let old = tg::issue_link_code(db, &u, None, now() - chrono::Duration::minutes(11))
        .await
        .unwrap();
    assert_eq!(old.deep_link, None, "no bot name, no deep link");
    let expired = h.say(5101, &old.code, "kk").await;
    assert_eq!(expired.text, Msg::TgCodeInvalid.text(kk));
    // A newer code replaces the older one.
    let first = tg::issue_link_code(db, &u, None, now()).await.unwrap();
    let second = tg::issue_link_code(db, &u, None, now()).await.unwrap();
    let replaced = h.say(5102, &first.code, "kk").await;
    assert_eq!(replaced.text, Msg::TgCodeInvalid.text(kk));
    // Five misses in an hour: even the right code is refused.
    for guess in ["00000001", "00000002", "00000003"] {
        h.say(5101, guess, "kk").await;
    }
    let locked = h.say(5101, &second.code, "kk").await;
    assert_eq!(locked.text, app::i18n::rate_limited(kk, 60));
    assert!(tg::chat_user(db, 5101).await.unwrap().is_none());
    // The code still works from a chat that did not guess.
    h.say(5103, &second.code, "kk").await;
    assert_eq!(
        tg::chat_user(db, 5103).await.unwrap().map(|x| x.person_id),
        Some(u.person_id)
    );
    // Staff accounts get no code.
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    assert_eq!(
        tg::issue_link_code(db, &desk, None, now()).await,
        Err(AppError::Forbidden)
    );
    t.close().await;
}

/// A pass photo's QR code, read as the scan station's camera reads frames.
fn read_qr(png_bytes: &[u8]) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    let grey = &buf[..info.buffer_size()];
    let rgba: Vec<u8> = grey.iter().flat_map(|&g| [g, g, g, 255]).collect();
    app::domain::qrscan::decode_rgba(info.width as usize, info.height as usize, &rgba)
        .expect("a QR code in the photo")
}

async fn book_get_the_pass_scan_it_and_cancel(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let mut h = Harness::new(db).await;
    let regional = center_id(db, "karaganda-regional").await;
    let cowork = space_of(db, regional, "coworking").await;
    let chat = 5201;
    let u = linked_member(db, &mut h, chat).await;
    let menu = h.tg.last_to(chat);
    let centers = h.press(chat, &menu, "k").await;
    let spaces = h.press(chat, &centers, &format!("c:{regional}")).await;
    let days = h.press(chat, &spaces, &format!("s:{}:0", cowork.id)).await;
    let day = button(&days, "d:");
    let times = h.press(chat, &days, &day).await;
    let slot = button(&times, "b:");
    let photo = h.press(chat, &times, &slot).await;
    assert_eq!(photo.method, "sendPhoto");

    // One booking, confirmed, made by the member.
    let mine = booking::Entity::find()
        .filter(booking::Column::PersonId.eq(u.person_id))
        .all(db)
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    let b = mine[0].clone();
    assert_eq!(b.status, BookingStatus::Confirmed);
    assert_eq!(b.created_by, u.account_id);
    assert_eq!(format!("b:{}:{}", cowork.id, b.starts_at.timestamp()), slot);
    // The same press delivered again books nothing more.
    let replay = h.press(chat, &times, &slot).await;
    assert_eq!(replay.method, "sendPhoto");
    assert_eq!(
        booking::Entity::find()
            .filter(booking::Column::PersonId.eq(u.person_id))
            .count(db)
            .await
            .unwrap(),
        1
    );

    // The photo's QR is the pass the door admits.
    let code = read_qr(photo.photo.as_deref().unwrap());
    let issued = pass::Entity::find()
        .filter(pass::Column::BookingId.eq(b.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(code, issued.code);
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    let verdict = app::passes::scan::scan(db, &keys(), &desk, &code, b.starts_at, Locale::Kk)
        .await
        .unwrap();
    assert_eq!(verdict.code, "admitted");

    // A second booking, cancelled from "My bookings".
    let menu = h.say(chat, "/menu", "kk").await;
    let days = h.press(chat, &menu, &format!("s:{}:0", cowork.id)).await;
    let later = days
        .buttons()
        .into_iter()
        .filter(|d| d.starts_with("d:"))
        .nth(1)
        .expect("a second day with free time");
    let times = h.press(chat, &days, &later).await;
    let slot = button(&times, "b:");
    h.press(chat, &times, &slot).await;
    let second = booking::Entity::find()
        .filter(booking::Column::PersonId.eq(u.person_id))
        .filter(booking::Column::Id.ne(b.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    h.tg.push_text(chat, "/my", "kk");
    h.run().await;
    let listed = h.tg.sent_to(chat);
    let row = listed
        .iter()
        .rev()
        .find(|s| s.buttons().contains(&format!("x:{}", second.id)))
        .expect("the booking is listed with a cancel button")
        .clone();
    let done = h.press(chat, &row, &format!("x:{}", second.id)).await;
    let said = app::telegram::texts::cancelled(u.lang, "", "");
    let head = said.split(':').next().unwrap();
    assert!(done.text.starts_with(head), "{}", done.text);
    let after = booking::Entity::find_by_id(second.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.status, BookingStatus::Cancelled);
    let revoked = pass::Entity::find()
        .filter(pass::Column::BookingId.eq(second.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(revoked.revoked_at.is_some());
    // Two bookings and a cancellation, each audited once as via Telegram.
    assert_eq!(audits(db, AuditKind::TelegramAction).await, 3);
    let row = audit_log::Entity::find()
        .filter(audit_log::Column::Kind.eq(AuditKind::TelegramAction))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(row.actor_name.ends_with("(Telegram)"), "{}", row.actor_name);

    // The membership card comes as a photo of the pass the door admits.
    let card = h.press(chat, &menu, "cd").await;
    assert_eq!(card.method, "sendPhoto");
    let code = read_qr(card.photo.as_deref().unwrap());
    let verdict = app::passes::scan::scan(db, &keys(), &desk, &code, local(2, 12, 0), Locale::Kk)
        .await
        .unwrap();
    assert_eq!(verdict.code, "admitted");

    // Someone else's booking cannot be cancelled from another chat.
    let other = linked_member(db, &mut h, 5202).await;
    let menu = h.tg.last_to(5202);
    let refused = h.press(5202, &menu, &format!("x:{}", b.id)).await;
    assert_eq!(refused.text, AppError::NotFound.message(other.lang));
    // Nor can its pass be fetched, nor a disabled account act.
    let peek = h.press(5202, &menu, &format!("p:{}", issued.id)).await;
    assert_eq!(peek.method, "sendMessage");
    assert_eq!(peek.text, AppError::NotFound.message(other.lang));
    let kept = booking::Entity::find_by_id(b.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(kept.status, BookingStatus::Cancelled);
    {
        use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
        let acc = app::model::account::Entity::find_by_id(other.account_id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        let mut acc = acc.into_active_model();
        acc.disabled_at = Set(Some(now()));
        acc.update(db).await.unwrap();
    }
    let disabled = h.press(5202, &menu, "m").await;
    assert_eq!(disabled.text, server::telegram::help_text(Locale::Kk, None));
    // An unlinked chat pressing a button is told how to link.
    let stranger = h.press(5203, &menu, "k").await;
    assert_eq!(stranger.text, server::telegram::help_text(Locale::Kk, None));
    t.close().await;
}

async fn the_reminder_comes_by_telegram(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let mut h = Harness::new(db).await;
    let regional = center_id(db, "karaganda-regional").await;
    let cowork = space_of(db, regional, "coworking").await;
    // Telegram cannot be chosen before a chat is linked.
    let unlinked = make_user(db, Role::Visitor, Some(regional), "Erlan Sadykov").await;
    assert_eq!(
        tg::set_channel(db, &unlinked, "telegram").await,
        Err(AppError::Invalid {
            field: "channel".into(),
            problem: Problem::NotLinked
        })
    );
    assert!(matches!(
        tg::set_channel(db, &unlinked, "pigeon").await,
        Err(AppError::InvalidInput(_))
    ));
    let chat = 5301;
    let u = linked_member(db, &mut h, chat).await;
    tg::set_channel(db, &u, "telegram").await.unwrap();
    let b = common::fixtures::book_one(db, &u, cowork.id, local(2, 11, 0)).await;
    let at = local(2, 10, 50);
    assert!(
        app::booking::messages::queue_checkin_reminders(db, at)
            .await
            .unwrap()
            >= 1
    );
    let rows = outbox::Entity::find()
        .filter(outbox::Column::PersonId.eq(u.person_id))
        .filter(outbox::Column::Kind.eq(OutboxKind::Telegram))
        .all(db)
        .await
        .unwrap();
    assert!(
        !rows.is_empty(),
        "the reminder (and the confirmation) go to the chat"
    );
    // Nothing by email or text for this member.
    assert_eq!(
        outbox::Entity::find()
            .filter(outbox::Column::PersonId.eq(u.person_id))
            .filter(outbox::Column::Kind.ne(OutboxKind::Telegram))
            .count(db)
            .await
            .unwrap(),
        0
    );
    let d = Dispatcher::new(
        db.clone(),
        Mailer::Folder(t.dir.join("outbox")),
        "Ortalyq <no-reply@ortalyq.local>",
    )
    .unwrap()
    .with_telegram(h.ctx.api.clone());
    let stats = d.run_once(at).await.unwrap();
    assert_eq!(stats.sent as usize, rows.len());
    let reminder = rows
        .iter()
        .find(|r| r.dedupe_key.as_deref() == Some(&format!("reminder:booking:{}", b.id)))
        .expect("a reminder row");
    let payload: app::notify::outbox::TgText = serde_json::from_str(&reminder.payload).unwrap();
    assert!(h.tg.sent_to(chat).iter().any(|s| s.text == payload.text));
    // A member who blocked the bot: the row fails at once, not retried.
    h.tg.block(chat);
    app::notify::outbox::telegram(
        db,
        chat,
        (Some(u.person_id), None),
        "telegram.test",
        "x".into(),
        None,
        at,
    )
    .await
    .unwrap();
    let stats = d.run_once(at).await.unwrap();
    assert_eq!(stats.gave_up, 1);
    let failed = outbox::Entity::find()
        .filter(outbox::Column::Event.eq("telegram.test"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(failed.status, OutboxStatus::Failed);
    assert_eq!(failed.attempts, 1);
    assert!(failed.last_error.unwrap_or_default().contains("blocked"));
    // Unlinked, the member is back on the default channel.
    tg::unlink_person(db, u.person_id).await.unwrap();
    let card = tg::card(db, &u, true, Some(BOT_NAME)).await.unwrap();
    assert!(!card.linked);
    assert_eq!(card.channel, None);
    t.close().await;
}

async fn an_unsupported_language_falls_back_to_kazakh(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let mut h = Harness::new(db).await;
    let de = h.say(5401, "Hallo", "de").await;
    assert_eq!(de.text, server::telegram::help_text(Locale::Kk, None));
    let ru = h.say(5402, "Привет", "ru").await;
    assert_eq!(ru.text, server::telegram::help_text(Locale::Ru, None));
    let en = h.say(5403, "/start", "en-GB").await;
    assert_eq!(en.text, server::telegram::help_text(Locale::En, None));
    t.close().await;
}

async fn the_webhook_checks_its_secret(backend: Backend) {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let h = Harness::new(db).await;
    let secret = webhook_secret(TOKEN);
    // Through the whole application router, as `serve` mounts it.
    let app = server::router_with(
        common::state(db),
        server::ops::Ops {
            telegram_webhook: Some(webhook_router(h.ctx.clone(), secret.clone())),
            ..Default::default()
        },
    );
    let update = serde_json::json!({"update_id": 9, "message": {
        "message_id": 1, "date": 1796100000,
        "chat": {"id": 5501, "type": "private", "first_name": "A"},
        "from": {"id": 5501, "is_bot": false, "first_name": "A", "language_code": "ru"},
        "text": "hi"}})
    .to_string();
    for header in [None, Some("wrong"), Some(&secret[..63])] {
        let mut req = Request::post("/telegram/webhook");
        if let Some(v) = header {
            req = req.header("x-telegram-bot-api-secret-token", v);
        }
        let resp = app
            .clone()
            .oneshot(req.body(Body::from(update.clone())).unwrap())
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
        // Under the router's layers: security headers on every answer.
        assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    }
    let resp = app
        .oneshot(
            Request::post("/telegram/webhook")
                .header("x-telegram-bot-api-secret-token", &secret)
                .body(Body::from(update))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    for _ in 0..100 {
        if !h.tg.sent_to(5501).is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        h.tg.last_to(5501).text,
        server::telegram::help_text(Locale::Ru, None)
    );
    t.close().await;
}

async fn people(db: &DatabaseConnection) -> u64 {
    app::model::person::Entity::find().count(db).await.unwrap()
}

async fn register_a_minor_asks_for_consent(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let mut h = Harness::new(db).await;
    let regional = center_id(db, "karaganda-regional").await;
    let kk = Locale::Kk;
    let chat = 5601;
    let before = people(db).await;
    let again = Msg::TgRegAgain.text(kk);
    assert_eq!(
        h.say(chat, "/register", "kk").await.text,
        Msg::TgRegName.text(kk)
    );
    assert_eq!(
        h.say(chat, "Аружан  Сейітова", "kk").await.text,
        Msg::TgRegBirthDate.text(kk)
    );
    // An impossible date is asked again; nothing is written.
    h.say(chat, "31.02.2011", "kk").await;
    assert!(h.tg.sent_to(chat).iter().any(|s| s.text == again));
    let centers = h.say(chat, "15.03.2011", "kk").await;
    let settlement = h.press(chat, &centers, &format!("r:c:{regional}")).await;
    assert_eq!(settlement.buttons(), vec!["r:s:city", "r:s:rural"]);
    let occupation = h.press(chat, &settlement, "r:s:rural").await;
    let education = h.press(chat, &occupation, "r:o:pupil").await;
    let guardian = h.press(chat, &education, "r:e:basic").await;
    assert_eq!(guardian.text, Msg::TgRegGuardianName.text(kk));
    h.say(chat, "Гүлнар Сейітова", "kk").await;
    let contact = h.say(chat, "+7 701 555 44 33", "kk").await;
    assert_eq!(contact.text, Msg::TgRegContact.text(kk));
    let keyboard = contact.reply_markup.clone().unwrap();
    assert_eq!(keyboard["keyboard"][0][0]["request_contact"], true);
    // A typed number or someone else's contact is refused.
    h.say(chat, "+77015554400", "kk").await;
    let sent = h.tg.sent_to(chat);
    assert_eq!(sent[sent.len() - 2].text, again);
    h.tg.push_contact(chat, "+77015554400", 999);
    h.run().await;
    assert_eq!(h.tg.last_to(chat).text, Msg::TgRegContactOwn.text(kk));
    assert_eq!(people(db).await, before, "nothing written before the end");
    // Their own number: registered, linked, the guardian asked for consent.
    h.tg.push_contact(chat, "+7 701 555 44 00", chat);
    h.run().await;
    let u = tg::chat_user(db, chat).await.unwrap().expect("linked");
    assert_eq!(u.full_name, "Аружан Сейітова");
    let p = app::model::person::Entity::find_by_id(u.person_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(p.phone.as_deref(), Some("+77015554400"));
    assert_eq!(p.guardian_phone.as_deref(), Some("+77015554433"));
    let texts = common::queued_texts(db).await;
    let to_guardian = texts
        .iter()
        .find(|m| m.to == "+77015554433")
        .expect("the guardian's consent code by text message");
    assert!(to_guardian.secret.as_deref().is_some_and(|c| c.len() == 6));
    let last = h.tg.last_to(chat);
    assert!(last.text.contains("***"), "{}", last.text);
    // Booking waits for the consent.
    let cowork = space_of(db, regional, "coworking").await;
    let days = h.press(chat, &last, &format!("s:{}:0", cowork.id)).await;
    let day = button(&days, "d:");
    let times = h.press(chat, &days, &day).await;
    let slot = button(&times, "b:");
    let refused = h.press(chat, &times, &slot).await;
    assert_eq!(refused.text, AppError::ConsentRequired.message(u.lang));

    // Twelve years old: told so, nothing kept.
    let young = 5602;
    h.say(young, "/register", "ru").await;
    h.say(young, "Малыш Тестов", "ru").await;
    let no = h.say(young, "01.01.2014", "ru").await;
    assert_eq!(no.text, AppError::TooYoung.message(Locale::Ru));
    assert_eq!(
        h.say(young, "hello", "ru").await.text,
        server::telegram::help_text(Locale::Ru, None)
    );
    assert_eq!(people(db).await, before + 1);
    t.close().await;
}

async fn mentors_by_field_and_psychology_stays_private(backend: Backend) {
    use app::model::consultation_slot as slot;
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let mut h = Harness::new(db).await;
    let chat = 5701;
    let u = linked_member(db, &mut h, chat).await;
    let menu = h.tg.last_to(chat);
    let fields = h.press(chat, &menu, "f").await;
    assert_eq!(fields.buttons().len(), 7);
    assert!(fields.buttons().contains(&"f:psychology".to_string()));
    for (field, audited) in [("it", 1), ("psychology", 1)] {
        let listed = h.press(chat, &fields, &format!("f:{field}")).await;
        let time = button(&listed, "t:");
        let done = h.press(chat, &listed, &time).await;
        let id: i32 = time[2..].parse().unwrap();
        let booked = slot::Entity::find_by_id(id).one(db).await.unwrap().unwrap();
        assert_eq!(booked.booked_by, Some(u.person_id));
        assert!(done.buttons().contains(&"k".to_string()), "{done:?}");
        // Only the IT consultation is in the audit log.
        assert_eq!(audits(db, AuditKind::TelegramAction).await, audited);
    }
    // A time already taken is refused as on the web.
    let listed = h.press(chat, &fields, "f:it").await;
    let other = linked_member(db, &mut h, 5702).await;
    let time = button(&listed, "t:");
    let done = h.press(chat, &listed, &time).await;
    let refused = h.press(5702, &listed, &time).await;
    assert_eq!(
        refused.text,
        AppError::ConsultationTaken.message(other.lang)
    );

    // Cancelling: under the confirmation and under "My bookings". Another
    // member's press finds nothing; the member's frees the time.
    let id: i32 = time[2..].parse().unwrap();
    let cancel = format!("tx:{id}");
    assert!(done.buttons().contains(&cancel), "{done:?}");
    let before = h.tg.sent_to(chat).len();
    h.press(chat, &menu, "m").await;
    let mine: Vec<Sent> = h.tg.sent_to(chat).split_off(before);
    assert_eq!(
        mine.iter()
            .filter(|s| s.buttons().iter().any(|b| b.starts_with("tx:")))
            .count(),
        3,
        "the three consultations ahead: {mine:?}"
    );
    let refused = h.press(5702, &menu, &cancel).await;
    assert_eq!(refused.text, AppError::NotFound.message(other.lang));
    let audited = audits(db, AuditKind::TelegramAction).await;
    let cancelled = h.press(chat, &menu, &cancel).await;
    assert!(
        cancelled
            .text
            .starts_with(Msg::ConsultationCancelled.text(u.lang)),
        "{cancelled:?}"
    );
    let freed = slot::Entity::find_by_id(id).one(db).await.unwrap().unwrap();
    assert_eq!(freed.booked_by, None);
    assert_eq!(audits(db, AuditKind::TelegramAction).await, audited + 1);
    // A psychology consultation is cancelled without an audit entry.
    let private = slot::Entity::find()
        .filter(slot::Column::BookedBy.eq(u.person_id))
        .filter(slot::Column::Field.eq(app::domain::consultation::Field::Psychology))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    h.press(chat, &menu, &format!("tx:{}", private.id)).await;
    let freed = slot::Entity::find_by_id(private.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(freed.booked_by, None);
    assert_eq!(audits(db, AuditKind::TelegramAction).await, audited + 1);
    t.close().await;
}

async fn join_a_club_and_register_for_an_event(backend: Backend) {
    use app::model::{club_member, event_registration};
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let mut h = Harness::new(db).await;
    let chat = 5801;
    let u = linked_member(db, &mut h, chat).await;
    let menu = h.tg.last_to(chat);
    // Clubs of the member's center, each with a join button.
    h.press(chat, &menu, "cl").await;
    let listed = h.tg.sent_to(chat);
    let join = listed
        .iter()
        .rev()
        .flat_map(Sent::buttons)
        .find(|b| b.starts_with("j:"))
        .expect("a club to join");
    let joined = h.press(chat, &menu, &join).await;
    let club: i32 = join[2..].parse().unwrap();
    let row = club_member::Entity::find()
        .filter(club_member::Column::ClubId.eq(club))
        .filter(club_member::Column::PersonId.eq(u.person_id))
        .one(db)
        .await
        .unwrap();
    assert!(row.is_some(), "joined or waiting: {}", joined.text);
    // Events, registering for the first.
    h.press(chat, &menu, "ev").await;
    let register =
        h.tg.sent_to(chat)
            .iter()
            .rev()
            .flat_map(Sent::buttons)
            .find(|b| b.starts_with("e:"))
            .expect("an event ahead");
    h.press(chat, &menu, &register).await;
    let event: i32 = register[2..].parse().unwrap();
    assert!(event_registration::Entity::find()
        .filter(event_registration::Column::EventId.eq(event))
        .filter(event_registration::Column::PersonId.eq(u.person_id))
        .one(db)
        .await
        .unwrap()
        .is_some());
    assert_eq!(audits(db, AuditKind::TelegramAction).await, 2);

    // Listed again, the club offers to leave it, and the event to cancel
    // the registration; both go through the web's services.
    h.press(chat, &menu, "cl").await;
    let leave = format!("lv:{club}");
    assert!(
        h.tg.sent_to(chat)
            .iter()
            .any(|s| s.buttons().contains(&leave)),
        "a leave button under the joined club"
    );
    let was = row.unwrap().status;
    let left = h.press(chat, &menu, &leave).await;
    let want = match was {
        app::domain::codes::ClubPlace::Waiting => Msg::LeftWaitlist,
        _ => Msg::LeftClub,
    };
    assert_eq!(left.text, want.text(u.lang));
    let now_row = club_member::Entity::find()
        .filter(club_member::Column::ClubId.eq(club))
        .filter(club_member::Column::PersonId.eq(u.person_id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(now_row.status, app::domain::codes::ClubPlace::Left);
    // Pressed again (an old message): refused as on the web, nothing changes.
    let again = h.press(chat, &menu, &leave).await;
    assert_eq!(again.text, AppError::NotFound.message(u.lang));
    h.press(chat, &menu, "ev").await;
    let unregister = format!("ue:{event}");
    assert!(h
        .tg
        .sent_to(chat)
        .iter()
        .any(|s| s.buttons().contains(&unregister)));
    let done = h.press(chat, &menu, &unregister).await;
    assert_eq!(done.text, Msg::CancelledRegistration.text(u.lang));
    let reg = event_registration::Entity::find()
        .filter(event_registration::Column::EventId.eq(event))
        .filter(event_registration::Column::PersonId.eq(u.person_id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(reg.status, app::domain::codes::EventPlace::Cancelled);
    // The button acts for the chat's own member only: another member's
    // press of it finds no registration of theirs.
    let other = linked_member(db, &mut h, 5802).await;
    let refused = h.press(5802, &menu, &format!("ue:{event}")).await;
    assert_eq!(refused.text, AppError::NotFound.message(other.lang));
    assert_eq!(audits(db, AuditKind::TelegramAction).await, 4);
    t.close().await;
}

async fn the_account_page_offers_telegram_only_with_a_bot(backend: Backend) {
    use axum::body::Body;
    use axum::http::{header, Request, StatusCode};
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let u = make_user(db, Role::Visitor, Some(regional), "Saule Abenova").await;
    let cookie = common::callers::session_cookie(db, u.account_id).await;
    // No bot configured: the page is as before.
    let plain = server::router(common::state(db));
    let page = common::http::fetch(&plain, "/account", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text().contains("telegram-card"));
    // With a bot: the card, and a code with the deep link from the server fn.
    let mut state = common::state(db);
    state.telegram_bot = Some(BOT_NAME.into());
    let app = server::router(state);
    let page = common::http::fetch(&app, "/account", Some(&cookie)).await;
    assert!(page.text().contains("telegram-card"), "{}", page.text());
    assert!(page.text().contains("telegram-get-code"));
    let req = Request::post("/api/telegram_link_code")
        .header(header::COOKIE, &cookie)
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::empty())
        .unwrap();
    let (status, body, _) = common::http::send(&app, req).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let code: app::telegram::dto::LinkCodeDto = serde_json::from_str(&body).unwrap();
    assert_eq!(code.code.len(), 8);
    assert!(code
        .deep_link
        .unwrap()
        .starts_with(&format!("https://t.me/{BOT_NAME}?start=")));
    t.close().await;
}

on_both_databases!(
    the_account_page_offers_telegram_only_with_a_bot,
    join_a_club_and_register_for_an_event,
    mentors_by_field_and_psychology_stays_private,
    register_a_minor_asks_for_consent,
    link_with_the_code_and_the_deep_link,
    wrong_expired_and_spent_link_codes_are_refused,
    book_get_the_pass_scan_it_and_cancel,
    the_reminder_comes_by_telegram,
    an_unsupported_language_falls_back_to_kazakh,
    the_webhook_checks_its_secret,
);
