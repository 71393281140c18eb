//! Custom Data Fields. Spec: "Add the fields that will store the result data in key/value
//! pairs." Each row has its own key, and a path into a result reads this integration's.

use std::collections::HashMap;

use super::{BotFacts, Diagnostic, Severity};
use crate::bot::integration::{Field, Integration};
use crate::bot::template::{self, Piece, Variable};

pub(super) fn custom_data_rules(
    facts: &BotFacts,
    all: &[Integration],
    integration: &Integration,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (row, field) in integration.custom_data.iter().enumerate() {
        let key = field.key.trim();
        if key.is_empty() {
            out.push(Diagnostic::new(
                Field::CustomData,
                Severity::Error,
                format!("row {} has no key", row + 1),
                "give the row a key, or remove it",
            ));
        } else if let Some(first) = seen.insert(key, row) {
            out.push(Diagnostic::new(
                Field::CustomData,
                Severity::Error,
                format!(
                    "the key \"{key}\" is used in rows {} and {}",
                    first + 1,
                    row + 1
                ),
                "give each row its own key",
            ));
        }
        if !key.is_empty() && field.value.trim().is_empty() {
            out.push(Diagnostic::new(
                Field::CustomData,
                Severity::Warning,
                format!("the row \"{key}\" has no value: it is passed on empty"),
                "type its value (a text, or a path like {$.api_Name.field}), or remove the row",
            ));
        }
        for piece in template::parse(&field.value).0 {
            let Piece::Var {
                raw,
                var: Variable::ResultPath { variable, .. },
            } = piece
            else {
                continue;
            };
            if variable == integration.response_data_variable {
                continue;
            }
            let owner = facts
                .variable_owners
                .get(variable.as_str())
                .into_iter()
                .flatten()
                .filter_map(|&at| all.get(at))
                .find(|i| i.index != integration.index && i.response_data_variable == variable);
            let message = match owner {
                Some(other) => format!(
                    "{raw} reads the result of the integration \"{}\", not this one's (api_{})",
                    other.name, integration.response_data_variable
                ),
                None => format!(
                    "{raw} names no integration's result: this one's is api_{}",
                    integration.response_data_variable
                ),
            };
            out.push(Diagnostic::new(
                Field::CustomData,
                Severity::Warning,
                message,
                format!(
                    "start the path with {{$.api_{}",
                    integration.response_data_variable
                ),
            ));
        }
    }
    out
}
