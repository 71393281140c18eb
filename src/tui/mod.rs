//! The terminal editor: a thin client of the engine in the Elm shape (model, update, view),
//! its panes as components (`components/`), its keys in one table (`keymap`). This module is
//! the run loop: it reads events, carries out effects, journals unsaved edits and makes sure
//! every way out (quit, error, signal, panic) keeps them.
//!
//! It builds on every layer below and does not import the command line (`cli`).

pub mod accessible;
pub mod components;
pub mod config;
pub mod draw;
pub mod frame;
pub mod history;
pub mod keymap;
pub mod model;
pub mod terminal;
pub mod theme;
pub mod update;
pub mod view;

use std::io::IsTerminal;
use std::io::{self, Write};
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use ratatui::crossterm::event;

use crate::bot::BotDocument;
use crate::workspace::journal::{self, Journal};
use crate::workspace::sidecar::Sidecar;
use model::{Action, Effect, Model};

/// How often the loop looks for a script run's outcome while one is under way.
const SCRIPT_TICK: Duration = Duration::from_millis(20);

/// How soon after a change the journal is written.
const JOURNAL_DELAY: Duration = Duration::from_secs(1);
/// How often the guard looks for signals and a hung-up terminal.
const GUARD_TICK: Duration = Duration::from_millis(200);
/// The signal a lost terminal counts as.
const SIGHUP: i32 = signal_hook::consts::SIGHUP;

/// How an editing session ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ending {
    Quit,
    /// Stopped by a signal (hang-up, terminate, interrupt); unsaved edits are journaled.
    Signal(i32),
}

/// When to quit by itself, for measuring start-up (`Exit::default()`: never).
#[derive(Debug, Default, Clone, Copy)]
pub struct Exit {
    /// Once the first frame is on the terminal.
    pub after_first_frame: bool,
    /// Once the rules have run and their frame is on the terminal.
    pub after_check: bool,
}

/// The model of the bot at `path` for an editing session (either face), with the user's
/// config and the unsaved edits earlier sessions left offered, and this session's journal.
/// The rules have not run yet ([`Model::check`]).
pub(crate) fn open_session(path: &Path) -> Result<(Model, Option<Journal>), String> {
    let (doc, parts) = BotDocument::load_with_parts(path).map_err(|e| e.to_string())?;
    let sidecar = Sidecar::load(path).map_err(|e| e.to_string())?;
    let mut model = Model::opened(doc, parts, sidecar, path.to_path_buf());
    model.read_only = !crate::export::save::may_write(path);
    // The user's config: what it cannot give is the built-in setting, and the status says why.
    config::Settings::of(&crate::workspace::config::load()).apply(&mut model);
    let journal = Journal::in_default_dir();
    if let Some(journal) = &journal {
        // Journals of ended sessions: those that hold nothing new go; the rest are offered.
        let (offered, same): (Vec<_>, Vec<_>) = journal
            .left_for(path)
            .into_iter()
            .partition(|entry| model.differs_from(entry));
        same.iter().for_each(journal::remove_entry);
        model.offer_recoveries(offered);
    }
    Ok((model, journal))
}

/// Makes the restored edits of an earlier session (its journal at `path`) this session's:
/// its own journal holds them before the earlier one goes. Whether they are kept.
pub(crate) fn adopt_journal(journal: Option<&Journal>, model: &Model, path: &Path) -> bool {
    let kept = journal.is_some_and(|journal| keep_unsaved(journal, model));
    if kept {
        let _ = std::fs::remove_file(path);
    }
    kept
}

/// Opens `path` in the editor and runs until the user quits or the session is cut off.
pub fn run(path: &Path, exit: Exit) -> Result<Ending, String> {
    // The rules run after the first frame is up: a large bot shows at once, its checks a
    // moment later.
    let (model, journal) = open_session(path)?;
    // Without a terminal the full-screen editor cannot start: said before the guard, which
    // takes a missing terminal for one that went away.
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        return Err(
            "the editor needs a terminal for its input and output; without one, use escalator --accessible FILE (line-by-line prompts) or a command such as escalator validate FILE".into(),
        );
    }
    let journaled = (model.doc.revision(), model.sidecar.clone());
    let shared = Arc::new(Mutex::new(model));
    start_guard(Arc::clone(&shared), journal.clone())?;
    let mut tui = terminal::init().map_err(|e| format!("cannot set up the terminal: {e}"))?;
    let mut session = Session {
        journal,
        journaled,
        due: None,
        exit,
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| session.run_loop(&mut tui, &shared)));
    // Every way out keeps unsaved edits, unless the user chose to discard them.
    let model = lock(&shared);
    session.finish(&model);
    terminal::restore();
    match outcome {
        Ok(Ok(ending)) => Ok(ending),
        Ok(Err(e)) => Err(format!("terminal error: {e}{}", session.kept_note(&model))),
        Err(panic) => resume_unwind(panic),
    }
}

/// The model, even after a panic while it was held.
fn lock(shared: &Mutex<Model>) -> MutexGuard<'_, Model> {
    shared
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Watches, beside the editor, for SIGHUP, SIGTERM and SIGINT and for the terminal going
/// away (an SSH link dropped): journals the unsaved edits at once, restores the terminal and
/// ends the process. It runs apart because input reading does not return once the terminal
/// is gone.
fn start_guard(shared: Arc<Mutex<Model>>, journal: Option<Journal>) -> Result<(), String> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGHUP, SIGTERM, SIGINT])
        .map_err(|e| format!("cannot watch for signals: {e}"))?;
    std::thread::Builder::new()
        .name("escalator-guard".into())
        .spawn(move || {
            let sig = loop {
                if let Some(sig) = signals.pending().next() {
                    break sig;
                }
                if !io::stdin().is_terminal() {
                    break SIGHUP;
                }
                std::thread::sleep(GUARD_TICK);
            };
            let model = lock(&shared);
            if let Some(journal) = &journal {
                keep_unsaved(journal, &model);
            }
            terminal::restore();
            // The terminal may be gone: a failed write must not stop the exit.
            let _ = writeln!(
                io::stderr(),
                "escalator: stopped by signal {sig}{}",
                if model.is_modified() && journal.is_some() {
                    "; unsaved edits are kept and will be offered when you open the file again"
                } else {
                    ""
                }
            );
            std::process::exit(128 + sig);
        })
        .map(|_| ())
        .map_err(|e| format!("cannot start the signal guard: {e}"))
}

/// Journals the unsaved edits (of the bot and of escalator's settings for it), or drops this
/// session's journal when there are none (or they were discarded).
/// Why a save wrote nothing.
pub(crate) enum Unwritten {
    /// The file changed on disk since it was read (the words say how).
    ChangedOnDisk(String),
    Failed(String),
}

/// Writes the bot to its file, then its settings beside it: the bot only when it differs
/// from the saved file (a save of escalator's settings alone leaves the export and its `.bak`,
/// the version before the last save, as they are); over a file changed on disk since it was
/// read only when `overwrite`.
pub(crate) fn write_bot(model: &mut Model, overwrite: bool) -> Result<(), Unwritten> {
    let path = model.path.clone();
    let written = if !model.history.differs() {
        Ok(())
    } else if overwrite {
        model.doc.save_over(&path)
    } else {
        model.doc.save(&path)
    };
    match written {
        Err(e) if e.changed_on_disk => Err(Unwritten::ChangedOnDisk(e.message)),
        Err(e) => Err(Unwritten::Failed(e.to_string())),
        Ok(()) => model
            .sidecar
            .save(&path)
            .map_err(|e| Unwritten::Failed(e.to_string())),
    }
}

/// Writes the bot and its settings to the new file `path`; anything there, even a link to
/// nowhere, is left alone.
pub(crate) fn write_bot_as(model: &mut Model, path: &Path) -> Result<(), String> {
    if path.symlink_metadata().is_ok() {
        return Err(format!(
            "{} already exists; choose a new name (nothing was overwritten)",
            path.display()
        ));
    }
    model
        .doc
        .save_over(path)
        .map_err(|e| e.to_string())
        .and_then(|()| model.sidecar.save(path).map_err(|e| e.to_string()))
}

pub(crate) fn keep_unsaved(journal: &Journal, model: &Model) -> bool {
    if model.is_modified() && !model.discard_on_quit {
        journal
            .write(
                &model.path,
                model.doc.base_hash(),
                &model.doc.to_text(),
                &model.sidecar,
            )
            .is_ok()
    } else {
        journal.remove(&model.path);
        true
    }
}

struct Session {
    journal: Option<Journal>,
    /// The document revision and the settings last written to the journal.
    journaled: (u64, Sidecar),
    /// When the journal is next due.
    due: Option<Instant>,
    exit: Exit,
}

impl Session {
    fn run_loop(&mut self, tui: &mut terminal::Tui, shared: &Mutex<Model>) -> io::Result<Ending> {
        let (scripts_done, script_outcomes) = std::sync::mpsc::channel();
        let size = tui.size()?;
        lock(shared).size = (size.width, size.height);
        let mut draw = true;
        loop {
            let wait = {
                let mut model = lock(shared);
                if model.quit {
                    return Ok(Ending::Quit);
                }
                if draw {
                    tui.draw(|frame| view::view(&model, frame))?;
                    draw = false;
                    if self.exit.after_first_frame || (self.exit.after_check && model.checked) {
                        return Ok(Ending::Quit);
                    }
                }
                if !model.checked {
                    model.check();
                    draw = true;
                    continue;
                }
                self.schedule(&model);
                if let Some(job) = model.take_script_job() {
                    let done = scripts_done.clone();
                    std::thread::spawn(move || {
                        let run = crate::runtime::script::run_isolated(
                            &job.script,
                            &job.variable,
                            &job.sample,
                            &job.context,
                        );
                        let _ = done.send((job.key, run));
                    });
                }
                let wait = self.due.map_or(GUARD_TICK, |due| {
                    due.saturating_duration_since(Instant::now())
                });
                if model.script_running.is_some() {
                    wait.min(SCRIPT_TICK)
                } else {
                    wait
                }
            };
            // A script run (in its worker, off this thread) that finished.
            if let Ok((key, run)) = script_outcomes.try_recv() {
                lock(shared).script_done(key, run);
                draw = true;
                continue;
            }
            // Wait for input without holding the model, so the guard can always reach it.
            if !event::poll(wait)? {
                continue;
            }
            let event = event::read()?;
            let mut model = lock(shared);
            if let Some(action) = update::action_for(&model, event) {
                let mut effect = update::update(&mut model, action);
                while let Some(e) = effect.take() {
                    effect = self.perform(tui, &mut model, e)?;
                }
                draw = true;
            }
        }
    }

    /// Writes the journal about a second after the first change it does not hold yet.
    fn schedule(&mut self, model: &Model) {
        let unchanged =
            model.doc.revision() == self.journaled.0 && model.sidecar == self.journaled.1;
        if unchanged || !model.is_modified() {
            self.due = None;
            return;
        }
        let now = Instant::now();
        match self.due {
            None => self.due = Some(now + JOURNAL_DELAY),
            Some(due) if now >= due => {
                self.write_journal(model);
                self.due = None;
            }
            Some(_) => {}
        }
    }

    fn write_journal(&mut self, model: &Model) {
        if let Some(journal) = &self.journal
            && keep_unsaved(journal, model)
        {
            self.journaled = (model.doc.revision(), model.sidecar.clone());
        }
    }

    /// At the end: journal what is unsaved, or drop the journal when nothing is.
    fn finish(&mut self, model: &Model) {
        if let Some(journal) = &self.journal {
            keep_unsaved(journal, model);
        }
    }

    fn kept_note(&self, model: &Model) -> String {
        if model.is_modified() && self.journal.is_some() {
            "; your unsaved edits are kept and will be offered when you open the file again".into()
        } else {
            String::new()
        }
    }

    /// Carries out a side effect; its outcome may be a new effect.
    fn perform(
        &mut self,
        tui: &mut terminal::Tui,
        model: &mut Model,
        effect: Effect,
    ) -> io::Result<Option<Effect>> {
        let outcome = match effect {
            Effect::Quit => {
                model.quit = true;
                None
            }
            Effect::Save {
                then_quit,
                overwrite,
            } => self.save(model, then_quit, overwrite),
            Effect::SaveAs { path, then_quit } => self.save_as(model, path, then_quit),
            Effect::Reload => {
                let result = BotDocument::load(&model.path).map(|doc| model.doc = doc);
                if result.is_ok() {
                    self.forget(model);
                }
                update::update(model, Action::Reloaded(result.map_err(|e| e.to_string())))
            }
            Effect::DiscardJournal(path) => {
                let _ = std::fs::remove_file(path);
                None
            }
            Effect::AdoptJournal(path) => {
                self.adopt_journal(model, path);
                None
            }
            Effect::Copy(text) => {
                let mut out = io::stdout();
                out.write_all(terminal::osc52(&text).as_bytes())?;
                out.flush()?;
                None
            }
            Effect::SetMouse(on) => {
                terminal::set_mouse(on)?;
                None
            }
            Effect::OpenEditor { field, text } => open_editor(tui, model, field, &text)?,
        };
        Ok(outcome)
    }

    /// Saves to the file open, under its lock; a file changed on disk asks first.
    fn save(&mut self, model: &mut Model, then_quit: bool, overwrite: bool) -> Option<Effect> {
        match write_bot(model, overwrite) {
            Err(Unwritten::ChangedOnDisk(why)) => {
                update::update(model, Action::SaveConflict { why, then_quit })
            }
            Err(Unwritten::Failed(why)) => self.after_save(model, Err(why), then_quit),
            Ok(()) => self.after_save(model, Ok(()), then_quit),
        }
    }

    /// Saves to a new file, which then is the file open; anything at `path` is left alone.
    fn save_as(
        &mut self,
        model: &mut Model,
        path: std::path::PathBuf,
        then_quit: bool,
    ) -> Option<Effect> {
        let result = write_bot_as(model, &path);
        if result.is_ok() {
            if let Some(journal) = &self.journal {
                journal.remove(&model.path);
            }
            model.path = path;
        }
        self.after_save(model, result, then_quit)
    }

    /// The restored edits are this session's now: its own journal holds them before the
    /// earlier one (at `path`) goes.
    fn adopt_journal(&mut self, model: &Model, path: std::path::PathBuf) {
        if adopt_journal(self.journal.as_ref(), model, &path) {
            self.journaled = (model.doc.revision(), model.sidecar.clone());
        }
    }

    fn after_save(
        &mut self,
        model: &mut Model,
        result: Result<(), String>,
        then_quit: bool,
    ) -> Option<Effect> {
        let ok = result.is_ok();
        if ok {
            self.forget(model);
        }
        let next = match result {
            Ok(()) => update::update(model, Action::Saved(Ok(()))),
            Err(why) => update::update(model, Action::SaveFailed { why, then_quit }),
        };
        model.quit = then_quit && ok;
        next
    }

    /// Drops the journal: the edits are saved or the user discarded them.
    fn forget(&mut self, model: &Model) {
        if let Some(journal) = &self.journal {
            journal.remove(&model.path);
        }
        self.journaled = (model.doc.revision(), model.sidecar.clone());
        self.due = None;
    }
}

/// Leaves the screen to the user's `$EDITOR` on a long field's text, then comes back.
fn open_editor(
    tui: &mut terminal::Tui,
    model: &mut Model,
    field: crate::bot::integration::Field,
    text: &str,
) -> io::Result<Option<Effect>> {
    terminal::restore();
    let (name, extension) = match field {
        crate::bot::integration::Field::TransformScript => ("transform-result-script", "js"),
        crate::bot::integration::Field::Message => ("message-to-user", "txt"),
        _ => ("field", "txt"),
    };
    let result = edit_externally(text, name, extension);
    terminal::enter()?;
    if model.mouse {
        terminal::set_mouse(true)?;
    }
    tui.clear()?;
    Ok(update::update(model, Action::EditorDone(field, result)))
}

/// Runs `$VISUAL` or `$EDITOR` (else `vi`) on a temporary file holding `text`, named
/// `NAME.EXTENSION` so the editor highlights it (`js` for a script).
fn edit_externally(text: &str, name: &str, extension: &str) -> Result<String, String> {
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".into());
    let (_folder, file) = private_copy(text, name, extension)?;
    let mut parts = editor.split_whitespace();
    let program = parts.next().unwrap_or("vi");
    let status = std::process::Command::new(program)
        .args(parts)
        .arg(&file)
        .status()
        .map_err(|e| format!("cannot run {editor}: {e}"));
    let result = status.and_then(|s| {
        if s.success() {
            crate::export::read_small_file(&file).map_err(|e| e.to_string())
        } else {
            Err(format!("{editor} exited with {s}"))
        }
    });
    // The folder and the file go when `_folder` does.
    result.map(|t| t.strip_suffix('\n').map(str::to_string).unwrap_or(t))
}

/// `text` in a new file of its own (0600) in a new private folder (0700) with an unguessable
/// name: nobody else can read it, replace it or plant a link where it goes. The folder is
/// removed when the returned guard is dropped.
pub fn private_copy(
    text: &str,
    name: &str,
    extension: &str,
) -> Result<(tempfile::TempDir, std::path::PathBuf), String> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::Builder::new()
        .prefix("escalator-")
        .permissions(std::fs::Permissions::from_mode(0o700))
        .tempdir()
        .map_err(|e| format!("cannot make a private temporary folder: {e}"))?;
    let file = folder.path().join(format!("{name}.{extension}"));
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&file)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    Ok((folder, file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_for_the_editor_is_private_unguessable_and_removed() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        // What an attacker would plant at the name used before.
        let old_name = std::env::temp_dir().join(format!("escalator-{}.txt", std::process::id()));
        let (folder, file) = private_copy("var a = 1;", "transform-result-script", "js").unwrap();
        assert_ne!(file, old_name);
        assert!(file.ends_with("transform-result-script.js"));
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(folder.path()), 0o700);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "var a = 1;");
        let path = folder.path().to_path_buf();
        drop(folder);
        assert!(!path.exists(), "removed afterwards");
    }
}
