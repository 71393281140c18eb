//! Everything the editor shows, in one place. The view reads it; only `update` changes it.

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::Arc;

use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::{CursorMove, TextArea};

use super::history::{Spot, Step, Typing};
use super::keymap::{Command, Context};
use crate::bot::BotDocument;
use crate::bot::agent_transfer::AgentTransfer;
use crate::bot::edit::{Applied, Edit, EditError, Made, Touched};
use crate::bot::integration::{Escalation, Field, Integration};
use crate::bot::parts::BotParts;
use crate::export::Changes;
use crate::rules::{self, BotFacts, Diagnostic, Report};
use crate::workspace::sidecar::Sidecar;

/// A row of the list. Rows are in this order: integrations, the heading, transfers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Entry {
    /// An integration, by its index in `responder[]`.
    Integration(usize),
    /// The heading of the Agent Transfer interactions' section.
    TransfersHeading,
    /// An Agent Transfer interaction, by its place in `Model::transfers`.
    Transfer(usize),
}

/// What has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Field(Field),
}

/// What a text editor is editing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditTarget {
    Field(Field),
    /// A cell of Custom Data Fields: row, and column (0 key, 1 value).
    Cell {
        row: usize,
        column: usize,
    },
}

/// A field being typed in.
pub struct Editing {
    pub target: EditTarget,
    pub area: TextArea<'static>,
}

impl Editing {
    pub fn new(target: EditTarget, text: &str) -> Editing {
        let lines: Vec<String> = text.split('\n').map(str::to_string).collect();
        let mut area = TextArea::new(lines);
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        // A field's long line wraps under itself; a table cell is one row and scrolls.
        match target {
            EditTarget::Field(_) => area.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph),
            // The cell being typed in stands out from the table around it.
            EditTarget::Cell { .. } => area.set_style(
                ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::REVERSED),
            ),
        }
        Editing { target, area }
    }

    pub fn is_multiline(&self) -> bool {
        matches!(self.target, EditTarget::Field(f) if f.is_multiline())
    }

    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    /// How many rows the text takes wrapped at `width` columns (at least one a line).
    pub fn wrapped_rows(&self, width: u16) -> usize {
        let width = usize::from(width.max(1));
        self.area
            .lines()
            .iter()
            .map(|l| {
                // One column more for the caret at the end of a full row.
                let used = ratatui::text::Line::raw(l.as_str()).width() + 1;
                used.div_ceil(width).max(1)
            })
            .sum()
    }
}

/// A box over the screen that takes the keys until closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help,
    ConfirmQuit,
    ConfirmDelete(usize),
    /// The Integration Type choices, with the highlighted one.
    SelectType(usize),
    /// The file changed on disk since it was opened: overwrite, reload or save as.
    ChangedOnDisk {
        then_quit: bool,
    },
    /// Typing a new file name to save to.
    SaveAs {
        then_quit: bool,
    },
    /// Unsaved edits from an earlier session were found: restore, discard or compare.
    Recovery,
    /// The difference between the file and the journaled edits.
    RecoveryDiff,
    /// Sample values of variables, one `key=value` a line.
    SampleContext,
    /// The apology of a new failure dialog, before it is added.
    FailureDialog,
    /// Converting the interaction at this index of `conversationMessage[]` to the other kind.
    ConfirmConvert(usize),
    /// The sample raw result of the integration's Transform Result Script, as JSON.
    SampleResult,
    /// A save failed: save as another file, try again, or cancel.
    SaveFailed {
        then_quit: bool,
    },
    /// Quitting without saving after a save failed: a second question before the edits and
    /// their journal go.
    ConfirmDiscard,
    /// The command palette ([`Model::palette`]).
    Palette,
    /// Placing the selected escalation in a dialog ([`Model::placing`]).
    Place,
    /// Changing the selected integration to the type at this place of
    /// `IntegrationKind::CHOICES`, which drops values of fields the new type lacks.
    ConfirmType(usize),
    /// Choosing a skill or an agent of the bot's account ([`Model::picking`]).
    Pick,
    /// Typing the id of the bot's account.
    AccountId,
}

/// What a pick from the account fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickKind {
    /// Agent Skill Name and Agent Skill Id together.
    Skill,
    /// Agent Id, of the users on the skill.
    Agent,
}

/// Choosing from the account's skills or users: what is typed and the highlighted choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picking {
    pub kind: PickKind,
    pub query: String,
    pub choice: usize,
}

/// The command palette: what is typed and the highlighted action among those it matches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Palette {
    pub query: String,
    pub choice: usize,
}

/// Where placing an escalation in a dialog is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaceStage {
    /// Choosing the dialog (filtered by what is typed).
    Dialog,
    /// Choosing the interaction to insert after, in the dialog with this id and name.
    Interaction { dialog_id: String, dialog: String },
    /// Choosing the kind of the new interaction, after the interaction with this id (at the
    /// dialog's end when `None`: a dialog without interactions).
    Kind {
        dialog_id: String,
        dialog: String,
        after: Option<String>,
    },
}

/// Placing the escalation integration at `integration` in a dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placing {
    pub integration: usize,
    pub stage: PlaceStage,
    /// What is typed to filter the dialogs.
    pub query: String,
    pub choice: usize,
    /// Every dialog: id, name and how many interactions it has (read once, when the box
    /// opens).
    pub dialogs: Vec<(String, String, usize)>,
    /// The interactions of the dialog chosen, in the order the conversation goes: id and
    /// what the list shows.
    pub interactions: Vec<(String, String)>,
}

/// A Transform Result Script to run on a sample result.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptJob {
    /// Which script, variable, sample and context (a hash of them).
    pub key: u64,
    pub script: String,
    pub variable: String,
    pub sample: serde_json::Value,
    pub context: crate::bot::template::SampleContext,
}

/// What the preview pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewTab {
    /// The transfer body, the delay and the diagnostics.
    Body,
    /// The runtime simulation's timeline.
    Simulate,
}

/// Which transfer body the preview shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewMode {
    Configured,
    Evaluated,
}

/// An input to `update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Command(Command),
    /// A key no binding took: typed into the field or filter.
    Key(KeyEvent),
    Paste(String),
    Click {
        column: u16,
        row: u16,
    },
    Resize(u16, u16),
    /// `$EDITOR` returned with the field's new text, or an error.
    EditorDone(Field, Result<String, String>),
    /// The run loop finished a save.
    Saved(Result<(), String>),
    /// A save failed (`then_quit`: it was to be followed by quitting).
    SaveFailed {
        why: String,
        then_quit: bool,
    },
    /// A save found the file changed on disk since it was opened.
    SaveConflict {
        why: String,
        then_quit: bool,
    },
    /// The run loop put the file as it is on disk in place (or failed to).
    Reloaded(Result<(), String>),
}

/// A side effect for the run loop to carry out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Save; `overwrite` skips the check for changes on disk (the user said yes).
    Save {
        then_quit: bool,
        overwrite: bool,
    },
    SaveAs {
        path: PathBuf,
        then_quit: bool,
    },
    /// Read the file from disk again, dropping the edits (the user said yes).
    Reload,
    /// The user chose to drop the journal at this path (edits of an earlier session).
    DiscardJournal(PathBuf),
    /// The edits of the journal at this path are restored: this session journals them now,
    /// then that journal goes.
    AdoptJournal(PathBuf),
    Quit,
    OpenEditor {
        field: Field,
        text: String,
    },
    Copy(String),
    SetMouse(bool),
}

/// The editor's whole state.
pub struct Model {
    pub doc: BotDocument,
    /// The keys in force: the built-in ones and the user's config.
    pub keymap: std::sync::Arc<super::keymap::Keymap>,
    /// The colours of each role (the user's theme, or the built-in dark one).
    pub colours: super::theme::Colours,
    /// What was wrong in the user's config, for the status once the bot is checked.
    pub config_note: Option<String>,
    pub sidecar: Sidecar,
    pub path: PathBuf,
    /// The selected integration's index in `responder[]`.
    pub selected: usize,
    pub focus: Focus,
    pub editing: Option<Editing>,
    pub overlay: Option<Overlay>,
    pub filter: String,
    pub filter_active: bool,
    /// The Custom Data Fields table has the keys.
    pub table_active: bool,
    pub table_row: usize,
    pub table_column: usize,
    pub preview_mode: PreviewMode,
    pub preview_tab: PreviewTab,
    /// The simulation's toggles.
    pub scenario: crate::runtime::simulate::Scenario,
    pub preview_scroll: u16,
    pub help_scroll: u16,
    pub status: String,
    pub mouse: bool,
    pub size: (u16, u16),
    pub quit: bool,
    /// The user chose to quit without saving: the journal goes too.
    pub discard_on_quit: bool,
    /// The file name being typed for "save as", or the sample values being edited.
    pub save_as: Option<TextArea<'static>>,
    /// Every change, to undo and redo, and where the saved state is among them.
    pub history: super::history::History,
    /// escalator's settings for the bot as last saved (or read).
    pub saved_settings: Sidecar,
    /// The file could not be written by this user when it was opened: saving offers "save as".
    pub read_only: bool,
    /// The command palette, while open.
    pub palette: Palette,
    /// Placing an escalation in a dialog, while under way.
    pub placing: Option<Placing>,
    /// Choosing a skill or an agent of the account, while under way.
    pub picking: Option<Picking>,
    /// The first key of a two-key binding was pressed.
    pub chord: bool,
    /// Why the last save failed, until a save works.
    pub save_failed: Option<String>,
    /// What is being typed in this field is not a value it takes (kept as typed, not written).
    pub edit_error: Option<(Field, String)>,
    /// Journaled edits found at start, the one offered now, until restored or discarded.
    pub recovery: Option<crate::workspace::journal::Entry>,
    /// The other journals found at start, newest first, offered after the current one.
    pub recoveries_later: Vec<crate::workspace::journal::Entry>,
    /// The lines of the recovery difference, computed when asked for.
    pub diff: Vec<String>,
    pub diff_scroll: u16,
    /// Read from the document after every change.
    pub integrations: Vec<Integration>,
    pub transfers: Vec<AgentTransfer>,
    /// The Agent Transfer interaction in the form, instead of an integration.
    pub selected_transfer: Option<usize>,
    /// What the rules need to know about the bot, read at the last full refresh.
    pub facts: BotFacts,
    /// The diagnostics, by subject.
    pub report: Report,
    /// The list's rows for the filter they were made for, until the lists change.
    rows: RefCell<Option<(String, Arc<[Entry]>)>>,
    /// The bot's part of a simulation (dialogs that answer, default response), read when the
    /// Simulate tab first needs it after a refresh.
    simulation_base: RefCell<Option<Arc<crate::runtime::simulate::Setup>>>,
    /// What the last frame drew: where (for clicks), and the preview's lines wrapped.
    pub frame: super::frame::LastFrame,
    /// Whether the rules have run since the bot was opened (the first frame comes before).
    pub checked: bool,
    /// The last run of the selected integration's script on its sample, by what it ran on.
    pub script_run: Option<(u64, crate::runtime::script::ScriptRun)>,
    /// A script run asked for and not yet started.
    pub script_wanted: Option<ScriptJob>,
    /// The script run under way, by its key.
    pub script_running: Option<u64>,
    /// What the rules read of the bot besides its integrations and Agent Transfers, when it
    /// was read while opening it, until the first check uses it.
    opened: Option<BotParts>,
}

impl Model {
    pub fn new(doc: BotDocument, sidecar: Sidecar, path: PathBuf) -> Model {
        let mut model = Model::unchecked(doc, sidecar, path);
        model.check();
        model
    }

    /// The model of a bot with its integrations read but the rules not yet run: enough for
    /// a first frame. [`Model::check`] runs them (a large bot takes a while).
    pub fn unchecked(doc: BotDocument, sidecar: Sidecar, path: PathBuf) -> Model {
        let parts = BotParts {
            integrations: doc.integrations(),
            transfers: doc.agent_transfers(),
            ..BotParts::default()
        };
        let mut model = Model::opened(doc, parts, sidecar, path);
        model.opened = None;
        model
    }

    /// [`Model::unchecked`] with the parts of the bot read while opening it
    /// ([`BotDocument::load_with_parts`]): nothing is read twice.
    pub fn opened(doc: BotDocument, mut parts: BotParts, sidecar: Sidecar, path: PathBuf) -> Model {
        let mut model = Model {
            doc,
            keymap: Default::default(),
            colours: super::theme::Colours::DARK,
            config_note: None,
            saved_settings: sidecar.clone(),
            sidecar,
            path,
            selected: 0,
            focus: Focus::List,
            editing: None,
            overlay: None,
            filter: String::new(),
            filter_active: false,
            table_active: false,
            table_row: 0,
            table_column: 0,
            preview_mode: PreviewMode::Configured,
            preview_tab: PreviewTab::Body,
            scenario: crate::runtime::simulate::Scenario::default(),
            preview_scroll: 0,
            help_scroll: 0,
            status: String::new(),
            mouse: false,
            size: (120, 40),
            quit: false,
            discard_on_quit: false,
            save_as: None,
            history: super::history::History::default(),
            read_only: false,
            save_failed: None,
            palette: Palette::default(),
            placing: None,
            picking: None,
            chord: false,
            edit_error: None,
            recovery: None,
            recoveries_later: Vec::new(),
            diff: Vec::new(),
            diff_scroll: 0,
            selected_transfer: None,
            facts: BotFacts::default(),
            report: Report::default(),
            rows: RefCell::new(None),
            simulation_base: RefCell::new(None),
            frame: Default::default(),
            script_run: None,
            script_wanted: None,
            script_running: None,
            checked: false,
            integrations: std::mem::take(&mut parts.integrations),
            transfers: std::mem::take(&mut parts.transfers),
            opened: Some(parts),
        };
        model.history.clear();
        model.status = format!("{}; checking the rules…", model.opened_what());
        model
    }

    /// How hints name the key of `command` (the user's, when the config rebinds it); an action
    /// left with no key is named by the palette.
    pub fn key(&self, command: Command) -> String {
        match self.keymap.keys_of(command) {
            Some(keys) => keys.to_string(),
            None => self
                .keymap
                .keys_of(Command::Palette)
                .unwrap_or("Ctrl-P")
                .to_string(),
        }
    }

    /// "Opened FILE (N integrations, M Agent Transfer interactions)".
    fn opened_what(&self) -> String {
        format!(
            "Opened {} ({}, {})",
            self.path.display(),
            plural(self.integrations.len(), "integration"),
            plural(self.transfers.len(), "Agent Transfer interaction")
        )
    }

    /// Runs the rules over the whole bot, once after opening it.
    pub fn check(&mut self) {
        match self.opened.take() {
            Some(parts) => self.check_parts(parts),
            None => self.refresh(),
        }
        self.status = match &self.config_note {
            // What is wrong in the user's config matters more than what they opened.
            Some(note) => note.clone(),
            None => format!(
                "{}. {} for help.",
                self.opened_what(),
                self.key(Command::Help)
            ),
        };
    }

    /// Offers journaled edits from an earlier session.
    pub fn offer_recovery(&mut self, mut entry: crate::workspace::journal::Entry) {
        entry.changed_lines =
            crate::workspace::journal::line_diff(&self.doc.to_text(), &entry.text)
                .iter()
                .filter(|l| l.starts_with("+ ") || l.starts_with("- "))
                .count();
        self.recovery = Some(entry);
        self.overlay = Some(Overlay::Recovery);
    }

    /// Offers the journals of earlier sessions, newest first, one after the other.
    pub fn offer_recoveries(&mut self, mut entries: Vec<crate::workspace::journal::Entry>) {
        if entries.is_empty() {
            return;
        }
        let first = entries.remove(0);
        self.recoveries_later = entries;
        self.offer_recovery(first);
    }

    /// Whether a journal holds something other than what is open now.
    pub fn differs_from(&self, entry: &crate::workspace::journal::Entry) -> bool {
        entry.text != self.doc.to_text()
            || entry.settings.as_ref().is_some_and(|s| *s != self.sidecar)
    }

    /// Applies `edit` to the bot, checks again what it touched and records it as a step to
    /// undo (while a field is typed in, its keystrokes make one step).
    ///
    /// The undo of the edit goes into the history: the `undo` returned is empty.
    pub fn apply(&mut self, edit: Edit) -> Result<Applied, EditError> {
        let typing = self.editing.as_ref().map(|e| Typing {
            subject: (self.selected, self.selected_transfer),
            target: e.target,
        });
        // A keystroke that joins the step of its field needs no words of its own.
        let label = if self.history.joins(typing) {
            String::new()
        } else {
            self.describe(&edit)
        };
        let spot = self.spot();
        let adds = match &edit {
            Edit::AddEscalation { .. } => Some("add"),
            Edit::Duplicate { .. } => Some(label.as_str()),
            _ => None,
        }
        .map(str::to_string);
        let mut applied = self.doc.apply(edit)?;
        if let Edit::PutBack(changes) = &mut applied.undo
            && !changes.is_empty()
        {
            let step = Step::new(label, std::mem::take(changes), None, spot);
            self.history.record(step, typing, &self.doc);
        }
        self.recheck(&applied.touched);
        // What was added is named as it came out (a free name like the one asked for).
        if let (Some(verb), Made::Integration(at)) = (adds, &applied.made)
            && let Some(added) = self.integrations.get(*at)
        {
            let label = if verb == "add" {
                format!("add {}", added.name)
            } else {
                format!("{verb} as {}", added.name)
            };
            self.history.relabel_last(label);
        }
        Ok(applied)
    }

    /// Puts `settings` in place of escalator's settings for the bot, as a step to undo.
    pub fn change_settings(&mut self, label: &str, settings: Sidecar) {
        if settings == self.sidecar {
            return;
        }
        let before = std::mem::replace(&mut self.sidecar, settings);
        let step = Step::new(label.into(), Changes::default(), Some(before), self.spot());
        self.history.record(step, None, &self.doc);
        self.refresh();
    }

    /// Puts journaled edits in place: the bot's tree and escalator's settings, one step that
    /// undoes to the file as saved.
    pub fn restore_journal(&mut self, root: Option<serde_json::Value>, settings: Option<Sidecar>) {
        let spot = self.spot();
        let changes = match root.map(|root| self.doc.apply(Edit::Restore(root))) {
            Some(Ok(Applied {
                undo: Edit::PutBack(changes),
                ..
            })) => changes,
            _ => Changes::default(),
        };
        let before = settings.filter(|s| *s != self.sidecar).map(|s| {
            let s = Sidecar {
                default_per_message_ms: self.sidecar.default_per_message_ms,
                ..s
            };
            std::mem::replace(&mut self.sidecar, s.with_kept_account())
        });
        if !changes.is_empty() || before.is_some() {
            let step = Step::new("restore the unsaved edits".into(), changes, before, spot);
            self.history.record(step, None, &self.doc);
        }
        self.refresh();
    }

    /// Where the selection and the focus are.
    pub fn spot(&self) -> Spot {
        Spot {
            selected: self.selected,
            selected_transfer: self.selected_transfer,
            focus: self.focus,
        }
    }

    /// Undoes the last step; false when there is none.
    pub fn undo(&mut self) -> bool {
        let Some(step) = self.history.take_undo(&self.doc) else {
            self.status = "Nothing to undo".into();
            return false;
        };
        let step = self.cross(step, "Undid");
        self.history.undone(step, &self.doc);
        true
    }

    /// Does again the last step undone; false when there is none.
    pub fn redo(&mut self) -> bool {
        let Some(step) = self.history.take_redo() else {
            self.status = "Nothing to redo".into();
            return false;
        };
        let step = self.cross(step, "Redid");
        self.history.redone(step, &self.doc);
        true
    }

    /// Goes to the other side of `step`; returns the step that comes back.
    fn cross(&mut self, step: Step, verb: &str) -> Step {
        let here = self.spot();
        let (changes, touched) = match self.doc.apply(Edit::PutBack(step.changes)) {
            Ok(Applied {
                undo: Edit::PutBack(back),
                touched,
                ..
            }) => (back, touched),
            // Putting back is never refused; should it be, nothing changed.
            _ => (Changes::default(), Touched::default()),
        };
        let settings = step
            .settings
            .map(|s| std::mem::replace(&mut self.sidecar, s));
        if settings.is_some() {
            self.refresh();
        } else {
            self.recheck(&touched);
        }
        self.selected = step.spot.selected;
        self.selected_transfer = step.spot.selected_transfer;
        self.focus = step.spot.focus;
        self.keep_selection_in_lists();
        self.status = format!("{verb}: {}", step.label);
        Step::new(step.label, changes, settings, here)
    }

    /// The selected integration and Agent Transfer are ones there are.
    fn keep_selected_in_lists(&mut self) {
        if self.selected >= self.integrations.len() {
            self.selected = self.integrations.len().saturating_sub(1);
        }
        if self
            .selected_transfer
            .is_some_and(|t| t >= self.transfers.len())
        {
            self.selected_transfer = None;
        }
    }

    /// The selection and the focus on something there is, after items came or went.
    fn keep_selection_in_lists(&mut self) {
        self.keep_selected_in_lists();
        if let Focus::Field(field) = self.focus
            && !self.fields().contains(&field)
        {
            self.focus = Focus::List;
        }
        self.table_active = false;
        self.keep_table_row_in_rows();
    }

    /// What an edit does, in words, for the status line of an undo.
    fn describe(&self, edit: &Edit) -> String {
        let name = |i: &usize| {
            self.integrations
                .get(*i)
                .map_or_else(|| "an integration".into(), |i| i.name.clone())
        };
        let transfer = |at: &usize| {
            self.transfers
                .iter()
                .find(|t| t.index == *at)
                .map_or_else(|| "an interaction".into(), |t| t.label())
        };
        let interaction = |at: &usize| {
            self.facts
                .index
                .all()
                .get(*at)
                .map_or_else(|| "an interaction".into(), |i| format!("\"{}\"", i.name))
        };
        match edit {
            Edit::Field {
                integration, field, ..
            } => format!("{} of {}", field.label(), name(integration)),
            Edit::CustomData { integration, .. } | Edit::CustomDataRow { integration, .. } => {
                format!("Custom Data Fields of {}", name(integration))
            }
            Edit::AddEscalation { name } => format!("add {name}"),
            Edit::Duplicate { integration } => format!("duplicate {}", name(integration)),
            Edit::Delete { integration } => format!("delete {}", name(integration)),
            Edit::TransferField {
                interaction, field, ..
            } => format!("{} of {}", field.label(), transfer(interaction)),
            Edit::ToTransfer { interaction: at } => format!(
                "convert {} to an Agent Transfer interaction",
                interaction(at)
            ),
            Edit::ToIntegration { interaction } => format!(
                "convert {} to an Integration interaction",
                transfer(interaction)
            ),
            Edit::AddTransfer { .. } => "place an Agent Transfer interaction in a dialog".into(),
            Edit::PlaceIntegration { integration, .. } => {
                format!("place {} in a dialog", name(integration))
            }
            Edit::FailureDialog { .. } => "add a failure dialog".into(),
            Edit::Delays(_) => "apply the recommended interaction delay".into(),
            Edit::Restore(_) => "restore the unsaved edits".into(),
            Edit::PutBack(_) => "put back".into(),
        }
    }

    /// Checks again the subjects an edit touched, and those whose diagnostics depend on
    /// them; everything when the bot's lists changed shape.
    fn recheck(&mut self, touched: &Touched) {
        if touched.is_empty() {
            return;
        }
        let followed = if self.checked {
            rules::recheck(
                &self.doc,
                touched,
                &mut self.integrations,
                &mut self.transfers,
                &mut self.facts,
                &mut self.report,
            )
        } else {
            None
        };
        let Some(followed) = followed else {
            return self.refresh();
        };
        // The list shows names: its rows are made again only when one changed.
        if followed.renamed {
            self.rows.replace(None);
        }
        if !touched.interactions.is_empty() {
            self.simulation_base.replace(None);
        }
        self.keep_table_row_in_rows();
        self.run_script();
    }

    /// Re-reads the integrations and diagnostics after the document changed.
    pub fn refresh(&mut self) {
        self.opened = None;
        let mut parts = self.doc.parts();
        self.integrations = std::mem::take(&mut parts.integrations);
        self.transfers = std::mem::take(&mut parts.transfers);
        self.check_parts(parts);
    }

    /// Checks the integrations and Agent Transfers read against the facts of the rest of
    /// the bot's `parts`.
    fn check_parts(&mut self, parts: BotParts) {
        self.facts = BotFacts::of_parts_checking_scripts(parts, &self.sidecar, &self.integrations);
        self.report = Report::check(&self.facts, &self.integrations, &self.transfers);
        self.checked = true;
        self.rows.replace(None);
        self.simulation_base.replace(None);
        self.keep_selected_in_lists();
        self.keep_table_row_in_rows();
        self.run_script();
    }

    /// The custom data table's selection stays on one of its rows as rows come and go.
    fn keep_table_row_in_rows(&mut self) {
        let rows = self.current().map_or(0, |i| i.custom_data.len());
        self.table_row = self.table_row.min(rows.saturating_sub(1));
    }

    /// A field is no longer being typed in: its script (held while typed) runs on its sample.
    pub fn field_left(&mut self) {
        self.run_script();
    }

    /// Asks for the selected integration's script to be run on its sample result, once per
    /// change of either; not while the script is being typed. The run loop runs it in a
    /// worker off the UI thread ([`Model::script_wanted`]) and hands back the outcome
    /// ([`Model::script_done`]): a script that never ends never stalls a key.
    fn run_script(&mut self) {
        let typing_script = matches!(
            self.editing.as_ref().map(|e| e.target),
            Some(EditTarget::Field(Field::TransformScript))
        );
        let Some(current) = self.current() else {
            self.script_run = None;
            return;
        };
        let Some(sample) = self.sidecar.sample_results.get(&current.name) else {
            self.script_run = None;
            return;
        };
        if typing_script {
            return;
        }
        let key = crate::export::save::content_hash(
            format!(
                "{}\u{0}{}\u{0}{}\u{0}{:?}",
                current.transform_script,
                current.response_data_variable,
                sample,
                self.sidecar.context
            )
            .as_bytes(),
        );
        if self.script_run.as_ref().is_some_and(|(k, _)| *k == key)
            || self.script_running == Some(key)
        {
            return;
        }
        self.script_wanted = Some(ScriptJob {
            key,
            script: current.transform_script.clone(),
            variable: current.response_data_variable.clone(),
            sample: sample.clone(),
            context: self.sidecar.context.clone(),
        });
    }

    /// Takes the script run asked for, to run it elsewhere; it counts as running from now.
    pub fn take_script_job(&mut self) -> Option<ScriptJob> {
        let job = self.script_wanted.take()?;
        self.script_running = Some(job.key);
        Some(job)
    }

    /// A script run finished: kept when it is of the script and sample shown now.
    pub fn script_done(&mut self, key: u64, run: crate::runtime::script::ScriptRun) {
        if self.script_running == Some(key) {
            self.script_running = None;
        }
        self.script_run = Some((key, run));
        // What is shown may have changed while it ran: then this outcome is not its.
        self.run_script();
        if self.script_wanted.is_some() {
            self.script_run = None;
        }
    }

    /// Runs the script run asked for here and now, in this process (tests; the editor runs
    /// it in a worker, see [`Model::take_script_job`]).
    pub fn run_wanted_script_here(&mut self) {
        if let Some(job) = self.take_script_job() {
            let run =
                crate::runtime::script::run(&job.script, &job.variable, &job.sample, &job.context);
            self.script_done(job.key, run);
        }
    }

    /// The integration in the form (`None` while an Agent Transfer interaction is).
    pub fn current(&self) -> Option<&Integration> {
        match self.selected_transfer {
            Some(_) => None,
            None => self.integrations.get(self.selected),
        }
    }

    /// The Agent Transfer interaction in the form, if one is.
    pub fn current_transfer(&self) -> Option<&AgentTransfer> {
        self.transfers.get(self.selected_transfer?)
    }

    /// What the form shows, by the name its diagnostics carry.
    pub fn subject_label(&self) -> Option<String> {
        match self.current_transfer() {
            Some(t) => Some(t.label()),
            None => self.current().map(|i| i.name.clone()),
        }
    }

    /// The escalation settings in the form, when it is an escalation of either kind.
    pub fn current_escalation(&self) -> Option<&Escalation> {
        match self.current_transfer() {
            Some(t) => Some(&t.escalation),
            None => self
                .current()
                .filter(|i| i.is_escalation())
                .map(|i| &i.escalation),
        }
    }

    /// A field's value as the form shows it.
    pub fn field_value(&self, field: Field) -> String {
        match self.current_transfer() {
            Some(t) => t.value(field),
            None => self.current().map(|i| i.value(field)).unwrap_or_default(),
        }
    }

    /// The form's fields for what is selected.
    pub fn fields(&self) -> Vec<Field> {
        if self.current_transfer().is_some() {
            return crate::bot::agent_transfer::FIELDS.to_vec();
        }
        self.current()
            .map(|i| Field::for_kind(&i.kind).collect())
            .unwrap_or_default()
    }

    /// The list's rows: the integrations, then a heading and the Agent Transfer interactions,
    /// as the filter lets them through. Made once per filter and change of the lists.
    pub fn entries(&self) -> Arc<[Entry]> {
        if let Some((filter, rows)) = self.rows.borrow().as_ref()
            && *filter == self.filter
        {
            return Arc::clone(rows);
        }
        let needle = self.filter.to_lowercase();
        // The filter finds a name, a type, a skill name or a skill id.
        let shown = |texts: [&str; 4]| {
            needle.is_empty() || texts.iter().any(|t| t.to_lowercase().contains(&needle))
        };
        let mut entries: Vec<Entry> = self
            .integrations
            .iter()
            .filter(|i| {
                let e = &i.escalation;
                let escalation = i.is_escalation();
                let (skill_name, skill_id) = if escalation {
                    (e.skill_name.as_str(), e.skill_id.as_str())
                } else {
                    ("", "")
                };
                shown([&i.name, i.kind.label(), skill_name, skill_id])
            })
            .map(|i| Entry::Integration(i.index))
            .collect();
        let first_transfer = entries.len();
        entries.extend(
            self.transfers
                .iter()
                .enumerate()
                .filter(|(_, t)| {
                    let e = &t.escalation;
                    shown([&t.name, "Agent Transfer", &e.skill_name, &e.skill_id])
                })
                .map(|(i, _)| Entry::Transfer(i)),
        );
        if entries.len() > first_transfer {
            entries.insert(first_transfer, Entry::TransfersHeading);
        }
        let rows: Arc<[Entry]> = entries.into();
        self.rows
            .replace(Some((self.filter.clone(), Arc::clone(&rows))));
        rows
    }

    /// Where `entry` is among the list's rows (they are in order: a binary search).
    pub fn row_of(&self, entry: Entry) -> Option<usize> {
        self.entries().binary_search(&entry).ok()
    }

    /// The list row that is selected.
    pub fn selected_entry(&self) -> Entry {
        match self.selected_transfer {
            Some(t) => Entry::Transfer(t),
            None => Entry::Integration(self.selected),
        }
    }

    /// What the simulation of the selected escalation starts from (`None` when what is
    /// selected is not an escalation). The bot's part is read once per refresh.
    pub fn simulation_setup(&self) -> Option<crate::runtime::simulate::Setup> {
        let (escalation, delay_ms) = match (
            self.current_transfer(),
            self.current().filter(|i| i.is_escalation()),
        ) {
            (Some(t), _) => (t.escalation.clone(), t.delay_ms.unwrap_or(0)),
            (None, Some(i)) => {
                let plans = self.facts.index.plans(i, &self.sidecar);
                let delay = plans.first().and_then(|p| p.configured_ms).unwrap_or(0);
                (i.escalation.clone(), delay)
            }
            (None, None) => return None,
        };
        let base = Arc::clone(self.simulation_base.borrow_mut().get_or_insert_with(|| {
            Arc::new(crate::runtime::simulate::Setup::from_bot(
                &self.doc,
                Escalation::default(),
                &self.sidecar.context,
            ))
        }));
        Some(base.for_escalation(escalation, delay_ms, &self.sidecar))
    }

    /// Every diagnostic: each integration's, each Agent Transfer's, then the bot's own.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.report.iter()
    }

    /// The diagnostics of a row of the list.
    pub fn diagnostics_of(&self, entry: Entry) -> &[Diagnostic] {
        let found = match entry {
            Entry::Integration(i) => self.report.integrations.get(i),
            Entry::Transfer(t) => self.report.transfers.get(t),
            Entry::TransfersHeading => None,
        };
        found.map_or(&[], Vec::as_slice)
    }

    /// The diagnostics of what the form shows.
    pub fn subject_diagnostics(&self) -> &[Diagnostic] {
        self.diagnostics_of(self.selected_entry())
    }

    /// Whether there is anything unsaved: the bot differs from what was saved, or
    /// escalator's settings for it do.
    pub fn is_modified(&self) -> bool {
        self.history.differs() || self.sidecar != self.saved_settings
    }

    /// What is open is what was just saved.
    pub fn mark_saved(&mut self) {
        self.history.saved();
        self.saved_settings = self.sidecar.clone();
    }

    /// Whether `command` does something where the focus is now: the footer shows only those,
    /// and the palette marks the others.
    pub fn applies(&self, command: Command) -> bool {
        use Command as C;
        if self.hidden() && is_about_the_selection(command) {
            return false;
        }
        let escalation = self.current_escalation().is_some();
        let field = match self.focus {
            Focus::Field(f) => Some(f),
            Focus::List => None,
        };
        match command {
            C::ApplyDelay
            | C::CopyBody
            | C::SimulateDrop
            | C::SimulateFailures
            | C::SimulateFailureDialog
            | C::TogglePreviewMode => escalation,
            C::SimulateAgentUnavailable => self
                .current_escalation()
                .is_some_and(|e| !e.agent_id.trim().is_empty()),
            C::Convert => escalation,
            C::PlaceInDialog => {
                self.current().is_some_and(Integration::is_escalation)
                    && self.facts.index.dialog_count() > 0
            }
            C::AddFailureDialog => !self.facts.has_failure_dialog,
            C::DuplicateIntegration | C::DeleteIntegration | C::EditSampleResult => {
                self.current().is_some()
            }
            C::Toggle => field == Some(Field::TransferBotContext),
            C::Left | C::Right => field == Some(Field::IntegrationType) || self.table_active,
            C::OpenEditor => {
                let typed = self.editing.as_ref().and_then(|e| match e.target {
                    EditTarget::Field(f) => Some(f),
                    EditTarget::Cell { .. } => None,
                });
                typed.or(field).is_some_and(Field::is_multiline)
            }
            C::Undo => self.editing.is_some() || self.history.depth().0 > 0,
            C::Redo => self.editing.is_some() || self.history.depth().1 > 0,
            C::AddRow | C::RemoveRow | C::MoveRowUp | C::MoveRowDown => self.table_active,
            _ => true,
        }
    }

    /// Whether the filter hides what is selected: nothing is selected then, for the form,
    /// the preview and every command about the selection.
    pub fn hidden(&self) -> bool {
        !self.filter.is_empty() && self.row_of(self.selected_entry()).is_none()
    }

    /// The keymap context the keys go to now.
    pub fn context(&self) -> Context {
        match self.overlay {
            Some(Overlay::Help) => Context::Help,
            Some(Overlay::ConfirmQuit) => Context::ConfirmQuit,
            Some(Overlay::ConfirmDelete(_)) => Context::ConfirmDelete,
            Some(Overlay::SelectType(_)) => Context::Select,
            Some(Overlay::ChangedOnDisk { .. }) => Context::ChangedOnDisk,
            Some(Overlay::SaveAs { .. }) => Context::SaveAs,
            Some(Overlay::Recovery) => Context::Recovery,
            Some(Overlay::RecoveryDiff) => Context::RecoveryDiff,
            Some(Overlay::SampleContext) => Context::SampleContext,
            Some(Overlay::FailureDialog) => Context::FailureDialog,
            Some(Overlay::ConfirmConvert(_)) => Context::ConfirmConvert,
            Some(Overlay::SampleResult) => Context::SampleResult,
            Some(Overlay::SaveFailed { .. }) => Context::SaveFailed,
            Some(Overlay::ConfirmDiscard) => Context::ConfirmDiscard,
            Some(Overlay::Palette) => Context::Palette,
            Some(Overlay::Place) => Context::PlaceInDialog,
            Some(Overlay::ConfirmType(_)) => Context::ConfirmType,
            Some(Overlay::Pick) => Context::Pick,
            Some(Overlay::AccountId) => Context::AccountId,
            None if self.editing.is_some() => Context::Editing,
            None if self.filter_active => Context::Filter,
            None => match self.focus {
                Focus::List => Context::List,
                Focus::Field(Field::CustomData) if self.table_active => Context::Table,
                Focus::Field(_) => Context::Form,
            },
        }
    }
}

impl Model {
    /// The transfer body the preview shows, as text (`None` for other integration types).
    pub fn preview_body_text(&self) -> Option<String> {
        use crate::runtime::transfer;
        let escalation = self.current_escalation()?;
        let body = match self.preview_mode {
            PreviewMode::Configured => transfer::body_of(escalation),
            PreviewMode::Evaluated => {
                let context = transfer::preview_context(&self.doc, &self.sidecar.context);
                transfer::evaluated_body_of(escalation, &context)
            }
        };
        serde_json::to_string_pretty(&body).ok()
    }

    /// The selected Agent Transfer interaction's delay: messages before it, ms per message
    /// and the recommended total.
    pub fn transfer_delay(&self) -> Option<(u32, u64, u64)> {
        if !self.checked {
            return None;
        }
        let transfer = self.current_transfer()?;
        let interaction = transfer.as_interaction(self.facts.index.all())?;
        let messages = self.facts.index.messages_before(interaction);
        let per = self.sidecar.per_message_ms();
        Some((
            messages,
            per,
            crate::runtime::delay::recommended_ms(messages, per),
        ))
    }
}

/// Whether `command` acts on the selected integration or Agent Transfer interaction.
pub fn is_about_the_selection(command: Command) -> bool {
    use Command as C;
    matches!(
        command,
        C::DuplicateIntegration
            | C::DeleteIntegration
            | C::PlaceInDialog
            | C::Convert
            | C::ApplyDelay
            | C::CopyBody
            | C::OpenEditor
            | C::EditSampleResult
            | C::SimulateDrop
            | C::SimulateAgentUnavailable
            | C::SimulateFailures
            | C::SimulateFailureDialog
            | C::TogglePreviewMode
            | C::TogglePreviewTab
    )
}

/// "1 line", "2 lines".
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
