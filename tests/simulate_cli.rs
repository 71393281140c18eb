//! `escalator simulate` through the binary, on temporary copies of the sample bot and of a
//! real export: one test a runtime rule of the escalation (domain.md, "Runtime of an
//! escalation"), read from the printed timeline.

mod common;

use std::path::Path;

use escalator::bot::dialogs::DEFAULT_APOLOGY;
use escalator::runtime::simulate::{DROP_WAIT_MS, STOP_MESSAGE};
use escalator::workspace::shipped::SAMPLE_BOT;
use serde_json::Value;

// `sample_copy()` is the sample bot: its dialog "Agent" runs the integration after two texts,
// with a 4000 ms delay; its skill id is `{$botContext.skillId}`.
use common::{run, s, sample_copy};

const INTEGRATION: &str = "AgentEscalation";
/// The first text of the sample bot's Fallback dialog.
const FALLBACK_TEXT: &str = "Sorry, I didn't understand that.";

/// Simulates the sample's integration with `extra` arguments; the file must not change.
fn simulate(file: &Path, extra: &[&str]) -> String {
    let before = std::fs::read(file).unwrap();
    let mut args = vec!["simulate", s(file), "--integration", INTEGRATION];
    args.extend_from_slice(extra);
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{extra:?}: {err}");
    assert!(err.is_empty(), "{err}");
    assert_eq!(
        std::fs::read(file).unwrap(),
        before,
        "simulate never writes"
    );
    out
}

/// The `outcome:` line.
fn outcome(out: &str) -> &str {
    out.lines()
        .last()
        .and_then(|l| l.strip_prefix("outcome: "))
        .unwrap_or_else(|| panic!("no outcome line:\n{out}"))
}

/// The timeline line with `text`, as (ms, text).
fn line_with<'a>(out: &'a str, text: &str) -> (u64, &'a str) {
    let line = out
        .lines()
        .find(|l| l.contains(text))
        .unwrap_or_else(|| panic!("no line with {text:?}:\n{out}"));
    let (ms, rest) = line.trim_start().split_once(" ms  ").unwrap();
    (ms.parse().unwrap(), rest)
}

#[test]
fn a_skill_id_without_a_number_sends_the_fallback_message_and_no_transfer() {
    let (_dir, file) = sample_copy();
    let out = simulate(&file, &[]);
    let (at, text) = line_with(&out, "the fallback message is sent instead of a transfer");
    assert_eq!(at, 4000);
    assert!(text.ends_with(&format!("\"{FALLBACK_TEXT}\"")), "{text}");
    assert!(
        out.contains("{$botContext.skillId} has no sample value"),
        "{out}"
    );
    assert!(!out.contains("transfer request"), "{out}");
    assert!(outcome(&out).starts_with("no transfer"), "{out}");
}

#[test]
fn a_sample_skill_id_transfers_to_that_skill() {
    let (_dir, file) = sample_copy();
    let out = simulate(&file, &["--context", "skillId=12"]);
    assert_eq!(line_with(&out, "interaction delay of 4000 ms").0, 0);
    assert_eq!(line_with(&out, "the consumer sees \"Hold on").0, 4000);
    assert_eq!(line_with(&out, "Agent Skill Id evaluates to 12").0, 4000);
    assert_eq!(
        line_with(&out, "the transfer request goes to skill 12").0,
        4000
    );
    assert_eq!(outcome(&out), "transferred to skill 12");
}

#[test]
fn a_dropped_request_without_a_fallback_skill_waits_3_minutes_and_fails() {
    let (_dir, file) = sample_copy();
    let out = simulate(&file, &["--context", "skillId=12", "--drop"]);
    assert_eq!(line_with(&out, "no response for 3 minutes").0, 4000);
    let (at, text) = line_with(&out, "attempt 1");
    assert_eq!(at, 4000 + DROP_WAIT_MS);
    assert!(
        text.contains("no fallback skill is set, so the transfer fails"),
        "{text}"
    );
    assert!(out.contains("__agent_escalation_failed__"), "{out}");
    assert!(!out.contains("transferred to"), "{out}");
    assert_eq!(
        outcome(&out),
        "the transfer failed; the bot answered the failure"
    );
}

#[test]
fn a_dropped_request_goes_to_the_connectors_fallback_skill() {
    let (_dir, file) = sample_copy();
    let out = simulate(
        &file,
        &[
            "--context",
            "skillId=12",
            "--drop",
            "--fallback-skill-id",
            "99",
        ],
    );
    let (at, _) = line_with(&out, "the agent connector's fallback skill 99");
    assert_eq!(at, 4000 + 180_000);
    assert_eq!(line_with(&out, "transferred to skill 99").0, 184_000);
    assert_eq!(outcome(&out), "transferred to skill 99");

    // The same from escalator's settings file, written by `set`.
    let (code, _, err) = run(&[
        "set",
        s(&file),
        "--integration",
        INTEGRATION,
        "--fallback-skill-id",
        "99",
        "--context",
        "skillId=12",
    ]);
    assert_eq!(code, 0, "{err}");
    let out = simulate(&file, &["--drop"]);
    assert_eq!(line_with(&out, "transferred to skill 99").0, 184_000);
    assert_eq!(outcome(&out), "transferred to skill 99");
}

#[test]
fn four_failures_stop_the_escalation_with_the_default_response() {
    let (_dir, file) = sample_copy();
    let out = simulate(&file, &["--context", "skillId=12", "--failures", "4"]);
    assert_eq!(
        out.matches("the platform sends __agent_escalation_failed__")
            .count(),
        3,
        "{out}"
    );
    let (at, last) = line_with(&out, "the 4th attempt failed too");
    // Four interaction delays, and the three answers of the failure dialog between them (one
    // message time each: the escalation runs again after the answer is shown).
    assert_eq!(at, 4 * 4000 + 3 * 2000);
    let attempts: Vec<u64> = out
        .lines()
        .filter(|l| l.contains("the transfer request goes to"))
        .map(|l| {
            l.trim_start()
                .split_once(" ms  ")
                .unwrap()
                .0
                .parse()
                .unwrap()
        })
        .collect();
    assert_eq!(attempts, [4000, 10_000, 16_000, 22_000], "{out}");
    assert!(last.ends_with(&format!("\"{STOP_MESSAGE}\"")), "{last}");
    assert_eq!(
        STOP_MESSAGE,
        "Not able to transfer to Agent at this time. Please try later."
    );
    assert!(
        outcome(&out).ends_with(&format!("\"{STOP_MESSAGE}\"")),
        "{out}"
    );
}

#[test]
fn the_bots_default_user_friendly_response_replaces_the_stop_message() {
    let (_dir, file) = sample_copy();
    let mut bot: Value = serde_json::from_str(SAMPLE_BOT).unwrap();
    bot["bot"]["botAttributes"]["DEFAULT_ERROR_MESSAGE"] =
        Value::String("We'll call you back shortly.".into());
    std::fs::write(&file, serde_json::to_string_pretty(&bot).unwrap()).unwrap();
    let out = simulate(&file, &["--context", "skillId=12", "--failures", "4"]);
    let (_, last) = line_with(&out, "the 4th attempt failed too");
    assert!(last.ends_with("\"We'll call you back shortly.\""), "{last}");
    assert!(!out.contains(STOP_MESSAGE), "{out}");
    assert_eq!(
        outcome(&out),
        "escalation stopped; the consumer got \"We'll call you back shortly.\""
    );
}

#[test]
fn without_a_failure_dialog_the_fallback_dialog_answers() {
    let (_dir, file) = sample_copy();
    let out = simulate(&file, &["--context", "skillId=12", "--failures", "1"]);
    assert!(
        out.contains(&format!(
            "the dialog \"Escalation Failed\" answers: \"{DEFAULT_APOLOGY}\""
        )),
        "{out}"
    );
    let out = simulate(
        &file,
        &[
            "--context",
            "skillId=12",
            "--failures",
            "1",
            "--failure-dialog",
            "no",
        ],
    );
    assert!(
        out.contains(&format!(
            "no dialog catches it: the Fallback dialog \"Fallback\" answers: \"{FALLBACK_TEXT}\""
        )),
        "{out}"
    );
    assert!(!out.contains("\"Escalation Failed\""), "{out}");
}

#[test]
fn a_failure_dialog_added_to_an_export_answers_failures() {
    for bot in common::shop_bots() {
        failure_dialog_answers(&bot);
    }
}

fn failure_dialog_answers(bot: &common::ShopBot) {
    let (_dir, file) = common::copy_to_temp(&bot.path);
    let (code, _, err) = run(&[
        "set",
        s(&file),
        "--integration",
        "Handoff",
        "--create",
        "skill_id=12",
        "skill_name=Sales",
    ]);
    assert_eq!(code, 0, "{err}");
    let failing = [
        "simulate",
        s(&file),
        "--integration",
        "Handoff",
        "--failures",
        "1",
    ];
    let (code, out, err) = run(&failing);
    assert_eq!(code, 0, "{err}");
    let fallback = format!(
        "no dialog catches it: the Fallback dialog \"{}\" answers",
        bot.fallback
    );
    assert!(out.contains(&fallback), "{out}");

    let (code, _, err) = run(&["add-failure-dialog", s(&file)]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run(&failing);
    assert_eq!(code, 0, "{err}");
    let (at, text) = line_with(&out, "answers");
    assert_eq!(at, 0, "no interaction runs it, so no delay");
    assert_eq!(
        text,
        format!("the dialog \"Escalation Failed\" answers: \"{DEFAULT_APOLOGY}\"")
    );
}

#[test]
fn json_output_has_timed_events_and_an_outcome() {
    let (_dir, file) = sample_copy();
    for (extra, result) in [
        (vec!["--context", "skillId=12"], "transferred"),
        (vec![], "notNumeric"),
        (
            vec!["--context", "skillId=12", "--failures", "9"],
            "stopped",
        ),
        (vec!["--context", "skillId=12", "--failures", "2"], "failed"),
    ] {
        let mut args = extra.clone();
        args.extend(["--format", "json"]);
        let out = simulate(&file, &args);
        let timeline: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        let events = timeline["events"].as_array().unwrap();
        assert!(!events.is_empty());
        let times: Vec<u64> = events
            .iter()
            .map(|e| e["atMs"].as_u64().expect("atMs is a number"))
            .collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
        assert!(
            events
                .iter()
                .all(|e| e["kind"].is_string() && e["text"].is_string())
        );
        assert_eq!(timeline["outcome"]["result"], result, "{extra:?}");
    }
    let out = simulate(&file, &["--context", "skillId=12", "--format", "json"]);
    let timeline: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(timeline["outcome"]["to"], "skill 12");
    let request = timeline["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "request")
        .unwrap();
    assert_eq!(request["body"]["agentSkillId"], "12");
}

#[test]
fn what_cannot_transfer_is_refused_with_exit_2() {
    for bot in common::shop_bots() {
        let (code, out, err) = run(&["simulate", s(&bot.path), "--integration", bot.api]);
        assert_eq!(code, 2, "{out}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("error: "), "{err}");
        assert!(err.contains(&format!("\"{}\"", bot.api)), "{err}");
        assert!(
            err.contains("only LivePerson Agent Escalation integrations transfer"),
            "{err}"
        );
        assert!(out.is_empty());
    }

    let (_dir, file) = sample_copy();
    for args in [
        vec!["--integration", "Nope"],
        vec!["--interaction", "welcome_text"],
        vec!["--integration", INTEGRATION, "--context", "novalue"],
    ] {
        let mut all = vec!["simulate", s(&file)];
        all.extend(args.iter().copied());
        let (code, _, err) = run(&all);
        assert_eq!(code, 2, "{args:?}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    }
}
