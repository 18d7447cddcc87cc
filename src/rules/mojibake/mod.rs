//! `mojibake`: text that went through the wrong codec, repaired where the bytes allow it.
//!
//! What it repairs (each a real round trip: encode with the codec that was wrongly used,
//! decode with the right one):
//! - **UTF-8 read as a single-byte codec**, windows-1252 / Latin-1 (`NicolÃ¡s` → `Nicolás`,
//!   `doesnâ€™t` → `doesn’t`, C1 controls included: `â\u{80}\u{99}` → `’`), windows-1250,
//!   -1251 (`РґРѕСЂРѕРіРµ` → `дороге`), -1253, -1254, -1257, ISO-8859-2, MacRoman
//!   (`g√¢teaux` → `gâteaux`) and cp437 (`─îe┼ítina` → `Čeština`); several layers
//!   (`Ã¢â‚¬â„¢` → `’`, reported `×2`); a no-break space that became a plain space
//!   (`voilÃ le` → `voilà le`); CESU-8 surrogate pairs (`í\u{a0}½í¸\u{8d}` → `😍`); a lost
//!   byte (`â€�` → `�`, one U+FFFD for the lost character); and lone C1 controls, which are
//!   windows-1252 read as Latin-1 (`parlé\u{85}` → `parlé…`). See `latin.rs`.
//! - **UTF-8 read as GBK/GB18030, Shift_JIS, EUC-KR or Big5**: `浣犲ソ` → `你好`,
//!   `鍙戝竷` → `发布`, `涓�鏂囧瓧骞�` → `中文字幕`, also inside an otherwise clean line and when the last
//!   character was cut (`濂�` → `好`). See `cjk.rs`.
//! - **GBK, Big5 and Shift_JIS read as Latin-1 or windows-1252**: `ÄãºÃ` → `你好`,
//!   `¶«ÓªÊÐ` → `东营市`; and two layers (UTF-8 → GBK → windows-1252: `æµ£çŠ²ã‚½` →
//!   `浣犲ソ` → `你好`).
//! - **Lossy damage**: a page decoded with replacement has U+FFFD where bytes were lost.
//!   Every character the surviving bytes determine is recovered; a character with one or two
//!   bytes lost is chosen among the candidates its surviving bytes allow by the language model
//!   ([`crate::lm`]): `鏇逛粊銆�` → `曹仁。`; what cannot be recovered becomes one U+FFFD a
//!   character.
//! - **Garbage**: `锟斤拷` (U+FFFD written as UTF-8 and read as GBK) becomes `��`, two lost
//!   characters; runs of three or more `烫` or `屯` (uninitialised memory, 0xCC/0xCD, read as
//!   GBK) become one U+FFFD each.
//!
//! `--explain` names the repair: `utf-8 read as gbk`, `utf-8 read as windows-1252 ×2`,
//! `utf-8 read as gbk, then utf-8 read as windows-1252`, `…; lossy: 2 characters chosen by
//! the model; 1 character lost`.
//!
//! ```
//! use rinse::rules::{apply_edits, mojibake::Mojibake, LineRule};
//!
//! let fix = |line: &str| {
//!     let mut edits = Vec::new();
//!     Mojibake.find_edits(line, &mut edits);
//!     apply_edits(line, &edits)
//! };
//! assert_eq!(fix("Le Schtroumpf conseille des gÃ¢teaux, câ€™est sÃ»r"), "Le Schtroumpf conseille des gâteaux, c’est sûr");
//! assert_eq!(fix("浣犲ソ锛屼笘鐣�"), "你好，世界");
//! assert_eq!(fix("ÄãºÃ£¬¶«ÓªÊÐ"), "你好，东营市");
//! // Real text that looks like mojibake stays.
//! assert_eq!(fix("NESTLÉ® 5×£35 ∆° Ôôô"), "NESTLÉ® 5×£35 ∆° Ôôô");
//! assert_eq!(fix("浣熊在涓涓细流边，屯警一线"), "浣熊在涓涓细流边，屯警一线");
//! ```
//!
//! How it decides. A line pays for a scan: `latin::gate` looks for a character that is a
//! UTF-8 lead byte in some single-byte codec followed by one that is a continuation byte in
//! the same codec, `cjk::gate` for the characters that a UTF-8 lead byte of CJK text and
//! the byte after it decode to in GBK, Big5, Shift_JIS or EUC-KR (a table computed from the
//! codecs, one look-up a character), or two Latin-1 characters in a row. Only a line that
//! passes is analysed, in rounds that each undo one layer. Latin repairs are scored token by
//! token (C1 controls, symbols inside words, case flips, three-byte sequences for; rare or
//! out-of-place results against); CJK repairs are accepted only when the language model finds
//! the repaired run clearly cheaper than the damaged one, so the decision "mojibake or rare
//! but real text" is a comparison of plausibility, never a list of strings.
//!
//! What it leaves alone: text that reads as well as its "repair" (`NESTLÉ®`, `Ôôô`,
//! `SELKÄ\u{a0}EDELLÄ`, `├┤a┼┐a` line art, `√π`), any script's clean text, rare characters
//! (`浣熊`, `涓涓`, `屯警`), two `烫` in a row, and runs it cannot explain whole (UTF-8 read as
//! Big5 loses so many bytes that most of it stays as it is).
//!
//! What a wrong guess costs: a repair replaces a run of characters with others; if the run was
//! real text (an unusual name in all capitals followed by `™`, a short run of rare characters
//! that decodes to common ones), that text is changed into something else, which is why every
//! threshold leans towards leaving text alone. A missed repair leaves mojibake that a reader
//! sees at once; a wrong one can go unnoticed. ftfy's own test cases where the two disagree
//! are in `scripts/ftfy_conformance.py`'s output.

mod chars;
mod cjk;
mod codecs;
mod latin;
mod score;

use std::ops::Range;

use crate::rules::{Edit, LineRule, RuleId};

pub struct Mojibake;

/// How many rounds of repair one line gets: each round undoes one layer (`Ã¢â‚¬â„¢` → `â€™`
/// → `’` is two). ftfy's test cases go to three layers (`doesnÃƒÂ¢Ã¢â€šÂ¬Ã¢â€žÂ¢t`); one more
/// covers a CJK layer under them.
const MAX_ROUNDS: usize = 4;

impl LineRule for Mojibake {
    fn id(&self) -> RuleId {
        RuleId::Mojibake
    }

    fn find_edits(&self, line: &str, edits: &mut Vec<Edit>) {
        if line.is_ascii() {
            return;
        }
        // The fast path: one pass for the Latin codecs and one for the CJK ones, then the
        // first round on the line as it is, since most lines that pass the gates need nothing.
        let gates = Gates::of(line);
        if !gates.any() {
            return;
        }
        let first = round(line, &[], gates);
        if first.is_empty() {
            return;
        }
        let mut state = State::new(line);
        state.apply(&first);
        let mut settled = false;
        for _ in 1..MAX_ROUNDS {
            let text = state.text();
            let repairs = round(&text, &state.repaired(), Gates::of(&text));
            if repairs.is_empty() {
                settled = true;
                break;
            }
            state.apply(&repairs);
        }
        // Layers beyond MAX_ROUNDS: a repair that stops halfway would be repaired further by
        // the next run (cleaning must be idempotent), and text damaged that often is garble
        // (`ÂÂ‚ÂÂÂÂ…¹`): leave the line as it is.
        if !settled {
            let text = state.text();
            if !round(&text, &state.repaired(), Gates::of(&text)).is_empty() {
                return;
            }
        }
        state.edits(line, edits);
    }
}

/// What the two gates found in a text: the codecs `latin::gate` allows and what `cjk::gate`
/// saw. Worked out once a round and handed to it.
#[derive(Clone, Copy)]
struct Gates {
    latin: u16,
    cjk: cjk::Gate,
}

impl Gates {
    /// Both gates in one pass. Both start afresh after an ASCII character but for whether it
    /// was a letter, so of a run of ASCII only the first and the last characters are stepped
    /// over and the rest cost a byte comparison each.
    fn of(text: &str) -> Gates {
        let mut latin = latin::GateScan::default();
        let mut cjk = cjk::GateScan::new();
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let lead = bytes[at];
            if lead < 0x80 {
                let c = char::from(lead);
                latin.step(c);
                cjk.step(c);
                at += 1;
                let run = at;
                while at < bytes.len() && bytes[at] < 0x80 {
                    at += 1;
                }
                if at > run {
                    let last = char::from(bytes[at - 1]);
                    latin.step(last);
                    cjk.step(last);
                }
                continue;
            }
            if (0xe3..=0xef).contains(&lead) {
                // Three bytes, U+3000 on: most of a Chinese line, and mostly plain (see
                // `cjk::PLAIN`), which takes one table look-up and no other test.
                let code = u32::from(lead & 0x0f) << 12
                    | u32::from(bytes[at + 1] & 0x3f) << 6
                    | u32::from(bytes[at + 2] & 0x3f);
                let bits = cjk.bits(code);
                if bits & cjk::PLAIN != 0 {
                    latin.step_other();
                    cjk.step_plain(bits);
                    at += 3;
                    continue;
                }
            }
            let c = text[at..].chars().next().expect("at a character boundary");
            latin.step(c);
            cjk.step(c);
            at += c.len_utf8();
        }
        Gates {
            latin: latin.finish(),
            cjk: cjk.finish(),
        }
    }

    fn any(self) -> bool {
        self.latin != 0 || self.cjk.any()
    }
}

/// The share of a Latin-1 run's characters that UTF-8 tokens must cover for the run to be
/// read as UTF-8 rather than as GBK, Big5 or Shift_JIS (see [`round`]). Chinese read as
/// windows-1252 is covered entirely; GBK read as Latin-1 about one character in seven.
const UTF8_COVERAGE: f32 = 0.5;

/// One round: the repairs of the outermost layer of damage in `text`, sorted.
fn round(text: &str, repaired: &[Range<usize>], gates: Gates) -> Vec<Repair> {
    let mut repairs = Vec::new();
    let gate = gates.cjk;
    if gate.garbage {
        cjk::find_garbage(text, &mut repairs);
        if !repairs.is_empty() {
            return repairs;
        }
    }
    // UTF-8 read as a single-byte codec, and legacy CJK read as Latin-1, claim the same kind
    // of text. A run that is UTF-8 almost throughout (`é”®ç»‘`: every high character is in a
    // token) is UTF-8; a run where tokens are only here and there is GBK and friends, whose
    // byte pairs make a valid UTF-8 pair one time in seven by chance (`Ã©` is 茅).
    let mut latin = Vec::new();
    let mask = gates.latin;
    if mask != 0 {
        latin::find(text, mask, repaired, &mut latin);
    }
    if gate.legacy_as_latin1 {
        let mut legacy = Vec::new();
        cjk::find_legacy_as_latin1(text, &mut legacy);
        for span in legacy {
            let overlapping =
                |r: &Repair| r.range.start < span.range.end && span.range.start < r.range.end;
            let high = text[span.range.clone()]
                .chars()
                .filter(|c| !c.is_ascii())
                .count();
            // Lone C1 controls are no evidence of UTF-8: Shift_JIS lead bytes are C1 in Latin-1.
            let covered: usize = latin
                .iter()
                .filter(|r| overlapping(r) && r.what != latin::C1_AS_1252)
                .map(|r| {
                    text[r.range.clone()]
                        .chars()
                        .filter(|c| !c.is_ascii())
                        .count()
                })
                .sum();
            if (covered as f32) < UTF8_COVERAGE * high as f32 {
                latin.retain(|r| !overlapping(r));
                repairs.push(span);
            }
        }
    }
    repairs.extend(latin);
    repairs.sort_by_key(|r| r.range.start);
    if repairs.is_empty() && gate.utf8_as != 0 {
        cjk::find_utf8_as(text, gate.utf8_as, &mut repairs);
    }
    repairs
}

/// Applies sorted repairs to `text` (for tests).
#[cfg(test)]
fn apply_repairs(text: &str, repairs: &[Repair]) -> String {
    let mut out = String::new();
    let mut last = 0;
    for r in repairs {
        out.push_str(&text[last..r.range.start]);
        out.push_str(&r.text);
        last = r.range.end;
    }
    out.push_str(&text[last..]);
    out
}

/// One repair found in a round: `range` of the text as it stands becomes `text`.
#[derive(Clone, Debug)]
pub(super) struct Repair {
    pub range: Range<usize>,
    pub text: String,
    /// What went wrong, for `--explain` (`"utf-8 read as gbk"`).
    pub what: &'static str,
    /// Characters whose bytes were partly lost and that the language model chose.
    pub chosen: usize,
}

/// A piece of the line through the rounds: untouched (`chain` empty, `text` equal to the
/// input at `orig`) or repaired.
#[derive(Clone, Debug)]
struct Segment {
    orig: Range<usize>,
    text: String,
    /// What each round that touched this piece undid: rounds undo the outermost layer first,
    /// so each round's entry goes in front, and the chain reads in the order the damage
    /// happened.
    chain: Vec<&'static str>,
    chosen: usize,
}

struct State {
    segments: Vec<Segment>,
}

impl State {
    fn new(line: &str) -> State {
        State {
            segments: vec![Segment {
                orig: 0..line.len(),
                text: line.to_string(),
                chain: Vec::new(),
                chosen: 0,
            }],
        }
    }

    fn text(&self) -> String {
        self.segments.iter().map(|s| s.text.as_str()).collect()
    }

    /// The ranges of the current text that earlier rounds produced.
    fn repaired(&self) -> Vec<Range<usize>> {
        let mut at = 0;
        let mut out: Vec<Range<usize>> = Vec::new();
        for s in &self.segments {
            if !s.chain.is_empty() {
                match out.last_mut() {
                    Some(last) if last.end == at => last.end = at + s.text.len(),
                    _ => out.push(at..at + s.text.len()),
                }
            }
            at += s.text.len();
        }
        out
    }

    /// Applies one round's repairs (sorted, not overlapping, in offsets of [`State::text`]).
    fn apply(&mut self, repairs: &[Repair]) {
        // Cut untouched segments at every repair boundary, so that each one is inside or
        // outside every repair.
        let mut cuts: Vec<usize> = repairs
            .iter()
            .flat_map(|r| [r.range.start, r.range.end])
            .collect();
        cuts.sort_unstable();
        let mut pieces: Vec<(Range<usize>, Segment)> = Vec::new();
        let mut at = 0;
        for s in std::mem::take(&mut self.segments) {
            let end = at + s.text.len();
            if s.chain.is_empty() {
                let mut start = at;
                for &cut in cuts.iter().filter(|&&c| c > at && c < end) {
                    pieces.push((start..cut, untouched_part(&s, start - at, cut - at)));
                    start = cut;
                }
                pieces.push((start..end, untouched_part(&s, start - at, end - at)));
            } else {
                pieces.push((at..end, s));
            }
            at = end;
        }
        let mut out: Vec<Segment> = Vec::new();
        let mut k = 0;
        let mut ri = 0;
        while ri < repairs.len() {
            while k < pieces.len() && pieces[k].0.end <= repairs[ri].range.start {
                out.push(pieces[k].1.clone());
                k += 1;
            }
            // A group: the pieces the repairs touch, and the repairs that touch those pieces
            // (two repairs of one round can fall inside one piece an earlier round made).
            let first = k;
            let mut rj = ri;
            let mut covered = pieces.get(k).map_or(0, |p| p.0.start);
            while rj < repairs.len() && (rj == ri || repairs[rj].range.start < covered) {
                while k < pieces.len() && pieces[k].0.start < repairs[rj].range.end {
                    covered = pieces[k].0.end;
                    k += 1;
                }
                rj += 1;
            }
            if first == k {
                ri = rj;
                continue;
            }
            let span_start = pieces[first].0.start;
            let old: String = pieces[first..k].iter().map(|p| p.1.text.as_str()).collect();
            let mut text = String::new();
            let mut last = 0;
            for r in &repairs[ri..rj] {
                text.push_str(&old[last..r.range.start - span_start]);
                text.push_str(&r.text);
                last = r.range.end - span_start;
            }
            text.push_str(&old[last..]);
            let merged = &pieces[first..k];
            let mut chain = merged
                .iter()
                .map(|p| &p.1.chain)
                .max_by_key(|c| c.len())
                .cloned()
                .unwrap_or_default();
            chain.insert(0, repairs[ri].what);
            out.push(Segment {
                orig: merged[0].1.orig.start..merged[merged.len() - 1].1.orig.end,
                text,
                chain,
                chosen: merged.iter().map(|p| p.1.chosen).sum::<usize>()
                    + repairs[ri..rj].iter().map(|r| r.chosen).sum::<usize>(),
            });
            ri = rj;
        }
        out.extend(pieces.drain(k..).map(|p| p.1));
        self.segments = out;
    }

    fn edits(&self, line: &str, edits: &mut Vec<Edit>) {
        for s in &self.segments {
            let before = &line[s.orig.clone()];
            if s.chain.is_empty() || s.text == before {
                continue;
            }
            let lost = s.text.matches('\u{FFFD}').count()
                - before
                    .matches('\u{FFFD}')
                    .count()
                    .min(s.text.matches('\u{FFFD}').count());
            edits.push(Edit::new(
                s.orig.clone(),
                s.text.clone(),
                reason(&s.chain, s.chosen, lost),
            ));
        }
    }
}

fn untouched_part(s: &Segment, from: usize, to: usize) -> Segment {
    Segment {
        orig: s.orig.start + from..s.orig.start + to,
        text: s.text[from..to].to_string(),
        chain: Vec::new(),
        chosen: 0,
    }
}

/// The `--explain` reason for a chain of layers (in the order the damage happened), with
/// repeats counted, with repeats counted: `utf-8 read as windows-1252 ×2`,
/// `utf-8 read as gbk, then utf-8 read as windows-1252`.
fn reason(chain: &[&'static str], chosen: usize, lost: usize) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chain.len() {
        let what = chain[i];
        let n = chain[i..].iter().take_while(|&&w| w == what).count();
        parts.push(if n > 1 {
            format!("{what} ×{n}")
        } else {
            what.to_string()
        });
        i += n;
    }
    let mut text = parts.join(", then ");
    if chosen > 0 {
        let s = if chosen == 1 { "" } else { "s" };
        text.push_str(&format!(
            "; lossy: {chosen} character{s} chosen by the model"
        ));
    }
    if lost > 0 {
        let s = if lost == 1 { "" } else { "s" };
        text.push_str(&format!("; {lost} character{s} lost"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::fix;

    fn reasons(line: &str) -> Vec<String> {
        let mut edits = Vec::new();
        Mojibake.find_edits(line, &mut edits);
        edits.iter().map(|e| e.reason.to_string()).collect()
    }

    fn unchanged(line: &str) {
        let mut edits = Vec::new();
        Mojibake.find_edits(line, &mut edits);
        assert!(edits.is_empty(), "{line:?} should be left alone: {edits:?}");
    }

    /// The gates of `line` stepped over every character, the slow way.
    fn gates_by_step(line: &str) -> Gates {
        let mut latin = latin::GateScan::default();
        let mut cjk = cjk::GateScan::new();
        for c in line.chars() {
            latin.step(c);
            cjk.step(c);
        }
        Gates {
            latin: latin.finish(),
            cjk: cjk.finish(),
        }
    }

    fn assert_same_gates(line: &str) {
        let each = gates_by_step(line);
        let gates = Gates::of(line);
        assert_eq!(gates.latin, each.latin, "{line}");
        assert_eq!(
            format!("{:?}", gates.cjk),
            format!("{:?}", each.cjk),
            "{line}"
        );
    }

    /// `Gates::of` skips most of a run of ASCII and steps over plain characters by their bits
    /// alone; stepping over every character finds the same.
    #[test]
    fn gates_skip_ascii_runs_safely() {
        for line in [
            "voilÃ le travail, Ã  la Ã s crianças",
            "doesnâ€™t Ã¢â‚¬â„¢ and \u{85}, â€\u{FFFD}x",
            "ÄãºÃ ab ¶«ÓªÊÐ 浣犲ソ x 锟斤拷 烫烫烫 Ã\u{FFFD} Â é",
            "ASCII only, then 中文，你好。",
            "AI模型 caf茅 x鍙戝竷, CPU架构 ab\u{FFFD} 1以",
            "Ã\u{FFFD}中Ã 中Â \u{F8FF}\u{FB01}Ã\u{FB02}﹏锟斤拷，Â\u{FFFD}ｯ縺ゅ",
            "浣犲ソ锛屼笘鐣�以自我中文，。ÄãºÃ涓�鏂囧瓧骞�",
        ] {
            assert_same_gates(line);
        }
    }

    /// Every plain character, between characters that leave either scan waiting for the next.
    #[test]
    fn plain_characters_are_stepped_over_alike() {
        let mut plain = 0;
        for code in 0x3000u32..0x10000 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            for line in [
                format!("Ã{c}©"),
                format!("a{c}縺ゅ"),
                format!("以{c}\u{FFFD}"),
            ] {
                assert_same_gates(&line);
            }
            plain += usize::from(cjk::GateScan::new().bits(code) & cjk::PLAIN != 0);
        }
        assert!(plain > 50_000);
    }

    #[test]
    fn latin_mojibake() {
        assert_eq!(fix(&Mojibake, "NicolÃ¡s"), "Nicolás");
        assert_eq!(fix(&Mojibake, "doesnâ€™t"), "doesn’t");
        assert_eq!(fix(&Mojibake, "ÄŒeÅ¡tina"), "Čeština");
        assert_eq!(fix(&Mojibake, "РґРѕСЂРѕРіРµ"), "дороге");
        assert_eq!(fix(&Mojibake, "g√¢teaux r√©gime"), "gâteaux régime");
        assert_eq!(fix(&Mojibake, "─îe┼ítina"), "Čeština");
        assert_eq!(fix(&Mojibake, "Ecuadorâ\u{80}\u{99}s"), "Ecuador’s");
        assert_eq!(fix(&Mojibake, "parlé\u{85} Tu"), "parlé… Tu");
        assert_eq!(fix(&Mojibake, "Hi í\u{a0}½í¸\u{8d}"), "Hi 😍");
        assert_eq!(fix(&Mojibake, "voilÃ le travail"), "voilà le travail");
        assert_eq!(
            fix(&Mojibake, "com especial atenÃ§Ã£o Ã s crianÃ§as"),
            "com especial atenção às crianças"
        );
        assert_eq!(fix(&Mojibake, "SlovenÄ�ina"), "Sloven\u{FFFD}ina");
        // Two repairs on a line with a correct `ç`: text from two sources, both broken ones
        // fixed.
        assert_eq!(
            fix(&Mojibake, "III DivisÃ£o - SÃ©rie F > Classificação"),
            "III Divisão - Série F > Classificação"
        );
        // A letter before a C1 control lost a byte in an earlier layer; the next round
        // explains it.
        assert_eq!(
            fix(&Mojibake, "friendly â\u{80}â\u{80}\u{9c} live!"),
            "friendly – live!"
        );
        // Repairs of earlier rounds are not correct text that contradicts the codec.
        assert_eq!(fix(&Mojibake, "atÃ© Ã s 19h"), "até às 19h");
    }

    #[test]
    fn inconsistent_lines_stay() {
        // One two-byte sequence on a line whose `–` was decoded correctly: Latin-1's `å` or
        // MacRoman's U+0334, so neither.
        unchanged("Bremer/Mccoy – DrÃ¥ber");
        // Garble: letters no codec explains inside the words it would repair.
        unchanged("ã†â€™ãƒâ€ ã¢â‚¬â„¢ãƒæ’ã‚â¢ãƒâ¢ã¢â‚¬å¡ã‚â¬ãƒâ€šã‚â");
        // A capital ending a word in capitals, then a no-break space.
        unchanged("MISUTÂ\u{a0}AJIKKO");
        // A run of one Latin character is padding or garble, not GBK or Big5 bytes.
        unchanged("ÂÂÂÂÂÂÂÂ¹");
        // But a three-byte sequence is evidence enough on any line.
        assert_eq!(
            fix(&Mojibake, "Le café d’été : doesnâ€™t"),
            "Le café d’été : doesn’t"
        );
    }

    #[test]
    fn layers_are_counted() {
        assert_eq!(fix(&Mojibake, "doesnÃ¢â‚¬â„¢t"), "doesn’t");
        assert_eq!(reasons("doesnÃ¢â‚¬â„¢t"), ["utf-8 read as windows-1252 ×2"]);
        assert_eq!(fix(&Mojibake, "a Г‚ВЈ5.8bn issue"), "a £5.8bn issue");
        assert_eq!(
            reasons("a Г‚ВЈ5.8bn issue"),
            ["utf-8 read as windows-1252, then utf-8 read as windows-1251"]
        );
    }

    #[test]
    fn cjk_mojibake() {
        assert_eq!(fix(&Mojibake, "浣犲ソ"), "你好");
        assert_eq!(fix(&Mojibake, "鍙戝竷"), "发布");
        assert_eq!(fix(&Mojibake, "涓�鏂囧瓧骞�"), "中文字幕");
        assert_eq!(fix(&Mojibake, "ÄãºÃ"), "你好");
        assert_eq!(fix(&Mojibake, "¶«ÓªÊÐ"), "东营市");
        assert_eq!(reasons("浣犲ソ"), ["utf-8 read as gbk"]);
        assert_eq!(reasons("ÄãºÃ"), ["gbk read as windows-1252"]);
        // Two layers: UTF-8 read as GBK, then that read as windows-1252.
        assert_eq!(fix(&Mojibake, "æµ£çŠ²ã‚½"), "你好");
        assert_eq!(
            reasons("æµ£çŠ²ã‚½"),
            ["utf-8 read as gbk, then utf-8 read as windows-1252"]
        );
        // Inside an otherwise clean line.
        assert_eq!(fix(&Mojibake, "标题：鍙戝竷 2024"), "标题：发布 2024");
        // GB18030 private-use characters stripped after the damage: byte pairs gone without
        // a U+FFFD.
        assert_eq!(fix(&Mojibake, "涓枃缃戠珯"), "中文网站");
        // Alone, the two characters could as well be rare real ones: a guess the bytes do not
        // force needs characters they do.
        unchanged("涓枃");
        assert_eq!(
            fix(&Mojibake, "姝や汉姣忓皾鑷瘮绠′徊锛屼箰姣咃紱"),
            "此人每尝自比管仲，乐毅；"
        );
    }

    #[test]
    fn lossy_characters_are_chosen_by_the_model() {
        // 界 (E7 95 8C) lost its last byte: E7 95 ?? allows 64 characters.
        assert_eq!(fix(&Mojibake, "浣犲ソ锛屼笘鐣�"), "你好，世界");
        assert_eq!(
            reasons("浣犲ソ锛屼笘鐣�"),
            ["utf-8 read as gbk; lossy: 1 character chosen by the model"]
        );
    }

    #[test]
    fn garbage_is_marked_lost() {
        assert_eq!(
            fix(&Mojibake, "前文锟斤拷锟斤拷后文"),
            "前文\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}后文"
        );
        assert_eq!(
            fix(&Mojibake, "内存烫烫烫烫"),
            "内存\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"
        );
        assert_eq!(
            reasons("x屯屯屯"),
            ["uninitialised memory: 0xCD read as gbk (屯屯屯); 3 characters lost"]
        );
        unchanged("屯警一线，烫发，烫烫的水");
    }

    #[test]
    fn clean_text_stays() {
        for line in [
            "NESTLÉ® requiere contratar personal",
            "4288×… HUHLL Õ… RETWEET SE VOCÊ…",
            "Join ZZAJÉ’s list, L’épisode 8, Ôôô VIDA MINHA",
            "SELKÄ\u{a0}EDELLÄ\u{a0}MAAHAN, [x]\u{a0}©, 2012—∞, ∆°",
            "(-1/2)! = √π, ├┤a┼┐a┼┐a, AHÅ™, a radius of 10 Å—",
            "C O N C L U S Ã O, SÃO PAULO, IRMÃ",
            "ВІКІ is Ukrainian for WIKI, ПоздравЂаво",
            "Η ¨ανατροφή¨ δυστυχώς, I'm not such a fan of Charlotte Brontë…”",
            "浣熊在涓涓细流边洗手，鍙是古字，屯警一线，锟铻之剑",
            "關係、逾越險阻、於潁尾、鄙，豈習",
            "ÀÉÎÕÜ àéîõü ÇçÑñ ÆæØøÅå",
            "こんにちは、世界。한국어 안녕하세요. Tiếng Việt",
        ] {
            unchanged(line);
        }
    }

    #[test]
    fn output_is_stable() {
        for line in [
            "doesnÃ¢â‚¬â„¢t",
            "浣犲ソ锛屼笘鐣�",
            "ÄãºÃ£¬",
            "æµ£çŠ²ã‚½",
            "锟斤拷",
        ] {
            let once = fix(&Mojibake, line);
            assert_eq!(fix(&Mojibake, &once), once, "{line:?}");
        }
    }
}
