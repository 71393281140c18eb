//! `validate`'s formats for CI: the place of each diagnostic in every format, GitHub Actions
//! workflow commands, and a SARIF 2.1.0 log checked against the SARIF schema.

mod common;

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use common::{fixture, run, s};

/// The line (1-based) where the JSON object holding `"name": "<name>"` opens in `text`,
/// found by reading the pretty-printed text backwards from the name to the `{` that opens
/// its object (the fixtures write one member a line).
fn line_of_object_named(text: &str, name: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let key = format!("\"name\": {}", serde_json::to_string(name).unwrap());
    let named = lines
        .iter()
        .position(|l| l.trim_start().starts_with(&key))
        .unwrap_or_else(|| panic!("no {key}"));
    let indent = lines[named].len() - lines[named].trim_start().len();
    let open = (0..named)
        .rev()
        .find(|&i| lines[i].trim() == "{" && lines[i].len() - 1 < indent)
        .expect("an object opens before the name");
    open + 1
}

fn copy_of(name: &str) -> (tempfile::TempDir, PathBuf) {
    common::copy_to_temp(&fixture(name))
}

#[test]
fn every_format_says_where_in_the_export_each_diagnostic_is() {
    let (_dir, path) = copy_of("escalation-bot.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let integration = line_of_object_named(&text, "AgentEscalation");
    let interaction = line_of_object_named(&text, "api_integration_escalate");

    let (_, out, _) = run(&["validate", s(&path)]);
    let skill = out
        .lines()
        .find(|l| l.contains(": skill_id: hint: "))
        .expect("the skill id hint");
    assert!(
        skill.starts_with(&format!("{}:{integration}:5: AgentEscalation: ", s(&path))),
        "{skill}"
    );
    let delay = out
        .lines()
        .find(|l| l.contains("waits 2000 ms"))
        .expect("the delay warning");
    assert!(
        delay.starts_with(&format!("{}:{interaction}:5: AgentEscalation: ", s(&path))),
        "the delay is the Integration interaction's: {delay}"
    );

    let (_, out, _) = run(&["validate", "--format", "json", s(&path)]);
    let all: Vec<Value> = serde_json::from_str(&out).unwrap();
    let by_field = |field: Value| all.iter().find(|d| d["field"] == field).unwrap().clone();
    assert_eq!(by_field(json!("skill_id"))["line"], json!(integration));
    assert_eq!(by_field(json!("skill_id"))["column"], json!(5));
    assert_eq!(by_field(Value::Null)["line"], json!(interaction));
}

#[test]
fn a_bot_level_diagnostic_has_no_line_and_says_so() {
    let (_dir, path) = copy_of("alias-keys-bot.json");
    let (_, out, _) = run(&["validate", s(&path)]);
    assert!(
        out.lines()
            .any(|l| l.starts_with(&format!("{}: (bot): -: warning: ", s(&path)))),
        "{out}"
    );
    let (_, out, _) = run(&["validate", "--format", "json", s(&path)]);
    let all: Vec<Value> = serde_json::from_str(&out).unwrap();
    let bot = all.iter().find(|d| d["integration"].is_null()).unwrap();
    assert!(bot["line"].is_null() && bot["column"].is_null(), "{bot}");
}

#[test]
fn github_format_prints_workflow_commands_with_the_place() {
    let (_dir, path) = copy_of("escalation-bot.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let integration = line_of_object_named(&text, "AgentEscalation");
    let (code, out, _) = run(&["validate", "--format", "github", s(&path)]);
    assert_eq!(code, 0, "warnings alone do not fail");
    let lines: Vec<&str> = out.lines().collect();
    let (summary, commands) = lines.split_last().unwrap();
    assert!(
        summary.starts_with("1 file, 0 errors, 1 warning"),
        "{summary}"
    );
    let file = s(&path).replace(':', "%3A").replace(',', "%2C");
    let expected = format!(
        "::notice file={file},line={integration},col=5,title=AgentEscalation · Agent Skill Id::"
    );
    assert!(
        commands.iter().any(|l| l.starts_with(&expected)),
        "{expected}\n{out}"
    );
    assert!(
        commands
            .iter()
            .any(|l| l.starts_with("::warning ") && l.contains("waits 2000 ms")),
        "{out}"
    );
    let (_, quiet, _) = run(&["validate", "--format", "github", "--quiet", s(&path)]);
    assert_eq!(quiet.lines().count(), 1, "{quiet}");
}

#[test]
fn a_hostile_name_cannot_start_a_workflow_command_of_its_own() {
    let bot = common::bot_with_bad_skill_id("Esc\n::add-mask::x,y:z%0A");
    let (_dir, path) = common::temp_file("bot.json", bot.to_string());
    let (code, out, _) = run(&["validate", "--format", "github", s(&path)]);
    assert_eq!(code, 1, "the skill id is not a number");
    for line in out.lines() {
        assert!(
            line.starts_with("::error ")
                || line.starts_with("::warning ")
                || line.starts_with("::notice ")
                || line.starts_with("1 file, "),
            "a line of its own: {line}\n{out}"
        );
    }
    assert!(
        out.contains("title=Esc\\u{a}%3A%3Aadd-mask%3A%3Ax%2Cy%3Az%250A"),
        "the title cannot end its property: {out}"
    );
    assert!(out.contains("%250A"), "a % in the name is escaped: {out}");
}

#[test]
fn a_file_that_cannot_be_read_is_an_annotation_too() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{ \"bot\": ").unwrap();
    let (code, out, err) = run(&["validate", "--format", "github", s(&broken)]);
    assert_eq!(code, 2);
    assert!(out.starts_with("::error file="), "{out}");
    assert!(err.contains("broken.json"), "{err}");
    assert!(out.ends_with("(1 not read: see above)\n"), "{out}");
}

/// The SARIF 2.1.0 schema, as the `serde-sarif` crate carries it (its source is in Cargo's
/// registry once the tests are built: it is one of their dependencies).
fn sarif_schema() -> Value {
    // Only this machine's packages (the others need not have been downloaded).
    let version = std::process::Command::new(env!("CARGO"))
        .arg("-vV")
        .output()
        .expect("cargo runs");
    let version = String::from_utf8_lossy(&version.stdout).into_owned();
    let host = version
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("cargo names its host");
    let metadata = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--offline"])
        .args(["--filter-platform", host, "--manifest-path"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        metadata.status.success(),
        "{}",
        String::from_utf8_lossy(&metadata.stderr)
    );
    let metadata: Value = serde_json::from_slice(&metadata.stdout).unwrap();
    let manifest = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "serde-sarif")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("serde-sarif is a dependency of the tests");
    let schema = Path::new(manifest)
        .with_file_name("src")
        .join("schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&schema).unwrap()).unwrap();
    assert_eq!(
        schema["title"],
        "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    );
    schema
}

/// A validator of the SARIF schema. The schema's pattern for a `language` (of a run and of
/// a tool) has a `]` that ECMAScript reads as itself and the validator's engine refuses: it
/// is escaped, which is the same pattern (escalator writes no `language`).
fn sarif_validator() -> jsonschema::Validator {
    fn escape(value: &mut Value, count: &mut usize) {
        match value {
            Value::Object(map) => {
                for (key, member) in map.iter_mut() {
                    match member {
                        Value::String(p) if key == "pattern" && p.ends_with("}]?$") => {
                            *p = p.replace("}]?$", "}\\]?$");
                            *count += 1;
                        }
                        _ => escape(member, count),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| escape(v, count)),
            _ => {}
        }
    }
    let mut schema = sarif_schema();
    let mut count = 0;
    escape(&mut schema, &mut count);
    assert!(count >= 1, "the pattern is where it was");
    jsonschema::validator_for(&schema).unwrap()
}

fn assert_valid_sarif(log: &Value, validator: &jsonschema::Validator) {
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{log:#}");
    // And the typed model of the format reads it.
    let _: serde_sarif::sarif::Sarif = serde_json::from_value(log.clone()).unwrap();
}

#[test]
fn sarif_format_is_a_valid_sarif_2_1_0_log_with_the_places() {
    let validator = sarif_validator();
    // The schema is read: a log it refuses is refused.
    assert!(!validator.is_valid(&json!({ "version": "2.1.0", "runs": [{ "results": [] }] })));

    let (_dir, path) = copy_of("escalation-bot.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let integration = line_of_object_named(&text, "AgentEscalation");
    let (_other, alias) = copy_of("alias-keys-bot.json");
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "[1,").unwrap();
    let (code, out, _) = run(&[
        "validate",
        "--format",
        "sarif",
        s(&path),
        s(&alias),
        s(&broken),
    ]);
    assert_eq!(code, 2, "a file could not be read");
    let log: Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&log, &validator);
    let mut wrong = log.clone();
    wrong["runs"][0]["results"][0]["level"] = json!("hint");
    assert!(!validator.is_valid(&wrong), "a level SARIF does not have");

    let run0 = &log["runs"][0];
    assert_eq!(run0["invocations"][0]["executionSuccessful"], json!(false));
    assert_eq!(
        run0["columnKind"], "unicodeCodePoints",
        "columns count characters"
    );
    let results = run0["results"].as_array().unwrap();
    let skill = results
        .iter()
        .find(|r| r["ruleId"] == "skill_id")
        .expect("the skill id hint");
    assert_eq!(skill["level"], "note");
    let location = &skill["locations"][0];
    assert_eq!(
        location["physicalLocation"]["region"],
        json!({ "startLine": integration, "startColumn": 5 })
    );
    assert_eq!(
        location["logicalLocations"][0]["fullyQualifiedName"],
        "responder[1]"
    );
    assert!(
        results.iter().any(|r| r["ruleId"] == "interaction"
            && r["message"]["text"]
                .as_str()
                .unwrap()
                .contains("waits 2000 ms")),
        "the delay warning is the interaction's"
    );
    assert!(
        results
            .iter()
            .any(|r| r["level"] == "warning" && r["ruleId"] == "bot"),
        "the alias bot's missing failure dialog"
    );
    // Every rule a result names is described.
    let rules: Vec<&Value> = run0["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["id"])
        .collect();
    for r in results {
        assert!(rules.contains(&&r["ruleId"]), "{r}");
    }
}

#[test]
fn sarif_of_a_hostile_file_name_is_valid_too() {
    let validator = sarif_validator();
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join("my bot #1 ü%.json");
    std::fs::copy(fixture("escalation-bot.json"), &odd).unwrap();
    let (_, out, _) = run(&["validate", "--format", "sarif", s(&odd)]);
    let log: Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&log, &validator);
    let uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(uri.starts_with("file:///"), "{uri}");
    assert!(uri.ends_with("/my%20bot%20%231%20%C3%BC%25.json"), "{uri}");
}
