//! A small real filesystem of a test's own (tmpfs, or ext4 in a file), to fill up: the full
//! disk a kiosk meets on a worn SD card, not a simulation of one.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Which filesystem a `SmallDisk` is.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    Tmpfs,
    /// ext4 made in a file with `mkfs.ext4` and mounted through a loop device.
    Ext4,
}

/// A small filesystem mounted on a directory of its own, unmounted when dropped.
pub struct SmallDisk {
    dir: tempfile::TempDir,
    _image: Option<tempfile::NamedTempFile>,
}

impl SmallDisk {
    /// `None` where this machine does not allow mounting (not root, no CAP_SYS_ADMIN, no loop
    /// devices); the test then says it skipped and passes.
    pub fn mount(kind: Kind, megabytes: u32) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let mut image = None;
        let out = match kind {
            Kind::Tmpfs => Command::new("mount")
                .args(["-t", "tmpfs", "-o"])
                .arg(format!("size={megabytes}m,mode=0700"))
                .arg("tmpfs")
                .arg(dir.path())
                .output(),
            Kind::Ext4 => {
                let file = tempfile::NamedTempFile::new().unwrap();
                file.as_file()
                    .set_len(u64::from(megabytes) * 1024 * 1024)
                    .unwrap();
                let made = Command::new("mkfs.ext4")
                    .args(["-q", "-F"])
                    .arg(file.path())
                    .output();
                if !made.as_ref().is_ok_and(|o| o.status.success()) {
                    eprintln!("skipped: mkfs.ext4 is not here or failed ({made:?})");
                    return None;
                }
                let out = Command::new("mount")
                    .args(["-o", "loop"])
                    .arg(file.path())
                    .arg(dir.path())
                    .output();
                image = Some(file);
                out
            }
        };
        let out = out.ok()?;
        if !out.status.success() {
            eprintln!(
                "skipped: cannot mount a small {kind:?} here ({}); tests/store.rs covers the same \
                 paths with files in the way",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            return None;
        }
        Some(SmallDisk { dir, _image: image })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes one file until the disk is full; removing it makes room again.
    pub fn fill(&self) -> PathBuf {
        let filler = self.path().join("filler");
        let mut file = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 64 * 1024];
        while file.write_all(&block).is_ok() {}
        // Down to the last blocks, which a big write could not take.
        let byte = [0u8; 1];
        while file.write_all(&byte).is_ok() {}
        let _ = file.sync_all();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}
