//! The `mojibake` rule through the real binary: the CJK test set of `fixtures/mojibake/`
//! (clean sentences damaged with real codecs by `scripts/gen_mojibake_fixtures.py`), the
//! negatives (clean text in many scripts), `--explain` reasons, and the clean corpus.

mod common;

use common::*;

/// One case of `fixtures/mojibake/cjk.jsonl`.
struct Case {
    input: String,
    expected: String,
    kind: String,
    expect_pass: bool,
}

/// Reads the JSON lines without a JSON crate: every value is a string with the escapes
/// `json.dumps(ensure_ascii=False)` writes.
fn cases() -> Vec<Case> {
    read_fixture("mojibake/cjk.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let get = |key: &str| field(line, key).unwrap_or_else(|| panic!("{key} in {line}"));
            Case {
                input: get("input"),
                expected: get("expected"),
                kind: get("kind"),
                expect_pass: get("expect") == "pass",
            }
        })
        .collect()
}

fn field(line: &str, key: &str) -> Option<String> {
    let start = line.find(&format!("\"{key}\": \""))? + key.len() + 5;
    let mut out = String::new();
    let mut chars = line[start..].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    let mut code = u32::from_str_radix(&hex, 16).ok()?;
                    if (0xd800..0xdc00).contains(&code) {
                        let _backslash_u: String = chars.by_ref().take(2).collect();
                        let low: String = chars.by_ref().take(4).collect();
                        let low = u32::from_str_radix(&low, 16).ok()?;
                        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
                    }
                    out.push(char::from_u32(code)?);
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

/// Runs `rinse --only mojibake` on the inputs, one a line, and returns the output lines.
fn repair_all(inputs: &[&str]) -> Vec<String> {
    let text = inputs.join("\n") + "\n";
    let output = run_with_input(rinse().args(["--only", "mojibake"]), text.as_bytes());
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output).lines().map(str::to_string).collect()
}

/// Characters of `expected` found, in order, in `actual` (longest common subsequence).
fn recovered(expected: &str, actual: &str) -> usize {
    let e: Vec<char> = expected.chars().collect();
    let a: Vec<char> = actual.chars().collect();
    let mut row = vec![0usize; a.len() + 1];
    for &x in &e {
        let mut diagonal = 0;
        for j in 0..a.len() {
            let above = row[j + 1];
            row[j + 1] = if x == a[j] {
                diagonal + 1
            } else {
                row[j + 1].max(row[j])
            };
            diagonal = above;
        }
    }
    row[a.len()]
}

/// The share of the characters of lossy GBK cases that must come back. Measured: 95.2% (177
/// of 186).
const LOSSY_GBK_RECOVERY: f64 = 0.90;

/// The same for GB18030 private-use pairs dropped without a trace, where one byte of a
/// character is gone for each pair and the model chooses among the characters that fit.
/// Measured: 92.2% (107 of 116).
const DROPPED_PAIR_RECOVERY: f64 = 0.85;

#[test]
fn cjk_set_is_repaired() {
    let cases = cases();
    assert!(cases.len() >= 60, "the CJK set has {} cases", cases.len());
    let inputs: Vec<&str> = cases.iter().map(|c| c.input.as_str()).collect();
    let outputs = repair_all(&inputs);
    assert_eq!(outputs.len(), cases.len());

    let mut failures = Vec::new();
    let (mut lossy_found, mut lossy_total) = (0, 0);
    let (mut dropped_found, mut dropped_total) = (0, 0);
    for (case, output) in cases.iter().zip(&outputs) {
        if case.kind == "lossy-gbk" {
            lossy_found += recovered(&case.expected, output);
            lossy_total += case.expected.chars().count();
            continue;
        }
        if case.kind == "dropped-pair-gb18030" {
            dropped_found += recovered(&case.expected, output);
            dropped_total += case.expected.chars().count();
            continue;
        }
        if case.expect_pass && *output != case.expected {
            failures.push(format!(
                "{}:\n  input:    {}\n  expected: {}\n  actual:   {}",
                case.kind, case.input, case.expected, output
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let share = lossy_found as f64 / lossy_total as f64;
    assert!(
        share >= LOSSY_GBK_RECOVERY,
        "lossy GBK: {lossy_found} of {lossy_total} characters recovered ({share:.3})"
    );
    assert!(dropped_total > 0, "the set has no dropped-pair cases");
    let share = dropped_found as f64 / dropped_total as f64;
    assert!(
        share >= DROPPED_PAIR_RECOVERY,
        "dropped pairs: {dropped_found} of {dropped_total} characters recovered ({share:.3})"
    );
}

#[test]
fn negatives_are_left_alone() {
    let path = fixture("mojibake/negatives.txt");
    let output = rinse()
        .args(["--only", "mojibake", "--explain"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_same_text(&stdout(&output), &read_fixture("mojibake/negatives.txt"));
    assert!(output.stderr.is_empty(), "{}", stderr(&output));
}

#[test]
fn clean_corpus_has_no_mojibake() {
    let mut files: Vec<_> = std::fs::read_dir(fixture("clean"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.push(fixture("seed/input.txt"));
    for path in files {
        let output = rinse()
            .args(["--only", "mojibake", "--explain"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            output.stderr.is_empty(),
            "{}: {}",
            path.display(),
            stderr(&output)
        );
    }
}

#[test]
fn explain_names_the_repair() {
    let input = "doesnÃ¢â‚¬â„¢t\n浣犲ソ锛屼笘鐣�\nÄãºÃ\n前文锟斤拷后文\n";
    let output = run_with_input(
        rinse().args(["--only", "mojibake", "--explain"]),
        input.as_bytes(),
    );
    assert_same_text(
        &stdout(&output),
        "doesn’t\n你好，世界\n你好\n前文\u{FFFD}\u{FFFD}后文\n",
    );
    let explain = stderr(&output);
    for reason in [
        "utf-8 read as windows-1252 ×2",
        "utf-8 read as gbk; lossy: 1 character chosen by the model",
        "gbk read as windows-1252",
        "lost characters: U+FFFD read as gbk (锟斤拷); 2 characters lost",
    ] {
        assert!(explain.contains(reason), "no {reason:?} in:\n{explain}");
    }
}

#[test]
fn the_whole_pipeline_keeps_the_repairs() {
    // mojibake runs before unicode, which would otherwise delete the C1 controls.
    let output = run_with_input(
        &mut rinse(),
        "Ecuadorâ\u{80}\u{99}s\n鍙戝竷浜嗭紒\n".as_bytes(),
    );
    assert_same_text(&stdout(&output), "Ecuador’s\n发布了！\n");
}

#[test]
fn stats_show_the_damage_left() {
    // 锟斤拷 is two lost characters; 烫烫烫 three; the lossy 鐣� is recovered (界).
    let input = "前文锟斤拷后文\n内存烫烫烫\n浣犲ソ锛屼笘鐣\u{FFFD}\n";
    let output = run_with_input(
        rinse().args(["--only", "mojibake", "--stats"]),
        input.as_bytes(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "前文\u{FFFD}\u{FFFD}后文\n内存\u{FFFD}\u{FFFD}\u{FFFD}\n你好，世界\n"
    );
    let stats = stderr(&output);
    assert!(
        stats.contains("characters lost to mojibake (now U+FFFD): 5"),
        "{stats}"
    );
    assert!(stats.contains("U+FFFD in the output: 5"), "{stats}");
}
