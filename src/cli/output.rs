//! The one way commands print: every line made safe to show (hidden characters and line
//! breaks from a file or a script as escapes, cut when very long), JSON with its hidden
//! characters escaped, diagnostics as lines or JSON.

use std::path::Path;

use serde_json::{Value, json};

use crate::bot::integration::Field;
use crate::rules::Diagnostic;

/// The longest line a command prints; a longer one (a megabyte name or value) is cut there,
/// with a note of how much more there was.
pub(super) const LONGEST_LINE: usize = 4000;

/// Writes one line of a command's output (standard error when `error`), made safe to show:
/// hidden characters and line breaks from a file or a script as escapes (so nothing can fake
/// another line), cut at [`LONGEST_LINE`] characters.
pub fn print_line(text: &str, error: bool) {
    use std::io::Write;
    let shown = crate::export::shown::for_terminal(text, false);
    let shown = crate::export::shown::cut(&shown, LONGEST_LINE);
    let _ = if error {
        writeln!(std::io::stderr().lock(), "{shown}")
    } else {
        writeln!(std::io::stdout().lock(), "{shown}")
    };
}

/// Writes JSON output (already made safe by [`json_text`] or `crate::export::shown::for_json`).
pub(super) fn print_json(json: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{json}");
}

/// Pretty JSON with every hidden character escaped (see [`crate::export::shown::for_json`]).
pub(super) fn json_text(value: &impl serde::Serialize) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    crate::export::shown::for_json(&text).into_owned()
}

/// A list of names for a one-line message: at most ten, each cut at 60 characters, then how
/// many more there are (a bot may have thousands).
pub(super) fn some_names(names: &[impl AsRef<str>]) -> String {
    const SHOWN: usize = 10;
    let mut listed: Vec<String> = names
        .iter()
        .take(SHOWN)
        .map(|n| crate::export::shown::cut(n.as_ref(), 60).into_owned())
        .collect();
    if names.len() > SHOWN {
        listed.push(format!("and {} more", names.len() - SHOWN));
    }
    listed.join(", ")
}

/// A diagnostic as JSON; `line` and `column` are where its integration or interaction starts
/// in the export (`null` for the bot as a whole).
pub(super) fn diagnostic_json(file: &Path, d: &Diagnostic, at: Option<(usize, usize)>) -> Value {
    json!({
        "file": file.display().to_string(),
        "line": at.map(|(line, _)| line),
        "column": at.map(|(_, column)| column),
        "integration": d.integration,
        "field": d.field.map(Field::cli_name),
        "severity": d.severity,
        "message": d.message,
        "fix": d.fix,
    })
}

/// `file:line:column: integration: field: severity: message (fix: ...)`, the line and column
/// (where the integration or interaction starts in the export) when known.
pub fn diagnostic_line(file: &Path, d: &Diagnostic, at: Option<(usize, usize)>) -> String {
    format!(
        "{}{}: {}: {}: {}: {} (fix: {})",
        file.display(),
        at.map_or(String::new(), |(line, column)| format!(":{line}:{column}")),
        d.integration.as_deref().unwrap_or("(bot)"),
        d.field.map_or("-", Field::cli_name),
        d.severity,
        d.message,
        d.fix
    )
}
