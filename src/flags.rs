//! Every flag of `rinse`, defined once: the doc comment of each field is its help (first line
//! for `-h`, the rest for `--help`). [`Args::into_config`] turns validated flags into a
//! [`Config`].

use std::path::PathBuf;
use std::sync::LazyLock;

use clap::Parser;
use rinse::config::unknown_rule_message;
use rinse::jsonl::{BadRecords, FieldPath, JsonlOptions};
use rinse::{Config, Error, PunctStyle, RuleId, ScriptMode};

const EXAMPLES: &str = "\
Examples:
  rinse page.txt                      clean a file to stdout
  cat *.txt | rinse > clean.txt       clean a stream
  rinse -o out.txt a.txt b.txt        clean several files into one
  rinse --in-place *.txt              rewrite files (atomically; unchanged files are not touched)
  rinse --explain page.txt            show every change on stderr
  rinse --check notes/*.txt           exit 1 and list the files that would change
  rinse --skip punct,boilerplate f    run every rule but these two
  rinse --encoding gbk old.txt        decode as GBK instead of detecting
  rinse --jsonl in.jsonl > out.jsonl  clean the text field of JSON Lines records
  rinse --diff page.txt               show what would change as a unified diff
  rinse --report changes.jsonl f.txt  write every change as a JSON object
  rinse -j1 big.txt                   clean on one thread (default: one per core)

Exit codes: 0 ok; 1 --check found changes; 2 usage or configuration error;
3 I/O error (other files are still processed). A closed pipe (rinse f | head) is not an error.

Config: --config FILE, else ./rinse.toml, else $XDG_CONFIG_HOME/rinse/rinse.toml (or
~/.config/rinse/rinse.toml); --no-config reads none. NO_COLOR turns colour off.

Input: UTF-8, UTF-16 with a byte-order mark, or a legacy encoding (GBK, Big5, Shift_JIS, ...)
detected from the first bytes that are not ASCII. Undecodable bytes become U+FFFD and are
counted by --stats. Binary input (NUL characters) is cleaned like text with a warning on
stderr, or left out with --binary skip|error. Compressed input (gzip, zstd, xz, zip) is refused
with an error: decompress it first (zcat FILE | rinse).";

/// `rinse --version`: the program's version and the versions of the data compiled into it.
static LONG_VERSION: LazyLock<String> = LazyLock::new(|| {
    let data = rinse::DATA_VERSIONS.replace('\n', "\n  ");
    format!("{}\ndata:\n  {data}", env!("CARGO_PKG_VERSION"))
});

/// rinse turns damaged text into clean text: HTML references, odd spaces and control
/// characters, full-width letters, punctuation that does not fit its context, page furniture
/// and untidy layout. Reads FILEs (or stdin) and writes clean UTF-8 to stdout.
#[derive(Parser, Debug)]
#[command(name = "rinse", version, long_version = LONG_VERSION.as_str(), after_help = EXAMPLES, max_term_width = 100)]
pub struct Args {
    /// Files to clean; none or `-` reads stdin. Each file is one document.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Write the clean text to FILE instead of stdout.
    ///
    /// FILE is written atomically: it is replaced only once the whole output was written.
    #[arg(short, long, value_name = "FILE", conflicts_with_all = ["in_place", "check"])]
    pub output: Option<PathBuf>,

    /// Rewrite each FILE with its clean text.
    ///
    /// Each file is written to a temporary file beside it and renamed over it, keeping its
    /// permissions; on any error the original stays untouched. Files that need no change are
    /// not rewritten.
    #[arg(long, conflicts_with = "check")]
    pub in_place: bool,

    /// Run only these rules (comma-separated; see --list-rules).
    #[arg(
        long,
        value_name = "RULES",
        value_delimiter = ',',
        conflicts_with = "skip"
    )]
    pub only: Vec<String>,

    /// Run every rule but these (comma-separated; see --list-rules).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub skip: Vec<String>,

    /// List the rules, in the order they run, and exit.
    #[arg(long)]
    pub list_rules: bool,

    /// Print each change on stderr as `FILE:LINE:COL rule 'before' → 'after' (reason)`.
    ///
    /// The clean text still goes to stdout (or -o). LINE and COL point into the input as
    /// decoded; invisible characters are spelled out (`\u{200b}`).
    #[arg(long)]
    pub explain: bool,

    /// Print counts of changes per rule, and of undecodable bytes, on stderr at the end.
    #[arg(long)]
    pub stats: bool,

    /// Print nothing but the names of the files that would change; exit 1 if any would.
    #[arg(long)]
    pub check: bool,

    /// Read settings from a TOML file (rule switches, punctuation style, boilerplate rules).
    ///
    /// Without --config, rinse reads ./rinse.toml if there is one, else rinse/rinse.toml in the
    /// user config directory ($XDG_CONFIG_HOME, or ~/.config); only the first found is read.
    /// Flags given on the command line override the file. See README.md for the format.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Read no config file, not even ./rinse.toml or the user's.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,

    /// Punctuation style: cjk (by context, the default), ascii (ASCII everywhere) or keep.
    #[arg(long, value_name = "STYLE", value_parser = ["cjk", "ascii", "keep"])]
    pub punct: Option<String>,

    /// Traditional characters: auto (repair stray ones in simplified text, the default),
    /// simplified (convert everything) or keep.
    ///
    /// auto leaves paragraphs written in traditional characters alone, so a simplified article
    /// may quote a Taiwan report; simplified converts phrase by phrase (乾隆 stays, 乾淨 → 干净).
    #[arg(long, value_name = "MODE", value_parser = ["auto", "simplified", "keep"])]
    pub script: Option<String>,

    /// Decode input as LABEL (gbk, gb18030, big5, shift_jis, euc-kr, euc-jp, windows-1252, …)
    /// instead of detecting it.
    ///
    /// A byte-order mark still wins. Any WHATWG encoding label is accepted.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,

    /// Binary input (a NUL character): pass (clean it as text; the default), skip or error.
    ///
    /// Every mode says so on stderr with the offset of the first NUL byte. pass cleans the file
    /// like text (the `unicode` rule removes the NULs). skip writes nothing more of the file
    /// from the chunk that holds the NUL on, and leaves a file named with --in-place untouched;
    /// a NUL in the first 64 KiB means nothing of the file is written. error does the same and
    /// makes the exit code 3. UTF-16 text is not binary: its NUL bytes are part of characters.
    #[arg(long, value_name = "MODE", value_parser = ["pass", "skip", "error"], default_value = "pass")]
    pub binary: String,

    // Data pipelines: JSON Lines, reports, diffs.
    /// Read and write JSON Lines: clean a string field of each record, keep everything else.
    ///
    /// Each line is one record (a JSON object) and each cleaned field one document. Records
    /// that need no change are written back byte for byte; changed ones as compact JSON with
    /// their keys in order. Missing and non-string fields are left alone. Input must be UTF-8.
    /// In --explain, --report and --check, LINE is the record's line in the file.
    #[arg(long, conflicts_with = "encoding", help_heading = "JSON Lines")]
    pub jsonl: bool,

    /// The field to clean (default: text); repeat for several. A dotted path reaches into
    /// nested objects (meta.title) and arrays (paragraphs.0); a dot inside a key is written
    /// with a backslash, as in a\.b
    #[arg(
        long = "field",
        value_name = "PATH",
        requires = "jsonl",
        help_heading = "JSON Lines"
    )]
    pub fields: Vec<String>,

    /// What to do with a line that is not a JSON object: pass (write it back unchanged, the
    /// default) or drop. Either way it is reported on stderr with its line number.
    ///
    /// A record longer than 64 MiB is treated the same way, streamed through without being
    /// parsed.
    #[arg(long, value_name = "ACTION", value_parser = ["pass", "drop"], requires = "jsonl", help_heading = "JSON Lines")]
    pub on_bad_record: Option<String>,

    /// Add {"changes": {RULE: COUNT, ...}, "replacement_chars": N} to each record, under
    /// "rinse" or --annotate=KEY.
    ///
    /// replacement_chars counts U+FFFD left in the cleaned fields (damage that could not be
    /// repaired), so a later step can drop badly damaged documents. A value already under the
    /// key is replaced.
    #[arg(long, value_name = "KEY", num_args = 0..=1, require_equals = true, default_missing_value = rinse::jsonl::DEFAULT_ANNOTATION_KEY, requires = "jsonl", help_heading = "JSON Lines")]
    pub annotate: Option<String>,

    /// Leave out records whose cleaned fields are all empty (records without the field as a
    /// string are kept).
    #[arg(long, requires = "jsonl", help_heading = "JSON Lines")]
    pub drop_empty: bool,

    /// Write every change to FILE as JSON Lines: {"file", "line", "column", "rule", "before",
    /// "after", "reason"}.
    ///
    /// before and after are exact, not shortened as in --explain. In --jsonl mode each object
    /// also has "field" and "field_line" (the line within the field's text; "line" is the
    /// record's), and malformed records appear as {"file", "line", "rule": null, "problem",
    /// "action"}.
    #[arg(long, value_name = "FILE", help_heading = "Reports")]
    pub report: Option<PathBuf>,

    /// Format of --stats: text (the default) or json (one object on one line). Implies --stats.
    #[arg(long, value_name = "FORMAT", value_parser = ["text", "json"], help_heading = "Reports")]
    pub stats_format: Option<String>,

    /// Print a unified diff of what would change instead of the clean text.
    ///
    /// Coloured when stdout is a terminal and NO_COLOR is not set. Each file is held in memory
    /// to compute its diff. With --jsonl, each changed record is a hunk of its own. Exits 0;
    /// with --check, exits 1 when anything would change.
    #[arg(long, conflicts_with_all = ["output", "in_place"], help_heading = "Reports")]
    pub diff: bool,

    /// Print a completion script for SHELL and exit (see README.md for where to put it).
    #[arg(long, value_name = "SHELL", value_parser = clap::value_parser!(clap_complete::Shell), exclusive = true, help_heading = "Setup")]
    pub completions: Option<clap_complete::Shell>,

    /// Print the manual page (roff; view with `rinse --man | man -l -`) and exit.
    #[arg(long, exclusive = true, help_heading = "Setup")]
    pub man: bool,

    /// Clean on N threads (default: one per core).
    ///
    /// Lines are cleaned in batches on N worker threads and written in input order; the
    /// output, --explain and --stats are exactly those of -j1, which cleans on the main thread
    /// alone. A batch is written once it is cleaned, so with several threads a line reaches
    /// the output when the input pauses or its batch (256 KiB) is full.
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
}

impl Args {
    /// The configuration these flags ask for: defaults, then `--config`, then the flags.
    pub fn to_config(&self) -> Result<Config, Error> {
        let mut config = Config::default();
        if let Some(path) = self.config_file() {
            config.merge_file(&path)?;
        }
        if !self.only.is_empty() {
            config.rules = rinse::RuleSet::none();
            for rule in parse_rules(&self.only)? {
                config.rules.insert(rule);
            }
        }
        for rule in parse_rules(&self.skip)? {
            config.rules.remove(rule);
        }
        if let Some(mode) = &self.script {
            config.script = ScriptMode::from_name(mode).expect("clap checked the value");
        }
        if let Some(style) = &self.punct {
            config.punct = PunctStyle::from_name(style).expect("clap checked the value");
        }
        Ok(config)
    }

    /// The config file to read: `--config`, else (unless `--no-config`) the first one found.
    pub fn config_file(&self) -> Option<PathBuf> {
        if self.no_config {
            return None;
        }
        self.config
            .clone()
            .or_else(rinse::config::discover_config_file)
    }

    /// The JSON Lines options these flags ask for.
    pub fn jsonl_options(&self) -> Result<JsonlOptions, Error> {
        let mut fields = Vec::new();
        for name in &self.fields {
            let field = FieldPath::parse(name)?;
            if !fields.contains(&field) {
                fields.push(field);
            }
        }
        if fields.is_empty() {
            fields.push(FieldPath::parse("text").expect("a valid path"));
        }
        let mut options = JsonlOptions::new(fields);
        if let Some(action) = &self.on_bad_record {
            options.bad_records = BadRecords::from_name(action).expect("clap checked the value");
        }
        if let Some(key) = &self.annotate {
            if key.is_empty() {
                return Err(Error::Config(
                    "--annotate= needs a key, such as --annotate=rinse".into(),
                ));
            }
            options.annotate = Some(key.clone());
        }
        options.drop_empty = self.drop_empty;
        Ok(options)
    }

    /// Whether to print the summary, and as JSON.
    pub fn stats_json(&self) -> Option<bool> {
        match self.stats_format.as_deref() {
            Some(format) => Some(format == "json"),
            None => self.stats.then_some(false),
        }
    }

    /// How many threads clean: `-j N`, or one per core.
    pub fn threads(&self) -> usize {
        match self.threads {
            Some(n) => usize::from(n),
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }

    /// The encoding named by `--encoding`, if any.
    pub fn encoding(&self) -> Result<Option<&'static encoding_rs::Encoding>, Error> {
        match &self.encoding {
            None => Ok(None),
            Some(label) => encoding_rs::Encoding::for_label_no_replacement(label.trim().as_bytes()).map(Some).ok_or_else(|| {
                Error::Config(format!(
                    "unknown encoding '{label}'; use a label such as utf-8, gbk, gb18030, big5, shift_jis, \
                     euc-kr, euc-jp or windows-1252"
                ))
            }),
        }
    }
}

fn parse_rules(names: &[String]) -> Result<Vec<RuleId>, Error> {
    names
        .iter()
        .map(|name| name.trim())
        .filter(|name| !name.is_empty())
        .map(|name| {
            RuleId::from_name(name).ok_or_else(|| Error::Config(unknown_rule_message(name)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Args {
        Args::try_parse_from(std::iter::once("rinse").chain(args.iter().copied())).unwrap()
    }

    #[test]
    fn definition_is_consistent() {
        Args::command().debug_assert();
    }

    #[test]
    fn only_and_skip_select_rules() {
        let config = parse(&["--only", "punct,width"]).to_config().unwrap();
        assert_eq!(
            config.rules.iter().collect::<Vec<_>>(),
            vec![RuleId::Width, RuleId::Punct]
        );
        let config = parse(&["--skip", "punct"]).to_config().unwrap();
        assert!(!config.rules.contains(RuleId::Punct));
        assert!(config.rules.contains(RuleId::Layout));
    }

    #[test]
    fn unknown_rule_is_a_config_error() {
        let err = parse(&["--skip", "glyph"]).to_config().unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(
            err.to_string()
                .starts_with("unknown rule 'glyph'; the rules are: entities,"),
            "{err}"
        );
    }

    #[test]
    fn punct_style_and_encoding() {
        let args = parse(&["--punct", "ascii", "--encoding", "GBK"]);
        assert_eq!(args.to_config().unwrap().punct, PunctStyle::Ascii);
        assert_eq!(args.encoding().unwrap(), Some(encoding_rs::GBK));
        assert!(parse(&["--encoding", "klingon"]).encoding().is_err());
        // Labels that decode everything to one U+FFFD are refused, not obeyed.
        assert!(parse(&["--encoding", "hz-gb-2312"]).encoding().is_err());
        assert!(Args::try_parse_from(["rinse", "--punct", "fancy"]).is_err());
    }

    #[test]
    fn jsonl_options_from_flags() {
        let options = parse(&["--jsonl"]).jsonl_options().unwrap();
        assert_eq!(options.fields, vec![FieldPath::parse("text").unwrap()]);
        assert_eq!(options.bad_records, BadRecords::Pass);
        assert_eq!((options.annotate, options.drop_empty), (None, false));
        let options = parse(&[
            "--jsonl",
            "--field",
            "a.b",
            "--field",
            "c",
            "--field",
            "a.b",
            "--on-bad-record",
            "drop",
            "--annotate",
            "--drop-empty",
        ])
        .jsonl_options()
        .unwrap();
        let names: Vec<&str> = options.fields.iter().map(FieldPath::as_str).collect();
        assert_eq!(names, ["a.b", "c"]);
        assert_eq!(options.bad_records, BadRecords::Drop);
        assert_eq!(options.annotate.as_deref(), Some("rinse"));
        assert!(options.drop_empty);
        // `--annotate FILE` must not take the file for a key.
        let args = parse(&["--jsonl", "--annotate", "in.jsonl"]);
        assert_eq!(args.files, [PathBuf::from("in.jsonl")]);
        let args = parse(&["--jsonl", "--annotate=meta"]);
        assert_eq!(
            args.jsonl_options().unwrap().annotate.as_deref(),
            Some("meta")
        );
        assert!(parse(&["--jsonl", "--annotate="]).jsonl_options().is_err());
    }

    #[test]
    fn jsonl_only_flags_need_jsonl_and_jsonl_refuses_encoding() {
        for flags in [
            &["--field", "x"][..],
            &["--on-bad-record", "drop"],
            &["--annotate"],
            &["--drop-empty"],
            &["--jsonl", "--encoding", "gbk"],
        ] {
            let args = std::iter::once("rinse").chain(flags.iter().copied());
            assert!(Args::try_parse_from(args).is_err(), "{flags:?}");
        }
    }

    #[test]
    fn stats_format_implies_stats() {
        assert_eq!(parse(&[]).stats_json(), None);
        assert_eq!(parse(&["--stats"]).stats_json(), Some(false));
        assert_eq!(parse(&["--stats-format", "json"]).stats_json(), Some(true));
        assert_eq!(parse(&["--stats-format", "text"]).stats_json(), Some(false));
    }

    #[test]
    fn explicit_config_and_no_config() {
        assert_eq!(
            parse(&["--config", "x.toml"]).config_file(),
            Some(PathBuf::from("x.toml"))
        );
        assert_eq!(parse(&["--no-config"]).config_file(), None);
        assert!(Args::try_parse_from(["rinse", "--no-config", "--config", "x.toml"]).is_err());
    }

    #[test]
    fn setup_flags_stand_alone() {
        assert!(parse(&["--completions", "zsh"]).completions.is_some());
        assert!(parse(&["--man"]).man);
        assert!(Args::try_parse_from(["rinse", "--man", "f.txt"]).is_err());
        assert!(Args::try_parse_from(["rinse", "--completions", "bash", "--jsonl"]).is_err());
    }

    #[test]
    fn binary_mode_defaults_to_pass_and_takes_three_values() {
        assert_eq!(parse(&[]).binary, "pass");
        assert_eq!(parse(&["--binary", "skip"]).binary, "skip");
        assert_eq!(parse(&["--binary", "error"]).binary, "error");
        assert!(Args::try_parse_from(["rinse", "--binary", "drop"]).is_err());
    }

    #[test]
    fn threads_default_to_the_cores_and_refuse_zero() {
        assert_eq!(parse(&["-j", "3"]).threads(), 3);
        assert_eq!(parse(&["--threads", "1"]).threads(), 1);
        assert!(parse(&[]).threads() >= 1);
        assert!(Args::try_parse_from(["rinse", "-j", "0"]).is_err());
        assert!(Args::try_parse_from(["rinse", "-j", "many"]).is_err());
    }

    #[test]
    fn output_conflicts_with_in_place_and_check() {
        assert!(Args::try_parse_from(["rinse", "-o", "x", "--in-place", "f"]).is_err());
        assert!(Args::try_parse_from(["rinse", "--check", "--in-place", "f"]).is_err());
    }
}
