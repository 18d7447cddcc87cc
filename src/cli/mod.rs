//! Parts of the command line that are not the plain text filter: JSON Lines input, the
//! `--report` file, diffs, the progress bar, and the completion script and manual page.

pub mod changes_file;
pub mod diff;
pub mod jsonl;
pub mod progress;
pub mod setup;
