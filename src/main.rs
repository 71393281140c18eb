use std::io::Write;

use clap::Parser;

use escalator::cli::{self, Cli, Failure};

fn main() {
    let args = Cli::parse();
    let result = match (args.command, args.file) {
        (Some(command), _) => cli::run_command(command),
        (None, file) => file
            .map_or_else(escalator::assets::default_bot_path, Ok)
            .and_then(|path| {
                escalator::tui::run(
                    &path,
                    escalator::tui::Exit {
                        after_first_frame: args.exit_after_first_frame,
                        after_check: args.exit_after_check,
                    },
                )
            })
            .map(|ending| match ending {
                escalator::tui::Ending::Quit => cli::EXIT_OK,
                escalator::tui::Ending::Signal(sig) => 128 + sig,
            })
            .map_err(|message| Failure {
                code: cli::EXIT_BAD_INPUT,
                message,
            }),
    };
    match result {
        Ok(code) => std::process::exit(code),
        Err(failure) => {
            // stderr may be a terminal that is gone: never panic on the way out.
            let _ = writeln!(std::io::stderr(), "error: {}", failure.message);
            std::process::exit(failure.code);
        }
    }
}
