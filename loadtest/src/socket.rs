//! What the socket scenarios (`ws`, `race`, `storm`) share: opening a socket on
//! `GET /ws` with a bearer token, reading its frames until told to stop, closing it
//! politely or dropping it abruptly, and reading the frames the server sends.

use std::{collections::HashMap, future::Future, sync::Arc, time::Duration};

use futures_util::{SinkExt as _, StreamExt as _};
use serde::Deserialize;
use serde_json::json;
use tokio::{
    net::TcpStream,
    sync::{Semaphore, mpsc},
    time::{Instant, MissedTickBehavior, interval, timeout},
};
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream, connect_async_with_config,
    tungstenite::{
        Message,
        client::IntoClientRequest as _,
        http::{HeaderValue, header::AUTHORIZATION},
        protocol::WebSocketConfig,
    },
};

use crate::{
    progress::Phase,
    server_proc::ServerProc,
    setup::Endpoints,
    stats::{micros, percentile},
};

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// The server drops a socket silent for 60 s: send `{"type":"ping"}` well before.
const APP_PING_EVERY: Duration = Duration::from_secs(25);
/// A handshake slower than this counts as a failed connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a socket waits for the server's answer to its close frame.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);
/// tungstenite zero-fills its whole read buffer (128 KiB by default) on the first
/// read, so every socket would keep 128 KiB resident: 1.3 GB for 10 000 sockets on
/// the machine the server shares. Frames here are a few hundred bytes.
const READ_BUFFER: usize = 16 * 1024;

/// How a socket scenario runs, from the command line.
#[derive(Debug, Clone, Copy)]
pub struct SocketPlan<'a> {
    /// Sockets to open, round-robin over the Sales' tokens.
    pub sockets: u32,
    /// Contacts the admin creates (per batch, for `storm`).
    pub events: u32,
    /// Contacts per second.
    pub rate: f64,
    /// Handshakes in flight at once.
    pub connect_concurrency: usize,
    /// The server process, when its memory is to be measured.
    pub server: Option<&'a ServerProc>,
    /// The servers the sockets spread over, round-robin (one unless `--nodes`).
    pub nodes: &'a [Endpoints],
}

impl SocketPlan<'_> {
    /// `GET /ws` of the node socket number `index` opens on.
    pub fn ws_url(&self, index: usize) -> Option<&reqwest::Url> {
        self.nodes
            .get(crate::nodes::node_of(index, self.nodes.len()))
            .map(|node| &node.ws)
    }
}

/// How one socket's handshake went.
pub enum Connected {
    Ok(Duration),
    Failed(String),
}

/// Opens one socket once `gate` lets it: the handshake's latency, or why it failed
/// (HTTP status, `timeout`, `io: …`). The wait for the gate is not part of the latency.
pub async fn connect_gated(
    url: &reqwest::Url,
    token: &str,
    gate: &Semaphore,
) -> Result<(Socket, Duration), String> {
    // The semaphore is never closed; a failed acquire only means no gate.
    let _permit = gate.acquire().await.ok();
    let started = Instant::now();
    match timeout(CONNECT_TIMEOUT, connect(url, token)).await {
        Ok(Ok(socket)) => Ok((socket, started.elapsed())),
        Ok(Err(why)) => Err(why),
        Err(_) => Err("timeout".to_owned()),
    }
}

/// [`connect_gated`], reporting the handshake's outcome on `connected` (then
/// dropped, so the gatherer knows this socket is done); `None` when it failed.
pub async fn connect_reported(
    url: &reqwest::Url,
    token: &str,
    gate: &Semaphore,
    connected: mpsc::UnboundedSender<Connected>,
) -> Option<Socket> {
    match connect_gated(url, token, gate).await {
        Ok((socket, latency)) => {
            let _ = connected.send(Connected::Ok(latency));
            Some(socket)
        }
        Err(why) => {
            let _ = connected.send(Connected::Failed(why));
            None
        }
    }
}

async fn connect(url: &reqwest::Url, token: &str) -> Result<Socket, String> {
    let mut request = url
        .as_str()
        .into_client_request()
        .map_err(|err| format!("request: {err}"))?;
    let bearer = HeaderValue::from_str(&format!("Bearer {token}"))
        .map_err(|err| format!("header: {err}"))?;
    request.headers_mut().insert(AUTHORIZATION, bearer);
    let config = WebSocketConfig::default().read_buffer_size(READ_BUFFER);
    match connect_async_with_config(request, Some(config), false).await {
        Ok((socket, _)) => Ok(socket),
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => {
            Err(resp.status().as_u16().to_string())
        }
        Err(tokio_tungstenite::tungstenite::Error::Io(err)) => Err(format!("io: {}", err.kind())),
        Err(err) => Err(err.to_string()),
    }
}

/// The handshakes of a batch of sockets, gathered as their tasks report them.
#[derive(Debug, Default)]
pub struct Handshakes {
    /// Latency of each successful handshake, µs, ascending once gathered.
    pub latencies_us: Vec<u64>,
    /// Failed handshakes by reason, sorted.
    pub failures: Vec<(String, u64)>,
}

impl Handshakes {
    /// Reads `expected` outcomes (fewer if every sender is gone), advancing `phase`.
    pub async fn gather(
        outcomes: &mut mpsc::UnboundedReceiver<Connected>,
        expected: u32,
        phase: &Phase,
    ) -> Self {
        let mut latencies_us = Vec::new();
        let mut failures: HashMap<String, u64> = HashMap::new();
        for _ in 0..expected {
            let Some(outcome) = outcomes.recv().await else {
                break;
            };
            match outcome {
                Connected::Ok(latency) => latencies_us.push(micros(latency)),
                Connected::Failed(why) => *failures.entry(why).or_default() += 1,
            }
            phase.inc();
        }
        latencies_us.sort_unstable();
        let mut failures: Vec<(String, u64)> = failures.into_iter().collect();
        failures.sort();
        Self {
            latencies_us,
            failures,
        }
    }

    pub fn connected(&self) -> u64 {
        self.latencies_us.len() as u64
    }

    pub fn failed(&self) -> u64 {
        self.failures.iter().map(|(_, n)| n).sum()
    }

    pub fn percentile_ms(&self, p: f64) -> Option<f64> {
        percentile(&self.latencies_us, p).map(|us| us as f64 / 1000.0)
    }

    /// `2000 connected, 0 failed`, with the reasons of failures.
    pub fn describe(&self) -> String {
        format!(
            "{} connected, {} failed{}",
            self.connected(),
            self.failed(),
            reasons(&self.failures)
        )
    }
}

/// ` (timeout: 3, 401: 1)`, or nothing when there is no reason to give.
pub fn reasons(by_reason: &[(String, u64)]) -> String {
    if by_reason.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = by_reason
        .iter()
        .map(|(why, n)| format!("{why}: {n}"))
        .collect();
    format!(" ({})", parts.join(", "))
}

/// Counts by reason, sorted, for the summaries.
pub fn by_reason(reasons: impl IntoIterator<Item = String>) -> Vec<(String, u64)> {
    let mut counts: HashMap<String, u64> = HashMap::new();
    for why in reasons {
        *counts.entry(why).or_default() += 1;
    }
    let mut counts: Vec<(String, u64)> = counts.into_iter().collect();
    counts.sort();
    counts
}

/// A semaphore of `n` handshakes, shared by the socket tasks.
pub fn gate(n: usize) -> Arc<Semaphore> {
    Arc::new(Semaphore::new(n.max(1)))
}

/// Reads frames into `on_text` (with the instant each was read) until `stop`
/// completes, pinging the server so it does not drop the socket as idle. `None` when
/// stopped; otherwise why the socket ended first (server closed it, transport error).
pub async fn read_until(
    socket: &mut Socket,
    stop: impl Future<Output = ()>,
    mut on_text: impl FnMut(&str, Instant),
) -> Option<String> {
    let mut ping = interval(APP_PING_EVERY);
    ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
    ping.tick().await; // the first tick is immediate
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => return None,
            _ = ping.tick() => {
                let ping = json!({"type": "ping"}).to_string();
                if let Err(err) = socket.send(Message::text(ping)).await {
                    return Some(format!("ping: {err}"));
                }
            }
            frame = socket.next() => match frame {
                Some(Ok(Message::Text(text))) => on_text(&text, Instant::now()),
                Some(Ok(Message::Close(frame))) => {
                    return Some(match frame {
                        Some(f) => format!("closed by server ({})", u16::from(f.code)),
                        None => "closed by server".to_owned(),
                    });
                }
                // Pings are answered by tungstenite on the next read or write.
                Some(Ok(_)) => {}
                Some(Err(err)) => return Some(err.to_string()),
                None => return Some("connection ended".to_owned()),
            },
        }
    }
}

/// Sends a close frame and reads until the server's answer ends the stream.
pub async fn close(socket: &mut Socket) -> bool {
    let handshake = async {
        socket.close(None).await.ok()?;
        while let Some(frame) = socket.next().await {
            frame.ok()?;
        }
        Some(())
    };
    matches!(timeout(CLOSE_TIMEOUT, handshake).await, Ok(Some(())))
}

/// Drops the socket as a crashed client or a cut cable would: no close frame, and a
/// TCP reset rather than an orderly FIN, so the server learns of it only from a
/// failed read. Zero linger never blocks the drop.
pub fn abort(socket: Socket) {
    if let MaybeTlsStream::Plain(tcp) = socket.get_ref() {
        // Without it the kernel sends a FIN: still no WebSocket close, just less abrupt.
        let _ = tcp.set_zero_linger();
    }
    drop(socket);
}

/// Sends `{"type":"resume","after_seq":N}`.
pub async fn resume(socket: &mut Socket, after_seq: i64) -> Result<(), String> {
    let frame = json!({"type": "resume", "after_seq": after_seq}).to_string();
    socket
        .send(Message::text(frame))
        .await
        .map_err(|err| format!("resume: {err}"))
}

/// A server frame, as far as the scenarios read it (see API.md, WebSocket).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The event's global number; `None` on replies such as `pong` and `resync`.
    pub seq: Option<i64>,
    pub kind: FrameKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameKind {
    /// `contact.created` of contact `id`.
    Created { id: i64 },
    /// `contact.picked` of contact `id`, won by user `by`.
    Picked { id: i64, by: Option<i64> },
    /// An in-app `notification` about contact `contact_id` (from its `/contacts/N` link).
    Notification { contact_id: i64 },
    /// `{"type":"resync"}`: the server no longer holds what the resume asked for.
    Resync,
    /// Everything else (`pong`, other events).
    Other,
}

/// Only the fields read here, so a frame's payload is skipped, not built into a map.
#[derive(Deserialize)]
struct Wire<'a> {
    seq: Option<i64>,
    #[serde(rename = "type", borrow)]
    kind: std::borrow::Cow<'a, str>,
    data: Option<WireData>,
}

#[derive(Deserialize)]
struct WireData {
    id: Option<i64>,
    picked_by: Option<WireUser>,
    link: Option<String>,
}

#[derive(Deserialize)]
struct WireUser {
    id: i64,
}

impl Frame {
    /// `None` when the text is not a JSON object with a `type`.
    pub fn parse(text: &str) -> Option<Self> {
        let wire: Wire<'_> = serde_json::from_str(text).ok()?;
        let id = wire.data.as_ref().and_then(|d| d.id);
        let kind = match (wire.kind.as_ref(), id) {
            ("contact.created", Some(id)) => FrameKind::Created { id },
            ("contact.picked", Some(id)) => FrameKind::Picked {
                id,
                by: wire.data.and_then(|d| d.picked_by).map(|u| u.id),
            },
            ("notification", _) => match linked_contact(wire.data.as_ref()) {
                Some(contact_id) => FrameKind::Notification { contact_id },
                None => FrameKind::Other,
            },
            ("resync", _) => FrameKind::Resync,
            _ => FrameKind::Other,
        };
        Some(Self {
            seq: wire.seq,
            kind,
        })
    }

    /// The contact id of a `contact.created` frame.
    pub fn created(&self) -> Option<i64> {
        match self.kind {
            FrameKind::Created { id } => Some(id),
            _ => None,
        }
    }
}

/// The contact a notification opens: its link is `/contacts/N` (or `/contacts/N#…`).
fn linked_contact(data: Option<&WireData>) -> Option<i64> {
    let rest = data?.link.as_deref()?.strip_prefix("/contacts/")?;
    let digits = rest.split(|c: char| !c.is_ascii_digit()).next()?;
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notifications_are_read_by_the_contact_they_link_to() {
        let about = |link: &str| {
            let text =
                format!(r#"{{"seq":9,"type":"notification","data":{{"id":3,"link":"{link}"}}}}"#);
            Frame::parse(&text).map(|f| f.kind)
        };
        assert_eq!(
            about("/contacts/42"),
            Some(FrameKind::Notification { contact_id: 42 })
        );
        assert_eq!(
            about("/contacts/42#deal-7"),
            Some(FrameKind::Notification { contact_id: 42 })
        );
        assert_eq!(about("/zalo"), Some(FrameKind::Other));
    }

    #[test]
    fn frames_are_read_by_type() {
        let created = r#"{"seq":7,"type":"contact.created","at":"2026-01-01T00:00:00.000Z","data":{"id":42,"full_name":"A"}}"#;
        assert_eq!(
            Frame::parse(created),
            Some(Frame {
                seq: Some(7),
                kind: FrameKind::Created { id: 42 }
            })
        );
        let picked = r#"{"seq":8,"type":"contact.picked","data":{"id":42,"picked_by":{"id":12,"full_name":"B"}}}"#;
        assert_eq!(
            Frame::parse(picked).map(|f| f.kind),
            Some(FrameKind::Picked {
                id: 42,
                by: Some(12)
            })
        );
        assert_eq!(
            Frame::parse(r#"{"type":"resync"}"#),
            Some(Frame {
                seq: None,
                kind: FrameKind::Resync
            })
        );
        assert_eq!(
            Frame::parse(r#"{"type":"pong"}"#).map(|f| f.kind),
            Some(FrameKind::Other)
        );
        assert_eq!(Frame::parse("not json"), None);
    }

    #[test]
    fn only_contact_created_frames_carry_an_id() {
        let created = r#"{"seq":7,"type":"contact.created","data":{"id":42}}"#;
        assert_eq!(Frame::parse(created).and_then(|f| f.created()), Some(42));
        let other = r#"{"seq":8,"type":"contact.updated","data":{"id":42}}"#;
        assert_eq!(Frame::parse(other).and_then(|f| f.created()), None);
        // A created frame without an id is not one of ours.
        let bare = r#"{"seq":9,"type":"contact.created","data":{}}"#;
        assert_eq!(Frame::parse(bare).and_then(|f| f.created()), None);
    }

    #[test]
    fn reasons_read_as_a_parenthesis() {
        assert_eq!(reasons(&[]), "");
        let counted = by_reason(["timeout".to_owned(), "401".to_owned(), "timeout".to_owned()]);
        assert_eq!(counted, [("401".to_owned(), 1), ("timeout".to_owned(), 2)]);
        assert_eq!(reasons(&counted), " (401: 1, timeout: 2)");
    }
}
