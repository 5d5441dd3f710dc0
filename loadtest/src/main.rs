//! Load generator for AnKhangCRM: sets up load accounts, runs one scenario with N
//! concurrent virtual users for a fixed time, and prints latency and throughput.

mod pick;
mod scenario;
mod setup;
mod stats;
mod ws;

use std::time::Duration;

use anyhow::Context as _;
use clap::Parser;
use reqwest::{Client, redirect};

use crate::{
    scenario::{Needs, Scenario, VirtualUser},
    setup::{Endpoints, Session},
};

/// Per-request timeout: far above any healthy latency, so hitting it means trouble.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Parser)]
#[command(
    name = "loadtest",
    version,
    about = "Load generator for AnKhangCRM",
    after_help = "The pick scenario needs a server started with ANKHANG_PICK_COOLDOWN_SECS=0 \
                  (it refuses to run otherwise), and raises every service type's daily pick \
                  limit to 1000 without restoring it: run it against a benchmark database. \
                  The ws scenario ignores --duration: it lasts --events / --rate seconds."
)]
struct Cli {
    /// Server to load; every request goes here and nowhere else.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    base_url: String,
    /// Admin account used to create the load accounts.
    #[arg(long, default_value = "admin")]
    admin_user: String,
    /// Password of --admin-user.
    #[arg(long, env = "ANKHANG_ADMIN_PASSWORD", hide_env_values = true)]
    admin_password: String,
    /// Concurrent virtual users (load accounts `load-sale-0001` … are reused).
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=9999))]
    users: u32,
    /// Length of the measured phase, in seconds; the pick scenario ends earlier once
    /// the pool is empty.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    duration: u64,
    #[arg(long, value_enum, default_value_t = Scenario::Me)]
    scenario: Scenario,
    /// Contacts the pick scenario puts in the pool before the run.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    contacts: u32,
    /// WebSockets the ws scenario opens, round-robin over the users' tokens
    /// (default: one per user).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    sockets: Option<u32>,
    /// Contacts the ws scenario creates, one `contact.created` event each.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    events: u32,
    /// Contacts the ws scenario creates per second, one after another.
    #[arg(long, default_value_t = 10.0, value_parser = parse_rate)]
    rate: f64,
    /// Print the summary as one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // reqwest and the workspace's other crates bring different rustls backends;
    // pick one explicitly or the first TLS use panics.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cli = Cli::parse();
    let endpoints = Endpoints::new(&cli.base_url)?;
    let users = usize::try_from(cli.users)?;
    let client = Client::builder()
        // One idle connection per virtual user, so no user waits for another's.
        .pool_max_idle_per_host(users.max(16))
        .timeout(REQUEST_TIMEOUT)
        // Keep every request on the given server: no redirects, no proxies.
        .redirect(redirect::Policy::none())
        .no_proxy()
        .build()
        .context("building the HTTP client")?;

    // Progress goes to stderr so that `--json` leaves stdout machine-readable.
    eprintln!(
        "loadtest: scenario {} against {}, {} users for {} s",
        cli.scenario.name(),
        cli.base_url,
        cli.users,
        cli.duration
    );
    let prepared = prepare(&cli, &client, &endpoints).await?;
    if cli.scenario == Scenario::Pick {
        return pick(&cli, &client, &endpoints, prepared).await;
    }
    if cli.scenario == Scenario::Ws {
        return ws(&cli, &client, &endpoints, prepared).await;
    }

    eprintln!("running {} s …", cli.duration);
    let duration = Duration::from_secs(cli.duration);
    let (recorder, elapsed) =
        scenario::run(cli.scenario, &client, &endpoints, prepared.users, duration).await?;
    let summary = recorder.into_summary(cli.scenario.name(), cli.users, duration, elapsed);
    if cli.json {
        println!("{}", summary.to_json());
    } else {
        println!("{}", summary.to_table());
    }
    // Not one success means a misconfigured run (wrong URL, server down), not a
    // measurement: fail so scripts and CI notice.
    if summary.ok == 0 {
        anyhow::bail!("no request succeeded; see the error breakdown above");
    }
    Ok(())
}

/// The pick benchmark: its own set-up, run and double-assignment check.
async fn pick(
    cli: &Cli,
    client: &Client,
    endpoints: &Endpoints,
    prepared: Prepared,
) -> anyhow::Result<()> {
    let admin_token = prepared
        .admin
        .context("the pick scenario needs the admin's session")?
        .token;
    let duration = Duration::from_secs(cli.duration);
    let summary = pick::benchmark(
        client,
        endpoints,
        &admin_token,
        prepared.users,
        cli.contacts,
        duration,
    )
    .await?;
    if cli.json {
        println!("{}", summary.to_json());
    } else {
        println!("{}", summary.to_table());
    }
    if !summary.check.passed() {
        anyhow::bail!("double assignment detected; see the check above");
    }
    if summary.won == 0 {
        anyhow::bail!("no pick succeeded; see the outcome breakdown above");
    }
    Ok(())
}

/// The WebSocket fan-out benchmark: sockets, events, missing-frame check.
async fn ws(
    cli: &Cli,
    client: &Client,
    endpoints: &Endpoints,
    prepared: Prepared,
) -> anyhow::Result<()> {
    let admin_token = prepared
        .admin
        .context("the ws scenario needs the admin's session")?
        .token;
    let sales: Vec<Session> = prepared
        .users
        .into_iter()
        .map(|u| {
            u.session
                .with_context(|| format!("{} has no session", u.username))
        })
        .collect::<anyhow::Result<_>>()?;
    let summary = ws::benchmark(
        client,
        endpoints,
        &admin_token,
        sales,
        cli.sockets.unwrap_or(cli.users),
        cli.events,
        cli.rate,
    )
    .await?;
    if cli.json {
        println!("{}", summary.to_json());
    } else {
        println!("{}", summary.to_table());
    }
    if !summary.passed() {
        anyhow::bail!(
            "{} of {} expected frames missing; see the summary above",
            summary.missing,
            summary.expected
        );
    }
    Ok(())
}

/// `--rate`: a positive, finite number of events per second.
fn parse_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate > 0.0 && rate <= 10_000.0 => Ok(rate),
        _ => Err(format!(
            "{text:?} is not a rate between 0 and 10000 per second"
        )),
    }
}

/// What the set-up leaves for the measured phase.
struct Prepared {
    /// The admin's session, when the scenario needed accounts.
    admin: Option<Session>,
    users: Vec<VirtualUser>,
}

/// The unmeasured set-up the scenario needs: accounts, then sessions.
async fn prepare(cli: &Cli, client: &Client, endpoints: &Endpoints) -> anyhow::Result<Prepared> {
    let needs = cli.scenario.needs();
    let mut admin = None;
    if needs != Needs::Nothing {
        eprintln!("admin login as {} …", cli.admin_user);
        let session = setup::login(client, endpoints, &cli.admin_user, &cli.admin_password).await?;
        eprintln!("ensuring {} load accounts …", cli.users);
        setup::ensure_load_accounts(client, endpoints, &session.token, cli.users).await?;
        admin = Some(session);
    }
    let sessions = if needs == Needs::Sessions {
        eprintln!("logging in {} virtual users …", cli.users);
        setup::login_all(client, endpoints, cli.users)
            .await?
            .into_iter()
            .map(Some)
            .collect()
    } else {
        vec![None; usize::try_from(cli.users)?]
    };
    let users = (1..=cli.users)
        .zip(sessions)
        .map(|(n, session)| VirtualUser {
            username: setup::load_username(n),
            session,
        })
        .collect();
    Ok(Prepared { admin, users })
}
