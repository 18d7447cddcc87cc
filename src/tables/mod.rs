//! Tables generated from the sources in `data/` (see data/README.md).

pub mod html4_entities;
pub mod radicals;
