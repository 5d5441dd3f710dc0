//! Zalo's OA / ZNS API: sending a ZNS template message and reading the OA's name.
//! Zalo answers HTTP 200 with `{"error": 0, …}` on success and a negative code
//! otherwise; a rejected access token (`-124`, or HTTP 401) is refreshed once and the
//! call repeated.

use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value, json};

use super::{Zalo, ZaloError};

/// Zalo's "access token invalid".
const TOKEN_INVALID: i64 = -124;
/// Codes worth retrying later: Zalo's internal error and its rate limit.
const RETRYABLE: &[i64] = &[-1, -32];

/// One ZNS template message.
#[derive(Debug, Clone, PartialEq)]
pub struct ZnsMessage {
    /// `84…` without `+`.
    pub phone: String,
    pub template_id: String,
    pub template_data: Map<String, Value>,
    /// Our delivery id, so Zalo's delivery reports can be matched.
    pub tracking_id: String,
}

/// A Vietnamese number as ZNS wants it: `0912…` or `+84912…` → `84912…`.
pub fn zns_phone(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let national = if let Some(rest) = digits.strip_prefix("84") {
        rest
    } else {
        digits.strip_prefix('0')?
    };
    (8..=10)
        .contains(&national.len())
        .then(|| format!("84{national}"))
}

enum Answer {
    Ok(Value),
    TokenRejected,
}

impl Zalo {
    /// Sends one ZNS message.
    pub async fn send_zns(&self, message: &ZnsMessage) -> Result<(), ZaloError> {
        let body = json!({
            "phone": message.phone,
            "template_id": message.template_id,
            "template_data": message.template_data,
            "tracking_id": message.tracking_id,
        });
        let url = format!("{}/message/template", self.config.api_base);
        self.authorized(|token| {
            self.http
                .post(&url)
                .header("access_token", token)
                .json(&body)
        })
        .await
        .map(|_| ())
    }

    /// The OA's display name (best effort: `None` when Zalo does not say).
    pub async fn oa_name(&self, token: &SecretString) -> Option<String> {
        let url = format!("{}/v2.0/oa/getoa", self.config.api_base);
        let request = self
            .http
            .get(&url)
            .header("access_token", token.expose_secret());
        match call(request).await {
            Ok(Answer::Ok(body)) => body["data"]["name"].as_str().map(str::to_owned),
            _ => None,
        }
    }

    /// Runs the request with the current token; once more with a refreshed one if
    /// Zalo rejects the token.
    async fn authorized(
        &self,
        request: impl Fn(&str) -> reqwest::RequestBuilder,
    ) -> Result<Value, ZaloError> {
        let access = self.access_token().await?;
        match call(request(access.token.expose_secret())).await? {
            Answer::Ok(body) => return Ok(body),
            Answer::TokenRejected => {}
        }
        let fresh = self.refresh(access.version).await?;
        match call(request(fresh.token.expose_secret())).await? {
            Answer::Ok(body) => Ok(body),
            Answer::TokenRejected => Err(ZaloError::Unavailable(
                "Zalo vẫn từ chối token vừa làm mới".into(),
            )),
        }
    }
}

async fn call(request: reqwest::RequestBuilder) -> Result<Answer, ZaloError> {
    let response = request.send().await.map_err(|err| {
        ZaloError::Unavailable(if err.is_timeout() {
            "Zalo không trả lời kịp".into()
        } else {
            "Không kết nối được Zalo".into()
        })
    })?;
    let status = response.status();
    if status == reqwest::StatusCode::UNAUTHORIZED {
        return Ok(Answer::TokenRejected);
    }
    if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        return Err(ZaloError::Unavailable(format!(
            "Zalo trả lời HTTP {}",
            status.as_u16()
        )));
    }
    let body: Value = response
        .json()
        .await
        .map_err(|_| ZaloError::Unavailable("Câu trả lời của Zalo không đọc được".into()))?;
    let code = body["error"].as_i64().unwrap_or(-1);
    let message = body["message"].as_str().unwrap_or("không rõ lý do");
    match code {
        0 => Ok(Answer::Ok(body)),
        TOKEN_INVALID => Ok(Answer::TokenRejected),
        code if RETRYABLE.contains(&code) => Err(ZaloError::Unavailable(format!(
            "Zalo tạm thời từ chối (mã {code}: {message})"
        ))),
        code => Err(ZaloError::Rejected(format!(
            "Zalo từ chối tin nhắn (mã {code}: {message})"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_numbers_become_84_format() {
        assert_eq!(zns_phone("0912 000 111").as_deref(), Some("84912000111"));
        assert_eq!(zns_phone("+84912000111").as_deref(), Some("84912000111"));
        assert_eq!(zns_phone("12345"), None);
    }
}
