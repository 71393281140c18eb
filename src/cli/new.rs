//! `escalator new FILE`: a new bot export from the template.

use std::path::Path;

use super::{EXIT_OK, Failure, bad_input};
use crate::workspace::shipped;

/// Creates the bot at `file`, named `name`.
pub(super) fn run(file: &Path, name: Option<&str>) -> Result<i32, Failure> {
    let doc = shipped::create_bot(file, shipped::NEW_BOT, name).map_err(bad_input)?;
    println!("created {} (bot \"{}\")", file.display(), doc.bot_name());
    Ok(EXIT_OK)
}
