//! `escalator set`: fields of an integration or an Agent Transfer interaction written from the
//! command line, every assignment checked before anything is written, and refused when it
//! would add an error (unless `--force`).

use std::path::{Path, PathBuf};

use super::open::{find, find_transfer, open_for_writing, parse_context, save_changed};
use super::output::diagnostic_line;
use super::{EXIT_INVALID, EXIT_OK, Failure, bad_input};
use crate::bot::BotDocument;
use crate::bot::agent_transfer::{self};
use crate::bot::edit::{Applied, Edit, Made};
use crate::bot::integration::Field;
use crate::rules::{self, Diagnostic, Severity};
use crate::runtime::delay;
use crate::workspace::sidecar::Sidecar;

pub(super) struct SetRequest<'a> {
    pub file: &'a Path,
    pub integration: Option<&'a str>,
    pub interaction: Option<&'a str>,
    pub create: bool,
    pub context: &'a [String],
    pub messages: Option<u32>,
    pub fallback_skill_id: Option<String>,
    pub account: Option<String>,
    pub apply_delay: bool,
    pub force: bool,
    pub assignments: &'a [String],
}

/// Puts the account asked for into the settings (none when empty), with its kept lists.
fn set_account_of(sidecar: &mut Sidecar, req: &SetRequest) -> Result<(), Failure> {
    let Some(id) = req.account.as_deref().map(str::trim) else {
        return Ok(());
    };
    if !id.is_empty()
        && let Err(why) = crate::workspace::account::check_id(id)
    {
        return Err(bad_input(format!("{}: {why}", req.file.display())));
    }
    sidecar.account = Some(id.to_string()).filter(|id| !id.is_empty());
    *sidecar = std::mem::take(sidecar).with_kept_account();
    Ok(())
}

/// `escalator set FILE --account ID`: the bot's account alone.
fn set_account(req: &SetRequest) -> Result<i32, Failure> {
    let (lock, mut doc, mut sidecar) = open_for_writing(req.file)?;
    let before = sidecar.clone();
    set_account_of(&mut sidecar, req)?;
    super::open::save_changed(&lock, &mut doc, &sidecar, &before, req.file)?;
    let id = sidecar.account.as_deref().unwrap_or("none");
    let kept = match (&sidecar.account, &sidecar.kept_account) {
        (None, _) => String::new(),
        (Some(_), Some(a)) => format!(
            "; its lists of {} check the transfers",
            a.age(crate::workspace::account::now())
        ),
        (Some(id), None) => format!("; it is not kept yet: escalator account pull --account {id}"),
    };
    println!("{}: account {id}{kept}", req.file.display());
    Ok(EXIT_OK)
}

/// Runs `escalator set`.
pub(super) fn run(args: SetArgs) -> Result<i32, Failure> {
    set(SetRequest {
        file: &args.file,
        integration: args.integration.as_deref(),
        interaction: args.interaction.as_deref(),
        create: args.create,
        context: &args.context,
        messages: args.messages,
        fallback_skill_id: args.fallback_skill_id,
        account: args.account,
        apply_delay: args.apply_delay,
        force: args.force,
        assignments: &args.assignments,
    })
}

/// The arguments of `escalator set`.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("target").required(true).args(["integration", "interaction", "account"]).multiple(true))]
pub struct SetArgs {
    pub file: PathBuf,
    /// The integration to edit.
    #[arg(long)]
    pub integration: Option<String>,
    /// Or the Agent Transfer interaction to edit (fields message, skill_id, agent_id,
    /// transfer_bot_context, interaction_delay).
    #[arg(long, conflicts_with = "integration")]
    pub interaction: Option<String>,
    /// Add a new LivePerson Agent Escalation integration named by --integration.
    #[arg(long, requires = "integration")]
    pub create: bool,
    /// Keep a sample variable value for previews (escalator's settings file; repeatable).
    #[arg(long = "context", value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    /// Hand-entered number of messages before the transfer, used while no interaction runs it.
    #[arg(long, requires = "integration")]
    pub messages: Option<u32>,
    /// The agent connector's fallback skill id (escalator's settings file).
    #[arg(long)]
    pub fallback_skill_id: Option<String>,
    /// The Conversational Cloud account the bot belongs to (escalator's settings file): its
    /// skills and users, kept with `escalator account pull`, check the transfers. Alone, with
    /// no --integration: `escalator set FILE --account 12345678`.
    #[arg(long)]
    pub account: Option<String>,
    /// After the field edits, write the recommended interaction delay (messages ×
    /// per-message ms) into each Integration interaction that runs the integration, or
    /// into the Agent Transfer interaction.
    #[arg(long)]
    pub apply_delay: bool,
    /// Write even when the assignments give the bot new errors (by default nothing is
    /// written then, and the errors are printed with exit 1).
    #[arg(long)]
    pub force: bool,
    /// name, response_data_variable, integration_type, skill_name, skill_id, agent_id,
    /// transfer_bot_context, message, transform_script, custom_data.KEY (integrations);
    /// message, skill_id, agent_id, transfer_bot_context, interaction_delay (transfers)
    #[arg(value_name = "FIELD=VALUE")]
    pub assignments: Vec<String>,
}

/// A bot's errors, each as its field and message, to tell which ones an edit added.
pub(super) fn error_keys(doc: &BotDocument, sidecar: &Sidecar) -> Vec<(Option<Field>, String)> {
    rules::validate_bot(doc, sidecar)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.field, d.message))
        .collect()
}

/// Every assignment of `set` is checked before anything is written: when the edited bot has
/// errors it did not have, they are printed and nothing is written (exit 1), unless `--force`.
pub(super) fn refuse_new_errors(
    doc: &BotDocument,
    sidecar: &Sidecar,
    before: &[(Option<Field>, String)],
    req: &SetRequest,
) -> Option<i32> {
    if req.force {
        return None;
    }
    // Counted, not only matched: a second error worded like one the bot had is new too.
    let mut had = before.to_vec();
    let added: Vec<Diagnostic> = rules::validate_bot(doc, sidecar)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .filter(|d| {
            match had
                .iter()
                .position(|(f, m)| *f == d.field && *m == d.message)
            {
                Some(at) => {
                    had.swap_remove(at);
                    false
                }
                None => true,
            }
        })
        .collect();
    if added.is_empty() {
        return None;
    }
    for d in &added {
        println!("{}", diagnostic_line(req.file, d, None));
    }
    eprintln!(
        "error: {}: not saved: the assignments make {} (above); fix them, or add --force to write anyway",
        req.file.display(),
        if added.len() == 1 {
            "a new error".to_string()
        } else {
            format!("{} new errors", added.len())
        }
    );
    Some(EXIT_INVALID)
}

pub(super) fn set(req: SetRequest) -> Result<i32, Failure> {
    let integration = match (req.integration, req.interaction) {
        (Some(name), _) => name,
        (None, Some(name)) => return set_transfer(&req, name),
        (None, None) if req.account.is_some() && req.assignments.is_empty() => {
            return set_account(&req);
        }
        (None, None) => return Err(bad_input("name --integration or --interaction")),
    };
    let (lock, mut doc, mut sidecar) = open_for_writing(req.file)?;
    let errors_before = error_keys(&doc, &sidecar);
    // Check every assignment before touching anything.
    let edits = parse_assignments(req.assignments)?;
    let index = if req.create {
        if doc.find_integration(integration).is_some() {
            return Err(bad_input(format!(
                "{}: an integration named \"{}\" already exists; leave out --create to edit it",
                req.file.display(),
                integration
            )));
        }
        match doc.apply(Edit::AddEscalation {
            name: integration.to_string(),
        }) {
            Ok(Applied {
                made: Made::Integration(index),
                ..
            }) => index,
            _ => return Err(bad_input("the new integration could not be read back")),
        }
    } else {
        find(&doc, req.file, integration)?.index
    };
    for (field, value) in &edits {
        check_assignment(&doc, req.file, index, field, value)?;
        let edit = match field {
            Ok(field) => Edit::Field {
                integration: index,
                field: *field,
                value: value.to_string(),
            },
            Err(key) => Edit::CustomDataRow {
                integration: index,
                key: key.to_string(),
                value: value.to_string(),
            },
        };
        doc.apply(edit)
            .map_err(|e| bad_input(format!("{}: {e}", req.file.display())))?;
    }
    let before = sidecar.clone();
    sidecar.context.extend(parse_context(req.context)?);
    let name = doc.integration(index).map(|i| i.name).unwrap_or_default();
    if let Some(n) = req.messages {
        sidecar.message_counts.insert(name.clone(), n);
    }
    if let Some(id) = req.fallback_skill_id.clone() {
        sidecar.fallback_skill_id = Some(id).filter(|s| !s.trim().is_empty());
    }
    set_account_of(&mut sidecar, &req)?;
    let delay_lines = if req.apply_delay {
        delay_changes(&mut doc, index, &sidecar)
    } else {
        vec![]
    };
    if let Some(code) = refuse_new_errors(&doc, &sidecar, &errors_before, &req) {
        return Ok(code);
    }
    save_changed(&lock, &mut doc, &sidecar, &before, req.file)?;
    for line in delay_lines {
        println!("{}: {line}", req.file.display());
    }
    println!(
        "{}: integration \"{name}\" {}",
        req.file.display(),
        if req.create { "created" } else { "saved" }
    );
    Ok(EXIT_OK)
}

/// `escalator set --interaction`: edits an Agent Transfer interaction's fields.
pub(super) fn set_transfer(req: &SetRequest, name: &str) -> Result<i32, Failure> {
    let (lock, mut doc, mut sidecar) = open_for_writing(req.file)?;
    let errors_before = error_keys(&doc, &sidecar);
    let mut edits = Vec::new();
    for assignment in req.assignments {
        let Some((field, value)) = assignment.split_once('=') else {
            return Err(bad_input(format!(
                "\"{assignment}\": expected FIELD=VALUE, e.g. skill_id=12"
            )));
        };
        let field = agent_transfer::FIELDS
            .into_iter()
            .find(|f| f.cli_name() == field)
            .ok_or_else(|| {
                bad_input(format!(
                    "unknown field \"{field}\" of an Agent Transfer interaction; fields: {}",
                    agent_transfer::FIELDS
                        .iter()
                        .map(|f| f.cli_name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
        edits.push((field, value));
    }
    let transfer = find_transfer(&doc, req.file, name)?;
    for (field, value) in edits {
        doc.apply(Edit::TransferField {
            interaction: transfer.index,
            field,
            value: value.to_string(),
        })
        .map_err(|e| bad_input(format!("{}: {e}", req.file.display())))?;
    }
    let before = sidecar.clone();
    sidecar.context.extend(parse_context(req.context)?);
    if let Some(id) = &req.fallback_skill_id {
        sidecar.fallback_skill_id = Some(id.clone()).filter(|s| !s.trim().is_empty());
    }
    set_account_of(&mut sidecar, req)?;
    let delay_line = if req.apply_delay {
        transfer_delay(&mut doc, transfer.index, &sidecar, req.file)?
    } else {
        None
    };
    if let Some(code) = refuse_new_errors(&doc, &sidecar, &errors_before, req) {
        return Ok(code);
    }
    save_changed(&lock, &mut doc, &sidecar, &before, req.file)?;
    if let Some(line) = delay_line {
        println!("{}: {line}", req.file.display());
    }
    println!(
        "{}: Agent Transfer interaction \"{}\" saved",
        req.file.display(),
        transfer.name
    );
    Ok(EXIT_OK)
}

/// Applies the recommended delay to the integration at `index` and says what it did, one
/// line each: `interaction X: 0 → 4000 ms`.
pub(super) fn delay_changes(doc: &mut BotDocument, index: usize, sidecar: &Sidecar) -> Vec<String> {
    let changes = delay::recommended_delays(doc, index, sidecar.per_message_ms());
    if !changes.is_empty() && doc.apply(delay::delays_edit(&changes)).is_ok() {
        return changes
            .into_iter()
            .map(
                |delay::DelayChange {
                     name,
                     before: old,
                     after: new,
                     ..
                 }| {
                    let old = old.map_or_else(|| "none".to_string(), |ms| ms.to_string());
                    format!("interaction {name}: {old} → {new} ms")
                },
            )
            .collect();
    }
    let runs = doc
        .integration(index)
        .is_some_and(|integration| doc.interactions().iter().any(|i| i.runs(&integration)));
    vec![if runs {
        "interaction delay already as recommended".to_string()
    } else {
        "no Integration interaction runs this integration; no delay to apply".to_string()
    }]
}

/// An assignment's field: one of the form's, or a custom data row's key.
type Target = Result<Field, String>;

/// The `FIELD=VALUE` assignments of `set` for an integration, every one checked.
fn parse_assignments(assignments: &[String]) -> Result<Vec<(Target, String)>, Failure> {
    let mut edits = Vec::new();
    for assignment in assignments {
        let Some((name, value)) = assignment.split_once('=') else {
            return Err(bad_input(format!(
                "\"{assignment}\": expected FIELD=VALUE, e.g. skill_id=12"
            )));
        };
        let field = match name.strip_prefix("custom_data.") {
            Some(key) if !key.is_empty() => Err(key.to_string()),
            _ => Ok(Field::from_cli_name(name)
                .filter(|f| *f != Field::CustomData)
                .ok_or_else(|| {
                    bad_input(format!(
                        "unknown field \"{name}\"; fields: {}, custom_data.KEY",
                        Field::ALL
                            .iter()
                            .filter(|f| **f != Field::CustomData)
                            .map(|f| f.cli_name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })?),
        };
        edits.push((field, value.to_string()));
    }
    Ok(edits)
}

/// Refuses an assignment to the integration at `index` that cannot be: a name another
/// integration has, or a field its type does not have.
fn check_assignment(
    doc: &BotDocument,
    file: &Path,
    index: usize,
    field: &Target,
    value: &str,
) -> Result<(), Failure> {
    if *field == Ok(Field::Name)
        && let Some(other) = doc
            .integrations()
            .into_iter()
            .find(|i| i.index != index && i.name == *value)
    {
        return Err(bad_input(format!(
            "{}: another integration (id {}) is already named \"{value}\"; names must be unique, since interactions run integrations by name",
            file.display(),
            other.id
        )));
    }
    if let Ok(field) = field
        && let Some(current) = doc.integration(index)
        && !Field::for_kind(&current.kind).any(|f| f == *field)
    {
        return Err(bad_input(format!(
            "{}: {} is not a field of \"{}\", whose type is {}; its fields: {}",
            file.display(),
            field.cli_name(),
            current.name,
            current.kind.label(),
            Field::for_kind(&current.kind)
                .filter(|f| *f != Field::CustomData)
                .map(|f| f.cli_name())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(())
}

/// Writes the recommended delay into the Agent Transfer interaction at `index`; says what it
/// did.
fn transfer_delay(
    doc: &mut BotDocument,
    index: usize,
    sidecar: &Sidecar,
    file: &Path,
) -> Result<Option<String>, Failure> {
    let mut delay_line = None;
    let interactions = doc.interactions();
    let current = doc.agent_transfers().into_iter().find(|t| t.index == index);
    if let Some((t, i)) = current.and_then(|t| {
        let i = t.as_interaction(&interactions)?.clone();
        Some((t, i))
    }) {
        let messages = delay::messages_before(&interactions, &i);
        let recommended = delay::recommended_ms(messages, sidecar.per_message_ms());
        delay_line = Some(if t.delay_ms == Some(recommended) {
            "interaction delay already as recommended".to_string()
        } else {
            doc.apply(Edit::TransferField {
                interaction: t.index,
                field: Field::InteractionDelay,
                value: recommended.to_string(),
            })
            .map_err(|e| bad_input(format!("{}: {e}", file.display())))?;
            format!(
                "interaction {}: {} → {recommended} ms",
                t.name,
                t.delay_ms
                    .map_or_else(|| "none".to_string(), |ms| ms.to_string())
            )
        });
    }
    Ok(delay_line)
}
