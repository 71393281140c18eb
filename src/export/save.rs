//! Atomic saves: a temporary file beside the target, flushed to disk, renamed over it, with
//! one `.bak` of the previous version kept.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::hash::Hasher;
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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

/// What a file on disk looked like when read or written: to tell whether someone else changed
/// it since. The content itself is the one kept by whoever holds the stamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskStamp {
    pub len: u64,
}

impl DiskStamp {
    /// The stamp of `bytes` as read from (or written to) a file.
    pub fn of(bytes: &[u8]) -> DiskStamp {
        DiskStamp {
            len: bytes.len() as u64,
        }
    }

    /// How the file at `path` differs from this stamp now, if it does (`None`: unchanged).
    /// The content always decides (`same` tells whether the bytes on disk now are the ones
    /// stamped): an edit of the same size with its time put back is still a change, and a
    /// touch alone is none.
    pub fn changed(&self, path: &Path, same: impl FnOnce(&[u8]) -> bool) -> Option<String> {
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Some("it was deleted or moved".into());
            }
            Err(e) => return Some(format!("it cannot be read now: {}", super::describe_io(&e))),
        };
        (!same(&bytes)).then(|| {
            format!(
                "someone else saved it ({} bytes now, {} when opened)",
                bytes.len(),
                self.len
            )
        })
    }
}

/// How long a headless command waits for another writer of the same export to finish: 10 s,
/// or the seconds in `ESCALATOR_LOCK_WAIT` (0 to 3600); anything else there is an error.
pub fn headless_lock_wait() -> Result<Duration, String> {
    let Ok(text) = std::env::var("ESCALATOR_LOCK_WAIT") else {
        return Ok(Duration::from_secs(10));
    };
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && (0.0..=3600.0).contains(s))
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            format!(
                "ESCALATOR_LOCK_WAIT={:?}: expected the seconds to wait for another writer, 0 to 3600",
                crate::export::shown::cut(&text, 40)
            )
        })
}

/// How long the editor waits for another writer before saying the save failed.
pub const EDITOR_LOCK_WAIT: Duration = Duration::from_secs(3);

/// An advisory lock (`flock`) on an export, held by a writer from before it reads the file
/// until after the new version is in place, so two writers never both read the old version.
/// It is on the file itself (no lock file to leave behind); a writer that finds the file
/// replaced while it waited locks the new one. Released when dropped.
#[derive(Debug)]
pub struct ExportLock {
    _file: Option<File>,
}

impl ExportLock {
    /// Locks the export at `path`, waiting at most `wait` for another writer. A file that does
    /// not exist yet has nothing to lock (its creation refuses to replace one made meanwhile);
    /// a file system without locks is written unlocked, as before.
    pub fn acquire(path: &Path, wait: Duration) -> Result<ExportLock, SaveError> {
        use std::os::unix::fs::MetadataExt;
        let start = Instant::now();
        loop {
            // Not there, or not a regular file (never waiting on a FIFO): nothing to lock, and
            // reading it says what is wrong.
            let file = match super::open_regular(path, u64::MAX) {
                Ok((file, _)) => file,
                Err(_) => return Ok(ExportLock { _file: None }),
            };
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    if start.elapsed() >= wait {
                        let holder = file
                            .metadata()
                            .ok()
                            .and_then(|m| lock_holder(m.ino()))
                            .map(|who| format!(" ({who})"))
                            .unwrap_or_default();
                        return Err(SaveError::new(
                            path,
                            format!(
                                "another process is writing it{holder}; waited {:.1} s for it \
                                 to finish: try again when it is done",
                                wait.as_secs_f64()
                            ),
                        ));
                    }
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                }
                Err(fs::TryLockError::Error(_)) => return Ok(ExportLock { _file: None }),
            }
            // The file may have been replaced (renamed over) while we waited: lock that one.
            let locked = file.metadata().map(|m| (m.dev(), m.ino()));
            let now = fs::metadata(path).map(|m| (m.dev(), m.ino()));
            match (locked, now) {
                (Ok(a), Ok(b)) if a == b => return Ok(ExportLock { _file: Some(file) }),
                (_, Err(_)) => return Ok(ExportLock { _file: None }),
                _ => continue,
            }
        }
    }
}

/// Which process holds a `flock` on the file with inode `ino`, as "pid N: command line", read
/// from Linux's `/proc/locks`; `None` where that cannot be told.
fn lock_holder(ino: u64) -> Option<String> {
    let locks = fs::read_to_string("/proc/locks").ok()?;
    let suffix = format!(":{ino}");
    let pid = locks.lines().find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let at = fields.iter().position(|f| *f == "FLOCK")?;
        let (pid, file) = (fields.get(at + 3)?, fields.get(at + 4)?);
        file.ends_with(&suffix).then(|| pid.to_string())
    })?;
    let command = fs::read(format!("/proc/{pid}/cmdline"))
        .map(|raw| {
            raw.split(|b| *b == 0)
                .filter(|part| !part.is_empty())
                .map(|part| {
                    String::from_utf8_lossy(part)
                        .chars()
                        .map(|c| if c.is_control() { '?' } else { c })
                        .collect::<String>()
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    let command: String = command.chars().take(120).collect();
    Some(if command.is_empty() {
        format!("pid {pid}")
    } else {
        format!("pid {pid}: {command}")
    })
}

/// A hash of file content, to notice changes (not for security).
pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    hasher.write(bytes);
    hasher.finish()
}

/// Whether this user may write the file at `path` (what the system says for its permissions,
/// its file system mounted read-only, its attributes).
pub fn may_write(path: &Path) -> bool {
    let Ok(name) = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()) else {
        return false;
    };
    // SAFETY: access(2) with a NUL-terminated path.
    unsafe { libc::access(name.as_ptr(), libc::W_OK) == 0 }
}

/// Where the previous version of `path` is kept.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".bak");
    PathBuf::from(name)
}

/// How a save put the new version in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveWay {
    /// A new file with the same owner, group, mode and extended attributes, renamed over the
    /// old one: the file is its old or its new content at every moment.
    Replaced,
    /// The old file written over, after its `.bak` copy is safely on disk: for a file with
    /// other hard links, or whose owner, group or attributes a new file could not be given.
    InPlace,
}

/// Writes `bytes` to `path` so that nothing of what the file was is lost: a temporary file in
/// the same folder with the old file's owner, group, mode and extended attributes, fsync,
/// rename, fsync of the folder; where a new file cannot keep those (or the file has other hard
/// links), the old file is written over in place once its backup is on disk. A symlink is
/// saved through to its target; the previous version becomes `path.bak`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<SaveWay, SaveError> {
    write_with(path, bytes, true, |file, bytes| file.write_all(bytes))
}

/// [`write_atomically`] without the `.bak` (for escalator's own small files).
pub fn write_atomically_no_backup(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    write_with(path, bytes, false, |file, bytes| file.write_all(bytes)).map(|_| ())
}

/// [`write_atomically_no_backup`] for a file only its owner may read or write (0600), such as
/// a journal of unsaved edits.
pub fn write_atomically_private(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    use std::os::unix::fs::PermissionsExt;
    write_with(path, bytes, false, |file, bytes| {
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
        file.write_all(bytes)
    })
    .map(|_| ())
}

/// The save, with the writing of the bytes left to `write` (tests make it fail).
pub(crate) fn write_with(
    path: &Path,
    bytes: &[u8],
    backup: bool,
    write: impl FnOnce(&mut File, &[u8]) -> io::Result<()>,
) -> Result<SaveWay, SaveError> {
    use std::os::unix::fs::MetadataExt;
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
    remove_stale_temporaries(&folder, &name);
    let old = File::open(&target).ok();
    let old_meta = old.as_ref().and_then(|f| f.metadata().ok());
    if old_meta.as_ref().is_some_and(|m| m.nlink() > 1) {
        // A rename would split the links: the other names would keep the old text.
        return write_in_place(&target, &folder, &name, bytes, backup, write)
            .map(|()| SaveWay::InPlace);
    }
    let temp = folder.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut write = Some(write);
    let result = (|| {
        // Private until it has the target's permissions: nobody reads a half-written copy.
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&temp)
            .map_err(|e| fail("cannot create a temporary file in the folder", e))?;
        if let (Some(old), Some(meta)) = (&old, &old_meta) {
            // Best effort: a file system without permissions still gets the save.
            let _ = file.set_permissions(meta.permissions());
            if !same_owner_and_attributes(old, meta, &file) {
                return Ok(None);
            }
        }
        let write = write
            .take()
            .ok_or_else(|| SaveError::new(path, "saved twice"))?;
        write(&mut file, bytes).map_err(|e| fail("writing failed", e))?;
        file.sync_all()
            .map_err(|e| fail("flushing to disk failed", e))?;
        drop(file);
        // The old version, linked aside now and made the `.bak` only once the save is done:
        // a failed save leaves the previous `.bak` as it was.
        let previous = (backup && old.is_some())
            .then(|| keep_aside(&target, &folder, &name))
            .flatten();
        if let Err(e) = fs::rename(&temp, &target) {
            if let Some(previous) = &previous {
                let _ = fs::remove_file(previous);
            }
            return Err(fail("replacing the file failed", e));
        }
        if let Some(previous) = previous
            && fs::rename(&previous, backup_path(&target)).is_err()
        {
            let _ = fs::remove_file(previous);
        }
        sync_folder(&folder);
        Ok(Some(SaveWay::Replaced))
    })();
    if !matches!(result, Ok(Some(_))) {
        let _ = fs::remove_file(&temp);
    }
    match (result, write) {
        (Ok(Some(way)), _) => Ok(way),
        (Ok(None), Some(write)) => {
            write_in_place(&target, &folder, &name, bytes, backup, write).map(|()| SaveWay::InPlace)
        }
        (Ok(None), None) => Err(SaveError::new(path, "saved twice")),
        (Err(e), _) => Err(e),
    }
}

/// Gives the new file `to` the owner, group and extended attributes of `from`; false when it
/// cannot (another user's file saved by someone who is not root, an attribute the file system
/// keeps to itself).
fn same_owner_and_attributes(from: &File, meta: &fs::Metadata, to: &File) -> bool {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::MetadataExt;
    let Ok(now) = to.metadata() else {
        return false;
    };
    if (now.uid(), now.gid()) != (meta.uid(), meta.gid()) {
        // SAFETY: fchown on a descriptor this function borrows, with plain integers.
        let changed = unsafe { libc::fchown(to.as_raw_fd(), meta.uid(), meta.gid()) } == 0;
        if !changed {
            return false;
        }
        // chown clears set-id bits: put the mode back.
        let _ = to.set_permissions(meta.permissions());
    }
    copy_attributes(from, to).is_ok()
}

/// Copies every extended attribute of `from` to `to`.
fn copy_attributes(from: &File, to: &File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let (src, dst) = (from.as_raw_fd(), to.as_raw_fd());
    // SAFETY: flistxattr with a null buffer of size 0 asks only for the size needed.
    let size = unsafe { libc::flistxattr(src, std::ptr::null_mut(), 0) };
    if size < 0 {
        let e = io::Error::last_os_error();
        return match e.raw_os_error() {
            Some(libc::ENOTSUP) => Ok(()),
            _ => Err(e),
        };
    }
    let mut names = vec![0u8; usize::try_from(size).unwrap_or(0)];
    // SAFETY: the buffer is `names.len()` bytes long, as passed.
    let size = unsafe { libc::flistxattr(src, names.as_mut_ptr().cast(), names.len()) };
    if size < 0 {
        return Err(io::Error::last_os_error());
    }
    names.truncate(usize::try_from(size).unwrap_or(0));
    for name in names.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let name = std::ffi::CString::new(name).map_err(io::Error::other)?;
        // SAFETY: a NUL-terminated name; a null buffer of size 0 asks for the value's size.
        let len = unsafe { libc::fgetxattr(src, name.as_ptr(), std::ptr::null_mut(), 0) };
        if len < 0 {
            return Err(io::Error::last_os_error());
        }
        let mut value = vec![0u8; usize::try_from(len).unwrap_or(0)];
        // SAFETY: the buffer is `value.len()` bytes long, as passed.
        let len =
            unsafe { libc::fgetxattr(src, name.as_ptr(), value.as_mut_ptr().cast(), value.len()) };
        if len < 0 {
            return Err(io::Error::last_os_error());
        }
        value.truncate(usize::try_from(len).unwrap_or(0));
        // SAFETY: name and value buffers as read above, with their lengths.
        let set =
            unsafe { libc::fsetxattr(dst, name.as_ptr(), value.as_ptr().cast(), value.len(), 0) };
        if set != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Writes `bytes` over the file `target` itself (same inode: links, owner and attributes
/// stay), once a copy of its old content is safely on disk as `target.bak`. Without that copy
/// (a backup not wanted, or the folder refuses it) the old content is held in memory and put
/// back if writing fails.
fn write_in_place(
    target: &Path,
    folder: &Path,
    name: &str,
    bytes: &[u8],
    backup: bool,
    write: impl FnOnce(&mut File, &[u8]) -> io::Result<()>,
) -> Result<(), SaveError> {
    let fail = |what: &str, e: io::Error| {
        SaveError::new(target, format!("{what}: {}", super::describe_io(&e)))
    };
    let previous =
        fs::read(target).map_err(|e| fail("reading the file before saving failed", e))?;
    if backup {
        copy_backup(target, folder, name, &previous)
            .map_err(|e| fail("keeping a backup before writing in place failed", e))?;
    }
    let mut file = OpenOptions::new()
        .write(true)
        .open(target)
        .map_err(|e| fail("cannot open the file for writing", e))?;
    let written = write(&mut file, bytes)
        .and_then(|()| file.set_len(bytes.len() as u64))
        .and_then(|()| file.sync_all());
    if let Err(e) = written {
        // Put the old content back; the `.bak` holds it too.
        let _ = std::io::Seek::rewind(&mut file)
            .and_then(|_| file.write_all(&previous))
            .and_then(|()| file.set_len(previous.len() as u64))
            .and_then(|()| file.sync_all());
        return Err(fail("writing failed", e));
    }
    Ok(())
}

/// Makes `target.bak` a copy of `previous` (the old content), on disk before this returns.
fn copy_backup(target: &Path, folder: &Path, name: &str, previous: &[u8]) -> io::Result<()> {
    let temp = folder.join(format!(".{name}.{}.bak.tmp", std::process::id()));
    let _ = fs::remove_file(&temp);
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&temp)?;
        if let Ok(meta) = fs::metadata(target) {
            let _ = file.set_permissions(meta.permissions());
        }
        file.write_all(previous)?;
        file.sync_all()?;
        fs::rename(&temp, backup_path(target))?;
        sync_folder(folder);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

fn sync_folder(folder: &Path) {
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
}

/// Writes `bytes` to a new file at `path` and never replaces one: when a file appears there
/// meanwhile (another writer's), this fails saying so and leaves it alone. The new file is
/// whole or absent at every moment (a temporary file linked into place).
pub fn create_new(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    let exists = |_| SaveError::new(path, "it already exists; choose another file name");
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bot.json".into());
    let temp = folder.join(format!(".{name}.{}.new.tmp", std::process::id()));
    let _ = fs::remove_file(&temp);
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()
    })();
    let result = match written {
        Ok(()) => match fs::hard_link(&temp, path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(exists(e)),
            // A file system without hard links: create the file itself, still never replacing.
            Err(_) => OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .map_err(|e| match e.kind() {
                    io::ErrorKind::AlreadyExists => exists(e),
                    _ => SaveError::new(path, super::describe_io(&e)),
                })
                .and_then(|mut file| {
                    file.write_all(bytes)
                        .and_then(|()| file.sync_all())
                        .map_err(|e| SaveError::new(path, super::describe_io(&e)))
                }),
        },
        Err(e) => Err(SaveError::new(
            path,
            format!(
                "cannot create a temporary file in the folder: {}",
                super::describe_io(&e)
            ),
        )),
    };
    let _ = fs::remove_file(&temp);
    if let Ok(dir) = File::open(&folder) {
        let _ = dir.sync_all();
    }
    result
}

/// Removes the temporary files that saves of `name` left in `folder` when their process was
/// killed (`.NAME.PID.tmp`, `.NAME.PID.bak.tmp`, `.NAME.PID.new.tmp`): only those of processes
/// that no longer run.
fn remove_stale_temporaries(folder: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    let prefix = format!(".{name}.");
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name();
        let Some(rest) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|n| n.strip_suffix(".tmp"))
        else {
            continue;
        };
        let pid = rest
            .strip_suffix(".bak")
            .or_else(|| rest.strip_suffix(".new"))
            .unwrap_or(rest);
        let gone = pid.parse::<u32>().is_ok_and(|pid| {
            pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists()
        });
        if gone && Path::new("/proc/self").exists() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The current version of `target` linked (or copied) aside under a temporary name, to become
/// its `.bak` once the save is done; `None` when it cannot be (that costs the backup only).
fn keep_aside(target: &Path, folder: &Path, name: &str) -> Option<PathBuf> {
    let temp = folder.join(format!(".{name}.{}.bak.tmp", std::process::id()));
    let _ = fs::remove_file(&temp);
    if fs::hard_link(target, &temp).is_ok() || fs::copy(target, &temp).is_ok() {
        Some(temp)
    } else {
        let _ = fs::remove_file(&temp);
        None
    }
}

/// Gives `path` (a file escalator wrote beside `like`) the owner and group of `like` where
/// they differ and this user may: root writing a user's settings leaves them the user's.
pub fn same_owner_as(path: &Path, like: &Path) {
    use std::os::unix::fs::MetadataExt;
    let (Ok(mine), Ok(theirs)) = (fs::metadata(path), fs::metadata(like)) else {
        return;
    };
    if (mine.uid(), mine.gid()) != (theirs.uid(), theirs.gid()) {
        let _ = std::os::unix::fs::chown(path, Some(theirs.uid()), Some(theirs.gid()));
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
        let stamp = DiskStamp::of(b"one");
        let one = |bytes: &[u8]| bytes == b"one";
        assert_eq!(stamp.changed(&file, one), None);
        fs::write(&file, "one").unwrap();
        assert_eq!(stamp.changed(&file, one), None, "same content is no change");
        // Same size, its time put back: the content still tells.
        let when = fs::metadata(&file).unwrap().modified().unwrap();
        fs::write(&file, "owe").unwrap();
        File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(when)
            .unwrap();
        assert!(stamp.changed(&file, one).is_some());
        fs::write(&file, "two!").unwrap();
        assert!(stamp.changed(&file, one).is_some());
        fs::remove_file(&file).unwrap();
        assert!(stamp.changed(&file, one).unwrap().contains("deleted"));
    }

    fn set_attribute(path: &Path, name: &str, value: &[u8]) -> bool {
        let path = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        let name = std::ffi::CString::new(name).unwrap();
        // SAFETY: NUL-terminated path and name, a value buffer with its length.
        unsafe {
            libc::setxattr(
                path.as_ptr(),
                name.as_ptr(),
                value.as_ptr().cast(),
                value.len(),
                0,
            ) == 0
        }
    }

    fn attribute(path: &Path, name: &str) -> Option<Vec<u8>> {
        let path = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        let name = std::ffi::CString::new(name).unwrap();
        let mut value = vec![0u8; 256];
        // SAFETY: NUL-terminated path and name, a buffer with its length.
        let len = unsafe {
            libc::getxattr(
                path.as_ptr(),
                name.as_ptr(),
                value.as_mut_ptr().cast(),
                value.len(),
            )
        };
        (len >= 0).then(|| {
            value.truncate(len as usize);
            value
        })
    }

    #[test]
    fn a_file_with_another_hard_link_is_written_in_place_and_both_names_see_it() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bot.json");
        let other = dir.path().join("other-name.json");
        fs::write(&file, "old").unwrap();
        fs::hard_link(&file, &other).unwrap();
        let inode = fs::metadata(&file).unwrap().ino();
        assert_eq!(write_atomically(&file, b"new").unwrap(), SaveWay::InPlace);
        assert_eq!(fs::read_to_string(&other).unwrap(), "new");
        assert_eq!(fs::metadata(&file).unwrap().ino(), inode);
        assert_eq!(fs::read_to_string(backup_path(&file)).unwrap(), "old");
        // Shorter content leaves nothing of the longer old one.
        assert_eq!(write_atomically(&file, b"n").unwrap(), SaveWay::InPlace);
        assert_eq!(fs::read_to_string(&other).unwrap(), "n");
        assert_eq!(
            entries(dir.path()),
            ["bot.json", "bot.json.bak", "other-name.json"]
        );
    }

    #[test]
    fn a_failed_write_in_place_puts_the_old_content_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bot.json");
        fs::write(&file, "old content").unwrap();
        fs::hard_link(&file, dir.path().join("link.json")).unwrap();
        let result = write_with(&file, b"new", true, |f, _| {
            f.write_all(b"ne")?;
            Err(io::Error::new(io::ErrorKind::StorageFull, "full"))
        });
        assert!(result.unwrap_err().to_string().contains("disk is full"));
        assert_eq!(fs::read_to_string(&file).unwrap(), "old content");
        assert_eq!(
            fs::read_to_string(backup_path(&file)).unwrap(),
            "old content"
        );
    }

    #[test]
    fn owner_group_mode_and_attributes_are_kept() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bot.json");
        fs::write(&file, "old").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
        // SAFETY: geteuid has no preconditions.
        let root = unsafe { libc::geteuid() } == 0;
        if root {
            // Another user's file, saved by root: it stays theirs.
            std::os::unix::fs::chown(&file, Some(65534), Some(65534)).unwrap();
        }
        let attributes = set_attribute(&file, "user.escalator-test", b"kept");
        let way = write_atomically(&file, b"new").unwrap();
        let meta = fs::metadata(&file).unwrap();
        assert_eq!(meta.permissions().mode() & 0o7777, 0o640);
        if root {
            assert_eq!((meta.uid(), meta.gid()), (65534, 65534));
            assert_eq!(
                way,
                SaveWay::Replaced,
                "root can give the new file its owner"
            );
        }
        if attributes {
            assert_eq!(
                attribute(&file, "user.escalator-test").as_deref(),
                Some(&b"kept"[..])
            );
        }
        assert_eq!(fs::read_to_string(&file).unwrap(), "new");
    }
}
