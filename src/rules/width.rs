//! `width`: characters in the wrong width.
//!
//! What it repairs:
//! - full-width ASCII letters and digits (U+FF10–U+FF19, U+FF21–U+FF3A, U+FF41–U+FF5A) become
//!   ASCII: `ｉＰｈｏｎｅ１５售价５９９９元` → `iPhone15售价5999元`. Input methods in full-width
//!   mode produce them, and they defeat search and matching;
//! - a few symbols go with them, but only when they touch a full-width letter or digit, so
//!   that `１００％`, `Ａ＋Ｂ`, `ｅｍａｉｌ＠ｅｘａｍｐｌｅ` come out whole (`100%`, `A+B`,
//!   `email@example`): `＃ ＄ ％ ＆ ＊ ＋ － ＝ ／ ＠ ＿`, and `．` only between two of them
//!   (`１．５` → `1.5`, `ｅｘａｍｐｌｅ．ｃｏｍ` → `example.com`);
//! - half-width katakana (U+FF66–U+FF9D) become full-width katakana, and a following
//!   half-width voiced or semi-voiced mark is composed into the letter: `ｶﾞｲﾄﾞﾌﾞｯｸ` →
//!   `ガイドブック`, `ﾊﾟﾝ` → `パン`, `ｳﾞ` → `ヴ`. A mark that cannot compose becomes the
//!   spacing `゛`/`゜`, the full-width form that legacy Japanese encodings pair it with;
//! - the half-width CJK punctuation that comes with them, `｡ ｢ ｣ ､ ･` → `。「」、・`.
//!
//! ```
//! use rinse::rules::{apply_edits, width::Width, LineRule};
//!
//! let fix = |line: &str| {
//!     let mut edits = Vec::new();
//!     Width.find_edits(line, &mut edits);
//!     apply_edits(line, &edits)
//! };
//! assert_eq!(fix("ｉＰｈｏｎｅ１５售价５９９９元，ｶﾞｲﾄﾞﾌﾞｯｸ｡"), "iPhone15售价5999元，ガイドブック。");
//! // Full-width punctuation is `punct`'s decision; correct Japanese stays as it is.
//! assert_eq!(fix("注意：（重要）！「ガイド」、１０～２０"), "注意：（重要）！「ガイド」、10～20");
//! ```
//!
//! What it leaves alone:
//! - full-width punctuation (`，。：；！？（）「」～` …): whether `，` should be `,` depends on
//!   the sentence around it, which is the `punct` rule's job; so `１，０００` becomes `1，000`
//!   here and `punct` decides about the comma;
//! - full-width symbols away from full-width letters and digits (`％` after ASCII digits,
//!   `－－` as a dash), and the full-width signs `￠ ￡ ￥ ￦`;
//! - the ideographic space U+3000 (`unicode` decides about it);
//! - half-width Hangul (U+FFA0–U+FFDC) and the half-width arrows and shapes.
//!
//! What a wrong guess costs: full-width letters set on purpose (a Japanese heading, text meant
//! for vertical layout) become narrow, and half-width katakana kept for a system that accepts
//! only them (bank transfer names, old receipts) become full-width; the words stay the same.

use memchr::memchr_iter;
use unicode_normalization::char::compose;

use crate::rules::{Edit, LineRule, RuleId};

pub struct Width;

impl LineRule for Width {
    fn id(&self) -> RuleId {
        RuleId::Width
    }

    fn find_edits(&self, line: &str, edits: &mut Vec<Edit>) {
        let Some(first) = first_target(line) else {
            return;
        };
        // Symbols just before the first letter belong to its run (`－５`).
        let mut i = first;
        while let Some(c) = line[..i]
            .chars()
            .next_back()
            .filter(|&c| is_adjacent_symbol(c) || c == '．')
        {
            i -= c.len_utf8();
        }
        while let Some(c) = line[i..].chars().next() {
            i = if is_fullwidth_alnum(c) || is_adjacent_symbol(c) || c == '．' {
                fullwidth_run(line, i, edits)
            } else if is_halfwidth(c) {
                halfwidth_run(line, i, edits)
            } else {
                i + c.len_utf8()
            };
        }
    }
}

/// The offset of the first full-width letter or digit or half-width katakana, found by
/// looking only at the 0xEF lead bytes (U+F000–U+FFFF); `None` for the lines this rule
/// leaves alone.
fn first_target(line: &str) -> Option<usize> {
    memchr_iter(0xef, line.as_bytes()).find(|&at| {
        let c = line[at..].chars().next().expect("0xEF is a lead byte");
        is_fullwidth_alnum(c) || is_halfwidth(c)
    })
}

fn is_fullwidth_alnum(c: char) -> bool {
    matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
}

/// Symbols converted when they touch a full-width letter or digit (see the module doc).
fn is_adjacent_symbol(c: char) -> bool {
    matches!(
        c,
        '＃' | '＄' | '％' | '＆' | '＊' | '＋' | '－' | '＝' | '／' | '＠' | '＿'
    )
}

/// The ASCII character a full-width form stands for (the full-width block is ASCII shifted
/// by U+FEE0).
fn to_ascii(c: char) -> char {
    char::from_u32(c as u32 - 0xfee0).expect("full-width ASCII maps into ASCII")
}

/// Converts the run of full-width letters, digits and symbols that starts at `start`, and
/// returns where it ends.
fn fullwidth_run(line: &str, start: usize, edits: &mut Vec<Edit>) -> usize {
    let run: Vec<(usize, char)> = line[start..]
        .char_indices()
        .take_while(|&(_, c)| is_fullwidth_alnum(c) || is_adjacent_symbol(c) || c == '．')
        .map(|(offset, c)| (start + offset, c))
        .collect();
    let end = run.last().map_or(start, |&(at, c)| at + c.len_utf8());
    let alnum = |k: usize| run.get(k).is_some_and(|&(_, c)| is_fullwidth_alnum(c));
    // A symbol converts when the unbroken string of symbols it belongs to touches a letter or
    // digit on either side (`１００％`, `Ａ＋－Ｂ`); `．` only between two of them.
    let mut convert = vec![false; run.len()];
    let mut k = 0;
    while k < run.len() {
        let c = run[k].1;
        if is_fullwidth_alnum(c) {
            convert[k] = true;
            k += 1;
        } else if c == '．' {
            convert[k] = k > 0 && alnum(k - 1) && alnum(k + 1);
            k += 1;
        } else {
            let symbols_end = (k..run.len())
                .find(|&m| !is_adjacent_symbol(run[m].1))
                .unwrap_or(run.len());
            let touches = (k > 0 && alnum(k - 1)) || alnum(symbols_end);
            convert[k..symbols_end].fill(touches);
            k = symbols_end;
        }
    }
    let (Some(first), Some(last)) = (
        convert.iter().position(|&x| x),
        convert.iter().rposition(|&x| x),
    ) else {
        return end;
    };
    let replacement: String = (first..=last)
        .map(|k| {
            if convert[k] {
                to_ascii(run[k].1)
            } else {
                run[k].1
            }
        })
        .collect();
    let range = run[first].0..run[last].0 + run[last].1.len_utf8();
    edits.push(Edit::new(
        range,
        replacement,
        "full-width letters and digits",
    ));
    end
}

/// Half-width katakana, voiced marks and CJK punctuation: U+FF61–U+FF9F.
fn is_halfwidth(c: char) -> bool {
    matches!(c, '\u{ff61}'..='\u{ff9f}')
}

/// Full-width forms of U+FF61–U+FF9F, in code point order. Facts from the JIS X 0201 /
/// JIS X 0208 correspondence; `table_matches_nfkc` checks each entry against Unicode's
/// compatibility decompositions. The last two are the spacing marks `゛` `゜`, used only where
/// a mark cannot compose with the letter before it.
const HALFWIDTH_TO_FULL: [char; 63] = [
    '。', '「', '」', '、', '・', // U+FF61–U+FF65: punctuation
    'ヲ', // U+FF66
    'ァ', 'ィ', 'ゥ', 'ェ', 'ォ', 'ャ', 'ュ', 'ョ', 'ッ', // U+FF67–U+FF6F: small letters
    'ー', // U+FF70: prolonged sound mark
    'ア', 'イ', 'ウ', 'エ', 'オ', // U+FF71–U+FF75
    'カ', 'キ', 'ク', 'ケ', 'コ', // U+FF76–U+FF7A
    'サ', 'シ', 'ス', 'セ', 'ソ', // U+FF7B–U+FF7F
    'タ', 'チ', 'ツ', 'テ', 'ト', // U+FF80–U+FF84
    'ナ', 'ニ', 'ヌ', 'ネ', 'ノ', // U+FF85–U+FF89
    'ハ', 'ヒ', 'フ', 'ヘ', 'ホ', // U+FF8A–U+FF8E
    'マ', 'ミ', 'ム', 'メ', 'モ', // U+FF8F–U+FF93
    'ヤ', 'ユ', 'ヨ', // U+FF94–U+FF96
    'ラ', 'リ', 'ル', 'レ', 'ロ', // U+FF97–U+FF9B
    'ワ', 'ン', // U+FF9C–U+FF9D
    '゛', '゜', // U+FF9E–U+FF9F: voiced and semi-voiced marks
];

const HALFWIDTH_VOICED: char = '\u{ff9e}';
const HALFWIDTH_SEMI_VOICED: char = '\u{ff9f}';
const COMBINING_VOICED: char = '\u{3099}';
const COMBINING_SEMI_VOICED: char = '\u{309a}';

fn halfwidth_to_full(c: char) -> char {
    HALFWIDTH_TO_FULL[(c as u32 - 0xff61) as usize]
}

/// The combining mark a voiced-sound mark stands for, if `c` is one.
fn combining_mark(c: char) -> Option<char> {
    match c {
        HALFWIDTH_VOICED | COMBINING_VOICED => Some(COMBINING_VOICED),
        HALFWIDTH_SEMI_VOICED | COMBINING_SEMI_VOICED => Some(COMBINING_SEMI_VOICED),
        _ => None,
    }
}

/// Converts the run of half-width forms that starts at `start` (with a combining voiced mark
/// right after a half-width letter), and returns where it ends.
fn halfwidth_run(line: &str, start: usize, edits: &mut Vec<Edit>) -> usize {
    let mut out = String::new();
    let mut from = start;
    // A half-width mark right after a full-width kana (`カﾞ`) composes with it: the edit then
    // starts at that kana.
    let first = line[start..]
        .chars()
        .next()
        .expect("start is a char boundary");
    if let (Some(mark), Some(before)) = (combining_mark(first), line[..start].chars().next_back()) {
        if compose(before, mark).is_some() {
            from = start - before.len_utf8();
            out.push(before);
        }
    }
    let mut end = start;
    let mut letters = false;
    let mut previous_halfwidth = false;
    for c in line[start..].chars() {
        let halfwidth = is_halfwidth(c);
        let combining = matches!(c, COMBINING_VOICED | COMBINING_SEMI_VOICED);
        if !(halfwidth || (previous_halfwidth && combining)) {
            break;
        }
        end += c.len_utf8();
        previous_halfwidth = halfwidth;
        letters |= c >= '\u{ff66}';
        let composed = combining_mark(c).and_then(|mark| compose(out.chars().next_back()?, mark));
        match composed {
            Some(composed) => {
                out.pop();
                out.push(composed);
            }
            // A combining mark that cannot compose stays as it was; a half-width one becomes
            // the spacing full-width mark.
            None if !halfwidth => out.push(c),
            None => out.push(halfwidth_to_full(c)),
        }
    }
    let reason = if letters {
        "half-width katakana"
    } else {
        "half-width CJK punctuation"
    };
    edits.push(Edit::new(from..end, out, reason));
    end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::fix;
    use unicode_normalization::UnicodeNormalization;

    fn unchanged(line: &str) {
        let mut edits = Vec::new();
        Width.find_edits(line, &mut edits);
        assert_eq!(edits, Vec::new(), "{line:?} should be left alone");
    }

    #[test]
    fn fullwidth_letters_and_digits_become_ascii() {
        assert_eq!(fix(&Width, "ＡＢＣ１２３"), "ABC123");
        assert_eq!(fix(&Width, "ａｂｃｘｙｚ０９ＡＺ"), "abcxyz09AZ");
        assert_eq!(
            fix(&Width, "ｉＰｈｏｎｅ１５售价５９９９元"),
            "iPhone15售价5999元"
        );
        let mut edits = Vec::new();
        Width.find_edits("型号ＡＢ１，共２台", &mut edits);
        assert_eq!(
            edits,
            vec![
                Edit::new(6..15, "AB1", "full-width letters and digits"),
                Edit::new(21..24, "2", "full-width letters and digits")
            ]
        );
    }

    #[test]
    fn symbols_only_next_to_letters_and_digits() {
        assert_eq!(fix(&Width, "完成率１００％"), "完成率100%");
        assert_eq!(fix(&Width, "Ａ＋Ｂ＝Ｃ"), "A+B=C");
        assert_eq!(
            fix(&Width, "ｅｍａｉｌ＠ｅｘａｍｐｌｅ．ｃｏｍ"),
            "email@example.com"
        );
        assert_eq!(fix(&Width, "１．５倍"), "1.5倍");
        assert_eq!(fix(&Width, "气温－５度，＃１"), "气温-5度，#1");
        assert_eq!(fix(&Width, "Ａ＋－Ｂ"), "A+-B");
        // `．` at the end of a sentence, and symbols away from letters, stay.
        assert_eq!(fix(&Width, "ＡＢＣ．"), "ABC．");
        assert_eq!(fix(&Width, "．１"), "．1");
        unchanged("涨幅100％");
        unchanged("增长100％，－－破折号，＋号");
        assert_eq!(fix(&Width, "１，０００"), "1，000");
    }

    #[test]
    fn halfwidth_katakana_become_fullwidth() {
        assert_eq!(fix(&Width, "ｶﾞ"), "ガ");
        assert_eq!(fix(&Width, "ﾊﾟ"), "パ");
        assert_eq!(fix(&Width, "ｳﾞ"), "ヴ");
        assert_eq!(fix(&Width, "ｺﾝﾆﾁﾊ｡"), "コンニチハ。");
        assert_eq!(
            fix(&Width, "｢ｶﾞｲﾄﾞﾌﾞｯｸ｣､ｾｰﾙ･ｲﾝﾌｫ"),
            "「ガイドブック」、セール・インフォ"
        );
        assert_eq!(fix(&Width, "ﾜﾞｦﾞﾎﾟﾎﾞ"), "ヷヺポボ");
        // Marks that cannot compose become the spacing marks.
        assert_eq!(fix(&Width, "ｱﾞﾟ"), "ア゛゜");
        assert_eq!(fix(&Width, "ﾞ"), "゛");
        // A half-width mark after a full-width kana, or a combining mark after a half-width one.
        assert_eq!(fix(&Width, "カﾞ"), "ガ");
        assert_eq!(fix(&Width, "はﾟ"), "ぱ");
        assert_eq!(fix(&Width, "ｶ\u{3099}ｷ\u{309a}"), "ガキ\u{309a}");
        let mut edits = Vec::new();
        Width.find_edits("中文｡ｱ", &mut edits);
        assert_eq!(edits, vec![Edit::new(6..12, "。ア", "half-width katakana")]);
        edits.clear();
        Width.find_edits("中文｡", &mut edits);
        assert_eq!(edits[0].reason, "half-width CJK punctuation");
    }

    #[test]
    fn correct_text_is_left_alone() {
        unchanged("");
        unchanged("Plain ASCII text, 123 and symbols: %+-=/@#.");
        unchanged("中文文本，包括全角标点：（括号）！？；“引号”。");
        unchanged("日本語のカタカナ、ガイドブック「テスト」・パン。ヴ");
        unchanged("한국어 텍스트, ￥100 ￡5 ￠");
        unchanged("emoji 👍🏽 👨\u{200d}👩\u{200d}👧 ❤\u{fe0f}");
        unchanged("　　全角空格缩进，～波浪号～");
        unchanged("half-width hangul \u{ffa1}\u{ffc2} and arrows \u{ffe9}");
    }

    /// Checks the hand-written table against Unicode's compatibility decompositions (through
    /// the normalization crate), and the composed pairs against NFKC.
    #[test]
    fn table_matches_nfkc() {
        for c in '\u{ff61}'..='\u{ff9f}' {
            let nfkc: String = c.to_string().nfkc().collect();
            let ours = halfwidth_to_full(c);
            match c {
                // NFKC gives the combining marks; alone, a line needs the spacing ones.
                HALFWIDTH_VOICED => assert_eq!((nfkc.as_str(), ours), ("\u{3099}", '゛')),
                HALFWIDTH_SEMI_VOICED => assert_eq!((nfkc.as_str(), ours), ("\u{309a}", '゜')),
                _ => assert_eq!(nfkc, ours.to_string(), "U+{:04X}", c as u32),
            }
            assert_eq!(fix(&Width, &c.to_string()), ours.to_string());
        }
        let mut composed = 0;
        for base in '\u{ff66}'..='\u{ff9d}' {
            for (mark, spacing) in [(HALFWIDTH_VOICED, '゛'), (HALFWIDTH_SEMI_VOICED, '゜')] {
                let pair = format!("{base}{mark}");
                let nfkc: Vec<char> = pair.nfkc().collect();
                let expected = if nfkc.len() == 1 {
                    composed += 1;
                    nfkc[0].to_string()
                } else {
                    format!("{}{spacing}", halfwidth_to_full(base))
                };
                assert_eq!(fix(&Width, &pair), expected, "{pair}");
            }
        }
        // Voiced: the カ, サ, タ and ハ rows (20) and ヴ ヷ ヺ; semi-voiced: the ハ row.
        assert_eq!(composed, 20 + 3 + 5);
    }

    #[test]
    fn fullwidth_ascii_matches_nfkc() {
        for c in ('０'..='９').chain('Ａ'..='Ｚ').chain('ａ'..='ｚ') {
            assert_eq!(
                fix(&Width, &c.to_string()),
                c.to_string().nfkc().collect::<String>()
            );
        }
        for c in "＃＄％＆＊＋－＝／＠＿．".chars() {
            assert_eq!(
                to_ascii(c).to_string(),
                c.to_string().nfkc().collect::<String>()
            );
        }
    }

    #[test]
    fn output_is_stable() {
        for line in ["ｶﾞｶﾞ｡ＡＢ％", "カﾞﾞ", "ｱ\u{3099}\u{3099}", "Ａ．．Ｂ", "＠＠Ａ"]
        {
            let once = fix(&Width, line);
            assert_eq!(fix(&Width, &once), once, "{line:?}");
        }
    }
}
