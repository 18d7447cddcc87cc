//! The JSON Lines reader and writer on arbitrary bytes.
//!
//! - nothing panics and nothing is lost: with bad records passed through, every input line
//!   gives exactly one output line, and a line that is not a record comes back byte for byte;
//! - a line that changed is a JSON object;
//! - reading the input whole and in dribbles gives the same output;
//! - a small record cap (from the first byte) sends long lines down the streamed path.

#![no_main]

mod common;

use common::{Dribble, Sizes};
use libfuzzer_sys::fuzz_target;
use rinse::jsonl::{clean_jsonl, FieldPath, JsonlOptions, NoObserver};
use rinse::{Cleaner, Config};
use std::io::BufReader;
use std::sync::OnceLock;

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| Cleaner::new(Config::default()).expect("default config"))
}

fn run(options: &JsonlOptions, reader: impl std::io::Read) -> Vec<u8> {
    let mut out = Vec::new();
    let mut input = BufReader::with_capacity(64, reader);
    // Reading from memory and writing to a Vec cannot fail.
    clean_jsonl(cleaner(), options, &mut input, &mut out, &mut NoObserver)
        .unwrap_or_else(|_| panic!("in-memory JSON Lines failed"));
    out
}

/// The lines of `bytes` without their endings (`\n` or `\r\n`), a last line without one
/// included.
fn lines(bytes: &[u8]) -> Vec<&[u8]> {
    let mut lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    if bytes.ends_with(b"\n") || bytes.is_empty() {
        lines.pop();
    }
    lines
        .into_iter()
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Some((&seed, bytes)) = data.split_first() else {
        return;
    };
    // A byte-order mark at the start is removed, as in text mode: keep the check simple.
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return;
    }
    let mut options = JsonlOptions::new(vec![
        FieldPath::parse("text").expect("a plain key"),
        FieldPath::parse("meta.body").expect("a dotted path"),
    ]);
    options.max_record_bytes = 16 + usize::from(seed) * 4;
    let whole = run(&options, bytes);
    let dribbled = run(
        &options,
        Dribble {
            bytes,
            sizes: Sizes::new(seed),
            max: 17,
        },
    );
    assert_eq!(whole, dribbled, "dribbled input gave other output");

    let (input, output) = (lines(bytes), lines(&whole));
    assert_eq!(input.len(), output.len(), "a line was lost or added");
    for (before, after) in input.iter().zip(&output) {
        if before == after {
            continue;
        }
        // Only a record is rewritten, and it is written as a JSON object.
        let value: serde_json::Value =
            serde_json::from_slice(after).expect("a changed line is JSON");
        assert!(value.is_object(), "a changed line is not an object");
    }
});
