use clap::Parser;

use escalator::cli::{self, Cli, Failure};

/// Large buffers (a long field's text, a bot's text for the journal) come from and go back to
/// the system directly: glibc otherwise raises this threshold once such a buffer is freed and
/// keeps the next ones in its heap, where a run of edits leaves the memory taken for good.
fn return_large_buffers_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt before any other thread runs, with constants glibc documents.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1024 * 1024);
    }
}

/// A headless command whose output is closed (`escalator validate F | head -1`) ends quietly,
/// as command-line tools do, instead of failing on its next write.
fn output_may_close() {
    #[cfg(unix)]
    // SAFETY: restores the default action of one signal, before any other thread runs.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() {
    return_large_buffers_to_the_system();
    if let Some(first) = std::env::args_os().nth(1)
        && let Some(message) = cli::command_typo(&first)
    {
        cli::print_line(&format!("error: {message}"), true);
        std::process::exit(cli::EXIT_BAD_INPUT);
    }
    let args = Cli::parse();
    let result = match (args.command, args.file) {
        // --check is what it does without --example or --path.
        (
            Some(cli::Command::Config {
                example,
                check: _,
                path,
            }),
            _,
        ) => Ok(escalator::tui::config::command(example, path)),
        (Some(command), _) => {
            output_may_close();
            cli::run_command(command)
        }
        (None, file) if args.accessible || escalator::tui::accessible::wanted_by_environment() => {
            file.map_or_else(escalator::workspace::shipped::default_bot_path, Ok)
                .and_then(|path| escalator::tui::accessible::run(&path))
                .map_err(|message| Failure {
                    code: cli::EXIT_BAD_INPUT,
                    message,
                })
        }
        (None, file) => file
            .map_or_else(escalator::workspace::shipped::default_bot_path, Ok)
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
            cli::print_line(&format!("error: {}", failure.message), true);
            std::process::exit(failure.code);
        }
    }
}
