//! One type per rule, behind one trait: each says whether a candidate breaks it and what it requires.

mod character_class;
mod common;
mod known_facts;
mod length;
mod numeric;
mod similarity;
mod strength;

pub(crate) use character_class::{CharacterClass, RequireClass};
pub(crate) use common::NotCommon;
pub(crate) use known_facts::{NotBreached, NotSameAsOld};
pub(crate) use length::{MaxLength, MinLength};
pub(crate) use numeric::NotEntirelyNumeric;
pub(crate) use similarity::NotSimilarToUser;
pub(crate) use strength::MinScore;

use serde_json::{Map, Value};

use crate::{ErrorCode, Strength, UserAttributes};

/// A password under check, with everything the rules may consult.
pub(crate) struct Candidate<'a> {
    /// The password as typed.
    pub password: &'a str,
    /// Python's `password.lower()`, computed once.
    pub lowered: String,
    /// The user's attributes (empty when unknown).
    pub user: &'a UserAttributes,
    /// zxcvbn's estimate, when one was computed or supplied.
    pub strength: Option<&'a Strength>,
    /// The caller found the password in a breach corpus.
    pub breached: bool,
    /// The caller knows the password equals the current one.
    pub same_as_old: bool,
}

/// A code with the parameters its texts mention: what a rule reports, or what it requires.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Finding {
    pub code: ErrorCode,
    pub params: Map<String, Value>,
}

impl Finding {
    /// A finding without parameters.
    pub fn bare(code: ErrorCode) -> Self {
        Self {
            code,
            params: Map::new(),
        }
    }

    /// Adds a parameter (chainable).
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.params.insert(name.to_owned(), value.into());
        self
    }
}

/// One configured rule of a policy.
pub(crate) trait Rule: Send + Sync {
    /// What the candidate breaks, if anything.
    fn check(&self, candidate: &Candidate<'_>) -> Option<Finding>;

    /// The rule as shown before anyone types: its code and the parameters of its help text.
    fn requirement(&self) -> Finding;
}
