//! The journals of unsaved edits: each editing session writes its own to the state folder
//! about a second after each change and at once when the session ends badly (hang-up,
//! signal, panic), so the next start on the same file can offer them. Two editors on one file
//! keep two journals; a save or a discard removes only its own session's. The folder is the
//! user's alone (0700) and every journal too (0600): they hold the text of the user's bots.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::export::save;
use crate::workspace::sidecar::Sidecar;

/// One journal: the whole text the document would save as, and what it was based on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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
    /// escalator's settings for the export (sample values and results, fallback skill), as
    /// they would be saved beside it; absent in journals of older versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<Sidecar>,
    /// Where this journal was read from.
    #[serde(skip)]
    pub path: PathBuf,
    /// How many lines it adds or removes, against the file as opened (counted when offered).
    #[serde(skip)]
    pub changed_lines: usize,
}

/// The journals of one editing session.
#[derive(Debug, Clone)]
pub struct Journal {
    dir: PathBuf,
    /// This session's name: its process id and start time.
    session: String,
    /// This session's journal, open and locked while the session lives: another session
    /// tells a live one's journal (not to be offered) from a journal left behind by the lock.
    held: std::sync::Arc<std::sync::Mutex<Option<std::fs::File>>>,
}

/// Where journals live: the user's state folder (`$XDG_STATE_HOME/escalator`).
pub fn default_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "escalator")?;
    Some(
        dirs.state_dir()
            .map_or_else(|| dirs.data_local_dir().join("state"), Path::to_path_buf),
    )
}

/// The part of a journal's name that names its export (by its absolute path).
fn file_key(file: &Path) -> String {
    let absolute = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    let hash = save::content_hash(absolute.as_os_str().as_encoded_bytes());
    format!("journal-{hash:016x}")
}

impl Journal {
    /// The journals of a new session in `dir`.
    pub fn new(dir: PathBuf) -> Journal {
        let started = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Journal {
            dir,
            session: format!("{}-{started}", std::process::id()),
            held: Default::default(),
        }
    }

    /// The journals of a new session in the user's state folder.
    pub fn in_default_dir() -> Option<Journal> {
        default_dir().map(Journal::new)
    }

    /// This session's journal of `file`.
    pub fn path_for(&self, file: &Path) -> PathBuf {
        self.dir
            .join(format!("{}-{}.json", file_key(file), self.session))
    }

    /// Writes this session's journal of `file` (atomically: a crash mid-write keeps the
    /// previous one), private to the user.
    pub fn write(
        &self,
        file: &Path,
        base_hash: u64,
        text: &str,
        settings: &Sidecar,
    ) -> Result<(), String> {
        private_dir(&self.dir)?;
        let entry = Entry {
            file: std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf()),
            written_at: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            base_hash,
            text: text.to_string(),
            settings: Some(settings.clone()),
            ..Entry::default()
        };
        let json = serde_json::to_string(&entry).map_err(|e| e.to_string())?;
        let path = self.path_for(file);
        save::write_atomically_private(&path, json.as_bytes()).map_err(|e| e.to_string())?;
        // Hold the new file locked (the write replaced the one held before).
        let held = std::fs::File::open(&path)
            .ok()
            .filter(|f| f.try_lock().is_ok());
        if let Ok(mut slot) = self.held.lock() {
            *slot = held;
        }
        Ok(())
    }

    /// Removes this session's journal of `file` (after a save or a discard).
    pub fn remove(&self, file: &Path) {
        let _ = std::fs::remove_file(self.path_for(file));
        if let Ok(mut slot) = self.held.lock() {
            *slot = None;
        }
    }

    /// The journals other sessions left for `file`, newest first: those of sessions that
    /// still run (another editor open on it, holding its journal locked) are theirs and not
    /// offered; nor is anything in a state folder, or any journal, that is not this user's
    /// own (another user could have planted it).
    pub fn left_for(&self, file: &Path) -> Vec<Entry> {
        let key = file_key(file);
        if !owned_here(&self.dir, true) {
            return vec![];
        }
        let Ok(names) = std::fs::read_dir(&self.dir) else {
            return vec![];
        };
        let mut entries: Vec<Entry> = names
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let rest = name.strip_prefix(&key)?.strip_suffix(".json")?;
                // `journal-KEY.json` (one per file, before sessions) or `journal-KEY-PID-T.json`.
                if let Some(session) = rest.strip_prefix('-') {
                    if session == self.session {
                        return None;
                    }
                } else if !rest.is_empty() {
                    return None;
                }
                let path = e.path();
                if !owned_here(&path, false) || is_held(&path) {
                    return None;
                }
                read_entry(&path)
            })
            .collect();
        // Newest first; journals of the same second by their files' times.
        let modified = |e: &Entry| std::fs::metadata(&e.path).and_then(|m| m.modified()).ok();
        entries.sort_by_cached_key(|e| std::cmp::Reverse((e.written_at, modified(e))));
        entries
    }
}

/// Whether `path` is a folder (`folder`) or a regular file, not a link, owned by this user.
fn owned_here(path: &Path, folder: bool) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(path).is_ok_and(|m| {
        // SAFETY: geteuid has no preconditions.
        let me = unsafe { libc::geteuid() };
        m.uid() == me && if folder { m.is_dir() } else { m.is_file() }
    })
}

/// Whether a live session holds the journal at `path` locked.
fn is_held(path: &Path) -> bool {
    std::fs::File::open(path)
        .is_ok_and(|f| matches!(f.try_lock(), Err(std::fs::TryLockError::WouldBlock)))
}

/// The journal at `path`, if it is a readable one.
fn read_entry(path: &Path) -> Option<Entry> {
    let text = crate::export::read_small_file(path).ok()?;
    let mut entry: Entry = serde_json::from_str(&text).ok()?;
    entry.path = path.to_path_buf();
    Some(entry)
}

/// Removes a journal that was offered and answered (restored elsewhere, or discarded).
pub fn remove_entry(entry: &Entry) {
    if !entry.path.as_os_str().is_empty() {
        let _ = std::fs::remove_file(&entry.path);
    }
}

/// Makes `dir` (and its missing parents) and keeps it the user's alone.
fn private_dir(dir: &Path) -> Result<(), String> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    if !owned_here(dir, true) {
        return Err(format!(
            "{}: the state folder is a link or another user's; journals are not kept there",
            dir.display()
        ));
    }
    let meta = std::fs::metadata(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if meta.permissions().mode() & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    Ok(())
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
    fn each_session_writes_reads_and_removes_its_own_journal_and_they_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state");
        let a = dir.path().join("a.json");
        let b = dir.path().join("b.json");
        std::fs::write(&a, "{}").unwrap();
        let first = Journal::new(state.clone());
        let mut second = Journal::new(state.clone());
        second.session.push_str("-other");
        let settings = Sidecar {
            fallback_skill_id: Some("9".into()),
            ..Sidecar::default()
        };
        first.write(&a, 7, "first's edits", &settings).unwrap();
        second
            .write(&a, 7, "second's edits", &Sidecar::default())
            .unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&state), 0o700);
        assert_eq!(mode(&first.path_for(&a)), 0o600);
        // A third session (this process's sessions count as ended for the test's sake: the
        // pid is this one, so mark them as another's by name).
        let third = Journal::new(state.clone());
        let left: Vec<String> = list_all(&third, &a).into_iter().map(|e| e.text).collect();
        assert_eq!(left.len(), 2, "{left:?}");
        assert!(left.contains(&"first's edits".to_string()));
        let first_entry = list_all(&third, &a)
            .into_iter()
            .find(|e| e.text == "first's edits")
            .unwrap();
        assert_eq!(first_entry.settings, Some(settings));
        assert!(list_all(&third, &b).is_empty());
        second.remove(&a);
        assert!(
            first.path_for(&a).exists(),
            "one session's save leaves the other's"
        );
        remove_entry(&first_entry);
        assert!(list_all(&third, &a).is_empty());
    }

    #[test]
    fn a_live_sessions_journal_is_not_offered_until_it_ends() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state");
        let file = dir.path().join("a.json");
        std::fs::write(&file, "{}").unwrap();
        let live = Journal::new(state.clone());
        live.write(&file, 1, "live edits", &Sidecar::default())
            .unwrap();
        let other = Journal::new(state.clone());
        assert!(other.left_for(&file).is_empty(), "held by a live session");
        drop(live); // the session ends (its process exits): the lock goes
        let left = other.left_for(&file);
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].text, "live edits");
    }

    #[test]
    fn journals_and_state_folders_of_another_user_or_behind_a_link_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.json");
        std::fs::write(&file, "{}").unwrap();
        // A state folder that is a link somewhere else.
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        let linked = dir.path().join("linked");
        std::os::unix::fs::symlink(&elsewhere, &linked).unwrap();
        let journal = Journal::new(linked);
        assert!(journal.write(&file, 1, "x", &Sidecar::default()).is_err());
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } == 0 {
            // A journal planted by another user is not offered.
            let state = dir.path().join("state");
            let writer = Journal::new(state.clone());
            writer
                .write(&file, 1, "planted", &Sidecar::default())
                .unwrap();
            let planted = writer.path_for(&file);
            drop(writer);
            std::os::unix::fs::chown(&planted, Some(65534), Some(65534)).unwrap();
            assert!(Journal::new(state).left_for(&file).is_empty());
        }
    }

    /// Every journal of `file` but `journal`'s own, whether or not its process runs.
    fn list_all(journal: &Journal, file: &Path) -> Vec<Entry> {
        let key = file_key(file);
        let mut out: Vec<Entry> = std::fs::read_dir(&journal.dir)
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(&key))
            .filter(|e| e.path() != journal.path_for(file))
            .filter_map(|e| read_entry(&e.path()))
            .collect();
        out.sort_by_key(|e| std::cmp::Reverse(e.written_at));
        out
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
