//! The accessible mode end to end: the built binary run with `--accessible` (or
//! `ESCALATOR_ACCESSIBLE=1`) on a bot, its standard input a script of answers.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

/// Runs the accessible mode on `file` with `answers` as its input, its folders under `home`;
/// returns the exit code and what it printed.
fn answer(
    home: &Path,
    file: &Path,
    env: &[(&str, &str)],
    args: &[&str],
    answers: impl AsRef<[u8]>,
) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_escalator"))
        .args(args)
        .arg(file)
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("ESCALATOR_CONFIG")
        .env_remove("ESCALATOR_ACCESSIBLE")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("its input")
        .write_all(answers.as_ref())
        .expect("the answers are written");
    let out = child.wait_with_output().expect("it ends");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        !stdout.contains('\u{1b}'),
        "no escape sequence: no alternate screen, no cursor movement: {stdout:?}"
    );
    (out.status.code().expect("exited"), stdout)
}

/// The fixture bot in `dir`, its first integration's name written as `json_name` (JSON string
/// text, escapes and all).
fn bot_with_first_named(dir: &Path, json_name: &str) -> std::path::PathBuf {
    let file = dir.join("bot.json");
    let text = std::fs::read_to_string(common::fixture("escalation-bot.json"))
        .unwrap()
        .replace(
            "\"name\": \"GetOrders\"",
            &format!("\"name\": \"{json_name}\""),
        );
    std::fs::write(&file, text).unwrap();
    file
}

fn copy(dir: &Path) -> std::path::PathBuf {
    let file = dir.join("bot.json");
    std::fs::copy(common::fixture("escalation-bot.json"), &file).unwrap();
    file
}

#[test]
fn add_an_escalation_fill_it_place_it_simulate_and_save_through_piped_answers() {
    let dir = tempfile::tempdir().unwrap();
    let file = copy(dir.path());
    let answers = [
        "a", // add an escalation: its fields, one question each
        "", "", "", // name, variable, type kept
        "Sales", "12", "", "", // skill name, skill id, agent id kept, bot context kept
        ".", ".", ".", // message, script, custom data kept
        "i", "Main", "1", "4",
        "1", // place: narrow to Main, choose it, after the 4th, as an Integration interaction
        "m", "3", "", // simulate one failed attempt, back
        "b", "s", "q",
    ]
    .join("\n")
        + "\n";
    let (code, out) = answer(dir.path(), &file, &[], &["--accessible"], &answers);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Agent Skill Id is now 12."), "{out}");
    assert!(
        out.contains("Placed an Integration interaction for \"AgentEscalation2\""),
        "{out}"
    );
    assert!(out.contains("attempt 1: the transfer fails"), "{out}");
    assert!(out.contains("Saved "), "{out}");
    let bot: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let added = bot["responder"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "AgentEscalation2")
        .expect("the new escalation is saved");
    assert_eq!(added["agentSkillName"], "Sales");
    assert_eq!(added["agentSkillId"], "12");
    let runs = bot["conversationMessage"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m.to_string().contains("AgentEscalation2"));
    assert!(runs, "an interaction runs it");
}

#[test]
fn a_field_tells_its_problem_and_a_fix_is_applied_from_the_problems() {
    let dir = tempfile::tempdir().unwrap();
    let file = copy(dir.path());
    // AgentEscalation (2nd): a skill id that is no number, then the delay fix, then save.
    let answers = "2\n5\nabc\n5\n-\nv\n1\nb\ns\nq\n";
    let (code, out) = answer(
        dir.path(),
        &file,
        &[("ESCALATOR_ACCESSIBLE", "1")],
        &[],
        answers,
    );
    assert_eq!(code, 0, "{out}");
    let after_abc = out.split("Agent Skill Id is now abc.").nth(1).expect("set");
    assert!(
        after_abc
            .trim_start()
            .starts_with("error: Agent Skill Id: "),
        "the field's problem follows at once: {out}"
    );
    assert!(out.contains("Agent Skill Id is now empty."), "{out}");
    assert!(
        out.contains("1 apply the recommended interaction delay"),
        "{out}"
    );
    assert!(
        out.contains("\"api_integration_escalate\": 2000 → 4000 ms"),
        "{out}"
    );
    let bot: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(bot.to_string().contains("4000"), "the delay is written");
}

#[test]
fn the_end_of_the_input_keeps_unsaved_edits_in_the_journal_and_leaves_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = copy(dir.path());
    let before = std::fs::read_to_string(&file).unwrap();
    let (code, out) = answer(dir.path(), &file, &[], &["--accessible"], "1\n1\nRenamed\n");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("The unsaved edits are kept"), "{out}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);
    let journals: Vec<_> = walk(&dir.path().join("state"));
    assert!(
        journals
            .iter()
            .any(|j| std::fs::read_to_string(j).is_ok_and(|t| t.contains("Renamed"))),
        "{journals:?}"
    );
    // Opened again, the mode offers them: restored and saved.
    let (code, out) = answer(dir.path(), &file, &[], &["--accessible"], "restore\ns\nq\n");
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("An earlier session left unsaved edits to this file"),
        "{out}"
    );
    assert!(out.contains("Restored the unsaved edits"), "{out}");
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("\"Renamed\"")
    );
    assert!(
        walk(&dir.path().join("state")).is_empty(),
        "saved: no journal is left"
    );
}

#[test]
fn a_killed_session_keeps_what_was_answered_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = copy(dir.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_escalator"))
        .arg("--accessible")
        .arg(&file)
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut seen = String::new();
    let mut wait_for = |text: &str, seen: &mut String| {
        while !seen.contains(text) {
            let mut line = String::new();
            let n = std::io::BufRead::read_line(&mut stdout, &mut line).unwrap();
            assert!(n > 0, "never saw {text}: {seen}");
            seen.push_str(&line);
        }
    };
    input.write_all(b"1\n1\nRenamedBeforeTheKill\n").unwrap();
    input.flush().unwrap();
    wait_for("Integration Name is now RenamedBeforeTheKill.", &mut seen);
    // The journal is written before the next question is read: one more answer, then kill.
    input.write_all(b"f\n").unwrap();
    input.flush().unwrap();
    wait_for(
        "1. Integration Name, required: RenamedBeforeTheKill",
        &mut seen,
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let journals = walk(&dir.path().join("state"));
    assert!(
        journals
            .iter()
            .any(|j| std::fs::read_to_string(j).is_ok_and(|t| t.contains("RenamedBeforeTheKill"))),
        "{journals:?}"
    );
}

#[test]
fn a_name_with_a_line_break_cannot_fake_a_line_and_a_dot_stops_going_through_fields() {
    let dir = tempfile::tempdir().unwrap();
    let file = bot_with_first_named(
        dir.path(),
        "Evil\\n3. Fake, LivePerson Agent Escalation: no problems.",
    );
    let (code, out) = answer(
        dir.path(),
        &file,
        &[],
        &["--accessible"],
        "2\ne\n\n.\n3\n9\n\nq\n",
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        !out.lines().any(|l| l.starts_with("3. Fake")),
        "a name's line break is shown as an escape: {out}"
    );
    assert!(out.contains("Evil\\u{a}3. Fake"), "{out}");
    assert!(out.contains("Stopped going through the fields."), "{out}");
    assert!(
        out.contains("Type a number from 1 to 6."),
        "a type's number is asked again: {out}"
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn a_hostile_name_is_shown_escaped_and_wrong_answers_are_told() {
    let dir = tempfile::tempdir().unwrap();
    let file = bot_with_first_named(dir.path(), "Get\\u001b[2JOrders");
    let (code, out) = answer(
        dir.path(),
        &file,
        &[],
        &["--accessible"],
        "9\nzz\n1\nf\nb\nq\n",
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("\"9\" is not an answer here: type a number from 1 to 2"),
        "{out}"
    );
    assert!(out.contains("\"zz\" is not an answer here"), "{out}");
    assert!(out.contains("1. Integration Name, required: Get"), "{out}");
}

#[test]
fn answers_that_cannot_be_taken_are_asked_again_and_an_unfinished_text_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = copy(dir.path());
    let mut answers = b"1\n1\nab\xff\xfecd\nGood\nv\nb\n2\nv\nzz\n\n8\nhello\n".to_vec();
    answers.extend_from_slice(b"world\n");
    let (code, out) = answer(dir.path(), &file, &[], &["--accessible"], answers);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("is not UTF-8 text"), "{out}");
    assert!(out.contains("Integration Name is now Good."), "{out}");
    assert!(
        !out.contains("ab\u{fffd}"),
        "nothing of the bad line is taken: {out}"
    );
    assert!(
        out.contains("Type a number from 1 to 2, or an empty answer."),
        "{out}"
    );
    assert!(
        out.contains(
            "Message to User is as it was: the input ended before the line holding only a dot."
        ),
        "{out}"
    );
    // Kept for the next time: the name, not a message never finished.
    let journal = walk(&dir.path().join("state"))
        .into_iter()
        .map(|j| std::fs::read_to_string(j).unwrap())
        .collect::<String>();
    assert!(
        journal.contains("Good") && !journal.contains("world"),
        "{journal}"
    );
}

#[test]
fn the_offer_of_earlier_edits_takes_whole_words_only() {
    let dir = tempfile::tempdir().unwrap();
    let file = copy(dir.path());
    let (_, out) = answer(
        dir.path(),
        &file,
        &[],
        &["--accessible"],
        "1\n1\nKeptForLater\n",
    );
    assert!(out.contains("The unsaved edits are kept"), "{out}");
    // A script's first answer meant for the list ("d": every problem) does not drop them.
    let (code, out) = answer(dir.path(), &file, &[], &["--accessible"], "d\nq\n");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Kept for later."), "{out}");
    assert!(
        walk(&dir.path().join("state"))
            .iter()
            .any(|j| std::fs::read_to_string(j).is_ok_and(|t| t.contains("KeptForLater"))),
        "still there"
    );
}
