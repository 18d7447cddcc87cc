//! `--jsonl`: one input through [`rinse::jsonl::clean_jsonl`], with its changes and bad
//! records turned into `--explain` lines, `--report` objects, `--diff` hunks and messages.

use std::io::{self, BufReader, BufWriter, Write};
use std::path::Path;

use rinse::io::output::AtomicFile;
use rinse::jsonl::{
    clean_jsonl, clean_jsonl_on, FieldPath, JsonlOptions, Observer, Outcome, RecordPool,
    StreamError,
};
use rinse::report::{explain_record_line, report_bad_record, report_record_line};
use rinse::{Change, Cleaner};

use crate::flags::Args;
use crate::{open_input, Failure, Output, Report};

/// Malformed records reported one by one on stderr for each input; past this, only their
/// number (a file that is not JSON Lines at all would otherwise bury the terminal).
/// `--report` lists every one.
const MAX_BAD_RECORD_MESSAGES: u64 = 20;

#[allow(clippy::too_many_arguments)]
pub fn clean_jsonl_input(
    cleaner: &Cleaner,
    options: &JsonlOptions,
    pool: Option<&mut RecordPool<'_>>,
    input: Option<&Path>,
    name: &str,
    output: &mut Output,
    report: &mut Report,
    args: &Args,
) -> Result<(), Failure> {
    let mut reader = BufReader::with_capacity(1 << 16, open_input(input, report)?);
    let mut in_place = match input {
        Some(path) if args.in_place => Some(AtomicFile::create(path).map_err(Failure::Rewrite)?),
        _ => None,
    };
    let write_failure = if in_place.is_some() {
        Failure::Rewrite
    } else {
        Failure::Write
    };
    let mut nowhere = io::sink();
    let out: &mut dyn Write = match &mut in_place {
        Some(file) => file,
        None => match output.writer() {
            Some(out) => out,
            // --check and --diff: the records themselves go nowhere.
            None => &mut nowhere,
        },
    };
    let mut observer = CliObserver {
        name,
        report,
        diff: args.diff.then(|| DiffState {
            stdout: BufWriter::new(io::stdout().lock()),
            colour: crate::cli::diff::use_colour_on_stdout(),
            header_written: false,
            dropped: 0,
        }),
        bad_seen: 0,
    };
    let result = match pool {
        Some(pool) => clean_jsonl_on(pool, &mut reader, out, &mut observer),
        None => clean_jsonl(cleaner, options, &mut reader, out, &mut observer),
    };
    let bad_seen = observer.bad_seen;
    if let Some(diff) = &mut observer.diff {
        diff.stdout.flush().map_err(Failure::Write)?;
    }
    drop(observer);
    let summary = result.map_err(|err| match err {
        StreamError::Read(err) => Failure::Read(err),
        StreamError::Write(err) => write_failure(err),
    })?;
    out.flush().map_err(write_failure)?;
    if bad_seen > MAX_BAD_RECORD_MESSAGES {
        report.say(&format!(
            "rinse: {name}: {bad_seen} malformed records in all, the first \
             {MAX_BAD_RECORD_MESSAGES} shown above; --report FILE lists every one"
        ));
    }
    let changed = summary.any_change();
    report.stats.files += 1;
    if changed {
        report.stats.changed_files += 1;
    }
    if let Some(records) = &mut report.stats.records {
        records.add(&summary);
    }
    if args.check && changed && !args.diff {
        println!("{name}");
    }
    if let Some(file) = in_place {
        if changed {
            file.commit().map_err(Failure::Rewrite)?;
        }
    }
    Ok(())
}

struct CliObserver<'a> {
    name: &'a str,
    report: &'a mut Report,
    diff: Option<DiffState<'a>>,
    bad_seen: u64,
}

struct DiffState<'a> {
    stdout: BufWriter<io::StdoutLock<'a>>,
    colour: bool,
    header_written: bool,
    /// Records left out so far, which shift the output's line numbers.
    dropped: u64,
}

impl Observer for CliObserver<'_> {
    fn change(&mut self, line: u64, field: &FieldPath, change: &Change) {
        self.report.stats.count(change);
        let name = self.name;
        self.report
            .log(|| report_record_line(name, line, field, change));
        if self.report.explain {
            let _ = writeln!(
                self.report.stderr,
                "{}",
                explain_record_line(name, line, field, change)
            );
        }
    }

    fn bad_record(&mut self, line: u64, problem: &str, outcome: Outcome) {
        self.bad_seen += 1;
        if outcome == Outcome::BadDropped {
            if let Some(diff) = &mut self.diff {
                diff.dropped += 1;
            }
        }
        let name = self.name;
        self.report
            .log(|| report_bad_record(name, line, problem, outcome));
        if self.bad_seen <= MAX_BAD_RECORD_MESSAGES {
            let action = match outcome {
                Outcome::BadDropped => "dropped (--on-bad-record drop)",
                _ => "passed through unchanged",
            };
            self.report
                .say(&format!("rinse: {name}:{line}: {problem}; {action}"));
        }
    }

    fn input_paused(&mut self) {
        let _ = self.report.stderr.flush();
    }

    fn record(
        &mut self,
        line: u64,
        original: &[u8],
        written: Option<&[u8]>,
        outcome: Outcome,
    ) -> io::Result<()> {
        if self.report.count_output {
            if let Some(text) = written.and_then(|w| std::str::from_utf8(w).ok()) {
                self.report.stats.count_output(text);
            }
        }
        let Some(diff) = &mut self.diff else {
            return Ok(());
        };
        if outcome == Outcome::DroppedEmpty {
            diff.dropped += 1;
        }
        if written == Some(original) {
            return Ok(());
        }
        if !diff.header_written {
            crate::cli::diff::write_header(&mut diff.stdout, self.name, diff.colour)?;
            diff.header_written = true;
        }
        crate::cli::diff::write_record_hunk(
            &mut diff.stdout,
            line,
            line - diff.dropped,
            original,
            written,
            diff.colour,
        )
    }
}
