//! `escalator validate` reads a bot in parts, without its tree; it must find exactly what
//! checking the opened document finds, and leave every file the document refuses to the
//! document's own error.

mod common;
use common::Edits;

use escalator::bot::BotDocument;
use escalator::bot::parts::BotParts;
use escalator::rules::{validate_bot, validate_bytes, validate_parts};
use escalator::workspace::sidecar::Sidecar;

/// Every file the tests have: the real exports, the fixtures, the bad fixtures, generated bots
/// and a few made here.
fn files() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in common::corpus_dir()
        .into_iter()
        .chain([common::fixtures_dir(), common::fixture("bad")])
    {
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
            escalator::bot::generate::bot(n, seed).into_bytes(),
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
    // The fixtures, the generated and the made files that read in parts, and every real export.
    let least = 8 + common::realworld_files().len();
    assert!(
        compared >= least,
        "compared only {compared} files of {least}"
    );
}

/// What the readers of an opened document read, one reader at a time.
fn read_one_by_one(doc: &BotDocument) -> BotParts {
    BotParts {
        bot_id: doc.bot_id(),
        integrations: doc.integrations(),
        transfers: doc.agent_transfers(),
        interactions: doc.interactions(),
        dialogs: doc.dialogs(),
    }
}

fn assert_same_parts(a: &BotParts, b: &BotParts, name: &str) {
    assert_eq!(a.bot_id, b.bot_id, "{name}");
    assert_eq!(a.integrations, b.integrations, "{name}");
    assert_eq!(a.transfers, b.transfers, "{name}");
    assert_eq!(a.interactions, b.interactions, "{name}");
    assert_eq!(a.dialogs, b.dialogs, "{name}");
}

/// Opening reads the rules' parts while it checks the items (on two cores for a large bot,
/// which the generated one of 3,500 integrations is), and `parts` reads them again after
/// edits: both must be what the readers read one by one.
#[test]
fn opening_reads_the_parts_the_readers_read() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut files = files();
    let large = escalator::bot::generate::bot(3_500, 4);
    assert!(
        large.len() > 4 << 20,
        "large enough to be read on two cores"
    );
    files.push(("gen-bot 3500".into(), large.into_bytes()));
    let mut opened = 0;
    for (i, (name, bytes)) in files.into_iter().enumerate() {
        let path = dir.path().join(format!("bot{i}.json"));
        std::fs::write(&path, &bytes).expect("written");
        let Ok((mut doc, parts)) = BotDocument::load_with_parts(&path) else {
            assert!(BotDocument::from_bytes(&bytes).is_err(), "{name}");
            continue;
        };
        assert_eq!(doc.to_text().as_bytes(), bytes, "{name}: saves as read");
        assert_same_parts(&parts, &read_one_by_one(&doc), &name);
        assert_same_parts(&doc.parts(), &read_one_by_one(&doc), &name);
        if doc.integration_count() > 1 {
            let last = doc.integration_count() - 1;
            doc.set_field(last, escalator::bot::integration::Field::Name, "Renamed")
                .expect("an integration");
            doc.delete_integration(0).expect("an integration");
            doc.add_escalation("Added");
            assert_same_parts(&doc.parts(), &read_one_by_one(&doc), &name);
        }
        opened += 1;
    }
    assert!(opened >= 12, "opened only {opened} files");
}
