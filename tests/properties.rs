//! Property tests (proptest):
//!
//! - generated exports, with unknown keys everywhere and odd strings and numbers, load and
//!   save byte-identical in several layouts, and an edit through `set_field` reads back with
//!   every other value unchanged;
//! - random sequences of commands, keys, pastes, clicks and resizes (down to 0×0) never panic,
//!   draw at every step and keep the model's invariants.

use std::path::PathBuf;

use escalator::bot::integration::{CustomDataField, Field, IntegrationKind};
use escalator::bot::{BotDocument, keys};
use escalator::tui::keymap::{self, Command};
use escalator::tui::model::{Action, Effect, Focus, Model};
use escalator::tui::update::{action_for, update};
use escalator::tui::view;
use escalator::workspace::shipped::SAMPLE_BOT;
use escalator::workspace::sidecar::Sidecar;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::FileFailurePersistence;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use serde_json::{Map, Value, json};

mod common;
use common::Edits;

// ---------------------------------------------------------------------------------------------
// Generated exports.

/// Characters that have broken JSON writers and terminals before.
const ODD: &[char] = &[
    '"', '\\', '/', '\n', '\r', '\t', '\u{0}', '\u{7}', '\u{8}', '\u{c}', '\u{1b}', '\u{1f}',
    '\u{7f}', '\u{85}', '\u{9b}', '\u{a0}', '\u{2028}', '\u{2029}', '\u{202e}', '\u{2066}',
    '\u{feff}', '\u{fffd}', 'é', 'ß', '你', '🎉', '👩', '\u{200d}', '\u{301}', '<', '>', '&', '\'',
    '=', '{', '}', '$', ' ', '.', ':', ',', '[', ']',
];

fn odd_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::char::range('a', 'z'),
        2 => select(ODD),
        1 => any::<char>(),
    ]
}

fn odd_string() -> impl Strategy<Value = String> {
    vec(odd_char(), 0..10).prop_map(String::from_iter)
}

/// Numbers as serde_json holds them; the text is written by serde_json itself, so every one
/// reads back as it was.
fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-100_000i64..100_000, 1u32..1000)
            .prop_map(|(a, b)| json!(a as f64 + f64::from(b) / 1000.0)),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_filter("serde_json reads it back as written", |f| reads_back(*f))
            .prop_map(Value::from),
    ]
}

/// Whether serde_json reads `f` back as it writes it. Without serde_json's `float_roundtrip`
/// feature some do not (`6.764510046189797e233` reads as `…798e233`, which reads back as
/// `…799e233`), so a float in a subtree escalator writes afresh (a duplicated integration)
/// can change in its last digit; see the report. Those are left out here.
fn reads_back(f: f64) -> bool {
    let text = serde_json::to_string(&f).expect("finite");
    serde_json::from_str::<f64>(&text).is_ok_and(|g| g.to_bits() == f.to_bits() || g == f)
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        odd_string().prop_map(Value::String),
    ]
}

/// Any JSON value, nested a few levels.
fn any_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            vec((odd_string(), inner), 0..4)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// A key no reader knows (none of the known keys starts with `x`).
fn unknown_key() -> impl Strategy<Value = String> {
    odd_string().prop_map(|s| format!("x{s}"))
}

fn unknown_members() -> impl Strategy<Value = Vec<(String, Value)>> {
    vec((unknown_key(), any_value()), 0..3)
}

/// A string, sometimes null (the loader accepts null for its known string keys).
fn text_or_null() -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => odd_string().prop_map(Value::String),
        1 => Just(Value::Null),
    ]
}

/// Ids from a small pool, so interactions find the integrations they run; sometimes odd.
fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(&["r0", "r1", "r2", "m0", "m1", "m2", "g0", "g1"][..]).prop_map(String::from),
        1 => odd_string(),
    ]
}

/// An optional value under one of several spellings.
fn spelled(
    spellings: &'static [&'static str],
    value: impl Strategy<Value = Value>,
) -> impl Strategy<Value = Option<(String, Value)>> {
    proptest::option::of((select(spellings), value).prop_map(|(k, v)| (k.to_string(), v)))
}

/// Puts the members in a random order (by rotation) into an object.
fn object(mut members: Vec<(String, Value)>, rotation: usize) -> Value {
    if !members.is_empty() {
        let by = rotation % members.len();
        members.rotate_left(by);
    }
    Value::Object(members.into_iter().collect::<Map<_, _>>())
}

const TYPE_CODES: &[&str] = &[
    "LIVEPERSON_AGENT_ESCALATION",
    "LP_AGENT_ESCALATION",
    "ESCALATION",
    "API",
    "FAAS",
    "FILE",
    "EMAIL",
    "KNOWLEDGE_AI",
    "SOMETHING_NEW",
];

fn custom_rows() -> impl Strategy<Value = Value> {
    vec(
        (
            text_or_null(),
            // Custom data values are strings (anything else is refused on opening).
            odd_string().prop_map(Value::String),
            unknown_members(),
        )
            .prop_map(|(k, v, mut extra)| {
                extra.insert(0, (keys::CUSTOM_DATA_KEY.into(), k));
                extra.insert(1, (keys::CUSTOM_DATA_VALUE.into(), v));
                object(extra, 0)
            }),
        0..3,
    )
    .prop_map(Value::Array)
}

fn responder_entry() -> impl Strategy<Value = Value> {
    let known = (
        id(),
        text_or_null(),
        text_or_null(),
        proptest::option::of(select(TYPE_CODES)),
        proptest::option::of(text_or_null()),
        proptest::option::of(custom_rows()),
        // Transfer Bot Context is a boolean (anything else is refused on opening).
        proptest::option::of(any::<bool>().prop_map(Value::Bool)),
    );
    let escalation = (
        spelled(keys::SKILL_NAME_READ, odd_string().prop_map(Value::String)),
        // A skill id is a string (a number is refused on opening).
        spelled(keys::SKILL_ID_READ, odd_string().prop_map(Value::String)),
        spelled(keys::AGENT_ID_READ, odd_string().prop_map(Value::String)),
        spelled(keys::MESSAGE_READ, odd_string().prop_map(Value::String)),
    );
    (known, escalation, unknown_members(), any::<usize>()).prop_map(
        |(
            (id, name, rdv, kind, script, rows, tango),
            (skill, skill_id, agent, message),
            extra,
            rotation,
        )| {
            let mut members = vec![(keys::ID.to_string(), Value::String(id))];
            members.push((keys::NAME.into(), name));
            members.push((keys::RESPONSE_DATA_VARIABLE.into(), rdv));
            if let Some(kind) = kind {
                members.push((keys::INTEGRATION_TYPE.into(), Value::from(kind)));
            }
            if let Some(script) = script {
                members.push((keys::TRANSFORM_SCRIPT.into(), script));
            }
            if let Some(rows) = rows {
                members.push((keys::CUSTOM_DATA_FIELDS.into(), rows));
            }
            if let Some(tango) = tango {
                members.push((keys::TANGO_CONTEXT_ENABLED.into(), tango));
            }
            members.extend([skill, skill_id, agent, message].into_iter().flatten());
            members.extend(extra);
            object(members, rotation)
        },
    )
}

fn interaction() -> impl Strategy<Value = Value> {
    (
        (id(), text_or_null(), id()),
        select(
            &[
                "DIALOG_STARTER",
                "TEXT",
                "TEXT_QUESTION",
                "API_INTEGRATION",
                "ESCALATION",
            ][..],
        ),
        (proptest::option::of(id()), proptest::option::of(id())),
        // Interaction delays are strings of digits (anything else is refused on opening).
        proptest::option::of((0u32..10_000).prop_map(|n| Value::String(n.to_string()))),
        proptest::option::of((id(), odd_string(), unknown_members())),
        proptest::option::of(vec(odd_string(), 0..3)),
        unknown_members(),
    )
        .prop_map(
            |((id, name, group), kind, (prev, next), delay, content, pattern, extra)| {
                let mut m = vec![
                    (keys::ID.to_string(), Value::String(id)),
                    (keys::NAME.into(), name),
                    (keys::GROUP.into(), Value::String(group)),
                    (keys::INTERACTION_TYPE.into(), Value::from(kind)),
                ];
                m.extend(prev.map(|p| (keys::PREV_MESSAGE_ID.to_string(), Value::String(p))));
                m.extend(next.map(|n| (keys::NEXT_MESSAGE_ID.to_string(), Value::String(n))));
                m.extend(delay.map(|d| (keys::INTERACTION_DELAY.to_string(), d)));
                if let Some((rid, rname, mut more)) = content {
                    more.push((keys::RESPONDER_ID.into(), Value::String(rid)));
                    more.push((keys::RESPONDER_NAME.into(), Value::String(rname)));
                    m.push((keys::CONTENT.into(), object(more, 0)));
                }
                if let Some(pattern) = pattern {
                    m.push((keys::PATTERN.into(), json!(pattern)));
                }
                m.extend(extra);
                object(m, 0)
            },
        )
}

fn dialog() -> impl Strategy<Value = Value> {
    (
        id(),
        text_or_null(),
        select(&["DIALOG", "FALLBACK_DIALOG"][..]),
        select(&["ENABLED", "DISABLED"][..]),
        unknown_members(),
    )
        .prop_map(|(id, name, kind, status, mut extra)| {
            extra.splice(
                0..0,
                [
                    (keys::ID.to_string(), Value::String(id)),
                    (keys::NAME.into(), name),
                    (keys::DIALOG_TYPE.into(), Value::from(kind)),
                    (keys::STATUS.into(), Value::from(status)),
                ],
            );
            object(extra, 0)
        })
}

fn bot_object() -> impl Strategy<Value = Value> {
    (
        id(),
        text_or_null(),
        proptest::option::of((odd_string(), unknown_members())),
        unknown_members(),
        any::<usize>(),
    )
        .prop_map(|(id, name, attributes, extra, rotation)| {
            let mut m = vec![
                (keys::BOT_ID.to_string(), Value::String(id)),
                (keys::BOT_NAME.into(), name),
            ];
            if let Some((message, mut more)) = attributes {
                more.push((keys::DEFAULT_ERROR_MESSAGE.into(), Value::String(message)));
                m.push((keys::BOT_ATTRIBUTES.into(), object(more, 0)));
            }
            m.extend(extra);
            object(m, rotation)
        })
}

/// A whole export: `bot`, `responder`, usually `conversationMessage` and `groups`, and
/// unknown top-level keys, in a random order.
fn export() -> impl Strategy<Value = Value> {
    (
        bot_object(),
        vec(responder_entry(), 0..5),
        proptest::option::of(vec(interaction(), 0..5)),
        proptest::option::of(vec(dialog(), 0..3)),
        vec(
            (
                unknown_key(),
                prop_oneof![any_value(), Just(json!([])), Just(json!({}))],
            ),
            0..3,
        ),
        any::<usize>(),
    )
        .prop_map(
            |(bot, responders, interactions, dialogs, mut extra, rotation)| {
                extra.push((keys::BOT.into(), bot));
                extra.push((keys::RESPONDER.into(), Value::Array(responders)));
                if let Some(i) = interactions {
                    extra.push((keys::CONVERSATION_MESSAGE.into(), Value::Array(i)));
                }
                if let Some(d) = dialogs {
                    extra.push((keys::GROUPS.into(), Value::Array(d)));
                }
                object(extra, rotation)
            },
        )
}

/// How the generated export is written out.
#[derive(Debug, Clone, Copy)]
enum Layout {
    Pretty,
    PrettyNewline,
    Compact,
    Crlf,
    Bom,
    FourSpaces,
    Tabs,
}

fn layout() -> impl Strategy<Value = Layout> {
    select(
        &[
            Layout::Pretty,
            Layout::PrettyNewline,
            Layout::Compact,
            Layout::Crlf,
            Layout::Bom,
            Layout::FourSpaces,
            Layout::Tabs,
        ][..],
    )
}

fn indented(value: &Value, indent: &[u8]) -> String {
    use serde::Serialize;
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(indent);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    value.serialize(&mut serializer).expect("serialises");
    String::from_utf8(out).expect("UTF-8")
}

/// The text of `value` in `layout` (JSON strings never hold a raw line end, so line ends can
/// be swapped safely).
fn write(value: &Value, layout: Layout) -> String {
    let pretty = || serde_json::to_string_pretty(value).expect("serialises");
    match layout {
        Layout::Pretty => pretty(),
        Layout::PrettyNewline => pretty() + "\n",
        Layout::Compact => serde_json::to_string(value).expect("serialises"),
        Layout::Crlf => pretty().replace('\n', "\r\n") + "\r\n",
        Layout::Bom => format!("\u{feff}{}", pretty()),
        Layout::FourSpaces => indented(value, b"    "),
        Layout::Tabs => indented(value, b"\t"),
    }
}

/// An edit through `set_field`, with the value the field must read back.
#[derive(Debug, Clone)]
enum Edit {
    Text(Field, String),
    Type(IntegrationKind),
    Checkbox(bool),
    Rows(Vec<(String, String)>),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (
            select(&[
                Field::Name,
                Field::ResponseDataVariable,
                Field::SkillName,
                Field::SkillId,
                Field::AgentId,
                Field::Message,
                Field::TransformScript,
            ][..]),
            odd_string(),
        )
            .prop_map(|(f, v)| Edit::Text(f, v)),
        1 => select(IntegrationKind::CHOICES.to_vec()).prop_map(Edit::Type),
        1 => any::<bool>().prop_map(Edit::Checkbox),
        1 => vec(
            (
                "[A-Za-z_][A-Za-z0-9_.]{0,6}",
                vec(odd_char().prop_filter("one line", |c| *c != '\n' && *c != '\r'), 0..8)
                    .prop_map(String::from_iter),
            ),
            0..4
        )
        .prop_map(Edit::Rows),
    ]
}

impl Edit {
    fn field(&self) -> Field {
        match self {
            Edit::Text(f, _) => *f,
            Edit::Type(_) => Field::IntegrationType,
            Edit::Checkbox(_) => Field::TransferBotContext,
            Edit::Rows(_) => Field::CustomData,
        }
    }

    /// The form text `set_field` takes.
    fn text(&self) -> String {
        match self {
            Edit::Text(_, v) => v.clone(),
            Edit::Type(kind) => kind.label().to_string(),
            Edit::Checkbox(on) => on.to_string(),
            Edit::Rows(rows) => rows
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    /// The keys of a `responder[]` entry this edit may write or rename.
    fn keys(&self) -> &'static [&'static str] {
        match self.field() {
            Field::Name => &[keys::NAME],
            Field::ResponseDataVariable => &[keys::RESPONSE_DATA_VARIABLE],
            Field::IntegrationType => &[keys::INTEGRATION_TYPE],
            Field::SkillName => keys::SKILL_NAME_READ,
            Field::SkillId => keys::SKILL_ID_READ,
            Field::AgentId => keys::AGENT_ID_READ,
            Field::TransferBotContext => &[keys::TANGO_CONTEXT_ENABLED],
            Field::Message => keys::MESSAGE_READ,
            Field::TransformScript => &[keys::TRANSFORM_SCRIPT],
            Field::CustomData => &[keys::CUSTOM_DATA_FIELDS],
            // Not generated: no integration key of its own.
            _ => &[],
        }
    }
}

/// `cases` cases (`PROPTEST_CASES` overrides it, for a longer run by hand); failures are kept
/// in `tests/properties.proptest-regressions` and replayed first on the next run.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

fn entry(doc: &BotDocument, index: usize) -> Map<String, Value> {
    doc.root()[keys::RESPONDER][index]
        .as_object()
        .expect("an object")
        .clone()
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn generated_exports_save_byte_identical(value in export(), layout in layout()) {
        let text = write(&value, layout);
        let doc = BotDocument::from_bytes(text.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))?;
        // serde_json reads some floats back one bit off (without its `float_roundtrip`
        // feature), so the tree is compared with the text read by serde_json itself.
        let read: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).expect("JSON");
        prop_assert_eq!(&doc.root(), &read);
        prop_assert_eq!(doc.to_text(), text);
    }

    #[test]
    fn an_edit_reads_back_and_changes_nothing_else(
        value in export(),
        layout in layout(),
        which in any::<usize>(),
        edit in edit(),
    ) {
        let text = write(&value, layout);
        let mut doc = BotDocument::from_bytes(text.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let count = doc.integration_count();
        prop_assume!(count > 0);
        let index = which % count;
        let before = doc.clone();
        let field = edit.field();
        doc.set_field(index, field, &edit.text())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;

        let saved = doc.to_text();
        let back = BotDocument::from_bytes(saved.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("{e:?}\n{saved}")))?;
        prop_assert_eq!(back.root(), doc.root(), "the saved text reads back as edited");
        prop_assert_eq!(saved.starts_with('\u{feff}'), text.starts_with('\u{feff}'));
        if text.contains("\r\n") {
            prop_assert_eq!(saved.matches('\n').count(), saved.matches("\r\n").count());
        }

        // The edited field reads back.
        let edited = back.integration(index).expect("still there");
        match &edit {
            Edit::Rows(rows) => {
                let want: Vec<CustomDataField> = rows
                    .iter()
                    .map(|(k, v)| CustomDataField { key: k.trim().into(), value: v.trim().into() })
                    .collect();
                prop_assert_eq!(&edited.custom_data, &want);
            }
            _ => prop_assert_eq!(edited.value(field), edit.text()),
        }

        // Every other field of it, and every other integration, is as it was.
        let old = before.integration(index).expect("was there");
        for other in Field::ALL.into_iter().filter(|f| *f != field) {
            prop_assert_eq!(edited.value(other), old.value(other), "{:?}", other);
        }
        for j in (0..count).filter(|j| *j != index) {
            prop_assert_eq!(back.integration(j), before.integration(j));
            prop_assert_eq!(entry(&back, j), entry(&before, j));
        }
        // And so is every key of its entry the edit does not own.
        let (new_entry, old_entry) = (entry(&back, index), entry(&before, index));
        for (key, old_value) in old_entry.iter().filter(|(k, _)| !edit.keys().contains(&k.as_str())) {
            prop_assert_eq!(new_entry.get(key), Some(old_value), "{}", key);
        }
        // Outside `responder`, only a rename touches anything (the interactions that run it).
        let back_root = back.root();
        for (key, old_value) in before.root().as_object().expect("an object") {
            if key == keys::RESPONDER || (key == keys::CONVERSATION_MESSAGE && field == Field::Name) {
                continue;
            }
            prop_assert_eq!(back_root.get(key), Some(old_value), "{}", key);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Random event sequences against update and view.

/// Every command, from the keymap (the one table of them): every command a key gives in some
/// context.
fn all_commands() -> Vec<Command> {
    let mut all = Vec::new();
    for binding in keymap::BINDINGS {
        if !all.contains(&binding.command) {
            all.push(binding.command);
        }
    }
    all
}

#[test]
fn the_generated_commands_cover_the_keymap() {
    let all = all_commands();
    for command in [
        Command::Quit,
        Command::StartFilter,
        Command::AddRow,
        Command::ShowDiff,
    ] {
        assert!(all.contains(&command), "{command:?}");
    }
    assert!(all.len() >= 39, "{} commands", all.len());
}

/// One input: an action given to `update` directly, or a terminal event that goes through
/// the keymap (`action_for`) first, as in the run loop.
#[derive(Debug, Clone)]
enum Step {
    Act(Action),
    Event(Event),
    /// Commands that get somewhere deeper (the table, a cell), each taken only when a key
    /// gives it then (unless any context goes).
    Path(Vec<Command>),
}

fn key_code() -> impl Strategy<Value = KeyCode> {
    prop_oneof![
        3 => odd_char().prop_map(KeyCode::Char),
        1 => select(&['+', '-', '/', '?', ' ', 'n', 'd', 'y', 's', 'c', 'q'][..]).prop_map(KeyCode::Char),
        2 => select(&[
            KeyCode::Backspace,
            KeyCode::Delete,
            KeyCode::Enter,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Insert,
            KeyCode::Esc,
            KeyCode::F(1),
            KeyCode::F(2),
            KeyCode::F(12),
            KeyCode::Null,
        ][..]),
    ]
}

fn modifiers() -> impl Strategy<Value = KeyModifiers> {
    select(vec![
        KeyModifiers::NONE,
        KeyModifiers::NONE,
        KeyModifiers::NONE,
        KeyModifiers::CONTROL,
        KeyModifiers::ALT,
        KeyModifiers::SHIFT,
        KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        KeyModifiers::CONTROL | KeyModifiers::ALT,
    ])
}

fn key() -> impl Strategy<Value = KeyEvent> {
    (key_code(), modifiers()).prop_map(|(code, modifiers)| KeyEvent::new(code, modifiers))
}

/// Multi-line pastes with every kind of line end.
fn paste() -> impl Strategy<Value = String> {
    vec(
        prop_oneof![
            3 => odd_string(),
            1 => select(&["\n", "\r\n", "\r", "\n\n", "x=1\ny=2"][..]).prop_map(String::from),
        ],
        0..5,
    )
    .prop_map(|parts| parts.concat())
}

fn size() -> impl Strategy<Value = (u16, u16)> {
    prop_oneof![
        3 => (0u16..=200, 0u16..=60),
        1 => (55u16..=65, 14u16..=18),
        1 => select(&[(0, 0), (1, 1), (60, 16), (80, 24), (99, 30), (100, 30), (200, 60)][..]),
    ]
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        12 => select(all_commands()).prop_map(Action::Command),
        4 => key().prop_map(Action::Key),
        2 => paste().prop_map(Action::Paste),
        2 => (0u16..220, 0u16..70).prop_map(|(column, row)| Action::Click { column, row }),
        1 => size().prop_map(|(w, h)| Action::Resize(w, h)),
        1 => (select(Field::ALL.to_vec()), prop_oneof![paste().prop_map(Ok), odd_string().prop_map(Err)])
            .prop_map(|(field, result)| Action::EditorDone(field, result)),
        1 => prop_oneof![Just(Ok(())), odd_string().prop_map(Err)].prop_map(Action::Saved),
        1 => (odd_string(), any::<bool>())
            .prop_map(|(why, then_quit)| Action::SaveConflict { why, then_quit }),
        1 => prop_oneof![Just(Ok(())), odd_string().prop_map(Err)].prop_map(Action::Reloaded),
    ]
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        6 => key().prop_map(Event::Key),
        1 => paste().prop_map(Event::Paste),
        2 => (0u16..220, 0u16..70, select(&[
            MouseEventKind::Down(MouseButton::Left),
            MouseEventKind::Down(MouseButton::Right),
            MouseEventKind::Up(MouseButton::Left),
            MouseEventKind::ScrollDown,
            MouseEventKind::Moved,
        ][..]))
            .prop_map(|(column, row, kind)| Event::Mouse(MouseEvent {
                kind,
                column,
                row,
                modifiers: KeyModifiers::NONE,
            })),
        1 => size().prop_map(|(w, h)| Event::Resize(w, h)),
        1 => Just(Event::FocusGained),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    use Command as C;
    prop_oneof![
        6 => action().prop_map(Step::Act),
        4 => event().prop_map(Step::Event),
        1 => select(vec![
            vec![C::FocusList, C::PrevField, C::Activate],
            vec![C::FocusList, C::PrevField, C::Activate, C::AddRow],
            vec![C::FocusList, C::PrevField, C::Activate, C::Right, C::Activate],
            vec![C::FocusList, C::NextField, C::Activate],
            vec![C::FocusList, C::PrevField, C::PrevField, C::Activate],
            vec![C::FocusList, C::Down, C::NextField, C::NextField, C::NextField, C::Activate],
        ])
        .prop_map(Step::Path),
    ]
}

/// The bot the session starts on: the sample, an empty one, or a generated export.
fn start() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just(SAMPLE_BOT.to_string()),
        1 => Just(r#"{"bot": {}, "responder": []}"#.to_string()),
        3 => (export(), layout()).prop_map(|(value, layout)| write(&value, layout)),
    ]
}

/// Carries out the effects the run loop would, without a terminal or a disk: a save takes
/// the text as saved, `$EDITOR` hands back the text with a line added.
fn perform(model: &mut Model, effect: Option<Effect>) {
    let mut effect = effect;
    for _ in 0..4 {
        let next = match effect.take() {
            Some(Effect::Save { .. }) => {
                let text = model.doc.to_text();
                model.doc.mark_saved(text);
                update(model, Action::Saved(Ok(())))
            }
            Some(Effect::OpenEditor { field, text }) => update(
                model,
                Action::EditorDone(field, Ok(text + "\nfrom $EDITOR")),
            ),
            _ => None,
        };
        effect = next;
    }
}

fn draw(model: &Model) {
    let (width, height) = model.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal
        .draw(|frame| view::view(model, frame))
        .expect("draw");
}

/// The commands a key gives now, in the model's context.
fn reachable(model: &Model) -> Vec<Command> {
    let context = model.context();
    let mut found = Vec::new();
    for b in keymap::BINDINGS {
        let key = KeyEvent::new(b.code, b.modifiers);
        if let Some(command) = keymap::Keymap::default().lookup(context, &key)
            && !found.contains(&command)
        {
            found.push(command);
        }
    }
    found
}

fn check_invariants(model: &Model, step: &Step, any_context: bool) -> Result<(), TestCaseError> {
    prop_assert!(
        model.integrations.is_empty() || model.selected < model.integrations.len(),
        "after {:?}: selected {} of {}",
        step,
        model.selected,
        model.integrations.len()
    );
    if let Focus::Field(field) = model.focus {
        prop_assert!(
            model.fields().contains(&field),
            "after {:?}: focus on {:?}, not one of {:?}",
            step,
            field,
            model.fields()
        );
    }
    // Only through the keymap: `update` takes `StartFilter` while a field is being edited
    // and leaves both on (no key gives it then; see the report).
    if !any_context {
        prop_assert!(
            !(model.editing.is_some() && model.filter_active),
            "after {:?}: editing while the filter is active",
            step
        );
    }
    let text = model.doc.to_text();
    let back = BotDocument::from_bytes(text.as_bytes())
        .map_err(|e| TestCaseError::fail(format!("after {step:?}: {e:?}\n{text}")))?;
    prop_assert_eq!(back.root(), model.doc.root(), "after {:?}", step);
    // What the editor shows and keeps checked follows every change: the same as reading and
    // checking the bot from scratch.
    if model.checked {
        prop_assert_eq!(
            &model.integrations,
            &model.doc.integrations(),
            "after {:?}",
            step
        );
        prop_assert_eq!(
            &model.report,
            &common::checked_from_scratch(model),
            "after {:?}",
            step
        );
    }
    Ok(())
}

/// Runs a session of `steps` on `text`, drawing and checking after each step. Commands given
/// directly are swapped for one a key gives in the current context, unless `any_context`.
fn session(text: &str, steps: &[Step], any_context: bool) -> Result<(), TestCaseError> {
    let doc = BotDocument::from_bytes(text.as_bytes())
        .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
    let mut model = Model::new(doc, Sidecar::default(), PathBuf::from("bot.json"));
    draw(&model);
    for step in steps {
        let effect = match step.clone() {
            Step::Act(Action::Command(c)) if !any_context => {
                // The command a key could give now, picked by the drawn one's place.
                let now = reachable(&model);
                let at = all_commands().iter().position(|x| *x == c).unwrap_or(0);
                match now.get(at % now.len().max(1)) {
                    Some(&command) => update(&mut model, Action::Command(command)),
                    None => None,
                }
            }
            Step::Act(action) => update(&mut model, action),
            Step::Event(event) => match action_for(&model, event) {
                Some(action) => update(&mut model, action),
                None => None,
            },
            Step::Path(commands) => {
                let mut last = None;
                for command in commands {
                    if any_context || reachable(&model).contains(&command) {
                        last = update(&mut model, Action::Command(command));
                        perform(&mut model, last.take());
                    }
                }
                last
            }
        };
        perform(&mut model, effect);
        draw(&model);
        check_invariants(&model, step, any_context)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn sessions_through_the_keymap_never_panic_and_keep_the_invariants(
        text in start(),
        steps in vec(step(), 1..40),
    ) {
        session(&text, &steps, false)?;
    }

    #[test]
    fn any_command_in_any_state_never_panics(
        text in start(),
        steps in vec(step(), 1..40),
    ) {
        session(&text, &steps, true)?;
    }
}
