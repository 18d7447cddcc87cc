//! `unicode` (being written).

use crate::rules::{Edit, LineRule, RuleId};

pub struct Unicode;

impl LineRule for Unicode {
    fn id(&self) -> RuleId {
        RuleId::Unicode
    }

    fn find_edits(&self, _line: &str, _edits: &mut Vec<Edit>) {}
}
