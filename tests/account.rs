//! `escalator account`: pulled from a test server on 127.0.0.1 that stands in for LivePerson
//! (the Domain API, then the Skills and Users APIs, in their documented shapes), imported from
//! files, shown; a failed pull keeps what was kept, and the token is never printed or kept.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_escalator");
const TOKEN: &str = "s3cr3t-token-0123456789";
const ACCOUNT: &str = "12345678";

/// What the server answers a path with, knowing its own host: status and body; `None`: it
/// never answers.
type Route = Box<dyn Fn(&str, &str) -> Option<(u16, String)> + Send + Sync>;

/// A server on a free port of 127.0.0.1, answering each request by its route; it records
/// the requests (first line and Authorization header).
struct Server {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

/// A request's path and its Authorization header.
type Seen = (String, Option<String>);

impl Server {
    fn start(route: Route) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let host = listener.local_addr().unwrap().to_string();
        let base = format!("http://{host}");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut first = String::new();
                if reader.read_line(&mut first).is_err() {
                    continue;
                }
                let mut auth = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some((name, value)) = line.split_once(':')
                        && name.eq_ignore_ascii_case("authorization")
                    {
                        auth = Some(value.trim().to_string());
                    }
                }
                let path = first.split(' ').nth(1).unwrap_or_default().to_string();
                log.lock().unwrap().push((path.clone(), auth));
                match route(&host, &path) {
                    Some((status, body)) => {
                        let _ = write!(
                            stream,
                            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                            body.len()
                        );
                    }
                    // Holds the connection open without a word: a timeout.
                    None => std::thread::sleep(std::time::Duration::from_secs(5)),
                }
            }
        });
        Server { base, seen }
    }
}

/// The documented answers, with the account's host pointing back at this server.
fn documented(skills: Value, users: Value) -> impl Fn(&str, &str) -> Option<(u16, String)> {
    move |host: &str, path: &str| {
        if path.starts_with(&format!(
            "/api/account/{ACCOUNT}/service/accountConfigReadOnly/baseURI.json"
        )) {
            return Some((
                200,
                json!({"service": "accountConfigReadOnly", "account": ACCOUNT, "baseURI": host})
                    .to_string(),
            ));
        }
        let root = format!("/api/account/{ACCOUNT}/configuration/le-users");
        if path.starts_with(&format!("{root}/skills")) {
            return Some((200, skills.to_string()));
        }
        if path.starts_with(&format!("{root}/users")) {
            return Some((200, users.to_string()));
        }
        Some((404, "{}".into()))
    }
}

fn skills() -> Value {
    json!([
        {"id": 12, "name": "Billing", "deleted": false},
        {"id": 13, "name": "Sales", "deleted": false},
        {"id": 14, "name": "Old", "deleted": true}
    ])
}

fn users() -> Value {
    json!([
        {"id": 501, "loginName": "jane", "fullName": "Jane Doe", "nickname": "Jane", "isEnabled": true,
         "deleted": false, "skillIds": [12], "userType": 1},
        {"id": "502", "loginName": "max", "fullName": "Max", "isEnabled": "false", "deleted": "false",
         "skillIds": [13], "userTypeId": 1},
        {"id": 503, "loginName": "salesbot", "fullName": "Sales bot", "isEnabled": true,
         "skillIds": [13], "userType": 2},
        {"id": 504, "loginName": "gone", "fullName": "Gone", "isEnabled": true, "deleted": true,
         "skillIds": [12], "userType": 1}
    ])
}

/// A server that answers as documented, its host being itself.
fn documented_server(skills: Value, users: Value) -> Server {
    Server::start(Box::new(documented(skills, users)))
}

fn run(home: &Path, server: &str, args: &[&str], token: Option<&str>) -> Output {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("HOME", home)
        .env("ESCALATOR_DOMAIN_API", server)
        .env("ESCALATOR_HTTP_TIMEOUT", "1")
        .env_remove("LP_BEARER_TOKEN");
    // The test server is on this machine: no proxy of the environment stands between.
    for proxy in ["ALL_PROXY", "HTTPS_PROXY", "HTTP_PROXY"] {
        command.env_remove(proxy).env_remove(proxy.to_lowercase());
    }
    if let Some(token) = token {
        command.env("LP_BEARER_TOKEN", token);
    }
    command.output().unwrap()
}

/// A pull of the account with the token, from the Domain API at `base`.
fn pull(home: &Path, base: &str) -> Output {
    run(
        home,
        base,
        &["account", "pull", "--account", ACCOUNT],
        Some(TOKEN),
    )
}

/// Asserts that `output` says `what`.
fn says(output: &Output, what: &str) {
    let said = text(output);
    assert!(said.contains(what), "{what:?} not in: {said}");
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn kept(home: &Path) -> Value {
    let file = home.join(format!("data/escalator/accounts/{ACCOUNT}.json"));
    serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

#[test]
fn a_pull_asks_the_domain_then_both_lists_and_keeps_them_without_the_token() {
    let home = tempfile::tempdir().unwrap();
    let server = documented_server(skills(), users());
    let out = pull(home.path(), &server.base);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(
        said.contains("3 skills (1 deleted), 4 users (2 enabled, 1 bot)"),
        "{said}"
    );
    assert!(!said.contains(TOKEN));
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert!(
        seen[0]
            .0
            .contains("/service/accountConfigReadOnly/baseURI.json")
    );
    assert_eq!(seen[0].1, None, "the Domain API gets no token");
    assert!(seen[1].0.contains("/le-users/skills?"), "{seen:?}");
    assert!(
        seen[2]
            .0
            .contains("select=id,loginName,fullName,nickname,isEnabled,deleted,skillIds,userType")
    );
    assert_eq!(
        seen[1].1.as_deref(),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    let account = kept(home.path());
    assert_eq!(account["skills"][2]["deleted"], true);
    assert_eq!(account["users"][1]["enabled"], false);
    let file = std::fs::read_to_string(
        home.path()
            .join(format!("data/escalator/accounts/{ACCOUNT}.json")),
    )
    .unwrap();
    assert!(!file.contains(TOKEN), "the token is never kept");
    // And shown.
    let out = run(
        home.path(),
        &server.base,
        &["account", "show", "--account", ACCOUNT],
        None,
    );
    let said = text(&out);
    assert!(
        said.contains("Billing") && said.contains("Jane Doe (jane, 501) [agent] skills 12"),
        "{said}"
    );
    assert!(
        said.contains("(deleted)") && said.contains("(disabled)"),
        "{said}"
    );
    let out = run(home.path(), &server.base, &["account", "show"], None);
    assert!(
        text(&out).starts_with(&format!("{ACCOUNT}: 3 skills")),
        "{}",
        text(&out)
    );
}

#[test]
fn a_failed_pull_says_why_in_one_line_exits_2_and_keeps_what_was_kept() {
    let home = tempfile::tempdir().unwrap();
    let good = documented_server(skills(), users());
    pull(home.path(), &good.base);
    let before = kept(home.path());
    let refusing = |status: u16| -> Server {
        Server::start(Box::new(move |host, path| {
            if path.contains("/service/") {
                Some((200, json!({"baseURI": host}).to_string()))
            } else {
                Some((status, "{\"error\": \"no\"}".into()))
            }
        }))
    };
    let cases: Vec<(&str, Server, &str)> = vec![
        ("401", refusing(401), "HTTP 401: the token was refused"),
        ("403", refusing(403), "HTTP 403: the token was refused"),
        ("500", refusing(500), "HTTP 500"),
        (
            "malformed",
            documented_server(json!("x"), users()),
            "not a list of skills",
        ),
        (
            "timeout",
            Server::start(Box::new(|_, _| None)),
            "cannot get the account's domain",
        ),
    ];
    for (name, server, why) in cases {
        let out = pull(home.path(), &server.base);
        let said = text(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {said}");
        assert!(said.contains(why), "{name}: {said}");
        assert_eq!(said.trim().lines().count(), 1, "{name}: {said}");
        assert!(!said.contains(TOKEN), "{name}");
        assert_eq!(kept(home.path()), before, "{name}: what was kept stays");
    }
    // Not JSON at all.
    let broken = Server::start(Box::new(|_, path| {
        Some(if path.contains("/service/") {
            (200, "{nope".into())
        } else {
            (200, "[]".into())
        })
    }));
    let out = pull(home.path(), &broken.base);
    assert!(text(&out).contains("is not JSON (line 1"), "{}", text(&out));
    // A redirect is not followed: the token stays with the account's host.
    let redirecting = Server::start(Box::new(|host, path| {
        if path.contains("/service/") {
            Some((200, json!({"baseURI": host}).to_string()))
        } else {
            Some((302, String::new()))
        }
    }));
    let out = pull(home.path(), &redirecting.base);
    says(&out, "HTTP 302: a redirect");
    assert!(text(&out).contains("not followed"), "{}", text(&out));
    // No token.
    let out = run(
        home.path(),
        &good.base,
        &["account", "pull", "--account", ACCOUNT],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    says(&out, "no token: set LP_BEARER_TOKEN");
    // A domain that would send the token elsewhere is refused.
    let sly = Server::start(Box::new(|_, _| {
        Some((200, json!({"baseURI": "evil.example/x?"}).to_string()))
    }));
    let out = pull(home.path(), &sly.base);
    says(&out, "named no accountConfigReadOnly host");
}

#[test]
fn an_empty_account_and_a_token_file_pull_too() {
    let home = tempfile::tempdir().unwrap();
    let server = documented_server(json!([]), json!([]));
    let token_file = home.path().join("token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    let out = run(
        home.path(),
        &server.base,
        &[
            "account",
            "pull",
            "--account",
            ACCOUNT,
            "--token-file",
            token_file.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    says(&out, "0 skills (0 deleted), 0 users");
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(
        seen[1].1.as_deref(),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[test]
fn import_takes_files_saved_by_hand_and_keeps_the_other_list() {
    let home = tempfile::tempdir().unwrap();
    let skills_file = home.path().join("skills.json");
    let users_file = home.path().join("users.json");
    std::fs::write(&skills_file, skills().to_string()).unwrap();
    std::fs::write(&users_file, users().to_string()).unwrap();
    let none = "http://127.0.0.1:9";
    let out = run(
        home.path(),
        none,
        &[
            "account",
            "import",
            "--account",
            ACCOUNT,
            skills_file.to_str().unwrap(),
            users_file.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    says(&out, "3 skills (1 deleted), 4 users");
    // A second import of skills alone keeps the users.
    std::fs::write(&skills_file, json!([{"id": 99, "name": "New"}]).to_string()).unwrap();
    run(
        home.path(),
        none,
        &[
            "account",
            "import",
            "--account",
            ACCOUNT,
            skills_file.to_str().unwrap(),
        ],
        None,
    );
    let account = kept(home.path());
    assert_eq!(account["skills"].as_array().unwrap().len(), 1);
    assert_eq!(account["users"].as_array().unwrap().len(), 4);
    // A file of another shape names the file and what is wrong.
    std::fs::write(&skills_file, "{\"x\": 1}").unwrap();
    let out = run(
        home.path(),
        none,
        &[
            "account",
            "import",
            "--account",
            ACCOUNT,
            skills_file.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    says(&out, "skills.json: neither a list");
    let out = run(
        home.path(),
        none,
        &[
            "account",
            "import",
            "--account",
            "../x",
            skills_file.to_str().unwrap(),
        ],
        None,
    );
    says(&out, "is not an account id");
}

/// The sample bot in a temporary folder, its account imported and set.
fn bot_with_account(home: &Path) -> std::path::PathBuf {
    let bot = home.join("bot.json");
    std::fs::write(&bot, escalator::workspace::shipped::SAMPLE_BOT).unwrap();
    let lists = home.join("lists.json");
    std::fs::write(
        &lists,
        json!({"skills": skills(), "users": users()}).to_string(),
    )
    .unwrap();
    let none = "http://127.0.0.1:9";
    let out = run(
        home,
        none,
        &[
            "account",
            "import",
            "--account",
            ACCOUNT,
            lists.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = run(
        home,
        none,
        &["set", bot.to_str().unwrap(), "--account", ACCOUNT],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    says(&out, "its lists of just now check the transfers");
    bot
}

fn set(home: &Path, bot: &Path, assignments: &[&str]) {
    let mut args = vec![
        "set",
        bot.to_str().unwrap(),
        "--integration",
        "AgentEscalation",
        "--force",
    ];
    args.extend_from_slice(assignments);
    let out = run(home, "http://127.0.0.1:9", &args, None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

fn validate(home: &Path, bot: &Path) -> String {
    text(&run(
        home,
        "http://127.0.0.1:9",
        &["validate", bot.to_str().unwrap()],
        None,
    ))
}

#[test]
fn every_transfer_is_checked_against_the_kept_account() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let bot = bot_with_account(home);
    let of = format!("(account {ACCOUNT}'s lists of just now)");
    let cases: Vec<(Vec<&str>, String)> = vec![
        (vec!["skill_id=99"], format!("skill 99 is not in the account {of}")),
        (vec!["skill_id=14"], format!("skill 14 (\"Old\") is deleted {of}")),
        (
            vec!["skill_id=12", "skill_name=Sales"],
            format!("\"Sales\" is skill 13 in the account; skill 12 is \"Billing\" {of}"),
        ),
        (
            vec!["skill_id=12", "skill_name=Billing", "agent_id=502"],
            "agent Max (max, 502) is disabled: the transfer goes to the skill instead".into(),
        ),
        (
            vec!["skill_id=13", "skill_name=Sales", "agent_id=501"],
            "agent Jane Doe (jane, 501) is not on skill Sales: the transfer goes to the skill instead".into(),
        ),
        (vec!["agent_id=777"], format!("agent 777 is not a user of account {ACCOUNT}")),
        (vec!["agent_id=504"], "agent Gone (gone, 504) is deleted: the transfer goes to the skill instead".into()),
        (
            vec!["agent_id=99999999.501"],
            format!("Agent Id 99999999.501 is of account 99999999, not of {ACCOUNT}"),
        ),
        (
            vec!["skill_id=12", "agent_id=", "transfer_bot_context=true"],
            "no bot of the account is on skill 12: a bot-to-bot transfer finds no bot there".into(),
        ),
    ];
    for (assignments, hint) in cases {
        set(home, &bot, &assignments);
        let said = validate(home, &bot);
        assert!(said.contains(&hint), "{assignments:?}: {said}");
        assert!(said.contains(": hint: "), "{said}");
    }
    // All fine: no hint of the account.
    set(
        home,
        &bot,
        &[
            "skill_id=13",
            "skill_name=Sales",
            "agent_id=",
            "transfer_bot_context=true",
        ],
    );
    let said = validate(home, &bot);
    assert!(
        !said.contains(&format!("account {ACCOUNT}'s lists")),
        "{said}"
    );
}

#[test]
fn the_simulation_sends_the_transfer_to_the_skill_when_the_account_says_the_agent_is_not_on_it() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let bot = bot_with_account(home);
    set(
        home,
        &bot,
        &["skill_id=13", "skill_name=Sales", "agent_id=501"],
    );
    let out = run(
        home,
        "http://127.0.0.1:9",
        &[
            "simulate",
            bot.to_str().unwrap(),
            "--integration",
            "AgentEscalation",
        ],
        None,
    );
    let said = text(&out);
    assert!(
        said.contains(
            "agent Jane Doe (jane, 501) is not on skill Sales: the transfer goes to the skill"
        ),
        "{said}"
    );
    assert!(said.contains("transferred to skill 13"), "{said}");
    // On the skill: the agent takes it.
    set(home, &bot, &["skill_id=12", "skill_name=Billing"]);
    let said = text(&run(
        home,
        "http://127.0.0.1:9",
        &[
            "simulate",
            bot.to_str().unwrap(),
            "--integration",
            "AgentEscalation",
        ],
        None,
    ));
    assert!(said.contains("transferred to agent 501"), "{said}");
}

#[test]
fn without_a_kept_account_the_simulation_says_the_agent_is_not_checked() {
    let home = tempfile::tempdir().unwrap();
    let bot = home.path().join("bot.json");
    std::fs::write(&bot, escalator::workspace::shipped::SAMPLE_BOT).unwrap();
    set(home.path(), &bot, &["skill_id=12", "agent_id=501"]);
    let said = text(&run(
        home.path(),
        "http://127.0.0.1:9",
        &[
            "simulate",
            bot.to_str().unwrap(),
            "--integration",
            "AgentEscalation",
        ],
        None,
    ));
    assert!(
        said.contains("transferred to agent 501 (no account kept: whether the agent is on the skill and available is not checked)"),
        "{said}"
    );
}

#[test]
fn an_account_set_but_not_kept_is_said() {
    let home = tempfile::tempdir().unwrap();
    let bot = home.path().join("bot.json");
    std::fs::write(&bot, escalator::workspace::shipped::SAMPLE_BOT).unwrap();
    let out = run(
        home.path(),
        "http://127.0.0.1:9",
        &["set", bot.to_str().unwrap(), "--account", "424242"],
        None,
    );
    says(
        &out,
        "not kept yet: escalator account pull --account 424242",
    );
    let said = validate(home.path(), &bot);
    assert!(
        said.contains("the bot's account 424242 is not kept here"),
        "{said}"
    );
}

#[test]
fn what_the_second_look_found_is_refused_with_a_line() {
    let home = tempfile::tempdir().unwrap();
    let server = documented_server(skills(), users());
    // A token file that never ends, and a bad timeout: one line, exit 2, no hang.
    let out = run(
        home.path(),
        &server.base,
        &[
            "account",
            "pull",
            "--account",
            ACCOUNT,
            "--token-file",
            "/dev/zero",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    says(&out, "cannot read the token");
    for bad in ["inf", "1e300", "0", "-1", "abc"] {
        let out = Command::new(BIN)
            .args(["account", "pull", "--account", ACCOUNT])
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("ESCALATOR_DOMAIN_API", &server.base)
            .env("ESCALATOR_HTTP_TIMEOUT", bad)
            .env("LP_BEARER_TOKEN", TOKEN)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}: {}", text(&out));
        assert!(
            text(&out).contains("ESCALATOR_HTTP_TIMEOUT is"),
            "{bad}: {}",
            text(&out)
        );
    }
    // An empty list, a flag that is no flag, an id twice: refused, naming what.
    let file = home.path().join("list.json");
    for (list, why) in [
        (json!([]), "an empty list: skills or users?"),
        (
            json!([{"id": 1, "name": "a", "deleted": "yes"}]),
            "skill 1: \"deleted\": \"yes\" is not true or false",
        ),
        (
            json!([{"id": 1, "name": "a"}, {"id": 1, "name": "b"}]),
            "skill 1 is in the list twice",
        ),
    ] {
        std::fs::write(&file, list.to_string()).unwrap();
        let out = run(
            home.path(),
            &server.base,
            &[
                "account",
                "import",
                "--account",
                ACCOUNT,
                file.to_str().unwrap(),
            ],
            None,
        );
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        assert!(text(&out).contains(why), "{}", text(&out));
    }
    // A kept file that holds another account is not taken for this one.
    let folder = home.path().join("data/escalator/accounts");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("222.json"),
        json!({"id": ACCOUNT, "fetched_at": 0, "source": "", "skills": [], "users": []})
            .to_string(),
    )
    .unwrap();
    let out = run(
        home.path(),
        &server.base,
        &["account", "show", "--account", "222"],
        None,
    );
    says(&out, "holds account 12345678, not 222");
    // A pull that empties a list says so.
    pull(home.path(), &server.base);
    let empty = documented_server(json!([]), users());
    let out = pull(home.path(), &empty.base);
    says(&out, "now has no skills (it had 3)");
}

#[test]
fn a_bot_user_as_agent_id_and_an_unreadable_kept_account_are_said() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let bot = bot_with_account(home);
    set(home, &bot, &["skill_id=13", "agent_id=503"]);
    let said = validate(home, &bot);
    assert!(
        said.contains(
            "Agent Id 503 is the bot Sales bot (salesbot, 503): Agent Id is for a person"
        ),
        "{said}"
    );
    std::fs::write(
        home.join(format!("data/escalator/accounts/{ACCOUNT}.json")),
        "{broken",
    )
    .unwrap();
    let said = validate(home, &bot);
    assert!(said.contains("its kept lists cannot be read"), "{said}");
}
