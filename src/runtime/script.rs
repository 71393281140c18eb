//! Transform Result Scripts: checked with a real JavaScript parser and run on a sample
//! result in an embedded engine (QuickJS), sandboxed: nothing of the host, 64 MiB, 1 s of
//! script and 1 s more to read what it left. A script can still hold a single native call
//! (a huge BigInt, a giant join) past any hook, so the editor and `script-test` run it in a
//! worker process of their own ([`run_isolated`]) that has resource limits and is killed at
//! [`WALL_LIMIT`]; whatever the script does, the run ends then and says why.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use rquickjs::{CatchResultExt, CaughtError, Context, Runtime};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::bot::template::SampleContext;

/// How long a script may run.
pub const TIME_LIMIT: Duration = Duration::from_secs(1);
/// How much memory a script may use.
pub const MEMORY_LIMIT: usize = 64 * 1024 * 1024;
/// How long a run in a worker may take in all, reading its results included.
pub const WALL_LIMIT: Duration = Duration::from_millis(1500);
/// The longest message (thrown error, debug line) kept of a run.
const LONGEST_MESSAGE: usize = 2000;
/// The most debug lines kept of a run.
const MOST_DEBUG_LINES: usize = 200;
/// The most variables read one by one when they cannot be read together.
const MOST_VARIABLES: usize = 1000;

/// A problem in a script, at its place (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScriptError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for ScriptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}:{}: {}", self.line, self.column, self.message)
    }
}

/// A variable the script set with `botContext.setBotVariable`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetVariable {
    pub name: String,
    pub value: Value,
    pub persist_for_session: bool,
    pub persist_forever: bool,
}

/// What a run of a script did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScriptRun {
    pub variables: Vec<SetVariable>,
    pub debug_messages: Vec<String>,
    /// Why it stopped, if it threw, ran too long or used too much memory.
    pub error: Option<ScriptError>,
    /// The result the custom data fields read: `api_<variable>`'s `jsonData`, parsed.
    pub result: Value,
}

/// Where a script's line and column come from an engine message like `eval_script:3:9`.
fn place(stack: &str, line_offset: usize) -> Option<(usize, usize)> {
    let at = stack.find("eval_script:")? + "eval_script:".len();
    let mut parts = stack[at..].split(|c: char| !c.is_ascii_digit());
    let line: usize = parts.next()?.parse().ok()?;
    let column: usize = parts.next()?.parse().ok()?;
    Some((line.saturating_sub(line_offset).max(1), column))
}

fn error_of(error: CaughtError<'_>, line_offset: usize, timed_out: bool) -> ScriptError {
    let (message, stack) = match &error {
        CaughtError::Exception(e) => (
            e.message().unwrap_or_default(),
            e.stack().unwrap_or_default(),
        ),
        // The engine's own out-of-memory throws null.
        CaughtError::Value(value) if value.is_null() => (
            format!(
                "the script used more than {} MiB and was stopped (or threw null)",
                MEMORY_LIMIT / 1024 / 1024
            ),
            String::new(),
        ),
        // A thrown value that is not an Error: its type only (reading it could run its code).
        CaughtError::Value(value) => (
            format!(
                "the script threw a value of type {}, not an Error",
                value.type_name()
            ),
            String::new(),
        ),
        other => (other.to_string(), String::new()),
    };
    let message = if timed_out || message == "interrupted" {
        format!(
            "the script ran longer than {} s and was stopped (an endless loop?)",
            TIME_LIMIT.as_secs()
        )
    } else if message.contains("out of memory") {
        format!(
            "the script used more than {} MiB and was stopped",
            MEMORY_LIMIT / 1024 / 1024
        )
    } else {
        message
    };
    let (line, column) = place(&stack, line_offset).unwrap_or((1, 1));
    ScriptError {
        line,
        column,
        message: crate::export::shown::cut(&message, LONGEST_MESSAGE).into_owned(),
    }
}

/// `error` placed inside `script`: an error found at its very end (the wrapper's closing line,
/// one past the script) points just after the script's last character instead.
fn within(mut error: ScriptError, script: &str) -> ScriptError {
    let lines: Vec<&str> = script.split('\n').collect();
    if error.line > lines.len() {
        error.line = lines.len();
        error.column = lines.last().map_or(0, |l| l.chars().count()) + 1;
        // What the engine found there is the wrapper's closing brace, not the script's.
        error.message =
            "the script ends unfinished here (a bracket, string or comment left open?)".into();
    }
    error
}

/// When the running script started (`None` between runs), read by the interrupt hook.
type RunClock = Rc<Cell<Option<Instant>>>;

/// A sandboxed engine: its own runtime with the limits, no host functions at all.
fn sandbox() -> Option<(Runtime, Context, RunClock)> {
    let runtime = Runtime::new().ok()?;
    runtime.set_memory_limit(MEMORY_LIMIT);
    runtime.set_max_stack_size(1024 * 1024);
    let started: RunClock = Rc::new(Cell::new(None));
    let clock = Rc::clone(&started);
    runtime.set_interrupt_handler(Some(Box::new(move || {
        clock.get().is_some_and(|t| t.elapsed() > TIME_LIMIT)
    })));
    let context = Context::full(&runtime).ok()?;
    Some((runtime, context, started))
}

/// How many syntax check outcomes are kept (a few bytes each; a bot's worth of scripts).
const CACHED_CHECKS: usize = 1 << 16;

/// Checks a script's syntax without running it.
pub fn check_syntax(script: &str) -> Result<(), ScriptError> {
    // Read far more than written (the rules look up what checkers on other cores wrote).
    static CACHE: RwLock<Option<HashMap<u64, Option<ScriptError>>>> = RwLock::new(None);
    let key = crate::export::save::content_hash(script.as_bytes());
    if let Ok(cache) = CACHE.read()
        && let Some(known) = cache.as_ref().and_then(|c| c.get(&key))
    {
        return known.clone().map_or(Ok(()), Err);
    }
    let outcome = compile_only(script);
    if let Ok(mut cache) = CACHE.write() {
        let cache = cache.get_or_insert_with(HashMap::new);
        if cache.len() > CACHED_CHECKS {
            cache.clear();
        }
        cache.insert(key, outcome.clone().err());
    }
    outcome
}

thread_local! {
    /// The engine syntax checks compile in, set up once per thread: setting one up costs far
    /// more than compiling a script, and compiling runs nothing that could leave state behind.
    static CHECKER: RefCell<Option<(Runtime, Context)>> = const { RefCell::new(None) };
}

fn compile_only(script: &str) -> Result<(), ScriptError> {
    // A function expression is compiled, not run: its body's syntax errors surface here.
    let wrapped = format!("(function (botContext) {{\n{script}\n}})");
    CHECKER.with(|checker| {
        let mut checker = checker.borrow_mut();
        if checker.is_none() {
            *checker = sandbox().map(|(runtime, context, _)| (runtime, context));
        }
        let Some((_, context)) = checker.as_ref() else {
            return Ok(());
        };
        context.with(|ctx| {
            ctx.eval::<rquickjs::Value, _>(wrapped)
                .catch(&ctx)
                .map(|_| ())
                .map_err(|e| within(error_of(e, 1, false), script))
        })
    })
}

/// The `botContext` the platform gives scripts, kept inside the engine.
const PRELUDE: &str = r#"
var __vars = JSON.parse(__initial);
var __set = [];
var __debug = [];
var botContext = {
  getBotVariable: function (name) {
    return Object.prototype.hasOwnProperty.call(__vars, name) ? __vars[name] : null;
  },
  setBotVariable: function (name, value, persistForSession, persistForever) {
    __vars[name] = value;
    __set.push([String(name), value === undefined ? null : value, !!persistForSession, !!persistForever]);
  },
  printDebugMessage: function (message) { __debug.push(String(message)); }
};
"#;

/// The prelude is evaluated under a name of its own, so that an error raised inside
/// `botContext`'s functions is placed at the script's line that called them, not at a line of
/// the prelude.
fn prelude_options() -> rquickjs::context::EvalOptions {
    let mut options = rquickjs::context::EvalOptions::default();
    options.strict = false;
    options.filename = Some("botContext".into());
    options
}

/// Runs a script on `raw` (the API's result) as the platform would for the integration whose
/// Response Data Variable is `variable`.
pub fn run(script: &str, variable: &str, raw: &Value, context: &SampleContext) -> ScriptRun {
    let key = format!("api_{variable}");
    // The platform hands the result over as JSON text under the variable's own name.
    let wrapped = wrapped_result(raw, variable);
    let mut vars = serde_json::Map::new();
    for (k, v) in context {
        if let Some(name) = k.strip_prefix("botContext.") {
            vars.insert(name.to_string(), Value::String(v.clone()));
        }
    }
    vars.insert(
        key.clone(),
        serde_json::json!({ "jsonData": wrapped.to_string() }),
    );
    let mut outcome = ScriptRun {
        variables: Vec::new(),
        debug_messages: Vec::new(),
        error: None,
        result: wrapped.clone(),
    };
    let Some((_runtime, js, started)) = sandbox() else {
        outcome.error = Some(ScriptError {
            line: 1,
            column: 1,
            message: "the JavaScript engine could not start".into(),
        });
        return outcome;
    };
    js.with(|ctx| {
        let globals = ctx.globals();
        let initial = Value::Object(vars).to_string();
        if globals.set("__initial", initial).is_err()
            || ctx
                .eval_with_options::<(), _>(PRELUDE, prelude_options())
                .catch(&ctx)
                .is_err()
        {
            return;
        }
        started.set(Some(Instant::now()));
        let result = ctx.eval::<(), _>(script.to_string()).catch(&ctx);
        let timed_out = started.get().is_some_and(|t| t.elapsed() > TIME_LIMIT);
        // Reading what the script left runs its code too (getters, `toJSON`, a replaced
        // `JSON.stringify`): under a limit of its own.
        started.set(Some(Instant::now()));
        if let Err(e) = result {
            outcome.error = Some(error_of(e, 0, timed_out));
        }
        // What cannot be read (too large for the script's memory, or its own code failing
        // while read) is said, not dropped in silence.
        let unread = std::cell::RefCell::new(None::<String>);
        // `None`: JSON too deeply nested to read (it is shown as a note instead).
        let read_json = |expr: &str| -> Option<Value> {
            match ctx
                .eval::<Option<String>, _>(format!("JSON.stringify({expr})"))
                .catch(&ctx)
            {
                Ok(text) => match text {
                    Some(t) => serde_json::from_str(&t).ok(),
                    None => Some(Value::Null),
                },
                Err(e) => {
                    let why = error_of(e, 0, false).message;
                    unread.borrow_mut().get_or_insert(why);
                    Some(Value::Null)
                }
            }
        };
        let read = |expr: &str| read_json(expr).unwrap_or(Value::Null);
        let row_of = |row: Value| -> Option<SetVariable> {
            Some(SetVariable {
                name: crate::export::shown::cut(row.get(0)?.as_str()?, LONGEST_MESSAGE)
                    .into_owned(),
                value: row.get(1).cloned().unwrap_or(Value::Null),
                persist_for_session: row.get(2)?.as_bool()?,
                persist_forever: row.get(3)?.as_bool()?,
            })
        };
        match read_json("__set") {
            Some(Value::Array(rows)) => {
                outcome.variables = rows.into_iter().filter_map(row_of).collect();
            }
            Some(_) => {}
            // One value nested too deep: read the variables one by one, that one as a note.
            None => {
                let count = ctx
                    .eval::<i32, _>("__set.length")
                    .ok()
                    .and_then(|n| usize::try_from(n).ok())
                    .unwrap_or(0);
                for i in 0..count.min(MOST_VARIABLES) {
                    let row = read_json(&format!(
                        "[__set[{i}][0], __set[{i}][1], __set[{i}][2], __set[{i}][3]]"
                    ))
                    .or_else(|| {
                        let mut row = read_json(&format!(
                            "[__set[{i}][0], null, __set[{i}][2], __set[{i}][3]]"
                        ))?;
                        row[1] =
                            Value::String("(nested more than 128 levels deep: not shown)".into());
                        Some(row)
                    });
                    outcome.variables.extend(row.and_then(row_of));
                }
            }
        }
        if let Value::Array(lines) = read("__debug") {
            let more = lines.len().saturating_sub(MOST_DEBUG_LINES);
            outcome.debug_messages = lines
                .into_iter()
                .filter_map(|l| {
                    l.as_str()
                        .map(|l| crate::export::shown::cut(l, LONGEST_MESSAGE).into_owned())
                })
                .take(MOST_DEBUG_LINES)
                .collect();
            if more > 0 {
                outcome
                    .debug_messages
                    .push(format!("… and {more} more debug messages, not shown"));
            }
        }
        let after = read(&format!("__vars[{}]", Value::String(key.clone())));
        if let Some(text) = after.get("jsonData").and_then(Value::as_str)
            && let Ok(parsed) = serde_json::from_str(text)
        {
            outcome.result = parsed;
        }
        if outcome.error.is_none()
            && let Some(why) = unread.borrow_mut().take()
            && started.get().is_none_or(|t| t.elapsed() <= TIME_LIMIT)
        {
            outcome.error = Some(ScriptError {
                line: 1,
                column: 1,
                message: format!("what the script set cannot be shown: {why}"),
            });
        }
        if outcome.error.is_none() && started.get().is_some_and(|t| t.elapsed() > TIME_LIMIT) {
            outcome.error = Some(ScriptError {
                line: 1,
                column: 1,
                message: format!(
                    "reading what the script set ran longer than {} s and was stopped \
                     (a getter or toJSON that never returns?)",
                    TIME_LIMIT.as_secs()
                ),
            });
        }
        started.set(None);
    });
    outcome
}

/// What a worker is asked to run.
#[derive(Serialize, Deserialize)]
struct Job {
    script: String,
    variable: String,
    raw: Value,
    context: SampleContext,
}

/// The hidden command a worker process runs: a [`Job`] as JSON on standard input, the
/// [`ScriptRun`] as JSON on standard output.
pub fn worker_main() -> i32 {
    use std::io::{Read, Write};
    let mut input = String::new();
    if std::io::stdin()
        .take(crate::export::MAX_SMALL_FILE_BYTES * 2)
        .read_to_string(&mut input)
        .is_err()
    {
        return 2;
    }
    let Ok(job) = serde_json::from_str::<Job>(&input) else {
        return 2;
    };
    drop(input);
    let run = run(&job.script, &job.variable, &job.raw, &job.context);
    let Ok(out) = serde_json::to_vec(&run) else {
        return 2;
    };
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(&out)
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return 2;
    }
    0
}

/// The most a worker may write back (variables and result as JSON).
const MOST_WORKER_OUTPUT: u64 = 2 * MEMORY_LIMIT as u64;

/// [`run`] in a worker process: the escalator binary itself (`__script-worker`), with no
/// environment, no files to write, limited CPU time and memory, and killed when it is not done
/// within [`WALL_LIMIT`]. A run that cannot finish says why in its error.
pub fn run_isolated(
    script: &str,
    variable: &str,
    raw: &Value,
    context: &SampleContext,
) -> ScriptRun {
    let stopped = |message: String| ScriptRun {
        variables: Vec::new(),
        debug_messages: Vec::new(),
        error: Some(ScriptError {
            line: 1,
            column: 1,
            message,
        }),
        result: wrapped_result(raw, variable),
    };
    let job = Job {
        script: script.to_string(),
        variable: variable.to_string(),
        raw: raw.clone(),
        context: context.clone(),
    };
    match in_worker(&job) {
        Ok(run) => run,
        Err(message) => stopped(message),
    }
}

fn in_worker(job: &Job) -> Result<ScriptRun, String> {
    use std::io::{Read, Write};
    use std::os::unix::process::{CommandExt, ExitStatusExt};
    use std::process::{Command, Stdio};
    let exe = std::env::var_os("ESCALATOR_SCRIPT_WORKER")
        .map(std::path::PathBuf::from)
        .map_or_else(std::env::current_exe, Ok)
        .map_err(|e| format!("cannot find escalator to run the script: {e}"))?;
    let request = serde_json::to_vec(job).map_err(|e| e.to_string())?;
    let mut command = Command::new(exe);
    command
        .arg("__script-worker")
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    // SAFETY: between fork and exec only async-signal-safe calls (setrlimit, prctl).
    unsafe {
        command.pre_exec(|| {
            let limit = |resource, soft: u64, hard: u64| {
                let value = libc::rlimit {
                    rlim_cur: soft,
                    rlim_max: hard,
                };
                libc::setrlimit(resource, &value);
            };
            limit(libc::RLIMIT_CPU, 2, 3);
            limit(libc::RLIMIT_AS, 512 << 20, 512 << 20);
            limit(libc::RLIMIT_FSIZE, 0, 0);
            limit(libc::RLIMIT_CORE, 0, 0);
            // Gone with the editor, whatever happens to it.
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    let started = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start the script's worker: {e}"))?;
    let mut stdin = child.stdin.take();
    let writer = std::thread::spawn(move || {
        if let Some(stdin) = stdin.as_mut() {
            let _ = stdin.write_all(&request);
        }
    });
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(stdout) = stdout.as_mut() {
            let _ = stdout.take(MOST_WORKER_OUTPUT + 1).read_to_end(&mut out);
        }
        out
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() < WALL_LIMIT => {
                std::thread::sleep(Duration::from_millis(2));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    let Some(status) = status else {
        return Err(format!(
            "the script ran longer than {:.1} s and was stopped (an endless loop, or one call \
             that never ends?)",
            WALL_LIMIT.as_secs_f64()
        ));
    };
    if out.len() as u64 > MOST_WORKER_OUTPUT {
        return Err(format!(
            "the script set more than {} MiB of values; they are not shown",
            MOST_WORKER_OUTPUT >> 20
        ));
    }
    if !status.success() {
        return Err(match status.signal() {
            Some(libc::SIGXCPU) | Some(libc::SIGKILL) => {
                "the script used more than its CPU time and was stopped (an endless loop?)"
                    .to_string()
            }
            _ => format!(
                "the script used more than {} MiB and was stopped",
                MEMORY_LIMIT >> 20
            ),
        });
    }
    serde_json::from_slice(&out).map_err(|_| {
        format!(
            "the script used more than {} MiB and was stopped",
            MEMORY_LIMIT >> 20
        )
    })
}

/// The result the custom data fields read when nothing changed it: the raw result under the
/// variable's `api_` name.
fn wrapped_result(raw: &Value, variable: &str) -> Value {
    let key = format!("api_{variable}");
    match raw {
        Value::Object(map) if map.contains_key(&key) => raw.clone(),
        _ => serde_json::json!({ key: raw }),
    }
}

/// Evaluates a custom data path like `{$.api_Orders.items[i].id}` on a result: `[n]` takes an
/// item, `[i]` takes every item (the value is then a list).
pub fn evaluate_path(path: &str, result: &Value) -> Result<Value, String> {
    let inner = path
        .trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .trim();
    let Some(rest) = inner.strip_prefix("$.") else {
        return Err(format!("\"{path}\" is not a {{$.api_...}} path"));
    };
    let mut current = vec![result.clone()];
    let mut many = false;
    let mut chars = rest.chars().peekable();
    let mut name = String::new();
    let step_name = |current: &mut Vec<Value>, name: &mut String| -> Result<(), String> {
        if name.is_empty() {
            return Ok(());
        }
        let key = std::mem::take(name);
        *current = current
            .iter()
            .filter_map(|v| v.get(&key).cloned())
            .collect();
        if current.is_empty() {
            Err(format!("no \"{key}\" in the result"))
        } else {
            Ok(())
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '.' => step_name(&mut current, &mut name)?,
            '[' => {
                step_name(&mut current, &mut name)?;
                let index: String = chars.by_ref().take_while(|c| *c != ']').collect();
                current = if index.trim() == "i" {
                    many = true;
                    current
                        .iter()
                        .filter_map(Value::as_array)
                        .flatten()
                        .cloned()
                        .collect()
                } else {
                    let n: usize = index
                        .trim()
                        .parse()
                        .map_err(|_| format!("[{index}] is neither a number nor [i]"))?;
                    current.iter().filter_map(|v| v.get(n).cloned()).collect()
                };
            }
            c => name.push(c),
        }
    }
    step_name(&mut current, &mut name)?;
    match (many, current.len()) {
        (true, _) => Ok(Value::Array(current)),
        (false, 0) => Err("nothing at that path".into()),
        (false, _) => Ok(current.swap_remove(0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_error_raised_inside_bot_context_is_placed_in_the_script() {
        // An object with no way to be a string: the TypeError is raised by botContext's code.
        let script = "var a = 1;\nvar b = 2;\nbotContext.printDebugMessage(Object.create(null));";
        let run = run(script, "Orders", &Value::Null, &Default::default());
        let error = run.error.expect("it throws");
        assert_eq!(error.line, 3, "{error}");
    }

    #[test]
    fn an_error_at_the_scripts_end_points_into_the_script() {
        let e = check_syntax("var a = 1;\nvar b = [1, 2").unwrap_err();
        assert_eq!((e.line, e.column), (2, 14), "{e}");
        assert!(e.message.contains("ends unfinished"), "{e}");
        let e = check_syntax("function f() {\n  return 1;").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
    }

    #[test]
    fn a_syntax_error_is_reported_at_its_place() {
        let err = check_syntax("var a = 1;\nvar b = ;\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 9), "{err}");
        assert!(err.message.contains("unexpected token"), "{err}");
        assert!(check_syntax("var a = 1;").is_ok());
        assert!(
            check_syntax("while (true) {}").is_ok(),
            "checking does not run it"
        );
    }

    #[test]
    fn an_endless_loop_stops_at_the_time_limit() {
        let start = Instant::now();
        let run = run("while (true) {}", "X", &json!({}), &SampleContext::new());
        let took = start.elapsed();
        let err = run.error.expect("stopped");
        assert!(err.message.contains("ran longer than 1 s"), "{err}");
        assert!(took < Duration::from_secs(3), "{took:?}");
    }

    #[test]
    fn an_allocation_bomb_stops_at_the_memory_limit() {
        let run = run(
            "var a = []; while (true) { a.push(new Array(100000).fill(1)); }",
            "X",
            &json!({}),
            &SampleContext::new(),
        );
        let err = run.error.expect("stopped");
        assert!(err.message.contains("64 MiB"), "{err}");
    }

    #[test]
    fn the_host_is_out_of_reach() {
        for probe in [
            "require('fs')",
            "std.open('/etc/passwd')",
            "os.exec(['ls'])",
            "fetch('http://x')",
        ] {
            let run = run(probe, "X", &json!({}), &SampleContext::new());
            assert!(run.error.is_some(), "{probe} must fail");
        }
    }

    #[test]
    fn scripts_see_the_result_and_set_variables() {
        let script = "var r = botContext.getBotVariable('api_Orders');\n\
                      var data = JSON.parse(r.jsonData);\n\
                      botContext.setBotVariable('count', data.api_Orders.items.length, true, false);\n\
                      botContext.printDebugMessage('seen ' + botContext.getBotVariable('name'));\n\
                      data.api_Orders.first = data.api_Orders.items[0].id;\n\
                      r.jsonData = JSON.stringify(data);\n\
                      botContext.setBotVariable('api_Orders', r, true, false);";
        let mut context = SampleContext::new();
        context.insert("botContext.name".into(), "Ann".into());
        let run = run(
            script,
            "Orders",
            &json!({"items": [{"id": 7}, {"id": 9}]}),
            &context,
        );
        assert_eq!(run.error, None);
        assert_eq!(run.variables[0].name, "count");
        assert_eq!(run.variables[0].value, json!(2));
        assert!(run.variables[0].persist_for_session);
        assert_eq!(run.debug_messages, ["seen Ann"]);
        assert_eq!(
            evaluate_path("{$.api_Orders.first}", &run.result),
            Ok(json!(7))
        );
    }

    #[test]
    fn a_thrown_error_keeps_its_line() {
        let run = run(
            "var a = 1;\nnull.x;",
            "X",
            &json!({}),
            &SampleContext::new(),
        );
        let err = run.error.unwrap();
        assert_eq!(err.line, 2, "{err}");
    }

    #[test]
    fn custom_data_paths_evaluate_as_documented() {
        let result =
            json!({"api_Orders": {"items": [{"id": 1, "tags": ["a"]}, {"id": 2, "tags": ["b"]}]}});
        assert_eq!(
            evaluate_path("{$.api_Orders.items[0].id}", &result),
            Ok(json!(1))
        );
        assert_eq!(
            evaluate_path("{$.api_Orders.items[i].id}", &result),
            Ok(json!([1, 2]))
        );
        assert_eq!(
            evaluate_path("{$.api_Orders.items[1].tags[0]}", &result),
            Ok(json!("b"))
        );
        assert!(evaluate_path("{$.api_Orders.nope}", &result).is_err());
        assert!(evaluate_path("{$.api_Orders.items[x]}", &result).is_err());
    }
}
