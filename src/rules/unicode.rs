//! `unicode`: characters that are invisible, odd or encoded the wrong way.
//!
//! What it repairs:
//! - text that is not in NFC is composed (`e` + U+0301 → `é`), span by span: only the run of
//!   characters that actually changes is replaced, never the whole line;
//! - control characters are removed: C0 except tab, DEL, and C1 (U+0080–U+009F);
//! - zero-width characters that carry nothing in plain text are removed: U+200B zero-width
//!   space, U+2060 word joiner, U+FEFF byte order mark inside text, U+00AD soft hyphen;
//! - odd spaces become a plain space: NBSP U+00A0, U+2000–U+200A, U+202F narrow NBSP, U+205F
//!   medium mathematical space (`100\u{a0}km` → `100 km`), and the ideographic space U+3000
//!   when it stands between Latin letters or digits (`Hello,　world` → `Hello, world`);
//! - CJK radicals that PDF extraction leaves in place of ideographs are folded to the
//!   ideograph they stand for: the 214 Kangxi radicals (`⼈⺠⽣活` → `人民生活`) and the CJK
//!   Radicals Supplement characters that Unicode's `EquivalentUnifiedIdeograph.txt` maps
//!   (`⻆` → `角`), from the generated table in [`crate::tables::radicals`]. CJK
//!   compatibility ideographs (`豈` U+F900 → `豈` U+8C48) have canonical decompositions, so NFC
//!   folds them.
//!
//! ```
//! use rinse::rules::{apply_edits, unicode::Unicode, LineRule};
//!
//! let fix = |line: &str| {
//!     let mut edits = Vec::new();
//!     Unicode.find_edits(line, &mut edits);
//!     apply_edits(line, &edits)
//! };
//! assert_eq!(fix("⼈⺠⽣活\u{200b}水平，100\u{a0}km"), "人民生活水平，100 km");
//! // Indentation with ideographic spaces, ZWJ emoji and Persian ZWNJ stay as they are.
//! assert_eq!(fix("　　正文👨\u{200d}👩\u{200d}👧 می\u{200c}خواهم"), "　　正文👨\u{200d}👩\u{200d}👧 می\u{200c}خواهم");
//! ```
//!
//! What it leaves alone:
//! - tab; U+200C ZWNJ and U+200D ZWJ, which build emoji sequences (👨‍👩‍👧) and are spelling in
//!   Persian and Indic scripts; U+200E/U+200F and the other bidirectional controls, which
//!   Arabic and Hebrew text needs; variation selectors (text/emoji presentation, ideographic
//!   variants); U+2061–U+2064, the invisible operators of mathematical text;
//! - U+3000 in Chinese and Japanese text: paragraph indents (`　　正文`) and spacing between
//!   CJK characters are deliberate typesetting;
//! - compatibility characters other than the ones above: NFKC would also flatten `①`, `ｶ`,
//!   `ﬁ`, `²` and full-width letters, which either carry meaning or belong to `width`;
//! - CJK strokes (U+31C0–U+31E3): a stroke is written as a stroke in texts about strokes;
//! - U+2E80 CJK RADICAL REPEAT and the other radicals without an equivalent ideograph.
//!
//! What a wrong guess costs: a text *about* radicals (`部首⻆`) gets the ideograph instead of
//! the radical form, and Korean text loses the distinction between a compatibility ideograph
//! and its unified twin (both read the same; NFC makes the same choice everywhere). C1
//! controls are often a sign of mojibake that a later rule could have repaired; removing them
//! loses that hint but never a visible character. A wrong odd-space guess costs one space.

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::rules::{Edit, LineRule, RuleId};
use crate::tables::radicals;

pub struct Unicode;

impl LineRule for Unicode {
    fn id(&self) -> RuleId {
        RuleId::Unicode
    }

    fn find_edits(&self, line: &str, edits: &mut Vec<Edit>) {
        let Some(first) = first_interesting(line) else {
            return;
        };
        find_edits_from(line, first, edits);
    }
}

/// What the rule does with one character, taken alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// Nothing, and NFC never needs to look across it: a starter (combining class 0) with
    /// NFC_Quick_Check=Yes.
    Stable,
    /// Removed.
    Remove(&'static str),
    /// Replaced by another character. Every replacement is itself a stable starter that
    /// composes with nothing, so NFC can still cut the text right after it.
    Replace(char, &'static str),
    /// U+3000: a plain space in Latin text, kept in CJK text.
    IdeographicSpace,
    /// May change, or make the character before it change, under NFC: a combining mark or a
    /// character whose NFC_Quick_Check is No or Maybe.
    Nfc,
}

fn classify(c: char) -> Class {
    match c {
        '\t' | ' '..='~' => Class::Stable,
        '\0'..='\x1f' | '\x7f' => Class::Remove("control character"),
        '\u{80}'..='\u{9f}' => Class::Remove("C1 control character"),
        '\u{a0}' => Class::Replace(' ', "NBSP"),
        '\u{ad}' => Class::Remove("soft hyphen"),
        '\u{2000}'..='\u{200a}' => Class::Replace(' ', odd_space_name(c)),
        '\u{200b}' => Class::Remove("zero-width space"),
        '\u{202f}' => Class::Replace(' ', "narrow NBSP"),
        '\u{205f}' => Class::Replace(' ', "medium mathematical space"),
        '\u{2060}' => Class::Remove("word joiner"),
        '\u{feff}' => Class::Remove("byte order mark inside text"),
        '\u{3000}' => Class::IdeographicSpace,
        '\u{2e80}'..='\u{2fdf}' => match radicals::equivalent_ideograph(c) {
            Some(ideograph) if c >= '\u{2f00}' => Class::Replace(ideograph, "Kangxi radical"),
            Some(ideograph) => Class::Replace(ideograph, "CJK radical"),
            // Radicals are stable starters: without an equivalent there is nothing to do.
            None => Class::Stable,
        },
        _ if is_stable_fast(c) => Class::Stable,
        _ if canonical_combining_class(c) == 0
            && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes =>
        {
            Class::Stable
        }
        _ => Class::Nfc,
    }
}

/// Ranges known to hold only stable starters that the rule leaves alone, so that the common
/// characters of Chinese and Japanese text and emoji skip the two normalization-table lookups.
/// The test `fast_stable_ranges_agree_with_the_normalization_tables` checks every character
/// here.
const STABLE_RANGES: [(char, char); 13] = [
    // Latin-1 letters and Latin Extended-A/B, IPA, spacing modifiers (U+0300 is the first
    // combining mark), but the soft hyphen.
    ('\u{a1}', '\u{ac}'),
    ('\u{ae}', '\u{2ff}'),
    // Dashes, quotes, ellipsis.
    ('\u{2010}', '\u{2027}'),
    // CJK symbols and punctuation, hiragana (U+302A–U+302F and U+3099/U+309A combine).
    ('\u{3001}', '\u{3029}'),
    ('\u{3030}', '\u{3098}'),
    ('\u{309b}', '\u{30ff}'),
    // CJK Unified Ideographs and Extension A, Hangul syllables.
    ('\u{3400}', '\u{4dbf}'),
    ('\u{4e00}', '\u{9fff}'),
    ('\u{ac00}', '\u{d7a3}'),
    // Full-width and half-width forms (for `width` to decide).
    ('\u{ff01}', '\u{ffef}'),
    // Emoji and pictographs.
    ('\u{1f300}', '\u{1faff}'),
    // CJK Extensions B–F and G–H (U+2F800.. is the compatibility supplement).
    ('\u{20000}', '\u{2f7ff}'),
    ('\u{30000}', '\u{323af}'),
];

/// [`STABLE_RANGES`] in the Basic Multilingual Plane, one bit a character: the Chinese
/// punctuation that the pre-scan meets in almost every line is one look-up.
static STABLE_BMP: [u64; 1024] = stable_bmp();

const fn stable_bmp() -> [u64; 1024] {
    let mut bits = [0u64; 1024];
    let mut range = 0;
    while range < STABLE_RANGES.len() {
        let (first, last) = STABLE_RANGES[range];
        let mut c = first as u32;
        while c <= last as u32 && c <= 0xffff {
            bits[(c >> 6) as usize] |= 1 << (c & 63);
            c += 1;
        }
        range += 1;
    }
    bits
}

fn is_stable_fast(c: char) -> bool {
    match u16::try_from(u32::from(c)) {
        Ok(bmp) => STABLE_BMP[usize::from(bmp >> 6)] >> (bmp & 63) & 1 != 0,
        Err(_) => STABLE_RANGES
            .iter()
            .any(|&(first, last)| (first..=last).contains(&c)),
    }
}

fn odd_space_name(c: char) -> &'static str {
    match c {
        '\u{2000}' => "en quad",
        '\u{2001}' => "em quad",
        '\u{2002}' => "en space",
        '\u{2003}' => "em space",
        '\u{2004}' => "three-per-em space",
        '\u{2005}' => "four-per-em space",
        '\u{2006}' => "six-per-em space",
        '\u{2007}' => "figure space",
        '\u{2008}' => "punctuation space",
        '\u{2009}' => "thin space",
        _ => "hair space",
    }
}

/// How the pre-scan steps over a character by its first byte: the character's length when
/// every character that starts with this byte is a stable starter, 0 when the character needs
/// a closer look. The test `the_pre_scan_passes_over_nothing_the_rule_changes` checks every
/// character.
static LEAD_STEP: [u8; 256] = lead_steps();

const fn lead_steps() -> [u8; 256] {
    let mut steps = [0u8; 256];
    let mut byte = 0;
    while byte < steps.len() {
        steps[byte] = match byte as u8 {
            b'\t' | b' '..=b'~' => 1,
            // U+00C0–U+02FF: Latin letters and modifiers, no controls, spaces or marks.
            0xc3..=0xcb => 2,
            // U+4000–U+9FFF (CJK ideographs, Yijing hexagrams), U+B000–U+D7FF (Hangul) and
            // U+E000–U+EFFF (private use).
            0xe4..=0xe9 | 0xeb..=0xee => 3,
            // Planes 4–16: tags, variation selectors, private use.
            0xf1..=0xf4 => 4,
            _ => 0,
        };
        byte += 1;
    }
    steps
}

/// The byte offset of the first character that is not a stable starter, or `None` for a line
/// the rule leaves alone. Characters are stepped over by their first byte, without decoding,
/// where every character that starts with it is stable; this is the path almost every line
/// takes.
fn first_interesting(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut i = 0;
    while let Some(&lead) = bytes.get(i) {
        let step = LEAD_STEP[usize::from(lead)];
        if step != 0 {
            i += usize::from(step);
            continue;
        }
        let c = line[i..].chars().next().expect("i is a char boundary");
        if !is_stable_fast(c) && classify(c) != Class::Stable {
            return Some(i);
        }
        i += c.len_utf8();
    }
    None
}

/// The slow path: `first` is the first character that is not a stable starter.
fn find_edits_from(line: &str, first: usize, edits: &mut Vec<Edit>) {
    let base = edits.len();
    // Where an NFC run starting at the current character would begin: a combining mark may
    // compose with the stable starter before it (`e` + U+0301), and removed characters in
    // between are taken into the run, so that `e` ZWSP U+0301 becomes `é` in one pass.
    let mut run_from = match line[..first].char_indices().next_back() {
        Some((start, _)) => start,
        None => 0,
    };
    let mut i = first;
    while let Some(c) = line[i..].chars().next() {
        let end = i + c.len_utf8();
        match classify(c) {
            Class::Stable => {
                run_from = i;
                i = end;
            }
            Class::Remove(reason) => {
                edits.push(Edit::new(i..end, "", reason));
                i = end;
            }
            Class::Replace(to, reason) => {
                edits.push(Edit::new(i..end, String::from(to), reason));
                run_from = end;
                i = end;
            }
            Class::IdeographicSpace => {
                let spaces_end =
                    i + line[i..].len() - line[i..].trim_start_matches('\u{3000}').len();
                if ideographic_space_is_latin(line, i, spaces_end) {
                    let count = (spaces_end - i) / '\u{3000}'.len_utf8();
                    edits.push(Edit::new(
                        i..spaces_end,
                        " ".repeat(count),
                        "ideographic space in Latin text",
                    ));
                }
                run_from = spaces_end;
                i = spaces_end;
            }
            Class::Nfc => {
                i = normalize_run(line, run_from, i, edits, base);
            }
        }
    }
}

/// Normalizes the run that starts at `run_from` and holds the non-stable character at `at`.
/// The run goes on while characters are not stable (removed ones included) and ends after the
/// last one that NFC has to see. Returns where the run ends.
fn normalize_run(
    line: &str,
    run_from: usize,
    at: usize,
    edits: &mut Vec<Edit>,
    base: usize,
) -> usize {
    let mut run_end = at;
    for (offset, c) in line[at..].char_indices() {
        match classify(c) {
            Class::Nfc => run_end = at + offset + c.len_utf8(),
            Class::Remove(_) => {}
            _ => break,
        }
    }
    // Characters removed before `at` are part of the run: their own edits are taken back and
    // redone as part of the run's edit.
    while edits.len() > base && edits[edits.len() - 1].range.start >= run_from {
        edits.pop();
    }
    let run = &line[run_from..run_end];
    let is_removed = |c: &char| matches!(classify(*c), Class::Remove(_));
    let removes = run.chars().any(|c| is_removed(&c));
    // The common case (a correctly composed accent, Hebrew points in order) allocates nothing.
    if !removes
        && (is_nfc_quick(run.chars()) == IsNormalized::Yes || run.chars().nfc().eq(run.chars()))
    {
        return run_end;
    }
    let kept = || run.chars().filter(|c| !is_removed(c));
    let normalized: String = kept().nfc().collect();
    // Replace only what differs, so that `中豈` yields an edit for `豈` alone.
    let prefix: usize = run
        .chars()
        .zip(normalized.chars())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let suffix: usize = run[prefix..]
        .chars()
        .rev()
        .zip(normalized[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let before = &run[prefix..run.len() - suffix];
    let after = &normalized[prefix..normalized.len() - suffix];
    let mut before_chars = before.chars();
    let reason = match (before_chars.next(), before_chars.next()) {
        (Some(c), None) if is_compatibility_ideograph(c) => "CJK compatibility ideograph",
        // Nothing changed but removals: name the first removed character.
        _ if kept().nfc().eq(kept()) => match before
            .chars()
            .map(classify)
            .find(|class| matches!(class, Class::Remove(_)))
        {
            Some(Class::Remove(reason)) => reason,
            _ => "Unicode NFC",
        },
        _ => "Unicode NFC",
    };
    edits.push(Edit::new(
        run_from + prefix..run_end - suffix,
        after.to_string(),
        reason,
    ));
    run_end
}

fn is_compatibility_ideograph(c: char) -> bool {
    matches!(c, '\u{f900}'..='\u{faff}' | '\u{2f800}'..='\u{2fa1f}')
}

/// Whether the ideographic spaces at `start..end` stand in Latin text: a Latin letter or digit
/// after them, and before them a Latin letter or digit, or sentence punctuation that follows
/// one (`Hello,　world`). `电话:　123` stays: the colon follows a Chinese character. Removed
/// characters (ZWSP and the like) and combining marks are looked through, so the decision does
/// not change once they are gone or composed.
fn ideographic_space_is_latin(line: &str, start: usize, end: usize) -> bool {
    let visible = |c: &char| !matches!(classify(*c), Class::Remove(_));
    let Some(next) = line[end..].chars().find(visible) else {
        return false;
    };
    if !is_latin_alnum(next) {
        return false;
    }
    // Combining marks are looked through too: `e` U+0301 is `é`, a Latin letter.
    let mut before = line[..start]
        .chars()
        .rev()
        .filter(|c| visible(c) && canonical_combining_class(*c) == 0);
    match before.next() {
        Some(c) if is_latin_alnum(c) => true,
        Some(',' | '.' | ';' | ':' | '!' | '?' | ')') => before.next().is_some_and(is_latin_alnum),
        _ => false,
    }
}

/// A letter or digit of Latin text: ASCII, the letters of Latin-1 and Latin Extended-A/B, and
/// the full-width forms of ASCII letters and digits (which `width` turns into ASCII next, so
/// that the decision is the same before and after it).
fn is_latin_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || (matches!(c, '\u{c0}'..='\u{24f}') && c != '×' && c != '÷')
        || matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::fix;

    fn edits(line: &str) -> Vec<Edit> {
        let mut edits = Vec::new();
        Unicode.find_edits(line, &mut edits);
        edits
    }

    fn unchanged(line: &str) {
        assert_eq!(edits(line), Vec::new(), "{line:?} should be left alone");
    }

    fn is_unified_ideograph(c: char) -> bool {
        matches!(c,
            '\u{3400}'..='\u{4dbf}'
            | '\u{4e00}'..='\u{9fff}'
            | '\u{20000}'..='\u{2a6df}'
            | '\u{2a700}'..='\u{2ebef}'
            | '\u{2ebf0}'..='\u{2ee5f}'
            | '\u{30000}'..='\u{323af}'
        ) || matches!(
            c as u32,
            0xfa0e
                | 0xfa0f
                | 0xfa11
                | 0xfa13
                | 0xfa14
                | 0xfa1f
                | 0xfa21
                | 0xfa23
                | 0xfa24
                | 0xfa27
                | 0xfa28
                | 0xfa29
        )
    }

    #[test]
    fn radical_table_invariants() {
        let table = radicals::RADICALS;
        assert!(
            table.windows(2).all(|pair| pair[0].0 < pair[1].0),
            "table must be sorted, no duplicates"
        );
        for &(radical, ideograph) in table {
            assert_ne!(radical, ideograph);
            assert!(
                matches!(radical, '\u{2e80}'..='\u{2ef3}' | '\u{2f00}'..='\u{2fd5}'),
                "U+{:04X} is not a radical",
                radical as u32
            );
            assert!(
                is_unified_ideograph(ideograph),
                "U+{:04X} → U+{:04X}",
                radical as u32,
                ideograph as u32
            );
            // The target is itself stable, so the rule never needs a second pass.
            assert_eq!(classify(ideograph), Class::Stable);
            assert_eq!(fix(&Unicode, &radical.to_string()), ideograph.to_string());
        }
        for radical in '\u{2f00}'..='\u{2fd5}' {
            let ideograph =
                radicals::equivalent_ideograph(radical).expect("every Kangxi radical is covered");
            // Not restating the table: the compatibility decomposition comes from the
            // normalization crate's own data.
            assert_eq!(
                radical.to_string().nfkc().collect::<String>(),
                ideograph.to_string()
            );
        }
        assert_eq!(table.len(), 214 + 114);
    }

    #[test]
    fn compatibility_ideographs_fold_to_unified_ones() {
        let mut folded = 0;
        for c in ('\u{f900}'..='\u{faff}').chain('\u{2f800}'..='\u{2fa1f}') {
            let nfc: Vec<char> = c.to_string().nfc().collect();
            if nfc == [c] {
                // Unassigned, or one of the twelve unified ideographs in this block.
                continue;
            }
            assert_eq!(nfc.len(), 1);
            assert!(is_unified_ideograph(nfc[0]), "U+{:04X}", c as u32);
            let line = format!("中{c}文");
            let found = edits(&line);
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].range, 3..3 + c.len_utf8());
            assert_eq!(found[0].reason, "CJK compatibility ideograph");
            folded += 1;
        }
        assert!(folded > 1000, "{folded}");
        unchanged("\u{fa0e}\u{fa29}");
    }

    /// A stable starter per the normalization tables: NFC never changes it nor looks across it.
    fn is_stable_starter(c: char) -> bool {
        canonical_combining_class(c) == 0 && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes
    }

    #[test]
    fn fast_stable_ranges_agree_with_the_normalization_tables() {
        for (first, last) in STABLE_RANGES {
            for c in first..=last {
                assert!(is_stable_fast(c), "U+{:04X}", c as u32);
                assert!(
                    is_stable_starter(c),
                    "U+{:04X} is not a stable starter",
                    c as u32
                );
            }
        }
        for c in '\0'..=char::MAX {
            if is_stable_fast(c) {
                assert!(
                    STABLE_RANGES
                        .iter()
                        .any(|&(first, last)| (first..=last).contains(&c)),
                    "U+{:04X}",
                    c as u32
                );
            }
        }
    }

    /// The pre-scan passes over a character only when the rule leaves it alone wherever it
    /// stands: a stable starter that is neither removed nor replaced. Edits start only at the
    /// other characters, so a line the pre-scan passes over whole gets none.
    #[test]
    fn the_pre_scan_passes_over_nothing_the_rule_changes() {
        let mut passed = 0;
        for c in '\0'..=char::MAX {
            let alone = c.to_string();
            // A first byte the pre-scan steps over starts characters of one length only.
            let step = LEAD_STEP[usize::from(alone.as_bytes()[0])];
            assert!(
                step == 0 || usize::from(step) == alone.len(),
                "U+{:04X}",
                c as u32
            );
            if first_interesting(&alone).is_some() {
                assert_eq!(step, 0, "U+{:04X}", c as u32);
                continue;
            }
            passed += 1;
            assert_eq!(classify(c), Class::Stable, "U+{:04X}", c as u32);
            assert!(is_stable_starter(c), "U+{:04X}", c as u32);
        }
        assert!(passed > 900_000, "{passed}");
    }

    #[test]
    fn clean_text_is_left_alone() {
        unchanged("");
        unchanged("中华人民共和国成立于1949年。“你好”——他说……");
        unchanged("臺灣的繁體中文，與簡體字並存。");
        unchanged("　　第一段正文，以两个全角空格缩进。");
        unchanged("中文　中文");
        unchanged("The quick brown fox jumps over the lazy dog.\tTab\tseparated");
        unchanged("日本語のテキスト、カタカナとひらがな。ガギグ");
        unchanged("한국어 텍스트입니다");
        unchanged("Family 👨\u{200d}👩\u{200d}👧\u{200d}👦, thumbs 👍🏽, flag 🇨🇳, heart ❤\u{fe0f}");
        unchanged("العربية: مَرْحَبًا بِكُمْ");
        unchanged("עִבְרִית \u{200f}שלום\u{200e}");
        unchanged("می\u{200c}خواهم · क्\u{200d}ष");
        unchanged("∀x ∈ ℝ: x² ≥ 0, ∑ᵢ aᵢ ≤ ∞, f\u{2061}(x)");
        unchanged("Ça déjà vu — naïve café, Ελληνικά, Русский");
        unchanged("葛\u{e0100} 部首 ㇀ ⺀ ①②");
        unchanged("\u{1d400}\u{1d401} 𠀀𪚥 𰀀");
    }

    #[test]
    fn folds_radicals() {
        assert_eq!(fix(&Unicode, "⼀"), "一");
        assert_eq!(fix(&Unicode, "⻆"), "角");
        assert_eq!(fix(&Unicode, "⼈⺠⽣活"), "人民生活");
        let found = edits("⼀个⻆");
        assert_eq!(
            found.iter().map(|e| e.reason.clone()).collect::<Vec<_>>(),
            ["Kangxi radical", "CJK radical"]
        );
        assert_eq!(fix(&Unicode, "\u{f900}"), "\u{8c48}");
    }

    #[test]
    fn odd_spaces_become_spaces() {
        assert_eq!(fix(&Unicode, "a\u{a0}b"), "a b");
        assert_eq!(fix(&Unicode, "100\u{a0}km"), "100 km");
        assert_eq!(
            fix(&Unicode, "a\u{2002}b\u{2009}c\u{200a}d\u{202f}e\u{205f}f"),
            "a b c d e f"
        );
        assert_eq!(fix(&Unicode, "Hello　world"), "Hello world");
        assert_eq!(fix(&Unicode, "Hello,　world"), "Hello, world");
        assert_eq!(
            fix(&Unicode, "Ｈｅｌｌｏ　Ｗｏｒｌｄ"),
            "Ｈｅｌｌｏ Ｗｏｒｌｄ"
        );
        assert_eq!(fix(&Unicode, "a　　b"), "a  b");
        assert_eq!(edits("a\u{a0}b")[0].reason, "NBSP");
        // In CJK text, or as an indent, U+3000 stays.
        unchanged("　　Hello world");
        unchanged("电话:　123");
        unchanged("第1章　概述");
        unchanged("ABC　中文");
    }

    #[test]
    fn removes_invisible_and_control_characters() {
        assert_eq!(fix(&Unicode, "零\u{200b}宽"), "零宽");
        assert_eq!(fix(&Unicode, "hy\u{ad}phen"), "hyphen");
        assert_eq!(fix(&Unicode, "a\u{2060}b\u{feff}c"), "abc");
        assert_eq!(fix(&Unicode, "\u{feff}开头"), "开头");
        assert_eq!(
            fix(&Unicode, "a\0b\x07c\x7fd\u{85}e\u{9f}f\x1bg"),
            "abcdefg"
        );
        assert_eq!(fix(&Unicode, "\tkeep\ttabs"), "\tkeep\ttabs");
        let reasons: Vec<_> = edits("\u{200b}\u{ad}\0\u{80}")
            .iter()
            .map(|e| e.reason.clone())
            .collect();
        assert_eq!(
            reasons,
            [
                "zero-width space",
                "soft hyphen",
                "control character",
                "C1 control character"
            ]
        );
    }

    #[test]
    fn composes_to_nfc_span_by_span() {
        assert_eq!(fix(&Unicode, "e\u{301}"), "é");
        assert_eq!(
            fix(&Unicode, "Cafe\u{301} und Re\u{301}sume\u{301}"),
            "Café und Résumé"
        );
        let found = edits("abce\u{301}xyz");
        assert_eq!(found, vec![Edit::new(3..6, "é", "Unicode NFC")]);
        // Hangul jamo compose; marks out of canonical order are reordered.
        assert_eq!(fix(&Unicode, "\u{1100}\u{1161}\u{11a8}"), "각");
        assert_eq!(
            fix(&Unicode, "a\u{323}\u{302}"),
            fix(&Unicode, "a\u{302}\u{323}")
        );
        // Singletons: Ohm sign, Angstrom sign.
        assert_eq!(fix(&Unicode, "\u{2126} \u{212b}"), "\u{3a9} \u{c5}");
        // A combining mark at the start of a line has nothing to compose with.
        unchanged("\u{301}abc");
    }

    #[test]
    fn removed_characters_inside_a_combining_sequence() {
        assert_eq!(fix(&Unicode, "e\u{200b}\u{301}"), "é");
        assert_eq!(fix(&Unicode, "e\u{301}\u{200b}x"), "éx");
        let found = edits("\u{200b}\u{301}");
        assert_eq!(found, vec![Edit::new(0..3, "", "zero-width space")]);
    }

    proptest::proptest! {
        /// Running the rule on its own output changes nothing, and the output is NFC.
        #[test]
        fn idempotent_and_nfc(chars in proptest::collection::vec(proptest::sample::select(vec![
            'a', 'e', 'b', ' ', ',', '\t', '\0', '\u{85}', '\u{ad}', '\u{a0}', '\u{200b}', '\u{2009}',
            '\u{3000}', '\u{301}', '\u{302}', '\u{323}', '\u{344}', '\u{1100}', '\u{1161}', '\u{11a8}',
            '가', '中', '⼀', '⻆', '\u{f900}', '\u{2f800}', 'Ａ', 'ά', '\u{3099}', 'か', '\u{200d}', '👍', '\u{1f3fd}',
        ]), 0..12)) {
            let line: String = chars.into_iter().collect();
            let once = fix(&Unicode, &line);
            proptest::prop_assert_eq!(&fix(&Unicode, &once), &once);
            proptest::prop_assert!(once.nfc().eq(once.chars()), "{:?} → {:?}", line, once);
        }
    }

    #[test]
    fn output_is_stable() {
        for line in [
            "e\u{200b}\u{301}⼀\u{a0}a　b\u{f900}\u{301}",
            "⻆\u{301}x",
            "\u{a0}\u{301}",
            "a\u{200b}　b",
            "中\u{fa10}\u{0}\u{2126}",
            "e\u{301}\u{3000}b",
        ] {
            let once = fix(&Unicode, line);
            assert_eq!(fix(&Unicode, &once), once, "{line:?}");
            assert!(is_nfc_quick(once.chars()) == IsNormalized::Yes || once.nfc().eq(once.chars()));
        }
    }
}
