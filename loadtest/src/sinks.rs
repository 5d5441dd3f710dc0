//! Local stand-ins for the outbound services a notification benchmark sends to: an
//! SMTP server and a Slack incoming webhook, both on loopback. They accept everything
//! at once and note when each message arrived, so the benchmark measures how fast the
//! server issues its outbound requests, not how fast a real provider answers.

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex, PoisonError},
};

use anyhow::Context as _;
use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::{TcpListener, TcpStream},
    time::Instant,
};

/// Arrival instants of the messages a sink accepted, in order.
#[derive(Debug, Clone, Default)]
pub struct Arrivals(Arc<Mutex<Vec<Instant>>>);

impl Arrivals {
    fn push(&self, at: Instant) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(at);
    }

    pub fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    /// The arrivals from the `from`-th on.
    pub fn since(&self, from: usize) -> Vec<Instant> {
        let all = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        all.get(from..).map(<[Instant]>::to_vec).unwrap_or_default()
    }
}

/// Listens on `addr` as an SMTP server that accepts every message.
pub async fn smtp(addr: SocketAddr) -> anyhow::Result<Arrivals> {
    let listener = bind(addr, "--smtp-sink").await?;
    let arrivals = Arrivals::default();
    let seen = arrivals.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(smtp_session(stream, seen.clone()));
        }
    });
    Ok(arrivals)
}

/// Listens on `addr` as an HTTP/1.1 server that answers every request `200 ok`
/// (what a Slack incoming webhook says).
pub async fn webhook(addr: SocketAddr) -> anyhow::Result<Arrivals> {
    let listener = bind(addr, "--slack-sink").await?;
    let arrivals = Arrivals::default();
    let seen = arrivals.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(http_session(stream, seen.clone()));
        }
    });
    Ok(arrivals)
}

async fn bind(addr: SocketAddr, flag: &str) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .with_context(|| format!("{flag} {addr}: cannot listen there"))
}

/// One SMTP connection: every command is accepted; a message counts once its
/// terminating `.` line arrives (when the server's send is complete).
async fn smtp_session(stream: TcpStream, arrivals: Arrivals) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    if write.write_all(b"220 loadtest ESMTP\r\n").await.is_err() {
        return;
    }
    let mut in_data = false;
    while let Ok(Some(line)) = lines.next_line().await {
        let reply: &[u8] = if in_data {
            if line != "." {
                continue;
            }
            in_data = false;
            arrivals.push(Instant::now());
            b"250 queued\r\n"
        } else {
            let verb = line.split(' ').next().unwrap_or("").to_ascii_uppercase();
            match verb.as_str() {
                "EHLO" => b"250-loadtest\r\n250 8BITMIME\r\n",
                "DATA" => {
                    in_data = true;
                    b"354 go on\r\n"
                }
                "QUIT" => {
                    let _ = write.write_all(b"221 bye\r\n").await;
                    return;
                }
                _ => b"250 ok\r\n",
            }
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}

/// One keep-alive HTTP/1.1 connection: each request counts once its body is read.
async fn http_session(stream: TcpStream, arrivals: Arrivals) {
    let mut reader = BufReader::new(stream);
    loop {
        let mut length = 0usize;
        let mut line = String::new();
        let mut first = true;
        loop {
            line.clear();
            match reader.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let header = line.trim_end();
            if header.is_empty() && !first {
                break;
            }
            first = false;
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        arrivals.push(Instant::now());
        let answer = b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nok";
        if reader.get_mut().write_all(answer).await.is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_webhook_sink_counts_keep_alive_requests() {
        let probe = TcpListener::bind("127.0.0.1:0").await.expect("probe");
        let addr = probe.local_addr().expect("addr");
        drop(probe);
        let arrivals = webhook(addr).await.expect("sink");
        let client = reqwest::Client::new();
        for text in ["một", "hai"] {
            let resp = client
                .post(format!("http://{addr}/hook"))
                .json(&serde_json::json!({ "text": text }))
                .send()
                .await
                .expect("post");
            assert_eq!(resp.text().await.expect("body"), "ok");
        }
        assert_eq!(arrivals.len(), 2);
        assert_eq!(arrivals.since(1).len(), 1);
    }

    #[tokio::test]
    async fn the_smtp_sink_counts_whole_messages() {
        let probe = TcpListener::bind("127.0.0.1:0").await.expect("probe");
        let addr = probe.local_addr().expect("addr");
        drop(probe);
        let arrivals = smtp(addr).await.expect("sink");
        let stream = TcpStream::connect(addr).await.expect("connect");
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read).lines();
        let mut expect = async |prefix: &str| {
            let line = lines.next_line().await.expect("read").expect("line");
            assert!(line.starts_with(prefix), "{line}");
        };
        expect("220").await;
        for command in ["MAIL FROM:<a@b.vn>", "RCPT TO:<c@d.vn>"] {
            write
                .write_all(format!("{command}\r\n").as_bytes())
                .await
                .expect("write");
            expect("250").await;
        }
        write.write_all(b"DATA\r\n").await.expect("write");
        expect("354").await;
        assert_eq!(arrivals.len(), 0);
        write
            .write_all(b"Subject: x\r\n\r\nthan\r\n.\r\n")
            .await
            .expect("write");
        expect("250").await;
        assert_eq!(arrivals.len(), 1);
    }
}
