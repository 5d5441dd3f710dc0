//! How long each kind of data is kept (SPEC DATA; SRS 4.13), from the environment.

use std::time::Duration;

use anyhow::bail;
use chrono::{DateTime, Months, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionConfig {
    /// `None`: the policy runs only when an admin asks (`ANKHANG_RETENTION_INTERVAL_HOURS=0`).
    pub interval: Option<Duration>,
    pub audit_months: u32,
    pub inactive_contact_months: u32,
    pub system_log_months: u32,
    pub attachment_months: u32,
    pub won_deal_months: u32,
}

impl Default for RetentionConfig {
    fn default() -> Self {
        Self {
            interval: Some(Duration::from_secs(24 * 3600)),
            audit_months: 5 * 12,
            inactive_contact_months: 2 * 12,
            system_log_months: 12,
            attachment_months: 5 * 12,
            won_deal_months: 10 * 12,
        }
    }
}

/// The cut-off instants of one run: anything older goes.
#[derive(Debug, Clone, Copy)]
pub struct Cutoffs {
    pub audit: DateTime<Utc>,
    pub inactive_contacts: DateTime<Utc>,
    pub system_logs: DateTime<Utc>,
    pub attachments: DateTime<Utc>,
    pub won_deals: DateTime<Utc>,
}

impl RetentionConfig {
    /// The same periods, never run on a timer (tests; a database with its own jobs).
    pub fn manual() -> Self {
        Self {
            interval: None,
            ..Self::default()
        }
    }

    pub fn cutoffs(&self, now: DateTime<Utc>) -> Cutoffs {
        let back = |months: u32| {
            now.checked_sub_months(Months::new(months))
                .unwrap_or(DateTime::<Utc>::MIN_UTC)
        };
        Cutoffs {
            audit: back(self.audit_months),
            inactive_contacts: back(self.inactive_contact_months),
            system_logs: back(self.system_log_months),
            attachments: back(self.attachment_months),
            won_deals: back(self.won_deal_months),
        }
    }

    pub fn from_env(var: &impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let defaults = Self::default();
        let hours = match var("ANKHANG_RETENTION_INTERVAL_HOURS") {
            Some(v) => match v.trim().parse::<u64>() {
                Ok(n) => n,
                Err(_) => bail!(
                    "ANKHANG_RETENTION_INTERVAL_HOURS phải là số giờ giữa hai lần chạy (số nguyên ≥ 0, 0 = chỉ chạy khi quản trị yêu cầu), không phải \"{v}\""
                ),
            },
            None => 24,
        };
        let months = |name: &str, unit_months: u32, default: u32, what: &str| match var(name) {
            None => Ok(default),
            Some(v) => match v.trim().parse::<u32>() {
                Ok(n) if n >= 1 => Ok(n.saturating_mul(unit_months)),
                _ => bail!("{name} phải là {what} (số nguyên ≥ 1), không phải \"{v}\""),
            },
        };
        Ok(Self {
            interval: (hours > 0).then(|| Duration::from_secs(hours * 3600)),
            audit_months: months(
                "ANKHANG_RETENTION_AUDIT_YEARS",
                12,
                defaults.audit_months,
                "số năm giữ nhật ký hoạt động trong cơ sở dữ liệu",
            )?,
            inactive_contact_months: months(
                "ANKHANG_RETENTION_INACTIVE_CONTACT_YEARS",
                12,
                defaults.inactive_contact_months,
                "số năm trước khi ẩn danh khách hàng thất bại/đóng không hoạt động",
            )?,
            system_log_months: months(
                "ANKHANG_RETENTION_SYSTEM_LOG_MONTHS",
                1,
                defaults.system_log_months,
                "số tháng giữ nhật ký hệ thống",
            )?,
            attachment_months: months(
                "ANKHANG_RETENTION_ATTACHMENT_YEARS",
                12,
                defaults.attachment_months,
                "số năm giữ tệp đính kèm",
            )?,
            won_deal_months: months(
                "ANKHANG_RETENTION_WON_DEAL_YEARS",
                12,
                defaults.won_deal_months,
                "số năm giữ hợp đồng đã chốt",
            )?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_come_from_the_environment_in_years_or_months() {
        let env = |name: &str| match name {
            "ANKHANG_RETENTION_AUDIT_YEARS" => Some("7".to_owned()),
            "ANKHANG_RETENTION_SYSTEM_LOG_MONTHS" => Some("6".to_owned()),
            "ANKHANG_RETENTION_INTERVAL_HOURS" => Some("0".to_owned()),
            _ => None,
        };
        let c = RetentionConfig::from_env(&env).expect("config");
        assert_eq!((c.audit_months, c.system_log_months), (84, 6));
        assert_eq!(c.inactive_contact_months, 24);
        assert_eq!(c.interval, None);
        let bad = |name: &str| (name == "ANKHANG_RETENTION_AUDIT_YEARS").then(|| "0".to_owned());
        let err = RetentionConfig::from_env(&bad).expect_err("zero");
        assert!(err.to_string().contains("ANKHANG_RETENTION_AUDIT_YEARS"));
    }
}
