//! The `storm` scenario: every socket drops at once and comes back at once, as after
//! a network cut or a load balancer restart, and must catch up on what it missed.
//!
//! 1. `--sockets` sockets open, round-robin over the Sales' tokens (and over the
//!    nodes with `--nodes`: each comes back to its own); each remembers the highest
//!    `seq` it has read.
//! 2. The admin creates `--events` contacts at `--rate`; every socket must read them.
//! 3. Every socket is dropped abruptly: no close frame, a TCP reset.
//! 4. While they are down, the admin creates `--events` more.
//! 5. All reconnect at once (`--connect-concurrency` handshakes in flight) and send
//!    `{"type":"resume","after_seq":<highest seq read>}` as their first frame. Each
//!    must then read every `contact.created` it missed, none twice, and no `resync`
//!    (the server's ring holds 10 000 events).
//!
//! Reported: the reconnect handshakes, the time from the reconnect's start until every
//! socket has read every event, the frames the resume brought, missed events (must
//! be 0), duplicates, resyncs, and with `--server-pid` the server's memory per socket.

mod summary;
pub mod tracker;

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use anyhow::{Context as _, bail};
use reqwest::Client;
use tokio::{
    sync::{Semaphore, mpsc, watch},
    task::JoinSet,
    time::{Instant, sleep, sleep_until, timeout_at},
};

pub use self::summary::StormSummary;
use self::{
    summary::Batches,
    tracker::{EventIds, Tracker},
};
use crate::{
    pace::{Batch, active_service_types, create_paced},
    progress::{Phase, Progress},
    server_proc::RssMeter,
    setup::{Endpoints, Session},
    socket::{
        Connected, Frame, Handshakes, SocketPlan, abort, close, connect_gated, connect_reported,
        read_until, reasons, resume,
    },
    stats::{LatencyMs, micros},
    ws::DRAIN_GRACE,
};

/// After the drop, how long the server gets to notice the resets and unregister the
/// sockets before the missed events are created.
const DOWN_SETTLE: Duration = Duration::from_secs(1);
/// The most the reconnect (handshakes and replays) may take before the sockets not
/// caught up count as having missed the rest.
const CATCH_UP_LIMIT: Duration = Duration::from_secs(60);

/// Where the run is; the socket tasks follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Live,
    Down,
    Reconnect,
    Stop,
}

/// What the socket tasks share with the admin's loop.
struct Shared {
    /// Contact id → event number, as the POSTs answer.
    ids: EventIds,
    /// Events of both batches.
    total: usize,
    /// `contact.created` frames read live (first connection), for the wait.
    live_frames: AtomicU64,
}

impl Shared {
    fn index(&self, id: i64) -> Option<usize> {
        self.ids.get(id)
    }

    fn insert(&self, id: i64, event: usize) {
        self.ids.insert(id, event);
    }
}

/// How a reconnected socket's resume ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Settled {
    /// Read every event, at this instant.
    CaughtUp(Instant),
    /// The server answered `resync`.
    Resync,
    /// The reconnect failed, or the socket ended before catching up.
    Lost,
}

/// What a socket task reports while it runs.
enum Report {
    /// Its first connection is down.
    Down,
    Settled(Settled),
}

/// What one socket task saw, handed back at the end.
struct SocketOutcome {
    tracker: Tracker,
    /// Its first connection ended before the drop (server closed it, transport error).
    lost_live: Option<String>,
    /// Why the reconnect failed or the second connection ended early.
    lost_resumed: Option<String>,
    closed_cleanly: bool,
}

/// Set-up, drop, reconnect and checks; the caller prints the summary.
pub async fn benchmark(
    client: &Client,
    endpoints: &Endpoints,
    admin_token: &str,
    sales: Vec<Session>,
    plan: SocketPlan<'_>,
    progress: Progress,
) -> anyhow::Result<StormSummary> {
    if sales.is_empty() {
        bail!("the storm scenario needs at least one Sale");
    }
    let SocketPlan {
        sockets,
        events,
        rate,
        connect_concurrency,
        server,
        nodes: _,
    } = plan;
    let service_types = active_service_types(client, endpoints, admin_token).await?;
    let per_batch = usize::try_from(events)?;
    let shared = Arc::new(Shared {
        ids: EventIds::with_capacity(2 * per_batch),
        total: 2 * per_batch,
        live_frames: AtomicU64::new(0),
    });
    let (stage_tx, stage_rx) = watch::channel(Stage::Live);
    let (connected_tx, mut connected_rx) = mpsc::unbounded_channel();
    let (report_tx, mut report_rx) = mpsc::unbounded_channel();
    let gate = crate::socket::gate(connect_concurrency);

    eprintln!(
        "opening {sockets} sockets over {} Sales, {connect_concurrency} at a time …",
        sales.len()
    );
    let rss = RssMeter::start(server);
    let mut tasks = JoinSet::new();
    // With `--nodes`, each socket reconnects to the node it was on.
    for (index, sale) in (0..usize::try_from(sockets)?).zip(sales.iter().cycle()) {
        let url = plan.ws_url(index).context("no node to open a socket on")?;
        tasks.spawn(socket_task(
            url.clone(),
            sale.token.clone(),
            Arc::clone(&gate),
            connected_tx.clone(),
            report_tx.clone(),
            stage_rx.clone(),
            Arc::clone(&shared),
        ));
    }
    drop((connected_tx, report_tx, stage_rx));
    let phase = progress.phase("sockets", u64::from(sockets));
    let opened = Handshakes::gather(&mut connected_rx, sockets, &phase).await;
    phase.finish(&opened.describe());
    let connected = opened.connected();
    if connected == 0 {
        bail!("no socket connected{}", reasons(&opened.failures));
    }
    let server_rss = rss.finish(connected).await;

    // 1. Events while every socket is up.
    eprintln!("creating {events} contacts at {rate} per second, sockets up …");
    let batch = Batch {
        service_types: &service_types,
        count: events,
        rate,
        first: 0,
    };
    let before = create_batch(client, endpoints, admin_token, batch, &shared, 0, progress).await?;
    let expected_live = connected * u64::from(events);
    let grace_end = Instant::now() + DRAIN_GRACE;
    while shared.live_frames.load(Ordering::Relaxed) < expected_live && Instant::now() < grace_end {
        sleep_until((Instant::now() + Duration::from_millis(20)).min(grace_end)).await;
    }

    // 2. Every socket drops at once.
    eprintln!("dropping every socket without a close handshake …");
    let _ = stage_tx.send(Stage::Down);
    let mut down = 0u64;
    let down_by = Instant::now() + DRAIN_GRACE;
    while down < connected {
        match timeout_at(down_by, report_rx.recv()).await {
            Ok(Some(Report::Down)) => down += 1,
            Ok(Some(Report::Settled(_))) => {}
            Ok(None) | Err(_) => break,
        }
    }
    sleep(DOWN_SETTLE).await;

    // 3. Events while they are down.
    eprintln!("creating {events} contacts at {rate} per second, sockets down …");
    let batch = Batch {
        first: events,
        ..batch
    };
    let during = create_batch(
        client,
        endpoints,
        admin_token,
        batch,
        &shared,
        per_batch,
        progress,
    )
    .await?;

    // 4. Everyone reconnects and resumes.
    eprintln!("reconnecting {down} sockets, {connect_concurrency} at a time, each resuming …");
    let reconnect_started = Instant::now();
    let _ = stage_tx.send(Stage::Reconnect);
    let phase = progress.phase("reconnect", down);
    let reconnected = Handshakes::gather(&mut connected_rx, u32::try_from(down)?, &phase).await;
    phase.finish(&reconnected.describe());
    let phase = progress.phase("catch-up", down);
    let settled = catch_up(&mut report_rx, down, reconnect_started, &phase).await;
    let rss_reconnected = rss.finish(reconnected.connected()).await;

    let _ = stage_tx.send(Stage::Stop);
    let mut outcomes = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        outcomes.extend(joined.context("a socket task panicked")?);
    }
    Ok(summary::tally(summary::Parts {
        users: u32::try_from(sales.len())?,
        sockets,
        events,
        opened,
        reconnected,
        settled,
        batches: Batches { before, during },
        outcomes,
        server_rss,
        rss_reconnected,
    }))
}

/// Creates one batch, numbering its events from `first_event`.
async fn create_batch(
    client: &Client,
    endpoints: &Endpoints,
    admin_token: &str,
    batch: Batch<'_>,
    shared: &Shared,
    first_event: usize,
    progress: Progress,
) -> anyhow::Result<summary::BatchReport> {
    let phase = progress.phase("contacts", u64::from(batch.count));
    let paced = create_paced(client, endpoints, admin_token, batch, &phase, |n, id, _| {
        shared.insert(id, first_event + n);
    })
    .await?;
    phase.finish(&format!(
        "{} created in {:.1} s",
        batch.count,
        paced.elapsed.as_secs_f64()
    ));
    Ok(summary::BatchReport {
        elapsed_secs: paced.elapsed.as_secs_f64(),
        post_latency: LatencyMs::of(paced.post_us),
    })
}

/// How the reconnected sockets settled, and when.
#[derive(Debug, Default)]
pub struct CatchUp {
    /// Per socket caught up: µs from the reconnect's start.
    pub caught_up_us: Vec<u64>,
    pub resyncs: u64,
    pub lost: u64,
    /// Sockets that had not settled at the limit.
    pub unsettled: u64,
}

/// Waits until each of `count` sockets has caught up, resynced or been lost, or
/// [`CATCH_UP_LIMIT`] has passed.
async fn catch_up(
    reports: &mut mpsc::UnboundedReceiver<Report>,
    count: u64,
    started: Instant,
    phase: &Phase,
) -> CatchUp {
    let mut result = CatchUp::default();
    let limit = started + CATCH_UP_LIMIT;
    let mut settled = 0u64;
    while settled < count {
        match timeout_at(limit, reports.recv()).await {
            Ok(Some(Report::Settled(how))) => {
                match how {
                    Settled::CaughtUp(at) => result
                        .caught_up_us
                        .push(micros(at.saturating_duration_since(started))),
                    Settled::Resync => result.resyncs += 1,
                    Settled::Lost => result.lost += 1,
                }
                settled += 1;
                phase.inc();
            }
            Ok(Some(Report::Down)) => {}
            Ok(None) | Err(_) => break,
        }
    }
    result.unsettled = count - settled;
    result.caught_up_us.sort_unstable();
    phase.finish(&format!(
        "{} caught up, {} resync, {} lost, {} still behind",
        result.caught_up_us.len(),
        result.resyncs,
        result.lost,
        result.unsettled
    ));
    result
}

/// One socket through the whole storm; `None` when its first handshake failed.
async fn socket_task(
    url: reqwest::Url,
    token: String,
    gate: Arc<Semaphore>,
    connected: mpsc::UnboundedSender<Connected>,
    reports: mpsc::UnboundedSender<Report>,
    mut stage: watch::Receiver<Stage>,
    shared: Arc<Shared>,
) -> Option<SocketOutcome> {
    let mut socket = connect_reported(&url, &token, &gate, connected.clone()).await?;
    let mut tracker = Tracker::new(shared.total);
    let index = |id| shared.index(id);

    // Live until the drop.
    let lost_live = read_until(&mut socket, reach(&mut stage, Stage::Down), |text, _| {
        if let Some(frame) = Frame::parse(text) {
            if frame.created().is_some() {
                shared.live_frames.fetch_add(1, Ordering::Relaxed);
            }
            tracker.read(&frame, index, false);
        }
    })
    .await;
    abort(socket);
    let _ = reports.send(Report::Down);

    // Down until the reconnect; by then every id is known.
    reach(&mut stage, Stage::Reconnect).await;
    tracker.resolve(index);
    let (mut socket, latency) = match connect_gated(&url, &token, &gate).await {
        Ok(opened) => opened,
        Err(why) => {
            let _ = connected.send(Connected::Failed(why.clone()));
            let _ = reports.send(Report::Settled(Settled::Lost));
            return Some(SocketOutcome {
                tracker,
                lost_live,
                lost_resumed: Some(format!("reconnect: {why}")),
                closed_cleanly: false,
            });
        }
    };
    let _ = connected.send(Connected::Ok(latency));
    // The run waits for one settlement per socket: send it once, as soon as it is known.
    let mut settled = false;
    let mut settle = |how: Settled| {
        if !settled {
            settled = true;
            let _ = reports.send(Report::Settled(how));
        }
    };
    let lost_resumed = match resume(&mut socket, tracker.last_seq).await {
        Err(why) => Some(why),
        Ok(()) => {
            if tracker.caught_up() {
                settle(Settled::CaughtUp(Instant::now()));
            }
            read_until(&mut socket, reach(&mut stage, Stage::Stop), |text, at| {
                let Some(frame) = Frame::parse(text) else {
                    return;
                };
                tracker.read(&frame, index, true);
                if tracker.caught_up() {
                    settle(Settled::CaughtUp(at));
                } else if tracker.resyncs > 0 {
                    settle(Settled::Resync);
                }
            })
            .await
        }
    };
    // Ended (or stopped) without catching up.
    settle(Settled::Lost);
    let closed_cleanly = lost_resumed.is_none() && close(&mut socket).await;
    Some(SocketOutcome {
        tracker,
        lost_live,
        lost_resumed,
        closed_cleanly,
    })
}

/// Completes once the run reaches `target` (or the run is gone).
async fn reach(stage: &mut watch::Receiver<Stage>, target: Stage) {
    let _ = stage.wait_for(|s| *s >= target).await;
}
