//! Coupons: managed with `coupons.manage`, applied to deals with `coupons.use`.

use api_types::{CouponDto, CouponRequest, PersonRef};
use gloo_net::http::Request;

use super::{ApiError, read, send};

/// Every coupon with its assignees.
pub async fn coupons() -> Result<Vec<CouponDto>, ApiError> {
    read(send(Request::get("/api/coupons").build()).await?).await
}

/// The caller's coupons that can be applied today (the deal form's choices).
pub async fn my_coupons() -> Result<Vec<CouponDto>, ApiError> {
    read(send(Request::get("/api/coupons/mine").build()).await?).await
}

/// Active employees a coupon may be assigned to.
pub async fn coupon_assignables() -> Result<Vec<PersonRef>, ApiError> {
    read(send(Request::get("/api/coupons/assignable").build()).await?).await
}

pub async fn coupon(id: i64) -> Result<CouponDto, ApiError> {
    read(send(Request::get(&format!("/api/coupons/{id}")).build()).await?).await
}

pub async fn create_coupon(body: &CouponRequest) -> Result<CouponDto, ApiError> {
    read(send(Request::post("/api/coupons").json(body)).await?).await
}

pub async fn update_coupon(id: i64, body: &CouponRequest) -> Result<CouponDto, ApiError> {
    read(send(Request::put(&format!("/api/coupons/{id}")).json(body)).await?).await
}

/// Refused with 409 `coupon_in_use` once a deal used it.
pub async fn delete_coupon(id: i64) -> Result<(), ApiError> {
    send(Request::delete(&format!("/api/coupons/{id}")).build())
        .await
        .map(drop)
}
