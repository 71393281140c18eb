//! `escalator preview`: the transfer request body of an escalation, configured and evaluated,
//! with its interaction delay, as JSON.

use std::path::Path;

use serde_json::json;

use super::open::{find_escalation, find_transfer, open, parse_context};
use super::output::{json_text, print_json};
use super::{EXIT_OK, Failure, bad_input};
use crate::bot::BotDocument;
use crate::bot::agent_transfer::AgentTransfer;
use crate::bot::integration::Integration;
use crate::bot::template::SampleContext;
use crate::runtime::{delay, transfer};
use crate::workspace::sidecar::Sidecar;

/// Prints the preview of the integration or the Agent Transfer interaction named.
pub(super) fn run(
    file: &Path,
    integration: Option<String>,
    interaction: Option<String>,
    context: &[String],
) -> Result<i32, Failure> {
    let (doc, sidecar) = open(file)?;
    let mut samples = sidecar.context.clone();
    samples.extend(parse_context(context)?);
    let json = match (integration, interaction) {
        (Some(name), _) => {
            let found = find_escalation(&doc, file, &name)?;
            preview_json(&doc, &found, &sidecar, &samples)
        }
        (None, Some(name)) => {
            let transfer = find_transfer(&doc, file, &name)?;
            transfer_preview_json(&doc, &transfer, &sidecar, &samples)
        }
        (None, None) => return Err(bad_input("name --integration or --interaction")),
    };
    print_json(&json);
    Ok(EXIT_OK)
}

/// The preview as printed by `escalator preview`.
pub fn preview_json(
    doc: &BotDocument,
    integration: &Integration,
    sidecar: &Sidecar,
    samples: &SampleContext,
) -> String {
    let context = transfer::preview_context(doc, samples);
    let plans = delay::plans(doc, integration, sidecar);
    let first = &plans[0];
    let value = json!({
        "body": transfer::configured_body(integration),
        "evaluatedBody": transfer::evaluated_body(integration, &context),
        "delay": {
            "messages": first.messages,
            "perMessageMs": first.per_message_ms,
            "recommendedMs": first.recommended_ms,
            "configuredMs": first.configured_ms,
        },
    });
    json_text(&value)
}

/// The preview of an Agent Transfer interaction, in the shape of [`preview_json`]: its body,
/// and the delay from the messages the bot sends before it.
pub fn transfer_preview_json(
    doc: &BotDocument,
    transfer: &AgentTransfer,
    sidecar: &Sidecar,
    samples: &SampleContext,
) -> String {
    let context = transfer::preview_context(doc, samples);
    let integration = transfer.as_integration();
    let interactions = doc.interactions();
    let messages = transfer
        .as_interaction(&interactions)
        .map_or(0, |i| delay::messages_before(&interactions, i));
    let per = sidecar.per_message_ms();
    let value = json!({
        "body": transfer::configured_body(&integration),
        "evaluatedBody": transfer::evaluated_body(&integration, &context),
        "delay": {
            "messages": messages,
            "perMessageMs": per,
            "recommendedMs": delay::recommended_ms(messages, per),
            "configuredMs": transfer.delay_ms,
        },
    });
    json_text(&value)
}
