//! The integrations of a bot as the Integrations page shows them: their fields, in the page's
//! order, with the page's labels, help and required marks.

use crate::bot::keys;

/// One field of the integration form, in the order the product page lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Name,
    ResponseDataVariable,
    IntegrationType,
    SkillName,
    SkillId,
    AgentId,
    TransferBotContext,
    Message,
    TransformScript,
    CustomData,
    /// Agent Transfer interactions only: their own interaction delay.
    InteractionDelay,
}

impl Field {
    /// Every field, in the page's order.
    pub const ALL: [Field; 10] = [
        Field::Name,
        Field::ResponseDataVariable,
        Field::IntegrationType,
        Field::SkillName,
        Field::SkillId,
        Field::AgentId,
        Field::TransferBotContext,
        Field::Message,
        Field::TransformScript,
        Field::CustomData,
    ];

    /// The fields every integration type has (the others belong to Agent Escalation).
    pub fn is_common(self) -> bool {
        matches!(
            self,
            Field::Name
                | Field::ResponseDataVariable
                | Field::IntegrationType
                | Field::TransformScript
                | Field::CustomData
        )
    }

    /// The fields shown for an integration of `kind`.
    pub fn for_kind(kind: &IntegrationKind) -> impl Iterator<Item = Field> + '_ {
        Field::ALL
            .into_iter()
            .filter(move |f| f.is_common() || *kind == IntegrationKind::AgentEscalation)
    }

    /// The label on the page.
    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "Integration Name",
            Field::ResponseDataVariable => "Response Data Variable Name",
            Field::IntegrationType => "Integration Type",
            Field::SkillName => "Agent Skill Name",
            Field::SkillId => "Agent Skill Id",
            Field::AgentId => "Agent Id",
            Field::TransferBotContext => "Transfer Bot Context",
            Field::Message => "Message to User",
            Field::TransformScript => "Transform Result Script",
            Field::CustomData => "Custom Data Fields",
            Field::InteractionDelay => "Interaction Delay",
        }
    }

    /// Required fields are starred on the page.
    pub fn is_required(self) -> bool {
        matches!(
            self,
            Field::Name
                | Field::ResponseDataVariable
                | Field::IntegrationType
                | Field::SkillName
                | Field::SkillId
                | Field::Message
        )
    }

    /// One line of help, from the product page.
    pub fn help(self) -> &'static str {
        match self {
            Field::Name => "a meaningful, concise name that follows the bot's naming pattern",
            Field::ResponseDataVariable => {
                "the variable that holds the result, read as {$.api_<name>}"
            }
            Field::IntegrationType => "LivePerson Agent Escalation transfers to an agent or a bot",
            Field::SkillName => "the readable name of the Conversational Cloud skill",
            Field::SkillId => "a number, or a variable like {$botContext.skillId}",
            Field::AgentId => "optional, bot-to-human only: <accountId>.<agentId> or <agentId>",
            Field::TransferBotContext => "bot-to-bot only: pass the user's intent and message on",
            Field::Message => "shown before the transfer; BLANK_MESSAGE sends nothing",
            Field::TransformScript => "JavaScript that transforms the raw result",
            Field::CustomData => "key/value pairs that store result data, e.g. {$.api_X.field}",
            Field::InteractionDelay => {
                "milliseconds before the transfer: 2000 per message sent before it"
            }
        }
    }

    /// The name used on the command line (`escalator set ... FIELD=VALUE`).
    pub fn cli_name(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::ResponseDataVariable => "response_data_variable",
            Field::IntegrationType => "integration_type",
            Field::SkillName => "skill_name",
            Field::SkillId => "skill_id",
            Field::AgentId => "agent_id",
            Field::TransferBotContext => "transfer_bot_context",
            Field::Message => "message",
            Field::TransformScript => "transform_script",
            Field::CustomData => "custom_data",
            Field::InteractionDelay => "interaction_delay",
        }
    }

    /// The field a command-line name stands for.
    pub fn from_cli_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.cli_name() == name)
    }

    /// Whether the value spans several lines in the form.
    pub fn is_multiline(self) -> bool {
        matches!(self, Field::Message | Field::TransformScript)
    }
}

/// The Integration Type select.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntegrationKind {
    Api,
    AgentEscalation,
    Functions,
    File,
    Email,
    KnowledgeAi,
    /// A type this tool does not know, kept as written.
    Other(String),
}

impl IntegrationKind {
    /// The choices of the select, in the page's order.
    pub const CHOICES: [IntegrationKind; 6] = [
        IntegrationKind::Api,
        IntegrationKind::AgentEscalation,
        IntegrationKind::Functions,
        IntegrationKind::File,
        IntegrationKind::Email,
        IntegrationKind::KnowledgeAi,
    ];

    /// "an API", "a LivePerson Agent Escalation": the label with its article.
    pub fn with_article(&self) -> String {
        let label = self.label();
        let vowel = label.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']);
        format!("{} {label}", if vowel { "an" } else { "a" })
    }

    /// What an integration of this kind does, for the help under Integration Type.
    pub fn help(&self) -> &'static str {
        match self {
            IntegrationKind::AgentEscalation => {
                "LivePerson Agent Escalation transfers to an agent or a bot; ←/→ or Enter changes the type"
            }
            IntegrationKind::Api => "API calls a web service; ←/→ or Enter changes the type",
            IntegrationKind::Functions => {
                "LivePerson Functions runs a function; ←/→ or Enter changes the type"
            }
            IntegrationKind::File => "File sends a file; ←/→ or Enter changes the type",
            IntegrationKind::Email => "Email sends an email; ←/→ or Enter changes the type",
            IntegrationKind::KnowledgeAi => {
                "KnowledgeAI searches a knowledge base; ←/→ or Enter changes the type"
            }
            IntegrationKind::Other(_) => "a type escalator does not know, kept as written",
        }
    }

    /// Reads an `integrationType` value.
    pub fn from_code(code: &str) -> IntegrationKind {
        let upper = code.trim().to_ascii_uppercase();
        if keys::TYPE_ESCALATION_READ.contains(&upper.as_str()) {
            return IntegrationKind::AgentEscalation;
        }
        match upper.as_str() {
            keys::TYPE_API => IntegrationKind::Api,
            keys::TYPE_FAAS => IntegrationKind::Functions,
            keys::TYPE_FILE => IntegrationKind::File,
            keys::TYPE_EMAIL => IntegrationKind::Email,
            keys::TYPE_KNOWLEDGE_AI => IntegrationKind::KnowledgeAi,
            _ => IntegrationKind::Other(code.to_string()),
        }
    }

    /// The `integrationType` value written for this kind.
    pub fn code(&self) -> &str {
        match self {
            IntegrationKind::Api => keys::TYPE_API,
            IntegrationKind::AgentEscalation => keys::TYPE_ESCALATION_READ[0],
            IntegrationKind::Functions => keys::TYPE_FAAS,
            IntegrationKind::File => keys::TYPE_FILE,
            IntegrationKind::Email => keys::TYPE_EMAIL,
            IntegrationKind::KnowledgeAi => keys::TYPE_KNOWLEDGE_AI,
            IntegrationKind::Other(code) => code,
        }
    }

    /// The name on the page.
    pub fn label(&self) -> &str {
        match self {
            IntegrationKind::Api => "API",
            IntegrationKind::AgentEscalation => "LivePerson Agent Escalation",
            IntegrationKind::Functions => "LivePerson Functions",
            IntegrationKind::File => "File",
            IntegrationKind::Email => "Email",
            IntegrationKind::KnowledgeAi => "Knowledge AI",
            IntegrationKind::Other(code) => code,
        }
    }

    /// Reads a label or a code, as typed on the command line.
    pub fn parse(text: &str) -> Option<IntegrationKind> {
        let wanted = text.trim();
        IntegrationKind::CHOICES
            .into_iter()
            .find(|k| k.label().eq_ignore_ascii_case(wanted))
            .or(match IntegrationKind::from_code(wanted) {
                IntegrationKind::Other(_) => None,
                kind => Some(kind),
            })
    }
}

/// One row of Custom Data Fields.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CustomDataField {
    pub key: String,
    pub value: String,
}

/// The Agent Escalation settings of an integration (empty for other types).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Escalation {
    pub skill_name: String,
    pub skill_id: String,
    pub agent_id: String,
    pub transfer_bot_context: bool,
    pub message: String,
}

/// One integration of `responder[]`, read from the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Integration {
    /// Its place in `responder[]`.
    pub index: usize,
    pub id: String,
    pub name: String,
    pub response_data_variable: String,
    pub kind: IntegrationKind,
    pub transform_script: String,
    pub custom_data: Vec<CustomDataField>,
    pub escalation: Escalation,
}

impl Integration {
    /// The value of a field as the form shows it (`true`/`false` for the checkbox, the
    /// type's label for the select, `key=value` lines for custom data).
    pub fn value(&self, field: Field) -> String {
        match field {
            Field::Name => self.name.clone(),
            Field::ResponseDataVariable => self.response_data_variable.clone(),
            Field::IntegrationType => self.kind.label().to_string(),
            Field::SkillName => self.escalation.skill_name.clone(),
            Field::SkillId => self.escalation.skill_id.clone(),
            Field::AgentId => self.escalation.agent_id.clone(),
            Field::TransferBotContext => self.escalation.transfer_bot_context.to_string(),
            Field::Message => self.escalation.message.clone(),
            Field::TransformScript => self.transform_script.clone(),
            Field::CustomData => self
                .custom_data
                .iter()
                .map(|row| format!("{}={}", row.key, row.value))
                .collect::<Vec<_>>()
                .join("\n"),
            Field::InteractionDelay => String::new(),
        }
    }

    pub fn is_escalation(&self) -> bool {
        self.kind == IntegrationKind::AgentEscalation
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escalation_type_is_read_under_every_spelling_and_written_canonically() {
        for code in keys::TYPE_ESCALATION_READ {
            assert_eq!(
                IntegrationKind::from_code(&code.to_ascii_lowercase()),
                IntegrationKind::AgentEscalation
            );
        }
        assert_eq!(
            IntegrationKind::AgentEscalation.code(),
            "LIVEPERSON_AGENT_ESCALATION"
        );
        assert_eq!(
            IntegrationKind::from_code("WEIRD"),
            IntegrationKind::Other("WEIRD".into())
        );
    }

    #[test]
    fn required_fields_are_the_starred_ones_of_the_page() {
        let required: Vec<_> = Field::ALL.into_iter().filter(|f| f.is_required()).collect();
        assert_eq!(
            required,
            [
                Field::Name,
                Field::ResponseDataVariable,
                Field::IntegrationType,
                Field::SkillName,
                Field::SkillId,
                Field::Message
            ]
        );
    }

    #[test]
    fn other_types_show_only_the_common_fields() {
        let api: Vec<_> = Field::for_kind(&IntegrationKind::Api).collect();
        assert!(!api.contains(&Field::SkillId));
        assert_eq!(
            Field::for_kind(&IntegrationKind::AgentEscalation).count(),
            10
        );
    }

    #[test]
    fn kinds_parse_from_labels_and_codes() {
        assert_eq!(
            IntegrationKind::parse("livePerson agent escalation"),
            Some(IntegrationKind::AgentEscalation)
        );
        assert_eq!(IntegrationKind::parse("api"), Some(IntegrationKind::Api));
        assert_eq!(IntegrationKind::parse("nope"), None);
    }
}
