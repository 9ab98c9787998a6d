//! Typed evidence and the conditions that read it: a step may ask for a
//! number with its unit, a yes or no, or one of listed choices; a later
//! step may be needed only when that answer says so (`when = "find-gaps >
//! 1"`), so the tool, not the operator's memory, decides the branch.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What a step's evidence must be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    Number { unit: String },
    YesNo,
    Choice(Vec<String>),
}

/// A typed answer, as the journal records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    Number(f64),
    YesNo(bool),
    Choice(String),
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Answer::Number(n) => write!(f, "{n}"),
            Answer::YesNo(true) => f.write_str("yes"),
            Answer::YesNo(false) => f.write_str("no"),
            Answer::Choice(c) => f.write_str(c),
        }
    }
}

const YES: [&str; 4] = ["yes", "y", "oui", "o"];
const NO: [&str; 3] = ["no", "n", "non"];

impl Expect {
    /// Reads an operator's note as this kind of answer: a number may have
    /// a decimal comma and its unit after it (`12,5 EUR`); yes or no in
    /// English or French; a choice as listed, in any case.
    pub fn parse(&self, note: &str) -> Option<Answer> {
        let note = note.trim();
        match self {
            Expect::Number { unit } => {
                let number = note
                    .strip_suffix(unit.as_str())
                    .unwrap_or(note)
                    .trim()
                    .replace(',', ".");
                number
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite())
                    .map(Answer::Number)
            }
            Expect::YesNo => {
                let word = note.to_lowercase();
                if YES.contains(&word.as_str()) {
                    Some(Answer::YesNo(true))
                } else if NO.contains(&word.as_str()) {
                    Some(Answer::YesNo(false))
                } else {
                    None
                }
            }
            Expect::Choice(choices) => choices
                .iter()
                .find(|c| c.eq_ignore_ascii_case(note))
                .map(|c| Answer::Choice(c.clone())),
        }
    }

    /// The answer as shown: a number with its unit.
    pub fn show(&self, answer: &Answer) -> String {
        match (self, answer) {
            (Expect::Number { unit }, Answer::Number(n)) => format!("{n} {unit}"),
            _ => answer.to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = "==")]
    Eq,
    #[serde(rename = "!=")]
    Ne,
}

impl Op {
    const ALL: [(&'static str, Op); 6] = [
        (">=", Op::Ge),
        ("<=", Op::Le),
        ("==", Op::Eq),
        ("!=", Op::Ne),
        (">", Op::Gt),
        ("<", Op::Lt),
    ];

    /// Whether it compares order, which only numbers have.
    pub fn orders(self) -> bool {
        matches!(self, Op::Gt | Op::Ge | Op::Lt | Op::Le)
    }
}

/// `when = "STEP OP VALUE"`: the step is needed only when STEP's answer
/// compares so with VALUE.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub step: String,
    pub op: Op,
    /// The value as written, read against the step's `Expect` when the
    /// catalog is validated.
    pub value: String,
    /// The whole condition as written.
    pub text: String,
    /// Where it is written, for the validator.
    #[serde(skip)]
    pub origin: super::diagnostic::Origin,
}

impl Condition {
    /// Splits `find-gaps > 1`; `None` when it has not that shape.
    pub fn parse(text: &str) -> Option<Condition> {
        let (at, symbol, op) = Op::ALL
            .iter()
            .filter_map(|(symbol, op)| text.find(symbol).map(|at| (at, *symbol, *op)))
            .min_by_key(|(at, symbol, _)| (*at, usize::MAX - symbol.len()))?;
        let step = text[..at].trim();
        let value = text[at + symbol.len()..].trim();
        let id_like = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        };
        (id_like(step) && !value.is_empty()).then(|| Condition {
            step: step.to_owned(),
            op,
            value: value.to_owned(),
            text: text.trim().to_owned(),
            origin: super::diagnostic::Origin::default(),
        })
    }

    /// Whether the condition holds for `answer`; `expect` reads the value
    /// written in the condition.
    pub fn holds(&self, expect: &Expect, answer: &Answer) -> bool {
        let Some(wanted) = expect.parse(&self.value) else {
            return false;
        };
        match (answer, &wanted) {
            (Answer::Number(a), Answer::Number(b)) => match self.op {
                Op::Gt => a > b,
                Op::Ge => a >= b,
                Op::Lt => a < b,
                Op::Le => a <= b,
                Op::Eq => (a - b).abs() < f64::EPSILON,
                Op::Ne => (a - b).abs() >= f64::EPSILON,
            },
            (a, b) => match self.op {
                Op::Eq => a == b,
                Op::Ne => a != b,
                _ => false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_take_a_comma_and_their_unit() {
        let eur = Expect::Number { unit: "EUR".into() };
        assert_eq!(eur.parse("12,5 EUR"), Some(Answer::Number(12.5)));
        assert_eq!(eur.parse(" 0.40 "), Some(Answer::Number(0.4)));
        assert_eq!(eur.parse("twelve"), None);
        assert_eq!(eur.parse("NaN"), None);
        assert_eq!(Expect::YesNo.parse("Oui"), Some(Answer::YesNo(true)));
        let size = Expect::Choice(vec!["none".into(), "major".into()]);
        assert_eq!(size.parse("MAJOR"), Some(Answer::Choice("major".into())));
        assert_eq!(size.parse("minor"), None);
    }

    #[test]
    fn conditions_split_and_compare() {
        let c = Condition::parse("find-gaps >= 1").unwrap();
        assert_eq!(
            (c.step.as_str(), c.op, c.value.as_str()),
            ("find-gaps", Op::Ge, "1")
        );
        let eur = Expect::Number { unit: "EUR".into() };
        let gt = Condition::parse("find-gaps > 1").unwrap();
        assert!(gt.holds(&eur, &Answer::Number(12.0)));
        assert!(!gt.holds(&eur, &Answer::Number(0.4)));
        assert!(!gt.holds(&eur, &Answer::Number(1.0)));
        let met = Condition::parse("criterion-met == yes").unwrap();
        assert!(met.holds(&Expect::YesNo, &Answer::YesNo(true)));
        assert!(!met.holds(&Expect::YesNo, &Answer::YesNo(false)));
        assert!(Condition::parse("no operator here").is_none());
        assert!(Condition::parse("> 1").is_none());
    }
}
