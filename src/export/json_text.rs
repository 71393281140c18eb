//! The export's own JSON text: its formatting, and a writer that keeps every byte of it that
//! an edit did not touch.
//!
//! Saving renders the edited tree against the text it was loaded from: a subtree equal to the
//! one loaded is copied from the original bytes, so unchanged files come back byte-identical
//! and an edit rewrites only its own lines. New values are written in the file's own style.

use serde_json::Value;

/// How an export is laid out, read from its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextStyle {
    /// One level of indentation (two spaces in real exports).
    pub indent: String,
    /// `"\n"`, or `"\r\n"` when the file uses CRLF.
    pub newline: &'static str,
    /// Whether `<`, `>`, `&`, `=` and `'` are written as `\u003c` and so on.
    pub escape_html: bool,
}

impl Default for TextStyle {
    fn default() -> Self {
        TextStyle {
            indent: "  ".to_string(),
            newline: "\n",
            escape_html: false,
        }
    }
}

impl TextStyle {
    /// Reads the style of a JSON text: its first indented line, its line ends and its escapes.
    pub fn detect(text: &str) -> TextStyle {
        let newline = match text.find('\n') {
            Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
            _ => "\n",
        };
        let indent = text
            .lines()
            .skip(1)
            .map(|line| {
                let width = line.len() - line.trim_start_matches([' ', '\t']).len();
                &line[..width]
            })
            .find(|ws| !ws.is_empty())
            .unwrap_or("  ")
            .to_string();
        // One pass for "\u00" instead of one per escape: a large export is read once.
        let escape_html = text.match_indices("\\u00").any(|(at, _)| {
            matches!(
                text.as_bytes().get(at + 4..at + 6),
                Some(b"3c" | b"3e" | b"26" | b"3d" | b"27")
            )
        });
        TextStyle {
            indent,
            newline,
            escape_html,
        }
    }
}

/// Writes `value` afresh in `style`, as if it started at nesting `depth`.
pub fn write_value(out: &mut String, value: &Value, depth: usize, style: &TextStyle) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(out, s, style),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                open_member(out, i, depth + 1, style);
                write_value(out, item, depth + 1, style);
            }
            close_container(out, ']', depth, style);
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                open_member(out, i, depth + 1, style);
                write_string(out, key, style);
                out.push_str(": ");
                write_value(out, item, depth + 1, style);
            }
            close_container(out, '}', depth, style);
        }
    }
}

pub(crate) fn open_member(out: &mut String, index: usize, depth: usize, style: &TextStyle) {
    if index > 0 {
        out.push(',');
    }
    out.push_str(style.newline);
    push_indent(out, depth, style);
}

pub(crate) fn close_container(out: &mut String, close: char, depth: usize, style: &TextStyle) {
    out.push_str(style.newline);
    push_indent(out, depth, style);
    out.push(close);
}

fn push_indent(out: &mut String, depth: usize, style: &TextStyle) {
    for _ in 0..depth {
        out.push_str(&style.indent);
    }
}

/// Writes a JSON string literal: non-ASCII unescaped, like the exports.
pub fn write_string(out: &mut String, s: &str, style: &TextStyle) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            '<' | '>' | '&' | '=' | '\'' if style.escape_html => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Where one value sits in a JSON text, with the places of its members.
#[derive(Debug)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub members: Members,
}

#[derive(Debug)]
pub enum Members {
    Scalar,
    /// Keys (unescaped) with the span of each value, in text order.
    Object(Vec<(String, Span)>),
    Array(Vec<Span>),
}

impl Span {
    /// The span of the member at `key`, for objects: the last occurrence, whose value is
    /// the one a JSON reader keeps.
    pub fn member(&self, key: &str) -> Option<&Span> {
        match &self.members {
            Members::Object(entries) => entries.iter().rfind(|(k, _)| k == key).map(|(_, s)| s),
            _ => None,
        }
    }

    /// The span of item `index`, for arrays.
    pub fn item(&self, index: usize) -> Option<&Span> {
        match &self.members {
            Members::Array(items) => items.get(index),
            _ => None,
        }
    }
}

/// Maps the values of a JSON text that is already known to be valid.
///
/// Returns `None` if the text is not valid JSON after all (never for text serde_json accepted).
pub fn scan(text: &str) -> Option<Span> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        text,
        pos: 0,
    };
    scanner.skip_ws();
    scanner.value()
}

struct Scanner<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl Scanner<'_> {
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Option<Span> {
        self.skip_ws();
        let start = self.pos;
        let members = match *self.bytes.get(self.pos)? {
            b'{' => {
                self.pos += 1;
                let mut entries = Vec::new();
                if !self.eat(b'}') {
                    loop {
                        self.skip_ws();
                        let (ks, ke) = self.string()?;
                        let raw = &self.text[ks..ke];
                        let key = if raw.contains('\\') {
                            serde_json::from_str::<String>(raw).ok()?
                        } else {
                            raw[1..raw.len() - 1].to_string()
                        };
                        if !self.eat(b':') {
                            return None;
                        }
                        let span = self.value()?;
                        entries.push((key, span));
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Members::Object(entries)
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value()?);
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Members::Array(items)
            }
            b'"' => {
                self.string()?;
                Members::Scalar
            }
            _ => {
                while let Some(b) = self.bytes.get(self.pos) {
                    if matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    self.pos += 1;
                }
                Members::Scalar
            }
        };
        Some(Span {
            start,
            end: self.pos,
            members,
        })
    }

    /// Skips a string literal, returning its span quotes included.
    fn string(&mut self) -> Option<(usize, usize)> {
        let start = self.pos;
        if self.bytes.get(self.pos) != Some(&b'"') {
            return None;
        }
        self.pos += 1;
        loop {
            match *self.bytes.get(self.pos)? {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return Some((start, self.pos));
                }
                _ => self.pos += 1,
            }
        }
    }
}

/// Renders `new` at nesting `depth` against `text`, the whole text of a value that read as
/// `old`: `text` itself when they are equal, else its unchanged subtrees' bytes.
pub(crate) fn render_at(
    out: &mut String,
    text: &str,
    old: &Value,
    new: &Value,
    depth: usize,
    style: &TextStyle,
) {
    if old == new {
        out.push_str(text);
        return;
    }
    match scan(text) {
        Some(span) => render(out, text, old, &span, new, depth, style),
        None => write_value(out, new, depth, style),
    }
}

fn render(
    out: &mut String,
    text: &str,
    old: &Value,
    span: &Span,
    new: &Value,
    depth: usize,
    style: &TextStyle,
) {
    if old == new {
        out.push_str(&text[span.start..span.end]);
        return;
    }
    match (old, &span.members, new) {
        (Value::Object(old_map), Members::Object(_), Value::Object(new_map))
            if !new_map.is_empty() =>
        {
            out.push('{');
            for (i, (key, value)) in new_map.iter().enumerate() {
                open_member(out, i, depth + 1, style);
                write_string(out, key, style);
                out.push_str(": ");
                match (old_map.get(key), span.member(key)) {
                    (Some(old_value), Some(child)) => {
                        render(out, text, old_value, child, value, depth + 1, style)
                    }
                    _ => write_value(out, value, depth + 1, style),
                }
            }
            close_container(out, '}', depth, style);
        }
        (Value::Array(old_items), Members::Array(spans), Value::Array(new_items))
            if !new_items.is_empty() =>
        {
            out.push('[');
            let mut j = 0;
            for (i, value) in new_items.iter().enumerate() {
                open_member(out, i, depth + 1, style);
                match pair_item(old_items, j, new_items, i) {
                    Pairing::Same(k) | Pairing::Edited(k) => {
                        render(out, text, &old_items[k], &spans[k], value, depth + 1, style);
                        j = k + 1;
                    }
                    Pairing::Inserted => write_value(out, value, depth + 1, style),
                }
            }
            close_container(out, ']', depth, style);
        }
        _ => write_value(out, new, depth, style),
    }
}

enum Pairing {
    Same(usize),
    Edited(usize),
    Inserted,
}

/// Pairs item `i` of the new array with an item of the old one at or after `j`: an equal item
/// (skipping deleted ones), an inserted item, or an edited one in the same place.
fn pair_item(old: &[Value], j: usize, new: &[Value], i: usize) -> Pairing {
    const LOOKAHEAD: usize = 64;
    let Some(current) = old.get(j) else {
        return Pairing::Inserted;
    };
    if *current == new[i] {
        return Pairing::Same(j);
    }
    if new.get(i + 1) == Some(current) {
        return Pairing::Inserted;
    }
    if let Some(k) = old[j..].iter().take(LOOKAHEAD).position(|o| *o == new[i]) {
        return Pairing::Same(j + k);
    }
    Pairing::Edited(j)
}

/// Line and column (1-based, columns in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn round(text: &str, edit: impl FnOnce(&mut Value)) -> String {
        let old: Value = serde_json::from_str(text).unwrap();
        let mut new = old.clone();
        edit(&mut new);
        let mut out = String::new();
        render_at(&mut out, text, &old, &new, 0, &TextStyle::detect(text));
        out
    }

    #[test]
    fn unchanged_text_comes_back_byte_identical_even_when_oddly_formatted() {
        let text = "\u{feff}{ \"a\" :1.50,\"b\":[1,2 ,3], \"c\": \"\\u00e9\\/\" }\r\n";
        let text = &text[3..];
        assert_eq!(round(text, |_| {}), text);
    }

    #[test]
    fn editing_one_value_changes_only_its_line() {
        let text =
            "{\n  \"a\": \"x\",\n  \"b\": {\n    \"c\": 1.0,\n    \"d\": \"\\u00e9\"\n  }\n}";
        let out = round(text, |v| v["b"]["c"] = json!(2));
        assert_eq!(out, text.replace("1.0", "2"));
    }

    #[test]
    fn crlf_files_keep_crlf_in_new_members() {
        let text = "{\r\n  \"a\": []\r\n}";
        let out = round(text, |v| v["a"] = json!([true]));
        assert_eq!(out, "{\r\n  \"a\": [\r\n    true\r\n  ]\r\n}");
    }

    #[test]
    fn inserting_into_an_array_keeps_the_other_items_bytes() {
        let text = "{\n  \"r\": [\n    {\"compact\":1},\n    {\"other\":2}\n  ]\n}";
        let out = round(text, |v| {
            v["r"].as_array_mut().unwrap().insert(1, json!({"n": "é<"}))
        });
        assert_eq!(
            out,
            "{\n  \"r\": [\n    {\"compact\":1},\n    {\n      \"n\": \"é<\"\n    },\n    {\"other\":2}\n  ]\n}"
        );
    }

    #[test]
    fn html_escaping_style_is_kept_for_new_strings() {
        let text = "{\n  \"a\": \"\\u003cb\\u003e\"\n}";
        let out = round(text, |v| v["z"] = json!("<i>"));
        assert!(out.ends_with("\"z\": \"\\u003ci\\u003e\"\n}"), "{out}");
    }

    #[test]
    fn a_duplicated_key_keeps_the_value_that_was_read() {
        let text = "{\n  \"d\": 1,\n  \"d\": 2,\n  \"x\": 0\n}";
        let out = round(text, |v| v["x"] = json!(5));
        let back: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["d"], 2);
    }

    #[test]
    fn line_column_counts_characters() {
        assert_eq!(line_column("ab\ncdé\nx", 7), (2, 4));
        assert_eq!(line_column("ab\ncdé\nx", 8), (3, 1));
        assert_eq!(line_column("ab", 0), (1, 1));
    }
}
