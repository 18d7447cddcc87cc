//! The language model: how plausible is a piece of Chinese text?
//!
//! Principle of operation. A dictionary of about 349,000 Chinese words with their counts
//! (jieba's `dict.txt`, MIT licence; see `data/README.md`) gives each word a cost, the negative
//! natural log of its probability: common words cost about 7–9, rare ones 15–18. The cost of a
//! span of text is the cost of its cheapest segmentation into words, found by dynamic
//! programming over the words that match at each position; a character that starts no word
//! costs [`UNKNOWN_CHAR_COST`]. Lower is more plausible. Repairs compare the cost of a span
//! with and without a candidate change.
//!
//! Words are blind to numbers and Latin letters. A run of ASCII digits is scored as the
//! numeral 十 so that `16分` reads like `十分` and `16汾` does not; other non-Han characters
//! are boundaries that cost nothing, so that only the Chinese around them is compared.
//!
//! Character costs ([`char_cost`]) come from the same dictionary: the count of a character is
//! the sum of the counts of the words it occurs in. They serve the codec repairs, which ask
//! "is this run of characters Chinese text or mojibake?" rather than "which word is meant?".
//!
//! The tables are compiled by `build.rs` into an FST and a sorted array embedded in the binary;
//! nothing is parsed at start-up.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use fst::raw::{Fst, Node, Output};

static WORDS_FST: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/words.fst"));
static CHARS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/chars.bin"));
include!(concat!(env!("OUT_DIR"), "/totals.rs"));

/// The cost of a character that begins no dictionary word, not even a one-character one:
/// dearer than the rarest word (a count of 1 costs about 17.9), so that any reading made of
/// real words wins over one that needs an unknown character.
pub const UNKNOWN_CHAR_COST: f32 = 20.0;

/// The longest dictionary word considered, in characters. jieba's longest entries are idioms
/// and names of about this length; longer matches only cost time.
pub const MAX_WORD_CHARS: usize = 12;

/// The numeral a run of ASCII digits is scored as (see the module doc).
const DIGITS_AS: char = '十';

struct Model {
    words: Fst<&'static [u8]>,
    /// ln(total count of all words).
    ln_total_words: f32,
    /// ln(total count of all characters).
    ln_total_chars: f32,
}

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| Model {
        words: Fst::new(WORDS_FST).expect("build.rs wrote a valid FST"),
        ln_total_words: (TOTAL_WORDS as f32).ln(),
        ln_total_chars: (TOTAL_CHARS as f32).ln(),
    })
}

fn read_u32(bytes: &[u8]) -> u32 {
    u32::from_le_bytes(bytes[..4].try_into().expect("4 bytes"))
}

/// How often `word` occurs in the dictionary's corpus (0 if it is not a word).
///
/// ```
/// assert!(rinse::lm::word_count("一直") > 10_000);
/// assert_eq!(rinse::lm::word_count("一矗"), 0);
/// ```
pub fn word_count(word: &str) -> u64 {
    let model = model();
    model
        .words
        .get(word.as_bytes())
        .map_or(0, |output| output.value())
}

/// The summed count of the words `c` occurs in (0 if none).
pub fn char_count(c: char) -> u64 {
    let key = c as u32;
    let pairs = CHARS.len() / 8;
    let (mut lo, mut hi) = (0, pairs);
    while lo < hi {
        let mid = (lo + hi) / 2;
        let at = read_u32(&CHARS[mid * 8..]);
        match at.cmp(&key) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return u64::from(read_u32(&CHARS[mid * 8 + 4..])),
        }
    }
    0
}

/// Negative natural log of the probability of `c` among the characters of Chinese text;
/// [`UNKNOWN_CHAR_COST`] for a character the dictionary never uses.
///
/// ```
/// use rinse::lm::char_cost;
/// assert!(char_cost('的') < char_cost('涓'));
/// assert!(char_cost('中') < 6.0);
/// ```
pub fn char_cost(c: char) -> f32 {
    match char_count(c) {
        0 => UNKNOWN_CHAR_COST,
        n => model().ln_total_chars - (n as f32).ln(),
    }
}

/// The cost of one word, if it is one.
fn word_cost(count: u64) -> f32 {
    model().ln_total_words - (count as f32).ln()
}

/// A character as the model reads it: Han and other letters as they are, a digit as
/// [`DIGITS_AS`], anything else as a boundary (`None`).
fn model_char(c: char) -> Option<char> {
    // The common case first: the Unicode property lookup is slow for ideographs.
    if crate::rules::is_han(c) {
        return Some(c);
    }
    if c.is_ascii_digit() {
        Some(DIGITS_AS)
    } else if c.is_alphanumeric() && !c.is_ascii() {
        Some(c)
    } else {
        None
    }
}

/// The cost of the cheapest segmentation of `text` into dictionary words. Runs of ASCII digits
/// count as one numeral; other characters that are not letters split the text and cost nothing.
///
/// ```
/// use rinse::lm::span_cost;
/// assert!(span_cost("一直吃住") < span_cost("一矗吃住"));
/// assert!(span_cost("巍然矗立") < span_cost("巍然直立") + 3.0);
/// assert!(span_cost("16分") < span_cost("16汾"));
/// ```
pub fn span_cost(text: &str) -> f32 {
    chars_cost(text.chars())
}

/// [`span_cost`] of the text made of `chars`, for a caller that holds characters rather than a
/// string (a window of a line with one character replaced).
///
/// ```
/// use rinse::lm::{chars_cost, span_cost};
/// assert_eq!(chars_cost("春节前夕，10点".chars()), span_cost("春节前夕，10点"));
/// ```
pub fn chars_cost(chars: impl IntoIterator<Item = char>) -> f32 {
    let mut units = Units::default();
    let mut total = 0.0;
    let mut previous_digit = false;
    for c in chars {
        let digit = c.is_ascii_digit();
        if digit && previous_digit {
            continue;
        }
        previous_digit = digit;
        match model_char(c) {
            Some(unit) => units.push(unit),
            None => {
                total += segment_cost(units.as_slice());
                units.clear();
            }
        }
    }
    total + segment_cost(units.as_slice())
}

/// Runs of model characters shorter than this are scored without a heap allocation.
const SHORT_RUN: usize = 32;

/// The model characters of one run: on the stack while the run is short (a scoring window),
/// on the heap beyond.
struct Units {
    short: [char; SHORT_RUN],
    short_len: usize,
    long: Vec<char>,
}

impl Default for Units {
    fn default() -> Units {
        Units {
            short: ['\0'; SHORT_RUN],
            short_len: 0,
            long: Vec::new(),
        }
    }
}

impl Units {
    fn push(&mut self, unit: char) {
        if self.long.is_empty() && self.short_len < SHORT_RUN {
            self.short[self.short_len] = unit;
            self.short_len += 1;
            return;
        }
        if self.long.is_empty() {
            self.long.extend_from_slice(&self.short[..self.short_len]);
        }
        self.long.push(unit);
    }

    fn as_slice(&self) -> &[char] {
        if self.long.is_empty() {
            &self.short[..self.short_len]
        } else {
            &self.long
        }
    }

    fn clear(&mut self) {
        self.short_len = 0;
        self.long.clear();
    }
}

/// Viterbi over one run of model characters.
fn segment_cost(units: &[char]) -> f32 {
    if units.is_empty() {
        return 0.0;
    }
    let mut short = [f32::INFINITY; SHORT_RUN + 1];
    let mut long = Vec::new();
    let best: &mut [f32] = if units.len() <= SHORT_RUN {
        &mut short[..=units.len()]
    } else {
        long.resize(units.len() + 1, f32::INFINITY);
        &mut long
    };
    best[0] = 0.0;
    for start in 0..units.len() {
        let base = best[start];
        if base.is_infinite() {
            continue;
        }
        // A character on its own is always possible, at its word cost or the unknown cost.
        let mut single_done = false;
        let longest = (units.len() - start).min(MAX_WORD_CHARS);
        let mut walk = Walk::first(units[start]);
        let mut len = 0;
        while let Some(here) = walk {
            if let Some(count) = here.count().filter(|&count| count > 0) {
                let end = start + len + 1;
                let cost = base + word_cost(count);
                if cost < best[end] {
                    best[end] = cost;
                }
                if len == 0 {
                    single_done = true;
                }
            }
            len += 1;
            if len == longest {
                break;
            }
            walk = here.then(units[start + len]);
        }
        if !single_done {
            let cost = base + UNKNOWN_CHAR_COST;
            if cost < best[start + 1] {
                best[start + 1] = cost;
            }
        }
    }
    best[units.len()]
}

/// A walk down the dictionary from its root: the node reached by the characters read so far,
/// and the output (count) gathered on the way.
#[derive(Clone, Copy)]
struct Walk {
    node: Node<'static>,
    output: Output,
}

/// The first character of a walk that [`FIRST_STEPS`] remembers: the ideographs of the Basic
/// Multilingual Plane, where the model's words start.
const FIRST_STEP_CHARS: std::ops::Range<u32> = 0x3400..0xA000;

/// Where the walk from the root goes by each character of [`FIRST_STEP_CHARS`], worked out the
/// first time the character starts a walk: every word scored starts with a step from the root,
/// and that step (three bytes, each a node to decode) is the same every time. 0 while not
/// worked out; else bit 0 set, bit 1 whether a word starts with the character, bits 2–31 the
/// node's address and bits 32–63 the output. A step whose address or output does not fit is
/// walked every time. Two threads may work out the same step at once; both store the same
/// value.
static FIRST_STEPS: [AtomicU64; (FIRST_STEP_CHARS.end - FIRST_STEP_CHARS.start) as usize] =
    [const { AtomicU64::new(0) }; (FIRST_STEP_CHARS.end - FIRST_STEP_CHARS.start) as usize];

const STEP_KNOWN: u64 = 1;
const STEP_ALIVE: u64 = 2;
const STEP_ADDRESS_LIMIT: usize = 1 << 30;

impl Walk {
    /// The walk that has read `c` from the root, if a word starts with `c`.
    fn first(c: char) -> Option<Walk> {
        let words = &model().words;
        let code = c as u32;
        if !FIRST_STEP_CHARS.contains(&code) {
            return Walk::root().then(c);
        }
        let slot = &FIRST_STEPS[(code - FIRST_STEP_CHARS.start) as usize];
        let known = slot.load(Ordering::Relaxed);
        if known & STEP_KNOWN != 0 {
            return (known & STEP_ALIVE != 0).then(|| Walk {
                node: words.node(((known & 0xFFFF_FFFF) >> 2) as usize),
                output: Output::new(known >> 32),
            });
        }
        let walk = Walk::root().then(c);
        let encoded = match walk {
            None => Some(STEP_KNOWN),
            Some(walk) => (walk.node.addr() < STEP_ADDRESS_LIMIT
                && walk.output.value() <= u64::from(u32::MAX))
            .then(|| {
                (walk.output.value() << 32)
                    | ((walk.node.addr() as u64) << 2)
                    | STEP_ALIVE
                    | STEP_KNOWN
            }),
        };
        if let Some(encoded) = encoded {
            slot.store(encoded, Ordering::Relaxed);
        }
        walk
    }

    fn root() -> Walk {
        Walk {
            node: model().words.root(),
            output: Output::zero(),
        }
    }

    /// The walk after one more character, if some word goes on with it.
    fn then(self, c: char) -> Option<Walk> {
        let words = &model().words;
        let mut key = [0u8; 4];
        let (mut node, mut output) = (self.node, self.output);
        for &byte in c.encode_utf8(&mut key).as_bytes() {
            let transition = node.transition(node.find_input(byte)?);
            output = output.cat(transition.out);
            node = words.node(transition.addr);
        }
        Some(Walk { node, output })
    }

    /// The count of the word read so far, if it is one.
    fn count(&self) -> Option<u64> {
        self.node
            .is_final()
            .then(|| self.output.cat(self.node.final_output()).value())
    }
}

/// Whether the character at char index `at` of `text` lies inside a dictionary word of at
/// least two characters that matches `text` there. Such a character is in a known word and is
/// left alone (矗 in 巍然矗立, 茬 in 麦茬).
///
/// ```
/// let text: Vec<char> = "一个个堡垒巍然矗立".chars().collect();
/// assert!(rinse::lm::inside_word(&text, 7));
/// let text: Vec<char> = "张源强一矗吃住在村里".chars().collect();
/// assert!(!rinse::lm::inside_word(&text, 4));
/// ```
pub fn inside_word(text: &[char], at: usize) -> bool {
    // The starts nearest `at` first: a character in a word is most often in a short one (删 in
    // 删除, 嬛 in 甄嬛), found in one or two walks.
    let Some(&here) = text.get(at) else {
        return false;
    };
    let first = at.saturating_sub(MAX_WORD_CHARS - 1);
    let nearest = [at.checked_sub(1), Some(at)].into_iter().flatten();
    let farther = (first..at.saturating_sub(1)).rev();
    nearest
        .chain(farther)
        .any(|start| word_reaches(text, start, at, here))
}

/// The dictionary walks that reach one position of a text from the characters before it, for
/// asking [`inside_word`] of several characters in that position (the candidates for a
/// suspect) without walking the same characters again for each.
pub struct WordsAcross<'t> {
    text: &'t [char],
    at: usize,
    /// For each start before `at` whose characters up to `at` begin some word: the start and
    /// the walk that has read them.
    open: [Option<(usize, Walk)>; MAX_WORD_CHARS - 1],
}

impl<'t> WordsAcross<'t> {
    /// The walks that reach char index `at` of `text`.
    pub fn new(text: &'t [char], at: usize) -> WordsAcross<'t> {
        let mut open = [None; MAX_WORD_CHARS - 1];
        let first = at.saturating_sub(MAX_WORD_CHARS - 1);
        for (slot, start) in open.iter_mut().zip(first..at) {
            *slot = walk_over(&text[start..at]).map(|walk| (start, walk));
        }
        WordsAcross { text, at, open }
    }

    /// [`inside_word`] at `at` of the text with `c` in place of the character there.
    pub fn inside_word_with(&self, c: char) -> bool {
        let (text, at) = (self.text, self.at);
        self.open.iter().flatten().any(|&(start, walk)| {
            walk.then(c)
                .is_some_and(|walk| word_goes_on(text, start, at, walk))
        }) || Walk::first(c).is_some_and(|walk| word_goes_on(text, at, at, walk))
    }
}

/// The walk that has read all of `chars` (from the root), if some word starts with them.
fn walk_over(chars: &[char]) -> Option<Walk> {
    let (&first, rest) = chars.split_first()?;
    rest.iter()
        .try_fold(Walk::first(first)?, |walk, &c| walk.then(c))
}

/// Whether a word of at least two characters that starts at `start` (at or before `at`) and
/// reaches past `at` matches `text` with `c` at `at`.
fn word_reaches(text: &[char], start: usize, at: usize, c: char) -> bool {
    let walk = if start == at {
        Walk::first(c)
    } else {
        walk_over(&text[start..at]).and_then(|walk| walk.then(c))
    };
    walk.is_some_and(|walk| word_goes_on(text, start, at, walk))
}

/// Whether the walk from `start` that has just read the character at `at` is a word of at
/// least two characters there, or becomes one with the characters after `at` (a word is at
/// most [`MAX_WORD_CHARS`] long).
fn word_goes_on(text: &[char], start: usize, at: usize, walk: Walk) -> bool {
    if start < at && walk.node.is_final() {
        return true;
    }
    let end = (start + MAX_WORD_CHARS).min(text.len());
    let mut walk = walk;
    for &c in &text[at + 1..end] {
        match walk.then(c) {
            Some(next) if next.node.is_final() => return true,
            Some(next) => walk = next,
            None => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`inside_word`] the plain way: every start from the farthest, every walk from the root.
    fn inside_word_walking_from_the_root(text: &[char], at: usize) -> bool {
        let words = &model().words;
        let mut key = [0u8; 4];
        let first = at.saturating_sub(MAX_WORD_CHARS - 1);
        for start in first..=at {
            let mut node = words.root();
            'walk: for (offset, &c) in text[start..].iter().take(MAX_WORD_CHARS).enumerate() {
                for &byte in c.encode_utf8(&mut key).as_bytes() {
                    match node.find_input(byte) {
                        Some(i) => node = words.node(node.transition(i).addr),
                        None => break 'walk,
                    }
                }
                let end = start + offset;
                if node.is_final() && end >= at && end > start {
                    return true;
                }
            }
        }
        false
    }

    /// Text with words of every length around rare and replaced characters, and long runs on
    /// both sides so that every start is tried.
    fn word_test_line() -> Vec<char> {
        format!(
            "{}春节湔夕，第┅线的一个个堡垒巍然矗立，张源强一矗吃住在村里，中华人民共和国成立{}",
            "长".repeat(30),
            "尾".repeat(30)
        )
        .chars()
        .collect()
    }

    #[test]
    fn inside_word_reads_what_the_plain_walk_reads() {
        let line = word_test_line();
        for i in 0..line.len() {
            for target in ['前', '一', '直', '和', '国', line[i]] {
                let mut whole = line.clone();
                whole[i] = target;
                let expected = inside_word_walking_from_the_root(&whole, i);
                assert_eq!(inside_word(&whole, i), expected, "at {i} with {target}");
                assert_eq!(
                    WordsAcross::new(&line, i).inside_word_with(target),
                    expected,
                    "at {i} with {target}"
                );
            }
        }
        let short: Vec<char> = "湔夕".chars().collect();
        assert!(WordsAcross::new(&short, 0).inside_word_with('前'));
        assert!(!inside_word(&short, 2));
    }

    #[test]
    fn remembered_first_steps_are_the_steps_from_the_root() {
        for code in FIRST_STEP_CHARS {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let walked = Walk::root().then(c);
            // The first call works the step out, the second reads it back.
            for walk in [Walk::first(c), Walk::first(c)] {
                assert_eq!(
                    walk.map(|w| (w.node.addr(), w.output.value())),
                    walked.map(|w| (w.node.addr(), w.output.value())),
                    "{c}"
                );
            }
        }
    }

    /// [`segment_cost`] the plain way: every word walked from the root, costs in a `Vec`.
    fn segment_cost_walking_from_the_root(units: &[char]) -> f32 {
        if units.is_empty() {
            return 0.0;
        }
        let words = &model().words;
        let mut key = [0u8; 4];
        let mut best = vec![f32::INFINITY; units.len() + 1];
        best[0] = 0.0;
        for start in 0..units.len() {
            let base = best[start];
            let mut single_done = false;
            let mut node = words.root();
            let mut output = Output::zero();
            'walk: for (len, &unit) in units[start..].iter().take(MAX_WORD_CHARS).enumerate() {
                for &byte in unit.encode_utf8(&mut key).as_bytes() {
                    match node.find_input(byte) {
                        Some(i) => {
                            let transition = node.transition(i);
                            output = output.cat(transition.out);
                            node = words.node(transition.addr);
                        }
                        None => break 'walk,
                    }
                }
                let count = output.cat(node.final_output()).value();
                if node.is_final() && count > 0 {
                    let end = start + len + 1;
                    best[end] = best[end].min(base + word_cost(count));
                    single_done |= len == 0;
                }
            }
            if !single_done {
                best[start + 1] = best[start + 1].min(base + UNKNOWN_CHAR_COST);
            }
        }
        best[units.len()]
    }

    #[test]
    fn segment_cost_is_what_the_plain_walk_costs() {
        let long = "中华人民共和国成立以来".repeat(8);
        for text in [
            "一直吃住",
            "一矗吃住",
            "巍然矗立",
            "春节湔夕第┅线",
            "十点十分",
            "\u{9FFF}\u{9FFE}中文",
            "𠀀中文",
            long.as_str(),
        ] {
            let units: Vec<char> = text.chars().collect();
            // Bit for bit: the repairs compare these costs.
            assert_eq!(
                segment_cost(&units).to_bits(),
                segment_cost_walking_from_the_root(&units).to_bits(),
                "{text}"
            );
        }
        assert!(long.chars().count() > SHORT_RUN);
    }

    #[test]
    fn dictionary_is_loaded() {
        assert!(word_count("春节") > 1000);
        assert_eq!(word_count("春节湔夕"), 0);
        assert!(char_count('的') > char_count('湔'));
    }

    #[test]
    fn costs_prefer_the_repaired_text() {
        for (good, bad) in [
            ("组织和广大", "组织囷广大"),
            ("扎实做好", "扎实莋好"),
            ("春节前夕", "春节湔夕"),
            ("第一线", "第┅线"),
            ("志愿者们", "志愿鍺们"),
            ("10点16分", "10点16汾"),
        ] {
            assert!(
                span_cost(good) < span_cost(bad),
                "{good} {} vs {bad} {}",
                span_cost(good),
                span_cost(bad)
            );
        }
    }

    #[test]
    fn non_han_characters_split_spans() {
        assert_eq!(span_cost("abc, def"), 0.0);
        assert_eq!(span_cost("中文 中文"), 2.0 * span_cost("中文"));
    }

    #[test]
    fn unknown_characters_cost_the_most() {
        assert_eq!(char_cost('\u{10FFFF}'), UNKNOWN_CHAR_COST);
        assert_eq!(span_cost("\u{9FFF}"), UNKNOWN_CHAR_COST);
    }
}
