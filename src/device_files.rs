//! The device files the screen needs (display, touch and keys), opened the way the kiosk opens
//! them: read-write, as libinput and DRM do. Shared by `doctor` and the kiosk's own start-up
//! report, so that both see the same thing.

use std::path::{Path, PathBuf};

/// One device file and whether this process could open it read-write.
#[derive(Debug)]
pub struct DeviceFile {
    pub path: PathBuf,
    pub refused: Option<std::io::Error>,
}

/// The device files in `dir` whose names start with `prefix` (e.g. `/dev/input`, `event`), each
/// opened read-write and closed again.
pub fn try_open(dir: &Path, prefix: &str) -> Vec<DeviceFile> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .map(|e| e.path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let refused = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(&path)
                .err();
            DeviceFile { path, refused }
        })
        .collect()
}

/// Touch screens, keyboards and clickers.
pub fn input_devices() -> Vec<DeviceFile> {
    try_open(Path::new("/dev/input"), "event")
}

/// Display controllers.
pub fn display_devices() -> Vec<DeviceFile> {
    try_open(Path::new("/dev/dri"), "card")
}

/// The refused ones, as `path (reason)`, joined for a log line.
pub fn describe_refused(files: &[DeviceFile]) -> String {
    files
        .iter()
        .filter_map(|f| {
            f.refused
                .as_ref()
                .map(|e| format!("{} ({e})", f.path.display()))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// How many of the input devices this process can use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputAccess {
    /// There are none: no touch and no keys.
    NoDevices,
    /// There are some, and none can be opened read-write.
    NoneUsable,
    /// Some can be opened, some not.
    Some { usable: usize, total: usize },
    /// Every one can be opened.
    All(usize),
}

pub fn input_access(files: &[DeviceFile]) -> InputAccess {
    let usable = files.iter().filter(|f| f.refused.is_none()).count();
    match (files.len(), usable) {
        (0, _) => InputAccess::NoDevices,
        (_, 0) => InputAccess::NoneUsable,
        (total, usable) if usable < total => InputAccess::Some { usable, total },
        (_, usable) => InputAccess::All(usable),
    }
}

/// What the kiosk says at start on the bare display, where it reads touch and keys itself: a
/// device it cannot open is a screen nobody can tap, and libinput would skip it in silence.
pub fn log_input_access() {
    let files = input_devices();
    match input_access(&files) {
        InputAccess::NoDevices => tracing::warn!(
            "no input devices in /dev/input: no touch and no keys (the push buttons still work)"
        ),
        InputAccess::NoneUsable => tracing::error!(
            "no input device can be opened read-write, so touch and keys do nothing: {} \
             (the service needs group `input` and DeviceAllow=char-input rw)",
            describe_refused(&files)
        ),
        InputAccess::Some { usable, total } => tracing::warn!(
            "{usable} of {total} input devices opened; refused: {}",
            describe_refused(&files)
        ),
        InputAccess::All(usable) => tracing::info!("{usable} input device(s) for touch and keys"),
    }
}

/// The user this process runs as (from `/proc/self`), if it can be told.
pub fn own_uid() -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").ok().map(|m| m.uid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_listed_by_prefix_and_a_refusal_says_why() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("event0"), b"").unwrap();
        std::fs::write(dir.path().join("mice"), b"").unwrap();
        // A directory cannot be opened for writing, not even by root.
        std::fs::create_dir(dir.path().join("event1")).unwrap();
        let files = try_open(dir.path(), "event");
        assert_eq!(files.len(), 2, "only the names asked for: {files:?}");
        assert!(files[0].refused.is_none());
        assert!(files[1].refused.is_some());
        let said = describe_refused(&files);
        assert!(
            said.contains("event1") && !said.contains("event0"),
            "{said}"
        );
        assert!(try_open(&dir.path().join("missing"), "event").is_empty());
        assert_eq!(
            input_access(&files),
            InputAccess::Some {
                usable: 1,
                total: 2
            }
        );
        assert_eq!(input_access(&files[..1]), InputAccess::All(1));
        assert_eq!(input_access(&files[1..]), InputAccess::NoneUsable);
        assert_eq!(input_access(&[]), InputAccess::NoDevices);
    }

    #[test]
    fn a_file_that_can_only_be_read_is_refused() {
        // The fault this module exists for: devices that may be read but not written (as
        // `DeviceAllow=char-input r` left them) must not pass. sysfs refuses write access to a
        // read-only attribute even to root, so this holds wherever the tests run.
        let sysfs = Path::new("/sys/kernel");
        if !sysfs.join("uevent_seqnum").exists() {
            return;
        }
        let files = try_open(sysfs, "uevent_seqnum");
        assert_eq!(files.len(), 1);
        assert!(std::fs::read(&files[0].path).is_ok(), "it can be read");
        assert!(files[0].refused.is_some(), "but not opened read-write");
    }
}
