//! The interaction delay a transfer needs: one message's worth of time for every statement
//! the bot sends before it, so the messages arrive before the conversation moves.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::bot::BotDocument;
use crate::bot::read::Interaction;
use crate::integration::Integration;
use crate::sidecar::Sidecar;

/// Milliseconds per message, from the product page's best practice.
pub const PER_MESSAGE_MS: u64 = 2000;

/// Where a message count comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum CountSource {
    /// Counted in the dialog, back from the Integration interaction.
    Dialog,
    /// Entered by hand (no interaction runs the integration yet).
    HandEntered,
}

/// The delay computation for one Integration interaction (or the hand-entered count).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DelayPlan {
    pub messages: u32,
    pub per_message_ms: u64,
    pub recommended_ms: u64,
    /// The delay the interaction has now (`None`: no interaction, or none set).
    pub configured_ms: Option<u64>,
    #[serde(skip)]
    pub source: CountSource,
    /// The Integration interaction and its dialog, when one runs the integration.
    #[serde(skip)]
    pub interaction: Option<(usize, String, String)>,
}

impl DelayPlan {
    /// "3 messages × 2000 ms = 6000 ms"
    pub fn formula(&self) -> String {
        let noun = if self.messages == 1 {
            "message"
        } else {
            "messages"
        };
        format!(
            "{} {noun} × {} ms = {} ms",
            self.messages, self.per_message_ms, self.recommended_ms
        )
    }

    /// Whether the interaction waits less than recommended.
    pub fn is_short(&self) -> bool {
        self.interaction.is_some() && self.configured_ms.unwrap_or(0) < self.recommended_ms
    }
}

/// How many statements the bot sends before `start`: walking back along `prevMessageId`
/// to the last interaction that waits for the user.
pub fn messages_before(interactions: &[Interaction], start: &Interaction) -> u32 {
    let by_id: HashMap<&str, &Interaction> =
        interactions.iter().map(|i| (i.id.as_str(), i)).collect();
    let mut seen = HashSet::new();
    let mut count = 0;
    let mut current = start.prev.as_str();
    while let Some(step) = by_id.get(current) {
        if !seen.insert(current) || step.waits_for_user() {
            break;
        }
        if step.is_statement() {
            count += 1;
        }
        current = step.prev.as_str();
    }
    count
}

/// The delay plans of an integration: one per Integration interaction that runs it, or one
/// from the hand-entered count when none does.
pub fn plans(doc: &BotDocument, integration: &Integration, sidecar: &Sidecar) -> Vec<DelayPlan> {
    let interactions = doc.interactions();
    plans_with(doc, &interactions, integration, sidecar)
}

/// [`plans`], with the interactions already read.
pub fn plans_with(
    doc: &BotDocument,
    interactions: &[Interaction],
    integration: &Integration,
    sidecar: &Sidecar,
) -> Vec<DelayPlan> {
    let per = sidecar.per_message_ms();
    let dialogs = doc.dialogs();
    let dialog_name = |id: &str| {
        dialogs
            .iter()
            .find(|d| d.id == id)
            .map_or_else(|| id.to_string(), |d| d.name.clone())
    };
    let mut plans: Vec<DelayPlan> = interactions
        .iter()
        .filter(|i| i.runs(integration))
        .map(|i| {
            let messages = messages_before(interactions, i);
            DelayPlan {
                messages,
                per_message_ms: per,
                recommended_ms: u64::from(messages) * per,
                configured_ms: i.delay_ms,
                source: CountSource::Dialog,
                interaction: Some((i.index, i.name.clone(), dialog_name(&i.dialog_id))),
            }
        })
        .collect();
    if plans.is_empty() {
        let messages = sidecar
            .message_counts
            .get(&integration.name)
            .copied()
            .unwrap_or(0);
        plans.push(DelayPlan {
            messages,
            per_message_ms: per,
            recommended_ms: u64::from(messages) * per,
            configured_ms: None,
            source: CountSource::HandEntered,
            interaction: None,
        });
    }
    plans
}
