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
    let (mut model, journal) = super::open_session(path)?;
    model.check();
    let mut talk = Talk { input, out };
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
    model.keymap = std::sync::Arc::new(answers());
    let journaled = (model.doc.revision(), model.sidecar.clone());
    let mut a = Accessible {
        model,
        talk,
        journal,
        journaled,
        unkept_said: false,
    };
    a.recover();
    a.list_some(FIRST_LISTED);
    let code = a.main();
    Ok(code)
}

/// How many integrations the list says at the start (`l` says them all).
const FIRST_LISTED: usize = 50;

/// The longest answer line taken.
const LONGEST_ANSWER: usize = 4 << 20;

/// The longest line said: a longer one (a huge name or value) is cut, with how much more
/// there was.
const LONGEST_SAID: usize = 1000;

/// Text as this mode says it: hidden characters as escapes, cut when very long.
fn shown(text: &str) -> String {
    let safe = for_terminal(text, false);
    crate::export::shown::cut(&safe, LONGEST_SAID).into_owned()
}

/// Reading answers and saying things.
struct Talk<'a> {
    input: &'a mut dyn BufRead,
    out: &'a mut dyn Write,
}

impl Talk<'_> {
    /// One line, made safe to show: a line break in it (from a name, say) is shown as an
    /// escape, so nothing from a file can make a line of its own.
    fn say(&mut self, text: &str) {
        let _ = writeln!(self.out, "{}", shown(text));
        let _ = self.out.flush();
    }

    /// Lines, each made safe to show.
    fn say_all(&mut self, lines: impl IntoIterator<Item = String>) {
        for line in lines {
            let _ = writeln!(self.out, "{}", shown(&line));
        }
        let _ = self.out.flush();
    }

    /// One line of the input, its end trimmed; `None` at the end of the input. A line that
    /// is not UTF-8 text, or longer than [`LONGEST_ANSWER`], is not taken: this says so and
    /// reads the next (so nothing is written that was not typed).
    fn read(&mut self) -> Option<String> {
        loop {
            let mut bytes = Vec::new();
            // Read a buffer at a time, never past the longest answer.
            while let Ok(buffer) = self.input.fill_buf() {
                if buffer.is_empty() {
                    break;
                }
                let room = (LONGEST_ANSWER + 1).saturating_sub(bytes.len());
                let (take, done) = match memchr::memchr(b'\n', buffer) {
                    Some(at) if at < room => (at + 1, true),
                    _ => (buffer.len().min(room), buffer.len() >= room),
                };
                bytes.extend_from_slice(&buffer[..take]);
                self.input.consume(take);
                if done {
                    break;
                }
            }
            if bytes.is_empty() {
                return None;
            }
            if bytes.len() > LONGEST_ANSWER && !bytes.ends_with(b"\n") {
                // The rest of the line is passed over, a buffer at a time.
                loop {
                    let Ok(buffer) = self.input.fill_buf() else {
                        return None;
                    };
                    if buffer.is_empty() {
                        return None;
                    }
                    match memchr::memchr(b'\n', buffer) {
                        Some(at) => {
                            self.input.consume(at + 1);
                            break;
                        }
                        None => {
                            let n = buffer.len();
                            self.input.consume(n);
                        }
                    }
                }
                let _ = write!(
                    self.out,
                    "That line is longer than {} MB and was not taken; type it again, shorter.\n> ",
                    LONGEST_ANSWER >> 20
                );
                let _ = self.out.flush();
                continue;
            }
            match String::from_utf8(bytes) {
                Ok(line) => return Some(line.trim_end_matches(['\n', '\r']).to_string()),
                Err(_) => {
                    let _ = write!(
                        self.out,
                        "That line is not UTF-8 text (is the terminal set to another encoding?) and was not taken; type it again.\n> "
                    );
                    let _ = self.out.flush();
                }
            }
        }
    }

    /// Asks `question` and reads one answer line (its end trimmed); `None` at the end of the
    /// input.
    fn ask(&mut self, question: &str) -> Option<String> {
        let _ = write!(self.out, "{}\n> ", shown(question));
        let _ = self.out.flush();
        let line = self.read();
        if line.is_none() {
            let _ = writeln!(self.out);
        }
        line
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
            let _ = write!(self.out, "> ");
            let _ = self.out.flush();
            next = self.read()?;
        }
    }
}

struct Accessible<'a> {
    model: Model,
    talk: Talk<'a>,
    journal: Option<Journal>,
    /// The revision and settings last journaled.
    journaled: (u64, Sidecar),
    /// Whether it was said that the journal cannot be written.
    unkept_said: bool,
}

/// How a field's question ended.
#[derive(PartialEq)]
enum Answered {
    /// On to the next field.
    Next,
    /// Stop going through the fields.
    Stop,
    /// The input ended.
    Ended,
}

/// What hints in this mode name for the editor's actions: its own answers.
fn answers() -> super::keymap::Keymap {
    super::keymap::Keymap::named(&[
        (Command::PlaceInDialog, "i"),
        (Command::TogglePreviewMode, "t"),
        (Command::TogglePreviewTab, "m"),
        (Command::ApplyDelay, "v (fixes)"),
        (Command::AddFailureDialog, "v (fixes)"),
        (Command::EditSampleContext, "v (fixes)"),
        (Command::EditSampleResult, "F9 in the full-screen editor"),
        (Command::SimulateDrop, "1"),
        (Command::SimulateAgentUnavailable, "2"),
        (Command::SimulateFailures, "3"),
        (Command::SimulateFailureDialog, "4"),
        (Command::Save, "s"),
        (Command::Undo, "u"),
        (Command::Redo, "r"),
        (Command::Quit, "q"),
        (Command::Help, "?"),
        (Command::AddIntegration, "a"),
        (
            Command::OpenEditor,
            "the full-screen editor's Ctrl-X Ctrl-E",
        ),
    ])
}

/// The text of the unsaved edits offered.
fn entry_text(model: &Model) -> String {
    model
        .recovery
        .as_ref()
        .map(|e| e.text.clone())
        .unwrap_or_default()
}

/// A value as this mode says it back: cut when very long.
fn echo(value: &str) -> String {
    crate::export::shown::cut(value, 300).into_owned()
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
    /// Keeps the unsaved edits in this session's journal when they changed since the last
    /// time: a session killed at any question loses nothing.
    fn journal(&mut self) {
        let now = (self.model.doc.revision(), self.model.sidecar.clone());
        if now == self.journaled {
            return;
        }
        let kept = self
            .journal
            .as_ref()
            .is_some_and(|journal| super::keep_unsaved(journal, &self.model));
        if kept {
            self.journaled = now;
        } else if !self.unkept_said {
            self.unkept_said = true;
            self.talk.say(
                "Unsaved edits cannot be kept in the journal here (its folder is missing or not usable): save with s before you stop.",
            );
        }
    }

    fn ask(&mut self, question: &str) -> Option<String> {
        self.journal();
        self.talk.ask(question)
    }

    fn ask_lines(&mut self, question: &str) -> Option<Vec<String>> {
        self.journal();
        self.talk.ask_lines(question)
    }

    /// Offers, one after the other, the unsaved edits that earlier sessions left.
    fn recover(&mut self) {
        while self.model.overlay == Some(Overlay::Recovery) {
            let Some(entry) = self.model.recovery.as_ref() else {
                break;
            };
            let lines = entry.changed_lines;
            let age = overlays::age(entry.written_at);
            let changed = if entry.base_hash != self.model.doc.base_hash() {
                " The file changed on disk since: restoring undoes those changes."
            } else {
                ""
            };
            let later = self.model.recoveries_later.len();
            let (whose, next) = if later == 0 {
                ("An earlier session".to_string(), String::new())
            } else {
                (
                    format!("{} earlier sessions did; the newest", later + 1),
                    ", next offers the one before".to_string(),
                )
            };
            // Whole words: a script's first answer, meant for the list, does not drop them.
            let Some(answer) = self.ask(&format!(
                "{whose} left unsaved edits to this file {age}, changing {}.{changed} Type restore to restore them, drop to drop them, diff to read the difference{next}; anything else keeps them for later.",
                super::model::plural(lines, "line")
            )) else {
                self.model.overlay = None;
                return;
            };
            let effect = match answer.trim() {
                "restore" => update(&mut self.model, Action::Command(Command::Restore)),
                "drop" => update(&mut self.model, Action::Command(Command::DiscardEdits)),
                "next" if later > 0 => {
                    self.command(Command::Down);
                    continue;
                }
                "diff" => {
                    let diff = crate::workspace::journal::line_diff(
                        &self.model.doc.to_text(),
                        &entry_text(&self.model),
                    );
                    self.talk.say_all(diff);
                    continue;
                }
                _ => {
                    self.model.overlay = None;
                    self.talk.say("Kept for later.");
                    return;
                }
            };
            match effect {
                Some(super::model::Effect::DiscardJournal(path)) => {
                    let _ = std::fs::remove_file(path);
                }
                Some(super::model::Effect::AdoptJournal(path))
                    if super::adopt_journal(self.journal.as_ref(), &self.model, &path) =>
                {
                    self.journaled = (self.model.doc.revision(), self.model.sidecar.clone());
                }
                _ => {}
            }
            self.status();
        }
    }

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
        self.list_some(usize::MAX);
    }

    /// The first `most` of the list (a large bot's would run on for pages).
    fn list_some(&mut self, most: usize) {
        let entries = self.entries();
        if entries.is_empty() {
            self.talk.say("The bot has no integrations yet.");
        }
        let mut lines = Vec::new();
        for (n, entry) in entries.iter().enumerate().take(most) {
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
        if entries.len() > most {
            lines.push(format!(
                "… and {} more: l lists them all; a number opens any.",
                entries.len() - most
            ));
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
        self.talk.say_all(lines);
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
            let Some(answer) = self.ask(&question) else {
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
                    if let Some(code) = self.subject(true) {
                        return code;
                    }
                }
                "d" => self.all_problems(),
                "s" | "w" | "u" | "r" | "q" => {
                    if let Some(code) = self.anywhere(answer.trim()) {
                        return code;
                    }
                }
                other => match other.parse::<usize>() {
                    Ok(n) if n >= 1 && n <= self.entries().len() => {
                        let entry = self.entries()[n - 1];
                        list::select_entry(&mut self.model, entry);
                        if let Some(code) = self.subject(false) {
                            return code;
                        }
                    }
                    _ => self.talk.say(&format!(
                        "\"{other}\" is not an answer here: type a number from 1 to {}, or a letter the question names.",
                        self.entries().len()
                    )),
                },
            }
        }
    }

    /// The answers that work at the top and in an integration: save, undo, redo, quit. `Some`
    /// with the exit code when the user quits.
    fn anywhere(&mut self, answer: &str) -> Option<i32> {
        match answer {
            "s" => self.save(),
            "w" => self.save_as(),
            "u" => {
                self.command(Command::Undo);
                self.status();
            }
            "r" => {
                self.command(Command::Redo);
                self.status();
            }
            "q" => return self.quit(),
            _ => {}
        }
        None
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
        self.talk.say_all(lines);
    }

    /// The selected integration or Agent Transfer interaction: its fields, problems, preview,
    /// placing and simulation. `walk`: go through its fields first (a new one). `Some` with
    /// the exit code when the user quits from here.
    fn subject(&mut self, walk: bool) -> Option<i32> {
        if walk {
            self.walk();
        }
        let mut told = false;
        loop {
            let label = self.model.subject_label()?;
            let kind = match (self.model.current_transfer(), self.model.current()) {
                (Some(_), _) => "Agent Transfer interaction".to_string(),
                (None, Some(i)) => i.kind.label().to_string(),
                _ => String::new(),
            };
            let problems = counts(self.model.subject_diagnostics());
            let escalation = self.model.current_escalation().is_some();
            let mut choices = String::from(
                "f lists the fields, a number edits that field, e goes through them all, v says the problems and fixes, p previews, t switches the preview between configured and evaluated",
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
            choices.push_str(
                ", b goes back; s saves, w saves as, u undoes, r redoes, q quits; ? names these answers again",
            );
            let question = if told {
                format!("{label}: {problems}. Answer (? names the answers):")
            } else {
                told = true;
                format!("{label}, {kind}: {problems}. {choices}.")
            };
            let answer = self.ask(&question)?;
            match answer.trim() {
                "" => {}
                "?" => told = false,
                "b" => return None,
                "s" | "w" | "u" | "r" | "q" => {
                    if let Some(code) = self.anywhere(answer.trim()) {
                        return Some(code);
                    }
                }
                "t" => {
                    self.command(Command::TogglePreviewMode);
                    self.model.status.clear();
                    self.talk.say_all(preview::preview_text(&self.model));
                }
                "f" => self.fields(),
                "e" => self.walk(),
                "v" => self.problems(),
                "p" => self.talk.say_all(preview::preview_text(&self.model)),
                "m" if escalation => self.simulate(),
                "i" if escalation && self.model.current().is_some() => self.place(),
                "x" if self.model.current().is_some() => {
                    if self.delete() {
                        return None;
                    }
                }
                other => match other.parse::<usize>() {
                    Ok(n) if n >= 1 && n <= self.model.fields().len() => {
                        let field = self.model.fields()[n - 1];
                        self.field(field, false);
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
        self.talk.say_all(lines);
    }

    /// Every field, one question each; `.` or the end of the input stops.
    fn walk(&mut self) {
        self.talk.say(
            "Each field in turn. An empty answer keeps it, a single - empties it, a single . stops going through the fields.",
        );
        let fields = self.model.fields();
        for field in fields {
            // A type change can take fields away.
            if !self.model.fields().contains(&field) {
                continue;
            }
            match self.field(field, true) {
                Answered::Next => {}
                Answered::Stop => {
                    self.talk.say("Stopped going through the fields.");
                    return;
                }
                Answered::Ended => return,
            }
        }
        self.talk.say("That was the last field.");
    }

    /// One field: its help, its value, a new value (asked again when the editor cannot take
    /// it), then what the rules say of it. `walking`: a single `.` stops going through the
    /// fields.
    fn field(&mut self, field: Field, walking: bool) -> Answered {
        loop {
            match self.field_once(field, walking) {
                None => return Answered::Ended,
                Some(Some(answered)) => return answered,
                // Not taken: the same question again.
                Some(None) => {}
            }
        }
    }

    /// [`Accessible::field`] once: `Some(None)` when the value was not taken, `None` at the
    /// end of the input.
    fn field_once(&mut self, field: Field, walking: bool) -> Option<Option<Answered>> {
        let value = self.model.field_value(field);
        let required = if field.is_required() {
            " (required)"
        } else {
            ""
        };
        let help = match (field, self.model.current()) {
            // The full-screen editor's keys for the choices are not this mode's answers.
            (Field::IntegrationType, Some(i)) => i.kind.help().split("; ←/→").next().unwrap_or(""),
            _ => field.help(),
        };
        self.talk
            .say(&format!("{}{required}: {help}", field.label()));
        let stop = if walking {
            ", a single . stops going through the fields"
        } else {
            ""
        };
        let answer = match field {
            Field::IntegrationType => {
                let mut lines = vec![format!("Now: {value}.")];
                for (n, kind) in IntegrationKind::CHOICES.iter().enumerate() {
                    lines.push(format!("{}. {}", n + 1, kind.label()));
                }
                self.talk.say_all(lines);
                let answer = self.ask(&format!(
                    "A number chooses the type; an empty answer keeps it{stop}."
                ))?;
                match answer.trim().parse::<usize>() {
                    _ if walking && answer.trim() == "." => return Some(Some(Answered::Stop)),
                    Ok(n) if n >= 1 && n <= IntegrationKind::CHOICES.len() => {
                        Some(IntegrationKind::CHOICES[n - 1].label().to_string())
                    }
                    _ if answer.trim().is_empty() => None,
                    _ => {
                        self.talk.say(&format!(
                            "Type a number from 1 to {}.",
                            IntegrationKind::CHOICES.len()
                        ));
                        return Some(None);
                    }
                }
            }
            Field::TransferBotContext => {
                let now = if value == "true" { "yes" } else { "no" };
                let answer = self.ask(&format!(
                    "Now: {now}. y or n; an empty answer keeps it{stop}."
                ))?;
                match answer.trim() {
                    "." if walking => return Some(Some(Answered::Stop)),
                    "y" | "yes" => Some("true".into()),
                    "n" | "no" => Some("false".into()),
                    "" => None,
                    _ => {
                        self.talk.say("Type y or n.");
                        return Some(None);
                    }
                }
            }
            Field::Message | Field::TransformScript | Field::CustomData => {
                if value.is_empty() {
                    self.talk.say("Now empty.");
                } else {
                    const SHOWN: usize = 20;
                    self.talk.say("Now:");
                    self.talk
                        .say_all(value.lines().take(SHOWN).map(str::to_string));
                    let count = value.lines().count();
                    if count > SHOWN {
                        self.talk.say(&format!(
                            "… {} more",
                            super::model::plural(count - SHOWN, "line")
                        ));
                    }
                    self.talk.say("(end of the value)");
                }
                let how = if field == Field::CustomData {
                    "Type the rows as key=value lines"
                } else {
                    "Type the new text"
                };
                let Some(mut lines) = self.ask_lines(&format!(
                    "{how}, then a line holding only a dot. A dot alone (or empty lines) keeps it; a single - empties it."
                )) else {
                    self.talk.say(&format!(
                        "{} is as it was: the input ended before the line holding only a dot.",
                        field.label()
                    ));
                    return None;
                };
                // Blank lines around the text are a slip of the keyboard, not text.
                while lines.last().is_some_and(|l| l.trim().is_empty()) {
                    lines.pop();
                }
                let first = lines.iter().position(|l| !l.trim().is_empty());
                lines.drain(..first.unwrap_or(lines.len()));
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
                    format!("Now: {}", echo(&value))
                };
                let answer = self.ask(&format!(
                    "{now}. Type the new value; an empty answer keeps it, a single - empties it{stop}."
                ))?;
                match answer.as_str() {
                    "" => None,
                    "." if walking => return Some(Some(Answered::Stop)),
                    "-" => Some(String::new()),
                    _ => Some(answer),
                }
            }
        };
        if let Some(text) = answer {
            form::set_field(&mut self.model, field, &text);
            self.model.status.clear();
            if let Some((_, why)) = self.model.edit_error.take() {
                self.talk.say(&format!("Not changed: {why}"));
                return Some(None);
            }
            let now = self.model.field_value(field);
            self.talk.say(&if now.contains('\n') {
                format!(
                    "{} is now {}.",
                    field.label(),
                    super::model::plural(now.lines().count(), "line")
                )
            } else if now.is_empty() {
                format!("{} is now empty.", field.label())
            } else {
                format!("{} is now {}.", field.label(), echo(&now))
            });
        }
        let problems: Vec<String> = self
            .model
            .subject_diagnostics()
            .iter()
            .filter(|d| d.field == Some(field))
            .map(diagnostic_text)
            .collect();
        if !problems.is_empty() {
            self.talk.say_all(problems);
        }
        Some(Some(Answered::Next))
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
        self.talk.say_all(lines);
        if fixes.is_empty() {
            return;
        }
        let mut question = String::from("The editor can fix some of them:");
        for (n, remedy) in fixes.iter().enumerate() {
            question.push_str(&format!(" {} {};", n + 1, remedy_name(*remedy)));
        }
        question.push_str(" a number does it, an empty answer goes back.");
        loop {
            let Some(answer) = self.ask(&question) else {
                return;
            };
            match answer.trim().parse::<usize>() {
                Ok(n) if n >= 1 && n <= fixes.len() => {
                    self.remedy(fixes[n - 1]);
                    return;
                }
                _ if answer.trim().is_empty() => return,
                _ => self.talk.say(&format!(
                    "Type a number from 1 to {}, or an empty answer.",
                    fixes.len()
                )),
            }
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
                let Some(answer) = self.ask(&format!(
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
                let Some(lines) = self.ask_lines(
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
            self.talk.say_all(preview::simulation_text(&self.model));
            let Some(answer) = self.ask(
                "1 turns the dropped request on or off, 2 the unavailable agent, 3 adds a failed attempt (0 to 5), 4 changes the failure dialog (as the bot has it, yes, no); an empty answer goes back.",
            ) else {
                return;
            };
            let command = match answer.trim() {
                "1" => Command::SimulateDrop,
                "2" => Command::SimulateAgentUnavailable,
                "3" => Command::SimulateFailures,
                "4" => Command::SimulateFailureDialog,
                "" => return,
                _ => {
                    self.talk.say("Type 1, 2, 3 or 4, or an empty answer.");
                    continue;
                }
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
            self.talk.say_all(lines);
            let mut question = format!("{what}? A number chooses");
            if filter {
                question.push_str(", words narrow the list");
            }
            question.push_str(", b goes back a question, an empty answer stops.");
            let Some(answer) = self.ask(&question) else {
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
        let Some(answer) = self.ask(&format!(
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
        let mut result = super::write_bot(&mut self.model, false);
        if let Err(super::Unwritten::ChangedOnDisk(why)) = &result {
            let Some(answer) = self.ask(&format!(
                "{}. o overwrites it with your version, anything else leaves it (w saves as another file).",
                why.trim_end_matches('.')
            )) else {
                return;
            };
            if answer.trim() != "o" {
                self.talk.say("Not saved.");
                return;
            }
            result = super::write_bot(&mut self.model, true);
        }
        let result = result.map_err(|e| match e {
            super::Unwritten::ChangedOnDisk(why) | super::Unwritten::Failed(why) => why,
        });
        if result.is_ok()
            && let Some(journal) = &self.journal
        {
            journal.remove(&self.model.path);
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
        let result = super::write_bot_as(&mut self.model, &path);
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
        let answer = self.ask(
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
            "k" => self.keep(),
            _ => None,
        }
    }

    /// The end of the input at the top: unsaved edits go to the journal.
    fn end_of_input(&mut self) -> i32 {
        if self.model.is_modified() {
            self.keep().unwrap_or(1)
        } else {
            0
        }
    }

    /// Keeps the unsaved edits in the journal, and says so: `None` when they could not be.
    fn keep(&mut self) -> Option<i32> {
        let kept = self
            .journal
            .as_ref()
            .is_some_and(|journal| super::keep_unsaved(journal, &self.model));
        if kept {
            self.talk
                .say("The unsaved edits are kept; they are offered when you open the file again.");
            Some(0)
        } else {
            self.talk.say(
                "The unsaved edits could not be kept (the journal's folder is missing or not usable): save them with s or w.",
            );
            None
        }
    }
}
