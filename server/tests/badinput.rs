//! Bad input: every registered server fn gets malformed and oversized
//! bodies, wrong types, unknown enum values, impossible dates, NUL bytes and
//! SQL/HTML injection strings in every one of its fields. The answer is
//! always a 2xx (the input was legitimately valid text) or a 4xx carrying
//! the app's error shape with a localized message — never a 5xx or a panic —
//! and a refused call writes no rows.

#[macro_use]
mod common;

use std::collections::BTreeMap;

use app::domain::people::Role;
use app::error::AppError;
use app::i18n::Locale;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::callers::{person_by_email, session_cookie, user_by_email};
use common::fixtures::{book_one, pass_of, pending_hall_request};
use common::http::send;
use common::{local, make_user, now, Backend, TestDb};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// Values put into each field in turn, the others keeping a valid value.
fn bad_values() -> Vec<String> {
    vec![
        String::new(),
        // Not a number.
        "abc".into(),
        "-1".into(),
        // Past every integer type's range.
        "99999999999999999999999".into(),
        // An enum value nobody defined.
        "not_a_known_value".into(),
        // SQL injection.
        "' OR '1'='1'; DROP TABLE bookings; --".into(),
        // HTML / script injection.
        "\"><script>alert('x')</script>".into(),
        // PostgreSQL refuses NUL in text.
        "a\u{0}b".into(),
        // Control and bidi characters, astral plane.
        "\u{202e}\u{7}Ω😀".into(),
        // An impossible date.
        "2026-02-30".into(),
        // Long: past any field's limit, under the body limit.
        "x".repeat(50_000),
    ]
}

/// Who calls an endpoint: the admin reaches the most validation; mentor
/// and visitor fns are called by those.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Admin,
    Mentor,
    Visitor,
    /// A new session for every call (logout ends it).
    Fresh,
}

struct Endpoint {
    path: &'static str,
    who: Who,
    /// Valid values for every field, as a form sends them.
    fields: Vec<(&'static str, String)>,
}

fn ep(path: &'static str, who: Who, fields: &[(&'static str, String)]) -> Endpoint {
    Endpoint {
        path,
        who,
        fields: fields.to_vec(),
    }
}

fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn form(fields: &[(&'static str, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Count every row written (inserted, updated or deleted) from here on:
/// a trigger on each table bumps that table's counter, inside the writing
/// transaction, so a write that was rolled back counts nothing. Failed
/// sign-ins are recorded on purpose (the rate limiter counts them), so
/// that table has no trigger.
async fn count_writes(db: &DatabaseConnection) {
    let backend = db.get_database_backend();
    let run = |sql: String| async move {
        db.execute_unprepared(&sql).await.unwrap();
    };
    let list = match backend {
        sea_orm::DbBackend::Sqlite => {
            "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        _ => "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'",
    };
    let tables: Vec<String> = db
        .query_all_raw(sea_orm::Statement::from_string(backend, list))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<String>("", "t").unwrap())
        .filter(|t| t != "login_attempts" && t != "seaql_migrations")
        .collect();
    run("CREATE TABLE oq_test_writes (t TEXT PRIMARY KEY, n BIGINT NOT NULL)".into()).await;
    if backend == sea_orm::DbBackend::Postgres {
        run(
            "CREATE FUNCTION oq_test_write() RETURNS trigger AS $$ BEGIN \
             UPDATE oq_test_writes SET n = n + 1 WHERE t = TG_TABLE_NAME; RETURN NULL; END \
             $$ LANGUAGE plpgsql"
                .into(),
        )
        .await;
    }
    for t in &tables {
        run(format!(
            "INSERT INTO oq_test_writes (t, n) VALUES ('{t}', 0)"
        ))
        .await;
        match backend {
            sea_orm::DbBackend::Sqlite => {
                for op in ["INSERT", "UPDATE", "DELETE"] {
                    run(format!(
                        "CREATE TRIGGER oq_test_{t}_{op} AFTER {op} ON \"{t}\" BEGIN \
                         UPDATE oq_test_writes SET n = n + 1 WHERE t = '{t}'; END"
                    ))
                    .await;
                }
            }
            _ => {
                run(format!(
                    "CREATE TRIGGER oq_test_write AFTER INSERT OR UPDATE OR DELETE ON \"{t}\" \
                     FOR EACH ROW EXECUTE FUNCTION oq_test_write()"
                ))
                .await
            }
        }
    }
}

/// Rows written so far, per table (see [`count_writes`]).
async fn writes(db: &DatabaseConnection) -> BTreeMap<String, i64> {
    let backend = db.get_database_backend();
    db.query_all_raw(sea_orm::Statement::from_string(
        backend,
        "SELECT t, n FROM oq_test_writes",
    ))
    .await
    .unwrap()
    .iter()
    .map(|r| {
        (
            r.try_get::<String>("", "t").unwrap(),
            r.try_get::<i64>("", "n").unwrap(),
        )
    })
    .collect()
}

fn post(path: &str, ctype: &str, cookie: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut req = Request::post(path)
        .header(header::CONTENT_TYPE, ctype)
        .header(header::ACCEPT, "application/json")
        .header("x-forwarded-for", "10.9.9.9");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(body.into()).unwrap()
}

const FORM: &str = "application/x-www-form-urlencoded";

struct Probe<'a> {
    app: axum::Router,
    db: &'a DatabaseConnection,
    baseline: BTreeMap<String, i64>,
    calls: usize,
    accepted: usize,
    refused: BTreeMap<u16, usize>,
    /// Every broken rule, reported together at the end.
    failures: Vec<String>,
}

impl Probe<'_> {
    /// Send one request and hold the answer to the rules.
    async fn check(&mut self, what: &str, req: Request<Body>) -> StatusCode {
        self.calls += 1;
        let (status, body, _) = send(&self.app, req).await;
        let short: String = body.chars().take(300).collect();
        if status.is_success() || status.is_redirection() {
            self.accepted += 1;
            // It was valid after all: what it wrote is the new normal.
            self.baseline = writes(self.db).await;
            return status;
        }
        let mut fail = |m: String| self.failures.push(format!("{what}: {m}"));
        if !status.is_client_error() {
            fail(format!("{status} {short}"));
            self.baseline = writes(self.db).await;
            return status;
        }
        *self.refused.entry(status.as_u16()).or_default() += 1;
        match serde_json::from_str::<AppError>(&body) {
            Err(_) => fail(format!("{status} without the app's error shape: {short}")),
            Ok(AppError::Internal | AppError::Transport(_)) => fail(format!("{status} {short}")),
            Ok(e) => {
                for l in [Locale::Kk, Locale::Ru, Locale::En] {
                    if e.message(l).trim().is_empty() {
                        fail(format!("no {l:?} message for {e:?}"));
                    }
                }
                if status != StatusCode::PAYLOAD_TOO_LARGE && status.as_u16() != e.status() {
                    fail(format!("{status} for {e:?}"));
                }
            }
        }
        let after = writes(self.db).await;
        if after != self.baseline {
            let changed: Vec<_> = after
                .iter()
                .filter(|(t, n)| self.baseline.get(*t) != Some(n))
                .collect();
            self.failures.push(format!(
                "{what}: refused with {status} but wrote {changed:?} ({short})"
            ));
            self.baseline = after;
        }
        status
    }
}

async fn every_server_fn_refuses_bad_input_cleanly(backend: Backend) {
    let started = std::time::Instant::now();
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let mut state = common::state(db);
    state.trust_proxy = true;
    let app = server::router(state);
    let regional = common::center_id(db, "karaganda-regional").await;
    let pool = common::space_of(db, regional, "coworking").await;
    let design = common::space_of(db, regional, "design_studio").await;
    let hall = common::space_of(db, regional, "lecture_hall").await;
    let admin = make_user(db, Role::Admin, None, "Admin A").await;
    let admin_cookie = session_cookie(db, admin.account_id).await;
    let psychologist = user_by_email(db, "psychologist@demo.ortalyq.kz").await;
    let mentor_cookie = session_cookie(db, psychologist.account_id).await;
    let visitor = make_user(db, Role::Visitor, Some(regional), "Visitor V").await;
    let visitor_cookie = session_cookie(db, visitor.account_id).await;
    let third = make_user(db, Role::Visitor, Some(regional), "Third Member").await;
    let minor = person_by_email(db, "minor@demo.ortalyq.kz").await.id;
    let booking = book_one(db, &third, pool.id, local(3, 12, 0)).await;
    let pass_code = pass_of(db, booking.id).await.code;
    let pending = pending_hall_request(db, &third, hall.id).await;
    macro_rules! first {
        ($q:expr $(,)?) => {
            $q.one(db).await.unwrap().unwrap()
        };
    }
    let club: app::model::club::Model = first!(app::model::club::Entity::find());
    let club_session: app::model::club_session::Model =
        first!(app::model::club_session::Entity::find()
            .filter(app::model::club_session::Column::ClubId.eq(club.id)),);
    let event: app::model::event::Model = first!(app::model::event::Entity::find());
    let program: app::model::program::Model = first!(app::model::program::Entity::find());
    let application: app::model::program_application::Model =
        first!(app::model::program_application::Entity::find());
    let program_session: app::model::program_session::Model =
        first!(app::model::program_session::Entity::find()
            .filter(app::model::program_session::Column::ProgramId.eq(program.id)),);
    let slot: app::model::consultation_slot::Model =
        first!(app::model::consultation_slot::Entity::find()
            .filter(app::model::consultation_slot::Column::BookedBy.is_null()),);
    let item: app::model::equipment_item::Model =
        first!(app::model::equipment_item::Entity::find()
            .filter(app::model::equipment_item::Column::LabelCode.eq("EQ-0005")),);
    let number = app::domain::membership::member_number(third.person_id);

    let (c, s, p) = (
        regional.to_string(),
        pool.id.to_string(),
        third.person_id.to_string(),
    );
    let v = |x: &str| x.to_string();
    use Who::*;
    let endpoints = vec![
        ep("/api/whoami", Admin, &[]),
        ep("/api/centers", Admin, &[]),
        ep("/api/center", Admin, &[("center_id", c.clone())]),
        ep(
            "/api/availability",
            Admin,
            &[("space_id", s.clone()), ("week", v("0"))],
        ),
        ep(
            "/api/login",
            Admin,
            &[
                ("login", v("visitor@demo.ortalyq.kz")),
                ("password", v("wrong")),
            ],
        ),
        ep(
            "/api/register",
            Admin,
            &[
                ("form[full_name]", v("Aigerim Bad Input")),
                ("form[birth_date]", v("2000-01-01")),
                ("form[phone]", v("+77010009999")),
                ("form[email]", v("bad.input@example.kz")),
                ("form[password]", v("long-enough-password")),
                ("form[lang]", v("ru")),
                ("form[home_center_id]", c.clone()),
                ("form[settlement]", v("city")),
                ("form[occupation]", v("student")),
                ("form[education]", v("bachelor")),
                ("form[iin]", v("")),
                ("form[guardian_name]", v("")),
                ("form[guardian_phone]", v("")),
            ],
        ),
        ep("/api/logout", Fresh, &[]),
        ep(
            "/api/change_password",
            Admin,
            &[
                ("current_password", v("wrong")),
                ("new_password", v("whatever-long-1")),
            ],
        ),
        ep(
            "/api/reset_password",
            Admin,
            &[
                ("login", v("visitor@demo.ortalyq.kz")),
                ("code", v("00000000")),
                ("new_password", v("whatever-long-1")),
            ],
        ),
        ep("/api/my_card", Admin, &[]),
        ep("/api/delete_my_account", Visitor, &[("confirm", v("no"))]),
        ep("/api/list_staff", Admin, &[]),
        ep(
            "/api/set_account_disabled",
            Admin,
            &[("account_id", v("999999")), ("disabled", v("true"))],
        ),
        ep(
            "/api/update_staff",
            Admin,
            &[
                ("account_id", v("999999")),
                ("form[role]", v("front_desk")),
                ("form[centers][0]", c.clone()),
            ],
        ),
        ep(
            "/api/end_account_sessions",
            Admin,
            &[("account_id", v("999999"))],
        ),
        ep(
            "/api/create_account",
            Admin,
            &[
                ("form[full_name]", v("Staff Bad Input")),
                ("form[email]", v("staff.bad@example.kz")),
                ("form[phone]", v("")),
                ("form[role]", v("front_desk")),
                ("form[centers][0]", c.clone()),
                ("form[birth_date]", v("1990-01-01")),
                ("form[override_reason]", v("")),
            ],
        ),
        ep("/api/api_tokens", Admin, &[]),
        ep(
            "/api/create_api_token",
            Admin,
            &[
                ("form[name]", v("Telegram bot")),
                ("form[center_id]", c.clone()),
                ("form[scopes][0]", v("read")),
                ("form[rate_per_minute]", v("60")),
            ],
        ),
        ep("/api/revoke_api_token", Admin, &[("id", v("1"))]),
        ep("/api/send_guardian_code", Admin, &[]),
        ep(
            "/api/confirm_guardian_consent",
            Admin,
            &[
                ("child_login", v("minor@demo.ortalyq.kz")),
                ("code", v("000000")),
            ],
        ),
        ep(
            "/api/confirm_signup",
            Admin,
            &[("login", v("+77010000001")), ("code", v("00000000"))],
        ),
        ep(
            "/api/resend_signup_code",
            Admin,
            &[("login", v("nobody@example.kz"))],
        ),
        ep("/api/member_brief", Admin, &[("person_id", p.clone())]),
        ep("/api/desk_members", Admin, &[("query", v("Third"))]),
        ep(
            "/api/record_consent",
            Admin,
            &[("person_id", minor.to_string())],
        ),
        ep("/api/issue_reset_code", Admin, &[("person_id", p.clone())]),
        ep(
            "/api/book",
            Admin,
            &[
                ("space_id", s.clone()),
                ("starts_at", local(2, 15, 0).timestamp().to_string()),
                ("minutes", v("60")),
                ("party_size", v("1")),
                ("purpose", v("Study")),
                ("weeks", v("1")),
                ("request_id", v("abcdef123456")),
                ("for_person", p.clone()),
            ],
        ),
        ep(
            "/api/reschedule",
            Admin,
            &[
                ("booking_id", booking.id.to_string()),
                ("starts_at", local(3, 14, 0).timestamp().to_string()),
                ("minutes", v("60")),
            ],
        ),
        ep("/api/my_bookings", Admin, &[]),
        ep("/api/cancel_booking", Admin, &[("booking_id", v("999999"))]),
        ep("/api/pending_requests", Admin, &[]),
        ep(
            "/api/decide_request",
            Admin,
            &[
                ("booking_id", pending.to_string()),
                ("approve", v("false")),
                ("reason", v("Busy")),
            ],
        ),
        ep("/api/managed_spaces", Admin, &[]),
        ep("/api/space_rules", Admin, &[("space_id", s.clone())]),
        ep(
            "/api/save_space_rules",
            Admin,
            &[
                ("space_id", s.clone()),
                ("rules[capacity]", v("20")),
                ("rules[max_party]", v("20")),
                ("rules[slot_minutes]", v("60")),
                ("rules[min_minutes]", v("60")),
                ("rules[max_minutes]", v("240")),
                ("rules[buffer_minutes]", v("0")),
                ("rules[min_notice_minutes]", v("0")),
                ("rules[max_advance_days]", v("14")),
                ("rules[cancel_notice_minutes]", v("60")),
                ("rules[min_age]", v("0")),
                ("rules[checkin_open_minutes]", v("15")),
                ("rules[no_show_minutes]", v("15")),
                ("rules[requires_approval]", v("false")),
                ("rules[requires_induction]", v("false")),
            ],
        ),
        ep(
            "/api/new_space_form",
            Admin,
            &[("kind", v("podcast_studio"))],
        ),
        ep("/api/space_editor", Admin, &[("space_id", s.clone())]),
        ep(
            "/api/create_space",
            Admin,
            &[
                ("details[center_id]", c.clone()),
                ("details[kind]", v("meeting_room")),
                ("details[name_kk]", v("Кеңес бөлмесі 7")),
                ("details[name_ru]", v("Переговорная 7")),
                ("details[name_en]", v("Meeting room 7")),
                ("details[description_en]", v("Ten seats.")),
                ("rules[capacity]", v("10")),
                ("rules[max_party]", v("10")),
                ("rules[slot_minutes]", v("30")),
                ("rules[min_minutes]", v("30")),
                ("rules[max_minutes]", v("120")),
                ("rules[buffer_minutes]", v("0")),
                ("rules[min_notice_minutes]", v("60")),
                ("rules[max_advance_days]", v("14")),
                ("rules[cancel_notice_minutes]", v("120")),
                ("rules[min_age]", v("0")),
                ("rules[checkin_open_minutes]", v("15")),
                ("rules[no_show_minutes]", v("15")),
                ("rules[direction]", v("")),
            ],
        ),
        ep(
            "/api/save_space_details",
            Admin,
            &[
                ("space_id", s.clone()),
                ("details[center_id]", c.clone()),
                ("details[kind]", v("coworking")),
                ("details[name_kk]", pool.name_kk.clone()),
                ("details[name_ru]", pool.name_ru.clone()),
                ("details[name_en]", pool.name_en.clone()),
                ("details[description_ru]", v("Открытое пространство.")),
            ],
        ),
        ep("/api/reactivate_space", Admin, &[("space_id", s.clone())]),
        // Without the confirmation: refused, the pool stays open.
        ep(
            "/api/deactivate_space",
            Admin,
            &[("space_id", s.clone()), ("reason", v("Ремонт"))],
        ),
        ep("/api/directions_admin", Admin, &[]),
        ep(
            "/api/save_direction",
            Admin,
            &[
                ("direction[code]", v("")),
                ("direction[name_kk]", v("Экология")),
                ("direction[name_ru]", v("Экология")),
                ("direction[name_en]", v("Ecology")),
                ("new", v("false")),
            ],
        ),
        ep(
            "/api/set_direction_retired",
            Admin,
            &[("code", v("no-such-direction")), ("retired", v("true"))],
        ),
        ep("/api/center_settings", Admin, &[("center_id", c.clone())]),
        ep(
            "/api/save_center_settings",
            Admin,
            &[
                ("center_id", c.clone()),
                ("settings[mon_opens]", v("09:00")),
                ("settings[mon_closes]", v("21:00")),
                ("settings[sun_opens]", v("")),
                ("settings[sun_closes]", v("")),
                ("settings[max_future_bookings]", v("3")),
                ("settings[max_studio_hours]", v("4")),
                ("settings[strike_limit]", v("3")),
                ("settings[strike_window_days]", v("30")),
                ("settings[strike_block_days]", v("7")),
            ],
        ),
        ep("/api/induction_spaces", Admin, &[]),
        ep(
            "/api/set_induction",
            Admin,
            &[
                ("person_id", p.clone()),
                ("space_id", s.clone()),
                ("passed", v("true")),
            ],
        ),
        ep("/api/closures", Admin, &[]),
        ep(
            "/api/add_closure",
            Admin,
            &[
                ("center_id", c.clone()),
                ("day", v("2026-12-20")),
                ("reason", v("Repairs")),
            ],
        ),
        ep("/api/remove_closure", Admin, &[("closure_id", v("999999"))]),
        ep("/api/new_calendar_link", Admin, &[]),
        ep("/api/revoke_calendar_link", Admin, &[]),
        ep("/api/telegram_card", Admin, &[]),
        ep("/api/telegram_link_code", Visitor, &[]),
        ep("/api/unlink_telegram", Admin, &[]),
        ep("/api/set_notify_channel", Admin, &[("channel", v("email"))]),
        ep(
            "/api/scan",
            Admin,
            &[("code", pass_code.clone()), ("exit", v("false"))],
        ),
        ep("/api/pardon_no_shows", Admin, &[("person_id", p.clone())]),
        ep("/api/undo_check_in", Admin, &[("check_in_id", v("999999"))]),
        ep("/api/today_board", Admin, &[("center_id", c.clone())]),
        ep("/api/door_search", Admin, &[("query", v("Third"))]),
        ep("/api/offline_bundle", Admin, &[]),
        // JSON-bodied: checked separately below.
        ep("/api/sync_offline", Admin, &[]),
        ep("/api/occupancy_today", Admin, &[("center_id", c.clone())]),
        ep(
            "/api/center_report",
            Admin,
            &[
                ("query[center]", c.clone()),
                ("query[from]", v("2026-11-01")),
                ("query[to]", v("2026-11-30")),
                ("query[kind]", v("coworking")),
                ("query[direction]", v("culture")),
            ],
        ),
        ep(
            "/api/regional_report",
            Admin,
            &[
                ("query[from]", v("2026-11-01")),
                ("query[to]", v("2026-11-30")),
                ("query[kind]", v("coworking")),
                ("query[direction]", v("culture")),
            ],
        ),
        ep("/api/clubs", Admin, &[("center_id", c.clone())]),
        ep("/api/club", Admin, &[("club_id", club.id.to_string())]),
        ep("/api/club_join", Admin, &[("club_id", club.id.to_string())]),
        ep(
            "/api/club_leave",
            Admin,
            &[("club_id", club.id.to_string())],
        ),
        ep(
            "/api/club_roster",
            Admin,
            &[
                ("club_id", club.id.to_string()),
                ("session_id", club_session.id.to_string()),
            ],
        ),
        ep(
            "/api/club_mark",
            Admin,
            &[
                ("session_id", club_session.id.to_string()),
                ("person_id", p.clone()),
                ("present", v("true")),
            ],
        ),
        ep(
            "/api/club_head_count",
            Admin,
            &[
                ("session_id", club_session.id.to_string()),
                ("count", v("4")),
            ],
        ),
        ep(
            "/api/club_cancel_session",
            Admin,
            &[
                ("session_id", club_session.id.to_string()),
                ("reason", v("")),
            ],
        ),
        ep("/api/activity_form_options", Admin, &[]),
        ep(
            "/api/club_create",
            Admin,
            &[
                ("form[space_id]", design.id.to_string()),
                ("form[leader_account_id]", v("0")),
                ("form[name_kk]", v("")),
                ("form[name_ru]", v("")),
                ("form[name_en]", v("Bad input club")),
                ("form[description_kk]", v("")),
                ("form[description_ru]", v("")),
                ("form[description_en]", v("")),
                ("form[direction]", v("culture")),
                ("form[weekday]", v("6")),
                ("form[start_time]", v("07:00")),
                ("form[duration_minutes]", v("60")),
                ("form[term_start]", v("2027-01-01")),
                ("form[term_end]", v("2026-12-01")),
                ("form[capacity]", v("10")),
                ("form[min_age]", v("0")),
                ("form[max_age]", v("0")),
                ("form[anonymous]", v("false")),
            ],
        ),
        ep("/api/events", Admin, &[("center_id", c.clone())]),
        ep("/api/event", Admin, &[("event_id", event.id.to_string())]),
        ep(
            "/api/event_register",
            Admin,
            &[("event_id", event.id.to_string())],
        ),
        ep(
            "/api/event_cancel",
            Admin,
            &[("event_id", event.id.to_string())],
        ),
        ep(
            "/api/event_create",
            Admin,
            &[
                ("form[space_id]", design.id.to_string()),
                ("form[name_kk]", v("")),
                ("form[name_ru]", v("")),
                ("form[name_en]", v("Bad input event")),
                ("form[description_kk]", v("")),
                ("form[description_ru]", v("")),
                ("form[description_en]", v("")),
                ("form[direction]", v("culture")),
                ("form[date]", v("2026-11-05")),
                ("form[start_time]", v("12:00")),
                ("form[duration_minutes]", v("60")),
                ("form[capacity]", v("10")),
                ("form[min_age]", v("0")),
            ],
        ),
        ep("/api/notices", Admin, &[]),
        ep("/api/notices_read", Admin, &[]),
        ep("/api/programs", Admin, &[]),
        ep(
            "/api/program",
            Admin,
            &[("program_id", program.id.to_string())],
        ),
        ep(
            "/api/apply_program",
            Visitor,
            &[
                ("program_id", program.id.to_string()),
                ("form[education]", v("master")),
                ("form[occupation]", v("employed")),
                ("form[settlement]", v("city")),
                ("form[motivation]", v("Analysis")),
            ],
        ),
        ep("/api/my_applications", Admin, &[]),
        ep(
            "/api/withdraw_application",
            Admin,
            &[("application_id", application.id.to_string())],
        ),
        ep("/api/program_review", Admin, &[]),
        ep(
            "/api/decide_application",
            Admin,
            &[
                ("application_id", v("999999")),
                ("accept", v("false")),
                ("reason", v("No")),
            ],
        ),
        ep("/api/managed_programs", Admin, &[]),
        ep(
            "/api/create_program",
            Admin,
            &[
                ("form[center_id]", c.clone()),
                ("form[name_kk]", v("")),
                ("form[name_ru]", v("")),
                ("form[name_en]", v("")),
                ("form[description_kk]", v("")),
                ("form[description_ru]", v("")),
                ("form[description_en]", v("")),
                ("form[direction]", v("culture")),
                ("form[min_age]", v("14")),
                ("form[max_age]", v("35")),
                ("form[min_education]", v("")),
                ("form[rural_only]", v("false")),
                ("form[occ_pupil]", v("false")),
                ("form[occ_student]", v("false")),
                ("form[occ_employed]", v("false")),
                ("form[occ_neet]", v("false")),
                ("form[capacity]", v("10")),
                ("form[completion_percent]", v("80")),
                ("form[applications_close_on]", v("")),
            ],
        ),
        ep(
            "/api/add_program_sessions",
            Admin,
            &[
                ("program_id", program.id.to_string()),
                ("series[first_date]", v("2026-11-20")),
                ("series[start_time]", v("18:00")),
                ("series[minutes]", v("60")),
                ("series[weeks]", v("1")),
                ("series[title]", v("Debate")),
                ("series[space_id]", v("")),
            ],
        ),
        ep(
            "/api/program_staff",
            Admin,
            &[("program_id", program.id.to_string())],
        ),
        ep(
            "/api/program_roster",
            Admin,
            &[("session_id", program_session.id.to_string())],
        ),
        ep(
            "/api/mark_program_attendance",
            Admin,
            &[
                ("session_id", program_session.id.to_string()),
                ("person_id", v("999999")),
                ("present", v("true")),
            ],
        ),
        ep(
            "/api/issue_certificates",
            Admin,
            &[("program_id", v("999999"))],
        ),
        // Content after creation (issue 21). Cancellations are sent without
        // the confirmation, so none of them goes through.
        ep(
            "/api/club_edit_data",
            Admin,
            &[("club_id", club.id.to_string())],
        ),
        ep(
            "/api/club_update",
            Admin,
            &[
                ("club_id", club.id.to_string()),
                ("form[leader_account_id]", v("0")),
                ("form[name_kk]", v("Домбыра")),
                ("form[name_ru]", v("Домбра")),
                ("form[name_en]", v("Dombra")),
                ("form[description_kk]", v("")),
                ("form[description_ru]", v("")),
                ("form[description_en]", v("")),
                ("form[direction]", v("culture")),
                ("form[space_id]", club.space_id.to_string()),
                ("form[weekday]", club.weekday.to_string()),
                ("form[start_time]", v("18:00")),
                ("form[duration_minutes]", v("90")),
                ("form[term_end]", club.term_end.to_string()),
                ("form[capacity]", v("15")),
                ("form[min_age]", v("0")),
                ("form[max_age]", v("0")),
            ],
        ),
        ep(
            "/api/club_move_session",
            Admin,
            &[
                ("session_id", club_session.id.to_string()),
                ("date", v("2026-12-24")),
                ("start_time", v("10:00")),
                ("space_id", club.space_id.to_string()),
            ],
        ),
        ep(
            "/api/club_cancel",
            Admin,
            &[("club_id", club.id.to_string()), ("reason", v("Ремонт"))],
        ),
        ep(
            "/api/event_edit_data",
            Admin,
            &[("event_id", event.id.to_string())],
        ),
        ep(
            "/api/event_update",
            Admin,
            &[
                ("event_id", event.id.to_string()),
                ("form[name_kk]", v("Кино кеші")),
                ("form[name_ru]", v("Кинопоказ")),
                ("form[name_en]", v("Film night")),
                ("form[description_kk]", v("")),
                ("form[description_ru]", v("")),
                ("form[description_en]", v("")),
                ("form[direction]", v("culture")),
                ("form[outside]", v("true")),
                ("form[place]", v("Орталық саябақ")),
                ("form[date]", v("2026-12-20")),
                ("form[start_time]", v("15:00")),
                ("form[duration_minutes]", v("120")),
                ("form[capacity]", v("60")),
                ("form[min_age]", v("0")),
            ],
        ),
        ep(
            "/api/event_call_off",
            Admin,
            &[
                ("event_id", event.id.to_string()),
                ("reason", v("Ауа райы")),
            ],
        ),
        ep(
            "/api/event_head_count",
            Admin,
            &[("event_id", event.id.to_string()), ("count", v("40"))],
        ),
        ep(
            "/api/program_edit_data",
            Admin,
            &[("program_id", program.id.to_string())],
        ),
        ep(
            "/api/program_update",
            Admin,
            &[
                ("program_id", program.id.to_string()),
                ("form[name_kk]", v("Аналитика мектебі")),
                ("form[name_ru]", v("Школа аналитики")),
                ("form[name_en]", v("School of Analytics")),
                ("form[description_kk]", v("")),
                ("form[description_ru]", v("")),
                ("form[description_en]", v("")),
                ("form[applications_close_on]", v("2026-12-20")),
                ("form[capacity]", v("25")),
            ],
        ),
        ep(
            "/api/program_move_session",
            Admin,
            &[
                ("session_id", program_session.id.to_string()),
                ("date", v("2026-12-22")),
                ("start_time", v("11:00")),
            ],
        ),
        ep(
            "/api/program_cancel_session",
            Admin,
            &[("session_id", program_session.id.to_string())],
        ),
        ep(
            "/api/program_cancel",
            Admin,
            &[
                ("program_id", program.id.to_string()),
                ("reason", v("Қаржы жоқ")),
            ],
        ),
        ep(
            "/api/certificate",
            Admin,
            &[("code", v(server::seed::DEMO_CERTIFICATE))],
        ),
        ep(
            "/api/mentors",
            Admin,
            &[
                ("center_id", c.clone()),
                ("field", v("psychology")),
                ("lang", v("ru")),
            ],
        ),
        ep(
            "/api/book_consultation",
            Visitor,
            &[("slot_id", v("999999")), ("topic", v("Portfolio"))],
        ),
        ep(
            "/api/cancel_consultation",
            Visitor,
            &[("slot_id", slot.id.to_string())],
        ),
        ep("/api/my_consultations", Admin, &[]),
        ep("/api/mentor_schedule", Mentor, &[]),
        ep(
            "/api/publish_slots",
            Mentor,
            &[
                ("date", v("2026-11-10")),
                ("time", v("10:00")),
                ("minutes", v("45")),
                ("weeks", v("1")),
            ],
        ),
        ep("/api/withdraw_slot", Mentor, &[("slot_id", v("999999"))]),
        ep(
            "/api/save_mentor_profile",
            Mentor,
            &[
                ("field", v("psychology")),
                ("lang_kk", v("on")),
                ("lang_ru", v("on")),
                ("lang_en", v("")),
                ("bio_kk", v("Bio")),
                ("bio_ru", v("Bio")),
                ("bio_en", v("Bio")),
            ],
        ),
        ep(
            "/api/consultation_report",
            Admin,
            &[("center_id", c.clone())],
        ),
        ep("/api/equipment", Admin, &[("center_id", c.clone())]),
        ep(
            "/api/reserve_item",
            Visitor,
            &[
                ("item_id", item.id.to_string()),
                ("pickup_on", v("2026-11-02")),
            ],
        ),
        ep(
            "/api/cancel_reservation",
            Admin,
            &[("loan_id", v("999999"))],
        ),
        ep("/api/my_loans", Admin, &[]),
        ep(
            "/api/desk_lending_member",
            Admin,
            &[("code", number.clone())],
        ),
        ep(
            "/api/check_out_item",
            Admin,
            &[("code", number.clone()), ("item_code", v("EQ-0099"))],
        ),
        ep(
            "/api/return_item",
            Admin,
            &[
                ("item_code", v("EQ-0099")),
                ("condition", v("good")),
                ("note", v("Fine")),
            ],
        ),
        ep("/api/overdue_loans", Admin, &[]),
        ep("/api/list_webhooks", Admin, &[]),
        ep(
            "/api/create_webhook",
            Admin,
            &[
                ("form[url]", v("https://hooks.example.kz/x")),
                ("form[center]", c.clone()),
                ("form[events][0]", v("booking.created")),
            ],
        ),
        ep(
            "/api/set_webhook_active",
            Admin,
            &[("endpoint_id", v("999999")), ("active", v("true"))],
        ),
        ep(
            "/api/audit_log",
            Admin,
            &[
                ("query[from]", v("2026-11-01")),
                ("query[to]", v("2026-11-30")),
                ("query[kind]", v("check_in")),
                ("query[page]", v("1")),
            ],
        ),
        ep(
            "/api/item_label",
            Admin,
            &[("item_id", item.id.to_string())],
        ),
        ep(
            "/api/add_item",
            Admin,
            &[
                ("center_id", c.clone()),
                ("kind", v("tripod")),
                ("name", v("Tripod")),
                ("serial", v("SER-BAD-1")),
                ("loan_days", v("0")),
                ("induction_space_id", v("")),
            ],
        ),
        ep(
            "/api/set_item_condition",
            Admin,
            &[
                ("item_id", item.id.to_string()),
                ("condition", v("not_a_known_value_ok")),
                ("note", v("")),
            ],
        ),
        // The region's directions, centers and holiday calendar.
        ep("/api/directions_admin", Admin, &[]),
        ep(
            "/api/save_direction",
            Admin,
            &[
                ("direction[code]", v("debate")),
                ("direction[name_kk]", v("Дебат")),
                ("direction[name_ru]", v("Дебаты")),
                ("direction[name_en]", v("Debate")),
                ("new", v("true")),
            ],
        ),
        ep(
            "/api/set_direction_retired",
            Admin,
            &[("code", v("debate")), ("retired", v("true"))],
        ),
        ep("/api/admin_centers", Admin, &[]),
        ep("/api/admin_center", Admin, &[("center_id", c.clone())]),
        ep(
            "/api/create_center",
            Admin,
            &[
                ("form[name_kk]", v("Нұра орталығы")),
                ("form[name_ru]", v("Центр Нуры")),
                ("form[name_en]", v("Nura Center")),
                ("form[district]", v("Нұра ауданы")),
                ("form[settlement]", v("rural")),
                ("form[address]", v("Киевка")),
                ("form[timezone]", v("Asia/Almaty")),
                ("form[phone]", v("+77013334455")),
                ("form[email]", v("nura@jastar.kz")),
                ("form[description_kk]", v("")),
                ("form[mon_opens]", v("09:00")),
                ("form[mon_closes]", v("21:00")),
                ("form[fri_opens]", v("18:00")),
                ("form[fri_closes]", v("02:00")),
            ],
        ),
        ep(
            "/api/save_center",
            Admin,
            &[
                ("center_id", c.clone()),
                ("form[name_kk]", v("Нұра жастар орталығы")),
                ("form[name_ru]", v("Центр Нура")),
                ("form[name_en]", v("Nura Centre")),
                ("form[district]", v("Нұра ауданы")),
                ("form[settlement]", v("rural")),
                ("form[address]", v("Киевка")),
                ("form[timezone]", v("Asia/Almaty")),
                ("form[phone]", v("+77013334455")),
                ("form[email]", v("nura@jastar.kz")),
                ("form[description_kk]", v("")),
                ("form[mon_opens]", v("09:00")),
                ("form[mon_closes]", v("21:00")),
                ("form[fri_opens]", v("18:00")),
                ("form[fri_closes]", v("02:00")),
            ],
        ),
        ep(
            "/api/set_center_active",
            Admin,
            &[("center_id", c.clone()), ("active", v("true"))],
        ),
        ep("/api/holidays_admin", Admin, &[("year", v("2026"))]),
        ep(
            "/api/add_holiday",
            Admin,
            &[
                ("holiday[day]", v("2028-05-04")),
                ("holiday[name_kk]", v("Құрбан айт")),
                ("holiday[name_ru]", v("Курбан айт")),
                ("holiday[name_en]", v("Kurban ait")),
            ],
        ),
        ep("/api/remove_holiday", Admin, &[("holiday_id", v("1"))]),
        ep("/api/holiday_openings", Admin, &[]),
        ep(
            "/api/add_holiday_opening",
            Admin,
            &[
                ("center_id", c.clone()),
                ("day", v("2026-12-16")),
                ("reason", v("Concert")),
            ],
        ),
        ep(
            "/api/remove_holiday_opening",
            Admin,
            &[("opening_id", v("999999"))],
        ),
    ];
    let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(p, _)| p.to_string())
        .collect();
    for path in &registered {
        assert!(
            endpoints.iter().any(|e| e.path == path),
            "server fn {path} has no bad-input sample in this test"
        );
    }
    for e in &endpoints {
        assert!(
            registered.iter().any(|r| r == e.path),
            "{} is not registered",
            e.path
        );
    }

    count_writes(db).await;
    let mut probe = Probe {
        app: app.clone(),
        db,
        baseline: writes(db).await,
        calls: 0,
        accepted: 0,
        refused: BTreeMap::new(),
        failures: Vec::new(),
    };
    let bad = bad_values();
    let huge = "a".repeat(server::MAX_BODY_BYTES + 1);
    for e in &endpoints {
        let mut bodies: Vec<(String, String, Body)> = Vec::new();
        if e.path == "/api/sync_offline" {
            let scan = |nonce: &str, code: &str, at: &str| {
                format!(r#"{{"nonce":"{nonce}","code":"{code}","scanned_at":{at},"exit":false}}"#)
            };
            for (name, body) in [
                ("not JSON", "{{{".to_string()),
                ("wrong type", r#"{"device":1,"scans":"x"}"#.into()),
                ("missing field", r#"{"scans":[]}"#.into()),
                (
                    "scan with a string time",
                    format!(
                        r#"{{"device":"t","scans":[{}]}}"#,
                        scan("abcdefgh12", "X", "\"noon\"")
                    ),
                ),
                (
                    "scan time past i64",
                    format!(
                        r#"{{"device":"t","scans":[{}]}}"#,
                        scan("abcdefgh13", "X", "99999999999999999999999")
                    ),
                ),
                // A good scan, then one the server refuses: all or nothing.
                (
                    "good scan then a bad nonce",
                    format!(
                        r#"{{"device":"t","scans":[{},{}]}}"#,
                        scan("abcdefgh14", &pass_code, &now().timestamp().to_string()),
                        scan("x", "OQ", "0")
                    ),
                ),
                (
                    "too many scans",
                    format!(
                        r#"{{"device":"t","scans":[{}]}}"#,
                        (0..=app::passes::dto::MAX_SYNC_BATCH)
                            .map(|i| scan(&format!("nonce{i:08}"), "OQ", "0"))
                            .collect::<Vec<_>>()
                            .join(",")
                    ),
                ),
            ] {
                bodies.push((name.into(), "application/json".into(), Body::from(body)));
            }
            for value in &bad {
                let s = serde_json::to_string(value).unwrap();
                bodies.push((
                    format!(
                        "device and scan fields = {:?}",
                        value.chars().take(20).collect::<String>()
                    ),
                    "application/json".into(),
                    Body::from(format!(
                        r#"{{"device":{s},"scans":[{{"nonce":{s},"code":{s},"scanned_at":0}}]}}"#
                    )),
                ));
            }
        } else {
            // Whole-body damage.
            for (name, body) in [
                ("broken percent-encoding", "%%%&&==%ZZ".to_string()),
                (
                    "nested where flat is expected",
                    "a[b][c][d]=1&[]=2&=3".into(),
                ),
                ("JSON instead of a form", r#"{"x":1}"#.into()),
            ] {
                bodies.push((name.into(), FORM.into(), Body::from(body)));
            }
            bodies.push((
                "invalid UTF-8".into(),
                FORM.into(),
                Body::from(vec![0xff, 0xfe, b'=', 0xc3]),
            ));
            if !e.fields.is_empty() {
                bodies.push(("empty body".into(), FORM.into(), Body::from("")));
                // Every field twice.
                let twice = format!("{0}&{0}", form(&e.fields));
                bodies.push(("every field twice".into(), FORM.into(), Body::from(twice)));
                bodies.push((
                    "valid sample".into(),
                    FORM.into(),
                    Body::from(form(&e.fields)),
                ));
            }
            // One field at a time: each bad value, and left out.
            for i in 0..e.fields.len() {
                let name = e.fields[i].0;
                for value in &bad {
                    let mut fields = e.fields.clone();
                    fields[i].1 = value.clone();
                    bodies.push((
                        format!("{name} = {:?}", value.chars().take(20).collect::<String>()),
                        FORM.into(),
                        Body::from(form(&fields)),
                    ));
                }
                let mut fields = e.fields.clone();
                fields.remove(i);
                bodies.push((
                    format!("{name} left out"),
                    FORM.into(),
                    Body::from(form(&fields)),
                ));
            }
        }
        // Oversized, with no declared length: read up to the limit, then refused.
        bodies.push((
            "oversized body".into(),
            FORM.into(),
            Body::from(huge.clone()),
        ));
        for (what, ctype, body) in bodies {
            let c = match e.who {
                Admin => admin_cookie.clone(),
                Mentor => mentor_cookie.clone(),
                Visitor => visitor_cookie.clone(),
                Fresh => {
                    let u = make_user(db, Role::Visitor, Some(regional), "Fresh F").await;
                    let c = session_cookie(db, u.account_id).await;
                    probe.baseline = writes(db).await;
                    c
                }
            };
            let status = probe
                .check(
                    &format!("{} ({what})", e.path),
                    post(e.path, &ctype, Some(&c), body),
                )
                .await;
            if what == "oversized body" {
                assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{}", e.path);
            }
        }
    }
    // The loop's oversized bodies came without a declared length (read up
    // to the limit, then cut off); one that declares its length is refused
    // before a byte of it is read.
    let mut req = post("/api/login", FORM, None, huge.clone());
    req.headers_mut().insert(
        header::CONTENT_LENGTH,
        huge.len().to_string().parse().unwrap(),
    );
    let status = probe
        .check("/api/login (declared oversized body)", req)
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);

    assert!(
        probe.failures.is_empty(),
        "{} of {} calls broke the rules:\n{}",
        probe.failures.len(),
        probe.calls,
        probe.failures.join("\n")
    );

    // Injection strings are legitimate text in a name: stored verbatim,
    // rendered escaped.
    let director = make_user(db, Role::Director, Some(regional), "Director D").await;
    let director_cookie = session_cookie(db, director.account_id).await;
    let name = "<script>alert('x')</script>' OR '1'='1'; DROP TABLE programs; --";
    let body = form(&[
        ("form[center_id]", c.clone()),
        ("form[name_ru]", name.into()),
        ("form[direction]", "culture".into()),
        ("form[capacity]", "10".into()),
        ("form[completion_percent]", "80".into()),
    ]);
    let (status, id, _) = send(
        &app,
        post("/api/create_program", FORM, Some(&director_cookie), body),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let id: i32 = id.trim().parse().unwrap();
    let stored = app::model::program::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.name_ru, name);
    let req = Request::get(format!("/programs/{id}"))
        .header(header::ACCEPT_LANGUAGE, "ru")
        .body(Body::empty())
        .unwrap();
    let (status, html, _) = send(&app, req).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("&lt;script&gt;alert("),
        "the name is not on the page, escaped"
    );
    assert!(
        !html.contains("<script>alert("),
        "the name is on the page unescaped"
    );

    eprintln!(
        "{backend:?}: {} bad-input calls to {} server fns in {:.1?}: {} accepted as valid, refused by status {:?}; no 5xx, no rows written by a refusal",
        probe.calls,
        endpoints.len(),
        started.elapsed(),
        probe.accepted,
        probe.refused
    );
    t.close().await;
}

on_both_databases!(every_server_fn_refuses_bad_input_cleanly);
