//! Every JSON key and enumerated value of the Conversation Builder export, in one place.
//!
//! The rest of the code speaks of `skill_id`, never of `"agentSkillId"`. Keys marked
//! *reconstruction* are not confirmed by a public export: they are read under several
//! spellings (the `*_READ` lists, canonical first) and always written in the canonical form.

// Top level.
pub const BOT: &str = "bot";
pub const RESPONDER: &str = "responder";
pub const CONVERSATION_MESSAGE: &str = "conversationMessage";
pub const GROUPS: &str = "groups";

// `bot`.
pub const BOT_ID: &str = "id";
pub const BOT_NAME: &str = "name";
pub const BOT_ATTRIBUTES: &str = "botAttributes";
/// Most likely the Bot Settings "default user-friendly response" (wording matches).
pub const DEFAULT_ERROR_MESSAGE: &str = "DEFAULT_ERROR_MESSAGE";

// Shared by entries of `responder`, `conversationMessage` and `groups`.
pub const ID: &str = "id";
pub const NAME: &str = "name";
pub const CHATBOT_ID_LOWER: &str = "chatbotId";
pub const CHAT_BOT_ID: &str = "chatBotId";
pub const GROUP: &str = "group";

// `responder[]` (integrations), confirmed by real exports.
pub const RESPONSE_DATA_VARIABLE: &str = "responseDataVariable";
pub const INTEGRATION_TYPE: &str = "integrationType";
pub const TRANSFORM_SCRIPT: &str = "transformResultsScript";
pub const CUSTOM_DATA_FIELDS: &str = "customDataFields";
pub const CUSTOM_DATA_KEY: &str = "key";
pub const CUSTOM_DATA_VALUE: &str = "value";
/// Transfer Bot Context (the Agent Transfer interaction uses the same key).
pub const TANGO_CONTEXT_ENABLED: &str = "tangoContextEnabled";
/// The value real API integrations carry in `group`.
pub const RESPONDERS_GROUP: &str = "Responders";

// `responder[]` keys of the Agent Escalation type: reconstruction.
pub const SKILL_NAME_READ: &[&str] = &["agentSkillName", "skillName", "agentSkill"];
pub const SKILL_ID_READ: &[&str] = &["agentSkillId", "skillId", "agentSkillID"];
pub const AGENT_ID_READ: &[&str] = &["agentId", "agentID", "agent_id"];
pub const MESSAGE_READ: &[&str] = &[
    "transferMessage",
    "messageToUser",
    "message",
    "escalationMessage",
];

/// `integrationType` values. The Agent Escalation one is a reconstruction.
pub const TYPE_API: &str = "API";
pub const TYPE_ESCALATION_READ: &[&str] = &[
    "LIVEPERSON_AGENT_ESCALATION",
    "LIVE_PERSON_AGENT_ESCALATION",
    "LP_AGENT_ESCALATION",
    "AGENT_ESCALATION",
    "ESCALATION",
];
pub const TYPE_FAAS: &str = "FAAS";
pub const TYPE_FILE: &str = "FILE";
pub const TYPE_EMAIL: &str = "EMAIL";
pub const TYPE_KNOWLEDGE_AI: &str = "KNOWLEDGE_AI";

// `conversationMessage[]` (interactions).
pub const INTERACTION_TYPE: &str = "interactionType";
pub const PREV_MESSAGE_ID: &str = "prevMessageId";
pub const NEXT_MESSAGE_ID: &str = "nextMessageId";
pub const INTERACTION_DELAY: &str = "interactionDelay";
pub const PATTERN: &str = "pattern";
pub const CONTENT: &str = "content";
pub const RESPONDER_NAME: &str = "responderName";
pub const RESPONDER_ID: &str = "responderId";
pub const USER_INPUT_REQUIRED: &str = "userInputRequired";
pub const RESULTS: &str = "results";
pub const TILE: &str = "tile";
pub const TILE_DATA: &str = "tileData";
pub const TEXT: &str = "text";
/// The Agent Transfer interaction's settings object, beside its message.
pub const ESCALATION: &str = "escalation";
/// `type` of an interaction (`BOT_MESSAGE`) and of `content.results` (its interaction type).
pub const TYPE: &str = "type";
pub const REQUIRED: &str = "required";
pub const RESPONSE_MATCHES: &str = "responseMatches";
pub const CONTENT_TYPE: &str = "contentType";
pub const BUTTONS: &str = "buttons";
pub const QUICK_REPLY_LIST: &str = "quickReplyList";
/// Shown after `interactionType` in real exports of questions and Integration interactions,
/// before `interactionDelay`.
pub const CHANGE_RESPONSE: &str = "changeResponse";
pub const CANCEL_RESPONSE: &str = "cancelResponse";

// `responseMatches[]` (the rules after an interaction).
pub const RULE_NAME: &str = "name";
pub const RULE_CONDITIONS: &str = "conditions";
pub const RULE_CONTEXT_CONDITIONS: &str = "contextConditions";
pub const RULE_ACTION: &str = "action";
pub const RULE_CONTEXT_DATA_VARIABLES: &str = "contextDataVariables";
pub const ACTION_NAME: &str = "name";
pub const ACTION_VALUE: &str = "value";

/// Constant values of interactions as real exports write them.
pub const MESSAGE_TYPE_BOT: &str = "BOT_MESSAGE";
pub const INTERACTION_ACTIVE: &str = "ACTIVE";
pub const CONTENT_STATIC: &str = "STATIC";
/// `contentType` of an Integration interaction (its content names the integration it runs).
pub const CONTENT_DYNAMIC: &str = "DYNAMIC";
pub const ACTION_INTERACTION: &str = "INTERACTION";
pub const ACTION_NEXT: &str = "next";

/// `interactionType` values.
pub const IT_API_INTEGRATION: &str = "API_INTEGRATION";
pub const IT_DIALOG_STARTER: &str = "DIALOG_STARTER";
pub const IT_ESCALATION: &str = "ESCALATION";
pub const IT_TEXT: &str = "TEXT";
/// Statements: the bot sends them without waiting.
pub const STATEMENT_TYPES: &[&str] =
    &["TEXT", "IMAGE", "AUDIO", "VIDEO", "STRUCTURED", "UNIVERSAL"];
/// Questions: the bot waits for the user after them.
pub const QUESTION_TYPES: &[&str] = &[
    "TEXT_QUESTION",
    "QUICK_REPLY",
    "BUTTON",
    "MULTIPLE_CHOICE_QUESTION",
];

// `groups[]` (dialogs).
pub const DIALOG_TYPE: &str = "dialogType";
pub const FALLBACK_DIALOG: &str = "FALLBACK_DIALOG";
/// An ordinary dialog's `dialogType`.
pub const DIALOG: &str = "DIALOG";
/// `status`, of dialogs (`ENABLED` / `DISABLED`) and of interactions (`ACTIVE`).
pub const STATUS: &str = "status";
pub const ENABLED: &str = "ENABLED";
/// `"2021-09-20 16:41:15"` in real exports.
pub const CREATION_TIME: &str = "creationTime";
pub const MODIFICATION_TIME: &str = "modificationTime";
/// Spelled so in real exports.
pub const DISAMBIGUATE_ONLY_SELECTED_DOMAINS: &str = "disambiguteOnlySelectedDomains";
/// A dialog's `status` when it is switched off (`ENABLED` otherwise).
pub const DISABLED: &str = "DISABLED";

/// The message the platform sends the bot when a transfer fails.
pub const ESCALATION_FAILED_MESSAGE: &str = "__agent_escalation_failed__";
/// The Message to User value that satisfies the requirement but sends nothing.
pub const BLANK_MESSAGE: &str = "BLANK_MESSAGE";
