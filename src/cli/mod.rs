//! The command line: the editor, and the headless commands for scripts and CI.

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use serde_json::{Value, json};

use crate::bot::BotDocument;
use crate::bot::agent_transfer::{self, AgentTransfer};
use crate::bot::dialogs;
use crate::bot::edit::{Applied, Edit, Made};
use crate::bot::integration::{Field, Integration};
use crate::bot::keys;
use crate::bot::read::{Dialog, Interaction};
use crate::bot::template::{self, SampleContext};
use crate::export::save::{ExportLock, headless_lock_wait};
use crate::rules::{self, Diagnostic, Severity};
use crate::runtime::delay;
use crate::runtime::simulate;
use crate::runtime::transfer;
use crate::workspace::shipped;
use crate::workspace::sidecar::Sidecar;

// Every line a command prints goes through these: what came from a file, a script or a file
// name is shown with its hidden characters as visible escapes (`crate::export::shown`), never as
// terminal commands; a closed output ends the printing quietly instead of panicking.
macro_rules! println {
    ($($arg:tt)*) => {
        $crate::cli::print_line(&format!($($arg)*), false)
    };
}
macro_rules! eprintln {
    ($($arg:tt)*) => {
        $crate::cli::print_line(&format!($($arg)*), true)
    };
}

/// The longest line a command prints; a longer one (a megabyte name or value) is cut there,
/// with a note of how much more there was.
const LONGEST_LINE: usize = 4000;

/// Writes one line of a command's output (standard error when `error`), made safe to show:
/// hidden characters and line breaks from a file or a script as escapes (so nothing can fake
/// another line), cut at [`LONGEST_LINE`] characters.
pub fn print_line(text: &str, error: bool) {
    use std::io::Write;
    let shown = crate::export::shown::for_terminal(text, false);
    let shown = crate::export::shown::cut(&shown, LONGEST_LINE);
    let _ = if error {
        writeln!(std::io::stderr().lock(), "{shown}")
    } else {
        writeln!(std::io::stdout().lock(), "{shown}")
    };
}

/// Writes JSON output (already made safe by [`json_text`] or `crate::export::shown::for_json`).
fn print_json(json: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{json}");
}

/// Pretty JSON with every hidden character escaped (see [`crate::export::shown::for_json`]).
fn json_text(value: &impl serde::Serialize) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    crate::export::shown::for_json(&text).into_owned()
}

/// Exit code: success, no errors found.
pub const EXIT_OK: i32 = 0;
/// Exit code: the bot has errors.
pub const EXIT_INVALID: i32 = 1;
/// Exit code: the input could not be used (unreadable, not a bot, bad arguments).
pub const EXIT_BAD_INPUT: i32 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "escalator",
    version,
    about = "Edit the LivePerson Agent Escalation integrations of Conversation Builder bots",
    after_help = "Without a command, opens FILE (or the default bot) in the editor.\nExit codes: 0 fine, 1 the bot has errors, 2 unreadable input."
)]
pub struct Cli {
    /// The bot export to edit (default: a sample bot in your data folder).
    pub file: Option<PathBuf>,
    /// Quit as soon as the first frame is on the terminal (for timing start-up).
    #[arg(long, hide = true)]
    pub exit_after_first_frame: bool,
    /// Quit once the rules have run and their frame is drawn (for measuring memory).
    #[arg(long, hide = true)]
    pub exit_after_check: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new bot export from the template.
    New {
        file: PathBuf,
        /// The bot's name.
        #[arg(long)]
        name: Option<String>,
    },
    /// Check bot exports against the integration rules.
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print the transfer request body and recommended interaction delay of an integration
    /// or of an Agent Transfer interaction.
    #[command(group = clap::ArgGroup::new("target").required(true).args(["integration", "interaction"]))]
    Preview {
        file: PathBuf,
        /// The integration to preview.
        #[arg(long)]
        integration: Option<String>,
        /// Or the Agent Transfer interaction to preview.
        #[arg(long)]
        interaction: Option<String>,
        /// A sample value for a variable, e.g. skillId=12 or env.region=eu (repeatable).
        #[arg(long = "context", value_name = "KEY=VALUE")]
        context: Vec<String>,
    },
    /// Show, as a timeline, what an escalation does at runtime in a scenario.
    #[command(group = clap::ArgGroup::new("target").required(true).args(["integration", "interaction"]))]
    Simulate {
        file: PathBuf,
        /// The LivePerson Agent Escalation integration to run.
        #[arg(long)]
        integration: Option<String>,
        /// Or the Agent Transfer interaction to run.
        #[arg(long)]
        interaction: Option<String>,
        /// The chat server drops the request (no response for over 3 minutes).
        #[arg(long)]
        drop: bool,
        /// The agent named by Agent Id is not on the skill or not available.
        #[arg(long)]
        agent_unavailable: bool,
        /// How many transfer attempts fail (4 or more ends the escalation).
        #[arg(long, default_value_t = 0)]
        failures: u32,
        /// Whether a dialog catches __agent_escalation_failed__ (default: as the bot has it).
        #[arg(long, value_parser = ["yes", "no"])]
        failure_dialog: Option<String>,
        /// The agent connector's fallback skill id (default: escalator's settings file).
        #[arg(long)]
        fallback_skill_id: Option<String>,
        /// A sample value for a variable, e.g. skillId=12 (repeatable).
        #[arg(long = "context", value_name = "KEY=VALUE")]
        context: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Run one Transform Result Script sent on standard input (the sandbox's worker process).
    #[command(hide = true, name = "__script-worker")]
    ScriptWorker,
    /// Write a large generated bot, for benchmarks.
    #[command(hide = true)]
    GenBot {
        file: PathBuf,
        #[arg(long, default_value_t = 1000)]
        integrations: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Run an integration's Transform Result Script on a sample result, sandboxed.
    ScriptTest {
        file: PathBuf,
        #[arg(long)]
        integration: String,
        /// The raw result to transform (JSON); default: the sample kept in escalator's settings.
        #[arg(long, value_name = "SAMPLE.json")]
        result: Option<PathBuf>,
        /// A sample bot variable, e.g. name=Ann (repeatable).
        #[arg(long = "context", value_name = "KEY=VALUE")]
        context: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Change the fields of an integration or an Agent Transfer interaction and save the
    /// file in place.
    #[command(group = clap::ArgGroup::new("target").required(true).args(["integration", "interaction"]))]
    Set {
        file: PathBuf,
        /// The integration to edit.
        #[arg(long)]
        integration: Option<String>,
        /// Or the Agent Transfer interaction to edit (fields message, skill_id, agent_id,
        /// transfer_bot_context, interaction_delay).
        #[arg(long)]
        interaction: Option<String>,
        /// Add a new LivePerson Agent Escalation integration named by --integration.
        #[arg(long, requires = "integration")]
        create: bool,
        /// Keep a sample variable value for previews (escalator's settings file; repeatable).
        #[arg(long = "context", value_name = "KEY=VALUE")]
        context: Vec<String>,
        /// Hand-entered number of messages before the transfer, used while no interaction runs it.
        #[arg(long, requires = "integration")]
        messages: Option<u32>,
        /// The agent connector's fallback skill id (escalator's settings file).
        #[arg(long)]
        fallback_skill_id: Option<String>,
        /// After the field edits, write the recommended interaction delay (messages ×
        /// per-message ms) into each Integration interaction that runs the integration, or
        /// into the Agent Transfer interaction.
        #[arg(long)]
        apply_delay: bool,
        /// Write even when the assignments give the bot new errors (by default nothing is
        /// written then, and the errors are printed with exit 1).
        #[arg(long)]
        force: bool,
        /// name, response_data_variable, integration_type, skill_name, skill_id, agent_id,
        /// transfer_bot_context, message, transform_script, custom_data.KEY (integrations);
        /// message, skill_id, agent_id, transfer_bot_context, interaction_delay (transfers)
        #[arg(value_name = "FIELD=VALUE")]
        assignments: Vec<String>,
    },
    /// Turn an Integration interaction into an Agent Transfer interaction or back (by its
    /// type), or add an Agent Transfer interaction built from an integration to a dialog;
    /// save in place.
    #[command(group = clap::ArgGroup::new("target").required(true).args(["integration", "interaction"]))]
    Convert {
        file: PathBuf,
        /// The interaction to convert, by name or id: an Integration interaction running a
        /// LivePerson Agent Escalation integration, or an Agent Transfer interaction.
        #[arg(long)]
        interaction: Option<String>,
        /// Or the LivePerson Agent Escalation integration a new Agent Transfer interaction
        /// takes its settings from (with --dialog).
        #[arg(long, requires = "dialog")]
        integration: Option<String>,
        /// The dialog the new Agent Transfer interaction goes in, by name or id.
        #[arg(long, requires = "integration")]
        dialog: Option<String>,
        /// The interaction of that dialog it goes after (default: the dialog's end).
        #[arg(long, requires = "dialog")]
        after: Option<String>,
    },
    /// Add a dialog that catches __agent_escalation_failed__ and apologises; save in place.
    AddFailureDialog {
        file: PathBuf,
        /// The text the bot sends when a transfer fails.
        #[arg(long, default_value = dialogs::DEFAULT_APOLOGY)]
        message: String,
    },
}

/// A failure to report on one line, with the exit code it ends the program with.
#[derive(Debug)]
pub struct Failure {
    pub code: i32,
    pub message: String,
}

fn bad_input(message: impl Into<String>) -> Failure {
    Failure {
        code: EXIT_BAD_INPUT,
        message: message.into(),
    }
}

/// Runs a headless command, printing to stdout; returns the exit code.
pub fn run_command(command: Command) -> Result<i32, Failure> {
    match command {
        Command::New { file, name } => {
            let doc =
                shipped::create_bot(&file, shipped::NEW_BOT, name.as_deref()).map_err(bad_input)?;
            println!("created {} (bot \"{}\")", file.display(), doc.bot_name());
            Ok(EXIT_OK)
        }
        Command::Validate { files, format } => Ok(validate_files(&files, format)),
        Command::Preview {
            file,
            integration,
            interaction,
            context,
        } => {
            let (doc, sidecar) = open(&file)?;
            let mut samples = sidecar.context.clone();
            samples.extend(parse_context(&context)?);
            let json = match (integration, interaction) {
                (Some(name), _) => {
                    let found = find_escalation(&doc, &file, &name)?;
                    preview_json(&doc, &found, &sidecar, &samples)
                }
                (None, Some(name)) => {
                    let transfer = find_transfer(&doc, &file, &name)?;
                    transfer_preview_json(&doc, &transfer, &sidecar, &samples)
                }
                (None, None) => return Err(bad_input("name --integration or --interaction")),
            };
            print_json(&json);
            Ok(EXIT_OK)
        }
        Command::Simulate {
            file,
            integration,
            interaction,
            drop,
            agent_unavailable,
            failures,
            failure_dialog,
            fallback_skill_id,
            context,
            format,
        } => {
            let (doc, sidecar) = open(&file)?;
            let mut samples = sidecar.context.clone();
            samples.extend(parse_context(&context)?);
            let mut setup = match (integration, interaction) {
                (Some(name), _) => {
                    let found = find_escalation(&doc, &file, &name)?;
                    simulate::Setup::for_integration(&doc, &found, &sidecar, &samples)
                }
                (None, Some(name)) => {
                    let transfer = find_transfer(&doc, &file, &name)?;
                    let mut setup =
                        simulate::Setup::from_bot(&doc, transfer.escalation.clone(), &samples);
                    setup.delay_ms = transfer.delay_ms.unwrap_or(0);
                    setup.fallback_skill_id = sidecar.fallback_skill_id.clone();
                    setup
                }
                (None, None) => return Err(bad_input("name --integration or --interaction")),
            };
            if let Some(id) = fallback_skill_id {
                setup.fallback_skill_id = Some(id);
            }
            let scenario = simulate::Scenario {
                dropped: drop,
                agent_unavailable,
                failures,
                failure_dialog: failure_dialog.map(|a| a == "yes"),
            };
            let timeline = simulate::simulate(&setup, &scenario);
            match format {
                Format::Text => {
                    for line in timeline.lines() {
                        println!("{line}");
                    }
                    println!("outcome: {}", outcome_text(&timeline.outcome));
                }
                Format::Json => print_json(&json_text(&timeline)),
            }
            Ok(EXIT_OK)
        }
        Command::ScriptWorker => Ok(crate::runtime::script::worker_main()),
        Command::GenBot {
            file,
            integrations,
            seed,
        } => {
            let text = crate::bot::generate::bot(integrations, seed);
            crate::export::save::write_atomically(&file, text.as_bytes())
                .map_err(|e| bad_input(e.to_string()))?;
            println!(
                "{}: {integrations} integrations, {} bytes",
                file.display(),
                text.len()
            );
            Ok(EXIT_OK)
        }
        Command::ScriptTest {
            file,
            integration,
            result,
            context,
            format,
        } => script_test(&file, &integration, result.as_deref(), &context, format),
        Command::Set {
            file,
            integration,
            interaction,
            create,
            context,
            messages,
            fallback_skill_id,
            apply_delay,
            force,
            assignments,
        } => set(SetRequest {
            file: &file,
            integration: integration.as_deref(),
            interaction: interaction.as_deref(),
            create,
            context: &context,
            messages,
            fallback_skill_id,
            apply_delay,
            force,
            assignments: &assignments,
        }),
        Command::AddFailureDialog { file, message } => add_failure_dialog(&file, &message),
        Command::Convert {
            file,
            interaction,
            integration,
            dialog,
            after,
        } => match (interaction, integration, dialog) {
            (Some(name), _, _) => convert_interaction(&file, &name),
            (None, Some(integration), Some(dialog)) => {
                add_transfer(&file, &integration, &dialog, after.as_deref())
            }
            _ => Err(bad_input(
                "name --interaction NAME, or --integration NAME with --dialog DIALOG",
            )),
        },
    }
}

fn add_failure_dialog(file: &Path, message: &str) -> Result<i32, Failure> {
    let (lock, mut doc, _) = open_for_writing(file)?;
    let added = match doc
        .apply(Edit::FailureDialog {
            message: message.to_string(),
        })
        .map_err(|e| bad_input(format!("{}: {e}", file.display())))?
        .made
    {
        Made::Dialog(added) => added,
        _ => return Err(bad_input("the new dialog could not be read back")),
    };
    doc.save_locked(file, &lock)
        .map_err(|e| bad_input(e.to_string()))?;
    println!(
        "{}: added dialog \"{}\": starter \"{}\" catches {}, then text \"{}\" says {}",
        file.display(),
        added.name,
        added.starter_name,
        crate::bot::keys::ESCALATION_FAILED_MESSAGE,
        added.message_name,
        serde_json::to_string(&added.message).unwrap_or_default()
    );
    Ok(EXIT_OK)
}

/// Locks a bot for writing (waiting a little for another writer, then exit 2 naming it), then
/// loads it and its escalator settings: what is read is what the save will replace.
fn open_for_writing(file: &Path) -> Result<(ExportLock, BotDocument, Sidecar), Failure> {
    let wait = headless_lock_wait().map_err(bad_input)?;
    let lock = ExportLock::acquire(file, wait).map_err(|e| bad_input(e.to_string()))?;
    let (doc, sidecar) = open(file)?;
    Ok((lock, doc, sidecar))
}

/// Loads a bot and its escalator settings.
pub fn open(file: &Path) -> Result<(BotDocument, Sidecar), Failure> {
    let doc = BotDocument::load(file).map_err(|e| bad_input(e.to_string()))?;
    let sidecar = Sidecar::load(file).map_err(|e| bad_input(e.to_string()))?;
    Ok((doc, sidecar))
}

/// The integration named `name`, or whose id is `name`, or named so but for case. Two
/// integrations of that name are an error listing their ids (name one by its id).
fn find(doc: &BotDocument, file: &Path, name: &str) -> Result<Integration, Failure> {
    let all = doc.integrations();
    let named: Vec<&Integration> = all.iter().filter(|i| i.name == name).collect();
    if named.len() > 1 {
        let ids: Vec<&str> = named.iter().map(|i| i.id.as_str()).collect();
        return Err(bad_input(format!(
            "{}: {} integrations are named \"{name}\"; name one by its id: {}",
            file.display(),
            named.len(),
            some_names(&ids)
        )));
    }
    let found = named
        .first()
        .copied()
        .or_else(|| all.iter().find(|i| !i.id.is_empty() && i.id == name))
        .or_else(|| all.iter().find(|i| i.name.eq_ignore_ascii_case(name)));
    found.cloned().ok_or_else(|| {
        let names: Vec<&str> = all.iter().map(|i| i.name.as_str()).collect();
        bad_input(format!(
            "{}: no integration named \"{name}\"; {}",
            file.display(),
            if names.is_empty() {
                "the bot has none (add one with: escalator set FILE --integration NAME --create)"
                    .to_string()
            } else {
                format!("it has: {}", some_names(&names))
            }
        ))
    })
}

/// [`find`], for a command that needs a LivePerson Agent Escalation integration.
fn find_escalation(doc: &BotDocument, file: &Path, name: &str) -> Result<Integration, Failure> {
    let found = find(doc, file, name)?;
    if !found.is_escalation() {
        return Err(bad_input(format!(
            "{}: \"{}\" is a {} integration; only LivePerson Agent Escalation integrations transfer",
            file.display(),
            found.name,
            found.kind.label()
        )));
    }
    Ok(found)
}

/// A list of names for a one-line message: at most ten, each cut at 60 characters, then how
/// many more there are (a bot may have thousands).
fn some_names(names: &[impl AsRef<str>]) -> String {
    const SHOWN: usize = 10;
    let mut listed: Vec<String> = names
        .iter()
        .take(SHOWN)
        .map(|n| crate::export::shown::cut(n.as_ref(), 60).into_owned())
        .collect();
    if names.len() > SHOWN {
        listed.push(format!("and {} more", names.len() - SHOWN));
    }
    listed.join(", ")
}

/// The item named `name` (exact, then by `id`, then ignoring case), or an error that lists
/// what the bot has.
fn find_named<T: Clone>(
    all: &[T],
    name_of: impl Fn(&T) -> &str,
    id_of: impl Fn(&T) -> &str,
    what: &str,
    file: &Path,
    name: &str,
) -> Result<T, Failure> {
    all.iter()
        .find(|t| name_of(t) == name)
        .or_else(|| all.iter().find(|t| id_of(t) == name))
        .or_else(|| all.iter().find(|t| name_of(t).eq_ignore_ascii_case(name)))
        .cloned()
        .ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(&name_of).collect();
            bad_input(format!(
                "{}: no {what} named \"{name}\"; {}",
                file.display(),
                if names.is_empty() {
                    "the bot has none".to_string()
                } else {
                    format!("it has: {}", some_names(&names))
                }
            ))
        })
}

/// The Agent Transfer interaction named `name`.
fn find_transfer(doc: &BotDocument, file: &Path, name: &str) -> Result<AgentTransfer, Failure> {
    let all = doc.agent_transfers();
    let named: Vec<&AgentTransfer> = all.iter().filter(|t| t.name == name).collect();
    if named.len() > 1 {
        let ids: Vec<&str> = named.iter().map(|t| t.id.as_str()).collect();
        return Err(bad_input(format!(
            "{}: {} Agent Transfer interactions are named \"{name}\"; name one by its id: {}",
            file.display(),
            named.len(),
            some_names(&ids)
        )));
    }
    find_named(
        &all,
        |t| &t.name,
        |t| &t.id,
        "Agent Transfer interaction",
        file,
        name,
    )
}

/// `escalator script-test`: runs the script and evaluates the custom data fields.
fn script_test(
    file: &Path,
    name: &str,
    result: Option<&Path>,
    context: &[String],
    format: Format,
) -> Result<i32, Failure> {
    let (doc, sidecar) = open(file)?;
    let integration = find(&doc, file, name)?;
    let raw: Value = match result {
        Some(path) => {
            let text = crate::export::read_small_file(path).map_err(|e| {
                bad_input(format!(
                    "{}: cannot read the sample: {}",
                    path.display(),
                    crate::export::describe_io(&e)
                ))
            })?;
            serde_json::from_str(&text).map_err(|e| {
                bad_input(format!(
                    "{}:{}:{}: the sample is not JSON: {}",
                    path.display(),
                    e.line(),
                    e.column(),
                    e.to_string().split(" at line ").next().unwrap_or_default()
                ))
            })?
        }
        None => sidecar
            .sample_results
            .get(&integration.name)
            .cloned()
            .ok_or_else(|| {
                bad_input(format!(
                    "{}: no sample result for \"{}\"; pass --result SAMPLE.json",
                    file.display(),
                    integration.name
                ))
            })?,
    };
    let mut samples = sidecar.context.clone();
    samples.extend(parse_context(context)?);
    let run = crate::runtime::script::run_isolated(
        &integration.transform_script,
        &integration.response_data_variable,
        &raw,
        &samples,
    );
    let custom: Vec<(String, Result<Value, String>)> = integration
        .custom_data
        .iter()
        .map(|row| {
            (
                row.key.clone(),
                crate::runtime::script::evaluate_path(&row.value, &run.result),
            )
        })
        .collect();
    match format {
        Format::Json => {
            let fields: serde_json::Map<String, Value> = custom
                .iter()
                .map(|(k, v)| {
                    let shown = match v {
                        Ok(value) => json!({ "value": value }),
                        Err(e) => json!({ "error": e }),
                    };
                    (k.clone(), shown)
                })
                .collect();
            print_json(&json_text(&json!({
                "variables": run.variables,
                "debugMessages": run.debug_messages,
                "error": run.error,
                "customData": fields,
            })));
        }
        Format::Text => {
            if integration.transform_script.trim().is_empty() {
                println!("(no Transform Result Script: the raw result is used as it is)");
            }
            for v in &run.variables {
                let scope = if v.persist_for_session {
                    " (for the session)"
                } else {
                    ""
                };
                println!("set {} = {}{scope}", v.name, v.value);
            }
            for m in &run.debug_messages {
                println!("debug: {m}");
            }
            if let Some(e) = &run.error {
                println!("error: {e}");
            }
            for (key, value) in &custom {
                match value {
                    Ok(v) => println!("custom data {key} = {v}"),
                    Err(e) => println!("custom data {key}: {e}"),
                }
            }
        }
    }
    Ok(if run.error.is_some() {
        EXIT_INVALID
    } else {
        EXIT_OK
    })
}

/// Saves the bot when edited and escalator's settings when they changed from `before`: both
/// or neither. The settings go first (a failure there touches nothing); when the bot then
/// fails to save, the settings are put back as they were.
fn save_changed(
    lock: &ExportLock,
    doc: &mut BotDocument,
    sidecar: &Sidecar,
    before: &Sidecar,
    file: &Path,
) -> Result<(), Failure> {
    let settings_changed = sidecar != before;
    if settings_changed {
        sidecar.save(file).map_err(|e| bad_input(e.to_string()))?;
    }
    if doc.is_modified()
        && let Err(e) = doc.save_locked(file, lock)
    {
        let undone = !settings_changed || before.save(file).is_ok();
        return Err(bad_input(if undone {
            e.to_string()
        } else {
            format!(
                "{e}; and escalator's settings beside it could not be put back: {} holds the new ones",
                Sidecar::path_for(file).display()
            )
        }));
    }
    Ok(())
}

/// How a simulation ended, in words.
fn outcome_text(outcome: &simulate::Outcome) -> String {
    match outcome {
        simulate::Outcome::Transferred { to } => format!("transferred to {to}"),
        simulate::Outcome::NotNumeric => "no transfer: the skill id is not numeric".into(),
        simulate::Outcome::Stopped { message } => {
            format!("escalation stopped; the consumer got \"{message}\"")
        }
        simulate::Outcome::Failed => "the transfer failed; the bot answered the failure".into(),
    }
}

fn parse_context(pairs: &[String]) -> Result<SampleContext, Failure> {
    pairs
        .iter()
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                Ok((template::normalize_context_key(k), v.to_string()))
            }
            _ => Err(bad_input(format!(
                "--context {pair}: expected KEY=VALUE, e.g. --context skillId=12"
            ))),
        })
        .collect()
}

/// The preview as printed by `escalator preview`.
pub fn preview_json(
    doc: &BotDocument,
    integration: &Integration,
    sidecar: &Sidecar,
    samples: &SampleContext,
) -> String {
    let context = transfer::preview_context(doc, samples);
    let plans = delay::plans(doc, integration, sidecar);
    let first = &plans[0];
    let value = json!({
        "body": transfer::configured_body(integration),
        "evaluatedBody": transfer::evaluated_body(integration, &context),
        "delay": {
            "messages": first.messages,
            "perMessageMs": first.per_message_ms,
            "recommendedMs": first.recommended_ms,
            "configuredMs": first.configured_ms,
        },
    });
    json_text(&value)
}

/// The preview of an Agent Transfer interaction, in the shape of [`preview_json`]: its body,
/// and the delay from the messages the bot sends before it.
pub fn transfer_preview_json(
    doc: &BotDocument,
    transfer: &AgentTransfer,
    sidecar: &Sidecar,
    samples: &SampleContext,
) -> String {
    let context = transfer::preview_context(doc, samples);
    let integration = transfer.as_integration();
    let interactions = doc.interactions();
    let messages = transfer
        .as_interaction(&interactions)
        .map_or(0, |i| delay::messages_before(&interactions, i));
    let per = sidecar.per_message_ms();
    let value = json!({
        "body": transfer::configured_body(&integration),
        "evaluatedBody": transfer::evaluated_body(&integration, &context),
        "delay": {
            "messages": messages,
            "perMessageMs": per,
            "recommendedMs": delay::recommended_ms(messages, per),
            "configuredMs": transfer.delay_ms,
        },
    });
    json_text(&value)
}

fn diagnostic_json(file: &Path, d: &Diagnostic) -> Value {
    json!({
        "file": file.display().to_string(),
        "integration": d.integration,
        "field": d.field.map(Field::cli_name),
        "severity": d.severity,
        "message": d.message,
        "fix": d.fix,
    })
}

/// `file: integration: field: severity: message (fix: ...)`
pub fn diagnostic_line(file: &Path, d: &Diagnostic) -> String {
    format!(
        "{}: {}: {}: {}: {} (fix: {})",
        file.display(),
        d.integration.as_deref().unwrap_or("(bot)"),
        d.field.map_or("-", Field::cli_name),
        d.severity,
        d.message,
        d.fix
    )
}

fn validate_files(files: &[PathBuf], format: Format) -> i32 {
    use std::io::Write;
    let mut code = EXIT_OK;
    let mut json_out = Vec::new();
    // One write for many lines (a large bot has thousands); a closed pipe ends the output,
    // not the check.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (at, file) in files.iter().enumerate() {
        // Checking needs the rules' parts of the bot, not its tree; a file that does not read
        // that way is opened as a document, which says where and why.
        let quick = crate::export::read_file(file).ok().and_then(|bytes| {
            let sidecar = Sidecar::load(file).ok()?;
            rules::validate_bytes(&bytes, &sidecar)
        });
        let checked = match quick {
            Some(diagnostics) => Ok(diagnostics),
            None => open(file).map(|(doc, sidecar)| {
                let diagnostics = rules::validate_bot(&doc, &sidecar);
                // After the last file the process ends: freeing a large bot piece by piece
                // would only add to the wait; the system takes it back.
                if at + 1 == files.len() {
                    std::mem::forget(doc);
                }
                diagnostics
            }),
        };
        let diagnostics = match checked {
            Ok(diagnostics) => diagnostics,
            Err(f) => {
                let _ = out.flush();
                eprintln!("error: {}", f.message);
                code = EXIT_BAD_INPUT;
                continue;
            }
        };
        if diagnostics.iter().any(|d| d.severity == Severity::Error) && code == EXIT_OK {
            code = EXIT_INVALID;
        }
        match format {
            Format::Text => {
                for d in &diagnostics {
                    let line = diagnostic_line(file, d);
                    let line = crate::export::shown::for_terminal(&line, false);
                    let _ = writeln!(out, "{}", crate::export::shown::cut(&line, LONGEST_LINE));
                }
            }
            Format::Json => json_out.extend(diagnostics.iter().map(|d| diagnostic_json(file, d))),
        }
    }
    if format == Format::Json {
        let _ = writeln!(out, "{}", json_text(&json_out));
    }
    let _ = out.flush();
    code
}

struct SetRequest<'a> {
    file: &'a Path,
    integration: Option<&'a str>,
    interaction: Option<&'a str>,
    create: bool,
    context: &'a [String],
    messages: Option<u32>,
    fallback_skill_id: Option<String>,
    apply_delay: bool,
    force: bool,
    assignments: &'a [String],
}

/// A bot's errors, each as its field and message, to tell which ones an edit added.
fn error_keys(doc: &BotDocument, sidecar: &Sidecar) -> Vec<(Option<Field>, String)> {
    rules::validate_bot(doc, sidecar)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.field, d.message))
        .collect()
}

/// Every assignment of `set` is checked before anything is written: when the edited bot has
/// errors it did not have, they are printed and nothing is written (exit 1), unless `--force`.
fn refuse_new_errors(
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
        println!("{}", diagnostic_line(req.file, d));
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

fn set(req: SetRequest) -> Result<i32, Failure> {
    let integration = match (req.integration, req.interaction) {
        (Some(name), _) => name,
        (None, Some(name)) => return set_transfer(&req, name),
        (None, None) => return Err(bad_input("name --integration or --interaction")),
    };
    let (lock, mut doc, mut sidecar) = open_for_writing(req.file)?;
    let errors_before = error_keys(&doc, &sidecar);
    // Check every assignment before touching anything.
    let mut edits = Vec::new();
    for assignment in req.assignments {
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
        if *field == Ok(Field::Name)
            && let Some(other) = doc
                .integrations()
                .into_iter()
                .find(|i| i.index != index && i.name == *value)
        {
            return Err(bad_input(format!(
                "{}: another integration (id {}) is already named \"{value}\"; names must be unique, since interactions run integrations by name",
                req.file.display(),
                other.id
            )));
        }
        if let Ok(field) = field
            && let Some(current) = doc.integration(index)
            && !Field::for_kind(&current.kind).any(|f| f == *field)
        {
            return Err(bad_input(format!(
                "{}: {} is not a field of \"{}\", whose type is {}; its fields: {}",
                req.file.display(),
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
fn set_transfer(req: &SetRequest, name: &str) -> Result<i32, Failure> {
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
    let mut delay_line = None;
    if req.apply_delay {
        let interactions = doc.interactions();
        let current = doc
            .agent_transfers()
            .into_iter()
            .find(|t| t.index == transfer.index);
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
                .map_err(|e| bad_input(format!("{}: {e}", req.file.display())))?;
                format!(
                    "interaction {}: {} → {recommended} ms",
                    t.name,
                    t.delay_ms
                        .map_or_else(|| "none".to_string(), |ms| ms.to_string())
                )
            });
        }
    }
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

/// `escalator convert --interaction`: an Integration interaction becomes an Agent Transfer
/// interaction, or an Agent Transfer interaction an Integration interaction.
fn convert_interaction(file: &Path, name: &str) -> Result<i32, Failure> {
    let (lock, mut doc, _) = open_for_writing(file)?;
    let interaction = find_interaction(&doc, file, name, None)?;
    let dialog = dialog_name(&doc, &interaction.dialog_id);
    let refused = |e: crate::bot::edit::EditError| bad_input(format!("{}: {e}", file.display()));
    let line = match interaction.kind.as_str() {
        keys::IT_ESCALATION => {
            let responder = match doc
                .apply(Edit::ToIntegration {
                    interaction: interaction.index,
                })
                .map_err(refused)?
                .made
            {
                Made::IntegrationRunBy { integration, .. } => integration,
                _ => return Err(bad_input("the new integration could not be read back")),
            };
            let integration = doc
                .integration(responder)
                .ok_or_else(|| bad_input("the new integration could not be read back"))?;
            format!(
                "the Agent Transfer interaction \"{}\" in dialog \"{dialog}\" is now an Integration interaction running the new LivePerson Agent Escalation integration \"{}\" (skill name \"{}\", skill id \"{}\")",
                interaction.name,
                integration.name,
                integration.escalation.skill_name,
                integration.escalation.skill_id
            )
        }
        _ => {
            let integration = doc.integration_run_by(&interaction);
            doc.apply(Edit::ToTransfer {
                interaction: interaction.index,
            })
            .map_err(refused)?;
            let integration = integration
                .ok_or_else(|| bad_input("the converted interaction ran no integration"))?;
            let still = doc
                .interactions()
                .iter()
                .filter(|i| i.runs(&integration))
                .count();
            let delay = interaction.delay_ms.map_or_else(
                || "no interaction delay".to_string(),
                |ms| format!("interaction delay {ms} ms kept"),
            );
            format!(
                "the Integration interaction \"{}\" in dialog \"{dialog}\" is now an Agent Transfer interaction with the settings of \"{}\" ({delay}); the integration \"{}\" stays in the bot's integrations, {}",
                interaction.name,
                integration.name,
                integration.name,
                match still {
                    0 => "run by no interaction now".to_string(),
                    1 => "still run by 1 other interaction".to_string(),
                    n => format!("still run by {n} other interactions"),
                }
            )
        }
    };
    doc.save_locked(file, &lock)
        .map_err(|e| bad_input(e.to_string()))?;
    println!("{}: {line}", file.display());
    Ok(EXIT_OK)
}

/// `escalator convert --integration --dialog`: adds an Agent Transfer interaction with an
/// integration's settings to a dialog, with the recommended interaction delay.
fn add_transfer(
    file: &Path,
    integration: &str,
    dialog: &str,
    after: Option<&str>,
) -> Result<i32, Failure> {
    let (lock, mut doc, sidecar) = open_for_writing(file)?;
    let found = find(&doc, file, integration)?;
    if !found.is_escalation() {
        return Err(bad_input(format!(
            "{}: \"{}\" is not a LivePerson Agent Escalation integration (its type is {}); an Agent Transfer interaction takes its settings from one",
            file.display(),
            found.name,
            found.kind.label()
        )));
    }
    let target = find_dialog(&doc, file, dialog)?;
    let after = match after {
        Some(name) => Some(find_interaction(&doc, file, name, Some(&target))?),
        None => None,
    };
    let index = match doc
        .apply(Edit::AddTransfer {
            dialog_id: target.id.clone(),
            after: after.as_ref().map(|a| a.id.clone()),
            escalation: found.escalation.clone(),
        })
        .map_err(|e| bad_input(format!("{}: {e}", file.display())))?
        .made
    {
        Made::Interaction(index) => index,
        _ => return Err(bad_input("the new interaction could not be read back")),
    };
    let interactions = doc.interactions();
    let added = interactions
        .iter()
        .find(|i| i.index == index)
        .cloned()
        .ok_or_else(|| bad_input("the new interaction could not be read back"))?;
    let messages = delay::messages_before(&interactions, &added);
    let per = sidecar.per_message_ms();
    let recommended = delay::recommended_ms(messages, per);
    if recommended > 0 {
        doc.apply(Edit::TransferField {
            interaction: index,
            field: Field::InteractionDelay,
            value: recommended.to_string(),
        })
        .map_err(|e| bad_input(format!("{}: {e}", file.display())))?;
    }
    doc.save_locked(file, &lock)
        .map_err(|e| bad_input(e.to_string()))?;
    let place = match interactions.iter().find(|i| i.id == added.prev) {
        Some(prev) => format!("after \"{}\"", prev.name),
        None => "as its first interaction".to_string(),
    };
    let delay = if recommended == 0 {
        "no interaction delay (no message goes out before it)".to_string()
    } else {
        format!(
            "interaction delay {recommended} ms ({messages} {} × {per} ms)",
            if messages == 1 { "message" } else { "messages" }
        )
    };
    println!(
        "{}: added the Agent Transfer interaction \"{}\" to dialog \"{}\" {place}, with the settings of \"{}\"; {delay}",
        file.display(),
        added.name,
        target.name,
        found.name,
    );
    Ok(EXIT_OK)
}

/// The name of the dialog `id`, or the id when no dialog has it.
fn dialog_name(doc: &BotDocument, id: &str) -> String {
    doc.dialogs()
        .into_iter()
        .find(|d| d.id == id)
        .map_or_else(|| id.to_string(), |d| d.name)
}

/// The dialog named `name` (exact, then by id, then ignoring case).
fn find_dialog(doc: &BotDocument, file: &Path, name: &str) -> Result<Dialog, Failure> {
    let all = doc.dialogs();
    find_named(&all, |d| &d.name, |d| &d.id, "dialog", file, name)
}

/// The interaction named `name` (exact, then ignoring case), or with that id; within
/// `dialog` when given. A name several interactions share is refused (give the id).
fn find_interaction(
    doc: &BotDocument,
    file: &Path,
    name: &str,
    dialog: Option<&Dialog>,
) -> Result<Interaction, Failure> {
    let all: Vec<Interaction> = doc
        .interactions()
        .into_iter()
        .filter(|i| dialog.is_none_or(|d| i.dialog_id == d.id))
        .collect();
    let by_id: Vec<&Interaction> = all.iter().filter(|i| i.id == name).collect();
    let exact: Vec<&Interaction> = all.iter().filter(|i| i.name == name).collect();
    let loose: Vec<&Interaction> = all
        .iter()
        .filter(|i| i.name.eq_ignore_ascii_case(name))
        .collect();
    let found = [by_id, exact, loose]
        .into_iter()
        .find(|list| !list.is_empty())
        .unwrap_or_default();
    let place = dialog.map_or_else(String::new, |d| format!(" in dialog \"{}\"", d.name));
    match found.as_slice() {
        [one] => Ok((*one).clone()),
        [] => {
            let names: Vec<&str> = all.iter().map(|i| i.name.as_str()).collect();
            Err(bad_input(format!(
                "{}: no interaction named \"{name}\"{place}; {}",
                file.display(),
                if names.is_empty() {
                    "there are none".to_string()
                } else {
                    format!("there are: {}", some_names(&names))
                }
            )))
        }
        many => Err(bad_input(format!(
            "{}: {} interactions are named \"{name}\"{place} (in dialogs {}); name one by its id: {}",
            file.display(),
            many.len(),
            many.iter()
                .map(|i| format!("\"{}\"", dialog_name(doc, &i.dialog_id)))
                .collect::<Vec<_>>()
                .join(", "),
            many.iter()
                .map(|i| i.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// Applies the recommended delay to the integration at `index` and says what it did, one
/// line each: `interaction X: 0 → 4000 ms`.
fn delay_changes(doc: &mut BotDocument, index: usize, sidecar: &Sidecar) -> Vec<String> {
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

/// Prints the integrations of a bot, one a line.
pub fn print_integrations(file: &Path) -> Result<i32, Failure> {
    let (doc, sidecar) = open(file)?;
    println!("{} — bot \"{}\"", file.display(), doc.bot_name());
    let diagnostics = rules::validate_bot(&doc, &sidecar);
    for i in doc.integrations() {
        let count = |s| {
            diagnostics
                .iter()
                .filter(|d| d.integration.as_deref() == Some(&i.name) && d.severity == s)
                .count()
        };
        println!(
            "  {:<30} {:<28} {} errors, {} warnings",
            i.name,
            i.kind.label(),
            count(Severity::Error),
            count(Severity::Warning)
        );
    }
    Ok(EXIT_OK)
}
