//! How often the monitor may speak: one message per distinct alert (route + status,
//! or job) per window and a ceiling on all messages per window. What it holds back is
//! counted and handed to the next message it lets through, so nothing goes unsaid.

use std::collections::{BTreeMap, HashMap, VecDeque};

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub window: Duration,
    /// Messages allowed per window over all keys.
    pub overall: usize,
}

impl Default for Limits {
    /// At most one message per key and ten in all per minute.
    fn default() -> Self {
        Self {
            window: Duration::minutes(1),
            overall: 10,
        }
    }
}

/// Occurrences held back since the last message sent.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Of the alert being sent.
    pub same: u64,
    /// Of other alerts, by key (key order).
    pub others: Vec<(String, u64)>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    Send(Summary),
    Suppress,
}

#[derive(Debug)]
pub struct Limiter {
    limits: Limits,
    last_sent: HashMap<String, DateTime<Utc>>,
    /// Send times within the current window, oldest first.
    recent: VecDeque<DateTime<Utc>>,
    suppressed: BTreeMap<String, u64>,
}

impl Limiter {
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            last_sent: HashMap::new(),
            recent: VecDeque::new(),
            suppressed: BTreeMap::new(),
        }
    }

    /// Decides about one occurrence of `key` at `at`.
    pub fn admit(&mut self, key: &str, at: DateTime<Utc>) -> Decision {
        let window = self.limits.window;
        // A clock stepped backwards counts as a new window rather than a long silence.
        let within = |earlier: DateTime<Utc>| earlier <= at && at - earlier < window;
        while self.recent.front().is_some_and(|t| !within(*t)) {
            self.recent.pop_front();
        }
        self.last_sent.retain(|_, t| within(*t));
        let key_quiet = !self.last_sent.contains_key(key);
        if !key_quiet || self.recent.len() >= self.limits.overall {
            *self.suppressed.entry(key.to_owned()).or_default() += 1;
            return Decision::Suppress;
        }
        self.last_sent.insert(key.to_owned(), at);
        self.recent.push_back(at);
        let mut held = std::mem::take(&mut self.suppressed);
        Decision::Send(Summary {
            same: held.remove(key).unwrap_or(0),
            others: held.into_iter().collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 23, 8, 0, 0)
            .single()
            .expect("time")
    }

    #[test]
    fn one_message_per_key_per_window_and_the_rest_summarised_in_the_next() {
        let mut limiter = Limiter::new(Limits::default());
        assert_eq!(
            limiter.admit("GET /api/audit 500", t0()),
            Decision::Send(Summary::default())
        );
        for i in 1..20 {
            let at = t0() + Duration::seconds(i);
            assert_eq!(limiter.admit("GET /api/audit 500", at), Decision::Suppress);
        }
        let after = t0() + Duration::seconds(61);
        assert_eq!(
            limiter.admit("GET /api/audit 500", after),
            Decision::Send(Summary {
                same: 19,
                others: vec![]
            })
        );
    }

    #[test]
    fn at_most_ten_messages_a_window_over_all_keys() {
        let mut limiter = Limiter::new(Limits::default());
        let sent = (0..15)
            .filter(|i| {
                let key = format!("GET /r{i} 500");
                matches!(limiter.admit(&key, t0()), Decision::Send(_))
            })
            .count();
        assert_eq!(sent, 10);
        let later = t0() + Duration::seconds(60);
        let Decision::Send(summary) = limiter.admit("job backup", later) else {
            panic!("a new window lets a message through");
        };
        assert_eq!(summary.same, 0);
        assert_eq!(
            summary.others,
            (10..15)
                .map(|i| (format!("GET /r{i} 500"), 1))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_shorter_window_from_the_constructor_reopens_sooner() {
        let mut limiter = Limiter::new(Limits {
            window: Duration::milliseconds(200),
            overall: 10,
        });
        assert!(matches!(limiter.admit("k", t0()), Decision::Send(_)));
        assert_eq!(
            limiter.admit("k", t0() + Duration::milliseconds(100)),
            Decision::Suppress
        );
        assert_eq!(
            limiter.admit("k", t0() + Duration::milliseconds(200)),
            Decision::Send(Summary {
                same: 1,
                others: vec![]
            })
        );
    }
}
