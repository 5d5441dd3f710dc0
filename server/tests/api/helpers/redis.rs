//! A real Redis (Debian's `redis-server`) per test, on a free loopback port, so a
//! test can stop and restart it without disturbing other tests.
//!
//! `cargo xtask test` installs Redis and sets `ANKHANG_TEST_REQUIRE_REDIS=1`: there a
//! missing binary fails the test. A plain `cargo test` without Redis skips these tests.

use std::{
    net::TcpListener,
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::Duration,
};

use tempfile::TempDir;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

pub struct RedisServer {
    port: u16,
    binary: PathBuf,
    dir: TempDir,
    child: Option<Child>,
}

impl RedisServer {
    /// Starts one, or returns `None` (after saying why) when Redis is not installed
    /// and not required.
    pub async fn start(test: &str) -> Option<Self> {
        let binary = std::env::var_os("ANKHANG_TEST_REDIS_SERVER")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/usr/bin/redis-server"));
        if !binary.exists() {
            assert!(
                std::env::var_os("ANKHANG_TEST_REQUIRE_REDIS").is_none(),
                "{} is missing: `cargo xtask test` installs redis-server",
                binary.display()
            );
            eprintln!("skipped {test}: no redis-server (run `cargo xtask test`)");
            return None;
        }
        let port = free_port();
        let mut server = Self {
            port,
            binary,
            dir: tempfile::tempdir().expect("redis dir"),
            child: None,
        };
        server.run().await;
        Some(server)
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Kills it at once, as a crash or a network cut would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port.
    pub async fn restart(&mut self) {
        self.kill();
        self.run().await;
    }

    async fn run(&mut self) {
        let child = Command::new(&self.binary)
            .args(["--bind", "127.0.0.1", "--port"])
            .arg(self.port.to_string())
            .args(["--save", "", "--appendonly", "no", "--dir"])
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start redis-server");
        self.child = Some(child);
        for _ in 0..200 {
            if self.answers_ping().await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("redis-server did not answer on port {}", self.port);
    }

    async fn answers_ping(&self) -> bool {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)).await else {
            return false;
        };
        if stream.write_all(b"PING\r\n").await.is_err() {
            return false;
        }
        let mut answer = [0u8; 7];
        stream.read_exact(&mut answer).await.is_ok() && &answer == b"+PONG\r\n"
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A port nobody listens on right now (the kernel's pick, released at once).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("free port")
        .port()
}
