//! The `failover` scenario (`--nodes` 2 or more): a server process dies mid-run and
//! its clients carry on elsewhere without losing an event.
//!
//! 1. `--sockets` sockets open, socket `i` on node `i % N`, round-robin over the
//!    Sales' tokens; each remembers the highest `seq` it has read.
//! 2. The admin creates `--events` contacts on node 0 at `--rate`: every event crosses
//!    the broker to the sockets on the other nodes.
//! 3. After half of them, the last node is killed (SIGKILL: a crash, no close frames).
//!    Its sockets see the connection end, and reconnect at once to the live nodes,
//!    round-robin, with `GET /ws?after_seq=<highest seq read>` so that the replay
//!    comes before any live event.
//! 4. Once the last contact is created, every socket must have read every event
//!    exactly once and in `seq` order, with no `resync`.
//!
//! Reported: per socket that lost its node, the time from noticing the drop until
//! the new socket is open, and from the kill until the last one is back; missed,
//! duplicate and out-of-order events (all must be 0).

mod summary;

use std::{
    sync::{
        Arc, RwLock,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::Duration,
};

use anyhow::{Context as _, bail};
use reqwest::{Client, Url};
use tokio::{
    sync::{Semaphore, mpsc, watch},
    task::JoinSet,
    time::{Instant, sleep, sleep_until},
};

pub use self::summary::FailoverSummary;
use crate::{
    nodes::{Cluster, node_of},
    pace::{Batch, Paced, active_service_types, create_paced},
    progress::Progress,
    setup::{Endpoints, Session},
    socket::{
        Connected, Frame, Handshakes, Socket, SocketPlan, close, connect_gated, connect_reported,
        read_until, reasons,
    },
    storm::tracker::{EventIds, Tracker},
};

/// Pause between two reconnect attempts, so a refused node is not hammered.
const RECONNECT_BACKOFF: Duration = Duration::from_millis(100);
/// A socket still without a node after this long gives up: lost.
const RECONNECT_LIMIT: Duration = Duration::from_secs(30);
/// After the last event, the most the sockets get to read what is still in flight.
const CATCH_UP_LIMIT: Duration = Duration::from_secs(30);

/// Where the run is; the socket tasks follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    /// Events are being created.
    Live,
    /// Every POST has answered: every id is known, sockets report once caught up.
    Drain,
    Stop,
}

/// What the socket tasks share with the admin's loop.
struct Shared {
    /// Contact id → event number, as the POSTs answer.
    ids: EventIds,
    /// Per event number: the instant just before its POST was sent.
    sent_at: RwLock<Vec<Option<Instant>>>,
    events: usize,
    /// Per node: killed, so no socket reconnects there.
    dead: Vec<AtomicBool>,
    /// Sockets that have read every event (counted during the drain).
    caught_up: AtomicU64,
}

impl Shared {
    fn index(&self, id: i64) -> Option<usize> {
        self.ids.get(id)
    }

    fn insert(&self, id: i64, event: usize, sent: Instant) {
        self.ids.insert(id, event);
        let mut sent_at = match self.sent_at.write() {
            Ok(sent_at) => sent_at,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(slot) = sent_at.get_mut(event) {
            *slot = Some(sent);
        }
    }

    fn dead(&self) -> Vec<bool> {
        self.dead
            .iter()
            .map(|d| d.load(Ordering::Relaxed))
            .collect()
    }
}

/// One reconnect of a socket whose connection ended.
#[derive(Debug, Clone, Copy)]
pub struct Reconnect {
    /// From noticing the drop until the new socket was open.
    took: Duration,
    /// When it was open.
    at: Instant,
}

/// What one socket task saw, handed back at the end.
struct SocketOutcome {
    tracker: Tracker,
    /// The node it opened on, and the one it ended on.
    first_node: usize,
    last_node: usize,
    /// Why each of its connections ended before the run did.
    drops: Vec<String>,
    reconnects: Vec<Reconnect>,
    /// `contact.created` frames read on a socket opened by a reconnect (the replay
    /// and what came live after it).
    after_reconnect: u64,
    /// Why it could not reconnect: it read nothing after that.
    lost: Option<String>,
    closed_cleanly: bool,
}

/// Set-up, kill, reconnects and checks; the caller prints the summary.
pub async fn benchmark(
    client: &Client,
    endpoints: &Endpoints,
    admin_token: &str,
    sales: Vec<Session>,
    plan: SocketPlan<'_>,
    cluster: &mut Cluster,
    progress: Progress,
) -> anyhow::Result<FailoverSummary> {
    if sales.is_empty() {
        bail!("the failover scenario needs at least one Sale");
    }
    let nodes = plan.nodes;
    if nodes.len() < 2 {
        bail!("the failover scenario needs --nodes 2 or more");
    }
    let SocketPlan {
        sockets,
        events,
        rate,
        connect_concurrency,
        ..
    } = plan;
    let service_types = active_service_types(client, endpoints, admin_token).await?;
    let event_count = usize::try_from(events)?;
    let shared = Arc::new(Shared {
        ids: EventIds::with_capacity(event_count),
        sent_at: RwLock::new(vec![None; event_count]),
        events: event_count,
        dead: nodes.iter().map(|_| AtomicBool::new(false)).collect(),
        caught_up: AtomicU64::new(0),
    });
    let ws_urls: Arc<Vec<Url>> = Arc::new(nodes.iter().map(|n| n.ws.clone()).collect());
    let (stage_tx, stage_rx) = watch::channel(Stage::Live);
    let (connected_tx, mut connected_rx) = mpsc::unbounded_channel();
    let gate = crate::socket::gate(connect_concurrency);

    eprintln!(
        "opening {sockets} sockets over {} Sales and {} nodes, {connect_concurrency} at a time …",
        sales.len(),
        nodes.len()
    );
    let mut tasks = JoinSet::new();
    for (index, sale) in (0..usize::try_from(sockets)?).zip(sales.iter().cycle()) {
        tasks.spawn(socket_task(
            index,
            sale.token.clone(),
            Arc::clone(&ws_urls),
            Arc::clone(&gate),
            connected_tx.clone(),
            stage_rx.clone(),
            Arc::clone(&shared),
        ));
    }
    drop((connected_tx, stage_rx));
    let phase = progress.phase("sockets", u64::from(sockets));
    let opened = Handshakes::gather(&mut connected_rx, sockets, &phase).await;
    phase.finish(&opened.describe());
    let connected = opened.connected();
    if connected == 0 {
        bail!("no socket connected{}", reasons(&opened.failures));
    }

    let victim = nodes.len() - 1;
    let before_kill = events / 2;
    let batch = Batch {
        service_types: &service_types,
        count: before_kill,
        rate,
        first: 0,
    };
    eprintln!(
        "creating {events} contacts at {rate} per second on node 0, killing node {victim} \
         after {before_kill} …"
    );
    let first = create_batch(client, endpoints, admin_token, batch, &shared, progress).await?;
    // Marked dead first, so no socket picks it as it falls.
    if let Some(dead) = shared.dead.get(victim) {
        dead.store(true, Ordering::Relaxed);
    }
    let killed_at = Instant::now();
    cluster.kill(victim).await?;
    eprintln!("  node {victim} killed");
    let batch = Batch {
        count: events - before_kill,
        first: before_kill,
        ..batch
    };
    let second = create_batch(client, endpoints, admin_token, batch, &shared, progress).await?;

    // Every id is known now: the sockets settle their early frames and report.
    let _ = stage_tx.send(Stage::Drain);
    let phase = progress.phase("catch-up", connected);
    let limit = Instant::now() + CATCH_UP_LIMIT;
    loop {
        let caught_up = shared.caught_up.load(Ordering::Relaxed);
        phase.set_message(format!("{caught_up} caught up"));
        if caught_up >= connected || Instant::now() >= limit {
            phase.finish(&format!(
                "{caught_up} of {connected} sockets read every event"
            ));
            break;
        }
        sleep_until((Instant::now() + Duration::from_millis(20)).min(limit)).await;
    }

    let _ = stage_tx.send(Stage::Stop);
    let mut outcomes = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        outcomes.extend(joined.context("a socket task panicked")?);
    }
    let sent_at = match shared.sent_at.read() {
        Ok(sent_at) => sent_at.iter().flatten().copied().collect(),
        Err(poisoned) => poisoned.into_inner().iter().flatten().copied().collect(),
    };
    Ok(summary::tally(summary::Parts {
        nodes: nodes.len(),
        killed: victim,
        killed_at,
        users: u32::try_from(sales.len())?,
        sockets,
        events,
        before_kill,
        opened,
        batches: [first, second],
        sent_at,
        outcomes,
    }))
}

/// Creates one batch, numbering its events from `batch.first`.
async fn create_batch(
    client: &Client,
    endpoints: &Endpoints,
    admin_token: &str,
    batch: Batch<'_>,
    shared: &Shared,
    progress: Progress,
) -> anyhow::Result<Paced> {
    if batch.count == 0 {
        return Ok(Paced::default());
    }
    let first = usize::try_from(batch.first)?;
    let phase = progress.phase("contacts", u64::from(batch.count));
    let paced = create_paced(
        client,
        endpoints,
        admin_token,
        batch,
        &phase,
        |n, id, sent| {
            shared.insert(id, first + n, sent);
        },
    )
    .await?;
    phase.finish(&format!(
        "{} created in {:.1} s",
        batch.count,
        paced.elapsed.as_secs_f64()
    ));
    Ok(paced)
}

/// The node socket `index` reconnects to on its `attempt`-th try (from 0): the live
/// nodes round-robin, so a dead node's sockets spread over all the others and a
/// refused attempt moves on; `None` when no node is live.
pub fn reconnect_target(index: usize, attempt: usize, dead: &[bool]) -> Option<usize> {
    let live: Vec<usize> = (0..dead.len())
        .filter(|&n| !dead.get(n).copied().unwrap_or(true))
        .collect();
    if live.is_empty() {
        return None;
    }
    live.get(index.wrapping_add(attempt) % live.len()).copied()
}

/// `GET /ws?after_seq=N`: the replay comes before any live event, so order holds.
/// Without a `seq` read yet there is nothing to resume from.
pub fn resume_url(ws: &Url, after_seq: i64) -> Url {
    let mut url = ws.clone();
    if after_seq > 0 {
        url.query_pairs_mut()
            .append_pair("after_seq", &after_seq.to_string());
    }
    url
}

/// One socket through the whole run; `None` when its first handshake failed.
async fn socket_task(
    index: usize,
    token: String,
    nodes: Arc<Vec<Url>>,
    gate: Arc<Semaphore>,
    connected: mpsc::UnboundedSender<Connected>,
    mut stage: watch::Receiver<Stage>,
    shared: Arc<Shared>,
) -> Option<SocketOutcome> {
    let first_node = node_of(index, nodes.len());
    let url = nodes.get(first_node)?;
    let mut socket = connect_reported(url, &token, &gate, connected).await?;
    let mut outcome = SocketOutcome {
        tracker: Tracker::new(shared.events),
        first_node,
        last_node: first_node,
        drops: Vec::new(),
        reconnects: Vec::new(),
        after_reconnect: 0,
        lost: None,
        closed_cleanly: false,
    };
    let index_of = |id| shared.index(id);
    let mut reported = false;
    let mut report = |tracker: &Tracker| {
        if !reported && tracker.caught_up() {
            reported = true;
            shared.caught_up.fetch_add(1, Ordering::Relaxed);
        }
    };
    loop {
        let draining = *stage.borrow() >= Stage::Drain;
        let until = if draining { Stage::Stop } else { Stage::Drain };
        let resumed = !outcome.reconnects.is_empty();
        let tracker = &mut outcome.tracker;
        let after_reconnect = &mut outcome.after_reconnect;
        let ended = read_until(&mut socket, reach(&mut stage, until), |text, _| {
            if let Some(frame) = Frame::parse(text) {
                if resumed && frame.created().is_some() {
                    *after_reconnect += 1;
                }
                tracker.read(&frame, index_of, resumed);
                if draining {
                    report(tracker);
                }
            }
        })
        .await;
        match ended {
            None if until == Stage::Drain => {
                // Every POST has answered: settle the frames that beat theirs.
                outcome.tracker.resolve(index_of);
                report(&outcome.tracker);
            }
            None => break,
            Some(why) => {
                outcome.drops.push(why);
                let dropped_at = Instant::now();
                let after_seq = outcome.tracker.last_seq;
                match reconnect(index, &token, &nodes, &gate, after_seq, &stage, &shared).await {
                    Ok((new, node)) => {
                        socket = new;
                        outcome.last_node = node;
                        let at = Instant::now();
                        outcome.reconnects.push(Reconnect {
                            took: at.saturating_duration_since(dropped_at),
                            at,
                        });
                    }
                    Err(why) => {
                        outcome.lost = Some(why);
                        return Some(outcome);
                    }
                }
            }
        }
    }
    outcome.closed_cleanly = close(&mut socket).await;
    Some(outcome)
}

/// Opens a socket on a live node, resuming after `after_seq`; tries the live nodes in
/// turn until one accepts, the limit passes or the run ends.
async fn reconnect(
    index: usize,
    token: &str,
    nodes: &[Url],
    gate: &Semaphore,
    after_seq: i64,
    stage: &watch::Receiver<Stage>,
    shared: &Shared,
) -> Result<(Socket, usize), String> {
    let started = Instant::now();
    let mut last_error = String::from("no attempt");
    let mut attempt = 0usize;
    loop {
        if started.elapsed() >= RECONNECT_LIMIT || *stage.borrow() >= Stage::Stop {
            return Err(format!("gave up after {attempt} attempts ({last_error})"));
        }
        let node = reconnect_target(index, attempt, &shared.dead())
            .ok_or_else(|| "no live node".to_owned())?;
        let url = nodes.get(node).ok_or_else(|| "no such node".to_owned())?;
        match connect_gated(&resume_url(url, after_seq), token, gate).await {
            Ok((socket, _)) => return Ok((socket, node)),
            Err(why) => last_error = format!("node {node}: {why}"),
        }
        attempt += 1;
        sleep(RECONNECT_BACKOFF).await;
    }
}

/// Completes once the run reaches `target` (or the run is gone).
async fn reach(stage: &mut watch::Receiver<Stage>, target: Stage) {
    let _ = stage.wait_for(|s| *s >= target).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dead_nodes_sockets_spread_over_the_live_ones() {
        let dead = [false, false, true];
        // Sockets 2, 5, 8, 11 were on node 2.
        let targets: Vec<Option<usize>> = [2, 5, 8, 11]
            .iter()
            .map(|&i| reconnect_target(i, 0, &dead))
            .collect();
        assert_eq!(targets, [Some(0), Some(1), Some(0), Some(1)]);
        // A refused attempt moves on to the next live node.
        assert_eq!(reconnect_target(2, 1, &dead), Some(1));
    }

    #[test]
    fn with_every_node_up_a_socket_reconnects_where_it_was() {
        let dead = [false, false, false];
        for i in 0..9 {
            assert_eq!(reconnect_target(i, 0, &dead), Some(node_of(i, 3)));
        }
        assert_eq!(reconnect_target(4, 0, &[true, true]), None);
        assert_eq!(reconnect_target(4, 0, &[]), None);
    }

    #[test]
    fn the_resume_url_carries_the_last_seq_read() {
        let ws = Url::parse("ws://127.0.0.1:8081/ws").expect("a URL");
        assert_eq!(
            resume_url(&ws, 42).as_str(),
            "ws://127.0.0.1:8081/ws?after_seq=42"
        );
        assert_eq!(resume_url(&ws, 0).as_str(), "ws://127.0.0.1:8081/ws");
    }
}
