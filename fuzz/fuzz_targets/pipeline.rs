//! The whole pipeline on arbitrary bytes: decode, then clean.
//!
//! - nothing panics, and the output is valid UTF-8 (a `String`);
//! - cleaning the output again changes nothing;
//! - streaming the text in chunks of random sizes gives the same output as one piece;
//! - the output is unchanged exactly when no change is reported;
//! - U+FFFD (a mark of lost text) only appears or disappears through a reported change.

#![no_main]

mod common;

use common::Sizes;
use libfuzzer_sys::fuzz_target;
use rinse::io::DecodedReader;
use rinse::pipeline::StringSink;
use rinse::{Cleaner, Config};
use std::sync::OnceLock;

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| Cleaner::new(Config::default()).expect("default config"))
}

fn fffd(text: &str) -> usize {
    text.matches('\u{FFFD}').count()
}

fuzz_target!(|data: &[u8]| {
    let Some((&seed, bytes)) = data.split_first() else {
        return;
    };
    let mut decoded = DecodedReader::new(bytes, None);
    let mut text = String::new();
    // Reading from memory cannot fail; an error is the refusal of compressed input, which the
    // decode target checks.
    while let Ok(Some(chunk)) = decoded.next_chunk() {
        text.push_str(chunk);
    }
    let cleaner = cleaner();

    let (once, changes) = cleaner.clean_with_changes(&text);
    assert_eq!(once == text, changes.is_empty(), "changes {changes:?}");
    let removed: usize = changes.iter().map(|c| fffd(&c.before)).sum();
    let added: usize = changes.iter().map(|c| fffd(&c.after)).sum();
    assert_eq!(
        fffd(&once) + removed,
        fffd(&text) + added,
        "U+FFFD count changed without a change to explain it: {changes:?}"
    );

    let twice = cleaner.clean(&once);
    assert_eq!(twice, once, "cleaning the output again changed it");

    let mut sizes = Sizes::new(seed);
    let mut sink = StringSink::default();
    let mut document = cleaner.document();
    let mut start = 0;
    while start < text.len() {
        let mut end = (start + sizes.next(1 + usize::from(seed % 32))).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        document
            .push_str(&text[start..end], &mut sink)
            .expect("in-memory sink");
        start = end;
    }
    document.finish(&mut sink).expect("in-memory sink");
    assert_eq!(sink.text, once, "streamed in chunks, the output differs");
});
