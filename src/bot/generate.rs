//! Large, realistic bots for benchmarks: integrations of every type, dialogs that run them
//! after text statements, Agent Transfer interactions. Deterministic for a seed.

use serde_json::{Value, json};

use crate::bot::integration::IntegrationKind;
use crate::bot::keys;
use crate::export::json_text::{TextStyle, write_value};

/// A small deterministic generator (xorshift), so the same seed gives the same bot.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn hex(&mut self, digits: usize) -> String {
        let mut out = String::new();
        while out.len() < digits {
            out.push_str(&format!("{:016x}", self.next()));
        }
        out.truncate(digits);
        out
    }

    fn uuid(&mut self) -> String {
        let h = self.hex(32);
        format!(
            "{}-{}-4{}-a{}-{}",
            &h[0..8],
            &h[8..12],
            &h[13..16],
            &h[17..20],
            &h[20..32]
        )
    }
}

fn interaction(
    id: &str,
    name: &str,
    group: &str,
    kind: &str,
    prev: Option<&str>,
    next: Option<&str>,
) -> Value {
    let mut m = serde_json::Map::new();
    m.insert(keys::ID.into(), json!(id));
    m.insert(keys::NAME.into(), json!(name));
    m.insert(keys::GROUP.into(), json!(group));
    if let Some(next) = next {
        m.insert(keys::NEXT_MESSAGE_ID.into(), json!(next));
    }
    if let Some(prev) = prev {
        m.insert(keys::PREV_MESSAGE_ID.into(), json!(prev));
    }
    m.insert(keys::INTERACTION_TYPE.into(), json!(kind));
    Value::Object(m)
}

/// A bot with `integrations` integrations (a third of them escalations) and one dialog per
/// escalation that runs it after two text statements, as export text (2-space indentation).
pub fn bot(integrations: usize, seed: u64) -> String {
    let mut dice = Dice(seed.max(1));
    let bot_id = dice.uuid();
    let kinds: Vec<IntegrationKind> = IntegrationKind::CHOICES
        .into_iter()
        .filter(|k| *k != IntegrationKind::AgentEscalation)
        .collect();
    let mut responder = Vec::with_capacity(integrations);
    let mut messages = Vec::new();
    let mut groups = Vec::new();
    for n in 0..integrations {
        let kind = if n % 3 == 0 {
            IntegrationKind::AgentEscalation
        } else {
            kinds[(dice.below(kinds.len() as u64)) as usize].clone()
        };
        let name = format!("Integration{n}");
        let id = dice.uuid();
        let mut entry = json!({
            "chatbotId": bot_id,
            "id": id,
            "name": name,
            "customDataFields": [{"key": "first", "value": format!("{{$.api_{name}.items[0].id}}")}],
            "group": keys::RESPONDERS_GROUP,
            "transformResultsScript": format!(
                "var r = botContext.getBotVariable('api_{name}');\nbotContext.setBotVariable('seen{n}', r.jsonData, true, false);"
            ),
            "responseDataVariable": name,
            "integrationType": kind.code(),
            "tangoContextEnabled": false,
        });
        if kind == IntegrationKind::AgentEscalation {
            entry["agentSkillName"] = json!("Sales");
            entry["agentSkillId"] = json!(format!("{}", 1000 + dice.below(9000)));
            entry["transferMessage"] = json!("Hold on while I connect you with an agent.");
            let group = dice.uuid();
            let ids: Vec<String> = (0..4).map(|_| dice.hex(40)).collect();
            groups.push(json!({"id": group, "name": format!("Dialog {n}"), "dialogType": "DIALOG", "status": "ENABLED"}));
            let mut starter = interaction(
                &ids[0],
                &format!("starter_{n}"),
                &group,
                keys::IT_DIALOG_STARTER,
                None,
                Some(&ids[1]),
            );
            starter[keys::PATTERN] = json!([format!("agent {n}")]);
            messages.push(starter);
            for k in 1..3 {
                let mut text = interaction(
                    &ids[k],
                    &format!("text_{n}_{k}"),
                    &group,
                    "TEXT",
                    Some(&ids[k - 1]),
                    Some(&ids[k + 1]),
                );
                text[keys::CONTENT] = json!({"contentType": "STATIC", "results": {"type": "TEXT", "tile": {"tileData": [{"text": format!("Message {k} of dialog {n}"), "buttons": [], "quickReplyList": []}]}}});
                messages.push(text);
            }
            let mut run = interaction(
                &ids[3],
                &format!("escalate_{n}"),
                &group,
                keys::IT_API_INTEGRATION,
                Some(&ids[2]),
                None,
            );
            run[keys::CONTENT] =
                json!({"contentType": "DYNAMIC", "responderName": name, "responderId": id});
            run[keys::INTERACTION_DELAY] = json!(if n % 2 == 0 { "4000" } else { "0" });
            messages.push(run);
        }
        responder.push(entry);
    }
    let failure_group = dice.uuid();
    groups.push(json!({"id": failure_group, "name": "Escalation Failed", "dialogType": "DIALOG", "status": "ENABLED"}));
    let mut starter = interaction(
        &dice.hex(40),
        "failed_starter",
        &failure_group,
        keys::IT_DIALOG_STARTER,
        None,
        None,
    );
    starter[keys::PATTERN] = json!([keys::ESCALATION_FAILED_MESSAGE]);
    messages.push(starter);
    let root = json!({
        "hash": "0",
        "bot": {"id": bot_id, "name": format!("Generated bot ({integrations} integrations)"), "botAttributes": {}},
        "responder": responder,
        "requiredContext": [],
        "conversationMessage": messages,
        "menus": [],
        "groups": groups,
        "platforms": [],
        "associatedDomains": [],
        "dialogTemplates": []
    });
    let mut out = String::new();
    write_value(&mut out, &root, 0, &TextStyle::default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::BotDocument;

    #[test]
    fn generated_bots_load_validate_and_are_the_same_for_a_seed() {
        let text = bot(30, 7);
        assert_eq!(text, bot(30, 7));
        let doc = BotDocument::from_bytes(text.as_bytes()).unwrap();
        assert_eq!(doc.integration_count(), 30);
        assert_eq!(doc.to_text(), text, "written in the export's own format");
        let escalations = doc
            .integrations()
            .iter()
            .filter(|i| i.is_escalation())
            .count();
        assert_eq!(escalations, 10);
        let diagnostics = crate::rules::validate_bot(&doc, &Default::default());
        assert!(
            diagnostics.iter().any(|d| d.message.contains("waits 0 ms")),
            "half the delays are short"
        );
    }
}
