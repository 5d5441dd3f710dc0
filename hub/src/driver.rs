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
use crate::frames::{Close, Inbound, Outbound, Replay, Reply, WireOut};
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
/// with `CLOSE_SLOW_CONSUMER`. `first` (a replay asked for on connect) is written before
/// anything queued.
///
/// A replay is written by this socket's own task rather than queued, so a long one
/// waits for the client instead of overflowing the queue; events queued meanwhile that
/// it already covers are skipped, so the client sees every event once, in seq order.
pub async fn drive<S, R, E>(
    mut sink: S,
    mut stream: R,
    registration: Registration,
    hub: Arc<Hub>,
    first: Option<Reply>,
    on_text: impl FnMut(&str) -> Option<Reply>,
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
    if let Some(first) = first {
        // The channel is empty and its receiver alive: this cannot fail.
        let _ = reply_tx.try_send(first);
    }

    let writer = Writer {
        queue: rx,
        close,
        replies: reply_rx,
        stall_limit: config.idle_timeout,
        covered_through: None,
    };
    let end = tokio::select! {
        end = writer.run(&mut sink, config.ping_every) => end,
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

/// The writing half of a socket.
struct Writer {
    queue: mpsc::Receiver<Outbound>,
    close: CloseSignal,
    replies: mpsc::Receiver<Reply>,
    stall_limit: Duration,
    /// Events up to this seq were written by a replay: skip them in the queue.
    covered_through: Option<i64>,
}

impl Writer {
    async fn run<S, E>(mut self, sink: &mut S, ping_every: Duration) -> End
    where
        S: Sink<WireOut, Error = E> + Unpin,
        E: Display,
    {
        let mut ping = interval_at(Instant::now() + ping_every, ping_every);
        ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            let out = tokio::select! {
                biased;
                requested = self.close.requested() => return End::Close(requested),
                Some(reply) = self.replies.recv() => match reply {
                    Reply::Frame(frame) => WireOut::Text(frame),
                    Reply::Replay(replay) => {
                        if let Err(end) = self.replay(sink, replay).await {
                            return end;
                        }
                        continue;
                    }
                },
                queued = self.queue.recv() => match queued {
                    Some(Outbound::Text(frame)) => WireOut::Text(frame),
                    Some(Outbound::Event { seq, frame }) => {
                        if self.covered_through.is_some_and(|through| seq <= through) {
                            continue;
                        }
                        WireOut::Text(frame)
                    }
                    Some(Outbound::Close { code, reason }) => return End::Close(Close { code, reason }),
                    // The hub dropped the handle: a close request may have raced the queue's end.
                    None => return End::Close(self.close.try_take().unwrap_or_else(Close::going_away)),
                },
                _ = ping.tick() => WireOut::Ping(Bytes::new()),
            };
            if let Err(end) = self.write(sink, out, true).await {
                return end;
            }
        }
    }

    /// Writes a replay's frames, flushing once at the end.
    async fn replay<S, E>(&mut self, sink: &mut S, replay: Replay) -> Result<(), End>
    where
        S: Sink<WireOut, Error = E> + Unpin,
        E: Display,
    {
        for frame in replay.frames {
            self.write(sink, WireOut::Text(frame), false).await?;
        }
        self.covered_through = Some(
            self.covered_through
                .map_or(replay.through, |through| through.max(replay.through)),
        );
        self.flush(sink).await
    }

    /// Writes one frame (and flushes it when asked), giving up when the client stalls
    /// for `stall_limit` or the hub asks to close.
    async fn write<S, E>(&mut self, sink: &mut S, out: WireOut, flush: bool) -> Result<(), End>
    where
        S: Sink<WireOut, Error = E> + Unpin,
        E: Display,
    {
        let stall_limit = self.stall_limit;
        let written = async {
            if flush {
                sink.send(out).await
            } else {
                sink.feed(out).await
            }
        };
        tokio::select! {
            biased;
            // A send stuck on a peer that stopped reading must not hide the hub's close.
            requested = self.close.requested() => Err(End::Close(requested)),
            sent = timeout(stall_limit, written) => sent_or_end(sent),
        }
    }

    async fn flush<S, E>(&mut self, sink: &mut S) -> Result<(), End>
    where
        S: Sink<WireOut, Error = E> + Unpin,
        E: Display,
    {
        tokio::select! {
            biased;
            requested = self.close.requested() => Err(End::Close(requested)),
            flushed = timeout(self.stall_limit, sink.flush()) => sent_or_end(flushed),
        }
    }
}

fn sent_or_end<E: Display>(
    sent: Result<Result<(), E>, tokio::time::error::Elapsed>,
) -> Result<(), End> {
    match sent {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => {
            debug!(%error, "socket write failed");
            Err(End::Quiet("write failed"))
        }
        Err(_) => Err(End::Close(Close::slow_consumer())),
    }
}

async fn read_loop<R, E>(
    stream: &mut R,
    replies: mpsc::Sender<Reply>,
    mut on_text: impl FnMut(&str) -> Option<Reply>,
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
            Some(Ok(Inbound::Text(text))) if is_ping(&text) => Some(Reply::Frame(PONG)),
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
