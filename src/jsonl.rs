//! JSON Lines: clean named string fields of each record and keep everything else.
//!
//! Each line of the input is one record, a JSON object. For each record the named fields
//! (`text`, or dotted paths such as `meta.title`) are cleaned, each as one document, so the
//! document-level rules (`boilerplate`'s trailing sections, `layout`'s blank lines) see the
//! field's whole text. Everything else is kept:
//!
//! - a record none of whose fields changes is written back byte for byte, as it came;
//! - a changed record is written as compact JSON with its keys in their original order and
//!   its numbers spelled as they were (`1.50` stays `1.50`, integers past 2⁶⁴ stay exact);
//! - a field that is missing, `null`, a number, an array or an object is left alone;
//! - a field's text keeps its lack of a final newline (`"你好"` does not become `"你好\n"`),
//!   which `layout` would otherwise add to a document;
//! - each record keeps its line ending (`\r\n` stays `\r\n`); a last record without one gets
//!   `\n`, so that records of several files never run together;
//! - blank lines are written back as they came and are not counted as records;
//! - a UTF-8 byte-order mark at the start of the input is removed, as in text mode.
//!
//! A line that is not a JSON object (malformed JSON, another JSON value, invalid UTF-8, an
//! object with a key twice, which could not be written back whole) is a *bad record*: it is reported to the [`Observer`] with its line number and, by default,
//! written back unchanged ([`BadRecords::Pass`]) or left out ([`BadRecords::Drop`]). A line
//! longer than [`JsonlOptions::max_record_bytes`] is a bad record too: it is never held in
//! memory whole but copied through (or skipped) as it streams, so memory stays bounded by that
//! cap whatever the input.
//!
//! ```
//! use rinse::jsonl::{clean_jsonl, FieldPath, JsonlOptions, NoObserver};
//! use rinse::{Cleaner, Config};
//!
//! let cleaner = Cleaner::new(Config::default()).unwrap();
//! let options = JsonlOptions::new(vec![FieldPath::parse("text").unwrap()]);
//! let input = "{\"id\":1,\"text\":\"你好,世界\"}\n{\"id\":2,\"text\":null}\n";
//! let mut out = Vec::new();
//! let mut input = std::io::BufReader::new(input.as_bytes());
//! clean_jsonl(&cleaner, &options, &mut input, &mut out, &mut NoObserver).unwrap();
//! assert_eq!(
//!     String::from_utf8(out).unwrap(),
//!     "{\"id\":1,\"text\":\"你好，世界\"}\n{\"id\":2,\"text\":null}\n"
//! );
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, BufRead, BufReader, Write};

use serde_json::{Map, Value};

use crate::error::Error;
use crate::parallel::Ordered;
use crate::pipeline::{Change, Cleaner};
use crate::rules::RuleId;

/// The default cap on one record: far above any real document, far below what would strain a
/// machine. A record is held as read, as parsed, as cleaned and as written, so a record near
/// the cap peaks at about five times its size (a 60 MB record: 329 MiB resident).
pub const DEFAULT_MAX_RECORD_BYTES: usize = 64 << 20;

/// The key `--annotate` adds to each record unless told otherwise.
pub const DEFAULT_ANNOTATION_KEY: &str = "rinse";

/// Where a field is in a record: `text`, `meta.title`, `paragraphs.0` (an array index).
/// A key that itself contains a dot is written with a backslash: `a\.b`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldPath {
    parts: Vec<String>,
    spelled: String,
}

impl FieldPath {
    /// Parses a dotted path. An empty path or an empty part (`a..b`, `.a`) is an error.
    pub fn parse(spelled: &str) -> Result<FieldPath, Error> {
        let mut parts = vec![String::new()];
        let mut chars = spelled.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some(next) => parts.last_mut().expect("never empty").push(next),
                    None => parts.last_mut().expect("never empty").push('\\'),
                },
                '.' => parts.push(String::new()),
                c => parts.last_mut().expect("never empty").push(c),
            }
        }
        if parts.iter().any(String::is_empty) {
            return Err(Error::Config(format!(
                "bad field path '{spelled}': use a key such as text, or a dotted path such as \
                 meta.title (write a dot inside a key as \\.)"
            )));
        }
        Ok(FieldPath {
            parts,
            spelled: spelled.to_string(),
        })
    }

    /// The path as the user wrote it.
    pub fn as_str(&self) -> &str {
        &self.spelled
    }

    /// The value at this path, if the record has one.
    fn find_mut<'v>(&self, record: &'v mut Map<String, Value>) -> Option<&'v mut Value> {
        let (first, rest) = self.parts.split_first().expect("parse refuses empty paths");
        let mut value = record.get_mut(first)?;
        for part in rest {
            value = match value {
                Value::Object(map) => map.get_mut(part)?,
                Value::Array(items) => items.get_mut(part.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(value)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.spelled)
    }
}

/// What to do with a line that is not a JSON object.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BadRecords {
    /// Write it back unchanged (nothing is lost).
    #[default]
    Pass,
    /// Leave it out of the output.
    Drop,
}

impl BadRecords {
    pub fn from_name(name: &str) -> Option<BadRecords> {
        match name {
            "pass" => Some(BadRecords::Pass),
            "drop" => Some(BadRecords::Drop),
            _ => None,
        }
    }
}

/// How to treat the records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonlOptions {
    /// The fields to clean, each as one document.
    pub fields: Vec<FieldPath>,
    pub bad_records: BadRecords,
    /// Add an object under this key to each record, saying what was changed (counts per rule)
    /// and how much damage is left (U+FFFD characters in the cleaned fields). An existing
    /// value under the key is replaced, so re-running on annotated output stays consistent.
    pub annotate: Option<String>,
    /// Leave out records whose named string fields are all empty after cleaning (a record
    /// with none of the fields as a string is kept: there was no text to judge).
    pub drop_empty: bool,
    /// A longer line is a bad record, streamed through (or skipped) without being parsed.
    pub max_record_bytes: usize,
}

impl JsonlOptions {
    pub fn new(fields: Vec<FieldPath>) -> JsonlOptions {
        JsonlOptions {
            fields,
            bad_records: BadRecords::Pass,
            annotate: None,
            drop_empty: false,
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
        }
    }
}

/// What happened to one record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Written back as it came.
    Unchanged,
    /// Written with cleaned fields (or an annotation).
    Changed,
    /// Left out by `drop_empty`.
    DroppedEmpty,
    /// Not a JSON object, written back unchanged.
    BadPassed,
    /// Not a JSON object, left out.
    BadDropped,
}

/// Hears about each record as it is decided; the command line turns this into `--explain`,
/// `--report`, `--diff` and messages.
pub trait Observer {
    /// One change in `field` of the record on input line `line`. The change's own line and
    /// column are within the field's text.
    fn change(&mut self, _line: u64, _field: &FieldPath, _change: &Change) {}

    /// The record on `line` is not a JSON object, for the reason given.
    fn bad_record(&mut self, _line: u64, _problem: &str, _outcome: Outcome) {}

    /// The record on `line` is decided: `original` is the input line without its ending,
    /// `written` what was written in its place (without ending), `None` when left out.
    /// Not called for records too long to hold. An error stops the run as a write error.
    fn record(
        &mut self,
        _line: u64,
        _original: &[u8],
        _written: Option<&[u8]>,
        _outcome: Outcome,
    ) -> io::Result<()> {
        Ok(())
    }

    /// Everything read so far is decided and `out` was flushed: a moment to pass on what the
    /// observer holds (`--explain` lines while `tail -f` feeds rinse).
    fn input_paused(&mut self) {}
}

/// An observer that ignores everything.
pub struct NoObserver;

impl Observer for NoObserver {}

/// Counts for one input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsonlSummary {
    pub records: u64,
    pub changed: u64,
    pub dropped_empty: u64,
    pub bad: u64,
    pub bad_dropped: u64,
}

impl JsonlSummary {
    /// Counts a bad record and says what becomes of it.
    fn count_bad(&mut self, bad_records: BadRecords) -> Outcome {
        self.bad += 1;
        match bad_records {
            BadRecords::Pass => Outcome::BadPassed,
            BadRecords::Drop => {
                self.bad_dropped += 1;
                Outcome::BadDropped
            }
        }
    }
}

impl JsonlSummary {
    /// Whether the output differs from the input in any record.
    pub fn any_change(&self) -> bool {
        self.changed + self.dropped_empty + self.bad_dropped > 0
    }

    pub fn add(&mut self, other: &JsonlSummary) {
        self.records += other.records;
        self.changed += other.changed;
        self.dropped_empty += other.dropped_empty;
        self.bad += other.bad;
        self.bad_dropped += other.bad_dropped;
    }
}

/// Reading the input or writing the output failed.
#[derive(Debug)]
pub enum StreamError {
    Read(io::Error),
    Write(io::Error),
}

/// Cleans a JSON Lines stream from `input` to `out`, one record at a time.
///
/// `out` is flushed whenever `input` has nothing buffered, so that records reach the reader
/// as soon as the writer pauses (`tail -f log.jsonl | rinse --jsonl`), at a cost of one
/// flush per buffer of input.
pub fn clean_jsonl<R: std::io::Read>(
    cleaner: &Cleaner,
    options: &JsonlOptions,
    input: &mut BufReader<R>,
    out: &mut dyn Write,
    observer: &mut dyn Observer,
) -> Result<JsonlSummary, StreamError> {
    stream(None, cleaner, options, input, out, observer)
}

/// Worker threads that decide records for [`clean_jsonl_on`]; made by [`with_record_pool`].
pub struct RecordPool<'p> {
    cleaner: &'p Cleaner,
    options: &'p JsonlOptions,
    ordered: RecordOrder,
}

/// Runs `body` with a pool of `threads` worker threads that clean records with `cleaner` and
/// `options`; the threads end when `body` returns.
pub fn with_record_pool<T>(
    cleaner: &Cleaner,
    options: &JsonlOptions,
    threads: usize,
    body: impl FnOnce(&mut RecordPool<'_>) -> T,
) -> T {
    let work = |batch: Vec<RawRecord>| -> Vec<Decision> {
        batch
            .into_iter()
            .map(|record| decide(cleaner, options, record))
            .collect()
    };
    std::thread::scope(|scope| {
        let mut pool = RecordPool {
            cleaner,
            options,
            ordered: Ordered::start(scope, threads, &work),
        };
        body(&mut pool)
    })
}

/// [`clean_jsonl`] with the records cleaned on `pool`'s threads, a batch at a time. Output,
/// observer calls and summary are exactly those of [`clean_jsonl`]: records are decided in
/// parallel but delivered in input order.
///
/// ```
/// use rinse::jsonl::{clean_jsonl_on, with_record_pool, FieldPath, JsonlOptions, NoObserver};
/// use rinse::{Cleaner, Config};
///
/// let cleaner = Cleaner::new(Config::default()).unwrap();
/// let options = JsonlOptions::new(vec![FieldPath::parse("text").unwrap()]);
/// let input = "{\"text\":\"你好,世界\"}\n".repeat(1000);
/// let mut out = Vec::new();
/// with_record_pool(&cleaner, &options, 2, |pool| {
///     let mut input = std::io::BufReader::new(input.as_bytes());
///     clean_jsonl_on(pool, &mut input, &mut out, &mut NoObserver).unwrap();
/// });
/// assert_eq!(out, "{\"text\":\"你好，世界\"}\n".repeat(1000).into_bytes());
/// ```
pub fn clean_jsonl_on<R: std::io::Read>(
    pool: &mut RecordPool<'_>,
    input: &mut BufReader<R>,
    out: &mut dyn Write,
    observer: &mut dyn Observer,
) -> Result<JsonlSummary, StreamError> {
    let (cleaner, options) = (pool.cleaner, pool.options);
    stream(
        Some(&mut pool.ordered),
        cleaner,
        options,
        input,
        out,
        observer,
    )
}

/// Records are handed to worker threads in batches of about this many bytes: enough work to
/// outweigh the hand-over, little enough that a few batches in flight stay a small, bounded
/// amount of memory.
const BATCH_BYTES: usize = 256 << 10;

/// One input line as read: its number and its bytes, with the line ending.
struct RawRecord {
    line: u64,
    raw: Vec<u8>,
}

/// What becomes of one record. Deciding it is the expensive, independent part (parsing and
/// cleaning), done on any thread; delivering it (writing, telling the observer, counting) is
/// done in input order.
struct Decision {
    line: u64,
    raw: Vec<u8>,
    verdict: RecordVerdict,
}

enum RecordVerdict {
    /// Blank (only whitespace): written back as it came, not a record.
    Blank,
    /// Not a JSON object, for this reason.
    Bad(String),
    /// Parsed and cleaned.
    Cleaned {
        /// Each change with the index of its field in the options.
        changes: Vec<(usize, Change)>,
        /// What to write instead of the line's body; `None` to write the body (without a
        /// byte-order mark) as it came.
        rewritten: Option<Vec<u8>>,
        changed: bool,
        bom_removed: bool,
        /// Left out by `drop_empty`.
        dropped_empty: bool,
    },
}

/// The one loop behind [`clean_jsonl`] and [`clean_jsonl_on`]: records are decided on the
/// calling thread without a pool, in batches on the pool's threads with one.
fn stream<R: std::io::Read>(
    mut pool: Option<&mut RecordOrder>,
    cleaner: &Cleaner,
    options: &JsonlOptions,
    input: &mut BufReader<R>,
    out: &mut dyn Write,
    observer: &mut dyn Observer,
) -> Result<JsonlSummary, StreamError> {
    let mut delivery = Delivery {
        options,
        out,
        observer,
        summary: JsonlSummary::default(),
    };
    let mut buf = Vec::new();
    let mut line_number = 0u64;
    let mut batch = Batch::default();
    let mut fills = Fills {
        emptied: true,
        latest: 0,
    };
    loop {
        buf.clear();
        let read = read_record(input, &mut buf, options.max_record_bytes, &mut fills)
            .map_err(StreamError::Read)?;
        line_number += 1;
        match read {
            Read::End => break,
            Read::Whole => {
                let record = RawRecord {
                    line: line_number,
                    raw: std::mem::take(&mut buf),
                };
                match &mut pool {
                    None => delivery.deliver(decide(cleaner, options, record))?,
                    Some(pool) => batch.add(record, pool, &mut delivery)?,
                }
            }
            Read::TooLong => {
                // Streamed through as it is read, so everything before it goes out first.
                batch.drain(&mut pool, &mut delivery)?;
                let summary = &mut delivery.summary;
                summary.records += 1;
                let outcome = summary.count_bad(options.bad_records);
                let problem = format!(
                    "record longer than {} bytes, not parsed",
                    options.max_record_bytes
                );
                delivery.observer.bad_record(line_number, &problem, outcome);
                let keep = options.bad_records == BadRecords::Pass;
                let out = &mut *delivery.out;
                if keep {
                    out.write_all(&buf).map_err(StreamError::Write)?;
                }
                copy_rest_of_line(input, if keep { Some(out) } else { None })?;
            }
        }
        // One huge record must not pin its buffer for the rest of the run.
        if buf.capacity() > 1 << 20 {
            buf = Vec::new();
        }
        if input.buffer().is_empty() && (pool.is_none() || fills.paused(input.capacity())) {
            batch.drain(&mut pool, &mut delivery)?;
            delivery.out.flush().map_err(StreamError::Write)?;
            delivery.observer.input_paused();
        }
    }
    batch.drain(&mut pool, &mut delivery)?;
    Ok(delivery.summary)
}

/// The pool's ordered workers, as [`stream`] uses them.
type RecordOrder = Ordered<Vec<RawRecord>, Vec<Decision>>;

/// Records read but not yet handed to the pool.
#[derive(Default)]
struct Batch {
    records: Vec<RawRecord>,
    bytes: usize,
}

impl Batch {
    /// Adds a record; a full batch goes to the pool (delivering whatever is due meanwhile).
    fn add(
        &mut self,
        record: RawRecord,
        pool: &mut RecordOrder,
        delivery: &mut Delivery<'_>,
    ) -> Result<(), StreamError> {
        self.bytes += record.raw.len();
        self.records.push(record);
        if self.bytes >= BATCH_BYTES {
            self.bytes = 0;
            pool.submit(std::mem::take(&mut self.records), &mut |decisions| {
                delivery.deliver_all(decisions)
            })?;
        }
        Ok(())
    }

    /// Decides and delivers everything read so far: this batch and the records in flight.
    fn drain(
        &mut self,
        pool: &mut Option<&mut RecordOrder>,
        delivery: &mut Delivery<'_>,
    ) -> Result<(), StreamError> {
        let Some(pool) = pool else {
            return Ok(());
        };
        let mut deliver = |decisions| delivery.deliver_all(decisions);
        if !self.records.is_empty() {
            self.bytes = 0;
            pool.submit(std::mem::take(&mut self.records), &mut deliver)?;
        }
        pool.wait_all(&mut deliver)
    }
}

/// The size of the latest read from the input behind the buffer, to tell a pause (a pipe from
/// a slow writer hands over less than a buffer) from a file read in full buffers, where
/// waiting for the pool's threads at every buffer would only hold them back.
struct Fills {
    /// The buffer was emptied, so the next look at it reads from the input.
    emptied: bool,
    latest: usize,
}

impl Fills {
    fn saw(&mut self, available: usize, taken: usize) {
        if self.emptied {
            self.latest = available;
        }
        self.emptied = taken == available;
    }

    fn paused(&self, capacity: usize) -> bool {
        self.emptied && self.latest < capacity / 2
    }
}

enum Read {
    End,
    /// `buf` holds a whole line, with its `\n` if it had one.
    Whole,
    /// `buf` holds the first `max` bytes of a longer line.
    TooLong,
}

fn read_record(
    input: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    max: usize,
    fills: &mut Fills,
) -> io::Result<Read> {
    loop {
        let available = match input.fill_buf() {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if available.is_empty() {
            return Ok(if buf.is_empty() {
                Read::End
            } else {
                Read::Whole
            });
        }
        let (take, done) = match memchr::memchr(b'\n', available) {
            Some(at) => (at + 1, true),
            None => (available.len(), false),
        };
        let room = max.saturating_sub(buf.len());
        if take > room && !(done && take == room + 1) {
            // Over the cap (a line of exactly `max` bytes plus its `\n` still fits).
            buf.extend_from_slice(&available[..room]);
            fills.saw(available.len(), room);
            input.consume(room);
            return Ok(Read::TooLong);
        }
        buf.extend_from_slice(&available[..take]);
        fills.saw(available.len(), take);
        input.consume(take);
        if done {
            return Ok(Read::Whole);
        }
    }
}

/// Streams the rest of an over-long line to `out` (or nowhere), ending it with a newline.
fn copy_rest_of_line(
    input: &mut dyn BufRead,
    mut out: Option<&mut dyn Write>,
) -> Result<(), StreamError> {
    loop {
        let available = match input.fill_buf() {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(StreamError::Read(err)),
        };
        if available.is_empty() {
            if let Some(out) = out.as_mut() {
                out.write_all(b"\n").map_err(StreamError::Write)?;
            }
            return Ok(());
        }
        let (take, done) = match memchr::memchr(b'\n', available) {
            Some(at) => (at + 1, true),
            None => (available.len(), false),
        };
        if let Some(out) = out.as_mut() {
            out.write_all(&available[..take])
                .map_err(StreamError::Write)?;
        }
        input.consume(take);
        if done {
            return Ok(());
        }
    }
}

/// Parses and cleans one record (on any thread).
fn decide(cleaner: &Cleaner, options: &JsonlOptions, record: RawRecord) -> Decision {
    let RawRecord { line, raw } = record;
    let verdict = decide_verdict(cleaner, options, line, &raw);
    Decision { line, raw, verdict }
}

fn decide_verdict(
    cleaner: &Cleaner,
    options: &JsonlOptions,
    line: u64,
    raw: &[u8],
) -> RecordVerdict {
    let (body, bom_removed) = record_body(split_ending(raw).0, line);
    if body.iter().all(u8::is_ascii_whitespace) {
        return RecordVerdict::Blank;
    }
    let mut record = match parse_record(body) {
        Ok(record) => record,
        Err(problem) => return RecordVerdict::Bad(problem),
    };
    let mut changed = false;
    let mut strings = 0usize;
    let mut empty_strings = 0usize;
    let mut counts: BTreeMap<RuleId, u64> = BTreeMap::new();
    let mut replacement_chars = 0usize;
    let mut all_changes = Vec::new();
    for (index, field) in options.fields.iter().enumerate() {
        let Some(Value::String(text)) = field.find_mut(&mut record) else {
            continue;
        };
        strings += 1;
        let (clean, changes) = clean_field(cleaner, text);
        for change in changes {
            *counts.entry(change.rule).or_default() += 1;
            all_changes.push((index, change));
        }
        replacement_chars += clean.chars().filter(|&c| c == '\u{fffd}').count();
        if clean.is_empty() {
            empty_strings += 1;
        }
        if clean != *text {
            *text = clean;
            changed = true;
        }
    }
    let dropped_empty = options.drop_empty && strings > 0 && empty_strings == strings;
    if let Some(key) = options.annotate.as_ref().filter(|_| !dropped_empty) {
        let changes: Map<String, Value> = counts
            .iter()
            .map(|(rule, n)| (rule.name().to_string(), Value::from(*n)))
            .collect();
        let mut note = Map::new();
        note.insert("changes".into(), Value::Object(changes));
        note.insert("replacement_chars".into(), Value::from(replacement_chars));
        record.insert(key.clone(), Value::Object(note));
    }
    let rewritten = (!dropped_empty && (changed || options.annotate.is_some()))
        .then(|| serde_json::to_vec(&record).expect("a parsed record serializes"));
    RecordVerdict::Cleaned {
        changes: all_changes,
        rewritten,
        changed,
        bom_removed,
        dropped_empty,
    }
}

/// The record's text (`original`, without its line ending) without, on the first line, a
/// byte-order mark (no part of JSON, but Windows tools write one; removed, as in text mode).
/// Also says whether a mark was removed.
fn record_body(original: &[u8], line: u64) -> (&[u8], bool) {
    match original.strip_prefix(b"\xef\xbb\xbf") {
        Some(rest) if line == 1 => (rest, true),
        _ => (original, false),
    }
}

/// Where decided records go, in input order: the output, the observer and the counts.
struct Delivery<'a> {
    options: &'a JsonlOptions,
    out: &'a mut dyn Write,
    observer: &'a mut dyn Observer,
    summary: JsonlSummary,
}

impl Delivery<'_> {
    fn deliver_all(&mut self, decisions: Vec<Decision>) -> Result<(), StreamError> {
        decisions
            .into_iter()
            .try_for_each(|decision| self.deliver(decision))
    }

    /// Writes a decided record, tells the observer and counts it.
    fn deliver(&mut self, decision: Decision) -> Result<(), StreamError> {
        let Decision { line, raw, verdict } = decision;
        let (original, ending) = split_ending(&raw);
        let (body, _) = record_body(original, line);
        let summary = &mut self.summary;
        // What is written in the record's place (`None`: nothing), and its outcome.
        let (written, outcome) = match verdict {
            RecordVerdict::Blank => {
                return self
                    .out
                    .write_all(body)
                    .and_then(|()| self.out.write_all(ending))
                    .map_err(StreamError::Write);
            }
            RecordVerdict::Bad(problem) => {
                summary.records += 1;
                let outcome = summary.count_bad(self.options.bad_records);
                self.observer.bad_record(line, &problem, outcome);
                let written = (outcome == Outcome::BadPassed).then_some(original);
                (written.map(Cow::Borrowed), outcome)
            }
            RecordVerdict::Cleaned {
                changes,
                rewritten,
                changed,
                bom_removed,
                dropped_empty,
            } => {
                summary.records += 1;
                for (index, change) in &changes {
                    self.observer
                        .change(line, &self.options.fields[*index], change);
                }
                if dropped_empty {
                    summary.dropped_empty += 1;
                    (None, Outcome::DroppedEmpty)
                } else {
                    let outcome = if changed || bom_removed {
                        summary.changed += 1;
                        Outcome::Changed
                    } else {
                        Outcome::Unchanged
                    };
                    let written = rewritten.map_or(Cow::Borrowed(body), Cow::Owned);
                    (Some(written), outcome)
                }
            }
        };
        self.observer
            .record(line, original, written.as_deref(), outcome)
            .map_err(StreamError::Write)?;
        match written {
            Some(bytes) => self
                .out
                .write_all(&bytes)
                .and_then(|()| self.out.write_all(ending))
                .map_err(StreamError::Write),
            None => Ok(()),
        }
    }
}

/// The line without its ending, and the ending to write after it (`\n` where it had none).
fn split_ending(raw: &[u8]) -> (&[u8], &'static [u8]) {
    if let Some(body) = raw.strip_suffix(b"\r\n") {
        (body, b"\r\n")
    } else if let Some(body) = raw.strip_suffix(b"\n") {
        (body, b"\n")
    } else {
        (raw, b"\n")
    }
}

fn parse_record(body: &[u8]) -> Result<Map<String, Value>, String> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => {
            // A parsed object keeps only the last of two equal keys, so writing it back would
            // lose the first value.
            if let Err(err) = serde_json::from_slice::<NoDuplicateKeys>(body) {
                return Err(err.to_string().replace(" at line 1 column ", " at column "));
            }
            Ok(map)
        }
        Ok(other) => Err(format!(
            "not a JSON object but {}",
            match other {
                Value::Null => "null",
                Value::Bool(_) => "a boolean",
                Value::Number(_) => "a number",
                Value::String(_) => "a string",
                Value::Array(_) => "an array",
                Value::Object(_) => unreachable!("matched above"),
            }
        )),
        // The record is one line, so serde_json's "at line 1 column N" says less than it seems.
        Err(err) => Err(format!(
            "not valid JSON: {}",
            err.to_string().replace(" at line 1 column ", " at column ")
        )),
    }
}

/// Parses a JSON value only to fail on an object with the same key twice (which JSON allows
/// and `serde_json::Value` silently merges).
struct NoDuplicateKeys;

impl<'de> serde::Deserialize<'de> for NoDuplicateKeys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NoDuplicateKeysVisitor)
    }
}

struct NoDuplicateKeysVisitor;

impl<'de> serde::de::Visitor<'de> for NoDuplicateKeysVisitor {
    type Value = NoDuplicateKeys;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<NoDuplicateKeys, E> {
        Ok(NoDuplicateKeys)
    }

    fn visit_i64<E>(self, _: i64) -> Result<NoDuplicateKeys, E> {
        Ok(NoDuplicateKeys)
    }

    fn visit_u64<E>(self, _: u64) -> Result<NoDuplicateKeys, E> {
        Ok(NoDuplicateKeys)
    }

    fn visit_f64<E>(self, _: f64) -> Result<NoDuplicateKeys, E> {
        Ok(NoDuplicateKeys)
    }

    fn visit_str<E>(self, _: &str) -> Result<NoDuplicateKeys, E> {
        Ok(NoDuplicateKeys)
    }

    fn visit_unit<E>(self) -> Result<NoDuplicateKeys, E> {
        Ok(NoDuplicateKeys)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> Result<NoDuplicateKeys, A::Error> {
        while seq.next_element::<NoDuplicateKeys>()?.is_some() {}
        Ok(NoDuplicateKeys)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> Result<NoDuplicateKeys, A::Error> {
        let mut keys = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !keys.insert(key.clone()) {
                return Err(serde::de::Error::custom(format_args!(
                    "duplicate key \"{key}\", which rewriting the record would lose"
                )));
            }
            map.next_value::<NoDuplicateKeys>()?;
        }
        Ok(NoDuplicateKeys)
    }
}

/// Cleans one field's text as a document, keeping its lack of a final newline.
///
/// The newline to take off is either the one `layout` added (its change is taken back too)
/// or, when a trailing section was cut, the ending of the last line kept, which in the field
/// was followed by the section and so was no final newline either.
fn clean_field(cleaner: &Cleaner, text: &str) -> (String, Vec<Change>) {
    let (mut clean, mut changes) = cleaner.clean_with_changes(text);
    if !text.ends_with(['\n', '\r']) && clean.ends_with('\n') {
        clean.pop();
        if let Some(at) = changes
            .iter()
            .rposition(|c| c.rule == RuleId::Layout && c.before.is_empty() && c.after == "\n")
        {
            changes.remove(at);
        }
    }
    (clean, changes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;

    fn run(input: &str, options: &JsonlOptions) -> (String, JsonlSummary) {
        let cleaner = Cleaner::new(Config::default()).unwrap();
        let mut out = Vec::new();
        let summary = clean_jsonl(
            &cleaner,
            options,
            &mut BufReader::new(input.as_bytes()),
            &mut out,
            &mut NoObserver,
        )
        .unwrap();
        (String::from_utf8(out).unwrap(), summary)
    }

    fn text_field() -> JsonlOptions {
        JsonlOptions::new(vec![FieldPath::parse("text").unwrap()])
    }

    #[test]
    fn field_paths() {
        let path = FieldPath::parse("meta.title").unwrap();
        assert_eq!(path.parts, ["meta", "title"]);
        assert_eq!(FieldPath::parse(r"a\.b.c").unwrap().parts, ["a.b", "c"]);
        for bad in ["", "a..b", ".a", "a."] {
            let err = FieldPath::parse(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn clean_record_is_written_back_byte_for_byte() {
        // Spacing, escapes and number spelling all survive when nothing changes.
        let line = "{ \"text\": \"\\u4e2d\\u6587。\", \"n\": 1.50e0 }\n";
        assert_eq!(run(line, &text_field()).0, line);
    }

    #[test]
    fn changed_record_keeps_key_order_and_numbers() {
        let (out, summary) = run(
            "{\"z\":1,\"text\":\"你好,世界\",\"a\":12345678901234567890123,\"f\":1.50}\n",
            &text_field(),
        );
        assert_eq!(
            out,
            "{\"z\":1,\"text\":\"你好，世界\",\"a\":12345678901234567890123,\"f\":1.50}\n"
        );
        assert_eq!(summary.changed, 1);
    }

    #[test]
    fn field_keeps_its_missing_final_newline_but_other_layout_applies() {
        let (out, _) = run("{\"text\":\"a  \\r\\n\\n\\n\\nb\"}\n", &text_field());
        assert_eq!(out, "{\"text\":\"a\\n\\nb\"}\n");
        let (out, _) = run("{\"text\":\"a\\n\"}\n", &text_field());
        assert_eq!(out, "{\"text\":\"a\\n\"}\n");
        // A cut trailing section leaves no newline behind either.
        let (out, _) = run(
            "{\"text\":\"正文。\\n\\n参考资料\\n[1] 链接\"}\n",
            &text_field(),
        );
        assert_eq!(out, "{\"text\":\"正文。\"}\n");
    }

    #[test]
    fn byte_order_mark_is_removed_from_the_first_record_only() {
        let (out, summary) = run("\u{feff}{\"text\":\"a\"}\n\u{feff}{}\n", &text_field());
        assert_eq!(out, "{\"text\":\"a\"}\n\u{feff}{}\n");
        assert_eq!((summary.changed, summary.bad), (1, 1));
    }

    #[test]
    fn a_record_with_a_duplicate_key_is_bad_not_merged() {
        let input = "{\"text\":\"你好,\",\"a\":{\"k\":1,\"k\":2}}\n{\"n\":1.5e3,\"m\":[{\"k\":1},{\"k\":2}]}\n";
        let (out, summary) = run(input, &text_field());
        assert_eq!(out, input);
        assert_eq!((summary.records, summary.bad), (2, 1));
        // Column 15 is the end of the second "k", where the parser notices.
        assert_eq!(
            parse_record(b"{\"a\":{\"k\":1,\"k\":2}}").unwrap_err(),
            "duplicate key \"k\", which rewriting the record would lose at column 15"
        );
    }

    #[test]
    fn nested_and_array_paths() {
        let options = JsonlOptions::new(vec![
            FieldPath::parse("meta.title").unwrap(),
            FieldPath::parse("parts.1").unwrap(),
        ]);
        let (out, _) = run(
            "{\"meta\":{\"title\":\"ＡＢ\"},\"parts\":[\"ＡＢ\",\"ＣＤ\"]}\n",
            &options,
        );
        assert_eq!(
            out,
            "{\"meta\":{\"title\":\"AB\"},\"parts\":[\"ＡＢ\",\"CD\"]}\n"
        );
    }

    #[test]
    fn over_long_record_streams_through_or_is_skipped() {
        let mut options = text_field();
        options.max_record_bytes = 8;
        let input = "{\"text\":\"ＡＢＣ\"}\n{}\n";
        let (out, summary) = run(input, &options);
        assert_eq!(out, input);
        assert_eq!((summary.records, summary.bad), (2, 1));
        options.bad_records = BadRecords::Drop;
        assert_eq!(run(input, &options).0, "{}\n");
        // Exactly at the cap is not over it.
        options.max_record_bytes = 2;
        assert_eq!(
            run("{}\n{}", &options),
            ("{}\n{}\n".to_string(), {
                JsonlSummary {
                    records: 2,
                    ..JsonlSummary::default()
                }
            })
        );
    }

    #[test]
    fn read_record_over_many_small_reads() {
        // A reader that hands out one byte at a time exercises the joins.
        let input = "{\"text\":\"你好,世界\"}\r\n\n[1]";
        let mut reader = BufReader::with_capacity(1, input.as_bytes());
        let cleaner = Cleaner::new(Config::default()).unwrap();
        let mut out = Vec::new();
        let summary = clean_jsonl(
            &cleaner,
            &text_field(),
            &mut reader,
            &mut out,
            &mut NoObserver,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"text\":\"你好，世界\"}\r\n\n[1]\n"
        );
        assert_eq!((summary.records, summary.bad), (2, 1));
    }
}
