//! Atomic saves: a temporary file beside the target, flushed to disk, renamed over it, with
//! one `.bak` of the previous version kept.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::hash::Hasher;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Why a save did not happen. The original file is untouched whenever this is returned.
#[derive(Debug)]
pub struct SaveError {
    pub path: PathBuf,
    pub message: String,
    /// The file changed on disk since it was loaded: saving needs the user's yes.
    pub changed_on_disk: bool,
}

impl SaveError {
    pub fn new(path: &Path, message: impl Into<String>) -> SaveError {
        SaveError {
            path: path.to_path_buf(),
            message: message.into(),
            changed_on_disk: false,
        }
    }
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: not saved: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for SaveError {}

/// What a file on disk looked like: to tell whether someone else changed it. Its content is
/// the one kept by whoever holds the stamp, and compared only when size or time differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskStamp {
    pub len: u64,
    pub modified: Option<SystemTime>,
}

impl DiskStamp {
    /// The stamp of `bytes` as read from (or written to) `path`.
    pub fn of(path: &Path, bytes: &[u8]) -> DiskStamp {
        DiskStamp {
            len: bytes.len() as u64,
            modified: fs::metadata(path).and_then(|m| m.modified()).ok(),
        }
    }

    /// How the file at `path` differs from this stamp now, if it does (`None`: unchanged).
    /// Size and time are checked first; the content decides (`same` tells whether the bytes
    /// on disk now are the ones stamped), so a touch alone is no change.
    pub fn changed(&self, path: &Path, same: impl FnOnce(&[u8]) -> bool) -> Option<String> {
        let meta = match fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Some("it was deleted or moved".into());
            }
            Err(_) => return None,
        };
        if meta.len() == self.len && meta.modified().ok() == self.modified {
            return None;
        }
        let bytes = fs::read(path).ok()?;
        (!same(&bytes)).then(|| {
            format!(
                "someone else saved it ({} bytes now, {} when opened)",
                bytes.len(),
                self.len
            )
        })
    }
}

/// A hash of file content, to notice changes (not for security).
pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    hasher.write(bytes);
    hasher.finish()
}

/// Where the previous version of `path` is kept.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".bak");
    PathBuf::from(name)
}

/// Writes `bytes` to `path` so that the file is at every moment either its old or its new
/// content: temporary file in the same folder, fsync, rename, fsync of the folder. A symlink
/// is saved through to its target; the target's permissions are kept; the previous version
/// becomes `path.bak`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    write_with(path, bytes, true, |file, bytes| file.write_all(bytes))
}

/// [`write_atomically`] without the `.bak` (for escalator's own small files).
pub fn write_atomically_no_backup(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    write_with(path, bytes, false, |file, bytes| file.write_all(bytes))
}

/// The save, with the writing of the bytes left to `write` (tests make it fail).
pub(crate) fn write_with(
    path: &Path,
    bytes: &[u8],
    backup: bool,
    write: impl FnOnce(&mut File, &[u8]) -> io::Result<()>,
) -> Result<(), SaveError> {
    let fail = |what: &str, e: io::Error| {
        SaveError::new(path, format!("{what}: {}", super::describe_io(&e)))
    };
    let target = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bot.json".into());
    let temp = folder.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(|e| fail("cannot create a temporary file in the folder", e))?;
        if let Ok(meta) = fs::metadata(&target) {
            // Best effort: a file system without permissions still gets the save.
            let _ = file.set_permissions(meta.permissions());
        }
        write(&mut file, bytes).map_err(|e| fail("writing failed", e))?;
        file.sync_all()
            .map_err(|e| fail("flushing to disk failed", e))?;
        drop(file);
        if backup && target.exists() {
            keep_backup(&target, &folder, &name);
        }
        fs::rename(&temp, &target).map_err(|e| fail("replacing the file failed", e))?;
        if let Ok(dir) = File::open(&folder) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Makes `target.bak` the current version of `target`, atomically; a failure only costs the
/// backup, never the save.
fn keep_backup(target: &Path, folder: &Path, name: &str) {
    let temp = folder.join(format!(".{name}.{}.bak.tmp", std::process::id()));
    let _ = fs::remove_file(&temp);
    let linked = fs::hard_link(target, &temp).is_ok() || fs::copy(target, &temp).is_ok();
    if !linked || fs::rename(&temp, backup_path(target)).is_err() {
        let _ = fs::remove_file(&temp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn saves_through_a_symlink_to_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomically(&link, b"new").unwrap();
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            entries(dir.path()),
            ["link.json", "real.json", "real.json.bak"]
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("real.json.bak")).unwrap(),
            "old"
        );
    }

    #[test]
    fn keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bot.json");
        fs::write(&file, "old").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&file, b"new").unwrap();
        let mode = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    #[test]
    fn keeps_one_backup_of_the_previous_version() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bot.json");
        fs::write(&file, "v1").unwrap();
        write_atomically(&file, b"v2").unwrap();
        write_atomically(&file, b"v3").unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "v3");
        assert_eq!(fs::read_to_string(backup_path(&file)).unwrap(), "v2");
        assert_eq!(entries(dir.path()), ["bot.json", "bot.json.bak"]);
        write_atomically_no_backup(&dir.path().join("own.json"), b"x").unwrap();
        assert!(!dir.path().join("own.json.bak").exists());
    }

    #[test]
    fn a_write_failing_at_any_byte_leaves_the_original_whole() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bot.json");
        let original = "{\n  \"bot\": \"the original\"\n}";
        fs::write(&file, original).unwrap();
        let new = "{\n  \"bot\": \"a longer new version of the file\"\n}".repeat(3);
        for k in 0..new.len() {
            let err = write_with(&file, new.as_bytes(), true, |f, bytes| {
                f.write_all(&bytes[..k])?;
                Err(io::Error::from(io::ErrorKind::StorageFull))
            })
            .unwrap_err();
            assert!(err.to_string().contains("disk is full"), "{err}");
            assert_eq!(
                fs::read_to_string(&file).unwrap(),
                original,
                "after {k} bytes"
            );
            assert_eq!(
                entries(dir.path()),
                ["bot.json"],
                "nothing left behind at {k}"
            );
        }
    }

    #[test]
    fn a_missing_folder_is_a_clear_error_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_atomically(&dir.path().join("nope/bot.json"), b"x").unwrap_err();
        assert!(err.to_string().contains("not saved"), "{err}");
    }

    #[test]
    fn a_read_only_folder_says_permission_denied() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bot.json");
        fs::write(&file, "old").unwrap();
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o500)).unwrap();
        let result = write_atomically(&file, b"new");
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700)).unwrap();
        if let Err(err) = result {
            assert!(err.to_string().contains("permission denied"), "{err}");
            assert_eq!(fs::read_to_string(&file).unwrap(), "old");
        } // root may write anyway: then the save simply worked.
    }

    #[test]
    fn stamps_notice_other_writers_but_not_a_touch() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bot.json");
        fs::write(&file, "one").unwrap();
        let stamp = DiskStamp::of(&file, b"one");
        let one = |bytes: &[u8]| bytes == b"one";
        assert_eq!(stamp.changed(&file, one), None);
        fs::write(&file, "one").unwrap();
        assert_eq!(stamp.changed(&file, one), None, "same content is no change");
        fs::write(&file, "two!").unwrap();
        assert!(stamp.changed(&file, one).is_some());
        fs::remove_file(&file).unwrap();
        assert!(stamp.changed(&file, one).unwrap().contains("deleted"));
    }
}
