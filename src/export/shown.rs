//! Text from a file, a script or a file name, made safe to show: control characters,
//! direction overrides, line and paragraph separators and other invisible format characters
//! become visible escapes, so that no export can move the cursor, retitle the terminal, write
//! the clipboard or hide what it says. The editor's cells, every headless line and the JSON
//! output all go through here.

use std::borrow::Cow;

/// Whether `c` would act on a terminal or hide itself instead of being seen: C0 and C1 controls
/// and DEL, bidirectional marks and overrides, the line and paragraph separators, zero-width
/// and other invisible format characters, and Unicode tag characters.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206f}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{e0000}'..='\u{e007f}'
        )
}

/// `text` for a terminal: every hidden character (see [`is_hidden`]) written as `\u{…}`,
/// but line breaks when `keep_newlines` says so.
pub fn for_terminal(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    // Most text is printable ASCII, which is safe as it is.
    if text
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) || (keep_newlines && b == b'\n'))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            c if is_hidden(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// JSON text (as serde_json writes it) with every hidden character inside its strings written
/// as a `\uXXXX` escape too (serde_json escapes only C0 controls), so that the JSON stays
/// valid and is safe to print on a terminal. Outside strings JSON has none of them.
pub fn for_json(json: &str) -> Cow<'_, str> {
    if json.bytes().all(|b| b < 0x7f) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_hidden(c) && c != '\n' {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` cut to at most `most` characters, with a note of how many more there were.
pub fn cut(text: &str, most: usize) -> Cow<'_, str> {
    match text.char_indices().nth(most) {
        None => Cow::Borrowed(text),
        Some((at, _)) => {
            let more = text[at..].chars().count();
            Cow::Owned(format!("{}… ({more} more characters)", &text[..at]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_commands_and_hidden_characters_become_escapes() {
        let hostile = "a\u{1b}]2;X\u{7}b\u{9b}c\u{202e}d\u{2028}e\u{e0041}f\u{7f}\tg";
        let shown = for_terminal(hostile, false);
        assert_eq!(
            shown,
            "a\\u{1b}]2;X\\u{7}b\\u{9b}c\\u{202e}d\\u{2028}e\\u{e0041}f\\u{7f}\\u{9}g"
        );
        assert!(!shown.chars().any(is_hidden));
        assert_eq!(for_terminal("two\nlines", true), "two\nlines");
        assert_eq!(for_terminal("Grüße 你好", false), "Grüße 你好");
    }

    #[test]
    fn json_stays_json_and_shows_no_hidden_character() {
        let value = serde_json::json!({"name": "x\u{1b}[2J\u{85}\u{202e}\u{2029}\u{e0041}é"});
        let text = serde_json::to_string(&value).unwrap();
        let safe = for_json(&text);
        assert!(!safe.chars().any(is_hidden), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn long_text_is_cut_with_a_note() {
        assert_eq!(cut("abcdef", 3), "abc… (3 more characters)");
        assert_eq!(cut("abc", 3), "abc");
    }
}
