//! The journal of unsaved edits: written to the state folder about a second after each
//! change and at once when the session ends badly (hang-up, signal, panic), so the next start
//! on the same file can restore them.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::bot::save;

/// One journal: the whole text the document would save as, and what it was based on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// The export the edits belong to.
    pub file: PathBuf,
    /// Seconds since 1970 when it was written.
    pub written_at: u64,
    /// The hash of the file's text the edits started from.
    pub base_hash: u64,
    /// The edited document, as it would be saved.
    pub text: String,
}

/// Where journals live: the user's state folder (`$XDG_STATE_HOME/escalator`).
pub fn default_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "escalator")?;
    Some(
        dirs.state_dir()
            .map_or_else(|| dirs.data_local_dir().join("state"), Path::to_path_buf),
    )
}

/// The journal file of an export (one per export, by its absolute path).
pub fn path_for(dir: &Path, file: &Path) -> PathBuf {
    let absolute = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    let hash = save::content_hash(absolute.as_os_str().as_encoded_bytes());
    dir.join(format!("journal-{hash:016x}.json"))
}

/// Writes the journal of `file` (atomically: a crash mid-write keeps the previous one).
pub fn write(dir: &Path, file: &Path, base_hash: u64, text: &str) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let entry = Entry {
        file: std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf()),
        written_at: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        base_hash,
        text: text.to_string(),
    };
    let json = serde_json::to_string(&entry).map_err(|e| e.to_string())?;
    save::write_atomically_no_backup(&path_for(dir, file), json.as_bytes())
        .map_err(|e| e.to_string())
}

/// The journal of `file`, if there is a readable one.
pub fn read(dir: &Path, file: &Path) -> Option<Entry> {
    let text = crate::bot::read_small_file(&path_for(dir, file)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Removes the journal of `file` (after a save or a discard).
pub fn remove(dir: &Path, file: &Path) {
    let _ = std::fs::remove_file(path_for(dir, file));
}

/// A line-by-line difference of two texts, `-` for removed and `+` for added lines, with a
/// little context. Long texts are compared only where they differ.
pub fn line_diff(old: &str, new: &str) -> Vec<String> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a_mid, b_mid) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut out = Vec::new();
    let context = prefix.saturating_sub(3);
    for line in &a[context..prefix] {
        out.push(format!("  {line}"));
    }
    if a_mid.len() * b_mid.len() > 4_000_000 {
        // Too large to align line by line: show the changed block whole.
        out.extend(a_mid.iter().map(|l| format!("- {l}")));
        out.extend(b_mid.iter().map(|l| format!("+ {l}")));
    } else {
        // Longest common subsequence of the differing middle.
        let (n, m) = (a_mid.len(), b_mid.len());
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * (m + 1) + j] = if a_mid[i] == b_mid[j] {
                    lcs[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && a_mid[i] == b_mid[j] {
                out.push(format!("  {}", a_mid[i]));
                i += 1;
                j += 1;
            } else if j < m && (i == n || lcs[i * (m + 1) + j + 1] >= lcs[(i + 1) * (m + 1) + j]) {
                out.push(format!("+ {}", b_mid[j]));
                j += 1;
            } else {
                out.push(format!("- {}", a_mid[i]));
                i += 1;
            }
        }
    }
    for line in a[a.len() - suffix..].iter().take(3) {
        out.push(format!("  {line}"));
    }
    fold_unchanged(out)
}

/// Keeps three lines of context around each change and folds longer unchanged runs.
fn fold_unchanged(lines: Vec<String>) -> Vec<String> {
    const CONTEXT: usize = 3;
    let mut out = Vec::new();
    let mut run: Vec<String> = Vec::new();
    let flush = |run: &mut Vec<String>, out: &mut Vec<String>, at_start: bool, at_end: bool| {
        let keep_head = if at_start { 0 } else { CONTEXT };
        let keep_tail = if at_end { 0 } else { CONTEXT };
        if run.len() > keep_head + keep_tail + 1 {
            let folded = run.len() - keep_head - keep_tail;
            out.extend(run.drain(..keep_head));
            out.push(format!("  ⋯ {folded} unchanged lines"));
            out.extend(run.drain(folded..));
            run.clear();
        } else {
            out.append(run);
        }
    };
    let mut seen_change = false;
    for line in lines {
        if line.starts_with("  ") {
            run.push(line);
        } else {
            flush(&mut run, &mut out, !seen_change, false);
            seen_change = true;
            out.push(line);
        }
    }
    flush(&mut run, &mut out, !seen_change, true);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_is_written_read_and_removed_per_file() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.json");
        let b = dir.path().join("b.json");
        std::fs::write(&a, "{}").unwrap();
        write(dir.path(), &a, 7, "edited").unwrap();
        assert_eq!(read(dir.path(), &a).unwrap().text, "edited");
        assert_eq!(read(dir.path(), &a).unwrap().base_hash, 7);
        assert!(read(dir.path(), &b).is_none());
        remove(dir.path(), &a);
        assert!(read(dir.path(), &a).is_none());
    }

    #[test]
    fn the_difference_shows_changed_lines_with_context() {
        let diff = line_diff("a\nb\nc\nd", "a\nB\nc\nd\ne");
        assert_eq!(diff, ["  a", "+ B", "- b", "  c", "  d", "+ e"]);
        assert!(
            line_diff("same", "same")
                .iter()
                .all(|l| l.starts_with("  "))
        );
    }
}
