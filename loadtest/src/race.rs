//! The `race` scenario: every Sale holds an open socket; the admin creates one
//! contact; all Sales pick it at the same instant. Exactly one may win, every other
//! answer must be `409 already_picked` naming that winner, and every Sale's socket
//! must read `contact.picked` (a pool contact's events go to everyone who sees the
//! pool, losers included). Repeated for `--rounds`.
//!
//! Set-up (not measured): the cooldown must be 0 and the daily limits are raised, as
//! for `pick`; every Sale's HTTP connection is opened beforehand by one concurrent
//! request each, so the race measures picks, not TCP handshakes; one socket per Sale.
//!
//! Each round waits for `contact.created` on every socket before the race, as a Sale
//! sees the contact before picking it. The Sales then meet at a barrier and send their
//! POSTs together. Pick latency runs from just before each POST to its answer; the
//! `contact.picked` fan-out from just before the winner's POST to each socket's read,
//! on this process's monotonic clock. Afterwards the admin reads the contact: the
//! database must show the winner as its assignee.
//!
//! With `--nodes`, Sale `i`'s socket and pick both go to node `i % N` while the admin
//! creates and reads the contact on node 0: the race is decided across processes by
//! the shared database, and `contact.picked` crosses the broker to reach everyone.

mod check;
mod inbox;
mod summary;

use std::{sync::Arc, time::Duration};

use anyhow::{Context as _, bail};
use futures_util::{StreamExt as _, TryStreamExt as _, stream};
use reqwest::{Client, Url};
use serde_json::Value;
use tokio::{
    sync::{Barrier, mpsc, watch},
    task::JoinSet,
    time::Instant,
};

pub use self::summary::RaceSummary;
use self::{
    check::{Answer, RoundCheck, answer},
    inbox::{Inbox, Note, Tag},
};
use crate::{
    nodes::node_of,
    pick::{create_contact, expect_no_cooldown, phone, phone_base, raise_pick_limits, send},
    progress::Progress,
    setup::{Endpoints, Session, expect_success},
    socket::{
        Connected, Frame, FrameKind, Handshakes, Socket, by_reason, close, connect_gated,
        read_until, reasons,
    },
    stats::{ErrorKind, LatencyMs, micros},
    ws::DRAIN_GRACE,
};

/// How one socket ended: why it dropped early, whether its close handshake completed.
struct SocketEnd {
    dropped: Option<String>,
    closed_cleanly: bool,
}

/// One Sale's pick in a round.
struct Raced {
    user_id: i64,
    answer: Answer,
    /// Just before the POST was sent.
    sent: Instant,
    latency: Duration,
}

/// Set-up, rounds and checks; the caller prints the summary.
pub async fn benchmark(
    client: &Client,
    admin_token: &str,
    nodes: &[Endpoints],
    sales: Vec<Session>,
    rounds: u32,
    connect_concurrency: usize,
    progress: Progress,
) -> anyhow::Result<RaceSummary> {
    // The admin creates and reads the contacts on node 0.
    let endpoints = nodes.first().context("the race scenario needs a server")?;
    let first = sales
        .first()
        .context("the race scenario needs at least one Sale")?;
    expect_no_cooldown(client, endpoints, &first.token).await?;
    let service_types = raise_pick_limits(client, endpoints, admin_token).await?;
    warm_up(client, nodes, &sales).await?;

    let count = sales.len();
    eprintln!(
        "opening one socket for each of {count} Sales over {} node(s) …",
        nodes.len()
    );
    let (notes_tx, notes_rx) = mpsc::unbounded_channel();
    let (connected_tx, mut connected_rx) = mpsc::unbounded_channel();
    let (stop_tx, stop_rx) = watch::channel(false);
    let gate = crate::socket::gate(connect_concurrency);
    let mut tasks = JoinSet::new();
    for (index, sale) in sales.iter().enumerate() {
        let url = node(nodes, index)?.ws.clone();
        let token = sale.token.clone();
        let gate = Arc::clone(&gate);
        let connected = connected_tx.clone();
        let stop = stop_rx.clone();
        let notes = notes_tx.clone();
        tasks.spawn(async move {
            let opened = connect_gated(&url, &token, &gate).await;
            socket_task(index, opened, connected, stop, notes).await
        });
    }
    drop((connected_tx, notes_tx));
    let phase = progress.phase("sockets", count as u64);
    let handshakes = Handshakes::gather(&mut connected_rx, u32::try_from(count)?, &phase).await;
    phase.finish(&handshakes.describe());
    if handshakes.connected() < count as u64 {
        bail!(
            "only {} of {count} Sales' sockets connected{}; the race needs all of them",
            handshakes.connected(),
            reasons(&handshakes.failures)
        );
    }
    let mut inbox = Inbox::new(notes_rx, count);

    eprintln!("racing {count} Sales for one contact, {rounds} rounds …");
    let started = Instant::now();
    let phase = progress.phase("rounds", u64::from(rounds));
    let base = phone_base();
    let mut checks = Vec::new();
    let mut pick_us = Vec::new();
    let mut winner_us = Vec::new();
    let mut fan_out_us = Vec::new();
    let mut to_all_us = Vec::new();
    for (round, service_type_id) in (0..rounds).zip(service_types.iter().copied().cycle()) {
        let contact = create_contact(
            client,
            endpoints,
            admin_token,
            service_type_id,
            phone(base, round),
        )
        .await?;
        let created = inbox
            .wait(Tag::Created, contact, Instant::now() + DRAIN_GRACE)
            .await;
        let raced = race(client, nodes, contact, &sales).await?;
        pick_us.extend(raced.iter().map(|r| micros(r.latency)));
        let answers: Vec<(i64, Answer)> = raced
            .iter()
            .map(|r| (r.user_id, r.answer.clone()))
            .collect();
        let mut check = RoundCheck::of_answers(&answers);
        let picked = inbox
            .wait(Tag::Picked, contact, Instant::now() + DRAIN_GRACE)
            .await;
        check.created_missing = count as u64 - created.count();
        check.picked_missing = count as u64 - picked.count();
        check.duplicates = created.duplicates + picked.duplicates;
        let reads = picked.at.iter().flatten();
        check.frame_misnamed = reads
            .clone()
            .filter(|(_, by)| check.winner.is_some_and(|w| *by != Some(w)))
            .count() as u64;
        let won = raced.iter().find(|r| r.answer == Answer::Won);
        if let (1, Some(won)) = (check.winners, won) {
            winner_us.push(micros(won.latency));
            let latencies: Vec<u64> = reads
                .map(|(at, _)| micros(at.saturating_duration_since(won.sent)))
                .collect();
            to_all_us.extend(latencies.iter().max());
            fan_out_us.extend(latencies);
        }
        check.assignee_mismatch =
            assignee(client, endpoints, admin_token, contact).await? != check.winner;
        checks.push(check);
        phase.inc();
        let failed = checks.iter().filter(|c| !c.passed()).count();
        if failed > 0 {
            phase.set_message(format!("{failed} FAILED"));
        }
    }
    let elapsed = started.elapsed();
    let passed = checks.iter().filter(|c| c.passed()).count();
    phase.finish(&format!("{passed} of {rounds} rounds correct"));

    // Every receiver may be gone already (all sockets dropped): nothing to stop then.
    let _ = stop_tx.send(true);
    let mut dropped = Vec::new();
    let mut closed_cleanly = 0u64;
    while let Some(joined) = tasks.join_next().await {
        if let Some(end) = joined.context("a socket task panicked")? {
            dropped.extend(end.dropped);
            closed_cleanly += u64::from(end.closed_cleanly);
        }
    }
    Ok(RaceSummary {
        sales: u32::try_from(count)?,
        nodes: nodes.len(),
        rounds,
        elapsed_secs: elapsed.as_secs_f64(),
        connect: LatencyMs::of(handshakes.latencies_us),
        pick_latency: LatencyMs::of(pick_us),
        winner_latency: LatencyMs::of(winner_us),
        fan_out: LatencyMs::of(fan_out_us),
        to_all: LatencyMs::of(to_all_us),
        dropped: by_reason(dropped),
        closed_cleanly,
        checks,
    })
}

/// One request per Sale, all at once, so the client's pool holds a connection for
/// each and the first round does not measure TCP handshakes. It also proves every
/// token valid before the sockets are opened.
async fn warm_up(client: &Client, nodes: &[Endpoints], sales: &[Session]) -> anyhow::Result<()> {
    stream::iter(sales.iter().enumerate())
        .map(|(index, sale)| async move {
            let resp = client
                .get(node(nodes, index)?.me.clone())
                .bearer_auth(&sale.token)
                .send()
                .await
                .context("GET /api/me: no answer from the server")?;
            expect_success(resp, "GET /api/me").await?.bytes().await?;
            anyhow::Ok(())
        })
        .buffer_unordered(sales.len().max(1))
        .try_collect::<()>()
        .await
}

/// Every Sale picks `contact` at once, each on its node: each request is built
/// first, then all wait at a barrier and send.
async fn race(
    client: &Client,
    nodes: &[Endpoints],
    contact: i64,
    sales: &[Session],
) -> anyhow::Result<Vec<Raced>> {
    let urls: Vec<Url> = nodes
        .iter()
        .map(|node| node.pick(contact))
        .collect::<anyhow::Result<_>>()?;
    let barrier = Arc::new(Barrier::new(sales.len()));
    let mut tasks = JoinSet::new();
    for (index, sale) in sales.iter().enumerate() {
        let url = urls
            .get(node_of(index, urls.len()))
            .context("no node to pick on")?;
        let request = client.post(url.clone()).bearer_auth(&sale.token);
        let barrier = Arc::clone(&barrier);
        let user_id = sale.user_id;
        tasks.spawn(async move {
            barrier.wait().await;
            let sent = Instant::now();
            let answer = match send(request).await {
                Ok((status, body)) => answer(status, &body),
                Err(err) => Answer::Other(ErrorKind::from_reqwest(&err).label()),
            };
            Raced {
                user_id,
                answer,
                sent,
                latency: sent.elapsed(),
            }
        });
    }
    let mut raced = Vec::with_capacity(sales.len());
    while let Some(joined) = tasks.join_next().await {
        raced.push(joined.context("a racing Sale panicked")?);
    }
    Ok(raced)
}

/// The node Sale number `index` uses.
fn node(nodes: &[Endpoints], index: usize) -> anyhow::Result<&Endpoints> {
    nodes
        .get(node_of(index, nodes.len()))
        .context("no node to send the Sale to")
}

/// The contact's assignee as the admin reads it after the round.
async fn assignee(
    client: &Client,
    endpoints: &Endpoints,
    admin_token: &str,
    contact: i64,
) -> anyhow::Result<Option<i64>> {
    let what = format!("GET /api/contacts/{contact}");
    let resp = client
        .get(endpoints.contact(contact)?)
        .bearer_auth(admin_token)
        .send()
        .await
        .with_context(|| format!("{what}: no answer from the server"))?;
    let body: Value = expect_success(resp, &what)
        .await?
        .json()
        .await
        .with_context(|| format!("{what}: unexpected answer"))?;
    Ok(body["assignee_id"].as_i64())
}

/// One Sale's socket: report the handshake, then pass every `contact.created` and
/// `contact.picked` to the inbox until `stop`, and close.
async fn socket_task(
    index: usize,
    opened: Result<(Socket, Duration), String>,
    connected: mpsc::UnboundedSender<Connected>,
    mut stop: watch::Receiver<bool>,
    notes: mpsc::UnboundedSender<Note>,
) -> Option<SocketEnd> {
    let mut socket = match opened {
        Ok((socket, latency)) => {
            let _ = connected.send(Connected::Ok(latency));
            socket
        }
        Err(why) => {
            let _ = connected.send(Connected::Failed(why));
            let _ = notes.send(Note::Ended { socket: index });
            return None;
        }
    };
    drop(connected);
    let stopped = async move {
        // A dropped sender also means the run is over.
        let _ = stop.changed().await;
    };
    let dropped = read_until(&mut socket, stopped, |text, at| {
        let (tag, contact, by) = match Frame::parse(text).map(|f| f.kind) {
            Some(FrameKind::Created { id }) => (Tag::Created, id, None),
            Some(FrameKind::Picked { id, by }) => (Tag::Picked, id, by),
            _ => return,
        };
        let _ = notes.send(Note::Frame {
            socket: index,
            tag,
            contact,
            by,
            at,
        });
    })
    .await;
    let _ = notes.send(Note::Ended { socket: index });
    let closed_cleanly = dropped.is_none() && close(&mut socket).await;
    Some(SocketEnd {
        dropped,
        closed_cleanly,
    })
}
