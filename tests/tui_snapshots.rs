//! Whole-screen snapshots of the editor (ratatui's TestBackend), at 120×40, 80×24 and 50×12.

use std::path::PathBuf;

use escalator::bot::BotDocument;
use escalator::bot::integration::Field;
use escalator::tui::keymap::Command;
use escalator::tui::model::{Action, Focus, Model};
use escalator::tui::{update, view};
use escalator::workspace::shipped::SAMPLE_BOT;
use escalator::workspace::sidecar::Sidecar;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

mod common;

fn sample() -> Model {
    let doc = BotDocument::from_bytes(SAMPLE_BOT.as_bytes()).expect("the sample bot loads");
    let mut model = Model::new(doc, Sidecar::default(), PathBuf::from("sample-bot.json"));
    model.status.clear();
    model
}

fn screen(model: &mut Model, width: u16, height: u16) -> Terminal<TestBackend> {
    model.size = (width, height);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal
        .draw(|frame| view::view(model, frame))
        .expect("draw");
    terminal
}

fn text(terminal: &Terminal<TestBackend>) -> String {
    terminal.backend().to_string()
}

#[test]
fn a_required_field_left_empty_shows_its_error_inline() {
    let mut model = sample();
    model
        .apply(escalator::bot::edit::Edit::Field {
            integration: 0,
            field: Field::SkillName,
            value: String::new(),
        })
        .unwrap();
    model.focus = Focus::Field(Field::SkillName);
    let terminal = screen(&mut model, 120, 40);
    let shown = text(&terminal);
    assert!(shown.contains("Agent Skill Name *"), "the label is starred");
    assert!(
        shown.contains("✗ Agent Skill Name is required"),
        "the error is inline"
    );
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn a_skill_id_variable_shows_its_sample_value() {
    let mut model = sample();
    model
        .sidecar
        .context
        .insert("botContext.skillId".into(), "4242".into());
    model.refresh();
    model.focus = Focus::Field(Field::SkillId);
    let terminal = screen(&mut model, 120, 40);
    let shown = text(&terminal);
    assert!(shown.contains("is 4242 in the sample"), "{shown}");
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn the_help_overlay_lists_the_keymap() {
    let mut model = sample();
    update::update(&mut model, Action::Command(Command::Help));
    let terminal = screen(&mut model, 80, 24);
    let shown = text(&terminal);
    assert!(shown.contains("Ctrl-S"), "{shown}");
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn quitting_with_unsaved_edits_asks_first() {
    let mut model = sample();
    model
        .apply(escalator::bot::edit::Edit::Field {
            integration: 0,
            field: Field::SkillId,
            value: "12".into(),
        })
        .unwrap();
    let effect = update::update(&mut model, Action::Command(Command::Quit));
    assert_eq!(effect, None, "nothing quits before the answer");
    let terminal = screen(&mut model, 80, 24);
    let shown = text(&terminal);
    assert!(shown.contains("[s] save and quit"), "{shown}");
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn under_100_columns_the_preview_stacks_below_the_form() {
    let mut model = sample();
    model.focus = Focus::Field(Field::Message);
    let terminal = screen(&mut model, 80, 24);
    let shown = text(&terminal);
    let form_row = shown
        .lines()
        .position(|l| l.contains("Message to User"))
        .unwrap();
    let preview_row = shown.lines().position(|l| l.contains("Preview")).unwrap();
    assert!(preview_row > form_row, "{shown}");
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn a_tiny_terminal_gets_a_message_and_quit_still_works() {
    let mut model = sample();
    let terminal = screen(&mut model, 50, 12);
    assert!(text(&terminal).contains("Terminal too small"));
    insta::assert_snapshot!(terminal.backend());
    let effect = update::update(&mut model, Action::Command(Command::Quit));
    assert_eq!(effect, Some(escalator::tui::model::Effect::Quit));
}

#[test]
fn the_form_scrolls_to_keep_the_focused_field_in_view() {
    let mut model = sample();
    model.focus = Focus::Field(Field::CustomData);
    let terminal = screen(&mut model, 80, 24);
    assert!(text(&terminal).contains("Custom Data Fields"));
}

#[test]
fn editing_puts_the_terminal_cursor_at_the_caret() {
    let mut model = sample();
    model.focus = Focus::Field(Field::SkillName);
    update::update(&mut model, Action::Command(Command::Activate));
    let mut terminal = screen(&mut model, 120, 40);
    let cursor = terminal.get_cursor_position().unwrap();
    let buffer = terminal.backend().buffer();
    // The caret sits just after "Sales".
    let before: String = (0..cursor.x)
        .map(|x| buffer[(x, cursor.y)].symbol().to_string())
        .collect();
    assert!(
        before.ends_with("Sales"),
        "cursor at {cursor:?}: {before:?}"
    );
}

#[test]
fn the_first_frame_comes_before_the_rules_and_says_so() {
    let doc = BotDocument::from_bytes(SAMPLE_BOT.as_bytes()).expect("the sample bot loads");
    let mut model = Model::unchecked(doc, Sidecar::default(), PathBuf::from("sample-bot.json"));
    assert!(!model.checked);
    assert_eq!(model.diagnostics().count(), 0, "no rule has run yet");
    let first = text(&screen(&mut model, 120, 40));
    assert!(first.contains("checking…"), "{first}");
    assert!(
        !first.contains(" ok"),
        "no row claims to be fine before it is checked"
    );
    insta::assert_snapshot!(first);
    model.check();
    assert!(model.checked);
    let checked = text(&screen(&mut model, 120, 40));
    assert!(!checked.contains("checking…"), "{checked}");
    assert!(checked.contains("Diagnostics ("), "{checked}");
}
