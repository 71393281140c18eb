//! Transform Result Script. Spec: "use this section to write JavaScript code that transforms
//! the raw result": a script that does not parse fails when the integration runs.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Diagnostic, Severity};
use crate::bot::integration::{Field, Integration};

/// Runs `read` while other threads check the integrations' scripts: compiling them is most of
/// the work on a large bot, and each is independent; the outcomes wait in the script cache
/// for the rules.
pub(super) fn with_scripts_checked<T>(integrations: &[Integration], read: impl FnOnce() -> T) -> T {
    let scripts: Vec<&str> = integrations
        .iter()
        .map(|i| i.transform_script.as_str())
        .filter(|s| !s.trim().is_empty())
        .collect();
    let helpers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .saturating_sub(1)
        .min(7);
    if scripts.len() < 32 || helpers == 0 {
        return read();
    }
    let next = AtomicUsize::new(0);
    let check_some = || {
        while let Some(script) = scripts.get(next.fetch_add(1, Ordering::Relaxed)) {
            let _ = crate::runtime::script::check_syntax(script);
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..helpers {
            scope.spawn(check_some);
        }
        let read = read();
        check_some();
        read
    })
}

/// A script that does not parse: an error at its line.
pub(super) fn script_rule(script: &str) -> Option<Diagnostic> {
    crate::runtime::script::check_syntax(script).err().map(|e| {
        Diagnostic::new(
            Field::TransformScript,
            Severity::Error,
            format!("line {}:{}: {}", e.line, e.column, e.message),
            format!("correct the script at line {}", e.line),
        )
    })
}
