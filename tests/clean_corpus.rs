//! Clean text stays clean: every file of `fixtures/clean/` (2.4 MB of simplified, traditional
//! and classical Chinese, English and mixed technical text; see its README for sources and
//! licences) must come out of the real binary byte for byte, with no change reported.

mod common;

use common::*;

#[test]
fn clean_corpus_comes_out_byte_identical() {
    let dir = fixture("clean");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    files.sort();
    let total: u64 = files
        .iter()
        .map(|path| std::fs::metadata(path).unwrap().len())
        .sum();
    assert!(
        total >= 1_000_000,
        "the clean corpus should hold at least 1 MB, has {total} bytes"
    );

    let mut failures = Vec::new();
    for path in &files {
        let output = rinse().arg("--explain").arg(path).output().unwrap();
        let expected = std::fs::read(path).unwrap();
        if output.stdout != expected || !output.stderr.is_empty() {
            failures.push(format!("{}:\n{}", path.display(), stderr(&output)));
        }
    }
    assert!(
        failures.is_empty(),
        "clean files were changed:\n{}",
        failures.join("\n")
    );
}
