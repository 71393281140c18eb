//! What the last frame drew, kept in the model for what comes after it: where the list's rows
//! and the form's fields were (a click is read against them, never against drawing code run
//! again), and the preview's long lines already wrapped.

use std::cell::RefCell;
use std::collections::HashMap;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::model::Entry;
use crate::bot::integration::Field;

/// What is at a place on the screen, for a click.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Entry(Entry),
    Field(Field),
}

/// The places of the last frame's list rows and form fields.
#[derive(Debug, Default, Clone)]
pub struct Drawn {
    places: Vec<(Rect, Hit)>,
    /// The preview showed its last line: scrolling down goes no further.
    pub preview_at_end: bool,
}

impl Drawn {
    /// Forgets the last frame's places (a new frame is being drawn).
    pub fn clear(&mut self) {
        self.places.clear();
        self.preview_at_end = false;
    }

    /// `hit` was drawn at `area`.
    pub fn record(&mut self, area: Rect, hit: Hit) {
        if !area.is_empty() {
            self.places.push((area, hit));
        }
    }

    /// What the last frame drew at a column and row.
    pub fn hit(&self, column: u16, row: u16) -> Option<Hit> {
        let at = Position::new(column, row);
        self.places
            .iter()
            .find(|(area, _)| area.contains(at))
            .map(|(_, hit)| *hit)
    }
}

/// What the last frame drew, kept for the next one and for clicks.
#[derive(Default)]
pub struct LastFrame {
    /// Where the list rows and form fields were.
    pub drawn: RefCell<Drawn>,
    /// The preview's long lines, wrapped once.
    pub wrapped: WrapCache,
}

/// Lines already wrapped, by line and width (see [`wrapped_rows`]), and their row counts;
/// bounded in cells so that a long field never holds more than a few megabytes here.
#[derive(Default)]
pub struct WrapCache {
    pub(crate) rows: RefCell<HashMap<u64, std::sync::Arc<Buffer>>>,
    pub(crate) counts: RefCell<HashMap<u64, usize>>,
    pub(crate) cells: RefCell<usize>,
}

impl WrapCache {
    /// At most this many cells kept (about 2.5 MB).
    pub(crate) const MAX_CELLS: usize = 64 * 1024;
}
