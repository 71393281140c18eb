//! A Conversation Builder bot export: its text kept, its long lists read item by item when
//! asked, viewed through typed readers, edited in place and saved in its own formatting.

pub mod edit;
pub mod json_text;
pub mod keys;
mod lists;
pub mod parts;
pub mod read;
pub mod save;
mod tree;

use std::fmt;
use std::path::{Path, PathBuf};

use std::borrow::Cow;

use serde_json::Value;

use json_text::TextStyle;
use lists::{List, Member, Top};
use parts::BotParts;

/// A bot export: the text it was read from, and its top-level members, every key in the order
/// written, unknown keys included. The long lists' items are read from the text when asked
/// for and kept as trees once edited.
#[derive(Debug, Clone)]
pub struct BotDocument {
    top: Top,
    /// The text as last loaded or saved, for keeping untouched bytes on save.
    text: String,
    /// Bytes before the JSON text that are not JSON (a UTF-8 byte order mark).
    bom: bool,
    /// Read from the text when first needed (a large file's is a pass over all of it).
    style: std::sync::OnceLock<TextStyle>,
    /// Whether an edit was made since the last load or save.
    modified: bool,
    /// Counts edits, so a client can tell that something changed since it last looked.
    revision: u64,
    /// The file this was loaded from or last saved to, as it was then.
    disk: Option<(PathBuf, save::DiskStamp)>,
}

/// Why a text is not a bot export: where (line and column, 1-based) when at a place, and
/// what is wrong.
type Refusal = (Option<(usize, usize)>, String);

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
        BotDocument::load_reading(path, false).map(|(doc, _)| doc)
    }

    /// [`BotDocument::load`], with the parts the rules read (read while checking the
    /// file, so a large bot is parsed once to open it and show it).
    pub fn load_with_parts(path: &Path) -> Result<(BotDocument, BotParts), LoadError> {
        BotDocument::load_reading(path, true)
    }

    fn load_reading(path: &Path, reading: bool) -> Result<(BotDocument, BotParts), LoadError> {
        let bytes = read_file(path).map_err(|e| LoadError {
            path: path.to_path_buf(),
            at: None,
            message: format!("cannot read the file: {}", describe_io(&e)),
        })?;
        let stamp = save::DiskStamp::of(&bytes);
        let (mut doc, parts) =
            BotDocument::from_vec_reading(bytes, reading).map_err(|(at, message)| LoadError {
                path: path.to_path_buf(),
                at,
                message,
            })?;
        doc.disk = Some((path.to_path_buf(), stamp));
        Ok((doc, parts))
    }

    /// Parses a bot export from its bytes; an error carries its line and column.
    pub fn from_bytes(bytes: &[u8]) -> Result<BotDocument, (Option<(usize, usize)>, String)> {
        BotDocument::from_vec(bytes.to_vec())
    }

    /// [`BotDocument::from_bytes`], keeping `bytes` as the document's text (no copy).
    pub fn from_vec(bytes: Vec<u8>) -> Result<BotDocument, (Option<(usize, usize)>, String)> {
        BotDocument::from_vec_reading(bytes, false).map(|(doc, _)| doc)
    }

    fn from_vec_reading(
        mut bytes: Vec<u8>,
        reading: bool,
    ) -> Result<(BotDocument, BotParts), Refusal> {
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
        let top = match lists::read(text) {
            Ok(lists::Read::Top(top)) => top,
            Ok(lists::Read::Other(value)) => {
                let at = json_text::line_column(text, text.len() - text.trim_start().len());
                return Err((Some(at), read::not_an_export(&value)));
            }
            Err(e) => return Err((Some(e.line_column(text)), describe_json_error(&e.error))),
        };
        let parts = check(&top, text, reading).map_err(|problem| {
            // The first syntax error in the file comes first, as serde_json's scan finds it.
            match lists::read_carefully(text) {
                Err(e) => (Some(e.line_column(text)), describe_json_error(&e.error)),
                Ok(_) => problem,
            }
        })?;
        let doc = BotDocument {
            style: std::sync::OnceLock::new(),
            text: owned,
            top,
            bom,
            modified: false,
            revision: 0,
            disk: None,
        };
        Ok((doc, parts))
    }

    /// The text this document saves as: unchanged bytes kept, edits in the file's style.
    pub fn to_text(&self) -> String {
        let style = self.style.get_or_init(|| TextStyle::detect(&self.text));
        let rendered = self.top.render(&self.text, style);
        if self.bom {
            format!("\u{feff}{rendered}")
        } else {
            rendered
        }
    }

    /// The whole tree, every key in the order written, built from the text and the edits
    /// (costly on a large bot: the readers read what they need).
    pub fn root(&self) -> Value {
        self.top.to_value(&self.text)
    }

    /// A top-level member other than the long lists.
    pub(crate) fn member(&self, key: &str) -> Option<&Value> {
        match self.top.get(key)? {
            Member::Value { value, .. } => Some(value),
            Member::List(_) => None,
        }
    }

    /// Whether the top-level member `key` is there but not a list of items.
    pub(crate) fn is_not_a_list(&self, key: &str) -> bool {
        matches!(self.top.get(key), Some(Member::Value { .. }))
    }

    /// How many items the list `key` holds.
    pub(crate) fn item_count(&self, key: &str) -> usize {
        match self.top.get(key) {
            Some(Member::List(list)) => list.len(),
            _ => 0,
        }
    }

    /// What the rules read of the bot, every item read once (on two cores for a large bot).
    pub fn parts(&self) -> BotParts {
        go_through(&self.top, &self.text, false, true).unwrap_or_else(|_| BotParts {
            // Held items parse (they were checked when read): this is never reached.
            bot_id: self.bot_id(),
            integrations: self.integrations(),
            transfers: self.agent_transfers(),
            interactions: self.interactions(),
            dialogs: self.dialogs(),
        })
    }

    /// Item `index` of the list `key`.
    pub(crate) fn item(&self, key: &str, index: usize) -> Option<Cow<'_, Value>> {
        match self.top.get(key)? {
            Member::List(list) => list.get(&self.text, index),
            Member::Value { .. } => None,
        }
    }

    /// The items of the list `key`, in order.
    pub(crate) fn items(&self, key: &str) -> impl Iterator<Item = Cow<'_, Value>> {
        let list = match self.top.get(key) {
            Some(Member::List(list)) => Some(list),
            _ => None,
        };
        let text = self.text.as_str();
        list.into_iter()
            .flat_map(move |list| (0..list.len()).filter_map(move |i| list.get(text, i)))
    }

    /// The indexes of the items of the list `key` that may mention one of `words` (a quick
    /// look at the text: the others surely do not).
    pub(crate) fn items_mentioning(&self, key: &str, words: &[&str]) -> Vec<usize> {
        match self.top.get(key) {
            Some(Member::List(list)) => list.mentioning(&self.text, words).collect(),
            _ => Vec::new(),
        }
    }

    /// Item `index` of the list `key`, for an edit.
    pub(crate) fn item_mut(&mut self, key: &str, index: usize) -> Option<&mut Value> {
        let list = match self.top.get_mut(key)? {
            Member::List(list) => list,
            Member::Value { .. } => return None,
        };
        let item = list.get_mut(&self.text, index)?;
        self.modified = true;
        self.revision += 1;
        Some(item)
    }

    /// The list `key` for adding or removing items, added (empty) when there is none;
    /// `None` when `key` holds something else.
    pub(crate) fn list_mut(&mut self, key: &str) -> Option<&mut List> {
        let list = self.top.list_mut(key)?;
        self.modified = true;
        self.revision += 1;
        Some(list)
    }

    /// Puts a whole edited tree in place (restoring journaled edits); the text it will be
    /// saved against stays the loaded one, so the save still changes only what differs. A
    /// tree that is not an object is not a bot and changes nothing.
    pub fn replace_root(&mut self, root: Value) {
        if let Value::Object(map) = root {
            self.top.replace(&self.text, map);
            self.modified = true;
            self.revision += 1;
        }
    }

    /// A number that changes with every edit.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Why the file this was loaded from differs on disk now, if it does.
    pub fn changed_on_disk(&self) -> Option<String> {
        let (path, stamp) = self.disk.as_ref()?;
        stamp.changed(path, |bytes| self.is_baseline(bytes))
    }

    /// Whether `bytes` are the text this was loaded from or last saved as.
    fn is_baseline(&self, bytes: &[u8]) -> bool {
        let body = if self.bom {
            match bytes.strip_prefix(b"\xEF\xBB\xBF") {
                Some(body) => body,
                None => return false,
            }
        } else {
            bytes
        };
        body == self.text.as_bytes()
    }

    /// The hash of the text this was loaded from or last saved as.
    pub fn base_hash(&self) -> u64 {
        save::content_hash(self.text.as_bytes())
    }

    /// Whether an edit was made since the last load or save.
    pub fn is_modified(&self) -> bool {
        self.modified
    }

    /// Writes the document to `path` atomically and makes the written text the new baseline,
    /// under the export's lock (waiting a little for another writer). Refuses (with
    /// `changed_on_disk`) when the file it was loaded from changed on disk since.
    pub fn save(&mut self, path: &Path) -> Result<(), save::SaveError> {
        let lock = save::ExportLock::acquire(path, save::EDITOR_LOCK_WAIT)?;
        self.save_locked(path, &lock)
    }

    /// [`BotDocument::save`] with the export's lock already held (taken before the file was
    /// read): the content on disk is compared with what was loaded, then replaced.
    pub fn save_locked(
        &mut self,
        path: &Path,
        _lock: &save::ExportLock,
    ) -> Result<(), save::SaveError> {
        if let Some((loaded, stamp)) = &self.disk
            && loaded == path
            && let Some(why) = stamp.changed(path, |bytes| self.is_baseline(bytes))
        {
            return Err(save::SaveError {
                path: path.to_path_buf(),
                message: format!("the file changed on disk since it was opened: {why}"),
                changed_on_disk: true,
            });
        }
        self.write_to(path)
    }

    /// [`BotDocument::save`] without the check for changes on disk: the user said overwrite.
    pub fn save_over(&mut self, path: &Path) -> Result<(), save::SaveError> {
        let _lock = save::ExportLock::acquire(path, save::EDITOR_LOCK_WAIT)?;
        self.write_to(path)
    }

    fn write_to(&mut self, path: &Path) -> Result<(), save::SaveError> {
        let text = self.to_text();
        save::write_atomically(path, text.as_bytes())?;
        self.disk = Some((path.to_path_buf(), save::DiskStamp::of(text.as_bytes())));
        self.mark_saved(text);
        Ok(())
    }

    /// Takes `text` (as returned by [`BotDocument::to_text`]) as the saved state.
    pub fn mark_saved(&mut self, text: String) {
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        // The saved text is this document's own rendering: it reads back as the same tree.
        // Should it not, the tree is kept whole and the next save writes it afresh.
        self.top = match lists::read(&text) {
            Ok(lists::Read::Top(top)) => top,
            _ => {
                let mut fresh = Top::default();
                if let Value::Object(map) = self.root() {
                    fresh.replace("", map);
                }
                fresh
            }
        };
        self.text = text;
        self.modified = false;
    }
}

/// Checks the shape of an export read as `top` from `text`, each item of the long lists
/// parsed on its own (on every core for a large bot) and dropped; `reading`: the parts the
/// rules read are read on the way (else the parts returned are empty).
fn check(top: &Top, text: &str, reading: bool) -> Result<BotParts, Refusal> {
    go_through(top, text, true, reading)
}

/// Goes through every item of the long lists, parsing those held as text (on two cores
/// for a large bot): `checking`, refusing a shape this tool does not read; `reading`, reading
/// the parts the rules read (else the parts returned are empty).
fn go_through(top: &Top, text: &str, checking: bool, reading: bool) -> Result<BotParts, Refusal> {
    let refuse = |(path, message): (Vec<read::PathSeg>, String)| {
        let at = locate(top, text, &path);
        let place = if path.is_empty() {
            String::new()
        } else {
            format!("{}: ", read::path_to_string(&path))
        };
        (at, format!("{place}{message}"))
    };
    if checking {
        let members: Vec<(&str, Option<&Value>)> = top
            .members()
            .map(|(key, member)| match member {
                Member::Value { value, .. } => (key, Some(value)),
                Member::List(_) => (key, None),
            })
            .collect();
        read::check_top(&members).map_err(refuse)?;
    }
    let mut items: Vec<(&'static str, usize, lists::Part<'_>)> = Vec::new();
    for list_key in read::SHAPED_LISTS {
        if let Some(Member::List(list)) = top.get(list_key) {
            items.extend(list.parts().map(|(i, part)| (list_key, i, part)));
        }
    }
    let size = |part: &lists::Part<'_>| match part {
        lists::Part::Text(range) => range.len(),
        lists::Part::Tree(_) => 0,
    };
    let go = |items: &[(&'static str, usize, lists::Part<'_>)]| {
        let mut parts = BotParts::default();
        for (list_key, i, part) in items {
            let parsed;
            let value = match part {
                lists::Part::Tree(value) => *value,
                lists::Part::Text(range) => {
                    let part = text.get(range.clone()).unwrap_or_default();
                    parsed = tree::parse(part).map_err(|error| {
                        let e = lists::JsonError {
                            offset: range.start,
                            error,
                        };
                        (Some(e.line_column(text)), describe_json_error(&e.error))
                    })?;
                    &parsed
                }
            };
            if checking {
                read::check_item(list_key, *i, value).map_err(refuse)?;
            }
            if reading {
                parts.add(list_key, *i, value);
            }
        }
        Ok(parts)
    };
    // Parsing is most of opening a large bot: halves on two cores when there is enough.
    let bytes: usize = items.iter().map(|(_, _, part)| size(part)).sum();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut parts = if cores < 2 || bytes < lists::PARALLEL_BYTES {
        go(&items)?
    } else {
        let mut half = 0;
        let mut seen = 0;
        while half < items.len() && seen < bytes / 2 {
            seen += size(&items[half].2);
            half += 1;
        }
        let (first, second) = items.split_at(half);
        let (earlier, later) = std::thread::scope(|scope| {
            let later = scope.spawn(|| go(second));
            let earlier = go(first);
            (earlier, later.join().unwrap_or_else(|_| go(second)))
        });
        // The first problem in the file is the one reported.
        let mut parts = earlier?;
        parts.append(later?);
        parts
    };
    if reading {
        parts.bot_id = match top.get(keys::BOT) {
            Some(Member::Value {
                value: Value::Object(bot),
                ..
            }) => read::bot_id_of(bot),
            _ => String::new(),
        };
    }
    Ok(parts)
}

/// The line and column of the value at `path` in `text`, read as `top`.
fn locate(top: &Top, text: &str, path: &[read::PathSeg]) -> Option<(usize, usize)> {
    let start = text.len() - text.trim_start().len();
    let Some((read::PathSeg::Key(key), rest)) = path.split_first() else {
        return Some(json_text::line_column(text, start));
    };
    let (range, rest) = match (top.get(key), rest.split_first()) {
        (Some(Member::List(list)), Some((read::PathSeg::Index(i), deeper))) => {
            (list.place(*i).or(top.place(key)), deeper)
        }
        _ => (top.place(key), rest),
    };
    let range = range?.clone();
    let part = text.get(range.clone())?;
    let mut offset = range.start;
    if let Some(span) = json_text::scan(part) {
        let mut here = &span;
        for seg in rest {
            let next = match seg {
                read::PathSeg::Key(k) => here.member(k),
                read::PathSeg::Index(i) => here.item(*i),
            };
            match next {
                Some(span) => here = span,
                None => break,
            }
        }
        offset += here.start;
    }
    Some(json_text::line_column(text, offset))
}

/// Parses JSON text the way an export is read: a key written twice in an object is refused.
pub fn parse_json(text: &str) -> Result<Value, serde_json::Error> {
    tree::parse(text)
}

/// The largest export escalator opens: five times the largest bot measured (50 MB).
pub const MAX_EXPORT_BYTES: u64 = 256 << 20;
/// The largest file of escalator's own beside an export (settings, sample results, journals).
pub const MAX_SMALL_FILE_BYTES: u64 = 16 << 20;

/// Opens `path` for reading if it is a regular file (after symlinks) of at most `limit`
/// bytes; anything else (a FIFO, a device such as `/dev/zero`, a socket, a folder) is refused
/// at once, without waiting on it or reading it.
pub fn open_regular(path: &Path, limit: u64) -> std::io::Result<(std::fs::File, u64)> {
    use std::io::{Error, ErrorKind};
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A FIFO opened for reading would wait for a writer; without blocking it opens at once
        // and is refused below.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        let kind = file_kind(&meta);
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!("it is {kind}, not a regular file"),
        ));
    }
    if meta.len() > limit {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!(
                "it is {} bytes, more than the {} MB escalator reads from such a file",
                meta.len(),
                limit >> 20
            ),
        ));
    }
    Ok((file, meta.len()))
}

/// What kind of thing a path that is not a regular file is, in words.
fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else {
        "not a file"
    }
}

/// The text of one of escalator's own small files beside an export (at most
/// [`MAX_SMALL_FILE_BYTES`], a regular file).
pub fn read_small_file(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let (file, len) = open_regular(path, MAX_SMALL_FILE_BYTES)?;
    let mut text = String::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(MAX_SMALL_FILE_BYTES + 1)
        .read_to_string(&mut text)?;
    Ok(text)
}

/// The bytes of the export at `path` (a regular file of at most [`MAX_EXPORT_BYTES`]). A
/// large file is read in halves on two cores: most of reading it is the memory it goes into
/// being mapped, which each half does for itself.
pub fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let (file, len) = open_regular(path, MAX_EXPORT_BYTES)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if cores > 1 && (4 * lists::PARALLEL_BYTES..usize::MAX / 2).contains(&len) {
            // Zeroed memory from the system is mapped when first written, not here.
            let mut bytes = vec![0u8; len];
            let (first, second) = bytes.split_at_mut(len / 2);
            let offset = first.len() as u64;
            let (a, b) = std::thread::scope(|scope| {
                let later = scope.spawn(|| file.read_exact_at(second, offset));
                (file.read_exact_at(first, 0), later.join())
            });
            let mut past_end = [0u8; 1];
            let whole = a.is_ok()
                && matches!(b, Ok(Ok(())))
                && matches!(file.read_at(&mut past_end, len as u64), Ok(0));
            // A file that changed size while read is read again, whole.
            if whole {
                return Ok(bytes);
            }
        }
    }
    let mut bytes = Vec::new();
    let mut whole = &file;
    std::io::Seek::rewind(&mut whole)?;
    whole.take(MAX_EXPORT_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_EXPORT_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "it grew past the {} MB escalator opens",
                MAX_EXPORT_BYTES >> 20
            ),
        ));
    }
    Ok(bytes)
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
    fn a_whole_tree_put_in_place_keeps_the_bytes_of_what_did_not_change() {
        let text = "{\n  \"bot\": {\"id\":\"b\"},\n  \"responder\": [\n    {\"name\":  \"A\"},\n    {\"name\": \"B\"},\n    {\"name\":\"C\"}\n  ]\n}";
        let mut doc = BotDocument::from_bytes(text.as_bytes()).unwrap();
        let mut root = doc.root();
        root["responder"][1]["name"] = "B2".into();
        let list = root["responder"].as_array_mut().unwrap();
        list.remove(2);
        list.insert(0, serde_json::json!({"name": "New"}));
        doc.replace_root(root.clone());
        let saved = doc.to_text();
        assert_eq!(
            saved,
            "{\n  \"bot\": {\"id\":\"b\"},\n  \"responder\": [\n    {\n      \"name\": \"New\"\n    },\n    {\"name\":  \"A\"},\n    {\n      \"name\": \"B2\"\n    }\n  ]\n}"
        );
        assert_eq!(
            BotDocument::from_bytes(saved.as_bytes()).unwrap().root(),
            root
        );
        // Put back as it was, it saves as it was read.
        doc.replace_root(BotDocument::from_bytes(text.as_bytes()).unwrap().root());
        assert_eq!(doc.to_text(), text);
    }

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
