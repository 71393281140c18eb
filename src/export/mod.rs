//! The export as a file of text: the text kept as read, its long lists held as the places of
//! their items, the JSON writer that keeps every untouched byte, and atomic, locked saves.
//!
//! This layer knows JSON and files, not one word of Conversation Builder or escalation: the
//! bot layer above tells it which top-level arrays are long lists and what a good item is.
//! It imports nothing from the crate's other folders.

pub mod json_text;
mod lists;
pub mod save;
pub mod shown;
pub mod tree;

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use serde_json::Value;

use json_text::TextStyle;
use lists::{List, Member, Top};

/// Why a text cannot be read: where (line and column, 1-based) when at a place, and what is
/// wrong.
pub type Refusal = (Option<(usize, usize)>, String);

/// Why a text is not an object of JSON.
#[derive(Debug)]
pub enum Unreadable {
    /// Nothing but white space.
    Empty,
    /// JSON, but not an object: its value, and where it starts.
    NotAnObject((usize, usize), Value),
    /// Not UTF-8 or not JSON, at a place.
    Refused(Refusal),
}

/// The top-level object of a JSON file as text: every member in the order written, unknown
/// keys included; the long lists' items read from the text when asked for and kept as trees
/// once edited.
#[derive(Debug, Clone)]
pub struct Export {
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
    /// The keys of the top-level arrays held item by item.
    long: &'static [&'static str],
    /// What the edit being made changed, as it was before (see [`Export::begin_recording`]).
    recording: Option<Recording>,
}

/// What an edit changed in an export, each change with what was there before: put back in
/// reverse order ([`Export::put_back`]), they undo the edit exactly.
#[derive(Debug, Clone, Default)]
pub struct Changes(Vec<Change>);

/// One change, with what was there before it.
#[derive(Debug, Clone)]
enum Change {
    /// Item `index` of the list `list` was edited; it was `before`.
    Item {
        list: ListKey,
        index: usize,
        before: Value,
    },
    /// An item was put at `index` of `list`.
    Inserted { list: ListKey, index: usize },
    /// Item `index` of `list`, `item`, was taken out.
    Removed {
        list: ListKey,
        index: usize,
        item: Value,
    },
    /// The top-level member `key` was added (`before` is `None`), or put back as it was.
    Member { key: String, before: Option<Member> },
    /// Members of item `index` of `list` (an object) were edited, the rest of it not: each
    /// member's place and value before, or `None` where it was not there.
    Members {
        list: ListKey,
        index: usize,
        before: Vec<(String, Option<(usize, Value)>)>,
    },
    /// The whole tree was replaced; it was `before`, as held then.
    Root { before: Box<Top> },
}

/// Where a change was made: the list and the item, or a top-level member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'a> {
    /// Item `index` of the list `list` changed in place.
    Item(&'a str, usize),
    /// The list `list` gained or lost an item: the items after it moved.
    Reshaped(&'a str),
    /// A top-level member other than an item, or the whole tree.
    Top,
}

impl Changes {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Takes in the changes of a later edit, so that putting the whole back undoes both: a
    /// later change of an item (or of members) that this already holds as it was is left
    /// out, which keeps a long run of keystrokes in one field as small as its first.
    pub fn absorb(&mut self, later: Changes) {
        let reshaped = self
            .0
            .iter()
            .any(|c| !matches!(c, Change::Item { .. } | Change::Members { .. }));
        for change in later.0 {
            if reshaped || !self.covers(&change) {
                self.0.push(change);
            }
        }
    }

    /// Whether an earlier change already holds what `change` holds of the same item.
    fn covers(&self, change: &Change) -> bool {
        self.0.iter().any(|held| match (held, change) {
            (
                Change::Item { list, index, .. },
                Change::Item {
                    list: l, index: i, ..
                }
                | Change::Members {
                    list: l, index: i, ..
                },
            ) => list == l && index == i,
            (
                Change::Members {
                    list,
                    index,
                    before,
                },
                Change::Members {
                    list: l,
                    index: i,
                    before: b,
                },
            ) => {
                list == l
                    && index == i
                    && b.iter()
                        .all(|(key, _)| before.iter().any(|(k, _)| k == key))
            }
            _ => false,
        })
    }

    /// Where each change was made, in the order made.
    pub fn places(&self) -> impl Iterator<Item = Place<'_>> {
        self.0.iter().map(|change| match change {
            Change::Item { list, index, .. } | Change::Members { list, index, .. } => {
                Place::Item(list, *index)
            }
            Change::Inserted { list, .. } | Change::Removed { list, .. } => Place::Reshaped(list),
            Change::Member { .. } | Change::Root { .. } => Place::Top,
        })
    }
}

/// The recording that was going on when another began, to go on with when that one ends.
#[derive(Debug)]
pub struct OuterRecording(Option<Recording>);

/// The changes an edit has made so far, and which items were already saved as they were
/// (since the last item came or went, after which places mean other items).
#[derive(Debug, Clone, Default)]
struct Recording {
    changes: Vec<Change>,
    kept: Vec<(ListKey, usize)>,
}

/// The key of a long list: one of the export's own (no copy) or, rarely, any other.
type ListKey = std::borrow::Cow<'static, str>;

/// `key` as a [`ListKey`]: borrowed when it is one of `long`.
fn list_key(long: &'static [&'static str], key: &str) -> ListKey {
    match long.iter().find(|k| **k == key) {
        Some(own) => ListKey::Borrowed(own),
        None => ListKey::Owned(key.to_string()),
    }
}

impl Recording {
    /// Whether item `index` of `list` is kept whole as it was already.
    fn has(&self, list: &ListKey, index: usize) -> bool {
        self.kept.iter().any(|(l, i)| *i == index && l == list)
    }

    fn item(&mut self, list: ListKey, index: usize, before: impl FnOnce() -> Option<Value>) {
        if self.has(&list, index) {
            return;
        }
        if let Some(before) = before() {
            self.kept.push((list.clone(), index));
            self.changes.push(Change::Item {
                list,
                index,
                before,
            });
        }
    }

    fn reshaped(&mut self, change: Change) {
        self.kept.clear();
        self.changes.push(change);
    }
}

/// An item of a long list as it is held, for a pass over all of them.
type Held<'a> = (&'static str, usize, lists::Part<'a>);

impl Export {
    /// Reads `bytes` as a JSON object whose members `long` (when arrays) are long lists;
    /// keeps `bytes` as the text (no copy).
    pub fn from_vec(
        mut bytes: Vec<u8>,
        long: &'static [&'static str],
    ) -> Result<Export, Unreadable> {
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
                return Err(Unreadable::Refused((
                    Some(at),
                    "the file is not UTF-8 text; save it as UTF-8 and open it again".into(),
                )));
            }
        };
        let text = owned.as_str();
        if text.trim().is_empty() {
            return Err(Unreadable::Empty);
        }
        let top = match lists::read(text, long) {
            Ok(lists::Read::Top(top)) => top,
            Ok(lists::Read::Other(value)) => {
                let at = json_text::line_column(text, text.len() - text.trim_start().len());
                return Err(Unreadable::NotAnObject(at, value));
            }
            Err(e) => {
                return Err(Unreadable::Refused((
                    Some(e.line_column(text)),
                    describe_json_error(&e.error),
                )));
            }
        };
        Ok(Export {
            style: std::sync::OnceLock::new(),
            text: owned,
            top,
            bom,
            modified: false,
            revision: 0,
            disk: None,
            long,
            recording: None,
        })
    }

    /// Records the file this was read from, as `bytes` were read from it, for
    /// [`Export::changed_on_disk`] and the check before a save.
    pub fn read_from(&mut self, path: &Path, stamp: save::DiskStamp) {
        self.disk = Some((path.to_path_buf(), stamp));
    }

    /// The first syntax error in the text as serde_json's own scan finds it, if there is one
    /// (a problem found by a quicker reading is told this way when it is one).
    pub fn first_syntax_error(&self) -> Option<Refusal> {
        match lists::read_carefully(&self.text, self.long) {
            Err(e) => Some((
                Some(e.line_column(&self.text)),
                describe_json_error(&e.error),
            )),
            Ok(_) => None,
        }
    }

    /// The top-level members: the value of each, `None` for a long list.
    pub fn top_members(&self) -> Vec<(&str, Option<&Value>)> {
        self.top
            .members()
            .map(|(key, member)| match member {
                Member::Value { value, .. } => (key, Some(value)),
                Member::List(_) => (key, None),
            })
            .collect()
    }

    /// The refusal of the value at `path`: its line and column, and `message` after the path.
    pub fn refusal(&self, (path, message): (Vec<PathSeg>, String)) -> Refusal {
        let at = locate(&self.top, &self.text, &path);
        let place = if path.is_empty() {
            String::new()
        } else {
            format!("{}: ", path_to_string(&path))
        };
        (at, format!("{place}{message}"))
    }

    /// Goes through every item of the long lists, parsing those held as text (on two cores
    /// for a large file), `visit`ing each into a `P` of its half; the halves are `join`ed.
    /// The first refusal in the file is the one returned.
    pub fn go_through<P, V>(&self, visit: V, join: fn(&mut P, P)) -> Result<P, Refusal>
    where
        P: Default + Send,
        V: Fn(&mut P, &'static str, usize, &Value) -> Result<(), (Vec<PathSeg>, String)> + Sync,
    {
        let text = self.text.as_str();
        let mut items: Vec<Held<'_>> = Vec::new();
        for list_key in self.long {
            if let Some(Member::List(list)) = self.top.get(list_key) {
                items.extend(list.parts().map(|(i, part)| (*list_key, i, part)));
            }
        }
        let size = |part: &lists::Part<'_>| match part {
            lists::Part::Text(range) => range.len(),
            lists::Part::Tree(_) => 0,
        };
        let go = |items: &[Held<'_>]| {
            let mut found = P::default();
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
                visit(&mut found, list_key, *i, value).map_err(|problem| self.refusal(problem))?;
            }
            Ok(found)
        };
        // Parsing is most of opening a large file: halves on two cores when there is enough.
        let bytes: usize = items.iter().map(|(_, _, part)| size(part)).sum();
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if cores < 2 || bytes < lists::PARALLEL_BYTES {
            return go(&items);
        }
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
        let mut found = earlier?;
        join(&mut found, later?);
        Ok(found)
    }

    /// The text this export saves as: unchanged bytes kept, edits in the file's style.
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
    /// (costly on a large file: readers read what they need).
    pub fn root(&self) -> Value {
        self.top.to_value(&self.text)
    }

    /// A top-level member other than the long lists.
    pub fn member(&self, key: &str) -> Option<&Value> {
        match self.top.get(key)? {
            Member::Value { value, .. } => Some(value),
            Member::List(_) => None,
        }
    }

    /// Whether the top-level member `key` is there but not a list of items.
    pub fn is_not_a_list(&self, key: &str) -> bool {
        matches!(self.top.get(key), Some(Member::Value { .. }))
    }

    /// How many items the list `key` holds.
    pub fn item_count(&self, key: &str) -> usize {
        match self.top.get(key) {
            Some(Member::List(list)) => list.len(),
            _ => 0,
        }
    }

    /// Item `index` of the list `key`.
    pub fn item(&self, key: &str, index: usize) -> Option<Cow<'_, Value>> {
        match self.top.get(key)? {
            Member::List(list) => list.get(&self.text, index),
            Member::Value { .. } => None,
        }
    }

    /// The items of the list `key`, in order.
    pub fn items(&self, key: &str) -> impl Iterator<Item = Cow<'_, Value>> {
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
    pub fn items_mentioning(&self, key: &str, words: &[&str]) -> Vec<usize> {
        match self.top.get(key) {
            Some(Member::List(list)) => list.mentioning(&self.text, words).collect(),
            _ => Vec::new(),
        }
    }

    /// Item `index` of the list `key`, for an edit.
    pub fn item_mut(&mut self, key: &str, index: usize) -> Option<&mut Value> {
        let list = match self.top.get_mut(key)? {
            Member::List(list) => list,
            Member::Value { .. } => return None,
        };
        if let Some(recording) = &mut self.recording {
            let text = self.text.as_str();
            recording.item(list_key(self.long, key), index, || {
                list.get(text, index).map(Cow::into_owned)
            });
        }
        let item = list.get_mut(&self.text, index)?;
        self.modified = true;
        self.revision += 1;
        Some(item)
    }

    /// Item `index` of the list `key`, an object, for an edit that changes only its members
    /// `members` (adding, replacing or removing them): what is kept to undo it is those
    /// members as they are, not the whole item. `None` when the item is not an object.
    pub fn item_members_mut(
        &mut self,
        key: &str,
        index: usize,
        members: &[&str],
    ) -> Option<&mut serde_json::Map<String, Value>> {
        let list = match self.top.get_mut(key)? {
            Member::List(list) => list,
            Member::Value { .. } => return None,
        };
        if let Some(recording) = &mut self.recording {
            let list_key = list_key(self.long, key);
            if !recording.has(&list_key, index) {
                let item = list.get(&self.text, index)?;
                let map = item.as_object()?;
                let before = members
                    .iter()
                    .map(|member| {
                        let at = map.keys().position(|k| k == member);
                        let was = at.and_then(|at| map.get(*member).map(|v| (at, v.clone())));
                        (member.to_string(), was)
                    })
                    .collect();
                recording.changes.push(Change::Members {
                    list: list_key,
                    index,
                    before,
                });
            }
        }
        let item = list.get_mut(&self.text, index)?;
        self.modified = true;
        self.revision += 1;
        item.as_object_mut()
    }

    /// The list `key` for adding or removing items, added (empty) when there is none;
    /// `None` when `key` holds something else.
    pub fn list_mut<'a>(&'a mut self, key: &'a str) -> Option<LongList<'a>> {
        let added = self.top.get(key).is_none();
        let list = self.top.list_mut(key)?;
        if added && let Some(recording) = &mut self.recording {
            recording.reshaped(Change::Member {
                key: key.to_string(),
                before: None,
            });
        }
        self.modified = true;
        self.revision += 1;
        Some(LongList {
            list,
            key: list_key(self.long, key),
            text: &self.text,
            recording: self.recording.as_mut(),
        })
    }

    /// Puts a whole edited tree in place; the text it will be saved against stays the loaded
    /// one, so the save still changes only what differs. A tree that is not an object changes
    /// nothing.
    pub fn replace_root(&mut self, root: Value) {
        if let Value::Object(map) = root {
            if let Some(recording) = &mut self.recording {
                recording.reshaped(Change::Root {
                    before: Box::new(self.top.clone()),
                });
            }
            self.top.replace(&self.text, map, self.long);
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

    /// Writes the export to `path` atomically and makes the written text the new baseline,
    /// under the file's lock (waiting a little for another writer). Refuses (with
    /// `changed_on_disk`) when the file it was loaded from changed on disk since.
    pub fn save(&mut self, path: &Path) -> Result<(), save::SaveError> {
        let lock = save::ExportLock::acquire(path, save::EDITOR_LOCK_WAIT)?;
        self.save_locked(path, &lock)
    }

    /// [`Export::save`] with the file's lock already held (taken before the file was read):
    /// the content on disk is compared with what was loaded, then replaced.
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

    /// [`Export::save`] without the check for changes on disk: the user said overwrite.
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

    /// Takes `text` (as returned by [`Export::to_text`]) as the saved state.
    pub fn mark_saved(&mut self, text: String) {
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        // The saved text is this export's own rendering: it reads back as the same tree.
        // Should it not, the tree is kept whole and the next save writes it afresh.
        self.top = match lists::read(&text, self.long) {
            Ok(lists::Read::Top(top)) => top,
            _ => {
                let mut fresh = Top::default();
                if let Value::Object(map) = self.root() {
                    fresh.replace("", map, self.long);
                }
                fresh
            }
        };
        self.text = text;
        self.modified = false;
    }
}

/// Whether two trees are the same, their objects' members in the same order.
fn same_in_order(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b.iter())
                    .all(|((ka, va), (kb, vb))| ka == kb && same_in_order(va, vb))
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_in_order(x, y))
        }
        _ => a == b,
    }
}

/// Puts members of an object back as they were: those that were not there taken out, the
/// others in their places with their values.
fn put_members_back(
    map: &mut serde_json::Map<String, Value>,
    mut before: Vec<(String, Option<(usize, Value)>)>,
) {
    for (key, was) in &before {
        if was.is_none() {
            map.shift_remove(key);
        }
    }
    before.sort_by_key(|(_, was)| was.as_ref().map_or(0, |(at, _)| *at));
    for (key, was) in before {
        if let Some((at, value)) = was {
            map.shift_insert(at.min(map.len()), key, value);
        }
    }
}

/// A long list, for adding and removing items.
pub struct LongList<'a> {
    list: &'a mut List,
    key: ListKey,
    text: &'a str,
    recording: Option<&'a mut Recording>,
}

impl LongList<'_> {
    /// How many items it holds.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.list.len() == 0
    }

    /// Puts `value` at `index` (at most the length); returns where it went.
    pub fn insert(&mut self, index: usize, value: Value) -> usize {
        let at = self.list.insert(index, value);
        if let Some(recording) = &mut self.recording {
            recording.reshaped(Change::Inserted {
                list: self.key.clone(),
                index: at,
            });
        }
        at
    }

    /// Puts `value` at the end; returns where it went.
    pub fn push(&mut self, value: Value) -> usize {
        self.insert(usize::MAX, value)
    }

    /// Takes out item `index`; whether there was one.
    pub fn remove(&mut self, index: usize) -> bool {
        let item = self.list.get(self.text, index).map(Cow::into_owned);
        let removed = self.list.remove(index);
        if let (Some(recording), Some(item)) = (&mut self.recording, item) {
            recording.reshaped(Change::Removed {
                list: self.key.clone(),
                index,
                item,
            });
        }
        removed
    }
}

impl Export {
    /// Starts recording what the edits made from now change, until
    /// [`Export::end_recording`] with what this returns (recordings nest).
    pub fn begin_recording(&mut self) -> OuterRecording {
        OuterRecording(self.recording.replace(Recording::default()))
    }

    /// What changed since [`Export::begin_recording`], which [`Export::put_back`] undoes.
    pub fn end_recording(&mut self, outer: OuterRecording) -> Changes {
        let recorded = std::mem::replace(&mut self.recording, outer.0);
        let changes = recorded.map(|r| r.changes).unwrap_or_default();
        if let Some(outer) = &mut self.recording {
            // The outer recording sees the inner changes as its own.
            outer.kept.clear();
            outer.changes.extend(changes.iter().cloned());
        }
        Changes(changes)
    }

    /// Whether putting back `sets` (each as [`Export::put_back`] would, in this order) would
    /// leave the export as it is: every item they hold as it was is the same as now, member
    /// for member in the same order. Items that came or went, and members of the top, count
    /// as a difference.
    pub fn unchanged_after<'a>(&self, sets: impl IntoIterator<Item = &'a Changes>) -> bool {
        // Per item: the whole item as it would be, or (while only members were changed) each
        // member as it would be: the last one put back wins.
        enum Was<'a> {
            Whole(Value),
            // Borrowed from the changes: a long value is not copied to be compared.
            Members(Vec<(&'a str, Option<(usize, &'a Value)>)>),
        }
        let mut was: Vec<((&str, usize), Was<'a>)> = Vec::new();
        let current = |list: &str, index: usize| -> Option<Cow<'_, Value>> {
            match self.top.get(list) {
                Some(Member::List(held)) => held.get(&self.text, index),
                _ => None,
            }
        };
        for set in sets {
            for change in set.0.iter().rev() {
                let (place, change) = match change {
                    Change::Item { list, index, .. } | Change::Members { list, index, .. } => {
                        ((list.as_ref(), *index), change)
                    }
                    _ => return false,
                };
                let at = match was.iter().position(|(p, _)| *p == place) {
                    Some(at) => at,
                    None => {
                        was.push((place, Was::Members(Vec::new())));
                        was.len() - 1
                    }
                };
                match (change, &mut was[at].1) {
                    (Change::Item { before, .. }, slot) => *slot = Was::Whole(before.clone()),
                    (Change::Members { before, .. }, Was::Whole(item)) => {
                        match item.as_object_mut() {
                            Some(map) => put_members_back(map, before.clone()),
                            None => return false,
                        }
                    }
                    (Change::Members { before, .. }, Was::Members(members)) => {
                        for (key, value) in before {
                            let value = value.as_ref().map(|(at, v)| (*at, v));
                            match members.iter_mut().find(|(k, _)| *k == key.as_str()) {
                                Some((_, slot)) => *slot = value,
                                None => members.push((key.as_str(), value)),
                            }
                        }
                    }
                    _ => return false,
                }
            }
        }
        was.iter().all(|((list, index), value)| {
            let Some(now) = current(list, *index) else {
                return false;
            };
            match value {
                Was::Whole(value) => same_in_order(value, &now),
                Was::Members(members) => {
                    let Some(map) = now.as_object() else {
                        return false;
                    };
                    members.iter().all(|(key, was)| {
                        let here = map.keys().position(|k| k == key).zip(map.get(*key));
                        match (was, here) {
                            (None, None) => true,
                            (Some((at, value)), Some((here_at, here_value))) => {
                                *at == here_at && same_in_order(value, here_value)
                            }
                            _ => false,
                        }
                    })
                }
            }
        })
    }

    /// Undoes `changes` (as returned by [`Export::end_recording`]), the last one first.
    pub fn put_back(&mut self, changes: Changes) {
        for change in changes.0.into_iter().rev() {
            match change {
                Change::Item {
                    list,
                    index,
                    before,
                } => {
                    if let Some(item) = self.item_mut(&list, index) {
                        *item = before;
                    }
                }
                Change::Members {
                    list,
                    index,
                    before,
                } => {
                    let names: Vec<&str> = before.iter().map(|(k, _)| k.as_str()).collect();
                    if let Some(map) = self.item_members_mut(&list, index, &names) {
                        put_members_back(map, before);
                    }
                }
                Change::Inserted { list, index } => {
                    if let Some(mut list) = self.list_mut(&list) {
                        list.remove(index);
                    }
                }
                Change::Removed { list, index, item } => {
                    if let Some(mut list) = self.list_mut(&list) {
                        list.insert(index, item);
                    }
                }
                Change::Member { key, before } => {
                    let now = self.top.get(&key).cloned();
                    if let Some(recording) = &mut self.recording {
                        recording.reshaped(Change::Member {
                            key: key.clone(),
                            before: now,
                        });
                    }
                    match before {
                        Some(member) => self.top.put(&key, member),
                        None => self.top.remove_member(&key),
                    }
                    self.modified = true;
                    self.revision += 1;
                }
                Change::Root { before } => {
                    let now = std::mem::replace(&mut self.top, *before);
                    if let Some(recording) = &mut self.recording {
                        recording.reshaped(Change::Root {
                            before: Box::new(now),
                        });
                    }
                    self.modified = true;
                    self.revision += 1;
                }
            }
        }
    }
}

/// One step of a path into the tree, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSeg {
    Key(String),
    Index(usize),
}

/// `responder[2].name`.
pub fn path_to_string(path: &[PathSeg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            PathSeg::Key(k) if out.is_empty() => out.push_str(k),
            PathSeg::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            PathSeg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Where the items of some top-level lists of an export's text start: found in one pass
/// (which may run beside other work), asked of as often as needed.
#[derive(Debug, Clone, Default)]
pub struct ItemStarts {
    lists: Vec<String>,
    starts: Vec<Vec<usize>>,
}

impl ItemStarts {
    /// The starts of the items of `lists` in `text`; `None` for a text the quick scan does
    /// not read.
    pub fn find(text: &str, lists: &[&str]) -> Option<ItemStarts> {
        Some(ItemStarts {
            lists: lists.iter().map(|l| l.to_string()).collect(),
            starts: lists::item_starts(text, lists)?,
        })
    }

    /// The line and column (1-based, columns in characters) where each item `(list, index)`
    /// starts in `text` (the text these were found in): `None` for an item it does not have.
    /// One pass over the text however many are asked.
    pub fn lines(&self, text: &str, wanted: &[(&str, usize)]) -> Vec<Option<(usize, usize)>> {
        let offsets: Vec<Option<usize>> = wanted
            .iter()
            .map(|(list, index)| {
                let at = self.lists.iter().position(|l| l == list)?;
                self.starts[at].get(*index).copied()
            })
            .collect();
        let mut order: Vec<usize> = (0..wanted.len())
            .filter(|&i| offsets[i].is_some())
            .collect();
        order.sort_unstable_by_key(|&i| offsets[i]);
        let mut out = vec![None; wanted.len()];
        // Lines counted from the last offset on, not from the start each time.
        let (mut line, mut line_start, mut counted) = (1, 0, 0);
        let bytes = text.as_bytes();
        for i in order {
            let Some(offset) = offsets[i] else { continue };
            let between = bytes.get(counted..offset).unwrap_or_default();
            line += memchr::memchr_iter(b'\n', between).count();
            if let Some(last) = memchr::memrchr(b'\n', between) {
                line_start = counted + last + 1;
            }
            counted = offset;
            let column = text
                .get(line_start..offset)
                .map_or(1, |s| s.chars().count() + 1);
            out[i] = Some((line, column));
        }
        out
    }
}

/// The line and column of the value at `path` in `text`, read as `top`.
fn locate(top: &Top, text: &str, path: &[PathSeg]) -> Option<(usize, usize)> {
    let start = text.len() - text.trim_start().len();
    let Some((PathSeg::Key(key), rest)) = path.split_first() else {
        return Some(json_text::line_column(text, start));
    };
    let (range, rest) = match (top.get(key), rest.split_first()) {
        (Some(Member::List(list)), Some((PathSeg::Index(i), deeper))) => {
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
                PathSeg::Key(k) => here.member(k),
                PathSeg::Index(i) => here.item(*i),
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
