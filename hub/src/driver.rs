//! The per-socket driver: a writer draining the socket's queue and a reader watching
//! liveness, generic over `Sink`/`Stream` so it runs on axum, tungstenite or test channels.

use std::borrow::Cow;
use std::fmt::Display;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use serde::Deserialize;
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior, interval_at, timeout};
use tracing::debug;

use crate::conn::{CloseSignal, Registration};
use crate::frames::{Close, Inbound, Outbound, WireOut};
use crate::registry::Hub;

/// Answer to the client's application-level `{"type":"ping"}`.
const PONG: Bytes = Bytes::from_static(br#"{"type":"pong"}"#);
/// Replies (pongs, `on_text` answers) waiting for the writer; a client that outruns
/// them is throttled, since the reader then waits.
const REPLY_QUEUE: usize = 16;
/// Upper bound on the farewell (close frame, flush), so a dead peer cannot hold the task.
const CLOSE_GRACE: Duration = Duration::from_secs(5);

/// How a socket ends.
enum End {
    /// Tell the client why.
    Close(Close),
    /// The transport is closed or broken: nothing more to say; the text is for the log.
    Quiet(&'static str),
}

#[derive(Deserialize)]
struct ClientFrame<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
}

/// Runs one socket until it closes, then unregisters it from `hub`.
///
/// The writer sends queued frames, a WebSocket Ping every `ping_every`, and the hub's close
/// requests. The reader counts any frame as liveness, answers `{"type":"ping"}` with
/// `{"type":"pong"}`, hands other text to `on_text` and writes its reply, and closes with
/// `CLOSE_IDLE` after `idle_timeout` of silence. A write stuck for `idle_timeout` closes
/// with `CLOSE_SLOW_CONSUMER`.
pub async fn drive<S, R, E>(
    mut sink: S,
    mut stream: R,
    registration: Registration,
    hub: Arc<Hub>,
    on_text: impl FnMut(&str) -> Option<Bytes>,
) where
    S: Sink<WireOut, Error = E> + Unpin,
    R: Stream<Item = Result<Inbound, E>> + Unpin,
    E: Display,
{
    let Registration {
        conn_id,
        user_id,
        rx,
        close,
        ..
    } = registration;
    let config = hub.config().clone();
    let (reply_tx, reply_rx) = mpsc::channel(REPLY_QUEUE);

    let end = tokio::select! {
        end = write_loop(&mut sink, rx, close, reply_rx, config.ping_every, config.idle_timeout) => end,
        end = read_loop(&mut stream, reply_tx, on_text, config.idle_timeout) => end,
    };

    // First, so fan-out stops queueing to a socket that is going away.
    hub.unregister(user_id, conn_id);
    match end {
        End::Close(close) => {
            debug!(user_id, conn_id, code = close.code, "socket closing");
            let _ = timeout(CLOSE_GRACE, sink.send(close.into_wire())).await;
        }
        End::Quiet(why) => debug!(user_id, conn_id, why, "socket ended"),
    }
    let _ = timeout(CLOSE_GRACE, sink.close()).await;
}

async fn write_loop<S, E>(
    sink: &mut S,
    mut queue: mpsc::Receiver<Outbound>,
    mut close: CloseSignal,
    mut replies: mpsc::Receiver<Bytes>,
    ping_every: Duration,
    stall_limit: Duration,
) -> End
where
    S: Sink<WireOut, Error = E> + Unpin,
    E: Display,
{
    let mut ping = interval_at(Instant::now() + ping_every, ping_every);
    ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        let out = tokio::select! {
            biased;
            requested = close.requested() => return End::Close(requested),
            Some(reply) = replies.recv() => WireOut::Text(reply),
            queued = queue.recv() => match queued {
                Some(Outbound::Text(frame)) => WireOut::Text(frame),
                Some(Outbound::Close { code, reason }) => return End::Close(Close { code, reason }),
                // The hub dropped the handle: a close request may have raced the queue's end.
                None => return End::Close(close.try_take().unwrap_or_else(Close::going_away)),
            },
            _ = ping.tick() => WireOut::Ping(Bytes::new()),
        };
        tokio::select! {
            biased;
            // A send stuck on a peer that stopped reading must not hide the hub's close.
            requested = close.requested() => return End::Close(requested),
            sent = timeout(stall_limit, sink.send(out)) => match sent {
                Ok(Ok(())) => {}
                Ok(Err(error)) => {
                    debug!(%error, "socket write failed");
                    return End::Quiet("write failed");
                }
                Err(_) => return End::Close(Close::slow_consumer()),
            },
        }
    }
}

async fn read_loop<R, E>(
    stream: &mut R,
    replies: mpsc::Sender<Bytes>,
    mut on_text: impl FnMut(&str) -> Option<Bytes>,
    idle_timeout: Duration,
) -> End
where
    R: Stream<Item = Result<Inbound, E>> + Unpin,
    E: Display,
{
    loop {
        // Restarted on every frame: the limit is on silence, not on the socket's age.
        let Ok(next) = timeout(idle_timeout, stream.next()).await else {
            return End::Close(Close::idle());
        };
        let reply = match next {
            None => return End::Quiet("client went away"),
            Some(Err(error)) => {
                debug!(%error, "socket read failed");
                return End::Quiet("read failed");
            }
            Some(Ok(Inbound::Close)) => return End::Quiet("client closed"),
            Some(Ok(Inbound::Text(text))) if is_ping(&text) => Some(PONG),
            Some(Ok(Inbound::Text(text))) => on_text(&text),
            // Liveness only; the transport answers WebSocket pings itself.
            Some(Ok(Inbound::Ping(_) | Inbound::Pong(_) | Inbound::Other)) => None,
        };
        if let Some(reply) = reply
            && replies.send(reply).await.is_err()
        {
            return End::Quiet("writer gone");
        }
    }
}

fn is_ping(text: &str) -> bool {
    serde_json::from_str::<ClientFrame>(text).is_ok_and(|frame| frame.kind == "ping")
}

#[cfg(test)]
mod tests;
