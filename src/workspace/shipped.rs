//! The bots escalator ships: the template of a new bot and the default sample bot.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::bot::ids;
use crate::bot::{BotDocument, keys};
use crate::export::save;

/// An empty bot: a welcome dialog and a fallback dialog.
pub const NEW_BOT: &str = include_str!("../../assets/new-bot.json");
/// The default bot: one escalation integration, run by a dialog after two text statements.
pub const SAMPLE_BOT: &str = include_str!("../../assets/sample-bot.json");

/// A copy of `template` with fresh ids everywhere (references follow) and, when given, a name.
pub fn instantiate(template: &str, name: Option<&str>) -> String {
    let root: Value = serde_json::from_str(template).unwrap_or(Value::Null);
    let mut text = template.to_string();
    let mut swap = |old: &str, new: String| {
        if !old.is_empty() {
            text = text.replace(&format!("\"{old}\""), &format!("\"{new}\""));
        }
    };
    let id_of = |v: &Value| {
        v.get(keys::ID)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    swap(&id_of(&root[keys::BOT]), ids::uuid());
    for section in [keys::RESPONDER, keys::GROUPS] {
        for item in root[section].as_array().into_iter().flatten() {
            swap(&id_of(item), ids::uuid());
        }
    }
    for item in root[keys::CONVERSATION_MESSAGE]
        .as_array()
        .into_iter()
        .flatten()
    {
        swap(&id_of(item), ids::interaction_id());
    }
    if let Some(name) = name {
        let old = root[keys::BOT][keys::BOT_NAME].as_str().unwrap_or_default();
        let mut quoted = String::new();
        crate::export::json_text::write_string(&mut quoted, name, &Default::default());
        text = text.replacen(
            &format!("\"name\": \"{old}\""),
            &format!("\"name\": {quoted}"),
            1,
        );
    }
    text
}

/// Writes a new bot to `path`, refusing to overwrite an existing file.
pub fn create_bot(path: &Path, template: &str, name: Option<&str>) -> Result<BotDocument, String> {
    if path.exists() {
        return Err(format!(
            "{}: already exists; choose another file name or delete it first",
            path.display()
        ));
    }
    let text = instantiate(template, name);
    // Never replaces a file made there since the check above.
    save::create_new(path, text.as_bytes()).map_err(|e| e.to_string())?;
    BotDocument::load(path).map_err(|e| e.to_string())
}

/// The default bot in the user's data folder, created from the sample on first use.
pub fn default_bot_path() -> Result<PathBuf, String> {
    let dirs = directories::ProjectDirs::from("", "", "escalator")
        .ok_or("cannot find a home folder for the default bot; pass a file name instead")?;
    let folder = dirs.data_dir();
    std::fs::create_dir_all(folder)
        .map_err(|e| format!("{}: cannot create the folder: {e}", folder.display()))?;
    let path = folder.join("default-bot.json");
    if !path.exists() {
        create_bot(&path, SAMPLE_BOT, None)?;
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_bots_load_and_the_sample_has_one_escalation_run_after_two_texts() {
        BotDocument::from_bytes(NEW_BOT.as_bytes()).unwrap();
        let sample = BotDocument::from_bytes(SAMPLE_BOT.as_bytes()).unwrap();
        let integrations = sample.integrations();
        assert_eq!(integrations.len(), 1);
        assert!(integrations[0].is_escalation());
        let plans = crate::runtime::delay::plans(&sample, &integrations[0], &Default::default());
        assert_eq!(plans[0].messages, 2);
    }

    #[test]
    fn instances_get_fresh_ids_that_still_refer_to_each_other() {
        let a = BotDocument::from_bytes(instantiate(SAMPLE_BOT, Some("Mine \"1\"")).as_bytes())
            .unwrap();
        let b = BotDocument::from_bytes(SAMPLE_BOT.as_bytes()).unwrap();
        assert_ne!(a.bot_id(), b.bot_id());
        assert_eq!(a.bot_name(), "Mine \"1\"");
        let esc = &a.integrations()[0];
        assert!(a.interactions().iter().any(|i| i.runs(esc)));
        assert_eq!(
            crate::runtime::delay::plans(&a, esc, &Default::default())[0].messages,
            2
        );
    }
}
