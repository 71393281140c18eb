//! `escalator gen-bot FILE`: a large, realistic bot for benchmarks.

use std::path::Path;

use super::{EXIT_OK, Failure, bad_input};

/// Writes a generated bot of `integrations` integrations to `file`.
pub(super) fn run(file: &Path, integrations: usize, seed: u64) -> Result<i32, Failure> {
    let text = crate::bot::generate::bot(integrations, seed);
    crate::export::save::write_atomically(file, text.as_bytes())
        .map_err(|e| bad_input(e.to_string()))?;
    println!(
        "{}: {integrations} integrations, {} bytes",
        file.display(),
        text.len()
    );
    Ok(EXIT_OK)
}
