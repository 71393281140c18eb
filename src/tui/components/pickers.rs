//! Boxes that choose: the command palette (every action by name), placing an escalation in
//! a dialog (dialog, interaction, kind), and the question before a type change that drops
//! values. Each draws itself and takes its commands and typed keys.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::form::{set_field, stop_editing};
use crate::bot::edit::{Applied, Edit, Made};
use crate::bot::integration::{Field, IntegrationKind};
use crate::runtime::delay::{delays_edit, recommended_delays};
use crate::tui::draw::{centered, clean, text_width, truncate};
use crate::tui::keymap::{self, Command};
use crate::tui::model::{Focus, Model, Overlay, Palette, PlaceStage, Placing};
use crate::tui::theme::Theme;

/// How far PgUp and PgDn move in a list of choices.
pub(crate) const PAGE: usize = 10;

/// Opens the command palette.
pub(crate) fn open_palette(model: &mut Model) {
    stop_editing(model);
    model.palette = Palette::default();
    model.overlay = Some(Overlay::Palette);
}

/// What the palette lists for what is typed.
fn palette_actions(model: &Model) -> Vec<keymap::Action> {
    model.keymap.matching_actions(&model.palette.query)
}

/// The palette's answer to a command: not the palette's, taken by it, or an action to run.
pub(crate) enum Chosen {
    NotOpen,
    /// Enter with no action listed: the palette stays open.
    Nothing,
    Run(Command),
}

/// What Enter in the palette runs: the highlighted action, the palette closed first. An
/// action marked "(not here)" runs too: its own command says why it does nothing (the dialog
/// that already catches failures, the bot without dialogs), and nothing else moves.
pub(crate) fn chosen(model: &mut Model, command: Command) -> Chosen {
    if model.overlay != Some(Overlay::Palette) || command != Command::Activate {
        return Chosen::NotOpen;
    }
    let actions = palette_actions(model);
    let Some(action) = actions.get(model.palette.choice) else {
        return Chosen::Nothing;
    };
    model.overlay = None;
    Chosen::Run(action.command)
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
    if super::edit_query(&mut palette.query, key) {
        palette.choice = 0;
    }
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
            format!("(not here) {}", action.name)
        };
        // The keys always show whole; a long name is cut before them.
        let keys = action.keys.as_str();
        let room = width.saturating_sub(text_width(keys) + 3);
        let name = truncate(&name, room);
        let pad = width.saturating_sub(text_width(&name) + text_width(keys) + 2);
        let text = format!(" {name}{}{keys} ", " ".repeat(pad));
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
    let integration = current.index;
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for i in model.facts.index.all() {
        *counts.entry(i.dialog_id.as_str()).or_default() += 1;
    }
    let dialogs: Vec<(String, String, usize)> = model
        .doc
        .dialogs()
        .into_iter()
        .map(|d| {
            let count = counts.get(d.id.as_str()).copied().unwrap_or(0);
            (d.id, d.name, count)
        })
        .collect();
    if dialogs.is_empty() {
        model.status = "The bot has no dialog to place it in".into();
        return;
    }
    model.placing = Some(Placing {
        integration,
        stage: PlaceStage::Dialog,
        query: String::new(),
        choice: 0,
        dialogs,
        interactions: Vec::new(),
    });
    model.overlay = Some(Overlay::Place);
}

/// The interactions of the dialog with `dialog_id` in the order the conversation goes: from
/// its starter (or the first no other one leads to) along `nextMessageId`, then any that no
/// link reaches, in the file's order.
fn in_conversation_order(model: &Model, dialog_id: &str) -> Vec<(String, String)> {
    let all: Vec<&crate::bot::read::Interaction> = model
        .facts
        .index
        .all()
        .iter()
        .filter(|i| i.dialog_id == dialog_id)
        .collect();
    let by_id: std::collections::HashMap<&str, usize> = all
        .iter()
        .enumerate()
        .map(|(at, i)| (i.id.as_str(), at))
        .collect();
    let led_to: std::collections::HashSet<&str> = all.iter().map(|i| i.next.as_str()).collect();
    let head = all
        .iter()
        .position(|i| i.kind == "DIALOG_STARTER")
        .or_else(|| all.iter().position(|i| !led_to.contains(i.id.as_str())));
    let mut order = Vec::new();
    let mut seen = vec![false; all.len()];
    let mut at = head;
    while let Some(here) = at.filter(|h| !seen[*h]) {
        seen[here] = true;
        order.push(here);
        at = by_id.get(all[here].next.as_str()).copied();
    }
    order.extend((0..all.len()).filter(|i| !seen[*i]));
    order
        .into_iter()
        .map(|at| {
            let i = all[at];
            (
                i.id.clone(),
                format!("after \"{}\" ({})", i.name, kind_name(&i.kind)),
            )
        })
        .collect()
}

/// The choices of the stage placing is at: (id, shown text).
pub(crate) fn place_choices(model: &Model, placing: &Placing) -> Vec<(Option<String>, String)> {
    match &placing.stage {
        PlaceStage::Dialog => {
            let needle = placing.query.to_lowercase();
            placing
                .dialogs
                .iter()
                .filter(|(_, name, _)| needle.is_empty() || name.to_lowercase().contains(&needle))
                .map(|(id, name, count)| {
                    let text = format!(
                        "{name} ({})",
                        crate::tui::model::plural(*count, "interaction")
                    );
                    (Some(id.clone()), text)
                })
                .collect()
        }
        PlaceStage::Interaction { .. } if placing.interactions.is_empty() => {
            vec![(None, "as its first interaction".into())]
        }
        PlaceStage::Interaction { .. } => placing
            .interactions
            .iter()
            .map(|(id, text)| (Some(id.clone()), text.clone()))
            .collect(),
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
        Command::PreviewUp => placing.choice = placing.choice.saturating_sub(PAGE),
        Command::PreviewDown => {
            placing.choice = (placing.choice + PAGE).min(count.saturating_sub(1));
        }
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
                    let dialog = placing
                        .dialogs
                        .iter()
                        .find(|(id, _, _)| *id == dialog_id)
                        .map_or_else(String::new, |(_, name, _)| name.clone());
                    placing.interactions = in_conversation_order(model, &dialog_id);
                    // After the last one, unless another is chosen.
                    placing.choice = placing.interactions.len().saturating_sub(1);
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
        // No statement before it: no delay to write.
        if ms > 0 {
            let _ = model.apply(Edit::Delays(vec![(at, ms)]));
        }
        format!(
            "{} × {per} ms = {ms} ms",
            crate::tui::model::plural(messages as usize, "message")
        )
    } else {
        let mut changes = recommended_delays(&model.doc, integration, per);
        // The new interaction (only) gets a delay, when statements go out before it.
        changes.retain(|c| c.interaction == at && c.after > 0);
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
    if placing.stage == PlaceStage::Dialog && super::edit_query(&mut placing.query, key) {
        placing.choice = 0;
    }
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
            format!(
                "Dialog (type to filter; PgUp/PgDn pages): {}▏",
                clean(&placing.query)
            ),
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
    lines.push(Line::styled(
        format!(
            "{} of {} · Enter chooses · Esc goes back",
            (placing.choice + 1).min(choices.len()),
            choices.len()
        ),
        theme.dim(),
    ));
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
        model.status = format!(
            "Integration Type: {} ({} undoes)",
            kind.label(),
            model.key(Command::Undo)
        );
    }
}

fn draw_confirm_type(model: &Model, frame: &mut Frame, area: Rect, choice: usize) {
    let kind = IntegrationKind::CHOICES
        .get(choice)
        .map_or_else(String::new, |k| format!("{} integration", k.with_article()));
    let width = usize::from(area.width.min(80).saturating_sub(2));
    let mut lines = vec![
        Line::raw(format!(
            "{} has none of these fields: they leave the form and Conversation Builder no longer uses them (their values stay in the file, and show again with the type; {} undoes):",
            clean(&kind),
            model.key(Command::Undo)
        )),
        Line::default(),
    ];
    for (field, value) in values_lost(model, choice) {
        let first = value.lines().next().unwrap_or_default();
        let text = format!("  {}: {}", field.label(), clean(first));
        lines.push(Line::raw(truncate(&text, width)));
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        "[y] change the type   [n] keep it",
        Style::new().add_modifier(Modifier::BOLD),
    ));
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let rows = paragraph.line_count(area.width.min(80).saturating_sub(2)) + 2;
    let rows = u16::try_from(rows).unwrap_or(u16::MAX).min(area.height);
    let rect = centered(area, 80, rows);
    frame.render_widget(Clear, rect);
    // The answers are in the title too: seen however small the screen.
    frame.render_widget(
        paragraph.block(Block::bordered().title(" Change the type? [y] yes  [n] no ")),
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
