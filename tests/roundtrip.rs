//! Round trips: every fixture that loads (and, when `ESCALATOR_CORPUS` names a folder, every
//! `*.json` in it) comes back byte-identical when unchanged, an edit of one field rewrites only
//! that field's lines, and `escalator set --create` only inserts lines.

mod common;
use common::Edits;

use std::path::{Path, PathBuf};
use std::process::Command;

use escalator::bot::BotDocument;
use escalator::bot::integration::Field;
use serde_json::{Value, json};

use common::{copy_to_temp, fixtures_dir};

/// The fixtures that are meant to load.
const LOADABLE_FIXTURES: &[&str] = &[
    "escalation-bot.json",
    "alias-keys-bot.json",
    "crlf-bot.json",
    "storefront-bot.json",
];

/// Every bot file under test: the loadable fixtures, then the corpus when one is named.
fn bot_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = LOADABLE_FIXTURES
        .iter()
        .map(|name| fixtures_dir().join(name))
        .collect();
    files.extend(corpus_files());
    files
}

/// The real exports, when they are there (`ESCALATOR_CORPUS`, else `../shared/realworld`).
fn corpus_files() -> Vec<PathBuf> {
    common::realworld_files()
}

/// A run without the real exports says so, once, in `cargo test`'s own output; CI requires them.
#[test]
fn the_real_exports_are_checked_or_their_absence_is_said() {
    if common::corpus_dir().is_none() {
        use std::io::Write;
        // Past the harness's capture, which takes only `print!` and `eprint!`.
        let _ = writeln!(std::io::stderr(), "{}", common::CORPUS_SKIPPED);
    }
}

fn name_of(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

fn read_text(path: &Path) -> String {
    String::from_utf8(std::fs::read(path).unwrap()).expect("test files are UTF-8")
}

/// Lines split on `\n` only, so a CRLF line keeps its `\r` and a lost one shows.
fn lines(text: &str) -> Vec<&str> {
    text.split('\n').collect()
}

/// The (old, new) pairs of lines that differ, for texts with the same number of lines.
fn changed_lines<'a>(old: &'a str, new: &'a str) -> Vec<(&'a str, &'a str)> {
    let (a, b) = (lines(old), lines(new));
    assert_eq!(
        a.len(),
        b.len(),
        "a one-field edit must not add or remove lines"
    );
    a.into_iter().zip(b).filter(|(x, y)| x != y).collect()
}

/// Whether every line break of `text` is CRLF (when `crlf`) or LF alone (otherwise).
fn line_ends_are(text: &str, crlf: bool) -> bool {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'\n')
        .all(|(i, _)| (i > 0 && bytes[i - 1] == b'\r') == crlf)
}

#[test]
fn the_fixture_set_is_what_the_tests_expect() {
    for name in LOADABLE_FIXTURES {
        let path = fixtures_dir().join(name);
        BotDocument::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let text = read_text(&path);
        assert!(!text.ends_with('\n'), "{name}: no trailing newline");
    }
    let crlf = read_text(&fixtures_dir().join("crlf-bot.json"));
    assert!(crlf.contains("\r\n") && line_ends_are(&crlf, true));
    let err = BotDocument::load(&fixtures_dir().join("truncated-bot.json")).unwrap_err();
    assert!(err.at.is_some(), "{err}");
}

#[test]
fn unchanged_bots_save_byte_identical() {
    for path in bot_files() {
        let bytes = std::fs::read(&path).unwrap();
        let doc = BotDocument::load(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(!doc.is_modified());
        assert!(
            doc.to_text().as_bytes() == bytes.as_slice(),
            "{}: load + to_text changed the bytes",
            name_of(&path)
        );
    }
}

/// Sets `field` of the integration at `index` to `value` and checks that exactly the expected
/// lines changed, each from `"key": old` to `"key": new`.
fn check_one_field_edit(
    file: &str,
    doc: &BotDocument,
    index: usize,
    field: Field,
    value: &str,
    expected: &[(&str, usize)],
) {
    let before = doc.to_text();
    let crlf = before.contains("\r\n");
    let mut edited = doc.clone();
    edited.set_field(index, field, value).unwrap();
    assert!(edited.is_modified(), "{file}: {field:?} edit not recorded");
    let after = edited.to_text();
    assert!(
        line_ends_are(&after, crlf),
        "{file}: the edit changed the file's line ends"
    );
    let changed = changed_lines(&before, &after);
    let want: usize = expected.iter().map(|(_, n)| n).sum();
    assert_eq!(
        changed.len(),
        want,
        "{file}: {field:?} edit changed these lines: {changed:#?}"
    );
    for (old, new) in &changed {
        let key = expected
            .iter()
            .map(|(k, _)| *k)
            .find(|k| new.trim_start().starts_with(&format!("\"{k}\": ")))
            .unwrap_or_else(|| panic!("{file}: unexpected changed line {new:?} (was {old:?})"));
        assert!(
            old.trim_start().starts_with(&format!("\"{key}\": ")),
            "{file}: line {old:?} became {new:?}"
        );
        let indent = |s: &str| s.len() - s.trim_start().len();
        assert_eq!(indent(old), indent(new), "{file}: indentation changed");
        assert_eq!(
            old.ends_with(','),
            new.ends_with(','),
            "{file}: comma moved"
        );
        let mut quoted = String::new();
        escalator::export::json_text::write_string(&mut quoted, value, &Default::default());
        assert!(
            new.contains(&quoted),
            "{file}: {new:?} does not hold {quoted}"
        );
    }
    for (key, n) in expected {
        let count = changed
            .iter()
            .filter(|(_, new)| new.trim_start().starts_with(&format!("\"{key}\": ")))
            .count();
        assert_eq!(count, *n, "{file}: changed \"{key}\" lines");
    }
    let reloaded = BotDocument::from_bytes(after.as_bytes()).expect("edited text loads");
    assert_eq!(reloaded.integration(index).unwrap().value(field), value);
}

#[test]
fn a_one_field_edit_changes_only_that_fields_lines() {
    for path in bot_files() {
        let file = name_of(&path);
        let mut doc = BotDocument::load(&path).unwrap();
        if doc.integration_count() == 0 {
            // Nothing to edit: add an escalation, take that as the saved state, and edit it.
            let index = doc.add_escalation("RoundTripEscalation");
            let text = doc.to_text();
            doc.mark_saved(text);
            check_one_field_edit(
                &file,
                &doc,
                index,
                Field::Name,
                "RoundTripRenamed",
                &[("name", 1)],
            );
            check_one_field_edit(
                &file,
                &doc,
                index,
                Field::SkillId,
                "4242",
                &[("agentSkillId", 1)],
            );
            continue;
        }
        for integration in doc.integrations() {
            // A rename follows the integration into every Integration interaction running it.
            let runners = doc
                .interactions()
                .iter()
                .filter(|i| i.runs(&integration) && i.responder_name == integration.name)
                .count();
            let mut expected = vec![("name", 1)];
            if runners > 0 {
                expected.push(("responderName", runners));
            }
            let new_name = format!("{}Renamed", integration.name);
            check_one_field_edit(
                &file,
                &doc,
                integration.index,
                Field::Name,
                &new_name,
                &expected,
            );
            if !integration.response_data_variable.is_empty() {
                let new_var = format!("{}Var", integration.response_data_variable);
                check_one_field_edit(
                    &file,
                    &doc,
                    integration.index,
                    Field::ResponseDataVariable,
                    &new_var,
                    &[("responseDataVariable", 1)],
                );
            }
        }
    }
}

#[test]
fn alias_keys_keep_their_spelling_on_their_own_line() {
    let path = fixtures_dir().join("alias-keys-bot.json");
    let doc = BotDocument::load(&path).unwrap();
    let before = doc.to_text();
    let esc = doc
        .integrations()
        .into_iter()
        .find(|i| i.is_escalation())
        .unwrap();
    assert_eq!(esc.escalation.skill_id, "4711");
    assert_eq!(esc.escalation.skill_name, "Support");
    assert_eq!(esc.escalation.message, "BLANK_MESSAGE");
    let mut edited = doc.clone();
    edited.set_field(esc.index, Field::SkillId, "815").unwrap();
    let after = edited.to_text();
    let changed = changed_lines(&before, &after);
    assert_eq!(
        changed,
        [(
            "      \"skillId\": \"4711\",",
            "      \"skillId\": \"815\","
        )]
    );
}

fn lines_without_comma(text: &str) -> Vec<String> {
    text.split('\n')
        .map(|l| {
            let l = l.strip_suffix('\r').unwrap_or(l);
            l.strip_suffix(',').unwrap_or(l).to_string()
        })
        .collect()
}

#[test]
fn set_create_through_the_binary_only_inserts_one_integration() {
    for path in bot_files() {
        let file = name_of(&path);
        let (_dir, copy) = copy_to_temp(&path);
        let before_text = read_text(&copy);
        let out = Command::new(env!("CARGO_BIN_EXE_escalator"))
            .arg("set")
            .arg(&copy)
            .args(["--integration", "NewEsc", "--create"])
            .args(["skill_name=Sales", "skill_id=12"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let after_text = read_text(&copy);
        assert!(
            line_ends_are(&after_text, before_text.contains("\r\n")),
            "{file}: line ends changed"
        );
        assert!(
            !escalator::workspace::sidecar::Sidecar::path_for(&copy).exists(),
            "{file}: no settings file without settings"
        );

        let before: Value = serde_json::from_str(&before_text).unwrap();
        let after: Value = serde_json::from_str(&after_text).unwrap();
        let (b, a) = (before.as_object().unwrap(), after.as_object().unwrap());
        assert_eq!(
            b.keys().collect::<Vec<_>>(),
            a.keys().collect::<Vec<_>>(),
            "{file}: top-level keys and their order"
        );
        for (key, value) in b {
            if key != "responder" {
                assert_eq!(value, &a[key], "{file}: top-level \"{key}\" changed");
            }
        }
        let (rb, ra) = (
            b["responder"].as_array().unwrap(),
            a["responder"].as_array().unwrap(),
        );
        assert_eq!(ra.len(), rb.len() + 1, "{file}: one more integration");
        assert_eq!(&ra[..rb.len()], rb.as_slice(), "{file}: others unchanged");
        let added = &ra[rb.len()];
        assert_eq!(added["name"], "NewEsc", "{file}");
        assert_eq!(added["responseDataVariable"], "NewEsc", "{file}");
        // The bot's own escalation integration is the shape a new one copies.
        let model = rb.iter().find(|r| {
            r["integrationType"]
                .as_str()
                .is_some_and(|t| escalator::bot::keys::TYPE_ESCALATION_READ.contains(&t))
        });
        let spelled = |aliases: &[&'static str]| -> &'static str {
            model
                .and_then(|m| aliases.iter().find(|k| m.get(**k).is_some()).copied())
                .unwrap_or(aliases[0])
        };
        assert_eq!(
            added[spelled(escalator::bot::keys::SKILL_NAME_READ)],
            "Sales",
            "{file}"
        );
        assert_eq!(
            added[spelled(escalator::bot::keys::SKILL_ID_READ)],
            "12",
            "{file}"
        );
        assert_eq!(
            added["integrationType"],
            model.map_or(json!("LIVEPERSON_AGENT_ESCALATION"), |m| {
                m["integrationType"].clone()
            }),
            "{file}"
        );
        if let Some(model) = model {
            let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
            assert_eq!(
                keys(added),
                keys(model),
                "{file}: the same keys in the same order"
            );
        }

        // Only inserted lines: the old lines are all there, in order. Two lines change only
        // by the JSON punctuation an insertion needs: the comma after the formerly last
        // entry, and `"responder": []` opening up when the list was empty.
        let old_lines = lines_without_comma(&before_text);
        let new_lines = lines_without_comma(&after_text);
        let mut at = 0;
        for old in &old_lines {
            let wanted = if old.trim_start() == "\"responder\": []" {
                old.replace("[]", "[")
            } else {
                old.clone()
            };
            match new_lines[at..].iter().position(|l| *l == wanted) {
                Some(p) => at += p + 1,
                None => panic!("{file}: the line {old:?} is gone or out of order after set"),
            }
        }
        let raw_before = lines(&before_text);
        let raw_after = lines(&after_text);
        let mut missing: Vec<&str> = raw_before
            .iter()
            .filter(|l| !raw_after.contains(l))
            .copied()
            .collect();
        missing.retain(|l| {
            let t = l.trim_end_matches('\r').trim();
            !(t == "}" || t == "\"responder\": [],")
        });
        assert!(
            missing.is_empty(),
            "{file}: lines changed in place: {missing:?}"
        );
    }
}

#[test]
fn a_saved_edit_reloads_and_saves_byte_identical_again() {
    for path in bot_files() {
        let file = name_of(&path);
        let (_dir, copy) = copy_to_temp(&path);
        let mut doc = BotDocument::load(&copy).unwrap();
        let index = doc.add_escalation("SavedEsc");
        doc.set_field(index, Field::Message, "Grüße – 你好 {$botContext.name}")
            .unwrap();
        doc.save(&copy).unwrap();
        assert!(!doc.is_modified());
        let saved = std::fs::read(&copy).unwrap();
        let again = BotDocument::load(&copy).unwrap();
        assert_eq!(
            again.to_text().as_bytes(),
            saved.as_slice(),
            "{file}: a saved file is not stable on reload"
        );
        assert_eq!(
            again
                .find_integration("SavedEsc")
                .unwrap()
                .escalation
                .message,
            "Grüße – 你好 {$botContext.name}"
        );
    }
}
