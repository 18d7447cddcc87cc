//! Integration tests that run the real `rinse` binary.
//!
//! Index:
//! - seed document: output, idempotence, GBK twin, UTF-16 twin
//! - flags: --explain, --stats, --check, --in-place, -o, --only/--skip, --config, --encoding,
//!   --list-rules, --punct
//! - exit codes and error messages (asserted word for word)
//! - streams: broken pipe, random bytes, a long line, CRLF input
//! - -j/--threads: the output, --explain and --stats of one thread

mod common;

use common::*;
use std::fs;

fn rinse_file(path: &std::path::Path, flags: &[&str]) -> std::process::Output {
    rinse().args(flags).arg(path).output().unwrap()
}

#[test]
fn seed_matches_expected() {
    let output = rinse_file(&fixture("seed/input.txt"), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_same_text(&stdout(&output), &read_fixture("seed/expected.txt"));
}

#[test]
fn seed_without_glyph_repair_matches_expected() {
    let output = rinse_file(&fixture("seed/input.txt"), &["--skip", "glyphs"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_same_text(
        &stdout(&output),
        &read_fixture("seed/expected-no-glyphs.txt"),
    );
}

#[test]
fn seed_output_is_a_fixed_point() {
    let output = rinse_file(&fixture("seed/expected.txt"), &["--check"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(stdout(&output), "");
    let output = rinse_file(
        &fixture("seed/expected-no-glyphs.txt"),
        &["--check", "--skip", "glyphs"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(stdout(&output), "");
}

#[test]
fn gbk_twin_of_the_seed_gives_the_same_output() {
    let seed = read_fixture("seed/input.txt");
    // GBK has no NBSP: the encoder writes the seed's one NBSP as `&#160;`, as a browser
    // submitting a form would, and the `entities` rule reads it back.
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&seed);
    assert!(unmappable);
    let output = run_with_input(&mut rinse(), &gbk);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_same_text(&stdout(&output), &read_fixture("seed/expected.txt"));
}

#[test]
fn utf16_twin_with_bom_gives_the_same_output() {
    let seed = read_fixture("seed/input.txt");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(seed.encode_utf16().flat_map(u16::to_le_bytes));
    let output = run_with_input(&mut rinse(), &bytes);
    assert_same_text(&stdout(&output), &read_fixture("seed/expected.txt"));
}

#[test]
fn explain_prints_one_line_per_change_and_keeps_stdout_clean() {
    let output = run_with_input(
        rinse().arg("--explain"),
        "第一行\n你好,世界\u{200b}  \r\n".as_bytes(),
    );
    assert!(output.status.success());
    assert_eq!(stdout(&output), "第一行\n你好，世界\n");
    let explained = stderr(&output);
    let lines: Vec<&str> = explained.lines().collect();
    assert_eq!(
        lines,
        vec![
            "-:2:6 unicode '\\u{200b}' → '' (zero-width space)",
            "-:2:3 punct ',' → '，' (ASCII comma in Chinese text)",
            "-:2:7 layout '  ' → '' (trailing whitespace)",
            "-:2:9 layout '\\r\\n' → '\\n' (CRLF line ending)",
        ],
        "{explained}"
    );
}

#[test]
fn explain_names_the_file_and_dropped_lines() {
    let output = rinse_file(&fixture("seed/input.txt"), &["--explain"]);
    let explained = stderr(&output);
    assert!(
        explained.contains("seed/input.txt:3:4 punct ':' → '：'"),
        "{explained}"
    );
    assert!(
        explained.contains(":73:1 boilerplate '参考资料' → ''"),
        "{explained}"
    );
}

#[test]
fn stats_count_changes_per_rule() {
    let output = run_with_input(rinse().arg("--stats"), "你好,世界;\n\n\n\nabc".as_bytes());
    assert_eq!(stdout(&output), "你好，世界；\n\nabc\n");
    let stats = stderr(&output);
    assert!(stats.contains("files: 1 read, 1 changed"), "{stats}");
    assert!(stats.contains("changes: 5"), "{stats}");
    assert!(stats.contains("  punct        2"), "{stats}");
    assert!(stats.contains("  layout       3"), "{stats}");
    assert!(
        stats.contains("undecodable bytes replaced by U+FFFD: 0"),
        "{stats}"
    );
}

#[test]
fn stats_count_undecodable_bytes() {
    let mut bytes = "中文内容。".repeat(50).into_bytes();
    bytes.extend_from_slice(b"\xff\xfe\n");
    let output = run_with_input(rinse().arg("--stats"), &bytes);
    assert!(
        stderr(&output).contains("undecodable bytes replaced by U+FFFD: 2"),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).ends_with("\u{FFFD}\u{FFFD}\n"));
}

#[test]
fn check_lists_files_that_would_change_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("dirty.txt"), "你好,世界\n").unwrap();
    fs::write(dir.path().join("clean.txt"), "你好，世界\n").unwrap();
    let output = rinse_in(dir.path())
        .args(["--check", "dirty.txt", "clean.txt"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "dirty.txt\n");
    assert_eq!(stderr(&output), "");
    let output = rinse_in(dir.path())
        .args(["--check", "clean.txt"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "");
}

#[test]
fn check_counts_transcoding_as_a_change() {
    let (gbk, _, _) = encoding_rs::GBK.encode("这是一段用国标码保存的中文文本。\n");
    let output = run_with_input(rinse().arg("--check"), &gbk);
    assert_eq!(output.status.code(), Some(1));
}

#[cfg(unix)]
#[test]
fn in_place_rewrites_changed_files_keeps_permissions_and_leaves_clean_ones() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let dirty = dir.path().join("dirty.txt");
    let clean = dir.path().join("clean.txt");
    fs::write(&dirty, "你好,世界\r\n").unwrap();
    fs::set_permissions(&dirty, fs::Permissions::from_mode(0o640)).unwrap();
    fs::write(&clean, "你好，世界\n").unwrap();
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
    fs::File::options()
        .write(true)
        .open(&clean)
        .unwrap()
        .set_modified(old)
        .unwrap();

    let output = rinse_in(dir.path())
        .args(["--in-place", "dirty.txt", "clean.txt"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "");
    assert_eq!(fs::read_to_string(&dirty).unwrap(), "你好，世界\n");
    assert_eq!(
        fs::metadata(&dirty).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert_eq!(
        fs::metadata(&clean).unwrap().modified().unwrap(),
        old,
        "clean file untouched"
    );
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no temporary files left"
    );
}

#[test]
fn in_place_refuses_stdin() {
    let output = run_with_input(rinse().arg("--in-place"), b"x");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "rinse: --in-place rewrites files; it cannot rewrite stdin. Name the files to rewrite\n"
    );
}

#[test]
fn in_place_error_leaves_the_original_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "你好,世界\n").unwrap();
    let output = rinse_in(dir.path())
        .args(["--in-place", "missing.txt", "a.txt"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(stderr(&output), "rinse: missing.txt: no such file\n");
    assert_eq!(
        fs::read_to_string(dir.path().join("a.txt")).unwrap(),
        "你好，世界\n"
    );
}

#[test]
fn output_file_gets_all_documents() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "一,二\n").unwrap();
    fs::write(dir.path().join("b.txt"), "三,四").unwrap();
    let output = rinse_in(dir.path())
        .args(["-o", "out.txt", "a.txt", "b.txt"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        fs::read_to_string(dir.path().join("out.txt")).unwrap(),
        "一，二\n三，四\n"
    );
}

#[test]
fn missing_file_is_reported_and_the_rest_is_cleaned() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "好,的\n").unwrap();
    let output = rinse_in(dir.path())
        .args(["nope.txt", "a.txt"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(stderr(&output), "rinse: nope.txt: no such file\n");
    assert_eq!(stdout(&output), "好，的\n");
}

#[test]
fn directory_argument_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("sub")).unwrap();
    let output = rinse_in(dir.path()).arg("sub").output().unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        stderr(&output),
        "rinse: sub: is a directory; pass the files inside it\n"
    );
}

#[test]
fn only_and_skip_choose_rules() {
    let input = "你好,世界  \n".as_bytes();
    assert_eq!(
        stdout(&run_with_input(rinse().args(["--only", "layout"]), input)),
        "你好,世界\n"
    );
    assert_eq!(
        stdout(&run_with_input(rinse().args(["--skip", "layout"]), input)),
        "你好，世界  \n"
    );
}

#[test]
fn unknown_rule_is_a_usage_error() {
    let output = run_with_input(rinse().args(["--skip", "glpyhs"]), b"");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "rinse: unknown rule 'glpyhs'; the rules are: entities, mojibake, unicode, width, glyphs, punct, boilerplate, layout\n"
    );
}

#[test]
fn unknown_encoding_is_a_usage_error() {
    let output = run_with_input(rinse().args(["--encoding", "klingon"]), b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).starts_with("rinse: unknown encoding 'klingon'; use a label such as"));
}

#[test]
fn encoding_flag_overrides_detection() {
    let (big5, _, _) = encoding_rs::BIG5.encode("臺灣的天氣很好。\n");
    let output = run_with_input(rinse().args(["--encoding", "big5"]), &big5);
    assert_eq!(stdout(&output), "臺灣的天氣很好。\n");
}

#[test]
fn config_file_sets_rules_and_user_boilerplate() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("rinse.toml"),
        "[rules]\nlayout = false\n[punct]\nstyle = \"ascii\"\n[boilerplate]\ndrop = ['^本文由.{1,10}整理$']\n",
    )
    .unwrap();
    fs::write(dir.path().join("a.txt"), "正文，内容。\n本文由小编整理\n").unwrap();
    let output = rinse_in(dir.path())
        .args(["--config", "rinse.toml", "a.txt"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "正文,内容.\n");
}

#[test]
fn bad_config_is_a_usage_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("bad.toml"),
        "[rules]\npunctuation = false\n",
    )
    .unwrap();
    let output = rinse_in(dir.path())
        .args(["--config", "bad.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "rinse: bad.toml: unknown rule 'punctuation'; the rules are: entities, mojibake, unicode, width, glyphs, punct, boilerplate, layout\n"
    );
    let output = rinse_in(dir.path())
        .args(["--config", "missing.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(stderr(&output), "rinse: missing.toml: no such file\n");
}

#[test]
fn list_rules_names_every_rule_in_order() {
    let output = rinse().arg("--list-rules").output().unwrap();
    let names: Vec<String> = stdout(&output)
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "entities",
            "mojibake",
            "unicode",
            "width",
            "glyphs",
            "punct",
            "boilerplate",
            "layout"
        ]
    );
}

#[test]
fn punct_flag_selects_style() {
    let input = "你好,世界。\n".as_bytes();
    assert_eq!(
        stdout(&run_with_input(rinse().args(["--punct", "keep"]), input)),
        "你好,世界。\n"
    );
    assert_eq!(
        stdout(&run_with_input(rinse().args(["--punct", "ascii"]), input)),
        "你好,世界.\n"
    );
}

#[test]
fn broken_pipe_is_not_an_error() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    fs::write(&big, "这是一行中文,后面还有很多行。\n".repeat(400_000)).unwrap();
    let mut child = rinse_in(dir.path())
        .arg("big.txt")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here, as `head -1` exits.
    let output = child.wait_with_output().unwrap();
    assert_eq!(first, "这是一行中文，后面还有很多行。\n");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stderr(&output), "");
}

#[test]
fn random_bytes_give_valid_utf8_and_no_panic() {
    // A fixed xorshift stream stands in for /dev/urandom, so a failure can be replayed.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..3_000_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    let output = run_with_input(&mut rinse(), &bytes);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(std::str::from_utf8(&output.stdout).is_ok());
    assert!(
        stderr(&output).contains("binary data (NUL byte at offset"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_line_longer_than_the_cap_is_kept_whole() {
    let line = "长句子没有换行，".repeat(300_000); // ~7 MB, several times the line cap
    let output = run_with_input(&mut rinse(), line.as_bytes());
    assert!(output.status.success());
    assert_eq!(output.stdout.len(), line.len() + 1);
    assert_same_text(&stdout(&output), &format!("{line}\n"));
}

#[test]
fn crlf_and_cr_input_become_lf() {
    let output = run_with_input(&mut rinse(), b"one\r\ntwo\rthree\r\n");
    assert_eq!(stdout(&output), "one\ntwo\nthree\n");
}

#[test]
fn threads_give_the_output_explanations_and_stats_of_one_thread() {
    // The seed's trailing section and furniture, repeated past several batches of lines.
    let seed = read_fixture("seed/input.txt");
    let input = format!("{seed}\n").repeat(80);
    let run = |threads: &str| {
        let output = run_with_input(
            rinse().args([threads, "--explain", "--stats"]),
            input.as_bytes(),
        );
        assert!(output.status.success(), "{}", stderr(&output));
        (stdout(&output), stderr(&output))
    };
    let (one_out, one_err) = run("-j1");
    assert!(one_err.contains("-:3:"), "{one_err}");
    for threads in ["-j2", "--threads=4"] {
        let (out, err) = run(threads);
        assert_same_text(&out, &one_out);
        assert_same_text(&err, &one_err);
    }
}
