//! The preview pane: the interaction delay, the transfer request body (configured or
//! evaluated), the script's run on its sample and the diagnostics; or the simulated timeline.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::Handled;
use crate::rules::Remedy;
use crate::rules::{Diagnostic, Severity};
use crate::runtime::delay::CountSource;
use crate::tui::draw::{clean, draw_border, draw_wrapped, inner, text_width, wrap_text};
use crate::tui::keymap::{self, Command};
use crate::tui::model::{Effect, Focus, Model, PreviewMode, PreviewTab};
use crate::tui::theme::Theme;

/// The delay lines of an Agent Transfer interaction.
fn transfer_delay_lines(model: &Model, theme: &Theme) -> Vec<Line<'static>> {
    let Some((messages, per, recommended)) = model.transfer_delay() else {
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
            format!(
                "  ! below the recommended {recommended} ms ({} applies it)",
                model.key(Command::ApplyDelay)
            ),
            theme.severity(Severity::Warning),
        ));
    }
    lines
}

/// A line of the transfer body's JSON, coloured, as rows of at most `width` columns: a long
/// value goes on under itself, its rows starting where it starts (or, after a long key,
/// indented under the key).
fn json_lines(line: &str, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let indent = line.len() - line.trim_start().len();
    let rest = line.trim_start();
    let Some((key, value)) = rest.split_once("\": ").filter(|_| rest.starts_with('"')) else {
        return vec![Line::from(vec![
            Span::raw(" ".repeat(indent)),
            Span::raw(clean(rest)),
        ])];
    };
    let key = format!("{}\":", clean(key));
    let value = clean(value);
    let style = if value.starts_with('"') {
        theme.fg(theme.colours().json_string)
    } else {
        theme.fg(theme.colours().json_other)
    };
    let lead = indent + key.chars().count() + 1;
    let key_span = || Span::styled(key.clone(), theme.fg(theme.colours().json_key));
    // A value of many rows is wrapped (once, cached) by the pane: rows of its own here would
    // be made again at every frame.
    if value.len() > 4096 || lead + Line::raw(value.as_str()).width() <= width {
        return vec![Line::from(vec![
            Span::raw(" ".repeat(indent)),
            key_span(),
            Span::raw(" "),
            Span::styled(value, style),
        ])];
    }
    // Under the value when the key leaves it half the width and no word of it is cut there;
    // else on the rows after the key, deeper than it.
    let longest = value.split(' ').map(text_width).max().unwrap_or(0);
    let (first, hang) = if lead <= width / 2 && longest <= width.saturating_sub(lead) {
        (true, lead)
    } else {
        (false, indent + 4)
    };
    let mut rows = Vec::new();
    let chunks = wrap_text(&value, width.saturating_sub(hang).max(8));
    let mut chunks = chunks.into_iter();
    if first {
        let chunk = chunks.next().unwrap_or_default();
        rows.push(Line::from(vec![
            Span::raw(" ".repeat(indent)),
            key_span(),
            Span::raw(" "),
            Span::styled(chunk, style),
        ]));
    } else {
        rows.push(Line::from(vec![Span::raw(" ".repeat(indent)), key_span()]));
    }
    for chunk in chunks {
        rows.push(Line::from(vec![
            Span::raw(" ".repeat(hang)),
            Span::styled(chunk, style),
        ]));
    }
    rows
}

fn preview_lines(model: &Model, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let bold = Style::new().add_modifier(Modifier::BOLD);
    if model.subject_label().is_none() || model.hidden() {
        lines.push(Line::raw("Nothing to preview."));
        return with_bot_diagnostics(model, lines, theme);
    }
    if let Some(body) = model.preview_body_text() {
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
            if plan.interaction.is_none() && plan.source == CountSource::HandEntered {
                let counted = model
                    .current()
                    .is_some_and(|i| model.sidecar.message_counts.contains_key(&i.name));
                if !counted {
                    let place = model.key(Command::PlaceInDialog);
                    lines.push(Line::raw("not run by any interaction yet"));
                    lines.push(Line::styled(
                        format!("  {place} places it in a dialog"),
                        theme.dim(),
                    ));
                    continue;
                }
                lines.push(Line::raw(format!(
                    "{} (count entered by hand)",
                    plan.formula()
                )));
                lines.push(Line::styled(
                    "  not run by any interaction yet",
                    theme.dim(),
                ));
                continue;
            }
            lines.push(Line::raw(plan.formula()));
            let now = match (&plan.interaction, plan.configured_ms) {
                (Some((_, name, dialog)), Some(ms)) => {
                    format!("  \"{}\" ({}) has {ms} ms", clean(name), clean(dialog))
                }
                (Some((_, name, dialog)), None) => {
                    format!("  \"{}\" ({}) has no delay", clean(name), clean(dialog))
                }
                (None, _) => "  not run by any interaction yet".into(),
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
            Span::styled(
                format!("  {} toggles", model.key(Command::TogglePreviewMode)),
                theme.dim(),
            ),
        ]));
        lines.extend(body.lines().flat_map(|l| json_lines(l, theme, width)));
    } else if let Some(current) = model.current() {
        lines.push(Line::raw(format!(
            "No transfer body: \"{}\" is {} integration.",
            clean(&current.name),
            clean(&current.kind.with_article())
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
        lines.push(Line::styled("✓ no problems", theme.good()));
    }
    for d in own {
        lines.extend(diagnostic_lines(&model.keymap, d, theme));
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
                "  running the script on the sample result…".to_string()
            } else {
                format!(
                    "  no sample result yet: {} to paste one",
                    model.key(Command::EditSampleResult)
                )
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
            lines.extend(diagnostic_lines(&model.keymap, d, theme));
        }
    }
    lines
}

fn diagnostic_lines(keymap: &keymap::Keymap, d: &Diagnostic, theme: &Theme) -> Vec<Line<'static>> {
    let field = d
        .field
        .map_or(String::new(), |f| format!("{}: ", f.label()));
    vec![
        Line::styled(
            format!("{} {}{}", d.severity.symbol(), field, clean(&d.message)),
            theme.severity(d.severity),
        ),
        Line::styled(
            format!("  fix: {}{}", clean(&d.fix), remedy_hint(keymap, d.remedy)),
            theme.dim(),
        ),
    ]
}

/// " (Ctrl-F adds a dialog that catches it)": the key of the editor's action that does a fix,
/// or its name in the palette when it has no key.
pub(crate) fn remedy_hint(keymap: &keymap::Keymap, remedy: Option<Remedy>) -> String {
    let Some(remedy) = remedy else {
        return String::new();
    };
    let (command, does) = match remedy {
        Remedy::ApplyDelay => (Command::ApplyDelay, "applies the recommended delay"),
        Remedy::AddFailureDialog => (Command::AddFailureDialog, "adds a dialog that catches it"),
        Remedy::SampleValues => (Command::EditSampleContext, "sets sample values"),
    };
    match keymap.keys_of(command) {
        Some(keys) => format!(" ({keys} {does})"),
        None => format!(" (Ctrl-P, then \"{does}\")"),
    }
}

/// Lines as plain text, for the accessible mode: what the panes show, without their colours.
fn plain(lines: Vec<Line<'static>>) -> Vec<String> {
    lines
        .into_iter()
        .map(|line| line.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect()
}

/// The preview pane as text: the interaction delay, the transfer body, the script run and
/// the diagnostics.
pub(crate) fn preview_text(model: &Model) -> Vec<String> {
    plain(preview_lines(model, &Theme::of(model), 100))
}

/// The Simulate tab as text: the scenario and the timeline.
pub(crate) fn simulation_text(model: &Model) -> Vec<String> {
    plain(simulation_lines(model, &Theme::of(model)))
}

/// The Simulate tab: the scenario's toggles and the timeline.
fn simulation_lines(model: &Model, theme: &Theme) -> Vec<Line<'static>> {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    if model.hidden() {
        return vec![Line::raw(
            "Nothing to simulate: the filter hides the selection.",
        )];
    }
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
            Span::styled(
                format!(
                    "  {} back to the body",
                    model.key(Command::TogglePreviewTab)
                ),
                theme.dim(),
            ),
        ]),
        Line::raw(format!(
            "{} dropped request: {}   {} agent unavailable: {}",
            model.key(Command::SimulateDrop),
            on(sc.dropped),
            model.key(Command::SimulateAgentUnavailable),
            on(sc.agent_unavailable)
        )),
        Line::raw(format!(
            "{} failed attempts: {}   {} failure dialog: {dialog}",
            model.key(Command::SimulateFailures),
            sc.failures,
            model.key(Command::SimulateFailureDialog),
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

pub(crate) fn draw_preview(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let tab = model.key(Command::TogglePreviewTab);
    let (mut lines, title) = match model.preview_tab {
        PreviewTab::Body => (
            preview_lines(model, theme, usize::from(inner(area).width)),
            format!(" Preview · {tab} simulate "),
        ),
        PreviewTab::Simulate => (
            simulation_lines(model, theme),
            format!(" Simulate · {tab} body "),
        ),
    };
    // Every line takes at least a row: lines past the scroll and the pane's height are not
    // seen, and wrapping them would only cost time.
    let all = lines.len();
    lines.truncate(usize::from(model.preview_scroll) + usize::from(area.height));
    draw_border(frame.buffer_mut(), area, &title, Style::default());
    let ended = draw_wrapped(
        frame,
        &model.frame.wrapped,
        &lines,
        inner(area),
        model.preview_scroll,
    );
    model.frame.drawn.borrow_mut().preview_at_end = ended && lines.len() == all;
}

pub(crate) fn mode_name(mode: PreviewMode) -> &'static str {
    match mode {
        PreviewMode::Configured => "configured",
        PreviewMode::Evaluated => "evaluated",
    }
}

/// The preview's commands: copying and scrolling it, its body's mode, its tab and the
/// simulated scenario. None depends on the focus.
pub(crate) fn command(model: &mut Model, command: Command) -> Handled {
    use Command as C;
    match command {
        C::CopyBody => return Handled::Consumed(copy_body(model)),
        C::PreviewUp => model.preview_scroll = model.preview_scroll.saturating_sub(10),
        // Not past the end: the last frame says whether it showed the preview's last line.
        C::PreviewDown if model.frame.drawn.borrow().preview_at_end => {}
        C::PreviewDown => model.preview_scroll = model.preview_scroll.saturating_add(10),
        C::Leave if model.preview_tab == PreviewTab::Simulate && model.focus == Focus::List => {
            model.preview_tab = PreviewTab::Body;
            model.preview_scroll = 0;
        }
        C::SimulateAgentUnavailable
            if model.current_escalation().is_some() && !model.applies(command) =>
        {
            model.status = "Agent unavailable does not apply: no Agent Id is set, so the transfer goes to the skill anyway".into();
        }
        C::TogglePreviewMode => {
            model.preview_mode = match model.preview_mode {
                PreviewMode::Configured => PreviewMode::Evaluated,
                PreviewMode::Evaluated => PreviewMode::Configured,
            };
            model.status = format!("Preview shows the {} body", mode_name(model.preview_mode));
        }
        C::TogglePreviewTab => {
            model.preview_tab = match model.preview_tab {
                PreviewTab::Body => PreviewTab::Simulate,
                PreviewTab::Simulate => PreviewTab::Body,
            };
            model.preview_scroll = 0;
        }
        C::SimulateDrop
        | C::SimulateAgentUnavailable
        | C::SimulateFailures
        | C::SimulateFailureDialog => scenario_command(model, command),
        _ => return Handled::NotConsumed,
    }
    Handled::DONE
}

/// Copies the transfer body the preview shows (OSC 52).
fn copy_body(model: &mut Model) -> Option<Effect> {
    let Some(text) = model.preview_body_text() else {
        model.status = "Nothing to copy: the selected integration has no transfer body".into();
        return None;
    };
    model.status = format!(
        "Copied the {} transfer body ({} bytes) to the clipboard (OSC 52)",
        mode_name(model.preview_mode),
        text.len()
    );
    Some(Effect::Copy(text))
}

/// One toggle of the simulated scenario; the Simulate tab shows its outcome.
fn scenario_command(model: &mut Model, command: Command) {
    let scenario = &mut model.scenario;
    match command {
        Command::SimulateDrop => scenario.dropped = !scenario.dropped,
        Command::SimulateAgentUnavailable => {
            scenario.agent_unavailable = !scenario.agent_unavailable;
        }
        Command::SimulateFailures => scenario.failures = (scenario.failures + 1) % 6,
        Command::SimulateFailureDialog => {
            scenario.failure_dialog = match scenario.failure_dialog {
                None => Some(true),
                Some(true) => Some(false),
                Some(false) => None,
            };
        }
        _ => return,
    }
    model.preview_tab = PreviewTab::Simulate;
}
