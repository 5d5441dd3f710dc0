//! Bridges the hubs of several `ankhang serve` processes through Redis pub/sub
//! (`ANKHANG_BROKER_URL`), as Centrifugo, AnyCable and ActionCable do.
//!
//! The database stays the source of truth: every event is a row of the shared
//! `events` table whose id (the global `seq`) the database allocated. The broker only
//! carries hints ("events up to seq N are committed") and control messages (sessions
//! revoked, rights changed), never personal data. Each node reads new rows itself, so
//! a lost hint costs latency, never an event.
//!
//! Redis down: the node keeps serving HTTP, reports the outage (log, `/readyz`
//! `degraded`, the `ankhang_broker_connected` metric, the monitor webhook), reads the
//! event table every second instead, and tells its sockets to resync once Redis is back.

mod link;
mod relay;
mod wire;

use std::sync::Arc;

use anyhow::Context;
use secrecy::{ExposeSecret, SecretString};
use tokio::task::JoinHandle;

pub use relay::{Outbox, Relay, Status, relay};
pub use wire::Control;

use crate::{keys::Keys, state::AppState};

/// A configured bridge, ready to start once the application state exists.
pub struct Broker {
    client: redis::Client,
    channel: String,
    outbox: Outbox,
}

impl Broker {
    /// Checks the URL (no connection yet: a node starts even while Redis is down).
    /// The channel is derived from the master key, which every node of one deployment
    /// shares, so two deployments on one Redis never hear each other.
    pub fn new(url: &SecretString, keys: &Keys, outbox: Outbox) -> anyhow::Result<Self> {
        let client =
            redis::Client::open(url.expose_secret()).context("ANKHANG_BROKER_URL không hợp lệ")?;
        let id = keys.derive("broker-channel");
        let channel = format!("ankhang:{}", hex::encode(&id.expose_secret()[..8]));
        Ok(Self {
            client,
            channel,
            outbox,
        })
    }

    /// Starts listening and publishing; both tasks end when the server stops.
    pub fn start(self, state: &AppState) -> Vec<JoinHandle<()>> {
        let link = Arc::new(link::Link {
            client: self.client,
            channel: self.channel,
            node: new_node_id(),
            state: state.clone(),
            status: self.outbox.status.clone(),
        });
        vec![
            tokio::spawn(link::listen(link.clone())),
            tokio::spawn(link::publish(link, self.outbox)),
        ]
    }
}

/// A random id for this process's messages (they come back on the shared channel).
fn new_node_id() -> String {
    let bytes: [u8; 12] = rand::random();
    hex::encode(bytes)
}
