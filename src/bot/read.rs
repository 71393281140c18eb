//! Typed views over the document: the bot, its integrations, interactions and dialogs.

use serde_json::{Map, Value};

use super::{BotDocument, keys};
use crate::bot::integration::{CustomDataField, Escalation, Integration, IntegrationKind};

pub use crate::export::{PathSeg, path_to_string};

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

type ShapeResult = Result<(), (Vec<PathSeg>, String)>;

/// The lists whose items [`check_item`] checks.
pub(crate) const SHAPED_LISTS: [&str; 3] =
    [keys::RESPONDER, keys::CONVERSATION_MESSAGE, keys::GROUPS];

/// The `bot` object: an object, its attributes too when it has them.
pub(crate) fn check_bot(bot: &Value) -> ShapeResult {
    let at = || vec![PathSeg::Key(keys::BOT.to_string())];
    expect_object(bot, at)?;
    if let Some(attributes) = bot.get(keys::BOT_ATTRIBUTES) {
        expect_object(attributes, || {
            let mut path = at();
            path.push(PathSeg::Key(keys::BOT_ATTRIBUTES.into()));
            path
        })?;
    }
    Ok(())
}

/// Item `i` of the list `list` (one of [`SHAPED_LISTS`]): an object whose identifying members
/// are strings (or null), and for an integration, custom data rows that are objects.
pub(crate) fn check_item(list: &str, i: usize, item: &Value) -> ShapeResult {
    let fields: &[&str] = match list {
        keys::RESPONDER => &[
            keys::ID,
            keys::NAME,
            keys::RESPONSE_DATA_VARIABLE,
            keys::INTEGRATION_TYPE,
            keys::TRANSFORM_SCRIPT,
        ],
        keys::CONVERSATION_MESSAGE => &[
            keys::ID,
            keys::NAME,
            keys::GROUP,
            keys::INTERACTION_TYPE,
            keys::PREV_MESSAGE_ID,
            keys::NEXT_MESSAGE_ID,
        ],
        _ => &[keys::ID, keys::NAME, keys::DIALOG_TYPE],
    };
    // The path is only spelled out for an error: a large bot has many items.
    let path = || vec![PathSeg::Key(list.into()), PathSeg::Index(i)];
    let entry = expect_object(item, path)?;
    for field in fields {
        if let Some(v) = member(entry, field)
            && !v.is_string()
            && !v.is_null()
        {
            let mut p = path();
            p.push(PathSeg::Key(field.to_string()));
            return Err((p, format!("expected a string, found {}", type_name(v))));
        }
    }
    let at = |key: &str| {
        let mut p = path();
        p.push(PathSeg::Key(key.to_string()));
        p
    };
    if list == keys::RESPONDER {
        if let Some(v) = member(entry, keys::TANGO_CONTEXT_ENABLED)
            && !v.is_boolean()
            && !v.is_null()
        {
            return Err((
                at(keys::TANGO_CONTEXT_ENABLED),
                format!("expected true or false, found {}", type_name(v)),
            ));
        }
        check_custom_data(entry, path)?;
        // The escalation's text fields, under any spelling: a number there is no skill id
        // the platform would read as written.
        let texts = [
            keys::SKILL_NAME_READ,
            keys::SKILL_ID_READ,
            keys::AGENT_ID_READ,
            keys::MESSAGE_READ,
        ];
        for key in texts.into_iter().flatten() {
            if let Some(v) = member(entry, key)
                && !v.is_string()
                && !v.is_null()
            {
                return Err((
                    at(key),
                    format!("expected a string, found {}", type_name(v)),
                ));
            }
        }
    }
    if list == keys::CONVERSATION_MESSAGE {
        if let Some(v) = member(entry, keys::INTERACTION_DELAY)
            && !v.is_null()
            && !v
                .as_str()
                .is_some_and(|t| t.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err((
                at(keys::INTERACTION_DELAY),
                format!(
                    "expected milliseconds as a string of digits (\"2000\"), found {}",
                    match v.as_str() {
                        Some(t) => format!("\"{}\"", crate::export::shown::cut(t, 40)),
                        None => type_name(v).to_string(),
                    }
                ),
            ));
        }
        if let Some(v) = member(entry, keys::CONTENT)
            && !v.is_object()
            && !v.is_null()
        {
            return Err((
                at(keys::CONTENT),
                format!("expected an object, found {}", type_name(v)),
            ));
        }
    }
    Ok(())
}

/// Why a value that is not an object is no bot export.
pub(crate) fn not_an_export(root: &Value) -> String {
    format!(
        "expected a Conversation Builder bot export (an object with \"bot\" and \"responder\"), found {}",
        type_name(root)
    )
}

/// Checks the top-level members of an export (`None`: a list read as its items, which
/// [`check_item`] checks one by one): the known keys there with the types this tool reads.
pub(crate) fn check_top(members: &[(&str, Option<&Value>)]) -> ShapeResult {
    let get = |key: &str| members.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
    for key in [keys::BOT, keys::RESPONDER] {
        if get(key).is_none() {
            return Err((
                vec![],
                format!(
                    "not a Conversation Builder bot export: the \"{key}\" key is missing (export the bot from Bot Settings, Export Bot)"
                ),
            ));
        }
    }
    if let Some(Some(bot)) = get(keys::BOT) {
        check_bot(bot)?;
    }
    for list in SHAPED_LISTS {
        if let Some(Some(value)) = get(list) {
            return Err((
                vec![PathSeg::Key(list.to_string())],
                format!("expected an array, found {}", type_name(value)),
            ));
        }
    }
    Ok(())
}

fn expect_object(
    value: &Value,
    path: impl FnOnce() -> Vec<PathSeg>,
) -> Result<&Map<String, Value>, (Vec<PathSeg>, String)> {
    value.as_object().ok_or_else(|| {
        (
            path(),
            format!("expected an object, found {}", type_name(value)),
        )
    })
}

fn check_custom_data(entry: &Map<String, Value>, item: impl Fn() -> Vec<PathSeg>) -> ShapeResult {
    let Some(value) = member(entry, keys::CUSTOM_DATA_FIELDS) else {
        return Ok(());
    };
    let path = || {
        let mut path = item();
        path.push(PathSeg::Key(keys::CUSTOM_DATA_FIELDS.into()));
        path
    };
    let Some(rows) = value.as_array() else {
        return Err((
            path(),
            format!(
                "expected an array of {{\"key\", \"value\"}} objects, found {}",
                type_name(value)
            ),
        ));
    };
    for (i, row) in rows.iter().enumerate() {
        let row_path = || {
            let mut p = path();
            p.push(PathSeg::Index(i));
            p
        };
        let row = expect_object(row, row_path)?;
        for key in [keys::CUSTOM_DATA_KEY, keys::CUSTOM_DATA_VALUE] {
            if let Some(v) = member(row, key)
                && !v.is_string()
                && !v.is_null()
            {
                let mut p = row_path();
                p.push(PathSeg::Key(key.to_string()));
                return Err((p, format!("expected a string, found {}", type_name(v))));
            }
        }
    }
    Ok(())
}

/// A member of `map`. Objects in an export are small, and comparing a few keys costs less
/// than hashing the one looked for; a large object is looked up by its index.
pub(crate) fn member<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    if map.len() <= 16 {
        map.iter().find_map(|(k, v)| (k == key).then_some(v))
    } else {
        map.get(key)
    }
}

/// A string member, or "" (numbers are shown as written, since ids may be typed as numbers).
fn text(map: &Map<String, Value>, key: &str) -> String {
    match member(map, key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The first of several spellings that the object has.
pub fn first_key<'a>(map: &Map<String, Value>, spellings: &[&'a str]) -> Option<&'a str> {
    spellings.iter().copied().find(|k| member(map, k).is_some())
}

fn text_any(map: &Map<String, Value>, spellings: &[&str]) -> String {
    first_key(map, spellings).map_or_else(String::new, |k| text(map, k))
}

fn flag(map: &Map<String, Value>, key: &str) -> bool {
    match member(map, key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// One interaction of `conversationMessage[]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    pub index: usize,
    pub id: String,
    pub name: String,
    /// The id of its dialog in `groups[]`.
    pub dialog_id: String,
    pub kind: String,
    pub prev: String,
    pub next: String,
    /// The interaction delay in milliseconds, when one is set and readable.
    pub delay_ms: Option<u64>,
    /// The integration an Integration interaction runs: its name and id.
    pub responder_name: String,
    pub responder_id: String,
    /// A dialog starter's patterns.
    pub patterns: Vec<String>,
    pub user_input_required: bool,
}

impl Interaction {
    /// Whether the bot waits for the user after (or, for a starter, before) this interaction.
    pub fn waits_for_user(&self) -> bool {
        self.kind == keys::IT_DIALOG_STARTER
            || keys::QUESTION_TYPES.contains(&self.kind.as_str())
            || self.user_input_required
    }

    /// Whether this is a statement that sends the user a message.
    pub fn is_statement(&self) -> bool {
        keys::STATEMENT_TYPES.contains(&self.kind.as_str())
    }

    /// Whether this Integration interaction runs `integration`.
    pub fn runs(&self, integration: &Integration) -> bool {
        self.kind == keys::IT_API_INTEGRATION
            && if self.responder_id.is_empty() {
                self.responder_name == integration.name
            } else {
                self.responder_id == integration.id
            }
    }
}

/// One dialog of `groups[]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialog {
    pub index: usize,
    pub id: String,
    pub name: String,
    pub dialog_type: String,
    /// A disabled dialog starts for nothing.
    pub enabled: bool,
}

impl BotDocument {
    fn bot_map(&self) -> Option<&Map<String, Value>> {
        self.member(keys::BOT).and_then(Value::as_object)
    }

    /// The bot's name.
    pub fn bot_name(&self) -> String {
        self.bot_map()
            .map_or_else(String::new, |b| text(b, keys::BOT_NAME))
    }

    /// The bot's id.
    pub fn bot_id(&self) -> String {
        self.bot_map().map_or_else(String::new, bot_id_of)
    }

    /// The Bot Settings "default user-friendly response", when one is set.
    pub fn default_user_response(&self) -> Option<String> {
        let attributes = self.bot_map()?.get(keys::BOT_ATTRIBUTES)?.as_object()?;
        let message = text(attributes, keys::DEFAULT_ERROR_MESSAGE);
        (!message.trim().is_empty()).then_some(message)
    }

    /// How many integrations `responder[]` holds.
    pub fn integration_count(&self) -> usize {
        self.item_count(keys::RESPONDER)
    }

    /// The integration at `index` of `responder[]`.
    pub fn integration(&self, index: usize) -> Option<Integration> {
        let item = self.item(keys::RESPONDER, index)?;
        Some(integration_of(index, item.as_object()?))
    }

    /// Every integration, in `responder[]` order.
    pub fn integrations(&self) -> Vec<Integration> {
        self.items(keys::RESPONDER)
            .enumerate()
            .filter_map(|(i, item)| Some(integration_of(i, item.as_object()?)))
            .collect()
    }

    /// The integration named `name` (exact, then ignoring case).
    pub fn find_integration(&self, name: &str) -> Option<Integration> {
        let all = self.integrations();
        all.iter()
            .position(|i| i.name == name)
            .or_else(|| all.iter().position(|i| i.name.eq_ignore_ascii_case(name)))
            .map(|p| all[p].clone())
    }

    /// The interaction at `index` of `conversationMessage[]`.
    pub fn interaction(&self, index: usize) -> Option<Interaction> {
        interaction_of(index, &*self.item(keys::CONVERSATION_MESSAGE, index)?)
    }

    /// Every interaction, in `conversationMessage[]` order.
    pub fn interactions(&self) -> Vec<Interaction> {
        self.items(keys::CONVERSATION_MESSAGE)
            .enumerate()
            .filter_map(|(index, v)| interaction_of(index, &v))
            .collect()
    }

    /// Every dialog, in `groups[]` order.
    pub fn dialogs(&self) -> Vec<Dialog> {
        self.items(keys::GROUPS)
            .enumerate()
            .filter_map(|(index, v)| dialog_of(index, &v))
            .collect()
    }
}

/// The integration `map`, at `index` of `responder[]`.
pub(crate) fn integration_of(index: usize, map: &Map<String, Value>) -> Integration {
    let custom_data = member(map, keys::CUSTOM_DATA_FIELDS)
        .and_then(Value::as_array)
        .map(|rows| {
            rows.iter()
                .filter_map(Value::as_object)
                .map(|row| CustomDataField {
                    key: text(row, keys::CUSTOM_DATA_KEY),
                    value: text(row, keys::CUSTOM_DATA_VALUE),
                })
                .collect()
        })
        .unwrap_or_default();
    Integration {
        index,
        id: text(map, keys::ID),
        name: text(map, keys::NAME),
        response_data_variable: text(map, keys::RESPONSE_DATA_VARIABLE),
        kind: IntegrationKind::from_code(&text(map, keys::INTEGRATION_TYPE)),
        transform_script: text(map, keys::TRANSFORM_SCRIPT),
        custom_data,
        escalation: Escalation {
            skill_name: text_any(map, keys::SKILL_NAME_READ),
            skill_id: text_any(map, keys::SKILL_ID_READ),
            agent_id: text_any(map, keys::AGENT_ID_READ),
            transfer_bot_context: flag(map, keys::TANGO_CONTEXT_ENABLED),
            message: text_any(map, keys::MESSAGE_READ),
        },
    }
}

/// The interaction `value`, at `index` of `conversationMessage[]` (`None`: not an object).
pub(crate) fn interaction_of(index: usize, value: &Value) -> Option<Interaction> {
    let map = value.as_object()?;
    let content = member(map, keys::CONTENT).and_then(Value::as_object);
    let content_text = |key| content.map_or_else(String::new, |c| text(c, key));
    let delay_ms = match member(map, keys::INTERACTION_DELAY) {
        Some(Value::String(s)) => crate::bot::interaction_delay::parse_ms(s),
        Some(Value::Number(n)) => n.as_u64(),
        _ => None,
    };
    let patterns = member(map, keys::PATTERN)
        .and_then(Value::as_array)
        .map(|p| {
            p.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    Some(Interaction {
        index,
        id: text(map, keys::ID),
        name: text(map, keys::NAME),
        dialog_id: text(map, keys::GROUP),
        kind: text(map, keys::INTERACTION_TYPE),
        prev: text(map, keys::PREV_MESSAGE_ID),
        next: text(map, keys::NEXT_MESSAGE_ID),
        delay_ms,
        responder_name: content_text(keys::RESPONDER_NAME),
        responder_id: content_text(keys::RESPONDER_ID),
        patterns,
        user_input_required: flag(map, keys::USER_INPUT_REQUIRED),
    })
}

/// The dialog `value`, at `index` of `groups[]` (`None`: not an object).
pub(crate) fn dialog_of(index: usize, value: &Value) -> Option<Dialog> {
    let map = value.as_object()?;
    Some(Dialog {
        index,
        id: text(map, keys::ID),
        name: text(map, keys::NAME),
        dialog_type: text(map, keys::DIALOG_TYPE),
        enabled: !text(map, keys::STATUS).eq_ignore_ascii_case(keys::DISABLED),
    })
}

/// The id of the bot whose `bot` object is `bot`.
pub(crate) fn bot_id_of(bot: &Map<String, Value>) -> String {
    text(bot, keys::BOT_ID)
}
