//! The document's top level: the members of the export's top-level object, the long lists
//! (integrations, interactions, dialogs) held as the places of their items in the text.
//!
//! An item is parsed when it is read and kept as a tree only once it is edited, so an opened
//! bot costs little more than its text. Saving copies every unedited item's bytes and renders
//! an edited one against its own old text.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::de::{self, Deserialize, MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use super::json_text::{self, TextStyle};
use super::tree;

/// One member of the top-level object.
#[derive(Debug, Clone)]
pub(crate) enum Member {
    /// Kept as its tree, with where its text was (`None`: added since).
    Value {
        value: Value,
        from: Option<Range<usize>>,
    },
    /// One of the long lists (an array in the text).
    List(List),
}

/// The items of a long list.
#[derive(Debug, Clone, Default)]
pub(crate) struct List {
    items: Vec<Item>,
    /// Where the array was in the text, with how many items it had (`None`: added since).
    from: Option<(Range<usize>, usize)>,
}

/// An item as it is held: its place in the text, or its tree.
pub(crate) enum Part<'a> {
    Text(Range<usize>),
    Tree(&'a Value),
}

#[derive(Debug, Clone)]
enum Item {
    /// Unchanged since reading: where it is in the text.
    Kept(Range<usize>),
    /// Edited or added: its tree, and where it was in the text (`None`: added).
    Edited(Box<(Value, Option<Range<usize>>)>),
}

/// The top-level object: its members in the order written.
#[derive(Debug, Clone, Default)]
pub(crate) struct Top {
    members: Vec<(String, Member)>,
    /// Where the object was in the text, with its keys in order.
    from: Option<(Range<usize>, Vec<String>)>,
}

/// What a text reads as: a top-level object, or some other JSON value.
pub(crate) enum Read {
    Top(Top),
    Other(Value),
}

/// A JSON error inside a text, with the offset of the part it was found in.
#[derive(Debug)]
pub(crate) struct JsonError {
    pub offset: usize,
    pub error: serde_json::Error,
}

impl JsonError {
    /// Line and column in the whole text.
    pub(crate) fn line_column(&self, text: &str) -> (usize, usize) {
        let (line, column) = (self.error.line(), self.error.column());
        if self.offset == 0 {
            return (line, column);
        }
        let (at_line, at_column) = json_text::line_column(text, self.offset);
        if line <= 1 {
            (at_line, at_column + column.saturating_sub(1))
        } else {
            (at_line + line - 1, column)
        }
    }
}

/// Parses the value at `range` of `text`.
fn parse_at(text: &str, range: &Range<usize>) -> Result<Value, JsonError> {
    let part = text.get(range.clone()).unwrap_or_default();
    tree::parse(part).map_err(|error| JsonError {
        offset: range.start,
        error,
    })
}

/// Parses an item that was read (and so checked) before: it parses.
fn reparse(text: &str, range: &Range<usize>) -> Value {
    parse_at(text, range).unwrap_or(Value::Null)
}

/// Reads `text` as JSON: a top-level object as its members (the long lists split into
/// items, not parsed), anything else as its tree.
pub(crate) fn read(text: &str, long: &[&str]) -> Result<Read, JsonError> {
    let body = text.trim_start_matches([' ', '\t', '\n', '\r']);
    if !body.starts_with('{') {
        return tree::parse(text)
            .map(Read::Other)
            .map_err(|error| JsonError { offset: 0, error });
    }
    let start = text.len() - body.len();
    let end = text.trim_end_matches([' ', '\t', '\n', '\r']).len();
    let top = |scanned| build(text, scanned, start..end);
    // A problem the quick scan passed over is told as serde_json's scan finds it.
    match scan_top(text, start, long).map(top) {
        Some(Ok(read)) => Ok(read),
        _ => top(read_carefully(text, long)?),
    }
}

/// The top-level object at `place` of `text`, from its members as found there.
fn build(text: &str, scanned: Vec<Scanned>, place: Range<usize>) -> Result<Read, JsonError> {
    let mut members: Vec<(String, Member)> = Vec::with_capacity(scanned.len());
    for (key, range, items) in scanned {
        let range_start = range.start;
        let member = if let Some(items) = items {
            let count = items.len();
            List {
                items: items.into_iter().map(Item::Kept).collect(),
                from: Some((range, count)),
            }
            .into()
        } else {
            Member::Value {
                value: parse_at(text, &range)?,
                from: Some(range),
            }
        };
        // A key written twice is refused at its second value: which one counts differs from
        // reader to reader, and a save would drop one.
        if members.iter().any(|(k, _)| *k == key) {
            return Err(JsonError {
                offset: range_start,
                error: de::Error::custom(tree::duplicate_key(&key)),
            });
        }
        members.push((key, member));
    }
    let keys = members.iter().map(|(k, _)| k.clone()).collect();
    Ok(Read::Top(Top {
        members,
        from: Some((place, keys)),
    }))
}

/// A top-level member as found in the text: its key, its value's place, and for a long
/// list, its items' places.
type Scanned = (String, Range<usize>, Option<Vec<Range<usize>>>);

/// Whether the member `key` with a value starting with `first` is read as a long list.
fn is_list(key: &str, first: Option<&u8>, long: &[&str]) -> bool {
    first == Some(&b'[') && long.contains(&key)
}

/// Finds the top-level members of the object `text` with serde_json's own scan, then splits
/// the long lists (one per core when large).
pub(crate) fn read_carefully(text: &str, long: &[&str]) -> Result<Vec<Scanned>, JsonError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let raw = RawMembers::deserialize(&mut de)
        .and_then(|raw| de.end().map(|()| raw))
        .map_err(|error| JsonError { offset: 0, error })?;
    let base = text.as_ptr() as usize;
    let place = |part: &str| {
        let start = part.as_ptr() as usize - base;
        start..start + part.len()
    };
    let lists: Vec<&str> = raw
        .0
        .iter()
        .filter(|(key, part)| is_list(key, part.get().as_bytes().first(), long))
        .map(|(_, part)| part.get())
        .collect();
    let split = |list: &str| split_carefully(text, place(list));
    let large = lists.iter().map(|l| l.len()).sum::<usize>() >= PARALLEL_BYTES;
    let mut split_lists: Vec<Result<Vec<Range<usize>>, JsonError>> = if large && lists.len() > 1 {
        std::thread::scope(|scope| {
            let running: Vec<_> = lists
                .iter()
                .map(|list| scope.spawn(move || split(list)))
                .collect();
            running
                .into_iter()
                .zip(&lists)
                .map(|(thread, list)| thread.join().unwrap_or_else(|_| split(list)))
                .collect()
        })
    } else {
        lists.iter().map(|list| split(list)).collect()
    };
    split_lists.reverse();
    raw.0
        .into_iter()
        .map(|(key, part)| {
            let items = if is_list(&key, part.get().as_bytes().first(), long) {
                Some(split_lists.pop().unwrap_or_else(|| Ok(Vec::new()))?)
            } else {
                None
            };
            Ok((key, place(part.get()), items))
        })
        .collect()
}

/// Finds the top-level members of the object starting at `start` of `text`, and the items
/// of the long lists, in one pass that skips over strings without looking inside them.
/// It checks the punctuation it passes; what it skips is checked when parsed (a member's
/// value now, an item when the document is checked). `None` for anything unexpected: the
/// careful reading then says what and where.
/// Where the items of the top-level lists `lists` start in `text` (by list, in the order
/// given), found by the quick scan alone; `None` when it does not read that way.
pub(crate) fn item_starts(text: &str, lists: &[&str]) -> Option<Vec<Vec<usize>>> {
    let body = text.trim_start_matches([' ', '\t', '\n', '\r']);
    let scanned = scan_top(text, text.len() - body.len(), lists)?;
    Some(
        lists
            .iter()
            .map(|list| {
                scanned
                    .iter()
                    .find(|(key, _, _)| key == list)
                    .and_then(|(_, _, items)| items.as_ref())
                    .map(|items| items.iter().map(|r| r.start).collect())
                    .unwrap_or_default()
            })
            .collect(),
    )
}

fn scan_top(text: &str, start: usize, long: &[&str]) -> Option<Vec<Scanned>> {
    let mut scan = Scan {
        bytes: text.as_bytes(),
        at: start,
    };
    scan.expect(b'{')?;
    let mut members = Vec::new();
    if scan.peek() == Some(b'}') {
        scan.at += 1;
    } else {
        loop {
            scan.skip_ws();
            let key_start = scan.at;
            scan.string()?;
            let raw_key = text.get(key_start + 1..scan.at - 1)?;
            if raw_key.bytes().any(|b| b == b'\\' || b < 0x20) {
                return None;
            }
            scan.expect(b':')?;
            scan.skip_ws();
            let value_start = scan.at;
            let items = if is_list(raw_key, scan.bytes.get(scan.at), long) {
                Some(scan.items()?)
            } else {
                scan.value()?;
                None
            };
            members.push((raw_key.to_string(), value_start..scan.at, items));
            match scan.peek()? {
                b',' => scan.at += 1,
                b'}' => {
                    scan.at += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    scan.skip_ws();
    (scan.at == text.len()).then_some(members)
}

/// A cursor over JSON text for [`scan_top`].
struct Scan<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Scan<'_> {
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// The next byte that is not white space, not passed.
    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.bytes.get(self.at).copied()
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// Passes the string starting here.
    fn string(&mut self) -> Option<()> {
        if self.bytes.get(self.at) != Some(&b'"') {
            return None;
        }
        self.at += 1;
        loop {
            let found = memchr::memchr2(b'"', b'\\', self.bytes.get(self.at..)?)?;
            self.at += found;
            if self.bytes[self.at] == b'"' {
                self.at += 1;
                return Some(());
            }
            self.at += 2;
        }
    }

    /// Passes the value starting here.
    fn value(&mut self) -> Option<()> {
        match *self.bytes.get(self.at)? {
            b'"' => self.string(),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    // Straight to the next byte that matters (most are white space, keys'
                    // punctuation and numbers).
                    let rest = self.bytes.get(self.at..)?;
                    self.at += rest
                        .iter()
                        .position(|b| matches!(b, b'"' | b'{' | b'[' | b'}' | b']'))?;
                    match *self.bytes.get(self.at)? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.checked_sub(1)?;
                            if depth == 0 {
                                self.at += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.at += 1;
                }
            }
            _ => {
                let start = self.at;
                while let Some(b) = self.bytes.get(self.at) {
                    if matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    self.at += 1;
                }
                (self.at > start).then_some(())
            }
        }
    }

    /// Passes the array starting here, returning its items' places.
    fn items(&mut self) -> Option<Vec<Range<usize>>> {
        self.expect(b'[')?;
        let mut items = Vec::new();
        if self.peek()? == b']' {
            self.at += 1;
            return Some(items);
        }
        loop {
            self.skip_ws();
            let start = self.at;
            self.value()?;
            items.push(start..self.at);
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(items);
                }
                _ => return None,
            }
        }
    }
}

impl From<List> for Member {
    fn from(list: List) -> Member {
        Member::List(list)
    }
}

/// The members of an object, in order, duplicates included, each as its raw text.
struct RawMembers<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for RawMembers<'a> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(RawMembersVisitor(std::marker::PhantomData))
    }
}

struct RawMembersVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for RawMembersVisitor<'a> {
    type Value = RawMembers<'a>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawMembers<'a>, A::Error> {
        let mut members = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value: &'de RawValue = map.next_value()?;
            members.push((key, value));
        }
        Ok(RawMembers(members))
    }
}

/// Below this many bytes, a second thread costs more than it saves.
pub(crate) const PARALLEL_BYTES: usize = 1 << 20;

impl List {
    /// A list added since reading, with these items.
    pub(crate) fn of(values: Vec<Value>) -> List {
        List {
            items: values
                .into_iter()
                .map(|v| Item::Edited(Box::new((v, None))))
                .collect(),
            from: None,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// Item `index`: borrowed when edited, parsed from `text` when not.
    pub(crate) fn get<'a>(&'a self, text: &str, index: usize) -> Option<Cow<'a, Value>> {
        Some(match self.items.get(index)? {
            Item::Kept(range) => Cow::Owned(reparse(text, range)),
            Item::Edited(edited) => Cow::Borrowed(&edited.0),
        })
    }

    /// Where item `index` was read from, when it was.
    pub(crate) fn place(&self, index: usize) -> Option<&Range<usize>> {
        match self.items.get(index)? {
            Item::Kept(range) => Some(range),
            Item::Edited(edited) => edited.1.as_ref(),
        }
    }

    /// The indexes of the items that may mention one of `words`: every edited item, and
    /// every item whose text has one of them, or an escape that could spell one.
    pub(crate) fn mentioning<'a>(
        &'a self,
        text: &'a str,
        words: &'a [&'a str],
    ) -> impl Iterator<Item = usize> + 'a {
        let finders: Vec<memchr::memmem::Finder<'_>> = words
            .iter()
            .chain(&["\\u"])
            .map(|w| memchr::memmem::Finder::new(w.as_bytes()))
            .collect();
        self.items
            .iter()
            .enumerate()
            .filter(move |(_, item)| match item {
                Item::Kept(range) => {
                    let part = text.as_bytes().get(range.clone()).unwrap_or_default();
                    finders.iter().any(|f| f.find(part).is_some())
                }
                Item::Edited(_) => true,
            })
            .map(|(i, _)| i)
    }

    /// Every item with its index: its place in the text, or its tree once edited.
    pub(crate) fn parts(&self) -> impl Iterator<Item = (usize, Part<'_>)> {
        self.items.iter().enumerate().map(|(i, item)| {
            let part = match item {
                Item::Kept(range) => Part::Text(range.clone()),
                Item::Edited(edited) => Part::Tree(&edited.0),
            };
            (i, part)
        })
    }

    /// Item `index` for an edit: parsed from `text` and kept as a tree from now on.
    pub(crate) fn get_mut(&mut self, text: &str, index: usize) -> Option<&mut Value> {
        let item = self.items.get_mut(index)?;
        if let Item::Kept(range) = item {
            let range = range.clone();
            *item = Item::Edited(Box::new((reparse(text, &range), Some(range))));
        }
        match item {
            Item::Edited(edited) => Some(&mut edited.0),
            Item::Kept(_) => None,
        }
    }

    /// Puts `value` at `index` (at the end when past it); returns where it went.
    pub(crate) fn insert(&mut self, index: usize, value: Value) -> usize {
        let at = index.min(self.items.len());
        self.items.insert(at, Item::Edited(Box::new((value, None))));
        at
    }

    /// Removes item `index`; false when there is none.
    pub(crate) fn remove(&mut self, index: usize) -> bool {
        if index < self.items.len() {
            self.items.remove(index);
            true
        } else {
            false
        }
    }

    /// The whole list as a tree.
    fn to_value(&self, text: &str) -> Value {
        Value::Array(
            (0..self.len())
                .filter_map(|i| self.get(text, i).map(Cow::into_owned))
                .collect(),
        )
    }

    /// Whether the list reads as it was read: the same items in the same order.
    fn unchanged(&self, text: &str) -> bool {
        let Some((_, count)) = &self.from else {
            return false;
        };
        if self.items.len() != *count {
            return false;
        }
        let mut after = 0;
        self.items.iter().all(|item| {
            let (range, same) = match item {
                Item::Kept(range) => (range, true),
                Item::Edited(edited) => match &edited.1 {
                    Some(range) => (range, reparse(text, range) == edited.0),
                    None => return false,
                },
            };
            let in_order = range.start >= after;
            after = range.end;
            same && in_order
        })
    }

    fn render(&self, out: &mut String, text: &str, depth: usize, style: &TextStyle) {
        if let Some((range, _)) = &self.from
            && self.unchanged(text)
        {
            out.push_str(&text[range.clone()]);
            return;
        }
        if self.items.is_empty() {
            out.push_str("[]");
            return;
        }
        out.push('[');
        for (i, item) in self.items.iter().enumerate() {
            json_text::open_member(out, i, depth + 1, style);
            match item {
                Item::Kept(range) => out.push_str(&text[range.clone()]),
                Item::Edited(edited) => match &edited.1 {
                    Some(range) => json_text::render_at(
                        out,
                        &text[range.clone()],
                        &reparse(text, range),
                        &edited.0,
                        depth + 1,
                        style,
                    ),
                    None => json_text::write_value(out, &edited.0, depth + 1, style),
                },
            }
        }
        json_text::close_container(out, ']', depth, style);
    }

    /// This list after its items were replaced by `values`: an item equal to one of its
    /// own stays as it is, an item in the place of a different one counts as that one
    /// edited, the rest as added.
    fn rebased(&self, text: &str, values: Vec<Value>) -> List {
        const LOOKAHEAD: usize = 64;
        // Paired with the items as read, whatever was edited since.
        let read: Vec<Range<usize>> = match &self.from {
            Some((range, _)) => item_places(text, range),
            None => Vec::new(),
        };
        let mut old: Vec<Option<Value>> = vec![None; read.len()];
        let old_at = |k: usize, old: &mut Vec<Option<Value>>| -> Value {
            old[k]
                .get_or_insert_with(|| reparse(text, &read[k]))
                .clone()
        };
        let mut items = Vec::with_capacity(values.len());
        let mut j = 0;
        for (i, value) in values.iter().enumerate() {
            let paired = if j >= read.len() {
                None
            } else if old_at(j, &mut old) == *value {
                Some((j, true))
            } else if values.get(i + 1) == Some(&old_at(j, &mut old)) {
                // The next one is the item read here: this one was inserted before it.
                None
            } else {
                let last = (j + LOOKAHEAD).min(read.len());
                (j..last)
                    .find(|&k| old_at(k, &mut old) == *value)
                    .map(|k| (k, true))
                    .or(Some((j, false)))
            };
            let value = value.clone();
            items.push(match paired {
                Some((k, true)) => {
                    j = k + 1;
                    Item::Kept(read[k].clone())
                }
                Some((k, false)) => {
                    j = k + 1;
                    Item::Edited(Box::new((value, Some(read[k].clone()))))
                }
                None => Item::Edited(Box::new((value, None))),
            });
        }
        List {
            items,
            from: self.from.clone(),
        }
    }
}

/// The places of the items of the array at `range` of `text` (read before, so valid JSON).
fn item_places(text: &str, range: &Range<usize>) -> Vec<Range<usize>> {
    let mut scan = Scan {
        bytes: text.as_bytes(),
        at: range.start,
    };
    scan.items()
        .unwrap_or_else(|| split_carefully(text, range.clone()).unwrap_or_default())
}

/// The places of the items of the array at `range` of `text`, found by serde_json's scan.
fn split_carefully(text: &str, range: Range<usize>) -> Result<Vec<Range<usize>>, JsonError> {
    let base = text.as_ptr() as usize;
    let list = text.get(range.clone()).unwrap_or_default();
    let items: Vec<&RawValue> = serde_json::from_str(list).map_err(|error| JsonError {
        offset: range.start,
        error,
    })?;
    Ok(items
        .into_iter()
        .map(|item| {
            let start = item.get().as_ptr() as usize - base;
            start..start + item.get().len()
        })
        .collect())
}

impl Top {
    /// The member at `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&Member> {
        self.members.iter().find(|(k, _)| k == key).map(|(_, m)| m)
    }

    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut Member> {
        self.members
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, m)| m)
    }

    /// Puts `member` at `key`: in its place when there is one, else at the end.
    pub(crate) fn put(&mut self, key: &str, member: Member) {
        match self.get_mut(key) {
            Some(slot) => *slot = member,
            None => self.members.push((key.to_string(), member)),
        }
    }

    /// Takes out the member `key`, wherever it is.
    pub(crate) fn remove_member(&mut self, key: &str) {
        self.members.retain(|(k, _)| k != key);
    }

    /// The members, in order.
    pub(crate) fn members(&self) -> impl Iterator<Item = (&str, &Member)> {
        self.members.iter().map(|(k, m)| (k.as_str(), m))
    }

    /// The list at `key`, added (empty, at the end) when there is none; `None` when `key`
    /// holds something else.
    pub(crate) fn list_mut(&mut self, key: &str) -> Option<&mut List> {
        if self.get(key).is_none() {
            self.members.push((key.to_string(), List::default().into()));
        }
        match self.get_mut(key)? {
            Member::List(list) => Some(list),
            Member::Value { .. } => None,
        }
    }

    /// Where the value at `key` was read from.
    pub(crate) fn place(&self, key: &str) -> Option<&Range<usize>> {
        match self.get(key)? {
            Member::Value { from, .. } => from.as_ref(),
            Member::List(list) => list.from.as_ref().map(|(range, _)| range),
        }
    }

    /// The whole tree.
    pub(crate) fn to_value(&self, text: &str) -> Value {
        let mut map = serde_json::Map::with_capacity(self.members.len());
        for (key, member) in &self.members {
            let value = match member {
                Member::Value { value, .. } => value.clone(),
                Member::List(list) => list.to_value(text),
            };
            map.insert(key.clone(), value);
        }
        Value::Object(map)
    }

    /// Puts the members of `root` (an object) in place of these, keeping what is unchanged
    /// as it was read.
    pub(crate) fn replace(
        &mut self,
        text: &str,
        root: serde_json::Map<String, Value>,
        long: &[&str],
    ) {
        let mut members = Vec::with_capacity(root.len());
        for (key, value) in root {
            let old = self.get(&key);
            let member = match (old, value) {
                (Some(Member::List(list)), Value::Array(values)) => {
                    list.rebased(text, values).into()
                }
                (None, Value::Array(values)) if long.contains(&key.as_str()) => {
                    List::of(values).into()
                }
                (_, value) => Member::Value {
                    value,
                    from: self.place(&key).cloned(),
                },
            };
            members.push((key, member));
        }
        self.members = members;
    }

    /// Whether the object reads as it was read.
    fn unchanged(&self, text: &str) -> bool {
        let Some((_, keys)) = &self.from else {
            return false;
        };
        self.members.len() == keys.len()
            && self.members.iter().zip(keys).all(|((key, member), read)| {
                key == read
                    && match member {
                        Member::Value { value, from } => from
                            .as_ref()
                            .is_some_and(|range| reparse(text, range) == *value),
                        Member::List(list) => list.unchanged(text),
                    }
            })
    }

    /// The text of the whole object: `text` where nothing changed, edits in `style`.
    pub(crate) fn render(&self, text: &str, style: &TextStyle) -> String {
        let Some((range, _)) = &self.from else {
            let mut out = String::new();
            json_text::write_value(&mut out, &self.to_value(text), 0, style);
            return out;
        };
        if self.unchanged(text) {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len() + 256);
        out.push_str(&text[..range.start]);
        if self.members.is_empty() {
            out.push_str("{}");
        } else {
            out.push('{');
            for (i, (key, member)) in self.members.iter().enumerate() {
                json_text::open_member(&mut out, i, 1, style);
                json_text::write_string(&mut out, key, style);
                out.push_str(": ");
                match member {
                    Member::Value {
                        value,
                        from: Some(from),
                    } => json_text::render_at(
                        &mut out,
                        &text[from.clone()],
                        &reparse(text, from),
                        value,
                        1,
                        style,
                    ),
                    Member::Value { value, from: None } => {
                        json_text::write_value(&mut out, value, 1, style)
                    }
                    Member::List(list) => list.render(&mut out, text, 1, style),
                }
            }
            json_text::close_container(&mut out, '}', 0, style);
        }
        out.push_str(&text[range.end..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The long lists of a bot export.
    const LONG: &[&str] = &["responder", "conversationMessage", "groups"];

    fn top(text: &str) -> Top {
        match read(text, LONG) {
            Ok(Read::Top(top)) => top,
            _ => panic!("not an object: {text}"),
        }
    }

    #[test]
    fn items_are_split_where_the_json_splits_them() {
        let text =
            r#"{"responder": [ {"a": "x,]}\"y"}, [1, [2]] ,"s" , 3.5e1, null,{} ], "bot": {}}"#;
        let top = top(text);
        let Some(Member::List(list)) = top.get("responder") else {
            panic!("a list")
        };
        let items: Vec<&str> = (0..list.len())
            .map(|i| &text[list.place(i).unwrap().clone()])
            .collect();
        assert_eq!(
            items,
            [
                r#"{"a": "x,]}\"y"}"#,
                "[1, [2]]",
                "\"s\"",
                "3.5e1",
                "null",
                "{}"
            ]
        );
        let empty = self::top(r#"{"responder": [ ], "groups": []}"#);
        for key in ["responder", "groups"] {
            let Some(Member::List(list)) = empty.get(key) else {
                panic!("a list")
            };
            assert_eq!(list.len(), 0);
        }
    }

    /// The files the tests have: fixtures, bad ones, the assets, and `ESCALATOR_CORPUS`.
    fn files() -> Vec<std::path::PathBuf> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![
            root.join("tests/fixtures"),
            root.join("tests/fixtures/bad"),
            root.join("assets"),
        ];
        dirs.extend(std::env::var_os("ESCALATOR_CORPUS").map(Into::into));
        let mut files = Vec::new();
        for dir in dirs {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                if entry.path().extension().is_some_and(|e| e == "json") {
                    files.push(entry.path());
                }
            }
        }
        files
    }

    #[test]
    fn the_quick_scan_finds_what_serde_jsons_scan_finds() {
        let mut texts: Vec<String> = [
            r#"{"responder": [{"a": "x,]}\"y\\"}, [1, [2, {}]] ,"s\u0022" , -3.5e+1, null,{} ], "bot": {"k": "é"}}"#,
            "{ }",
            "\n{\"groups\": [ ], \"responder\": [\n\t{}\n], \"bot\": [1, {\"]\": \"[\"}]}\r\n",
            r#"{"responder": {"not": "a list"}, "conversationMessage": "nor this"}"#,
        ]
        .map(String::from)
        .to_vec();
        let mut whole_files = 0;
        for file in files() {
            if let Ok(text) = std::fs::read_to_string(&file) {
                let text = text.trim_start_matches('\u{feff}').to_string();
                if read_carefully(&text, LONG).is_ok() {
                    whole_files += 1;
                }
                texts.push(text);
            }
        }
        assert!(whole_files >= 5, "the fixtures and assets read");
        for text in &texts {
            let start = text.len() - text.trim_start().len();
            // What serde_json refuses, the quick scan may pass: parsing the parts refuses
            // it then.
            if let Ok(careful) = read_carefully(text, LONG) {
                let quick = scan_top(text, start, LONG);
                assert_eq!(quick.as_ref(), Some(&careful), "{text}");
            }
        }
    }

    #[test]
    fn a_top_level_key_written_twice_is_refused_at_its_second_value() {
        let text = "{\n  \"groups\": [{}],\n  \"bot\": {},\n  \"groups\": []\n}";
        let Err(e) = read(text, LONG) else {
            panic!("refused")
        };
        assert!(
            e.error.to_string().contains("\"groups\" is written twice"),
            "{e:?}"
        );
        assert_eq!(e.line_column(text), (4, 13));
    }

    #[test]
    fn the_tree_is_the_one_the_text_parses_to() {
        let text = "{\"bot\": {\"id\": 1}, \"responder\": [{\"name\": \"a\"}, 2],\n \"x\": [true], \"y\": {\"id\": 2}}";
        let whole: Value = tree::parse(text).unwrap();
        let top = top(text);
        assert_eq!(top.to_value(text), whole);
        assert_eq!(
            serde_json::to_string(&top.to_value(text)).unwrap(),
            serde_json::to_string(&whole).unwrap(),
            "member order too"
        );
        assert_eq!(top.render(text, &TextStyle::detect(text)), text);
    }

    #[test]
    fn an_error_inside_a_part_is_placed_in_the_whole_text() {
        let text = "{\n  \"bot\": {\"n\": [1e400]}\n}";
        let Err(e) = read(text, LONG) else {
            panic!("out of range")
        };
        let whole = tree::parse(text).unwrap_err();
        assert_eq!(e.line_column(text), (whole.line(), whole.column()));
    }
}
