//! Parts of the command line that are not the plain text filter: JSON Lines input, diffs, the
//! progress bar, and the completion script and manual page.

pub mod diff;
pub mod jsonl;
pub mod progress;
pub mod setup;
