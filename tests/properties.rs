//! Property tests over generated text made of the pieces that real damaged pages are made of.
//!
//! - cleaning is idempotent: cleaning clean output changes nothing;
//! - streaming in chunks of any size, or line by line, gives the same output as cleaning the
//!   whole buffer;
//! - arbitrary bytes decode and clean without a panic, into valid UTF-8;
//! - the output is unchanged exactly when no change is reported;
//! - U+FFFD, the mark of lost text, appears or disappears only through a reported change;
//! - any run of paragraphs of the clean corpora (`fixtures/clean/`, `fixtures/adversarial/`)
//!   is a fixed point, but for the lines whose repair is justified in their lists.
//!
//! The whole pipeline on arbitrary bytes is also fuzzed (`fuzz/`, see its README).
//! - replaying the reported changes reproduces the changed lines' count of edits;
//! - cleaning on worker threads gives the output and the changes of one thread, wherever the
//!   batches of lines end.

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
    // Lost text and what mojibake is made of: the count of U+FFFD must be explained.
    "\u{FFFD}",
    "涓�",
    "鏂囧瓧骞�",
    "锟斤拷",
    "Ã©",
    "â€™",
    "ÄãºÃ",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..80).prop_map(|pieces| pieces.concat())
}

/// One cleaner for all cases: building one compiles the boilerplate patterns.
fn cleaner() -> &'static Cleaner {
    static CLEANER: std::sync::OnceLock<Cleaner> = std::sync::OnceLock::new();
    CLEANER.get_or_init(|| Cleaner::new(Config::default()).unwrap())
}

fn fffd(text: &str) -> usize {
    text.matches('\u{FFFD}').count()
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
    // Each case is cheap; 2000 of each take well under a minute in a debug build.
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
        prop_assert_eq!(clean_in_chunks(cleaner, &input, &cuts), whole.clone(), "input {:?}", input);
        // Line by line, each piece ending with its line terminator (as a line-buffered pipe
        // delivers it; a CR LF may still be cut between the two).
        let line_cuts: Vec<usize> = input.split_inclusive('\n').map(str::len).collect();
        prop_assert_eq!(clean_in_chunks(cleaner, &input, &line_cuts), whole, "line by line, input {:?}", input);
    }

    #[test]
    fn replacement_characters_change_only_through_reported_changes(input in text()) {
        let (output, changes) = cleaner().clean_with_changes(&input);
        let removed: usize = changes.iter().map(|c| fffd(&c.before)).sum();
        let added: usize = changes.iter().map(|c| fffd(&c.after)).sum();
        prop_assert_eq!(
            fffd(&output) + removed,
            fffd(&input) + added,
            "input {:?} changes {:?}", input, changes
        );
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
        loop {
            match reader.next_chunk() {
                Ok(Some(chunk)) => document.push_str(chunk, &mut sink).unwrap(),
                Ok(None) => break,
                // Bytes that start like a compressed file are refused with a message, which is
                // the safe result for them (hostile.rs checks the message).
                Err(err) if err.kind() == std::io::ErrorKind::InvalidData => return Ok(()),
                Err(err) => panic!("{err}"),
            }
        }
        document.finish(&mut sink).unwrap();
        // The output is a String, so valid UTF-8 by construction; cleaning it again is stable.
        prop_assert_eq!(cleaner.clean(&sink.text).into_owned(), sink.text.clone());
    }
}

/// Found by the `pipeline` fuzz target (fuzz/regressions/pipeline/crash-3375e2d3…): a run of
/// `Â` (UTF-8 read as windows-1252 many times over) loses a few layers per pass, and the
/// pipeline's cap on rounds per line leaves the rest for a second clean. The first clean gives
/// `ÂÂ‚ÂÂÂÂ¹`, the second `Â¹`.
#[test]
fn idempotence_of_deep_latin_mojibake_layers() {
    let input = format!("ÂÂ\u{201A}{}¹\n", "Â".repeat(20));
    let once = cleaner().clean(&input).into_owned();
    assert_eq!(cleaner().clean(&once), once, "input {input:?}");
}

/// Cleans `text` on a pool of `threads` workers, fed in pieces cut at `cuts`. Each piece ends
/// with [`rinse::Document::catch_up`], so every cut is also the end of a batch of lines.
fn clean_on_threads(
    cleaner: &Cleaner,
    threads: usize,
    text: &str,
    cuts: &[usize],
) -> (String, Vec<rinse::Change>) {
    rinse::parallel::with_line_pool(cleaner, threads, |pool| {
        let mut sink = StringSink::default();
        let mut document = cleaner.document_on(pool);
        let mut start = 0;
        for &cut in cuts {
            let mut end = (start + cut).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            document.push_str(&text[start..end], &mut sink).unwrap();
            document.catch_up(&mut sink).unwrap();
            start = end;
        }
        document.push_str(&text[start..], &mut sink).unwrap();
        document.finish(&mut sink).unwrap();
        (sink.text, sink.changes)
    })
}

proptest! {
    // Each case starts worker threads: fewer cases than above.
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn threads_give_the_output_and_changes_of_one_thread(
        lines in prop::collection::vec(text(), 0..12),
        cuts in prop::collection::vec(1usize..120, 0..20),
        threads in 2usize..4,
    ) {
        // Lines, so that batches hold several and trailing sections span batches.
        let input = lines.join("\n");
        let cleaner = cleaner();
        let one = cleaner.clean_with_changes(&input);
        prop_assert_eq!(clean_on_threads(cleaner, threads, &input, &cuts), one, "input {:?}", input);
    }
}

/// The clean fixtures and the seed, several times over (watermark counts, trailing sections
/// and blank-line runs cross the batches of 256 KiB), on one thread and on three.
#[test]
fn threads_give_the_output_and_changes_of_one_thread_on_the_fixtures() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut paths: Vec<_> = std::fs::read_dir(root.join("clean"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    paths.sort();
    let mut input = String::new();
    for _ in 0..3 {
        input.push_str(&std::fs::read_to_string(root.join("seed/input.txt")).unwrap());
        for path in &paths {
            input.push_str(&std::fs::read_to_string(path).unwrap());
        }
    }
    let cleaner = cleaner();
    let one = cleaner.clean_with_changes(&input);
    assert!(!one.1.is_empty());
    let cuts = vec![65_536; input.len() / 65_536];
    let threads = clean_on_threads(cleaner, 3, &input, &cuts);
    assert!(threads.0 == one.0, "output differs");
    assert!(threads.1 == one.1, "changes differ");
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

/// The paragraphs of every clean-corpus file, by file, with the paragraphs that hold a
/// justified change left out (their repair is the point of the list).
fn clean_paragraphs() -> &'static Vec<(String, Vec<String>)> {
    static PARAGRAPHS: std::sync::OnceLock<Vec<(String, Vec<String>)>> = std::sync::OnceLock::new();
    PARAGRAPHS.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut corpora = Vec::new();
        for dir in ["fixtures/clean", "fixtures/adversarial"] {
            let justified =
                std::fs::read_to_string(root.join(dir).join("justified-changes.txt")).unwrap();
            let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
                .unwrap()
                .map(|entry| entry.unwrap().path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
                .filter(|path| !path.ends_with("justified-changes.txt"))
                .collect();
            files.sort();
            for path in files {
                let name = format!("{dir}/{}", path.file_name().unwrap().to_string_lossy());
                // Line numbers of the justified changes in this file.
                let changed: Vec<usize> = justified
                    .lines()
                    .filter_map(|line| line.strip_prefix(&format!("{name}:")))
                    .filter_map(|rest| rest.split(':').next()?.parse().ok())
                    .collect();
                let text = std::fs::read_to_string(&path).unwrap();
                let mut paragraphs = Vec::new();
                let mut current = String::new();
                let mut first_line = 1;
                for (i, line) in text.split_inclusive('\n').enumerate() {
                    if line.trim().is_empty() {
                        let last_line = i;
                        if !current.is_empty()
                            && !changed
                                .iter()
                                .any(|&n| (first_line..=last_line).contains(&n))
                        {
                            paragraphs.push(std::mem::take(&mut current));
                        }
                        current.clear();
                        first_line = i + 2;
                    } else {
                        current.push_str(line);
                    }
                }
                if !current.is_empty() && !changed.iter().any(|&n| n >= first_line) {
                    paragraphs.push(current);
                }
                corpora.push((name, paragraphs));
            }
        }
        corpora
    })
}

proptest! {
    // Each case cleans up to a dozen real paragraphs with every rule, language model included.
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn runs_of_clean_paragraphs_are_fixed_points(file in any::<prop::sample::Index>(), start in any::<prop::sample::Index>(), len in 1usize..12) {
        let corpora = clean_paragraphs();
        let (name, paragraphs) = &corpora[file.index(corpora.len())];
        prop_assume!(!paragraphs.is_empty());
        let start = start.index(paragraphs.len());
        let end = (start + len).min(paragraphs.len());
        let text = paragraphs[start..end].join("\n");
        let (output, changes) = cleaner().clean_with_changes(&text);
        prop_assert!(changes.is_empty(), "{}, paragraphs {}..{}: {:?}", name, start, end, changes);
        prop_assert_eq!(output, text);
    }
}
