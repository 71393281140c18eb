//! End-to-end runs of the editor in a real terminal (tmux): keys in, screen text out.
//! Every wait is for text on the screen (or the program's exit), never a fixed sleep.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::realworld;

const BIN: &str = env!("CARGO_BIN_EXE_escalator");
const WAIT: Duration = Duration::from_secs(20);
static SESSIONS: AtomicUsize = AtomicUsize::new(0);

/// One tmux server of its own, with the editor in it.
struct Tmux {
    socket: String,
}

impl Tmux {
    /// Starts the editor with its state (journals) and data folders under `home`.
    fn start_in(home: &Path, width: u16, height: u16, args: &[&Path]) -> Tmux {
        let state = home.join("state");
        let data = home.join("data");
        Tmux::start(
            width,
            height,
            &[
                ("XDG_STATE_HOME", &state),
                ("XDG_DATA_HOME", &data),
                ("HOME", home),
            ],
            args,
        )
    }

    fn start(width: u16, height: u16, env: &[(&str, &Path)], args: &[&Path]) -> Tmux {
        let socket = format!(
            "escalator-e2e-{}-{}",
            std::process::id(),
            SESSIONS.fetch_add(1, Ordering::Relaxed)
        );
        let mut command = BIN.to_string();
        for arg in args {
            command.push(' ');
            command.push_str(&quote(arg));
        }
        let mut tmux = Command::new("tmux");
        tmux.args([
            "-L",
            &socket,
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "e2e",
        ])
        .args(["-x", &width.to_string(), "-y", &height.to_string()])
        .env("TERM", "xterm-256color")
        .env_remove("TMUX");
        for (key, value) in env {
            tmux.env(key, value);
            tmux.args(["-e", &format!("{key}={}", value.display())]);
        }
        let out = tmux
            .arg(command)
            .output()
            .expect("tmux runs (apt-get install tmux)");
        assert!(
            out.status.success(),
            "tmux failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Tmux { socket }
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "e2e"]).stdout)
            .into_owned()
    }

    /// Sends keys in tmux's names (`C-s`, `Enter`, `Tab`) or literal text.
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        assert!(self.tmux(&args).status.success());
    }

    fn type_text(&self, text: &str) {
        assert!(
            self.tmux(&["send-keys", "-t", "e2e", "-l", text])
                .status
                .success()
        );
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
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Waits until the program has exited (the session is gone).
    fn wait_for_exit(&self) {
        let start = Instant::now();
        while self.tmux(&["has-session", "-t", "e2e"]).status.success() {
            assert!(
                start.elapsed() < WAIT,
                "the editor did not quit:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

fn quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', "'\\''"))
}

fn copy_of(name: &str, dir: &Path) -> (PathBuf, String) {
    let original = std::fs::read_to_string(realworld(name))
        .unwrap_or_else(|e| panic!("../shared/realworld/{name} must be beside the project: {e}"));
    let path = dir.join(name);
    std::fs::write(&path, &original).unwrap();
    (path, original)
}

#[test]
fn add_an_escalation_to_a_real_export_save_and_quit() {
    let dir = tempfile::tempdir().unwrap();
    let (file, original) = copy_of("shopify-bot.json", dir.path());
    let t = Tmux::start_in(dir.path(), 120, 40, &[&file]);
    t.wait_for("getProducts");
    t.keys(&["C-n"]);
    t.wait_for("Added AgentEscalation");
    // Focus is on Integration Name; go to Agent Skill Name (3 fields down) and type it.
    t.keys(&["Down", "Down", "Down", "Enter"]);
    t.type_text("Sales");
    t.keys(&["Tab", "Enter"]);
    t.type_text("12345");
    let screen = t.wait_for("\"agentSkillId\": \"12345\"");
    assert!(screen.contains("\"agentSkillName\": \"Sales\""), "{screen}");
    // A lone Esc: sent together with the next key, a terminal reads Esc as Alt.
    t.keys(&["Escape"]);
    t.wait_for("back to the list");
    t.keys(&["C-s"]);
    t.wait_for("Saved");
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

#[test]
fn quitting_with_unsaved_edits_asks_and_discarding_leaves_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (file, original) = copy_of("top-level-key-demo.json", dir.path());
    let t = Tmux::start_in(dir.path(), 80, 24, &[&file]);
    t.wait_for("Locations");
    t.keys(&["Enter", "Enter"]);
    t.type_text("Stores");
    t.wait_for("[modified]");
    t.keys(&["C-q"]);
    t.wait_for("discard and quit");
    t.keys(&["c"]);
    t.wait_for("LocationsStores");
    t.keys(&["C-q"]);
    t.wait_for("discard and quit");
    t.keys(&["d"]);
    t.wait_for_exit();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
}

#[test]
fn without_a_file_the_editor_opens_the_default_bot_in_the_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let t = Tmux::start(
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

fn files_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| entries.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default()
}

/// Waits until `dir` holds a file (the journal).
fn wait_for_file(dir: &Path) -> PathBuf {
    let start = Instant::now();
    loop {
        if let Some(file) = files_in(dir)
            .into_iter()
            .find(|p| p.extension().is_some_and(|e| e == "json"))
        {
            return file;
        }
        assert!(
            start.elapsed() < WAIT,
            "no journal appeared in {}",
            dir.display()
        );
        std::thread::sleep(Duration::from_millis(30));
    }
}

#[test]
fn a_dropped_session_loses_no_edit() {
    let dir = tempfile::tempdir().unwrap();
    let (file, original) = copy_of("shopify-bot.json", dir.path());
    let t = Tmux::start_in(dir.path(), 120, 40, &[&file]);
    t.wait_for("getProducts");
    t.keys(&["Enter", "Enter"]);
    t.type_text("Renamed");
    t.keys(&["Tab", "Enter"]);
    t.type_text("Var");
    t.wait_for("getProductsVar");
    // The link drops: tmux hangs up on the editor, which journals at once.
    t.keys(&["Escape"]);
    t.wait_for("back to the list");
    t.tmux(&["kill-server"]);
    let journal = wait_for_file(&dir.path().join("state/escalator"));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        original,
        "the file itself is untouched"
    );

    let t = Tmux::start_in(dir.path(), 120, 40, &[&file]);
    t.wait_for("Unsaved edits found");
    t.keys(&["s"]);
    let diff = t.wait_for("\"name\": \"getProductsRenamed\"");
    let added = diff
        .lines()
        .find(|l| l.contains("getProductsRenamed"))
        .unwrap();
    assert!(added.contains("│+ "), "shown as an added line: {added}");
    assert!(diff.contains("getProductsVar"), "{diff}");
    t.keys(&["Escape"]);
    t.wait_for("[r] restore them");
    t.keys(&["r"]);
    t.wait_for("Restored the unsaved edits");
    t.keys(&["C-s"]);
    t.wait_for("Saved");
    t.keys(&["C-q"]);
    t.wait_for_exit();
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(
        saved.contains("\"name\": \"getProductsRenamed\""),
        "{saved}"
    );
    assert!(saved.contains("\"responseDataVariable\": \"getProductsVar\""));
    assert!(
        !journal.exists(),
        "the journal goes once the edits are saved"
    );
}

#[test]
fn saving_over_a_file_changed_on_disk_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = copy_of("top-level-key-demo.json", dir.path());
    let t = Tmux::start_in(dir.path(), 100, 30, &[&file]);
    t.wait_for("Locations");
    t.keys(&["Enter", "Enter"]);
    t.type_text("Mine");
    t.keys(&["Escape"]);
    t.wait_for("back to the list");
    let theirs = std::fs::read_to_string(&file)
        .unwrap()
        .replace("Locations", "Theirs");
    std::fs::write(&file, &theirs).unwrap();
    t.keys(&["C-s"]);
    t.wait_for("[o] overwrite it");
    t.keys(&["a"]);
    t.wait_for("Save as");
    t.keys(&["Enter"]);
    t.wait_for("Saved");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        theirs,
        "their version is untouched"
    );
    let mine = std::fs::read_to_string(dir.path().join("top-level-key-demo.mine.json")).unwrap();
    assert!(mine.contains("\"name\": \"LocationsMine\""));
    t.keys(&["C-q"]);
    t.wait_for_exit();
}
