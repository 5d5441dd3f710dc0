//! A throwaway PostgreSQL server for the test suite: a fresh cluster in a temp dir on a
//! free loopback port, tuned for speed (no fsync), stopped and deleted on Drop, so a
//! failed or interrupted test run leaves nothing behind.

use std::env;
use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};

use crate::{cmd, setup};

/// The superuser the suite connects as (trust auth on loopback, no password).
const SUPERUSER: &str = "ankhang";
/// Each test server pools up to 16 connections, some tests run two servers, and the
/// runner runs tests side by side: room for ~30 servers at once.
const MAX_CONNECTIONS: u32 = 500;
/// The system user that runs the server when we are root (PostgreSQL refuses root).
const SYSTEM_USER: &str = "postgres";

/// A running cluster; dropping it stops the server and removes its files.
pub struct Postgres {
    bin: PathBuf,
    dir: PathBuf,
    run_as: Option<String>,
    url: String,
}

impl Postgres {
    /// Installs PostgreSQL if needed (Debian's `postgresql` package), then starts a
    /// fresh cluster.
    pub fn start() -> Result<Self> {
        let bin = match find_bin() {
            Some(bin) => bin,
            None => {
                setup::apt_install(&["postgresql"])?;
                find_bin().context("initdb/pg_ctl still not found after apt-get install")?
            }
        };
        let run_as = is_root().then(|| SYSTEM_USER.to_owned());
        let dir = temp_dir()?;
        // Constructed before the first fallible step so Drop cleans up after a failure.
        let mut pg = Self {
            bin,
            dir,
            run_as,
            url: String::new(),
        };
        pg.init()?;
        let port = free_port()?;
        pg.launch(port)?;
        pg.url = format!("postgres://{SUPERUSER}@127.0.0.1:{port}/postgres");
        println!("    PostgreSQL ready at {}", pg.url);
        Ok(pg)
    }

    /// The server URL the suite creates its databases on.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn init(&self) -> Result<()> {
        if let Some(user) = &self.run_as {
            cmd::run(Command::new("chown").arg(user).arg(&self.dir))?;
        }
        let mut initdb = self.tool("initdb");
        initdb
            .arg("-D")
            .arg(self.data())
            .args(["-U", SUPERUSER, "-A", "trust", "-E", "UTF8"])
            .args(["--locale=C.UTF-8", "--no-sync", "--no-instructions"]);
        cmd::output(&mut initdb).map(drop)
    }

    fn launch(&self, port: u16) -> Result<()> {
        // The unix socket goes in our dir, not /var/run/postgresql (may not exist).
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -k {} -c max_connections={MAX_CONNECTIONS} \
             -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            self.dir.display()
        );
        let mut start = self.tool("pg_ctl");
        start
            .arg("-D")
            .arg(self.data())
            .arg("-l")
            .arg(self.dir.join("server.log"))
            .args(["-w", "-t", "60", "-o", &options, "start"]);
        if let Err(err) = cmd::run(&mut start) {
            let log = fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
            bail!("{err:#}\nPostgreSQL log:\n{log}");
        }
        Ok(())
    }

    /// A PostgreSQL program, run as the system user when we are root.
    fn tool(&self, name: &str) -> Command {
        let program = self.bin.join(name);
        let mut c = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(program);
                c
            }
            None => Command::new(program),
        };
        // The system user may not be allowed into our working directory.
        c.current_dir(&self.dir);
        c
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let start = Instant::now();
        if self.data().join("postmaster.pid").exists() {
            let mut stop = self.tool("pg_ctl");
            stop.arg("-D")
                .arg(self.data())
                .args(["-m", "immediate", "-w", "stop"]);
            if let Err(err) = cmd::output(&mut stop) {
                eprintln!("xtask: stopping PostgreSQL failed: {err:#}");
            }
        }
        // Every test made its own database: this is thousands of files.
        match fs::remove_dir_all(&self.dir) {
            Ok(()) => println!(
                "    PostgreSQL stopped and removed in {:.1} s",
                start.elapsed().as_secs_f64()
            ),
            Err(err) => eprintln!("xtask: cannot remove {}: {err}", self.dir.display()),
        }
    }
}

/// The directory holding `initdb` and `pg_ctl`: Debian keeps them off PATH, under
/// `/usr/lib/postgresql/<version>/bin` (newest version wins).
fn find_bin() -> Option<PathBuf> {
    let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, bin)| has_tools(bin))
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    let initdb = setup::which("initdb")?;
    // Resolve a symlink such as /usr/local/bin/initdb to the real bin dir.
    let initdb = fs::canonicalize(&initdb).unwrap_or(initdb);
    initdb
        .parent()
        .map(Path::to_path_buf)
        .filter(|d| has_tools(d))
}

fn is_root() -> bool {
    cmd::output(Command::new("id").arg("-u")).is_ok_and(|uid| uid.trim() == "0")
}

/// A new, empty directory for the cluster, readable only by its owner.
fn temp_dir() -> Result<PathBuf> {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let dir = env::temp_dir().join(format!("ankhang-pg-{}-{nanos}", std::process::id()));
    fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o700))
            .with_context(|| format!("cannot restrict {}", dir.display()))?;
    }
    Ok(dir)
}

/// A loopback port nobody listens on right now (the kernel picks it).
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("cannot find a free port")?;
    Ok(listener.local_addr()?.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_ports_are_real_ports() {
        assert_ne!(free_port().expect("port"), 0);
    }
}
