//! The user's `config.toml`, read from the XDG config folder (or `ESCALATOR_CONFIG`): its
//! sections as written, each value with the line it is on. What the values mean (actions,
//! keys, colours) is the editor's to read; a file that cannot be read or parsed gives the
//! defaults and says why, never an error that stops anything.

use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

/// A value of the file and the line (1-based) it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<T> {
    pub value: T,
    pub line: usize,
}

/// What the file says, as written.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from (`None`: no file, the defaults).
    pub path: Option<PathBuf>,
    /// `[keys]`: an action's name and the keys written for it.
    pub keys: Vec<(Entry<String>, Vec<Entry<String>>)>,
    /// `[theme] base = "dark"` or `"light"`.
    pub theme_base: Option<Entry<String>>,
    /// `[theme]`'s other members: a role and its colour.
    pub colours: Vec<(Entry<String>, Entry<String>)>,
    /// `[defaults] per_message_ms`.
    pub per_message_ms: Option<Entry<u64>>,
    /// `[defaults.scenario]`: a member and its value (a flag, a count or a word).
    pub scenario: Vec<(Entry<String>, Entry<ScenarioValue>)>,
    /// What was wrong, in the file's order ([`Config::describe`] says one).
    pub problems: Vec<Problem>,
}

/// Something wrong in a config file: its line (0: the file as a whole), and what is wrong
/// and what to do.
pub type Problem = (usize, String);

impl Config {
    /// A problem as said: "FILE:LINE: what" ("FILE: what" for the file as a whole).
    pub fn describe(&self, (line, message): &Problem) -> String {
        let file = self
            .path
            .as_ref()
            .map_or(String::new(), |p| p.display().to_string());
        match line {
            0 => format!("{file}: {message}"),
            line => format!("{file}:{line}: {message}"),
        }
    }
}

/// A value in `[defaults.scenario]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScenarioValue {
    Flag(bool),
    Count(u64),
    Word(String),
}

/// The largest config file read.
const MAX_BYTES: u64 = 1 << 20;

/// Where the config file is: `ESCALATOR_CONFIG` when set, else `config.toml` in the user's
/// config folder (`$XDG_CONFIG_HOME/escalator` on Linux).
pub fn path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("ESCALATOR_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let dirs = directories::ProjectDirs::from("", "", "escalator")?;
    Some(dirs.config_dir().join("config.toml"))
}

/// The config at [`path`]: none there is the defaults, silently; one that cannot be read
/// is the defaults and a problem.
pub fn load() -> Config {
    match path() {
        Some(path) => load_from(&path),
        None => Config::default(),
    }
}

/// The config in the file `path` (see [`load`]).
pub fn load_from(path: &Path) -> Config {
    let shown = path.display().to_string();
    let text = match crate::export::open_regular(path, MAX_BYTES) {
        Ok((mut file, _)) => {
            let mut bytes = Vec::new();
            match std::io::Read::read_to_end(&mut file, &mut bytes) {
                Ok(_) => String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string()),
                Err(e) => Err(e.to_string()),
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Config::default(),
        Err(e) => Err(e.to_string()),
    };
    let mut config = match text {
        Ok(text) => parse(&text, &shown),
        Err(why) => Config {
            problems: vec![(
                0,
                format!("cannot read it ({why}); the built-in settings are used"),
            )],
            ..Config::default()
        },
    };
    config.path = Some(path.to_path_buf());
    config
}

/// The line (1-based) of byte `offset` of `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Reads the text of a config file named `file` (for the problems it finds).
pub fn parse(text: &str, file: &str) -> Config {
    let mut config = Config {
        path: Some(PathBuf::from(file)),
        ..Config::default()
    };
    let at = |span: std::ops::Range<usize>| line_of(text, span.start);
    let top = match DeTable::parse(text) {
        Ok(top) => top,
        Err(e) => {
            let line = e.span().map_or(1, at);
            let message = e.message().lines().next().unwrap_or("").trim().to_string();
            config.problems.push((
                line,
                format!("not valid TOML: {message}; the built-in settings are used"),
            ));
            return config;
        }
    };
    let mut problems: Vec<(usize, String)> = Vec::new();
    let mut problem = |line: usize, message: String| problems.push((line, message));
    let mut keys = Vec::new();
    let (mut theme_base, mut colours) = (None, Vec::new());
    let (mut per_message_ms, mut scenario) = (None, Vec::new());
    for (name, value) in top.get_ref() {
        let line = at(name.span());
        match (name.get_ref().as_ref(), value.get_ref()) {
            ("keys", DeValue::Table(table)) => {
                for (action, written) in table {
                    let action_at = Entry {
                        value: action.get_ref().to_string(),
                        line: at(action.span()),
                    };
                    let one = |v: &toml::Spanned<DeValue>| {
                        v.get_ref().as_str().map(|s| Entry {
                            value: s.to_string(),
                            line: at(v.span()),
                        })
                    };
                    let list = match written.get_ref() {
                        DeValue::Array(items) => items.iter().map(one).collect::<Option<Vec<_>>>(),
                        _ => one(written).map(|e| vec![e]),
                    };
                    match list {
                        Some(list) => keys.push((action_at, list)),
                        None => problem(
                            action_at.line,
                            format!(
                                "keys.{}: write a key as a string (\"ctrl-s\") or a list of them ([\"ctrl-s\", \"f10\"])",
                                action_at.value
                            ),
                        ),
                    }
                }
            }
            ("theme", DeValue::Table(table)) => {
                for (role, colour) in table {
                    let role_at = Entry {
                        value: role.get_ref().to_string(),
                        line: at(role.span()),
                    };
                    // A colour number may be written bare (160) as well as quoted ("160").
                    let written = match colour.get_ref() {
                        DeValue::Integer(n) if role_at.value != "base" => {
                            Some(n.as_str().to_string())
                        }
                        other => other.as_str().map(str::to_string),
                    };
                    match written.as_deref() {
                        Some(c) if role_at.value == "base" => {
                            theme_base = Some(Entry {
                                value: c.to_string(),
                                line: role_at.line,
                            });
                        }
                        Some(c) => colours.push((
                            role_at.clone(),
                            Entry {
                                value: c.to_string(),
                                line: role_at.line,
                            },
                        )),
                        None => problem(
                            role_at.line,
                            format!(
                                "theme.{}: write a colour as a name (\"red\"), \"#d70000\" or a number 0 to 255",
                                role_at.value
                            ),
                        ),
                    }
                }
            }
            ("defaults", DeValue::Table(table)) => {
                for (member, value) in table {
                    let member_line = at(member.span());
                    match (member.get_ref().as_ref(), value.get_ref()) {
                        ("per_message_ms", DeValue::Integer(n)) => {
                            match n.as_str().replace('_', "").parse::<u64>() {
                                Ok(ms) if n.radix() == 10 => {
                                    per_message_ms = Some(Entry {
                                        value: ms,
                                        line: member_line,
                                    })
                                }
                                _ => problem(
                                    member_line,
                                    "defaults.per_message_ms: write milliseconds as a whole number, such as 2000".into(),
                                ),
                            }
                        }
                        ("per_message_ms", _) => problem(
                            member_line,
                            "defaults.per_message_ms: write milliseconds as a whole number without quotes, such as 2000".into(),
                        ),
                        ("scenario", DeValue::Table(members)) => {
                            for (key, v) in members {
                                let value = match v.get_ref() {
                                    DeValue::Boolean(b) => Some(ScenarioValue::Flag(*b)),
                                    DeValue::Integer(n) => n
                                        .as_str()
                                        .replace('_', "")
                                        .parse()
                                        .ok()
                                        .map(ScenarioValue::Count),
                                    DeValue::String(s) => {
                                        Some(ScenarioValue::Word(s.as_ref().to_string()))
                                    }
                                    _ => None,
                                };
                                let key_line = at(key.span());
                                match value {
                                    Some(value) => scenario.push((
                                        Entry {
                                            value: key.get_ref().to_string(),
                                            line: key_line,
                                        },
                                        Entry {
                                            value,
                                            line: key_line,
                                        },
                                    )),
                                    None => problem(
                                        key_line,
                                        format!(
                                            "defaults.scenario.{}: write true or false, a count, or a word",
                                            key.get_ref()
                                        ),
                                    ),
                                }
                            }
                        }
                        ("scenario", _) => problem(
                            member_line,
                            "defaults.scenario is a table: write it as [defaults.scenario] with its members under it".into(),
                        ),
                        (other, _) => problem(
                            member_line,
                            format!(
                                "defaults.{other}: not a setting here (per_message_ms, and the table scenario); see escalator config --example"
                            ),
                        ),
                    }
                }
            }
            (section @ ("keys" | "theme" | "defaults"), _) => problem(
                line,
                format!("{section} is a table: write it as [{section}] with its members under it"),
            ),
            (other, _) => problem(
                line,
                format!(
                    "\"{other}\" is not a section of the config ([keys], [theme], [defaults]); see escalator config --example"
                ),
            ),
        }
    }
    // The parser's tables are sorted by name: put back the file's order.
    keys.sort_by_key(|(action, _): &(Entry<String>, _)| action.line);
    colours.sort_by_key(|(role, _): &(Entry<String>, _)| role.line);
    scenario.sort_by_key(|(member, _): &(Entry<String>, _)| member.line);
    problems.sort();
    config.problems = problems;
    config.keys = keys;
    config.theme_base = theme_base;
    config.colours = colours;
    config.per_message_ms = per_message_ms;
    config.scenario = scenario;
    config
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_come_with_their_lines_and_problems_with_file_and_line() {
        let text = "# mine\n[keys]\nsave = \"ctrl-w\"\nquit = [\"ctrl-q\", \"f10\"]\n\n[theme]\nbase = \"light\"\nerror = \"#d70000\"\n[defaults]\nper_message_ms = 2500\nwhat = 1\n[defaults.scenario]\nfailures = 2\n[colours]\n";
        let c = parse(text, "c.toml");
        assert_eq!(
            c.keys[0].0,
            Entry {
                value: "save".into(),
                line: 3
            }
        );
        assert_eq!(
            c.keys[1].1[1],
            Entry {
                value: "f10".into(),
                line: 4
            }
        );
        assert_eq!(c.theme_base.as_ref().unwrap().line, 7);
        assert_eq!(c.colours[0].1.value, "#d70000");
        assert_eq!(
            c.per_message_ms,
            Some(Entry {
                value: 2500,
                line: 10
            })
        );
        assert_eq!(c.scenario[0].1.value, ScenarioValue::Count(2));
        assert_eq!(c.problems.len(), 2, "{:?}", c.problems);
        assert!(
            c.describe(&c.problems[0])
                .starts_with("c.toml:11: defaults.what"),
            "{:?}",
            c.problems
        );
        assert!(
            c.describe(&c.problems[1])
                .starts_with("c.toml:14: \"colours\""),
            "{:?}",
            c.problems
        );
    }

    #[test]
    fn a_file_that_is_not_toml_is_one_problem_and_the_defaults() {
        let c = parse("[keys]\nsave = \n", "c.toml");
        assert!(c.keys.is_empty());
        assert_eq!(c.problems.len(), 1);
        assert!(
            c.describe(&c.problems[0])
                .starts_with("c.toml:2: not valid TOML"),
            "{:?}",
            c.problems
        );
    }

    #[test]
    fn a_missing_file_is_the_defaults_and_a_folder_is_a_problem() {
        let dir = tempfile::tempdir().unwrap();
        let c = load_from(&dir.path().join("none.toml"));
        assert!(c.problems.is_empty());
        let c = load_from(dir.path());
        assert_eq!(c.problems.len(), 1, "{:?}", c.problems);
        assert!(
            c.problems[0].1.contains("cannot read it"),
            "{:?}",
            c.problems
        );
    }
}
