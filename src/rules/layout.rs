//! `layout`: the shape of the text around the characters.
//!
//! - trailing whitespace is removed (`"正文。  "` → `"正文。"`), and a line of nothing but
//!   whitespace becomes empty;
//! - CRLF and lone CR line ends become LF;
//! - blank lines at the start of a document are dropped, a run of blank lines inside it
//!   becomes one, and blank lines at its end are dropped;
//! - the document ends with exactly one newline.
//!
//! Leading whitespace stays: Chinese paragraphs are often indented with two U+3000 (`"　　正文"`),
//! and code and poetry are indented on purpose. A wrong guess here costs only whitespace.

use std::borrow::Cow;
use std::io;

use crate::pipeline::{Change, Line, LineEnding, LineRef, Sink};
use crate::rules::{Edit, LineRule, RuleId};

/// The line half of `layout`: trailing whitespace.
pub struct TrailingWhitespace;

impl LineRule for TrailingWhitespace {
    fn id(&self) -> RuleId {
        RuleId::Layout
    }

    fn find_edits(&self, line: &str, edits: &mut Vec<Edit>) {
        // Most lines end in a character that is not a space: one look at it settles them.
        if line
            .chars()
            .next_back()
            .is_none_or(|last| !is_layout_space(last))
        {
            return;
        }
        let trimmed = line.trim_end_matches(is_layout_space);
        if trimmed.len() < line.len() {
            let reason = if trimmed.is_empty() {
                "line of only whitespace"
            } else {
                "trailing whitespace"
            };
            edits.push(Edit::new(trimmed.len()..line.len(), "", reason));
        }
    }
}

/// Whitespace that may be trimmed at the end of a line. Every Unicode space, including U+3000:
/// at the end of a line it carries no meaning.
fn is_layout_space(c: char) -> bool {
    c.is_whitespace()
}

/// The document half of `layout`: blank lines and line endings.
#[derive(Default)]
pub struct LayoutState {
    /// Whether a line with content has been written in this document.
    seen_content: bool,
    /// The first blank line since the last line with content, not yet written. Further blank
    /// lines in the same run are dropped as they come, so a million blank lines hold nothing.
    pending_blank: Option<Line>,
}

impl LayoutState {
    pub fn push(&mut self, mut line: LineRef<'_>, sink: &mut dyn Sink) -> io::Result<()> {
        if line.text.is_empty() && line.ending != LineEnding::Continued {
            if !self.seen_content {
                record_dropped(line, "blank line at the start of the document", sink);
            } else if self.pending_blank.is_some() {
                record_dropped(line, "run of blank lines", sink);
            } else {
                self.pending_blank = Some(line.to_line());
            }
            return Ok(());
        }
        if let Some(mut blank) = self.pending_blank.take() {
            write_line(blank.as_line_ref(), sink)?;
        }
        self.seen_content = true;
        write_line(line, sink)
    }

    pub fn finish(&mut self, sink: &mut dyn Sink) -> io::Result<()> {
        if let Some(mut blank) = self.pending_blank.take() {
            record_dropped(
                blank.as_line_ref(),
                "blank line at the end of the document",
                sink,
            );
        }
        Ok(())
    }
}

/// Writes a line with an LF ending, recording a change when the input ended it otherwise.
fn write_line(mut line: LineRef<'_>, sink: &mut dyn Sink) -> io::Result<()> {
    let (ending, reason): (&str, Option<&'static str>) = match line.ending {
        LineEnding::Lf => ("\n", None),
        LineEnding::CrLf => ("\n", Some("CRLF line ending")),
        LineEnding::Cr => ("\n", Some("CR line ending")),
        LineEnding::None => ("\n", Some("missing final newline")),
        LineEnding::Continued => ("", None),
    };
    line.record_changes(sink);
    if let Some(reason) = reason {
        sink.record(Change {
            rule: RuleId::Layout,
            line: line.number,
            column: line.end_column.get(),
            offset: line.text.len(),
            before: line.ending.as_str().to_string(),
            after: ending.to_string(),
            reason: Cow::Borrowed(reason),
        });
    }
    sink.write_line(line.text, ending)
}

fn record_dropped(mut line: LineRef<'_>, reason: &'static str, sink: &mut dyn Sink) {
    let mut change = line.whole_line_change(RuleId::Layout, "", reason);
    change.before.push_str(line.ending.as_str());
    line.record_changes(sink);
    sink.record(change);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::fix;
    use crate::{Cleaner, Config, RuleSet};

    fn layout_only(text: &str) -> String {
        let mut rules = RuleSet::none();
        rules.insert(RuleId::Layout);
        let cleaner = Cleaner::new(Config {
            rules,
            ..Config::default()
        })
        .unwrap();
        cleaner.clean(text).into_owned()
    }

    #[test]
    fn trims_trailing_whitespace_but_not_indentation() {
        assert_eq!(fix(&TrailingWhitespace, "正文。  \t"), "正文。");
        assert_eq!(fix(&TrailingWhitespace, "　　正文。"), "　　正文。");
        assert_eq!(fix(&TrailingWhitespace, "    code();"), "    code();");
        assert_eq!(fix(&TrailingWhitespace, " \u{a0}\u{3000}"), "");
    }

    #[test]
    fn line_endings_become_lf() {
        assert_eq!(layout_only("a\r\nb\rc\n"), "a\nb\nc\n");
    }

    #[test]
    fn adds_exactly_one_final_newline() {
        assert_eq!(layout_only("a"), "a\n");
        assert_eq!(layout_only("a\n\n\n"), "a\n");
        assert_eq!(layout_only(""), "");
        assert_eq!(layout_only("\n\n"), "");
    }

    #[test]
    fn collapses_blank_runs_and_drops_leading_blanks() {
        assert_eq!(layout_only("\n\na\n\n\n\nb\n"), "a\n\nb\n");
        assert_eq!(layout_only("a\n \n\t\nb\n"), "a\n\nb\n");
    }

    #[test]
    fn clean_layout_is_untouched() {
        let clean = "第一段。\n\n　　第二段，\n    缩进的代码\n";
        assert_eq!(layout_only(clean), clean);
    }
}
