//! Forgotten password (AUTH-003): an emailed, single-use link valid for one hour.
//! The answer is the same whether or not the account exists.

use api_types::{ApiErrorBody, ForgotPasswordRequest, MessageResponse, ResetPasswordRequest};
use axum::{Json, extract::State};
use chrono::Duration;
use entities::{password_reset, user};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter,
    sea_query::Expr,
};

use super::{password, session, token};
use crate::{
    audit::{self, AuditEntry},
    db,
    error::{ApiError, ApiResult},
    http::{client_meta::ClientMeta, json::ApiJson},
    state::AppState,
};

const LINK_LIFETIME: Duration = Duration::hours(1);
const SENT_MESSAGE: &str = "Nếu tài khoản tồn tại và có email, chúng tôi đã gửi hướng dẫn đặt lại mật khẩu. \
     Liên kết có hiệu lực trong 1 giờ.";

/// Request a reset link by username or email.
#[utoipa::path(
    post, path = "/api/auth/password/forgot", tag = "auth",
    request_body = ForgotPasswordRequest,
    responses((status = 200, description = "Always the same answer", body = MessageResponse))
)]
pub async fn forgot(
    State(state): State<AppState>,
    meta: ClientMeta,
    ApiJson(body): ApiJson<ForgotPasswordRequest>,
) -> ApiResult<Json<MessageResponse>> {
    let login = body.login.trim().to_lowercase();
    if login.is_empty() {
        return Err(ApiError::validation(
            "login",
            "Vui lòng nhập tên đăng nhập hoặc email",
        ));
    }
    let found = user::Entity::find()
        .filter(
            Condition::any()
                .add(user::Column::Username.eq(&login))
                .add(user::Column::Email.eq(&login)),
        )
        .one(&state.db)
        .await?;
    let recipient = found.filter(user::Model::is_active).and_then(|u| {
        let email = u.email.clone()?;
        Some((u, email))
    });
    if let Some((user, email)) = recipient {
        let now = state.clock.now();
        let secret = token::generate();
        let tx = db::begin_write(&state.db).await?;
        password_reset::ActiveModel {
            user_id: Set(user.id),
            token_hash: Set(token::digest(&secret)),
            created_at: Set(now),
            expires_at: Set(now + LINK_LIFETIME),
            used_at: Set(None),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        audit::record(
            &tx,
            now,
            AuditEntry {
                actor: None,
                action: "auth.password_reset_requested",
                target: Some(("user", user.id.to_string())),
                before: None,
                after: None,
                meta: &meta,
            },
        )
        .await?;
        tx.commit().await?;
        let link = format!("{}/reset-password?token={secret}", state.config.public_url);
        let mailer = state.mailer.clone();
        // Sent in the background so the answer takes as long for unknown accounts.
        tokio::spawn(async move {
            let body = format!(
                "Xin chào {},\n\nBạn (hoặc ai đó) vừa yêu cầu đặt lại mật khẩu AnKhangCRM.\n\
                 Mở liên kết sau trong vòng 1 giờ để đặt mật khẩu mới:\n\n{link}\n\n\
                 Liên kết chỉ dùng được một lần. Nếu bạn không yêu cầu, hãy bỏ qua email này.\n",
                user.full_name
            );
            if let Err(err) = mailer
                .send(&email, "Đặt lại mật khẩu AnKhangCRM", body)
                .await
            {
                tracing::error!(error = ?err, user_id = user.id, "password reset email failed");
            }
        });
    }
    Ok(Json(MessageResponse {
        message: SENT_MESSAGE.into(),
    }))
}

/// Set a new password with a reset link's token; the link then stops working and
/// every session of the account is signed out.
#[utoipa::path(
    post, path = "/api/auth/password/reset", tag = "auth",
    request_body = ResetPasswordRequest,
    responses(
        (status = 200, body = MessageResponse),
        (status = 400, description = "invalid_reset_token: unknown, used or expired link", body = ApiErrorBody),
        (status = 422, description = "Weak password", body = ApiErrorBody),
    )
)]
pub async fn reset(
    State(state): State<AppState>,
    meta: ClientMeta,
    ApiJson(body): ApiJson<ResetPasswordRequest>,
) -> ApiResult<Json<MessageResponse>> {
    password::check_policy("new_password", &body.new_password)?;
    let invalid = || ApiError::BadRequest {
        code: "invalid_reset_token",
        message: "Liên kết đặt lại mật khẩu không hợp lệ, đã được dùng hoặc đã hết hạn".into(),
        field: Some("token".into()),
    };
    let digest = token::digest(body.token.trim());
    let new_hash = password::hash_blocking(body.new_password).await?;
    let now = state.clock.now();

    let tx = db::begin_write(&state.db).await?;
    let link = password_reset::Entity::find()
        .filter(password_reset::Column::TokenHash.eq(&digest))
        .one(&tx)
        .await?
        .ok_or_else(invalid)?;
    // The conditional update is what makes the link single-use under races.
    let claimed = password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(now))
        .filter(password_reset::Column::Id.eq(link.id))
        .filter(password_reset::Column::UsedAt.is_null())
        .filter(password_reset::Column::ExpiresAt.gt(now))
        .exec(&tx)
        .await?
        .rows_affected;
    if claimed != 1 {
        return Err(invalid());
    }
    let owner = user::Entity::find_by_id(link.user_id)
        .one(&tx)
        .await?
        .filter(user::Model::is_active)
        .ok_or_else(invalid)?;
    user::Entity::update(user::ActiveModel {
        id: Set(owner.id),
        password_hash: Set(new_hash),
        password_changed_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&tx)
    .await?;
    // Other outstanding links of the account die with this one.
    password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(now))
        .filter(password_reset::Column::UserId.eq(owner.id))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(&tx)
        .await?;
    let signed_out = session::revoke_all(&tx, owner.id, None).await?;
    audit::record(
        &tx,
        now,
        AuditEntry {
            actor: Some(audit::Actor {
                id: owner.id,
                name: owner.full_name.clone(),
            }),
            action: "auth.password_reset",
            target: Some(("user", owner.id.to_string())),
            before: None,
            after: Some(serde_json::json!({ "sessions_signed_out": signed_out.len() })),
            meta: &meta,
        },
    )
    .await?;
    tx.commit().await?;
    state.live.sessions_revoked(&signed_out);
    Ok(Json(MessageResponse {
        message: "Đã đặt lại mật khẩu. Vui lòng đăng nhập bằng mật khẩu mới".into(),
    }))
}
