//! Bad and odd files, one test each: every one gives a clear error naming the file and the
//! place, or loads correctly; none panics; a failed load never writes the file.
//!
//! The small fixtures are in `tests/fixtures/bad/`; the 1 MB string and the 100 MB bot are
//! generated here at run time (see `tests/fixtures/bad/README.md`).

mod common;
use common::Edits;

use std::fmt::Write as _;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime};

use escalator::bot::integration::Field;
use escalator::bot::{BotDocument, LoadError};
use escalator::rules::validate_bot;
use escalator::workspace::sidecar::Sidecar;
use serde_json::{Value, json};

fn fixture(name: &str) -> PathBuf {
    common::fixture("bad").join(name)
}

/// A copy of a fixture in a fresh folder (which lives as long as the guard).
fn copy_of(name: &str) -> (tempfile::TempDir, PathBuf) {
    common::copy_to_temp(&fixture(name))
}

/// What a file is on disk: bytes, modification time, inode (a rename over it changes it).
#[derive(Debug, PartialEq, Eq)]
struct Stamp {
    bytes: Vec<u8>,
    modified: SystemTime,
    inode: u64,
}

fn stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).unwrap();
    Stamp {
        bytes: std::fs::read(path).unwrap(),
        modified: meta.modified().unwrap(),
        inode: meta.ino(),
    }
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Runs the binary with its data folder in `home` (so nothing outside the temp folders is
/// touched); returns the exit code and stderr.
fn escalator(home: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_escalator"))
        .args(args)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the binary runs");
    (
        out.status.code().expect("exited, not killed by a signal"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_one_line_error(stderr: &str, path: &Path) {
    assert_eq!(stderr.lines().count(), 1, "one line on stderr: {stderr:?}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        stderr.contains(&path.display().to_string()),
        "names the file: {stderr}"
    );
}

/// Loads the fixture through the library (leaving it untouched), and checks the error names
/// the file, the place when `at` is given, and says `what`.
fn library_error(name: &str, at: Option<(usize, usize)>, what: &[&str]) -> LoadError {
    let path = fixture(name);
    let before = stamp(&path);
    let error = BotDocument::load(&path).expect_err("the file is refused");
    assert_eq!(stamp(&path), before, "loading never writes");
    assert_eq!(error.path, path);
    assert_eq!(error.at, at, "{error}");
    let shown = error.to_string();
    let place = match at {
        Some((line, column)) => format!("{}:{line}:{column}: ", path.display()),
        None => format!("{}: ", path.display()),
    };
    assert!(shown.starts_with(&place), "{shown:?} starts with {place:?}");
    for w in what {
        assert!(shown.contains(w), "{shown:?} says {w:?}");
    }
    assert_eq!(shown.lines().count(), 1, "one line: {shown:?}");
    error
}

/// Runs `validate`, `set` and the editor on a copy of the fixture: each exits 2 with one line
/// on stderr naming the file, and neither the file nor its folder changes.
fn binary_refuses(name: &str, what: &str) {
    let (dir, path) = copy_of(name);
    let home = tempfile::tempdir().unwrap();
    let file = path.to_str().unwrap();
    let before = stamp(&path);
    let files = listing(dir.path());
    let runs: [&[&str]; 5] = [
        &["validate", file],
        &["validate", "--format", "json", file],
        &["set", file, "--integration", "X", "skill_id=1"],
        &[
            "set",
            file,
            "--integration",
            "AgentEscalation",
            "--create",
            "--context",
            "skillId=1",
            "--messages",
            "2",
            "skill_id=1",
        ],
        &[file],
    ];
    for args in runs {
        let (code, stderr) = escalator(home.path(), args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert_one_line_error(&stderr, &path);
        assert!(stderr.contains(what), "{args:?}: {stderr:?} says {what:?}");
        assert_eq!(stamp(&path), before, "{args:?} left the file alone");
        assert_eq!(
            listing(dir.path()),
            files,
            "{args:?} wrote nothing beside it"
        );
    }
    assert_eq!(
        listing(home.path()),
        Vec::<String>::new(),
        "nothing in the data folder"
    );
}

// ---------------------------------------------------------------------------------------------
// Refused files.

#[test]
fn empty_file() {
    assert_eq!(std::fs::metadata(fixture("empty.json")).unwrap().len(), 0);
    library_error("empty.json", None, &["the file is empty", "expected"]);
    binary_refuses("empty.json", "empty");
}

#[test]
fn truncated_file() {
    // The place is the last character of the text, after which more was expected.
    let text = std::fs::read_to_string(fixture("truncated.json")).unwrap();
    let lines = text.lines().count();
    let last = text.lines().last().unwrap().chars().count();
    library_error(
        "truncated.json",
        Some((lines, last)),
        &[
            "ends in the middle of the JSON",
            "cut off",
            "Expected the rest",
        ],
    );
    binary_refuses("truncated.json", "was it cut off?");
}

#[test]
fn not_json() {
    library_error(
        "not-json.json",
        Some((1, 1)),
        &["not valid JSON", "expected value"],
    );
    binary_refuses("not-json.json", "not valid JSON");
}

#[test]
fn json_array_instead_of_a_bot() {
    library_error(
        "array.json",
        Some((1, 1)),
        &[
            "expected a Conversation Builder bot export",
            "found an array",
        ],
    );
    binary_refuses("array.json", "found an array");
}

#[test]
fn bot_without_responder() {
    library_error(
        "no-responder.json",
        Some((1, 1)),
        &["not a Conversation Builder bot export", "\"responder\""],
    );
    binary_refuses("no-responder.json", "\"responder\" key is missing");
}

#[test]
fn wrong_type_in_a_known_key() {
    // `"name": 42,` is on line 23; the number starts in column 15.
    let text = std::fs::read_to_string(fixture("wrong-types.json")).unwrap();
    assert_eq!(text.lines().nth(22), Some("      \"name\": 42,"));
    library_error(
        "wrong-types.json",
        Some((23, 15)),
        &["responder[1].name", "expected a string, found a number"],
    );
    binary_refuses("wrong-types.json", "responder[1].name");
}

#[test]
fn nesting_ten_thousand_deep() {
    let text = std::fs::read_to_string(fixture("deep-nesting.json")).unwrap();
    assert!(text.contains(&"[".repeat(10_000)));
    // serde_json stops at 128 levels; the place is on the line of the nested arrays.
    let error = BotDocument::load(&fixture("deep-nesting.json")).expect_err("refused");
    let (line, _) = error.at.expect("a place");
    assert_eq!(line, 5, "{error}");
    library_error(
        "deep-nesting.json",
        error.at,
        &["nested more than 128 levels deep"],
    );
    binary_refuses("deep-nesting.json", "nested more than 128 levels deep");
}

#[test]
fn invalid_utf8() {
    // The 0xff byte is in the transfer message on line 16, after 31 characters.
    let bytes = std::fs::read(fixture("invalid-utf8.json")).unwrap();
    assert!(bytes.contains(&0xff));
    library_error("invalid-utf8.json", Some((16, 32)), &["not UTF-8"]);
    binary_refuses("invalid-utf8.json", "not UTF-8");
}

#[test]
fn a_missing_file_and_a_folder_are_refused_too() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.json");
    let error = BotDocument::load(&missing).expect_err("refused");
    assert!(error.to_string().contains("no such file"), "{error}");
    let error = BotDocument::load(dir.path()).expect_err("refused");
    assert!(
        error
            .to_string()
            .starts_with(&dir.path().display().to_string())
    );
    let (code, stderr) = escalator(dir.path(), &["validate", missing.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_one_line_error(&stderr, &missing);
    assert!(!missing.exists(), "validate does not create the file");
}

/// Runs the binary like [`escalator`], ending it (and failing) if it has not exited within
/// 20 s: for inputs that once made it wait for ever.
fn escalator_or_hang(home: &Path, args: &[&str]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_escalator"))
        .args(args)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > std::time::Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{args:?} did not return");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().expect("exited"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_fifo_a_device_and_a_huge_file_are_refused_at_once_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.json");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let link = dir.path().join("zero.json");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    let huge = dir.path().join("huge.json");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(escalator::export::MAX_EXPORT_BYTES + 1)
        .unwrap();
    let sample = common::sample_copy();
    for (path, says) in [
        (&fifo, "it is a named pipe (FIFO), not a regular file"),
        (&link, "it is a device, not a regular file"),
        (&huge, "bytes, more than the "),
    ] {
        let file = path.to_str().unwrap();
        for args in [
            vec!["validate", file],
            vec!["preview", file, "--integration", "AgentEscalation"],
            vec![
                "set",
                file,
                "--integration",
                "AgentEscalation",
                "skill_id=1",
            ],
            vec!["add-failure-dialog", file],
            vec![file],
            vec![
                "script-test",
                common::s(&sample.1),
                "--integration",
                "AgentEscalation",
                "--result",
                file,
            ],
        ] {
            let (code, stderr) = escalator_or_hang(dir.path(), &args);
            assert_eq!(code, 2, "{args:?}: {stderr}");
            assert_one_line_error(&stderr, path);
            assert!(stderr.contains(says), "{args:?}: {stderr}");
        }
    }
    // The settings beside an export are escalator's own file: a FIFO there is refused too.
    let settings = escalator::workspace::sidecar::Sidecar::path_for(&sample.1);
    Command::new("mkfifo").arg(&settings).status().unwrap();
    let (code, stderr) = escalator_or_hang(dir.path(), &["validate", common::s(&sample.1)]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("named pipe"), "{stderr}");
}

#[test]
fn a_key_written_twice_is_refused_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let bot = std::str::from_utf8(escalator::workspace::shipped::SAMPLE_BOT.as_bytes()).unwrap();
    let cases = [
        // Two "groups" lists, the first not even JSON.
        (
            bot.replacen("\n  \"bot\": {", "\n  \"groups\": [nope],\n  \"bot\": {", 1),
            "not valid JSON",
        ),
        // Two "groups" lists, both JSON.
        (
            bot.replacen("\n  \"bot\": {", "\n  \"groups\": [],\n  \"bot\": {", 1),
            "\"groups\" is written twice",
        ),
        // An integration with two names.
        (
            bot.replacen(
                "\"name\": \"AgentEscalation\"",
                "\"name\": \"A\", \"name\": \"B\"",
                1,
            ),
            "\"name\" is written twice",
        ),
    ];
    for (n, (text, says)) in cases.iter().enumerate() {
        assert_ne!(text, bot, "case {n} changed the bot");
        let path = dir.path().join(format!("twice{n}.json"));
        std::fs::write(&path, text).unwrap();
        for args in [
            vec!["validate"],
            vec!["validate", "--format", "json"],
            vec![],
        ] {
            let mut all = args.clone();
            all.push(path.to_str().unwrap());
            let (code, stderr) = escalator_or_hang(dir.path(), &all);
            assert_eq!(code, 2, "case {n} {args:?}: {stderr}");
            assert_one_line_error(&stderr, &path);
            assert!(stderr.contains(says), "case {n}: {stderr}");
            let place = format!("{}:", path.display());
            let after = stderr.split(&place).nth(1).unwrap_or_default();
            let line_column: Vec<&str> = after.splitn(3, ':').take(2).collect();
            assert!(
                line_column.iter().all(|n| n.parse::<usize>().is_ok()),
                "case {n}: line:column in {stderr}"
            );
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), *text);
    }
}

// ---------------------------------------------------------------------------------------------
// Files that load.

/// Loads the file, checks it saves byte-identical, and that the binary validates it (exit 0
/// or 1, never 2).
fn loads_and_round_trips(path: &Path) -> BotDocument {
    let bytes = std::fs::read(path).unwrap();
    let doc = BotDocument::load(path).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        doc.to_text().as_bytes() == bytes.as_slice(),
        "{} saves byte-identical",
        path.display()
    );
    doc
}

fn binary_validates(path: &Path) {
    let home = tempfile::tempdir().unwrap();
    let before = stamp(path);
    let (code, stderr) = escalator(home.path(), &["validate", path.to_str().unwrap()]);
    assert!(code == 0 || code == 1, "exit {code}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stamp(path), before, "validate never writes");
}

#[test]
fn utf8_bom_is_kept() {
    let path = fixture("bom.json");
    assert!(std::fs::read(&path).unwrap().starts_with(b"\xEF\xBB\xBF"));
    let doc = loads_and_round_trips(&path);
    assert_eq!(doc.bot_name(), "Hostile input");
    binary_validates(&path);

    // An edit keeps the BOM and changes only its own line.
    let (_dir, copy) = copy_of("bom.json");
    let home = tempfile::tempdir().unwrap();
    let (code, stderr) = escalator(
        home.path(),
        &[
            "set",
            copy.to_str().unwrap(),
            "--integration",
            "AgentEscalation",
            "skill_id=34",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let before = std::fs::read_to_string(&path).unwrap();
    let after = std::fs::read_to_string(&copy).unwrap();
    assert!(after.starts_with('\u{feff}'), "the BOM stays");
    assert_eq!(
        after,
        before.replace("\"agentSkillId\": \"12\"", "\"agentSkillId\": \"34\"")
    );
}

#[test]
fn crlf_line_ends_round_trip_byte_identical() {
    let path = fixture("crlf.json");
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.windows(2).any(|w| w == b"\r\n"));
    assert!(
        !bytes
            .iter()
            .enumerate()
            .any(|(i, &b)| b == b'\n' && (i == 0 || bytes[i - 1] != b'\r')),
        "the fixture has no bare LF (see .gitattributes)"
    );
    let mut doc = loads_and_round_trips(&path);
    binary_validates(&path);

    // New members are written with CRLF too.
    doc.set_custom_data_key(0, "orderId", "{$botContext.orderId}")
        .unwrap();
    doc.set_field(0, Field::Message, "line one\nline two")
        .unwrap();
    let text = doc.to_text();
    assert!(text.contains("\"orderId\""));
    assert_eq!(
        text.matches('\n').count(),
        text.matches("\r\n").count(),
        "every line end is CRLF: {text}"
    );
    let back = BotDocument::from_bytes(text.as_bytes()).unwrap();
    assert_eq!(back.root(), doc.root());
}

/// A 1 MB string value: the transform script, full of escapes, quotes and non-ASCII.
#[test]
fn a_one_megabyte_string_loads_and_round_trips() {
    let line = "var s = \"Grüße – 你好 \\\\ \\\"quoted\\\" \t\u{1b}[0m 🎉\"; // \u{2028}\n";
    let mut script = String::with_capacity(1 << 20);
    while script.len() < 1 << 20 {
        script.push_str(line);
    }
    let bot = json!({
        "bot": {"id": "b1", "name": "Big string"},
        "responder": [{
            "id": "r1",
            "name": "AgentEscalation",
            "responseDataVariable": "AgentEscalation",
            "integrationType": "LIVEPERSON_AGENT_ESCALATION",
            "agentSkillName": "Support",
            "agentSkillId": "12",
            "transferMessage": "Hold on",
            "transformResultsScript": script,
            "customDataFields": []
        }],
        "conversationMessage": [],
        "groups": []
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big-string.json");
    let text = serde_json::to_string_pretty(&bot).unwrap();
    assert!(text.len() > 1 << 20);
    std::fs::write(&path, &text).unwrap();

    let started = Instant::now();
    let mut doc = loads_and_round_trips(&path);
    assert_eq!(doc.integration(0).unwrap().transform_script, script);
    validate_bot(&doc, &Sidecar::default());
    binary_validates(&path);

    // An edit elsewhere copies the big string's bytes as they were.
    doc.set_field(0, Field::SkillId, "34").unwrap();
    let edited = doc.to_text();
    assert_eq!(edited, text.replace("\"12\"", "\"34\""));
    eprintln!("1 MB string: {:?}", started.elapsed());
}

// ---------------------------------------------------------------------------------------------
// The 100 MB bot.

const BOT_HEAD: &str = r#"{
  "hash": "-1186327790",
  "bot": {
    "id": "7c1f3a52-0d4e-4b8a-9a61-5e2b9c0d1f11",
    "name": "Big bot",
    "chatBotType": "CUSTOMER_FACING_BOT",
    "status": "NEW",
    "language": "en-US",
    "botAttributes": {
      "ENABLE_DEBUG": "true",
      "DEFAULT_ERROR_MESSAGE": "Sorry, something went wrong."
    },
    "version": "2"
  },
  "responder": ["#;

fn push_api(out: &mut String, i: usize) {
    write!(
        out,
        r#"
    {{
      "chatbotId": "7c1f3a52-0d4e-4b8a-9a61-5e2b9c0d1f11",
      "id": "b2000000-0000-4000-8000-{i:012}",
      "name": "GetOrders{i}",
      "webhook": "https://api.example.com/orders?q={{$botContext.slot.order}}&page={i}",
      "method": "GET",
      "headers": [
        {{
          "key": "Accept",
          "value": "application/json"
        }}
      ],
      "postBody": "",
      "defaultValues": [
        {{
          "key": "title"
        }}
      ],
      "customDataFields": [
        {{
          "key": "orderId",
          "value": "{{$.api_GetOrders{i}.orders[0].id}}"
        }}
      ],
      "results": {{
        "type": "TEXT",
        "tile": {{
          "tileData": [
            {{
              "buttons": [],
              "quickReplyList": []
            }}
          ]
        }}
      }},
      "group": "Responders",
      "transformResultsScript": "var r = botContext.getBotVariable('api_GetOrders{i}');\nbotContext.printDebugMessage('Grüße ' + r);",
      "responseDataVariable": "GetOrders{i}",
      "integrationType": "API",
      "tangoContextEnabled": false
    }}"#
    )
    .unwrap();
}

fn push_escalation(out: &mut String, i: usize) {
    write!(
        out,
        r#"
    {{
      "chatbotId": "7c1f3a52-0d4e-4b8a-9a61-5e2b9c0d1f11",
      "id": "b2000000-0000-4000-8000-{i:012}",
      "name": "Escalate{i}",
      "agentSkillName": "Sales – Vertrieb",
      "agentSkillId": "{{$botContext.skillId}}",
      "agentId": "",
      "transferMessage": "Grüße – 你好! Hold on while I connect you with an agent, {{$botContext.name}}.",
      "customDataFields": [],
      "group": "Responders",
      "transformResultsScript": "",
      "responseDataVariable": "Escalate{i}",
      "integrationType": "LIVEPERSON_AGENT_ESCALATION",
      "tangoContextEnabled": false
    }}"#
    )
    .unwrap();
}

/// One interaction: a dialog starter, a text statement or an Integration interaction.
fn push_interaction(out: &mut String, dialog: usize, step: usize, runs: Option<(String, usize)>) {
    let id = |s: usize| format!("{dialog:032x}{s:08x}");
    let prev = match step {
        0 => String::new(),
        s => format!("\n      \"prevMessageId\": \"{}\",", id(s - 1)),
    };
    let next = match step {
        3 => String::new(),
        s => format!("\n      \"nextMessageId\": \"{}\",", id(s + 1)),
    };
    let (name, kind, content, pattern) = match (step, runs) {
        (0, _) => (
            "starter".to_string(),
            "DIALOG_STARTER",
            r#"{
        "contentType": "STATIC",
        "results": {
          "type": "DIALOG_STARTER",
          "tile": {
            "tileData": [
              {
                "buttons": [],
                "quickReplyList": []
              }
            ]
          }
        }
      }"#
            .to_string(),
            if dialog == 1 {
                "\n      \"pattern\": [\n        \"__agent_escalation_failed__\"\n      ],"
                    .to_string()
            } else {
                format!(
                    "\n      \"pattern\": [\n        \"(order|bestellung) {dialog}\",\n        \"*agent {dialog}*\"\n      ],"
                )
            },
        ),
        (3, Some((responder, index))) => (
            "integration".to_string(),
            "API_INTEGRATION",
            format!(
                r#"{{
        "contentType": "DYNAMIC",
        "responderName": "{responder}",
        "responderId": "b2000000-0000-4000-8000-{index:012}"
      }}"#
            ),
            String::new(),
        ),
        (s, _) => (
            format!("text_{s}"),
            "TEXT",
            format!(
                r#"{{
        "contentType": "STATIC",
        "results": {{
          "type": "TEXT",
          "tile": {{
            "tileData": [
              {{
                "text": "Grüße – 你好! Step {s} of dialog {dialog}, {{$botContext.name}}.",
                "buttons": [],
                "quickReplyList": []
              }}
            ]
          }}
        }}
      }}"#
            ),
            String::new(),
        ),
    };
    write!(
        out,
        r#"
    {{
      "id": "{id}",
      "chatBotId": "7c1f3a52-0d4e-4b8a-9a61-5e2b9c0d1f11",
      "userInputRequired": false,
      "name": "{name}_{dialog}",{pattern}
      "type": "BOT_MESSAGE",
      "content": {content},
      "group": "a1000000-0000-4000-8000-{dialog:012}",
      "status": "ACTIVE",
      "required": true,{next}{prev}
      "responseMatches": [
        {{
          "conditions": [],
          "contextConditions": [],
          "action": {{
            "name": "INTERACTION",
            "value": "next"
          }},
          "contextDataVariables": []
        }}
      ],
      "interactionType": "{kind}",
      "interactionDelay": "4000"
    }}"#,
        id = id(step)
    )
    .unwrap();
}

/// A bot of at least `size` bytes: `responders` integrations (one in ten an escalation), then
/// dialogs of a starter, two statements and an Integration interaction until the size is
/// reached; dialog 1 catches `__agent_escalation_failed__`. Only the first 20 dialogs run
/// escalations, and the bulk is interactions rather than integrations, because validation
/// grows with the square of the integrations (and of matching starters): 100 MB of
/// integrations would take hours to validate.
fn big_bot(size: usize, responders: usize) -> String {
    let mut out = String::with_capacity(size + (1 << 20));
    out.push_str(BOT_HEAD);
    for i in 0..responders {
        if i > 0 {
            out.push(',');
        }
        if i % 10 == 0 {
            push_escalation(&mut out, i);
        } else {
            push_api(&mut out, i);
        }
    }
    out.push_str("\n  ],\n  \"conversationMessage\": [");
    let mut dialogs = 0;
    while out.len() < size {
        let index = if dialogs < 20 {
            dialogs * 10 % responders
        } else {
            (dialogs * 10 + 1 + dialogs % 9) % responders
        };
        let name = if index % 10 == 0 {
            format!("Escalate{index}")
        } else {
            format!("GetOrders{index}")
        };
        for step in 0..4 {
            if dialogs + step > 0 {
                out.push(',');
            }
            push_interaction(&mut out, dialogs, step, Some((name.clone(), index)));
        }
        dialogs += 1;
    }
    out.push_str("\n  ],\n  \"groups\": [");
    for d in 0..dialogs {
        if d > 0 {
            out.push(',');
        }
        write!(
            out,
            "\n    {{\n      \"id\": \"a1000000-0000-4000-8000-{d:012}\",\n      \"name\": \"Dialog {d}\",\n      \"dialogType\": \"DIALOG\",\n      \"status\": \"ENABLED\"\n    }}"
        )
        .unwrap();
    }
    out.push_str("\n  ]\n}\n");
    out
}

#[test]
fn a_hundred_megabyte_bot_loads_validates_and_round_trips() {
    let started = Instant::now();
    let text = big_bot(100 << 20, 1000);
    assert!(text.len() >= 100 << 20);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big-bot.json");
    std::fs::write(&path, &text).unwrap();
    let generated = started.elapsed();

    let t = Instant::now();
    let doc = BotDocument::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let load = t.elapsed();
    assert_eq!(doc.integration_count(), 1000);

    let t = Instant::now();
    let diagnostics = validate_bot(&doc, &Sidecar::default());
    let validate = t.elapsed();
    assert!(
        diagnostics.iter().all(|d| !d.message.is_empty()),
        "{} diagnostics",
        diagnostics.len()
    );

    let t = Instant::now();
    let saved = doc.to_text();
    let round_trip = t.elapsed();
    assert!(saved == text, "the 100 MB bot saves byte-identical");
    eprintln!(
        "100 MB bot ({} bytes, {} interactions): generate+write {generated:?}, load {load:?}, validate {validate:?}, to_text {round_trip:?}, total {:?}",
        text.len(),
        doc.interactions().len(),
        started.elapsed()
    );
}

/// The generated bot itself is well formed (checked on a small one, so a mistake in the
/// generator shows as a clear failure here rather than as a load error of 100 MB).
#[test]
fn the_big_bot_generator_writes_a_valid_export() {
    let text = big_bot(200_000, 30);
    let value: Value = serde_json::from_str(&text).expect("valid JSON");
    let doc = BotDocument::from_bytes(text.as_bytes()).expect("a bot");
    assert_eq!(doc.integration_count(), 30);
    assert_eq!(doc.to_text(), text);
    assert_eq!(
        value["conversationMessage"].as_array().unwrap().len() % 4,
        0
    );
    let escalation = doc.integration(0).unwrap();
    let plans = escalator::runtime::delay::plans(&doc, &escalation, &Sidecar::default());
    assert_eq!(
        plans[0].messages, 2,
        "two statements before the integration"
    );
}

#[test]
fn wrong_types_in_known_fields_are_refused_with_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let sample: Value = serde_json::from_str(escalator::workspace::shipped::SAMPLE_BOT).unwrap();
    type Edit = fn(&mut Value);
    let cases: [(Edit, &str); 6] = [
        (
            |b| b["responder"][0]["agentSkillId"] = json!(12),
            "responder[0].agentSkillId: expected a string, found a number",
        ),
        (
            |b| b["responder"][0]["tangoContextEnabled"] = json!("yes"),
            "responder[0].tangoContextEnabled: expected true or false",
        ),
        (
            |b| b["conversationMessage"][7]["interactionDelay"] = json!("2s"),
            "conversationMessage[7].interactionDelay: expected milliseconds as a string of digits",
        ),
        (
            |b| b["conversationMessage"][7]["interactionDelay"] = json!(4000),
            "found a number",
        ),
        (
            |b| b["responder"][0]["customDataFields"] = json!([{"key": "a", "value": 5}]),
            "responder[0].customDataFields[0].value: expected a string",
        ),
        (
            |b| b["conversationMessage"][1]["content"] = json!("hello"),
            "conversationMessage[1].content: expected an object",
        ),
    ];
    for (n, (edit, says)) in cases.iter().enumerate() {
        let mut bot = sample.clone();
        edit(&mut bot);
        let path = dir.path().join(format!("typed{n}.json"));
        std::fs::write(&path, serde_json::to_string_pretty(&bot).unwrap()).unwrap();
        let (code, stderr) = escalator(dir.path(), &["validate", path.to_str().unwrap()]);
        assert_eq!(code, 2, "case {n}: {stderr}");
        assert_one_line_error(&stderr, &path);
        assert!(stderr.contains(says), "case {n}: {stderr}");
    }
}
