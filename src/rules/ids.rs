//! Agent Skill Id and Agent Id. Spec: "Here you can specify the ID using a bot context
//! variable like {$botContext.skillId}, or you can enter a direct, numeric value." and "Agent
//! Id: Optional. Used for bot-to-human transfers only."

use super::{BotFacts, Diagnostic, Severity};
use crate::bot::integration::{Escalation, Field};
use crate::bot::template;

/// Spec: "Here you can specify the ID using a bot context variable like
/// {$botContext.skillId}, or you can enter a direct, numeric value."
pub(super) fn skill_id_rules(facts: &BotFacts, value: &str) -> Vec<Diagnostic> {
    let trimmed = value.trim();
    if !trimmed.is_empty() && trimmed.chars().all(|c| c.is_ascii_digit()) {
        return vec![];
    }
    match template::sole_variable(trimmed) {
        Some(var) if var.is_skill_id_form() => {
            let raw = var.context_key();
            let (message, fix) = match template::lookup(&var, &facts.context) {
                Some(sample) if is_number(sample) => (
                    format!(
                        "{{${raw}}} is {sample} in the sample context: numeric, the transfer goes to skill {sample}"
                    ),
                    "none needed while the variable holds a number when the escalation runs",
                ),
                Some(sample) => (
                    format!(
                        "{{${raw}}} is \"{sample}\" in the sample context: not numeric, so the fallback message would be sent instead of a transfer"
                    ),
                    "make the variable hold the numeric skill id (and the sample value a number)",
                ),
                None => (
                    format!(
                        "{{${raw}}} is evaluated when the escalation runs; it must hold a number then"
                    ),
                    "set a sample value for the variable to check it",
                ),
            };
            vec![
                Diagnostic::new(Field::SkillId, Severity::Hint, message, fix)
                    .remedied(super::Remedy::SampleValues),
            ]
        }
        _ => vec![Diagnostic::new(
            Field::SkillId,
            Severity::Error,
            format!(
                "\"{trimmed}\" is neither a number nor a single variable: the fallback message would be sent instead of a transfer"
            ),
            "enter the numeric skill id, or one variable like {$botContext.skillId}, {$botContext.slot.x} or {$env.x}",
        )],
    }
}

pub(super) fn is_number(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

/// Spec: Agent Id is optional, for bot-to-human transfers; Transfer Bot Context is for
/// bot-to-bot transfers.
pub(super) fn agent_id_rules(escalation: &Escalation) -> Vec<Diagnostic> {
    let value = escalation.agent_id.trim();
    let mut out = Vec::new();
    if value.is_empty() {
        return out;
    }
    let messaging = value
        .split_once('.')
        .is_some_and(|(account, agent)| is_number(account) && is_number(agent));
    let variable = template::sole_variable(value).is_some_and(|v| v.is_skill_id_form());
    if !(messaging || is_number(value) || variable) {
        out.push(Diagnostic::new(
            Field::AgentId,
            Severity::Error,
            format!("\"{value}\" is not an agent id"),
            "use <accountId>.<agentId> for Messaging, the bare agent id for Live Chat, or a variable; or leave it empty",
        ));
    }
    if escalation.transfer_bot_context {
        out.push(Diagnostic::new(
            Field::AgentId,
            Severity::Warning,
            "Agent Id is for bot-to-human transfers but Transfer Bot Context is for bot-to-bot ones; both are set".into(),
            "clear Agent Id for a transfer to a bot, or untick Transfer Bot Context for a transfer to a person",
        ));
    }
    out
}
