//! Each line rule on its own, through the rule API, on arbitrary strings.
//!
//! The first byte picks the rule (and its mode); the rest, read as UTF-8 with broken sequences
//! replaced and line ends taken out (a line rule sees one line), is the line. The edits a rule
//! returns must be sorted, non-overlapping, inside the line, on character boundaries, and each
//! must change something: the pipeline applies them blindly and reports each as a change.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rinse::rules::{apply_edits, Edit, LineRule};
use rinse::{PunctStyle, ScriptMode};
use std::sync::OnceLock;

fn rules() -> &'static Vec<Box<dyn LineRule>> {
    static RULES: OnceLock<Vec<Box<dyn LineRule>>> = OnceLock::new();
    RULES.get_or_init(|| {
        use rinse::rules::*;
        let mut rules: Vec<Box<dyn LineRule>> = vec![
            Box::new(entities::Entities),
            Box::new(mojibake::Mojibake),
            Box::new(unicode::Unicode),
            Box::new(width::Width),
            Box::new(layout::TrailingWhitespace),
        ];
        for script in [ScriptMode::Auto, ScriptMode::Simplified, ScriptMode::Keep] {
            rules.push(Box::new(glyphs::Glyphs::new(script)));
        }
        for style in [PunctStyle::Cjk, PunctStyle::Ascii, PunctStyle::Keep] {
            if let Some(punct) = punct::Punct::new(style) {
                rules.push(Box::new(punct));
            }
        }
        rules
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let rules = rules();
    let rule = &rules[usize::from(pick) % rules.len()];
    let line = String::from_utf8_lossy(bytes).replace(['\n', '\r'], " ");
    let mut edits: Vec<Edit> = Vec::new();
    rule.find_edits(&line, &mut edits);
    let mut last = 0;
    for edit in &edits {
        let range = edit.range.clone();
        assert!(
            range.start >= last,
            "{}: edits unsorted or overlapping: {edits:?}",
            rule.id()
        );
        assert!(
            range.start <= range.end && range.end <= line.len(),
            "{}: edit outside the line: {edits:?}",
            rule.id()
        );
        assert!(
            line.is_char_boundary(range.start) && line.is_char_boundary(range.end),
            "{}: edit splits a character: {edits:?}",
            rule.id()
        );
        assert_ne!(
            &line[range.clone()],
            &*edit.replacement,
            "{}: an edit that changes nothing",
            rule.id()
        );
        last = range.end;
    }
    let fixed = apply_edits(&line, &edits);
    assert!(
        !fixed.contains(['\n', '\r']),
        "{}: an edit put a line break inside the line: {edits:?}",
        rule.id()
    );
});
