//! Fuzzes the loader: any bytes either fail to load with an error, or load, save back as the
//! same bytes, read back as the same tree, and go through the readers, the rules and one
//! edit without panicking. Run with `cargo +nightly fuzz run load` (see the README).

#![no_main]

use escalator::bot::BotDocument;
use escalator::bot::integration::Field;
use escalator::workspace::sidecar::Sidecar;
use escalator::rules::validate_bot;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(mut doc) = BotDocument::from_bytes(data) else {
        return;
    };

    // An unchanged document saves as exactly the bytes it was read from.
    let text = doc.to_text();
    assert!(text.as_bytes() == data, "to_text changed an unedited file");
    let back = BotDocument::from_bytes(text.as_bytes()).expect("the saved text loads");
    assert_eq!(back.root(), doc.root());

    // The typed readers and the rules take whatever the file holds.
    let _ = doc.bot_name();
    let _ = doc.integrations();
    let _ = doc.interactions();
    let _ = doc.dialogs();
    let _ = validate_bot(&doc, &Sidecar::default());

    // One edit: the result saves, loads, and has the new value.
    if doc.integration_count() > 0 {
        doc.set_field(0, Field::Name, "Fuzzed\u{1b}\"\\ é")
            .expect("a name edit");
        let saved = doc.to_text();
        let back = BotDocument::from_bytes(saved.as_bytes()).expect("the edited text loads");
        assert_eq!(
            back.integration(0).map(|i| i.name).as_deref(),
            Some("Fuzzed\u{1b}\"\\ é")
        );
    }
});
