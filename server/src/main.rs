//! `ortalyq`: serve the app, run migrations, seed demo data, back up and
//! restore.

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};
use leptos::prelude::get_configuration;
use sea_orm::DatabaseConnection;
use server::config::Config;
use server::seed::{seed_demo, DEMO_LOGINS, DEMO_PASSWORD};
use tracing_subscriber::EnvFilter;

/// mimalloc instead of glibc's malloc (see server/Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "ortalyq",
    version,
    about = "Ortalyq: booking, membership and QR check-in for youth resource centers"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app (the default). Migrations run first.
    Serve {
        /// Seed the demo data when the database has no centers yet.
        #[arg(long, env = "ORTALYQ_SEED_DEMO", action = clap::ArgAction::SetTrue, value_parser = clap::builder::BoolishValueParser::new())]
        seed_demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Apply migrations and load the demo data into an empty database.
    SeedDemo,
    /// Mark unattended bookings as no-shows once and exit (the server also
    /// does this every minute).
    SweepNoShows,
    /// Fill an empty database with a synthetic region and its history
    /// (volume tests and benchmarks): bookings, passes, check-ins, no-shows,
    /// cancellations, club sessions and attendance.
    SeedSynthetic {
        /// Centers in the region (the first is the regional center), 1 to 15.
        #[arg(long, default_value_t = 15)]
        centers: usize,
        /// Days of history, ending yesterday.
        #[arg(long, default_value_t = 365)]
        days: u32,
        /// Members registered at each center.
        #[arg(long, default_value_t = 1500)]
        members: usize,
        /// Random seed (the same seed gives the same data).
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Write a consistent copy of the SQLite database to FILE (safe while
    /// the server runs). On PostgreSQL, prints how to use pg_dump instead.
    Backup {
        /// The backup file to create (must not exist yet).
        file: PathBuf,
    },
    /// Replace the SQLite database with the backup FILE. The server must be
    /// stopped; the replaced database is kept beside it.
    Restore {
        /// A file written by `ortalyq backup`.
        file: PathBuf,
    },
    /// Create an API token for an integration and print it (once). The
    /// token is recorded in the audit log as created by the admin ADMIN.
    ApiToken {
        /// Login (email or phone) of the regional admin creating the token.
        #[arg(long)]
        admin: String,
        /// The center the token works for: its id or slug.
        #[arg(long)]
        center: String,
        /// Who uses the token, e.g. "Telegram bot".
        #[arg(long)]
        name: String,
        /// Comma-separated: read, book, check_in.
        #[arg(long, default_value = "read")]
        scopes: String,
        /// Requests per minute (default 120).
        #[arg(long)]
        rate: Option<u32>,
    },
    /// Benchmarks only (`make bench`): create N adult visitors of the
    /// regional demo center with a session each; prints `desk <token>` and
    /// then `visitor <token>` lines.
    #[command(hide = true)]
    BenchSessions {
        #[arg(long, default_value_t = 100)]
        visitors: usize,
    },
}

fn load_keys(config: &Config) -> Result<app::state::PassKeyRing, Box<dyn std::error::Error>> {
    Ok(server::keys::apply_rotation(
        server::keys::load_or_create(config.pass_key.as_deref(), &config.data_dir)?,
        config.pass_key_id.as_deref(),
        config.retired_pass_keys.as_deref(),
    )?)
}

/// Warn at start when the site folder lacks the script or stylesheet the
/// pages will ask for: a site from another build (with hashed names, each
/// build has its own), or `hash.txt` not deployed beside the binary.
fn check_site(options: &leptos::prelude::LeptosOptions) {
    let pkg = PathBuf::from(&*options.site_root).join(&*options.site_pkg_dir);
    if !pkg.is_dir() {
        return;
    }
    let mut names = vec![
        format!("{}.js", options.output_name),
        format!("{}.css", options.output_name),
    ];
    if options.hash_files {
        let hashes = std::env::current_exe()
            .ok()
            .and_then(|exe| std::fs::read_to_string(exe.parent()?.join(&*options.hash_file)).ok())
            .unwrap_or_default();
        for name in &mut names {
            let ext = name.rsplit('.').next().unwrap_or_default().to_owned();
            if let Some(hash) = hashes.lines().find_map(|l| {
                let (k, v) = l.split_once(':')?;
                (k.trim() == ext).then(|| v.trim().to_owned())
            }) {
                *name = format!("{}.{hash}.{ext}", options.output_name);
            }
        }
    }
    for name in names {
        if !pkg.join(&name).is_file() {
            tracing::warn!(
                file = %pkg.join(&name).display(),
                hashed = options.hash_files,
                "the site folder lacks a file the pages load: build it with this binary (`cargo leptos build`) and deploy hash.txt beside the binary"
            );
        }
    }
}

fn print_demo_logins() {
    println!("Demo logins (password: {DEMO_PASSWORD}):");
    for d in &DEMO_LOGINS {
        println!("  {:<11} {:<26} or {}", d.role.as_str(), d.login, d.phone);
    }
}

fn init_logging(json: bool) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    if json {
        // One JSON object per line with the request span's fields (method,
        // path, route, status, latency) for log shippers.
        tracing_subscriber::fmt()
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .with_env_filter(filter)
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
}

/// Resolves on Ctrl-C or SIGTERM (systemd, Docker, Kubernetes stop).
async fn shutdown_signal() {
    let interrupt = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    let which = tokio::select! {
        _ = interrupt => "interrupt",
        _ = terminate => "terminate",
    };
    tracing::info!(
        signal = which,
        "shutting down: no new connections, finishing requests in flight"
    );
}

#[tokio::main]
async fn main() {
    // Errors are printed for operators (Display), not as Rust debug output.
    if let Err(e) = run().await {
        eprintln!("ortalyq: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let cli = Cli::parse();
    let config = Config::from_env()?;
    init_logging(config.log_json);
    let command = cli.command.unwrap_or(Command::Serve { seed_demo: false });
    // Backups and restores do not migrate: a backup copies what is there, a
    // restore must not open the database it replaces.
    match command {
        Command::Backup { file } => return backup(&config, &file).await,
        Command::Restore { file } => return restore(&config, &file).await,
        _ => {}
    }
    // A restore must not swap the file under a running server.
    let _serve_lock = match (&command, server::backup::sqlite_file(&config.database_url)) {
        (Command::Serve { .. }, Some(file)) => Some(server::backup::hold_serve_lock(&file)?),
        _ => None,
    };
    let db = server::db::connect(&config.database_url).await?;
    server::db::migrate(&db).await?;
    match command {
        Command::Backup { .. } | Command::Restore { .. } => {}
        Command::Migrate => {
            println!("migrations applied");
        }
        Command::SeedDemo => {
            if seed_demo(&db, config.clock.now()).await? {
                println!("demo data loaded");
            } else {
                println!("database already has centers; demo data not loaded");
            }
            print_demo_logins();
        }
        Command::SweepNoShows => {
            let n = server::ops::run_no_show_sweep(&db, config.clock).await?;
            println!("{n} booking(s) marked as no-show");
        }
        Command::SeedSynthetic {
            centers,
            days,
            members,
            seed,
        } => {
            let opts = server::seed::synthetic::Options {
                centers,
                days,
                members_per_center: members,
                seed,
            };
            seed_synthetic(&db, &config, opts).await?;
        }
        Command::ApiToken {
            admin,
            center,
            name,
            scopes,
            rate,
        } => {
            let token = server::api::create_token_cli(
                &db,
                &admin,
                &center,
                &name,
                &scopes,
                rate,
                config.clock.now(),
            )
            .await?;
            println!("{token}");
        }
        Command::BenchSessions { visitors } => {
            let s = server::bench_seed::bench_sessions(&db, visitors, config.clock.now()).await?;
            let mut out = format!("desk {}\n", s.desk);
            for t in &s.visitors {
                out.push_str("visitor ");
                out.push_str(t);
                out.push('\n');
            }
            print!("{out}");
        }
        Command::Serve { seed_demo: seed } => serve(db, &config, seed).await?,
    }
    Ok(())
}

/// `ortalyq backup FILE`: a consistent copy of the SQLite database.
async fn backup(config: &Config, file: &Path) -> Result<(), Box<dyn std::error::Error>> {
    match server::backup::backup(&config.database_url, file).await {
        Ok(counts) => {
            let rows: i64 = counts.iter().map(|(_, n)| n).sum();
            println!(
                "backup written to {} ({} tables, {rows} rows, integrity ok)",
                file.display(),
                counts.len()
            );
        }
        Err(server::backup::BackupError::Postgres) => {
            eprintln!("{}", server::backup::POSTGRES_ADVICE);
            std::process::exit(2);
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

/// `ortalyq restore FILE`: replace the SQLite database, then migrate the
/// restored one.
async fn restore(config: &Config, file: &Path) -> Result<(), Box<dyn std::error::Error>> {
    match server::backup::restore(&config.database_url, file, chrono::Utc::now()).await {
        Ok(kept) => {
            let db = server::db::connect(&config.database_url).await?;
            server::db::migrate(&db).await?;
            db.close().await?;
            println!("database restored from {}", file.display());
            if let Some(old) = kept {
                println!("the replaced database was kept as {}", old.display());
            }
        }
        Err(server::backup::BackupError::Postgres) => {
            eprintln!("{}", server::backup::POSTGRES_ADVICE);
            std::process::exit(2);
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

/// `ortalyq seed-synthetic`: write the synthetic region and say what was
/// written and how to log in.
async fn seed_synthetic(
    db: &DatabaseConnection,
    config: &Config,
    opts: server::seed::synthetic::Options,
) -> Result<(), Box<dyn std::error::Error>> {
    let keys = load_keys(config)?;
    let (c, took) =
        server::seed::synthetic::seed_synthetic(db, &keys, config.clock.now(), opts).await?;
    println!(
        "synthetic region written in {:.1} s: {} centers, {} members, {} bookings \
         ({} no-shows, {} cancelled), {} passes, {} check-ins, {} club sessions, \
         {} club attendances ({} activity rows)",
        took.as_secs_f64(),
        c.centers,
        c.people,
        c.bookings,
        c.no_shows,
        c.cancelled,
        c.passes,
        c.check_ins,
        c.club_sessions,
        c.club_attendance,
        c.activity_rows()
    );
    println!(
        "Logins (password: {DEMO_PASSWORD}): director0@synthetic.ortalyq.kz (admin, \
         regional center), director1@… director{}@synthetic.ortalyq.kz (district directors)",
        opts.centers.saturating_sub(1)
    );
    Ok(())
}

/// `ortalyq serve`: load the demo data if asked, start the background
/// workers and serve until Ctrl-C or SIGTERM.
async fn serve(
    db: DatabaseConnection,
    config: &Config,
    seed: bool,
) -> Result<(), Box<dyn std::error::Error>> {
    let keys = load_keys(config)?;
    if seed {
        load_demo(&db, &keys, config).await?;
    }
    if let app::state::Clock::Frozen(t) = config.clock {
        tracing::warn!(%t, "ORTALYQ_FROZEN_CLOCK is set: the server's clock stands still (tests and demos only)");
    }
    let leptos_options = site_options()?;
    let addr = leptos_options.site_addr;
    let mut state = server::state(leptos_options, db.clone(), keys, config);
    let telegram = start_telegram(config, &mut state).await?;
    spawn_workers(&db, config, telegram.as_ref().map(|(api, _)| api.clone()))?;
    let app = server::router_with(
        state,
        server::ops::Ops {
            metrics_token: config.metrics_token.clone(),
            page_cache: std::time::Duration::from_secs(config.page_cache_secs),
            telegram_webhook: telegram.and_then(|(_, hook)| hook),
        },
    );
    let listener = tokio::net::TcpListener::bind(addr).await?;
    // The address actually bound (port 0 in the site address lets the
    // OS pick a free one, as the crash test does).
    let addr = listener.local_addr()?;
    println!("Ortalyq is serving at http://{addr}");
    if seed {
        print_demo_logins();
    }
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    db.close().await?;
    tracing::info!("stopped");
    Ok(())
}

/// The demo data into an empty database, with `demo_history_days` of past
/// activity; nothing if the database already has centers.
async fn load_demo(
    db: &DatabaseConnection,
    keys: &app::state::PassKeyRing,
    config: &Config,
) -> Result<(), Box<dyn std::error::Error>> {
    if seed_demo(db, config.clock.now()).await? {
        tracing::info!("demo data loaded");
        if config.demo_history_days > 0 {
            let c = server::seed::synthetic::history(
                db,
                keys,
                config.clock.now(),
                config.demo_history_days,
            )
            .await?;
            tracing::info!(
                bookings = c.bookings,
                check_ins = c.check_ins,
                days = config.demo_history_days,
                "demo history loaded"
            );
        }
    }
    Ok(())
}

/// Leptos's options from the environment and Cargo.toml, with the build's
/// hashed file names when there are any; warns when the site folder lacks
/// the files the pages load.
fn site_options() -> Result<leptos::prelude::LeptosOptions, Box<dyn std::error::Error>> {
    let mut leptos_options = get_configuration(None)?.leptos_options;
    // cargo-leptos (`hash-files = true`) names the build files by
    // their content and lists the hashes in a file beside this
    // binary; `cargo leptos serve` says so through LEPTOS_HASH_FILES,
    // a plain start (`make run`, the browser tests) by that file.
    if std::env::var_os("LEPTOS_HASH_FILES").is_none() {
        leptos_options.hash_files = std::env::current_exe()?
            .parent()
            .is_some_and(|dir| dir.join(&*leptos_options.hash_file).is_file());
    }
    check_site(&leptos_options);
    Ok(leptos_options)
}

/// A started bot's API client (for the outbox) and, in webhook mode, its
/// route.
type TelegramStart = (
    server::telegram::BotApi,
    Option<axum::Router<app::state::AppState>>,
);

/// The Telegram bot when `ORTALYQ_TELEGRAM_TOKEN` is set: asks Telegram
/// for its name (shown on `/account`), then either registers the webhook
/// (`ORTALYQ_TELEGRAM_WEBHOOK_URL`; the route is returned) or starts
/// polling. A bot Telegram does not answer for stays off, with an error in
/// the log; the site runs without it.
async fn start_telegram(
    config: &Config,
    state: &mut app::state::AppState,
) -> Result<Option<TelegramStart>, Box<dyn std::error::Error>> {
    use server::telegram;
    let Some(t) = &config.telegram else {
        return Ok(None);
    };
    let api = telegram::BotApi::new(&t.token.0, t.api_url.as_deref())?;
    let username = match api.username().await {
        Ok(u) => u,
        Err(e) => {
            tracing::error!(error = %e, "telegram: getMe failed, the bot is off (check ORTALYQ_TELEGRAM_TOKEN)");
            return Ok(None);
        }
    };
    state.telegram_bot = Some(username.clone().into());
    let ctx = telegram::BotCtx {
        state: state.clone(),
        api: api.clone(),
    };
    let hook = match &t.webhook_url {
        Some(url) => {
            let secret = telegram::webhook_secret(&t.token.0);
            telegram::set_webhook(&api, url, &secret).await?;
            Some(telegram::webhook_router(ctx, secret))
        }
        None => {
            if let Err(e) = telegram::delete_webhook(&api).await {
                tracing::warn!(error = %e, "telegram: deleteWebhook failed");
            }
            telegram::spawn_polling(ctx);
            None
        }
    };
    tracing::info!(bot = %username, webhook = t.webhook_url.is_some(), "telegram bot started");
    Ok(Some((api, hook)))
}

/// The background workers of a serving process: the no-show sweep and the
/// outbox dispatcher (which sends Telegram messages through `telegram`).
fn spawn_workers(
    db: &DatabaseConnection,
    config: &Config,
    telegram: Option<server::telegram::BotApi>,
) -> Result<(), Box<dyn std::error::Error>> {
    // No-shows: every minute, in this process. Several instances may
    // run it at once (see sweep_no_shows).
    server::ops::spawn_no_show_sweep(db.clone(), config.clock, std::time::Duration::from_secs(60));
    // The outbox: emails, text messages and webhook deliveries queued by
    // the services, sent every few seconds (safe on several instances).
    let mailer =
        server::dispatch::Mailer::new(config.smtp_url.as_deref(), config.data_dir.join("outbox"))?;
    if let server::dispatch::Mailer::Folder(dir) = &mailer {
        tracing::info!(dir = %dir.display(), "ORTALYQ_SMTP_URL is not set: emails are written to a folder");
    }
    let sms =
        server::sms::SmsGateway::from_config(config.sms.as_ref(), config.data_dir.join("outbox"))?;
    match (&sms, &config.sms) {
        (server::sms::SmsGateway::Folder(dir), _) => {
            tracing::info!(dir = %dir.display(), "ORTALYQ_SMS_URL is not set: text messages are written to a folder")
        }
        (_, Some(s)) if !s.url.starts_with("https://") => {
            tracing::warn!("ORTALYQ_SMS_URL is not https: the API key travels unencrypted")
        }
        _ => {}
    }
    let mut dispatcher = server::dispatch::Dispatcher::new(db.clone(), mailer, &config.mail_from)?
        .with_egress(config.webhook_egress.clone())
        .with_sms(sms);
    if let Some(api) = telegram {
        dispatcher = dispatcher.with_telegram(api);
    }
    server::dispatch::spawn_dispatcher(dispatcher, config.clock, std::time::Duration::from_secs(5));
    Ok(())
}
