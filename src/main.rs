//! The `rinse` command: flags in, [`rinse::Cleaner`] over each input, exit code out.
//! Everything that cleans lives in the library; this file only moves bytes and reports.

mod flags;

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use clap::Parser;
use rinse::io::decode::CHUNK_BYTES;
use rinse::io::output::AtomicFile;
use rinse::io::DecodedReader;
use rinse::parallel::LinePool;
use rinse::report::{explain_line, Stats};
use rinse::{Change, Cleaner, Error, RuleId, Sink};

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
    let cleaner = Cleaner::new(args.to_config()?).map_err(|err| match (err, &args.config) {
        // A bad pattern comes from the config file: say which.
        (Error::Config(message), Some(path)) => {
            Error::Config(format!("{}: {message}", path.display()))
        }
        (err, _) => err,
    })?;
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
        stats: Stats::default(),
        stderr: BufWriter::new(io::stderr()),
    };
    let threads = args.threads();
    let mut run_inputs = |pool: Option<&mut LinePool<'_>>| {
        clean_inputs(
            &cleaner,
            pool,
            &inputs,
            encoding,
            &mut output,
            &mut report,
            args,
        )
    };
    let failed = if threads > 1 {
        rinse::parallel::with_line_pool(&cleaner, threads, |pool| run_inputs(Some(pool)))
    } else {
        run_inputs(None)
    };
    let failed = match failed? {
        Some(failed) => failed,
        // The reader went away (`rinse big.txt | head`): what it wanted, it got.
        None => return Ok(0),
    };
    let output_name = output.name();
    output.finish().map_err(|source| Error::Io {
        path: output_name,
        source,
    })?;
    if args.stats {
        let _ = write!(report.stderr, "{}", report.stats.render());
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

/// Cleans every input in turn. Returns whether an input failed (reported already), or `None`
/// when the output pipe was closed; an `Err` is fatal.
fn clean_inputs(
    cleaner: &Cleaner,
    mut pool: Option<&mut LinePool<'_>>,
    inputs: &[Option<&Path>],
    encoding: Option<&'static encoding_rs::Encoding>,
    output: &mut Output,
    report: &mut Report,
    args: &Args,
) -> Result<Option<bool>, Error> {
    let mut failed = false;
    for &input in inputs {
        let name = input.map_or_else(|| "-".to_string(), |path| path.display().to_string());
        match clean_input(
            cleaner,
            pool.as_deref_mut(),
            input,
            &name,
            encoding,
            output,
            report,
            args,
        ) {
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
            Err(Failure::Read(source) | Failure::Rewrite(source)) => {
                let _ = report.stderr.flush();
                eprintln!("rinse: {}", Error::Io { path: name, source });
                failed = true;
            }
        }
    }
    Ok(Some(failed))
}

/// Why one input could not be cleaned: reading it or rewriting it in place (reported; the run
/// goes on with the next input) or writing the shared output (the run stops).
enum Failure {
    Read(io::Error),
    Rewrite(io::Error),
    Write(io::Error),
}

/// Where clean text goes for the whole run.
enum Output {
    Stdout(BufWriter<io::StdoutLock<'static>>),
    File(PathBuf, Box<dyn WriteCommit>),
    /// `--check` and `--in-place`: each input decides for itself.
    PerInput,
}

/// A writer that can be completed: atomic files rename, plain ones flush.
trait WriteCommit: Write {
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
        if args.check || args.in_place {
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

    fn finish(self) -> io::Result<()> {
        match self {
            Output::Stdout(mut out) => out.flush(),
            Output::File(_, out) => out.commit(),
            Output::PerInput => Ok(()),
        }
    }
}

/// What is said on stderr about the run.
struct Report {
    explain: bool,
    stats: Stats,
    stderr: BufWriter<io::Stderr>,
}

/// Receives clean lines and changes for one input.
struct InputSink<'a> {
    out: Option<&'a mut dyn Write>,
    file: &'a str,
    report: &'a mut Report,
    changes: u64,
}

impl Sink for InputSink<'_> {
    fn write_line(&mut self, text: &str, ending: &str) -> io::Result<()> {
        if let Some(out) = &mut self.out {
            out.write_all(text.as_bytes())?;
            out.write_all(ending.as_bytes())?;
        }
        Ok(())
    }

    fn record(&mut self, change: Change) {
        self.changes += 1;
        self.report.stats.count(&change);
        if self.report.explain {
            // stderr is best effort: a closed stderr must not stop the cleaning.
            let _ = writeln!(self.report.stderr, "{}", explain_line(self.file, &change));
        }
    }
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
    let reader: Box<dyn Read> = match input {
        None => Box::new(io::stdin().lock()),
        Some(path) => Box::new(File::open(path).map_err(Failure::Read)?),
    };
    let mut in_place = match input {
        Some(path) if args.in_place => Some(AtomicFile::create(path).map_err(Failure::Rewrite)?),
        _ => None,
    };
    // A write error is the shared output's, or this file's when rewriting it in place.
    let write_failure = if in_place.is_some() {
        Failure::Rewrite
    } else {
        Failure::Write
    };
    let out: Option<&mut dyn Write> = match &mut in_place {
        Some(file) => Some(file),
        None => output.writer(),
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
    while let Some(text) = decoded.next_chunk().map_err(Failure::Read)? {
        // A short read means the input paused (a pipe from a slow writer): lines still on
        // worker threads are waited for, so that they are not held back until more comes.
        let paused = text.len() < CHUNK_BYTES / 2;
        document.push_str(text, &mut sink).map_err(write_failure)?;
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
        let _ = writeln!(
            report.stderr,
            "rinse: {name}: binary data (NUL byte at offset {offset}); cleaned as text"
        );
    }
    if args.check && changed {
        println!("{name}");
    }
    if let Some(file) = in_place {
        if changed {
            file.commit().map_err(Failure::Rewrite)?;
        }
    }
    Ok(())
}
