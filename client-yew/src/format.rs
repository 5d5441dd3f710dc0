//! Display formatting for server values.

use crate::text;

/// Vietnam has no daylight saving time, so a fixed offset is exact.
const VIETNAM_OFFSET_MINUTES: i64 = 7 * 60;

/// `2026-11-23T03:04:05Z` → `23/11/2026 10:04` (Asia/Ho_Chi_Minh). Unparseable input is
/// shown as it came rather than hidden.
pub fn datetime(rfc3339: &str) -> String {
    match parse_utc_minutes(rfc3339) {
        Some(minutes) => {
            let local = minutes + VIETNAM_OFFSET_MINUTES;
            let (year, month, day) = civil_from_days(local.div_euclid(1440));
            let minute_of_day = local.rem_euclid(1440);
            format!(
                "{day:02}/{month:02}/{year:04} {:02}:{:02}",
                minute_of_day / 60,
                minute_of_day % 60
            )
        }
        None => rfc3339.to_owned(),
    }
}

/// The UTC instant (RFC 3339) at which the Vietnamese calendar day `2026-11-25` plus
/// `days_after` days begins: how the list's date filters reach the server. `None` for
/// an empty or malformed date, which then filters nothing.
pub fn day_start_utc(date: &str, days_after: i64) -> Option<String> {
    let num = |range: std::ops::Range<usize>| date.get(range)?.parse::<i64>().ok();
    if date.len() != 10 {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let minutes = (days_from_civil(year, month, day) + days_after) * 1440 - VIETNAM_OFFSET_MINUTES;
    let (year, month, day) = civil_from_days(minutes.div_euclid(1440));
    let minute_of_day = minutes.rem_euclid(1440);
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:00Z",
        minute_of_day / 60,
        minute_of_day % 60
    ))
}

/// A calendar day as it is shown: `2026-11-25` → `25/11/2026`. An instant
/// (`2026-11-24T18:00:00Z`) shows its day in Vietnam; anything else is shown as it came.
pub fn date(value: &str) -> String {
    match day_of(value) {
        Some((year, month, day)) => format!("{day:02}/{month:02}/{year:04}"),
        None => value.to_owned(),
    }
}

/// The Vietnamese calendar day (`2026-11-25`, what `<input type="date">` holds) of a
/// day or an instant; `None` when it is neither.
pub fn vietnam_day(value: &str) -> Option<String> {
    day_of(value).map(|(year, month, day)| format!("{year:04}-{month:02}-{day:02}"))
}

/// Today in Vietnam, as `<input type="date">` holds it.
pub fn today() -> String {
    day_at(js_sys::Date::now())
}

/// The Vietnamese calendar day at `epoch_ms` milliseconds after the Unix epoch.
fn day_at(epoch_ms: f64) -> String {
    // Whole minutes fit an f64 exactly for the next few hundred thousand years.
    let minutes = (epoch_ms / 60_000.0).floor() as i64 + VIETNAM_OFFSET_MINUTES;
    let (year, month, day) = civil_from_days(minutes.div_euclid(1440));
    format!("{year:04}-{month:02}-{day:02}")
}

fn day_of(value: &str) -> Option<(i64, i64, i64)> {
    if value.len() > 10 {
        let local = parse_utc_minutes(value)? + VIETNAM_OFFSET_MINUTES;
        return Some(civil_from_days(local.div_euclid(1440)));
    }
    let num = |range: std::ops::Range<usize>| value.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let well_formed = value.len() == 10 && &value[4..5] == "-" && &value[7..8] == "-";
    (well_formed && (1..=12).contains(&month) && (1..=31).contains(&day))
        .then_some((year, month, day))
}

/// `299` → `4:59`, for countdowns.
pub fn minutes_seconds(secs: u64) -> String {
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// Minutes since the Unix epoch, in UTC.
fn parse_utc_minutes(s: &str) -> Option<i64> {
    let num = |range: std::ops::Range<usize>| s.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute) = (num(11..13)?, num(14..16)?);
    // Past the seconds and optional fraction comes `Z` or `±HH:MM`.
    let zone = s
        .get(19..)?
        .trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let offset = match zone {
        "Z" | "z" | "" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let hours = zone.get(1..3)?.parse::<i64>().ok()?;
            let minutes = zone.get(4..6)?.parse::<i64>().ok()?;
            sign * (hours * 60 + minutes)
        }
    };
    Some(days_from_civil(year, month, day) * 1440 + hour * 60 + minute - offset)
}

// Howard Hinnant's civil-calendar algorithms (proleptic Gregorian).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A readable device name ("Chrome trên Windows") from a User-Agent header.
pub fn device(user_agent: Option<&str>) -> String {
    let Some(ua) = user_agent.filter(|ua| !ua.trim().is_empty()) else {
        return text::UNKNOWN.to_owned();
    };
    // Order matters: Edge and Opera also claim Chrome, Chrome also claims Safari.
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .into_iter()
    .find(|(marker, _)| ua.contains(marker))
    .map(|(_, name)| name);
    let os = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(marker, _)| ua.contains(marker))
    .map(|(_, name)| name);
    match (browser, os) {
        (Some(browser), Some(os)) => text::browser_on_os(browser, os),
        (Some(name), None) | (None, Some(name)) => name.to_owned(),
        (None, None) if ua.chars().count() > 40 => {
            format!("{}…", ua.chars().take(40).collect::<String>())
        }
        (None, None) => ua.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_to_vietnam_time() {
        assert_eq!(datetime("2026-11-23T03:04:05Z"), "23/11/2026 10:04");
        assert_eq!(datetime("2026-12-31T20:30:00.123456Z"), "01/01/2027 03:30");
        assert_eq!(datetime("2024-02-28T23:00:00+00:00"), "29/02/2024 06:00");
        assert_eq!(datetime("2026-01-01T07:00:00+07:00"), "01/01/2026 07:00");
        assert_eq!(datetime("garbage"), "garbage");
    }

    #[test]
    fn turns_vietnamese_days_into_utc_instants() {
        assert_eq!(
            day_start_utc("2026-11-25", 0).as_deref(),
            Some("2026-11-24T17:00:00Z")
        );
        assert_eq!(
            day_start_utc("2026-12-31", 1).as_deref(),
            Some("2026-12-31T17:00:00Z")
        );
        assert_eq!(
            day_start_utc("2026-03-01", 0).as_deref(),
            Some("2026-02-28T17:00:00Z")
        );
        assert_eq!(day_start_utc("", 0), None);
        assert_eq!(day_start_utc("2026-13-01", 0), None);
    }

    #[test]
    fn shows_days_the_vietnamese_way() {
        assert_eq!(date("2026-11-25"), "25/11/2026");
        assert_eq!(date("2026-11-24T18:00:00Z"), "25/11/2026");
        assert_eq!(date("2026-11-24T16:59:59Z"), "24/11/2026");
        assert_eq!(date("25/11/2026"), "25/11/2026");
        assert_eq!(date(""), "");
        assert_eq!(
            vietnam_day("2026-12-31T17:30:00Z").as_deref(),
            Some("2027-01-01")
        );
        assert_eq!(vietnam_day("2026-02-03").as_deref(), Some("2026-02-03"));
        assert_eq!(vietnam_day("2026-13-03"), None);
    }

    #[test]
    fn today_turns_at_midnight_in_vietnam() {
        // 2026-11-24T16:59:59.999Z is 23:59:59.999 in Vietnam; a millisecond later it is the 25th.
        let last_ms = 1_795_539_599_999.0;
        assert_eq!(day_at(last_ms), "2026-11-24");
        assert_eq!(day_at(last_ms + 1.0), "2026-11-25");
    }

    #[test]
    fn counts_down_in_minutes() {
        assert_eq!(minutes_seconds(299), "4:59");
        assert_eq!(minutes_seconds(60), "1:00");
        assert_eq!(minutes_seconds(5), "0:05");
    }

    #[test]
    fn names_devices() {
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
                      (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
        assert_eq!(device(Some(chrome)), "Chrome trên Windows");
        assert_eq!(device(None), text::UNKNOWN);
        assert_eq!(device(Some("curl/8.0")), "curl/8.0");
    }
}
