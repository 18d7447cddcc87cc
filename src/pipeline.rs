//! The pipeline: text in, lines out, rules in between.
//!
//! A [`Document`] takes text in chunks of any size, cuts it into lines, runs the line rules
//! on each line, passes the result through the document-level halves of `boilerplate` and
//! `layout`, and hands finished lines to a [`Sink`] as soon as they are decided. Only a
//! possible trailing boilerplate section and a run of blank lines are ever held back, and both
//! have a fixed cap, so memory stays bounded whatever the input.
//!
//! The fast path: a line that no rule wants to change costs one scan per rule and no
//! allocation beyond the line itself.

use std::borrow::Cow;
use std::io;

use crate::config::Config;
use crate::error::Error;
use crate::parallel::{LinePool, Ordered};
use crate::rules::boilerplate::{Boilerplate, BoilerplateState, Classified, Verdict};
use crate::rules::layout::LayoutState;
use crate::rules::{apply_edits, Edit, LineRule, RuleId};

/// A line longer than this many bytes is cut into pieces of about this size, so that a file
/// with no newline at all is still processed in bounded memory. Rules then see each piece as
/// a line of its own, which can only cost a missed repair right at a cut. The rules' working
/// copies of a line (its characters as `char`s, the language model's lattice) take several
/// times its size, once per thread: on 20 MB without a newline, two threads peaked at 67 MB
/// with 1 MiB pieces, 32 MB with 256 KiB and 24 MB with 128 KiB. Prose paragraphs are far
/// shorter.
pub const MAX_LINE_BYTES: usize = 128 << 10;

/// How many times the line rules run over a line that keeps changing. Two rounds settle every
/// interaction found so far; the cap only guards against two rules undoing each other forever.
const MAX_LINE_ROUNDS: usize = 4;

/// One change a rule made, as `--explain` prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub rule: RuleId,
    /// 1-based line number in the input document.
    pub line: u64,
    /// 1-based column, in characters, of the changed text in the input line as decoded.
    pub column: usize,
    /// Byte offset of the changed text in the line as this rule saw it (after the rules before
    /// it): replaying each rule's changes at these offsets, in order, reproduces the output.
    pub offset: usize,
    pub before: String,
    pub after: String,
    pub reason: Cow<'static, str>,
}

/// How a line ended in the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEnding {
    Lf,
    CrLf,
    Cr,
    /// The last line of the input, with no terminator.
    None,
    /// A piece of a line longer than [`MAX_LINE_BYTES`]; the line goes on in the next piece.
    Continued,
}

impl LineEnding {
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
            LineEnding::Cr => "\r",
            LineEnding::None | LineEnding::Continued => "",
        }
    }
}

/// A line after the line rules, on its way through the document-level rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub number: u64,
    pub text: String,
    pub ending: LineEnding,
    /// 1-based column just past the end of the line in the input (where its ending was).
    pub end_column: usize,
    /// What the rules changed in this line so far (reported when the line is written).
    pub changes: Vec<Change>,
}

impl Line {
    /// A change that replaces or removes the whole line, at column 1.
    pub fn whole_line_change(
        &self,
        rule: RuleId,
        after: &str,
        reason: impl Into<Cow<'static, str>>,
    ) -> Change {
        whole_line_change(rule, self.number, &self.text, after, reason.into())
    }

    /// The line as `layout`'s document half and the sink take it.
    pub fn as_line_ref(&mut self) -> LineRef<'_> {
        LineRef {
            number: self.number,
            text: &self.text,
            ending: self.ending,
            end_column: EndColumn::Known(self.end_column),
            changes: &mut self.changes,
        }
    }
}

/// A line on its way out, as `layout`'s document half and the sink take it: borrowed, so that a
/// line no rule changed goes from the input to the sink without being copied.
#[derive(Debug)]
pub struct LineRef<'a> {
    pub number: u64,
    pub text: &'a str,
    pub ending: LineEnding,
    pub end_column: EndColumn<'a>,
    /// What the rules changed in this line so far; taken as the line is written or dropped.
    pub changes: &'a mut Vec<Change>,
}

impl LineRef<'_> {
    /// Records the changes made to the line so far, in order.
    pub fn record_changes(&mut self, sink: &mut dyn Sink) {
        // Most lines have none: not even an iterator for them.
        if !self.changes.is_empty() {
            for change in self.changes.drain(..) {
                sink.record(change);
            }
        }
    }

    /// A change that replaces or removes the whole line, at column 1.
    pub fn whole_line_change(
        &self,
        rule: RuleId,
        after: &str,
        reason: impl Into<Cow<'static, str>>,
    ) -> Change {
        whole_line_change(rule, self.number, self.text, after, reason.into())
    }

    /// The line made to own its text, to be held back.
    pub fn to_line(&mut self) -> Line {
        Line {
            number: self.number,
            text: self.text.to_string(),
            ending: self.ending,
            end_column: self.end_column.get(),
            changes: std::mem::take(self.changes),
        }
    }
}

fn whole_line_change(
    rule: RuleId,
    number: u64,
    text: &str,
    after: &str,
    reason: Cow<'static, str>,
) -> Change {
    Change {
        rule,
        line: number,
        column: 1,
        offset: 0,
        before: text.to_string(),
        after: after.to_string(),
        reason,
    }
}

/// The 1-based column just past the end of a line in the input ([`Line::end_column`]). Only
/// a change at the end of a line (its ending) needs it, so it is counted only then.
#[derive(Clone, Copy, Debug)]
pub enum EndColumn<'a> {
    Known(usize),
    /// Still to count: the line as it was read, before any rule, after `column_offset` columns
    /// of the pieces of a long line before it.
    Uncounted {
        column_offset: usize,
        input: &'a str,
    },
}

impl EndColumn<'_> {
    pub fn get(self) -> usize {
        match self {
            EndColumn::Known(column) => column,
            EndColumn::Uncounted {
                column_offset,
                input,
            } => column_offset + input.chars().count() + 1,
        }
    }
}

/// Where finished lines and the changes behind them go.
pub trait Sink {
    /// Writes one finished line: `text` followed by `ending` (which may be empty).
    fn write_line(&mut self, text: &str, ending: &str) -> io::Result<()>;

    /// Writes finished lines that go out exactly as they came in, each ended by "\n": the same
    /// as one [`write_line`](Sink::write_line) per line, which is what it does unless a sink
    /// has a quicker way. Runs of lines that no rule touches come this way, in one call.
    fn write_lines(&mut self, lines: &str) -> io::Result<()> {
        for line in lines.split_inclusive('\n') {
            let (text, ending) = line.split_at(line.len() - 1);
            self.write_line(text, ending)?;
        }
        Ok(())
    }

    /// Records one change, in output order.
    fn record(&mut self, change: Change);
}

/// A sink that collects everything in memory; used by [`Cleaner::clean`].
#[derive(Default)]
pub struct StringSink {
    pub text: String,
    pub changes: Vec<Change>,
}

impl Sink for StringSink {
    fn write_line(&mut self, text: &str, ending: &str) -> io::Result<()> {
        self.text.push_str(text);
        self.text.push_str(ending);
        Ok(())
    }

    fn write_lines(&mut self, lines: &str) -> io::Result<()> {
        self.text.push_str(lines);
        Ok(())
    }

    fn record(&mut self, change: Change) {
        self.changes.push(change);
    }
}

/// The rules chosen by a [`Config`], ready to clean any number of documents.
///
/// ```
/// use rinse::{Cleaner, Config};
///
/// let cleaner = Cleaner::new(Config::default()).unwrap();
/// assert_eq!(cleaner.clean("中文,English\r\n"), "中文，English\n");
/// // Clean text comes back borrowed, untouched.
/// assert!(matches!(cleaner.clean("干净的文本。\n"), std::borrow::Cow::Borrowed(_)));
/// ```
pub struct Cleaner {
    config: Config,
    line_rules: Vec<Box<dyn LineRule>>,
    boilerplate: Option<Boilerplate>,
}

impl Cleaner {
    /// Builds the rules. Fails only on a bad user pattern in the config.
    pub fn new(config: Config) -> Result<Cleaner, Error> {
        let enabled = config.rules;
        let mut line_rules: Vec<Box<dyn LineRule>> = Vec::new();
        for rule in enabled.iter() {
            match rule {
                RuleId::Entities => line_rules.push(Box::new(crate::rules::entities::Entities)),
                RuleId::Mojibake => line_rules.push(Box::new(crate::rules::mojibake::Mojibake)),
                RuleId::Glyphs => {
                    line_rules.push(Box::new(crate::rules::glyphs::Glyphs::new(config.script)))
                }
                RuleId::Unicode => line_rules.push(Box::new(crate::rules::unicode::Unicode)),
                RuleId::Width => line_rules.push(Box::new(crate::rules::width::Width)),
                RuleId::Punct => {
                    if let Some(punct) = crate::rules::punct::Punct::new(config.punct) {
                        line_rules.push(Box::new(punct));
                    }
                }
                RuleId::Layout => {
                    line_rules.push(Box::new(crate::rules::layout::TrailingWhitespace))
                }
                RuleId::Boilerplate => {}
            }
        }
        let boilerplate = if enabled.contains(RuleId::Boilerplate) {
            Some(Boilerplate::new(&config.boilerplate)?)
        } else {
            None
        };
        Ok(Cleaner {
            config,
            line_rules,
            boilerplate,
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Cleans a whole document held in memory. Returns the input itself, borrowed, when
    /// nothing needs to change.
    pub fn clean<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let (clean, _) = self.clean_with_changes(text);
        if clean == text {
            Cow::Borrowed(text)
        } else {
            Cow::Owned(clean)
        }
    }

    /// Cleans a whole document and returns the changes made, in output order.
    ///
    /// ```
    /// use rinse::{Cleaner, Config, RuleId};
    ///
    /// let cleaner = Cleaner::new(Config::default()).unwrap();
    /// let (text, changes) = cleaner.clean_with_changes("你好,世界\n");
    /// assert_eq!(text, "你好，世界\n");
    /// assert_eq!(changes[0].rule, RuleId::Punct);
    /// assert_eq!((changes[0].line, changes[0].column), (1, 3));
    /// ```
    pub fn clean_with_changes(&self, text: &str) -> (String, Vec<Change>) {
        let mut sink = StringSink::default();
        let mut document = self.document();
        // Writing to a String cannot fail.
        document.push_str(text, &mut sink).expect("in-memory sink");
        document.finish(&mut sink).expect("in-memory sink");
        (sink.text, sink.changes)
    }

    /// Starts a streamed document: feed it text with [`Document::push_str`], then call
    /// [`Document::finish`].
    pub fn document(&self) -> Document<'_> {
        Document {
            pending: String::new(),
            line_number: 0,
            continued_columns: None,
            parallel: None,
            back: BackHalf {
                cleaner: self,
                boilerplate: self.boilerplate.as_ref().map(BoilerplateState::new),
                layout: self
                    .config
                    .rules
                    .contains(RuleId::Layout)
                    .then(LayoutState::default),
                layout_after_content: false,
                spare_text: String::new(),
                edits: Vec::new(),
                verdicts: Vec::new(),
            },
        }
    }

    /// Starts a streamed document whose line rules run on the worker threads of `pool` (see
    /// [`crate::parallel::with_line_pool`]). The output and the changes are exactly those of
    /// [`Cleaner::document`]; lines are written once their batch is back, so call
    /// [`Document::catch_up`] when the input pauses.
    ///
    /// Panics if `pool` was made for another cleaner.
    pub fn document_on<'a>(&'a self, pool: &'a mut LinePool<'_>) -> Document<'a> {
        assert!(
            std::ptr::eq(pool.cleaner, self),
            "a line pool cleans with the cleaner it was made for"
        );
        let mut document = self.document();
        document.parallel = Some(Parallel {
            ordered: &mut pool.ordered,
            batch: LineBatch::new(),
            spare: Vec::new(),
        });
        document
    }

    /// Runs the line rules on a batch of lines (on a worker thread), and the line-by-line part
    /// of `boilerplate`'s classification, which does not depend on the lines before. The batch
    /// comes back with the results: the lines no rule changed stay where they are, in its text.
    pub(crate) fn clean_batch(&self, mut batch: LineBatch) -> LineBatch {
        let mut edits = Vec::new();
        let LineBatch {
            text,
            lines,
            classes,
            changed,
        } = &mut batch;
        let mut start = 0;
        for (index, line) in lines.iter().enumerate() {
            let input = &text[start..line.end];
            start = line.next_start();
            let mut changes = Vec::new();
            let clean = self.clean_line(
                input,
                line.number,
                line.column_offset,
                &mut edits,
                &mut changes,
            );
            if let Some(boilerplate) = &self.boilerplate {
                classes.push(boilerplate.preclassify(&clean));
            }
            if let Cow::Owned(text) = clean {
                changed.push(ChangedLine {
                    index,
                    text,
                    changes,
                });
            }
        }
        batch
    }

    /// A framed line after the line rules.
    fn rule_line<'a>(
        &self,
        input: &'a str,
        number: u64,
        column_offset: usize,
        ending: LineEnding,
        edits: &mut Vec<Edit>,
    ) -> CleanLine<'a> {
        let mut changes = Vec::new();
        let text = self.clean_line(input, number, column_offset, edits, &mut changes);
        CleanLine {
            number,
            input,
            column_offset,
            ending,
            text,
            changes,
        }
    }

    /// Runs the line rules on one line. Returns the new text (borrowed when unchanged) and
    /// appends one [`Change`] per edit to `changes`.
    fn clean_line<'t>(
        &self,
        line: &'t str,
        number: u64,
        column_offset: usize,
        edits: &mut Vec<Edit>,
        changes: &mut Vec<Change>,
    ) -> Cow<'t, str> {
        // Most lines come through every rule unchanged, and cost nothing more than the rules'
        // scans.
        for (first, rule) in self.line_rules.iter().enumerate() {
            edits.clear();
            rule.find_edits(line, edits);
            if !edits.is_empty() {
                return Cow::Owned(self.repair_line(
                    line,
                    first,
                    number,
                    column_offset,
                    edits,
                    changes,
                ));
            }
        }
        Cow::Borrowed(line)
    }

    /// [`Cleaner::clean_line`] for a line that rule number `first` changes (the rules before it
    /// do not): `edits` holds that rule's edits.
    #[cold]
    fn repair_line(
        &self,
        line: &str,
        first: usize,
        number: u64,
        column_offset: usize,
        edits: &mut Vec<Edit>,
        changes: &mut Vec<Change>,
    ) -> String {
        let mut text = Cow::Borrowed(line);
        // Edits of earlier rules, kept to map later edits back to columns of the input line.
        let mut history: Vec<Vec<Edit>> = Vec::new();
        // Columns are counted from the last change's position when they move forward (they do
        // within one rule), so a long line with many changes costs linear time, not quadratic.
        let mut counted = (0usize, 0usize);
        let mut column_at = |byte: usize| -> usize {
            let (from_byte, from_column) = if byte >= counted.0 { counted } else { (0, 0) };
            let column = from_column + line[from_byte..byte].chars().count();
            counted = (byte, column);
            column
        };
        // The first round starts at rule `first`, whose edits are already found.
        let mut rules = first;
        let mut found = true;
        for _ in 0..MAX_LINE_ROUNDS {
            let edits_before = history.len();
            for rule in &self.line_rules[rules..] {
                if !std::mem::take(&mut found) {
                    edits.clear();
                    rule.find_edits(&text, edits);
                }
                if edits.is_empty() {
                    continue;
                }
                for edit in edits.iter() {
                    let start = map_to_input(edit.range.start, &history);
                    changes.push(Change {
                        rule: rule.id(),
                        line: number,
                        column: column_offset + column_at(start) + 1,
                        offset: edit.range.start,
                        before: text[edit.range.clone()].to_string(),
                        after: edit.replacement.to_string(),
                        reason: edit.reason.clone(),
                    });
                }
                text = Cow::Owned(apply_edits(&text, edits));
                history.push(std::mem::take(edits));
            }
            // A changed line goes round again: one rule's repair can make work for a rule that
            // ran before it (removing a control character inside `&\0gt;` makes a reference),
            // and the output must be a fixed point.
            if history.len() == edits_before {
                break;
            }
            rules = 0;
        }
        text.into_owned()
    }
}

/// Maps a byte offset in the text after all of `history`'s edits back to the input line.
/// An offset inside a replacement maps to the start of what was replaced.
fn map_to_input(mut offset: usize, history: &[Vec<Edit>]) -> usize {
    for edits in history.iter().rev() {
        let mut shift: isize = 0;
        for edit in edits {
            let new_start = (edit.range.start as isize + shift) as usize;
            let new_end = new_start + edit.replacement.len();
            if offset < new_start {
                break;
            }
            if offset < new_end {
                offset = (new_start as isize - shift) as usize;
                shift = 0;
                break;
            }
            shift += edit.replacement.len() as isize - edit.range.len() as isize;
        }
        offset = (offset as isize - shift) as usize;
    }
    offset
}

/// One document being cleaned as it streams in. See [`Cleaner::document`].
pub struct Document<'c> {
    /// Text received but not yet ended by a line terminator.
    pending: String,
    line_number: u64,
    /// Set while a line longer than [`MAX_LINE_BYTES`] is being passed on in pieces: the
    /// columns of the pieces already passed.
    continued_columns: Option<usize>,
    /// Set when the line rules run on worker threads ([`Cleaner::document_on`]).
    parallel: Option<Parallel<'c>>,
    back: BackHalf<'c>,
}

/// Lines on their way to and from worker threads.
struct Parallel<'c> {
    ordered: &'c mut Ordered<LineBatch, LineBatch>,
    /// Framed lines not yet submitted.
    batch: LineBatch,
    /// Batches back from the workers and passed on, emptied for the next lines: their buffers
    /// are allocated once, on this thread.
    spare: Vec<LineBatch>,
}

impl Drop for Parallel<'_> {
    fn drop(&mut self) {
        // A document abandoned on an error must not leave its lines to the pool's next
        // document, nor wait for them.
        self.ordered.abandon();
    }
}

impl Parallel<'_> {
    /// Submits the batch being filled and starts the next one. Batches that come back in the
    /// meantime are passed on through `back`.
    fn submit(&mut self, back: &mut BackHalf<'_>, sink: &mut dyn Sink) -> io::Result<()> {
        let next = self.spare.pop().unwrap_or_else(LineBatch::new);
        let batch = std::mem::replace(&mut self.batch, next);
        let spare = &mut self.spare;
        self.ordered
            .submit(batch, &mut |batch| back.take_batch(batch, spare, sink))
    }

    /// Adds the lines of `text` that `lines` finds to batches, numbering them from
    /// `line_number`, and submits each batch that is full. Returns where the first line not
    /// ended in `text` starts. The text goes into a batch in as few pieces as its size allows.
    fn queue(
        &mut self,
        text: &str,
        lines: LineEnds<'_>,
        line_number: &mut u64,
        back: &mut BackHalf<'_>,
        sink: &mut dyn Sink,
    ) -> io::Result<usize> {
        // The lines from `copied` to `start` are in the batch but their text is still to copy.
        let mut copied = 0;
        let mut start = 0;
        for (end, ending, next) in lines {
            *line_number += 1;
            if !self.batch.lines.is_empty() && self.batch.text.len() + next - copied > BATCH_BYTES {
                self.batch.text.push_str(&text[copied..start]);
                copied = start;
                self.submit(back, sink)?;
            }
            let batch = &mut self.batch;
            batch.lines.push(RawLine {
                end: batch.text.len() + end - copied,
                ending,
                number: *line_number,
                column_offset: 0,
            });
            start = next;
        }
        self.batch.text.push_str(&text[copied..start]);
        Ok(start)
    }

    /// Waits for every batch submitted and passes them on.
    fn wait_all(&mut self, back: &mut BackHalf<'_>, sink: &mut dyn Sink) -> io::Result<()> {
        let spare = &mut self.spare;
        self.ordered
            .wait_all(&mut |batch| back.take_batch(batch, spare, sink))
    }
}

/// A batch of framed lines is submitted to the workers before it would grow past this many
/// bytes (unless it holds a single longer line): large enough that handing it over costs
/// nothing next to cleaning it, small enough that the batches in flight (a few per thread),
/// with the lines' bookkeeping, keep memory small.
const BATCH_BYTES: usize = 64 * 1024;

/// The largest buffer kept for the text of the next line `boilerplate` is given: a long line
/// is not worth holding on to.
const SPARE_TEXT_BYTES: usize = 4096;

/// Emptied batches kept for reuse; more come back only after a pause in the input.
const SPARE_BATCHES: usize = 2;

/// Framed lines for a worker: their text, one after the other, each with its ending as it
/// was read, and where each ends. The worker adds what the rules made of them, and the batch
/// comes back.
pub struct LineBatch {
    text: String,
    lines: Vec<RawLine>,
    /// `boilerplate`'s classification of each line, when it runs.
    classes: Vec<Classified>,
    /// The lines the rules changed, in order; the others are still in `text`.
    changed: Vec<ChangedLine>,
}

impl LineBatch {
    fn new() -> LineBatch {
        LineBatch {
            text: String::with_capacity(BATCH_BYTES),
            lines: Vec::new(),
            classes: Vec::new(),
            changed: Vec::new(),
        }
    }

    fn clear(&mut self) {
        self.text.clear();
        self.lines.clear();
        self.classes.clear();
        self.changed.clear();
    }
}

struct RawLine {
    /// End of the line in [`LineBatch::text`], where its ending is; it starts where the
    /// previous one's ending ends.
    end: usize,
    ending: LineEnding,
    number: u64,
    column_offset: usize,
}

impl RawLine {
    /// Where the next line of the batch starts.
    fn next_start(&self) -> usize {
        self.end + self.ending.as_str().len()
    }
}

/// A line of a batch that the rules changed.
struct ChangedLine {
    /// Its place in [`LineBatch::lines`].
    index: usize,
    text: String,
    changes: Vec<Change>,
}

/// A framed line after the line rules: its text is the input, borrowed, unless a rule changed
/// it.
struct CleanLine<'a> {
    number: u64,
    /// The line as it was read, before any rule.
    input: &'a str,
    column_offset: usize,
    ending: LineEnding,
    text: Cow<'a, str>,
    changes: Vec<Change>,
}

/// The document-level half of the pipeline, which sees every line in order.
struct BackHalf<'c> {
    cleaner: &'c Cleaner,
    boilerplate: Option<BoilerplateState<'c>>,
    layout: Option<LayoutState>,
    /// Whether the last line `layout` took had content (see [`BackHalf::passes_as_is`]).
    layout_after_content: bool,
    /// The text of a line `boilerplate` kept, to copy the next line it is given into.
    spare_text: String,
    edits: Vec<Edit>,
    verdicts: Vec<Verdict>,
}

impl Document<'_> {
    /// Feeds the next piece of the document. Lines completed by it are cleaned and written to
    /// `sink` at once, unless a document-level rule needs to see more first.
    pub fn push_str(&mut self, chunk: &str, sink: &mut dyn Sink) -> io::Result<()> {
        let mut rest = chunk;
        if !self.pending.is_empty() {
            // A line continued from the previous chunk. A pending lone '\r' is resolved by the
            // first byte of this chunk.
            if self.pending.ends_with('\r') {
                let ending = if rest.starts_with('\n') {
                    rest = &rest[1..];
                    self.pending.push('\n');
                    LineEnding::CrLf
                } else {
                    LineEnding::Cr
                };
                self.emit_pending(ending, sink)?;
            } else {
                match memchr::memchr2(b'\n', b'\r', rest.as_bytes()) {
                    Some(at) => {
                        self.pending.push_str(&rest[..at]);
                        rest = &rest[at..];
                        if rest.as_bytes()[0] == b'\r' && rest.len() == 1 {
                            self.pending.push('\r');
                            return Ok(());
                        }
                        let (ending, len) = ending_at(rest.as_bytes());
                        self.pending.push_str(&rest[..len]);
                        rest = &rest[len..];
                        self.emit_pending(ending, sink)?;
                    }
                    None => {
                        self.pending.push_str(rest);
                        return self.split_long_pending(sink);
                    }
                }
            }
        }
        // The lines that end in this chunk are whole: no piece of a long line is pending.
        debug_assert!(self.continued_columns.is_none());
        let lines = LineEnds::new(rest);
        let framed = match &mut self.parallel {
            Some(parallel) => {
                parallel.queue(rest, lines, &mut self.line_number, &mut self.back, sink)?
            }
            None => self
                .back
                .clean_lines(rest, lines, &mut self.line_number, sink)?,
        };
        self.pending.push_str(&rest[framed..]);
        self.split_long_pending(sink)
    }

    /// Ends the document: the last line (if it had no terminator), held sections and the final
    /// newline are decided and written.
    pub fn finish(mut self, sink: &mut dyn Sink) -> io::Result<()> {
        if self.pending.ends_with('\r') {
            self.emit_pending(LineEnding::Cr, sink)?;
        } else if !self.pending.is_empty() {
            self.emit_pending(LineEnding::None, sink)?;
        }
        self.catch_up(sink)?;
        let back = &mut self.back;
        if let Some(boilerplate) = &mut back.boilerplate {
            boilerplate.finish(&mut back.verdicts);
            back.pass_verdicts(sink)?;
        }
        match &mut back.layout {
            Some(layout) => layout.finish(sink),
            None => Ok(()),
        }
    }

    /// Passes on every complete line received so far that waits on worker threads (a document
    /// from [`Cleaner::document_on`] cleans lines in batches). Call it when the input pauses,
    /// so that `tail -f log | rinse` shows each line as it comes; a document that cleans on
    /// the calling thread has nothing to wait for.
    pub fn catch_up(&mut self, sink: &mut dyn Sink) -> io::Result<()> {
        let Some(parallel) = &mut self.parallel else {
            return Ok(());
        };
        if !parallel.batch.lines.is_empty() {
            parallel.submit(&mut self.back, sink)?;
        }
        parallel.wait_all(&mut self.back, sink)
    }

    /// Cuts a pending line that has grown past [`MAX_LINE_BYTES`] into pieces.
    fn split_long_pending(&mut self, sink: &mut dyn Sink) -> io::Result<()> {
        while self.pending.len() > MAX_LINE_BYTES {
            let cut = long_line_cut(&self.pending, MAX_LINE_BYTES);
            let rest = self.pending.split_off(cut);
            let piece = std::mem::replace(&mut self.pending, rest);
            self.emit(&piece, LineEnding::Continued, sink)?;
        }
        Ok(())
    }

    /// Passes on the pending line, which ends (with its ending, if it has one) where the
    /// pending text does.
    fn emit_pending(&mut self, ending: LineEnding, sink: &mut dyn Sink) -> io::Result<()> {
        let line = std::mem::take(&mut self.pending);
        self.emit(&line, ending, sink)
    }

    /// Passes on one line that `line` holds with its ending (if it has one).
    fn emit(&mut self, line: &str, ending: LineEnding, sink: &mut dyn Sink) -> io::Result<()> {
        let raw = &line[..line.len() - ending.as_str().len()];
        // A piece of a long line keeps the line number of the line it belongs to, and its
        // columns go on from where the previous piece stopped.
        let column_offset = match self.continued_columns.take() {
            Some(columns) => columns,
            None => {
                self.line_number += 1;
                0
            }
        };
        if ending == LineEnding::Continued {
            self.continued_columns = Some(column_offset + raw.chars().count());
        }
        if let Some(parallel) = &mut self.parallel {
            let batch = &parallel.batch;
            if !batch.lines.is_empty() && batch.text.len() + line.len() > BATCH_BYTES {
                parallel.submit(&mut self.back, sink)?;
            }
            let batch = &mut parallel.batch;
            batch.lines.push(RawLine {
                end: batch.text.len() + raw.len(),
                ending,
                number: self.line_number,
                column_offset,
            });
            batch.text.push_str(line);
            return Ok(());
        }
        let back = &mut self.back;
        let clean = back.cleaner.rule_line(
            raw,
            self.line_number,
            column_offset,
            ending,
            &mut back.edits,
        );
        let mut run = Run::new(line);
        back.take(clean, None, &mut run, line.len(), sink)?;
        back.write_run(&mut run, sink)
    }
}

impl BackHalf<'_> {
    /// Cleans the lines of `text` that `lines` finds, numbering them from `line_number`, and
    /// passes them on. Returns where the first line not ended in `text` starts.
    fn clean_lines(
        &mut self,
        text: &str,
        lines: LineEnds<'_>,
        line_number: &mut u64,
        sink: &mut dyn Sink,
    ) -> io::Result<usize> {
        let mut run = Run::new(text);
        let mut start = 0;
        for (end, ending, next) in lines {
            *line_number += 1;
            let input = &text[start..end];
            let mut changes = Vec::new();
            let clean =
                self.cleaner
                    .clean_line(input, *line_number, 0, &mut self.edits, &mut changes);
            let unchanged = matches!(clean, Cow::Borrowed(_)).then_some(input);
            if !self.join_untouched(&mut run, unchanged, ending, *line_number, next) {
                let line = CleanLine {
                    number: *line_number,
                    input,
                    column_offset: 0,
                    ending,
                    text: clean,
                    changes,
                };
                self.take(line, None, &mut run, next, sink)?;
            }
            start = next;
        }
        self.write_run(&mut run, sink)?;
        Ok(start)
    }

    /// Adds a line that no rule changed and that `boilerplate` (if it runs) kept at once to
    /// `run`, which ends where the line starts, if the line goes to the sink exactly as it was
    /// read, its ending included, with nothing recorded. That is an LF line; with `layout`
    /// (whose [`LayoutState::push`] holds blank lines, and drops them at the start of a
    /// document and in a run of them) a line after one with content, and a blank line only
    /// until a line with content follows it ([`Run::blank`]). `text` ends at `next`.
    #[inline]
    fn join_run(
        &self,
        run: &mut Run<'_>,
        text: &str,
        ending: LineEnding,
        number: u64,
        next: usize,
    ) -> bool {
        if ending != LineEnding::Lf {
            return false;
        }
        if self.layout.is_some() {
            if !self.layout_after_content {
                return false;
            }
            if text.is_empty() {
                if run.blank.is_some() {
                    return false;
                }
                run.blank = Some(number);
            } else {
                run.blank = None;
            }
        }
        run.end = next;
        true
    }

    /// [`BackHalf::join_run`] for a line that `boilerplate` does not have to see: the quick way
    /// for most lines when it does not run.
    #[inline]
    fn join_untouched(
        &self,
        run: &mut Run<'_>,
        unchanged: Option<&str>,
        ending: LineEnding,
        number: u64,
        next: usize,
    ) -> bool {
        match unchanged {
            Some(text) if self.boilerplate.is_none() => {
                self.join_run(run, text, ending, number, next)
            }
            _ => false,
        }
    }

    /// Writes the lines of `run` and starts it again where it ends. A blank line that ends it
    /// goes to `layout`, which holds it until it knows what follows.
    fn write_run(&mut self, run: &mut Run<'_>, sink: &mut dyn Sink) -> io::Result<()> {
        let blank = run.blank.take();
        // A blank line is its "\n" alone.
        let end = run.end - usize::from(blank.is_some());
        if run.start < end {
            sink.write_lines(&run.text[run.start..end])?;
        }
        run.start = run.end;
        if let Some(number) = blank {
            // A blank line with an LF ending is a whole line: the last piece of a line cut for
            // length is never empty but before a CR.
            let line = LineRef {
                number,
                text: "",
                ending: LineEnding::Lf,
                end_column: EndColumn::Known(1),
                changes: &mut Vec::new(),
            };
            self.write_through(line, sink)?;
        }
        Ok(())
    }

    /// Keeps the buffer of a line's text for the next line `boilerplate` is given, unless it
    /// is larger than most lines need.
    fn keep_spare_text(&mut self, text: String) {
        if text.capacity() <= SPARE_TEXT_BYTES {
            self.spare_text = text;
        }
    }

    /// Passes the lines of a batch back from a worker on, in order, and keeps the emptied batch
    /// in `spare`.
    fn take_batch(
        &mut self,
        mut batch: LineBatch,
        spare: &mut Vec<LineBatch>,
        sink: &mut dyn Sink,
    ) -> io::Result<()> {
        let mut changed = batch.changed.drain(..).peekable();
        let mut classes = batch.classes.drain(..);
        let mut run = Run::new(&batch.text);
        let mut start = 0;
        for (index, raw) in batch.lines.iter().enumerate() {
            let input = &batch.text[start..raw.end];
            let next = raw.next_start();
            let (text, changes) = match changed.next_if(|line| line.index == index) {
                Some(line) => (Cow::Owned(line.text), line.changes),
                None => (Cow::Borrowed(input), Vec::new()),
            };
            let (number, column_offset, ending) = (raw.number, raw.column_offset, raw.ending);
            let unchanged = matches!(text, Cow::Borrowed(_)).then_some(input);
            if !self.join_untouched(&mut run, unchanged, ending, number, next) {
                let line = CleanLine {
                    number,
                    input,
                    column_offset,
                    ending,
                    text,
                    changes,
                };
                self.take(line, classes.next(), &mut run, next, sink)?;
            }
            start = next;
        }
        self.write_run(&mut run, sink)?;
        drop((changed, classes));
        if spare.len() < SPARE_BATCHES && batch.text.capacity() <= BATCH_BYTES {
            batch.clear();
            spare.push(batch);
        }
        Ok(())
    }

    /// Passes one line, in order, through the document-level rules to `sink`. `class` is the
    /// line's `boilerplate` classification when a worker made it already. The line is in
    /// `run`'s text, up to `next` (its ending included): if it goes out as it was read, it
    /// joins the run instead of being written.
    fn take(
        &mut self,
        line: CleanLine<'_>,
        mut class: Option<Classified>,
        run: &mut Run<'_>,
        next: usize,
        sink: &mut dyn Sink,
    ) -> io::Result<()> {
        let unchanged = matches!(line.text, Cow::Borrowed(_)).then_some(line.input);
        if self.join_untouched(run, unchanged, line.ending, line.number, next) {
            return Ok(());
        }
        let CleanLine {
            number,
            input,
            column_offset,
            ending,
            text,
            mut changes,
        } = line;
        // Without `boilerplate`, and for the many unchanged lines it keeps at once, the line
        // passes on borrowed; `boilerplate` needs its own copy only of a line it may hold back
        // or change.
        let mut judged = None;
        let passes = match (&mut self.boilerplate, &text) {
            (None, _) => true,
            (Some(boilerplate), Cow::Borrowed(unchanged)) => {
                debug_assert!(self.verdicts.is_empty(), "verdicts are passed as made");
                match boilerplate.pass_borrowed(unchanged, ending, class.take()) {
                    Ok(()) if self.join_run(run, unchanged, ending, number, next) => {
                        return Ok(());
                    }
                    Ok(()) => true,
                    Err(verdict) => {
                        judged = Some(verdict);
                        false
                    }
                }
            }
            (Some(_), Cow::Owned(_)) => false,
        };
        let boilerplate = match &mut self.boilerplate {
            Some(boilerplate) if !passes => boilerplate,
            _ => {
                self.write_run(run, sink)?;
                run.restart(next);
                let line = LineRef {
                    number,
                    text: &text,
                    ending,
                    end_column: EndColumn::Uncounted {
                        column_offset,
                        input,
                    },
                    changes: &mut changes,
                };
                return self.write_through(line, sink);
            }
        };
        // `boilerplate` may hold lines back, so they are its own.
        let text = match text {
            Cow::Owned(text) => text,
            Cow::Borrowed(text) => {
                let mut owned = std::mem::take(&mut self.spare_text);
                owned.clear();
                owned.push_str(text);
                owned
            }
        };
        let line = Line {
            number,
            text,
            ending,
            end_column: column_offset + input.chars().count() + 1,
            changes,
        };
        match judged {
            Some(judged) => boilerplate.place(line, judged, &mut self.verdicts),
            None => boilerplate.push_classified(line, class, &mut self.verdicts),
        }
        // Most lines are kept at once, as they came.
        if let [Verdict::Keep(kept)] = self.verdicts.as_slice() {
            if kept.number == number
                && kept.changes.is_empty()
                && self.join_run(run, &kept.text, kept.ending, number, next)
            {
                if let Some(Verdict::Keep(kept)) = self.verdicts.pop() {
                    self.keep_spare_text(kept.text);
                }
                return Ok(());
            }
        }
        self.write_run(run, sink)?;
        run.restart(next);
        self.pass_verdicts(sink)
    }

    /// Writes or records the lines `boilerplate` has decided on.
    fn pass_verdicts(&mut self, sink: &mut dyn Sink) -> io::Result<()> {
        let mut verdicts = std::mem::take(&mut self.verdicts);
        for verdict in verdicts.drain(..) {
            match verdict {
                Verdict::Keep(mut line) => {
                    if line
                        .changes
                        .iter()
                        .any(|change| change.rule == RuleId::Boilerplate)
                    {
                        // Removing a watermark can bring together what the line rules saw apart
                        // (`中文www.x.com,中文` leaves an ASCII comma between two Han
                        // characters), so they run again on what is left. Their columns then
                        // point into the line as it was after the removal.
                        let mut changes = Vec::new();
                        if let Cow::Owned(text) = self.cleaner.clean_line(
                            &line.text,
                            line.number,
                            0,
                            &mut self.edits,
                            &mut changes,
                        ) {
                            line.text = text;
                            line.changes.extend(changes);
                        }
                    }
                    self.write_through(line.as_line_ref(), sink)?;
                    self.keep_spare_text(line.text);
                }
                Verdict::Drop(line, change) => {
                    for earlier in line.changes {
                        sink.record(earlier);
                    }
                    sink.record(change);
                }
            }
        }
        // The list is kept for its capacity.
        self.verdicts = verdicts;
        Ok(())
    }

    /// Passes a line the document-level rules kept on to `layout`, or to `sink` when there is
    /// no `layout`.
    fn write_through(&mut self, mut line: LineRef<'_>, sink: &mut dyn Sink) -> io::Result<()> {
        match &mut self.layout {
            Some(layout) => {
                // What `LayoutState::push` takes for a line with content rather than a blank.
                self.layout_after_content =
                    !line.text.is_empty() || line.ending == LineEnding::Continued;
                layout.push(line, sink)
            }
            None => {
                line.record_changes(sink);
                sink.write_line(line.text, line.ending.as_str())
            }
        }
    }
}

/// Lines that go out as they were read ([`BackHalf::join_run`]), one after the other in
/// `text`, not written yet: [`BackHalf::write_run`] writes them in one piece when a line comes
/// that does not join them, or when the text ends.
struct Run<'t> {
    text: &'t str,
    start: usize,
    end: usize,
    /// The number of a blank line that ends the run, when `layout` runs: it goes out as it
    /// was read only if a line with content follows it.
    blank: Option<u64>,
}

impl<'t> Run<'t> {
    fn new(text: &'t str) -> Run<'t> {
        Run {
            text,
            start: 0,
            end: 0,
            blank: None,
        }
    }

    /// Starts the run again at `next`, past a line that did not join it.
    fn restart(&mut self, next: usize) {
        debug_assert_eq!(self.start, self.end, "the run was written");
        self.start = next;
        self.end = next;
    }
}

/// The ends of the lines of a text, in order: where each line's ending is, what it is, and
/// where the next line starts. A '\r' at the very end is left out: it may be the first half of
/// a "\r\n" whose second half comes with the next chunk.
struct LineEnds<'t> {
    text: &'t [u8],
    next: usize,
    /// Whether `text` has a '\r' at all; most text has none, and a search for '\n' alone is
    /// quicker.
    has_cr: bool,
}

impl<'t> LineEnds<'t> {
    fn new(text: &'t str) -> LineEnds<'t> {
        let text = text.as_bytes();
        LineEnds {
            text,
            next: 0,
            has_cr: memchr::memchr(b'\r', text).is_some(),
        }
    }
}

impl Iterator for LineEnds<'_> {
    type Item = (usize, LineEnding, usize);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let rest = &self.text[self.next..];
        if !self.has_cr {
            let at = self.next + memchr::memchr(b'\n', rest)?;
            self.next = at + 1;
            return Some((at, LineEnding::Lf, self.next));
        }
        let at = self.next + memchr::memchr2(b'\n', b'\r', rest)?;
        let (ending, len) = match &self.text[at..] {
            [b'\r'] => return None,
            rest => ending_at(rest),
        };
        self.next = at + len;
        Some((at, ending, self.next))
    }
}

/// The line ending that starts `rest` (which starts with '\r' or '\n') and its length.
fn ending_at(rest: &[u8]) -> (LineEnding, usize) {
    match rest {
        [b'\r', b'\n', ..] => (LineEnding::CrLf, 2),
        [b'\r', ..] => (LineEnding::Cr, 1),
        _ => (LineEnding::Lf, 1),
    }
}

/// Where to cut a line that is too long: at a char boundary at most `max` bytes in, preferably
/// after a Chinese sentence mark, otherwise after a letter or ideograph (so that no rule sees
/// the cut as trailing whitespace or as the end of a sentence).
fn long_line_cut(text: &str, max: usize) -> usize {
    let mut limit = max.min(text.len());
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let mut window_start = limit.saturating_sub(4096);
    while !text.is_char_boundary(window_start) {
        window_start += 1;
    }
    let window = &text[..limit];
    let after = |i: usize, c: char| i + c.len_utf8();
    if let Some((i, c)) = window[window_start..]
        .char_indices()
        .map(|(i, c)| (i + window_start, c))
        .rfind(|&(_, c)| matches!(c, '。' | '！' | '？' | '；'))
    {
        return after(i, c);
    }
    // Otherwise after a letter or ideograph: a piece that ended in ASCII punctuation would make
    // `punct` read it as the end of a sentence (报告.txt must not become 报告。txt).
    match window
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_alphanumeric())
        .or_else(|| {
            window
                .char_indices()
                .rev()
                .find(|(_, c)| !c.is_whitespace())
        }) {
        Some((i, c)) if after(i, c) > 0 => after(i, c),
        _ => limit.max(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_line_cut_is_on_a_char_boundary_after_a_sentence_mark() {
        let text = "长句子没有换行，".repeat(1000) + "结束。" + &"尾".repeat(10);
        for max in [5, 1000, 3001, text.len() - 1] {
            let cut = long_line_cut(&text, max);
            assert!(
                text.is_char_boundary(cut) && cut > 0 && cut <= max,
                "max {max} cut {cut}"
            );
        }
        let cut = long_line_cut(&text, text.len() - 1);
        assert!(text[..cut].ends_with("结束。"));
        let text = "见报告.txt".repeat(10);
        let cut = long_line_cut(&text, 12);
        assert!(!text[..cut].ends_with('.'), "{:?}", &text[..cut]);
    }

    #[test]
    fn long_line_cut_avoids_trailing_whitespace() {
        let text = format!("{}{}", "word ".repeat(100), "x".repeat(10));
        let cut = long_line_cut(&text, 300);
        assert!(!text[..cut].ends_with(' '), "{:?}", &text[..cut]);
    }

    /// A sink that notes what it is given, in order, one line at a time.
    #[derive(Default)]
    struct Events(Vec<String>);

    impl Sink for Events {
        fn write_line(&mut self, text: &str, ending: &str) -> io::Result<()> {
            self.0.push(format!("write {text:?} {ending:?}"));
            Ok(())
        }

        fn record(&mut self, change: Change) {
            self.0.push(format!("record {change:?}"));
        }
    }

    fn events(cleaner: &Cleaner, pieces: &[&str], threads: usize) -> Vec<String> {
        let push_all = |document: &mut Document<'_>, sink: &mut Events| {
            for piece in pieces {
                document.push_str(piece, sink).unwrap();
            }
        };
        let mut sink = Events::default();
        if threads == 1 {
            let mut document = cleaner.document();
            push_all(&mut document, &mut sink);
            document.finish(&mut sink).unwrap();
        } else {
            crate::parallel::with_line_pool(cleaner, threads, |pool| {
                let mut document = cleaner.document_on(pool);
                push_all(&mut document, &mut sink);
                document.finish(&mut sink).unwrap();
            });
        }
        sink.0
    }

    #[test]
    fn lines_written_in_runs_come_in_the_order_of_lines_written_one_by_one() {
        // Blank lines alone and in runs, at the start and the end, CRLF and CR, trailing
        // blanks, a trailing section, a line that boilerplate drops and one the rules change.
        let text = "\n\n第一段。\n\n第二段。\n第三段，English.\n\n\n\n第四段。  \n\
                    \r\n第五段。\r\n第六段。\r第七段。\n\n上一篇：东营市召开会议\n\
                    第八段。\n\n参考资料\n\n链接一\n\n第九段，长一些的正文，说明这不是结尾。\n\
                    \n参考资料\n链接二\n\n\n";
        for rules in [
            "entities",
            "layout",
            "entities,layout",
            "boilerplate,layout",
            "all",
        ] {
            let mut config = Config::default();
            if rules != "all" {
                config.rules = crate::RuleSet::none();
                for name in rules.split(',') {
                    config.rules.insert(RuleId::from_name(name).unwrap());
                }
            }
            let cleaner = Cleaner::new(config).unwrap();
            let by_line: Vec<&str> = text.split_inclusive('\n').collect();
            let one_by_one = events(&cleaner, &by_line, 1);
            for size in [1, 2, 3, 7, 16, 40, text.len()] {
                let mut pieces = Vec::new();
                let mut rest = text;
                while !rest.is_empty() {
                    let mut cut = size.min(rest.len());
                    while !rest.is_char_boundary(cut) {
                        cut += 1;
                    }
                    pieces.push(&rest[..cut]);
                    rest = &rest[cut..];
                }
                for threads in [1, 2] {
                    assert_eq!(
                        events(&cleaner, &pieces, threads),
                        one_by_one,
                        "rules {rules}, pieces of {size} bytes, {threads} threads"
                    );
                }
            }
        }
    }

    #[test]
    fn columns_map_back_through_earlier_edits() {
        // "a&amp;b,c" → entities → "a&b,c"; an edit at byte 3 (",") maps back to byte 7.
        let history = vec![vec![Edit::new(1..6, "&", "t")]];
        assert_eq!(map_to_input(3, &history), 7);
        assert_eq!(map_to_input(1, &history), 1);
        assert_eq!(map_to_input(0, &history), 0);
    }
}
