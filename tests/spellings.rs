//! The file's own spellings win: the keys of the Agent Escalation type are not confirmed by
//! any public export, so what the user's file writes is the evidence. An edit, a new
//! integration and a conversion each keep the bot's spelling.

mod common;

use serde_json::{Value, json};

use common::{run, s};

/// A bot whose escalation integration and Agent Transfer interaction spell every key their
/// own way, with a key of their own.
fn bot_in_its_own_spelling() -> Value {
    json!({
        "bot": {"id": "b1", "name": "Spelled"},
        "responder": [{
            "id": "r1",
            "name": "Handoff",
            "skillName": "Sales",
            "skillId": "12",
            "agentID": "",
            "messageToUser": "One moment",
            "customDataFields": [],
            "responseDataVariable": "Handoff",
            "integrationType": "LP_AGENT_ESCALATION",
            "tangoContextEnabled": false,
            "teamNote": "owned by the sales team"
        }],
        "groups": [{"id": "g1", "name": "Main", "dialogType": "DIALOG"}],
        "conversationMessage": [
            {"id": "m1", "name": "start", "group": "g1", "interactionType": "DIALOG_STARTER",
             "type": "BOT_MESSAGE", "userInputRequired": false,
             "content": {"contentType": "STATIC", "results": {"type": "DIALOG_STARTER",
                "tile": {"tileData": [{"buttons": [], "quickReplyList": []}]}}},
             "nextMessageId": "m2"},
            {"id": "m2", "name": "to_agent", "group": "g1", "interactionType": "ESCALATION",
             "type": "BOT_MESSAGE", "prevMessageId": "m1",
             "content": {"contentType": "STATIC", "results": {"type": "ESCALATION",
                "tile": {"tileData": [{"text": "Connecting", "buttons": [], "quickReplyList": [],
                   "escalation": {"skillId": "12", "tangoContextEnabled": false}}]}}}}
        ]
    })
}

fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

#[test]
fn an_edit_a_new_integration_and_a_conversion_keep_the_bots_spelling() {
    let (_dir, file) = common::temp_file(
        "bot.json",
        serde_json::to_string_pretty(&bot_in_its_own_spelling()).unwrap(),
    );
    let (code, _, err) = run(&["set", s(&file), "--integration", "Handoff", "skill_id=14"]);
    assert_eq!(code, 0, "{err}");
    let bot: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let handoff = &bot["responder"][0];
    assert_eq!(handoff["skillId"], "14");
    assert_eq!(
        keys(handoff),
        keys(&bot_in_its_own_spelling()["responder"][0])
    );

    let (code, _, err) = run(&[
        "set",
        s(&file),
        "--integration",
        "Second",
        "--create",
        "skill_id=15",
        "skill_name=Support",
    ]);
    assert_eq!(code, 0, "{err}");
    let bot: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let second = &bot["responder"][1];
    assert_eq!(
        keys(second),
        keys(&bot["responder"][0]),
        "the bot's own shape"
    );
    assert_eq!(second["integrationType"], "LP_AGENT_ESCALATION");
    assert_eq!(second["skillId"], "15");
    assert_eq!(second["skillName"], "Support");
    assert_eq!(
        second["teamNote"], "",
        "its own key, emptied of the other's data"
    );
    assert_eq!(
        second["messageToUser"],
        escalator::bot::edit::DEFAULT_MESSAGE
    );

    let (code, _, err) = run(&[
        "convert",
        s(&file),
        "--integration",
        "Second",
        "--dialog",
        "Main",
    ]);
    assert_eq!(code, 0, "{err}");
    let bot: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let added = bot["conversationMessage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["interactionType"] == "ESCALATION" && m["id"] != "m2")
        .unwrap();
    let settings = &added["content"]["results"]["tile"]["tileData"][0]["escalation"];
    assert_eq!(
        settings,
        &json!({"skillId": "15", "tangoContextEnabled": false}),
        "like the bot's own Agent Transfer: its spelling, no skill name"
    );
}
