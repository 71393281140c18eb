//! A Conversation Builder bot export: loaded whole, viewed through typed readers, edited in
//! place and saved in its own formatting.

pub mod edit;
pub mod json_text;
pub mod keys;
pub mod parts;
pub mod read;
pub mod save;
mod tree;

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use json_text::TextStyle;

/// A bot export held as its whole JSON tree, beside the text it was read from.
#[derive(Debug, Clone)]
pub struct BotDocument {
    /// The tree, every key in the order written, unknown keys included.
    root: Value,
    /// The text as last loaded or saved, for keeping untouched bytes on save.
    text: String,
    /// Bytes before the JSON text that are not JSON (a UTF-8 byte order mark).
    bom: bool,
    style: TextStyle,
    /// Whether an edit was made since the last load or save.
    modified: bool,
    /// Counts edits, so a client can tell that something changed since it last looked.
    revision: u64,
    /// The file this was loaded from or last saved to, as it was then.
    disk: Option<(PathBuf, save::DiskStamp)>,
}

/// Why a file could not be opened as a bot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub path: PathBuf,
    /// Line and column (1-based) where the problem is, when it is at a place.
    pub at: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some((line, column)) => {
                write!(
                    f,
                    "{}:{line}:{column}: {}",
                    self.path.display(),
                    self.message
                )
            }
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for LoadError {}

impl BotDocument {
    /// Reads and checks a bot export.
    pub fn load(path: &Path) -> Result<BotDocument, LoadError> {
        let bytes = std::fs::read(path).map_err(|e| LoadError {
            path: path.to_path_buf(),
            at: None,
            message: format!("cannot read the file: {}", describe_io(&e)),
        })?;
        let stamp = save::DiskStamp::of(path, &bytes);
        let mut doc = BotDocument::from_vec(bytes).map_err(|(at, message)| LoadError {
            path: path.to_path_buf(),
            at,
            message,
        })?;
        doc.disk = Some((path.to_path_buf(), stamp));
        Ok(doc)
    }

    /// Parses a bot export from its bytes; an error carries its line and column.
    pub fn from_bytes(bytes: &[u8]) -> Result<BotDocument, (Option<(usize, usize)>, String)> {
        BotDocument::from_vec(bytes.to_vec())
    }

    /// [`BotDocument::from_bytes`], keeping `bytes` as the document's text (no copy).
    pub fn from_vec(mut bytes: Vec<u8>) -> Result<BotDocument, (Option<(usize, usize)>, String)> {
        let bom = bytes.starts_with(b"\xEF\xBB\xBF");
        if bom {
            bytes.drain(..3);
        }
        let owned = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let body = e.as_bytes();
                let valid = &body[..e.utf8_error().valid_up_to()];
                let at = json_text::line_column(
                    std::str::from_utf8(valid).unwrap_or_default(),
                    valid.len(),
                );
                return Err((
                    Some(at),
                    "the file is not UTF-8 text; save it as UTF-8 and open it again".into(),
                ));
            }
        };
        let text = owned.as_str();
        if text.trim().is_empty() {
            return Err((
                None,
                "the file is empty; expected a Conversation Builder bot export (Bot Settings, Export Bot)".into(),
            ));
        }
        let root: Value = tree::parse(text)
            .map_err(|e| (Some((e.line(), e.column())), describe_json_error(&e)))?;
        if let Err((path, message)) = read::check_shape(&root) {
            let at = json_text::scan(text).and_then(|span| locate(text, &span, &path));
            let place = if path.is_empty() {
                String::new()
            } else {
                format!("{}: ", read::path_to_string(&path))
            };
            return Err((at, format!("{place}{message}")));
        }
        let style = TextStyle::detect(text);
        Ok(BotDocument {
            style,
            text: owned,
            root,
            bom,
            modified: false,
            revision: 0,
            disk: None,
        })
    }

    /// The text this document saves as: unchanged bytes kept, edits in the file's style.
    pub fn to_text(&self) -> String {
        let rendered = match (
            serde_json::from_str::<Value>(&self.text),
            json_text::scan(&self.text),
        ) {
            (Ok(old), Some(span)) => {
                json_text::render_preserving(&self.text, &old, &span, &self.root, &self.style)
            }
            _ => {
                let mut out = String::new();
                json_text::write_value(&mut out, &self.root, 0, &self.style);
                out
            }
        };
        if self.bom {
            format!("\u{feff}{rendered}")
        } else {
            rendered
        }
    }

    /// The whole tree, every key in the order written.
    pub fn root(&self) -> &Value {
        &self.root
    }

    /// The tree for an edit; the document counts as modified from here on.
    pub(crate) fn root_mut(&mut self) -> &mut Value {
        self.modified = true;
        self.revision += 1;
        &mut self.root
    }

    /// Puts a whole edited tree in place (restoring journaled edits); the text it will be
    /// saved against stays the loaded one, so the save still changes only what differs.
    pub fn replace_root(&mut self, root: Value) {
        *self.root_mut() = root;
    }

    /// A number that changes with every edit.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Why the file this was loaded from differs on disk now, if it does.
    pub fn changed_on_disk(&self) -> Option<String> {
        let (path, stamp) = self.disk.as_ref()?;
        stamp.changed(path)
    }

    /// The hash of the text this was loaded from or last saved as.
    pub fn base_hash(&self) -> u64 {
        save::content_hash(self.text.as_bytes())
    }

    /// Whether an edit was made since the last load or save.
    pub fn is_modified(&self) -> bool {
        self.modified
    }

    /// Writes the document to `path` atomically and makes the written text the new baseline.
    /// Refuses (with `changed_on_disk`) when the file it was loaded from changed on disk since.
    pub fn save(&mut self, path: &Path) -> Result<(), save::SaveError> {
        if let Some((loaded, stamp)) = &self.disk
            && loaded == path
            && let Some(why) = stamp.changed(path)
        {
            return Err(save::SaveError {
                path: path.to_path_buf(),
                message: format!("the file changed on disk since it was opened: {why}"),
                changed_on_disk: true,
            });
        }
        self.save_over(path)
    }

    /// [`BotDocument::save`] without the check for changes on disk: the user said overwrite.
    pub fn save_over(&mut self, path: &Path) -> Result<(), save::SaveError> {
        let text = self.to_text();
        save::write_atomically(path, text.as_bytes())?;
        self.disk = Some((
            path.to_path_buf(),
            save::DiskStamp::of(path, text.as_bytes()),
        ));
        self.mark_saved(text);
        Ok(())
    }

    /// Takes `text` (as returned by [`BotDocument::to_text`]) as the saved state.
    pub fn mark_saved(&mut self, text: String) {
        self.text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        self.modified = false;
    }
}

/// The line and column of the value at `path` in `text`.
fn locate(text: &str, span: &json_text::Span, path: &[read::PathSeg]) -> Option<(usize, usize)> {
    let mut here = span;
    for seg in path {
        let next = match seg {
            read::PathSeg::Key(k) => here.member(k),
            read::PathSeg::Index(i) => here.item(*i),
        };
        match next {
            Some(span) => here = span,
            None => break,
        }
    }
    Some(json_text::line_column(text, here.start))
}

/// What is wrong with the JSON, in the user's words, with what was expected.
fn describe_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let raw = e.to_string();
    let what = raw.split(" at line ").next().unwrap_or(&raw);
    match e.classify() {
        Category::Eof => format!(
            "the file ends in the middle of the JSON ({what}); was it cut off? Expected the rest of the export"
        ),
        _ if what.contains("recursion limit") => {
            "nested more than 128 levels deep here; a bot export is never this deep".into()
        }
        Category::Syntax => format!("not valid JSON: {what}"),
        Category::Io | Category::Data => format!("cannot be read as JSON: {what}"),
    }
}

/// A short description of an I/O error in the user's words.
pub fn describe_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "no such file (check the path)".into(),
        ErrorKind::PermissionDenied => "permission denied (check the file's permissions)".into(),
        ErrorKind::IsADirectory => "it is a folder, not a file".into(),
        ErrorKind::StorageFull => "the disk is full (free some space and save again)".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saving_over_a_file_changed_on_disk_needs_a_yes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bot.json");
        std::fs::write(&file, "{\n  \"bot\": {},\n  \"responder\": []\n}").unwrap();
        let mut doc = BotDocument::load(&file).unwrap();
        doc.add_escalation("Esc");
        let theirs = "{\n  \"bot\": {\"name\": \"theirs\"},\n  \"responder\": []\n}";
        std::fs::write(&file, theirs).unwrap();
        assert!(doc.changed_on_disk().is_some());
        let err = doc.save(&file).unwrap_err();
        assert!(err.changed_on_disk, "{err}");
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            theirs,
            "nothing overwritten"
        );
        doc.save_over(&file).unwrap();
        assert_eq!(BotDocument::load(&file).unwrap().integration_count(), 1);
        assert!(
            doc.changed_on_disk().is_none(),
            "the saved version is the new baseline"
        );
        doc.add_escalation("Esc");
        doc.save(&file).unwrap();
    }
}
