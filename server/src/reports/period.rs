//! The period a report covers: whole Vietnamese calendar days (UTC+7), and the UTC
//! instants that bound them in queries.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use crate::{
    domain::{self, vietnam_midnight},
    error::ApiError,
};

/// The longest custom period: five years of daily rows is still a small result.
const MAX_DAYS: i64 = 5 * 366;

/// `first` to `last`, both included, on the Vietnamese calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

/// How the new-contact trend is bucketed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    Day,
    Week,
    Month,
}

impl Granularity {
    pub fn code(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
        }
    }

    /// The first day of the bucket `day` falls in.
    pub fn bucket(self, day: NaiveDate) -> NaiveDate {
        match self {
            Self::Day => day,
            Self::Week => monday_of(day),
            Self::Month => day.with_day(1).unwrap_or(day),
        }
    }
}

impl Period {
    /// `period` is `today`, `week`, `month`, `quarter`, `year` (the one containing
    /// `today`) or `custom` with `from` and `to` (`YYYY-MM-DD`); the default is `month`.
    pub fn parse(
        period: Option<&str>,
        from: Option<&str>,
        to: Option<&str>,
        today: NaiveDate,
    ) -> Result<Self, ApiError> {
        let of = |first: Option<NaiveDate>, last: Option<NaiveDate>| match (first, last) {
            (Some(first), Some(last)) => Ok(Self { first, last }),
            _ => Err(ApiError::validation("period", "Kỳ báo cáo không hợp lệ")),
        };
        match period.unwrap_or("month") {
            "today" => Ok(Self {
                first: today,
                last: today,
            }),
            "week" => {
                let first = monday_of(today);
                of(Some(first), first.checked_add_signed(Duration::days(6)))
            }
            "month" => {
                let first = today.with_day(1);
                of(first, first.and_then(|f| end_of_month(f.year(), f.month())))
            }
            "quarter" => {
                let first_month = (today.month0() / 3) * 3 + 1;
                of(
                    NaiveDate::from_ymd_opt(today.year(), first_month, 1),
                    end_of_month(today.year(), first_month + 2),
                )
            }
            "year" => of(
                NaiveDate::from_ymd_opt(today.year(), 1, 1),
                NaiveDate::from_ymd_opt(today.year(), 12, 31),
            ),
            "custom" => {
                let required = |field: &str, raw: Option<&str>, label: &str| {
                    let raw = raw.filter(|r| !r.trim().is_empty()).ok_or_else(|| {
                        ApiError::validation(field, format!("Hãy chọn {}", label.to_lowercase()))
                    })?;
                    domain::date(field, raw, label)
                };
                let first = required("from", from, "Từ ngày")?;
                let last = required("to", to, "Đến ngày")?;
                if last < first {
                    return Err(ApiError::validation(
                        "to",
                        "Đến ngày phải sau hoặc bằng Từ ngày",
                    ));
                }
                if (last - first).num_days() >= MAX_DAYS {
                    return Err(ApiError::validation(
                        "to",
                        "Kỳ báo cáo tùy chọn dài tối đa 5 năm",
                    ));
                }
                Ok(Self { first, last })
            }
            _ => Err(ApiError::validation(
                "period",
                "Kỳ báo cáo phải là today, week, month, quarter, year hoặc custom",
            )),
        }
    }

    /// This week, Monday to Sunday, around `today`.
    pub fn week_of(today: NaiveDate) -> Self {
        let first = monday_of(today);
        Self {
            first,
            last: first + Duration::days(6),
        }
    }

    /// Midnight in Vietnam at the start of `first`.
    pub fn start_utc(&self) -> DateTime<Utc> {
        vietnam_midnight(self.first)
    }

    /// Midnight in Vietnam after `last` (exclusive bound).
    pub fn end_utc(&self) -> DateTime<Utc> {
        vietnam_midnight(self.last + Duration::days(1))
    }

    pub fn days(&self) -> i64 {
        (self.last - self.first).num_days() + 1
    }

    /// Days up to a month, weeks up to half a year, months beyond.
    pub fn granularity(&self) -> Granularity {
        match self.days() {
            ..=31 => Granularity::Day,
            32..=186 => Granularity::Week,
            _ => Granularity::Month,
        }
    }

    /// Every bucket's first day, in order, so empty buckets still show.
    pub fn buckets(&self) -> Vec<NaiveDate> {
        let granularity = self.granularity();
        let mut out: Vec<NaiveDate> = Vec::new();
        let mut day = self.first;
        while day <= self.last {
            let bucket = granularity.bucket(day);
            if out.last() != Some(&bucket) {
                out.push(bucket);
            }
            day += Duration::days(1);
        }
        out
    }
}

fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

fn end_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(next_year, next_month, 1).map(|d| d - Duration::days(1))
}

#[cfg(test)]
mod tests {
    use chrono::Weekday;

    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day")
    }

    fn parse(kind: &str, today: &str) -> Period {
        Period::parse(Some(kind), None, None, day(today)).expect("period")
    }

    #[test]
    fn named_periods_contain_today() {
        // 2026-12-02 is a Wednesday.
        assert_eq!(
            parse("week", "2026-12-02"),
            Period {
                first: day("2026-11-30"),
                last: day("2026-12-06")
            }
        );
        assert_eq!(
            parse("month", "2026-02-14"),
            Period {
                first: day("2026-02-01"),
                last: day("2026-02-28")
            }
        );
        assert_eq!(
            parse("quarter", "2026-11-05"),
            Period {
                first: day("2026-10-01"),
                last: day("2026-12-31")
            }
        );
        assert_eq!(parse("year", "2026-06-01").days(), 365);
        assert_eq!(parse("today", "2026-06-01").days(), 1);
        assert_eq!(
            day("2026-11-30").weekday(),
            Weekday::Mon,
            "weeks start on Monday"
        );
    }

    #[test]
    fn days_begin_at_midnight_in_vietnam() {
        let today = parse("today", "2026-12-02");
        assert_eq!(today.start_utc().to_rfc3339(), "2026-12-01T17:00:00+00:00");
        assert_eq!(today.end_utc().to_rfc3339(), "2026-12-02T17:00:00+00:00");
    }

    #[test]
    fn custom_periods_are_checked_field_by_field() {
        let ok = Period::parse(
            Some("custom"),
            Some("2026-01-01"),
            Some("2026-03-31"),
            day("2026-12-02"),
        )
        .expect("custom");
        assert_eq!(ok.granularity(), Granularity::Week);
        let field = |from, to| match Period::parse(Some("custom"), from, to, day("2026-12-02")) {
            Err(ApiError::Validation { field, .. }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        };
        assert_eq!(field(None, Some("2026-01-01")), "from");
        assert_eq!(field(Some("2026-02-01"), Some("2026-01-01")), "to");
        assert_eq!(field(Some("2026-13-01"), Some("2026-12-01")), "from");
        assert_eq!(field(Some("2020-01-01"), Some("2026-12-01")), "to");
        assert!(matches!(
            Period::parse(Some("decade"), None, None, day("2026-12-02")),
            Err(ApiError::Validation { .. })
        ));
    }

    #[test]
    fn buckets_cover_the_period_including_empty_ones() {
        let month = parse("month", "2026-02-10");
        assert_eq!(month.granularity(), Granularity::Day);
        assert_eq!(month.buckets().len(), 28);
        let quarter = parse("quarter", "2026-11-05");
        let weeks = quarter.buckets();
        assert_eq!(weeks.first(), Some(&day("2026-09-28")), "the Monday before");
        assert!(weeks.iter().all(|w| w.weekday() == Weekday::Mon));
        let year = parse("year", "2026-06-01");
        assert_eq!(year.granularity(), Granularity::Month);
        assert_eq!(year.buckets().len(), 12);
    }
}
