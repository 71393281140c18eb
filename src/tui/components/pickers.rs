//! Boxes that choose: the command palette (every action by name), placing an escalation in
//! a dialog (dialog, interaction, kind), and the question before a type change that drops
//! values. Each draws itself and takes its commands and typed keys.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::form::{set_field, stop_editing};
use crate::bot::edit::{Applied, Edit, Made};
use crate::bot::integration::{Field, IntegrationKind};
use crate::runtime::delay::{delays_edit, recommended_delays};
use crate::tui::draw::{centered, clean, truncate};
use crate::tui::keymap::{self, Command};
use crate::tui::model::{Focus, Model, Overlay, Palette, PlaceStage, Placing};
use crate::tui::theme::Theme;

/// Opens the command palette.
pub(crate) fn open_palette(model: &mut Model) {
    stop_editing(model);
    model.palette = Palette::default();
    model.overlay = Some(Overlay::Palette);
}

/// What the palette lists for what is typed.
fn palette_actions(model: &Model) -> Vec<keymap::Action> {
    keymap::matching_actions(&model.palette.query)
}

/// The command the palette runs on Enter, when the palette is open and one is chosen; the
/// palette closes. A command that does nothing here is not run: the status says so.
pub(crate) fn chosen(model: &mut Model, command: Command) -> Option<Command> {
    if model.overlay != Some(Overlay::Palette) || command != Command::Activate {
        return None;
    }
    let actions = palette_actions(model);
    let action = actions.get(model.palette.choice)?.clone();
    model.overlay = None;
    if model.applies(action.command) {
        Some(action.command)
    } else {
        model.status = format!(
            "\"{}\" does not apply to what is selected{}",
            action.name,
            match model.current() {
                Some(i) => format!(" (\"{}\", {})", i.name, i.kind.label()),
                None => String::new(),
            }
        );
        None
    }
}

/// The palette's own commands: moving the choice and closing.
fn palette_command(model: &mut Model, command: Command) {
    let count = palette_actions(model).len();
    let palette = &mut model.palette;
    match command {
        Command::Up => palette.choice = palette.choice.saturating_sub(1),
        Command::Down => palette.choice = (palette.choice + 1).min(count.saturating_sub(1)),
        Command::Cancel => model.overlay = None,
        _ => {}
    }
}

/// A key typed in the palette: into its query.
fn palette_typed(model: &mut Model, key: KeyEvent) {
    let palette = &mut model.palette;
    match key.code {
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            palette.query.push(c);
        }
        KeyCode::Backspace => {
            palette.query.pop();
        }
        _ => return,
    }
    palette.choice = 0;
}

fn draw_palette(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let actions = palette_actions(model);
    let rect = centered(area, 72, area.height.saturating_sub(4).min(24));
    frame.render_widget(Clear, rect);
    let width = usize::from(rect.width.saturating_sub(2));
    let rows = usize::from(rect.height.saturating_sub(4));
    let mut lines = vec![
        Line::from(vec![
            Span::styled("› ", theme.focus()),
            Span::raw(clean(&model.palette.query)),
            Span::styled("▏", theme.dim()),
        ]),
        Line::default(),
    ];
    if actions.is_empty() {
        lines.push(Line::styled("no action matches", theme.dim()));
    }
    let first = model.palette.choice.saturating_sub(rows.saturating_sub(1));
    for (i, action) in actions.iter().enumerate().skip(first).take(rows) {
        let applies = model.applies(action.command);
        let name = if applies {
            action.name.to_string()
        } else {
            format!("{} (not here)", action.name)
        };
        let keys = action.keys.as_str();
        let pad = width.saturating_sub(name.chars().count() + keys.chars().count() + 2);
        let text = truncate(&format!(" {name}{}{keys} ", " ".repeat(pad)), width);
        let style = match (i == model.palette.choice, applies) {
            (true, _) => theme.focus(),
            (false, true) => Style::new(),
            (false, false) => theme.dim(),
        };
        lines.push(Line::styled(text, style));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::bordered().title(" Actions: type to filter, Enter runs, Esc closes ")),
        rect,
    );
}

/// Starts placing the selected escalation integration in a dialog.
pub(crate) fn open_place(model: &mut Model) {
    stop_editing(model);
    let Some(current) = model.current().filter(|i| i.is_escalation()) else {
        model.status = if model.current_transfer().is_some() {
            "This Agent Transfer interaction is in a dialog already".into()
        } else {
            "Select a LivePerson Agent Escalation integration to place it in a dialog".into()
        };
        return;
    };
    if model.doc.dialogs().is_empty() {
        model.status = "The bot has no dialog to place it in".into();
        return;
    }
    model.placing = Some(Placing {
        integration: current.index,
        stage: PlaceStage::Dialog,
        query: String::new(),
        choice: 0,
    });
    model.overlay = Some(Overlay::Place);
}

/// The choices of the stage placing is at: (id, shown text).
fn place_choices(model: &Model, placing: &Placing) -> Vec<(Option<String>, String)> {
    match &placing.stage {
        PlaceStage::Dialog => {
            let needle = placing.query.to_lowercase();
            model
                .doc
                .dialogs()
                .into_iter()
                .filter(|d| needle.is_empty() || d.name.to_lowercase().contains(&needle))
                .map(|d| {
                    let count = model
                        .facts
                        .index
                        .all()
                        .iter()
                        .filter(|i| i.dialog_id == d.id)
                        .count();
                    let text = format!(
                        "{} ({})",
                        d.name,
                        crate::tui::model::plural(count, "interaction")
                    );
                    (Some(d.id), text)
                })
                .collect()
        }
        PlaceStage::Interaction { dialog_id, .. } => {
            let mut choices: Vec<(Option<String>, String)> = model
                .facts
                .index
                .all()
                .iter()
                .filter(|i| i.dialog_id == *dialog_id)
                .map(|i| {
                    (
                        Some(i.id.clone()),
                        format!("after \"{}\" ({})", i.name, kind_name(&i.kind)),
                    )
                })
                .collect();
            choices.push((None, "at the dialog's end".into()));
            choices
        }
        PlaceStage::Kind { .. } => {
            let name = model
                .integrations
                .get(placing.integration)
                .map_or_else(String::new, |i| i.name.clone());
            vec![
                (
                    None,
                    format!("an Integration interaction running \"{name}\""),
                ),
                (
                    None,
                    "an Agent Transfer interaction with its settings".into(),
                ),
            ]
        }
    }
}

/// How an interaction type reads.
fn kind_name(kind: &str) -> &str {
    match kind {
        "TEXT" => "text",
        "DIALOG_STARTER" => "dialog starter",
        "API_INTEGRATION" => "Integration interaction",
        "ESCALATION" => "Agent Transfer",
        "QUESTION" | "BUTTON_QUESTION" | "QUICK_REPLY" | "MULTIPLE_CHOICE_QUESTION" => "question",
        other => other,
    }
}

fn place_command(model: &mut Model, command: Command) {
    let Some(mut placing) = model.placing.take() else {
        model.overlay = None;
        return;
    };
    let count = place_choices(model, &placing).len();
    match command {
        Command::Up => placing.choice = placing.choice.saturating_sub(1),
        Command::Down => placing.choice = (placing.choice + 1).min(count.saturating_sub(1)),
        Command::Cancel => {
            placing.choice = 0;
            placing.stage = match placing.stage {
                PlaceStage::Dialog => {
                    model.overlay = None;
                    return;
                }
                PlaceStage::Interaction { .. } => PlaceStage::Dialog,
                PlaceStage::Kind {
                    dialog_id, dialog, ..
                } => PlaceStage::Interaction { dialog_id, dialog },
            };
        }
        Command::Activate => {
            let choices = place_choices(model, &placing);
            let Some((id, _)) = choices.get(placing.choice).cloned() else {
                model.placing = Some(placing);
                return;
            };
            match placing.stage.clone() {
                PlaceStage::Dialog => {
                    let dialog_id = id.unwrap_or_default();
                    let dialog = model
                        .doc
                        .dialogs()
                        .into_iter()
                        .find(|d| d.id == dialog_id)
                        .map_or_else(String::new, |d| d.name);
                    // After the last interaction, unless another is chosen.
                    placing.choice = choices_in(model, &dialog_id).saturating_sub(1);
                    placing.stage = PlaceStage::Interaction { dialog_id, dialog };
                }
                PlaceStage::Interaction { dialog_id, dialog } => {
                    placing.stage = PlaceStage::Kind {
                        dialog_id,
                        dialog,
                        after: id,
                    };
                    placing.choice = 0;
                }
                PlaceStage::Kind {
                    dialog_id,
                    dialog,
                    after,
                } => {
                    model.overlay = None;
                    let transfer = placing.choice == 1;
                    place(
                        model,
                        placing.integration,
                        (&dialog_id, &dialog),
                        after,
                        transfer,
                    );
                    return;
                }
            }
        }
        _ => {}
    }
    model.placing = Some(placing);
}

/// How many interactions the dialog with `dialog_id` has.
fn choices_in(model: &Model, dialog_id: &str) -> usize {
    model
        .facts
        .index
        .all()
        .iter()
        .filter(|i| i.dialog_id == dialog_id)
        .count()
}

/// Places the escalation at `integration` in the dialog, after the interaction `after`: as
/// an Integration interaction running it, or an Agent Transfer interaction with its
/// settings; then gives it the recommended interaction delay. One step to undo.
fn place(
    model: &mut Model,
    integration: usize,
    (dialog_id, dialog): (&str, &str),
    after: Option<String>,
    transfer: bool,
) {
    let Some(found) = model.integrations.get(integration).cloned() else {
        return;
    };
    let edit = if transfer {
        Edit::AddTransfer {
            dialog_id: dialog_id.into(),
            after,
            escalation: found.escalation.clone(),
        }
    } else {
        Edit::PlaceIntegration {
            integration,
            dialog_id: dialog_id.into(),
            after,
        }
    };
    let depth = model.history.depth().0;
    let at = match model.apply(edit) {
        Ok(Applied {
            made: Made::Interaction(at),
            ..
        }) => at,
        Ok(_) => return,
        Err(e) => {
            model.status = e.to_string();
            return;
        }
    };
    let per = model.sidecar.per_message_ms();
    let delay = if transfer {
        let messages = model
            .facts
            .index
            .all()
            .get(at)
            .map_or(0, |i| model.facts.index.messages_before(i));
        let ms = crate::runtime::delay::recommended_ms(messages, per);
        let _ = model.apply(Edit::Delays(vec![(at, ms)]));
        format!(
            "{} × {per} ms = {ms} ms",
            crate::tui::model::plural(messages as usize, "message")
        )
    } else {
        let changes = recommended_delays(&model.doc, integration, per);
        if !changes.is_empty() {
            let _ = model.apply(delays_edit(&changes));
        }
        model
            .facts
            .index
            .plans(&found, &model.sidecar)
            .into_iter()
            .find(|p| p.interaction.as_ref().is_some_and(|(i, _, _)| *i == at))
            .map_or_else(String::new, |p| p.formula())
    };
    model.history.join_since(depth, &model.doc);
    if transfer && let Some(p) = model.transfers.iter().position(|t| t.index == at) {
        super::list::select_entry(model, crate::tui::model::Entry::Transfer(p));
    }
    model.focus = Focus::List;
    let kind = if transfer {
        "an Agent Transfer interaction"
    } else {
        "an Integration interaction"
    };
    model.status = format!(
        "Placed {kind} for \"{}\" in \"{dialog}\"; interaction delay {delay}",
        found.name
    );
}

fn place_typed(model: &mut Model, key: KeyEvent) {
    let Some(placing) = model.placing.as_mut() else {
        return;
    };
    if placing.stage != PlaceStage::Dialog {
        return;
    }
    match key.code {
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            placing.query.push(c);
        }
        KeyCode::Backspace => {
            placing.query.pop();
        }
        _ => return,
    }
    placing.choice = 0;
}

fn draw_place(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let Some(placing) = &model.placing else {
        return;
    };
    let name = model
        .integrations
        .get(placing.integration)
        .map_or_else(String::new, |i| i.name.clone());
    let (title, prompt) = match &placing.stage {
        PlaceStage::Dialog => (
            format!(" Place \"{}\" in a dialog: 1/3 ", clean(&name)),
            format!("Dialog (type to filter): {}▏", clean(&placing.query)),
        ),
        PlaceStage::Interaction { dialog, .. } => (
            format!(" Place \"{}\" in \"{}\": 2/3 ", clean(&name), clean(dialog)),
            "Insert the new interaction:".to_string(),
        ),
        PlaceStage::Kind { dialog, .. } => (
            format!(" Place \"{}\" in \"{}\": 3/3 ", clean(&name), clean(dialog)),
            "As:".to_string(),
        ),
    };
    let rect = centered(area, 76, area.height.saturating_sub(4).min(22));
    frame.render_widget(Clear, rect);
    let width = usize::from(rect.width.saturating_sub(2));
    let rows = usize::from(rect.height.saturating_sub(5));
    let choices = place_choices(model, placing);
    let mut lines = vec![Line::raw(truncate(&prompt, width)), Line::default()];
    if choices.is_empty() {
        lines.push(Line::styled("no dialog matches", theme.dim()));
    }
    let first = placing.choice.saturating_sub(rows.saturating_sub(1));
    for (i, (_, text)) in choices.iter().enumerate().skip(first).take(rows) {
        let style = if i == placing.choice {
            theme.focus()
        } else {
            Style::new()
        };
        lines.push(Line::styled(
            truncate(&format!(" {}", clean(text)), width),
            style,
        ));
    }
    lines.push(Line::styled("Enter chooses · Esc goes back", theme.dim()));
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(title)),
        rect,
    );
}

/// The values of fields the selected integration has and the type `choice` lacks: (field,
/// value) of those that are not empty.
pub(crate) fn values_lost(model: &Model, choice: usize) -> Vec<(Field, String)> {
    let Some(current) = model.current() else {
        return Vec::new();
    };
    let Some(kind) = IntegrationKind::CHOICES.get(choice) else {
        return Vec::new();
    };
    let keeps: Vec<Field> = Field::for_kind(kind).collect();
    Field::for_kind(&current.kind)
        .filter(|f| !keeps.contains(f))
        .map(|f| (f, current.value(f)))
        .filter(|(f, v)| {
            let unticked = *f == Field::TransferBotContext && v == "false";
            !v.trim().is_empty() && !unticked
        })
        .collect()
}

/// Changes the selected integration's type to `choice`: at once when no value is lost, else
/// after a question.
pub(crate) fn change_type(model: &mut Model, choice: usize) {
    if values_lost(model, choice).is_empty() {
        set_type(model, choice);
    } else {
        model.overlay = Some(Overlay::ConfirmType(choice));
    }
}

fn set_type(model: &mut Model, choice: usize) {
    model.overlay = None;
    if let Some(kind) = IntegrationKind::CHOICES.get(choice) {
        set_field(model, Field::IntegrationType, kind.label());
        model.status = format!("Integration Type: {} (Ctrl-Z undoes)", kind.label());
    }
}

fn draw_confirm_type(model: &Model, frame: &mut Frame, area: Rect, choice: usize) {
    let kind = IntegrationKind::CHOICES
        .get(choice)
        .map_or("", IntegrationKind::label);
    let mut lines = vec![
        Line::raw(format!(
            "A {} integration has none of these fields; their values go (Ctrl-Z brings them back):",
            clean(kind)
        )),
        Line::default(),
    ];
    for (field, value) in values_lost(model, choice) {
        let first = value.lines().next().unwrap_or_default();
        lines.push(Line::raw(format!("  {}: {}", field.label(), clean(first))));
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        "[y] change the type   [n] keep it",
        Style::new().add_modifier(Modifier::BOLD),
    ));
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let rows = paragraph.line_count(area.width.min(80).saturating_sub(2)) + 2;
    let rect = centered(area, 80, u16::try_from(rows).unwrap_or(u16::MAX));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        paragraph.block(Block::bordered().title(" Change the type? ")),
        rect,
    );
}

/// The commands of the boxes here, while one is open.
pub(crate) fn command(model: &mut Model, overlay: Overlay, command: Command) -> bool {
    match overlay {
        Overlay::Palette => palette_command(model, command),
        Overlay::Place => place_command(model, command),
        Overlay::ConfirmType(choice) => match command {
            Command::ConfirmYes => set_type(model, choice),
            Command::Cancel => model.overlay = None,
            _ => {}
        },
        _ => return false,
    }
    true
}

/// A key typed while a box here is open.
pub(crate) fn typed(model: &mut Model, key: KeyEvent) -> bool {
    match model.overlay {
        Some(Overlay::Palette) => palette_typed(model, key),
        Some(Overlay::Place) => place_typed(model, key),
        Some(Overlay::ConfirmType(_)) => {}
        _ => return false,
    }
    true
}

/// Draws the box here that is open, if one is.
pub(crate) fn draw(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) -> bool {
    match model.overlay {
        Some(Overlay::Palette) => draw_palette(model, frame, area, theme),
        Some(Overlay::Place) => draw_place(model, frame, area, theme),
        Some(Overlay::ConfirmType(choice)) => draw_confirm_type(model, frame, area, choice),
        _ => return false,
    }
    true
}
