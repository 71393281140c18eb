//! `view`: draws the model, never changes it. List on the left, the form in the middle, the
//! preview on the right (below the form under 100 columns).

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::keymap;
use super::model::{EditTarget, Entry, Focus, Model, Overlay, PreviewMode, PreviewTab};
use crate::bot::integration::{Field, IntegrationKind};
use crate::rules::{Diagnostic, Severity};
use crate::runtime::delay::CountSource;
use crate::runtime::transfer;

/// The smallest screen the editor draws on.
pub const MIN_SIZE: (u16, u16) = (60, 16);
/// From this width on, the preview sits beside the form.
pub const WIDE: u16 = 100;
const LIST_WIDTH: u16 = 26;
const LABEL_WIDTH: u16 = 30;

/// Colours, or none at all under NO_COLOR: meaning is always in text and symbols too.
struct Theme {
    color: bool,
}

impl Theme {
    fn of(_model: &Model) -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }
    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }
    fn severity(&self, s: Severity) -> Style {
        match s {
            Severity::Error => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Severity::Warning => self.fg(Color::Yellow),
            Severity::Hint => self.fg(Color::Cyan),
        }
    }
    fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }
    fn focus(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        }
    }
}

/// Makes file text safe to draw (see [`crate::export::shown`]): a tab is four spaces, every other
/// control or invisible character a visible escape, so a crafted export cannot drive the
/// terminal or hide part of what it says.
pub fn clean(text: &str) -> String {
    if text.contains('\t') {
        crate::export::shown::for_terminal(&text.replace('\t', "    "), false).into_owned()
    } else {
        crate::export::shown::for_terminal(text, false).into_owned()
    }
}

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

/// Draws a pane's border and title (highlighted when it has the focus); returns its inside.
fn pane(frame: &mut Frame, area: Rect, title: String, focused: bool, theme: &Theme) -> Rect {
    draw_border(frame.buffer_mut(), area, &title, theme.border(focused));
    inner(area)
}

/// Draws what `Block::bordered().title(title).border_style(style)` draws, touching only the
/// border's cells (the block widget restyles every cell inside too, on every frame).
fn draw_border(buf: &mut Buffer, area: Rect, title: &str, style: Style) {
    let area = area.intersection(buf.area);
    if area.width < 2 || area.height < 2 {
        Block::bordered()
            .title(title)
            .border_style(style)
            .render(area, buf);
        return;
    }
    let (left, right) = (area.left(), area.right() - 1);
    let (top, bottom) = (area.top(), area.bottom() - 1);
    for x in left + 1..right {
        buf[(x, top)].set_symbol("─").set_style(style);
        buf[(x, bottom)].set_symbol("─").set_style(style);
    }
    for y in top + 1..bottom {
        buf[(left, y)].set_symbol("│").set_style(style);
        buf[(right, y)].set_symbol("│").set_style(style);
    }
    for (x, y, corner) in [
        (left, top, "┌"),
        (right, top, "┐"),
        (left, bottom, "└"),
        (right, bottom, "┘"),
    ] {
        buf[(x, y)].set_symbol(corner).set_style(style);
    }
    put_spans(
        buf,
        &Line::raw(title),
        Rect::new(left + 1, top, area.width - 2, 1),
    );
}

/// Draws one line into a one-row area. Like rendering the `Line` widget, without its
/// alignment pass and without restyling the row when the line has no style of its own:
/// the frame is drawn on every keystroke, and most of its rows are lines.
fn put_line(frame: &mut Frame, line: &Line, area: Rect) {
    if area.is_empty() {
        return;
    }
    if matches!(line.alignment, Some(a) if a != ratatui::layout::HorizontalAlignment::Left) {
        frame.render_widget(line, area);
        return;
    }
    let buf = frame.buffer_mut();
    let area = area.intersection(buf.area);
    if line.style != Style::default() {
        buf.set_style(area, line.style);
    }
    put_spans(buf, line, area);
}

/// Draws a line's spans from the left of a one-row area, each in the line's style patched
/// with its own, cut at the area's end; the cells past the text keep their style.
fn put_spans(buf: &mut Buffer, line: &Line, area: Rect) {
    let area = area.intersection(buf.area);
    let (mut x, y) = (area.x, area.y);
    for span in &line.spans {
        let style = line.style.patch(span.style);
        let left = area.right().saturating_sub(x);
        if left == 0 {
            break;
        }
        // Printable ASCII and the editor's own symbols are one cell a character: no
        // grapheme segmentation needed.
        if span.content.chars().all(one_cell) {
            let at = buf.index_of(x, y);
            let cells = &mut buf.content[at..at + usize::from(left)];
            for (cell, c) in cells.iter_mut().zip(span.content.chars()) {
                cell.set_char(c).set_style(style);
                x += 1;
            }
        } else {
            x = buf
                .set_stringn(x, y, &span.content, usize::from(left), style)
                .0;
        }
    }
}

fn inner(area: Rect) -> Rect {
    Block::bordered().inner(area)
}

/// Draws the whole screen.
pub fn view(model: &Model, frame: &mut Frame) {
    let theme = Theme::of(model);
    let area = frame.area();
    let Some(areas) = areas(area) else {
        let text = format!(
            "Terminal too small: {}×{}. escalator needs at least {}×{}. Ctrl-Q quits.",
            area.width, area.height, MIN_SIZE.0, MIN_SIZE.1
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    };
    draw_list(model, frame, areas.list, &theme);
    draw_form(model, frame, areas.form, &theme);
    draw_preview(model, frame, areas.preview, &theme);
    draw_status(model, frame, areas.status, &theme);
    draw_footer(model, frame, areas.footer, &theme);
    match model.overlay {
        Some(Overlay::Help) => draw_help(model, frame, area),
        Some(Overlay::ConfirmQuit) => draw_question(
            frame,
            area,
            " Unsaved changes ",
            &format!(
                "{} has unsaved changes.",
                clean(&model.path.display().to_string())
            ),
            "[s] save and quit   [d] discard and quit   [c] cancel",
        ),
        Some(Overlay::ConfirmDelete(index)) => {
            let integration = model.integrations.get(index);
            let name = integration.map_or("", |i| i.name.as_str());
            // The Integration interactions that run it would point at nothing.
            let running: Vec<String> = integration
                .map(|i| {
                    model
                        .facts
                        .index
                        .all()
                        .iter()
                        .filter(|x| x.runs(i))
                        .map(|x| format!("\"{}\"", clean(&x.name)))
                        .collect()
                })
                .unwrap_or_default();
            if running.is_empty() {
                draw_question(
                    frame,
                    area,
                    " Delete ",
                    &format!("Delete the integration \"{}\"?", clean(name)),
                    "[y] delete   [n] keep",
                )
            } else {
                let shown = running.len().min(5);
                draw_question(
                    frame,
                    area,
                    " Delete ",
                    &format!(
                        "Delete the integration \"{}\"? It is run by {}: {}{}. They would run nothing, an error when the bot runs.",
                        clean(name),
                        plural(running.len(), "Integration interaction"),
                        running[..shown].join(", "),
                        if running.len() > shown { ", …" } else { "" },
                    ),
                    "[y] delete anyway   [n] keep",
                )
            }
        }
        Some(Overlay::SelectType(choice)) => draw_select(frame, area, choice, &theme),
        Some(Overlay::ChangedOnDisk { .. }) => draw_question(
            frame,
            area,
            " File changed on disk ",
            &format!(
                "{} changed on disk since you opened it. Your edits are not saved yet.",
                clean(&model.path.display().to_string())
            ),
            "[o] overwrite it   [r] reload it (drops your edits)   [a] save as   [c] cancel",
        ),
        Some(Overlay::SaveAs { .. }) => draw_save_as(model, frame, area),
        Some(Overlay::SaveFailed { .. }) => draw_question(
            frame,
            area,
            " Not saved ",
            &format!(
                "{} Your edits are still here.",
                clean(model.save_failed.as_deref().unwrap_or("Not saved."))
            ),
            "[a] save as another file   [t] try again   [c] cancel",
        ),
        Some(Overlay::ConfirmDiscard) => draw_question(
            frame,
            area,
            " Drop the unsaved edits? ",
            "The last save failed, so your edits exist only here and in the journal. Quitting without them drops both.",
            "[y] drop them and quit   [k] quit, keeping them in the journal   [c] cancel",
        ),
        Some(Overlay::Recovery) => {
            let (when, lines) = model
                .recovery
                .as_ref()
                .map_or((0, 0), |e| (e.written_at, e.changed_lines));
            let changed = model
                .recovery
                .as_ref()
                .is_some_and(|e| e.base_hash != model.doc.base_hash());
            let count = 1 + model.recoveries_later.len();
            draw_question(
                frame,
                area,
                " Unsaved edits found ",
                &format!(
                    "{} has unsaved edits from {} ({}, {}).{}",
                    clean(&model.path.display().to_string()),
                    if count == 1 {
                        "an earlier session".to_string()
                    } else {
                        format!("{count} earlier sessions; newest first, this one")
                    },
                    age(when),
                    if lines == 0 {
                        "escalator's settings changed".to_string()
                    } else {
                        plural(lines, "line") + " changed"
                    },
                    if changed {
                        " The file changed on disk since: restoring undoes those changes."
                    } else {
                        ""
                    }
                ),
                if count == 1 {
                    "[r] restore them   [d] discard them   [s] show the difference"
                } else {
                    "[r] restore these   [d] discard these   [s] show the difference   [↓] next"
                },
            )
        }
        Some(Overlay::RecoveryDiff) => draw_diff(model, frame, area, &theme),
        Some(Overlay::SampleContext) => draw_sample_context(model, frame, area),
        Some(Overlay::ConfirmConvert(index)) => draw_question(
            frame,
            area,
            " Convert ",
            &if model.transfers.iter().any(|t| t.index == index) {
                "Turn this Agent Transfer interaction into an Integration interaction running a new LivePerson Agent Escalation integration?".to_string()
            } else {
                "Turn the Integration interaction that runs this integration into an Agent Transfer interaction in the same place? The integration stays.".to_string()
            },
            "[y] convert   [n] keep",
        ),
        Some(Overlay::SampleResult) => draw_text_box(
            model,
            frame,
            area,
            " Sample result (Esc when done) ",
            "The raw result (JSON) the Transform Result Script runs on: paste it, or type the path of a JSON file:",
        ),
        Some(Overlay::FailureDialog) => draw_line_input(
            model,
            frame,
            area,
            " Add a failure dialog (Enter adds, Esc cancels) ",
            "A dialog catching __agent_escalation_failed__ will answer with:",
        ),
        None => {}
    }
}

/// Where a list row or a form field is on screen, for mouse clicks.
pub enum Hit {
    Entry(Entry),
    Field(Field),
}

/// What is at a screen position.
pub fn hit(model: &Model, column: u16, row: u16) -> Option<Hit> {
    let areas = areas(Rect::new(0, 0, model.size.0, model.size.1))?;
    let pos = Position::new(column, row);
    let list = list_body(model, areas.list);
    if list.contains(pos) {
        let (entries, offset) = list_window(model, list.height);
        let index = offset + usize::from((row - list.y) / 2);
        return entries
            .get(index)
            .filter(|e| **e != Entry::TransfersHeading)
            .map(|&e| Hit::Entry(e));
    }
    let form = inner(areas.form);
    if form.contains(pos) {
        let items = form_items(model, form.width);
        let scroll = form_scroll(model, &items, form.height);
        let y = row - form.y + scroll;
        return items
            .iter()
            .find(|it| y >= it.top && y < it.top + it.height)
            .map(|it| Hit::Field(it.field));
    }
    None
}

fn list_body(model: &Model, area: Rect) -> Rect {
    let body = inner(area);
    if model.filter_active || !model.filter.is_empty() {
        Rect {
            y: body.y + 1,
            height: body.height.saturating_sub(1),
            ..body
        }
    } else {
        body
    }
}

/// The visible integrations and the first one drawn, keeping the selection in view.
/// The list's rows and the first one drawn, keeping the selection in view.
fn list_window(model: &Model, height: u16) -> (std::sync::Arc<[Entry]>, usize) {
    let entries = model.entries();
    let rows = usize::from(height / 2).max(1);
    let at = model.row_of(model.selected_entry()).unwrap_or(0);
    let offset = (at + 1).saturating_sub(rows);
    (entries, offset)
}

fn counts(model: &Model, entry: Entry) -> (usize, usize) {
    model
        .diagnostics_of(entry)
        .iter()
        .fold((0, 0), |(e, w), d| match d.severity {
            Severity::Error => (e + 1, w),
            Severity::Warning => (e, w + 1),
            Severity::Hint => (e, w),
        })
}

pub(crate) fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn draw_list(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let focused = model.focus == Focus::List && model.overlay.is_none();
    let title = format!(" Integrations ({}) ", model.integrations.len());
    let body = pane(frame, area, title, focused, theme);
    if model.filter_active || !model.filter.is_empty() {
        let line = Line::from(vec![
            Span::styled("/", theme.dim()),
            Span::raw(clean(&model.filter)),
        ]);
        frame.render_widget(Paragraph::new(line), Rect { height: 1, ..body });
        if model.filter_active {
            let x = body.x + 1 + clean(&model.filter).chars().count() as u16;
            frame.set_cursor_position(Position::new(x.min(body.right().saturating_sub(1)), body.y));
        }
    }
    let body = list_body(model, area);
    if model.integrations.is_empty() && model.transfers.is_empty() {
        frame.render_widget(
            Paragraph::new("No integrations.\nCtrl-N adds a LivePerson Agent Escalation.")
                .wrap(Wrap { trim: true }),
            body,
        );
        return;
    }
    let (entries, offset) = list_window(model, body.height);
    if entries.is_empty() {
        frame.render_widget(Paragraph::new("Nothing matches the filter."), body);
        return;
    }
    let width = usize::from(body.width);
    for (slot, &entry) in entries
        .iter()
        .skip(offset)
        .take(usize::from(body.height / 2))
        .enumerate()
    {
        let (name, kind) = match entry {
            Entry::Integration(index) => {
                let Some(integration) = model.integrations.get(index) else {
                    continue;
                };
                let kind = match integration.kind {
                    IntegrationKind::AgentEscalation => "Escalation".to_string(),
                    ref k => clean(k.label()),
                };
                (integration.name.clone(), kind)
            }
            Entry::Transfer(index) => {
                let Some(transfer) = model.transfers.get(index) else {
                    continue;
                };
                (transfer.name.clone(), "Agent Transfer".to_string())
            }
            Entry::TransfersHeading => {
                let heading = Line::styled(
                    truncate(
                        &format!("Agent Transfers ({})", model.transfers.len()),
                        width,
                    ),
                    Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                );
                let y = body.y + (slot as u16) * 2 + 1;
                frame.render_widget(Paragraph::new(heading), Rect::new(body.x, y, body.width, 1));
                continue;
            }
        };
        let (errors, warnings) = counts(model, entry);
        let (symbol, style) = if !model.checked {
            ("·", theme.dim())
        } else if errors > 0 {
            ("✗", theme.severity(Severity::Error))
        } else if warnings > 0 {
            ("!", theme.severity(Severity::Warning))
        } else {
            ("✓", theme.fg(Color::Green))
        };
        let selected = entry == model.selected_entry();
        let name_style = if selected {
            theme.focus()
        } else {
            Style::new()
        };
        let pointer = if selected { "▸" } else { " " };
        let name = truncate(&clean(&name), width.saturating_sub(4));
        let first = Line::from(vec![
            Span::raw(pointer),
            Span::styled(symbol, style),
            Span::raw(" "),
            Span::styled(name, name_style),
        ]);
        let state = match (errors, warnings) {
            _ if !model.checked => "checking…".to_string(),
            (0, 0) => "ok".to_string(),
            (e, 0) => plural(e, "error"),
            (0, w) => plural(w, "warning"),
            (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
        };
        let second = Line::styled(
            truncate(&format!("   {kind} · {state}"), width),
            theme.dim(),
        );
        // Single lines are drawn as lines: a paragraph's wrapping machinery costs more than
        // the rest of a row, on every frame.
        let y = body.y + (slot as u16) * 2;
        put_line(frame, &first, Rect::new(body.x, y, body.width, 1));
        if body.height > (slot as u16) * 2 + 1 {
            put_line(frame, &second, Rect::new(body.x, y + 1, body.width, 1));
        }
    }
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// One field's block in the form.
pub struct FormItem {
    pub field: Field,
    pub top: u16,
    pub height: u16,
    lines: Vec<Line<'static>>,
    /// Where the value (or the editor) starts inside the item, and its size.
    value_at: (u16, u16),
    value_size: (u16, u16),
}

/// Breaks text into lines of at most `width` characters, at spaces where it can.
fn wrap_text(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut out = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ') {
            let mut word: Vec<char> = word.chars().collect();
            let used = line.chars().count();
            if used > 0 && used + 1 + word.len() > width {
                out.push(std::mem::take(&mut line));
            }
            while word.len() > width {
                let rest = word.split_off(width);
                if !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                }
                out.push(word.into_iter().collect());
                word = rest;
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.extend(word);
        }
        out.push(line);
    }
    out
}

/// Lays out the form's fields for a width.
pub fn form_items(model: &Model, width: u16) -> Vec<FormItem> {
    if model.subject_label().is_none() {
        return Vec::new();
    }
    let theme = Theme::of(model);
    let wide = width >= 64;
    let value_x = if wide { LABEL_WIDTH } else { 2 };
    let value_width = width.saturating_sub(value_x).max(1);
    let mut items = Vec::new();
    let mut top = 0;
    for field in model.fields() {
        let focused = model.focus == Focus::Field(field) && model.overlay.is_none();
        let editing = model.editing.as_ref().filter(|e| {
            e.target == EditTarget::Field(field)
                || (field == Field::CustomData && matches!(e.target, EditTarget::Cell { .. }))
        });
        let star = if field.is_required() { " *" } else { "" };
        let marker = if focused { "▶ " } else { "  " };
        let label_style = if focused {
            Style::new().add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        };
        let label = Span::styled(format!("{marker}{}{star}", field.label()), label_style);
        let value_lines: Vec<Line<'static>> =
            value_lines(model, field, focused, value_width, &theme);
        let value_height = match (editing, field) {
            (Some(e), f) if f.is_multiline() => (e.area.lines().len() as u16).clamp(3, 8),
            _ => value_lines.len().max(1) as u16,
        };
        let mut lines: Vec<Line<'static>> = Vec::new();
        if wide {
            let mut first = vec![label];
            let pad = usize::from(LABEL_WIDTH).saturating_sub(first[0].content.chars().count());
            first.push(Span::raw(" ".repeat(pad)));
            first.extend(value_lines.first().cloned().unwrap_or_default().spans);
            lines.push(Line::from(first));
            for l in value_lines.iter().skip(1) {
                let mut spans = vec![Span::raw(" ".repeat(usize::from(LABEL_WIDTH)))];
                spans.extend(l.spans.clone());
                lines.push(Line::from(spans));
            }
        } else {
            lines.push(Line::from(label));
            for l in &value_lines {
                let mut spans = vec![Span::raw("  ")];
                spans.extend(l.spans.clone());
                lines.push(Line::from(spans));
            }
        }
        let value_top = if wide { 0 } else { 1 };
        while (lines.len() as u16) < value_top + value_height {
            lines.push(Line::default());
        }
        if focused {
            for (i, chunk) in wrap_text(field.help(), usize::from(width.saturating_sub(6)))
                .into_iter()
                .enumerate()
            {
                let lead = if i == 0 { "    ↳ " } else { "      " };
                lines.push(Line::styled(format!("{lead}{chunk}"), theme.dim()));
            }
        }
        // What is being typed and not taken, then the rules' diagnostics of the field.
        let typed = model
            .edit_error
            .as_ref()
            .filter(|(f, _)| *f == field)
            .map(|(_, why)| (Severity::Error, format!("{} (not written)", clean(why))));
        let checked = model
            .subject_diagnostics()
            .iter()
            .filter(|d| d.field == Some(field))
            .map(|d| (d.severity, clean(&d.message)))
            .collect::<Vec<_>>();
        for (severity, message) in typed.into_iter().chain(checked) {
            for (i, chunk) in wrap_text(&message, usize::from(width.saturating_sub(6)))
                .into_iter()
                .enumerate()
            {
                let lead = if i == 0 {
                    format!("    {} ", severity.symbol())
                } else {
                    "      ".into()
                };
                lines.push(Line::styled(
                    format!("{lead}{chunk}"),
                    theme.severity(severity),
                ));
            }
        }
        let height = lines.len() as u16;
        items.push(FormItem {
            field,
            top,
            height,
            lines,
            value_at: (value_x, value_top),
            value_size: (value_width, value_height),
        });
        top += height;
    }
    items
}

fn value_lines(
    model: &Model,
    field: Field,
    focused: bool,
    width: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let width = usize::from(width);
    let empty = |text: &str| Line::styled(text.to_string(), theme.dim());
    let no_rows = Vec::new();
    let (kind, rows) = model
        .current()
        .map_or(("", &no_rows), |i| (i.kind.label(), &i.custom_data));
    match field {
        Field::IntegrationType => vec![Line::raw(format!("‹ {} ›", clean(kind)))],
        Field::TransferBotContext => {
            let mark = if model.field_value(field) == "true" {
                "[x]"
            } else {
                "[ ]"
            };
            vec![Line::raw(truncate(
                &format!("{mark} pass intent and message to the receiving bot"),
                width,
            ))]
        }
        Field::CustomData => {
            if rows.is_empty() {
                return vec![empty(if focused {
                    "(none: Enter, then + to add a row)"
                } else {
                    "(none)"
                })];
            }
            let key_width = (width / 3).max(6);
            let mut lines = vec![Line::styled(
                format!("{:<key_width$} │ Value", "Key"),
                theme.dim().add_modifier(Modifier::UNDERLINED),
            )];
            for (i, row) in rows.iter().enumerate() {
                let key = truncate(&clean(&row.key), key_width);
                let value = truncate(&clean(&row.value), width.saturating_sub(key_width + 3));
                let selected = model.table_active && focused && i == model.table_row;
                let cell = |column: usize, text: String| {
                    if selected && model.table_column == column {
                        Span::styled(text, theme.focus())
                    } else if selected {
                        Span::styled(text, Style::new().add_modifier(Modifier::BOLD))
                    } else {
                        Span::raw(text)
                    }
                };
                lines.push(Line::from(vec![
                    cell(0, format!("{key:<key_width$}")),
                    Span::raw(" │ "),
                    cell(1, value),
                ]));
            }
            lines
        }
        _ => {
            let value = model.field_value(field);
            if value.is_empty() {
                let hint = if focused {
                    "(empty: Enter to type)"
                } else {
                    "(empty)"
                };
                return vec![empty(hint)];
            }
            let all: Vec<&str> = value.split('\n').collect();
            let shown = if field.is_multiline() { 3 } else { 1 };
            let mut lines: Vec<Line<'static>> = all
                .iter()
                .take(shown)
                .map(|l| Line::raw(truncate(&clean(l), width)))
                .collect();
            if all.len() > shown {
                lines.push(empty(&format!(
                    "… {} more lines (Ctrl-E: $EDITOR)",
                    all.len() - shown
                )));
            }
            lines
        }
    }
}

/// How far the form is scrolled so the focused field stays in view.
fn form_scroll(model: &Model, items: &[FormItem], height: u16) -> u16 {
    let Focus::Field(field) = model.focus else {
        return 0;
    };
    let Some(item) = items.iter().find(|i| i.field == field) else {
        return 0;
    };
    let bottom = item.top + item.height;
    if bottom > height {
        // Keep the field's top in view when it is taller than the pane.
        (bottom - height).min(item.top)
    } else {
        0
    }
}

fn draw_form(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let focused = matches!(model.focus, Focus::Field(_)) && model.overlay.is_none();
    let title = match model.subject_label() {
        Some(label) => format!(" {} ", clean(&label)),
        None => " No integration ".into(),
    };
    let body = pane(frame, area, title, focused, theme);
    if model.subject_label().is_none() {
        frame.render_widget(
            Paragraph::new("This bot has no integrations yet. Press Ctrl-N to add a LivePerson Agent Escalation integration.")
                .wrap(Wrap { trim: true }),
            body,
        );
        return;
    }
    let items = form_items(model, body.width);
    let scroll = form_scroll(model, &items, body.height);
    for item in &items {
        for (i, line) in item.lines.iter().enumerate() {
            let y = item.top + i as u16;
            if y < scroll || y - scroll >= body.height {
                continue;
            }
            let row = Rect::new(body.x, body.y + y - scroll, body.width, 1);
            put_line(frame, line, row);
        }
        draw_editor(model, frame, body, item, scroll);
    }
}

/// Draws the text editor over the value it edits, and puts the terminal cursor at its caret.
fn draw_editor(model: &Model, frame: &mut Frame, body: Rect, item: &FormItem, scroll: u16) {
    let Some(editing) = &model.editing else {
        return;
    };
    let (mut dx, mut dy) = item.value_at;
    let (mut w, h) = item.value_size;
    match editing.target {
        EditTarget::Field(f) if f == item.field => {}
        EditTarget::Cell { row, column } if item.field == Field::CustomData => {
            let key_width = (w / 3).max(6);
            dy += 1 + row as u16;
            if column == 1 {
                dx += key_width + 3;
                w = w.saturating_sub(key_width + 3);
            } else {
                w = key_width;
            }
        }
        _ => return,
    }
    let top = item.top + dy;
    if top < scroll {
        return;
    }
    let y = body.y + top - scroll;
    let height = if matches!(editing.target, EditTarget::Cell { .. }) {
        1
    } else {
        h
    };
    let bottom = body.bottom();
    if y >= bottom {
        return;
    }
    let rect = Rect::new(
        body.x + dx,
        y,
        w.min(body.width.saturating_sub(dx)),
        height.min(bottom - y),
    );
    frame.render_widget(Clear, rect);
    frame.render_widget(&editing.area, rect);
    scrub_hidden(frame.buffer_mut(), rect);
    let cursor = editing.area.screen_cursor();
    let (top_row, left_col) = editing.area.scroll_offset();
    let cx = rect.x + (cursor.col as u16).saturating_sub(left_col);
    let cy = rect.y + (cursor.row as u16).saturating_sub(top_row);
    if rect.contains(Position::new(cx, cy)) || cx == rect.right() {
        frame.set_cursor_position(Position::new(cx.min(rect.right().saturating_sub(1)), cy));
    }
}

/// The transfer body the preview shows, as text (`None` for other integration types).
pub fn preview_body_text(model: &Model) -> Option<String> {
    let escalation = model.current_escalation()?;
    let body = match model.preview_mode {
        PreviewMode::Configured => transfer::body_of(escalation),
        PreviewMode::Evaluated => {
            let context = transfer::preview_context(&model.doc, &model.sidecar.context);
            transfer::evaluated_body_of(escalation, &context)
        }
    };
    serde_json::to_string_pretty(&body).ok()
}

/// The selected Agent Transfer interaction's delay: messages before it, ms per message and
/// the recommended total.
pub fn transfer_delay(model: &Model) -> Option<(u32, u64, u64)> {
    if !model.checked {
        return None;
    }
    let transfer = model.current_transfer()?;
    let interaction = transfer.as_interaction(model.facts.index.all())?;
    let messages = model.facts.index.messages_before(interaction);
    let per = model.sidecar.per_message_ms();
    Some((
        messages,
        per,
        crate::runtime::delay::recommended_ms(messages, per),
    ))
}

/// The delay lines of an Agent Transfer interaction.
fn transfer_delay_lines(model: &Model, theme: &Theme) -> Vec<Line<'static>> {
    let Some((messages, per, recommended)) = transfer_delay(model) else {
        return Vec::new();
    };
    let configured = model.current_transfer().and_then(|t| t.delay_ms);
    let noun = if messages == 1 { "message" } else { "messages" };
    let needed = crate::runtime::delay::needed_ms(messages, per);
    let mut lines = vec![Line::raw(if needed > recommended {
        format!("{messages} {noun} × {per} ms = {needed} ms, at most {recommended} ms")
    } else {
        format!("{messages} {noun} × {per} ms = {recommended} ms")
    })];
    lines.push(Line::styled(
        match configured {
            Some(ms) => format!("  the interaction has {ms} ms"),
            None => "  the interaction has no delay".into(),
        },
        theme.dim(),
    ));
    if configured.unwrap_or(0) < recommended {
        lines.push(Line::styled(
            format!("  ! below the recommended {recommended} ms (Ctrl-D applies it)"),
            theme.severity(Severity::Warning),
        ));
    }
    lines
}

fn json_line(line: &str, theme: &Theme) -> Line<'static> {
    let indent = line.len() - line.trim_start().len();
    let rest = line.trim_start();
    let mut spans = vec![Span::raw(" ".repeat(indent))];
    if let Some((key, value)) = rest.split_once("\": ").filter(|_| rest.starts_with('"')) {
        spans.push(Span::styled(
            format!("{}\":", clean(key)),
            theme.fg(Color::Blue),
        ));
        spans.push(Span::raw(" "));
        let style = if value.starts_with('"') {
            theme.fg(Color::Green)
        } else {
            theme.fg(Color::Magenta)
        };
        spans.push(Span::styled(clean(value), style));
    } else {
        spans.push(Span::raw(clean(rest)));
    }
    Line::from(spans)
}

fn preview_lines(model: &Model, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let bold = Style::new().add_modifier(Modifier::BOLD);
    if model.subject_label().is_none() {
        lines.push(Line::raw("Nothing to preview."));
        return with_bot_diagnostics(model, lines, theme);
    }
    if let Some(body) = preview_body_text(model) {
        let mode = match model.preview_mode {
            PreviewMode::Configured => "configured",
            PreviewMode::Evaluated => "evaluated",
        };
        lines.push(Line::styled("Interaction delay", bold));
        if !model.checked {
            lines.push(Line::styled(
                "counting the messages before it…",
                theme.dim(),
            ));
        }
        lines.extend(transfer_delay_lines(model, theme));
        let plans = match model.current() {
            Some(current) if model.checked => model.facts.index.plans(current, &model.sidecar),
            _ => Vec::new(),
        };
        for plan in plans {
            lines.push(Line::raw(plan.formula()));
            let now = match (&plan.interaction, plan.configured_ms) {
                (Some((_, name, dialog)), Some(ms)) => {
                    format!("  \"{}\" ({}) has {ms} ms", clean(name), clean(dialog))
                }
                (Some((_, name, dialog)), None) => {
                    format!("  \"{}\" ({}) has no delay", clean(name), clean(dialog))
                }
                (None, _) => "  no interaction runs it yet (count entered by hand)".into(),
            };
            lines.push(Line::styled(now, theme.dim()));
            if plan.is_short() && plan.source == CountSource::Dialog {
                lines.push(Line::styled(
                    format!("  ! below the recommended {} ms", plan.recommended_ms),
                    theme.severity(Severity::Warning),
                ));
            }
        }
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled(format!("Transfer body ({mode})"), bold),
            Span::styled("  Ctrl-T toggles", theme.dim()),
        ]));
        lines.extend(body.lines().map(|l| json_line(l, theme)));
    } else if let Some(current) = model.current() {
        lines.push(Line::raw(format!(
            "No transfer body: \"{}\" is a {} integration.",
            clean(&current.name),
            clean(current.kind.label())
        )));
    }
    lines.extend(script_lines(model, theme));
    lines.push(Line::default());
    let own = model.subject_diagnostics();
    if !model.checked {
        lines.push(Line::styled("Diagnostics: checking…", bold));
        return lines;
    }
    lines.push(Line::styled(format!("Diagnostics ({})", own.len()), bold));
    if own.is_empty() {
        lines.push(Line::styled("✓ no problems", theme.fg(Color::Green)));
    }
    for d in own {
        lines.extend(diagnostic_lines(d, theme));
    }
    with_bot_diagnostics(model, lines, theme)
}

/// The Transform Result Script's run on the sample result: variables, debug messages, its
/// error, and each custom data field evaluated.
fn script_lines(model: &Model, theme: &Theme) -> Vec<Line<'static>> {
    let Some(current) = model.current() else {
        return Vec::new();
    };
    if current.transform_script.trim().is_empty() && current.custom_data.is_empty() {
        return Vec::new();
    }
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut lines = vec![Line::default(), Line::styled("Script run", bold)];
    let Some((_, run)) = &model.script_run else {
        let waiting = model.script_running.is_some() || model.script_wanted.is_some();
        lines.push(Line::styled(
            if waiting {
                "  running the script on the sample result…"
            } else {
                "  no sample result yet: F9 to paste one"
            },
            theme.dim(),
        ));
        return lines;
    };
    for v in &run.variables {
        lines.push(Line::raw(format!(
            "  set {} = {}",
            clean(&v.name),
            clean(&v.value.to_string())
        )));
    }
    for m in &run.debug_messages {
        lines.push(Line::styled(format!("  debug: {}", clean(m)), theme.dim()));
    }
    if let Some(e) = &run.error {
        lines.push(Line::styled(
            format!("  ✗ line {}:{}: {}", e.line, e.column, clean(&e.message)),
            theme.severity(Severity::Error),
        ));
    }
    for row in &current.custom_data {
        let shown = match crate::runtime::script::evaluate_path(&row.value, &run.result) {
            Ok(v) => format!("  {} = {}", clean(&row.key), clean(&v.to_string())),
            Err(e) => format!("  {}: {}", clean(&row.key), clean(&e)),
        };
        lines.push(Line::raw(shown));
    }
    lines
}

fn with_bot_diagnostics(
    model: &Model,
    mut lines: Vec<Line<'static>>,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let bot = &model.report.bot;
    if !bot.is_empty() {
        lines.push(Line::default());
        lines.push(Line::styled(
            "Bot",
            Style::new().add_modifier(Modifier::BOLD),
        ));
        for d in bot {
            lines.extend(diagnostic_lines(d, theme));
        }
    }
    lines
}

fn diagnostic_lines(d: &Diagnostic, theme: &Theme) -> Vec<Line<'static>> {
    let field = d
        .field
        .map_or(String::new(), |f| format!("{}: ", f.label()));
    vec![
        Line::styled(
            format!("{} {}{}", d.severity.symbol(), field, clean(&d.message)),
            theme.severity(d.severity),
        ),
        Line::styled(format!("  fix: {}", clean(&d.fix)), theme.dim()),
    ]
}

/// The Simulate tab: the scenario's toggles and the timeline.
fn simulation_lines(model: &Model, theme: &Theme) -> Vec<Line<'static>> {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let Some(setup) = model.simulation_setup() else {
        return vec![Line::raw(
            "Only LivePerson Agent Escalation integrations and Agent Transfer interactions can be simulated.",
        )];
    };
    let sc = &model.scenario;
    let on = |b: bool| if b { "on" } else { "off" };
    let dialog = match sc.failure_dialog {
        None => format!(
            "as the bot has it ({})",
            if setup.failure_dialog.is_some() {
                "yes"
            } else {
                "no"
            }
        ),
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled("Simulation", bold),
            Span::styled("  F3 back to the body", theme.dim()),
        ]),
        Line::raw(format!(
            "F5 dropped request: {}   F6 agent unavailable: {}",
            on(sc.dropped),
            on(sc.agent_unavailable)
        )),
        Line::raw(format!(
            "F7 failed attempts: {}   F8 failure dialog: {dialog}",
            sc.failures
        )),
        Line::default(),
    ];
    let timeline = crate::runtime::simulate::simulate(&setup, sc);
    for event in &timeline.events {
        lines.push(Line::from(vec![
            Span::styled(format!("{:>7} ms ", event.at_ms), theme.dim()),
            Span::raw(clean(&event.text)),
        ]));
    }
    lines.push(Line::default());
    let outcome = match &timeline.outcome {
        crate::runtime::simulate::Outcome::Transferred { to } => format!("✓ transferred to {to}"),
        crate::runtime::simulate::Outcome::NotNumeric => {
            "✗ no transfer: the skill id is not numeric".into()
        }
        crate::runtime::simulate::Outcome::Stopped { .. } => {
            "✗ escalation stopped after 4 failed attempts".into()
        }
        crate::runtime::simulate::Outcome::Failed => {
            "! the transfer failed; the bot answered the failure".into()
        }
    };
    lines.push(Line::styled(clean(&outcome), bold));
    lines
}

fn draw_preview(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let (mut lines, title) = match model.preview_tab {
        PreviewTab::Body => (preview_lines(model, theme), " Preview · F3 simulate "),
        PreviewTab::Simulate => (simulation_lines(model, theme), " Simulate · F3 body "),
    };
    // Every line takes at least a row: lines past the scroll and the pane's height are not
    // seen, and wrapping them would only cost time.
    lines.truncate(usize::from(model.preview_scroll) + usize::from(area.height));
    draw_border(frame.buffer_mut(), area, title, Style::default());
    draw_wrapped(
        frame,
        &model.wrapped,
        &lines,
        inner(area),
        model.preview_scroll,
    );
}

/// Draws `lines` as a paragraph wrapped at words and scrolled by `scroll` rows would. Lines
/// that fit are drawn as lines; only the ones that need it go through the paragraph's
/// wrapping, which costs more than the rest of the frame.
fn draw_wrapped(frame: &mut Frame, cache: &WrapCache, lines: &[Line], body: Rect, scroll: u16) {
    let mut skip = usize::from(scroll);
    let mut y = body.y;
    for line in lines {
        if y >= body.bottom() {
            break;
        }
        let cut;
        let line = if line_chars(line) > LONGEST_SHOWN {
            cut = cut_long(line);
            &cut
        } else {
            line
        };
        if line_width(line) <= usize::from(body.width) {
            if skip > 0 {
                skip -= 1;
            } else {
                put_spans(
                    frame.buffer_mut(),
                    line,
                    Rect::new(body.x, y, body.width, 1),
                );
                y += 1;
            }
            continue;
        }
        let key = line_key(line, body.width);
        let total = wrapped_count(cache, key, line, body.width);
        if skip >= total {
            skip -= total;
            continue;
        }
        let left = usize::from(body.bottom() - y);
        let wrapped = wrapped_rows(cache, key, line, body.width, skip + left);
        let rows = usize::from(wrapped.area.height);
        let shown = rows.saturating_sub(skip).min(left);
        let buf = frame.buffer_mut();
        for row in 0..shown {
            let from = (skip + row) * usize::from(body.width);
            let cells = &wrapped.content[from..from + usize::from(body.width)];
            let at = buf.index_of(body.x, y);
            buf.content[at..at + cells.len()].clone_from_slice(cells);
            y += 1;
        }
        skip = 0;
    }
}

/// The most characters of one line the preview wraps and shows: a value of a megabyte is
/// shown in part, with how much more there is, so that typing in it stays light.
const LONGEST_SHOWN: usize = 32 * 1024;

fn line_chars(line: &Line) -> usize {
    line.spans.iter().map(|s| s.content.chars().count()).sum()
}

/// `line` cut at [`LONGEST_SHOWN`] characters, with a note of what is left out.
fn cut_long<'a>(line: &Line<'a>) -> Line<'a> {
    let more = line_chars(line) - LONGEST_SHOWN;
    let mut cut = line_prefix(line, LONGEST_SHOWN);
    cut.spans.push(Span::styled(
        format!("… ({more} more characters not shown)"),
        Style::new().add_modifier(Modifier::DIM),
    ));
    cut
}

/// The cache key of `line` wrapped at `width`.
fn line_key(line: &Line, width: u16) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    line.hash(&mut hasher);
    width.hash(&mut hasher);
    hasher.finish()
}

/// How many rows `line` wraps into at `width` (counted once per line and width, and kept).
fn wrapped_count(cache: &WrapCache, key: u64, line: &Line, width: u16) -> usize {
    let mut counts = cache.counts.borrow_mut();
    if let Some(count) = counts.get(&key) {
        return *count;
    }
    let count = Paragraph::new(line.clone())
        .wrap(Wrap { trim: false })
        .line_count(width);
    if counts.len() >= 4096 {
        counts.clear();
    }
    counts.insert(key, count);
    count
}

/// The first `need` rows (at least) that `line` wraps into at `width`, drawn by a wrapping
/// paragraph and kept while small: the preview's long lines are the same from one keystroke
/// to the next. A long line (a 1 MB message) is drawn only as far as the rows asked for, from
/// a prefix of it: its first rows do not depend on text past them and a word's worth more.
fn wrapped_rows(
    cache: &WrapCache,
    key: u64,
    line: &Line,
    width: u16,
    need: usize,
) -> std::sync::Arc<Buffer> {
    let mut kept = cache.rows.borrow_mut();
    if let Some(rows) = kept.get(&key)
        && usize::from(rows.area.height) >= need.min(cache_rows_total(&cache.counts, key))
    {
        return std::sync::Arc::clone(rows);
    }
    // Enough text for `need` rows and two more: each row holds at most `width` cells.
    let budget = (need + 2).saturating_mul(usize::from(width));
    let prefix = line_prefix(line, budget);
    let paragraph = Paragraph::new(prefix).wrap(Wrap { trim: false });
    let height = paragraph.line_count(width).min(need + 2);
    let height = u16::try_from(height).unwrap_or(u16::MAX);
    let mut rows = Buffer::empty(Rect::new(0, 0, width, height));
    paragraph.render(rows.area, &mut rows);
    let rows = std::sync::Arc::new(rows);
    let cells = rows.content.len();
    let mut held = cache.cells.borrow_mut();
    if kept.len() >= 512 || *held + cells > WrapCache::MAX_CELLS {
        kept.clear();
        *held = 0;
    }
    if cells <= WrapCache::MAX_CELLS / 4 {
        kept.insert(key, std::sync::Arc::clone(&rows));
        *held += cells;
    }
    rows
}

/// The total rows counted for `key`, or none known.
fn cache_rows_total(counts: &std::cell::RefCell<HashMap<u64, usize>>, key: u64) -> usize {
    counts.borrow().get(&key).copied().unwrap_or(usize::MAX)
}

/// `line` cut after about `chars` characters (the whole line when shorter), styles kept.
fn line_prefix<'a>(line: &Line<'a>, chars: usize) -> Line<'a> {
    let mut left = chars;
    let mut spans = Vec::new();
    for span in &line.spans {
        if left == 0 {
            break;
        }
        let count = span.content.chars().count();
        if count <= left {
            spans.push(span.clone());
            left -= count;
        } else {
            let cut: String = span.content.chars().take(left).collect();
            spans.push(Span::styled(cut, span.style));
            left = 0;
        }
    }
    let mut prefix = Line::from(spans).style(line.style);
    prefix.alignment = line.alignment;
    prefix
}

/// Lines already wrapped, by line and width (see [`wrapped_rows`]), and their row counts;
/// bounded in cells so that a long field never holds more than a few megabytes here.
#[derive(Default)]
pub struct WrapCache {
    rows: std::cell::RefCell<HashMap<u64, std::sync::Arc<Buffer>>>,
    counts: std::cell::RefCell<HashMap<u64, usize>>,
    cells: std::cell::RefCell<usize>,
}

impl WrapCache {
    /// At most this many cells kept (about 2.5 MB).
    const MAX_CELLS: usize = 64 * 1024;
}

/// Whether `c` is a grapheme of its own, one cell wide: printable ASCII and the symbols the
/// editor draws with.
fn one_cell(c: char) -> bool {
    matches!(
        c,
        ' '..='~'
            | '·'
            | '×'
            | '…'
            | '‹'
            | '›'
            | '←'..='↔'
            | '↳'
            | '─'
            | '│'
            | '┌'
            | '┐'
            | '└'
            | '┘'
            | '▶'
            | '▸'
            | '✓'
            | '✗'
    )
}

/// A line's width in cells; see [`one_cell`] for what is counted without segmenting it.
fn line_width(line: &Line) -> usize {
    line.spans
        .iter()
        .map(|s| {
            if s.content.chars().all(one_cell) {
                s.content.chars().count()
            } else {
                s.width()
            }
        })
        .sum()
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
    for (keys, description) in keymap::footer(model.context()) {
        spans.push(Span::styled(
            keys,
            Style::new().add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::styled(format!(" {description}  "), theme.dim()));
    }
    put_line(frame, &Line::from(spans), area);
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn draw_question(frame: &mut Frame, area: Rect, title: &str, question: &str, choices: &str) {
    let text = vec![
        Line::raw(question.to_string()),
        Line::default(),
        Line::raw(choices.to_string()),
    ];
    let paragraph = Paragraph::new(text).wrap(Wrap { trim: true });
    // Tall enough for the question as wrapped, so the choices always show.
    let width = 84.min(area.width);
    let rows = paragraph.line_count(width.saturating_sub(2)) + 2;
    let rect = centered(area, 84, u16::try_from(rows).unwrap_or(u16::MAX).max(7));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        paragraph.block(Block::bordered().title(title.to_string())),
        rect,
    );
}

/// "3 minutes ago", from seconds since 1970.
fn age(written_at: u64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    match now.saturating_sub(written_at) {
        s if s < 60 => "less than a minute ago".into(),
        s if s < 3600 => plural(usize::try_from(s / 60).unwrap_or(0), "minute") + " ago",
        s if s < 86400 => plural(usize::try_from(s / 3600).unwrap_or(0), "hour") + " ago",
        s => plural(usize::try_from(s / 86400).unwrap_or(0), "day") + " ago",
    }
}

/// Shows every hidden character (see [`crate::export::shown::is_hidden`]) that a text input drew into
/// `rect` as `�`: the input keeps the text as typed or pasted, the terminal never gets them.
fn scrub_hidden(buf: &mut Buffer, rect: Rect) {
    let rect = rect.intersection(buf.area);
    for y in rect.top()..rect.bottom() {
        for x in rect.left()..rect.right() {
            let Some(cell) = buf.cell_mut((x, y)) else {
                continue;
            };
            if cell.symbol().chars().any(crate::export::shown::is_hidden) {
                let kept: String = cell
                    .symbol()
                    .chars()
                    .filter(|c| !crate::export::shown::is_hidden(*c))
                    .collect();
                cell.set_symbol(if kept.is_empty() { "\u{fffd}" } else { &kept });
            }
        }
    }
}

fn draw_save_as(model: &Model, frame: &mut Frame, area: Rect) {
    draw_line_input(
        model,
        frame,
        area,
        " Save as (Enter saves, Esc cancels) ",
        "A new file name (an existing file is not overwritten):",
    );
}

/// A one-line question with a text input (save as, the failure dialog's apology).
fn draw_line_input(model: &Model, frame: &mut Frame, area: Rect, title: &str, prompt: &str) {
    let rect = centered(area, 84, 5);
    frame.render_widget(Clear, rect);
    let block = Block::bordered().title(title.to_string());
    let inside = block.inner(rect);
    frame.render_widget(block, rect);
    frame.render_widget(
        Paragraph::new(prompt.to_string()),
        Rect {
            height: 1,
            ..inside
        },
    );
    if let Some(input) = &model.save_as {
        let field = Rect::new(inside.x, inside.y + 2, inside.width, 1);
        frame.render_widget(input, field);
        scrub_hidden(frame.buffer_mut(), field);
        let cursor = input.screen_cursor();
        let (_, left) = input.scroll_offset();
        let x = field.x + (cursor.col as u16).saturating_sub(left);
        frame.set_cursor_position(Position::new(
            x.min(field.right().saturating_sub(1)),
            field.y,
        ));
    }
}

fn draw_sample_context(model: &Model, frame: &mut Frame, area: Rect) {
    draw_text_box(
        model,
        frame,
        area,
        " Sample values (Esc when done) ",
        "One variable a line, e.g. skillId=12, slot.city=Paris, env.region=eu:",
    );
}

/// A box with a multi-line text input (sample values, sample result).
fn draw_text_box(model: &Model, frame: &mut Frame, area: Rect, title: &str, prompt: &str) {
    let rect = centered(area, 76, area.height.saturating_sub(4).clamp(8, 24));
    frame.render_widget(Clear, rect);
    let block = Block::bordered().title(title.to_string());
    let inside = block.inner(rect);
    frame.render_widget(block, rect);
    frame.render_widget(
        Paragraph::new(prompt.to_string()).wrap(Wrap { trim: true }),
        Rect {
            height: 2,
            ..inside
        },
    );
    if let Some(input) = &model.save_as {
        let field = Rect::new(
            inside.x,
            inside.y + 2,
            inside.width,
            inside.height.saturating_sub(2),
        );
        frame.render_widget(input, field);
        scrub_hidden(frame.buffer_mut(), field);
        let cursor = input.screen_cursor();
        let (top, left) = input.scroll_offset();
        let x = field.x + (cursor.col as u16).saturating_sub(left);
        let y = field.y + (cursor.row as u16).saturating_sub(top);
        if y < field.bottom() {
            frame.set_cursor_position(Position::new(x.min(field.right().saturating_sub(1)), y));
        }
    }
}

fn draw_diff(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let rect = centered(
        area,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    );
    frame.render_widget(Clear, rect);
    let lines: Vec<Line> = model
        .diff
        .iter()
        .map(|l| {
            let style = match l.as_bytes().first() {
                Some(b'+') => theme.fg(Color::Green),
                Some(b'-') => theme.fg(Color::Red),
                _ => theme.dim(),
            };
            Line::styled(clean(l), style)
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).scroll((model.diff_scroll, 0)).block(
            Block::bordered().title(" - on disk   + unsaved edits   (Esc back, ↑↓ scroll) "),
        ),
        rect,
    );
}

fn draw_select(frame: &mut Frame, area: Rect, choice: usize, theme: &Theme) {
    let rect = centered(area, 40, IntegrationKind::CHOICES.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    let lines: Vec<Line> = IntegrationKind::CHOICES
        .iter()
        .enumerate()
        .map(|(i, k)| {
            if i == choice {
                Line::styled(format!("▸ {}", k.label()), theme.focus())
            } else {
                Line::raw(format!("  {}", k.label()))
            }
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Integration Type ")),
        rect,
    );
}

fn draw_help(model: &Model, frame: &mut Frame, area: Rect) {
    let rect = centered(
        area,
        area.width.saturating_sub(8).min(76),
        area.height.saturating_sub(4),
    );
    frame.render_widget(Clear, rect);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut lines = Vec::new();
    for (context, bindings) in keymap::help_sections() {
        lines.push(Line::styled(context.title(), bold));
        for b in bindings {
            lines.push(Line::raw(format!("  {:<11} {}", b.keys, b.description)));
        }
        lines.push(Line::default());
    }
    frame.render_widget(
        Paragraph::new(lines).scroll((model.help_scroll, 0)).block(
            Block::new()
                .borders(Borders::ALL)
                .title(" Keys (Esc closes, ↑↓ scroll) "),
        ),
        rect,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A buffer with something in it already, as a frame has when a pane is drawn.
    fn scribbled(area: Rect) -> Buffer {
        let mut buf = Buffer::empty(area);
        for y in area.top()..area.bottom() {
            buf.set_string(
                area.x,
                y,
                "x".repeat(usize::from(area.width)),
                Style::new().fg(Color::Red),
            );
        }
        buf
    }

    #[test]
    fn panes_draw_exactly_what_a_bordered_block_draws() {
        let styles = [
            Style::new(),
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
        ];
        let titles = [
            "",
            " Integrations (3) ",
            " a title longer than the pane is wide ",
            " Grüße 你好 ",
        ];
        for (w, h) in [(30, 8), (12, 3), (2, 2), (1, 5), (40, 1), (3, 3)] {
            let area = Rect::new(2, 1, w, h);
            for style in styles {
                for title in titles {
                    let mut ours = scribbled(Rect::new(0, 0, 44, 10));
                    let mut block = ours.clone();
                    draw_border(&mut ours, area, title, style);
                    Block::bordered()
                        .title(title)
                        .border_style(style)
                        .render(area, &mut block);
                    assert_eq!(ours, block, "{w}x{h} {title:?} {style:?}");
                }
            }
        }
    }

    #[test]
    fn wrapped_lines_draw_exactly_what_a_wrapping_paragraph_draws() {
        let lines = vec![
            Line::raw("{"),
            Line::raw(
                "  \"message\": \"Hold on while I connect you with an agent, it will not be long\",",
            ),
            Line::styled("Diagnostics (2)", Style::new().add_modifier(Modifier::BOLD)),
            Line::from(vec![
                Span::raw("✗ "),
                Span::styled(
                    "a long message in red that runs past the edge of the pane",
                    Style::new().fg(Color::Red),
                ),
            ]),
            Line::default(),
            Line::raw("averyveryverylongwordwithoutanyspacesthatmustbesplitsomewhere and more"),
            Line::raw("   leading spaces kept when wrapping is not trimmed at all, see"),
            Line::raw(
                "Grüße 你好 你好 你好 你好 你好 你好 你好 你好 你好 你好 wide characters wrapping",
            ),
            Line::raw("}"),
        ];
        for (width, height) in [(20, 6), (33, 12), (80, 4), (7, 30)] {
            for scroll in [0, 1, 2, 5, 9, 40] {
                let area = Rect::new(1, 1, width, height);
                let cache = WrapCache::default();
                // Twice: the second time from the rows kept the first time.
                for _ in 0..2 {
                    assert_wraps_like_a_paragraph(&cache, &lines, area, (90, 32), scroll);
                }
            }
        }
    }

    /// `draw_wrapped` into `area` of a terminal of `size` draws what a wrapping, scrolled
    /// paragraph draws, cell for cell.
    fn assert_wraps_like_a_paragraph(
        cache: &WrapCache,
        lines: &[Line],
        area: Rect,
        size: (u16, u16),
        scroll: u16,
    ) {
        let terminal =
            || ratatui::Terminal::new(ratatui::backend::TestBackend::new(size.0, size.1)).unwrap();
        let (mut ours, mut theirs) = (terminal(), terminal());
        ours.draw(|frame| draw_wrapped(frame, cache, lines, area, scroll))
            .unwrap();
        theirs
            .draw(|frame| {
                frame.render_widget(
                    Paragraph::new(lines.to_vec())
                        .wrap(Wrap { trim: false })
                        .scroll((scroll, 0)),
                    area,
                )
            })
            .unwrap();
        assert_eq!(
            ours.backend().buffer(),
            theirs.backend().buffer(),
            "{}x{} scrolled {scroll}",
            area.width,
            area.height
        );
    }

    #[test]
    fn a_very_long_line_draws_as_the_paragraph_does_and_keeps_little() {
        // Words of many lengths, one longer than a row, and wide characters.
        let mut text = String::new();
        for i in 0..2500 {
            let word = match i % 7 {
                0 => "a".to_string(),
                1 => "bb".repeat(i % 5 + 1),
                2 => "你好".to_string(),
                3 => "c".repeat(45),
                _ => format!("w{i}"),
            };
            text.push_str(&word);
            text.push(' ');
        }
        let lines = vec![Line::raw("{"), Line::raw(text), Line::raw("}")];
        let cache = WrapCache::default();
        for (width, height) in [(40, 20), (13, 7)] {
            for scroll in [0, 3, 250, 600] {
                let area = Rect::new(0, 0, width, height);
                assert_wraps_like_a_paragraph(&cache, &lines, area, (width, height), scroll);
            }
        }
        // A thousand different long lines (a keystroke each) keep the cache bounded.
        for n in 0..1000 {
            let line = vec![Line::raw(format!("{n} {}", "word ".repeat(2000)))];
            let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(40, 30)).unwrap();
            t.draw(|frame| draw_wrapped(frame, &cache, &line, Rect::new(0, 0, 40, 30), 0))
                .unwrap();
        }
        let held: usize = cache.rows.borrow().values().map(|b| b.content.len()).sum();
        assert!(held <= WrapCache::MAX_CELLS, "{held} cells kept");
        // A megabyte value shows its start and how much more there is.
        let huge = vec![Line::raw("x".repeat(1 << 20))];
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(40, 30)).unwrap();
        t.draw(|frame| draw_wrapped(frame, &cache, &huge, Rect::new(0, 0, 40, 30), 819))
            .unwrap();
        let shown = t.backend().to_string();
        assert!(shown.contains("1015808 more characters"), "{shown}");
    }

    #[test]
    fn lines_draw_exactly_what_the_line_widget_draws() {
        let lines = [
            Line::raw("plain text"),
            Line::styled("dim line", Style::new().add_modifier(Modifier::DIM)),
            Line::from(vec![
                Span::raw("▸"),
                Span::styled("✗", Style::new().fg(Color::Red)),
                Span::raw(" Grüße 你好 wide"),
            ]),
            Line::raw("a line much longer than the row it is drawn into, cut at the edge"),
            Line::raw("  ↳ ok · 3 × 2000 ms … ‹ › ← ↑ → ↓ ↔ ─│┌┐└┘ ▶ ✓"),
            Line::raw("e\u{301} combining, 🇫🇷 flag, 👍🏽 modifier"),
            Line::raw("centred").centered(),
        ];
        for line in &lines {
            for width in [0, 5, 20, 40] {
                let area = Rect::new(1, 2, width, 1);
                let whole = Rect::new(0, 0, 44, 4);
                let mut ours = scribbled(whole);
                let mut widget = ours.clone();
                let mut terminal =
                    ratatui::Terminal::new(ratatui::backend::TestBackend::new(44, 4)).unwrap();
                terminal
                    .draw(|frame| {
                        *frame.buffer_mut() = ours.clone();
                        put_line(frame, line, area);
                        ours = frame.buffer_mut().clone();
                    })
                    .unwrap();
                line.render(area, &mut widget);
                assert_eq!(ours, widget, "{line:?} in {width} columns");
            }
        }
    }

    #[test]
    fn control_characters_are_made_visible() {
        assert_eq!(clean("a\u{1b}]0;x\u{7}b"), "a\\u{1b}]0;x\\u{7}b");
        assert_eq!(clean("\u{202e}abc"), "\\u{202e}abc");
        assert_eq!(clean("\u{9b}"), "\\u{9b}");
        assert_eq!(clean("Grüße 你好"), "Grüße 你好");
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_splits_long_words() {
        assert_eq!(wrap_text("aaa bbb ccc", 8), ["aaa bbb", "ccc"]);
        assert_eq!(wrap_text("abcdefghijkl", 8), ["abcdefgh", "ijkl"]);
        assert_eq!(wrap_text("a\nb", 8), ["a", "b"]);
    }

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
