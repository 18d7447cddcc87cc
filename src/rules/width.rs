//! `width` (being written).

use crate::rules::{Edit, LineRule, RuleId};

pub struct Width;

impl LineRule for Width {
    fn id(&self) -> RuleId {
        RuleId::Width
    }

    fn find_edits(&self, _line: &str, _edits: &mut Vec<Edit>) {}
}
