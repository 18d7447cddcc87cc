//! `entities`: HTML character references left in text that is no longer HTML.
//!
//! A scraper that takes the text of a page but not its markup often keeps the references that
//! stood for characters: `原标题:东营市&nbsp;疫情防控&amp;复工` → `原标题:东营市\u{a0}疫情防控&复工`.
//! This rule decodes them:
//! - the named references of HTML 4.01 (all 252, from the generated table
//!   [`crate::tables::html4_entities`]: `&amp;` `&lt;` `&gt;` `&quot;` `&nbsp;` `&copy;`
//!   `&hellip;` `&mdash;` …) and `&apos;` (XML and HTML5). Names are case-sensitive, as in HTML;
//! - numeric references, decimal and hexadecimal (`&#20013;` `&#x4e2d;` `&#X4E2D;` → `中`).
//!   `&#128;`–`&#159;` are read as windows-1252, as browsers do (`&#150;` → `–`), because
//!   that is what the page's author meant;
//! - `&nbsp;` becomes U+00A0, which `unicode` (running next) turns into a plain space, and
//!   `&#xFF21;` becomes `Ａ`, which `width` folds: this rule only decodes.
//!
//! ```
//! use rinse::rules::{apply_edits, entities::Entities, LineRule};
//!
//! let fix = |line: &str| {
//!     let mut edits = Vec::new();
//!     Entities.find_edits(line, &mut edits);
//!     apply_edits(line, &edits)
//! };
//! assert_eq!(fix("AT&amp;T &lt;3 &#x4e2d;&#25991;"), "AT&T <3 中文");
//! // Markup, bare ampersands and unknown names stay.
//! assert_eq!(fix("<p>&lt;</p>"), "<p>&lt;</p>");
//! assert_eq!(fix("R&D ?a=1&b=2 &unknown;"), "R&D ?a=1&b=2 &unknown;");
//! ```
//!
//! Decisions:
//! - **The `;` is required**, except for `&amp` `&lt` `&gt` `&quot` `&nbsp` `&copy` `&reg`,
//!   which browsers also accept bare and which scraped text often has bare (`&nbsp中文`). Even
//!   these are decoded only when the next character is not a letter, a digit or `=`, so that a
//!   URL query (`?a=1&copy=2`, `&ltid=3`) is never touched. Numeric references need their `;`.
//! - **Double escapes are decoded through**: `&amp;nbsp;` becomes U+00A0, not `&nbsp;`, and
//!   `&amp;amp;lt;` becomes `<`. Scraped text is full of doubly escaped references, and the
//!   literal text `&nbsp;` would be decoded by this same rule anyway, so decoding once would
//!   only leave work for a second run: decoding through makes the rule idempotent. The cost is
//!   a page *about* HTML whose text says "write `&amp;nbsp;`": it ends up showing the space.
//! - **Lines that look like markup are left alone**: a line with a tag (`<p>`, `<div class=…>`,
//!   `</a>`, `<br/>`) or a comment (`<!--`) is HTML source, where decoding `&lt;` would change
//!   what the markup means. `&lt;p&gt;` in a line without tags is text and is decoded.
//!
//! What it leaves alone: unknown names (`&unknown;`, HTML5-only names such as `&NewLine;`),
//! bare `&` (`AT&T`, `R&D`, `a && b`), references to characters that cannot or should not
//! appear in a line: `&#0;`, surrogates (`&#xD800;`), values past U+10FFFF, control
//! characters other than tab (`&#10;` would split the line), the five windows-1252 holes
//! (`&#129;`…) and noncharacters.
//!
//! What a wrong guess costs: a line of HTML source without any tag in it (a fragment such as
//! `if (a &lt; b)` in a code sample) gets decoded, which changes the meaning of the source; a
//! line of plain text that happens to contain something tag-like (`Vec<T> &amp; more`) is left
//! with its references.

use memchr::{memchr, memchr_iter};

use crate::rules::{Edit, LineRule, RuleId};
use crate::tables::html4_entities;

pub struct Entities;

impl LineRule for Entities {
    fn id(&self) -> RuleId {
        RuleId::Entities
    }

    fn find_edits(&self, line: &str, edits: &mut Vec<Edit>) {
        let bytes = line.as_bytes();
        // The fast path: no `&`, no reference.
        let Some(mut at) = memchr(b'&', bytes) else {
            return;
        };
        if looks_like_markup(bytes) {
            return;
        }
        loop {
            let next_from = match decode_at(line, at) {
                Some(decoded) => {
                    let end = decoded.end;
                    edits.push(Edit::new(
                        at..end,
                        String::from(decoded.value),
                        decoded.reason,
                    ));
                    end
                }
                None => at + 1,
            };
            match memchr(b'&', &bytes[next_from..]) {
                Some(offset) => at = next_from + offset,
                None => return,
            }
        }
    }
}

/// A decoded reference (or chain of references, for double escapes).
struct Decoded {
    /// Byte offset just past the reference.
    end: usize,
    value: char,
    reason: &'static str,
}

/// Decodes the reference that starts with the `&` at `at`, following double escapes.
fn decode_at(line: &str, at: usize) -> Option<Decoded> {
    let mut decoded = decode_body(line, at + 1)?;
    // `&amp;` (or `&#38;`) followed by what would be a reference on its own: a double escape.
    let mut layers = 1;
    while decoded.value == '&' {
        match decode_body(line, decoded.end) {
            Some(inner) => {
                decoded = inner;
                layers += 1;
            }
            None => break,
        }
    }
    if layers > 1 {
        decoded.reason = "double-escaped HTML reference";
    }
    Some(decoded)
}

/// Decodes the reference whose body (what follows the `&`) starts at `start`.
fn decode_body(line: &str, start: usize) -> Option<Decoded> {
    let bytes = line.as_bytes();
    if bytes.get(start) == Some(&b'#') {
        return decode_numeric(bytes, start + 1);
    }
    let name_len = bytes[start..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if name_len == 0
        || name_len > html4_entities::MAX_NAME_LEN
        || !bytes[start].is_ascii_alphabetic()
    {
        return None;
    }
    let name = &line[start..start + name_len];
    let after = start + name_len;
    if bytes.get(after) == Some(&b';') {
        let value = if name == "apos" {
            '\''
        } else {
            html4_entities::lookup(name)?
        };
        return Some(Decoded {
            end: after + 1,
            value,
            reason: named_reason(name),
        });
    }
    // Without `;`: only the names browsers accept bare, and only where the name clearly ends.
    if !matches!(name, "amp" | "lt" | "gt" | "quot" | "nbsp" | "copy" | "reg") {
        return None;
    }
    if bytes.get(after) == Some(&b'=') {
        return None;
    }
    let value = html4_entities::lookup(name)?;
    Some(Decoded {
        end: after,
        value,
        reason: "HTML reference without ';'",
    })
}

fn named_reason(name: &str) -> &'static str {
    match name {
        "amp" => "HTML reference &amp;",
        "lt" => "HTML reference &lt;",
        "gt" => "HTML reference &gt;",
        "quot" => "HTML reference &quot;",
        "apos" => "HTML reference &apos;",
        "nbsp" => "HTML reference &nbsp;",
        _ => "HTML named reference",
    }
}

/// Decodes `&#…;` whose digits (or `x`) start at `start`.
fn decode_numeric(bytes: &[u8], start: usize) -> Option<Decoded> {
    let (digits_start, radix) = match bytes.get(start) {
        Some(b'x' | b'X') => (start + 1, 16),
        _ => (start, 10),
    };
    let digits_len = bytes[digits_start..]
        .iter()
        .take_while(|b| {
            if radix == 16 {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            }
        })
        .count();
    let end = digits_start + digits_len;
    if digits_len == 0 || bytes.get(end) != Some(&b';') {
        return None;
    }
    // Saturating: any value past U+10FFFF is as invalid as any other.
    let code = bytes[digits_start..end].iter().fold(0u32, |code, &b| {
        let digit = (b as char).to_digit(radix).expect("checked above");
        code.saturating_mul(radix)
            .saturating_add(digit)
            .min(0x11_0000)
    });
    let (value, reason) = match code {
        0x80..=0x9f => (windows_1252(code)?, "HTML numeric reference (windows-1252)"),
        _ => (
            char::from_u32(code).filter(|&c| is_decodable(c))?,
            "HTML numeric reference",
        ),
    };
    Some(Decoded {
        end: end + 1,
        value,
        reason,
    })
}

/// Whether a numeric reference to `c` may be decoded into a line. NUL, control characters
/// other than tab (a line break would split the line) and noncharacters are left as references:
/// materializing them helps nobody, and `unicode` would only delete them.
fn is_decodable(c: char) -> bool {
    let code = c as u32;
    let control = (c.is_control() && c != '\t') || code == 0;
    let noncharacter = (0xfdd0..=0xfdef).contains(&code) || code & 0xfffe == 0xfffe;
    !control && !noncharacter
}

/// What `&#128;`–`&#159;` mean: the HTML standard reads them as windows-1252, because pages
/// written on Windows used those code points for curly quotes and dashes. The five codes that
/// windows-1252 leaves undefined have no meaning and stay as they are. The test
/// `c1_references_match_windows_1252` checks this against `encoding_rs`.
fn windows_1252(code: u32) -> Option<char> {
    let c = match code {
        0x80 => '€',
        0x82 => '‚',
        0x83 => 'ƒ',
        0x84 => '„',
        0x85 => '…',
        0x86 => '†',
        0x87 => '‡',
        0x88 => 'ˆ',
        0x89 => '‰',
        0x8a => 'Š',
        0x8b => '‹',
        0x8c => 'Œ',
        0x8e => 'Ž',
        0x91 => '‘',
        0x92 => '’',
        0x93 => '“',
        0x94 => '”',
        0x95 => '•',
        0x96 => '–',
        0x97 => '—',
        0x98 => '˜',
        0x99 => '™',
        0x9a => 'š',
        0x9b => '›',
        0x9c => 'œ',
        0x9e => 'ž',
        0x9f => 'Ÿ',
        _ => return None,
    };
    Some(c)
}

/// Whether the line looks like HTML source: a start or end tag (`<p>`, `<div class="a">`,
/// `</a>`, `<br/>`), a comment or a doctype. A tag is `<`, an optional `/`, a letter, more
/// letters or digits, then `>`, `/` or whitespace followed somewhere by `>`. Text such as
/// `a < b` or `<3` does not match; `Vec<T>` does (a cheap false positive: the line keeps its
/// references).
fn looks_like_markup(bytes: &[u8]) -> bool {
    memchr_iter(b'<', bytes).any(|at| {
        let rest = &bytes[at + 1..];
        if rest.starts_with(b"!--")
            || rest
                .get(..8)
                .is_some_and(|s| s.eq_ignore_ascii_case(b"!doctype"))
        {
            return true;
        }
        let name_start = usize::from(rest.first() == Some(&b'/'));
        let name = &rest[name_start..];
        if !name.first().is_some_and(u8::is_ascii_alphabetic) {
            return false;
        }
        let name_len = name
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        match name.get(name_len) {
            Some(b'>') => true,
            Some(b' ' | b'\t' | b'/') => memchr(b'>', &name[name_len..]).is_some(),
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::fix;

    fn unchanged(line: &str) {
        let mut edits = Vec::new();
        Entities.find_edits(line, &mut edits);
        assert_eq!(edits, Vec::new(), "{line:?} should be left alone");
    }

    fn reasons(line: &str) -> Vec<String> {
        let mut edits = Vec::new();
        Entities.find_edits(line, &mut edits);
        edits.iter().map(|e| e.reason.to_string()).collect()
    }

    #[test]
    fn decodes_the_common_references() {
        assert_eq!(fix(&Entities, "AT&amp;T"), "AT&T");
        assert_eq!(fix(&Entities, "&lt;p&gt; is a tag"), "<p> is a tag");
        assert_eq!(fix(&Entities, "&quot;hi&quot; &apos;x&apos;"), "\"hi\" 'x'");
        assert_eq!(fix(&Entities, "东营市&nbsp;疫情"), "东营市\u{a0}疫情");
        assert_eq!(
            fix(
                &Entities,
                "&copy; 2024 &hellip; &mdash; &euro;5 &Aacute;&aacute;"
            ),
            "© 2024 … — €5 Áá"
        );
        assert_eq!(
            reasons("&amp;&nbsp;&hellip;"),
            [
                "HTML reference &amp;",
                "HTML reference &nbsp;",
                "HTML named reference"
            ]
        );
    }

    #[test]
    fn decodes_numeric_references() {
        assert_eq!(
            fix(&Entities, "&#x4e2d;&#X4E2D;&#20013;&#x00004e2d;"),
            "中中中中"
        );
        assert_eq!(fix(&Entities, "&#65;&#9;&#x1F600;&#xFF21;"), "A\t😀Ａ");
        assert_eq!(fix(&Entities, "&#150; &#146;s &#128;"), "– ’s €");
        assert_eq!(reasons("&#150;"), ["HTML numeric reference (windows-1252)"]);
    }

    #[test]
    fn bare_names_only_where_browsers_accept_them() {
        assert_eq!(fix(&Entities, "&nbsp中文&nbsp"), "\u{a0}中文\u{a0}");
        assert_eq!(fix(&Entities, "&copy 2024, a &lt b"), "© 2024, a < b");
        unchanged("?a=1&copy=2&ltid=3&amp=4");
        unchanged("&nbspx &hellip &euro5");
    }

    #[test]
    fn double_escapes_are_decoded_through() {
        assert_eq!(fix(&Entities, "&amp;nbsp;"), "\u{a0}");
        assert_eq!(fix(&Entities, "&amp;amp;lt;b&amp;gt;"), "<b>");
        assert_eq!(fix(&Entities, "&amp;#20013;&#38;amp;"), "中&");
        assert_eq!(reasons("&amp;nbsp;"), ["double-escaped HTML reference"]);
        // `&amp;` before something that is not a reference is a single escape.
        assert_eq!(fix(&Entities, "AT&amp;T &amp;&amp; R&amp;D"), "AT&T && R&D");
    }

    #[test]
    fn leaves_non_references_alone() {
        unchanged("AT&T and R&D");
        unchanged("if (a && b) { x &= y; }");
        unchanged("https://example.com/?x=1&y=2&z");
        unchanged("&unknown; &NewLine; &AMP; &Amp; &;& &#; &#x; &#xg; &#65 &x");
        unchanged("中文&中文");
    }

    #[test]
    fn leaves_invalid_numeric_references_alone() {
        unchanged("&#0; &#x0; &#xD800; &#xDFFF; &#x110000; &#99999999999999999999;");
        unchanged("&#10; &#13; &#x7f; &#1; &#x81; &#x8D; &#143; &#x90; &#x9d;");
        unchanged("&#xFDD0; &#xFFFE; &#x10FFFF;");
    }

    #[test]
    fn leaves_markup_lines_alone() {
        unchanged("<p>&lt;</p>");
        unchanged("<div class=\"a\">&amp;</div>");
        unchanged("text</a> &nbsp;");
        unchanged("line<br>&nbsp;");
        unchanged("line<br/>&nbsp;");
        unchanged("<!-- &amp; -->");
        unchanged("<!DOCTYPE html>&amp;");
        // Comparisons, hearts and e-mail addresses are not tags.
        assert_eq!(fix(&Entities, "a < b &amp; c > d"), "a < b & c > d");
        assert_eq!(
            fix(&Entities, "<3 &amp; <foo@example.com>"),
            "<3 & <foo@example.com>"
        );
    }

    #[test]
    fn output_is_stable() {
        for line in [
            "&amp;amp;nbsp;",
            "&lt;p&gt;&amp;lt;",
            "&#38;#38;#38;",
            "&nbsp&amp;copy 1",
        ] {
            let once = fix(&Entities, line);
            assert_eq!(fix(&Entities, &once), once, "{line:?}");
        }
    }

    #[test]
    fn html4_table_is_complete_and_sorted() {
        let table = html4_entities::HTML4_ENTITIES;
        assert_eq!(table.len(), 252);
        assert!(table.windows(2).all(|pair| pair[0].0 < pair[1].0));
        assert!(table
            .iter()
            .all(|&(name, _)| name.len() <= html4_entities::MAX_NAME_LEN));
        // Every entry decodes through the rule, and to what it says (this restates the table;
        // the spot checks below do not).
        for &(name, value) in table {
            assert_eq!(
                fix(&Entities, &format!("&{name};")),
                value.to_string(),
                "&{name};"
            );
        }
        for (name, value) in [
            ("nbsp", '\u{a0}'),
            ("yuml", 'ÿ'),
            ("OElig", 'Œ'),
            ("thetasym", 'ϑ'),
            ("lang", '\u{2329}'),
        ] {
            assert_eq!(html4_entities::lookup(name), Some(value));
        }
    }

    #[test]
    fn c1_references_match_windows_1252() {
        for code in 0x80u8..=0x9f {
            let byte = [code];
            let (decoded, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
            let expected = decoded.chars().next().filter(|&c| c as u32 != code as u32);
            assert_eq!(windows_1252(code as u32), expected, "0x{code:02X}");
        }
    }
}
