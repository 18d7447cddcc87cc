//! Tables generated from the sources in `data/` (see data/README.md).

pub mod cp437;
pub mod glyph_curated;
pub mod glyph_opencc;
pub mod glyph_suspects;
pub mod glyph_unihan;
pub mod html4_entities;
pub mod radicals;
