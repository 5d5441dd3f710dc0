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

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    #[test]
    fn channels_are_off_by_default_and_secrets_never_printed() {
        let off = InboundConfig::from_env(&|_: &str| None);
        assert!(off.facebook_app_secret.is_none() && off.zalo_oa_secret.is_none());
        let on = InboundConfig::from_env(&|name: &str| match name {
            "ANKHANG_FACEBOOK_APP_SECRET" => Some("fb-secret-value".into()),
            "ANKHANG_ZALO_OA_SECRET" => Some("zalo-secret-value".into()),
            "ANKHANG_ZALO_APP_ID" => Some(" 123 ".into()),
            "ANKHANG_INBOUND_SERVICE_TYPE" => Some("TLDN".into()),
            _ => None,
        });
        assert_eq!(on.zalo_app_id.as_deref(), Some("123"));
        assert_eq!(on.service_type.as_deref(), Some("TLDN"));
        assert_eq!(
            on.facebook_app_secret
                .as_ref()
                .map(|s| s.expose_secret().to_owned()),
            Some("fb-secret-value".to_owned())
        );
        let printed = format!("{on:?}");
        assert!(!printed.contains("fb-secret-value") && !printed.contains("zalo-secret-value"));
    }
}
