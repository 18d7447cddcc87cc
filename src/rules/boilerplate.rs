//! `boilerplate`: page furniture. (Being written; passes every line through for now.)

use crate::config::BoilerplatePatterns;
use crate::error::Error;
use crate::pipeline::{Change, Line};

/// The compiled boilerplate rules: built-in and the user's.
pub struct Boilerplate {}

impl Boilerplate {
    pub fn new(_user: &BoilerplatePatterns) -> Result<Boilerplate, Error> {
        Ok(Boilerplate {})
    }
}

/// What becomes of a line.
pub enum Verdict {
    Keep(Line),
    /// The line is dropped; the change records it.
    Drop(Line, Change),
}

/// Per-document state: lines held back while a possible trailing section is open.
pub struct BoilerplateState<'b> {
    _rules: &'b Boilerplate,
}

impl<'b> BoilerplateState<'b> {
    pub fn new(rules: &'b Boilerplate) -> BoilerplateState<'b> {
        BoilerplateState { _rules: rules }
    }

    pub fn push(&mut self, line: Line, out: &mut Vec<Verdict>) {
        out.push(Verdict::Keep(line));
    }

    pub fn finish(&mut self, _out: &mut Vec<Verdict>) {}
}
