//! `escalator account pull | import | show`: the account's skills and users, fetched from
//! LivePerson's APIs (the Domain API for the account's `accountConfigReadOnly` host, then the
//! Skills and Users APIs) or read from files saved by hand, kept in the user's data folder.
//!
//! The bearer token is read from `LP_BEARER_TOKEN` or a file, sent to the account's host
//! only, and never printed or kept. A pull that fails keeps what was kept before.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Subcommand;
use serde_json::Value;

use super::{EXIT_OK, Failure, bad_input};
use crate::workspace::account::{self, Account};

/// The Domain API, unless `ESCALATOR_DOMAIN_API` names another base URL (for tests and
/// proxies): its scheme is the scheme of every request of a pull.
const DOMAIN_API: &str = "https://api.liveperson.net";
/// The service that lists skills and users for reading.
const SERVICE: &str = "accountConfigReadOnly";
/// The fields asked of each user (the Users API's default is only `id,pid,deleted,loginName`).
/// The user's type is asked under both its spellings (the entity table's `userType`, the
/// example's `userTypeId`): a field the API does not have comes back blank, not as an error.
const USER_FIELDS: &str =
    "id,loginName,fullName,nickname,isEnabled,deleted,skillIds,userType,userTypeId";
/// How long a whole request may take, unless `ESCALATOR_HTTP_TIMEOUT` says (seconds).
const TIMEOUT: Duration = Duration::from_secs(30);
/// The most a list may weigh.
const LIMIT: u64 = 64 << 20;

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Fetch the account's skills and users from LivePerson and keep them.
    ///
    /// Example: LP_BEARER_TOKEN=… escalator account pull --account 12345678
    Pull {
        /// The account id (the LP site id).
        #[arg(long)]
        account: String,
        /// A file holding the bearer token (default: the LP_BEARER_TOKEN variable).
        #[arg(long)]
        token_file: Option<PathBuf>,
    },
    /// Keep skills and users saved by hand as JSON (the APIs' lists, or {"skills", "users"}).
    ///
    /// Example: escalator account import --account 12345678 skills.json users.json
    Import {
        /// The account id the files are of.
        #[arg(long)]
        account: String,
        /// JSON files: a list of skills, a list of users, or an object with both.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print what is kept: every account, or one account's skills and users.
    ///
    /// Example: escalator account show --account 12345678
    Show {
        #[arg(long)]
        account: Option<String>,
    },
}

pub fn run(command: AccountCommand) -> Result<i32, Failure> {
    let folder = account::folder()
        .ok_or_else(|| bad_input("account: no home folder to keep accounts in"))?;
    match command {
        AccountCommand::Pull {
            account,
            token_file,
        } => pull(&folder, account.trim(), token_file.as_deref()),
        AccountCommand::Import { account, files } => import(&folder, account.trim(), &files),
        AccountCommand::Show { account } => show(&folder, account.as_deref().map(str::trim)),
    }
}

/// The bearer token: the file's first line, or `LP_BEARER_TOKEN`.
fn token(file: Option<&Path>) -> Result<String, Failure> {
    let token = match file {
        // A regular file, read only so far (a token is short; /dev/zero is no token file).
        Some(file) => crate::export::read_small_file(file)
            .map_err(|e| {
                bad_input(format!(
                    "{}: cannot read the token: {}",
                    file.display(),
                    crate::export::describe_io(&e)
                ))
            })?
            .lines()
            .next()
            .unwrap_or_default()
            .to_string(),
        None => std::env::var("LP_BEARER_TOKEN").unwrap_or_default(),
    };
    let token = token
        .trim()
        .trim_start_matches("Bearer ")
        .trim()
        .to_string();
    if token.is_empty() {
        return Err(bad_input(
            "account pull: no token: set LP_BEARER_TOKEN, or pass --token-file FILE (see the README: getting a token)",
        ));
    }
    if token.chars().any(|c| c.is_control() || c == ' ') {
        return Err(bad_input(
            "account pull: the token holds spaces or control characters; it is one word",
        ));
    }
    Ok(token)
}

/// How long a request may take: `ESCALATOR_HTTP_TIMEOUT` seconds (more than 0, at most an
/// hour), else [`TIMEOUT`].
fn timeout() -> Result<Duration, Failure> {
    let Ok(text) = std::env::var("ESCALATOR_HTTP_TIMEOUT") else {
        return Ok(TIMEOUT);
    };
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| *s > 0.0 && *s <= 3600.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            bad_input(format!(
                "ESCALATOR_HTTP_TIMEOUT is \"{}\": give seconds, more than 0 and at most 3600",
                text.chars().take(40).collect::<String>()
            ))
        })
}

fn agent(timeout: Duration) -> ureq::Agent {
    // A redirect is not followed: the lists come from the host the Domain API names, and the
    // token goes nowhere else.
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .build()
        .into()
}

/// GETs `url` (with the token when there is one): the body of a 200, else one line.
fn get(agent: &ureq::Agent, url: &str, token: Option<&str>, what: &str) -> Result<Value, Failure> {
    let mut request = agent.get(url).header("Accept", "application/json");
    if let Some(token) = token {
        request = request.header("Authorization", format!("Bearer {token}"));
    }
    let mut response = request
        .call()
        .map_err(|e| bad_input(format!("account pull: cannot get {what}: {e}")))?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(LIMIT)
        .read_to_string()
        .map_err(|e| bad_input(format!("account pull: cannot read {what}: {e}")))?;
    match status {
        200 => serde_json::from_str(&body).map_err(|e| {
            bad_input(format!(
                "account pull: {what} is not JSON (line {}, column {}): {e}",
                e.line(),
                e.column()
            ))
        }),
        300..=399 => Err(bad_input(format!(
            "account pull: {what}: HTTP {status}: a redirect{}, not followed",
            response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .map(|l| format!(" to {}", l.chars().take(200).collect::<String>()))
                .unwrap_or_default()
        ))),
        401 | 403 => Err(bad_input(format!(
            "account pull: {what}: HTTP {status}: the token was refused; get a new one, with the rights to read users and skills"
        ))),
        _ => Err(bad_input(format!(
            "account pull: {what}: HTTP {status}{}",
            match body.trim() {
                "" => String::new(),
                text => format!(": {}", text.chars().take(200).collect::<String>()),
            }
        ))),
    }
}

/// The host the Domain API names for the service, as `host[:port]`.
fn host_of(value: &Value) -> Option<String> {
    let uri = value
        .get("baseURI")
        .and_then(Value::as_str)
        .or_else(|| {
            value.get("baseURIs")?.as_array()?.iter().find_map(|b| {
                (b.get("service")?.as_str()? == SERVICE)
                    .then(|| b.get("baseURI")?.as_str())
                    .flatten()
            })
        })?
        .trim();
    let host = uri.trim_start_matches("https://").trim_end_matches('/');
    // A host, with a port perhaps: nothing that would take the request elsewhere.
    let fine = !host.is_empty()
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    fine.then(|| host.to_string())
}

/// Whether the token may go to `host`: LivePerson's own hosts, unless the Domain API is
/// another one (a test server, a proxy), which then names the hosts.
fn trusted(host: &str, own_domain_api: bool) -> bool {
    let name = host.split(':').next().unwrap_or_default();
    !own_domain_api || name == "liveperson.net" || name.ends_with(".liveperson.net")
}

fn check_id(id: &str) -> Result<(), Failure> {
    account::check_id(id).map_err(|why| bad_input(format!("account: {why}")))
}

/// Keeps `account` and says what was kept; warns when a list that had items has none now.
fn keep_and_say(
    folder: &Path,
    account: &Account,
    before: Option<&Account>,
) -> Result<i32, Failure> {
    let path = account::keep(folder, account).map_err(bad_input)?;
    println!(
        "Kept account {}: {} in {}",
        account.id,
        summary(account),
        path.display()
    );
    warn_emptied(before, account);
    Ok(EXIT_OK)
}

fn pull(folder: &Path, id: &str, token_file: Option<&Path>) -> Result<i32, Failure> {
    check_id(id)?;
    let token = token(token_file)?;
    let replaced = std::env::var("ESCALATOR_DOMAIN_API").ok();
    let own_domain_api = replaced.is_none();
    let base = replaced.unwrap_or_else(|| DOMAIN_API.into());
    let base = base.trim_end_matches('/');
    let scheme = if base.starts_with("http://") {
        "http"
    } else {
        "https"
    };
    let agent = agent(timeout()?);
    let domain = get(
        &agent,
        &format!("{base}/api/account/{id}/service/{SERVICE}/baseURI.json?version=1.0"),
        None,
        "the account's domain",
    )?;
    let host = host_of(&domain).ok_or_else(|| {
        bad_input(format!(
            "account pull: the Domain API named no {SERVICE} host for account {id}"
        ))
    })?;
    if !trusted(&host, own_domain_api) {
        return Err(bad_input(format!(
            "account pull: the Domain API named {host}, not a LivePerson host; the token is not sent there"
        )));
    }
    let root = format!("{scheme}://{host}/api/account/{id}/configuration/le-users");
    let skills = get(
        &agent,
        &format!("{root}/skills?v=4.0&select=id,name,deleted&include_deleted=true"),
        Some(&token),
        "the skills",
    )?;
    let users = get(
        &agent,
        &format!("{root}/users?v=4.0&select={USER_FIELDS}&include_deleted=true"),
        Some(&token),
        "the users",
    )?;
    let shape = |e: account::ShapeError| bad_input(format!("account pull: {e}"));
    let _lock = lock(folder, id)?;
    let before = account::kept(folder, id).ok().flatten();
    let account = Account {
        id: id.to_string(),
        fetched_at: account::now(),
        source: format!("pull from {host}"),
        skills: account::read_skills(&skills).map_err(shape)?,
        users: account::read_users(&users).map_err(shape)?,
    };
    keep_and_say(folder, &account, before.as_ref())
}

/// Says so when a list that had items has none now (a wrong account, or a token that sees
/// nothing, answers empty lists).
fn warn_emptied(before: Option<&Account>, now: &Account) {
    let Some(before) = before else {
        return;
    };
    if now.skills.is_empty() && !before.skills.is_empty() {
        eprintln!(
            "warning: account {} now has no skills (it had {}): is it the right account, and may the token read skills?",
            now.id,
            before.skills.len()
        );
    }
    if now.users.is_empty() && !before.users.is_empty() {
        eprintln!(
            "warning: account {} now has no users (it had {}): is it the right account, and may the token read users?",
            now.id,
            before.users.len()
        );
    }
}

/// The lock of an account's kept file, while it is read and written (two imports at once
/// take turns).
fn lock(folder: &Path, id: &str) -> Result<crate::export::save::ExportLock, Failure> {
    std::fs::create_dir_all(folder).map_err(|e| {
        bad_input(format!(
            "{}: cannot create the folder: {e}",
            folder.display()
        ))
    })?;
    crate::export::save::ExportLock::acquire(
        &folder.join(format!("{id}.json")),
        std::time::Duration::from_secs(10),
    )
    .map_err(|e| bad_input(format!("account {id}: {e}")))
}

fn import(folder: &Path, id: &str, files: &[PathBuf]) -> Result<i32, Failure> {
    check_id(id)?;
    let (mut skills, mut users) = (None, None);
    for file in files {
        let text = crate::export::read_small_file(file)
            .map_err(|e| bad_input(format!("{}: cannot read: {e}", file.display())))?;
        let value: Value = serde_json::from_str(&text).map_err(|e| {
            bad_input(format!(
                "{}:{}:{}: not JSON: {e}",
                file.display(),
                e.line(),
                e.column()
            ))
        })?;
        let (s, u) = account::read_saved(&value)
            .map_err(|e| bad_input(format!("{}: {e}", file.display())))?;
        skills = s.or(skills);
        users = u.or(users);
    }
    let _lock = lock(folder, id)?;
    let kept = account::kept(folder, id).map_err(bad_input)?;
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let account = Account {
        id: id.to_string(),
        fetched_at: account::now(),
        source: format!("import of {}", names.join(", ")),
        // A file of one list keeps the other as it was.
        skills: skills
            .or_else(|| kept.as_ref().map(|k| k.skills.clone()))
            .unwrap_or_default(),
        users: users
            .or_else(|| kept.as_ref().map(|k| k.users.clone()))
            .unwrap_or_default(),
    };
    keep_and_say(folder, &account, kept.as_ref())
}

/// "12 skills (2 deleted), 40 users (35 enabled, 3 bots)".
fn summary(account: &Account) -> String {
    let deleted = account.skills.iter().filter(|s| s.deleted).count();
    let enabled = account.users.iter().filter(|u| u.active()).count();
    let bots = account
        .users
        .iter()
        .filter(|u| u.user_type == account::USER_TYPE_BOT)
        .count();
    format!(
        "{} ({deleted} deleted), {} ({enabled} enabled, {})",
        plural(account.skills.len(), "skill"),
        plural(account.users.len(), "user"),
        plural(bots, "bot")
    )
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn show(folder: &Path, id: Option<&str>) -> Result<i32, Failure> {
    let now = account::now();
    let Some(id) = id else {
        let all = account::all_kept(folder);
        if all.is_empty() {
            println!(
                "No account kept yet: escalator account pull --account ID, or escalator account import --account ID FILE…"
            );
        }
        for account in all {
            match account {
                Ok(a) => println!("{}: {}; {} ({})", a.id, summary(&a), a.age(now), a.source),
                Err(e) => eprintln!("{e}"),
            }
        }
        return Ok(EXIT_OK);
    };
    check_id(id)?;
    let account = account::kept(folder, id)
        .map_err(bad_input)?
        .ok_or_else(|| bad_input(format!("account {id} is not kept: pull or import it first")))?;
    println!(
        "Account {}: {}; {} ({})",
        account.id,
        summary(&account),
        account.age(now),
        account.source
    );
    println!("Skills:");
    for s in &account.skills {
        println!(
            "  {:>12}  {}{}",
            s.id,
            s.name,
            if s.deleted { "  (deleted)" } else { "" }
        );
    }
    println!("Users:");
    for u in &account.users {
        let kind = match u.user_type {
            0 => "system",
            account::USER_TYPE_BOT => "bot",
            _ => "agent",
        };
        let state = match (u.deleted, u.enabled) {
            (true, _) => "  (deleted)",
            (false, false) => "  (disabled)",
            _ => "",
        };
        let skills: Vec<String> = u.skill_ids.iter().map(u64::to_string).collect();
        println!(
            "  {:>12}  {} [{kind}] skills {}{state}",
            u.id,
            u.describe(),
            if skills.is_empty() {
                "none".into()
            } else {
                skills.join(", ")
            }
        );
    }
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_token_goes_to_liveperson_hosts_unless_the_domain_api_is_replaced() {
        assert!(trusted("va.ac.liveperson.net", true));
        assert!(trusted("va.ac.liveperson.net:443", true));
        assert!(!trusted("liveperson.net.evil.example", true));
        assert!(!trusted("127.0.0.1:8080", true));
        assert!(trusted("127.0.0.1:8080", false));
    }

    #[test]
    fn the_domain_is_read_either_way_and_only_as_a_host() {
        assert_eq!(
            host_of(&json!({"service": SERVICE, "baseURI": "va.ac.liveperson.net"})).as_deref(),
            Some("va.ac.liveperson.net")
        );
        assert_eq!(
            host_of(&json!({"baseURIs": [{"service": "x", "baseURI": "a"}, {"service": SERVICE, "baseURI": "b:8080"}]}))
                .as_deref(),
            Some("b:8080")
        );
        assert_eq!(host_of(&json!({"baseURI": "evil.com/x?y"})), None);
        assert_eq!(host_of(&json!({"baseURI": "user@evil.com"})), None);
        assert_eq!(host_of(&json!({})), None);
    }
}
