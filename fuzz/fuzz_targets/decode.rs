//! The decoder on arbitrary bytes, read whole and in dribbles.
//!
//! - nothing panics; compressed input is refused however it is read, before any text;
//! - the counted replacements were all produced (U+FFFD in the output beyond those that were
//!   in UTF-8 input);
//! - `is_verbatim` is true only when the text is byte for byte the input;
//! - valid UTF-8 without a byte-order mark or NUL bytes comes out unchanged, with nothing
//!   counted as replaced, however it is read;
//! - two readings that settle on the same ASCII-compatible encoding give the same text.

#![no_main]

mod common;

use common::{Dribble, Sizes};
use libfuzzer_sys::fuzz_target;
use rinse::io::DecodedReader;

type Decoded = (String, Option<&'static encoding_rs::Encoding>, bool, u64);

/// Decodes everything; `None` when the input was refused (compressed data).
fn decode(reader: impl std::io::Read) -> Option<Decoded> {
    let mut decoded = DecodedReader::new(reader, None);
    let mut text = String::new();
    loop {
        match decoded.next_chunk() {
            Ok(Some(chunk)) => {
                assert!(!chunk.is_empty(), "an empty chunk before the end");
                text.push_str(chunk);
            }
            Ok(None) => break,
            Err(e) => {
                // Reading from memory cannot fail: the only error is the refusal.
                assert_eq!(e.kind(), std::io::ErrorKind::InvalidData, "{e}");
                assert!(text.is_empty(), "refused after text was passed on");
                return None;
            }
        }
    }
    Some((
        text,
        decoded.encoding(),
        decoded.is_verbatim(),
        decoded.replacements(),
    ))
}

fn fffd(text: &[u8]) -> usize {
    text.windows(3)
        .filter(|w| *w == "\u{FFFD}".as_bytes())
        .count()
}

fuzz_target!(|data: &[u8]| {
    let Some((&seed, bytes)) = data.split_first() else {
        return;
    };
    let whole = decode(bytes);
    let dribbled = decode(Dribble {
        bytes,
        sizes: Sizes::new(seed),
        max: 1 + usize::from(seed % 64),
    });
    let (whole, dribbled) = match (whole, dribbled) {
        (Some(whole), Some(dribbled)) => (whole, dribbled),
        (None, None) => return,
        _ => panic!("refused read whole or read in pieces, not both"),
    };
    for (text, _, verbatim, replaced) in [&whole, &dribbled] {
        assert!(
            *replaced as usize <= fffd(text.as_bytes()),
            "more replacements counted than made"
        );
        if *verbatim {
            assert_eq!(text.as_bytes(), bytes, "called verbatim but differs");
        }
    }
    if std::str::from_utf8(bytes).is_ok()
        && !bytes.starts_with(b"\xEF\xBB\xBF")
        && !bytes.contains(&0)
    {
        assert_eq!(whole.0.as_bytes(), bytes, "valid UTF-8 changed");
        assert_eq!(
            dribbled.0.as_bytes(),
            bytes,
            "valid UTF-8 changed when read in pieces"
        );
        for (_, _, verbatim, replaced) in [&whole, &dribbled] {
            assert_eq!(*replaced, 0, "replacements counted in valid UTF-8");
            assert!(*verbatim, "valid UTF-8 not called verbatim");
        }
    }
    if let (Some(a), Some(b)) = (whole.1, dribbled.1) {
        if a == b && a.is_ascii_compatible() {
            assert_eq!(
                whole.0,
                dribbled.0,
                "same encoding ({}), different text",
                a.name()
            );
        }
    }
});
