//! Reports and comforts, run as the real binary.
//!
//! Index:
//! - --report FILE (text and JSON Lines), --stats-format json
//! - --diff (text and JSON Lines; with --check; no colour in a pipe)
//! - config discovery: ./rinse.toml, $XDG_CONFIG_HOME, ~/.config, --config, --no-config
//! - --completions, --man, --version with the data versions
//! - the progress bar stays off when stderr is not a terminal

mod common;

use common::*;
use std::fs;
use std::path::Path;

#[test]
fn report_writes_one_json_object_per_change() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("in.txt"), "第一行\n你好,世界\u{200b}\n").unwrap();
    let output = rinse_in(dir.path())
        .args(["--report", "changes.jsonl", "in.txt"])
        .output()
        .unwrap();
    assert_ok(&output);
    assert_eq!(stdout(&output), "第一行\n你好，世界\n");
    let report = fs::read_to_string(dir.path().join("changes.jsonl")).unwrap();
    // Exact texts in before/after: the zero-width space itself, not a spelled-out escape.
    assert_eq!(
        report,
        "{\"file\":\"in.txt\",\"line\":2,\"column\":6,\"rule\":\"unicode\",\"before\":\"\u{200b}\",\"after\":\"\",\"reason\":\"zero-width space\"}\n\
         {\"file\":\"in.txt\",\"line\":2,\"column\":3,\"rule\":\"punct\",\"before\":\",\",\"after\":\"，\",\"reason\":\"ASCII comma in Chinese text\"}\n"
    );
}

#[test]
fn report_in_jsonl_mode_names_field_and_bad_records() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("in.jsonl"),
        "{\"text\":\"干净。\"}\n{broken\n{\"text\":\"a\\n你好,\"}\n",
    )
    .unwrap();
    let output = rinse_in(dir.path())
        .args(["--jsonl", "--report", "r.jsonl", "in.jsonl"])
        .output()
        .unwrap();
    assert_ok(&output);
    let report = fs::read_to_string(dir.path().join("r.jsonl")).unwrap();
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines.len(), 2, "{report}");
    assert!(
        lines[0].starts_with(
            "{\"file\":\"in.jsonl\",\"line\":2,\"rule\":null,\"problem\":\"not valid JSON: "
        ),
        "{report}"
    );
    assert!(lines[0].ends_with("\",\"action\":\"passed\"}"), "{report}");
    assert_eq!(
        lines[1],
        "{\"file\":\"in.jsonl\",\"line\":3,\"field\":\"text\",\"field_line\":2,\"column\":3,\"rule\":\"punct\",\"before\":\",\",\"after\":\"，\",\"reason\":\"ASCII comma in Chinese text\"}"
    );
}

#[test]
fn report_to_an_unwritable_place_is_an_io_error_before_any_work() {
    let output = run_with_input(
        rinse().args(["--report", "/nonexistent-dir/r.jsonl"]),
        "你好,\n".as_bytes(),
    );
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        "rinse: /nonexistent-dir/r.jsonl: no such file\n"
    );
}

#[test]
fn stats_format_json_implies_stats() {
    let output = run_with_input(
        rinse().args(["--stats-format", "json"]),
        "你好,世界;\n\n\n\nabc".as_bytes(),
    );
    assert_ok(&output);
    assert_eq!(stdout(&output), "你好，世界；\n\nabc\n");
    assert_eq!(
        stderr(&output),
        "{\"files\":1,\"changed_files\":1,\"changes\":{\"total\":5,\"punct\":2,\"layout\":3},\"replaced_bytes\":0,\"lost_chars\":0,\"replacement_chars_out\":0}\n"
    );
}

#[test]
fn stats_format_json_in_jsonl_mode_counts_records() {
    let output = run_with_input(
        rinse().args(["--jsonl", "--stats-format", "json", "--drop-empty"]),
        b"{\"text\":\"a,\"}\n{\"text\":\" \"}\nnope\n",
    );
    assert_ok(&output);
    let stats = stderr(&output);
    let last = stats.lines().last().unwrap();
    assert_eq!(
        last,
        "{\"files\":1,\"changed_files\":1,\"changes\":{\"total\":2,\"layout\":2},\"replaced_bytes\":0,\"lost_chars\":0,\"replacement_chars_out\":0,\"records\":{\"read\":3,\"changed\":0,\"dropped_empty\":1,\"malformed\":1,\"malformed_dropped\":0}}"
    );
}

#[test]
fn diff_shows_what_would_change_without_colour_in_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let text = "一\n二\n三\n四\n你好,世界\n六\n七\n八\n九\n";
    fs::write(dir.path().join("a.txt"), text).unwrap();
    fs::write(dir.path().join("clean.txt"), "干净。\n").unwrap();
    let output = rinse_in(dir.path())
        .args(["--diff", "clean.txt", "a.txt"])
        .env("TERM", "xterm-256color")
        .output()
        .unwrap();
    assert_ok(&output);
    assert_eq!(
        stdout(&output),
        "--- a.txt\t(original)\n+++ a.txt\t(cleaned)\n@@ -2,7 +2,7 @@\n 二\n 三\n 四\n-你好,世界\n+你好，世界\n 六\n 七\n 八\n"
    );
    // Nothing was rewritten.
    assert_eq!(fs::read_to_string(dir.path().join("a.txt")).unwrap(), text);
}

#[test]
fn diff_shows_dropped_lines_and_the_final_newline() {
    let output = run_with_input(rinse().arg("--diff"), "正文\n\n\n\n尾".as_bytes());
    assert_ok(&output);
    assert_eq!(
        stdout(&output),
        "--- -\t(original)\n+++ -\t(cleaned)\n@@ -1,5 +1,3 @@\n 正文\n \n-\n-\n-尾\n\\ No newline at end of file\n+尾\n"
    );
}

#[test]
fn diff_with_check_exits_1_when_something_would_change() {
    let output = run_with_input(rinse().args(["--diff", "--check"]), "a,b  \n".as_bytes());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        "--- -\t(original)\n+++ -\t(cleaned)\n@@ -1 +1 @@\n-a,b  \n+a,b\n"
    );
    let output = run_with_input(rinse().args(["--diff", "--check"]), "a,b\n".as_bytes());
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "");
}

#[test]
fn diff_in_jsonl_mode_has_one_hunk_per_changed_record() {
    let output = run_with_input(
        rinse().args(["--jsonl", "--diff", "--drop-empty"]),
        "{\"text\":\"ok\"}\n{\"text\":\"\"}\n{\"text\":\"你好,世界\"}\n".as_bytes(),
    );
    assert_ok(&output);
    assert_eq!(
        stdout(&output),
        "--- -\t(original)\n+++ -\t(cleaned)\n@@ -2 +1,0 @@\n-{\"text\":\"\"}\n@@ -3 +2 @@\n-{\"text\":\"你好,世界\"}\n+{\"text\":\"你好，世界\"}\n"
    );
}

#[test]
fn diff_conflicts_with_output_and_in_place() {
    for flag in ["-o", "--in-place"] {
        let mut command = rinse();
        command.args(["--diff", flag]);
        if flag == "-o" {
            command.arg("out.txt");
        }
        let output = command.arg("x.txt").output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{flag}");
    }
}

/// A directory to run in, with `XDG_CONFIG_HOME` and `HOME` inside it.
fn config_dirs() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    fs::create_dir_all(&work).unwrap();
    (dir, work)
}

fn write_config(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

const KEEP_PUNCT: &str = "[punct]\nstyle = \"keep\"\n";
const ASCII_PUNCT: &str = "[punct]\nstyle = \"ascii\"\n";

#[test]
fn config_is_found_in_the_working_directory() {
    let (_dir, work) = config_dirs();
    write_config(&work.join("rinse.toml"), KEEP_PUNCT);
    let output = run_with_input(&mut rinse_in(&work), "你好,世界\n".as_bytes());
    assert_ok(&output);
    assert_eq!(stdout(&output), "你好,世界\n");
    let output = run_with_input(rinse_in(&work).arg("--no-config"), "你好,世界\n".as_bytes());
    assert_eq!(stdout(&output), "你好，世界\n");
}

#[test]
fn config_is_found_in_the_user_config_directory() {
    let (dir, work) = config_dirs();
    let home = dir.path().join("home");
    write_config(&home.join(".config/rinse/rinse.toml"), KEEP_PUNCT);
    let output = run_with_input(rinse_in(&work).env("HOME", &home), "你好,世界\n".as_bytes());
    assert_eq!(stdout(&output), "你好,世界\n");
    // $XDG_CONFIG_HOME, when set, replaces ~/.config.
    let xdg = dir.path().join("xdg");
    write_config(&xdg.join("rinse/rinse.toml"), "[rules]\npunct = true\n");
    let output = run_with_input(
        rinse_in(&work)
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", &xdg),
        "你好,世界\n".as_bytes(),
    );
    assert_eq!(stdout(&output), "你好，世界\n");
    // The working directory's file wins over the user's.
    write_config(&xdg.join("rinse/rinse.toml"), KEEP_PUNCT);
    write_config(&work.join("rinse.toml"), ASCII_PUNCT);
    let output = run_with_input(
        rinse_in(&work).env("XDG_CONFIG_HOME", &xdg),
        "你好，世界\n".as_bytes(),
    );
    assert_eq!(stdout(&output), "你好,世界\n");
}

#[test]
fn explicit_config_wins_over_discovery() {
    let (_dir, work) = config_dirs();
    write_config(&work.join("rinse.toml"), KEEP_PUNCT);
    write_config(&work.join("other.toml"), ASCII_PUNCT);
    let output = run_with_input(
        rinse_in(&work).args(["--config", "other.toml"]),
        "你好，世界,\n".as_bytes(),
    );
    assert_eq!(stdout(&output), "你好,世界,\n");
    let output = run_with_input(
        rinse_in(&work).args(["--config", "other.toml", "--no-config"]),
        b"",
    );
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_bad_discovered_config_is_named_in_the_error() {
    let (_dir, work) = config_dirs();
    write_config(&work.join("rinse.toml"), "[boilerplate]\ndrop = ['(']\n");
    let output = run_with_input(&mut rinse_in(&work), b"x\n");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("rinse: ./rinse.toml: "),
        "{}",
        stderr(&output)
    );
}

#[test]
fn completions_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F _rinse"),
        ("zsh", "#compdef rinse"),
        ("fish", "complete -c rinse"),
    ] {
        let output = rinse().args(["--completions", shell]).output().unwrap();
        assert_ok(&output);
        let script = stdout(&output);
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(script.contains("on-bad-record"), "{shell}");
    }
    let output = rinse().args(["--completions", "tcsh"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn man_page_is_roff_from_the_flags() {
    let output = rinse().arg("--man").output().unwrap();
    assert_ok(&output);
    let page = stdout(&output);
    assert!(page.contains(".TH rinse 1"), "{page}");
    assert!(page.contains("\\-\\-jsonl"), "{page}");
}

#[test]
fn version_names_the_data_versions() {
    let output = rinse().arg("--version").output().unwrap();
    assert_ok(&output);
    let version = stdout(&output);
    assert!(
        version.starts_with(&format!("rinse {}\ndata:\n", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );
    assert!(version.contains("jieba dict.txt 0.42.1"), "{version}");
    assert!(
        version.contains("opencc-python-reimplemented 0.1.7"),
        "{version}"
    );
    assert!(
        version.contains("Unicode Character Database 15.0.0"),
        "{version}"
    );
    // -V stays one line, for scripts.
    let output = rinse().arg("-V").output().unwrap();
    assert_eq!(
        stdout(&output),
        format!("rinse {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn data_versions_agree_with_data_readme() {
    let readme = fs::read_to_string(root().join("data/README.md")).unwrap();
    for needle in [
        "`jieba` 0.42.1",
        "opencc-python-reimplemented==0.1.7",
        "Unicode 15.0.0",
        "W3C Recommendation 1999-12-24",
    ] {
        assert!(
            readme.contains(needle),
            "data/README.md no longer says {needle}"
        );
    }
    for needle in ["0.42.1", "0.1.7", "15.0.0", "1999-12-24"] {
        assert!(rinse::DATA_VERSIONS.contains(needle), "{needle}");
    }
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.txt");
    // Over the size at which a terminal would get a bar.
    fs::write(&path, "干净的一行。\n".repeat(2 << 20)).unwrap();
    let output = rinse_in(dir.path())
        // --only layout: the point is the bar, and every rule would make this slow unoptimised.
        .args(["--only", "layout", "-o", "/dev/null", "big.txt"])
        .env("TERM", "xterm-256color")
        .output()
        .unwrap();
    assert_ok(&output);
    assert_eq!(stderr(&output), "");
}
