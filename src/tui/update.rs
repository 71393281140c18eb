//! `update`: every change to the editor's state, from one action at a time. Side effects go
//! back to the run loop as an [`Effect`].

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, MouseButton, MouseEventKind,
};

use super::keymap::{self, Command};
use super::model::{
    Action, EditTarget, Editing, Effect, Entry, Focus, Model, Overlay, PreviewMode, PreviewTab,
};
use super::view;
use crate::bot::edit::{Applied, Edit, Made};
use crate::bot::integration::{CustomDataField, Field, IntegrationKind};
use crate::runtime::delay::{delays_edit, recommended_delays};

/// Turns a terminal event into an action; key releases and repeats are dropped.
pub fn action_for(model: &Model, event: Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind == KeyEventKind::Press => Some(
            keymap::lookup(model.context(), &key)
                .map(Action::Command)
                .unwrap_or(Action::Key(key)),
        ),
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Mouse(m) if model.mouse && m.kind == MouseEventKind::Down(MouseButton::Left) => {
            Some(Action::Click {
                column: m.column,
                row: m.row,
            })
        }
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        _ => None,
    }
}

/// Applies one action.
pub fn update(model: &mut Model, action: Action) -> Option<Effect> {
    match action {
        Action::Command(command) => command_update(model, command),
        Action::Key(key) => {
            typed(model, key);
            None
        }
        Action::Paste(text) => {
            paste(model, &text);
            None
        }
        Action::Click { column, row } => {
            click(model, column, row);
            None
        }
        Action::Resize(w, h) => {
            model.size = (w, h);
            None
        }
        Action::EditorDone(field, result) => {
            match result {
                Ok(text) => {
                    set_field(model, field, &text);
                    model.status = format!("{} updated from $EDITOR", field.label());
                }
                Err(e) => model.status = format!("$EDITOR failed: {e}; the field is unchanged"),
            }
            None
        }
        Action::SaveConflict { why, then_quit } => {
            model.quit = false;
            model.status = format!("Not saved: {why}");
            model.overlay = Some(Overlay::ChangedOnDisk { then_quit });
            None
        }
        Action::Reloaded(result) => {
            match result {
                Ok(()) => {
                    model.refresh();
                    model.status = format!("Reloaded {} from disk", model.path.display());
                }
                Err(e) => model.status = format!("Not reloaded: {e}"),
            }
            None
        }
        Action::SaveFailed { why, then_quit } => {
            model.quit = false;
            model.status = format!("Not saved: {why}");
            model.save_failed = Some(why);
            model.overlay = Some(Overlay::SaveFailed { then_quit });
            None
        }
        Action::Saved(result) => {
            match result {
                Ok(()) => {
                    model.sidecar_modified = false;
                    model.save_failed = None;
                    model.read_only = false;
                    model.status = format!("Saved {}", model.path.display());
                }
                Err(e) => {
                    model.quit = false;
                    model.status = format!("Not saved: {e}");
                }
            }
            None
        }
    }
}

fn command_update(model: &mut Model, command: Command) -> Option<Effect> {
    use Command as C;
    match (model.overlay, command) {
        (Some(Overlay::ConfirmConvert(index)), C::ConfirmYes) => {
            model.overlay = None;
            stop_editing(model);
            let transfer = model.transfers.iter().position(|t| t.index == index);
            let result = match transfer {
                Some(_) => model
                    .apply(Edit::ToIntegration { interaction: index })
                    .map(|applied| {
                        if let Made::IntegrationRunBy { integration, .. } = applied.made {
                            select_entry(model, Entry::Integration(integration));
                        }
                        "Converted to an Integration interaction running a new integration"
                            .to_string()
                    }),
                None => model
                    .apply(Edit::ToTransfer { interaction: index })
                    .map(|_| {
                        if let Some(p) = model.transfers.iter().position(|t| t.index == index) {
                            select_entry(model, Entry::Transfer(p));
                        }
                        "Converted to an Agent Transfer interaction in the same place".to_string()
                    }),
            };
            model.focus = Focus::List;
            model.status = match result {
                Ok(done) => done,
                Err(e) => e.to_string(),
            };
        }
        (Some(Overlay::FailureDialog), C::Activate) => {
            let apology = model
                .save_as
                .take()
                .map(|a| a.lines().join(" "))
                .unwrap_or_default();
            model.overlay = None;
            match model.apply(Edit::FailureDialog {
                message: apology.trim().to_string(),
            }) {
                Ok(Applied {
                    made: Made::Dialog(added),
                    ..
                }) => {
                    model.status = format!(
                        "Added the dialog \"{}\": failed transfers now get your apology",
                        added.name
                    );
                }
                Ok(_) => {}
                Err(e) => model.status = e.to_string(),
            }
        }
        (Some(Overlay::SampleResult), C::Leave) => apply_sample_result(model),
        (Some(Overlay::SampleContext), C::Leave) => apply_sample_context(model),
        (Some(Overlay::SampleContext), C::Undo) => {
            if let Some(area) = model.save_as.as_mut() {
                area.undo();
            }
        }
        (Some(Overlay::RecoveryDiff), C::Cancel) => model.overlay = Some(Overlay::Recovery),
        (Some(Overlay::RecoveryDiff), C::Down) => {
            model.diff_scroll = model.diff_scroll.saturating_add(1)
        }
        (Some(Overlay::RecoveryDiff), C::Up) => {
            model.diff_scroll = model.diff_scroll.saturating_sub(1)
        }
        (Some(Overlay::RecoveryDiff), C::PreviewDown) => {
            model.diff_scroll = model.diff_scroll.saturating_add(10)
        }
        (Some(Overlay::RecoveryDiff), C::PreviewUp) => {
            model.diff_scroll = model.diff_scroll.saturating_sub(10)
        }
        (Some(Overlay::Recovery), C::Restore) => return restore(model),
        (Some(Overlay::Recovery), C::Quit) => {
            model.quit = true;
            return Some(Effect::Quit);
        }
        (Some(Overlay::Recovery), C::DiscardEdits) => {
            let Some(entry) = model.recovery.take() else {
                model.overlay = None;
                return None;
            };
            model.overlay = None;
            model.status = "Discarded the unsaved edits of the earlier session".into();
            if !model.recoveries_later.is_empty() {
                let next = model.recoveries_later.remove(0);
                model.offer_recovery(next);
            }
            return Some(Effect::DiscardJournal(entry.path));
        }
        (Some(Overlay::Recovery), C::Down) if !model.recoveries_later.is_empty() => {
            // The next journal; the one shown goes last.
            if let Some(shown) = model.recovery.take() {
                model.recoveries_later.push(shown);
            }
            model.recovery = Some(model.recoveries_later.remove(0));
        }
        (Some(Overlay::Recovery), C::ShowDiff) => {
            if let Some(entry) = &model.recovery {
                model.diff =
                    crate::workspace::journal::line_diff(&model.doc.to_text(), &entry.text);
            }
            model.diff_scroll = 0;
            model.overlay = Some(Overlay::RecoveryDiff);
        }
        (Some(Overlay::ChangedOnDisk { then_quit }), C::Overwrite) => {
            model.overlay = None;
            return Some(Effect::Save {
                then_quit,
                overwrite: true,
            });
        }
        (Some(Overlay::ChangedOnDisk { .. }), C::Reload) => {
            model.overlay = None;
            return Some(Effect::Reload);
        }
        (Some(Overlay::ChangedOnDisk { then_quit }), C::SaveAs) => {
            open_save_as(model, then_quit);
        }
        (Some(Overlay::SaveAs { then_quit }), C::Activate) => {
            let typed = model
                .save_as
                .as_ref()
                .map(|a| a.lines().join(""))
                .unwrap_or_default();
            if typed.trim().is_empty() {
                model.status = "Type a file name to save to".into();
            } else {
                model.overlay = None;
                model.save_as = None;
                return Some(Effect::SaveAs {
                    path: std::path::PathBuf::from(typed.trim()),
                    then_quit,
                });
            }
        }
        (Some(Overlay::Help), C::Down) => model.help_scroll = model.help_scroll.saturating_add(1),
        (Some(Overlay::Help), C::Up) => model.help_scroll = model.help_scroll.saturating_sub(1),
        (Some(_), C::Cancel) => model.overlay = None,
        (Some(Overlay::ConfirmQuit), C::SaveAndQuit) => {
            model.overlay = None;
            return Some(Effect::Save {
                then_quit: true,
                overwrite: false,
            });
        }
        (Some(Overlay::ConfirmQuit), C::DiscardAndQuit) if model.save_failed.is_some() => {
            model.overlay = Some(Overlay::ConfirmDiscard);
        }
        (Some(Overlay::ConfirmQuit), C::DiscardAndQuit)
        | (Some(Overlay::ConfirmDiscard), C::ConfirmYes) => {
            model.quit = true;
            model.discard_on_quit = true;
            return Some(Effect::Quit);
        }
        (Some(Overlay::ConfirmDiscard), C::Quit) => {
            // Quit; the journal keeps the edits for the next start.
            model.quit = true;
            return Some(Effect::Quit);
        }
        (Some(Overlay::SaveFailed { then_quit }), C::Save) => {
            model.overlay = None;
            return Some(Effect::Save {
                then_quit,
                overwrite: false,
            });
        }
        (Some(Overlay::SaveFailed { then_quit }), C::SaveAs) => {
            open_save_as(model, then_quit);
        }
        (Some(Overlay::ConfirmDelete(index)), C::ConfirmYes) => {
            model.overlay = None;
            let name = model
                .integrations
                .get(index)
                .map(|i| i.name.clone())
                .unwrap_or_default();
            match model.apply(Edit::Delete { integration: index }) {
                Ok(_) => {
                    model.focus = Focus::List;
                    model.status = format!("Deleted {name}");
                }
                Err(e) => model.status = e.to_string(),
            }
        }
        (Some(Overlay::SelectType(choice)), C::Up) => {
            model.overlay = Some(Overlay::SelectType(choice.saturating_sub(1)));
        }
        (Some(Overlay::SelectType(choice)), C::Down) => {
            let last = IntegrationKind::CHOICES.len() - 1;
            model.overlay = Some(Overlay::SelectType((choice + 1).min(last)));
        }
        (Some(Overlay::SelectType(choice)), C::Activate) => {
            model.overlay = None;
            set_field(
                model,
                Field::IntegrationType,
                IntegrationKind::CHOICES[choice].label(),
            );
        }
        (Some(_), _) => {}
        (None, command) => return plain_command(model, command),
    }
    None
}

fn plain_command(model: &mut Model, command: Command) -> Option<Effect> {
    use Command as C;
    match command {
        C::Quit => {
            stop_editing(model);
            if model.is_modified() {
                model.overlay = Some(Overlay::ConfirmQuit);
            } else {
                model.quit = true;
                return Some(Effect::Quit);
            }
        }
        C::Save if model.read_only => {
            stop_editing(model);
            open_save_as(model, false);
            model.status = format!(
                "{} is read-only for you: save a copy under another name",
                model.path.display()
            );
        }
        C::Save => {
            stop_editing(model);
            return Some(Effect::Save {
                then_quit: false,
                overwrite: false,
            });
        }
        C::Help => {
            model.help_scroll = 0;
            model.overlay = Some(Overlay::Help);
        }
        C::AddIntegration => {
            stop_editing(model);
            let added = model.apply(Edit::AddEscalation {
                name: "AgentEscalation".into(),
            });
            if let Ok(Applied {
                made: Made::Integration(index),
                ..
            }) = added
            {
                after_new(model, index, "Added");
            }
        }
        C::DuplicateIntegration | C::DeleteIntegration if model.current_transfer().is_some() => {
            model.status = "Agent Transfer interactions are added and removed with their dialog; convert one with: escalator convert".into();
        }
        C::DuplicateIntegration => {
            if model.current().is_some() {
                match model.apply(Edit::Duplicate {
                    integration: model.selected,
                }) {
                    Ok(Applied {
                        made: Made::Integration(index),
                        ..
                    }) => after_new(model, index, "Duplicated as"),
                    Ok(_) => {}
                    Err(e) => model.status = e.to_string(),
                }
            }
        }
        C::DeleteIntegration => {
            if model.current().is_some() {
                model.overlay = Some(Overlay::ConfirmDelete(model.selected));
            }
        }
        C::StartFilter => {
            stop_editing(model);
            model.table_active = false;
            model.focus = Focus::List;
            model.filter_active = true;
        }
        C::NextField => move_focus(model, 1),
        C::PrevField => move_focus(model, -1),
        C::Up | C::Down => {
            let step = if command == C::Up { -1 } else { 1 };
            if model.table_active && model.editing.is_none() {
                let rows = custom_rows(model).len();
                model.table_row = step_index(model.table_row, step, rows);
            } else if model.focus == Focus::List {
                select_step(model, step);
            }
        }
        C::Left | C::Right => {
            let step = if command == C::Left { -1 } else { 1 };
            if model.table_active {
                model.table_column = if step < 0 { 0 } else { 1 };
            } else if model.focus == Focus::Field(Field::IntegrationType)
                && let Some(current) = model.current()
            {
                let at = type_choice(&current.kind);
                let next = step_index(at, step, IntegrationKind::CHOICES.len());
                set_field(
                    model,
                    Field::IntegrationType,
                    IntegrationKind::CHOICES[next].label(),
                );
            }
        }
        C::Activate => activate(model),
        C::Toggle => {
            if model.focus == Focus::Field(Field::TransferBotContext) {
                toggle_checkbox(model);
            }
        }
        C::Leave => {
            if model.editing.is_some() {
                stop_editing(model);
            } else if model.filter_active {
                model.filter_active = false;
                model.filter.clear();
            } else if model.table_active {
                model.table_active = false;
            }
        }
        C::FocusList => {
            stop_editing(model);
            model.focus = Focus::List;
        }
        C::OpenEditor => {
            let field = match (&model.editing, model.focus) {
                (
                    Some(Editing {
                        target: EditTarget::Field(f),
                        ..
                    }),
                    _,
                ) => Some(*f),
                (None, Focus::Field(f)) => Some(f),
                _ => None,
            };
            match field {
                Some(field) if field.is_multiline() && model.subject_label().is_some() => {
                    stop_editing(model);
                    let text = model.field_value(field);
                    return Some(Effect::OpenEditor { field, text });
                }
                _ => {
                    model.status = "Ctrl-E opens Message to User or Transform Result Script in $EDITOR: focus one of them first".into();
                }
            }
        }
        C::CopyBody => {
            if let Some(text) = view::preview_body_text(model) {
                model.status = format!(
                    "Copied the {} transfer body ({} bytes) to the clipboard (OSC 52)",
                    mode_name(model.preview_mode),
                    text.len()
                );
                return Some(Effect::Copy(text));
            }
            model.status = "Nothing to copy: the selected integration has no transfer body".into();
        }
        C::PreviewUp => model.preview_scroll = model.preview_scroll.saturating_sub(10),
        C::PreviewDown => model.preview_scroll = model.preview_scroll.saturating_add(10),
        C::TogglePreviewMode => {
            model.preview_mode = match model.preview_mode {
                PreviewMode::Configured => PreviewMode::Evaluated,
                PreviewMode::Evaluated => PreviewMode::Configured,
            };
            model.status = format!("Preview shows the {} body", mode_name(model.preview_mode));
        }
        C::ApplyDelay if model.current_transfer().is_some() => {
            let recommended = view::transfer_delay(model).map(|(_, _, r)| r).unwrap_or(0);
            let old = model.field_value(Field::InteractionDelay);
            set_field(model, Field::InteractionDelay, &recommended.to_string());
            model.status = format!(
                "Interaction Delay: {} → {recommended} ms",
                if old.is_empty() { "none".into() } else { old }
            );
        }
        C::ApplyDelay => match model.current().filter(|i| i.is_escalation()) {
            Some(current) => {
                let index = current.index;
                let per = model.sidecar.per_message_ms();
                let changes = recommended_delays(&model.doc, index, per);
                if !changes.is_empty()
                    && let Err(e) = model.apply(delays_edit(&changes))
                {
                    model.status = e.to_string();
                    return None;
                }
                model.status = if changes.is_empty() {
                    "No Integration interaction runs it, or its delay is already the recommended one".into()
                } else {
                    changes
                        .iter()
                        .map(|c| {
                            format!(
                                "\"{}\": {} → {} ms",
                                c.name,
                                c.before.map_or("none".into(), |o| o.to_string()),
                                c.after
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                };
            }
            None => model.status = "Select a LivePerson Agent Escalation integration first".into(),
        },
        C::AddFailureDialog => {
            if let Some(existing) = crate::bot::dialogs::failure_dialogs(&model.doc).first() {
                model.status = format!(
                    "The dialog \"{}\" already catches failed transfers",
                    existing.name
                );
            } else {
                stop_editing(model);
                model.save_as = Some(ratatui_textarea::TextArea::new(vec![
                    crate::bot::dialogs::DEFAULT_APOLOGY.to_string(),
                ]));
                model.overlay = Some(Overlay::FailureDialog);
            }
        }
        C::Convert => {
            let target = match (model.current_transfer(), model.current()) {
                (Some(t), _) => Some(t.index),
                (None, Some(i)) if i.is_escalation() => model
                    .doc
                    .interactions()
                    .iter()
                    .find(|x| x.runs(i))
                    .map(|x| x.index),
                _ => None,
            };
            match target {
                Some(index) => model.overlay = Some(Overlay::ConfirmConvert(index)),
                None => {
                    model.status = "Select an Agent Transfer interaction, or an escalation integration that an Integration interaction runs".into();
                }
            }
        }
        C::EditSampleResult => match model.current().cloned() {
            Some(current) => {
                stop_editing(model);
                let text = model
                    .sidecar
                    .sample_results
                    .get(&current.name)
                    .and_then(|v| serde_json::to_string_pretty(v).ok())
                    .unwrap_or_default();
                let mut area =
                    ratatui_textarea::TextArea::new(text.lines().map(str::to_string).collect());
                area.move_cursor(ratatui_textarea::CursorMove::Bottom);
                model.save_as = Some(area);
                model.overlay = Some(Overlay::SampleResult);
            }
            None => {
                model.status = "Select an integration to give its script a sample result".into()
            }
        },
        C::EditSampleContext => {
            stop_editing(model);
            let lines: Vec<String> = if model.sidecar.context.is_empty() {
                vec![String::new()]
            } else {
                model
                    .sidecar
                    .context
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect()
            };
            let mut area = ratatui_textarea::TextArea::new(lines);
            area.move_cursor(ratatui_textarea::CursorMove::Bottom);
            area.move_cursor(ratatui_textarea::CursorMove::End);
            model.save_as = Some(area);
            model.overlay = Some(Overlay::SampleContext);
        }
        C::TogglePreviewTab => {
            model.preview_tab = match model.preview_tab {
                PreviewTab::Body => PreviewTab::Simulate,
                PreviewTab::Simulate => PreviewTab::Body,
            };
            model.preview_scroll = 0;
        }
        C::SimulateDrop => {
            model.scenario.dropped = !model.scenario.dropped;
            model.preview_tab = PreviewTab::Simulate;
        }
        C::SimulateAgentUnavailable => {
            model.scenario.agent_unavailable = !model.scenario.agent_unavailable;
            model.preview_tab = PreviewTab::Simulate;
        }
        C::SimulateFailures => {
            model.scenario.failures = (model.scenario.failures + 1) % 6;
            model.preview_tab = PreviewTab::Simulate;
        }
        C::SimulateFailureDialog => {
            model.scenario.failure_dialog = match model.scenario.failure_dialog {
                None => Some(true),
                Some(true) => Some(false),
                Some(false) => None,
            };
            model.preview_tab = PreviewTab::Simulate;
        }
        C::ToggleMouse => {
            model.mouse = !model.mouse;
            model.status = if model.mouse {
                "Mouse on: click to focus (hold Shift to select text)".into()
            } else {
                "Mouse off: the terminal's own selection and copy work".into()
            };
            return Some(Effect::SetMouse(model.mouse));
        }
        C::Undo | C::Redo => {
            if let Some(editing) = model.editing.as_mut() {
                let changed = if command == C::Undo {
                    editing.area.undo()
                } else {
                    editing.area.redo()
                };
                if changed {
                    apply_editing(model);
                }
            }
        }
        C::AddRow => {
            let mut rows = custom_rows(model);
            let at = if rows.is_empty() {
                0
            } else {
                model.table_row + 1
            };
            rows.insert(at, CustomDataField::default());
            write_rows(model, &rows);
            model.table_row = at;
            model.table_column = 0;
            start_editing(model, EditTarget::Cell { row: at, column: 0 }, "");
        }
        C::RemoveRow => {
            let mut rows = custom_rows(model);
            if model.table_row < rows.len() {
                rows.remove(model.table_row);
                write_rows(model, &rows);
                model.table_row = model.table_row.min(rows.len().saturating_sub(1));
            }
        }
        C::MoveRowUp | C::MoveRowDown => {
            let mut rows = custom_rows(model);
            let row = model.table_row;
            let other = if command == C::MoveRowUp {
                row.checked_sub(1)
            } else {
                Some(row + 1)
            };
            if let Some(other) = other.filter(|o| *o < rows.len() && row < rows.len()) {
                rows.swap(row, other);
                write_rows(model, &rows);
                model.table_row = other;
            }
        }
        C::SaveAndQuit
        | C::DiscardAndQuit
        | C::Cancel
        | C::ConfirmYes
        | C::Overwrite
        | C::Reload
        | C::SaveAs
        | C::Restore
        | C::DiscardEdits
        | C::ShowDiff => {}
    }
    None
}

/// Takes the typed JSON as the sample result of the selected integration (saved beside the
/// export); JSON that does not parse keeps the box open with its place.
fn apply_sample_result(model: &mut Model) {
    let text = model
        .save_as
        .as_ref()
        .map(|a| a.lines().join("\n"))
        .unwrap_or_default();
    let Some(name) = model.current().map(|i| i.name.clone()) else {
        model.overlay = None;
        return;
    };
    if text.trim().is_empty() {
        model.overlay = None;
        model.save_as = None;
        if model.sidecar.sample_results.remove(&name).is_some() {
            model.sidecar_modified = true;
            model.refresh();
        }
        model.status = "No sample result: the script is not run".into();
        return;
    }
    // A single line naming a file loads the sample from that file.
    let path = std::path::Path::new(text.trim());
    let from_file = (!text.trim().contains('\n') && path.is_file())
        .then(|| std::fs::read_to_string(path).ok())
        .flatten();
    let parsed = serde_json::from_str::<serde_json::Value>(from_file.as_deref().unwrap_or(&text));
    match parsed {
        Ok(value) => {
            model.overlay = None;
            model.save_as = None;
            if model.sidecar.sample_results.get(&name) != Some(&value) {
                model.sidecar.sample_results.insert(name, value);
                model.sidecar_modified = true;
                model.refresh();
            }
            model.status = "Sample result kept; the preview shows the script's run".into();
        }
        Err(e) => {
            model.status = format!(
                "Not JSON at line {}:{}: {}; fix it, or empty the box to drop the sample",
                e.line(),
                e.column(),
                e.to_string().split(" at line ").next().unwrap_or_default()
            );
        }
    }
}

/// Takes the typed `key=value` lines as the sample context (saved beside the export).
fn apply_sample_context(model: &mut Model) {
    let text = model
        .save_as
        .take()
        .map(|a| a.lines().join("\n"))
        .unwrap_or_default();
    model.overlay = None;
    let mut context = crate::bot::template::SampleContext::new();
    let mut skipped = 0;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match line.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                context.insert(
                    crate::bot::template::normalize_context_key(k),
                    v.trim().to_string(),
                );
            }
            _ => skipped += 1,
        }
    }
    if context != model.sidecar.context {
        model.sidecar.context = context;
        model.sidecar_modified = true;
        model.refresh();
    }
    model.status = if skipped > 0 {
        format!("{skipped} line(s) without key=value were left out")
    } else {
        format!(
            "{} sample value(s); Ctrl-S saves them beside the bot",
            model.sidecar.context.len()
        )
    };
}

/// `bot.json` → `bot.mine.json`, for "save as" after a conflict.
fn suggest_other_name(path: &std::path::Path) -> String {
    let stem = path
        .file_stem()
        .map_or_else(|| "bot".into(), |s| s.to_string_lossy());
    let ext = path
        .extension()
        .map_or_else(|| "json".into(), |e| e.to_string_lossy());
    path.with_file_name(format!("{stem}.mine.{ext}"))
        .display()
        .to_string()
}

/// Asks for another file name to save to, suggesting one beside the file.
fn open_save_as(model: &mut Model, then_quit: bool) {
    let suggestion = suggest_other_name(&model.path);
    let mut area = ratatui_textarea::TextArea::new(vec![suggestion]);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    model.save_as = Some(area);
    model.overlay = Some(Overlay::SaveAs { then_quit });
}

/// Puts the journaled edits (and settings) in place of the file's content: they save as a
/// normal edit. The other journals found stay on disk for the next start.
fn restore(model: &mut Model) -> Option<Effect> {
    let Some(entry) = model.recovery.take() else {
        model.overlay = None;
        return None;
    };
    match crate::bot::BotDocument::from_bytes(entry.text.as_bytes()) {
        Ok(edited) => {
            if entry.text != model.doc.to_text() {
                model.doc.replace_root(edited.root());
            }
            if let Some(settings) = entry.settings.clone()
                && settings != model.sidecar
            {
                model.sidecar = settings;
                model.sidecar_modified = true;
            }
            model.refresh();
            model.overlay = None;
            let kept = model.recoveries_later.len();
            model.recoveries_later.clear();
            model.status = if kept == 0 {
                "Restored the unsaved edits: Ctrl-S saves them".into()
            } else {
                format!(
                    "Restored the unsaved edits: Ctrl-S saves them ({} kept for the next start)",
                    crate::tui::view::plural(kept, "other journal")
                )
            };
            Some(Effect::AdoptJournal(entry.path))
        }
        Err((_, message)) => {
            model.recovery = Some(entry);
            model.status = format!(
                "The journal cannot be read back ({message}); discard it or keep it for later"
            );
            None
        }
    }
}

fn mode_name(mode: PreviewMode) -> &'static str {
    match mode {
        PreviewMode::Configured => "configured",
        PreviewMode::Evaluated => "evaluated",
    }
}

fn after_new(model: &mut Model, index: usize, verb: &str) {
    model.refresh();
    model.filter.clear();
    model.filter_active = false;
    model.selected = index;
    model.selected_transfer = None;
    model.focus = Focus::Field(Field::Name);
    model.table_active = false;
    let name = model.current().map(|i| i.name.clone()).unwrap_or_default();
    model.status = format!("{verb} {name}: fill in the starred fields");
}

fn type_choice(kind: &IntegrationKind) -> usize {
    IntegrationKind::CHOICES
        .iter()
        .position(|k| k == kind)
        .unwrap_or(0)
}

fn step_index(at: usize, step: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    (at as isize + step).clamp(0, len as isize - 1) as usize
}

fn select_step(model: &mut Model, step: isize) {
    let entries = model.entries();
    // Steps count selectable rows: the heading, when there is one, is not one.
    let heading = model.row_of(Entry::TransfersHeading);
    let selectable = entries.len() - usize::from(heading.is_some());
    if selectable == 0 {
        return;
    }
    let row = model.row_of(model.selected_entry()).unwrap_or(0);
    let at = row - usize::from(heading.is_some_and(|h| row > h));
    let next = step_index(at, step, selectable);
    let next = next + usize::from(heading.is_some_and(|h| next >= h));
    select_entry(model, entries[next]);
}

/// Selects the first row the filter shows when the selected one is filtered out.
fn keep_selection_visible(model: &mut Model) {
    let entries = model.entries();
    if model.row_of(model.selected_entry()).is_none()
        && let Some(&first) = entries.iter().find(|e| **e != Entry::TransfersHeading)
    {
        select_entry(model, first);
    }
}

fn select_entry(model: &mut Model, entry: Entry) {
    if entry == model.selected_entry() {
        return;
    }
    match entry {
        Entry::Integration(index) => {
            model.selected = index;
            model.selected_transfer = None;
        }
        Entry::Transfer(index) => model.selected_transfer = Some(index),
        Entry::TransfersHeading => return,
    }
    model.preview_scroll = 0;
    model.table_row = 0;
    model.table_active = false;
    // A field the newly selected form does not have (an Agent Transfer has no Name) gives the
    // focus back to the list.
    if let Focus::Field(field) = model.focus
        && !model.fields().contains(&field)
    {
        stop_editing(model);
        model.focus = Focus::List;
    }
}

/// Tab order: the list, then every field of the form.
fn move_focus(model: &mut Model, step: isize) {
    stop_editing(model);
    model.table_active = false;
    let fields = model.fields();
    if fields.is_empty() {
        model.focus = Focus::List;
        return;
    }
    let stops = fields.len() as isize + 1;
    let at = match model.focus {
        Focus::List => 0,
        Focus::Field(f) => fields
            .iter()
            .position(|x| *x == f)
            .map_or(0, |p| p as isize + 1),
    };
    let next = (at + step).rem_euclid(stops);
    model.focus = if next == 0 {
        Focus::List
    } else {
        Focus::Field(fields[next as usize - 1])
    };
}

fn activate(model: &mut Model) {
    if let Some(editing) = model.editing.as_mut() {
        if editing.is_multiline() {
            editing.area.insert_newline();
            apply_editing(model);
        } else {
            stop_editing(model);
        }
        return;
    }
    if model.filter_active {
        model.filter_active = false;
        keep_selection_visible(model);
        return;
    }
    if model.current_transfer().is_some() {
        match model.focus {
            Focus::List => model.focus = Focus::Field(Field::Message),
            Focus::Field(Field::TransferBotContext) => toggle_checkbox(model),
            Focus::Field(field) => {
                let text = model.field_value(field);
                start_editing(model, EditTarget::Field(field), &text);
            }
        }
        return;
    }
    let Some(current) = model.current().cloned() else {
        model.status =
            "No integration yet: press Ctrl-N to add a LivePerson Agent Escalation".into();
        return;
    };
    match model.focus {
        Focus::List => {
            model.focus = Focus::Field(Field::Name);
        }
        Focus::Field(Field::TransferBotContext) => toggle_checkbox(model),
        Focus::Field(Field::IntegrationType) => {
            model.overlay = Some(Overlay::SelectType(type_choice(&current.kind)));
        }
        Focus::Field(Field::CustomData) => {
            if !model.table_active {
                model.table_active = true;
                model.table_row = model
                    .table_row
                    .min(current.custom_data.len().saturating_sub(1));
                if current.custom_data.is_empty() {
                    model.status = "No rows yet: press + to add one".into();
                }
            } else if let Some(row) = current.custom_data.get(model.table_row) {
                let text = if model.table_column == 0 {
                    &row.key
                } else {
                    &row.value
                };
                let target = EditTarget::Cell {
                    row: model.table_row,
                    column: model.table_column,
                };
                start_editing(model, target, &text.clone());
            }
        }
        Focus::Field(field) => {
            let text = current.value(field);
            start_editing(model, EditTarget::Field(field), &text);
        }
    }
}

fn toggle_checkbox(model: &mut Model) {
    if model.current_escalation().is_some() {
        let on = model.field_value(Field::TransferBotContext) != "true";
        set_field(model, Field::TransferBotContext, &on.to_string());
    }
}

fn start_editing(model: &mut Model, target: EditTarget, text: &str) {
    model.editing = Some(Editing::new(target, text));
}

/// Leaves the field; what was typed is already in the document.
fn stop_editing(model: &mut Model) {
    // An Interaction Delay is written when the field is left, and only when it is one.
    if let Some(editing) = model.editing.as_ref()
        && editing.target == EditTarget::Field(Field::InteractionDelay)
        && model.edit_error.is_none()
    {
        let text = editing.text();
        set_field(model, Field::InteractionDelay, &text);
    }
    if model.editing.take().is_some() {
        if let Some((field, why)) = model.edit_error.take() {
            model.status = format!(
                "{} keeps its last valid value {:?}: what was typed was not written ({why})",
                field.label(),
                model.field_value(field)
            );
        }
        model.refresh();
    }
}

/// Writes the editor's text into the document (every keystroke: the preview is live).
fn apply_editing(model: &mut Model) {
    let Some(editing) = model.editing.as_ref() else {
        return;
    };
    let text = editing.text();
    match editing.target {
        // Checked as typed, written when the field is left: the digits typed so far are not
        // the delay ("1200" on the way to "12000").
        EditTarget::Field(Field::InteractionDelay) => {
            model.edit_error = crate::bot::interaction_delay::check(&text)
                .err()
                .map(|e| (Field::InteractionDelay, e.to_string()));
        }
        EditTarget::Field(field) => set_field(model, field, &text),
        EditTarget::Cell { row, column } => {
            let mut rows = custom_rows(model);
            if let Some(cell) = rows.get_mut(row) {
                if column == 0 {
                    cell.key = text;
                } else {
                    cell.value = text;
                }
                write_rows(model, &rows);
            }
        }
    }
}

fn set_field(model: &mut Model, field: Field, text: &str) {
    let edit = match model.current_transfer() {
        Some(t) => Edit::TransferField {
            interaction: t.index,
            field,
            value: text.to_string(),
        },
        None => Edit::Field {
            integration: model.selected,
            field,
            value: text.to_string(),
        },
    };
    match model.apply(edit) {
        Ok(_) => model.edit_error = None,
        // Shown under the field while the typed text stays as typed; nothing is written.
        Err(e) => {
            model.status = e.to_string();
            model.edit_error = Some((field, e.to_string()));
        }
    }
    // A type change can take away the focused field.
    if let Focus::Field(f) = model.focus
        && !model.fields().contains(&f)
    {
        model.focus = Focus::Field(Field::IntegrationType);
    }
}

fn custom_rows(model: &Model) -> Vec<CustomDataField> {
    model
        .current()
        .map(|i| i.custom_data.clone())
        .unwrap_or_default()
}

fn write_rows(model: &mut Model, rows: &[CustomDataField]) {
    let edit = Edit::CustomData {
        integration: model.selected,
        rows: rows.to_vec(),
    };
    if let Err(e) = model.apply(edit) {
        model.status = e.to_string();
    }
}

fn typed(model: &mut Model, key: KeyEvent) {
    // An overlay takes every key: nothing typed there reaches a field or the filter.
    if model.overlay.is_some() {
        match (model.overlay, model.save_as.as_mut()) {
            (Some(Overlay::SaveAs { .. }), Some(area)) if key.code != KeyCode::Enter => {
                area.input(key);
            }
            (Some(Overlay::SampleContext | Overlay::SampleResult), Some(area)) => {
                area.input(key);
            }
            (Some(Overlay::FailureDialog), Some(area)) if key.code != KeyCode::Enter => {
                area.input(key);
            }
            _ => {}
        }
        return;
    }
    if model.filter_active {
        match key.code {
            KeyCode::Char(c) => model.filter.push(c),
            KeyCode::Backspace => {
                model.filter.pop();
            }
            _ => return,
        }
        keep_selection_visible(model);
        return;
    }
    let Some(editing) = model.editing.as_mut() else {
        return;
    };
    if !editing.is_multiline() && matches!(key.code, KeyCode::Up | KeyCode::Down) {
        let step = if key.code == KeyCode::Up { -1 } else { 1 };
        if let EditTarget::Cell { row, .. } = editing.target {
            // In the table, Up and Down move between rows.
            stop_editing(model);
            model.table_row = step_index(row, step, custom_rows(model).len());
        } else {
            move_focus(model, step);
        }
        return;
    }
    if editing.area.input(key) {
        apply_editing(model);
    }
}

fn paste(model: &mut Model, text: &str) {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    if model.overlay.is_some() {
        match (model.overlay, model.save_as.as_mut()) {
            (Some(Overlay::SaveAs { .. }), Some(area)) => {
                area.insert_str(text.replace('\n', ""));
            }
            (Some(Overlay::SampleContext | Overlay::SampleResult), Some(area)) => {
                area.insert_str(text);
            }
            (Some(Overlay::FailureDialog), Some(area)) => {
                area.insert_str(text.replace('\n', " "));
            }
            _ => {}
        }
        return;
    }
    if model.filter_active {
        model.filter.push_str(&text.replace('\n', " "));
        return;
    }
    if model.editing.is_none() {
        match model.focus {
            Focus::Field(field)
                if !matches!(
                    field,
                    Field::IntegrationType | Field::TransferBotContext | Field::CustomData
                ) =>
            {
                if model.subject_label().is_some() {
                    let value = model.field_value(field);
                    start_editing(model, EditTarget::Field(field), &value);
                }
            }
            _ => {
                model.status = "Paste goes into a text field: focus one first".into();
                return;
            }
        }
    }
    if let Some(editing) = model.editing.as_mut() {
        // An id or a name pasted (`4242` and a line break, copied from a console) goes in
        // without the spaces around it, which the platform would take as part of it.
        let exact = matches!(
            editing.target,
            EditTarget::Field(
                Field::Name | Field::ResponseDataVariable | Field::SkillId | Field::AgentId
            )
        );
        let text = if exact {
            text.trim().replace('\n', " ")
        } else if editing.is_multiline() {
            text
        } else {
            text.split('\n')
                .map(str::trim_end)
                .collect::<Vec<_>>()
                .join(" ")
        };
        editing.area.insert_str(text);
        apply_editing(model);
    }
}

fn click(model: &mut Model, column: u16, row: u16) {
    if model.overlay.is_some() {
        return;
    }
    match view::hit(model, column, row) {
        Some(view::Hit::Entry(entry)) => {
            stop_editing(model);
            select_entry(model, entry);
            model.focus = Focus::List;
        }
        Some(view::Hit::Field(field)) => {
            stop_editing(model);
            model.table_active = false;
            model.focus = Focus::Field(field);
        }
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::BotDocument;
    use crate::workspace::journal::Entry as JournalEntry;
    use crate::workspace::sidecar::Sidecar;
    use ratatui::crossterm::event::{KeyEvent, KeyModifiers};

    fn recovering() -> Model {
        let doc =
            BotDocument::from_bytes(crate::workspace::shipped::SAMPLE_BOT.as_bytes()).unwrap();
        let edited = crate::workspace::shipped::SAMPLE_BOT.replace("\"Sales\"", "\"Support\"");
        let mut model = Model::new(doc, Sidecar::default(), "bot.json".into());
        model.offer_recovery(JournalEntry {
            file: "bot.json".into(),
            written_at: 0,
            base_hash: 0,
            text: edited,
            path: "journal-a.json".into(),
            ..JournalEntry::default()
        });
        model
    }

    fn press(model: &mut Model, c: char) -> Option<Effect> {
        let event = Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        let action = action_for(model, event).unwrap();
        update(model, action)
    }

    #[test]
    fn recovery_shows_the_difference_then_restores() {
        let mut model = recovering();
        press(&mut model, 's');
        assert_eq!(model.overlay, Some(Overlay::RecoveryDiff));
        assert!(
            model
                .diff
                .iter()
                .any(|l| l.starts_with('+') && l.contains("Support"))
        );
        update(&mut model, Action::Command(Command::Cancel));
        assert_eq!(model.overlay, Some(Overlay::Recovery));
        press(&mut model, 'r');
        assert_eq!(model.overlay, None);
        assert_eq!(model.current().unwrap().escalation.skill_name, "Support");
        assert!(model.is_modified());
    }

    #[test]
    fn discarding_recovered_edits_drops_the_journal() {
        let mut model = recovering();
        assert_eq!(
            press(&mut model, 'd'),
            Some(Effect::DiscardJournal("journal-a.json".into()))
        );
        assert_eq!(model.current().unwrap().escalation.skill_name, "Sales");
        assert_eq!(model.overlay, None);
    }

    #[test]
    fn journals_of_several_sessions_are_offered_one_after_the_other() {
        let mut model = recovering();
        let later = JournalEntry {
            text: crate::workspace::shipped::SAMPLE_BOT.replace("\"Sales\"", "\"Billing\""),
            path: "journal-b.json".into(),
            ..JournalEntry::default()
        };
        model.recoveries_later.push(later);
        // ↓ shows the next one; discarding one offers the other.
        update(&mut model, Action::Command(Command::Down));
        assert_eq!(
            model.recovery.as_ref().map(|e| e.path.clone()),
            Some("journal-b.json".into())
        );
        assert_eq!(
            press(&mut model, 'd'),
            Some(Effect::DiscardJournal("journal-b.json".into()))
        );
        assert_eq!(model.overlay, Some(Overlay::Recovery));
        assert_eq!(
            press(&mut model, 'r'),
            Some(Effect::AdoptJournal("journal-a.json".into()))
        );
        assert_eq!(model.current().unwrap().escalation.skill_name, "Support");
    }

    #[test]
    fn restoring_a_journal_restores_the_settings_too() {
        let doc =
            BotDocument::from_bytes(crate::workspace::shipped::SAMPLE_BOT.as_bytes()).unwrap();
        let mut model = Model::new(doc, Sidecar::default(), "bot.json".into());
        let settings = Sidecar {
            fallback_skill_id: Some("42".into()),
            ..Sidecar::default()
        };
        let entry = JournalEntry {
            text: model.doc.to_text(),
            settings: Some(settings.clone()),
            ..JournalEntry::default()
        };
        assert!(
            model.differs_from(&entry),
            "settings alone are unsaved edits"
        );
        model.offer_recovery(entry);
        press(&mut model, 'r');
        assert_eq!(model.sidecar, settings);
        assert!(model.is_modified());
        assert!(!model.doc.is_modified(), "the bot itself is as on disk");
    }

    fn conflicted() -> Model {
        let doc =
            BotDocument::from_bytes(crate::workspace::shipped::SAMPLE_BOT.as_bytes()).unwrap();
        let mut model = Model::new(doc, Sidecar::default(), "/tmp/x/bot.json".into());
        let effect = update(&mut model, Action::Command(Command::Save));
        assert_eq!(
            effect,
            Some(Effect::Save {
                then_quit: false,
                overwrite: false
            })
        );
        update(
            &mut model,
            Action::SaveConflict {
                why: "someone else saved it".into(),
                then_quit: false,
            },
        );
        assert_eq!(
            model.overlay,
            Some(Overlay::ChangedOnDisk { then_quit: false })
        );
        assert!(model.status.contains("someone else saved it"));
        model
    }

    #[test]
    fn a_save_conflict_asks_overwrite_reload_or_save_as() {
        let mut model = conflicted();
        assert_eq!(
            press(&mut model, 'o'),
            Some(Effect::Save {
                then_quit: false,
                overwrite: true
            })
        );
        let mut model = conflicted();
        assert_eq!(press(&mut model, 'r'), Some(Effect::Reload));
        let mut model = conflicted();
        assert_eq!(press(&mut model, 'c'), None);
        assert_eq!(
            model.overlay, None,
            "cancel keeps the edits and writes nothing"
        );
    }

    #[test]
    fn save_as_suggests_a_new_name_and_takes_what_is_typed() {
        let mut model = conflicted();
        press(&mut model, 'a');
        assert_eq!(model.overlay, Some(Overlay::SaveAs { then_quit: false }));
        let typed = model.save_as.as_ref().unwrap().lines().join("");
        assert_eq!(typed, "/tmp/x/bot.mine.json");
        press(&mut model, '2');
        update(&mut model, Action::Paste("\n3".into()));
        let effect = update(&mut model, Action::Command(Command::Activate));
        assert_eq!(
            effect,
            Some(Effect::SaveAs {
                path: "/tmp/x/bot.mine.json23".into(),
                then_quit: false
            })
        );
    }

    fn sample() -> Model {
        let doc =
            BotDocument::from_bytes(crate::workspace::shipped::SAMPLE_BOT.as_bytes()).unwrap();
        Model::new(doc, Sidecar::default(), "bot.json".into())
    }

    #[test]
    fn simulation_keys_set_the_scenario_and_show_the_tab() {
        let mut model = sample();
        update(&mut model, Action::Command(Command::SimulateFailures));
        assert_eq!(model.preview_tab, PreviewTab::Simulate);
        assert_eq!(model.scenario.failures, 1);
        for _ in 0..5 {
            update(&mut model, Action::Command(Command::SimulateFailures));
        }
        assert_eq!(model.scenario.failures, 0, "wraps after 5");
        update(&mut model, Action::Command(Command::SimulateDrop));
        update(
            &mut model,
            Action::Command(Command::SimulateAgentUnavailable),
        );
        assert!(model.scenario.dropped && model.scenario.agent_unavailable);
        update(&mut model, Action::Command(Command::SimulateFailureDialog));
        assert_eq!(model.scenario.failure_dialog, Some(true));
        update(&mut model, Action::Command(Command::TogglePreviewTab));
        assert_eq!(model.preview_tab, PreviewTab::Body);
    }

    #[test]
    fn sample_values_are_typed_as_lines_and_kept_for_saving() {
        let mut model = sample();
        update(&mut model, Action::Command(Command::EditSampleContext));
        assert_eq!(model.overlay, Some(Overlay::SampleContext));
        update(&mut model, Action::Paste("skillId=42\nnot a pair".into()));
        update(&mut model, Action::Command(Command::Leave));
        assert_eq!(model.overlay, None);
        assert_eq!(
            model
                .sidecar
                .context
                .get("botContext.skillId")
                .map(String::as_str),
            Some("42")
        );
        assert!(model.is_modified(), "sample values are saved with the bot");
        assert!(model.status.contains("left out"));
        let hint = model
            .diagnostics()
            .find(|d| d.field == Some(crate::bot::integration::Field::SkillId))
            .unwrap();
        assert!(hint.message.contains("42"), "{}", hint.message);
    }

    fn sample_with(from: &str, to: &str) -> Model {
        let text = crate::workspace::shipped::SAMPLE_BOT.replace(from, to);
        let doc = BotDocument::from_bytes(text.as_bytes()).unwrap();
        Model::new(doc, Sidecar::default(), "bot.json".into())
    }

    #[test]
    fn ctrl_d_applies_the_recommended_delay() {
        let mut model = sample_with(
            "\"interactionDelay\": \"4000\"",
            "\"interactionDelay\": \"0\"",
        );
        assert!(
            model
                .diagnostics()
                .any(|d| d.message.contains("waits 0 ms"))
        );
        update(&mut model, Action::Command(Command::ApplyDelay));
        assert!(model.status.contains("0 → 4000 ms"), "{}", model.status);
        assert!(
            !model
                .diagnostics()
                .any(|d| d.message.contains("waits 0 ms"))
        );
    }

    #[test]
    fn ctrl_f_adds_a_failure_dialog_with_the_typed_apology() {
        let mut model = sample_with("__agent_escalation_failed__", "goodbye");
        assert!(
            model
                .diagnostics()
                .any(|d| d.message.contains("no dialog catches"))
        );
        update(&mut model, Action::Command(Command::AddFailureDialog));
        assert_eq!(model.overlay, Some(Overlay::FailureDialog));
        model.save_as = Some(ratatui_textarea::TextArea::new(vec!["So sorry.".into()]));
        update(&mut model, Action::Command(Command::Activate));
        assert_eq!(model.overlay, None);
        assert!(
            !model
                .diagnostics()
                .any(|d| d.message.contains("no dialog catches"))
        );
        assert!(model.doc.to_text().contains("\"text\": \"So sorry.\""));
        update(&mut model, Action::Command(Command::AddFailureDialog));
        assert!(model.status.contains("already catches"), "{}", model.status);
    }

    fn with_transfer() -> Model {
        let mut root: serde_json::Value =
            serde_json::from_str(crate::workspace::shipped::SAMPLE_BOT).unwrap();
        let messages = root["conversationMessage"].as_array_mut().unwrap();
        messages.push(serde_json::json!({
            "id": "t1", "name": "handoff", "group": "g", "interactionType": "ESCALATION",
            "content": {"contentType": "STATIC", "results": {"type": "ESCALATION", "tile": {"tileData": [
                {"text": "One moment", "buttons": [], "escalation": {"agentSkillId": "12", "tangoContextEnabled": false}}
            ]}}}
        }));
        let text = serde_json::to_string_pretty(&root).unwrap();
        let doc = BotDocument::from_bytes(text.as_bytes()).unwrap();
        Model::new(doc, Sidecar::default(), "bot.json".into())
    }

    #[test]
    fn agent_transfers_are_listed_after_the_integrations_and_edited_in_the_form() {
        let mut model = with_transfer();
        assert_eq!(
            *model.entries(),
            [
                Entry::Integration(0),
                Entry::TransfersHeading,
                Entry::Transfer(0)
            ]
        );
        update(&mut model, Action::Command(Command::Down));
        assert_eq!(
            model.selected_entry(),
            Entry::Transfer(0),
            "the heading is skipped"
        );
        assert_eq!(model.fields(), crate::bot::agent_transfer::FIELDS.to_vec());
        update(&mut model, Action::Command(Command::Activate));
        assert_eq!(model.focus, Focus::Field(Field::Message));
        update(&mut model, Action::Command(Command::NextField));
        update(&mut model, Action::Command(Command::Activate));
        press(&mut model, '3');
        assert_eq!(model.current_transfer().unwrap().escalation.skill_id, "123");
        assert!(
            view::preview_body_text(&model)
                .unwrap()
                .contains("\"agentSkillId\": \"123\"")
        );
        press(&mut model, 'x');
        assert!(
            model
                .diagnostics_of(Entry::Transfer(0))
                .iter()
                .any(|d| d.field == Some(Field::SkillId)
                    && d.severity == crate::rules::Severity::Error)
        );
        update(&mut model, Action::Command(Command::Up));
        assert_eq!(
            model.selected_entry(),
            Entry::Transfer(0),
            "Up while typing moves fields"
        );
        update(&mut model, Action::Command(Command::FocusList));
        update(&mut model, Action::Command(Command::Up));
        assert_eq!(model.selected_entry(), Entry::Integration(0));
    }

    #[test]
    fn an_interaction_delay_that_is_not_milliseconds_is_shown_and_not_written() {
        let mut model = with_transfer();
        update(&mut model, Action::Command(Command::Down));
        model.focus = Focus::Field(Field::InteractionDelay);
        update(&mut model, Action::Command(Command::Activate));
        for c in "2s".chars() {
            let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
            update(&mut model, Action::Key(key));
        }
        assert_eq!(
            model.editing.as_ref().map(|e| e.text()).as_deref(),
            Some("2s")
        );
        assert!(
            model
                .edit_error
                .as_ref()
                .is_some_and(|(f, why)| *f == Field::InteractionDelay && why.contains("\"2s\"")),
            "{:?}",
            model.edit_error
        );
        assert_eq!(
            model.current_transfer().unwrap().delay_ms,
            None,
            "nothing written while typing"
        );
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
        terminal
            .draw(|f| crate::tui::view::view(&model, f))
            .unwrap();
        assert!(terminal.backend().to_string().contains("(not written)"));
        update(&mut model, Action::Command(Command::Leave));
        assert!(model.edit_error.is_none());
        assert!(
            model.status.contains("keeps its last valid value"),
            "{}",
            model.status
        );
    }

    #[test]
    fn an_interaction_delay_is_written_when_left_and_only_whole() {
        for (typed, written) in [("12000", None), ("9000", Some(9000))] {
            let mut model = with_transfer();
            update(&mut model, Action::Command(Command::Down));
            model.focus = Focus::Field(Field::InteractionDelay);
            update(&mut model, Action::Command(Command::Activate));
            for c in typed.chars() {
                let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
                update(&mut model, Action::Key(key));
            }
            assert_eq!(model.current_transfer().unwrap().delay_ms, None, "{typed}");
            update(&mut model, Action::Command(Command::Leave));
            assert_eq!(
                model.current_transfer().unwrap().delay_ms,
                written,
                "{typed}"
            );
        }
    }

    #[test]
    fn ctrl_d_sets_an_agent_transfer_delay() {
        let mut model = with_transfer();
        update(&mut model, Action::Command(Command::Down));
        update(&mut model, Action::Command(Command::ApplyDelay));
        assert_eq!(model.current_transfer().unwrap().delay_ms, Some(0));
        assert!(model.status.contains("→ 0 ms"), "{}", model.status);
    }

    #[test]
    fn ctrl_k_converts_an_escalation_both_ways_after_a_yes() {
        let mut model = sample();
        update(&mut model, Action::Command(Command::Convert));
        let Some(Overlay::ConfirmConvert(index)) = model.overlay else {
            panic!("asks first: {:?}", model.overlay);
        };
        update(&mut model, Action::Command(Command::Cancel));
        assert!(model.transfers.is_empty(), "no means nothing changes");
        update(&mut model, Action::Command(Command::Convert));
        update(&mut model, Action::Command(Command::ConfirmYes));
        assert_eq!(model.transfers.len(), 1);
        assert_eq!(model.transfers[0].index, index, "in the same place");
        assert_eq!(model.selected_entry(), Entry::Transfer(0));
        update(&mut model, Action::Command(Command::Convert));
        update(&mut model, Action::Command(Command::ConfirmYes));
        assert!(model.transfers.is_empty());
        assert_eq!(model.integrations.len(), 2, "a new integration runs it now");
    }

    #[test]
    fn f9_takes_a_sample_result_and_the_preview_runs_the_script_on_it() {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/escalation-bot.json"),
        )
        .unwrap();
        let doc = BotDocument::from_bytes(text.as_bytes()).unwrap();
        let mut model = Model::new(doc, Sidecar::default(), "bot.json".into());
        update(&mut model, Action::Command(Command::EditSampleResult));
        assert_eq!(model.overlay, Some(Overlay::SampleResult));
        update(&mut model, Action::Paste("{ not json".into()));
        update(&mut model, Action::Command(Command::Leave));
        assert_eq!(
            model.overlay,
            Some(Overlay::SampleResult),
            "bad JSON keeps the box open"
        );
        assert!(
            model.status.contains("Not JSON at line 1"),
            "{}",
            model.status
        );
        model.save_as = Some(ratatui_textarea::TextArea::new(vec!["{\"a\": 1}".into()]));
        update(&mut model, Action::Command(Command::Leave));
        assert_eq!(model.overlay, None);
        assert!(model.is_modified());
        assert!(model.script_run.is_none() && model.script_wanted.is_some());
        model.run_wanted_script_here();
        assert!(model.script_run.is_some(), "the script ran on the sample");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sample.json");
        std::fs::write(&file, "{\"from\": \"file\"}").unwrap();
        update(&mut model, Action::Command(Command::EditSampleResult));
        model.save_as = Some(ratatui_textarea::TextArea::new(vec![
            file.display().to_string(),
        ]));
        update(&mut model, Action::Command(Command::Leave));
        let name = model.current().unwrap().name.clone();
        assert_eq!(model.sidecar.sample_results[&name]["from"], "file");
    }

    #[test]
    fn a_script_syntax_error_shows_while_typing() {
        let mut model = sample();
        model.focus = Focus::Field(Field::TransformScript);
        update(&mut model, Action::Command(Command::Activate));
        update(&mut model, Action::Paste("var a = ;".into()));
        let error = model
            .diagnostics()
            .find(|d| d.field == Some(Field::TransformScript))
            .expect("an inline error");
        assert!(error.message.starts_with("line 1:9:"), "{}", error.message);
    }
}
