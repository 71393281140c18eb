//! Helpers shared by the integration tests: the built binary, fixtures, the real exports and
//! temporary copies of bots.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use escalator::assets::SAMPLE_BOT;

/// Runs the built binary with `args` (and `NO_COLOR=1`), returning its raw output.
pub fn escalator(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_escalator"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// Runs the built binary with `args`; returns its exit code, stdout and stderr.
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = escalator(args);
    (
        out.status.code().expect("exited, not killed"),
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    )
}

/// A path as `&str`, for use as a command-line argument.
pub fn s(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

/// The folder of the test fixtures, `tests/fixtures`.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The path of the fixture `name` in `tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    fixtures_dir().join(name)
}

/// The folder of the real exports, `../shared/realworld` beside the checkout.
pub fn realworld_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/realworld")
}

/// The path of the real export `name`.
pub fn realworld(name: &str) -> PathBuf {
    realworld_dir().join(name)
}

/// The real exports, sorted; a missing or empty folder fails the test (CI has it).
pub fn realworld_files() -> Vec<PathBuf> {
    let dir = realworld_dir();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "the real exports must be in {} (beside the checkout, as in CI): {e}",
            dir.display()
        )
    });
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} holds no *.json", dir.display());
    files
}

/// Writes `contents` to `name` in a fresh temporary folder (which lives as long as the guard).
pub fn temp_file(name: &str, contents: impl AsRef<[u8]>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    (dir, path)
}

/// A writable copy of `source`, under its own file name, in a fresh temporary folder.
pub fn copy_to_temp(source: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(source.file_name().unwrap());
    std::fs::write(&path, std::fs::read(source).unwrap()).unwrap();
    (dir, path)
}

/// A temporary copy of the real export `name`; a missing export fails the test.
pub fn realworld_copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let bytes = std::fs::read(realworld(name))
        .unwrap_or_else(|e| panic!("the real exports must be beside the checkout: {e}"));
    temp_file(name, bytes)
}

/// A temporary copy of the sample bot, as `bot.json`.
pub fn sample_copy() -> (tempfile::TempDir, PathBuf) {
    temp_file("bot.json", SAMPLE_BOT)
}

/// Asserts every line of `original` is in `saved`, in order (trailing commas aside), but `except`.
pub fn assert_lines_kept(what: &str, original: &str, saved: &str, except: &[&str]) {
    let trim = |l: &str| l.trim_end().trim_end_matches(',').to_string();
    let mut saved_lines = saved.lines().map(trim);
    for (n, line) in original.lines().map(trim).enumerate() {
        if except.contains(&line.trim()) {
            continue;
        }
        assert!(
            saved_lines.any(|s| s == line),
            "{what}: original line {} ({line:?}) is missing or out of order after the save",
            n + 1
        );
    }
}
