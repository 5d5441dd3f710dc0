//! `--scenario queries`: the dashboard and audit-search requests an admin makes, each
//! repeated `--rounds` times one after another (latency of one reader, not
//! throughput), with p50/p95/max per query. Meant for a database filled by
//! `ankhang seed-demo --contacts 100000 --deals 20000 --audit 1000000`.

use std::time::Duration;

use anyhow::Context as _;
use chrono::{Duration as Days, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use reqwest::Client;
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::{
    progress::Progress,
    setup::Endpoints,
    stats::{LatencyMs, markdown_rows, micros, ms_cell},
};

/// Rounds run before measuring, so caches are as warm as in daily use.
const WARM_UP: u32 = 2;

/// One measured query.
#[derive(Debug, Clone)]
pub struct QueryStat {
    pub name: String,
    pub path: String,
    pub latency: LatencyMs,
    /// What the first answer said it found (`total`, or the dashboard's contacts).
    pub found: String,
    pub errors: u32,
}

#[derive(Debug, Clone)]
pub struct QueriesSummary {
    pub rounds: u32,
    pub queries: Vec<QueryStat>,
}

impl QueriesSummary {
    pub fn passed(&self) -> bool {
        self.queries.iter().all(|q| q.errors == 0)
    }

    pub fn to_json(&self) -> Value {
        json!({
            "scenario": "queries",
            "rounds": self.rounds,
            "queries": self.queries.iter().map(|q| json!({
                "name": q.name,
                "path": q.path,
                "found": q.found,
                "errors": q.errors,
                "latency_ms": q.latency.to_json(),
            })).collect::<Vec<_>>(),
        })
    }

    pub fn to_table(&self) -> String {
        let header = ["query", "found", "p50 ms", "p95 ms", "max ms", "errors"];
        let rows: Vec<Vec<String>> = self
            .queries
            .iter()
            .map(|q| {
                vec![
                    q.name.clone(),
                    q.found.clone(),
                    ms_cell(q.latency.p50),
                    ms_cell(q.latency.p95),
                    ms_cell(q.latency.max),
                    q.errors.to_string(),
                ]
            })
            .collect();
        markdown_rows(&header, &rows)
    }
}

/// Samples of the data the queries filter by: a person, a team, a contact.
struct Samples {
    actor_id: i64,
    actor_word: String,
    team_id: Option<i64>,
    contact_id: i64,
    contact_code: String,
}

async fn get_json(client: &Client, url: &str, token: &str) -> anyhow::Result<Value> {
    let response = client.get(url).bearer_auth(token).send().await?;
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    anyhow::ensure!(status.is_success(), "GET {url}: {status} {body}");
    Ok(body)
}

async fn samples(client: &Client, base: &str, token: &str) -> anyhow::Result<Samples> {
    let actors = get_json(client, &format!("{base}/api/audit/actors"), token).await?;
    let actors = actors.as_array().context("actors is not a list")?;
    let actor = actors
        .iter()
        .find(|a| {
            a["username"]
                .as_str()
                .is_some_and(|u| u.starts_with("sale"))
        })
        .or_else(|| actors.first())
        .context("no actor to filter by: seed the database first")?;
    let teams = get_json(client, &format!("{base}/api/teams"), token).await?;
    let contacts = get_json(
        client,
        &format!("{base}/api/contacts?per_page=1&page=50"),
        token,
    )
    .await
    .or_else(|_| Ok::<_, anyhow::Error>(Value::Null))?;
    let contact = &contacts["items"][0];
    Ok(Samples {
        actor_id: actor["id"].as_i64().context("actor id")?,
        actor_word: actor["full_name"]
            .as_str()
            .and_then(|n| n.split_whitespace().last())
            .unwrap_or("admin")
            .to_owned(),
        team_id: teams
            .as_array()
            .and_then(|t| t.first())
            .and_then(|t| t["id"].as_i64()),
        contact_id: contact["id"].as_i64().unwrap_or(1),
        contact_code: contact["code"].as_str().unwrap_or("KH0000-001").to_owned(),
    })
}

fn queries(s: &Samples) -> Vec<(String, String)> {
    let today = Utc::now().with_timezone(&Ho_Chi_Minh).date_naive();
    let month_ago = today - Days::days(30);
    let mut list: Vec<(&str, String)> = vec![
        ("audit: newest page", "/api/audit".into()),
        (
            "audit: one person",
            format!("/api/audit?actor={}", s.actor_id),
        ),
        ("audit: module", "/api/audit?module=contacts".into()),
        (
            "audit: rare action",
            "/api/audit?action=deals.payment_changed".into(),
        ),
        (
            "audit: one contact",
            format!("/api/audit?target=contact:{}", s.contact_id),
        ),
        (
            "audit: last 30 days",
            format!("/api/audit?from={month_ago}&to={today}"),
        ),
        (
            "audit: person + 30 days",
            format!("/api/audit?actor={}&from={month_ago}", s.actor_id),
        ),
        (
            "audit: text = contact code",
            format!("/api/audit?q={}", s.contact_code),
        ),
        (
            "audit: text = action label",
            "/api/audit?q=dang%20nhap".into(),
        ),
        (
            "audit: text = person's name",
            format!("/api/audit?q={}", s.actor_word),
        ),
        ("audit: text = IP", "/api/audit?q=10.8.2.57".into()),
        ("audit: text = IP prefix", "/api/audit?q=10.8.2.".into()),
        ("audit: page 100", "/api/audit?page=100".into()),
    ];
    for (period, name) in [
        ("today", "dashboard: today"),
        ("week", "dashboard: week"),
        ("month", "dashboard: month"),
        ("quarter", "dashboard: quarter"),
        ("year", "dashboard: year"),
    ] {
        list.push((name, format!("/api/reports/dashboard?period={period}")));
    }
    if let Some(team) = s.team_id {
        list.push((
            "dashboard: year, one team",
            format!("/api/reports/dashboard?period=year&team_id={team}"),
        ));
    }
    list.into_iter()
        .map(|(name, path)| (name.to_owned(), path))
        .collect()
}

/// What an answer says it found.
fn found(body: &Value) -> String {
    if let Some(total) = body["total"].as_u64() {
        let more = if body["total_exact"] == false {
            "+"
        } else {
            ""
        };
        return format!("{total}{more}");
    }
    if let Some(contacts) = body["kpis"]["contacts"].as_i64() {
        return format!("{contacts} contacts");
    }
    "-".to_owned()
}

pub async fn benchmark(
    client: &Client,
    endpoints: &Endpoints,
    admin_token: &str,
    rounds: u32,
    progress: Progress,
) -> anyhow::Result<QueriesSummary> {
    let base = endpoints
        .health
        .as_str()
        .trim_end_matches("/healthz")
        .to_owned();
    let samples = samples(client, &base, admin_token).await?;
    let list = queries(&samples);
    let phase = progress.phase("queries", list.len() as u64);
    let mut stats = Vec::with_capacity(list.len());
    for (name, path) in list {
        let url = format!("{base}{path}");
        let mut latencies = Vec::with_capacity(rounds as usize);
        let mut errors = 0;
        let mut first = None;
        for round in 0..WARM_UP + rounds {
            let started = Instant::now();
            let answer = get_json(client, &url, admin_token).await;
            let took: Duration = started.elapsed();
            match answer {
                Ok(body) => {
                    first.get_or_insert(body);
                    if round >= WARM_UP {
                        latencies.push(micros(took));
                    }
                }
                Err(error) => {
                    errors += 1;
                    eprintln!("  {name}: {error:#}");
                }
            }
        }
        stats.push(QueryStat {
            name,
            path,
            latency: LatencyMs::of(latencies),
            found: first.as_ref().map_or_else(|| "-".to_owned(), found),
            errors,
        });
        phase.inc();
    }
    phase.finish("done");
    Ok(QueriesSummary {
        rounds,
        queries: stats,
    })
}
