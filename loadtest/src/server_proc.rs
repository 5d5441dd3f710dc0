//! What Linux's /proc tells about the server process (`--server-pid`): its resident
//! memory, to report the cost of an idle socket, and its open-file limit. Read by
//! path, so it works for any process this user may inspect; elsewhere the flag is
//! refused at start-up rather than measured wrongly.

use std::{fs, path::PathBuf, time::Duration};

use anyhow::{Context as _, bail};
use serde_json::{Value, json};
use tokio::time::sleep;

/// After the last socket opened, how long the server gets to finish its per-socket
/// set-up and let the allocator settle before the second reading.
pub const SETTLE: Duration = Duration::from_secs(2);

/// Below this many KB per socket the figure says more about the allocator than the
/// sockets: no socket costs the server less than its TCP and WebSocket state.
const REUSED_KB: f64 = 1.0;
const REUSED_HINT: &str = " (too little to be the sockets' cost: the server reused memory \
    freed earlier, by a bigger run or by password hashing; measure on a freshly started \
    server, under glibc with MALLOC_MMAP_THRESHOLD_=131072)";

/// The server process, checked readable once at start-up.
#[derive(Debug, Clone)]
pub struct ServerProc {
    pid: u32,
    dir: PathBuf,
}

impl ServerProc {
    pub fn open(pid: u32) -> anyhow::Result<Self> {
        let server = Self {
            pid,
            dir: PathBuf::from(format!("/proc/{pid}")),
        };
        if !cfg!(target_os = "linux") {
            bail!("--server-pid reads /proc/PID/status, which only Linux has");
        }
        server.rss_kb().map_err(anyhow::Error::msg)?;
        Ok(server)
    }

    /// `VmRSS` in KB (the kernel's "kB" are KiB).
    pub fn rss_kb(&self) -> Result<u64, String> {
        let path = self.dir.join("status");
        let status = fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))
            .map_err(|err| format!("{err:#} (is process {} still running?)", self.pid))?;
        vm_rss_kb(&status).ok_or_else(|| format!("no VmRSS line in {}", path.display()))
    }

    /// The soft `Max open files` limit, `None` if unreadable.
    pub fn max_open_files(&self) -> Option<u64> {
        let limits = fs::read_to_string(self.dir.join("limits")).ok()?;
        soft_open_files(&limits)
    }
}

/// `VmRSS:    123456 kB` (tab-separated) → 123456.
pub fn vm_rss_kb(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let mut words = line.trim_start_matches("VmRSS:").split_whitespace();
    let kb = words.next()?.parse().ok()?;
    (words.next() == Some("kB")).then_some(kb)
}

/// The soft limit of the `Max open files` row of /proc/PID/limits.
pub fn soft_open_files(limits: &str) -> Option<u64> {
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    match line
        .trim_start_matches("Max open files")
        .split_whitespace()
        .next()?
    {
        "unlimited" => Some(u64::MAX),
        soft => soft.parse().ok(),
    }
}

/// Reads the baseline when created; [`RssMeter::finish`] reads again once the
/// sockets are open and idle (more than once if the scenario wants).
pub struct RssMeter<'a> {
    server: Option<&'a ServerProc>,
    before: Result<u64, String>,
}

impl<'a> RssMeter<'a> {
    pub fn start(server: Option<&'a ServerProc>) -> Self {
        let before = server.map_or(Ok(0), ServerProc::rss_kb);
        Self { server, before }
    }

    /// Waits [`SETTLE`] and reads again; `sockets` is how many are open now.
    pub async fn finish(&self, sockets: u64) -> ServerRss {
        let Some(server) = self.server else {
            return ServerRss::NotMeasured;
        };
        sleep(SETTLE).await;
        let before_kb = match &self.before {
            Ok(kb) => *kb,
            Err(why) => return ServerRss::Failed(why.clone()),
        };
        match server.rss_kb() {
            Ok(after_kb) => ServerRss::Measured {
                before_kb,
                after_kb,
                sockets,
            },
            Err(why) => ServerRss::Failed(why),
        }
    }
}

/// The server's resident memory before and after opening the sockets.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum ServerRss {
    /// No `--server-pid`: nothing is guessed.
    #[default]
    NotMeasured,
    Measured {
        before_kb: u64,
        after_kb: u64,
        sockets: u64,
    },
    /// A reading failed (the server exited, /proc unreadable).
    Failed(String),
}

impl ServerRss {
    /// `(after − before) / sockets`; negative if the server gave memory back.
    pub fn per_socket_kb(&self) -> Option<f64> {
        match *self {
            Self::Measured {
                before_kb,
                after_kb,
                sockets,
            } if sockets > 0 => Some((after_kb as f64 - before_kb as f64) / sockets as f64),
            _ => None,
        }
    }

    /// The table cell: KB per socket, or why there is no figure.
    pub fn cell(&self) -> String {
        match (self, self.per_socket_kb()) {
            (Self::NotMeasured, _) => "not measured".to_owned(),
            (_, Some(kb)) => format!("{kb:.1}"),
            _ => "failed".to_owned(),
        }
    }

    /// The summary's line about server memory.
    pub fn line(&self) -> String {
        match self {
            Self::NotMeasured => {
                "server RSS per socket: not measured (pass --server-pid)".to_owned()
            }
            Self::Measured {
                before_kb,
                after_kb,
                sockets,
            } => {
                let mut line = format!(
                    "server RSS: {before_kb} KB before, {after_kb} KB with {sockets} idle \
                     sockets → {} KB per socket",
                    self.cell()
                );
                if self.per_socket_kb().is_some_and(|kb| kb < REUSED_KB) {
                    line.push_str(REUSED_HINT);
                }
                line
            }
            Self::Failed(why) => format!("server RSS per socket: not measured ({why})"),
        }
    }

    pub fn to_json(&self) -> Value {
        match self {
            Self::NotMeasured => json!({ "measured": false }),
            Self::Measured {
                before_kb,
                after_kb,
                sockets,
            } => json!({
                "measured": true,
                "before_kb": before_kb,
                "after_kb": after_kb,
                "sockets": sockets,
                "per_socket_kb": self.per_socket_kb().map(|kb| (kb * 100.0).round() / 100.0),
            }),
            Self::Failed(why) => json!({ "measured": false, "error": why }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUS: &str = "Name:\tankhang\nUmask:\t0022\nState:\tS (sleeping)\n\
        VmPeak:\t  812344 kB\nVmSize:\t  812340 kB\nVmHWM:\t   61240 kB\n\
        VmRSS:\t   52480 kB\nRssAnon:\t   40000 kB\nThreads:\t3\n";

    #[test]
    fn rss_is_read_from_the_vmrss_line() {
        assert_eq!(vm_rss_kb(STATUS), Some(52_480));
        assert_eq!(vm_rss_kb("Name:\tx\nVmHWM:\t 1 kB\n"), None);
        assert_eq!(vm_rss_kb("VmRSS:\t lots kB\n"), None);
        assert_eq!(vm_rss_kb("VmRSS:\t 12 MB\n"), None, "only kB is understood");
    }

    #[test]
    fn the_soft_open_file_limit_is_the_first_column() {
        let limits = "Limit                     Soft Limit           Hard Limit           Units     \n\
            Max cpu time              unlimited            unlimited            seconds   \n\
            Max open files            20000                20000                files     \n";
        assert_eq!(soft_open_files(limits), Some(20_000));
        let unlimited =
            "Max open files            unlimited            unlimited            files\n";
        assert_eq!(soft_open_files(unlimited), Some(u64::MAX));
        assert_eq!(soft_open_files("Max processes 10 10 processes\n"), None);
    }

    #[test]
    fn per_socket_cost_divides_the_growth() {
        let rss = ServerRss::Measured {
            before_kb: 50_000,
            after_kb: 70_000,
            sockets: 2_000,
        };
        assert_eq!(rss.per_socket_kb(), Some(10.0));
        assert_eq!(rss.cell(), "10.0");
        assert!(rss.line().contains("10.0 KB per socket"));
        assert_eq!(rss.to_json()["per_socket_kb"], 10.0);
        let shrunk = ServerRss::Measured {
            before_kb: 50_000,
            after_kb: 49_000,
            sockets: 100,
        };
        assert_eq!(shrunk.per_socket_kb(), Some(-10.0));
        assert!(shrunk.line().contains("freshly started"));
        assert!(!rss.line().contains("freshly started"));
    }

    #[test]
    fn without_a_pid_nothing_is_guessed() {
        assert_eq!(ServerRss::NotMeasured.per_socket_kb(), None);
        assert_eq!(ServerRss::NotMeasured.cell(), "not measured");
        assert_eq!(ServerRss::NotMeasured.to_json()["measured"], false);
        let failed = ServerRss::Failed("gone".into());
        assert_eq!(failed.cell(), "failed");
        assert!(failed.line().contains("gone"));
    }

    #[tokio::test]
    async fn the_meter_without_a_server_reports_not_measured() {
        let rss = RssMeter::start(None).finish(10).await;
        assert_eq!(rss, ServerRss::NotMeasured);
    }
}
