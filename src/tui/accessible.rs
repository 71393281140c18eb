//! The editor as plain line-by-line prompts, for screen readers and anyone who cannot follow
//! a full-screen form: no alternate screen, no cursor movement, no colour. It works on the
//! same model as the full-screen editor, through the same edits, rules, preview, simulation,
//! placing and saving; only the way it is shown and answered differs. Everything a file
//! brings is shown with its hidden characters as escapes, so no file can drive the terminal.
//!
//! Each question names its answers; a number chooses from a numbered list. The end of the
//! input (Ctrl-D, or the end of a piped script) is "back" everywhere, and at the top it ends
//! the session: edits not saved are kept in the journal, as the full-screen editor keeps
//! them, and offered when the file is opened again.

use std::io::{BufRead, Write};
use std::path::Path;

use super::components::{form, list, overlays, pickers, preview};
use super::keymap::Command;
use super::model::{Action, Entry, Model, Overlay};
use super::update::update;
use crate::bot::BotDocument;
use crate::bot::integration::{Field, IntegrationKind};
use crate::export::shown::for_terminal;
use crate::rules::{Diagnostic, Remedy};
use crate::workspace::journal::Journal;
use crate::workspace::sidecar::Sidecar;

/// Whether the environment asks for the accessible mode (`ESCALATOR_ACCESSIBLE` set to
/// anything but empty, `0` or `false`).
pub fn wanted_by_environment() -> bool {
    std::env::var("ESCALATOR_ACCESSIBLE")
        .is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false" | "no"))
}

/// Opens `path` in the accessible mode on the process's standard input and output; the
/// exit code when it ends.
pub fn run(path: &Path) -> Result<i32, String> {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut out = std::io::stdout();
    session(path, &mut input, &mut out)
}

/// The accessible mode on `input` and `out`.
pub fn session(path: &Path, input: &mut dyn BufRead, out: &mut dyn Write) -> Result<i32, String> {
    let (doc, parts) = BotDocument::load_with_parts(path).map_err(|e| e.to_string())?;
    let sidecar = Sidecar::load(path).map_err(|e| e.to_string())?;
    let mut model = Model::opened(doc, parts, sidecar, path.to_path_buf());
    model.read_only = !crate::export::save::may_write(path);
    super::config::Settings::of(&crate::workspace::config::load()).apply(&mut model);
    model.check();
    let mut talk = Talk { input, out };
    let journal = Journal::in_default_dir();
    talk.say(&format!(
        "escalator, line by line. {}: bot \"{}\", {}, {}.",
        path.display(),
        model.doc.bot_name(),
        super::model::plural(model.integrations.len(), "integration"),
        super::model::plural(model.transfers.len(), "Agent Transfer interaction"),
    ));
    if let Some(note) = &model.config_note {
        talk.say(note);
    }
    if model.read_only {
        talk.say("The file cannot be written here: save as another file with w.");
    }
    if let Some(journal) = &journal
        && journal
            .left_for(path)
            .iter()
            .any(|entry| model.differs_from(entry))
    {
        talk.say(
            "Unsaved edits of an earlier session are kept for this file; open it in the full-screen editor to restore or drop them.",
        );
    }
    let mut a = Accessible {
        model,
        talk,
        journal,
    };
    a.list();
    let code = a.main();
    Ok(code)
}

/// Reading answers and saying things.
struct Talk<'a> {
    input: &'a mut dyn BufRead,
    out: &'a mut dyn Write,
}

impl Talk<'_> {
    /// One or more lines, each made safe to show.
    fn say(&mut self, text: &str) {
        for line in text.lines() {
            let _ = writeln!(self.out, "{}", for_terminal(line, false));
        }
        if text.is_empty() {
            let _ = writeln!(self.out);
        }
        let _ = self.out.flush();
    }

    /// Asks `question` and reads one answer line (its end trimmed); `None` at the end of the
    /// input.
    fn ask(&mut self, question: &str) -> Option<String> {
        let _ = write!(self.out, "{}\n> ", for_terminal(question, false));
        let _ = self.out.flush();
        let mut line = String::new();
        match self.input.read_line(&mut line) {
            Ok(0) | Err(_) => {
                let _ = writeln!(self.out);
                None
            }
            Ok(_) => Some(line.trim_end_matches(['\n', '\r']).to_string()),
        }
    }

    /// Asks for several lines, ended by a line holding only a dot; `None` at the end of the
    /// input.
    fn ask_lines(&mut self, question: &str) -> Option<Vec<String>> {
        let mut lines = Vec::new();
        let mut next = self.ask(question)?;
        loop {
            if next == "." {
                return Some(lines);
            }
            lines.push(next);
            let mut line = String::new();
            let _ = write!(self.out, "> ");
            let _ = self.out.flush();
            match self.input.read_line(&mut line) {
                Ok(0) | Err(_) => return None,
                Ok(_) => next = line.trim_end_matches(['\n', '\r']).to_string(),
            }
        }
    }
}

struct Accessible<'a> {
    model: Model,
    talk: Talk<'a>,
    journal: Option<Journal>,
}

/// A diagnostic as one line: "warning: Agent Skill Id: … Fix: …".
fn diagnostic_text(d: &Diagnostic) -> String {
    let field = d
        .field
        .map_or(String::new(), |f| format!("{}: ", f.label()));
    format!("{}: {field}{}; fix: {}.", d.severity, d.message, d.fix)
}

/// What an editor's action that fixes a diagnostic does, as a choice.
fn remedy_name(remedy: Remedy) -> &'static str {
    match remedy {
        Remedy::ApplyDelay => "apply the recommended interaction delay",
        Remedy::AddFailureDialog => "add a dialog that catches failed transfers",
        Remedy::SampleValues => "set sample values of the bot's variables",
    }
}

/// "1 error, 2 warnings" or "no problems".
fn counts(diagnostics: &[Diagnostic]) -> String {
    use crate::rules::Severity;
    let n = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    let parts: Vec<String> = [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Hint, "hint"),
    ]
    .into_iter()
    .filter(|(s, _)| n(*s) > 0)
    .map(|(s, word)| super::model::plural(n(s), word))
    .collect();
    if parts.is_empty() {
        "no problems".into()
    } else {
        parts.join(", ")
    }
}

impl Accessible<'_> {
    /// Says the model's status line, when it has one, and clears it.
    fn status(&mut self) {
        let status = std::mem::take(&mut self.model.status);
        if !status.is_empty() {
            self.talk.say(&status);
        }
    }

    fn command(&mut self, command: Command) {
        let _ = update(&mut self.model, Action::Command(command));
    }

    /// The integrations and Agent Transfer interactions, numbered.
    fn entries(&self) -> Vec<Entry> {
        self.model
            .entries()
            .iter()
            .copied()
            .filter(|e| *e != Entry::TransfersHeading)
            .collect()
    }

    fn list(&mut self) {
        let entries = self.entries();
        if entries.is_empty() {
            self.talk.say("The bot has no integrations yet.");
        }
        let mut lines = Vec::new();
        for (n, entry) in entries.iter().enumerate() {
            let diagnostics = self.model.diagnostics_of(*entry);
            let what = match entry {
                Entry::Integration(i) => self
                    .model
                    .integrations
                    .get(*i)
                    .map(|i| format!("{}, {}", i.name, i.kind.label())),
                Entry::Transfer(t) => self
                    .model
                    .transfers
                    .get(*t)
                    .map(|t| format!("{}, Agent Transfer interaction", t.name)),
                Entry::TransfersHeading => None,
            };
            if let Some(what) = what {
                lines.push(format!("{}. {what}: {}.", n + 1, counts(diagnostics)));
            }
        }
        let bot: Vec<Diagnostic> = self
            .model
            .diagnostics()
            .filter(|d| d.integration.is_none())
            .cloned()
            .collect();
        if !bot.is_empty() {
            lines.push(format!("The bot as a whole: {}.", counts(&bot)));
        }
        self.talk.say(&lines.join("\n"));
    }

    /// The top: choose, add, check, save, quit. Returns the exit code.
    fn main(&mut self) -> i32 {
        // The answers are named in full the first time, and again on ?.
        let mut told = false;
        loop {
            let modified = if self.model.is_modified() {
                " (unsaved edits)"
            } else {
                ""
            };
            let question = if told {
                format!("Main{modified}. Answer (? names the answers):")
            } else {
                told = true;
                format!(
                    "Main{modified}. A number opens that integration; a adds an escalation, l lists, d says every problem, u undoes, r redoes, s saves, w saves as, q quits, ? helps."
                )
            };
            let Some(answer) = self.talk.ask(&question) else {
                return self.end_of_input();
            };
            match answer.trim() {
                "" => {}
                "?" | "h" | "help" => {
                    told = false;
                    self.help();
                }
                "l" => self.list(),
                "a" => {
                    self.command(Command::AddIntegration);
                    self.status();
                    self.subject(true);
                }
                "d" => self.all_problems(),
                "u" => {
                    self.command(Command::Undo);
                    self.status();
                }
                "r" => {
                    self.command(Command::Redo);
                    self.status();
                }
                "s" => self.save(),
                "w" => self.save_as(),
                "q" => {
                    if let Some(code) = self.quit() {
                        return code;
                    }
                }
                other => match other.parse::<usize>() {
                    Ok(n) if n >= 1 && n <= self.entries().len() => {
                        let entry = self.entries()[n - 1];
                        list::select_entry(&mut self.model, entry);
                        self.subject(false);
                    }
                    _ => self.talk.say(&format!(
                        "\"{other}\" is not an answer here: type a number from 1 to {}, or a letter the question names.",
                        self.entries().len()
                    )),
                },
            }
        }
    }

    fn help(&mut self) {
        self.talk.say(
            "Each question lists its answers; type one and press Enter. Numbers choose from the last list. \
An empty answer keeps a field as it is; a single - empties it. Long fields (Message to User, \
Transform Result Script, Custom Data Fields) take several lines, ended by a line holding only a dot. \
The end of the input goes back, and at the top ends the session; unsaved edits are then kept for the next time.",
        );
    }

    fn all_problems(&mut self) {
        let all: Vec<Diagnostic> = self.model.diagnostics().cloned().collect();
        if all.is_empty() {
            self.talk.say("No problems.");
            return;
        }
        let mut lines = vec![format!("{}:", counts(&all))];
        for d in &all {
            let about = d.integration.as_deref().unwrap_or("the bot");
            lines.push(format!("{about}: {}", diagnostic_text(d)));
        }
        self.talk.say(&lines.join("\n"));
    }

    /// The selected integration or Agent Transfer interaction: its fields, problems, preview,
    /// placing and simulation. `walk`: go through its fields first (a new one).
    fn subject(&mut self, walk: bool) {
        if walk {
            self.walk();
        }
        let mut told = false;
        loop {
            let Some(label) = self.model.subject_label() else {
                return;
            };
            let kind = match (self.model.current_transfer(), self.model.current()) {
                (Some(_), _) => "Agent Transfer interaction".to_string(),
                (None, Some(i)) => i.kind.label().to_string(),
                _ => String::new(),
            };
            let problems = counts(self.model.subject_diagnostics());
            let escalation = self.model.current_escalation().is_some();
            let mut choices = String::from(
                "f lists the fields, a number edits that field, e goes through them all, v says the problems and fixes, p previews",
            );
            if escalation {
                choices.push_str(", m simulates");
                if self.model.current().is_some() {
                    choices.push_str(", i places it in a dialog");
                }
            }
            if self.model.current().is_some() {
                choices.push_str(", x deletes it");
            }
            choices.push_str(", b goes back, ? names these answers again");
            let question = if told {
                format!("{label}: {problems}. Answer (? names the answers):")
            } else {
                told = true;
                format!("{label}, {kind}: {problems}. {choices}.")
            };
            let Some(answer) = self.talk.ask(&question) else {
                return;
            };
            match answer.trim() {
                "" => {}
                "?" => told = false,
                "b" => return,
                "f" => self.fields(),
                "e" => self.walk(),
                "v" => self.problems(),
                "p" => self.talk.say(&preview::preview_text(&self.model).join("\n")),
                "m" if escalation => self.simulate(),
                "i" if escalation && self.model.current().is_some() => self.place(),
                "x" if self.model.current().is_some() => {
                    if self.delete() {
                        return;
                    }
                }
                other => match other.parse::<usize>() {
                    Ok(n) if n >= 1 && n <= self.model.fields().len() => {
                        let field = self.model.fields()[n - 1];
                        self.field(field);
                    }
                    _ => self.talk.say(&format!(
                        "\"{other}\" is not an answer here: type a field's number (f lists them) or a letter the question names."
                    )),
                },
            }
        }
    }

    fn fields(&mut self) {
        let mut lines = Vec::new();
        for (n, field) in self.model.fields().into_iter().enumerate() {
            let value = self.model.field_value(field);
            let shown = if value.is_empty() {
                "empty".to_string()
            } else if value.contains('\n') {
                format!("{} lines", value.lines().count())
            } else {
                value
            };
            let problems: Vec<Diagnostic> = self
                .model
                .subject_diagnostics()
                .iter()
                .filter(|d| d.field == Some(field))
                .cloned()
                .collect();
            let required = if field.is_required() {
                ", required"
            } else {
                ""
            };
            let note = if problems.is_empty() {
                String::new()
            } else {
                format!(" ({})", counts(&problems))
            };
            lines.push(format!(
                "{}. {}{required}: {shown}{note}",
                n + 1,
                field.label()
            ));
        }
        self.talk.say(&lines.join("\n"));
    }

    /// Every field, one question each; the end of the input stops.
    fn walk(&mut self) {
        let fields = self.model.fields();
        for field in fields {
            // A type change can take fields away.
            if !self.model.fields().contains(&field) {
                continue;
            }
            if !self.field(field) {
                return;
            }
        }
        self.talk.say("That was the last field.");
    }

    /// One field: its help, its value, a new value, then what the rules say of it. `false`
    /// at the end of the input.
    fn field(&mut self, field: Field) -> bool {
        let value = self.model.field_value(field);
        let required = if field.is_required() {
            " (required)"
        } else {
            ""
        };
        let help = match (field, self.model.current()) {
            (Field::IntegrationType, Some(i)) => i.kind.help(),
            _ => field.help(),
        };
        self.talk
            .say(&format!("{}{required}: {help}", field.label()));
        let answer = match field {
            Field::IntegrationType => {
                let mut lines = vec![format!("Now: {value}.")];
                for (n, kind) in IntegrationKind::CHOICES.iter().enumerate() {
                    lines.push(format!("{}. {}", n + 1, kind.label()));
                }
                self.talk.say(&lines.join("\n"));
                let Some(answer) = self
                    .talk
                    .ask("A number chooses the type; an empty answer keeps it.")
                else {
                    return false;
                };
                match answer.trim().parse::<usize>() {
                    Ok(n) if n >= 1 && n <= IntegrationKind::CHOICES.len() => {
                        Some(IntegrationKind::CHOICES[n - 1].label().to_string())
                    }
                    _ if answer.trim().is_empty() => None,
                    _ => {
                        self.talk.say("Not a type's number: the type is as it was.");
                        None
                    }
                }
            }
            Field::TransferBotContext => {
                let now = if value == "true" { "yes" } else { "no" };
                let Some(answer) = self
                    .talk
                    .ask(&format!("Now: {now}. y or n; an empty answer keeps it."))
                else {
                    return false;
                };
                match answer.trim() {
                    "y" | "yes" => Some("true".into()),
                    "n" | "no" => Some("false".into()),
                    _ => None,
                }
            }
            Field::Message | Field::TransformScript | Field::CustomData => {
                let now = if value.is_empty() {
                    "Now empty.".to_string()
                } else {
                    format!("Now:\n{value}\n(end of the value)")
                };
                self.talk.say(&now);
                let how = if field == Field::CustomData {
                    "Type the rows as key=value lines"
                } else {
                    "Type the new text"
                };
                let Some(lines) = self.talk.ask_lines(&format!(
                    "{how}, then a line holding only a dot. A dot alone keeps it; a single - empties it."
                )) else {
                    return false;
                };
                match lines.as_slice() {
                    [] => None,
                    [only] if only == "-" => Some(String::new()),
                    _ => Some(lines.join("\n")),
                }
            }
            _ => {
                let now = if value.is_empty() {
                    "Now empty".to_string()
                } else {
                    format!("Now: {value}")
                };
                let Some(answer) = self.talk.ask(&format!(
                    "{now}. Type the new value; an empty answer keeps it, a single - empties it."
                )) else {
                    return false;
                };
                match answer.as_str() {
                    "" => None,
                    "-" => Some(String::new()),
                    _ => Some(answer),
                }
            }
        };
        if let Some(text) = answer {
            form::set_field(&mut self.model, field, &text);
            match self.model.edit_error.take() {
                Some((_, why)) => self.talk.say(&format!("Not changed: {why}")),
                None => {
                    let now = self.model.field_value(field);
                    self.talk.say(&if now.contains('\n') {
                        format!("{} is now {} lines.", field.label(), now.lines().count())
                    } else if now.is_empty() {
                        format!("{} is now empty.", field.label())
                    } else {
                        format!("{} is now {now}.", field.label())
                    });
                }
            }
            self.model.status.clear();
        }
        let problems: Vec<String> = self
            .model
            .subject_diagnostics()
            .iter()
            .filter(|d| d.field == Some(field))
            .map(diagnostic_text)
            .collect();
        if !problems.is_empty() {
            self.talk.say(&problems.join("\n"));
        }
        true
    }

    /// The selection's problems, and the editor's fixes for those that have one.
    fn problems(&mut self) {
        let mut all: Vec<Diagnostic> = self.model.subject_diagnostics().to_vec();
        all.extend(
            self.model
                .diagnostics()
                .filter(|d| d.integration.is_none())
                .cloned(),
        );
        if all.is_empty() {
            self.talk.say("No problems.");
            return;
        }
        let mut lines = Vec::new();
        let mut fixes: Vec<Remedy> = Vec::new();
        for d in &all {
            lines.push(diagnostic_text(d));
            if let Some(remedy) = d.remedy
                && !fixes.contains(&remedy)
            {
                fixes.push(remedy);
            }
        }
        self.talk.say(&lines.join("\n"));
        if fixes.is_empty() {
            return;
        }
        let mut question = String::from("The editor can fix some of them:");
        for (n, remedy) in fixes.iter().enumerate() {
            question.push_str(&format!(" {} {};", n + 1, remedy_name(*remedy)));
        }
        question.push_str(" a number does it, an empty answer goes back.");
        let Some(answer) = self.talk.ask(&question) else {
            return;
        };
        if let Ok(n) = answer.trim().parse::<usize>()
            && n >= 1
            && n <= fixes.len()
        {
            self.remedy(fixes[n - 1]);
        }
    }

    fn remedy(&mut self, remedy: Remedy) {
        match remedy {
            Remedy::ApplyDelay => {
                form::apply_delay(&mut self.model);
                self.status();
            }
            Remedy::AddFailureDialog => {
                self.command(Command::AddFailureDialog);
                if self.model.overlay != Some(Overlay::FailureDialog) {
                    self.status();
                    return;
                }
                let suggested = crate::bot::dialogs::DEFAULT_APOLOGY;
                let Some(answer) = self.talk.ask(&format!(
                    "The dialog answers a failed transfer with: \"{suggested}\". Type another apology, or an empty answer to keep it."
                )) else {
                    self.command(Command::Cancel);
                    return;
                };
                let apology = if answer.trim().is_empty() {
                    suggested.to_string()
                } else {
                    answer
                };
                overlays::fill_box(&mut self.model, &apology);
                self.command(Command::Activate);
                self.status();
            }
            Remedy::SampleValues => {
                self.command(Command::EditSampleContext);
                let Some(lines) = self.talk.ask_lines(
                    "Type sample values as name=value lines (skillId=12), then a line holding only a dot.",
                ) else {
                    self.command(Command::Cancel);
                    return;
                };
                overlays::fill_box(&mut self.model, &lines.join("\n"));
                self.command(Command::Leave);
                self.status();
            }
        }
    }

    fn simulate(&mut self) {
        loop {
            // The full-screen editor's keys in the tab's lines are not this mode's answers.
            let lines: Vec<String> = preview::simulation_text(&self.model)
                .into_iter()
                .map(|l| {
                    let mut l = l.replace("  F3 back to the body", "");
                    for key in ["F5 ", "F6 ", "F7 ", "F8 "] {
                        l = l.replace(key, "");
                    }
                    l
                })
                .collect();
            self.talk.say(&lines.join("\n"));
            let Some(answer) = self.talk.ask(
                "1 turns the dropped request on or off, 2 the unavailable agent, 3 adds a failed attempt (0 to 5), 4 changes the failure dialog (as the bot has it, yes, no); an empty answer goes back.",
            ) else {
                return;
            };
            let command = match answer.trim() {
                "1" => Command::SimulateDrop,
                "2" => Command::SimulateAgentUnavailable,
                "3" => Command::SimulateFailures,
                "4" => Command::SimulateFailureDialog,
                _ => return,
            };
            self.command(command);
            self.model.status.clear();
        }
    }

    /// Places the selected escalation in a dialog: the same three questions as the
    /// full-screen box (the dialog, the interaction to insert after, the kind).
    fn place(&mut self) {
        self.command(Command::PlaceInDialog);
        while self.model.overlay == Some(Overlay::Place) {
            let Some(placing) = self.model.placing.as_ref() else {
                break;
            };
            let choices = pickers::place_choices(&self.model, placing);
            let (what, filter) = match placing.stage {
                super::model::PlaceStage::Dialog => ("Which dialog", true),
                super::model::PlaceStage::Interaction { .. } => (
                    "After which interaction (in the order the conversation goes)",
                    false,
                ),
                super::model::PlaceStage::Kind { .. } => ("As what", false),
            };
            let mut lines = Vec::new();
            for (n, (_, label)) in choices.iter().enumerate() {
                lines.push(format!("{}. {label}", n + 1));
            }
            if choices.is_empty() {
                lines.push("No dialog has those words.".into());
            }
            self.talk.say(&lines.join("\n"));
            let mut question = format!("{what}? A number chooses");
            if filter {
                question.push_str(", words narrow the list");
            }
            question.push_str(", b goes back a question, an empty answer stops.");
            let Some(answer) = self.talk.ask(&question) else {
                self.model.overlay = None;
                self.model.placing = None;
                return;
            };
            let answer = answer.trim();
            match answer.parse::<usize>() {
                _ if answer.is_empty() => {
                    self.model.overlay = None;
                    self.model.placing = None;
                    self.talk.say("Not placed.");
                    return;
                }
                _ if answer == "b" => self.command(Command::Cancel),
                Ok(n) if n >= 1 && n <= choices.len() => {
                    if let Some(placing) = self.model.placing.as_mut() {
                        placing.choice = n - 1;
                    }
                    self.command(Command::Activate);
                }
                _ if filter => {
                    if let Some(placing) = self.model.placing.as_mut() {
                        placing.query = answer.to_string();
                        placing.choice = 0;
                    }
                }
                _ => self
                    .talk
                    .say(&format!("Type a number from 1 to {}.", choices.len())),
            }
        }
        self.status();
    }

    /// Deletes the selected integration after asking; `true` when it is gone.
    fn delete(&mut self) -> bool {
        let Some(name) = self.model.current().map(|i| i.name.clone()) else {
            return false;
        };
        let Some(answer) = self.talk.ask(&format!(
            "Delete {name}? y deletes it (u undoes it later), anything else keeps it."
        )) else {
            return false;
        };
        if answer.trim() != "y" {
            return false;
        }
        self.command(Command::DeleteIntegration);
        if matches!(self.model.overlay, Some(Overlay::ConfirmDelete(_))) {
            self.command(Command::ConfirmYes);
        }
        self.status();
        true
    }

    /// Writes the bot and its settings, as the full-screen editor's Ctrl-S does.
    fn save(&mut self) {
        if !self.model.is_modified() {
            self.talk.say("Nothing to save.");
            return;
        }
        let path = self.model.path.clone();
        let mut result = if self.model.history.differs() {
            self.model.doc.save(&path)
        } else {
            Ok(())
        };
        if let Err(e) = &result
            && e.changed_on_disk
        {
            let Some(answer) = self.talk.ask(&format!(
                "{} o overwrites it with your version, anything else leaves it (w saves as another file).",
                e.message
            )) else {
                return;
            };
            if answer.trim() != "o" {
                self.talk.say("Not saved.");
                return;
            }
            result = self.model.doc.save_over(&path);
        }
        let result = result
            .map_err(|e| e.to_string())
            .and_then(|()| self.model.sidecar.save(&path).map_err(|e| e.to_string()));
        if result.is_ok()
            && let Some(journal) = &self.journal
        {
            journal.remove(&path);
        }
        let _ = update(&mut self.model, Action::Saved(result));
        self.status();
    }

    fn save_as(&mut self) {
        let Some(answer) = self
            .talk
            .ask("Save as which file? An empty answer cancels.")
        else {
            return;
        };
        let name = answer.trim();
        if name.is_empty() {
            return;
        }
        let path = std::path::PathBuf::from(name);
        let result = if path.symlink_metadata().is_ok() {
            Err(format!(
                "{} already exists; choose a new name (nothing was overwritten)",
                path.display()
            ))
        } else {
            self.model
                .doc
                .save_over(&path)
                .map_err(|e| e.to_string())
                .and_then(|()| self.model.sidecar.save(&path).map_err(|e| e.to_string()))
        };
        if result.is_ok() {
            if let Some(journal) = &self.journal {
                journal.remove(&self.model.path);
            }
            self.model.path = path;
        }
        let _ = update(&mut self.model, Action::Saved(result));
        self.status();
    }

    /// Quits, asking first when there are unsaved edits; `None` when the user stays.
    fn quit(&mut self) -> Option<i32> {
        if !self.model.is_modified() {
            return Some(0);
        }
        let answer = self.talk.ask(
            "There are unsaved edits. s saves and quits, d drops them and quits, k quits keeping them for the next time, anything else stays.",
        )?;
        match answer.trim() {
            "s" => {
                self.save();
                (!self.model.is_modified()).then_some(0)
            }
            "d" => {
                if let Some(journal) = &self.journal {
                    journal.remove(&self.model.path);
                }
                Some(0)
            }
            "k" => Some(self.keep()),
            _ => None,
        }
    }

    /// The end of the input at the top: unsaved edits go to the journal.
    fn end_of_input(&mut self) -> i32 {
        if self.model.is_modified() {
            self.keep()
        } else {
            0
        }
    }

    /// Keeps the unsaved edits in the journal, and says so (exit 1 when they could not be).
    fn keep(&mut self) -> i32 {
        let kept = self
            .journal
            .as_ref()
            .is_some_and(|journal| super::keep_unsaved(journal, &self.model));
        if kept {
            self.talk
                .say("The unsaved edits are kept; they are offered when you open the file again.");
            0
        } else {
            self.talk.say(
                "The unsaved edits could not be kept (no journal folder): they are lost unless you save.",
            );
            1
        }
    }
}
