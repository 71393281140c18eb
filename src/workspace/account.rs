//! A Conversational Cloud account's skills and users, as LivePerson's Skills and Users APIs
//! list them, kept in the user's data folder per account with the time they were fetched.
//!
//! The lists are read as the APIs document them, and as their own examples write them: ids
//! as numbers or as strings of digits, flags as booleans or as "true" / "false", the user's
//! type as `userType` or `userTypeId`. Nothing here speaks to the network: `escalator account
//! pull` fetches, `escalator account import` reads files, both keep an [`Account`] here.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A skill of the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skill {
    pub id: u64,
    pub name: String,
    #[serde(default)]
    pub deleted: bool,
}

/// A user of the account: a human agent, a bot, or the system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    #[serde(default)]
    pub login_name: String,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub nickname: String,
    pub enabled: bool,
    #[serde(default)]
    pub deleted: bool,
    #[serde(default)]
    pub skill_ids: Vec<u64>,
    /// 0 system, 1 human, 2 bot.
    pub user_type: u8,
}

/// The user type of a bot.
pub const USER_TYPE_BOT: u8 = 2;

impl User {
    /// "Jane Doe (jane@example.com, 12)".
    pub fn describe(&self) -> String {
        let name = [&self.full_name, &self.nickname, &self.login_name]
            .into_iter()
            .find(|n| !n.trim().is_empty())
            .cloned()
            .unwrap_or_default();
        if self.login_name.is_empty() || self.login_name == name {
            format!("{name} ({})", self.id)
        } else {
            format!("{name} ({}, {})", self.login_name, self.id)
        }
    }

    /// Whether the user can take a transfer: enabled and not deleted.
    pub fn active(&self) -> bool {
        self.enabled && !self.deleted
    }
}

/// An account's skills and users, with when and how they were got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    /// Seconds since 1970 when the lists were fetched (or imported).
    pub fetched_at: u64,
    /// "pull", or "import" with the files.
    pub source: String,
    pub skills: Vec<Skill>,
    pub users: Vec<User>,
}

impl Account {
    /// The skill with `id`.
    pub fn skill(&self, id: u64) -> Option<&Skill> {
        self.skills.iter().find(|s| s.id == id)
    }

    /// The skills named `name` (ignoring case and the spaces around it), not deleted first.
    pub fn skills_named(&self, name: &str) -> Vec<&Skill> {
        let name = name.trim().to_lowercase();
        let mut found: Vec<&Skill> = self
            .skills
            .iter()
            .filter(|s| s.name.trim().to_lowercase() == name)
            .collect();
        found.sort_by_key(|s| s.deleted);
        found
    }

    /// The user with `id`.
    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    /// What the account says of where a transfer to `agent_id` on `skill_id` goes: `None`
    /// when the agent takes it (or the Agent Id is no agent of this account: a variable, or
    /// another shape), else why the skill takes it instead ("agent Jane (jane, 501) is not on
    /// skill Billing").
    pub fn agent_outcome(&self, agent_id: &str, skill_id: &str) -> Option<String> {
        let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        let value = agent_id.trim();
        let agent = match value.split_once('.') {
            Some((acct, agent)) if digits(agent) && acct == self.id => agent,
            None if digits(value) => value,
            _ => return None,
        };
        let skill = skill_id.trim().parse::<u64>().ok();
        let skill_name = skill
            .and_then(|id| self.skill(id))
            .map_or_else(|| skill_id.trim().to_string(), |s| s.name.clone());
        match self.user(agent) {
            None => Some(format!(
                "agent {agent} is not a user of account {}",
                self.id
            )),
            Some(u) if u.deleted => Some(format!("agent {} is deleted", u.describe())),
            Some(u) if !u.enabled => Some(format!("agent {} is disabled", u.describe())),
            Some(u) if skill.is_some_and(|s| !u.skill_ids.contains(&s)) => Some(format!(
                "agent {} is not on skill {skill_name}",
                u.describe()
            )),
            Some(_) => None,
        }
    }

    /// "3 hours ago", from `now` (seconds since 1970).
    pub fn age(&self, now: u64) -> String {
        let seconds = now.saturating_sub(self.fetched_at);
        let (n, unit) = match seconds {
            0..60 => return "just now".into(),
            60..3600 => (seconds / 60, "minute"),
            3600..86_400 => (seconds / 3600, "hour"),
            _ => (seconds / 86_400, "day"),
        };
        format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
    }
}

/// The seconds since 1970 now.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Why a list could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeError(pub String);

impl std::fmt::Display for ShapeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A number, or a string of digits.
fn number(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A boolean, or "true" / "false"; `default` when absent or null; an error for anything else.
fn flag(
    value: Option<&Value>,
    default: bool,
    what: impl Fn() -> String,
) -> Result<bool, ShapeError> {
    match value {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s.trim() == "true" => Ok(true),
        Some(Value::String(s)) if s.trim() == "false" => Ok(false),
        Some(other) => Err(ShapeError(format!(
            "{}: {other} is not true or false",
            what()
        ))),
    }
}

/// An error when two items of a list have the same id.
fn once<T>(items: &[T], id: impl Fn(&T) -> String, what: &str) -> Result<(), ShapeError> {
    let mut seen = std::collections::HashSet::new();
    for item in items {
        let id = id(item);
        if !seen.insert(id.clone()) {
            return Err(ShapeError(format!("{what} {id} is in the list twice")));
        }
    }
    Ok(())
}

fn text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The items of a list: the array itself, or the array under one of `keys`.
fn items<'a>(value: &'a Value, keys: &[&str]) -> Option<&'a Vec<Value>> {
    match value {
        Value::Array(items) => Some(items),
        Value::Object(map) => keys.iter().find_map(|k| map.get(*k)?.as_array()),
        _ => None,
    }
}

/// Reads the Skills API's list: each skill with its `id` and `name`.
pub fn read_skills(value: &Value) -> Result<Vec<Skill>, ShapeError> {
    let list = items(value, &["skills"])
        .ok_or_else(|| ShapeError("not a list of skills (a JSON array of {id, name})".into()))?;
    list.iter()
        .enumerate()
        .map(|(at, item)| {
            let id = number(item.get("id"))
                .ok_or_else(|| ShapeError(format!("skill {}: no numeric \"id\"", at + 1)))?;
            let name = item
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| ShapeError(format!("skill {} ({id}): no \"name\"", at + 1)))?;
            Ok(Skill {
                id,
                name: name.to_string(),
                deleted: flag(item.get("deleted"), false, || {
                    format!("skill {id}: \"deleted\"")
                })?,
            })
        })
        .collect::<Result<Vec<Skill>, ShapeError>>()
        .and_then(|skills| once(&skills, |s| s.id.to_string(), "skill").map(|()| skills))
}

/// Reads the Users API's list: each user with its `id` and `loginName`.
pub fn read_users(value: &Value) -> Result<Vec<User>, ShapeError> {
    let list = items(value, &["users"]).ok_or_else(|| {
        ShapeError("not a list of users (a JSON array of {id, loginName, skillIds, …})".into())
    })?;
    list.iter()
        .enumerate()
        .map(|(at, item)| {
            let id = number(item.get("id"))
                .ok_or_else(|| ShapeError(format!("user {}: no numeric \"id\"", at + 1)))?;
            let skill_ids = match item.get("skillIds") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(ids)) => ids
                    .iter()
                    .map(|v| number(Some(v)))
                    .collect::<Option<Vec<u64>>>()
                    .ok_or_else(|| {
                        ShapeError(format!(
                            "user {id}: \"skillIds\" holds a value that is no id"
                        ))
                    })?,
                Some(_) => {
                    return Err(ShapeError(format!("user {id}: \"skillIds\" is not a list")));
                }
            };
            let user_type =
                number(item.get("userType").or_else(|| item.get("userTypeId"))).unwrap_or(1);
            Ok(User {
                id: id.to_string(),
                login_name: text(item.get("loginName")),
                full_name: text(item.get("fullName")),
                nickname: text(item.get("nickname")),
                enabled: flag(item.get("isEnabled"), true, || {
                    format!("user {id}: \"isEnabled\"")
                })?,
                deleted: flag(item.get("deleted"), false, || {
                    format!("user {id}: \"deleted\"")
                })?,
                skill_ids,
                user_type: u8::try_from(user_type).unwrap_or(u8::MAX),
            })
        })
        .collect::<Result<Vec<User>, ShapeError>>()
        .and_then(|users| once(&users, |u| u.id.clone(), "user").map(|()| users))
}

/// The lists a file holds: skills, users, or both.
pub type Lists = (Option<Vec<Skill>>, Option<Vec<User>>);

/// What a JSON file saved by hand holds: skills, users, or both (`{"skills": […],
/// "users": […]}`). A list is told by its items: users have a `loginName`.
pub fn read_saved(value: &Value) -> Result<Lists, ShapeError> {
    if let Value::Object(map) = value
        && (map.contains_key("skills") || map.contains_key("users"))
    {
        let skills = map.get("skills").map(read_skills).transpose()?;
        let users = map.get("users").map(read_users).transpose()?;
        return Ok((skills, users));
    }
    let list = items(value, &[]).ok_or_else(|| {
        ShapeError(
            "neither a list of skills or users nor an object with \"skills\" and \"users\"".into(),
        )
    })?;
    if list.is_empty() {
        return Err(ShapeError(
            "an empty list: skills or users? save it as {\"skills\": []} or {\"users\": []}".into(),
        ));
    }
    let users = list
        .first()
        .is_some_and(|first| first.get("loginName").is_some());
    if users {
        Ok((None, Some(read_users(value)?)))
    } else {
        Ok((Some(read_skills(value)?), None))
    }
}

/// Where the accounts are kept: `accounts/` in the user's data folder (`None` without a home).
pub fn folder() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "escalator")?;
    Some(dirs.data_dir().join("accounts"))
}

/// Whether `id` is an account id: letters, digits, `-` and `_` (nothing that could name a
/// file elsewhere); else why not, for one line.
pub fn check_id(id: &str) -> Result<(), String> {
    let fine = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if fine {
        Ok(())
    } else {
        Err(format!(
            "\"{id}\" is not an account id (its digits, as in the Conversational Cloud login)"
        ))
    }
}

/// The file an account is kept in.
fn file_of(folder: &Path, id: &str) -> Result<PathBuf, String> {
    check_id(id)?;
    Ok(folder.join(format!("{id}.json")))
}

/// Keeps `account` in `folder`, in place of what was kept of it (written whole, then moved
/// over the old file: a failure leaves the old one).
pub fn keep(folder: &Path, account: &Account) -> Result<PathBuf, String> {
    let path = file_of(folder, &account.id)?;
    std::fs::create_dir_all(folder)
        .map_err(|e| format!("{}: cannot create the folder: {e}", folder.display()))?;
    let text = serde_json::to_string_pretty(account).map_err(|e| e.to_string())?;
    crate::export::save::write_atomically_private(&path, text.as_bytes())
        .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
    Ok(path)
}

/// The account kept as `id` in `folder`, if there is one.
pub fn kept(folder: &Path, id: &str) -> Result<Option<Account>, String> {
    let path = file_of(folder, id)?;
    // A regular file only (a pipe put there would never end).
    let bytes = match crate::export::read_file(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(format!(
                "{}: cannot read: {}",
                path.display(),
                crate::export::describe_io(&e)
            ));
        }
    };
    let account: Account = serde_json::from_slice(&bytes).map_err(|e| {
        format!(
            "{}: not an account escalator kept ({e}); pull it again",
            path.display()
        )
    })?;
    if account.id != id {
        return Err(format!(
            "{}: holds account {}, not {id}; pull it again",
            path.display(),
            account.id
        ));
    }
    Ok(Some(account))
}

/// Every account kept in `folder`, by id.
pub fn all_kept(folder: &Path) -> Vec<Result<Account, String>> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut ids: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".json").map(str::to_string)
        })
        .collect();
    ids.sort();
    ids.iter()
        .filter_map(|id| kept(folder, id).transpose())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_are_read_as_documented_and_as_the_examples_write_them() {
        let skills = read_skills(&json!([
            {"id": 12, "name": "Billing", "deleted": false},
            {"id": "13", "name": "Old", "deleted": "true"}
        ]))
        .unwrap();
        assert_eq!(
            skills[1],
            Skill {
                id: 13,
                name: "Old".into(),
                deleted: true
            }
        );
        let users = read_users(&json!([
            {"id": "987654321", "loginName": "jane", "fullName": "Jane Doe", "isEnabled": "true",
             "deleted": "false", "skillIds": [12, "13"], "userTypeId": 1},
            {"id": 5, "loginName": "bot", "isEnabled": false, "userType": 2}
        ]))
        .unwrap();
        assert_eq!(users[0].skill_ids, [12, 13]);
        assert_eq!(users[0].describe(), "Jane Doe (jane, 987654321)");
        assert!(!users[1].enabled && users[1].user_type == USER_TYPE_BOT);
    }

    #[test]
    fn a_list_of_another_shape_is_refused_with_its_place() {
        let e = read_skills(&json!([{"id": 1, "name": "a"}, {"name": "b"}])).unwrap_err();
        assert_eq!(e.0, "skill 2: no numeric \"id\"");
        let e = read_users(&json!({"nope": 1})).unwrap_err();
        assert!(e.0.starts_with("not a list of users"), "{e}");
        let e = read_users(&json!([{"id": 1, "skillIds": "12"}])).unwrap_err();
        assert_eq!(e.0, "user 1: \"skillIds\" is not a list");
    }

    #[test]
    fn a_saved_file_is_told_by_its_items() {
        let (s, u) = read_saved(&json!([{"id": 1, "name": "a"}])).unwrap();
        assert!(s.is_some() && u.is_none());
        let (s, u) = read_saved(&json!([{"id": 1, "loginName": "a"}])).unwrap();
        assert!(s.is_none() && u.is_some());
        let (s, u) = read_saved(&json!({"skills": [], "users": []})).unwrap();
        assert!(s.is_some() && u.is_some());
    }

    #[test]
    fn accounts_are_kept_by_id_and_ids_cannot_leave_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let account = Account {
            id: "12345678".into(),
            fetched_at: 100,
            source: "pull".into(),
            skills: vec![],
            users: vec![],
        };
        keep(dir.path(), &account).unwrap();
        assert_eq!(kept(dir.path(), "12345678").unwrap(), Some(account));
        assert_eq!(kept(dir.path(), "other").unwrap(), None);
        assert!(kept(dir.path(), "../x").is_err());
        assert_eq!(all_kept(dir.path()).len(), 1);
    }

    #[test]
    fn ages_are_in_words() {
        let a = Account {
            id: "1".into(),
            fetched_at: 1000,
            source: String::new(),
            skills: vec![],
            users: vec![],
        };
        assert_eq!(a.age(1030), "just now");
        assert_eq!(a.age(1000 + 7200), "2 hours ago");
        assert_eq!(a.age(1000 + 86_400), "1 day ago");
    }
}
