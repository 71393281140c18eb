//! The interaction delay before a transfer. Spec: "it's recommended that you add to the
//! Integration interaction an interaction delay that accounts for each response you need to
//! send. ... 3 messages x 2000 millisecond delay per message = an aggregate 6000 millisecond
//! delay".

use super::{BotFacts, Diagnostic, Place, Severity};
use crate::bot::agent_transfer::AgentTransfer;
use crate::bot::integration::{Field, Integration};
use crate::runtime::delay as runtime_delay;

/// An Agent Transfer interaction's own interaction delay, by the same measure.
pub(super) fn transfer_delay_rules(facts: &BotFacts, transfer: &AgentTransfer) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(interaction) = transfer.as_interaction(facts.index.all()) {
        let per = facts.sidecar.per_message_ms();
        let messages = facts.index.messages_before(interaction);
        let needed = runtime_delay::needed_ms(messages, per);
        let recommended = runtime_delay::recommended_ms(messages, per);
        let configured = transfer.delay_ms.unwrap_or(0);
        if configured > runtime_delay::MAX_DELAY_MS {
            out.push(
                Diagnostic::new(
                    Field::InteractionDelay,
                    Severity::Error,
                    format!(
                        "it waits {configured} ms; Conversation Builder takes at most {} ms",
                        runtime_delay::MAX_DELAY_MS
                    ),
                    format!("set its interaction delay to {recommended} ms"),
                )
                .remedied(super::Remedy::ApplyDelay),
            );
        } else if configured < recommended {
            out.push(Diagnostic::new(
                Field::InteractionDelay,
                Severity::Warning,
                format!(
                    "it waits {configured} ms; {messages} messages × {per} ms = {needed} ms recommended{}",
                    if needed > recommended {
                        format!(", at most {recommended} ms")
                    } else {
                        String::new()
                    }
                ),
                format!("set its interaction delay to {recommended} ms"),
            )
            .remedied(super::Remedy::ApplyDelay));
        }
        if needed > runtime_delay::MAX_DELAY_MS {
            out.push(over_the_limit(Field::InteractionDelay, messages, needed));
        }
    }
    out
}

/// Spec: "add to the Integration interaction an interaction delay that accounts for each
/// response you need to send."
pub(super) fn delay_rules(facts: &BotFacts, integration: &Integration) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for plan in facts.index.plans(integration, &facts.sidecar) {
        let Some((at, name, dialog)) = plan.interaction.as_ref() else {
            if plan.over_the_limit() {
                let needed = runtime_delay::needed_ms(plan.messages, plan.per_message_ms);
                let mut d = over_the_limit(Field::Name, plan.messages, needed);
                d.field = None;
                out.push(d);
            }
            continue;
        };
        let configured = plan.configured_ms.unwrap_or(0);
        if configured > runtime_delay::MAX_DELAY_MS {
            out.push(Diagnostic {
                integration: None,
                field: None,
                severity: Severity::Error,
                message: format!(
                    "the Integration interaction \"{name}\" in dialog \"{dialog}\" waits {configured} ms; Conversation Builder takes at most {} ms",
                    runtime_delay::MAX_DELAY_MS
                ),
                fix: format!("set its interaction delay to {} ms", plan.recommended_ms),
                remedy: Some(super::Remedy::ApplyDelay),
                place: Some(Place::Interaction(*at)),
            });
        } else if plan.is_short() {
            out.push(Diagnostic {
                integration: None,
                field: None,
                severity: Severity::Warning,
                message: format!(
                    "the Integration interaction \"{name}\" in dialog \"{dialog}\" waits {configured} ms; {} recommended",
                    plan.formula()
                ),
                fix: format!("set its interaction delay to {} ms", plan.recommended_ms),
                remedy: Some(super::Remedy::ApplyDelay),
                place: Some(Place::Interaction(*at)),
            });
        }
        if plan.over_the_limit() {
            let needed = runtime_delay::needed_ms(plan.messages, plan.per_message_ms);
            let mut d = over_the_limit(Field::Name, plan.messages, needed);
            d.field = None;
            d.message = format!("in dialog \"{dialog}\", \"{name}\": {}", d.message);
            d.place = Some(Place::Interaction(*at));
            out.push(d);
        }
    }
    out
}

/// The statements before a transfer need more delay than Conversation Builder takes.
pub(super) fn over_the_limit(field: Field, messages: u32, needed: u64) -> Diagnostic {
    Diagnostic::new(
        field,
        Severity::Warning,
        format!(
            "{messages} messages before the transfer need {needed} ms, more than the {} ms Conversation Builder takes: the last ones may arrive after the transfer",
            runtime_delay::MAX_DELAY_MS
        ),
        runtime_delay::OVER_THE_LIMIT_FIX.to_string(),
    )
}
