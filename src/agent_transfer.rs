//! Agent Transfer interactions: the spec's other way to escalate, an `ESCALATION`
//! interaction in a dialog that carries its own message, skill and flags.

use serde_json::{Map, Value, json};

use crate::bot::edit::{EditError, parse_flag};
use crate::bot::read::Interaction;
use crate::bot::{BotDocument, keys};
use crate::integration::{Escalation, Field};

/// The fields an Agent Transfer interaction has, in the form's order.
pub const FIELDS: [Field; 5] = [
    Field::Message,
    Field::SkillId,
    Field::AgentId,
    Field::TransferBotContext,
    Field::InteractionDelay,
];

/// One Agent Transfer interaction.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentTransfer {
    /// Its place in `conversationMessage[]`.
    pub index: usize,
    pub id: String,
    pub name: String,
    pub dialog_id: String,
    pub escalation: Escalation,
    pub delay_ms: Option<u64>,
}

impl AgentTransfer {
    /// How the list and the diagnostics name it.
    pub fn label(&self) -> String {
        format!("Agent Transfer \"{}\"", self.name)
    }

    /// A field's value as the form shows it.
    pub fn value(&self, field: Field) -> String {
        match field {
            Field::Message => self.escalation.message.clone(),
            Field::SkillId => self.escalation.skill_id.clone(),
            Field::AgentId => self.escalation.agent_id.clone(),
            Field::TransferBotContext => self.escalation.transfer_bot_context.to_string(),
            Field::InteractionDelay => self.delay_ms.map(|d| d.to_string()).unwrap_or_default(),
            _ => String::new(),
        }
    }

    /// The interaction as the delay and validation code sees interactions.
    pub fn as_interaction<'a>(&self, all: &'a [Interaction]) -> Option<&'a Interaction> {
        all.get(self.index).filter(|i| i.id == self.id)
    }
}

fn text(map: Option<&Map<String, Value>>, keys_: &[&str]) -> String {
    let Some(map) = map else { return String::new() };
    keys_
        .iter()
        .find_map(|k| match map.get(*k) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        })
        .unwrap_or_default()
}

/// `content.results.tile.tileData[0]` of an interaction.
fn tile(item: &Value) -> Option<&Map<String, Value>> {
    item.pointer("/content/results/tile/tileData/0")?
        .as_object()
}

fn tile_mut(item: &mut Value) -> Option<&mut Map<String, Value>> {
    item.pointer_mut("/content/results/tile/tileData/0")?
        .as_object_mut()
}

impl BotDocument {
    /// Every Agent Transfer interaction, in `conversationMessage[]` order.
    pub fn agent_transfers(&self) -> Vec<AgentTransfer> {
        let Some(list) = self
            .root()
            .get(keys::CONVERSATION_MESSAGE)
            .and_then(Value::as_array)
        else {
            return Vec::new();
        };
        list.iter()
            .enumerate()
            .filter(|(_, item)| {
                item.get(keys::INTERACTION_TYPE).and_then(Value::as_str)
                    == Some(keys::IT_ESCALATION)
            })
            .map(|(index, item)| {
                let tile = tile(item);
                let settings = tile
                    .and_then(|t| t.get(keys::ESCALATION))
                    .and_then(Value::as_object);
                let delay_ms = match item.get(keys::INTERACTION_DELAY) {
                    Some(Value::String(s)) => s.trim().parse().ok(),
                    Some(Value::Number(n)) => n.as_u64(),
                    _ => None,
                };
                let plain = |key: &str| {
                    item.get(key)
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string()
                };
                AgentTransfer {
                    index,
                    id: plain(keys::ID),
                    name: plain(keys::NAME),
                    dialog_id: plain(keys::GROUP),
                    escalation: Escalation {
                        skill_name: text(settings, keys::SKILL_NAME_READ),
                        skill_id: text(settings, keys::SKILL_ID_READ),
                        agent_id: text(settings, keys::AGENT_ID_READ),
                        transfer_bot_context: settings
                            .and_then(|s| s.get(keys::TANGO_CONTEXT_ENABLED))
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                        message: text(tile, &[keys::TEXT]),
                    },
                    delay_ms,
                }
            })
            .collect()
    }

    /// Sets one field of the Agent Transfer interaction at `index` of `conversationMessage[]`.
    pub fn set_transfer_field(
        &mut self,
        index: usize,
        field: Field,
        value: &str,
    ) -> Result<(), EditError> {
        let current = self
            .agent_transfers()
            .into_iter()
            .find(|t| t.index == index)
            .ok_or_else(|| {
                EditError(format!("there is no Agent Transfer interaction at {index}"))
            })?;
        if current.value(field) == value {
            return Ok(());
        }
        let missing = || {
            EditError(format!(
                "{} has no message tile to write to",
                current.label()
            ))
        };
        let item = self
            .root_mut()
            .get_mut(keys::CONVERSATION_MESSAGE)
            .and_then(Value::as_array_mut)
            .and_then(|l| l.get_mut(index))
            .ok_or_else(missing)?;
        match field {
            Field::InteractionDelay => {
                let trimmed = value.trim();
                if !trimmed.is_empty() && trimmed.parse::<u64>().is_err() {
                    return Err(EditError(format!(
                        "Interaction Delay is in milliseconds: \"{value}\" is not a whole number"
                    )));
                }
                let map = item.as_object_mut().ok_or_else(missing)?;
                if trimmed.is_empty() {
                    map.shift_remove(keys::INTERACTION_DELAY);
                } else {
                    map.insert(keys::INTERACTION_DELAY.into(), json!(trimmed));
                }
            }
            Field::Message => {
                tile_mut(item)
                    .ok_or_else(missing)?
                    .insert(keys::TEXT.into(), json!(value));
            }
            Field::SkillId | Field::AgentId | Field::TransferBotContext => {
                let tile = tile_mut(item).ok_or_else(missing)?;
                let settings = tile
                    .entry(keys::ESCALATION)
                    .or_insert_with(|| Value::Object(Map::new()))
                    .as_object_mut()
                    .ok_or_else(missing)?;
                match field {
                    Field::SkillId => {
                        crate::bot::edit::write_canonical(settings, keys::SKILL_ID_READ, value)
                    }
                    Field::AgentId => {
                        crate::bot::edit::write_canonical(settings, keys::AGENT_ID_READ, value)
                    }
                    _ => {
                        let on = parse_flag(value).ok_or_else(|| {
                            EditError(format!(
                                "Transfer Bot Context is a checkbox: \"{value}\" is neither true nor false"
                            ))
                        })?;
                        settings.insert(keys::TANGO_CONTEXT_ENABLED.into(), json!(on));
                    }
                }
            }
            other => {
                return Err(EditError(format!(
                    "an Agent Transfer interaction has no {}",
                    other.label()
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bot() -> BotDocument {
        let text = serde_json::to_string_pretty(&json!({
            "bot": {"id": "b"},
            "responder": [],
            "conversationMessage": [
                {"id": "s", "name": "start", "group": "g", "interactionType": "DIALOG_STARTER", "nextMessageId": "t"},
                {"id": "t", "name": "handoff", "group": "g", "interactionType": "ESCALATION", "prevMessageId": "s",
                 "content": {"contentType": "STATIC", "results": {"type": "ESCALATION", "tile": {"tileData": [
                    {"text": "One moment", "buttons": [],
                     "escalation": {"agentSkillId": "12", "tangoContextEnabled": false}}]}}}}
            ]
        }))
        .unwrap();
        BotDocument::from_bytes(text.as_bytes()).unwrap()
    }

    #[test]
    fn agent_transfers_are_read_from_their_tile() {
        let transfers = bot().agent_transfers();
        assert_eq!(transfers.len(), 1);
        let t = &transfers[0];
        assert_eq!((t.index, t.name.as_str()), (1, "handoff"));
        assert_eq!(t.escalation.message, "One moment");
        assert_eq!(t.escalation.skill_id, "12");
        assert_eq!(t.delay_ms, None);
    }

    #[test]
    fn every_field_of_an_agent_transfer_can_be_set() {
        let mut doc = bot();
        doc.set_transfer_field(1, Field::Message, "Hold on")
            .unwrap();
        doc.set_transfer_field(1, Field::SkillId, "{$botContext.skill}")
            .unwrap();
        doc.set_transfer_field(1, Field::AgentId, "1.2").unwrap();
        doc.set_transfer_field(1, Field::TransferBotContext, "true")
            .unwrap();
        doc.set_transfer_field(1, Field::InteractionDelay, "2000")
            .unwrap();
        let t = doc.agent_transfers().remove(0);
        assert_eq!(t.escalation.message, "Hold on");
        assert_eq!(t.escalation.skill_id, "{$botContext.skill}");
        assert_eq!(t.escalation.agent_id, "1.2");
        assert!(t.escalation.transfer_bot_context);
        assert_eq!(t.delay_ms, Some(2000));
        assert_eq!(
            doc.root()["conversationMessage"][1]["interactionDelay"],
            "2000"
        );
        assert!(
            doc.set_transfer_field(1, Field::InteractionDelay, "soon")
                .is_err()
        );
        assert!(doc.set_transfer_field(1, Field::Name, "x").is_err());
    }
}
