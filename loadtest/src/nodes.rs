//! `--nodes N`: the load tester starts N `ankhang serve` processes itself, on the
//! port of `--base-url` and the N − 1 ports after it, sharing one PostgreSQL
//! database (`--database-url`), one Redis broker (`--broker-url`) and one data
//! directory (so one master key). Node 0 is `--base-url`.
//!
//! Before serving, `ankhang migrate` and `ankhang create-admin` prepare the database
//! (the admin gets `--admin-user` / `--admin-password`). Node 0 starts first and must
//! answer `GET /readyz` with 200 before the others start: it writes the master key
//! the others read. Every node runs with `ANKHANG_PICK_COOLDOWN_SECS=0` (the race
//! needs it). The children inherit this process's raised file-descriptor limit, and
//! are killed when the run ends, fails or is interrupted.

use std::{
    fs::{self, File},
    net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener},
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};

use anyhow::{Context as _, bail};
use reqwest::{Client, StatusCode, Url};
use tokio::{
    process::{Child, Command},
    time::{Instant, sleep},
};

/// Most server processes one machine sensibly holds for a benchmark.
pub const MAX_NODES: u8 = 5;
/// How long a node may take to answer `/readyz` with 200 (migrations already ran).
const READY_TIMEOUT: Duration = Duration::from_secs(60);
const READY_POLL: Duration = Duration::from_millis(100);

/// How to start the nodes, from the command line.
#[derive(Debug, Clone)]
pub struct ClusterPlan {
    pub server_bin: PathBuf,
    /// One URL per node, node 0 first.
    pub urls: Vec<Url>,
    pub database_url: String,
    pub broker_url: String,
    pub admin_user: String,
    pub admin_password: String,
}

/// The running nodes; dropping it kills them all.
pub struct Cluster {
    nodes: Vec<Node>,
    data_dir: PathBuf,
}

struct Node {
    url: Url,
    /// `None` once killed.
    child: Option<Child>,
}

/// The URL of each of `count` nodes: `base` with its port, then the ports after it.
pub fn node_urls(base: &str, count: u8) -> anyhow::Result<Vec<Url>> {
    let base = Url::parse(base).with_context(|| format!("--base-url {base:?} is not a URL"))?;
    if base.scheme() != "http" {
        // The nodes are started here, without TLS.
        bail!("--nodes needs an http:// --base-url, not {base}");
    }
    let first = base
        .port_or_known_default()
        .with_context(|| format!("--base-url {base} has no port"))?;
    (0..count)
        .map(|i| {
            let port = first
                .checked_add(u16::from(i))
                .with_context(|| format!("--base-url port {first} + {i} is beyond 65535"))?;
            let mut url = base.clone();
            url.set_port(Some(port))
                .map_err(|()| anyhow::anyhow!("cannot set port {port} on {base}"))?;
            Ok(url)
        })
        .collect()
}

/// `ANKHANG_BIND` of a node: its URL's host (an IP address, or `localhost`) and port.
pub fn bind_addr(url: &Url) -> anyhow::Result<SocketAddr> {
    let host = url.host_str().unwrap_or_default();
    let ip = match host {
        "localhost" => IpAddr::V4(Ipv4Addr::LOCALHOST),
        // IPv6 hosts come bracketed: `[::1]`.
        _ => host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse()
            .with_context(|| {
                format!("--nodes needs --base-url on an IP address or localhost, not {url}")
            })?,
    };
    let port = url
        .port_or_known_default()
        .with_context(|| format!("{url} has no port"))?;
    Ok(SocketAddr::new(ip, port))
}

/// The node a socket or Sale numbered `index` uses: round-robin.
pub fn node_of(index: usize, nodes: usize) -> usize {
    index % nodes.max(1)
}

/// `--database-url` and `--broker-url` as the multi-node mode needs them.
pub fn check_urls(database_url: Option<&str>, broker_url: Option<&str>) -> Result<(), String> {
    match database_url {
        None => return Err("--nodes above 1 needs --database-url (PostgreSQL)".to_owned()),
        Some(url) if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) => {
            return Err(format!(
                "--database-url must be a postgres:// URL that every node shares, not {url:?}"
            ));
        }
        Some(_) => {}
    }
    match broker_url {
        None => Err("--nodes above 1 needs --broker-url (redis://…)".to_owned()),
        Some(url) if !(url.starts_with("redis://") || url.starts_with("rediss://")) => {
            Err(format!("--broker-url must be a redis:// URL, not {url:?}"))
        }
        Some(_) => Ok(()),
    }
}

impl Cluster {
    /// Prepares the database, then starts the nodes and waits until each is ready.
    pub async fn start(plan: &ClusterPlan, client: &Client) -> anyhow::Result<Self> {
        for url in &plan.urls {
            let addr = bind_addr(url)?;
            // A server already there would answer /readyz in our nodes' place.
            TcpListener::bind(addr)
                .with_context(|| format!("port of node {url} is not free ({addr})"))?;
        }
        let data_dir = std::env::temp_dir().join(format!("loadtest-nodes-{}", std::process::id()));
        fs::create_dir_all(&data_dir)
            .with_context(|| format!("creating {}", data_dir.display()))?;
        eprintln!(
            "starting {} nodes from {} (data and logs in {}) …",
            plan.urls.len(),
            plan.server_bin.display(),
            data_dir.display()
        );
        let mut cluster = Self {
            nodes: Vec::with_capacity(plan.urls.len()),
            data_dir,
        };
        cluster.run_once(plan, "migrate", &["migrate"]).await?;
        cluster
            .run_once(
                plan,
                "create-admin",
                &[
                    "create-admin",
                    "--username",
                    &plan.admin_user,
                    "--password",
                    &plan.admin_password,
                ],
            )
            .await?;
        // Node 0 alone first: it writes the master key the others read.
        for (i, url) in plan.urls.iter().enumerate() {
            let child = cluster.spawn(plan, i, url)?;
            cluster.nodes.push(Node {
                url: url.clone(),
                child: Some(child),
            });
            if i == 0 {
                cluster.wait_ready(client, 0).await?;
            }
        }
        for i in 1..cluster.nodes.len() {
            cluster.wait_ready(client, i).await?;
        }
        eprintln!("  nodes ready: {}", cluster.describe());
        Ok(cluster)
    }

    fn command(&self, plan: &ClusterPlan) -> Command {
        let mut command = Command::new(&plan.server_bin);
        command
            .env("DATABASE_URL", &plan.database_url)
            .env("ANKHANG_BROKER_URL", &plan.broker_url)
            .env("ANKHANG_DATA_DIR", &self.data_dir)
            .env("ANKHANG_PICK_COOLDOWN_SECS", "0")
            .stdin(Stdio::null())
            .kill_on_drop(true);
        command
    }

    /// Runs a one-shot subcommand (`migrate`, `create-admin`) to completion.
    async fn run_once(&self, plan: &ClusterPlan, what: &str, args: &[&str]) -> anyhow::Result<()> {
        let output = self
            .command(plan)
            .args(args)
            .output()
            .await
            .with_context(|| format!("running {} {what}", plan.server_bin.display()))?;
        if !output.status.success() {
            let said: Vec<String> = [&output.stderr, &output.stdout]
                .iter()
                .map(|bytes| String::from_utf8_lossy(bytes).trim().to_owned())
                .filter(|text| !text.is_empty())
                .collect();
            bail!(
                "{} {what} failed ({}): {}",
                plan.server_bin.display(),
                output.status,
                said.join("\n")
            );
        }
        Ok(())
    }

    fn spawn(&self, plan: &ClusterPlan, i: usize, url: &Url) -> anyhow::Result<Child> {
        let log_path = self.log_path(i);
        let log =
            File::create(&log_path).with_context(|| format!("creating {}", log_path.display()))?;
        let mut command = self.command(plan);
        command
            .arg("serve")
            .env("ANKHANG_BIND", bind_addr(url)?.to_string())
            .stdout(log.try_clone()?)
            .stderr(log);
        command
            .spawn()
            .with_context(|| format!("starting {} serve", plan.server_bin.display()))
    }

    fn log_path(&self, i: usize) -> PathBuf {
        self.data_dir.join(format!("node-{i}.log"))
    }

    /// Polls `GET /readyz` until 200; fails if the node exits or takes too long.
    async fn wait_ready(&mut self, client: &Client, i: usize) -> anyhow::Result<()> {
        let log = self.log_path(i);
        let node = self.nodes.get_mut(i).context("no such node")?;
        let readyz = node.url.join("readyz")?;
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if let Some(child) = node.child.as_mut()
                && let Some(status) = child.try_wait()?
            {
                bail!(
                    "node {i} ({}) exited ({status}) before it was ready:\n{}",
                    node.url,
                    log_tail(&log)
                );
            }
            if let Ok(resp) = client.get(readyz.clone()).send().await
                && resp.status() == StatusCode::OK
            {
                return Ok(());
            }
            if Instant::now() >= deadline {
                bail!(
                    "node {i} ({}) not ready after {} s:\n{}",
                    node.url,
                    READY_TIMEOUT.as_secs(),
                    log_tail(&log)
                );
            }
            sleep(READY_POLL).await;
        }
    }

    /// `0 http://127.0.0.1:8080 pid 123, 1 …`
    fn describe(&self) -> String {
        let nodes: Vec<String> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let pid = n.child.as_ref().and_then(Child::id);
                format!(
                    "{i} {} pid {}",
                    n.url,
                    pid.map_or("-".into(), |p| p.to_string())
                )
            })
            .collect();
        nodes.join(", ")
    }

    /// SIGKILLs node `i` and waits until it is gone: a crash, not a shutdown.
    pub async fn kill(&mut self, i: usize) -> anyhow::Result<()> {
        let node = self.nodes.get_mut(i).context("no such node")?;
        if let Some(mut child) = node.child.take() {
            child
                .kill()
                .await
                .with_context(|| format!("killing node {i}"))?;
        }
        Ok(())
    }

    /// Kills every node still running; their logs stay in the data directory.
    pub async fn stop(mut self) {
        for i in 0..self.nodes.len() {
            if let Err(err) = self.kill(i).await {
                eprintln!("warning: {err:#}");
            }
        }
        eprintln!("nodes stopped; logs in {}", self.data_dir.display());
    }
}

/// The last lines of a node's log, for an error message.
fn log_tail(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let from = lines.len().saturating_sub(20);
    lines.get(from..).unwrap_or_default().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_take_the_ports_after_the_base_url() {
        let urls = node_urls("http://127.0.0.1:8080", 3).expect("three URLs");
        let urls: Vec<&str> = urls.iter().map(Url::as_str).collect();
        assert_eq!(
            urls,
            [
                "http://127.0.0.1:8080/",
                "http://127.0.0.1:8081/",
                "http://127.0.0.1:8082/"
            ]
        );
        // Without a port, http's default is the first.
        let urls = node_urls("http://localhost/crm", 2).expect("two URLs");
        assert_eq!(urls[1].as_str(), "http://localhost:81/crm");
    }

    #[test]
    fn node_urls_refuse_tls_and_ports_past_the_end() {
        assert!(node_urls("https://127.0.0.1:8443", 2).is_err());
        assert!(node_urls("http://127.0.0.1:65535", 1).is_ok());
        assert!(node_urls("http://127.0.0.1:65535", 2).is_err());
        assert!(node_urls("not a url", 2).is_err());
    }

    #[test]
    fn nodes_bind_the_host_of_their_url() {
        let bind = |url: &str| bind_addr(&Url::parse(url).expect("a URL")).map(|a| a.to_string());
        assert_eq!(
            bind("http://127.0.0.1:8081").expect("an IP host"),
            "127.0.0.1:8081"
        );
        assert_eq!(
            bind("http://localhost:9000").expect("an IP host"),
            "127.0.0.1:9000"
        );
        assert_eq!(bind("http://[::1]:9000").expect("an IP host"), "[::1]:9000");
        assert!(bind("http://crm.example.com:9000").is_err());
    }

    #[test]
    fn sockets_and_sales_go_round_robin_over_the_nodes() {
        let assigned: Vec<usize> = (0..7).map(|i| node_of(i, 3)).collect();
        assert_eq!(assigned, [0, 1, 2, 0, 1, 2, 0]);
        assert_eq!(node_of(5, 1), 0);
        assert_eq!(node_of(5, 0), 0, "no nodes means the one server");
    }

    #[test]
    fn multi_node_runs_need_a_shared_database_and_broker() {
        let pg = Some("postgres://postgres@127.0.0.1:55432/bench");
        let redis = Some("redis://127.0.0.1:56379");
        assert!(check_urls(pg, redis).is_ok());
        assert!(check_urls(Some("postgresql://h/db"), Some("rediss://h")).is_ok());
        assert!(check_urls(None, redis).is_err());
        assert!(check_urls(pg, None).is_err());
        assert!(check_urls(Some("sqlite://data/a.db"), redis).is_err());
        assert!(check_urls(pg, Some("http://127.0.0.1:6379")).is_err());
    }
}
