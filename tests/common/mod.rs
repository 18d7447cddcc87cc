//! Helpers shared by the integration tests: run the real `rinse` binary in a clean
//! environment and compare texts with a readable diff.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The project root, for fixtures.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(path: &str) -> PathBuf {
    root().join("fixtures").join(path)
}

pub fn read_fixture(path: &str) -> String {
    std::fs::read_to_string(fixture(path)).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

/// A `rinse` command with an empty environment, run in `dir`.
pub fn rinse_in(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rinse"));
    command.env_clear().current_dir(dir);
    command
}

pub fn rinse() -> Command {
    rinse_in(&root())
}

/// Runs `command` with `stdin` as its input and returns what it did.
pub fn run_with_input(command: &mut Command, stdin: &[u8]) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rinse runs");
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        // rinse may stop reading early (e.g. on a usage error): ignore a broken pipe here.
        let _ = input.write_all(&data);
    });
    let output = child.wait_with_output().expect("rinse finishes");
    writer.join().unwrap();
    output
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts that two texts are equal, showing the first differing lines if not.
#[track_caller]
pub fn assert_same_text(actual: &str, expected: &str) {
    if actual == expected {
        return;
    }
    let mut report = String::new();
    let mut shown = 0;
    let actual_lines: Vec<&str> = actual.split('\n').collect();
    let expected_lines: Vec<&str> = expected.split('\n').collect();
    for i in 0..actual_lines.len().max(expected_lines.len()) {
        let (a, e) = (actual_lines.get(i), expected_lines.get(i));
        if a != e {
            report.push_str(&format!(
                "line {}:\n  expected: {:?}\n  actual:   {:?}\n",
                i + 1,
                e,
                a
            ));
            shown += 1;
            if shown == 8 {
                report.push_str("  …\n");
                break;
            }
        }
    }
    panic!(
        "texts differ ({} vs {} bytes):\n{report}",
        actual.len(),
        expected.len()
    );
}

/// Whether the tests run as root (who reads and writes any file, so permission tests need
/// another user).
#[cfg(unix)]
pub fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// The temporary files rinse leaves in `dir` (`.rinse-XXXXXX.tmp`).
pub fn temp_files_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".rinse-") || name.ends_with(".tmp"))
        .collect()
}

/// `rinse_in(dir)`, but run as the user nobody when the tests run as root, so that file
/// permissions apply. `None` when that cannot be done (no setpriv): the caller skips.
#[cfg(unix)]
pub fn rinse_unprivileged_in(dir: &Path) -> Option<Command> {
    if !is_root() {
        return Some(rinse_in(dir));
    }
    if !Path::new("/usr/bin/setpriv").exists() {
        eprintln!("skipped: running as root and setpriv is not available");
        return None;
    }
    let mut command = Command::new("/usr/bin/setpriv");
    command
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            env!("CARGO_BIN_EXE_rinse"),
        ])
        .env_clear()
        .current_dir(dir);
    Some(command)
}

/// Fails with the exit status and stderr unless the run succeeded.
#[track_caller]
pub fn assert_ok(output: &Output) {
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status,
        stderr(output)
    );
}
