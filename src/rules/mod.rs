//! The rules of the LivePerson Agent Escalation integration, from the product page, as
//! diagnostics in the user's words, each naming its fix: one file per concern (required
//! fields, skill and agent ids, names, the message, custom data, delay, scripts, the bot as a
//! whole), each quoting the sentence of the page it enforces; here, what they share and the
//! checks of a whole bot, an integration and an Agent Transfer interaction.
//!
//! It builds on every layer below (export, bot, workspace, runtime) and imports nothing from
//! the two faces above it (cli, tui).

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

pub mod account;
mod bot;
mod custom_data;
mod delay;
mod ids;
mod message;
mod names;
mod recheck;
mod required;
mod scripts;

pub use bot::bot_rules;
use custom_data::custom_data_rules;
use delay::delay_rules;
use ids::{agent_id_rules, skill_id_rules};
use message::message_rules;
pub use names::NameStats;
use names::name_rules;
pub use recheck::{Followed, recheck};
use required::{required_rule, spaces_rule};
use scripts::with_scripts_checked;

use crate::bot::BotDocument;
use crate::bot::agent_transfer::{self, AgentTransfer};
use crate::bot::dialogs;
use crate::bot::integration::{Field, Integration};
use crate::bot::parts::BotParts;
use crate::bot::read::{Dialog, Interaction};
use crate::runtime::delay as runtime_delay;
use crate::workspace::sidecar::Sidecar;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Hint,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Hint => "hint",
        })
    }
}

impl Severity {
    /// A symbol that says the severity without colour.
    pub fn symbol(self) -> &'static str {
        match self {
            Severity::Error => "✗",
            Severity::Warning => "!",
            Severity::Hint => "i",
        }
    }
}

/// One finding of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The integration it is about (`None`: the bot as a whole).
    pub integration: Option<String>,
    /// The field it is about (`None`: the integration or bot as a whole).
    pub field: Option<Field>,
    pub severity: Severity,
    pub message: String,
    /// What to do about it.
    pub fix: String,
    /// The editor's action that does the fix, when one does.
    pub remedy: Option<Remedy>,
    /// The item of the export it is about, for its line and column (`None`: the bot).
    pub place: Option<Place>,
}

/// An item of the export a diagnostic is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// `responder[i]`: an integration.
    Integration(usize),
    /// `conversationMessage[i]`: an interaction.
    Interaction(usize),
}

impl Place {
    /// The list it is in and its place there.
    pub fn item(self) -> (&'static str, usize) {
        match self {
            Place::Integration(i) => (crate::bot::keys::RESPONDER, i),
            Place::Interaction(i) => (crate::bot::keys::CONVERSATION_MESSAGE, i),
        }
    }
}

/// An action of the editor that fixes a diagnostic: the editor names its key beside the fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remedy {
    /// Write the recommended interaction delay.
    ApplyDelay,
    /// Add a dialog that catches failed transfers.
    AddFailureDialog,
    /// Set sample values of the bot's variables.
    SampleValues,
}

impl Diagnostic {
    fn new(field: Field, severity: Severity, message: String, fix: impl Into<String>) -> Self {
        Diagnostic {
            integration: None,
            field: Some(field),
            severity,
            message,
            fix: fix.into(),
            remedy: None,
            place: None,
        }
    }

    /// This diagnostic, with the editor's action that fixes it.
    fn remedied(self, remedy: Remedy) -> Self {
        Diagnostic {
            remedy: Some(remedy),
            ..self
        }
    }
}

/// Everything the rules need to know about the bot besides the subject checked, read once
/// and kept (the editor keeps it across keystrokes that change one integration's own
/// settings).
#[derive(Debug, Default)]
pub struct BotFacts {
    /// The interactions, indexed for the delay rules.
    pub index: runtime_delay::InteractionIndex,
    pub has_failure_dialog: bool,
    pub name_stats: NameStats,
    pub variable_stats: NameStats,
    /// Integrations (positions in `responder[]`) by Response Data Variable.
    variable_owners: HashMap<String, Vec<usize>>,
    /// The integrations whose custom data reads each variable's result, found when first
    /// needed (a rename) and kept up to date after.
    readers: Option<HashMap<String, Vec<usize>>>,
    /// The integrations with each id, in order, found when first needed.
    ids: Option<HashMap<String, Vec<usize>>>,
    /// The sample context with the bot's own values.
    pub context: crate::bot::template::SampleContext,
    pub sidecar: Sidecar,
}

impl BotFacts {
    /// [`BotFacts::of_parts`], while other threads check the integrations' scripts (see
    /// [`with_scripts_checked`]).
    pub fn of_parts_checking_scripts(
        parts: BotParts,
        sidecar: &Sidecar,
        integrations: &[Integration],
    ) -> Self {
        with_scripts_checked(integrations, || {
            BotFacts::of_parts(parts, sidecar, integrations)
        })
    }

    /// Reads the facts once; `integrations` are the bot's, read by the caller.
    pub fn read(doc: &BotDocument, sidecar: &Sidecar, integrations: &[Integration]) -> Self {
        BotFacts::of_parts(doc.parts(), sidecar, integrations)
    }

    /// The facts of a bot read in parts (its interactions, dialogs and id; its integrations
    /// are the ones given, read by the caller).
    pub fn of_parts(parts: BotParts, sidecar: &Sidecar, integrations: &[Integration]) -> Self {
        BotFacts::of(
            parts.interactions,
            &parts.dialogs,
            &parts.bot_id,
            sidecar,
            integrations,
        )
    }

    /// The facts of a bot read in parts: its interactions, dialogs, id and integrations.
    pub fn of(
        interactions: Vec<Interaction>,
        groups: &[Dialog],
        bot_id: &str,
        sidecar: &Sidecar,
        integrations: &[Integration],
    ) -> Self {
        let mut variable_owners: HashMap<String, Vec<usize>> = HashMap::new();
        for i in integrations {
            variable_owners
                .entry(i.response_data_variable.clone())
                .or_default()
                .push(i.index);
        }
        BotFacts {
            name_stats: NameStats::of(integrations.iter().map(|i| (i.index, i.name.as_str()))),
            variable_stats: NameStats::of(
                integrations
                    .iter()
                    .map(|i| (i.index, i.response_data_variable.as_str())),
            ),
            variable_owners,
            readers: None,
            ids: None,
            has_failure_dialog: !dialogs::failure_dialogs_among(groups, &interactions).is_empty(),
            index: runtime_delay::InteractionIndex::with_dialogs(interactions, groups),
            context: crate::runtime::transfer::context_for(bot_id, &sidecar.context),
            sidecar: sidecar.clone(),
        }
    }
}

/// The variables whose result `text` may read: each `api_NAME` in it (a few more than a
/// template's own reading finds is no harm: they are checked again for nothing).
fn variables_read(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices("api_").map(move |(at, _)| {
        let rest = &text[at + 4..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        &rest[..end]
    })
}

impl BotFacts {
    /// The integrations whose custom data may read the result of `variable`.
    fn readers_of(&mut self, variable: &str, all: &[Integration]) -> Vec<usize> {
        let readers = self.readers.get_or_insert_with(|| {
            let mut readers: HashMap<String, Vec<usize>> = HashMap::new();
            for i in all {
                for row in &i.custom_data {
                    for read in variables_read(&row.value) {
                        let list = readers.entry(read.to_string()).or_default();
                        if list.last() != Some(&i.index) {
                            list.push(i.index);
                        }
                    }
                }
            }
            readers
        });
        readers.get(variable).cloned().unwrap_or_default()
    }

    /// The places of the integrations with the id `id`, in order.
    fn integrations_with_id(&mut self, id: &str, all: &[Integration]) -> &[usize] {
        if id.is_empty() {
            return &[];
        }
        let ids = self.ids.get_or_insert_with(|| {
            let mut ids: HashMap<String, Vec<usize>> = HashMap::new();
            for i in all.iter().filter(|i| !i.id.is_empty()) {
                ids.entry(i.id.clone()).or_default().push(i.index);
            }
            ids
        });
        ids.get(id).map_or(&[], Vec::as_slice)
    }

    /// The place of the integration with the id `id` (the last, when ids repeat).
    fn integration_with_id(&mut self, id: &str, all: &[Integration]) -> Option<usize> {
        self.integrations_with_id(id, all).last().copied()
    }

    /// The custom data of the integration at `at` changed from `old` to `new`.
    fn custom_data_changed(&mut self, at: usize, old: &Integration, new: &Integration) {
        let Some(readers) = &mut self.readers else {
            return;
        };
        for row in &old.custom_data {
            for read in variables_read(&row.value) {
                if let Some(list) = readers.get_mut(read) {
                    list.retain(|&r| r != at);
                }
            }
        }
        for row in &new.custom_data {
            for read in variables_read(&row.value) {
                let list = readers.entry(read.to_string()).or_default();
                if !list.contains(&at) {
                    let place = list.partition_point(|&r| r < at);
                    list.insert(place, at);
                }
            }
        }
    }

    /// The integration at `at` has the Response Data Variable `new` instead of `old`.
    fn move_variable(&mut self, at: usize, old: &str, new: &str) {
        if let Some(owners) = self.variable_owners.get_mut(old) {
            owners.retain(|&o| o != at);
            if owners.is_empty() {
                self.variable_owners.remove(old);
            }
        }
        let owners = self.variable_owners.entry(new.to_string()).or_default();
        let place = owners.partition_point(|&o| o < at);
        owners.insert(place, at);
    }
}

/// The diagnostics of a bot, by subject.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Each integration's, in `responder[]` order.
    pub integrations: Vec<Vec<Diagnostic>>,
    /// Each Agent Transfer interaction's, in the order read.
    pub transfers: Vec<Vec<Diagnostic>>,
    /// The bot's own: [`Report::references`], then the rest.
    pub bot: Vec<Diagnostic>,
    /// The Integration interactions that run nothing the bot has, by their places.
    references: Vec<(usize, Diagnostic)>,
    /// The rest of the bot's own.
    whole: Vec<Diagnostic>,
}

impl Report {
    /// Checks every subject.
    pub fn check(
        facts: &BotFacts,
        integrations: &[Integration],
        transfers: &[AgentTransfer],
    ) -> Report {
        let mut report = Report {
            integrations: check_all(integrations, |i| {
                validate_integration(facts, integrations, i)
            }),
            transfers: transfers
                .iter()
                .map(|t| validate_transfer(facts, t))
                .collect(),
            bot: Vec::new(),
            references: bot::references(facts, integrations),
            whole: bot::whole_bot_rules(facts, integrations),
        };
        report.bot_again();
        report
    }

    /// The bot's own diagnostics, from the references and the rest kept.
    fn bot_again(&mut self) {
        self.bot = self.references.iter().map(|(_, d)| d.clone()).collect();
        self.bot.extend(self.whole.iter().cloned());
    }

    /// Every diagnostic, in the order of [`Report::iter`].
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.integrations
            .into_iter()
            .chain(self.transfers)
            .flatten()
            .chain(self.bot)
            .collect()
    }

    /// Every diagnostic: each integration's, each Agent Transfer's, then the bot's own.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.integrations
            .iter()
            .chain(&self.transfers)
            .flatten()
            .chain(&self.bot)
    }
}

/// `check` of every item, in order; a long list is shared among the cores.
fn check_all<T: Sync>(
    items: &[T],
    check: impl Fn(&T) -> Vec<Diagnostic> + Sync,
) -> Vec<Vec<Diagnostic>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads < 2 || items.len() < 1024 {
        return items.iter().map(&check).collect();
    }
    let check = &check;
    std::thread::scope(|scope| {
        let parts: Vec<_> = items
            .chunks(items.len().div_ceil(threads))
            .map(|part| scope.spawn(move || part.iter().map(check).collect::<Vec<_>>()))
            .collect();
        parts
            .into_iter()
            .flat_map(|part| part.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// [`validate_parts`] of the export `bytes`: the scripts are checked on the other cores as
/// the integrations are read. `None` when it does not read in parts ([`BotParts::read`]).
pub fn validate_bytes(bytes: &[u8], sidecar: &Sidecar) -> Option<Vec<Diagnostic>> {
    let helpers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .saturating_sub(1)
        .min(7);
    if helpers == 0 {
        return BotParts::read(bytes).map(|parts| validate_parts(parts, sidecar));
    }
    // Scripts go over in batches: a message per script would wake a checker per script.
    const BATCH: usize = 64;
    let (send, scripts) = std::sync::mpsc::channel::<Vec<String>>();
    let scripts = std::sync::Mutex::new(scripts);
    // Until every script read is checked (the sender is dropped once reading ends).
    let check_queued = || {
        while let Some(batch) = scripts.lock().ok().and_then(|s| s.recv().ok()) {
            for script in batch {
                let _ = crate::runtime::script::check_syntax(&script);
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..helpers {
            scope.spawn(check_queued);
        }
        let mut batch = Vec::with_capacity(BATCH);
        let parts = BotParts::read_seeing(bytes, &mut |integration| {
            if !integration.transform_script.trim().is_empty() {
                batch.push(integration.transform_script.clone());
                if batch.len() == BATCH {
                    let _ = send.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
                }
            }
        });
        let _ = send.send(batch);
        drop(send);
        let (integrations, transfers, rest) = split(parts?);
        let facts = BotFacts::of_parts(rest, sidecar, &integrations);
        check_queued();
        // The rules find the scripts' outcomes in the cache.
        let r = Report::check(&facts, &integrations, &transfers).into_vec();
        // Freed beside the caller's work (a large bot's parts take a while to free; at the
        // end of a command the process is gone first).
        std::thread::spawn(move || drop((facts, integrations, transfers)));
        Some(r)
    })
}

/// Every diagnostic of a bot read in parts (by the document, or without it).
pub fn validate_parts(parts: BotParts, sidecar: &Sidecar) -> Vec<Diagnostic> {
    let (integrations, transfers, rest) = split(parts);
    let facts = BotFacts::of_parts_checking_scripts(rest, sidecar, &integrations);
    Report::check(&facts, &integrations, &transfers).into_vec()
}

/// What the rules check of a bot read in parts (its integrations and Agent Transfers), and
/// the rest, which the facts they check against are read from.
fn split(mut parts: BotParts) -> (Vec<Integration>, Vec<AgentTransfer>, BotParts) {
    let integrations = std::mem::take(&mut parts.integrations);
    let transfers = std::mem::take(&mut parts.transfers);
    (integrations, transfers, parts)
}

/// Every diagnostic of the bot: each integration's, then the bot's own.
pub fn validate_bot(doc: &BotDocument, sidecar: &Sidecar) -> Vec<Diagnostic> {
    validate_parts(doc.parts(), sidecar)
}

/// Every diagnostic of one integration, in field order.
pub fn validate_integration(
    facts: &BotFacts,
    all: &[Integration],
    integration: &Integration,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for field in Field::for_kind(&integration.kind) {
        let value = integration.value(field);
        if let Some(missing) = required_rule(field, &value) {
            out.push(missing);
            continue;
        }
        out.extend(spaces_rule(field, &value));
        match field {
            Field::Name => out.extend(name_rules(facts, field, &integration.name)),
            Field::ResponseDataVariable => out.extend(name_rules(
                facts,
                field,
                &integration.response_data_variable,
            )),
            Field::SkillId => out.extend(skill_id_rules(facts, &value)),
            Field::AgentId => out.extend(agent_id_rules(&integration.escalation)),
            Field::Message => out.extend(message_rules(&value)),
            Field::CustomData => out.extend(custom_data_rules(facts, all, integration)),
            Field::TransformScript => out.extend(scripts::script_rule(&value)),
            _ => {}
        }
    }
    if integration.is_escalation() {
        out.extend(delay_rules(facts, integration));
        out.extend(account::account_rules(facts, &integration.escalation, true));
    }
    for d in &mut out {
        d.integration = Some(integration.name.clone());
        d.place.get_or_insert(Place::Integration(integration.index));
    }
    out
}

/// Every diagnostic of one Agent Transfer interaction: the same rules as the integration's
/// fields it shares, and its own interaction delay.
pub fn validate_transfer(facts: &BotFacts, transfer: &AgentTransfer) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for field in agent_transfer::FIELDS {
        let value = transfer.value(field);
        if let Some(missing) = required_rule(field, &value) {
            out.push(missing);
            continue;
        }
        out.extend(spaces_rule(field, &value));
        match field {
            Field::SkillId => out.extend(skill_id_rules(facts, &value)),
            Field::AgentId => out.extend(agent_id_rules(&transfer.escalation)),
            Field::Message => out.extend(message_rules(&value)),
            _ => {}
        }
    }
    out.extend(delay::transfer_delay_rules(facts, transfer));
    out.extend(account::account_rules(facts, &transfer.escalation, false));
    for d in &mut out {
        d.integration = Some(transfer.label());
        d.place = Some(Place::Interaction(transfer.index));
    }
    out
}
