//! Atomic saves: a temporary file beside the target, flushed to disk, renamed over it.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a save did not happen. The original file is untouched whenever this is returned.
#[derive(Debug)]
pub struct SaveError {
    pub path: PathBuf,
    pub message: String,
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: not saved: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for SaveError {}

/// Writes `bytes` to `path` so that the file is at every moment either its old or its new
/// content: temporary file in the same folder, fsync, rename, fsync of the folder. A symlink
/// is saved through to its target; the target's permissions are kept.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    let fail = |what: &str, e: std::io::Error| SaveError {
        path: path.to_path_buf(),
        message: format!("{what}: {}", super::describe_io(&e)),
    };
    let target = match fs::canonicalize(path) {
        Ok(real) => real,
        Err(_) => path.to_path_buf(),
    };
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
        file.write_all(bytes)
            .map_err(|e| fail("writing failed", e))?;
        file.sync_all()
            .map_err(|e| fail("flushing to disk failed", e))?;
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let leftovers = fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 2, "no temporary file is left behind");
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
    fn a_missing_folder_is_a_clear_error_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_atomically(&dir.path().join("nope/bot.json"), b"x").unwrap_err();
        assert!(err.to_string().contains("not saved"), "{err}");
    }
}
