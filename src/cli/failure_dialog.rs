//! `escalator add-failure-dialog`: the dialog that catches `__agent_escalation_failed__`.

use std::path::Path;

use super::open::open_for_writing;
use super::{EXIT_OK, Failure, bad_input};
use crate::bot::edit::{Edit, Made};

pub(super) fn add_failure_dialog(file: &Path, message: &str) -> Result<i32, Failure> {
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
