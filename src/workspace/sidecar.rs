//! escalator's own settings for an export, kept beside it in `<file>.escalator.json` so the
//! export itself never gets a key Conversation Builder did not write.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::bot::LoadError;
use crate::bot::template::SampleContext;
use crate::export::save;

/// Milliseconds per message for the recommended delay, from the product page's best practice
/// (the setting's value when none is kept).
pub const PER_MESSAGE_MS: u64 = 2000;

/// Settings that are not part of a Conversation Builder export.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Sidecar {
    /// Sample bot-context values for the preview, e.g. `botContext.skillId` → `12`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub context: SampleContext,
    /// The agent connector's fallback skill id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_skill_id: Option<String>,
    /// Hand-entered message counts, by integration name, for integrations no interaction runs.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub message_counts: BTreeMap<String, u32>,
    /// Sample raw results, by integration name, for running Transform Result Scripts.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sample_results: BTreeMap<String, serde_json::Value>,
    /// Milliseconds per message for the recommended delay (2000 when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_message_ms: Option<u64>,
    /// The Conversational Cloud account the bot belongs to (its id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// That account's skills and users as kept in the data folder (`escalator account pull`),
    /// read with the settings and never written into them.
    #[serde(skip)]
    pub kept_account: Option<std::sync::Arc<crate::workspace::account::Account>>,
    /// Why that account's lists could not be read, when they could not.
    #[serde(skip)]
    pub account_problem: Option<String>,
    /// The per-message time when the settings give none: the user's config, in the editor.
    #[serde(skip)]
    pub default_per_message_ms: Option<u64>,
}

/// Settings are the same when what is written of them is: the account's kept lists go with
/// its id, and are read again from the data folder, not compared.
impl PartialEq for Sidecar {
    fn eq(&self, other: &Sidecar) -> bool {
        self.context == other.context
            && self.fallback_skill_id == other.fallback_skill_id
            && self.message_counts == other.message_counts
            && self.sample_results == other.sample_results
            && self.per_message_ms == other.per_message_ms
            && self.account == other.account
    }
}

impl Eq for Sidecar {}

impl Sidecar {
    /// Where the sidecar of `export` lives.
    pub fn path_for(export: &Path) -> PathBuf {
        let mut name = export.as_os_str().to_os_string();
        name.push(".escalator.json");
        PathBuf::from(name)
    }

    /// Reads the sidecar of `export`; none on disk is the empty one.
    pub fn load(export: &Path) -> Result<Sidecar, LoadError> {
        let path = Sidecar::path_for(export);
        let text = match crate::export::read_small_file(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Sidecar::default()),
            Err(e) => {
                return Err(LoadError {
                    path,
                    at: None,
                    message: format!(
                        "cannot read escalator's settings: {}",
                        crate::export::describe_io(&e)
                    ),
                });
            }
        };
        // Read as an export is (a key written twice is refused at its place), then as
        // settings (a value of the wrong type, at its place).
        crate::export::parse_json(&text)
            .and_then(|_| serde_json::from_str::<Sidecar>(&text))
            .map(Sidecar::with_kept_account)
            .map_err(|e| LoadError {
                at: (e.line() > 0).then(|| (e.line(), e.column())),
                message: format!(
                    "escalator's settings are not readable ({}); fix or delete this file",
                    e.to_string().split(" at line ").next().unwrap_or_default()
                ),
                path,
            })
    }

    /// These settings with their account's skills and users, as kept in the data folder
    /// (none when the bot has no account, or it is not kept).
    pub fn with_kept_account(mut self) -> Sidecar {
        let found = match (&self.account, crate::workspace::account::folder()) {
            (Some(id), Some(folder)) => crate::workspace::account::kept(&folder, id),
            _ => Ok(None),
        };
        (self.kept_account, self.account_problem) = match found {
            Ok(kept) => (kept.map(std::sync::Arc::new), None),
            Err(why) => (None, Some(why)),
        };
        self
    }

    pub fn is_empty(&self) -> bool {
        *self == Sidecar::default()
    }

    /// Writes the sidecar beside `export`, or removes it once nothing is set.
    pub fn save(&self, export: &Path) -> Result<(), save::SaveError> {
        let path = Sidecar::path_for(export);
        if self.is_empty() {
            return match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    Err(save::SaveError::new(&path, crate::export::describe_io(&e)))
                }
                _ => Ok(()),
            };
        }
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        save::write_atomically_no_backup(&path, text.as_bytes())?;
        // Root setting a sample value leaves the settings the export's owner's.
        save::same_owner_as(&path, export);
        Ok(())
    }

    /// Milliseconds per message before a transfer.
    pub fn per_message_ms(&self) -> u64 {
        self.per_message_ms
            .or(self.default_per_message_ms)
            .unwrap_or(PER_MESSAGE_MS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kept_lists_of_the_account_are_not_part_of_the_settings() {
        let account = crate::workspace::account::Account {
            id: "1".into(),
            fetched_at: 0,
            source: String::new(),
            skills: vec![],
            users: vec![],
        };
        let written = Sidecar {
            account: Some("1".into()),
            ..Sidecar::default()
        };
        let read = Sidecar {
            kept_account: Some(std::sync::Arc::new(account)),
            ..written.clone()
        };
        assert_eq!(
            read, written,
            "a journal's settings are not unsaved edits for it"
        );
        assert!(
            !serde_json::to_string(&read)
                .unwrap()
                .contains("keptAccount")
        );
    }

    #[test]
    fn written_only_when_something_is_set_and_removed_when_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let export = dir.path().join("bot.json");
        let mut sidecar = Sidecar::default();
        sidecar.save(&export).unwrap();
        assert!(!Sidecar::path_for(&export).exists());
        sidecar
            .context
            .insert("botContext.skillId".into(), "12".into());
        sidecar.save(&export).unwrap();
        assert_eq!(Sidecar::load(&export).unwrap(), sidecar);
        sidecar.context.clear();
        sidecar.save(&export).unwrap();
        assert!(!Sidecar::path_for(&export).exists());
    }

    #[test]
    fn a_key_written_twice_in_the_settings_is_refused_at_its_place() {
        let dir = tempfile::tempdir().unwrap();
        let export = dir.path().join("bot.json");
        std::fs::write(
            Sidecar::path_for(&export),
            "{\"context\": {\"botContext.skillId\": \"1\",\n \"botContext.skillId\": \"2\"}}",
        )
        .unwrap();
        let err = Sidecar::load(&export).unwrap_err().to_string();
        assert!(err.contains("bot.json.escalator.json:2:"), "{err}");
        assert!(err.contains("written twice"), "{err}");
    }

    #[test]
    fn a_broken_sidecar_names_its_file_and_place() {
        let dir = tempfile::tempdir().unwrap();
        let export = dir.path().join("bot.json");
        std::fs::write(Sidecar::path_for(&export), "{\n  \"context\": 3\n}").unwrap();
        let err = Sidecar::load(&export).unwrap_err().to_string();
        assert!(err.contains("bot.json.escalator.json:2:"), "{err}");
    }
}
