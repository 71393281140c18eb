//! The editor's colours, or none at all under NO_COLOR: meaning is always in text and symbols
//! too.

use ratatui::style::{Color, Modifier, Style};

use super::model::Model;
use crate::rules::Severity;

/// Colours, or none at all under NO_COLOR: meaning is always in text and symbols too.
pub(crate) struct Theme {
    color: bool,
}

impl Theme {
    pub(crate) fn of(_model: &Model) -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }
    pub(crate) fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }
    pub(crate) fn severity(&self, s: Severity) -> Style {
        match s {
            Severity::Error => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Severity::Warning => self.fg(Color::Yellow),
            Severity::Hint => self.fg(Color::Cyan),
        }
    }
    pub(crate) fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }
    pub(crate) fn focus(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    pub(crate) fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        }
    }
}
