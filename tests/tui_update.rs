//! `update` without a terminal: every command and input, applied to in-memory bots.

use std::path::PathBuf;

use escalator::bot::BotDocument;
use escalator::bot::edit::DEFAULT_MESSAGE;
use escalator::bot::integration::{Field, Integration, IntegrationKind};
use escalator::rules::Severity;
use escalator::tui::keymap::{Command, Context};
use escalator::tui::model::{
    Action, EditTarget, Effect, Entry, Focus, Model, Overlay, PreviewMode,
};
use escalator::tui::update::{action_for, update};
use escalator::tui::view;
use escalator::workspace::shipped::SAMPLE_BOT;
use escalator::workspace::sidecar::Sidecar;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;
use serde_json::{Value, json};

mod common;
use common::checked_from_scratch;

const ESCALATION_FIELDS: [Field; 10] = [
    Field::Name,
    Field::ResponseDataVariable,
    Field::IntegrationType,
    Field::SkillName,
    Field::SkillId,
    Field::AgentId,
    Field::TransferBotContext,
    Field::Message,
    Field::TransformScript,
    Field::CustomData,
];

const COMMON_FIELDS: [Field; 5] = [
    Field::Name,
    Field::ResponseDataVariable,
    Field::IntegrationType,
    Field::TransformScript,
    Field::CustomData,
];

// ---------------------------------------------------------------------------------------------
// Building models.

fn escalation(id: &str, name: &str, skill_id: &str) -> Value {
    json!({
        "id": id,
        "name": name,
        "responseDataVariable": name,
        "integrationType": "LIVEPERSON_AGENT_ESCALATION",
        "agentSkillName": "Support",
        "agentSkillId": skill_id,
        "agentId": "",
        "transferMessage": "Please wait.",
        "tangoContextEnabled": false,
        "customDataFields": []
    })
}

fn api(id: &str, name: &str) -> Value {
    json!({
        "id": id,
        "name": name,
        "responseDataVariable": name,
        "integrationType": "API",
        "customDataFields": []
    })
}

fn model_of(responders: Vec<Value>) -> Model {
    let text = serde_json::to_string_pretty(&json!({
        "bot": {"id": "bot-1", "name": "Test bot"},
        "responder": responders,
        "conversationMessage": [],
        "groups": []
    }))
    .unwrap();
    let doc = BotDocument::from_bytes(text.as_bytes()).expect("the test bot loads");
    Model::new(doc, Sidecar::default(), PathBuf::from("bot.json"))
}

/// Three escalations (Alpha, Beta, Gamma) and one API integration (Weather).
fn model() -> Model {
    model_of(vec![
        escalation("r1", "Alpha", "12"),
        escalation("r2", "Beta", "34"),
        escalation("r3", "Gamma", "56"),
        api("r4", "Weather"),
    ])
}

fn one_escalation() -> Model {
    model_of(vec![escalation("r1", "Alpha", "12")])
}

fn with_rows(rows: &[(&str, &str)]) -> Model {
    let mut entry = escalation("r1", "Alpha", "12");
    entry["customDataFields"] = rows
        .iter()
        .map(|(k, v)| json!({"key": k, "value": v}))
        .collect();
    model_of(vec![entry])
}

// ---------------------------------------------------------------------------------------------
// Driving it.

fn cmd(model: &mut Model, command: Command) -> Option<Effect> {
    update(model, Action::Command(command))
}

/// A key press through the keymap, as the run loop does it.
fn press_with(model: &mut Model, code: KeyCode, modifiers: KeyModifiers) -> Option<Effect> {
    let event = Event::Key(KeyEvent::new(code, modifiers));
    let action = action_for(model, event).expect("a key press is an action");
    update(model, action)
}

/// The integrations the list shows, by index.
fn visible(model: &Model) -> Vec<usize> {
    model
        .entries()
        .iter()
        .filter_map(|e| match e {
            Entry::Integration(i) => Some(*i),
            _ => None,
        })
        .collect()
}

fn press(model: &mut Model, code: KeyCode) -> Option<Effect> {
    press_with(model, code, KeyModifiers::NONE)
}

fn ctrl(model: &mut Model, c: char) -> Option<Effect> {
    press_with(model, KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn type_text(model: &mut Model, text: &str) {
    for c in text.chars() {
        assert_eq!(press(model, KeyCode::Char(c)), None);
    }
}

/// A key straight to `update`, bypassing the keymap.
fn raw_key(model: &mut Model, code: KeyCode) -> Option<Effect> {
    update(model, Action::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn current(model: &Model) -> Integration {
    model
        .current()
        .cloned()
        .expect("an integration is selected")
}

fn in_doc(model: &Model, index: usize) -> Integration {
    model
        .doc
        .integration(index)
        .expect("the integration exists")
}

fn focus_field(model: &mut Model, field: Field) {
    cmd(model, Command::FocusList);
    for _ in 0..12 {
        if model.focus == Focus::Field(field) {
            return;
        }
        cmd(model, Command::NextField);
    }
    panic!("{field:?} is not in the form");
}

fn edit_field(model: &mut Model, field: Field) {
    focus_field(model, field);
    cmd(model, Command::Activate);
    assert_eq!(editing_target(model), Some(EditTarget::Field(field)));
}

fn editing_target(model: &Model) -> Option<EditTarget> {
    model.editing.as_ref().map(|e| e.target)
}

fn names(model: &Model) -> Vec<String> {
    model.integrations.iter().map(|i| i.name.clone()).collect()
}

fn skill_id_errors(model: &Model) -> usize {
    model
        .diagnostics()
        .filter(|d| d.field == Some(Field::SkillId) && d.severity == Severity::Error)
        .count()
}

// ---------------------------------------------------------------------------------------------
// Events to actions.

#[test]
fn key_releases_and_repeats_are_ignored_presses_are_not() {
    let model = model();
    let down = |kind| {
        Event::Key(KeyEvent::new_with_kind(
            KeyCode::Down,
            KeyModifiers::NONE,
            kind,
        ))
    };
    assert_eq!(action_for(&model, down(KeyEventKind::Release)), None);
    assert_eq!(action_for(&model, down(KeyEventKind::Repeat)), None);
    assert_eq!(
        action_for(&model, down(KeyEventKind::Press)),
        Some(Action::Command(Command::Down))
    );
}

#[test]
fn keys_map_through_the_context_and_unbound_keys_become_key_actions() {
    let mut model = model();
    let q = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
    assert_eq!(action_for(&model, Event::Key(q)), Some(Action::Key(q)));
    assert_eq!(
        action_for(
            &model,
            Event::Key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL))
        ),
        Some(Action::Command(Command::Quit))
    );
    assert_eq!(
        action_for(&model, Event::Paste("hi".into())),
        Some(Action::Paste("hi".into()))
    );
    assert_eq!(
        action_for(&model, Event::Resize(90, 30)),
        Some(Action::Resize(90, 30))
    );
    // In the form, Down is the next field; in the list, the next integration.
    cmd(&mut model, Command::NextField);
    assert_eq!(model.context(), Context::Form);
    assert_eq!(
        action_for(
            &model,
            Event::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE))
        ),
        Some(Action::Command(Command::NextField))
    );
}

#[test]
fn a_released_key_changes_nothing() {
    let mut model = model();
    edit_field(&mut model, Field::Name);
    let release = Event::Key(KeyEvent::new_with_kind(
        KeyCode::Char('z'),
        KeyModifiers::NONE,
        KeyEventKind::Release,
    ));
    assert_eq!(action_for(&model, release), None);
    assert_eq!(current(&model).name, "Alpha");
}

// ---------------------------------------------------------------------------------------------
// Focus.

#[test]
fn tab_cycles_from_the_list_through_every_field_in_the_page_order_and_back() {
    let mut model = model();
    assert_eq!(model.focus, Focus::List);
    assert_eq!(model.fields(), ESCALATION_FIELDS);
    let mut seen = Vec::new();
    for _ in 0..ESCALATION_FIELDS.len() {
        assert_eq!(press(&mut model, KeyCode::Tab), None);
        match model.focus {
            Focus::Field(f) => seen.push(f),
            Focus::List => panic!("back at the list too early"),
        }
    }
    assert_eq!(seen, ESCALATION_FIELDS);
    press(&mut model, KeyCode::Tab);
    assert_eq!(model.focus, Focus::List);
}

#[test]
fn shift_tab_cycles_backwards() {
    let mut model = model();
    press_with(&mut model, KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(model.focus, Focus::Field(Field::CustomData));
    let mut seen = vec![Field::CustomData];
    for _ in 1..ESCALATION_FIELDS.len() {
        press_with(&mut model, KeyCode::BackTab, KeyModifiers::SHIFT);
        let Focus::Field(f) = model.focus else {
            panic!("back at the list too early")
        };
        seen.push(f);
    }
    seen.reverse();
    assert_eq!(seen, ESCALATION_FIELDS);
    press_with(&mut model, KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(model.focus, Focus::List);
}

#[test]
fn an_api_integration_shows_only_the_common_fields() {
    let mut model = model();
    model.selected = 3;
    assert_eq!(current(&model).kind, IntegrationKind::Api);
    assert_eq!(model.fields(), COMMON_FIELDS);
    let mut seen = Vec::new();
    loop {
        cmd(&mut model, Command::NextField);
        match model.focus {
            Focus::Field(f) => seen.push(f),
            Focus::List => break,
        }
    }
    assert_eq!(seen, COMMON_FIELDS);
}

#[test]
fn enter_on_the_list_opens_the_form_and_esc_goes_back() {
    let mut model = model();
    press(&mut model, KeyCode::Enter);
    assert_eq!(model.focus, Focus::Field(Field::Name));
    assert!(model.editing.is_none());
    press(&mut model, KeyCode::Esc);
    assert_eq!(model.focus, Focus::List);
}

#[test]
fn up_and_down_in_the_form_move_between_fields() {
    let mut model = model();
    focus_field(&mut model, Field::SkillName);
    press(&mut model, KeyCode::Down);
    assert_eq!(model.focus, Focus::Field(Field::SkillId));
    press(&mut model, KeyCode::Up);
    press(&mut model, KeyCode::Up);
    assert_eq!(model.focus, Focus::Field(Field::IntegrationType));
}

// ---------------------------------------------------------------------------------------------
// The list and its filter.

#[test]
fn up_and_down_in_the_list_move_the_selection_and_stop_at_the_ends() {
    let mut model = model();
    assert_eq!(model.selected, 0);
    press(&mut model, KeyCode::Down);
    assert_eq!(model.selected, 1);
    press(&mut model, KeyCode::Char('j'));
    assert_eq!(model.selected, 2);
    press(&mut model, KeyCode::Down);
    press(&mut model, KeyCode::Down);
    assert_eq!(model.selected, 3, "stops at the last");
    press(&mut model, KeyCode::Up);
    assert_eq!(model.selected, 2);
    press(&mut model, KeyCode::Char('k'));
    press(&mut model, KeyCode::Up);
    press(&mut model, KeyCode::Up);
    assert_eq!(model.selected, 0, "stops at the first");
}

#[test]
fn moving_the_selection_resets_the_preview_scroll() {
    let mut model = model();
    cmd(&mut model, Command::PreviewDown);
    assert_eq!(model.preview_scroll, 10);
    cmd(&mut model, Command::Down);
    assert_eq!(model.preview_scroll, 0);
}

#[test]
fn the_filter_narrows_the_list_and_up_down_respect_it() {
    let mut model = model_of(vec![
        escalation("r1", "Alpha", "1"),
        escalation("r2", "Beta", "2"),
        escalation("r3", "AlphaTwo", "3"),
        escalation("r4", "Gamma", "4"),
    ]);
    press(&mut model, KeyCode::Char('/'));
    assert!(model.filter_active);
    assert_eq!(model.context(), Context::Filter);
    type_text(&mut model, "ALPHX");
    assert_eq!(model.filter, "ALPHX");
    assert!(visible(&model).is_empty());
    press(&mut model, KeyCode::Backspace);
    assert_eq!(model.filter, "ALPH");
    assert_eq!(visible(&model), [0, 2], "case-insensitive");
    // Enter keeps the filter.
    press(&mut model, KeyCode::Enter);
    assert!(!model.filter_active);
    assert_eq!(model.filter, "ALPH");
    assert_eq!(model.selected, 0);
    press(&mut model, KeyCode::Down);
    assert_eq!(model.selected, 2, "Beta is skipped");
    press(&mut model, KeyCode::Down);
    assert_eq!(model.selected, 2, "Gamma is filtered out");
    press(&mut model, KeyCode::Up);
    assert_eq!(model.selected, 0);
    // Esc clears it.
    press(&mut model, KeyCode::Char('/'));
    press(&mut model, KeyCode::Esc);
    assert!(!model.filter_active);
    assert!(model.filter.is_empty());
    assert_eq!(visible(&model), [0, 1, 2, 3]);
    press(&mut model, KeyCode::Down);
    assert_eq!(model.selected, 1);
}

#[test]
fn typing_a_filter_selects_the_first_match_when_the_selection_is_hidden() {
    let mut model = model();
    model.selected = 1; // Beta
    press(&mut model, KeyCode::Char('/'));
    type_text(&mut model, "gam");
    assert_eq!(model.selected, 2);
    assert_eq!(current(&model).name, "Gamma");
}

#[test]
fn list_keys_are_typed_into_the_filter_not_run() {
    let mut model = model();
    press(&mut model, KeyCode::Char('/'));
    type_text(&mut model, "nd/");
    assert_eq!(model.filter, "nd/");
    assert_eq!(
        model.integrations.len(),
        4,
        "n did not add, d did not duplicate"
    );
}

// ---------------------------------------------------------------------------------------------
// Typing in text fields.

#[test]
fn enter_on_a_text_field_starts_editing_and_every_keystroke_reaches_the_document() {
    let mut model = model();
    focus_field(&mut model, Field::SkillName);
    press(&mut model, KeyCode::Enter);
    assert_eq!(model.context(), Context::Editing);
    assert_eq!(
        editing_target(&model),
        Some(EditTarget::Field(Field::SkillName))
    );
    assert!(!model.is_modified());
    press(&mut model, KeyCode::Char('!'));
    assert_eq!(in_doc(&model, 0).escalation.skill_name, "Support!");
    assert_eq!(current(&model).escalation.skill_name, "Support!");
    assert!(model.is_modified());
    type_text(&mut model, "?x");
    press(&mut model, KeyCode::Backspace);
    assert_eq!(in_doc(&model, 0).escalation.skill_name, "Support!?");
}

#[test]
fn a_non_numeric_skill_id_gets_an_error_diagnostic_while_typing() {
    let mut model = model();
    assert_eq!(skill_id_errors(&model), 0);
    edit_field(&mut model, Field::SkillId);
    type_text(&mut model, "x");
    assert_eq!(in_doc(&model, 0).escalation.skill_id, "12x");
    assert_eq!(skill_id_errors(&model), 1);
    let error = model
        .diagnostics()
        .find(|d| d.field == Some(Field::SkillId) && d.severity == Severity::Error)
        .unwrap();
    assert_eq!(error.integration.as_deref(), Some("Alpha"));
    assert!(error.message.contains("12x"), "{}", error.message);
    press(&mut model, KeyCode::Backspace);
    assert_eq!(skill_id_errors(&model), 0);
}

#[test]
fn esc_leaves_the_field_and_keeps_the_text() {
    let mut model = model();
    edit_field(&mut model, Field::Name);
    type_text(&mut model, "X");
    press(&mut model, KeyCode::Esc);
    assert!(model.editing.is_none());
    assert_eq!(model.focus, Focus::Field(Field::Name));
    assert_eq!(model.context(), Context::Form);
    assert_eq!(in_doc(&model, 0).name, "AlphaX");
    assert_eq!(current(&model).name, "AlphaX");
}

#[test]
fn enter_finishes_a_single_line_field() {
    let mut model = model();
    edit_field(&mut model, Field::AgentId);
    type_text(&mut model, "123.456");
    press(&mut model, KeyCode::Enter);
    assert!(model.editing.is_none());
    assert_eq!(model.focus, Focus::Field(Field::AgentId));
    assert_eq!(in_doc(&model, 0).escalation.agent_id, "123.456");
}

#[test]
fn enter_in_message_to_user_inserts_a_newline() {
    let mut model = model();
    edit_field(&mut model, Field::Message);
    press(&mut model, KeyCode::Enter);
    type_text(&mut model, "Bye");
    assert!(model.editing.is_some(), "still editing");
    assert_eq!(in_doc(&model, 0).escalation.message, "Please wait.\nBye");
    press(&mut model, KeyCode::Esc);
    assert!(model.editing.is_none());
    assert_eq!(current(&model).escalation.message, "Please wait.\nBye");
}

#[test]
fn undo_and_redo_while_editing_change_the_document() {
    let mut model = model();
    edit_field(&mut model, Field::Name);
    type_text(&mut model, "XY");
    assert_eq!(in_doc(&model, 0).name, "AlphaXY");
    ctrl(&mut model, 'z');
    assert_eq!(in_doc(&model, 0).name, "AlphaX");
    cmd(&mut model, Command::Undo);
    assert_eq!(in_doc(&model, 0).name, "Alpha");
    ctrl(&mut model, 'r');
    assert_eq!(in_doc(&model, 0).name, "AlphaX");
    cmd(&mut model, Command::Redo);
    assert_eq!(current(&model).name, "AlphaXY");
}

#[test]
fn ctrl_z_outside_a_field_undoes_the_typing_in_it_as_one_step_and_ctrl_y_redoes_it() {
    let mut model = model();
    let read = model.doc.to_text();
    edit_field(&mut model, Field::Name);
    type_text(&mut model, "XY");
    press(&mut model, KeyCode::Esc);
    assert!(model.is_modified());
    ctrl(&mut model, 'z');
    assert_eq!(
        in_doc(&model, 0).name,
        "Alpha",
        "one step for the whole typing"
    );
    assert_eq!(model.status, "Undid: Integration Name of Alpha");
    assert_eq!(model.doc.to_text(), read);
    assert!(!model.is_modified(), "back at the saved state");
    ctrl(&mut model, 'y');
    assert_eq!(in_doc(&model, 0).name, "AlphaXY");
    assert!(model.status.starts_with("Redid: "), "{}", model.status);
    assert!(model.is_modified());
    ctrl(&mut model, 'z');
    ctrl(&mut model, 'r');
    assert_eq!(in_doc(&model, 0).name, "AlphaXY", "Ctrl-R redoes too");
}

#[test]
fn deleting_an_integration_is_undone_and_redone_in_place() {
    let mut model = model();
    let read = model.doc.to_text();
    press(&mut model, KeyCode::Down);
    press(&mut model, KeyCode::Delete);
    press(&mut model, KeyCode::Char('y'));
    assert_eq!(names(&model), ["Alpha", "Gamma", "Weather"]);
    press(&mut model, KeyCode::Down);
    ctrl(&mut model, 'z');
    assert_eq!(model.status, "Undid: delete Beta");
    assert_eq!(names(&model), ["Alpha", "Beta", "Gamma", "Weather"]);
    assert_eq!(current(&model).name, "Beta", "the restored one is selected");
    assert_eq!(model.doc.to_text(), read, "byte for byte");
    assert!(!model.is_modified());
    ctrl(&mut model, 'y');
    assert_eq!(names(&model), ["Alpha", "Gamma", "Weather"]);
    assert_eq!(checked_from_scratch(&model), model.report);
}

#[test]
fn every_kind_of_change_in_the_editor_is_one_step() {
    let mut model = model();
    let read = model.doc.to_text();
    let mut steps = 0;
    let mut step = |model: &mut Model, what: &dyn Fn(&mut Model)| {
        what(model);
        steps += 1;
        assert_eq!(model.history.depth(), (steps, 0), "{}", model.status);
    };
    step(&mut model, &|m| {
        ctrl(m, 'n');
    });
    step(&mut model, &|m| {
        cmd(m, Command::FocusList);
        press(m, KeyCode::Char('d'));
    });
    step(&mut model, &|m| {
        focus_field(m, Field::IntegrationType);
        press(m, KeyCode::Right);
        press(m, KeyCode::Char('y'));
    });
    step(&mut model, &|m| {
        focus_field(m, Field::CustomData);
        press(m, KeyCode::Enter);
        press(m, KeyCode::Char('+'));
        press(m, KeyCode::Esc);
    });
    step(&mut model, &|m| {
        edit_field(m, Field::Name);
        type_text(m, "Z");
        press(m, KeyCode::Tab);
    });
    step(&mut model, &|m| {
        cmd(m, Command::EditSampleContext);
        update(m, Action::Paste("skillId=42".into()));
        cmd(m, Command::Leave);
    });
    for _ in 0..steps {
        assert!(model.undo(), "{}", model.status);
    }
    assert_eq!(model.doc.to_text(), read);
    assert_eq!(model.sidecar, Sidecar::default());
    assert!(!model.is_modified());
    for _ in 0..steps {
        assert!(model.redo());
    }
    assert_eq!(model.sidecar.context.len(), 1);
    assert!(model.is_modified());
}

#[test]
fn typing_a_value_back_to_what_was_saved_clears_modified() {
    let mut model = model();
    edit_field(&mut model, Field::SkillId);
    type_text(&mut model, "9");
    assert!(model.is_modified());
    press(&mut model, KeyCode::Backspace);
    assert!(!model.is_modified(), "the field is as saved again");
    press(&mut model, KeyCode::Esc);
    edit_field(&mut model, Field::SkillId);
    type_text(&mut model, "7");
    press(&mut model, KeyCode::Esc);
    edit_field(&mut model, Field::SkillId);
    press(&mut model, KeyCode::Backspace);
    assert!(!model.is_modified(), "over two steps too");
}

#[test]
fn history_lives_through_a_save() {
    let mut model = model();
    edit_field(&mut model, Field::SkillId);
    type_text(&mut model, "9");
    press(&mut model, KeyCode::Esc);
    update(&mut model, Action::Saved(Ok(())));
    assert!(!model.is_modified());
    ctrl(&mut model, 'z');
    assert_eq!(in_doc(&model, 0).escalation.skill_id, "12");
    assert!(model.is_modified(), "the saved file has the 9");
    ctrl(&mut model, 'y');
    assert!(!model.is_modified());
    // Undone past the save and then changed otherwise: the saved state is out of reach.
    ctrl(&mut model, 'z');
    edit_field(&mut model, Field::AgentId);
    type_text(&mut model, "5");
    press(&mut model, KeyCode::Esc);
    assert!(model.is_modified());
    assert_eq!(model.history.depth(), (1, 0));
}

#[test]
fn nothing_to_undo_says_so() {
    let mut model = model();
    ctrl(&mut model, 'z');
    assert_eq!(model.status, "Nothing to undo");
    ctrl(&mut model, 'y');
    assert_eq!(model.status, "Nothing to redo");
}

#[test]
fn up_and_down_while_editing_a_single_line_field_move_to_the_adjacent_field() {
    let mut model = model();
    edit_field(&mut model, Field::SkillId);
    type_text(&mut model, "9");
    press(&mut model, KeyCode::Down);
    assert!(model.editing.is_none());
    assert_eq!(model.focus, Focus::Field(Field::AgentId));
    assert_eq!(in_doc(&model, 0).escalation.skill_id, "129");
    edit_field(&mut model, Field::SkillId);
    press(&mut model, KeyCode::Up);
    assert!(model.editing.is_none());
    assert_eq!(model.focus, Focus::Field(Field::SkillName));
}

#[test]
fn up_and_down_in_a_multiline_field_move_the_cursor() {
    let mut model = model();
    edit_field(&mut model, Field::Message);
    press(&mut model, KeyCode::Enter);
    type_text(&mut model, "b");
    press(&mut model, KeyCode::Up);
    assert_eq!(
        editing_target(&model),
        Some(EditTarget::Field(Field::Message))
    );
    type_text(&mut model, "a");
    // The cursor keeps its column (1) on the line above.
    assert_eq!(in_doc(&model, 0).escalation.message, "Palease wait.\nb");
}

#[test]
fn tab_while_editing_leaves_the_field_keeping_the_text() {
    let mut model = model();
    edit_field(&mut model, Field::SkillName);
    type_text(&mut model, "2");
    press(&mut model, KeyCode::Tab);
    assert!(model.editing.is_none());
    assert_eq!(model.focus, Focus::Field(Field::SkillId));
    assert_eq!(in_doc(&model, 0).escalation.skill_name, "Support2");
}

#[test]
fn typing_a_character_on_a_focused_text_field_starts_editing_it() {
    let mut model = model();
    focus_field(&mut model, Field::SkillName);
    type_text(&mut model, "abc");
    assert_eq!(
        editing_target(&model),
        Some(EditTarget::Field(Field::SkillName))
    );
    assert_eq!(in_doc(&model, 0).escalation.skill_name, "Supportabc");
    press(&mut model, KeyCode::Esc);
    // Not on a checkbox or the type, not on the list.
    focus_field(&mut model, Field::TransferBotContext);
    type_text(&mut model, "x");
    assert!(model.editing.is_none());
    focus_field(&mut model, Field::IntegrationType);
    type_text(&mut model, "x");
    assert!(model.editing.is_none());
    assert_eq!(current(&model).kind, IntegrationKind::AgentEscalation);
}

#[test]
fn typed_keys_without_a_focused_text_field_change_nothing() {
    let mut model = model();
    cmd(&mut model, Command::FocusList);
    raw_key(&mut model, KeyCode::Char('z'));
    assert!(!model.is_modified());
    assert_eq!(model.focus, Focus::List);
}

// ---------------------------------------------------------------------------------------------
// Checkbox and select.

#[test]
fn space_and_enter_toggle_transfer_bot_context() {
    let mut model = model();
    focus_field(&mut model, Field::TransferBotContext);
    press(&mut model, KeyCode::Char(' '));
    assert!(in_doc(&model, 0).escalation.transfer_bot_context);
    assert!(current(&model).escalation.transfer_bot_context);
    press(&mut model, KeyCode::Enter);
    assert!(!in_doc(&model, 0).escalation.transfer_bot_context);
    assert!(model.editing.is_none(), "a checkbox is not typed in");
    cmd(&mut model, Command::Toggle);
    assert!(current(&model).escalation.transfer_bot_context);
}

#[test]
fn space_elsewhere_does_not_toggle() {
    let mut model = model();
    focus_field(&mut model, Field::SkillName);
    press(&mut model, KeyCode::Char(' '));
    assert!(!current(&model).escalation.transfer_bot_context);
    // On a text field a space is typed, as any character.
    assert_eq!(in_doc(&model, 0).escalation.skill_name, "Support ");
}

#[test]
fn left_and_right_cycle_the_integration_type() {
    let mut model = model();
    focus_field(&mut model, Field::IntegrationType);
    assert_eq!(current(&model).kind, IntegrationKind::AgentEscalation);
    press(&mut model, KeyCode::Right);
    // Functions has no skill, message…: the values would go, so it asks first.
    assert_eq!(model.overlay, Some(Overlay::ConfirmType(2)));
    assert_eq!(model.context(), Context::ConfirmType);
    press(&mut model, KeyCode::Char('n'));
    assert_eq!(current(&model).kind, IntegrationKind::AgentEscalation);
    assert!(!model.is_modified());
    press(&mut model, KeyCode::Right);
    press(&mut model, KeyCode::Char('y'));
    assert_eq!(current(&model).kind, IntegrationKind::Functions);
    assert_eq!(
        model.doc.root()["responder"][0]["integrationType"],
        json!("FAAS")
    );
    assert_eq!(model.fields(), COMMON_FIELDS);
    press(&mut model, KeyCode::Left);
    assert_eq!(model.overlay, None, "nothing is lost: no question");
    press(&mut model, KeyCode::Left);
    press(&mut model, KeyCode::Char('y'));
    assert_eq!(current(&model).kind, IntegrationKind::Api);
    press(&mut model, KeyCode::Left);
    assert_eq!(
        current(&model).kind,
        IntegrationKind::Api,
        "stops at the first"
    );
    cmd(&mut model, Command::Right);
    assert_eq!(current(&model).kind, IntegrationKind::AgentEscalation);
    assert_eq!(model.focus, Focus::Field(Field::IntegrationType));
}

#[test]
fn left_and_right_on_other_fields_do_not_change_the_type() {
    let mut model = model();
    focus_field(&mut model, Field::SkillName);
    cmd(&mut model, Command::Right);
    cmd(&mut model, Command::Left);
    assert_eq!(current(&model).kind, IntegrationKind::AgentEscalation);
    assert!(!model.is_modified());
}

#[test]
fn enter_on_the_type_opens_the_choices_and_down_enter_picks_one() {
    let mut model = model();
    focus_field(&mut model, Field::IntegrationType);
    press(&mut model, KeyCode::Enter);
    // Agent Escalation is the second choice.
    assert_eq!(model.overlay, Some(Overlay::SelectType(1)));
    assert_eq!(model.context(), Context::Select);
    press(&mut model, KeyCode::Down);
    assert_eq!(model.overlay, Some(Overlay::SelectType(2)));
    press(&mut model, KeyCode::Enter);
    assert_eq!(model.overlay, Some(Overlay::ConfirmType(2)));
    press(&mut model, KeyCode::Char('y'));
    assert_eq!(model.overlay, None);
    assert_eq!(current(&model).kind, IntegrationKind::Functions);
    assert_eq!(model.fields(), COMMON_FIELDS);
}

#[test]
fn the_type_choices_stop_at_both_ends_and_esc_closes_them_unchanged() {
    let mut model = model();
    focus_field(&mut model, Field::IntegrationType);
    cmd(&mut model, Command::Activate);
    for _ in 0..10 {
        press(&mut model, KeyCode::Down);
    }
    assert_eq!(
        model.overlay,
        Some(Overlay::SelectType(IntegrationKind::CHOICES.len() - 1))
    );
    for _ in 0..10 {
        press(&mut model, KeyCode::Up);
    }
    assert_eq!(model.overlay, Some(Overlay::SelectType(0)));
    press(&mut model, KeyCode::Esc);
    assert_eq!(model.overlay, None);
    assert_eq!(current(&model).kind, IntegrationKind::AgentEscalation);
    assert!(!model.is_modified());
}

#[test]
fn choosing_api_drops_the_escalation_fields_from_the_form() {
    let mut model = model();
    focus_field(&mut model, Field::IntegrationType);
    cmd(&mut model, Command::Activate);
    cmd(&mut model, Command::Up);
    cmd(&mut model, Command::Activate);
    cmd(&mut model, Command::ConfirmYes);
    assert_eq!(current(&model).kind, IntegrationKind::Api);
    assert_eq!(model.fields(), COMMON_FIELDS);
    assert_eq!(model.focus, Focus::Field(Field::IntegrationType));
    cmd(&mut model, Command::NextField);
    assert_eq!(model.focus, Focus::Field(Field::TransformScript));
}

#[test]
fn a_type_change_moves_focus_off_a_field_the_new_type_lacks() {
    let mut model = model();
    focus_field(&mut model, Field::SkillId);
    update(
        &mut model,
        Action::EditorDone(Field::IntegrationType, Ok("API".into())),
    );
    assert_eq!(current(&model).kind, IntegrationKind::Api);
    assert_eq!(model.focus, Focus::Field(Field::IntegrationType));
}

// ---------------------------------------------------------------------------------------------
// Custom Data Fields.

#[test]
fn the_custom_data_table_adds_types_removes_and_reorders_rows() {
    let mut model = one_escalation();
    focus_field(&mut model, Field::CustomData);
    press(&mut model, KeyCode::Enter);
    assert!(model.table_active);
    assert_eq!(model.context(), Context::Table);
    assert!(model.status.contains("No rows yet"), "{}", model.status);

    press(&mut model, KeyCode::Char('+'));
    assert_eq!(
        editing_target(&model),
        Some(EditTarget::Cell { row: 0, column: 0 })
    );
    type_text(&mut model, "city");
    assert_eq!(in_doc(&model, 0).custom_data[0].key, "city");
    press(&mut model, KeyCode::Enter);
    assert!(model.editing.is_none());
    assert!(model.table_active);

    // The value cell.
    press(&mut model, KeyCode::Right);
    assert_eq!(model.table_column, 1);
    press(&mut model, KeyCode::Enter);
    assert_eq!(
        editing_target(&model),
        Some(EditTarget::Cell { row: 0, column: 1 })
    );
    type_text(&mut model, "{$.api_Alpha.city}");
    press(&mut model, KeyCode::Esc);
    assert!(model.editing.is_none());
    assert!(model.table_active, "Esc in a cell stays in the table");
    assert_eq!(in_doc(&model, 0).custom_data[0].value, "{$.api_Alpha.city}");

    // A second row goes after the selected one.
    press(&mut model, KeyCode::Insert);
    assert_eq!(
        editing_target(&model),
        Some(EditTarget::Cell { row: 1, column: 0 })
    );
    assert_eq!(model.table_column, 0);
    type_text(&mut model, "zip");
    press(&mut model, KeyCode::Esc);
    let keys = |m: &Model| -> Vec<String> {
        in_doc(m, 0)
            .custom_data
            .iter()
            .map(|r| r.key.clone())
            .collect()
    };
    assert_eq!(keys(&model), ["city", "zip"]);
    assert_eq!(model.table_row, 1);

    press_with(&mut model, KeyCode::Up, KeyModifiers::ALT);
    assert_eq!(keys(&model), ["zip", "city"]);
    assert_eq!(model.table_row, 0);
    cmd(&mut model, Command::MoveRowUp);
    assert_eq!(keys(&model), ["zip", "city"], "the first row stays first");
    press_with(&mut model, KeyCode::Down, KeyModifiers::ALT);
    assert_eq!(keys(&model), ["city", "zip"]);
    assert_eq!(model.table_row, 1);
    cmd(&mut model, Command::MoveRowDown);
    assert_eq!(keys(&model), ["city", "zip"], "the last row stays last");

    press(&mut model, KeyCode::Char('-'));
    assert_eq!(keys(&model), ["city"]);
    assert_eq!(model.table_row, 0);
    assert_eq!(in_doc(&model, 0).custom_data[0].value, "{$.api_Alpha.city}");

    press(&mut model, KeyCode::Esc);
    assert!(!model.table_active);
    assert_eq!(model.focus, Focus::Field(Field::CustomData));
    assert_eq!(model.context(), Context::Form);
}

#[test]
fn up_and_down_in_the_table_move_the_row() {
    let mut model = with_rows(&[("a", "1"), ("b", "2"), ("c", "3")]);
    focus_field(&mut model, Field::CustomData);
    cmd(&mut model, Command::Activate);
    press(&mut model, KeyCode::Down);
    press(&mut model, KeyCode::Down);
    press(&mut model, KeyCode::Down);
    assert_eq!(model.table_row, 2);
    press(&mut model, KeyCode::Up);
    assert_eq!(model.table_row, 1);
    press(&mut model, KeyCode::Delete);
    let keys: Vec<_> = in_doc(&model, 0)
        .custom_data
        .into_iter()
        .map(|r| r.key)
        .collect();
    assert_eq!(keys, ["a", "c"]);
    assert_eq!(model.focus, Focus::Field(Field::CustomData));
}

#[test]
fn enter_on_a_row_edits_its_cell() {
    let mut model = with_rows(&[("a", "1"), ("b", "2")]);
    focus_field(&mut model, Field::CustomData);
    cmd(&mut model, Command::Activate);
    cmd(&mut model, Command::Down);
    cmd(&mut model, Command::Activate);
    assert_eq!(
        editing_target(&model),
        Some(EditTarget::Cell { row: 1, column: 0 })
    );
    type_text(&mut model, "x");
    assert_eq!(in_doc(&model, 0).custom_data[1].key, "bx");
    assert_eq!(in_doc(&model, 0).custom_data[0].key, "a");
}

#[test]
fn removing_the_last_row_leaves_an_empty_table() {
    let mut model = with_rows(&[("a", "1")]);
    focus_field(&mut model, Field::CustomData);
    cmd(&mut model, Command::Activate);
    cmd(&mut model, Command::RemoveRow);
    assert!(in_doc(&model, 0).custom_data.is_empty());
    assert_eq!(model.table_row, 0);
    cmd(&mut model, Command::RemoveRow);
    assert!(in_doc(&model, 0).custom_data.is_empty());
}

#[test]
fn tab_goes_key_value_next_row_then_out_of_the_table() {
    let mut model = with_rows(&[("a", "1"), ("b", "2")]);
    focus_field(&mut model, Field::CustomData);
    cmd(&mut model, Command::Activate);
    press(&mut model, KeyCode::Tab);
    assert_eq!((model.table_row, model.table_column), (0, 1));
    // Typing in a cell goes on in the next one.
    press(&mut model, KeyCode::Enter);
    type_text(&mut model, "0");
    press(&mut model, KeyCode::Tab);
    assert_eq!((model.table_row, model.table_column), (1, 0));
    assert_eq!(
        editing_target(&model),
        Some(EditTarget::Cell { row: 1, column: 0 })
    );
    assert_eq!(in_doc(&model, 0).custom_data[0].value, "10");
    press(&mut model, KeyCode::BackTab);
    assert_eq!((model.table_row, model.table_column), (0, 1));
    press(&mut model, KeyCode::Esc);
    press(&mut model, KeyCode::Tab);
    press(&mut model, KeyCode::Tab);
    press(&mut model, KeyCode::Tab);
    assert!(!model.table_active);
    assert_eq!(model.focus, Focus::List);
}

// ---------------------------------------------------------------------------------------------
// Adding, duplicating and deleting integrations.

#[test]
fn ctrl_n_adds_an_escalation_with_the_default_message_and_selects_it() {
    let mut model = model();
    assert_eq!(ctrl(&mut model, 'n'), None);
    assert_eq!(model.integrations.len(), 5);
    assert_eq!(model.selected, 4);
    let added = current(&model);
    assert_eq!(added.kind, IntegrationKind::AgentEscalation);
    assert_eq!(added.escalation.message, DEFAULT_MESSAGE);
    assert_eq!(
        added.escalation.message,
        "Hold on while I connect you with an agent."
    );
    assert_eq!(added.name, "AgentEscalation");
    assert_eq!(model.focus, Focus::Field(Field::Name));
    assert!(model.is_modified());
    assert!(model.status.contains("AgentEscalation"), "{}", model.status);
}

#[test]
fn adding_twice_gives_unique_names_and_n_in_the_list_adds_too() {
    let mut model = model();
    cmd(&mut model, Command::AddIntegration);
    cmd(&mut model, Command::FocusList);
    press(&mut model, KeyCode::Char('n'));
    assert_eq!(model.selected, 5);
    assert_eq!(current(&model).name, "AgentEscalation2");
}

#[test]
fn adding_while_editing_keeps_the_typed_text_and_clears_the_filter() {
    let mut model = model();
    edit_field(&mut model, Field::Name);
    type_text(&mut model, "Z");
    cmd(&mut model, Command::AddIntegration);
    assert!(model.editing.is_none());
    assert_eq!(in_doc(&model, 0).name, "AlphaZ");
    model.filter = "gamma".into();
    cmd(&mut model, Command::AddIntegration);
    assert!(model.filter.is_empty());
    assert!(visible(&model).contains(&model.selected));
}

#[test]
fn duplicate_copies_the_selected_integration_after_it() {
    let mut model = model();
    model.selected = 1;
    press(&mut model, KeyCode::Char('d'));
    assert_eq!(
        names(&model),
        ["Alpha", "Beta", "Beta2", "Gamma", "Weather"]
    );
    assert_eq!(model.selected, 2);
    let copy = current(&model);
    assert_eq!(copy.response_data_variable, "Beta2");
    assert_eq!(copy.escalation.skill_id, "34");
    assert_ne!(copy.id, in_doc(&model, 1).id);
    assert_eq!(model.focus, Focus::Field(Field::Name));
}

#[test]
fn delete_asks_first_and_cancel_keeps_the_integration() {
    let mut model = model();
    model.selected = 1;
    press(&mut model, KeyCode::Delete);
    assert_eq!(model.overlay, Some(Overlay::ConfirmDelete(1)));
    assert_eq!(model.context(), Context::ConfirmDelete);
    press(&mut model, KeyCode::Char('n'));
    assert_eq!(model.overlay, None);
    assert_eq!(model.integrations.len(), 4);
    cmd(&mut model, Command::DeleteIntegration);
    cmd(&mut model, Command::Cancel);
    assert_eq!(model.overlay, None);
    assert_eq!(model.integrations.len(), 4);
    assert!(!model.is_modified());
}

#[test]
fn confirming_the_delete_removes_the_integration() {
    let mut model = model();
    model.selected = 1;
    cmd(&mut model, Command::DeleteIntegration);
    press(&mut model, KeyCode::Char('y'));
    assert_eq!(model.overlay, None);
    assert_eq!(names(&model), ["Alpha", "Gamma", "Weather"]);
    assert_eq!(model.focus, Focus::List);
    assert!(model.status.contains("Deleted Beta"), "{}", model.status);
    assert!(model.is_modified());
}

#[test]
fn deleting_the_last_integration_keeps_the_selection_in_range() {
    let mut model = one_escalation();
    cmd(&mut model, Command::DeleteIntegration);
    cmd(&mut model, Command::ConfirmYes);
    assert!(model.integrations.is_empty());
    assert!(model.current().is_none());
    assert!(model.fields().is_empty());
    assert_eq!(model.selected, 0);
    // Nothing to delete, duplicate or open now.
    cmd(&mut model, Command::DeleteIntegration);
    assert_eq!(model.overlay, None);
    cmd(&mut model, Command::DuplicateIntegration);
    assert!(model.integrations.is_empty());
    cmd(&mut model, Command::Activate);
    assert!(model.status.contains("Ctrl-N"), "{}", model.status);
    cmd(&mut model, Command::NextField);
    assert_eq!(model.focus, Focus::List);
    assert_eq!(cmd(&mut model, Command::CopyBody), None);
}

// ---------------------------------------------------------------------------------------------
// Quit and save.

#[test]
fn quit_without_changes_quits() {
    let mut model = model();
    assert_eq!(ctrl(&mut model, 'q'), Some(Effect::Quit));
    assert!(model.quit);
    assert_eq!(model.overlay, None);
}

#[test]
fn quit_with_changes_asks_and_cancel_keeps_running() {
    let mut model = model();
    edit_field(&mut model, Field::Name);
    type_text(&mut model, "!");
    assert_eq!(ctrl(&mut model, 'q'), None);
    assert!(model.editing.is_none(), "quitting leaves the field");
    assert_eq!(model.overlay, Some(Overlay::ConfirmQuit));
    assert!(!model.quit);
    assert_eq!(press(&mut model, KeyCode::Char('c')), None);
    assert_eq!(model.overlay, None);
    assert!(!model.quit);
    assert_eq!(in_doc(&model, 0).name, "Alpha!");
    cmd(&mut model, Command::Quit);
    assert_eq!(press(&mut model, KeyCode::Esc), None);
    assert_eq!(model.overlay, None);
    assert!(!model.quit);
}

#[test]
fn discard_and_quit_quits() {
    let mut model = model();
    cmd(&mut model, Command::AddIntegration);
    cmd(&mut model, Command::Quit);
    assert_eq!(model.overlay, Some(Overlay::ConfirmQuit));
    assert_eq!(press(&mut model, KeyCode::Char('d')), Some(Effect::Quit));
    assert!(model.quit);
}

#[test]
fn save_and_quit_saves_then_quits() {
    let mut model = model();
    cmd(&mut model, Command::AddIntegration);
    cmd(&mut model, Command::Quit);
    assert_eq!(
        press(&mut model, KeyCode::Char('s')),
        Some(Effect::Save {
            then_quit: true,
            overwrite: false
        })
    );
    assert_eq!(model.overlay, None);
    assert!(!model.quit, "the run loop quits once the save worked");
}

#[test]
fn the_quit_question_does_not_take_global_keys() {
    let mut model = model();
    cmd(&mut model, Command::AddIntegration);
    cmd(&mut model, Command::Quit);
    assert_eq!(ctrl(&mut model, 's'), None);
    assert_eq!(ctrl(&mut model, 'n'), None);
    assert_eq!(model.integrations.len(), 5);
    assert_eq!(model.overlay, Some(Overlay::ConfirmQuit));
}

#[test]
fn save_returns_the_save_effect_and_leaves_the_field() {
    let mut model = model();
    assert_eq!(cmd(&mut model, Command::Save), None, "nothing to save");
    ctrl(&mut model, 'n');
    assert_eq!(
        cmd(&mut model, Command::Save),
        Some(Effect::Save {
            then_quit: false,
            overwrite: false
        })
    );
    edit_field(&mut model, Field::Name);
    type_text(&mut model, "s");
    assert_eq!(
        ctrl(&mut model, 's'),
        Some(Effect::Save {
            then_quit: false,
            overwrite: false
        })
    );
    assert!(model.editing.is_none());
    assert!(!model.quit);
}

#[test]
fn a_failed_save_reports_the_error_and_cancels_the_quit() {
    let mut model = model();
    cmd(&mut model, Command::AddIntegration);
    cmd(&mut model, Command::Quit);
    assert_eq!(
        cmd(&mut model, Command::SaveAndQuit),
        Some(Effect::Save {
            then_quit: true,
            overwrite: false
        })
    );
    assert!(!model.quit, "the run loop quits once the save worked");
    let effect = update(&mut model, Action::Saved(Err("disk full".into())));
    assert_eq!(effect, None);
    assert!(!model.quit);
    assert!(model.status.contains("disk full"), "{}", model.status);
}

#[test]
fn a_failed_save_offers_save_as_retry_and_cancel() {
    let mut model = model();
    cmd(&mut model, Command::AddIntegration);
    let failed = Action::SaveFailed {
        why: "the disk is full".into(),
        then_quit: true,
    };
    assert_eq!(update(&mut model, failed), None);
    assert!(!model.quit);
    assert_eq!(model.overlay, Some(Overlay::SaveFailed { then_quit: true }));
    // Try again: the same save, still followed by quitting.
    assert_eq!(
        cmd(&mut model, Command::Save),
        Some(Effect::Save {
            then_quit: true,
            overwrite: false
        })
    );
    update(
        &mut model,
        Action::SaveFailed {
            why: "the disk is full".into(),
            then_quit: false,
        },
    );
    // Save as: a file name is asked for.
    cmd(&mut model, Command::SaveAs);
    assert!(matches!(model.overlay, Some(Overlay::SaveAs { .. })));
    cmd(&mut model, Command::Cancel);
    assert_eq!(model.overlay, None);
    assert!(model.is_modified(), "nothing was lost");
}

#[test]
fn quitting_after_a_failed_save_asks_twice_before_the_journal_goes() {
    let mut model = model();
    cmd(&mut model, Command::AddIntegration);
    update(
        &mut model,
        Action::SaveFailed {
            why: "permission denied".into(),
            then_quit: false,
        },
    );
    cmd(&mut model, Command::Cancel);
    cmd(&mut model, Command::Quit);
    assert_eq!(model.overlay, Some(Overlay::ConfirmQuit));
    assert_eq!(cmd(&mut model, Command::DiscardAndQuit), None);
    assert_eq!(
        model.overlay,
        Some(Overlay::ConfirmDiscard),
        "a second question"
    );
    assert!(!model.quit && !model.discard_on_quit);
    // Keep them: quit, the journal stays.
    assert_eq!(cmd(&mut model, Command::Quit), Some(Effect::Quit));
    assert!(model.quit && !model.discard_on_quit);

    let mut model = model_after_failed_save();
    cmd(&mut model, Command::Quit);
    cmd(&mut model, Command::DiscardAndQuit);
    assert_eq!(cmd(&mut model, Command::ConfirmYes), Some(Effect::Quit));
    assert!(model.quit && model.discard_on_quit);
}

fn model_after_failed_save() -> Model {
    let mut model = model();
    cmd(&mut model, Command::AddIntegration);
    update(
        &mut model,
        Action::SaveFailed {
            why: "x".into(),
            then_quit: false,
        },
    );
    cmd(&mut model, Command::Cancel);
    model
}

#[test]
fn a_read_only_file_is_marked_and_saving_it_asks_for_another_name() {
    let mut model = model();
    model.read_only = true;
    let screen = seen(&model);
    assert!(screen.contains("[read-only]"), "{screen}");
    assert_eq!(cmd(&mut model, Command::Save), None);
    assert!(matches!(
        model.overlay,
        Some(Overlay::SaveAs { then_quit: false })
    ));
    assert!(model.status.contains("read-only"), "{}", model.status);
}

#[test]
fn a_successful_save_says_so() {
    let mut model = model();
    assert_eq!(update(&mut model, Action::Saved(Ok(()))), None);
    assert!(model.status.contains("bot.json"), "{}", model.status);
}

// ---------------------------------------------------------------------------------------------
// Help.

#[test]
fn help_opens_scrolls_and_closes() {
    let mut model = model();
    press(&mut model, KeyCode::F(1));
    assert_eq!(model.overlay, Some(Overlay::Help));
    assert_eq!(model.context(), Context::Help);
    press(&mut model, KeyCode::Down);
    press(&mut model, KeyCode::Down);
    assert_eq!(model.help_scroll, 2);
    press(&mut model, KeyCode::Up);
    assert_eq!(model.help_scroll, 1);
    assert_eq!(model.selected, 0, "the list did not move");
    cmd(&mut model, Command::Cancel);
    assert_eq!(model.overlay, None);
    press(&mut model, KeyCode::Char('?'));
    assert_eq!(model.overlay, Some(Overlay::Help));
    assert_eq!(model.help_scroll, 0, "reopened at the top");
    press(&mut model, KeyCode::Char('q'));
    assert_eq!(model.overlay, None);
    assert!(!model.quit);
}

// ---------------------------------------------------------------------------------------------
// $EDITOR.

#[test]
fn open_editor_on_message_hands_its_text_to_the_run_loop() {
    let mut model = model();
    focus_field(&mut model, Field::Message);
    assert_eq!(ctrl(&mut model, 'x'), None);
    assert!(model.status.contains("Ctrl-E"), "{}", model.status);
    assert_eq!(
        ctrl(&mut model, 'e'),
        Some(Effect::OpenEditor {
            field: Field::Message,
            text: "Please wait.".into()
        })
    );
}

#[test]
fn open_editor_while_typing_includes_the_typed_text_and_leaves_the_field() {
    let mut model = model();
    edit_field(&mut model, Field::TransformScript);
    type_text(&mut model, "x;");
    ctrl(&mut model, 'x');
    assert_eq!(
        ctrl(&mut model, 'e'),
        Some(Effect::OpenEditor {
            field: Field::TransformScript,
            text: "x;".into()
        })
    );
    assert!(model.editing.is_none());
}

#[test]
fn open_editor_on_a_single_line_field_only_sets_a_status() {
    let mut model = model();
    focus_field(&mut model, Field::AgentId);
    model.status.clear();
    assert_eq!(cmd(&mut model, Command::OpenEditor), None);
    assert!(model.status.contains("Ctrl-E"), "{}", model.status);
    cmd(&mut model, Command::FocusList);
    assert_eq!(cmd(&mut model, Command::OpenEditor), None);
    assert!(!model.is_modified());
}

#[test]
fn the_editor_result_sets_the_field_or_reports_the_failure() {
    let mut model = model();
    update(
        &mut model,
        Action::EditorDone(Field::Message, Ok("Line one\nLine two".into())),
    );
    assert_eq!(in_doc(&model, 0).escalation.message, "Line one\nLine two");
    assert_eq!(current(&model).escalation.message, "Line one\nLine two");
    assert!(model.status.contains("Message to User"), "{}", model.status);
    update(
        &mut model,
        Action::EditorDone(Field::Message, Err("no $EDITOR".into())),
    );
    assert_eq!(current(&model).escalation.message, "Line one\nLine two");
    assert!(model.status.contains("no $EDITOR"), "{}", model.status);
}

// ---------------------------------------------------------------------------------------------
// The preview.

#[test]
fn copy_body_hands_the_transfer_body_to_the_clipboard() {
    let mut model = model();
    let Some(Effect::Copy(text)) = press(&mut model, KeyCode::Char('c')) else {
        panic!("no copy effect")
    };
    assert!(text.contains("\"agentSkillId\": \"12\""), "{text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["agentSkillName"], "Support");
    assert_eq!(Some(text), model.preview_body_text());
}

#[test]
fn copy_body_of_an_api_integration_copies_nothing() {
    let mut model = model();
    model.selected = 3;
    assert_eq!(cmd(&mut model, Command::CopyBody), None);
    assert!(model.status.contains("Nothing to copy"), "{}", model.status);
}

#[test]
fn the_preview_switches_between_configured_and_evaluated() {
    let mut model = model_of(vec![escalation("r1", "Alpha", "{$botContext.skillId}")]);
    model
        .sidecar
        .context
        .insert("botContext.skillId".into(), "77".into());
    model.refresh();
    assert_eq!(model.preview_mode, PreviewMode::Configured);
    let configured: Value = serde_json::from_str(&model.preview_body_text().unwrap()).unwrap();
    assert_eq!(configured["agentSkillId"], "{$botContext.skillId}");
    assert_eq!(configured["chatBotId"], "{$chatBotId}");

    ctrl(&mut model, 't');
    assert_eq!(model.preview_mode, PreviewMode::Evaluated);
    assert!(model.status.contains("evaluated"), "{}", model.status);
    let evaluated: Value = serde_json::from_str(&model.preview_body_text().unwrap()).unwrap();
    assert_eq!(evaluated["agentSkillId"], "77");
    assert_eq!(evaluated["chatBotId"], "bot-1");
    let Some(Effect::Copy(copied)) = cmd(&mut model, Command::CopyBody) else {
        panic!("no copy effect")
    };
    assert!(copied.contains("\"77\""), "{copied}");

    cmd(&mut model, Command::TogglePreviewMode);
    assert_eq!(model.preview_mode, PreviewMode::Configured);
}

#[test]
fn the_preview_follows_typing() {
    let mut model = model();
    edit_field(&mut model, Field::SkillId);
    type_text(&mut model, "3");
    let body: Value = serde_json::from_str(&model.preview_body_text().unwrap()).unwrap();
    assert_eq!(body["agentSkillId"], "123");
}

#[test]
fn page_up_and_down_scroll_the_preview() {
    let mut model = model();
    press(&mut model, KeyCode::PageDown);
    assert_eq!(model.preview_scroll, 10);
    cmd(&mut model, Command::PreviewDown);
    assert_eq!(model.preview_scroll, 20);
    press(&mut model, KeyCode::PageUp);
    assert_eq!(model.preview_scroll, 10);
    cmd(&mut model, Command::PreviewUp);
    cmd(&mut model, Command::PreviewUp);
    assert_eq!(model.preview_scroll, 0, "stops at the top");
}

// ---------------------------------------------------------------------------------------------
// The mouse.

/// Draws a frame at the model's size, as the user sees it (clicks are read against what the
/// last frame drew); returns the screen's text.
fn seen(model: &Model) -> String {
    let (w, h) = model.size;
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).expect("terminal");
    terminal
        .draw(|frame| view::view(model, frame))
        .expect("draw");
    terminal.backend().to_string()
}

fn list_row(model: &Model, index_in_list: u16) -> (u16, u16) {
    let areas = view::areas(Rect::new(0, 0, model.size.0, model.size.1)).expect("big enough");
    // Inside the border; two lines per integration.
    (areas.list.x + 2, areas.list.y + 1 + 2 * index_in_list)
}

fn mouse_down(column: u16, row: u16) -> Event {
    Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

#[test]
fn f2_turns_the_mouse_on_and_off() {
    let mut model = model();
    assert!(!model.mouse);
    assert_eq!(
        press(&mut model, KeyCode::F(2)),
        Some(Effect::SetMouse(true))
    );
    assert!(model.mouse);
    assert_eq!(
        cmd(&mut model, Command::ToggleMouse),
        Some(Effect::SetMouse(false))
    );
    assert!(!model.mouse);
}

#[test]
fn clicks_are_ignored_while_the_mouse_is_off() {
    let mut model = model();
    model.size = (120, 40);
    let (column, row) = list_row(&model, 2);
    assert_eq!(action_for(&model, mouse_down(column, row)), None);
    cmd(&mut model, Command::ToggleMouse);
    assert_eq!(
        action_for(&model, mouse_down(column, row)),
        Some(Action::Click { column, row })
    );
    let release = Event::Mouse(MouseEvent {
        kind: MouseEventKind::Up(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    });
    assert_eq!(action_for(&model, release), None);
}

#[test]
fn a_click_on_a_list_row_selects_that_integration() {
    let mut model = model();
    model.size = (120, 40);
    cmd(&mut model, Command::ToggleMouse);
    seen(&model);
    edit_field(&mut model, Field::Name);
    type_text(&mut model, "1");
    seen(&model);
    let (column, row) = list_row(&model, 2);
    let action = action_for(&model, mouse_down(column, row)).unwrap();
    assert_eq!(update(&mut model, action), None);
    assert_eq!(model.selected, 2);
    assert_eq!(current(&model).name, "Gamma");
    assert_eq!(model.focus, Focus::List);
    assert!(model.editing.is_none());
    assert_eq!(in_doc(&model, 0).name, "Alpha1", "the typed text stays");
    // The second line of a row is the same integration.
    update(
        &mut model,
        Action::Click {
            column,
            row: row - 1,
        },
    );
    assert_eq!(model.selected, 1);
}

#[test]
fn a_click_below_the_last_row_changes_nothing() {
    let mut model = model();
    model.size = (120, 40);
    cmd(&mut model, Command::ToggleMouse);
    seen(&model);
    let (column, row) = list_row(&model, 10);
    update(&mut model, Action::Click { column, row });
    assert_eq!(model.selected, 0);
    assert_eq!(model.focus, Focus::List);
}

#[test]
fn a_click_on_a_form_field_focuses_it() {
    let mut model = model();
    model.size = (120, 40);
    cmd(&mut model, Command::ToggleMouse);
    seen(&model);
    let areas = view::areas(Rect::new(0, 0, 120, 40)).unwrap();
    let form = areas.form;
    let items = escalator::tui::components::form::form_items(&model, form.width - 2);
    let skill_id = items.iter().find(|i| i.field == Field::SkillId).unwrap();
    update(
        &mut model,
        Action::Click {
            column: form.x + 3,
            row: form.y + 1 + skill_id.top,
        },
    );
    assert_eq!(model.focus, Focus::Field(Field::SkillId));
    assert!(model.editing.is_none());
}

#[test]
fn a_click_under_an_overlay_is_ignored() {
    let mut model = model();
    model.size = (120, 40);
    cmd(&mut model, Command::ToggleMouse);
    seen(&model);
    cmd(&mut model, Command::Help);
    let (column, row) = list_row(&model, 2);
    update(&mut model, Action::Click { column, row });
    assert_eq!(model.selected, 0);
    assert_eq!(model.overlay, Some(Overlay::Help));
}

// ---------------------------------------------------------------------------------------------
// Paste.

#[test]
fn paste_into_a_single_line_field_joins_the_lines_with_spaces() {
    let mut model = model();
    edit_field(&mut model, Field::SkillName);
    update(&mut model, Action::Paste(" Tier\r\n2  \nEN".into()));
    assert_eq!(in_doc(&model, 0).escalation.skill_name, "Support Tier 2 EN");
    assert!(model.editing.is_some());
}

#[test]
fn paste_into_a_focused_text_field_starts_typing_in_it() {
    let mut model = model();
    focus_field(&mut model, Field::AgentId);
    update(&mut model, Action::Paste("5\n6".into()));
    assert_eq!(
        editing_target(&model),
        Some(EditTarget::Field(Field::AgentId))
    );
    assert_eq!(in_doc(&model, 0).escalation.agent_id, "5 6");
}

#[test]
fn paste_into_message_to_user_keeps_the_newlines() {
    let mut model = model();
    edit_field(&mut model, Field::Message);
    update(&mut model, Action::Paste(" One\r\nTwo\nThree".into()));
    assert_eq!(
        in_doc(&model, 0).escalation.message,
        "Please wait. One\nTwo\nThree"
    );
}

#[test]
fn paste_with_no_text_field_focused_changes_nothing() {
    let mut model = model();
    assert_eq!(update(&mut model, Action::Paste("hello".into())), None);
    assert!(!model.is_modified());
    assert!(model.status.contains("Paste"), "{}", model.status);
    for field in [
        Field::IntegrationType,
        Field::TransferBotContext,
        Field::CustomData,
    ] {
        focus_field(&mut model, field);
        update(&mut model, Action::Paste("true".into()));
        assert!(model.editing.is_none());
        assert!(!model.is_modified(), "{field:?}");
    }
}

#[test]
fn paste_into_the_filter_goes_on_one_line() {
    let mut model = model();
    cmd(&mut model, Command::StartFilter);
    update(&mut model, Action::Paste("ga\nmma".into()));
    assert_eq!(model.filter, "ga mma");
    assert!(!model.is_modified());
}

#[test]
fn paste_into_a_custom_data_cell_sets_it() {
    let mut model = one_escalation();
    focus_field(&mut model, Field::CustomData);
    cmd(&mut model, Command::Activate);
    cmd(&mut model, Command::AddRow);
    update(&mut model, Action::Paste("region\n".into()));
    assert_eq!(in_doc(&model, 0).custom_data[0].key, "region ");
}

// ---------------------------------------------------------------------------------------------
// Resize and overlays.

#[test]
fn resize_updates_the_size() {
    let mut model = model();
    assert_eq!(update(&mut model, Action::Resize(80, 24)), None);
    assert_eq!(model.size, (80, 24));
    let action = action_for(&model, Event::Resize(100, 30)).unwrap();
    update(&mut model, action);
    assert_eq!(model.size, (100, 30));
}

#[test]
fn keys_in_an_overlay_do_not_reach_the_form() {
    let mut model = model();
    focus_field(&mut model, Field::SkillName);
    cmd(&mut model, Command::Help);
    for code in [
        KeyCode::Char('a'),
        KeyCode::Enter,
        KeyCode::Char(' '),
        KeyCode::Tab,
        KeyCode::Backspace,
        KeyCode::Right,
    ] {
        press(&mut model, code);
    }
    assert_eq!(model.overlay, Some(Overlay::Help));
    assert_eq!(model.focus, Focus::Field(Field::SkillName));
    assert!(model.editing.is_none());
    assert!(!model.is_modified());
    update(&mut model, Action::Paste("pasted".into()));
    assert!(!model.is_modified());

    // Global keys are blocked in an overlay.
    assert_eq!(ctrl(&mut model, 'n'), None);
    assert_eq!(ctrl(&mut model, 'q'), None);
    assert_eq!(model.integrations.len(), 4);
    assert!(!model.quit);
}

#[test]
fn keys_in_the_type_choices_do_not_reach_the_form() {
    let mut model = model();
    focus_field(&mut model, Field::IntegrationType);
    cmd(&mut model, Command::Activate);
    type_text(&mut model, "api");
    press(&mut model, KeyCode::Right);
    press(&mut model, KeyCode::Tab);
    assert_eq!(model.overlay, Some(Overlay::SelectType(1)));
    assert_eq!(model.focus, Focus::Field(Field::IntegrationType));
    assert!(!model.is_modified());
}

#[test]
fn the_delete_question_takes_only_its_own_keys() {
    let mut model = model();
    cmd(&mut model, Command::DeleteIntegration);
    for code in [
        KeyCode::Char('d'),
        KeyCode::Down,
        KeyCode::Enter,
        KeyCode::Delete,
    ] {
        press(&mut model, code);
    }
    assert_eq!(model.overlay, Some(Overlay::ConfirmDelete(0)));
    assert_eq!(model.integrations.len(), 4);
    assert_eq!(model.selected, 0);
}

// ---------------------------------------------------------------------------------------------
// The shipped sample bot.

#[test]
fn the_sample_bot_can_be_edited_end_to_end() {
    let doc = BotDocument::from_bytes(SAMPLE_BOT.as_bytes()).expect("the sample bot loads");
    let mut model = Model::new(doc, Sidecar::default(), PathBuf::from("sample-bot.json"));
    assert!(!model.integrations.is_empty());
    assert!(!model.is_modified());
    let index = model.selected;
    edit_field(&mut model, Field::SkillName);
    type_text(&mut model, " EN");
    press(&mut model, KeyCode::Enter);
    let name = model.doc.integration(index).unwrap().escalation.skill_name;
    assert!(name.ends_with(" EN"), "{name}");
    assert_eq!(ctrl(&mut model, 'q'), None);
    assert_eq!(model.overlay, Some(Overlay::ConfirmQuit));
}

// ---------------------------------------------------------------------------------------------
// Known bugs in src/tui/update.rs, kept as ignored tests until they are fixed
// (`cargo test --test tui_update -- --ignored`).

#[test]
fn keys_in_help_opened_while_typing_do_not_reach_the_field() {
    let mut model = model();
    edit_field(&mut model, Field::Name);
    press(&mut model, KeyCode::F(1));
    assert_eq!(model.overlay, Some(Overlay::Help));
    press(&mut model, KeyCode::Char('x'));
    press(&mut model, KeyCode::Enter);
    assert_eq!(in_doc(&model, 0).name, "Alpha");
}

#[test]
fn keys_in_help_opened_while_filtering_do_not_reach_the_filter() {
    let mut model = model();
    press(&mut model, KeyCode::Char('/'));
    press(&mut model, KeyCode::F(1));
    press(&mut model, KeyCode::Char('x'));
    assert_eq!(model.filter, "");
}

#[test]
fn ctrl_n_while_filtering_leaves_the_filter() {
    let mut model = model();
    press(&mut model, KeyCode::Char('/'));
    type_text(&mut model, "gam");
    ctrl(&mut model, 'n');
    assert_eq!(model.focus, Focus::Field(Field::Name));
    assert!(!model.filter_active);
    assert_eq!(model.context(), Context::Form);
}

#[test]
fn up_and_down_while_editing_a_cell_move_between_rows_and_stay_in_the_table() {
    let mut model = with_rows(&[("a", "1"), ("b", "2"), ("c", "3")]);
    focus_field(&mut model, Field::CustomData);
    cmd(&mut model, Command::Activate);
    cmd(&mut model, Command::Activate);
    assert!(matches!(
        editing_target(&model),
        Some(EditTarget::Cell { row: 0, .. })
    ));
    raw_key(&mut model, KeyCode::Down);
    assert_eq!(model.editing.as_ref().map(|e| e.target), None);
    assert!(model.table_active);
    assert_eq!(model.table_row, 1);
    assert_eq!(model.focus, Focus::Field(Field::CustomData));
}

// ---------------------------------------------------------------------------------------------
// Checking only what a keystroke changed.

#[test]
fn every_keystroke_leaves_the_same_diagnostics_as_checking_the_whole_bot() {
    let text = escalator::bot::generate::bot(30, 11);
    let doc = BotDocument::from_bytes(text.as_bytes()).expect("the generated bot loads");
    let mut model = Model::new(doc, Sidecar::default(), PathBuf::from("bot.json"));
    // Escalations are every third integration; 4 is an API integration.
    let edits: [(usize, Field, &str); 7] = [
        (0, Field::SkillId, "x"),
        (3, Field::Message, " Thanks!"),
        (3, Field::SkillName, "{$env.team"),
        (6, Field::AgentId, "42"),
        (4, Field::TransformScript, "\nif (x {"),
        (0, Field::Name, "_old"),
        (9, Field::ResponseDataVariable, "Integration3"),
    ];
    let mut changed = 0;
    for (index, field, typed) in edits {
        cmd(&mut model, Command::FocusList);
        model.selected = index;
        edit_field(&mut model, field);
        for c in typed.chars() {
            let before = model.report.clone();
            let code = if c == '\n' {
                KeyCode::Enter
            } else {
                KeyCode::Char(c)
            };
            press(&mut model, code);
            assert_eq!(
                model.integrations,
                model.doc.integrations(),
                "after {c:?} in {field:?}"
            );
            assert_eq!(
                model.report,
                checked_from_scratch(&model),
                "after {c:?} in {field:?}"
            );
            changed += usize::from(model.report != before);
        }
        press(&mut model, KeyCode::Esc);
    }
    assert!(
        changed >= 5,
        "the edits changed the diagnostics ({changed} times)"
    );
}

#[test]
fn the_list_rows_are_made_once_until_the_filter_or_the_lists_change() {
    let mut model = model();
    let rows = model.entries();
    assert!(
        std::sync::Arc::ptr_eq(&rows, &model.entries()),
        "drawn again: the same rows"
    );
    edit_field(&mut model, Field::Message);
    type_text(&mut model, "!");
    assert!(
        std::sync::Arc::ptr_eq(&rows, &model.entries()),
        "typing a message leaves the rows alone"
    );
    press(&mut model, KeyCode::Esc);
    cmd(&mut model, Command::FocusList);
    press(&mut model, KeyCode::Char('/'));
    type_text(&mut model, "alp");
    let filtered = model.entries();
    assert!(!std::sync::Arc::ptr_eq(&rows, &filtered));
    assert_eq!(visible(&model), [0]);
    assert_eq!(model.row_of(Entry::Integration(0)), Some(0));
    assert_eq!(
        model.row_of(Entry::Integration(1)),
        None,
        "Beta is filtered out"
    );
}

#[test]
fn deleting_an_integration_that_interactions_run_names_them_first() {
    let doc = BotDocument::from_bytes(SAMPLE_BOT.as_bytes()).unwrap();
    let mut model = Model::new(doc, Sidecar::default(), PathBuf::from("bot.json"));
    model.check();
    cmd(&mut model, Command::DeleteIntegration);
    assert_eq!(model.overlay, Some(Overlay::ConfirmDelete(0)));
    let screen = seen(&model);
    assert!(screen.contains("It is run by 1 Integration"), "{screen}");
    assert!(screen.contains("\"agent_escalation\""), "{screen}");
    assert!(screen.contains("[y] delete anyway"), "{screen}");
    // Deleted anyway: the rules say at once what now runs nothing.
    cmd(&mut model, Command::ConfirmYes);
    assert!(
        model.report.iter().any(|d| d
            .message
            .contains("runs an integration the bot does not have")),
        "{:?}",
        model.report.iter().collect::<Vec<_>>()
    );
}

#[test]
fn an_id_pasted_with_a_line_break_goes_in_trimmed() {
    let mut model = one_escalation();
    model.focus = Focus::Field(Field::SkillId);
    update(&mut model, Action::Command(Command::Activate));
    // Select what is there and paste over it.
    if let Some(editing) = model.editing.as_mut() {
        editing.area.select_all();
        editing.area.cut();
    }
    update(&mut model, Action::Paste("  4242\n".into()));
    update(&mut model, Action::Command(Command::Leave));
    assert_eq!(current(&model).escalation.skill_id, "4242");
}

#[test]
fn leaving_a_field_checks_nothing_again_and_renaming_makes_the_rows_again() {
    let mut model = model();
    let rows = model.entries();
    edit_field(&mut model, Field::Message);
    type_text(&mut model, "!");
    press(&mut model, KeyCode::Esc);
    assert!(
        std::sync::Arc::ptr_eq(&rows, &model.entries()),
        "every keystroke was checked as it came: leaving the field reads nothing again"
    );
    assert_eq!(model.report, checked_from_scratch(&model));
    edit_field(&mut model, Field::Name);
    type_text(&mut model, "9");
    assert!(
        !std::sync::Arc::ptr_eq(&rows, &model.entries()),
        "the list shows names: a rename makes its rows again"
    );
    assert_eq!(model.report, checked_from_scratch(&model));
}

// ---------------------------------------------------------------------------------------------
// The command palette, placing in a dialog, and the hints that name keys.

fn sample_bot() -> Model {
    let doc = BotDocument::from_bytes(SAMPLE_BOT.as_bytes()).expect("the sample bot loads");
    let mut model = Model::new(doc, Sidecar::default(), PathBuf::from("bot.json"));
    model.size = (120, 40);
    model
}

fn sample_bot_without_failure_dialog() -> Model {
    let text = SAMPLE_BOT.replace("__agent_escalation_failed__", "goodbye");
    let doc = BotDocument::from_bytes(text.as_bytes()).expect("the bot loads");
    let mut model = Model::new(doc, Sidecar::default(), PathBuf::from("bot.json"));
    model.size = (120, 40);
    model
}

#[test]
fn the_palette_runs_add_failure_dialog_without_an_f_key_or_a_ctrl_chord() {
    let mut model = sample_bot_without_failure_dialog();
    press(&mut model, KeyCode::Char(':'));
    assert_eq!(model.overlay, Some(Overlay::Palette));
    type_text(&mut model, "failure dialog");
    let screen = seen(&model);
    assert!(
        screen.contains("add a failure dialog (catches failed transfers)"),
        "{screen}"
    );
    assert!(screen.contains("Ctrl-F"), "the key is beside the name");
    press(&mut model, KeyCode::Enter);
    assert_eq!(model.overlay, Some(Overlay::FailureDialog));
    // The apology's cursor is at its end: typing goes after it.
    type_text(&mut model, " Bye.");
    press(&mut model, KeyCode::Enter);
    assert!(
        model.doc.to_text().contains("Bye.\""),
        "typed after the default apology"
    );
    ctrl(&mut model, 'z');
    assert_eq!(model.status, "Undid: add a failure dialog");
    assert!(!model.is_modified());
}

#[test]
fn the_palette_lists_every_action_and_filters_and_refuses_what_does_not_apply() {
    let mut model = model();
    ctrl(&mut model, 'p');
    let all = escalator::tui::keymap::Keymap::default().actions();
    for command in [
        Command::ApplyDelay,
        Command::AddFailureDialog,
        Command::Convert,
        Command::EditSampleContext,
        Command::EditSampleResult,
        Command::TogglePreviewMode,
        Command::OpenEditor,
        Command::PlaceInDialog,
        Command::Undo,
        Command::Redo,
    ] {
        assert!(all.iter().any(|a| a.command == command), "{command:?}");
    }
    let editor = all
        .iter()
        .find(|a| a.command == Command::OpenEditor)
        .unwrap();
    assert_eq!(editor.keys, "Ctrl-X Ctrl-E");
    type_text(&mut model, "zzzz");
    assert!(seen(&model).contains("no action matches"));
    press(&mut model, KeyCode::Backspace);
    for _ in 0..4 {
        press(&mut model, KeyCode::Backspace);
    }
    type_text(&mut model, "dollar editor");
    assert!(
        escalator::tui::keymap::Keymap::default()
            .matching_actions("$editor")
            .len()
            == 1
    );
    press(&mut model, KeyCode::Esc);
    assert_eq!(model.overlay, None);
    // Opening $EDITOR on the list: it does not apply there, and says why.
    ctrl(&mut model, 'p');
    type_text(&mut model, "$editor");
    assert!(seen(&model).contains("(not here) edit the field in $EDITOR"));
    assert_eq!(press(&mut model, KeyCode::Enter), None);
    assert!(
        model.status.contains("focus one of them first"),
        "{}",
        model.status
    );
}

#[test]
fn a_new_escalation_is_not_run_by_any_interaction_until_placed_in_a_dialog() {
    let mut model = sample_bot();
    ctrl(&mut model, 'n');
    let added = model.selected;
    let screen = seen(&model);
    assert!(
        screen.contains("not run by any interaction yet"),
        "{screen}"
    );
    assert!(!screen.contains("count entered by hand"), "{screen}");
    cmd(&mut model, Command::FocusList);
    press(&mut model, KeyCode::Char('p'));
    assert_eq!(model.overlay, Some(Overlay::Place));
    type_text(&mut model, "agen");
    assert!(seen(&model).contains("Agent (4 interactions)"));
    press(&mut model, KeyCode::Enter);
    // After the last interaction, unless another is chosen: after the second text.
    press(&mut model, KeyCode::Up);
    press(&mut model, KeyCode::Enter);
    let depth = model.history.depth().0;
    press(&mut model, KeyCode::Enter);
    assert_eq!(model.overlay, None);
    assert_eq!(model.history.depth().0, depth + 1, "one step");
    let name = model.integrations[added].name.clone();
    let runner = model
        .facts
        .index
        .all()
        .iter()
        .find(|i| i.responder_name == name)
        .cloned()
        .expect("an interaction runs it");
    let second_text = model
        .facts
        .index
        .all()
        .iter()
        .find(|i| i.name == "agent_text_2")
        .map(|i| i.id.clone())
        .unwrap();
    assert_eq!(runner.prev, second_text);
    // Two statements before it: 2 × 2000 ms, written and shown.
    assert_eq!(runner.delay_ms, Some(4000));
    assert!(seen(&model).contains("2 messages × 2000 ms = 4000 ms"));
    assert!(model.status.contains("4000 ms"), "{}", model.status);
    assert_eq!(checked_from_scratch(&model), model.report);
    ctrl(&mut model, 'z');
    assert!(
        !model
            .facts
            .index
            .all()
            .iter()
            .any(|i| i.responder_name == name)
    );
}

#[test]
fn an_escalation_is_placed_as_an_agent_transfer_with_its_settings() {
    let mut model = sample_bot();
    cmd(&mut model, Command::PlaceInDialog);
    press(&mut model, KeyCode::Enter);
    press(&mut model, KeyCode::Enter);
    press(&mut model, KeyCode::Down);
    press(&mut model, KeyCode::Enter);
    assert_eq!(model.transfers.len(), 1);
    assert_eq!(
        model.transfers[0].escalation.skill_id,
        model.integrations[0].escalation.skill_id
    );
    assert_eq!(model.selected_entry(), Entry::Transfer(0));
    // Esc steps back through the box, then closes it.
    cmd(&mut model, Command::FocusList);
    select_integration(&mut model, 0);
    cmd(&mut model, Command::PlaceInDialog);
    press(&mut model, KeyCode::Enter);
    press(&mut model, KeyCode::Esc);
    assert!(matches!(
        model.placing.as_ref().map(|p| &p.stage),
        Some(escalator::tui::model::PlaceStage::Dialog)
    ));
    press(&mut model, KeyCode::Esc);
    assert_eq!(model.overlay, None);
}

fn select_integration(model: &mut Model, index: usize) {
    for _ in 0..20 {
        if model.selected_entry() == Entry::Integration(index) {
            return;
        }
        press(model, KeyCode::Up);
    }
    panic!("integration {index} not reached");
}

#[test]
fn fix_texts_name_the_key_that_applies_them() {
    let mut model = sample_bot_without_failure_dialog();
    model.size = (200, 60);
    let screen = seen(&model);
    assert!(
        screen.contains("(Ctrl-F adds a dialog that catches it)"),
        "{screen}"
    );
    assert!(screen.contains("(F4 sets sample"), "{screen}");
}

#[test]
fn the_footer_shows_whole_hints_that_apply_and_always_the_palette() {
    for width in [60u16, 80, 100, 120, 200] {
        let mut model = sample_bot();
        model.size = (width, 30);
        for focus in [Focus::List, Focus::Field(Field::Message)] {
            model.focus = focus;
            let screen = seen(&model);
            let footer = screen.lines().nth(29).unwrap_or_default().trim_end();
            let footer = footer.trim_matches('"').trim_end();
            assert!(
                footer.ends_with("Ctrl-P all actions"),
                "{width}: {footer:?}"
            );
        }
    }
    let hints = [("Enter", "open the form"), ("Ctrl-P", "all actions")];
    assert_eq!(
        escalator::tui::keymap::fit_footer(&hints, 30),
        [("Ctrl-P", "all actions")],
        "a hint that does not fit whole is left out"
    );
    // Nothing to undo: no undo hint; after a change, there is.
    let mut model = sample_bot();
    assert!(!seen(&model).contains("Ctrl-Z undo"));
    ctrl(&mut model, 'n');
    cmd(&mut model, Command::FocusList);
    assert!(seen(&model).contains("Ctrl-Z undo"));
}

#[test]
fn shell_keys_move_and_delete_in_a_field() {
    let mut model = model();
    edit_field(&mut model, Field::SkillName);
    type_text(&mut model, " desk");
    ctrl(&mut model, 'w');
    assert_eq!(in_doc(&model, 0).escalation.skill_name, "Support ");
    ctrl(&mut model, 'a');
    type_text(&mut model, "[");
    ctrl(&mut model, 'e');
    type_text(&mut model, "]");
    assert_eq!(in_doc(&model, 0).escalation.skill_name, "[Support ]");
    ctrl(&mut model, 'a');
    press(&mut model, KeyCode::Right);
    ctrl(&mut model, 'k');
    assert_eq!(in_doc(&model, 0).escalation.skill_name, "[");
    ctrl(&mut model, 'e');
    ctrl(&mut model, 'u');
    assert_eq!(in_doc(&model, 0).escalation.skill_name, "");
    assert!(model.editing.is_some(), "none of them leaves the field");
}

#[test]
fn a_long_one_line_value_wraps_while_typed() {
    let mut model = model();
    model.size = (80, 24);
    edit_field(&mut model, Field::SkillName);
    let long = "word ".repeat(20);
    update(&mut model, Action::Paste(long.clone()));
    let screen = seen(&model);
    let rows = screen.lines().filter(|l| l.contains("word word")).count();
    assert!(rows >= 2, "{screen}");
}

#[test]
fn a_small_form_says_what_is_above_and_below_and_keeps_the_focus_in_view() {
    let mut model = model();
    model.size = (80, 24);
    focus_field(&mut model, Field::Name);
    let screen = seen(&model);
    assert!(screen.contains("more below"), "{screen}");
    assert!(!screen.contains("more above"), "{screen}");
    focus_field(&mut model, Field::CustomData);
    let screen = seen(&model);
    assert!(screen.contains("more above"), "{screen}");
    assert!(screen.contains("▶ Custom Data Fields"), "{screen}");
}

#[test]
fn the_preview_json_wraps_under_its_value() {
    let mut model = model();
    model.size = (120, 40);
    edit_field(&mut model, Field::Message);
    update(
        &mut model,
        Action::Paste("one two three four five six seven eight nine ten eleven twelve".into()),
    );
    let screen = seen(&model);
    let rows: Vec<&str> = screen.lines().collect();
    let at = rows
        .iter()
        .position(|l| l.contains("\"message\": \"Please wait.one"))
        .unwrap_or_else(|| panic!("{screen}"));
    let first = rows[at];
    let column = first.find("\"Please").unwrap();
    let next = rows[at + 1];
    assert_eq!(
        next.get(column..column + 1).map(|c| c != " "),
        Some(true),
        "the next row starts under the value:\n{first}\n{next}"
    );
    assert!(next[..column].ends_with(' '), "{next}");
}

// ---------------------------------------------------------------------------------------------
// Smaller defects: status, filter, simulation, samples, wording.

#[test]
fn a_status_message_goes_with_the_next_key_and_a_long_one_wraps() {
    let mut model = model();
    ctrl(&mut model, 'n');
    assert!(model.status.starts_with("Added"), "{}", model.status);
    type_text(&mut model, "X");
    assert!(!model.status.contains("Added"), "{}", model.status);
    model.size = (80, 24);
    model.status = "word ".repeat(30);
    let screen = seen(&model);
    let rows: Vec<&str> = screen.lines().collect();
    assert!(rows[21].contains("word"), "two rows:\n{screen}");
    assert!(rows[22].contains("word"), "two rows:\n{screen}");
    assert!(
        rows[22].contains('…'),
        "cut with … on the last row:\n{screen}"
    );
}

#[test]
fn the_filter_finds_types_and_skills_and_hides_a_form_it_filtered_out() {
    let mut model = model_of(vec![escalation("r1", "Alpha", "12"), api("r2", "Weather")]);
    model.size = (120, 40);
    press(&mut model, KeyCode::Char('/'));
    type_text(&mut model, "api");
    assert_eq!(visible(&model), [1]);
    press(&mut model, KeyCode::Esc);
    press(&mut model, KeyCode::Char('/'));
    type_text(&mut model, "support");
    assert_eq!(visible(&model), [0], "a skill name");
    for _ in 0.."support".len() {
        press(&mut model, KeyCode::Backspace);
    }
    type_text(&mut model, "12");
    assert_eq!(visible(&model), [0], "a skill id");
    type_text(&mut model, "xyz");
    assert!(visible(&model).is_empty());
    let screen = seen(&model);
    assert!(screen.contains("Nothing in the list matches"), "{screen}");
    assert!(!screen.contains("Agent Skill Name"), "{screen}");
}

#[test]
fn esc_leaves_the_simulation_and_its_scrolling_stops_at_the_end() {
    let mut model = model();
    model.size = (120, 40);
    cmd(&mut model, Command::SimulateFailures);
    assert_eq!(
        model.preview_tab,
        escalator::tui::model::PreviewTab::Simulate
    );
    seen(&model);
    cmd(&mut model, Command::PreviewDown);
    seen(&model);
    let scrolled = model.preview_scroll;
    for _ in 0..10 {
        cmd(&mut model, Command::PreviewDown);
        seen(&model);
    }
    assert_eq!(model.preview_scroll, scrolled, "no further than the end");
    assert!(seen(&model).contains("transferred") || seen(&model).contains('✓'));
    press(&mut model, KeyCode::Esc);
    assert_eq!(model.preview_tab, escalator::tui::model::PreviewTab::Body);
}

#[test]
fn selecting_an_integration_with_a_sample_result_runs_its_script() {
    let mut second = api("r2", "Weather");
    second["transformResultsScript"] = json!("botContext.printDebugMessage('ran');");
    let text = serde_json::to_string_pretty(&json!({
        "bot": {"id": "b", "name": "b"},
        "responder": [escalation("r1", "Alpha", "12"), second],
        "conversationMessage": [], "groups": []
    }))
    .unwrap();
    let doc = BotDocument::from_bytes(text.as_bytes()).unwrap();
    let mut sidecar = Sidecar::default();
    sidecar
        .sample_results
        .insert("Weather".into(), json!({"sky": "blue"}));
    let mut model = Model::new(doc, sidecar, PathBuf::from("bot.json"));
    assert!(model.script_wanted.is_none(), "Alpha has no sample");
    press(&mut model, KeyCode::Down);
    assert!(model.script_wanted.is_some(), "Weather's sample is run");
    model.run_wanted_script_here();
    model.size = (120, 40);
    assert!(seen(&model).contains("debug: ran"));
}

#[test]
fn an_empty_custom_data_value_is_a_warning_and_the_typed_cell_stands_out() {
    let mut model = with_rows(&[("orderId", "")]);
    assert!(
        model
            .diagnostics()
            .any(|d| d.field == Some(Field::CustomData)
                && d.severity == Severity::Warning
                && d.message.contains("no value"))
    );
    focus_field(&mut model, Field::CustomData);
    cmd(&mut model, Command::Activate);
    press(&mut model, KeyCode::Right);
    type_text(&mut model, "7");
    assert_eq!(in_doc(&model, 0).custom_data[0].value, "7");
    assert!(!model.diagnostics().any(|d| d.message.contains("no value")));
    let style = model.editing.as_ref().unwrap().area.style();
    assert!(
        style
            .add_modifier
            .contains(ratatui::style::Modifier::REVERSED)
    );
}

#[test]
fn wording_of_types_counts_and_hints() {
    let mut model = model();
    model.size = (200, 40);
    model.selected = 3;
    assert!(seen(&model).contains("is an API integration"));
    cmd(&mut model, Command::EditSampleContext);
    update(&mut model, Action::Paste("a=1\nb=2".into()));
    cmd(&mut model, Command::Leave);
    assert!(
        model.status.starts_with("2 sample values;"),
        "{}",
        model.status
    );
    // The type's help speaks of the type it is.
    let mut model = model_of(vec![api("r1", "Weather")]);
    model.size = (120, 40);
    focus_field(&mut model, Field::IntegrationType);
    let screen = seen(&model);
    assert!(screen.contains("API calls a web service"), "{screen}");
    assert!(!screen.contains("transfers to an agent"), "{screen}");
    // A sample value that is set but not a number is not "set a sample value".
    let mut model = model_of(vec![escalation("r1", "Alpha", "{$botContext.skillId}")]);
    cmd(&mut model, Command::EditSampleContext);
    update(&mut model, Action::Paste("skillId=sales".into()));
    cmd(&mut model, Command::Leave);
    let hint = model
        .diagnostics()
        .find(|d| d.field == Some(Field::SkillId))
        .unwrap();
    assert!(!hint.fix.contains("set a sample value"), "{}", hint.fix);
    // The longest label keeps a space before its value on a wide screen.
    model.size = (200, 40);
    assert!(seen(&model).contains("Response Data Variable Name *  Alpha"));
}

// ---------------------------------------------------------------------------------------------
// Found by trying the build as a user and as an attacker.

#[test]
fn a_selection_the_filter_hides_is_not_acted_on() {
    let mut model = model();
    model.size = (120, 40);
    press(&mut model, KeyCode::Char('/'));
    type_text(&mut model, "nomatch");
    press(&mut model, KeyCode::Enter);
    let before = model.doc.to_text();
    for key in [
        KeyCode::Delete,
        KeyCode::Char('d'),
        KeyCode::Char('p'),
        KeyCode::Tab,
    ] {
        press(&mut model, key);
        assert_eq!(model.overlay, None, "{key:?}");
        assert!(
            model.status.starts_with("Nothing is selected"),
            "{key:?}: {}",
            model.status
        );
    }
    assert_eq!(model.focus, Focus::List);
    assert_eq!(model.doc.to_text(), before);
    let screen = seen(&model);
    assert!(screen.contains("Nothing to preview"), "{screen}");
    assert!(!screen.contains("Del delete"), "{screen}");
}

#[test]
fn the_type_question_says_the_values_stay_and_its_answers_always_show() {
    let mut model = model_of(vec![{
        let mut e = escalation("r1", "Alpha", "12");
        e["agentSkillName"] = json!("S".repeat(5000));
        e
    }]);
    model.size = (60, 16);
    focus_field(&mut model, Field::IntegrationType);
    press(&mut model, KeyCode::Right);
    let screen = seen(&model);
    assert!(screen.contains("[y] yes"), "{screen}");
    assert!(screen.contains("stay in the file"), "{screen}");
    press(&mut model, KeyCode::Char('y'));
    assert_eq!(current(&model).kind, IntegrationKind::Functions);
    assert!(model.doc.to_text().contains("\"agentSkillName\""));
}

#[test]
fn control_letters_in_the_filter_are_not_typed_and_ctrl_u_empties_it() {
    let mut model = model();
    press(&mut model, KeyCode::Char('/'));
    type_text(&mut model, "ab");
    for c in ['a', 'e', 'k'] {
        ctrl(&mut model, c);
    }
    assert_eq!(model.filter, "ab");
    ctrl(&mut model, 'u');
    assert_eq!(model.filter, "");
}

#[test]
fn colon_and_question_mark_are_typed_into_a_focused_text_field() {
    let mut model = model();
    focus_field(&mut model, Field::Message);
    type_text(&mut model, ":?");
    assert_eq!(model.overlay, None);
    assert_eq!(in_doc(&model, 0).escalation.message, "Please wait.:?");
    press(&mut model, KeyCode::Esc);
    focus_field(&mut model, Field::IntegrationType);
    press(&mut model, KeyCode::Char(':'));
    assert_eq!(model.overlay, Some(Overlay::Palette), "not a text field");
}

#[test]
fn the_place_box_lists_interactions_in_the_order_the_conversation_goes() {
    let mut root: Value = serde_json::from_str(SAMPLE_BOT).unwrap();
    let messages = root["conversationMessage"].as_array_mut().unwrap();
    // The Integration interaction first in the file, the texts after it.
    let at = messages
        .iter()
        .position(|m| m["name"] == "agent_escalation")
        .unwrap();
    let moved = messages.remove(at);
    messages.insert(0, moved);
    let doc =
        BotDocument::from_bytes(serde_json::to_string_pretty(&root).unwrap().as_bytes()).unwrap();
    let mut model = Model::new(doc, Sidecar::default(), PathBuf::from("bot.json"));
    cmd(&mut model, Command::PlaceInDialog);
    type_text(&mut model, "agent");
    press(&mut model, KeyCode::Enter);
    let placing = model.placing.clone().unwrap();
    let order: Vec<&str> = placing
        .interactions
        .iter()
        .map(|(_, text)| text.split('"').nth(1).unwrap_or_default())
        .collect();
    assert_eq!(
        order,
        [
            "agent_starter",
            "agent_text_1",
            "agent_text_2",
            "agent_escalation"
        ]
    );
    assert_eq!(
        placing.choice, 3,
        "after the last, unless another is chosen"
    );
}

#[test]
fn placing_right_after_a_starter_writes_no_delay() {
    let mut model = sample_bot();
    ctrl(&mut model, 'n');
    let added = model.integrations[model.selected].name.clone();
    cmd(&mut model, Command::FocusList);
    cmd(&mut model, Command::PlaceInDialog);
    type_text(&mut model, "welcome");
    press(&mut model, KeyCode::Enter);
    for _ in 0..5 {
        press(&mut model, KeyCode::Up);
    }
    press(&mut model, KeyCode::Enter);
    press(&mut model, KeyCode::Enter);
    let runner = model
        .facts
        .index
        .all()
        .iter()
        .find(|i| i.responder_name == added)
        .cloned()
        .expect("placed");
    assert_eq!(runner.delay_ms, None, "{}", model.status);
}

#[test]
fn undo_names_what_was_added_as_it_came_out() {
    let mut model = sample_bot();
    ctrl(&mut model, 'n');
    let name = model.integrations[model.selected].name.clone();
    assert_ne!(name, "AgentEscalation", "a free name like it");
    cmd(&mut model, Command::FocusList);
    ctrl(&mut model, 'z');
    assert_eq!(model.status, format!("Undid: add {name}"));
    ctrl(&mut model, 'y');
    assert_eq!(model.status, format!("Redid: add {name}"));
}

#[test]
fn typing_that_changes_nothing_is_no_step() {
    let mut model = model();
    edit_field(&mut model, Field::Name);
    type_text(&mut model, "X");
    press(&mut model, KeyCode::Backspace);
    press(&mut model, KeyCode::Enter);
    assert_eq!(model.history.depth(), (0, 0));
    ctrl(&mut model, 'z');
    assert_eq!(model.status, "Nothing to undo");
}

#[test]
fn a_palette_action_that_does_not_apply_says_why_and_moves_nothing() {
    let mut model = sample_bot();
    assert!(model.facts.has_failure_dialog);
    ctrl(&mut model, 'p');
    type_text(&mut model, "failure dialog");
    assert!(seen(&model).contains("(not here) add a failure dialog"));
    press(&mut model, KeyCode::Enter);
    assert_eq!(
        model.focus,
        Focus::List,
        "the next key is not typed anywhere"
    );
    assert!(model.status.contains("already catches"), "{}", model.status);
    let before = model.doc.to_text();
    press(&mut model, KeyCode::Char('x'));
    assert_eq!(model.doc.to_text(), before);
}

#[test]
fn esc_on_the_list_clears_a_kept_filter_and_undo_keeps_the_selection_visible() {
    let mut model = model();
    press(&mut model, KeyCode::Char('/'));
    type_text(&mut model, "nomatch");
    press(&mut model, KeyCode::Enter);
    press(&mut model, KeyCode::Esc);
    assert_eq!(model.filter, "");
    assert!(!model.hidden());
    // An undo while filtering selects what the filter shows.
    ctrl(&mut model, 'n');
    cmd(&mut model, Command::FocusList);
    press(&mut model, KeyCode::Char('/'));
    type_text(&mut model, "Beta");
    ctrl(&mut model, 'z');
    assert!(!model.hidden(), "{:?}", model.selected_entry());
}

// ---------------------------------------------------------------------------------------------
// The bot's account: skills and agents picked from it.

fn with_account() -> Model {
    use escalator::workspace::account::{Account, Skill, User};
    let user = |id: &str, name: &str, skills: Vec<u64>, enabled: bool, kind: u8| User {
        id: id.into(),
        login_name: name.to_lowercase(),
        full_name: name.into(),
        nickname: String::new(),
        enabled,
        deleted: false,
        skill_ids: skills,
        user_type: kind,
    };
    let account = Account {
        id: "12345678".into(),
        fetched_at: escalator::workspace::account::now(),
        source: "test".into(),
        skills: vec![
            Skill {
                id: 12,
                name: "Billing".into(),
                deleted: false,
            },
            Skill {
                id: 13,
                name: "Sales".into(),
                deleted: false,
            },
            Skill {
                id: 14,
                name: "Old".into(),
                deleted: true,
            },
        ],
        users: vec![
            user("501", "Jane", vec![12], true, 1),
            user("502", "Max", vec![12], false, 1),
            user("503", "Lee", vec![13], true, 1),
            user("504", "Billing bot", vec![12], true, 2),
        ],
    };
    let mut model = model();
    let settings = Sidecar {
        account: Some("12345678".into()),
        kept_account: Some(std::sync::Arc::new(account)),
        ..Sidecar::default()
    };
    model.change_settings("account", settings);
    model
}

#[test]
fn a_skill_is_picked_by_part_of_its_name_and_fills_name_and_id_as_one_step() {
    let mut model = with_account();
    let depth = model.history.depth().0;
    focus_field(&mut model, Field::SkillId);
    press(&mut model, KeyCode::Enter);
    assert_eq!(model.overlay, Some(Overlay::Pick));
    let screen = seen(&model);
    assert!(
        screen.contains("Billing  (12)") && !screen.contains("Old"),
        "{screen}"
    );
    type_text(&mut model, "sal");
    press(&mut model, KeyCode::Enter);
    assert_eq!(model.overlay, None);
    assert_eq!(in_doc(&model, 0).escalation.skill_name, "Sales");
    assert_eq!(in_doc(&model, 0).escalation.skill_id, "13");
    assert!(
        model
            .preview_body_text()
            .unwrap()
            .contains("\"agentSkillId\": \"13\"")
    );
    assert_eq!(model.history.depth().0, depth + 1, "one step");
    // Typing on the field still types.
    focus_field(&mut model, Field::SkillName);
    type_text(&mut model, "x");
    assert_eq!(in_doc(&model, 0).escalation.skill_name, "Salesx");
}

#[test]
fn an_agent_is_picked_from_the_enabled_users_on_the_skill_and_hints_follow() {
    let mut model = with_account();
    // Alpha's skill is 12: Jane is on it and enabled; Max is disabled; Lee is on 13.
    focus_field(&mut model, Field::AgentId);
    press(&mut model, KeyCode::Enter);
    let screen = seen(&model);
    assert!(screen.contains("Jane (jane, 501)"), "{screen}");
    assert!(
        !screen.contains("Max") && !screen.contains("Lee"),
        "{screen}"
    );
    assert!(
        !screen.contains("Billing bot"),
        "bots are not agents: {screen}"
    );
    press(&mut model, KeyCode::Enter);
    assert_eq!(in_doc(&model, 0).escalation.agent_id, "12345678.501");
    assert!(
        !model
            .diagnostics()
            .any(|d| d.field == Some(Field::AgentId) && d.message.contains("account"))
    );
    // An agent not on the skill: the hint says the transfer goes to the skill.
    edit_field_text(&mut model, Field::AgentId, "503");
    let hint = model
        .diagnostics()
        .find(|d| d.field == Some(Field::AgentId))
        .expect("a hint");
    assert_eq!(hint.severity, Severity::Hint);
    assert!(
        hint.message.starts_with(
            "agent Lee (lee, 503) is not on skill Billing: the transfer goes to the skill instead"
        ),
        "{}",
        hint.message
    );
    assert!(
        hint.message.contains("lists of just now"),
        "{}",
        hint.message
    );
}

fn edit_field_text(model: &mut Model, field: Field, text: &str) {
    focus_field(model, field);
    type_text(model, "_");
    ctrl(model, 'u');
    type_text(model, text);
    press(model, KeyCode::Esc);
}

#[test]
fn the_account_is_set_in_the_editor_and_without_one_the_fields_are_typed() {
    let mut model = model();
    focus_field(&mut model, Field::SkillId);
    press(&mut model, KeyCode::Enter);
    assert_eq!(model.overlay, None, "no account: typed as before");
    assert!(model.editing.is_some());
    press(&mut model, KeyCode::Esc);
    cmd(&mut model, Command::FocusList);
    press(&mut model, KeyCode::Char('a'));
    assert_eq!(model.overlay, Some(Overlay::AccountId));
    ctrl(&mut model, 'u');
    type_text(&mut model, "99999999");
    press(&mut model, KeyCode::Enter);
    assert_eq!(model.sidecar.account.as_deref(), Some("99999999"));
    assert!(model.is_modified(), "kept with the settings");
    assert!(model.status.contains("not kept yet"), "{}", model.status);
    ctrl(&mut model, 'z');
    assert_eq!(model.sidecar.account, None);
}

#[test]
fn esc_in_the_picker_types_the_field_instead() {
    let mut model = with_account();
    focus_field(&mut model, Field::SkillId);
    press(&mut model, KeyCode::Enter);
    press(&mut model, KeyCode::Esc);
    assert_eq!(model.overlay, None);
    assert_eq!(
        editing_target(&model),
        Some(EditTarget::Field(Field::SkillId))
    );
    // Backspace on a focused field starts typing too, taking a character out.
    press(&mut model, KeyCode::Esc);
    press(&mut model, KeyCode::Backspace);
    assert_eq!(in_doc(&model, 0).escalation.skill_id, "1");
}

#[test]
fn the_configs_defaults_set_the_per_message_time_and_the_scenario_of_the_editor() {
    let text = std::fs::read_to_string(common::fixture("escalation-bot.json")).unwrap();
    let doc = BotDocument::from_bytes(text.as_bytes()).expect("the fixture loads");
    let mut model = Model::new(doc, Sidecar::default(), PathBuf::from("bot.json"));
    model.size = (120, 40);
    let config = escalator::workspace::config::parse(
        "[defaults]\nper_message_ms = 2500\n[defaults.scenario]\nfailures = 2\n",
        "config.toml",
    );
    let settings = escalator::tui::config::Settings::of(&config);
    assert!(settings.problems.is_empty(), "{:?}", settings.problems);
    settings.apply(&mut model);
    model.refresh();
    let messages: Vec<&str> = model.report.iter().map(|d| d.message.as_str()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("2 messages × 2500 ms = 5000 ms")),
        "{messages:?}"
    );
    assert_eq!(model.scenario.failures, 2);
    // The bot's own setting wins over the config's default.
    model.sidecar.per_message_ms = Some(1500);
    model.refresh();
    assert!(
        model
            .report
            .iter()
            .any(|d| d.message.contains("2 messages × 1500 ms")),
    );
}
