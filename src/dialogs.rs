//! Dialog starters and the patterns they catch, for finding the dialog that answers
//! `__agent_escalation_failed__`.

use crate::bot::BotDocument;
use crate::bot::keys;
use crate::bot::read::Dialog;

/// Whether a starter pattern catches `message`: case-insensitive, `*` for any text, `?` for
/// one character, `(a|b)` for alternatives.
pub fn pattern_matches(pattern: &str, message: &str) -> bool {
    let message: Vec<char> = message.to_lowercase().chars().collect();
    expand_alternatives(&pattern.trim().to_lowercase(), 256)
        .iter()
        .any(|p| glob(&p.chars().collect::<Vec<_>>(), &message))
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
    let dialogs = doc.dialogs();
    let by_id: std::collections::HashMap<&str, &Dialog> =
        dialogs.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut seen = std::collections::HashSet::new();
    let mut found: Vec<Dialog> = Vec::new();
    for starter in doc
        .interactions()
        .into_iter()
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
}
