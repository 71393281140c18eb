//! The headless command line, through the built binary: exit codes, output formats, and
//! what each command writes (and leaves alone).

mod common;

use std::path::PathBuf;

use escalator::bot::BotDocument;
use serde_json::{Value, json};

use common::{fixture, run, s};

/// A temporary copy of a fixture (the folder lives as long as the returned guard).
fn copy_of(name: &str) -> (tempfile::TempDir, PathBuf) {
    common::copy_to_temp(&fixture(name))
}

/// Writes `bot` (pretty JSON) into a fresh temporary folder.
fn temp_bot(bot: &Value) -> (tempfile::TempDir, PathBuf) {
    common::temp_file("bot.json", serde_json::to_string_pretty(bot).unwrap())
}

fn bot_with_bad_skill_id() -> Value {
    common::bot_with_bad_skill_id("Esc")
}

fn assert_one_line_error(stderr: &str) {
    assert_eq!(stderr.lines().count(), 1, "one line on stderr: {stderr:?}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
}

#[test]
fn validate_accepts_every_export() {
    let files = common::export_shaped_files();
    for file in &files {
        for format in ["text", "json"] {
            let (code, stdout, stderr) = run(&["validate", s(file), "--format", format]);
            assert!(
                code == 0 || code == 1,
                "{}: exit {code}: {stderr}",
                file.display()
            );
            assert!(stderr.is_empty(), "{}: {stderr}", file.display());
            if format == "json" {
                let parsed: Value = serde_json::from_str(&stdout).unwrap();
                assert!(parsed.is_array());
            }
        }
    }
}

#[test]
fn validate_text_lines_name_file_integration_field_and_severity() {
    let (_dir, path) = copy_of("escalation-bot.json");
    let (code, stdout, stderr) = run(&["validate", s(&path)]);
    assert_eq!(code, 0, "warnings and hints only: {stdout}{stderr}");
    assert!(
        !stdout.is_empty(),
        "the fixture has a short delay to report"
    );
    let fields = [
        "-",
        "name",
        "response_data_variable",
        "integration_type",
        "skill_name",
        "skill_id",
        "agent_id",
        "transfer_bot_context",
        "message",
        "transform_script",
        "custom_data",
    ];
    let lines: Vec<&str> = stdout.lines().collect();
    let (summary, lines) = lines.split_last().expect("a summary line last");
    assert!(summary.starts_with("1 file, 0 errors, "), "{summary}");
    for line in lines {
        let parts: Vec<&str> = line.splitn(5, ": ").collect();
        assert_eq!(parts.len(), 5, "{line}");
        // The file, then the line and column of the item when the diagnostic is about one.
        let place = parts[0]
            .strip_prefix(s(&path))
            .unwrap_or_else(|| panic!("{line}"));
        let numbers: Vec<&str> = place.split(':').skip(1).collect();
        assert!(
            place.is_empty()
                || (numbers.len() == 2 && numbers.iter().all(|n| n.parse::<usize>().is_ok())),
            "{line}"
        );
        assert!(
            ["GetOrders", "AgentEscalation", "(bot)"].contains(&parts[1]),
            "{line}"
        );
        assert!(fields.contains(&parts[2]), "{line}");
        assert!(["error", "warning", "hint"].contains(&parts[3]), "{line}");
        assert!(!parts[4].trim().is_empty(), "{line}");
    }
    let expected = format!(
        "{}:213:5: AgentEscalation: -: warning: the Integration interaction \"api_integration_escalate\" in dialog \"Main – Übergabe\" waits 2000 ms; 2 messages × 2000 ms = 4000 ms recommended",
        s(&path)
    );
    assert!(stdout.lines().any(|l| l.starts_with(&expected)), "{stdout}");
    let skill_hint = format!("{}:68:5: AgentEscalation: skill_id: hint: ", s(&path));
    assert!(
        stdout.lines().any(|l| l.starts_with(&skill_hint)),
        "{stdout}"
    );
}

#[test]
fn validate_json_is_an_array_of_diagnostics() {
    let (_dir, path) = copy_of("escalation-bot.json");
    let (code, stdout, _) = run(&["validate", s(&path), "--format", "json"]);
    assert_eq!(code, 0);
    let parsed: Value = serde_json::from_str(&stdout).expect("JSON output");
    let items = parsed.as_array().expect("an array");
    assert!(!items.is_empty());
    for item in items {
        for key in ["file", "integration", "field", "severity", "message", "fix"] {
            assert!(item.get(key).is_some(), "{key} missing in {item}");
        }
        assert_eq!(item["file"], s(&path));
    }
    assert!(items.iter().any(|d| {
        d["integration"] == "AgentEscalation"
            && d["field"].is_null()
            && d["severity"] == "warning"
            && d["message"]
                .as_str()
                .unwrap()
                .contains("2 messages × 2000 ms = 4000 ms")
    }));
}

#[test]
fn validate_exits_1_when_the_bot_has_errors() {
    let (_dir, path) = temp_bot(&bot_with_bad_skill_id());
    let (code, stdout, _) = run(&["validate", s(&path)]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains(": Esc: skill_id: error: \"abc\" is neither a number"),
        "{stdout}"
    );
    let (code, stdout, _) = run(&["validate", s(&path), "--format", "json"]);
    assert_eq!(code, 1);
    let parsed: Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        parsed
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["severity"] == "error" && d["field"] == "skill_id")
    );
    // Several files: an error in one of them is enough.
    let (_dir2, good) = copy_of("escalation-bot.json");
    let (code, _, _) = run(&["validate", s(&good), s(&path)]);
    assert_eq!(code, 1);
}

#[test]
fn validate_a_truncated_file_exits_2_with_its_place() {
    let path = fixture("truncated-bot.json");
    let (code, stdout, stderr) = run(&["validate", s(&path)]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert_one_line_error(&stderr);
    let place = stderr
        .split_once("truncated-bot.json:")
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("no file name: {stderr}"));
    let mut parts = place.splitn(3, ':');
    let line: usize = parts.next().unwrap().parse().expect("a line number");
    let column: usize = parts.next().unwrap().parse().expect("a column number");
    assert!(line > 1 && column >= 1, "{stderr}");
    let lines = std::fs::read_to_string(&path).unwrap().lines().count();
    assert!(line <= lines + 1, "{stderr}");
}

#[test]
fn validate_refuses_what_is_not_a_bot_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let array = dir.path().join("array.json");
    std::fs::write(&array, "[\n  1,\n  2\n]").unwrap();
    let (code, _, stderr) = run(&["validate", s(&array)]);
    assert_eq!(code, 2, "{stderr}");
    assert_one_line_error(&stderr);
    assert!(stderr.contains("array.json"), "{stderr}");
    assert!(stderr.contains("an array"), "{stderr}");

    let missing = dir.path().join("missing.json");
    let (code, _, stderr) = run(&["validate", s(&missing)]);
    assert_eq!(code, 2, "{stderr}");
    assert_one_line_error(&stderr);
    assert!(stderr.contains("missing.json"), "{stderr}");

    // Unreadable input outranks a bot with errors.
    let (_d, broken) = temp_bot(&bot_with_bad_skill_id());
    let (code, _, _) = run(&["validate", s(&broken), s(&missing)]);
    assert_eq!(code, 2);
}

#[test]
fn new_creates_a_loadable_bot_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fresh.json");
    let (code, stdout, stderr) = run(&["new", s(&path), "--name", "Grüße Bot"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Grüße Bot"), "{stdout}");
    let doc = BotDocument::load(&path).unwrap();
    assert_eq!(doc.bot_name(), "Grüße Bot");
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(doc.to_text().as_bytes(), bytes.as_slice());

    let (code, _, stderr) = run(&["new", s(&path), "--name", "Other"]);
    assert_eq!(code, 2);
    assert_one_line_error(&stderr);
    assert!(stderr.contains("already exists"), "{stderr}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "file unchanged");

    let (code, _, stderr) = run(&["validate", s(&path)]);
    assert!(code == 0 || code == 1, "{stderr}");
}

#[test]
fn preview_prints_body_evaluated_body_and_delay() {
    let (_dir, path) = copy_of("escalation-bot.json");
    let (code, stdout, stderr) = run(&["preview", s(&path), "--integration", "AgentEscalation"]);
    assert_eq!(code, 0, "{stderr}");
    let v: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(v["body"]["agentSkillId"], "{$botContext.skillId}");
    assert_eq!(v["body"]["agentSkillName"], "Vertrieb – Sales");
    assert_eq!(v["body"]["tangoContextEnabled"], false);
    assert!(
        v["body"].get("agentId").is_none(),
        "empty agent id left out"
    );
    assert_eq!(
        v["evaluatedBody"]["chatBotId"],
        "7c1f3a52-0d4e-4b8a-9a61-5e2b9c0d1f11"
    );
    assert_eq!(v["evaluatedBody"]["agentSkillId"], "{$botContext.skillId}");
    assert_eq!(
        v["delay"],
        json!({"messages": 2, "perMessageMs": 2000, "recommendedMs": 4000, "configuredMs": 2000})
    );

    let (code, stdout, _) = run(&[
        "preview",
        s(&path),
        "--integration",
        "agentescalation",
        "--context",
        "skillId=77",
        "--context",
        "name=Ann",
    ]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["evaluatedBody"]["agentSkillId"], "77");
    assert_eq!(
        v["evaluatedBody"]["message"],
        "Grüße – 你好! Hold on while I connect you with an agent, Ann."
    );
    assert_eq!(v["body"]["agentSkillId"], "{$botContext.skillId}");

    let (code, _, stderr) = run(&["preview", s(&path), "--integration", "Nope"]);
    assert_eq!(code, 2);
    assert_one_line_error(&stderr);
    assert!(
        stderr.contains("AgentEscalation"),
        "names the choices: {stderr}"
    );
    let (code, _, stderr) = run(&[
        "preview",
        s(&path),
        "--integration",
        "AgentEscalation",
        "--context",
        "novalue",
    ]);
    assert_eq!(code, 2);
    assert_one_line_error(&stderr);
}

#[test]
fn set_with_a_bad_field_name_changes_nothing() {
    let (_dir, path) = copy_of("escalation-bot.json");
    let before = std::fs::read(&path).unwrap();
    for bad in ["skil_id=12", "custom_data=x", "noequals"] {
        let (code, _, stderr) = run(&[
            "set",
            s(&path),
            "--integration",
            "AgentEscalation",
            "skill_id=99",
            bad,
        ]);
        assert_eq!(code, 2, "{bad}: {stderr}");
        assert_one_line_error(&stderr);
        assert_eq!(std::fs::read(&path).unwrap(), before, "{bad}: file changed");
    }
    let (code, _, _) = run(&[
        "set",
        s(&path),
        "--integration",
        "NewOne",
        "--create",
        "bogus=1",
    ]);
    assert_eq!(code, 2);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let (code, _, _) = run(&["set", s(&path), "--integration", "Missing", "skill_id=1"]);
    assert_eq!(code, 2);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let dir = path.parent().unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(dir).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary or settings file left");
}

#[test]
fn set_transfer_bot_context_maybe_is_refused() {
    let (_dir, path) = copy_of("escalation-bot.json");
    let before = std::fs::read(&path).unwrap();
    let (code, _, stderr) = run(&[
        "set",
        s(&path),
        "--integration",
        "AgentEscalation",
        "skill_name=Changed",
        "transfer_bot_context=maybe",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert_one_line_error(&stderr);
    assert!(stderr.contains("maybe"), "{stderr}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "file untouched");
}

#[test]
fn set_create_then_validate_and_preview_show_the_new_integration() {
    let (_dir, path) = copy_of("escalation-bot.json");
    let (code, stdout, stderr) = run(&[
        "set",
        s(&path),
        "--integration",
        "BillingEscalation",
        "--create",
        "skill_name=Billing",
        "skill_id=12",
        "agent_id=123.456",
        "message=BLANK_MESSAGE",
        "custom_data.reason={$.api_BillingEscalation.reason}",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("\"BillingEscalation\" created"), "{stdout}");

    let doc = BotDocument::load(&path).unwrap();
    let added = doc.find_integration("BillingEscalation").unwrap();
    assert!(added.is_escalation());
    assert_eq!(added.escalation.skill_id, "12");
    assert_eq!(added.escalation.agent_id, "123.456");
    assert_eq!(added.custom_data.len(), 1);

    let (code, stdout, _) = run(&["validate", s(&path), "--format", "json"]);
    assert_eq!(code, 0, "{stdout}");
    let diagnostics: Value = serde_json::from_str(&stdout).unwrap();
    let mine: Vec<&Value> = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["integration"] == "BillingEscalation")
        .collect();
    assert!(
        mine.iter()
            .any(|d| d["field"] == "message" && d["severity"] == "hint"),
        "the BLANK_MESSAGE hint shows: {stdout}"
    );
    assert!(mine.iter().all(|d| d["severity"] != "error"), "{stdout}");

    let (code, stdout, _) = run(&["preview", s(&path), "--integration", "BillingEscalation"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["body"]["agentSkillName"], "Billing");
    assert_eq!(v["body"]["agentSkillId"], "12");
    assert_eq!(v["body"]["agentId"], "123.456");
    assert_eq!(v["body"]["message"], "BLANK_MESSAGE");
    assert_eq!(v["delay"]["messages"], 0);
    assert_eq!(v["delay"]["configuredMs"], Value::Null);

    // Creating it twice is refused, and the file stays as it is.
    let before = std::fs::read(&path).unwrap();
    let (code, _, stderr) = run(&[
        "set",
        s(&path),
        "--integration",
        "BillingEscalation",
        "--create",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("already exists"), "{stderr}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn set_context_writes_the_settings_file_not_the_export() {
    let (_dir, path) = copy_of("escalation-bot.json");
    let before = std::fs::read(&path).unwrap();
    let (code, _, stderr) = run(&[
        "set",
        s(&path),
        "--integration",
        "AgentEscalation",
        "--context",
        "skillId=5",
        "--messages",
        "3",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "export untouched");
    let sidecar_path = escalator::workspace::sidecar::Sidecar::path_for(&path);
    assert_eq!(
        sidecar_path.file_name().unwrap(),
        "escalation-bot.json.escalator.json"
    );
    let settings: Value =
        serde_json::from_str(&std::fs::read_to_string(&sidecar_path).expect("settings written"))
            .unwrap();
    assert_eq!(settings["context"]["botContext.skillId"], "5");
    assert_eq!(settings["messageCounts"]["AgentEscalation"], 3);

    // The sample value is used by later previews and validation.
    let (code, stdout, _) = run(&["preview", s(&path), "--integration", "AgentEscalation"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["evaluatedBody"]["agentSkillId"], "5");
    let (_, stdout, _) = run(&["validate", s(&path)]);
    assert!(
        stdout.contains("{$botContext.skillId} is 5 in the sample context"),
        "{stdout}"
    );
}

fn two_escalations_named_alike() -> Value {
    let esc = |id: &str, name: &str, skill: &str| {
        json!({
            "id": id,
            "name": name,
            "responseDataVariable": name,
            "integrationType": "LIVEPERSON_AGENT_ESCALATION",
            "agentSkillName": "Sales",
            "agentSkillId": skill,
            "transferMessage": "Hold on",
            "customDataFields": []
        })
    };
    json!({
        "bot": {"id": "b1", "name": "Twins"},
        "responder": [esc("r1", "Esc", "1"), esc("r2", "Esc", "2"), esc("r3", "Other", "3")],
        "conversationMessage": [],
        "groups": []
    })
}

#[test]
fn an_ambiguous_integration_name_is_refused_listing_the_ids_and_an_id_names_one() {
    let (_dir, file) = temp_bot(&two_escalations_named_alike());
    let before = std::fs::read(&file).unwrap();
    let (code, _, err) = run(&["set", s(&file), "--integration", "Esc", "skill_id=9"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("2 integrations are named \"Esc\""), "{err}");
    assert!(err.contains("r1, r2"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), before);
    let (code, _, err) = run(&["set", s(&file), "--integration", "r2", "skill_id=9"]);
    assert_eq!(code, 0, "{err}");
    let doc = BotDocument::load(&file).unwrap();
    let skills: Vec<String> = doc
        .integrations()
        .iter()
        .map(|i| i.escalation.skill_id.clone())
        .collect();
    assert_eq!(skills, ["1", "9", "3"], "the one with that id, only");
    let (code, out, _) = run(&["preview", s(&file), "--integration", "r1"]);
    assert_eq!(code, 0);
    assert!(out.contains("\"agentSkillId\": \"1\""), "{out}");
}

#[test]
fn set_refuses_a_name_another_integration_has() {
    let (_dir, file) = temp_bot(&two_escalations_named_alike());
    let before = std::fs::read(&file).unwrap();
    let (code, _, err) = run(&["set", s(&file), "--integration", "Other", "name=Esc"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("already named \"Esc\""), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), before, "nothing written");
    let (code, _, err) = run(&["set", s(&file), "--integration", "Other", "name=Third"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn preview_refuses_what_cannot_transfer_as_simulate_does() {
    let file = fixture("storefront-bot.json");
    for command in ["preview", "simulate"] {
        let (code, out, err) = run(&[command, s(&file), "--integration", "listOrders"]);
        assert_eq!(code, 2, "{command}: {out}");
        assert!(out.is_empty(), "{command}: {out}");
        assert!(
            err.contains("only LivePerson Agent Escalation integrations transfer"),
            "{command}: {err}"
        );
    }
}

#[test]
fn validate_reports_integration_interactions_that_run_nothing_or_disagree() {
    let mut bot: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("storefront-bot.json")).unwrap())
            .unwrap();
    let messages = bot["conversationMessage"].as_array_mut().unwrap();
    let at = |name: &str| messages.iter().position(|m| m["name"] == name).unwrap();
    let (orders, stores) = (at("list_orders"), at("find_stores"));
    // list_orders runs a deleted integration; find_stores names one and points at another.
    messages[orders]["content"]["responderId"] = "gone-id".into();
    messages[stores]["content"]["responderName"] = "listOrders".into();
    let (_dir, file) = temp_bot(&bot);
    let (code, out, _) = run(&["validate", s(&file)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("error: the Integration interaction \"list_orders\" runs an integration the bot does not have (id gone-id, once \"listOrders\")"),
        "{out}"
    );
    assert!(
        out.contains(
            "\"find_stores\" names \"listOrders\" but its id is the integration \"storeLocations\""
        ),
        "{out}"
    );
}

#[test]
fn set_writes_nothing_when_its_assignments_make_new_errors_unless_forced() {
    let (_dir, file) = common::sample_copy();
    let before = std::fs::read(&file).unwrap();
    let args = [
        "set",
        s(&file),
        "--integration",
        "AgentEscalation",
        "skill_id=12a",
    ];
    let (code, out, err) = run(&args);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains(": skill_id: error:"), "{out}");
    assert!(err.contains("not saved"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), before);
    let mut forced = args.to_vec();
    forced.push("--force");
    let (code, _, err) = run(&forced);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(&file).unwrap().contains("\"12a\""));
}

#[test]
fn spaces_around_an_id_or_a_name_are_an_error_whose_fix_is_the_trimmed_value() {
    let mut bot = bot_with_bad_skill_id();
    bot["responder"][0]["agentSkillId"] = json!(" 12345 ");
    bot["responder"][0]["name"] = json!("Esc\n");
    let (_dir, file) = temp_bot(&bot);
    let (code, out, _) = run(&["validate", s(&file)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("skill_id: error: Agent Skill Id has spaces or line breaks around it: \" 12345 \" (fix: use \"12345\")"),
        "{out}"
    );
    assert!(
        out.contains("name: error: Integration Name has spaces"),
        "{out}"
    );
}

#[test]
fn set_refuses_a_field_the_integrations_type_does_not_have() {
    let (_dir, file) = copy_of("storefront-bot.json");
    let before = std::fs::read(&file).unwrap();
    let (code, _, err) = run(&[
        "set",
        s(&file),
        "--integration",
        "listOrders",
        "skill_name=X",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("skill_name is not a field of \"listOrders\", whose type is API"),
        "{err}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

#[test]
fn an_error_like_one_the_bot_has_still_counts_as_new_and_twin_transfers_need_an_id() {
    let (_dir, file) = temp_bot(&two_escalations_named_alike());
    // r1's skill id emptied (forced): the bot has one "is required" error.
    let (code, _, err) = run(&[
        "set",
        s(&file),
        "--integration",
        "r1",
        "skill_id=",
        "--force",
    ]);
    assert_eq!(code, 0, "{err}");
    let before = std::fs::read(&file).unwrap();
    // The same error on r2 is worded the same, and still new.
    let (code, out, _) = run(&["set", s(&file), "--integration", "r2", "skill_id="]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

#[test]
fn a_command_name_typed_wrong_is_named_not_opened_as_a_file() {
    let (code, out, err) = run(&["valdiate", "x.json"]);
    assert_eq!(code, 2, "{out}{err}");
    assert_one_line_error(&err);
    assert!(
        err.contains("no file or command 'valdiate'; did you mean 'validate'?"),
        "{err}"
    );
    let (code, _, err) = run(&["acount", "show"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean 'account'?"), "{err}");
    // A word far from every command is left to be a file name, as before.
    let (_, _, err) = run(&["definitely-not-a-command.json", "--help"]);
    assert!(!err.contains("did you mean"), "{err}");
}

#[test]
fn completions_load_in_bash_and_the_manual_page_is_roff() {
    let out = common::escalator(&["completions", "bash"]);
    assert_eq!(out.status.code(), Some(0));
    let script = String::from_utf8(out.stdout).unwrap();
    assert!(
        script.contains("validate") && script.contains("account"),
        "every command completes"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("escalator.bash");
    std::fs::write(&file, &script).unwrap();
    let loaded = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("source {}; complete -p escalator", file.display()))
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&loaded.stdout).contains("-F _escalator escalator"),
        "{}",
        String::from_utf8_lossy(&loaded.stderr)
    );
    for shell in ["zsh", "fish", "powershell"] {
        let out = common::escalator(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        assert!(!out.stdout.is_empty(), "{shell}");
    }
    let (code, man, _) = run(&["man"]);
    assert_eq!(code, 0);
    assert!(man.contains(".TH escalator 1"), "{man}");
    assert!(man.contains("validate"), "the commands are in it");
    assert!(
        man.contains(".SH ENVIRONMENT") && man.contains("ESCALATOR_CONFIG"),
        "{man}"
    );
    // A page for each command it points to.
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&["man", "--dir", s(dir.path())]);
    assert_eq!(code, 0, "{err}");
    let validate = std::fs::read_to_string(dir.path().join("escalator-validate.1")).unwrap();
    assert!(validate.contains("sarif"), "{validate}");
    assert!(dir.path().join("escalator-account-pull.1").exists());
    // What users do not type is not offered.
    for shell in ["bash", "zsh", "fish"] {
        let (_, script, _) = run(&["completions", shell]);
        for hidden in ["__script-worker", "gen-bot", "exit-after-first-frame"] {
            assert!(!script.contains(hidden), "{shell} offers {hidden}");
        }
        assert!(script.contains("accessible"), "{shell}");
    }
}

#[test]
fn validate_ends_with_a_summary_quiet_prints_only_it_and_strict_fails_on_warnings() {
    let (_dir, path) = copy_of("escalation-bot.json");
    let (code, stdout, _) = run(&["validate", s(&path), s(&path)]);
    assert_eq!(code, 0);
    let warnings = stdout.lines().filter(|l| l.contains(": warning: ")).count();
    let hints = stdout.lines().filter(|l| l.contains(": hint: ")).count();
    let last = stdout.lines().last().unwrap();
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    assert_eq!(
        last,
        format!(
            "2 files, 0 errors, {}, {}",
            plural(warnings, "warning"),
            plural(hints, "hint")
        )
    );
    let (code, quiet, _) = run(&["validate", "--quiet", s(&path)]);
    assert_eq!(code, 0);
    assert_eq!(quiet.lines().count(), 1, "{quiet}");
    assert!(quiet.starts_with("1 file, 0 errors, "), "{quiet}");
    let (code, _, _) = run(&["validate", "--strict", "--quiet", s(&path)]);
    assert_eq!(code, 1, "the fixture's warning fails a strict run");
}

#[test]
fn every_command_shows_an_example_in_its_help() {
    for command in [
        "new",
        "validate",
        "preview",
        "simulate",
        "script-test",
        "set",
        "convert",
        "account",
        "add-failure-dialog",
        "completions",
        "man",
        "config",
    ] {
        let (code, help, _) = run(&[command, "--help"]);
        assert_eq!(code, 0, "{command}");
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with("Example: ")),
            "{command}: {help}"
        );
    }
}

#[test]
fn config_prints_an_example_that_checks_clean_and_a_check_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let (code, example, _) = run(&["config", "--example"]);
    assert_eq!(code, 0);
    assert!(example.contains("# save = \"ctrl-s\""), "{example}");
    let file = dir.path().join("config.toml");
    let with = |path: &std::path::Path, args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_escalator"))
            .args(args)
            .env("ESCALATOR_CONFIG", path)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap(),
        )
    };
    let (code, out) = with(&file, &["config"]);
    assert_eq!(code, 0);
    assert!(out.contains("no config file"), "{out}");
    std::fs::write(&file, &example).unwrap();
    let (code, out) = with(&file, &["config", "--check"]);
    assert_eq!(
        (code, out.trim()),
        (0, format!("{}: no problems", s(&file)).as_str())
    );
    std::fs::write(
        &file,
        "[keys]\nsave = \"ctrl-w\"\nsail = \"x\"\n[theme]\nerror = \"mauve\"\n",
    )
    .unwrap();
    let (code, out) = with(&file, &["config"]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].starts_with(&format!("{}:3: keys.sail", s(&file))),
        "{out}"
    );
    assert!(
        lines[1].starts_with(&format!("{}:5: theme.error", s(&file))),
        "{out}"
    );
    let (code, out) = with(&file, &["config", "--path"]);
    assert_eq!((code, out.trim()), (0, s(&file)));
}

#[test]
fn the_readmes_config_example_checks_clean() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let block = readme
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README shows a config");
    let (_dir, file) = common::temp_file("config.toml", block);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_escalator"))
        .arg("config")
        .env("ESCALATOR_CONFIG", &file)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(said.contains("no problems"), "{said}");
}

#[test]
fn the_editor_without_a_terminal_says_so_and_names_the_accessible_mode() {
    let (_dir, path) = copy_of("escalation-bot.json");
    // Every time: the guard that watches the terminal never takes the missing one for a
    // lost one.
    for _ in 0..5 {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_escalator"))
            .arg(&path)
            .env_remove("ESCALATOR_ACCESSIBLE")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("needs a terminal") && err.contains("--accessible"),
            "{err}"
        );
        assert!(out.stdout.is_empty(), "nothing drawn into a pipe");
    }
}
