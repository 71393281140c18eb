use clap::Parser;

use escalator::cli::{self, Cli, Failure};

fn main() {
    let args = Cli::parse();
    let result = match (args.command, args.file) {
        (Some(command), _) => cli::run_command(command),
        (None, file) => file
            .map_or_else(escalator::assets::default_bot_path, Ok)
            .and_then(|path| escalator::tui::run(&path))
            .map(|()| cli::EXIT_OK)
            .map_err(|message| Failure {
                code: cli::EXIT_BAD_INPUT,
                message,
            }),
    };
    match result {
        Ok(code) => std::process::exit(code),
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            std::process::exit(failure.code);
        }
    }
}
