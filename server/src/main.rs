//! `ortalyq`: serve the app, run migrations, seed demo data.

use clap::{Parser, Subcommand};
use leptos::prelude::get_configuration;
use server::config::Config;
use server::seed::{seed_demo, DEMO_LOGINS, DEMO_PASSWORD};
use tracing_subscriber::EnvFilter;

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
    /// Benchmarks only (`make bench`): create N adult visitors of the
    /// regional demo center with a session each; prints `desk <token>` and
    /// then `visitor <token>` lines.
    #[command(hide = true)]
    BenchSessions {
        #[arg(long, default_value_t = 100)]
        visitors: usize,
    },
}

fn print_demo_logins() {
    println!("Demo logins (password: {DEMO_PASSWORD}):");
    for d in &DEMO_LOGINS {
        println!("  {:<11} {:<26} or {}", d.role.as_str(), d.login, d.phone);
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let cli = Cli::parse();
    let config = Config::from_env()?;
    let db = server::db::connect(&config.database_url).await?;
    server::db::migrate(&db).await?;
    match cli.command.unwrap_or(Command::Serve { seed_demo: false }) {
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
            let n = app::passes::door::sweep_no_shows(&db, config.clock.now()).await?;
            println!("{n} booking(s) marked as no-show");
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
        Command::Serve { seed_demo: seed } => {
            if seed && seed_demo(&db, config.clock.now()).await? {
                tracing::info!("demo data loaded");
            }
            if let app::state::Clock::Frozen(t) = config.clock {
                tracing::warn!(%t, "ORTALYQ_FROZEN_CLOCK is set: the server's clock stands still (tests and demos only)");
            }
            let keys = server::keys::apply_rotation(
                server::keys::load_or_create(config.pass_key.as_deref(), &config.data_dir)?,
                config.pass_key_id.as_deref(),
                config.retired_pass_keys.as_deref(),
            )?;
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
            let addr = leptos_options.site_addr;
            let state = server::state(leptos_options, db.clone(), keys, &config);
            // No-shows: every minute, in this process. Several instances may
            // run it at once (see sweep_no_shows).
            let clock = config.clock;
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
                loop {
                    tick.tick().await;
                    match app::passes::door::sweep_no_shows(&db, clock.now()).await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(n, "bookings marked as no-show"),
                        Err(e) => tracing::warn!(error = ?e, "no-show sweep failed"),
                    }
                }
            });
            let app = server::router(state);
            let listener = tokio::net::TcpListener::bind(addr).await?;
            println!("Ortalyq is serving at http://{addr}");
            if seed {
                print_demo_logins();
            }
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        }
    }
    Ok(())
}
