//! The editor's colours: a built-in dark or light set, each role recoloured by the user's
//! config, or none at all under NO_COLOR (which wins over the config). Meaning is always in
//! text and symbols too.

use ratatui::style::{Color, Modifier, Style};

use super::model::Model;
use crate::rules::Severity;
use crate::workspace::config::{Config, Problem};

/// The colour of each role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colours {
    /// The focused pane's border and the status line.
    pub focus: Color,
    pub error: Color,
    pub warning: Color,
    pub hint: Color,
    /// "no problems", a valid integration, added lines.
    pub good: Color,
    /// Secondary text: fixes, notes.
    pub dim: Color,
    pub json_key: Color,
    pub json_string: Color,
    /// Numbers, `true`, `false` and `null` in the preview.
    pub json_other: Color,
}

impl Colours {
    /// For a dark terminal background (the default).
    pub const DARK: Colours = Colours {
        focus: Color::Cyan,
        error: Color::Red,
        warning: Color::Yellow,
        hint: Color::Cyan,
        good: Color::Green,
        dim: Color::DarkGray,
        json_key: Color::Blue,
        json_string: Color::Green,
        json_other: Color::Magenta,
    };
    /// For a light terminal background: no yellow or cyan on white.
    pub const LIGHT: Colours = Colours {
        focus: Color::Blue,
        error: Color::Red,
        warning: Color::Indexed(130),
        hint: Color::Blue,
        good: Color::Indexed(28),
        dim: Color::Indexed(242),
        json_key: Color::Indexed(25),
        json_string: Color::Indexed(28),
        json_other: Color::Magenta,
    };

    /// The roles the config names, with the colour each sets.
    const ROLES: [&str; 9] = [
        "focus",
        "error",
        "warning",
        "hint",
        "good",
        "dim",
        "json_key",
        "json_string",
        "json_other",
    ];

    fn role_mut(&mut self, role: &str) -> Option<&mut Color> {
        Some(match role {
            "focus" => &mut self.focus,
            "error" => &mut self.error,
            "warning" => &mut self.warning,
            "hint" => &mut self.hint,
            "good" => &mut self.good,
            "dim" => &mut self.dim,
            "json_key" => &mut self.json_key,
            "json_string" => &mut self.json_string,
            "json_other" => &mut self.json_other,
            _ => return None,
        })
    }

    /// The colours `config`'s `[theme]` sets, and what was wrong in it.
    pub fn from_config(config: &Config) -> (Colours, Vec<Problem>) {
        let mut problems = Vec::new();
        let mut colours = match config
            .theme_base
            .as_ref()
            .map(|b| (b.value.as_str(), b.line))
        {
            None | Some(("dark", _)) => Colours::DARK,
            Some(("light", _)) => Colours::LIGHT,
            Some((other, line)) => {
                problems.push((
                    line,
                    format!(
                        "theme.base \"{other}\" is not a built-in theme: write \"dark\" or \"light\""
                    ),
                ));
                Colours::DARK
            }
        };
        for (role, colour) in &config.colours {
            let Some(slot) = colours.role_mut(&role.value) else {
                problems.push((
                    role.line,
                    format!(
                        "theme.{} is not a role: the roles are base, {}",
                        role.value,
                        Colours::ROLES.join(", ")
                    ),
                ));
                continue;
            };
            match colour.value.parse::<Color>() {
                Ok(c) if colour.value != "reset" => *slot = c,
                _ => problems.push((
                    colour.line,
                    format!(
                        "theme.{} = \"{}\" is not a colour: write a name (\"red\", \"light-blue\"), \"#rrggbb\" or a number 0 to 255",
                        role.value, colour.value
                    ),
                )),
            }
        }
        (colours, problems)
    }
}

/// Colours, or none at all under NO_COLOR: meaning is always in text and symbols too.
pub(crate) struct Theme {
    color: bool,
    colours: Colours,
}

impl Theme {
    pub(crate) fn of(model: &Model) -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            colours: model.colours,
        }
    }
    pub(crate) fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }
    /// The colours of the roles.
    pub(crate) fn colours(&self) -> &Colours {
        &self.colours
    }
    pub(crate) fn severity(&self, s: Severity) -> Style {
        match s {
            Severity::Error => self.fg(self.colours.error).add_modifier(Modifier::BOLD),
            Severity::Warning => self.fg(self.colours.warning),
            Severity::Hint => self.fg(self.colours.hint),
        }
    }
    pub(crate) fn dim(&self) -> Style {
        self.fg(self.colours.dim)
    }
    pub(crate) fn good(&self) -> Style {
        self.fg(self.colours.good)
    }
    pub(crate) fn focus(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    pub(crate) fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(self.colours.focus).add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::config;

    #[test]
    fn a_theme_starts_from_its_base_and_names_what_it_cannot_read() {
        let c = config::parse(
            "[theme]\nbase = \"light\"\nerror = \"#d70000\"\nhint = \"33\"\nshadow = \"red\"\nwarning = \"mauve\"\n",
            "c.toml",
        );
        let (colours, problems) = Colours::from_config(&c);
        assert_eq!(colours.error, Color::Rgb(0xd7, 0, 0));
        assert_eq!(colours.hint, Color::Indexed(33));
        assert_eq!(
            colours.warning,
            Colours::LIGHT.warning,
            "kept from the base"
        );
        assert_eq!(colours.focus, Colours::LIGHT.focus);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            c.describe(&problems[0])
                .starts_with("c.toml:5: theme.shadow is not a role"),
            "{problems:?}"
        );
        assert!(
            c.describe(&problems[1])
                .starts_with("c.toml:6: theme.warning = \"mauve\""),
            "{problems:?}"
        );
    }
}
