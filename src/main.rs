use clap::Parser;

use escalator::cli::{self, Cli};

fn main() {
    let args = Cli::parse();
    let result = match (args.command, args.file) {
        (Some(command), _) => cli::run_command(command),
        (None, Some(file)) => cli::print_integrations(&file),
        (None, None) => escalator::assets::default_bot_path()
            .map_err(|message| cli::Failure {
                code: cli::EXIT_BAD_INPUT,
                message,
            })
            .and_then(|path| cli::print_integrations(&path)),
    };
    match result {
        Ok(code) => std::process::exit(code),
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            std::process::exit(failure.code);
        }
    }
}
