//! The rules, one file each, in the order the pipeline runs them.
//!
//! A rule is a small, pure transformation with a stable name. Line rules look at one line at a
//! time (without its terminator) and return [`Edit`]s: byte ranges of that line and what to put
//! there instead. The pipeline applies the edits, and the same edits become the [`Change`]s that
//! `--explain` prints, so no rule has a second code path for explaining itself.
//!
//! Two rules also need the document around the line: `boilerplate` (a heading such as 参考资料
//! starts a section that may run to the end of the document) and `layout` (runs of blank lines,
//! the final newline). Their document-level halves live in the same files as their line halves.
//!
//! [`Change`]: crate::Change

pub mod boilerplate;
pub mod entities;
pub mod glyphs;
pub mod layout;
pub mod mojibake;
pub mod punct;
pub mod unicode;
pub mod width;

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

/// The stable name of a rule. The same name is used by `--only`/`--skip`, `--list-rules`,
/// `--explain`, `--stats` and the `[rules]` table of the config file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleId {
    Entities,
    Mojibake,
    Unicode,
    Width,
    Glyphs,
    Punct,
    Boilerplate,
    Layout,
}

impl RuleId {
    /// Every rule, in the order the pipeline runs them.
    ///
    /// `entities` runs first because a reference may decode to something a later rule folds
    /// (`&nbsp;` is an odd space, `&#xFF21;` a full-width letter). `mojibake` runs before
    /// `unicode`, which would remove the C1 controls that Latin-1 mojibake is made of. `glyphs`
    /// runs on normalized characters (radicals already folded) and before `punct`, whose
    /// decisions depend on which characters are Chinese. `punct` runs after `width` so that it
    /// sees ASCII letters where the source had full-width ones, and `boilerplate` after the
    /// character rules so that its patterns match normalized text.
    pub const ALL: [RuleId; 8] = [
        RuleId::Entities,
        RuleId::Mojibake,
        RuleId::Unicode,
        RuleId::Width,
        RuleId::Glyphs,
        RuleId::Punct,
        RuleId::Boilerplate,
        RuleId::Layout,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RuleId::Entities => "entities",
            RuleId::Mojibake => "mojibake",
            RuleId::Unicode => "unicode",
            RuleId::Width => "width",
            RuleId::Glyphs => "glyphs",
            RuleId::Punct => "punct",
            RuleId::Boilerplate => "boilerplate",
            RuleId::Layout => "layout",
        }
    }

    /// One line for `--list-rules`.
    pub fn summary(self) -> &'static str {
        match self {
            RuleId::Entities => "decode HTML character references (&amp; &nbsp; &#x4e2d;) outside markup",
            RuleId::Unicode => {
                "NFC; drop control and zero-width characters; odd spaces; radicals and compatibility ideographs"
            }
            RuleId::Width => "full-width ASCII letters and digits to ASCII; half-width katakana to full-width",
            RuleId::Mojibake => "text decoded with the wrong codec: Ã© → é, 浣犲ソ → 你好, ÄãºÃ → 你好; 锟斤拷 marked lost",
            RuleId::Glyphs => "look-alike and stray traditional characters: 囷 → 和 (but 巍然矗立 stays), 東 → 东",
            RuleId::Punct => "punctuation that fits its context: ，。：； in Chinese, ,.:; in Latin text",
            RuleId::Boilerplate => "drop page furniture: 参考资料/随机推荐 sections, bylines, share bars, ICP lines",
            RuleId::Layout => "LF line ends, no trailing blanks, one blank line at most, one final newline",
        }
    }

    pub fn from_name(name: &str) -> Option<RuleId> {
        RuleId::ALL.into_iter().find(|rule| rule.name() == name)
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of rules, as chosen by `--only`, `--skip` and the config file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleSet(u32);

impl RuleSet {
    pub fn all() -> RuleSet {
        RuleSet(RuleId::ALL.iter().fold(0, |bits, rule| bits | rule.bit()))
    }

    pub fn none() -> RuleSet {
        RuleSet(0)
    }

    pub fn contains(self, rule: RuleId) -> bool {
        self.0 & rule.bit() != 0
    }

    pub fn insert(&mut self, rule: RuleId) {
        self.0 |= rule.bit();
    }

    pub fn remove(&mut self, rule: RuleId) {
        self.0 &= !rule.bit();
    }

    pub fn iter(self) -> impl Iterator<Item = RuleId> {
        RuleId::ALL
            .into_iter()
            .filter(move |rule| self.contains(*rule))
    }
}

impl Default for RuleSet {
    fn default() -> RuleSet {
        RuleSet::all()
    }
}

/// One replacement inside a line: `range` (bytes of the text the rule was given) becomes
/// `replacement`. A rule returns its edits sorted by position and never overlapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: Cow<'static, str>,
    /// Why, in a few words, for `--explain` (`"ASCII comma in Chinese text"`).
    pub reason: Cow<'static, str>,
}

impl Edit {
    pub fn new(
        range: Range<usize>,
        replacement: impl Into<Cow<'static, str>>,
        reason: impl Into<Cow<'static, str>>,
    ) -> Edit {
        Edit {
            range,
            replacement: replacement.into(),
            reason: reason.into(),
        }
    }
}

/// A rule that looks at one line at a time.
pub trait LineRule: Send + Sync {
    fn id(&self) -> RuleId;

    /// Appends to `edits` what this rule would change in `line` (which has no line terminator).
    /// Must not push anything for a line that needs no change: the pipeline's fast path relies
    /// on an empty result costing nothing.
    fn find_edits(&self, line: &str, edits: &mut Vec<Edit>);
}

/// Whether `c` is a CJK unified or compatibility ideograph (Han character), in the blocks that
/// Chinese text uses: Extension A, the URO, compatibility ideographs, and the supplementary
/// planes' extensions. The Yijing hexagram symbols between Extension A and the URO are not Han.
pub fn is_han(c: char) -> bool {
    matches!(
        c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}'
    )
}

/// Applies sorted, non-overlapping edits to `text`.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut last = 0;
    for edit in edits {
        debug_assert!(edit.range.start >= last, "edits overlap or are unsorted");
        out.push_str(&text[last..edit.range.start]);
        out.push_str(&edit.replacement);
        last = edit.range.end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::{apply_edits, Edit, LineRule};

    /// Runs one line rule on `line` and returns the fixed line.
    pub fn fix(rule: &dyn LineRule, line: &str) -> String {
        let mut edits: Vec<Edit> = Vec::new();
        rule.find_edits(line, &mut edits);
        for pair in edits.windows(2) {
            assert!(
                pair[0].range.end <= pair[1].range.start,
                "edits overlap: {edits:?}"
            );
        }
        apply_edits(line, &edits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for rule in RuleId::ALL {
            assert_eq!(RuleId::from_name(rule.name()), Some(rule));
        }
        assert_eq!(RuleId::from_name("nope"), None);
    }

    #[test]
    fn rule_set_insert_remove() {
        let mut set = RuleSet::none();
        set.insert(RuleId::Punct);
        assert!(set.contains(RuleId::Punct));
        assert!(!set.contains(RuleId::Width));
        set.remove(RuleId::Punct);
        assert_eq!(set, RuleSet::none());
        assert_eq!(RuleSet::all().iter().count(), RuleId::ALL.len());
    }

    #[test]
    fn apply_edits_replaces_ranges() {
        let edits = vec![Edit::new(1..2, "，", "t"), Edit::new(3..3, "x", "t")];
        assert_eq!(apply_edits("a,bc", &edits), "a，bxc");
    }
}
