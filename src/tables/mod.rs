//! Tables generated from the sources in `data/` (see data/README.md).
