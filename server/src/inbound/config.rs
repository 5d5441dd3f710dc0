//! Webhook secrets. A channel whose secrets are unset is off: its webhook answers 404.

use secrecy::SecretString;

#[derive(Debug, Clone, Default)]
pub struct InboundConfig {
    /// `ANKHANG_FACEBOOK_APP_SECRET`: key of the `X-Hub-Signature-256` HMAC.
    pub facebook_app_secret: Option<SecretString>,
    /// `ANKHANG_FACEBOOK_VERIFY_TOKEN`: the token Facebook echoes when subscribing.
    pub facebook_verify_token: Option<SecretString>,
    /// `ANKHANG_ZALO_APP_ID`: the Zalo app, part of the signed string.
    pub zalo_app_id: Option<String>,
    /// `ANKHANG_ZALO_OA_SECRET`: the OA secret key, part of the signed string.
    pub zalo_oa_secret: Option<SecretString>,
    /// `ANKHANG_INBOUND_SERVICE_TYPE`: service type code of contacts created from
    /// messages (default: the first active service type).
    pub service_type: Option<String>,
}

impl InboundConfig {
    pub fn from_env(var: &impl Fn(&str) -> Option<String>) -> Self {
        Self {
            facebook_app_secret: var("ANKHANG_FACEBOOK_APP_SECRET").map(SecretString::from),
            facebook_verify_token: var("ANKHANG_FACEBOOK_VERIFY_TOKEN").map(SecretString::from),
            zalo_app_id: var("ANKHANG_ZALO_APP_ID").map(|v| v.trim().to_owned()),
            zalo_oa_secret: var("ANKHANG_ZALO_OA_SECRET").map(SecretString::from),
            service_type: var("ANKHANG_INBOUND_SERVICE_TYPE").map(|v| v.trim().to_owned()),
        }
    }
}
