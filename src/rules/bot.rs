//! The bot as a whole: every Integration interaction runs an integration the bot has; no
//! interaction waits longer than Conversation Builder takes; and, from the product page, "If
//! you don't have a dialog set up to catch this pattern, the bot will treat it like any other
//! consumer message. In most cases, it will go to the Fallback dialog."

use std::collections::HashMap;

use super::{BotFacts, Diagnostic, Place, Severity};
use crate::bot::integration::Integration;
use crate::bot::keys;
use crate::bot::read::Interaction;
use crate::runtime::delay;

/// The bot-level rules: every Integration interaction's reference, then the rest.
pub fn bot_rules(facts: &BotFacts, integrations: &[Integration]) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = references(facts, integrations)
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    out.extend(whole_bot_rules(facts, integrations));
    out
}

/// The bot-level rules other than the references: interactions that wait too long, and the
/// dialog that catches failed transfers.
pub(super) fn whole_bot_rules(facts: &BotFacts, integrations: &[Integration]) -> Vec<Diagnostic> {
    let escalates = integrations.iter().any(Integration::is_escalation)
        || facts
            .index
            .all()
            .iter()
            .any(|i| i.kind == keys::IT_ESCALATION);
    let mut out = Vec::new();
    if escalates
        && let Some(id) = &facts.sidecar.account
        && facts.sidecar.kept_account.is_none()
    {
        out.push(Diagnostic {
            integration: None,
            field: None,
            severity: Severity::Hint,
            message: match &facts.sidecar.account_problem {
                Some(why) => format!(
                    "the bot's account {id}: its kept lists cannot be read ({why}); its skills and agents are not checked"
                ),
                None => format!(
                    "the bot's account {id} is not kept here: its skills and agents are not checked"
                ),
            },
            fix: format!(
                "escalator account pull --account {id} (or account import --account {id} FILE…)"
            ),
            remedy: None,
            place: None,
        });
    }
    // Any other interaction's delay over Conversation Builder's limit (Integration and Agent
    // Transfer interactions are checked with their integration or transfer).
    for i in facts.index.all() {
        if let Some(ms) = i.delay_ms
            && ms > delay::MAX_DELAY_MS
            && i.kind != keys::IT_API_INTEGRATION
            && i.kind != keys::IT_ESCALATION
        {
            out.push(Diagnostic {
                integration: None,
                field: None,
                severity: Severity::Error,
                message: format!(
                    "the interaction \"{}\" waits {ms} ms; Conversation Builder takes at most {} ms",
                    i.name,
                    delay::MAX_DELAY_MS
                ),
                fix: format!("set its interaction delay to at most {} ms", delay::MAX_DELAY_MS),
                remedy: None,
                place: Some(Place::Interaction(i.index)),
            });
        }
    }
    if escalates && !facts.has_failure_dialog {
        // Spec: "If you don't have a dialog set up to catch this pattern, ... it will go to
        // the Fallback dialog."
        out.push(Diagnostic {
            integration: None,
            field: None,
            severity: Severity::Warning,
            message: format!(
                "no dialog catches {}: failed transfers would land in the Fallback dialog",
                keys::ESCALATION_FAILED_MESSAGE
            ),
            fix: format!(
                "add a dialog whose starter pattern is {} and apologise there",
                keys::ESCALATION_FAILED_MESSAGE
            ),
            remedy: Some(super::Remedy::AddFailureDialog),
            place: None,
        });
    }
    out
}

/// Every Integration interaction runs an integration the bot has, named as it is: one that
/// points at nothing (its integration deleted) or whose name and id disagree would fail at
/// runtime after Conversation Builder imported it. Each problem with the interaction's place.
pub(super) fn references(
    facts: &BotFacts,
    integrations: &[Integration],
) -> Vec<(usize, Diagnostic)> {
    let by_id: HashMap<&str, &Integration> = integrations
        .iter()
        .filter(|i| !i.id.is_empty())
        .map(|i| (i.id.as_str(), i))
        .collect();
    facts
        .index
        .all()
        .iter()
        .filter_map(|interaction| {
            let runs = by_id.get(interaction.responder_id.as_str()).copied();
            reference(facts, integrations, interaction, runs).map(|d| (interaction.index, d))
        })
        .collect()
}

/// [`references`] of one interaction; `runs` is the place of the integration with its
/// responder id (the last with that id, as [`references`] finds it).
pub(super) fn reference_of(
    facts: &BotFacts,
    integrations: &[Integration],
    interaction: &Interaction,
    runs: Option<usize>,
) -> Option<Diagnostic> {
    let runs = runs.and_then(|at| integrations.get(at));
    reference(facts, integrations, interaction, runs)
}

/// The problem with what `interaction` runs, if any; `runs` is the integration with its
/// responder id.
fn reference(
    facts: &BotFacts,
    integrations: &[Integration],
    interaction: &Interaction,
    runs: Option<&Integration>,
) -> Option<Diagnostic> {
    if interaction.kind != keys::IT_API_INTEGRATION {
        return None;
    }
    let (name, id) = (&interaction.responder_name, &interaction.responder_id);
    let has_name = |name: &str| {
        facts
            .name_stats
            .owners_of(name)
            .iter()
            .any(|&at| integrations.get(at).is_some_and(|i| i.name == name))
    };
    let (message, fix) = if !id.is_empty() {
        match runs {
            None => (
                format!(
                    "the Integration interaction \"{}\" runs an integration the bot does not have (id {id}{})",
                    interaction.name,
                    if name.is_empty() {
                        String::new()
                    } else {
                        format!(", once \"{name}\"")
                    }
                ),
                "point it at an existing integration, or delete the interaction".to_string(),
            ),
            Some(runs) if !name.is_empty() && *name != runs.name => (
                format!(
                    "the Integration interaction \"{}\" names \"{name}\" but its id is the integration \"{}\"",
                    interaction.name, runs.name
                ),
                format!("name \"{}\" in it, or point it at \"{name}\"", runs.name),
            ),
            Some(_) => return None,
        }
    } else if !name.is_empty() && !has_name(name) {
        (
            format!(
                "the Integration interaction \"{}\" runs \"{name}\", which the bot does not have",
                interaction.name
            ),
            "point it at an existing integration, or delete the interaction".to_string(),
        )
    } else {
        return None;
    };
    Some(Diagnostic {
        integration: None,
        field: None,
        severity: Severity::Error,
        message,
        fix,
        remedy: None,
        place: Some(Place::Interaction(interaction.index)),
    })
}
