//! The progress bar: bytes read, speed and time left, on stderr while rinse reads files.
//!
//! Shown only when stderr is a terminal (never in a pipe or a log), TERM is not `dumb`, no
//! `--explain` lines share stderr, and the files add up to at least [`MIN_BYTES`]: a short
//! run finishes before a bar would say anything. stdin has no known size and is not counted.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Below this much input a run takes well under a second.
pub const MIN_BYTES: u64 = 32 << 20;

/// The bar for a run over `inputs`, or `None` when there should be none.
pub fn bar_for(inputs: &[Option<&Path>], explain: bool, colour: bool) -> Option<ProgressBar> {
    if explain || !std::io::stderr().is_terminal() {
        return None;
    }
    if std::env::var_os("TERM").is_some_and(|term| term == "dumb") {
        return None;
    }
    let total: u64 = inputs
        .iter()
        .flatten()
        .filter_map(|path| std::fs::metadata(path).ok())
        .filter(|meta| meta.is_file())
        .map(|meta| meta.len())
        .sum();
    if total < MIN_BYTES {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(style(colour));
    bar.enable_steady_tick(Duration::from_millis(200));
    Some(bar)
}

fn style(colour: bool) -> ProgressStyle {
    let template = if colour {
        "{msg:.bold} {wide_bar:.cyan/blue} {decimal_bytes}/{decimal_total_bytes} \
         {decimal_bytes_per_sec} ETA {eta}"
    } else {
        "{msg} {wide_bar} {decimal_bytes}/{decimal_total_bytes} {decimal_bytes_per_sec} ETA {eta}"
    };
    ProgressStyle::with_template(template)
        .expect("a valid template")
        .progress_chars("=> ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_templates_parse() {
        // with_template fails on an unknown key; the expect above would panic at run time.
        let _ = style(true);
        let _ = style(false);
    }
}
