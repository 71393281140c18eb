//! The overlays over the panes: questions (quit, delete, convert, the file changed on disk, a
//! failed save, unsaved edits found), text boxes (save as, samples, the failure dialog's
//! apology), the type choices, the difference of unsaved edits and help. An open overlay
//! takes every key and command.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui_textarea::{CursorMove, TextArea};

use super::Handled;
use super::form::stop_editing;
use super::list::select_entry;
use crate::bot::edit::{Applied, Edit, Made};
use crate::bot::integration::IntegrationKind;
use crate::tui::draw::{centered, clean, scrub_hidden};
use crate::tui::keymap::{self, Command};
use crate::tui::model::{Effect, Entry, Focus, Model, Overlay, plural};
use crate::tui::theme::Theme;
use crate::workspace::sidecar::Sidecar;

/// Draws the open overlay, if any, over the panes.
pub(crate) fn draw(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    if super::pickers::draw(model, frame, area, theme)
        || super::account::draw(model, frame, area, theme)
    {
        return;
    }
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
        Some(Overlay::ConfirmDelete(index)) => ask_delete(model, frame, area, index),
        Some(Overlay::SelectType(choice)) => draw_select(frame, area, choice, theme),
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
        Some(Overlay::Recovery) => ask_recovery(model, frame, area),
        Some(Overlay::RecoveryDiff) => draw_diff(model, frame, area, theme),
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
        Some(
            Overlay::Palette
            | Overlay::Place
            | Overlay::ConfirmType(_)
            | Overlay::Pick
            | Overlay::AccountId,
        )
        | None => {}
    }
}

/// Asks before deleting an integration, naming the Integration interactions that run it.
fn ask_delete(model: &Model, frame: &mut Frame, area: Rect, index: usize) {
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
                "Delete the integration \"{}\"? It is run by {}: {}{}. {} would run nothing, an error when the bot runs.",
                clean(name),
                plural(running.len(), "Integration interaction"),
                running[..shown].join(", "),
                if running.len() > shown { ", …" } else { "" },
                if running.len() == 1 { "It" } else { "They" },
            ),
            "[y] delete anyway   [n] keep",
        )
    }
}

/// Offers the unsaved edits of an earlier session, with their age and size.
fn ask_recovery(model: &Model, frame: &mut Frame, area: Rect) {
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
pub(crate) fn age(written_at: u64) -> String {
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
pub(crate) fn draw_line_input(
    model: &Model,
    frame: &mut Frame,
    area: Rect,
    title: &str,
    prompt: &str,
) {
    // A text that wraps (the apology) gets rows for it; a path scrolls on one.
    let rows: u16 = match &model.save_as {
        Some(input) if input.wrap_mode() != ratatui_textarea::WrapMode::None => 3,
        _ => 1,
    };
    let rect = centered(area, 84, 4 + rows);
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
        let field = Rect::new(
            inside.x,
            inside.y + 2,
            inside.width,
            rows.min(inside.height.saturating_sub(2)),
        );
        frame.render_widget(input, field);
        scrub_hidden(frame.buffer_mut(), field);
        let cursor = input.screen_cursor();
        let (top, left) = input.scroll_offset();
        let x = field.x + (cursor.col as u16).saturating_sub(left);
        let y = field.y + (cursor.row as u16).saturating_sub(top);
        frame.set_cursor_position(Position::new(
            x.min(field.right().saturating_sub(1)),
            y.min(field.bottom().saturating_sub(1)),
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
                Some(b'+') => theme.good(),
                Some(b'-') => theme.fg(theme.colours().error),
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
    for (context, bindings) in keymap::help_sections(&model.keymap) {
        lines.push(Line::styled(context.title(), bold));
        for b in bindings {
            lines.push(Line::raw(format!("  {:<14} {}", b.keys, b.description)));
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

/// Takes the typed JSON as the sample result of the selected integration (saved beside the
/// export); JSON that does not parse keeps the box open with its place.
fn apply_sample_result(model: &mut Model) {
    let text = model
        .save_as
        .as_ref()
        .map(|a| a.lines().join("\n"))
        .unwrap_or_default();
    let Some(name) = model.current().map(|i| i.name.clone()) else {
        model.overlay = None;
        return;
    };
    if text.trim().is_empty() {
        model.overlay = None;
        model.save_as = None;
        let mut settings = model.sidecar.clone();
        if settings.sample_results.remove(&name).is_some() {
            model.change_settings(&format!("drop the sample result of {name}"), settings);
        }
        model.status = "No sample result: the script is not run".into();
        return;
    }
    // A single line naming a file loads the sample from that file.
    let path = std::path::Path::new(text.trim());
    let from_file = (!text.trim().contains('\n') && path.is_file())
        .then(|| std::fs::read_to_string(path).ok())
        .flatten();
    let parsed = serde_json::from_str::<serde_json::Value>(from_file.as_deref().unwrap_or(&text));
    match parsed {
        Ok(value) => {
            model.overlay = None;
            model.save_as = None;
            let mut settings = model.sidecar.clone();
            let label = format!("sample result of {name}");
            settings.sample_results.insert(name, value);
            model.change_settings(&label, settings);
            model.status = "Sample result kept; the preview shows the script's run".into();
        }
        Err(e) => {
            model.status = format!(
                "Not JSON at line {}:{}: {}; fix it, or empty the box to drop the sample",
                e.line(),
                e.column(),
                e.to_string().split(" at line ").next().unwrap_or_default()
            );
        }
    }
}

/// Takes the typed `key=value` lines as the sample context (saved beside the export).
fn apply_sample_context(model: &mut Model) {
    let text = close_box(model, "\n");
    let mut context = crate::bot::template::SampleContext::new();
    let mut skipped = 0;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match line.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                context.insert(
                    crate::bot::template::normalize_context_key(k),
                    v.trim().to_string(),
                );
            }
            _ => skipped += 1,
        }
    }
    let settings = Sidecar {
        context,
        ..model.sidecar.clone()
    };
    model.change_settings("sample values", settings);
    model.status = if skipped > 0 {
        format!("{} without key=value left out", plural(skipped, "line"))
    } else {
        format!(
            "{}; {} saves them beside the bot",
            plural(model.sidecar.context.len(), "sample value"),
            model.key(Command::Save)
        )
    };
    if model.sidecar.context.is_empty() && skipped == 0 {
        model.status = "No sample values: variables show as written".into();
    }
}

/// `bot.json` → `bot.mine.json`, for "save as" after a conflict.
fn suggest_other_name(path: &std::path::Path) -> String {
    let stem = path
        .file_stem()
        .map_or_else(|| "bot".into(), |s| s.to_string_lossy());
    let ext = path
        .extension()
        .map_or_else(|| "json".into(), |e| e.to_string_lossy());
    path.with_file_name(format!("{stem}.mine.{ext}"))
        .display()
        .to_string()
}

/// Asks for another file name to save to, suggesting one beside the file.
pub(crate) fn open_save_as(model: &mut Model, then_quit: bool) {
    let suggestion = suggest_other_name(&model.path);
    let mut area = ratatui_textarea::TextArea::new(vec![suggestion]);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    model.save_as = Some(area);
    model.overlay = Some(Overlay::SaveAs { then_quit });
}

/// Puts the journaled edits (and settings) in place of the file's content: they save as a
/// normal edit. The other journals found stay on disk for the next start.
pub(crate) fn restore(model: &mut Model) -> Option<Effect> {
    let Some(entry) = model.recovery.take() else {
        model.overlay = None;
        return None;
    };
    match crate::bot::BotDocument::from_bytes(entry.text.as_bytes()) {
        Ok(edited) => {
            let root = (entry.text != model.doc.to_text()).then(|| edited.root());
            model.restore_journal(root, entry.settings.clone());
            model.overlay = None;
            let kept = model.recoveries_later.len();
            model.recoveries_later.clear();
            model.status = if kept == 0 {
                format!(
                    "Restored the unsaved edits: {} saves them",
                    model.key(Command::Save)
                )
            } else {
                format!(
                    "Restored the unsaved edits: {} saves them ({} kept for the next start)",
                    model.key(Command::Save),
                    plural(kept, "other journal")
                )
            };
            Some(Effect::AdoptJournal(entry.path))
        }
        Err((_, message)) => {
            model.recovery = Some(entry);
            model.status = format!(
                "The journal cannot be read back ({message}); discard it or keep it for later"
            );
            None
        }
    }
}

/// A command while an overlay is open: the overlay takes every command, first of all.
pub(crate) fn command(model: &mut Model, command: Command) -> Handled {
    let Some(overlay) = model.overlay else {
        return Handled::NotConsumed;
    };
    if super::pickers::command(model, overlay, command)
        || super::account::command(model, overlay, command)
    {
        return Handled::DONE;
    }
    Handled::Consumed(match overlay {
        Overlay::Recovery | Overlay::RecoveryDiff => recovery_command(model, overlay, command),
        Overlay::ChangedOnDisk { .. }
        | Overlay::SaveAs { .. }
        | Overlay::SaveFailed { .. }
        | Overlay::ConfirmQuit
        | Overlay::ConfirmDiscard => saving_command(model, overlay, command),
        Overlay::SampleResult | Overlay::SampleContext | Overlay::Help => {
            boxes_command(model, overlay, command)
        }
        _ => changes_command(model, overlay, command),
    })
}

/// The unsaved edits of an earlier session, and their difference.
fn recovery_command(model: &mut Model, overlay: Overlay, command: Command) -> Option<Effect> {
    use Command as C;
    match (overlay, command) {
        (Overlay::RecoveryDiff, C::Cancel) => model.overlay = Some(Overlay::Recovery),
        (Overlay::RecoveryDiff, C::Down) => model.diff_scroll = model.diff_scroll.saturating_add(1),
        (Overlay::RecoveryDiff, C::Up) => model.diff_scroll = model.diff_scroll.saturating_sub(1),
        (Overlay::RecoveryDiff, C::PreviewDown) => {
            model.diff_scroll = model.diff_scroll.saturating_add(10)
        }
        (Overlay::RecoveryDiff, C::PreviewUp) => {
            model.diff_scroll = model.diff_scroll.saturating_sub(10)
        }
        (Overlay::Recovery, C::Restore) => return restore(model),
        (Overlay::Recovery, C::Quit) => {
            model.quit = true;
            return Some(Effect::Quit);
        }
        (Overlay::Recovery, C::DiscardEdits) => {
            let Some(entry) = model.recovery.take() else {
                model.overlay = None;
                return None;
            };
            model.overlay = None;
            model.status = "Discarded the unsaved edits of the earlier session".into();
            if !model.recoveries_later.is_empty() {
                let next = model.recoveries_later.remove(0);
                model.offer_recovery(next);
            }
            return Some(Effect::DiscardJournal(entry.path));
        }
        (Overlay::Recovery, C::Down) if !model.recoveries_later.is_empty() => {
            // The next journal; the one shown goes last.
            if let Some(shown) = model.recovery.take() {
                model.recoveries_later.push(shown);
            }
            model.recovery = Some(model.recoveries_later.remove(0));
        }
        (Overlay::Recovery, C::ShowDiff) => {
            if let Some(entry) = &model.recovery {
                model.diff =
                    crate::workspace::journal::line_diff(&model.doc.to_text(), &entry.text);
            }
            model.diff_scroll = 0;
            model.overlay = Some(Overlay::RecoveryDiff);
        }
        (_, C::Cancel) => model.overlay = None,
        _ => {}
    }
    None
}

/// Saving and quitting: the file changed on disk, save as, a failed save, unsaved changes.
fn saving_command(model: &mut Model, overlay: Overlay, command: Command) -> Option<Effect> {
    use Command as C;
    match (overlay, command) {
        (Overlay::ChangedOnDisk { then_quit }, C::Overwrite) => {
            model.overlay = None;
            return Some(Effect::Save {
                then_quit,
                overwrite: true,
            });
        }
        (Overlay::ChangedOnDisk { .. }, C::Reload) => {
            model.overlay = None;
            return Some(Effect::Reload);
        }
        (Overlay::ChangedOnDisk { then_quit }, C::SaveAs) => {
            open_save_as(model, then_quit);
        }
        (Overlay::SaveAs { then_quit }, C::Activate) => {
            let typed = model
                .save_as
                .as_ref()
                .map(|a| a.lines().join(""))
                .unwrap_or_default();
            if typed.trim().is_empty() {
                model.status = "Type a file name to save to".into();
            } else {
                model.overlay = None;
                model.save_as = None;
                return Some(Effect::SaveAs {
                    path: std::path::PathBuf::from(typed.trim()),
                    then_quit,
                });
            }
        }
        (Overlay::ConfirmQuit, C::SaveAndQuit) => {
            model.overlay = None;
            return Some(Effect::Save {
                then_quit: true,
                overwrite: false,
            });
        }
        (Overlay::ConfirmQuit, C::DiscardAndQuit) if model.save_failed.is_some() => {
            model.overlay = Some(Overlay::ConfirmDiscard);
        }
        (Overlay::ConfirmQuit, C::DiscardAndQuit) | (Overlay::ConfirmDiscard, C::ConfirmYes) => {
            model.quit = true;
            model.discard_on_quit = true;
            return Some(Effect::Quit);
        }
        (Overlay::ConfirmDiscard, C::Quit) => {
            // Quit; the journal keeps the edits for the next start.
            model.quit = true;
            return Some(Effect::Quit);
        }
        (Overlay::SaveFailed { then_quit }, C::Save) => {
            model.overlay = None;
            return Some(Effect::Save {
                then_quit,
                overwrite: false,
            });
        }
        (Overlay::SaveFailed { then_quit }, C::SaveAs) => {
            open_save_as(model, then_quit);
        }
        (_, C::Cancel) => model.overlay = None,
        _ => {}
    }
    None
}

/// The questions before a change: convert, delete, the type, the failure dialog.
fn changes_command(model: &mut Model, overlay: Overlay, command: Command) -> Option<Effect> {
    use Command as C;
    match (overlay, command) {
        (Overlay::ConfirmConvert(index), C::ConfirmYes) => convert(model, index),
        (Overlay::FailureDialog, C::Activate) => add_failure_dialog(model),
        (Overlay::ConfirmDelete(index), C::ConfirmYes) => delete(model, index),
        (Overlay::SelectType(choice), C::Up) => {
            model.overlay = Some(Overlay::SelectType(choice.saturating_sub(1)));
        }
        (Overlay::SelectType(choice), C::Down) => {
            let last = IntegrationKind::CHOICES.len() - 1;
            model.overlay = Some(Overlay::SelectType((choice + 1).min(last)));
        }
        (Overlay::SelectType(choice), C::Activate) => {
            model.overlay = None;
            super::pickers::change_type(model, choice);
        }

        (_, C::Cancel) => model.overlay = None,
        _ => {}
    }
    None
}

/// The boxes of sample values and results, and help.
fn boxes_command(model: &mut Model, overlay: Overlay, command: Command) -> Option<Effect> {
    use Command as C;
    match (overlay, command) {
        (Overlay::SampleResult, C::Leave) => apply_sample_result(model),
        (Overlay::SampleContext, C::Leave) => apply_sample_context(model),
        (Overlay::SampleContext, C::Undo) => {
            if let Some(area) = model.save_as.as_mut() {
                area.undo();
            }
        }
        (Overlay::Help, C::Down) => model.help_scroll = model.help_scroll.saturating_add(1),
        (Overlay::Help, C::Up) => model.help_scroll = model.help_scroll.saturating_sub(1),
        (_, C::Cancel) => model.overlay = None,
        _ => {}
    }
    None
}

/// Converts the interaction at `index`: an Agent Transfer interaction to an Integration
/// interaction running a new integration, or the other way round.
fn convert(model: &mut Model, index: usize) {
    model.overlay = None;
    stop_editing(model);
    let transfer = model.transfers.iter().position(|t| t.index == index);
    let result = match transfer {
        Some(_) => model
            .apply(Edit::ToIntegration { interaction: index })
            .map(|applied| {
                if let Made::IntegrationRunBy { integration, .. } = applied.made {
                    select_entry(model, Entry::Integration(integration));
                }
                "Converted to an Integration interaction running a new integration".to_string()
            }),
        None => model
            .apply(Edit::ToTransfer { interaction: index })
            .map(|_| {
                if let Some(p) = model.transfers.iter().position(|t| t.index == index) {
                    select_entry(model, Entry::Transfer(p));
                }
                "Converted to an Agent Transfer interaction in the same place".to_string()
            }),
    };
    model.focus = Focus::List;
    model.status = match result {
        Ok(done) => done,
        Err(e) => e.to_string(),
    };
}

/// Adds the dialog that catches failed transfers, with the apology typed.
fn add_failure_dialog(model: &mut Model) {
    let apology = close_box(model, " ");
    match model.apply(Edit::FailureDialog {
        message: apology.trim().to_string(),
    }) {
        Ok(Applied {
            made: Made::Dialog(added),
            ..
        }) => {
            model.status = format!(
                "Added the dialog \"{}\": failed transfers now get your apology",
                added.name
            );
        }
        Ok(_) => {}
        Err(e) => model.status = e.to_string(),
    }
}

/// Deletes the integration at `index`.
fn delete(model: &mut Model, index: usize) {
    model.overlay = None;
    let name = model
        .integrations
        .get(index)
        .map(|i| i.name.clone())
        .unwrap_or_default();
    match model.apply(Edit::Delete { integration: index }) {
        Ok(_) => {
            model.focus = Focus::List;
            model.status = format!("Deleted {name}");
        }
        Err(e) => model.status = e.to_string(),
    }
}

/// The commands that open a box or a question, from anywhere: help, the samples, the failure
/// dialog, converting.
pub(crate) fn open_command(model: &mut Model, command: Command) -> Handled {
    use Command as C;
    match command {
        C::Help => {
            model.help_scroll = 0;
            model.overlay = Some(Overlay::Help);
        }
        C::AddFailureDialog => open_failure_dialog(model),
        C::Palette => super::pickers::open_palette(model),
        C::PlaceInDialog => super::pickers::open_place(model),
        C::SetAccount => super::account::open_account(model),
        C::Convert => open_convert(model),
        C::EditSampleResult => open_sample_result(model),
        C::EditSampleContext => open_sample_context(model),
        _ => return Handled::NotConsumed,
    }
    Handled::DONE
}

fn open_failure_dialog(model: &mut Model) {
    if let Some(existing) = crate::bot::dialogs::failure_dialogs(&model.doc).first() {
        model.status = format!(
            "The dialog \"{}\" already catches failed transfers",
            existing.name
        );
    } else {
        stop_editing(model);
        let mut area = TextArea::new(vec![crate::bot::dialogs::DEFAULT_APOLOGY.to_string()]);
        // Typing goes on after the suggested apology, which wraps in its box.
        area.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        area.move_cursor(CursorMove::End);
        model.save_as = Some(area);
        model.overlay = Some(Overlay::FailureDialog);
    }
}

fn open_convert(model: &mut Model) {
    let target = match (model.current_transfer(), model.current()) {
        (Some(t), _) => Some(t.index),
        (None, Some(i)) if i.is_escalation() => model
            .doc
            .interactions()
            .iter()
            .find(|x| x.runs(i))
            .map(|x| x.index),
        _ => None,
    };
    match target {
        Some(index) => model.overlay = Some(Overlay::ConfirmConvert(index)),
        None => {
            model.status = "Select an Agent Transfer interaction, or an escalation integration that an Integration interaction runs".into();
        }
    }
}

fn open_sample_result(model: &mut Model) {
    let Some(current) = model.current().cloned() else {
        model.status = "Select an integration to give its script a sample result".into();
        return;
    };
    stop_editing(model);
    let text = model
        .sidecar
        .sample_results
        .get(&current.name)
        .and_then(|v| serde_json::to_string_pretty(v).ok())
        .unwrap_or_default();
    let mut area = TextArea::new(text.lines().map(str::to_string).collect());
    area.move_cursor(CursorMove::Bottom);
    model.save_as = Some(area);
    model.overlay = Some(Overlay::SampleResult);
}

fn open_sample_context(model: &mut Model) {
    stop_editing(model);
    let lines: Vec<String> = if model.sidecar.context.is_empty() {
        vec![String::new()]
    } else {
        model
            .sidecar
            .context
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect()
    };
    let mut area = TextArea::new(lines);
    area.move_cursor(CursorMove::Bottom);
    area.move_cursor(CursorMove::End);
    model.save_as = Some(area);
    model.overlay = Some(Overlay::SampleContext);
}

/// A key typed while an overlay is open: into its text box, if it has one; never further.
pub(crate) fn typed(model: &mut Model, key: KeyEvent) {
    if super::pickers::typed(model, key) || super::account::typed(model, key) {
        return;
    }
    match (model.overlay, model.save_as.as_mut()) {
        (Some(Overlay::SaveAs { .. } | Overlay::FailureDialog), Some(area))
            if key.code != KeyCode::Enter =>
        {
            super::box_input(area, key);
        }
        (Some(Overlay::SampleContext | Overlay::SampleResult), Some(area)) => {
            super::box_input(area, key);
        }
        _ => {}
    }
}

/// Text pasted while an overlay is open: into its text box, as the box takes lines.
pub(crate) fn paste(model: &mut Model, text: &str) {
    match (model.overlay, model.save_as.as_mut()) {
        (Some(Overlay::SaveAs { .. }), Some(area)) => {
            area.insert_str(text.replace('\n', ""));
        }
        (Some(Overlay::SampleContext | Overlay::SampleResult), Some(area)) => {
            area.insert_str(text);
        }
        (Some(Overlay::FailureDialog), Some(area)) => {
            area.insert_str(text.replace('\n', " "));
        }
        _ => {}
    }
}

/// Puts `text` in the open box in place of what it holds (the accessible mode's answer).
pub(crate) fn fill_box(model: &mut Model, text: &str) {
    if model.save_as.is_some() {
        model.save_as = Some(TextArea::new(text.lines().map(str::to_string).collect()));
    }
}

/// Closes the open box, returning what was typed in it, its lines joined with `joiner`.
fn close_box(model: &mut Model, joiner: &str) -> String {
    model.overlay = None;
    model
        .save_as
        .take()
        .map(|a| a.lines().join(joiner))
        .unwrap_or_default()
}
