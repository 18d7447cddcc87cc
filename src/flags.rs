//! Every flag of `rinse`, defined once: the doc comment of each field is its help (first line
//! for `-h`, the rest for `--help`). [`Args::into_config`] turns validated flags into a
//! [`Config`].

use std::path::PathBuf;

use clap::Parser;
use rinse::config::unknown_rule_message;
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
  rinse -j1 big.txt                   clean on one thread (default: one per core)

Exit codes: 0 ok; 1 --check found changes; 2 usage or configuration error;
3 I/O error (other files are still processed). A closed pipe (rinse f | head) is not an error.

Input: UTF-8, UTF-16 with a byte-order mark, or a legacy encoding (GBK, Big5, Shift_JIS, ...)
detected from the first bytes that are not ASCII. Undecodable bytes become U+FFFD and are
counted by --stats. Binary input (NUL bytes) is cleaned like text with a warning on stderr.";

/// rinse turns damaged text into clean text: HTML references, odd spaces and control
/// characters, full-width letters, punctuation that does not fit its context, page furniture
/// and untidy layout. Reads FILEs (or stdin) and writes clean UTF-8 to stdout.
#[derive(Parser, Debug)]
#[command(name = "rinse", version, after_help = EXAMPLES, max_term_width = 100)]
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
    /// Flags given on the command line override the file. See README.md for the format.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

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
        if let Some(path) = &self.config {
            config.merge_file(path)?;
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
