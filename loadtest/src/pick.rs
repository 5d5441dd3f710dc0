//! The `pick` scenario: Sales race for a shared pool of new contacts, as on the real
//! board, and afterwards the database must show that no contact went to two Sales.
//!
//! Set-up (not measured): the server's pick cooldown must be 0, every service type's
//! daily limit is raised to the maximum, and the admin fills the pool. The measured
//! loop of each Sale: read the oldest page of the pool, pick one of its contacts at
//! random, repeat until the pool is empty or time is up. The check then compares
//! every `200` with the contacts the database shows in `consulting` with a load Sale.

use std::{
    collections::{HashMap, HashSet},
    hash::{BuildHasher as _, RandomState},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use anyhow::{Context as _, bail};
use api_types::{ApiErrorBody, CreateContactRequest, ServiceTypeDto, ServiceTypeRequest};
use futures_util::{StreamExt as _, stream};
use reqwest::{Client, RequestBuilder, StatusCode, Url};
use serde_json::Value;
use tokio::{
    task::JoinSet,
    time::{Instant, sleep_until, timeout_at},
};

use crate::{
    progress::Progress,
    scenario::{ERROR_BACKOFF, VirtualUser},
    setup::{Endpoints, SETUP_CONCURRENCY, Session, expect_success},
    stats::{ErrorKind, PickOutcome, PickRecorder, PickSummary},
};

/// The highest daily pick limit the server accepts (`0..=1000`): with it, a Sale
/// meets `daily_limit` only after winning 1000 contacts of one type in a day.
const PICK_LIMIT: i32 = 1000;
/// Contacts per pool read: a page of the Sales' board.
const POOL_PAGE: u32 = 50;
/// The largest page the server serves, for the check's reads.
const CHECK_PAGE: u32 = 200;
const SOURCE: &str = "google";

/// Set-up, measured run and check; the caller prints the summary.
pub async fn benchmark(
    client: &Client,
    endpoints: &Endpoints,
    admin_token: &str,
    users: Vec<VirtualUser>,
    contacts: u32,
    duration: Duration,
    progress: Progress,
) -> anyhow::Result<PickSummary> {
    let user_count = u32::try_from(users.len())?;
    let sales: Vec<Session> = users
        .into_iter()
        .map(|u| {
            u.session
                .with_context(|| format!("{} has no session", u.username))
        })
        .collect::<anyhow::Result<_>>()?;
    let first = sales
        .first()
        .context("the pick scenario needs at least one Sale")?;
    expect_no_cooldown(client, endpoints, &first.token).await?;
    let service_types = raise_pick_limits(client, endpoints, admin_token).await?;
    fill_pool(
        client,
        endpoints,
        admin_token,
        &service_types,
        contacts,
        progress,
    )
    .await?;
    let ours: HashSet<i64> = sales.iter().map(|s| s.user_id).collect();
    let before = held_by(client, endpoints, admin_token, &ours).await?;

    eprintln!(
        "running until the pool is empty, at most {} s …",
        duration.as_secs()
    );
    let (recorder, elapsed) = run(client, endpoints, sales, duration).await?;

    eprintln!("checking for double assignments …");
    let after = held_by(client, endpoints, admin_token, &ours).await?;
    let check = check(recorder.won(), &before, &after);
    Ok(recorder.into_summary(user_count, contacts, duration, elapsed, check))
}

/// With the default 5-minute cooldown every Sale could pick once and then only read:
/// the run would measure the cooldown, not the pick.
pub(crate) async fn expect_no_cooldown(
    client: &Client,
    endpoints: &Endpoints,
    sale_token: &str,
) -> anyhow::Result<()> {
    let resp = client
        .get(endpoints.my_picks.clone())
        .bearer_auth(sale_token)
        .send()
        .await
        .context("GET /api/picks/me: no answer from the server")?;
    let allowance: Value = expect_success(resp, "GET /api/picks/me")
        .await?
        .json()
        .await
        .context("GET /api/picks/me: unexpected answer")?;
    let cooldown = allowance["cooldown_secs"]
        .as_u64()
        .context("GET /api/picks/me: no cooldown_secs in the answer")?;
    if cooldown > 0 {
        bail!(
            "the server's pick cooldown is {cooldown} s, so each Sale could pick only once; \
             restart the server with ANKHANG_PICK_COOLDOWN_SECS=0 for the pick benchmark"
        );
    }
    Ok(())
}

/// Sets every service type's daily pick limit to [`PICK_LIMIT`] (nothing is restored:
/// the benchmark database is disposable); returns the ids of the active ones.
pub(crate) async fn raise_pick_limits(
    client: &Client,
    endpoints: &Endpoints,
    admin_token: &str,
) -> anyhow::Result<Vec<i64>> {
    let resp = client
        .get(endpoints.service_types.clone())
        .bearer_auth(admin_token)
        .send()
        .await
        .context("GET /api/service-types: no answer from the server")?;
    let service_types: Vec<ServiceTypeDto> = expect_success(resp, "GET /api/service-types")
        .await?
        .json()
        .await
        .context("GET /api/service-types: unexpected answer")?;
    for st in service_types
        .iter()
        .filter(|st| st.daily_pick_limit < PICK_LIMIT)
    {
        let body = ServiceTypeRequest {
            code: st.code.clone(),
            name: st.name.clone(),
            description: st.description.clone(),
            active: st.active,
            daily_pick_limit: PICK_LIMIT,
            sort_order: st.sort_order,
        };
        let what = format!("raising the daily pick limit of {}", st.code);
        let resp = client
            .put(endpoints.service_type(st.id)?)
            .bearer_auth(admin_token)
            .json(&body)
            .send()
            .await
            .with_context(|| format!("{what}: no answer from the server"))?;
        expect_success(resp, &what).await?;
    }
    let active: Vec<i64> = service_types
        .iter()
        .filter(|st| st.active)
        .map(|st| st.id)
        .collect();
    if active.is_empty() {
        bail!("no active service type on the server: contacts cannot be created");
    }
    eprintln!(
        "daily pick limit {PICK_LIMIT} on {} service types ({} active)",
        service_types.len(),
        active.len()
    );
    Ok(active)
}

/// The admin creates `count` new contacts, spread round-robin over `service_types`.
async fn fill_pool(
    client: &Client,
    endpoints: &Endpoints,
    admin_token: &str,
    service_types: &[i64],
    count: u32,
    progress: Progress,
) -> anyhow::Result<()> {
    eprintln!("creating {count} contacts in the pool …");
    let base = phone_base();
    let phase = progress.phase("contacts", u64::from(count));
    let mut results = stream::iter(0..count)
        .zip(stream::iter(service_types.iter().copied().cycle()))
        .map(|(n, service_type_id)| {
            create_contact(
                client,
                endpoints,
                admin_token,
                service_type_id,
                phone(base, n),
            )
        })
        .buffer_unordered(SETUP_CONCURRENCY);
    while let Some(result) = results.next().await {
        result?;
        phase.inc();
    }
    phase.finish(&format!("{count} in the pool"));
    Ok(())
}

pub async fn create_contact(
    client: &Client,
    endpoints: &Endpoints,
    admin_token: &str,
    service_type_id: i64,
    phone: String,
) -> anyhow::Result<i64> {
    let what = format!("creating the contact {phone}");
    let body = CreateContactRequest {
        full_name: format!("Load Contact {phone}"),
        phone,
        email: None,
        service_type_id,
        source: SOURCE.to_owned(),
        note: None,
        // Phones are unique within a run; an earlier run's number is no reason to stop.
        allow_duplicate: true,
    };
    let resp = client
        .post(endpoints.contacts.clone())
        .bearer_auth(admin_token)
        .json(&body)
        .send()
        .await
        .with_context(|| format!("{what}: no answer from the server"))?;
    // Only the id is read, for the same reason as the login token.
    let created: Value = expect_success(resp, &what)
        .await?
        .json()
        .await
        .with_context(|| format!("{what}: unexpected answer"))?;
    created["id"]
        .as_i64()
        .with_context(|| format!("{what}: no id in the answer"))
}

/// Where this run's phone numbers start: moved on by the clock, so successive runs
/// on one database rarely reuse each other's numbers.
pub fn phone_base() -> u64 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    (secs % 100_000) * 1_000
}

/// A valid Vietnamese mobile number: `09` and eight digits.
pub fn phone(base: u64, n: u32) -> String {
    format!("09{:08}", (base + u64::from(n)) % 100_000_000)
}

/// Every Sale loops until the pool is empty or `duration` has passed; returns the
/// merged recording and the wall time of the measured phase.
async fn run(
    client: &Client,
    endpoints: &Endpoints,
    sales: Vec<Session>,
    duration: Duration,
) -> anyhow::Result<(PickRecorder, Duration)> {
    let mut pool = endpoints.contacts.clone();
    pool.query_pairs_mut()
        .append_pair("status", "new")
        .append_pair("per_page", &POOL_PAGE.to_string())
        .append_pair("sort", "oldest");
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = JoinSet::new();
    for sale in sales {
        tasks.spawn(run_sale(
            client.clone(),
            endpoints.clone(),
            pool.clone(),
            sale,
            deadline,
        ));
    }
    let mut total = PickRecorder::default();
    while let Some(joined) = tasks.join_next().await {
        total.merge(joined.context("a Sale panicked")??);
    }
    Ok((total, started.elapsed()))
}

async fn run_sale(
    client: Client,
    endpoints: Endpoints,
    pool: Url,
    sale: Session,
    deadline: Instant,
) -> anyhow::Result<PickRecorder> {
    let mut rec = PickRecorder::default();
    let mut rng = Rng::seeded(sale.user_id);
    while Instant::now() < deadline {
        // 1. The board: a read cut off by the deadline is simply outside the run.
        let started = Instant::now();
        let read = timeout_at(
            deadline,
            send(client.get(pool.clone()).bearer_auth(&sale.token)),
        );
        let ids = match read.await {
            Err(_) => break,
            Ok(Err(err)) => {
                rec.record_read_error(ErrorKind::from_reqwest(&err));
                back_off(deadline).await;
                continue;
            }
            Ok(Ok((status, body))) => {
                rec.record_read(status, started.elapsed());
                if !status.is_success() {
                    back_off(deadline).await;
                    continue;
                }
                match page_ids(&body) {
                    Some(ids) => ids,
                    None => {
                        rec.record_read_error(ErrorKind::Malformed);
                        back_off(deadline).await;
                        continue;
                    }
                }
            }
        };
        let Some(&contact_id) = ids.get(rng.below(ids.len())) else {
            rec.record_pool_empty();
            break;
        };

        // 2. The pick. Never cut off at the deadline: an abandoned pick may still
        // commit on the server, and the check needs the answer to every pick sent.
        let started = Instant::now();
        match send(
            client
                .post(endpoints.pick(contact_id)?)
                .bearer_auth(&sale.token),
        )
        .await
        {
            Ok((status, body)) => {
                let outcome = outcome(status, &body);
                rec.record_pick(contact_id, sale.user_id, &outcome, started.elapsed());
                if let PickOutcome::Cooldown { retry_after_secs } = outcome {
                    let until = Instant::now() + Duration::from_secs(retry_after_secs);
                    sleep_until(until.min(deadline)).await;
                }
            }
            Err(err) => {
                rec.record_pick_error(ErrorKind::from_reqwest(&err));
                back_off(deadline).await;
            }
        }
    }
    Ok(rec)
}

/// Sends a request and reads the whole body: latency includes it, and the
/// connection only returns to the pool once the body is consumed.
pub(crate) async fn send(req: RequestBuilder) -> Result<(StatusCode, String), reqwest::Error> {
    let resp = req.send().await?;
    let status = resp.status();
    Ok((status, resp.text().await?))
}

async fn back_off(deadline: Instant) {
    sleep_until((Instant::now() + ERROR_BACKOFF).min(deadline)).await;
}

/// The contact ids of a `GET /api/contacts` page; `None` if it is not one.
fn page_ids(body: &str) -> Option<Vec<i64>> {
    let page: Value = serde_json::from_str(body).ok()?;
    page["items"]
        .as_array()?
        .iter()
        .map(|c| c["id"].as_i64())
        .collect()
}

/// What a pick's answer means for the benchmark.
fn outcome(status: StatusCode, body: &str) -> PickOutcome {
    if status.is_success() {
        return PickOutcome::Won;
    }
    let error = serde_json::from_str::<ApiErrorBody>(body).ok();
    let code = error.as_ref().map_or("", |e| e.error.as_str());
    match (status, code) {
        (StatusCode::CONFLICT, "already_picked") => PickOutcome::Lost,
        (StatusCode::CONFLICT, "daily_limit") => PickOutcome::DailyLimit,
        (StatusCode::TOO_MANY_REQUESTS, "cooldown") => PickOutcome::Cooldown {
            retry_after_secs: error.and_then(|e| e.retry_after_secs).unwrap_or(1),
        },
        (_, "") => PickOutcome::Other(status.as_u16().to_string()),
        (_, code) => PickOutcome::Other(format!("{} {code}", status.as_u16())),
    }
}

/// Contacts in `consulting` whose assignee is one of `ours`, as contact id →
/// assignee id, read by the admin page by page.
async fn held_by(
    client: &Client,
    endpoints: &Endpoints,
    admin_token: &str,
    ours: &HashSet<i64>,
) -> anyhow::Result<HashMap<i64, i64>> {
    let what = "GET /api/contacts?status=consulting";
    let mut held = HashMap::new();
    let mut seen = 0u64;
    let mut page = 1u32;
    loop {
        let mut url = endpoints.contacts.clone();
        url.query_pairs_mut()
            .append_pair("status", "consulting")
            .append_pair("per_page", &CHECK_PAGE.to_string())
            .append_pair("sort", "oldest")
            .append_pair("page", &page.to_string());
        let resp = client
            .get(url)
            .bearer_auth(admin_token)
            .send()
            .await
            .with_context(|| format!("{what}: no answer from the server"))?;
        let body: Value = expect_success(resp, what)
            .await?
            .json()
            .await
            .with_context(|| format!("{what}: unexpected answer"))?;
        let items = body["items"]
            .as_array()
            .with_context(|| format!("{what}: no items in the answer"))?;
        for item in items {
            let id = item["id"]
                .as_i64()
                .with_context(|| format!("{what}: a contact without id"))?;
            if let Some(assignee) = item["assignee_id"].as_i64().filter(|a| ours.contains(a)) {
                held.insert(id, assignee);
            }
        }
        seen += items.len() as u64;
        let total = body["total"]
            .as_u64()
            .with_context(|| format!("{what}: no total in the answer"))?;
        if items.is_empty() || seen >= total {
            return Ok(held);
        }
        page += 1;
    }
}

/// The double-assignment check's figures; see [`PickCheck::passed`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PickCheck {
    /// `200` answers.
    pub won: u64,
    /// Distinct contacts among them.
    pub distinct_won: u64,
    /// Contacts in `consulting` with a load Sale after the run that were not before.
    pub held: u64,
    /// Contacts in `consulting` with a load Sale before the run (earlier runs).
    pub held_before: u64,
    /// Won contacts that the database does not show with the Sale that won them.
    pub mismatched: u64,
}

impl PickCheck {
    /// No contact won twice, every won contact held by its winner, and as many
    /// newly held contacts as `200` answers: no pick was granted twice or lost.
    pub fn passed(&self) -> bool {
        self.won == self.distinct_won && self.won == self.held && self.mismatched == 0
    }
}

/// Compares the `(contact, winner)` pairs of the `200` answers with the contacts
/// held by load Sales `before` and `after` the run.
fn check(won: &[(i64, i64)], before: &HashMap<i64, i64>, after: &HashMap<i64, i64>) -> PickCheck {
    let distinct: HashSet<i64> = won.iter().map(|&(contact, _)| contact).collect();
    let held = after.keys().filter(|id| !before.contains_key(id)).count();
    let mismatched = won
        .iter()
        .filter(|&&(contact, sale)| {
            before.contains_key(&contact) || after.get(&contact) != Some(&sale)
        })
        .count();
    PickCheck {
        won: won.len() as u64,
        distinct_won: distinct.len() as u64,
        held: held as u64,
        held_before: before.len() as u64,
        mismatched: mismatched as u64,
    }
}

/// xorshift64*: choosing a row of a page needs neither quality nor a dependency.
/// Seeded from the process's random hash keys, so runs differ.
struct Rng(u64);

impl Rng {
    fn seeded(stream: i64) -> Self {
        // The state must never be zero.
        Self(RandomState::new().hash_one(stream) | 1)
    }

    /// A number in `0..n`, or 0 when `n == 0`. The modulo bias is negligible for
    /// page-sized `n`.
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        match u64::try_from(n) {
            Ok(n) if n > 0 => usize::try_from(x % n).unwrap_or(0),
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_map_to_outcomes() {
        assert_eq!(outcome(StatusCode::OK, "{}"), PickOutcome::Won);
        let lost =
            r#"{"error":"already_picked","message":"…","picked_by":{"id":3,"full_name":"A"}}"#;
        assert_eq!(outcome(StatusCode::CONFLICT, lost), PickOutcome::Lost);
        let limit = r#"{"error":"daily_limit","message":"…"}"#;
        assert_eq!(
            outcome(StatusCode::CONFLICT, limit),
            PickOutcome::DailyLimit
        );
        let cooldown = r#"{"error":"cooldown","message":"…","retry_after_secs":42}"#;
        assert_eq!(
            outcome(StatusCode::TOO_MANY_REQUESTS, cooldown),
            PickOutcome::Cooldown {
                retry_after_secs: 42
            }
        );
        let gone = r#"{"error":"not_available","message":"…"}"#;
        assert_eq!(
            outcome(StatusCode::CONFLICT, gone),
            PickOutcome::Other("409 not_available".into())
        );
        assert_eq!(
            outcome(StatusCode::BAD_GATEWAY, "<html>"),
            PickOutcome::Other("502".into())
        );
    }

    #[test]
    fn page_ids_reads_items_and_refuses_other_shapes() {
        let page = r#"{"items":[{"id":7,"status":"new"},{"id":9}],"total":2}"#;
        assert_eq!(page_ids(page), Some(vec![7, 9]));
        assert_eq!(page_ids(r#"{"items":[],"total":0}"#), Some(vec![]));
        assert_eq!(page_ids(r#"{"items":[{"code":"KH1"}]}"#), None);
        assert_eq!(page_ids("not json"), None);
    }

    #[test]
    fn phones_are_valid_mobiles() {
        assert_eq!(phone(0, 0), "0900000000");
        assert_eq!(phone(99_999_000, 1_500), "0900000500");
        for n in [0, 1, 999, 100_000] {
            let p = phone(phone_base(), n);
            assert_eq!(p.len(), 10);
            assert!(p.starts_with("09") && p.chars().all(|c| c.is_ascii_digit()));
        }
    }

    #[test]
    fn clean_run_passes_the_check() {
        let before = HashMap::from([(1, 100)]);
        let won = [(2, 100), (3, 101)];
        let after = HashMap::from([(1, 100), (2, 100), (3, 101)]);
        let c = check(&won, &before, &after);
        assert_eq!(
            c,
            PickCheck {
                won: 2,
                distinct_won: 2,
                held: 2,
                held_before: 1,
                mismatched: 0
            }
        );
        assert!(c.passed());
    }

    #[test]
    fn a_contact_won_twice_fails_the_check() {
        let won = [(2, 100), (2, 101)];
        let after = HashMap::from([(2, 101)]);
        let c = check(&won, &HashMap::new(), &after);
        assert_eq!(c.distinct_won, 1);
        assert_eq!(c.mismatched, 1);
        assert!(!c.passed());
    }

    #[test]
    fn a_held_contact_nobody_won_fails_the_check() {
        // A pick granted without a 200 reaching the Sale, or a wrong winner.
        let after = HashMap::from([(2, 100), (3, 100)]);
        assert!(!check(&[(2, 100)], &HashMap::new(), &after).passed());
        let after = HashMap::from([(2, 101)]);
        let c = check(&[(2, 100)], &HashMap::new(), &after);
        assert_eq!(c.mismatched, 1);
        assert!(!c.passed());
    }

    #[test]
    fn rng_stays_in_range() {
        let mut rng = Rng::seeded(5);
        let mut seen = [false; 7];
        for _ in 0..1_000 {
            let i = rng.below(7);
            assert!(i < 7);
            if let Some(slot) = seen.get_mut(i) {
                *slot = true;
            }
        }
        assert!(seen.iter().all(|&s| s), "every row gets picked");
        assert_eq!(rng.below(0), 0);
    }
}
