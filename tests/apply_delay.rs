//! Applying the recommended interaction delay (statements before the transfer × per-message
//! ms) to the Integration interactions that run an integration: in the library and through
//! `escalator set --apply-delay`.
//!
//! The sample bot runs its escalation after two TEXT statements, with `"interactionDelay":
//! "4000"` on the Integration interaction `agent_escalation`.

mod common;
use common::Edits;

use std::path::{Path, PathBuf};

use escalator::bot::BotDocument;
use escalator::workspace::shipped::SAMPLE_BOT;
use serde_json::{Value, json};

use common::{apply_recommended_delay, run, s};

const INTERACTION: &str = "agent_escalation";
const SAMPLE_DELAY_LINE: &str = "\"interactionDelay\": \"4000\"";

fn sample() -> BotDocument {
    BotDocument::from_bytes(SAMPLE_BOT.as_bytes()).unwrap()
}

/// The sample bot with its Integration interaction's delay edited by `edit`.
fn sample_with(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> BotDocument {
    let mut doc = sample();
    let mut root = doc.root().clone();
    let interaction = root["conversationMessage"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|i| i["name"] == INTERACTION)
        .unwrap();
    edit(interaction.as_object_mut().unwrap());
    doc.replace_root(root);
    doc
}

fn interaction(doc: &BotDocument) -> serde_json::Map<String, Value> {
    doc.root()["conversationMessage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == INTERACTION)
        .unwrap()
        .as_object()
        .unwrap()
        .clone()
}

fn keys(map: &serde_json::Map<String, Value>) -> Vec<String> {
    map.keys().cloned().collect()
}

#[test]
fn a_zero_delay_becomes_two_messages_worth() {
    let mut doc = sample_with(|i| {
        i.insert("interactionDelay".into(), json!("0"));
    });
    let changes = apply_recommended_delay(&mut doc, 0, 2000);
    assert_eq!(changes, [(INTERACTION.to_string(), Some(0), 4000)]);
    assert_eq!(interaction(&doc)["interactionDelay"], json!("4000"));
    // Written as a string, where it was: the text is the sample's again.
    assert_eq!(doc.to_text(), SAMPLE_BOT);
}

#[test]
fn an_equal_delay_is_left_alone_and_the_document_unmodified() {
    let mut doc = sample();
    let revision = doc.revision();
    assert!(apply_recommended_delay(&mut doc, 0, 2000).is_empty());
    assert!(!doc.is_modified());
    assert_eq!(doc.revision(), revision);
    // A number equal to the recommendation counts as equal too.
    let mut doc = sample_with(|i| {
        i.insert("interactionDelay".into(), json!(4000));
    });
    doc.mark_saved(doc.to_text());
    assert!(apply_recommended_delay(&mut doc, 0, 2000).is_empty());
    assert!(!doc.is_modified());
}

#[test]
fn the_per_message_time_is_a_parameter() {
    let mut doc = sample();
    let changes = apply_recommended_delay(&mut doc, 0, 1500);
    assert_eq!(changes, [(INTERACTION.to_string(), Some(4000), 3000)]);
    assert_eq!(interaction(&doc)["interactionDelay"], json!("3000"));
}

#[test]
fn an_interaction_without_the_key_gets_it_where_the_exports_put_it() {
    let original_keys = keys(&interaction(&sample()));
    let mut doc = sample_with(|i| {
        i.shift_remove("interactionDelay");
    });
    assert!(!interaction(&doc).contains_key("interactionDelay"));
    let changes = apply_recommended_delay(&mut doc, 0, 2000);
    assert_eq!(changes, [(INTERACTION.to_string(), None, 4000)]);
    assert_eq!(keys(&interaction(&doc)), original_keys);
    assert_eq!(doc.to_text(), SAMPLE_BOT);

    // After `interactionType` and the `changeResponse` / `cancelResponse` real exports write
    // after it, before any other key.
    let mut doc = sample_with(|i| {
        i.shift_remove("interactionDelay");
        i.insert("changeResponse".into(), json!({}));
        i.insert("cancelResponse".into(), json!({}));
        i.insert("comment".into(), json!({"content": "x"}));
    });
    apply_recommended_delay(&mut doc, 0, 2000);
    let order = keys(&interaction(&doc));
    let tail: Vec<&str> = order[order.len() - 5..]
        .iter()
        .map(String::as_str)
        .collect();
    assert_eq!(
        tail,
        [
            "interactionType",
            "changeResponse",
            "cancelResponse",
            "interactionDelay",
            "comment"
        ]
    );
    // Right after `interactionType` when an unknown key follows it.
    let mut doc = sample_with(|i| {
        i.shift_remove("interactionDelay");
    });
    let mut root = doc.root().clone();
    let moved = root["conversationMessage"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|i| i["name"] == INTERACTION)
        .unwrap()
        .as_object_mut()
        .unwrap();
    moved.insert("trailing".into(), json!(1));
    doc.replace_root(root);
    apply_recommended_delay(&mut doc, 0, 2000);
    let order = keys(&interaction(&doc));
    assert_eq!(
        &order[order.len() - 3..],
        ["interactionType", "interactionDelay", "trailing"]
    );
}

#[test]
fn an_unreadable_delay_is_replaced_and_other_integrations_are_untouched() {
    let mut doc = sample_with(|i| {
        i.insert("interactionDelay".into(), json!("soon"));
    });
    let changes = apply_recommended_delay(&mut doc, 0, 2000);
    assert_eq!(changes, [(INTERACTION.to_string(), None, 4000)]);
    let mut doc = sample();
    assert!(apply_recommended_delay(&mut doc, 7, 2000).is_empty());
    let added = doc.add_escalation("Other");
    doc.mark_saved(doc.to_text());
    assert!(apply_recommended_delay(&mut doc, added, 2000).is_empty());
    assert!(!doc.is_modified());
}

// The command line.

/// The sample bot with `"interactionDelay": "0"`, in a temporary folder.
fn sample_file_with_zero_delay() -> (tempfile::TempDir, PathBuf) {
    assert_eq!(SAMPLE_BOT.matches(SAMPLE_DELAY_LINE).count(), 1);
    common::temp_file(
        "bot.json",
        SAMPLE_BOT.replace(SAMPLE_DELAY_LINE, "\"interactionDelay\": \"0\""),
    )
}

fn delay_warnings(file: &Path) -> Vec<String> {
    let (_, out, err) = run(&["validate", s(file)]);
    assert!(err.is_empty(), "{err}");
    out.lines()
        .filter(|l| l.contains("Integration interaction") && l.contains("recommended"))
        .map(str::to_string)
        .collect()
}

#[test]
fn set_apply_delay_writes_the_recommendation_end_to_end() {
    let (_dir, file) = sample_file_with_zero_delay();
    assert_eq!(delay_warnings(&file).len(), 1);
    let (code, out, err) = run(&[
        "set",
        s(&file),
        "--integration",
        "AgentEscalation",
        "--apply-delay",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("interaction {INTERACTION}: 0 → 4000 ms")),
        "{out}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), SAMPLE_BOT);
    assert!(delay_warnings(&file).is_empty());

    // Again: nothing to do, nothing written.
    let before = std::fs::metadata(&file).unwrap().modified().unwrap();
    let (code, out, _) = run(&[
        "set",
        s(&file),
        "--integration",
        "AgentEscalation",
        "--apply-delay",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("already as recommended"), "{out}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), SAMPLE_BOT);
    assert_eq!(
        std::fs::metadata(&file).unwrap().modified().unwrap(),
        before
    );
}

#[test]
fn set_apply_delay_comes_after_the_field_edits_and_uses_the_sidecars_pace() {
    let (_dir, file) = sample_file_with_zero_delay();
    std::fs::write(
        escalator::workspace::sidecar::Sidecar::path_for(&file),
        "{\n  \"perMessageMs\": 1500\n}\n",
    )
    .unwrap();
    let (code, out, err) = run(&[
        "set",
        s(&file),
        "--integration",
        "AgentEscalation",
        "--apply-delay",
        "skill_name=Support",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("interaction {INTERACTION}: 0 → 3000 ms")),
        "{out}"
    );
    let doc = BotDocument::load(&file).unwrap();
    assert_eq!(interaction(&doc)["interactionDelay"], json!("3000"));
    assert_eq!(doc.integration(0).unwrap().escalation.skill_name, "Support");
    assert!(delay_warnings(&file).is_empty());

    // A bad assignment refuses everything, the delay included.
    let saved = std::fs::read(&file).unwrap();
    std::fs::remove_file(escalator::workspace::sidecar::Sidecar::path_for(&file)).unwrap();
    let (code, _, err) = run(&[
        "set",
        s(&file),
        "--integration",
        "AgentEscalation",
        "--apply-delay",
        "nonsense=1",
    ]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), saved);
}

#[test]
fn set_apply_delay_on_an_integration_nothing_runs_says_so() {
    let (_dir, file) = sample_file_with_zero_delay();
    let (code, out, err) = run(&[
        "set",
        s(&file),
        "--integration",
        "Spare",
        "--create",
        "skill_id=5",
        "skill_name=Spare",
        "--apply-delay",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("no Integration interaction runs"), "{out}");
    let doc = BotDocument::load(&file).unwrap();
    assert_eq!(interaction(&doc)["interactionDelay"], json!("0"));
}

/// Conversation Builder takes at most 10,000 ms: two statements at 6,000 ms each need more.
#[test]
fn no_delay_over_ten_seconds_is_recommended_written_or_accepted() {
    let (_dir, file) = common::sample_copy();
    let settings = escalator::workspace::sidecar::Sidecar::path_for(&file);
    std::fs::write(&settings, r#"{"perMessageMs": 6000}"#).unwrap();
    let (_, out, _) = run(&["validate", s(&file)]);
    assert!(
        out.contains("2 messages before the transfer need 12000 ms, more than the 10000 ms"),
        "{out}"
    );
    assert!(
        out.contains("move the last one into Message to User"),
        "{out}"
    );
    assert!(out.contains("= 12000 ms, at most 10000 ms"), "{out}");
    let (code, _, err) = run(&[
        "set",
        s(&file),
        "--integration",
        "AgentEscalation",
        "--apply-delay",
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\"interactionDelay\": \"10000\""), "{text}");
    assert!(!text.contains("12000"));
    // A delay over the limit written by hand is an error.
    std::fs::write(
        &file,
        text.replace(
            "\"interactionDelay\": \"10000\"",
            "\"interactionDelay\": \"12000\"",
        ),
    )
    .unwrap();
    let (code, out, _) = run(&["validate", s(&file)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("waits 12000 ms; Conversation Builder takes at most 10000 ms"),
        "{out}"
    );
}

#[test]
fn an_agent_transfer_delay_over_ten_seconds_is_refused() {
    let (_dir, file) = common::sample_copy();
    let (code, _, err) = run(&["convert", s(&file), "--interaction", INTERACTION]);
    assert_eq!(code, 0, "{err}");
    let before = std::fs::read(&file).unwrap();
    let (code, _, err) = run(&[
        "set",
        s(&file),
        "--interaction",
        INTERACTION,
        "interaction_delay=12000",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("at most 10000 ms"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

#[test]
fn an_agent_transfer_delay_is_written_as_the_number_it_is() {
    let (_dir, file) = common::sample_copy();
    let (code, _, err) = run(&["convert", s(&file), "--interaction", INTERACTION]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(&[
        "set",
        s(&file),
        "--interaction",
        INTERACTION,
        "interaction_delay=010000",
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\"interactionDelay\": \"10000\""), "{text}");
}

#[test]
fn any_interaction_waiting_over_ten_seconds_is_an_error() {
    let mut bot: Value = serde_json::from_str(SAMPLE_BOT).unwrap();
    bot["conversationMessage"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|m| m["name"] == "welcome_text")
        .unwrap()["interactionDelay"] = json!("15000");
    let (_dir, file) = common::temp_file("bot.json", serde_json::to_string_pretty(&bot).unwrap());
    let (code, out, _) = run(&["validate", s(&file)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "\"welcome_text\" waits 15000 ms; Conversation Builder takes at most 10000 ms"
        ),
        "{out}"
    );
}
