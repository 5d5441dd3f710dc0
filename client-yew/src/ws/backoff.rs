//! The wait between reconnect attempts.

use std::time::Duration;

const FIRST_RETRY: Duration = Duration::from_secs(1);
const MAX_RETRY: Duration = Duration::from_secs(30);

/// Waits between reconnect attempts: 1 s doubling up to 30 s.
#[derive(Debug)]
pub struct Backoff {
    step: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self { step: FIRST_RETRY }
    }
}

impl Backoff {
    /// The current step ±20 % (`random` in [0, 1)), so the many clients a server restart
    /// cuts off together do not all come back in the same instant.
    pub fn next_delay(&mut self, random: f64) -> Duration {
        let step = self.step;
        self.step = (step * 2).min(MAX_RETRY);
        step.mul_f64(0.8 + 0.4 * random.clamp(0.0, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_the_cap() {
        let mut backoff = Backoff::default();
        let steps: Vec<u64> = (0..7).map(|_| backoff.next_delay(0.5).as_secs()).collect();
        assert_eq!(steps, [1, 2, 4, 8, 16, 30, 30]);
        let mut backoff = Backoff::default();
        assert_eq!(backoff.next_delay(0.0), Duration::from_millis(800));
        assert_eq!(backoff.next_delay(1.0), Duration::from_millis(2400));
    }
}
