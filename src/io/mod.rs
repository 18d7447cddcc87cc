//! Bytes in, text out: [`decode`] turns any input into UTF-8 text as it streams, and
//! [`output`] writes files so that a failure never leaves one half-written.

pub mod decode;
pub mod output;

pub use decode::DecodedReader;
