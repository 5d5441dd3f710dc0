//! The measured loops. Each virtual user is one tokio task with its own
//! [`Recorder`]; every loop stops at the shared deadline.

use std::time::Duration;

use anyhow::{Context as _, bail};
use api_types::LoginRequest;
use clap::ValueEnum;
use reqwest::{Client, RequestBuilder, header::CONTENT_TYPE};
use tokio::{
    task::JoinSet,
    time::{Instant, sleep_until, timeout_at},
};

use crate::{
    setup::{Endpoints, LOAD_PASSWORD, Session},
    stats::{ErrorKind, Recorder},
};

/// Pause after a transport error, so a dead server is not hammered in a hot loop
/// that would also burn the CPU the server shares with us.
pub const ERROR_BACKOFF: Duration = Duration::from_millis(50);

/// What the virtual users do. A new scenario (e.g. WebSocket connections) is a new
/// variant here, its [`Scenario::needs`], and a loop in [`run_user`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scenario {
    /// Log in once, then loop `GET /api/me` with the bearer token.
    Me,
    /// Loop `POST /api/auth/login`: bound by the server's argon2 hashing.
    Login,
    /// Loop `GET /healthz`: the HTTP stack plus one trivial database query.
    Health,
    /// Sales race for a pool of `--contacts` new contacts: read a page of the pool,
    /// pick one of its contacts at random, until the pool is empty. Needs a server
    /// started with `ANKHANG_PICK_COOLDOWN_SECS=0`.
    Pick,
    /// Open `--sockets` WebSockets over the Sales' tokens; the admin creates
    /// `--events` contacts and every socket must receive each `contact.created`.
    Ws,
    /// Every Sale holds a socket; all pick one new contact at the same instant, for
    /// `--rounds` rounds: one winner each, every socket told. Needs
    /// `ANKHANG_PICK_COOLDOWN_SECS=0`.
    Race,
    /// Open `--sockets` WebSockets, drop them all abruptly, create `--events` contacts
    /// meanwhile, reconnect them all with `resume`: every missed event must arrive.
    Storm,
    /// The admin runs each dashboard period and a set of audit searches `--rounds`
    /// times one after another: p50/p95 per query on a seeded volume.
    Queries,
    /// Every Sale holds a socket; a notification rule names them all; the admin
    /// creates one contact per round (`--rounds`): every Sale's in-app notification
    /// (and email with `--smtp-sink`, Slack with `--slack-sink`) must arrive.
    Notify,
    /// `--nodes` 2 or more: `--sockets` WebSockets spread over the nodes; the admin
    /// creates `--events` contacts on node 0; at the midpoint the last node is killed
    /// and its sockets reconnect to the others and resume: every socket must read
    /// every event exactly once, in order.
    Failover,
}

/// What must be ready before the clock starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    /// The admin's session only.
    Admin,
    /// The load accounts must exist.
    Accounts,
    /// The load accounts must exist and each virtual user must hold a session token.
    Sessions,
}

impl Scenario {
    pub fn name(self) -> &'static str {
        match self {
            Self::Me => "me",
            Self::Login => "login",
            Self::Health => "health",
            Self::Pick => "pick",
            Self::Ws => "ws",
            Self::Race => "race",
            Self::Storm => "storm",
            Self::Queries => "queries",
            Self::Notify => "notify",
            Self::Failover => "failover",
        }
    }

    pub fn needs(self) -> Needs {
        match self {
            Self::Me => Needs::Sessions,
            Self::Login => Needs::Accounts,
            Self::Health => Needs::Nothing,
            Self::Pick => Needs::Sessions,
            Self::Ws | Self::Race | Self::Storm | Self::Notify | Self::Failover => Needs::Sessions,
            Self::Queries => Needs::Admin,
        }
    }
}

/// One virtual user's identity, as far as its scenario needs one.
#[derive(Debug, Clone)]
pub struct VirtualUser {
    pub username: String,
    pub session: Option<Session>,
}

/// Runs every virtual user until `duration` has passed; returns the merged
/// recording and the wall time of the measured phase.
pub async fn run(
    scenario: Scenario,
    client: &Client,
    endpoints: &Endpoints,
    users: Vec<VirtualUser>,
    duration: Duration,
) -> anyhow::Result<(Recorder, Duration)> {
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = JoinSet::new();
    for user in users {
        // `Client` is an `Arc` inside: the clones share one connection pool.
        let client = client.clone();
        let endpoints = endpoints.clone();
        tasks.spawn(run_user(scenario, client, endpoints, user, deadline));
    }
    let mut total = Recorder::default();
    while let Some(joined) = tasks.join_next().await {
        total.merge(joined.context("a virtual user panicked")??);
    }
    Ok((total, started.elapsed()))
}

async fn run_user(
    scenario: Scenario,
    client: Client,
    endpoints: Endpoints,
    user: VirtualUser,
    deadline: Instant,
) -> anyhow::Result<Recorder> {
    let mut rec = Recorder::default();
    match scenario {
        Scenario::Me => {
            let token = user
                .session
                .with_context(|| format!("{} has no session token", user.username))?
                .token;
            while Instant::now() < deadline {
                let req = client.get(endpoints.me.clone()).bearer_auth(&token);
                if !timed(&mut rec, deadline, req).await {
                    break;
                }
            }
        }
        Scenario::Login => {
            // Serialised once: the loop should spend its CPU on requests, not JSON.
            let body = serde_json::to_vec(&LoginRequest {
                username: user.username,
                password: LOAD_PASSWORD.to_owned(),
                remember_me: false,
                totp_code: None,
            })?;
            while Instant::now() < deadline {
                let req = client
                    .post(endpoints.login.clone())
                    .header(CONTENT_TYPE, "application/json")
                    .body(body.clone());
                if !timed(&mut rec, deadline, req).await {
                    break;
                }
            }
        }
        Scenario::Health => {
            while Instant::now() < deadline {
                if !timed(&mut rec, deadline, client.get(endpoints.health.clone())).await {
                    break;
                }
            }
        }
        // Its own set-up, loop, recording and check: see `crate::pick`.
        Scenario::Pick => bail!("the pick scenario runs through pick::benchmark"),
        Scenario::Ws => bail!("the ws scenario runs through ws::benchmark"),
        Scenario::Race => bail!("the race scenario runs through race::benchmark"),
        Scenario::Storm => bail!("the storm scenario runs through storm::benchmark"),
        Scenario::Queries => bail!("the queries scenario runs through queries::benchmark"),
        Scenario::Notify => bail!("the notify scenario runs through notify::benchmark"),
        Scenario::Failover => bail!("the failover scenario runs through failover::benchmark"),
    }
    Ok(rec)
}

/// Sends one request and records its outcome. Returns `false` when the deadline cut
/// it off: such a request is neither a success nor an error, just outside the run.
async fn timed(rec: &mut Recorder, deadline: Instant, req: RequestBuilder) -> bool {
    let started = Instant::now();
    let outcome = timeout_at(deadline, async {
        let resp = req.send().await?;
        let status = resp.status();
        // Read the body: latency includes it, and the connection only returns to
        // the pool once the body is consumed.
        resp.bytes().await?;
        Ok::<_, reqwest::Error>(status)
    })
    .await;
    match outcome {
        Err(_) => false,
        Ok(Ok(status)) => {
            rec.record_response(status, started.elapsed());
            true
        }
        Ok(Err(err)) => {
            rec.record_error(ErrorKind::from_reqwest(&err));
            sleep_until((Instant::now() + ERROR_BACKOFF).min(deadline)).await;
            true
        }
    }
}
