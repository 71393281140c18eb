//! `escalator convert`: an Integration interaction to an Agent Transfer interaction or back,
//! or an escalation placed in a dialog as a new Agent Transfer interaction.

use std::path::Path;

use super::open::{dialog_name, find, find_dialog, find_interaction, open_for_writing};
use super::{EXIT_OK, Failure, bad_input};
use crate::bot::edit::{Edit, Made};
use crate::bot::integration::Field;
use crate::bot::keys;
use crate::runtime::delay;

/// `escalator convert --interaction`: an Integration interaction becomes an Agent Transfer
/// interaction, or an Agent Transfer interaction an Integration interaction.
pub(super) fn convert_interaction(file: &Path, name: &str) -> Result<i32, Failure> {
    let (lock, mut doc, _) = open_for_writing(file)?;
    let interaction = find_interaction(&doc, file, name, None)?;
    let dialog = dialog_name(&doc, &interaction.dialog_id);
    let refused = |e: crate::bot::edit::EditError| bad_input(format!("{}: {e}", file.display()));
    let line = match interaction.kind.as_str() {
        keys::IT_ESCALATION => {
            let responder = match doc
                .apply(Edit::ToIntegration {
                    interaction: interaction.index,
                })
                .map_err(refused)?
                .made
            {
                Made::IntegrationRunBy { integration, .. } => integration,
                _ => return Err(bad_input("the new integration could not be read back")),
            };
            let integration = doc
                .integration(responder)
                .ok_or_else(|| bad_input("the new integration could not be read back"))?;
            format!(
                "the Agent Transfer interaction \"{}\" in dialog \"{dialog}\" is now an Integration interaction running the new LivePerson Agent Escalation integration \"{}\" (skill name \"{}\", skill id \"{}\")",
                interaction.name,
                integration.name,
                integration.escalation.skill_name,
                integration.escalation.skill_id
            )
        }
        _ => {
            let integration = doc.integration_run_by(&interaction);
            doc.apply(Edit::ToTransfer {
                interaction: interaction.index,
            })
            .map_err(refused)?;
            let integration = integration
                .ok_or_else(|| bad_input("the converted interaction ran no integration"))?;
            let still = doc
                .interactions()
                .iter()
                .filter(|i| i.runs(&integration))
                .count();
            let delay = interaction.delay_ms.map_or_else(
                || "no interaction delay".to_string(),
                |ms| format!("interaction delay {ms} ms kept"),
            );
            format!(
                "the Integration interaction \"{}\" in dialog \"{dialog}\" is now an Agent Transfer interaction with the settings of \"{}\" ({delay}); the integration \"{}\" stays in the bot's integrations, {}",
                interaction.name,
                integration.name,
                integration.name,
                match still {
                    0 => "run by no interaction now".to_string(),
                    1 => "still run by 1 other interaction".to_string(),
                    n => format!("still run by {n} other interactions"),
                }
            )
        }
    };
    doc.save_locked(file, &lock)
        .map_err(|e| bad_input(e.to_string()))?;
    println!("{}: {line}", file.display());
    Ok(EXIT_OK)
}

/// `escalator convert --integration --dialog`: adds an Agent Transfer interaction with an
/// integration's settings to a dialog, with the recommended interaction delay.
pub(super) fn add_transfer(
    file: &Path,
    integration: &str,
    dialog: &str,
    after: Option<&str>,
) -> Result<i32, Failure> {
    let (lock, mut doc, sidecar) = open_for_writing(file)?;
    let found = find(&doc, file, integration)?;
    if !found.is_escalation() {
        return Err(bad_input(format!(
            "{}: \"{}\" is not a LivePerson Agent Escalation integration (its type is {}); an Agent Transfer interaction takes its settings from one",
            file.display(),
            found.name,
            found.kind.label()
        )));
    }
    let target = find_dialog(&doc, file, dialog)?;
    let after = match after {
        Some(name) => Some(find_interaction(&doc, file, name, Some(&target))?),
        None => None,
    };
    let index = match doc
        .apply(Edit::AddTransfer {
            dialog_id: target.id.clone(),
            after: after.as_ref().map(|a| a.id.clone()),
            escalation: found.escalation.clone(),
        })
        .map_err(|e| bad_input(format!("{}: {e}", file.display())))?
        .made
    {
        Made::Interaction(index) => index,
        _ => return Err(bad_input("the new interaction could not be read back")),
    };
    let interactions = doc.interactions();
    let added = interactions
        .iter()
        .find(|i| i.index == index)
        .cloned()
        .ok_or_else(|| bad_input("the new interaction could not be read back"))?;
    let messages = delay::messages_before(&interactions, &added);
    let per = sidecar.per_message_ms();
    let recommended = delay::recommended_ms(messages, per);
    if recommended > 0 {
        doc.apply(Edit::TransferField {
            interaction: index,
            field: Field::InteractionDelay,
            value: recommended.to_string(),
        })
        .map_err(|e| bad_input(format!("{}: {e}", file.display())))?;
    }
    doc.save_locked(file, &lock)
        .map_err(|e| bad_input(e.to_string()))?;
    let place = match interactions.iter().find(|i| i.id == added.prev) {
        Some(prev) => format!("after \"{}\"", prev.name),
        None => "as its first interaction".to_string(),
    };
    let delay = if recommended == 0 {
        "no interaction delay (no message goes out before it)".to_string()
    } else {
        format!(
            "interaction delay {recommended} ms ({messages} {} × {per} ms)",
            if messages == 1 { "message" } else { "messages" }
        )
    };
    println!(
        "{}: added the Agent Transfer interaction \"{}\" to dialog \"{}\" {place}, with the settings of \"{}\"; {delay}",
        file.display(),
        added.name,
        target.name,
        found.name,
    );
    Ok(EXIT_OK)
}
