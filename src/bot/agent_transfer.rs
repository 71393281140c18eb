//! Agent Transfer interactions: the spec's other way to escalate, an `ESCALATION`
//! interaction in a dialog that carries its own message, skill and flags.

use serde_json::{Map, Value, json};

use crate::bot::dialogs;
use crate::bot::edit::{EditError, parse_flag};
use crate::bot::ids;
use crate::bot::integration::{Escalation, Field, Integration, IntegrationKind};
use crate::bot::naming::Style;
use crate::bot::read::Interaction;
use crate::bot::{BotDocument, keys};

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

/// The interaction `item` (at `index`) read as an Agent Transfer, if it is one.
pub(crate) fn transfer_of(index: usize, item: &Value) -> Option<AgentTransfer> {
    let kind = item
        .as_object()
        .and_then(|m| crate::bot::read::member(m, keys::INTERACTION_TYPE));
    if kind.and_then(Value::as_str) != Some(keys::IT_ESCALATION) {
        return None;
    }
    let tile = tile(item);
    let settings = tile
        .and_then(|t| t.get(keys::ESCALATION))
        .and_then(Value::as_object);
    let delay_ms = match item.get(keys::INTERACTION_DELAY) {
        Some(Value::String(s)) => crate::bot::interaction_delay::parse_ms(s),
        Some(Value::Number(n)) => n.as_u64(),
        _ => None,
    };
    let plain = |key: &str| {
        item.get(key)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    Some(AgentTransfer {
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
    })
}

impl BotDocument {
    /// Every Agent Transfer interaction, in `conversationMessage[]` order.
    pub fn agent_transfers(&self) -> Vec<AgentTransfer> {
        self.items(keys::CONVERSATION_MESSAGE)
            .enumerate()
            .filter_map(|(index, item)| transfer_of(index, &item))
            .collect()
    }

    /// The Agent Transfer interaction at `index` of `conversationMessage[]`, if it is one.
    pub fn agent_transfer_at(&self, index: usize) -> Option<AgentTransfer> {
        let item = self.item(keys::CONVERSATION_MESSAGE, index)?;
        transfer_of(index, &item)
    }

    /// Sets one field of the Agent Transfer interaction at `index` of `conversationMessage[]`.
    pub(super) fn set_transfer_field(
        &mut self,
        index: usize,
        field: Field,
        value: &str,
    ) -> Result<(), EditError> {
        let current = self.agent_transfer_at(index).ok_or_else(|| {
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
            .item_mut(keys::CONVERSATION_MESSAGE, index)
            .ok_or_else(missing)?;
        match field {
            Field::InteractionDelay => {
                crate::bot::interaction_delay::check(value)?;
                let trimmed = value.trim();
                let map = item.as_object_mut().ok_or_else(missing)?;
                if trimmed.is_empty() {
                    map.shift_remove(keys::INTERACTION_DELAY);
                } else {
                    // Written as the number it is ("010000" is 10000).
                    let ms = crate::bot::interaction_delay::parse_ms(trimmed).unwrap_or_default();
                    map.insert(keys::INTERACTION_DELAY.into(), json!(ms.to_string()));
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

/// The name a new Agent Transfer interaction gets (numbered when taken).
pub const NEW_TRANSFER_NAME: &str = "agent_transfer";

impl AgentTransfer {
    /// The transfer's settings as an integration, for the body builder and previews.
    pub fn as_integration(&self) -> Integration {
        Integration {
            index: self.index,
            id: self.id.clone(),
            name: self.name.clone(),
            response_data_variable: String::new(),
            kind: IntegrationKind::AgentEscalation,
            transform_script: String::new(),
            custom_data: Vec::new(),
            escalation: self.escalation.clone(),
        }
    }
}

/// How an interaction's type reads in a message.
fn describe_kind(kind: &str) -> String {
    match kind {
        keys::IT_API_INTEGRATION => "an Integration interaction".into(),
        keys::IT_ESCALATION => "an Agent Transfer interaction".into(),
        "" => "an interaction without a type".into(),
        other => format!("a {other} interaction"),
    }
}

/// Puts `value` under `key`: in place when the key is there, else before the first of
/// `before` the map has, else at the end.
fn put(map: &mut Map<String, Value>, key: &str, value: Value, before: &[&str]) {
    if let Some(slot) = map.get_mut(key) {
        *slot = value;
        return;
    }
    match before.iter().find_map(|b| map.keys().position(|k| k == b)) {
        Some(at) => {
            map.shift_insert(at, key.into(), value);
        }
        None => {
            map.insert(key.into(), value);
        }
    }
}

/// Sets a `prevMessageId` / `nextMessageId` link where real exports write it: in place, or
/// `nextMessageId` before `prevMessageId`, both before `responseMatches`.
fn set_link(map: &mut Map<String, Value>, key: &str, id: &str) {
    let before: &[&str] = if key == keys::NEXT_MESSAGE_ID {
        &[
            keys::PREV_MESSAGE_ID,
            keys::RESPONSE_MATCHES,
            keys::INTERACTION_TYPE,
        ]
    } else {
        &[keys::RESPONSE_MATCHES, keys::INTERACTION_TYPE]
    };
    put(map, key, json!(id), before);
}

/// The words of a name: split at `_`, `-`, spaces and camelCase humps, lower-cased.
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let chars: Vec<char> = name.chars().collect();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        let hump = c.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            });
        if hump && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        word.push(c.to_ascii_lowercase());
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

impl BotDocument {
    /// The interaction at `index` of `conversationMessage[]`.
    fn interaction_at(&self, index: usize) -> Result<Interaction, EditError> {
        self.item(keys::CONVERSATION_MESSAGE, index)
            .and_then(|item| crate::bot::read::interaction_of(index, &item))
            .ok_or_else(|| EditError(format!("there is no interaction number {}", index + 1)))
    }

    fn interaction_map_mut(&mut self, index: usize) -> Result<&mut Map<String, Value>, EditError> {
        self.item_mut(keys::CONVERSATION_MESSAGE, index)
            .and_then(Value::as_object_mut)
            .ok_or_else(|| EditError(format!("there is no interaction number {}", index + 1)))
    }

    /// The integration an Integration interaction runs.
    pub fn integration_run_by(&self, interaction: &Interaction) -> Option<Integration> {
        self.integrations()
            .into_iter()
            .find(|i| interaction.runs(i))
    }

    /// The `content` of an Agent Transfer interaction with these settings, laid out like the
    /// bot's own Agent Transfer interactions when it has some.
    fn transfer_content(&self, e: &Escalation) -> Value {
        let model = self
            .items(keys::CONVERSATION_MESSAGE)
            .filter(|m| {
                m.get(keys::INTERACTION_TYPE).and_then(Value::as_str) == Some(keys::IT_ESCALATION)
            })
            .find_map(|m| tile(&m).cloned());
        let model = model.as_ref();
        let model_settings = model
            .and_then(|t| t.get(keys::ESCALATION))
            .and_then(Value::as_object);
        // The bot's own Agent Transfer interactions' spellings; else the observed public shape
        // (skill id, bot context, agent id; no skill name).
        let spelled = |spellings| crate::bot::edit::spelling_in(model_settings, spellings);
        let mut settings = vec![
            (spelled(keys::SKILL_ID_READ), json!(e.skill_id)),
            (keys::TANGO_CONTEXT_ENABLED, json!(e.transfer_bot_context)),
        ];
        if !e.agent_id.trim().is_empty() {
            settings.push((spelled(keys::AGENT_ID_READ), json!(e.agent_id)));
        }
        // A skill name only where the bot's own transfers carry one.
        let named = model_settings
            .is_some_and(|m| keys::SKILL_NAME_READ.iter().any(|k| m.contains_key(*k)));
        if named && !e.skill_name.trim().is_empty() {
            settings.push((spelled(keys::SKILL_NAME_READ), json!(e.skill_name)));
        }
        let tile = dialogs::order_like(
            model,
            vec![
                (keys::TEXT, json!(e.message)),
                (keys::BUTTONS, json!([])),
                (keys::QUICK_REPLY_LIST, json!([])),
                (
                    keys::ESCALATION,
                    dialogs::order_like(model_settings, settings),
                ),
            ],
        );
        json!({
            keys::CONTENT_TYPE: keys::CONTENT_STATIC,
            keys::RESULTS: {
                keys::TYPE: keys::IT_ESCALATION,
                keys::TILE: { keys::TILE_DATA: [tile] },
            },
        })
    }

    /// Turns the Integration interaction at `interaction_index` of `conversationMessage[]`,
    /// which runs a LivePerson Agent Escalation integration, into an Agent Transfer
    /// interaction with that integration's settings, in place: its id, name, dialog, links,
    /// place, interaction delay and every other key stay; its `content` and type change.
    ///
    /// The integration itself stays in `responder[]`: other interactions may run it (see
    /// [`BotDocument::integration_run_by`]). Returns the interaction's index. Refused, with
    /// nothing changed, for any other interaction.
    pub(super) fn convert_to_transfer(
        &mut self,
        interaction_index: usize,
    ) -> Result<usize, EditError> {
        let interaction = self.interaction_at(interaction_index)?;
        if interaction.kind != keys::IT_API_INTEGRATION {
            return Err(EditError(format!(
                "\"{}\" is {}; only an Integration interaction that runs a LivePerson Agent Escalation integration becomes an Agent Transfer interaction",
                interaction.name,
                describe_kind(&interaction.kind)
            )));
        }
        let integration = self.integration_run_by(&interaction).ok_or_else(|| {
            EditError(format!(
                "the Integration interaction \"{}\" runs \"{}\", which is not among the bot's integrations",
                interaction.name,
                if interaction.responder_name.is_empty() {
                    &interaction.responder_id
                } else {
                    &interaction.responder_name
                }
            ))
        })?;
        if !integration.is_escalation() {
            return Err(EditError(format!(
                "the Integration interaction \"{}\" runs \"{}\", which is not a LivePerson Agent Escalation integration (its type is {}); only those become Agent Transfers",
                interaction.name,
                integration.name,
                integration.kind.label()
            )));
        }
        let content = self.transfer_content(&integration.escalation);
        let map = self.interaction_map_mut(interaction_index)?;
        put(map, keys::CONTENT, content, &[keys::GROUP]);
        put(map, keys::INTERACTION_TYPE, json!(keys::IT_ESCALATION), &[]);
        Ok(interaction_index)
    }

    /// Adds an Agent Transfer interaction with `escalation`'s settings to the dialog
    /// `dialog_id`: after the interaction `after_interaction_id` of that dialog, or at the
    /// dialog's end. Its neighbours' `prevMessageId` / `nextMessageId` are linked to it; it is
    /// shaped like the bot's own interactions (fresh id, a unique name). Returns its index in
    /// `conversationMessage[]` (right after the interaction it follows). Nothing changes on
    /// error.
    pub(super) fn add_transfer(
        &mut self,
        dialog_id: &str,
        after_interaction_id: Option<&str>,
        escalation: &Escalation,
    ) -> Result<usize, EditError> {
        if self.is_not_a_list(keys::CONVERSATION_MESSAGE) {
            return Err(EditError(format!(
                "\"{}\" is not a list in this file; cannot add an interaction to it",
                keys::CONVERSATION_MESSAGE
            )));
        }
        let dialog = self
            .dialogs()
            .into_iter()
            .find(|d| d.id == dialog_id)
            .ok_or_else(|| EditError(format!("there is no dialog with the id \"{dialog_id}\"")))?;
        let interactions = self.interactions();
        let in_dialog: Vec<&Interaction> = interactions
            .iter()
            .filter(|i| i.dialog_id == dialog.id)
            .collect();
        let after = match after_interaction_id {
            Some(id) => Some(*in_dialog.iter().find(|i| i.id == id).ok_or_else(|| {
                match interactions.iter().find(|i| i.id == id) {
                    Some(other) => EditError(format!(
                        "the interaction \"{}\" is not in the dialog \"{}\"",
                        other.name, dialog.name
                    )),
                    None => EditError(format!("there is no interaction with the id \"{id}\"")),
                }
            })?),
            None => dialog_end(&in_dialog),
        };
        let next = after.map(|a| a.next.clone()).filter(|n| !n.is_empty());
        let next_index = next.as_deref().and_then(|n| {
            interactions
                .iter()
                .find(|i| i.id == n && after.is_some_and(|a| i.prev == a.id))
                .map(|i| i.index)
        });
        let at = match after {
            Some(a) => a.index + 1,
            None => in_dialog
                .iter()
                .map(|i| i.index + 1)
                .max()
                .unwrap_or_else(|| self.item_count(keys::CONVERSATION_MESSAGE)),
        };

        let mut taken: std::collections::HashSet<String> = interactions
            .iter()
            .map(|i| i.id.clone())
            .chain(self.dialogs().into_iter().map(|d| d.id))
            .collect();
        let id = loop {
            let id = ids::interaction_id();
            if taken.insert(id.clone()) {
                break id;
            }
        };
        let names: Vec<String> = interactions.iter().map(|i| i.name.clone()).collect();
        let name = dialogs::unique(&names, NEW_TRANSFER_NAME, "_");
        let template = self
            .template(keys::CONVERSATION_MESSAGE, |m| {
                dialogs::kind_of(m) == Some(keys::IT_ESCALATION)
            })
            .or_else(|| {
                self.template(keys::CONVERSATION_MESSAGE, |m| {
                    dialogs::kind_of(m) == Some(keys::IT_TEXT)
                        && m.contains_key(keys::PREV_MESSAGE_ID)
                })
            })
            .or_else(|| {
                self.template(keys::CONVERSATION_MESSAGE, |m| {
                    dialogs::kind_of(m) == Some(keys::IT_TEXT)
                })
            });
        let bot_id = self.bot_id();
        let mut entry = dialogs::interaction_entry(
            template.as_ref(),
            dialogs::NewInteraction {
                id: &id,
                bot_id: &bot_id,
                name: &name,
                dialog_id: &dialog.id,
                kind: keys::IT_ESCALATION,
                pattern: None,
                text: Some(&escalation.message),
                next: next.as_deref(),
                prev: after.map(|a| a.id.as_str()),
            },
        );
        let content = self.transfer_content(escalation);
        if let Some(map) = entry.as_object_mut() {
            put(map, keys::CONTENT, content, &[keys::GROUP]);
        }
        let after_index = after.map(|a| a.index);

        if let Some(map) = after_index
            .and_then(|i| self.item_mut(keys::CONVERSATION_MESSAGE, i))
            .and_then(Value::as_object_mut)
        {
            set_link(map, keys::NEXT_MESSAGE_ID, &id);
        }
        if let Some(map) = next_index
            .and_then(|i| self.item_mut(keys::CONVERSATION_MESSAGE, i))
            .and_then(Value::as_object_mut)
        {
            set_link(map, keys::PREV_MESSAGE_ID, &id);
        }
        let Some(mut list) = self.list_mut(keys::CONVERSATION_MESSAGE) else {
            return Err(EditError("the file is not a bot export".into()));
        };
        Ok(list.insert(at, entry))
    }

    /// Adds an Integration interaction running the integration at `integration` (its place
    /// in `responder[]`) to the dialog `dialog_id`, after the interaction `after_interaction_id`
    /// or at the dialog's end, linked as [`BotDocument::add_transfer`] links one. Returns its
    /// place in `conversationMessage[]`.
    pub(super) fn place_integration(
        &mut self,
        integration: usize,
        dialog_id: &str,
        after_interaction_id: Option<&str>,
    ) -> Result<usize, EditError> {
        let found = self
            .integration(integration)
            .ok_or_else(|| EditError(format!("there is no integration number {integration}")))?;
        if !found.is_escalation() {
            return Err(EditError(format!(
                "\"{}\" is {} integration; only a LivePerson Agent Escalation integration is placed here",
                found.name,
                found.kind.with_article()
            )));
        }
        let names: Vec<String> = self.interactions().into_iter().map(|i| i.name).collect();
        let name = dialogs::unique(&names, &format!("run {}", found.name), "_");
        let at = self.add_transfer(dialog_id, after_interaction_id, &found.escalation)?;
        let map = self.interaction_map_mut(at)?;
        if map.contains_key(keys::NAME) {
            map.insert(keys::NAME.into(), json!(name));
        }
        make_it_run(map, &found);
        Ok(at)
    }

    /// A new integration name for what the interaction `interaction_name` does, in the
    /// naming style the bot's integrations share (PascalCase when they share none), unique.
    pub fn integration_name_for(&self, interaction_name: &str) -> String {
        let integrations = self.integrations();
        let style = Style::of(integrations.iter().map(|i| i.name.as_str()));
        let mut words = words(interaction_name);
        if words.is_empty() {
            words = vec!["agent".into(), "escalation".into()];
        }
        if words[0].starts_with(|c: char| c.is_ascii_digit()) {
            words.insert(0, "transfer".into());
        }
        self.unique_name(&style.join(&words))
    }

    /// Turns the Agent Transfer interaction at `interaction_index` of `conversationMessage[]`
    /// into an Integration interaction, in place (id, name, dialog, links, place, delay and
    /// other keys stay), running a new LivePerson Agent Escalation integration with the
    /// transfer's settings: its message, skill id, agent id and Transfer Bot Context; its skill
    /// name, or "Transfer <interaction name>" when it has none; a unique name derived from the
    /// interaction's in the bot's naming style. Returns the integration's index in
    /// `responder[]` and the interaction's. Nothing changes on error.
    pub(super) fn convert_to_integration(
        &mut self,
        interaction_index: usize,
    ) -> Result<(usize, usize), EditError> {
        let interaction = self.interaction_at(interaction_index)?;
        let transfer = self
            .agent_transfers()
            .into_iter()
            .find(|t| t.index == interaction_index)
            .ok_or_else(|| {
                EditError(format!(
                    "\"{}\" is {}; only an Agent Transfer interaction becomes an Integration interaction",
                    interaction.name,
                    describe_kind(&interaction.kind)
                ))
            })?;
        let e = &transfer.escalation;
        let skill_name = if e.skill_name.trim().is_empty() {
            format!("Transfer {}", transfer.name)
        } else {
            e.skill_name.clone()
        };
        let name = self.integration_name_for(&transfer.name);
        let mut work = self.clone();
        let responder = work.add_escalation(&name);
        for (field, value) in [
            (Field::SkillName, skill_name),
            (Field::SkillId, e.skill_id.clone()),
            (Field::AgentId, e.agent_id.clone()),
            (
                Field::TransferBotContext,
                e.transfer_bot_context.to_string(),
            ),
            (Field::Message, e.message.clone()),
        ] {
            work.set_field(responder, field, &value)?;
        }
        let integration = work
            .integration(responder)
            .ok_or_else(|| EditError("the new integration could not be read back".into()))?;
        let map = work.interaction_map_mut(interaction_index)?;
        make_it_run(map, &integration);
        *self = work;
        Ok((responder, interaction_index))
    }
}

/// Makes the interaction `map` an Integration interaction that runs `integration` (by name
/// and id), its other keys kept.
fn make_it_run(map: &mut Map<String, Value>, integration: &crate::bot::integration::Integration) {
    put(
        map,
        keys::CONTENT,
        json!({
            keys::CONTENT_TYPE: keys::CONTENT_DYNAMIC,
            keys::RESPONDER_NAME: integration.name,
            keys::RESPONDER_ID: integration.id,
        }),
        &[keys::GROUP],
    );
    put(
        map,
        keys::INTERACTION_TYPE,
        json!(keys::IT_API_INTEGRATION),
        &[],
    );
}

/// The last interaction of a dialog's chain: from its starter (or the first interaction no
/// other one of the dialog leads to) along `nextMessageId`.
fn dialog_end<'a>(in_dialog: &[&'a Interaction]) -> Option<&'a Interaction> {
    let by_id: std::collections::HashMap<&str, &Interaction> =
        in_dialog.iter().map(|i| (i.id.as_str(), *i)).collect();
    let head = in_dialog
        .iter()
        .find(|i| i.kind == keys::IT_DIALOG_STARTER)
        .or_else(|| {
            in_dialog
                .iter()
                .find(|i| !by_id.contains_key(i.prev.as_str()))
        })
        .or_else(|| in_dialog.last())?;
    let mut seen = std::collections::HashSet::new();
    let mut current: &Interaction = head;
    while seen.insert(current.id.as_str()) {
        match by_id.get(current.next.as_str()) {
            Some(next) if !seen.contains(next.id.as_str()) => current = next,
            _ => break,
        }
    }
    Some(current)
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
    fn new_integration_names_follow_the_bots_style() {
        assert_eq!(words("agent_escalation"), ["agent", "escalation"]);
        assert_eq!(
            words("getHTTPTransfer2 now"),
            ["get", "http", "transfer2", "now"]
        );
        let pascal = Style::of(["AgentEscalation", "Orders"].into_iter());
        assert_eq!(pascal, Style::Pascal);
        let camel = Style::of(["getProducts"].into_iter());
        assert_eq!(camel, Style::Camel);
        assert_eq!(
            Style::of(["get_products", "orders"].into_iter()),
            Style::Snake
        );
        assert_eq!(Style::of(["Mixed", "get_x"].into_iter()), Style::Pascal);
        assert_eq!(Style::of(std::iter::empty()), Style::Pascal);
        let w = words("hand-off to agent");
        assert_eq!(Style::Pascal.join(&w), "HandOffToAgent");
        assert_eq!(Style::Camel.join(&w), "handOffToAgent");
        assert_eq!(Style::Snake.join(&w), "hand_off_to_agent");
        assert_eq!(Style::ScreamingSnake.join(&w), "HAND_OFF_TO_AGENT");
        assert_eq!(bot().integration_name_for("2nd try"), "Transfer2ndTry");
        assert_eq!(bot().integration_name_for("__"), "AgentEscalation");
    }

    #[test]
    fn only_the_right_interactions_convert_and_nothing_changes_on_error() {
        let mut doc = bot();
        let err = doc.convert_to_transfer(0).unwrap_err();
        assert!(err.0.contains("a DIALOG_STARTER interaction"), "{err}");
        let err = doc.convert_to_transfer(1).unwrap_err();
        assert!(err.0.contains("an Agent Transfer interaction"), "{err}");
        let err = doc.convert_to_integration(0).unwrap_err();
        assert!(err.0.contains("only an Agent Transfer"), "{err}");
        assert!(doc.convert_to_integration(9).is_err());
        let err = doc
            .add_transfer("nope", None, &Escalation::default())
            .unwrap_err();
        assert!(err.0.contains("no dialog"), "{err}");
        assert!(!doc.is_modified());
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
