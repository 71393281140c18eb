//! The list of the bot's integrations and Agent Transfer interactions: drawn two lines a row
//! with each one's state; its filter; choosing, adding, duplicating and deleting.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::Handled;
use super::form::stop_editing;
use super::step_index;
use crate::bot::edit::{Applied, Edit, Made};
use crate::bot::integration::{Field, IntegrationKind};
use crate::rules::Severity;
use crate::tui::draw::{clean, inner, pane, put_line, truncate};
use crate::tui::frame::Hit;
use crate::tui::keymap::Command;
use crate::tui::model::{Entry, Focus, Model, Overlay, plural};
use crate::tui::theme::Theme;

pub(crate) fn list_body(model: &Model, area: Rect) -> Rect {
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

/// The list's rows and the first one drawn, keeping the selection in view.
pub(crate) fn list_window(model: &Model, height: u16) -> (std::sync::Arc<[Entry]>, usize) {
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

pub(crate) fn draw_list(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let focused = model.focus == Focus::List && model.overlay.is_none();
    let title = format!(" Integrations ({}) ", model.integrations.len());
    let body = pane(frame, area, title, focused, theme);
    if model.filter_active || !model.filter.is_empty() {
        draw_filter(model, frame, body, theme);
    }
    let body = list_body(model, area);
    if model.integrations.is_empty() && model.transfers.is_empty() {
        frame.render_widget(
            Paragraph::new(format!(
                "No integrations.\n{} adds a LivePerson Agent Escalation.",
                model.key(Command::AddIntegration)
            ))
            .wrap(Wrap { trim: true }),
            body,
        );
        return;
    }
    let (entries, offset) = list_window(model, body.height);
    if entries.is_empty() {
        frame.render_widget(Paragraph::new("No match."), body);
        return;
    }
    let mut drawn = model.frame.drawn.borrow_mut();
    for (slot, &entry) in entries
        .iter()
        .skip(offset)
        .take(usize::from(body.height / 2))
        .enumerate()
    {
        let y = body.y + (slot as u16) * 2;
        let Some((first, second)) = row_lines(model, entry, usize::from(body.width), theme) else {
            continue;
        };
        if entry == Entry::TransfersHeading {
            frame.render_widget(
                Paragraph::new(second),
                Rect::new(body.x, y + 1, body.width, 1),
            );
            continue;
        }
        // Where the row is on screen, for a click: both its lines.
        let rows = Rect::new(body.x, y, body.width, 2).intersection(body);
        drawn.record(rows, Hit::Entry(entry));
        // Single lines are drawn as lines: a paragraph's wrapping machinery costs more than
        // the rest of a row, on every frame.
        put_line(frame, &first, Rect::new(body.x, y, body.width, 1));
        if body.height > (slot as u16) * 2 + 1 {
            put_line(frame, &second, Rect::new(body.x, y + 1, body.width, 1));
        }
    }
}

/// The filter's line at the top of the list, with the cursor at its end while typed.
fn draw_filter(model: &Model, frame: &mut Frame, body: Rect, theme: &Theme) {
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

/// The two lines of a row of the list, `width` wide: the name with its state's symbol, then
/// its kind and counts. The heading of the Agent Transfers has its line second.
fn row_lines(
    model: &Model,
    entry: Entry,
    width: usize,
    theme: &Theme,
) -> Option<(Line<'static>, Line<'static>)> {
    let (name, kind) = match entry {
        Entry::Integration(index) => {
            let integration = model.integrations.get(index)?;
            // Short, for the list's narrow column.
            let kind = match integration.kind {
                IntegrationKind::AgentEscalation => "Escalation".to_string(),
                IntegrationKind::Functions => "Functions".to_string(),
                ref k => clean(k.label()),
            };
            (integration.name.clone(), kind)
        }
        Entry::Transfer(index) => {
            let transfer = model.transfers.get(index)?;
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
            return Some((Line::default(), heading));
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
        ("✓", theme.good())
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
    let second = Line::styled(truncate(&format!("  {kind} · {state}"), width), theme.dim());
    Some((first, second))
}

pub(crate) fn after_new(model: &mut Model, index: usize, verb: &str) {
    model.refresh();
    model.filter.clear();
    model.filter_active = false;
    model.selected = index;
    model.selected_transfer = None;
    model.focus = Focus::Field(Field::Name);
    model.table_active = false;
    let name = model.current().map(|i| i.name.clone()).unwrap_or_default();
    let errors = model
        .diagnostics_of(Entry::Integration(index))
        .iter()
        .any(|d| d.severity == crate::rules::Severity::Error);
    model.status = if errors {
        format!("{verb} {name}: fill in the starred fields")
    } else {
        format!("{verb} {name}")
    };
}

pub(crate) fn select_step(model: &mut Model, step: isize) {
    let entries = model.entries();
    // Steps count selectable rows: the heading, when there is one, is not one.
    let heading = model.row_of(Entry::TransfersHeading);
    let selectable = entries.len() - usize::from(heading.is_some());
    if selectable == 0 {
        return;
    }
    let row = model.row_of(model.selected_entry()).unwrap_or(0);
    let at = row - usize::from(heading.is_some_and(|h| row > h));
    let next = step_index(at, step, selectable);
    let next = next + usize::from(heading.is_some_and(|h| next >= h));
    select_entry(model, entries[next]);
}

/// Selects the first row the filter shows when the selected one is filtered out.
pub(crate) fn keep_selection_visible(model: &mut Model) {
    let entries = model.entries();
    if model.row_of(model.selected_entry()).is_none()
        && let Some(&first) = entries.iter().find(|e| **e != Entry::TransfersHeading)
    {
        select_entry(model, first);
    }
}

pub(crate) fn select_entry(model: &mut Model, entry: Entry) {
    if entry == model.selected_entry() {
        return;
    }
    match entry {
        Entry::Integration(index) => {
            model.selected = index;
            model.selected_transfer = None;
        }
        Entry::Transfer(index) => model.selected_transfer = Some(index),
        Entry::TransfersHeading => return,
    }
    model.preview_scroll = 0;
    model.table_row = 0;
    model.table_active = false;
    // Its script runs on its sample result, if it has one.
    model.field_left();
    // A field the newly selected form does not have (an Agent Transfer has no Name) gives the
    // focus back to the list.
    if let Focus::Field(field) = model.focus
        && !model.fields().contains(&field)
    {
        stop_editing(model);
        model.focus = Focus::List;
    }
}

/// The list's commands when it has the focus.
pub(crate) fn command(model: &mut Model, command: Command) -> Handled {
    if model.focus != Focus::List {
        return Handled::NotConsumed;
    }
    match command {
        Command::Up => select_step(model, -1),
        Command::Down => select_step(model, 1),
        Command::Activate if model.current_transfer().is_some() => {
            model.focus = Focus::Field(Field::Message);
        }
        Command::Activate if model.current().is_none() => {
            model.status = format!(
                "No integration yet: press {} to add a LivePerson Agent Escalation",
                model.key(Command::AddIntegration)
            );
        }
        Command::Activate => model.focus = Focus::Field(Field::Name),
        // Esc on the list clears a filter kept with Enter (then leaves the simulation).
        Command::Leave if !model.filter.is_empty() => {
            model.filter.clear();
            model.status = "Filter cleared".into();
        }
        _ => return Handled::NotConsumed,
    }
    Handled::DONE
}

/// The filter's commands while it is being typed: the first to get a command after a field
/// being typed in.
pub(crate) fn filter_command(model: &mut Model, command: Command) -> Handled {
    if !model.filter_active {
        return Handled::NotConsumed;
    }
    match command {
        Command::Activate => {
            model.filter_active = false;
            keep_selection_visible(model);
        }
        Command::Leave => {
            model.filter_active = false;
            model.filter.clear();
        }
        _ => return Handled::NotConsumed,
    }
    Handled::DONE
}

/// A key typed into the filter; `false` when the filter is not being typed.
pub(crate) fn typed(model: &mut Model, key: KeyEvent) -> bool {
    if !model.filter_active {
        return false;
    }
    if super::edit_query(&mut model.filter, key) {
        keep_selection_visible(model);
    }
    true
}

/// Adding, duplicating, deleting and filtering integrations, from anywhere.
pub(crate) fn integrations_command(model: &mut Model, command: Command) -> Handled {
    use Command as C;
    match command {
        C::AddIntegration => {
            stop_editing(model);
            let added = model.apply(Edit::AddEscalation {
                name: "AgentEscalation".into(),
            });
            if let Ok(Applied {
                made: Made::Integration(index),
                ..
            }) = added
            {
                after_new(model, index, "Added");
            }
        }
        C::DuplicateIntegration | C::DeleteIntegration if model.current_transfer().is_some() => {
            model.status = "Agent Transfer interactions are added and removed with their dialog; convert one with: escalator convert".into();
        }
        C::DuplicateIntegration if model.current().is_some() => {
            match model.apply(Edit::Duplicate {
                integration: model.selected,
            }) {
                Ok(Applied {
                    made: Made::Integration(index),
                    ..
                }) => after_new(model, index, "Duplicated as"),
                Ok(_) => {}
                Err(e) => model.status = e.to_string(),
            }
        }
        C::DeleteIntegration if model.current().is_some() => {
            model.overlay = Some(Overlay::ConfirmDelete(model.selected));
        }
        C::StartFilter => {
            stop_editing(model);
            model.table_active = false;
            model.focus = Focus::List;
            model.filter_active = true;
        }
        C::DuplicateIntegration | C::DeleteIntegration => {}
        _ => return Handled::NotConsumed,
    }
    Handled::DONE
}
