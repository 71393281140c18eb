//! `escalator validate FILE…`: every diagnostic of each export, as lines or JSON.

use std::path::{Path, PathBuf};

use super::open::open;
use super::output::{diagnostic_json, diagnostic_line, json_text};
use super::{EXIT_BAD_INPUT, EXIT_INVALID, EXIT_OK, Failure, Report, report};
use crate::rules::{self, Severity};
use crate::workspace::sidecar::Sidecar;

/// How `validate` reports.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Options {
    /// Warnings fail the run too.
    pub strict: bool,
    /// Only the summary line.
    pub quiet: bool,
}

/// "3 files, 2 errors, 1 warning, 0 hints", and how many files could not be read.
fn summary(files: usize, counts: [usize; 3], unread: usize) -> String {
    let n = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}, {}, {}{}",
        n(files, "file"),
        n(counts[0], "error"),
        n(counts[1], "warning"),
        n(counts[2], "hint"),
        if unread == 0 {
            String::new()
        } else {
            format!(" ({unread} not read: see above)")
        }
    )
}

pub(super) fn validate_files(files: &[PathBuf], format: Report, options: Options) -> i32 {
    use std::io::Write;
    let mut code = EXIT_OK;
    // Errors, warnings, hints, over every file.
    let mut counts = [0usize; 3];
    // What the JSON and SARIF formats print at the end: diagnostics, files not checked.
    let (mut whole, mut failures) = (Vec::new(), Vec::new());
    let mut unread = 0;
    // One write for many lines (a large bot has thousands); a closed pipe ends the output,
    // not the check.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (at, file) in files.iter().enumerate() {
        // Checking needs the rules' parts of the bot, not its tree; a file that does not read
        // that way is opened as a document, which says where and why.
        let bytes = crate::export::read_file(file).ok();
        let text = bytes.as_deref().and_then(report::text_of);
        // Where the items start is found beside the check (one pass over the text, on the
        // core the check leaves to the scripts), when the output names places.
        let quiet = options.quiet && matches!(format, Report::Text | Report::Github);
        let (checked, starts) = std::thread::scope(|scope| {
            let starts = text.filter(|_| !quiet).map(|text| {
                scope.spawn(move || crate::export::ItemStarts::find(text, &report::LISTS))
            });
            let quick = bytes.as_deref().and_then(|bytes| {
                let sidecar = Sidecar::load(file).ok()?;
                rules::validate_bytes(bytes, &sidecar)
            });
            let checked = match quick {
                Some(diagnostics) => Ok(diagnostics),
                None => open(file).map(|(doc, sidecar)| {
                    let diagnostics = rules::validate_bot(&doc, &sidecar);
                    // After the last file the process ends: freeing a large bot piece by
                    // piece would only add to the wait; the system takes it back.
                    if at + 1 == files.len() {
                        std::mem::forget(doc);
                    }
                    diagnostics
                }),
            };
            (checked, starts.and_then(|s| s.join().ok().flatten()))
        });
        let diagnostics = match checked {
            Ok(diagnostics) => diagnostics,
            Err(f) => {
                match format {
                    Report::Github => {
                        let _ = writeln!(out, "{}", report::github_failure(file, &f.message));
                    }
                    Report::Sarif => failures.push(report::sarif_failure(file, &f.message)),
                    Report::Text | Report::Json => {}
                }
                let _ = out.flush();
                eprintln!("error: {}", f.message);
                code = EXIT_BAD_INPUT;
                unread += 1;
                continue;
            }
        };
        for d in &diagnostics {
            counts[match d.severity {
                Severity::Error => 0,
                Severity::Warning => 1,
                Severity::Hint => 2,
            }] += 1;
        }
        let fails = |d: &rules::Diagnostic| {
            d.severity == Severity::Error || (options.strict && d.severity == Severity::Warning)
        };
        if diagnostics.iter().any(fails) && code == EXIT_OK {
            code = EXIT_INVALID;
        }
        if quiet {
            continue;
        }
        let places = report::places(text, starts.as_ref(), &diagnostics);
        let each = diagnostics.iter().zip(places);
        match format {
            Report::Text => {
                for (d, at) in each {
                    let line = diagnostic_line(file, d, at);
                    let line = crate::export::shown::for_terminal(&line, false);
                    let _ = writeln!(
                        out,
                        "{}",
                        crate::export::shown::cut(&line, super::output::LONGEST_LINE)
                    );
                }
            }
            Report::Github => {
                for (d, at) in each {
                    let _ = writeln!(out, "{}", report::github_line(file, d, at));
                }
            }
            Report::Json => whole.extend(each.map(|(d, at)| diagnostic_json(file, d, at))),
            Report::Sarif => whole.extend(each.map(|(d, at)| report::sarif_result(file, d, at))),
        }
    }
    match format {
        Report::Json => {
            let _ = writeln!(out, "{}", json_text(&whole));
        }
        Report::Sarif => {
            let _ = writeln!(out, "{}", json_text(&report::sarif_log(whole, failures)));
        }
        Report::Text | Report::Github => {
            let _ = writeln!(out, "{}", summary(files.len(), counts, unread));
        }
    }
    let _ = out.flush();
    code
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
