//! One table of keys: dispatch, the footer hints and the help overlay all read it.

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
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub context: Context,
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub command: Command,
    /// How the key is written in hints, e.g. "Ctrl-S".
    pub keys: &'static str,
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
        keys,
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
        then: Some(then),
        ..bind(context, code, CTRL, command, keys, description, false)
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

/// The command a key runs in `context`: the context's own binding first, then a global one.
pub fn lookup(context: Context, key: &KeyEvent) -> Option<Command> {
    let own = BINDINGS
        .iter()
        .find(|b| b.context == context && matches(b, key));
    let global = || {
        (!is_modal(context))
            .then(|| {
                BINDINGS
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
pub fn finish_chord(context: Context, key: &KeyEvent) -> Option<Command> {
    BINDINGS
        .iter()
        .filter(|b| b.context == context || (b.context == Context::Global && !is_modal(context)))
        .find(|b| b.then == Some(key.code) && key.modifiers.contains(KeyModifiers::CONTROL))
        .map(|b| b.command)
}

/// The first keys of the two-key bindings, for the status line after the first: "Ctrl-E
/// edit the field in $EDITOR".
pub fn chord_hint() -> String {
    BINDINGS
        .iter()
        .filter(|b| b.then.is_some())
        .map(|b| {
            let second = b.keys.rsplit(' ').next().unwrap_or(b.keys);
            format!("{second} {}", b.description)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The keys of `command` where the focus is, as written in hints: "Ctrl-F".
pub fn keys_of(command: Command) -> Option<&'static str> {
    BINDINGS
        .iter()
        .find(|b| b.command == command && !is_modal(b.context) && b.context != Context::Editing)
        .map(|b| b.keys)
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

/// Every action of the keymap outside boxes, by name, with its keys: what the palette offers.
pub fn actions() -> Vec<Action> {
    let mut actions: Vec<Action> = Vec::new();
    let places = [
        Context::Global,
        Context::List,
        Context::Form,
        Context::Table,
    ];
    for b in BINDINGS.iter().filter(|b| places.contains(&b.context)) {
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
pub fn matching_actions(query: &str) -> Vec<Action> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let mut found: Vec<(usize, Action)> = actions()
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
pub fn footer(
    context: Context,
    applies: impl Fn(Command) -> bool,
) -> Vec<(&'static str, &'static str)> {
    let own = BINDINGS.iter().filter(|b| b.context == context);
    let global = BINDINGS
        .iter()
        .filter(|b| !is_modal(context) && b.context == Context::Global);
    let mut hints: Vec<(&str, &str)> = own
        .chain(global.clone().filter(|b| b.command != Command::Palette))
        .filter(|b| b.footer && applies(b.command))
        .map(|b| (b.keys, b.description))
        .collect();
    hints.extend(
        global
            .filter(|b| b.command == Command::Palette)
            .map(|b| (b.keys, b.description)),
    );
    hints
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
pub fn help_sections() -> Vec<(Context, Vec<&'static Binding>)> {
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
        .map(|c| (c, BINDINGS.iter().filter(|b| b.context == c).collect()))
        .collect()
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
            lookup(Context::Form, &key(KeyCode::Char('s'), CTRL)),
            Some(Command::Save)
        );
        assert_eq!(
            lookup(Context::Editing, &key(KeyCode::Char('s'), CTRL)),
            Some(Command::Save)
        );
        assert_eq!(
            lookup(Context::ConfirmQuit, &key(KeyCode::Char('s'), CTRL)),
            None
        );
        assert_eq!(
            lookup(Context::ConfirmQuit, &key(KeyCode::Char('s'), NONE)),
            Some(Command::SaveAndQuit)
        );
        assert_eq!(
            lookup(Context::Editing, &key(KeyCode::Char('?'), SHIFT)),
            None
        );
        assert_eq!(
            lookup(Context::Form, &key(KeyCode::Char('?'), SHIFT)),
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
        for (context, bindings) in help_sections() {
            assert!(!bindings.is_empty(), "{context:?} has no keys");
        }
    }

    #[test]
    fn footer_and_help_come_from_the_table() {
        let footer = footer(Context::List, |_| true);
        assert!(footer.contains(&("/", "filter")));
        assert!(footer.contains(&("Ctrl-S", "save")));
        let help = help_sections();
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
