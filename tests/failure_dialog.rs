//! Adding a dialog that catches `__agent_escalation_failed__`: through the binary on every
//! real export (only the dialog and its two interactions are added, nothing else moves), and
//! through the library (the new interactions are linked, in the dialog, with fresh ids).

mod common;
use common::Edits;

use std::collections::HashSet;

use escalator::bot::BotDocument;
use escalator::bot::dialogs::{self, AddedDialog, DEFAULT_APOLOGY};
use escalator::rules;
use escalator::workspace::sidecar::Sidecar;
use serde_json::Value;

use common::{assert_lines_kept, copy_to_temp, export_shaped_files, fixture, run, s};

const NO_DIALOG_CATCHES: &str = "no dialog catches";

fn list(root: &Value, key: &str) -> Vec<Value> {
    root[key].as_array().cloned().unwrap_or_default()
}

#[test]
fn every_export_gets_a_failure_dialog_and_nothing_else_changes() {
    for source in export_shaped_files() {
        let name = source.file_name().unwrap().to_string_lossy().to_string();
        let (_dir, file) = copy_to_temp(&source);
        let original = std::fs::read_to_string(&file).unwrap();

        let (code, out, err) = run(&["add-failure-dialog", s(&file)]);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(out.contains("Escalation Failed"), "{name}: {out}");
        assert!(err.is_empty(), "{name}: {err}");

        let (_, report, _) = run(&["validate", s(&file)]);
        assert!(
            !report.contains(NO_DIALOG_CATCHES),
            "{name}: still warned:\n{report}"
        );

        let saved = std::fs::read_to_string(&file).unwrap();
        let before: Value = serde_json::from_str(&original).unwrap();
        let mut after: Value = serde_json::from_str(&saved).unwrap();
        let (groups_before, groups_after) = (list(&before, "groups"), list(&after, "groups"));
        let (messages_before, messages_after) = (
            list(&before, "conversationMessage"),
            list(&after, "conversationMessage"),
        );
        assert_eq!(groups_after.len(), groups_before.len() + 1, "{name}");
        assert_eq!(messages_after.len(), messages_before.len() + 2, "{name}");
        let group = groups_after.last().unwrap().clone();
        assert_eq!(group["name"], "Escalation Failed", "{name}");
        assert_eq!(group["dialogType"], "DIALOG", "{name}");
        assert_eq!(group["status"], "ENABLED", "{name}");
        assert_eq!(group["chatBotId"], before["bot"]["id"], "{name}");
        // Same keys, same order, as the bot's own dialogs.
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&group), keys(&groups_before[0]), "{name}");
        let starter = &messages_after[messages_before.len()];
        let text = &messages_after[messages_before.len() + 1];
        assert_eq!(starter["interactionType"], "DIALOG_STARTER", "{name}");
        assert_eq!(
            starter["pattern"],
            serde_json::json!(["__agent_escalation_failed__"]),
            "{name}"
        );
        assert_eq!(text["interactionType"], "TEXT", "{name}");
        assert_eq!(
            text["content"]["results"]["tile"]["tileData"][0]["text"], DEFAULT_APOLOGY,
            "{name}"
        );
        for added in [starter, text] {
            assert_eq!(added["group"], group["id"], "{name}");
            assert_eq!(added["chatBotId"], before["bot"]["id"], "{name}");
            assert_eq!(added["type"], "BOT_MESSAGE", "{name}");
            assert_eq!(
                added["responseMatches"][0]["action"],
                serde_json::json!({"name": "INTERACTION", "value": "next"}),
                "{name}"
            );
        }
        // Everything else is equal.
        after["groups"].as_array_mut().unwrap().pop();
        let messages = after["conversationMessage"].as_array_mut().unwrap();
        messages.truncate(messages_before.len());
        assert_eq!(
            after, before,
            "{name}: something besides the new dialog changed"
        );
        assert_lines_kept(&name, &original, &saved, &[]);

        // A second run refuses and leaves the file alone.
        let (code, out, err) = run(&["add-failure-dialog", s(&file)]);
        assert_eq!(code, 2, "{name}: {out}");
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert!(
            err.contains("\"Escalation Failed\" already catches"),
            "{name}: {err}"
        );
        assert_eq!(
            std::fs::read(&file).unwrap(),
            saved.as_bytes(),
            "{name}: changed by a refused run"
        );
    }
}

#[test]
fn the_warning_goes_away_on_a_bot_that_escalates() {
    let (_dir, file) = copy_to_temp(&fixture("alias-keys-bot.json"));
    let (_, report, _) = run(&["validate", s(&file)]);
    assert!(report.contains(NO_DIALOG_CATCHES), "{report}");
    let (code, out, err) = run(&[
        "add-failure-dialog",
        s(&file),
        "--message",
        "Das hat leider nicht geklappt.",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Das hat leider nicht geklappt."), "{out}");
    let (_, report, _) = run(&["validate", s(&file)]);
    assert!(!report.contains(NO_DIALOG_CATCHES), "{report}");
    let doc = BotDocument::load(&file).unwrap();
    let found = dialogs::failure_dialogs(&doc);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].name, "Escalation Failed");
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(
        saved.contains("\"text\": \"Das hat leider nicht geklappt.\""),
        "{saved}"
    );
}

#[test]
fn bad_input_exits_2_and_writes_nothing() {
    let (_dir, file) = copy_to_temp(&fixture("alias-keys-bot.json"));
    let original = std::fs::read(&file).unwrap();
    let (code, _, err) = run(&["add-failure-dialog", s(&file), "--message", "  "]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("empty"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), original);

    // A bot that has one already (the fixture's "Failed" dialog).
    let (_dir2, has_one) = copy_to_temp(&fixture("crlf-bot.json"));
    let original = std::fs::read(&has_one).unwrap();
    let (code, _, err) = run(&["add-failure-dialog", s(&has_one)]);
    assert_eq!(code, 2);
    assert!(err.contains("\"Failed\" already catches"), "{err}");
    assert_eq!(std::fs::read(&has_one).unwrap(), original);

    let missing = file.with_file_name("missing.json");
    let (code, _, err) = run(&["add-failure-dialog", s(&missing)]);
    assert_eq!(code, 2);
    assert!(err.contains("missing.json"), "{err}");
    assert!(!missing.exists());

    let truncated = fixture("truncated-bot.json");
    let (_dir3, truncated) = copy_to_temp(&truncated);
    let original = std::fs::read(&truncated).unwrap();
    let (code, _, err) = run(&["add-failure-dialog", s(&truncated)]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(std::fs::read(&truncated).unwrap(), original);
}

fn is_hex40(id: &str) -> bool {
    id.len() == 40 && id.chars().all(|c| c.is_ascii_hexdigit())
}

fn is_uuid(id: &str) -> bool {
    id.len() == 36 && id.split('-').map(str::len).eq([8, 4, 4, 4, 12])
}

fn check_added(name: &str, doc: &BotDocument, before: &BotDocument, added: &AddedDialog) {
    let interactions = doc.interactions();
    let starter = interactions
        .iter()
        .find(|i| i.id == added.starter_id)
        .unwrap_or_else(|| panic!("{name}: no starter"));
    let text = interactions
        .iter()
        .find(|i| i.id == added.message_id)
        .unwrap_or_else(|| panic!("{name}: no text"));
    assert_eq!(starter.next, text.id, "{name}");
    assert_eq!(text.prev, starter.id, "{name}");
    assert!(starter.prev.is_empty() && text.next.is_empty(), "{name}");
    assert_eq!(starter.dialog_id, added.id, "{name}");
    assert_eq!(text.dialog_id, added.id, "{name}");
    assert_eq!(starter.kind, "DIALOG_STARTER", "{name}");
    assert_eq!(starter.patterns, ["__agent_escalation_failed__"], "{name}");
    assert_eq!(text.kind, "TEXT", "{name}");
    assert!(text.is_statement() && !text.waits_for_user(), "{name}");
    assert_eq!(starter.name, added.starter_name, "{name}");
    assert_eq!(text.name, added.message_name, "{name}");

    assert!(is_uuid(&added.id), "{name}: {}", added.id);
    assert!(is_hex40(&added.starter_id), "{name}");
    assert!(is_hex40(&added.message_id), "{name}");
    let old_ids: HashSet<String> = before
        .interactions()
        .into_iter()
        .map(|i| i.id)
        .chain(before.dialogs().into_iter().map(|d| d.id))
        .collect();
    for id in [&added.id, &added.starter_id, &added.message_id] {
        assert!(!old_ids.contains(id), "{name}: {id} is not fresh");
    }
    let all: Vec<String> = interactions.iter().map(|i| i.id.clone()).collect();
    let unique: HashSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), all.len(), "{name}: interaction ids repeat");

    let dialog = &doc.dialogs()[added.index];
    assert_eq!(dialog.id, added.id, "{name}");
    assert_eq!(dialog.name, added.name, "{name}");
    assert!(dialog.enabled, "{name}");
    let found = dialogs::failure_dialogs(doc);
    assert_eq!(found.len(), 1, "{name}");
    assert_eq!(found[0].id, added.id, "{name}");
}

#[test]
fn the_new_interactions_are_linked_in_the_new_dialog_with_fresh_ids() {
    for source in export_shaped_files() {
        let name = source.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(&source).unwrap();
        let before = BotDocument::from_bytes(&bytes).unwrap();
        let mut doc = before.clone();
        // Make the bot escalate, so the bot-level rule applies.
        doc.add_escalation("AgentEscalation");
        let warned = |doc: &BotDocument| {
            rules::validate_bot(doc, &Sidecar::default())
                .iter()
                .any(|d| d.integration.is_none() && d.message.contains(NO_DIALOG_CATCHES))
        };
        assert!(warned(&doc), "{name}");
        let added = doc.add_failure_dialog(DEFAULT_APOLOGY).unwrap();
        assert!(!warned(&doc), "{name}");
        check_added(&name, &doc, &before, &added);

        let err = doc.add_failure_dialog("again").unwrap_err();
        assert!(
            err.to_string().contains("Escalation Failed"),
            "{name}: {err}"
        );
    }
}

#[test]
fn names_are_made_unique_and_a_bot_without_dialogs_gets_the_realworld_shape() {
    let text = r#"{
  "bot": {"id": "b1", "name": "Bare"},
  "responder": []
}"#;
    let before = BotDocument::from_bytes(text.as_bytes()).unwrap();
    let mut doc = before.clone();
    let added = doc.add_failure_dialog("Sorry!").unwrap();
    check_added("bare", &doc, &before, &added);
    let root = doc.root();
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        keys(&root["groups"][0]),
        [
            "chatBotId",
            "id",
            "name",
            "creationTime",
            "modificationTime",
            "dialogType",
            "status",
            "disambiguteOnlySelectedDomains"
        ]
    );
    assert_eq!(
        keys(&root["conversationMessage"][1]),
        [
            "id",
            "chatBotId",
            "userInputRequired",
            "name",
            "type",
            "content",
            "group",
            "status",
            "required",
            "prevMessageId",
            "responseMatches",
            "interactionType"
        ]
    );
    // The saved text reads back the same.
    let reread = BotDocument::from_bytes(doc.to_text().as_bytes()).unwrap();
    assert_eq!(reread.root(), doc.root());

    // Taken names get a number; a disabled catcher does not count.
    let text = r#"{
  "bot": {"id": "b1"},
  "responder": [],
  "groups": [{"id": "g1", "name": "escalation failed", "dialogType": "DIALOG", "status": "DISABLED"}],
  "conversationMessage": [
    {"id": "m1", "name": "escalation_failed_starter", "group": "g1", "interactionType": "DIALOG_STARTER",
     "pattern": ["__agent_escalation_failed__"], "nextMessageId": "m2"},
    {"id": "m2", "name": "escalation_failed_message", "group": "g1", "interactionType": "TEXT", "prevMessageId": "m1"}
  ]
}"#;
    let before = BotDocument::from_bytes(text.as_bytes()).unwrap();
    let mut doc = before.clone();
    let added = doc.add_failure_dialog(DEFAULT_APOLOGY).unwrap();
    assert_eq!(added.name, "Escalation Failed 2");
    assert_eq!(added.starter_name, "escalation_failed_starter_2");
    assert_eq!(added.message_name, "escalation_failed_message_2");
    check_added("disabled", &doc, &before, &added);
}
