//! Two writers on one export: every command that writes takes the file's lock from before it
//! reads until after it renames, so no edit is ever reported saved and then lost.

mod common;

use std::fs::File;
use std::process::{Command, Stdio};

use common::{run, s, sample_copy};

const BIN: &str = env!("CARGO_BIN_EXE_escalator");

/// Starts `escalator set FILE --integration AgentEscalation custom_data.KEY=v`.
fn set_key(file: &std::path::Path, key: &str) -> std::process::Child {
    Command::new(BIN)
        .args([
            "set",
            s(file),
            "--integration",
            "AgentEscalation",
            &format!("custom_data.{key}=v"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs")
}

#[test]
fn two_concurrent_sets_never_lose_an_edit_they_reported_saved() {
    let (_dir, file) = sample_copy();
    let mut refused = 0;
    for round in 0..100 {
        let keys = [format!("a{round}"), format!("b{round}")];
        let children: Vec<_> = keys.iter().map(|k| set_key(&file, k)).collect();
        let mut outcomes = vec![];
        for child in children {
            let out = child.wait_with_output().unwrap();
            outcomes.push((
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            ));
        }
        let saved = std::fs::read_to_string(&file).unwrap();
        for (key, (code, err)) in keys.iter().zip(&outcomes) {
            let there = saved.contains(&format!("\"key\": \"{key}\""));
            match code {
                Some(0) => assert!(there, "round {round}: {key} said saved but is lost"),
                Some(2) => {
                    assert!(!there, "round {round}: {key} refused but written");
                    assert!(err.contains("another process is writing it"), "{err}");
                    refused += 1;
                }
                other => panic!("round {round}: {key}: exit {other:?}: {err}"),
            }
        }
    }
    assert!(refused < 200, "most edits go through, one after the other");
}

#[test]
fn a_writer_that_waited_too_long_exits_2_naming_the_holder_and_writes_nothing() {
    let (_dir, file) = sample_copy();
    let before = std::fs::read(&file).unwrap();
    let held = File::open(&file).unwrap();
    held.lock().unwrap();
    let out = Command::new(BIN)
        .args([
            "set",
            s(&file),
            "--integration",
            "AgentEscalation",
            "skill_id=77",
        ])
        .env("ESCALATOR_LOCK_WAIT", "0.3")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!(
            "another process is writing it (pid {}",
            std::process::id()
        )),
        "{err}"
    );
    assert!(err.contains("waited 0.3 s"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), before);
    held.unlock().unwrap();
    let (code, _, err) = run(&[
        "set",
        s(&file),
        "--integration",
        "AgentEscalation",
        "skill_id=77",
    ]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn new_never_replaces_a_file_made_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bot.json");
    let children: Vec<_> = (0..2)
        .map(|n| {
            Command::new(BIN)
                .args(["new", s(&file), "--name", &format!("Bot{n}")])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    let codes: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap().status.code())
        .collect();
    let made = codes.iter().filter(|c| **c == Some(0)).count();
    assert!(made >= 1, "{codes:?}");
    let text = std::fs::read_to_string(&file).unwrap();
    if made == 1 {
        assert!(codes.contains(&Some(2)), "{codes:?}");
    }
    // Whichever was made, the file is whole and is the one that said so.
    escalator::bot::BotDocument::from_bytes(text.as_bytes()).unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}

#[test]
fn a_killed_saves_temporary_file_is_removed_by_the_next_save() {
    let (dir, file) = sample_copy();
    // A save killed mid-write by a process that no longer runs (pid 0 is never a process's;
    // a number past the kernel's limit neither).
    let stale = dir.path().join(".bot.json.4194999.tmp");
    std::fs::write(&stale, "half a bot").unwrap();
    let stale_backup = dir.path().join(".bot.json.4194998.bak.tmp");
    std::fs::write(&stale_backup, "half a bot").unwrap();
    let other = dir.path().join(".other.json.4194999.tmp");
    std::fs::write(&other, "not ours").unwrap();
    let (code, _, err) = run(&[
        "set",
        s(&file),
        "--integration",
        "AgentEscalation",
        "skill_id=5",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!stale.exists() && !stale_backup.exists());
    assert!(other.exists(), "another file's temporaries are left alone");
}

#[test]
fn a_lock_wait_that_is_not_seconds_is_an_error() {
    let (_dir, file) = sample_copy();
    let before = std::fs::read(&file).unwrap();
    for wait in ["abc", "-1", "1e9"] {
        let out = Command::new(BIN)
            .args([
                "set",
                s(&file),
                "--integration",
                "AgentEscalation",
                "skill_id=1",
            ])
            .env("ESCALATOR_LOCK_WAIT", wait)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{wait}: {err}");
        assert!(err.contains("ESCALATOR_LOCK_WAIT"), "{err}");
        assert_eq!(std::fs::read(&file).unwrap(), before);
    }
}
