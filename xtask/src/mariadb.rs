//! A throw-away MariaDB server for the MySQL pass of the test suite: Debian's
//! `mariadb-server` (installed when missing), a data dir in a temp dir, `mariadbd` on a
//! free loopback port, a password user for TCP. Dropping [`MariaDb`] stops the server and
//! deletes its files, also when the tests fail or xtask returns early with an error.

use std::env;
use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};

use crate::{cmd, setup, setup::Ctx};

/// The account the tests connect as; it creates one database per test server.
const USER: &str = "ankhang";
/// How long a fresh server may take to accept connections (first start writes its redo log).
const START_TIMEOUT: Duration = Duration::from_secs(90);
/// How long a clean shutdown may take before the server is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(30);

/// A running `mariadbd`, stopped and deleted on drop.
pub struct MariaDb {
    /// `mysql://ankhang:…@127.0.0.1:PORT` with no database: the harness adds one per test.
    pub url: String,
    port: u16,
    dir: PathBuf,
    socket: PathBuf,
    child: Option<Child>,
    tools: Tools,
}

/// Paths of the MariaDB programs this module runs.
struct Tools {
    server: PathBuf,
    install_db: PathBuf,
    client: PathBuf,
    admin: PathBuf,
}

impl Tools {
    fn find() -> Option<Self> {
        Some(Self {
            server: find_program(&["mariadbd", "mysqld"])?,
            install_db: find_program(&["mariadb-install-db", "mysql_install_db"])?,
            client: find_program(&["mariadb", "mysql"])?,
            admin: find_program(&["mariadb-admin", "mysqladmin"])?,
        })
    }
}

/// Installs `mariadb-server` with apt-get when `mariadbd` is missing.
pub fn ensure_installed() -> Result<()> {
    if let Some(tools) = Tools::find() {
        println!("    found {}", tools.server.display());
        return Ok(());
    }
    setup::apt_install(&["mariadb-server"])?;
    Tools::find()
        .map(drop)
        .context("mariadbd still not found after apt-get install mariadb-server")
}

/// The server's integration suite once more, on a fresh MariaDB. The browser tests are
/// left out: they exercise the client, not the database, and double the pass's time.
/// `runner` is `["nextest", "run"]` or `["test"]`; `extra` goes to the runner.
pub fn test_pass(ctx: &Ctx, runner: &[&str], extra: &[String]) -> Result<()> {
    cmd::step("mariadb-server", ensure_installed)?;
    let server = cmd::step("start MariaDB", MariaDb::start)?;
    let redis = cmd::step("redis-server", crate::redis::ensure_installed)?;
    cmd::step(
        &format!("tests on MariaDB (cargo {})", runner.join(" ")),
        || {
            let mut tests = ctx.cargo();
            tests
                .args(runner)
                .args(["-p", "server", "--test", "api", "--no-fail-fast"]);
            if runner.first() == Some(&"nextest") {
                tests.args(["-E", "not test(/^browser/)"]).args(extra);
            } else {
                tests.args(extra).args(["--", "--skip", "browser"]);
            }
            tests.env(TEST_DATABASE_VAR, &server.url);
            crate::redis::pass_to(&mut tests, &redis);
            println!(
                "    {TEST_DATABASE_VAR}=mysql://{USER}:***@127.0.0.1:{}",
                server.port
            );
            cmd::run(&mut tests)
        },
    )
    // `server` drops here: MariaDB stops whether the tests passed or not.
}

/// Names the database server the integration tests run on (see server/tests/api/helpers/database.rs).
const TEST_DATABASE_VAR: &str = "ANKHANG_TEST_DATABASE_URL";

impl MariaDb {
    /// Initialises a data dir and starts the server; returns once it accepts the test user.
    pub fn start() -> Result<Self> {
        let tools = Tools::find().context("mariadbd not found: install mariadb-server")?;
        let dir = env::temp_dir().join(format!("ankhang-mariadb-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot clear a stale {}", dir.display()))?;
        }
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let mut db = Self {
            url: String::new(),
            port: 0,
            socket: dir.join("mariadbd.sock"),
            dir,
            child: None,
            tools,
        };
        // From here on a failure still drops `db`, which removes the temp dir.
        db.init_and_run()?;
        Ok(db)
    }

    fn init_and_run(&mut self) -> Result<()> {
        let data = self.dir.join("data");
        // As root the server drops to the `mysql` user, which must own its files.
        let run_as = is_root().then_some("mysql");
        if let Some(user) = run_as {
            cmd::run(
                Command::new("chown")
                    .arg(format!("{user}:{user}"))
                    .arg(&self.dir),
            )?;
        }
        let mut install = Command::new(&self.tools.install_db);
        install
            .arg("--no-defaults")
            .arg(format!("--datadir={}", data.display()))
            .args(["--auth-root-authentication-method=normal", "--skip-test-db"])
            .stdout(Stdio::null());
        if let Some(user) = run_as {
            install.arg(format!("--user={user}"));
        }
        cmd::run(&mut install)?;

        let port = free_port()?;
        let log = self.dir.join("error.log");
        let mut server = Command::new(&self.tools.server);
        // `--no-defaults` first: /etc/mysql must not change what the tests run against.
        server.arg("--no-defaults");
        if let Some(user) = run_as {
            server.arg(format!("--user={user}"));
        }
        server
            .arg(format!("--datadir={}", data.display()))
            .arg(format!("--socket={}", self.socket.display()))
            .arg(format!(
                "--pid-file={}",
                self.dir.join("mariadbd.pid").display()
            ))
            .arg(format!("--log-error={}", log.display()))
            .arg(format!("--port={port}"))
            .args([
                "--bind-address=127.0.0.1",
                "--skip-name-resolve",
                // Debian's defaults, so the schema must pick its own (binary) collation.
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_general_ci",
                // Speed over durability: the data is thrown away after the run.
                "--innodb-flush-log-at-trx-commit=0",
                "--innodb-doublewrite=0",
                "--skip-log-bin",
                // Every test server creates ~40 tables: one shared tablespace is
                // faster than a file each.
                "--innodb-file-per-table=0",
                // Each test server pools up to 16 connections and nextest runs tests
                // side by side (some with two servers).
                "--max-connections=1000",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        println!("    $ {}", cmd::describe(&server));
        let child = server
            .spawn()
            .with_context(|| format!("cannot start {}", self.tools.server.display()))?;
        self.child = Some(child);
        self.wait_until_ready(&log)?;

        let password = password();
        let sql = format!(
            "CREATE USER '{USER}'@'127.0.0.1' IDENTIFIED BY '{password}'; \
             GRANT ALL PRIVILEGES ON *.* TO '{USER}'@'127.0.0.1';"
        );
        cmd::output(self.root_client().arg("-e").arg(sql))
            .context("cannot create the test user")?;
        self.url = format!("mysql://{USER}:{password}@127.0.0.1:{port}");
        self.port = port;
        println!(
            "    MariaDB ready on 127.0.0.1:{port} (data in {})",
            self.dir.display()
        );
        Ok(())
    }

    fn wait_until_ready(&mut self, log: &Path) -> Result<()> {
        let start = Instant::now();
        loop {
            if let Some(child) = self.child.as_mut()
                && let Some(status) = child.try_wait()?
            {
                self.child = None;
                bail!("mariadbd exited ({status}):\n{}", tail(log));
            }
            if cmd::probe(self.root_admin().arg("ping")) {
                return Ok(());
            }
            if start.elapsed() > START_TIMEOUT {
                bail!(
                    "mariadbd did not accept connections within {} s:\n{}",
                    START_TIMEOUT.as_secs(),
                    tail(log)
                );
            }
            thread::sleep(Duration::from_millis(200));
        }
    }

    fn root_client(&self) -> Command {
        let mut c = Command::new(&self.tools.client);
        c.arg(format!("--socket={}", self.socket.display()))
            .args(["--user=root", "--batch"]);
        c
    }

    fn root_admin(&self) -> Command {
        let mut c = Command::new(&self.tools.admin);
        c.arg(format!("--socket={}", self.socket.display()))
            .args(["--user=root", "--connect-timeout=2"]);
        c
    }

    fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let _ = cmd::probe(self.root_admin().arg("shutdown"));
        let start = Instant::now();
        loop {
            match child.try_wait() {
                Ok(Some(_)) => return,
                Ok(None) if start.elapsed() < STOP_TIMEOUT => {
                    thread::sleep(Duration::from_millis(100));
                }
                _ => break,
            }
        }
        eprintln!("xtask: mariadbd did not stop in time; killing it");
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for MariaDb {
    fn drop(&mut self) {
        self.stop();
        if let Err(err) = fs::remove_dir_all(&self.dir) {
            eprintln!("xtask: cannot remove {}: {err}", self.dir.display());
        }
    }
}

/// `name` on PATH or in the sbin directories (not on a normal user's PATH on Debian).
fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = env::var_os("PATH").unwrap_or_default();
    let dirs: Vec<PathBuf> = env::split_paths(&path)
        .chain(["/usr/sbin", "/usr/local/sbin", "/sbin"].map(PathBuf::from))
        .collect();
    names
        .iter()
        .flat_map(|name| dirs.iter().map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

fn is_root() -> bool {
    cmd::output(Command::new("id").arg("-u")).is_ok_and(|uid| uid.trim() == "0")
}

/// A loopback port nobody listens on right now (the OS picks it).
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("cannot find a free port")?;
    Ok(listener.local_addr()?.port())
}

/// A per-run password: the server only listens on loopback and lives for one run, but a
/// known password would still let any local user in while it runs.
fn password() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    format!("t{:016x}", hasher.finish())
}

/// The end of the server's error log, for a failure message.
fn tail(log: &Path) -> String {
    let text = fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_differ_and_are_url_safe() {
        let (a, b) = (password(), password());
        assert_ne!(a, b);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()), "{a}");
    }

    #[test]
    fn free_ports_are_not_zero() {
        assert_ne!(free_port().expect("port"), 0);
    }
}
