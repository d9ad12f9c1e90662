//! Load generator for `make bench`: simulated signed-in members calling the
//! real server fns over HTTP/1.1, one keep-alive connection per client, each
//! with its own session cookie and request body.
//!
//! Sessions come from `ortalyq bench-sessions` (lines `desk <token>` and
//! `visitor <token>`). Every subcommand prints `key=value` lines that the
//! scripts under `bench/` turn into table rows.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use clap::{Parser, Subcommand};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use serde_json::Value;

type Error = Box<dyn std::error::Error + Send + Sync>;

#[derive(Parser)]
struct Cli {
    /// Server address(es), `host:port`; several are used round-robin.
    #[arg(long, value_delimiter = ',', default_value = "127.0.0.1:3500")]
    addr: Vec<String>,
    /// Output of `ortalyq bench-sessions`.
    #[arg(long)]
    sessions: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Book distinct free one-hour slots of the single-capacity studios that
    /// need no approval or induction, with `clients` concurrent clients
    /// (at most three upcoming bookings per member and center: the demo
    /// quota).
    Book {
        #[arg(long, default_value_t = 64)]
        clients: usize,
    },
    /// `requests` members ask for the same slot at the same instant.
    Storm {
        /// `PodcastStudio` (one booking) or `Coworking` (a pool of seats).
        #[arg(long)]
        kind: String,
        #[arg(long, default_value_t = 500)]
        requests: usize,
        /// Which fully free slot of the regional center's space (0: the first).
        #[arg(long, default_value_t = 0)]
        pick: usize,
        /// First visitor session to use.
        #[arg(long, default_value_t = 0)]
        member_offset: usize,
    },
    /// Scan members' cards at the door at a steady rate (open loop: latency
    /// counts from the moment a scan was due, so a slow server cannot hide
    /// its backlog).
    Scan {
        #[arg(long, default_value_t = 200)]
        rate: u32,
        #[arg(long, default_value_t = 10)]
        seconds: u32,
    },
    /// `clients` signed-in members each hold a connection and ask "who am
    /// I" once a second for `seconds`.
    Hold {
        #[arg(long, default_value_t = 1000)]
        clients: usize,
        #[arg(long, default_value_t = 15)]
        seconds: u64,
    },
}

struct Conn {
    addr: String,
    sender: SendRequest<Full<Bytes>>,
}

impl Conn {
    async fn open(addr: &str) -> Result<Conn, Error> {
        let stream = tokio::net::TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(Conn {
            addr: addr.to_string(),
            sender,
        })
    }

    /// POST a form to a server fn; (status, body).
    async fn post(
        &mut self,
        path: &str,
        body: String,
        session: Option<&str>,
    ) -> Result<(u16, Bytes), Error> {
        if self.sender.ready().await.is_err() {
            *self = Conn::open(&self.addr).await?;
        }
        let mut req = hyper::Request::post(path)
            .header(hyper::header::HOST, &self.addr)
            .header(
                hyper::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(hyper::header::ACCEPT, "application/json");
        if let Some(token) = session {
            req = req.header(hyper::header::COOKIE, format!("oq_session={token}"));
        }
        let resp = self
            .sender
            .send_request(req.body(Full::new(Bytes::from(body)))?)
            .await?;
        let status = resp.status().as_u16();
        let bytes = resp.into_body().collect().await?.to_bytes();
        Ok((status, bytes))
    }

    async fn json(
        &mut self,
        path: &str,
        body: String,
        session: Option<&str>,
    ) -> Result<Value, Error> {
        let (status, bytes) = self.post(path, body, session).await?;
        if status != 200 {
            return Err(
                format!("{path}: HTTP {status}: {}", String::from_utf8_lossy(&bytes)).into(),
            );
        }
        Ok(serde_json::from_slice(&bytes)?)
    }
}

struct Sessions {
    desk: String,
    visitors: Vec<String>,
}

fn read_sessions(path: &str) -> Result<Sessions, Error> {
    let text = std::fs::read_to_string(path)?;
    let mut desk = None;
    let mut visitors = Vec::new();
    for line in text.lines() {
        match line.split_once(' ') {
            Some(("desk", t)) => desk = Some(t.trim().to_string()),
            Some(("visitor", t)) => visitors.push(t.trim().to_string()),
            _ => {}
        }
    }
    Ok(Sessions {
        desk: desk.ok_or("no desk session in the sessions file")?,
        visitors,
    })
}

/// Outcome of one request: success, a refusal with the app's error code, or
/// a server error / transport failure.
#[derive(Clone, Debug)]
enum Outcome {
    Ok,
    Refused(String),
    Failed(String),
}

fn classify(result: &Result<(u16, Bytes), Error>, ok: impl Fn(&Value) -> bool) -> Outcome {
    match result {
        Err(e) => Outcome::Failed(format!("transport: {e}")),
        Ok((status, body)) => {
            let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
            if *status == 200 && ok(&v) {
                Outcome::Ok
            } else if (400..500).contains(status) || *status == 200 {
                let code = v
                    .get("code")
                    .and_then(Value::as_str)
                    .unwrap_or("unexpected_answer")
                    .to_string();
                Outcome::Refused(code)
            } else {
                Outcome::Failed(format!("http_{status}"))
            }
        }
    }
}

#[derive(Default)]
struct Tally {
    ok: usize,
    refused: BTreeMap<String, usize>,
    failed: BTreeMap<String, usize>,
    latencies: Vec<Duration>,
}

impl Tally {
    fn add(&mut self, outcome: Outcome, latency: Duration) {
        match outcome {
            Outcome::Ok => self.ok += 1,
            Outcome::Refused(c) => *self.refused.entry(c).or_default() += 1,
            Outcome::Failed(c) => *self.failed.entry(c).or_default() += 1,
        }
        self.latencies.push(latency);
    }

    fn print(&mut self) {
        self.latencies.sort();
        let refused: usize = self.refused.values().sum();
        let failed: usize = self.failed.values().sum();
        println!("requests={}", self.latencies.len());
        println!("ok={}", self.ok);
        println!("refused={refused}");
        println!("errors={failed}");
        println!("p50_ms={:.1}", percentile(&self.latencies, 0.50));
        println!("p99_ms={:.1}", percentile(&self.latencies, 0.99));
        println!("max_ms={:.1}", percentile(&self.latencies, 1.0));
        let codes: Vec<String> = self
            .refused
            .iter()
            .chain(self.failed.iter())
            .map(|(c, n)| format!("{c}:{n}"))
            .collect();
        println!(
            "codes={}",
            if codes.is_empty() {
                "-".into()
            } else {
                codes.join(",")
            }
        );
        for (c, n) in &self.failed {
            eprintln!("loadgen: {n} failed request(s): {c}");
        }
    }
}

/// Nearest-rank percentile of sorted latencies, in milliseconds.
fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1].as_secs_f64() * 1000.0
}

fn form_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A space as `/api/center` lists it, with its center.
struct Space {
    center_id: i64,
    regional: bool,
    v: Value,
}

async fn spaces(conn: &mut Conn) -> Result<Vec<Space>, Error> {
    let centers = conn.json("/api/centers", String::new(), None).await?;
    let mut out = Vec::new();
    for c in centers.as_array().ok_or("centers: not a list")? {
        let id = c["id"].as_i64().ok_or("center without id")?;
        let regional = c["is_regional"].as_bool().unwrap_or(false);
        let detail = conn
            .json("/api/center", format!("center_id={id}"), None)
            .await?;
        for s in detail["spaces"].as_array().ok_or("spaces: not a list")? {
            out.push(Space {
                center_id: id,
                regional,
                v: s.clone(),
            });
        }
    }
    Ok(out)
}

/// Starts of one-hour bookings possible now in a space over its whole
/// advance window, with the seats left: (starts_at, remaining).
async fn free_slots(conn: &mut Conn, space_id: i64) -> Result<Vec<(i64, i64)>, Error> {
    let mut out = Vec::new();
    let mut week = 0;
    loop {
        let a = conn
            .json(
                "/api/availability",
                format!("space_id={space_id}&week={week}"),
                None,
            )
            .await?;
        for day in a["days"].as_array().ok_or("days: not a list")? {
            if day["closed"].as_bool().unwrap_or(true) {
                continue;
            }
            for slot in day["slots"].as_array().ok_or("slots: not a list")? {
                let remaining = slot["remaining"].as_i64().unwrap_or(0);
                if remaining > 0 && slot["max_minutes"].as_i64().unwrap_or(0) >= 60 {
                    out.push((
                        slot["starts_at"].as_i64().ok_or("slot without start")?,
                        remaining,
                    ));
                }
            }
        }
        week += 1;
        if week >= a["weeks"].as_u64().unwrap_or(1) {
            break;
        }
    }
    Ok(out)
}

fn booked(v: &Value) -> bool {
    v["booking_ids"]
        .as_array()
        .is_some_and(|ids| !ids.is_empty())
        && !v["pending"].as_bool().unwrap_or(false)
}

async fn book(addrs: &[String], sessions: &Sessions, clients: usize) -> Result<(), Error> {
    let mut conn = Conn::open(&addrs[0]).await?;
    // Per center, its bookable studio hours.
    let mut per_center: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
    for s in spaces(&mut conn).await? {
        let plain = matches!(s.v["kind"].as_str(), Some("PodcastStudio" | "PhotoStudio"))
            && s.v["capacity"].as_i64() == Some(1)
            && !s.v["requires_approval"].as_bool().unwrap_or(true)
            && !s.v["requires_induction"].as_bool().unwrap_or(true)
            && s.v["buffer_minutes"].as_i64() == Some(0);
        if !plain {
            continue;
        }
        let id = s.v["id"].as_i64().ok_or("space without id")?;
        for (start, _) in free_slots(&mut conn, id).await? {
            per_center.entry(s.center_id).or_default().push((id, start));
        }
    }
    // Three slots per member and center (the demo's fair-share quota); a
    // member's bookings are spread over the run, not sent back to back.
    let mut rounds: [Vec<(usize, i64, i64)>; 3] = Default::default();
    let mut member = 0;
    for slots in per_center.values() {
        for chunk in slots.chunks(3) {
            if member >= sessions.visitors.len() {
                break;
            }
            for (i, (space, start)) in chunk.iter().enumerate() {
                rounds[i].push((member, *space, *start));
            }
            member += 1;
        }
    }
    let jobs: Arc<Vec<(usize, i64, i64)>> = Arc::new(rounds.concat());
    eprintln!(
        "loadgen: {} distinct slots for {} members, {} clients",
        jobs.len(),
        member,
        clients
    );
    let next = Arc::new(AtomicUsize::new(0));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let visitors = Arc::new(sessions.visitors.clone());
    let barrier = Arc::new(tokio::sync::Barrier::new(clients + 1));
    let mut tasks = Vec::new();
    for c in 0..clients {
        let addr = addrs[c % addrs.len()].clone();
        let (jobs, next, tally, visitors, barrier) = (
            jobs.clone(),
            next.clone(),
            tally.clone(),
            visitors.clone(),
            barrier.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let conn = Conn::open(&addr).await;
            barrier.wait().await;
            let mut conn = conn?;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((m, space, start)) = jobs.get(i).copied() else {
                    break;
                };
                let t = Instant::now();
                let r = conn
                    .post(
                        "/api/book",
                        format!("space_id={space}&starts_at={start}&minutes=60"),
                        Some(&visitors[m]),
                    )
                    .await;
                let outcome = classify(&r, booked);
                tally.lock().expect("tally").add(outcome, t.elapsed());
            }
            Ok::<(), Error>(())
        }));
    }
    barrier.wait().await;
    let started = Instant::now();
    for t in tasks {
        t.await??;
    }
    let seconds = started.elapsed().as_secs_f64();
    let mut tally = tally.lock().expect("tally");
    println!("seconds={seconds:.2}");
    println!("ok_per_s={:.1}", tally.ok as f64 / seconds);
    tally.print();
    Ok(())
}

async fn storm(
    addrs: &[String],
    sessions: &Sessions,
    kind: &str,
    requests: usize,
    pick: usize,
    member_offset: usize,
) -> Result<(), Error> {
    let mut conn = Conn::open(&addrs[0]).await?;
    let space = spaces(&mut conn)
        .await?
        .into_iter()
        .find(|s| s.regional && s.v["kind"].as_str() == Some(kind))
        .ok_or("no such space at the regional center")?;
    let space_id = space.v["id"].as_i64().ok_or("space without id")?;
    let capacity = space.v["capacity"].as_i64().unwrap_or(1);
    let start = free_slots(&mut conn, space_id)
        .await?
        .into_iter()
        .filter(|(_, remaining)| *remaining == capacity)
        .nth(pick)
        .ok_or("no fully free slot")?
        .0;
    let members = sessions
        .visitors
        .get(member_offset..member_offset + requests)
        .ok_or("not enough visitor sessions")?
        .to_vec();
    // Every client connects first; then all send at once.
    let barrier = Arc::new(tokio::sync::Barrier::new(requests + 1));
    let mut tasks = Vec::new();
    for (i, token) in members.into_iter().enumerate() {
        let addr = addrs[i % addrs.len()].clone();
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            let conn = Conn::open(&addr).await;
            barrier.wait().await;
            let t = Instant::now();
            let r = match conn {
                Ok(mut c) => {
                    c.post(
                        "/api/book",
                        format!("space_id={space_id}&starts_at={start}&minutes=60&party_size=1"),
                        Some(&token),
                    )
                    .await
                }
                Err(e) => Err(e),
            };
            (classify(&r, booked), t.elapsed())
        }));
    }
    barrier.wait().await;
    let mut tally = Tally::default();
    for t in tasks {
        let (outcome, latency) = t.await?;
        tally.add(outcome, latency);
    }
    // What the database holds afterwards, as the public view reports it.
    let left = free_slots(&mut conn, space_id)
        .await?
        .into_iter()
        .find(|(s, _)| *s == start)
        .map_or(0, |(_, r)| r);
    println!("capacity={capacity}");
    println!("seats_taken={}", capacity - left);
    tally.print();
    Ok(())
}

async fn scan(addrs: &[String], sessions: &Sessions, rate: u32, seconds: u32) -> Result<(), Error> {
    let n = (rate * seconds) as usize;
    let members = sessions
        .visitors
        .get(..n)
        .ok_or("not enough visitor sessions")?
        .to_vec();
    // Each member's card code, through the member's own `my_card`.
    let codes = Arc::new(Mutex::new(vec![String::new(); n]));
    let next = Arc::new(AtomicUsize::new(0));
    let members = Arc::new(members);
    let mut tasks = Vec::new();
    for c in 0..8 {
        let addr = addrs[c % addrs.len()].clone();
        let (codes, next, members) = (codes.clone(), next.clone(), members.clone());
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::open(&addr).await?;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(token) = members.get(i) else { break };
                let card = conn
                    .json("/api/my_card", String::new(), Some(token))
                    .await?;
                let code = card["code"]
                    .as_str()
                    .ok_or("card without code")?
                    .to_string();
                codes.lock().expect("codes")[i] = code;
            }
            Ok::<(), Error>(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    let codes = std::mem::take(&mut *codes.lock().expect("codes"));
    // Open loop: scan i is due at start + i / rate, whatever came before.
    // A plain thread keeps the pace: tokio's timer fires on millisecond
    // ticks, up to a millisecond late (measured: 1.0 ms at the median),
    // and that lateness would be counted as the server's.
    let pool: Arc<Mutex<Vec<Conn>>> = Arc::new(Mutex::new(Vec::new()));
    let desk = Arc::new(sessions.desk.clone());
    let interval = Duration::from_secs_f64(1.0 / f64::from(rate));
    let rt = tokio::runtime::Handle::current();
    let addrs = addrs.to_vec();
    let start = Instant::now() + Duration::from_millis(50);
    let conns = pool.clone();
    let pacer = tokio::task::spawn_blocking(move || {
        let mut tasks = Vec::new();
        for (i, code) in codes.into_iter().enumerate() {
            let due = start + interval * i as u32;
            std::thread::sleep(due.saturating_duration_since(Instant::now()));
            let addr = addrs[i % addrs.len()].clone();
            let (pool, desk) = (pool.clone(), desk.clone());
            tasks.push(rt.spawn(scan_one(addr, pool, desk, code, due)));
        }
        tasks
    });
    let tasks = pacer.await?;
    let mut tally = Tally::default();
    let (mut lateness, mut from_send) = (Vec::new(), Vec::new());
    for t in tasks {
        let (outcome, latency, late, answered) = t.await?;
        tally.add(outcome, latency);
        lateness.push(late);
        from_send.push(answered);
    }
    // How late this process sent (its timer and scheduler), and the
    // latency from the moment of sending.
    lateness.sort();
    from_send.sort();
    println!("send_late_p50_ms={:.1}", percentile(&lateness, 0.50));
    println!("send_late_p99_ms={:.1}", percentile(&lateness, 0.99));
    println!("from_send_p50_ms={:.1}", percentile(&from_send, 0.50));
    println!("from_send_p99_ms={:.1}", percentile(&from_send, 0.99));
    let seconds = (Instant::now() - start).as_secs_f64();
    println!("achieved_per_s={:.1}", n as f64 / seconds);
    println!("connections={}", conns.lock().expect("pool").len());
    tally.print();
    Ok(())
}

/// One scan sent at `due` (or as soon after as this process manages):
/// its outcome, its latency from `due`, how late it was sent, and its
/// latency from the moment it was sent.
async fn scan_one(
    addr: String,
    pool: Arc<Mutex<Vec<Conn>>>,
    desk: Arc<String>,
    code: String,
    due: Instant,
) -> (Outcome, Duration, Duration, Duration) {
    let sent = Instant::now();
    let late = sent.saturating_duration_since(due);
    let conn = pool.lock().expect("pool").pop();
    let conn = match conn {
        Some(c) => Ok(c),
        None => Conn::open(&addr).await,
    };
    let r = match conn {
        Ok(mut c) => {
            let r = c
                .post(
                    "/api/scan",
                    format!("code={}", form_escape(&code)),
                    Some(&desk),
                )
                .await;
            if r.is_ok() {
                pool.lock().expect("pool").push(c);
            }
            r
        }
        Err(e) => Err(e),
    };
    let admitted = |v: &Value| v["admitted"].as_bool() == Some(true);
    (classify(&r, admitted), due.elapsed(), late, sent.elapsed())
}

async fn hold(
    addrs: &[String],
    sessions: &Sessions,
    clients: usize,
    seconds: u64,
) -> Result<(), Error> {
    let members = sessions
        .visitors
        .get(..clients)
        .ok_or("not enough visitor sessions")?
        .to_vec();
    let barrier = Arc::new(tokio::sync::Barrier::new(clients + 1));
    let mut tasks = Vec::new();
    for (i, token) in members.into_iter().enumerate() {
        let addr = addrs[i % addrs.len()].clone();
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            let conn = Conn::open(&addr).await;
            barrier.wait().await;
            let mut tally = Tally::default();
            let mut conn = match conn {
                Ok(c) => c,
                Err(e) => {
                    tally.add(Outcome::Failed(format!("connect: {e}")), Duration::ZERO);
                    return tally;
                }
            };
            let until = tokio::time::Instant::now() + Duration::from_secs(seconds);
            // Spread the clients over the second.
            let offset = Duration::from_millis((i as u64 * 997) % 1000);
            let mut tick = tokio::time::interval_at(
                tokio::time::Instant::now() + offset,
                Duration::from_secs(1),
            );
            loop {
                let now = tick.tick().await;
                if now >= until {
                    break;
                }
                let t = Instant::now();
                let r = conn.post("/api/whoami", String::new(), Some(&token)).await;
                let signed_in = |v: &Value| v.is_object();
                tally.add(classify(&r, signed_in), t.elapsed());
            }
            tally
        }));
    }
    barrier.wait().await;
    eprintln!("loadgen: {clients} clients connected");
    let mut all = Tally::default();
    for t in tasks {
        let mut one = t.await?;
        all.ok += one.ok;
        for (c, n) in std::mem::take(&mut one.refused) {
            *all.refused.entry(c).or_default() += n;
        }
        for (c, n) in std::mem::take(&mut one.failed) {
            *all.failed.entry(c).or_default() += n;
        }
        all.latencies.append(&mut one.latencies);
    }
    all.print();
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let cli = Cli::parse();
    let sessions = read_sessions(&cli.sessions)?;
    match cli.command {
        Command::Book { clients } => book(&cli.addr, &sessions, clients).await,
        Command::Storm {
            kind,
            requests,
            pick,
            member_offset,
        } => storm(&cli.addr, &sessions, &kind, requests, pick, member_offset).await,
        Command::Scan { rate, seconds } => scan(&cli.addr, &sessions, rate, seconds).await,
        Command::Hold { clients, seconds } => hold(&cli.addr, &sessions, clients, seconds).await,
    }
}
