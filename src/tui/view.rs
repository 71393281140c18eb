//! `view`: draws the model, never changes it (but for recording where it drew the list's rows
//! and the form's fields, for clicks). List on the left, the form in the middle, the preview on
//! the right (below the form under 100 columns); each pane is drawn by its component, then
//! the status line, the footer and the open overlay.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::components::{form, list, overlays, preview};
use super::draw::{clean, put_line};
use super::keymap;
use super::model::Model;
use super::theme::Theme;

/// The smallest screen the editor draws on.
pub const MIN_SIZE: (u16, u16) = (60, 16);
/// From this width on, the preview sits beside the form.
pub const WIDE: u16 = 100;
const LIST_WIDTH: u16 = 26;

/// The panes of the screen.
#[derive(Debug, Clone, Copy)]
pub struct Areas {
    pub list: Rect,
    pub form: Rect,
    pub preview: Rect,
    pub status: Rect,
    pub footer: Rect,
}

/// Lays out the screen; `None` when it is too small.
pub fn areas(area: Rect) -> Option<Areas> {
    areas_with_status(area, 1)
}

/// [`areas`] with `status_rows` rows for the status line (a long message takes two).
pub fn areas_with_status(area: Rect, status_rows: u16) -> Option<Areas> {
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        return None;
    }
    let [main, status, footer] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(status_rows),
        Constraint::Length(1),
    ])
    .areas(area);
    let list_width = if area.width >= WIDE { LIST_WIDTH } else { 22 };
    let [list, rest] =
        Layout::horizontal([Constraint::Length(list_width), Constraint::Min(1)]).areas(main);
    let (form, preview) = if area.width >= WIDE {
        let [form, preview] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(rest);
        (form, preview)
    } else {
        let [form, preview] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(rest);
        (form, preview)
    };
    Some(Areas {
        list,
        form,
        preview,
        status,
        footer,
    })
}

/// Draws the whole screen.
pub fn view(model: &Model, frame: &mut Frame) {
    let theme = Theme::of(model);
    let area = frame.area();
    model.frame.drawn.borrow_mut().clear();
    let (label, _) = status_label(model);
    let long = label.chars().count() + 1 + model.status.chars().count() > usize::from(area.width);
    let Some(areas) = areas_with_status(area, if long { 2 } else { 1 }) else {
        let mut text = format!(
            "Terminal too small: {}×{}. escalator needs at least {}×{}. {} quits.",
            area.width,
            area.height,
            MIN_SIZE.0,
            MIN_SIZE.1,
            model.key(super::keymap::Command::Quit)
        );
        // The question of quitting with unsaved edits is answered here too.
        if model.overlay == Some(super::model::Overlay::ConfirmQuit) {
            text = "Unsaved changes. [s] save and quit  [d] discard and quit  [c] cancel".into();
        }
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    };
    list::draw_list(model, frame, areas.list, &theme);
    form::draw_form(model, frame, areas.form, &theme);
    preview::draw_preview(model, frame, areas.preview, &theme);
    draw_status(model, frame, areas.status, &theme);
    draw_footer(model, frame, areas.footer, &theme);
    overlays::draw(model, frame, area, &theme);
}

/// The file's name with its state, " bot.json [modified] ", and whether it is modified.
fn status_label(model: &Model) -> (String, bool) {
    let file = model.path.file_name().map_or_else(
        || model.path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let modified = model.is_modified();
    let state = match (model.read_only, modified) {
        (true, true) => " [read-only] [modified]",
        (true, false) => " [read-only]",
        (false, true) => " [modified]",
        (false, false) => "",
    };
    (format!(" {}{state} ", clean(&file)), modified)
}

/// The file and its state, then the status message, wrapped at words on the rows there are
/// (the last cut with "…").
fn draw_status(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let (label, _) = status_label(model);
    let width = usize::from(area.width);
    let first_width = width.saturating_sub(label.chars().count() + 1);
    let message = clean(&model.status);
    let mut rows = super::draw::wrap_text(&message, first_width.max(1));
    // Rows after the first are as wide as the screen: wrap what is left again.
    if rows.len() > 1 {
        let rest = rows[1..].join(" ");
        rows.truncate(1);
        rows.extend(super::draw::wrap_text(&rest, width));
    }
    let shown = usize::from(area.height).max(1);
    if rows.len() > shown {
        rows.truncate(shown);
        if let Some(last) = rows.last_mut() {
            *last = super::draw::truncate(&format!("{last} …"), width);
        }
    }
    let style = theme.fg(theme.colours().focus);
    let mut first = vec![
        Span::styled(label, Style::new().add_modifier(Modifier::REVERSED)),
        Span::raw(" "),
    ];
    first.push(Span::styled(
        rows.first().cloned().unwrap_or_default(),
        style,
    ));
    put_line(frame, &Line::from(first), Rect { height: 1, ..area });
    for (i, row) in rows.iter().enumerate().skip(1) {
        let at = Rect::new(area.x, area.y + i as u16, area.width, 1);
        put_line(frame, &Line::styled(row.clone(), style), at);
    }
}

fn draw_footer(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let mut spans = Vec::new();
    let hints = model.keymap.footer(model.context(), |c| model.applies(c));
    for (keys, description) in keymap::fit_footer(&hints, usize::from(area.width)) {
        spans.push(Span::styled(
            keys,
            Style::new().add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::styled(format!(" {description}  "), theme.dim()));
    }
    put_line(frame, &Line::from(spans), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_screens_get_no_layout() {
        assert!(areas(Rect::new(0, 0, 59, 30)).is_none());
        assert!(areas(Rect::new(0, 0, 80, 15)).is_none());
        let narrow = areas(Rect::new(0, 0, 80, 24)).unwrap();
        assert!(
            narrow.preview.y > narrow.form.y,
            "the preview stacks below the form"
        );
        let wide = areas(Rect::new(0, 0, 120, 40)).unwrap();
        assert!(
            wide.preview.x > wide.form.x,
            "the preview sits beside the form"
        );
    }
}
