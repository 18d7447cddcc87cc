//! What rinse tells the user about a run: one `--explain` line per change and the `--stats`
//! summary at the end.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::pipeline::Change;
use crate::rules::RuleId;

/// The `--explain` line for a change: `FILE:LINE:COL rule 'before' → 'after' (reason)`.
///
/// ```
/// use rinse::{Change, RuleId};
/// use std::borrow::Cow;
///
/// let change = Change {
///     rule: RuleId::Punct, line: 3, column: 4, offset: 9,
///     before: ",".into(), after: "，".into(), reason: Cow::Borrowed("ASCII comma in Chinese text"),
/// };
/// assert_eq!(rinse::report::explain_line("a.txt", &change),
///            "a.txt:3:4 punct ',' → '，' (ASCII comma in Chinese text)");
/// ```
pub fn explain_line(file: &str, change: &Change) -> String {
    format!(
        "{file}:{}:{} {} '{}' → '{}' ({})",
        change.line,
        change.column,
        change.rule,
        visible(&change.before),
        visible(&change.after),
        change.reason
    )
}

/// Text with invisible characters spelled out (`\r\n`, `\u{a0}`, `\u{200b}`), so that an
/// explanation of a removed zero-width space does not read `'' → ''`. A change longer than
/// [`MAX_SHOWN_CHARS`] is shortened in the middle.
pub fn visible(text: &str) -> String {
    let count = text.chars().count();
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if count > MAX_SHOWN_CHARS && i == MAX_SHOWN_CHARS / 2 {
            let _ = write!(out, "…[{} chars]…", count - MAX_SHOWN_CHARS);
        }
        if count > MAX_SHOWN_CHARS && i >= MAX_SHOWN_CHARS / 2 && i < count - MAX_SHOWN_CHARS / 2 {
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            c if is_invisible(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Long removed lines are shown by their ends only.
pub const MAX_SHOWN_CHARS: usize = 120;

fn is_invisible(c: char) -> bool {
    c.is_control()
        || (c.is_whitespace() && c != ' ')
        || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

/// Counts for `--stats`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub files: u64,
    pub changed_files: u64,
    pub changes: BTreeMap<RuleId, u64>,
    /// Undecodable byte sequences that became U+FFFD.
    pub replaced_bytes: u64,
    /// Characters the `mojibake` rule marked lost (`锟斤拷`, `烫烫烫`, bytes no repair could
    /// recover), each now one U+FFFD.
    pub lost_chars: u64,
    /// U+FFFD in the output, whatever put it there: the damage left after cleaning.
    pub replacement_chars_out: u64,
}

impl Stats {
    pub fn count(&mut self, change: &Change) {
        *self.changes.entry(change.rule).or_default() += 1;
        if change.rule == RuleId::Mojibake {
            let lost = |s: &str| s.matches('\u{FFFD}').count() as u64;
            self.lost_chars += lost(&change.after).saturating_sub(lost(&change.before));
        }
    }

    /// Counts what is left of the damage in an output line.
    pub fn count_output(&mut self, text: &str) {
        if text.len() >= 3 {
            self.replacement_chars_out +=
                memchr::memmem::find_iter(text.as_bytes(), "\u{FFFD}".as_bytes()).count() as u64;
        }
    }

    /// The summary printed at the end of a run.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let total: u64 = self.changes.values().sum();
        let _ = writeln!(
            out,
            "files: {} read, {} changed",
            self.files, self.changed_files
        );
        let _ = writeln!(out, "changes: {total}");
        for rule in RuleId::ALL {
            if let Some(n) = self.changes.get(&rule) {
                let _ = writeln!(out, "  {:<12} {n}", rule.name());
            }
        }
        let _ = writeln!(
            out,
            "undecodable bytes replaced by U+FFFD: {}",
            self.replaced_bytes
        );
        let _ = writeln!(
            out,
            "characters lost to mojibake (now U+FFFD): {}",
            self.lost_chars
        );
        let _ = writeln!(out, "U+FFFD in the output: {}", self.replacement_chars_out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_spelled_out() {
        assert_eq!(visible("a\u{200b}b\r\n\u{a0}"), "a\\u{200b}b\\r\\n\\u{a0}");
        assert_eq!(visible("中文 text"), "中文 text");
    }

    #[test]
    fn long_text_is_shortened_in_the_middle() {
        let shown = visible(&"字".repeat(500));
        assert!(shown.contains("…[380 chars]…"), "{shown}");
        assert_eq!(
            shown.chars().filter(|&c| c == '字').count(),
            MAX_SHOWN_CHARS
        );
    }

    #[test]
    fn stats_list_rules_in_pipeline_order() {
        let mut stats = Stats {
            files: 2,
            changed_files: 1,
            ..Stats::default()
        };
        stats.changes.insert(RuleId::Layout, 2);
        stats.changes.insert(RuleId::Punct, 5);
        let text = stats.render();
        assert!(
            text.find("punct").unwrap() < text.find("layout").unwrap(),
            "{text}"
        );
        assert!(text.contains("changes: 7"), "{text}");
    }

    #[test]
    fn lost_characters_and_damage_left_are_counted() {
        let mut stats = Stats::default();
        let change = |rule, before: &str, after: &str| Change {
            rule,
            line: 1,
            column: 1,
            offset: 0,
            before: before.into(),
            after: after.into(),
            reason: "".into(),
        };
        // 锟斤拷锟斤拷: two characters lost.
        stats.count(&change(
            RuleId::Mojibake,
            "锟斤拷锟斤拷",
            "\u{FFFD}\u{FFFD}",
        ));
        // A lossy repair that recovers what a U+FFFD stood for loses nothing.
        stats.count(&change(RuleId::Mojibake, "鐣\u{FFFD}", "界"));
        stats.count_output("前文\u{FFFD}\u{FFFD}后文\u{FFFD}");
        assert_eq!(stats.lost_chars, 2);
        assert_eq!(stats.replacement_chars_out, 3);
        let text = stats.render();
        assert!(
            text.contains("characters lost to mojibake (now U+FFFD): 2"),
            "{text}"
        );
        assert!(text.contains("U+FFFD in the output: 3"), "{text}");
    }
}
