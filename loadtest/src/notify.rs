//! The `notify` scenario: one event matching a notification rule addressed to every
//! load Sale, and how fast each recipient hears of it.
//!
//! Set-up (not measured): the admin creates a rule `contact.created` → the load
//! Sales by user id → in-app, plus email when `--smtp-sink` is given and Slack when
//! `--slack-sink` is given (the server must have been started with `ANKHANG_SMTP_URL`
//! / `ANKHANG_SLACK_WEBHOOK_URL` pointing at those sinks); every Sale opens one socket.
//!
//! Timed part, `--rounds` times: the admin creates one contact; the round ends once
//! every socket has read its `notification` frame, the SMTP sink has accepted one
//! message per Sale and the Slack sink one request — or after [`ROUND_TIMEOUT`].
//! Rounds follow one another, at most `--rate` per second, so each round's deliveries
//! are all its own.
//!
//! Latency = the instant a frame (or an outbound message) arrived − the instant just
//! before the admin's `POST /api/contacts` was sent, both from this process's
//! monotonic clock. It includes the POST, the rule matching, the outbox write and the
//! delivery worker's pass.
//!
//! The rule is deleted at the end, so later runs of other scenarios see no
//! notification traffic.

use std::time::Duration;

use anyhow::{Context as _, bail};
use reqwest::Client;
use serde_json::{Value, json};
use tokio::{
    sync::{Semaphore, mpsc, watch},
    task::JoinSet,
    time::{Instant, MissedTickBehavior, interval, sleep, timeout_at},
};

use crate::{
    pace::active_service_types,
    pick::{create_contact, phone, phone_base},
    progress::Progress,
    setup::{Endpoints, Session, expect_success},
    sinks::Arrivals,
    socket::{Connected, Frame, FrameKind, Handshakes, close, connect_reported, read_until},
    stats::{LatencyMs, markdown_table, micros, ms_cell},
};

/// How long one round may take before its missing deliveries are counted as missing.
pub const ROUND_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the sinks are looked at while a round waits for them.
const SINK_POLL: Duration = Duration::from_millis(2);

/// The rule's name, so a run interrupted before its clean-up is recognisable.
const RULE_NAME: &str = "Loadtest: khách mới → Sale tải thử";

/// Where the outbound channels of the rule land (`None`: channel not used).
#[derive(Debug, Clone, Default)]
pub struct Sinks {
    pub smtp: Option<Arrivals>,
    pub slack: Option<Arrivals>,
}

impl Sinks {
    fn channels(&self) -> Vec<&'static str> {
        let mut channels = vec!["in_app"];
        if self.smtp.is_some() {
            channels.push("email");
        }
        if self.slack.is_some() {
            channels.push("slack");
        }
        channels
    }
}

/// A frame of a `notification` about `contact`, read at `at`.
type Receipt = (i64, Instant);

/// What `main` passes from the command line.
#[derive(Debug)]
pub struct Settings {
    pub rounds: u32,
    /// Rounds started per second at most (a round also waits for the previous one),
    /// so the server's bookkeeping after one event need not overlap the next.
    pub rate: f64,
    pub connect_concurrency: usize,
    pub sinks: Sinks,
}

pub async fn benchmark(
    client: &Client,
    endpoints: &Endpoints,
    admin_token: &str,
    sales: Vec<Session>,
    settings: Settings,
    progress: Progress,
) -> anyhow::Result<NotifySummary> {
    let Settings {
        rounds,
        rate,
        connect_concurrency,
        sinks,
    } = settings;
    if sales.is_empty() {
        bail!("the notify scenario needs at least one Sale");
    }
    let service_types = active_service_types(client, endpoints, admin_token).await?;
    let rule = create_rule(client, endpoints, admin_token, &sales, &sinks).await?;
    let measured = measure(
        client,
        endpoints,
        admin_token,
        &sales,
        &service_types,
        Plan {
            rounds,
            rate,
            connect_concurrency,
            sinks: &sinks,
        },
        progress,
    )
    .await;
    // The rule goes whatever happened, so it cannot spam later runs.
    delete_rule(client, endpoints, admin_token, rule).await?;
    let mut summary = measured?;
    summary.channels = sinks.channels().join(", ");
    Ok(summary)
}

struct Plan<'a> {
    rounds: u32,
    rate: f64,
    connect_concurrency: usize,
    sinks: &'a Sinks,
}

async fn measure(
    client: &Client,
    endpoints: &Endpoints,
    admin_token: &str,
    sales: &[Session],
    service_types: &[i64],
    plan: Plan<'_>,
    progress: Progress,
) -> anyhow::Result<NotifySummary> {
    let (stop_tx, stop_rx) = watch::channel(false);
    let (connected_tx, mut connected_rx) = mpsc::unbounded_channel();
    let (receipts_tx, mut receipts) = mpsc::unbounded_channel::<Receipt>();
    let gate = crate::socket::gate(plan.connect_concurrency);
    let mut tasks = JoinSet::new();
    for sale in sales {
        tasks.spawn(socket_task(
            endpoints.ws.clone(),
            sale.token.clone(),
            gate.clone(),
            connected_tx.clone(),
            receipts_tx.clone(),
            stop_rx.clone(),
        ));
    }
    drop((connected_tx, receipts_tx));
    let sockets = u32::try_from(sales.len())?;
    let phase = progress.phase("sockets", u64::from(sockets));
    let handshakes = Handshakes::gather(&mut connected_rx, sockets, &phase).await;
    phase.finish(&handshakes.describe());
    let connected = handshakes.connected();
    if connected == 0 {
        bail!("no socket connected");
    }

    let expected = Expected {
        in_app: connected,
        email: if plan.sinks.smtp.is_some() {
            sales.len() as u64
        } else {
            0
        },
        slack: u64::from(plan.sinks.slack.is_some()),
    };
    let phase = progress.phase("rounds", u64::from(plan.rounds));
    let base = phone_base();
    let mut tally = Tally::default();
    let mut ticks = interval(Duration::from_secs_f64(1.0 / plan.rate));
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    for (round, service_type_id) in (0..plan.rounds).zip(service_types.iter().copied().cycle()) {
        ticks.tick().await;
        let marks = (
            plan.sinks.smtp.as_ref().map_or(0, Arrivals::len),
            plan.sinks.slack.as_ref().map_or(0, Arrivals::len),
        );
        let before = Instant::now();
        let contact = create_contact(
            client,
            endpoints,
            admin_token,
            service_type_id,
            phone(base, round),
        )
        .await?;
        tally.post_us.push(micros(before.elapsed()));
        let deadline = before + ROUND_TIMEOUT;
        let in_app = collect_in_app(
            &mut receipts,
            contact,
            expected.in_app,
            deadline,
            &mut tally,
        )
        .await;
        let email = wait_for(plan.sinks.smtp.as_ref(), marks.0, expected.email, deadline).await;
        let slack = wait_for(plan.sinks.slack.as_ref(), marks.1, expected.slack, deadline).await;
        tally.round(before, expected, &in_app, &email, &slack);
        phase.inc();
    }
    phase.finish(&format!("{} rounds", plan.rounds));

    let _ = stop_tx.send(true);
    let mut dropped = 0u64;
    while let Some(joined) = tasks.join_next().await {
        dropped += u64::from(joined.context("a socket task panicked")? == Some(false));
    }
    Ok(tally.into_summary(plan.rounds, connected, expected, dropped))
}

/// Reads receipts until `expected` frames about `contact` are in or `deadline` passes.
async fn collect_in_app(
    receipts: &mut mpsc::UnboundedReceiver<Receipt>,
    contact: i64,
    expected: u64,
    deadline: Instant,
    tally: &mut Tally,
) -> Vec<Instant> {
    let mut got = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    while (got.len() as u64) < expected {
        match timeout_at(deadline, receipts.recv()).await {
            Ok(Some((id, at))) if id == contact => got.push(at),
            // A late frame of an earlier round, or of someone else's contact.
            Ok(Some(_)) => tally.stray += 1,
            Ok(None) | Err(_) => break,
        }
    }
    got
}

/// The sink's arrivals after `mark`, once `expected` are in or `deadline` passes.
async fn wait_for(
    sink: Option<&Arrivals>,
    mark: usize,
    expected: u64,
    deadline: Instant,
) -> Vec<Instant> {
    let Some(sink) = sink else {
        return Vec::new();
    };
    while ((sink.len() - mark) as u64) < expected && Instant::now() < deadline {
        sleep(SINK_POLL).await;
    }
    sink.since(mark)
}

/// One Sale's socket: connect, then pass on every `notification` frame. `None` when
/// the handshake failed, `Some(false)` when the socket ended before the run did.
async fn socket_task(
    url: reqwest::Url,
    token: String,
    gate: std::sync::Arc<Semaphore>,
    connected: mpsc::UnboundedSender<Connected>,
    receipts: mpsc::UnboundedSender<Receipt>,
    mut stop: watch::Receiver<bool>,
) -> Option<bool> {
    let mut socket = connect_reported(&url, &token, &gate, connected).await?;
    let stopped = async move {
        let _ = stop.changed().await;
    };
    let ended_early = read_until(&mut socket, stopped, |text, at| {
        if let Some(Frame {
            kind: FrameKind::Notification { contact_id },
            ..
        }) = Frame::parse(text)
        {
            let _ = receipts.send((contact_id, at));
        }
    })
    .await;
    if ended_early.is_some() {
        return Some(false);
    }
    close(&mut socket).await;
    Some(true)
}

async fn create_rule(
    client: &Client,
    endpoints: &Endpoints,
    admin_token: &str,
    sales: &[Session],
    sinks: &Sinks,
) -> anyhow::Result<i64> {
    let user_ids: Vec<i64> = sales.iter().map(|s| s.user_id).collect();
    // Plain JSON rather than the API type: fields the server adds later keep defaults.
    let body = json!({
        "name": RULE_NAME,
        "trigger": "contact.created",
        "conditions": { "user_ids": user_ids },
        "channels": sinks.channels(),
        "template_title": "Khách mới {{contact.code}}",
        "template_body": "{{contact.name}} — {{contact.service_type}}",
        "enabled": true,
    });
    let resp = client
        .post(endpoints.notification_rules.clone())
        .bearer_auth(admin_token)
        .json(&body)
        .send()
        .await
        .context("creating the notification rule: no answer from the server")?;
    let rule: Value = expect_success(resp, "creating the notification rule")
        .await?
        .json()
        .await
        .context("creating the notification rule: unexpected answer")?;
    rule["id"]
        .as_i64()
        .context("creating the notification rule: no id in the answer")
}

async fn delete_rule(
    client: &Client,
    endpoints: &Endpoints,
    admin_token: &str,
    id: i64,
) -> anyhow::Result<()> {
    let mut url = endpoints.notification_rules.clone();
    url.path_segments_mut()
        .map_err(|()| anyhow::anyhow!("the rules URL cannot take a path"))?
        .push(&id.to_string());
    let resp = client
        .delete(url)
        .bearer_auth(admin_token)
        .send()
        .await
        .context("deleting the notification rule: no answer from the server")?;
    expect_success(resp, "deleting the notification rule").await?;
    Ok(())
}

/// Deliveries one round must see.
#[derive(Debug, Clone, Copy, Default)]
pub struct Expected {
    pub in_app: u64,
    pub email: u64,
    pub slack: u64,
}

/// Everything the rounds recorded, in µs.
#[derive(Debug, Default)]
struct Tally {
    post_us: Vec<u64>,
    in_app_us: Vec<u64>,
    email_us: Vec<u64>,
    slack_us: Vec<u64>,
    /// Per round where every one arrived: the last delivery of that kind.
    in_app_all_us: Vec<u64>,
    email_all_us: Vec<u64>,
    received: Expected,
    stray: u64,
}

impl Tally {
    fn round(
        &mut self,
        before: Instant,
        expected: Expected,
        in_app: &[Instant],
        email: &[Instant],
        slack: &[Instant],
    ) {
        let since = |at: &Instant| micros(at.saturating_duration_since(before));
        self.in_app_us.extend(in_app.iter().map(since));
        self.email_us.extend(email.iter().map(since));
        self.slack_us.extend(slack.iter().map(since));
        self.received.in_app += in_app.len() as u64;
        self.received.email += email.len() as u64;
        self.received.slack += slack.len() as u64;
        let last = |all: &[Instant], want: u64| {
            (all.len() as u64 >= want && want > 0)
                .then(|| all.iter().max().map(since))
                .flatten()
        };
        self.in_app_all_us.extend(last(in_app, expected.in_app));
        self.email_all_us.extend(last(email, expected.email));
    }

    fn into_summary(
        self,
        rounds: u32,
        recipients: u64,
        per_round: Expected,
        dropped: u64,
    ) -> NotifySummary {
        let times = |n: u64| n * u64::from(rounds);
        NotifySummary {
            complete_rounds: Expected {
                in_app: self.in_app_all_us.len() as u64,
                email: self.email_all_us.len() as u64,
                slack: 0,
            },
            rounds,
            recipients,
            channels: String::new(),
            expected: Expected {
                in_app: times(per_round.in_app),
                email: times(per_round.email),
                slack: times(per_round.slack),
            },
            received: self.received,
            post: LatencyMs::of(self.post_us),
            in_app: LatencyMs::of(self.in_app_us),
            in_app_last: LatencyMs::of(self.in_app_all_us),
            email: LatencyMs::of(self.email_us),
            email_last: LatencyMs::of(self.email_all_us),
            slack: LatencyMs::of(self.slack_us),
            stray: self.stray,
            dropped,
        }
    }
}

/// What one `notify` run measured.
#[derive(Debug, Clone)]
pub struct NotifySummary {
    pub rounds: u32,
    /// Sockets connected: one per Sale named by the rule.
    pub recipients: u64,
    /// The rule's channels, e.g. `in_app, email, slack`.
    pub channels: String,
    pub expected: Expected,
    pub received: Expected,
    /// Rounds in which every in-app notification / every email arrived.
    pub complete_rounds: Expected,
    /// `POST /api/contacts`, included in every figure below.
    pub post: LatencyMs,
    /// Per notification frame.
    pub in_app: LatencyMs,
    /// Per round: the last recipient's frame.
    pub in_app_last: LatencyMs,
    /// Per email accepted by the SMTP sink.
    pub email: LatencyMs,
    /// Per round: the last email.
    pub email_last: LatencyMs,
    /// Per Slack request.
    pub slack: LatencyMs,
    /// Notification frames about other contacts (late or foreign).
    pub stray: u64,
    /// Sockets that ended before the run did.
    pub dropped: u64,
}

impl NotifySummary {
    pub fn missing(&self) -> u64 {
        let short = |want: u64, got: u64| want.saturating_sub(got);
        short(self.expected.in_app, self.received.in_app)
            + short(self.expected.email, self.received.email)
            + short(self.expected.slack, self.received.slack)
    }

    pub fn passed(&self) -> bool {
        self.missing() == 0
            && self.received.email <= self.expected.email
            && self.received.slack <= self.expected.slack
    }

    pub fn to_json(&self) -> Value {
        let counts = |want: u64, got: u64| json!({ "expected": want, "received": got });
        json!({
            "scenario": "notify",
            "rounds": self.rounds,
            "recipients": self.recipients,
            "channels": self.channels,
            "post_latency_ms": self.post.to_json(),
            "in_app": {
                "frames": counts(self.expected.in_app, self.received.in_app),
                "latency_ms": self.in_app.to_json(),
                "last_recipient_ms": self.in_app_last.to_json(),
            },
            "email": {
                "messages": counts(self.expected.email, self.received.email),
                "latency_ms": self.email.to_json(),
                "last_message_ms": self.email_last.to_json(),
            },
            "slack": {
                "requests": counts(self.expected.slack, self.received.slack),
                "latency_ms": self.slack.to_json(),
            },
            "stray_frames": self.stray,
            "sockets_dropped": self.dropped,
        })
    }

    /// One row per delivery kind, then the totals.
    pub fn to_table(&self) -> String {
        let header = [
            "delivery", "received", "p50 ms", "p95 ms", "p99 ms", "max ms",
        ];
        let row = |name: &str, want: u64, got: u64, l: LatencyMs| {
            vec![
                name.to_owned(),
                format!("{got}/{want}"),
                ms_cell(l.p50),
                ms_cell(l.p95),
                ms_cell(l.p99),
                ms_cell(l.max),
            ]
        };
        let (e, r) = (self.expected, self.received);
        let mut rows = vec![
            row("in-app, each", e.in_app, r.in_app, self.in_app),
            row(
                "in-app, last of round",
                u64::from(self.rounds),
                self.complete_rounds.in_app,
                self.in_app_last,
            ),
        ];
        if e.email > 0 {
            rows.push(row("email, each", e.email, r.email, self.email));
            rows.push(row(
                "email, last of round",
                u64::from(self.rounds),
                self.complete_rounds.email,
                self.email_last,
            ));
        }
        if e.slack > 0 {
            rows.push(row("slack", e.slack, r.slack, self.slack));
        }
        let table = crate::stats::markdown_rows(&header, &rows);
        let summary = markdown_table(
            &["scenario", "rounds", "recipients", "channels", "missing"],
            &[
                "notify".to_owned(),
                self.rounds.to_string(),
                self.recipients.to_string(),
                self.channels.clone(),
                self.missing().to_string(),
            ],
        );
        format!(
            "{summary}\n\n{table}\n\nPOST /api/contacts p50 {} ms, max {} ms (included above); \
             {} stray frames; {} sockets dropped",
            ms_cell(self.post.p50),
            ms_cell(self.post.max),
            self.stray,
            self.dropped,
        )
    }
}
