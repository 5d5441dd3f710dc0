//! `ApiJson<T>`: like axum's `Json`, but every rejection uses our error shape and
//! names the offending field in Vietnamese.

use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
    http::header,
};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().starts_with("application/json"));
        if !is_json {
            return Err(ApiError::BadRequest {
                code: "invalid_content_type",
                message: "Yêu cầu phải gửi dữ liệu JSON (Content-Type: application/json)".into(),
                field: None,
            });
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiError::PayloadTooLarge)?;
        parse(&bytes).map(ApiJson)
    }
}

pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::BadRequest {
                code: "malformed_json",
                message: format!(
                    "Dữ liệu JSON không hợp lệ (dòng {}, cột {})",
                    inner.line(),
                    inner.column()
                ),
                field: None,
            };
        }
        let text = inner.to_string();
        if let Some(missing) = backticked(&text, "missing field `") {
            let field = join_path(&path, &missing);
            return ApiError::validation(&field, format!("Thiếu trường bắt buộc \"{field}\""));
        }
        let field = if path == "." { "body".to_owned() } else { path };
        if let Some(unknown) = backticked(&text, "unknown variant `") {
            return ApiError::validation(
                &field,
                format!("Giá trị \"{unknown}\" không hợp lệ cho trường \"{field}\""),
            );
        }
        ApiError::validation(&field, format!("Trường \"{field}\" sai kiểu dữ liệu"))
    })
}

fn backticked(text: &str, prefix: &str) -> Option<String> {
    let start = text.find(prefix)? + prefix.len();
    let len = text[start..].find('`')?;
    Some(text[start..start + len].to_owned())
}

fn join_path(path: &str, leaf: &str) -> String {
    if path == "." || path.is_empty() {
        leaf.to_owned()
    } else {
        format!("{path}.{leaf}")
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Body {
        username: String,
        age: u8,
    }

    fn field_of(json: &str) -> Option<String> {
        match parse::<Body>(json.as_bytes()) {
            Err(ApiError::Validation { field, .. }) => Some(field),
            _ => None,
        }
    }

    #[test]
    fn missing_and_mistyped_fields_are_named() {
        assert_eq!(field_of(r#"{"age":3}"#).as_deref(), Some("username"));
        assert_eq!(
            field_of(r#"{"username":"a","age":"x"}"#).as_deref(),
            Some("age")
        );
    }

    #[test]
    fn broken_json_is_a_bad_request() {
        assert!(matches!(
            parse::<Body>(b"{\"username\":"),
            Err(ApiError::BadRequest {
                code: "malformed_json",
                ..
            })
        ));
    }
}
