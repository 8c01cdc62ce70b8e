//! Where the sessions live: systemd's state directory, the system's, or the user's.

use std::path::{Path, PathBuf};

pub const SYSTEM_DATA_DIR: &str = "/var/lib/intervisie-kiosk";

/// `--data-dir` when given; `$STATE_DIRECTORY` under systemd; `/var/lib/intervisie-kiosk` when
/// it can be written; otherwise the user's data directory.
pub fn data_dir(explicit: Option<&Path>) -> PathBuf {
    let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    choose(
        explicit,
        env("STATE_DIRECTORY").as_deref().map(Path::new),
        super::files::is_writable(Path::new(SYSTEM_DATA_DIR)),
        env("XDG_DATA_HOME").as_deref().map(Path::new),
        env("HOME").as_deref().map(Path::new),
    )
}

fn choose(
    explicit: Option<&Path>,
    state_directory: Option<&Path>,
    system_writable: bool,
    xdg_data_home: Option<&Path>,
    home: Option<&Path>,
) -> PathBuf {
    if let Some(dir) = explicit {
        return dir.to_path_buf();
    }
    if let Some(dirs) = state_directory {
        // systemd passes a colon-separated list when a unit names several.
        let first = dirs.to_string_lossy();
        return PathBuf::from(first.split(':').next().unwrap_or(SYSTEM_DATA_DIR));
    }
    if system_writable {
        return PathBuf::from(SYSTEM_DATA_DIR);
    }
    match (xdg_data_home, home) {
        (Some(xdg), _) => xdg.join("intervisie-kiosk"),
        (None, Some(home)) => home.join(".local/share/intervisie-kiosk"),
        (None, None) => PathBuf::from(SYSTEM_DATA_DIR),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_directory_is_chosen_in_order() {
        let p = Path::new;
        assert_eq!(
            choose(Some(p("/x")), Some(p("/s")), true, None, None),
            p("/x")
        );
        assert_eq!(
            choose(None, Some(p("/var/lib/ik:/other")), true, None, None),
            p("/var/lib/ik")
        );
        assert_eq!(
            choose(None, None, true, None, Some(p("/home/a"))),
            p(SYSTEM_DATA_DIR)
        );
        assert_eq!(
            choose(None, None, false, Some(p("/d")), Some(p("/home/a"))),
            p("/d/intervisie-kiosk")
        );
        assert_eq!(
            choose(None, None, false, None, Some(p("/home/a"))),
            p("/home/a/.local/share/intervisie-kiosk")
        );
    }
}
