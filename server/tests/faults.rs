//! Crash safety: the real server binary, a booking load from several
//! clients over HTTP, `kill -9` in the middle of it, a restart on the same
//! database. Every booking, cancellation and move a client saw acknowledged
//! must be there after the restart, and nothing may be half-written: no
//! booking without its live pass, no pass without its booking or signature,
//! no slot over capacity.

#[macro_use]
mod common;

use std::collections::{BTreeMap, HashMap};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::domain::pass;
use app::domain::people::Role;
use app::model::{booking, center, pass as pass_row, space};
use common::callers::session_cookie;
use common::{make_user, Backend, TestDb};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Concurrent clients (each a member with a session).
const CLIENTS: usize = 8;
/// Acknowledged writes to wait for before pulling the plug.
const ACKS_BEFORE_KILL: usize = 150;

/// The server process, started on a free port the OS picks.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(url: &str, data_dir: &std::path::Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ortalyq"))
            .arg("serve")
            .env("DATABASE_URL", url)
            .env("ORTALYQ_DATA_DIR", data_dir)
            // The tests' frozen "now" and pass key (common::now, common::keys).
            .env("ORTALYQ_FROZEN_CLOCK", "2026-12-01T10:50:00+05:00")
            .env(
                "ORTALYQ_PASS_KEY",
                data_encoding::BASE64.encode(&[42u8; 32]),
            )
            .env("LEPTOS_OUTPUT_NAME", "ortalyq")
            .env("LEPTOS_SITE_ROOT", "target/site")
            .env("LEPTOS_SITE_PKG_DIR", "pkg")
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("LEPTOS_ENV", "PROD")
            .env("RUST_LOG", "error")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the ortalyq binary starts");
        // It prints the address it is bound to once it listens.
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(addr) = line.strip_prefix("Ortalyq is serving at http://") {
                    let _ = tx.send(addr.to_owned());
                }
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server reports its address");
        let port = addr.rsplit(':').next().unwrap().parse().unwrap();
        Server { child, port }
    }

    /// `kill -9`: no shutdown handler, no flush, no rollback runs.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 POST of a server fn, `Connection: close`; the status and
/// body, or an error when the connection failed (server gone).
async fn post(port: u16, path: &str, body: &str, cookie: &str) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).await?;
    let req = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Accept: application/json\r\nCookie: {cookie}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await?;
    let mut r = BufReader::new(s);
    let mut line = String::new();
    r.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let mut chunked = false;
    loop {
        line.clear();
        if r.read_line(&mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let l = line.to_ascii_lowercase();
        if l.starts_with("transfer-encoding:") && l.contains("chunked") {
            chunked = true;
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut raw = Vec::new();
    r.read_to_end(&mut raw).await?;
    if chunked {
        let mut body = Vec::new();
        let mut rest = &raw[..];
        loop {
            let nl = rest
                .windows(2)
                .position(|w| w == b"\r\n")
                .ok_or(std::io::ErrorKind::UnexpectedEof)?;
            let size = usize::from_str_radix(std::str::from_utf8(&rest[..nl]).unwrap_or("x"), 16)
                .map_err(std::io::Error::other)?;
            rest = &rest[nl + 2..];
            if size == 0 {
                break;
            }
            if rest.len() < size + 2 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            body.extend_from_slice(&rest[..size]);
            rest = &rest[size + 2..];
        }
        raw = body;
    }
    Ok((status, String::from_utf8_lossy(&raw).into_owned()))
}

/// What a client was told about one of its bookings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Acked {
    /// Booked or moved to start at this Unix time.
    Live {
        starts_at: i64,
    },
    Cancelled,
    /// A move was in flight when the server was killed: it may have been
    /// committed without the answer reaching the client, so either time.
    Moving {
        from: i64,
        to: i64,
    },
    /// A cancellation was in flight at the kill: still at this time, or
    /// cancelled.
    Cancelling {
        starts_at: i64,
    },
}

/// Per client: booking id → the last acknowledged state. A write whose
/// answer never came (the server died first) is not recorded.
type Ledger = Arc<Mutex<HashMap<i32, Acked>>>;

struct Client {
    cookie: String,
    ledger: Ledger,
}

/// xorshift64*: reproducible, no dependency.
fn rng(seed: u64) -> impl FnMut() -> u64 {
    let mut state = 0x9E37_79B9_7F4A_7C15u64 ^ seed.wrapping_mul(0xD134_2543_DE82_EF95);
    move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// Book, cancel and move until the server stops answering.
async fn load(
    port: u16,
    me: usize,
    client: Arc<Client>,
    spaces: Arc<Vec<i32>>,
    acks: Arc<AtomicUsize>,
) -> bool {
    let mut next = rng(me as u64 + 1);
    let mut seq = 0u32;
    loop {
        seq += 1;
        // A start on the hour, 2–13 December, 09:00–19:00 Karaganda.
        let start =
            common::local(2 + (next() % 12) as u32, 9 + (next() % 11) as u32, 0).timestamp();
        let live: Vec<i32> = client
            .ledger
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, a)| matches!(a, Acked::Live { .. }))
            .map(|(id, _)| *id)
            .collect();
        let op = next() % 10;
        let result = if op < 7 || live.is_empty() {
            let space = spaces[(next() as usize) % spaces.len()];
            let body = format!("space_id={space}&starts_at={start}&request_id=c{me}r{seq}");
            post(port, "/api/book", &body, &client.cookie)
                .await
                .map(|(status, body)| {
                    if status == 200 {
                        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
                        let mut l = client.ledger.lock().unwrap();
                        for id in v["booking_ids"].as_array().unwrap() {
                            l.insert(
                                id.as_i64().unwrap() as i32,
                                Acked::Live { starts_at: start },
                            );
                        }
                        true
                    } else {
                        assert!(status < 500, "book: {status} {body}");
                        false
                    }
                })
        } else {
            let id = live[(next() as usize) % live.len()];
            let from = match client.ledger.lock().unwrap().get(&id) {
                Some(Acked::Live { starts_at }) => *starts_at,
                other => unreachable!("{other:?} is not live"),
            };
            if op < 9 {
                post(
                    port,
                    "/api/cancel_booking",
                    &format!("booking_id={id}"),
                    &client.cookie,
                )
                .await
                .map(|(status, body)| {
                    assert!(status < 500, "cancel: {status} {body}");
                    if status == 200 {
                        client.ledger.lock().unwrap().insert(id, Acked::Cancelled);
                    }
                    status == 200
                })
                .inspect_err(|_| {
                    client
                        .ledger
                        .lock()
                        .unwrap()
                        .insert(id, Acked::Cancelling { starts_at: from });
                })
            } else {
                let body = format!("booking_id={id}&starts_at={start}");
                post(port, "/api/reschedule", &body, &client.cookie)
                    .await
                    .map(|(status, body)| {
                        assert!(status < 500, "reschedule: {status} {body}");
                        if status == 200 {
                            client
                                .ledger
                                .lock()
                                .unwrap()
                                .insert(id, Acked::Live { starts_at: start });
                        }
                        status == 200
                    })
                    .inspect_err(|_| {
                        client
                            .ledger
                            .lock()
                            .unwrap()
                            .insert(id, Acked::Moving { from, to: start });
                    })
            }
        };
        match result {
            Ok(true) => {
                acks.fetch_add(1, Ordering::Relaxed);
            }
            Ok(false) => {}
            // The server is gone. Cut off mid-request, this write may or
            // may not have landed; refused at connect, it was never sent.
            Err(e) => return e.kind() != std::io::ErrorKind::ConnectionRefused,
        }
    }
}

async fn acknowledged_writes_survive_kill_9(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let url = t.url.clone();
    let data_dir = t.dir.join("data");
    let regional = common::center_id(db, "karaganda-regional").await;
    // Quotas would stop each member after a few bookings; the load is
    // about concurrency and crashes, so lift them.
    let c = center::Entity::find_by_id(regional)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut c: center::ActiveModel = c.into();
    c.max_future_bookings = Set(100_000);
    c.max_studio_minutes_week = Set(1_000_000);
    sea_orm::ActiveModelTrait::update(c, db).await.unwrap();
    // The coworking pool (20 seats: partial fills race) and two rooms
    // (one booking each: collisions race).
    let mut spaces = Vec::new();
    for kind in ["coworking", "podcast_studio", "photo_studio"] {
        spaces.push(common::space_of(db, regional, kind).await.id);
    }
    let spaces = Arc::new(spaces);
    let mut clients = Vec::new();
    for i in 0..CLIENTS {
        let u = make_user(
            db,
            Role::Visitor,
            Some(regional),
            &format!("Load Client {i}"),
        )
        .await;
        let cookie = session_cookie(db, u.account_id).await;
        clients.push((
            u,
            Arc::new(Client {
                cookie,
                ledger: Ledger::default(),
            }),
        ));
    }

    let started = Instant::now();
    let server = Server::start(&url, &data_dir);
    let acks = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = clients
        .iter()
        .enumerate()
        .map(|(i, (_, c))| {
            tokio::spawn(load(
                server.port,
                i,
                c.clone(),
                spaces.clone(),
                acks.clone(),
            ))
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(30);
    while acks.load(Ordering::Relaxed) < ACKS_BEFORE_KILL {
        assert!(
            Instant::now() < deadline,
            "the load made too little progress"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // Mid-load: every client has a request in flight or about to be.
    server.kill();
    let acked_at_kill = acks.load(Ordering::Relaxed);
    let mut in_flight = 0;
    for task in tasks {
        in_flight += usize::from(task.await.unwrap());
    }
    let load_time = started.elapsed();

    // Restart on the same database: it must come up (SQLite recovers its
    // WAL, PostgreSQL its log) and serve.
    let server = Server::start(&url, &data_dir);
    let keys = [(1u8, common::keys().signing.verifying_key())];

    // 1. Every acknowledged write is there, as acknowledged.
    let mut acked_total = 0;
    for (u, client) in &clients {
        let ledger = client.ledger.lock().unwrap().clone();
        for (id, acked) in &ledger {
            acked_total += 1;
            let b = booking::Entity::find_by_id(*id)
                .one(db)
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("acknowledged booking {id} is gone"));
            assert_eq!(b.person_id, u.person_id);
            match acked {
                Acked::Live { starts_at } => {
                    assert_eq!(b.status.as_str(), "confirmed", "booking {id}");
                    assert_eq!(
                        b.starts_at.timestamp(),
                        *starts_at,
                        "booking {id} moved back"
                    );
                }
                Acked::Cancelled => assert_eq!(b.status.as_str(), "cancelled", "booking {id}"),
                Acked::Moving { from, to } => {
                    assert_eq!(b.status.as_str(), "confirmed", "booking {id}");
                    let at = b.starts_at.timestamp();
                    assert!(at == *from || at == *to, "booking {id} at neither time");
                }
                Acked::Cancelling { starts_at } => assert!(
                    b.status.as_str() == "cancelled"
                        || (b.status.as_str() == "confirmed"
                            && b.starts_at.timestamp() == *starts_at),
                    "booking {id}: {} at {}",
                    b.status.as_str(),
                    b.starts_at
                ),
            }
        }
        // The restarted server shows the member the same bookings.
        let (status, body) = post(server.port, "/api/my_bookings", "", &client.cookie)
            .await
            .unwrap();
        assert_eq!(status, 200, "{body}");
        let mine: serde_json::Value = serde_json::from_str(&body).unwrap();
        for (id, acked) in &ledger {
            if matches!(acked, Acked::Live { .. } | Acked::Moving { .. }) {
                assert!(
                    mine.as_array()
                        .unwrap()
                        .iter()
                        .any(|b| b["id"].as_i64() == Some(i64::from(*id))),
                    "booking {id} missing from my bookings after the restart"
                );
            }
        }
    }
    assert!(acked_total > 0);

    // 2. Nothing half-written anywhere (the load's bookings, acknowledged
    // or not, and the demo's): a confirmed booking has exactly one live
    // pass for its exact time, any other booking none; every pass is
    // signed, matches its row and belongs to a booking that exists.
    let bookings: Vec<booking::Model> = booking::Entity::find().all(db).await.unwrap();
    let passes: Vec<pass_row::Model> = pass_row::Entity::find()
        .filter(pass_row::Column::Kind.eq("booking"))
        .all(db)
        .await
        .unwrap();
    let by_id: HashMap<i32, &booking::Model> = bookings.iter().map(|b| (b.id, b)).collect();
    let mut live_passes: HashMap<i32, Vec<&pass_row::Model>> = HashMap::new();
    for p in &passes {
        let claims = pass::verify(&p.code, &keys).unwrap_or_else(|e| {
            panic!("pass {} has no valid signature ({e:?}): {:?}", p.id, p.code)
        });
        assert_eq!(claims.pass_id as i32, p.id);
        assert_eq!(claims.holder_id as i32, p.person_id);
        assert_eq!(claims.center_id as i32, p.center_id);
        assert_eq!(
            (claims.valid_from, claims.valid_until),
            (p.valid_from, p.valid_until)
        );
        let b = p
            .booking_id
            .and_then(|id| by_id.get(&id))
            .unwrap_or_else(|| panic!("pass {} of a booking that does not exist", p.id));
        assert_eq!(b.person_id, p.person_id);
        if p.revoked_at.is_none() {
            live_passes.entry(b.id).or_default().push(p);
        }
    }
    let mut live = 0;
    for b in &bookings {
        let lp = live_passes.get(&b.id).map_or(&[][..], |v| &v[..]);
        if b.status.as_str() == "confirmed" {
            live += 1;
            assert_eq!(lp.len(), 1, "booking {} has {} live passes", b.id, lp.len());
            assert_eq!(
                (lp[0].valid_from, lp[0].valid_until),
                (b.starts_at, b.ends_at)
            );
        } else {
            assert!(
                lp.is_empty(),
                "{} booking {} kept a live pass",
                b.status.as_str(),
                b.id
            );
        }
    }
    // No slot over capacity: at each booking's start, the people booked
    // in that space then fit it.
    for &sid in spaces.iter() {
        let s = space::Entity::find_by_id(sid)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        let held: Vec<&booking::Model> = bookings
            .iter()
            .filter(|b| b.space_id == sid && b.status.as_str() == "confirmed")
            .collect();
        let mut at_start: BTreeMap<i64, i32> = BTreeMap::new();
        for b in &held {
            let people: i32 = held
                .iter()
                .filter(|o| o.starts_at <= b.starts_at && b.starts_at < o.ends_at)
                .map(|o| if s.capacity > 1 { o.party_size } else { 1 })
                .sum();
            at_start.insert(b.starts_at.timestamp(), people);
        }
        for (t, people) in at_start {
            assert!(
                people <= s.capacity,
                "space {sid} holds {people} at {t} (capacity {})",
                s.capacity
            );
        }
    }

    // 3. The restarted server takes new bookings (no lock or journal left behind).
    let (_, client) = &clients[0];
    let start = common::local(14, 15, 0).timestamp();
    let (status, body) = post(
        server.port,
        "/api/book",
        &format!("space_id={}&starts_at={start}", spaces[0]),
        &client.cookie,
    )
    .await
    .unwrap();
    assert_eq!(status, 200, "{body}");
    drop(server);
    let people: Vec<i32> = clients.iter().map(|(u, _)| u.person_id).collect();
    let written = bookings
        .iter()
        .filter(|b| people.contains(&b.person_id))
        .count();
    eprintln!(
        "{backend:?}: killed after {load_time:.1?} and {acked_at_kill} acknowledged writes, \
         {in_flight} requests in flight; {acked_total} bookings acknowledged, {written} written \
         by the load ({} in the database, {live} confirmed): all acknowledged present, none half-written",
        bookings.len()
    );
    t.close().await;
}

on_both_databases!(acknowledged_writes_survive_kill_9);
