//! `glyphs` (being written: finds nothing yet).

use crate::rules::{Edit, LineRule, RuleId};

pub struct Glyphs;

impl LineRule for Glyphs {
    fn id(&self) -> RuleId {
        RuleId::Glyphs
    }

    fn find_edits(&self, _line: &str, _edits: &mut Vec<Edit>) {}
}
