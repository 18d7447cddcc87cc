//! Decoding: bytes of unknown encoding in, UTF-8 text out, in chunks.
//!
//! The decision, in order:
//! 1. a byte-order mark at the start says UTF-8, UTF-16LE or UTF-16BE;
//! 2. otherwise `--encoding` (any WHATWG label) if the user gave one;
//! 3. otherwise the input is looked at only once it shows a byte that is not ASCII (ASCII means
//!    the same in every encoding we detect, so `tail -f` of an ASCII log is passed on at once).
//!    The chunk that holds that byte is the sample: if it is UTF-8 — or nearly, with a few
//!    broken sequences among many good ones — the input is UTF-8; if it has the NUL pattern
//!    of UTF-16 text without a byte-order mark, it is UTF-16; otherwise chardetng guesses
//!    the legacy encoding (GBK, Big5, Shift_JIS, EUC-KR, EUC-JP, windows-125x, …).
//!
//! Bytes that do not decode become U+FFFD and are counted; they never stop the run.

use std::io::{self, Read};

use chardetng::EncodingDetector;
use encoding_rs::{Decoder, Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// How many bytes are read at a time. Also the size of the detection sample for files.
pub const CHUNK_BYTES: usize = 64 * 1024;

/// UTF-8 with broken sequences is still taken as UTF-8 when at most one sequence in this many
/// multi-byte characters is broken: a real UTF-8 page with a truncated character or a stray
/// Latin-1 byte should not be re-decoded as GBK, while GBK text, which is almost never valid
/// UTF-8 for more than a few characters in a row, falls far below this.
const UTF8_ERRORS_PER_GOOD_CHAR: usize = 50;

/// A sample that is not UTF-8 is held until it has this many bytes (or the input ends) before
/// its encoding is guessed: a short line of GBK (`你好`) reads as EUC-KR too, and a wrong guess
/// garbles the whole stream, while waiting only delays the first line of a legacy-encoded pipe.
const MIN_LEGACY_SAMPLE_BYTES: usize = 1024;

/// A sample is taken as UTF-16 without a byte-order mark when at least this share of its
/// byte pairs have a NUL in the same half (ASCII-range text in UTF-16).
const UTF16_NUL_SHARE_PERCENT: usize = 40;

/// Streams `R` as UTF-8 text.
pub struct DecodedReader<R> {
    reader: R,
    raw: Vec<u8>,
    text: String,
    state: State,
    forced: Option<&'static Encoding>,
    at_start: bool,
    eof: bool,
    /// Input bytes passed to the decoder (or through as ASCII) so far, byte-order mark included:
    /// the offset in the input of the next byte decoded.
    consumed: u64,
    replacements: u64,
    first_nul: Option<u64>,
    /// The last two bytes given to a UTF-8 decoder, to find a U+FFFD of the input that a read
    /// boundary cut in two (it is text, not a replacement).
    utf8_tail: Vec<u8>,
    bom_removed: bool,
    /// A short sample of a legacy encoding, held until there is enough to detect it.
    held: Vec<u8>,
    /// Whether any byte was not ASCII (ASCII reads the same in every encoding we decode).
    saw_non_ascii: bool,
}

enum State {
    /// Only ASCII seen so far; no encoding chosen yet.
    Undecided,
    Decoding {
        encoding: &'static Encoding,
        decoder: Decoder,
    },
}

impl<R: Read> DecodedReader<R> {
    /// `forced` is the encoding the user named with `--encoding`; a byte-order mark still
    /// wins over it, as it does in browsers.
    pub fn new(reader: R, forced: Option<&'static Encoding>) -> DecodedReader<R> {
        DecodedReader {
            reader,
            raw: vec![0; CHUNK_BYTES],
            text: String::new(),
            state: State::Undecided,
            forced,
            at_start: true,
            eof: false,
            consumed: 0,
            replacements: 0,
            first_nul: None,
            utf8_tail: Vec::new(),
            bom_removed: false,
            held: Vec::new(),
            saw_non_ascii: false,
        }
    }

    /// The encoding chosen, once one has been (`None` while the input has been pure ASCII).
    pub fn encoding(&self) -> Option<&'static Encoding> {
        match &self.state {
            State::Undecided => None,
            State::Decoding { encoding, .. } => Some(encoding),
        }
    }

    /// How many undecodable byte sequences became U+FFFD so far.
    pub fn replacements(&self) -> u64 {
        self.replacements
    }

    /// Whether the text so far is byte for byte the input: UTF-8 (or ASCII read with an encoding
    /// that keeps ASCII as it is), no byte-order mark removed, nothing replaced.
    pub fn is_verbatim(&self) -> bool {
        let same_bytes = self.encoding().is_none_or(|encoding| {
            encoding == UTF_8 || (!self.saw_non_ascii && encoding.is_ascii_compatible())
        });
        same_bytes && !self.bom_removed && self.replacements == 0
    }

    /// Whether a byte-order mark was removed from the start of the input.
    pub fn bom_removed(&self) -> bool {
        self.bom_removed
    }

    /// The input offset of the first NUL character decoded so far, a sign of binary data. The
    /// NUL bytes of UTF-16 text (`a\0b\0`) are not NUL characters and do not count.
    pub fn first_nul(&self) -> Option<u64> {
        self.first_nul
    }

    /// The next piece of text, or `None` at the end of the input. A piece may end in the
    /// middle of a line, never in the middle of a character.
    pub fn next_chunk(&mut self) -> io::Result<Option<&str>> {
        self.text.clear();
        while self.text.is_empty() {
            if self.eof {
                return Ok(None);
            }
            let mut n = read_some(&mut self.reader, &mut self.raw)?;
            if self.at_start {
                // A pipe may deliver a byte-order mark or a signature in pieces: read on while
                // what came is the start of one (text hardly ever is, so a first line is not
                // held back).
                while n > 0 && n < MAX_SIGNATURE_BYTES && starts_a_signature(&self.raw[..n]) {
                    match read_some(&mut self.reader, &mut self.raw[n..])? {
                        0 => break,
                        more => n += more,
                    }
                }
            }
            if n == 0 {
                self.eof = true;
                if !self.held.is_empty() {
                    // The input ended while a short sample was held for detection.
                    let sample = std::mem::take(&mut self.held);
                    self.start_decoding(detect(&sample));
                    self.decode(&sample);
                }
                if let State::Decoding { decoder, .. } = &mut self.state {
                    // Flush an incomplete sequence left at the end of the input.
                    let before = count_replacements(&self.text);
                    self.text.reserve(16);
                    let (_, _, replaced) = decoder.decode_to_string(b"", &mut self.text, true);
                    if replaced {
                        self.replacements += (count_replacements(&self.text) - before) as u64;
                    }
                }
                continue;
            }
            let mut start = 0;
            if self.at_start {
                self.at_start = false;
                if let Some(format) = compressed_format(&self.raw[..n]) {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "{format}-compressed data, not text; decompress it first \
                             (for example with {})",
                            decompressor(format)
                        ),
                    ));
                }
                if let Some((encoding, bom_len)) = Encoding::for_bom(&self.raw[..n]) {
                    self.state = State::Decoding {
                        encoding,
                        decoder: encoding.new_decoder_without_bom_handling(),
                    };
                    start = bom_len;
                    self.consumed = bom_len as u64;
                    self.bom_removed = true;
                } else if let Some(encoding) = self.forced {
                    self.state = State::Decoding {
                        encoding,
                        decoder: encoding.new_decoder_without_bom_handling(),
                    };
                }
            }
            let bytes = &self.raw[start..n];
            self.saw_non_ascii = self.saw_non_ascii || !bytes.is_ascii();
            if matches!(self.state, State::Undecided) {
                if self.held.is_empty() && bytes.is_ascii() && memchr::memchr(0, bytes).is_none() {
                    // ASCII is the same text in every encoding we would pick.
                    self.text
                        .push_str(std::str::from_utf8(bytes).expect("ASCII is UTF-8"));
                    self.consumed += bytes.len() as u64;
                    continue;
                }
                self.held.extend_from_slice(bytes);
                if self.held.len() < MIN_LEGACY_SAMPLE_BYTES && !looks_like_utf8(&self.held) {
                    // A few bytes of a legacy encoding are ambiguous (`你好` in GBK is also
                    // valid EUC-KR): wait for more, or for the end of the input.
                    continue;
                }
                let sample = std::mem::take(&mut self.held);
                self.start_decoding(detect(&sample));
                self.decode(&sample);
                continue;
            }
            let raw = std::mem::take(&mut self.raw);
            self.decode(&raw[start..n]);
            self.raw = raw;
        }
        Ok(Some(&self.text))
    }

    fn start_decoding(&mut self, encoding: &'static Encoding) {
        self.state = State::Decoding {
            encoding,
            decoder: encoding.new_decoder_without_bom_handling(),
        };
    }

    /// Decodes `bytes` onto the text, counting replacements.
    fn decode(&mut self, bytes: &[u8]) {
        let State::Decoding { encoding, decoder } = &mut self.state else {
            unreachable!("decode is called once an encoding is chosen")
        };
        let needed = decoder
            .max_utf8_buffer_length(bytes.len())
            .unwrap_or(bytes.len() * 3 + 16);
        self.text.reserve(needed);
        let before = self.text.len();
        let (_, _, replaced) = decoder.decode_to_string(bytes, &mut self.text, false);
        let utf8 = *encoding == UTF_8;
        let utf16 = *encoding == UTF_16LE || *encoding == UTF_16BE;
        if replaced {
            let mut produced = count_replacements(&self.text[before..]);
            if utf8 {
                // A U+FFFD that was in the input as UTF-8 is text, not a replacement; one cut
                // by the previous read is found with the tail of that read.
                let mut seam = self.utf8_tail.clone();
                seam.extend_from_slice(&bytes[..bytes.len().min(2)]);
                let in_input = memchr::memmem::find_iter(&seam, "\u{FFFD}".as_bytes()).count()
                    + memchr::memmem::find_iter(bytes, "\u{FFFD}".as_bytes()).count();
                produced = produced.saturating_sub(in_input);
            }
            self.replacements += produced as u64;
        }
        if utf8 {
            let mut tail = std::mem::take(&mut self.utf8_tail);
            tail.extend_from_slice(&bytes[bytes.len().saturating_sub(2)..]);
            let keep = tail.len().saturating_sub(2);
            self.utf8_tail = tail.split_off(keep);
        }
        if self.first_nul.is_none() {
            self.first_nul = if utf16 {
                // Two bytes a character, but for one byte of a pair the previous read left.
                self.text[before..].find('\0').map(|at| {
                    let units = self.text[before..before + at].encode_utf16().count() as u64;
                    let carried = (self.consumed - u64::from(self.bom_removed) * 2) % 2;
                    self.consumed - carried + 2 * units
                })
            } else {
                // In every other encoding we decode, a NUL byte is a NUL character.
                memchr::memchr(0, bytes).map(|at| self.consumed + at as u64)
            };
        }
        self.consumed += bytes.len() as u64;
    }
}

/// The compressed format whose signature starts `bytes`, if any. Cleaning compressed bytes as
/// text would turn the whole file into garbage (and a half-written archive is no better), so
/// such input is refused with a message instead. Each signature has a control byte or an
/// invalid UTF-8 byte that no text starts with; bzip2's `BZh` is left out because text may.
fn compressed_format(bytes: &[u8]) -> Option<&'static str> {
    SIGNATURES
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, format)| *format)
}

const SIGNATURES: [(&[u8], &str); 4] = [
    (b"\x1F\x8B", "gzip"),
    (b"\x28\xB5\x2F\xFD", "zstd"),
    (b"\xFD7zXZ\x00", "xz"),
    (b"PK\x03\x04", "zip"),
];

/// The length of the longest signature in [`SIGNATURES`].
const MAX_SIGNATURE_BYTES: usize = 6;

/// The byte-order marks [`Encoding::for_bom`] knows.
const BOMS: [&[u8]; 3] = [b"\xEF\xBB\xBF", b"\xFF\xFE", b"\xFE\xFF"];

/// Whether `bytes` could be the beginning of a longer byte-order mark or signature.
fn starts_a_signature(bytes: &[u8]) -> bool {
    SIGNATURES
        .iter()
        .map(|(magic, _)| *magic)
        .chain(BOMS)
        .any(|magic| bytes.len() < magic.len() && magic.starts_with(bytes))
}

fn decompressor(format: &str) -> &'static str {
    match format {
        "gzip" => "`zcat FILE | rinse`",
        "zstd" => "`zstdcat FILE | rinse`",
        "xz" => "`xzcat FILE | rinse`",
        _ => "`unzip -p FILE | rinse`",
    }
}

/// Reads at least one byte unless at the end, retrying interrupted reads.
fn read_some(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match reader.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

fn count_replacements(text: &str) -> usize {
    memchr::memmem::find_iter(text.as_bytes(), "\u{FFFD}".as_bytes()).count()
}

/// Picks the encoding of a sample that has at least one byte that is not ASCII.
pub fn detect(sample: &[u8]) -> &'static Encoding {
    // UTF-16 first: its ASCII-range text is also valid UTF-8, with a NUL in every other byte.
    if let Some(utf16) = looks_like_utf16(sample) {
        return utf16;
    }
    if looks_like_utf8(sample) {
        return UTF_8;
    }
    let mut detector = EncodingDetector::new();
    detector.feed(sample, true);
    detector.guess(None, false)
}

/// UTF-8, allowing an incomplete character at the end of the sample and a few broken
/// sequences among many good ones.
fn looks_like_utf8(sample: &[u8]) -> bool {
    let mut rest = sample;
    let mut errors = 0usize;
    let mut good_multibyte = 0usize;
    loop {
        let valid = Encoding::utf8_valid_up_to(rest);
        good_multibyte += multibyte_chars(&rest[..valid]);
        rest = &rest[valid..];
        // What stopped the check: the end, a broken sequence, or a character cut off at the
        // end of the sample (which is not an error). The error is at the start of `rest`, so
        // this looks at a few bytes only.
        match std::str::from_utf8(rest) {
            Ok(_) => break,
            Err(e) => match e.error_len() {
                None => break,
                Some(len) => {
                    errors += 1;
                    rest = &rest[len..];
                }
            },
        }
    }
    errors == 0 || good_multibyte >= errors * UTF8_ERRORS_PER_GOOD_CHAR
}

/// How many characters of valid UTF-8 are not ASCII: one lead byte each.
fn multibyte_chars(valid: &[u8]) -> usize {
    valid.iter().filter(|&&byte| byte >= 0xc0).count()
}

fn looks_like_utf16(sample: &[u8]) -> Option<&'static Encoding> {
    let pairs = sample.len() / 2;
    if pairs < 8 {
        return None;
    }
    let (mut nul_high, mut nul_low) = (0, 0);
    // Counted without branches, so that the loop runs on whole vectors of pairs.
    for pair in sample.chunks_exact(2) {
        nul_low += usize::from((pair[0] == 0) & (pair[1] != 0));
        nul_high += usize::from((pair[1] == 0) & (pair[0] != 0));
    }
    if nul_high * 100 >= pairs * UTF16_NUL_SHARE_PERCENT {
        Some(UTF_16LE)
    } else if nul_low * 100 >= pairs * UTF16_NUL_SHARE_PERCENT {
        Some(UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(
        bytes: &[u8],
        forced: Option<&'static Encoding>,
    ) -> (String, Option<&'static str>, u64) {
        let mut reader = DecodedReader::new(bytes, forced);
        let mut text = String::new();
        while let Some(chunk) = reader.next_chunk().unwrap() {
            text.push_str(chunk);
        }
        (
            text,
            reader.encoding().map(|e| e.name()),
            reader.replacements(),
        )
    }

    #[test]
    fn utf8_stays_utf8() {
        let (text, encoding, replaced) = decode_all("中文 text".as_bytes(), None);
        assert_eq!(
            (text.as_str(), encoding, replaced),
            ("中文 text", Some("UTF-8"), 0)
        );
    }

    #[test]
    fn ascii_needs_no_decision() {
        let (text, encoding, _) = decode_all(b"plain", None);
        assert_eq!((text.as_str(), encoding), ("plain", None));
    }

    #[test]
    fn boms_are_honoured_and_removed() {
        assert_eq!(decode_all(b"\xEF\xBB\xBFabc", None).0, "abc");
        assert_eq!(decode_all(b"\xFF\xFEa\x00\x2d\x4e", None).0, "a中");
        assert_eq!(decode_all(b"\xFE\xFF\x00a\x4e\x2d", None).0, "a中");
    }

    #[test]
    fn gbk_is_detected() {
        let text = "山东省东营市疫情最新消息，各级党组织和广大党员干部投身疫情防控阻击战。";
        let (bytes, _, _) = encoding_rs::GBK.encode(text);
        let (decoded, encoding, replaced) = decode_all(&bytes, None);
        assert_eq!(decoded, text);
        assert_eq!(encoding, Some("GBK"));
        assert_eq!(replaced, 0);
    }

    #[test]
    fn forced_encoding_is_used() {
        let (bytes, _, _) = encoding_rs::BIG5.encode("臺灣");
        assert_eq!(decode_all(&bytes, Some(encoding_rs::BIG5)).0, "臺灣");
    }

    #[test]
    fn utf16_without_bom_is_detected() {
        let bytes: Vec<u8> = "hello, world"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(decode_all(&bytes, None).0, "hello, world");
        let bytes: Vec<u8> = "hello, world 中文"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(decode_all(&bytes, None).0, "hello, world 中文");
    }

    #[test]
    fn a_few_broken_bytes_in_utf8_are_replaced_and_counted() {
        let mut bytes = "中文".repeat(100).into_bytes();
        bytes.push(0xFF);
        bytes.extend_from_slice("结束\u{FFFD}".as_bytes());
        let (text, encoding, replaced) = decode_all(&bytes, None);
        assert_eq!(encoding, Some("UTF-8"));
        assert_eq!(replaced, 1);
        assert!(text.ends_with("\u{FFFD}结束\u{FFFD}"));
    }

    #[test]
    fn characters_split_across_reads_survive() {
        let text = "字".repeat(CHUNK_BYTES);
        let (decoded, _, replaced) = decode_all(text.as_bytes(), None);
        assert_eq!(replaced, 0);
        assert_eq!(decoded, text);
    }

    #[test]
    fn short_gbk_chunks_are_held_until_there_is_enough_to_tell() {
        struct Drip(Vec<Vec<u8>>);
        impl Read for Drip {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0.is_empty() {
                    return Ok(0);
                }
                let piece = self.0.remove(0);
                buf[..piece.len()].copy_from_slice(&piece);
                Ok(piece.len())
            }
        }
        let lines = [
            "你好\n",
            "东营市各级党组织和广大党员干部投身疫情防控阻击战。\n",
        ];
        let mut pieces: Vec<Vec<u8>> = lines
            .iter()
            .map(|l| encoding_rs::GBK.encode(l).0.into_owned())
            .collect();
        pieces.extend(std::iter::repeat_n(pieces[1].clone(), 40));
        let expected: String = lines
            .iter()
            .copied()
            .chain(std::iter::repeat_n(lines[1], 40))
            .collect();
        let mut reader = DecodedReader::new(Drip(pieces), None);
        let mut text = String::new();
        while let Some(chunk) = reader.next_chunk().unwrap() {
            text.push_str(chunk);
        }
        assert_eq!(reader.encoding().map(|e| e.name()), Some("GBK"));
        assert_eq!(text, expected);
    }

    #[test]
    fn nul_bytes_are_noticed() {
        let mut reader = DecodedReader::new(&b"abc\x00def"[..], None);
        while reader.next_chunk().unwrap().is_some() {}
        assert_eq!(reader.first_nul(), Some(3));
    }

    /// Reads `bytes` in pieces of `size`, as a pipe or a slow disk would.
    struct Pieces<'a>(&'a [u8], usize);

    impl Read for Pieces<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(self.1).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn read_all<R: Read>(reader: &mut DecodedReader<R>) -> String {
        let mut text = String::new();
        while let Some(chunk) = reader.next_chunk().unwrap() {
            text.push_str(chunk);
        }
        text
    }

    #[test]
    fn a_signature_or_bom_is_found_however_the_first_bytes_arrive() {
        let gzip = b"\x1F\x8B\x08\x00\x00\x00\x00\x00\x02\x03";
        let xz = b"\xFD7zXZ\x00\x00\x04";
        for bytes in [&gzip[..], &xz[..]] {
            for size in 1..4 {
                let mut reader = DecodedReader::new(Pieces(bytes, size), None);
                let err = reader.next_chunk().unwrap_err();
                assert_eq!(
                    err.kind(),
                    io::ErrorKind::InvalidData,
                    "{bytes:?} in {size}"
                );
            }
        }
        // So is a byte-order mark: UTF-16 text without one is not recognised.
        let mut bytes = b"\xFE\xFF".to_vec();
        bytes.extend("中文".encode_utf16().flat_map(u16::to_be_bytes));
        let mut reader = DecodedReader::new(Pieces(&bytes, 1), None);
        assert_eq!(read_all(&mut reader), "中文");
        assert!(reader.bom_removed());
        // Text that merely starts like one (`P`, then not `K\x03\x04`) is text.
        let mut reader = DecodedReader::new(Pieces(b"PKW text", 1), None);
        assert_eq!(read_all(&mut reader), "PKW text");
    }

    #[test]
    fn utf16_text_is_not_binary_but_a_nul_character_in_it_is() {
        let utf16 =
            |text: &str| -> Vec<u8> { text.encode_utf16().flat_map(u16::to_le_bytes).collect() };
        let plain = utf16("hello, world, hello");
        let mut reader = DecodedReader::new(&plain[..], None);
        assert_eq!(read_all(&mut reader), "hello, world, hello");
        assert_eq!(reader.first_nul(), None);

        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(utf16("abc\0def"));
        let mut reader = DecodedReader::new(Pieces(&bytes, 3), None);
        assert_eq!(read_all(&mut reader), "abc\0def");
        // The BOM (2 bytes) and three characters of two bytes come before the NUL.
        assert_eq!(reader.first_nul(), Some(8));
    }

    #[test]
    fn ascii_read_as_utf16_is_not_verbatim() {
        let bytes: Vec<u8> = "plain ascii text"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let mut reader = DecodedReader::new(&bytes[..], None);
        assert_eq!(read_all(&mut reader), "plain ascii text");
        assert!(!reader.is_verbatim());
    }

    #[test]
    fn a_replacement_character_cut_by_a_read_is_text_not_a_replacement() {
        // One broken byte makes the decoder report replacements; the input's own U+FFFD,
        // split by every read boundary, must not be counted among them.
        let mut bytes = "中文".repeat(100).into_bytes();
        bytes.push(0xFF);
        bytes.extend_from_slice("\u{FFFD}尾".as_bytes());
        for size in 1..8 {
            let mut reader = DecodedReader::new(Pieces(&bytes, size), None);
            let text = read_all(&mut reader);
            assert!(text.ends_with("\u{FFFD}\u{FFFD}尾"), "{size}");
            assert_eq!(reader.replacements(), 1, "read {size} bytes at a time");
        }
    }
}
