//! `entities` (being written).

use crate::rules::{Edit, LineRule, RuleId};

pub struct Entities;

impl LineRule for Entities {
    fn id(&self) -> RuleId {
        RuleId::Entities
    }

    fn find_edits(&self, _line: &str, _edits: &mut Vec<Edit>) {}
}
