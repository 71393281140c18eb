//! One table of keys: dispatch, the footer hints, the palette and the help overlay all read
//! it. The built-in table is [`BINDINGS`]; the user's config file may rebind any action of
//! the palette ([`Keymap::with_user`]), and everything that shows keys shows the user's.

use std::borrow::Cow;

use crate::workspace::config::Problem;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a key applies. More specific contexts are asked first; `Global` last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Anywhere, even while typing in a field.
    Global,
    /// The integrations list has focus.
    List,
    /// A form field has focus (not typing in it).
    Form,
    /// Typing in a text field.
    Editing,
    /// Moving in the Custom Data Fields table.
    Table,
    /// Typing the list filter.
    Filter,
    /// The Integration Type choices are open.
    Select,
    /// The help overlay is open.
    Help,
    /// The unsaved-changes question on quit.
    ConfirmQuit,
    /// The delete question.
    ConfirmDelete,
    /// The file changed on disk: overwrite, reload or save as.
    ChangedOnDisk,
    /// Typing a file name to save as.
    SaveAs,
    /// Unsaved edits from an earlier session.
    Recovery,
    /// The difference of the unsaved edits.
    RecoveryDiff,
    /// Editing the sample bot-context values.
    SampleContext,
    /// Adding a dialog that catches failed transfers, with its apology.
    FailureDialog,
    /// The question before converting an escalation to the other kind.
    ConfirmConvert,
    /// Editing the sample raw result a Transform Result Script runs on.
    SampleResult,
    /// A save failed.
    SaveFailed,
    /// The second question before dropping edits that a failed save did not write.
    ConfirmDiscard,
    /// The command palette: every action by name.
    Palette,
    /// Placing the selected escalation in a dialog: dialog, interaction, kind.
    PlaceInDialog,
    /// The question before a type change that drops values.
    ConfirmType,
    /// Choosing a skill or an agent of the bot's account.
    Pick,
    /// Typing the id of the bot's account.
    AccountId,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Anywhere",
            Context::List => "Integrations list",
            Context::Form => "Form",
            Context::Editing => "Typing in a field",
            Context::Table => "Custom Data Fields table",
            Context::Filter => "Filter",
            Context::Select => "Integration Type choices",
            Context::Help => "Help",
            Context::ConfirmQuit => "Quit with unsaved changes",
            Context::ConfirmDelete => "Delete",
            Context::ChangedOnDisk => "File changed on disk",
            Context::SaveAs => "Save as",
            Context::Recovery => "Unsaved edits found",
            Context::RecoveryDiff => "Difference of the unsaved edits",
            Context::SampleContext => "Sample values",
            Context::FailureDialog => "Add a failure dialog",
            Context::ConfirmConvert => "Convert",
            Context::SampleResult => "Sample result",
            Context::SaveFailed => "Save failed",
            Context::ConfirmDiscard => "Drop the unsaved edits",
            Context::Palette => "Command palette",
            Context::PlaceInDialog => "Place in a dialog",
            Context::ConfirmType => "Change the type",
            Context::Pick => "Skills and agents of the account",
            Context::AccountId => "The bot's account",
        }
    }
}

/// What a key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Quit,
    Save,
    Help,
    AddIntegration,
    DuplicateIntegration,
    DeleteIntegration,
    StartFilter,
    NextField,
    PrevField,
    Up,
    Down,
    Left,
    Right,
    /// Enter: edit, choose or confirm.
    Activate,
    /// Space: tick the checkbox.
    Toggle,
    /// Esc: leave the field, keeping what was typed.
    Leave,
    FocusList,
    OpenEditor,
    CopyBody,
    PreviewUp,
    PreviewDown,
    TogglePreviewMode,
    TogglePreviewTab,
    SimulateDrop,
    SimulateAgentUnavailable,
    SimulateFailures,
    SimulateFailureDialog,
    EditSampleContext,
    ApplyDelay,
    AddFailureDialog,
    Convert,
    EditSampleResult,
    ToggleMouse,
    Undo,
    Redo,
    AddRow,
    RemoveRow,
    MoveRowUp,
    MoveRowDown,
    SaveAndQuit,
    DiscardAndQuit,
    Cancel,
    ConfirmYes,
    Overwrite,
    Reload,
    SaveAs,
    Restore,
    DiscardEdits,
    ShowDiff,
    /// Opens the command palette.
    Palette,
    /// Places the selected escalation in a dialog.
    PlaceInDialog,
    /// The first key of a two-key binding (Ctrl-X of Ctrl-X Ctrl-E).
    StartChord,
    /// Sets the bot's account, whose skills and agents check and fill the transfers.
    SetAccount,
    /// In a field: to the start of the line, to its end; deleting to either, or a word back.
    LineStart,
    LineEnd,
    DeleteToStart,
    DeleteToEnd,
    DeleteWord,
}

/// One row of the table.
#[derive(Debug, Clone)]
pub struct Binding {
    pub context: Context,
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub command: Command,
    /// How the key is written in hints, e.g. "Ctrl-S".
    pub keys: Cow<'static, str>,
    pub description: &'static str,
    /// Shown in the footer.
    pub footer: bool,
    /// The second key, for a two-key binding: the first runs [`Command::StartChord`].
    pub then: Option<KeyCode>,
}

const fn bind(
    context: Context,
    code: KeyCode,
    modifiers: KeyModifiers,
    command: Command,
    keys: &'static str,
    description: &'static str,
    footer: bool,
) -> Binding {
    Binding {
        context,
        code,
        modifiers,
        command,
        keys: Cow::Borrowed(keys),
        description,
        footer,
        then: None,
    }
}

/// A two-key binding: `code` with `modifiers`, then `then` with Ctrl.
const fn chord(
    context: Context,
    code: KeyCode,
    then: KeyCode,
    command: Command,
    keys: &'static str,
    description: &'static str,
) -> Binding {
    Binding {
        context,
        code,
        modifiers: CTRL,
        command,
        keys: Cow::Borrowed(keys),
        description,
        footer: false,
        then: Some(then),
    }
}

use Command as C;
use Context as X;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const NONE: KeyModifiers = KeyModifiers::NONE;
const ALT: KeyModifiers = KeyModifiers::ALT;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

/// The keymap: one line a key.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    bind(X::Global, KeyCode::Char('s'), CTRL, C::Save, "Ctrl-S", "save", true),
    bind(X::Global, KeyCode::Char('z'), CTRL, C::Undo, "Ctrl-Z", "undo", true),
    bind(X::Global, KeyCode::Char('y'), CTRL, C::Redo, "Ctrl-Y", "redo", true),
    bind(X::Global, KeyCode::Char('r'), CTRL, C::Redo, "Ctrl-R", "redo", false),
    bind(X::Global, KeyCode::Char('q'), CTRL, C::Quit, "Ctrl-Q", "quit", true),
    bind(X::Global, KeyCode::F(1), NONE, C::Help, "F1", "help", true),
    bind(X::Global, KeyCode::Char('n'), CTRL, C::AddIntegration, "Ctrl-N", "new escalation", false),
    bind(X::Global, KeyCode::Char('p'), CTRL, C::Palette, "Ctrl-P", "all actions", true),
    chord(X::Global, KeyCode::Char('x'), KeyCode::Char('e'), C::OpenEditor, "Ctrl-X Ctrl-E", "edit the field in $EDITOR"),
    bind(X::List, KeyCode::Char('c'), NONE, C::CopyBody, "c", "copy the transfer body (OSC 52)", false),
    bind(X::Global, KeyCode::Char('t'), CTRL, C::TogglePreviewMode, "Ctrl-T", "preview configured / evaluated", false),
    bind(X::Global, KeyCode::PageUp, NONE, C::PreviewUp, "PgUp", "scroll the preview up", false),
    bind(X::Global, KeyCode::PageDown, NONE, C::PreviewDown, "PgDn", "scroll the preview down", false),
    bind(X::Global, KeyCode::F(2), NONE, C::ToggleMouse, "F2", "mouse clicks on/off", false),
    bind(X::Global, KeyCode::F(3), NONE, C::TogglePreviewTab, "F3", "preview: transfer body / simulation", true),
    bind(X::Global, KeyCode::F(4), NONE, C::EditSampleContext, "F4", "sample values of variables for the preview", false),
    bind(X::Global, KeyCode::F(9), NONE, C::EditSampleResult, "F9", "sample raw result the Transform Result Script runs on", false),
    bind(X::Global, KeyCode::F(5), NONE, C::SimulateDrop, "F5", "simulate: the chat server drops the request", false),
    bind(X::Global, KeyCode::F(6), NONE, C::SimulateAgentUnavailable, "F6", "simulate: the agent is unavailable", false),
    bind(X::Global, KeyCode::F(7), NONE, C::SimulateFailures, "F7", "simulate: one more failed attempt (0 to 5)", false),
    bind(X::Global, KeyCode::F(8), NONE, C::SimulateFailureDialog, "F8", "simulate: failure dialog as the bot has it / yes / no", false),
    bind(X::List, KeyCode::Up, NONE, C::Up, "↑", "previous integration", false),
    bind(X::List, KeyCode::Down, NONE, C::Down, "↓", "next integration", false),
    bind(X::List, KeyCode::Char('k'), NONE, C::Up, "k", "previous integration", false),
    bind(X::List, KeyCode::Char('j'), NONE, C::Down, "j", "next integration", false),
    bind(X::List, KeyCode::Enter, NONE, C::Activate, "Enter", "open", true),
    bind(X::List, KeyCode::Tab, NONE, C::NextField, "Tab", "to the form", false),
    bind(X::List, KeyCode::BackTab, SHIFT, C::PrevField, "Shift-Tab", "to the last field", false),
    bind(X::List, KeyCode::Char('n'), NONE, C::AddIntegration, "n", "new", true),
    bind(X::List, KeyCode::Char('d'), NONE, C::DuplicateIntegration, "d", "duplicate", false),
    bind(X::List, KeyCode::Delete, NONE, C::DeleteIntegration, "Del", "delete", true),
    bind(X::List, KeyCode::Char('/'), NONE, C::StartFilter, "/", "filter", true),
    bind(X::List, KeyCode::Char(':'), NONE, C::Palette, ":", "all actions", false),
    bind(X::List, KeyCode::Char('p'), NONE, C::PlaceInDialog, "p", "place in a dialog", true),
    bind(X::List, KeyCode::Char('a'), NONE, C::SetAccount, "a", "the bot's account (skills and agents)", false),
    bind(X::List, KeyCode::Char('d'), CTRL, C::ApplyDelay, "Ctrl-D", "apply the recommended interaction delay", false),
    bind(X::List, KeyCode::Char('f'), CTRL, C::AddFailureDialog, "Ctrl-F", "add a failure dialog (catches failed transfers)", false),
    bind(X::List, KeyCode::Char('k'), CTRL, C::Convert, "Ctrl-K", "convert: Integration interaction ↔ Agent Transfer interaction", false),
    bind(X::Form, KeyCode::Char('d'), CTRL, C::ApplyDelay, "Ctrl-D", "apply the recommended interaction delay", false),
    bind(X::Form, KeyCode::Char('f'), CTRL, C::AddFailureDialog, "Ctrl-F", "add a failure dialog (catches failed transfers)", false),
    bind(X::Form, KeyCode::Char('k'), CTRL, C::Convert, "Ctrl-K", "convert: Integration interaction ↔ Agent Transfer interaction", false),
    bind(X::List, KeyCode::Char('?'), NONE, C::Help, "?", "help", false),
    bind(X::List, KeyCode::Esc, NONE, C::Leave, "Esc", "clear the filter, then leave the simulation", false),
    bind(X::Form, KeyCode::Tab, NONE, C::NextField, "Tab", "next field", true),
    bind(X::Form, KeyCode::BackTab, SHIFT, C::PrevField, "Shift-Tab", "previous field", false),
    bind(X::Form, KeyCode::Down, NONE, C::NextField, "↓", "next field", false),
    bind(X::Form, KeyCode::Up, NONE, C::PrevField, "↑", "previous field", false),
    bind(X::Form, KeyCode::Enter, NONE, C::Activate, "Enter", "edit", true),
    bind(X::Form, KeyCode::Char(' '), NONE, C::Toggle, "Space", "tick / untick", false),
    bind(X::Form, KeyCode::Left, NONE, C::Left, "←", "previous type", false),
    bind(X::Form, KeyCode::Right, NONE, C::Right, "→", "next type", false),
    bind(X::Form, KeyCode::Esc, NONE, C::FocusList, "Esc", "back to the list", true),
    bind(X::Form, KeyCode::Char('?'), NONE, C::Help, "?", "help", false),
    bind(X::Form, KeyCode::Char(':'), NONE, C::Palette, ":", "all actions", false),
    bind(X::Editing, KeyCode::Enter, NONE, C::Activate, "Enter", "done (new line in long fields)", true),
    bind(X::Editing, KeyCode::Esc, NONE, C::Leave, "Esc", "leave the field (keeps the text)", true),
    bind(X::Editing, KeyCode::Tab, NONE, C::NextField, "Tab", "next field", true),
    bind(X::Editing, KeyCode::BackTab, SHIFT, C::PrevField, "Shift-Tab", "previous field", false),
    bind(X::Editing, KeyCode::Char('z'), CTRL, C::Undo, "Ctrl-Z", "undo", true),
    bind(X::Editing, KeyCode::Char('y'), CTRL, C::Redo, "Ctrl-Y", "redo", false),
    bind(X::Editing, KeyCode::Char('r'), CTRL, C::Redo, "Ctrl-R", "redo", false),
    bind(X::Editing, KeyCode::Char('a'), CTRL, C::LineStart, "Ctrl-A", "start of the line", false),
    bind(X::Editing, KeyCode::Char('e'), CTRL, C::LineEnd, "Ctrl-E", "end of the line", false),
    bind(X::Editing, KeyCode::Char('u'), CTRL, C::DeleteToStart, "Ctrl-U", "delete to the start of the line", false),
    bind(X::Editing, KeyCode::Char('k'), CTRL, C::DeleteToEnd, "Ctrl-K", "delete to the end of the line", false),
    bind(X::Editing, KeyCode::Char('w'), CTRL, C::DeleteWord, "Ctrl-W", "delete the word before", false),
    bind(X::Table, KeyCode::Up, NONE, C::Up, "↑", "previous row", false),
    bind(X::Table, KeyCode::Down, NONE, C::Down, "↓", "next row", false),
    bind(X::Table, KeyCode::Left, NONE, C::Left, "←", "key column", false),
    bind(X::Table, KeyCode::Right, NONE, C::Right, "→", "value column", false),
    bind(X::Table, KeyCode::Enter, NONE, C::Activate, "Enter", "edit the cell", true),
    bind(X::Table, KeyCode::Char('+'), NONE, C::AddRow, "+", "add a row", true),
    bind(X::Table, KeyCode::Insert, NONE, C::AddRow, "Ins", "add a row", false),
    bind(X::Table, KeyCode::Char('-'), NONE, C::RemoveRow, "-", "remove the row", true),
    bind(X::Table, KeyCode::Delete, NONE, C::RemoveRow, "Del", "remove the row", false),
    bind(X::Table, KeyCode::Up, ALT, C::MoveRowUp, "Alt-↑", "move the row up", true),
    bind(X::Table, KeyCode::Down, ALT, C::MoveRowDown, "Alt-↓", "move the row down", true),
    bind(X::Table, KeyCode::Esc, NONE, C::Leave, "Esc", "leave the table", true),
    bind(X::Table, KeyCode::Tab, NONE, C::NextField, "Tab", "next cell: key, value, next row", true),
    bind(X::Table, KeyCode::BackTab, SHIFT, C::PrevField, "Shift-Tab", "previous cell", false),
    bind(X::Filter, KeyCode::Enter, NONE, C::Activate, "Enter", "keep the filter", true),
    bind(X::Filter, KeyCode::Esc, NONE, C::Leave, "Esc", "clear the filter", true),
    bind(X::Select, KeyCode::Up, NONE, C::Up, "↑", "previous choice", true),
    bind(X::Select, KeyCode::Down, NONE, C::Down, "↓", "next choice", true),
    bind(X::Select, KeyCode::Enter, NONE, C::Activate, "Enter", "choose", true),
    bind(X::Select, KeyCode::Esc, NONE, C::Cancel, "Esc", "close", true),
    bind(X::Help, KeyCode::Esc, NONE, C::Cancel, "Esc", "close help", true),
    bind(X::Help, KeyCode::Char('?'), NONE, C::Cancel, "?", "close help", false),
    bind(X::Help, KeyCode::F(1), NONE, C::Cancel, "F1", "close help", false),
    bind(X::Help, KeyCode::Char('q'), NONE, C::Cancel, "q", "close help", false),
    bind(X::Help, KeyCode::Down, NONE, C::Down, "↓", "scroll", false),
    bind(X::Help, KeyCode::Up, NONE, C::Up, "↑", "scroll", false),
    bind(X::ConfirmQuit, KeyCode::Char('s'), NONE, C::SaveAndQuit, "s", "save and quit", true),
    bind(X::ConfirmQuit, KeyCode::Char('d'), NONE, C::DiscardAndQuit, "d", "discard and quit", true),
    bind(X::ConfirmQuit, KeyCode::Char('c'), NONE, C::Cancel, "c", "cancel", true),
    bind(X::ConfirmQuit, KeyCode::Esc, NONE, C::Cancel, "Esc", "cancel", false),
    bind(X::ConfirmDelete, KeyCode::Char('y'), NONE, C::ConfirmYes, "y", "delete", true),
    bind(X::ConfirmDelete, KeyCode::Char('n'), NONE, C::Cancel, "n", "keep", true),
    bind(X::ConfirmDelete, KeyCode::Esc, NONE, C::Cancel, "Esc", "keep", false),
    bind(X::ChangedOnDisk, KeyCode::Char('o'), NONE, C::Overwrite, "o", "overwrite it", true),
    bind(X::ChangedOnDisk, KeyCode::Char('r'), NONE, C::Reload, "r", "reload it (drops your edits)", true),
    bind(X::ChangedOnDisk, KeyCode::Char('a'), NONE, C::SaveAs, "a", "save as another file", true),
    bind(X::ChangedOnDisk, KeyCode::Char('c'), NONE, C::Cancel, "c", "cancel", true),
    bind(X::ChangedOnDisk, KeyCode::Esc, NONE, C::Cancel, "Esc", "cancel", false),
    bind(X::SaveAs, KeyCode::Enter, NONE, C::Activate, "Enter", "save", true),
    bind(X::SaveAs, KeyCode::Esc, NONE, C::Cancel, "Esc", "cancel", true),
    bind(X::Recovery, KeyCode::Char('r'), NONE, C::Restore, "r", "restore the edits", true),
    bind(X::Recovery, KeyCode::Char('d'), NONE, C::DiscardEdits, "d", "discard them", true),
    bind(X::Recovery, KeyCode::Char('s'), NONE, C::ShowDiff, "s", "show the difference", true),
    bind(X::Recovery, KeyCode::Down, NONE, C::Down, "↓", "the next session's edits", false),
    bind(X::Recovery, KeyCode::Char('q'), CTRL, C::Quit, "Ctrl-Q", "quit, keeping them for later", true),
    bind(X::SaveFailed, KeyCode::Char('a'), NONE, C::SaveAs, "a", "save as another file", true),
    bind(X::SaveFailed, KeyCode::Char('t'), NONE, C::Save, "t", "try again", true),
    bind(X::SaveFailed, KeyCode::Char('c'), NONE, C::Cancel, "c", "cancel", true),
    bind(X::SaveFailed, KeyCode::Esc, NONE, C::Cancel, "Esc", "cancel", false),
    bind(X::ConfirmDiscard, KeyCode::Char('y'), NONE, C::ConfirmYes, "y", "drop them and quit", true),
    bind(X::ConfirmDiscard, KeyCode::Char('k'), NONE, C::Quit, "k", "quit, keeping them in the journal", true),
    bind(X::ConfirmDiscard, KeyCode::Char('c'), NONE, C::Cancel, "c", "cancel", true),
    bind(X::ConfirmDiscard, KeyCode::Esc, NONE, C::Cancel, "Esc", "cancel", false),
    bind(X::ConfirmConvert, KeyCode::Char('y'), NONE, C::ConfirmYes, "y", "convert", true),
    bind(X::ConfirmConvert, KeyCode::Char('n'), NONE, C::Cancel, "n", "keep", true),
    bind(X::ConfirmConvert, KeyCode::Esc, NONE, C::Cancel, "Esc", "keep", false),
    bind(X::SampleResult, KeyCode::Esc, NONE, C::Leave, "Esc", "done (keeps what you typed)", true),
    bind(X::FailureDialog, KeyCode::Enter, NONE, C::Activate, "Enter", "add the dialog", true),
    bind(X::FailureDialog, KeyCode::Esc, NONE, C::Cancel, "Esc", "cancel", true),
    bind(X::SampleContext, KeyCode::Esc, NONE, C::Leave, "Esc", "done (keeps what you typed)", true),
    bind(X::SampleContext, KeyCode::Char('z'), CTRL, C::Undo, "Ctrl-Z", "undo", true),
    bind(X::Palette, KeyCode::Enter, NONE, C::Activate, "Enter", "run the action", true),
    bind(X::Palette, KeyCode::Esc, NONE, C::Cancel, "Esc", "close", true),
    bind(X::Palette, KeyCode::Up, NONE, C::Up, "↑", "previous action", true),
    bind(X::Palette, KeyCode::Down, NONE, C::Down, "↓", "next action", true),
    bind(X::PlaceInDialog, KeyCode::Enter, NONE, C::Activate, "Enter", "choose", true),
    bind(X::PlaceInDialog, KeyCode::Esc, NONE, C::Cancel, "Esc", "back / cancel", true),
    bind(X::PlaceInDialog, KeyCode::Up, NONE, C::Up, "↑", "previous", true),
    bind(X::PlaceInDialog, KeyCode::Down, NONE, C::Down, "↓", "next", true),
    bind(X::PlaceInDialog, KeyCode::PageUp, NONE, C::PreviewUp, "PgUp", "ten up", false),
    bind(X::PlaceInDialog, KeyCode::PageDown, NONE, C::PreviewDown, "PgDn", "ten down", false),
    bind(X::Pick, KeyCode::Enter, NONE, C::Activate, "Enter", "fill it in", true),
    bind(X::Pick, KeyCode::Esc, NONE, C::Cancel, "Esc", "close (type it yourself)", true),
    bind(X::Pick, KeyCode::Up, NONE, C::Up, "↑", "previous", true),
    bind(X::Pick, KeyCode::Down, NONE, C::Down, "↓", "next", true),
    bind(X::Pick, KeyCode::PageUp, NONE, C::PreviewUp, "PgUp", "ten up", false),
    bind(X::Pick, KeyCode::PageDown, NONE, C::PreviewDown, "PgDn", "ten down", false),
    bind(X::AccountId, KeyCode::Enter, NONE, C::Activate, "Enter", "set it", true),
    bind(X::AccountId, KeyCode::Esc, NONE, C::Cancel, "Esc", "cancel", true),
    bind(X::ConfirmType, KeyCode::Char('y'), NONE, C::ConfirmYes, "y", "change the type", true),
    bind(X::ConfirmType, KeyCode::Char('n'), NONE, C::Cancel, "n", "keep it", true),
    bind(X::ConfirmType, KeyCode::Esc, NONE, C::Cancel, "Esc", "keep it", false),
    bind(X::RecoveryDiff, KeyCode::Esc, NONE, C::Cancel, "Esc", "back to the question", true),
    bind(X::RecoveryDiff, KeyCode::Down, NONE, C::Down, "↓", "scroll", true),
    bind(X::RecoveryDiff, KeyCode::Up, NONE, C::Up, "↑", "scroll", true),
    bind(X::RecoveryDiff, KeyCode::PageDown, NONE, C::PreviewDown, "PgDn", "scroll a page", false),
    bind(X::RecoveryDiff, KeyCode::PageUp, NONE, C::PreviewUp, "PgUp", "scroll a page", false),
];

/// Whether a modal context blocks the global keys.
fn is_modal(context: Context) -> bool {
    !matches!(
        context,
        Context::Global
            | Context::List
            | Context::Form
            | Context::Editing
            | Context::Table
            | Context::Filter
    )
}

fn matches(binding: &Binding, key: &KeyEvent) -> bool {
    if binding.code != key.code {
        return false;
    }
    // Typed characters arrive with or without Shift depending on the terminal.
    let mut mods = key.modifiers;
    if matches!(key.code, KeyCode::Char(_) | KeyCode::BackTab) {
        mods.remove(KeyModifiers::SHIFT);
    }
    let mut want = binding.modifiers;
    want.remove(KeyModifiers::SHIFT);
    mods == want
}

/// One action of the palette.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub command: Command,
    pub name: &'static str,
    /// Every key it has outside boxes, "Ctrl-D" or "n, Ctrl-N".
    pub keys: String,
}

/// Moving about is not an action of its own: the palette leaves these out.
fn is_movement(command: Command) -> bool {
    use Command as C;
    matches!(
        command,
        C::Up
            | C::Down
            | C::Left
            | C::Right
            | C::Activate
            | C::Toggle
            | C::Leave
            | C::Cancel
            | C::NextField
            | C::PrevField
            | C::Palette
            | C::StartChord
            | C::LineStart
            | C::LineEnd
            | C::DeleteToStart
            | C::DeleteToEnd
            | C::DeleteWord
    )
}

/// The keys in force: the built-in table, with the user's bindings where they gave some.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            bindings: BINDINGS.to_vec(),
        }
    }
}

impl Keymap {
    /// The built-in table with the hints of `commands` naming something else: how another
    /// way of answering (the accessible mode's) names the editor's actions.
    pub fn named(commands: &[(Command, &'static str)]) -> Keymap {
        let mut keymap = Keymap::default();
        for b in &mut keymap.bindings {
            if let Some((_, name)) = commands.iter().find(|(c, _)| *c == b.command) {
                b.keys = Cow::Borrowed(name);
            }
        }
        keymap
    }

    /// The first keys of the two-key bindings, as hints write them: "Ctrl-X".
    pub fn chord_starts(&self) -> String {
        let mut starts: Vec<&str> = Vec::new();
        for b in self.bindings.iter().filter(|b| b.then.is_some()) {
            let first = b.keys.split(' ').next().unwrap_or(&b.keys);
            if !starts.contains(&first) {
                starts.push(first);
            }
        }
        starts.join(" or ")
    }

    /// Every binding, in the table's order.
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The keys of `command` outside boxes, each once, and what it does.
    pub fn keys_and_name(&self, command: Command) -> Option<(Vec<&str>, &'static str)> {
        let mut keys: Vec<&str> = Vec::new();
        let mut name = None;
        for b in self
            .bindings
            .iter()
            .filter(|b| b.command == command && OUTSIDE.contains(&b.context))
        {
            name.get_or_insert(b.description);
            if !keys.contains(&b.keys.as_ref()) {
                keys.push(&b.keys);
            }
        }
        Some((keys, name?))
    }

    /// The command a key runs in `context`: the context's own binding first, then a global one.
    pub fn lookup(&self, context: Context, key: &KeyEvent) -> Option<Command> {
        let own = self
            .bindings
            .iter()
            .find(|b| b.context == context && matches(b, key));
        let global = || {
            (!is_modal(context))
                .then(|| {
                    self.bindings
                        .iter()
                        .find(|b| b.context == Context::Global && matches(b, key))
                })
                .flatten()
        };
        own.or_else(global).map(|b| match b.then {
            Some(_) => Command::StartChord,
            None => b.command,
        })
    }

    /// The command of a two-key binding whose first key was pressed in `context`, by its second.
    pub fn finish_chord(&self, context: Context, key: &KeyEvent) -> Option<Command> {
        self.bindings
            .iter()
            .filter(|b| {
                b.context == context || (b.context == Context::Global && !is_modal(context))
            })
            .find(|b| b.then == Some(key.code) && key.modifiers.contains(KeyModifiers::CONTROL))
            .map(|b| b.command)
    }

    /// The first keys of the two-key bindings, for the status line after the first: "Ctrl-E
    /// edit the field in $EDITOR".
    pub fn chord_hint(&self) -> String {
        self.bindings
            .iter()
            .filter(|b| b.then.is_some())
            .map(|b| {
                let second = b.keys.rsplit(' ').next().unwrap_or(&b.keys);
                format!("{second} {}", b.description)
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The keys of `command` where the focus is, as written in hints: "Ctrl-F".
    pub fn keys_of(&self, command: Command) -> Option<&str> {
        self.bindings
            .iter()
            .find(|b| b.command == command && !is_modal(b.context) && b.context != Context::Editing)
            .map(|b| b.keys.as_ref())
    }

    /// Every action of the keymap outside boxes, by name, with its keys: what the palette offers.
    pub fn actions(&self) -> Vec<Action> {
        let mut actions: Vec<Action> = Vec::new();
        let places = [
            Context::Global,
            Context::List,
            Context::Form,
            Context::Table,
        ];
        for b in self.bindings.iter().filter(|b| places.contains(&b.context)) {
            if is_movement(b.command) {
                continue;
            }
            match actions.iter_mut().find(|a| a.command == b.command) {
                Some(a) if !a.keys.split(", ").any(|k| k == b.keys) => {
                    a.keys = format!("{}, {}", a.keys, b.keys);
                }
                Some(_) => {}
                None => actions.push(Action {
                    command: b.command,
                    name: b.description,
                    keys: b.keys.to_string(),
                }),
            }
        }
        actions
    }

    /// The actions whose name or keys hold every word of `query` (ignoring case).
    pub fn matching_actions(&self, query: &str) -> Vec<Action> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        let mut found: Vec<(usize, Action)> = self
            .actions()
            .into_iter()
            .filter_map(|a| {
                let text = format!("{} {}", a.name, a.keys).to_lowercase();
                let mut first = usize::MAX;
                for w in &words {
                    first = first.min(text.find(w.as_str())?);
                }
                Some((first, a))
            })
            .collect();
        // The earlier the words are found in a name, the likelier it is the one meant.
        found.sort_by_key(|(at, _)| *at);
        found.into_iter().map(|(_, a)| a).collect()
    }

    /// The footer hints for `context`: its own, then the global ones; of those, the ones that
    /// do something now (`applies`). The palette's comes last, kept by [`fit_footer`].
    pub fn footer(&self, context: Context, applies: impl Fn(Command) -> bool) -> Vec<(&str, &str)> {
        let own = self.bindings.iter().filter(|b| b.context == context);
        let global = self
            .bindings
            .iter()
            .filter(|b| !is_modal(context) && b.context == Context::Global);
        let mut hints: Vec<(&str, &str)> = own
            .chain(global.clone().filter(|b| b.command != Command::Palette))
            .filter(|b| b.footer && applies(b.command))
            .map(|b| (b.keys.as_ref(), b.description))
            .collect();
        hints.extend(
            global
                .filter(|b| b.command == Command::Palette)
                .map(|b| (b.keys.as_ref(), b.description)),
        );
        hints
    }
}

/// The hints that fit in `width` columns, whole (a hint is never cut: it is left out), as
/// "key description" separated by two spaces; the last hint (the palette's, where there is
/// one) is always kept when it fits alone.
pub fn fit_footer<'a>(hints: &[(&'a str, &'a str)], width: usize) -> Vec<(&'a str, &'a str)> {
    let cost = |(k, d): &(&str, &str)| k.chars().count() + 1 + d.chars().count() + 2;
    let Some((last, rest)) = hints.split_last() else {
        return Vec::new();
    };
    let mut room = width.saturating_sub(cost(last));
    let mut shown = Vec::new();
    for hint in rest {
        if cost(hint) > room {
            break;
        }
        room -= cost(hint);
        shown.push(*hint);
    }
    if cost(last) <= width {
        shown.push(*last);
    }
    shown
}

/// The help overlay's sections: each context with its keys.
pub fn help_sections(keymap: &Keymap) -> Vec<(Context, Vec<&Binding>)> {
    let order = [
        Context::Global,
        Context::List,
        Context::Form,
        Context::Editing,
        Context::Table,
        Context::Filter,
        Context::Select,
        Context::ConfirmQuit,
        Context::ConfirmDelete,
        Context::ChangedOnDisk,
        Context::SaveAs,
        Context::Recovery,
        Context::RecoveryDiff,
        Context::SampleContext,
        Context::FailureDialog,
        Context::ConfirmConvert,
        Context::SampleResult,
        Context::SaveFailed,
        Context::ConfirmDiscard,
        Context::Palette,
        Context::PlaceInDialog,
        Context::ConfirmType,
        Context::Pick,
        Context::AccountId,
    ];
    order
        .into_iter()
        .map(|c| {
            (
                c,
                keymap.bindings.iter().filter(|b| b.context == c).collect(),
            )
        })
        .collect()
}

/// The actions a config file may rebind, by the names it uses: every action of the palette,
/// and the palette itself.
pub const CONFIG_NAMES: &[(&str, Command)] = &[
    ("save", Command::Save),
    ("undo", Command::Undo),
    ("redo", Command::Redo),
    ("quit", Command::Quit),
    ("help", Command::Help),
    ("palette", Command::Palette),
    ("new", Command::AddIntegration),
    ("duplicate", Command::DuplicateIntegration),
    ("delete", Command::DeleteIntegration),
    ("filter", Command::StartFilter),
    ("place_in_dialog", Command::PlaceInDialog),
    ("account", Command::SetAccount),
    ("apply_delay", Command::ApplyDelay),
    ("add_failure_dialog", Command::AddFailureDialog),
    ("convert", Command::Convert),
    ("open_editor", Command::OpenEditor),
    ("copy_body", Command::CopyBody),
    ("preview_mode", Command::TogglePreviewMode),
    ("preview_tab", Command::TogglePreviewTab),
    ("preview_up", Command::PreviewUp),
    ("preview_down", Command::PreviewDown),
    ("sample_values", Command::EditSampleContext),
    ("sample_result", Command::EditSampleResult),
    ("simulate_drop", Command::SimulateDrop),
    (
        "simulate_agent_unavailable",
        Command::SimulateAgentUnavailable,
    ),
    ("simulate_failures", Command::SimulateFailures),
    ("simulate_failure_dialog", Command::SimulateFailureDialog),
    ("mouse", Command::ToggleMouse),
    ("add_row", Command::AddRow),
    ("remove_row", Command::RemoveRow),
    ("move_row_up", Command::MoveRowUp),
    ("move_row_down", Command::MoveRowDown),
];

/// A key as a config file writes it, read: "ctrl-w", "alt-up", "f5", "n", "ctrl-x ctrl-e".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySpec {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    /// The second key of a two-key binding (pressed with Ctrl).
    pub then: Option<KeyCode>,
    /// As hints write it: "Ctrl-W".
    pub text: String,
}

/// The keys that move about and confirm everywhere: rebinding them would leave the editor
/// without a way to do so.
fn is_reserved(code: KeyCode, modifiers: KeyModifiers) -> bool {
    let plain = modifiers.difference(KeyModifiers::SHIFT).is_empty();
    plain
        && matches!(
            code,
            KeyCode::Enter
                | KeyCode::Esc
                | KeyCode::Tab
                | KeyCode::BackTab
                | KeyCode::Up
                | KeyCode::Down
                | KeyCode::Left
                | KeyCode::Right
                | KeyCode::Backspace
                | KeyCode::Char(' ')
        )
}

/// One key of a config file ("ctrl-w"): its code, modifiers and how hints write it.
fn parse_one(written: &str) -> Option<(KeyCode, KeyModifiers, String)> {
    let mut rest = written;
    let mut modifiers = KeyModifiers::NONE;
    let mut text = String::new();
    loop {
        let lower = rest.to_ascii_lowercase();
        let (flag, name, len) = if lower.starts_with("ctrl-") && rest.len() > 5 {
            (KeyModifiers::CONTROL, "Ctrl-", 5)
        } else if lower.starts_with("alt-") && rest.len() > 4 {
            (KeyModifiers::ALT, "Alt-", 4)
        } else if lower.starts_with("shift-") && rest.len() > 6 {
            (KeyModifiers::SHIFT, "Shift-", 6)
        } else {
            break;
        };
        if modifiers.contains(flag) {
            return None;
        }
        modifiers |= flag;
        text.push_str(name);
        rest = &rest[len..];
    }
    let lower = rest.to_ascii_lowercase();
    let (code, shown) = match lower.as_str() {
        "enter" | "return" => (KeyCode::Enter, "Enter".to_string()),
        "esc" | "escape" => (KeyCode::Esc, "Esc".to_string()),
        "tab" if modifiers.contains(KeyModifiers::SHIFT) => (KeyCode::BackTab, "Tab".to_string()),
        "tab" => (KeyCode::Tab, "Tab".to_string()),
        "backtab" => (KeyCode::BackTab, "Shift-Tab".to_string()),
        "space" => (KeyCode::Char(' '), "Space".to_string()),
        "backspace" => (KeyCode::Backspace, "Backspace".to_string()),
        "del" | "delete" => (KeyCode::Delete, "Del".to_string()),
        "ins" | "insert" => (KeyCode::Insert, "Ins".to_string()),
        "home" => (KeyCode::Home, "Home".to_string()),
        "end" => (KeyCode::End, "End".to_string()),
        "pgup" | "pageup" => (KeyCode::PageUp, "PgUp".to_string()),
        "pgdn" | "pagedown" => (KeyCode::PageDown, "PgDn".to_string()),
        "up" => (KeyCode::Up, "↑".to_string()),
        "down" => (KeyCode::Down, "↓".to_string()),
        "left" => (KeyCode::Left, "←".to_string()),
        "right" => (KeyCode::Right, "→".to_string()),
        f if f.len() >= 2 && f.starts_with('f') && f[1..].bytes().all(|b| b.is_ascii_digit()) => {
            let n: u8 = f[1..].parse().ok().filter(|n| (1..=12).contains(n))?;
            (KeyCode::F(n), format!("F{n}"))
        }
        _ => {
            let mut chars = rest.chars();
            let c = chars.next().filter(|c| !c.is_control())?;
            if chars.next().is_some() {
                return None;
            }
            // Terminals send Ctrl-M, -I, -H and -J as Enter, Tab and Backspace, Ctrl with
            // anything but a letter or Space as something else or nothing, Alt-[ and Alt-O as the
            // start of their own sequences, and Shift with Ctrl or Alt and a character as
            // without it: such a key would never be seen.
            let lower = c.to_ascii_lowercase();
            if modifiers.contains(KeyModifiers::CONTROL)
                && (matches!(lower, 'm' | 'i' | 'h' | 'j')
                    || !(lower.is_ascii_lowercase() || lower == ' '))
            {
                return None;
            }
            if modifiers.contains(KeyModifiers::ALT) && matches!(c, '[' | 'O') {
                return None;
            }
            if modifiers.contains(KeyModifiers::SHIFT)
                && modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
            {
                return None;
            }
            // Typed characters come with or without Shift: the character says it.
            if modifiers.contains(KeyModifiers::SHIFT) {
                modifiers.remove(KeyModifiers::SHIFT);
                text = text.replace("Shift-", "");
                let upper: String = c.to_uppercase().collect();
                let c = upper.chars().next().unwrap_or(c);
                (KeyCode::Char(c), c.to_string())
            } else if modifiers.is_empty() {
                (KeyCode::Char(c), c.to_string())
            } else {
                let c = c.to_ascii_lowercase();
                (KeyCode::Char(c), c.to_ascii_uppercase().to_string())
            }
        }
    };
    // Ctrl or Alt with Enter, Tab, Backspace or Esc arrives as the key alone, or not at all.
    if matches!(
        code,
        KeyCode::Enter | KeyCode::Tab | KeyCode::BackTab | KeyCode::Backspace | KeyCode::Esc
    ) && modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return None;
    }
    text.push_str(&shown);
    Some((code, modifiers, text))
}

impl KeySpec {
    /// Reads a key as a config file writes it; `None` when it is not one.
    pub fn parse(written: &str) -> Option<KeySpec> {
        let mut keys = written.split_whitespace();
        let (code, modifiers, mut text) = parse_one(keys.next()?)?;
        let then = match keys.next() {
            None => None,
            Some(second) => {
                let (then, with, second_text) = parse_one(second)?;
                // The second key of a pair is read with Ctrl, as the built-in Ctrl-X Ctrl-E.
                if with != KeyModifiers::CONTROL || modifiers != KeyModifiers::CONTROL {
                    return None;
                }
                text = format!("{text} {second_text}");
                Some(then)
            }
        };
        if keys.next().is_some() {
            return None;
        }
        Some(KeySpec {
            code,
            modifiers,
            then,
            text,
        })
    }

    /// Whether `b` would be pressed as this key: the same key, and for two-key bindings the
    /// same second key (two pairs sharing a first key do not meet; a single key does meet
    /// a pair it starts).
    fn same_key(&self, b: &Binding) -> bool {
        self.meets(b.code, b.modifiers, b.then)
    }

    fn meets(&self, code: KeyCode, modifiers: KeyModifiers, then: Option<KeyCode>) -> bool {
        let strip = |m: KeyModifiers| m.difference(KeyModifiers::SHIFT);
        code == self.code
            && strip(modifiers) == strip(self.modifiers)
            && (then == self.then || then.is_none() || self.then.is_none())
    }
}

impl Keymap {
    /// The built-in keys with the config's `[keys]` applied, and what was wrong in it
    /// (by line). An action whose keys cannot all be read, or that shares a key with
    /// another of the file's actions, keeps its built-in keys.
    pub fn with_user(config: &crate::workspace::config::Config) -> (Keymap, Vec<Problem>) {
        let mut problems: Vec<Problem> = Vec::new();
        let mut wanted: Vec<(Command, &str, usize, Vec<KeySpec>)> = Vec::new();
        for (action, keys) in &config.keys {
            let Some(&(name, command)) = CONFIG_NAMES.iter().find(|(n, _)| *n == action.value)
            else {
                problems.push((
                    action.line,
                    format!(
                        "keys.{} is not an action; the actions are listed by escalator config --example",
                        action.value
                    ),
                ));
                continue;
            };
            let mut specs = Vec::new();
            for key in keys {
                match KeySpec::parse(&key.value) {
                    Some(spec) if is_reserved(spec.code, spec.modifiers) => problems.push((
                        key.line,
                        format!(
                            "keys.{name}: {} moves about and confirms everywhere and cannot be rebound; {name} keeps its built-in keys",
                            spec.text
                        ),
                    )),
                    Some(spec) => {
                        specs.push(spec);
                        continue;
                    }
                    None => problems.push((
                        key.line,
                        format!(
                            "keys.{name}: \"{}\" is not a key a terminal sends (Ctrl-M, Ctrl-I, Ctrl-[ and Ctrl-H arrive as Enter, Tab, Esc and Backspace; Shift with Ctrl or Alt as without it): write keys such as \"ctrl-s\", \"alt-up\", \"f5\", \"n\" or \"ctrl-x ctrl-e\"; {name} keeps its built-in keys",
                            key.value
                        ),
                    )),
                }
                specs.clear();
                break;
            }
            if keys.is_empty() {
                problems.push((
                    action.line,
                    format!(
                        "keys.{name} is empty: {name} would have no key; it keeps its built-in keys (the palette, Ctrl-P, reaches every action)"
                    ),
                ));
            } else if specs.len() == keys.len() {
                wanted.push((command, name, action.line, specs));
            }
        }
        // Two actions of the file on one key where both work: neither is taken.
        let builtin = Keymap::default();
        let places = |command: Command| {
            let own: Vec<Binding> = builtin
                .bindings
                .iter()
                .filter(|b| b.command == command && OUTSIDE.contains(&b.context))
                .cloned()
                .collect();
            contexts_of(&own)
        };
        let mut refused = vec![false; wanted.len()];
        for i in 0..wanted.len() {
            for j in i + 1..wanted.len() {
                if !overlap(&places(wanted[i].0), &places(wanted[j].0)) {
                    continue;
                }
                let shared = wanted[i].3.iter().find(|a| {
                    wanted[j]
                        .3
                        .iter()
                        .any(|b| a.meets(b.code, b.modifiers, b.then))
                });
                if let Some(key) = shared {
                    for (at, other) in [(i, j), (j, i)] {
                        problems.push((
                            wanted[at].2,
                            format!(
                                "keys.{} and keys.{} both take {}: both keep their built-in keys",
                                wanted[at].1, wanted[other].1, key.text
                            ),
                        ));
                        refused[at] = true;
                    }
                }
            }
        }
        let mut keymap = Keymap::default();
        let mut lost: Vec<(Command, String, &str, usize)> = Vec::new();
        for ((command, name, line, specs), refused) in wanted.into_iter().zip(refused) {
            if !refused {
                for (from, key) in keymap.rebind(&builtin, command, &specs) {
                    lost.push((from, key, name, line));
                }
            }
        }
        // An action whose every key went to another is said, with where it went.
        for (from, key, name, line) in lost {
            let has_keys = keymap
                .bindings
                .iter()
                .any(|b| b.command == from && OUTSIDE.contains(&b.context));
            let Some((from_name, _)) = CONFIG_NAMES.iter().find(|(_, c)| *c == from) else {
                continue;
            };
            if !has_keys {
                problems.push((
                    line,
                    format!(
                        "keys.{name} takes {key} from {from_name}, which is left with no key: give {from_name} one of its own"
                    ),
                ));
            }
        }
        (keymap, problems)
    }

    /// Gives `command` the keys `specs` instead of its built-in ones, where it had them
    /// outside boxes; a key another action had there is taken from it. A key it had already
    /// stays as it was (where it worked, and its hint).
    /// Returns the other actions that lost a key to it.
    fn rebind(
        &mut self,
        builtin: &Keymap,
        command: Command,
        specs: &[KeySpec],
    ) -> Vec<(Command, String)> {
        let mut taken = Vec::new();
        // Where and how it works is the built-in table's (another action of the file may have
        // taken its built-in keys already).
        let own: Vec<Binding> = builtin
            .bindings
            .iter()
            .filter(|b| b.command == command && REBOUND.contains(&b.context))
            .cloned()
            .collect();
        let Some(first) = own.first() else {
            return taken;
        };
        let (description, footer) = (first.description, own.iter().any(|b| b.footer));
        let contexts = contexts_of(&own);
        let at = self
            .bindings
            .iter()
            .position(|b| b.command == command && REBOUND.contains(&b.context))
            .unwrap_or(self.bindings.len());
        self.bindings
            .retain(|b| !(b.command == command && REBOUND.contains(&b.context)));
        let mut added: Vec<Binding> = Vec::new();
        for spec in specs {
            let had: Vec<&Binding> = own
                .iter()
                .filter(|b| spec.same_key(b) && b.then == spec.then)
                .collect();
            if !had.is_empty() {
                added.extend(had.into_iter().cloned());
                continue;
            }
            let typed = matches!(spec.code, KeyCode::Char(_))
                && spec.modifiers.difference(KeyModifiers::SHIFT).is_empty();
            let mut targets = Vec::new();
            for &context in &contexts {
                // A typed character anywhere would take it from the fields: it works where
                // nothing is being typed.
                match context {
                    Context::Global if typed => targets.extend([Context::List, Context::Form]),
                    Context::Editing if typed => {}
                    _ => targets.push(context),
                }
            }
            targets.dedup();
            for context in targets {
                // The key is taken from whatever had it there, and, for a key that works
                // anywhere, from the places whose own keys would come first.
                let shadowing = |c: Context| {
                    c == context
                        || (context == Context::Global
                            && matches!(
                                c,
                                Context::List
                                    | Context::Form
                                    | Context::Editing
                                    | Context::Table
                                    | Context::Filter
                            ))
                };
                self.bindings.retain(|b| {
                    let goes = shadowing(b.context) && spec.same_key(b);
                    if goes && b.command != command {
                        taken.push((b.command, spec.text.clone()));
                    }
                    !goes
                });
                added.retain(|b| !(b.context == context && spec.same_key(b)));
                added.push(Binding {
                    context,
                    code: spec.code,
                    modifiers: spec.modifiers,
                    command,
                    keys: Cow::Owned(spec.text.clone()),
                    description,
                    footer: false,
                    then: spec.then,
                });
            }
        }
        // The footer keeps a hint for an action it had one for.
        if footer
            && !added.iter().any(|b| b.footer)
            && let Some(b) = added.first_mut()
        {
            b.footer = true;
        }
        let at = at.min(self.bindings.len());
        self.bindings.splice(at..at, added);
        taken
    }
}

/// Where a config's keys for an action replace its built-in ones: outside boxes, and in a
/// field for the actions that work there too (undo, redo).
const REBOUND: [Context; 5] = [
    Context::Global,
    Context::List,
    Context::Form,
    Context::Table,
    Context::Editing,
];

/// The places outside boxes, where the actions a config rebinds have their keys.
const OUTSIDE: [Context; 4] = [
    Context::Global,
    Context::List,
    Context::Form,
    Context::Table,
];

/// The contexts of `bindings`, each once, in order.
fn contexts_of(bindings: &[Binding]) -> Vec<Context> {
    let mut contexts: Vec<Context> = Vec::new();
    for b in bindings {
        if !contexts.contains(&b.context) {
            contexts.push(b.context);
        }
    }
    contexts
}

/// Whether keys of actions bound in `a` and in `b` can meet: a place in both, or one bound
/// anywhere.
fn overlap(a: &[Context], b: &[Context]) -> bool {
    a.contains(&Context::Global) || b.contains(&Context::Global) || a.iter().any(|c| b.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn context_bindings_win_over_global_ones_and_modals_block_globals() {
        assert_eq!(
            Keymap::default().lookup(Context::Form, &key(KeyCode::Char('s'), CTRL)),
            Some(Command::Save)
        );
        assert_eq!(
            Keymap::default().lookup(Context::Editing, &key(KeyCode::Char('s'), CTRL)),
            Some(Command::Save)
        );
        assert_eq!(
            Keymap::default().lookup(Context::ConfirmQuit, &key(KeyCode::Char('s'), CTRL)),
            None
        );
        assert_eq!(
            Keymap::default().lookup(Context::ConfirmQuit, &key(KeyCode::Char('s'), NONE)),
            Some(Command::SaveAndQuit)
        );
        assert_eq!(
            Keymap::default().lookup(Context::Editing, &key(KeyCode::Char('?'), SHIFT)),
            None
        );
        assert_eq!(
            Keymap::default().lookup(Context::Form, &key(KeyCode::Char('?'), SHIFT)),
            Some(Command::Help)
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                assert!(
                    !(a.context == b.context && a.code == b.code && a.modifiers == b.modifiers),
                    "{} bound twice in {:?}",
                    a.keys,
                    a.context
                );
            }
        }
    }

    #[test]
    fn every_context_has_keys() {
        for (context, bindings) in help_sections(&Keymap::default()) {
            assert!(!bindings.is_empty(), "{context:?} has no keys");
        }
    }

    #[test]
    fn footer_and_help_come_from_the_table() {
        let keymap = Keymap::default();
        let footer = keymap.footer(Context::List, |_| true);
        assert!(footer.contains(&("/", "filter")));
        assert!(footer.contains(&("Ctrl-S", "save")));
        let help = help_sections(&keymap);
        let total: usize = help.iter().map(|(_, b)| b.len()).sum();
        assert_eq!(
            total,
            BINDINGS
                .iter()
                .filter(|b| b.context != Context::Help)
                .count()
        );
    }
}
