//! Checking a presented second factor: a TOTP code (never the same step twice) or,
//! where allowed, an unused recovery code. Every failure counts against the login
//! limiter and lands in the audit trail.

use anyhow::anyhow;
use chrono::{DateTime, Utc};
use entities::{user, user_two_factor as row};
use sea_orm::ConnectionTrait;

use super::{recovery, secret, store};
use crate::{
    audit::{self, Actor, AuditEntry},
    auth::rate_limit,
    db,
    error::ApiError,
    http::client_meta::ClientMeta,
    state::AppState,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accept {
    TotpOnly,
    /// Sign-in and switching 2FA off: the way back in for someone who lost the phone.
    TotpOrRecovery,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    /// A TOTP code of this 30-second step.
    Totp {
        step: i64,
    },
    RecoveryCode,
}

/// Checks `presented` against the user's secret (enabled or pending). For an enabled
/// secret the step is claimed, or the recovery code spent, through `conn`: pass the
/// transaction that acts on success, so a failed action does not burn the code.
pub async fn check(
    conn: &impl ConnectionTrait,
    state: &AppState,
    user: &user::Model,
    secret_row: &row::Model,
    presented: &str,
    accept: Accept,
    now: DateTime<Utc>,
) -> Result<Option<Proof>, ApiError> {
    let compact: String = presented.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() == 6 && compact.bytes().all(|b| b.is_ascii_digit()) {
        let raw = secret::SecretBox::new(&state.keys)
            .open(user.id, &secret_row.secret_sealed)
            .map_err(|err| anyhow!("TOTP secret of user {} does not open: {err}", user.id))?;
        let totp = secret::totp(raw, &user.username)?;
        let Some(step) = secret::matching_step(&totp, &compact, now.timestamp()) else {
            return Ok(None);
        };
        // A pending secret has no history yet: activation records the step.
        if secret_row.is_enabled() && !store::claim_step(conn, user.id, step).await? {
            return Ok(None);
        }
        return Ok(Some(Proof::Totp { step }));
    }
    if accept == Accept::TotpOrRecovery && secret_row.is_enabled() {
        let normalised = recovery::normalise(presented);
        if recovery::looks_like_one(&normalised)
            && recovery::consume(conn, user.id, &normalised, now).await?
        {
            return Ok(Some(Proof::RecoveryCode));
        }
    }
    Ok(None)
}

/// Records a wrong code: one more failure for the login limiter (per username and per
/// IP) and an audit entry saying where it happened — never what was typed.
pub async fn record_failure(
    state: &AppState,
    user: &user::Model,
    during: &str,
    meta: &ClientMeta,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let tx = db::begin_write(&state.db).await?;
    rate_limit::record_failure(&tx, &user.username, meta.ip_or_unknown(), now).await?;
    audit::record(
        &tx,
        now,
        AuditEntry {
            actor: Some(Actor {
                id: user.id,
                name: user.full_name.clone(),
            }),
            action: "auth.two_factor_failed",
            target: Some(("user", user.id.to_string())),
            before: None,
            after: Some(serde_json::json!({ "during": during })),
            meta,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The presented code as the field-level error of the profile's forms (a 401 there
/// would read as a dead session to the client).
pub fn wrong_code() -> ApiError {
    ApiError::validation(
        "code",
        "Mã xác thực không đúng, đã hết hạn hoặc đã được dùng",
    )
}

/// A code of sane shape, or the field error naming it.
pub fn parse_code(field: &str, input: &str) -> Result<String, ApiError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(ApiError::validation(field, "Vui lòng nhập mã xác thực"));
    }
    if trimmed.chars().count() > 40 {
        return Err(ApiError::validation(field, "Mã xác thực quá dài"));
    }
    Ok(trimmed.to_owned())
}
