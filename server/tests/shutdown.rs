//! The `ortalyq` binary as an operator runs it (SQLite): JSON logs with
//! request spans, a backup while it serves, a restore refused while it
//! serves, and a graceful stop on SIGTERM that finishes the request in
//! flight and exits 0.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn ortalyq(dir: &Path, port: u16) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ortalyq"));
    c.current_dir(dir)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", dir.join("ortalyq.db").display()),
        )
        .env("ORTALYQ_DATA_DIR", dir)
        .env("ORTALYQ_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .env("LEPTOS_OUTPUT_NAME", "ortalyq")
        .env("LEPTOS_SITE_ROOT", dir.join("site"))
        .env("LEPTOS_SITE_PKG_DIR", "pkg")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_ENV", "PROD")
        .env_remove("ORTALYQ_METRICS_TOKEN")
        .env_remove("ORTALYQ_FROZEN_CLOCK")
        .env_remove("ORTALYQ_SEED_DEMO");
    c
}

fn run(dir: &Path, args: &[&str]) -> Output {
    ortalyq(dir, free_port()).args(args).output().unwrap()
}

/// One HTTP/1.1 exchange over a fresh connection.
fn http(port: u16, request: &str) -> std::io::Result<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    s.write_all(request.as_bytes())?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    Ok(out)
}

fn get(port: u16, path: &str) -> std::io::Result<String> {
    http(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
    )
}

fn wait_exit(child: &mut Child, within: Duration) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > within {
            let _ = child.kill();
            panic!("the server did not stop within {within:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn serves_backs_up_and_stops_gracefully_on_sigterm() {
    let dir = Dir(std::env::temp_dir().join(format!("ortalyq-bin-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir.0);
    std::fs::create_dir_all(&dir.0).unwrap();
    let port = free_port();
    let log = std::fs::File::create(dir.0.join("server.log")).unwrap();
    let mut child = ortalyq(&dir.0, port)
        .arg("serve")
        .stdout(Stdio::from(log.try_clone().unwrap()))
        .stderr(Stdio::from(log))
        .spawn()
        .unwrap();

    // Ready once migrated and listening.
    let start = Instant::now();
    let ready = loop {
        if let Ok(r) = get(port, "/readyz") {
            break r;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!(
                "server did not start: {}",
                std::fs::read_to_string(dir.0.join("server.log")).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(ready.starts_with("HTTP/1.1 200"), "{ready}");
    assert!(ready.contains("\"migrations\":\"applied\""), "{ready}");
    let alive = get(port, "/healthz").unwrap();
    assert!(alive.starts_with("HTTP/1.1 200") && alive.contains("\"status\":\"ok\""));
    // /metrics without a token: direct loopback connections only.
    let m = get(port, "/metrics").unwrap();
    assert!(m.starts_with("HTTP/1.1 200"), "{m}");
    assert!(m.contains("route=\"/readyz\""), "{m}");
    let proxied = http(
        port,
        "GET /metrics HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: 203.0.113.9\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    assert!(proxied.starts_with("HTTP/1.1 404"), "{proxied}");

    // A backup while serving; a restore is refused while serving.
    let backup = dir.0.join("backups").join("one.db");
    let out = run(&dir.0, &["backup", backup.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("integrity ok"));
    assert!(backup.is_file());
    let out = run(&dir.0, &["restore", backup.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("a running Ortalyq server holds"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A request in flight: headers and half the body sent…
    let body = "login=nobody%40example.kz&password=not-the-password";
    let mut slow = TcpStream::connect(("127.0.0.1", port)).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        slow,
        "POST /api/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Accept: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        body.len(),
        &body[..10]
    )
    .unwrap();
    slow.flush().unwrap();
    std::thread::sleep(Duration::from_millis(500));
    // …then SIGTERM, as systemd or Docker send it.
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    // No new connections are taken while the old one finishes.
    let start = Instant::now();
    loop {
        if TcpStream::connect(("127.0.0.1", port)).is_err() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "still accepting after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "exited with a request in flight"
    );
    slow.write_all(&body.as_bytes()[10..]).unwrap();
    let mut answer = String::new();
    slow.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(answer.contains("invalid_credentials"), "{answer}");
    let status = wait_exit(&mut child, Duration::from_secs(20));
    assert!(status.success(), "exit status {status:?}");

    // JSON log lines with the request span's fields.
    let logs = std::fs::read_to_string(dir.0.join("server.log")).unwrap();
    let finished: Vec<serde_json::Value> = logs
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["message"] == "request finished")
        .collect();
    let login = finished
        .iter()
        .find(|v| v["span"]["route"] == "/api/login")
        .unwrap_or_else(|| panic!("no log line for the login: {logs}"));
    assert_eq!(login["status"], 401);
    assert_eq!(login["span"]["method"], "POST");
    assert_eq!(login["span"]["path"], "/api/login");
    assert!(login["latency_ms"].as_u64().is_some());
    assert!(logs.contains("shutting down"), "{logs}");

    // Stopped: now the restore goes through and keeps the old file.
    let out = run(&dir.0, &["restore", backup.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("database restored"), "{said}");
    assert!(said.contains("before-restore-"), "{said}");

    // On PostgreSQL the command gives pg_dump advice and exits 2.
    let out = ortalyq(&dir.0, free_port())
        .env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/none")
        .args(["backup", "x.db"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump"));
}
