//! The bot in Conversation Builder's terms: the export's keys, typed readers of the bot, its
//! integrations, interactions, dialogs and Agent Transfers, text with variables, naming
//! styles, ids, and the edits.
//!
//! It builds on the file as text ([`crate::export`]) and imports nothing from the layers
//! above it (workspace, runtime, rules, cli, tui).

pub mod agent_transfer;
pub mod dialogs;
pub mod edit;
pub mod generate;
pub mod ids;
pub mod integration;
pub mod interaction_delay;
pub mod keys;
pub mod naming;
pub mod parts;
pub mod read;
pub mod template;

use std::fmt;
use std::path::{Path, PathBuf};

use std::borrow::Cow;

use serde_json::Value;

use crate::export::{self, Export, LongList, Refusal, Unreadable, save};
use parts::BotParts;

/// The long lists of an export: integrations, interactions, dialogs.
const LONG_LISTS: &[&str] = &read::SHAPED_LISTS;

/// A bot export: the export's text and members (see [`Export`]), read as a bot.
#[derive(Debug, Clone)]
pub struct BotDocument {
    export: Export,
}

/// Why a file could not be opened as a bot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub path: PathBuf,
    /// Line and column (1-based) where the problem is, when it is at a place.
    pub at: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some((line, column)) => {
                write!(
                    f,
                    "{}:{line}:{column}: {}",
                    self.path.display(),
                    self.message
                )
            }
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for LoadError {}

impl BotDocument {
    /// Reads and checks a bot export.
    pub fn load(path: &Path) -> Result<BotDocument, LoadError> {
        BotDocument::load_reading(path, false).map(|(doc, _)| doc)
    }

    /// [`BotDocument::load`], with the parts the rules read (read while checking the
    /// file, so a large bot is parsed once to open it and show it).
    pub fn load_with_parts(path: &Path) -> Result<(BotDocument, BotParts), LoadError> {
        BotDocument::load_reading(path, true)
    }

    fn load_reading(path: &Path, reading: bool) -> Result<(BotDocument, BotParts), LoadError> {
        let bytes = export::read_file(path).map_err(|e| LoadError {
            path: path.to_path_buf(),
            at: None,
            message: format!("cannot read the file: {}", export::describe_io(&e)),
        })?;
        let stamp = save::DiskStamp::of(&bytes);
        let (mut doc, parts) =
            BotDocument::from_vec_reading(bytes, reading).map_err(|(at, message)| LoadError {
                path: path.to_path_buf(),
                at,
                message,
            })?;
        doc.export.read_from(path, stamp);
        Ok((doc, parts))
    }

    /// Parses a bot export from its bytes; an error carries its line and column.
    pub fn from_bytes(bytes: &[u8]) -> Result<BotDocument, (Option<(usize, usize)>, String)> {
        BotDocument::from_vec(bytes.to_vec())
    }

    /// [`BotDocument::from_bytes`], keeping `bytes` as the document's text (no copy).
    pub fn from_vec(bytes: Vec<u8>) -> Result<BotDocument, (Option<(usize, usize)>, String)> {
        BotDocument::from_vec_reading(bytes, false).map(|(doc, _)| doc)
    }

    fn from_vec_reading(bytes: Vec<u8>, reading: bool) -> Result<(BotDocument, BotParts), Refusal> {
        let export = Export::from_vec(bytes, LONG_LISTS).map_err(|unreadable| match unreadable {
            Unreadable::Empty => (
                None,
                "the file is empty; expected a Conversation Builder bot export (Bot Settings, Export Bot)".into(),
            ),
            Unreadable::NotAnObject(at, value) => (Some(at), read::not_an_export(&value)),
            Unreadable::Refused(refusal) => refusal,
        })?;
        let doc = BotDocument { export };
        let parts = doc.go_through(true, reading).map_err(|problem| {
            // The first syntax error in the file comes first, as serde_json's scan finds it.
            doc.export.first_syntax_error().unwrap_or(problem)
        })?;
        Ok((doc, parts))
    }

    /// Goes through every item of the long lists (on two cores for a large bot): `checking`,
    /// refusing a shape this tool does not read; `reading`, reading the parts the rules read
    /// (else the parts returned are empty).
    fn go_through(&self, checking: bool, reading: bool) -> Result<BotParts, Refusal> {
        if checking {
            read::check_top(&self.export.top_members()).map_err(|p| self.export.refusal(p))?;
        }
        let mut parts = self.export.go_through(
            |parts: &mut BotParts, list_key, i, value| {
                if checking {
                    read::check_item(list_key, i, value)?;
                }
                if reading {
                    parts.add(list_key, i, value);
                }
                Ok(())
            },
            BotParts::append,
        )?;
        if reading {
            parts.bot_id = match self.export.member(keys::BOT) {
                Some(Value::Object(bot)) => read::bot_id_of(bot),
                _ => String::new(),
            };
        }
        Ok(parts)
    }

    /// The text this document saves as: unchanged bytes kept, edits in the file's style.
    pub fn to_text(&self) -> String {
        self.export.to_text()
    }

    /// The whole tree, every key in the order written, built from the text and the edits
    /// (costly on a large bot: the readers read what they need).
    pub fn root(&self) -> Value {
        self.export.root()
    }

    /// What the rules read of the bot, every item read once (on two cores for a large bot).
    pub fn parts(&self) -> BotParts {
        self.go_through(false, true).unwrap_or_else(|_| BotParts {
            // Held items parse (they were checked when read): this is never reached.
            bot_id: self.bot_id(),
            integrations: self.integrations(),
            transfers: self.agent_transfers(),
            interactions: self.interactions(),
            dialogs: self.dialogs(),
        })
    }

    /// A top-level member other than the long lists.
    pub(crate) fn member(&self, key: &str) -> Option<&Value> {
        self.export.member(key)
    }

    /// Whether the top-level member `key` is there but not a list of items.
    pub(crate) fn is_not_a_list(&self, key: &str) -> bool {
        self.export.is_not_a_list(key)
    }

    /// How many items the list `key` holds.
    pub(crate) fn item_count(&self, key: &str) -> usize {
        self.export.item_count(key)
    }

    /// Item `index` of the list `key`.
    pub(crate) fn item(&self, key: &str, index: usize) -> Option<Cow<'_, Value>> {
        self.export.item(key, index)
    }

    /// The items of the list `key`, in order.
    pub(crate) fn items(&self, key: &str) -> impl Iterator<Item = Cow<'_, Value>> {
        self.export.items(key)
    }

    /// The indexes of the items of the list `key` that may mention one of `words`.
    pub(crate) fn items_mentioning(&self, key: &str, words: &[&str]) -> Vec<usize> {
        self.export.items_mentioning(key, words)
    }

    /// Item `index` of the list `key`, for an edit.
    fn item_mut(&mut self, key: &str, index: usize) -> Option<&mut Value> {
        self.export.item_mut(key, index)
    }

    /// Item `index` of the list `key`, an object, for an edit of its members `members` only.
    fn item_members_mut(
        &mut self,
        key: &str,
        index: usize,
        members: &[&str],
    ) -> Option<&mut serde_json::Map<String, Value>> {
        self.export.item_members_mut(key, index, members)
    }

    /// The list `key` for adding or removing items, added (empty) when there is none;
    /// `None` when `key` holds something else.
    fn list_mut<'a>(&'a mut self, key: &'a str) -> Option<LongList<'a>> {
        self.export.list_mut(key)
    }

    /// Puts a whole edited tree in place (restoring journaled edits); the text it will be
    /// saved against stays the loaded one, so the save still changes only what differs.
    fn replace_root(&mut self, root: Value) {
        self.export.replace_root(root);
    }

    /// A number that changes with every edit.
    pub fn revision(&self) -> u64 {
        self.export.revision()
    }

    /// Why the file this was loaded from differs on disk now, if it does.
    pub fn changed_on_disk(&self) -> Option<String> {
        self.export.changed_on_disk()
    }

    /// The hash of the text this was loaded from or last saved as.
    pub fn base_hash(&self) -> u64 {
        self.export.base_hash()
    }

    /// Whether putting back `sets` of changes, one after the other, would leave the bot as
    /// it is (see [`Export::unchanged_after`]).
    pub fn unchanged_after<'a>(&self, sets: impl IntoIterator<Item = &'a export::Changes>) -> bool {
        self.export.unchanged_after(sets)
    }

    /// Whether an edit was made since the last load or save.
    pub fn is_modified(&self) -> bool {
        self.export.is_modified()
    }

    /// Writes the document to `path` atomically under the export's lock; see [`Export::save`].
    pub fn save(&mut self, path: &Path) -> Result<(), save::SaveError> {
        self.export.save(path)
    }

    /// [`BotDocument::save`] with the export's lock already held (taken before the file was
    /// read).
    pub fn save_locked(
        &mut self,
        path: &Path,
        lock: &save::ExportLock,
    ) -> Result<(), save::SaveError> {
        self.export.save_locked(path, lock)
    }

    /// [`BotDocument::save`] without the check for changes on disk: the user said overwrite.
    pub fn save_over(&mut self, path: &Path) -> Result<(), save::SaveError> {
        self.export.save_over(path)
    }

    /// Takes `text` (as returned by [`BotDocument::to_text`]) as the saved state.
    pub fn mark_saved(&mut self, text: String) {
        self.export.mark_saved(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_tree_put_in_place_keeps_the_bytes_of_what_did_not_change() {
        let text = "{\n  \"bot\": {\"id\":\"b\"},\n  \"responder\": [\n    {\"name\":  \"A\"},\n    {\"name\": \"B\"},\n    {\"name\":\"C\"}\n  ]\n}";
        let mut doc = BotDocument::from_bytes(text.as_bytes()).unwrap();
        let mut root = doc.root();
        root["responder"][1]["name"] = "B2".into();
        let list = root["responder"].as_array_mut().unwrap();
        list.remove(2);
        list.insert(0, serde_json::json!({"name": "New"}));
        doc.replace_root(root.clone());
        let saved = doc.to_text();
        assert_eq!(
            saved,
            "{\n  \"bot\": {\"id\":\"b\"},\n  \"responder\": [\n    {\n      \"name\": \"New\"\n    },\n    {\"name\":  \"A\"},\n    {\n      \"name\": \"B2\"\n    }\n  ]\n}"
        );
        assert_eq!(
            BotDocument::from_bytes(saved.as_bytes()).unwrap().root(),
            root
        );
        // Put back as it was, it saves as it was read.
        doc.replace_root(BotDocument::from_bytes(text.as_bytes()).unwrap().root());
        assert_eq!(doc.to_text(), text);
    }

    #[test]
    fn saving_over_a_file_changed_on_disk_needs_a_yes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bot.json");
        std::fs::write(&file, "{\n  \"bot\": {},\n  \"responder\": []\n}").unwrap();
        let mut doc = BotDocument::load(&file).unwrap();
        doc.add_escalation("Esc");
        let theirs = "{\n  \"bot\": {\"name\": \"theirs\"},\n  \"responder\": []\n}";
        std::fs::write(&file, theirs).unwrap();
        assert!(doc.changed_on_disk().is_some());
        let err = doc.save(&file).unwrap_err();
        assert!(err.changed_on_disk, "{err}");
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            theirs,
            "nothing overwritten"
        );
        doc.save_over(&file).unwrap();
        assert_eq!(BotDocument::load(&file).unwrap().integration_count(), 1);
        assert!(
            doc.changed_on_disk().is_none(),
            "the saved version is the new baseline"
        );
        doc.add_escalation("Esc");
        doc.save(&file).unwrap();
    }
}
