//! UTF-8 read as a single-byte codec: `Ã©` → `é`, `â€™` → `’`, `Ð±` → `б`, `√©` → `é`.
//!
//! For each codec that could explain the line, the line is re-encoded with that codec and the
//! bytes are searched for UTF-8 sequences (a lead byte and its continuation bytes). Each such
//! *token* is scored: evidence that the characters are mojibake (a C1 control, a symbol inside
//! a word, a capital after a small letter, a three-byte sequence, a typical lead such as `Ã`)
//! minus evidence that the decoded character does not belong (a control, an IPA letter, a
//! lone Hangul syllable after a Latin letter, a small letter inside an all-capitals word). A
//! token with enough evidence of its own is repaired; once a line has one, the other tokens of
//! the same codec need only not look worse decoded. The codec with the most evidence wins the
//! line; another codec (a second layer, `Г‚ВЈ` → `Â£` → `£`) gets its turn in the next round.

use std::ops::Range;

use super::chars::{combining, is_space, kind, script, Kind, Script};
use super::codecs::{self, c1_as_1252, common_latin, Sbcs};
use super::Repair;

/// A token with at least this score is repaired on its own evidence. Set by `NicolÃ¡s` (a
/// capital after a small letter and a symbol inside the word: 2 + 3) against `a radius of 10
/// Å—` and `NICIODATĂ™` (a letter followed by a symbol at the end of a word: 0), and
/// `OÃ™ ET QUAND?` (typical lead Ã: 2).
const STRONG: i32 = 2;

/// Once a line has a strong token, the other tokens of the same codec are repaired when their
/// score is at least this: `Ã€ tous mes frÃ¨res` (the first token, `À` at the start of a line,
/// has no evidence of its own).
const WITH_EVIDENCE: i32 = 0;

/// Evidence for one C1 control inside a token (`â\u{80}\u{99}`): no text has them. Capped at
/// two per token.
const C1_EVIDENCE: i32 = 3;

/// A symbol inside a word (`Ã©g`, `√¢t`, `Ð±Ñ`): text puts symbols between words.
const SYMBOL_IN_WORD: i32 = 3;

/// A capital right after a small letter (`rÃ©`, `ZURÃœCK`'s `œC`).
const CASE_FLIP: i32 = 2;

/// A typical mojibake lead (see [`Sbcs::typical_lead`]) followed by a symbol, after a letter.
const TYPICAL_LEAD: i32 = 2;

/// A token inside text an earlier round already repaired (`Ã¢â‚¬â„¢` → `â€™` → `’`).
const LATER_LAYER: i32 = 2;

/// A run of adjacent tokens that all decode to letters of one script (`×‘×”×•` → `בהו`) is
/// evidence in itself: this much for each token after the first.
const SAME_SCRIPT_RUN: i32 = 2;

/// A token this bad (or a vetoed one) contradicts its codec for the whole line: the line's
/// other tokens then need their own evidence. Set by `├┤a┼┐a` (cp437 line art, where `┼┐`
/// would be the rare `ſ`) and ftfy's "hopeless garble".
const CONTRADICTION: i32 = -3;

/// Against: the decoded character is rare (`NESTLÉ®` → `NESTLɮ`, `SÓ…` → `SӅ`).
const RARE: i32 = 3;

/// Against: a Latin letter no windows code page has (`SELKÄ\u{a0}` → `SELKĠ`).
const UNCOMMON_LATIN: i32 = 2;

/// Against: a small letter inside capitals or a capital after a small letter (`AHÅ™` →
/// `AHř`, `MÄ£ÄM` → `MģÄM`).
const CASE_MISFIT: i32 = 2;

/// Against: a letter of a script that nothing around it uses (`Brontë…”` → `Bront녔`, `5×£35`
/// → `5ף35`). Greek is exempt: science writes `γ` and `μ` between Latin letters.
const ISOLATED_SCRIPT: i32 = 3;

/// The reason for a lone C1 control read as windows-1252.
pub(super) const C1_AS_1252: &str = "windows-1252 read as latin-1";

/// Which codecs might explain something in a line, as bits of [`Sbcs::bit`], a character at a
/// time; 0 for the lines this module leaves alone. Looks for a possible lead byte followed by
/// a possible continuation byte in the same codec, a lone C1 control, and `Ã`/`Â` before a
/// space or U+FFFD (the lost-byte cases).
#[derive(Default)]
pub(super) struct GateScan {
    mask: u16,
    /// The codecs in which the character before is a lead byte.
    prev_lead: u16,
    /// The character before is `Ã` or `Â`.
    prev_a: bool,
}

impl GateScan {
    /// Steps over `c`. After an ASCII character the scan is as it was at the start (but for
    /// what it found), whatever came before, so a caller may skip the rest of a run of ASCII.
    #[inline(always)]
    pub fn step(&mut self, c: char) {
        if !codecs::maybe_codec_char(c) {
            if self.prev_lead != 0 && (c == '\u{FFFD}' || (c == ' ' && self.prev_a)) {
                self.mask |= self.prev_lead;
            }
            self.prev_lead = 0;
            self.prev_a = false;
            return;
        }
        let roles = codecs::roles(c);
        self.mask |= self.prev_lead & roles.cont;
        if (0x80..=0x9f).contains(&(c as u32)) {
            self.mask |= Sbcs::Latin1.bit();
        }
        self.prev_lead = roles.lead;
        self.prev_a = matches!(c, 'Ã' | 'Â');
    }

    /// Steps over a character that no codec has and that is not U+FFFD or a space: what
    /// [`GateScan::step`] does for one.
    #[inline(always)]
    pub fn step_other(&mut self) {
        self.prev_lead = 0;
        self.prev_a = false;
    }

    pub fn finish(self) -> u16 {
        self.mask
    }
}

#[derive(Clone, Debug)]
struct Token {
    /// Units `first..end` of the line.
    first: usize,
    end: usize,
    lead: u8,
    /// `None` when a byte was lost (U+FFFD or `?` in its place).
    decoded: Option<char>,
    /// Bytes that were read as continuation characters (not spaces, not lost).
    real_conts: u8,
    /// A space stands for a lost 0xA0.
    a0: bool,
    /// A `?` stands for a lost byte.
    qmark: bool,
    /// A surrogate pair in CESU-8 (Java's "modified UTF-8").
    cesu: bool,
    /// `Ã ` read as `à` (see [`agrave_at`]).
    agrave: bool,
}

struct Line<'a> {
    text: &'a str,
    /// (byte offset, char)
    units: Vec<(usize, char)>,
}

impl Line<'_> {
    fn ch(&self, k: usize) -> Option<char> {
        self.units.get(k).map(|u| u.1)
    }

    fn prev(&self, k: usize) -> Option<char> {
        k.checked_sub(1).and_then(|k| self.ch(k))
    }

    fn offset(&self, k: usize) -> usize {
        self.units.get(k).map_or(self.text.len(), |u| u.0)
    }
}

/// Finds the repairs of the codec that explains `text` best. `repaired` are the ranges of
/// `text` that earlier rounds produced.
pub(super) fn find(text: &str, mask: u16, repaired: &[Range<usize>], out: &mut Vec<Repair>) {
    let line = Line {
        text,
        units: text.char_indices().collect(),
    };
    let mut best: Option<(i32, Vec<Repair>)> = None;
    for codec in codecs::ALL {
        if mask & codec.bit() == 0 {
            continue;
        }
        let (total, repairs) = evaluate(&line, codec, repaired);
        if repairs.is_empty() {
            continue;
        }
        if best.as_ref().is_none_or(|(t, _)| total > *t) {
            best = Some((total, repairs));
        }
    }
    if let Some((_, repairs)) = best {
        out.extend(repairs);
    }
}

fn evaluate(line: &Line, codec: Sbcs, repaired: &[Range<usize>]) -> (i32, Vec<Repair>) {
    let bytes: Vec<Option<u8>> = line
        .units
        .iter()
        .map(|&(_, c)| {
            if c == '\u{FFFD}' {
                None
            } else {
                codec.encode(c)
            }
        })
        .collect();
    let tokens = scan(line, &bytes, codec);
    let view = View::new(line, &tokens);
    let scored: Vec<(i32, bool)> = (0..tokens.len())
        .map(|j| score(line, &view, &tokens, j, codec, repaired))
        .collect();
    let accepted = decide(&tokens, &scored, codec);
    let accepted = consistent(line, &bytes, &tokens, accepted, repaired);
    let mut total = 0;
    let mut repairs = Vec::new();
    let mut used_c1 = false;
    let mut covered = vec![false; line.units.len()];
    for (j, t) in tokens.iter().enumerate() {
        if !accepted[j] {
            continue;
        }
        total += scored[j].0.max(1);
        used_c1 |= (t.first..t.end).any(|k| (0x80..=0x9f).contains(&(line.units[k].1 as u32)));
        covered[t.first..t.end].fill(true);
        repairs.push(Repair {
            range: line.offset(t.first)..line.offset(t.end),
            text: t.decoded.unwrap_or('\u{FFFD}').to_string(),
            what: "",
            chosen: 0,
        });
    }
    let what = match codec {
        Sbcs::Latin1 if used_c1 => "utf-8 read as latin-1",
        _ => utf8_read_as(codec),
    };
    for repair in &mut repairs {
        repair.what = what;
    }
    if codec == Sbcs::Latin1 {
        // Lone C1 controls: windows-1252 text read as Latin-1 (`parlé\u{85}` → `parlé…`).
        for (k, &(at, c)) in line.units.iter().enumerate() {
            if covered[k] {
                continue;
            }
            if let Some(d) = c1_as_1252(c) {
                total += 1;
                repairs.push(Repair {
                    range: at..at + c.len_utf8(),
                    text: d.to_string(),
                    what: C1_AS_1252,
                    chosen: 0,
                });
            }
        }
        repairs.sort_by_key(|r| r.range.start);
    }
    (total, repairs)
}

/// Which tokens to repair, from their scores (see the module doc): strong tokens and strong
/// clusters on their own; the rest of the codec's tokens once the line has evidence, unless
/// the line also has tokens that decode to nonsense (then the codec is contradicted and only
/// strong ones count: `├┤a┼┐a` is line art, not cp437 mojibake).
fn decide(tokens: &[Token], scored: &[(i32, bool)], codec: Sbcs) -> Vec<bool> {
    let mut strong: Vec<bool> = tokens
        .iter()
        .zip(scored)
        .map(|(t, &(s, veto))| !veto && s >= STRONG && !t.a0 && !t.qmark)
        .collect();
    // Clusters: runs of adjacent tokens, judged together.
    let mut j = 0;
    while j < tokens.len() {
        let mut k = j + 1;
        while k < tokens.len() && tokens[k].first == tokens[k - 1].end && !scored[k].1 {
            k += 1;
        }
        if k - j >= 2 && !scored[j].1 {
            let sum: i32 = scored[j..k].iter().map(|s| s.0).sum();
            let first_script = tokens[j].decoded.map(script);
            let same_script = first_script.is_some_and(|s| s != Script::None)
                && tokens[j..k]
                    .iter()
                    .all(|t| t.decoded.map(script) == first_script);
            let bonus = if same_script {
                SAME_SCRIPT_RUN * (k - j - 1) as i32
            } else {
                0
            };
            if sum + bonus >= STRONG && tokens[j..k].iter().all(|t| !t.a0 && !t.qmark) {
                strong[j..k].fill(true);
            }
        }
        j = k;
    }
    let evidence = tokens
        .iter()
        .zip(&strong)
        .any(|(t, &s)| s && !t.agrave && t.decoded.is_some());
    let contradicted = scored.iter().any(|&(s, veto)| veto || s <= CONTRADICTION);
    tokens
        .iter()
        .zip(scored)
        .zip(&strong)
        .map(|((t, &(s, veto)), &strong)| {
            if veto {
                false
            } else if t.agrave {
                s >= STRONG && (codec == Sbcs::Latin1 || evidence)
            } else if strong {
                true
            } else {
                evidence && !contradicted && s >= WITH_EVIDENCE
            }
        })
        .collect()
}

/// Checks the accepted tokens against the rest of the line. A non-ASCII character that the
/// codec turns into a byte of no UTF-8 sequence (an *orphan*: the `–` of `Bremer/Mccoy –
/// DrÃ¥ber`, the `ƒ` and `æ` of ftfy's "hopeless garble") was decoded correctly, or is
/// damage the codec cannot explain; either way the line was not simply read with this codec.
/// - An orphan *letter* in the same word as a token tangles them: the word is garble, not
///   one layer of mojibake, and nothing on the line is repaired with this codec. (Orphan
///   punctuation is common in mixed lines: the correct `’` of `l’Ã©galitÃ©`.)
/// - Otherwise, on a line with orphans one two-byte repair is not enough evidence: `Ã¥`
///   could be Latin-1's `å` or MacRoman's U+0334, and ftfy leaves that line alone too. Two
///   or more repairs stay (`DivisÃ£o - SÃ©rie F > Jornadas Classificação`), and so do tokens
///   no correct text contains (complete three- and four-byte sequences, C1 controls).
///
/// No-break spaces are not orphans: `&nbsp;` puts them in correct text everywhere.
fn consistent(
    line: &Line,
    bytes: &[Option<u8>],
    tokens: &[Token],
    accepted: Vec<bool>,
    repaired: &[Range<usize>],
) -> Vec<bool> {
    // Characters an earlier round produced are explained already.
    let mut in_token: Vec<bool> = line
        .units
        .iter()
        .map(|&(at, _)| repaired.iter().any(|r| r.contains(&at)))
        .collect();
    for t in tokens {
        in_token[t.first..t.end].fill(true);
    }
    let is_orphan = |k: usize| {
        !in_token[k]
            && bytes[k].is_some_and(|b| b >= 0x80)
            && !matches!(line.units[k].1, '\u{a0}' | '\u{80}'..='\u{9f}')
    };
    if !(0..line.units.len()).any(is_orphan) {
        return accepted;
    }
    let word = |k: usize| {
        let mut start = k;
        while start > 0 && !is_space(line.units[start - 1].1) {
            start -= 1;
        }
        let mut end = k;
        while end < line.units.len() && !is_space(line.units[end].1) {
            end += 1;
        }
        start..end
    };
    // A letter before a C1 control is a sequence that lost a byte in an earlier layer
    // (`â\u{80}â\u{80}\u{9c}`, which the next round makes `–`), not correct text.
    let garble_letter = |k: usize| {
        is_orphan(k)
            && line.units[k].1.is_alphabetic()
            && !line
                .ch(k + 1)
                .is_some_and(|c| ('\u{80}'..='\u{9f}').contains(&c))
    };
    let tangled = tokens
        .iter()
        .zip(&accepted)
        .any(|(t, &a)| a && word(t.first).any(garble_letter));
    if tangled {
        return vec![false; tokens.len()];
    }
    if accepted.iter().filter(|&&a| a).count() >= 2 {
        return accepted;
    }
    tokens
        .iter()
        .zip(accepted)
        .map(|(t, a)| {
            let c1 = (t.first..t.end).any(|k| (0x80..=0x9f).contains(&(line.units[k].1 as u32)));
            let complete_long = t.lead >= 0xe0 && usize::from(t.real_conts) == t.end - t.first - 1;
            a && (c1 || complete_long || t.cesu)
        })
        .collect()
}

/// The line as it would read with every token decoded: `chars`, and where token `j` is in it.
struct View {
    chars: Vec<char>,
    at: Vec<usize>,
}

impl View {
    fn new(line: &Line, tokens: &[Token]) -> View {
        let mut chars = Vec::with_capacity(line.units.len());
        let mut at = Vec::with_capacity(tokens.len());
        let mut k = 0;
        for t in tokens {
            chars.extend(line.units[k..t.first].iter().map(|u| u.1));
            at.push(chars.len());
            chars.push(t.decoded.unwrap_or('\u{FFFD}'));
            k = t.end;
        }
        chars.extend(line.units[k..].iter().map(|u| u.1));
        View { chars, at }
    }

    fn get(&self, at: usize, delta: isize) -> Option<char> {
        let k = at.checked_add_signed(delta)?;
        self.chars.get(k).copied()
    }
}

fn utf8_read_as(codec: Sbcs) -> &'static str {
    match codec {
        Sbcs::Latin1 => "utf-8 read as windows-1252",
        Sbcs::W1250 => "utf-8 read as windows-1250",
        Sbcs::W1251 => "utf-8 read as windows-1251",
        Sbcs::W1253 => "utf-8 read as windows-1253",
        Sbcs::W1254 => "utf-8 read as windows-1254",
        Sbcs::W1257 => "utf-8 read as windows-1257",
        Sbcs::Iso8859_2 => "utf-8 read as iso-8859-2",
        Sbcs::MacRoman => "utf-8 read as macintosh",
        Sbcs::Cp437 => "utf-8 read as cp437",
    }
}

fn scan(line: &Line, bytes: &[Option<u8>], codec: Sbcs) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let token = match bytes[i] {
            Some(0xc2..=0xf4) => cesu_at(line, bytes, i)
                .or_else(|| agrave_at(line, bytes, i, codec))
                .or_else(|| token_at(line, bytes, i, codec)),
            _ => None,
        };
        match token {
            Some(t) => {
                i = t.end;
                tokens.push(t);
            }
            None => i += 1,
        }
    }
    tokens
}

fn token_at(line: &Line, bytes: &[Option<u8>], i: usize, codec: Sbcs) -> Option<Token> {
    let lead = bytes[i]?;
    let need = match lead {
        0xc2..=0xdf => 1,
        0xe0..=0xef => 2,
        _ => 3,
    };
    let mut seq = [lead, 0, 0, 0];
    let (mut real, mut a0, mut qmark, mut lost) = (0u8, false, false, false);
    for (j, slot) in seq.iter_mut().enumerate().take(need + 1).skip(1) {
        let k = i + j;
        let c = line.ch(k)?;
        *slot = match bytes.get(k).copied().flatten() {
            Some(b @ 0x80..=0xbf) => {
                real += 1;
                b
            }
            _ if c == ' ' && codec.a0_is_nbsp() => {
                a0 = true;
                0xa0
            }
            _ if c == '\u{FFFD}' => {
                lost = true;
                0x80
            }
            // A `?` for a lost byte: only after a three- or four-byte lead or a typical one
            // (`â€?`, `Ã?`), never after an ordinary letter (`QUEM É?`).
            _ if c == '?' && (need > 1 || codec.typical_lead(lead)) => {
                qmark = true;
                0x80
            }
            _ => return None,
        };
    }
    let decoded = if lost || qmark {
        // The known bytes must still fit the lead: E0 needs A0–BF next, and so on.
        let second_ok = match (lead, line.ch(i + 1)) {
            (_, Some('\u{FFFD}' | '?')) => true,
            (0xe0, _) => seq[1] >= 0xa0,
            (0xed, _) => seq[1] <= 0x9f,
            (0xf0, _) => seq[1] >= 0x90,
            (0xf4, _) => seq[1] <= 0x8f,
            _ => true,
        };
        if !second_ok || real == 0 && need > 1 {
            return None;
        }
        None
    } else {
        Some(std::str::from_utf8(&seq[..=need]).ok()?.chars().next()?)
    };
    Some(Token {
        first: i,
        end: i + need + 1,
        lead,
        decoded,
        real_conts: real,
        a0,
        qmark,
        cesu: false,
        agrave: false,
    })
}

/// `Ã ` for `à`: the 0xA0 of `à` (C3 A0) became a no-break space and then a plain space, or
/// merged with the space after it (`voilÃ le travail`). Only `Ã` (windows-1252) and `Г`
/// (windows-1251, which [`evaluate`] accepts only with other evidence) are read this way.
/// The space is kept, since `à` is a word of its own in French, unless another space
/// follows (`voilÃ  le`) or the next word is what Portuguese joins to `à` (`Ã s crianças`
/// → `às crianças`, `Ã quele` → `àquele`).
fn agrave_at(line: &Line, bytes: &[Option<u8>], i: usize, codec: Sbcs) -> Option<Token> {
    if bytes[i] != Some(0xc3)
        || !matches!(codec, Sbcs::Latin1 | Sbcs::W1251)
        || line.ch(i + 1) != Some(' ')
    {
        return None;
    }
    let after: String = line.units[i + 2..]
        .iter()
        .map(|u| u.1)
        .take_while(|c| c.is_alphabetic())
        .collect();
    let after_end = line.ch(i + 2 + after.chars().count());
    let joins = (after == "s" && !after_end.is_some_and(|c| c == '\'' || c == '’'))
        || matches!(
            after.as_str(),
            "quele" | "quela" | "queles" | "quelas" | "quilo"
        );
    let double = line.ch(i + 2) == Some(' ');
    let end = if joins || double { i + 2 } else { i + 1 };
    Some(Token {
        first: i,
        end,
        lead: 0xc3,
        decoded: Some('à'),
        real_conts: 0,
        a0: false,
        qmark: false,
        cesu: false,
        agrave: true,
    })
}

/// CESU-8: a character outside the BMP written as two three-byte surrogates (ED A0–AF xx,
/// ED B0–BF xx), as Java's "modified UTF-8" does (`í\u{a0}½í¸\u{8d}` → `😍`).
fn cesu_at(line: &Line, bytes: &[Option<u8>], i: usize) -> Option<Token> {
    let get = |k: usize| -> Option<u8> {
        match (bytes.get(k).copied().flatten(), line.ch(k)) {
            (Some(b), _) => Some(b),
            (None, Some(' ')) => Some(0xa0),
            _ => None,
        }
    };
    let b: Vec<u8> = (i..i + 6).map(get).collect::<Option<_>>()?;
    let cont = |x: u8| (0x80..=0xbf).contains(&x);
    if b[0] != 0xed || !(0xa0..=0xaf).contains(&b[1]) || !cont(b[2]) {
        return None;
    }
    if b[3] != 0xed || !(0xb0..=0xbf).contains(&b[4]) || !cont(b[5]) {
        return None;
    }
    let high = 0xd000 | (u32::from(b[1] & 0x3f) << 6) | u32::from(b[2] & 0x3f);
    let low = 0xd000 | (u32::from(b[4] & 0x3f) << 6) | u32::from(b[5] & 0x3f);
    let code = 0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00);
    Some(Token {
        first: i,
        end: i + 6,
        lead: 0xed,
        decoded: Some(char::from_u32(code)?),
        real_conts: 4,
        a0: false,
        qmark: false,
        cesu: true,
        agrave: false,
    })
}

/// A character that text puts between words, not inside them. Apostrophes are inside words
/// (`l’Italicum`, `don´t`), so they are not symbols here; other quotes are.
fn is_symbol(c: char) -> bool {
    !c.is_alphabetic()
        && !c.is_ascii_digit()
        && !matches!(c, '\'' | '’' | '‘' | '´' | '`' | 'ʼ')
        && !is_space(c)
        && c != '\u{FFFD}'
        && c != '?'
}

/// The score of token `j` and whether it is vetoed (see the module doc and the constants).
fn score(
    line: &Line,
    view: &View,
    tokens: &[Token],
    j: usize,
    codec: Sbcs,
    repaired: &[Range<usize>],
) -> (i32, bool) {
    let t = &tokens[j];
    if t.agrave {
        return (agrave_score(line, t), false);
    }
    let raw_prev = line.prev(t.first);
    let raw_next = line.ch(t.end);
    let adjacent = (j > 0 && tokens[j - 1].end == t.first)
        || tokens.get(j + 1).is_some_and(|n| n.first == t.end);
    let dec_prev = view.get(view.at[j], -1);
    let dec_next = view.get(view.at[j], 1);
    let chars: Vec<char> = (t.first..t.end).map(|k| line.units[k].1).collect();
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_alphabetic() || c.is_ascii_digit());

    let mut odd = 0;
    let c1 = chars
        .iter()
        .filter(|&&c| (0x80..=0x9f).contains(&(c as u32)))
        .count() as i32;
    odd += C1_EVIDENCE * c1.min(2);
    // A long sequence counts only when something in it is not a letter: `ášš` (Sámi),
    // `дії` (Ukrainian) and `âžž` are words, and valid UTF-8 in ISO-8859-2, windows-1251 and
    // windows-1252 by chance.
    let all_letters = chars.iter().all(|c| c.is_alphabetic());
    odd += match (t.cesu, t.lead, t.real_conts) {
        _ if all_letters => 0,
        (true, _, _) => 6,
        (_, 0xe0..=0xef, 2) => 3,
        (_, 0xe0..=0xef, 1) => 1,
        (_, 0xf0..=0xf4, 3) => 4,
        (_, 0xf0..=0xf4, 2) => 2,
        (_, 0xf0..=0xf4, 1) => 1,
        _ => 0,
    };
    if chars.iter().any(|&c| is_symbol(c)) {
        let token_sandwich = alnum(raw_prev) && alnum(raw_next);
        let char_sandwich = (t.first..t.end)
            .any(|k| is_symbol(line.units[k].1) && alnum(line.prev(k)) && alnum(line.ch(k + 1)));
        if token_sandwich || char_sandwich {
            odd += SYMBOL_IN_WORD;
        }
    }
    let lead_char = chars[0];
    let flip = (lead_char.is_uppercase() && raw_prev.is_some_and(char::is_lowercase))
        || (t.first..t.end).any(|k| {
            line.units[k].1.is_lowercase() && line.ch(k + 1).is_some_and(char::is_uppercase)
        });
    if flip {
        odd += CASE_FLIP;
    }
    let cont0 = chars.get(1).copied().unwrap_or(' ');
    // `MISUTÂ\u{a0}AJIKKO`: a capital ending a word in capitals is a letter of that word, and
    // the no-break space after it is the space between words.
    let capital_then_space = lead_char.is_uppercase()
        && raw_prev.is_some_and(char::is_uppercase)
        && t.decoded.is_some_and(is_space);
    if codec.typical_lead(t.lead)
        && !capital_then_space
        && !cont0.is_alphabetic()
        && !matches!(cont0, '\'' | '’' | '–' | '—' | '…' | '№')
        && (raw_prev.is_some_and(char::is_alphabetic) || adjacent)
    {
        odd += TYPICAL_LEAD;
    }
    // `Ã\u{a0}` on its own before a word in small letters is the French word à.
    if t.decoded == Some('à')
        && cont0 == '\u{a0}'
        && raw_prev.is_none_or(|p| !p.is_alphanumeric())
        && line.units[t.end..]
            .iter()
            .map(|u| u.1)
            .find(|c| !is_space(*c))
            .is_some_and(char::is_lowercase)
    {
        odd += TYPICAL_LEAD;
    }
    let range = line.offset(t.first)..line.offset(t.end);
    if repaired
        .iter()
        .any(|r| r.start <= range.start && range.end <= r.end)
    {
        odd += LATER_LAYER;
    }

    let Some(d) = t.decoded else {
        return (odd, false);
    };
    let mut misfit = 0;
    match kind(d) {
        // A C1 control out of one layer is the raw material of the next (`Â\u{9d}` in
        // `â€Â\u{9d}`), but only inside a run of mojibake.
        Kind::Never if (0x80..=0x9f).contains(&(d as u32)) && adjacent => misfit += RARE,
        Kind::Never => return (odd, true),
        Kind::Rare => misfit += RARE,
        Kind::Common => {}
    }
    if combining(d) && raw_prev.is_none_or(is_space) {
        return (odd, true);
    }
    if script(d) == Script::Latin && !d.is_ascii() && !common_latin(d) {
        misfit += UNCOMMON_LATIN;
    }
    let upper = |c: Option<char>| c.is_some_and(char::is_uppercase);
    let lower = |c: Option<char>| c.is_some_and(char::is_lowercase);
    if d.is_lowercase() && upper(dec_prev) {
        let before_prev = view.get(view.at[j], -2);
        let next_letter = dec_next.is_some_and(char::is_alphabetic);
        if upper(dec_next) || (!next_letter && upper(before_prev)) {
            misfit += CASE_MISFIT;
        }
    }
    if d.is_uppercase() && lower(dec_prev) {
        misfit += CASE_MISFIT;
    }
    let s = script(d);
    if !matches!(s, Script::Latin | Script::Greek | Script::None) {
        let neighbours = [dec_prev, dec_next];
        let same = neighbours.iter().flatten().any(|&c| script(c) == s);
        let other = neighbours
            .iter()
            .flatten()
            .any(|&c| c.is_alphanumeric() && script(c) != s);
        if !same && other {
            misfit += ISOLATED_SCRIPT;
        }
    }
    (odd - misfit, false)
}

/// `Ã ` as `à` (see [`agrave_at`]): after a small letter (`voilÃ le`, `jusqu'Ã nos`), or on
/// its own between words in small letters (`Ã perturber`); never among capitals (`C O N C L
/// U S Ã O`).
fn agrave_score(line: &Line, t: &Token) -> i32 {
    let prev = line.prev(t.first);
    let next_word = line.ch(t.first + 2);
    let lower_next = next_word.is_some_and(char::is_lowercase);
    match prev {
        Some(p) if p.is_lowercase() => STRONG,
        Some('\'' | '’') if lower_next => STRONG,
        None if lower_next => STRONG,
        Some(' ') if lower_next => {
            let before = t.first.checked_sub(2).and_then(|k| line.ch(k));
            if before.is_none_or(|b| b.is_lowercase() || b.is_ascii_punctuation()) {
                STRONG
            } else {
                0
            }
        }
        _ => 0,
    }
}
