//! A bot export read for checking only: what the rules read of it, item by item, without
//! keeping its JSON tree. Each item is parsed, checked for shape and read by the same
//! functions as an opened document's, then dropped; everything else is skipped unparsed.
//! Anything unusual (not UTF-8, not an object, a shape the document would refuse) gives
//! `None`, and the caller opens the file as a document to say where and why.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::keys;
use super::read::{self, Dialog, Interaction};
use crate::bot::agent_transfer::{self, AgentTransfer};
use crate::bot::integration::Integration;
use crate::export::tree::Tree;

/// What the rules read of a bot.
#[derive(Debug, Default)]
pub struct BotParts {
    pub bot_id: String,
    pub integrations: Vec<Integration>,
    pub transfers: Vec<AgentTransfer>,
    pub interactions: Vec<Interaction>,
    pub dialogs: Vec<Dialog>,
}

impl BotParts {
    /// Reads the parts of the export `bytes`; `None` when it is not one this tool would open
    /// as it is.
    pub fn read(bytes: &[u8]) -> Option<BotParts> {
        BotParts::read_seeing(bytes, &mut |_| {})
    }

    /// [`BotParts::read`], showing each integration to `seen` as soon as it is read (so its
    /// script can be checked while the rest is).
    pub fn read_seeing(bytes: &[u8], seen: &mut dyn FnMut(&Integration)) -> Option<BotParts> {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let text = std::str::from_utf8(body).ok()?;
        if text.trim().is_empty() {
            return None;
        }
        let mut de = serde_json::Deserializer::from_str(text);
        let parts = Top { seen }.deserialize(&mut de).ok()?;
        de.end().ok()?;
        Some(parts)
    }
}

impl BotParts {
    /// Reads item `index` of `list` (one of the lists the rules read), checked for shape.
    pub(crate) fn add(&mut self, list: &str, index: usize, item: &Value) {
        match list {
            keys::RESPONDER => {
                if let Value::Object(map) = item {
                    self.integrations.push(read::integration_of(index, map));
                }
            }
            keys::CONVERSATION_MESSAGE => {
                self.interactions.extend(read::interaction_of(index, item));
                self.transfers
                    .extend(agent_transfer::transfer_of(index, item));
            }
            _ => self.dialogs.extend(read::dialog_of(index, item)),
        }
    }

    /// Adds the parts read after these.
    pub(crate) fn append(&mut self, mut later: BotParts) {
        self.integrations.append(&mut later.integrations);
        self.transfers.append(&mut later.transfers);
        self.interactions.append(&mut later.interactions);
        self.dialogs.append(&mut later.dialogs);
    }
}

/// The export's top-level object.
struct Top<'s> {
    seen: &'s mut dyn FnMut(&Integration),
}

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = BotParts;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<BotParts, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = BotParts;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a bot export")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BotParts, A::Error> {
        let mut parts = BotParts::default();
        let (mut bot, mut responder) = (false, false);
        let mut keys_read: Vec<String> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            // A key written twice is left to the document, which refuses it at its place.
            if keys_read.contains(&key) {
                return Err(de::Error::custom(crate::export::tree::duplicate_key(&key)));
            }
            keys_read.push(key.clone());
            match key.as_str() {
                keys::BOT => {
                    let value = map.next_value_seed(Tree)?;
                    read::check_bot(&value).map_err(refused)?;
                    parts.bot_id = value.as_object().map(read::bot_id_of).unwrap_or_default();
                    bot = true;
                }
                other => match read::SHAPED_LISTS.into_iter().find(|l| *l == other) {
                    Some(list) => {
                        responder |= list == keys::RESPONDER;
                        map.next_value_seed(Items {
                            list,
                            parts: &mut parts,
                            seen: &mut *self.seen,
                        })?;
                    }
                    // Parsed as the document would (numbers in range, escapes whole), then
                    // dropped: the rules do not read it.
                    None => drop(map.next_value_seed(Tree)?),
                },
            }
        }
        if !(bot && responder) {
            return Err(de::Error::custom("not a bot export"));
        }
        Ok(parts)
    }
}

fn refused<E: de::Error>((_, message): (Vec<read::PathSeg>, String)) -> E {
    E::custom(message)
}

/// The items of one of the lists the rules read, each read as the document reads it.
struct Items<'p> {
    list: &'static str,
    parts: &'p mut BotParts,
    seen: &'p mut dyn FnMut(&Integration),
}

impl<'de> DeserializeSeed<'de> for Items<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Items<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "the array {}", self.list)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let parts = self.parts;
        match self.list {
            keys::RESPONDER => parts.integrations.clear(),
            keys::CONVERSATION_MESSAGE => {
                parts.interactions.clear();
                parts.transfers.clear();
            }
            _ => parts.dialogs.clear(),
        }
        let mut index = 0;
        while let Some(item) = seq.next_element_seed(Tree)? {
            read::check_item(self.list, index, &item).map_err(refused)?;
            let read_before = parts.integrations.len();
            parts.add(self.list, index, &item);
            if let Some(integration) = parts.integrations.get(read_before) {
                (self.seen)(integration);
            }
            index += 1;
        }
        Ok(())
    }
}
