//! `punct`: punctuation that fits the text around it.
//!
//! Text typed with the input method in half-width mode, or pushed through a converter that
//! "simplified" the punctuation, comes out with ASCII marks inside Chinese sentences; the
//! opposite damage, full-width marks inside English, comes from the same input method left in
//! full-width mode. Taken from a real damaged page:
//!
//! ```text
//! 原标题:山东东营市各级党组织…               →  原标题：山东东营市各级党组织…
//! 越是重要关头越能映照初心;越在关键时刻,越显担当  →  越是重要关头越能映照初心；越在关键时刻，越显担当
//! 将村(社区)“两委”成员                       →  将村（社区）“两委”成员
//! 守护人民健康!”面对疫情                     →  守护人民健康！”面对疫情
//! Hello，world                              →  Hello, world
//! ```
//!
//! With the default style (`cjk`) a mark takes the form its context calls for:
//!
//! - `, ; : ? !` become `， ； ： ？ ！` when the word they are attached to (the nearest
//!   character on the left, through spaces and quotes) is Chinese or Japanese (Han, kana, or CJK
//!   punctuation; never Hangul). A number counts as Chinese when it is glued to Chinese on its
//!   own left and Chinese follows the mark: `人数为300,其中` → `人数为300，其中`.
//! - `.` becomes `。` only where it ends a Chinese sentence: right after a Chinese character
//!   (through closing quotes), and before the end of the line, a space and more Chinese, a
//!   closing quote, or CJK punctuation. `...` (or more) right after Chinese becomes `……`, and
//!   so does a run of `。。。`.
//! - `(…)` becomes `（…）` as a pair, when the content is Chinese, or when the content is a
//!   Latin word with Chinese on both sides (`设置(Settings)按钮`). A pair with one ASCII and one
//!   full-width member (`（社区)`) is finished the same way.
//! - `"…"` becomes `“…”` as a pair, when the content is Chinese and the pair sits in Chinese
//!   text; a line with an odd number of `"` keeps them all.
//! - In Latin text (both neighbours ASCII, and no Chinese in the sentences on either side)
//!   `， 。 ： ； ？ ！` become ASCII, with one space added when a letter follows at once
//!   (`Hello，world` → `Hello, world`; a single U+3000 after the mark becomes that space), and
//!   `（…）` around Latin content becomes `(…)`.
//!
//! The `ascii` style maps the full-width marks (and `“” ‘’ 、 …`) to ASCII character for
//! character, whatever the context, and adds no spaces: `你好，世界。` → `你好,世界.`.
//!
//! What stays, because a wrong guess there breaks something: URLs, e-mail addresses and file
//! paths (`http://a.b/c?x=1,2`, `C:\dir`, `/usr/bin`); numbers, times and ratios (`3.14`,
//! `1,000`, `10:30`, `1:2`); anything between backticks and every line that looks like code,
//! JSON or YAML (`{`, `};`, `=>`, `==`, `->`, `="`, `key: value`); function calls `f(x)`;
//! formulas `(a+b)`; list markers `(1)`, `(a)`, `(iv)`, `1.`, `一.`; emoticons `:)`; markdown
//! link targets; Korean, which uses ASCII punctuation; single quotes; spaces around a mark.
//!
//! Decisions on the ambiguous cases, all on the side of leaving text alone:
//!
//! - A mark belongs to the word it is attached to on its left. `中文,English` →
//!   `中文，English`, but `Hello, 世界`, `iPhone 15 Pro,售价` and `Python 3.11:新特性` keep
//!   their ASCII mark: a Latin word or a version number on the left is not Chinese.
//! - A `.` between two Chinese characters stays: it is as often a stand-in for `·` in a
//!   transliterated name (`马丁.路德.金`) as a full stop. A `.` after a bracket or another mark
//!   stays too: `（国际化版）.` and `（模板文件）：.` are document generators' heading leftovers.
//! - `(1)` stays `(1)`: the same marker is used in English and in formulas.
//! - An upper-case abbreviation glued to a pair with Chinese content is a term and its
//!   explanation, not a call: `CT(计算机断层扫描)` → `CT（计算机断层扫描）`; `print(中文)` stays.
//! - Japanese counts as Chinese, and an ASCII comma becomes `，` (not `、`).
//!
//! What a wrong guess costs: in prose, one mark of the wrong width, which a reader barely
//! notices and `--explain` shows. In a URL, a number or code it would change meaning, which is
//! why all of those are protected and a mark with an unclear context is never touched.
//!
//! The rule gives the same result when run on its own output. The two directions can disagree
//! about a mark between them (`中?，a`), so the Latin pass runs first and never leans on an
//! ASCII mark the Chinese pass may still change, and each pass repeats until it settles.

use std::ops::Range;

use crate::config::PunctStyle;
use crate::rules::{Edit, LineRule, RuleId};

/// Fewer dots than this are not an ellipsis: `..` is a parent directory or a typo.
const MIN_ELLIPSIS_DOTS: usize = 3;

/// `。。` is more often a doubled key press than an ellipsis; from three on it is an ellipsis.
const MIN_ELLIPSIS_STOPS: usize = 3;

/// `(1)` to `(999)` are list markers; a longer number in parentheses is a year or a quantity.
const MAX_MARKER_DIGITS: usize = 3;

/// Roman list markers go up to `(viii)`; a longer run of those letters is a word.
const MAX_ROMAN_MARKER_LEN: usize = 4;

/// `一.` to `二十三.` at the start of a line is a list marker (a damaged `一、`), not a sentence
/// that ends after three characters.
const MAX_NUMERAL_MARKER_LEN: usize = 3;

/// A number longer than this before a mark (`为300,其中`) is not a quantity in a sentence but
/// data; the limit also keeps a line of `1,1,1,…` linear.
const MAX_GLUED_NUMBER_CHARS: usize = 32;

/// Parentheses around more than this many characters are left alone: a remark that long is
/// rare, more likely a formula or code, and the limit keeps deeply nested input linear.
const MAX_PAREN_CONTENT_CHARS: usize = 200;

/// Rounds of the Latin pass. Each round settles the marks whose neighbours the round before
/// settled; real text needs two at most, and the cap keeps a crafted chain linear.
const MAX_LATIN_ROUNDS: usize = 4;

/// Rounds of the Chinese pass. Each round settles the marks whose neighbours the round before
/// settled; real text needs two at most, and the cap keeps a crafted chain linear.
const MAX_CHINESE_ROUNDS: usize = 4;

/// Any of these in a line makes it code, JSON, a template or markup, where ASCII punctuation is
/// syntax. Chinese prose practically never contains them, so skipping such a line costs little.
const CODE_MARKERS: [&str; 19] = [
    "{", "}", "=>", "==", "!=", "->", "::", ":=", "&&", "||", ");", "=\"", "= \"", "='", "= '",
    "</", "/>", "#include", "(\"",
];

/// Characters that make the content of a pair of parentheses a formula or code (`(a+b)`,
/// `(x=1)`, `("中文")`) rather than a parenthetical remark.
const PAREN_CODE_CHARS: &[char] = &[
    '=', '{', '}', '<', '>', '\\', '|', '&', '+', '^', '`', '"', '\'', '$', '#',
];

/// Characters that make the content of a pair of ASCII double quotes code rather than speech.
const QUOTE_CODE_CHARS: &[char] = &['=', '{', '}', '<', '>', '\\', '`'];

/// Chinese numerals that start a list item (`一.`, `十二.`).
const CHINESE_NUMERALS: &[char] = &[
    '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '百', '零', '〇', '两',
];

pub struct Punct {
    style: PunctStyle,
}

impl Punct {
    /// The rule for `style`, or `None` for [`PunctStyle::Keep`].
    pub fn new(style: PunctStyle) -> Option<Punct> {
        (style != PunctStyle::Keep).then_some(Punct { style })
    }
}

impl LineRule for Punct {
    fn id(&self) -> RuleId {
        RuleId::Punct
    }

    fn find_edits(&self, line: &str, edits: &mut Vec<Edit>) {
        // Every change this rule makes, in either style, involves a character outside ASCII:
        // Chinese context, or a full-width mark.
        if line.is_ascii() {
            return;
        }
        match self.style {
            PunctStyle::Cjk => by_context(line, edits),
            PunctStyle::Ascii => to_ascii(line, edits),
            PunctStyle::Keep => {}
        }
    }
}

/// The `ascii` style: full-width and CJK marks to ASCII, character for character.
fn to_ascii(line: &str, edits: &mut Vec<Edit>) {
    let mut chars = line.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let (ascii, reason) = match c {
            '，' => (",", "full-width comma in ASCII style"),
            '、' => (",", "enumeration comma in ASCII style"),
            '。' => (".", "ideographic full stop in ASCII style"),
            '：' => (":", "full-width colon in ASCII style"),
            '；' => (";", "full-width semicolon in ASCII style"),
            '？' => ("?", "full-width question mark in ASCII style"),
            '！' => ("!", "full-width exclamation mark in ASCII style"),
            '（' => ("(", "full-width parenthesis in ASCII style"),
            '）' => (")", "full-width parenthesis in ASCII style"),
            '“' | '”' => ("\"", "curly double quote in ASCII style"),
            '‘' | '’' => ("'", "curly single quote in ASCII style"),
            '…' => {
                // The Chinese ellipsis is two characters wide; it is one `...`, not two.
                let mut end = at + c.len_utf8();
                if let Some(&(next_at, '…')) = chars.peek() {
                    chars.next();
                    end = next_at + '…'.len_utf8();
                }
                edits.push(Edit::new(at..end, "...", "ellipsis in ASCII style"));
                continue;
            }
            _ => continue,
        };
        edits.push(Edit::new(at..at + c.len_utf8(), ascii, reason));
    }
}

/// The `cjk` style.
fn by_context(line: &str, edits: &mut Vec<Edit>) {
    by_context_after(QuickLook::of(line), line, edits);
}

/// The `cjk` style, once the quick look has said which passes may change something.
fn by_context_after(look: QuickLook, line: &str, edits: &mut Vec<Edit>) {
    if !look.ascii_marks && !look.fullwidth_in_latin && !look.stop_run {
        return;
    }
    if looks_like_code(line) {
        return;
    }
    let mut scan = Scan::new(line);
    let korean = scan.chars.iter().any(|&(_, c)| class(c) == Class::Hangul);
    let chinese = scan.chars.iter().any(|&(_, c)| class(c) == Class::Cjk);
    let to_chinese =
        !korean && !is_latin_prose(line) && ((look.ascii_marks && chinese) || look.stop_run);
    if !to_chinese && !look.fullwidth_in_latin {
        return;
    }
    scan.protect_machine_text();
    let pairs = scan.paren_pairs();
    // Latin first: the Chinese pass then sees `（` that became `(` as ASCII, and does not take
    // it for Chinese context. The Latin pass, for its part, never leans on an ASCII mark the
    // Chinese pass may still change (see `Scan::latin_on_left`). Both together make the rule
    // give the same answer when run again on its own output.
    if look.fullwidth_in_latin {
        scan.latin_pass(&pairs);
    }
    if to_chinese {
        scan.chinese_pass(&pairs);
    }
    scan.emit(edits);
}

/// An English (or other Latin-script) sentence that quotes a few Chinese words keeps its
/// ASCII punctuation: `I visited 北京, then 上海.` A line is Latin prose when it has at least
/// [`LATIN_PROSE_MIN_WORDS`] Latin words and no more than [`HAN_PER_LATIN_WORD`] Han characters
/// per Latin word; Chinese prose with a few English terms has far more.
fn is_latin_prose(line: &str) -> bool {
    // Words are whole whitespace-separated tokens of letters, so a URL or an identifier is no
    // word (`网址:http://a.b/c,d`).
    let words = line
        .split_whitespace()
        .map(|token| token.trim_matches(|c: char| c.is_ascii_punctuation()))
        .filter(|token| !token.is_empty() && token.bytes().all(|b| b.is_ascii_alphabetic()))
        .count();
    let han = line.chars().filter(|&c| crate::rules::is_han(c)).count();
    words >= LATIN_PROSE_MIN_WORDS && han <= words * HAN_PER_LATIN_WORD
}

/// See [`is_latin_prose`]: `I love 東京!` has two words.
const LATIN_PROSE_MIN_WORDS: usize = 2;
/// See [`is_latin_prose`]: two place names of two characters each in a three-word sentence.
const HAN_PER_LATIN_WORD: usize = 2;

/// What a cheap look at the line can tell: whether either pass could change anything at all.
/// Computed without allocating and mostly on bytes, since most lines need nothing.
///
/// Each answer is a necessary condition for its pass to change something, made of the first
/// questions the pass itself asks of each mark: when it is `false`, the pass would decide
/// nothing on this line, so skipping it changes no output. (A gate narrower than that, say one
/// that judged a mark's neighbour in a way the pass does not, could skip a mark on the first
/// run and let it through on the second, after the Chinese pass made `%,` into `%，`: the rule
/// would no longer give the same result when run on its own output.) The tests run both passes
/// without the gate and check that it lets through every line they change.
struct QuickLook {
    /// An ASCII mark the Chinese pass may turn into its CJK form (see [`ascii_mark_may_turn`]).
    ascii_marks: bool,
    /// A full-width mark the Latin pass may turn into ASCII (see [`latin_pass_may_change`]).
    fullwidth_in_latin: bool,
    /// `。。。`, an ellipsis typed as full stops.
    stop_run: bool,
}

impl QuickLook {
    fn of(line: &str) -> QuickLook {
        let bytes = line.as_bytes();
        let mut bytes_say = ByteFindings::default();
        let mut start = 0;
        while start < bytes.len() {
            let word = word_at(bytes, start);
            let ascii = !word & HIGH_BITS;
            let stop_run_ends = equal_bytes(word, STOP_RUN_END);
            // Most words of Chinese text have neither.
            if ascii | stop_run_ends != 0 {
                bytes_say.look_at(line, start, word, ascii, stop_run_ends);
            }
            start += 8;
        }
        QuickLook {
            ascii_marks: bytes_say.marks
                || (bytes_say.pair_marks && line.chars().any(|c| class(c) == Class::Cjk)),
            // Only a line with an ASCII letter has Latin sentences (see `Sentences::letters`).
            fullwidth_in_latin: bytes_say.letters && latin_pass_may_change(line),
            stop_run: bytes_say.stop_run,
        }
    }
}

/// What the bytes of a line say, looked at eight at a time (see [`QuickLook`]).
#[derive(Default)]
struct ByteFindings {
    letters: bool,
    /// A mark `, . ; : ? !` the Chinese pass may turn (see [`ascii_mark_may_turn`]).
    marks: bool,
    /// `(`, `)` or `"`: a pair the Chinese pass may turn if there is Chinese in or next to it.
    pair_marks: bool,
    stop_run: bool,
}

impl ByteFindings {
    /// Looks at the word `word` from byte `start`, with its ASCII bytes and the bytes that may
    /// end a [`STOP_RUN`] flagged. Out of line, so that the loop over the words stays small.
    #[inline(never)]
    fn look_at(&mut self, line: &str, start: usize, word: u64, ascii: u64, stop_run_ends: u64) {
        let bytes = line.as_bytes();
        // Once a letter is found, only the bytes below `@` are still of interest: the marks.
        let ascii = if self.letters {
            ascii & !(word << 1)
        } else {
            ascii
        };
        for at in flagged(start, ascii) {
            match bytes[at] {
                b',' | b'.' | b';' | b':' | b'?' | b'!' => {
                    self.marks = self.marks || ascii_mark_may_turn(line, at);
                }
                b'(' | b')' | b'"' => self.pair_marks = true,
                byte => self.letters |= byte.is_ascii_alphabetic(),
            }
        }
        self.stop_run = self.stop_run
            || flagged(start, stop_run_ends).any(|at| bytes[..=at].ends_with(STOP_RUN.as_bytes()));
    }
}

/// `。。。`: from three ideographic full stops on, a run is an ellipsis.
const STOP_RUN: &str = "。。。";

/// The last byte of [`STOP_RUN`].
const STOP_RUN_END: u8 = STOP_RUN.as_bytes()[STOP_RUN.len() - 1];

/// The high bit of every byte of a word.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The eight bytes of `bytes` from `start`, as a little-endian word, padded past the end with
/// `0xFF`, a byte that UTF-8 never uses. Looking at eight bytes together passes over a run of
/// Chinese text without decoding a character.
fn word_at(bytes: &[u8], start: usize) -> u64 {
    match bytes.get(start..).and_then(<[u8]>::first_chunk::<8>) {
        Some(word) => u64::from_le_bytes(*word),
        None => {
            let tail = &bytes[start..];
            let mut padded = [0xFF; 8];
            padded[..tail.len()].copy_from_slice(tail);
            u64::from_le_bytes(padded)
        }
    }
}

/// The bytes of `word` equal to `byte`, as the high bit of each.
fn equal_bytes(word: u64, byte: u8) -> u64 {
    let diff = word ^ (u64::from(byte) * 0x0101_0101_0101_0101);
    // A byte of `diff` is non-zero when its low seven bits, plus 0x7F, carry into the high bit,
    // or when its high bit is set already; no carry crosses into the next byte.
    let low = (diff & !HIGH_BITS) + !HIGH_BITS;
    !(low | diff) & HIGH_BITS
}

/// The positions of the bytes whose high bit is set in `flags`, a word starting at `start`.
fn flagged(start: usize, flags: u64) -> Flagged {
    Flagged { start, flags }
}

struct Flagged {
    start: usize,
    flags: u64,
}

impl Iterator for Flagged {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.flags == 0 {
            return None;
        }
        let at = self.start + self.flags.trailing_zeros() as usize / 8;
        self.flags &= self.flags - 1;
        Some(at)
    }
}

/// Whether the Chinese pass could turn the ASCII mark (`, . ; : ? !`) at byte `at` into its CJK
/// form: whether it passes the first question the pass asks of it.
///
/// - `, ; : ? !`: is the nearest character on the left, through spaces and quotes, Chinese or a
///   mark that is or may become a CJK one (`Scan::chinese_on_left`,
///   `Scan::stop_mark_is_chinese`)? After a number, `, ; :` also need Chinese on the right.
/// - `.`: is the nearest character on the left, through quotes, one that ends Chinese words
///   (`Scan::full_stop_is_chinese`, `Scan::dots_are_chinese_ellipsis`)?
///
/// The passes change the class of few characters: an ASCII mark may become a CJK mark, `"` a
/// curly quote and `.` part of `……` (both then looked through), a full-width mark an ASCII
/// one. Whatever stands next to one of those is let through; every other character keeps its
/// class, so the answer found on the line as it is holds while the passes decide.
fn ascii_mark_may_turn(line: &str, at: usize) -> bool {
    let looked_through = |c: char| matches!(class(c), Class::Space | Class::Quote);
    match line.as_bytes()[at] {
        b'.' => line[..at]
            .chars()
            .rev()
            .find(|&c| class(c) != Class::Quote)
            .is_some_and(|left| can_end_chinese_words(left) || may_become_quote(left)),
        mark => {
            let Some(left) = line[..at].chars().rev().find(|&c| !looked_through(c)) else {
                return false;
            };
            let after_number = matches!(mark, b',' | b';' | b':')
                && (left.is_ascii_digit() || matches!(left, '%' | '*'));
            may_read_as_chinese_mark(left)
                || (after_number
                    && line[at + 1..]
                        .chars()
                        .find(|&c| !looked_through(c))
                        .is_some_and(|right| class(right) == Class::Cjk || may_become_quote(right)))
        }
    }
}

/// Whether `c`, on the left of an ASCII pause or stop mark, is or may become what makes the
/// mark Chinese: a Chinese character, a CJK mark, or an ASCII mark that may turn into one.
/// `"` and `.` count too: they may become a quote or an ellipsis and be looked through.
fn may_read_as_chinese_mark(c: char) -> bool {
    matches!(class(c), Class::Cjk | Class::CjkMark)
        || matches!(c, ',' | '.' | ';' | ':' | '?' | '!' | '(' | ')' | '"')
}

/// Whether the Chinese pass may turn `c` into a character that is looked through: `"` into a
/// curly quote, `.` into part of `……`.
fn may_become_quote(c: char) -> bool {
    matches!(c, '"' | '.')
}

/// Whether the Latin pass could turn any full-width mark of `line` into ASCII: a mark whose
/// neighbours may be Latin text (see [`neighbours_may_be_latin`]), in a sentence without
/// Chinese, Japanese or Korean (`Scan::in_latin_sentences`).
fn latin_pass_may_change(line: &str) -> bool {
    // An earlier mark whose sentence was found to hold Chinese: a later mark in the same
    // sentence holds it too. A sentence is known to run on to `chinese_until` at least.
    let mut chinese_at = None;
    let mut chinese_until = 0;
    // The marks are found from their lead bytes; almost all of them stand next to Chinese,
    // and that answers at once.
    let bytes = line.as_bytes();
    let [first_lead, second_lead] = FULLWIDTH_MARK_LEADS;
    let mut start = 0;
    while start < bytes.len() {
        let word = word_at(bytes, start);
        let leads = equal_bytes(word, first_lead) | equal_bytes(word, second_lead);
        for at in flagged(start, leads) {
            if at < chinese_until {
                continue;
            }
            // A lead byte always starts a character.
            let Some(mark) = line[at..].chars().next().filter(|&c| is_fullwidth_mark(c)) else {
                continue;
            };
            if !neighbours_may_be_latin(line, at, mark) {
                continue;
            }
            match sentence_without_cjk(line, at, mark, chinese_at) {
                Ok(()) => return true,
                Err(until) => {
                    chinese_at = Some(at);
                    chinese_until = until;
                }
            }
        }
        start += 8;
    }
    false
}

/// The first bytes of the full-width marks in UTF-8: `。` is U+3002, the others are in
/// U+FF01 to U+FF1F.
const FULLWIDTH_MARK_LEADS: [u8; 2] = [0xE3, 0xEF];

/// Whether the neighbours of the full-width mark `mark` at byte `at` may be Latin text once the
/// Latin pass is done: the questions of `Scan::latin_on_left` and `Scan::latin_or_edge`, asked
/// of the line as it is. That pass leaves spaces and quotes what they are, and changes no
/// other character but full-width marks, so a neighbour that is neither fit for Latin text nor
/// a full-width mark never becomes fit. An opening parenthesis is judged by its left only, a
/// closing one by its right only (`Scan::paren_pair_is_latin`).
fn neighbours_may_be_latin(line: &str, at: usize, mark: char) -> bool {
    let may_be_latin = |c: char| is_latin_side(c) || is_fullwidth_mark(c);
    let left = || {
        line[..at]
            .chars()
            .rev()
            .find(|&c| class(c) != Class::Space)
            .is_none_or(may_be_latin)
    };
    let right = || {
        line[at + mark.len_utf8()..]
            .chars()
            .find(|&c| !matches!(class(c), Class::Space | Class::Quote))
            .is_none_or(may_be_latin)
    };
    (mark == '）' || left()) && (mark == '（' || right())
}

/// Whether the sentence holding the mark `mark` at byte `at` is free of Chinese, Japanese and
/// Korean, with sentences cut as [`Scan::sentences`] cuts the line before any change.
///
/// `chinese_at` is an earlier mark whose sentence holds Chinese: the walk to the left stops
/// there, so that a long sentence with many marks is walked once. On `Err`, the byte up to
/// which this sentence is known to reach: a mark before it is in the same sentence.
fn sentence_without_cjk(
    line: &str,
    at: usize,
    mark: char,
    chinese_at: Option<usize>,
) -> Result<(), usize> {
    let cjk = |c: char| matches!(class(c), Class::Cjk | Class::Hangul);
    let mut next = mark;
    for (before, c) in line[..at].char_indices().rev() {
        // A sentence owns the mark that ends it.
        if ends_sentence(c, Some(next)) {
            break;
        }
        if cjk(c) || chinese_at == Some(before) {
            return Err(at);
        }
        next = c;
    }
    let mut right = line[at..].char_indices().peekable();
    while let Some((offset, c)) = right.next() {
        if cjk(c) {
            return Err(at + offset);
        }
        if ends_sentence(c, right.peek().map(|&(_, next)| next)) {
            break;
        }
    }
    Ok(())
}

/// Whether a line is code, JSON, YAML, SQL, markup or a CSV row, where punctuation is syntax.
fn looks_like_code(line: &str) -> bool {
    // One pass over the bytes first: most lines have none of the bytes a marker starts with,
    // and then none of the eighteen substring searches can succeed.
    let may_have_marker = line
        .bytes()
        .any(|b| CODE_MARKER_FIRST_BYTES[usize::from(b)]);
    (may_have_marker && CODE_MARKERS.iter().any(|marker| line.contains(marker)))
        || looks_like_key_value(line)
        || looks_like_sql(line)
        || looks_like_block_header(line)
        || looks_like_csv_row(line)
}

/// SQL keywords that start a statement and that appear inside one. Upper case only: that is
/// how SQL is written in the code and documents that mix it with Chinese identifiers, and an
/// upper-case English word at the start of a Chinese sentence is rare.
const SQL_STATEMENT_KEYWORDS: [&str; 8] = [
    "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "DROP", "WITH",
];
const SQL_CLAUSE_KEYWORDS: [&str; 10] = [
    "FROM", "INTO", "SET", "TABLE", "VALUES", "WHERE", "JOIN", "AS", "BY", "INDEX",
];

/// `SELECT 姓名, 年龄 FROM 学生;` — a statement keyword first and a clause keyword later, both
/// as whole words.
fn looks_like_sql(line: &str) -> bool {
    let mut words = line.split_whitespace();
    words
        .next()
        .is_some_and(|first| SQL_STATEMENT_KEYWORDS.contains(&first))
        && words.any(|word| SQL_CLAUSE_KEYWORDS.contains(&word))
}

/// A Python block header with Chinese names (`class 订单:`, `def 计算(价格, 数量):`): a
/// definition keyword first and a colon at the end, before any comment.
fn looks_like_block_header(line: &str) -> bool {
    let text = line.trim_start();
    let code = text.split(" #").next().unwrap_or(text).trim_end();
    ["def ", "class ", "async def "]
        .iter()
        .any(|keyword| text.starts_with(keyword))
        && code.ends_with(':')
}

/// A CSV field longer than this many characters is a clause of a sentence, not a value.
const CSV_MAX_FIELD_CHARS: usize = 12;

/// A row of comma-separated values (`张三,25,北京`): at least three fields, none longer than
/// [`CSV_MAX_FIELD_CHARS`], no space after a comma, no CJK punctuation, and no ASCII
/// punctuation but what values hold (`3.50`, `2024-01-01`, `10:30`, `a@b.cn`, `5%`). Prose
/// with ASCII commas (`越在关键时刻,越显担当精神连日来,山东东营市…`) has longer clauses or
/// other marks. The cost of a wrong guess is a missed repair: `苹果,香蕉,橘子` in a sentence of
/// its own keeps its commas.
fn looks_like_csv_row(line: &str) -> bool {
    // A thousands separator (`1,000`) does not separate fields.
    let bytes = line.as_bytes();
    let mut fields = Vec::new();
    let mut start = 0;
    for (at, _) in line.match_indices(',') {
        let digit_before = at > 0 && bytes[at - 1].is_ascii_digit();
        let group_after = bytes.len() >= at + 4
            && bytes[at + 1..at + 4].iter().all(u8::is_ascii_digit)
            && bytes.get(at + 4).is_none_or(|b| !b.is_ascii_digit());
        if !(digit_before && group_after) {
            fields.push(&line[start..at]);
            start = at + 1;
        }
    }
    fields.push(&line[start..]);
    fields.len() >= 3
        && fields
            .iter()
            .all(|field| !field.starts_with(' ') && field.chars().count() <= CSV_MAX_FIELD_CHARS)
        && line.chars().all(|c| {
            !c.is_ascii_punctuation() || matches!(c, ',' | '.' | '-' | ':' | '/' | '_' | '@' | '%')
        })
        && !line.chars().any(|c| class(c) == Class::CjkMark)
}

/// The first bytes of [`CODE_MARKERS`], as a table indexed by byte.
const CODE_MARKER_FIRST_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < CODE_MARKERS.len() {
        table[CODE_MARKERS[i].as_bytes()[0] as usize] = true;
        i += 1;
    }
    table
};

/// `key: value`, `- key: value` or `"key": value` with an ASCII or quoted key: a YAML or JSON
/// line. A Chinese key without quotes (`标题: 东营`) is prose.
fn looks_like_key_value(line: &str) -> bool {
    let text = line.trim_start();
    let text = text.strip_prefix("- ").unwrap_or(text);
    let key_len = match text.as_bytes().first() {
        Some(b'"') => match text[1..].find('"') {
            Some(close) => close + 2,
            None => return false,
        },
        Some(b) if b.is_ascii_alphabetic() || *b == b'_' => text
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
            .count(),
        _ => return false,
    };
    let rest = text[key_len..].trim_start_matches(' ');
    match rest.strip_prefix(':') {
        Some(value) => value.is_empty() || value.starts_with([' ', '\t']),
        None => false,
    }
}

/// What a character is, as far as punctuation is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// Han ideographs and kana: Chinese or Japanese text.
    Cjk,
    /// CJK and full-width punctuation: `，。《》（）「」` and the like.
    CjkMark,
    /// Curly quotes, `…`, dashes: used in Chinese and in English alike, so they say nothing
    /// about the context and are looked through.
    Quote,
    Hangul,
    /// ASCII letters, and letters of other alphabets.
    Letter,
    /// ASCII digits.
    Digit,
    Space,
    /// ASCII punctuation and symbols.
    Ascii,
    Other,
}

fn class(c: char) -> Class {
    if c.is_ascii() {
        return ASCII_CLASSES[c as usize];
    }
    match c {
        // The common case first.
        '\u{4E00}'..='\u{9FFF}' => Class::Cjk,
        '“' | '”' | '‘' | '’' | '…' | '—' | '–' | '·' => Class::Quote,
        // The only space in the blocks below (a test proves it), so the Unicode property
        // look-ups, which are slow, wait until no block has matched.
        '\u{3000}' => Class::Space,
        '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3FFFF}'
        | '々'
        | '〇'
        | '\u{3040}'..='\u{30FF}'
        | '\u{31F0}'..='\u{31FF}' => Class::Cjk,
        '\u{1100}'..='\u{11FF}'
        | '\u{3130}'..='\u{318F}'
        | '\u{A960}'..='\u{A97F}'
        | '\u{AC00}'..='\u{D7FF}' => Class::Hangul,
        '\u{3000}'..='\u{303F}'
        | '\u{FE10}'..='\u{FE1F}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF01}'..='\u{FF0F}'
        | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}' => Class::CjkMark,
        _ if c.is_whitespace() => Class::Space,
        _ if c.is_alphabetic() => Class::Letter,
        _ => Class::Other,
    }
}

/// The class of each ASCII character: digits, letters, spaces, and punctuation or symbols
/// (control characters included).
const ASCII_CLASSES: [Class; 128] = {
    let mut table = [Class::Ascii; 128];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        table[b] = if byte.is_ascii_digit() {
            Class::Digit
        } else if byte.is_ascii_alphabetic() {
            Class::Letter
        } else if byte.is_ascii_whitespace() {
            Class::Space
        } else {
            Class::Ascii
        };
        b += 1;
    }
    table
};

/// Whether `c` may stand next to a mark in Latin text.
fn is_latin_side(c: char) -> bool {
    c.is_ascii_graphic() || class(c) == Class::Letter
}

/// The full-width marks that have an ASCII form in Latin text.
fn is_fullwidth_mark(c: char) -> bool {
    matches!(c, '，' | '。' | '：' | '；' | '？' | '！' | '（' | '）')
}

/// The ASCII form of a full-width mark in Latin text, with the space that follows an ASCII
/// mark when a letter comes right after it.
fn latin_form(c: char, spaced: bool) -> Option<(&'static str, &'static str)> {
    let form = match (c, spaced) {
        ('，', false) => (",", "full-width comma in Latin text"),
        ('，', true) => (", ", "full-width comma in Latin text"),
        ('。', false) => (".", "ideographic full stop in Latin text"),
        ('。', true) => (". ", "ideographic full stop in Latin text"),
        ('：', false) => (":", "full-width colon in Latin text"),
        ('：', true) => (": ", "full-width colon in Latin text"),
        ('；', false) => (";", "full-width semicolon in Latin text"),
        ('；', true) => ("; ", "full-width semicolon in Latin text"),
        ('？', false) => ("?", "full-width question mark in Latin text"),
        ('？', true) => ("? ", "full-width question mark in Latin text"),
        ('！', false) => ("!", "full-width exclamation mark in Latin text"),
        ('！', true) => ("! ", "full-width exclamation mark in Latin text"),
        _ => return None,
    };
    Some(form)
}

/// The sentences of a line (see [`Scan::sentences`]).
struct Sentences {
    /// For each character, the sentence it belongs to; a sentence owns the mark that ends it.
    of: Vec<usize>,
    /// Per sentence: no Chinese, Japanese or Korean in it.
    no_cjk: Vec<bool>,
    /// Whether the line has an ASCII letter at all. Asked of the line rather than of the
    /// sentence, so that turning `。` into `.` (which can join two sentences) cannot change the
    /// answer for the next run: the rule gives the same result when run on its own output.
    letters: bool,
}

/// A decided replacement: `len` characters from here become `to`.
#[derive(Clone, Copy, Debug)]
struct Fix {
    to: &'static str,
    reason: &'static str,
    len: usize,
}

/// One line, decoded, with what is protected and what has been decided so far.
struct Scan<'a> {
    text: &'a str,
    chars: Vec<(usize, char)>,
    /// Characters inside URLs, paths, code spans and emoticons: never changed, never paired.
    protected: Vec<bool>,
    fixes: Vec<Option<Fix>>,
}

impl<'a> Scan<'a> {
    fn new(text: &'a str) -> Scan<'a> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let len = chars.len();
        Scan {
            text,
            chars,
            protected: vec![false; len],
            fixes: vec![None; len],
        }
    }

    fn len(&self) -> usize {
        self.chars.len()
    }

    fn ch(&self, i: usize) -> char {
        self.chars[i].1
    }

    fn get(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|&(_, c)| c)
    }

    fn prev(&self, i: usize) -> Option<char> {
        i.checked_sub(1).map(|j| self.ch(j))
    }

    /// The class of the character at `i` as it will be written: a mark already decided counts
    /// in its new form, so that `(社区),` sees `）` before its comma.
    fn class_at(&self, i: usize) -> Class {
        class(self.written(i))
    }

    /// The character at `i` as it will be written. A character swallowed by a replacement
    /// that starts before it (the second and third dot of `...` → `……`) reads as the last
    /// character of that replacement, as it will on the next run.
    fn written(&self, i: usize) -> char {
        match self.fixes[i] {
            Some(Fix { to, len: 0, .. }) => to.chars().next_back().unwrap_or(' '),
            Some(fix) => fix.to.chars().next().unwrap_or(' '),
            None => self.ch(i),
        }
    }

    fn class_of(&self, i: Option<usize>) -> Option<Class> {
        i.map(|i| self.class_at(i))
    }

    /// The nearest character left of `i` that tells something about the context: spaces and
    /// quotes are looked through.
    fn left_of(&self, i: usize) -> Option<usize> {
        (0..i)
            .rev()
            .find(|&j| !matches!(self.class_at(j), Class::Space | Class::Quote))
    }

    fn right_of(&self, i: usize) -> Option<usize> {
        (i + 1..self.len()).find(|&j| !matches!(self.class_at(j), Class::Space | Class::Quote))
    }

    fn set(&mut self, i: usize, to: &'static str, reason: &'static str) {
        self.fixes[i] = Some(Fix { to, reason, len: 1 });
    }

    /// Replaces `len` characters from `i` with `to`. The characters after the first are marked
    /// as covered (`len: 0`), so that neighbours see the new text there.
    fn set_run(&mut self, i: usize, len: usize, to: &'static str, reason: &'static str) {
        self.fixes[i] = Some(Fix { to, reason, len });
        for covered in &mut self.fixes[i + 1..i + len] {
            *covered = Some(Fix { to, reason, len: 0 });
        }
    }

    fn free(&self, i: usize) -> bool {
        !self.protected[i] && self.fixes[i].is_none()
    }

    fn protect(&mut self, range: Range<usize>) {
        for flag in &mut self.protected[range] {
            *flag = true;
        }
    }

    /// Marks what a person did not write as prose: code spans, URLs, addresses, paths,
    /// markdown link targets, emoticons.
    fn protect_machine_text(&mut self) {
        self.protect_code_spans();
        self.protect_ascii_runs();
        self.protect_link_targets();
        self.protect_emoticons();
    }

    fn protect_code_spans(&mut self) {
        let mut open = None;
        for i in 0..self.len() {
            if self.ch(i) == '`' {
                match open.take() {
                    None => open = Some(i),
                    Some(start) => self.protect(start..i + 1),
                }
            }
        }
        // An unclosed backtick: the rest of the line may be code.
        if let Some(start) = open {
            self.protect(start..self.len());
        }
    }

    /// URLs, e-mail addresses and paths are runs of ASCII without spaces; the run is cut
    /// short by the first Chinese character, which is never part of one in practice.
    fn protect_ascii_runs(&mut self) {
        let mut start = 0;
        while start < self.len() {
            if !self.ch(start).is_ascii_graphic() {
                start += 1;
                continue;
            }
            let mut end = start;
            while end < self.len() && self.ch(end).is_ascii_graphic() {
                end += 1;
            }
            // ASCII characters are one byte each, so the run is a contiguous slice.
            let at = self.chars[start].0;
            let run = &self.text.as_bytes()[at..at + (end - start)];
            if let Some(offset) = machine_text_start(run) {
                self.protect(start + offset..end);
            }
            start = end;
        }
    }

    /// `[文字](target)`: the target is a URL or a path, whatever it contains.
    fn protect_link_targets(&mut self) {
        let mut i = 1;
        while i < self.len() {
            if self.ch(i) == '(' && self.ch(i - 1) == ']' {
                let close = (i + 1..self.len())
                    .find(|&j| self.ch(j) == ')')
                    .map_or(self.len(), |j| j + 1);
                self.protect(i..close);
                i = close;
            } else {
                i += 1;
            }
        }
    }

    /// `:)`, `:-(`, `;)`, `:D`, `:P`: the colon is part of a face, not of the sentence.
    fn protect_emoticons(&mut self) {
        for i in 0..self.len() {
            if !matches!(self.ch(i), ':' | ';') || self.protected[i] {
                continue;
            }
            let mut mouth = i + 1;
            if matches!(self.get(mouth), Some('-' | '\'')) {
                mouth += 1;
            }
            let Some(m) = self.get(mouth) else { continue };
            if !matches!(m, ')' | '(' | 'D' | 'P' | 'p' | '|' | '/' | '\\') {
                continue;
            }
            // `:D` ends where the face ends; `:Dota` and `:(社区)` are not faces.
            let ends = match self.get(mouth + 1) {
                None => true,
                // Whatever the next character becomes, the face must be found again next time.
                Some(c) => {
                    c.is_whitespace()
                        || (c.is_ascii_punctuation() && c != '/')
                        || matches!(class(c), Class::CjkMark | Class::Quote)
                }
            };
            if ends {
                self.protect(i..mouth + 1);
            }
        }
    }

    /// Pairs of parentheses, ASCII and full-width alike, by nesting. Unbalanced ones are left
    /// out: which partner was lost is a guess.
    fn paren_pairs(&self) -> Vec<(usize, usize)> {
        let mut open = Vec::new();
        let mut pairs = Vec::new();
        for i in 0..self.len() {
            if self.protected[i] {
                continue;
            }
            match self.ch(i) {
                '(' | '（' => open.push(i),
                ')' | '）' => {
                    if let Some(start) = open.pop() {
                        pairs.push((start, i));
                    }
                }
                _ => {}
            }
        }
        // Outer pairs first: an inner pair then sees its outer partner in its final form.
        pairs.sort_unstable_by_key(|&(open, _)| open);
        pairs
    }

    /// ASCII marks in Chinese text become CJK marks.
    fn chinese_pass(&mut self, pairs: &[(usize, usize)]) {
        let quotes = self.quote_pairs();
        // Decisions feed each other: a comma after `(社区)` needs the `）`, a quote after `...`
        // needs the `……`, parentheses around a quote need the `“”`. Every condition here only
        // turns from no to yes as more is decided, so rounds settle on the answer a second run
        // of the rule would give.
        for _ in 0..MAX_CHINESE_ROUNDS {
            if !self.chinese_round(pairs, &quotes) {
                break;
            }
        }
    }

    /// One round of [`Scan::chinese_pass`]; whether it decided anything.
    fn chinese_round(&mut self, pairs: &[(usize, usize)], quotes: &[(usize, usize)]) -> bool {
        let mut changed = false;
        for &(open, close) in quotes {
            if self.free(open) && self.free(close) && self.quote_pair_is_chinese(open, close) {
                self.set(open, "“", "ASCII quotes around Chinese");
                self.set(close, "”", "ASCII quotes around Chinese");
                changed = true;
            }
        }
        for &(open, close) in pairs {
            let ascii_open = self.ch(open) == '(';
            let ascii_close = self.ch(close) == ')';
            if (ascii_open || ascii_close)
                && self.free(open)
                && self.free(close)
                && self.paren_pair_is_chinese(open, close)
            {
                if ascii_open {
                    self.set(open, "（", "ASCII parenthesis in Chinese text");
                }
                if ascii_close {
                    self.set(close, "）", "ASCII parenthesis in Chinese text");
                }
                changed = true;
            }
        }
        let mut i = 0;
        while i < self.len() {
            if !self.free(i) {
                i += 1;
                continue;
            }
            let c = self.ch(i);
            let decided: Option<(usize, &'static str, &'static str)> = match c {
                ',' | ';' | ':' if self.pause_is_chinese(i) => Some(match c {
                    ',' => (1, "，", "ASCII comma in Chinese text"),
                    ';' => (1, "；", "ASCII semicolon in Chinese text"),
                    _ => (1, "：", "ASCII colon in Chinese text"),
                }),
                '?' if self.stop_mark_is_chinese(i) => {
                    Some((1, "？", "ASCII question mark in Chinese text"))
                }
                '!' if self.stop_mark_is_chinese(i) => {
                    Some((1, "！", "ASCII exclamation mark in Chinese text"))
                }
                '.' => {
                    let run = self.run_len(i, '.');
                    if run >= MIN_ELLIPSIS_DOTS && self.dots_are_chinese_ellipsis(i, run) {
                        Some((run, "……", "ASCII dots as ellipsis after Chinese"))
                    } else if run == 1 && self.full_stop_is_chinese(i) {
                        Some((1, "。", "ASCII full stop ending a Chinese sentence"))
                    } else {
                        i += run;
                        continue;
                    }
                }
                '。' => {
                    let run = self.run_len(i, '。');
                    if run >= MIN_ELLIPSIS_STOPS {
                        Some((run, "……", "run of full stops as ellipsis"))
                    } else {
                        i += run;
                        continue;
                    }
                }
                _ => None,
            };
            match decided {
                Some((len, to, reason)) => {
                    self.set_run(i, len, to, reason);
                    changed = true;
                    i += len;
                }
                None => i += 1,
            }
        }
        changed
    }

    /// How many `c` in a row start at `i`, stopping at protected text.
    fn run_len(&self, i: usize, c: char) -> usize {
        (i..self.len())
            .take_while(|&j| self.ch(j) == c && self.free(j))
            .count()
    }

    /// `,` `;` `:`: Chinese when the word on the left is.
    fn pause_is_chinese(&self, i: usize) -> bool {
        let glued_digits = self.prev(i).is_some_and(|c| c.is_ascii_digit())
            && self.get(i + 1).is_some_and(|c| c.is_ascii_digit());
        if glued_digits {
            // 1,000 · 10:30 · 1:2 · 3;4
            return false;
        }
        if self.ch(i) == ':' && self.get(i + 1) == Some('/') && self.get(i + 2) == Some('/') {
            return false;
        }
        self.chinese_on_left(i)
    }

    /// Whether the mark at `i` is attached to Chinese on its left.
    fn chinese_on_left(&self, i: usize) -> bool {
        let Some(left) = self.left_of(i) else {
            return false;
        };
        match self.class_at(left) {
            Class::Cjk | Class::CjkMark => true,
            _ if self.ch(left).is_ascii_digit() || matches!(self.ch(left), '%' | '*') => {
                self.glued_to_chinese(left) && self.class_of(self.right_of(i)) == Some(Class::Cjk)
            }
            _ => false,
        }
    }

    /// Whether the number ending at `end` is glued to a Chinese character on its left
    /// (`为300`, `时间9:00-17:00`), which makes it part of a Chinese clause. Asterisks count
    /// too: `服务***` is a Chinese word with its characters masked.
    fn glued_to_chinese(&self, end: usize) -> bool {
        let start = (0..=end)
            .rev()
            .take(MAX_GLUED_NUMBER_CHARS)
            .take_while(|&j| {
                let c = self.ch(j);
                c.is_ascii_digit() || matches!(c, '.' | ',' | ':' | '%' | '/' | '-' | '*')
            })
            .last()
            .unwrap_or(end);
        start > 0 && self.class_at(start - 1) == Class::Cjk
    }

    /// `?` `!`: Chinese when attached to Chinese and not glued to what follows (`?id=1`, `!=`).
    fn stop_mark_is_chinese(&self, i: usize) -> bool {
        if self
            .get(i + 1)
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '=' | '&' | '_'))
        {
            return false;
        }
        matches!(
            self.class_of(self.left_of(i)),
            Some(Class::Cjk | Class::CjkMark)
        )
    }

    /// `...` right after Chinese, not glued to a Latin word or number after it.
    fn dots_are_chinese_ellipsis(&self, i: usize, run: usize) -> bool {
        let after_chinese = i > 0 && self.ends_chinese_words(i - 1);
        let glued_after = self
            .get(i + run)
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_'));
        after_chinese && !glued_after
    }

    /// A single `.` that ends a Chinese sentence.
    fn full_stop_is_chinese(&self, i: usize) -> bool {
        // Attached to Chinese (through closing quotes, never through a space: ` .txt`).
        let left = (0..i).rev().find(|&j| self.class_at(j) != Class::Quote);
        let attached = left.is_some_and(|j| self.ends_chinese_words(j));
        if !attached || self.numeral_list_marker(i) {
            return false;
        }
        match self.get(i + 1) {
            None => true,
            Some(next) if next.is_whitespace() => {
                matches!(
                    self.class_of(self.right_of(i)),
                    None | Some(Class::Cjk | Class::CjkMark)
                )
            }
            // A closing quote or bracket, or a mark already turned Chinese.
            Some(_) => {
                matches!(self.class_at(i + 1), Class::Quote | Class::CjkMark)
                    && !self.is_full_stop(i + 1)
            }
        }
    }

    /// Whether the character at `i` can end the words of a Chinese sentence: a Chinese
    /// character or a closing corner quote (curly quotes are looked through before this).
    /// Brackets and other marks cannot: `源码树。（v=0.2）.` and `（模板文件）：.` are a
    /// document generator's heading leftovers, and `。.` is no sentence either.
    fn ends_chinese_words(&self, i: usize) -> bool {
        can_end_chinese_words(self.written(i))
    }

    /// Whether `。` stands (or will stand) at `i`. A `.` next to one is left alone: `。.` is
    /// no sentence, and turning it into `。。` would start a run the next pass calls an ellipsis.
    fn is_full_stop(&self, i: usize) -> bool {
        self.written(i) == '。'
    }

    /// `一.` / `十二.` right at the start of the line.
    fn numeral_list_marker(&self, i: usize) -> bool {
        let before = self.text[..self.chars[i].0].trim_start();
        let count = before.chars().take(MAX_NUMERAL_MARKER_LEN + 1).count();
        (1..=MAX_NUMERAL_MARKER_LEN).contains(&count)
            && before.chars().all(|c| CHINESE_NUMERALS.contains(&c))
    }

    /// A pair with at least one ASCII member: does it belong to Chinese text?
    fn paren_pair_is_chinese(&self, open: usize, close: usize) -> bool {
        let content = open + 1..close;
        if content.is_empty()
            || content.len() > MAX_PAREN_CONTENT_CHARS
            || content
                .clone()
                .any(|j| self.protected[j] || PAREN_CODE_CHARS.contains(&self.written(j)))
            || self.prev(open) == Some(']')
        {
            return false;
        }
        if content.clone().any(|j| self.class_at(j) == Class::Cjk) {
            return match self.prev(open) {
                Some(c) if c.is_ascii_alphanumeric() || c == '_' => self.glued_abbreviation(open),
                _ => true,
            };
        }
        // Latin content: Chinese only when Chinese stands right outside on both sides.
        let text: String = content.clone().map(|j| self.ch(j)).collect();
        if is_list_marker(&text) || !text.chars().any(|c| c.is_ascii_alphanumeric()) {
            return false;
        }
        let before_is_chinese = open > 0 && self.class_at(open - 1) == Class::Cjk;
        let after_is_chinese = match self.get(close + 1) {
            None => true,
            Some(c) => {
                matches!(
                    self.class_at(close + 1),
                    Class::Cjk | Class::CjkMark | Class::Quote
                ) || matches!(c, ',' | ';' | ':' | '?' | '!')
            }
        };
        before_is_chinese && after_is_chinese
    }

    /// `CT(` or `GDP(`: an upper-case abbreviation, standing on its own, glued to `(`. Anything
    /// else glued to a parenthesis (`print(`, `obj.f(`, `x2(`) is a call.
    fn glued_abbreviation(&self, open: usize) -> bool {
        let word = (0..open)
            .rev()
            .take_while(|&j| self.ch(j).is_ascii_alphanumeric())
            .count();
        let start = open - word;
        let upper = (start..open).all(|j| self.ch(j).is_ascii_uppercase());
        // Not a member or a name part: `obj.A(`, `my_A(`, `$A(`.
        let alone = start == 0 || !matches!(self.ch(start - 1), '.' | '_' | '$' | '@' | '#');
        upper && alone
    }

    /// ASCII `"`, paired in order: `"…"` around Chinese in Chinese text becomes `“…”`.
    fn quote_pairs(&self) -> Vec<(usize, usize)> {
        let quotes: Vec<usize> = (0..self.len())
            .filter(|&i| self.ch(i) == '"' && !self.protected[i])
            .collect();
        // With an odd count, which quote lost its partner is a guess.
        if quotes.len() % 2 != 0 {
            return Vec::new();
        }
        quotes.chunks(2).map(|pair| (pair[0], pair[1])).collect()
    }

    fn quote_pair_is_chinese(&self, open: usize, close: usize) -> bool {
        let content = open + 1..close;
        if !content.clone().any(|j| self.class_at(j) == Class::Cjk)
            || content
                .clone()
                .any(|j| self.protected[j] || QUOTE_CODE_CHARS.contains(&self.ch(j)))
        {
            return false;
        }
        let opens_in_chinese = match self.left_of(open) {
            None => true,
            Some(j) => match self.class_at(j) {
                Class::Cjk | Class::CjkMark => true,
                // 他说:"你好" — the colon is about to become `：`.
                _ => matches!(self.ch(j), ':' | ',') && self.chinese_on_left(j),
            },
        };
        let closes_in_chinese = match self.right_of(close) {
            None => true,
            Some(j) => {
                matches!(self.class_at(j), Class::Cjk | Class::CjkMark)
                    || matches!(self.ch(j), ',' | '.' | ';' | ':' | '?' | '!')
            }
        };
        opens_in_chinese && closes_in_chinese
    }

    /// Full-width marks in Latin text become ASCII.
    fn latin_pass(&mut self, pairs: &[(usize, usize)]) {
        let sentences = self.sentences();
        // A mark and a pair can each be the other's neighbour (`a，(b）`): each round sees what
        // the round before decided, until nothing more changes.
        for _ in 0..MAX_LATIN_ROUNDS {
            if !self.latin_round(&sentences, pairs) {
                break;
            }
        }
    }

    /// One round of [`Scan::latin_pass`]; whether it decided anything.
    fn latin_round(&mut self, sentences: &Sentences, pairs: &[(usize, usize)]) -> bool {
        let mut changed = false;
        for &(open, close) in pairs {
            let wide_open = self.ch(open) == '（';
            let wide_close = self.ch(close) == '）';
            if (wide_open || wide_close)
                && self.free(open)
                && self.free(close)
                && self.paren_pair_is_latin(sentences, open, close)
            {
                if wide_open {
                    self.set(open, "(", "full-width parenthesis in Latin text");
                }
                if wide_close {
                    self.set(close, ")", "full-width parenthesis in Latin text");
                }
                changed = true;
            }
        }
        for i in 0..self.len() {
            if !self.free(i) || latin_form(self.ch(i), false).is_none() {
                continue;
            }
            // `，　word`: the ideographic space belongs to the full-width typing and becomes the
            // space after the ASCII mark (left as it is, it would be read as Latin spacing the
            // next time round). A longer run of them is left alone with its mark.
            let ideographic_spaces = (i + 1..self.len())
                .take_while(|&j| self.ch(j) == '\u{3000}')
                .count();
            if ideographic_spaces <= 1 && self.mark_is_latin(sentences, i) {
                let spaced = ideographic_spaces == 1
                    || self
                        .get(i + 1)
                        .is_some_and(|next| next.is_ascii_alphabetic());
                if let Some((to, reason)) = latin_form(self.ch(i), spaced) {
                    self.set_run(i, 1 + ideographic_spaces, to, reason);
                    changed = true;
                }
            }
        }
        changed
    }

    fn mark_is_latin(&self, sentences: &Sentences, i: usize) -> bool {
        // `：)` would become a face, `:)`, and be read differently from then on.
        let face = matches!(self.ch(i), '：' | '；')
            && matches!(
                self.get(i + 1),
                Some(')' | '(' | 'D' | 'P' | 'p' | '|' | '/' | '\\' | '-' | '\'')
            );
        !face
            && self.left_of(i).is_some()
            && self.latin_on_left(i)
            && self.latin_or_edge(self.right_of(i))
            && !self.touches_protected(i)
            && self.in_latin_sentences(sentences, i, i)
    }

    /// Whether `i` follows the eyes of a face (`:`, `;`, `:-`): `:（` as ASCII would be `:(`.
    fn after_eyes(&self, i: usize) -> bool {
        match i.checked_sub(1).map(|j| self.ch(j)) {
            Some(':' | ';') => true,
            Some('-' | '\'') => i >= 2 && matches!(self.ch(i - 2), ':' | ';'),
            _ => false,
        }
    }

    /// Whether a neighbour of `i` is protected. A full-width mark glued to a URL or a path is
    /// left as it is: as ASCII it would join that run and change what counts as the URL.
    fn touches_protected(&self, i: usize) -> bool {
        (i > 0 && self.protected[i - 1]) || self.protected.get(i + 1).is_some_and(|&p| p)
    }

    fn paren_pair_is_latin(&self, sentences: &Sentences, open: usize, close: usize) -> bool {
        let content = open + 1..close;
        !content.is_empty()
            && content.len() <= MAX_PAREN_CONTENT_CHARS
            // Full-width marks inside are fine: they are judged on their own, after the pair.
            && !content.clone().any(|j| match self.class_at(j) {
                Class::Cjk | Class::Hangul => true,
                Class::CjkMark => !is_fullwidth_mark(self.written(j)),
                _ => false,
            })
            && content.clone().any(|j| self.ch(j).is_ascii_alphanumeric())
            && self.latin_on_left(open)
            && self.latin_or_edge(self.right_of(close))
            && !self.touches_protected(open)
            && !self.touches_protected(close)
            && !(self.ch(open) == '（' && self.after_eyes(open))
            && !(self.ch(close) == '）' && self.after_eyes(close))
            // `）　word` as `)　word` would have its space read as Latin spacing next time.
            && self.get(close + 1) != Some('\u{3000}')
            && self.in_latin_sentences(sentences, open, close)
    }

    /// Whether a sentence ends with the character at `j`, as it will be written.
    fn ends_sentence(&self, j: usize) -> bool {
        let next = self.get(j + 1).map(|_| self.written(j + 1));
        ends_sentence(self.written(j), next)
    }

    /// Cuts the line into sentences, once, so that each mark can ask about the sentences
    /// around it without scanning them again.
    fn sentences(&self) -> Sentences {
        let mut of = Vec::with_capacity(self.len());
        let mut no_cjk = vec![true];
        for j in 0..self.len() {
            let current = no_cjk.len() - 1;
            of.push(current);
            if matches!(class(self.ch(j)), Class::Cjk | Class::Hangul) {
                no_cjk[current] = false;
            }
            if self.ends_sentence(j) {
                no_cjk.push(true);
            }
        }
        let letters = self.chars.iter().any(|&(_, c)| c.is_ascii_alphabetic());
        Sentences {
            of,
            no_cjk,
            letters,
        }
    }

    /// Whether the sentences holding `first` to `last` are Latin text: no Chinese, Japanese or
    /// Korean. A mark that ends a sentence also answers for the sentence after it:
    /// `Hello。你好` keeps its `。`.
    fn in_latin_sentences(&self, sentences: &Sentences, first: usize, last: usize) -> bool {
        let from = sentences.of[first];
        let to = sentences
            .of
            .get(last + 1)
            .copied()
            .unwrap_or(sentences.of[last]);
        sentences.letters && sentences.no_cjk[from..=to].iter().all(|&clean| clean)
    }

    /// Whether what stands left of `i` is Latin text (or the line edge). The Chinese pass runs
    /// later and may still turn an ASCII mark there into a CJK one (`中?，a` → `中？`); the mark
    /// at `i` must not be made ASCII on the strength of it. A single mark is turned by what is
    /// on its own left, so that is looked at instead; a parenthesis or quote is turned by its
    /// content, so it is not Latin context until decided. Curly quotes are not looked through
    /// either: `"` may become one, and the answer must not change when it has.
    fn latin_on_left(&self, i: usize) -> bool {
        let mut at = i;
        while let Some(left) = (0..at).rev().find(|&j| self.class_at(j) != Class::Space) {
            let c = self.written(left);
            if class(c) == Class::Quote {
                return false;
            }
            if self.fixes[left].is_some() || self.protected[left] {
                return is_latin_side(c);
            }
            match c {
                ',' | '.' | ';' | ':' | '?' | '!' => at = left,
                '(' | ')' | '"' => return false,
                _ => return is_latin_side(c),
            }
        }
        true
    }

    /// The line edge, or a character fit for Latin text.
    fn latin_or_edge(&self, i: Option<usize>) -> bool {
        i.is_none_or(|j| is_latin_side(self.written(j)))
    }

    fn emit(&self, edits: &mut Vec<Edit>) {
        let mut i = 0;
        while i < self.len() {
            match self.fixes[i] {
                Some(fix) if fix.len > 0 => {
                    let end = i + fix.len;
                    let end_byte = self.chars.get(end).map_or(self.text.len(), |&(at, _)| at);
                    edits.push(Edit::new(self.chars[i].0..end_byte, fix.to, fix.reason));
                    i = end;
                }
                _ => i += 1,
            }
        }
    }
}

/// See [`Scan::ends_chinese_words`].
fn can_end_chinese_words(c: char) -> bool {
    class(c) == Class::Cjk || matches!(c, '」' | '』')
}

/// Whether a sentence ends with `mark`, followed by `next` (`None` at the end of the line).
///
/// An ASCII mark counts wherever the Chinese pass could turn it into `。？！`, so that those
/// never make a new sentence on the next run (which could then read as Latin text).
fn ends_sentence(mark: char, next: Option<char>) -> bool {
    match mark {
        '。' | '！' | '？' => true,
        // `3.14` and `a.b` do not end a sentence; `end.` `end. ` `end.”` `end.)` do, and
        // so does a `.` before any mark the Chinese pass may turn into a CJK one.
        '.' => next.is_none_or(|c| {
            matches!(c, '(' | ')' | '"' | ',' | ';' | ':' | '?' | '!')
                || matches!(class(c), Class::Space | Class::Quote | Class::CjkMark)
        }),
        // `?id=1` and `Hello!world` do not.
        '!' | '?' => next.is_none_or(|c| !c.is_ascii_alphanumeric()),
        _ => false,
    }
}

/// Where, inside a run of ASCII without spaces, text for machines starts: a URL (from its
/// scheme), `www.`, an e-mail address, or a path. Marks before that (`网址:http://…`) are
/// still prose.
fn machine_text_start(run: &[u8]) -> Option<usize> {
    // The earliest start of any kind wins, so that a longer run (two runs joined by a mark
    // that became ASCII) never protects less than its parts did.
    let url = find(run, b"://").map(|at| {
        let scheme = run[..at]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
            .count();
        at - scheme
    });
    let www = find(run, b"www.").or_else(|| find(run, b"WWW."));
    let email = run.iter().enumerate().find_map(|(at, &b)| {
        if b != b'@' {
            return None;
        }
        let local = run[..at]
            .iter()
            .rev()
            .take_while(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
            })
            .count();
        let domain = &run[at + 1..];
        let valid = local > 0
            && domain.first().is_some_and(u8::is_ascii_alphanumeric)
            && domain.contains(&b'.');
        valid.then_some(at - local)
    });
    let lead = run
        .iter()
        .take_while(|b| matches!(b, b',' | b';' | b':' | b'?' | b'!' | b'(' | b'"' | b'\''))
        .count();
    let path = run[lead..]
        .iter()
        .any(|&b| b == b'/' || b == b'\\')
        .then_some(lead);
    [url, www, email, path].into_iter().flatten().min()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// `1`, `12`, `a`, `B`, `iv`: the content of a list marker like `(1)`.
fn is_list_marker(content: &str) -> bool {
    let content = content.trim_matches(' ');
    let digits = !content.is_empty()
        && content.len() <= MAX_MARKER_DIGITS
        && content.bytes().all(|b| b.is_ascii_digit());
    let letter = content.len() == 1 && content.bytes().all(|b| b.is_ascii_alphabetic());
    let roman = !content.is_empty()
        && content.len() <= MAX_ROMAN_MARKER_LEN
        && (content.bytes().all(|b| b"ivxlcdm".contains(&b))
            || content.bytes().all(|b| b"IVXLCDM".contains(&b)));
    digits || letter || roman
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::fix;

    fn cjk(line: &str) -> String {
        fix(&Punct::new(PunctStyle::Cjk).unwrap(), line)
    }

    fn ascii(line: &str) -> String {
        fix(&Punct::new(PunctStyle::Ascii).unwrap(), line)
    }

    fn reasons(line: &str) -> Vec<String> {
        let mut edits = Vec::new();
        Punct::new(PunctStyle::Cjk)
            .unwrap()
            .find_edits(line, &mut edits);
        edits.iter().map(|edit| edit.reason.to_string()).collect()
    }

    #[track_caller]
    fn unchanged(line: &str) {
        assert_eq!(cjk(line), line, "cjk style changed {line:?}");
    }

    #[test]
    fn sql_python_headers_and_csv_rows_are_code() {
        unchanged("SELECT 姓名, 年龄 FROM 学生;");
        unchanged("INSERT INTO 学生 VALUES (1, '张三');");
        unchanged("class 订单:");
        unchanged("    def __init__(self, 编号, 金额):  # 构造");
        unchanged("print(\"你好,世界\")");
        unchanged("姓名,年龄,城市");
        unchanged("苹果,3.50,100,新鲜");
        // Prose keeps being repaired: clauses too long for fields, other marks, a space.
        assert_eq!(
            cjk("越是重要关头越能映照初心;越在关键时刻,越显担当精神连日来,山东东营市"),
            "越是重要关头越能映照初心；越在关键时刻，越显担当精神连日来，山东东营市"
        );
        assert_eq!(cjk("张三,李四,王五都来了。"), "张三，李四，王五都来了。");
        assert_eq!(cjk("选择 姓名, 年龄"), "选择 姓名， 年龄");
        assert_eq!(cjk("定义类:订单"), "定义类：订单");
    }

    #[test]
    fn keep_style_has_no_rule() {
        assert!(Punct::new(PunctStyle::Keep).is_none());
    }

    #[test]
    fn seed_document_punctuation() {
        let input = include_str!("../../fixtures/seed/input.txt");
        let expected = include_str!("../../fixtures/seed/expected-no-glyphs.txt");
        let mut compared = 0;
        for (number, (before, after)) in input.lines().zip(expected.lines()).enumerate() {
            assert_eq!(cjk(before), after, "seed line {}", number + 1);
            compared += 1;
        }
        assert!(compared >= 70, "compared only {compared} lines");
    }

    #[test]
    fn seed_details() {
        assert_eq!(cjk("原标题:山东东营市"), "原标题：山东东营市");
        assert_eq!(cjk("1月22日晚9时,发热门诊"), "1月22日晚9时，发热门诊");
        assert_eq!(cjk("守护人民健康!”面对疫情"), "守护人民健康！”面对疫情");
        assert_eq!(cjk("映照初心;越在关键时刻"), "映照初心；越在关键时刻");
        assert_eq!(cjk("将村(社区)“两委”成员"), "将村（社区）“两委”成员");
        assert_eq!(cjk("各县(区)交通运输局"), "各县（区）交通运输局");
        assert_eq!(cjk("《通知》,并结合"), "《通知》，并结合");
        unchanged("覆盖率100%疫情防控期间");
        unchanged("进行CT检查分析，随时待命24小时");
    }

    #[test]
    fn commas_and_colons_after_chinese() {
        assert_eq!(cjk("你好,世界"), "你好，世界");
        assert_eq!(
            cjk("面对不断严峻的疫情形势,1月28日上午"),
            "面对不断严峻的疫情形势，1月28日上午"
        );
        assert_eq!(cjk("标题:东营"), "标题：东营");
        assert_eq!(cjk("中文,English"), "中文，English");
        assert_eq!(cjk("时间:10:30"), "时间：10:30");
        assert_eq!(cjk("中文,"), "中文，");
        assert_eq!(cjk("（社区）,然后"), "（社区），然后");
        assert_eq!(cjk("“一盘棋”,统筹"), "“一盘棋”，统筹");
    }

    #[test]
    fn numbers_glued_to_chinese() {
        assert_eq!(cjk("人数为300,其中"), "人数为300，其中");
        assert_eq!(
            cjk("营业时间9:00-17:00,周一至周五"),
            "营业时间9:00-17:00，周一至周五"
        );
        assert_eq!(cjk("共有1,000,其中"), "共有1,000，其中");
        assert_eq!(cjk("版本3.11:新特性"), "版本3.11：新特性");
    }

    #[test]
    fn question_and_exclamation_marks() {
        assert_eq!(cjk("你知道吗?"), "你知道吗？");
        assert_eq!(cjk("真的吗?!"), "真的吗？！");
        assert_eq!(cjk("加油!"), "加油！");
        unchanged("页面吗?id=1");
        unchanged("中文!=");
    }

    #[test]
    fn full_stops_and_ellipses() {
        assert_eq!(cjk("他来了."), "他来了。");
        assert_eq!(cjk("他来了. 我走了"), "他来了。 我走了");
        assert_eq!(cjk("他说“好.”"), "他说“好。”");
        assert_eq!(cjk("等等..."), "等等……");
        assert_eq!(cjk("等等......然后"), "等等……然后");
        assert_eq!(cjk("等等。。。"), "等等……");
        assert_eq!(cjk("等等。。。。。。"), "等等……");
        unchanged("等等。。");
        unchanged("等等..");
        unchanged("Wait...中文");
        unchanged("中文 ...");
        unchanged("中。.。");
        unchanged("中.。");
        unchanged("debian/rules（模板文件）：.");
        unchanged("中，...");
        unchanged("下载 debhello-2.0.tar.gz（国际化版）.");
        assert_eq!(cjk("「好」."), "「好」。");
    }

    #[test]
    fn parentheses() {
        assert_eq!(cjk("村(社区)党组织"), "村（社区）党组织");
        assert_eq!(cjk("县(区)"), "县（区）");
        assert_eq!(cjk("点击设置(Settings)按钮"), "点击设置（Settings）按钮");
        assert_eq!(
            cjk("进行CT(计算机断层扫描)检查"),
            "进行CT（计算机断层扫描）检查"
        );
        assert_eq!(cjk("村（社区)党组织"), "村（社区）党组织");
        assert_eq!(cjk("村(社区）党组织"), "村（社区）党组织");
        assert_eq!(cjk("第(一)条"), "第（一）条");
        assert_eq!(cjk("外(内(中)外)"), "外（内（中）外）");
    }

    #[test]
    fn quotes() {
        assert_eq!(cjk("他说\"你好\""), "他说“你好”");
        assert_eq!(cjk("他说:\"你好\",然后"), "他说：“你好”，然后");
        assert_eq!(cjk("\"你好\"和\"世界\""), "“你好”和“世界”");
        assert_eq!(cjk("服务***”,先后"), "服务***”，先后");
        unchanged("他说\"hello\"");
        unchanged("他说\"你好");
        unchanged("他说'你好'");
        unchanged("a\"你好\"b");
    }

    #[test]
    fn full_width_marks_in_latin_text() {
        assert_eq!(cjk("Hello，world"), "Hello, world");
        assert_eq!(cjk("Hello， world"), "Hello, world");
        assert_eq!(cjk("Hello，\u{3000}world"), "Hello, world");
        assert_eq!(cjk("Hello，\u{3000}1"), "Hello, 1");
        unchanged("Hello，\u{3000}\u{3000}world");
        assert_eq!(cjk("Note：this works。"), "Note: this works.");
        assert_eq!(cjk("Really？Yes！"), "Really? Yes!");
        assert_eq!(cjk("costs 1，000 dollars"), "costs 1,000 dollars");
        assert_eq!(cjk("Hello （world） foo"), "Hello (world) foo");
        assert_eq!(cjk("see (page 3） here"), "see (page 3) here");
        assert_eq!(cjk("你好。Hello，world"), "你好。Hello, world");
    }

    #[test]
    fn full_width_marks_near_chinese_stay() {
        unchanged("使用Python，Java等语言");
        unchanged("我会说English，French，German，和中文");
        unchanged("他说：Hello，world。");
        unchanged("Hello world。你好");
        unchanged("Python是一种语言，它很好");
        unchanged("（1）第一条");
        unchanged("共1，000人");
    }

    #[test]
    fn clean_chinese_stays() {
        unchanged("越是重要关头越能映照初心；越在关键时刻，越显担当精神。");
        unchanged("「這是繁體中文，沒有問題。」他說：「好！」");
        unchanged("學而時習之，不亦說乎？有朋自遠方來，不亦樂乎？");
        unchanged("天下皆知美之为美，斯恶已。");
        unchanged("“抢抓第一时间，守住第一防线”1月25日，利津县……");
        unchanged("坚决请战……”这是");
        unchanged("　　正文，缩进。");
    }

    #[test]
    fn latin_text_stays() {
        unchanged("Hello, world: this (and that) is fine; really? Yes!");
        unchanged("Café, crème: très bien.");
        unchanged("Hello, 世界");
        unchanged("He said “hi”, then left.");
    }

    #[test]
    fn numbers_stay() {
        for line in ["10:30", "3.14", "1,000,000", "v1.2.3", "9:00-17:00", "1:2"] {
            unchanged(line);
            unchanged(&format!("中文{line}中文"));
        }
        unchanged("比分是2:1。");
        unchanged("圆周率3.14159很有名");
        unchanged("第1,2条");
    }

    #[test]
    fn machine_text_stays() {
        unchanged("http://example.com/a,b?x=1;y=2");
        unchanged("见http://example.com/a,b?x=1;y=2");
        unchanged("访问www.example.com,了解");
        unchanged("联系user@example.com");
        unchanged("邮箱user.name@example.com.");
        unchanged("C:\\Program Files\\");
        unchanged("文件在C:\\Program Files\\里");
        unchanged("/usr/local/bin");
        unchanged("运行./a.txt,然后");
        unchanged("路径/usr/bin:/bin,然后");
        unchanged("文件报告.docx已发送");
        unchanged("访问百度.com");
        assert_eq!(cjk("网址:http://a.b/c,d"), "网址：http://a.b/c,d");
        assert_eq!(cjk("路径:/usr/bin"), "路径：/usr/bin");
    }

    #[test]
    fn code_stays() {
        unchanged("fn main() { println!(\"你好\"); }");
        unchanged("x = f(a, b);");
        unchanged("print(\"中文\", end=\"\")");
        unchanged("{\"名字\": \"张三\", \"age\": 3}");
        unchanged("\"名字\": \"张三\",");
        unchanged("name: 张三,李四");
        unchanged("- title: 标题:副标题");
        unchanged("用`a.b(c)`和`x=f(1,2);`调用,然后");
        unchanged("调用print(中文)");
        unchanged("调用obj.f(中文)");
        unchanged("调用obj.A(中文)");
        unchanged("调用f(x)函数");
        unchanged("计算(a+b)的值");
        unchanged("if (a == b) { 中文, }");
        unchanged("北京->上海,然后");
        unchanged("<a href=\"x\">链接,</a>");
        unchanged("x = \"中文\"");
        unchanged("d[\"键\"]");
    }

    #[test]
    fn list_markers_stay() {
        unchanged("(1)第一条");
        unchanged("(a)第一条");
        unchanged("(iv)第四条");
        unchanged("项目(1)和项目(2)");
        unchanged("1.第一条");
        unchanged("1. 第一条");
        unchanged("一.概述");
        unchanged("一. 概述");
        unchanged("十二. 总结");
    }

    #[test]
    fn other_scripts_and_symbols_stay() {
        unchanged("東京は晴れ、気温は20度です。");
        unchanged("안녕하세요, 세계!");
        unchanged("韓國(한국)은, 좋다.");
        unchanged(":)");
        unchanged("开心:)");
        unchanged("开心:-)");
        unchanged("难过:(");
        unchanged("哈哈:D");
        unchanged("Q&A:问答");
        unchanged("[链接](http://x.y)");
        unchanged("[文档](docs/说明.md)");
        unchanged("[文档](说明.md)");
        unchanged("马丁.路德.金");
    }

    #[test]
    fn japanese_counts_as_chinese() {
        assert_eq!(
            cjk("東京は晴れ,気温は20度です."),
            "東京は晴れ，気温は20度です。"
        );
    }

    #[test]
    fn attached_side_decides() {
        // The mark belongs to the word on its left.
        unchanged("iPhone 15 Pro,售价");
        unchanged("Python 3.11:新特性");
        unchanged("Hello, 世界");
        unchanged("版本v1.2.3,更新");
        assert_eq!(cjk("中文 , 英文"), "中文 ， 英文");
    }

    #[test]
    fn already_clean_ellipsis_and_spaces_stay() {
        unchanged("等等……");
        unchanged("中文 English 中文");
        unchanged("100%");
    }

    #[test]
    fn reasons_are_short_phrases() {
        assert_eq!(reasons("你好,世界"), ["ASCII comma in Chinese text"]);
        assert_eq!(reasons("标题:东营"), ["ASCII colon in Chinese text"]);
        assert_eq!(reasons("Hello，world"), ["full-width comma in Latin text"]);
        assert_eq!(
            reasons("村(社区)"),
            ["ASCII parenthesis in Chinese text"; 2]
        );
        assert_eq!(reasons("等等..."), ["ASCII dots as ellipsis after Chinese"]);
    }

    #[test]
    fn ascii_style_maps_char_for_char() {
        assert_eq!(ascii("你好，世界。"), "你好,世界.");
        assert_eq!(ascii("他说：“好！”（真的？）"), "他说:\"好!\"(真的?)");
        assert_eq!(ascii("甲、乙；丙‘丁’"), "甲,乙;丙'丁'");
        assert_eq!(ascii("等等……"), "等等...");
        assert_eq!(ascii("Wait…"), "Wait...");
        assert_eq!(ascii("Hello, world."), "Hello, world.");
        assert_eq!(ascii("纯中文"), "纯中文");
    }

    #[test]
    fn clean_lines_push_nothing() {
        let rule = Punct::new(PunctStyle::Cjk).unwrap();
        for line in [
            "纯中文，没有问题。",
            "Plain English, fine.",
            "",
            "CT检查，24小时。",
            "１２３",
        ] {
            let mut edits = Vec::new();
            rule.find_edits(line, &mut edits);
            assert!(edits.is_empty(), "{line:?}: {edits:?}");
        }
    }

    /// Lines to check the quick look on: every line of the fixtures, and each of them damaged
    /// both ways (its full-width marks made ASCII, its ASCII marks made full-width), so that
    /// both passes have plenty to change.
    fn quick_look_corpus() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut lines = Vec::new();
        for dir in ["clean", "adversarial", "seed", "mojibake"] {
            let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
                .unwrap()
                .map(|entry| entry.unwrap().path())
                .collect();
            paths.sort();
            for path in paths {
                let text = std::fs::read_to_string(&path).unwrap();
                lines.extend(text.lines().map(str::to_owned));
            }
        }
        let to_ascii = |line: &String| -> String {
            line.chars()
                .map(|c| match c {
                    '，' | '、' => ',',
                    '。' => '.',
                    '：' => ':',
                    '；' => ';',
                    '？' => '?',
                    '！' => '!',
                    '（' => '(',
                    '）' => ')',
                    '“' | '”' => '"',
                    _ => c,
                })
                .collect()
        };
        let to_fullwidth = |line: &String| -> String {
            line.chars()
                .map(|c| match c {
                    ',' => '，',
                    '.' => '。',
                    ':' => '：',
                    ';' => '；',
                    '?' => '？',
                    '!' => '！',
                    '(' => '（',
                    ')' => '）',
                    _ => c,
                })
                .collect()
        };
        let damaged: Vec<String> = lines
            .iter()
            .flat_map(|line| [to_ascii(line), to_fullwidth(line)])
            .collect();
        lines.extend(damaged);
        lines
    }

    /// Runs both passes on `line` without any gate, in the order `by_context` runs them, and
    /// says whether each changed anything.
    fn ungated_passes(line: &str) -> (bool, bool) {
        let mut scan = Scan::new(line);
        scan.protect_machine_text();
        let pairs = scan.paren_pairs();
        let decided = |scan: &Scan| scan.fixes.iter().filter(|fix| fix.is_some()).count();
        scan.latin_pass(&pairs);
        let after_latin = decided(&scan);
        scan.chinese_pass(&pairs);
        (after_latin > 0, decided(&scan) > after_latin)
    }

    /// The quick look as it was before it looked at marks' neighbours: the presence of an
    /// ASCII mark, of a full-width mark with an ASCII letter, of `。。。`.
    fn presence_look(line: &str) -> QuickLook {
        QuickLook {
            ascii_marks: line.contains([',', '.', ';', ':', '?', '!', '(', ')', '"']),
            fullwidth_in_latin: line.bytes().any(|b| b.is_ascii_alphabetic())
                && line.chars().any(is_fullwidth_mark),
            stop_run: line.contains(STOP_RUN),
        }
    }

    #[track_caller]
    fn check_quick_look(line: &str) {
        let look = QuickLook::of(line);
        let (latin, chinese) = ungated_passes(line);
        assert!(
            !latin || look.fullwidth_in_latin,
            "the Latin pass changes {line:?}, the quick look says it cannot"
        );
        assert!(
            !chinese || look.ascii_marks || look.stop_run,
            "the Chinese pass changes {line:?}, the quick look says it cannot"
        );
        let mut gated = Vec::new();
        by_context(line, &mut gated);
        let mut by_presence = Vec::new();
        by_context_after(presence_look(line), line, &mut by_presence);
        assert_eq!(gated, by_presence, "{line:?}");
    }

    #[test]
    fn quick_look_lets_through_every_change_in_the_fixtures() {
        let lines = quick_look_corpus();
        let mut changed = 0;
        for line in &lines {
            check_quick_look(line);
            let (latin, chinese) = ungated_passes(line);
            changed += usize::from(latin || chinese);
        }
        // The damaged copies must give both passes real work.
        assert!(changed > 1000, "only {changed} lines changed");
    }

    #[test]
    fn quick_look_lets_through_marks_next_to_marks_that_change() {
        for line in [
            // Chains: a mark's neighbour is decided in an earlier round.
            "中,,,",
            "中;:,",
            "中文?!",
            "中文\"好\",",
            "(中文),",
            "中文..., 好",
            "中文...”.",
            "中文“好”.",
            "「好」.",
            "他说:\"你好\",然后",
            "为300,其中",
            "服务***,先后",
            "共1,000,其中",
            "时间9:00-17:00,周一",
            "中 \" , 文",
            "a，，b",
            "Hello，（world）",
            "a （b） c",
            "see (page 3） here",
            "x（y)",
            "Hello，\u{3000}world",
            "a，\u{3000}\u{3000}b",
            "Note：this works。",
            "Really？Yes！",
            "中?，a",
            "a。b。c中",
            "a, b。c",
            "ok。中文。ok，ok",
            "Hello。你好",
            // A pair is judged from outside: `（` by its left, `）` by its right.
            "a （→ b →） c",
            "a （→ b →)",
            "x.y，z",
            "“a，b”",
            "a“，”b",
            "A，B，C，D，E，F，G，H，I，J",
        ] {
            check_quick_look(line);
        }
    }

    #[test]
    fn quick_look_reads_every_position_of_a_word() {
        // Marks at every offset, so that each byte of a word, and the padded last word, are
        // looked at.
        for pad in 0..20 {
            let filler = "中".repeat(pad / 3) + &"a".repeat(pad % 3);
            let comma = format!("{filler}中,文");
            let stops = format!("中{filler}。。。");
            for line in [&comma, &stops, &format!("{filler}Hello，world")] {
                check_quick_look(line);
            }
            assert!(cjk(&comma).ends_with("中，文"), "{comma:?}");
            assert!(cjk(&stops).ends_with("……"), "{stops:?}");
            assert!(
                cjk(&format!("{filler}。Hello，world")).ends_with("Hello, world"),
                "{filler:?}"
            );
        }
    }

    #[test]
    fn equal_bytes_flags_exactly_the_equal_bytes() {
        for needle in 0..=255u8 {
            for other in [0u8, 1, 0x7F, 0x80, 0x81, 0xFE, 0xFF, needle ^ 1] {
                for at in 0..8 {
                    let mut word = [other; 8];
                    word[at] = needle;
                    let expected: u64 = word
                        .iter()
                        .enumerate()
                        .filter(|&(_, &b)| b == needle)
                        .map(|(i, _)| 0x80 << (8 * i))
                        .sum();
                    assert_eq!(equal_bytes(u64::from_le_bytes(word), needle), expected);
                }
            }
        }
    }

    #[test]
    fn fullwidth_mark_leads_start_every_fullwidth_mark() {
        for c in ['，', '。', '：', '；', '？', '！', '（', '）'] {
            assert!(is_fullwidth_mark(c));
            let mut utf8 = [0; 4];
            assert!(FULLWIDTH_MARK_LEADS.contains(&c.encode_utf8(&mut utf8).as_bytes()[0]));
        }
        assert_eq!(STOP_RUN.chars().count(), MIN_ELLIPSIS_STOPS);
    }

    #[test]
    fn every_space_outside_ascii_is_classed_as_space() {
        // `class` looks at its Unicode blocks before it asks whether a character is
        // whitespace; that is only right if no block but U+3000's holds one. (In ASCII, only
        // what `is_ascii_whitespace` calls a space is one: not the vertical tab.)
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            if c.is_whitespace() {
                assert_eq!(class(c), Class::Space, "{c:?}");
            }
        }
        assert_eq!(class('\u{B}'), Class::Ascii);
    }

    #[test]
    fn long_pathological_lines_stay_fast() {
        let started = std::time::Instant::now();
        let latin = "Hello，world ".repeat(20_000);
        assert_eq!(cjk(&latin), "Hello, world ".repeat(20_000));
        for line in [
            format!("中{}", "%,".repeat(50_000)),
            format!("中{}{}", "(".repeat(50_000), ")".repeat(50_000)),
            format!("中{}", "](".repeat(50_000)),
            format!("中{}", "中.".repeat(50_000)),
        ] {
            cjk(&line);
        }
        assert!(
            started.elapsed().as_secs() < 20,
            "took {:?}",
            started.elapsed()
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn mixed_text() -> impl Strategy<Value = String> {
            let pieces = prop::sample::select(vec![
                "中",
                "文",
                "东营",
                "の",
                "日本語です",
                "한",
                "a",
                "Hello",
                "CT",
                "1",
                "300",
                "3.14",
                "1,000",
                "10:30",
                " ",
                "　",
                ",",
                ".",
                "...",
                ";",
                ":",
                "?",
                "!",
                "(",
                ")",
                "\"",
                "'",
                "，",
                "。",
                "：",
                "；",
                "？",
                "！",
                "（",
                "）",
                "“",
                "”",
                "……",
                "、",
                "《",
                "》",
                "/",
                "\\",
                "@",
                "http://",
                "www.",
                "user@example.com",
                "`",
                "=",
                "{",
                "-",
                "%",
                "*",
                "]",
                "é",
                "一",
                ")",
                ":)",
            ]);
            prop::collection::vec(pieces, 0..32).prop_map(|parts| parts.concat())
        }

        proptest! {
            #[test]
            fn never_panics_and_keeps_letters(line in mixed_text()) {
                for style in [PunctStyle::Cjk, PunctStyle::Ascii] {
                    let out = fix(&Punct::new(style).unwrap(), &line);
                    let letters = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>();
                    prop_assert_eq!(letters(&out), letters(&line));
                }
            }

            #[test]
            fn quick_look_lets_through_every_change(line in mixed_text()) {
                check_quick_look(&line);
            }

            #[test]
            fn cjk_style_is_idempotent(line in mixed_text()) {
                let once = cjk(&line);
                prop_assert_eq!(cjk(&once), once.clone(), "input {:?}", line);
            }
        }
    }
}
