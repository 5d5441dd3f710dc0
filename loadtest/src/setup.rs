//! Everything before the clock starts: the admin's login, the load accounts, and the
//! virtual users' own logins. None of it is measured.

use anyhow::{Context as _, bail};
use api_types::{ApiErrorBody, CreateUserRequest, LoginRequest};
use futures_util::{StreamExt as _, TryStreamExt as _, stream};
use reqwest::{Client, Response, StatusCode, Url};
use serde_json::Value;

use crate::progress::Progress;

/// Every load account shares this password, so repeated runs can reuse them.
pub const LOAD_PASSWORD: &str = "Load@12345";
/// Set-up requests in flight at once: enough to overlap round trips, few enough not
/// to queue hundreds of argon2 hashes on the server at the same moment.
pub const SETUP_CONCURRENCY: usize = 8;
const SALE_ROLE: &str = "Sale";

/// The server's endpoints, parsed once so the hot loops only clone a `Url`.
#[derive(Debug, Clone)]
pub struct Endpoints {
    pub login: Url,
    pub me: Url,
    pub roles: Url,
    pub users: Url,
    pub health: Url,
    pub contacts: Url,
    pub service_types: Url,
    pub my_picks: Url,
    pub notification_rules: Url,
    /// `GET /ws`, with the scheme turned into `ws://` or `wss://`.
    pub ws: Url,
}

impl Endpoints {
    pub fn new(base: &str) -> anyhow::Result<Self> {
        // Plain concatenation keeps a path prefix (`http://host/crm`) that `Url::join`
        // with an absolute path would drop.
        let base = base.trim_end_matches('/');
        let parse = |path: &str| {
            let url = Url::parse(&format!("{base}{path}"))
                .with_context(|| format!("--base-url {base:?} is not a valid URL"))?;
            if !matches!(url.scheme(), "http" | "https") {
                bail!("--base-url must be http:// or https://, not {base:?}");
            }
            Ok(url)
        };
        let mut ws = parse("/ws")?;
        let ws_scheme = if ws.scheme() == "https" { "wss" } else { "ws" };
        ws.set_scheme(ws_scheme)
            .map_err(|()| anyhow::anyhow!("cannot make a WebSocket URL of {base:?}"))?;
        Ok(Self {
            login: parse("/api/auth/login")?,
            me: parse("/api/me")?,
            roles: parse("/api/roles")?,
            users: parse("/api/users")?,
            health: parse("/healthz")?,
            contacts: parse("/api/contacts")?,
            service_types: parse("/api/service-types")?,
            my_picks: parse("/api/picks/me")?,
            notification_rules: parse("/api/notification-rules")?,
            ws,
        })
    }

    /// `POST /api/contacts/{id}/pick`.
    pub fn pick(&self, contact_id: i64) -> anyhow::Result<Url> {
        with_segments(&self.contacts, &[&contact_id.to_string(), "pick"])
    }

    /// `GET /api/contacts/{id}`.
    pub fn contact(&self, contact_id: i64) -> anyhow::Result<Url> {
        with_segments(&self.contacts, &[&contact_id.to_string()])
    }

    /// `PUT /api/service-types/{id}`.
    pub fn service_type(&self, id: i64) -> anyhow::Result<Url> {
        with_segments(&self.service_types, &[&id.to_string()])
    }
}

/// `base` with `segments` appended to its path, each percent-encoded.
fn with_segments(base: &Url, segments: &[&str]) -> anyhow::Result<Url> {
    let mut url = base.clone();
    url.path_segments_mut()
        .map_err(|()| anyhow::anyhow!("{base} cannot take a path"))?
        .extend(segments);
    Ok(url)
}

/// A signed-in account: its bearer token and its user id.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub user_id: i64,
}

/// `load-sale-0001` for `n == 1`; zero-padded so the accounts sort in order.
pub fn load_username(n: u32) -> String {
    format!("load-sale-{n:04}")
}

pub async fn login(
    client: &Client,
    endpoints: &Endpoints,
    username: &str,
    password: &str,
) -> anyhow::Result<Session> {
    let body = LoginRequest {
        username: username.to_owned(),
        password: password.to_owned(),
        remember_me: false,
        totp_code: None,
    };
    let resp = client
        .post(endpoints.login.clone())
        .json(&body)
        .send()
        .await
        .with_context(|| format!("login of {username}: no answer from the server"))?;
    let resp = expect_success(resp, &format!("login of {username}")).await?;
    // Only the token and the user id matter here; reading them alone keeps the tool
    // working against servers whose user object has gained or lost fields.
    let answer: Value = resp
        .json()
        .await
        .with_context(|| format!("login of {username}: unexpected answer"))?;
    let token = answer["token"]
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("login of {username}: no token in the answer"))?;
    let user_id = answer["user"]["id"]
        .as_i64()
        .with_context(|| format!("login of {username}: no user id in the answer"))?;
    Ok(Session { token, user_id })
}

/// Makes sure `load-sale-0001` … `load-sale-{count}` exist with the Sale role.
pub async fn ensure_load_accounts(
    client: &Client,
    endpoints: &Endpoints,
    admin_token: &str,
    count: u32,
    progress: Progress,
) -> anyhow::Result<()> {
    let sale_role = sale_role_id(client, endpoints, admin_token).await?;
    let phase = progress.phase("accounts", u64::from(count));
    let mut created = 0u32;
    let mut existing = 0u32;
    let mut results = stream::iter(1..=count)
        .map(|n| create_account(client, endpoints, admin_token, sale_role, n))
        .buffer_unordered(SETUP_CONCURRENCY);
    while let Some(result) = results.next().await {
        if result? {
            created += 1;
        } else {
            existing += 1;
        }
        phase.inc();
    }
    phase.finish(&format!("created {created}, already there {existing}"));
    Ok(())
}

async fn sale_role_id(
    client: &Client,
    endpoints: &Endpoints,
    admin_token: &str,
) -> anyhow::Result<i64> {
    let resp = client
        .get(endpoints.roles.clone())
        .bearer_auth(admin_token)
        .send()
        .await
        .context("GET /api/roles: no answer from the server")?;
    // Only `id` and `name` are read, for the same reason as the login token.
    let roles: Vec<Value> = expect_success(resp, "GET /api/roles")
        .await?
        .json()
        .await
        .context("GET /api/roles: unexpected answer")?;
    roles
        .iter()
        .find(|r| r["name"] == SALE_ROLE)
        .and_then(|r| r["id"].as_i64())
        .with_context(|| format!("no role named {SALE_ROLE:?} on the server"))
}

/// `true` when created, `false` when the account was already there (409).
async fn create_account(
    client: &Client,
    endpoints: &Endpoints,
    admin_token: &str,
    sale_role: i64,
    n: u32,
) -> anyhow::Result<bool> {
    let username = load_username(n);
    let body = CreateUserRequest {
        username: username.clone(),
        password: LOAD_PASSWORD.to_owned(),
        full_name: format!("Load Sale {n:04}"),
        // The notify scenario's email channel needs an address (a sink receives it).
        email: Some(format!("{username}@loadtest.ankhang.test")),
        phone: None,
        team_id: None,
        position: None,
        role_ids: vec![sale_role],
    };
    let resp = client
        .post(endpoints.users.clone())
        .bearer_auth(admin_token)
        .json(&body)
        .send()
        .await
        .with_context(|| format!("creating {username}: no answer from the server"))?;
    if resp.status() == StatusCode::CONFLICT {
        return Ok(false);
    }
    expect_success(resp, &format!("creating {username}")).await?;
    Ok(true)
}

/// Logs every virtual user in, `SETUP_CONCURRENCY` at a time; sessions in user order.
pub async fn login_all(
    client: &Client,
    endpoints: &Endpoints,
    count: u32,
    progress: Progress,
) -> anyhow::Result<Vec<Session>> {
    let phase = progress.phase("logins", u64::from(count));
    let sessions = stream::iter(1..=count)
        .map(|n| async move { login(client, endpoints, &load_username(n), LOAD_PASSWORD).await })
        .buffered(SETUP_CONCURRENCY)
        .inspect_ok(|_| phase.inc())
        .try_collect()
        .await?;
    phase.finish(&format!("{count} signed in"));
    Ok(sessions)
}

/// Turns a non-2xx answer into an error carrying the API's code and message.
pub async fn expect_success(resp: Response, what: &str) -> anyhow::Result<Response> {
    let status = resp.status();
    if status.is_success() {
        return Ok(resp);
    }
    let text = resp.text().await.unwrap_or_default();
    match serde_json::from_str::<ApiErrorBody>(&text) {
        Ok(body) => bail!("{what}: {status} {} — {}", body.error, body.message),
        Err(_) => bail!("{what}: {status} {text}"),
    }
}
