//! The bot's account in the editor: setting it (`a` on the list, or the palette), and the
//! pickers that fill Agent Skill Name and Agent Skill Id together, or Agent Id, from the
//! account's kept skills and users (`escalator account pull`).

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui_textarea::{CursorMove, TextArea};

use super::form::set_field;
use crate::bot::integration::Field;
use crate::tui::draw::{centered, clean, truncate};
use crate::tui::keymap::Command;
use crate::tui::model::{Model, Overlay, PickKind, Picking};
use crate::tui::theme::Theme;
use crate::workspace::account::{self, Account};
use crate::workspace::sidecar::Sidecar;

use super::pickers::PAGE;

/// Opens the box where the bot's account id is typed, with the one set (or the only one kept).
pub(crate) fn open_account(model: &mut Model) {
    super::form::stop_editing(model);
    let suggestion = model.sidecar.account.clone().unwrap_or_else(|| {
        let kept: Vec<String> = account::folder()
            .map(|f| account::all_kept(&f))
            .unwrap_or_default()
            .into_iter()
            .filter_map(Result::ok)
            .map(|a| a.id)
            .collect();
        if kept.len() == 1 {
            kept[0].clone()
        } else {
            String::new()
        }
    });
    let mut area = TextArea::new(vec![suggestion]);
    area.move_cursor(CursorMove::End);
    model.save_as = Some(area);
    model.overlay = Some(Overlay::AccountId);
}

/// Takes the typed id as the bot's account (saved with escalator's settings for the bot),
/// with its kept lists.
fn set_account(model: &mut Model) {
    let id = model
        .save_as
        .take()
        .map(|a| a.lines().join(""))
        .unwrap_or_default()
        .trim()
        .to_string();
    model.overlay = None;
    // Empty: no account.
    if !id.is_empty()
        && let Err(why) = account::check_id(&id)
    {
        model.status = why;
        return;
    }
    let settings = Sidecar {
        account: Some(id.clone()).filter(|id| !id.is_empty()),
        ..model.sidecar.clone()
    }
    .with_kept_account();
    model.status = match (&settings.account, &settings.kept_account) {
        (None, _) => "No account: skills and agents are not checked".into(),
        (Some(_), Some(kept)) => format!(
            "Account {id}: {} skills and {} users, fetched {}; Enter on a skill or agent field picks from them",
            kept.skills.len(),
            kept.users.len(),
            kept.age(account::now())
        ),
        (Some(_), None) => format!(
            "Account {id} is not kept yet: run escalator account pull --account {id} (or account import), then set it again"
        ),
    };
    if settings == model.sidecar {
        // The same account, read again (pulled since): its lists, no step.
        model.sidecar.kept_account = settings.kept_account;
        model.refresh();
    } else {
        model.change_settings("the bot's account", settings);
    }
}

/// Opens the picker for `field` when the bot's account is kept: `false` when it is not (the
/// field is typed in as before).
pub(crate) fn open_picker(model: &mut Model, field: Field) -> bool {
    let kind = match field {
        Field::SkillName | Field::SkillId => PickKind::Skill,
        Field::AgentId => PickKind::Agent,
        _ => return false,
    };
    if model.sidecar.kept_account.is_none() {
        return false;
    }
    model.picking = Some(Picking {
        kind,
        query: String::new(),
        choice: 0,
    });
    model.overlay = Some(Overlay::Pick);
    true
}

/// The choices for what is typed: the value to fill and the text shown.
fn choices(model: &Model, picking: &Picking) -> Vec<(String, String, String)> {
    let Some(account) = model.sidecar.kept_account.as_deref() else {
        return Vec::new();
    };
    let needle = picking.query.trim().to_lowercase();
    let fits = |text: &str| needle.is_empty() || text.to_lowercase().contains(&needle);
    match picking.kind {
        PickKind::Skill => account
            .skills
            .iter()
            .filter(|s| !s.deleted)
            .filter(|s| fits(&format!("{} {}", s.name, s.id)))
            .map(|s| {
                (
                    s.name.clone(),
                    s.id.to_string(),
                    format!("{}  ({})", s.name, s.id),
                )
            })
            .collect(),
        PickKind::Agent => agents(model, account)
            .into_iter()
            .filter(|(_, shown)| fits(shown))
            .map(|(id, shown)| (String::new(), id, shown))
            .collect(),
    }
}

/// The enabled users on the selected escalation's skill (every enabled one when the skill is
/// a variable): the Agent Id to write (`<account>.<agent>`, as Messaging takes it) and who.
fn agents(model: &Model, account: &Account) -> Vec<(String, String)> {
    let skill = model
        .current_escalation()
        .and_then(|e| e.skill_id.trim().parse::<u64>().ok());
    account
        .users
        .iter()
        // People: Agent Id is for bot-to-human transfers.
        .filter(|u| u.active() && u.user_type == 1)
        .filter(|u| skill.is_none_or(|s| u.skill_ids.contains(&s)))
        .map(|u| (format!("{}.{}", account.id, u.id), u.describe()))
        .collect()
}

/// Fills the chosen skill (name and id, one step to undo) or agent.
fn fill(model: &mut Model) {
    let Some(picking) = model.picking.take() else {
        return;
    };
    model.overlay = None;
    let list = choices(model, &picking);
    let Some((name, id, _)) = list.get(picking.choice).cloned() else {
        model.status = "Nothing picked".into();
        return;
    };
    let depth = model.history.depth().0;
    match picking.kind {
        PickKind::Skill => {
            if model.current_transfer().is_none() {
                set_field(model, Field::SkillName, &name);
            }
            set_field(model, Field::SkillId, &id);
            model.history.join_since(depth, &model.doc);
            model.status = format!("Skill {name} ({id})");
        }
        PickKind::Agent => {
            set_field(model, Field::AgentId, &id);
            model.status = format!("Agent Id {id}");
        }
    }
}

/// The commands of the boxes here, while one is open.
pub(crate) fn command(model: &mut Model, overlay: Overlay, command: Command) -> bool {
    match overlay {
        Overlay::AccountId => match command {
            Command::Activate => set_account(model),
            Command::Cancel => {
                model.overlay = None;
                model.save_as = None;
            }
            _ => {}
        },
        Overlay::Pick => {
            let count = model
                .picking
                .as_ref()
                .map_or(0, |p| choices(model, p).len());
            let last = count.saturating_sub(1);
            match (command, model.picking.as_mut()) {
                (Command::Activate, _) => fill(model),
                // Esc: the field is typed in instead, as it is.
                (Command::Cancel, _) => {
                    model.overlay = None;
                    model.picking = None;
                    if let crate::tui::model::Focus::Field(field) = model.focus {
                        let text = model.field_value(field);
                        super::form::start_editing(
                            model,
                            crate::tui::model::EditTarget::Field(field),
                            &text,
                        );
                    }
                }
                (Command::Up, Some(p)) => p.choice = p.choice.saturating_sub(1),
                (Command::Down, Some(p)) => p.choice = (p.choice + 1).min(last),
                (Command::PreviewUp, Some(p)) => p.choice = p.choice.saturating_sub(PAGE),
                (Command::PreviewDown, Some(p)) => p.choice = (p.choice + PAGE).min(last),
                _ => {}
            }
        }
        _ => return false,
    }
    true
}

/// A key typed while a box here is open.
pub(crate) fn typed(model: &mut Model, key: KeyEvent) -> bool {
    match model.overlay {
        Some(Overlay::Pick) => {
            if let Some(p) = model.picking.as_mut()
                && super::edit_query(&mut p.query, key)
            {
                p.choice = 0;
            }
        }
        Some(Overlay::AccountId) => {
            if let Some(area) = model.save_as.as_mut() {
                super::box_input(area, key);
            }
        }
        _ => return false,
    }
    true
}

/// Draws the box here that is open, if one is.
pub(crate) fn draw(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) -> bool {
    match model.overlay {
        Some(Overlay::Pick) => draw_pick(model, frame, area, theme),
        Some(Overlay::AccountId) => draw_account(model, frame, area),
        _ => return false,
    }
    true
}

fn draw_pick(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let Some(picking) = &model.picking else {
        return;
    };
    let list = choices(model, picking);
    let (what, empty) = match picking.kind {
        PickKind::Skill => ("skill", "no skill of the account matches"),
        PickKind::Agent => ("agent", "no enabled agent of the account is on this skill"),
    };
    let age = model
        .sidecar
        .kept_account
        .as_deref()
        .map_or_else(String::new, |a| {
            format!("account {}, lists of {}", a.id, a.age(account::now()))
        });
    let rect = centered(area, 72, area.height.saturating_sub(4).min(20));
    frame.render_widget(Clear, rect);
    let width = usize::from(rect.width.saturating_sub(2));
    let rows = usize::from(rect.height.saturating_sub(5));
    let mut lines = vec![
        Line::raw(truncate(
            &format!("Type part of a name or an id: {}▏", clean(&picking.query)),
            width,
        )),
        Line::default(),
    ];
    if list.is_empty() {
        lines.push(Line::styled(empty, theme.dim()));
    }
    let first = picking.choice.saturating_sub(rows.saturating_sub(1));
    for (i, (_, _, shown)) in list.iter().enumerate().skip(first).take(rows) {
        let style = if i == picking.choice {
            theme.focus()
        } else {
            Style::new()
        };
        lines.push(Line::styled(
            truncate(&format!(" {}", clean(shown)), width),
            style,
        ));
    }
    lines.push(Line::styled(
        format!(
            "{} of {} · {}",
            (picking.choice + 1).min(list.len()),
            list.len(),
            clean(&age)
        ),
        theme.dim(),
    ));
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(format!(
            " Pick the {what} (Enter fills, Esc to type it yourself) "
        ))),
        rect,
    );
}

fn draw_account(model: &Model, frame: &mut Frame, area: Rect) {
    super::overlays::draw_line_input(
        model,
        frame,
        area,
        " The bot's account (Enter sets, Esc cancels) ",
        "Account id (its skills and users are kept with escalator account pull):",
    );
}
