//! The folders of `src/` are layers: a file imports only from its own folder and the folders
//! before it, export < bot < workspace < runtime < rules < cli, tui (the two faces, which do
//! not import each other). Test modules (after `#[cfg(test)]`) may reach higher, to check a
//! lower layer's output with a higher one's eyes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const LAYERS: [&str; 7] = [
    "export",
    "bot",
    "workspace",
    "runtime",
    "rules",
    "cli",
    "tui",
];

/// The rank of a folder: cli and tui share the top rank.
fn rank(folder: &str) -> Option<usize> {
    let i = LAYERS.iter().position(|l| *l == folder)?;
    Some(i.min(5))
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file before its test module.
fn code_of(text: &str) -> &str {
    text.split("#[cfg(test)]").next().unwrap_or(text)
}

/// The top-level folders a text names as `crate::folder`.
fn crate_folders(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        // `escalator::crate::` never happens; skip `$crate::` in macros.
        if code[..at].ends_with('$') {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        found.insert(name);
    }
    // `use crate::{a, b::c}` names several.
    for (at, _) in code.match_indices("crate::{") {
        let rest = &code[at + "crate::{".len()..];
        let group = rest.split('}').next().unwrap_or("");
        for item in group.split(',') {
            let name: String = item
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            found.insert(name);
        }
    }
    found
}

/// Every import of a folder above the file's own, as "file imports folder".
fn violations(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    let mut wrong = Vec::new();
    for file in files {
        let relative = file.strip_prefix(root.join("src")).unwrap();
        let mut parts = relative.iter();
        let first = parts.next().unwrap().to_string_lossy().to_string();
        if parts.next().is_none() {
            continue; // lib.rs, main.rs: the crate's root, above every layer
        }
        let own =
            rank(&first).unwrap_or_else(|| panic!("{first} is not a layer: add it to LAYERS"));
        let text = std::fs::read_to_string(&file).unwrap();
        for folder in crate_folders(code_of(&text)) {
            let Some(theirs) = rank(&folder) else {
                continue;
            };
            if theirs > own || (theirs == own && folder != first) {
                wrong.push(format!("{} imports crate::{folder}", relative.display()));
            }
        }
    }
    wrong
}

#[test]
fn every_file_imports_only_from_its_own_layer_and_below() {
    let wrong = violations(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_editor_state_never_imports_its_drawing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui");
    let model = std::fs::read_to_string(root.join("model.rs")).unwrap();
    let code = code_of(&model);
    for drawing in ["view", "draw", "components"] {
        assert!(
            !code.contains(&format!("super::{drawing}"))
                && !code.contains(&format!("tui::{drawing}")),
            "tui/model.rs imports the drawing code ({drawing})"
        );
    }
}

#[test]
fn update_never_calls_drawing_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui");
    let update = std::fs::read_to_string(root.join("update.rs")).unwrap();
    let code = code_of(&update);
    for drawing in [
        "super::view",
        "tui::view",
        "super::draw",
        "tui::draw",
        "render_widget",
        ".draw(",
    ] {
        assert!(
            !code.contains(drawing),
            "tui/update.rs calls drawing code ({drawing}); read what the last frame recorded instead"
        );
    }
}

#[test]
fn the_check_finds_an_import_from_above() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    for folder in LAYERS {
        std::fs::create_dir_all(src.join(folder)).unwrap();
        std::fs::write(src.join(folder).join("mod.rs"), "").unwrap();
    }
    std::fs::write(src.join("lib.rs"), "use crate::tui;").unwrap();
    std::fs::write(
        src.join("bot/edit.rs"),
        "use crate::export::save;\nuse crate::{bot::keys, runtime::delay};",
    )
    .unwrap();
    std::fs::write(src.join("tui/view.rs"), "use crate::cli::print;").unwrap();
    std::fs::write(
        src.join("export/save.rs"),
        "fn a() {}\n#[cfg(test)]\nmod tests { use crate::rules; }",
    )
    .unwrap();
    let mut wrong = violations(dir.path());
    wrong.sort();
    assert_eq!(
        wrong,
        [
            "bot/edit.rs imports crate::runtime",
            "tui/view.rs imports crate::cli"
        ]
    );
}
