//! `/api/zalo/…` (`channels.manage`): the OA connection's status, connecting through
//! Zalo's OAuth v4 with PKCE, and disconnecting. Every token action is audited (never
//! the token).

use api_types::{
    ApiErrorBody, ZALO_SCOPES, ZALO_STATUS_NOT_CONNECTED, ZaloAuthorization, ZaloConnectionDto,
};
use axum::{Json, extract::State, http::StatusCode, response::Redirect};
use chrono::{Duration, SecondsFormat};
use entities::{user, zalo_connection as connection, zalo_oauth_state as attempt};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::{
    ZaloError,
    oauth::{self, OauthError},
    tokens,
};
use crate::{
    auth::current_user::AuthUser,
    crypto, db,
    error::{ApiError, ApiResult},
    http::params::ApiQuery,
    state::AppState,
};

/// How long an admin has to finish Zalo's permission page.
const ATTEMPT_TTL: Duration = Duration::minutes(10);
const TARGET: &str = "zalo_connection";

fn scope_codes() -> Vec<&'static str> {
    ZALO_SCOPES.iter().map(|(code, _)| *code).collect()
}

fn state_hash(state: &str) -> String {
    hex::encode(Sha256::digest(state.as_bytes()))
}

/// The verifier rests sealed, bound to its attempt, until the callback.
fn verifier_key(state: &AppState) -> [u8; 32] {
    use secrecy::ExposeSecret;
    *state.keys.derive("zalo-pkce/v1").expose_secret()
}

/// The connection: status, OA name, scopes, token expiry, who connected it and when.
#[utoipa::path(
    get, path = "/api/zalo/connection", tag = "zalo",
    responses((status = 200, body = ZaloConnectionDto))
)]
pub async fn connection(State(state): State<AppState>) -> ApiResult<Json<ZaloConnectionDto>> {
    let configured = state.config.zalo.app().is_some();
    let Some(row) = tokens::load(&state.db).await? else {
        return Ok(Json(ZaloConnectionDto {
            status: ZALO_STATUS_NOT_CONNECTED.into(),
            configured,
            oa_name: None,
            scopes: Vec::new(),
            access_expires_at: None,
            connected_by: None,
            connected_at: None,
        }));
    };
    let by = match row.connected_by {
        Some(id) => user::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .map(|u| u.full_name),
        None => None,
    };
    let time = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    Ok(Json(ZaloConnectionDto {
        status: row.status,
        configured,
        oa_name: row.oa_name,
        scopes: serde_json::from_str(&row.scopes).unwrap_or_default(),
        access_expires_at: Some(time(row.access_expires_at)),
        connected_by: by,
        connected_at: Some(time(row.connected_at)),
    }))
}

/// Starts connecting: a fresh `state` and PKCE verifier kept server-side for ten
/// minutes; answers the Zalo permission page to send the browser to.
#[utoipa::path(
    post, path = "/api/zalo/connect", tag = "zalo",
    responses((status = 200, body = ZaloAuthorization), (status = 422, body = ApiErrorBody))
)]
pub async fn connect(
    State(state): State<AppState>,
    caller: AuthUser,
) -> ApiResult<Json<ZaloAuthorization>> {
    let now = state.clock.now();
    let secret = oauth::random_token();
    let verifier = oauth::random_token();
    let redirect_uri = format!("{}/api/zalo/callback", state.config.public_url);
    let url = oauth::authorization_url(&state.config.zalo, &redirect_uri, &secret, &verifier)
        .map_err(|err| ApiError::validation("zalo", err.to_string()))?;
    let hash = state_hash(&secret);
    let expires_at = now + ATTEMPT_TTL;
    let tx = db::begin_write(&state.db).await?;
    attempt::Entity::delete_many()
        .filter(attempt::Column::ExpiresAt.lte(now))
        .exec(&tx)
        .await?;
    attempt::Entity::insert(attempt::ActiveModel {
        code_verifier_sealed: Set(crypto::seal(
            &verifier_key(&state),
            verifier.as_bytes(),
            hash.as_bytes(),
        )),
        state_hash: Set(hash),
        user_id: Set(caller.user.id),
        expires_at: Set(expires_at),
    })
    .exec(&tx)
    .await?;
    caller
        .audit(
            &tx,
            now,
            "zalo.connect_started",
            Some((TARGET, connection::ID.to_string())),
            None,
            Some(json!({ "scopes": scope_codes() })),
        )
        .await?;
    tx.commit().await?;
    Ok(Json(ZaloAuthorization {
        authorization_url: url,
        expires_at: expires_at.to_rfc3339_opts(SecondsFormat::Secs, true),
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CallbackQuery {
    pub code: Option<String>,
    pub state: Option<String>,
}

/// Where Zalo sends the admin back: checks `state` (one use, same admin, not
/// expired), trades the code for tokens, stores them sealed and returns to `/zalo`.
#[utoipa::path(
    get, path = "/api/zalo/callback", tag = "zalo", params(CallbackQuery),
    responses((status = 303), (status = 400, body = ApiErrorBody), (status = 502, body = ApiErrorBody))
)]
pub async fn callback(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiQuery(query): ApiQuery<CallbackQuery>,
) -> ApiResult<Redirect> {
    let invalid = || ApiError::BadRequest {
        code: "zalo_state_invalid",
        message: "Phiên kết nối Zalo không hợp lệ hoặc đã hết hạn, vui lòng bấm kết nối lại".into(),
        field: Some("state".into()),
    };
    let (Some(code), Some(secret)) = (query.code, query.state) else {
        return Err(invalid());
    };
    let now = state.clock.now();
    let hash = state_hash(&secret);
    // One use: the attempt is deleted whatever comes next.
    let tx = db::begin_write(&state.db).await?;
    let found = attempt::Entity::find_by_id(hash.clone()).one(&tx).await?;
    attempt::Entity::delete_by_id(hash.clone())
        .exec(&tx)
        .await?;
    tx.commit().await?;
    let Some(found) = found.filter(|a| a.user_id == caller.user.id && a.expires_at > now) else {
        return Err(invalid());
    };
    let verifier = crypto::open(
        &verifier_key(&state),
        &found.code_verifier_sealed,
        hash.as_bytes(),
    )
    .map_err(|_| invalid())?;
    let verifier = String::from_utf8(verifier).map_err(|_| invalid())?;
    let pair = state
        .zalo
        .oauth()
        .exchange_code(&code, &verifier)
        .await
        .map_err(|err| match err {
            OauthError::NotConfigured => ApiError::validation("zalo", err.to_string()),
            err => ApiError::Upstream {
                code: "zalo_refused",
                message: err.to_string(),
            },
        })?;
    let oa_name = state.zalo.oa_name(&pair.access_token).await;
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let before = tokens::load(&tx)
        .await?
        .map(|row| json!({ "status": row.status }));
    tokens::save_connected(
        &tx,
        state.zalo.sealer(),
        &pair,
        oa_name.clone(),
        &scope_codes(),
        caller.user.id,
        now,
    )
    .await?;
    caller
        .audit(
            &tx,
            now,
            "zalo.connected",
            Some((TARGET, connection::ID.to_string())),
            before,
            Some(json!({
                "status": connection::STATUS_CONNECTED,
                "oa_name": oa_name,
                "scopes": scope_codes(),
                "expires_in_secs": pair.expires_in_secs,
            })),
        )
        .await?;
    tx.commit().await?;
    Ok(Redirect::to("/zalo?ket_noi=thanh_cong"))
}

/// Disconnects: the stored tokens are deleted, so nothing more goes to Zalo. (Zalo has
/// no revoke endpoint for OA tokens; the OA's admin removes the app's permission in
/// Zalo OA settings to revoke it there as well.)
#[utoipa::path(
    delete, path = "/api/zalo/connection", tag = "zalo",
    responses((status = 204), (status = 404, body = ApiErrorBody))
)]
pub async fn disconnect(State(state): State<AppState>, caller: AuthUser) -> ApiResult<StatusCode> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let Some(row) = tokens::load(&tx).await? else {
        return Err(ApiError::NotFound);
    };
    connection::Entity::delete_by_id(connection::ID)
        .exec(&tx)
        .await?;
    caller
        .audit(
            &tx,
            now,
            "zalo.disconnected",
            Some((TARGET, connection::ID.to_string())),
            Some(json!({ "status": row.status, "oa_name": row.oa_name })),
            None,
        )
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

impl From<ZaloError> for ApiError {
    fn from(err: ZaloError) -> Self {
        match err {
            ZaloError::Database(err) => err.into(),
            ZaloError::Sealed(err) => ApiError::Internal(err.into()),
            err => ApiError::Upstream {
                code: "zalo_unavailable",
                message: err.to_string(),
            },
        }
    }
}
