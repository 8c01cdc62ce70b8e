//! The screen's backlight in `/sys/class/backlight`: set to its working level at start, turned
//! down while the kiosk dims, and up again on the next touch. Behind a trait so the screen's
//! logic is tested with a fake.

use crate::config::{BacklightChoice, Config};
use std::path::{Path, PathBuf};

/// Where the kernel lists backlights.
pub const CLASS_DIR: &str = "/sys/class/backlight";

pub trait Backlight {
    /// Turns the backlight down (`true`) or back to its working level.
    fn set_dimmed(&mut self, dimmed: bool) -> Result<(), BacklightError>;
    /// For the log: which backlight this is.
    fn describe(&self) -> String;
}

#[derive(Debug, thiserror::Error)]
#[error("{}: {reason}", path.display())]
pub struct BacklightError {
    pub path: PathBuf,
    pub reason: String,
}

/// One backlight's directory: `brightness` is written, `max_brightness` read once.
#[derive(Debug)]
pub struct SysfsBacklight {
    dir: PathBuf,
    lit: u32,
    dim: u32,
}

impl SysfsBacklight {
    /// Opens the backlight in `dir`, with its working and dimmed levels in percent.
    pub fn open(dir: &Path, lit_percent: u8, dim_percent: u8) -> Result<Self, BacklightError> {
        let max_path = dir.join("max_brightness");
        let text = std::fs::read_to_string(&max_path).map_err(|e| BacklightError {
            path: max_path.clone(),
            reason: format!("cannot read it ({e}); is this a backlight's directory?"),
        })?;
        let max: u32 = text.trim().parse().map_err(|_| BacklightError {
            path: max_path.clone(),
            reason: format!("holds `{}`, not a number", text.trim()),
        })?;
        if max == 0 {
            return Err(BacklightError {
                path: max_path,
                reason: "is 0: this backlight cannot be set".into(),
            });
        }
        let level = |percent: u8| (u64::from(max) * u64::from(percent) / 100) as u32;
        Ok(SysfsBacklight {
            dir: dir.to_path_buf(),
            // A working level that rounds to nothing would look like a dead screen.
            lit: level(lit_percent).max(1),
            dim: level(dim_percent).min(level(lit_percent).max(1)),
        })
    }

    /// The first backlight under `class_dir` (by name), if there is one.
    pub fn first_in(class_dir: &Path) -> Option<PathBuf> {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(class_dir)
            .ok()?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.join("brightness").exists())
            .collect();
        dirs.sort();
        dirs.into_iter().next()
    }

    /// The levels written: (working, dimmed).
    pub fn levels(&self) -> (u32, u32) {
        (self.lit, self.dim)
    }

    /// The file the levels are written to.
    pub fn brightness_file(&self) -> PathBuf {
        self.dir.join("brightness")
    }
}

impl Backlight for SysfsBacklight {
    fn set_dimmed(&mut self, dimmed: bool) -> Result<(), BacklightError> {
        let path = self.brightness_file();
        let level = if dimmed { self.dim } else { self.lit };
        std::fs::write(&path, format!("{level}\n")).map_err(|e| BacklightError {
            reason: format!(
                "cannot set it to {level}: {e}{}",
                if e.kind() == std::io::ErrorKind::PermissionDenied {
                    " (the package's udev rule gives group `video` write access; \
                     check `ls -l` on the file)"
                } else {
                    ""
                }
            ),
            path,
        })
    }

    fn describe(&self) -> String {
        self.dir.display().to_string()
    }
}

/// The backlight the config asks for: `Ok(None)` when there is none to use (the picture is then
/// darkened instead), an error when a named one cannot be used.
pub fn from_config(config: &Config) -> Result<Option<SysfsBacklight>, BacklightError> {
    let dir = match &config.backlight {
        BacklightChoice::None => return Ok(None),
        BacklightChoice::Path(dir) => dir.clone(),
        BacklightChoice::Auto => match SysfsBacklight::first_in(Path::new(CLASS_DIR)) {
            Some(dir) => dir,
            None => return Ok(None),
        },
    };
    SysfsBacklight::open(&dir, config.brightness, config.dim_brightness).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_backlight(root: &Path, name: &str, max: &str) -> PathBuf {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("max_brightness"), max).unwrap();
        std::fs::write(dir.join("brightness"), "0\n").unwrap();
        dir
    }

    fn brightness(dir: &Path) -> String {
        std::fs::read_to_string(dir.join("brightness")).unwrap()
    }

    #[test]
    fn dims_to_the_configured_share_and_comes_back() {
        let root = tempfile::tempdir().unwrap();
        let dir = fake_backlight(root.path(), "10-0045", "255\n");
        let mut light = SysfsBacklight::open(&dir, 80, 10).unwrap();
        assert_eq!(light.levels(), (204, 25));
        light.set_dimmed(false).unwrap();
        assert_eq!(brightness(&dir), "204\n");
        light.set_dimmed(true).unwrap();
        assert_eq!(brightness(&dir), "25\n");
        light.set_dimmed(false).unwrap();
        assert_eq!(brightness(&dir), "204\n");
    }

    #[test]
    fn a_small_range_never_turns_the_working_level_off() {
        let root = tempfile::tempdir().unwrap();
        let dir = fake_backlight(root.path(), "bl", "7");
        let light = SysfsBacklight::open(&dir, 1, 0).unwrap();
        assert_eq!(light.levels(), (1, 0));
        // Dimmed is never brighter than lit.
        let light = SysfsBacklight::open(&dir, 10, 50).unwrap();
        assert_eq!(light.levels(), (1, 1));
    }

    #[test]
    fn the_first_backlight_by_name_is_chosen() {
        let root = tempfile::tempdir().unwrap();
        assert_eq!(SysfsBacklight::first_in(root.path()), None);
        assert_eq!(SysfsBacklight::first_in(&root.path().join("absent")), None);
        fake_backlight(root.path(), "rpi_backlight", "255");
        let first = fake_backlight(root.path(), "10-0045", "31");
        std::fs::create_dir(root.path().join("0-not-a-backlight")).unwrap();
        assert_eq!(SysfsBacklight::first_in(root.path()), Some(first));
    }

    #[test]
    fn bad_directories_are_named_with_the_reason() {
        let root = tempfile::tempdir().unwrap();
        let e = SysfsBacklight::open(&root.path().join("gone"), 100, 10).unwrap_err();
        assert!(
            e.to_string()
                .contains("gone/max_brightness: cannot read it"),
            "{e}"
        );
        let dir = fake_backlight(root.path(), "odd", "bright");
        let e = SysfsBacklight::open(&dir, 100, 10).unwrap_err();
        assert!(
            e.to_string().contains("holds `bright`, not a number"),
            "{e}"
        );
        let dir = fake_backlight(root.path(), "fixed", "0");
        assert!(SysfsBacklight::open(&dir, 100, 10).is_err());
    }

    #[test]
    fn a_write_that_fails_says_which_file_and_why() {
        let root = tempfile::tempdir().unwrap();
        let dir = fake_backlight(root.path(), "bl", "100");
        let mut light = SysfsBacklight::open(&dir, 100, 10).unwrap();
        // A directory where the file should be fails for root too.
        std::fs::remove_file(dir.join("brightness")).unwrap();
        std::fs::create_dir(dir.join("brightness")).unwrap();
        let e = light.set_dimmed(true).unwrap_err();
        assert!(
            e.to_string().contains("bl/brightness: cannot set it to 10"),
            "{e}"
        );
    }

    #[test]
    fn the_config_can_name_none_or_a_directory() {
        let root = tempfile::tempdir().unwrap();
        let dir = fake_backlight(root.path(), "bl", "100");
        let mut config = Config {
            backlight: BacklightChoice::None,
            ..Config::default()
        };
        assert!(from_config(&config).unwrap().is_none());
        config.backlight = BacklightChoice::Path(dir);
        config.brightness = 60;
        assert_eq!(from_config(&config).unwrap().unwrap().levels(), (60, 10));
        config.backlight = BacklightChoice::Path(root.path().join("missing"));
        assert!(from_config(&config).is_err());
    }
}
