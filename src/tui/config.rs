//! What the user's config file means for the editor: its keys, its colours and its
//! defaults, with everything wrong in it said and the built-in settings kept for it.

use std::sync::Arc;

use super::keymap::{CONFIG_NAMES, Keymap};
use super::model::Model;
use super::theme::Colours;
use crate::runtime::simulate::Scenario;
use crate::workspace::config::{Config, ScenarioValue};

/// The editor's settings from a config file.
#[derive(Debug, Clone)]
pub struct Settings {
    pub keymap: Keymap,
    pub colours: Colours,
    pub per_message_ms: Option<u64>,
    pub scenario: Scenario,
    /// What was wrong, each "FILE:LINE: …", in the file's order.
    pub problems: Vec<String>,
}

/// The longest per-message time taken (Conversation Builder's whole delay is at most 60 s).
const MAX_PER_MESSAGE_MS: u64 = 60_000;

impl Settings {
    /// The settings `config` gives; anything it cannot give is the built-in one.
    pub fn of(config: &Config) -> Settings {
        let mut problems = config.problems.clone();
        let (keymap, key_problems) = Keymap::with_user(config);
        let (colours, colour_problems) = Colours::from_config(config);
        problems.extend(key_problems);
        problems.extend(colour_problems);
        let per_message_ms = match &config.per_message_ms {
            Some(ms) if ms.value == 0 || ms.value > MAX_PER_MESSAGE_MS => {
                problems.push((
                    ms.line,
                    format!(
                        "defaults.per_message_ms = {} is out of range: write 1 to {MAX_PER_MESSAGE_MS} milliseconds",
                        ms.value
                    ),
                ));
                None
            }
            other => other.as_ref().map(|ms| ms.value),
        };
        let mut scenario = Scenario::default();
        for (member, value) in &config.scenario {
            let fits = match (member.value.as_str(), &value.value) {
                ("dropped", ScenarioValue::Flag(b)) => {
                    scenario.dropped = *b;
                    true
                }
                ("agent_unavailable", ScenarioValue::Flag(b)) => {
                    scenario.agent_unavailable = *b;
                    true
                }
                ("failures", ScenarioValue::Count(n)) if *n <= 5 => {
                    scenario.failures = *n as u32;
                    true
                }
                ("failure_dialog", ScenarioValue::Word(w)) => {
                    match w.as_str() {
                        "as-bot" => scenario.failure_dialog = None,
                        "yes" => scenario.failure_dialog = Some(true),
                        "no" => scenario.failure_dialog = Some(false),
                        _ => {}
                    }
                    matches!(w.as_str(), "as-bot" | "yes" | "no")
                }
                _ => false,
            };
            if !fits {
                problems.push((
                    member.line,
                    format!(
                        "defaults.scenario.{} cannot be taken: the members are dropped and agent_unavailable (true or false), failures (0 to 5) and failure_dialog (\"as-bot\", \"yes\" or \"no\")",
                        member.value
                    ),
                ));
            }
        }
        // In the file's order: a reader goes down it.
        problems.sort();
        problems.dedup();
        let problems = problems.iter().map(|p| config.describe(p)).collect();
        Settings {
            keymap,
            colours,
            per_message_ms,
            scenario,
            problems,
        }
    }

    /// Puts the settings into the editor.
    pub fn apply(&self, model: &mut Model) {
        model.keymap = Arc::new(self.keymap.clone());
        model.colours = self.colours;
        model.sidecar.default_per_message_ms = self.per_message_ms;
        model.saved_settings.default_per_message_ms = self.per_message_ms;
        model.scenario = self.scenario.clone();
        model.config_note = self
            .problems
            .first()
            .map(|first| match self.problems.len() {
                1 => format!("config: {first}"),
                n => format!("config: {first} ({} more: escalator config)", n - 1),
            });
        if let Some(note) = &model.config_note {
            model.status = note.clone();
        }
    }
}

/// A line of the command's output, hidden characters (from a file name) shown as escapes.
fn say(text: &str) {
    use std::io::Write;
    let shown = crate::export::shown::for_terminal(text, false);
    let _ = writeln!(std::io::stdout().lock(), "{shown}");
}

/// `escalator config`: the example, where the file is, or (the default) a check of it.
pub fn command(example: bool, path: bool) -> i32 {
    use crate::workspace::config;
    if example {
        use std::io::Write;
        // Our own text, printed as it is (it has no hidden characters to show).
        let _ = write!(std::io::stdout().lock(), "{}", example_text());
        return 0;
    }
    let place = config::path();
    let shown = place
        .as_ref()
        .map_or("(no config folder on this system)".to_string(), |p| {
            p.display().to_string()
        });
    if path {
        say(&shown);
        return 0;
    }
    let loaded = config::load();
    let problems = Settings::of(&loaded).problems;
    // Nothing there at all (a link to nowhere or in a loop is something, and said).
    if loaded.path.is_none()
        || place
            .as_ref()
            .is_some_and(|p| p.symlink_metadata().is_err())
    {
        say(&format!(
            "{shown}: no config file; the built-in settings are used (escalator config --example prints one)"
        ));
        return 0;
    }
    for p in &problems {
        say(p);
    }
    if problems.is_empty() {
        say(&format!("{shown}: no problems"));
        0
    } else {
        1
    }
}

/// A commented config file with every setting, each at its built-in value: what
/// `escalator config --example` prints.
pub fn example_text() -> String {
    let keymap = Keymap::default();
    let mut out = String::from(
        "# escalator's config: config.toml in your config folder (on Linux\n\
         # ~/.config/escalator/config.toml), or the file ESCALATOR_CONFIG names.\n\
         # Every setting is optional; remove the # of a line to set it. A setting that cannot\n\
         # be read is reported when the editor starts (and by escalator config --check), and\n\
         # its built-in value is kept.\n\
         \n\
         [keys]\n\
         # An action and its keys: one key (\"ctrl-s\") or several ([\"ctrl-s\", \"f10\"]).\n\
         # Keys: ctrl-, alt- and shift- before a character, f1 to f12, del, ins, home, end,\n\
         # pgup, pgdn; two keys with Ctrl as \"ctrl-x ctrl-e\". A typed character (\"w\") works\n\
         # where nothing is being typed. Enter, Esc, Tab, the arrows and Space move about and\n\
         # cannot be rebound. A key another action has is taken from it.\n",
    );
    for (name, command) in CONFIG_NAMES {
        let Some((keys, does)) = keymap.keys_and_name(*command) else {
            continue;
        };
        let keys: Vec<String> = keys
            .into_iter()
            .map(|k| format!("\"{}\"", written(k)))
            .collect();
        let value = if keys.len() == 1 {
            keys[0].clone()
        } else {
            format!("[{}]", keys.join(", "))
        };
        out.push_str(&format!("# {name} = {value}    # {does}\n"));
    }
    out.push_str(
        "\n[theme]\n\
         # The built-in colours: \"dark\" (for a dark background) or \"light\".\n\
         # base = \"dark\"\n\
         # Any role recoloured: a name (\"red\", \"light-blue\", \"dark-gray\"), \"#rrggbb\", or a\n\
         # number 0 to 255. NO_COLOR in the environment turns every colour off.\n",
    );
    let dark = Colours::DARK;
    for (role, colour, what) in [
        (
            "focus",
            dark.focus,
            "the focused pane's border, the status line",
        ),
        ("error", dark.error, "errors"),
        ("warning", dark.warning, "warnings"),
        ("hint", dark.hint, "hints"),
        ("good", dark.good, "\"no problems\", lines added"),
        ("dim", dark.dim, "fixes and notes"),
        ("json_key", dark.json_key, "keys in the preview"),
        ("json_string", dark.json_string, "strings in the preview"),
        (
            "json_other",
            dark.json_other,
            "numbers, true, false, null in the preview",
        ),
    ] {
        let name = colour_name(colour);
        out.push_str(&format!("# {role} = \"{name}\"    # {what}\n"));
    }
    out.push_str(
        "\n[defaults]\n\
         # The time each message before a transfer takes, when a bot's own settings do not\n\
         # say (the recommended interaction delay counts it once a message). The editor's\n\
         # default only: escalator's commands use the bot's settings or 2000.\n\
         # per_message_ms = 2000\n\
         \n\
         [defaults.scenario]\n\
         # The Simulate tab's scenario when the editor starts.\n\
         # dropped = false              # the chat server drops the request\n\
         # agent_unavailable = false    # the agent named by Agent Id is unavailable\n\
         # failures = 0                 # failed transfer attempts, 0 to 5\n\
         # failure_dialog = \"as-bot\"    # a dialog catches failed transfers: as-bot, yes, no\n",
    );
    out
}

/// A key as hints write it ("Ctrl-S", "↑"), as the config writes it ("ctrl-s", "up").
fn written(keys: &str) -> String {
    keys.split(' ')
        .map(|key| {
            key.replace('↑', "up")
                .replace('↓', "down")
                .replace('←', "left")
                .replace('→', "right")
                .to_lowercase()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A colour as the config writes it.
fn colour_name(colour: ratatui::style::Color) -> String {
    use ratatui::style::Color as C;
    match colour {
        C::Black => "black".into(),
        C::Red => "red".into(),
        C::Green => "green".into(),
        C::Yellow => "yellow".into(),
        C::Blue => "blue".into(),
        C::Magenta => "magenta".into(),
        C::Cyan => "cyan".into(),
        C::Gray => "gray".into(),
        C::DarkGray => "dark-gray".into(),
        C::White => "white".into(),
        C::Indexed(n) => n.to_string(),
        C::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        other => other.to_string().to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::{Command, Context};
    use crate::workspace::config;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    #[test]
    fn the_example_is_a_config_that_reads_with_no_problem_and_changes_nothing() {
        let text = example_text();
        // Every line uncommented: each setting at its built-in value.
        let whole: String = text
            .lines()
            .map(|l| {
                l.strip_prefix("# ")
                    .filter(|l| l.contains(" = "))
                    .unwrap_or(l)
            })
            .map(|l| format!("{l}\n"))
            .filter(|l| !l.starts_with('#'))
            .collect();
        let settings = Settings::of(&config::parse(&whole, "example.toml"));
        assert!(
            settings.problems.is_empty(),
            "{:?}\n{whole}",
            settings.problems
        );
        assert_eq!(settings.colours, Colours::DARK);
        assert_eq!(settings.per_message_ms, Some(2000));
        let builtin = Keymap::default();
        for (name, command) in CONFIG_NAMES {
            assert_eq!(
                settings.keymap.keys_of(*command),
                builtin.keys_of(*command),
                "{name}"
            );
        }
    }

    #[test]
    fn save_on_ctrl_w_works_while_typing_and_the_hints_say_so() {
        let c = config::parse("[keys]\nsave = \"ctrl-w\"\n", "c.toml");
        let s = Settings::of(&c);
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        for context in [
            Context::List,
            Context::Form,
            Context::Editing,
            Context::Table,
        ] {
            assert_eq!(
                s.keymap.lookup(context, &ctrl('w')),
                Some(Command::Save),
                "{context:?}"
            );
            assert_eq!(s.keymap.lookup(context, &ctrl('s')), None, "{context:?}");
        }
        assert_eq!(s.keymap.keys_of(Command::Save), Some("Ctrl-W"));
        assert!(
            s.keymap
                .footer(Context::List, |_| true)
                .contains(&("Ctrl-W", "save"))
        );
        // In a box, its own keys stay: the save-failed question's t still tries again.
        assert_eq!(
            s.keymap.lookup(
                Context::SaveFailed,
                &KeyEvent::new(KeyCode::Char('t'), KeyModifiers::NONE)
            ),
            Some(Command::Save)
        );
    }

    #[test]
    fn unknown_actions_bad_keys_and_conflicts_are_told_with_their_lines_and_the_rest_taken() {
        let text = "[keys]\nsave = \"ctrl-w\"\nfly = \"ctrl-f\"\nquit = [\"ctrl-q\", \"hyper-q\"]\nundo = \"f10\"\nredo = \"f10\"\nhelp = \"enter\"\nnew = \"shift-n\"\n";
        let s = Settings::of(&config::parse(text, "c.toml"));
        let p = &s.problems;
        assert_eq!(p.len(), 5, "{p:?}");
        assert!(
            p[0].starts_with("c.toml:3: keys.fly is not an action"),
            "{p:?}"
        );
        assert!(
            p[1].starts_with("c.toml:4: keys.quit: \"hyper-q\" is not a key"),
            "{p:?}"
        );
        assert!(
            p[2].starts_with("c.toml:5: keys.undo and keys.redo both take F10"),
            "{p:?}"
        );
        assert!(
            p[3].starts_with("c.toml:6: keys.redo and keys.undo both take F10"),
            "{p:?}"
        );
        assert!(
            p[4].starts_with("c.toml:7: keys.help: Enter moves about"),
            "{p:?}"
        );
        let k = &s.keymap;
        assert_eq!(k.keys_of(Command::Save), Some("Ctrl-W"), "taken");
        assert_eq!(k.keys_of(Command::Quit), Some("Ctrl-Q"), "kept");
        assert_eq!(k.keys_of(Command::Undo), Some("Ctrl-Z"), "kept");
        assert_eq!(k.keys_of(Command::Help), Some("F1"), "kept");
        let n = KeyEvent::new(KeyCode::Char('N'), KeyModifiers::SHIFT);
        assert_eq!(k.lookup(Context::List, &n), Some(Command::AddIntegration));
        assert_eq!(
            k.lookup(Context::Editing, &n),
            None,
            "a typed character stays text in a field"
        );
    }

    #[test]
    fn keys_a_terminal_never_sends_are_refused_and_an_action_left_keyless_is_said() {
        let text = "[keys]\nmouse = \"ctrl-m\"\npalette = \"ctrl-shift-p\"\nundo = \"ctrl-h\"\nsave = \"ctrl-x\"\n";
        let s = Settings::of(&config::parse(text, "c.toml"));
        let p = &s.problems;
        assert_eq!(p.len(), 4, "{p:?}");
        assert!(
            p[0].starts_with("c.toml:2: keys.mouse: \"ctrl-m\" is not a key a terminal sends"),
            "{p:?}"
        );
        assert!(
            p[1].starts_with("c.toml:3: keys.palette: \"ctrl-shift-p\""),
            "{p:?}"
        );
        assert!(p[2].starts_with("c.toml:4: keys.undo: \"ctrl-h\""), "{p:?}");
        assert!(
            p[3].starts_with(
                "c.toml:5: keys.save takes Ctrl-X from open_editor, which is left with no key"
            ),
            "{p:?}"
        );
        assert_eq!(s.keymap.keys_of(Command::Palette), Some("Ctrl-P"), "kept");
    }

    #[test]
    fn keys_swapped_between_actions_are_taken_in_any_order_and_pairs_may_share_a_first_key() {
        for text in [
            "[keys]\nsave = \"ctrl-z\"\nundo = \"ctrl-s\"\n",
            "[keys]\nundo = \"ctrl-s\"\nsave = \"ctrl-z\"\n",
        ] {
            let s = Settings::of(&config::parse(text, "c.toml"));
            assert!(s.problems.is_empty(), "{text}: {:?}", s.problems);
            assert_eq!(s.keymap.keys_of(Command::Save), Some("Ctrl-Z"), "{text}");
            assert_eq!(s.keymap.keys_of(Command::Undo), Some("Ctrl-S"), "{text}");
            assert_eq!(
                s.keymap.lookup(Context::Editing, &ctrl('s')),
                Some(Command::Undo)
            );
        }
        let s = Settings::of(&config::parse(
            "[keys]\nsave = \"ctrl-x ctrl-s\"\n",
            "c.toml",
        ));
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        assert_eq!(s.keymap.keys_of(Command::Save), Some("Ctrl-X Ctrl-S"));
        assert_eq!(
            s.keymap.keys_of(Command::OpenEditor),
            Some("Ctrl-X Ctrl-E"),
            "kept"
        );
        assert_eq!(
            s.keymap.finish_chord(Context::List, &ctrl('s')),
            Some(Command::Save)
        );
        assert_eq!(
            s.keymap.finish_chord(Context::List, &ctrl('e')),
            Some(Command::OpenEditor)
        );
    }

    #[test]
    fn more_keys_no_terminal_sends_and_an_empty_list_are_told() {
        for key in [
            "ctrl-]",
            "ctrl-/",
            "ctrl-1",
            "ctrl-enter",
            "ctrl-tab",
            "alt-backspace",
            "alt-[",
        ] {
            let text = format!("[keys]\nhelp = \"{key}\"\n");
            let s = Settings::of(&config::parse(&text, "c.toml"));
            assert_eq!(s.problems.len(), 1, "{key}: {:?}", s.problems);
            assert_eq!(s.keymap.keys_of(Command::Help), Some("F1"), "{key}");
        }
        let s = Settings::of(&config::parse("[keys]\nquit = []\n", "c.toml"));
        assert_eq!(s.problems.len(), 1, "{:?}", s.problems);
        assert!(
            s.problems[0].starts_with("c.toml:2: keys.quit is empty"),
            "{:?}",
            s.problems
        );
        assert_eq!(s.keymap.keys_of(Command::Quit), Some("Ctrl-Q"));
    }

    #[test]
    fn undo_rebound_works_in_a_field_too_and_a_typed_key_stays_text_there() {
        let s = Settings::of(&config::parse(
            "[keys]\nundo = \"f10\"\nredo = \"r\"\n",
            "c.toml",
        ));
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        let f10 = KeyEvent::new(KeyCode::F(10), KeyModifiers::NONE);
        for context in [Context::List, Context::Form, Context::Editing] {
            assert_eq!(
                s.keymap.lookup(context, &f10),
                Some(Command::Undo),
                "{context:?}"
            );
            assert_eq!(s.keymap.lookup(context, &ctrl('z')), None, "{context:?}");
        }
        let r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE);
        assert_eq!(s.keymap.lookup(Context::List, &r), Some(Command::Redo));
        assert_eq!(s.keymap.lookup(Context::Editing, &r), None);
    }

    #[test]
    fn a_defaults_section_sets_the_per_message_time_and_the_scenario() {
        let text = "[defaults]\nper_message_ms = 2500\n[defaults.scenario]\nfailures = 2\nfailure_dialog = \"no\"\ndropped = 3\n";
        let s = Settings::of(&config::parse(text, "c.toml"));
        assert_eq!(s.per_message_ms, Some(2500));
        assert_eq!(s.scenario.failures, 2);
        assert_eq!(s.scenario.failure_dialog, Some(false));
        assert_eq!(s.problems.len(), 1, "{:?}", s.problems);
        assert!(s.problems[0].starts_with("c.toml:6: defaults.scenario.dropped"));
    }
}
