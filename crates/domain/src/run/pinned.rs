//! The procedure a run started with, pinned in its first entry: the very
//! bytes its content hash was taken of. A run is judged by these, not by
//! whatever catalog a later process loads, and a resume under another
//! catalog names what changed.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::catalog::Procedure;
use crate::journal::line::sha256_hex;

/// A procedure's content as JSON, kept byte for byte as written (a raw
/// value in the entry, readable by anyone with the journal).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Pinned(Box<RawValue>);

impl PartialEq for Pinned {
    fn eq(&self, other: &Self) -> bool {
        self.0.get() == other.0.get()
    }
}

impl Pinned {
    /// The content of `procedure`, the same bytes as its content hash.
    pub fn of(procedure: &Procedure) -> Pinned {
        // The hash was taken before it was set: the content is without it.
        let unhashed = Procedure {
            content_hash: String::new(),
            ..procedure.clone()
        };
        // Plain data with string keys always serialises.
        let json = serde_json::to_string(&unhashed).unwrap_or_default();
        Pinned(RawValue::from_string(json).unwrap_or_else(|_| empty()))
    }

    /// The SHA-256 of the content: what `procedure_hash` must be.
    pub fn hash(&self) -> String {
        sha256_hex(self.0.get().as_bytes())
    }

    /// The procedure, read back; `hash` must be the content's, so a pin
    /// edited after the fact is not taken for the procedure it names.
    pub fn procedure(&self, hash: &str) -> Result<Procedure, String> {
        let ours = self.hash();
        if ours != hash {
            return Err(format!(
                "its pinned content hashes to {}, not to the recorded {}",
                short(&ours),
                short(hash)
            ));
        }
        let mut procedure: Procedure = serde_json::from_str(self.0.get())
            .map_err(|e| format!("its pinned procedure cannot be read: {e}"))?;
        procedure.content_hash = ours;
        Ok(procedure)
    }
}

fn empty() -> Box<RawValue> {
    RawValue::from_string("{}".to_owned()).unwrap_or_else(|_| unreachable!("`{{}}` is JSON"))
}

/// The first 12 hex digits of a hash: enough to tell two apart in a message.
pub fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// What differs between the procedure a run started with and `now`, in
/// words an operator can check against the catalog: a step added or
/// removed, or which of a step's fields changed (`role`, `gate`, `hold`).
pub fn differences(started: &Procedure, now: &Procedure) -> Vec<String> {
    let (Ok(Value::Object(mut was)), Ok(Value::Object(mut is))) =
        (serde_json::to_value(started), serde_json::to_value(now))
    else {
        return Vec::new();
    };
    let mut said = Vec::new();
    let steps = |sections: Option<Value>| -> Vec<(String, Value)> {
        let Some(Value::Array(sections)) = sections else {
            return Vec::new();
        };
        sections
            .into_iter()
            .filter_map(|mut s| s.get_mut("steps").map(Value::take))
            .filter_map(|steps| match steps {
                Value::Array(steps) => Some(steps),
                _ => None,
            })
            .flatten()
            .map(|step| (step["id"].as_str().unwrap_or_default().to_owned(), step))
            .collect()
    };
    let (was_steps, is_steps) = (steps(was.remove("sections")), steps(is.remove("sections")));
    for (key, value) in &was {
        if key != "content_hash" && is.get(key) != Some(value) {
            said.push(format!("its `{key}` changed"));
        }
    }
    for (id, step) in &was_steps {
        match is_steps.iter().find(|(other, _)| other == id) {
            None => said.push(format!("step `{id}` was removed")),
            Some((_, other)) => {
                let fields = changed_fields(step, other);
                if !fields.is_empty() {
                    said.push(format!("step `{id}`: {} changed", fields.join(", ")));
                }
            }
        }
    }
    for (id, _) in &is_steps {
        if !was_steps.iter().any(|(other, _)| other == id) {
            said.push(format!("step `{id}` was added"));
        }
    }
    if said.is_empty()
        && was_steps
            .iter()
            .map(|s| &s.0)
            .ne(is_steps.iter().map(|s| &s.0))
    {
        said.push("its steps are in another order or section".to_owned());
    }
    said
}

fn changed_fields(was: &Value, is: &Value) -> Vec<String> {
    let empty = serde_json::Map::new();
    let (was, is) = (
        was.as_object().unwrap_or(&empty),
        is.as_object().unwrap_or(&empty),
    );
    let mut keys: Vec<&String> = was.keys().chain(is.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| was.get(*k) != is.get(*k))
        .map(|k| format!("`{k}`"))
        .collect()
}

#[cfg(test)]
mod tests;
