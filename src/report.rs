//! Explain and stats.
