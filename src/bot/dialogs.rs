//! Dialog starters and the patterns they catch, for finding the dialog that answers
//! `__agent_escalation_failed__`.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use crate::bot::BotDocument;
use crate::bot::edit::EditError;
use crate::bot::ids;
use crate::bot::keys;
use crate::bot::read::{Dialog, Interaction};

/// The name of the dialog [`BotDocument::add_failure_dialog`] adds (made unique when taken).
pub const FAILURE_DIALOG_NAME: &str = "Escalation Failed";
/// The apology a new failure dialog sends, from the product page.
pub const DEFAULT_APOLOGY: &str =
    "Sorry, we're unable to perform the transfer at this time. Please try again later.";
/// The names of the failure dialog's two interactions (made unique when taken).
pub const FAILURE_STARTER_NAME: &str = "escalation_failed_starter";
pub const FAILURE_MESSAGE_NAME: &str = "escalation_failed_message";

/// Whether a starter pattern catches `message`: case-insensitive, `*` for any text, `?` for
/// one character, `(a|b)` for alternatives, or a regular expression matching it whole.
pub fn pattern_matches(pattern: &str, message: &str) -> bool {
    let chars: Vec<char> = message.to_lowercase().chars().collect();
    expand_alternatives(&pattern.trim().to_lowercase(), 256)
        .iter()
        .any(|p| glob(&p.chars().collect::<Vec<_>>(), &chars))
        || regex_matches(pattern, message)
}

/// Patterns may also be regular expressions (`__agent_.*_failed__`); they must match the
/// whole message. A pattern that is not a valid expression simply does not match this way.
fn regex_matches(pattern: &str, message: &str) -> bool {
    // Without a metacharacter an expression is its own text, which the glob compared already
    // (and compiling one expression per starter is most of a large bot's failure check).
    if !pattern.contains([
        '.', '^', '$', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '\\',
    ]) {
        return false;
    }
    regex_lite::Regex::new(&format!("(?i)^(?:{})$", pattern.trim()))
        .is_ok_and(|re| re.is_match(message))
}

/// Expands `(a|b)c` into `ac`, `bc`, up to `limit` patterns.
fn expand_alternatives(pattern: &str, limit: usize) -> Vec<String> {
    let Some(open) = pattern.find('(') else {
        return vec![pattern.to_string()];
    };
    let mut depth = 0;
    let mut close = None;
    for (i, c) in pattern[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(open + i);
                    break;
                }
            }
            _ => {}
        }
    }
    let Some(close) = close else {
        return vec![pattern.to_string()];
    };
    let (head, inner, tail) = (
        &pattern[..open],
        &pattern[open + 1..close],
        &pattern[close + 1..],
    );
    let mut options = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            '|' if depth == 0 => {
                options.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    options.push(&inner[start..]);
    let mut out = Vec::new();
    for option in options {
        for rest in expand_alternatives(&format!("{option}{tail}"), limit) {
            if out.len() >= limit {
                return out;
            }
            out.push(format!("{head}{rest}"));
        }
    }
    out
}

fn glob(p: &[char], s: &[char]) -> bool {
    // Iterative wildcard match with one backtrack point.
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == s[si]) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, si));
            pi += 1;
        } else if let Some((sp, ss)) = star {
            pi = sp + 1;
            si = ss + 1;
            star = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// The enabled dialogs whose starter catches `__agent_escalation_failed__`.
pub fn failure_dialogs(doc: &BotDocument) -> Vec<Dialog> {
    failure_dialogs_among(&doc.dialogs(), &doc.interactions())
}

/// [`failure_dialogs`] of a bot's dialogs and interactions, read already.
pub fn failure_dialogs_among(dialogs: &[Dialog], interactions: &[Interaction]) -> Vec<Dialog> {
    let by_id: std::collections::HashMap<&str, &Dialog> =
        dialogs.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut seen = std::collections::HashSet::new();
    let mut found: Vec<Dialog> = Vec::new();
    for starter in interactions
        .iter()
        .filter(|i| i.kind == keys::IT_DIALOG_STARTER)
    {
        if seen.contains(starter.dialog_id.as_str()) {
            continue;
        }
        if starter
            .patterns
            .iter()
            .any(|p| pattern_matches(p, keys::ESCALATION_FAILED_MESSAGE))
            && let Some(d) = by_id.get(starter.dialog_id.as_str()).filter(|d| d.enabled)
        {
            seen.insert(d.id.clone());
            found.push((*d).clone());
        }
    }
    found
}

/// What [`BotDocument::add_failure_dialog`] added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedDialog {
    /// The dialog's place in `groups[]`.
    pub index: usize,
    pub id: String,
    pub name: String,
    /// The dialog starter catching `__agent_escalation_failed__`.
    pub starter_id: String,
    pub starter_name: String,
    /// The text statement with the apology.
    pub message_id: String,
    pub message_name: String,
    pub message: String,
}

impl BotDocument {
    /// Appends a dialog that catches `__agent_escalation_failed__` and answers with `message`
    /// (a dialog starter and a text statement, in the shape of the bot's own dialogs and
    /// interactions). Refused, with nothing changed, when an enabled dialog catches the
    /// message already or `message` is blank.
    pub(super) fn add_failure_dialog(&mut self, message: &str) -> Result<AddedDialog, EditError> {
        if let Some(existing) = failure_dialogs(self).first() {
            return Err(EditError(format!(
                "the dialog \"{}\" already catches {}; nothing added",
                existing.name,
                keys::ESCALATION_FAILED_MESSAGE
            )));
        }
        if message.trim().is_empty() {
            return Err(EditError(
                "the apology is empty; give the text the bot sends when a transfer fails".into(),
            ));
        }
        for section in [keys::GROUPS, keys::CONVERSATION_MESSAGE] {
            if self.is_not_a_list(section) {
                return Err(EditError(format!(
                    "\"{section}\" is not a list in this file; cannot add a dialog to it"
                )));
            }
        }

        let bot_id = self.bot_id();
        let dialogs = self.dialogs();
        let interactions = self.interactions();
        let dialog_names: Vec<String> = dialogs.iter().map(|d| d.name.clone()).collect();
        let interaction_names: Vec<String> = interactions.iter().map(|i| i.name.clone()).collect();
        let mut taken_ids: HashSet<String> = dialogs
            .iter()
            .map(|d| d.id.clone())
            .chain(interactions.iter().map(|i| i.id.clone()))
            .collect();
        let mut fresh = |make: fn() -> String| loop {
            let id = make();
            if taken_ids.insert(id.clone()) {
                return id;
            }
        };
        let dialog_id = fresh(ids::uuid);
        let starter_id = fresh(ids::interaction_id);
        let message_id = fresh(ids::interaction_id);
        let name = unique(&dialog_names, FAILURE_DIALOG_NAME, " ");
        let starter_name = unique(&interaction_names, FAILURE_STARTER_NAME, "_");
        let message_name = unique(&interaction_names, FAILURE_MESSAGE_NAME, "_");

        let group_template = self.template(keys::GROUPS, |m| {
            m.get(keys::DIALOG_TYPE).and_then(Value::as_str) == Some(keys::DIALOG)
        });
        let starter_template = self.template(keys::CONVERSATION_MESSAGE, |m| {
            kind_of(m) == Some(keys::IT_DIALOG_STARTER) && m.contains_key(keys::NEXT_MESSAGE_ID)
        });
        let text_template = self
            .template(keys::CONVERSATION_MESSAGE, |m| {
                kind_of(m) == Some(keys::IT_TEXT) && m.contains_key(keys::PREV_MESSAGE_ID)
            })
            .or_else(|| {
                self.template(keys::CONVERSATION_MESSAGE, |m| {
                    kind_of(m) == Some(keys::IT_TEXT)
                })
            });

        let group = group_entry(group_template.as_ref(), &bot_id, &dialog_id, &name);
        let starter = interaction_entry(
            starter_template.as_ref(),
            NewInteraction {
                id: &starter_id,
                bot_id: &bot_id,
                name: &starter_name,
                dialog_id: &dialog_id,
                kind: keys::IT_DIALOG_STARTER,
                pattern: Some(keys::ESCALATION_FAILED_MESSAGE),
                text: None,
                next: Some(&message_id),
                prev: None,
            },
        );
        let text = interaction_entry(
            text_template.as_ref(),
            NewInteraction {
                id: &message_id,
                bot_id: &bot_id,
                name: &message_name,
                dialog_id: &dialog_id,
                kind: keys::IT_TEXT,
                pattern: None,
                text: Some(message),
                next: None,
                prev: Some(&starter_id),
            },
        );

        let mut index = 0;
        for (section, entries) in [
            (keys::GROUPS, vec![group]),
            (keys::CONVERSATION_MESSAGE, vec![starter, text]),
        ] {
            if let Some(mut list) = self.list_mut(section) {
                if section == keys::GROUPS {
                    index = list.len();
                }
                for entry in entries {
                    list.push(entry);
                }
            }
        }
        Ok(AddedDialog {
            index,
            id: dialog_id,
            name,
            starter_id,
            starter_name,
            message_id,
            message_name,
            message: message.to_string(),
        })
    }

    /// The first entry of `section` that `pick` accepts, else the first entry, as a model of
    /// the key order and constant values this bot's exports use.
    pub(crate) fn template(
        &self,
        section: &str,
        pick: impl Fn(&Map<String, Value>) -> bool,
    ) -> Option<Map<String, Value>> {
        let objects = || {
            self.items(section)
                .filter_map(|item| match item.into_owned() {
                    Value::Object(map) => Some(map),
                    _ => None,
                })
        };
        let found = objects().find(|m| pick(m));
        if section == keys::GROUPS {
            found.or_else(|| objects().next())
        } else {
            found
        }
    }
}

pub(crate) fn kind_of(map: &Map<String, Value>) -> Option<&str> {
    map.get(keys::INTERACTION_TYPE).and_then(Value::as_str)
}

/// `base`, or `base{sep}2`, `base{sep}3`... whichever is not in `taken` (ignoring case).
pub(crate) fn unique(taken: &[String], base: &str, sep: &str) -> String {
    let free = |n: &str| !taken.iter().any(|t| t.eq_ignore_ascii_case(n));
    if free(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}{sep}{n}"))
        .find(|n| free(n))
        .unwrap_or_else(|| base.to_string())
}

/// The object of `values` (in canonical order) laid out in the key order of `template`: keys
/// the template has come in its order, the others right after the canonical key before them.
pub(crate) fn order_like(
    template: Option<&Map<String, Value>>,
    values: Vec<(&str, Value)>,
) -> Value {
    let Some(template) = template else {
        return Value::Object(
            values
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        );
    };
    let canonical: Vec<&str> = values.iter().map(|(k, _)| *k).collect();
    let mut order: Vec<&str> = template
        .keys()
        .map(String::as_str)
        .filter(|k| canonical.contains(k))
        .collect();
    for (ci, key) in canonical.iter().enumerate() {
        if order.contains(key) {
            continue;
        }
        let at = canonical[..ci]
            .iter()
            .rev()
            .find_map(|before| order.iter().position(|k| k == before))
            .map_or(0, |p| p + 1);
        order.insert(at, key);
    }
    let mut values: Map<String, Value> = values
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    Value::Object(
        order
            .into_iter()
            .filter_map(|k| values.shift_remove(k).map(|v| (k.to_string(), v)))
            .collect(),
    )
}

/// The template's value of `key` when it is a string, else `default`.
fn string_or(template: Option<&Map<String, Value>>, key: &str, default: &str) -> Value {
    json!(
        template
            .and_then(|t| t.get(key))
            .and_then(Value::as_str)
            .unwrap_or(default)
    )
}

/// Whether a key the realworld shape has only sometimes belongs in the new entry: it does
/// when the template has it, or when there is no template.
fn wanted(template: Option<&Map<String, Value>>, key: &str) -> bool {
    template.is_none_or(|t| t.contains_key(key))
}

fn group_entry(template: Option<&Map<String, Value>>, bot_id: &str, id: &str, name: &str) -> Value {
    let mut values = vec![
        (keys::CHAT_BOT_ID, json!(bot_id)),
        (keys::ID, json!(id)),
        (keys::NAME, json!(name)),
    ];
    for key in [keys::CREATION_TIME, keys::MODIFICATION_TIME] {
        if wanted(template, key) {
            let now = match template.and_then(|t| t.get(key)) {
                Some(Value::Number(_)) => json!(now_millis()),
                _ => json!(now_text()),
            };
            values.push((key, now));
        }
    }
    values.push((keys::DIALOG_TYPE, json!(keys::DIALOG)));
    values.push((keys::STATUS, json!(keys::ENABLED)));
    if wanted(template, keys::DISAMBIGUATE_ONLY_SELECTED_DOMAINS) {
        values.push((keys::DISAMBIGUATE_ONLY_SELECTED_DOMAINS, json!(false)));
    }
    order_like(template, values)
}

/// What differs between the two interactions of a failure dialog.
pub(crate) struct NewInteraction<'a> {
    pub(crate) id: &'a str,
    pub(crate) bot_id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) dialog_id: &'a str,
    pub(crate) kind: &'a str,
    pub(crate) pattern: Option<&'a str>,
    pub(crate) text: Option<&'a str>,
    pub(crate) next: Option<&'a str>,
    pub(crate) prev: Option<&'a str>,
}

/// An interaction in the shape of `template` (an interaction of the same type in this bot) or,
/// without one, of the real exports. Only keys with constant values are copied: scripts,
/// comments and delays of the template are not.
pub(crate) fn interaction_entry(
    template: Option<&Map<String, Value>>,
    new: NewInteraction,
) -> Value {
    let mut values = vec![
        (keys::ID, json!(new.id)),
        (keys::CHAT_BOT_ID, json!(new.bot_id)),
        (keys::USER_INPUT_REQUIRED, json!(false)),
        (keys::NAME, json!(new.name)),
    ];
    if let Some(pattern) = new.pattern {
        values.push((keys::PATTERN, json!([pattern])));
    }
    values.push((
        keys::TYPE,
        string_or(template, keys::TYPE, keys::MESSAGE_TYPE_BOT),
    ));
    let content_type = string_or(
        template.and_then(|t| t.get(keys::CONTENT)?.as_object()),
        keys::CONTENT_TYPE,
        keys::CONTENT_STATIC,
    );
    let mut tile = Map::new();
    if let Some(text) = new.text {
        tile.insert(keys::TEXT.into(), json!(text));
    }
    tile.insert(keys::BUTTONS.into(), json!([]));
    tile.insert(keys::QUICK_REPLY_LIST.into(), json!([]));
    values.push((
        keys::CONTENT,
        json!({
            keys::CONTENT_TYPE: content_type,
            keys::RESULTS: {
                keys::TYPE: new.kind,
                keys::TILE: { keys::TILE_DATA: [tile] },
            },
        }),
    ));
    values.push((keys::GROUP, json!(new.dialog_id)));
    values.push((
        keys::STATUS,
        string_or(template, keys::STATUS, keys::INTERACTION_ACTIVE),
    ));
    if wanted(template, keys::REQUIRED) {
        let required = template
            .and_then(|t| t.get(keys::REQUIRED))
            .and_then(Value::as_bool)
            .unwrap_or(true);
        values.push((keys::REQUIRED, json!(required)));
    }
    if let Some(next) = new.next {
        values.push((keys::NEXT_MESSAGE_ID, json!(next)));
    }
    if let Some(prev) = new.prev {
        values.push((keys::PREV_MESSAGE_ID, json!(prev)));
    }
    values.push((keys::RESPONSE_MATCHES, json!([next_rule(template)])));
    values.push((keys::INTERACTION_TYPE, json!(new.kind)));
    order_like(template, values)
}

/// The rule "go on to the next interaction", shaped like the template's first rule.
fn next_rule(template: Option<&Map<String, Value>>) -> Value {
    let first = template
        .and_then(|t| t.get(keys::RESPONSE_MATCHES))
        .and_then(Value::as_array)
        .and_then(|rules| rules.first())
        .and_then(Value::as_object);
    let mut values = Vec::new();
    if let Some(name) = first
        .and_then(|r| r.get(keys::RULE_NAME))
        .and_then(Value::as_str)
    {
        values.push((keys::RULE_NAME, json!(name)));
    }
    values.extend([
        (keys::RULE_CONDITIONS, json!([])),
        (keys::RULE_CONTEXT_CONDITIONS, json!([])),
        (
            keys::RULE_ACTION,
            json!({
                keys::ACTION_NAME: keys::ACTION_INTERACTION,
                keys::ACTION_VALUE: keys::ACTION_NEXT,
            }),
        ),
        (keys::RULE_CONTEXT_DATA_VARIABLES, json!([])),
    ]);
    order_like(first, values)
}

fn now_millis() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// The current time (UTC) as real exports write dialog times: `2021-09-20 16:41:15`.
fn now_text() -> String {
    format_time(now_millis() / 1000)
}

fn format_time(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rest = secs % 86_400;
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_patterns_catch_the_failure_message() {
        let m = keys::ESCALATION_FAILED_MESSAGE;
        for (pattern, catches) in [
            ("__agent_escalation_failed__", true),
            ("__AGENT_ESCALATION_FAILED__", true),
            ("*escalation_failed*", true),
            ("(hi|__agent_escalation_failed__)", true),
            ("__agent_escalation_(failed|ok)__", true),
            ("*", true),
            ("agent", false),
            ("*agent", false),
            ("__agent_escalation_failed", false),
            ("__agent_.*_failed__", true),
            ("^__agent_escalation_(failed|dropped)__$", true),
            ("[a-z_]+failed__", true),
            ("[0-9]+", false),
        ] {
            assert_eq!(pattern_matches(pattern, m), catches, "{pattern}");
        }
    }

    #[test]
    fn a_disabled_dialog_catches_nothing() {
        let bot = |status: &str| {
            let text = serde_json::to_string_pretty(&serde_json::json!({
                "bot": {}, "responder": [],
                "groups": [{"id": "g", "name": "Failed", "status": status}],
                "conversationMessage": [{"id": "s", "group": "g", "interactionType": "DIALOG_STARTER",
                    "pattern": ["__agent_escalation_failed__"]}]
            }))
            .unwrap();
            BotDocument::from_bytes(text.as_bytes()).unwrap()
        };
        assert_eq!(failure_dialogs(&bot("ENABLED")).len(), 1);
        assert!(failure_dialogs(&bot("DISABLED")).is_empty());
    }

    #[test]
    fn times_are_written_like_the_exports() {
        assert_eq!(format_time(0), "1970-01-01 00:00:00");
        assert_eq!(format_time(1_632_156_075), "2021-09-20 16:41:15");
        assert_eq!(format_time(951_782_400), "2000-02-29 00:00:00");
    }

    #[test]
    fn the_new_keys_follow_the_templates_order() {
        let template: Map<String, Value> =
            serde_json::from_str(r#"{"b": 0, "x": 0, "a": 0, "d": 0}"#).unwrap();
        let ordered = order_like(
            Some(&template),
            vec![
                ("a", json!(1)),
                ("b", json!(2)),
                ("c", json!(3)),
                ("d", json!(4)),
            ],
        );
        let keys: Vec<&String> = ordered.as_object().unwrap().keys().collect();
        // The template's order for its keys; `c` right after `b`, the canonical key before it.
        assert_eq!(keys, ["b", "c", "a", "d"]);
    }

    #[test]
    fn a_failure_dialog_is_added_once_in_the_bots_shape() {
        let text = serde_json::to_string_pretty(&json!({
            "bot": {"id": "b"}, "responder": [],
            "groups": [{"id": "g", "name": "Escalation Failed", "dialogType": "DIALOG", "status": "ENABLED"}],
            "conversationMessage": [
                {"id": "s", "name": "escalation_failed_starter", "group": "g", "interactionType": "DIALOG_STARTER",
                 "pattern": ["hi"], "nextMessageId": "t", "status": "ACTIVE"},
                {"id": "t", "name": "x", "group": "g", "interactionType": "TEXT", "prevMessageId": "s",
                 "preProcessMessage": "script()", "interactionDelay": "500",
                 "responseMatches": [{"name": "RULE_1", "conditions": [1], "action": {}}]}
            ]
        }))
        .unwrap();
        let mut doc = BotDocument::from_bytes(text.as_bytes()).unwrap();
        let added = doc.add_failure_dialog(DEFAULT_APOLOGY).unwrap();
        assert_eq!(added.name, "Escalation Failed 2");
        assert_eq!(added.starter_name, "escalation_failed_starter_2");
        assert_eq!(added.message_name, FAILURE_MESSAGE_NAME);
        assert_eq!(added.index, 1);
        let found = failure_dialogs(&doc);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].id, added.id);
        let root = doc.root();
        let list = root["conversationMessage"].as_array().unwrap();
        let message = &list[3];
        assert_eq!(
            message["content"]["results"]["tile"]["tileData"][0]["text"],
            DEFAULT_APOLOGY
        );
        assert!(message.get("preProcessMessage").is_none());
        assert!(message.get("interactionDelay").is_none());
        assert_eq!(
            message["responseMatches"],
            json!([{"name": "RULE_1", "conditions": [], "contextConditions": [],
                "action": {"name": "INTERACTION", "value": "next"}, "contextDataVariables": []}])
        );
        let err = doc.add_failure_dialog("again").unwrap_err();
        assert!(err.0.contains("\"Escalation Failed 2\""), "{err}");
    }
}
