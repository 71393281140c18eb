//! Naming styles of integration names: to check a name against the bot's pattern and to
//! make a new name in it.

/// Whether `s` can be referred to by variables: letters, digits and underscores, not
/// starting with a digit.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A naming style, in the order a new name prefers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
}

impl Style {
    pub const ALL: [Style; 4] = [
        Style::Pascal,
        Style::Camel,
        Style::Snake,
        Style::ScreamingSnake,
    ];

    /// Whether a (valid) name is written in this style.
    pub fn fits(self, name: &str) -> bool {
        let first_upper = name.chars().next().is_some_and(|c| c.is_ascii_uppercase());
        let has_lower = name.chars().any(|c| c.is_ascii_lowercase());
        let has_upper = name.chars().any(|c| c.is_ascii_uppercase());
        let underscore = name.contains('_');
        match self {
            Style::Pascal => first_upper && has_lower && !underscore,
            Style::Camel => !first_upper && !underscore,
            Style::Snake => !has_upper,
            Style::ScreamingSnake => !has_lower,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Style::Pascal => "PascalCase",
            Style::Camel => "camelCase",
            Style::Snake => "snake_case",
            Style::ScreamingSnake => "SCREAMING_SNAKE_CASE",
        }
    }

    /// The style every one of `names` fits (the first such in [`Style::ALL`]); PascalCase,
    /// the style of escalator's own "AgentEscalation", when they share none.
    pub fn of<'a>(names: impl Iterator<Item = &'a str> + Clone) -> Style {
        Style::ALL
            .into_iter()
            .find(|s| {
                names.clone().next().is_some()
                    && names.clone().all(|n| is_identifier(n) && s.fits(n))
            })
            .unwrap_or(Style::Pascal)
    }

    /// Joins lower-case words into a name in this style.
    pub fn join(self, words: &[String]) -> String {
        let capitalized = || {
            words.iter().map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            })
        };
        match self {
            Style::Pascal => capitalized().collect(),
            Style::Camel => {
                let mut out = words.first().cloned().unwrap_or_default();
                out.extend(capitalized().skip(1));
                out
            }
            Style::Snake => words.join("_"),
            Style::ScreamingSnake => words.join("_").to_ascii_uppercase(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_are_recognised_and_written() {
        assert!(Style::Pascal.fits("AgentEscalation"));
        assert!(Style::Snake.fits("agent_escalation") && !Style::Camel.fits("agent_escalation"));
        assert!(Style::Camel.fits("getProducts"));
        let words = vec!["agent".to_string(), "transfer".to_string()];
        assert_eq!(
            Style::of(["get_products", "find_store"].into_iter()),
            Style::Snake
        );
        assert_eq!(
            Style::of(["get", "Find"].into_iter()).join(&words),
            "AgentTransfer"
        );
        assert_eq!(Style::Camel.join(&words), "agentTransfer");
        assert!(!is_identifier("1abc") && !is_identifier("a b") && is_identifier("_a1"));
    }
}
