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

use fst::raw::{CompiledAddr, Fst, Node, Output};

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
    /// The walk that has read nothing: where every word starts.
    root: Walk,
}

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let words = Fst::new(WORDS_FST).expect("build.rs wrote a valid FST");
        let root = words.root();
        let root = Walk {
            addr: root.addr(),
            output: 0,
            final_output: root.is_final().then(|| root.final_output().value()),
        };
        Model {
            words,
            ln_total_words: (TOTAL_WORDS as f32).ln(),
            ln_total_chars: (TOTAL_CHARS as f32).ln(),
            root,
        }
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
    chars_cost_by_runs(chars, run_cost)
}

/// [`chars_cost`], with the cost of each run of the model's characters between boundaries
/// asked of `run_cost` (which gives what [`run_cost`] does, perhaps from memory), for a caller
/// that scores many texts sharing runs. The costs are added in the same order, so that the
/// total is the same to the bit; a run with no characters costs nothing and is not asked
/// about.
///
/// ```
/// use rinse::lm::{chars_cost, chars_cost_by_runs, run_cost};
/// let mut runs = Vec::new();
/// let text = "春节前夕，10点";
/// let total = chars_cost_by_runs(text.chars(), |run| {
///     runs.push(run.iter().collect::<String>());
///     run_cost(run)
/// });
/// assert_eq!(total, chars_cost(text.chars()));
/// assert_eq!(runs, ["春节前夕", "十点"]);
/// ```
pub fn chars_cost_by_runs(
    chars: impl IntoIterator<Item = char>,
    mut run_cost: impl FnMut(&[char]) -> f32,
) -> f32 {
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
                if !units.as_slice().is_empty() {
                    total += run_cost(units.as_slice());
                }
                units.clear();
            }
        }
    }
    if !units.as_slice().is_empty() {
        total += run_cost(units.as_slice());
    }
    total
}

/// The cost of one run of the model's characters, as [`chars_cost_by_runs`] hands it over:
/// that of its cheapest segmentation into words.
pub fn run_cost(units: &[char]) -> f32 {
    segment_cost(units)
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
/// the output (count) gathered on the way, and whether a word ends there. Held as numbers, not
/// as a decoded [`Node`]: a step found in [`STEPS`] decodes no node at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Walk {
    addr: CompiledAddr,
    output: u64,
    /// The node's final output, if a word ends there.
    final_output: Option<u64>,
}

/// The first character of a walk that [`FIRST_STEPS`] remembers: the ideographs of the Basic
/// Multilingual Plane, where the model's words start.
const FIRST_STEP_CHARS: std::ops::Range<u32> = 0x3400..0xA000;

/// Where the walk from the root goes by each character of [`FIRST_STEP_CHARS`], worked out the
/// first time the character starts a walk: every word scored starts with a step from the root,
/// and that step is the same every time. Two words per character: the first 0 while not worked
/// out, else [`Step::encode`]d; the second the final output. Two threads may work out the same
/// step at once; both store the same words.
static FIRST_STEPS: [[AtomicU64; 2]; (FIRST_STEP_CHARS.end - FIRST_STEP_CHARS.start) as usize] =
    [const { [AtomicU64::new(0), AtomicU64::new(0)] };
        (FIRST_STEP_CHARS.end - FIRST_STEP_CHARS.start) as usize];

/// Transitions from a node by one character, remembered per thread: (from, character) is the
/// key, hashed to one of [`STEP_SLOTS`] slots, the last step taken there wins. The model's
/// walks go again and again through the same few thousand nodes (a suspect's neighbours,
/// the same words all along a text); one step by a character is three nodes to decode.
const STEP_SLOTS: usize = 1 << 15;

thread_local! {
    static STEPS: std::cell::RefCell<Vec<StepSlot>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// One remembered step: `key` is [`step_key`] (0: empty), `step` its [`Step::encode`]d result.
#[derive(Clone, Copy, Default)]
struct StepSlot {
    key: u64,
    step: u64,
    final_output: u64,
}

fn step_key(from: CompiledAddr, c: char) -> u64 {
    // Addresses are below 2^40 (the dictionary is a few megabytes); never 0 with the bit set.
    ((from as u64) << 22) | (u64::from(u32::from(c)) << 1) | 1
}

/// Where a step leads, relative to the walk it starts from.
#[derive(Clone, Copy)]
enum Step {
    /// No word goes on with the character.
    Dead,
    /// The node reached, the output gathered on the step, and the node's final output.
    To {
        addr: CompiledAddr,
        output: u64,
        final_output: Option<u64>,
    },
}

impl Step {
    /// One word (0 is free for "not known"): bit 0 known, bit 1 alive, bit 2 final, bits 3–31
    /// the address, bits 32–63 the output; `None` when they do not fit, and the step is taken
    /// every time. The final output goes in a second word.
    fn encode(self) -> Option<(u64, u64)> {
        match self {
            Step::Dead => Some((1, 0)),
            Step::To {
                addr,
                output,
                final_output,
            } => {
                let fits = addr < 1 << 29
                    && output <= u64::from(u32::MAX)
                    && final_output.is_none_or(|f| f <= u64::from(u32::MAX));
                let final_bit = if final_output.is_some() { 4 } else { 0 };
                fits.then(|| {
                    let word = (output << 32) | ((addr as u64) << 3) | final_bit | 2 | 1;
                    (word, final_output.unwrap_or(0))
                })
            }
        }
    }

    /// The step of an [`Step::encode`]d pair; `None` for the word 0 (not known).
    fn decode(word: u64, final_output: u64) -> Option<Step> {
        match word {
            0 => None,
            _ if word & 2 == 0 => Some(Step::Dead),
            _ => Some(Step::To {
                addr: ((word & 0xFFFF_FFFF) >> 3) as CompiledAddr,
                output: word >> 32,
                final_output: (word & 4 != 0).then_some(final_output),
            }),
        }
    }

    /// The step from `node` by `c`, decoding the nodes on the way.
    fn take(node: Node<'static>, c: char) -> Step {
        let words = &model().words;
        let mut key = [0u8; 4];
        let (mut node, mut output) = (node, Output::zero());
        for &byte in c.encode_utf8(&mut key).as_bytes() {
            let Some(i) = node.find_input(byte) else {
                return Step::Dead;
            };
            let transition = node.transition(i);
            output = output.cat(transition.out);
            node = words.node(transition.addr);
        }
        Step::To {
            addr: node.addr(),
            output: output.value(),
            final_output: node.is_final().then(|| node.final_output().value()),
        }
    }

    /// The walk after this step from `walk`.
    fn from(self, walk: Walk) -> Option<Walk> {
        match self {
            Step::Dead => None,
            Step::To {
                addr,
                output,
                final_output,
            } => Some(Walk {
                addr,
                output: walk.output + output,
                final_output,
            }),
        }
    }
}

impl Walk {
    fn root() -> Walk {
        model().root
    }

    /// The walk that has read `c` from the root, if a word starts with `c`.
    fn first(c: char) -> Option<Walk> {
        let code = c as u32;
        if !FIRST_STEP_CHARS.contains(&code) {
            return Walk::root().then(c);
        }
        let [word, final_output] = &FIRST_STEPS[(code - FIRST_STEP_CHARS.start) as usize];
        let known = word.load(Ordering::Acquire);
        let step = match Step::decode(known, final_output.load(Ordering::Relaxed)) {
            Some(step) => step,
            None => {
                let step = Step::take(model().words.root(), c);
                if let Some((encoded, final_word)) = step.encode() {
                    final_output.store(final_word, Ordering::Relaxed);
                    word.store(encoded, Ordering::Release);
                }
                step
            }
        };
        step.from(Walk::root())
    }

    /// The walk after one more character, if some word goes on with it.
    fn then(self, c: char) -> Option<Walk> {
        let key = step_key(self.addr, c);
        let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize % STEP_SLOTS;
        let remembered = STEPS.with_borrow(|steps| {
            steps
                .get(slot)
                .filter(|remembered| remembered.key == key)
                .and_then(|remembered| Step::decode(remembered.step, remembered.final_output))
        });
        let step = match remembered {
            Some(step) => step,
            None => {
                let step = Step::take(model().words.node(self.addr), c);
                if let Some((encoded, final_output)) = step.encode() {
                    STEPS.with_borrow_mut(|steps| {
                        if steps.is_empty() {
                            steps.resize(STEP_SLOTS, StepSlot::default());
                        }
                        steps[slot] = StepSlot {
                            key,
                            step: encoded,
                            final_output,
                        };
                    });
                }
                step
            }
        };
        step.from(self)
    }

    /// Whether a word ends here.
    fn is_word(&self) -> bool {
        self.final_output.is_some()
    }

    /// The count of the word read so far, if it is one.
    fn count(&self) -> Option<u64> {
        self.final_output.map(|f| self.output + f)
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
    match text.get(at) {
        Some(&here) => WordsAcross::new(text, at).inside_word_with(here),
        None => false,
    }
}

/// The dictionary walks that reach one position of a text from the characters before it, for
/// asking [`inside_word`] of several characters in that position (a suspect and its
/// candidates) without walking the same characters again for each. A walk is taken the first
/// time it is needed, the starts nearest the position first: a character in a word is most
/// often in a short one (删 in 删除, 嬛 in 甄嬛), found in one or two walks.
pub struct WordsAcross<'t> {
    text: &'t [char],
    at: usize,
    /// For the start `at - 1 - back` at index `back`: the walk that has read the characters
    /// from there up to `at` (`None` inside when no word starts with them), once taken.
    before: [Option<Option<Walk>>; MAX_WORD_CHARS - 1],
}

impl<'t> WordsAcross<'t> {
    /// The walks that reach char index `at` of `text` (`at < text.len()`).
    pub fn new(text: &'t [char], at: usize) -> WordsAcross<'t> {
        WordsAcross {
            text,
            at,
            before: [None; MAX_WORD_CHARS - 1],
        }
    }

    /// [`inside_word`] at `at` of the text with `c` in place of the character there.
    pub fn inside_word_with(&mut self, c: char) -> bool {
        let (text, at) = (self.text, self.at);
        let starts_before = at.min(MAX_WORD_CHARS - 1);
        (starts_before > 0 && self.word_from_before(0, c))
            || Walk::first(c).is_some_and(|walk| word_goes_on(text, at, at, walk))
            || (1..starts_before).any(|back| self.word_from_before(back, c))
    }

    /// Whether a word that starts before `at` covers `at` with `c` there (向前 for `c` = 前
    /// at 湔 in 向湔).
    pub fn word_from_before_with(&mut self, c: char) -> bool {
        (0..self.at.min(MAX_WORD_CHARS - 1)).any(|back| self.word_from_before(back, c))
    }

    /// Whether a word that starts `back + 1` characters before `at` covers `at` with `c` there.
    fn word_from_before(&mut self, back: usize, c: char) -> bool {
        let (text, at) = (self.text, self.at);
        let start = at - 1 - back;
        let prefix = *self.before[back].get_or_insert_with(|| walk_over(&text[start..at]));
        prefix
            .and_then(|walk| walk.then(c))
            .is_some_and(|walk| word_goes_on(text, start, at, walk))
    }
}

/// The walk that has read all of `chars` (from the root), if some word starts with them.
fn walk_over(chars: &[char]) -> Option<Walk> {
    let (&first, rest) = chars.split_first()?;
    rest.iter()
        .try_fold(Walk::first(first)?, |walk, &c| walk.then(c))
}

/// Whether the walk from `start` that has just read the character at `at` is a word of at
/// least two characters there, or becomes one with the characters after `at` (a word is at
/// most [`MAX_WORD_CHARS`] long).
fn word_goes_on(text: &[char], start: usize, at: usize, walk: Walk) -> bool {
    if start < at && walk.is_word() {
        return true;
    }
    let end = (start + MAX_WORD_CHARS).min(text.len());
    let mut walk = walk;
    for &c in &text[at + 1..end] {
        match walk.then(c) {
            Some(next) if next.is_word() => return true,
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
            // One set of walks asked about several characters, as for a suspect's candidates.
            let mut across = WordsAcross::new(&line, i);
            for target in ['国', line[i], '前', '一', '直', '和'] {
                let mut whole = line.clone();
                whole[i] = target;
                let expected = inside_word_walking_from_the_root(&whole, i);
                assert_eq!(
                    across.inside_word_with(target),
                    expected,
                    "at {i} with {target}"
                );
            }
        }
        let short: Vec<char> = "湔夕".chars().collect();
        assert!(WordsAcross::new(&short, 0).inside_word_with('前'));
        assert!(!inside_word(&short, 2));
    }

    /// The walk over `chars` from the root, every node decoded on the way.
    fn walk_plainly(chars: &[char]) -> Option<Walk> {
        let words = &model().words;
        let mut key = [0u8; 4];
        let (mut node, mut output) = (words.root(), Output::zero());
        for &c in chars {
            for &byte in c.encode_utf8(&mut key).as_bytes() {
                let transition = node.transition(node.find_input(byte)?);
                output = output.cat(transition.out);
                node = words.node(transition.addr);
            }
        }
        Some(Walk {
            addr: node.addr(),
            output: output.value(),
            final_output: node.is_final().then(|| node.final_output().value()),
        })
    }

    #[test]
    fn remembered_first_steps_are_the_steps_from_the_root() {
        for code in FIRST_STEP_CHARS {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let walked = walk_plainly(&[c]);
            // The first call works the step out, the second reads it back.
            for walk in [Walk::first(c), Walk::first(c)] {
                assert_eq!(walk, walked, "{c}");
            }
        }
    }

    #[test]
    fn remembered_steps_are_the_steps_through_the_nodes() {
        let text: Vec<char> = "中华人民共和国成立以来，一直吃住在村里，巍然矗立 abc 16分"
            .chars()
            .collect();
        // Twice: the second time the steps come from memory.
        for _ in 0..2 {
            for start in 0..text.len() {
                let mut walk = Walk::first(text[start]);
                assert_eq!(walk, walk_plainly(&text[start..=start]));
                for end in start + 1..text.len() {
                    walk = walk.and_then(|walk| walk.then(text[end]));
                    assert_eq!(walk, walk_plainly(&text[start..=end]), "{start}..={end}");
                }
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
