//! `--diff`: what would change, as a unified diff on stdout.

use std::io::{self, IsTerminal, Write};

use similar::{ChangeTag, TextDiff};

/// Lines of context around each change, as `diff -u` and `git diff` show.
const CONTEXT_LINES: usize = 3;

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Colour only for a person looking at a terminal who has not asked for none
/// (<https://no-color.org>: set and not empty).
pub fn use_colour_on_stdout() -> bool {
    io::stdout().is_terminal() && !no_color()
}

pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty())
}

/// Writes the `---`/`+++` header naming the file on both sides, as `diff -u a b` would if
/// the clean version were a second file.
pub fn write_header(out: &mut dyn Write, name: &str, colour: bool) -> io::Result<()> {
    let (on, off) = if colour { (BOLD, RESET) } else { ("", "") };
    writeln!(out, "{on}--- {name}\t(original){off}")?;
    writeln!(out, "{on}+++ {name}\t(cleaned){off}")
}

/// Writes the diff between two whole texts; nothing when they are equal.
pub fn write_text_diff(
    out: &mut dyn Write,
    name: &str,
    original: &str,
    clean: &str,
    colour: bool,
) -> io::Result<()> {
    if original == clean {
        return Ok(());
    }
    write_header(out, name, colour)?;
    let diff = TextDiff::from_lines(original, clean);
    let mut unified = diff.unified_diff();
    unified.context_radius(CONTEXT_LINES);
    for hunk in unified.iter_hunks() {
        write_coloured(out, CYAN, &hunk.header().to_string(), colour)?;
        out.write_all(b"\n")?;
        for change in hunk.iter_changes() {
            let (sign, paint) = match change.tag() {
                ChangeTag::Delete => ('-', RED),
                ChangeTag::Insert => ('+', GREEN),
                ChangeTag::Equal => (' ', ""),
            };
            let line = change.value();
            let text = line.strip_suffix('\n').unwrap_or(line);
            write_coloured(out, paint, &format!("{sign}{text}"), colour)?;
            out.write_all(b"\n")?;
            if !line.ends_with('\n') {
                out.write_all(b"\\ No newline at end of file\n")?;
            }
        }
    }
    Ok(())
}

/// Writes the hunk for one JSON Lines record on input line `line`, which lands on output line
/// `new_line` (or, when left out, after output line `new_line`). Records are one line each,
/// so a hunk needs no context to be applied.
pub fn write_record_hunk(
    out: &mut dyn Write,
    line: u64,
    new_line: u64,
    original: &[u8],
    written: Option<&[u8]>,
    colour: bool,
) -> io::Result<()> {
    let header = match written {
        Some(_) => format!("@@ -{line} +{new_line} @@"),
        None => format!("@@ -{line} +{new_line},0 @@"),
    };
    write_coloured(out, CYAN, &header, colour)?;
    out.write_all(b"\n")?;
    write_coloured(
        out,
        RED,
        &format!("-{}", String::from_utf8_lossy(original)),
        colour,
    )?;
    out.write_all(b"\n")?;
    if let Some(written) = written {
        write_coloured(
            out,
            GREEN,
            &format!("+{}", String::from_utf8_lossy(written)),
            colour,
        )?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn write_coloured(out: &mut dyn Write, paint: &str, text: &str, colour: bool) -> io::Result<()> {
    if colour && !paint.is_empty() {
        write!(out, "{paint}{text}{RESET}")
    } else {
        out.write_all(text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(original: &str, clean: &str, colour: bool) -> String {
        let mut out = Vec::new();
        write_text_diff(&mut out, "a.txt", original, clean, colour).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn plain_unified_diff_with_context() {
        let original = "1\n2\n3\n4\n你好,世界\n6\n7\n8\n9\n";
        let clean = "1\n2\n3\n4\n你好，世界\n6\n7\n8\n9\n";
        assert_eq!(
            diff(original, clean, false),
            "--- a.txt\t(original)\n+++ a.txt\t(cleaned)\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n\
             -你好,世界\n+你好，世界\n 6\n 7\n 8\n"
        );
    }

    #[test]
    fn missing_final_newline_is_marked() {
        assert_eq!(
            diff("a", "a\n", false),
            "--- a.txt\t(original)\n+++ a.txt\t(cleaned)\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n"
        );
    }

    #[test]
    fn equal_texts_give_nothing_and_colour_wraps_lines() {
        assert_eq!(diff("same\n", "same\n", true), "");
        let coloured = diff("x\n", "y\n", true);
        assert!(coloured.contains("\x1b[31m-x\x1b[0m\n"), "{coloured:?}");
        assert!(coloured.contains("\x1b[32m+y\x1b[0m\n"), "{coloured:?}");
    }

    #[test]
    fn record_hunks() {
        let mut out = Vec::new();
        write_record_hunk(&mut out, 5, 4, b"{\"a\":1}", Some(b"{\"a\":2}"), false).unwrap();
        write_record_hunk(&mut out, 7, 5, b"{\"a\":3}", None, false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "@@ -5 +4 @@\n-{\"a\":1}\n+{\"a\":2}\n@@ -7 +5,0 @@\n-{\"a\":3}\n"
        );
    }
}
