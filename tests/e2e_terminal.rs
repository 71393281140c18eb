//! End-to-end runs of the editor in a real pseudo-terminal opened by the test itself
//! (portable-pty), its output read by a terminal emulator (vt100): keys in, screen text out.
//! Every wait is for text on the screen (or the program's exit), never a fixed sleep; every
//! editor started here is ended and reaped when its test ends, pass or fail.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

const BIN: &str = env!("CARGO_BIN_EXE_escalator");
const WAIT: Duration = Duration::from_secs(20);

/// The editor in a pseudo-terminal of its own, and the screen it has drawn so far.
struct Term {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    // Kept open for the editor's lifetime: closing it hangs the terminal up.
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Term {
    /// Starts the editor with its state (journals) and data folders under `home`.
    fn start_in(home: &Path, width: u16, height: u16, args: &[&Path]) -> Term {
        let state = home.join("state");
        let data = home.join("data");
        Term::start(
            width,
            height,
            &[
                ("XDG_STATE_HOME", &state),
                ("XDG_DATA_HOME", &data),
                ("XDG_CONFIG_HOME", &home.join("config")),
                ("HOME", home),
            ],
            args,
        )
    }

    fn start(width: u16, height: u16, env: &[(&str, &Path)], args: &[&Path]) -> Term {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: height,
                cols: width,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal opens");
        let mut command = CommandBuilder::new(BIN);
        command.args(args);
        command.env("TERM", "xterm-256color");
        command.env_remove("NO_COLOR");
        command.env_remove("ESCALATOR_CONFIG");
        for (key, value) in env {
            command.env(key, value);
        }
        let child = pair
            .slave
            .spawn_command(command)
            .expect("the editor starts");
        drop(pair.slave);
        let size = |n: u16| std::num::NonZeroU16::new(n).expect("a terminal of some size");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(size(height), size(width), 0)));
        let mut reader = pair.master.try_clone_reader().expect("a reader");
        let parser = Arc::clone(&screen);
        // Drains the terminal (the editor would block on a full one); ends when it closes.
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                parser.lock().expect("the screen").process(&buf[..n]);
            }
        });
        let writer = pair.master.take_writer().expect("a writer");
        Term {
            child,
            writer,
            screen,
            _master: pair.master,
        }
    }

    fn screen(&self) -> String {
        self.screen.lock().expect("the screen").screen().contents()
    }

    /// Sends keys named as tmux names them (`C-s`, `Enter`, `Tab`, `Down`, `Escape`).
    fn keys(&mut self, keys: &[&str]) {
        for key in keys {
            let bytes: Vec<u8> = match *key {
                "Enter" => b"\r".to_vec(),
                "Tab" => b"\t".to_vec(),
                "Escape" => b"\x1b".to_vec(),
                "Up" => b"\x1b[A".to_vec(),
                "Down" => b"\x1b[B".to_vec(),
                "Right" => b"\x1b[C".to_vec(),
                "Left" => b"\x1b[D".to_vec(),
                "F1" => b"\x1bOP".to_vec(),
                "Delete" => b"\x1b[3~".to_vec(),
                control if control.starts_with("C-") && control.len() == 3 => {
                    vec![control.as_bytes()[2].to_ascii_lowercase() - b'a' + 1]
                }
                text => text.as_bytes().to_vec(),
            };
            self.write(&bytes);
        }
    }

    fn type_text(&mut self, text: &str) {
        self.write(text.as_bytes());
    }

    fn write(&mut self, bytes: &[u8]) {
        self.writer
            .write_all(bytes)
            .expect("the terminal takes keys");
        self.writer.flush().expect("the terminal takes keys");
    }

    /// Sends `keys`, then waits until the screen has changed and shows `text`: a text that
    /// was already on the screen does not count until the keys have been answered.
    fn keys_then(&mut self, keys: &[&str], text: &str) -> String {
        let before = self.screen();
        self.keys(keys);
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen != before && screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < WAIT,
                "never saw {text:?} after {keys:?}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the screen shows every one of `texts` at once.
    fn wait_for_all(&self, texts: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if texts.iter().all(|t| screen.contains(t)) {
                return screen;
            }
            assert!(
                start.elapsed() < WAIT,
                "never saw all of {texts:?}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the screen shows `text`.
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < WAIT,
                "never saw {text:?}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the editor has exited.
    fn wait_for_exit(&mut self) {
        let start = Instant::now();
        while self
            .child
            .try_wait()
            .expect("the editor's status")
            .is_none()
        {
            assert!(
                start.elapsed() < WAIT,
                "the editor did not quit:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The link drops: the editor gets the hang-up signal a closed terminal sends it.
    fn hang_up(&mut self) {
        let pid = self.child.process_id().expect("the editor's pid");
        let pid = libc::pid_t::try_from(pid).expect("a pid");
        // SAFETY: a plain kill(2) of the child this test started and has not reaped.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGHUP) }, 0);
        self.wait_for_exit();
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// A copy of `source` in `dir`, and its text.
fn copy_of(source: &Path, dir: &Path) -> (PathBuf, String) {
    let original =
        std::fs::read_to_string(source).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
    let path = dir.join(source.file_name().expect("a file name"));
    std::fs::write(&path, &original).unwrap();
    (path, original)
}

#[test]
fn add_an_escalation_to_an_export_save_and_quit() {
    for bot in common::shop_bots() {
        add_an_escalation_save_and_quit(&bot.path, bot.api);
    }
}

fn add_an_escalation_save_and_quit(source: &Path, api: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (file, original) = copy_of(source, dir.path());
    let mut t = Term::start_in(dir.path(), 120, 40, &[&file]);
    t.wait_for(api);
    t.keys_then(&["C-n"], "Added AgentEscalation");
    // Focus is on Integration Name; go to Agent Skill Name (3 fields down) and type it.
    t.keys(&["Down", "Down", "Down", "Enter"]);
    t.type_text("Sales");
    t.keys(&["Tab", "Enter"]);
    t.type_text("12345");
    let screen = t.wait_for("\"agentSkillId\": \"12345\"");
    assert!(screen.contains("\"agentSkillName\": \"Sales\""), "{screen}");
    // A lone Esc: sent together with the next key, a terminal reads Esc as Alt.
    t.keys_then(&["Escape"], "back to the list");
    t.keys_then(&["C-s"], "Saved");
    t.keys(&["C-q"]);
    t.wait_for_exit();

    let validate = Command::new(BIN)
        .arg("validate")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        validate.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&validate.stdout)
    );
    let report = String::from_utf8_lossy(&validate.stdout);
    assert!(!report.contains(": error:"), "{report}");

    let saved = std::fs::read_to_string(&file).unwrap();
    let before: serde_json::Value = serde_json::from_str(&original).unwrap();
    let after: serde_json::Value = serde_json::from_str(&saved).unwrap();
    let mut without_new = after.clone();
    let added = without_new["responder"]
        .as_array_mut()
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(without_new, before, "only the added integration differs");
    assert_eq!(added["agentSkillId"], "12345");
    assert_eq!(added["agentSkillName"], "Sales");
    // Every original line is still there, in order (a `}` may gain its comma); the new
    // lines are one inserted block.
    let trim = |l: &&str| l.trim_end_matches(',').to_string();
    let old: Vec<String> = original.lines().map(|l| trim(&l)).collect();
    let new: Vec<String> = saved.lines().map(|l| trim(&l)).collect();
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    assert_eq!(
        prefix + suffix,
        old.len(),
        "nothing of the original is lost or changed"
    );
    let inserted = new.len() - old.len();
    assert_eq!(
        inserted, 15,
        "the new integration's lines, and nothing else"
    );
}

/// Bots whose first integration is an API integration, with its name and its Response Data
/// Variable Name: the project's fixture, then the real export of that shape when it is there.
fn first_api_bots() -> Vec<(PathBuf, &'static str, &'static str)> {
    let mut bots = vec![(
        common::fixture("storefront-bot.json"),
        "listOrders",
        "listOrders",
    )];
    if let Some(real) = common::realworld("top-level-key-demo.json") {
        bots.push((real, "Locations", "Locations"));
    }
    bots
}

#[test]
fn quitting_with_unsaved_edits_asks_and_discarding_leaves_the_file() {
    for (source, name, _) in first_api_bots() {
        let dir = tempfile::tempdir().unwrap();
        let (file, original) = copy_of(&source, dir.path());
        let mut t = Term::start_in(dir.path(), 80, 24, &[&file]);
        t.wait_for(name);
        t.keys(&["Enter", "Enter"]);
        t.type_text("Open");
        t.wait_for("[modified]");
        t.keys_then(&["C-q"], "discard and quit");
        t.keys_then(&["c"], &format!("{name}Open"));
        t.keys_then(&["C-q"], "discard and quit");
        t.keys(&["d"]);
        t.wait_for_exit();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
    }
}

#[test]
fn without_a_file_the_editor_opens_the_default_bot_in_the_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut t = Term::start(
        100,
        30,
        &[("XDG_DATA_HOME", &data), ("HOME", dir.path())],
        &[],
    );
    t.wait_for("AgentEscalation");
    t.keys(&["C-q"]);
    t.wait_for_exit();
    let default = data.join("escalator/default-bot.json");
    assert!(
        default.exists(),
        "the default bot was created at {}",
        default.display()
    );
}

/// The journals in the state folder under `home`.
fn journals(home: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(home.join("state/escalator"))
        .map(|entries| entries.map(|e| e.unwrap().path()).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect()
}

/// Renames the first integration to NAME+`suffix` and its variable to VARIABLE+`Var`, then
/// leaves the field.
fn rename_first(t: &mut Term, name: &str, variable: &str, suffix: &str) {
    t.wait_for(name);
    t.keys(&["Enter", "Enter"]);
    t.type_text(suffix);
    t.wait_for(&format!("{name}{suffix}"));
    t.keys(&["Tab", "Enter"]);
    t.type_text("Var");
    t.wait_for(&format!("{variable}Var"));
    t.keys_then(&["Escape"], "back to the list");
}

#[test]
fn a_dropped_session_loses_no_edit() {
    for (source, name, variable) in first_api_bots() {
        a_dropped_session_of(&source, name, variable);
    }
}

fn a_dropped_session_of(source: &Path, name: &str, variable: &str) {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (file, original) = copy_of(source, dir.path());
    let renamed = format!("\"name\": \"{name}Renamed\"");
    let mut t = Term::start_in(dir.path(), 120, 40, &[&file]);
    rename_first(&mut t, name, variable, "Renamed");
    // The link drops: the editor journals at once and exits.
    t.hang_up();
    let kept = journals(dir.path());
    assert_eq!(kept.len(), 1, "one journal: {kept:?}");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&kept[0]), 0o600, "the journal is the user's alone");
    assert_eq!(mode(&dir.path().join("state/escalator")), 0o700);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        original,
        "the file itself is untouched"
    );

    let mut t = Term::start_in(dir.path(), 120, 40, &[&file]);
    t.wait_for("Unsaved edits found");
    let diff = t.keys_then(&["s"], &renamed);
    let diff = if diff.contains(&format!("{variable}Var")) {
        diff
    } else {
        t.wait_for_all(&[&renamed, &format!("{variable}Var")])
    };
    let added = diff.lines().find(|l| l.contains(&renamed)).unwrap();
    assert!(added.contains("│+ "), "shown as an added line: {added}");
    t.keys_then(&["Escape"], "[r] restore them");
    t.keys_then(&["r"], "Restored the unsaved edits");
    t.keys_then(&["C-s"], "Saved");
    t.keys(&["C-q"]);
    t.wait_for_exit();
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(saved.contains(&renamed), "{saved}");
    assert!(saved.contains(&format!("\"responseDataVariable\": \"{variable}Var\"")));
    assert!(
        journals(dir.path()).is_empty(),
        "the journals go once the edits are saved: {:?}",
        journals(dir.path())
    );
}

#[test]
fn two_editors_dropped_in_turn_both_keep_their_edits() {
    let dir = tempfile::tempdir().unwrap();
    let (file, original) = copy_of(&common::fixture("storefront-bot.json"), dir.path());
    let mut first = Term::start_in(dir.path(), 120, 40, &[&file]);
    rename_first(&mut first, "listOrders", "listOrders", "First");
    let mut second = Term::start_in(dir.path(), 120, 40, &[&file]);
    rename_first(&mut second, "listOrders", "listOrders", "Second");
    first.hang_up();
    assert_eq!(journals(dir.path()).len(), 1, "the first one's journal");
    second.hang_up();
    assert_eq!(journals(dir.path()).len(), 2, "one journal per session");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);

    // Both are offered, newest first; restoring one keeps the other for the next start.
    let mut t = Term::start_in(dir.path(), 120, 40, &[&file]);
    t.wait_for("2 earlier sessions");
    t.keys_then(&["s"], "listOrdersSecond");
    t.keys_then(&["Escape"], "[r] restore these");
    t.keys(&["Down"]);
    let first_diff = t.keys_then(&["s"], "listOrdersFirst");
    assert!(!first_diff.contains("listOrdersSecond"), "{first_diff}");
    t.keys_then(&["Escape"], "[r] restore these");
    t.keys_then(&["r"], "1 other journal kept");
    t.keys_then(&["C-s"], "Saved");
    t.keys(&["C-q"]);
    t.wait_for_exit();
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(saved.contains("\"name\": \"listOrdersFirst\""), "{saved}");
    assert_eq!(journals(dir.path()).len(), 1, "the second one's is kept");

    let mut t = Term::start_in(dir.path(), 120, 40, &[&file]);
    t.wait_for("an earlier session");
    t.keys_then(&["s"], "listOrdersSecond");
    t.keys_then(&["Escape"], "[r] restore them");
    t.keys_then(&["d"], "Discarded");
    t.keys(&["C-q"]);
    t.wait_for_exit();
    assert!(journals(dir.path()).is_empty());
}

#[test]
fn saving_over_a_file_changed_on_disk_asks_first() {
    for (source, name, _) in first_api_bots() {
        let dir = tempfile::tempdir().unwrap();
        let (file, _) = copy_of(&source, dir.path());
        let mut t = Term::start_in(dir.path(), 100, 30, &[&file]);
        t.wait_for(name);
        t.keys(&["Enter", "Enter"]);
        t.type_text("Mine");
        t.wait_for(&format!("{name}Mine"));
        t.keys_then(&["Escape"], "back to the list");
        let theirs = std::fs::read_to_string(&file)
            .unwrap()
            .replace(&format!("\"{name}\""), "\"theirOrders\"");
        std::fs::write(&file, &theirs).unwrap();
        t.keys_then(&["C-s"], "[o] overwrite it");
        t.keys_then(&["a"], "Save as");
        t.keys_then(&["Enter"], "Saved");
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            theirs,
            "their version is untouched"
        );
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        let mine = std::fs::read_to_string(dir.path().join(format!("{stem}.mine.json"))).unwrap();
        assert!(mine.contains(&format!("\"name\": \"{name}Mine\"")));
        t.keys(&["C-q"]);
        t.wait_for_exit();
    }
}

#[test]
fn a_script_that_never_ends_never_stalls_the_editor() {
    let dir = tempfile::tempdir().unwrap();
    let mut bot: serde_json::Value =
        serde_json::from_str(escalator::workspace::shipped::SAMPLE_BOT).unwrap();
    // Hangs in reading its results, then in one native call no hook can stop.
    bot["responder"][0]["transformResultsScript"] = "botContext.setBotVariable('a', {toJSON: function () { while (true) {} }}, true, false);\n(3n ** 650000n).toString();".into();
    let file = dir.path().join("bot.json");
    std::fs::write(&file, serde_json::to_string_pretty(&bot).unwrap()).unwrap();
    // A sample result, so opening runs the script.
    std::fs::write(
        escalator::workspace::sidecar::Sidecar::path_for(&file),
        r#"{"sampleResults": {"AgentEscalation": {"a": 1}}}"#,
    )
    .unwrap();
    let mut t = Term::start_in(dir.path(), 120, 40, &[&file]);
    t.wait_for("AgentEscalation");
    // Keys are answered while the script runs in its worker.
    t.keys_then(&["F1"], "Esc closes");
    t.keys_then(&["Escape"], "AgentEscalation");
    t.keys(&["C-q"]);
    t.wait_for_exit();
}

#[test]
fn delete_undo_redo_and_place_a_new_escalation_in_a_dialog() {
    for (source, name, _) in first_api_bots() {
        let dir = tempfile::tempdir().unwrap();
        let (file, original) = copy_of(&source, dir.path());
        let mut t = Term::start_in(dir.path(), 120, 40, &[&file]);
        t.wait_for(name);
        t.keys_then(&["Delete"], "Delete the integration");
        t.keys_then(&["y"], &format!("Deleted {name}"));
        t.wait_for("[modified]");
        let screen = t.keys_then(&["C-z"], &format!("Undid: delete {name}"));
        assert!(!screen.contains("[modified]"), "{screen}");
        t.keys_then(&["C-y"], &format!("Redid: delete {name}"));
        t.keys_then(&["C-z"], &format!("Undid: delete {name}"));
        // A new escalation, placed in the first dialog from the palette, by name.
        t.keys_then(&["C-n"], "not run by any interaction yet");
        t.keys_then(&["Escape"], "p place in a dialog");
        t.keys_then(&[":"], "Actions");
        t.type_text("place");
        t.keys_then(&["Enter"], "1/3");
        t.keys_then(&["Enter"], "2/3");
        t.keys_then(&["Enter"], "3/3");
        t.keys_then(&["Enter"], "Placed an Integration interaction");
        t.keys_then(&["C-s"], "Saved");
        t.keys(&["C-q"]);
        t.wait_for_exit();
        let saved = std::fs::read_to_string(&file).unwrap();
        assert_ne!(saved, original);
        let after: serde_json::Value = serde_json::from_str(&saved).unwrap();
        let added = after["responder"].as_array().unwrap().last().unwrap()["name"]
            .as_str()
            .unwrap()
            .to_string();
        let runs = after["conversationMessage"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["content"]["responderName"] == added.as_str());
        assert!(runs, "an interaction runs {added}");
    }
}

#[test]
fn saving_only_sample_values_leaves_the_export_and_its_backup_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (file, original) = copy_of(&common::fixture("storefront-bot.json"), dir.path());
    let backup = file.with_extension("json.bak");
    std::fs::write(&backup, "the version before").unwrap();
    let mut t = Term::start_in(dir.path(), 120, 40, &[&file]);
    t.wait_for("listOrders");
    t.keys_then(&["C-s"], "Nothing to save");
    t.keys_then(&[":"], "Actions");
    t.type_text("sample values");
    t.keys_then(&["Enter"], "Sample values");
    t.type_text("skillId=12");
    t.keys_then(&["Escape"], "1 sample value");
    t.keys_then(&["C-s"], "Saved");
    t.keys(&["C-q"]);
    t.wait_for_exit();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
    assert_eq!(
        std::fs::read_to_string(&backup).unwrap(),
        "the version before",
        "the backup of the last real save stays"
    );
    let settings = std::fs::read_to_string(file.with_extension("json.escalator.json")).unwrap();
    assert!(settings.contains("skillId"), "{settings}");
}

/// The colour of the first cell on screen that starts `text`.
fn colour_at(t: &Term, text: &str) -> vt100::Color {
    let parser = t.screen.lock().expect("the screen");
    let screen = parser.screen();
    let (rows, columns) = screen.size();
    let (rows, columns) = (rows.get(), columns.get());
    for row in 0..rows {
        let line: String = (0..columns)
            .map(|c| {
                screen
                    .cell(row, c)
                    .map_or(" ".to_string(), |cell| cell.contents().to_string())
            })
            .collect();
        if let Some(at) = line.find(text) {
            let column = line[..at].chars().count() as u16;
            return screen.cell(row, column).expect("a cell").fgcolor();
        }
    }
    panic!("{text} is not on the screen")
}

#[test]
fn a_config_that_rebinds_save_to_ctrl_w_and_sets_a_light_theme_takes_effect() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("config/escalator");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("config.toml"),
        "[keys]\nsave = \"ctrl-w\"\n\n[theme]\nbase = \"light\"\n",
    )
    .unwrap();
    let (file, original) = copy_of(&common::fixture("storefront-bot.json"), dir.path());
    let mut t = Term::start_in(dir.path(), 120, 40, &[&file]);
    let screen = t.wait_for("Ctrl-W save");
    assert!(!screen.contains("Ctrl-S save"), "{screen}");
    // The light theme's focus colour (blue) on the focused list's border title.
    assert_eq!(colour_at(&t, "Integrations"), vt100::Color::Idx(4));
    // Typing in a field, Ctrl-W saves (the built-in Ctrl-W there deletes a word).
    t.keys(&["Tab", "Enter"]);
    t.type_text("X");
    t.keys_then(&["C-w"], "Saved");
    // A lone Esc: sent together with the next key, a terminal reads Esc as Alt.
    t.keys_then(&["Escape"], "Enter open");
    t.keys(&["C-q"]);
    t.wait_for_exit();
    let saved = std::fs::read_to_string(&file).unwrap();
    assert_ne!(saved, original);
    assert!(
        saved.contains("listOrdersX"),
        "the name typed before Ctrl-W is saved"
    );
}

#[test]
fn a_broken_config_is_reported_and_the_editor_starts_with_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("config/escalator");
    std::fs::create_dir_all(&folder).unwrap();
    let config = folder.join("config.toml");
    std::fs::write(&config, "[keys]\nsave = \"ctrl-w\"\nquit = [\n").unwrap();
    let (file, _) = copy_of(&common::fixture("storefront-bot.json"), dir.path());
    let mut t = Term::start_in(dir.path(), 120, 40, &[&file]);
    let screen = t.wait_for("not valid TOML");
    assert!(screen.contains("config.toml:3"), "file and line: {screen}");
    assert!(
        screen.contains("Ctrl-S save"),
        "the built-in keys: {screen}"
    );
    t.keys(&["C-q"]);
    t.wait_for_exit();
}
