//! Every change to a bot as one value, an [`Edit`], applied by [`BotDocument::apply`], which
//! returns the edit that undoes it and what it touched; and the edits of integrations
//! (fields, new, duplicated and deleted ones) behind it.
//!
//! Every edit changes the tree in place and keeps every key it does not own where it was.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::{BotDocument, keys};
use crate::bot::dialogs::AddedDialog;
use crate::bot::ids;
use crate::bot::integration::{CustomDataField, Escalation, Field, IntegrationKind};
use crate::export::{Changes, Place};

/// One change to a bot. The editor, `set`, `convert`, `add-failure-dialog` and
/// `--apply-delay` all make their changes as these, through [`BotDocument::apply`].
#[derive(Debug, Clone)]
pub enum Edit {
    /// One field of the integration at `integration` (its place in `responder[]`), from its
    /// form text (custom data as `key=value` lines).
    Field {
        integration: usize,
        field: Field,
        value: String,
    },
    /// All the Custom Data Fields rows of an integration.
    CustomData {
        integration: usize,
        rows: Vec<CustomDataField>,
    },
    /// One Custom Data Fields row, found by its key (added when there is none).
    CustomDataRow {
        integration: usize,
        key: String,
        value: String,
    },
    /// A new LivePerson Agent Escalation integration at the end, named `name` (or, when
    /// taken, a free name like it).
    AddEscalation { name: String },
    /// A copy of the integration at `integration`, right after it.
    Duplicate { integration: usize },
    /// The integration at `integration` taken out.
    Delete { integration: usize },
    /// One field of the Agent Transfer interaction at `interaction` (its place in
    /// `conversationMessage[]`).
    TransferField {
        interaction: usize,
        field: Field,
        value: String,
    },
    /// The Integration interaction at `interaction` made an Agent Transfer interaction.
    ToTransfer { interaction: usize },
    /// The Agent Transfer interaction at `interaction` made an Integration interaction
    /// running a new escalation integration.
    ToIntegration { interaction: usize },
    /// A new Agent Transfer interaction with `escalation`'s settings in the dialog
    /// `dialog_id`, after the interaction `after` (at the dialog's end when `None`).
    AddTransfer {
        dialog_id: String,
        after: Option<String>,
        escalation: Escalation,
    },
    /// A new Integration interaction running the escalation integration at `integration`, in
    /// the dialog `dialog_id` after the interaction `after` (at the dialog's end when `None`).
    PlaceIntegration {
        integration: usize,
        dialog_id: String,
        after: Option<String>,
    },
    /// A dialog that catches failed transfers and answers with `message`.
    FailureDialog { message: String },
    /// Interaction delays, in milliseconds, each of the interaction at its place in
    /// `conversationMessage[]`.
    Delays(Vec<(usize, u64)>),
    /// The whole bot replaced by this tree (a restored journal).
    Restore(Value),
    /// What an applied edit changed, put back as it was (its undo; an undo's is its redo).
    PutBack(Changes),
}

/// What applying an [`Edit`] did.
#[derive(Debug)]
pub struct Applied {
    /// The edit that undoes this one.
    pub undo: Edit,
    /// What it changed.
    pub touched: Touched,
    /// What it made, for the edits that make something.
    pub made: Made,
}

/// What an edit made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Made {
    Nothing,
    /// An integration, at this place in `responder[]`.
    Integration(usize),
    /// An interaction, at this place in `conversationMessage[]`.
    Interaction(usize),
    /// An integration and the interaction that now runs it.
    IntegrationRunBy {
        integration: usize,
        interaction: usize,
    },
    /// A dialog.
    Dialog(Box<AddedDialog>),
}

/// The subjects an edit changed: the integrations, interactions and dialogs edited in place,
/// by their places; `reshaped` when items came or went (places after them moved) or the bot's
/// other members changed, when everything is to be read again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Touched {
    pub integrations: BTreeSet<usize>,
    pub interactions: BTreeSet<usize>,
    pub dialogs: BTreeSet<usize>,
    pub reshaped: bool,
}

impl Touched {
    fn of(changes: &Changes) -> Touched {
        let mut touched = Touched::default();
        for place in changes.places() {
            match place {
                Place::Item(keys::RESPONDER, i) => {
                    touched.integrations.insert(i);
                }
                Place::Item(keys::CONVERSATION_MESSAGE, i) => {
                    touched.interactions.insert(i);
                }
                Place::Item(keys::GROUPS, i) => {
                    touched.dialogs.insert(i);
                }
                Place::Item(..) | Place::Reshaped(_) | Place::Top => touched.reshaped = true,
            }
        }
        touched
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        *self == Touched::default()
    }
}

impl BotDocument {
    /// Applies `edit`: returns the edit that undoes it, what it touched and what it made.
    /// A refused edit changes nothing.
    pub fn apply(&mut self, edit: Edit) -> Result<Applied, EditError> {
        let outer = self.export.begin_recording();
        let made = self.make(edit);
        let changes = self.export.end_recording(outer);
        match made {
            Ok(made) => Ok(Applied {
                touched: Touched::of(&changes),
                undo: Edit::PutBack(changes),
                made,
            }),
            Err(e) => {
                self.export.put_back(changes);
                Err(e)
            }
        }
    }

    fn make(&mut self, edit: Edit) -> Result<Made, EditError> {
        let nothing = |()| Made::Nothing;
        match edit {
            Edit::Field {
                integration,
                field,
                value,
            } => self.set_field(integration, field, &value).map(nothing),
            Edit::CustomData { integration, rows } => {
                self.set_custom_data(integration, &rows).map(nothing)
            }
            Edit::CustomDataRow {
                integration,
                key,
                value,
            } => self
                .set_custom_data_key(integration, &key, &value)
                .map(nothing),
            Edit::AddEscalation { name } => Ok(Made::Integration(self.add_escalation(&name))),
            Edit::Duplicate { integration } => self
                .duplicate_integration(integration)
                .map(Made::Integration),
            Edit::Delete { integration } => self.delete_integration(integration).map(nothing),
            Edit::TransferField {
                interaction,
                field,
                value,
            } => self
                .set_transfer_field(interaction, field, &value)
                .map(nothing),
            Edit::ToTransfer { interaction } => {
                self.convert_to_transfer(interaction).map(Made::Interaction)
            }
            Edit::ToIntegration { interaction } => {
                self.convert_to_integration(interaction)
                    .map(|(integration, interaction)| Made::IntegrationRunBy {
                        integration,
                        interaction,
                    })
            }
            Edit::AddTransfer {
                dialog_id,
                after,
                escalation,
            } => self
                .add_transfer(&dialog_id, after.as_deref(), &escalation)
                .map(Made::Interaction),
            Edit::PlaceIntegration {
                integration,
                dialog_id,
                after,
            } => self
                .place_integration(integration, &dialog_id, after.as_deref())
                .map(Made::Interaction),
            Edit::FailureDialog { message } => self
                .add_failure_dialog(&message)
                .map(|added| Made::Dialog(Box::new(added))),
            Edit::Delays(delays) => {
                for (at, ms) in delays {
                    if let Some(map) = self
                        .item_mut(keys::CONVERSATION_MESSAGE, at)
                        .and_then(Value::as_object_mut)
                    {
                        set_delay(map, ms);
                    }
                }
                Ok(Made::Nothing)
            }
            Edit::Restore(root) => {
                self.replace_root(root);
                Ok(Made::Nothing)
            }
            Edit::PutBack(changes) => {
                self.export.put_back(changes);
                Ok(Made::Nothing)
            }
        }
    }
}

/// Why an edit was refused. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError(pub String);

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EditError {}

/// The message a new escalation integration starts with.
pub const DEFAULT_MESSAGE: &str = "Hold on while I connect you with an agent.";

/// Reads a checkbox value as typed: true/false, yes/no, on/off, 1/0.
pub fn parse_flag(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" | "y" => Some(true),
        "false" | "no" | "off" | "0" | "n" | "" => Some(false),
        _ => None,
    }
}

impl BotDocument {
    /// The integration at `index`, for an edit of its members `members` only.
    fn responder_members_mut(
        &mut self,
        index: usize,
        members: &[&str],
    ) -> Result<&mut Map<String, Value>, EditError> {
        self.item_members_mut(keys::RESPONDER, index, members)
            .ok_or_else(|| EditError(format!("there is no integration number {}", index + 1)))
    }

    fn responder_mut(&mut self, index: usize) -> Result<&mut Map<String, Value>, EditError> {
        self.item_mut(keys::RESPONDER, index)
            .and_then(Value::as_object_mut)
            .ok_or_else(|| EditError(format!("there is no integration number {}", index + 1)))
    }

    /// Sets one field of the integration at `index` from its form text. Custom data takes
    /// `key=value` lines. An unchanged value leaves the document unmodified.
    pub(super) fn set_field(
        &mut self,
        index: usize,
        field: Field,
        value: &str,
    ) -> Result<(), EditError> {
        let current = self
            .integration(index)
            .ok_or_else(|| EditError(format!("there is no integration number {}", index + 1)))?;
        if current.value(field) == value {
            return Ok(());
        }
        match field {
            Field::CustomData => {
                let rows = value
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(|line| {
                        let (key, value) = line.split_once('=').unwrap_or((line, ""));
                        CustomDataField {
                            key: key.trim().to_string(),
                            value: value.trim().to_string(),
                        }
                    })
                    .collect::<Vec<_>>();
                return self.set_custom_data(index, &rows);
            }
            Field::IntegrationType => {
                let kind = IntegrationKind::parse(value).ok_or_else(|| {
                    EditError(format!(
                        "\"{value}\" is not an integration type; choose one of: {}",
                        IntegrationKind::CHOICES
                            .iter()
                            .map(|k| k.label())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })?;
                // An escalation's type value as the bot spells it (the file is the evidence).
                let code = match kind {
                    IntegrationKind::AgentEscalation => self.escalation_type_code(),
                    _ => kind.code().to_string(),
                };
                let map = self.responder_members_mut(index, &[keys::INTEGRATION_TYPE])?;
                map.insert(keys::INTEGRATION_TYPE.into(), json!(code));
            }
            Field::TransferBotContext => {
                let on = parse_flag(value).ok_or_else(|| {
                    EditError(format!(
                        "Transfer Bot Context is a checkbox: \"{value}\" is neither true nor false"
                    ))
                })?;
                let map = self.responder_members_mut(index, &[keys::TANGO_CONTEXT_ENABLED])?;
                map.insert(keys::TANGO_CONTEXT_ENABLED.into(), json!(on));
            }
            Field::Name => {
                let id = current.id.clone();
                let old = current.name.clone();
                self.responder_members_mut(index, &[keys::NAME])?
                    .insert(keys::NAME.into(), json!(value));
                self.rename_in_interactions(&id, &old, value);
            }
            Field::ResponseDataVariable => {
                self.responder_members_mut(index, &[keys::RESPONSE_DATA_VARIABLE])?
                    .insert(keys::RESPONSE_DATA_VARIABLE.into(), json!(value));
            }
            Field::TransformScript => {
                self.responder_members_mut(index, &[keys::TRANSFORM_SCRIPT])?
                    .insert(keys::TRANSFORM_SCRIPT.into(), json!(value));
            }
            Field::SkillName => {
                let missing = self.spelling_for(index, keys::SKILL_NAME_READ);
                write_spelled(
                    self.responder_members_mut(index, keys::SKILL_NAME_READ)?,
                    keys::SKILL_NAME_READ,
                    missing,
                    value,
                )
            }
            Field::SkillId => {
                let missing = self.spelling_for(index, keys::SKILL_ID_READ);
                write_spelled(
                    self.responder_members_mut(index, keys::SKILL_ID_READ)?,
                    keys::SKILL_ID_READ,
                    missing,
                    value,
                )
            }
            Field::AgentId => {
                let missing = self.spelling_for(index, keys::AGENT_ID_READ);
                write_spelled(
                    self.responder_members_mut(index, keys::AGENT_ID_READ)?,
                    keys::AGENT_ID_READ,
                    missing,
                    value,
                )
            }
            Field::Message => {
                let missing = self.spelling_for(index, keys::MESSAGE_READ);
                write_spelled(
                    self.responder_members_mut(index, keys::MESSAGE_READ)?,
                    keys::MESSAGE_READ,
                    missing,
                    value,
                )
            }
            Field::InteractionDelay => {
                return Err(EditError(
                    "an integration has no Interaction Delay: it is set on the Integration interaction that runs it (apply the recommended delay)".into(),
                ));
            }
        }
        Ok(())
    }

    /// Replaces the Custom Data Fields of the integration at `index`. Keys of a row other
    /// than `key` and `value` stay with the row (found by its key, else by its place).
    pub(super) fn set_custom_data(
        &mut self,
        index: usize,
        rows: &[CustomDataField],
    ) -> Result<(), EditError> {
        let old: Vec<Value> = self
            .item(keys::RESPONDER, index)
            .as_deref()
            .and_then(|r| r.get(keys::CUSTOM_DATA_FIELDS))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let key_of = |v: &Value| {
            v.get(keys::CUSTOM_DATA_KEY)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let new_keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
        let mut used = vec![false; old.len()];
        let list: Vec<Value> =
            rows.iter()
                .enumerate()
                .map(|(i, row)| {
                    let by_key = old.iter().enumerate().position(|(j, v)| {
                        !used[j] && key_of(v).as_deref() == Some(row.key.as_str())
                    });
                    let by_place = (i < old.len()
                        && !used[i]
                        && !key_of(&old[i]).is_some_and(|k| new_keys.contains(&k.as_str())))
                    .then_some(i);
                    let mut entry = match by_key.or(by_place) {
                        Some(j) => {
                            used[j] = true;
                            old[j].clone()
                        }
                        None => json!({}),
                    };
                    if let Some(map) = entry.as_object_mut() {
                        map.insert(keys::CUSTOM_DATA_KEY.into(), json!(row.key));
                        map.insert(keys::CUSTOM_DATA_VALUE.into(), json!(row.value));
                    }
                    entry
                })
                .collect();
        self.responder_mut(index)?
            .insert(keys::CUSTOM_DATA_FIELDS.into(), Value::Array(list));
        Ok(())
    }

    /// Sets (or adds) one custom data field by key.
    pub(super) fn set_custom_data_key(
        &mut self,
        index: usize,
        key: &str,
        value: &str,
    ) -> Result<(), EditError> {
        let mut rows = self
            .integration(index)
            .map(|i| i.custom_data)
            .unwrap_or_default();
        match rows.iter_mut().find(|r| r.key == key) {
            Some(row) if row.value == value => return Ok(()),
            Some(row) => row.value = value.to_string(),
            None => rows.push(CustomDataField {
                key: key.to_string(),
                value: value.to_string(),
            }),
        }
        self.set_custom_data(index, &rows)
    }

    /// Keeps Integration interactions pointing at a renamed integration.
    fn rename_in_interactions(&mut self, id: &str, old: &str, new: &str) {
        // Only the interactions that run it are edited (and kept as trees), and only those
        // that mention its id or name are read to find them.
        let words: Vec<&str> = if id.is_empty() {
            vec![old]
        } else {
            vec![id, old]
        };
        let running: Vec<usize> = self
            .items_mentioning(keys::CONVERSATION_MESSAGE, &words)
            .into_iter()
            .filter_map(|i| Some((i, self.item(keys::CONVERSATION_MESSAGE, i)?)))
            .filter(|(_, item)| {
                let is_integration = item.get(keys::INTERACTION_TYPE).and_then(Value::as_str)
                    == Some(keys::IT_API_INTEGRATION);
                let Some(content) = item.get(keys::CONTENT).and_then(Value::as_object) else {
                    return false;
                };
                // The same test as `Interaction::runs`: by id when the interaction has one.
                let runs_it = match content.get(keys::RESPONDER_ID).and_then(Value::as_str) {
                    Some(rid) if !rid.is_empty() => rid == id,
                    _ => content.get(keys::RESPONDER_NAME).and_then(Value::as_str) == Some(old),
                };
                is_integration && runs_it
            })
            .map(|(i, _)| i)
            .collect();
        for at in running {
            if let Some(content) = self
                .item_mut(keys::CONVERSATION_MESSAGE, at)
                .and_then(|item| item.get_mut(keys::CONTENT))
                .and_then(Value::as_object_mut)
            {
                content.insert(keys::RESPONDER_NAME.into(), json!(new));
            }
        }
    }

    /// Adds a LivePerson Agent Escalation integration at the end of `responder[]` with the
    /// page's defaults and returns its index. The name is made unique when taken. In a bot
    /// that has one already, the new one copies its shape: its key spellings, key order, type
    /// value and extra keys (emptied where they hold that integration's data); only a bot with
    /// none gets the canonical shape.
    pub(super) fn add_escalation(&mut self, name: &str) -> usize {
        let name = self.unique_name(name);
        let bot_id = self.bot_id();
        let entry = match self.escalation_model() {
            Some(model) => {
                let message = spelling_in(Some(&model), keys::MESSAGE_READ);
                let mut entry = Map::new();
                for (key, value) in &model {
                    let new = match key.as_str() {
                        keys::ID => json!(ids::uuid()),
                        keys::NAME | keys::RESPONSE_DATA_VARIABLE => json!(name),
                        keys::CHATBOT_ID_LOWER | keys::CHAT_BOT_ID => json!(bot_id),
                        keys::GROUP | keys::INTEGRATION_TYPE => value.clone(),
                        keys::CUSTOM_DATA_FIELDS => json!([]),
                        k if k == message => json!(DEFAULT_MESSAGE),
                        _ => emptied(value),
                    };
                    entry.insert(key.clone(), new);
                }
                Value::Object(entry)
            }
            None => json!({
                keys::CHATBOT_ID_LOWER: bot_id,
                keys::ID: ids::uuid(),
                keys::NAME: name,
                keys::SKILL_NAME_READ[0]: "",
                keys::SKILL_ID_READ[0]: "",
                keys::AGENT_ID_READ[0]: "",
                keys::MESSAGE_READ[0]: DEFAULT_MESSAGE,
                keys::CUSTOM_DATA_FIELDS: [],
                keys::GROUP: keys::RESPONDERS_GROUP,
                keys::TRANSFORM_SCRIPT: "",
                keys::RESPONSE_DATA_VARIABLE: name,
                keys::INTEGRATION_TYPE: IntegrationKind::AgentEscalation.code(),
                keys::TANGO_CONTEXT_ENABLED: false,
            }),
        };
        self.push_responder(entry)
    }

    /// The first LivePerson Agent Escalation integration of the bot, as an object: the shape
    /// new ones copy.
    fn escalation_model(&self) -> Option<Map<String, Value>> {
        let at = self
            .integrations()
            .into_iter()
            .find(|i| i.is_escalation())?
            .index;
        match self.item(keys::RESPONDER, at)?.into_owned() {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The key of `spellings` to write in the integration at `index`: the one it has, else
    /// the one the bot's escalation integrations use (looked for only then: a keystroke in a
    /// field the integration has reads nothing else).
    fn spelling_for(&self, index: usize, spellings: &[&'static str]) -> &'static str {
        let item = self.item(keys::RESPONDER, index);
        if let Some(map) = item.as_deref().and_then(Value::as_object)
            && let Some(own) = spellings.iter().find(|k| map.contains_key(**k))
        {
            return own;
        }
        spelling_in(self.escalation_model().as_ref(), spellings)
    }

    /// The `integrationType` value the bot's escalation integrations carry, else the canonical.
    fn escalation_type_code(&self) -> String {
        self.escalation_model()
            .and_then(|m| m.get(keys::INTEGRATION_TYPE)?.as_str().map(str::to_string))
            .unwrap_or_else(|| IntegrationKind::AgentEscalation.code().to_string())
    }

    /// Copies the integration at `index` under a new unique name and id, placed after it.
    pub(super) fn duplicate_integration(&mut self, index: usize) -> Result<usize, EditError> {
        let mut copy = self
            .item(keys::RESPONDER, index)
            .filter(|item| item.is_object())
            .ok_or_else(|| EditError(format!("there is no integration number {}", index + 1)))?
            .into_owned();
        let source = self.integration(index).map(|i| i.name).unwrap_or_default();
        let name = self.unique_name(&source);
        copy[keys::ID] = json!(ids::uuid());
        copy[keys::NAME] = json!(name);
        copy[keys::RESPONSE_DATA_VARIABLE] = json!(name);
        Ok(self
            .list_mut(keys::RESPONDER)
            .map_or(index + 1, |mut list| list.insert(index + 1, copy)))
    }

    /// Deletes the integration at `index`.
    pub(super) fn delete_integration(&mut self, index: usize) -> Result<(), EditError> {
        if index >= self.integration_count() {
            return Err(EditError(format!(
                "there is no integration number {}",
                index + 1
            )));
        }
        if let Some(mut list) = self.list_mut(keys::RESPONDER) {
            list.remove(index);
        }
        Ok(())
    }

    fn push_responder(&mut self, entry: Value) -> usize {
        self.list_mut(keys::RESPONDER)
            .map_or(0, |mut list| list.push(entry))
    }

    /// `base`, or `base2`, `base3`... whichever no integration has as name or variable.
    pub fn unique_name(&self, base: &str) -> String {
        let taken: Vec<(String, String)> = self
            .integrations()
            .into_iter()
            .map(|i| {
                (
                    i.name.to_ascii_lowercase(),
                    i.response_data_variable.to_ascii_lowercase(),
                )
            })
            .collect();
        let free = |n: &str| {
            let n = n.to_ascii_lowercase();
            taken.iter().all(|(a, b)| *a != n && *b != n)
        };
        let stem = base.trim_end_matches(|c: char| c.is_ascii_digit());
        let stem = if stem.is_empty() {
            "AgentEscalation"
        } else {
            stem
        };
        if free(base) && !base.is_empty() {
            return base.to_string();
        }
        (2..)
            .map(|n| format!("{stem}{n}"))
            .find(|n| free(n))
            .unwrap_or_else(|| stem.to_string())
    }
}

/// Sets `interactionDelay` to `ms`, as a string. A new key goes where real exports have it:
/// after `interactionType` and the `changeResponse` / `cancelResponse` that follow it.
fn set_delay(map: &mut Map<String, Value>, ms: u64) {
    let value = json!(ms.to_string());
    if let Some(slot) = map.get_mut(keys::INTERACTION_DELAY) {
        *slot = value;
        return;
    }
    let keys_in_order: Vec<&str> = map.keys().map(String::as_str).collect();
    let at = match keys_in_order
        .iter()
        .position(|k| *k == keys::INTERACTION_TYPE)
    {
        Some(p) => {
            let mut at = p + 1;
            while keys_in_order
                .get(at)
                .is_some_and(|k| [keys::CHANGE_RESPONSE, keys::CANCEL_RESPONSE].contains(k))
            {
                at += 1;
            }
            at
        }
        None => keys_in_order.len(),
    };
    map.shift_insert(at, keys::INTERACTION_DELAY.into(), value);
}

/// Writes `value` under the canonical spelling (the first of `spellings`). A value read under
/// another spelling is moved to the canonical key in the same place; an empty value is not
/// added where the key was absent.
pub(crate) fn write_canonical(map: &mut Map<String, Value>, spellings: &[&str], value: &str) {
    write_spelled(map, spellings, spellings[0], value);
}

/// Writes `value` under the key of `spellings` the object already has, in its place: the
/// file's own spelling wins (if Conversation Builder's real key is the one the file uses, a
/// rename would break the bot). Without one, under `missing` (the bot's own spelling, else the
/// canonical one), unless the value is empty.
pub(crate) fn write_spelled(
    map: &mut Map<String, Value>,
    spellings: &[&str],
    missing: &str,
    value: &str,
) {
    match spellings.iter().find(|k| map.contains_key(**k)) {
        Some(&k) => {
            map.insert(k.into(), json!(value));
        }
        None if value.is_empty() => {}
        None => {
            map.insert(missing.into(), json!(value));
        }
    }
}

/// The spelling of `spellings` that `model` (an object of the bot's own, of the same kind)
/// uses, else the canonical one.
pub(crate) fn spelling_in<'a>(
    model: Option<&Map<String, Value>>,
    spellings: &[&'a str],
) -> &'a str {
    model
        .and_then(|m| spellings.iter().find(|k| m.contains_key(**k)))
        .copied()
        .unwrap_or(spellings[0])
}

/// `value` emptied, keeping its JSON type: what a copied key holds in a new item.
fn emptied(value: &Value) -> Value {
    match value {
        Value::String(_) => json!(""),
        Value::Bool(_) => json!(false),
        Value::Number(_) => json!(0),
        Value::Array(_) => json!([]),
        Value::Object(_) => json!({}),
        Value::Null => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(responder: Value) -> BotDocument {
        let text = serde_json::to_string_pretty(&json!({
            "bot": {"id": "b1", "name": "t"},
            "responder": responder,
            "conversationMessage": [
                {"id": "m1", "interactionType": "API_INTEGRATION",
                 "content": {"responderName": "Esc", "responderId": "r1"}}
            ]
        }))
        .unwrap();
        BotDocument::from_bytes(text.as_bytes()).unwrap()
    }

    #[test]
    fn a_key_keeps_the_files_own_spelling_and_place() {
        let mut d = doc(json!([{"id": "r1", "name": "Esc", "skillId": "1", "after": 1}]));
        d.set_field(0, Field::SkillId, "42").unwrap();
        let keys: Vec<_> = d.root()["responder"][0]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(keys, ["id", "name", "skillId", "after"]);
        assert_eq!(d.root()["responder"][0]["skillId"], "42");
        assert_eq!(d.integration(0).unwrap().escalation.skill_id, "42");
    }

    #[test]
    fn renaming_an_integration_follows_it_in_its_interactions() {
        let mut d = doc(json!([{"id": "r1", "name": "Esc"}]));
        d.set_field(0, Field::Name, "Handoff").unwrap();
        assert_eq!(
            d.root()["conversationMessage"][0]["content"]["responderName"],
            "Handoff"
        );
    }

    #[test]
    fn renaming_follows_interactions_that_name_it_without_an_id() {
        let text = serde_json::to_string_pretty(&json!({
            "bot": {"id": "b1"},
            "responder": [{"id": "r1", "name": "Esc"}],
            "conversationMessage": [
                {"id": "m1", "interactionType": "API_INTEGRATION", "content": {"responderName": "Esc"}},
                {"id": "m2", "interactionType": "API_INTEGRATION", "content": {"responderName": "Esc", "responderId": "other"}}
            ]
        }))
        .unwrap();
        let mut d = BotDocument::from_bytes(text.as_bytes()).unwrap();
        d.set_field(0, Field::Name, "Handoff").unwrap();
        let runs: Vec<bool> = d
            .interactions()
            .iter()
            .map(|i| i.runs(&d.integration(0).unwrap()))
            .collect();
        assert_eq!(runs, [true, false]);
        assert_eq!(
            d.root()["conversationMessage"][1]["content"]["responderName"],
            "Esc"
        );
    }

    #[test]
    fn renaming_finds_interactions_that_spell_the_name_with_escapes() {
        // "Esc" spelled "\u0045sc": a look for the name's letters in the text misses it.
        let text = r#"{"bot": {"id": "b1"}, "responder": [{"name": "Esc"}],
            "conversationMessage": [
                {"id": "m0", "interactionType": "TEXT"},
                {"id": "m1", "interactionType": "API_INTEGRATION", "content": {"responderName": "\u0045sc"}}
            ]}"#;
        let mut d = BotDocument::from_bytes(text.as_bytes()).unwrap();
        d.set_field(0, Field::Name, "Handoff").unwrap();
        assert_eq!(
            d.root()["conversationMessage"][1]["content"]["responderName"],
            "Handoff"
        );
        let saved = d.to_text();
        assert!(
            saved.contains(r#"{"id": "m0", "interactionType": "TEXT"}"#),
            "an item not read is kept as written: {saved}"
        );
    }

    #[test]
    fn setting_the_same_value_leaves_the_document_unmodified() {
        let mut d = doc(json!([{"id": "r1", "name": "Esc"}]));
        d.set_field(0, Field::Name, "Esc").unwrap();
        assert!(!d.is_modified());
        d.set_field(0, Field::AgentId, "").unwrap();
        assert!(!d.is_modified());
    }

    #[test]
    fn bad_checkbox_and_type_values_are_refused() {
        let mut d = doc(json!([{"id": "r1", "name": "Esc"}]));
        assert!(d.set_field(0, Field::TransferBotContext, "maybe").is_err());
        assert!(
            d.set_field(0, Field::IntegrationType, "Carrier pigeon")
                .is_err()
        );
        d.set_field(0, Field::TransferBotContext, "yes").unwrap();
        assert!(d.integration(0).unwrap().escalation.transfer_bot_context);
    }

    #[test]
    fn new_names_are_unique_among_names_and_variables() {
        let mut d =
            doc(json!([{"id": "r1", "name": "Esc", "responseDataVariable": "AgentEscalation"}]));
        let i = d.add_escalation("AgentEscalation");
        let added = d.integration(i).unwrap();
        assert_eq!(added.name, "AgentEscalation2");
        assert!(added.is_escalation());
        assert_eq!(added.escalation.message, DEFAULT_MESSAGE);
        let j = d.duplicate_integration(0).unwrap();
        assert_eq!(d.integration(j).unwrap().name, "Esc2");
        d.delete_integration(j).unwrap();
        assert_eq!(d.integration_count(), 2);
    }

    #[test]
    fn custom_data_rows_keep_keys_this_tool_does_not_know() {
        let mut d = doc(json!([{"id": "r1", "name": "Esc", "customDataFields": [
            {"key": "a", "value": "1", "secret": true},
            {"key": "b", "value": "2", "note": "x"}
        ]}]));
        d.set_field(0, Field::CustomData, "b=2\na=9").unwrap();
        let rows = &d.root()["responder"][0]["customDataFields"];
        assert_eq!(rows[0], json!({"key": "b", "value": "2", "note": "x"}));
        assert_eq!(rows[1], json!({"key": "a", "value": "9", "secret": true}));
        d.set_field(0, Field::CustomData, "b=2\nrenamed=9").unwrap();
        assert_eq!(
            d.root()["responder"][0]["customDataFields"][1]["secret"],
            true
        );
    }

    #[test]
    fn custom_data_rows_are_set_by_key() {
        let mut d = doc(json!([{"id": "r1", "name": "Esc"}]));
        d.set_custom_data_key(0, "city", "{$.api_Esc.city}")
            .unwrap();
        d.set_custom_data_key(0, "city", "{$.api_Esc.town}")
            .unwrap();
        d.set_field(
            0,
            Field::CustomData,
            "city={$.api_Esc.town}\nzip = {$.api_Esc.zip}",
        )
        .unwrap();
        let rows = d.integration(0).unwrap().custom_data;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].key, "zip");
    }
}
