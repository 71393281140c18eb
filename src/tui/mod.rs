//! The terminal editor: a thin client of the engine in the Elm shape (model, update, view).

pub mod keymap;
pub mod model;
pub mod terminal;
pub mod update;
pub mod view;

use std::io::{self, Write};
use std::path::Path;

use ratatui::crossterm::event;

use crate::bot::BotDocument;
use crate::sidecar::Sidecar;
use model::{Action, Effect, Model};

/// Opens `path` in the editor and runs until the user quits.
pub fn run(path: &Path) -> Result<(), String> {
    let doc = BotDocument::load(path).map_err(|e| e.to_string())?;
    let sidecar = Sidecar::load(path).map_err(|e| e.to_string())?;
    let mut model = Model::new(doc, sidecar, path.to_path_buf());
    let mut tui = terminal::init().map_err(|e| format!("cannot set up the terminal: {e}"))?;
    let result = run_loop(&mut tui, &mut model);
    terminal::restore();
    result.map_err(|e| format!("terminal error: {e}"))
}

fn run_loop(tui: &mut terminal::Tui, model: &mut Model) -> io::Result<()> {
    let size = tui.size()?;
    model.size = (size.width, size.height);
    while !model.quit {
        tui.draw(|frame| view::view(model, frame))?;
        // Block until the next event: nothing is redrawn without one.
        let Some(action) = update::action_for(model, event::read()?) else {
            continue;
        };
        let mut effect = update::update(model, action);
        while let Some(e) = effect.take() {
            effect = perform(tui, model, e)?;
        }
    }
    Ok(())
}

/// Carries out a side effect; its outcome may be a new action for `update`.
fn perform(
    tui: &mut terminal::Tui,
    model: &mut Model,
    effect: Effect,
) -> io::Result<Option<Effect>> {
    let outcome = match effect {
        Effect::Quit => {
            model.quit = true;
            None
        }
        Effect::Save { then_quit } => {
            let result = save(model);
            let ok = result.is_ok();
            let next = update::update(model, Action::Saved(result));
            model.quit = then_quit && ok;
            next
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
        Effect::OpenEditor { field, text } => {
            terminal::restore();
            let result = edit_externally(&text);
            terminal::enter()?;
            if model.mouse {
                terminal::set_mouse(true)?;
            }
            tui.clear()?;
            update::update(model, Action::EditorDone(field, result))
        }
    };
    Ok(outcome)
}

/// Saves the bot and escalator's settings beside it.
pub fn save(model: &mut Model) -> Result<(), String> {
    let path = model.path.clone();
    model.doc.save(&path).map_err(|e| e.to_string())?;
    model.sidecar.save(&path).map_err(|e| e.to_string())
}

/// Runs `$VISUAL` or `$EDITOR` (else `vi`) on a temporary file holding `text`.
fn edit_externally(text: &str) -> Result<String, String> {
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".into());
    let dir = std::env::temp_dir();
    let file = dir.join(format!("escalator-{}.txt", std::process::id()));
    std::fs::write(&file, text).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let mut parts = editor.split_whitespace();
    let program = parts.next().unwrap_or("vi");
    let status = std::process::Command::new(program)
        .args(parts)
        .arg(&file)
        .status()
        .map_err(|e| format!("cannot run {editor}: {e}"));
    let result = status.and_then(|s| {
        if s.success() {
            std::fs::read_to_string(&file).map_err(|e| e.to_string())
        } else {
            Err(format!("{editor} exited with {s}"))
        }
    });
    let _ = std::fs::remove_file(&file);
    result.map(|t| t.strip_suffix('\n').map(str::to_string).unwrap_or(t))
}
