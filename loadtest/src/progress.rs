//! Progress of the long phases (opening sockets, creating events, race rounds,
//! reconnecting) as bars on stderr. indicatif draws nothing when stderr is not a
//! terminal, and `--json` hides the bars too, since its runs are read by scripts. A
//! phase whose bar is hidden prints one line when it ends instead, so a log still
//! shows how far a run got.

use indicatif::{ProgressBar, ProgressStyle};

const TEMPLATE: &str = "  {prefix:<12} [{elapsed_precise}] {wide_bar} {pos}/{len} {msg}";

/// Whether bars may be drawn; one per run, copied into the scenarios.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    hidden: bool,
}

impl Progress {
    pub fn new(hidden: bool) -> Self {
        Self { hidden }
    }

    /// A bar of `len` steps named `what` (`sockets`, `contacts`, `rounds` …).
    pub fn phase(self, what: &'static str, len: u64) -> Phase {
        let bar = if self.hidden {
            ProgressBar::hidden()
        } else {
            ProgressBar::new(len)
        };
        let style = ProgressStyle::with_template(TEMPLATE)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(what);
        Phase { bar, what }
    }
}

/// One running phase.
pub struct Phase {
    bar: ProgressBar,
    what: &'static str,
}

impl Phase {
    pub fn inc(&self) {
        self.bar.inc(1);
    }

    /// The text after the counter, e.g. the failures so far.
    pub fn set_message(&self, message: String) {
        self.bar.set_message(message);
    }

    /// Ends the phase with `summary`: on the bar's last line, or as its own line on
    /// stderr when no bar is drawn.
    pub fn finish(&self, summary: &str) {
        if self.bar.is_hidden() {
            eprintln!("  {}: {summary}", self.what);
        } else {
            self.bar.finish_with_message(summary.to_owned());
        }
    }
}
