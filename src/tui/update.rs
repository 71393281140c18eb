//! `update`: every change to the editor's state, from one action at a time. Side effects go
//! back to the run loop as an [`Effect`]. A command is routed through the components in a
//! fixed order ([`route`]); `update` never draws and never calls drawing code: a click is read
//! against the places the last frame recorded.

use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind, MouseButton, MouseEventKind};

use super::components::{Handled, form, list, overlays, pickers, preview};
use super::frame::Hit;
use super::keymap::{self, Command};
use super::model::{Action, Effect, Focus, Model, Overlay};

/// Turns a terminal event into an action; key releases and repeats are dropped.
pub fn action_for(model: &Model, event: Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind == KeyEventKind::Press && model.chord => Some(Action::Command(
            model
                .keymap
                .finish_chord(model.context(), &key)
                .unwrap_or(Command::StartChord),
        )),
        // A character on a focused text field is typed into it (`?`, `:` and Space too,
        // which are commands elsewhere).
        Event::Key(key)
            if key.kind == KeyEventKind::Press
                && model.context() == keymap::Context::Form
                && form::starts_typing(model, &key) =>
        {
            Some(Action::Key(key))
        }
        Event::Key(key) if key.kind == KeyEventKind::Press => Some(
            model
                .keymap
                .lookup(model.context(), &key)
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
    let chord = std::mem::take(&mut model.chord);
    // A status message says what the last key did: the next key's replaces it, or clears it
    // ("Added …" does not stay once the name was typed over).
    if matches!(
        action,
        Action::Command(_) | Action::Key(_) | Action::Paste(_) | Action::Click { .. }
    ) {
        model.status.clear();
    }
    match action {
        // The first key of two: the next key finishes it (a second first key, or any other
        // key, drops it).
        Action::Command(Command::StartChord) => {
            if chord {
                model.status = format!(
                    "Not a two-key binding; after {}: {}",
                    model.keymap.chord_starts(),
                    model.keymap.chord_hint()
                );
            } else {
                model.chord = true;
                model.status = format!(
                    "{} … {}",
                    model.keymap.chord_starts(),
                    model.keymap.chord_hint()
                );
            }
            None
        }
        Action::Command(command) => route(model, command),
        Action::Key(key) => {
            typed(model, key);
            None
        }
        Action::Paste(text) => {
            paste(model, text);
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
                    form::set_field(model, field, &text);
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
                    model.history.clear();
                    model.saved_settings = model.sidecar.clone();
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
                    model.mark_saved();
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

/// A command goes to the first that takes it: an open overlay (it takes every command); what
/// is being typed in (a form field, then the list's filter); the pane with the focus (the list
/// or the form); the preview; the commands of any place (adding and filtering integrations,
/// opening a box); and last the global commands (save, quit, focus, mouse).
fn route(model: &mut Model, command: Command) -> Option<Effect> {
    match pickers::chosen(model, command) {
        pickers::Chosen::Run(chosen) => return route(model, chosen),
        pickers::Chosen::Nothing => return None,
        pickers::Chosen::NotOpen => {}
    }
    let into_the_form = matches!(
        command,
        Command::Activate | Command::NextField | Command::PrevField
    ) && model.focus == Focus::List
        && !model.filter_active;
    if model.overlay.is_none()
        && model.hidden()
        && (crate::tui::model::is_about_the_selection(command) || into_the_form)
    {
        model.status = format!(
            "Nothing is selected: the filter \"{}\" hides it (Esc on the list clears the filter)",
            model.filter
        );
        return None;
    }
    let pane: fn(&mut Model, Command) -> Handled = match model.focus {
        Focus::List => list::command,
        Focus::Field(_) => form::command,
    };
    let order: [fn(&mut Model, Command) -> Handled; 7] = [
        overlays::command,
        form::editing_command,
        list::filter_command,
        pane,
        preview::command,
        list::integrations_command,
        overlays::open_command,
    ];
    for component in order {
        if let Handled::Consumed(effect) = component(model, command) {
            return effect;
        }
    }
    global_command(model, command)
}

/// The commands of the editor as a whole.
fn global_command(model: &mut Model, command: Command) -> Option<Effect> {
    use Command as C;
    match command {
        C::Quit => {
            form::stop_editing(model);
            if !model.is_modified() {
                model.quit = true;
                return Some(Effect::Quit);
            }
            model.overlay = Some(Overlay::ConfirmQuit);
        }
        C::Save if model.read_only => {
            form::stop_editing(model);
            overlays::open_save_as(model, false);
            model.status = format!(
                "{} is read-only for you: save a copy under another name",
                model.path.display()
            );
        }
        C::Save => {
            form::stop_editing(model);
            if !model.is_modified() {
                model.status = format!("Nothing to save: {} is as saved", model.path.display());
                return None;
            }
            return Some(Effect::Save {
                then_quit: false,
                overwrite: false,
            });
        }
        C::NextField => form::move_focus(model, 1),
        C::PrevField => form::move_focus(model, -1),
        C::FocusList => {
            form::stop_editing(model);
            model.focus = Focus::List;
        }
        C::Undo | C::Redo => {
            form::stop_editing(model);
            if command == C::Undo {
                model.undo();
            } else {
                model.redo();
            }
            // What the step selects may be one the filter hides.
            list::keep_selection_visible(model);
        }
        C::OpenEditor => return form::open_editor(model),
        C::ApplyDelay => form::apply_delay(model),
        C::ToggleMouse => {
            model.mouse = !model.mouse;
            model.status = if model.mouse {
                "Mouse on: click to focus (hold Shift to select text)".into()
            } else {
                "Mouse off: the terminal's own selection and copy work".into()
            };
            return Some(Effect::SetMouse(model.mouse));
        }
        _ => {}
    }
    None
}

/// A key that is no command: into the open overlay's box, the filter or the field being
/// typed in, whichever comes first.
fn typed(model: &mut Model, key: KeyEvent) {
    if model.overlay.is_some() {
        overlays::typed(model, key);
    } else if !list::typed(model, key) {
        form::typed(model, key);
    }
}

/// Pasted text, with its line ends made `\n`: to the open overlay's box, the filter or a text
/// field, whichever comes first.
fn paste(model: &mut Model, text: String) {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    if model.overlay.is_some() {
        overlays::paste(model, &text);
    } else if model.filter_active {
        model.filter.push_str(&text.replace('\n', " "));
    } else {
        form::paste(model, text);
    }
}

/// A click: on what the last frame drew there.
fn click(model: &mut Model, column: u16, row: u16) {
    if model.overlay.is_some() {
        return;
    }
    let hit = model.frame.drawn.borrow().hit(column, row);
    match hit {
        Some(Hit::Entry(entry)) => {
            form::stop_editing(model);
            list::select_entry(model, entry);
            model.focus = Focus::List;
        }
        Some(Hit::Field(field)) => {
            form::stop_editing(model);
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
    use crate::bot::integration::Field;
    use crate::tui::model::{Entry, PreviewTab};
    use crate::workspace::journal::Entry as JournalEntry;
    use crate::workspace::sidecar::Sidecar;
    use ratatui::crossterm::event::KeyCode;
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
    fn a_restored_journal_is_one_step_that_undoes_to_the_saved_file() {
        let mut model = recovering();
        let saved = model.doc.to_text();
        press(&mut model, 'r');
        assert!(model.is_modified());
        update(&mut model, Action::Command(Command::Undo));
        assert_eq!(model.status, "Undid: restore the unsaved edits");
        assert_eq!(model.doc.to_text(), saved);
        assert_eq!(model.current().unwrap().escalation.skill_name, "Sales");
        assert!(!model.is_modified());
        update(&mut model, Action::Command(Command::Redo));
        assert_eq!(model.current().unwrap().escalation.skill_name, "Support");
    }

    #[test]
    fn the_oldest_steps_go_past_a_thousand_and_the_saved_state_with_them() {
        let mut model = sample();
        for i in 0..1001 {
            let edit = crate::bot::edit::Edit::Field {
                integration: 0,
                field: Field::SkillName,
                value: format!("s{i}"),
            };
            model.apply(edit).unwrap();
        }
        assert_eq!(model.history.depth(), (1000, 0));
        while model.undo() {}
        assert_eq!(model.current().unwrap().escalation.skill_name, "s0");
        assert!(model.is_modified(), "the saved state is out of reach");
    }

    #[test]
    fn saving_with_nothing_to_save_writes_nothing() {
        let mut model = sample();
        assert_eq!(update(&mut model, Action::Command(Command::Save)), None);
        assert!(
            model.status.starts_with("Nothing to save"),
            "{}",
            model.status
        );
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
        update(&mut model, Action::Command(Command::AddIntegration));
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
        assert!(model.scenario.dropped);
        assert!(
            !model.scenario.agent_unavailable,
            "no Agent Id: it does not apply"
        );
        assert!(model.status.contains("does not apply"), "{}", model.status);
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
            model
                .preview_body_text()
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
        update(&mut model, Action::Command(Command::ApplyDelay));
        assert!(
            model.status.contains("already the recommended 0 ms"),
            "{}",
            model.status
        );
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
