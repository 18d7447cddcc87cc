//! What rinse tells the user about a run: one `--explain` line per change, one `--report`
//! JSON object per change, and the `--stats` summary at the end (as text or JSON).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{json, Map, Value};

use crate::jsonl::{FieldPath, JsonlSummary, Outcome};
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
    format!("{file}:{}", placed_change(change))
}

/// `LINE:COL rule 'before' → 'after' (reason)`: what both kinds of `--explain` line end with.
fn placed_change(change: &Change) -> String {
    format!(
        "{}:{} {} '{}' → '{}' ({})",
        change.line,
        change.column,
        change.rule,
        visible(&change.before),
        visible(&change.after),
        change.reason
    )
}

/// The `--explain` line for a change in a field of a JSON Lines record:
/// `FILE:LINE FIELD:FIELD_LINE:COL rule 'before' → 'after' (reason)`, where LINE is the record's
/// line in the file and FIELD_LINE:COL the place in the field's text.
///
/// ```
/// use rinse::{Change, RuleId};
/// use rinse::jsonl::FieldPath;
///
/// let change = Change {
///     rule: RuleId::Width, line: 1, column: 2, offset: 3,
///     before: "Ａ".into(), after: "A".into(), reason: "full-width letter".into(),
/// };
/// let field = FieldPath::parse("meta.title").unwrap();
/// assert_eq!(rinse::report::explain_record_line("a.jsonl", 7, &field, &change),
///            "a.jsonl:7 meta.title:1:2 width 'Ａ' → 'A' (full-width letter)");
/// ```
pub fn explain_record_line(file: &str, line: u64, field: &FieldPath, change: &Change) -> String {
    format!("{file}:{line} {field}:{}", placed_change(change))
}

/// The `--report` object for a change in a text file, on one line:
/// `{"file":…,"line":…,"column":…,"rule":…,"before":…,"after":…,"reason":…}`. `before` and
/// `after` are the exact texts, not shortened or spelled out as in `--explain`.
pub fn report_line(file: &str, change: &Change) -> String {
    change_object(file, change.line, None, change).to_string()
}

/// The `--report` object for a change in a field of a JSON Lines record: `line` is the
/// record's line in the file, `field` and `field_line` say where in the record, and `column`
/// is the column in that line of the field's text.
pub fn report_record_line(file: &str, line: u64, field: &FieldPath, change: &Change) -> String {
    change_object(file, line, Some((field, change.line)), change).to_string()
}

/// The `--report` object for a JSON Lines record that is not a JSON object:
/// `{"file":…,"line":…,"rule":null,"problem":…,"action":"passed"|"dropped"}`.
pub fn report_bad_record(file: &str, line: u64, problem: &str, outcome: Outcome) -> String {
    let action = if outcome == Outcome::BadDropped {
        "dropped"
    } else {
        "passed"
    };
    json!({"file": file, "line": line, "rule": null, "problem": problem, "action": action})
        .to_string()
}

fn change_object(
    file: &str,
    line: u64,
    field: Option<(&FieldPath, u64)>,
    change: &Change,
) -> Value {
    let mut object = Map::new();
    object.insert("file".into(), file.into());
    object.insert("line".into(), line.into());
    if let Some((field, field_line)) = field {
        object.insert("field".into(), field.as_str().into());
        object.insert("field_line".into(), field_line.into());
    }
    object.insert("column".into(), change.column.into());
    object.insert("rule".into(), change.rule.name().into());
    object.insert("before".into(), change.before.as_str().into());
    object.insert("after".into(), change.after.as_str().into());
    object.insert("reason".into(), change.reason.as_ref().into());
    Value::Object(object)
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
    /// Record counts, in JSON Lines mode.
    pub records: Option<JsonlSummary>,
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
        // Built once: a searcher made for each line cost more than the search.
        static REPLACEMENT: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
            std::sync::LazyLock::new(|| memchr::memmem::Finder::new("\u{FFFD}".as_bytes()));
        if text.len() >= 3 {
            self.replacement_chars_out += REPLACEMENT.find_iter(text.as_bytes()).count() as u64;
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
        if let Some(records) = &self.records {
            let _ = writeln!(
                out,
                "records: {} read, {} changed, {} dropped as empty, {} malformed ({} dropped)",
                records.records,
                records.changed,
                records.dropped_empty,
                records.bad,
                records.bad_dropped
            );
        }
        out
    }

    /// The summary as one JSON object (`--stats-format json`), on one line:
    /// `{"files":…,"changed_files":…,"changes":{"total":…,"punct":…},"replaced_bytes":…}`, with
    /// `"records":{"read":…,"changed":…,"dropped_empty":…,"malformed":…,"malformed_dropped":…}`
    /// in JSON Lines mode. Rules that changed nothing are left out of `changes`.
    pub fn render_json(&self) -> String {
        let mut changes = Map::new();
        changes.insert("total".into(), self.changes.values().sum::<u64>().into());
        for rule in RuleId::ALL {
            if let Some(n) = self.changes.get(&rule) {
                changes.insert(rule.name().into(), (*n).into());
            }
        }
        let mut object = json!({
            "files": self.files,
            "changed_files": self.changed_files,
            "changes": changes,
            "replaced_bytes": self.replaced_bytes,
            "lost_chars": self.lost_chars,
            "replacement_chars_out": self.replacement_chars_out,
        });
        if let Some(records) = &self.records {
            object["records"] = json!({
                "read": records.records,
                "changed": records.changed,
                "dropped_empty": records.dropped_empty,
                "malformed": records.bad,
                "malformed_dropped": records.bad_dropped,
            });
        }
        let mut line = object.to_string();
        line.push('\n');
        line
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

    #[test]
    fn stats_as_json() {
        let mut stats = Stats {
            files: 2,
            changed_files: 1,
            replaced_bytes: 4,
            ..Stats::default()
        };
        stats.changes.insert(RuleId::Layout, 2);
        stats.changes.insert(RuleId::Punct, 5);
        assert_eq!(
            stats.render_json(),
            "{\"files\":2,\"changed_files\":1,\"changes\":{\"total\":7,\"punct\":5,\"layout\":2},\"replaced_bytes\":4,\"lost_chars\":0,\"replacement_chars_out\":0}\n"
        );
        stats.records = Some(JsonlSummary {
            records: 3,
            changed: 1,
            dropped_empty: 1,
            bad: 1,
            bad_dropped: 0,
        });
        assert!(stats.render_json().ends_with(
            ",\"records\":{\"read\":3,\"changed\":1,\"dropped_empty\":1,\"malformed\":1,\"malformed_dropped\":0}}\n"
        ));
        assert!(stats
            .render()
            .contains("records: 3 read, 1 changed, 1 dropped as empty, 1 malformed (0 dropped)\n"));
    }

    #[test]
    fn report_lines_keep_exact_text() {
        let change = Change {
            rule: RuleId::Unicode,
            line: 2,
            column: 5,
            offset: 7,
            before: "\u{200b}".into(),
            after: String::new(),
            reason: "zero-width space".into(),
        };
        assert_eq!(
            report_line("a \"b\".txt", &change),
            "{\"file\":\"a \\\"b\\\".txt\",\"line\":2,\"column\":5,\"rule\":\"unicode\",\"before\":\"\u{200b}\",\"after\":\"\",\"reason\":\"zero-width space\"}"
        );
        let field = FieldPath::parse("body").unwrap();
        assert_eq!(
            report_record_line("d.jsonl", 9, &field, &change),
            "{\"file\":\"d.jsonl\",\"line\":9,\"field\":\"body\",\"field_line\":2,\"column\":5,\"rule\":\"unicode\",\"before\":\"\u{200b}\",\"after\":\"\",\"reason\":\"zero-width space\"}"
        );
        assert_eq!(
            report_bad_record("d.jsonl", 3, "not valid JSON", Outcome::BadDropped),
            "{\"file\":\"d.jsonl\",\"line\":3,\"rule\":null,\"problem\":\"not valid JSON\",\"action\":\"dropped\"}"
        );
    }
}
