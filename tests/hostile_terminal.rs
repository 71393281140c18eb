//! A crafted export must not drive the terminal: every byte the editor writes for a bot full
//! of escape sequences is recorded through ratatui's crossterm backend and checked. The only
//! escape sequences allowed are the ones crossterm itself emits (cursor moves, colours and
//! attributes, cursor show/hide); no control character, C1 control or bidi override from the
//! file may reach the terminal.

use std::cell::RefCell;
use std::io::{self, Write};
use std::path::PathBuf;
use std::rc::Rc;

use escalator::bot::BotDocument;
use escalator::bot::integration::Field;
use escalator::tui::keymap::Command;
use escalator::tui::model::{Action, Focus, Model, Overlay};
use escalator::tui::{update::update, view};
use escalator::workspace::sidecar::Sidecar;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use serde_json::json;

mod common;
use common::Edits;

/// Sequences a hostile export could carry: retitle the terminal (OSC 0), write the clipboard
/// (OSC 52), clear the screen, move the cursor (twice: one inside any real screen, one far
/// outside), set a colour crossterm never emits (`31`), the 8-bit CSI, a bidi override, NUL
/// and BEL.
const SEQUENCES: [&str; 10] = [
    "\x1b]0;pwned\x07",
    "\x1b]52;c;aGk=\x07",
    "\x1b[2J",
    "\x1b[10;10H",
    "\x1b[999;999H",
    "\x1b[31m",
    "\u{9b}31m",
    "\u{202e}",
    "\u{0}",
    "\x07",
];

/// More characters that must not reach the terminal raw.
const MORE: &str = "\u{2028}\u{2029}\u{e0041}\u{200b}\u{feff}\u{85}\u{8d}\u{9d}\u{9c}\u{202a}\u{202b}\u{202c}\u{202d}\u{2066}\u{2067}\u{2068}\u{2069}\x1bP1$r\x1b\\\x7f\r\x0b";

/// `label` wrapped in every sequence, a different one first each time (so that a field cut
/// short still starts with something hostile).
fn hostile(label: &str, rotation: usize) -> String {
    let first = SEQUENCES[rotation % SEQUENCES.len()];
    format!("{first}{label}{}{MORE}", SEQUENCES.concat())
}

fn hostile_bot() -> String {
    let h = hostile;
    let bot = json!({
        "bot": {
            "id": h("bot-id", 1),
            "name": h("Bot name", 2),
            "botAttributes": { "DEFAULT_ERROR_MESSAGE": h("default response", 3) }
        },
        "responder": [
            {
                "id": "r1",
                "name": h("Escalate", 7),
                "responseDataVariable": h("EscalateVar", 5),
                "integrationType": "LIVEPERSON_AGENT_ESCALATION",
                "agentSkillName": h("Skill name", 6),
                "agentSkillId": h("12", 7),
                "agentId": h("1.2", 8),
                "transferMessage": format!("{}\nsecond line {}\nthird\nfourth {}", h("Hold on", 9), h("x", 0), h("y", 1)),
                "tangoContextEnabled": true,
                "transformResultsScript": format!("{}\n{}", h("var a = 1;", 2), h("// two", 3)),
                "customDataFields": [
                    { "key": h("key one", 4), "value": h("value one", 5) },
                    { "key": h("{$botContext.skillId}", 6), "value": h("{$.api_x.y}", 7) }
                ],
                h("unknown key", 8): h("unknown value", 9)
            },
            {
                "id": "r2",
                "name": h("Other", 0),
                "responseDataVariable": h("OtherVar", 1),
                "integrationType": h("WEIRD_TYPE", 2),
                "transformResultsScript": h("script", 3),
                "customDataFields": [{ "key": h("k", 4), "value": h("v", 5) }]
            },
            {
                "id": "r3",
                "name": h("Escalate", 7),
                "responseDataVariable": "",
                "integrationType": "LIVEPERSON_AGENT_ESCALATION",
                "agentSkillName": "",
                "agentSkillId": h("{$botContext.skillId}", 6),
                "transferMessage": h("{$botContext.unknown}", 7),
                "customDataFields": []
            }
        ],
        "conversationMessage": [
            {
                "id": "m1",
                "name": h("starter", 6),
                "group": "g1",
                "interactionType": "DIALOG_STARTER",
                "pattern": [h("hi", 7)],
                "nextMessageId": "m2"
            },
            {
                "id": "m2",
                "name": h("statement", 8),
                "group": "g1",
                "interactionType": "TEXT",
                "prevMessageId": "m1",
                "nextMessageId": "m3"
            },
            {
                "id": "m3",
                "name": h("run escalation", 9),
                "group": "g1",
                "interactionType": "API_INTEGRATION",
                "prevMessageId": "m2",
                "interactionDelay": "100",
                "content": { "responderName": h("Escalate", 7), "responderId": "r1" }
            }
        ],
        "groups": [
            { "id": "g1", "name": h("Dialog name", 0), "dialogType": "DIALOG" },
            { "id": "g2", "name": h("Fallback", 1), "dialogType": "FALLBACK_DIALOG" }
        ]
    });
    serde_json::to_string_pretty(&bot).expect("serialises")
}

fn hostile_model() -> Model {
    let text = hostile_bot();
    let doc = BotDocument::from_bytes(text.as_bytes()).expect("the hostile bot loads");
    let mut sidecar = Sidecar::default();
    sidecar
        .context
        .insert("botContext.skillId".into(), hostile("4242", 3));
    sidecar
        .context
        .insert("botContext.unknown".into(), hostile("sample", 5));
    Model::new(doc, sidecar, PathBuf::from(hostile("bot", 7) + ".json"))
}

// ---------------------------------------------------------------------------------------------
// Recording what reaches the terminal.

/// A writer that keeps every byte, readable after the terminal that owns it is done.
#[derive(Clone, Default)]
struct Recorder(Rc<RefCell<Vec<u8>>>);

impl Write for Recorder {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Draws the model once on a fresh terminal of `width`×`height` and returns the bytes written.
fn record(model: &mut Model, width: u16, height: u16) -> Vec<u8> {
    model.size = (width, height);
    let recorder = Recorder::default();
    {
        let backend = CrosstermBackend::new(recorder.clone());
        // A fixed viewport: the backend never asks a real terminal for its size.
        let mut terminal = Terminal::with_options(
            backend,
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
            },
        )
        .expect("terminal");
        terminal
            .draw(|frame| view::view(model, frame))
            .expect("draw");
    }
    recorder.0.take()
}

/// Direction marks and overrides, line and paragraph separators, tag characters and the other
/// invisible format characters: a terminal moves, reorders or hides text for them.
fn is_bidi(c: char) -> bool {
    escalator::export::shown::is_hidden(c) && !c.is_control()
}

/// Whether the parameters of an SGR sequence are ones crossterm writes: attributes, the
/// reset colours, and 256-colour or RGB colours (never the 8 and 16-colour forms `30`-`37`,
/// `40`-`47`, `90`-`97`, `100`-`107`).
fn sgr_is_crosstermish(params: &str) -> bool {
    let numbers: Vec<Option<u16>> = params.split(';').map(|p| p.parse().ok()).collect();
    let mut i = 0;
    while i < numbers.len() {
        let Some(n) = numbers[i] else { return false };
        match n {
            0..=9 | 21..=29 | 39 | 49 | 59 => i += 1,
            38 | 48 | 58 => match numbers.get(i + 1).copied().flatten() {
                Some(5) if numbers.get(i + 2).copied().flatten().is_some() => i += 3,
                Some(2) if numbers[i + 2..].iter().take(3).flatten().count() == 3 => i += 5,
                _ => return false,
            },
            _ => return false,
        }
    }
    true
}

/// Every problem in the bytes written for a `width`×`height` screen.
fn problems(bytes: &[u8], width: u16, height: u16) -> Vec<String> {
    let mut found = Vec::new();
    let window = |at: usize| {
        let from = at.saturating_sub(40);
        let to = (at + 40).min(bytes.len());
        format!("{:?}", String::from_utf8_lossy(&bytes[from..to]))
    };
    let contains = |needle: &[u8]| bytes.windows(needle.len()).position(|w| w == needle);
    for (name, needle) in [
        ("BEL", &b"\x07"[..]),
        ("NUL", b"\x00"),
        ("OSC", b"\x1b]"),
        ("DCS", b"\x1bP"),
        ("clear screen", b"\x1b[2J"),
        ("8-bit CSI", "\u{9b}".as_bytes()),
    ] {
        if let Some(at) = contains(needle) {
            found.push(format!("{name} at byte {at}: {}", window(at)));
        }
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        found.push("the output is not UTF-8".into());
        return found;
    };
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c != '\x1b' {
            if c.is_control() || is_bidi(c) {
                found.push(format!(
                    "raw U+{:04X} at byte {at}: {}",
                    c as u32,
                    window(at)
                ));
            }
            continue;
        }
        // ESC: only a CSI sequence crossterm writes may follow.
        if chars.next_if(|&(_, c)| c == '[').is_none() {
            found.push(format!(
                "ESC not followed by '[' at byte {at}: {}",
                window(at)
            ));
            continue;
        }
        let mut params = String::new();
        while let Some((_, p)) = chars.next_if(|&(_, c)| c.is_ascii_digit() || c == ';' || c == '?')
        {
            params.push(p);
        }
        let final_byte = chars.next().map(|(_, c)| c);
        let ok = match final_byte {
            Some('H') => {
                let coords: Vec<Option<u16>> = params.split(';').map(|p| p.parse().ok()).collect();
                matches!(coords.as_slice(), [Some(row), Some(column)]
                    if (1..=height).contains(row) && (1..=width).contains(column))
            }
            Some('m') => sgr_is_crosstermish(&params),
            Some('h' | 'l') => params == "?25",
            _ => false,
        };
        if !ok {
            found.push(format!(
                "unexpected sequence ESC [{params}{} at byte {at}: {}",
                final_byte.map(String::from).unwrap_or_default(),
                window(at)
            ));
        }
    }
    found
}

/// Draws `model` at 120×40 and 80×24 and returns what was wrong, labelled with `state`.
fn check(state: &str, model: &mut Model) -> Vec<String> {
    let mut all = Vec::new();
    for (width, height) in [(120, 40), (80, 24)] {
        let bytes = record(model, width, height);
        assert!(!bytes.is_empty(), "{state}: something was drawn");
        all.extend(
            problems(&bytes, width, height)
                .into_iter()
                .map(|p| format!("{state} at {width}x{height}: {p}")),
        );
    }
    all
}

fn assert_clean(problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn cmd(model: &mut Model, command: Command) {
    update(model, Action::Command(command));
}

/// Draws the preview at several scroll positions (it is taller than the pane).
fn check_preview_scrolled(state: &str, model: &mut Model) -> Vec<String> {
    let mut all = Vec::new();
    for step in 0..6 {
        model.preview_scroll = step * 10;
        all.extend(check(&format!("{state}, preview scrolled {step}0"), model));
    }
    model.preview_scroll = 0;
    all
}

// ---------------------------------------------------------------------------------------------
// The checker itself.

#[test]
fn the_checker_catches_raw_sequences_and_allows_crossterms_own() {
    let bytes = record(&mut hostile_model(), 80, 24);
    assert!(problems(&bytes, 80, 24).is_empty());
    for bad in SEQUENCES
        .iter()
        .chain(&["\u{2067}", "\x1bP1$r\x1b\\", "\r"])
    {
        let mut tainted = bytes.clone();
        tainted.extend_from_slice(bad.as_bytes());
        if *bad == "\x1b[10;10H" {
            // A move inside the screen is what crossterm writes itself.
            assert!(problems(&tainted, 80, 24).is_empty(), "{bad:?}");
        } else {
            assert!(!problems(&tainted, 80, 24).is_empty(), "{bad:?} is caught");
        }
    }
    let ok = b"\x1b[?25l\x1b[1;1H\x1b[38;5;9;48;5;0m\x1b[1m\x1b[22m\x1b[39m\x1b[49m\x1b[0mab\x1b[24;80H\x1b[?25h";
    assert_eq!(problems(ok, 80, 24), Vec::<String>::new());
}

#[test]
fn the_hostile_bot_keeps_its_sequences() {
    let model = hostile_model();
    let current = model.current().expect("an integration");
    assert!(current.name.contains("\x1b]0;pwned\x07"));
    assert!(current.escalation.message.contains('\u{202e}'));
    assert!(current.custom_data[0].key.contains('\u{9b}'));
    assert_eq!(model.integrations.len(), 3);
    assert!(model.doc.bot_name().contains("\x1b[2J"));
}

// ---------------------------------------------------------------------------------------------
// The states.

#[test]
fn the_list_and_the_form_show_no_raw_sequences() {
    let mut model = hostile_model();
    let mut found = check("list focus", &mut model);
    for index in 0..model.integrations.len() {
        model.selected = index;
        model.focus = Focus::List;
        found.extend(check(&format!("integration {index} selected"), &mut model));
    }
    assert_clean(&found);
}

#[test]
fn every_focused_field_shows_no_raw_sequences() {
    let mut found = Vec::new();
    for index in 0..3 {
        let mut model = hostile_model();
        model.selected = index;
        for field in model.fields() {
            model.focus = Focus::Field(field);
            found.extend(check(
                &format!("integration {index}, {field:?} focused"),
                &mut model,
            ));
        }
    }
    assert_clean(&found);
}

#[test]
fn the_preview_configured_and_evaluated_shows_no_raw_sequences() {
    let mut found = Vec::new();
    for index in 0..3 {
        let mut model = hostile_model();
        model.selected = index;
        found.extend(check_preview_scrolled(
            &format!("integration {index}, configured preview"),
            &mut model,
        ));
        cmd(&mut model, Command::TogglePreviewMode);
        found.extend(check_preview_scrolled(
            &format!("integration {index}, evaluated preview"),
            &mut model,
        ));
    }
    assert_clean(&found);
}

#[test]
fn the_simulation_shows_no_raw_sequences() {
    let mut found = Vec::new();
    for index in 0..3 {
        let mut model = hostile_model();
        model.selected = index;
        cmd(&mut model, Command::TogglePreviewTab);
        found.extend(check_preview_scrolled(
            &format!("integration {index}, simulation"),
            &mut model,
        ));
        for command in [
            Command::SimulateDrop,
            Command::SimulateAgentUnavailable,
            Command::SimulateFailures,
            Command::SimulateFailureDialog,
        ] {
            cmd(&mut model, command);
            found.extend(check(
                &format!("integration {index}, simulation after {command:?}"),
                &mut model,
            ));
        }
    }
    assert_clean(&found);
}

#[test]
fn the_sample_values_editor_shows_no_raw_sequences() {
    // The sample values come from the sidecar file beside the export.
    let mut model = hostile_model();
    cmd(&mut model, Command::EditSampleContext);
    assert_eq!(model.overlay, Some(Overlay::SampleContext));
    let mut found = check("sample values", &mut model);
    update(&mut model, Action::Paste(SEQUENCES.join("\n")));
    found.extend(check("sample values, pasted", &mut model));
    assert_clean(&found);
}

#[test]
fn overlays_and_the_status_line_show_no_raw_sequences() {
    let mut model = hostile_model();
    cmd(&mut model, Command::Help);
    assert_eq!(model.overlay, Some(Overlay::Help));
    let mut found = check("help overlay", &mut model);
    cmd(&mut model, Command::Cancel);

    cmd(&mut model, Command::DeleteIntegration);
    assert_eq!(model.overlay, Some(Overlay::ConfirmDelete(0)));
    found.extend(check("delete confirmation", &mut model));

    // The status line names the deleted integration.
    cmd(&mut model, Command::ConfirmYes);
    assert!(model.status.contains("pwned"), "{:?}", model.status);
    found.extend(check("after the delete", &mut model));

    // An edit, then quitting: the question names the (hostile) file.
    let mut model = hostile_model();
    model.focus = Focus::Field(Field::TransferBotContext);
    cmd(&mut model, Command::Toggle);
    cmd(&mut model, Command::Quit);
    assert_eq!(model.overlay, Some(Overlay::ConfirmQuit));
    found.extend(check("quit confirmation", &mut model));

    // The Integration Type choices over an integration of an unknown type.
    let mut model = hostile_model();
    model.selected = 1;
    model.focus = Focus::Field(Field::IntegrationType);
    cmd(&mut model, Command::Activate);
    assert!(matches!(model.overlay, Some(Overlay::SelectType(_))));
    found.extend(check("type choices", &mut model));

    // Edits journaled by an earlier session, and their difference from the file: the journal
    // holds file text (JSON escapes ESC, BEL and NUL, but not C1 controls or bidi overrides).
    let mut model = hostile_model();
    let mut edited = hostile_model();
    edited
        .doc
        .set_field(0, Field::SkillName, &hostile("journaled", 2))
        .expect("edit");
    model.offer_recovery(escalator::workspace::journal::Entry {
        file: model.path.clone(),
        written_at: 0,
        base_hash: 1,
        text: edited.doc.to_text(),
        ..Default::default()
    });
    found.extend(check("recovery question", &mut model));
    cmd(&mut model, Command::ShowDiff);
    assert_eq!(model.overlay, Some(Overlay::RecoveryDiff));
    assert!(model.diff.iter().any(|l| l.contains('\u{202e}')));
    found.extend(check("recovery difference", &mut model));

    // The file changed on disk; then "save as", with a name typed.
    let mut model = hostile_model();
    model.overlay = Some(Overlay::ChangedOnDisk { then_quit: false });
    found.extend(check("changed on disk", &mut model));
    cmd(&mut model, Command::SaveAs);
    assert!(matches!(model.overlay, Some(Overlay::SaveAs { .. })));
    // The suggested name comes from the (hostile) file name; a pasted one is added to it.
    found.extend(check("save as", &mut model));
    update(&mut model, Action::Paste(hostile("name", 7)));
    found.extend(check("save as, pasted", &mut model));

    // The filter, typed and pasted with sequences of its own.
    let mut model = hostile_model();
    cmd(&mut model, Command::StartFilter);
    update(&mut model, Action::Paste(SEQUENCES.concat()));
    found.extend(check("filter", &mut model));
    assert_clean(&found);
}

/// Focuses `field` of integration `index` and presses Enter (twice in the table: once to enter
/// it, once to edit the cell in `column`).
fn editing(index: usize, field: Field, column: usize) -> Model {
    let mut model = hostile_model();
    model.selected = index;
    model.focus = Focus::Field(field);
    cmd(&mut model, Command::Activate);
    if field == Field::CustomData {
        model.table_column = column;
        cmd(&mut model, Command::Activate);
    }
    model
}

/// Every text field and table cell opened for typing, with its hostile value in the editor.
fn editing_states() -> Vec<(String, Model)> {
    let mut states = Vec::new();
    for index in 0..3 {
        let fields = {
            let mut m = hostile_model();
            m.selected = index;
            m.fields()
        };
        for field in fields {
            if matches!(field, Field::IntegrationType | Field::TransferBotContext) {
                continue;
            }
            let columns: &[usize] = if field == Field::CustomData {
                &[0, 1]
            } else {
                &[0]
            };
            for &column in columns {
                let model = editing(index, field, column);
                let text = model.editing.as_ref().map(|e| e.text());
                let empty = model.current().is_some_and(|i| i.value(field).is_empty());
                assert!(
                    empty || text.is_some_and(|t| t.contains('\u{202e}') && t.contains('\x1b')),
                    "integration {index}, {field:?}: the editor holds the hostile value"
                );
                states.push((
                    format!("integration {index}, editing {field:?} (column {column})"),
                    model,
                ));
            }
        }
    }
    states
}

#[test]
fn editing_a_field_writes_nothing_raw() {
    // The editor widget (ratatui-textarea) draws the raw value, not `clean`'s escapes. Nothing
    // reaches the terminal raw all the same: ratatui drops every grapheme holding a control
    // character (C0, DEL, C1), and its `Paragraph`, which the editor renders through, skips
    // zero-width graphemes, which bidi overrides and isolates are.
    let mut found = Vec::new();
    for (state, mut model) in editing_states() {
        found.extend(check(&state, &mut model));
    }
    assert_clean(&found);
}

#[test]
fn typing_and_pasting_sequences_shows_none_raw() {
    // What the user pastes is drawn like file text once it is in the document.
    let mut model = hostile_model();
    model.focus = Focus::Field(Field::SkillName);
    update(&mut model, Action::Paste(SEQUENCES.concat()));
    cmd(&mut model, Command::Leave);
    let mut found = check("after pasting into Agent Skill Name", &mut model);
    model.focus = Focus::Field(Field::Message);
    update(&mut model, Action::Paste(SEQUENCES.join("\n")));
    cmd(&mut model, Command::Leave);
    found.extend(check("after pasting into Message to User", &mut model));
    assert_clean(&found);
}
