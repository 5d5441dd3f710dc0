//! `AuthUser`: the signed-in caller, put in the request by the access guard.

use std::sync::Arc;

use api_types::UserDto;
use axum::{extract::FromRequestParts, http::request::Parts};
use entities::user;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};

use crate::{
    audit::{self, Actor, AuditEntry},
    error::ApiError,
    http::client_meta::ClientMeta,
    permissions::Grants,
};

#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user: user::Model,
    pub session_id: i64,
    pub grants: Arc<Grants>,
    pub meta: ClientMeta,
}

impl AuthUser {
    pub fn actor(&self) -> Actor {
        Actor {
            id: self.user.id,
            name: self.user.full_name.clone(),
        }
    }

    pub fn dto(&self, two_factor_enabled: bool) -> UserDto {
        user_dto(&self.user, &self.grants, two_factor_enabled)
    }

    /// Records what this caller did, inside the transaction `conn` of the change.
    pub async fn audit(
        &self,
        conn: &impl ConnectionTrait,
        now: DateTime<Utc>,
        action: &str,
        target: Option<(&str, String)>,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Result<(), DbErr> {
        audit::record(
            conn,
            now,
            AuditEntry {
                actor: Some(self.actor()),
                action,
                target,
                before,
                after,
                meta: &self.meta,
            },
        )
        .await
    }
}

pub fn user_dto(user: &user::Model, grants: &Grants, two_factor_enabled: bool) -> UserDto {
    UserDto {
        id: user.id,
        username: user.username.clone(),
        full_name: user.full_name.clone(),
        email: user.email.clone(),
        roles: grants.roles.clone(),
        permissions: grants.permissions.iter().cloned().collect(),
        two_factor_enabled,
        two_factor_required: grants.two_factor_required,
    }
}

impl<S: Send + Sync> FromRequestParts<S> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<AuthUser>()
            .cloned()
            .ok_or_else(ApiError::unauthenticated)
    }
}
