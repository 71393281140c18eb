//! Text with variables, as Conversation Builder fields take it: `Hi {$botContext.name}`.

use std::collections::BTreeMap;

/// What a `{...}` variable refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Variable {
    /// `{$botContext.name}`
    BotContext(String),
    /// `{$botContext.slot.name}`
    Slot(String),
    /// `{$env.name}`
    Env(String),
    /// `{$query}`, `{$chatBotId}`, `{$chatBotUserPlatformId}`
    System(String),
    /// `{$.api_Name.path}`: a JSON path into an integration's result.
    ResultPath { variable: String, path: String },
    /// `{Name.field}`: an integration's custom data field.
    CustomData { integration: String, field: String },
    /// Anything else inside braces.
    Unknown(String),
}

/// The system variables the platform fills in.
pub const SYSTEM_VARIABLES: &[&str] = &["query", "chatBotId", "chatBotUserPlatformId"];

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

impl Variable {
    /// Reads the text between the braces.
    pub fn parse(inner: &str) -> Variable {
        let inner = inner.trim();
        if let Some(rest) = inner.strip_prefix("$botContext.slot.") {
            if is_name(rest) {
                return Variable::Slot(rest.to_string());
            }
        } else if let Some(rest) = inner.strip_prefix("$botContext.") {
            if rest.split('.').all(is_name) {
                return Variable::BotContext(rest.to_string());
            }
        } else if let Some(rest) = inner.strip_prefix("$env.") {
            if is_name(rest) {
                return Variable::Env(rest.to_string());
            }
        } else if let Some(rest) = inner.strip_prefix("$.api_") {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            if end > 0 {
                return Variable::ResultPath {
                    variable: rest[..end].to_string(),
                    path: rest[end..].to_string(),
                };
            }
        } else if let Some(rest) = inner.strip_prefix('$') {
            if SYSTEM_VARIABLES.contains(&rest) {
                return Variable::System(rest.to_string());
            }
        } else if let Some((integration, field)) = inner.split_once('.')
            && is_name(integration)
            && !field.is_empty()
        {
            return Variable::CustomData {
                integration: integration.to_string(),
                field: field.to_string(),
            };
        }
        Variable::Unknown(inner.to_string())
    }

    /// The key a sample context gives this variable a value under.
    pub fn context_key(&self) -> String {
        match self {
            Variable::BotContext(n) => format!("botContext.{n}"),
            Variable::Slot(n) => format!("botContext.slot.{n}"),
            Variable::Env(n) => format!("env.{n}"),
            Variable::System(n) => n.clone(),
            Variable::ResultPath { variable, path } => format!("$.api_{variable}{path}"),
            Variable::CustomData { integration, field } => format!("{integration}.{field}"),
            Variable::Unknown(raw) => raw.clone(),
        }
    }

    /// Whether this is one of the forms an Agent Skill Id may hold.
    pub fn is_skill_id_form(&self) -> bool {
        matches!(
            self,
            Variable::BotContext(_) | Variable::Slot(_) | Variable::Env(_)
        )
    }
}

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// A variable with its raw text (braces included).
    Var {
        raw: String,
        var: Variable,
    },
}

/// A brace that does not pair up, at a character offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BraceProblem {
    pub offset: usize,
    pub message: String,
}

/// Splits a template into text and variables, reporting braces that do not pair up.
pub fn parse(text: &str) -> (Vec<Piece>, Vec<BraceProblem>) {
    let mut pieces = Vec::new();
    let mut problems = Vec::new();
    let mut plain = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '{' => {
                let close = chars[i + 1..].iter().position(|&c| c == '}' || c == '{');
                match close.map(|p| (p, chars[i + 1 + p])) {
                    Some((p, '}')) => {
                        if !plain.is_empty() {
                            pieces.push(Piece::Text(std::mem::take(&mut plain)));
                        }
                        let inner: String = chars[i + 1..i + 1 + p].iter().collect();
                        pieces.push(Piece::Var {
                            raw: format!("{{{inner}}}"),
                            var: Variable::parse(&inner),
                        });
                        i += p + 2;
                        continue;
                    }
                    _ => problems.push(BraceProblem {
                        offset: i,
                        message: format!("the \"{{\" at character {} is never closed", i + 1),
                    }),
                }
                plain.push('{');
            }
            '}' => {
                problems.push(BraceProblem {
                    offset: i,
                    message: format!("the \"}}\" at character {} closes nothing", i + 1),
                });
                plain.push('}');
            }
            c => plain.push(c),
        }
        i += 1;
    }
    if !plain.is_empty() {
        pieces.push(Piece::Text(plain));
    }
    (pieces, problems)
}

/// Sample values for variables, keyed as [`Variable::context_key`] gives them.
pub type SampleContext = BTreeMap<String, String>;

/// Turns a key as a user types it (`skillId`, `$botContext.skillId`, `slot.x`, `env.x`)
/// into a context key.
pub fn normalize_context_key(key: &str) -> String {
    let key = key.trim().trim_start_matches('{').trim_end_matches('}');
    let key = key.strip_prefix('$').unwrap_or(key);
    if key.starts_with("botContext.")
        || key.starts_with("env.")
        || key.starts_with("$.")
        || SYSTEM_VARIABLES.contains(&key)
    {
        key.to_string()
    } else if let Some(slot) = key.strip_prefix("slot.") {
        format!("botContext.slot.{slot}")
    } else if key.starts_with(".api_") {
        format!("${key}")
    } else {
        format!("botContext.{key}")
    }
}

/// The value a variable has in `context`, if any.
pub fn lookup<'a>(var: &Variable, context: &'a SampleContext) -> Option<&'a str> {
    context.get(&var.context_key()).map(String::as_str)
}

/// Replaces every variable that `context` has a value for; the others stay as written.
pub fn evaluate(text: &str, context: &SampleContext) -> String {
    let (pieces, _) = parse(text);
    let mut out = String::with_capacity(text.len());
    for piece in &pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Var { raw, var } => out.push_str(lookup(var, context).unwrap_or(raw)),
        }
    }
    out
}

/// The single variable a value consists of (surrounding spaces allowed), if it is one.
pub fn sole_variable(text: &str) -> Option<Variable> {
    match parse(text.trim()) {
        (pieces, problems) if problems.is_empty() && pieces.len() == 1 => match &pieces[0] {
            Piece::Var { var, .. } => Some(var.clone()),
            Piece::Text(_) => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_forms_are_recognised() {
        let cases = [
            (
                "$botContext.skillId",
                Variable::BotContext("skillId".into()),
            ),
            ("$botContext.slot.city", Variable::Slot("city".into())),
            ("$env.skill", Variable::Env("skill".into())),
            ("$query", Variable::System("query".into())),
            (
                "$.api_Orders[0].id",
                Variable::ResultPath {
                    variable: "Orders".into(),
                    path: "[0].id".into(),
                },
            ),
            (
                "Locations.city",
                Variable::CustomData {
                    integration: "Locations".into(),
                    field: "city".into(),
                },
            ),
            ("$bogus", Variable::Unknown("$bogus".into())),
            (
                "botContext.x",
                Variable::CustomData {
                    integration: "botContext".into(),
                    field: "x".into(),
                },
            ),
        ];
        for (inner, want) in cases {
            assert_eq!(Variable::parse(inner), want, "{inner}");
        }
    }

    #[test]
    fn unbalanced_braces_are_reported_with_their_place() {
        let (_, problems) = parse("Hi {$botContext.name");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].offset, 3);
        let (_, problems) = parse("Hi } there");
        assert!(problems[0].message.contains("closes nothing"));
        assert!(parse("Hi {$botContext.name}!").1.is_empty());
    }

    #[test]
    fn evaluation_fills_known_values_and_keeps_the_rest() {
        let mut ctx = SampleContext::new();
        ctx.insert(normalize_context_key("name"), "Ann".into());
        ctx.insert(normalize_context_key("$env.x"), "1".into());
        assert_eq!(
            evaluate("Hi {$botContext.name} {$env.x} {$botContext.other}", &ctx),
            "Hi Ann 1 {$botContext.other}"
        );
    }

    #[test]
    fn context_keys_are_normalised() {
        assert_eq!(normalize_context_key("skillId"), "botContext.skillId");
        assert_eq!(
            normalize_context_key("{$botContext.skillId}"),
            "botContext.skillId"
        );
        assert_eq!(normalize_context_key("slot.city"), "botContext.slot.city");
        assert_eq!(normalize_context_key("env.region"), "env.region");
        assert_eq!(
            normalize_context_key("chatBotUserPlatformId"),
            "chatBotUserPlatformId"
        );
    }

    #[test]
    fn sole_variable_needs_exactly_one() {
        assert!(sole_variable(" {$botContext.s} ").is_some());
        assert!(sole_variable("{$botContext.s}{$env.t}").is_none());
        assert!(sole_variable("12").is_none());
    }
}
