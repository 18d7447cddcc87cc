//! Compiles the dictionaries in `data/` into compact structures embedded in the binary, so that
//! a one-line input starts in milliseconds instead of parsing 5 MB of text.
//!
//! - `data/jieba/dict.txt` (word, count, part of speech; one per line) becomes
//!   `$OUT_DIR/words.fst`, an FST map from each word to its count, and `$OUT_DIR/chars.bin`,
//!   the count of each character summed over the words it occurs in (little-endian pairs of
//!   `u32` code point and `u32` count, sorted by code point), and `$OUT_DIR/totals.rs`, the
//!   sums of both.
//! - The four legacy CJK codecs that mojibake comes from (GBK as read by GB18030, Shift_JIS,
//!   EUC-KR, Big5) become `$OUT_DIR/cjk_pairs.bin`: for every two-byte code (lead 0x81–0xFE,
//!   trail 0x40–0xFE) the one character it decodes to, or 0, and `$OUT_DIR/cjk_codes.bin`, the
//!   code of each BMP character (see `compile_cjk_pairs`). The `mojibake` rule's tables are
//!   all read off these; decoding the 96,000 pairs with encoding_rs at run time cost about
//!   40 M instructions, more than a short input takes to clean.
//!
//! This script reads only `data/`, never the network, and names `file:line` on bad input.

use std::collections::BTreeMap;
use std::env;
use std::fs;
use std::path::{Path, PathBuf};

const DICTIONARY: &str = "data/jieba/dict.txt";

fn main() {
    println!("cargo:rerun-if-changed={DICTIONARY}");
    println!("cargo:rerun-if-changed=build.rs");
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    if let Err(message) = compile_dictionary(Path::new(DICTIONARY), &out_dir) {
        panic!("{message}");
    }
    if let Err(message) = compile_cjk_pairs(&out_dir) {
        panic!("{message}");
    }
}

/// The codecs of `cjk_pairs.bin`, in the order of the `Cjk` enum of `src/rules/mojibake/cjk.rs`
/// (its tests check every pair against encoding_rs at run time).
const CJK_PAIRS: [&encoding_rs::Encoding; 4] = [
    encoding_rs::GB18030,
    encoding_rs::SHIFT_JIS,
    encoding_rs::EUC_KR,
    encoding_rs::BIG5,
];

/// Writes `cjk_pairs.bin`: for each codec of [`CJK_PAIRS`], for lead 0x81..=0xFE and trail
/// 0x40..=0xFE in that order, the code point the pair decodes to as a little-endian `u32`, or 0
/// when the pair is invalid or decodes to anything but exactly one character (Big5 has pairs
/// that decode to a letter and a combining mark).
///
/// And `cjk_codes.bin`, the way back: for each codec, for each BMP character from U+0000 to
/// U+FFFF, its pair as a big-endian `u16` (lead byte first), or 0. A character that only one
/// pair decodes to gets that pair, even where encoding_rs's encoder writes none (Big5's
/// Hong Kong extensions); one that several pairs decode to (Shift_JIS's duplicated IBM and
/// NEC rows) gets the pair the encoder writes, or 0 if it writes no pair. Characters below
/// U+0080 get 0.
fn compile_cjk_pairs(out_dir: &Path) -> Result<(), String> {
    let mut pairs = Vec::with_capacity(CJK_PAIRS.len() * 126 * 191 * 4);
    let mut codes = Vec::with_capacity(CJK_PAIRS.len() * 0x10000 * 2);
    for encoding in CJK_PAIRS {
        let mut back = vec![0u16; 0x10000];
        let mut seen_twice = Vec::new();
        for lead in 0x81u8..=0xfe {
            for trail in 0x40u8..=0xfe {
                let mut decoder = encoding.new_decoder_without_bom_handling();
                let mut out = [0u8; 16];
                let (result, _, written) =
                    decoder.decode_to_utf8_without_replacement(&[lead, trail], &mut out, true);
                let mut chars = std::str::from_utf8(&out[..written])
                    .map_err(|e| e.to_string())?
                    .chars();
                let code = match (result, chars.next(), chars.next()) {
                    (encoding_rs::DecoderResult::InputEmpty, Some(c), None) => c as u32,
                    _ => 0,
                };
                pairs.extend_from_slice(&code.to_le_bytes());
                if (0x80..0x10000).contains(&code) {
                    if back[code as usize] == 0 {
                        back[code as usize] = u16::from_be_bytes([lead, trail]);
                    } else {
                        seen_twice.push(code);
                    }
                }
            }
        }
        for code in seen_twice {
            let c = char::from_u32(code).ok_or("a decoded pair is a character")?;
            let mut encoder = encoding.new_encoder();
            let mut src = [0u8; 4];
            let mut out = [0u8; 4];
            let (result, _, written) = encoder.encode_from_utf8_without_replacement(
                c.encode_utf8(&mut src),
                &mut out,
                true,
            );
            back[code as usize] =
                if matches!(result, encoding_rs::EncoderResult::InputEmpty) && written == 2 {
                    u16::from_be_bytes([out[0], out[1]])
                } else {
                    0
                };
        }
        for code in back {
            codes.extend_from_slice(&code.to_le_bytes());
        }
    }
    fs::write(out_dir.join("cjk_pairs.bin"), pairs).map_err(|e| e.to_string())?;
    fs::write(out_dir.join("cjk_codes.bin"), codes).map_err(|e| e.to_string())
}

fn compile_dictionary(source: &Path, out_dir: &Path) -> Result<(), String> {
    let text = fs::read_to_string(source).map_err(|e| format!("{}: {e}", source.display()))?;
    let mut words: BTreeMap<&str, u64> = BTreeMap::new();
    let mut chars: BTreeMap<char, u64> = BTreeMap::new();
    for (index, line) in text.lines().enumerate() {
        let at = || format!("{}:{}", source.display(), index + 1);
        let mut fields = line.split(' ');
        let word = fields
            .next()
            .filter(|w| !w.is_empty())
            .ok_or_else(|| format!("{}: empty word", at()))?;
        let count: u64 = fields
            .next()
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| format!("{}: expected `word count [tag]`, got {line:?}", at()))?;
        // A word listed twice keeps its larger count.
        let entry = words.entry(word).or_insert(0);
        *entry = (*entry).max(count);
        for c in word.chars() {
            *chars.entry(c).or_insert(0) += count;
        }
    }
    if words.len() < 100_000 {
        return Err(format!(
            "{}: only {} words; is this the jieba dictionary?",
            source.display(),
            words.len()
        ));
    }
    let mut builder = fst::MapBuilder::memory();
    for (word, count) in &words {
        builder
            .insert(word.as_bytes(), *count)
            .map_err(|e| format!("{}: {e}", source.display()))?;
    }
    let fst_bytes = builder.into_inner().map_err(|e| e.to_string())?;
    fs::write(out_dir.join("words.fst"), fst_bytes).map_err(|e| e.to_string())?;

    let mut char_bytes = Vec::with_capacity(chars.len() * 8);
    for (c, count) in &chars {
        char_bytes.extend_from_slice(&(*c as u32).to_le_bytes());
        char_bytes.extend_from_slice(&u32::try_from(*count).unwrap_or(u32::MAX).to_le_bytes());
    }
    fs::write(out_dir.join("chars.bin"), char_bytes).map_err(|e| e.to_string())?;
    let total_words: u64 = words.values().sum();
    let total_chars: u64 = chars.values().sum();
    fs::write(
        out_dir.join("totals.rs"),
        format!("/// Sum of all word counts.\npub const TOTAL_WORDS: u64 = {total_words};\n/// Sum of all character counts.\npub const TOTAL_CHARS: u64 = {total_chars};\n"),
    )
    .map_err(|e| e.to_string())?;
    Ok(())
}
