//! The command line: the editor, and the headless commands for scripts and CI, one file a
//! command, all printing through [`output`].
//!
//! It builds on every layer below and does not import the editor (`tui`).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::bot::dialogs;

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

mod account;
mod convert;
mod failure_dialog;
mod gen_bot;
mod new;
mod open;
pub mod output;
mod preview;
mod report;
mod script_test;
mod set;
mod simulate;
mod validate;

pub use output::print_line;
pub use preview::{preview_json, transfer_preview_json};
pub use validate::print_integrations;

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
    /// Plain line-by-line prompts instead of the full-screen form, for screen readers (also
    /// ESCALATOR_ACCESSIBLE=1).
    #[arg(long)]
    pub accessible: bool,
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

/// How `validate` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Report {
    /// One line a diagnostic (`file:line:column: …`) and a summary.
    Text,
    /// A JSON array of the diagnostics.
    Json,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// A SARIF 2.1.0 log for code-scanning tools.
    Sarif,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The editor's config file: where it is, a commented example, a check of yours.
    ///
    /// Example: escalator config --example > ~/.config/escalator/config.toml
    #[command(group = clap::ArgGroup::new("what").args(["example", "check", "path"]))]
    Config {
        /// Print a config with every setting, commented out, at its built-in value.
        #[arg(long)]
        example: bool,
        /// Read the config and say what is wrong in it (exit 1 when something is).
        #[arg(long)]
        check: bool,
        /// Print where the config file is read from.
        #[arg(long)]
        path: bool,
    },
    /// Create a new bot export from the template.
    ///
    /// Example: escalator new support-bot.json --name "Support bot"
    New {
        file: PathBuf,
        /// The bot's name.
        #[arg(long)]
        name: Option<String>,
    },
    /// Check bot exports against the integration rules.
    ///
    /// Example: escalator validate --strict bots/*.json
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Report::Text)]
        format: Report,
        /// Fail (exit 1) on warnings too, not only on errors.
        #[arg(long)]
        strict: bool,
        /// Print only the summary line (text and github formats: the diagnostics are not
        /// printed).
        #[arg(long)]
        quiet: bool,
    },
    /// Print the transfer request body and recommended interaction delay of an integration
    /// or of an Agent Transfer interaction.
    ///
    /// Example: escalator preview bot.json --integration AgentEscalation --context skillId=12
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
    ///
    /// Example: escalator simulate bot.json --integration AgentEscalation --failures 2
    Simulate(simulate::SimulateArgs),
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
    ///
    /// Example: escalator script-test bot.json --integration GetOrders --result sample.json
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
    ///
    /// Example: escalator set bot.json --integration AgentEscalation skill_id=12 agent_id=
    Set(set::SetArgs),
    /// Turn an Integration interaction into an Agent Transfer interaction or back (by its
    /// type), or add an Agent Transfer interaction built from an integration to a dialog;
    /// save in place.
    ///
    /// Example: escalator convert bot.json --interaction agent_escalation
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
    /// Print the shell completion script for bash, zsh, fish or powershell.
    ///
    /// Example: source <(escalator completions bash)
    Completions { shell: clap_complete::Shell },
    /// Print the manual page (roff), for man.
    ///
    /// Example: escalator man --dir ~/.local/share/man/man1 && man escalator-validate
    Man {
        /// Write escalator.1 and a page for each command (escalator-validate.1, …) into
        /// this folder instead of printing escalator.1.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// The account's skills and users: pull them from LivePerson, import them, show them.
    ///
    /// Example: LP_BEARER_TOKEN=… escalator account pull --account 12345678
    #[command(subcommand)]
    Account(account::AccountCommand),
    /// Add a dialog that catches __agent_escalation_failed__ and apologises; save in place.
    ///
    /// Example: escalator add-failure-dialog bot.json --message "Sorry, no one is free now."
    AddFailureDialog {
        file: PathBuf,
        /// The text the bot sends when a transfer fails.
        #[arg(long, default_value = dialogs::DEFAULT_APOLOGY)]
        message: String,
    },
}

/// Writes generated text (a completion script, the manual page) as it is: it is the program's
/// own, with nothing from a file in it. A closed output ends it quietly.
/// The command line as users see it: without the hidden commands and options (the script
/// worker, the benchmarks' generator and timers), for completions and manual pages.
fn public_command() -> clap::Command {
    use clap::CommandFactory;
    let full = Cli::command();
    let mut public = clap::Command::new("escalator")
        .bin_name("escalator")
        .disable_help_subcommand(true)
        .version(env!("CARGO_PKG_VERSION"))
        .about(full.get_about().cloned().unwrap_or_default())
        .args(full.get_arguments().filter(|a| !a.is_hide_set()).cloned())
        .subcommands(full.get_subcommands().filter(|c| !c.is_hide_set()).cloned());
    if let Some(long) = full.get_long_about() {
        public = public.long_about(long.clone());
    }
    if let Some(after) = full.get_after_help() {
        public = public.after_help(after.clone());
    }
    public
}

/// escalator(1): the command line, then what the environment and the files do.
fn man_page(out: &mut Vec<u8>) -> std::io::Result<()> {
    use std::io::Write;
    clap_mangen::Man::new(public_command()).render(out)?;
    let environment: &[(&str, &str)] = &[
        (
            "ESCALATOR_CONFIG",
            "The config file to read instead of config.toml in the config folder (escalator config --example prints one).",
        ),
        (
            "ESCALATOR_ACCESSIBLE",
            "Set to 1: the editor asks line by line, as with --accessible.",
        ),
        (
            "NO_COLOR",
            "Set and not empty: no colours, whatever the theme says.",
        ),
        (
            "XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_STATE_HOME",
            "Where the config, the default bot and the account lists, and the journals of unsaved edits live.",
        ),
        (
            "VISUAL, EDITOR",
            "The editor Ctrl-X Ctrl-E opens a long field in.",
        ),
        (
            "LP_BEARER_TOKEN",
            "The token escalator account pull sends to LivePerson (never printed or kept).",
        ),
        (
            "ESCALATOR_DOMAIN_API, ESCALATOR_HTTP_TIMEOUT",
            "The Domain API to ask (for tests and proxies), and the seconds each request may take.",
        ),
        (
            "ESCALATOR_LOCK_WAIT",
            "The seconds a command waits for another writer of the same export (default 10).",
        ),
    ];
    let files: &[(&str, &str)] = &[
        (
            "~/.config/escalator/config.toml",
            "The editor's keys, colours and defaults.",
        ),
        (
            "FILE.escalator.json",
            "escalator's settings for the bot FILE: sample values, its account, message counts.",
        ),
        ("FILE.bak", "The version of FILE before the last save."),
        (
            "~/.local/state/escalator/",
            "Journals of unsaved edits, offered when the file is opened again.",
        ),
        (
            "~/.local/share/escalator/",
            "The default bot, and the accounts' skills and users.",
        ),
    ];
    let escape = |s: &str| s.replace('\\', "\\e").replace('-', "\\-");
    for (title, items) in [("ENVIRONMENT", environment), ("FILES", files)] {
        writeln!(out, ".SH {title}")?;
        for (name, what) in items {
            writeln!(out, ".TP\n\\fB{}\\fR\n{}", escape(name), escape(what))?;
        }
    }
    Ok(())
}

fn write_out(bytes: &[u8]) -> Result<i32, Failure> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(EXIT_OK),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(EXIT_OK),
        Err(e) => Err(bad_input(format!("cannot write: {e}"))),
    }
}

/// When the first word of the command line is no file and no command but close to a command's
/// name ("valdiate"), what to say: clap would take it for the file to open.
pub fn command_typo(first: &std::ffi::OsStr) -> Option<String> {
    use clap::CommandFactory;
    let word = first.to_str()?;
    if word.starts_with('-') || std::path::Path::new(word).exists() {
        return None;
    }
    let cli = Cli::command();
    let names: Vec<String> = cli
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name().to_string())
        .collect();
    if names.iter().any(|n| n == word) {
        return None;
    }
    let (best, distance) = names
        .iter()
        .map(|n| (n, edit_distance(word, n)))
        .min_by_key(|(_, d)| *d)?;
    (distance > 0 && distance <= (best.len() / 3).max(1)).then(|| {
        format!("no file or command '{word}'; did you mean '{best}'? (escalator --help lists the commands)")
    })
}

/// How many characters must be inserted, taken out or changed to make `a` into `b`.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut last = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (last + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(here + 1);
            last = here;
        }
    }
    row[b.len()]
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
        Command::New { file, name } => new::run(&file, name.as_deref()),
        // The editor's own: main runs it (the editor's config module).
        Command::Config { .. } => Err(Failure {
            code: EXIT_BAD_INPUT,
            message: "escalator config is run by the escalator program itself".into(),
        }),
        Command::Validate {
            files,
            format,
            strict,
            quiet,
        } => Ok(validate::validate_files(
            &files,
            format,
            validate::Options { strict, quiet },
        )),
        Command::Preview {
            file,
            integration,
            interaction,
            context,
        } => preview::run(&file, integration, interaction, &context),
        Command::Simulate(args) => simulate::run(args),
        Command::ScriptWorker => Ok(crate::runtime::script::worker_main()),
        Command::GenBot {
            file,
            integrations,
            seed,
        } => gen_bot::run(&file, integrations, seed),
        Command::ScriptTest {
            file,
            integration,
            result,
            context,
            format,
        } => script_test::script_test(&file, &integration, result.as_deref(), &context, format),
        Command::Set(args) => set::run(args),
        Command::Account(command) => account::run(command),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut public_command(), "escalator", &mut out);
            write_out(&out)
        }
        Command::Man { dir: Some(dir) } => {
            let written = std::fs::create_dir_all(&dir)
                .and_then(|()| clap_mangen::generate_to(public_command(), &dir))
                .and_then(|()| {
                    // The top page with the environment and files, over the plain one.
                    let mut page = Vec::new();
                    man_page(&mut page)?;
                    std::fs::write(dir.join("escalator.1"), page)
                });
            match written {
                Ok(()) => {
                    print_line(
                        &format!("Wrote the manual pages into {}", dir.display()),
                        false,
                    );
                    Ok(EXIT_OK)
                }
                Err(e) => Err(bad_input(format!(
                    "{}: cannot write the pages: {e}",
                    dir.display()
                ))),
            }
        }
        Command::Man { dir: None } => {
            let mut out = Vec::new();
            man_page(&mut out).map_err(|e| bad_input(format!("man: {e}")))?;
            write_out(&out)
        }
        Command::AddFailureDialog { file, message } => {
            failure_dialog::add_failure_dialog(&file, &message)
        }
        Command::Convert {
            file,
            interaction,
            integration,
            dialog,
            after,
        } => match (interaction, integration, dialog) {
            (Some(name), _, _) => convert::convert_interaction(&file, &name),
            (None, Some(integration), Some(dialog)) => {
                convert::add_transfer(&file, &integration, &dialog, after.as_deref())
            }
            _ => Err(bad_input(
                "name --interaction NAME, or --integration NAME with --dialog DIALOG",
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances_count_inserts_removals_and_changes() {
        assert_eq!(edit_distance("valdiate", "validate"), 2);
        assert_eq!(edit_distance("simulat", "simulate"), 1);
        assert_eq!(edit_distance("set", "set"), 0);
        assert_eq!(edit_distance("", "new"), 3);
    }
}
