//! The form of the selected integration or Agent Transfer interaction: its fields laid out
//! with their labels, stars, help and diagnostics, drawn; and the commands and keys of the
//! focused field, typing in it and its Custom Data Fields table.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::{Handled, step_index};
use crate::bot::edit::Edit;
use crate::bot::integration::{CustomDataField, Field, IntegrationKind};
use crate::rules::Severity;
use crate::runtime::delay::{delays_edit, recommended_delays};
use crate::tui::draw::{clean, pane, put_line, scrub_hidden, truncate, wrap_text};
use crate::tui::frame::Hit;
use crate::tui::keymap::Command;
use crate::tui::model::{EditTarget, Editing, Effect, Focus, Model, Overlay};
use crate::tui::theme::Theme;
use ratatui_textarea::CursorMove;

/// Where a field's value starts in a wide form: after its label (the longest, "▶ Response
/// Data Variable Name *", and a space).
const LABEL_WIDTH: u16 = 33;

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
        let values = value_lines(model, field, focused, value_width, &theme);
        let value_height = match (editing, field) {
            (Some(e), f) if f.is_multiline() => (e.wrapped_rows(value_width) as u16).clamp(3, 8),
            (Some(e), Field::CustomData) if matches!(e.target, EditTarget::Cell { .. }) => {
                values.len().max(1) as u16
            }
            (Some(e), _) => (e.wrapped_rows(value_width) as u16).clamp(1, 6),
            _ => values.len().max(1) as u16,
        };
        let mut lines = label_and_value(field, focused, wide, values);
        let value_top = if wide { 0 } else { 1 };
        while (lines.len() as u16) < value_top + value_height {
            lines.push(Line::default());
        }
        let notes_width = usize::from(width.saturating_sub(6));
        if focused {
            let help = match (field, model.current()) {
                (Field::IntegrationType, Some(current)) => current.kind.help(),
                _ => field.help(),
            };
            for (i, chunk) in wrap_text(help, notes_width).into_iter().enumerate() {
                let lead = if i == 0 { "    ↳ " } else { "      " };
                lines.push(Line::styled(format!("{lead}{chunk}"), theme.dim()));
            }
        }
        lines.extend(field_diagnostics(model, field, notes_width, &theme));
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

/// A field's label (starred when required, marked when focused) and its value's lines: side
/// by side when the form is `wide`, else the value under the label.
fn label_and_value(
    field: Field,
    focused: bool,
    wide: bool,
    values: Vec<Line<'static>>,
) -> Vec<Line<'static>> {
    let star = if field.is_required() { " *" } else { "" };
    let marker = if focused { "▶ " } else { "  " };
    let label_style = if focused {
        Style::new().add_modifier(Modifier::BOLD)
    } else {
        Style::new()
    };
    let label = Span::styled(format!("{marker}{}{star}", field.label()), label_style);
    let indented = |indent: String, line: &Line<'static>| {
        let mut spans = vec![Span::raw(indent)];
        spans.extend(line.spans.clone());
        Line::from(spans)
    };
    let mut lines: Vec<Line<'static>> = Vec::new();
    if wide {
        let pad = usize::from(LABEL_WIDTH)
            .saturating_sub(label.content.chars().count())
            .max(1);
        let mut first = vec![label, Span::raw(" ".repeat(pad))];
        first.extend(values.first().cloned().unwrap_or_default().spans);
        lines.push(Line::from(first));
        let indent = " ".repeat(usize::from(LABEL_WIDTH));
        lines.extend(values.iter().skip(1).map(|l| indented(indent.clone(), l)));
    } else {
        lines.push(Line::from(label));
        lines.extend(values.iter().map(|l| indented("  ".into(), l)));
    }
    lines
}

/// What is being typed in `field` and not taken, then the rules' diagnostics of the field,
/// wrapped at `width`.
fn field_diagnostics(
    model: &Model,
    field: Field,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
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
    let mut lines = Vec::new();
    for (severity, message) in typed.into_iter().chain(checked) {
        for (i, chunk) in wrap_text(&message, width).into_iter().enumerate() {
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
    lines
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
        Field::CustomData => custom_data_lines(model, rows, focused, width, theme),
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
                    "… {} more ({}: $EDITOR)",
                    crate::tui::model::plural(all.len() - shown, "line"),
                    model.key(Command::OpenEditor)
                )));
            }
            lines
        }
    }
}

/// The Custom Data Fields table: a header, then a row a field, the selected cell marked.
fn custom_data_lines(
    model: &Model,
    rows: &[CustomDataField],
    focused: bool,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    if rows.is_empty() {
        let hint = if focused {
            "(none: Enter, then + to add a row)"
        } else {
            "(none)"
        };
        return vec![Line::styled(hint.to_string(), theme.dim())];
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

/// How far the form is scrolled so the focused field stays in view.
pub(crate) fn form_scroll(model: &Model, items: &[FormItem], height: u16) -> u16 {
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

pub(crate) fn draw_form(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let focused = matches!(model.focus, Focus::Field(_)) && model.overlay.is_none();
    let title = match model.subject_label() {
        Some(label) => format!(" {} ", clean(&label)),
        None => " No integration ".into(),
    };
    let hidden = !model.filter.is_empty() && model.row_of(model.selected_entry()).is_none();
    let title = if hidden { " No match ".into() } else { title };
    let body = pane(frame, area, title, focused, theme);
    if hidden {
        frame.render_widget(
            Paragraph::new(format!(
                "Nothing in the list matches \"{}\" (names, types, skill names and ids are searched). Esc clears the filter.",
                clean(&model.filter)
            ))
            .wrap(Wrap { trim: true }),
            body,
        );
        return;
    }
    if model.subject_label().is_none() {
        frame.render_widget(
            Paragraph::new(format!(
                "This bot has no integrations yet. Press {} to add a LivePerson Agent Escalation integration.",
                model.key(Command::AddIntegration)
            ))
                .wrap(Wrap { trim: true }),
            body,
        );
        return;
    }
    let items = form_items(model, body.width);
    let scroll = form_scroll(model, &items, body.height);
    let total = items.last().map_or(0, |i| i.top + i.height);
    // Fields out of view, above or below, are said on the pane's border.
    let marks = [
        (scroll > 0, area.y, " ↑ more above "),
        (
            total > scroll + body.height,
            area.bottom().saturating_sub(1),
            " ↓ more below ",
        ),
    ];
    for (shown, y, text) in marks {
        let width = text.chars().count() as u16;
        if shown && area.width > width + 4 {
            let at = Rect::new(area.right() - width - 2, y, width, 1);
            put_line(frame, &Line::styled(text, theme.dim()), at);
        }
    }
    let mut drawn = model.frame.drawn.borrow_mut();
    for item in &items {
        // Where the field is on screen, for a click: its rows in view.
        let first = item.top.max(scroll);
        let last = (item.top + item.height).min(scroll + body.height);
        if first < last {
            let rows = Rect::new(body.x, body.y + first - scroll, body.width, last - first);
            drawn.record(rows, Hit::Field(item.field));
        }
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
pub(crate) fn draw_editor(
    model: &Model,
    frame: &mut Frame,
    body: Rect,
    item: &FormItem,
    scroll: u16,
) {
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

pub(crate) fn type_choice(kind: &IntegrationKind) -> usize {
    IntegrationKind::CHOICES
        .iter()
        .position(|k| k == kind)
        .unwrap_or(0)
}

/// Tab order: the list, then every field of the form.
pub(crate) fn move_focus(model: &mut Model, step: isize) {
    stop_editing(model);
    model.table_active = false;
    let fields = model.fields();
    if fields.is_empty() {
        model.focus = Focus::List;
        return;
    }
    let stops = fields.len() as isize + 1;
    let at = match model.focus {
        Focus::List => 0,
        Focus::Field(f) => fields
            .iter()
            .position(|x| *x == f)
            .map_or(0, |p| p as isize + 1),
    };
    let next = (at + step).rem_euclid(stops);
    model.focus = if next == 0 {
        Focus::List
    } else {
        Focus::Field(fields[next as usize - 1])
    };
}

/// Enter on a focused field (not typing in it): type in it, tick it, choose its type, enter
/// the table or edit the table's cell.
fn activate_field(model: &mut Model, field: Field) {
    // With the bot's account kept, a skill or an agent is picked from it.
    if super::account::open_picker(model, field) {
        return;
    }
    if model.current_transfer().is_some() {
        if field == Field::TransferBotContext {
            toggle_checkbox(model);
        } else {
            let text = model.field_value(field);
            start_editing(model, EditTarget::Field(field), &text);
        }
        return;
    }
    let Some(current) = model.current().cloned() else {
        model.status = format!(
            "No integration yet: press {} to add a LivePerson Agent Escalation",
            model.key(Command::AddIntegration)
        );
        return;
    };
    match field {
        Field::TransferBotContext => toggle_checkbox(model),
        Field::IntegrationType => {
            model.overlay = Some(Overlay::SelectType(type_choice(&current.kind)));
        }
        Field::CustomData if !model.table_active => {
            model.table_active = true;
            model.table_row = model
                .table_row
                .min(current.custom_data.len().saturating_sub(1));
            if current.custom_data.is_empty() {
                model.status = "No rows yet: press + to add one".into();
            }
        }
        Field::CustomData => {
            if let Some(row) = current.custom_data.get(model.table_row) {
                let text = if model.table_column == 0 {
                    &row.key
                } else {
                    &row.value
                };
                let target = EditTarget::Cell {
                    row: model.table_row,
                    column: model.table_column,
                };
                start_editing(model, target, &text.clone());
            }
        }
        field => {
            let text = current.value(field);
            start_editing(model, EditTarget::Field(field), &text);
        }
    }
}

/// The commands of the field being typed in: the first to get a command.
pub(crate) fn editing_command(model: &mut Model, command: Command) -> Handled {
    let Some(editing) = model.editing.as_mut() else {
        return Handled::NotConsumed;
    };
    match command {
        Command::Activate if editing.is_multiline() => {
            editing.area.insert_newline();
            apply_editing(model);
        }
        Command::Activate | Command::Leave => stop_editing(model),
        Command::Undo | Command::Redo => {
            let changed = if command == Command::Undo {
                editing.area.undo()
            } else {
                editing.area.redo()
            };
            if changed {
                apply_editing(model);
            }
        }
        Command::LineStart => editing.area.move_cursor(CursorMove::Head),
        Command::LineEnd => editing.area.move_cursor(CursorMove::End),
        Command::DeleteToStart | Command::DeleteToEnd | Command::DeleteWord => {
            let changed = match command {
                Command::DeleteToStart => editing.area.delete_line_by_head(),
                Command::DeleteToEnd => editing.area.delete_line_by_end(),
                _ => editing.area.delete_word(),
            };
            if changed {
                apply_editing(model);
            }
        }
        Command::NextField | Command::PrevField
            if matches!(editing.target, EditTarget::Cell { .. }) =>
        {
            next_cell(model, if command == Command::NextField { 1 } else { -1 });
        }
        _ => return Handled::NotConsumed,
    }
    Handled::DONE
}

/// Tab in the Custom Data Fields table: key, value, the next row's key; past the last cell
/// (or before the first), out to the next (previous) field. Typing in a cell goes on in the
/// next one.
pub(crate) fn next_cell(model: &mut Model, step: isize) {
    let typing = model.editing.is_some();
    stop_editing(model);
    let rows = custom_rows(model).len();
    let at = (model.table_row * 2 + model.table_column) as isize + step;
    if at < 0 || at >= (rows * 2) as isize {
        model.table_active = false;
        move_focus(model, step);
        return;
    }
    model.table_row = at as usize / 2;
    model.table_column = at as usize % 2;
    if typing {
        activate_field(model, Field::CustomData);
    }
}

/// The form's commands when one of its fields has the focus.
pub(crate) fn command(model: &mut Model, command: Command) -> Handled {
    use Command as C;
    let Focus::Field(field) = model.focus else {
        return Handled::NotConsumed;
    };
    match command {
        C::Up | C::Down if model.table_active => {
            let step = if command == C::Up { -1 } else { 1 };
            model.table_row = step_index(model.table_row, step, custom_rows(model).len());
        }
        C::Left | C::Right => {
            let step = if command == C::Left { -1 } else { 1 };
            if model.table_active {
                model.table_column = if step < 0 { 0 } else { 1 };
            } else if field == Field::IntegrationType
                && let Some(current) = model.current()
            {
                let at = type_choice(&current.kind);
                let next = step_index(at, step, IntegrationKind::CHOICES.len());
                if next != at {
                    super::pickers::change_type(model, next);
                }
            }
        }
        C::Activate => activate_field(model, field),
        C::Toggle if field == Field::TransferBotContext => toggle_checkbox(model),
        C::Leave if model.table_active => model.table_active = false,
        C::NextField | C::PrevField if model.table_active => {
            next_cell(model, if command == C::NextField { 1 } else { -1 });
        }
        C::AddRow | C::RemoveRow | C::MoveRowUp | C::MoveRowDown => table_command(model, command),
        _ => return Handled::NotConsumed,
    }
    Handled::DONE
}

/// Adding, removing and moving rows of the Custom Data Fields table.
fn table_command(model: &mut Model, command: Command) {
    let mut rows = custom_rows(model);
    let row = model.table_row;
    match command {
        Command::AddRow => {
            let at = if rows.is_empty() { 0 } else { row + 1 };
            rows.insert(at, CustomDataField::default());
            write_rows(model, &rows);
            model.table_row = at;
            model.table_column = 0;
            start_editing(model, EditTarget::Cell { row: at, column: 0 }, "");
        }
        Command::RemoveRow if row < rows.len() => {
            rows.remove(row);
            write_rows(model, &rows);
            model.table_row = row.min(rows.len().saturating_sub(1));
        }
        Command::MoveRowUp | Command::MoveRowDown => {
            let other = if command == Command::MoveRowUp {
                row.checked_sub(1)
            } else {
                Some(row + 1)
            };
            if let Some(other) = other.filter(|o| *o < rows.len() && row < rows.len()) {
                rows.swap(row, other);
                write_rows(model, &rows);
                model.table_row = other;
            }
        }
        _ => {}
    }
}

/// Opens the focused long field (or the one being typed in) in `$EDITOR`.
pub(crate) fn open_editor(model: &mut Model) -> Option<Effect> {
    let field = match (&model.editing, model.focus) {
        (
            Some(Editing {
                target: EditTarget::Field(f),
                ..
            }),
            _,
        ) => Some(*f),
        (None, Focus::Field(f)) => Some(f),
        _ => None,
    };
    match field {
        Some(field) if field.is_multiline() && model.subject_label().is_some() => {
            stop_editing(model);
            let text = model.field_value(field);
            Some(Effect::OpenEditor { field, text })
        }
        _ => {
            model.status = format!(
                "{} opens Message to User or Transform Result Script in $EDITOR: focus one of them first",
                model.key(Command::OpenEditor)
            );
            None
        }
    }
}

/// Writes the recommended interaction delay: into the selected Agent Transfer interaction,
/// or into every Integration interaction that runs the selected escalation.
pub(crate) fn apply_delay(model: &mut Model) {
    if model.current_transfer().is_some() {
        let recommended = model.transfer_delay().map(|(_, _, r)| r).unwrap_or(0);
        let old = model.field_value(Field::InteractionDelay);
        if old == recommended.to_string() {
            model.status = format!("Interaction Delay is already the recommended {recommended} ms");
            return;
        }
        set_field(model, Field::InteractionDelay, &recommended.to_string());
        model.status = format!(
            "Interaction Delay: {} → {recommended} ms",
            if old.is_empty() { "none".into() } else { old }
        );
        return;
    }
    let Some(index) = model
        .current()
        .filter(|i| i.is_escalation())
        .map(|i| i.index)
    else {
        model.status = "Select a LivePerson Agent Escalation integration first".into();
        return;
    };
    let changes = recommended_delays(&model.doc, index, model.sidecar.per_message_ms());
    if !changes.is_empty()
        && let Err(e) = model.apply(delays_edit(&changes))
    {
        model.status = e.to_string();
        return;
    }
    model.status = if changes.is_empty() {
        "No Integration interaction runs it, or its delay is already the recommended one".into()
    } else {
        changes
            .iter()
            .map(|c| {
                format!(
                    "\"{}\": {} → {} ms",
                    c.name,
                    c.before.map_or("none".into(), |o| o.to_string()),
                    c.after
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
}

/// A key typed while a field is being edited: into the field, or (Up and Down in a one-line
/// field) to the next field or table row.
pub(crate) fn typed(model: &mut Model, key: KeyEvent) {
    if model.editing.is_none() && starts_typing(model, &key) {
        let Focus::Field(field) = model.focus else {
            return;
        };
        if field == Field::CustomData {
            activate_field(model, field);
        } else {
            // Typed, not picked: the text goes into the field as it is.
            let text = model.field_value(field);
            start_editing(model, EditTarget::Field(field), &text);
        }
    }
    let Some(editing) = model.editing.as_mut() else {
        return;
    };
    if !editing.is_multiline() && matches!(key.code, KeyCode::Up | KeyCode::Down) {
        let step = if key.code == KeyCode::Up { -1 } else { 1 };
        if let EditTarget::Cell { row, .. } = editing.target {
            // In the table, Up and Down move between rows.
            stop_editing(model);
            model.table_row = step_index(row, step, custom_rows(model).len());
        } else {
            move_focus(model, step);
        }
        return;
    }
    if editing.area.input(key) {
        apply_editing(model);
    }
}

/// Whether `key` is a character typed on a focused text field (or a cell of the table),
/// which starts typing in it.
pub(crate) fn starts_typing(model: &Model, key: &KeyEvent) -> bool {
    // A character, or Backspace / Delete, which start typing too (taking one out).
    let plain = !key.modifiers.intersects(
        ratatui::crossterm::event::KeyModifiers::CONTROL
            | ratatui::crossterm::event::KeyModifiers::ALT,
    );
    let printable = plain
        && (matches!(key.code, KeyCode::Char(c) if !c.is_control())
            || matches!(key.code, KeyCode::Backspace | KeyCode::Delete));
    let text_field = match model.focus {
        Focus::Field(Field::CustomData) => model.table_active && !custom_rows(model).is_empty(),
        Focus::Field(Field::IntegrationType | Field::TransferBotContext) => false,
        Focus::Field(_) => true,
        Focus::List => false,
    };
    printable && text_field && model.overlay.is_none() && model.subject_label().is_some()
}

/// Text pasted into the focused text field (starting to type in it when not yet).
pub(crate) fn paste(model: &mut Model, text: String) {
    if model.editing.is_none() {
        match model.focus {
            Focus::Field(field)
                if !matches!(
                    field,
                    Field::IntegrationType | Field::TransferBotContext | Field::CustomData
                ) =>
            {
                if model.subject_label().is_some() {
                    let value = model.field_value(field);
                    start_editing(model, EditTarget::Field(field), &value);
                }
            }
            _ => {
                model.status = "Paste goes into a text field: focus one first".into();
                return;
            }
        }
    }
    if let Some(editing) = model.editing.as_mut() {
        // An id or a name pasted (`4242` and a line break, copied from a console) goes in
        // without the spaces around it, which the platform would take as part of it.
        let exact = matches!(
            editing.target,
            EditTarget::Field(
                Field::Name | Field::ResponseDataVariable | Field::SkillId | Field::AgentId
            )
        );
        let text = if exact {
            text.trim().replace('\n', " ")
        } else if editing.is_multiline() {
            text
        } else {
            text.split('\n')
                .map(str::trim_end)
                .collect::<Vec<_>>()
                .join(" ")
        };
        editing.area.insert_str(text);
        apply_editing(model);
    }
}

pub(crate) fn toggle_checkbox(model: &mut Model) {
    if model.current_escalation().is_some() {
        let on = model.field_value(Field::TransferBotContext) != "true";
        set_field(model, Field::TransferBotContext, &on.to_string());
    }
}

pub(crate) fn start_editing(model: &mut Model, target: EditTarget, text: &str) {
    model.editing = Some(Editing::new(target, text));
}

/// Leaves the field; what was typed is already in the document.
pub(crate) fn stop_editing(model: &mut Model) {
    // An Interaction Delay is written when the field is left, and only when it is one.
    if let Some(editing) = model.editing.as_ref()
        && editing.target == EditTarget::Field(Field::InteractionDelay)
        && model.edit_error.is_none()
    {
        let text = editing.text();
        set_field(model, Field::InteractionDelay, &text);
    }
    if model.editing.take().is_some() {
        model.history.end_typing(&model.doc);
        if let Some((field, why)) = model.edit_error.take() {
            model.status = format!(
                "{} keeps its last valid value {:?}: what was typed was not written ({why})",
                field.label(),
                model.field_value(field)
            );
        }
        // Every keystroke was checked as it was written; the script waits for the field to be
        // left.
        model.field_left();
    }
}

/// Writes the editor's text into the document (every keystroke: the preview is live).
pub(crate) fn apply_editing(model: &mut Model) {
    let Some(editing) = model.editing.as_ref() else {
        return;
    };
    let text = editing.text();
    match editing.target {
        // Checked as typed, written when the field is left: the digits typed so far are not
        // the delay ("1200" on the way to "12000").
        EditTarget::Field(Field::InteractionDelay) => {
            model.edit_error = crate::bot::interaction_delay::check(&text)
                .err()
                .map(|e| (Field::InteractionDelay, e.to_string()));
        }
        EditTarget::Field(field) => set_field(model, field, &text),
        EditTarget::Cell { row, column } => {
            let mut rows = custom_rows(model);
            if let Some(cell) = rows.get_mut(row) {
                if column == 0 {
                    cell.key = text;
                } else {
                    cell.value = text;
                }
                write_rows(model, &rows);
            }
        }
    }
}

pub(crate) fn set_field(model: &mut Model, field: Field, text: &str) {
    let edit = match model.current_transfer() {
        Some(t) => Edit::TransferField {
            interaction: t.index,
            field,
            value: text.to_string(),
        },
        None => Edit::Field {
            integration: model.selected,
            field,
            value: text.to_string(),
        },
    };
    match model.apply(edit) {
        Ok(_) => model.edit_error = None,
        // Shown under the field while the typed text stays as typed; nothing is written.
        Err(e) => {
            model.status = e.to_string();
            model.edit_error = Some((field, e.to_string()));
        }
    }
    // A type change can take away the focused field.
    if let Focus::Field(f) = model.focus
        && !model.fields().contains(&f)
    {
        model.focus = Focus::Field(Field::IntegrationType);
    }
}

pub(crate) fn custom_rows(model: &Model) -> Vec<CustomDataField> {
    model
        .current()
        .map(|i| i.custom_data.clone())
        .unwrap_or_default()
}

pub(crate) fn write_rows(model: &mut Model, rows: &[CustomDataField]) {
    let edit = Edit::CustomData {
        integration: model.selected,
        rows: rows.to_vec(),
    };
    if let Err(e) = model.apply(edit) {
        model.status = e.to_string();
    }
}
