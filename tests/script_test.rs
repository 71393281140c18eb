//! `escalator script-test` and the script rules, on the transform scripts of the project's
//! real-shaped fixture and, when they are there, of the real exports.

mod common;

use std::path::PathBuf;

use common::{fixture, realworld, run, s};

/// A bot with a real-shaped API integration whose script wraps a list of stores and whose
/// custom data field reads each store's city, and that integration: the fixture, then the
/// real export of that shape when it is there.
fn script_bots() -> Vec<(PathBuf, &'static str)> {
    let mut bots = vec![(storefront(), "storeLocations")];
    if let Some(real) = realworld("top-level-key-demo.json") {
        bots.push((real, "Locations"));
    }
    bots
}

/// The fixture with a real-shaped API integration, `storeLocations`: its transform script wraps
/// the result's list of stores, and a custom data field reads each store's city.
fn storefront() -> PathBuf {
    fixture("storefront-bot.json")
}

fn sample(dir: &tempfile::TempDir, json: &str) -> std::path::PathBuf {
    let path = dir.path().join("sample.json");
    std::fs::write(&path, json).unwrap();
    path
}

#[test]
fn the_real_transform_scripts_run_on_a_result_of_their_shape_and_set_what_they_should() {
    let dir = tempfile::tempdir().unwrap();
    let mut cases = vec![
        (
            storefront(),
            "storeLocations",
            r#"[{"city": "Austin"}, {"city": "Boston"}]"#,
            vec![
                "set api_storeLocations = ",
                r#"custom data city = ["Austin","Boston"]"#,
            ],
        ),
        (
            storefront(),
            "listOrders",
            r#"{"orders": [{"id": 7, "total": "12.50"}]}"#,
            vec![
                r#"set orders = [{"id":7,"total":"12.50"}] (for the session)"#,
                "orders: 1",
            ],
        ),
    ];
    let real = [
        (
            "top-level-key-demo.json",
            "Locations",
            r#"[{"city": "Austin"}, {"city": "Boston"}]"#,
            vec![
                "set api_Locations = ",
                r#"custom data city = ["Austin","Boston"]"#,
            ],
        ),
        (
            "dynamic-button-bot.json",
            "Buttons",
            r#"{"buttons": [{"title": "Yes"}, {"title": "No"}]}"#,
            vec![
                r#"set allButtons = "[{\"title\":\"Yes\"},{\"title\":\"No\"}]" (for the session)"#,
            ],
        ),
        (
            "shopify-bot.json",
            "getProducts",
            r#"{"products": [{"id": 1, "title": "Mug"}]}"#,
            vec![r#"set products = [{"id":1,"title":"Mug"}] (for the session)"#],
        ),
    ];
    for (file, integration, result, expected) in real {
        if let Some(path) = realworld(file) {
            cases.push((path, integration, result, expected));
        }
    }
    for (bot, integration, result, expected) in cases {
        let file = bot.display();
        let sample = sample(&dir, result);
        let (code, stdout, stderr) = run(&[
            "script-test",
            s(&bot),
            "--integration",
            integration,
            "--result",
            s(&sample),
        ]);
        assert_eq!(code, 0, "{file}: {stdout}{stderr}");
        for line in expected {
            assert!(stdout.contains(line), "{file}: {line:?} in\n{stdout}");
        }
    }
}

#[test]
fn json_output_carries_variables_debug_messages_errors_and_custom_data() {
    for (bot, integration) in script_bots() {
        json_output_of(&bot, integration);
    }
}

fn json_output_of(bot: &std::path::Path, integration: &str) {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample(&dir, r#"[{"city": "Austin"}]"#);
    let (code, stdout, _) = run(&[
        "script-test",
        s(bot),
        "--integration",
        integration,
        "--result",
        s(&sample),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let out: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        out["customData"]["city"]["value"],
        serde_json::json!(["Austin"])
    );
    assert_eq!(
        out["variables"][0]["name"],
        format!("api_{integration}").as_str()
    );
    assert!(out["error"].is_null());
}

#[test]
fn an_endless_loop_returns_in_about_a_second_with_a_timeout_error() {
    for (source, integration) in script_bots() {
        an_endless_loop_in(&source, integration);
    }
}

fn an_endless_loop_in(source: &std::path::Path, integration: &str) {
    let dir = tempfile::tempdir().unwrap();
    let bot = dir.path().join("bot.json");
    std::fs::copy(source, &bot).unwrap();
    let (code, _, stderr) = run(&[
        "set",
        s(&bot),
        "--integration",
        integration,
        "transform_script=while(true){}",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let sample = sample(&dir, "[]");
    let started = std::time::Instant::now();
    let (code, stdout, _) = run(&[
        "script-test",
        s(&bot),
        "--integration",
        integration,
        "--result",
        s(&sample),
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("ran longer than 1 s"), "{stdout}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn a_syntax_error_in_a_script_is_a_diagnostic_at_its_line() {
    for (source, integration) in script_bots() {
        a_syntax_error_in(&source, integration);
    }
}

fn a_syntax_error_in(source: &std::path::Path, integration: &str) {
    let dir = tempfile::tempdir().unwrap();
    let bot = dir.path().join("bot.json");
    std::fs::copy(source, &bot).unwrap();
    let before = std::fs::read(&bot).unwrap();
    let assignment = "transform_script=var a = 1;\nvar b = ;";
    // set checks first: the syntax error is printed and nothing is written.
    let (code, stdout, stderr) = run(&["set", s(&bot), "--integration", integration, assignment]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.contains("transform_script: error: line 2:9:"),
        "{stdout}"
    );
    assert!(
        stderr.contains("not saved") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&bot).unwrap(), before);
    // --force writes it anyway; validate finds it.
    let (code, _, _) = run(&[
        "set",
        s(&bot),
        "--integration",
        integration,
        assignment,
        "--force",
    ]);
    assert_eq!(code, 0);
    let (code, stdout, _) = run(&["validate", s(&bot)]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("transform_script: error: line 2:9:"),
        "{stdout}"
    );
}

#[test]
fn a_bad_sample_is_refused_with_its_place() {
    for (bot, integration) in script_bots() {
        a_bad_sample_for(&bot, integration);
    }
}

fn a_bad_sample_for(bot: &std::path::Path, integration: &str) {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample(&dir, "{\n  \"a\": ,\n}");
    let (code, _, stderr) = run(&[
        "script-test",
        s(bot),
        "--integration",
        integration,
        "--result",
        s(&sample),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("sample.json:2:"), "{stderr}");
}

/// Scripts that try to hang, exhaust or escape the sandbox, each with what its run must say.
const HOSTILE_SCRIPTS: &[(&str, &str)] = &[
    ("while (true) {}", "ran longer than"),
    (
        "botContext.setBotVariable('a', {toJSON: function () { while (true) {} }}, true, false);",
        "ran longer than",
    ),
    (
        "JSON.stringify = function () { while (true) {} };",
        "ran longer than",
    ),
    (
        "var o = {}; Object.defineProperty(o, 'x', {enumerable: true, get: function () { while (true) {} }}); botContext.setBotVariable('o', o, true, false);",
        "ran longer than",
    ),
    (
        "botContext.setBotVariable('p', {[Symbol.toPrimitive]: function () { while (true) {} }, toJSON: function () { return '' + this; }}, true, false);",
        "ran longer than",
    ),
    (
        "botContext.setBotVariable('q', new Proxy({}, {ownKeys: function () { while (true) {} }}), true, false);",
        "ran longer than",
    ),
    ("(3n ** 650000n).toString();", "ran longer than"),
    ("new Array(1e8).join();", "ran longer than"),
    ("eval('while (true) {}');", "ran longer than"),
    ("/(a+)+$/.test('a'.repeat(40) + 'b');", "ran longer than"),
    ("function f() { return f() + 1; } f();", "stack"),
    (
        "var a = []; while (true) { a.push(new Array(1e6).fill(1)); }",
        "MiB",
    ),
    (
        "var s = 'x'; while (true) { s = s + s; }",
        "string too long",
    ),
    ("throw {get message() { while (true) {} }};", "not an Error"),
    ("require('fs');", "not defined"),
    (
        "import('os').then(function (m) { botContext.setBotVariable('os', String(m), true, false); });",
        "",
    ),
    ("std.open('/etc/passwd', 'r');", "not defined"),
    ("os.exec(['ls']);", "not defined"),
    ("fetch('http://127.0.0.1/');", "not defined"),
    ("setTimeout(function () {}, 1);", "not defined"),
    (
        "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);",
        "",
    ),
];

#[test]
fn hostile_scripts_are_stopped_and_say_why() {
    for (script, says) in HOSTILE_SCRIPTS {
        let (code, stdout) = script_output(script);
        if says.is_empty() {
            // Ends, with nothing of the host reached.
            assert!(code == 0 || code == 1, "{script}: exit {code}");
            assert!(!stdout.contains("set os"), "{script}: {stdout}");
        } else {
            assert_eq!(code, 1, "{script}: stopped:\n{stdout}");
            assert!(stdout.contains("error: line"), "{script}: {stdout}");
            assert!(stdout.contains(says), "{script}: {says:?} in\n{stdout}");
        }
        assert!(stdout.len() < 10_000, "{script}: {} bytes", stdout.len());
    }
}

/// Runs `script` on the fixture's `storeLocations` with an empty sample; its text output.
fn script_output(script: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let bot = dir.path().join("bot.json");
    std::fs::copy(storefront(), &bot).unwrap();
    let (code, _, err) = run(&[
        "set",
        s(&bot),
        "--integration",
        "storeLocations",
        &format!("transform_script={script}"),
        "--force",
    ]);
    assert_eq!(code, 0, "{err}");
    let sample = sample(&dir, "[]");
    let (code, out, _) = run(&[
        "script-test",
        s(&bot),
        "--integration",
        "storeLocations",
        "--result",
        s(&sample),
    ]);
    (code, out)
}

#[test]
fn what_a_script_leaves_is_shown_whole_in_meaning_and_never_fakes_a_line() {
    // A name with a line break cannot print a line of its own.
    let (_, out) =
        script_output(r#"botContext.setBotVariable("ok\nerror: line 1:1: fake", 1, true, false);"#);
    assert!(!out.lines().any(|l| l.starts_with("error:")), "{out}");
    assert!(out.contains("ok\\u{a}error"), "{out}");
    // A megabyte value is cut, with a note.
    let (_, out) =
        script_output(r#"botContext.setBotVariable("v", "x".repeat(1000000), true, false);"#);
    assert!(out.len() < 10_000, "{} bytes", out.len());
    assert!(out.contains("more characters"), "{out}");
    // A value nested deeper than can be read is a note; the other variables stay.
    let (_, out) = script_output(
        r#"var o = {}; for (var i = 0; i < 200; i++) o = {a: o};
botContext.setBotVariable("g", o, true, false);
botContext.setBotVariable("h", 2, true, false);"#,
    );
    assert!(
        out.contains("set g = \"(nested more than 128 levels deep"),
        "{out}"
    );
    assert!(out.contains("set h = 2"), "{out}");
    // Debug messages past the first 200 are counted, not dropped in silence.
    let (_, out) =
        script_output(r#"for (var i = 0; i < 500; i++) botContext.printDebugMessage("m" + i);"#);
    assert!(out.contains("and 300 more debug messages"), "{out}");
    // The engine's out-of-memory is named as such.
    let (code, out) = script_output(r#"var o = {}; for (var i = 0; i < 1e6; i++) o = {a: o};"#);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("MiB"), "{out}");
}
