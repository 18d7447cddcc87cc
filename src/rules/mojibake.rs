//! `mojibake` (being written: finds nothing yet).

use crate::rules::{Edit, LineRule, RuleId};

pub struct Mojibake;

impl LineRule for Mojibake {
    fn id(&self) -> RuleId {
        RuleId::Mojibake
    }

    fn find_edits(&self, _line: &str, _edits: &mut Vec<Edit>) {}
}
