//! The single-byte codecs that UTF-8 text gets read as, as lookup tables built once.
//!
//! Everything except cp437 comes from encoding_rs (its WHATWG single-byte indexes), so the
//! mapping is the one browsers and most libraries use; cp437 comes from the generated table
//! [`crate::tables::cp437`]. "latin-1" here is the union that real mojibake is made of:
//! bytes 0x80–0x9F read either as windows-1252 punctuation (`â€™`) or, by a strict Latin-1
//! decoder, as C1 controls (`â\u{80}\u{99}`), often both in one line.

use std::sync::OnceLock;

use encoding_rs::Encoding;

use crate::tables::cp437::CP437_HIGH;

/// A single-byte codec that UTF-8 bytes may have been decoded with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Sbcs {
    /// windows-1252 and ISO-8859-1 together (see the module doc).
    Latin1,
    W1250,
    W1251,
    W1253,
    W1254,
    W1257,
    Iso8859_2,
    MacRoman,
    Cp437,
}

/// In order of preference: when two codecs explain a line equally well, the one earlier in
/// this list (the more common mix-up) wins.
pub(super) const ALL: [Sbcs; 9] = [
    Sbcs::Latin1,
    Sbcs::W1251,
    Sbcs::W1250,
    Sbcs::Iso8859_2,
    Sbcs::MacRoman,
    Sbcs::W1254,
    Sbcs::W1257,
    Sbcs::W1253,
    Sbcs::Cp437,
];

const N: usize = ALL.len();

/// Characters below this are looked up in a dense table; the few codec characters above it
/// (MacRoman's U+F8FF, ﬁ, ﬂ) in a short list.
const DENSE_END: u32 = 0x2600;

impl Sbcs {
    fn index(self) -> usize {
        ALL.iter().position(|&c| c == self).expect("listed")
    }

    pub fn bit(self) -> u16 {
        1 << self.index()
    }

    fn encoding(self) -> Option<&'static Encoding> {
        Some(match self {
            Sbcs::Latin1 => encoding_rs::WINDOWS_1252,
            Sbcs::W1250 => encoding_rs::WINDOWS_1250,
            Sbcs::W1251 => encoding_rs::WINDOWS_1251,
            Sbcs::W1253 => encoding_rs::WINDOWS_1253,
            Sbcs::W1254 => encoding_rs::WINDOWS_1254,
            Sbcs::W1257 => encoding_rs::WINDOWS_1257,
            Sbcs::Iso8859_2 => encoding_rs::ISO_8859_2,
            Sbcs::MacRoman => encoding_rs::MACINTOSH,
            Sbcs::Cp437 => return None,
        })
    }

    /// Whether byte 0xA0 is a no-break space in this codec, so that a lost 0xA0 (a no-break
    /// space some program turned into a plain space) can be restored.
    pub fn a0_is_nbsp(self) -> bool {
        !matches!(self, Sbcs::MacRoman | Sbcs::Cp437)
    }

    /// The byte `c` encodes to, for a non-ASCII `c`; ASCII is itself in every codec here.
    pub fn encode(self, c: char) -> Option<u8> {
        if c.is_ascii() {
            return Some(c as u8);
        }
        let t = tables();
        let row = if (c as u32) < DENSE_END {
            &t.dense[(c as u32 - 0x80) as usize]
        } else {
            &t.extra.iter().find(|(x, _)| *x == c)?.1
        };
        match row[self.index()] {
            0 => None,
            b => Some(b),
        }
    }

    /// Lead bytes whose character is almost never followed by the codec's continuation
    /// symbols in real text, so that `Ã©`, `Â°`, `Ð±` (windows-1252), `Р°` (windows-1251),
    /// `√©` (MacRoman), `├®` (cp437) count as evidence on their own. Set by ftfy's language
    /// name cases (Ã/Â for Western European, Ð/Ñ Cyrillic, Î/Ï Greek, ×/Ø/Ù Hebrew and
    /// Arabic). windows-1250's C2/C3 are Romanian Â and Ă, real letters, so it has none.
    pub fn typical_lead(self, b: u8) -> bool {
        match self {
            Sbcs::Latin1 => matches!(
                b,
                0xC2 | 0xC3 | 0xCE | 0xCF | 0xD0 | 0xD1 | 0xD7 | 0xD8 | 0xD9
            ),
            Sbcs::W1251 => matches!(b, 0xD0 | 0xD1),
            Sbcs::MacRoman | Sbcs::Cp437 => matches!(b, 0xC2 | 0xC3 | 0xD0 | 0xD1),
            _ => false,
        }
    }
}

/// What a character can be in each codec: bit `k` of `lead` is set when it encodes to a UTF-8
/// lead byte (0xC2–0xF4) in `ALL[k]`, bit `k` of `cont` when it encodes to a continuation byte
/// (0x80–0xBF).
#[derive(Clone, Copy, Default)]
pub(super) struct Roles {
    pub lead: u16,
    pub cont: u16,
}

struct Tables {
    /// For U+0080..DENSE_END: the byte in each codec (0 = none).
    dense: Vec<[u8; N]>,
    extra: Vec<(char, [u8; N])>,
    roles: Vec<Roles>,
    /// windows-1252 for 0x80–0x9F (the C1 control itself where it has nothing).
    w1252_c1: [char; 32],
}

fn high_half(codec: Sbcs) -> [char; 128] {
    let mut out = ['\u{FFFD}'; 128];
    match codec.encoding() {
        None => out = CP437_HIGH,
        Some(encoding) => {
            for (i, slot) in out.iter_mut().enumerate() {
                let byte = [0x80 + i as u8];
                let (text, _) = encoding.decode_without_bom_handling(&byte);
                *slot = text.chars().next().unwrap_or('\u{FFFD}');
            }
        }
    }
    out
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut dense = vec![[0u8; N]; (DENSE_END - 0x80) as usize];
        let mut extra: Vec<(char, [u8; N])> = Vec::new();
        for (k, &codec) in ALL.iter().enumerate() {
            let mut put = |c: char, b: u8| {
                if (c as u32) < 0x80 || c == '\u{FFFD}' {
                    return;
                }
                if (c as u32) < DENSE_END {
                    let slot = &mut dense[(c as u32 - 0x80) as usize][k];
                    if *slot == 0 {
                        *slot = b;
                    }
                } else {
                    match extra.iter_mut().find(|(x, _)| *x == c) {
                        Some((_, row)) => row[k] = b,
                        None => {
                            let mut row = [0u8; N];
                            row[k] = b;
                            extra.push((c, row));
                        }
                    }
                }
            };
            for (i, c) in high_half(codec).into_iter().enumerate() {
                put(c, 0x80 + i as u8);
            }
            if codec == Sbcs::Latin1 {
                // A strict Latin-1 decoder turns 0x80–0x9F into C1 controls.
                for b in 0x80u8..=0x9f {
                    put(char::from(b), b);
                }
            }
        }
        let roles = dense
            .iter()
            .map(|row| {
                let mut roles = Roles::default();
                for (k, &b) in row.iter().enumerate() {
                    if (0xc2..=0xf4).contains(&b) {
                        roles.lead |= 1 << k;
                    } else if (0x80..=0xbf).contains(&b) {
                        roles.cont |= 1 << k;
                    }
                }
                roles
            })
            .collect();
        let mut w1252_c1 = ['\0'; 32];
        for (i, slot) in w1252_c1.iter_mut().enumerate() {
            let byte = [0x80 + i as u8];
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
            *slot = text.chars().next().unwrap_or('\0');
        }
        Tables {
            w1252_c1,
            dense,
            extra,
            roles,
        }
    })
}

/// The roles of `c` (see [`Roles`]); empty for ASCII and for characters no codec has.
#[inline]
pub(super) fn roles(c: char) -> Roles {
    let code = c as u32;
    if code < 0x80 {
        return Roles::default();
    }
    if code < DENSE_END {
        return tables().roles[(code - 0x80) as usize];
    }
    let mut roles = Roles::default();
    if let Some((_, row)) = tables().extra.iter().find(|(x, _)| *x == c) {
        for (k, &b) in row.iter().enumerate() {
            if (0xc2..=0xf4).contains(&b) {
                roles.lead |= 1 << k;
            } else if (0x80..=0xbf).contains(&b) {
                roles.cont |= 1 << k;
            }
        }
    }
    roles
}

/// Whether `c` could be in a codec's upper half at all (a cheap pre-test for [`roles`]).
#[inline]
pub(super) fn maybe_codec_char(c: char) -> bool {
    let code = c as u32;
    (0x80..DENSE_END).contains(&code) || matches!(code, 0xF8FF | 0xFB01 | 0xFB02)
}

/// The windows-1252 character of a C1 control (`\u{93}` → `“`), for the five undefined bytes
/// `None`.
pub(super) fn c1_as_1252(c: char) -> Option<char> {
    let code = c as u32;
    if !(0x80..=0x9f).contains(&code) {
        return None;
    }
    let d = tables().w1252_c1[(code - 0x80) as usize];
    (d != c).then_some(d)
}

/// Whether `c` is a common letter of a Latin-script language: in windows-1250, -1252, -1254,
/// -1257 or -1258, or Romanian ș ț, or Vietnamese (Latin Extended Additional). `Ġ` (Maltese
/// only) and `ɮ` are not; a repair that produces one needs more evidence.
pub(super) fn common_latin(c: char) -> bool {
    static SET: OnceLock<Vec<char>> = OnceLock::new();
    let set = SET.get_or_init(|| {
        let mut set: Vec<char> = Vec::new();
        for encoding in [
            encoding_rs::WINDOWS_1250,
            encoding_rs::WINDOWS_1252,
            encoding_rs::WINDOWS_1254,
            encoding_rs::WINDOWS_1257,
            encoding_rs::WINDOWS_1258,
        ] {
            for b in 0x80u8..=0xff {
                let byte = [b];
                let (text, _) = encoding.decode_without_bom_handling(&byte);
                set.extend(text.chars().filter(|c| c.is_alphabetic()));
            }
        }
        set.extend(['ș', 'ț', 'Ș', 'Ț', 'Ơ', 'ơ', 'Ư', 'ư']);
        set.sort_unstable();
        set.dedup();
        set
    });
    ('\u{1E00}'..='\u{1EFF}').contains(&c) || set.binary_search(&c).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_the_codecs() {
        assert_eq!(Sbcs::Latin1.encode('Ã'), Some(0xc3));
        assert_eq!(Sbcs::Latin1.encode('€'), Some(0x80));
        assert_eq!(Sbcs::Latin1.encode('\u{80}'), Some(0x80));
        assert_eq!(Sbcs::Latin1.encode('\u{9d}'), Some(0x9d));
        assert_eq!(Sbcs::W1251.encode('Р'), Some(0xd0));
        assert_eq!(Sbcs::MacRoman.encode('√'), Some(0xc3));
        assert_eq!(Sbcs::MacRoman.encode('\u{F8FF}'), Some(0xf0));
        assert_eq!(Sbcs::Cp437.encode('─'), Some(0xc4));
        assert_eq!(Sbcs::Cp437.encode('\u{a0}'), Some(0xff));
        assert_eq!(Sbcs::W1253.encode('中'), None);
        assert_eq!(Sbcs::W1251.encode('a'), Some(b'a'));
    }

    #[test]
    fn roles_mark_leads_and_continuations() {
        let r = roles('Ã');
        assert!(r.lead & Sbcs::Latin1.bit() != 0);
        let r = roles('©');
        assert!(r.cont & Sbcs::Latin1.bit() != 0);
        assert_eq!(roles('中').lead | roles('中').cont, 0);
        assert!(maybe_codec_char('\u{FB01}') && !maybe_codec_char('中'));
    }

    #[test]
    fn c1_controls_read_as_windows_1252() {
        assert_eq!(c1_as_1252('\u{93}'), Some('“'));
        assert_eq!(c1_as_1252('\u{85}'), Some('…'));
        assert_eq!(c1_as_1252('\u{81}'), None);
        assert_eq!(c1_as_1252('a'), None);
    }

    #[test]
    fn common_latin_letters() {
        assert!(common_latin('é') && common_latin('ř') && common_latin('ș') && common_latin('ế'));
        assert!(!common_latin('Ġ') && !common_latin('ɮ') && !common_latin('ŉ'));
    }
}
