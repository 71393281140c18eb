//! Saving keeps what the file was: its owner, group, mode, hard links and attributes, whoever
//! saves it.

mod common;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

use common::{run, s, sample_copy};

const BIN: &str = env!("CARGO_BIN_EXE_escalator");

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

fn set_skill(file: &Path, id: &str) -> (i32, String, String) {
    run(&[
        "set",
        s(file),
        "--integration",
        "AgentEscalation",
        &format!("skill_id={id}"),
    ])
}

#[test]
fn root_saving_another_users_file_leaves_it_theirs() {
    if !is_root() {
        eprintln!("note: not root; saving another user's file as root is not tried");
        return;
    }
    let (_dir, file) = sample_copy();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::chown(&file, Some(65534), Some(65534)).unwrap();
    let (code, _, err) = set_skill(&file, "41");
    assert_eq!(code, 0, "{err}");
    let meta = std::fs::metadata(&file).unwrap();
    assert_eq!(
        (meta.uid(), meta.gid()),
        (65534, 65534),
        "still its owner's"
    );
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    assert!(std::fs::read_to_string(&file).unwrap().contains("\"41\""));
}

#[test]
fn a_user_saving_a_file_they_may_write_but_do_not_own_writes_it_in_place() {
    if !is_root() || Command::new("setpriv").arg("--help").output().is_err() {
        eprintln!("note: needs root and setpriv to save as another user; not tried");
        return;
    }
    let (dir, file) = sample_copy();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o666)).unwrap();
    let inode = std::fs::metadata(&file).unwrap().ino();
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN])
        .args([
            "set",
            s(&file),
            "--integration",
            "AgentEscalation",
            "skill_id=42",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    if err.contains("Permission denied") && err.contains(BIN) {
        eprintln!("note: the binary is not reachable by another user here; not tried");
        return;
    }
    assert_eq!(out.status.code(), Some(0), "{err}");
    let meta = std::fs::metadata(&file).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (0, 0), "still root's");
    assert_eq!(meta.ino(), inode, "written in place");
    assert_eq!(meta.permissions().mode() & 0o777, 0o666);
    assert!(std::fs::read_to_string(&file).unwrap().contains("\"42\""));
    let backup = escalator::export::save::backup_path(&file);
    assert!(!std::fs::read_to_string(backup).unwrap().contains("\"42\""));
}

#[test]
fn a_hard_linked_export_stays_one_file_under_both_names() {
    let (dir, file) = sample_copy();
    let other = dir.path().join("also-the-bot.json");
    std::fs::hard_link(&file, &other).unwrap();
    let (code, _, err) = set_skill(&file, "43");
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        std::fs::read(&other).unwrap(),
        "the other name sees the save"
    );
    assert!(std::fs::read_to_string(&other).unwrap().contains("\"43\""));
}

#[test]
fn a_command_that_writes_the_bot_and_its_settings_writes_both_or_neither() {
    let (_dir, file) = sample_copy();
    let before = std::fs::read(&file).unwrap();
    // The settings cannot be written: a folder stands where they go.
    let settings = escalator::workspace::sidecar::Sidecar::path_for(&file);
    std::fs::create_dir(&settings).unwrap();
    let both = [
        "set",
        s(&file),
        "--integration",
        "AgentEscalation",
        "skill_id=44",
        "--context",
        "skillId=44",
    ];
    let (code, _, err) = run(&both);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "exit 2: nothing touched"
    );
    std::fs::remove_dir(&settings).unwrap();
    let (code, _, err) = run(&both);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(&file).unwrap().contains("\"44\""));
    assert!(
        std::fs::read_to_string(&settings)
            .unwrap()
            .contains("\"44\"")
    );
}

#[test]
fn a_failed_save_leaves_the_previous_backup_as_it_was() {
    let (dir, file) = sample_copy();
    let backup = escalator::export::save::backup_path(&file);
    std::fs::write(&backup, "OLD").unwrap();
    // An immutable file cannot be replaced, even by root (where the file system allows the
    // flag: ext4 here); elsewhere the case is not tried.
    let immutable = Command::new("chattr")
        .arg("+i")
        .arg(&file)
        .output()
        .is_ok_and(|o| o.status.success());
    if !immutable {
        eprintln!("note: chattr +i not available; a failed rename is not tried");
        return;
    }
    let (code, _, err) = set_skill(&file, "45");
    let _ = Command::new("chattr").arg("-i").arg(&file).status();
    assert_eq!(code, 2, "{err}");
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), "OLD");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn root_writing_a_users_settings_leaves_them_the_users() {
    if !is_root() {
        eprintln!("note: not root; not tried");
        return;
    }
    let (_dir, file) = sample_copy();
    std::os::unix::fs::chown(&file, Some(65534), Some(65534)).unwrap();
    let (code, _, err) = run(&[
        "set",
        s(&file),
        "--integration",
        "AgentEscalation",
        "skill_id=12",
        "--context",
        "skillId=12",
    ]);
    assert_eq!(code, 0, "{err}");
    let settings = escalator::workspace::sidecar::Sidecar::path_for(&file);
    let meta = std::fs::metadata(&settings).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (65534, 65534));
}
