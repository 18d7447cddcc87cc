//! rinse turns damaged text into clean text: it repairs what went wrong on the way (HTML
//! references, odd spaces, full-width letters, ASCII punctuation inside Chinese sentences,
//! page furniture) and explains every change it makes.
//!
//! ```
//! use rinse::{Cleaner, Config};
//!
//! let cleaner = Cleaner::new(Config::default()).unwrap();
//! let clean = cleaner.clean("原标题:东营市&nbsp;ＡＢＣ\r\n");
//! assert_eq!(clean, "原标题：东营市 ABC\n");
//! ```
//!
//! The pieces: [`Config`] says what to do, [`Cleaner`] holds the rules, [`Document`] streams
//! one document through them, and every [`Change`] names the rule that made it. The rules
//! themselves are in [`rules`], one module each.

pub mod config;
pub mod error;
pub mod io;
pub mod jsonl;
pub mod lm;
pub mod parallel;
pub mod pipeline;
pub mod report;
pub mod rules;
pub mod tables;

pub use config::{BoilerplatePatterns, Config, PunctStyle, ScriptMode};
pub use error::Error;
pub use pipeline::{Change, Cleaner, Document, Line, LineEnding, Sink};
pub use rules::{RuleId, RuleSet};

/// The versions of the data compiled into rinse, as `rinse --version` prints them (one per
/// line). `data/README.md` records where each comes from; a test checks that the two agree.
pub const DATA_VERSIONS: &str = "\
jieba dict.txt 0.42.1 (word frequencies)
OpenCC dictionaries from opencc-python-reimplemented 0.1.7
Unihan and Unicode Character Database 15.0.0
HTML 4.01 entities (W3C, 1999-12-24)";
