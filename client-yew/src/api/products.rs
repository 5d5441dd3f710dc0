//! Products: listed for every signed-in user (the deal form), managed with
//! `products.manage`.

use api_types::{ProductDto, ProductRequest};
use gloo_net::http::Request;

use super::{ApiError, read, send};

/// Every product, or only those with `status` (`selling` | `stopped`) when it is not empty.
pub async fn products(status: &str) -> Result<Vec<ProductDto>, ApiError> {
    let mut request = Request::get("/api/products");
    if !status.is_empty() {
        request = request.query([("status", status)]);
    }
    read(send(request.build()).await?).await
}

pub async fn create_product(body: &ProductRequest) -> Result<ProductDto, ApiError> {
    read(send(Request::post("/api/products").json(body)).await?).await
}

pub async fn update_product(id: i64, body: &ProductRequest) -> Result<ProductDto, ApiError> {
    read(send(Request::put(&format!("/api/products/{id}")).json(body)).await?).await
}

/// Refused with 409 `product_in_use` once a deal uses it.
pub async fn delete_product(id: i64) -> Result<(), ApiError> {
    send(Request::delete(&format!("/api/products/{id}")).build())
        .await
        .map(drop)
}
