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

use std::sync::OnceLock;

use fst::raw::Fst;

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
    let mut units: Vec<char> = Vec::with_capacity(text.len() / 3 + 1);
    let mut total = 0.0;
    let mut previous_digit = false;
    for c in text.chars() {
        let digit = c.is_ascii_digit();
        if digit && previous_digit {
            continue;
        }
        previous_digit = digit;
        match model_char(c) {
            Some(unit) => units.push(unit),
            None => {
                total += segment_cost(&units);
                units.clear();
            }
        }
    }
    total + segment_cost(&units)
}

/// Viterbi over one run of model characters.
fn segment_cost(units: &[char]) -> f32 {
    if units.is_empty() {
        return 0.0;
    }
    let model = model();
    let mut best = vec![f32::INFINITY; units.len() + 1];
    best[0] = 0.0;
    let mut key = [0u8; 4];
    for start in 0..units.len() {
        let base = best[start];
        if base.is_infinite() {
            continue;
        }
        // A character on its own is always possible, at its word cost or the unknown cost.
        let mut single_done = false;
        let mut node = model.words.root();
        let mut output = fst::raw::Output::zero();
        for (len, &unit) in units[start..].iter().take(MAX_WORD_CHARS).enumerate() {
            let mut ok = true;
            for &byte in unit.encode_utf8(&mut key).as_bytes() {
                match node.find_input(byte) {
                    Some(i) => {
                        let transition = node.transition(i);
                        output = output.cat(transition.out);
                        node = model.words.node(transition.addr);
                    }
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if !ok {
                break;
            }
            if node.is_final() {
                let count = output.cat(node.final_output()).value();
                if count > 0 {
                    let end = start + len + 1;
                    let cost = base + word_cost(count);
                    if cost < best[end] {
                        best[end] = cost;
                    }
                    if len == 0 {
                        single_done = true;
                    }
                }
            }
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
    let model = model();
    let mut key = [0u8; 4];
    let first = at.saturating_sub(MAX_WORD_CHARS - 1);
    for start in first..=at {
        let mut node = model.words.root();
        for (offset, &c) in text[start..].iter().take(MAX_WORD_CHARS).enumerate() {
            let mut ok = true;
            for &byte in c.encode_utf8(&mut key).as_bytes() {
                match node.find_input(byte) {
                    Some(i) => node = model.words.node(node.transition(i).addr),
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if !ok {
                break;
            }
            let end = start + offset; // index of the last char of this prefix
            if node.is_final() && end >= at && end > start {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

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
