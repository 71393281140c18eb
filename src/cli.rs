//! The command line: the editor, and the headless commands for scripts and CI.

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use serde_json::{Value, json};

use crate::agent_transfer::AgentTransfer;
use crate::assets;
use crate::bot::BotDocument;
use crate::delay;
use crate::dialogs;
use crate::integration::{Field, Integration};
use crate::sidecar::Sidecar;
use crate::simulate;
use crate::template::{self, SampleContext};
use crate::transfer;
use crate::validate::{self, Diagnostic, Severity};

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
    /// Print an integration's transfer request body and recommended interaction delay.
    Preview {
        file: PathBuf,
        #[arg(long)]
        integration: String,
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
    /// Change an integration's fields and save the file in place.
    Set {
        file: PathBuf,
        #[arg(long)]
        integration: String,
        /// Add a new LivePerson Agent Escalation integration named by --integration.
        #[arg(long)]
        create: bool,
        /// Keep a sample variable value for previews (escalator's settings file; repeatable).
        #[arg(long = "context", value_name = "KEY=VALUE")]
        context: Vec<String>,
        /// Hand-entered number of messages before the transfer, used while no interaction runs it.
        #[arg(long)]
        messages: Option<u32>,
        /// The agent connector's fallback skill id (escalator's settings file).
        #[arg(long)]
        fallback_skill_id: Option<String>,
        /// After the field edits, write the recommended interaction delay (messages ×
        /// per-message ms) into each Integration interaction that runs the integration.
        #[arg(long)]
        apply_delay: bool,
        /// name, response_data_variable, integration_type, skill_name, skill_id, agent_id,
        /// transfer_bot_context, message, transform_script, custom_data.KEY
        #[arg(value_name = "FIELD=VALUE")]
        assignments: Vec<String>,
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
                assets::create_bot(&file, assets::NEW_BOT, name.as_deref()).map_err(bad_input)?;
            println!("created {} (bot \"{}\")", file.display(), doc.bot_name());
            Ok(EXIT_OK)
        }
        Command::Validate { files, format } => Ok(validate_files(&files, format)),
        Command::Preview {
            file,
            integration,
            context,
        } => {
            let (doc, sidecar) = open(&file)?;
            let found = find(&doc, &file, &integration)?;
            let mut samples = sidecar.context.clone();
            samples.extend(parse_context(&context)?);
            println!("{}", preview_json(&doc, &found, &sidecar, &samples));
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
                    let found = find(&doc, &file, &name)?;
                    if !found.is_escalation() {
                        return Err(bad_input(format!(
                            "{}: \"{}\" is a {} integration; only LivePerson Agent Escalation integrations transfer",
                            file.display(),
                            found.name,
                            found.kind.label()
                        )));
                    }
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
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&timeline).unwrap_or_default()
                ),
            }
            Ok(EXIT_OK)
        }
        Command::Set {
            file,
            integration,
            create,
            context,
            messages,
            fallback_skill_id,
            apply_delay,
            assignments,
        } => set(SetRequest {
            file: &file,
            integration: &integration,
            create,
            context: &context,
            messages,
            fallback_skill_id,
            apply_delay,
            assignments: &assignments,
        }),
        Command::AddFailureDialog { file, message } => add_failure_dialog(&file, &message),
    }
}

fn add_failure_dialog(file: &Path, message: &str) -> Result<i32, Failure> {
    let mut doc = BotDocument::load(file).map_err(|e| bad_input(e.to_string()))?;
    let added = doc
        .add_failure_dialog(message)
        .map_err(|e| bad_input(format!("{}: {e}", file.display())))?;
    doc.save(file).map_err(|e| bad_input(e.to_string()))?;
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

/// Loads a bot and its escalator settings.
pub fn open(file: &Path) -> Result<(BotDocument, Sidecar), Failure> {
    let doc = BotDocument::load(file).map_err(|e| bad_input(e.to_string()))?;
    let sidecar = Sidecar::load(file).map_err(|e| bad_input(e.to_string()))?;
    Ok((doc, sidecar))
}

fn find(doc: &BotDocument, file: &Path, name: &str) -> Result<Integration, Failure> {
    doc.find_integration(name).ok_or_else(|| {
        let names: Vec<String> = doc.integrations().into_iter().map(|i| i.name).collect();
        bad_input(format!(
            "{}: no integration named \"{name}\"; {}",
            file.display(),
            if names.is_empty() {
                "the bot has none (add one with: escalator set FILE --integration NAME --create)"
                    .to_string()
            } else {
                format!("it has: {}", names.join(", "))
            }
        ))
    })
}

/// The Agent Transfer interaction named `name`.
fn find_transfer(doc: &BotDocument, file: &Path, name: &str) -> Result<AgentTransfer, Failure> {
    let all = doc.agent_transfers();
    all.iter()
        .find(|t| t.name == name)
        .or_else(|| all.iter().find(|t| t.name.eq_ignore_ascii_case(name)))
        .cloned()
        .ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|t| t.name.as_str()).collect();
            bad_input(format!(
                "{}: no Agent Transfer interaction named \"{name}\"; {}",
                file.display(),
                if names.is_empty() {
                    "the bot has none".to_string()
                } else {
                    format!("it has: {}", names.join(", "))
                }
            ))
        })
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
    serde_json::to_string_pretty(&value).unwrap_or_default()
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
    let mut code = EXIT_OK;
    let mut json_out = Vec::new();
    for file in files {
        let (doc, sidecar) = match open(file) {
            Ok(loaded) => loaded,
            Err(f) => {
                eprintln!("error: {}", f.message);
                code = EXIT_BAD_INPUT;
                continue;
            }
        };
        let diagnostics = validate::validate_bot(&doc, &sidecar);
        if diagnostics.iter().any(|d| d.severity == Severity::Error) && code == EXIT_OK {
            code = EXIT_INVALID;
        }
        match format {
            Format::Text => {
                for d in &diagnostics {
                    println!("{}", diagnostic_line(file, d));
                }
            }
            Format::Json => json_out.extend(diagnostics.iter().map(|d| diagnostic_json(file, d))),
        }
    }
    if format == Format::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json_out).unwrap_or_default()
        );
    }
    code
}

struct SetRequest<'a> {
    file: &'a Path,
    integration: &'a str,
    create: bool,
    context: &'a [String],
    messages: Option<u32>,
    fallback_skill_id: Option<String>,
    apply_delay: bool,
    assignments: &'a [String],
}

fn set(req: SetRequest) -> Result<i32, Failure> {
    let (mut doc, mut sidecar) = open(req.file)?;
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
        if doc.find_integration(req.integration).is_some() {
            return Err(bad_input(format!(
                "{}: an integration named \"{}\" already exists; leave out --create to edit it",
                req.file.display(),
                req.integration
            )));
        }
        doc.add_escalation(req.integration)
    } else {
        find(&doc, req.file, req.integration)?.index
    };
    for (field, value) in &edits {
        let result = match field {
            Ok(field) => doc.set_field(index, *field, value),
            Err(key) => doc.set_custom_data_key(index, key, value),
        };
        result.map_err(|e| bad_input(format!("{}: {e}", req.file.display())))?;
    }
    let before = sidecar.clone();
    sidecar.context.extend(parse_context(req.context)?);
    let name = doc.integration(index).map(|i| i.name).unwrap_or_default();
    if let Some(n) = req.messages {
        sidecar.message_counts.insert(name.clone(), n);
    }
    if let Some(id) = req.fallback_skill_id {
        sidecar.fallback_skill_id = Some(id).filter(|s| !s.trim().is_empty());
    }
    let delay_lines = if req.apply_delay {
        delay_changes(&mut doc, index, &sidecar)
    } else {
        vec![]
    };
    if doc.is_modified() {
        doc.save(req.file).map_err(|e| bad_input(e.to_string()))?;
    }
    if sidecar != before {
        sidecar
            .save(req.file)
            .map_err(|e| bad_input(e.to_string()))?;
    }
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

/// Applies the recommended delay to the integration at `index` and says what it did, one
/// line each: `interaction X: 0 → 4000 ms`.
fn delay_changes(doc: &mut BotDocument, index: usize, sidecar: &Sidecar) -> Vec<String> {
    let changes = doc.apply_recommended_delay(index, sidecar.per_message_ms());
    if !changes.is_empty() {
        return changes
            .into_iter()
            .map(|(name, old, new)| {
                let old = old.map_or_else(|| "none".to_string(), |ms| ms.to_string());
                format!("interaction {name}: {old} → {new} ms")
            })
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
    let diagnostics = validate::validate_bot(&doc, &sidecar);
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
