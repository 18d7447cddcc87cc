//! `punct` (being written).

use crate::config::PunctStyle;
use crate::rules::{Edit, LineRule, RuleId};

pub struct Punct {
    style: PunctStyle,
}

impl Punct {
    /// The rule for `style`, or `None` for [`PunctStyle::Keep`].
    pub fn new(style: PunctStyle) -> Option<Punct> {
        (style != PunctStyle::Keep).then_some(Punct { style })
    }
}

impl LineRule for Punct {
    fn id(&self) -> RuleId {
        RuleId::Punct
    }

    fn find_edits(&self, _line: &str, _edits: &mut Vec<Edit>) {
        let _ = self.style;
    }
}
