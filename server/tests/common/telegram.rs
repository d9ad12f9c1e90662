//! A stand-in for Telegram's Bot API on a free local port: it answers
//! `getMe`, `getUpdates` (from a queue the test fills), `sendMessage`,
//! `sendPhoto` (multipart), `answerCallbackQuery`, `setWebhook` and
//! `deleteWebhook` as Telegram does, refuses other tokens, and records what
//! the bot sent. Used by `tests/telegram.rs` only.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::Json;
use serde_json::{json, Value};

pub const TOKEN: &str = "123456:TEST-token_abc";
pub const BOT_NAME: &str = "ortalyq_test_bot";

/// One message the bot sent.
#[derive(Clone, Debug, Default)]
pub struct Sent {
    pub method: String,
    /// The id Telegram gave the sent message (buttons are pressed on it).
    pub message_id: i64,
    pub chat_id: i64,
    pub text: String,
    pub reply_markup: Option<Value>,
    pub photo: Option<Vec<u8>>,
}

impl Sent {
    /// The callback data of every inline button, in order.
    pub fn buttons(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(rows) = self
            .reply_markup
            .as_ref()
            .and_then(|m| m["inline_keyboard"].as_array())
        {
            for row in rows {
                for b in row.as_array().into_iter().flatten() {
                    if let Some(d) = b["callback_data"].as_str() {
                        out.push(d.to_string());
                    }
                }
            }
        }
        out
    }
}

#[derive(Default)]
struct Inner {
    updates: VecDeque<Value>,
    next_update: i64,
    next_message: i64,
    sent: Vec<Sent>,
    /// Chats whose messages Telegram refuses: the member blocked the bot.
    blocked: Vec<i64>,
}

#[derive(Clone, Default)]
pub struct StandIn {
    inner: Arc<Mutex<Inner>>,
    pub url: String,
}

fn ok(result: Value) -> Json<Value> {
    Json(json!({"ok": true, "result": result}))
}

fn user(id: i64, lang: &str) -> Value {
    json!({"id": id, "is_bot": false, "first_name": "Аружан", "language_code": lang})
}

fn chat(id: i64) -> Value {
    json!({"id": id, "type": "private", "first_name": "Аружан"})
}

impl StandIn {
    pub async fn start() -> StandIn {
        let mut s = StandIn::default();
        let app = axum::Router::new()
            .route("/{bot}/{method}", axum::routing::post(answer))
            .with_state(s.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        s.url = format!("http://{addr}/");
        s
    }

    fn push(&self, mut update: Value) {
        let mut g = self.inner.lock().unwrap();
        g.next_update += 1;
        update["update_id"] = json!(g.next_update);
        g.updates.push_back(update);
    }

    /// A text from a private chat whose Telegram app speaks `lang`.
    pub fn push_text(&self, chat_id: i64, text: &str, lang: &str) {
        self.push(json!({"message": {
            "message_id": 1, "date": 1796100000, "chat": chat(chat_id),
            "from": user(chat_id, lang), "text": text,
        }}));
    }

    /// A contact shared from a private chat (the contact button sends the
    /// sender's own, with their `user_id`).
    pub fn push_contact(&self, chat_id: i64, phone: &str, user_id: i64) {
        self.push(json!({"message": {
            "message_id": 1, "date": 1796100000, "chat": chat(chat_id),
            "from": user(chat_id, "kk"),
            "contact": {"phone_number": phone, "first_name": "Аружан", "user_id": user_id},
        }}));
    }

    /// A press of an inline button under message `message_id`.
    pub fn push_callback(&self, chat_id: i64, message_id: i64, data: &str) {
        let id = format!("cb{}", self.inner.lock().unwrap().next_update + 1);
        self.push(json!({"callback_query": {
            "id": id, "from": user(chat_id, "kk"), "chat_instance": "ci1",
            "message": {"message_id": message_id, "date": 1796100000, "chat": chat(chat_id), "text": "…"},
            "data": data,
        }}));
    }

    /// Refuse messages to a chat as Telegram does once the bot is blocked.
    pub fn block(&self, chat_id: i64) {
        self.inner.lock().unwrap().blocked.push(chat_id);
    }

    pub fn sent(&self) -> Vec<Sent> {
        self.inner.lock().unwrap().sent.clone()
    }

    pub fn sent_to(&self, chat_id: i64) -> Vec<Sent> {
        self.sent()
            .into_iter()
            .filter(|s| s.chat_id == chat_id)
            .collect()
    }

    /// The last message (or photo) sent to a chat.
    pub fn last_to(&self, chat_id: i64) -> Sent {
        self.sent_to(chat_id).pop().expect("the bot sent something")
    }
}

async fn answer(
    State(s): State<StandIn>,
    Path((bot, method)): Path<(String, String)>,
    req: Request,
) -> Json<Value> {
    if bot != format!("bot{TOKEN}") {
        return Json(json!({"ok": false, "error_code": 401, "description": "Unauthorized"}));
    }
    // Telegram takes method names in any case (teloxide writes `GetMe`).
    let method = match method.to_ascii_lowercase().as_str() {
        "getme" => "getMe",
        "getupdates" => "getUpdates",
        "sendmessage" => "sendMessage",
        "sendphoto" => "sendPhoto",
        _ => "other",
    }
    .to_string();
    match method.as_str() {
        "getMe" => ok(json!({
            "id": 777000, "is_bot": true, "first_name": "Ortalyq", "username": BOT_NAME,
            "can_join_groups": false, "can_read_all_group_messages": false,
            "supports_inline_queries": false, "can_connect_to_business": false,
            "has_main_web_app": false,
        })),
        "getUpdates" => {
            let Json(body): Json<Value> = Json::from_request(req, &()).await.unwrap();
            let offset = body["offset"].as_i64().unwrap_or(0);
            let mut g = s.inner.lock().unwrap();
            g.updates
                .retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
            ok(Value::Array(g.updates.iter().cloned().collect()))
        }
        "sendMessage" => {
            let Json(body): Json<Value> = Json::from_request(req, &()).await.unwrap();
            let chat_id = body["chat_id"].as_i64().unwrap_or(0);
            let sent = Sent {
                method,
                message_id: 0,
                chat_id,
                text: body["text"].as_str().unwrap_or_default().to_string(),
                reply_markup: body.get("reply_markup").cloned(),
                photo: None,
            };
            s.record(sent)
        }
        "sendPhoto" => {
            let mut form = Multipart::from_request(req, &()).await.unwrap();
            let mut fields: HashMap<String, Vec<u8>> = HashMap::new();
            while let Some(f) = form.next_field().await.unwrap() {
                let name = f.name().unwrap_or_default().to_string();
                fields.insert(name, f.bytes().await.unwrap().to_vec());
            }
            let text = |k: &str| {
                String::from_utf8_lossy(fields.get(k).map(Vec::as_slice).unwrap_or_default())
                    .to_string()
            };
            let sent = Sent {
                method,
                message_id: 0,
                chat_id: text("chat_id").trim().parse().unwrap_or(0),
                text: text("caption"),
                reply_markup: None,
                // The file is a part of its own, named by `attach://<name>`.
                photo: match text("photo").strip_prefix("attach://") {
                    Some(part) => fields.get(part).cloned(),
                    None => fields.get("photo").cloned(),
                },
            };
            s.record(sent)
        }
        _ => ok(json!(true)),
    }
}

impl StandIn {
    fn record(&self, mut sent: Sent) -> Json<Value> {
        let mut g = self.inner.lock().unwrap();
        if g.blocked.contains(&sent.chat_id) {
            return Json(json!({"ok": false, "error_code": 403,
                "description": "Forbidden: bot was blocked by the user"}));
        }
        g.next_message += 1;
        sent.message_id = g.next_message + 100;
        let mut msg = json!({"message_id": sent.message_id, "date": 1796100000,
            "chat": chat(sent.chat_id)});
        if sent.photo.is_some() {
            msg["photo"] =
                json!([{"file_id": "f1", "file_unique_id": "u1", "width": 330, "height": 330}]);
            msg["caption"] = json!(sent.text);
        } else {
            msg["text"] = json!(sent.text);
        }
        g.sent.push(sent);
        ok(msg)
    }
}
