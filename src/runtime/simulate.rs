//! What an escalation will do at runtime, as a timeline: the delay, the message, the skill id
//! evaluated, the transfer request, the 3-minute wait, the fallback skill, the failures and
//! the dialogs that answer them. Pure and deterministic: same inputs, same timeline.

use serde::Serialize;
use serde_json::Value;

use crate::bot::BotDocument;
use crate::bot::dialogs;
use crate::bot::integration::Escalation;
use crate::bot::keys;
use crate::bot::template::{self, SampleContext};
use crate::runtime::transfer;

/// How long the platform waits for the chat server before giving up on a transfer request.
pub const DROP_WAIT_MS: u64 = 3 * 60 * 1000;
/// How many `__agent_escalation_failed__` messages the bot gets before the last attempt.
pub const FAILURES_BEFORE_STOP: u32 = 3;
/// What the consumer gets when escalation stops, unless the bot has its own default response.
pub const STOP_MESSAGE: &str = "Not able to transfer to Agent at this time. Please try later.";

/// What happens around the escalation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scenario {
    /// The chat server drops the request: no response for over 3 minutes.
    pub dropped: bool,
    /// The agent named by Agent Id is not assigned to the skill, or not available.
    pub agent_unavailable: bool,
    /// How many transfer attempts fail.
    pub failures: u32,
    /// Whether a dialog catches `__agent_escalation_failed__` (`None`: as the bot has it).
    pub failure_dialog: Option<bool>,
}

/// What the simulation needs from the bot and escalator's settings.
#[derive(Debug, Clone, Default)]
pub struct Setup {
    pub escalation: Escalation,
    pub context: SampleContext,
    /// The interaction delay before each attempt.
    pub delay_ms: u64,
    /// Bot Settings' default user-friendly response.
    pub default_response: Option<String>,
    /// The agent connector's fallback skill id.
    pub fallback_skill_id: Option<String>,
    /// The dialog that catches failures, with its first message.
    pub failure_dialog: Option<(String, Option<String>)>,
    /// The Fallback dialog, with its first message.
    pub fallback_dialog: Option<(String, Option<String>)>,
    /// How long a dialog's answer takes to show before the escalation runs again (the
    /// time per message of the interaction delay).
    pub answer_ms: u64,
    /// The bot's account, as kept: whether the agent is on the skill and available.
    pub account: Option<std::sync::Arc<crate::workspace::account::Account>>,
}

impl Setup {
    /// Reads the setup of an escalation from the bot (dialogs, default response).
    pub fn from_bot(doc: &BotDocument, escalation: Escalation, context: &SampleContext) -> Setup {
        let first_text = |dialog_id: &str| first_message(doc, dialog_id);
        let failure_dialog = dialogs::failure_dialogs(doc)
            .into_iter()
            .next()
            .map(|d| (d.name.clone(), first_text(&d.id)));
        let fallback_dialog = doc
            .dialogs()
            .into_iter()
            .find(|d| d.dialog_type == keys::FALLBACK_DIALOG && d.enabled)
            .map(|d| (d.name.clone(), first_text(&d.id)));
        Setup {
            escalation,
            context: transfer::preview_context(doc, context),
            default_response: doc.default_user_response(),
            failure_dialog,
            fallback_dialog,
            ..Setup::default()
        }
    }
}

impl Setup {
    /// The setup of an integration: its escalation settings, the delay of the Integration
    /// interaction that runs it, and escalator's settings (fallback skill, sample context).
    pub fn for_integration(
        doc: &BotDocument,
        integration: &crate::bot::integration::Integration,
        sidecar: &crate::workspace::sidecar::Sidecar,
        samples: &SampleContext,
    ) -> Setup {
        let delay_ms = crate::runtime::delay::plans(doc, integration, sidecar)
            .first()
            .and_then(|p| p.configured_ms)
            .unwrap_or(0);
        Setup::from_bot(doc, Escalation::default(), samples).for_escalation(
            integration.escalation.clone(),
            delay_ms,
            sidecar,
        )
    }

    /// This bot's setup (from [`Setup::from_bot`]) for one escalation that waits `delay_ms`.
    pub fn for_escalation(
        &self,
        escalation: Escalation,
        delay_ms: u64,
        sidecar: &crate::workspace::sidecar::Sidecar,
    ) -> Setup {
        Setup {
            escalation,
            delay_ms,
            fallback_skill_id: sidecar.fallback_skill_id.clone(),
            answer_ms: sidecar.per_message_ms(),
            account: sidecar.kept_account.clone(),
            ..self.clone()
        }
    }
}

impl Setup {
    /// The setup of an Agent Transfer interaction: its own settings and delay.
    pub fn for_transfer(
        doc: &BotDocument,
        transfer: &crate::bot::agent_transfer::AgentTransfer,
        sidecar: &crate::workspace::sidecar::Sidecar,
        samples: &SampleContext,
    ) -> Setup {
        Setup::from_bot(doc, Escalation::default(), samples).for_escalation(
            transfer.escalation.clone(),
            transfer.delay_ms.unwrap_or(0),
            sidecar,
        )
    }
}

/// The text of the first TEXT statement of a dialog.
fn first_message(doc: &BotDocument, dialog_id: &str) -> Option<String> {
    doc.items(keys::CONVERSATION_MESSAGE)
        .filter(|m| m.get(keys::GROUP).and_then(Value::as_str) == Some(dialog_id))
        .filter(|m| m.get(keys::INTERACTION_TYPE).and_then(Value::as_str) == Some("TEXT"))
        .find_map(|m| {
            m.pointer("/content/results/tile/tileData/0/text")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
}

/// One step of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// Milliseconds from the moment the Integration interaction is reached.
    pub at_ms: u64,
    pub kind: EventKind,
    /// What happens, in words.
    pub text: String,
    /// The request body, for transfer requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum EventKind {
    Delay,
    MessageShown,
    SkillEvaluated,
    FallbackMessage,
    Request,
    Waiting,
    FallbackSkill,
    AgentUnavailable,
    Transferred,
    AttemptFailed,
    FailureSentToBot,
    DialogAnswers,
    EscalationStopped,
}

/// How it ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "result")]
pub enum Outcome {
    /// Transferred to a skill, an agent, or the connector's fallback skill.
    Transferred { to: String },
    /// The skill id was not numeric: the fallback message went to the user, no transfer.
    NotNumeric,
    /// Escalation stopped after the 4th failed attempt.
    Stopped { message: String },
    /// Fewer than four attempts, all failed: the bot is in its failure dialog.
    Failed,
}

/// The whole simulation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Timeline {
    pub events: Vec<Event>,
    pub outcome: Outcome,
}

fn is_numeric(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

/// Runs an escalation through the runtime rules.
pub fn simulate(setup: &Setup, scenario: &Scenario) -> Timeline {
    let mut events = Vec::new();
    let mut at = 0;
    let push = |events: &mut Vec<Event>, at: u64, kind, text: String, body: Option<Value>| {
        events.push(Event {
            at_ms: at,
            kind,
            text,
            body,
        })
    };
    let e = &setup.escalation;
    let skill_id = template::evaluate(e.skill_id.trim(), &setup.context);
    let agent_id = template::evaluate(e.agent_id.trim(), &setup.context);
    let has_failure_dialog = scenario
        .failure_dialog
        .unwrap_or(setup.failure_dialog.is_some());
    // The first attempt the drop applies to fails unless a fallback skill takes it.
    let fallback_skill = setup
        .fallback_skill_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let mut failures = scenario.failures;
    if scenario.dropped && fallback_skill.is_none() {
        failures = failures.max(1);
    }
    let mut attempt = 0;
    loop {
        attempt += 1;
        if setup.delay_ms > 0 {
            push(
                &mut events,
                at,
                EventKind::Delay,
                format!("the interaction delay of {} ms passes", setup.delay_ms),
                None,
            );
            at += setup.delay_ms;
        }
        let message = template::evaluate(&e.message, &setup.context);
        if message.trim() == keys::BLANK_MESSAGE {
            push(
                &mut events,
                at,
                EventKind::MessageShown,
                format!("no message is shown ({})", keys::BLANK_MESSAGE),
                None,
            );
        } else {
            push(
                &mut events,
                at,
                EventKind::MessageShown,
                format!("the consumer sees \"{message}\""),
                None,
            );
        }
        if !is_numeric(&skill_id) {
            let text = if skill_id.contains('{') {
                format!(
                    "Agent Skill Id {skill_id} has no sample value here; a value that is not numeric at runtime sends the fallback message"
                )
            } else {
                format!("Agent Skill Id evaluates to \"{skill_id}\": not numeric")
            };
            push(&mut events, at, EventKind::SkillEvaluated, text, None);
            let fallback = setup
                .fallback_dialog
                .as_ref()
                .and_then(|(_, m)| m.clone())
                .unwrap_or_else(|| "the bot's fallback message".into());
            push(
                &mut events,
                at,
                EventKind::FallbackMessage,
                format!("the fallback message is sent instead of a transfer: \"{fallback}\""),
                None,
            );
            return Timeline {
                events,
                outcome: Outcome::NotNumeric,
            };
        }
        push(
            &mut events,
            at,
            EventKind::SkillEvaluated,
            format!("Agent Skill Id evaluates to {skill_id}"),
            None,
        );
        let mut body = transfer::evaluated_body(&tagged(e), &setup.context);
        if let Some(map) = body.as_object_mut() {
            map.insert("agentSkillId".into(), Value::String(skill_id.clone()));
        }
        let target = if !agent_id.is_empty() {
            format!("agent {agent_id} (skill {skill_id})")
        } else {
            format!("skill {skill_id}")
        };
        push(
            &mut events,
            at,
            EventKind::Request,
            format!("the transfer request goes to {target}"),
            Some(body),
        );
        let dropped_now = scenario.dropped && attempt == 1;
        if dropped_now {
            push(
                &mut events,
                at,
                EventKind::Waiting,
                "the chat server drops the request: no response for 3 minutes".into(),
                None,
            );
            at += DROP_WAIT_MS;
            if let Some(fallback) = fallback_skill {
                push(
                    &mut events,
                    at,
                    EventKind::FallbackSkill,
                    format!("the transfer goes to the agent connector's fallback skill {fallback}"),
                    None,
                );
                push(
                    &mut events,
                    at,
                    EventKind::Transferred,
                    format!("transferred to skill {fallback}"),
                    None,
                );
                return Timeline {
                    events,
                    outcome: Outcome::Transferred {
                        to: format!("skill {fallback}"),
                    },
                };
            }
        }
        if attempt > failures {
            let from_account = setup
                .account
                .as_deref()
                .and_then(|a| a.agent_outcome(&agent_id, &skill_id));
            let to = if agent_id.is_empty() {
                format!("skill {skill_id}")
            } else if let Some(why) = from_account {
                push(
                    &mut events,
                    at,
                    EventKind::AgentUnavailable,
                    format!("{why}: the transfer goes to the skill"),
                    None,
                );
                format!("skill {skill_id}")
            } else if scenario.agent_unavailable {
                push(
                    &mut events,
                    at,
                    EventKind::AgentUnavailable,
                    format!(
                        "agent {agent_id} is not available or not on skill {skill_id}: the transfer goes to the skill"
                    ),
                    None,
                );
                format!("skill {skill_id}")
            } else {
                format!("agent {agent_id}")
            };
            push(
                &mut events,
                at,
                EventKind::Transferred,
                if to.starts_with("agent ") && setup.account.is_none() {
                    format!(
                        "transferred to {to} (no account kept: whether the agent is on the skill and available is not checked)"
                    )
                } else {
                    format!("transferred to {to}")
                },
                None,
            );
            return Timeline {
                events,
                outcome: Outcome::Transferred { to },
            };
        }
        let why = if dropped_now {
            "no fallback skill is set, so the transfer fails"
        } else {
            "the transfer fails"
        };
        push(
            &mut events,
            at,
            EventKind::AttemptFailed,
            format!("attempt {attempt}: {why}"),
            None,
        );
        if attempt > FAILURES_BEFORE_STOP {
            let message = setup
                .default_response
                .clone()
                .unwrap_or_else(|| STOP_MESSAGE.to_string());
            push(
                &mut events,
                at,
                EventKind::EscalationStopped,
                format!(
                    "the 4th attempt failed too: escalation stops and the consumer gets \"{message}\""
                ),
                None,
            );
            return Timeline {
                events,
                outcome: Outcome::Stopped { message },
            };
        }
        push(
            &mut events,
            at,
            EventKind::FailureSentToBot,
            format!(
                "the platform sends {} to the bot ({attempt} of {FAILURES_BEFORE_STOP})",
                keys::ESCALATION_FAILED_MESSAGE
            ),
            None,
        );
        let answer = match (&setup.failure_dialog, has_failure_dialog) {
            (Some((name, message)), true) => format!(
                "the dialog \"{name}\" answers{}",
                message
                    .as_ref()
                    .map(|m| format!(": \"{m}\""))
                    .unwrap_or_default()
            ),
            (None, true) => "a dialog catching it answers".to_string(),
            (_, false) => match &setup.fallback_dialog {
                Some((name, message)) => format!(
                    "no dialog catches it: the Fallback dialog \"{name}\" answers{}",
                    message
                        .as_ref()
                        .map(|m| format!(": \"{m}\""))
                        .unwrap_or_default()
                ),
                None => "no dialog catches it: it is treated like any consumer message".into(),
            },
        };
        push(&mut events, at, EventKind::DialogAnswers, answer, None);
        if attempt >= failures {
            return Timeline {
                events,
                outcome: Outcome::Failed,
            };
        }
        // The answer is shown, then the escalation runs again.
        at += setup.answer_ms;
    }
}

/// The escalation as an integration, for the body builder.
fn tagged(e: &Escalation) -> crate::bot::integration::Integration {
    crate::bot::integration::Integration {
        index: 0,
        id: String::new(),
        name: String::new(),
        response_data_variable: String::new(),
        kind: crate::bot::integration::IntegrationKind::AgentEscalation,
        transform_script: String::new(),
        custom_data: Vec::new(),
        escalation: e.clone(),
    }
}

impl Timeline {
    /// One line an event: `  6000 ms  the consumer sees "..."`.
    pub fn lines(&self) -> Vec<String> {
        self.events
            .iter()
            .map(|e| format!("{:>8} ms  {}", e.at_ms, e.text))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(skill_id: &str) -> Setup {
        Setup {
            escalation: Escalation {
                skill_name: "Sales".into(),
                skill_id: skill_id.into(),
                agent_id: String::new(),
                transfer_bot_context: false,
                message: "Hold on".into(),
            },
            delay_ms: 4000,
            failure_dialog: Some(("Escalation Failed".into(), Some("Sorry".into()))),
            fallback_dialog: Some(("Fallback".into(), Some("I did not get that".into()))),
            ..Setup::default()
        }
    }

    fn has(t: &Timeline, kind: EventKind, text: &str) -> bool {
        t.events
            .iter()
            .any(|e| e.kind == kind && e.text.contains(text))
    }

    /// One row a rule of the runtime (domain.md, "Runtime of an escalation").
    #[test]
    fn every_runtime_rule() {
        type Check = fn(&Timeline) -> bool;
        let with = |f: fn(&mut Setup, &mut Scenario)| {
            let mut s = setup("12");
            let mut sc = Scenario::default();
            f(&mut s, &mut sc);
            simulate(&s, &sc)
        };
        let rows: Vec<(&str, Timeline, Check)> = vec![
            (
                "1. the interaction delay passes; the message goes out with the request",
                with(|_, _| {}),
                |t| {
                    t.events[0].kind == EventKind::Delay
                        && t.events[1].at_ms == 4000
                        && has(t, EventKind::MessageShown, "\"Hold on\"")
                },
            ),
            (
                "1. none for BLANK_MESSAGE",
                with(|s, _| s.escalation.message = "BLANK_MESSAGE".into()),
                |t| has(t, EventKind::MessageShown, "no message is shown"),
            ),
            (
                "2. not numeric: the fallback message, no transfer",
                with(|s, _| s.escalation.skill_id = "{$botContext.skill}".into()),
                |t| {
                    t.outcome == Outcome::NotNumeric
                        && has(t, EventKind::FallbackMessage, "I did not get that")
                        && !t.events.iter().any(|e| e.kind == EventKind::Request)
                },
            ),
            (
                "2. variables resolved before the check",
                with(|s, _| {
                    s.escalation.skill_id = "{$botContext.skill}".into();
                    s.context.insert("botContext.skill".into(), "77".into());
                }),
                |t| {
                    t.outcome
                        == Outcome::Transferred {
                            to: "skill 77".into(),
                        }
                },
            ),
            (
                "3. dropped: the fallback skill of the agent connector",
                with(|s, sc| {
                    sc.dropped = true;
                    s.fallback_skill_id = Some("99".into());
                }),
                |t| {
                    t.outcome
                        == Outcome::Transferred {
                            to: "skill 99".into(),
                        }
                        && t.events.last().unwrap().at_ms == 4000 + DROP_WAIT_MS
                        && has(t, EventKind::Waiting, "3 minutes")
                },
            ),
            (
                "3. dropped, no fallback skill: the escalation fails",
                with(|_, sc| sc.dropped = true),
                |t| {
                    t.outcome == Outcome::Failed
                        && has(t, EventKind::AttemptFailed, "no fallback skill")
                },
            ),
            (
                "4. with an Agent Id: to the agent when available",
                with(|s, _| s.escalation.agent_id = "123.456".into()),
                |t| {
                    t.outcome
                        == Outcome::Transferred {
                            to: "agent 123.456".into(),
                        }
                },
            ),
            (
                "4. else to the skill",
                with(|s, sc| {
                    s.escalation.agent_id = "123.456".into();
                    sc.agent_unavailable = true;
                }),
                |t| {
                    t.outcome
                        == Outcome::Transferred {
                            to: "skill 12".into(),
                        }
                        && has(t, EventKind::AgentUnavailable, "123.456")
                },
            ),
            (
                "5. a failed transfer: __agent_escalation_failed__, the failure dialog answers",
                with(|_, sc| sc.failures = 1),
                |t| {
                    has(
                        t,
                        EventKind::FailureSentToBot,
                        "__agent_escalation_failed__",
                    ) && has(
                        t,
                        EventKind::DialogAnswers,
                        "\"Escalation Failed\" answers: \"Sorry\"",
                    )
                },
            ),
            (
                "5. without one the Fallback dialog answers",
                with(|_, sc| {
                    sc.failures = 1;
                    sc.failure_dialog = Some(false);
                }),
                |t| has(t, EventKind::DialogAnswers, "Fallback dialog \"Fallback\""),
            ),
            (
                "6. three failures: three messages to the bot, no stop yet",
                with(|_, sc| sc.failures = 3),
                |t| {
                    t.events
                        .iter()
                        .filter(|e| e.kind == EventKind::FailureSentToBot)
                        .count()
                        == 3
                        && t.outcome == Outcome::Failed
                },
            ),
            (
                "6. the 4th attempt fails too: the default message",
                with(|_, sc| sc.failures = 4),
                |t| {
                    t.outcome
                        == Outcome::Stopped {
                            message: STOP_MESSAGE.into(),
                        }
                },
            ),
            (
                "6. or the bot's default user-friendly response",
                with(|s, sc| {
                    sc.failures = 7;
                    s.default_response = Some("We'll call you back.".into());
                }),
                |t| {
                    t.outcome
                        == Outcome::Stopped {
                            message: "We'll call you back.".into(),
                        }
                },
            ),
        ];
        for (rule, timeline, check) in rows {
            assert!(check(&timeline), "{rule}:\n{}", timeline.lines().join("\n"));
        }
    }

    #[test]
    fn the_sample_bot_reads_its_dialogs_delay_and_settings() {
        let doc =
            BotDocument::from_bytes(crate::workspace::shipped::SAMPLE_BOT.as_bytes()).unwrap();
        let integration = doc.integrations().remove(0);
        let sidecar = crate::workspace::sidecar::Sidecar {
            fallback_skill_id: Some("5".into()),
            ..Default::default()
        };
        let setup = Setup::for_integration(&doc, &integration, &sidecar, &SampleContext::new());
        assert_eq!(setup.delay_ms, 4000);
        assert_eq!(setup.fallback_skill_id.as_deref(), Some("5"));
        assert_eq!(
            setup.failure_dialog.as_ref().unwrap().0,
            "Escalation Failed"
        );
        assert!(
            setup
                .fallback_dialog
                .as_ref()
                .unwrap()
                .1
                .as_deref()
                .unwrap()
                .contains("Sorry")
        );
        let t = simulate(&setup, &Scenario::default());
        assert_eq!(
            t.outcome,
            Outcome::NotNumeric,
            "{{$botContext.skillId}} has no sample value"
        );
    }

    #[test]
    fn the_same_inputs_give_the_same_timeline() {
        let sc = Scenario {
            failures: 2,
            ..Scenario::default()
        };
        assert_eq!(simulate(&setup("12"), &sc), simulate(&setup("12"), &sc));
    }

    #[test]
    fn the_request_carries_the_evaluated_body() {
        let t = simulate(&setup("12"), &Scenario::default());
        let request = t
            .events
            .iter()
            .find(|e| e.kind == EventKind::Request)
            .unwrap();
        assert_eq!(request.body.as_ref().unwrap()["agentSkillId"], "12");
        assert_eq!(request.body.as_ref().unwrap()["message"], "Hold on");
    }
}
