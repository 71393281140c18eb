//! `view`: draws the model, never changes it (but for recording where it drew the list's rows
//! and the form's fields, for clicks). List on the left, the form in the middle, the preview on
//! the right (below the form under 100 columns); each pane is drawn by its component, then
//! the status line, the footer and the open overlay.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
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
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        return None;
    }
    let [main, status, footer] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(1),
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
    let Some(areas) = areas(area) else {
        let text = format!(
            "Terminal too small: {}×{}. escalator needs at least {}×{}. Ctrl-Q quits.",
            area.width, area.height, MIN_SIZE.0, MIN_SIZE.1
        );
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

fn draw_status(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let file = model.path.file_name().map_or_else(
        || model.path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let modified = match (model.read_only, model.is_modified()) {
        (true, true) => " [read-only] [modified]",
        (true, false) => " [read-only]",
        (false, true) => " [modified]",
        (false, false) => "",
    };
    let line = Line::from(vec![
        Span::styled(
            format!(" {}{modified} ", clean(&file)),
            Style::new().add_modifier(Modifier::REVERSED),
        ),
        Span::raw(" "),
        Span::styled(clean(&model.status), theme.fg(Color::Cyan)),
    ]);
    put_line(frame, &line, area);
}

fn draw_footer(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let mut spans = Vec::new();
    let hints = keymap::footer(model.context(), |c| model.applies(c));
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
