//! CJK mojibake, both ways round:
//!
//! - **UTF-8 read as GBK, Big5, Shift_JIS or EUC-KR** (`浣犲ソ` → `你好`, `縺ゅ` → `あ`):
//!   the damaged run is encoded back with the CJK codec and the bytes are decoded as UTF-8.
//!   A U+FFFD in the run stands for one or two lost bytes; the UTF-8 structure around it says
//!   how many, which characters are lost for good, and which are only partly lost. For those
//!   the candidates the surviving bytes allow are enumerated and the language model chooses
//!   (`濂�` → `好`).
//! - **GBK, Big5 or Shift_JIS read as Latin-1 or windows-1252** (`ÄãºÃ` → `你好`,
//!   `¶«ÓªÊÐ` → `东营市`): byte pairs of the Latin-1 run are decoded with the CJK codec.
//!
//! A repair is accepted only when the language model finds the result clearly more plausible
//! than the damaged text ([`super::score`]), so rare but real characters (`浣熊`, `涓涓`) stay.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Once, OnceLock};

use super::chars::{kind, script, Kind, Script};
use super::codecs::{maybe_codec_char, Sbcs};
use super::score;
use super::Repair;
use crate::lm;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cjk {
    Gbk,
    ShiftJis,
    EucKr,
    Big5,
}

/// In order of preference (the most common mix-up first).
const ALL: [Cjk; 4] = [Cjk::Gbk, Cjk::ShiftJis, Cjk::EucKr, Cjk::Big5];

impl Cjk {
    fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// The encoding_rs codec that `build.rs` decoded the tables with ([`PAIRS`], [`CODES`]),
    /// for the tests that check them.
    #[cfg(test)]
    fn encoding(self) -> &'static encoding_rs::Encoding {
        match self {
            // The GB18030 decoder reads GBK and its four-byte sequences; its encoder round-trips
            // whatever it decoded.
            Cjk::Gbk => encoding_rs::GB18030,
            Cjk::ShiftJis => encoding_rs::SHIFT_JIS,
            Cjk::EucKr => encoding_rs::EUC_KR,
            Cjk::Big5 => encoding_rs::BIG5,
        }
    }

    fn utf8_read_as(self) -> &'static str {
        match self {
            Cjk::Gbk => "utf-8 read as gbk",
            Cjk::ShiftJis => "utf-8 read as shift_jis",
            Cjk::EucKr => "utf-8 read as euc-kr",
            Cjk::Big5 => "utf-8 read as big5",
        }
    }

    fn read_as_latin1(self, c1: bool) -> &'static str {
        match (self, c1) {
            (Cjk::Gbk, false) => "gbk read as windows-1252",
            (Cjk::Gbk, true) => "gbk read as latin-1",
            (Cjk::Big5, false) => "big5 read as windows-1252",
            (Cjk::Big5, true) => "big5 read as latin-1",
            (Cjk::ShiftJis, false) => "shift_jis read as windows-1252",
            (Cjk::ShiftJis, true) => "shift_jis read as latin-1",
            (Cjk::EucKr, false) => "euc-kr read as windows-1252",
            (Cjk::EucKr, true) => "euc-kr read as latin-1",
        }
    }
}

/// Every two-byte code of the four codecs decoded once, at build time (see `build.rs`): for
/// each codec in the order of [`Cjk`], for lead 0x81–0xFE and trail 0x40–0xFE, the code point
/// as a little-endian `u32`, or 0. The tables below read every pair, and decoding them with
/// encoding_rs here cost more than cleaning a short input.
static PAIRS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/cjk_pairs.bin"));

/// Leads and trails of [`PAIRS`]: all the bytes a two-byte code of these codecs can have.
const PAIR_LEADS: std::ops::RangeInclusive<u8> = 0x81..=0xfe;
const PAIR_TRAILS: std::ops::RangeInclusive<u8> = 0x40..=0xfe;
const PAIRS_PER_LEAD: usize = 191;
const PAIRS_PER_CODEC: usize = 126 * PAIRS_PER_LEAD;

/// The one character a byte pair decodes to in `codec`, if the pair is valid and makes one
/// character (a Big5 pair that decodes to a letter and a combining mark makes none).
fn decode_pair(codec: Cjk, [lead, trail]: [u8; 2]) -> Option<char> {
    if !PAIR_LEADS.contains(&lead) || !PAIR_TRAILS.contains(&trail) {
        return None;
    }
    let index = codec as usize * PAIRS_PER_CODEC
        + usize::from(lead - PAIR_LEADS.start()) * PAIRS_PER_LEAD
        + usize::from(trail - PAIR_TRAILS.start());
    let bytes = PAIRS[index * 4..index * 4 + 4]
        .try_into()
        .expect("four bytes a pair");
    match u32::from_le_bytes(bytes) {
        0 => None,
        code => char::from_u32(code),
    }
}

/// The byte pairs of `codec` with a lead in `leads` and a trail in `trails` that decode to
/// one character (what [`decode_pair`] returns), in byte order.
fn decoded_pairs(
    codec: Cjk,
    leads: std::ops::RangeInclusive<u8>,
    trails: std::ops::RangeInclusive<u8>,
) -> impl Iterator<Item = ([u8; 2], char)> {
    leads.flat_map(move |lead| {
        trails
            .clone()
            .filter_map(move |trail| Some(([lead, trail], decode_pair(codec, [lead, trail])?)))
    })
}

/// For each BMP character, what the gate needs to know about it, one `u32` (see the bit
/// constants below):
///
/// - the codecs (bits of [`Cjk::bit`]) in which it is what a UTF-8 lead byte of CJK text (E2:
///   the quotes and dashes Chinese uses; E3: CJK punctuation and kana; E4–E9: ideographs;
///   EA–ED: Hangul; EF: full-width forms) and the continuation byte after it decode to: `浣`
///   (E4 BD), `鍙` (E9 8D), `锛` (EF BC), `銆` (E3 80), `鈥` (E2 80). Any run of two or more
///   damaged CJK characters contains one, whatever the alignment;
/// - for each codec, what [`could_start`] says of the character's unit: yes whatever follows
///   ([`STARTS`]), or only before a lost byte or a unit that begins with a continuation byte
///   ([`OPENS`]); and whether its own unit begins with a continuation byte ([`CONT_FIRST`]).
///   Together they answer [`first_possible_start`] for every codec in one pass, with no unit
///   encoded: a lead pair of clean Chinese (`以` is E4 CB in EUC-KR) is almost always followed
///   by a character whose code begins with a lead byte;
/// - [`LATIN1_HIGH`] and [`GARBAGE`], the gate's other two questions.
///
/// The lead-pair bits and [`GARBAGE`] are set for every character at first use (a character
/// with two codes is a lead pair if either code is one, which only decoding tells). The rest
/// of a character's bits are worked out the first time the gate meets it ([`char_bits_of`]):
/// a short input meets a few hundred characters, and working out all 65,536 cost more than
/// cleaning it.
fn char_bits() -> &'static [AtomicU32] {
    static TABLE: [AtomicU32; 0x10000] = [const { AtomicU32::new(0) }; 0x10000];
    static LEAD_PAIRS: Once = Once::new();
    LEAD_PAIRS.call_once(|| {
        for codec in ALL {
            for lead in (0xe2u8..=0xed).chain([0xef]) {
                for (_, c) in decoded_pairs(codec, lead..=lead, 0x80..=0xbf) {
                    if let Some(slot) = TABLE.get(c as usize) {
                        slot.fetch_or(u32::from(codec.bit()), Ordering::Relaxed);
                    }
                }
            }
        }
        for c in ['锟', '烫', '屯'] {
            TABLE[c as usize].fetch_or(GARBAGE, Ordering::Relaxed);
        }
    });
    &TABLE
}

/// The bits of [`char_bits`] of the character `code` (none beyond the BMP), completed with
/// [`own_bits`] the first time it is asked for. Threads that complete the same character at
/// once store the same bits.
#[inline]
fn char_bits_of(table: &[AtomicU32], code: u32) -> u32 {
    let Some(slot) = table.get(code as usize) else {
        return 0;
    };
    let bits = slot.load(Ordering::Relaxed);
    if bits & KNOWN != 0 {
        return bits;
    }
    let own = own_bits(code) | KNOWN;
    slot.fetch_or(own, Ordering::Relaxed);
    bits | own
}

/// The bits of a BMP character `code` that depend on it alone: [`LATIN1_HIGH`], its start
/// classes in each codec ([`start_class`]) and [`PLAIN`].
#[cold]
fn own_bits(code: u32) -> u32 {
    let Some(c) = char::from_u32(code).filter(|_| code >= 0x80) else {
        return 0;
    };
    let mut bits = 0;
    if code < 0x2600 && Sbcs::Latin1.encode(c).is_some() {
        bits |= LATIN1_HIGH;
    }
    for codec in ALL {
        bits |= start_class(c, codec);
    }
    if code >= 0x3000 && c != '\u{FFFD}' && !maybe_codec_char(c) {
        bits |= PLAIN;
    }
    bits
}

/// The [`STARTS`], [`OPENS`] and [`CONT_FIRST`] bits of a non-ASCII character `c` in `codec`
/// (see [`char_bits`]); none if `codec` cannot encode it.
fn start_class(c: char, codec: Cjk) -> u32 {
    let u = unit(0, c, codec);
    if u.len == 0 {
        return 0;
    }
    let lane = u32::from(codec.bit());
    let mut bits = 0;
    if is_cont(u.bytes[0]) {
        bits |= lane << CONT_FIRST_SHIFT;
    }
    let dropped_pairs = codec == Cjk::Gbk;
    if could_start(&u, None, dropped_pairs) {
        bits |= lane << STARTS_SHIFT;
    } else if could_start(&u, Some(&unit(0, '\u{FFFD}', codec)), dropped_pairs) {
        bits |= lane << OPENS_SHIFT;
    }
    bits
}

/// The bits of [`char_bits`] that are codecs ([`Cjk::bit`]).
const CODEC_BITS: u32 = 0x0f;

/// A bit of [`char_bits`]: a non-ASCII character below U+2600 that is a byte in Latin-1 or
/// windows-1252 (what a GBK, Big5 or Shift_JIS byte read as Latin-1 becomes).
const LATIN1_HIGH: u32 = 0x10;

/// A bit of [`char_bits`]: 锟, 烫 or 屯, which begin the garbage runs (see [`find_garbage`]).
const GARBAGE: u32 = 0x20;

/// A bit of [`char_bits`]: a character from U+3000 on, other than U+FFFD, that no
/// single-byte codec has. Such a character, the bulk of Chinese text, needs nothing of either
/// gate but its bits (see [`GateScan::step_plain`]).
pub(super) const PLAIN: u32 = 0x40;

/// A bit of [`char_bits`]: the character's own bits are in (see [`char_bits_of`]).
const KNOWN: u32 = 0x80;

/// Where the per-codec lanes of [`char_bits`] sit (codec bits shifted): the codecs in which
/// the character's unit could start a span whatever follows ([`STARTS`]), could only before a
/// lost byte or a continuation byte ([`OPENS`]), and begins with a continuation byte
/// ([`CONT_FIRST`]).
const STARTS_SHIFT: u32 = 8;
const OPENS_SHIFT: u32 = 12;
const CONT_FIRST_SHIFT: u32 = 16;
#[cfg(test)]
const STARTS: u32 = CODEC_BITS << STARTS_SHIFT;
#[cfg(test)]
const OPENS: u32 = CODEC_BITS << OPENS_SHIFT;
#[cfg(test)]
const CONT_FIRST: u32 = CODEC_BITS << CONT_FIRST_SHIFT;

/// Whether `c` is a lead pair of `codec` (see [`char_bits`]).
fn is_lead_pair(c: char, codec: Cjk) -> bool {
    char_bits()
        .get(c as usize)
        .is_some_and(|bits| bits.load(Ordering::Relaxed) & u32::from(codec.bit()) != 0)
}

/// What [`gate`] found.
#[derive(Clone, Copy, Default, Debug)]
pub(super) struct Gate {
    /// Codecs whose UTF-8 lead pairs occur in the line (from U+3000 on) and where a span of
    /// damage could start (see [`first_possible_start`]).
    pub utf8_as: u8,
    /// Two Latin-1 characters in a row (GBK and friends read as Latin-1).
    pub legacy_as_latin1: bool,
    /// 锟, 烫 or 屯 (garbage runs).
    pub garbage: bool,
}

impl Gate {
    pub fn any(self) -> bool {
        self.utf8_as != 0 || self.legacy_as_latin1 || self.garbage
    }
}

/// The gate, a character at a time (see [`char_bits`]): one table look-up a character and a
/// few bit operations. Lead pairs count from U+3000 on: below it they are symbols that CJK
/// text uses correctly. A codec passes only where [`first_possible_start`] would find a
/// start, which it follows for all codecs at once: a trigger (a lost byte, a lead pair, a
/// non-ASCII character after an ASCII letter; see [`is_trigger`]) whose unit starts a span
/// ([`STARTS`]) or leaves one open before the next character's continuation byte
/// ([`OPENS`], [`CONT_FIRST`]).
pub(super) struct GateScan {
    table: &'static [AtomicU32],
    /// The bits of the characters from U+3000 on: the codecs of their lead pairs, and
    /// [`GARBAGE`].
    lead_pairs: u32,
    possible_starts: u32,
    /// Codecs in which the character before was a trigger whose unit left a character open.
    open: u32,
    legacy_as_latin1: bool,
    prev_high: bool,
    prev_ascii_letter: bool,
}

impl GateScan {
    pub fn new() -> GateScan {
        GateScan {
            table: char_bits(),
            lead_pairs: 0,
            possible_starts: 0,
            open: 0,
            legacy_as_latin1: false,
            prev_high: false,
            prev_ascii_letter: false,
        }
    }

    /// Steps over `c`. After an ASCII character the scan is as it was at the start, whatever
    /// came before, but for whether that character was a letter: a caller may skip the inside
    /// of a run of ASCII (its first and last characters must be stepped over).
    #[inline]
    pub fn step(&mut self, c: char) {
        let code = c as usize;
        if code < 0x80 {
            self.open = 0;
            self.prev_high = false;
            self.prev_ascii_letter = c.is_ascii_alphabetic();
            return;
        }
        let bits = self.bits(code as u32);
        let high = bits & LATIN1_HIGH != 0;
        self.legacy_as_latin1 |= high && self.prev_high;
        self.prev_high = high;
        if code >= 0x3000 {
            self.lead_pairs |= bits;
        }
        if c == '\u{FFFD}' {
            self.possible_starts = CODEC_BITS;
        }
        self.step_starts(bits);
    }

    /// The bits of [`char_bits`] of the character `code`.
    #[inline]
    pub fn bits(&self, code: u32) -> u32 {
        char_bits_of(self.table, code)
    }

    /// Steps over a [`PLAIN`] character with bits `bits`: what [`GateScan::step`] does for
    /// one, without the tests that cannot apply (it is not ASCII, not U+FFFD, not Latin-1).
    #[inline]
    pub fn step_plain(&mut self, bits: u32) {
        self.prev_high = false;
        self.lead_pairs |= bits;
        self.step_starts(bits);
    }

    /// Follows [`first_possible_start`] over a non-ASCII character with bits `bits`.
    #[inline]
    fn step_starts(&mut self, bits: u32) {
        self.possible_starts |= self.open & (bits >> CONT_FIRST_SHIFT);
        let triggers = if self.prev_ascii_letter {
            CODEC_BITS
        } else {
            bits & CODEC_BITS
        };
        self.possible_starts |= triggers & (bits >> STARTS_SHIFT);
        self.open = triggers & (bits >> OPENS_SHIFT);
        self.prev_ascii_letter = false;
    }

    pub fn finish(self) -> Gate {
        Gate {
            utf8_as: (self.lead_pairs & self.possible_starts & CODEC_BITS) as u8,
            legacy_as_latin1: self.legacy_as_latin1,
            garbage: self.lead_pairs & GARBAGE != 0,
        }
    }
}

/// The gate on its own (see [`GateScan`]).
#[cfg(test)]
pub(super) fn gate(line: &str) -> Gate {
    let mut scan = GateScan::new();
    for c in line.chars() {
        scan.step(c);
    }
    scan.finish()
}

/// Whether [`find_utf8_as`] could repair anything in `text` with `codec`: a walk over the
/// units that follows [`parse`] from every start at once, without its bookkeeping. Decoding
/// is self-synchronising, so all parses that get anywhere read the same characters in the
/// same places; the walk counts, for each run of units that decodes, the characters a span
/// of it could decode to (see [`Reading`]), and a run needs [`MIN_DECODED`] of them. Lead
/// pairs are common in clean Chinese (`以` is E4 CB in EUC-KR), and so are possible starts,
/// but clean Chinese read back through a codec almost never decodes further than a character
/// or two: this turns such a line away for a table look-up and a few byte comparisons a
/// character, before any unit is built or parsed.
///
/// Lost bytes (U+FFFD) are not followed: a line with one always passes. Nor is the one-unit
/// case ([`latin_in_cjk`]): a character after an ASCII letter that encodes to a two-byte
/// UTF-8 sequence passes the line.
fn may_hold_utf8_as(text: &str, codec: Cjk) -> bool {
    let mut reading = Reading::default();
    let mut prev_letter = false;
    for ch in text.chars() {
        let u = unit(0, ch, codec);
        if u.gap {
            return true;
        }
        if prev_letter && u.len == 2 && (0xc2..=0xdf).contains(&u.bytes[0]) && is_cont(u.bytes[1]) {
            return true;
        }
        prev_letter = ch.is_ascii_alphabetic();
        if reading.unit(&u, codec == Cjk::Gbk) {
            return true;
        }
    }
    reading.end()
}

/// A run of units being decoded as UTF-8 by [`may_hold_utf8_as`], step for step as [`parse`]
/// does, and how many characters a span of it could decode to: characters that decode
/// ([`judge`] takes only CJK text, so anything else starts the count again), characters
/// with silently dropped pairs, and a character cut short at the end of the run. Every span
/// [`parse`] finds is a stretch of one such run, so it decodes to at most as many.
#[derive(Default)]
struct Reading {
    /// The character being decoded: its bytes so far and how many it needs (`have == need`:
    /// none open).
    seq: [u8; 4],
    have: usize,
    need: usize,
    decoded: usize,
    /// The length of the last unit read (see [`Reading::end`]).
    last_len: u8,
}

impl Reading {
    fn open(&self) -> bool {
        self.have < self.need
    }

    /// Whether the run so far could make a span of [`MIN_DECODED`] characters; `cut_short`:
    /// whether [`parse`] would guess an open character from its bytes so far.
    fn enough(&self, cut_short: bool) -> bool {
        self.decoded + usize::from(cut_short && self.open()) >= MIN_DECODED
    }

    fn restart(&mut self) {
        self.have = 0;
        self.need = 0;
        self.decoded = 0;
    }

    /// Reads unit `u` (not a gap); true once the run could make a span.
    fn unit(&mut self, u: &Unit, dropped_pairs: bool) -> bool {
        if u.len == 0 {
            // Not encodable: the run ends before a unit that is not CJK.
            let enough = self.enough(true);
            self.restart();
            return enough;
        }
        if dropped_pairs && self.need == 3 && self.open() {
            // See [`dropped_pair_at`]: each case guesses the open character.
            if self.have == 2 && u.len == 2 && is_cont(u.bytes[0]) && is_cont(u.bytes[1]) {
                // And the unit is the next character without its lead.
                self.decoded += 2;
                self.have = 0;
                self.need = 0;
                self.last_len = u.len;
                return self.enough(false);
            }
            if self.have == 1 && !is_cont(u.bytes[0]) {
                self.decoded += 1;
                self.have = 0;
                self.need = 0;
            }
        }
        let mut n = 0;
        while n < usize::from(u.len) {
            let b = u.bytes[n];
            if self.open() {
                if !is_cont(b) {
                    // [`parse`] stops; it guesses the open character only when stopped before
                    // a unit that starts with ASCII.
                    if self.enough(n == 0 && b < 0x80) {
                        return true;
                    }
                    self.restart();
                    if n > 0 {
                        // No span starts inside a unit.
                        return false;
                    }
                    // A span may start at this unit: read it again from the start.
                    continue;
                }
                self.seq[self.have] = b;
                self.have += 1;
                if !self.open() {
                    let (seq, need) = (self.seq, self.need);
                    self.have = 0;
                    self.need = 0;
                    if need == 2 {
                        // U+0080–U+07FF, valid whatever the bytes, and never CJK text.
                        self.decoded = 0;
                        n += 1;
                        continue;
                    }
                    match std::str::from_utf8(&seq[..need])
                        .ok()
                        .and_then(|s| s.chars().next())
                    {
                        Some(c) if kind(c) == Kind::Common && is_cjk_text(c) => self.decoded += 1,
                        Some(_) => self.decoded = 0,
                        None => {
                            // Not UTF-8 after all: [`parse`] stops, with nothing to guess.
                            let enough = self.enough(false);
                            self.restart();
                            return enough;
                        }
                    }
                }
            } else {
                match utf8_len(b) {
                    Some(1) => {}
                    Some(need) => {
                        self.seq[0] = b;
                        self.have = 1;
                        self.need = need;
                    }
                    None => {
                        let enough = self.enough(false);
                        self.restart();
                        return enough;
                    }
                }
            }
            n += 1;
        }
        self.last_len = u.len;
        self.enough(false)
    }

    /// At the end of the text: [`parse`] guesses an open character only when its last unit
    /// was a single byte (it stopped at a unit boundary).
    fn end(&self) -> bool {
        self.enough(self.last_len == 1)
    }
}

/// Encodes `c` with `codec` as far as this mojibake needs: `None` if it cannot. Two-byte codes
/// come from a reverse table built once by decoding every byte pair (encoding_rs's EUC-KR
/// encoder searches its index linearly, which cost more than everything else together).
fn encode(codec: Cjk, c: char) -> Option<([u8; 4], u8)> {
    let code = c as u32;
    if code >= 0x10000 {
        return None;
    }
    let pair = pair_code(codec, code);
    if pair != 0 {
        let [lead, trail] = pair.to_be_bytes();
        return Some(([lead, trail, 0, 0], 2));
    }
    // Shift_JIS's single-byte half-width katakana (`縺ｯ`: the ｯ is one byte, AF).
    if codec == Cjk::ShiftJis && (0xff61..=0xff9f).contains(&code) {
        return Some(([(code - 0xff61 + 0xa1) as u8, 0, 0, 0], 1));
    }
    // GB18030's four-byte codes need an ASCII digit as their second byte, which UTF-8 never
    // has after a lead byte: no four-byte code is ever part of this mojibake.
    None
}

/// The Big5 code of `c` (0: none).
pub(super) fn big5_code(c: char) -> u16 {
    let code = c as u32;
    if code >= 0x10000 {
        return 0;
    }
    pair_code(Cjk::Big5, code)
}

/// Each BMP character's two-byte code in each codec, in the order of [`Cjk`], as a
/// little-endian `u16` whose high byte is the lead (0: none). Where several codes decode to
/// the same character, it is the one encoding_rs's encoder writes (see `build.rs`).
static CODES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/cjk_codes.bin"));

/// The two-byte code of the BMP character `code` in `codec` (0: none; see [`CODES`]).
fn pair_code(codec: Cjk, code: u32) -> u16 {
    let index = (codec as usize * 0x10000 + code as usize) * 2;
    u16::from_le_bytes([CODES[index], CODES[index + 1]])
}

// ---------------------------------------------------------------------------------------
// UTF-8 read as a CJK codec.

#[derive(Clone, Copy)]
struct Unit {
    at: usize,
    ch: char,
    /// The character's bytes in the codec (`len` 0: not encodable; U+FFFD: see `gap`).
    bytes: [u8; 4],
    len: u8,
    /// U+FFFD: one or two lost bytes.
    gap: bool,
}

/// What [`parse`] made of a run of units.
struct Parsed {
    /// The unit after the run.
    end: usize,
    outs: Vec<Out>,
    /// How many silently dropped pairs it assumed (see [`dropped_pair_at`]).
    dropped: usize,
}

#[derive(Clone, Debug, PartialEq)]
enum Out {
    Known(char),
    /// Partly lost: what the surviving bytes allow.
    Candidates(Vec<char>),
    Lost,
}

/// A character being decoded: its bytes so far (`None` = lost).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Pending {
    bytes: [Option<u8>; 4],
    have: usize,
    need: usize,
    /// Its last byte went with a silently dropped pair (see [`dropped_pair_at`]): it was
    /// AA–AF, and the character is Chinese.
    dropped: bool,
}

impl Pending {
    fn new(lead: Option<u8>, need: usize) -> Pending {
        Pending {
            bytes: [lead, None, None, None],
            have: 1,
            need,
            dropped: false,
        }
    }

    fn push(&mut self, b: Option<u8>) {
        self.bytes[self.have] = b;
        self.have += 1;
    }

    fn done(&self) -> bool {
        self.have == self.need
    }

    fn resolve(&self) -> Option<Out> {
        let bytes = &self.bytes[..self.need];
        let mut holes = [0usize; 4];
        let mut n_holes = 0;
        for (k, b) in bytes.iter().enumerate() {
            if b.is_none() {
                holes[n_holes] = k;
                n_holes += 1;
            }
        }
        if n_holes == 0 {
            let mut seq = [0u8; 4];
            for (slot, b) in seq.iter_mut().zip(bytes) {
                *slot = b.expect("known");
            }
            let c = std::str::from_utf8(&seq[..self.need])
                .ok()?
                .chars()
                .next()?;
            return Some(Out::Known(c));
        }
        if n_holes > 2 {
            return Some(Out::Lost);
        }
        // The same partly lost character comes back in every span that reads over it, and
        // damaged text loses the same bytes of the same characters again and again.
        thread_local! {
            static KNOWN: RefCell<score::ShortKeyMap<Pending, Vec<char>>> = RefCell::default();
        }
        let candidates = KNOWN.with_borrow_mut(|known| {
            if known.len() >= MAX_KNOWN_PARTLY_LOST {
                known.clear();
            }
            known
                .entry(*self)
                .or_insert_with(|| self.candidates(&holes[..n_holes]))
                .clone()
        });
        Some(if candidates.is_empty() {
            Out::Lost
        } else {
            Out::Candidates(candidates)
        })
    }

    /// What the character may be with the bytes at `holes` (one or two) lost.
    fn candidates(&self, holes: &[usize]) -> Vec<char> {
        let bytes = &self.bytes[..self.need];
        if holes.len() == 2 {
            // Two bytes lost: only common characters and punctuation compete (thousands of
            // rare ones would otherwise), from lists made once.
            let candidates: Vec<char> = if self.need == 3 {
                let leads = match bytes[0] {
                    Some(lead) => lead..=lead,
                    None => COMMON_THREE_BYTE_LEADS,
                };
                leads
                    .flat_map(common_three_byte)
                    .filter(|(_, seq)| {
                        bytes
                            .iter()
                            .zip(seq)
                            .all(|(b, &s)| b.is_none_or(|b| b == s))
                            && (!self.dropped || private_use_pair(seq[holes[0]], seq[holes[1]]))
                    })
                    .map(|&(c, _)| c)
                    .filter(|&c| !self.dropped || script(c) == Script::Han)
                    .collect()
            } else {
                Vec::new()
            };
            return candidates;
        }
        let hole = holes[0];
        // A lost lead is one of CJK text's (E2–E9, EF); a lost last byte with a dropped pair
        // one of DROPPED_LAST_BYTES; any other lost byte a continuation byte.
        let lost_lead = (hole == 0).then_some((0xe2..=0xe9).chain([0xef]));
        let dropped_last = (hole != 0 && self.dropped).then_some(DROPPED_LAST_BYTES);
        let continuation = (hole != 0 && !self.dropped).then_some(0x80..=0xbf);
        let values = lost_lead
            .into_iter()
            .flatten()
            .chain(dropped_last.into_iter().flatten())
            .chain(continuation.into_iter().flatten());
        let mut candidates: Vec<char> = Vec::new();
        let mut seq = [0u8; 4];
        for (slot, b) in seq.iter_mut().zip(bytes) {
            *slot = b.unwrap_or(0);
        }
        for v in values {
            seq[hole] = v;
            let Some(c) = std::str::from_utf8(&seq[..self.need])
                .ok()
                .and_then(|s| s.chars().next())
            else {
                continue;
            };
            if is_candidate(c) && (!self.dropped || script(c) == Script::Han) {
                candidates.push(c);
            }
        }
        candidates
    }
}

/// How many partly lost characters [`Pending::resolve`] remembers before it starts over (a
/// bound on memory for text that loses bytes of ever new characters).
const MAX_KNOWN_PARTLY_LOST: usize = 4096;

/// The punctuation Chinese uses, as far as [`is_candidate`] goes.
fn is_candidate_punctuation(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303f | 0xff01..=0xff5e)
        || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

/// A character with two of its three bytes lost is guessed only among characters at most
/// this dear (about the 1,500 most common) and punctuation: `城。` from `鍩庛��`.
const TWO_HOLES_MAX_COST: f32 = 8.5;

/// What a partly lost character may be: CJK text or the punctuation Chinese uses.
fn is_candidate(c: char) -> bool {
    is_candidate_punctuation(c)
        || (matches!(script(c), Script::Han | Script::Kana | Script::Hangul)
            && kind(c) == Kind::Common)
}

/// The three-byte characters a character with two lost bytes may be (see
/// `TWO_HOLES_MAX_COST`) whose UTF-8 begins with `lead` (E2–EF), made once a lead: a character
/// whose lead survived needs only its own lead's list, and each list costs a look-up in the
/// model for each of 4,096 code points.
fn common_three_byte(lead: u8) -> &'static [ThreeByte] {
    const LEADS: usize =
        (*COMMON_THREE_BYTE_LEADS.end() - *COMMON_THREE_BYTE_LEADS.start()) as usize + 1;
    static LISTS: [OnceLock<Vec<ThreeByte>>; LEADS] = [const { OnceLock::new() }; LEADS];
    let Some(k) = COMMON_THREE_BYTE_LEADS.clone().position(|l| l == lead) else {
        return &[];
    };
    LISTS[k].get_or_init(|| {
        let first = u32::from(lead & 0x0f) << 12;
        (first..first + 0x1000)
            .filter_map(char::from_u32)
            .filter(|&c| {
                // A candidate outside the punctuation is a letter, which must be in the model
                // to be cheap enough (a character it does not know costs more): the model's
                // look-up comes first, since the Unicode property look-ups of `is_candidate`
                // are slow outside the ideographs.
                const { assert!(lm::UNKNOWN_CHAR_COST > TWO_HOLES_MAX_COST) };
                if is_candidate_punctuation(c) {
                    return !c.is_alphanumeric() || lm::char_cost(c) <= TWO_HOLES_MAX_COST;
                }
                lm::char_cost(c) <= TWO_HOLES_MAX_COST && is_candidate(c) && c.is_alphanumeric()
            })
            .map(|c| {
                let mut seq = [0u8; 3];
                c.encode_utf8(&mut seq);
                (c, seq)
            })
            .collect()
    })
}

/// A character and its UTF-8, three bytes.
type ThreeByte = (char, [u8; 3]);

/// The UTF-8 leads of [`common_three_byte`]: U+2000–U+FFFF, the quotes and dashes Chinese
/// uses and everything after.
const COMMON_THREE_BYTE_LEADS: std::ops::RangeInclusive<u8> = 0xe2..=0xef;

fn is_cont(b: u8) -> bool {
    (0x80..=0xbf).contains(&b)
}

fn utf8_len(lead: u8) -> Option<usize> {
    match lead {
        0x00..=0x7f => Some(1),
        0xc2..=0xdf => Some(2),
        0xe0..=0xef => Some(3),
        0xf0..=0xf4 => Some(4),
        _ => None,
    }
}

/// Decodes units from `start` as UTF-8; returns the end of the longest prefix that ends on
/// both a unit and a character boundary, and the characters up to it.
///
/// With `dropped_pairs` (GBK), a byte pair the first decoder dropped without a trace is
/// allowed between two units (see [`dropped_pair_at`]).
fn parse(units: &[Unit], start: usize, dropped_pairs: bool) -> (Option<Parsed>, bool) {
    let mut out: Vec<Out> = Vec::new();
    // Where (as an index into `out`) a silently dropped pair was assumed.
    let mut dropped_at: Vec<usize> = Vec::new();
    let mut pending: Option<Pending> = None;
    let mut good: Option<(usize, usize)> = None;
    // Whether the parse stopped between two units (not inside one), where a character cut
    // short may end the run.
    let mut stopped_at_unit = true;
    let mut i = start;
    'units: while i < units.len() {
        let u = units[i];
        if u.gap {
            let k = units[i..].iter().take_while(|u| u.gap).count();
            let next = i + k;
            // Continuation bytes right after the gap.
            let c = units[next..]
                .iter()
                .take_while(|u| !u.gap && u.len > 0)
                .flat_map(|u| u.bytes[..u.len as usize].iter().copied())
                .take(4)
                .take_while(|&b| is_cont(b))
                .count();
            let r = pending.map_or(0, |p| p.need - p.have);
            let Some((l, lost, straddle)) = (k..=2 * k)
                .filter_map(|l| gap_fit(l, r, c))
                .min_by_key(|&(l, lost, _)| (lost, l))
            else {
                break;
            };
            if let Some(p) = &mut pending {
                for _ in 0..r.min(l) {
                    p.push(None);
                }
                if p.done() {
                    match p.resolve() {
                        Some(o) => out.push(o),
                        None => break,
                    }
                    pending = None;
                }
            }
            out.extend(std::iter::repeat_n(Out::Lost, lost));
            if straddle > 0 {
                let mut p = Pending::new(None, 3);
                for _ in 1..3 - straddle {
                    p.push(None);
                }
                pending = Some(p);
            }
            i = next;
            if pending.is_none() {
                good = Some((i, out.len()));
            }
            continue;
        }
        if u.len == 0 {
            stopped_at_unit = true;
            break;
        }
        if let Some(missing) = dropped_pairs
            .then(|| dropped_pair_at(pending.as_ref(), &u))
            .flatten()
        {
            let mut p = pending.take().expect("checked");
            p.dropped = true;
            dropped_at.push(out.len());
            for _ in 0..missing {
                p.push(None);
            }
            // The hypothesis must explain the bytes with real characters, not lose one.
            match p.resolve() {
                Some(o @ Out::Candidates(_)) => out.push(o),
                _ => break,
            }
            if missing == 1 {
                // The pair's second byte was the next character's lead.
                pending = Some(Pending::new(None, 3));
            }
        }
        for (n, &b) in u.bytes[..u.len as usize].iter().enumerate() {
            stopped_at_unit = n == 0;
            match &mut pending {
                Some(p) => {
                    if !is_cont(b) {
                        break 'units;
                    }
                    p.push(Some(b));
                    if p.done() {
                        match p.resolve() {
                            Some(o) => out.push(o),
                            None => break 'units,
                        }
                        pending = None;
                    }
                }
                None => match utf8_len(b) {
                    Some(1) => out.push(Out::Known(b as char)),
                    Some(n) => pending = Some(Pending::new(Some(b), n)),
                    None => break 'units,
                },
            }
        }
        i += 1;
        if pending.is_none() {
            good = Some((i, out.len()));
        }
    }
    // The run ends inside a character whose last bytes are simply missing (the line was cut
    // there): guess it like a partly lost one.
    if let Some(mut p) = pending {
        let next_is_not_cjk = units.get(i).is_none_or(|u| u.len == 0 || u.bytes[0] < 0x80);
        // Only after enough decoded text to be worth a guess: guessing costs thousands of
        // candidates, and most parses of clean text end this way.
        let known = out
            .iter()
            .filter(|o| matches!(o, Out::Known(c) if !c.is_ascii()))
            .count();
        let missing = p.need - p.have;
        let worth = (missing == 1 && known >= 1) || (missing == 2 && known >= 2);
        if stopped_at_unit && next_is_not_cjk && worth {
            while !p.done() {
                p.push(None);
            }
            if let Some(o @ Out::Candidates(_)) = p.resolve() {
                out.push(o);
                good = Some((i, out.len()));
            }
        }
    }
    let ran_out = i >= units.len();
    let Some((end, n)) = good else {
        return (None, ran_out);
    };
    out.truncate(n);
    let dropped = dropped_at.iter().filter(|&&at| at < n).count();
    (
        (end > start).then_some(Parsed {
            end,
            outs: out,
            dropped,
        }),
        ran_out,
    )
}

/// Whether a byte pair was dropped silently just before unit `u`: GB18030 decoders map the
/// pairs AAA1–AFFE to private-use characters, which later steps often strip. In UTF-8 read
/// as GBK such a pair is the last byte of one character (AA–AF) and the lead of the next
/// (E0–EF), so what is left is a character one byte short followed by a unit of two
/// continuation bytes: `涓枃` (E4 B8 | 96 87) is 中文 (E4 B8 AD | E6 96 87) without AD E6.
/// Without the pair the parse would fail here anyway, so the hypothesis only extends it.
///
/// The other private-use pairs, A140–A7A0, are two continuation bytes, and so are AAA1–AFBF:
/// a character two bytes short before a unit that starts a new character (`铏藉锛` is 虽多，
/// without A4 9A).
fn dropped_pair_at(pending: Option<&Pending>, u: &Unit) -> Option<usize> {
    let p = pending.filter(|p| p.bytes[0].is_some() && p.need == 3)?;
    match p.need - p.have {
        1 if u.len == 2 && is_cont(u.bytes[0]) && is_cont(u.bytes[1]) => Some(1),
        2 if u.len >= 1 && !is_cont(u.bytes[0]) => Some(2),
        _ => None,
    }
}

/// The values the one lost byte of a character may take when a silently dropped pair (see
/// [`dropped_pair_at`]) was that byte and the next character's lead: GB18030's private-use
/// leads AA–AF.
const DROPPED_LAST_BYTES: std::ops::RangeInclusive<u8> = 0xaa..=0xaf;

/// Whether two lost bytes of a character could have been a GB18030 private-use pair (see
/// [`dropped_pair_at`]): A1–A7 then 80–A0, or AA–AF then A1–BF.
fn private_use_pair(b1: u8, b2: u8) -> bool {
    ((0xa1..=0xa7).contains(&b1) && (0x80..=0xa0).contains(&b2))
        || (DROPPED_LAST_BYTES.contains(&b1) && (0xa1..=0xbf).contains(&b2))
}

/// Whether a gap of `l` lost bytes fits between a character still needing `r` bytes and `c`
/// continuation bytes after the gap, taking the characters inside the gap to be three-byte
/// (CJK) ones. Returns (l, characters lost whole, known continuation bytes of the character
/// the gap ends inside).
fn gap_fit(l: usize, r: usize, c: usize) -> Option<(usize, usize, usize)> {
    if l < r {
        return (c == r - l).then_some((l, 0, 0));
    }
    let rest = l - r;
    match c {
        0 => (rest % 3 == 0).then_some((l, rest / 3, 0)),
        1 | 2 => {
            let open = 3 - c;
            (rest >= open && (rest - open) % 3 == 0).then(|| (l, (rest - open) / 3, c))
        }
        _ => None,
    }
}

/// A span of damaged text is at least this many units, unless it is one character inside a
/// Latin word (`caf茅` → `café`): two CJK characters are three GBK characters.
const MIN_UNITS: usize = 2;

/// A repaired span must have at least this many non-ASCII characters. One is too easily
/// chance: clean `關係` read back as Shift_JIS bytes is E8 90 8C 57, valid UTF-8 for `萌W`.
const MIN_DECODED: usize = 2;

/// At most this many ASCII characters may come out of damaged characters' second bytes, and
/// only in a span of at least `MIN_DECODED_WITH_MERGED` CJK characters (see [`judge`]).
const MAX_MERGED_ASCII: usize = 1;
const MIN_DECODED_WITH_MERGED: usize = 3;

/// At most this share of a repaired span may be lost characters: more, and the "repair" is
/// mostly U+FFFD and says nothing.
const MAX_LOST_SHARE: f32 = 0.5;

/// A rejected span at least this many units long is skipped whole (see `find_utf8_as`).
const SKIP_REJECTED: usize = 6;

/// `Unit::len` of a unit not encoded yet.
const NOT_YET: u8 = u8::MAX;

/// How many units a parse first gets encoded (doubled while the parse runs to the end).
const PARSE_WINDOW: usize = 8;

fn unit(at: usize, ch: char, codec: Cjk) -> Unit {
    let (bytes, len) = if ch == '\u{FFFD}' {
        ([0; 4], 0)
    } else if ch.is_ascii() {
        ([ch as u8, 0, 0, 0], 1)
    } else {
        encode(codec, ch).unwrap_or(([0; 4], 0))
    };
    Unit {
        at,
        ch,
        bytes,
        len,
        gap: ch == '\u{FFFD}',
    }
}

/// Whether a span of `codec` damage may start at `ch` (after `prev`): a lost byte (U+FFFD), a
/// lead pair of the codec, or a non-ASCII character right after an ASCII letter (`caf茅`).
fn is_trigger(prev: Option<char>, ch: char, codec: Cjk) -> bool {
    ch == '\u{FFFD}'
        || is_lead_pair(ch, codec)
        || (!ch.is_ascii() && prev.is_some_and(|p| p.is_ascii_alphabetic()))
}

/// Whether [`parse`] from the unit `u` (encoded, not a gap), followed by `next` (encoded), can
/// get anywhere: the first steps of the parse, without its bookkeeping. It is false only where
/// the parse finds nothing: `u` is no valid start of UTF-8, or it leaves a character open that
/// `next` cannot continue (the usual case on clean text: 以 is E4 CB in EUC-KR, and the Chinese
/// character after it encodes to another lead byte). Whenever a character completes, the parse
/// decides.
fn could_start(u: &Unit, next: Option<&Unit>, dropped_pairs: bool) -> bool {
    let mut need = 0;
    let mut have = 0;
    for &b in &u.bytes[..usize::from(u.len)] {
        if have < need {
            if !is_cont(b) {
                return false;
            }
            have += 1;
            if have == need {
                return true;
            }
        } else {
            match utf8_len(b) {
                Some(1) => return true,
                Some(n) => (need, have) = (n, 1),
                None => return false,
            }
        }
    }
    if need == 0 {
        // `u` could not be encoded.
        return false;
    }
    // A character is open: a lost byte or a continuation byte must follow, or (GBK) a
    // silently dropped pair that was its last two bytes (see [`dropped_pair_at`]).
    next.is_some_and(|n| {
        n.gap || (n.len > 0 && (is_cont(n.bytes[0]) || (dropped_pairs && need == 3 && have == 1)))
    })
}

/// The first character (an index into the characters of `text`) where a span of `codec`
/// damage could start (see [`is_trigger`] and [`could_start`]); `None` on most clean lines,
/// which then cost one pass and no allocation.
fn first_possible_start(text: &str, codec: Cjk) -> Option<usize> {
    let mut prev = None;
    let mut chars = text.char_indices().enumerate().peekable();
    while let Some((k, (at, ch))) = chars.next() {
        if is_trigger(prev, ch, codec) {
            if ch == '\u{FFFD}' {
                return Some(k);
            }
            let next = chars.peek().map(|&(_, (at, ch))| unit(at, ch, codec));
            if could_start(&unit(at, ch, codec), next.as_ref(), codec == Cjk::Gbk) {
                return Some(k);
            }
        }
        prev = Some(ch);
    }
    None
}

pub(super) fn find_utf8_as(text: &str, codecs: u8, out: &mut Vec<Repair>) {
    let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
    for codec in ALL {
        if codecs & codec.bit() == 0 {
            continue;
        }
        let Some(first) = first_possible_start(text, codec) else {
            continue;
        };
        if !may_hold_utf8_as(text, codec) {
            continue;
        }
        // Units are encoded as the search reaches them: most of a line never is.
        let mut units: Vec<Unit> = text
            .char_indices()
            .map(|(at, ch)| Unit {
                at,
                ch,
                bytes: [0; 4],
                len: NOT_YET,
                gap: ch == '\u{FFFD}',
            })
            .collect();
        let mut s = first;
        while s < units.len() {
            let prev = s.checked_sub(1).map(|p| units[p].ch);
            if !is_trigger(prev, units[s].ch, codec) {
                s += 1;
                continue;
            }
            if !units[s].gap {
                let to = (s + 2).min(units.len());
                for u in units[s..to].iter_mut().filter(|u| u.len == NOT_YET) {
                    *u = unit(u.at, u.ch, codec);
                }
                if !could_start(&units[s], units.get(s + 1), codec == Cjk::Gbk) {
                    s += 1;
                    continue;
                }
            }
            let u = units[s];
            // Parse over a window of encoded units, widened while the parse runs to its end.
            let mut window = PARSE_WINDOW;
            let parsed = loop {
                let to = (s + window).min(units.len());
                for u in units[s..to].iter_mut().filter(|u| u.len == NOT_YET) {
                    *u = unit(u.at, u.ch, codec);
                }
                let (parsed, ran_out) = parse(&units[..to], s, codec == Cjk::Gbk);
                if to == units.len() || !ran_out {
                    break parsed;
                }
                window *= 2;
            };
            let Some(Parsed { end, outs, dropped }) = parsed else {
                s += 1;
                continue;
            };
            let range = u.at..units.get(end).map_or(text.len(), |u| u.at);
            if taken
                .iter()
                .any(|t| t.start < range.end && range.start < t.end)
            {
                s = end;
                continue;
            }
            if embedded_in_clean_han(text, &range, &taken, end - s) {
                s += 1;
                continue;
            }
            match judge(text, &units[s..end], outs, dropped, range.clone()) {
                Some((repaired, chosen)) => {
                    taken.push(range.clone());
                    out.push(Repair {
                        range,
                        text: repaired,
                        what: codec.utf8_read_as(),
                        chosen,
                    });
                    s = end;
                }
                // A long span that is not mojibake as a whole is not mojibake from one
                // character later either; skipping it keeps long lines linear.
                None if end - s >= SKIP_REJECTED => s = end,
                None => s += 1,
            }
        }
    }
    out.sort_by_key(|r| r.range.start);
}

/// At most one Hangul syllable in this many may be outside KS X 1001 (see
/// [`score::common_hangul`]).
const MAX_RARE_HANGUL_SHARE_DIVISOR: usize = 4;

/// A span with silently dropped pairs needs this many characters its bytes determine for
/// each pair.
const KNOWN_PER_DROPPED_PAIR: usize = 2;

/// A span shorter than this with Chinese characters right before and after it is left alone
/// (see [`embedded_in_clean_han`]).
const MIN_EMBEDDED_UNITS: usize = 6;

/// Whether a short span touches running Chinese text. Mojibake comes in whole lines or
/// fields, set off from clean text by punctuation, spaces or markup; two or three characters
/// at the edge of a clean phrase are almost always rare but real characters whose bytes
/// happen to decode (`須來對` → `횁팦`, `謾懷離思` → `攜嗣思` in classical poetry).
/// Characters repaired by an earlier span are not clean neighbours.
fn embedded_in_clean_han(
    text: &str,
    range: &std::ops::Range<usize>,
    taken: &[std::ops::Range<usize>],
    units: usize,
) -> bool {
    if units >= MIN_EMBEDDED_UNITS {
        return false;
    }
    let before = text[..range.start]
        .char_indices()
        .next_back()
        .filter(|&(at, _)| !taken.iter().any(|t| t.contains(&at)));
    let after = text[range.end..].chars().next();
    before.is_some_and(|(_, c)| crate::rules::is_han(c)) || after.is_some_and(crate::rules::is_han)
}

/// Decides whether the damaged `units` are mojibake of what `outs` decodes to; returns the
/// repaired text and how many characters the model chose.
fn judge(
    text: &str,
    units: &[Unit],
    outs: Vec<Out>,
    dropped: usize,
    range: std::ops::Range<usize>,
) -> Option<(String, usize)> {
    let damaged = &text[range.clone()];
    let lost = outs.iter().filter(|o| **o == Out::Lost).count();
    if outs.is_empty() || lost as f32 > MAX_LOST_SHARE * outs.len() as f32 {
        return None;
    }
    // The characters the bytes determine must be real ones.
    for o in &outs {
        if let Out::Known(c) = o {
            if kind(*c) != Kind::Common || (c.is_ascii_control() && *c != '\t') {
                return None;
            }
        }
    }
    if units.len() < MIN_UNITS {
        return latin_in_cjk(text, units, &outs, range);
    }
    let decoded_cjk = outs
        .iter()
        .filter(|o| match o {
            Out::Known(c) => !c.is_ascii(),
            _ => true,
        })
        .count();
    if decoded_cjk < MIN_DECODED {
        return None;
    }
    // A dropped pair is a guess the bytes do not force: the span must also have characters
    // they determine (`涓枃缃戠珯` → 中文网站; `涓枃` alone, or the classical `閼伯`, stay).
    let known = outs
        .iter()
        .filter(|o| matches!(o, Out::Known(c) if !c.is_ascii()))
        .count();
    if known < KNOWN_PER_DROPPED_PAIR * dropped {
        return None;
    }
    // ASCII out of the second byte of a damaged character (`關係` → `萌W`): real only where
    // the text had ASCII after CJK, so at most one, in a longer span.
    let merged = units
        .iter()
        .filter(|u| u.len == 2 && u.bytes[0] >= 0x80 && u.bytes[1] < 0x80)
        .count();
    if merged > 0 && (merged > MAX_MERGED_ASCII || decoded_cjk < MIN_DECODED_WITH_MERGED) {
        return None;
    }
    // What the bytes decode to must be CJK text (Hangul only as Korean text, not one
    // syllable among Chinese: `於潁尾` → `춝}β`).
    let mut hangul = 0;
    for o in &outs {
        if let Out::Known(c) = o {
            if c.is_ascii() {
                continue;
            }
            match script(*c) {
                Script::Hangul => hangul += 1,
                _ if is_cjk_text(*c) => {}
                _ => return None,
            }
        }
    }
    if hangul > 0 && 2 * hangul < decoded_cjk {
        return None;
    }
    // Korean text is written with the everyday syllables; rare ones are what other bytes
    // decode to.
    let rare_hangul = outs
        .iter()
        .filter(|o| matches!(o, Out::Known(c) if script(*c) == Script::Hangul && !score::common_hangul(*c)))
        .count();
    if MAX_RARE_HANGUL_SHARE_DIVISOR * rare_hangul > hangul {
        return None;
    }
    let (repaired, chosen) = choose(text, range.clone(), outs);
    if !units.iter().any(|u| !u.ch.is_ascii()) {
        return None;
    }
    score::clearly_better(damaged, &repaired).then_some((repaired, chosen))
}

/// What a span of damaged characters may decode to besides ASCII (see [`judge`]): CJK text
/// and the punctuation it uses.
fn is_cjk_text(c: char) -> bool {
    matches!(script(c), Script::Han | Script::Kana | Script::Hangul)
        || matches!(c as u32, 0x3000..=0x303f | 0xff01..=0xff65 | 0x2010..=0x2027)
}

/// One damaged character inside a Latin word: `caf茅` → `café` (é is C3 A9, 茅 in GBK). Only
/// between ASCII letters, or after one at the end of a word, so that `iPhone茅台` stays.
fn latin_in_cjk(
    text: &str,
    units: &[Unit],
    outs: &[Out],
    range: std::ops::Range<usize>,
) -> Option<(String, usize)> {
    let [Out::Known(c)] = outs else { return None };
    if units.len() != 1 || script(*c) != Script::Latin || c.is_ascii() {
        return None;
    }
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    let ascii_letter = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
    let boundary = |c: Option<char>| c.is_none_or(|c| c.is_ascii() && !c.is_ascii_alphanumeric());
    (ascii_letter(before) && (ascii_letter(after) || boundary(after))).then(|| (c.to_string(), 0))
}

/// How many characters either side of a partly lost one the model looks at when it first
/// ranks that character's candidates on their own.
const CONTEXT_CHARS: usize = 4;

/// How many of each partly lost character's candidates go on to the joint choice, and how
/// many joint readings are kept at each step: `中文字幕` needs 中 and 幕 chosen together (on
/// their own, 不文字 and 中文版有 read better).
const SHORTLIST: usize = 4;
const BEAM: usize = 4;

/// How many of a partly lost character's candidates, the commonest, are ranked in context.
const PREFILTER: usize = 12;

/// Characters either side of a choice that the beam scores it with: enough for a two-word
/// neighbourhood (`中文字幕`: 幕 decides 中 three characters away).
const BEAM_CONTEXT: usize = 6;

/// Turns the decoded characters into text, letting the model choose among the candidates
/// for partly lost characters; a lost character becomes one U+FFFD.
fn choose(text: &str, range: std::ops::Range<usize>, outs: Vec<Out>) -> (String, usize) {
    let before: String = {
        let mut b: Vec<char> = text[..range.start]
            .chars()
            .rev()
            .take(CONTEXT_CHARS)
            .collect();
        b.reverse();
        b.into_iter().collect()
    };
    let after: String = text[range.end..].chars().take(CONTEXT_CHARS).collect();
    let base: Vec<char> = outs
        .iter()
        .map(|o| match o {
            Out::Known(c) => *c,
            _ => '\u{FFFD}',
        })
        .collect();
    // Both steps ask about windows that often blank to the same text (see [`score::Memo`]).
    let mut memo = score::Memo::of_this_thread();
    // The cost of `window`, the characters `from..to` of a reading, with the context on
    // either side when it reaches the end.
    let window_cost = |memo: &mut score::Memo, window: &[char], from: usize, to: usize| -> f32 {
        let head = if from == 0 { before.as_str() } else { "" };
        let tail = if to == base.len() { after.as_str() } else { "" };
        memo.cost(
            head.chars()
                .chain(window.iter().copied())
                .chain(tail.chars()),
        )
    };
    // Each window is assembled here, over the last one.
    let mut window: Vec<char> = Vec::new();
    // Each partly lost character's shortlist, ranked in a window on its own.
    let mut slots: Vec<(usize, Vec<char>)> = Vec::new();
    for (k, o) in outs.iter().enumerate() {
        let Out::Candidates(candidates) = o else {
            continue;
        };
        let from = k.saturating_sub(CONTEXT_CHARS);
        let to = (k + 1 + CONTEXT_CHARS).min(base.len());
        // The cheapest characters first (a window costs a segmentation each).
        let mut cheapest: Vec<char> = candidates.clone();
        if cheapest.len() > PREFILTER {
            cheapest.sort_by_cached_key(|&c| (memo.char_cost(c) * 1000.0) as i32);
            cheapest.truncate(PREFILTER);
        }
        window.clear();
        window.extend_from_slice(&base[from..to]);
        let mut ranked: Vec<(f32, char)> = cheapest
            .iter()
            .map(|&c| {
                window[k - from] = c;
                (window_cost(&mut memo, &window, from, to), c)
            })
            .collect();
        ranked.sort_by(|a, b| a.0.total_cmp(&b.0));
        slots.push((k, ranked.into_iter().take(SHORTLIST).map(|x| x.1).collect()));
    }
    // Then a beam over the shortlists: a reading's score is the sum, over its choices so
    // far, of the cost of a window around each (so that long lines cost linear time). A
    // reading is its last choice and the reading of the step before that it extends, so
    // that none is copied.
    struct Reading {
        score: f32,
        choice: char,
        /// Index in the step before.
        extends: usize,
    }
    let mut steps: Vec<Vec<Reading>> = Vec::with_capacity(slots.len());
    // The characters of the reading `at` of step `step` that were chosen from `from` on,
    // written into the window that begins there.
    let write_choices =
        |steps: &[Vec<Reading>], window: &mut [char], from: usize, step: usize, at: usize| {
            let (mut step, mut at) = (step, at);
            while let Some(&(k, _)) = slots.get(step).filter(|(k, _)| *k >= from) {
                let reading = &steps[step][at];
                window[k - from] = reading.choice;
                if step == 0 {
                    break;
                }
                (step, at) = (step - 1, reading.extends);
            }
        };
    for (step, (k, shortlist)) in slots.iter().enumerate() {
        let from = k.saturating_sub(BEAM_CONTEXT);
        let to = (k + 1 + BEAM_CONTEXT).min(base.len());
        let extended = if step == 0 { 1 } else { steps[step - 1].len() };
        let mut next: Vec<Reading> = Vec::new();
        for at in 0..extended {
            window.clear();
            window.extend_from_slice(&base[from..to]);
            let score = match step {
                0 => 0.0,
                _ => {
                    write_choices(&steps, &mut window, from, step - 1, at);
                    steps[step - 1][at].score
                }
            };
            for &c in shortlist {
                window[k - from] = c;
                next.push(Reading {
                    score: score + window_cost(&mut memo, &window, from, to),
                    choice: c,
                    extends: at,
                });
            }
        }
        next.sort_by(|a, b| a.score.total_cmp(&b.score));
        next.truncate(BEAM);
        steps.push(next);
    }
    let mut best = base;
    if steps.last().is_some_and(|last| !last.is_empty()) {
        write_choices(&steps, &mut best, 0, steps.len() - 1, 0);
    }
    (best.into_iter().collect(), slots.len())
}

// ---------------------------------------------------------------------------------------
// GBK, Big5 and Shift_JIS read as Latin-1.

/// A run read as Latin-1 must decode to at least this many CJK characters: one could be
/// chance (`ÇÃ` in `AÇÃO` is a GBK character).
const MIN_LEGACY_CHARS: usize = 2;

/// And must have at least this many non-ASCII characters: `ÄãºÃ` (你好) has four; European
/// words almost never have four in a row.
const MIN_HIGH_CHARS: usize = 4;

/// The repaired text's average cost a character must be at most this (the damaged text is
/// Latin-1 and the model cannot judge it, so the repair must look like ordinary Chinese on
/// its own). Common simplified text costs 4–8 a character; random byte pairs decoded as GBK
/// cost 12–20.
const MAX_LEGACY_AVERAGE: f32 = 11.0;

/// The same for Big5 and Shift_JIS: the model is simplified Chinese, so traditional and
/// Japanese characters (`鄒`, `際`, `権`) cost 15–20 in it. Set by the Big5 and Shift_JIS
/// fixtures (averages 11–13) against the junk the other codecs make of the same bytes.
const MAX_LEGACY_AVERAGE_OTHER: f32 = 14.0;

pub(super) fn find_legacy_as_latin1(text: &str, out: &mut Vec<Repair>) {
    let units: Vec<(usize, char, Option<u8>)> = text
        .char_indices()
        .map(|(at, c)| (at, c, Sbcs::Latin1.encode(c)))
        .collect();
    let mut i = 0;
    while i < units.len() {
        let high = |k: usize| units.get(k).and_then(|u| u.2).is_some_and(|b| b >= 0x81);
        if !high(i) {
            i += 1;
            continue;
        }
        let mut best: Option<(usize, String, Cjk, f32)> = None;
        let mut tried_end = i + 1;
        for codec in [Cjk::Gbk, Cjk::Big5, Cjk::ShiftJis] {
            let (end, decoded) = legacy_run(&units, i, codec);
            tried_end = tried_end.max(end);
            let n = decoded.chars().count();
            let highs = units[i..end]
                .iter()
                .filter(|u| u.2.is_some_and(|b| b >= 0x80))
                .count();
            if n < MIN_LEGACY_CHARS
                || highs < MIN_HIGH_CHARS
                || !unlike_latin(&units[i..end])
                || repeats_a_character(&units[i..end])
            {
                continue;
            }
            // Kana: everywhere in Japanese, nowhere in Chinese text.
            let kana = decoded
                .chars()
                .filter(|&c| script(c) == Script::Kana)
                .count();
            if kana > 0 && codec != Cjk::ShiftJis {
                continue;
            }
            if codec == Cjk::ShiftJis && too_many_level2_kanji(&units[i..end]) {
                continue;
            }
            let symbols = units[i..end]
                .iter()
                .any(|u| !u.1.is_ascii() && !u.1.is_alphabetic());
            let mut average = score::average_cost(&decoded);
            if codec == Cjk::ShiftJis && kana == 0 {
                // Japanese without kana is rare; Chinese read as Shift_JIS bytes is junk.
                average += SHIFT_JIS_WITHOUT_KANA;
            }
            if !symbols && average > MAX_LEGACY_AVERAGE_LETTERS {
                continue;
            }
            let limit = match codec {
                Cjk::Gbk => MAX_LEGACY_AVERAGE,
                _ => MAX_LEGACY_AVERAGE_OTHER,
            };
            if average > limit {
                continue;
            }
            let better = match &best {
                None => true,
                Some((e, _, _, a)) => end > *e || (end == *e && average < *a),
            };
            if better {
                best = Some((end, decoded, codec, average));
            }
        }
        match best {
            Some((end, decoded, codec, _)) => {
                let range = units[i].0..units.get(end).map_or(text.len(), |u| u.0);
                let c1 = units[i..end]
                    .iter()
                    .any(|u| (0x80..=0x9f).contains(&(u.1 as u32)));
                out.push(Repair {
                    range,
                    text: decoded,
                    what: codec.read_as_latin1(c1),
                    chosen: 0,
                });
                i = end;
            }
            None => {
                // Both alignments of a run have been tried once its second unit has: go on
                // after the run (keeps long lines linear).
                let run_start = i == 0 || !high(i - 1);
                i = if run_start {
                    i + 1
                } else {
                    (i + 1).max(tried_end)
                };
            }
        }
    }
}

/// Shift_JIS decodes without a single kana are this much dearer a character.
const SHIFT_JIS_WITHOUT_KANA: f32 = 2.0;

/// A run made only of letters (`ÄãÃÇ`, 你们) must decode to common characters: letters-only
/// runs are also what real accented text looks like (`ÇçÑñ`, `ÆæØøÅå` in a font sample
/// decode to 晴疡 and 奇伉佩 at 11–12 a character).
const MAX_LEGACY_AVERAGE_LETTERS: f32 = 8.0;

/// JIS level 2 kanji (Shift_JIS lead bytes 99–9F and E0–EA) are the rare ones: running
/// Japanese has one or two in a hundred, while Latin letters read as Shift_JIS (`à`–`ê` are
/// E0–EA) give nothing else (`繙偵ユ罎`, `ぎ蝪繧筮繝窶壹や` from ftfy's "hopeless garble").
/// `pairs` are the units that decoded, two a character.
fn too_many_level2_kanji(pairs: &[(usize, char, Option<u8>)]) -> bool {
    let level2 = pairs
        .chunks(2)
        .filter(|pair| matches!(pair[0].2, Some(0x99..=0x9f | 0xe0..=0xea)))
        .count();
    level2 * MAX_LEVEL2_SHARE_DIVISOR > pairs.len() / 2
}

/// At most one character in this many may be a level 2 kanji.
const MAX_LEVEL2_SHARE_DIVISOR: usize = 4;

/// Whether a Latin-1 run is unlike any European word: it has a symbol (`º`, `±`, `¶`, which
/// GBK lead bytes B0–BF and trail bytes A1–BF read as) or a capital right after a small
/// letter (`ãÃ`). `ÀÉÎÕ` (capitals only) has neither.
fn unlike_latin(units: &[(usize, char, Option<u8>)]) -> bool {
    units
        .iter()
        .any(|u| !u.1.is_ascii() && !u.1.is_alphabetic())
        || units
            .windows(2)
            .any(|w| w[0].1.is_lowercase() && w[1].1.is_uppercase())
}

/// Whether a Latin-1 run has one character four times in a row: two identical characters
/// whose two bytes are also identical, which no legacy CJK text has, while padding and garble
/// do (`ÂÂÂÂÂÂÂ¹` is not `舊舊舊繒`).
fn repeats_a_character(units: &[(usize, char, Option<u8>)]) -> bool {
    units.windows(4).any(|w| w.iter().all(|u| u.1 == w[0].1))
}

/// Decodes byte pairs from unit `start` with `codec` while they give CJK characters; returns
/// the end unit and the text.
fn legacy_run(units: &[(usize, char, Option<u8>)], start: usize, codec: Cjk) -> (usize, String) {
    let mut decoded = String::new();
    let mut k = start;
    while k + 1 < units.len() {
        let (Some(lead), Some(trail)) = (units[k].2, units[k + 1].2) else {
            break;
        };
        if lead < 0x81 || !(0x40..=0xfe).contains(&trail) || trail == 0x7f {
            break;
        }
        let Some(c) = decode_pair(codec, [lead, trail]) else {
            break;
        };
        let cjk = matches!(script(c), Script::Han | Script::Kana)
            || matches!(c as u32, 0x3000..=0x303f | 0xff01..=0xff5e | 0x2014 | 0x2018..=0x201d | 0x2026);
        if !cjk || kind(c) != Kind::Common {
            break;
        }
        decoded.push(c);
        k += 2;
    }
    (k, decoded)
}

// ---------------------------------------------------------------------------------------
// Garbage.

/// A run of the same uninitialised-memory character must be at least this long: 烫 and 屯
/// are real characters (`屯警一线`, `烫发`), and `烫烫` could be a word in a children's
/// book; three in a row is MSVC's 0xCC/0xCD fill.
const MIN_FILL_RUN: usize = 3;

pub(super) fn find_garbage(text: &str, out: &mut Vec<Repair>) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (at, c) = chars[k];
        let rest = &text[at..];
        if rest.starts_with("锟斤拷") {
            // EF BF BD EF BF BD (two U+FFFD in UTF-8) read as GBK: two lost characters a time.
            let mut end = k;
            let mut n = 0;
            while text[chars.get(end).map_or(text.len(), |c| c.0)..].starts_with("锟斤拷") {
                end += 3;
                n += 2;
            }
            out.push(Repair {
                range: at..chars.get(end).map_or(text.len(), |c| c.0),
                text: "\u{FFFD}".repeat(n),
                what: "lost characters: U+FFFD read as gbk (锟斤拷)",
                chosen: 0,
            });
            k = end;
            continue;
        }
        if c == '烫' || c == '屯' {
            let run = chars[k..].iter().take_while(|x| x.1 == c).count();
            if run >= MIN_FILL_RUN {
                let end = chars.get(k + run).map_or(text.len(), |c| c.0);
                out.push(Repair {
                    range: at..end,
                    text: "\u{FFFD}".repeat(run),
                    what: if c == '烫' {
                        "uninitialised memory: 0xCC read as gbk (烫烫烫)"
                    } else {
                        "uninitialised memory: 0xCD read as gbk (屯屯屯)"
                    },
                    chosen: 0,
                });
                k += run;
                continue;
            }
        }
        k += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repair_utf8(text: &str) -> String {
        let mut repairs = Vec::new();
        find_utf8_as(text, gate(text).utf8_as, &mut repairs);
        super::super::apply_repairs(text, &repairs)
    }

    /// The build-time pairs are what encoding_rs decodes now, for every pair of every codec:
    /// a pair outside the table's ranges, or one that is not exactly one character, is none.
    /// The build-time codes are the pairs read backwards: a character that one pair decodes to
    /// has that pair, one that several pairs decode to has the pair encoding_rs's encoder
    /// writes (or none), and any other character has none.
    #[test]
    fn codes_are_the_pairs_read_backwards() {
        for codec in ALL {
            let mut pairs_of: std::collections::HashMap<u32, Vec<u16>> = Default::default();
            for (pair, c) in decoded_pairs(codec, 0x81..=0xfe, 0x40..=0xfe) {
                pairs_of
                    .entry(c as u32)
                    .or_default()
                    .push(u16::from_be_bytes(pair));
            }
            for code in 0..0x10000u32 {
                let expected = match pairs_of.get(&code) {
                    Some(_) if code < 0x80 => 0,
                    None => 0,
                    Some(pairs) if pairs.len() == 1 => pairs[0],
                    Some(_) => {
                        let c = char::from_u32(code).unwrap();
                        let mut out = [0u8; 4];
                        let (result, _, written) = codec
                            .encoding()
                            .new_encoder()
                            .encode_from_utf8_without_replacement(
                                c.encode_utf8(&mut [0u8; 4]),
                                &mut out,
                                true,
                            );
                        match (result, written) {
                            (encoding_rs::EncoderResult::InputEmpty, 2) => {
                                u16::from_be_bytes([out[0], out[1]])
                            }
                            _ => 0,
                        }
                    }
                };
                assert_eq!(pair_code(codec, code), expected, "{codec:?} U+{code:04X}");
            }
        }
    }

    #[test]
    fn pairs_decoded_at_build_time_match_encoding_rs() {
        for codec in ALL {
            for lead in 0x00u8..=0xff {
                for trail in 0x00u8..=0xff {
                    let mut decoder = codec.encoding().new_decoder_without_bom_handling();
                    let mut out = [0u8; 16];
                    let (result, _, written) =
                        decoder.decode_to_utf8_without_replacement(&[lead, trail], &mut out, true);
                    let mut chars = std::str::from_utf8(&out[..written]).unwrap().chars();
                    let expected = match (result, chars.next(), chars.next()) {
                        (encoding_rs::DecoderResult::InputEmpty, Some(c), None)
                            if lead >= 0x80 && trail >= 0x40 =>
                        {
                            Some(c)
                        }
                        _ => None,
                    };
                    assert_eq!(
                        decode_pair(codec, [lead, trail]),
                        expected,
                        "{codec:?} {lead:02X} {trail:02X}"
                    );
                }
            }
        }
    }

    #[test]
    fn lead_pairs_cover_the_common_damage() {
        let g = gate("浣犲ソ");
        assert!(g.utf8_as & Cjk::Gbk.bit() != 0);
        assert!(gate("鍙戝竷").utf8_as & Cjk::Gbk.bit() != 0);
        assert_eq!(gate("中文，你好。").utf8_as & Cjk::Gbk.bit(), 0);
    }

    #[test]
    fn gate_bits_are_the_codecs() {
        let table = char_bits();
        for code in 0x80..0x2600u32 {
            let c = char::from_u32(code).expect("below the surrogates");
            let high = char_bits_of(table, code) & LATIN1_HIGH != 0;
            assert_eq!(high, Sbcs::Latin1.encode(c).is_some(), "{c:?}");
        }
        for c in ['锟', '烫', '屯'] {
            assert!(gate(&format!("中{c}文")).garbage);
        }
        assert!(!gate("中文，你好。").garbage);
        assert!(gate("ÄãºÃ").legacy_as_latin1 && !gate("Ä ã").legacy_as_latin1);
    }

    /// The table's start classes are `could_start`, for every non-ASCII character of the BMP,
    /// every codec and every kind of unit that may follow (`could_start` looks at no more of
    /// the next unit than whether it is a lost byte, encodable, and begins with a continuation
    /// byte).
    #[test]
    fn start_classes_are_could_start() {
        let table = char_bits();
        let unit_of = |bytes: [u8; 4], len: u8| Unit {
            at: 0,
            ch: '?',
            bytes,
            len,
            gap: false,
        };
        // Each possible next unit, and whether it is a lost byte or begins with a
        // continuation byte.
        let next_units = [
            (unit(0, '\u{FFFD}', Cjk::Gbk), true),
            (unit(0, 'A', Cjk::Gbk), false),
            (unit_of([0xe4, 0xb8, 0, 0], 2), false),
            (unit_of([0, 0, 0, 0], 0), false),
            (unit_of([0x80, 0x41, 0, 0], 2), true),
            (unit_of([0xbf, 0, 0, 0], 1), true),
        ];
        for code in 0x80u32..0x10000 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let bits = char_bits_of(table, code);
            assert!(bits & STARTS & (bits & OPENS) >> (OPENS_SHIFT - STARTS_SHIFT) == 0);
            for codec in ALL {
                let u = unit(0, c, codec);
                let lane = u32::from(codec.bit());
                assert_eq!(
                    bits & (lane << CONT_FIRST_SHIFT) != 0,
                    u.len > 0 && is_cont(u.bytes[0]),
                    "{codec:?} {c:?}"
                );
                let starts = bits & (lane << STARTS_SHIFT) != 0;
                let opens = bits & (lane << OPENS_SHIFT) != 0;
                assert_eq!(starts, could_start(&u, None, codec == Cjk::Gbk));
                for (next, continues) in &next_units {
                    let expected = could_start(&u, Some(next), codec == Cjk::Gbk);
                    assert_eq!(starts || (opens && *continues), expected, "{codec:?} {c:?}");
                }
            }
        }
        let cont_first = |c: char| (char_bits_of(table, c as u32) & CONT_FIRST) >> CONT_FIRST_SHIFT;
        // 中 is D6 D0 in GBK, 92 86 in Shift_JIS, A4 A4 in Big5.
        assert_eq!(
            cont_first('中'),
            u32::from(Cjk::ShiftJis.bit() | Cjk::Big5.bit())
        );
    }

    /// Characters the gate tests combine into runs: real mojibake of each codec, clean
    /// Chinese and Japanese, Latin letters, ASCII and a lost byte.
    const GATE_POOL: &str = "浣犲ソ锛屼笘鐣鍙戝竷涓枃縺ゅｯ以自我中文，。茅éÃa 1\u{FFFD}";

    /// The gate lets a codec through exactly where a lead pair from U+3000 on occurs and
    /// `first_possible_start` finds a start, so `find_utf8_as` never misses a line it would
    /// repair.
    #[test]
    fn gate_is_first_possible_start() {
        let pool: Vec<char> = GATE_POOL.chars().collect();
        let mut texts = test_lines();
        for &a in &pool {
            for &b in &pool {
                for &c in &pool {
                    let run: String = [a, b, c].iter().collect();
                    texts.push(format!("x{run}y"));
                    texts.push(format!("以{run}"));
                    texts.push(run);
                }
            }
        }
        texts.push("在“outFiles”属性中调整glob模式，以包含生成的JavaScript。".into());
        texts.push("当然，当一个AI模型训练好之后".into());
        let (mut passed, mut turned_away) = (0, 0);
        for text in &texts {
            let gate = gate(text);
            for codec in ALL {
                let lead_pair = text
                    .chars()
                    .any(|c| c as u32 >= 0x3000 && is_lead_pair(c, codec));
                let expected = lead_pair && first_possible_start(text, codec).is_some();
                let passes = gate.utf8_as & codec.bit() != 0;
                assert_eq!(passes, expected, "{codec:?} {text:?}");
                passed += usize::from(passes);
                turned_away += usize::from(lead_pair && !passes);
            }
        }
        assert!(passed > 0 && turned_away > 0);
    }

    /// `could_start` may only turn away a start where the parse finds nothing: checked on
    /// every run of three characters from real mojibake of each codec, clean text, Latin
    /// letters, ASCII and U+FFFD.
    #[test]
    fn could_start_turns_away_only_failed_parses() {
        let pool: Vec<char> = "浣犲ソ锛屼笘鐣鍙戝竷涓枃縺ゅｯ以自我中文，。éÃa \u{FFFD}"
            .chars()
            .collect();
        let mut turned_away = 0;
        for codec in ALL {
            let dropped_pairs = codec == Cjk::Gbk;
            for &a in &pool {
                for &b in &pool {
                    for &c in &pool {
                        let text: String = [a, b, c].iter().collect();
                        let units: Vec<Unit> = text
                            .char_indices()
                            .map(|(at, ch)| unit(at, ch, codec))
                            .collect();
                        for s in 0..units.len() {
                            if units[s].gap
                                || could_start(&units[s], units.get(s + 1), dropped_pairs)
                            {
                                continue;
                            }
                            turned_away += 1;
                            assert!(
                                parse(&units, s, dropped_pairs).0.is_none(),
                                "{codec:?} {text:?} from {s}"
                            );
                        }
                    }
                }
            }
        }
        assert!(turned_away > 0);
    }

    /// The lines the tests and fixtures use, damaged and clean, one a line.
    fn test_lines() -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/mojibake");
        let mut lines: Vec<String> = Vec::new();
        for line in std::fs::read_to_string(dir.join("cjk.jsonl"))
            .expect("fixture")
            .lines()
        {
            let case: serde_json::Value = serde_json::from_str(line).expect("JSON");
            for key in ["input", "expected"] {
                if let Some(text) = case[key].as_str() {
                    lines.push(text.to_string());
                }
            }
        }
        let negatives = std::fs::read_to_string(dir.join("negatives.txt")).expect("fixture");
        lines.extend(negatives.lines().map(str::to_string));
        lines
    }

    /// `may_hold_utf8_as` may only turn away a line where `find_utf8_as` repairs nothing:
    /// checked on the fixtures, on every run of four characters from real mojibake of each
    /// codec, clean text, Latin letters, ASCII and U+FFFD, and on those runs inside clean text.
    #[test]
    fn the_gate_lets_through_every_repair() {
        let pool: Vec<char> = GATE_POOL.chars().collect();
        let mut texts = test_lines();
        for &a in &pool {
            for &b in &pool {
                for &c in &pool {
                    for &d in &pool {
                        let run: String = [a, b, c, d].iter().collect();
                        texts.push(format!("x{run}y"));
                        texts.push(run);
                    }
                }
            }
        }
        let mut repaired = 0;
        let mut turned_away = 0;
        for text in &texts {
            for codec in ALL {
                let mut out = Vec::new();
                find_utf8_as(text, codec.bit(), &mut out);
                let may = may_hold_utf8_as(text, codec);
                if !out.is_empty() {
                    repaired += 1;
                    assert!(may, "{codec:?} {text:?}");
                }
                turned_away += usize::from(!may);
            }
        }
        assert!(repaired > 0 && turned_away > 0);
        // Clean Chinese whose characters are lead pairs of EUC-KR and Shift_JIS.
        for line in ["我看着网上的搞笑的段子，笑出了声。", "关关雎鸠，在河之洲。"]
        {
            for codec in ALL {
                assert!(!may_hold_utf8_as(line, codec), "{codec:?} {line}");
            }
        }
    }

    /// What `Reading` takes for granted.
    #[test]
    fn two_byte_characters_are_not_cjk_text() {
        let cjk: Vec<char> = ('\u{80}'..='\u{7ff}').filter(|&c| is_cjk_text(c)).collect();
        assert!(cjk.is_empty(), "{cjk:?}");
    }

    #[test]
    fn common_three_byte_is_what_it_says() {
        let plain: Vec<char> = (0x2000u32..0x10000)
            .filter_map(char::from_u32)
            .filter(|&c| {
                is_candidate(c) && (!c.is_alphanumeric() || lm::char_cost(c) <= TWO_HOLES_MAX_COST)
            })
            .collect();
        let listed: Vec<char> = COMMON_THREE_BYTE_LEADS
            .flat_map(common_three_byte)
            .map(|&(c, _)| c)
            .collect();
        assert!(common_three_byte(0xe1).is_empty() && common_three_byte(b'a').is_empty());
        assert_eq!(listed, plain);
    }

    #[test]
    fn utf8_as_gbk() {
        assert_eq!(repair_utf8("浣犲ソ"), "你好");
        assert_eq!(repair_utf8("鍙戝竷"), "发布");
        assert_eq!(repair_utf8("涓�鏂囧瓧骞�"), "中文字幕");
        assert_eq!(repair_utf8("浣熊和涓涓细流"), "浣熊和涓涓细流");
    }

    #[test]
    fn gap_fits() {
        assert_eq!(gap_fit(1, 1, 0), Some((1, 0, 0)));
        assert_eq!(gap_fit(2, 1, 0), None);
        assert_eq!(gap_fit(1, 0, 2), Some((1, 0, 2)));
        assert_eq!(gap_fit(4, 1, 0), Some((4, 1, 0)));
    }
}
