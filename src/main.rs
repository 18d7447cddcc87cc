//! The `rinse` command: flags in, [`rinse::Cleaner`] over each input, exit code out.
//! Everything that cleans lives in the library; this file only moves bytes and reports.

mod cli;
mod flags;

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use clap::Parser;
use indicatif::ProgressBar;
use rinse::io::decode::CHUNK_BYTES;
use rinse::io::output::{write_lines_buffered, AtomicFile};
use rinse::io::DecodedReader;
use rinse::jsonl::RecordPool;
use rinse::parallel::LinePool;
use rinse::report::{explain_line, report_line, Stats};
use rinse::{Change, Cleaner, Error, RuleId, Sink};

use crate::cli::changes_file::ChangesFile;
use crate::flags::Args;

fn main() {
    let args = Args::parse();
    let code = match run(&args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("rinse: {err}");
            err.exit_code()
        }
    };
    std::process::exit(code);
}

/// Runs the command and returns its exit code; an `Err` is fatal and printed once by `main`.
fn run(args: &Args) -> Result<i32, Error> {
    if args.list_rules {
        for rule in RuleId::ALL {
            println!("{:<12} {}", rule.name(), rule.summary());
        }
        return Ok(0);
    }
    if let Some(shell) = args.completions {
        cli::setup::write_completions(shell, &mut io::stdout().lock());
        return Ok(0);
    }
    if args.man {
        cli::setup::write_man_page(&mut io::stdout().lock()).map_err(|source| Error::Io {
            path: "<stdout>".into(),
            source,
        })?;
        return Ok(0);
    }
    let config_file = args.config_file();
    let cleaner = Cleaner::new(args.to_config()?).map_err(|err| match (err, &config_file) {
        // A bad pattern comes from the config file: say which.
        (Error::Config(message), Some(path)) => {
            Error::Config(format!("{}: {message}", path.display()))
        }
        (err, _) => err,
    })?;
    let jsonl = args.jsonl.then(|| args.jsonl_options()).transpose()?;
    let encoding = args.encoding()?;
    let inputs: Vec<Option<&Path>> = if args.files.is_empty() {
        vec![None]
    } else {
        args.files
            .iter()
            .map(|path| (path.as_os_str() != "-").then_some(path.as_path()))
            .collect()
    };
    if args.in_place && inputs.iter().any(Option::is_none) {
        return Err(Error::Config(
            "--in-place rewrites files; it cannot rewrite stdin. Name the files to rewrite".into(),
        ));
    }

    let mut output = Output::open(args)?;
    let mut report = Report {
        explain: args.explain,
        count_output: args.stats_json().is_some(),
        stats: Stats {
            records: jsonl.as_ref().map(|_| Default::default()),
            ..Stats::default()
        },
        stderr: BufWriter::new(io::stderr()),
        changes_file: ChangesFile::create(args.report.as_deref())?,
        progress: cli::progress::bar_for(&inputs, args.explain, !cli::diff::no_color()),
    };
    let threads = match args.threads {
        // Without -j, files too small to keep two threads busy are cleaned on this one:
        // starting the workers would cost more than it saves (`echo 中文 | rinse` on a file).
        None if all_files_smaller_than(&inputs, SMALL_INPUT_BYTES) => 1,
        _ => args.threads(),
    };
    let mut run_inputs = |pool: Pool<'_, '_>| {
        clean_inputs(
            &cleaner,
            pool,
            &inputs,
            jsonl.as_ref(),
            encoding,
            &mut output,
            &mut report,
            args,
        )
    };
    let failed = match (threads > 1, &jsonl) {
        (false, _) => run_inputs(Pool::None),
        (true, None) => {
            rinse::parallel::with_line_pool(&cleaner, threads, |pool| run_inputs(Pool::Lines(pool)))
        }
        (true, Some(options)) => {
            rinse::jsonl::with_record_pool(&cleaner, options, threads, |pool| {
                run_inputs(Pool::Records(pool))
            })
        }
    };
    let failed = match failed? {
        Some(failed) => failed,
        // The reader went away (`rinse big.txt | head`): what it wanted, it got.
        None => return Ok(0),
    };
    if let Some(bar) = &report.progress {
        bar.finish_and_clear();
    }
    let output_name = output.name();
    output.finish().map_err(|source| Error::Io {
        path: output_name,
        source,
    })?;
    if let Some(changes_file) = report.changes_file.take() {
        changes_file.finish()?;
    }
    match args.stats_json() {
        Some(true) => {
            let _ = write!(report.stderr, "{}", report.stats.render_json());
        }
        Some(false) => {
            let _ = write!(report.stderr, "{}", report.stats.render());
        }
        None => {}
    }
    let _ = report.stderr.flush();
    Ok(if failed {
        3
    } else if args.check && report.stats.changed_files > 0 {
        1
    } else {
        0
    })
}

/// Why one input could not be cleaned: reading it or rewriting it in place (reported; the run
/// goes on with the next input) or writing the shared output (the run stops).
enum Failure {
    Read(io::Error),
    Rewrite(io::Error),
    Write(io::Error),
    /// Binary input left out under `--binary error` (already reported).
    Binary,
}

/// Where clean text goes for the whole run.
enum Output {
    Stdout(BufWriter<io::StdoutLock<'static>>),
    File(PathBuf, Box<dyn WriteCommit>),
    /// `--check` and `--in-place`: each input decides for itself.
    PerInput,
}

/// Where clean text goes: a writer that writes runs of unchanged lines as one line at a time
/// would have been written.
trait TextOut: Write {
    /// Writes whole lines, each ended by "\n".
    fn write_lines(&mut self, lines: &[u8]) -> io::Result<()> {
        self.write_all(lines)
    }
}

/// Standard output, or a device or pipe named by `-o`: standard error may go to the same place,
/// so the lines are written with the writes that one at a time would make.
impl<W: Write> TextOut for BufWriter<W> {
    fn write_lines(&mut self, lines: &[u8]) -> io::Result<()> {
        write_lines_buffered(self, lines)
    }
}

/// A temporary file, for `-o` or `--in-place`: nothing else writes to it.
impl TextOut for AtomicFile {}

/// The clean text kept for `--diff`.
impl TextOut for Vec<u8> {}

impl TextOut for Box<dyn WriteCommit> {
    fn write_lines(&mut self, lines: &[u8]) -> io::Result<()> {
        (**self).write_lines(lines)
    }
}

/// A writer that can be completed: atomic files rename, plain ones flush.
trait WriteCommit: TextOut {
    fn commit(self: Box<Self>) -> io::Result<()>;
}

impl WriteCommit for AtomicFile {
    fn commit(self: Box<Self>) -> io::Result<()> {
        AtomicFile::commit(*self)
    }
}

impl WriteCommit for BufWriter<File> {
    fn commit(mut self: Box<Self>) -> io::Result<()> {
        self.flush()
    }
}

impl Output {
    fn open(args: &Args) -> Result<Output, Error> {
        if args.check || args.in_place || args.diff {
            return Ok(Output::PerInput);
        }
        match &args.output {
            None => Ok(Output::Stdout(BufWriter::with_capacity(
                1 << 16,
                io::stdout().lock(),
            ))),
            Some(path) => {
                let io_error = |source| Error::Io {
                    path: path.display().to_string(),
                    source,
                };
                let writer: Box<dyn WriteCommit> = if AtomicFile::suits(path) {
                    Box::new(AtomicFile::create(path).map_err(io_error)?)
                } else {
                    Box::new(BufWriter::new(File::create(path).map_err(io_error)?))
                };
                Ok(Output::File(path.clone(), writer))
            }
        }
    }

    fn name(&self) -> String {
        match self {
            Output::File(path, _) => path.display().to_string(),
            _ => "<stdout>".to_string(),
        }
    }

    fn writer(&mut self) -> Option<&mut dyn Write> {
        match self {
            Output::Stdout(out) => Some(out),
            Output::File(_, out) => Some(out.as_mut()),
            Output::PerInput => None,
        }
    }

    /// [`Output::writer`] for clean text.
    fn text_writer(&mut self) -> Option<&mut dyn TextOut> {
        match self {
            Output::Stdout(out) => Some(out),
            Output::File(_, out) => Some(out),
            Output::PerInput => None,
        }
    }

    fn finish(self) -> io::Result<()> {
        match self {
            Output::Stdout(mut out) => out.flush(),
            Output::File(_, out) => out.commit(),
            Output::PerInput => Ok(()),
        }
    }
}

/// What is said about the run: on stderr, and in the `--report` file.
struct Report {
    explain: bool,
    /// Whether to search the output for U+FFFD: only `--stats` prints the count, and on a
    /// clean line the search costs as much as some rules.
    count_output: bool,
    stats: Stats,
    stderr: BufWriter<io::Stderr>,
    changes_file: Option<ChangesFile>,
    progress: Option<ProgressBar>,
}

impl Report {
    /// Writes a message on stderr without tearing the progress bar.
    fn say(&mut self, message: &str) {
        let _ = self.stderr.flush();
        match &self.progress {
            Some(bar) => bar.suspend(|| eprintln!("{message}")),
            None => eprintln!("{message}"),
        }
    }

    /// Adds one JSON object to the `--report` file, if there is one.
    fn log(&mut self, line: impl FnOnce() -> String) {
        if let Some(file) = &mut self.changes_file {
            file.write_line(&line());
        }
    }
}

/// Receives clean lines and changes for one input.
struct InputSink<'a> {
    out: Option<&'a mut dyn TextOut>,
    file: &'a str,
    report: &'a mut Report,
    changes: u64,
}

impl Sink for InputSink<'_> {
    fn write_line(&mut self, text: &str, ending: &str) -> io::Result<()> {
        if self.report.count_output {
            self.report.stats.count_output(text);
        }
        if let Some(out) = &mut self.out {
            out.write_all(text.as_bytes())?;
            out.write_all(ending.as_bytes())?;
        }
        Ok(())
    }

    fn write_lines(&mut self, lines: &str) -> io::Result<()> {
        if self.report.count_output {
            self.report.stats.count_output(lines);
        }
        if let Some(out) = &mut self.out {
            out.write_lines(lines.as_bytes())?;
        }
        Ok(())
    }

    fn record(&mut self, change: Change) {
        self.changes += 1;
        self.report.stats.count(&change);
        self.report.log(|| report_line(self.file, &change));
        if self.report.explain {
            // stderr is best effort: a closed stderr must not stop the cleaning.
            let _ = writeln!(self.report.stderr, "{}", explain_line(self.file, &change));
        }
    }
}

/// Inputs that add up to fewer bytes than this are cleaned on one thread unless -j says so.
const SMALL_INPUT_BYTES: u64 = 256 << 10;

/// Whether every input is a regular file and together they hold fewer than `limit` bytes
/// (standard input's size is unknown, so it never counts as small).
fn all_files_smaller_than(inputs: &[Option<&Path>], limit: u64) -> bool {
    let mut total = 0u64;
    for input in inputs {
        let Some(path) = input else {
            return false;
        };
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_file() => total += meta.len(),
            _ => return false,
        }
    }
    total < limit
}

/// The worker threads inputs are cleaned on (`-j`): none, or a pool for text or for records.
enum Pool<'p, 'c> {
    None,
    Lines(&'p mut LinePool<'c>),
    Records(&'p mut RecordPool<'c>),
}

/// Cleans each input in turn; `Ok(None)` when the reader of the output went away (`rinse
/// big.txt | head`: what it wanted, it got), else whether some input failed.
#[allow(clippy::too_many_arguments)]
fn clean_inputs(
    cleaner: &Cleaner,
    mut pool: Pool<'_, '_>,
    inputs: &[Option<&Path>],
    jsonl: Option<&rinse::jsonl::JsonlOptions>,
    encoding: Option<&'static encoding_rs::Encoding>,
    output: &mut Output,
    report: &mut Report,
    args: &Args,
) -> Result<Option<bool>, Error> {
    let mut failed = false;
    for &input in inputs {
        let name = input.map_or_else(|| "-".to_string(), |path| path.display().to_string());
        let result = match jsonl {
            Some(options) => {
                let records = match &mut pool {
                    Pool::Records(pool) => Some(&mut **pool),
                    _ => None,
                };
                cli::jsonl::clean_jsonl_input(
                    cleaner, options, records, input, &name, output, report, args,
                )
            }
            None => clean_input(
                cleaner,
                match &mut pool {
                    Pool::Lines(pool) => Some(&mut **pool),
                    _ => None,
                },
                input,
                &name,
                encoding,
                output,
                report,
                args,
            ),
        };
        match result {
            Ok(()) => {}
            Err(Failure::Write(err)) if err.kind() == io::ErrorKind::BrokenPipe => {
                return Ok(None);
            }
            Err(Failure::Write(source)) => {
                return Err(Error::Io {
                    path: output.name(),
                    source,
                });
            }
            Err(Failure::Read(source)) => {
                let _ = report.stderr.flush();
                report.say(&format!("rinse: {}", Error::Io { path: name, source }));
                failed = true;
            }
            Err(Failure::Rewrite(source)) => {
                let _ = report.stderr.flush();
                // The temporary file is gone and the original was never touched: say so, so
                // that nobody goes looking for a backup.
                eprintln!(
                    "rinse: {}; the file was left as it was",
                    Error::Io { path: name, source }
                );
                failed = true;
            }
            Err(Failure::Binary) => failed = true,
        }
    }
    Ok(Some(failed))
}

/// Opens an input (`None` is stdin), counted by the progress bar if there is one.
fn open_input(input: Option<&Path>, report: &Report) -> Result<Box<dyn Read>, Failure> {
    let Some(path) = input else {
        return Ok(Box::new(io::stdin().lock()));
    };
    let file = File::open(path).map_err(Failure::Read)?;
    Ok(match &report.progress {
        Some(bar) => {
            bar.set_message(path.display().to_string());
            Box::new(bar.wrap_read(file))
        }
        None => Box::new(file),
    })
}

#[allow(clippy::too_many_arguments)]
fn clean_input(
    cleaner: &Cleaner,
    pool: Option<&mut LinePool<'_>>,
    input: Option<&Path>,
    name: &str,
    encoding: Option<&'static encoding_rs::Encoding>,
    output: &mut Output,
    report: &mut Report,
    args: &Args,
) -> Result<(), Failure> {
    let reader = open_input(input, report)?;
    let mut in_place = match input {
        Some(path) if args.in_place => Some(AtomicFile::create(path).map_err(Failure::Rewrite)?),
        _ => None,
    };
    let rewriting = in_place.is_some();
    // A write error is the shared output's, or this file's when rewriting it in place.
    let write_failure = if rewriting {
        Failure::Rewrite
    } else {
        Failure::Write
    };
    // --diff: the clean text is kept to compare with the input at the end.
    let mut diff_original = args.diff.then(String::new);
    let mut diff_clean = args.diff.then(Vec::new);
    let out: Option<&mut dyn TextOut> = match (&mut in_place, &mut diff_clean) {
        (Some(file), _) => Some(file),
        (None, Some(clean)) => Some(clean),
        (None, None) => output.text_writer(),
    };
    let mut decoded = DecodedReader::new(reader, encoding);
    let mut sink = InputSink {
        out,
        file: name,
        report,
        changes: 0,
    };
    let mut document = match pool {
        Some(pool) => cleaner.document_on(pool),
        None => cleaner.document(),
    };
    let (mut binary_cut, mut pushed_any) = (false, false);
    while let Some(text) = decoded.next_chunk().map_err(Failure::Read)? {
        // A NUL character in the decoded text is exactly what `first_nul` reports.
        if args.binary != "pass" && memchr::memchr(0, text.as_bytes()).is_some() {
            binary_cut = true;
            break;
        }
        if let Some(original) = &mut diff_original {
            original.push_str(text);
        }
        // A short read means the input paused (a pipe from a slow writer): lines still on
        // worker threads are waited for, so that they are not held back until more comes.
        let paused = text.len() < CHUNK_BYTES / 2;
        document.push_str(text, &mut sink).map_err(write_failure)?;
        pushed_any = true;
        if paused {
            document.catch_up(&mut sink).map_err(write_failure)?;
        }
        // Pass on what is decided as soon as the input pauses, so `tail -f log | rinse` works,
        // explanations included.
        if let Some(out) = &mut sink.out {
            out.flush().map_err(write_failure)?;
        }
        let _ = sink.report.stderr.flush();
    }
    document.finish(&mut sink).map_err(write_failure)?;
    if let Some(out) = &mut sink.out {
        out.flush().map_err(write_failure)?;
    }
    let changed = sink.changes > 0 || !decoded.is_verbatim();
    let report = sink.report;
    report.stats.files += 1;
    report.stats.replaced_bytes += decoded.replacements();
    if changed {
        report.stats.changed_files += 1;
    }
    if decoded.bom_removed() {
        // The decoder removes a byte-order mark before any rule sees the text; it is a change
        // all the same, reported as the `unicode` rule would report a BOM inside text.
        let change = Change {
            rule: RuleId::Unicode,
            line: 1,
            column: 1,
            offset: 0,
            before: "\u{feff}".into(),
            after: String::new(),
            reason: "byte-order mark".into(),
        };
        report.stats.count(&change);
        report.log(|| report_line(name, &change));
        if report.explain {
            let _ = writeln!(report.stderr, "{}", explain_line(name, &change));
        }
    }
    if report.explain {
        if let Some(encoding) = decoded.encoding().filter(|e| *e != encoding_rs::UTF_8) {
            let _ = writeln!(report.stderr, "{name}: decoded from {}", encoding.name());
        }
        if decoded.replacements() > 0 {
            let _ = writeln!(
                report.stderr,
                "{name}: {} undecodable byte sequences became U+FFFD",
                decoded.replacements()
            );
        }
    }
    if let Some(offset) = decoded.first_nul() {
        // A file rewritten in place is only replaced once it was cleaned whole: nothing of a
        // skipped one was written, whatever was read before the NUL.
        let what = match (binary_cut, pushed_any && !rewriting) {
            (false, _) => "cleaned as text (--binary skip leaves such files out)",
            (true, false) => "skipped",
            (true, true) => "skipped from there on; the text read before it was written",
        };
        report.say(&format!(
            "rinse: {name}: binary data (NUL byte at offset {offset}); {what}"
        ));
    }
    if binary_cut {
        // The file was not cleaned whole: neither rewritten in place nor listed by --check.
        return if args.binary == "error" {
            Err(Failure::Binary)
        } else {
            Ok(())
        };
    }
    if let (Some(original), Some(clean)) = (&diff_original, &diff_clean) {
        let clean = String::from_utf8_lossy(clean);
        let colour = cli::diff::use_colour_on_stdout();
        let mut stdout = BufWriter::new(io::stdout().lock());
        cli::diff::write_text_diff(&mut stdout, name, original, &clean, colour)
            .and_then(|()| stdout.flush())
            .map_err(Failure::Write)?;
    } else if args.check && changed {
        println!("{name}");
    }
    if let Some(file) = in_place {
        if changed {
            file.commit().map_err(Failure::Rewrite)?;
        }
    }
    Ok(())
}
