//! Durable file operations for the data directory: every write reaches the disk (file and
//! directory) before the next step relies on it, and secrets are overwritten before unlinking.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Flushes a directory, so that files created, renamed or unlinked in it stay that way.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Writes `bytes` to a new file readable by the owner only, flushes it and its directory.
/// The file must not exist: nothing is ever written over a key by accident.
/// A file that could not be written whole (a full disk) is removed again: an empty or half
/// key file would later read as a damaged one.
pub fn create_durably(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    if let Err(e) = file.write_all(bytes).and_then(|()| file.sync_all()) {
        drop(file);
        let _ = fs::remove_file(path);
        return Err(e);
    }
    sync_dir(parent(path))
}

/// Replaces `path` atomically with `bytes` (write a temporary file, flush, rename, flush).
pub fn replace_durably(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = path.with_extension("tmp");
    let _ = fs::remove_file(&tmp);
    create_durably(&tmp, bytes)?;
    fs::rename(&tmp, path)?;
    sync_dir(parent(path))
}

/// Overwrites a file's bytes in place with zeros, flushes, then unlinks it and flushes the
/// directory. Unlinking alone leaves the old bytes in a free block of the card.
pub fn shred(path: &Path) -> io::Result<()> {
    zero_in_place(path)?;
    remove_durably(path)
}

/// Overwrites a file's bytes with zeros where they lie and flushes them; a missing file is
/// fine. It needs no free space: the same length is written over blocks the file already has,
/// so it works on a full disk, where writing anything new fails.
pub fn zero_in_place(path: &Path) -> io::Result<()> {
    let len = match fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let mut file = OpenOptions::new().write(true).open(path)?;
    file.write_all(&vec![0u8; len as usize])?;
    file.sync_all()
}

/// Unlinks a file if it is there, and flushes its directory.
pub fn remove_durably(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Ok(()) => sync_dir(parent(path)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Creates the directory (owner only) if needed and tightens it to 0700 if it is looser.
pub fn ensure_private_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let meta = fs::metadata(dir)?;
    if meta.permissions().mode() & 0o077 != 0 {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Whether this process can create files in `dir`.
pub fn is_writable(dir: &Path) -> bool {
    let probe = dir.join(format!(".probe-{}", std::process::id()));
    match OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(_) => {
            let _ = fs::remove_file(&probe);
            true
        }
        Err(_) => false,
    }
}

/// The files SQLite keeps next to a database.
pub fn database_files(db: &Path) -> [PathBuf; 3] {
    let with = |suffix: &str| {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    [db.to_path_buf(), with("-wal"), with("-shm")]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_files_are_private_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret");
        create_durably(&path, b"abc").unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert!(create_durably(&path, b"xyz").is_err());
        assert_eq!(fs::read(&path).unwrap(), b"abc");
    }

    #[test]
    fn shredding_removes_the_file_and_tolerates_a_missing_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret");
        create_durably(&path, b"abc").unwrap();
        shred(&path).unwrap();
        assert!(!path.exists());
        shred(&path).unwrap();
    }

    #[test]
    fn a_loose_directory_is_tightened() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        fs::create_dir(&data).unwrap();
        fs::set_permissions(&data, fs::Permissions::from_mode(0o755)).unwrap();
        ensure_private_dir(&data).unwrap();
        assert_eq!(
            fs::metadata(&data).unwrap().permissions().mode() & 0o777,
            0o700
        );
    }
}
