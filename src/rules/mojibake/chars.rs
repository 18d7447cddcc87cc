//! What kind of character a repair would produce: a script, and whether the character is one
//! that real text uses (`é`, `ž`, `中`, `❤`), one that only a rare language or a phonetician
//! uses (`ɮ`, `Ӆ`, `ᴴ`), or one that no text has (controls, unassigned code points).

/// A writing system, as far as telling mojibake from text needs one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Script {
    Latin,
    Greek,
    Cyrillic,
    Hebrew,
    Arabic,
    Indic,
    Thai,
    Han,
    Kana,
    Hangul,
    Other,
    /// Not a letter.
    None,
}

pub(super) fn script(c: char) -> Script {
    // The common case first: every code point of the URO and Extension A is an ideograph,
    // and the Unicode property look-up below is slow for them (see `ideographs_are_letters`).
    if matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF) {
        return Script::Han;
    }
    if !c.is_alphabetic() {
        return Script::None;
    }
    match c as u32 {
        0x00..=0x024F | 0x1E00..=0x1EFF | 0xFB00..=0xFB06 => Script::Latin,
        0x0370..=0x03FF | 0x1F00..=0x1FFF => Script::Greek,
        0x0400..=0x052F => Script::Cyrillic,
        0x0590..=0x05FF | 0xFB1D..=0xFB4F => Script::Hebrew,
        0x0600..=0x06FF | 0x0750..=0x077F => Script::Arabic,
        0x0900..=0x0DFF => Script::Indic,
        0x0E00..=0x0E7F => Script::Thai,
        0x3040..=0x30FF | 0x31F0..=0x31FF => Script::Kana,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Script::Hangul,
        0x2E80..=0x2FDF | 0x3005..=0x3007 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF => {
            Script::Han
        }
        0x20000..=0x3134F => Script::Han,
        _ => Script::Other,
    }
}

/// How plausible a character is as the product of a repair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// Used by living languages or common symbol sets.
    Common,
    /// Real, but rare enough that producing it needs more evidence.
    Rare,
    /// Controls, unassigned and private-use code points: never the result of a repair.
    Never,
}

pub(super) fn kind(c: char) -> Kind {
    let code = c as u32;
    // The common case first (the URO, a row of the match below).
    if (0x4E00..=0x9FFF).contains(&code) {
        return Kind::Common;
    }
    // Planes 4–13 are unassigned; 15–16 are private use.
    if c.is_control() || (0xE000..=0xF8FF).contains(&code) || code >= 0x323B0 {
        return Kind::Never;
    }
    if (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE {
        return Kind::Never;
    }
    match code {
        0x20..=0x7E => Kind::Common,
        // Latin-1, Latin Extended-A, the Latin Extended-B letters living languages use
        // (ƒ, Vietnamese ơ ư, pinyin ǎ…ǜ, Croatian digraphs, Romanian ș ț).
        0x00A0..=0x017F => Kind::Common,
        0x0192 | 0x01A0 | 0x01A1 | 0x01AF | 0x01B0 | 0x01C4..=0x01DC | 0x0218..=0x021B => {
            Kind::Common
        }
        0x0180..=0x024F => Kind::Rare,
        // IPA, spacing modifiers: phonetics. ˆ ˇ ˘ ˙ ˚ ˛ ˜ ˝ are in the windows code pages.
        0x02C6 | 0x02C7 | 0x02D8..=0x02DD => Kind::Common,
        0x0250..=0x02FF => Kind::Rare,
        // Combining diacritics: real after a letter (the caller checks the position).
        0x0300..=0x036F => Kind::Common,
        0x0378 | 0x0379 | 0x0380..=0x0383 | 0x038B | 0x038D | 0x03A2 => Kind::Never,
        0x0370..=0x03FF => Kind::Common,
        0x0400..=0x045F | 0x0490..=0x04FF => Kind::Common,
        0x0460..=0x048F | 0x0500..=0x052F => Kind::Rare,
        0x05C8..=0x05CF | 0x05EB..=0x05EE | 0x05F5..=0x05FF => Kind::Never,
        0x0590..=0x05FF => Kind::Common,
        0x0600..=0x06FF => Kind::Common,
        0x0900..=0x0DFF | 0x0E00..=0x0E7F | 0x10A0..=0x10FF | 0x1100..=0x11FF => Kind::Common,
        0x1E00..=0x1FFF => Kind::Common,
        // General punctuation, super/subscripts, currency, letterlike, number forms, arrows,
        // maths, technical, enclosed, box drawing, shapes, symbols, dingbats, braille.
        0x2000..=0x2064 | 0x2070..=0x209C | 0x20A0..=0x20C0 | 0x2100..=0x218B => Kind::Common,
        0x2190..=0x23FF | 0x2460..=0x27BF | 0x27C0..=0x27EF | 0x2800..=0x28FF => Kind::Common,
        0x2900..=0x2BFF => Kind::Rare,
        // CJK: radicals, punctuation, kana, bopomofo, Hangul, ideographs, compatibility and
        // full-width forms.
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F => Kind::Common,
        0x3130..=0x318F | 0x31F0..=0x31FF | 0x3200..=0x33FF | 0x3400..=0x4DBF => Kind::Common,
        0x4E00..=0x9FFF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF => Kind::Common,
        0xFB00..=0xFB06 | 0xFE00..=0xFE0F | 0xFE30..=0xFE6B | 0xFF01..=0xFFEE => Kind::Common,
        0xFFFD => Kind::Common,
        // Emoji and pictographs, mathematical alphanumerics, CJK extensions.
        0x1F000..=0x1FAFF | 0x1D400..=0x1D7FF | 0x20000..=0x3134F | 0xE0020..=0xE007F => {
            Kind::Common
        }
        _ => Kind::Rare,
    }
}

/// A combining mark (it needs a character before it).
pub(super) fn combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05C7 | 0x0610..=0x061A
        | 0x064B..=0x065F | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E | 0xFE00..=0xFE0F
        | 0x200D | 0x20D0..=0x20FF)
        || (matches!(c as u32, 0x0900..=0x0DFF) && !c.is_alphabetic())
}

pub(super) fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{a0}' || c == '\t'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(kind('é'), Kind::Common);
        assert_eq!(kind('ř'), Kind::Common);
        assert_eq!(kind('ɮ'), Kind::Rare);
        assert_eq!(kind('Ѡ'), Kind::Rare);
        assert_eq!(kind('\u{85}'), Kind::Never);
        assert_eq!(kind('\u{E000}'), Kind::Never);
        assert_eq!(kind('中'), Kind::Common);
        assert_eq!(kind('😍'), Kind::Common);
        assert_eq!(kind('ᴴ'), Kind::Rare);
    }

    #[test]
    fn ideographs_are_letters() {
        // What `script`'s shortcut assumes.
        for code in (0x3400..=0x4DBF).chain(0x4E00..=0x9FFF) {
            let c = char::from_u32(code).expect("not a surrogate");
            assert!(c.is_alphabetic(), "{c:?}");
        }
    }

    #[test]
    fn scripts() {
        assert_eq!(script('é'), Script::Latin);
        assert_eq!(script('γ'), Script::Greek);
        assert_eq!(script('ה'), Script::Hebrew);
        assert_eq!(script('中'), Script::Han);
        assert_eq!(script('녔'), Script::Hangul);
        assert_eq!(script('×'), Script::None);
    }
}
