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
}

fn load_keys(config: &Config) -> Result<app::state::PassKeyRing, Box<dyn std::error::Error>> {
    Ok(server::keys::apply_rotation(
        server::keys::load_or_create(config.pass_key.as_deref(), &config.data_dir)?,
        config.pass_key_id.as_deref(),
        config.retired_pass_keys.as_deref(),
    )?)
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
        Command::SeedSynthetic {
            centers,
            days,
            members,
            seed,
        } => {
            let keys = load_keys(&config)?;
            let opts = server::seed::synthetic::Options {
                centers,
                days,
                members_per_center: members,
                seed,
            };
            let (c, took) =
                server::seed::synthetic::seed_synthetic(&db, &keys, config.clock.now(), opts)
                    .await?;
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
                centers.saturating_sub(1)
            );
        }
        Command::Serve { seed_demo: seed } => {
            let keys = load_keys(&config)?;
            if seed && seed_demo(&db, config.clock.now()).await? {
                tracing::info!("demo data loaded");
                if config.demo_history_days > 0 {
                    let c = server::seed::synthetic::history(
                        &db,
                        &keys,
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
            if let app::state::Clock::Frozen(t) = config.clock {
                tracing::warn!(%t, "ORTALYQ_FROZEN_CLOCK is set: the server's clock stands still (tests and demos only)");
            }
            let leptos_options = get_configuration(None)?.leptos_options;
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
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        }
    }
    Ok(())
}
