//! The panes of the editor as components: each owns its drawing and its commands.
//!
//! A command goes to the first that takes it, in this order (see `update::route`): an open
//! overlay takes every command; then what is being typed in (a form field, the list's
//! filter); then the pane with the focus (the list or the form); then the preview; then the
//! global commands. A component says whether it took a command with [`Handled`].

pub mod account;
pub mod form;
pub mod list;
pub mod overlays;
pub mod pickers;
pub mod preview;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

use super::model::Effect;

/// Whether a component took a command, and what the run loop is to do then.
#[derive(Debug, PartialEq)]
pub enum Handled {
    /// Taken: nothing else sees it.
    Consumed(Option<Effect>),
    /// Not this component's: the next one in the order gets it.
    NotConsumed,
}

impl Handled {
    /// Taken, with nothing for the run loop to do.
    pub const DONE: Handled = Handled::Consumed(None);
}
pub(crate) fn step_index(at: usize, step: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    (at as isize + step).clamp(0, len as isize - 1) as usize
}

/// A key typed into a one-line query (the filter, the palette, the dialog picker), as in a
/// shell: characters go in, Backspace takes one out, Ctrl-U empties it, Ctrl-W takes the
/// last word. Other keys with Ctrl or Alt change nothing. Whether the query changed.
pub(crate) fn edit_query(query: &mut String, key: KeyEvent) -> bool {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    match key.code {
        KeyCode::Char('u') if ctrl => query.clear(),
        KeyCode::Char('w') if ctrl => {
            let kept = query.trim_end().len();
            let start = query[..kept].rfind(' ').map_or(0, |at| at + 1);
            query.truncate(start);
        }
        KeyCode::Char(c) if !ctrl && !alt && !c.is_control() => query.push(c),
        KeyCode::Backspace => {
            query.pop();
        }
        _ => return false,
    }
    true
}

/// A key typed into a text box: Ctrl-U deletes to the start of the line, as in a shell and in
/// the form's fields (the text area's own binding would undo); the rest as the text area
/// takes them. Whether the text changed.
pub(crate) fn box_input(area: &mut TextArea<'static>, key: KeyEvent) -> bool {
    if key.code == KeyCode::Char('u') && key.modifiers.contains(KeyModifiers::CONTROL) {
        return area.delete_line_by_head();
    }
    area.input(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), modifiers)
    }

    #[test]
    fn a_query_takes_shell_keys_and_no_control_letters() {
        let mut query = String::from("agent esc");
        assert!(edit_query(&mut query, key('w', KeyModifiers::CONTROL)));
        assert_eq!(query, "agent ");
        assert!(!edit_query(&mut query, key('a', KeyModifiers::CONTROL)));
        assert!(!edit_query(&mut query, key('e', KeyModifiers::CONTROL)));
        assert_eq!(query, "agent ");
        assert!(edit_query(&mut query, key('u', KeyModifiers::CONTROL)));
        assert_eq!(query, "");
    }

    #[test]
    fn ctrl_u_in_a_box_deletes_to_the_line_start() {
        let mut area = TextArea::new(vec!["Sorry.".to_string()]);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        box_input(&mut area, key('!', KeyModifiers::NONE));
        box_input(&mut area, key('u', KeyModifiers::CONTROL));
        assert_eq!(area.lines().join(""), "");
    }
}
