//! The two tasks talking to Redis: `listen` (subscribe, follow other nodes, notice and
//! report outages) and `publish` (tell other nodes what this one committed).

use std::{
    sync::{Arc, atomic::Ordering},
    time::Duration,
};

use futures_util::StreamExt;
use redis::{AsyncCommands, aio::MultiplexedConnection};
use tokio::time::{MissedTickBehavior, interval, sleep, timeout};

use super::{
    relay::{Outbox, Status},
    wire::{Body, Envelope},
};
use crate::{events::RESYNC, state::AppState};

/// How long connecting, subscribing, a ping or a publish may take before Redis counts
/// as unreachable.
const ANSWER_WITHIN: Duration = Duration::from_secs(2);
/// A silent connection is pinged this often, so a dead peer is noticed even when
/// nothing is published; the event table is read at the same pace.
const PING_EVERY: Duration = Duration::from_secs(3);
/// While Redis is down: how often the event table is read for other nodes' events.
const POLL_EVERY: Duration = Duration::from_secs(1);
/// Reconnection attempts back off up to this.
const MAX_BACKOFF: Duration = Duration::from_secs(8);

pub struct Link {
    pub client: redis::Client,
    pub channel: String,
    pub node: String,
    pub state: AppState,
    pub status: Arc<Status>,
}

impl Link {
    fn stopping(&self) -> bool {
        self.state.lifecycle.is_shutting_down()
    }

    fn connected(&self, after_outage: bool) {
        self.status.connected();
        self.state.metrics.broker_connected(true);
        if after_outage {
            tracing::info!("broker reachable again");
        } else {
            tracing::info!(channel = %self.channel, "broker connected");
        }
    }

    fn lost(&self, cause: String) {
        self.state.metrics.broker_connected(false);
        if self.status.lost(self.state.clock.now(), cause.clone()) {
            self.state.monitor.job_failed(
                "broker",
                &format!(
                    "mất kết nối tới Redis (ANKHANG_BROKER_URL): {cause}; các máy chủ vẫn phục vụ, sự kiện giữa các máy chủ được đọc lại từ cơ sở dữ liệu mỗi giây"
                ),
            );
        }
    }

    async fn handle(&self, payload: &[u8]) {
        let envelope = match Envelope::decode(payload) {
            Ok(envelope) => envelope,
            Err(err) => {
                tracing::warn!(%err, "unreadable broker message ignored");
                return;
            }
        };
        if envelope.node == self.node {
            return;
        }
        match envelope.body {
            Body::Events { through } => self.state.live.feed.follow(Some(through)).await,
            Body::Control(control) => self.state.live.apply(control),
        }
    }
}

/// Subscribes and follows the channel; on any failure reports the outage, reads the
/// event table every second and retries with backoff. Ends when the server stops.
pub async fn listen(link: Arc<Link>) {
    let mut outages = 0u32;
    let mut backoff = Duration::from_millis(250);
    while !link.stopping() {
        match subscribe(&link).await {
            Ok(pubsub) => {
                link.connected(outages > 0);
                backoff = Duration::from_millis(250);
                // Whatever was committed before the subscription took effect.
                link.state.live.feed.follow(None).await;
                if outages > 0 {
                    // Logouts and locks elsewhere went unheard meanwhile.
                    match link.state.live.close_ended_sessions().await {
                        Ok(0) => {}
                        Ok(closed) => {
                            tracing::info!(closed, "sessions ended during the broker outage closed")
                        }
                        Err(err) => {
                            tracing::error!(%err, "cannot recheck sessions after the broker outage")
                        }
                    }
                    // Events reached them from the table meanwhile, but rights may have
                    // changed unheard: clients reload.
                    let reached = link
                        .state
                        .live
                        .hub
                        .broadcast(bytes::Bytes::from_static(RESYNC.as_bytes()));
                    tracing::info!(
                        sockets = reached,
                        "sockets told to resync after the broker outage"
                    );
                }
                let cause = follow(&link, pubsub).await;
                if link.stopping() {
                    return;
                }
                link.lost(cause);
            }
            Err(cause) => link.lost(cause),
        }
        outages += 1;
        wait_polling(&link, backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

async fn subscribe(link: &Link) -> Result<redis::aio::PubSub, String> {
    let attempt = async {
        let mut pubsub = link.client.get_async_pubsub().await?;
        pubsub.subscribe(&link.channel).await?;
        Ok::<_, redis::RedisError>(pubsub)
    };
    match timeout(ANSWER_WITHIN, attempt).await {
        Ok(Ok(pubsub)) => Ok(pubsub),
        Ok(Err(err)) => Err(err.to_string()),
        Err(_) => Err("không trả lời trong 2 giây".into()),
    }
}

/// Handles messages until the connection fails; returns why.
async fn follow(link: &Link, pubsub: redis::aio::PubSub) -> String {
    let (mut sink, mut stream) = pubsub.split();
    let mut ping = interval(PING_EVERY);
    ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
    ping.tick().await;
    let stop = link.state.lifecycle.clone();
    loop {
        tokio::select! {
            message = stream.next() => match message {
                Some(message) => link.handle(message.get_payload_bytes()).await,
                None => return "kết nối bị đóng".into(),
            },
            _ = ping.tick() => {
                match timeout(ANSWER_WITHIN, sink.ping::<redis::Value>()).await {
                    // A hint lost on the way (a failed publish elsewhere) costs at
                    // most this long: look at the table anyway.
                    Ok(Ok(_)) => link.state.live.feed.follow(None).await,
                    Ok(Err(err)) => return err.to_string(),
                    Err(_) => return "không trả lời PING trong 2 giây".into(),
                }
            }
            () = stop.stopping() => return "máy chủ đang dừng".into(),
        }
    }
}

/// Sleeps `span`, reading other nodes' events from the table every second meanwhile.
async fn wait_polling(link: &Link, span: Duration) {
    let deadline = tokio::time::Instant::now() + span.max(POLL_EVERY);
    while !link.stopping() && tokio::time::Instant::now() < deadline {
        link.state.live.feed.follow(None).await;
        tokio::select! {
            () = sleep(POLL_EVERY) => {}
            () = link.state.lifecycle.stopping() => return,
        }
    }
}

/// Publishes this node's commits (one coalesced hint per burst) and control messages.
/// While Redis is down hints are dropped (other nodes read the table) and so are
/// control messages (other nodes' caches expire within seconds).
pub async fn publish(link: Arc<Link>, mut outbox: Outbox) {
    let mut connection: Option<MultiplexedConnection> = None;
    let mut announced = 0i64;
    let stop = link.state.lifecycle.clone();
    loop {
        let mut controls = Vec::new();
        tokio::select! {
            () = outbox.wake.notified() => {}
            control = outbox.controls.recv() => match control {
                Some(control) => controls.push(control),
                None => return,
            },
            () = stop.stopping() => return,
        }
        while let Ok(control) = outbox.controls.try_recv() {
            controls.push(control);
        }
        let committed = outbox.committed.load(Ordering::Acquire);
        let mut bodies: Vec<Body> = controls.into_iter().map(Body::Control).collect();
        if committed > announced {
            announced = committed;
            bodies.push(Body::Events { through: committed });
        }
        if bodies.is_empty() || !link.status.is_connected() {
            continue;
        }
        if let Err(err) = send(&link, &mut connection, bodies).await {
            tracing::warn!(%err, "cannot publish to the broker");
            connection = None;
        }
    }
}

async fn send(
    link: &Link,
    connection: &mut Option<MultiplexedConnection>,
    bodies: Vec<Body>,
) -> Result<(), String> {
    let conn = match connection {
        Some(conn) => conn,
        None => {
            let opened = timeout(
                ANSWER_WITHIN,
                link.client.get_multiplexed_async_connection(),
            )
            .await
            .map_err(|_| "không trả lời trong 2 giây".to_owned())?
            .map_err(|err| err.to_string())?;
            connection.insert(opened)
        }
    };
    for body in bodies {
        let message = Envelope {
            node: link.node.clone(),
            body,
        }
        .encode();
        timeout(
            ANSWER_WITHIN,
            conn.publish::<_, _, i64>(&link.channel, message),
        )
        .await
        .map_err(|_| "PUBLISH không trả lời trong 2 giây".to_owned())?
        .map_err(|err| err.to_string())?;
    }
    Ok(())
}
