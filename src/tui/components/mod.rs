//! The panes of the editor as components: each owns its drawing and its commands.
//!
//! A command goes to the first that takes it, in this order (see `update::route`): an open
//! overlay takes every command; then what is being typed in (a form field, the list's
//! filter); then the pane with the focus (the list or the form); then the preview; then the
//! global commands. A component says whether it took a command with [`Handled`].

pub mod form;
pub mod list;
pub mod overlays;
pub mod pickers;
pub mod preview;

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
