//! How plausible a short run of CJK text is: the one place where the rule asks the language
//! model ([`crate::lm`]), so that the decisions elsewhere read "is the repaired text clearly
//! more plausible than the damaged one?".

use std::cell::Cell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::{Deref, DerefMut};
use std::sync::OnceLock;

use crate::lm;

/// Hiragana and katakana: the model knows Chinese words only, so kana get a fixed cost about
/// that of a less common Chinese character (`こんにちは` must not look like garbage).
const KANA_COST: f32 = 8.0;

/// Half-width katakana are rare in real text and everywhere in UTF-8 read as Shift_JIS
/// (`縺ｯ`): dearer than any known character.
const HALFWIDTH_KANA_COST: f32 = 16.0;

/// Hangul syllables of KS X 1001 (the 2,350 in everyday use; the model has no Korean): like
/// kana. The other 8,822 syllables are rare, and they are what traditional Chinese read back
/// as GBK bytes decodes to (`須來對` → `횁팦`): as dear as a foreign letter.
const HANGUL_COST: f32 = 8.0;

/// Whether a Hangul syllable is one of KS X 1001's 2,350: its EUC-KR bytes are B0–C8 A1–FE
/// (encoding_rs's EUC-KR is windows-949, which encodes the others in its extension rows).
pub(super) fn common_hangul(c: char) -> bool {
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::EUC_KR.encode(c.encode_utf8(&mut buf));
    !unmappable && bytes.len() == 2 && (0xb0..=0xc8).contains(&bytes[0]) && bytes[1] >= 0xa1
}

/// A letter of a non-CJK script, or a symbol (box drawing, Greek and Cyrillic from the GBK
/// symbol rows: `鐣屻`, `┐`), inside what should be CJK text: about as dear as a rare
/// character.
const FOREIGN_COST: f32 = 14.0;

/// A lost character (U+FFFD) in a repair: the average cost of a character, so that losing
/// one neither helps nor hurts a comparison much.
const LOST_COST: f32 = 9.0;

/// Chinese punctuation, by how common it is (the model has no punctuation): the choice among
/// the candidates for a partly lost `。` (E3 80 82) is mostly a choice among these, and at
/// the end of a sentence `。` must win over `　` and `〃`.
fn punctuation_cost(c: char) -> f32 {
    match c {
        '，' => 0.5,
        '。' => 0.6,
        '、' | '“' | '”' => 1.5,
        '：' | '；' | '！' | '？' => 2.0,
        '《' | '》' | '（' | '）' | '「' | '」' | '…' | '—' | '·' | '‘' | '’' => 3.0,
        _ => 6.0,
    }
}

/// The cost of `text` as CJK text: lower is more plausible (see the constants).
pub(super) fn cost(text: &str) -> f32 {
    let mut blanked = Vec::with_capacity(text.len());
    let extra = blank(text.chars(), &mut blanked);
    model_cost(&blanked, lm::run_cost, lm::char_cost) + extra
}

/// Costs already worked out, for a caller that asks about many texts differing in one or two
/// characters: when candidates for a lost character are punctuation, every window they make
/// blanks to the same text for the model; otherwise the windows still share the runs of
/// characters between their blanks, whose segmentation is the dear part, and the characters
/// whose costs on their own (for traditional text, see [`model_cost`]) are each looked up
/// once.
#[derive(Default)]
pub(super) struct Memo {
    run_costs: RunCosts,
    char_costs: ShortKeyMap<char, f32>,
    /// The text being asked about, blanked: kept between calls so that a question that is
    /// answered from memory allocates nothing.
    blanked: Vec<char>,
}

impl Memo {
    /// The thread's memo, for one caller's questions: emptied of the last caller's runs
    /// (windows of other text seldom share them), but with the room its maps had grown to and
    /// the characters' costs (bounded by the characters there are) kept. It goes back to the
    /// thread when dropped.
    pub fn of_this_thread() -> ThreadMemo {
        let mut memo = THREAD_MEMO.take();
        memo.run_costs.clear();
        ThreadMemo(memo)
    }

    /// The same as [`cost`], of the text made of `chars` (a window of a line with some
    /// characters replaced, which the caller need not assemble into a string).
    pub fn cost(&mut self, chars: impl IntoIterator<Item = char>) -> f32 {
        let Memo {
            run_costs,
            char_costs,
            blanked,
        } = self;
        blanked.clear();
        let extra = blank(chars, blanked);
        let model = model_cost(
            blanked,
            |run| run_costs.cost(run),
            |c| remembered_char_cost(char_costs, c),
        );
        model + extra
    }

    /// [`lm::char_cost`], from memory.
    pub fn char_cost(&mut self, c: char) -> f32 {
        remembered_char_cost(&mut self.char_costs, c)
    }
}

fn remembered_char_cost(char_costs: &mut ShortKeyMap<char, f32>, c: char) -> f32 {
    *char_costs.entry(c).or_insert_with(|| lm::char_cost(c))
}

thread_local! {
    static THREAD_MEMO: Cell<Memo> = Cell::default();
}

/// The costs of runs of characters ([`lm::run_cost`]) worked out so far.
#[derive(Default)]
struct RunCosts {
    /// Runs of at most `PACKED_CHARS` characters, under their codes side by side after their
    /// length: most runs between blanks are short, and such a key is not a copy to allocate.
    packed: ShortKeyMap<u128, f32>,
    longer: ShortKeyMap<Vec<char>, f32>,
}

/// Five codes of 21 bits and a length fit in 128 bits.
const PACKED_CHARS: usize = 5;

impl RunCosts {
    fn cost(&mut self, run: &[char]) -> f32 {
        if run.len() > PACKED_CHARS {
            if let Some(&known) = self.longer.get(run) {
                return known;
            }
            let cost = lm::run_cost(run);
            self.longer.insert(run.to_vec(), cost);
            return cost;
        }
        let key = run.iter().fold(run.len() as u128, |key, &c| {
            key << 21 | u128::from(u32::from(c))
        });
        *self.packed.entry(key).or_insert_with(|| lm::run_cost(run))
    }

    fn clear(&mut self) {
        self.packed.clear();
        self.longer.clear();
    }
}

/// See [`Memo::of_this_thread`].
pub(super) struct ThreadMemo(Memo);

impl Deref for ThreadMemo {
    type Target = Memo;

    fn deref(&self) -> &Memo {
        &self.0
    }
}

impl DerefMut for ThreadMemo {
    fn deref_mut(&mut self) -> &mut Memo {
        &mut self.0
    }
}

impl Drop for ThreadMemo {
    fn drop(&mut self) {
        THREAD_MEMO.set(std::mem::take(&mut self.0));
    }
}

/// A map whose keys are short (a window of text, a character, a few bytes) and asked about
/// far more often than the map grows.
pub(super) type ShortKeyMap<K, V> = HashMap<K, V, BuildHasherDefault<ShortKeyHasher>>;

/// A hasher for short keys: SipHash guards against keys chosen to collide, which costs more
/// here than the work the maps save, and maps that are cleared while still small have
/// little to guard. (The multiply-rotate mix of rustc's FxHasher.)
#[derive(Default)]
pub(super) struct ShortKeyHasher(u64);

impl ShortKeyHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for ShortKeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.add(u64::from_le_bytes(word.try_into().expect("8 bytes")));
        }
        let mut rest = [0u8; 8];
        rest[..words.remainder().len()].copy_from_slice(words.remainder());
        self.add(u64::from_le_bytes(rest));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Appends `chars` to `blanked` with every character the model does not judge blanked to a
/// space, and returns the cost of those characters (see the constants).
fn blank(chars: impl IntoIterator<Item = char>, blanked: &mut Vec<char>) -> f32 {
    let mut extra = 0.0;
    for c in chars {
        let add = match c as u32 {
            0..=0x7f => None,
            0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0x20000..=0x3134f => None,
            0x3040..=0x30ff => Some(KANA_COST),
            0xff66..=0xff9f => Some(HALFWIDTH_KANA_COST),
            0xac00..=0xd7a3 if common_hangul(c) => Some(HANGUL_COST),
            0x3000..=0x303f | 0xff01..=0xff0f | 0xff1a..=0xff20 | 0xff3b..=0xff40 => {
                Some(punctuation_cost(c))
            }
            0xff5b..=0xff65 | 0x2014 | 0x2018 | 0x2019 | 0x201c | 0x201d | 0x2026 | 0xb7 => {
                Some(punctuation_cost(c))
            }
            0xfffd => Some(LOST_COST),
            _ => Some(FOREIGN_COST),
        };
        match add {
            None => blanked.push(c),
            Some(x) => {
                extra += x;
                blanked.push(' ');
            }
        }
    }
    extra
}

/// The model's cost of a blanked text (see [`blank`]), with `run_cost` and `char_cost` the
/// model's costs of a run of characters and of a character on its own ([`lm::run_cost`] and
/// [`lm::char_cost`], or a memory of them).
fn model_cost(
    blanked: &[char],
    run_cost: impl FnMut(&[char]) -> f32,
    mut char_cost: impl FnMut(char) -> f32,
) -> f32 {
    let model = lm::chars_cost_by_runs(blanked.iter().copied(), run_cost);
    // The model is simplified Chinese, where traditional characters are rare: `關係` would
    // cost more than the junk it decodes to. A common traditional character (Big5 level 1)
    // costs at most TRADITIONAL_COST on its own.
    if blanked.iter().copied().any(traditional_common) {
        let by_char: f32 = blanked
            .iter()
            .copied()
            .filter(|c| !c.is_ascii())
            .map(|c| {
                let cost = char_cost(c);
                if traditional_common(c) {
                    cost.min(TRADITIONAL_COST)
                } else {
                    cost
                }
            })
            .sum();
        return model.min(by_char);
    }
    model
}

/// See [`cost`]: about the cost of a fairly common simplified character.
const TRADITIONAL_COST: f32 = 9.0;

/// A character in Big5's level 1 (A440–C67E: the 5,401 common traditional characters) that
/// the model finds rare.
/// Worked out once for the whole URO (a bit a character), since every cost asks it of every
/// character.
fn traditional_common(c: char) -> bool {
    const FIRST: u32 = 0x4e00;
    const LAST: u32 = 0x9fff;
    static BITS: OnceLock<Vec<u64>> = OnceLock::new();
    let code = c as u32;
    if !(FIRST..=LAST).contains(&code) {
        return false;
    }
    let bits = BITS.get_or_init(|| {
        let mut bits = vec![0u64; ((LAST - FIRST) as usize + 64) / 64];
        for code in FIRST..=LAST {
            let c = char::from_u32(code).expect("not a surrogate");
            if (0xa440..=0xc67e).contains(&super::cjk::big5_code(c))
                && lm::char_cost(c) > TRADITIONAL_COST
            {
                let k = (code - FIRST) as usize;
                bits[k / 64] |= 1 << (k % 64);
            }
        }
        bits
    });
    let k = (code - FIRST) as usize;
    bits[k / 64] & (1 << (k % 64)) != 0
}

/// The repaired text must cost at most this share of the damaged text. Set by the clean
/// corpus: clean traditional Chinese costs about 8 a character, and a run of it that happens
/// to be valid UTF-8 when encoded decodes to about two thirds as many random characters at
/// 12–20 each (more, not less); real mojibake costs 12–20 a character and decodes to 4–8.
const RATIO: f32 = 0.6;

/// And it must save at least this much: a two-character repair (`涓枃` → `中文` costs 20.6
/// → 10.4) passes, a coincidence between two common characters does not.
const MIN_GAIN: f32 = 8.0;

/// Whether `repaired` is clearly more plausible than `damaged`.
pub(super) fn clearly_better(damaged: &str, repaired: &str) -> bool {
    let (before, after) = (cost(damaged), cost(repaired));
    after <= before * RATIO && before - after >= MIN_GAIN
}

/// The average cost of the CJK characters of `text` (for text whose damaged form is not CJK,
/// such as GBK read as Latin-1, which the model cannot judge).
pub(super) fn average_cost(text: &str) -> f32 {
    let n = text
        .chars()
        .filter(|c| !c.is_ascii() && !matches!(*c as u32, 0x3000..=0x303f | 0xff01..=0xff65))
        .count();
    if n == 0 {
        return f32::INFINITY;
    }
    cost(text) / n as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everyday_hangul_is_told_from_rare() {
        assert!(common_hangul('한') && common_hangul('국') && common_hangul('어'));
        assert!(!common_hangul('횁') && !common_hangul('팦') && !common_hangul('쯪'));
    }

    #[test]
    fn repaired_text_is_cheaper() {
        assert!(clearly_better("浣犲ソ", "你好"));
        assert!(clearly_better("涓枃", "中文"));
        assert!(clearly_better(
            "琛ｆ湇鐮达紝灏氬彲缂濓紱",
            "衣服破，尚可缝；"
        ));
        assert!(!clearly_better("浣熊", "浣熊"));
        assert!(cost("こんにちは") < cost("縺薙ｓ縺ｫ縺｡縺ｯ"));
    }
}
