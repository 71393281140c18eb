//! The transfer request body: what the platform posts to the Transfer API when the escalation
//! runs. A reconstruction from the legacy public form of that call, plus the agent id and the
//! bot-context flag.

use serde_json::{Map, Value, json};

use crate::bot::BotDocument;
use crate::bot::integration::{Escalation, Integration};
use crate::bot::template::{self, SampleContext};

/// The body as configured, placeholders kept.
pub fn configured_body(integration: &Integration) -> Value {
    body_of(&integration.escalation)
}

/// The body of any escalation's settings (an integration's or an Agent Transfer's).
pub fn body_of(e: &Escalation) -> Value {
    let mut body = Map::new();
    body.insert("userPlatformId".into(), json!("{$chatBotUserPlatformId}"));
    body.insert("chatBotId".into(), json!("{$chatBotId}"));
    body.insert("message".into(), json!(e.message));
    body.insert("conversationId".into(), json!("{$botContext.convId}"));
    body.insert("agentSkillName".into(), json!(e.skill_name));
    body.insert("agentSkillId".into(), json!(e.skill_id));
    if !e.agent_id.trim().is_empty() {
        body.insert("agentId".into(), json!(e.agent_id));
    }
    body.insert("tangoContextEnabled".into(), json!(e.transfer_bot_context));
    Value::Object(body)
}

/// The context the preview evaluates with: the bot's own id, then the user's samples.
pub fn preview_context(doc: &BotDocument, samples: &SampleContext) -> SampleContext {
    context_for(&doc.bot_id(), samples)
}

/// [`preview_context`] of the bot whose id is `bot_id`.
pub fn context_for(bot_id: &str, samples: &SampleContext) -> SampleContext {
    let mut context = SampleContext::new();
    if !bot_id.is_empty() {
        context.insert("chatBotId".into(), bot_id.to_string());
    }
    context.extend(samples.iter().map(|(k, v)| (k.clone(), v.clone())));
    context
}

/// The body with every variable the context knows replaced.
pub fn evaluated_body(integration: &Integration, context: &SampleContext) -> Value {
    evaluated_body_of(&integration.escalation, context)
}

/// [`evaluated_body`] of any escalation's settings.
pub fn evaluated_body_of(e: &Escalation, context: &SampleContext) -> Value {
    let mut body = body_of(e);
    if let Some(map) = body.as_object_mut() {
        for value in map.values_mut() {
            if let Value::String(s) = value {
                *s = template::evaluate(s, context);
            }
        }
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::integration::Escalation;

    fn esc() -> Integration {
        Integration {
            index: 0,
            id: "r".into(),
            name: "Esc".into(),
            response_data_variable: "Esc".into(),
            kind: crate::bot::integration::IntegrationKind::AgentEscalation,
            transform_script: String::new(),
            custom_data: vec![],
            escalation: Escalation {
                skill_name: "Sales".into(),
                skill_id: "{$botContext.skillId}".into(),
                agent_id: String::new(),
                transfer_bot_context: false,
                message: "Hi {$botContext.name}".into(),
            },
        }
    }

    #[test]
    fn body_keeps_the_legacy_shape_and_adds_agent_id_only_when_set() {
        let body = configured_body(&esc());
        let keys: Vec<_> = body.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "userPlatformId",
                "chatBotId",
                "message",
                "conversationId",
                "agentSkillName",
                "agentSkillId",
                "tangoContextEnabled"
            ]
        );
        let mut with_agent = esc();
        with_agent.escalation.agent_id = "123.456".into();
        assert_eq!(configured_body(&with_agent)["agentId"], "123.456");
    }

    #[test]
    fn evaluated_body_resolves_what_the_context_knows() {
        let mut ctx = SampleContext::new();
        ctx.insert("botContext.skillId".into(), "77".into());
        ctx.insert("botContext.name".into(), "Ann".into());
        let body = evaluated_body(&esc(), &ctx);
        assert_eq!(body["agentSkillId"], "77");
        assert_eq!(body["message"], "Hi Ann");
        assert_eq!(body["conversationId"], "{$botContext.convId}");
    }
}
