//! `escalator script-test`: a Transform Result Script run on a sample result, in a worker
//! process of its own, with what it set and each custom data field evaluated.

use std::path::Path;

use serde_json::{Value, json};

use super::open::{find, open, parse_context};
use super::output::{json_text, print_json};
use super::{EXIT_INVALID, EXIT_OK, Failure, Format, bad_input};
use crate::bot::integration::Integration;
use crate::runtime::script::ScriptRun;
use crate::workspace::sidecar::Sidecar;

/// `escalator script-test`: runs the script and evaluates the custom data fields.
pub(super) fn script_test(
    file: &Path,
    name: &str,
    result: Option<&Path>,
    context: &[String],
    format: Format,
) -> Result<i32, Failure> {
    let (doc, sidecar) = open(file)?;
    let integration = find(&doc, file, name)?;
    let raw = sample_result(file, result, &sidecar, &integration)?;
    let mut samples = sidecar.context.clone();
    samples.extend(parse_context(context)?);
    let run = crate::runtime::script::run_isolated(
        &integration.transform_script,
        &integration.response_data_variable,
        &raw,
        &samples,
    );
    let custom: Vec<(String, Result<Value, String>)> = integration
        .custom_data
        .iter()
        .map(|row| {
            (
                row.key.clone(),
                crate::runtime::script::evaluate_path(&row.value, &run.result),
            )
        })
        .collect();
    match format {
        Format::Json => print_json_run(&run, &custom),
        Format::Text => print_run(&integration, &run, &custom),
    }
    Ok(if run.error.is_some() {
        EXIT_INVALID
    } else {
        EXIT_OK
    })
}

/// The sample result to run the script on: the file named, else the one kept beside the
/// export for the integration.
fn sample_result(
    file: &Path,
    result: Option<&Path>,
    sidecar: &Sidecar,
    integration: &Integration,
) -> Result<Value, Failure> {
    match result {
        Some(path) => {
            let text = crate::export::read_small_file(path).map_err(|e| {
                bad_input(format!(
                    "{}: cannot read the sample: {}",
                    path.display(),
                    crate::export::describe_io(&e)
                ))
            })?;
            serde_json::from_str(&text).map_err(|e| {
                bad_input(format!(
                    "{}:{}:{}: the sample is not JSON: {}",
                    path.display(),
                    e.line(),
                    e.column(),
                    e.to_string().split(" at line ").next().unwrap_or_default()
                ))
            })
        }
        None => sidecar
            .sample_results
            .get(&integration.name)
            .cloned()
            .ok_or_else(|| {
                bad_input(format!(
                    "{}: no sample result for \"{}\"; pass --result SAMPLE.json",
                    file.display(),
                    integration.name
                ))
            }),
    }
}

/// Custom data fields by key, each evaluated or why not.
type Evaluated = [(String, Result<Value, String>)];

/// The run as JSON.
fn print_json_run(run: &ScriptRun, custom: &Evaluated) {
    let fields: serde_json::Map<String, Value> = custom
        .iter()
        .map(|(k, v)| {
            let shown = match v {
                Ok(value) => json!({ "value": value }),
                Err(e) => json!({ "error": e }),
            };
            (k.clone(), shown)
        })
        .collect();
    print_json(&json_text(&json!({
        "variables": run.variables,
        "debugMessages": run.debug_messages,
        "error": run.error,
        "customData": fields,
    })));
}

/// The run as lines.
fn print_run(integration: &Integration, run: &ScriptRun, custom: &Evaluated) {
    if integration.transform_script.trim().is_empty() {
        println!("(no Transform Result Script: the raw result is used as it is)");
    }
    for v in &run.variables {
        let scope = if v.persist_for_session {
            " (for the session)"
        } else {
            ""
        };
        println!("set {} = {}{scope}", v.name, v.value);
    }
    for m in &run.debug_messages {
        println!("debug: {m}");
    }
    if let Some(e) = &run.error {
        println!("error: {e}");
    }
    for (key, value) in custom {
        match value {
            Ok(v) => println!("custom data {key} = {v}"),
            Err(e) => println!("custom data {key}: {e}"),
        }
    }
}
