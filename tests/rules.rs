//! The integration rules, table-driven: each row quotes the sentence of the product page it
//! checks, builds a small bot in memory and looks for one diagnostic (or its absence).

use escalator::bot::BotDocument;
use escalator::bot::integration::Field;
use escalator::rules::{Diagnostic, Severity, validate_bot};
use escalator::runtime::delay::{self, CountSource};
use escalator::workspace::sidecar::Sidecar;
use serde_json::{Value, json};

/// The integration every row is about.
const ESC: &str = "Esc";

/// A valid LivePerson Agent Escalation integration named `Esc`, with `overrides` applied.
fn esc(overrides: Value) -> Value {
    integration(ESC, overrides)
}

fn integration(name: &str, overrides: Value) -> Value {
    let mut entry = json!({
        "chatbotId": "bot-1",
        "id": format!("id-{name}"),
        "name": name,
        "agentSkillName": "Sales",
        "agentSkillId": "12",
        "agentId": "",
        "transferMessage": "Hold on while I connect you with an agent.",
        "customDataFields": [],
        "group": "Responders",
        "transformResultsScript": "",
        "responseDataVariable": name,
        "integrationType": "LIVEPERSON_AGENT_ESCALATION",
        "tangoContextEnabled": false
    });
    for (k, v) in overrides.as_object().expect("overrides are an object") {
        entry[k] = v.clone();
    }
    entry
}

fn api(name: &str) -> Value {
    json!({
        "chatbotId": "bot-1",
        "id": format!("id-{name}"),
        "name": name,
        "webhook": "https://example.com",
        "method": "GET",
        "customDataFields": [],
        "group": "Responders",
        "transformResultsScript": "",
        "responseDataVariable": name,
        "integrationType": "API",
        "tangoContextEnabled": false
    })
}

fn interaction(id: &str, kind: &str, dialog: &str, prev: &str, next: &str) -> Value {
    let mut m = json!({
        "id": id,
        "chatBotId": "bot-1",
        "userInputRequired": false,
        "name": format!("{}_{id}", kind.to_ascii_lowercase()),
        "type": "BOT_MESSAGE",
        "content": {"contentType": "STATIC"},
        "group": dialog,
        "interactionType": kind
    });
    if !prev.is_empty() {
        m["prevMessageId"] = json!(prev);
    }
    if !next.is_empty() {
        m["nextMessageId"] = json!(next);
    }
    m
}

fn starter(id: &str, dialog: &str, next: &str, patterns: &[&str]) -> Value {
    let mut m = interaction(id, "DIALOG_STARTER", dialog, "", next);
    m["pattern"] = json!(patterns);
    m
}

/// A dialog `main`: a starter, then `kinds` in order, then an Integration interaction running
/// `Esc` with `delay` (none when `None`).
fn main_dialog(kinds: &[&str], delay: Option<&str>) -> Vec<Value> {
    let ids: Vec<String> = (0..kinds.len() + 2).map(|n| format!("m{n}")).collect();
    let link = |i: usize| ids.get(i).cloned().unwrap_or_default();
    let mut out = vec![starter(&ids[0], "main", &ids[1], &["agent"])];
    for (n, kind) in kinds.iter().enumerate() {
        out.push(interaction(
            &ids[n + 1],
            kind,
            "main",
            &ids[n],
            &link(n + 2),
        ));
    }
    let last = kinds.len() + 1;
    let mut run = interaction(&ids[last], "API_INTEGRATION", "main", &ids[last - 1], "");
    run["content"] =
        json!({"contentType": "DYNAMIC", "responderName": ESC, "responderId": "id-Esc"});
    if let Some(ms) = delay {
        run["interactionDelay"] = json!(ms);
    }
    out.push(run);
    out
}

/// A dialog `failed` whose starter catches `pattern`.
fn failure_dialog(pattern: &str) -> Vec<Value> {
    vec![
        starter("f0", "failed", "f1", &[pattern]),
        interaction("f1", "TEXT", "failed", "f0", ""),
    ]
}

fn groups() -> Value {
    json!([
        {"id": "main", "name": "Main", "dialogType": "DIALOG"},
        {"id": "failed", "name": "Escalation Failed", "dialogType": "DIALOG"},
        {"id": "fallback", "name": "Fallback", "dialogType": "FALLBACK_DIALOG"}
    ])
}

/// A bot with these integrations and interactions, as a real export would be laid out.
fn bot_with(responder: Vec<Value>, messages: Vec<Value>) -> BotDocument {
    let root = json!({
        "hash": "1",
        "bot": {"id": "bot-1", "name": "Rules", "botAttributes": {}},
        "responder": responder,
        "requiredContext": [],
        "conversationMessage": messages,
        "groups": groups(),
        "dialogTemplates": []
    });
    let text = serde_json::to_string_pretty(&root).unwrap();
    BotDocument::from_bytes(text.as_bytes()).expect("test bots load")
}

/// A bot with these integrations, a failure dialog, and nothing running them.
fn bot(responder: Vec<Value>) -> BotDocument {
    bot_with(responder, failure_dialog("__agent_escalation_failed__"))
}

fn context(pairs: &[(&str, &str)]) -> Sidecar {
    Sidecar {
        context: pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Sidecar::default()
    }
}

/// What a diagnostic is about.
#[derive(Debug, Clone, Copy)]
enum About {
    /// A field of the integration under test.
    Field(Field),
    /// The integration under test as a whole (field `None`).
    Integration,
    /// The bot as a whole (integration and field `None`).
    Bot,
}

impl About {
    fn covers(self, target: &str, d: &Diagnostic) -> bool {
        match self {
            About::Field(f) => d.integration.as_deref() == Some(target) && d.field == Some(f),
            About::Integration => d.integration.as_deref() == Some(target) && d.field.is_none(),
            About::Bot => d.integration.is_none() && d.field.is_none(),
        }
    }
}

#[derive(Debug)]
enum Expect {
    /// A diagnostic about this, with this severity, whose message holds this text.
    Has(About, Severity, &'static str),
    /// No diagnostic at all about this.
    Clean(About),
    /// Diagnostics about this are at most this severe.
    AtMost(About, Severity),
}

struct Row {
    spec: &'static str,
    case: &'static str,
    doc: BotDocument,
    sidecar: Sidecar,
    /// The name of the integration under test.
    target: &'static str,
    expect: Expect,
}

fn row(spec: &'static str, case: &'static str, doc: BotDocument, expect: Expect) -> Row {
    Row {
        spec,
        case,
        doc,
        sidecar: Sidecar::default(),
        target: ESC,
        expect,
    }
}

fn check(rows: Vec<Row>) {
    let mut failures = Vec::new();
    for r in rows {
        let found = validate_bot(&r.doc, &r.sidecar);
        let about = |d: &Diagnostic, a: &About| a.covers(r.target, d);
        let ok = match &r.expect {
            Expect::Has(a, severity, text) => found
                .iter()
                .any(|d| about(d, a) && d.severity == *severity && d.message.contains(text)),
            Expect::Clean(a) => !found.iter().any(|d| about(d, a)),
            Expect::AtMost(a, severity) => found
                .iter()
                .filter(|d| about(d, a))
                .all(|d| d.severity >= *severity),
        };
        if !ok {
            failures.push(format!(
                "{}\n  spec: {}\n  expected: {:?}\n  found: {:#?}",
                r.case, r.spec, r.expect, found
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

use About::{Bot, Field as F, Integration as I};
use Expect::{AtMost, Clean, Has};
use Severity::{Error, Hint, Warning};

const REQUIRED: &str =
    "Configure the integration settings (required fields are marked with asterisks)";
const SKILL_ID: &str = "Here you can specify the ID using a bot context variable like {$botContext.skillId}, or you can enter a direct, numeric value.";
const SKILL_ID_FALLBACK: &str = "When the escalation is attempted, the Agent Skill Id is evaluated; if it isn't numeric, the fallback message is sent to the user.";
const AGENT_ID: &str = "Agent Id: Optional. Used for bot-to-human transfers only.";
const TRANSFER_CONTEXT: &str = "Transfer Bot Context: Used for manual, bot-to-bot transfers only.";
const BLANK: &str =
    "This field is required, so if you don't want to send a message, enter \"BLANK_MESSAGE\" here.";
const MESSAGE_VARS: &str =
    "You can enter either static text, use a variable, or a combination of both.";
const NAME: &str = "Integration Name: Enter the name of integration.";
const NAME_PATTERN: &str = "Enter a name that's meaningful (it describes well the integration's purpose), concise, and follows a consistent pattern.";
const CUSTOM_DATA: &str =
    "Custom Data Fields: Add the fields that will store the result data in key/value pairs.";
const DELAY: &str = "if you're sending 3 text messages prior to the transfer, you might add a 6000 millisecond delay to the Integration interaction (3 messages x 2000 millisecond delay per message = an aggregate 6000 millisecond delay)";
const FAILURE: &str = "If you don’t have a dialog set up to catch this pattern, the bot will treat it like any other consumer message. In most cases, it will go to the Fallback dialog.";

const RESPONSE_VARIABLE: &str =
    "Response Data Variable Name: Enter the name of the response data variable.";
const TRANSFORM: &str = "Transform Result Script: If applicable, use this section";

/// Every sentence the rows quote.
const SPEC_QUOTES: &[&str] = &[
    REQUIRED,
    SKILL_ID,
    SKILL_ID_FALLBACK,
    AGENT_ID,
    TRANSFER_CONTEXT,
    BLANK,
    MESSAGE_VARS,
    NAME,
    NAME_PATTERN,
    RESPONSE_VARIABLE,
    TRANSFORM,
    CUSTOM_DATA,
    DELAY,
    FAILURE,
];

#[test]
fn every_quoted_sentence_is_in_the_spec() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/seed/agent-escalation.txt");
    let Ok(spec) = std::fs::read_to_string(&path) else {
        eprintln!(
            "note: {} is absent; the quotes are not checked",
            path.display()
        );
        return;
    };
    for quote in SPEC_QUOTES {
        assert!(spec.contains(quote), "not in the spec: {quote}");
    }
}

#[test]
fn the_base_bot_is_clean() {
    let found = validate_bot(&bot(vec![esc(json!({}))]), &Sidecar::default());
    assert_eq!(found, vec![]);
}

#[test]
fn required_fields() {
    let empty = |key: &str| bot(vec![esc(json!({ key: "" }))]);
    check(vec![
        Row {
            target: "",
            ..row(
                REQUIRED,
                "empty Integration Name",
                empty("name"),
                Has(F(Field::Name), Error, "Integration Name is required"),
            )
        },
        row(
            REQUIRED,
            "empty Response Data Variable Name",
            empty("responseDataVariable"),
            Has(
                F(Field::ResponseDataVariable),
                Error,
                "Response Data Variable Name is required",
            ),
        ),
        row(
            REQUIRED,
            "empty Integration Type",
            bot(vec![esc(json!({"integrationType": ""}))]),
            Has(
                F(Field::IntegrationType),
                Error,
                "Integration Type is required",
            ),
        ),
        row(
            REQUIRED,
            "empty Agent Skill Name",
            empty("agentSkillName"),
            Has(F(Field::SkillName), Error, "Agent Skill Name is required"),
        ),
        row(
            REQUIRED,
            "empty Agent Skill Id",
            empty("agentSkillId"),
            Has(F(Field::SkillId), Error, "Agent Skill Id is required"),
        ),
        row(
            REQUIRED,
            "blank Agent Skill Id",
            bot(vec![esc(json!({"agentSkillId": "   "}))]),
            Has(F(Field::SkillId), Error, "Agent Skill Id is required"),
        ),
        row(
            BLANK,
            "empty Message to User",
            empty("transferMessage"),
            Has(F(Field::Message), Error, "Message to User is required"),
        ),
        row(
            AGENT_ID,
            "empty Agent Id is fine",
            empty("agentId"),
            Clean(F(Field::AgentId)),
        ),
        row(
            TRANSFORM,
            "empty Transform Result Script is fine",
            empty("transformResultsScript"),
            Clean(F(Field::TransformScript)),
        ),
    ]);
}

#[test]
fn agent_skill_id() {
    let skill = |value: &str| bot(vec![esc(json!({ "agentSkillId": value }))]);
    let with = |value: &str, sidecar: Sidecar, case: &'static str, expect: Expect| Row {
        spec: SKILL_ID,
        case,
        doc: skill(value),
        sidecar,
        target: ESC,
        expect,
    };
    check(vec![
        row(SKILL_ID, "digits", skill("12345"), Clean(F(Field::SkillId))),
        with(
            "{$botContext.skillId}",
            context(&[("botContext.skillId", "77")]),
            "variable with a numeric sample",
            Has(
                F(Field::SkillId),
                Hint,
                "{$botContext.skillId} is 77 in the sample context",
            ),
        ),
        Row {
            spec: SKILL_ID_FALLBACK,
            ..with(
                "{$botContext.skillId}",
                context(&[("botContext.skillId", "sales")]),
                "variable with a non-numeric sample",
                Has(
                    F(Field::SkillId),
                    Hint,
                    "is \"sales\" in the sample context: not numeric, so the fallback message would be sent",
                ),
            )
        },
        with(
            "{$botContext.skillId}",
            Sidecar::default(),
            "variable without a sample",
            Has(
                F(Field::SkillId),
                Hint,
                "{$botContext.skillId} is evaluated when the escalation runs",
            ),
        ),
        with(
            "{$botContext.slot.x}",
            Sidecar::default(),
            "slot variable",
            Has(F(Field::SkillId), Hint, "{$botContext.slot.x}"),
        ),
        with(
            "{$botContext.slot.x}",
            context(&[("botContext.slot.x", "5")]),
            "slot variable with a sample",
            Has(F(Field::SkillId), Hint, "is 5 in the sample context"),
        ),
        with(
            "{$env.x}",
            Sidecar::default(),
            "env variable",
            Has(F(Field::SkillId), Hint, "{$env.x}"),
        ),
        with(
            "{$env.x}",
            context(&[("env.x", "9")]),
            "env variable with a sample",
            Has(
                F(Field::SkillId),
                Hint,
                "{$env.x} is 9 in the sample context",
            ),
        ),
        row(
            SKILL_ID_FALLBACK,
            "letters",
            skill("abc"),
            Has(F(Field::SkillId), Error, "fallback message"),
        ),
        row(
            SKILL_ID_FALLBACK,
            "digits and a letter",
            skill("12a"),
            Has(
                F(Field::SkillId),
                Error,
                "\"12a\" is neither a number nor a single variable",
            ),
        ),
        row(
            SKILL_ID_FALLBACK,
            "two variables",
            skill("{$botContext.a}{$botContext.b}"),
            Has(F(Field::SkillId), Error, "fallback message"),
        ),
        row(
            SKILL_ID_FALLBACK,
            "a variable with text around it",
            skill("1{$botContext.a}"),
            Has(F(Field::SkillId), Error, "fallback message"),
        ),
        row(
            SKILL_ID_FALLBACK,
            "an integration result is not a skill id variable",
            skill("{$.api_Esc.id}"),
            Has(F(Field::SkillId), Error, "fallback message"),
        ),
    ]);
}

#[test]
fn agent_id() {
    let agent = |value: &str| bot(vec![esc(json!({ "agentId": value }))]);
    check(vec![
        row(
            AGENT_ID,
            "Messaging <accountId>.<agentId>",
            agent("123.456"),
            Clean(F(Field::AgentId)),
        ),
        row(
            AGENT_ID,
            "Live Chat <agentId>",
            agent("789"),
            Clean(F(Field::AgentId)),
        ),
        row(
            AGENT_ID,
            "a variable",
            agent("{$botContext.agentId}"),
            Clean(F(Field::AgentId)),
        ),
        row(
            AGENT_ID,
            "letters",
            agent("abc"),
            Has(F(Field::AgentId), Error, "\"abc\" is not an agent id"),
        ),
        row(
            AGENT_ID,
            "three parts",
            agent("1.2.3"),
            Has(F(Field::AgentId), Error, "is not an agent id"),
        ),
        row(
            TRANSFER_CONTEXT,
            "agent id with Transfer Bot Context",
            bot(vec![esc(
                json!({"agentId": "789", "tangoContextEnabled": true}),
            )]),
            Has(F(Field::AgentId), Warning, "both are set"),
        ),
        row(
            TRANSFER_CONTEXT,
            "Transfer Bot Context alone",
            bot(vec![esc(json!({"tangoContextEnabled": true}))]),
            Clean(F(Field::AgentId)),
        ),
    ]);
}

#[test]
fn message_to_user() {
    let message = |value: &str| bot(vec![esc(json!({ "transferMessage": value }))]);
    check(vec![
        row(
            BLANK,
            "BLANK_MESSAGE",
            message("BLANK_MESSAGE"),
            Has(F(Field::Message), Hint, "no message will be shown"),
        ),
        row(
            BLANK,
            "BLANK_MESSAGE is not a warning",
            message("BLANK_MESSAGE"),
            AtMost(F(Field::Message), Hint),
        ),
        row(
            BLANK,
            "blank_message in lower case",
            message("blank_message"),
            Has(
                F(Field::Message),
                Warning,
                "\"blank_message\" is not BLANK_MESSAGE",
            ),
        ),
        row(
            MESSAGE_VARS,
            "static text",
            message("Hold on – Grüße, 你好"),
            Clean(F(Field::Message)),
        ),
        row(
            MESSAGE_VARS,
            "text and a variable",
            message("Hold on, {$botContext.name}."),
            Clean(F(Field::Message)),
        ),
        row(
            MESSAGE_VARS,
            "an unclosed brace",
            message("Hold on, {$botContext.name"),
            Has(F(Field::Message), Warning, "is never closed"),
        ),
        row(
            MESSAGE_VARS,
            "a stray closing brace",
            message("Hold on } please"),
            Has(F(Field::Message), Warning, "closes nothing"),
        ),
        row(
            MESSAGE_VARS,
            "an unknown variable",
            message("Hello {$foo}"),
            Has(
                F(Field::Message),
                Warning,
                "{$foo} is not a variable Conversation Builder knows",
            ),
        ),
    ]);
}

#[test]
fn names() {
    let named = |name: &str, var: &str| integration(name, json!({ "responseDataVariable": var }));
    check(vec![
        row(
            NAME,
            "duplicate Integration Name",
            bot(vec![esc(json!({})), named("esc", "Other")]),
            Has(
                F(Field::Name),
                Error,
                "another integration already has the Integration Name \"Esc\"",
            ),
        ),
        row(
            RESPONSE_VARIABLE,
            "duplicate Response Data Variable Name",
            bot(vec![
                esc(json!({"responseDataVariable": "Shared"})),
                named("Other", "Shared"),
            ]),
            Has(
                F(Field::ResponseDataVariable),
                Error,
                "another integration already has the Response Data Variable Name \"Shared\"",
            ),
        ),
        row(
            NAME,
            "distinct names",
            bot(vec![esc(json!({})), named("Other", "Other")]),
            Clean(F(Field::Name)),
        ),
        Row {
            target: "my name",
            ..row(
                NAME,
                "a name with a space",
                bot(vec![esc(
                    json!({"name": "my name", "responseDataVariable": "Esc"}),
                )]),
                Has(F(Field::Name), Error, "\"my name\" is not a valid name"),
            )
        },
        row(
            NAME,
            "a variable with a space",
            bot(vec![esc(json!({"responseDataVariable": "my name"}))]),
            Has(
                F(Field::ResponseDataVariable),
                Error,
                "\"my name\" is not a valid name",
            ),
        ),
        Row {
            target: "get_status",
            ..row(
                NAME_PATTERN,
                "snake_case among PascalCase",
                bot(vec![
                    api("GetOrders"),
                    named("AgentHandoff", "AgentHandoff"),
                    named("get_status", "get_status"),
                ]),
                Has(
                    F(Field::Name),
                    Warning,
                    "\"get_status\" breaks the PascalCase pattern",
                ),
            )
        },
        Row {
            target: "AgentHandoff",
            ..row(
                NAME_PATTERN,
                "PascalCase among PascalCase and one odd name",
                bot(vec![
                    api("GetOrders"),
                    named("AgentHandoff", "AgentHandoff"),
                    named("get_status", "get_status"),
                ]),
                Clean(F(Field::Name)),
            )
        },
        row(
            NAME_PATTERN,
            "lower-case single words fit more than one pattern",
            bot(vec![
                api("orders"),
                named("status", "status"),
                esc(json!({})),
            ]),
            Clean(F(Field::Name)),
        ),
    ]);
}

#[test]
fn custom_data_fields() {
    let rows_of = |rows: Value| bot(vec![esc(json!({ "customDataFields": rows })), api("Other")]);
    check(vec![
        row(
            CUSTOM_DATA,
            "a row without a key",
            rows_of(json!([{"key": "", "value": "{$.api_Esc.x}"}])),
            Has(F(Field::CustomData), Error, "row 1 has no key"),
        ),
        row(
            CUSTOM_DATA,
            "a key used twice",
            rows_of(
                json!([{"key": "city", "value": "{$.api_Esc.a}"}, {"key": "city", "value": "{$.api_Esc.b}"}]),
            ),
            Has(
                F(Field::CustomData),
                Error,
                "the key \"city\" is used in rows 1 and 2",
            ),
        ),
        row(
            CUSTOM_DATA,
            "reading another integration's result",
            rows_of(json!([{"key": "x", "value": "{$.api_Other.x}"}])),
            Has(
                F(Field::CustomData),
                Warning,
                "reads the result of the integration \"Other\"",
            ),
        ),
        row(
            CUSTOM_DATA,
            "reading no integration's result",
            rows_of(json!([{"key": "x", "value": "{$.api_Nobody.x}"}])),
            Has(
                F(Field::CustomData),
                Warning,
                "names no integration's result",
            ),
        ),
        row(
            CUSTOM_DATA,
            "reading its own result",
            rows_of(json!([{"key": "x", "value": "{$.api_Esc.items[0].x}"}])),
            Clean(F(Field::CustomData)),
        ),
    ]);
}

#[test]
fn interaction_delay() {
    let dialog = |kinds: &[&str], delay: Option<&str>| {
        let mut messages = main_dialog(kinds, delay);
        messages.extend(failure_dialog("__agent_escalation_failed__"));
        bot_with(vec![esc(json!({}))], messages)
    };
    check(vec![
        row(
            DELAY,
            "two texts and no delay",
            dialog(&["TEXT", "TEXT"], Some("0")),
            Has(I, Warning, "2 messages × 2000 ms = 4000 ms"),
        ),
        row(
            DELAY,
            "the warning names the interaction and dialog",
            dialog(&["TEXT", "TEXT"], Some("0")),
            Has(I, Warning, "in dialog \"Main\" waits 0 ms"),
        ),
        row(
            DELAY,
            "two texts and no delay set at all",
            dialog(&["TEXT", "TEXT"], None),
            Has(I, Warning, "2 messages × 2000 ms = 4000 ms"),
        ),
        row(
            DELAY,
            "two texts and 4000 ms",
            dialog(&["TEXT", "TEXT"], Some("4000")),
            Clean(I),
        ),
        row(
            DELAY,
            "two texts and more than enough",
            dialog(&["TEXT", "TEXT"], Some("6000")),
            Clean(I),
        ),
        row(
            DELAY,
            "three texts and 2000 ms",
            dialog(&["TEXT", "TEXT", "TEXT"], Some("2000")),
            Has(I, Warning, "3 messages × 2000 ms = 6000 ms"),
        ),
        row(
            DELAY,
            "a question stops the count",
            dialog(&["TEXT", "TEXT", "TEXT_QUESTION", "TEXT"], Some("0")),
            Has(I, Warning, "1 message × 2000 ms = 2000 ms"),
        ),
        row(
            DELAY,
            "a question right before: nothing to wait for",
            dialog(&["TEXT", "TEXT_QUESTION"], Some("0")),
            Clean(I),
        ),
        row(DELAY, "no texts before", dialog(&[], None), Clean(I)),
    ]);
}

#[test]
fn the_per_message_time_comes_from_the_settings() {
    let mut messages = main_dialog(&["TEXT", "TEXT"], Some("3000"));
    messages.extend(failure_dialog("__agent_escalation_failed__"));
    let doc = bot_with(vec![esc(json!({}))], messages);
    let sidecar = Sidecar {
        per_message_ms: Some(1500),
        ..Sidecar::default()
    };
    assert!(validate_bot(&doc, &sidecar).is_empty());
    let sidecar = Sidecar {
        per_message_ms: Some(2500),
        ..Sidecar::default()
    };
    let found = validate_bot(&doc, &sidecar);
    assert!(
        found
            .iter()
            .any(|d| d.message.contains("2 messages × 2500 ms = 5000 ms")),
        "{found:#?}"
    );
}

#[test]
fn failure_dialog_rule() {
    let with = |messages: Vec<Value>| bot_with(vec![esc(json!({}))], messages);
    check(vec![
        row(
            FAILURE,
            "an escalation and no failure dialog",
            with(vec![]),
            Has(
                Bot,
                Warning,
                "no dialog catches __agent_escalation_failed__",
            ),
        ),
        row(
            FAILURE,
            "a dialog starter pattern __agent_escalation_failed__",
            with(failure_dialog("__agent_escalation_failed__")),
            Clean(Bot),
        ),
        row(
            FAILURE,
            "a dialog starter pattern *escalation_failed*",
            with(failure_dialog("*escalation_failed*")),
            Clean(Bot),
        ),
        row(
            FAILURE,
            "a starter pattern that does not catch it",
            with(failure_dialog("agent")),
            Has(
                Bot,
                Warning,
                "no dialog catches __agent_escalation_failed__",
            ),
        ),
        row(
            FAILURE,
            "no escalation at all",
            bot_with(vec![api("GetOrders")], vec![]),
            Clean(Bot),
        ),
        row(
            FAILURE,
            "an Agent Transfer interaction escalates too",
            bot_with(
                vec![],
                vec![interaction("t1", "ESCALATION", "main", "", "")],
            ),
            Has(
                Bot,
                Warning,
                "no dialog catches __agent_escalation_failed__",
            ),
        ),
    ]);
}

#[test]
fn hand_entered_message_count_when_no_interaction_runs_it() {
    let doc = bot(vec![esc(json!({}))]);
    let esc = doc.find_integration(ESC).unwrap();
    let sidecar = Sidecar {
        message_counts: [(ESC.to_string(), 3)].into_iter().collect(),
        ..Sidecar::default()
    };
    let plans = delay::plans(&doc, &esc, &sidecar);
    assert_eq!(plans.len(), 1);
    let plan = &plans[0];
    assert_eq!(plan.source, CountSource::HandEntered);
    assert_eq!(plan.messages, 3);
    assert_eq!(plan.per_message_ms, 2000);
    assert_eq!(plan.recommended_ms, 6000);
    assert_eq!(plan.configured_ms, None);
    assert_eq!(plan.formula(), "3 messages × 2000 ms = 6000 ms");
    assert!(!plan.is_short(), "no interaction: nothing to warn about");
    assert!(
        validate_bot(&doc, &sidecar).is_empty(),
        "a hand-entered count alone raises no warning"
    );

    let none = delay::plans(&doc, &esc, &Sidecar::default());
    assert_eq!(none[0].messages, 0);
    assert_eq!(none[0].source, CountSource::HandEntered);

    // Once an interaction runs it, the dialog's count wins over the hand-entered one.
    let mut messages = main_dialog(&["TEXT"], Some("2000"));
    messages.extend(failure_dialog("__agent_escalation_failed__"));
    let run = bot_with(vec![integration(ESC, json!({}))], messages);
    let plans = delay::plans(&run, &run.find_integration(ESC).unwrap(), &sidecar);
    assert_eq!(plans.len(), 1);
    assert_eq!(plans[0].source, CountSource::Dialog);
    assert_eq!(plans[0].messages, 1);
    assert_eq!(plans[0].configured_ms, Some(2000));
}
