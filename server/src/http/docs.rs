//! The OpenAPI document (generated from the handlers' annotations) and a small
//! self-contained page that renders it for admins and outside testers.

use std::sync::Arc;

use api_types::ApiErrorBody;
use axum::{
    Json, Router,
    http::header,
    response::{Html, IntoResponse},
    routing::get,
};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
};

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "AnKhangCRM API",
        description = "HTTP API of AnKhangCRM. Errors always have the shape ApiErrorBody. \
                       Authenticate with the `ankhang_session` cookie (browser) or \
                       `Authorization: Bearer <token>` from POST /api/auth/login."
    ),
    components(schemas(ApiErrorBody)),
    modifiers(&SessionAuth),
    security(("bearer" = []), ("cookie" = [])),
    tags(
        (name = "auth", description = "Đăng nhập, phiên, mật khẩu"),
        (name = "users", description = "Nhân viên"),
        (name = "roles", description = "Vai trò và phân quyền"),
        (name = "teams", description = "Nhóm"),
        (name = "contacts", description = "Khách hàng, loại dịch vụ, nhận khách (pick)"),
        (name = "audit", description = "Nhật ký hoạt động"),
        (name = "imports", description = "Nhập dữ liệu từ Google Sheets (CSV)"),
        (name = "reports", description = "Tổng quan, báo cáo và xuất dữ liệu"),
        (name = "notifications", description = "Quy tắc thông báo, hàng đợi gửi và hộp thông báo"),
        (name = "system", description = "Hệ thống"),
        (name = "attachments", description = "Tệp đính kèm của khách hàng và hợp đồng"),
        (name = "zalo", description = "Kết nối Zalo OA, mẫu ZNS và gửi tin chăm sóc khách hàng"),
    )
)]
pub struct ApiDoc;

struct SessionAuth;

impl Modify for SessionAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("ankhang_session"))),
        );
    }
}

pub fn router(openapi: utoipa::openapi::OpenApi) -> Router<AppState> {
    let document = Arc::new(openapi);
    Router::new()
        .route(
            "/api/openapi.json",
            get(move || {
                let document = document.clone();
                async move { Json(document.as_ref().clone()) }
            }),
        )
        .route(
            "/api/docs",
            get(|| async { Html(include_str!("docs/index.html")) }),
        )
        .route(
            "/api/docs/docs.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                    include_str!("docs/docs.js"),
                )
                    .into_response()
            }),
        )
        .route(
            "/api/docs/docs.css",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
                    include_str!("docs/docs.css"),
                )
                    .into_response()
            }),
        )
}
