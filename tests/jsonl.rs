//! `rinse --jsonl`, run as the real binary.
//!
//! Index:
//! - fields: the default `text`, other and nested fields, non-string and missing fields
//! - what is kept: other fields, key order, record order, untouched records byte for byte,
//!   numbers, unicode escapes, CRLF record endings, the field's missing final newline
//! - each record is one document (the seed page inside a record)
//! - malformed records: passed through (default) or dropped, reported with file and line
//! - over-long records: streamed through without being held
//! - --annotate, --drop-empty
//! - --explain, --stats, --check, --in-place, several files
//! - streaming: a record and its explanation come out while stdin stays open

mod common;

use common::*;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

fn jsonl(flags: &[&str], input: &str) -> std::process::Output {
    run_with_input(rinse().arg("--jsonl").args(flags), input.as_bytes())
}

#[test]
fn cleans_the_text_field_and_keeps_every_other_field_in_order() {
    let output = jsonl(
        &[],
        "{\"z\":1,\"text\":\"你好,世界\",\"a\":[1,\"ＡＢ\"],\"b\":{\"c\":null},\"t\":true}\n",
    );
    assert_ok(&output);
    // Only `text` is cleaned: the full-width letters in "a" stay.
    assert_eq!(
        stdout(&output),
        "{\"z\":1,\"text\":\"你好，世界\",\"a\":[1,\"ＡＢ\"],\"b\":{\"c\":null},\"t\":true}\n"
    );
    assert_eq!(stderr(&output), "");
}

#[test]
fn record_order_is_kept() {
    let input =
        "{\"id\":3,\"text\":\"三,\"}\n{\"id\":1,\"text\":\"一\"}\n{\"id\":2,\"text\":\"二,二\"}\n";
    let output = jsonl(&[], input);
    assert_ok(&output);
    assert_eq!(
        stdout(&output),
        "{\"id\":3,\"text\":\"三，\"}\n{\"id\":1,\"text\":\"一\"}\n{\"id\":2,\"text\":\"二，二\"}\n"
    );
}

#[test]
fn untouched_records_are_written_back_byte_for_byte() {
    // Spaces, escapes and the spelling of numbers would all change if re-serialized.
    let input = "{ \"text\" : \"\\u5e72\\u51c0\\u3002\", \"n\": 1.0E2, \"big\": 123456789012345678901234567890 }\n";
    let output = jsonl(&[], input);
    assert_ok(&output);
    assert_eq!(stdout(&output), input);
}

#[test]
fn numbers_survive_a_changed_record_exactly() {
    let output = jsonl(
        &[],
        "{\"text\":\"你好,世界\",\"price\":1.50,\"id\":123456789012345678901234567890,\"e\":-0.0}\n",
    );
    assert_ok(&output);
    assert_eq!(
        stdout(&output),
        "{\"text\":\"你好，世界\",\"price\":1.50,\"id\":123456789012345678901234567890,\"e\":-0.0}\n"
    );
}

#[test]
fn nested_fields_by_dotted_path() {
    let output = jsonl(
        &["--field", "meta.title", "--field", "body", "--field", "parts.1"],
        "{\"text\":\"不,动\",\"meta\":{\"title\":\"ＡＢＣ\",\"x\":\"ＡＢＣ\"},\"body\":\"好,的\",\"parts\":[\"甲,乙\",\"丙,丁\"]}\n",
    );
    assert_ok(&output);
    // `text` is not cleaned once other fields are named; parts.0 is not named either.
    assert_eq!(
        stdout(&output),
        "{\"text\":\"不,动\",\"meta\":{\"title\":\"ABC\",\"x\":\"ＡＢＣ\"},\"body\":\"好，的\",\"parts\":[\"甲,乙\",\"丙，丁\"]}\n"
    );
}

#[test]
fn a_dot_inside_a_key_is_escaped() {
    let output = jsonl(
        &["--field", "a\\.b"],
        "{\"a.b\":\"你,好\",\"a\":{\"b\":\"你,好\"}}\n",
    );
    assert_ok(&output);
    assert_eq!(
        stdout(&output),
        "{\"a.b\":\"你，好\",\"a\":{\"b\":\"你,好\"}}\n"
    );
}

#[test]
fn bad_field_path_is_a_usage_error() {
    let output = jsonl(&["--field", "meta..title"], "");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "rinse: bad field path 'meta..title': use a key such as text, or a dotted path such as \
         meta.title (write a dot inside a key as \\.)\n"
    );
}

#[test]
fn field_needs_jsonl() {
    let output = run_with_input(rinse().args(["--field", "body"]), b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--jsonl"), "{}", stderr(&output));
}

#[test]
fn non_string_and_missing_fields_are_left_alone() {
    let input = "{\"text\":42}\n{\"text\":null}\n{\"text\":[\"你好,世界\"]}\n{\"text\":{\"x\":\"你好,世界\"}}\n{\"text\":false}\n{\"other\":\"你好,世界\"}\n{}\n";
    let output = jsonl(&["--explain"], input);
    assert_ok(&output);
    assert_eq!(stdout(&output), input);
    assert_eq!(stderr(&output), "");
}

#[test]
fn unicode_escapes_are_read_and_a_changed_record_is_written_as_utf8() {
    let output = jsonl(
        &[],
        "{\"text\":\"\\u4f60\\u597d,\\u4e16\\u754c\",\"emoji\":\"\\ud83d\\ude00\",\"q\":\"\\\"\\\\\\n\"}\n",
    );
    assert_ok(&output);
    assert_eq!(
        stdout(&output),
        "{\"text\":\"你好，世界\",\"emoji\":\"😀\",\"q\":\"\\\"\\\\\\n\"}\n"
    );
}

#[test]
fn crlf_record_endings_are_kept_and_crlf_inside_a_field_is_cleaned() {
    let output = jsonl(
        &[],
        "{\"text\":\"你好,世界\"}\r\n{\"text\":\"ok\"}\r\n{\"text\":\"a\\r\\nb\"}\r\n",
    );
    assert_ok(&output);
    assert_eq!(
        stdout(&output),
        "{\"text\":\"你好，世界\"}\r\n{\"text\":\"ok\"}\r\n{\"text\":\"a\\nb\"}\r\n"
    );
}

#[test]
fn a_last_record_without_newline_gets_one_and_blank_lines_stay() {
    let output = jsonl(&[], "{\"text\":\"a\"}\n\n   \n{\"text\":\"b\"}");
    assert_ok(&output);
    assert_eq!(
        stdout(&output),
        "{\"text\":\"a\"}\n\n   \n{\"text\":\"b\"}\n"
    );
}

#[test]
fn each_record_is_one_document() {
    // The seed page inside a record comes out as the seed's expected text, trailing
    // boilerplate section and all; the input has no final newline, so neither has the field.
    let seed = read_fixture("seed/input.txt");
    let expected = read_fixture("seed/expected.txt");
    assert!(!seed.ends_with('\n'));
    let record = |text: &str| format!("{}\n", serde_json::json!({"id": 7, "text": text}));
    let output = jsonl(&[], &record(&seed));
    assert_ok(&output);
    assert_same_text(
        &stdout(&output),
        &record(expected.strip_suffix('\n').unwrap()),
    );
}

#[test]
fn malformed_records_are_passed_through_and_reported_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.jsonl");
    let input = b"{\"text\":\"\xe4\xbd\xa0\xe5\xa5\xbd,\"}\n{\"text\": \"cut\n[1,2]\n{\"text\":\"\xff\xfe\"}\n\"str\"\n{\"text\":\"\xe5\xa5\xbd\"}\n".to_vec();
    fs::write(&path, &input).unwrap();
    let output = rinse_in(dir.path())
        .args(["--jsonl", "in.jsonl"])
        .output()
        .unwrap();
    assert_ok(&output);
    // The first record is cleaned; every malformed one is written back as it was.
    let cleaned = "{\"text\":\"你好，\"}\n".as_bytes();
    let expected = [
        cleaned,
        b"{\"text\": \"cut\n[1,2]\n{\"text\":\"\xff\xfe\"}\n\"str\"\n{\"text\":\"\xe5\xa5\xbd\"}\n",
    ]
    .concat();
    assert_eq!(output.stdout, expected);
    let messages = stderr(&output);
    let lines: Vec<&str> = messages.lines().collect();
    assert_eq!(lines.len(), 4, "{messages}");
    assert!(
        lines[0].starts_with("rinse: in.jsonl:2: not valid JSON: "),
        "{messages}"
    );
    assert!(
        lines[0].ends_with("; passed through unchanged"),
        "{messages}"
    );
    assert_eq!(
        lines[1],
        "rinse: in.jsonl:3: not a JSON object but an array; passed through unchanged"
    );
    assert!(
        lines[2].starts_with("rinse: in.jsonl:4: not valid JSON: "),
        "{messages}"
    );
    assert_eq!(
        lines[3],
        "rinse: in.jsonl:5: not a JSON object but a string; passed through unchanged"
    );
}

#[test]
fn a_record_with_a_duplicate_key_is_passed_through_whole() {
    // Parsing keeps one value per key; cleaning and writing back would lose the other.
    let input = "{\"text\":\"你好,\",\"text\":\"世界,\"}\n";
    let output = jsonl(&[], input);
    // The parser's columns count bytes: the second "text" ends at byte 24.
    assert_ok(&output);
    assert_eq!(stdout(&output), input);
    assert_eq!(
        stderr(&output),
        "rinse: -:1: duplicate key \"text\", which rewriting the record would lose at column \
         24; passed through unchanged\n"
    );
}

#[test]
fn malformed_records_can_be_dropped() {
    let output = jsonl(
        &["--on-bad-record", "drop", "--stats"],
        "{\"id\":1}\n{oops}\n{\"id\":2}\n",
    );
    assert_ok(&output);
    assert_eq!(stdout(&output), "{\"id\":1}\n{\"id\":2}\n");
    let messages = stderr(&output);
    assert!(
        messages.starts_with("rinse: -:2: not valid JSON: "),
        "{messages}"
    );
    assert!(
        messages.contains("; dropped (--on-bad-record drop)\n"),
        "{messages}"
    );
    assert!(
        messages
            .contains("records: 3 read, 0 changed, 0 dropped as empty, 1 malformed (1 dropped)\n"),
        "{messages}"
    );
}

#[test]
fn many_malformed_records_are_summarised_after_twenty() {
    let input = "x\n".repeat(25);
    let output = jsonl(&[], &input);
    assert_ok(&output);
    assert_eq!(stdout(&output), input);
    let messages = stderr(&output);
    assert_eq!(messages.lines().count(), 21, "{messages}");
    assert!(messages
        .lines()
        .nth(19)
        .unwrap()
        .starts_with("rinse: -:20: "));
    assert_eq!(
        messages.lines().last().unwrap(),
        "rinse: -: 25 malformed records in all, the first 20 shown above; --report FILE lists every one"
    );
}

#[test]
fn a_record_over_64_mib_streams_through_unparsed() {
    let big = format!("{{\"text\":\"{}\"}}\n", "ａ".repeat(23 << 20));
    assert!(big.len() > 64 << 20);
    let input = format!("{{\"text\":\"ａ\"}}\n{big}{{\"text\":\"ｂ\"}}\n");
    let output = jsonl(&[], &input);
    assert_ok(&output);
    // The records on either side are still cleaned; the big one is passed through as it was.
    assert!(output.stdout == format!("{{\"text\":\"a\"}}\n{big}{{\"text\":\"b\"}}\n").as_bytes());
    assert_eq!(
        stderr(&output),
        "rinse: -:2: record longer than 67108864 bytes, not parsed; passed through unchanged\n"
    );
    let output = jsonl(&["--on-bad-record", "drop"], &input);
    assert!(output.stdout == b"{\"text\":\"a\"}\n{\"text\":\"b\"}\n");
}

#[test]
fn annotate_adds_counts_per_rule_and_damage_left() {
    let output = jsonl(
        &["--annotate"],
        "{\"text\":\"你好,世界;好ＡＢ\"}\n{\"text\":\"干净。\"}\n{\"text\":\"x \u{fffd} y\",\"rinse\":\"old\"}\n{\"n\":1}\n",
    );
    assert_ok(&output);
    assert_eq!(
        stdout(&output),
        "{\"text\":\"你好，世界；好AB\",\"rinse\":{\"changes\":{\"width\":1,\"punct\":2},\"replacement_chars\":0}}\n\
         {\"text\":\"干净。\",\"rinse\":{\"changes\":{},\"replacement_chars\":0}}\n\
         {\"text\":\"x \u{fffd} y\",\"rinse\":{\"changes\":{},\"replacement_chars\":1}}\n\
         {\"n\":1,\"rinse\":{\"changes\":{},\"replacement_chars\":0}}\n"
    );
}

#[test]
fn annotate_takes_a_key() {
    let output = jsonl(&["--annotate=_clean"], "{\"text\":\"你好,\"}\n");
    assert_ok(&output);
    assert_eq!(
        stdout(&output),
        "{\"text\":\"你好，\",\"_clean\":{\"changes\":{\"punct\":1},\"replacement_chars\":0}}\n"
    );
}

#[test]
fn drop_empty_drops_records_whose_text_is_empty_after_cleaning() {
    let input = "{\"id\":1,\"text\":\"  \\t \"}\n{\"id\":2,\"text\":\"\"}\n{\"id\":3,\"text\":\"内容\"}\n{\"id\":4}\n{\"id\":5,\"text\":7}\n{\"id\":6,\"text\":\"\\u200b\\n\\n\"}\n";
    let output = jsonl(&["--drop-empty", "--stats"], input);
    assert_ok(&output);
    // A record without the field as a string had no text to judge, and is kept.
    assert_eq!(
        stdout(&output),
        "{\"id\":3,\"text\":\"内容\"}\n{\"id\":4}\n{\"id\":5,\"text\":7}\n"
    );
    assert!(
        stderr(&output)
            .contains("records: 6 read, 0 changed, 3 dropped as empty, 0 malformed (0 dropped)"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn explain_gives_record_line_field_and_place_in_the_field() {
    let output = jsonl(
        &["--explain", "--field", "a", "--field", "b"],
        "{\"a\":\"干净\"}\n{\"b\":\"一\\n二,三\",\"a\":\"ＡＢ\"}\n",
    );
    assert_ok(&output);
    assert_eq!(
        stderr(&output),
        "-:2 a:1:1 width 'ＡＢ' → 'AB' (full-width letters and digits)\n\
         -:2 b:2:2 punct ',' → '，' (ASCII comma in Chinese text)\n"
    );
}

#[test]
fn check_lists_files_with_changed_records() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("clean.jsonl"), "{\"text\":\"干净。\"}\n").unwrap();
    fs::write(dir.path().join("dirty.jsonl"), "{\"text\":\"你好,\"}\n").unwrap();
    fs::write(dir.path().join("bad.jsonl"), "{\n").unwrap();
    let output = rinse_in(dir.path())
        .args([
            "--jsonl",
            "--check",
            "clean.jsonl",
            "dirty.jsonl",
            "bad.jsonl",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    // A malformed record passed through changes nothing.
    assert_eq!(stdout(&output), "dirty.jsonl\n");
    let output = rinse_in(dir.path())
        .args([
            "--jsonl",
            "--check",
            "--on-bad-record",
            "drop",
            "clean.jsonl",
            "bad.jsonl",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "bad.jsonl\n");
}

#[test]
fn in_place_rewrites_changed_files_only() {
    let dir = tempfile::tempdir().unwrap();
    let dirty = dir.path().join("dirty.jsonl");
    let clean = dir.path().join("clean.jsonl");
    fs::write(&dirty, "{\"text\":\"你好,\"}\n").unwrap();
    fs::write(&clean, "{\"text\":\"好。\"}\n").unwrap();
    let before = fs::metadata(&clean).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let output = rinse_in(dir.path())
        .args(["--jsonl", "--in-place", "dirty.jsonl", "clean.jsonl"])
        .output()
        .unwrap();
    assert_ok(&output);
    assert_eq!(
        fs::read_to_string(&dirty).unwrap(),
        "{\"text\":\"你好，\"}\n"
    );
    assert_eq!(fs::metadata(&clean).unwrap().modified().unwrap(), before);
}

#[test]
fn records_of_several_files_never_run_together() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.jsonl"), "{\"id\":1}").unwrap();
    fs::write(dir.path().join("b.jsonl"), "{\"id\":2}\n").unwrap();
    let output = rinse_in(dir.path())
        .args(["--jsonl", "a.jsonl", "b.jsonl"])
        .output()
        .unwrap();
    assert_ok(&output);
    assert_eq!(stdout(&output), "{\"id\":1}\n{\"id\":2}\n");
}

/// Writes `first` to a `rinse --jsonl` whose stdin stays open and returns the first line
/// that shows up on stdout and on stderr, each `None` if nothing came within 20 seconds.
fn first_lines_while_stdin_stays_open(
    flags: &[&str],
    first: &str,
) -> (Option<String>, Option<String>) {
    let mut child = rinse()
        .arg("--jsonl")
        .args(flags)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(first.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let first_line = |stream: Box<dyn Read + Send>| {
        let (send, receive) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stream).read_line(&mut line);
            let _ = send.send(line);
        });
        receive
    };
    let out = first_line(Box::new(child.stdout.take().unwrap()));
    let err = first_line(Box::new(child.stderr.take().unwrap()));
    let out = out.recv_timeout(Duration::from_secs(20)).ok();
    let err = err.recv_timeout(Duration::from_secs(20)).ok();
    drop(stdin);
    let _ = child.kill();
    let _ = child.wait();
    (out, err)
}

#[test]
fn a_record_and_its_explanation_come_out_while_stdin_stays_open() {
    // `tail -f log.jsonl | rinse --jsonl`: a record must not wait for the end of the input.
    let (out, err) =
        first_lines_while_stdin_stays_open(&["--explain"], "{\"text\":\"你好,世界\"}\n");
    assert_eq!(out.as_deref(), Some("{\"text\":\"你好，世界\"}\n"));
    assert_eq!(
        err.as_deref(),
        Some("-:1 text:1:3 punct ',' → '，' (ASCII comma in Chinese text)\n")
    );
}

#[test]
fn threads_give_the_records_explanations_reports_and_stats_of_one_thread() {
    // Several batches' worth of records (a batch is about 256 KiB), with everything that takes
    // a path of its own: a byte-order mark, blank lines, CRLF endings, malformed records,
    // records that need no change and records that empty out.
    let seed = read_fixture("seed/input.txt");
    let mut input = String::from("\u{feff}");
    for n in 0..1200 {
        let piece: String = seed.chars().take(200 + n * 7 % 900).collect();
        let text = serde_json::to_string(&piece).unwrap();
        match n % 9 {
            0 => input.push_str("{\"id\": 1, \"text\": \"未闭合\n"),
            1 => input.push('\n'),
            2 => input.push_str("{\"text\":\"干净。\"}\r\n"),
            3 => input.push_str("{\"text\":\"分享到：微信 微博 QQ空间\",\"n\":1}\n"),
            _ => input.push_str(&format!("{{\"id\":{n},\"text\":{text}}}\n")),
        }
    }
    assert!(input.len() > 4 * (256 << 10), "{}", input.len());
    let dir = tempfile::tempdir().unwrap();
    let run = |threads: &str| {
        let report = dir.path().join(format!("report{threads}.jsonl"));
        let output = run_with_input(
            rinse()
                .args(["--jsonl", threads, "--explain", "--stats", "--drop-empty"])
                .arg("--report")
                .arg(&report),
            input.as_bytes(),
        );
        assert_ok(&output);
        let err = stderr(&output);
        (output.stdout, err, fs::read(&report).unwrap())
    };
    let one = run("-j1");
    assert!(
        one.1
            .contains("records: 1066 read, 665 changed, 133 dropped as empty, 134 malformed"),
        "{}",
        one.1
    );
    for threads in ["-j2", "-j4"] {
        let many = run(threads);
        assert!(many.0 == one.0, "{threads}: the records differ");
        assert_eq!(many.1, one.1, "{threads}: --explain or --stats differ");
        assert!(many.2 == one.2, "{threads}: the reports differ");
    }
}
