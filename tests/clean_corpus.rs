//! Clean text stays clean: every file of `fixtures/clean/` (2.4 MB of simplified, traditional
//! and classical Chinese, English and mixed technical text; see its README for sources and
//! licences) must come out of the real binary byte for byte, with no change reported — except
//! the few repairs of real damage in the sources listed, each with its reason, in
//! `fixtures/clean/justified-changes.txt`.
//!
//! The same holds for `fixtures/adversarial/`: small texts written to look like damage without
//! being damaged (traditional news, classical poetry, Japanese, Korean with hanja, code and CSV
//! with Chinese names, accented Latin, formulas, rare names, URLs, list markers).

mod common;

use common::*;

#[test]
fn clean_corpus_comes_out_unchanged_but_for_justified_repairs() {
    assert_corpus_unchanged("clean", 1_000_000);
}

#[test]
fn adversarial_corpus_comes_out_unchanged_but_for_justified_changes() {
    assert_corpus_unchanged("adversarial", 8_000);
}

/// Runs rinse on every `*.txt` of `fixtures/<corpus>/` and compares its `--explain` output with
/// the corpus's `justified-changes.txt`.
fn assert_corpus_unchanged(corpus: &str, min_bytes: u64) {
    let dir = fixture(corpus);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .filter(|path| !path.ends_with("justified-changes.txt"))
        .collect();
    files.sort();
    let total: u64 = files
        .iter()
        .map(|path| std::fs::metadata(path).unwrap().len())
        .sum();
    assert!(
        total >= min_bytes,
        "the {corpus} corpus should hold at least {min_bytes} bytes, has {total}"
    );
    let justified = read_fixture(&format!("{corpus}/justified-changes.txt"));
    let justified: Vec<&str> = justified
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();

    let mut failures = Vec::new();
    let mut explained = Vec::new();
    for path in &files {
        let relative = path.strip_prefix(root()).unwrap();
        let output = rinse().arg("--explain").arg(relative).output().unwrap();
        let expected = std::fs::read(path).unwrap();
        let report = stderr(&output);
        explained.extend(report.lines().map(str::to_string));
        let justified_here = justified
            .iter()
            .filter(|l| l.starts_with(&format!("{}:", relative.display())))
            .count();
        if justified_here == 0 && output.stdout != expected {
            failures.push(format!("{}:\n{report}", path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "clean files were changed:\n{}",
        failures.join("\n")
    );
    assert_eq!(
        explained, justified,
        "the changes to the {corpus} corpus differ from the justified list"
    );
}
