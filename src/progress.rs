//! Progress shown on standard error while a long command runs: a bar where the amount of work
//! is known, a spinner with the elapsed time where it is not. Nothing is drawn when standard
//! error is not a terminal (scripts, CI, pipes), so their output stays as it was.

use indicatif::{ProgressBar, ProgressStyle};
use std::time::Duration;

/// A bar over `len` steps, labelled with what is being done.
pub fn bar(len: u64, what: &str) -> ProgressBar {
    let pb = ProgressBar::new(len);
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed}, about {eta} left)")
    {
        pb.set_style(style.progress_chars("=> "));
    }
    pb.set_message(what.to_string());
    pb
}

/// A spinner for work of unknown length; it turns on its own until finished.
pub fn spinner(what: &str) -> ProgressBar {
    let pb = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        pb.set_style(style);
    }
    pb.set_message(what.to_string());
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}
