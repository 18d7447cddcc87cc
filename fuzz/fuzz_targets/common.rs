//! What the targets share: a cheap reproducible source of chunk sizes, and a reader that
//! hands its bytes out in those sizes so that read boundaries fall everywhere.

// Each target uses only part of this file.
#![allow(dead_code)]

use std::io::{self, Read};

/// A xorshift generator seeded from the input, so a crash reproduces from its file alone.
pub struct Sizes(u64);

impl Sizes {
    pub fn new(seed: u8) -> Sizes {
        Sizes(0x9E37_79B9_7F4A_7C15 ^ u64::from(seed).wrapping_mul(0x1000_0000_01B3))
    }

    /// A size in `1..=max`.
    pub fn next(&mut self, max: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        1 + (self.0 % max as u64) as usize
    }
}

/// Hands out `bytes` in pieces of the sizes [`Sizes`] picks.
pub struct Dribble<'a> {
    pub bytes: &'a [u8],
    pub sizes: Sizes,
    pub max: usize,
}

impl Read for Dribble<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self
            .sizes
            .next(self.max)
            .min(buf.len())
            .min(self.bytes.len());
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}
