//! Opening the bot a command names (locked for writing when it will be saved) and finding
//! what it names in it: integrations, Agent Transfer interactions, interactions, dialogs.

use std::path::Path;

use super::output::some_names;
use super::{Failure, bad_input};
use crate::bot::BotDocument;
use crate::bot::agent_transfer::AgentTransfer;
use crate::bot::integration::Integration;
use crate::bot::read::{Dialog, Interaction};
use crate::bot::template::{self, SampleContext};
use crate::export::save::{ExportLock, headless_lock_wait};
use crate::workspace::sidecar::Sidecar;

/// Locks a bot for writing (waiting a little for another writer, then exit 2 naming it), then
/// loads it and its escalator settings: what is read is what the save will replace.
pub(super) fn open_for_writing(file: &Path) -> Result<(ExportLock, BotDocument, Sidecar), Failure> {
    let wait = headless_lock_wait().map_err(bad_input)?;
    let lock = ExportLock::acquire(file, wait).map_err(|e| bad_input(e.to_string()))?;
    let (doc, sidecar) = open(file)?;
    Ok((lock, doc, sidecar))
}

/// Loads a bot and its escalator settings.
pub fn open(file: &Path) -> Result<(BotDocument, Sidecar), Failure> {
    let doc = BotDocument::load(file).map_err(|e| bad_input(e.to_string()))?;
    let sidecar = Sidecar::load(file).map_err(|e| bad_input(e.to_string()))?;
    Ok((doc, sidecar))
}

/// The integration named `name`, or whose id is `name`, or named so but for case. Two
/// integrations of that name are an error listing their ids (name one by its id).
pub(super) fn find(doc: &BotDocument, file: &Path, name: &str) -> Result<Integration, Failure> {
    let all = doc.integrations();
    let named: Vec<&Integration> = all.iter().filter(|i| i.name == name).collect();
    if named.len() > 1 {
        let ids: Vec<&str> = named.iter().map(|i| i.id.as_str()).collect();
        return Err(bad_input(format!(
            "{}: {} integrations are named \"{name}\"; name one by its id: {}",
            file.display(),
            named.len(),
            some_names(&ids)
        )));
    }
    let found = named
        .first()
        .copied()
        .or_else(|| all.iter().find(|i| !i.id.is_empty() && i.id == name))
        .or_else(|| all.iter().find(|i| i.name.eq_ignore_ascii_case(name)));
    found.cloned().ok_or_else(|| {
        let names: Vec<&str> = all.iter().map(|i| i.name.as_str()).collect();
        bad_input(format!(
            "{}: no integration named \"{name}\"; {}",
            file.display(),
            if names.is_empty() {
                "the bot has none (add one with: escalator set FILE --integration NAME --create)"
                    .to_string()
            } else {
                format!("it has: {}", some_names(&names))
            }
        ))
    })
}

/// [`find`], for a command that needs a LivePerson Agent Escalation integration.
pub(super) fn find_escalation(
    doc: &BotDocument,
    file: &Path,
    name: &str,
) -> Result<Integration, Failure> {
    let found = find(doc, file, name)?;
    if !found.is_escalation() {
        return Err(bad_input(format!(
            "{}: \"{}\" is {} integration; only LivePerson Agent Escalation integrations transfer",
            file.display(),
            found.name,
            found.kind.with_article()
        )));
    }
    Ok(found)
}

/// The item named `name` (exact, then by `id`, then ignoring case), or an error that lists
/// what the bot has.
pub(super) fn find_named<T: Clone>(
    all: &[T],
    name_of: impl Fn(&T) -> &str,
    id_of: impl Fn(&T) -> &str,
    what: &str,
    file: &Path,
    name: &str,
) -> Result<T, Failure> {
    all.iter()
        .find(|t| name_of(t) == name)
        .or_else(|| all.iter().find(|t| id_of(t) == name))
        .or_else(|| all.iter().find(|t| name_of(t).eq_ignore_ascii_case(name)))
        .cloned()
        .ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(&name_of).collect();
            bad_input(format!(
                "{}: no {what} named \"{name}\"; {}",
                file.display(),
                if names.is_empty() {
                    "the bot has none".to_string()
                } else {
                    format!("it has: {}", some_names(&names))
                }
            ))
        })
}

/// The Agent Transfer interaction named `name`.
pub(super) fn find_transfer(
    doc: &BotDocument,
    file: &Path,
    name: &str,
) -> Result<AgentTransfer, Failure> {
    let all = doc.agent_transfers();
    let named: Vec<&AgentTransfer> = all.iter().filter(|t| t.name == name).collect();
    if named.len() > 1 {
        let ids: Vec<&str> = named.iter().map(|t| t.id.as_str()).collect();
        return Err(bad_input(format!(
            "{}: {} Agent Transfer interactions are named \"{name}\"; name one by its id: {}",
            file.display(),
            named.len(),
            some_names(&ids)
        )));
    }
    find_named(
        &all,
        |t| &t.name,
        |t| &t.id,
        "Agent Transfer interaction",
        file,
        name,
    )
}

/// Saves the bot when edited and escalator's settings when they changed from `before`: both
/// or neither. The settings go first (a failure there touches nothing); when the bot then
/// fails to save, the settings are put back as they were.
pub(super) fn save_changed(
    lock: &ExportLock,
    doc: &mut BotDocument,
    sidecar: &Sidecar,
    before: &Sidecar,
    file: &Path,
) -> Result<(), Failure> {
    let settings_changed = sidecar != before;
    if settings_changed {
        sidecar.save(file).map_err(|e| bad_input(e.to_string()))?;
    }
    if doc.is_modified()
        && let Err(e) = doc.save_locked(file, lock)
    {
        let undone = !settings_changed || before.save(file).is_ok();
        return Err(bad_input(if undone {
            e.to_string()
        } else {
            format!(
                "{e}; and escalator's settings beside it could not be put back: {} holds the new ones",
                Sidecar::path_for(file).display()
            )
        }));
    }
    Ok(())
}

pub(super) fn parse_context(pairs: &[String]) -> Result<SampleContext, Failure> {
    pairs
        .iter()
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                Ok((template::normalize_context_key(k), v.to_string()))
            }
            _ => Err(bad_input(format!(
                "--context {pair}: expected KEY=VALUE, e.g. --context skillId=12"
            ))),
        })
        .collect()
}

/// The name of the dialog `id`, or the id when no dialog has it.
pub(super) fn dialog_name(doc: &BotDocument, id: &str) -> String {
    doc.dialogs()
        .into_iter()
        .find(|d| d.id == id)
        .map_or_else(|| id.to_string(), |d| d.name)
}

/// The dialog named `name` (exact, then by id, then ignoring case).
pub(super) fn find_dialog(doc: &BotDocument, file: &Path, name: &str) -> Result<Dialog, Failure> {
    let all = doc.dialogs();
    find_named(&all, |d| &d.name, |d| &d.id, "dialog", file, name)
}

/// The interaction named `name` (exact, then ignoring case), or with that id; within
/// `dialog` when given. A name several interactions share is refused (give the id).
pub(super) fn find_interaction(
    doc: &BotDocument,
    file: &Path,
    name: &str,
    dialog: Option<&Dialog>,
) -> Result<Interaction, Failure> {
    let all: Vec<Interaction> = doc
        .interactions()
        .into_iter()
        .filter(|i| dialog.is_none_or(|d| i.dialog_id == d.id))
        .collect();
    let by_id: Vec<&Interaction> = all.iter().filter(|i| i.id == name).collect();
    let exact: Vec<&Interaction> = all.iter().filter(|i| i.name == name).collect();
    let loose: Vec<&Interaction> = all
        .iter()
        .filter(|i| i.name.eq_ignore_ascii_case(name))
        .collect();
    let found = [by_id, exact, loose]
        .into_iter()
        .find(|list| !list.is_empty())
        .unwrap_or_default();
    let place = dialog.map_or_else(String::new, |d| format!(" in dialog \"{}\"", d.name));
    match found.as_slice() {
        [one] => Ok((*one).clone()),
        [] => {
            let names: Vec<&str> = all.iter().map(|i| i.name.as_str()).collect();
            Err(bad_input(format!(
                "{}: no interaction named \"{name}\"{place}; {}",
                file.display(),
                if names.is_empty() {
                    "there are none".to_string()
                } else {
                    format!("there are: {}", some_names(&names))
                }
            )))
        }
        many => Err(bad_input(format!(
            "{}: {} interactions are named \"{name}\"{place} (in dialogs {}); name one by its id: {}",
            file.display(),
            many.len(),
            many.iter()
                .map(|i| format!("\"{}\"", dialog_name(doc, &i.dialog_id)))
                .collect::<Vec<_>>()
                .join(", "),
            many.iter()
                .map(|i| i.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}
