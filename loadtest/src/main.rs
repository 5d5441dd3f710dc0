//! Load generator for AnKhangCRM: sets up load accounts, runs one scenario with N
//! concurrent virtual users for a fixed time, and prints latency and throughput.

mod failover;
mod fdlimit;
mod nodes;
mod notify;
mod pace;
mod pick;
mod progress;
mod queries;
mod race;
mod scenario;
mod server_proc;
mod setup;
mod sinks;
mod socket;
mod stats;
mod storm;
mod ws;

use std::{path::PathBuf, time::Duration};

use anyhow::Context as _;
use clap::{CommandFactory as _, Parser};
use reqwest::{Client, redirect};

use crate::{
    nodes::{Cluster, ClusterPlan},
    progress::Progress,
    scenario::{Needs, Scenario, VirtualUser},
    server_proc::ServerProc,
    setup::{Endpoints, SETUP_CONCURRENCY, Session},
    socket::SocketPlan,
};

/// Per-request timeout: far above any healthy latency, so hitting it means trouble.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Parser)]
#[command(
    name = "loadtest",
    version,
    about = "Load generator for AnKhangCRM",
    after_help = "The pick and race scenarios need a server started with \
                  ANKHANG_PICK_COOLDOWN_SECS=0 (they refuse to run otherwise), and raise every \
                  service type's daily pick limit to 1000 without restoring it: run them \
                  against a benchmark database. The ws and storm scenarios ignore --duration: \
                  they last --events / --rate seconds (twice for storm); race lasts --rounds. \
                  The soft file-descriptor limit is raised to the hard limit at start-up; \
                  start the server from a shell with `ulimit -n` above its socket count too. \
                  With --nodes 2 or more, the load tester starts the servers itself (they \
                  inherit its raised limit) on the port of --base-url and the ports after \
                  it, runs `ankhang migrate` and `create-admin` with --admin-user and \
                  --admin-password first, and kills them when it exits; use a fresh \
                  benchmark database."
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
    /// WebSockets the ws and storm scenarios open, round-robin over the users'
    /// tokens (default: one per user). The race scenario opens one per user.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    sockets: Option<u32>,
    /// Contacts the ws scenario creates, one `contact.created` event each; storm
    /// creates this many with the sockets up and as many again while they are down.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    events: u32,
    /// Contacts the ws and storm scenarios create per second, one after another;
    /// rounds the notify scenario starts per second at most.
    #[arg(long, default_value_t = 10.0, value_parser = parse_rate)]
    rate: f64,
    /// Rounds of the race scenario (one new contact, every user picking it at once),
    /// or of each query in the queries scenario.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    rounds: u32,
    /// WebSocket handshakes in flight at once (ws, race, storm: opening and
    /// reconnecting).
    #[arg(long, default_value_t = ws::CONNECT_CONCURRENCY, value_parser = parse_concurrency)]
    connect_concurrency: usize,
    /// The server's process id (Linux): its resident memory is read from /proc before
    /// and after the sockets open, to report KB per socket (ws, storm).
    #[arg(long)]
    server_pid: Option<u32>,
    /// notify: accept the server's emails here (start the server with
    /// `ANKHANG_SMTP_URL=smtp://ADDR`); the rule then also sends email.
    #[arg(long)]
    smtp_sink: Option<std::net::SocketAddr>,
    /// notify: accept the server's Slack webhook requests here (start the server with
    /// `ANKHANG_SLACK_WEBHOOK_URL=http://ADDR/slack`); the rule then also posts to Slack.
    #[arg(long)]
    slack_sink: Option<std::net::SocketAddr>,
    /// Print the summary as one JSON object instead of a table.
    #[arg(long)]
    json: bool,
    /// Server processes to start and load. 1: the server at --base-url, as it is.
    /// 2 or more: started here on the port of --base-url (node 0) and the ports after
    /// it, sharing --database-url and --broker-url; ws, race, storm and failover
    /// spread their sockets (and race its picks) round-robin over them, everything
    /// else goes to node 0.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=i64::from(nodes::MAX_NODES)))]
    nodes: u8,
    /// The `ankhang` binary the nodes run (default: `ankhang` beside this executable).
    #[arg(long)]
    server_bin: Option<PathBuf>,
    /// PostgreSQL URL every node shares (needed with --nodes above 1).
    #[arg(long)]
    database_url: Option<String>,
    /// Redis URL bridging the nodes' hubs (needed with --nodes above 1).
    #[arg(long)]
    broker_url: Option<String>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // reqwest and the workspace's other crates bring different rustls backends;
    // pick one explicitly or the first TLS use panics.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cli = Cli::parse();
    if let Err(why) = cli.check_nodes() {
        Cli::command()
            .error(clap::error::ErrorKind::ArgumentConflict, why)
            .exit();
    }
    // Before the nodes start: they inherit the raised limit.
    fdlimit::raise(cli.descriptors_needed());
    let mut cluster = None;
    // Only with nodes to kill: otherwise Ctrl-C ends the process as it always did.
    let interrupted = async {
        if cli.nodes > 1 {
            let _ = tokio::signal::ctrl_c().await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    let outcome = tokio::select! {
        outcome = run(&cli, &mut cluster) => outcome,
        () = interrupted => Err(anyhow::anyhow!("interrupted")),
    };
    if let Some(cluster) = cluster {
        cluster.stop().await;
    }
    outcome
}

/// Everything after the arguments; nodes it starts go into `cluster`, which the
/// caller stops whatever happens.
async fn run(cli: &Cli, cluster: &mut Option<Cluster>) -> anyhow::Result<()> {
    let server = cli.server_pid.map(ServerProc::open).transpose()?;
    if let Some(server) = &server {
        fdlimit::check_server(server.max_open_files(), cli.descriptors_needed());
    }
    let progress = Progress::new(cli.json);
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
    let mut nodes = vec![endpoints.clone()];
    if cli.nodes > 1 {
        let plan = cli.cluster_plan()?;
        *cluster = Some(Cluster::start(&plan, &client).await?);
        for url in plan.urls.iter().skip(1) {
            nodes.push(Endpoints::new(url.as_str())?);
        }
    }

    // Progress goes to stderr so that `--json` leaves stdout machine-readable.
    let length = match cli.scenario {
        Scenario::Ws | Scenario::Storm | Scenario::Failover => {
            format!("{} events at {}/s", cli.events, cli.rate)
        }
        Scenario::Race | Scenario::Queries | Scenario::Notify => {
            format!("{} rounds", cli.rounds)
        }
        Scenario::Me | Scenario::Login | Scenario::Health | Scenario::Pick => {
            format!("for {} s", cli.duration)
        }
    };
    let against = if cli.nodes > 1 {
        format!("{} nodes from {}", cli.nodes, cli.base_url)
    } else {
        cli.base_url.clone()
    };
    eprintln!(
        "loadtest: scenario {} against {against}, {} users, {length}",
        cli.scenario.name(),
        cli.users,
    );
    let prepared = prepare(cli, &client, &endpoints, progress).await?;
    let run = Run {
        cli,
        client: &client,
        endpoints: &endpoints,
        nodes: &nodes,
        server: server.as_ref(),
        progress,
    };
    match cli.scenario {
        Scenario::Pick => return pick(run, prepared).await,
        Scenario::Ws => return ws(run, prepared).await,
        Scenario::Race => return race(run, prepared).await,
        Scenario::Storm => return storm(run, prepared).await,
        Scenario::Queries => return queries(run, prepared).await,
        Scenario::Notify => return notify(run, prepared).await,
        Scenario::Failover => {
            let cluster = cluster
                .as_mut()
                .context("the failover scenario needs --nodes 2 or more")?;
            return failover(run, prepared, cluster).await;
        }
        Scenario::Me | Scenario::Login | Scenario::Health => {}
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

/// What every special scenario needs from `main`.
#[derive(Clone, Copy)]
struct Run<'a> {
    cli: &'a Cli,
    client: &'a Client,
    endpoints: &'a Endpoints,
    /// Every node, node 0 (`endpoints`) first; just that one without `--nodes`.
    nodes: &'a [Endpoints],
    server: Option<&'a ServerProc>,
    progress: Progress,
}

impl Run<'_> {
    fn socket_plan(&self) -> SocketPlan<'_> {
        SocketPlan {
            sockets: self.cli.sockets.unwrap_or(self.cli.users),
            events: self.cli.events,
            rate: self.cli.rate,
            connect_concurrency: self.cli.connect_concurrency,
            server: self.server,
            nodes: self.nodes,
        }
    }

    /// Prints a summary as JSON or as the table.
    fn print(&self, json: impl FnOnce() -> serde_json::Value, table: impl FnOnce() -> String) {
        if self.cli.json {
            println!("{}", json());
        } else {
            println!("{}", table());
        }
    }
}

impl Prepared {
    fn admin_token(&self, scenario: &str) -> anyhow::Result<String> {
        Ok(self
            .admin
            .as_ref()
            .with_context(|| format!("the {scenario} scenario needs the admin's session"))?
            .token
            .clone())
    }

    /// Every virtual user's session, in user order.
    fn sales(self) -> anyhow::Result<Vec<Session>> {
        self.users
            .into_iter()
            .map(|u| {
                u.session
                    .with_context(|| format!("{} has no session", u.username))
            })
            .collect()
    }
}

/// The pick benchmark: its own set-up, run and double-assignment check.
async fn pick(run: Run<'_>, prepared: Prepared) -> anyhow::Result<()> {
    let admin_token = prepared.admin_token("pick")?;
    let duration = Duration::from_secs(run.cli.duration);
    let summary = pick::benchmark(
        run.client,
        run.endpoints,
        &admin_token,
        prepared.users,
        run.cli.contacts,
        duration,
        run.progress,
    )
    .await?;
    run.print(|| summary.to_json(), || summary.to_table());
    if !summary.check.passed() {
        anyhow::bail!("double assignment detected; see the check above");
    }
    if summary.won == 0 {
        anyhow::bail!("no pick succeeded; see the outcome breakdown above");
    }
    Ok(())
}

/// The WebSocket fan-out benchmark: sockets, events, missing-frame check.
async fn ws(run: Run<'_>, prepared: Prepared) -> anyhow::Result<()> {
    let admin_token = prepared.admin_token("ws")?;
    let summary = ws::benchmark(
        run.client,
        run.endpoints,
        &admin_token,
        prepared.sales()?,
        run.socket_plan(),
        run.progress,
    )
    .await?;
    run.print(|| summary.to_json(), || summary.to_table());
    if !summary.passed() {
        anyhow::bail!(
            "{} of {} expected frames missing; see the summary above",
            summary.missing,
            summary.expected
        );
    }
    Ok(())
}

/// The pick race: one contact, every Sale at once, round after round.
async fn race(run: Run<'_>, prepared: Prepared) -> anyhow::Result<()> {
    let admin_token = prepared.admin_token("race")?;
    let summary = race::benchmark(
        run.client,
        &admin_token,
        run.nodes,
        prepared.sales()?,
        run.cli.rounds,
        run.cli.connect_concurrency,
        run.progress,
    )
    .await?;
    run.print(|| summary.to_json(), || summary.to_table());
    if !summary.passed() {
        anyhow::bail!("the race check failed; see the summary above");
    }
    Ok(())
}

/// The reconnect storm: drop every socket, create events, reconnect and resume.
async fn storm(run: Run<'_>, prepared: Prepared) -> anyhow::Result<()> {
    let admin_token = prepared.admin_token("storm")?;
    let summary = storm::benchmark(
        run.client,
        run.endpoints,
        &admin_token,
        prepared.sales()?,
        run.socket_plan(),
        run.progress,
    )
    .await?;
    run.print(|| summary.to_json(), || summary.to_table());
    if !summary.passed() {
        anyhow::bail!(
            "{} events missed, {} duplicates, {} resyncs; see the summary above",
            summary.missed(),
            summary.duplicates,
            summary.resyncs
        );
    }
    Ok(())
}

/// A node killed mid-run: its sockets move to the others and miss nothing.
async fn failover(run: Run<'_>, prepared: Prepared, cluster: &mut Cluster) -> anyhow::Result<()> {
    let admin_token = prepared.admin_token("failover")?;
    let summary = failover::benchmark(
        run.client,
        run.endpoints,
        &admin_token,
        prepared.sales()?,
        run.socket_plan(),
        cluster,
        run.progress,
    )
    .await?;
    run.print(|| summary.to_json(), || summary.to_table());
    if !summary.passed() {
        anyhow::bail!(
            "{} events missed, {} duplicates, {} out of order; see the summary above",
            summary.missed,
            summary.duplicates,
            summary.out_of_order
        );
    }
    Ok(())
}

/// One event for every Sale: in-app (and email, Slack) delivery latency.
async fn notify(run: Run<'_>, prepared: Prepared) -> anyhow::Result<()> {
    let admin_token = prepared.admin_token("notify")?;
    let sinks = notify::Sinks {
        smtp: match run.cli.smtp_sink {
            Some(addr) => Some(sinks::smtp(addr).await?),
            None => None,
        },
        slack: match run.cli.slack_sink {
            Some(addr) => Some(sinks::webhook(addr).await?),
            None => None,
        },
    };
    let summary = notify::benchmark(
        run.client,
        run.endpoints,
        &admin_token,
        prepared.sales()?,
        notify::Settings {
            rounds: run.cli.rounds,
            rate: run.cli.rate,
            connect_concurrency: run.cli.connect_concurrency,
            sinks,
        },
        run.progress,
    )
    .await?;
    run.print(|| summary.to_json(), || summary.to_table());
    if !summary.passed() {
        anyhow::bail!(
            "{} deliveries missing; see the summary above",
            summary.missing()
        );
    }
    Ok(())
}

/// The dashboard and audit-search latencies on whatever volume the server holds.
async fn queries(run: Run<'_>, prepared: Prepared) -> anyhow::Result<()> {
    let admin_token = prepared.admin_token("queries")?;
    let summary = queries::benchmark(
        run.client,
        run.endpoints,
        &admin_token,
        run.cli.rounds,
        run.progress,
    )
    .await?;
    run.print(|| summary.to_json(), || summary.to_table());
    if !summary.passed() {
        anyhow::bail!("some queries failed; see the errors above");
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

/// `--connect-concurrency`: at least one handshake at a time.
fn parse_concurrency(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if (1..=100_000).contains(&n) => Ok(n),
        _ => Err(format!("{text:?} is not a number between 1 and 100000")),
    }
}

impl Cli {
    /// The multi-node flags make sense together, or not at all.
    fn check_nodes(&self) -> Result<(), String> {
        if self.nodes == 1 {
            if self.scenario == Scenario::Failover {
                return Err("the failover scenario needs --nodes 2 or more".to_owned());
            }
            if self.database_url.is_some() || self.broker_url.is_some() || self.server_bin.is_some()
            {
                return Err(
                    "--database-url, --broker-url and --server-bin only apply with --nodes above 1"
                        .to_owned(),
                );
            }
            return Ok(());
        }
        if self.server_pid.is_some() {
            return Err("--server-pid measures one server; it cannot go with --nodes".to_owned());
        }
        nodes::check_urls(self.database_url.as_deref(), self.broker_url.as_deref())?;
        nodes::node_urls(&self.base_url, self.nodes)
            .and_then(|urls| urls.iter().try_for_each(|u| nodes::bind_addr(u).map(drop)))
            .map_err(|err| format!("{err:#}"))
    }

    /// How to start the nodes; only with `--nodes` above 1, once checked.
    fn cluster_plan(&self) -> anyhow::Result<ClusterPlan> {
        let server_bin = match &self.server_bin {
            Some(bin) => bin.clone(),
            None => std::env::current_exe()
                .context("locating this executable")?
                .with_file_name("ankhang"),
        };
        if !server_bin.is_file() {
            anyhow::bail!(
                "no server binary at {}; pass --server-bin",
                server_bin.display()
            );
        }
        Ok(ClusterPlan {
            server_bin,
            urls: nodes::node_urls(&self.base_url, self.nodes)?,
            database_url: self.database_url.clone().context("--database-url")?,
            broker_url: self.broker_url.clone().context("--broker-url")?,
            admin_user: self.admin_user.clone(),
            admin_password: self.admin_password.clone(),
        })
    }

    /// Descriptors this process will hold at once: sockets plus HTTP connections.
    fn descriptors_needed(&self) -> u64 {
        let users = u64::from(self.users);
        let sockets = u64::from(self.sockets.unwrap_or(self.users));
        let setup = SETUP_CONCURRENCY as u64;
        match self.scenario {
            Scenario::Ws | Scenario::Storm | Scenario::Failover => sockets + setup,
            // A socket and a pooled connection per Sale.
            Scenario::Race => 2 * users,
            // A socket per Sale, the admin's connection and the sinks' connections.
            Scenario::Notify => users + setup + 8,
            Scenario::Me | Scenario::Login | Scenario::Health | Scenario::Pick => users,
            Scenario::Queries => 4,
        }
    }
}

/// What the set-up leaves for the measured phase.
struct Prepared {
    /// The admin's session, when the scenario needed accounts.
    admin: Option<Session>,
    users: Vec<VirtualUser>,
}

/// The unmeasured set-up the scenario needs: accounts, then sessions.
async fn prepare(
    cli: &Cli,
    client: &Client,
    endpoints: &Endpoints,
    progress: Progress,
) -> anyhow::Result<Prepared> {
    let needs = cli.scenario.needs();
    let mut admin = None;
    if needs != Needs::Nothing {
        eprintln!("admin login as {} …", cli.admin_user);
        let session = setup::login(client, endpoints, &cli.admin_user, &cli.admin_password).await?;
        if needs != Needs::Admin {
            eprintln!("ensuring {} load accounts …", cli.users);
            setup::ensure_load_accounts(client, endpoints, &session.token, cli.users, progress)
                .await?;
        }
        admin = Some(session);
    }
    let sessions = if needs == Needs::Sessions {
        eprintln!("logging in {} virtual users …", cli.users);
        setup::login_all(client, endpoints, cli.users, progress)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Cli {
        let mut all = vec!["loadtest", "--admin-password", "x"];
        all.extend_from_slice(args);
        Cli::try_parse_from(all).expect("valid arguments")
    }

    const SHARED: [&str; 4] = [
        "--database-url",
        "postgres://postgres@127.0.0.1:55432/bench",
        "--broker-url",
        "redis://127.0.0.1:56379",
    ];

    #[test]
    fn one_node_is_the_default_and_takes_no_cluster_flags() {
        let cli = parse(&[]);
        assert_eq!(cli.nodes, 1);
        assert!(cli.check_nodes().is_ok());
        assert!(parse(&SHARED).check_nodes().is_err());
        assert!(parse(&["--scenario", "failover"]).check_nodes().is_err());
    }

    #[test]
    fn several_nodes_need_the_shared_database_and_broker() {
        let mut args = vec!["--nodes", "3", "--scenario", "failover"];
        assert!(parse(&args).check_nodes().is_err());
        args.extend(SHARED);
        assert!(parse(&args).check_nodes().is_ok());
        let mut with_pid = args.clone();
        with_pid.extend(["--server-pid", "1"]);
        assert!(parse(&with_pid).check_nodes().is_err());
        let mut on_a_name = args.clone();
        on_a_name.extend(["--base-url", "http://crm.example.com:8080"]);
        assert!(parse(&on_a_name).check_nodes().is_err());
    }

    #[test]
    fn node_counts_outside_one_to_five_are_refused() {
        for nodes in ["0", "6"] {
            let args = ["loadtest", "--admin-password", "x", "--nodes", nodes];
            assert!(Cli::try_parse_from(args).is_err(), "--nodes {nodes}");
        }
    }
}
