//! The admin's paced stream of events: contacts created one after another at
//! `--rate` per second, each raising one `contact.created` to every Sale's socket.

use std::time::Duration;

use anyhow::{Context as _, bail};
use api_types::ServiceTypeDto;
use reqwest::Client;
use tokio::time::{Instant, MissedTickBehavior, interval_at};

use crate::{
    pick::{create_contact, phone, phone_base},
    progress::Phase,
    setup::{Endpoints, expect_success},
    stats::micros,
};

/// What one paced batch cost the server.
#[derive(Debug, Default)]
pub struct Paced {
    /// Latency of each `POST /api/contacts`, µs, in order.
    pub post_us: Vec<u64>,
    /// Wall time of the batch.
    pub elapsed: Duration,
}

/// One batch of contacts to create.
#[derive(Debug, Clone, Copy)]
pub struct Batch<'a> {
    /// Spread round-robin over the contacts.
    pub service_types: &'a [i64],
    pub count: u32,
    /// Contacts per second.
    pub rate: f64,
    /// Phones are numbered from here on, so two batches of one run differ.
    pub first: u32,
}

/// Creates the batch's contacts one after another at its rate. `on_created(event,
/// contact id, instant just before its POST)` runs as each POST answers; `event`
/// counts from 0 within the batch.
pub async fn create_paced(
    client: &Client,
    endpoints: &Endpoints,
    admin_token: &str,
    batch: Batch<'_>,
    phase: &Phase,
    mut on_created: impl FnMut(usize, i64, Instant),
) -> anyhow::Result<Paced> {
    let Batch {
        service_types,
        count,
        rate,
        first,
    } = batch;
    let started = Instant::now();
    let mut ticks = interval_at(started, Duration::from_secs_f64(1.0 / rate));
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let base = phone_base();
    let mut post_us = Vec::with_capacity(usize::try_from(count)?);
    for (event, service_type_id) in (0..count).zip(service_types.iter().copied().cycle()) {
        ticks.tick().await;
        let before = Instant::now();
        let id = create_contact(
            client,
            endpoints,
            admin_token,
            service_type_id,
            phone(base, first + event),
        )
        .await?;
        post_us.push(micros(before.elapsed()));
        on_created(usize::try_from(event)?, id, before);
        phase.inc();
    }
    Ok(Paced {
        post_us,
        elapsed: started.elapsed(),
    })
}

/// The ids of the active service types, for the contacts' `service_type_id`.
pub async fn active_service_types(
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
    let active: Vec<i64> = service_types
        .iter()
        .filter(|st| st.active)
        .map(|st| st.id)
        .collect();
    if active.is_empty() {
        bail!("no active service type on the server: contacts cannot be created");
    }
    Ok(active)
}
