//! `validate`'s reports for CI: GitHub Actions workflow commands, and a SARIF 2.1.0 log that
//! code-scanning tools read. Both carry the line and column of the item each diagnostic is
//! about; everything taken from a file is escaped so that it cannot make another command.

use std::path::Path;

use serde_json::{Value, json};

use crate::bot::integration::Field;
use crate::rules::{Diagnostic, Place, Severity};

/// A line and column in an export (1-based, columns in characters).
pub(super) type At = Option<(usize, usize)>;

/// What a diagnostic is about, as a title: "AgentEscalation · Agent Skill Id".
fn title(d: &Diagnostic) -> String {
    let subject = d.integration.as_deref().unwrap_or("the bot");
    match d.field {
        Some(field) => format!("{subject} · {}", field.label()),
        None => subject.to_string(),
    }
}

/// Text made one safe line: hidden characters from a file shown as escapes.
fn shown(text: &str) -> String {
    crate::export::shown::for_terminal(text, false).into_owned()
}

/// A workflow command's message: `%`, carriage returns and line breaks escaped, so that a
/// value cannot end the line and start a command of its own.
fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: its message's escapes, and `:` and `,`, which end
/// a property.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One diagnostic as a GitHub Actions workflow command: `::error file=…,line=…,col=…,title=…::
/// message (fix: …)`. Hints are notices.
pub(super) fn github_line(file: &Path, d: &Diagnostic, at: At) -> String {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Hint => "notice",
    };
    let mut properties = vec![format!(
        "file={}",
        github_property(&shown(&file.display().to_string()))
    )];
    if let Some((line, column)) = at {
        properties.push(format!("line={line}"));
        properties.push(format!("col={column}"));
    }
    properties.push(format!("title={}", github_property(&shown(&title(d)))));
    let message = format!("{} (fix: {})", d.message, d.fix);
    format!(
        "::{command} {}::{}",
        properties.join(","),
        github_data(&shown(&message))
    )
}

/// A file that could not be checked, as a workflow command.
pub(super) fn github_failure(file: &Path, message: &str) -> String {
    format!(
        "::error file={},title=escalator::{}",
        github_property(&shown(&file.display().to_string())),
        github_data(&shown(message))
    )
}

/// A SARIF rule id for a diagnostic: the field it is about, else the interaction or the bot.
fn rule_id(d: &Diagnostic) -> &'static str {
    match (d.field, d.place) {
        (Some(field), _) => field.cli_name(),
        (None, Some(Place::Interaction(_))) => "interaction",
        (None, Some(Place::Integration(_))) => "integration",
        (None, None) => "bot",
    }
}

/// A file's path as a SARIF URI reference: relative paths stay relative (to the folder the
/// check ran in, `%SRCROOT%`), absolute ones become `file://` URIs; every byte other than
/// letters, digits, `-._~` and `/` is percent-encoded.
fn artifact_location(file: &Path) -> Value {
    let text = file.to_string_lossy().replace('\\', "/");
    let mut encoded = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    if file.is_absolute() {
        let slash = if encoded.starts_with('/') { "" } else { "/" };
        json!({ "uri": format!("file://{slash}{encoded}") })
    } else {
        json!({ "uri": encoded, "uriBaseId": "%SRCROOT%" })
    }
}

/// One diagnostic as a SARIF result.
pub(super) fn sarif_result(file: &Path, d: &Diagnostic, at: At) -> Value {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Hint => "note",
    };
    let mut physical = json!({ "artifactLocation": artifact_location(file) });
    if let Some((line, column)) = at {
        physical["region"] = json!({ "startLine": line, "startColumn": column });
    }
    let mut location = json!({ "physicalLocation": physical });
    if let Some(place) = d.place {
        let (list, index) = place.item();
        let mut logical = json!({
            "fullyQualifiedName": format!("{list}[{index}]"),
            "kind": "object",
        });
        if let Some(name) = &d.integration {
            logical["name"] = json!(name);
        }
        location["logicalLocations"] = json!([logical]);
    }
    json!({
        "ruleId": rule_id(d),
        "level": level,
        "message": { "text": format!("{} (fix: {})", d.message, d.fix) },
        "locations": [location],
    })
}

/// A file that could not be checked, as a SARIF notification.
pub(super) fn sarif_failure(file: &Path, message: &str) -> Value {
    json!({
        "level": "error",
        "message": { "text": message },
        "locations": [{ "physicalLocation": { "artifactLocation": artifact_location(file) } }],
    })
}

/// The SARIF 2.1.0 log of a run: one run of escalator, its rules (those the results name),
/// its results, and whether every file could be checked.
pub(super) fn sarif_log(results: Vec<Value>, failures: Vec<Value>) -> Value {
    let mut ids: Vec<&str> = results
        .iter()
        .filter_map(|r| r["ruleId"].as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let rules: Vec<Value> = ids
        .iter()
        .map(|id| {
            let about = Field::ALL
                .into_iter()
                .chain([Field::InteractionDelay])
                .find(|f| f.cli_name() == *id)
                .map_or_else(
                    || match *id {
                        "interaction" => {
                            "An interaction that runs an integration or a transfer".to_string()
                        }
                        "integration" => "An integration as a whole".to_string(),
                        _ => "The bot as a whole".to_string(),
                    },
                    |f| format!("The {} field", f.label()),
                );
            json!({ "id": id, "shortDescription": { "text": about } })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "escalator",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            // Columns count characters, not UTF-16 units (SARIF's default).
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": failures.is_empty(),
                "toolExecutionNotifications": failures,
            }],
            "results": results,
        }],
    })
}

/// The export's text in `bytes` (after a byte order mark), when it is UTF-8.
pub(super) fn text_of(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).ok()
}

/// The lists whose items diagnostics are about.
pub(super) const LISTS: [&str; 2] = [
    crate::bot::keys::RESPONDER,
    crate::bot::keys::CONVERSATION_MESSAGE,
];

/// Where each diagnostic's item starts in the export `text`, from the starts found there.
pub(super) fn places(
    text: Option<&str>,
    starts: Option<&crate::export::ItemStarts>,
    diagnostics: &[Diagnostic],
) -> Vec<At> {
    let wanted: Vec<(&str, usize)> = diagnostics
        .iter()
        .filter_map(|d| d.place.map(Place::item))
        .collect();
    let mut found = match (text, starts) {
        (Some(text), Some(starts)) => starts.lines(text, &wanted).into_iter(),
        _ => vec![None; wanted.len()].into_iter(),
    };
    diagnostics
        .iter()
        .map(|d| d.place.and_then(|_| found.next().flatten()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_commands_escape_what_would_end_them() {
        assert_eq!(github_data("50%\r\nnext"), "50%25%0D%0Anext");
        assert_eq!(github_property("a:b,c\n"), "a%3Ab%2Cc%0A");
    }

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            artifact_location(Path::new("bots/my bot#1.json")),
            json!({ "uri": "bots/my%20bot%231.json", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact_location(Path::new("/tmp/é.json"))["uri"],
            "file:///tmp/%C3%A9.json"
        );
    }
}
