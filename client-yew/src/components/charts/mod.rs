//! Charts drawn as plain SVG components: no chart library in the wasm bundle, colours
//! from the stylesheet (the CSP forbids inline styles), a native tooltip (`<title>`)
//! on every mark.

pub mod columns;
pub mod donut;
pub mod hbars;

/// A "nice" axis maximum at or above `value`: 1, 2 or 5 times a power of ten.
pub fn nice_max(value: i64) -> i64 {
    if value <= 0 {
        return 1;
    }
    let mut step = 1_i64;
    loop {
        for factor in [1, 2, 5] {
            let candidate = step.saturating_mul(factor);
            if candidate >= value {
                return candidate;
            }
        }
        step = step.saturating_mul(10);
    }
}

/// `12 / 40` of `scale`, never dividing by zero.
pub fn share(value: i64, total: i64, scale: f64) -> f64 {
    if total <= 0 {
        0.0
    } else {
        value as f64 / total as f64 * scale
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_maxima_are_round() {
        assert_eq!(nice_max(0), 1);
        assert_eq!(nice_max(3), 5);
        assert_eq!(nice_max(7), 10);
        assert_eq!(nice_max(12), 20);
        assert_eq!(nice_max(3_200_000), 5_000_000);
        assert_eq!(share(1, 4, 100.0), 25.0);
        assert_eq!(share(1, 0, 100.0), 0.0);
    }
}
