//! Micro-benchmarks: each line rule on its own, and the whole pipeline, over clean and damaged
//! lines. `cargo bench` runs them (they are not part of `cargo test`); throughput is in bytes
//! of input.
//!
//! - clean: the seed's expected output and the clean simplified-Chinese fixtures, the lines
//!   most input is made of, where every rule should find nothing and cost little;
//! - damaged: the seed's input (look-alikes, ASCII punctuation, furniture) and the CJK
//!   mojibake cases of `fixtures/mojibake/cjk.jsonl`.

use std::sync::OnceLock;

use divan::counter::BytesCount;
use divan::Bencher;
use rinse::rules::{
    entities::Entities, glyphs::Glyphs, layout::TrailingWhitespace, mojibake::Mojibake,
    punct::Punct, unicode::Unicode, width::Width, Edit, LineRule,
};
use rinse::{Cleaner, Config, PunctStyle, ScriptMode};

fn main() {
    divan::main();
}

fn fixture(path: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn clean_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        fixture("seed/expected.txt")
            + &fixture("clean/zh-simplified-jionlp-blog.txt")
            + &fixture("clean/mixed-vscode-zh-hans.txt")
    })
}

fn damaged_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let mut text = fixture("seed/input.txt");
        text.push('\n');
        for line in fixture("mojibake/cjk.jsonl").lines() {
            // `{"input": "…", …}`: the damaged text is the first string value.
            if let Some(rest) = line.strip_prefix("{\"input\": \"") {
                if let Some(end) = rest.find("\", \"") {
                    text.push_str(&rest[..end].replace("\\\"", "\""));
                    text.push('\n');
                }
            }
        }
        text
    })
}

#[derive(Clone, Copy, Debug)]
enum Input {
    Clean,
    Damaged,
}

impl Input {
    fn text(self) -> &'static str {
        match self {
            Input::Clean => clean_text(),
            Input::Damaged => damaged_text(),
        }
    }
}

const INPUTS: [Input; 2] = [Input::Clean, Input::Damaged];

fn rule(name: &str) -> Box<dyn LineRule> {
    match name {
        "entities" => Box::new(Entities),
        "mojibake" => Box::new(Mojibake),
        "unicode" => Box::new(Unicode),
        "width" => Box::new(Width),
        "glyphs" => Box::new(Glyphs::new(ScriptMode::Auto)),
        "punct" => Box::new(Punct::new(PunctStyle::Cjk).expect("cjk style has a rule")),
        "layout" => Box::new(TrailingWhitespace),
        _ => unreachable!("no line rule {name}"),
    }
}

const LINE_RULES: [&str; 7] = [
    "entities", "mojibake", "unicode", "width", "glyphs", "punct", "layout",
];

/// One line rule over every line of the input.
fn run_rule(bencher: Bencher, name: &str, input: Input) {
    let rule = rule(name);
    let text = input.text();
    // Tables built on first use are built before timing starts.
    let mut edits: Vec<Edit> = Vec::new();
    for line in text.lines() {
        rule.find_edits(line, &mut edits);
        edits.clear();
    }
    bencher.counter(BytesCount::of_str(text)).bench_local(|| {
        for line in text.lines() {
            rule.find_edits(divan::black_box(line), &mut edits);
            edits.clear();
        }
    });
}

/// Each line rule on clean lines.
#[divan::bench(args = LINE_RULES)]
fn clean(bencher: Bencher, rule: &str) {
    run_rule(bencher, rule, Input::Clean);
}

/// Each line rule on damaged lines.
#[divan::bench(args = LINE_RULES)]
fn damaged(bencher: Bencher, rule: &str) {
    run_rule(bencher, rule, Input::Damaged);
}

/// The whole pipeline (every rule, boilerplate and layout included) on the input as one
/// document.
#[divan::bench(args = INPUTS)]
fn pipeline(bencher: Bencher, input: Input) {
    let cleaner = Cleaner::new(Config::default()).expect("default config");
    let text = input.text();
    cleaner.clean(text);
    bencher
        .counter(BytesCount::of_str(text))
        .bench_local(|| cleaner.clean(divan::black_box(text)));
}
