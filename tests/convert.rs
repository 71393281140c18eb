//! Converting between the two ways to escalate: an Integration interaction running a
//! LivePerson Agent Escalation integration, and an Agent Transfer interaction. Through the
//! library (in place: same id, links, delay, place) and through the binary (on the sample bot
//! and a copy of a real export, where only the new lines and the neighbours' links change).

mod common;
use common::Edits;

use std::path::Path;

use escalator::bot::BotDocument;
use escalator::bot::integration::{Escalation, Field};
use escalator::workspace::shipped::SAMPLE_BOT;
use serde_json::{Map, Value};

use common::{assert_lines_kept, run, s, sample_copy};

const SAMPLE_INTERACTION: &str = "agent_escalation";

fn sample() -> BotDocument {
    BotDocument::from_bytes(SAMPLE_BOT.as_bytes()).unwrap()
}

fn messages(doc: &BotDocument) -> Vec<Value> {
    doc.root()["conversationMessage"]
        .as_array()
        .unwrap()
        .clone()
}

fn index_of(doc: &BotDocument, name: &str) -> usize {
    doc.interactions()
        .into_iter()
        .find(|i| i.name == name)
        .unwrap_or_else(|| panic!("no interaction {name}"))
        .index
}

fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

/// The interaction without the keys a conversion replaces.
fn without_content(v: &Value) -> Map<String, Value> {
    let mut map = v.as_object().unwrap().clone();
    map.shift_remove("content");
    map.shift_remove("interactionType");
    map
}

fn assert_no_errors(file: &Path) {
    let (code, out, err) = run(&["validate", s(file)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!out.contains(": error:"), "{out}");
}

#[test]
fn an_integration_interaction_becomes_a_transfer_in_place_and_back() {
    let before = sample();
    let mut doc = before.clone();
    let at = index_of(&doc, SAMPLE_INTERACTION);
    let integration = doc.integrations().remove(0);

    assert_eq!(doc.convert_to_transfer(at).unwrap(), at);
    let old = &messages(&before)[at];
    let new = &messages(&doc)[at];
    assert_eq!(new["interactionType"], "ESCALATION");
    assert_eq!(keys(new), keys(old), "same keys in the same order");
    assert_eq!(
        without_content(new),
        without_content(old),
        "id, name, dialog, links, delay, rules kept"
    );
    assert_eq!(new["interactionDelay"], "4000");
    assert_eq!(
        new["content"],
        serde_json::json!({
            "contentType": "STATIC",
            "results": {"type": "ESCALATION", "tile": {"tileData": [{
                "text": "Hold on while I connect you with an agent.",
                "buttons": [],
                "quickReplyList": [],
                // The observed public shape: no skill name in an Agent Transfer interaction.
                "escalation": {"agentSkillId": "{$botContext.skillId}", "tangoContextEnabled": false}
            }]}}
        })
    );
    // Every other interaction, and the integration, are where they were.
    assert_eq!(messages(&doc).len(), messages(&before).len());
    for (i, (a, b)) in messages(&doc).iter().zip(&messages(&before)).enumerate() {
        if i != at {
            assert_eq!(a, b, "interaction {i}");
        }
    }
    assert_eq!(doc.root()["responder"], before.root()["responder"]);
    let transfer = doc.agent_transfers().remove(0);
    assert_eq!(transfer.index, at);
    assert_eq!(transfer.delay_ms, Some(4000));
    let e = &integration.escalation;
    assert_eq!(transfer.escalation.skill_id, e.skill_id);
    assert_eq!(transfer.escalation.message, e.message);
    assert_eq!(transfer.escalation.agent_id, e.agent_id);

    // And back: a new integration with the transfer's settings, the interaction in place.
    let (responder, again) = doc.convert_to_integration(at).unwrap();
    assert_eq!(again, at);
    assert_eq!(responder, 1, "the first integration stays");
    let back = doc.integration(responder).unwrap();
    assert!(back.is_escalation());
    assert_eq!(
        back.name, "AgentEscalation2",
        "PascalCase like the bot's, unique"
    );
    assert_eq!(back.response_data_variable, back.name);
    let b = &back.escalation;
    assert_eq!(
        (&b.skill_id, &b.agent_id, b.transfer_bot_context, &b.message),
        (&e.skill_id, &e.agent_id, e.transfer_bot_context, &e.message)
    );
    assert_eq!(
        b.skill_name,
        format!("Transfer {SAMPLE_INTERACTION}"),
        "an Agent Transfer interaction has no skill name to carry back: one is made up"
    );
    let interaction = &messages(&doc)[at];
    assert_eq!(interaction["interactionType"], "API_INTEGRATION");
    assert_eq!(
        interaction["content"],
        serde_json::json!({"contentType": "DYNAMIC", "responderName": back.name, "responderId": back.id})
    );
    assert_eq!(without_content(interaction), without_content(old));
    assert!(doc.interactions()[at].runs(&back));
    assert!(doc.agent_transfers().is_empty());
    // The saved text reads back the same.
    let reread = BotDocument::from_bytes(doc.to_text().as_bytes()).unwrap();
    assert_eq!(reread.root(), doc.root());
}

#[test]
fn a_transfers_skill_name_and_agent_id_carry_over_and_names_follow_the_bots_style() {
    let text = serde_json::to_string_pretty(&serde_json::json!({
        "bot": {"id": "b"},
        "responder": [
            {"id": "r1", "name": "get_orders", "responseDataVariable": "get_orders", "integrationType": "API"},
            {"id": "r2", "name": "hand_off", "responseDataVariable": "hand_off", "integrationType": "API"}
        ],
        "groups": [{"id": "g", "name": "Main", "dialogType": "DIALOG"}],
        "conversationMessage": [
            {"id": "t", "name": "Hand off", "group": "g", "interactionType": "ESCALATION",
             "content": {"contentType": "STATIC", "results": {"type": "ESCALATION", "tile": {"tileData": [
                {"text": "One moment", "buttons": [], "quickReplyList": [],
                 "escalation": {"agentSkillId": "7", "agentSkillName": "Billing", "agentID": "1.2",
                                "tangoContextEnabled": true}}]}}}}
        ]
    }))
    .unwrap();
    let mut doc = BotDocument::from_bytes(text.as_bytes()).unwrap();
    let (responder, _) = doc.convert_to_integration(0).unwrap();
    let back = doc.integration(responder).unwrap();
    assert_eq!(back.name, "hand_off2", "snake_case like the bot's, unique");
    assert_eq!(back.escalation.skill_name, "Billing");
    assert_eq!(back.escalation.agent_id, "1.2");
    assert!(back.escalation.transfer_bot_context);
    assert_eq!(back.escalation.message, "One moment");
    // Converting it again, with no Agent Transfer interaction left to copy, writes the
    // observed public shape: the canonical keys, no skill name.
    doc.convert_to_transfer(0).unwrap();
    assert_eq!(
        doc.root()["conversationMessage"][0]["content"]["results"]["tile"]["tileData"][0]["escalation"],
        serde_json::json!({"agentSkillId": "7", "tangoContextEnabled": true, "agentId": "1.2"})
    );
}

#[test]
fn only_escalation_integrations_convert_and_errors_change_nothing() {
    for bot in common::shop_bots() {
        let text = std::fs::read(&bot.path).unwrap();
        let mut doc = BotDocument::from_bytes(&text).unwrap();
        let at = index_of(&doc, bot.api_interaction);
        let err = doc.convert_to_transfer(at).unwrap_err();
        let not_escalation = format!(
            "\"{}\", which is not a LivePerson Agent Escalation integration (its type is API)",
            bot.api
        );
        assert!(err.0.contains(&not_escalation), "{err}");
        let err = doc
            .convert_to_transfer(index_of(&doc, bot.starter))
            .unwrap_err();
        assert!(err.0.contains("DIALOG_STARTER"), "{err}");
        let err = doc.convert_to_integration(at).unwrap_err();
        assert!(err.0.contains("an Integration interaction"), "{err}");
        let dialog = doc
            .dialogs()
            .into_iter()
            .find(|d| d.name == bot.dialog)
            .unwrap();
        let elsewhere = doc
            .interactions()
            .into_iter()
            .find(|i| i.name == bot.elsewhere)
            .unwrap();
        let err = doc
            .add_transfer(&dialog.id, Some(&elsewhere.id), &Escalation::default())
            .unwrap_err();
        let not_in = format!("not in the dialog \"{}\"", bot.dialog);
        assert!(err.0.contains(&not_in), "{err}");
        assert!(!doc.is_modified());
        assert_eq!(doc.to_text().as_bytes(), text.as_slice());
    }
}

#[test]
fn a_transfer_added_in_the_middle_of_a_dialog_is_linked_to_both_neighbours() {
    let before = sample();
    let mut doc = before.clone();
    let agent = doc
        .dialogs()
        .into_iter()
        .find(|d| d.name == "Agent")
        .unwrap();
    let first = doc
        .interactions()
        .into_iter()
        .find(|i| i.name == "agent_text_1")
        .unwrap();
    let second = doc
        .interactions()
        .into_iter()
        .find(|i| i.name == "agent_text_2")
        .unwrap();
    let escalation = doc.integrations().remove(0).escalation;
    let at = doc
        .add_transfer(&agent.id, Some(&first.id), &escalation)
        .unwrap();
    assert_eq!(
        at,
        first.index + 1,
        "placed right after the interaction it follows"
    );

    let all = doc.interactions();
    let added = &all[at];
    assert_eq!(added.kind, "ESCALATION");
    assert_eq!(added.name, "agent_transfer");
    assert_eq!(added.dialog_id, agent.id);
    assert_eq!(added.prev, first.id);
    assert_eq!(added.next, second.id);
    assert_eq!(added.id.len(), 40);
    assert!(
        before.interactions().iter().all(|i| i.id != added.id),
        "a fresh id"
    );
    let by_id = |id: &str| all.iter().find(|i| i.id == id).unwrap();
    assert_eq!(by_id(&first.id).next, added.id);
    assert_eq!(by_id(&second.id).prev, added.id);
    // The dialog reads starter → text 1 → transfer → text 2 → integration.
    let mut chain = vec![];
    let mut current = all.iter().find(|i| i.name == "agent_starter");
    while let Some(i) = current {
        chain.push(i.name.as_str());
        current = all.iter().find(|n| !i.next.is_empty() && n.id == i.next);
    }
    assert_eq!(
        chain,
        [
            "agent_starter",
            "agent_text_1",
            "agent_transfer",
            "agent_text_2",
            "agent_escalation"
        ]
    );
    // Shaped like the bot's own interactions.
    let raw = &messages(&doc)[at];
    assert_eq!(keys(raw), keys(&messages(&before)[first.index]));
    assert_eq!(raw["chatBotId"], before.root()["bot"]["id"]);
    let transfer = doc.agent_transfers().remove(0);
    assert_eq!(transfer.escalation.skill_id, escalation.skill_id);
    assert_eq!(transfer.escalation.message, escalation.message);

    // Only the two neighbours' links changed besides the new entry.
    let mut rest = messages(&doc).clone();
    rest.remove(at);
    for (i, (a, b)) in rest.iter().zip(&messages(&before)).enumerate() {
        let changed: Vec<&String> = a
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, v)| b.get(k.as_str()) != Some(*v))
            .map(|(k, _)| k)
            .collect();
        let expected: &[&str] = if b["id"] == first.id.as_str() {
            &["nextMessageId"]
        } else if b["id"] == second.id.as_str() {
            &["prevMessageId"]
        } else {
            &[]
        };
        assert_eq!(changed, expected, "interaction {i}");
        assert_eq!(keys(a), keys(b), "interaction {i}");
    }

    // At the dialog's end: after the Integration interaction, whose next link is added.
    let end = doc.add_transfer(&agent.id, None, &escalation).unwrap();
    let all = doc.interactions();
    assert_eq!(all[end].name, "agent_transfer_2");
    let last = all.iter().find(|i| i.name == "agent_escalation").unwrap();
    assert_eq!(all[end].prev, last.id);
    assert!(all[end].next.is_empty());
    assert_eq!(last.next, all[end].id);
    let raw = &messages(&doc)[last.index];
    let order = keys(raw);
    let pos = |k: &str| order.iter().position(|x| x == k).unwrap();
    assert!(pos("nextMessageId") < pos("prevMessageId"), "{order:?}");
    doc.set_transfer_field(end, Field::InteractionDelay, "2000")
        .unwrap();
}

#[test]
fn a_transfer_can_start_an_empty_dialog() {
    let text = r#"{
  "bot": {"id": "b"},
  "responder": [],
  "groups": [{"id": "g", "name": "Empty", "dialogType": "DIALOG"}]
}"#;
    let mut doc = BotDocument::from_bytes(text.as_bytes()).unwrap();
    let e = Escalation {
        skill_id: "5".into(),
        message: "Bye".into(),
        ..Escalation::default()
    };
    assert_eq!(doc.add_transfer("g", None, &e).unwrap(), 0);
    let added = &doc.interactions()[0];
    assert!(added.prev.is_empty() && added.next.is_empty());
    assert_eq!(doc.agent_transfers()[0].escalation.skill_id, "5");
    let reread = BotDocument::from_bytes(doc.to_text().as_bytes()).unwrap();
    assert_eq!(reread.root(), doc.root());
}

#[test]
fn the_binary_converts_the_sample_both_ways_and_the_bot_stays_valid() {
    let (_dir, file) = sample_copy();
    let (code, out, err) = run(&["convert", s(&file), "--interaction", SAMPLE_INTERACTION]);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    assert!(
        out.contains("is now an Agent Transfer interaction"),
        "{out}"
    );
    assert!(
        out.contains(
            "\"AgentEscalation\" stays in the bot's integrations, run by no interaction now"
        ),
        "{out}"
    );
    assert!(out.contains("4000 ms kept"), "{out}");
    assert_no_errors(&file);

    let (code, out, err) = run(&[
        "simulate",
        s(&file),
        "--interaction",
        SAMPLE_INTERACTION,
        "--context",
        "skillId=12",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("4000 ms  the consumer sees"), "{out}");
    assert!(out.ends_with("outcome: transferred to skill 12\n"), "{out}");

    let (code, out, err) = run(&["preview", s(&file), "--interaction", SAMPLE_INTERACTION]);
    assert_eq!(code, 0, "{err}");
    let preview: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(preview["body"]["agentSkillId"], "{$botContext.skillId}");
    assert_eq!(
        preview["delay"],
        serde_json::json!({"messages": 2, "perMessageMs": 2000, "recommendedMs": 4000, "configuredMs": 4000})
    );

    let (code, out, err) = run(&["convert", s(&file), "--interaction", SAMPLE_INTERACTION]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("is now an Integration interaction running the new LivePerson Agent Escalation integration \"AgentEscalation2\""),
        "{out}"
    );
    assert_no_errors(&file);
    let doc = BotDocument::load(&file).unwrap();
    let original = sample().integrations().remove(0);
    let back = doc.find_integration("AgentEscalation2").unwrap();
    let (a, b) = (&original.escalation, &back.escalation);
    assert_eq!(
        (&a.skill_id, &a.agent_id, a.transfer_bot_context, &a.message),
        (&b.skill_id, &b.agent_id, b.transfer_bot_context, &b.message)
    );
    let at = index_of(&doc, SAMPLE_INTERACTION);
    assert_eq!(at, index_of(&sample(), SAMPLE_INTERACTION));
    assert_eq!(
        without_content(&messages(&doc)[at]),
        without_content(&messages(&sample())[at])
    );
    let (code, out, _) = run(&[
        "simulate",
        s(&file),
        "--integration",
        "AgentEscalation2",
        "--context",
        "skillId=12",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.contains("0 ms  the interaction delay of 4000 ms passes"),
        "{out}"
    );
}

#[test]
fn set_edits_an_agent_transfer_and_refuses_bad_fields() {
    let (_dir, file) = sample_copy();
    run(&["convert", s(&file), "--interaction", SAMPLE_INTERACTION]);
    let (code, out, err) = run(&[
        "set",
        s(&file),
        "--interaction",
        SAMPLE_INTERACTION,
        "skill_id=42",
        "agent_id=123.456",
        "message=One moment",
        "transfer_bot_context=yes",
        "interaction_delay=1000",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Agent Transfer interaction \"agent_escalation\" saved"),
        "{out}"
    );
    let t = BotDocument::load(&file)
        .unwrap()
        .agent_transfers()
        .remove(0);
    assert_eq!(t.escalation.skill_id, "42");
    assert_eq!(t.escalation.agent_id, "123.456");
    assert_eq!(t.escalation.message, "One moment");
    assert!(t.escalation.transfer_bot_context);
    assert_eq!(t.delay_ms, Some(1000));

    let (code, out, err) = run(&[
        "set",
        s(&file),
        "--interaction",
        SAMPLE_INTERACTION,
        "--apply-delay",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("interaction agent_escalation: 1000 → 4000 ms"),
        "{out}"
    );

    let saved = std::fs::read(&file).unwrap();
    for bad in [
        vec!["skill_name=Sales"],
        vec!["interaction_delay=soon"],
        vec!["transfer_bot_context=maybe"],
        vec!["skill_id=1", "noequals"],
    ] {
        let mut args = vec!["set", s(&file), "--interaction", SAMPLE_INTERACTION];
        args.extend(bad.iter().copied());
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{bad:?}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert_eq!(std::fs::read(&file).unwrap(), saved, "{bad:?}");
    }
    let (code, _, err) = run(&[
        "set",
        s(&file),
        "--interaction",
        "welcome_text",
        "skill_id=1",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no Agent Transfer interaction named \"welcome_text\""),
        "{err}"
    );
    let (code, _, _) = run(&["set", s(&file), "skill_id=1"]);
    assert_eq!(code, 2, "--integration or --interaction is required");
    assert_eq!(std::fs::read(&file).unwrap(), saved);
}

#[test]
fn bad_conversions_exit_2_with_one_line_and_leave_the_file_alone() {
    for bot in common::shop_bots() {
        bad_conversions_leave(&bot);
    }
}

fn bad_conversions_leave(bot: &common::ShopBot) {
    let (_dir, file) = common::copy_to_temp(&bot.path);
    let file_name = file.file_name().unwrap().to_string_lossy().to_string();
    let original = std::fs::read(&file).unwrap();
    for args in [
        vec!["--interaction", bot.api_interaction],
        vec!["--interaction", bot.starter],
        vec!["--interaction", "nope"],
        vec!["--integration", bot.api, "--dialog", bot.dialog],
        vec!["--integration", "Nope", "--dialog", bot.dialog],
    ] {
        let mut all = vec!["convert", s(&file)];
        all.extend(args.iter().copied());
        let (code, out, err) = run(&all);
        assert_eq!(code, 2, "{args:?}: {out}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.starts_with("error: ") && err.contains(&file_name),
            "{err}"
        );
        assert_eq!(std::fs::read(&file).unwrap(), original, "{args:?}");
    }
    run(&[
        "set",
        s(&file),
        "--integration",
        "Esc",
        "--create",
        "skill_id=12",
        "skill_name=Sales",
    ]);
    let created = std::fs::read(&file).unwrap();
    for (args, says) in [
        (
            vec!["--dialog", "Nowhere"],
            "no dialog named \"Nowhere\"".to_string(),
        ),
        (
            vec!["--dialog", bot.dialog, "--after", bot.elsewhere],
            format!(
                "no interaction named \"{}\" in dialog \"{}\"",
                bot.elsewhere, bot.dialog
            ),
        ),
    ] {
        let mut all = vec!["convert", s(&file), "--integration", "Esc"];
        all.extend(args.iter().copied());
        let (code, _, err) = run(&all);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(&says), "{err}");
        assert_eq!(std::fs::read(&file).unwrap(), created, "{args:?}");
    }
    let (code, _, err) = run(&["convert", s(&file)]);
    assert_eq!(code, 2, "{err}");
}

/// `(interaction name, key)` of every top-level key that differs between two interactions
/// lists (same ids, same order).
fn changed_keys(before: &[Value], after: &[Value]) -> Vec<(String, String)> {
    assert_eq!(before.len(), after.len());
    let mut out = vec![];
    for (b, a) in before.iter().zip(after) {
        assert_eq!(b["id"], a["id"]);
        let (b, a) = (b.as_object().unwrap(), a.as_object().unwrap());
        for key in a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))) {
            if a.get(key) != b.get(key) {
                out.push((b["name"].as_str().unwrap().to_string(), key.clone()));
            }
        }
    }
    out
}

#[test]
fn a_transfer_added_to_an_export_adds_lines_and_links_only() {
    for bot in common::shop_bots() {
        a_transfer_adds_lines_and_links_only(&bot);
    }
}

fn a_transfer_adds_lines_and_links_only(bot: &common::ShopBot) {
    let (_dir, file) = common::copy_to_temp(&bot.path);
    let name = file.file_name().unwrap().to_string_lossy().to_string();
    let id_of = |root: &Value, interaction: &str| -> String {
        root["conversationMessage"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == interaction)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let original = std::fs::read_to_string(&file).unwrap();
    let before: Value = serde_json::from_str(&original).unwrap();
    let (code, _, err) = run(&[
        "set",
        s(&file),
        "--integration",
        "Esc",
        "--create",
        "skill_id=12",
        "skill_name=Sales",
    ]);
    assert_eq!(code, 0, "{err}");

    // At the dialog's end.
    let (code, out, err) = run(&[
        "convert",
        s(&file),
        "--integration",
        "Esc",
        "--dialog",
        bot.dialog,
    ]);
    assert_eq!(code, 0, "{err}");
    let added_at_end = format!(
        "added the Agent Transfer interaction \"agent_transfer\" to dialog \"{}\" after \"{}\"",
        bot.dialog, bot.carousel
    );
    assert!(out.contains(&added_at_end), "{out}");
    let saved = std::fs::read_to_string(&file).unwrap();
    assert_lines_kept(&name, &original, &saved, &[]);
    let after: Value = serde_json::from_str(&saved).unwrap();
    let added: Vec<&Value> = after["conversationMessage"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["name"] == "agent_transfer")
        .collect();
    assert_eq!(added.len(), 1);
    let added = added[0].clone();
    assert_eq!(added["interactionType"], "ESCALATION");
    assert_eq!(
        added["prevMessageId"],
        id_of(&before, bot.carousel).as_str()
    );
    assert!(added.get("nextMessageId").is_none());
    assert!(
        added.get("interactionDelay").is_none(),
        "the carousel waits for the user: no message goes out before the transfer"
    );
    let tile = &added["content"]["results"]["tile"]["tileData"][0];
    assert_eq!(tile["escalation"]["agentSkillId"], "12");
    let without_added = |v: &Value| -> Vec<Value> {
        v["conversationMessage"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["id"] != added["id"])
            .cloned()
            .collect()
    };
    assert_eq!(
        changed_keys(&without_added(&before), &without_added(&after)),
        [(bot.carousel.to_string(), "nextMessageId".to_string())]
    );
    let mut rest = after.clone();
    rest["conversationMessage"] = Value::Array(without_added(&after));
    rest["conversationMessage"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|m| m["name"] == bot.carousel)
        .unwrap()
        .as_object_mut()
        .unwrap()
        .shift_remove("nextMessageId");
    let esc = rest["responder"].as_array_mut().unwrap().pop().unwrap();
    assert_eq!(esc["name"], "Esc");
    assert_eq!(rest, before, "nothing else changed");
    assert_no_errors(&file);

    // In the middle: between the Integration interaction and the carousel.
    let (code, out, err) = run(&[
        "convert",
        s(&file),
        "--integration",
        "Esc",
        "--dialog",
        bot.dialog,
        "--after",
        bot.api_interaction,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"agent_transfer_2\""), "{out}");
    let middle = std::fs::read_to_string(&file).unwrap();
    let after_middle: Value = serde_json::from_str(&middle).unwrap();
    let new_id = after_middle["conversationMessage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "agent_transfer_2")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let strip = |v: &Value| -> Vec<Value> {
        v["conversationMessage"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["id"] != new_id.as_str())
            .cloned()
            .collect()
    };
    assert_eq!(
        changed_keys(&strip(&after), &strip(&after_middle)),
        [
            (bot.carousel.to_string(), "prevMessageId".to_string()),
            (bot.api_interaction.to_string(), "nextMessageId".to_string()),
        ]
    );
    // The two old link lines are the only ones gone.
    let old_links = [
        format!(
            "\"prevMessageId\": \"{}\"",
            id_of(&before, bot.api_interaction)
        ),
        format!("\"nextMessageId\": \"{}\"", id_of(&before, bot.carousel)),
    ];
    let old_links: Vec<&str> = old_links.iter().map(String::as_str).collect();
    assert_lines_kept(&name, &saved, &middle, &old_links);
    let doc = BotDocument::load(&file).unwrap();
    let all = doc.interactions();
    let by_name = |n: &str| all.iter().find(|i| i.name == n).unwrap();
    assert_eq!(by_name(bot.api_interaction).next, new_id);
    assert_eq!(
        by_name("agent_transfer_2").prev,
        by_name(bot.api_interaction).id
    );
    assert_eq!(by_name("agent_transfer_2").next, by_name(bot.carousel).id);
    assert_eq!(by_name(bot.carousel).prev, new_id);
    assert_no_errors(&file);
}
