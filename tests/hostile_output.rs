//! What the headless commands print for a crafted export: names, messages, errors, debug
//! lines of its scripts and the file name itself all carry terminal commands (retitle, write
//! the clipboard, clear the screen), C1 controls, direction overrides and line separators.
//! Every byte written is checked: none of them may reach the terminal raw, JSON stays JSON,
//! and a closed output ends a command quietly.

mod common;

use std::process::{Command, Stdio};

use escalator::export::shown::is_hidden;

const BIN: &str = env!("CARGO_BIN_EXE_escalator");

/// Retitle, clipboard, clear screen, 8-bit CSI, bidi override, line separator, tag, BEL.
const NASTY: &str =
    "\u{1b}]2;pwned\u{7}\u{1b}]52;c;aGk=\u{7}\u{1b}[2J\u{9b}31m\u{202e}\u{2028}\u{e0041}";

fn nasty(label: &str) -> String {
    format!("{label}{NASTY}")
}

/// The sample bot with every text the commands print made hostile.
fn hostile_bot(dir: &std::path::Path) -> std::path::PathBuf {
    let mut bot: serde_json::Value =
        serde_json::from_str(escalator::workspace::shipped::SAMPLE_BOT).expect("the sample bot");
    let esc = bot["responder"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["name"] == "AgentEscalation")
        .unwrap();
    esc["name"] = nasty("Esc").into();
    esc["agentSkillName"] = nasty("Skill").into();
    esc["agentSkillId"] = nasty("12").into();
    esc["transferMessage"] = nasty("Message").into();
    esc["transformResultsScript"] = format!(
        "botContext.printDebugMessage({:?});\nbotContext.setBotVariable({:?}, {:?}, true, false);\nthrow new Error({:?});",
        nasty("debug"),
        nasty("var"),
        nasty("value"),
        nasty("thrown")
    )
    .into();
    // NUL cannot be an argument, but a file can hold it.
    esc["agentId"] = "\u{0}\u{1b}[6n".into();
    bot["bot"]["name"] = format!("{}\u{0}", nasty("Bot")).into();
    let path = dir.join(format!("bot{}.json", "\u{1b}]2;file\u{7}"));
    std::fs::write(&path, serde_json::to_string_pretty(&bot).unwrap()).unwrap();
    path
}

/// Runs the binary and returns everything it wrote, stdout then stderr, and its exit code.
fn output(args: &[&str]) -> (Option<i32>, Vec<u8>, Vec<u8>) {
    let out = Command::new(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    (out.status.code(), out.stdout, out.stderr)
}

fn assert_shown_safely(what: &str, bytes: &[u8]) {
    let text = String::from_utf8(bytes.to_vec()).unwrap_or_else(|e| panic!("{what}: {e}"));
    if let Some(c) = text.chars().find(|c| is_hidden(*c) && *c != '\n') {
        panic!("{what}: wrote U+{:04X} raw:\n{text}", c as u32);
    }
}

#[test]
fn every_headless_command_shows_a_hostile_export_without_driving_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let file = hostile_bot(dir.path());
    let f = file.to_str().unwrap();
    let name = nasty("Esc");
    let sample = dir.path().join("sample.json");
    std::fs::write(&sample, "{\"a\": 1}").unwrap();
    let runs: Vec<(Vec<&str>, bool)> = vec![
        (vec!["validate", f], false),
        (vec!["validate", f, "--format", "json"], true),
        (vec!["preview", f, "--integration", &name], true),
        (
            vec![
                "simulate",
                f,
                "--integration",
                &name,
                "--context",
                "skillId=12",
            ],
            false,
        ),
        (
            vec!["simulate", f, "--integration", &name, "--format", "json"],
            true,
        ),
        (
            vec![
                "script-test",
                f,
                "--integration",
                &name,
                "--result",
                sample.to_str().unwrap(),
            ],
            false,
        ),
        (
            vec![
                "script-test",
                f,
                "--integration",
                &name,
                "--result",
                sample.to_str().unwrap(),
                "--format",
                "json",
            ],
            true,
        ),
        (vec!["preview", f, "--integration", "nope"], false),
        (vec!["set", f, "--integration", &name, "skill_id=7"], false),
        (vec!["convert", f, "--interaction", &name], false),
    ];
    for (args, json) in runs {
        let (code, stdout, stderr) = output(&args);
        let what = format!("{:?} (exit {code:?})", args[0]);
        assert!(
            matches!(code, Some(0..=2)),
            "{what}: {}",
            String::from_utf8_lossy(&stderr)
        );
        assert_shown_safely(&what, &stdout);
        assert_shown_safely(&what, &stderr);
        if json {
            let _: serde_json::Value = serde_json::from_slice(&stdout)
                .unwrap_or_else(|e| panic!("{what}: not JSON ({e})"));
        }
    }
    // The escapes are there to read: the name shows, as text.
    let (_, stdout, _) = output(&["validate", f]);
    let text = String::from_utf8(stdout).unwrap();
    assert!(text.contains("Esc\\u{1b}]2;pwned\\u{7}"), "{text}");
}

#[test]
fn no_command_panics_on_a_closed_output() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bot.json");
    std::fs::write(&file, escalator::workspace::shipped::SAMPLE_BOT).unwrap();
    let f = file.to_str().unwrap();
    for args in [
        vec![
            "simulate",
            f,
            "--integration",
            "AgentEscalation",
            "--context",
            "skillId=12",
        ],
        vec!["preview", f, "--integration", "AgentEscalation"],
        vec!["validate", f, "--format", "json"],
    ] {
        let mut child = Command::new(BIN)
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the output before the command writes: `| head -0`.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_ne!(out.status.code(), Some(101), "{args:?}: {err}");
    }
}

#[test]
fn a_long_list_in_a_one_line_message_is_cut_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.json");
    std::fs::write(&file, escalator::bot::generate::bot(5000, 1)).unwrap();
    let (code, _, stderr) = output(&["preview", file.to_str().unwrap(), "--integration", "nope"]);
    assert_eq!(code, Some(2));
    let err = String::from_utf8(stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.len() < 1000, "{} bytes: {err}", err.len());
    assert!(err.contains("and 4990 more"), "{err}");
}

#[test]
fn a_megabyte_name_prints_as_lines_of_reasonable_length() {
    let dir = tempfile::tempdir().unwrap();
    let mut bot: serde_json::Value =
        serde_json::from_str(escalator::workspace::shipped::SAMPLE_BOT).unwrap();
    bot["responder"][0]["agentSkillName"] = "n".repeat(1 << 20).into();
    bot["responder"][0]["agentSkillId"] = "1 2".repeat(300_000).into();
    let file = dir.path().join("bot.json");
    std::fs::write(&file, serde_json::to_string(&bot).unwrap()).unwrap();
    let f = file.to_str().unwrap();
    for args in [
        vec!["validate", f],
        vec!["simulate", f, "--integration", "AgentEscalation"],
    ] {
        let (_, stdout, stderr) = output(&args);
        for line in String::from_utf8(stdout).unwrap().lines() {
            assert!(
                line.chars().count() <= 4100,
                "{args:?}: a line of {}",
                line.len()
            );
        }
        assert!(stderr.len() < 10_000, "{args:?}");
    }
}
