//! `escalator validate` reads a bot in parts, without its tree; it must find exactly what
//! checking the opened document finds, and leave every file the document refuses to the
//! document's own error.

mod common;

use escalator::bot::BotDocument;
use escalator::bot::parts::BotParts;
use escalator::sidecar::Sidecar;
use escalator::validate::{validate_bot, validate_bytes, validate_parts};

/// Every file the tests have: the real exports, the fixtures, the bad fixtures, generated bots
/// and a few made here.
fn files() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in [
        common::realworld_dir(),
        common::fixtures_dir(),
        common::fixture("bad"),
    ] {
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("a folder entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        for path in paths {
            let bytes = std::fs::read(&path).expect("readable");
            out.push((path.display().to_string(), bytes));
        }
    }
    for (n, seed) in [(0, 1), (7, 2), (60, 3)] {
        out.push((
            format!("gen-bot {n}"),
            escalator::generate::bot(n, seed).into_bytes(),
        ));
    }
    let made = [
        // A list written twice: the last one counts.
        r#"{"bot": {"id": "b"}, "responder": [{"name": "First"}], "responder": [{"name": "Second", "integrationType": "LIVEPERSON_AGENT_ESCALATION"}]}"#,
        // A number out of range where the rules do not look: the document refuses it.
        r#"{"bot": {"id": "b"}, "responder": [], "menus": [1e400]}"#,
        // The shape refused in a list written first, then fixed by a second one.
        r#"{"bot": {}, "groups": [3], "groups": [], "responder": []}"#,
        r#"{"responder": []}"#,
        r#"{"bot": [], "responder": []}"#,
        r#"{"bot": {"botAttributes": 4}, "responder": []}"#,
        r#"{"bot": {}, "responder": {}}"#,
        r#"{"bot": {}, "responder": [{"customDataFields": [1]}]}"#,
        "\u{feff}{\"bot\": {}, \"responder\": []}",
    ];
    for (i, text) in made.iter().enumerate() {
        out.push((format!("made {i}"), text.as_bytes().to_vec()));
    }
    out
}

#[test]
fn reading_in_parts_finds_what_the_document_finds() {
    let mut compared = 0;
    for (name, bytes) in files() {
        let parts = BotParts::read(&bytes);
        let quick = validate_bytes(&bytes, &Sidecar::default());
        assert_eq!(parts.is_some(), quick.is_some(), "{name}");
        match BotDocument::from_bytes(&bytes) {
            Ok(doc) => {
                // A file the document opens may still be left to it (a list refused, then
                // written again); when the parts read, they must agree.
                if let (Some(parts), Some(quick)) = (parts, quick) {
                    let found = validate_bot(&doc, &Sidecar::default());
                    assert_eq!(validate_parts(parts, &Sidecar::default()), found, "{name}");
                    assert_eq!(
                        quick, found,
                        "{name}: with the scripts checked while reading"
                    );
                    compared += 1;
                }
            }
            Err(e) => assert!(
                parts.is_none(),
                "{name}: the document refuses it ({e:?}), so must reading in parts"
            ),
        }
    }
    assert!(compared >= 12, "compared only {compared} files");
}
