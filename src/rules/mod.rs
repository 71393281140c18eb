//! The rules of the LivePerson Agent Escalation integration, from the product page, as
//! diagnostics in the user's words, each naming its fix.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use crate::bot::BotDocument;
use crate::bot::agent_transfer::{self, AgentTransfer};
use crate::bot::dialogs;
use crate::bot::integration::{Escalation, Field, Integration};
use crate::bot::keys;
use crate::bot::naming::{Style, is_identifier};
use crate::bot::parts::BotParts;
use crate::bot::read::{Dialog, Interaction};
use crate::bot::template::{self, Piece, Variable};
use crate::runtime::delay;
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
}

impl Diagnostic {
    fn new(field: Field, severity: Severity, message: String, fix: impl Into<String>) -> Self {
        Diagnostic {
            integration: None,
            field: Some(field),
            severity,
            message,
            fix: fix.into(),
        }
    }
}

/// Everything the rules need to know about the bot besides the subject checked, read once
/// and kept (the editor keeps it across keystrokes that change one integration's own
/// settings).
#[derive(Debug, Default)]
pub struct BotFacts {
    /// The interactions, indexed for the delay rules.
    pub index: delay::InteractionIndex,
    pub has_failure_dialog: bool,
    pub name_stats: NameStats,
    pub variable_stats: NameStats,
    /// Integrations (positions in `responder[]`) by Response Data Variable.
    variable_owners: HashMap<String, Vec<usize>>,
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
            name_stats: NameStats::of(integrations.iter().map(|i| i.name.as_str())),
            variable_stats: NameStats::of(
                integrations
                    .iter()
                    .map(|i| i.response_data_variable.as_str()),
            ),
            variable_owners,
            has_failure_dialog: !dialogs::failure_dialogs_among(groups, &interactions).is_empty(),
            index: delay::InteractionIndex::with_dialogs(interactions, groups),
            context: crate::runtime::transfer::context_for(bot_id, &sidecar.context),
            sidecar: sidecar.clone(),
        }
    }
}

/// Runs `read` while other threads check the integrations' scripts: compiling them is most of
/// the work on a large bot, and each is independent; the outcomes wait in the script cache
/// for the rules.
fn with_scripts_checked<T>(integrations: &[Integration], read: impl FnOnce() -> T) -> T {
    let scripts: Vec<&str> = integrations
        .iter()
        .map(|i| i.transform_script.as_str())
        .filter(|s| !s.trim().is_empty())
        .collect();
    let helpers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .saturating_sub(1)
        .min(7);
    if scripts.len() < 32 || helpers == 0 {
        return read();
    }
    let next = AtomicUsize::new(0);
    let check_some = || {
        while let Some(script) = scripts.get(next.fetch_add(1, Ordering::Relaxed)) {
            let _ = crate::runtime::script::check_syntax(script);
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..helpers {
            scope.spawn(check_some);
        }
        let read = read();
        check_some();
        read
    })
}

/// The diagnostics of a bot, by subject.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Each integration's, in `responder[]` order.
    pub integrations: Vec<Vec<Diagnostic>>,
    /// Each Agent Transfer interaction's, in the order read.
    pub transfers: Vec<Vec<Diagnostic>>,
    /// The bot's own.
    pub bot: Vec<Diagnostic>,
}

impl Report {
    /// Checks every subject.
    pub fn check(
        facts: &BotFacts,
        integrations: &[Integration],
        transfers: &[AgentTransfer],
    ) -> Report {
        Report {
            integrations: check_all(integrations, |i| {
                validate_integration(facts, integrations, i)
            }),
            transfers: transfers
                .iter()
                .map(|t| validate_transfer(facts, t))
                .collect(),
            bot: bot_rules(facts, integrations),
        }
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

/// The bot-level rules.
pub fn bot_rules(facts: &BotFacts, integrations: &[Integration]) -> Vec<Diagnostic> {
    let escalates = integrations.iter().any(Integration::is_escalation)
        || facts
            .index
            .all()
            .iter()
            .any(|i| i.kind == keys::IT_ESCALATION);
    let mut out = reference_rules(facts, integrations);
    // Any other interaction's delay over Conversation Builder's limit (Integration and Agent
    // Transfer interactions are checked with their integration or transfer).
    for i in facts.index.all() {
        if let Some(ms) = i.delay_ms
            && ms > delay::MAX_DELAY_MS
            && i.kind != keys::IT_API_INTEGRATION
            && i.kind != keys::IT_ESCALATION
        {
            out.push(Diagnostic {
                integration: None,
                field: None,
                severity: Severity::Error,
                message: format!(
                    "the interaction \"{}\" waits {ms} ms; Conversation Builder takes at most {} ms",
                    i.name,
                    delay::MAX_DELAY_MS
                ),
                fix: format!("set its interaction delay to at most {} ms", delay::MAX_DELAY_MS),
            });
        }
    }
    if escalates && !facts.has_failure_dialog {
        // Spec: "If you don't have a dialog set up to catch this pattern, ... it will go to
        // the Fallback dialog."
        out.push(Diagnostic {
            integration: None,
            field: None,
            severity: Severity::Warning,
            message: format!(
                "no dialog catches {}: failed transfers would land in the Fallback dialog",
                keys::ESCALATION_FAILED_MESSAGE
            ),
            fix: format!(
                "add a dialog whose starter pattern is {} and apologise there",
                keys::ESCALATION_FAILED_MESSAGE
            ),
        });
    }
    out
}

/// Every Integration interaction runs an integration the bot has, named as it is: one that
/// points at nothing (its integration deleted) or whose name and id disagree would fail at
/// runtime after Conversation Builder imported it.
fn reference_rules(facts: &BotFacts, integrations: &[Integration]) -> Vec<Diagnostic> {
    let by_id: HashMap<&str, &Integration> = integrations
        .iter()
        .filter(|i| !i.id.is_empty())
        .map(|i| (i.id.as_str(), i))
        .collect();
    let mut out = Vec::new();
    for interaction in facts.index.all() {
        if interaction.kind != keys::IT_API_INTEGRATION {
            continue;
        }
        let (name, id) = (&interaction.responder_name, &interaction.responder_id);
        let problem = if !id.is_empty() {
            match by_id.get(id.as_str()) {
                None => Some((
                    format!(
                        "the Integration interaction \"{}\" runs an integration the bot does not have (id {id}{})",
                        interaction.name,
                        if name.is_empty() {
                            String::new()
                        } else {
                            format!(", once \"{name}\"")
                        }
                    ),
                    "point it at an existing integration, or delete the interaction".to_string(),
                )),
                Some(runs) if !name.is_empty() && *name != runs.name => Some((
                    format!(
                        "the Integration interaction \"{}\" names \"{name}\" but its id is the integration \"{}\"",
                        interaction.name, runs.name
                    ),
                    format!("name \"{}\" in it, or point it at \"{name}\"", runs.name),
                )),
                Some(_) => None,
            }
        } else if !name.is_empty() && !integrations.iter().any(|i| i.name == *name) {
            Some((
                format!(
                    "the Integration interaction \"{}\" runs \"{name}\", which the bot does not have",
                    interaction.name
                ),
                "point it at an existing integration, or delete the interaction".to_string(),
            ))
        } else {
            None
        };
        if let Some((message, fix)) = problem {
            out.push(Diagnostic {
                integration: None,
                field: None,
                severity: Severity::Error,
                message,
                fix,
            });
        }
    }
    out
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
            Field::TransformScript => {
                if let Err(e) = crate::runtime::script::check_syntax(&value) {
                    out.push(Diagnostic::new(
                        field,
                        Severity::Error,
                        format!("line {}:{}: {}", e.line, e.column, e.message),
                        format!("correct the script at line {}", e.line),
                    ));
                }
            }
            _ => {}
        }
    }
    if integration.is_escalation() {
        out.extend(delay_rules(facts, integration));
    }
    for d in &mut out {
        d.integration = Some(integration.name.clone());
    }
    out
}

/// Spaces around an id or a name: the platform reads them as part of the value (`" 12345 "`
/// goes into the transfer body as it is), so they are an error whose fix is the trimmed value.
fn spaces_rule(field: Field, value: &str) -> Option<Diagnostic> {
    let exact = matches!(
        field,
        Field::Name | Field::ResponseDataVariable | Field::SkillId | Field::AgentId
    );
    let trimmed = value.trim();
    (exact && trimmed != value && !trimmed.is_empty()).then(|| {
        Diagnostic::new(
            field,
            Severity::Error,
            format!(
                "{} has spaces or line breaks around it: {:?}",
                field.label(),
                crate::export::shown::cut(value, 60)
            ),
            format!("use {:?}", crate::export::shown::cut(trimmed, 60)),
        )
    })
}

/// A required field left empty: an error.
fn required_rule(field: Field, value: &str) -> Option<Diagnostic> {
    (field.is_required() && value.trim().is_empty()).then(|| {
        Diagnostic::new(
            field,
            Severity::Error,
            format!("{} is required", field.label()),
            required_fix(field),
        )
    })
}

fn required_fix(field: Field) -> String {
    match field {
        Field::Message => format!(
            "enter the message to show before the transfer, or {} to send none",
            keys::BLANK_MESSAGE
        ),
        Field::SkillId => "enter the numeric skill id from Conversational Cloud, or a variable like {$botContext.skillId}".into(),
        Field::SkillName => "enter the name of the Conversational Cloud skill".into(),
        _ => format!("enter a {}", field.label()),
    }
}

/// Spec: "Here you can specify the ID using a bot context variable like
/// {$botContext.skillId}, or you can enter a direct, numeric value."
fn skill_id_rules(facts: &BotFacts, value: &str) -> Vec<Diagnostic> {
    let trimmed = value.trim();
    if !trimmed.is_empty() && trimmed.chars().all(|c| c.is_ascii_digit()) {
        return vec![];
    }
    match template::sole_variable(trimmed) {
        Some(var) if var.is_skill_id_form() => {
            let raw = var.context_key();
            let message = match template::lookup(&var, &facts.context) {
                Some(sample) if is_number(sample) => format!(
                    "{{${raw}}} is {sample} in the sample context: numeric, the transfer goes to skill {sample}"
                ),
                Some(sample) => format!(
                    "{{${raw}}} is \"{sample}\" in the sample context: not numeric, so the fallback message would be sent instead of a transfer"
                ),
                None => format!(
                    "{{${raw}}} is evaluated when the escalation runs; it must hold a number then"
                ),
            };
            vec![Diagnostic::new(
                Field::SkillId,
                Severity::Hint,
                message,
                "set a sample value for the variable to check it",
            )]
        }
        _ => vec![Diagnostic::new(
            Field::SkillId,
            Severity::Error,
            format!(
                "\"{trimmed}\" is neither a number nor a single variable: the fallback message would be sent instead of a transfer"
            ),
            "enter the numeric skill id, or one variable like {$botContext.skillId}, {$botContext.slot.x} or {$env.x}",
        )],
    }
}

fn is_number(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

/// Spec: Agent Id is optional, for bot-to-human transfers; Transfer Bot Context is for
/// bot-to-bot transfers.
fn agent_id_rules(escalation: &Escalation) -> Vec<Diagnostic> {
    let value = escalation.agent_id.trim();
    let mut out = Vec::new();
    if value.is_empty() {
        return out;
    }
    let messaging = value
        .split_once('.')
        .is_some_and(|(account, agent)| is_number(account) && is_number(agent));
    let variable = template::sole_variable(value).is_some_and(|v| v.is_skill_id_form());
    if !(messaging || is_number(value) || variable) {
        out.push(Diagnostic::new(
            Field::AgentId,
            Severity::Error,
            format!("\"{value}\" is not an agent id"),
            "use <accountId>.<agentId> for Messaging, the bare agent id for Live Chat, or a variable; or leave it empty",
        ));
    }
    if escalation.transfer_bot_context {
        out.push(Diagnostic::new(
            Field::AgentId,
            Severity::Warning,
            "Agent Id is for bot-to-human transfers but Transfer Bot Context is for bot-to-bot ones; both are set".into(),
            "clear Agent Id for a transfer to a bot, or untick Transfer Bot Context for a transfer to a person",
        ));
    }
    out
}

/// Spec: "if you don't want to send a message, enter "BLANK_MESSAGE" here."
fn message_rules(value: &str) -> Vec<Diagnostic> {
    let trimmed = value.trim();
    if trimmed == keys::BLANK_MESSAGE {
        return vec![Diagnostic::new(
            Field::Message,
            Severity::Hint,
            format!(
                "{}: no message will be shown to the user before the transfer",
                keys::BLANK_MESSAGE
            ),
            "enter a message instead to tell the user a transfer is coming",
        )];
    }
    if trimmed.eq_ignore_ascii_case(keys::BLANK_MESSAGE)
        || trimmed.eq_ignore_ascii_case("blank message")
    {
        return vec![Diagnostic::new(
            Field::Message,
            Severity::Warning,
            format!(
                "\"{trimmed}\" is not {}: it would be shown to the user as written",
                keys::BLANK_MESSAGE
            ),
            format!(
                "write it exactly {} to send no message",
                keys::BLANK_MESSAGE
            ),
        )];
    }
    template_rules(Field::Message, value)
}

fn template_rules(field: Field, value: &str) -> Vec<Diagnostic> {
    let (pieces, problems) = template::parse(value);
    let mut out: Vec<Diagnostic> = problems
        .into_iter()
        .map(|p| {
            Diagnostic::new(
                field,
                Severity::Warning,
                format!(
                    "{}: the text would be shown with the stray brace",
                    p.message
                ),
                "pair every { with a }",
            )
        })
        .collect();
    for piece in pieces {
        if let Piece::Var {
            raw,
            var: Variable::Unknown(_),
        } = piece
        {
            out.push(Diagnostic::new(
                field,
                Severity::Warning,
                format!("{raw} is not a variable Conversation Builder knows: it would be shown as written"),
                "use {$botContext.name}, {$botContext.slot.name}, {$env.name}, {$query} or {Integration.field}",
            ));
        }
    }
    out
}

/// How the bot's integrations name things (names, or response data variables), counted once
/// so each integration's check is constant time.
#[derive(Debug, Default)]
pub struct NameStats {
    /// How many integrations use each name, ignoring case.
    uses: HashMap<String, usize>,
    /// How many valid names there are, and how many fit each style.
    identifiers: usize,
    fits: [usize; 4],
}

impl NameStats {
    fn of<'a>(names: impl Iterator<Item = &'a str>) -> NameStats {
        let mut stats = NameStats::default();
        for name in names {
            *stats.uses.entry(name.to_ascii_lowercase()).or_default() += 1;
            if is_identifier(name) {
                stats.identifiers += 1;
                for (i, style) in Style::ALL.iter().enumerate() {
                    stats.fits[i] += usize::from(style.fits(name));
                }
            }
        }
        stats
    }

    /// Whether more than one integration uses `name` (the one checked among them).
    fn taken_by_another(&self, name: &str) -> bool {
        self.uses
            .get(&name.to_ascii_lowercase())
            .copied()
            .unwrap_or(0)
            > 1
    }

    /// The one style every other valid name fits, when there are at least two of them.
    fn shared_style_without(&self, own: &str) -> Option<Style> {
        let own_valid = is_identifier(own);
        let others = self.identifiers - usize::from(own_valid);
        if others < 2 {
            return None;
        }
        let fitting: Vec<Style> = Style::ALL
            .iter()
            .enumerate()
            .filter(|(i, style)| {
                self.fits[*i] - usize::from(own_valid && style.fits(own)) == others
            })
            .map(|(_, style)| *style)
            .collect();
        // Lower-case single words fit both camelCase and snake_case: no pattern to hold to.
        (fitting.len() == 1).then(|| fitting[0])
    }
}

/// Spec: "Enter a name that's meaningful ..., concise, and follows a consistent pattern."
fn name_rules(facts: &BotFacts, field: Field, value: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let stats = match field {
        Field::Name => &facts.name_stats,
        _ => &facts.variable_stats,
    };
    if stats.taken_by_another(value) {
        out.push(Diagnostic::new(
            field,
            Severity::Error,
            format!(
                "another integration already has the {} \"{value}\"",
                field.label()
            ),
            format!("give this integration its own {}", field.label()),
        ));
    }
    if !is_identifier(value) {
        out.push(Diagnostic::new(
            field,
            Severity::Error,
            format!(
                "\"{value}\" is not a valid name: variables refer to it as {}",
                match field {
                    Field::Name => format!("{{{value}.field}}"),
                    _ => format!("{{$.api_{value}}}"),
                }
            ),
            "use letters, digits and underscores, starting with a letter",
        ));
        return out;
    }
    if let Some(style) = stats.shared_style_without(value)
        && !style.fits(value)
    {
        out.push(Diagnostic::new(
            field,
            Severity::Warning,
            format!(
                "\"{value}\" breaks the {} pattern the bot's other integrations share",
                style.describe()
            ),
            format!("rename it in {}", style.describe()),
        ));
    }
    out
}

fn custom_data_rules(
    facts: &BotFacts,
    all: &[Integration],
    integration: &Integration,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (row, field) in integration.custom_data.iter().enumerate() {
        let key = field.key.trim();
        if key.is_empty() {
            out.push(Diagnostic::new(
                Field::CustomData,
                Severity::Error,
                format!("row {} has no key", row + 1),
                "give the row a key, or remove it",
            ));
        } else if let Some(first) = seen.insert(key, row) {
            out.push(Diagnostic::new(
                Field::CustomData,
                Severity::Error,
                format!(
                    "the key \"{key}\" is used in rows {} and {}",
                    first + 1,
                    row + 1
                ),
                "give each row its own key",
            ));
        }
        for piece in template::parse(&field.value).0 {
            let Piece::Var {
                raw,
                var: Variable::ResultPath { variable, .. },
            } = piece
            else {
                continue;
            };
            if variable == integration.response_data_variable {
                continue;
            }
            let owner = facts
                .variable_owners
                .get(variable.as_str())
                .into_iter()
                .flatten()
                .filter_map(|&at| all.get(at))
                .find(|i| i.index != integration.index && i.response_data_variable == variable);
            let message = match owner {
                Some(other) => format!(
                    "{raw} reads the result of the integration \"{}\", not this one's (api_{})",
                    other.name, integration.response_data_variable
                ),
                None => format!(
                    "{raw} names no integration's result: this one's is api_{}",
                    integration.response_data_variable
                ),
            };
            out.push(Diagnostic::new(
                Field::CustomData,
                Severity::Warning,
                message,
                format!(
                    "start the path with {{$.api_{}",
                    integration.response_data_variable
                ),
            ));
        }
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
    if let Some(interaction) = transfer.as_interaction(facts.index.all()) {
        let per = facts.sidecar.per_message_ms();
        let messages = facts.index.messages_before(interaction);
        let needed = delay::needed_ms(messages, per);
        let recommended = delay::recommended_ms(messages, per);
        let configured = transfer.delay_ms.unwrap_or(0);
        if configured > delay::MAX_DELAY_MS {
            out.push(Diagnostic::new(
                Field::InteractionDelay,
                Severity::Error,
                format!(
                    "it waits {configured} ms; Conversation Builder takes at most {} ms",
                    delay::MAX_DELAY_MS
                ),
                format!("set its interaction delay to {recommended} ms"),
            ));
        } else if configured < recommended {
            out.push(Diagnostic::new(
                Field::InteractionDelay,
                Severity::Warning,
                format!(
                    "it waits {configured} ms; {messages} messages × {per} ms = {needed} ms recommended{}",
                    if needed > recommended {
                        format!(", at most {recommended} ms")
                    } else {
                        String::new()
                    }
                ),
                format!("set its interaction delay to {recommended} ms"),
            ));
        }
        if needed > delay::MAX_DELAY_MS {
            out.push(over_the_limit(Field::InteractionDelay, messages, needed));
        }
    }
    for d in &mut out {
        d.integration = Some(transfer.label());
    }
    out
}

/// Spec: "add to the Integration interaction an interaction delay that accounts for each
/// response you need to send."
fn delay_rules(facts: &BotFacts, integration: &Integration) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for plan in facts.index.plans(integration, &facts.sidecar) {
        let Some((_, name, dialog)) = plan.interaction.as_ref() else {
            if plan.over_the_limit() {
                let needed = delay::needed_ms(plan.messages, plan.per_message_ms);
                let mut d = over_the_limit(Field::Name, plan.messages, needed);
                d.field = None;
                out.push(d);
            }
            continue;
        };
        let configured = plan.configured_ms.unwrap_or(0);
        if configured > delay::MAX_DELAY_MS {
            out.push(Diagnostic {
                integration: None,
                field: None,
                severity: Severity::Error,
                message: format!(
                    "the Integration interaction \"{name}\" in dialog \"{dialog}\" waits {configured} ms; Conversation Builder takes at most {} ms",
                    delay::MAX_DELAY_MS
                ),
                fix: format!("set its interaction delay to {} ms", plan.recommended_ms),
            });
        } else if plan.is_short() {
            out.push(Diagnostic {
                integration: None,
                field: None,
                severity: Severity::Warning,
                message: format!(
                    "the Integration interaction \"{name}\" in dialog \"{dialog}\" waits {configured} ms; {} recommended",
                    plan.formula()
                ),
                fix: format!("set its interaction delay to {} ms", plan.recommended_ms),
            });
        }
        if plan.over_the_limit() {
            let needed = delay::needed_ms(plan.messages, plan.per_message_ms);
            let mut d = over_the_limit(Field::Name, plan.messages, needed);
            d.field = None;
            d.message = format!("in dialog \"{dialog}\", \"{name}\": {}", d.message);
            out.push(d);
        }
    }
    out
}

/// The statements before a transfer need more delay than Conversation Builder takes.
fn over_the_limit(field: Field, messages: u32, needed: u64) -> Diagnostic {
    Diagnostic::new(
        field,
        Severity::Warning,
        format!(
            "{messages} messages before the transfer need {needed} ms, more than the {} ms Conversation Builder takes: the last ones may arrive after the transfer",
            delay::MAX_DELAY_MS
        ),
        delay::OVER_THE_LIMIT_FIX.to_string(),
    )
}
